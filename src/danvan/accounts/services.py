"""Writes on users' access: grants, tokens, preferences. Atomic, checked, audited."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from danvan.audit.log import record, snapshot
from danvan.core.errors import Conflict, DomainError, NotFound

from . import scope
from .models import ApiToken, Grant, Role, User, hash_token

TOKEN_PREFIX = "dv_"


class AccessError(DomainError):
    pass


def _grant_target(grant_or_node):
    return grant_or_node.organization or grant_or_node.area


@transaction.atomic
def grant_role(*, actor, username: str, role_code: str, organization=None, area=None) -> Grant:
    """Give a user a role on an organization or an area (and so on its subtree)."""
    if (organization is None) == (area is None):
        raise AccessError(_("A role is granted on exactly one organization or area."), field="node")
    try:
        role = Role.objects.get(code=role_code)
    except Role.DoesNotExist as exc:
        raise AccessError(_("Unknown role: %(code)s.") % {"code": role_code}, field="role") from exc
    node = organization or area
    scope.require(actor, "accounts.manage_grants", node)
    # Looked up only after the permission check, so outsiders cannot probe for usernames.
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise NotFound(_("Unknown user: %(name)s.") % {"name": username}, field="username")
    if Grant.objects.filter(user=user, role=role, organization=organization, area=area).exists():
        raise Conflict(_("This user already holds this role there."), field="role")
    grant = Grant.objects.create(
        user=user, role=role, organization=organization, area=area, granted_by=actor
    )
    scope.forget(user)
    record(
        actor=actor,
        action="accounts.grant",
        obj=grant,
        after=snapshot(grant, ["user_id", "role_id", "organization_id", "area_id"]),
    )
    return grant


@transaction.atomic
def revoke_grant(*, actor, grant: Grant) -> None:
    scope.require(actor, "accounts.manage_grants", _grant_target(grant))
    before = snapshot(grant, ["user_id", "role_id", "organization_id", "area_id"])
    record(actor=actor, action="accounts.revoke", obj=grant, before=before, after={})
    grant.delete()
    scope.forget(grant.user)


def grants_visible_to(actor):
    """The actor's own grants, plus those on nodes where the actor manages grants."""
    managed = scope.visible(actor, Grant.objects.all(), action="accounts.manage_grants")
    return (managed | Grant.objects.filter(user=actor)).distinct()


@transaction.atomic
def create_token(
    *, actor, user: User, name: str, expires_at: dt.datetime | None = None
) -> tuple[ApiToken, str]:
    """A new personal token. The raw value is returned once and never stored."""
    if actor != user and not actor.is_superuser:
        raise NotFound(_("Not found."))
    name = " ".join((name or "").split())
    if not name:
        raise AccessError(_("Give the token a name, e.g. what will use it."), field="name")
    if len(name) > 100:
        raise AccessError(_("The name is too long (100 characters at most)."), field="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise AccessError(_("The expiry date must be in the future."), field="expires_at")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:10], key_hash=hash_token(raw), expires_at=expires_at
    )
    record(
        actor=actor,
        action="accounts.create_token",
        obj=token,
        after={"name": name, "user": user.pk},
    )
    return token, raw


@transaction.atomic
def revoke_token(*, actor, token: ApiToken) -> None:
    if token.user_id != actor.pk and not actor.is_superuser:
        raise NotFound(_("Not found."))
    if token.revoked_at:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(
        actor=actor, action="accounts.revoke_token", obj=token, changes={"revoked": [False, True]}
    )


def authenticate_token(raw: str) -> User | None:
    """The user a bearer token belongs to, or None for a malformed, unknown or dead token."""
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100 or not raw.isascii():
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    # Touch at most once a minute: the API must not write on every read.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def set_language(*, actor, user: User, language: str) -> User:
    if actor != user and not actor.is_superuser:
        raise NotFound(_("Not found."))
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise AccessError(
            _("Unknown language %(code)s. Choose one of: %(codes)s.")
            % {"code": language, "codes": ", ".join(codes)},
            field="language",
        )
    before = {"language": user.language}
    user.language = language
    user.save(update_fields=["language"])
    record(
        actor=actor,
        action="accounts.set_language",
        obj=user,
        before=before,
        after={"language": language},
    )
    return user


# Two-step sign-in: an authenticator app (TOTP) and one-time recovery codes (django-otp).

RECOVERY_CODE_COUNT = 10


def _code(raw: str) -> str:
    """What the person typed, without the spaces and dashes phones and papers add."""
    return "".join(ch for ch in (raw or "").lower() if ch.isalnum())[:16]


def start_totp(*, actor) -> TOTPDevice:
    """The key the actor's authenticator app is about to learn; it counts only once a code
    from the app is entered (`confirm_totp`), so reloading the page keeps the same key."""
    if TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise Conflict(_("Two-step sign-in is already on."))
    device = TOTPDevice.objects.filter(user=actor, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=actor, name=str(_("Authenticator app")), confirmed=False
    )


def _check_code(device, code: str) -> None:
    """Outside any transaction: a wrong code must count toward the device's throttling."""
    if not code:
        raise AccessError(_("Enter the code your authenticator app shows."), field="code")
    allowed, _detail = device.verify_is_allowed()
    if not allowed:
        raise AccessError(
            _("Too many wrong codes. Wait a minute, then enter the code now shown."), field="code"
        )
    if not device.verify_token(code):
        raise AccessError(
            _("That code is not right. Check that your phone's clock is correct and enter the "
              "code now shown."),
            field="code",
        )  # fmt: skip


def _new_recovery_codes(user) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def confirm_totp(*, actor, device: TOTPDevice, code: str) -> list[str]:
    """Turn two-step sign-in on with the first right code; returns the recovery codes,
    shown once."""
    if device.user_id != actor.pk or device.confirmed:
        raise NotFound(_("Not found."))
    _check_code(device, _code(code))
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(actor)
        record(
            actor=actor,
            action="accounts.enable_two_factor",
            obj=actor,
            after={"method": "totp", "recovery_codes": len(codes)},
        )
    return codes


def verify_second_factor(*, actor, code: str):
    """The device that accepts the code (the app's, or a recovery code, used up)."""
    code = _code(code)
    totp = TOTPDevice.objects.filter(user=actor, confirmed=True).first()
    recovery = StaticDevice.objects.filter(user=actor, confirmed=True).first()
    if totp is None and recovery is None:
        raise Conflict(_("Two-step sign-in is not set up yet."))
    # An app shows six digits; a recovery code is eight letters and digits.
    device = totp if (len(code) == 6 and code.isdigit()) or recovery is None else recovery
    _check_code(device, code)
    if device is recovery:
        with transaction.atomic():
            record(
                actor=actor,
                action="accounts.use_recovery_code",
                obj=actor,
                after={"recovery_codes_left": recovery.token_set.count()},
            )
    return device


@transaction.atomic
def new_recovery_codes(*, actor) -> list[str]:
    """A fresh set; the old codes stop working."""
    if not TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise Conflict(_("Two-step sign-in is not set up yet."))
    codes = _new_recovery_codes(actor)
    record(
        actor=actor,
        action="accounts.new_recovery_codes",
        obj=actor,
        after={"recovery_codes": len(codes)},
    )
    return codes


@transaction.atomic
def remove_two_factor(*, actor, user: User) -> None:
    """Off, by its owner where their roles allow, or by a system administrator for someone
    who lost their phone and codes (they set it up again at their next sign-in)."""
    if actor != user and not actor.is_superuser:
        raise NotFound(_("Not found."))
    if actor == user and scope.requires_two_factor(user):
        raise AccessError(
            _("Your roles need two-step sign-in, so it cannot be turned off. To move it to a "
              "new phone, ask a system administrator to reset it.")
        )  # fmt: skip
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    if removed:
        record(actor=actor, action="accounts.remove_two_factor", obj=user, after={"user": user.pk})
