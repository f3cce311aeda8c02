"""Every write of the plans app: atomic, permission-checked through accounts.scope, audited.

Who may do what:
- plans.manage on the issuing / owning unit: issue documents, run work programmes, create
  and cascade tasks, hold conferences, run coordination programmes and evaluate parties.
- plans.report (or plans.manage) on the unit: report progress on its tasks, record that it
  has done what a document requires.

"In reach" of an issuing unit (documents' addressees, cascaded tasks' units): any other
active unit below it in the organization tree, or in its area or an area under it (a city
commission addresses the communes' Party committees, which sit under the city Party
committee, not under the commission).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, DecimalField, F, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import can, require
from danvan.audit.log import record, snapshot
from danvan.core import versions
from danvan.core.errors import Conflict, DomainError, clean_date, clean_text
from danvan.core.uploads import check_upload, sha256_of
from danvan.org.models import Organization, Period

from . import rules
from .models import (
    OPEN_STATES,
    ActionKind,
    Completion,
    Conference,
    ConferenceKind,
    CoordinationProgramme,
    Document,
    DocumentKind,
    Grade,
    KeyTask,
    PartyEvaluation,
    ProgrammeKind,
    ProgressReport,
    Recipient,
    RequiredAction,
    Rollup,
    Task,
    TaskState,
    WorkProgramme,
)


class PlansError(DomainError):
    pass


# Input checks ---------------------------------------------------------------------------------


def _text(value, field: str, *, max_length: int, required: bool = True, multiline=False) -> str:
    return clean_text(
        value,
        field,
        max_length=max_length,
        required=required,
        multiline=multiline,
        error=PlansError,
    )


def _date(value, field: str, *, required: bool = True) -> dt.date | None:
    return clean_date(value, field, required=required, error=PlansError)


def _decimal(value, field: str, *, required: bool = False, positive=False) -> Decimal | None:
    if value is None or value == "":
        if required:
            raise PlansError(_("Enter a number."), field=field)
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise PlansError(_("Enter a number."), field=field) from exc
    if not number.is_finite() or abs(number) >= Decimal("1e12"):
        raise PlansError(_("Enter a number."), field=field)
    if number < 0 or (positive and number == 0):
        raise PlansError(
            _("Enter a number above zero.") if positive else _("Enter a number not below zero."),
            field=field,
        )
    return number


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        raise PlansError(_("Unknown value: %(value)s.") % {"value": value}, field=field)
    return value


def _store_file(row, upload: UploadedFile | None, field: str = "file") -> None:
    """Check an optional upload and attach it to `row` (saved by the caller)."""
    if upload is None:
        return
    name, content_type = check_upload(upload, field=field, error=PlansError)
    row.original_name, row.content_type = name, content_type
    row.size, row.sha256 = upload.size, sha256_of(upload)
    row.file.save(name, upload, save=False)


def _check_file(upload: UploadedFile | None, field: str = "file") -> None:
    if upload is not None:
        check_upload(upload, field=field, error=PlansError)


def in_reach(unit: Organization, issuer: Organization) -> bool:
    if unit.pk == issuer.pk or not unit.is_active:
        return False
    return unit.path.startswith(issuer.path) or unit.area.path.startswith(issuer.area.path)


def _require_in_reach(units: Iterable[Organization], issuer: Organization, field: str) -> None:
    for unit in units:
        if not in_reach(unit, issuer):
            raise PlansError(
                _("%(unit)s is not a unit under %(issuer)s.")
                % {"unit": unit.name, "issuer": issuer.name},
                field=field,
            )


def _require_report(actor, obj) -> None:
    """plans.report, or plans.manage, on the unit."""
    if not can(actor, "plans.report", obj):
        require(actor, "plans.manage", obj)


# Documents to implement ---------------------------------------------------------------------


def _actions_in(actions) -> list[tuple[str, dt.date, str]]:
    checked = []
    for index, item in enumerate(actions or []):
        if isinstance(item, dict):
            kind, due_on, note = item.get("kind"), item.get("due_on"), item.get("note", "")
        else:
            kind, due_on, *rest = item
            note = rest[0] if rest else ""
        field = f"actions.{index}"
        checked.append(
            (
                _choice(kind, ActionKind, f"{field}.kind"),
                _date(due_on, f"{field}.due_on"),
                _text(note, f"{field}.note", max_length=300, required=False),
            )
        )
    if len({(k, d) for k, d, _n in checked}) != len(checked):
        raise PlansError(_("The same action is listed twice for one date."), field="actions")
    return checked


@transaction.atomic
def create_document(
    *,
    actor,
    issuer: Organization,
    kind: str,
    number: str,
    issued_on: dt.date,
    title: str,
    recipients: Iterable[Organization] = (),
    actions: Iterable = (),
    summary: str = "",
    file: UploadedFile | None = None,
) -> Document:
    """A document issued by `issuer`, addressed to lower units (all in reach, else nothing is
    written), with the actions it requires: (kind, due_on[, note]) tuples or dicts."""
    require(actor, "plans.manage", issuer)
    recipients = list(dict.fromkeys(recipients))
    _require_in_reach(recipients, issuer, "recipients")
    checked_actions = _actions_in(actions)
    number = _text(number, "number", max_length=60)
    if Document.objects.filter(issuer=issuer, number=number).exists():
        raise Conflict(
            _("%(issuer)s has already issued a document numbered %(number)s.")
            % {"issuer": issuer.name, "number": number},
            field="number",
        )
    _check_file(file)
    document = Document(
        issuer=issuer,
        kind=_choice(kind, DocumentKind, "kind"),
        number=number,
        issued_on=_date(issued_on, "issued_on"),
        title=_text(title, "title", max_length=500),
        summary=_text(summary, "summary", max_length=10000, required=False, multiline=True),
        created_by=actor,
    )
    _store_file(document, file)
    document.save()
    Recipient.objects.bulk_create([Recipient(document=document, unit=u) for u in recipients])
    RequiredAction.objects.bulk_create(
        [RequiredAction(document=document, kind=k, due_on=d, note=n) for k, d, n in checked_actions]
    )
    record(
        actor=actor,
        action="plans.create_document",
        obj=document,
        after={
            **snapshot(document),
            "recipients": [u.pk for u in recipients],
            "actions": [[k, d] for k, d, _n in checked_actions],
        },
    )
    return document


@transaction.atomic
def address_document(*, actor, document: Document, units: Iterable[Organization]) -> int:
    """Address the document to more units; returns how many were added."""
    require(actor, "plans.manage", document.issuer)
    units = list(dict.fromkeys(units))
    if not units:
        raise PlansError(_("Choose at least one unit."), field="units")
    _require_in_reach(units, document.issuer, "units")
    existing = set(document.recipient_rows.values_list("unit_id", flat=True))
    new = [u for u in units if u.pk not in existing]
    Recipient.objects.bulk_create([Recipient(document=document, unit=u) for u in new])
    record(
        actor=actor,
        action="plans.address_document",
        obj=document,
        changes={"recipients": [None, [u.pk for u in new]]},
    )
    return len(new)


@transaction.atomic
def add_action(
    *, actor, document: Document, kind: str, due_on: dt.date, note: str = ""
) -> RequiredAction:
    require(actor, "plans.manage", document.issuer)
    ((kind, due_on, note),) = _actions_in([(kind, due_on, note)])
    if RequiredAction.objects.filter(document=document, kind=kind, due_on=due_on).exists():
        raise Conflict(_("This action is already required for this date."), field="kind")
    action = RequiredAction.objects.create(document=document, kind=kind, due_on=due_on, note=note)
    record(actor=actor, action="plans.add_action", obj=document, after=snapshot(action))
    return action


@transaction.atomic
def record_completion(
    *,
    actor,
    action: RequiredAction,
    unit: Organization,
    done_on: dt.date,
    reference: str = "",
    note: str = "",
    file: UploadedFile | None = None,
) -> Completion:
    """`unit` has done what `action` requires (e.g. issued its implementing plan)."""
    _require_report(actor, unit)
    if not Recipient.objects.filter(document=action.document_id, unit=unit).exists():
        raise PlansError(
            _("The document is not addressed to %(unit)s.") % {"unit": unit.name}, field="unit"
        )
    done_on = _date(done_on, "done_on")
    if done_on < action.document.issued_on:
        raise PlansError(_("The date comes before the document was issued."), field="done_on")
    if done_on > timezone.localdate():
        raise PlansError(_("The date is in the future."), field="done_on")
    if Completion.objects.filter(action=action, unit=unit).exists():
        raise Conflict(_("This unit has already recorded this action."), field="unit")
    _check_file(file)
    completion = Completion(
        action=action,
        unit=unit,
        done_on=done_on,
        reference=_text(reference, "reference", max_length=60, required=False),
        note=_text(note, "note", max_length=5000, required=False, multiline=True),
        created_by=actor,
    )
    _store_file(completion, file)
    try:
        with transaction.atomic():
            completion.save()
    except IntegrityError as exc:
        raise Conflict(_("This unit has already recorded this action."), field="unit") from exc
    record(
        actor=actor, action="plans.record_completion", obj=completion, after=snapshot(completion)
    )
    return completion


# Work programmes ------------------------------------------------------------------------------


PERIOD_FOR = {
    ProgrammeKind.ANNUAL: "year",
    ProgrammeKind.HALF: "half",
    ProgrammeKind.QUARTER: "quarter",
}


@transaction.atomic
def create_programme(
    *,
    actor,
    organization: Organization,
    kind: str,
    title: str,
    period: Period | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    description: str = "",
) -> WorkProgramme:
    """A work programme of `organization`: tied to a period (its dates), or given dates."""
    require(actor, "plans.manage", organization)
    kind = _choice(kind, ProgrammeKind, "kind")
    if period is not None:
        if kind in PERIOD_FOR and period.kind != PERIOD_FOR[kind]:
            raise PlansError(_("The period does not match the kind of programme."), field="period")
        start, end = period.start, period.end
    start, end = _date(start, "start"), _date(end, "end")
    if end < start:
        raise PlansError(_("The end comes before the start."), field="end")
    programme = WorkProgramme.objects.create(
        organization=organization,
        kind=kind,
        title=_text(title, "title", max_length=300),
        period=period,
        start=start,
        end=end,
        description=_text(
            description, "description", max_length=10000, required=False, multiline=True
        ),
        created_by=actor,
    )
    record(actor=actor, action="plans.create_programme", obj=programme, after=snapshot(programme))
    return programme


# Tasks ----------------------------------------------------------------------------------------


def _pace(task: Task) -> dt.date | None:
    if task.state == TaskState.DONE:
        return task.deadline
    if task.state == TaskState.CANCELLED:
        return None
    return rules.on_pace_until(task.start_on, task.deadline, task.percent)


@transaction.atomic
def create_task(
    *,
    actor,
    owner: Organization,
    title: str,
    deadline: dt.date,
    programme: WorkProgramme | None = None,
    description: str = "",
    start_on: dt.date | None = None,
    target: Decimal | int | float | str | None = None,
    target_unit: str = "",
    rollup: str = Rollup.COUNT,
    assignees: Iterable = (),
    coordination: CoordinationProgramme | None = None,
    origin: str = "",
    action: str = "plans.manage",
) -> Task:
    """Create a task of `owner` and return it. Stable signature (other apps call it).

    - actor: the user; must hold `action` on `owner` (default plans.manage; the situation
      app passes action="situation.manage" when a signal is turned into a task).
    - owner: the organization that carries the task out.
    - title (≤ 500 characters), deadline (a date, not before start_on).
    - programme: the owner's work programme (must belong to `owner`), optional.
    - start_on: when work starts; default the programme's start, else today (capped at the
      deadline). Used by the at-risk rule (rules.py).
    - target, target_unit: a number and its unit, e.g. 12 "buổi" (optional).
    - rollup: how progress of a cascaded task is computed from its units: "count",
      "sum" or "weighted" (models.Rollup).
    - assignees: users who work on it (must be able to see the owner).
    - coordination: a coordination programme this is an activity of.
    - origin: free provenance text, e.g. "situation.signal:42" or "conference:7".
    Raises PlansError (400) on bad input, PermissionDenied (403) without the right.
    """
    require(actor, action, owner)
    title = _text(title, "title", max_length=500)
    deadline = _date(deadline, "deadline")
    if programme is not None and programme.organization_id != owner.pk:
        raise PlansError(_("The work programme belongs to another unit."), field="programme")
    if start_on is None:
        start_on = programme.start if programme is not None else timezone.localdate()
        start_on = min(start_on, deadline)
    start_on = _date(start_on, "start_on")
    if deadline < start_on:
        raise PlansError(_("The deadline comes before the start."), field="deadline")
    target = _decimal(target, "target", positive=True)
    rollup = _choice(rollup, Rollup, "rollup")
    users = _assignees(assignees, owner)
    task = Task(
        owner=owner,
        owner_path=owner.path,
        title=title,
        description=_text(
            description, "description", max_length=10000, required=False, multiline=True
        ),
        programme=programme,
        coordination=coordination,
        origin=_text(origin, "origin", max_length=120, required=False),
        start_on=start_on,
        deadline=deadline,
        target=target,
        target_unit=_text(target_unit, "target_unit", max_length=50, required=False),
        rollup=rollup,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    task.on_pace_until = _pace(task)
    task.save()
    if users:
        task.assignees.set(users)
    record(
        actor=actor,
        action="plans.create_task",
        obj=task,
        after={**snapshot(task), "assignees": [u.pk for u in users]},
    )
    return task


def _assignees(assignees: Iterable, owner: Organization) -> list:
    from django.contrib.auth import get_user_model

    users = []
    for item in assignees or []:
        user = item
        if not hasattr(item, "pk"):
            user = get_user_model().objects.filter(pk=item, is_active=True).first()
        if user is None or not can(user, None, owner):
            raise PlansError(
                _("An assignee must be an active user who can see %(unit)s.")
                % {"unit": owner.name},
                field="assignees",
            )
        users.append(user)
    return list(dict.fromkeys(users))


TASK_EDITABLE = {"title", "description", "deadline", "start_on", "target", "target_unit", "rollup"}


@transaction.atomic
def update_task(
    *,
    actor,
    task: Task,
    assignees: Iterable | None = None,
    expected_version: str | None = None,
    **changes,
) -> Task:
    """Change a task's text, dates, target or roll-up method; progress is reported instead.
    With `expected_version` (core.versions), refused when someone saved it meanwhile."""
    require(actor, "plans.manage", task)
    task = Task.objects.select_for_update().get(pk=task.pk)
    versions.check(task, TASK_EDITABLE, expected_version)
    unknown = set(changes) - TASK_EDITABLE
    if unknown:
        raise PlansError(
            _("These fields cannot be changed here: %(f)s.") % {"f": ", ".join(sorted(unknown))}
        )
    before = snapshot(task)
    if "title" in changes:
        task.title = _text(changes["title"], "title", max_length=500)
    if "description" in changes:
        task.description = _text(
            changes["description"], "description", max_length=10000, required=False, multiline=True
        )
    if "deadline" in changes:
        task.deadline = _date(changes["deadline"], "deadline")
    if "start_on" in changes:
        task.start_on = _date(changes["start_on"], "start_on")
    if task.deadline < task.start_on:
        raise PlansError(_("The deadline comes before the start."), field="deadline")
    if "target" in changes:
        task.target = _decimal(changes["target"], "target", positive=True)
    if "target_unit" in changes:
        task.target_unit = _text(
            changes["target_unit"], "target_unit", max_length=50, required=False
        )
    if "rollup" in changes:
        task.rollup = _choice(changes["rollup"], Rollup, "rollup")
    task.save()
    if assignees is not None:
        task.assignees.set(_assignees(assignees, task.owner))
    recompute_rollup(task)
    task.refresh_from_db()
    record(actor=actor, action="plans.update_task", obj=task, before=before, after=snapshot(task))
    return task


@transaction.atomic
def cascade_task(
    *,
    actor,
    task: Task,
    units: Iterable[Organization],
    weights: dict | None = None,
    targets: dict | None = None,
    deadline: dt.date | None = None,
) -> list[Task]:
    """Assign `task` to lower units: one child task per unit (in reach of the task's owner,
    else nothing is written), whose progress rolls up to `task` by its roll-up method.
    `weights` / `targets` map a unit id to its weight (weighted roll-up) / its target."""
    require(actor, "plans.manage", task)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not task.is_open:
        raise PlansError(_("Only an open task can be cascaded."), field="state")
    if task.parent_id is None and task.reports.exists():
        raise PlansError(
            _("This task already has its own progress reports; it cannot be cascaded."),
            field="units",
        )
    units = list(dict.fromkeys(units))
    if not units:
        raise PlansError(_("Choose at least one unit."), field="units")
    owner = task.owner
    _require_in_reach(units, owner, "units")
    already = set(task.children.values_list("owner_id", flat=True))
    twice = [u.name for u in units if u.pk in already]
    if twice:
        raise Conflict(
            _("Already cascaded to: %(units)s.") % {"units": ", ".join(twice)}, field="units"
        )
    weights = {int(k): v for k, v in (weights or {}).items()}
    targets = {int(k): v for k, v in (targets or {}).items()}
    deadline = _date(deadline, "deadline") if deadline is not None else task.deadline
    if deadline > task.deadline:
        raise PlansError(_("A unit's deadline cannot be after the task's."), field="deadline")
    start_on = min(task.start_on, deadline)
    children = []
    for unit in units:
        child = Task(
            owner=unit,
            owner_path=unit.path,
            title=task.title,
            description=task.description,
            parent=task,
            coordination=task.coordination,
            start_on=start_on,
            deadline=deadline,
            target=_decimal(targets.get(unit.pk), f"targets.{unit.pk}", positive=True)
            if unit.pk in targets
            else None,
            target_unit=task.target_unit,
            weight=_decimal(weights.get(unit.pk, 1), f"weights.{unit.pk}", positive=True),
            origin=f"task:{task.pk}",
            created_by=actor,
        )
        child.on_pace_until = _pace(child)
        child.search_name = ""
        children.append(child)
    for child in children:
        child.save()
    recompute_rollup(task)
    record(
        actor=actor,
        action="plans.cascade_task",
        obj=task,
        changes={
            "units": [None, [u.pk for u in units]],
            "children": [None, [c.pk for c in children]],
        },
    )
    return children


@transaction.atomic
def report_progress(
    *,
    actor,
    task: Task,
    reported_on: dt.date,
    narrative: str,
    percent=None,
    value=None,
    done: bool = False,
    file: UploadedFile | None = None,
) -> ProgressReport:
    """A unit reports on its own (not cascaded) task: the figures so far (cumulative), a
    narrative and an optional evidence file. Percent defaults to value / target; 100 %, or
    done=True, marks the task done. Parents' roll-ups follow."""
    _require_report(actor, task)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.state == TaskState.CANCELLED:
        raise PlansError(
            _("The task was cancelled; no progress can be reported on it."), field="state"
        )
    if task.state == TaskState.DONE:
        raise PlansError(_("The task is done; no more progress can be reported."), field="state")
    if task.children.exists():
        raise PlansError(
            _("This task is cascaded: its progress comes from the units' reports."),
            field="task",
        )
    reported_on = _date(reported_on, "reported_on")
    if reported_on > timezone.localdate():
        raise PlansError(_("The date is in the future."), field="reported_on")
    value = _decimal(value, "value")
    percent = _decimal(percent, "percent")
    if percent is None:
        if done:
            percent = Decimal(100)
        elif value is not None and task.target:
            percent = min(Decimal(100), value / task.target * 100)
        else:
            raise PlansError(_("Give the percent done or a value."), field="percent")
    if percent > 100:
        raise PlansError(_("Enter a percent from 0 to 100."), field="percent")
    percent = percent.quantize(Decimal("0.1"))
    narrative = _text(narrative, "narrative", max_length=10000, multiline=True)
    _check_file(file)
    report = ProgressReport(
        task=task,
        reported_on=reported_on,
        value=value,
        percent=Decimal(100) if done else percent,
        narrative=narrative,
        created_by=actor,
    )
    _store_file(report, file)
    report.save()
    before = snapshot(task, ["state", "percent", "value"])
    task.percent = report.percent
    if value is not None:
        task.value = value
    if done or task.percent >= 100:
        task.state, task.state_changed_on = TaskState.DONE, reported_on
    elif task.state == TaskState.PLANNED:
        task.state, task.state_changed_on = TaskState.IN_PROGRESS, reported_on
    task.on_pace_until = _pace(task)
    task.save(update_fields=["percent", "value", "state", "state_changed_on", "on_pace_until"])
    if task.parent_id:
        recompute_rollup(task.parent)
    record(
        actor=actor,
        action="plans.report_progress",
        obj=task,
        before=before,
        after={
            **snapshot(task, ["state", "percent", "value"]),
            "report": report.pk,
            "file": report.original_name or None,
        },
    )
    return report


@transaction.atomic
def complete_task(*, actor, task: Task, on: dt.date | None = None) -> Task:
    """Mark a (not cascaded) task done without a report's figures."""
    _require_report(actor, task)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not task.is_open:
        raise PlansError(_("Only an open task can be marked done."), field="state")
    if task.children.exists():
        raise PlansError(
            _("This task is cascaded: it is done when its units are done."), field="state"
        )
    before = snapshot(task, ["state", "percent"])
    task.state, task.state_changed_on = TaskState.DONE, _date(on or timezone.localdate(), "on")
    task.percent = Decimal(100)
    task.on_pace_until = _pace(task)
    task.save(update_fields=["state", "state_changed_on", "percent", "on_pace_until"])
    if task.parent_id:
        recompute_rollup(task.parent)
    record(
        actor=actor,
        action="plans.complete_task",
        obj=task,
        before=before,
        after=snapshot(task, ["state", "percent"]),
    )
    return task


@transaction.atomic
def cancel_task(*, actor, task: Task, reason: str, on: dt.date | None = None) -> Task:
    """Cancel an open task with a reason; its open cascaded children are cancelled too."""
    require(actor, "plans.manage", task)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not task.is_open:
        raise PlansError(_("Only an open task can be cancelled."), field="state")
    reason = _text(reason, "reason", max_length=2000, multiline=True)
    on = _date(on or timezone.localdate(), "on")
    before = snapshot(task, ["state", "cancel_reason"])
    descendants = _open_descendants(task)
    Task.objects.filter(pk__in=[t.pk for t in descendants] + [task.pk]).update(
        state=TaskState.CANCELLED, state_changed_on=on, cancel_reason=reason, on_pace_until=None
    )
    task.refresh_from_db()
    if task.parent_id:
        recompute_rollup(task.parent)
    record(
        actor=actor,
        action="plans.cancel_task",
        obj=task,
        before=before,
        after={
            **snapshot(task, ["state", "cancel_reason"]),
            "children_cancelled": [t.pk for t in descendants],
        },
    )
    return task


def _open_descendants(task: Task) -> list[Task]:
    found, frontier = [], [task.pk]
    while frontier:
        level = list(Task.objects.filter(parent__in=frontier, state__in=OPEN_STATES))
        found += level
        frontier = [t.pk for t in level]
    return found


# Roll-up --------------------------------------------------------------------------------------


def _rollup_of(task: Task) -> dict:
    """The figures of a cascaded task from its children (cancelled children do not count)."""
    children = Task.objects.filter(parent=task).exclude(state=TaskState.CANCELLED)
    money = DecimalField(max_digits=20, decimal_places=4)
    effective = Case(
        When(state=TaskState.DONE, then=Value(Decimal(100))),
        default=F("percent"),
        output_field=money,
    )
    agg = children.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(state=TaskState.DONE)),
        value=Sum("value", output_field=money),
        targets=Sum("target", output_field=money),
        weights=Sum("weight", output_field=money),
        weighted=Sum(F("weight") * effective, output_field=money),
        progressed=Count("id", filter=~Q(state=TaskState.PLANNED) | Q(percent__gt=0)),
    )
    total, done = agg["total"], agg["done"]
    value = Decimal(agg["value"] or 0)
    if not total:
        percent = Decimal(0)
    elif task.rollup == Rollup.SUM:
        denominator = Decimal(agg["targets"] or 0) or (task.target or Decimal(0))
        percent = min(Decimal(100), value / denominator * 100) if denominator else Decimal(0)
    elif task.rollup == Rollup.WEIGHTED:
        weights = Decimal(agg["weights"] or 0)
        percent = Decimal(agg["weighted"] or 0) / weights if weights else Decimal(0)
    else:
        percent = Decimal(done) * 100 / total
    return {
        "total": total,
        "done": done,
        "value": value,
        "percent": min(Decimal(100), percent).quantize(Decimal("0.1")),
        "progressed": agg["progressed"],
    }


def recompute_rollup(task: Task, *, up: bool = True) -> None:
    """Recompute a cascaded task's figures (and state) from its children, then its
    ancestors'. Safe to call on any task, e.g. after bulk-inserting children; a task without
    children keeps its own reported figures (only its pace date is refreshed)."""
    while task is not None:
        task = Task.objects.get(pk=task.pk)
        figures = _rollup_of(task)
        fields = ["children_total", "children_done", "on_pace_until"]
        task.children_total, task.children_done = figures["total"], figures["done"]
        if figures["total"]:
            task.percent, task.value = figures["percent"], figures["value"]
            fields += ["percent", "value"]
            if task.state != TaskState.CANCELLED:
                if figures["done"] == figures["total"]:
                    if task.state != TaskState.DONE:
                        last = (
                            Task.objects.filter(parent=task, state=TaskState.DONE)
                            .order_by("-state_changed_on")
                            .values_list("state_changed_on", flat=True)
                            .first()
                        )
                        task.state_changed_on = last or timezone.localdate()
                    task.state = TaskState.DONE
                elif figures["progressed"] or task.state == TaskState.DONE:
                    if task.state != TaskState.IN_PROGRESS:
                        task.state_changed_on = timezone.localdate()
                    task.state = TaskState.IN_PROGRESS
                fields += ["state", "state_changed_on"]
        task.on_pace_until = _pace(task)
        Task.objects.filter(pk=task.pk).update(**{f: getattr(task, f) for f in fields})
        task = task.parent if up else None


def recompute_all(queryset=None) -> int:
    """After a bulk insert: set owner_path from the owner, then every roll-up bottom-up.
    Returns how many cascaded tasks were recomputed."""
    qs = queryset if queryset is not None else Task.objects.all()
    with transaction.atomic():
        for org_id, path in Organization.objects.filter(pk__in=qs.values("owner_id")).values_list(
            "id", "path"
        ):
            qs.filter(owner_id=org_id).exclude(owner_path=path).update(owner_path=path)
        for task in qs.filter(children__isnull=True).iterator():
            pace = _pace(task)
            if pace != task.on_pace_until:
                Task.objects.filter(pk=task.pk).update(on_pace_until=pace)
        # Every cascaded task, deepest first, so a grandparent sees fresh figures.
        parent_of = dict(
            Task.objects.filter(children__isnull=False).distinct().values_list("id", "parent_id")
        )

        def depth(pk):
            n = 0
            while parent_of.get(pk):
                pk, n = parent_of[pk], n + 1
            return n

        parents = sorted(parent_of, key=lambda pk: (-depth(pk), pk))
        for pk in parents:
            recompute_rollup(Task(pk=pk), up=False)
    return len(parents)


# Review conferences --------------------------------------------------------------------------


@transaction.atomic
def create_conference(
    *,
    actor,
    organizer: Organization,
    kind: str,
    title: str,
    held_on: dt.date,
    period: Period | None = None,
    participant_units: Iterable[Organization] = (),
    participant_count: int = 0,
    report_ref: str = "",
    conclusions: str = "",
    key_tasks: Iterable[str] = (),
    file: UploadedFile | None = None,
) -> Conference:
    """A review conference with its participants, the report presented (file and/or a
    reference such as a period report's URL), its conclusions and key tasks."""
    require(actor, "plans.manage", organizer)
    kind = _choice(kind, ConferenceKind, "kind")
    try:
        participant_count = int(participant_count or 0)
    except (TypeError, ValueError) as exc:
        raise PlansError(_("Enter a whole number."), field="participant_count") from exc
    if not 0 <= participant_count <= 100000:
        raise PlansError(_("Enter a whole number."), field="participant_count")
    texts = [_text(t, "key_tasks", max_length=500) for t in key_tasks if str(t or "").strip()]
    _check_file(file)
    conference = Conference(
        organizer=organizer,
        kind=kind,
        title=_text(title, "title", max_length=300),
        held_on=_date(held_on, "held_on"),
        period=period,
        participant_count=participant_count,
        report_ref=_text(report_ref, "report_ref", max_length=500, required=False),
        conclusions=_text(
            conclusions, "conclusions", max_length=20000, required=False, multiline=True
        ),
        created_by=actor,
    )
    _store_file(conference, file)
    conference.save()
    conference.participant_units.set(list(participant_units))
    KeyTask.objects.bulk_create([KeyTask(conference=conference, text=t) for t in texts])
    record(
        actor=actor,
        action="plans.create_conference",
        obj=conference,
        after={**snapshot(conference), "key_tasks": texts},
    )
    return conference


@transaction.atomic
def add_key_task(*, actor, conference: Conference, text: str) -> KeyTask:
    require(actor, "plans.manage", conference)
    key_task = KeyTask.objects.create(
        conference=conference, text=_text(text, "text", max_length=500)
    )
    record(
        actor=actor, action="plans.add_key_task", obj=conference, after={"key_task": key_task.text}
    )
    return key_task


@transaction.atomic
def key_task_to_task(
    *,
    actor,
    key_task: KeyTask,
    deadline: dt.date,
    owner: Organization | None = None,
    programme: WorkProgramme | None = None,
    target=None,
    target_unit: str = "",
) -> Task:
    """Turn a conference's key task into a task for the next period, in one step: owned by
    the organizing unit (or `owner`), starting the day after the conference."""
    conference = key_task.conference
    require(actor, "plans.manage", conference)
    key_task = KeyTask.objects.select_for_update().get(pk=key_task.pk)
    if key_task.task_id:
        raise Conflict(_("This key task is already a task."), field="key_task")
    owner = owner or conference.organizer
    deadline = _date(deadline, "deadline")
    start_on = min(conference.held_on + dt.timedelta(days=1), deadline)
    if programme is not None and programme.start > start_on:
        start_on = min(programme.start, deadline)
    task = create_task(
        actor=actor,
        owner=owner,
        title=key_task.text,
        deadline=deadline,
        programme=programme,
        start_on=start_on,
        target=target,
        target_unit=target_unit,
        origin=f"conference:{conference.pk}",
    )
    key_task.task = task
    key_task.save(update_fields=["task"])
    record(
        actor=actor,
        action="plans.key_task_to_task",
        obj=conference,
        changes={"key_task": [None, key_task.pk], "task": [None, task.pk]},
    )
    return task


# Coordination programmes ---------------------------------------------------------------------


@transaction.atomic
def create_coordination(
    *,
    actor,
    lead: Organization,
    title: str,
    start: dt.date,
    end: dt.date,
    parties: Iterable[Organization],
    content: str = "",
    signed_on: dt.date | None = None,
) -> CoordinationProgramme:
    """A coordination programme led by `lead` with other parties (the lead is a party too)."""
    require(actor, "plans.manage", lead)
    start, end = _date(start, "start"), _date(end, "end")
    if end < start:
        raise PlansError(_("The end comes before the start."), field="end")
    parties = [p for p in dict.fromkeys(parties) if p.pk != lead.pk]
    if not parties:
        raise PlansError(_("Name at least one other party."), field="parties")
    programme = CoordinationProgramme.objects.create(
        lead=lead,
        title=_text(title, "title", max_length=300),
        content=_text(content, "content", max_length=20000, required=False, multiline=True),
        start=start,
        end=end,
        signed_on=_date(signed_on, "signed_on", required=False),
        created_by=actor,
    )
    programme.parties.set([lead, *parties])
    record(
        actor=actor,
        action="plans.create_coordination",
        obj=programme,
        after={**snapshot(programme), "parties": [lead.pk] + [p.pk for p in parties]},
    )
    return programme


def add_activity(
    *,
    actor,
    programme: CoordinationProgramme,
    owner: Organization,
    title: str,
    deadline: dt.date,
    **extra,
) -> Task:
    """An activity of a coordination programme: a task of one of its parties."""
    if not programme.parties.filter(pk=owner.pk).exists():
        raise PlansError(_("The owner must be a party to the programme."), field="owner")
    deadline = _date(deadline, "deadline")
    if not programme.start <= deadline <= programme.end:
        raise PlansError(_("The deadline is outside the programme's period."), field="deadline")
    extra.setdefault("start_on", max(programme.start, min(timezone.localdate(), deadline)))
    return create_task(
        actor=actor,
        owner=owner,
        title=title,
        deadline=deadline,
        coordination=programme,
        origin=f"coordination:{programme.pk}",
        **extra,
    )


EVALUATION_FIELDS = ["grade", "score", "comment"]


@transaction.atomic
def evaluate_party(
    *,
    actor,
    programme: CoordinationProgramme,
    party: Organization,
    year: int,
    grade: str,
    score=None,
    comment: str = "",
    expected_version: str | None = None,
) -> PartyEvaluation:
    """The lead's yearly evaluation of one party (replaces an earlier one for the year; with
    `expected_version`, only over that one)."""
    require(actor, "plans.manage", programme.lead)
    if not programme.parties.filter(pk=party.pk).exists():
        raise PlansError(_("This unit is not a party to the programme."), field="party")
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise PlansError(_("The year must be a number."), field="year") from exc
    if not programme.start.year <= year <= programme.end.year:
        raise PlansError(_("The year is outside the programme's period."), field="year")
    score = _decimal(score, "score")
    if score is not None and score > 100:
        raise PlansError(_("Enter a score from 0 to 100."), field="score")
    grade = _choice(grade, Grade, "grade")
    comment = _text(comment, "comment", max_length=5000, required=False, multiline=True)
    existing = (
        PartyEvaluation.objects.select_for_update()
        .filter(programme=programme, party=party, year=year)
        .first()
    )
    if existing:
        versions.check(existing, EVALUATION_FIELDS, expected_version)
    before = snapshot(existing, EVALUATION_FIELDS) if existing else None
    evaluation, _created = PartyEvaluation.objects.update_or_create(
        programme=programme,
        party=party,
        year=year,
        defaults={
            "grade": grade,
            "score": score,
            "comment": comment,
            "evaluated_by": actor,
            "evaluated_at": timezone.now(),
        },
    )
    record(
        actor=actor,
        action="plans.evaluate_party",
        obj=programme,
        before=before,
        after={
            **snapshot(evaluation, ["grade", "score", "comment"]),
            "party": party.pk,
            "year": year,
        },
    )
    return evaluation
