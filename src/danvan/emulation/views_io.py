"""Downloads of the movement's tables (XLSX, CSV) and the validated import of registrations.

Exports read through the same filters and `queries` as the pages they mirror. The import is
two steps: an upload is checked row by row and shown (nothing written); a clean file is kept
server-side under MEDIA_ROOT/imports/ with a random name, its name and sha256 in the user's
session, so that the confirm step never takes the file, or where it lies, from the client.
The kept file is deleted after the import, when replaced, or after an hour.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from danvan.core import imports
from danvan.core.imports import KeptUploads
from danvan.core.tables import download

from . import io, queries
from .models import Movement
from .views import _is_htmx, _movement, dashboard_params, filtered_models, may_register

SESSION_KEY = "emulation_imports"
KEEP_SECONDS = 3600
UPLOADS = KeptUploads(SESSION_KEY, scope_key="movement", keep_seconds=KEEP_SECONDS)


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


def _import_page(request, movement: Movement, **context):
    context = {
        "movement": movement,
        **imports.form_context(io.IMPORT_COLUMNS, io.REQUIRED_COLUMNS),
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
    return UPLOADS.check(
        request,
        page=lambda **context: _import_page(request, movement, **context),
        preview=lambda file_name, content: io.preview_import(
            actor=request.user, movement=movement, file_name=file_name, content=content
        ),
        label=io.column_label,
        scope=movement.pk,
    )


@login_required
@require_POST
def import_confirm(request, movement_id: int):
    """Import the kept file of this session, or nothing."""
    movement = _import_movement(request, movement_id)
    return UPLOADS.confirm(
        request,
        page=lambda **context: _import_page(request, movement, **context),
        run=lambda file_name, content: io.run_import(
            actor=request.user, movement=movement, file_name=file_name, content=content
        ),
        done=lambda file_name, result: render(
            request,
            "emulation/io_done.html",
            {
                "movement": movement,
                "file_name": file_name,
                "result": result,
                "list_url": reverse("emulation:models", args=[movement.pk]),
            },
        ),
        label=io.column_label,
        retry_url=reverse("emulation:import", kwargs={"movement_id": movement.pk}),
        scope=movement.pk,
        job="emulation.registrations",
    )
