"""The figures of a period (counts only, never people) and their download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from danvan.core import tables
from danvan.org.units import current_unit

from .. import queries
from ..models import (
    Channel,
    MatterKind,
    MatterState,
)
from .periods import PICKS, _base, _period_qs, period_params, worklist_url


def _bars(rows: list[dict], key: str = "n") -> list[dict]:
    top = max((row[key] for row in rows), default=0)
    for row in rows:
        row["bar"] = round(100 * row[key] / top) if top else 0
    return rows


def _labelled(figures: dict) -> dict:
    kinds, channels, states = (
        dict(MatterKind.choices),
        dict(Channel.choices),
        dict(MatterState.choices),
    )
    for row in figures["by_kind"]:
        row["label"] = kinds.get(row["kind"], row["kind"])
    for row in figures["by_channel"]:
        row["label"] = channels.get(row["petition__channel"], row["petition__channel"])
    english = translation_is_english()
    for row in figures["by_topic"]:
        row["label"] = (english and row["petition__topic__name_en"]) or row["petition__topic__name"]
    for row in figures["by_state"]:
        row["label"] = states.get(row["state"], row["state"])
    for key in ("by_kind", "by_channel", "by_topic", "by_state"):
        _bars(figures[key])
    decided = figures["on_time"] + figures["late"]
    figures["on_time_percent"] = round(100 * figures["on_time"] / decided) if decided else None
    return figures


def translation_is_english() -> bool:
    return not (get_language() or "vi").startswith("vi")


def _dashboard(request) -> tuple[dict, dict]:
    period = period_params(request)
    figures = queries.dashboard(
        request.user, unit=current_unit(request), start=period["start"], end=period["end"]
    )
    return _labelled(figures), period


@login_required
def dashboard(request):
    d, period = _dashboard(request)
    if period["invalid"]:
        messages.error(request, period["invalid"])
    wl = worklist_url()
    # The worklist lists open matters unless told otherwise: drill-downs ask for all states
    # (a later state= wins) and pass the period.
    received = urlencode(
        {
            "state": "all",
            "received_from": period["start"].isoformat(),
            "received_to": period["end"].isoformat(),
        }
    )
    context = _base(
        request,
        d=d,
        period=period,
        period_qs=_period_qs(period),
        picks=PICKS,
        drill=f"{wl}?{received}" if wl else None,
        missed=sum(1 for r in d["reception"] if not r["met"]),
    )
    return render(request, "voices/dashboard.html", context)


def _dashboard_rows(d: dict) -> list[list]:
    unit = d["unit"]
    rows = [
        [_("Unit"), unit.name if unit is not None else _("All units"), ""],
        [_("Period"), f"{d['start']:%d/%m/%Y} – {d['end']:%d/%m/%Y}", ""],
        [_("Matters received"), "", d["received"]],
        [_("Accepted"), "", d["accepted"]],
        [_("Decided"), "", d["decided"]],
        [_("Settled on time"), "", d["on_time"]],
        [_("Settled late"), "", d["late"]],
        [_("Overdue now"), "", d["overdue_now"]],
        [_("Dialogue commitments open"), "", d["commitments_open"]],
        [_("Dialogue commitments overdue"), "", d["commitments_overdue"]],
    ]
    for key, title in (
        ("by_kind", _("By kind")),
        ("by_channel", _("By channel")),
        ("by_topic", _("By topic")),
        ("by_state", _("By state")),
    ):
        rows += [[title, str(row["label"]), row["n"]] for row in d[key]]
    for r in d["reception"]:
        rows.append(
            [
                _("Reception days held in person / required"),
                f"{r['head_name']} ({r['head_role']}, {r['unit']})",
                f"{r['in_person']}/{r['required'] if r['required'] is not None else '–'}",
            ]
        )
    return rows


@login_required
def dashboard_export(request):
    d, _period = _dashboard(request)
    return tables.download(
        request,
        lambda fmt: tables.export_table(
            headers=[_("Table"), _("Item"), _("Number")],
            rows=_dashboard_rows(d),
            fmt=fmt,
            filename=_("citizens-voices-dashboard"),
        ),
    )
