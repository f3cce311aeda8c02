"""Optimistic concurrency: an edit is saved only over the version it was made from.

A page's edit form carries the version of the fields it edits when it was opened
(`version_of`); the service compares it with the row locked for the update and refuses a
stale one (`EditConflict`), so two officers editing the same task never silently undo
each other's change. The second writer sees both versions and keeps their input. The API
does the same with ETag / If-Match (412 when the version moved on)."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

from .errors import Conflict
from .snapshot import canonical, snapshot


def version_of(obj, fields) -> str:
    return hashlib.sha256(canonical(snapshot(obj, fields)).encode()).hexdigest()[:20]


class EditConflict(Conflict):
    """Someone saved the same record after this edit was opened. On the API: 412, the
    answer to an If-Match that no longer holds."""

    status = 412

    def __init__(self, obj, fields, version: str):
        super().__init__(
            _(
                "Someone else saved this after you opened it. Their version is shown next to "
                "yours; your changes are still in the form: check them and save again."
            )
        )
        self.code = "edit_conflict"
        self.current = {name: getattr(obj, name) for name in fields}
        self.version = version


def check(obj, fields, expected: str | None) -> None:
    """Refuse the edit when `expected` (the version the editor started from) is stale.
    None: the caller did not say (an API client without If-Match) — last write wins."""
    if not expected:
        return
    current = version_of(obj, fields)
    if expected != current:
        raise EditConflict(obj, fields, current)


def if_match(request) -> str | None:
    """The version an API client edits from: its If-Match header (the ETag it read)."""
    raw = (request.headers.get("If-Match") or "").strip()
    if not raw or raw == "*":
        return None
    return raw.removeprefix("W/").strip('"')


def tag(response, obj, fields) -> None:
    """Send the record's version as its ETag, for the client's next If-Match."""
    response["ETag"] = f'"{version_of(obj, fields)}"'
