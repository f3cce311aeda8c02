"""The organization list page issues as many queries for 40 rows as for 5 (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from danvan.org.models import OrganizationType
from tests.factories import OrganizationFactory


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


def _queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("who", ["alice", "superuser"])
@pytest.mark.parametrize("params", [{}, {"q": "chi hoi"}, {"type": "womens-union"}])
def test_organization_list_page_query_count(request, tree, client_for, who, params):
    client = client_for(request.getfixturevalue(who))
    client.get("/organizations/")  # warm the session
    _add_children(tree["ward"], 5)
    few, response = _queries(client, "/organizations/", **params)
    rows_few = len(response.context["page"].object_list)
    _add_children(tree["ward"], 35, start=5)
    many, response = _queries(client, "/organizations/", **params)
    assert len(response.context["page"].object_list) > rows_few
    assert many == few, f"{few} queries for 5 rows, {many} for 40"


def test_home_page_query_count(tree, alice, client_for):
    client = client_for(alice)
    client.get("/")
    _add_children(tree["ward"], 5)
    few, _r = _queries(client, "/")
    _add_children(tree["ward"], 35, start=5)
    many, _r = _queries(client, "/")
    assert many == few
