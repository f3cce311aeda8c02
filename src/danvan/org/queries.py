"""Reads of the tree, always through the scope choke point."""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Lower, Substr
from django.utils.translation import gettext as _

from danvan.accounts.scope import visible
from danvan.core.errors import NotFound

from .models import Area, Organization, OrganizationType

AREA_FIELDS = (
    "id",
    "code",
    "name",
    "kind",
    "level",
    "structure",
    "depth",
    "path",
    "valid_from",
    "valid_to",
)


def areas(
    user,
    *,
    q: str | None = None,
    structure: str | None = None,
    level: str | None = None,
    under: int | None = None,
    valid_on: dt.date | None = None,
):
    qs = visible(user, Area.objects.all())
    if under is not None:
        qs = qs.under(get_area(user, under, field="under"))
    if structure:
        qs = qs.filter(structure=structure)
    if level:
        qs = qs.filter(level=level)
    if valid_on:
        qs = qs.valid_on(valid_on)
    if q:
        qs = qs.search(q)
    return qs.order_by("path")


def get_area(user, area_id: int, *, field: str = "id") -> Area:
    found = visible(user, Area.objects.all()).filter(pk=area_id).first()
    if found is None:
        raise NotFound(_("Unknown area: %(id)s.") % {"id": area_id}, field=field)
    return found


def area_detail(user, area_id: int) -> dict:
    found = get_area(user, area_id)
    parent = Area.objects.get_parent(found) if found.depth > 1 else None
    return {
        **{f: getattr(found, f) for f in AREA_FIELDS},
        "parent": parent,
        "children_count": found.numchild,
        "predecessors": list(found.predecessors.order_by("path")),
        "successors": list(found.successors.order_by("path")),
    }


def organization_types():
    return OrganizationType.objects.all()


def with_parent_id(qs):
    """Annotate each organization with its parent's id, found by path in the same query."""
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Organization.steplen)
    parent = Organization.objects.filter(path=parent_path).values("pk")[:1]
    return qs.annotate(parent_id=Subquery(parent))


def organizations(
    user,
    *,
    q: str | None = None,
    type: str | None = None,
    under: int | None = None,
    area: int | None = None,
    active: bool | None = None,
):
    qs = with_parent_id(visible(user, Organization.objects.select_related("type", "area")))
    if under is not None:
        qs = qs.under(get_organization(user, under, field="under"))
    if area is not None:
        qs = qs.in_area(get_area(user, area, field="area"))
    if type:
        qs = qs.filter(type__code=type)
    if active is not None:
        qs = qs.filter(is_active=active)
    if q:
        qs = qs.search(q)
    return qs.order_by("path")


def get_organization(user, org_id: int, *, field: str = "id") -> Organization:
    orgs = visible(user, Organization.objects.select_related("type", "area"))
    found = with_parent_id(orgs).filter(pk=org_id).first()
    if found is None:
        raise NotFound(_("Unknown organization: %(id)s.") % {"id": org_id}, field=field)
    return found


def by_codes(codes) -> dict[str, Organization]:
    """Organizations by code, for imports: keys case-folded, whoever may see them (the
    import hides the ones its user may not as unknown)."""
    folded = {c.casefold() for c in codes} - {""}
    return {
        org.code.casefold(): org
        for org in Organization.objects.select_related("area")
        .annotate(code_lower=Lower("code"))
        .filter(code_lower__in=folded)
    }
