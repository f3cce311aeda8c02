"""Models: registration, changes, progress, evaluation, recognition, replication, adoption."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Schema, Status, UploadedFile
from ninja.pagination import paginate

from danvan.core import versions
from danvan.core.errors import NotFound
from danvan.core.pagination import Pagination
from danvan.core.schemas import OrgRef
from danvan.core.uploads import attachment

from .. import queries, services
from ..models import ModelState, RegistrantKind
from .common import YEAR, MovementRef, _org, router

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
    operation_id="danvan_emulation_api_list_models",
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
    operation_id="danvan_emulation_api_get_model",
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
    operation_id="danvan_emulation_api_register_model",
)
def register_model(request: HttpRequest, payload: RegisterIn):
    movement = queries.get_movement(request.user, payload.movement)
    unit = _org(request, payload.unit, "unit")
    model = services.register_model(
        actor=request.user,
        movement=movement,
        data=services.RegistrationIn(
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
        ),
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


@router.patch(
    "/models/{model_id}",
    response=ModelDetail,
    summary="Change a model",
    operation_id="danvan_emulation_api_update_model",
)
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
    operation_id="danvan_emulation_api_change_state",
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
    operation_id="danvan_emulation_api_report_progress",
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
    operation_id="danvan_emulation_api_score_model",
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
    operation_id="danvan_emulation_api_recognize_model",
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
    operation_id="danvan_emulation_api_commend_model",
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
    operation_id="danvan_emulation_api_mark_for_replication",
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
    operation_id="danvan_emulation_api_adopt_model",
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
    operation_id="danvan_emulation_api_report_adoption",
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
    operation_id="danvan_emulation_api_download_evidence",
)
def download_evidence(request: HttpRequest, evidence_id: int):
    evidence = queries.get_evidence(request.user, evidence_id)
    try:
        return attachment(evidence)
    except FileNotFoundError as exc:
        raise NotFound(_("The file is missing.")) from exc
