"""The audit log's page: the events of the subtrees where the user holds `audit.view`,
newest first. Read-only: nothing here writes. It lives above `accounts` (which records
into the log) because reading the log is narrowed by the scope."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from danvan.accounts.scope import holds, visible
from danvan.audit.models import AuditEvent
from danvan.core.dates import parse_day
from danvan.core.http import is_htmx

PAGE_SIZE = 50


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


def may_read_audit(user) -> bool:
    return holds(user, "audit.view")


@login_required
@require_GET
def event_list(request):
    if not may_read_audit(request.user):
        raise PermissionDenied
    get = request.GET
    filters = {
        "action": (get.get("action") or "").strip()[:100],
        "object_type": (get.get("object_type") or "").strip()[:100],
        "actor": (get.get("actor") or "").strip()[:100],
        "since": parse_day(get.get("since") or "") if get.get("since") else None,
        "until": parse_day(get.get("until") or "") if get.get("until") else None,
    }
    found = events(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(found.select_related(None), PAGE_SIZE).get_page(get.get("page"))
    template = "audit/_event_rows.html" if is_htmx(request) else "audit/event_list.html"
    return render(request, template, {"page": page, "filters": filters})


app_name = "audit"
urlpatterns = [path("", event_list, name="events")]
