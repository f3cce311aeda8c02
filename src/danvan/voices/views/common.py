"""What the case pages share: a matter the user sees (404 otherwise), the units the user may
take intake for, the clocks' states and days left, the user's notifications."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from danvan.accounts.scope import visible
from danvan.core.collation import Vietnamese
from danvan.core.errors import NotFound
from danvan.org.models import Area, Organization

from .. import queries
from ..models import (
    Matter,
    MatterState,
    Notification,
)

MAX_CHOICES = 300


def _matter(request, matter_id: int) -> Matter:
    try:
        return queries.get_matter(request.user, matter_id)
    except NotFound as exc:
        raise Http404 from exc


def _intake_units(user) -> list[Organization]:
    """The units the user may take intake for (a form's choices; the service re-checks)."""
    qs = visible(user, Organization.objects.filter(is_active=True), action="voices.intake")
    return list(qs.select_related("area").order_by("path")[:MAX_CHOICES])


def may_handle(user) -> bool:
    return visible(user, Organization.objects.all(), action="voices.handle").exists()


def _area_choices(text: str):
    today = timezone.localdate()
    return (
        Area.objects.filter(structure="2025")
        .valid_on(today)
        .search(text)
        .order_by("-depth", Vietnamese("name"))[:8]
    )


def _annotate_due(rows, today) -> None:
    for m in rows:
        due = m.due_on
        m.days_left = (due - today).days if due else None
        m.days_late = -m.days_left if m.days_left is not None and m.days_left < 0 else 0


def _notifications(user) -> list[Notification]:
    return list(
        Notification.objects.filter(user=user, read_at__isnull=True).order_by("-created_at")[:20]
    )


INTAKE_STATES = (MatterState.RECEIVED, MatterState.CLASSIFIED)
SETTLE_STATES = (MatterState.ACCEPTED, MatterState.SETTLING)
