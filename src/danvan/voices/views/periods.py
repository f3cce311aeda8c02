"""What the reception, dialogue, dashboard and hot-spot pages share: the period picked (a
month, quarter, half-year or year, or two dates), the units the user may record for under
the chosen unit, and the frame of the page."""

from __future__ import annotations

import datetime as dt

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.scope import visible
from danvan.core.dates import parse_day
from danvan.org.models import Organization
from danvan.org.units import current_unit

PAGE_SIZE = 50
MAX_UNIT_CHOICES = 300
PICKS = {
    "month": gettext_lazy("This month"),
    "quarter": gettext_lazy("This quarter"),
    "half": gettext_lazy("This half-year"),
    "year": gettext_lazy("This year"),
}


def _int(value, default: int, *, low: int, high: int) -> int:
    try:
        return min(max(int(value), low), high)
    except (TypeError, ValueError):
        return default


def pick_period(pick: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """A quick pick as (first day, today): the current month, quarter, half-year or year
    so far. The end is today, so that what is required (reception days) is what was due."""
    if pick == "month":
        return today.replace(day=1), today
    if pick == "quarter":
        return today.replace(month=3 * ((today.month - 1) // 3) + 1, day=1), today
    if pick == "half":
        return today.replace(month=1 if today.month <= 6 else 7, day=1), today
    return today.replace(month=1, day=1), today


def period_params(request, *, default: str | None = "year") -> dict:
    """The period of a page from ?period= (a quick pick) or ?start=&end= (dates); with
    `default=None`, no dates means no period (lists show everything)."""
    get, today = request.GET, timezone.localdate()
    start_raw, end_raw = (get.get("start") or "").strip(), (get.get("end") or "").strip()
    pick = get.get("period") if get.get("period") in PICKS else ""
    invalid = ""
    if start_raw or end_raw:
        start = parse_day(start_raw) if start_raw else None
        end = parse_day(end_raw) if end_raw else None
        if (start_raw and start is None) or (end_raw and end is None):
            invalid = _("A date was not understood; use YYYY-MM-DD.")
        elif start and end and start > end:
            invalid = _("The period starts after it ends.")
        else:
            return {"start": start, "end": end, "pick": "", "invalid": ""}
    if pick or default:
        start, end = pick_period(pick or default, today)
        return {"start": start, "end": end, "pick": pick or default, "invalid": invalid}
    return {"start": None, "end": None, "pick": "", "invalid": invalid}


def _period_qs(period: dict) -> str:
    if period["pick"]:
        return urlencode({"period": period["pick"]})
    return urlencode({k: period[k].isoformat() for k in ("start", "end") if period[k] is not None})


def _in_period(qs, period: dict, field: str = "held_on"):
    if period["start"]:
        qs = qs.filter(**{f"{field}__gte": period["start"]})
    if period["end"]:
        qs = qs.filter(**{f"{field}__lte": period["end"]})
    return qs


def worklist_url() -> str | None:
    """The case worklist (another page of the app), if it is there."""
    try:
        return reverse("voices:worklist")
    except NoReverseMatch:
        return None


def _intake_units(request) -> list[Organization]:
    """Units where the user may record sessions and dialogues, under the chosen unit."""
    qs = visible(request.user, Organization.objects.filter(is_active=True), action="voices.intake")
    unit = current_unit(request)
    if unit is not None:
        narrowed = qs.filter(path__startswith=unit.path)
        if narrowed.exists():
            qs = narrowed
    return list(qs.order_by("path")[:MAX_UNIT_CHOICES])


def may_record(user) -> bool:
    return visible(
        user, Organization.objects.filter(is_active=True), action="voices.intake"
    ).exists()


def _chosen(units: list[Organization], pk: int) -> Organization:
    return next(u for u in units if u.pk == pk)


def _base(request, **context) -> dict:
    return {"unit": current_unit(request), "worklist_url": worklist_url(), **context}
