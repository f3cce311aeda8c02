"""Documents to implement, work programmes, tasks, review conferences and coordination
programmes over /api/v1/plans/.

Thin: parse → query or service → schema. What the user sees is decided by `queries`
(anything else is 404); what they may change by `services` (403).
"""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from danvan.accounts.scope import visible
from danvan.core import versions
from danvan.core.pagination import Pagination
from danvan.core.schemas import OrgRef
from danvan.org import queries as org_queries
from danvan.org.models import Organization, Period

from . import queries, rules, services
from .models import (
    ActionKind,
    ConferenceKind,
    DocumentKind,
    Grade,
    ProgrammeKind,
    Rollup,
    TaskState,
)

router = Router(tags=["plans"])

ID = {"ge": 1, "le": 2**31 - 1}
NUMBER = {"ge": 0, "max_digits": 14, "decimal_places": 2}
DAY = {"ge": dt.date(1990, 1, 1), "le": dt.date(2100, 12, 31)}


def _org(request, org_id: int, field: str):
    return org_queries.get_organization(request.user, org_id, field=field)


def _orgs(request, ids: list[int], field: str):
    return [_org(request, pk, field) for pk in dict.fromkeys(ids)]


# Documents ------------------------------------------------------------------------------------


class ActionOut(Schema):
    id: int
    kind: ActionKind
    due_on: dt.date
    note: str


class PlansDocumentOut(Schema):
    id: int
    kind: DocumentKind
    number: str = Field(..., description="Number and symbol, e.g. 28-CT/TU")
    issued_on: dt.date
    title: str
    issuer: OrgRef
    recipients: int = Field(..., description="How many units it is addressed to")
    actions: int = Field(..., description="How many actions it requires")
    has_file: bool

    @staticmethod
    def resolve_recipients(obj):
        n = getattr(obj, "n_recipients", None)
        return n if n is not None else obj.recipient_rows.count()

    @staticmethod
    def resolve_actions(obj):
        n = getattr(obj, "n_actions", None)
        return n if n is not None else obj.actions.count()


class DocumentDetail(PlansDocumentOut):
    summary: str
    required_actions: list[ActionOut]
    addressed_to: list[OrgRef]

    @staticmethod
    def resolve_required_actions(obj):
        return obj.actions.order_by("due_on", "pk")

    @staticmethod
    def resolve_addressed_to(obj):
        return [r.unit for r in obj.recipient_rows.select_related("unit").order_by("unit__path")]


class DocumentFilter(Schema):
    unit: int | None = Field(
        None, description="Issued in, or addressed to, this organization's subtree", **ID
    )
    kind: DocumentKind | None = None
    year: int | None = Field(None, ge=1990, le=2100, description="Year issued")
    q: str | None = Field(None, max_length=100, description="Words of the number or title")


@router.get("/documents", response=list[PlansDocumentOut], summary="List documents to implement")
@paginate(Pagination)
def list_documents(request: HttpRequest, filters: Query[DocumentFilter]):
    unit = _org(request, filters.unit, "unit") if filters.unit else None
    return queries.documents(
        request.user, unit=unit, kind=filters.kind, year=filters.year, q=filters.q
    )


class ActionIn(Schema):
    kind: ActionKind
    due_on: dt.date = Field(..., **DAY)
    note: str = Field("", max_length=300)


class DocumentIn(Schema):
    issuer: int = Field(..., description="Organization id of the issuer", **ID)
    kind: DocumentKind
    number: str = Field(..., min_length=1, max_length=60)
    issued_on: dt.date = Field(..., **DAY)
    title: str = Field(..., min_length=1, max_length=500)
    summary: str = Field("", max_length=10000)
    recipients: list[int] = Field(
        default_factory=list, max_length=5000, description="Organization ids addressed"
    )
    actions: list[ActionIn] = Field(default_factory=list, max_length=50)


@router.post(
    "/documents",
    response={201: DocumentDetail},
    summary="Issue a document",
    description="Needs `plans.manage` on the issuer. Every addressee must be under the issuer "
    "(its organization subtree or its area); otherwise nothing is written.",
)
def create_document(request: HttpRequest, payload: DocumentIn):
    document = services.create_document(
        actor=request.user,
        issuer=_org(request, payload.issuer, "issuer"),
        kind=payload.kind,
        number=payload.number,
        issued_on=payload.issued_on,
        title=payload.title,
        summary=payload.summary,
        recipients=_orgs(request, payload.recipients, "recipients"),
        actions=[a.dict() for a in payload.actions],
    )
    return Status(201, queries.get_document(request.user, document.pk))


@router.get("/documents/{document_id}", response=DocumentDetail, summary="A document")
def get_document(request: HttpRequest, document_id: int):
    return queries.get_document(request.user, document_id)


class UnitsIn(Schema):
    units: list[int] = Field(..., min_length=1, max_length=5000)


@router.post(
    "/documents/{document_id}/recipients",
    response=DocumentDetail,
    summary="Address a document to more units",
)
def address_document(request: HttpRequest, document_id: int, payload: UnitsIn):
    document = queries.get_document(request.user, document_id)
    services.address_document(
        actor=request.user, document=document, units=_orgs(request, payload.units, "units")
    )
    return queries.get_document(request.user, document_id)


class MatrixFilter(Schema):
    unit: int | None = Field(None, description="Only addressees under this organization", **ID)


class MatrixAction(Schema):
    action: ActionOut
    done: list[OrgRef]
    not_done: list[OrgRef]


@router.get(
    "/documents/{document_id}/matrix",
    response=list[MatrixAction],
    summary="Who has and has not done each action",
    description="Per required action, the addressed units that have recorded it and those "
    "that have not (only addressees the user may see, optionally under `unit`).",
)
def document_matrix(request: HttpRequest, document_id: int, filters: Query[MatrixFilter]):
    document = queries.get_document(request.user, document_id)
    scope_unit = _org(request, filters.unit, "unit") if filters.unit else None
    table = queries.matrix(document, unit=scope_unit)
    seen = set(
        visible(
            request.user, Organization.objects.filter(pk__in=[u.pk for u in table["units"]])
        ).values_list("pk", flat=True)
    )
    issuer_side = visible(request.user, Organization.objects.filter(pk=document.issuer_id)).exists()
    out = []
    for index, action in enumerate(table["actions"]):
        done = [
            r.unit
            for r in table["rows"]
            if r.cells[index] is not None and (issuer_side or r.unit.pk in seen)
        ]
        missing = [
            r.unit
            for r in table["rows"]
            if r.cells[index] is None and (issuer_side or r.unit.pk in seen)
        ]
        out.append({"action": action, "done": done, "not_done": missing})
    return out


class CompletionIn(Schema):
    unit: int = Field(..., **ID)
    done_on: dt.date = Field(..., **DAY)
    reference: str = Field("", max_length=60, description="The unit's own document number")
    note: str = Field("", max_length=5000)


class CompletionOut(Schema):
    id: int
    action_id: int
    unit: OrgRef
    done_on: dt.date
    reference: str
    note: str


@router.post(
    "/actions/{action_id}/completions",
    response={201: CompletionOut},
    summary="Record that a unit has done a required action",
    description="Needs `plans.report` (or `plans.manage`) on the unit.",
)
def record_completion(request: HttpRequest, action_id: int, payload: CompletionIn):
    action = queries.get_action(request.user, action_id)
    completion = services.record_completion(
        actor=request.user,
        action=action,
        unit=_org(request, payload.unit, "unit"),
        done_on=payload.done_on,
        reference=payload.reference,
        note=payload.note,
    )
    return Status(201, completion)


# Work programmes ------------------------------------------------------------------------------


class ProgrammeOut(Schema):
    id: int
    kind: ProgrammeKind
    title: str
    organization: OrgRef
    period_id: int | None
    start: dt.date
    end: dt.date
    description: str
    tasks: int

    @staticmethod
    def resolve_tasks(obj):
        n = getattr(obj, "n_tasks", None)
        return n if n is not None else obj.tasks.count()


class ProgrammeFilter(Schema):
    unit: int | None = Field(None, description="Programmes of this organization's subtree", **ID)
    kind: ProgrammeKind | None = None
    year: int | None = Field(None, ge=1990, le=2100)


@router.get("/programmes", response=list[ProgrammeOut], summary="List work programmes")
@paginate(Pagination)
def list_programmes(request: HttpRequest, filters: Query[ProgrammeFilter]):
    unit = _org(request, filters.unit, "unit") if filters.unit else None
    return queries.programmes(request.user, unit=unit, kind=filters.kind, year=filters.year)


class ProgrammeIn(Schema):
    organization: int = Field(..., **ID)
    kind: ProgrammeKind
    title: str = Field(..., min_length=1, max_length=300)
    period: int | None = Field(None, description="An org.Period id (sets the dates)", **ID)
    start: dt.date | None = Field(None, **DAY)
    end: dt.date | None = Field(None, **DAY)
    description: str = Field("", max_length=10000)


@router.post(
    "/programmes",
    response={201: ProgrammeOut},
    summary="Create a work programme",
    description="Needs `plans.manage` on the organization. Give a period, or start and end.",
)
def create_programme(request: HttpRequest, payload: ProgrammeIn):
    period = None
    if payload.period:
        period = Period.objects.filter(pk=payload.period).first()
        if period is None:
            raise services.PlansError(_("Unknown period."), field="period")
    programme = services.create_programme(
        actor=request.user,
        organization=_org(request, payload.organization, "organization"),
        kind=payload.kind,
        title=payload.title,
        period=period,
        start=payload.start,
        end=payload.end,
        description=payload.description,
    )
    return Status(201, queries.get_programme(request.user, programme.pk))


@router.get("/programmes/{programme_id}", response=ProgrammeOut, summary="A work programme")
def get_programme(request: HttpRequest, programme_id: int):
    return queries.get_programme(request.user, programme_id)


# Tasks ----------------------------------------------------------------------------------------


class TaskOut(Schema):
    id: int
    title: str
    owner: OrgRef
    programme_id: int | None
    parent_id: int | None
    coordination_id: int | None
    origin: str
    start_on: dt.date
    deadline: dt.date
    target: Decimal | None
    target_unit: str
    rollup: Rollup
    weight: Decimal
    state: TaskState
    cancel_reason: str
    percent: Decimal
    value: Decimal
    children_total: int
    children_done: int
    overdue: bool
    at_risk: bool

    @staticmethod
    def resolve_overdue(obj):
        return obj.is_open and obj.deadline < queries.today()

    @staticmethod
    def resolve_at_risk(obj):
        day = queries.today()
        first, last = rules.at_risk_window(day)
        return bool(
            obj.is_open
            and first <= obj.deadline <= last
            and obj.on_pace_until is not None
            and obj.on_pace_until < day
        )


class TaskDetail(TaskOut):
    description: str
    assignees: list[int]

    @staticmethod
    def resolve_assignees(obj):
        return sorted(obj.assignees.values_list("pk", flat=True))


class TaskFilter(Schema):
    unit: int | None = Field(None, description="Tasks of this organization's subtree", **ID)
    programme: int | None = Field(None, **ID)
    parent: int | None = Field(None, description="The units' tasks of a cascaded task", **ID)
    state: TaskState | None = None
    status: str | None = Field(
        None,
        pattern="^(overdue|at_risk|open|done|cancelled)$",
        description="overdue, at_risk (rules in docs/plans.md), open, done or cancelled",
    )
    start: dt.date | None = Field(None, description="Deadline on or after", **DAY)
    end: dt.date | None = Field(None, description="Deadline on or before", **DAY)
    q: str | None = Field(None, max_length=100)


@router.get(
    "/tasks",
    response=list[TaskOut],
    summary="List tasks",
    description="Tasks the user sees; `unit` narrows to an organization's subtree, so a "
    "province sees its communes' overdue tasks with `status=overdue`.",
)
@paginate(Pagination)
def list_tasks(request: HttpRequest, filters: Query[TaskFilter]):
    unit = _org(request, filters.unit, "unit") if filters.unit else None
    programme = (
        queries.get_programme(request.user, filters.programme, field="programme")
        if filters.programme
        else None
    )
    parent = (
        queries.get_task(request.user, filters.parent, field="parent") if filters.parent else None
    )
    return queries.tasks(
        request.user,
        unit=unit,
        programme=programme,
        parent=parent,
        state=filters.state,
        status=filters.status,
        start=filters.start,
        end=filters.end,
        q=filters.q,
    )


class TaskIn(Schema):
    owner: int = Field(..., **ID)
    title: str = Field(..., min_length=1, max_length=500)
    deadline: dt.date = Field(..., **DAY)
    start_on: dt.date | None = Field(None, **DAY)
    programme: int | None = Field(None, **ID)
    description: str = Field("", max_length=10000)
    target: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    target_unit: str = Field("", max_length=50)
    rollup: Rollup = Rollup.COUNT
    assignees: list[int] = Field(default_factory=list, max_length=50)


@router.post(
    "/tasks",
    response={201: TaskDetail},
    summary="Create a task",
    description="Needs `plans.manage` on the owner.",
)
def create_task(request: HttpRequest, payload: TaskIn):
    programme = (
        queries.get_programme(request.user, payload.programme) if payload.programme else None
    )
    task = services.create_task(
        actor=request.user,
        owner=_org(request, payload.owner, "owner"),
        title=payload.title,
        deadline=payload.deadline,
        start_on=payload.start_on,
        programme=programme,
        description=payload.description,
        target=payload.target,
        target_unit=payload.target_unit,
        rollup=payload.rollup,
        assignees=payload.assignees,
    )
    return Status(201, queries.get_task(request.user, task.pk))


@router.get("/tasks/{task_id}", response=TaskDetail, summary="A task")
def get_task(request: HttpRequest, response: HttpResponse, task_id: int):
    """The ETag header is the task's version: send it back as If-Match when changing it."""
    task = queries.get_task(request.user, task_id)
    versions.tag(response, task, services.TASK_EDITABLE)
    return task


class TaskPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=500)
    description: str | None = Field(None, max_length=10000)
    deadline: dt.date | None = Field(None, **DAY)
    start_on: dt.date | None = Field(None, **DAY)
    target: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    target_unit: str | None = Field(None, max_length=50)
    rollup: Rollup | None = None
    assignees: list[int] | None = Field(None, max_length=50)


@router.patch("/tasks/{task_id}", response=TaskDetail, summary="Change a task")
def update_task(request: HttpRequest, response: HttpResponse, task_id: int, payload: TaskPatch):
    """With If-Match (the ETag read), refused with 412 when the task changed meanwhile."""
    task = queries.get_task(request.user, task_id)
    changes = payload.dict(exclude_unset=True)
    assignees = changes.pop("assignees", None)
    changes = {k: v for k, v in changes.items() if v is not None or k == "target"}
    services.update_task(
        actor=request.user,
        task=task,
        assignees=assignees,
        expected_version=versions.if_match(request),
        **changes,
    )
    task = queries.get_task(request.user, task_id)
    versions.tag(response, task, services.TASK_EDITABLE)
    return task


class ShareIn(Schema):
    unit: int = Field(..., **ID)
    weight: Decimal = Field(Decimal("1"), gt=0, max_digits=8, decimal_places=2)
    target: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)


class CascadeIn(Schema):
    units: list[ShareIn] = Field(..., min_length=1, max_length=5000)
    deadline: dt.date | None = Field(None, description="Default: the task's deadline", **DAY)


@router.post(
    "/tasks/{task_id}/cascade",
    response={201: list[TaskOut]},
    summary="Cascade a task to lower units",
    description="One child task per unit, each under the task's owner; progress rolls up "
    "by the task's roll-up method. Needs `plans.manage` on the task.",
)
def cascade_task(request: HttpRequest, task_id: int, payload: CascadeIn):
    task = queries.get_task(request.user, task_id)
    units = _orgs(request, [s.unit for s in payload.units], "units")
    children = services.cascade_task(
        actor=request.user,
        task=task,
        units=units,
        weights={s.unit: s.weight for s in payload.units},
        targets={s.unit: s.target for s in payload.units if s.target is not None},
        deadline=payload.deadline,
    )
    return Status(201, children)


@router.get("/tasks/{task_id}/children", response=list[TaskOut], summary="A task's units")
@paginate(Pagination)
def task_children(request: HttpRequest, task_id: int):
    task = queries.get_task(request.user, task_id)
    return queries.tasks(request.user, parent=task)


class PlansReportIn(Schema):
    reported_on: dt.date = Field(..., **DAY)
    narrative: str = Field(..., min_length=1, max_length=10000)
    percent: Decimal | None = Field(None, ge=0, le=100, max_digits=4, decimal_places=1)
    value: Decimal | None = Field(None, **NUMBER)
    done: bool = False


class PlansReportOut(Schema):
    id: int
    reported_on: dt.date
    value: Decimal | None
    percent: Decimal
    narrative: str
    has_file: bool


@router.post(
    "/tasks/{task_id}/reports",
    response={201: PlansReportOut},
    summary="Report progress on a task",
    description="Cumulative figures so far. Needs `plans.report` or `plans.manage` on the "
    "task's owner. Refused on a cancelled or done task, and on a cascaded one.",
)
def report_progress(request: HttpRequest, task_id: int, payload: PlansReportIn):
    task = queries.get_task(request.user, task_id)
    report = services.report_progress(
        actor=request.user,
        task=task,
        reported_on=payload.reported_on,
        narrative=payload.narrative,
        percent=payload.percent,
        value=payload.value,
        done=payload.done,
    )
    return Status(201, report)


@router.get("/tasks/{task_id}/reports", response=list[PlansReportOut], summary="A task's reports")
@paginate(Pagination)
def task_reports(request: HttpRequest, task_id: int):
    return queries.get_task(request.user, task_id).reports.order_by("-reported_on", "-pk")


class CancelIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


@router.post("/tasks/{task_id}/cancel", response=TaskDetail, summary="Cancel a task")
def cancel_task(request: HttpRequest, task_id: int, payload: CancelIn):
    task = queries.get_task(request.user, task_id)
    services.cancel_task(actor=request.user, task=task, reason=payload.reason)
    return queries.get_task(request.user, task_id)


@router.post("/tasks/{task_id}/done", response=TaskDetail, summary="Mark a task done")
def complete_task(request: HttpRequest, task_id: int):
    task = queries.get_task(request.user, task_id)
    services.complete_task(actor=request.user, task=task)
    return queries.get_task(request.user, task_id)


# Review conferences ---------------------------------------------------------------------------


class KeyTaskOut(Schema):
    id: int
    text: str
    task_id: int | None


class ConferenceOut(Schema):
    id: int
    kind: ConferenceKind
    title: str
    held_on: dt.date
    organizer: OrgRef
    period_id: int | None
    participant_count: int
    report_ref: str
    has_file: bool


class ConferenceDetail(ConferenceOut):
    conclusions: str
    participant_units: list[OrgRef]
    key_tasks: list[KeyTaskOut]

    @staticmethod
    def resolve_participant_units(obj):
        return obj.participant_units.order_by("path")

    @staticmethod
    def resolve_key_tasks(obj):
        return obj.key_tasks.order_by("pk")


class ConferenceFilter(Schema):
    unit: int | None = Field(None, **ID)
    kind: ConferenceKind | None = None
    year: int | None = Field(None, ge=1990, le=2100)


@router.get("/conferences", response=list[ConferenceOut], summary="List review conferences")
@paginate(Pagination)
def list_conferences(request: HttpRequest, filters: Query[ConferenceFilter]):
    unit = _org(request, filters.unit, "unit") if filters.unit else None
    return queries.conferences(request.user, unit=unit, kind=filters.kind, year=filters.year)


class ConferenceIn(Schema):
    organizer: int = Field(..., **ID)
    kind: ConferenceKind
    title: str = Field(..., min_length=1, max_length=300)
    held_on: dt.date = Field(..., **DAY)
    participant_units: list[int] = Field(default_factory=list, max_length=500)
    participant_count: int = Field(0, ge=0, le=100000)
    report_ref: str = Field("", max_length=500)
    conclusions: str = Field("", max_length=20000)
    key_tasks: list[str] = Field(default_factory=list, max_length=50)


@router.post(
    "/conferences",
    response={201: ConferenceDetail},
    summary="Record a review conference",
    description="Needs `plans.manage` on the organizing unit.",
)
def create_conference(request: HttpRequest, payload: ConferenceIn):
    conference = services.create_conference(
        actor=request.user,
        organizer=_org(request, payload.organizer, "organizer"),
        kind=payload.kind,
        title=payload.title,
        held_on=payload.held_on,
        participant_units=_orgs(request, payload.participant_units, "participant_units"),
        participant_count=payload.participant_count,
        report_ref=payload.report_ref,
        conclusions=payload.conclusions,
        key_tasks=payload.key_tasks,
    )
    return Status(201, queries.get_conference(request.user, conference.pk))


@router.get("/conferences/{conference_id}", response=ConferenceDetail, summary="A conference")
def get_conference(request: HttpRequest, conference_id: int):
    return queries.get_conference(request.user, conference_id)


class KeyTaskToTaskIn(Schema):
    deadline: dt.date = Field(..., **DAY)
    owner: int | None = Field(None, description="Default: the organizing unit", **ID)
    programme: int | None = Field(None, **ID)


@router.post(
    "/key-tasks/{key_task_id}/task",
    response={201: TaskDetail},
    summary="Turn a conference's key task into a task",
)
def key_task_to_task(request: HttpRequest, key_task_id: int, payload: KeyTaskToTaskIn):
    key_task = queries.get_key_task(request.user, key_task_id)
    task = services.key_task_to_task(
        actor=request.user,
        key_task=key_task,
        deadline=payload.deadline,
        owner=_org(request, payload.owner, "owner") if payload.owner else None,
        programme=queries.get_programme(request.user, payload.programme)
        if payload.programme
        else None,
    )
    return Status(201, queries.get_task(request.user, task.pk))


# Coordination programmes ----------------------------------------------------------------------


class EvaluationOut(Schema):
    party: OrgRef
    year: int
    grade: Grade
    score: Decimal | None
    comment: str


class CoordinationOut(Schema):
    id: int
    title: str
    lead: OrgRef
    start: dt.date
    end: dt.date
    signed_on: dt.date | None


class CoordinationDetail(CoordinationOut):
    content: str
    parties: list[OrgRef]
    evaluations: list[EvaluationOut]

    @staticmethod
    def resolve_parties(obj):
        return obj.parties.order_by("path")

    @staticmethod
    def resolve_evaluations(obj):
        return obj.evaluations.select_related("party").order_by("-year", "party__path")


class CoordinationFilter(Schema):
    unit: int | None = Field(None, description="Led by or with a party in this subtree", **ID)
    year: int | None = Field(None, ge=1990, le=2100)


@router.get("/coordination", response=list[CoordinationOut], summary="List coordination programmes")
@paginate(Pagination)
def list_coordinations(request: HttpRequest, filters: Query[CoordinationFilter]):
    unit = _org(request, filters.unit, "unit") if filters.unit else None
    return queries.coordinations(request.user, unit=unit, year=filters.year)


class CoordinationIn(Schema):
    lead: int = Field(..., **ID)
    title: str = Field(..., min_length=1, max_length=300)
    start: dt.date = Field(..., **DAY)
    end: dt.date = Field(..., **DAY)
    parties: list[int] = Field(..., min_length=1, max_length=100)
    content: str = Field("", max_length=20000)
    signed_on: dt.date | None = Field(None, **DAY)


@router.post(
    "/coordination",
    response={201: CoordinationDetail},
    summary="Create a coordination programme",
    description="Needs `plans.manage` on the lead party.",
)
def create_coordination(request: HttpRequest, payload: CoordinationIn):
    programme = services.create_coordination(
        actor=request.user,
        lead=_org(request, payload.lead, "lead"),
        title=payload.title,
        start=payload.start,
        end=payload.end,
        parties=_orgs(request, payload.parties, "parties"),
        content=payload.content,
        signed_on=payload.signed_on,
    )
    return Status(201, queries.get_coordination(request.user, programme.pk))


@router.get(
    "/coordination/{programme_id}",
    response=CoordinationDetail,
    summary="A coordination programme",
)
def get_coordination(request: HttpRequest, programme_id: int):
    return queries.get_coordination(request.user, programme_id)


class PlansActivityIn(Schema):
    owner: int = Field(..., description="A party to the programme", **ID)
    title: str = Field(..., min_length=1, max_length=500)
    deadline: dt.date = Field(..., **DAY)
    target: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    target_unit: str = Field("", max_length=50)


@router.post(
    "/coordination/{programme_id}/activities",
    response={201: TaskDetail},
    summary="Add an activity (a task of a party)",
)
def add_activity(request: HttpRequest, programme_id: int, payload: PlansActivityIn):
    programme = queries.get_coordination(request.user, programme_id)
    task = services.add_activity(
        actor=request.user,
        programme=programme,
        owner=_org(request, payload.owner, "owner"),
        title=payload.title,
        deadline=payload.deadline,
        target=payload.target,
        target_unit=payload.target_unit,
    )
    return Status(201, queries.get_task(request.user, task.pk))


class EvaluationIn(Schema):
    party: int = Field(..., **ID)
    year: int = Field(..., ge=1990, le=2100)
    grade: Grade
    score: Decimal | None = Field(None, ge=0, le=100, max_digits=5, decimal_places=2)
    comment: str = Field("", max_length=5000)


@router.put(
    "/coordination/{programme_id}/evaluations",
    response=EvaluationOut,
    summary="Evaluate a party for a year",
    description="Creates or replaces the party's evaluation for the year. Needs "
    "`plans.manage` on the lead party.",
)
def evaluate_party(
    request: HttpRequest, response: HttpResponse, programme_id: int, payload: EvaluationIn
):
    """With If-Match (the ETag of the last answer), refused with 412 when it changed since."""
    programme = queries.get_coordination(request.user, programme_id)
    evaluation = services.evaluate_party(
        actor=request.user,
        programme=programme,
        party=_org(request, payload.party, "party"),
        year=payload.year,
        grade=payload.grade,
        score=payload.score,
        comment=payload.comment,
        expected_version=versions.if_match(request),
    )
    versions.tag(response, evaluation, services.EVALUATION_FIELDS)
    return evaluation
