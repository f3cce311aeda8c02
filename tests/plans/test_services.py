"""Every service: the happy path, the permission edge, bad input (a clear error naming the
field, nothing written), and the audit record."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from danvan.audit.models import AuditEvent
from danvan.core import versions
from danvan.core.errors import Conflict
from danvan.org.models import Period
from danvan.plans import queries, rules, services
from danvan.plans.models import (
    Completion,
    Conference,
    CoordinationProgramme,
    Document,
    KeyTask,
    PartyEvaluation,
    ProgressReport,
    Task,
    TaskState,
    WorkProgramme,
)
from danvan.plans.services import PlansError

from .conftest import ISSUED

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PDF = b"%PDF-1.4 test"


def _events(action):
    return AuditEvent.objects.filter(action=action).count()


def _task(province, owner=None, **kwargs):
    kwargs.setdefault("deadline", TODAY + dt.timedelta(days=30))
    return services.create_task(
        actor=province.officer, owner=owner or province.communes[0], title="Việc", **kwargs
    )


# Documents ------------------------------------------------------------------------------------


def test_create_document_with_file_recipients_and_actions(province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = services.create_document(
        actor=province.officer,
        issuer=province.commission,
        kind="resolution",
        number="  05-NQ/TU ",
        issued_on=ISSUED,
        title="Nghị quyết",
        recipients=[province.communes[0], province.communes[0], province.unions[1]],
        actions=[{"kind": "plan", "due_on": ISSUED}, ("report", ISSUED, "Quý I")],
        file=SimpleUploadedFile("nq.pdf", PDF),
    )
    assert document.number == "05-NQ/TU"
    assert document.recipient_rows.count() == 2
    assert document.actions.count() == 2
    assert document.original_name == "nq.pdf" and document.size == len(PDF)
    assert _events("plans.create_document") == 1


def test_create_document_needs_manage_on_the_issuer(province):
    for user in (province.viewer, province.commune_officer, province.reporter):
        with pytest.raises(PermissionDenied):
            services.create_document(
                actor=user, issuer=province.commission, kind="plan", number="1", title="x",
                issued_on=ISSUED,
            )  # fmt: skip
    assert not Document.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"number": " "}, "number"),
        ({"title": ""}, "title"),
        ({"kind": "memo"}, "kind"),
        ({"issued_on": "yesterday"}, "issued_on"),
        ({"actions": [("plan", "soon")]}, "actions.0.due_on"),
        ({"actions": [("lunch", ISSUED)]}, "actions.0.kind"),
        ({"actions": [("plan", ISSUED), ("plan", ISSUED)]}, "actions"),
        ({"file": SimpleUploadedFile("a.exe", b"MZ")}, "file"),
    ],
)
def test_create_document_bad_input(province, changes, field):
    args = {
        "actor": province.officer,
        "issuer": province.commission,
        "kind": "plan",
        "number": "1-KH",
        "title": "Kế hoạch",
        "issued_on": ISSUED,
        "recipients": [province.communes[0]],
    }
    with pytest.raises(PlansError) as caught:
        services.create_document(**{**args, **changes})
    assert caught.value.field == field
    assert (
        not Document.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="plans.").exists()
    )


def test_the_same_number_twice_is_a_conflict(province):
    args = {
        "actor": province.officer,
        "issuer": province.commission,
        "kind": "plan",
        "number": "1-KH",
        "title": "KH",
        "issued_on": ISSUED,
    }
    services.create_document(**args)
    with pytest.raises(Conflict):
        services.create_document(**args)


def test_address_and_add_action(province):
    document = services.create_document(
        actor=province.officer, issuer=province.commission, kind="plan", number="1-KH",
        title="KH", issued_on=ISSUED, recipients=[province.communes[0]],
    )  # fmt: skip
    assert (
        services.address_document(
            actor=province.officer, document=document, units=province.communes[:3]
        )
        == 2
    )
    with pytest.raises(PlansError):
        services.address_document(
            actor=province.officer, document=document, units=[province.outsider]
        )
    with pytest.raises(PermissionDenied):
        services.address_document(actor=province.viewer, document=document, units=[])
    action = services.add_action(
        actor=province.officer, document=document, kind="final_review", due_on=ISSUED
    )
    with pytest.raises(Conflict):
        services.add_action(
            actor=province.officer, document=document, kind="final_review", due_on=ISSUED
        )
    assert action.document == document


def test_record_completion_rules(province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    document = services.create_document(
        actor=province.officer, issuer=province.commission, kind="plan", number="1-KH",
        title="KH", issued_on=ISSUED, recipients=province.communes[:2],
        actions=[("plan", ISSUED + dt.timedelta(days=30))],
    )  # fmt: skip
    action = document.actions.get()
    # The commune's reporter may record for the commune, with a file.
    completion = services.record_completion(
        actor=province.reporter, action=action, unit=province.communes[0],
        done_on=ISSUED + dt.timedelta(days=3), reference="1-KH/ĐU",
        file=SimpleUploadedFile("kh.pdf", PDF),
    )  # fmt: skip
    assert completion.original_name == "kh.pdf"
    with pytest.raises(Conflict):
        services.record_completion(
            actor=province.officer, action=action, unit=province.communes[0], done_on=ISSUED
        )
    # ... but not for another commune, nor can a viewer.
    with pytest.raises(PermissionDenied):
        services.record_completion(
            actor=province.reporter, action=action, unit=province.communes[1], done_on=ISSUED
        )
    with pytest.raises(PermissionDenied):
        services.record_completion(
            actor=province.viewer, action=action, unit=province.communes[1], done_on=ISSUED
        )
    for unit, done_on, field in (
        (province.communes[5], ISSUED, "unit"),  # not addressed
        (province.communes[1], ISSUED - dt.timedelta(days=1), "done_on"),
        (province.communes[1], TODAY + dt.timedelta(days=1), "done_on"),
    ):
        with pytest.raises(PlansError) as caught:
            services.record_completion(
                actor=province.officer, action=action, unit=unit, done_on=done_on
            )
        assert caught.value.field == field
    assert Completion.objects.count() == 1


# Programmes -----------------------------------------------------------------------------------


def test_programme_from_a_period_or_dates(province):
    period = Period.objects.create(
        kind="quarter", start=dt.date(2026, 1, 1), end=dt.date(2026, 3, 31)
    )
    programme = services.create_programme(
        actor=province.officer, organization=province.commission, kind="quarter",
        title="Quý I", period=period,
    )  # fmt: skip
    assert (programme.start, programme.end) == (period.start, period.end)
    with pytest.raises(PlansError) as caught:
        services.create_programme(
            actor=province.officer, organization=province.commission, kind="annual",
            title="Năm", period=period,
        )  # fmt: skip
    assert caught.value.field == "period"
    with pytest.raises(PlansError) as caught:
        services.create_programme(
            actor=province.officer, organization=province.commission, kind="annual",
            title="Năm", start=dt.date(2026, 2, 1), end=dt.date(2026, 1, 1),
        )  # fmt: skip
    assert caught.value.field == "end"
    with pytest.raises(PermissionDenied):
        services.create_programme(
            actor=province.viewer, organization=province.commission, kind="annual",
            title="Năm", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
        )  # fmt: skip
    assert WorkProgramme.objects.count() == 1


# Tasks ----------------------------------------------------------------------------------------


def test_create_task_defaults_and_audit(province):
    programme = services.create_programme(
        actor=province.officer, organization=province.communes[0], kind="annual", title="CT",
        start=dt.date(TODAY.year, 1, 1), end=dt.date(TODAY.year, 12, 31),
    )  # fmt: skip
    task = services.create_task(
        actor=province.commune_officer,
        owner=province.communes[0],
        title="  Tổ chức   đối thoại ",
        deadline=dt.date(TODAY.year, 12, 31),
        programme=programme,
        target="12",
        target_unit="buổi",
        assignees=[province.commune_officer.pk],
    )
    assert task.title == "Tổ chức đối thoại"
    assert task.start_on == programme.start
    assert task.owner_path == province.communes[0].path
    assert task.target == Decimal("12") and task.state == TaskState.PLANNED
    assert list(task.assignees.all()) == [province.commune_officer]
    assert task.on_pace_until == rules.on_pace_until(task.start_on, task.deadline, 0)
    assert _events("plans.create_task") == 1


def test_create_task_with_another_action_for_other_apps(province):
    # The situation app turns a signal into a task under situation.manage.
    task = services.create_task(
        actor=province.commune_officer, owner=province.communes[0], title="Từ tín hiệu",
        deadline=TODAY, action="situation.manage", origin="situation.signal:7",
    )  # fmt: skip
    assert task.origin == "situation.signal:7"
    with pytest.raises(PermissionDenied):
        services.create_task(
            actor=province.reporter, owner=province.communes[0], title="x", deadline=TODAY,
            action="situation.manage",
        )  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"deadline": None}, "deadline"),
        ({"start_on": TODAY + dt.timedelta(days=99)}, "deadline"),
        ({"target": "-3"}, "target"),
        ({"target": "0"}, "target"),
        ({"target": "nhiều"}, "target"),
        ({"rollup": "average"}, "rollup"),
        ({"assignees": [999999]}, "assignees"),
    ],
)
def test_create_task_bad_input(province, changes, field):
    args = {
        "actor": province.officer,
        "owner": province.communes[0],
        "title": "Việc",
        "deadline": TODAY + dt.timedelta(days=10),
    }
    with pytest.raises(PlansError) as caught:
        services.create_task(**{**args, **changes})
    assert caught.value.field == field
    assert not Task.objects.exists()


def test_assignee_must_see_the_owner(province):
    with pytest.raises(PlansError) as caught:
        _task(province, assignees=[province.stranger])
    assert caught.value.field == "assignees"


def test_programme_of_another_unit_is_refused(province):
    programme = services.create_programme(
        actor=province.officer, organization=province.commission, kind="annual", title="CT",
        start=dt.date(TODAY.year, 1, 1), end=dt.date(TODAY.year, 12, 31),
    )  # fmt: skip
    with pytest.raises(PlansError) as caught:
        _task(province, programme=programme)
    assert caught.value.field == "programme"


def test_create_task_permissions(province):
    for user in (province.viewer, province.reporter, province.stranger):
        with pytest.raises(PermissionDenied):
            services.create_task(actor=user, owner=province.communes[0], title="x", deadline=TODAY)
    with pytest.raises(PermissionDenied):
        services.create_task(
            actor=province.commune_officer, owner=province.communes[1], title="x", deadline=TODAY
        )


def test_update_task(province):
    task = _task(province)
    task = services.update_task(
        actor=province.officer, task=task, title="Tên mới", target=5, target_unit="hộ"
    )
    assert (task.title, task.target, task.target_unit) == ("Tên mới", 5, "hộ")
    with pytest.raises(PlansError):
        services.update_task(actor=province.officer, task=task, state="done")
    with pytest.raises(PlansError) as caught:
        services.update_task(
            actor=province.officer, task=task, deadline=task.start_on - dt.timedelta(days=1)
        )
    assert caught.value.field == "deadline"
    with pytest.raises(PermissionDenied):
        services.update_task(actor=province.reporter, task=task, title="x")
    assert Task.objects.get(pk=task.pk).title == "Tên mới"


def test_report_progress_by_value_and_done(province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = _task(province, target=12, start_on=TODAY - dt.timedelta(days=10))
    report = services.report_progress(
        actor=province.reporter, task=task, reported_on=TODAY, narrative="3 buổi", value=3,
        file=SimpleUploadedFile("anh.png", b"\x89PNG...."),
    )  # fmt: skip
    task.refresh_from_db()
    assert report.percent == Decimal("25.0") and task.percent == Decimal("25.0")
    assert task.state == TaskState.IN_PROGRESS and task.value == 3
    services.report_progress(
        actor=province.reporter, task=task, reported_on=TODAY, narrative="12 buổi", value=12
    )
    task.refresh_from_db()
    assert task.state == TaskState.DONE and task.state_changed_on == TODAY
    with pytest.raises(PlansError) as caught:
        services.report_progress(
            actor=province.reporter, task=task, reported_on=TODAY, narrative="x", percent=5
        )
    assert caught.value.field == "state"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"percent": 120}, "percent"),
        ({"percent": None, "value": None}, "percent"),
        ({"percent": "abc"}, "percent"),
        ({"narrative": " "}, "narrative"),
        ({"reported_on": TODAY + dt.timedelta(days=1)}, "reported_on"),
        ({"file": SimpleUploadedFile("x.pdf", b"not a pdf")}, "file"),
    ],
)
def test_report_progress_bad_input(province, changes, field):
    task = _task(province)
    args = {
        "actor": province.officer,
        "task": task,
        "reported_on": TODAY,
        "narrative": "x",
        "percent": 10,
    }
    with pytest.raises(PlansError) as caught:
        services.report_progress(**{**args, **changes})
    assert caught.value.field == field
    assert not ProgressReport.objects.exists()
    task.refresh_from_db()
    assert task.state == TaskState.PLANNED


def test_report_progress_permissions(province):
    task = _task(province)
    for user in (province.viewer, province.stranger):
        with pytest.raises(PermissionDenied):
            services.report_progress(
                actor=user, task=task, reported_on=TODAY, narrative="x", percent=1
            )
    other = _task(province, owner=province.communes[1])
    with pytest.raises(PermissionDenied):
        services.report_progress(
            actor=province.reporter, task=other, reported_on=TODAY, narrative="x", percent=1
        )
    assert not ProgressReport.objects.exists()


def test_a_cascaded_task_takes_no_reports_of_its_own(province):
    parent = _task(province, owner=province.party)
    services.cascade_task(actor=province.officer, task=parent, units=province.communes[:2])
    with pytest.raises(PlansError) as caught:
        services.report_progress(
            actor=province.officer, task=parent, reported_on=TODAY, narrative="x", percent=1
        )
    assert caught.value.field == "task"
    with pytest.raises(PlansError):
        services.complete_task(actor=province.officer, task=parent)


def test_cascade_rules(province):
    parent = _task(province, owner=province.party)
    with pytest.raises(PermissionDenied):
        services.cascade_task(actor=province.viewer, task=parent, units=province.communes[:2])
    with pytest.raises(PlansError) as caught:
        services.cascade_task(actor=province.officer, task=parent, units=[])
    assert caught.value.field == "units"
    with pytest.raises(PlansError) as caught:
        services.cascade_task(actor=province.officer, task=parent, units=[province.party])
    assert caught.value.field == "units"  # not to itself
    with pytest.raises(PlansError) as caught:
        services.cascade_task(
            actor=province.officer, task=parent, units=province.communes[:2],
            deadline=parent.deadline + dt.timedelta(days=1),
        )  # fmt: skip
    assert caught.value.field == "deadline"
    with pytest.raises(PlansError) as caught:
        services.cascade_task(
            actor=province.officer, task=parent, units=province.communes[:2],
            weights={province.communes[0].pk: 0},
        )  # fmt: skip
    assert caught.value.field.startswith("weights.")
    assert not parent.children.exists()
    services.cascade_task(actor=province.officer, task=parent, units=province.communes[:2])
    with pytest.raises(Conflict):
        services.cascade_task(actor=province.officer, task=parent, units=province.communes[1:3])
    assert parent.children.count() == 2


def test_a_cascade_reaches_deeper_levels_and_rolls_up_twice(province):
    parent = _task(province, owner=province.party)
    (commune,) = services.cascade_task(
        actor=province.officer, task=parent, units=[province.communes[0]]
    )
    (union,) = services.cascade_task(
        actor=province.officer, task=commune, units=[province.unions[0]]
    )
    services.report_progress(
        actor=province.reporter, task=union, reported_on=TODAY, narrative="Xong", done=True
    )
    commune.refresh_from_db()
    parent.refresh_from_db()
    assert commune.state == TaskState.DONE and parent.state == TaskState.DONE
    assert parent.percent == 100


def test_cancelling_a_parent_cancels_its_open_children(province):
    parent = _task(province, owner=province.party)
    children = services.cascade_task(
        actor=province.officer, task=parent, units=province.communes[:3]
    )
    services.complete_task(actor=province.officer, task=children[0])
    with pytest.raises(PlansError) as caught:
        services.cancel_task(actor=province.officer, task=parent, reason=" ")
    assert caught.value.field == "reason"
    with pytest.raises(PermissionDenied):
        services.cancel_task(actor=province.reporter, task=children[1], reason="x")
    services.cancel_task(actor=province.officer, task=parent, reason="Không còn phù hợp")
    states = dict(Task.objects.filter(parent=parent).values_list("pk", "state"))
    assert states == {
        children[0].pk: TaskState.DONE,
        children[1].pk: TaskState.CANCELLED,
        children[2].pk: TaskState.CANCELLED,
    }


def test_a_cancelled_child_leaves_the_count(province):
    parent = _task(province, owner=province.party)
    children = services.cascade_task(
        actor=province.officer, task=parent, units=province.communes[:4]
    )
    services.complete_task(actor=province.officer, task=children[0])
    services.cancel_task(actor=province.officer, task=children[3], reason="Sáp nhập")
    parent.refresh_from_db()
    assert (parent.children_done, parent.children_total) == (1, 3)
    assert parent.percent == Decimal("33.3")


def test_recompute_after_a_bulk_insert(province):
    parent = _task(province, owner=province.party, rollup="weighted")
    Task.objects.bulk_create(
        [
            Task(
                owner=unit, owner_path="", parent=parent, title="Việc", start_on=parent.start_on,
                deadline=parent.deadline, weight=weight, percent=percent,
                state=TaskState.IN_PROGRESS,
            )
            for unit, weight, percent in (
                (province.communes[0], 1, 100), (province.communes[1], 3, 0),
            )
        ]
    )  # fmt: skip
    assert services.recompute_all() == 1
    parent.refresh_from_db()
    assert parent.percent == Decimal("25.0") and parent.children_total == 2
    assert set(Task.objects.filter(parent=parent).values_list("owner_path", flat=True)) == {
        province.communes[0].path,
        province.communes[1].path,
    }


def test_at_risk_rule(province):
    # 100 days from start to deadline, 10 days left, 50 % done: behind pace → at risk.
    task = _task(
        province, start_on=TODAY - dt.timedelta(days=90), deadline=TODAY + dt.timedelta(days=10)
    )
    services.report_progress(
        actor=province.officer, task=task, reported_on=TODAY, narrative="Một nửa", percent=50
    )
    assert list(queries.tasks(province.officer, status="at_risk")) == [task]
    # 95 % done is ahead of the 90 % pace: not at risk.
    services.report_progress(
        actor=province.officer, task=task, reported_on=TODAY, narrative="Gần xong", percent=95
    )
    assert not queries.tasks(province.officer, status="at_risk").exists()
    # Far from the deadline, even at 0 %, a task is not yet at risk.
    far = _task(
        province, start_on=TODAY - dt.timedelta(days=90), deadline=TODAY + dt.timedelta(days=60)
    )
    assert far not in queries.tasks(province.officer, status="at_risk")


# Conferences ----------------------------------------------------------------------------------


def test_conference_and_key_task_to_task(province, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    conference = services.create_conference(
        actor=province.officer, organizer=province.commission, kind="half",
        title="Sơ kết 6 tháng", held_on=TODAY, participant_units=province.communes[:3],
        participant_count=80, key_tasks=["Việc một", "", "Việc hai"],
        file=SimpleUploadedFile("bc.docx", b"PK\x03\x04..."),
    )  # fmt: skip
    assert conference.key_tasks.count() == 2 and conference.participant_units.count() == 3
    key_task = conference.key_tasks.order_by("pk").first()
    task = services.key_task_to_task(
        actor=province.officer, key_task=key_task, deadline=TODAY + dt.timedelta(days=90),
        owner=province.communes[0],
    )  # fmt: skip
    assert task.title == "Việc một" and task.owner == province.communes[0]
    assert task.start_on == TODAY + dt.timedelta(days=1)
    assert task.origin == f"conference:{conference.pk}"
    with pytest.raises(Conflict):
        services.key_task_to_task(
            actor=province.officer, key_task=key_task, deadline=TODAY + dt.timedelta(days=9)
        )
    with pytest.raises(PermissionDenied):
        services.key_task_to_task(
            actor=province.viewer,
            key_task=conference.key_tasks.order_by("pk").last(),
            deadline=TODAY + dt.timedelta(days=9),
        )
    assert KeyTask.objects.filter(task__isnull=False).count() == 1


def test_conference_bad_input(province):
    for changes, field in (
        ({"kind": "party"}, "kind"),
        ({"title": ""}, "title"),
        ({"participant_count": -1}, "participant_count"),
        ({"held_on": None}, "held_on"),
    ):
        with pytest.raises(PlansError) as caught:
            services.create_conference(
                **{
                    "actor": province.officer, "organizer": province.commission,
                    "kind": "briefing", "title": "Giao ban", "held_on": TODAY, **changes,
                }
            )  # fmt: skip
        assert caught.value.field == field
    with pytest.raises(PermissionDenied):
        services.create_conference(
            actor=province.viewer, organizer=province.commission, kind="briefing", title="x",
            held_on=TODAY,
        )  # fmt: skip
    assert not Conference.objects.exists()


# Coordination ---------------------------------------------------------------------------------


def test_coordination_activities_and_evaluations(province):
    programme = services.create_coordination(
        actor=province.officer, lead=province.commission, title="Phối hợp",
        start=dt.date(TODAY.year - 1, 1, 1), end=dt.date(TODAY.year + 2, 12, 31),
        parties=[province.party, province.commission],
    )  # fmt: skip
    assert set(programme.parties.all()) == {province.commission, province.party}
    activity = services.add_activity(
        actor=province.officer, programme=programme, owner=province.party, title="Giao ban",
        deadline=dt.date(TODAY.year, 12, 31),
    )  # fmt: skip
    assert activity.coordination == programme
    with pytest.raises(PlansError) as caught:
        services.add_activity(
            actor=province.officer, programme=programme, owner=province.communes[0],
            title="x", deadline=TODAY,
        )  # fmt: skip
    assert caught.value.field == "owner"
    evaluation = services.evaluate_party(
        actor=province.officer, programme=programme, party=province.party, year=TODAY.year - 1,
        grade="good", score=85, comment="Tốt",
    )  # fmt: skip
    again = services.evaluate_party(
        actor=province.officer, programme=programme, party=province.party, year=TODAY.year - 1,
        grade="excellent", score=95,
    )  # fmt: skip
    assert again.pk == evaluation.pk and again.grade == "excellent"
    # Replacing it over a version someone else has since replaced: refused, nothing written.
    stale = versions.version_of(evaluation, services.EVALUATION_FIELDS)
    with pytest.raises(versions.EditConflict):
        services.evaluate_party(
            actor=province.officer, programme=programme, party=province.party,
            year=TODAY.year - 1, grade="good", expected_version=stale,
        )  # fmt: skip
    assert PartyEvaluation.objects.get(pk=evaluation.pk).grade == "excellent"
    for changes, field in (
        ({"year": TODAY.year + 5}, "year"),
        ({"grade": "A+"}, "grade"),
        ({"score": 101}, "score"),
        ({"party": province.communes[0]}, "party"),
    ):
        with pytest.raises(PlansError) as caught:
            services.evaluate_party(
                **{"actor": province.officer, "programme": programme, "party": province.party,
                   "year": TODAY.year, "grade": "good", **changes}
            )  # fmt: skip
        assert caught.value.field == field
    with pytest.raises(PermissionDenied):
        services.evaluate_party(
            actor=province.commune_officer, programme=programme, party=province.party,
            year=TODAY.year, grade="good",
        )  # fmt: skip
    assert PartyEvaluation.objects.count() == 1


def test_coordination_bad_input(province):
    with pytest.raises(PlansError) as caught:
        services.create_coordination(
            actor=province.officer, lead=province.commission, title="x", start=TODAY,
            end=TODAY, parties=[province.commission],
        )  # fmt: skip
    assert caught.value.field == "parties"
    with pytest.raises(PlansError) as caught:
        services.create_coordination(
            actor=province.officer, lead=province.commission, title="x", start=TODAY,
            end=TODAY - dt.timedelta(days=1), parties=[province.party],
        )  # fmt: skip
    assert caught.value.field == "end"
    assert not CoordinationProgramme.objects.exists()
