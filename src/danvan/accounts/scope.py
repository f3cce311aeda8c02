"""The one place that decides access.

`visible(user, qs)` narrows any queryset to the rows under the user's grants;
`require(user, action, obj)` guards every write. Models declare where they sit in the
tree with a `scope = ScopeSpec(org=..., area=...)` attribute naming their path fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from danvan.core.errors import NotFound
from danvan.core.tree import ancestors, under_any

from .actions import ACTIONS, EXPLICIT_ONLY
from .actions import allows as _allows

_CACHE_ATTR = "_danvan_scope_grants"
_DEVICE_ATTR = "_danvan_has_second_factor"


@dataclass(frozen=True)
class GrantRef:
    actions: tuple[str, ...]
    org_path: str | None
    area_path: str | None
    # Where the grant sits on the map: the area granted, or the granted organization's area.
    located_in: str | None = None


def _grants_of(user) -> list[GrantRef]:
    """The user's grants as paths; cached on the user object for the request."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from .models import Grant

        rows = Grant.objects.filter(user=user).values_list(
            "role__actions", "organization__path", "area__path", "organization__area__path"
        )
        cached = [
            GrantRef(tuple(actions or ()), org, area, area or org_area)
            for actions, org, area, org_area in rows
        ]
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget(user) -> None:
    """Drop the cached grants after they change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _known(action: str | None) -> None:
    """A misspelt action would quietly refuse officers while superusers pass: refuse it."""
    if action is not None and action not in ACTIONS:
        raise ValueError(
            f"Unknown action code {action!r}: actions are listed in accounts/actions.py"
        )


def _spec(model):
    spec = getattr(model, "scope", None)
    if spec is None:
        raise TypeError(f"{model.__name__} declares no scope; it cannot be filtered by access")
    return spec


def scope_q(user, model, *, action: str | None = None) -> Q:
    """The filter that keeps the rows of `model` the user may see (or act on)."""
    _known(action)
    spec = _spec(model)
    grants = [g for g in _grants_of(user) if action is None or _allows(list(g.actions), action)]
    parts = []
    for field, paths in (
        (spec.org, [g.org_path for g in grants if g.org_path]),
        (spec.area, [g.area_path for g in grants if g.area_path]),
    ):
        if not field or not paths:
            continue
        parts.append(under_any(paths, field))
    if spec.cascades and spec.area and action is None:
        located = {a for g in grants if g.located_in for a in ancestors(g.located_in)}
        if located:
            parts.append(Q(**{f"{spec.area}__in": sorted(located)}))
    return reduce(lambda a, b: a | b, parts) if parts else Q(pk__in=[])


def visible(user, qs: QuerySet, *, action: str | None = None) -> QuerySet:
    """Narrow `qs` to what the user may see; with `action`, to what they may do it on."""
    _known(action)
    if not _active(user):
        return qs.none()
    if user.is_superuser:
        return qs
    if action is None and _spec(qs.model).public:
        return qs
    return qs.filter(scope_q(user, qs.model, action=action))


def _paths_of(obj: Model) -> tuple[str | None, str | None]:
    spec = _spec(type(obj))

    def follow(path: str | None):
        if not path:
            return None
        value = obj
        for part in path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        return value

    return follow(spec.org), follow(spec.area)


def _covering_grants(user, action: str | None, obj: Model) -> list[GrantRef]:
    """The user's grants that cover `obj` and allow `action` (for rules about *where* a
    grant sits, such as "evaluated at the accepting level")."""
    _known(action)
    if not _active(user):
        return []
    org_path, area_path = _paths_of(obj)
    return [
        grant
        for grant in _grants_of(user)
        if (action is None or _allows(list(grant.actions), action))
        and (
            (org_path and grant.org_path and org_path.startswith(grant.org_path))
            or (area_path and grant.area_path and area_path.startswith(grant.area_path))
        )
    ]


def granted_at(user, action: str, obj: Model) -> list[tuple[str | None, str | None]]:
    """Where the user's grants that cover `obj` and allow `action` sit, as (organization
    path, area path) pairs: for rules about *where* a grant sits, such as "evaluated at the
    accepting level". The grants themselves stay inside accounts."""
    return [(g.org_path, g.area_path) for g in _covering_grants(user, action, obj)]


def covers(user, obj: Model) -> bool:
    """Some grant of the user, whatever it allows, covers `obj` (or the user administers)."""
    return _active(user) and (user.is_superuser or bool(_covering_grants(user, None, obj)))


def can(user, action: str | None, obj: Model) -> bool:
    _known(action)
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    spec = _spec(type(obj))
    if action is None and spec.public:
        return True
    if action is None and spec.cascades:
        _org_path, area_path = _paths_of(obj)
        if area_path and any(
            g.located_in and g.located_in.startswith(area_path) for g in _grants_of(user)
        ):
            return True
    return bool(_covering_grants(user, action, obj))


def may_read_identity(user, action: str, obj: Model) -> bool:
    """Citizens' identities (a complainant, a denouncer, a beneficiary): only a grant that
    names `action` and covers `obj` — never superuser status alone, never a wildcard role
    (EXPLICIT_ONLY). Each read is audited by the caller."""
    if action not in EXPLICIT_ONLY:
        raise ValueError(f"{action!r} is not an identity action (accounts/actions.py)")
    return _active(user) and bool(_covering_grants(user, action, obj))


def has_role(user) -> bool:
    """Holds a role somewhere, or administers the system: may read lists of their subtree."""
    return _active(user) and (user.is_superuser or bool(_grants_of(user)))


def users_who_can(action: str, obj: Model) -> list:
    """Everyone `can` lets do `action` on `obj` (to offer them as assignees): the active
    users with a grant over it, and the system administrators."""
    from .models import Grant, User

    _known(action)
    org_path, area_path = _paths_of(obj)
    over = Q(pk__in=[])
    if org_path:
        over |= Q(organization__path__in=ancestors(org_path))
    if area_path:
        over |= Q(area__path__in=ancestors(area_path))
    candidates = {
        g.user for g in Grant.objects.filter(over, user__is_active=True).select_related("user")
    }
    candidates |= set(User.objects.filter(is_superuser=True, is_active=True))
    return [user for user in candidates if can(user, action, obj)]


def holds(user, action: str) -> bool:
    """Whether the user may do `action` somewhere: to offer a link or a button at all (the
    write itself is still checked on its object by `require`)."""
    _known(action)
    if not _active(user):
        return False
    if user.is_superuser:
        return action not in EXPLICIT_ONLY or any(action in g.actions for g in _grants_of(user))
    return any(_allows(list(g.actions), action) for g in _grants_of(user))


# Who must sign in with a second factor: whoever can read citizens' identities or administer.
TWO_FACTOR_ACTIONS = (*sorted(EXPLICIT_ONLY), "accounts.manage_grants")


def requires_two_factor(user) -> bool:
    if not _active(user):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return any(_allows(list(g.actions), a) for g in _grants_of(user) for a in TWO_FACTOR_ACTIONS)


def second_step(user) -> str | None:
    """What a user signed in with a password only must do before anything else: "verify"
    (enter a code from the device they set up) or "setup" (their roles require one), or
    None (`is_verified` comes from django-otp's middleware; a bearer token is never asked).
    Whether they have a device is looked up once per request: the middleware, the API and
    the page layout all ask."""
    from django_otp import user_has_device

    if not _active(user) or getattr(user, "is_verified", lambda: True)():
        return None
    has_device = getattr(user, _DEVICE_ATTR, None)
    if has_device is None:
        has_device = user_has_device(user)
        setattr(user, _DEVICE_ATTR, has_device)
    if has_device:
        return "verify"
    return "setup" if requires_two_factor(user) else None


def require(user, action: str, obj: Model) -> None:
    """Raise unless the user may do `action` on `obj` (or, for a new row, on its parent)."""
    if not can(user, action, obj):
        raise PermissionDenied(_("You do not have permission to do this here."))


def get_visible(user, qs: QuerySet, **lookup):
    """One row the user may see; otherwise NotFound, whether it is missing or hidden."""
    try:
        return visible(user, qs).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("Not found.")) from exc
