"""The pages: every list and detail renders for the people who may see it, forms write
through the services, outsiders get 404, and list pages keep a flat query count."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from danvan.plans import services
from danvan.plans.models import Completion, Document, KeyTask, Task, TaskState

from ..conftest import login

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PDF = b"%PDF-1.4 demo"


@pytest.fixture
def world(province):
    officer = province.officer
    document = services.create_document(
        actor=officer,
        issuer=province.commission,
        kind="directive",
        number="28-CT/TU",
        issued_on=TODAY - dt.timedelta(days=40),
        title="Về tinh gọn bộ máy",
        recipients=province.communes[:5],
        actions=[
            ("plan", TODAY - dt.timedelta(days=10)),
            ("final_review", TODAY + dt.timedelta(days=60)),
        ],
    )
    services.record_completion(
        actor=officer,
        action=document.actions.get(kind="plan"),
        unit=province.communes[0],
        done_on=TODAY - dt.timedelta(days=20),
        reference="1-KH/ĐU",
    )
    programme = services.create_programme(
        actor=officer,
        organization=province.commission,
        kind="annual",
        title="Chương trình công tác năm",
        start=dt.date(TODAY.year, 1, 1),
        end=dt.date(TODAY.year, 12, 31),
    )
    task = services.create_task(
        actor=officer,
        owner=province.commission,
        programme=programme,
        title="Đối thoại với Nhân dân",
        start_on=TODAY - dt.timedelta(days=100),
        deadline=TODAY + dt.timedelta(days=5),
        target=12,
        target_unit="buổi",
    )
    children = services.cascade_task(actor=officer, task=task, units=province.communes[:3])
    late = services.create_task(
        actor=officer,
        owner=province.unions[0],
        title="Báo cáo quý",
        start_on=TODAY - dt.timedelta(days=30),
        deadline=TODAY - dt.timedelta(days=2),
    )
    conference = services.create_conference(
        actor=officer,
        organizer=province.commission,
        kind="quarterly",
        title="Giao ban quý",
        held_on=TODAY,
        key_tasks=["Hoàn thành đối thoại"],
    )
    coordination = services.create_coordination(
        actor=officer,
        lead=province.commission,
        title="Chương trình phối hợp",
        start=TODAY - dt.timedelta(days=30),
        end=TODAY + dt.timedelta(days=300),
        parties=[province.party],
    )
    return {
        "document": document, "programme": programme, "task": task, "children": children,
        "late": late, "conference": conference, "coordination": coordination,
    }  # fmt: skip


def _pages(world):
    return [
        reverse("plans:index"),
        reverse("plans:tasks"),
        reverse("plans:tasks") + "?status=overdue",
        reverse("plans:task", args=[world["task"].pk]),
        reverse("plans:task", args=[world["children"][0].pk]),
        reverse("plans:task_create"),
        reverse("plans:documents"),
        reverse("plans:document", args=[world["document"].pk]),
        reverse("plans:document", args=[world["document"].pk]) + "?missing=1",
        reverse("plans:document_create"),
        reverse("plans:programmes"),
        reverse("plans:programme", args=[world["programme"].pk]),
        reverse("plans:programme_create"),
        reverse("plans:conferences"),
        reverse("plans:conference", args=[world["conference"].pk]),
        reverse("plans:conference_create"),
        reverse("plans:coordinations"),
        reverse("plans:coordination", args=[world["coordination"].pk]),
        reverse("plans:coordination_create"),
        reverse("plans:import"),
    ]


def test_every_page_renders_for_the_officer(province, world):
    client = login(province.officer)
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == 200, url


def test_overview_lists_the_communes_overdue_task(province, world):
    client = login(province.officer)
    response = client.get(reverse("plans:index") + f"?unit={province.party.pk}")
    assert "Báo cáo quý" in response.content.decode()
    response = client.get(reverse("plans:tasks") + f"?unit={province.party.pk}&status=overdue")
    body = response.content.decode()
    assert "Báo cáo quý" in body and "Đối thoại với Nhân dân" not in body


def test_htmx_list_returns_the_partial(province, world):
    client = login(province.officer)
    response = client.get(reverse("plans:tasks") + "?q=doi thoai", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and "Đối thoại với Nhân dân" in body


def test_outsider_gets_404_on_details(province, world):
    client = login(province.stranger)
    for url in _pages(world):
        if any(part.isdigit() for part in url.split("/")):
            assert client.get(url).status_code == 404, url
    assert client.get(reverse("plans:import")).status_code == 403


def test_the_matrix_shows_who_has_not_done_it(province, world):
    client = login(province.officer)
    body = client.get(reverse("plans:document", args=[world["document"].pk])).content.decode()
    assert "1 of 5 done, 4 not done" in body or "1/5" in body
    for unit in province.communes[1:5]:
        assert unit.name in body


def test_progress_form_with_evidence(province, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    child = world["children"][0]
    client = login(province.commune_officer)
    response = client.post(
        reverse("plans:task_progress", args=[child.pk]),
        {
            "reported_on": TODAY.isoformat(),
            "narrative": "Đã tổ chức",
            "percent": "100",
            "file": SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.state == TaskState.DONE
    report = child.reports.get()
    assert report.original_name == "bien-ban.pdf"
    download = client.get(reverse("plans:file", args=["report", report.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert (
        login(province.stranger).get(reverse("plans:file", args=["report", report.pk])).status_code
        == 404
    )
    world["task"].refresh_from_db()
    assert world["task"].children_done == 1


def test_progress_on_a_cancelled_task_shows_the_error(province, world):
    child = world["children"][1]
    services.cancel_task(actor=province.officer, task=child, reason="Thôi")
    client = login(province.officer)
    response = client.post(
        reverse("plans:task_progress", args=[child.pk]),
        {"reported_on": TODAY.isoformat(), "narrative": "x", "percent": "10"},
    )
    assert response.status_code == 200
    assert not child.reports.exists()


def test_cascade_form_with_weights(province, world):
    client = login(province.officer)
    task = services.create_task(
        actor=province.officer, owner=province.party, title="Xóa nhà tạm",
        deadline=TODAY + dt.timedelta(days=50), rollup="weighted",
    )  # fmt: skip
    units = province.communes[5:7]
    response = client.post(
        reverse("plans:task_cascade", args=[task.pk]),
        {"units": [u.pk for u in units], "weights": "3, 1"},
    )
    assert response.status_code == 302
    assert sorted(task.children.values_list("weight", flat=True)) == [1, 3]


def test_document_form_and_completion(province, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(province.officer)
    response = client.post(
        reverse("plans:document_create"),
        {
            "issuer": province.commission.pk,
            "kind": "plan",
            "number": "05-KH/BDVTU",
            "issued_on": TODAY.isoformat(),
            "title": "Kế hoạch",
            "recipients": [u.pk for u in province.communes[:2]],
            "report_due": (TODAY + dt.timedelta(days=30)).isoformat(),
            "file": SimpleUploadedFile("kh.pdf", PDF),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(number="05-KH/BDVTU")
    action = document.actions.get()
    response = client.post(
        reverse("plans:action_complete", args=[action.pk]),
        {"action": action.pk, "unit": province.communes[1].pk, "done_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert Completion.objects.filter(action=action, unit=province.communes[1]).exists()


def test_document_to_an_outsider_shows_an_error_and_writes_nothing(province, world):
    client = login(province.officer)
    before = Document.objects.count()
    response = client.post(
        reverse("plans:document_create"),
        {"issuer": province.commission.pk, "kind": "plan", "number": "X", "title": "X",
         "issued_on": TODAY.isoformat(), "recipients": [province.outsider.pk]},
    )  # fmt: skip
    assert response.status_code == 200
    assert Document.objects.count() == before


def test_key_task_button_makes_a_task(province, world):
    client = login(province.officer)
    key_task = world["conference"].key_tasks.get()
    response = client.post(
        reverse("plans:key_task_to_task", args=[key_task.pk]),
        {f"k{key_task.pk}-deadline": (TODAY + dt.timedelta(days=90)).isoformat()},
    )
    assert response.status_code == 302
    key_task = KeyTask.objects.get(pk=key_task.pk)
    assert key_task.task.title == "Hoàn thành đối thoại"
    assert key_task.task.owner == province.commission


def test_viewer_sees_no_write_forms(province, world):
    client = login(province.viewer)
    body = client.get(reverse("plans:task", args=[world["task"].pk])).content.decode()
    assert 'action="' + reverse("plans:task_cascade", args=[world["task"].pk]) not in body
    response = client.post(reverse("plans:task_cancel", args=[world["task"].pk]), {"reason": "x"})
    assert response.status_code == 403
    assert Task.objects.get(pk=world["task"].pk).state != TaskState.CANCELLED


def test_exports(province, world):
    client = login(province.officer)
    for name, args in (
        ("plans:tasks_export", []), ("plans:documents_export", []),
        ("plans:matrix_export", [world["document"].pk]), ("plans:programmes_export", []),
        ("plans:conferences_export", []), ("plans:coordinations_export", []),
    ):  # fmt: skip
        for fmt in ("xlsx", "csv"):
            response = client.get(reverse(name, args=args) + f"?format={fmt}")
            assert response.status_code == 200, (name, fmt)
            assert "attachment" in response["Content-Disposition"]
    csv = client.get(reverse("plans:tasks_export") + "?format=csv").content.decode("utf-8-sig")
    assert "Báo cáo quý" in csv


@pytest.mark.parametrize("name", ["plans:tasks", "plans:documents", "plans:index"])
def test_list_query_count_does_not_grow(province, world, name):
    client = login(province.officer)
    url = reverse(name)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(6):
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
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_programme_form_with_a_period_or_dates(province):
    from danvan.org.models import Period
    from danvan.plans.models import WorkProgramme

    period = Period.objects.create(kind="half", start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    client = login(province.officer)
    response = client.post(
        reverse("plans:programme_create"),
        {"organization": province.commission.pk, "kind": "half", "title": "6 tháng đầu năm",
         "period": period.pk},
    )  # fmt: skip
    assert response.status_code == 302
    programme = WorkProgramme.objects.get(title="6 tháng đầu năm")
    assert (programme.start, programme.end, programme.period) == (period.start, period.end, period)
    response = client.post(
        reverse("plans:programme_create"),
        {"organization": province.commission.pk, "kind": "annual", "title": "Không ngày"},
    )
    assert response.status_code == 200 and WorkProgramme.objects.count() == 1


def test_edit_a_task_and_address_more_units(province, world):
    client = login(province.officer)
    task = world["late"]
    response = client.post(
        reverse("plans:task_edit", args=[task.pk]),
        {"title": "Báo cáo quý (sửa)", "start_on": task.start_on.isoformat(),
         "deadline": (TODAY + dt.timedelta(days=5)).isoformat(), "rollup": "count"},
    )  # fmt: skip
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "Báo cáo quý (sửa)" and task.deadline == TODAY + dt.timedelta(days=5)
    assert login(province.viewer).get(reverse("plans:task_edit", args=[task.pk])).status_code == 403
    document = world["document"]
    response = client.post(
        reverse("plans:document_address", args=[document.pk]),
        {"units": [province.communes[7].pk]},
    )
    assert response.status_code == 302
    assert document.recipient_rows.filter(unit=province.communes[7]).exists()


def test_conference_form_with_period_and_key_tasks(province, settings, tmp_path):
    from danvan.org.models import Period
    from danvan.plans.models import Conference

    settings.MEDIA_ROOT = tmp_path
    period = Period.objects.create(
        kind="quarter", start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30)
    )
    client = login(province.officer)
    response = client.post(
        reverse("plans:conference_create"),
        {"organizer": province.commission.pk, "kind": "quarterly", "title": "Giao ban quý III",
         "held_on": TODAY.isoformat(), "period": period.pk, "participant_count": 30,
         "participant_units": [province.communes[0].pk], "key_tasks": "Việc một\n\nViệc hai",
         "file": SimpleUploadedFile("bc.pdf", PDF)},
    )  # fmt: skip
    assert response.status_code == 302
    conference = Conference.objects.get(title="Giao ban quý III")
    assert conference.period == period and conference.key_tasks.count() == 2
    body = client.get(reverse("plans:conference", args=[conference.pk])).content.decode()
    assert "bc.pdf" in body
    assert client.get(reverse("plans:file", args=["conference", conference.pk])).status_code == 200
