"""Reading the audit log: the events of the subtrees where the user holds `audit.view`."""

import datetime as dt

from django.db.models import QuerySet

from danvan.accounts.scope import visible

from .models import AuditEvent


def events(
    user,
    *,
    action: str | None = None,
    object_type: str | None = None,
    actor: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet:
    qs = visible(user, AuditEvent.objects.all(), action="audit.view")
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if actor:
        qs = qs.filter(actor_repr__icontains=actor)
    if since:
        qs = qs.filter(at__date__gte=since)
    if until:
        qs = qs.filter(at__date__lte=until)
    return qs.order_by("-id")
