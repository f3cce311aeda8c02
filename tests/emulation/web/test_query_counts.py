"""The model list's query count does not grow with the number of models."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import register


def _queries(client, url, params=None) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def _add(movement, alice, tree, start, stop):
    for i in range(start, stop):
        unit = tree["union"] if i % 2 else tree["ward"]
        kw = {"kind": "individual", "person_name": f"Cán bộ {i}"} if i % 3 == 0 else {}
        register(movement, alice, unit, f"Mô hình số {i}", **kw)


@pytest.mark.parametrize(
    "params", [{}, {"q": "mo hinh"}, {"state": "registered", "field": "economy"}]
)
@pytest.mark.parametrize("htmx", [False, True])
def test_model_list_query_count_is_flat(movement, tree, alice, client_for, params, htmx):
    client = client_for(alice)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    url = reverse("emulation:models", args=[movement.pk])
    client.get(url, **headers)  # warm the session and the unit picker
    _add(movement, alice, tree, 0, 3)
    with CaptureQueriesContext(connection) as few_ctx:
        few_response = client.get(url, params, **headers)
    _add(movement, alice, tree, 3, 20)
    with CaptureQueriesContext(connection) as many_ctx:
        many_response = client.get(url, params, **headers)
    assert len(few_response.context["page"].object_list) == 3
    assert len(many_response.context["page"].object_list) == 20
    assert len(many_ctx.captured_queries) == len(few_ctx.captured_queries)


def test_dashboard_query_count_is_flat(movement, tree, alice, client_for):
    client = client_for(alice)
    url = reverse("emulation:dashboard", args=[movement.pk])
    _add(movement, alice, tree, 0, 3)
    few, _r = _queries(client, url)
    _add(movement, alice, tree, 3, 20)
    many, _r = _queries(client, url)
    assert many == few
