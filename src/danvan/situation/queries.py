"""Reads of the situation app, through the scope choke point (`visible`).

Figures are about topics, units and places. A beneficiary's name is read in one place only,
`beneficiary_names`, for holders of `situation.view_beneficiaries` on the handling unit, and
each read is audited; lists, roll-ups, exports and the API carry none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.accounts.scope import can, covers, may_read_identity, visible
from danvan.audit.log import record
from danvan.core import crypto
from danvan.core.collation import Vietnamese
from danvan.core.errors import NotFound
from danvan.core.tree import under, under_any
from danvan.org import periods as org_periods
from danvan.org.models import Organization, Period, PeriodKind

from .models import (
    AffectedHousehold,
    Beneficiary,
    Campaign,
    FundingKind,
    HandoverState,
    IssueType,
    LandProject,
    Level,
    Loan,
    ProjectMeeting,
    ReportEntry,
    ReportingRule,
    SignalFollowUp,
    SignalKind,
    SignalMeasure,
    SignalRule,
    SituationReport,
    Topic,
)

MAX_COLUMNS = 60


def percent(part, whole) -> float | None:
    """One decimal, half up (1,016 of 1,240 is 81.9)."""
    if not whole:
        return None
    value = Decimal(part) * 100 / Decimal(whole)
    return float(value.quantize(Decimal("0.1"), rounding="ROUND_HALF_UP"))


# Periods -----------------------------------------------------------------------------------


def current_period(kind: str, today: dt.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    return today.year, org_periods.index_of(kind, today)


def previous_bounds(period: Period, steps: int = 1) -> tuple[dt.date, dt.date] | None:
    months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3}.get(period.kind)
    if months is None:
        return None
    index = org_periods.index_of(period.kind, period.start) - steps
    year = period.start.year
    per_year = 12 // months
    while index < 1:
        index += per_year
        year -= 1
    return org_periods.bounds(period.kind, year, index)


def previous_periods(period: Period, count: int = 1) -> list[Period]:
    """The `count` periods of the same kind before `period` that exist, newest first."""
    starts = [b[0] for step in range(1, count + 1) if (b := previous_bounds(period, step))]
    found = {p.start: p for p in Period.objects.filter(kind=period.kind, start__in=starts, body="")}
    return [found[s] for s in starts if s in found]


# Reports -----------------------------------------------------------------------------------


def reports(
    user,
    *,
    unit: Organization | None = None,
    period: Period | None = None,
    state: str | None = None,
    flagged: bool | None = None,
) -> QuerySet:
    qs = visible(
        user,
        SituationReport.objects.select_related(
            "organization", "organization__area", "period", "submitted_by"
        ),
    )
    if unit is not None:
        qs = qs.filter(under(unit.path, "organization__path"))
    if period is not None:
        qs = qs.filter(period=period)
    if state:
        qs = qs.filter(state=state)
    if flagged is not None:
        qs = qs.filter(flagged=flagged)
    return qs.order_by("-period__start", "organization__path", "pk")


def get_report(user, report_id: int) -> SituationReport:
    found = reports(user).filter(pk=report_id).first()
    if found is None:
        raise NotFound(_("Unknown report: %(id)s.") % {"id": report_id}, field="report")
    return found


def entries(user, *, unit: Organization | None = None, periods=None) -> QuerySet:
    qs = visible(user, ReportEntry.objects.all())
    if unit is not None:
        qs = qs.filter(under(unit.path, "report__organization__path"))
    if periods is not None:
        qs = qs.filter(report__period__in=periods)
    return qs


def missing_reports(
    user, *, unit: Organization | None, period: Period, today: dt.date | None = None
) -> dict:
    """Who should have reported for the period (by the reporting rules of their type), who
    did, who has not, and who was or is late."""
    today = today or timezone.localdate()
    rules = {
        r.org_type_id: r
        for r in ReportingRule.objects.filter(is_active=True, frequency=period.kind)
    }
    expected = visible(user, Organization.objects.select_related("type", "area")).filter(
        type_id__in=list(rules), is_active=True
    )
    expected = expected.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.end))
    expected = expected.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
    if unit is not None:
        expected = expected.filter(under(unit.path))
    submitted = reports(user, unit=unit, period=period)
    submitted_ids = set(submitted.values_list("organization_id", flat=True))
    missing = []
    for org in expected.order_by("path"):
        if org.pk in submitted_ids:
            continue
        due_on = period.end + dt.timedelta(days=rules[org.type_id].due_days)
        missing.append({"organization": org, "due_on": due_on, "overdue": today > due_on})
    return {
        "period": period,
        "expected": expected.count(),
        "submitted": len(submitted_ids),
        "missing": missing,
        "late": list(submitted.filter(late=True)),
    }


# Matrix ---------------------------------------------------------------------------------


def _columns(user, unit: Organization | None) -> list[Organization]:
    if unit is not None:
        children = visible(user, Organization.objects.select_related("area")).filter(
            under(unit.path, include_self=False), depth=unit.depth + 1
        )
        return [unit, *children.order_by("path")[:MAX_COLUMNS]]
    paths: list[str] = []
    for path in sorted(visible(user, Organization.objects.all()).values_list("path", flat=True)):
        if not paths or not path.startswith(paths[-1]):
            paths.append(path)
    return list(
        Organization.objects.filter(path__in=paths[:MAX_COLUMNS])
        .select_related("area")
        .order_by("path")
    )


def _cell_rows(user, unit, columns, periods) -> list[dict]:
    """Per column prefix × topic × period: the highest level and the count at each level."""
    rows: list[dict] = []
    by_depth: dict[int, list[Organization]] = {}
    for col in columns:
        if unit is not None and col.pk == unit.pk:
            continue
        by_depth.setdefault(col.depth, []).append(col)
    base = entries(user, periods=periods)
    if unit is not None:
        # The unit's own reports: exactly its path.
        own = base.filter(report__organization__path=unit.path)
        rows += [
            dict(r, prefix=unit.path)
            for r in _aggregate(own.values("topic_id", "report__period_id"))
        ]
    for depth, cols in by_depth.items():
        scoped = base.filter(
            under_any([c.path for c in cols], "report__organization__path")
        ).annotate(prefix=Substr("report__organization__path", 1, depth * 4))
        rows += list(_aggregate(scoped.values("prefix", "topic_id", "report__period_id")))
    return rows


def _aggregate(values_qs):
    return values_qs.annotate(
        top=Max("level"),
        n=Count("id"),
        tense=Count("id", filter=Q(level=Level.TENSE)),
        attention=Count("id", filter=Q(level=Level.ATTENTION)),
    ).order_by()


def _trend(now: dict | None, before: dict | None) -> str:
    if not now:
        return ""
    if not before:
        return "new"
    a = (now["top"], now["tense"], now["attention"])
    b = (before["top"], before["tense"], before["attention"])
    return "up" if a > b else ("down" if a < b else "same")


def matrix(user, *, unit: Organization | None, period: Period, history: int = 3) -> dict:
    """Topic × area (the unit itself and the units directly under it): in each cell the
    highest level reported in that subtree, how many reports were tense or needed
    attention, and the trend against the previous period; per topic, the subtree's level
    over the last periods."""
    columns = _columns(user, unit)
    earlier = previous_periods(period, history)
    previous = earlier[0] if earlier else None
    periods = [period, *earlier]
    rows = _cell_rows(user, unit, columns, periods)
    cells = {(r["prefix"], r["topic_id"], r["report__period_id"]): r for r in rows}
    # Per topic over the whole subtree, per period.
    totals: dict[tuple[int, int], dict] = {}
    for r in rows:
        key = (r["topic_id"], r["report__period_id"])
        t = totals.setdefault(key, {"top": 0, "n": 0, "tense": 0, "attention": 0})
        t["top"] = max(t["top"], r["top"])
        for k in ("n", "tense", "attention"):
            t[k] += r[k]
    used = {r["prefix"] for r in rows if r["report__period_id"] == period.pk}
    shown = [c for c in columns if c.path in used or (unit is None or c.pk != unit.pk)]
    topics = list(Topic.objects.filter(is_active=True))
    table = []
    for topic in topics:
        row_cells = []
        for col in shown:
            now = cells.get((col.path, topic.pk, period.pk))
            before = cells.get((col.path, topic.pk, previous.pk)) if previous else None
            row_cells.append(
                {
                    "column": col,
                    "level": now["top"] if now else None,
                    "n": now["n"] if now else 0,
                    "tense": now["tense"] if now else 0,
                    "attention": now["attention"] if now else 0,
                    "previous": before["top"] if before else None,
                    "trend": _trend(now, before),
                }
            )
        now_total = totals.get((topic.pk, period.pk))
        before_total = totals.get((topic.pk, previous.pk)) if previous else None
        table.append(
            {
                "topic": topic,
                "cells": row_cells,
                "level": now_total["top"] if now_total else None,
                "tense": now_total["tense"] if now_total else 0,
                "attention": now_total["attention"] if now_total else 0,
                "n": now_total["n"] if now_total else 0,
                "trend": _trend(now_total, before_total),
                "history": [
                    {"period": p, "level": (totals.get((topic.pk, p.pk)) or {}).get("top")}
                    for p in reversed(periods)
                ],
            }
        )
    return {
        "unit": unit,
        "period": period,
        "previous": previous,
        "columns": shown,
        "rows": table,
        "reports": reports(user, unit=unit, period=period).count(),
    }


def cell_entries(user, *, unit: Organization, period: Period, topic: Topic) -> QuerySet:
    """The entries behind one cell of the matrix (a subtree, a period, a topic)."""
    return (
        entries(user, unit=unit, periods=[period])
        .filter(topic=topic)
        .select_related("report__organization__area", "topic", "report__period")
        .order_by("-level", "report__organization__path", "pk")
    )


# Signals ------------------------------------------------------------------------------------


@dataclass
class ReportRow:
    report: SituationReport
    organization: Organization
    level: int
    previous_level: int | None = None

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label)


@dataclass
class Signal:
    kind: str
    topic: Topic
    rule: SignalRule | None
    report_rows: list[ReportRow] = field(default_factory=list)
    now: int = 0
    before: int | None = None
    hot_spots: list[dict] = field(default_factory=list)
    follow_ups: list[SignalFollowUp] = field(default_factory=list)

    @property
    def reports(self) -> list[SituationReport]:
        return [row.report for row in self.report_rows]

    @property
    def label(self) -> str:
        return str(SignalKind(self.kind).label)

    @property
    def explanation(self) -> str:
        if self.rule is None:
            return _("Citizens' cases on this topic rose in %(n)d area(s).") % {
                "n": len(self.hot_spots)
            }
        level = str(Level(self.rule.min_level).label).lower()
        if self.rule.measure == SignalMeasure.MORE_UNITS:
            return _(
                "%(now)d units reported “%(level)s” or higher, against %(before)d in the "
                "previous period. A signal is raised from %(units)d units with %(rise)d more "
                "than before."
            ) % {
                "now": self.now, "before": self.before or 0, "level": level,
                "units": self.rule.min_units, "rise": self.rule.min_increase,
            }  # fmt: skip
        if self.rule.measure == SignalMeasure.LEVEL_UP:
            return _(
                "%(now)d units raised their level since their previous report. A signal is "
                "raised from %(units)d units."
            ) % {"now": self.now, "units": self.rule.min_units}
        return _(
            "%(now)d units reported “%(level)s” or higher. A signal is raised from %(units)d units."
        ) % {"now": self.now, "level": level, "units": self.rule.min_units}


def _rule_matches(rule: SignalRule, now_rows, prev_levels) -> tuple[list, int, int | None] | None:
    at_level = [r for r in now_rows if r.level >= rule.min_level]
    if rule.measure == SignalMeasure.UNITS_AT_LEVEL:
        return (at_level, len(at_level), None) if len(at_level) >= rule.min_units else None
    if rule.measure == SignalMeasure.MORE_UNITS:
        before = sum(1 for level in prev_levels.values() if level >= rule.min_level)
        if len(at_level) >= rule.min_units and len(at_level) - before >= rule.min_increase:
            return at_level, len(at_level), before
        return None
    went_up = [
        r
        for r in now_rows
        if r.level >= rule.min_level and r.previous_level is not None and r.level > r.previous_level
    ]
    return (went_up, len(went_up), None) if len(went_up) >= rule.min_units else None


def _hot_spots(user, unit, period) -> list[dict]:
    try:
        from danvan.voices import queries as voices_queries
    except ImportError:  # the citizens' voices app is not installed
        return []
    day = min(period.end, timezone.localdate())
    months = 1 if period.kind == PeriodKind.MONTH else 3
    return voices_queries.hot_spots(user, unit=unit, today=day, months=months)


def _voices_topic_map(topics) -> dict[int, Topic]:
    """Voices topic id → our topic, through Topic.voices_topic (data)."""
    codes = {t.voices_topic: t for t in topics if t.voices_topic and t.is_active}
    if not codes:
        return {}
    try:
        from danvan.voices.models import Topic as VoicesTopic
    except ImportError:
        return {}
    return {
        pk: codes[code]
        for pk, code in VoicesTopic.objects.filter(code__in=list(codes)).values_list("pk", "code")
    }


def signals(user, *, unit: Organization | None, period: Period) -> list[Signal]:
    """Tense and rising topics in the subtree for the period, by the active signal rules
    (first matching rule per topic and kind), plus hot spots of citizens' cases on the
    same topics. Only reports the user may see count."""
    previous = (previous_periods(period, 1) or [None])[0]
    now_entries = (
        entries(user, unit=unit, periods=[period])
        .select_related("report__organization", "report__period")
        .order_by("report__organization__path", "pk")
    )
    prev_levels: dict[tuple[int, int], int] = {}
    if previous is not None:
        for org_id, topic_id, level in entries(user, unit=unit, periods=[previous]).values_list(
            "report__organization_id", "topic_id", "level"
        ):
            prev_levels[(org_id, topic_id)] = level
    by_topic: dict[int, list[ReportRow]] = {}
    for entry in now_entries:
        report = entry.report
        by_topic.setdefault(entry.topic_id, []).append(
            ReportRow(
                report=report,
                organization=report.organization,
                level=entry.level,
                previous_level=prev_levels.get((report.organization_id, entry.topic_id)),
            )
        )
    topics = {t.pk: t for t in Topic.objects.all()}
    rules = list(SignalRule.objects.filter(is_active=True))
    found: dict[tuple[str, int], Signal] = {}
    for topic_id, rows in by_topic.items():
        prev_for_topic = {k: v for k, v in prev_levels.items() if k[1] == topic_id}
        for rule in rules:
            if (rule.kind, topic_id) in found:
                continue
            matched = _rule_matches(rule, rows, prev_for_topic)
            if matched:
                behind, now, before = matched
                found[(rule.kind, topic_id)] = Signal(
                    kind=rule.kind, topic=topics[topic_id], rule=rule,
                    report_rows=behind, now=now, before=before,
                )  # fmt: skip
    by_voices = _voices_topic_map(topics.values())
    for spot in _hot_spots(user, unit, period):
        topic = by_voices.get(spot.get("topic_id"))
        if topic is None:
            continue
        attached = [s for (kind, tid), s in found.items() if tid == topic.pk]
        if attached:
            for s in attached:
                s.hot_spots.append(spot)
        else:
            signal = found.setdefault(
                (SignalKind.HOT_SPOT, topic.pk),
                Signal(kind=SignalKind.HOT_SPOT, topic=topic, rule=None),
            )
            signal.hot_spots.append(spot)
            signal.now = len(signal.hot_spots)
    if found and unit is not None:
        follow = SignalFollowUp.objects.filter(unit=unit, period=period)
        for row in follow:
            signal = found.get((row.kind, row.topic_id))
            if signal is not None:
                signal.follow_ups.append(row)
    order = {SignalKind.RISING: 0, SignalKind.TENSE: 1, SignalKind.HOT_SPOT: 2}
    return sorted(
        found.values(), key=lambda s: (order[s.kind], -s.now, s.topic.sort_order, s.topic.code)
    )


# Campaigns ------------------------------------------------------------------------------------


def campaigns(user, *, unit: Organization | None = None, type_code: str | None = None) -> QuerySet:
    qs = visible(user, Campaign.objects.select_related("organization", "type"))
    if unit is not None:
        # Campaigns the unit organizes or takes part in (organized above it).
        qs = qs.filter(
            under(unit.path, "organization__path") | Q(organization__path__in=_ancestors(unit))
        )
    if type_code:
        qs = qs.filter(type__code=type_code)
    return qs.order_by("-starts_on", "-pk")


def _ancestors(unit: Organization) -> list[str]:
    from danvan.core.tree import ancestors

    return ancestors(unit.path)


def get_campaign(user, campaign_id: int) -> Campaign:
    found = campaigns(user).filter(pk=campaign_id).first()
    if found is None:
        raise NotFound(_("Unknown campaign: %(id)s.") % {"id": campaign_id}, field="campaign")
    return found


def beneficiaries(user, *, campaign: Campaign, unit: Organization | None = None) -> QuerySet:
    qs = visible(user, Beneficiary.objects.select_related("unit", "area")).filter(campaign=campaign)
    if unit is not None:
        qs = qs.filter(under(unit.path, "unit__path"))
    return qs.order_by("household_code", "pk")


def get_beneficiary(user, beneficiary_id: int) -> Beneficiary:
    found = (
        visible(
            user,
            Beneficiary.objects.select_related(
                "unit", "area", "campaign__type", "campaign__organization"
            ),
        )
        .filter(pk=beneficiary_id)
        .first()
    )
    if found is None:
        raise NotFound(_("Not found."), field="beneficiary")
    return found


def may_see_names(user, beneficiary: Beneficiary) -> bool:
    """Only holders of situation.view_beneficiaries covering the handling unit."""
    return may_read_identity(user, "situation.view_beneficiaries", beneficiary)


def beneficiary_names(user, rows: list[Beneficiary]) -> dict[int, str]:
    """The names the user may read among `rows` (decrypted); the read is audited."""
    allowed = [b for b in rows if b.name_enc and may_see_names(user, b)]
    if not allowed:
        return {}
    with transaction.atomic():
        record(
            actor=user,
            action="situation.view_beneficiaries",
            obj=allowed[0].campaign,
            changes={"households": [None, sorted(b.household_code for b in allowed)]},
        )
    return {b.pk: crypto.decrypt(b.name_enc) for b in allowed}


def _covers_campaign(user, campaign: Campaign, unit: Organization | None) -> bool:
    if unit is not None and not campaign.organization.path.startswith(unit.path):
        return False
    return covers(user, campaign)


FIGURES = {
    "registered": Count("id"),
    "built": Count("id", filter=Q(progress__in=["built", "handed_over"])),
    "handed_over": Count("id", filter=Q(progress="handed_over")),
    "disbursed": Sum("disbursed"),
    "items": Sum("items"),
}


def _figures(row: dict) -> dict:
    return {
        **row,
        "disbursed": row.get("disbursed") or Decimal(0),
        "items": row.get("items") or 0,
    }


def campaign_rollup(user, *, campaign: Campaign, unit: Organization | None = None) -> dict:
    """Progress of a campaign in a subtree: households registered, built, handed over,
    money disbursed; by area (commune), by funding source and by unit directly under the
    subtree's top; the percent of target where the viewer sees the whole campaign; funds by
    source; and, for a loan fund, loans out, repaid and outstanding. Counts and sums only."""
    base = beneficiaries(user, campaign=campaign, unit=unit)
    totals = _figures(base.aggregate(**FIGURES))
    whole = _covers_campaign(user, campaign, unit)
    by_area = [
        _figures(r)
        for r in base.values("area_id", "area__name")
        .annotate(**FIGURES)
        .order_by(Vietnamese("area__name"), "area_id")
    ]
    labels = dict(FundingKind.choices)
    by_funding = [
        _figures({**r, "label": labels.get(r["funding_kind"], _("Not specified"))})
        for r in base.values("funding_kind").annotate(**FIGURES).order_by("funding_kind")
    ]
    funds = []
    if whole or unit is None:
        fund_rows = (
            visible(user, campaign.fundings.all()).values("kind").annotate(amount=Sum("amount"))
        )
        funds = [
            {"kind": r["kind"], "label": labels[r["kind"]], "amount": r["amount"]}
            for r in fund_rows.order_by("kind")
        ]
    by_unit = [
        _figures(r)
        for r in base.values("unit_id", "unit__name")
        .annotate(**FIGURES)
        .order_by(Vietnamese("unit__name"), "unit_id")
    ]
    for row in by_unit:
        row["unit"] = row["unit__name"]
    target = campaign.target_households if whole else None
    result = {
        "campaign": campaign,
        "whole": whole,
        "totals": totals,
        "target_households": target,
        "percent_of_target": percent(totals["handed_over"], target) if target else None,
        "percent_of_registered": percent(totals["handed_over"], totals["registered"]),
        "by_area": by_area,
        "by_funding": by_funding,
        "by_unit": by_unit,
        "funds": funds,
        "funds_total": sum((f["amount"] for f in funds), Decimal(0)),
        "loans": None,
    }
    if campaign.type.is_loan_fund:
        result["loans"] = loan_rollup(user, campaign=campaign, unit=unit)
    return result


def loans(user, *, campaign: Campaign, unit: Organization | None = None) -> QuerySet:
    qs = visible(user, Loan.objects.select_related("unit", "area")).filter(campaign=campaign)
    if unit is not None:
        qs = qs.filter(under(unit.path, "unit__path"))
    return qs.order_by("lent_on", "pk")


def get_loan(user, loan_id: int) -> Loan:
    found = (
        visible(user, Loan.objects.select_related("unit", "area", "campaign"))
        .filter(pk=loan_id)
        .first()
    )
    if found is None:
        raise NotFound(_("Not found."), field="loan")
    return found


def loan_rollup(user, *, campaign: Campaign, unit: Organization | None = None) -> dict:
    qs = loans(user, campaign=campaign, unit=unit)
    agg = qs.aggregate(n=Count("id"), out=Sum("amount"), repaid=Sum("repaid"))
    out, repaid = agg["out"] or Decimal(0), agg["repaid"] or Decimal(0)
    today = timezone.localdate()
    by_area = []
    for r in (
        qs.values("area__name")
        .annotate(n=Count("id"), out=Sum("amount"), repaid=Sum("repaid"))
        .order_by(Vietnamese("area__name"))
    ):
        by_area.append({**r, "outstanding": (r["out"] or 0) - (r["repaid"] or 0)})
    overdue = qs.filter(due_on__lt=today).exclude(repaid__gte=F("amount")).count()
    return {
        "loans": agg["n"],
        "out": out,
        "repaid": repaid,
        "outstanding": out - repaid,
        "overdue": overdue,
        "by_area": by_area,
    }


def campaigns_overview(user, *, unit: Organization | None = None) -> list[dict]:
    """Each visible campaign with the subtree's households registered and handed over."""
    rows = list(campaigns(user, unit=unit))
    qs = visible(user, Beneficiary.objects.all()).filter(campaign__in=rows)
    if unit is not None:
        qs = qs.filter(under(unit.path, "unit__path"))
    figures = {r["campaign_id"]: r for r in qs.values("campaign_id").annotate(**FIGURES).order_by()}
    result = []
    for campaign in rows:
        f = _figures(figures.get(campaign.pk) or {"registered": 0, "built": 0, "handed_over": 0})
        whole = _covers_campaign(user, campaign, unit)
        result.append(
            {
                "campaign": campaign,
                **f,
                "percent_of_target": percent(f["handed_over"], campaign.target_households)
                if whole and campaign.target_households
                else None,
            }
        )
    return result


# Land handover -------------------------------------------------------------------------------

HOUSEHOLD_FIGURES = {
    "households": Count("id"),
    "informed": Count("id", filter=Q(state=HandoverState.INFORMED)),
    "agreed": Count("id", filter=Q(state=HandoverState.AGREED)),
    "handed_over": Count("id", filter=Q(state=HandoverState.HANDED_OVER)),
    "with_issues": Count("id", filter=~Q(issue_type="")),
    "total_m2": Sum("area_m2"),
    "handed_over_m2": Sum("area_m2", filter=Q(state=HandoverState.HANDED_OVER)),
}


def _household_figures(row: dict) -> dict:
    area = row.get("total_m2") or Decimal(0)
    done = row.get("handed_over_m2") or Decimal(0)
    return {
        **row,
        "total_m2": area,
        "handed_over_m2": done,
        "percent_households": percent(row.get("handed_over", 0), row.get("households", 0)),
        "percent_area": percent(done, area),
    }


def projects(user, *, unit: Organization | None = None) -> QuerySet:
    qs = visible(user, LandProject.objects.select_related("organization"))
    if unit is not None:
        qs = qs.filter(
            under(unit.path, "organization__path") | Q(organization__path__in=_ancestors(unit))
        )
    return qs.order_by("-starts_on", "code")


def get_project(user, project_id: int) -> LandProject:
    found = projects(user).filter(pk=project_id).first()
    if found is None:
        raise NotFound(_("Unknown project: %(id)s.") % {"id": project_id}, field="project")
    return found


def households(user, *, project: LandProject, unit: Organization | None = None) -> QuerySet:
    qs = visible(user, AffectedHousehold.objects.select_related("unit", "area")).filter(
        project=project
    )
    if unit is not None:
        qs = qs.filter(under(unit.path, "unit__path"))
    return qs.order_by("household_code", "pk")


def get_household(user, household_id: int) -> AffectedHousehold:
    found = (
        visible(
            user, AffectedHousehold.objects.select_related("unit", "area", "project__organization")
        )
        .filter(pk=household_id)
        .first()
    )
    if found is None:
        raise NotFound(_("Not found."), field="household")
    return found


def projects_overview(user, *, unit: Organization | None = None) -> list[dict]:
    rows = list(projects(user, unit=unit))
    qs = visible(user, AffectedHousehold.objects.all()).filter(project__in=rows)
    if unit is not None:
        qs = qs.filter(under(unit.path, "unit__path"))
    figures = {
        r["project_id"]: r for r in qs.values("project_id").annotate(**HOUSEHOLD_FIGURES).order_by()
    }
    meetings = dict(
        visible(user, ProjectMeeting.objects.all())
        .filter(project__in=rows)
        .values("project_id")
        .annotate(n=Count("id"))
        .values_list("project_id", "n")
        .order_by()
    )
    empty = dict.fromkeys(HOUSEHOLD_FIGURES, 0)
    return [
        {
            "project": p,
            **_household_figures(figures.get(p.pk) or dict(empty)),
            "meetings": meetings.get(p.pk, 0),
        }
        for p in rows
    ]


def project_rollup(user, *, project: LandProject, unit: Organization | None = None) -> dict:
    base = households(user, project=project, unit=unit)
    totals = _household_figures(base.aggregate(**HOUSEHOLD_FIGURES))
    by_unit = [
        _household_figures(r)
        for r in base.values("unit_id", "unit__name")
        .annotate(**HOUSEHOLD_FIGURES)
        .order_by(Vietnamese("unit__name"), "unit_id")
    ]
    by_area = [
        _household_figures(r)
        for r in base.values("area_id", "area__name")
        .annotate(**HOUSEHOLD_FIGURES)
        .order_by(Vietnamese("area__name"), "area_id")
    ]
    issue_labels = dict(IssueType.choices)
    issues = [
        {**r, "label": issue_labels[r["issue_type"]]}
        for r in base.exclude(issue_type="")
        .values("issue_type")
        .annotate(n=Count("id"))
        .order_by("-n", "issue_type")
    ]
    meetings = visible(user, ProjectMeeting.objects.select_related("unit")).filter(project=project)
    if unit is not None:
        meetings = meetings.filter(under(unit.path, "unit__path"))
    return {
        "project": project,
        "totals": totals,
        "by_unit": by_unit,
        "by_area": by_area,
        "issues": issues,
        "meetings": list(meetings.order_by("-held_on", "-pk")[:50]),
        "meetings_count": meetings.count(),
    }


# Access on the pages ---------------------------------------------------------------------------


def may_manage(user, unit) -> bool:
    """May the user manage campaigns and projects of the unit (or, without one, of any unit)."""
    if unit is not None:
        return can(user, "situation.manage", unit)
    return (
        user.is_superuser
        or visible(user, Organization.objects.all(), action="situation.manage").exists()
    )


def visible_parent(user, unit):
    """The unit's parent, when the user may see it."""
    if unit is None or unit.depth <= 1:
        return None
    return (
        visible(user, Organization.objects.all())
        .filter(path=unit.path[: (unit.depth - 1) * 4])
        .first()
    )


def reporting_units(user):
    """Active units of a type that reports, where the user may report."""
    types = ReportingRule.objects.filter(is_active=True).values("org_type_id")
    return visible(
        user, Organization.objects.select_related("type"), action="situation.report"
    ).filter(type_id__in=types, is_active=True)
