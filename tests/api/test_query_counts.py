"""The organization list endpoint issues as many queries for 40 rows as for 5 (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.org.models import OrganizationType
from tests.factories import OrganizationFactory

from .conftest import ApiClient, token_for


def _add_children(parent, n, start=0):
    types = list(OrganizationType.objects.all())
    for i in range(start, start + n):
        OrganizationFactory(
            code=f"qc-{i}",
            name=f"Chi hội {i}",
            area=parent.area,
            parent=parent,
            type=types[i % len(types)],
        )


def _queries(api, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = api.get(url, **params)
    assert response.status_code == 200, response.content[:300]
    return len(ctx.captured_queries), response.json()


@pytest.mark.parametrize("who", ["alice", "superuser"])
@pytest.mark.parametrize("params", [{}, {"q": "chi hoi"}, {"under": "ward"}, {"limit": "100"}])
def test_organization_list_query_count_does_not_grow(request, tree, who, params):
    user = request.getfixturevalue(who)
    api = ApiClient(token_for(user))
    params = {k: (tree["ward"].pk if v == "ward" else v) for k, v in params.items()}
    api.get("organizations")  # the token's "last used" is touched once; not counted

    _add_children(tree["ward"], 5)
    few, body = _queries(api, "organizations", **params)
    assert len(body["items"]) >= 5

    _add_children(tree["ward"], 35, start=5)
    many, body = _queries(api, "organizations", **params)
    assert len(body["items"]) >= 40 or body["count"] >= 40
    assert many == few, f"{few} queries for 5 rows, {many} for 40"


def test_grants_list_query_count_does_not_grow(tree, superuser):
    from tests.factories import UserFactory, grant

    api = ApiClient(token_for(superuser))
    api.get("grants")
    for i in range(3):
        grant(UserFactory(username=f"g{i}"), "viewer", tree["ward"])
    few, _body = _queries(api, "grants")
    for i in range(3, 30):
        grant(UserFactory(username=f"g{i}"), "viewer", tree["union"])
    many, body = _queries(api, "grants")
    assert body["count"] >= 30
    assert many == few
