"""The people's situation and welfare over /api/v1/situation/: reference data, situation
reports, missing reports, the topic × area matrix, signals (and turning them into a task or
a dialogue), welfare campaigns with their roll-ups and loans, land-handover projects.

Thin: parse → query or service → schema. What the user sees is decided by `queries` (404
otherwise), what they may change by `services` (403). No response carries a beneficiary's
name, except `GET /beneficiaries/{id}/name` for holders of `situation.view_beneficiaries`
on the handling unit (audited; 404 for everyone else).
"""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from danvan.core.errors import NotFound
from danvan.core.pagination import Pagination
from danvan.core.schemas import AreaRef, OrgRef
from danvan.org import queries as org_queries
from danvan.org.models import Period

from . import queries, services
from .models import (
    CODE_OF_LEVEL,
    BeneficiaryCategory,
    CampaignType,
    FollowUpKind,
    FundingKind,
    HandoverState,
    IssueType,
    Progress,
    ReportingRule,
    ReportState,
    SignalKind,
    SignalRule,
    Source,
    Topic,
)

router = Router(tags=["situation"])

SLUG = r"^[-a-zA-Z0-9_]+$"
LevelCode = Literal["stable", "attention", "tense"]
PeriodKindCode = Literal["month", "quarter"]


class PeriodRef(Schema):
    id: int
    kind: str
    start: dt.date
    end: dt.date
    label: str


def _unit(request, org_id: int | None, field: str = "unit"):
    return (
        org_queries.get_organization(request.user, org_id, field=field)
        if org_id is not None
        else None
    )


def _period(kind: str, year: int, index: int) -> Period:
    return services.period_of(kind, year, index)


class PeriodQuery(Schema):
    unit: int | None = Field(
        None, description="Organization id: its subtree (default: all you see)"
    )
    kind: PeriodKindCode = "month"
    year: int = Field(..., ge=2000, le=2100)
    index: int = Field(..., ge=1, le=12, description="Month 1–12 or quarter 1–4")


# Reference data ---------------------------------------------------------------------------


class SituationTopicOut(Schema):
    code: str
    name: str
    name_en: str
    count_label: str
    count_label_en: str
    voices_topic: str


@router.get("/topics", response=list[SituationTopicOut], summary="List the situation topics")
def list_topics(request: HttpRequest):
    return Topic.objects.filter(is_active=True)


class ReportingRuleOut(Schema):
    org_type: str = Field(..., alias="org_type.code")
    frequency: str
    due_days: int
    citation: str


@router.get(
    "/reporting-rules",
    response=list[ReportingRuleOut],
    summary="Who reports how often",
    description="Per organization type: monthly or quarterly, and how many days after the "
    "period the report is due. Types without a rule do not report.",
)
def list_reporting_rules(request: HttpRequest):
    return ReportingRule.objects.filter(is_active=True).select_related("org_type")


class SignalRuleOut(Schema):
    code: str
    kind: SignalKind
    measure: str
    min_level: LevelCode
    min_units: int
    min_increase: int
    description: str

    @staticmethod
    def resolve_min_level(obj):
        return CODE_OF_LEVEL[obj.min_level]


@router.get(
    "/signal-rules",
    response=list[SignalRuleOut],
    summary="The rules that raise signals",
    description="In order; for a topic and a kind only the first matching rule raises a "
    "signal. Thresholds are data (editable in the admin).",
)
def list_signal_rules(request: HttpRequest):
    return SignalRule.objects.filter(is_active=True)


class CampaignTypeOut(Schema):
    code: str
    name: str
    name_en: str
    is_loan_fund: bool


@router.get("/campaign-types", response=list[CampaignTypeOut], summary="List campaign types")
def list_campaign_types(request: HttpRequest):
    return CampaignType.objects.all()


# Reports ------------------------------------------------------------------------------------


class SituationEntryIn(Schema):
    topic: str = Field(..., max_length=40, pattern=SLUG)
    level: str = Field(..., max_length=20, description="stable, attention or tense")
    narrative: str = Field("", max_length=2000)
    sources: list[Source] = Field(default_factory=list, max_length=10)
    count: int | None = Field(None, ge=0, le=10**9)


class SituationReportIn(Schema):
    organization: int = Field(..., description="Organization id of the reporting unit")
    kind: PeriodKindCode
    year: int = Field(..., ge=2000, le=2100)
    index: int = Field(..., ge=1, le=12)
    summary: str = Field("", max_length=5000)
    entries: list[SituationEntryIn] = Field(..., min_length=1, max_length=50)


class SituationEntryOut(Schema):
    topic: str = Field(..., alias="topic.code")
    level: LevelCode
    narrative: str
    sources: list[str]
    count: int | None
    flags: list[dict]

    @staticmethod
    def resolve_level(obj):
        return CODE_OF_LEVEL[obj.level]


class SituationReportOut(Schema):
    id: int
    organization: OrgRef
    period: PeriodRef
    state: ReportState
    submitted_at: dt.datetime
    due_on: dt.date | None
    late: bool
    flagged: bool = Field(..., description="A narrative may name a private person")


class SituationReportDetail(SituationReportOut):
    summary: str
    review_note: str
    entries: list[SituationEntryOut]

    @staticmethod
    def resolve_entries(obj):
        return obj.entries.select_related("topic")


class SituationReportFilter(Schema):
    unit: int | None = None
    kind: PeriodKindCode | None = None
    year: int | None = Field(None, ge=2000, le=2100)
    index: int | None = Field(None, ge=1, le=12)
    state: ReportState | None = None
    flagged: bool | None = None


@router.get("/reports", response=list[SituationReportOut], summary="List situation reports")
@paginate(Pagination)
def list_reports(request: HttpRequest, filters: Query[SituationReportFilter]):
    period = None
    if filters.kind and filters.year and filters.index:
        period = _period(filters.kind, filters.year, filters.index)
    return queries.reports(
        request.user,
        unit=_unit(request, filters.unit),
        period=period,
        state=filters.state,
        flagged=filters.flagged,
    )


@router.post(
    "/reports",
    response={201: SituationReportDetail},
    summary="Submit a situation report",
    description="One report per organization and period (month or quarter, as the rule of its "
    "type says); submitting again corrects it until it is reviewed. A period that has not "
    "started, a level outside stable/attention/tense, an unknown topic or source: 400 with "
    "the field. Narratives that may name a person are flagged (`flags`), not refused. Needs "
    "`situation.report` on the organization.",
)
def submit_report(request: HttpRequest, payload: SituationReportIn):
    org = _unit(request, payload.organization, "organization")
    report = services.submit_report(
        actor=request.user,
        organization=org,
        period=_period(payload.kind, payload.year, payload.index),
        summary=payload.summary,
        entries=[e.dict() for e in payload.entries],
    )
    return Status(201, queries.get_report(request.user, report.pk))


@router.get("/reports/{report_id}", response=SituationReportDetail, summary="A situation report")
def get_report(request: HttpRequest, report_id: int):
    return queries.get_report(request.user, report_id)


class ReviewIn(Schema):
    decision: Literal["reviewed", "returned"]
    note: str = Field("", max_length=2000)


@router.post(
    "/reports/{report_id}/review",
    response=SituationReportDetail,
    summary="Review a report",
    description="Mark it reviewed, or return it with a note. Needs `situation.manage`.",
)
def review_report(request: HttpRequest, report_id: int, payload: ReviewIn):
    report = queries.get_report(request.user, report_id)
    services.review_report(
        actor=request.user, report=report, decision=payload.decision, note=payload.note
    )
    return queries.get_report(request.user, report_id)


class MissingOut(Schema):
    organization: OrgRef
    due_on: dt.date
    overdue: bool


class MissingReportsOut(Schema):
    period: PeriodRef
    expected: int
    submitted: int
    missing: list[MissingOut]
    late: list[SituationReportOut]


@router.get(
    "/missing",
    response=MissingReportsOut,
    summary="Missing and late reports",
    description="Who should report for the period (by the reporting rules), who has not, and "
    "who reported late — in the subtree.",
)
def missing_reports(request: HttpRequest, filters: Query[PeriodQuery]):
    return queries.missing_reports(
        request.user,
        unit=_unit(request, filters.unit),
        period=_period(filters.kind, filters.year, filters.index),
    )


# Matrix and signals ---------------------------------------------------------------------


class CellOut(Schema):
    unit: int
    level: LevelCode | None
    reports: int
    tense: int
    attention: int
    trend: str = Field(..., description="up, down, same, new (no report before) or empty")


class MatrixRowOut(Schema):
    topic: str
    level: LevelCode | None
    tense: int
    attention: int
    trend: str
    history: list[LevelCode | None] = Field(
        ..., description="Oldest first, ending with this period"
    )
    cells: list[CellOut]


class MatrixOut(Schema):
    period: PeriodRef
    columns: list[OrgRef]
    rows: list[MatrixRowOut]
    reports: int


def _code(level):
    return CODE_OF_LEVEL.get(level) if level else None


@router.get(
    "/matrix",
    response=MatrixOut,
    summary="Topic × area matrix",
    description="For the subtree and period: per topic, the highest level reported in the "
    "unit itself and in each unit directly under it, how many reports were tense or needed "
    "attention, and the trend against the previous period.",
)
def matrix(request: HttpRequest, filters: Query[PeriodQuery]):
    m = queries.matrix(
        request.user,
        unit=_unit(request, filters.unit),
        period=_period(filters.kind, filters.year, filters.index),
    )
    return {
        "period": m["period"],
        "columns": m["columns"],
        "reports": m["reports"],
        "rows": [
            {
                "topic": r["topic"].code,
                "level": _code(r["level"]),
                "tense": r["tense"],
                "attention": r["attention"],
                "trend": r["trend"],
                "history": [_code(h["level"]) for h in r["history"]],
                "cells": [
                    {
                        "unit": c["column"].pk,
                        "level": _code(c["level"]),
                        "reports": c["n"],
                        "tense": c["tense"],
                        "attention": c["attention"],
                        "trend": c["trend"],
                    }
                    for c in r["cells"]
                ],
            }
            for r in m["rows"]
        ],
    }


class SignalReportOut(Schema):
    report: int
    organization: OrgRef
    level: LevelCode


class SituationHotSpotOut(Schema):
    area: str
    now: int
    before: int


class FollowUpOut(Schema):
    id: int
    follow_up: FollowUpKind
    target_id: int
    created_at: dt.datetime


class SignalOut(Schema):
    kind: SignalKind
    topic: str
    rule: str | None
    explanation: str
    units: int
    previous: int | None
    reports: list[SignalReportOut]
    hot_spots: list[SituationHotSpotOut]
    follow_ups: list[FollowUpOut]


def _signal_out(s) -> dict:
    return {
        "kind": s.kind,
        "topic": s.topic.code,
        "rule": s.rule.code if s.rule else None,
        "explanation": s.explanation,
        "units": s.now,
        "previous": s.before,
        "reports": [
            {"report": r.report.pk, "organization": r.organization, "level": _code(r.level)}
            for r in s.report_rows
        ],
        "hot_spots": [
            {"area": h.get("area__name") or "", "now": h["now"], "before": h["before"]}
            for h in s.hot_spots
        ],
        "follow_ups": s.follow_ups,
    }


@router.get(
    "/signals",
    response=list[SignalOut],
    summary="Tense and rising topics",
    description="Signals of the subtree for the period by the active signal rules, each with "
    "the reports behind it, combined with hot spots of citizens' cases on the same topic.",
)
def list_signals(request: HttpRequest, filters: Query[PeriodQuery]):
    found = queries.signals(
        request.user,
        unit=_unit(request, filters.unit),
        period=_period(filters.kind, filters.year, filters.index),
    )
    return [_signal_out(s) for s in found]


class SignalRef(Schema):
    unit: int = Field(..., description="Organization id whose subtree the signal is about")
    kind: PeriodKindCode
    year: int = Field(..., ge=2000, le=2100)
    index: int = Field(..., ge=1, le=12)
    topic: str = Field(..., max_length=40, pattern=SLUG)
    signal: Literal["tense", "rising", "hot_spot"]


class SignalTaskIn(SignalRef):
    deadline: dt.date
    owner: int | None = Field(None, description="Organization id of the task owner (default: unit)")
    title: str = Field("", max_length=500)


class SignalDialogueIn(SignalRef):
    held_on: dt.date
    heads: str = Field(..., min_length=1, max_length=300)
    participants: int = Field(0, ge=0, le=100000)
    title: str = Field("", max_length=300)


@router.post(
    "/signals/task",
    response={201: FollowUpOut},
    summary="Turn a signal into a task",
    description="Creates a task in the plans app for the unit (or a unit under it), with the "
    "signal's explanation and the reports behind it. Needs `situation.manage`.",
)
def signal_to_task(request: HttpRequest, payload: SignalTaskIn):
    unit = _unit(request, payload.unit)
    row = services.signal_to_task(
        actor=request.user,
        unit=unit,
        period=_period(payload.kind, payload.year, payload.index),
        topic_code=payload.topic,
        kind=payload.signal,
        deadline=payload.deadline,
        owner=_unit(request, payload.owner, "owner"),
        title=payload.title,
    )
    return Status(201, row)


@router.post(
    "/signals/dialogue",
    response={201: FollowUpOut},
    summary="Turn a signal into a dialogue",
    description="Records the dialogue held with citizens on the signal's topic (voices app). "
    "Needs `situation.manage` and `voices.intake` on the unit.",
)
def signal_to_dialogue(request: HttpRequest, payload: SignalDialogueIn):
    unit = _unit(request, payload.unit)
    row = services.signal_to_dialogue(
        actor=request.user,
        unit=unit,
        period=_period(payload.kind, payload.year, payload.index),
        topic_code=payload.topic,
        kind=payload.signal,
        held_on=payload.held_on,
        heads=payload.heads,
        participants=payload.participants,
        title=payload.title,
    )
    return Status(201, row)


# Campaigns ------------------------------------------------------------------------------------


class CampaignIn(Schema):
    organization: int
    type: str = Field(..., max_length=40, pattern=SLUG)
    name: str = Field(..., min_length=1, max_length=300)
    starts_on: dt.date
    ends_on: dt.date | None = None
    target_households: int = Field(0, ge=0, le=10**9)
    target_money: int = Field(0, ge=0, le=10**16)
    target_items: int = Field(0, ge=0, le=10**9)
    items_label: str = Field("", max_length=100)
    description: str = Field("", max_length=5000)


class CampaignOut(Schema):
    id: int
    name: str
    type: str = Field(..., alias="type.code")
    organization: OrgRef
    starts_on: dt.date
    ends_on: dt.date | None
    target_households: int
    target_money: Decimal
    target_items: int


class FiguresOut(Schema):
    registered: int
    built: int
    handed_over: int
    disbursed: Decimal
    items: int


class AreaFiguresOut(FiguresOut):
    area: str = Field(..., alias="area__name")


class FundingFiguresOut(FiguresOut):
    funding_kind: str


class UnitFiguresOut(FiguresOut):
    unit: str


class FundOut(Schema):
    kind: FundingKind
    amount: Decimal


class LoanRollupOut(Schema):
    loans: int
    out: Decimal
    repaid: Decimal
    outstanding: Decimal
    overdue: int


class CampaignDetail(Schema):
    campaign: CampaignOut
    totals: FiguresOut
    target_households: int | None
    percent_of_target: float | None
    percent_of_registered: float | None
    by_area: list[AreaFiguresOut]
    by_funding: list[FundingFiguresOut]
    by_unit: list[UnitFiguresOut]
    funds: list[FundOut]
    loans: LoanRollupOut | None


@router.get("/campaigns", response=list[CampaignOut], summary="List welfare campaigns")
@paginate(Pagination)
def list_campaigns(request: HttpRequest, unit: int | None = None, type: str | None = None):
    return queries.campaigns(request.user, unit=_unit(request, unit), type_code=type)


@router.post(
    "/campaigns",
    response={201: CampaignOut},
    summary="Create a welfare campaign",
    description="Needs `situation.manage` on the organizing unit.",
)
def create_campaign(request: HttpRequest, payload: CampaignIn):
    data = payload.dict()
    org = _unit(request, data.pop("organization"), "organization")
    campaign = services.create_campaign(
        actor=request.user, organization=org, type_code=data.pop("type"), **data
    )
    return Status(201, campaign)


@router.get(
    "/campaigns/{campaign_id}",
    response=CampaignDetail,
    summary="A campaign and its roll-up",
    description="Households registered, built, handed over and money disbursed in the subtree "
    "(`unit`), by area, funding source and unit; percent of target when you see the whole "
    "campaign; funds by source; loans for a loan fund. Counts and sums only.",
)
def get_campaign(request: HttpRequest, campaign_id: int, unit: int | None = None):
    campaign = queries.get_campaign(request.user, campaign_id)
    return queries.campaign_rollup(request.user, campaign=campaign, unit=_unit(request, unit))


class FundingIn(Schema):
    kind: FundingKind
    amount: int = Field(..., gt=0, le=10**16)
    received_on: dt.date
    note: str = Field("", max_length=300)


class FundingOut(Schema):
    id: int
    kind: FundingKind
    amount: Decimal
    received_on: dt.date
    note: str


@router.post(
    "/campaigns/{campaign_id}/fundings",
    response={201: FundingOut},
    summary="Record funding received",
)
def add_funding(request: HttpRequest, campaign_id: int, payload: FundingIn):
    campaign = queries.get_campaign(request.user, campaign_id)
    return Status(
        201, services.add_funding(actor=request.user, campaign=campaign, **payload.dict())
    )


class BeneficiaryIn(Schema):
    unit: int = Field(..., description="Organization id of the handling unit")
    area: int = Field(..., description="Area id (commune)")
    household_code: str = Field(..., min_length=1, max_length=40)
    category: BeneficiaryCategory
    funding_kind: FundingKind | None = None
    name: str = Field("", max_length=200, description="Optional; stored encrypted, never answered")


class BeneficiaryOut(Schema):
    id: int
    household_code: str
    unit: OrgRef
    area: AreaRef
    category: BeneficiaryCategory
    funding_kind: str
    progress: Progress
    built_on: dt.date | None
    handed_over_on: dt.date | None
    disbursed: Decimal
    items: int


@router.get(
    "/campaigns/{campaign_id}/beneficiaries",
    response=list[BeneficiaryOut],
    summary="Beneficiary households (by code, never by name)",
)
@paginate(Pagination)
def list_beneficiaries(request: HttpRequest, campaign_id: int, unit: int | None = None):
    campaign = queries.get_campaign(request.user, campaign_id)
    return queries.beneficiaries(request.user, campaign=campaign, unit=_unit(request, unit))


@router.post(
    "/campaigns/{campaign_id}/beneficiaries",
    response={201: BeneficiaryOut},
    summary="Record a beneficiary household",
    description="Needs `situation.manage` or `situation.report` on the handling unit, which "
    "must be the organizing unit or under it.",
)
def add_beneficiary(request: HttpRequest, campaign_id: int, payload: BeneficiaryIn):
    campaign = queries.get_campaign(request.user, campaign_id)
    b = services.add_beneficiary(
        actor=request.user,
        campaign=campaign,
        unit=_unit(request, payload.unit),
        area=org_queries.get_area(request.user, payload.area, field="area"),
        household_code=payload.household_code,
        category=payload.category,
        funding_kind=payload.funding_kind or "",
        name=payload.name,
    )
    return Status(201, queries.get_beneficiary(request.user, b.pk))


class SituationProgressIn(Schema):
    progress: Progress
    on: dt.date | None = None
    items: int | None = Field(None, ge=0, le=10**6)


@router.post(
    "/beneficiaries/{beneficiary_id}/progress",
    response=BeneficiaryOut,
    summary="Record a household's progress",
)
def record_progress(request: HttpRequest, beneficiary_id: int, payload: SituationProgressIn):
    b = queries.get_beneficiary(request.user, beneficiary_id)
    services.record_progress(actor=request.user, beneficiary=b, **payload.dict())
    return queries.get_beneficiary(request.user, beneficiary_id)


class DisburseIn(Schema):
    amount: int = Field(..., gt=0, le=10**16)
    paid_on: dt.date | None = None
    override: bool = Field(False, description="Pay beyond the campaign's funds (audited)")
    override_reason: str = Field("", max_length=500)


@router.post(
    "/beneficiaries/{beneficiary_id}/disbursements",
    response={201: BeneficiaryOut},
    summary="Pay money to a household",
    description="Refused (400, code `over_funds`) when it would pay out more than the "
    "campaign's funds, unless `override` is true and a reason is given.",
)
def disburse(request: HttpRequest, beneficiary_id: int, payload: DisburseIn):
    b = queries.get_beneficiary(request.user, beneficiary_id)
    services.disburse(actor=request.user, beneficiary=b, **payload.dict())
    return Status(201, queries.get_beneficiary(request.user, beneficiary_id))


class NameOut(Schema):
    household_code: str
    name: str


@router.get(
    "/beneficiaries/{beneficiary_id}/name",
    response=NameOut,
    summary="The name of a beneficiary household's head",
    description="Only for holders of `situation.view_beneficiaries` on the handling unit "
    "(never by a wildcard role or superuser status); each read is audited. Anyone else gets "
    "the 404 of an unknown household.",
)
def beneficiary_name(request: HttpRequest, beneficiary_id: int):
    b = queries.get_beneficiary(request.user, beneficiary_id)
    names = queries.beneficiary_names(request.user, [b])
    if b.pk not in names:
        raise NotFound("Not found.")
    return {"household_code": b.household_code, "name": names[b.pk]}


class LoanIn(Schema):
    unit: int
    area: int
    household_code: str = Field(..., min_length=1, max_length=40)
    purpose: str = Field(..., min_length=1, max_length=300)
    amount: int = Field(..., gt=0, le=10**16)
    lent_on: dt.date
    due_on: dt.date
    override: bool = False
    override_reason: str = Field("", max_length=500)


class LoanOut(Schema):
    id: int
    household_code: str
    unit: OrgRef
    area: AreaRef
    purpose: str
    amount: Decimal
    lent_on: dt.date
    due_on: dt.date
    repaid: Decimal
    outstanding: Decimal


@router.get("/campaigns/{campaign_id}/loans", response=list[LoanOut], summary="Loans of a fund")
@paginate(Pagination)
def list_loans(request: HttpRequest, campaign_id: int, unit: int | None = None):
    campaign = queries.get_campaign(request.user, campaign_id)
    return queries.loans(request.user, campaign=campaign, unit=_unit(request, unit))


@router.post(
    "/campaigns/{campaign_id}/loans",
    response={201: LoanOut},
    summary="Lend from a fund",
    description="For loan funds (the Farmers' Support Fund). Money out beyond the fund's "
    "capital needs `override` with a reason.",
)
def lend(request: HttpRequest, campaign_id: int, payload: LoanIn):
    campaign = queries.get_campaign(request.user, campaign_id)
    data = payload.dict()
    loan = services.lend(
        actor=request.user,
        campaign=campaign,
        unit=_unit(request, data.pop("unit")),
        area=org_queries.get_area(request.user, data.pop("area"), field="area"),
        **data,
    )
    return Status(201, loan)


class RepayIn(Schema):
    amount: int = Field(..., gt=0, le=10**16)


@router.post("/loans/{loan_id}/repayments", response=LoanOut, summary="Record a repayment")
def repay(request: HttpRequest, loan_id: int, payload: RepayIn):
    loan = queries.get_loan(request.user, loan_id)
    return services.repay(actor=request.user, loan=loan, amount=payload.amount)


# Land handover ----------------------------------------------------------------------------


class ProjectIn(Schema):
    organization: int
    code: str = Field(..., min_length=1, max_length=60, pattern=SLUG)
    name: str = Field(..., min_length=1, max_length=300)
    investor: str = Field("", max_length=300)
    total_area_m2: Decimal = Field(Decimal(0), ge=0, le=10**10, decimal_places=1)
    starts_on: dt.date
    deadline: dt.date | None = None
    description: str = Field("", max_length=5000)


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    organization: OrgRef
    investor: str
    total_area_m2: Decimal
    starts_on: dt.date
    deadline: dt.date | None


class HouseholdFiguresOut(Schema):
    households: int
    informed: int
    agreed: int
    handed_over: int
    with_issues: int
    total_m2: Decimal
    handed_over_m2: Decimal
    percent_households: float | None
    percent_area: float | None


class UnitHouseholdFiguresOut(HouseholdFiguresOut):
    unit: str = Field(..., alias="unit__name")


class IssueCountOut(Schema):
    issue_type: IssueType
    n: int


class ProjectDetail(Schema):
    project: ProjectOut
    totals: HouseholdFiguresOut
    by_unit: list[UnitHouseholdFiguresOut]
    issues: list[IssueCountOut]
    meetings_count: int


@router.get("/projects", response=list[ProjectOut], summary="List land-handover projects")
@paginate(Pagination)
def list_projects(request: HttpRequest, unit: int | None = None):
    return queries.projects(request.user, unit=_unit(request, unit))


@router.post(
    "/projects",
    response={201: ProjectOut},
    summary="Create a land-handover project",
    description="Needs `situation.manage` on the mobilizing unit.",
)
def create_project(request: HttpRequest, payload: ProjectIn):
    data = payload.dict()
    org = _unit(request, data.pop("organization"), "organization")
    return Status(201, services.create_project(actor=request.user, organization=org, **data))


@router.get(
    "/projects/{project_id}",
    response=ProjectDetail,
    summary="A project and its roll-up",
    description="Households by state, with outstanding issues, land and land handed over, by "
    "unit, in the subtree (`unit`).",
)
def get_project(request: HttpRequest, project_id: int, unit: int | None = None):
    project = queries.get_project(request.user, project_id)
    return queries.project_rollup(request.user, project=project, unit=_unit(request, unit))


class SituationHouseholdIn(Schema):
    unit: int
    area: int
    household_code: str = Field(..., min_length=1, max_length=40)
    area_m2: Decimal = Field(..., ge=0, le=10**10, decimal_places=1)
    state: HandoverState = HandoverState.INFORMED
    issue_type: IssueType | None = None
    issue_note: str = Field("", max_length=500)


class SituationHouseholdOut(Schema):
    id: int
    household_code: str
    unit: OrgRef
    area: AreaRef
    area_m2: Decimal
    state: HandoverState
    handed_over_on: dt.date | None
    issue_type: str
    issue_note: str


@router.get(
    "/projects/{project_id}/households",
    response=list[SituationHouseholdOut],
    summary="Affected households (by code)",
)
@paginate(Pagination)
def list_households(request: HttpRequest, project_id: int, unit: int | None = None):
    project = queries.get_project(request.user, project_id)
    return queries.households(request.user, project=project, unit=_unit(request, unit))


@router.post(
    "/projects/{project_id}/households",
    response={201: SituationHouseholdOut},
    summary="Record an affected household",
)
def add_household(request: HttpRequest, project_id: int, payload: SituationHouseholdIn):
    project = queries.get_project(request.user, project_id)
    data = payload.dict()
    household = services.add_household(
        actor=request.user,
        project=project,
        unit=_unit(request, data.pop("unit")),
        area=org_queries.get_area(request.user, data.pop("area"), field="area"),
        issue_type=data.pop("issue_type") or "",
        **data,
    )
    return Status(201, household)


class HouseholdStateIn(Schema):
    state: HandoverState
    issue_type: IssueType | None = None
    issue_note: str = Field("", max_length=500)
    on: dt.date | None = None


@router.post(
    "/households/{household_id}/state",
    response=SituationHouseholdOut,
    summary="Set a household's state and outstanding issue",
)
def update_household(request: HttpRequest, household_id: int, payload: HouseholdStateIn):
    household = queries.get_household(request.user, household_id)
    data = payload.dict()
    return services.update_household(
        actor=request.user, household=household, issue_type=data.pop("issue_type") or "", **data
    )


class MeetingIn(Schema):
    unit: int
    held_on: dt.date
    title: str = Field(..., min_length=1, max_length=300)
    households: int = Field(0, ge=0, le=10**6)
    outcome: str = Field("", max_length=5000)


class MeetingOut(Schema):
    id: int
    unit: OrgRef
    held_on: dt.date
    title: str
    households: int
    outcome: str


@router.post(
    "/projects/{project_id}/meetings",
    response={201: MeetingOut},
    summary="Record a meeting with affected households",
)
def record_meeting(request: HttpRequest, project_id: int, payload: MeetingIn):
    project = queries.get_project(request.user, project_id)
    data = payload.dict()
    meeting = services.record_meeting(
        actor=request.user, project=project, unit=_unit(request, data.pop("unit")), **data
    )
    return Status(201, meeting)
