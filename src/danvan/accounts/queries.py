"""Reads on users' own account."""

from __future__ import annotations

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import scope


def two_factor_status(user) -> dict:
    totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    recovery = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return {
        "on": totp is not None,
        "since": totp.created_at if totp else None,
        "recovery_codes_left": recovery.token_set.count() if recovery else 0,
        "required": scope.requires_two_factor(user),
    }
