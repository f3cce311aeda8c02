"""A user's own notifications."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from danvan.audit.log import record

from ..models import (
    Notification,
)


@transaction.atomic
def mark_notifications_read(*, actor, notification_id: int | None = None) -> int:
    """The actor's own unread notifications (one, or all) marked read; how many."""
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    marked = unread.update(read_at=timezone.now())
    if marked:
        record(actor=actor, action="voices.read_notifications", obj=actor, after={"count": marked})
    return marked
