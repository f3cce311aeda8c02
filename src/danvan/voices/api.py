"""Citizens' voices over /api/v1/voices/: petitions, matters and their clocks, reception
sessions, dialogues, figures, the rule table, and public tracking by code.

Thin: parse → query or service → schema. Access is decided by `queries` (what the user sees:
anything else is 404) and `services`/`meetings` (what the user may change: 403).

A citizen's name, address and contact appear in one schema only, `CitizenIdentityOut`, served
by `GET /petitions/{id}/identity` (audited). Every other answer carries a count at most.

Body styles: transitions that may carry documents (`accept`, `not-accept`, `forward`,
`settling`, `extend`, `decide`, `withdraw`) take multipart/form-data with any number of
`files`; every other write takes a JSON object.
"""

import datetime as dt
from typing import Literal

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate
from ninja.throttling import AnonRateThrottle

from danvan.core.errors import NotFound
from danvan.core.pagination import Pagination
from danvan.core.schemas import AreaRef, Error, OrgRef
from danvan.core.uploads import attachment
from danvan.org import queries as org_queries

from . import meetings, queries, services
from .models import (
    Channel,
    ComplexityCriterion,
    Condition,
    DayCount,
    DeadlineRule,
    HeadRole,
    MatterDocument,
    MatterKind,
    MatterState,
    Result,
    Step,
    Topic,
)

router = Router(tags=["voices"])

TRACK_RATE = "20/h"
SLUG = r"^[-a-zA-Z0-9_]+$"
MULTIPART = (
    "multipart/form-data: the fields below, and any number of `files` (PDF, JPEG, PNG, DOCX, "
    "XLSX; 10 MB each at most; the content must match the type)."
)


# Shared pieces ---------------------------------------------------------------------------


class VoicesTopicOut(Schema):
    code: str
    name: str
    name_en: str


def _org(request, org_id: int, field: str):
    return org_queries.get_organization(request.user, org_id, field=field)


def _unit(request, org_id: int | None):
    return _org(request, org_id, "unit") if org_id is not None else None


def _matter(request, matter_id: int):
    return queries.get_matter(request.user, matter_id)


def _files(files) -> list:
    return list(files or [])


# Rules and topics ------------------------------------------------------------------------


class DeadlineRuleOut(Schema):
    id: int
    kind: MatterKind
    step: Step
    condition: Condition
    days: int
    day_count: DayCount
    max_extensions: int
    extension_days: int
    citation: str = Field(..., description="The legal basis")
    effective_from: dt.date
    effective_to: dt.date | None


class RuleFilter(Schema):
    kind: MatterKind | None = None
    in_force_on: dt.date | None = Field(None, description="Only the rules in force on this day")


@router.get(
    "/deadline-rules",
    response=list[DeadlineRuleOut],
    summary="List the legal time limits",
    description="The rule table the clocks are computed from (read-only here): per kind, step "
    "and condition, the days and whether they are working or calendar days, the extensions "
    "allowed, the citation and when each rule is in force. A case is judged by the rules in "
    "force when its clock started.",
)
def list_deadline_rules(request: HttpRequest, filters: Query[RuleFilter]):
    qs = DeadlineRule.objects.all()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.in_force_on:
        on = filters.in_force_on
        qs = qs.filter(effective_from__lte=on).exclude(effective_to__lt=on)
    return qs


@router.get("/topics", response=list[VoicesTopicOut], summary="List the topics")
def list_topics(request: HttpRequest):
    return Topic.objects.all()


# Petitions -------------------------------------------------------------------------------


class CitizenIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    address: str = Field("", max_length=300)
    contact: str = Field("", max_length=100)


class MatterIn(Schema):
    kind: MatterKind
    summary: str = Field(..., min_length=1, max_length=5000)
    complicated: bool = False
    remote_area: bool = False
    several_places: bool = Field(False, description="Checks are needed in several places")


class PetitionIn(Schema):
    unit: int = Field(..., description="Organization id of the receiving unit")
    channel: Channel
    received_on: dt.date
    area: int = Field(..., description="Area id of the place concerned")
    topic: str = Field(..., max_length=40, pattern=SLUG, description="Topic code")
    contents: str = Field(..., min_length=1, max_length=20000)
    citizens: list[CitizenIn] = Field(
        default_factory=list, max_length=500, description="Who filed it; none when anonymous"
    )
    matters: list[MatterIn] = Field(..., min_length=1, max_length=20)
    anonymous: bool = False
    first_complaint: int | None = Field(
        None, description="Matter id of the decided first complaint, for a second-time one"
    )


class MatterBrief(Schema):
    id: int
    kind: MatterKind
    state: MatterState
    summary: str
    due_on: dt.date | None


class PetitionOut(Schema):
    id: int
    tracking_code: str
    unit: OrgRef
    channel: Channel
    received_on: dt.date
    area: AreaRef
    topic: VoicesTopicOut
    anonymous: bool


class PetitionDetail(PetitionOut):
    contents: str
    citizens: int = Field(..., description="How many citizens filed it (never who)")
    matters: list[MatterBrief]
    reception_id: int | None
    dialogue_id: int | None
    created_at: dt.datetime

    @staticmethod
    def resolve_citizens(obj):
        return obj.citizens.count()

    @staticmethod
    def resolve_matters(obj):
        return obj.matters.order_by("pk")


class PetitionFilter(Schema):
    unit: int | None = Field(None, description="Only this organization's subtree")
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    topic: str | None = Field(None, max_length=40, description="Topic code")
    channel: Channel | None = None


@router.get(
    "/petitions",
    response=list[PetitionOut],
    summary="List petitions",
    description="Petitions received by units the user sees; neither who filed them nor what "
    "they say (see the detail).",
)
@paginate(Pagination)
def list_petitions(request: HttpRequest, filters: Query[PetitionFilter]):
    qs = queries.petitions(request.user, unit=_unit(request, filters.unit))
    if filters.received_from:
        qs = qs.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        qs = qs.filter(received_on__lte=filters.received_to)
    if filters.topic:
        qs = qs.filter(topic__code=filters.topic)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    return qs


@router.post(
    "/petitions",
    response={201: PetitionDetail},
    summary="Receive a petition",
    description="Records a received petition, its citizens (stored encrypted, never answered "
    "here) and its matters, whose clocks start on `received_on`. Answers the petition with its "
    "tracking code for the citizen. Needs `voices.intake` on the unit. An anonymous "
    "denunciation is recorded as not accepted (Law on Denunciations 2018, Art. 25).",
)
def receive_petition(request: HttpRequest, payload: PetitionIn):
    unit = _org(request, payload.unit, "unit")
    area = org_queries.get_area(request.user, payload.area, field="area")
    first = None
    if payload.first_complaint is not None:
        try:
            first = _matter(request, payload.first_complaint)
        except NotFound as exc:
            raise NotFound(_("Not found."), field="first_complaint") from exc
    petition = services.receive_petition(
        actor=request.user,
        unit=unit,
        channel=payload.channel,
        received_on=payload.received_on,
        area=area,
        topic_code=payload.topic,
        contents=payload.contents,
        citizens=[c.dict() for c in payload.citizens],
        matters=[m.dict() for m in payload.matters],
        anonymous=payload.anonymous,
        first_complaint=first,
    )
    return Status(201, queries.get_petition(request.user, petition.pk))


class SimilarFilter(Schema):
    text: str = Field(..., min_length=3, max_length=2000)
    area: int | None = Field(None, description="Area id")
    topic: str | None = Field(None, max_length=40, description="Topic code")


class SimilarOut(Schema):
    id: int
    tracking_code: str
    received_on: dt.date
    score: float = Field(..., description="Cosine similarity of the texts, 0 to 1")


@router.get(
    "/petitions/similar",
    response=list[SimilarOut],
    summary="Find similar petitions",
    description="Likely duplicates and related petitions among those the user sees, in the "
    "same area or on the same topic, best first.",
)
def similar_petitions(request: HttpRequest, filters: Query[SimilarFilter]):
    area = org_queries.get_area(request.user, filters.area, field="area") if filters.area else None
    found = queries.similar_petitions(
        request.user, text=filters.text, area=area, topic_code=filters.topic
    )
    return [
        {"id": p.pk, "tracking_code": p.tracking_code, "received_on": p.received_on, "score": s}
        for p, s in found
    ]


@router.get(
    "/petitions/{petition_id}",
    response=PetitionDetail,
    summary="A petition",
    description="With its contents and matters, and how many citizens filed it.",
)
def get_petition(request: HttpRequest, petition_id: int):
    return queries.get_petition(request.user, petition_id)


class CitizenIdentityOut(Schema):
    name: str
    address: str
    contact: str


@router.get(
    "/petitions/{petition_id}/identity",
    response=list[CitizenIdentityOut],
    summary="Who filed a petition",
    description="The citizens' names, addresses and contacts, for the case handler of the unit "
    "only (`voices.view_identity`; a denouncer needs `voices.view_denouncer`, granted by name). "
    "Every view is written to the audit log. Anyone else gets the same 404 as for an unknown "
    "petition. Empty for an anonymous petition.",
)
def reveal_identity(request: HttpRequest, petition_id: int):
    try:
        petition = queries.get_petition(request.user, petition_id)
        return queries.reveal_identity(request.user, petition)
    except NotFound as exc:
        raise NotFound(_("Not found.")) from exc


# Matters ---------------------------------------------------------------------------------


class MatterOut(Schema):
    id: int
    petition_id: int
    tracking_code: str = Field(..., alias="petition.tracking_code")
    kind: MatterKind
    state: MatterState
    summary: str
    unit: OrgRef
    topic: str = Field(..., alias="petition.topic.code")
    channel: Channel = Field(..., alias="petition.channel")
    received_on: dt.date = Field(..., alias="petition.received_on")
    handler: str | None = Field(None, description="Username of the officer handling it")
    complicated: bool
    especially_complicated: bool
    remote_area: bool
    several_places: bool
    due_on: dt.date | None = Field(..., description="The date the current step is due")
    intake_due_on: dt.date | None
    accepted_on: dt.date | None
    settle_due_on: dt.date | None
    extensions: int
    decision_number: str
    decision_date: dt.date | None
    result: str
    closed_on: dt.date | None
    forwarded_to_id: int | None
    first_complaint_id: int | None

    @staticmethod
    def resolve_handler(obj):
        return obj.handler.username if obj.handler_id else None


class VoicesDocumentOut(Schema):
    id: int
    name: str = Field(..., alias="original_name")
    content_type: str
    size: int
    sha256: str
    url: str

    @staticmethod
    def resolve_url(obj):
        return reverse("api:voices_document", kwargs={"document_id": obj.pk})


class EventOut(Schema):
    id: int
    step: str
    on: dt.date
    note: str
    actor: str | None
    created_at: dt.datetime
    documents: list[VoicesDocumentOut]

    @staticmethod
    def resolve_actor(obj):
        return obj.actor.username if obj.actor_id else None

    @staticmethod
    def resolve_documents(obj):
        return obj.documents.all()


class MatterDetail(MatterOut):
    not_accepted_reason: str
    complexity_grounds: list[str] = Field(
        ..., description="Codes of the complexity criteria recorded (GET /complexity-criteria)"
    )
    settlement_rule: str | None = Field(
        None, description="Legal basis of the settlement time limit applied"
    )
    timeline: list[EventOut]

    @staticmethod
    def resolve_complexity_grounds(obj):
        return sorted(c.code for c in obj.complexity_grounds.all())

    @staticmethod
    def resolve_settlement_rule(obj):
        return obj.settlement_rule.citation if obj.settlement_rule_id else None

    @staticmethod
    def resolve_timeline(obj):
        return obj.events.select_related("actor").prefetch_related("documents")


StateFilter = Literal[
    "open",
    "received",
    "classified",
    "accepted",
    "not_accepted",
    "forwarded",
    "settling",
    "decided",
    "withdrawn",
    "closed",
]


class MatterFilter(Schema):
    unit: int | None = Field(None, description="Only this organization's subtree")
    kind: MatterKind | None = None
    state: StateFilter | None = Field(None, description="A state, or `open` for all open ones")
    topic: str | None = Field(None, max_length=40, description="Topic code")
    channel: Channel | None = None
    q: str | None = Field(None, max_length=200, description="Words of the petition's contents")
    received_from: dt.date | None = None
    received_to: dt.date | None = None


@router.get(
    "/matters",
    response=list[MatterOut],
    summary="List matters",
    description="Complaints, denunciations and recommendations of the units the user sees, "
    "newest first, with their state and the date the current step is due.",
)
@paginate(Pagination)
def list_matters(request: HttpRequest, filters: Query[MatterFilter]):
    return queries.matters(
        request.user,
        unit=_unit(request, filters.unit),
        kind=filters.kind,
        state=filters.state,
        topic=filters.topic,
        channel=filters.channel,
        q=filters.q,
        received_from=filters.received_from,
        received_to=filters.received_to,
    )


@router.get(
    "/matters/{matter_id}",
    response=MatterDetail,
    summary="A matter",
    description="With its timeline: every step, its note, and its documents' metadata and "
    "download links.",
)
def get_matter(request: HttpRequest, matter_id: int):
    return _matter(request, matter_id)


def _done(request, matter_id: int):
    return _matter(request, matter_id)


class ClassifyIn(Schema):
    kind: MatterKind | None = Field(None, description="Correct the kind; omit to keep it")
    complicated: bool | None = None
    especially_complicated: bool | None = Field(
        None, description="A denunciation only (Law on Denunciations 2018, Art. 30)"
    )
    grounds: list[str] | None = Field(
        None,
        description="Codes of the complexity criteria that apply; required for a "
        "complicated denunciation",
    )
    remote_area: bool | None = None
    several_places: bool | None = None
    note: str = Field("", max_length=2000)
    on: dt.date | None = Field(None, description="Default today")


@router.post(
    "/matters/{matter_id}/classify",
    response=MatterDetail,
    summary="Classify a matter",
    description="JSON. Confirm or correct the kind and conditions; the intake time limit is "
    "recomputed with the rules in force on the day of receipt. Needs `voices.handle`.",
)
def classify_matter(request: HttpRequest, matter_id: int, payload: ClassifyIn):
    services.classify_matter(
        actor=request.user, matter=_matter(request, matter_id), **payload.dict()
    )
    return _done(request, matter_id)


class ComplexityIn(Schema):
    complicated: bool
    especially_complicated: bool = False
    grounds: list[str] = Field(default_factory=list)
    note: str = Field("", max_length=2000)
    on: dt.date | None = Field(None, description="Default today")


@router.post(
    "/matters/{matter_id}/complexity",
    response=MatterDetail,
    summary="Record a matter's complexity",
    description="JSON. While a matter is open: complicated or especially complicated (a "
    "denunciation, with the criteria that apply), or no longer so. Once accepted, the "
    "settlement time limit follows the rule for the new condition in force on the day of "
    "acceptance. Needs `voices.handle`.",
)
def set_complexity(request: HttpRequest, matter_id: int, payload: ComplexityIn):
    services.set_complexity(
        actor=request.user, matter=_matter(request, matter_id), **payload.dict()
    )
    return _done(request, matter_id)


class VoicesCriterionOut(Schema):
    kind: MatterKind
    level: str
    code: str
    text: str
    citation: str
    effective_from: dt.date
    effective_to: dt.date | None


@router.get(
    "/complexity-criteria",
    response=list[VoicesCriterionOut],
    summary="Complexity criteria",
    description="The criteria a complicated matter is judged by, each with its legal basis "
    "and the dates it is in force.",
)
def complexity_criteria(request: HttpRequest):
    return ComplexityCriterion.objects.all()


class OnIn(Schema):
    on: dt.date
    note: str = Field("", max_length=2000)


@router.post(
    "/matters/{matter_id}/accept",
    response=MatterDetail,
    summary="Accept a matter",
    description=f"{MULTIPART} The settlement clock starts on `on`.",
)
def accept_matter(
    request: HttpRequest,
    matter_id: int,
    payload: Form[OnIn],
    files: File[list[UploadedFile]] = None,
):
    services.accept_matter(
        actor=request.user,
        matter=_matter(request, matter_id),
        on=payload.on,
        note=payload.note,
        files=_files(files),
    )
    return _done(request, matter_id)


class NotAcceptIn(Schema):
    on: dt.date
    reason: str = Field(..., min_length=1, max_length=2000)


@router.post(
    "/matters/{matter_id}/not-accept",
    response=MatterDetail,
    summary="Refuse a matter",
    description=f"{MULTIPART} Not accepted, with the reason; the matter is closed.",
)
def not_accept_matter(
    request: HttpRequest,
    matter_id: int,
    payload: Form[NotAcceptIn],
    files: File[list[UploadedFile]] = None,
):
    services.not_accept_matter(
        actor=request.user,
        matter=_matter(request, matter_id),
        on=payload.on,
        reason=payload.reason,
        files=_files(files),
    )
    return _done(request, matter_id)


class ForwardIn(Schema):
    to: int = Field(..., description="Organization id of the competent body")
    on: dt.date
    note: str = Field("", max_length=2000)


@router.post(
    "/matters/{matter_id}/forward",
    response=MatterDetail,
    summary="Forward a matter",
    description=f"{MULTIPART} To the competent body (an organization the user sees).",
)
def forward_matter(
    request: HttpRequest,
    matter_id: int,
    payload: Form[ForwardIn],
    files: File[list[UploadedFile]] = None,
):
    matter = _matter(request, matter_id)
    to = _org(request, payload.to, "to")
    services.forward_matter(
        actor=request.user,
        matter=matter,
        to=to,
        on=payload.on,
        note=payload.note,
        files=_files(files),
    )
    return _done(request, matter_id)


@router.post(
    "/matters/{matter_id}/settling",
    response=MatterDetail,
    summary="Record a settlement step",
    description=f"{MULTIPART} Verification, meetings: the matter is being settled.",
)
def start_settling(
    request: HttpRequest,
    matter_id: int,
    payload: Form[OnIn],
    files: File[list[UploadedFile]] = None,
):
    services.start_settling(
        actor=request.user,
        matter=_matter(request, matter_id),
        on=payload.on,
        note=payload.note,
        files=_files(files),
    )
    return _done(request, matter_id)


class ExtendIn(Schema):
    on: dt.date
    decision_number: str = Field(..., min_length=1, max_length=100)
    note: str = Field("", max_length=2000)


@router.post(
    "/matters/{matter_id}/extend",
    response=MatterDetail,
    summary="Extend the settlement time",
    description=f"{MULTIPART} By decision, within the maximum the rule allows.",
)
def extend_matter(
    request: HttpRequest,
    matter_id: int,
    payload: Form[ExtendIn],
    files: File[list[UploadedFile]] = None,
):
    services.extend_matter(
        actor=request.user,
        matter=_matter(request, matter_id),
        on=payload.on,
        decision_number=payload.decision_number,
        note=payload.note,
        files=_files(files),
    )
    return _done(request, matter_id)


class DecideIn(Schema):
    decision_number: str = Field(..., min_length=1, max_length=100)
    decision_date: dt.date
    result: Result = Field(..., description="answered for a recommendation; else upheld, ...")
    note: str = Field("", max_length=2000)


@router.post(
    "/matters/{matter_id}/decide",
    response=MatterDetail,
    summary="Decide a matter",
    description=f"{MULTIPART} The decision or answer, after acceptance.",
)
def decide_matter(
    request: HttpRequest,
    matter_id: int,
    payload: Form[DecideIn],
    files: File[list[UploadedFile]] = None,
):
    services.decide_matter(
        actor=request.user,
        matter=_matter(request, matter_id),
        decision_number=payload.decision_number,
        decision_date=payload.decision_date,
        result=payload.result,
        note=payload.note,
        files=_files(files),
    )
    return _done(request, matter_id)


@router.post(
    "/matters/{matter_id}/close",
    response=MatterDetail,
    summary="Close a decided matter",
    description="JSON.",
)
def close_matter(request: HttpRequest, matter_id: int, payload: OnIn):
    services.close_matter(
        actor=request.user, matter=_matter(request, matter_id), on=payload.on, note=payload.note
    )
    return _done(request, matter_id)


@router.post(
    "/matters/{matter_id}/withdraw",
    response=MatterDetail,
    summary="Record a complaint's withdrawal",
    description=f"{MULTIPART} Only a complaint, while open.",
)
def withdraw_matter(
    request: HttpRequest,
    matter_id: int,
    payload: Form[OnIn],
    files: File[list[UploadedFile]] = None,
):
    services.withdraw_matter(
        actor=request.user,
        matter=_matter(request, matter_id),
        on=payload.on,
        note=payload.note,
        files=_files(files),
    )
    return _done(request, matter_id)


class AssignIn(Schema):
    handler: str | None = Field(
        ..., max_length=150, description="Username of the officer; null takes the matter off"
    )


@router.post(
    "/matters/{matter_id}/assign",
    response=MatterDetail,
    summary="Assign a matter's handler",
    description="JSON. The officer must be able to handle matters of the unit.",
)
def assign_handler(request: HttpRequest, matter_id: int, payload: AssignIn):
    matter = _matter(request, matter_id)
    handler = None
    if payload.handler is not None:
        handler = get_user_model().objects.filter(username=payload.handler, is_active=True).first()
        if handler is None:
            raise services.VoicesError(
                _("This person cannot handle matters of this unit."), field="handler"
            )
    services.assign_handler(actor=request.user, matter=matter, handler=handler)
    return _done(request, matter_id)


@router.get(
    "/documents/{document_id}",
    url_name="voices_document",
    summary="Download a matter's document",
    description="As an attachment under its original name, if the user may see the matter.",
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
def download_document(request: HttpRequest, document_id: int):
    document = (
        MatterDocument.objects.filter(
            pk=document_id, event__matter__in=queries.matters(request.user).values("pk")
        )
        .select_related("event")
        .first()
    )
    if document is None:
        raise NotFound(_("Not found."))
    try:
        return attachment(document)
    except FileNotFoundError as exc:
        raise NotFound(_("The file is missing.")) from exc


class WorklistOut(Schema):
    today: dt.date
    open: int = Field(..., description="Open matters in the subtree")
    overdue: list[MatterOut]
    due_soon: list[MatterOut] = Field(..., description="Due within three days")


@router.get(
    "/worklist",
    response=WorklistOut,
    summary="The worklist",
    description="Open matters of the subtree that are overdue, or due within three days.",
)
def worklist(request: HttpRequest, unit: int | None = None):
    return queries.worklist(request.user, unit=_unit(request, unit))


# Reception sessions and dialogues --------------------------------------------------------


class ReceptionIn(Schema):
    unit: int = Field(..., description="Organization id")
    head_role: HeadRole
    head_name: str = Field(..., min_length=1, max_length=200)
    held_on: dt.date
    head_present: bool = True
    delegate: str = Field("", max_length=200, description="Required when the head was absent")
    citizens_received: int = Field(0, ge=0, le=100000)
    notes: str = Field("", max_length=5000)


class ReceptionOut(Schema):
    id: int
    unit: OrgRef
    head_role: HeadRole
    head_name: str
    held_on: dt.date
    head_present: bool
    delegate: str
    citizens_received: int
    notes: str


class PeriodFilter(Schema):
    unit: int | None = Field(None, description="Only this organization's subtree")
    held_from: dt.date | None = None
    held_to: dt.date | None = None


def _held(qs, filters: PeriodFilter):
    if filters.held_from:
        qs = qs.filter(held_on__gte=filters.held_from)
    if filters.held_to:
        qs = qs.filter(held_on__lte=filters.held_to)
    return qs


@router.get("/receptions", response=list[ReceptionOut], summary="List reception sessions")
@paginate(Pagination)
def list_receptions(request: HttpRequest, filters: Query[PeriodFilter]):
    qs = queries.reception_sessions(request.user, unit=_unit(request, filters.unit))
    return _held(qs, filters).order_by("-held_on", "-pk")


@router.post(
    "/receptions",
    response={201: ReceptionOut},
    summary="Record a reception session",
    description="A citizen-reception day held by a head, or by a delegate when the head was "
    "absent. Needs `voices.intake` on the unit.",
)
def record_reception(request: HttpRequest, payload: ReceptionIn):
    unit = _org(request, payload.unit, "unit")
    data = payload.dict(exclude={"unit"})
    return Status(201, meetings.record_reception(actor=request.user, unit=unit, **data))


class CommitmentOut(Schema):
    id: int
    dialogue_id: int
    content: str
    owner: OrgRef
    due_on: dt.date
    answered_on: dt.date | None
    answer: str


class DialogueIn(Schema):
    unit: int = Field(..., description="Organization id")
    title: str = Field(..., min_length=1, max_length=300)
    held_on: dt.date
    heads: str = Field(..., min_length=1, max_length=300, description="Heads taking part")
    participants: int = Field(0, ge=0, le=1000000, description="Citizens taking part")
    topics: list[str] = Field(default_factory=list, max_length=50, description="Topic codes")
    notes: str = Field("", max_length=5000)


class DialogueOut(Schema):
    id: int
    unit: OrgRef
    title: str
    held_on: dt.date
    heads: str
    participants: int
    topics: list[str]
    notes: str

    @staticmethod
    def resolve_topics(obj):
        return [t.code for t in obj.topics.all()]


class DialogueDetail(DialogueOut):
    commitments: list[CommitmentOut]

    @staticmethod
    def resolve_commitments(obj):
        return obj.commitments.select_related("owner")


def _dialogue(request, dialogue_id: int):
    found = queries.dialogues(request.user).filter(pk=dialogue_id).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


@router.get("/dialogues", response=list[DialogueOut], summary="List dialogues")
@paginate(Pagination)
def list_dialogues(request: HttpRequest, filters: Query[PeriodFilter]):
    qs = queries.dialogues(request.user, unit=_unit(request, filters.unit))
    return _held(qs, filters).prefetch_related("topics").order_by("-held_on", "-pk")


@router.post(
    "/dialogues",
    response={201: DialogueDetail},
    summary="Record a dialogue",
    description="A direct dialogue between heads and citizens. Needs `voices.intake`.",
)
def record_dialogue(request: HttpRequest, payload: DialogueIn):
    unit = _org(request, payload.unit, "unit")
    dialogue = meetings.record_dialogue(
        actor=request.user,
        unit=unit,
        title=payload.title,
        held_on=payload.held_on,
        heads=payload.heads,
        participants=payload.participants,
        topic_codes=payload.topics,
        notes=payload.notes,
    )
    return Status(201, _dialogue(request, dialogue.pk))


@router.get(
    "/dialogues/{dialogue_id}",
    response=DialogueDetail,
    summary="A dialogue",
    description="With the commitments made in it.",
)
def get_dialogue(request: HttpRequest, dialogue_id: int):
    return _dialogue(request, dialogue_id)


class CommitmentIn(Schema):
    content: str = Field(..., min_length=1, max_length=2000)
    owner: int = Field(..., description="Organization id of the unit that owns it")
    due_on: dt.date


@router.post(
    "/dialogues/{dialogue_id}/commitments",
    response={201: CommitmentOut},
    summary="Add a commitment",
    description="What the heads committed to in the dialogue, its owner and due date.",
)
def add_commitment(request: HttpRequest, dialogue_id: int, payload: CommitmentIn):
    dialogue = _dialogue(request, dialogue_id)
    owner = _org(request, payload.owner, "owner")
    commitment = meetings.add_commitment(
        actor=request.user,
        dialogue=dialogue,
        content=payload.content,
        owner=owner,
        due_on=payload.due_on,
    )
    return Status(201, commitment)


class AnswerIn(Schema):
    answered_on: dt.date
    answer: str = Field(..., min_length=1, max_length=5000)


@router.post(
    "/commitments/{commitment_id}/answer",
    response=CommitmentOut,
    summary="Answer a commitment",
    description="Needs `voices.intake` on the owning unit.",
)
def answer_commitment(request: HttpRequest, commitment_id: int, payload: AnswerIn):
    commitment = queries.commitments(request.user).filter(pk=commitment_id).first()
    if commitment is None:
        raise NotFound(_("Not found."))
    return meetings.answer_commitment(
        actor=request.user,
        commitment=commitment,
        answered_on=payload.answered_on,
        answer=payload.answer,
    )


class ComplianceRow(Schema):
    unit: str
    head_role: str
    head_name: str
    required: int | None = Field(..., description="Days the rules in force require")
    held: int
    in_person: int
    met: bool
    citation: str

    @staticmethod
    def resolve_head_role(obj):
        return str(obj["head_role"])


class RangeFilter(Schema):
    unit: int | None = Field(None, description="Only this organization's subtree")
    start: dt.date
    end: dt.date


def _range(filters: RangeFilter):
    if filters.end < filters.start:
        raise services.VoicesError(_("The end comes before the start."), field="end")


@router.get(
    "/reception-compliance",
    response=list[ComplianceRow],
    summary="Reception compliance",
    description="Per head: reception days the rules require over the period, days held (in "
    "person or by delegation), and whether the head met the requirement in person.",
)
def reception_compliance(request: HttpRequest, filters: Query[RangeFilter]):
    _range(filters)
    return queries.reception_compliance(
        request.user, unit=_unit(request, filters.unit), start=filters.start, end=filters.end
    )


# Figures ---------------------------------------------------------------------------------


class CountBy(Schema):
    key: str
    n: int


class TopicCount(Schema):
    code: str = Field(..., alias="petition__topic__code")
    name: str = Field(..., alias="petition__topic__name")
    name_en: str = Field(..., alias="petition__topic__name_en")
    n: int


class VoicesDashboardOut(Schema):
    unit: OrgRef | None
    start: dt.date
    end: dt.date
    received: int
    accepted: int
    decided: int
    on_time: int
    late: int
    overdue_now: int
    by_kind: list[CountBy]
    by_channel: list[CountBy]
    by_topic: list[TopicCount]
    by_state: list[CountBy]
    reception: list[ComplianceRow]
    commitments_open: int
    commitments_overdue: int

    @staticmethod
    def resolve_by_kind(obj):
        return [{"key": r["kind"], "n": r["n"]} for r in obj["by_kind"]]

    @staticmethod
    def resolve_by_channel(obj):
        return [{"key": r["petition__channel"], "n": r["n"]} for r in obj["by_channel"]]

    @staticmethod
    def resolve_by_state(obj):
        return [{"key": r["state"], "n": r["n"]} for r in obj["by_state"]]


@router.get(
    "/dashboard",
    response=VoicesDashboardOut,
    summary="Figures of a period",
    description="Matters received in the period by kind, channel, topic and state; accepted, "
    "decided on time and late; overdue now; reception compliance; open and overdue dialogue "
    "commitments. Counts only, never people.",
)
def dashboard(request: HttpRequest, filters: Query[RangeFilter]):
    _range(filters)
    return queries.dashboard(
        request.user, unit=_unit(request, filters.unit), start=filters.start, end=filters.end
    )


class VoicesHotSpotOut(Schema):
    area_id: int
    area: str = Field(..., alias="area__name")
    topic_id: int
    topic: str = Field(..., alias="topic__name")
    topic_en: str = Field(..., alias="topic__name_en")
    now: int = Field(..., description="Petitions in the last `months`")
    before: int = Field(..., description="Petitions in the `months` before")
    rise: int


class HotSpotFilter(Schema):
    unit: int | None = Field(None, description="Only this organization's subtree")
    months: int = Field(3, ge=1, le=24)


@router.get(
    "/hot-spots",
    response=list[VoicesHotSpotOut],
    summary="Hot spots",
    description="Area × topic groups whose petitions rose in the last months against the "
    "months before (at least three now). Groups of cases, never of people.",
)
def hot_spots(request: HttpRequest, filters: Query[HotSpotFilter]):
    return queries.hot_spots(request.user, unit=_unit(request, filters.unit), months=filters.months)


# Public tracking -------------------------------------------------------------------------


class TrackedMatter(Schema):
    kind: str
    state: str
    due_on: dt.date | None
    closed_on: dt.date | None
    overdue: bool = Field(description="The due date has passed and the matter is not closed")


class TrackOut(Schema):
    code: str
    received_on: dt.date
    office: str = Field(description="The office that received the petition")
    office_contact: str = Field(description="How citizens reach that office (public)")
    matters: list[TrackedMatter]


@router.get(
    "/track/{code}",
    response={200: TrackOut, 429: Error},
    auth=None,
    throttle=[AnonRateThrottle(TRACK_RATE)],
    summary="Follow a petition by its tracking code",
    description="No sign-in. The states and due dates of the petition's matters and the "
    "receiving office's public contact, nothing else. "
    f"404 for an unknown code; at most {TRACK_RATE.replace('/h', ' requests an hour')} per "
    "address, then 429.",
    # An empty requirement: anyone may call it.
    openapi_extra={"security": [{}]},
)
def track(request: HttpRequest, code: str):
    found = queries.track(code)
    if found is None:
        raise NotFound(_("Not found."))
    return found
