"""Citizens' voices in the reports dashboard and period reports (reports.contrib).

Counts of matters by kind and state, settled on time or late, reception days and dialogues
held — never who filed what: everything is read through queries.matters and friends, which
carry no citizen's identity, and only counts leave this module."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from danvan.accounts.scope import can
from danvan.core import home, tones
from danvan.core.collation import Vietnamese
from danvan.org.models import Organization
from danvan.reports.contrib import (
    Chart,
    Figure,
    Panel,
    Scope,
    Section,
    Table,
    by_child_unit,
    number,
    percent,
)

from . import queries
from .models import OPEN_STATES, MatterKind, MatterState

INTAKE = [MatterState.RECEIVED, MatterState.CLASSIFIED]
SETTLE = [MatterState.ACCEPTED, MatterState.SETTLING]


AGGREGATES = ("received", "accepted", "decided", "on_time", "late", "open", "overdue")


def _aggregates(today) -> dict:
    overdue = (Q(state__in=INTAKE) & Q(intake_due_on__lt=today)) | (
        Q(state__in=SETTLE) & Q(settle_due_on__lt=today)
    )
    return {
        "received": Count("id"),
        "accepted": Count("id", filter=Q(accepted_on__isnull=False)),
        "decided": Count("id", filter=Q(decision_date__isnull=False)),
        "on_time": Count("id", filter=Q(decision_date__lte=F("settle_due_on"))),
        "late": Count("id", filter=Q(decision_date__gt=F("settle_due_on"))),
        "open": Count("id", filter=Q(state__in=OPEN_STATES)),
        "overdue": Count("id", filter=overdue),
    }


def _tallied(scope: Scope, start, end, today, *, units: bool = True) -> dict | None:
    """The figures of a period of whole months from the monthly tallies (overdue from the
    open matters): {"total": figures, "kinds": {kind: n}, "units": {unit_id: figures}}
    (units only when asked); None when the period is not whole months."""
    cells = queries.tallied_cells(
        scope.user, unit=scope.org, start=start, end=end, by=("unit_id",) if units else ()
    )
    if cells is None:
        return None
    overdue = queries.overdue_by_unit(scope.user, unit=scope.org, start=start, end=end, today=today)
    per_unit: dict = {}
    kinds: dict[str, int] = {}
    for row in cells:
        figures = dict.fromkeys(AGGREGATES, 0)
        figures["received"] = row["n"]
        for name in ("accepted", "decided", "on_time", "late", "open"):
            figures[name] = row[name] or 0
        per_unit[row.get("unit_id")] = figures
        for kind in MatterKind.values:
            kinds[kind] = kinds.get(kind, 0) + (row[f"n_{kind}"] or 0)
    for unit_id, n in overdue.items():
        per_unit.setdefault(unit_id if units else None, dict.fromkeys(AGGREGATES, 0))[
            "overdue"
        ] += n
    total = dict.fromkeys(AGGREGATES, 0)
    for figures in per_unit.values():
        for name, value in figures.items():
            total[name] += value
    return {"total": total, "kinds": kinds, "units": per_unit}


def _child_units(org, per_unit: dict[int, dict]) -> list[tuple]:
    """by_child_unit's rows from figures per handling unit: each unit directly under `org`
    (or each top-level unit) with its subtree's figures, plus org's own, largest first."""
    depth = (org.depth + 1) if org is not None else 1
    width = depth * Organization.steplen
    paths = dict(Organization.objects.filter(pk__in=list(per_unit)).values_list("pk", "path"))
    grouped: dict[str, dict] = {}
    for unit_id, figures in per_unit.items():
        row = grouped.setdefault(paths[unit_id][:width], dict.fromkeys(AGGREGATES, 0))
        for name, value in figures.items():
            row[name] += value
    found = {u.path: u for u in Organization.objects.filter(path__in=list(grouped))}
    rows = [(found[path], row) for path, row in grouped.items() if path in found]
    rows.sort(key=lambda pair: (-pair[1]["received"], pair[0].path))
    return rows


def _figures(scope: Scope, start, end, today, tallied: dict | None = None) -> dict:
    if tallied is not None:
        figures = dict(tallied["total"])
    else:
        qs = queries.matters(scope.user, unit=scope.org, received_from=start, received_to=end)
        figures = qs.order_by().aggregate(**_aggregates(today))
    figures["reception_days"] = (
        queries.reception_sessions(scope.user, unit=scope.org)
        .filter(held_on__gte=start, held_on__lte=end)
        .values("unit_id", "held_on")
        .distinct()
        .count()
    )
    figures["dialogues"] = (
        queries.dialogues(scope.user, unit=scope.org)
        .filter(held_on__gte=start, held_on__lte=end)
        .count()
    )
    return figures


def _collect(scope: Scope) -> dict | None:
    today = min(timezone.localdate(), scope.end)
    tallied = _tallied(scope, scope.start, scope.end, today)
    now = _figures(scope, scope.start, scope.end, today, tallied)
    if not (now["received"] or now["reception_days"] or now["dialogues"]):
        return None
    before = None
    if scope.previous_start and scope.previous_end:
        start, end = scope.previous_start, scope.previous_end
        before = _figures(scope, start, end, end, _tallied(scope, start, end, end, units=False))
    if tallied is not None:
        kinds = {kind: n for kind, n in tallied["kinds"].items() if n}
        units = _child_units(scope.org, tallied["units"])
        return {"now": now, "before": before, "kinds": kinds, "units": units}
    qs = queries.matters(
        scope.user, unit=scope.org, received_from=scope.start, received_to=scope.end
    )
    kinds = dict(qs.order_by().values_list("kind").annotate(n=Count("id")))
    units = by_child_unit(qs, "unit__path", scope.org, **_aggregates(today))
    return {"now": now, "before": before, "kinds": kinds, "units": units}


def _list_url(scope: Scope, **params) -> str:
    """The worklist, all states, received in the period (the worklist reads the unit from
    the unit picker, which the reports dashboard sets)."""
    query = {
        "state": "all",
        "received_from": scope.start.isoformat(),
        "received_to": scope.end.isoformat(),
        **params,
    }
    return reverse("voices:worklist") + "?" + urlencode(query)


def _unit_table(data: dict) -> Table:
    return Table(
        title=_("Units compared"),
        columns=[_("Unit"), _("Received"), _("Decided"), _("On time"), _("Late"), _("Overdue")],
        rows=[
            [unit.name, r["received"], r["decided"], r["on_time"], r["late"], r["overdue"]]
            for unit, r in data["units"]
        ],
    )


def _kind_table(data: dict) -> Table:
    return Table(
        title=_("Matters by kind"),
        columns=[_("Kind"), _("Received")],
        rows=[[kind.label, data["kinds"].get(kind.value, 0)] for kind in MatterKind],
    )


def dashboard_panel(scope: Scope) -> Panel | None:
    data = _collect(scope)
    if data is None:
        return None
    now, before = data["now"], data["before"] or {}
    on_time = percent(now["on_time"], now["decided"])
    units = data["units"]
    return Panel(
        key="voices",
        title=_("Citizens' voices"),
        url=reverse("voices:dashboard"),
        figures=[
            Figure(
                _("Matters received"), now["received"], before.get("received"), url=_list_url(scope)
            ),
            Figure(
                _("Accepted"),
                now["accepted"],
                before.get("accepted"),
                url=_list_url(scope, state=MatterState.ACCEPTED),
            ),
            Figure(
                _("Decided"),
                now["decided"],
                before.get("decided"),
                url=_list_url(scope, state=MatterState.DECIDED),
            ),
            Figure(
                _("Settled on time"),
                on_time if on_time is not None else "–",
                percent(before.get("on_time", 0), before.get("decided", 0)),
                unit="%" if on_time is not None else "",
                tone="ok" if (on_time or 0) >= 90 else ("warn" if on_time is not None else ""),
            ),
            Figure(
                _("Overdue"),
                now["overdue"],
                before.get("overdue"),
                url=_list_url(scope, state="open"),
                tone="bad" if now["overdue"] else "ok",
            ),
            Figure(
                _("Reception days"),
                now["reception_days"],
                before.get("reception_days"),
                url=reverse("voices:reception"),
            ),
            Figure(
                _("Dialogues"),
                now["dialogues"],
                before.get("dialogues"),
                url=reverse("voices:dialogues"),
            ),
        ],
        tables=[_unit_table(data), _kind_table(data)],
        charts=[
            Chart(
                kind="bar",
                title=_("Matters by unit"),
                labels=[unit.short_name or unit.name for unit, _row in units],
                series=[
                    (_("Received"), [r["received"] for _unit, r in units], "info"),
                    (_("Decided"), [r["decided"] for _unit, r in units], "ok"),
                    (_("Overdue"), [r["overdue"] for _unit, r in units], "bad"),
                ],
            ),
            Chart(
                kind="doughnut",
                title=_("Matters by kind"),
                labels=[str(kind.label) for kind in MatterKind],
                series=[(_("Received"), [data["kinds"].get(k.value, 0) for k in MatterKind])],
            ),
        ],
    )


def report_section(scope: Scope) -> Section | None:
    data = _collect(scope)
    if data is None:
        return None
    now, before = data["now"], data["before"]
    kinds = data["kinds"]
    paragraphs = [
        _(
            "During the period %(received)d matters were received (complaints: %(complaints)d, "
            "denunciations: %(denunciations)d, recommendations: %(recommendations)d); "
            "%(accepted)d were accepted and %(decided)d settled, %(on_time)d of them within "
            "the legal time limit and %(late)d late. %(overdue)d matters are overdue."
        )
        % {
            "received": now["received"],
            "complaints": kinds.get(MatterKind.COMPLAINT, 0),
            "denunciations": kinds.get(MatterKind.DENUNCIATION, 0),
            "recommendations": kinds.get(MatterKind.RECOMMENDATION, 0),
            "accepted": now["accepted"],
            "decided": now["decided"],
            "on_time": now["on_time"],
            "late": now["late"],
            "overdue": now["overdue"],
        },
        _("Heads of the units received citizens on %(days)d days and held %(dialogues)d dialogues.")
        % {"days": now["reception_days"], "dialogues": now["dialogues"]},
    ]
    if before is not None:
        paragraphs.append(
            _("In the previous period %(received)d matters were received (%(change)s).")
            % {
                "received": before["received"],
                "change": _change(now["received"], before["received"]),
            }
        )
    return Section(
        key="voices",
        title=_("Citizen reception, dialogue and petitions"),
        paragraphs=paragraphs,
        tables=[_kind_table(data), _unit_table(data)],
    )


def _change(now: int, before: int) -> str:
    if now == before:
        return _("unchanged")
    if now > before:
        return _("up %(n)s") % {"n": number(now - before)}
    return _("down %(n)s") % {"n": number(before - now)}


# The home page (core/home.py) ---------------------------------------------------------------


def home_items(user, unit) -> list[home.Item]:
    """To do, for a case handler: matters assigned to them, and the unit's matters overdue or
    due within three days. Attention: overdue matters across the subtree."""
    today = timezone.localdate()
    soon = today + dt.timedelta(days=queries.DUE_SOON_DAYS)
    open_matters = queries.matters(user, unit=unit, state="open")
    counts = open_matters.aggregate(
        overdue=Count("id", filter=queries._due_q(today, before=today)),
        soon=Count("id", filter=queries._due_q(today, until=soon)),
        mine=Count("id", filter=Q(handler=user)),
    )
    worklist = reverse("voices:worklist")
    items = []
    if unit is not None and can(user, "voices.handle", unit):
        items += [
            home.Item(home.TODO, ngettext("%(n)d matter assigned to you is open",
                      "%(n)d matters assigned to you are open", counts["mine"]) % {"n": counts["mine"]},
                      counts["mine"], worklist + "?" + urlencode({"handler": "me"}), tones.INFO),
            home.Item(home.TODO, ngettext("%(n)d matter due within three days",
                      "%(n)d matters due within three days", counts["soon"]) % {"n": counts["soon"]},
                      counts["soon"], worklist + "#due-soon", tones.WARN),
        ]  # fmt: skip
    worst = (
        open_matters.filter(queries._due_q(today, before=today))
        .values("unit__name")
        .annotate(n=Count("id"))
        .order_by("-n", Vietnamese("unit__name"))[:3]
    )
    items.append(
        home.Item(home.ATTENTION, ngettext("%(n)d citizens' matter overdue",
                  "%(n)d citizens' matters overdue", counts["overdue"]) % {"n": counts["overdue"]},
                  counts["overdue"], worklist + "#overdue", tones.BAD,
                  examples=[(f"{r['unit__name']}: {r['n']}", worklist) for r in worst])
    )  # fmt: skip
    return items
