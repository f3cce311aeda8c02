from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from danvan.accounts.scope import holds
from danvan.core.dates import parse_day
from danvan.core.http import is_htmx

from . import queries

PAGE_SIZE = 50


def may_read_audit(user) -> bool:
    return holds(user, "audit.view")


@login_required
@require_GET
def event_list(request):
    """The audit log of the user's subtrees, newest first. Read-only: nothing here writes."""
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
    events = queries.events(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(events.select_related(None), PAGE_SIZE).get_page(get.get("page"))
    template = "audit/_event_rows.html" if is_htmx(request) else "audit/event_list.html"
    return render(request, template, {"page": page, "filters": filters})
