"""Public tracking: a citizen looks a case up by its code (no sign-in, limited per address)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from .. import queries
from ..forms.cases import (
    TrackForm,
)

TRACK_LIMIT = 20  # lookups per IP and hour
TRACK_WINDOW = 3600


def _client_ip(request) -> str:
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _over_limit(request) -> bool:
    """Count this lookup; True once the address made more than TRACK_LIMIT in the window."""
    key = f"voices:track:{_client_ip(request)}"
    cache.add(key, 0, TRACK_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, TRACK_WINDOW)
        count = 1
    return count > TRACK_LIMIT


def track(request):
    """A citizen looks up a case by its tracking code: kinds, states and due dates only.
    A wrong code and an unknown one get the same answer."""
    form = TrackForm(request.POST or None)
    result, looked_up = None, False
    if request.method == "POST":
        if _over_limit(request):
            return render(request, "voices/track_limited.html", status=429)
        looked_up = True
        if form.is_valid():
            result = queries.track(form.cleaned_data["code"])
        form = TrackForm(initial={"code": ""})
    return render(
        request, "voices/track.html", {"form": form, "result": result, "looked_up": looked_up}
    )
