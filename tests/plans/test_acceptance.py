"""The issue's acceptance figures, literally."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from danvan.plans import queries, services
from danvan.plans.models import (
    Completion,
    Document,
    Recipient,
    RequiredAction,
    Task,
    TaskState,
)
from danvan.plans.services import PlansError

from .conftest import ISSUED

pytestmark = pytest.mark.django_db


def _cascaded(province, n=16, **kwargs):
    today = timezone.localdate()
    parent = services.create_task(
        actor=province.officer,
        owner=province.party,
        title="Tổ chức hội nghị đối thoại với Nhân dân",
        start_on=today - dt.timedelta(days=60),
        deadline=today + dt.timedelta(days=30),
        target=12,
        target_unit="buổi",
        **kwargs,
    )
    return parent


def test_cascade_to_16_communes_with_11_done_rolls_up_to_11_of_16(province):
    parent = _cascaded(province)
    children = services.cascade_task(
        actor=province.officer, task=parent, units=province.communes[:16]
    )
    assert len(children) == 16
    today = timezone.localdate()
    for child in children[:11]:
        services.report_progress(
            actor=province.officer, task=child, reported_on=today, narrative="Đã tổ chức", done=True
        )
    parent.refresh_from_db()
    assert (parent.children_done, parent.children_total) == (11, 16)
    assert parent.percent == Decimal("68.8")
    assert parent.state == TaskState.IN_PROGRESS


def test_the_same_with_weights_rolls_up_by_weight(province):
    parent = _cascaded(province, rollup="weighted")
    units = province.communes[:16]
    # The first 11 weigh 1 each, the other 5 weigh 3 each: 11 / (11 + 15) done.
    weights = {u.pk: (1 if i < 11 else 3) for i, u in enumerate(units)}
    children = services.cascade_task(
        actor=province.officer, task=parent, units=units, weights=weights
    )
    today = timezone.localdate()
    for child in children[:11]:
        services.report_progress(
            actor=province.officer, task=child, reported_on=today, narrative="Xong", done=True
        )
    parent.refresh_from_db()
    assert parent.percent == Decimal("42.3")  # 11 / 26
    # Half of a heavy unit's work moves the parent by 1.5 / 26.
    services.report_progress(
        actor=province.officer,
        task=children[15],
        reported_on=today,
        narrative="Một nửa",
        percent=50,
    )
    parent.refresh_from_db()
    assert parent.percent == Decimal("48.1")  # (11 + 1.5) / 26


def test_sum_of_targets_rolls_up_values_against_targets(province):
    parent = _cascaded(province, rollup="sum")
    units = province.communes[:4]
    children = services.cascade_task(
        actor=province.officer, task=parent, units=units, targets={u.pk: 3 for u in units}
    )
    today = timezone.localdate()
    services.report_progress(
        actor=province.officer, task=children[0], reported_on=today, narrative="3 buổi", value=3
    )
    services.report_progress(
        actor=province.officer, task=children[1], reported_on=today, narrative="1 buổi", value=1
    )
    parent.refresh_from_db()
    assert parent.value == Decimal("4")
    assert parent.percent == Decimal("33.3")  # 4 / 12
    children[0].refresh_from_db()
    assert children[0].state == TaskState.DONE


def test_a_communes_overdue_task_appears_on_the_provinces_list(province):
    today = timezone.localdate()
    late = services.create_task(
        actor=province.officer,
        owner=province.unions[0],
        title="Báo cáo tình hình hội viên",
        start_on=today - dt.timedelta(days=40),
        deadline=today - dt.timedelta(days=1),
    )
    services.create_task(
        actor=province.officer,
        owner=province.communes[1],
        title="Chưa đến hạn",
        deadline=today + dt.timedelta(days=100),
    )
    overdue = list(queries.tasks(province.officer, unit=province.party, status="overdue"))
    assert overdue == [late]
    # Every level above sees it; a sibling commune does not.
    assert list(queries.tasks(province.officer, unit=province.communes[0], status="overdue")) == [
        late
    ]
    assert not queries.tasks(province.officer, unit=province.communes[1], status="overdue").exists()
    assert (
        queries.task_figures(queries.tasks(province.officer, unit=province.party))["overdue"] == 1
    )


def test_a_directive_to_20_units_17_with_plans_shows_exactly_the_3_without(province):
    today = timezone.localdate()
    document = services.create_document(
        actor=province.officer,
        issuer=province.commission,
        kind="directive",
        number="28-CT/TU",
        issued_on=ISSUED,
        title="Về tinh gọn tổ chức bộ máy",
        recipients=province.communes,
        actions=[("plan", ISSUED + dt.timedelta(days=30)), ("final_review", dt.date(2026, 12, 1))],
    )
    plan = document.actions.get(kind="plan")
    for unit in province.communes[:17]:
        services.record_completion(
            actor=province.officer,
            action=plan,
            unit=unit,
            done_on=min(today, ISSUED + dt.timedelta(days=20)),
            reference=f"{unit.pk}-KH/ĐU",
        )
    assert list(queries.not_done(plan)) == province.communes[17:]
    table = queries.matrix(document)
    summary = {row["action"].kind: row for row in table["summary"]}
    assert summary["plan"]["done"] == 17
    assert summary["plan"]["not_done"] == province.communes[17:]
    assert len(summary["final_review"]["not_done"]) == 20


def test_progress_on_a_cancelled_task_is_refused_and_nothing_is_written(province):
    task = services.create_task(
        actor=province.officer,
        owner=province.communes[0],
        title="Việc đã hủy",
        deadline=timezone.localdate() + dt.timedelta(days=10),
    )
    services.cancel_task(actor=province.officer, task=task, reason="Không còn phù hợp")
    with pytest.raises(PlansError) as caught:
        services.report_progress(
            actor=province.officer,
            task=task,
            reported_on=timezone.localdate(),
            narrative="Tiến độ",
            percent=40,
        )
    assert caught.value.field == "state"
    assert not task.reports.exists()
    task.refresh_from_db()
    assert task.state == TaskState.CANCELLED and task.percent == 0


def test_a_cascade_outside_the_issuers_subtree_is_refused_and_nothing_is_written(province):
    parent = _cascaded(province)
    before = Task.objects.count()
    with pytest.raises(PlansError) as caught:
        services.cascade_task(
            actor=province.officer,
            task=parent,
            units=[*province.communes[:3], province.outsider],
        )
    assert caught.value.field == "units"
    assert "Thành ủy Hải Phòng" in str(caught.value.message)
    assert Task.objects.count() == before
    parent.refresh_from_db()
    assert parent.children_total == 0


def test_a_document_to_a_unit_outside_the_issuers_subtree_writes_nothing(province):
    with pytest.raises(PlansError) as caught:
        services.create_document(
            actor=province.officer,
            issuer=province.commission,
            kind="directive",
            number="29-CT/TU",
            issued_on=ISSUED,
            title="Chỉ thị",
            recipients=[province.communes[0], province.outsider],
            actions=[("plan", ISSUED)],
        )
    assert caught.value.field == "recipients"
    assert not Document.objects.exists()
    assert not Recipient.objects.exists() and not RequiredAction.objects.exists()
    assert not Completion.objects.exists()
