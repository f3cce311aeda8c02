"""API lists: paginated, filtered, and with a query count that does not grow with the data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from danvan.plans import services

from ...api.conftest import ApiClient, token_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _add(province, n: int, start: int = 0):
    for i in range(start, start + n):
        task = services.create_task(
            actor=province.officer, owner=province.communes[i % 3], title=f"Việc {i}",
            deadline=TODAY - dt.timedelta(days=1),
        )  # fmt: skip
        services.cascade_task(actor=province.officer, task=task, units=[province.unions[i % 3]])
        services.create_document(
            actor=province.officer, issuer=province.commission, kind="plan", number=f"{i}-KH",
            issued_on=TODAY, title="KH", recipients=province.communes[:3],
            actions=[("report", TODAY)],
        )  # fmt: skip
        services.create_conference(
            actor=province.officer, organizer=province.commission, kind="briefing",
            title=f"Giao ban {i}", held_on=TODAY, participant_units=province.communes[:2],
        )  # fmt: skip


URLS = [
    "/api/v1/plans/tasks",
    "/api/v1/plans/tasks?status=overdue",
    "/api/v1/plans/documents",
    "/api/v1/plans/programmes",
    "/api/v1/plans/conferences",
    "/api/v1/plans/coordination",
]


@pytest.mark.parametrize("url", URLS)
def test_list_query_count_is_flat(province, url):
    api = ApiClient(token_for(province.officer))
    _add(province, 1)
    api.get(url)
    with CaptureQueriesContext(connection) as small:
        assert api.get(url).status_code == 200
    _add(province, 8, start=1)
    with CaptureQueriesContext(connection) as large:
        response = api.get(url)
    assert response.status_code == 200
    assert len(large) == len(small)


def test_overdue_filter_and_pagination(province):
    _add(province, 3)
    api = ApiClient(token_for(province.officer))
    body = api.get(f"/api/v1/plans/tasks?unit={province.party.pk}&status=overdue&limit=2").json()
    # 3 communes' tasks and their 3 unions' tasks are all overdue.
    assert body["count"] == 6 and len(body["items"]) == 2
    assert all(item["overdue"] for item in body["items"])
    body = api.get(f"/api/v1/plans/tasks?unit={province.unions[0].pk}&status=overdue").json()
    assert [item["owner"]["id"] for item in body["items"]] == [province.unions[0].pk]


def test_matrix_and_bad_input(province, superuser):
    document = services.create_document(
        actor=province.officer, issuer=province.commission, kind="directive", number="28-CT/TU",
        issued_on=TODAY - dt.timedelta(days=5), title="Chỉ thị", recipients=province.communes[:4],
        actions=[("plan", TODAY)],
    )  # fmt: skip
    api = ApiClient(token_for(province.officer))
    action = document.actions.get()
    response = api.post(
        f"/api/v1/plans/actions/{action.pk}/completions",
        {"unit": province.communes[0].pk, "done_on": TODAY.isoformat()},
    )
    assert response.status_code == 201
    (row,) = api.get(f"/api/v1/plans/documents/{document.pk}/matrix").json()
    assert [u["id"] for u in row["done"]] == [province.communes[0].pk]
    assert [u["id"] for u in row["not_done"]] == [u.pk for u in province.communes[1:4]]
    # A cascade to a unit outside the subtree: a clear 400 naming the field; nothing written.
    task = services.create_task(
        actor=province.officer, owner=province.party, title="Việc", deadline=TODAY
    )
    body = {"units": [{"unit": province.communes[0].pk}, {"unit": province.outsider.pk}]}
    response = ApiClient(token_for(superuser)).post(f"/api/v1/plans/tasks/{task.pk}/cascade", body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "units"
    assert "Thành ủy Hải Phòng" in response.json()["message"]
    # To the province's officer the other province does not exist: 404, on the same field.
    response = api.post(f"/api/v1/plans/tasks/{task.pk}/cascade", body)
    assert response.status_code == 404
    assert response.json()["errors"][0]["field"] == "units"
    assert not task.children.exists()
    # Progress on a cancelled task.
    services.cancel_task(actor=province.officer, task=task, reason="Thôi")
    response = api.post(
        f"/api/v1/plans/tasks/{task.pk}/reports",
        {"reported_on": TODAY.isoformat(), "narrative": "x", "percent": 10},
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "state"
    assert not task.reports.exists()
