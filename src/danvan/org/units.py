"""The unit picker: which organization's subtree a page is looking at (kept in the session)."""

from django.db.models import Q

from danvan.accounts.scope import visible
from danvan.org.models import Organization

SESSION_KEY = "danvan_unit_id"
MAX_CHOICES = 50


def _topmost(paths: list[str]) -> list[str]:
    kept: list[str] = []
    for path in sorted(paths):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return kept


def unit_choices(request) -> list[Organization]:
    """The highest organizations the user may see: where their grants start."""
    cached = getattr(request, "_unit_choices", None)
    if cached is None:
        user = request.user
        if user.is_superuser:
            paths = list(
                Organization.objects.filter(depth=1).values_list("path", flat=True)[:MAX_CHOICES]
            )
        else:
            paths = _topmost(
                visible(user, Organization.objects.all()).values_list("path", flat=True)
            )
        cached = list(
            Organization.objects.filter(path__in=paths[:MAX_CHOICES])
            .select_related("area", "type")
            .order_by("path")
        )
        request._unit_choices = cached
    return cached


def unit_picker_choices(request, q: str = "") -> list[Organization]:
    """What the picker offers: with a query, every visible unit whose name matches (folded,
    so "phuong thanh dong" finds "Phường Thành Đông"); without one, the user's top units
    and the units directly under them."""
    units = visible(request.user, Organization.objects.select_related("area", "type"))
    if q:
        return list(units.search(q).order_by("path")[:MAX_CHOICES])
    tops = unit_choices(request)
    below = Q(pk__in=[])
    for top in tops[:5]:
        below |= Q(path__startswith=top.path, depth=top.depth + 1)
    picked = {u.pk: u for u in tops}
    for child in units.filter(below).order_by("path")[:MAX_CHOICES]:
        picked.setdefault(child.pk, child)
    return sorted(picked.values(), key=lambda u: u.path)[:MAX_CHOICES]


def requested_unit(request, *, post: bool = False) -> Organization | None:
    """?unit=<id> (with `post`, also a POSTed unit) narrows a page to a unit's subtree; a
    unit the user may not see answers 404, like every record outside the subtree. Without
    it, the unit picker's choice."""
    from django.http import Http404

    raw = request.GET.get("unit") or (request.POST.get("unit") if post else None)
    if raw:
        try:
            unit_id = int(raw)
        except (TypeError, ValueError):
            raise Http404 from None
        unit = (
            visible(request.user, Organization.objects.select_related("area", "type"))
            .filter(pk=unit_id)
            .first()
        )
        if unit is None:
            raise Http404
        return unit
    return current_unit(request)


def current_unit(request) -> Organization | None:
    """The chosen unit, else the user's first; None means everything the user may see."""
    if hasattr(request, "_current_unit"):
        return request._current_unit
    unit = None
    unit_id = request.session.get(SESSION_KEY)
    if unit_id == "all":
        unit = None
    elif unit_id:
        unit = (
            visible(request.user, Organization.objects.select_related("type", "area"))
            .filter(pk=unit_id)
            .first()
        )
    if unit is None and unit_id != "all" and not request.user.is_superuser:
        choices = unit_choices(request)
        unit = choices[0] if len(choices) == 1 else None
    request._current_unit = unit
    return unit
