"""The worklist: the scoped matters, what is due first first, and the notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, F, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.accounts.scope import has_role
from danvan.core.dates import parse_day
from danvan.core.http import is_htmx as _is_htmx
from danvan.org.units import current_unit

from .. import queries, services
from ..models import (
    Channel,
    MatterKind,
    MatterState,
    Topic,
)
from .common import INTAKE_STATES, SETTLE_STATES, _annotate_due, _intake_units, _notifications

PAGE_SIZE = 30


def filtered_matters(request) -> tuple:
    """The worklist's filters (also its export's): the scoped matters, what is due first
    first, and the filters as the page shows them. Only users with a role read the list."""
    user = request.user
    # Everyone with a role may read the list of their subtree (it never shows a citizen's
    # identity): commission officers and leaders follow the drill-downs of the dashboard.
    if not has_role(user):
        raise PermissionDenied
    get = request.GET
    unit = current_unit(request)
    states = [("open", _("Open")), ("all", _("Any")), *MatterState.choices]
    filters = {
        "kind": get.get("kind") if get.get("kind") in MatterKind.values else "",
        "state": get.get("state") if get.get("state") in dict(states) else "open",
        "topic": (get.get("topic") or "").strip()[:40],
        "q": (get.get("q") or "").strip()[:100],
        "mine": get.get("handler") == "me",
    }
    # Drill-downs from the dashboard: carried along, shown, and cleared with one link.
    extra = {
        "channel": get.get("channel") if get.get("channel") in Channel.values else "",
        "received_from": parse_day(get.get("received_from") or "") or "",
        "received_to": parse_day(get.get("received_to") or "") or "",
    }
    extra = {k: v for k, v in extra.items() if v}
    qs = queries.matters(
        user,
        unit=unit,
        kind=filters["kind"] or None,
        state=None if filters["state"] == "all" else filters["state"],
        topic=filters["topic"] or None,
        q=filters["q"] or None,
        **extra,
    )
    if filters["mine"]:
        qs = qs.filter(handler=user)
    # What is due first comes first; matters without a clock follow, newest first.
    qs = qs.annotate(
        due=Case(
            When(state__in=INTAKE_STATES, then=F("intake_due_on")),
            When(state__in=SETTLE_STATES, then=F("settle_due_on")),
            default=None,
        )
    ).order_by(F("due").asc(nulls_last=True), "-petition__received_on", "-pk")
    return qs, {"f": filters, "extra": extra, "unit": unit, "states": states}


@login_required
def worklist(request):
    user = request.user
    qs, shown = filtered_matters(request)
    get, unit, filters, extra = request.GET, shown["unit"], shown["f"], shown["extra"]
    today = timezone.localdate()
    page = Paginator(qs, PAGE_SIZE).get_page(get.get("page"))
    _annotate_due(page.object_list, today)
    context = {"page": page, "f": filters, "today": today, "extra": extra}
    if _is_htmx(request) and request.headers.get("HX-Target") == "worklist-rows":
        return render(request, "voices/_worklist_rows.html", context)
    due = queries.worklist(user, unit=unit, today=today)
    _annotate_due(due["overdue"], today)
    _annotate_due(due["due_soon"], today)
    context.update(
        {
            "unit": unit,
            "due": due,
            "states": shown["states"],
            "kinds": MatterKind.choices,
            "topics": Topic.objects.order_by("sort_order", "code"),
            "notifications": _notifications(user),
            "may_intake": bool(_intake_units(user)[:1]),
        }
    )
    return render(request, "voices/worklist.html", context)


@login_required
@require_POST
def notification_read(request, notification_id: int | None = None):
    """Mark one of the user's notifications (or all of them) read."""
    services.mark_notifications_read(actor=request.user, notification_id=notification_id)
    if _is_htmx(request):
        return render(
            request,
            "voices/_worklist_notifications.html",
            {"notifications": _notifications(request.user)},
        )
    return redirect("voices:worklist")
