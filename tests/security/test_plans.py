"""Security review of the plans app: scoped lookups, outsider 404s, files served only to
those who may see their record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from danvan.plans import services
from danvan.plans.models import Completion, ProgressReport

from ..factories import OrganizationFactory
from .conftest import PDF

TODAY = dt.date.today()
ISSUED = TODAY - dt.timedelta(days=30)


def pdf(name="f.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def far_plans(far, superuser, media):
    """One of each plans record in another province (outside everybody's grant but far's)."""
    org = far["org"]
    child = OrganizationFactory(code="hp-child", name="Hội Phụ nữ Hải Phòng", area=org.area,
                                parent=org)  # fmt: skip
    document = services.create_document(
        actor=superuser, issuer=org, kind="resolution", number="01-NQ/HP", issued_on=ISSUED,
        title="Nghị quyết Hải Phòng", recipients=[child],
        actions=[("plan", TODAY + dt.timedelta(days=30))], file=pdf(),
    )  # fmt: skip
    action = document.actions.get()
    completion = services.record_completion(
        actor=superuser, action=action, unit=child, done_on=TODAY, file=pdf()
    )
    programme = services.create_programme(
        actor=superuser, organization=org, kind="annual", title="Chương trình công tác",
        start=dt.date(TODAY.year, 1, 1), end=dt.date(TODAY.year, 12, 31),
    )  # fmt: skip
    task = services.create_task(
        actor=superuser, owner=org, title="Nhiệm vụ Hải Phòng", deadline=TODAY + dt.timedelta(60),
        programme=programme,
    )  # fmt: skip
    report = services.report_progress(
        actor=superuser, task=task, reported_on=TODAY, narrative="Tiến độ", percent=10, file=pdf()
    )
    conference = services.create_conference(
        actor=superuser, organizer=org, kind="preliminary", title="Hội nghị sơ kết",
        held_on=TODAY, key_tasks=["Nhiệm vụ trọng tâm"], file=pdf(),
    )  # fmt: skip
    coordination = services.create_coordination(
        actor=superuser, lead=org, title="Chương trình phối hợp", start=dt.date(TODAY.year, 1, 1),
        end=dt.date(TODAY.year + 1, 12, 31), parties=[child],
    )  # fmt: skip
    return {
        "org": org, "child": child, "document": document, "action": action,
        "completion": completion, "programme": programme, "task": task, "report": report,
        "conference": conference, "key_task": conference.key_tasks.get(),
        "coordination": coordination,
    }  # fmt: skip


GET_PAGES = [
    ("plans:task", "task_id", "task"),
    ("plans:task_edit", "task_id", "task"),
    ("plans:document", "document_id", "document"),
    ("plans:matrix_export", "document_id", "document"),
    ("plans:programme", "programme_id", "programme"),
    ("plans:conference", "conference_id", "conference"),
    ("plans:coordination", "programme_id", "coordination"),
]

POST_PAGES = [
    ("plans:task_progress", "task_id", "task"),
    ("plans:task_cascade", "task_id", "task"),
    ("plans:task_complete", "task_id", "task"),
    ("plans:task_cancel", "task_id", "task"),
    ("plans:document_address", "document_id", "document"),
    ("plans:action_complete", "action_id", "action"),
    ("plans:key_task_to_task", "key_task_id", "key_task"),
    ("plans:coordination", "programme_id", "coordination"),
    ("plans:coordination_evaluate", "programme_id", "coordination"),
]

FILES = ["document", "completion", "report", "conference"]

API_GETS = [
    "/api/v1/plans/tasks/{task}",
    "/api/v1/plans/tasks/{task}/children",
    "/api/v1/plans/tasks/{task}/reports",
    "/api/v1/plans/documents/{document}",
    "/api/v1/plans/documents/{document}/matrix",
    "/api/v1/plans/programmes/{programme}",
    "/api/v1/plans/conferences/{conference}",
    "/api/v1/plans/coordination/{coordination}",
]


@pytest.mark.parametrize(("name", "kwarg", "key"), GET_PAGES)
def test_outsider_gets_404_on_each_detail_page(far_plans, alice, client_for, name, kwarg, key):
    response = client_for(alice).get(reverse(name, kwargs={kwarg: far_plans[key].pk}))
    assert response.status_code == 404


@pytest.mark.parametrize(("name", "kwarg", "key"), POST_PAGES)
def test_outsider_gets_404_on_each_write(far_plans, alice, client_for, name, kwarg, key):
    response = client_for(alice).post(
        reverse(name, kwargs={kwarg: far_plans[key].pk}),
        {"units": [far_plans["child"].pk], "reason": "x", "owner": far_plans["child"].pk,
         "title": "x", "deadline": TODAY.isoformat(), "party": far_plans["child"].pk,
         "year": TODAY.year, "grade": "good", "reported_on": TODAY.isoformat(),
         "narrative": "x", "percent": 50, "action": far_plans["action"].pk,
         "unit": far_plans["child"].pk, "done_on": TODAY.isoformat()},
    )  # fmt: skip
    assert response.status_code == 404
    assert not Completion.objects.exclude(pk=far_plans["completion"].pk).exists()
    assert ProgressReport.objects.count() == 1


@pytest.mark.parametrize("kind", FILES)
def test_outsider_gets_404_on_each_file(far_plans, alice, client_for, kind):
    pk = far_plans[kind].pk
    response = client_for(alice).get(reverse("plans:file", kwargs={"kind": kind, "pk": pk}))
    assert response.status_code == 404


@pytest.mark.parametrize("kind", FILES)
def test_files_are_served_inside_the_grant(far_plans, far, client_for, kind):
    pk = far_plans[kind].pk
    response = client_for(far["officer"]).get(
        reverse("plans:file", kwargs={"kind": kind, "pk": pk})
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("url", API_GETS)
def test_api_outsider_gets_404(far_plans, alice, client_for, url):
    keys = {k: v.pk for k, v in far_plans.items() if hasattr(v, "pk")}
    response = client_for(alice).get(url.format(**keys))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("field", "key"),
    [("issuer", "org"), ("unit", "org")],
)
def test_api_document_with_a_foreign_id_gives_404(far_plans, alice, client_for, tree, field, key):
    """A guessed organization id of another province, in a request body, is never written."""
    payload = {
        "issuer": tree["ward"].pk, "kind": "resolution", "number": "99/NQ", "title": "x",
        "issued_on": ISSUED.isoformat(), "recipients": [tree["union"].pk], "actions": [],
    }  # fmt: skip
    payload[field] = far_plans[key].pk
    if field == "unit":
        payload["recipients"] = [far_plans["child"].pk]
        payload.pop("unit")
    response = client_for(alice).post(
        "/api/v1/plans/documents", payload, content_type="application/json"
    )
    assert response.status_code == 404


def test_api_task_in_a_foreign_programme_or_parent_is_refused(far_plans, alice, client_for, tree):
    client = client_for(alice)
    response = client.post(
        "/api/v1/plans/tasks",
        {"owner": tree["ward"].pk, "title": "x", "deadline": (TODAY + dt.timedelta(9)).isoformat(),
         "programme": far_plans["programme"].pk},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 404
    response = client.get(f"/api/v1/plans/tasks?parent={far_plans['task'].pk}")
    assert response.status_code == 404


def test_api_cascade_to_a_unit_outside_the_subtree_is_refused(alice, client_for, tree, superuser):
    task = services.create_task(
        actor=superuser, owner=tree["ward"], title="Ward task", deadline=TODAY + dt.timedelta(30)
    )
    response = client_for(alice).post(
        f"/api/v1/plans/tasks/{task.pk}/cascade",
        {"units": [{"unit": tree["other"].pk}]},
        content_type="application/json",
    )
    assert response.status_code in (400, 404)
    task.refresh_from_db()
    assert not task.children.exists()


def test_viewer_gets_403_on_writes(bob, client_for, tree, superuser):
    task = services.create_task(
        actor=superuser, owner=tree["ward"], title="Ward task", deadline=TODAY + dt.timedelta(30)
    )
    client = client_for(bob)
    assert client.get(reverse("plans:task", args=[task.pk])).status_code == 200
    assert client.get(reverse("plans:task_edit", args=[task.pk])).status_code == 403
    response = client.post(
        f"/api/v1/plans/tasks/{task.pk}/cancel", {"reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 403


# Findings -----------------------------------------------------------------------------------


@pytest.fixture
def city_document(tree, superuser, media):
    """A city document addressed to both wards; the other ward records its completion with a
    file. Alice (ward) sees the document (it cascades to lower areas), not the other ward."""
    document = services.create_document(
        actor=superuser, issuer=tree["city"], kind="resolution", number="05-NQ/TU",
        issued_on=ISSUED, title="Nghị quyết Thành ủy", recipients=[tree["ward"], tree["other"]],
        actions=[("plan", TODAY + dt.timedelta(days=30))],
    )  # fmt: skip
    completion = services.record_completion(
        actor=superuser, action=document.actions.get(), unit=tree["other"], done_on=TODAY,
        reference="12-KH/ĐU", file=pdf("ke-hoach-phuong-khac.pdf"),
    )  # fmt: skip
    return {"document": document, "completion": completion}


def test_lower_unit_sees_the_document_but_not_the_sibling_row(city_document, alice, client_for):
    """Pinned: the matrix page hides the sibling ward's row from a ward officer."""
    client = client_for(alice)
    response = client.get(reverse("plans:document", args=[city_document["document"].pk]))
    assert response.status_code == 200
    assert "Đảng ủy phường khác" not in response.content.decode()


def test_sibling_units_completion_file_is_not_served(city_document, alice, client_for):
    pk = city_document["completion"].pk
    response = client_for(alice).get(reverse("plans:file", kwargs={"kind": "completion", "pk": pk}))
    assert response.status_code == 404


@pytest.fixture
def commission_task(tree, hanoi, superuser):
    """The city commission's task, cascaded (by an officer who sees the whole city) to the
    other ward's Party committee, which sits under the city Party committee, not under the
    commission. A viewer granted on the commission only."""
    from danvan.org.models import OrganizationType

    from ..factories import UserFactory, grant

    commission = OrganizationFactory(
        code="hn-bdv", name="Ban Dân vận Thành ủy", area=hanoi, parent=tree["city"],
        type=OrganizationType.objects.get(code="mass-mobilization-commission"),
    )  # fmt: skip
    task = services.create_task(
        actor=superuser, owner=commission, title="Nhiệm vụ của Ban",
        deadline=TODAY + dt.timedelta(days=60),
    )  # fmt: skip
    services.cascade_task(actor=superuser, task=task, units=[tree["other"]])
    viewer = UserFactory(username="vic")
    grant(viewer, "viewer", commission)
    return {"task": task, "viewer": viewer}


def test_api_lists_only_the_children_the_user_sees(commission_task, client_for):
    """Pinned: GET /tasks/{id}/children goes through visible()."""
    client = client_for(commission_task["viewer"])
    response = client.get(f"/api/v1/plans/tasks/{commission_task['task'].pk}/children")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_task_page_lists_only_the_children_the_user_sees(commission_task, tree, client_for):
    client = client_for(commission_task["viewer"])
    response = client.get(reverse("plans:task", args=[commission_task["task"].pk]))
    assert response.status_code == 200
    assert tree["other"].name not in response.content.decode()
