"""Subtree filters on a materialized path.

A path prefix becomes a range, `prefix <= path < prefix + '~'`, which both SQLite (byte
order) and PostgreSQL (the path columns use the "C" collation) answer from the index.
'~' sorts after every character of treebeard's path alphabet (0-9, A-Z).
"""

from django.db.models import Q

PATH_END = "~"


def under(path: str, field: str = "path", *, include_self: bool = True) -> Q:
    q = Q(**{f"{field}__gte": path, f"{field}__lt": path + PATH_END})
    if not include_self:
        q &= ~Q(**{field: path})
    return q


def ancestors(path: str, steplen: int = 4) -> list[str]:
    """The path itself and every ancestor's path."""
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def under_any(paths, field: str = "path") -> Q:
    """Everything under any of the paths; nested paths are dropped first."""
    kept: list[str] = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    q = Q(pk__in=[])
    for path in kept:
        q |= under(path, field)
    return q


class ScopeSpec:
    """Which path fields place a row in the tree, for accounts.scope."""

    def __init__(
        self,
        *,
        org: str | None = None,
        area: str | None = None,
        public: bool = False,
        cascades: bool = False,
    ):
        self.org = org
        self.area = area
        # Public rows (official reference data) are readable by every signed-in user;
        # writes on them still need a grant that covers them.
        self.public = public
        # Cascading rows (a movement, a contest) are also readable by everyone whose grants
        # sit in the area under them: a city's movement is for all units in the city.
        self.cascades = cascades
