"""Downloads of the plans lists (XLSX, CSV) and the validated import of tasks.

Exports read through the same filters and `queries` as the pages they mirror. The import is
two steps: an upload is checked row by row and shown (nothing written); a clean file is kept
server-side under MEDIA_ROOT/imports/ with a random name, its name and sha256 in the user's
session, so the confirm step never takes the file, or where it lies, from the client. The
kept file is deleted after the import, when replaced, or after an hour.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_POST

from danvan.accounts.scope import visible
from danvan.core import imports
from danvan.core.http import is_htmx
from danvan.core.http import to_int as _int
from danvan.core.imports import KeptUploads
from danvan.core.tables import download
from danvan.org.models import Organization

from . import io, queries
from .views import _get, filtered_documents, filtered_tasks, unit_param, units_for

SESSION_KEY = "plans_imports"
KEEP_SECONDS = 3600
UPLOADS = KeptUploads(SESSION_KEY, keep_seconds=KEEP_SECONDS)


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


def _import_page(request, **context):
    context = {
        "section": "tasks",
        **imports.form_context(io.IMPORT_COLUMNS, io.REQUIRED_COLUMNS),
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
    return UPLOADS.check(
        request,
        page=lambda **context: _import_page(request, **context),
        preview=lambda file_name, content: io.preview_import(
            actor=request.user, file_name=file_name, content=content
        ),
        label=io.column_label,
    )


@login_required
@require_POST
def import_confirm(request):
    _require_importer(request)
    return UPLOADS.confirm(
        request,
        page=lambda **context: _import_page(request, **context),
        run=lambda file_name, content: io.run_import(
            actor=request.user, file_name=file_name, content=content
        ),
        done=lambda file_name, created: render(
            request,
            "plans/io_done.html",
            {"section": "tasks", "file_name": file_name, "created": created},
        ),
        label=io.column_label,
        retry_url="plans:import",
        job="plans.tasks",
    )
