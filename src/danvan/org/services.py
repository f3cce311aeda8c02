"""Every write to areas, organizations and periods: atomic, permission-checked, audited."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from treebeard.exceptions import InvalidMoveToDescendant

from danvan.accounts.scope import get_visible, require
from danvan.audit.log import record, snapshot
from danvan.core import versions
from danvan.core.errors import Conflict, DomainError, NotFound, clean_text

from . import periods
from .models import Area, Organization, OrganizationType, Period, PeriodKind


class OrgError(DomainError):
    pass


AUDITED_ORG_FIELDS = [
    "code", "name", "short_name", "public_contact", "type_id", "area_id", "is_active", "path",
]  # fmt: skip


def _area_by_code(code: str, *, structure: str | None = None) -> Area:
    areas = Area.objects.filter(code=code)
    areas = areas.filter(structure=structure) if structure else areas.filter(valid_to__isnull=True)
    area = areas.order_by("-level").first()
    if area is None:
        raise OrgError(_("Unknown area code: %(code)s.") % {"code": code}, field="area")
    return area


def _type_by_code(code: str) -> OrganizationType:
    try:
        return OrganizationType.objects.get(code=code)
    except OrganizationType.DoesNotExist as exc:
        raise OrgError(
            _("Unknown organization type: %(code)s.") % {"code": code}, field="type"
        ) from exc


def _check_code_free(code: str, *, exclude_pk: int | None = None) -> None:
    taken = Organization.objects.filter(code=code)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise Conflict(
            _("An organization with code %(code)s already exists.") % {"code": code}, field="code"
        )


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise OrgError(_("The name cannot be empty."), field="name")
    if len(name) > 255:
        raise OrgError(_("The name is too long (255 characters at most)."), field="name")
    return name


def _clean_code(code: str) -> str:
    from django.core.validators import validate_slug

    code = (code or "").strip()
    try:
        validate_slug(code)
    except Exception as exc:
        raise OrgError(
            _("The code may contain only letters, digits, hyphens and underscores."),
            field="code",
        ) from exc
    if len(code) > 60:
        raise OrgError(_("The code is too long (60 characters at most)."), field="code")
    return code


@transaction.atomic
def create_organization(
    *,
    actor,
    code: str,
    name: str,
    type_code: str,
    area_code: str,
    parent: Organization | None = None,
    parent_code: str | None = None,
    short_name: str = "",
    public_contact: str = "",
    valid_from: dt.date | None = None,
) -> Organization:
    """Create an organization under `parent` (or as a root in its area)."""
    code = _clean_code(code)
    name = _clean_name(name)
    org_type = _type_by_code(type_code)
    area = _area_by_code(area_code)
    if parent is None and parent_code:
        parent = get_visible(actor, Organization.objects, code=parent_code)
    if parent is not None:
        require(actor, "org.manage", parent)
    else:
        require(actor, "org.manage", area)
    _check_code_free(code)
    fields = {
        "code": code,
        "name": name,
        "short_name": (short_name or "").strip()[:100],
        "public_contact": clean_text(
            public_contact, "public_contact", max_length=300, required=False, error=OrgError
        ),
        "type": org_type,
        "area": area,
        "valid_from": valid_from,
    }
    try:
        with transaction.atomic():
            if parent is not None:
                org = Organization.objects.add_child(parent, create_kwargs=fields)
            else:
                org = Organization.objects.add_root(create_kwargs=fields)
    except IntegrityError as exc:
        raise Conflict(
            _("The organization could not be saved: a duplicate exists."), field="code"
        ) from exc
    record(actor=actor, action="org.create", obj=org, after=snapshot(org, AUDITED_ORG_FIELDS))
    return org


@transaction.atomic
def update_organization(
    *,
    actor,
    organization: Organization,
    name: str | None = None,
    short_name: str | None = None,
    public_contact: str | None = None,
    code: str | None = None,
    type_code: str | None = None,
    area_code: str | None = None,
    is_active: bool | None = None,
    expected_version: str | None = None,
) -> Organization:
    require(actor, "org.manage", organization)
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    versions.check(org, AUDITED_ORG_FIELDS, expected_version)
    before = snapshot(org, AUDITED_ORG_FIELDS)
    if name is not None:
        org.name = _clean_name(name)
    if short_name is not None:
        org.short_name = short_name.strip()[:100]
    if public_contact is not None:
        org.public_contact = clean_text(
            public_contact, "public_contact", max_length=300, required=False, error=OrgError
        )
    if code is not None and code != org.code:
        org.code = _clean_code(code)
        _check_code_free(org.code, exclude_pk=org.pk)
    if type_code is not None:
        org.type = _type_by_code(type_code)
    if area_code is not None:
        org.area = _area_by_code(area_code)
    if is_active is not None:
        org.is_active = is_active
    after = snapshot(org, AUDITED_ORG_FIELDS)
    if after == before:
        return org
    org.save()
    # The user must still be allowed to manage the organization where it now stands.
    require(actor, "org.manage", org)
    record(actor=actor, action="org.update", obj=org, before=before, after=after)
    return org


@transaction.atomic
def move_organization(
    *,
    actor,
    organization: Organization,
    new_parent: Organization | None,
    expected_version: str | None = None,
) -> Organization:
    """Put an organization (and its subtree) under another parent; refuses cycles."""
    require(actor, "org.manage", organization)
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    versions.check(org, AUDITED_ORG_FIELDS, expected_version)
    before = snapshot(org, AUDITED_ORG_FIELDS)
    if new_parent is not None:
        new_parent = Organization.objects.get(pk=new_parent.pk)
        require(actor, "org.manage", new_parent)
        if new_parent.pk == org.pk or new_parent.path.startswith(org.path):
            raise OrgError(
                _("An organization cannot be placed under itself or one of its own units."),
                field="parent",
            )
        current_parent = Organization.objects.get_parent(org)
        if current_parent and current_parent.pk == new_parent.pk:
            return org
        try:
            Organization.objects.move(org, new_parent, "last-child")
        except InvalidMoveToDescendant as exc:
            raise OrgError(
                _("An organization cannot be placed under itself or one of its own units."),
                field="parent",
            ) from exc
    else:
        if org.is_root():
            return org
        require(actor, "org.manage", org.area)
        Organization.objects.move(org, Organization.objects.get_last_root_node(), "last-sibling")
    org.refresh_from_db()
    require(actor, "org.manage", org)
    record(
        actor=actor,
        action="org.move",
        obj=org,
        before=before,
        after=snapshot(org, AUDITED_ORG_FIELDS),
    )
    return org


@transaction.atomic
def ensure_period(
    *, kind: str, year: int, index: int = 1, body: str = "", years: int = 5
) -> Period:
    """The period of a kind in a year, created on first use (periods are shared reference data)."""
    if kind not in PeriodKind.values:
        raise OrgError(_("Unknown period kind: %(kind)s.") % {"kind": kind}, field="kind")
    if not 1900 <= year <= 2200:
        raise OrgError(_("The year is out of range."), field="year")
    if kind == PeriodKind.TERM and not 1 <= years <= 20:
        raise OrgError(_("A term lasts from 1 to 20 years."), field="years")
    try:
        start, end = periods.bounds(kind, year, index, years=years)
    except ValueError as exc:
        raise OrgError(_("That period does not exist."), field="index") from exc
    period, _created = Period.objects.get_or_create(
        kind=kind, start=start, body=body if kind == PeriodKind.TERM else "", defaults={"end": end}
    )
    return period


def organization_by_code(actor, code: str) -> Organization:
    try:
        return get_visible(actor, Organization.objects, code=code)
    except NotFound as exc:
        raise NotFound(
            _("No organization with code %(code)s.") % {"code": code}, field="code"
        ) from exc
