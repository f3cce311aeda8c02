"""Writes on users' access: grants, tokens, preferences. Atomic, checked, audited."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
