"""Grassroots democracy over /api/v1/democracy/: disclosures, households and consultations,
supervision and its recommendations, satisfaction ratings, the rules and the dashboard.

Thin: parse → query or service → schema. What the user may see is decided by `queries`
(anything else is 404), what they may change by `services` (403). A household's
representative and a board member's name are never in an answer.
"""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from danvan.accounts.scope import require
from danvan.core.collation import Vietnamese
from danvan.core.errors import NotFound
from danvan.core.pagination import Pagination
from danvan.core.schemas import OrgRef
from danvan.org import queries as org_queries

from . import queries, services
from .models import (
    ActivityKind,
    BodyKind,
    ConsultationForm,
    ConsultationState,
    DisclosureForm,
    DisclosureStatus,
    MatterMode,
    VoteChoice,
)

router = Router(tags=["democracy"])

DATE = {"ge": dt.date(1990, 1, 1), "le": dt.date(2100, 12, 31)}


def _org(request, org_id: int, field: str):
    return org_queries.get_organization(request.user, org_id, field=field)


# Rules ------------------------------------------------------------------------------------


class DisclosureRuleOut(Schema):
    id: int
    category: str | None = Field(None, description="Category code; null = the general rule")
    publish_within: int
    day_count: str
    min_posting_days: int | None
    citation: str
    effective_from: dt.date
    effective_to: dt.date | None

    @staticmethod
    def resolve_category(obj):
        return obj.category.code if obj.category_id else None


class ThresholdRuleOut(Schema):
    id: int
    matter_type: str
    percent: Decimal
    strict: bool = Field(..., description="true: more than the percent; false: at least")
    citation: str
    effective_from: dt.date
    effective_to: dt.date | None

    @staticmethod
    def resolve_matter_type(obj):
        return obj.matter_type.code


class CodeName(Schema):
    code: str
    name: str
    name_en: str


class MatterTypeOut(CodeName):
    mode: str


class RulesOut(Schema):
    categories: list[CodeName]
    matter_types: list[MatterTypeOut]
    disclosure_rules: list[DisclosureRuleOut]
    threshold_rules: list[ThresholdRuleOut]


@router.get(
    "/rules",
    response=RulesOut,
    summary="Categories, matter types and the rules as loaded",
    description="Publication time limits per disclosure category and vote thresholds per "
    "matter type, each with its citation and the dates it is in force.",
)
def get_rules(request: HttpRequest):
    tables = queries.rule_tables()
    return {
        "categories": tables["categories"],
        "matter_types": tables["matter_types"],
        "disclosure_rules": tables["disclosure"],
        "threshold_rules": tables["threshold"],
    }


class ThresholdRuleIn(Schema):
    matter_type: str = Field(..., max_length=40)
    percent: Decimal = Field(..., max_digits=12, decimal_places=6)
    strict: bool = False
    citation: str = Field(..., min_length=1, max_length=300)
    effective_from: dt.date = Field(..., **DATE)


@router.post(
    "/rules/thresholds",
    response={201: ThresholdRuleOut},
    summary="Add a threshold rule",
    description="Administrators only. From its date on, new matters of the type use it; "
    "matters opened before keep theirs. The percent must lie between 0 and 100.",
)
def add_threshold_rule(request: HttpRequest, payload: ThresholdRuleIn):
    rule = services.add_threshold_rule(
        actor=request.user,
        matter_type_code=payload.matter_type,
        percent=payload.percent,
        strict=payload.strict,
        citation=payload.citation,
        effective_from=payload.effective_from,
    )
    return Status(201, rule)


# Disclosures ------------------------------------------------------------------------------


class DemocracyDocumentOut(Schema):
    id: int
    original_name: str
    size: int


class DisclosureOut(Schema):
    id: int
    unit: OrgRef
    category: str
    title: str
    decision_number: str
    decision_date: dt.date
    due_on: dt.date | None
    published_on: dt.date | None
    forms: list[str]
    posted_until: dt.date | None
    min_posting_days: int | None
    status: str = Field(..., description="on_time, late, missing or pending")
    rule_citation: str

    @staticmethod
    def resolve_category(obj):
        return obj.category.code

    @staticmethod
    def resolve_status(obj):
        return obj.status()

    @staticmethod
    def resolve_rule_citation(obj):
        return obj.rule.citation if obj.rule_id else ""


class DisclosureDetail(DisclosureOut):
    content: str
    documents: list[DemocracyDocumentOut]

    @staticmethod
    def resolve_documents(obj):
        return list(obj.documents.all())


class DisclosureFilter(Schema):
    unit: int | None = Field(None, description="Only under this organization id")
    start: dt.date | None = Field(None, description="Decided on or after", **DATE)
    end: dt.date | None = Field(None, description="Decided on or before", **DATE)
    status: DisclosureStatus | None = None
    category: str | None = Field(None, max_length=40)


@router.get("/disclosures", response=list[DisclosureOut], summary="List disclosures")
@paginate(Pagination)
def list_disclosures(request: HttpRequest, filters: Query[DisclosureFilter]):
    unit = _org(request, filters.unit, "unit") if filters.unit else None
    return queries.disclosures(
        request.user, unit=unit, start=filters.start, end=filters.end,
        status=filters.status, category=filters.category,
    ).order_by("-decision_date", "-pk")  # fmt: skip


@router.get("/disclosures/{disclosure_id}", response=DisclosureDetail, summary="A disclosure")
def get_disclosure(request: HttpRequest, disclosure_id: int):
    return queries.get_disclosure(request.user, disclosure_id)


class DisclosureIn(Schema):
    unit: int
    category: str = Field(..., max_length=40)
    title: str = Field(..., min_length=1, max_length=300)
    content: str = Field("", max_length=20000)
    decision_number: str = Field("", max_length=100)
    decision_date: dt.date = Field(..., **DATE)
    published_on: dt.date | None = Field(None, **DATE)
    forms: list[DisclosureForm] = Field(default_factory=list, max_length=4)
    posted_until: dt.date | None = Field(None, **DATE)


@router.post(
    "/disclosures",
    response={201: DisclosureDetail},
    summary="Record an item to publicize",
    description="Needs `democracy.manage` on the unit. The due date comes from the rule in "
    "force on the decision date (the category's own, else the general one).",
)
def create_disclosure(request: HttpRequest, payload: DisclosureIn):
    unit = _org(request, payload.unit, "unit")
    disclosure = services.create_disclosure(
        actor=request.user, unit=unit, category_code=payload.category, title=payload.title,
        content=payload.content, decision_number=payload.decision_number,
        decision_date=payload.decision_date, published_on=payload.published_on,
        forms=[str(f) for f in payload.forms], posted_until=payload.posted_until,
    )  # fmt: skip
    return Status(201, queries.get_disclosure(request.user, disclosure.pk))


class PublishIn(Schema):
    published_on: dt.date = Field(..., **DATE)
    forms: list[DisclosureForm] = Field(..., min_length=1, max_length=4)
    posted_until: dt.date | None = Field(None, **DATE)


@router.post(
    "/disclosures/{disclosure_id}/publication",
    response=DisclosureDetail,
    summary="Record the publication",
    description="When and how the item was publicized, and until when it stays posted.",
)
def publish_disclosure(request: HttpRequest, disclosure_id: int, payload: PublishIn):
    disclosure = queries.get_disclosure(request.user, disclosure_id)
    services.publish_disclosure(
        actor=request.user, disclosure=disclosure, published_on=payload.published_on,
        forms=[str(f) for f in payload.forms], posted_until=payload.posted_until,
    )  # fmt: skip
    return queries.get_disclosure(request.user, disclosure_id)


# Households and consultations --------------------------------------------------------------


class DemocracyHouseholdOut(Schema):
    id: int
    code: str
    is_active: bool


@router.get(
    "/communities/{community_id}/households",
    response=list[DemocracyHouseholdOut],
    summary="A community's registered households",
    description="Household codes only: representatives' names are not given out.",
)
@paginate(Pagination)
def list_households(request: HttpRequest, community_id: int):
    community = queries.get_community(request.user, community_id)
    return queries.households(request.user, community)


class DemocracyHouseholdIn(Schema):
    code: str = Field(..., min_length=1, max_length=40)
    representative: str = Field("", max_length=200, description="Kept for officers only")


@router.post(
    "/communities/{community_id}/households",
    response={201: DemocracyHouseholdOut},
    summary="Register a household",
    description="Needs `democracy.manage` on the community (a hamlet or residential group).",
)
def register_household(request: HttpRequest, community_id: int, payload: DemocracyHouseholdIn):
    community = queries.get_community(request.user, community_id)
    household = services.register_household(
        actor=request.user, community=community, code=payload.code,
        representative=payload.representative,
    )  # fmt: skip
    return Status(201, household)


class ImportRowOut(Schema):
    row: int
    code: str
    errors: list[str]


class ImportOut(Schema):
    ok: bool
    created: int
    rows: int
    errors: list[ImportRowOut]


class ImportIn(Schema):
    commit: bool = Field(False, description="false: check every row only; true: import")


@router.post(
    "/communities/{community_id}/households/import",
    response=ImportOut,
    summary="Import households from a sheet",
    description="multipart/form-data: `file` (.xlsx or .csv with a column “Mã hộ”, optionally "
    "“Đại diện”) and `commit`. Every row is checked; with `commit` all rows are written or "
    "none. The answer lists each bad row (never a representative's name).",
)
def import_households(
    request: HttpRequest,
    community_id: int,
    payload: Form[ImportIn],
    file: File[UploadedFile],
):
    community = queries.get_community(request.user, community_id)
    content = file.read()
    if payload.commit:
        result = services.import_households(
            actor=request.user, community=community, file_name=file.name or "", content=content
        )
    else:
        require(request.user, "democracy.manage", community)
        result = services.read_households(community, file.name or "", content)
    return {
        "ok": result.ok,
        "created": result.created,
        "rows": len(result.rows),
        "errors": [
            {"row": r.row, "code": r.code, "errors": [str(e) for e in r.errors]}
            for r in result.errors
        ],
    }


class ConsultationOut(Schema):
    id: int
    unit: OrgRef
    community: OrgRef
    matter_type: str
    mode: str
    title: str
    form: str
    opens_on: dt.date
    closes_on: dt.date
    state: str
    households_total: int
    threshold_percent: Decimal | None
    threshold_strict: bool
    threshold_citation: str
    required_yes: int | None
    yes: int
    no: int
    abstain: int
    is_valid: bool | None
    closed_on: dt.date | None
    recognized_on: dt.date | None
    recognition_number: str
    responded_on: dt.date | None

    @staticmethod
    def resolve_matter_type(obj):
        return obj.matter_type.code

    @staticmethod
    def resolve_mode(obj):
        return obj.matter_type.mode

    @staticmethod
    def resolve_threshold_citation(obj):
        return obj.rule.citation if obj.rule_id else ""

    @staticmethod
    def resolve_required_yes(obj):
        return services.required_yes(obj)


class CommentOut(Schema):
    id: int
    topic: str
    content: str
    received_on: dt.date


class ConsultationDetail(ConsultationOut):
    description: str
    response: str
    comments: list[CommentOut]

    @staticmethod
    def resolve_comments(obj):
        return list(obj.comments.all())


class ConsultationFilter(Schema):
    unit: int | None = None
    start: dt.date | None = Field(None, description="Opened on or after", **DATE)
    end: dt.date | None = Field(None, description="Opened on or before", **DATE)
    state: ConsultationState | None = None
    mode: MatterMode | None = None


@router.get("/consultations", response=list[ConsultationOut], summary="List consultations")
@paginate(Pagination)
def list_consultations(request: HttpRequest, filters: Query[ConsultationFilter]):
    unit = _org(request, filters.unit, "unit") if filters.unit else None
    return (
        queries.consultations(
            request.user,
            unit=unit,
            start=filters.start,
            end=filters.end,
            state=filters.state,
            mode=filters.mode,
        )
        .select_related("rule")
        .order_by("-opens_on", "-pk")
    )


@router.get(
    "/consultations/{consultation_id}", response=ConsultationDetail, summary="A consultation"
)
def get_consultation(request: HttpRequest, consultation_id: int):
    return queries.get_consultation(request.user, consultation_id)


class ConsultationIn(Schema):
    unit: int = Field(..., description="Organizing unit (usually the People's Committee)")
    community: int = Field(..., description="The hamlet or residential group")
    matter_type: str = Field(..., max_length=40)
    title: str = Field(..., min_length=1, max_length=300)
    description: str = Field("", max_length=20000)
    form: ConsultationForm
    opens_on: dt.date = Field(..., **DATE)
    closes_on: dt.date = Field(..., **DATE)


@router.post(
    "/consultations",
    response={201: ConsultationDetail},
    summary="Put a matter to a community",
    description="Needs `democracy.manage` on the unit and the community, which must have "
    "registered households. A matter to decide keeps the threshold rule in force on the day "
    "it opens.",
)
def open_consultation(request: HttpRequest, payload: ConsultationIn):
    unit = _org(request, payload.unit, "unit")
    community = queries.get_community(request.user, payload.community)
    consultation = services.open_consultation(
        actor=request.user, unit=unit, community=community,
        matter_type_code=payload.matter_type, title=payload.title,
        description=payload.description, form=str(payload.form), opens_on=payload.opens_on,
        closes_on=payload.closes_on,
    )  # fmt: skip
    return Status(201, queries.get_consultation(request.user, consultation.pk))


class VoteIn(Schema):
    household: str = Field(..., min_length=1, max_length=40, description="Household code")
    choice: VoteChoice
    cast_on: dt.date | None = Field(None, description="Default today", **DATE)


class TallyOut(Schema):
    yes: int
    no: int
    abstain: int
    households_total: int


@router.post(
    "/consultations/{consultation_id}/votes",
    response={201: TallyOut},
    summary="Record a household's vote",
    description="One vote per household, while the consultation is open (409 otherwise).",
)
def record_vote(request: HttpRequest, consultation_id: int, payload: VoteIn):
    consultation = queries.get_consultation(request.user, consultation_id)
    services.record_vote(
        actor=request.user, consultation=consultation, household_code=payload.household,
        choice=str(payload.choice), cast_on=payload.cast_on,
    )  # fmt: skip
    consultation.refresh_from_db()
    return Status(201, consultation)


class CloseIn(Schema):
    closed_on: dt.date | None = Field(None, description="Default today", **DATE)


@router.post(
    "/consultations/{consultation_id}/close",
    response=ConsultationDetail,
    summary="Close voting and judge validity",
)
def close_consultation(request: HttpRequest, consultation_id: int, payload: CloseIn):
    consultation = queries.get_consultation(request.user, consultation_id)
    services.close_consultation(
        actor=request.user, consultation=consultation, closed_on=payload.closed_on
    )
    return queries.get_consultation(request.user, consultation_id)


class RecognitionIn(Schema):
    recognized_by: int = Field(..., description="Organization id (the commune People's Committee)")
    number: str = Field(..., min_length=1, max_length=100)
    recognized_on: dt.date = Field(..., **DATE)


@router.post(
    "/consultations/{consultation_id}/recognition",
    response=ConsultationDetail,
    summary="Record the commune's recognition decision",
)
def recognize(request: HttpRequest, consultation_id: int, payload: RecognitionIn):
    consultation = queries.get_consultation(request.user, consultation_id)
    by = _org(request, payload.recognized_by, "recognized_by")
    services.recognize_consultation(
        actor=request.user, consultation=consultation, recognized_by=by,
        number=payload.number, recognized_on=payload.recognized_on,
    )  # fmt: skip
    return queries.get_consultation(request.user, consultation_id)


class CommentIn(Schema):
    topic: str = Field(..., min_length=1, max_length=100)
    content: str = Field(..., min_length=1, max_length=5000)
    received_on: dt.date | None = Field(None, **DATE)


@router.post(
    "/consultations/{consultation_id}/comments",
    response={201: CommentOut},
    summary="Record a comment on a matter for comment",
    description="Comments carry a topic (they are grouped by it) and no author.",
)
def add_comment(request: HttpRequest, consultation_id: int, payload: CommentIn):
    consultation = queries.get_consultation(request.user, consultation_id)
    comment = services.add_comment(
        actor=request.user, consultation=consultation, topic=payload.topic,
        content=payload.content, received_on=payload.received_on,
    )  # fmt: skip
    return Status(201, comment)


class CommentResponseIn(Schema):
    response: str = Field(..., min_length=1, max_length=20000)
    responded_on: dt.date = Field(..., **DATE)


@router.post(
    "/consultations/{consultation_id}/response",
    response=ConsultationDetail,
    summary="Record the proposing body's response to the comments",
)
def respond_to_comments(request: HttpRequest, consultation_id: int, payload: CommentResponseIn):
    consultation = queries.get_consultation(request.user, consultation_id)
    services.respond_to_comments(
        actor=request.user, consultation=consultation, response=payload.response,
        responded_on=payload.responded_on,
    )  # fmt: skip
    return queries.get_consultation(request.user, consultation_id)


# Supervision ------------------------------------------------------------------------------


class BodyOut(Schema):
    id: int
    unit: OrgRef
    kind: str
    name: str
    term_start: dt.date | None
    term_end: dt.date | None
    projects: list[str]
    members: int

    @staticmethod
    def resolve_projects(obj):
        return obj.project_list

    @staticmethod
    def resolve_members(obj):
        counted = getattr(obj, "n_members", None)
        return counted if counted is not None else obj.members.count()


@router.get("/bodies", response=list[BodyOut], summary="List supervising bodies")
@paginate(Pagination)
def list_bodies(request: HttpRequest, unit: int | None = None, kind: BodyKind | None = None):
    org = _org(request, unit, "unit") if unit else None
    return queries.bodies(request.user, unit=org, kind=kind).order_by(
        "kind", Vietnamese("name"), "pk"
    )


@router.get("/bodies/{body_id}", response=BodyOut, summary="A supervising body")
def get_body(request: HttpRequest, body_id: int):
    return queries.get_body(request.user, body_id)


class BodyIn(Schema):
    unit: int
    kind: BodyKind
    name: str = Field(..., min_length=1, max_length=300)
    term_start: dt.date | None = Field(None, **DATE)
    term_end: dt.date | None = Field(None, **DATE)
    projects: list[str] = Field(default_factory=list, max_length=50)


@router.post(
    "/bodies",
    response={201: BodyOut},
    summary="Create a supervising body",
    description="A People's Inspection Board, a Community Investment Supervision Board, the "
    "Front committee or a socio-political organization. Needs `democracy.supervise`.",
)
def create_body(request: HttpRequest, payload: BodyIn):
    unit = _org(request, payload.unit, "unit")
    body = services.create_body(
        actor=request.user, unit=unit, kind=str(payload.kind), name=payload.name,
        term_start=payload.term_start, term_end=payload.term_end,
        projects="\n".join(p[:300] for p in payload.projects),
    )  # fmt: skip
    return Status(201, queries.get_body(request.user, body.pk))


class DemocracyMemberIn(Schema):
    name: str = Field(..., min_length=1, max_length=200)
    position: str = Field("", max_length=100)


class DemocracyMemberOut(Schema):
    id: int
    position: str


@router.post(
    "/bodies/{body_id}/members",
    response={201: DemocracyMemberOut},
    summary="Add a board member",
    description="The name is kept for officers; answers give the member's id and position.",
)
def add_member(request: HttpRequest, body_id: int, payload: DemocracyMemberIn):
    body = queries.get_body(request.user, body_id)
    member = services.add_member(
        actor=request.user, body=body, name=payload.name, position=payload.position
    )
    return Status(201, member)


class ActivityOut(Schema):
    id: int
    body: int
    kind: str
    programme: str
    subject: str
    held_on: dt.date
    findings: str

    @staticmethod
    def resolve_body(obj):
        return obj.body_id


class DemocracyActivityIn(Schema):
    body: int
    kind: ActivityKind
    programme: str = Field("", max_length=300)
    subject: str = Field(..., min_length=1, max_length=300)
    held_on: dt.date = Field(..., **DATE)
    findings: str = Field("", max_length=20000)


@router.get("/activities", response=list[ActivityOut], summary="List supervision activities")
@paginate(Pagination)
def list_activities(
    request: HttpRequest, unit: int | None = None, kind: ActivityKind | None = None
):
    org = _org(request, unit, "unit") if unit else None
    return queries.activities(request.user, unit=org, kind=kind).order_by("-held_on", "-pk")


@router.post(
    "/activities",
    response={201: ActivityOut},
    summary="Record a supervision or a social-criticism opinion",
)
def record_activity(request: HttpRequest, payload: DemocracyActivityIn):
    body = queries.get_body(request.user, payload.body)
    activity = services.record_activity(
        actor=request.user, body=body, kind=str(payload.kind), programme=payload.programme,
        subject=payload.subject, held_on=payload.held_on, findings=payload.findings,
    )  # fmt: skip
    return Status(201, activity)


class ResponseOut(Schema):
    id: int
    responded_on: dt.date
    content: str


class RecommendationOut(Schema):
    id: int
    activity: int
    activity_kind: str
    addressee: OrgRef
    content: str
    made_on: dt.date
    due_on: dt.date
    answered_on: dt.date | None
    status: str = Field(..., description="open, overdue, answered or answered_late")

    @staticmethod
    def resolve_activity(obj):
        return obj.activity_id

    @staticmethod
    def resolve_activity_kind(obj):
        return obj.activity.kind

    @staticmethod
    def resolve_status(obj):
        return obj.status()


class RecommendationDetail(RecommendationOut):
    responses: list[ResponseOut]

    @staticmethod
    def resolve_responses(obj):
        return list(obj.responses.all())


class RecommendationFilter(Schema):
    unit: int | None = None
    status: str | None = Field(None, pattern="^(open|overdue|answered)$")
    kind: ActivityKind | None = None


@router.get(
    "/recommendations",
    response=list[RecommendationOut],
    summary="List recommendations",
    description="Those made in the user's subtree and those addressed to it.",
)
@paginate(Pagination)
def list_recommendations(request: HttpRequest, filters: Query[RecommendationFilter]):
    org = _org(request, filters.unit, "unit") if filters.unit else None
    return queries.recommendations(
        request.user, unit=org, status=filters.status, kind=filters.kind
    ).order_by("due_on", "pk")


@router.get(
    "/recommendations/{recommendation_id}",
    response=RecommendationDetail,
    summary="A recommendation with its responses",
)
def get_recommendation(request: HttpRequest, recommendation_id: int):
    return queries.get_recommendation(request.user, recommendation_id)


class RecommendationIn(Schema):
    activity: int
    addressee: int = Field(..., description="Organization id of the body concerned")
    content: str = Field(..., min_length=1, max_length=5000)
    made_on: dt.date = Field(..., **DATE)
    due_on: dt.date = Field(..., **DATE)


@router.post(
    "/recommendations",
    response={201: RecommendationDetail},
    summary="Make a recommendation to a body concerned",
    description="Needs `democracy.supervise` on the activity's body. The body concerned is "
    "an organization of the body's area or an area above it.",
)
def add_recommendation(request: HttpRequest, payload: RecommendationIn):
    activity = queries.get_activity(request.user, payload.activity)
    addressee = queries.addressees(activity).filter(pk=payload.addressee).first()
    if addressee is None:
        raise NotFound(
            _("Unknown organization: %(id)s.") % {"id": payload.addressee}, field="addressee"
        )
    rec = services.add_recommendation(
        actor=request.user, activity=activity, addressee=addressee, content=payload.content,
        made_on=payload.made_on, due_on=payload.due_on,
    )  # fmt: skip
    return Status(201, queries.get_recommendation(request.user, rec.pk))


class ResponseIn(Schema):
    responded_on: dt.date = Field(..., **DATE)
    content: str = Field(..., min_length=1, max_length=20000)


@router.post(
    "/recommendations/{recommendation_id}/responses",
    response={201: RecommendationDetail},
    summary="Answer a recommendation",
    description="Needs `democracy.respond` on the body concerned. A response dated before "
    "its recommendation is refused.",
)
def respond(request: HttpRequest, recommendation_id: int, payload: ResponseIn):
    rec = queries.get_recommendation(request.user, recommendation_id)
    services.respond_to_recommendation(
        actor=request.user, recommendation=rec, responded_on=payload.responded_on,
        content=payload.content,
    )  # fmt: skip
    return Status(201, queries.get_recommendation(request.user, recommendation_id))


# Satisfaction ------------------------------------------------------------------------------


class SatisfactionOut(Schema):
    id: int
    unit: OrgRef
    service: str
    period_start: dt.date
    period_end: dt.date
    very_satisfied: int
    satisfied: int
    neutral: int
    dissatisfied: int


class SatisfactionIn(Schema):
    unit: int
    service: str = Field(..., min_length=1, max_length=200)
    period_start: dt.date = Field(..., **DATE)
    period_end: dt.date = Field(..., **DATE)
    very_satisfied: int = Field(0, ge=0, le=10**7)
    satisfied: int = Field(0, ge=0, le=10**7)
    neutral: int = Field(0, ge=0, le=10**7)
    dissatisfied: int = Field(0, ge=0, le=10**7)


@router.get("/satisfaction", response=list[SatisfactionOut], summary="Satisfaction ratings")
@paginate(Pagination)
def list_satisfaction(request: HttpRequest, unit: int | None = None):
    org = _org(request, unit, "unit") if unit else None
    return queries.satisfaction(request.user, unit=org).order_by("-period_end", "pk")


@router.post(
    "/satisfaction",
    response={201: SatisfactionOut},
    summary="Record satisfaction counts",
    description="Counts per level for a service and period; no individual ratings.",
)
def record_satisfaction(request: HttpRequest, payload: SatisfactionIn):
    unit = _org(request, payload.unit, "unit")
    survey = services.record_satisfaction(
        actor=request.user, unit=unit, service=payload.service,
        period_start=payload.period_start, period_end=payload.period_end,
        counts={k: getattr(payload, k) for k in services.SATISFACTION_LEVELS},
    )  # fmt: skip
    return Status(201, survey)


# Dashboard ----------------------------------------------------------------------------------


class DemocracyDashboardOut(Schema):
    start: dt.date
    end: dt.date
    disclosures: dict[str, int]
    consultations: dict[str, int]
    recommendations: dict[str, int]
    satisfaction: dict[str, float | int | None]


class DemocracyDashboardFilter(Schema):
    unit: int | None = None
    start: dt.date | None = Field(None, description="Default 1 January this year", **DATE)
    end: dt.date | None = Field(None, description="Default 31 December this year", **DATE)


@router.get(
    "/dashboard",
    response=DemocracyDashboardOut,
    summary="Figures for a subtree and period",
    description="Disclosures on time / late / missing (by decision date), consultations held "
    "and valid (by opening date), recommendations answered / overdue (by date made).",
)
def dashboard(request: HttpRequest, filters: Query[DemocracyDashboardFilter]):
    org = _org(request, filters.unit, "unit") if filters.unit else None
    today = timezone.localdate()
    start = filters.start or dt.date(today.year, 1, 1)
    end = filters.end or dt.date(today.year, 12, 31)
    return queries.dashboard(request.user, unit=org, start=start, end=end)
