"""The unit picker: which organization's subtree a page is looking at (kept in the session)."""

from danvan.accounts.scope import grants_of, visible
from danvan.org.models import Organization

SESSION_KEY = "danvan_unit_id"


def unit_choices(request):
    """The organizations the user's grants are on, and the chosen unit if it is elsewhere."""
    cached = getattr(request, "_unit_choices", None)
    if cached is None:
        paths = [g.org_path for g in grants_of(request.user) if g.org_path]
        qs = Organization.objects.filter(path__in=paths)
        if request.user.is_superuser:
            qs = Organization.objects.filter(depth=1)
        cached = list(qs.select_related("area").order_by("path")[:50])
        request._unit_choices = cached
    return cached


def current_unit(request) -> Organization | None:
    if hasattr(request, "_current_unit"):
        return request._current_unit
    unit = None
    unit_id = request.session.get(SESSION_KEY)
    if unit_id:
        unit = (
            visible(request.user, Organization.objects.select_related("type", "area"))
            .filter(pk=unit_id)
            .first()
        )
    if unit is None and not request.user.is_superuser:
        choices = unit_choices(request)
        unit = choices[0] if choices else None
    request._current_unit = unit
    return unit
