"""Downloads (XLSX, CSV) of a contest's lists: a round's ranking, the entries of an entries
contest, and the coverage rule's units.

Each reads exactly what the contest page shows, through the same helpers: the contest is
looked up as the page does (404 for those who may not see it), the ranking through
`services.ranking` grouped as on the page, the entries through `views.contest_entries`, the
coverage through `services.coverage`. `?format=xlsx|csv` (xlsx by default).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext_lazy

from danvan.core import tables

from . import services
from .models import ContestKind, GroupBy
from .views import _contest, _grouped, contest_entries

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
