"""Reads on users' own accounts and on what a grant may be given on."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.core.errors import NotFound

from . import scope
from .models import ApiToken, Grant


def two_factor_status(user) -> dict:
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return {
        "on": totp is not None,
        "since": totp.created_at if totp else None,
        "recovery_codes_left": recovery.token_set.count() if recovery else 0,
        "required": scope.requires_two_factor(user),
    }


def grant_node(user, field: str, pk: int):
    """The organization or area (`field` of a grant) the user may see, for a new grant; the
    model is the grant's own foreign key, so accounts needs no import of org."""
    model = Grant._meta.get_field(field).related_model
    found = scope.visible(user, model.objects.all()).filter(pk=pk).first()
    if found is None:
        unknown = {
            "organization": _("Unknown organization: %(id)s."),
            "area": _("Unknown area: %(id)s."),
        }[field]
        raise NotFound(unknown % {"id": pk}, field=field)
    return found


def role_codes(user) -> set[str]:
    return set(Grant.objects.filter(user=user).values_list("role__code", flat=True))


def own_grants(user):
    return Grant.objects.filter(user=user).select_related("role", "organization", "area")


def grants_on(user, organization):
    """Who holds which role on an organization; None when the user may not manage them."""
    if not scope.can(user, "accounts.manage_grants", organization):
        return None
    return Grant.objects.filter(organization=organization).select_related("user", "role")


def own_tokens(user):
    return ApiToken.objects.filter(user=user)


def own_token(user, token_id: int) -> ApiToken | None:
    return ApiToken.objects.filter(user=user, pk=token_id).first()
