"""Downloads of the plans lists (XLSX, CSV) and the validated import of tasks.

Exports read through the same filters and `queries` as the pages they mirror. The import is
two steps: an upload is checked row by row and shown (nothing written); a clean file is kept
server-side under MEDIA_ROOT/imports/ with a random name, its name and sha256 in the user's
session, so the confirm step never takes the file, or where it lies, from the client. The
kept file is deleted after the import, when replaced, or after an hour.
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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from danvan.accounts.scope import visible
from danvan.core.errors import DomainError
from danvan.core.http import is_htmx
from danvan.core.http import to_int as _int
from danvan.core.tables import MAX_IMPORT_BYTES, download
from danvan.org.models import Organization

from . import io, queries
from .views import _get, filtered_documents, filtered_tasks, unit_param, units_for

SESSION_KEY = "plans_imports"
KEEP_SECONDS = 3600
_TOKEN_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


# Exports --------------------------------------------------------------------------------------


@login_required
def tasks_export(request):
    qs, _f = filtered_tasks(request)
    return download(request, lambda fmt: io.export_tasks(qs, fmt))


@login_required
def documents_export(request):
    qs, _f = filtered_documents(request)
    return download(request, lambda fmt: io.export_documents(qs, fmt))


@login_required
def matrix_export(request, document_id: int):
    document = _get(queries.get_document, request.user, document_id)
    table = queries.matrix(document)
    issuer_side = visible(request.user, Organization.objects.filter(pk=document.issuer_id)).exists()
    if not issuer_side:
        seen = set(
            visible(
                request.user, Organization.objects.filter(pk__in=[u.pk for u in table["units"]])
            ).values_list("pk", flat=True)
        )
        table["rows"] = [r for r in table["rows"] if r.unit.pk in seen]
    return download(request, lambda fmt: io.export_matrix(document, table, fmt))


def _year_param(request):
    return _int(request.GET.get("year"))


@login_required
def programmes_export(request):
    qs = queries.programmes(
        request.user,
        unit=unit_param(request),
        kind=request.GET.get("kind") or None,
        year=_year_param(request),
    )
    return download(request, lambda fmt: io.export_programmes(qs, fmt))


@login_required
def conferences_export(request):
    qs = queries.conferences(
        request.user,
        unit=unit_param(request),
        kind=request.GET.get("kind") or None,
        year=_year_param(request),
    )
    return download(request, lambda fmt: io.export_conferences(qs, fmt))


@login_required
def coordinations_export(request):
    qs = queries.coordinations(request.user, unit=unit_param(request), year=_year_param(request))
    return download(request, lambda fmt: io.export_coordinations(qs, fmt))


# Import ---------------------------------------------------------------------------------------


def _require_importer(request) -> None:
    if not units_for(request.user, "plans.manage").exists():
        raise PermissionDenied


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _sweep() -> None:
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


def _keep(request, file_name: str, content: bytes) -> str:
    for token in list(_pending(request)):
        _forget(request, token)
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    token, name = secrets.token_urlsafe(24), secrets.token_hex(16)
    (folder / name).write_bytes(content)
    pending = _pending(request)
    pending[token] = {
        "name": name,
        "sha256": hashlib.sha256(content).hexdigest(),
        "file_name": file_name,
        "at": time.time(),
    }
    request.session[SESSION_KEY] = pending
    return token


def _kept(request, token: str) -> tuple[str, bytes] | None:
    if not token or len(token) > 64 or not set(token) <= _TOKEN_CHARS:
        return None
    entry = _pending(request).get(token)
    if not entry:
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


def _import_page(request, **context):
    context = {
        "section": "tasks",
        "columns": [(label, key in io.REQUIRED_COLUMNS) for key, label, _a in io.IMPORT_COLUMNS],
        "max_rows": io.MAX_IMPORT_ROWS,
        "max_mb": MAX_IMPORT_BYTES // 2**20,
        **context,
    }
    if is_htmx(request):
        return render(request, "plans/_io_preview.html", context)
    return render(request, "plans/io_import.html", context)


@login_required
def import_template(request):
    _require_importer(request)
    return download(request, io.import_template)


@login_required
def import_tasks(request):
    """GET: the form. POST (multipart): check the file and show every row and every error."""
    _require_importer(request)
    _sweep()
    if request.method != "POST":
        return _import_page(request)
    upload = request.FILES.get("file")
    if upload is None:
        return _import_page(request, file_error=_("Choose a file to upload."))
    file_name = upload.name or ""
    content = upload.read(MAX_IMPORT_BYTES + 1)
    try:
        preview = io.preview_import(actor=request.user, file_name=file_name, content=content)
    except DomainError as exc:
        return _import_page(request, file_name=file_name, file_error=exc.message)
    token = _keep(request, file_name, content) if preview.is_clean else ""
    return _import_page(
        request,
        file_name=file_name,
        preview=preview,
        errors=_error_rows(preview.errors),
        token=token,
    )


@login_required
@require_POST
def import_confirm(request):
    _require_importer(request)
    _sweep()
    token = request.POST.get("token") or ""
    kept = _kept(request, token)
    if kept is None:
        messages.error(
            request, _("The checked file is no longer available; upload it again and check it.")
        )
        return redirect("plans:import")
    file_name, content = kept
    try:
        created = io.run_import(actor=request.user, file_name=file_name, content=content)
    except io.ImportRejected as exc:
        _forget(request, token)
        return _import_page(
            request, file_name=file_name, rejected=exc.message, errors=_error_rows(exc.errors)
        )
    except DomainError as exc:
        _forget(request, token)
        return _import_page(request, file_name=file_name, file_error=exc.message)
    _forget(request, token)
    return render(
        request,
        "plans/io_done.html",
        {"section": "tasks", "file_name": file_name, "created": created},
    )
