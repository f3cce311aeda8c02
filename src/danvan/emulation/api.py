"""Movements, models, evaluation, replication and contests over /api/v1/emulation/.

Thin: parse → query or service → schema. Access is decided by `queries` (what the user sees:
anything else is 404) and `services`/`contests` (what the user may change: 403).
"""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from danvan.core import versions
from danvan.core.errors import NotFound
from danvan.core.pagination import Pagination
from danvan.core.schemas import OrgRef
from danvan.core.uploads import attachment
from danvan.org import queries as org_queries
from danvan.org.models import AreaLevel

from . import contests, queries, services
from .models import ContestKind, GroupBy, ModelState, RegistrantKind

router = Router(tags=["emulation"])

YEAR = {"ge": 2000, "le": 2100}


# Shared pieces ---------------------------------------------------------------------------


class MovementRef(Schema):
    id: int
    code: str
    name: str


def _org(request, org_id: int, field: str):
    return org_queries.get_organization(request.user, org_id, field=field)


# Movements -------------------------------------------------------------------------------


class ThemeOut(Schema):
    year: int
    title: str


class FieldOut(Schema):
    id: int
    code: str
    name: str


class LevelOut(Schema):
    id: int
    code: str
    name: str
    rank: int
    area_level: str = Field(..., description="Area level of the accepting units; empty = central")


class EmulationCriterionOut(Schema):
    id: int
    name: str
    weight: Decimal
    max_score: Decimal


class LabelOut(Schema):
    id: int
    name: str


class WindowOut(Schema):
    id: int
    year: int
    level: str | None = Field(None, description="Level code, or null for every level")
    opens_on: dt.date
    closes_on: dt.date

    @staticmethod
    def resolve_level(obj):
        return obj.level.code if obj.level_id else None


class MovementOut(Schema):
    id: int
    code: str
    name: str
    description: str
    start_year: int
    end_year: int | None
    organizer: OrgRef


class MovementDetail(MovementOut):
    themes: list[ThemeOut]
    fields: list[FieldOut]
    levels: list[LevelOut]
    criteria: list[EmulationCriterionOut]
    labels: list[LabelOut]
    windows: list[WindowOut]

    @staticmethod
    def resolve_windows(obj):
        return obj.windows.select_related("level")


class MovementFilter(Schema):
    q: str | None = Field(None, max_length=100, description="Words of the name or code")
    year: int | None = Field(None, description="Only movements running in this year", **YEAR)
    organizer: int | None = Field(
        None, description="Only movements organized under this organization id"
    )


@router.get(
    "/movements",
    response=list[MovementOut],
    summary="List movements",
    description="Movements the user runs (organizer in their subtree) or takes part in "
    "(organized above one of their units).",
)
@paginate(Pagination)
def list_movements(request: HttpRequest, filters: Query[MovementFilter]):
    organizer = _org(request, filters.organizer, "organizer") if filters.organizer else None
    return queries.movement_list(request.user, q=filters.q, year=filters.year, organizer=organizer)


@router.get(
    "/movements/{movement_id}",
    response=MovementDetail,
    summary="A movement",
    description="With its yearly themes, fields of work, levels, criteria, labels and "
    "registration windows.",
)
def get_movement(request: HttpRequest, movement_id: int):
    return queries.get_movement(request.user, movement_id)


class MovementIn(Schema):
    organizer: int = Field(..., description="Organization id of the organizer")
    code: str = Field(..., min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=255)
    start_year: int = Field(..., **YEAR)
    end_year: int | None = Field(None, **YEAR)
    description: str = Field("", max_length=5000)
    completion: Literal["evaluated", "reported"] = Field(
        "evaluated",
        description="When a model counts as completed: once evaluated by the accepting level "
        "with progress at 100% (evaluated), or once its unit reports 100% (reported)",
    )


@router.post(
    "/movements",
    response={201: MovementDetail},
    summary="Create a movement",
    description="Needs `emulation.manage` on the organizer. Starts with the default fields of "
    "work and levels (commune, province, central; district too for movements starting before "
    "the districts ended on 30 June 2025).",
)
def create_movement(request: HttpRequest, payload: MovementIn):
    organizer = _org(request, payload.organizer, "organizer")
    movement = services.create_movement(
        actor=request.user,
        organizer=organizer,
        code=payload.code,
        name=payload.name,
        start_year=payload.start_year,
        end_year=payload.end_year,
        description=payload.description,
        completion=payload.completion,
    )
    return Status(201, queries.get_movement(request.user, movement.pk))


class ThemeIn(Schema):
    title: str = Field(..., min_length=1, max_length=300)


@router.put(
    "/movements/{movement_id}/themes/{year}",
    response=ThemeOut,
    summary="Set the theme of a year",
    description="Creates or replaces the movement's theme for the year.",
)
def set_theme(
    request: HttpRequest, response: HttpResponse, movement_id: int, year: int, payload: ThemeIn
):
    """With If-Match (the ETag of the last answer), refused with 412 when it changed since."""
    movement = queries.get_movement(request.user, movement_id)
    theme = services.set_theme(
        actor=request.user, movement=movement, year=year, title=payload.title,
        expected_version=versions.if_match(request),
    )  # fmt: skip
    versions.tag(response, theme, services.THEME_FIELDS)
    return theme


class CriterionIn(Schema):
    name: str = Field(..., min_length=1, max_length=300)
    weight: Decimal = Field(Decimal("1"), gt=0, max_digits=6, decimal_places=2)
    max_score: Decimal = Field(Decimal("10"), gt=0, max_digits=6, decimal_places=2)


@router.post(
    "/movements/{movement_id}/criteria",
    response={201: EmulationCriterionOut},
    summary="Add an evaluation criterion",
)
def add_criterion(request: HttpRequest, movement_id: int, payload: CriterionIn):
    movement = queries.get_movement(request.user, movement_id)
    criterion = services.add_criterion(
        actor=request.user,
        movement=movement,
        name=payload.name,
        weight=payload.weight,
        max_score=payload.max_score,
    )
    criterion.refresh_from_db()  # the numbers as stored: "20.00", not "20"
    return Status(201, criterion)


class LabelIn(Schema):
    name: str = Field(..., min_length=1, max_length=300)


@router.post(
    "/movements/{movement_id}/labels",
    response={201: LabelOut},
    summary="Add a label",
    description="A tag with its own roll-up on the dashboard; 409 if it exists.",
)
def add_label(request: HttpRequest, movement_id: int, payload: LabelIn):
    movement = queries.get_movement(request.user, movement_id)
    return Status(201, services.add_label(actor=request.user, movement=movement, name=payload.name))


class WindowIn(Schema):
    year: int = Field(..., **YEAR)
    opens_on: dt.date
    closes_on: dt.date
    level: str | None = Field(
        None, max_length=40, description="Level code; omit to open every level"
    )


@router.post(
    "/movements/{movement_id}/windows",
    response={201: WindowOut},
    summary="Open registration",
    description="Units may register models for the year (optionally one level) between the "
    "two dates, inclusive.",
)
def open_registration(request: HttpRequest, movement_id: int, payload: WindowIn):
    movement = queries.get_movement(request.user, movement_id)
    window = services.open_registration(
        actor=request.user,
        movement=movement,
        year=payload.year,
        opens_on=payload.opens_on,
        closes_on=payload.closes_on,
        level_code=payload.level,
    )
    return Status(201, window)


class CloseWindowIn(Schema):
    last_day: dt.date | None = Field(
        None, description="The last day registration is accepted; default yesterday"
    )


@router.post(
    "/movements/{movement_id}/windows/{window_id}/close",
    response=WindowOut,
    summary="Close registration early",
)
def close_registration(
    request: HttpRequest, movement_id: int, window_id: int, payload: CloseWindowIn
):
    movement = queries.get_movement(request.user, movement_id)
    window = movement.windows.select_related("level", "movement").filter(pk=window_id).first()
    if window is None:
        raise NotFound(_("Not found."))
    return services.close_registration(actor=request.user, window=window, last_day=payload.last_day)


# Dashboard -------------------------------------------------------------------------------


class LevelFigures(Schema):
    level: LevelOut
    models: int
    completed: int
    collectives: int
    individuals: int


class FieldFigures(Schema):
    code: str = Field(..., alias="field__code")
    name: str = Field(..., alias="field__name")
    models: int = Field(..., alias="n")
    completed: int = Field(..., alias="done")


class StateFigures(Schema):
    state: str
    label: str
    models: int = Field(..., alias="n")

    @staticmethod
    def resolve_label(obj):
        return str(obj["label"])


class UnitFigures(Schema):
    unit: OrgRef
    models: int
    completed: int
    percent_completed: float


class LabelFigures(Schema):
    label: str = Field(..., alias="labels__name")
    models: int = Field(..., alias="n")


class PreviousYear(Schema):
    year: int
    models: int
    completed: int


class EmulationDashboardOut(Schema):
    movement: MovementRef
    year: int
    unit: OrgRef | None
    as_of: dt.date | None
    models: int
    completed: int
    percent_completed: float | None
    collectives: int
    individuals: int
    by_level: list[LevelFigures]
    by_field: list[FieldFigures]
    by_state: list[StateFigures]
    by_unit: list[UnitFigures]
    commended: int = Field(..., description="Models with at least one commendation")
    commendations: int
    for_replication: int
    adoptions: int
    by_label: list[LabelFigures]
    previous: PreviousYear


class EmulationDashboardFilter(Schema):
    year: int = Field(..., **YEAR)
    unit: int | None = Field(None, description="Only this organization's subtree")
    as_of: dt.date | None = Field(None, description="Count completions up to this date")


@router.get(
    "/movements/{movement_id}/dashboard",
    response=EmulationDashboardOut,
    summary="Movement dashboard",
    description="The movement's figures for a year within what the user sees (optionally one "
    "unit's subtree): registrants counted once per level and once in total, models by level, "
    "field, state and unit, commendations, replication, labels, and the previous year.",
)
def dashboard(request: HttpRequest, movement_id: int, filters: Query[EmulationDashboardFilter]):
    movement = queries.get_movement(request.user, movement_id)
    unit = _org(request, filters.unit, "unit") if filters.unit else None
    return queries.dashboard(
        request.user, movement=movement, year=filters.year, unit=unit, as_of=filters.as_of
    )


# Models ----------------------------------------------------------------------------------


class ModelOut(Schema):
    id: int
    title: str
    movement: MovementRef
    year: int
    level: str = Field(..., alias="level.code")
    field: str = Field(..., alias="field.code")
    unit: OrgRef
    kind: str = Field(..., alias="registration.kind")
    person_name: str = Field(..., alias="registration.person_name")
    person_position: str = Field(..., alias="registration.person_position")
    state: ModelState
    start_date: dt.date | None
    end_date: dt.date | None
    score: Decimal | None = Field(..., description="Combined score, 0–100")
    recognized_level: str | None
    recognized_on: dt.date | None
    for_replication: bool

    @staticmethod
    def resolve_recognized_level(obj):
        return obj.recognized_level.code if obj.recognized_level_id else None


class GoalOut(Schema):
    description: str
    target: Decimal
    unit_of_measure: str
    achieved: Decimal


class EvidenceOut(Schema):
    id: int
    name: str = Field(..., alias="original_name")
    content_type: str
    size: int
    sha256: str
    url: str

    @staticmethod
    def resolve_url(obj):
        return reverse("api:emulation_evidence", kwargs={"evidence_id": obj.pk})


class ProgressOut(Schema):
    id: int
    reported_on: dt.date
    percent: int
    narrative: str
    evidence: list[EvidenceOut]


class ScoreSummary(Schema):
    criterion_id: int
    name: str
    weight: Decimal
    max_score: Decimal
    mean: float | None = Field(..., description="Mean over evaluators")
    evaluators: int


class CommendationOut(Schema):
    id: int
    form: str
    issuing_body: str
    decision_number: str
    decision_date: dt.date


class AdoptionOut(Schema):
    id: int
    model_id: int
    unit: OrgRef
    started_on: dt.date
    percent: int
    notes: str


class ModelDetail(ModelOut):
    target_group: str
    goals: str
    plan: str
    state_changed_on: dt.date | None
    abandon_reason: str
    labels: list[str]
    goal_rows: list[GoalOut]
    progress_reports: list[ProgressOut]
    scores: list[ScoreSummary]
    commendations: list[CommendationOut]
    adoptions: list[AdoptionOut] = Field(..., description="Where the model has spread")

    @staticmethod
    def resolve_labels(obj):
        return [label.name for label in obj.labels.all()]

    @staticmethod
    def resolve_progress_reports(obj):
        return obj.progress_reports.prefetch_related("evidence")

    @staticmethod
    def resolve_scores(obj):
        return queries.score_summary(obj)

    @staticmethod
    def resolve_adoptions(obj):
        return queries.spread(obj)


class ModelFilter(Schema):
    movement: int | None = Field(None, description="Movement id")
    year: int | None = Field(None, **YEAR)
    unit: int | None = Field(None, description="Only models of this organization's subtree")
    level: str | None = Field(None, max_length=40, description="Level code")
    field: str | None = Field(None, max_length=40, description="Field-of-work code")
    state: ModelState | None = None
    q: str | None = Field(None, max_length=100, description="Title; diacritics ignored")
    for_replication: bool | None = None


@router.get(
    "/models",
    response=list[ModelOut],
    summary="List models",
    description="Models of the units the user sees, newest year first.",
)
@paginate(Pagination)
def list_models(request: HttpRequest, filters: Query[ModelFilter]):
    movement = queries.get_movement(request.user, filters.movement) if filters.movement else None
    unit = _org(request, filters.unit, "unit") if filters.unit else None
    return queries.models(
        request.user,
        movement=movement,
        year=filters.year,
        unit=unit,
        level=filters.level,
        field=filters.field,
        state=filters.state,
        q=filters.q,
        for_replication=filters.for_replication,
    )


def _detail(request, model_id: int):
    return queries.get_model(request.user, model_id)


@router.get(
    "/models/{model_id}",
    response=ModelDetail,
    summary="A model",
    description="With goals, progress reports (evidence metadata and download links), the "
    "score per criterion, commendations and where it has spread.",
)
def get_model(request: HttpRequest, response: HttpResponse, model_id: int):
    model = _detail(request, model_id)
    versions.tag(response, model, services.MODEL_VERSIONED)
    return model


class RegisterIn(Schema):
    movement: int = Field(..., description="Movement id")
    year: int = Field(..., **YEAR)
    level: str = Field(..., max_length=40, description="Level code, e.g. commune")
    unit: int = Field(..., description="Organization id of the registering unit")
    title: str = Field(..., min_length=1, max_length=300)
    field: str = Field(..., max_length=40, description="Field-of-work code, e.g. economy")
    kind: RegistrantKind = RegistrantKind.COLLECTIVE
    person_name: str = Field("", max_length=200, description="For an individual registrant")
    person_position: str = Field("", max_length=200)
    target_group: str = Field("", max_length=300)
    goals: str = Field("", max_length=5000)
    plan: str = Field("", max_length=10000)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    labels: list[str] = Field(default_factory=list, max_length=50, description="Label names")


@router.post(
    "/models",
    response={201: ModelDetail},
    summary="Register a model",
    description="A collective (the unit) or an individual (a cadre of the unit) registers a "
    "model while registration for the year and level is open. Needs `emulation.register` on "
    "the unit.",
)
def register_model(request: HttpRequest, payload: RegisterIn):
    movement = queries.get_movement(request.user, payload.movement)
    unit = _org(request, payload.unit, "unit")
    model = services.register_model(
        actor=request.user,
        movement=movement,
        year=payload.year,
        level_code=payload.level,
        unit=unit,
        title=payload.title,
        field_code=payload.field,
        kind=payload.kind,
        person_name=payload.person_name,
        person_position=payload.person_position,
        target_group=payload.target_group,
        goals=payload.goals,
        plan=payload.plan,
        start_date=payload.start_date,
        end_date=payload.end_date,
        label_names=payload.labels,
    )
    return Status(201, _detail(request, model.pk))


class ModelPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=300)
    field: str | None = Field(None, max_length=40, description="Field-of-work code")
    target_group: str | None = Field(None, max_length=300)
    goals: str | None = Field(None, max_length=5000)
    plan: str | None = Field(None, max_length=10000)
    start_date: dt.date | None = None
    end_date: dt.date | None = None


@router.patch("/models/{model_id}", response=ModelDetail, summary="Change a model")
def update_model(request: HttpRequest, response: HttpResponse, model_id: int, payload: ModelPatch):
    """With If-Match (the ETag read), refused with 412 when the model changed meanwhile."""
    model = _detail(request, model_id)
    changes = payload.dict(exclude_unset=True)
    if "field" in changes:
        changes["field_code"] = changes.pop("field")
    if "title" in changes and changes["title"] is None:
        changes["title"] = ""
    if changes:
        services.update_model(
            actor=request.user, model=model, expected_version=versions.if_match(request), **changes
        )
    model = _detail(request, model_id)
    versions.tag(response, model, services.MODEL_VERSIONED)
    return model


class StateIn(Schema):
    state: ModelState
    reason: str = Field("", max_length=2000, description="Required to abandon")
    on: dt.date | None = Field(None, description="Default today")


@router.post(
    "/models/{model_id}/state",
    response=ModelDetail,
    summary="Change a model's state",
    description="registered → in_progress → completed, or abandoned (with a reason).",
)
def change_state(request: HttpRequest, model_id: int, payload: StateIn):
    model = _detail(request, model_id)
    services.change_state(
        actor=request.user, model=model, state=payload.state, reason=payload.reason, on=payload.on
    )
    return _detail(request, model_id)


class EmulationProgressIn(Schema):
    reported_on: dt.date
    percent: int = Field(..., ge=0, le=100)
    narrative: str = Field(..., min_length=1, max_length=5000)


@router.post(
    "/models/{model_id}/progress",
    response={201: ProgressOut},
    summary="Report progress, with evidence",
    description="multipart/form-data: `reported_on`, `percent`, `narrative`, and any number of "
    "`files` (PDF, JPEG, PNG, DOCX, XLSX; 10 MB each at most; the content must match the type).",
)
def report_progress(
    request: HttpRequest,
    model_id: int,
    payload: Form[EmulationProgressIn],
    files: File[list[UploadedFile]] = None,
):
    model = _detail(request, model_id)
    report = services.report_progress(
        actor=request.user,
        model=model,
        reported_on=payload.reported_on,
        percent=payload.percent,
        narrative=payload.narrative,
        files=files or [],
    )
    return Status(201, report)


class ScoresIn(Schema):
    scores: dict[int, Decimal] = Field(
        ..., description="Criterion id → score, from 0 to the criterion's maximum"
    )


@router.post(
    "/models/{model_id}/scores",
    response=ModelDetail,
    summary="Score a model",
    description="The evaluator's scores on some or all criteria; the combined score follows. "
    "Only the accepting level (`emulation.evaluate` on a unit of the model's level) scores.",
)
def score_model(request: HttpRequest, model_id: int, payload: ScoresIn):
    model = _detail(request, model_id)
    services.score_model(actor=request.user, model=model, scores=payload.scores)
    return _detail(request, model_id)


class RecognizeIn(Schema):
    level: str = Field(..., max_length=40, description="Level code")
    on: dt.date | None = Field(None, description="Default today")


@router.post(
    "/models/{model_id}/recognition",
    response=ModelDetail,
    summary="Recognize a model at a level",
)
def recognize_model(request: HttpRequest, model_id: int, payload: RecognizeIn):
    model = _detail(request, model_id)
    services.recognize_model(
        actor=request.user, model=model, level_code=payload.level, on=payload.on
    )
    return _detail(request, model_id)


class CommendIn(Schema):
    form: str = Field(..., min_length=1, max_length=200, description="e.g. Certificate of merit")
    issuing_body: str = Field(..., min_length=1, max_length=300)
    decision_number: str = Field(..., min_length=1, max_length=100)
    decision_date: dt.date


@router.post(
    "/models/{model_id}/commendations",
    response={201: CommendationOut},
    summary="Commend a model",
)
def commend_model(request: HttpRequest, model_id: int, payload: CommendIn):
    model = _detail(request, model_id)
    commendation = services.commend_model(actor=request.user, model=model, **payload.dict())
    return Status(201, commendation)


class ReplicationIn(Schema):
    replicate: bool = Field(True, description="false takes the mark off")


@router.post(
    "/models/{model_id}/replication",
    response=ModelDetail,
    summary="Mark a model for replication",
)
def mark_for_replication(request: HttpRequest, model_id: int, payload: ReplicationIn):
    model = _detail(request, model_id)
    services.mark_for_replication(actor=request.user, model=model, replicate=payload.replicate)
    return _detail(request, model_id)


class AdoptIn(Schema):
    unit: int = Field(..., description="Organization id of the adopting unit")
    started_on: dt.date
    notes: str = Field("", max_length=5000)


@router.post(
    "/models/{model_id}/adoptions",
    response={201: AdoptionOut},
    summary="Adopt a model",
    description="Another unit takes up a model marked for replication. Needs "
    "`emulation.register` on the adopting unit.",
)
def adopt_model(request: HttpRequest, model_id: int, payload: AdoptIn):
    model = _detail(request, model_id)
    unit = _org(request, payload.unit, "unit")
    adoption = services.adopt_model(
        actor=request.user,
        model=model,
        unit=unit,
        started_on=payload.started_on,
        notes=payload.notes,
    )
    return Status(201, adoption)


class AdoptionProgressIn(Schema):
    percent: int = Field(..., ge=0, le=100)
    notes: str | None = Field(None, max_length=5000)


@router.post(
    "/adoptions/{adoption_id}/progress",
    response=AdoptionOut,
    summary="Report an adoption's progress",
)
def report_adoption(request: HttpRequest, adoption_id: int, payload: AdoptionProgressIn):
    adoption = queries.get_adoption(request.user, adoption_id)
    return services.report_adoption(
        actor=request.user, adoption=adoption, percent=payload.percent, notes=payload.notes
    )


@router.get(
    "/evidence/{evidence_id}",
    url_name="emulation_evidence",
    summary="Download evidence",
    description="The file of a progress report, as an attachment under its original name, "
    "if the user may see the model.",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        }
    },
)
def download_evidence(request: HttpRequest, evidence_id: int):
    evidence = queries.get_evidence(request.user, evidence_id)
    try:
        return attachment(evidence)
    except FileNotFoundError as exc:
        raise NotFound(_("The file is missing.")) from exc


# Contests --------------------------------------------------------------------------------


class ContestOut(Schema):
    id: int
    code: str
    name: str
    kind: ContestKind
    year: int
    description: str
    organizer: OrgRef
    movement_id: int | None


class ContestCriterionOut(Schema):
    id: int
    name: str
    max_score: Decimal
    weight: Decimal


class RoundOut(Schema):
    id: int
    order: int
    name: str
    advance: int | None
    group_by: GroupBy
    held_on: dt.date | None
    closed: bool
    judges: list[str] = Field(..., description="Usernames of the round's judges")

    @staticmethod
    def resolve_judges(obj):
        return [judge.user.username for judge in obj.judges.select_related("user")]


class EmulationMemberOut(Schema):
    name: str
    role: str


class TeamOut(Schema):
    id: int
    name: str
    unit: OrgRef
    members: list[EmulationMemberOut]


class PrizeOut(Schema):
    id: int
    name: str
    team_id: int | None
    entry_id: int | None


class CoverageRuleOut(Schema):
    unit_type: str = Field(..., alias="unit_type.code")
    area_level: str
    minimum: int


class ContestDetail(ContestOut):
    criteria: list[ContestCriterionOut]
    rounds: list[RoundOut]
    teams: list[TeamOut]
    prizes: list[PrizeOut]
    coverage_rule: CoverageRuleOut | None

    @staticmethod
    def resolve_teams(obj):
        return obj.teams.select_related("unit").prefetch_related("members")

    @staticmethod
    def resolve_coverage_rule(obj):
        return getattr(obj, "coverage_rule", None)


class ContestFilter(Schema):
    year: int | None = Field(None, **YEAR)
    kind: ContestKind | None = None
    movement: int | None = Field(None, description="Movement id")
    q: str | None = Field(None, max_length=100, description="Words of the name or code")


@router.get(
    "/contests",
    response=list[ContestOut],
    summary="List contests",
    description="Contests the user runs, takes part in, or judges.",
)
@paginate(Pagination)
def list_contests(request: HttpRequest, filters: Query[ContestFilter]):
    movement = queries.get_movement(request.user, filters.movement) if filters.movement else None
    return queries.contests(
        request.user, year=filters.year, kind=filters.kind, movement=movement, q=filters.q
    )


@router.get(
    "/contests/{contest_id}",
    response=ContestDetail,
    summary="A contest",
    description="With criteria, rounds (and judges), teams, prizes and the coverage rule.",
)
def get_contest(request: HttpRequest, contest_id: int):
    return queries.get_contest(request.user, contest_id)


class ContestCriterionIn(Schema):
    name: str = Field(..., min_length=1, max_length=300)
    max_score: Decimal = Field(Decimal("10"), gt=0, max_digits=6, decimal_places=2)
    weight: Decimal = Field(Decimal("1"), gt=0, max_digits=6, decimal_places=2)


class RoundIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    advance: int | None = Field(
        None, ge=1, le=1000, description="Teams advancing per group; omit for the final"
    )
    group_by: GroupBy = GroupBy.NONE


class ContestIn(Schema):
    organizer: int = Field(..., description="Organization id of the organizer")
    code: str = Field(..., min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    name: str = Field(..., min_length=1, max_length=300)
    kind: ContestKind
    year: int = Field(..., **YEAR)
    movement: int | None = Field(None, description="Movement id, if the contest belongs to one")
    description: str = Field("", max_length=5000)
    criteria: list[ContestCriterionIn] = Field(default_factory=list, max_length=50)
    rounds: list[RoundIn] = Field(
        default_factory=list, max_length=20, description="In order: grassroots first, final last"
    )


@router.post(
    "/contests",
    response={201: ContestDetail},
    summary="Create a contest",
    description="With its criteria and rounds. Needs `emulation.manage` on the organizer.",
)
def create_contest(request: HttpRequest, payload: ContestIn):
    organizer = _org(request, payload.organizer, "organizer")
    movement = queries.get_movement(request.user, payload.movement) if payload.movement else None
    contest = contests.create_contest(
        actor=request.user,
        organizer=organizer,
        code=payload.code,
        name=payload.name,
        kind=payload.kind,
        year=payload.year,
        criteria=[c.dict() for c in payload.criteria],
        rounds=[r.dict() for r in payload.rounds],
        movement=movement,
        description=payload.description,
    )
    return Status(201, queries.get_contest(request.user, contest.pk))


def _contest(request, contest_id: int):
    return queries.get_contest(request.user, contest_id)


def _round(contest, round_id: int):
    found = contest.rounds.select_related("contest").filter(pk=round_id).first()
    if found is None:
        raise NotFound(_("Unknown round: %(id)s.") % {"id": round_id}, field="round")
    return found


class EmulationMemberIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    role: str = Field("", max_length=100)


class TeamIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    unit: int = Field(..., description="Organization id the team represents")
    members: list[EmulationMemberIn] = Field(default_factory=list, max_length=100)


@router.post(
    "/contests/{contest_id}/teams",
    response={201: TeamOut},
    summary="Enter a team",
    description="A team representing a unit, entered in the first round. Needs "
    "`emulation.register` on the unit.",
)
def add_team(request: HttpRequest, contest_id: int, payload: TeamIn):
    contest = _contest(request, contest_id)
    unit = _org(request, payload.unit, "unit")
    team = contests.add_team(
        actor=request.user,
        contest=contest,
        name=payload.name,
        unit=unit,
        members=[m.dict() for m in payload.members],
    )
    return Status(201, team)


class JudgeIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)


class JudgeOut(Schema):
    id: int
    round_id: int
    username: str = Field(..., alias="user.username")


@router.post(
    "/contests/{contest_id}/rounds/{round_id}/judges",
    response={201: JudgeOut},
    summary="Add a judge to a round",
)
def add_judge(request: HttpRequest, contest_id: int, round_id: int, payload: JudgeIn):
    round_ = _round(_contest(request, contest_id), round_id)
    judge = contests.add_judge(actor=request.user, round=round_, username=payload.username)
    return Status(201, judge)


class ParticipantOut(Schema):
    team: TeamOut
    total: Decimal | None
    rank: int | None
    advanced: bool


class TeamScoresIn(Schema):
    team: int = Field(..., description="Team id")
    scores: dict[int, Decimal] = Field(
        ..., description="Contest criterion id → score, from 0 to the criterion's maximum"
    )


@router.post(
    "/contests/{contest_id}/rounds/{round_id}/scores",
    response=ParticipantOut,
    summary="Score a team in a round",
    description="Only the round's judges score, while the round is open.",
)
def score_team(request: HttpRequest, contest_id: int, round_id: int, payload: TeamScoresIn):
    round_ = _round(_contest(request, contest_id), round_id)
    participant = (
        round_.participants.select_related("round__contest", "team__unit")
        .filter(team_id=payload.team)
        .first()
    )
    if participant is None:
        raise NotFound(_("This team does not take part in the round."), field="team")
    contests.score_team(actor=request.user, participant=participant, scores=payload.scores)
    return contests.ranking(round_).get(pk=participant.pk)


@router.post(
    "/contests/{contest_id}/rounds/{round_id}/close",
    response=list[ParticipantOut],
    summary="Close a round",
    description="Ranks the teams within each group, marks the best `advance` of each group "
    "as advanced and enters them in the next round. Returns the ranking.",
)
def close_round(request: HttpRequest, contest_id: int, round_id: int):
    round_ = _round(_contest(request, contest_id), round_id)
    contests.close_round(actor=request.user, round=round_)
    return contests.ranking(round_)


@router.get(
    "/contests/{contest_id}/rounds/{round_id}/ranking",
    response=list[ParticipantOut],
    summary="A round's ranking",
)
def ranking(request: HttpRequest, contest_id: int, round_id: int):
    return contests.ranking(_round(_contest(request, contest_id), round_id))


class PrizeIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    team: int | None = Field(None, description="Team id (or give entry)")
    entry: int | None = Field(None, description="Entry id (or give team)")


@router.post(
    "/contests/{contest_id}/prizes",
    response={201: PrizeOut},
    summary="Award a prize",
    description="To one team or one entry of the contest.",
)
def award_prize(request: HttpRequest, contest_id: int, payload: PrizeIn):
    contest = _contest(request, contest_id)
    team = entry = None
    if payload.team is not None:
        team = contest.teams.filter(pk=payload.team).first()
        if team is None:
            raise NotFound(_("Unknown team: %(id)s.") % {"id": payload.team}, field="team")
    if payload.entry is not None:
        entry = contest.entries.filter(pk=payload.entry).first()
        if entry is None:
            raise NotFound(_("Unknown entry: %(id)s.") % {"id": payload.entry}, field="entry")
    prize = contests.award_prize(
        actor=request.user, contest=contest, name=payload.name, team=team, entry=entry
    )
    return Status(201, prize)


class EmulationEntryOut(Schema):
    id: int
    unit: OrgRef
    title: str
    author: str
    outlet: str
    link: str
    submitted_on: dt.date


class EmulationEntryIn(Schema):
    unit: int = Field(..., description="Organization id of the sending unit")
    title: str = Field(..., min_length=1, max_length=300)
    author: str = Field(..., min_length=1, max_length=200)
    outlet: str = Field("", max_length=200)
    link: str = Field("", max_length=200, description="http:// or https:// address")
    submitted_on: dt.date | None = None


@router.get(
    "/contests/{contest_id}/entries",
    response=list[EmulationEntryOut],
    summary="List a contest's entries",
    description="The entries sent by units the user sees.",
)
@paginate(Pagination)
def list_entries(request: HttpRequest, contest_id: int):
    return queries.contest_entries(request.user, _contest(request, contest_id))


@router.post(
    "/contests/{contest_id}/entries",
    response={201: EmulationEntryOut},
    summary="Submit an entry",
    description="Needs `emulation.register` on the sending unit.",
)
def submit_entry(request: HttpRequest, contest_id: int, payload: EmulationEntryIn):
    contest = _contest(request, contest_id)
    unit = _org(request, payload.unit, "unit")
    entry = contests.submit_entry(
        actor=request.user,
        contest=contest,
        unit=unit,
        title=payload.title,
        author=payload.author,
        outlet=payload.outlet,
        link=payload.link,
        submitted_on=payload.submitted_on,
    )
    return Status(201, entry)


class CoverageRuleIn(Schema):
    unit_type: str = Field(..., max_length=40, description="Organization type code")
    area_level: AreaLevel | None = Field(None, description="Only units in areas of this level")
    minimum: int = Field(1, ge=1, le=1000, description="Entries per unit at least")


@router.put(
    "/contests/{contest_id}/coverage-rule",
    response=CoverageRuleOut,
    summary="Set the coverage rule",
    description="e.g. every district-level Party committee sends at least one entry.",
)
def set_coverage_rule(
    request: HttpRequest, response: HttpResponse, contest_id: int, payload: CoverageRuleIn
):
    """With If-Match (the ETag of the last answer), refused with 412 when it changed since."""
    contest = _contest(request, contest_id)
    rule = contests.set_coverage_rule(
        actor=request.user,
        contest=contest,
        unit_type_code=payload.unit_type,
        area_level=payload.area_level or "",
        minimum=payload.minimum,
        expected_version=versions.if_match(request),
    )
    versions.tag(response, rule, contests.COVERAGE_FIELDS)
    return rule


class CoverageRow(Schema):
    unit: OrgRef
    entries: int
    covered: bool


class CoverageOut(Schema):
    rule: CoverageRuleOut | None
    expected: int
    covered: int
    percent: float | None
    missing: list[OrgRef]
    rows: list[CoverageRow] = []


@router.get(
    "/contests/{contest_id}/coverage",
    response=CoverageOut,
    summary="Coverage of an entries contest",
    description="Which units the coverage rule expects, how many entries each sent, and which "
    "are missing. For those who see the organizer.",
)
def coverage(request: HttpRequest, contest_id: int):
    return queries.contest_coverage(request.user, _contest(request, contest_id))
