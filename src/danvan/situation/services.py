"""Every write of the situation app: one function per use case, keyword-only, atomic,
permission-checked with `require` and audited with `record`.

Situation reports need `situation.report` on the reporting organization; reviews, signals
turned into follow-ups, campaigns and land projects need `situation.manage`. Recording a
beneficiary household or an affected household is the handling unit's work: it needs
`situation.manage` (or `situation.report`) on that unit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import can, require
from danvan.audit.log import record, snapshot
from danvan.core import crypto
from danvan.core.errors import Conflict, DomainError, clean_date, clean_text
from danvan.org import periods as org_periods
from danvan.org.models import Area, Organization, Period, PeriodKind

from . import privacy
from .models import (
    HANDOVER_ORDER,
    LEVEL_CODES,
    PROGRESS_ORDER,
    AffectedHousehold,
    Beneficiary,
    BeneficiaryCategory,
    Campaign,
    CampaignType,
    Disbursement,
    FollowUpKind,
    Funding,
    FundingKind,
    HandoverState,
    IssueType,
    LandProject,
    Level,
    Loan,
    Progress,
    ProjectMeeting,
    ReportEntry,
    ReportingRule,
    ReportState,
    SignalFollowUp,
    SituationReport,
    Source,
    Topic,
)


class SituationError(DomainError):
    pass


# Input helpers ------------------------------------------------------------------------------


def _text(value, field: str, *, max_length: int, required: bool = True) -> str:
    return clean_text(
        value, field, max_length=max_length, required=required,
        multiline=max_length > 300, error=SituationError,
    )  # fmt: skip


def _date(value, field: str, *, required: bool = True) -> dt.date | None:
    return clean_date(value, field, required=required, error=SituationError)


def _whole(value, field: str, *, required: bool = False) -> int | None:
    if value in (None, ""):
        if required:
            raise SituationError(_("This field is required."), field=field)
        return None
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError) as exc:
        raise SituationError(_("Enter a whole number."), field=field) from exc
    if isinstance(value, bool) or number < 0:
        raise SituationError(_("Enter a whole number, zero or more."), field=field)
    if number > 10**9:
        raise SituationError(_("The number is too large."), field=field)
    return number


def _money(value, field: str, *, positive: bool = False) -> Decimal:
    if value in (None, ""):
        value = 0
    try:
        amount = Decimal(str(value).strip().replace(" ", ""))
    except (InvalidOperation, ValueError) as exc:
        raise SituationError(_("Enter an amount in đồng."), field=field) from exc
    if not amount.is_finite() or amount != amount.to_integral_value():
        raise SituationError(_("Enter an amount in whole đồng."), field=field)
    if amount < 0 or (positive and amount == 0):
        raise SituationError(_("Enter an amount greater than zero."), field=field)
    if amount >= Decimal(10) ** 17:
        raise SituationError(_("The amount is too large."), field=field)
    return amount


def _area_m2(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise SituationError(_("Enter an area in m²."), field=field) from exc
    if not amount.is_finite() or amount < 0 or amount >= Decimal(10) ** 11:
        raise SituationError(_("Enter an area in m²."), field=field)
    return amount.quantize(Decimal("0.1"))


def _choice(value, choices, field: str, *, blank: bool = False) -> str:
    value = (value or "").strip() if isinstance(value, str) else value
    if blank and not value:
        return ""
    if value not in choices.values:
        raise SituationError(_("Not a valid choice: %(value)s.") % {"value": value}, field=field)
    return value


def level_of(value, field: str = "level") -> int:
    """A level of concern from its code ("stable", "attention", "tense") or number (1–3)."""
    if isinstance(value, str) and value.strip().lower() in LEVEL_CODES:
        return int(LEVEL_CODES[value.strip().lower()])
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if isinstance(value, bool) or number not in Level.values:
        raise SituationError(
            _("The level of concern must be one of: stable, attention, tense."), field=field
        )
    return number


def _may_record_for(actor, unit: Organization) -> None:
    """Recording households is the handling unit's work (manage or report right)."""
    if not (can(actor, "situation.manage", unit) or can(actor, "situation.report", unit)):
        require(actor, "situation.manage", unit)


def _unit_in_campaign(campaign_org: Organization, unit: Organization, field: str = "unit"):
    """A campaign or project covers the units in its organizer's area (a city Front's
    campaign is carried out by the communes' Fronts, which the Party committees direct)."""
    if not in_area_of(campaign_org, unit):
        raise SituationError(
            _("The unit must be in the area of %(org)s.") % {"org": campaign_org.name},
            field=field,
        )


def in_area_of(organizer: Organization, unit: Organization) -> bool:
    return unit.path.startswith(organizer.path) or unit.area.path.startswith(organizer.area.path)


# Periods --------------------------------------------------------------------------------


def period_of(kind: str, year: int, index: int) -> Period:
    """The month or quarter, created on first use (periods are shared reference data)."""
    if kind not in (PeriodKind.MONTH, PeriodKind.QUARTER):
        raise SituationError(_("Reports are monthly or quarterly."), field="period")
    if not 2000 <= int(year) <= 2100:
        raise SituationError(_("The year is out of range."), field="period")
    try:
        start, end = org_periods.bounds(kind, int(year), int(index))
    except ValueError as exc:
        raise SituationError(_("That period does not exist."), field="period") from exc
    period, _created = Period.objects.get_or_create(
        kind=kind, start=start, body="", defaults={"end": end}
    )
    return period


def reporting_rule(organization: Organization) -> ReportingRule | None:
    return ReportingRule.objects.filter(org_type_id=organization.type_id, is_active=True).first()


# Situation reports ------------------------------------------------------------------------


def _clean_entries(entries: list[dict]) -> list[dict]:
    if not entries:
        raise SituationError(_("Report on at least one topic."), field="entries")
    if len(entries) > 50:
        raise SituationError(_("Too many topics."), field="entries")
    topics = {t.code: t for t in Topic.objects.filter(is_active=True)}
    cleaned, seen = [], set()
    for i, raw in enumerate(entries):
        prefix = f"entries.{i}"
        code = raw.get("topic")
        code = getattr(code, "code", code)
        topic = topics.get(code)
        if topic is None:
            raise SituationError(
                _("Unknown topic: %(code)s.") % {"code": code}, field=f"{prefix}.topic"
            )
        if topic.pk in seen:
            raise SituationError(
                _("The topic %(topic)s appears twice.") % {"topic": topic}, field=f"{prefix}.topic"
            )
        seen.add(topic.pk)
        level = level_of(raw.get("level"), f"{prefix}.level")
        narrative = _text(
            raw.get("narrative"), f"{prefix}.narrative", max_length=2000, required=False
        )
        sources = list(dict.fromkeys(raw.get("sources") or []))
        for source in sources:
            if source not in Source.values:
                raise SituationError(
                    _("Unknown source: %(source)s.") % {"source": source}, field=f"{prefix}.sources"
                )
        count = _whole(raw.get("count"), f"{prefix}.count")
        if count is not None and not topic.count_label:
            raise SituationError(
                _("The topic %(topic)s asks for no count.") % {"topic": topic},
                field=f"{prefix}.count",
            )
        cleaned.append(
            {
                "topic": topic,
                "level": level,
                "narrative": narrative,
                "sources": sources,
                "count": count,
                "flags": privacy.check(narrative),
            }
        )
    return cleaned


REPORT_FIELDS = ["state", "summary", "late", "flagged", "due_on", "submitted_at"]


def _entries_snapshot(report: SituationReport) -> list:
    return [
        [e.topic.code, e.level, e.count, len(e.narrative), e.sources]
        for e in report.entries.select_related("topic").order_by("topic__code")
    ]


@transaction.atomic
def submit_report(
    *,
    actor,
    organization: Organization,
    period: Period,
    entries: list[dict],
    summary: str = "",
    now: dt.datetime | None = None,
) -> SituationReport:
    """Submit (or correct, until reviewed) an organization's report for a month or quarter.

    `entries`: one dict per topic with `topic` (code), `level` (stable / attention / tense),
    `narrative`, `sources` (codes of models.Source) and `count` (where the topic asks one).
    Narratives are checked for personal data; what is found is flagged, not refused.
    """
    require(actor, "situation.report", organization)
    now = now or timezone.now()
    today = timezone.localdate(now)
    rule = reporting_rule(organization)
    if rule is None:
        raise SituationError(
            _("Organizations of type %(type)s do not submit situation reports.")
            % {"type": organization.type},
            field="organization",
        )
    if period.kind != rule.frequency:
        raise SituationError(
            _("%(type)s reports %(frequency)s.")
            % {"type": organization.type, "frequency": rule.get_frequency_display().lower()},
            field="period",
        )
    if period.start > today:
        raise SituationError(
            _("The period %(period)s has not started yet.") % {"period": period.label},
            field="period",
        )
    cleaned = _clean_entries(entries)
    summary = _text(summary, "summary", max_length=5000, required=False)
    due_on = period.end + dt.timedelta(days=rule.due_days)
    report = (
        SituationReport.objects.select_for_update()
        .filter(organization=organization, period=period)
        .first()
    )
    before = None
    if report is not None:
        if report.state == ReportState.REVIEWED:
            raise Conflict(
                _("This report has been reviewed; it can no longer be changed."), field="period"
            )
        before = {**snapshot(report, REPORT_FIELDS), "entries": _entries_snapshot(report)}
        report.entries.all().delete()
    else:
        report = SituationReport(organization=organization, period=period)
    report.state = ReportState.SUBMITTED
    report.summary = summary
    report.submitted_at = now
    report.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    report.due_on = due_on
    report.late = today > due_on
    report.flagged = any(e["flags"] for e in cleaned)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:
        raise Conflict(_("A report for this period was just submitted."), field="period") from exc
    ReportEntry.objects.bulk_create(ReportEntry(report=report, **e) for e in cleaned)
    record(
        actor=actor,
        action="situation.submit_report" if before is None else "situation.correct_report",
        obj=report,
        before=before,
        after={**snapshot(report, REPORT_FIELDS), "entries": _entries_snapshot(report)},
    )
    return report


@transaction.atomic
def review_report(
    *, actor, report: SituationReport, decision: str, note: str = ""
) -> SituationReport:
    """Accept a report as reviewed, or return it to the unit with a note."""
    require(actor, "situation.manage", report.organization)
    if decision not in (ReportState.REVIEWED, ReportState.RETURNED):
        raise SituationError(_("Review as reviewed or returned."), field="decision")
    note = _text(note, "note", max_length=2000, required=decision == ReportState.RETURNED)
    report = SituationReport.objects.select_for_update().get(pk=report.pk)
    if report.submitted_by_id == actor.pk:
        # Four eyes: whoever sent a report does not review it.
        raise SituationError(
            _("You sent this report; another officer of the unit above reviews it."),
            field="decision",
        )
    if report.state == ReportState.REVIEWED:
        raise Conflict(_("This report has already been reviewed."), field="decision")
    before = snapshot(report, ["state", "review_note"])
    report.state = decision
    report.review_note = note
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.save(update_fields=["state", "review_note", "reviewed_by", "reviewed_at"])
    record(
        actor=actor,
        action="situation.review_report",
        obj=report,
        before=before,
        after=snapshot(report, ["state", "review_note"]),
    )
    return report


# Signals into follow-ups --------------------------------------------------------------------


def _signal(actor, unit: Organization, period: Period, topic_code: str, kind: str):
    from . import queries

    found = [
        s
        for s in queries.signals(actor, unit=unit, period=period)
        if s.topic.code == topic_code and s.kind == kind
    ]
    if not found:
        raise SituationError(_("There is no such signal for this unit and period."), field="topic")
    return found[0]


def _follow_up(actor, unit, period, signal, follow_up: str, target_id: int) -> SignalFollowUp:
    row = SignalFollowUp.objects.create(
        unit=unit,
        period=period,
        topic=signal.topic,
        kind=signal.kind,
        follow_up=follow_up,
        target_id=target_id,
        created_by=actor,
    )
    row.reports.set([r.pk for r in signal.reports])
    record(
        actor=actor,
        action=f"situation.signal_to_{follow_up}",
        obj=row,
        after={**snapshot(row), "reports": sorted(r.pk for r in signal.reports)},
    )
    return row


@transaction.atomic
def signal_to_task(
    *,
    actor,
    unit: Organization,
    period: Period,
    topic_code: str,
    kind: str,
    deadline,
    owner: Organization | None = None,
    title: str = "",
) -> SignalFollowUp:
    """Turn a signal into a task of `owner` (default: the unit) in the plans app."""
    from danvan.plans import services as plans_services

    require(actor, "situation.manage", unit)
    signal = _signal(actor, unit, period, topic_code, kind)
    owner = owner or unit
    if not owner.path.startswith(unit.path):
        raise SituationError(
            _("The task must belong to the unit or a unit under it."), field="owner"
        )
    title = title or _("%(signal)s: %(topic)s (%(period)s)") % {
        "signal": signal.label,
        "topic": signal.topic.name,
        "period": period.label,
    }
    description = "\n".join(
        [signal.explanation, ""]
        + [f"- {r.organization.name}: {r.level_label}" for r in signal.report_rows]
    )
    task = plans_services.create_task(
        actor=actor,
        owner=owner,
        title=title[:500],
        deadline=_date(deadline, "deadline"),
        description=description[:10000],
        origin=f"situation.signal:{signal.topic.code}:{period.pk}"[:120],
        action="situation.manage",
    )
    return _follow_up(actor, unit, period, signal, FollowUpKind.TASK, task.pk)


@transaction.atomic
def signal_to_dialogue(
    *,
    actor,
    unit: Organization,
    period: Period,
    topic_code: str,
    kind: str,
    held_on,
    heads: str,
    participants: int = 0,
    title: str = "",
) -> SignalFollowUp:
    """Record the dialogue held with citizens on a signal's topic (voices app)."""
    from danvan.voices import services as voices_services

    require(actor, "situation.manage", unit)
    signal = _signal(actor, unit, period, topic_code, kind)
    from danvan.voices.models import Topic as VoicesTopic

    voices_codes = [signal.topic.voices_topic] if signal.topic.voices_topic else []
    voices_codes = list(
        VoicesTopic.objects.filter(code__in=voices_codes).values_list("code", flat=True)
    )
    dialogue = voices_services.record_dialogue(
        actor=actor,
        unit=unit,
        title=title or _("Dialogue on %(topic)s") % {"topic": signal.topic.name},
        held_on=held_on,
        heads=heads,
        participants=participants,
        topic_codes=voices_codes,
        notes=signal.explanation,
    )
    return _follow_up(actor, unit, period, signal, FollowUpKind.DIALOGUE, dialogue.pk)


# Welfare campaigns --------------------------------------------------------------------------

CAMPAIGN_FIELDS = [
    "name", "type_id", "organization_id", "starts_on", "ends_on", "target_households",
    "target_money", "target_items", "items_label", "description",
]  # fmt: skip


@transaction.atomic
def create_campaign(
    *,
    actor,
    organization: Organization,
    type_code: str,
    name: str,
    starts_on,
    ends_on=None,
    target_households=0,
    target_money=0,
    target_items=0,
    items_label: str = "",
    description: str = "",
) -> Campaign:
    require(actor, "situation.manage", organization)
    campaign_type = CampaignType.objects.filter(code=type_code).first()
    if campaign_type is None:
        raise SituationError(
            _("Unknown campaign type: %(code)s.") % {"code": type_code}, field="type"
        )
    starts_on = _date(starts_on, "starts_on")
    ends_on = _date(ends_on, "ends_on", required=False)
    if ends_on and ends_on < starts_on:
        raise SituationError(_("The campaign ends before it starts."), field="ends_on")
    campaign = Campaign.objects.create(
        organization=organization,
        type=campaign_type,
        name=_text(name, "name", max_length=300),
        starts_on=starts_on,
        ends_on=ends_on,
        target_households=_whole(target_households, "target_households") or 0,
        target_money=_money(target_money, "target_money"),
        target_items=_whole(target_items, "target_items") or 0,
        items_label=_text(items_label, "items_label", max_length=100, required=False),
        description=_text(description, "description", max_length=5000, required=False),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record(
        actor=actor,
        action="situation.create_campaign",
        obj=campaign,
        after=snapshot(campaign, CAMPAIGN_FIELDS),
    )
    return campaign


@transaction.atomic
def add_funding(
    *, actor, campaign: Campaign, kind: str, amount, received_on, note: str = ""
) -> Funding:
    require(actor, "situation.manage", campaign.organization)
    funding = Funding.objects.create(
        campaign=campaign,
        kind=_choice(kind, FundingKind, "kind"),
        amount=_money(amount, "amount", positive=True),
        received_on=_date(received_on, "received_on"),
        note=_text(note, "note", max_length=300, required=False),
    )
    record(actor=actor, action="situation.add_funding", obj=funding, after=snapshot(funding))
    return funding


def _check_area(unit: Organization, area) -> None:
    """A household lies in the handling unit's area (or an area below it), so roll-ups by
    area never count it somewhere else."""
    if not isinstance(area, Area):
        raise SituationError(_("Choose an area."), field="area")
    if not area.path.startswith(unit.area.path):
        raise SituationError(_("The area must be in the unit's area."), field="area")


def _clean_household(*, campaign, unit, area, household_code, category, funding_kind, name):
    code = _text(household_code, "household_code", max_length=40)
    _unit_in_campaign(campaign.organization, unit)
    _check_area(unit, area)
    return {
        "household_code": code,
        "category": _choice(category, BeneficiaryCategory, "category"),
        "funding_kind": _choice(funding_kind, FundingKind, "funding_kind", blank=True),
        "name_enc": crypto.encrypt(_text(name, "name", max_length=200, required=False)),
    }


BENEFICIARY_FIELDS = [
    "campaign_id", "unit_id", "area_id", "household_code", "category", "funding_kind",
    "progress", "built_on", "handed_over_on", "disbursed", "items",
]  # fmt: skip


@transaction.atomic
def add_beneficiary(
    *,
    actor,
    campaign: Campaign,
    unit: Organization,
    area: Area,
    household_code: str,
    category: str,
    funding_kind: str = "",
    name: str = "",
) -> Beneficiary:
    """Record a household helped by the campaign: a code, the place, a category; the name is
    optional and stored encrypted (the audit log records only that one was given)."""
    _may_record_for(actor, unit)
    fields = _clean_household(
        campaign=campaign, unit=unit, area=area, household_code=household_code,
        category=category, funding_kind=funding_kind, name=name,
    )  # fmt: skip
    if Beneficiary.objects.filter(
        campaign=campaign, household_code=fields["household_code"]
    ).exists():
        raise Conflict(
            _("Household %(code)s is already in this campaign.")
            % {"code": fields["household_code"]},
            field="household_code",
        )
    beneficiary = Beneficiary.objects.create(campaign=campaign, unit=unit, area=area, **fields)
    record(
        actor=actor,
        action="situation.add_beneficiary",
        obj=beneficiary,
        after={**snapshot(beneficiary, BENEFICIARY_FIELDS), "name_given": bool(name)},
    )
    return beneficiary


@transaction.atomic
def record_progress(
    *, actor, beneficiary: Beneficiary, progress: str, on=None, items: int | None = None
) -> Beneficiary:
    """Move a household along registered → being built → built → handed over (or back, to
    correct a mistake); dates default to today."""
    _may_record_for(actor, beneficiary.unit)
    progress = _choice(progress, Progress, "progress")
    on = _date(on, "on", required=False) or timezone.localdate()
    if on > timezone.localdate():
        raise SituationError(_("The date cannot be in the future."), field="on")
    beneficiary = Beneficiary.objects.select_for_update().get(pk=beneficiary.pk)
    before = snapshot(beneficiary, BENEFICIARY_FIELDS)
    beneficiary.progress = progress
    rank = PROGRESS_ORDER.index(progress)
    if rank >= PROGRESS_ORDER.index(Progress.BUILT):
        beneficiary.built_on = beneficiary.built_on or on
    else:
        beneficiary.built_on = None
    if progress == Progress.HANDED_OVER:
        beneficiary.handed_over_on = on
    else:
        beneficiary.handed_over_on = None
    if items is not None:
        beneficiary.items = _whole(items, "items") or 0
    beneficiary.save()
    record(
        actor=actor,
        action="situation.record_progress",
        obj=beneficiary,
        before=before,
        after=snapshot(beneficiary, BENEFICIARY_FIELDS),
    )
    return beneficiary


def campaign_funds(campaign: Campaign) -> Decimal:
    return Funding.objects.filter(campaign=campaign).aggregate(s=Sum("amount"))["s"] or Decimal(0)


def _committed(campaign: Campaign) -> Decimal:
    """Money out of the campaign: disbursed to households plus loans not yet repaid."""
    disbursed = Beneficiary.objects.filter(campaign=campaign).aggregate(s=Sum("disbursed"))["s"]
    loans = Loan.objects.filter(campaign=campaign).aggregate(a=Sum("amount"), r=Sum("repaid"))
    return (disbursed or 0) + (loans["a"] or 0) - (loans["r"] or 0)


def _check_funds(campaign: Campaign, amount: Decimal, override: bool, reason: str) -> str:
    """Refuse money beyond the campaign's funds unless the override is explicit, with a
    reason (which the caller audits)."""
    Campaign.objects.select_for_update().filter(pk=campaign.pk).first()  # one payer at a time
    funds = campaign_funds(campaign)
    after = _committed(campaign) + amount
    if after <= funds:
        return ""
    if not override:
        raise SituationError(
            _(
                "This would pay out %(after)s đ against funds of %(funds)s đ. Record more "
                "funding first, or confirm the override with a reason."
            )
            % {
                "after": f"{after:,.0f}".replace(",", "."),
                "funds": f"{funds:,.0f}".replace(",", "."),
            },
            field="amount",
            code="over_funds",
        )
    return _text(reason, "override_reason", max_length=500)


@transaction.atomic
def disburse(
    *,
    actor,
    beneficiary: Beneficiary,
    amount,
    paid_on=None,
    override: bool = False,
    override_reason: str = "",
) -> Disbursement:
    _may_record_for(actor, beneficiary.unit)
    amount = _money(amount, "amount", positive=True)
    paid_on = _date(paid_on, "paid_on", required=False) or timezone.localdate()
    if paid_on > timezone.localdate():
        raise SituationError(_("The date cannot be in the future."), field="paid_on")
    reason = _check_funds(beneficiary.campaign, amount, override, override_reason)
    payment = Disbursement.objects.create(
        beneficiary=beneficiary,
        amount=amount,
        paid_on=paid_on,
        override_reason=reason,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Beneficiary.objects.filter(pk=beneficiary.pk).update(disbursed=beneficiary.disbursed + amount)
    beneficiary.refresh_from_db(fields=["disbursed"])
    record(
        actor=actor,
        action="situation.disburse_over_funds" if reason else "situation.disburse",
        obj=beneficiary,
        changes={
            "amount": [None, str(amount)],
            "disbursed": [str(beneficiary.disbursed - amount), str(beneficiary.disbursed)],
            **({"override_reason": [None, reason]} if reason else {}),
        },
    )
    return payment


@transaction.atomic
def lend(
    *,
    actor,
    campaign: Campaign,
    unit: Organization,
    area: Area,
    household_code: str,
    purpose: str,
    amount,
    lent_on,
    due_on,
    override: bool = False,
    override_reason: str = "",
) -> Loan:
    """A loan from a revolving fund such as the Farmers' Support Fund."""
    _may_record_for(actor, unit)
    if not campaign.type.is_loan_fund:
        raise SituationError(_("This campaign is not a loan fund."), field="campaign")
    _unit_in_campaign(campaign.organization, unit)
    _check_area(unit, area)
    amount = _money(amount, "amount", positive=True)
    lent_on = _date(lent_on, "lent_on")
    due_on = _date(due_on, "due_on")
    if due_on <= lent_on:
        raise SituationError(_("The loan must be due after it is made."), field="due_on")
    reason = _check_funds(campaign, amount, override, override_reason)
    loan = Loan.objects.create(
        campaign=campaign,
        unit=unit,
        area=area,
        household_code=_text(household_code, "household_code", max_length=40),
        purpose=_text(purpose, "purpose", max_length=300),
        amount=amount,
        lent_on=lent_on,
        due_on=due_on,
        override_reason=reason,
    )
    record(actor=actor, action="situation.lend", obj=loan, after=snapshot(loan))
    return loan


@transaction.atomic
def repay(*, actor, loan: Loan, amount) -> Loan:
    _may_record_for(actor, loan.unit)
    amount = _money(amount, "amount", positive=True)
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.repaid + amount > loan.amount:
        raise SituationError(
            _("Only %(left)s đ is outstanding on this loan.")
            % {"left": f"{loan.outstanding:,.0f}".replace(",", ".")},
            field="amount",
        )
    before = snapshot(loan, ["repaid"])
    loan.repaid += amount
    loan.save(update_fields=["repaid"])
    record(
        actor=actor,
        action="situation.repay",
        obj=loan,
        before=before,
        after=snapshot(loan, ["repaid"]),
    )
    return loan


# Import of beneficiaries --------------------------------------------------------------------


@transaction.atomic
def import_beneficiaries(*, actor, campaign: Campaign, rows: list[dict]) -> list[Beneficiary]:
    """Write checked rows (see `io.check_beneficiaries`) all at once, or none: any row that
    fails here too rolls the whole import back."""
    created = []
    for row in rows:
        created.append(
            add_beneficiary(
                actor=actor,
                campaign=campaign,
                unit=row["unit"],
                area=row["area"],
                household_code=row["household_code"],
                category=row["category"],
                funding_kind=row.get("funding_kind", ""),
                name=row.get("name", ""),
            )
        )
        if row.get("progress") and row["progress"] != Progress.REGISTERED:
            record_progress(actor=actor, beneficiary=created[-1], progress=row["progress"])
    record(
        actor=actor,
        action="situation.import_beneficiaries",
        obj=campaign,
        changes={"rows": [None, len(created)]},
    )
    return created


# Land handover -----------------------------------------------------------------------------


@transaction.atomic
def create_project(
    *,
    actor,
    organization: Organization,
    code: str,
    name: str,
    starts_on,
    total_area_m2=0,
    investor: str = "",
    deadline=None,
    description: str = "",
) -> LandProject:
    require(actor, "situation.manage", organization)
    code = _text(code, "code", max_length=60)
    from django.core.validators import validate_slug

    try:
        validate_slug(code)
    except Exception as exc:
        raise SituationError(
            _("The code may contain only letters, digits, hyphens and underscores."), field="code"
        ) from exc
    if LandProject.objects.filter(code=code).exists():
        raise Conflict(_("A project with code %(code)s exists.") % {"code": code}, field="code")
    starts_on = _date(starts_on, "starts_on")
    deadline = _date(deadline, "deadline", required=False)
    if deadline and deadline < starts_on:
        raise SituationError(_("The deadline comes before the start."), field="deadline")
    project = LandProject.objects.create(
        organization=organization,
        code=code,
        name=_text(name, "name", max_length=300),
        investor=_text(investor, "investor", max_length=300, required=False),
        total_area_m2=_area_m2(total_area_m2 or 0, "total_area_m2"),
        starts_on=starts_on,
        deadline=deadline,
        description=_text(description, "description", max_length=5000, required=False),
    )
    record(actor=actor, action="situation.create_project", obj=project, after=snapshot(project))
    return project


HOUSEHOLD_FIELDS = ["state", "handed_over_on", "issue_type", "issue_note", "area_m2"]


@transaction.atomic
def add_household(
    *,
    actor,
    project: LandProject,
    unit: Organization,
    area: Area,
    household_code: str,
    area_m2,
    state: str = HandoverState.INFORMED,
    issue_type: str = "",
    issue_note: str = "",
) -> AffectedHousehold:
    _may_record_for(actor, unit)
    _unit_in_campaign(project.organization, unit)
    _check_area(unit, area)
    code = _text(household_code, "household_code", max_length=40)
    if AffectedHousehold.objects.filter(project=project, household_code=code).exists():
        raise Conflict(
            _("Household %(code)s is already in this project.") % {"code": code},
            field="household_code",
        )
    household = AffectedHousehold.objects.create(
        project=project,
        unit=unit,
        area=area,
        household_code=code,
        area_m2=_area_m2(area_m2, "area_m2"),
        state=_choice(state, HandoverState, "state"),
        handed_over_on=timezone.localdate() if state == HandoverState.HANDED_OVER else None,
        issue_type=_choice(issue_type, IssueType, "issue_type", blank=True),
        issue_note=_text(issue_note, "issue_note", max_length=500, required=False),
    )
    record(actor=actor, action="situation.add_household", obj=household, after=snapshot(household))
    return household


@transaction.atomic
def update_household(
    *,
    actor,
    household: AffectedHousehold,
    state: str,
    issue_type: str = "",
    issue_note: str = "",
    on=None,
) -> AffectedHousehold:
    """Set a household's state and its outstanding issue (empty when none is left)."""
    _may_record_for(actor, household.unit)
    state = _choice(state, HandoverState, "state")
    issue_type = _choice(issue_type, IssueType, "issue_type", blank=True)
    on = _date(on, "on", required=False) or timezone.localdate()
    household = AffectedHousehold.objects.select_for_update().get(pk=household.pk)
    before = snapshot(household, HOUSEHOLD_FIELDS)
    household.state = state
    household.handed_over_on = (
        (household.handed_over_on or on) if state == HandoverState.HANDED_OVER else None
    )
    household.issue_type = issue_type
    household.issue_note = (
        _text(issue_note, "issue_note", max_length=500, required=False) if issue_type else ""
    )
    household.save()
    record(
        actor=actor,
        action="situation.update_household",
        obj=household,
        before=before,
        after=snapshot(household, HOUSEHOLD_FIELDS),
    )
    return household


@transaction.atomic
def record_meeting(
    *,
    actor,
    project: LandProject,
    unit: Organization,
    held_on,
    title: str,
    households: int = 0,
    outcome: str = "",
) -> ProjectMeeting:
    _may_record_for(actor, unit)
    _unit_in_campaign(project.organization, unit)
    held_on = _date(held_on, "held_on")
    if held_on > timezone.localdate():
        raise SituationError(_("The date cannot be in the future."), field="held_on")
    meeting = ProjectMeeting.objects.create(
        project=project,
        unit=unit,
        held_on=held_on,
        title=_text(title, "title", max_length=300),
        households=_whole(households, "households") or 0,
        outcome=_text(outcome, "outcome", max_length=5000, required=False),
    )
    record(actor=actor, action="situation.record_meeting", obj=meeting, after=snapshot(meeting))
    return meeting


__all__ = [
    "HANDOVER_ORDER",
    "SituationError",
]
