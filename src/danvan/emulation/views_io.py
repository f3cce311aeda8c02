"""Downloads of the movement's tables (XLSX, CSV) and the validated import of registrations.

Exports read through the same filters and `queries` as the pages they mirror. The import is
two steps: an upload is checked row by row and shown (nothing written); a clean file is kept
server-side under MEDIA_ROOT/imports/ with a random name, its name and sha256 in the user's
session, so that the confirm step never takes the file, or where it lies, from the client.
The kept file is deleted after the import, when replaced, or after an hour.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.core.errors import DomainError
from danvan.core.tables import MAX_IMPORT_BYTES, download

from . import io, queries
from .models import Movement
from .views import _is_htmx, _movement, dashboard_params, filtered_models, may_register

SESSION_KEY = "emulation_imports"
KEEP_SECONDS = 3600
_TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


# Exports --------------------------------------------------------------------------------


@login_required
def models_export(request, movement_id: int):
    movement = _movement(request, movement_id)
    qs, _shown = filtered_models(request, movement)
    return download(request, lambda fmt: io.export_models(qs, fmt))


@login_required
def dashboard_export(request, movement_id: int):
    movement = _movement(request, movement_id)
    year, unit, as_of, _invalid = dashboard_params(request, movement)
    figures = queries.dashboard(request.user, movement=movement, year=year, unit=unit, as_of=as_of)
    return download(request, lambda fmt: io.export_dashboard(figures, fmt))


# Import ---------------------------------------------------------------------------------


def _import_movement(request, movement_id: int) -> Movement:
    """404 for those who cannot see the movement; 403 for those who may register nowhere."""
    movement = _movement(request, movement_id)
    if not may_register(request.user):
        raise PermissionDenied
    return movement


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _sweep() -> None:
    """Delete kept uploads older than an hour, whoever left them."""
    folder = _folder()
    if not folder.is_dir():
        return
    limit = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            pass


def _pending(request) -> dict:
    return dict(request.session.get(SESSION_KEY) or {})


def _forget(request, token: str) -> None:
    pending = _pending(request)
    entry = pending.pop(token, None)
    if entry:
        (_folder() / entry["name"]).unlink(missing_ok=True)
    request.session[SESSION_KEY] = pending


def _keep(request, movement: Movement, file_name: str, content: bytes) -> str:
    """Keep a clean upload for the confirm step; one per movement and session."""
    for token, entry in _pending(request).items():
        if entry["movement"] == movement.pk or time.time() - entry["at"] > KEEP_SECONDS:
            _forget(request, token)
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    name = secrets.token_hex(16)
    (folder / name).write_bytes(content)
    pending = _pending(request)
    pending[token] = {
        "name": name,
        "sha256": hashlib.sha256(content).hexdigest(),
        "file_name": file_name,
        "movement": movement.pk,
        "at": time.time(),
    }
    request.session[SESSION_KEY] = pending
    return token


def _kept(request, movement: Movement, token: str) -> tuple[str, bytes] | None:
    """The kept upload of this session for this movement, if it is there, fresh and intact."""
    if not token or len(token) > 64 or not set(token) <= _TOKEN_CHARS:
        return None
    entry = _pending(request).get(token)
    if not entry or entry["movement"] != movement.pk:
        return None
    if time.time() - entry["at"] > KEEP_SECONDS:
        _forget(request, token)
        return None
    try:
        content = (_folder() / entry["name"]).read_bytes()
    except FileNotFoundError:
        _forget(request, token)
        return None
    if hashlib.sha256(content).hexdigest() != entry["sha256"]:
        _forget(request, token)
        return None
    return entry["file_name"], content


def _error_rows(errors: list[dict]) -> list[dict]:
    return [{**e, "column": io.column_label(e["field"]) if e["field"] else ""} for e in errors]


def _import_page(request, movement: Movement, **context):
    context = {
        "movement": movement,
        "columns": [
            (label, key in io.REQUIRED_COLUMNS) for key, label, _aliases in io.IMPORT_COLUMNS
        ],
        "max_rows": io.MAX_IMPORT_ROWS,
        "max_mb": MAX_IMPORT_BYTES // 2**20,
        **context,
    }
    if _is_htmx(request):
        return render(request, "emulation/_io_preview.html", context)
    return render(request, "emulation/io_import.html", context)


@login_required
def import_template(request, movement_id: int):
    _import_movement(request, movement_id)
    return download(request, io.import_template)


@login_required
def import_registrations(request, movement_id: int):
    """GET: the form. POST (multipart): check the file and show every row and every error."""
    movement = _import_movement(request, movement_id)
    _sweep()
    if request.method != "POST":
        return _import_page(request, movement)
    upload = request.FILES.get("file")
    if upload is None:
        return _import_page(request, movement, file_error=_("Choose a file to upload."))
    file_name = upload.name or ""
    # One byte more than allowed is enough for io to say the file is too large.
    content = upload.read(MAX_IMPORT_BYTES + 1)
    try:
        preview = io.preview_import(
            actor=request.user, movement=movement, file_name=file_name, content=content
        )
    except DomainError as exc:  # ImportFileError: the file itself is unreadable
        return _import_page(request, movement, file_name=file_name, file_error=exc.message)
    token = _keep(request, movement, file_name, content) if preview.is_clean else ""
    return _import_page(
        request,
        movement,
        file_name=file_name,
        preview=preview,
        errors=_error_rows(preview.errors),
        token=token,
    )


@login_required
@require_POST
def import_confirm(request, movement_id: int):
    """Import the kept file of this session, or nothing."""
    movement = _import_movement(request, movement_id)
    _sweep()
    token = request.POST.get("token") or ""
    kept = _kept(request, movement, token)
    if kept is None:
        messages.error(
            request, _("The checked file is no longer available; upload it again and check it.")
        )
        return redirect("emulation:import", movement_id=movement.pk)
    file_name, content = kept
    try:
        result = io.run_import(
            actor=request.user, movement=movement, file_name=file_name, content=content
        )
    except io.ImportRejected as exc:
        _forget(request, token)
        return _import_page(
            request,
            movement,
            file_name=file_name,
            rejected=exc.message,
            errors=_error_rows(exc.errors),
        )
    except DomainError as exc:
        _forget(request, token)
        return _import_page(request, movement, file_name=file_name, file_error=exc.message)
    _forget(request, token)
    return render(
        request,
        "emulation/io_done.html",
        {
            "movement": movement,
            "file_name": file_name,
            "result": result,
            "list_url": reverse("emulation:models", args=[movement.pk]),
        },
    )
