"""The voices API's schemas. A citizen's name, address and contact appear in one schema
only, `CitizenIdentityOut`; every other answer carries a count at most."""

import datetime as dt
from typing import Literal

from django.urls import reverse
from ninja import Field, Schema

from danvan.core.schemas import AreaRef, OrgRef

from ..models import (
    Channel,
    Condition,
    DayCount,
    HeadRole,
    MatterKind,
    MatterState,
    Result,
    Step,
)

SLUG = r"^[-a-zA-Z0-9_]+$"


class VoicesTopicOut(Schema):
    code: str
    name: str
    name_en: str


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


class SimilarFilter(Schema):
    text: str = Field(..., min_length=3, max_length=2000)
    area: int | None = Field(None, description="Area id")
    topic: str | None = Field(None, max_length=40, description="Topic code")


class SimilarOut(Schema):
    id: int
    tracking_code: str
    received_on: dt.date
    score: float = Field(..., description="Cosine similarity of the texts, 0 to 1")


class CitizenIdentityOut(Schema):
    name: str
    address: str
    contact: str


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


class ComplexityIn(Schema):
    complicated: bool
    especially_complicated: bool = False
    grounds: list[str] = Field(default_factory=list)
    note: str = Field("", max_length=2000)
    on: dt.date | None = Field(None, description="Default today")


class VoicesCriterionOut(Schema):
    kind: MatterKind
    level: str
    code: str
    text: str
    citation: str
    effective_from: dt.date
    effective_to: dt.date | None


class OnIn(Schema):
    on: dt.date
    note: str = Field("", max_length=2000)


class NotAcceptIn(Schema):
    on: dt.date
    reason: str = Field(..., min_length=1, max_length=2000)


class ForwardIn(Schema):
    to: int = Field(..., description="Organization id of the competent body")
    on: dt.date
    note: str = Field("", max_length=2000)


class ExtendIn(Schema):
    on: dt.date
    decision_number: str = Field(..., min_length=1, max_length=100)
    note: str = Field("", max_length=2000)


class DecideIn(Schema):
    decision_number: str = Field(..., min_length=1, max_length=100)
    decision_date: dt.date
    result: Result = Field(..., description="answered for a recommendation; else upheld, ...")
    note: str = Field("", max_length=2000)


class AssignIn(Schema):
    handler: str | None = Field(
        ..., max_length=150, description="Username of the officer; null takes the matter off"
    )


class WorklistOut(Schema):
    today: dt.date
    open: int = Field(..., description="Open matters in the subtree")
    overdue: list[MatterOut]
    due_soon: list[MatterOut] = Field(..., description="Due within three days")


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


class CommitmentIn(Schema):
    content: str = Field(..., min_length=1, max_length=2000)
    owner: int = Field(..., description="Organization id of the unit that owns it")
    due_on: dt.date


class AnswerIn(Schema):
    answered_on: dt.date
    answer: str = Field(..., min_length=1, max_length=5000)


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
