"""Pages of the people's situation: the topic × area matrix (with drill-down), signals,
the report form, reviewing reports, missing reports. Campaign and project pages are in
welfare.py.

Thin: parse the request, call a query or a service, render. Reads go through `queries`
(scoped), writes through `services` (permission-checked, audited); `can()` here only
decides whether to show a form.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.accounts.scope import can
from danvan.core.errors import DomainError, NotFound
from danvan.core.http import to_int
from danvan.core.tables import download
from danvan.org import periods as org_periods
from danvan.org.models import Organization

from .. import io, queries, services
from ..models import (
    CODE_OF_LEVEL,
    Level,
    ReportState,
    Source,
    Topic,
)

# Shared ------------------------------------------------------------------------------------


def get_unit(request) -> Organization | None:
    from danvan.org.units import requested_unit

    return requested_unit(request, post=True)


def get_period(request, *, default_kind: str = "month"):
    """The period from ?kind=&year=&index= (default: the current month or quarter)."""
    source = request.GET if request.method == "GET" else request.POST
    kind = source.get("kind") if source.get("kind") in ("month", "quarter") else default_kind
    today = timezone.localdate()
    year = to_int(source.get("year")) or today.year
    index = to_int(source.get("index")) or org_periods.index_of(kind, today)
    try:
        return services.period_of(kind, year, index)
    except DomainError:
        return services.period_of(kind, today.year, org_periods.index_of(kind, today))


def period_qs(period) -> dict:
    return {
        "kind": period.kind,
        "year": period.start.year,
        "index": org_periods.index_of(period.kind, period.start),
    }


def _qs(unit, period, **extra) -> str:
    params = {**period_qs(period), **({"unit": unit.pk} if unit else {}), **extra}
    return urlencode(params)


def _period_context(period) -> dict:
    today = timezone.localdate()
    kind = period.kind
    per_year = 12 if kind == "month" else 4
    prev = queries.previous_bounds(period)
    nxt_index = org_periods.index_of(kind, period.start) + 1
    nxt_year = period.start.year
    if nxt_index > per_year:
        nxt_index, nxt_year = 1, nxt_year + 1
    nxt_start = org_periods.bounds(kind, nxt_year, nxt_index)[0]
    return {
        "period": period,
        "pq": period_qs(period),
        "years": list(range(today.year, today.year - 6, -1)),
        "indexes": list(range(1, per_year + 1)),
        "prev_q": {
            "kind": kind,
            "year": prev[0].year,
            "index": org_periods.index_of(kind, prev[0]),
        }
        if prev
        else None,
        "next_q": {"kind": kind, "year": nxt_year, "index": nxt_index}
        if nxt_start <= today
        else None,
    }


def _error_message(exc: DomainError) -> str:
    return str(exc.message)


# Matrix ---------------------------------------------------------------------------------------


LEVEL_CLASS = {None: "lvl-none", 1: "lvl-stable", 2: "lvl-attention", 3: "lvl-tense"}


def _decorate(m: dict) -> None:
    for row in m["rows"]:
        row["css"] = LEVEL_CLASS[row["level"]]
        row["label"] = Level(row["level"]).label if row["level"] else ""
        for cell in row["cells"]:
            cell["css"] = LEVEL_CLASS[cell["level"]]
            cell["label"] = Level(cell["level"]).label if cell["level"] else ""
        for h in row["history"]:
            h["css"] = LEVEL_CLASS[h["level"]]
            h["label"] = Level(h["level"]).label if h["level"] else _("no report")


@login_required
def index(request):
    """The topic × area matrix of the unit's subtree for a period."""
    unit = get_unit(request)
    period = get_period(request, default_kind=request.GET.get("kind") or "month")
    m = queries.matrix(request.user, unit=unit, period=period)
    _decorate(m)
    found = queries.signals(request.user, unit=unit, period=period)
    missing = queries.missing_reports(request.user, unit=unit, period=period)
    return render(
        request,
        "situation/matrix.html",
        {
            "m": m,
            "unit": unit,
            "signals": found,
            "missing": missing,
            "qs": _qs(unit, period),
            "levels": [(v, label, LEVEL_CLASS[v]) for v, label in Level.choices],
            "parent": queries.visible_parent(request.user, unit),
            **_period_context(period),
        },
    )


@login_required
def matrix_export(request):
    unit = get_unit(request)
    period = get_period(request)
    m = queries.matrix(request.user, unit=unit, period=period)
    return download(request, lambda fmt: io.export_matrix(m, fmt))


@login_required
def cell(request, topic_code: str):
    """The report entries behind one cell: a subtree, a topic, a period."""
    unit = get_unit(request)
    period = get_period(request)
    topic = Topic.objects.filter(code=topic_code).first()
    if topic is None or unit is None:
        raise Http404
    rows = list(queries.cell_entries(request.user, unit=unit, period=period, topic=topic))
    for entry in rows:
        entry.css = LEVEL_CLASS[entry.level]
    return render(
        request,
        "situation/cell.html",
        {
            "unit": unit,
            "topic": topic,
            "entries": rows,
            "qs": _qs(unit, period),
            **_period_context(period),
        },
    )


# Signals -----------------------------------------------------------------------------------


@login_required
def signals(request):
    unit = get_unit(request)
    period = get_period(request, default_kind=request.GET.get("kind") or "quarter")
    found = queries.signals(request.user, unit=unit, period=period)
    for s in found:
        for row in s.report_rows:
            row.css = LEVEL_CLASS[row.level]
    return render(
        request,
        "situation/signals.html",
        {
            "unit": unit,
            "signals": found,
            "may_manage": unit is not None and can(request.user, "situation.manage", unit),
            "may_dialogue": unit is not None and can(request.user, "voices.intake", unit),
            "qs": _qs(unit, period),
            "today": timezone.localdate(),
            "deadline": timezone.localdate() + dt.timedelta(days=30),
            **_period_context(period),
        },
    )


@login_required
def signals_export(request):
    unit = get_unit(request)
    period = get_period(request)
    found = queries.signals(request.user, unit=unit, period=period)
    return download(request, lambda fmt: io.export_signals(found, fmt))


def _follow_up_target_url(row) -> str:
    name = "voices:dialogue" if row.follow_up == "dialogue" else "plans:task"
    try:
        return reverse(name, args=[row.target_id])
    except NoReverseMatch:
        return reverse("situation:signals")


@login_required
@require_POST
def signal_follow_up(request, follow_up: str):
    unit = get_unit(request)
    period = get_period(request)
    back = reverse("situation:signals") + "?" + _qs(unit, period)
    if unit is None:
        messages.error(request, _("Choose a unit first."))
        return redirect(back)
    common = {
        "actor": request.user,
        "unit": unit,
        "period": period,
        "topic_code": request.POST.get("topic", ""),
        "kind": request.POST.get("signal", ""),
    }
    try:
        if follow_up == "task":
            row = services.signal_to_task(
                **common,
                deadline=request.POST.get("deadline"),
                title=request.POST.get("title", ""),
            )
            messages.success(request, _("The task was created."))
        elif follow_up == "dialogue":
            row = services.signal_to_dialogue(
                **common,
                held_on=request.POST.get("held_on"),
                heads=request.POST.get("heads", ""),
                participants=to_int(request.POST.get("participants")) or 0,
                title=request.POST.get("title", ""),
            )
            messages.success(request, _("The dialogue was recorded."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, _error_message(exc))
        return redirect(back)
    return redirect(_follow_up_target_url(row))


# Reports ------------------------------------------------------------------------------------


@login_required
def reports(request):
    unit = get_unit(request)
    period = get_period(request) if request.GET.get("year") else None
    state = request.GET.get("state") if request.GET.get("state") in ReportState.values else None
    flagged = True if request.GET.get("flagged") == "1" else None
    qs = queries.reports(request.user, unit=unit, period=period, state=state, flagged=flagged)
    from django.core.paginator import Paginator

    page = Paginator(qs.prefetch_related("entries"), 50).get_page(request.GET.get("page"))
    for report in page:
        levels = [e.level for e in report.entries.all()]
        report.tense = levels.count(Level.TENSE)
        report.attention = levels.count(Level.ATTENTION)
    params = {k: v for k, v in request.GET.items() if k != "page"}
    return render(
        request,
        "situation/report_list.html",
        {
            "unit": unit,
            "page": page,
            "state": state,
            "flagged": flagged,
            "states": ReportState.choices,
            "filters_qs": urlencode(params),
            "selected_period": period,
            "may_report": queries.reporting_units(request.user).exists(),
            **_period_context(period or get_period(request)),
        },
    )


@login_required
def reports_export(request):
    unit = get_unit(request)
    period = get_period(request) if request.GET.get("year") else None
    state = request.GET.get("state") if request.GET.get("state") in ReportState.values else None
    flagged = True if request.GET.get("flagged") == "1" else None
    qs = queries.reports(request.user, unit=unit, period=period, state=state, flagged=flagged)
    return download(request, lambda fmt: io.export_reports(qs, fmt))


@login_required
def report_detail(request, report_id: int):
    try:
        report = queries.get_report(request.user, report_id)
    except NotFound as exc:
        raise Http404 from exc
    if request.method == "POST":
        try:
            services.review_report(
                actor=request.user,
                report=report,
                decision=request.POST.get("decision", ""),
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("The review was saved."))
            return redirect("situation:report", report_id=report.pk)
        except DomainError as exc:
            messages.error(request, _error_message(exc))
    from ..privacy import FLAG_LABELS

    rows = list(report.entries.select_related("topic"))
    for entry in rows:
        entry.css = LEVEL_CLASS[entry.level]
        entry.source_labels = [str(Source(s).label) for s in entry.sources if s in Source.values]
        entry.flag_rows = [
            {"label": FLAG_LABELS.get(f["kind"], f["kind"]), "text": f["text"]} for f in entry.flags
        ]
    return render(
        request,
        "situation/report_detail.html",
        {
            "report": report,
            "entries": rows,
            "may_review": report.state != ReportState.REVIEWED
            and report.submitted_by_id != request.user.pk
            and can(request.user, "situation.manage", report.organization),
            "may_correct": report.state != ReportState.REVIEWED
            and can(request.user, "situation.report", report.organization),
            "pq": period_qs(report.period),
        },
    )


@login_required
def report_form(request):
    """One page, quick on a phone: per topic a level (three buttons), a short narrative,
    sources and a count where the topic asks for one."""
    units = list(queries.reporting_units(request.user).order_by("path")[:300])
    org = None
    org_id = to_int(request.GET.get("organization") or request.POST.get("organization"))
    if org_id:
        org = next((u for u in units if u.pk == org_id), None)
        if org is None:
            raise Http404
    elif len(units) == 1:
        org = units[0]
    rule = services.reporting_rule(org) if org else None
    kind = rule.frequency if rule else "month"
    period = get_period(request, default_kind=kind)
    if period.kind != kind:
        today = timezone.localdate()
        period = services.period_of(kind, today.year, org_periods.index_of(kind, today))
    topics = list(Topic.objects.filter(is_active=True))
    existing = None
    values: dict[str, dict] = {}
    if org is not None:
        existing = (
            queries.reports(request.user, unit=org, period=period).filter(organization=org).first()
        )
        if existing:
            for e in existing.entries.all():
                values[e.topic.code] = {
                    "level": CODE_OF_LEVEL[e.level],
                    "narrative": e.narrative,
                    "sources": e.sources,
                    "count": e.count,
                }
    error = None
    error_topic = None
    summary = existing.summary if existing else ""
    if request.method == "POST" and org is not None:
        entries = []
        for topic in topics:
            level = request.POST.get(f"level-{topic.code}", "")
            if not level:
                continue
            entries.append(
                {
                    "topic": topic.code,
                    "level": level,
                    "narrative": request.POST.get(f"narrative-{topic.code}", ""),
                    "sources": request.POST.getlist(f"sources-{topic.code}"),
                    "count": request.POST.get(f"count-{topic.code}", "").strip() or None,
                }
            )
            values[topic.code] = entries[-1]
        summary = request.POST.get("summary", "")
        try:
            report = services.submit_report(
                actor=request.user,
                organization=org,
                period=period,
                entries=entries,
                summary=summary,
            )
        except DomainError as exc:
            error = exc
            parts = (exc.field or "").split(".")
            if len(parts) >= 2 and parts[0] == "entries" and parts[1].isdigit():
                index = int(parts[1])
                error_topic = entries[index]["topic"] if index < len(entries) else None
        else:
            if report.flagged:
                messages.warning(
                    request,
                    _(
                        "The report was submitted. Some narratives may name a person or carry "
                        "a phone or ID number; the reviewer will see the flag. Reports are "
                        "about topics and places: please remove names if you can."
                    ),
                )
            else:
                messages.success(request, _("The report was submitted."))
            return redirect("situation:report", report_id=report.pk)
    rows = []
    for topic in topics:
        v = values.get(topic.code, {})
        rows.append({**v, "topic": topic, "sources": v.get("sources") or []})
    return render(
        request,
        "situation/report_form.html",
        {
            "units": units,
            "org": org,
            "rule": rule,
            "rows": rows,
            "existing": existing,
            "summary": summary,
            "error": error,
            "error_topic": error_topic,
            "level_choices": [
                (c, Level(v).label) for c, v in (("stable", 1), ("attention", 2), ("tense", 3))
            ],
            "sources": Source.choices,
            **_period_context(period),
        },
    )


@login_required
def missing(request):
    unit = get_unit(request)
    period = get_period(request, default_kind=request.GET.get("kind") or "month")
    result = queries.missing_reports(request.user, unit=unit, period=period)
    return render(
        request,
        "situation/missing.html",
        {"unit": unit, "result": result, "qs": _qs(unit, period), **_period_context(period)},
    )


@login_required
def missing_export(request):
    unit = get_unit(request)
    period = get_period(request)
    result = queries.missing_reports(request.user, unit=unit, period=period)
    return download(request, lambda fmt: io.export_missing(result, fmt))
