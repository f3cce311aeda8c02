"""Downloads of the movement's tables (XLSX, CSV) and the validated import of registrations.

Exports read through the same filters and `queries` as the pages they mirror. The import is
two steps: an upload is checked row by row and shown (nothing written); a clean file is kept
server-side under MEDIA_ROOT/imports/ with a random name, its name and sha256 in the user's
session, so that the confirm step never takes the file, or where it lies, from the client.
The kept file is deleted after the import, when replaced, or after an hour.

Contests: Downloads (XLSX, CSV) of a contest's lists: a round's ranking, the entries of an entries
contest, and the coverage rule's units.

Each reads exactly what the contest page shows, through the same helpers: the contest is
looked up as the page does (404 for those who may not see it), the ranking through
`services.ranking` grouped as on the page, the entries through `views.contest_entries`, the
coverage through `services.coverage`. `?format=xlsx|csv` (xlsx by default).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from danvan.core import imports, tables
from danvan.core.imports import KeptUploads
from danvan.core.tables import download

from .. import io, queries, services
from ..models import ContestKind, GroupBy, Movement
from .common import _contest, _is_htmx, _movement, may_register
from .contests import _grouped, contest_entries
from .models import filtered_models
from .movements import dashboard_params

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


RANKING_HEADERS = [
    gettext_lazy("Team"),
    gettext_lazy("Represents"),
    gettext_lazy("Group"),
    gettext_lazy("Total"),
    gettext_lazy("Rank"),
    gettext_lazy("Advanced"),
]

ENTRY_HEADERS = [
    gettext_lazy("Title"),
    gettext_lazy("Author"),
    gettext_lazy("Outlet"),
    gettext_lazy("Link"),
    gettext_lazy("Unit"),
    gettext_lazy("Submitted on"),
]

COVERAGE_HEADERS = [
    gettext_lazy("Unit"),
    gettext_lazy("Entries"),
    gettext_lazy("Covered"),
]


def _entries_contest(request, contest_id: int):
    contest = _contest(request, contest_id)
    if contest.kind != ContestKind.ENTRIES:
        raise Http404
    return contest


@login_required
def ranking_export(request, contest_id: int, round_id: int):
    contest = _contest(request, contest_id)
    rnd = contest.rounds.filter(pk=round_id).first()
    if rnd is None:
        raise Http404
    grouped = rnd.group_by != GroupBy.NONE
    rows = [
        [
            p.team.name,
            p.team.unit.name,
            p.group if grouped else "",
            p.total,
            p.rank,
            p.advanced,
        ]
        for p in _grouped(rnd, list(services.ranking(rnd)))
    ]
    filename = f"ranking-{contest.code}-round-{rnd.order}"
    return tables.download(
        request,
        lambda fmt: tables.export_table(
            headers=RANKING_HEADERS, rows=rows, fmt=fmt, filename=filename
        ),
    )


@login_required
def entries_export(request, contest_id: int):
    contest = _entries_contest(request, contest_id)
    rows = (
        [e.title, e.author, e.outlet, e.link, e.unit.name, e.submitted_on]
        for e in contest_entries(request.user, contest).iterator(chunk_size=1000)
    )
    filename = f"entries-{contest.code}"
    return tables.download(
        request,
        lambda fmt: tables.export_table(
            headers=ENTRY_HEADERS, rows=rows, fmt=fmt, filename=filename
        ),
    )


@login_required
def coverage_export(request, contest_id: int):
    contest = _entries_contest(request, contest_id)
    coverage = services.coverage(contest)
    rows = [[r["unit"].name, r["entries"], r["covered"]] for r in coverage.get("rows", [])]
    filename = f"coverage-{contest.code}"
    return tables.download(
        request,
        lambda fmt: tables.export_table(
            headers=COVERAGE_HEADERS, rows=rows, fmt=fmt, filename=filename
        ),
    )
