"""The import flow every app shares: map a sheet's header to columns, collect every row's
errors, check all rows in a savepoint rolled back at once (the preview) or keep them all or
none (the import), and, on the page, keep the checked upload server-side until it is
confirmed. Reading the file itself is `core.tables.read_rows`.

Columns are described as (key, label, aliases): `label` is what the template and the
messages show (translated), `aliases` are header names already folded by `header_key`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.core import import_jobs
from danvan.core.errors import DomainError
from danvan.core.tables import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    ImportFileError,
    cell_date,
    header_key,
)
from danvan.core.text import bad_characters

Columns = Sequence[tuple[str, object, Iterable[str]]]


# Columns ---------------------------------------------------------------------------------


class MissingColumns(ImportFileError):
    """Required columns are not in the header; `missing` holds their keys, in `required` order."""

    def __init__(self, message, missing: list[str]):
        super().__init__(message)
        self.missing = missing


def column_label(columns: Columns, key: str) -> str:
    return next((str(label) for k, label, _a in columns if k == key), key)


def map_columns(
    header: list, columns: Columns, required: Iterable[str] = (), *, strict: bool = True
) -> dict[int, str]:
    """Column index -> key. A header cell matches a column by its label (in the user's
    language) or one of its aliases, ignoring case, diacritics and punctuation.

    strict: an unknown or repeated header is an ImportFileError naming every one. Not strict:
    unknown headers are ignored and the first of repeated ones counts. Either way a missing
    required column is a MissingColumns error."""
    # The template's headers in English are accepted too, whatever the user's language.
    with translation.override("en"):
        index_of = {header_key(label): key for key, label, _a in columns}
    index_of.update({header_key(label): key for key, label, _a in columns})
    index_of.update({alias: key for key, _l, aliases in columns for alias in aliases})
    index_of.pop("", None)  # a column without a label; a header of punctuation only
    mapped: dict[int, str] = {}
    unknown, repeated = [], []
    for index, text in enumerate(header):
        if text is None or not str(text).strip():
            continue
        key = index_of.get(header_key(text))
        if key is None:
            unknown.append(str(text).strip())
        elif key in mapped.values():
            repeated.append(str(text).strip())
        else:
            mapped[index] = key
    if strict and unknown:
        raise ImportFileError(
            _("Unknown columns: %(cols)s. Accepted columns: %(accepted)s.")
            % {
                "cols": ", ".join(unknown),
                "accepted": ", ".join(str(label) for _k, label, _a in columns),
            }
        )
    if strict and repeated:
        raise ImportFileError(
            _("These columns appear twice: %(cols)s.") % {"cols": ", ".join(repeated)}
        )
    missing = [key for key in required if key not in mapped.values()]
    if missing:
        raise MissingColumns(
            _("Missing columns: %(cols)s.")
            % {"cols": ", ".join(column_label(columns, key) for key in missing)},
            missing,
        )
    return mapped


def bad_cells(raw: dict) -> list[str]:
    """The keys of a row's cells that hold control characters (refused, per row)."""
    return [k for k, v in raw.items() if isinstance(v, str) and bad_characters(v)]


BAD_CELL = gettext_lazy("This cell holds invisible control characters; type it again.")


def raw_rows(data: list[tuple[int, list]], mapped: dict[int, str]) -> list[tuple[int, dict]]:
    """(row number, {key: cell}) for each data row of `read_rows`; absent cells are None."""
    return [
        (number, {key: (values[i] if i < len(values) else None) for i, key in mapped.items()})
        for number, values in data
    ]


# Rows and their errors ---------------------------------------------------------------------


@dataclasses.dataclass
class ImportRow:
    """One data row; apps subclass it with their fields (all with defaults).
    `errors` are [{row, field, message}]."""

    row: int
    errors: list[dict] = dataclasses.field(default_factory=list, kw_only=True)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, field: str, message) -> None:
        self.errors.append({"row": self.row, "field": field, "message": str(message)})

    def date(self, value, key: str) -> dt.date | None:
        """The cell as a date, or None with an error on `key` when it is not one."""
        try:
            return cell_date(value)
        except ValueError as exc:
            self.error(
                key, _("Not a date: %(value)s. Enter it as dd/mm/yyyy.") % {"value": exc.args[0]}
            )
            return None


@dataclasses.dataclass
class ImportPreview:
    rows: list[ImportRow]

    @property
    def errors(self) -> list[dict]:
        return [error for row in self.rows for error in row.errors]

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def ok_rows(self) -> int:
        return sum(1 for row in self.rows if row.ok)

    @property
    def error_rows(self) -> int:
        return self.total - self.ok_rows

    @property
    def is_clean(self) -> bool:
        return bool(self.rows) and not self.error_rows


class ImportRejected(DomainError):
    """Some rows broke a rule; nothing was imported. `errors`: [{row, field, message}]."""

    def __init__(self, errors: list[dict]):
        rows = len({e["row"] for e in errors})
        super().__init__(
            _("%(n)d rows have errors; nothing was imported.") % {"n": rows},
            field="file",
            code="import_rejected",
        )
        self.errors = errors

    def as_dict(self) -> dict:
        return {**super().as_dict(), "errors": self.errors}


def form_context(columns: Columns, required: Iterable[str]) -> dict:
    """What an import page says about the file: its columns (label, required) and limits."""
    required = set(required)
    return {
        "columns": [(label, key in required) for key, label, _a in columns],
        "max_rows": MAX_IMPORT_ROWS,
        "max_mb": MAX_IMPORT_BYTES // 2**20,
    }


def error_rows(errors: list[dict], label: Callable[[str], str]) -> list[dict]:
    """Errors with the column's label, for the page's table."""
    return [{**e, "column": label(e["field"]) if e["field"] else ""} for e in errors]


# Checking and writing -----------------------------------------------------------------------


class _RollBack(Exception):
    pass


@contextmanager
def rolled_back():
    """Run the block in a transaction that is always rolled back (a preview)."""
    try:
        with transaction.atomic():
            yield
            raise _RollBack
    except _RollBack:
        pass


def hide_unknown(row: ImportRow, hidden: bool, field: str, message) -> None:
    """An object the actor cannot see (`hidden`, as the scope says) is reported as unknown:
    outsiders never learn it exists."""
    if hidden:
        row.errors = [e for e in row.errors if e["field"] != field]
        row.error(field, message)


def write_rows(
    rows: Iterable[ImportRow],
    write: Callable[[ImportRow], object],
    *,
    keep: bool,
    denied: tuple[str, object],
    check: Callable[[ImportRow], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> list:
    """`write(row)` for each row without errors (after `check(row)`), each in its own
    savepoint. With `keep`, rows that pass stay written in the caller's transaction; without,
    each is rolled back at once, so no lock (the audit chain's) is held across rows. A
    service's DomainError becomes the row's error; PermissionDenied becomes `denied`
    (field, message). `progress(n)` hears how many rows are done, every 100."""
    created = []
    for done, row in enumerate(rows, start=1):
        if progress is not None and done % 100 == 0:
            progress(done)
        if check is not None:
            check(row)
        if not row.ok:
            continue
        try:
            with transaction.atomic():
                obj = write(row)
                if not keep:
                    raise _RollBack
        except _RollBack:
            pass
        except PermissionDenied:
            row.error(denied[0], denied[1])
        except DomainError as exc:
            row.error(exc.field or "", exc.message)
        else:
            created.append(obj)
    return created


def all_or_nothing(rows: list[ImportRow], write_all: Callable[[], list]) -> list:
    """`write_all()` in one transaction, kept only if no row has an error (ImportRejected)."""
    with transaction.atomic():
        created = write_all()
        errors = [error for row in rows for error in row.errors]
        if errors:
            raise ImportRejected(errors)
    return created


# The page: keep the checked upload until it is confirmed ------------------------------------

_TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


class KeptUploads:
    """A clean upload is kept under MEDIA_ROOT/imports/ with a random name, its name and
    sha256 in the user's session (under `session_key`), so that the confirm step never takes
    the file, or where it lies, from the client. One kept file per session and scope (a
    movement, say, stored in the entry under `scope_key`); deleted after the import, when
    replaced, or after `keep_seconds`."""

    def __init__(self, session_key: str, *, scope_key: str = "", keep_seconds: int = 3600):
        self.session_key = session_key
        self.scope_key = scope_key
        self.keep_seconds = keep_seconds

    @staticmethod
    def folder() -> Path:
        return Path(settings.MEDIA_ROOT) / "imports"

    def sweep(self) -> None:
        """Delete kept uploads older than `keep_seconds`, whoever left them."""
        folder = self.folder()
        if not folder.is_dir():
            return
        limit = time.time() - self.keep_seconds
        for path in folder.iterdir():
            try:
                if path.is_file() and path.stat().st_mtime < limit:
                    path.unlink()
            except FileNotFoundError:
                pass

    def _pending(self, request) -> dict:
        return dict(request.session.get(self.session_key) or {})

    def _scope_of(self, entry: dict):
        return entry.get(self.scope_key) if self.scope_key else None

    def forget(self, request, token: str) -> None:
        pending = self._pending(request)
        entry = pending.pop(token, None)
        if entry:
            (self.folder() / entry["name"]).unlink(missing_ok=True)
        request.session[self.session_key] = pending

    def keep(self, request, file_name: str, content: bytes, scope=None, rows: int = 0) -> str:
        """Keep a clean upload for the confirm step, replacing this scope's; a token for it."""
        for token, entry in self._pending(request).items():
            if self._scope_of(entry) == scope or time.time() - entry["at"] > self.keep_seconds:
                self.forget(request, token)
        folder = self.folder()
        folder.mkdir(parents=True, exist_ok=True)
        token, name = secrets.token_urlsafe(24), secrets.token_hex(16)
        (folder / name).write_bytes(content)
        # Stamped with the app's clock, which `sweep` compares it with (the file system's
        # own clock differs under a test's travelling clock).
        now = time.time()
        os.utime(folder / name, (now, now))
        pending = self._pending(request)
        pending[token] = {
            "name": name,
            "sha256": hashlib.sha256(content).hexdigest(),
            "file_name": file_name,
            "rows": rows,
            **({self.scope_key: scope} if self.scope_key else {}),
            "at": time.time(),
        }
        request.session[self.session_key] = pending
        return token

    def kept(self, request, token: str, scope=None) -> tuple[str, bytes, int] | None:
        """The kept upload of this session and scope, if it is there, fresh and intact."""
        if not token or len(token) > 64 or not set(token) <= _TOKEN_CHARS:
            return None
        entry = self._pending(request).get(token)
        if not entry or self._scope_of(entry) != scope:
            return None
        if time.time() - entry["at"] > self.keep_seconds:
            self.forget(request, token)
            return None
        try:
            content = (self.folder() / entry["name"]).read_bytes()
        except FileNotFoundError:
            self.forget(request, token)
            return None
        if hashlib.sha256(content).hexdigest() != entry["sha256"]:
            self.forget(request, token)
            return None
        return entry["file_name"], content, entry.get("rows", 0)

    def check(self, request, *, page, preview, label, scope=None):
        """The upload step. GET: `page()`. POST: `preview(file_name, content)` checks every row
        (nothing written); a clean file is kept and its token given to the page."""
        self.sweep()
        if request.method != "POST":
            return page()
        upload = request.FILES.get("file")
        if upload is None:
            return page(file_error=_("Choose a file to upload."))
        file_name = upload.name or ""
        # One byte more than allowed is enough for read_rows to say the file is too large.
        content = upload.read(MAX_IMPORT_BYTES + 1)
        try:
            result = preview(file_name, content)
        except DomainError as exc:  # ImportFileError: the file itself is unreadable
            return page(file_name=file_name, file_error=exc.message)
        token = (
            self.keep(request, file_name, content, scope, rows=result.total)
            if result.is_clean
            else ""
        )
        return page(
            file_name=file_name,
            preview=result,
            errors=error_rows(result.errors, label),
            token=token,
        )

    def confirm(self, request, *, page, run, done, label, retry_url, scope=None, job=""):
        """The confirm step: `run(file_name, content)` on the kept file of this session, then
        `done(file_name, result)`; rows that broke a rule since the check are shown again.
        A large file of a `job` kind (core/import_jobs.py) goes to the task worker instead,
        and the page follows it."""
        self.sweep()
        token = request.POST.get("token") or ""
        kept = self.kept(request, token, scope)
        if kept is None:
            messages.error(
                request, _("The checked file is no longer available; upload it again and check it.")
            )
            return redirect(retry_url)
        file_name, content, rows = kept
        if job and import_jobs.in_background(rows):
            started = import_jobs.start(
                actor=request.user, kind=job, scope_id=scope, file_name=file_name,
                content=content, rows=rows,
            )  # fmt: skip
            self.forget(request, token)
            return redirect("web:import_job", job_id=started.pk)
        try:
            result = run(file_name, content)
        except ImportRejected as exc:
            self.forget(request, token)
            return page(
                file_name=file_name, rejected=exc.message, errors=error_rows(exc.errors, label)
            )
        except DomainError as exc:
            self.forget(request, token)
            return page(file_name=file_name, file_error=exc.message)
        self.forget(request, token)
        return done(file_name, result)
