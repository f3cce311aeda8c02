"""The situation app's part of dashboards and period reports (see reports/contrib.py).

Counts and levels about topics, units and places only; read through `queries`, so the
scope's user sees what they may see. Never a beneficiary's name."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.accounts.scope import can
from danvan.core import home, tones
from danvan.org import periods as org_periods
from danvan.org.models import Period
from danvan.reports.contrib import Chart, Figure, Panel, Section, Table

from . import queries
from .models import Level


def _day(scope) -> dt.date:
    return min(scope.end, timezone.localdate())


def _periods(scope) -> list[Period]:
    """The month and the quarter of the scope's last day (those that exist)."""
    day = _day(scope)
    found = []
    for kind in ("month", "quarter"):
        start, _end = org_periods.bounds(kind, day.year, org_periods.index_of(kind, day))
        period = Period.objects.filter(kind=kind, start=start, body="").first()
        if period is not None:
            found.append(period)
    return found


def _collect(scope) -> dict:
    expected = submitted = missing = 0
    found = []
    for period in _periods(scope):
        result = queries.missing_reports(scope.user, unit=scope.org, period=period)
        expected += result["expected"]
        submitted += result["submitted"]
        missing += len(result["missing"])
        found += [(period, s) for s in queries.signals(scope.user, unit=scope.org, period=period)]
    campaigns = [
        c
        for c in queries.campaigns_overview(scope.user, unit=scope.org)
        if c["campaign"].starts_on <= scope.end
        and (c["campaign"].ends_on is None or c["campaign"].ends_on >= scope.start)
    ]
    in_range = (
        queries.reports(scope.user, unit=scope.org)
        .filter(period__start__gte=scope.start, period__start__lte=scope.end)
        .count()
    )
    return {
        "expected": expected,
        "submitted": submitted,
        "missing": missing,
        "signals": found,
        "campaigns": campaigns,
        "reports_in_range": in_range,
    }


def _signal_table(found) -> Table:
    rows, urls = [], []
    for period, s in found:
        rows.append([s.label, str(s.topic), period.label, s.now])
        params = {
            "kind": period.kind,
            "year": period.start.year,
            "index": org_periods.index_of(period.kind, period.start),
        }
        urls.append(reverse("situation:signals") + "?" + urlencode(params))
    return Table(
        title=_("Tense and rising topics"),
        columns=[_("Signal"), _("Topic"), _("Period"), _("Units")],
        rows=rows,
        row_urls=urls,
    )


def _campaign_table(campaigns) -> Table:
    return Table(
        title=_("Welfare campaigns"),
        columns=[_("Campaign"), _("Registered"), _("Handed over"), _("Percent of target")],
        rows=[
            [c["campaign"].name, c["registered"], c["handed_over"], c["percent_of_target"]]
            for c in campaigns
        ],
        row_urls=[reverse("situation:campaign", args=[c["campaign"].pk]) for c in campaigns],
    )


def dashboard_panel(scope) -> Panel | None:
    data = _collect(scope)
    if not (data["expected"] or data["reports_in_range"] or data["campaigns"] or data["signals"]):
        return None
    rising = sum(1 for _p, s in data["signals"] if s.kind == "rising")
    tense = sum(1 for _p, s in data["signals"] if s.kind == "tense")
    panel = Panel(
        key="situation",
        title=_("People's situation and welfare"),
        url=reverse("situation:index"),
        figures=[
            Figure(
                label=_("Situation reports received"),
                value=data["submitted"],
                url=reverse("situation:reports"),
            ),
            Figure(
                label=_("Reports missing"),
                value=data["missing"],
                url=reverse("situation:missing"),
                tone="warn" if data["missing"] else "ok",
            ),
            Figure(
                label=_("Rising topics"),
                value=rising,
                url=reverse("situation:signals"),
                tone="bad" if rising else "",
            ),
            Figure(label=_("Tense topics"), value=tense, url=reverse("situation:signals")),
        ],
    )
    if data["signals"]:
        panel.tables.append(_signal_table(data["signals"]))
    with_target = [c for c in data["campaigns"] if c["percent_of_target"] is not None]
    for c in with_target[:3]:
        panel.figures.append(
            Figure(
                label=c["campaign"].name,
                value=c["percent_of_target"],
                unit="%",
                url=reverse("situation:campaign", args=[c["campaign"].pk]),
            )
        )
    if with_target:
        panel.charts.append(
            Chart(
                kind="bar",
                title=_("Campaign progress (percent of target)"),
                labels=[c["campaign"].name for c in with_target],
                series=[
                    (_("Percent of target"), [c["percent_of_target"] for c in with_target], "info")
                ],
            )
        )
    return panel


def report_section(scope) -> Section | None:
    data = _collect(scope)
    if not (data["reports_in_range"] or data["campaigns"]):
        return None
    paragraphs = [
        _(
            "In the period, %(n)d situation reports were received from the units; for the "
            "latest month and quarter, %(s)d of %(e)d expected reports arrived and %(m)d are "
            "missing."
        )
        % {
            "n": data["reports_in_range"],
            "s": data["submitted"],
            "e": data["expected"],
            "m": data["missing"],
        }
    ]
    rising = sorted({str(s.topic) for _p, s in data["signals"] if s.kind == "rising"})
    tense = sorted({str(s.topic) for _p, s in data["signals"] if s.kind == "tense"})
    if rising:
        paragraphs.append(
            _("Topics of rising concern: %(topics)s.") % {"topics": ", ".join(rising)}
        )
    if tense:
        paragraphs.append(
            _("Topics reported as tense by several units: %(topics)s.")
            % {"topics": ", ".join(tense)}
        )
    if not rising and not tense:
        paragraphs.append(_("No topic reached the thresholds of a signal."))
    for c in data["campaigns"]:
        if c["percent_of_target"] is not None:
            paragraphs.append(
                _("%(name)s: %(done)d of %(target)d households handed over (%(p)s%%).")
                % {
                    "name": c["campaign"].name,
                    "done": c["handed_over"],
                    "target": c["campaign"].target_households,
                    "p": c["percent_of_target"],
                }
            )
    tables = []
    levels = _topic_levels(scope)
    if levels:
        tables.append(levels)
    if data["signals"]:
        tables.append(_signal_table(data["signals"]))
    if data["campaigns"]:
        tables.append(_campaign_table(data["campaigns"]))
    return Section(
        key="situation",
        title=_("The people's situation and welfare work"),
        paragraphs=paragraphs,
        tables=tables,
    )


def _topic_levels(scope) -> Table | None:
    """Per topic: how many reports in the scope's dates were tense or needed attention."""
    from django.db.models import Count, Q

    from .models import Topic

    entries = queries.entries(scope.user, unit=scope.org).filter(
        report__period__start__gte=scope.start, report__period__start__lte=scope.end
    )
    counts = {
        r["topic_id"]: r
        for r in entries.values("topic_id")
        .annotate(
            n=Count("id"),
            tense=Count("id", filter=Q(level=Level.TENSE)),
            attention=Count("id", filter=Q(level=Level.ATTENTION)),
        )
        .order_by()
    }
    if not counts:
        return None
    rows = [
        [str(t), counts[t.pk]["n"], counts[t.pk]["tense"], counts[t.pk]["attention"]]
        for t in Topic.objects.filter(pk__in=list(counts))
    ]
    return Table(
        title=_("Levels of concern by topic"),
        columns=[_("Topic"), _("Reports"), _("Tense"), _("Needs attention")],
        rows=rows,
    )


# The home page (core/home.py) ---------------------------------------------------------------


def _current(kind: str, day: dt.date) -> Period | None:
    start, _end = org_periods.bounds(kind, day.year, org_periods.index_of(kind, day))
    return Period.objects.filter(kind=kind, start=start, body="").first()


def _period_params(period: Period) -> dict:
    return {
        "kind": period.kind,
        "year": period.start.year,
        "index": org_periods.index_of(period.kind, period.start),
    }


def home_items(user, unit) -> list[home.Item]:
    """To do: this level's situation reports not yet sent for the month. Attention: units
    whose report is overdue, and the topics whose signals fired this quarter."""
    day = timezone.localdate()
    base = {"unit": unit.pk} if unit is not None else {}
    items = []
    month = _current("month", day)
    if month is not None:
        missing = queries.missing_reports(user, unit=unit, period=month, today=day)["missing"]
        params = urlencode({**base, **_period_params(month)})
        if unit is not None and can(user, "situation.report", unit):
            mine = [m for m in missing if m["organization"].area_id == unit.area_id]
            items.append(
                home.Item(home.TODO, ngettext("%(n)d situation report to send this month",
                          "%(n)d situation reports to send this month", len(mine)) % {"n": len(mine)},
                          len(mine), reverse("situation:report_form"), tones.WARN,
                          examples=[(m["organization"].name, reverse("situation:report_form") + "?"
                                     + urlencode({"organization": m["organization"].pk})) for m in mine[:3]])
            )  # fmt: skip
        overdue = [m for m in missing if m["overdue"]]
        items.append(
            home.Item(home.ATTENTION, ngettext("%(n)d unit has not sent its situation report",
                      "%(n)d units have not sent their situation reports", len(overdue)) % {"n": len(overdue)},
                      len(overdue), reverse("situation:missing") + "?" + params, tones.BAD,
                      examples=[(m["organization"].name, "") for m in overdue[:3]])
        )  # fmt: skip
    quarter = _current("quarter", day)
    if quarter is not None:
        rising = [s for s in queries.signals(user, unit=unit, period=quarter) if s.kind == "rising"]
        items.append(
            home.Item(home.ATTENTION, ngettext("%(n)d topic rising in the people's situation",
                      "%(n)d topics rising in the people's situation", len(rising)) % {"n": len(rising)},
                      len(rising), reverse("situation:signals") + "?" + urlencode({**base, **_period_params(quarter)}),
                      tones.BAD, examples=[(str(s.topic), "") for s in rising[:3]])
        )  # fmt: skip
    return items
