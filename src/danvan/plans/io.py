"""XLSX/CSV exports of the plans lists (through core.tables) and the import of tasks.

The import reads a sheet (core.tables.read_rows), resolves units by organization code, then
runs `services.create_task` for each row in its own savepoint: the preview rolls every row
back and shows every error; the import keeps them all or, if any row fails, none.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.scope import can
from danvan.core import import_jobs, imports
from danvan.core.imports import ImportPreview, ImportRejected
from danvan.core.tables import MAX_IMPORT_ROWS, ImportFileError, cell_text, export_table, read_rows
from danvan.core.text import fold
from danvan.org import queries as org_queries
from danvan.org.models import Organization

from . import services
from .models import Rollup, Task, WorkProgramme

# Exports ---------------------------------------------------------------------------------------


def export_tasks(qs, fmt: str):
    headers = [
        gettext_lazy("Task"), gettext_lazy("Owner unit"), gettext_lazy("Unit code"),
        gettext_lazy("Work programme"), gettext_lazy("Cascaded from"), gettext_lazy("Start"),
        gettext_lazy("Deadline"), gettext_lazy("Target"), gettext_lazy("Unit of measure"),
        gettext_lazy("Achieved"), gettext_lazy("Percent done"), gettext_lazy("State"),
        gettext_lazy("Units done"), gettext_lazy("Units"), gettext_lazy("Reason for cancelling"),
    ]  # fmt: skip
    rows = (
        [
            t.title,
            t.owner.name,
            t.owner.code,
            t.programme.title if t.programme else "",
            t.parent.title if t.parent_id else "",
            t.start_on,
            t.deadline,
            t.target,
            t.target_unit,
            t.value,
            t.percent,
            t.get_state_display(),
            t.children_done if t.children_total else None,
            t.children_total or None,
            t.cancel_reason,
        ]
        for t in qs.iterator(chunk_size=2000)
    )
    return export_table(headers=headers, rows=rows, fmt=fmt, filename="tasks")


def export_documents(qs, fmt: str):
    headers = [
        gettext_lazy("Number and symbol"), gettext_lazy("Kind"), gettext_lazy("Title"),
        gettext_lazy("Issuing body"), gettext_lazy("Issued on"), gettext_lazy("Units addressed"),
        gettext_lazy("Actions required"),
    ]  # fmt: skip
    rows = (
        [
            d.number,
            d.get_kind_display(),
            d.title,
            d.issuer.name,
            d.issued_on,
            d.n_recipients,
            d.n_actions,
        ]
        for d in qs
    )
    return export_table(headers=headers, rows=rows, fmt=fmt, filename="documents")


def export_matrix(document, table: dict, fmt: str):
    """One row per addressed unit, one column per required action: the date done, or empty."""
    headers = [gettext_lazy("Unit"), gettext_lazy("Unit code")] + [
        f"{a.get_kind_display()} ({a.due_on:%d/%m/%Y})" for a in table["actions"]
    ]
    rows = (
        [row.unit.name, row.unit.code]
        + [(c.done_on if c is not None else _("Not done")) for c in row.cells]
        for row in table["rows"]
    )
    name = f"{document.number}-implementation"
    return export_table(headers=headers, rows=rows, fmt=fmt, filename=name)


def export_programmes(qs, fmt: str):
    headers = [
        gettext_lazy("Title"), gettext_lazy("Organization"), gettext_lazy("Kind"),
        gettext_lazy("Start"), gettext_lazy("End"), gettext_lazy("Tasks"),
    ]  # fmt: skip
    rows = (
        [p.title, p.organization.name, p.get_kind_display(), p.start, p.end, p.n_tasks] for p in qs
    )
    return export_table(headers=headers, rows=rows, fmt=fmt, filename="work-programmes")


def export_conferences(qs, fmt: str):
    headers = [
        gettext_lazy("Date"), gettext_lazy("Conference"), gettext_lazy("Kind"),
        gettext_lazy("Organizing unit"), gettext_lazy("Participants"),
        gettext_lazy("Report presented"), gettext_lazy("Conclusions"),
    ]  # fmt: skip
    rows = (
        [
            c.held_on,
            c.title,
            c.get_kind_display(),
            c.organizer.name,
            c.participant_count,
            c.report_ref or c.original_name,
            c.conclusions,
        ]
        for c in qs
    )
    return export_table(headers=headers, rows=rows, fmt=fmt, filename="review-conferences")


def export_coordinations(qs, fmt: str):
    headers = [
        gettext_lazy("Title"), gettext_lazy("Lead party"), gettext_lazy("Start"),
        gettext_lazy("End"), gettext_lazy("Parties"), gettext_lazy("Activities"),
    ]  # fmt: skip
    rows = ([p.title, p.lead.name, p.start, p.end, p.n_parties, p.n_activities] for p in qs)
    return export_table(headers=headers, rows=rows, fmt=fmt, filename="coordination-programmes")


# Import of tasks --------------------------------------------------------------------------------


IMPORT_COLUMNS = [
    ("unit", gettext_lazy("Owner unit code"),
     ("unit", "unit code", "owner", "ma don vi", "don vi", "don vi chu tri")),
    ("title", gettext_lazy("Task"), ("title", "task", "nhiem vu", "ten nhiem vu", "noi dung")),
    ("deadline", gettext_lazy("Deadline"), ("deadline", "han", "thoi han", "han hoan thanh")),
    ("start", gettext_lazy("Start"), ("start", "start date", "bat dau", "ngay bat dau")),
    ("target", gettext_lazy("Target"), ("target", "chi tieu", "muc tieu")),
    ("target_unit", gettext_lazy("Unit of measure"),
     ("unit of measure", "don vi tinh", "dvt")),
    ("programme", gettext_lazy("Work programme number"),
     ("programme", "work programme", "chuong trinh", "so chuong trinh")),
    ("rollup", gettext_lazy("Roll-up"), ("rollup", "roll up", "cach tong hop")),
    ("description", gettext_lazy("Description"), ("description", "mo ta", "ghi chu")),
]  # fmt: skip
REQUIRED_COLUMNS = ("unit", "title", "deadline")
_ROLLUPS = {fold(str(label)): code for code, label in Rollup.choices} | {
    code: code for code in Rollup.values
}


def column_label(key: str) -> str:
    return imports.column_label(IMPORT_COLUMNS, key)


@dataclasses.dataclass
class ImportRow(imports.ImportRow):
    unit_code: str = ""
    unit: Organization | None = None
    title: str = ""
    deadline: dt.date | None = None
    start: dt.date | None = None
    target: str = ""
    target_unit: str = ""
    programme: WorkProgramme | None = None
    programme_ref: str = ""
    rollup: str = Rollup.COUNT
    description: str = ""


def parse_tasks(*, file_name: str, content: bytes) -> list[ImportRow]:
    """Read and resolve every row; problems found here go to each row's `errors`."""
    (_n, header), *data = read_rows(file_name, content)
    columns = imports.map_columns(header, IMPORT_COLUMNS, REQUIRED_COLUMNS)
    if not data:
        raise ImportFileError(_("The file has a header but no rows."))
    raws = imports.raw_rows(data, columns)
    units = org_queries.by_codes(cell_text(raw.get("unit")) for _n, raw in raws)
    refs = {cell_text(raw.get("programme")) for _n, raw in raws} - {""}
    programmes = {
        str(p.pk): p
        for p in WorkProgramme.objects.filter(pk__in=[int(r) for r in refs if r.isdigit()])
    }
    rows = []
    for number, raw in raws:
        row = ImportRow(row=number)
        for key in imports.bad_cells(raw):
            row.error(key, imports.BAD_CELL)
        row.unit_code = cell_text(raw.get("unit"))
        if not row.unit_code:
            row.error("unit", _("This field is required."))
        else:
            row.unit = units.get(row.unit_code.casefold())
            if row.unit is None:
                row.error("unit", _("Unknown unit: %(code)s.") % {"code": row.unit_code})
        row.title = cell_text(raw.get("title"))
        row.deadline = row.date(raw.get("deadline"), "deadline")
        if row.deadline is None and not any(e["field"] == "deadline" for e in row.errors):
            row.error("deadline", _("This field is required."))
        row.start = row.date(raw.get("start"), "start")
        row.target = cell_text(raw.get("target")).replace(",", ".")
        row.target_unit = cell_text(raw.get("target_unit"))
        row.programme_ref = cell_text(raw.get("programme"))
        if row.programme_ref:
            row.programme = programmes.get(row.programme_ref)
            if row.programme is None:
                row.error(
                    "programme",
                    _("Unknown work programme: %(ref)s.") % {"ref": row.programme_ref},
                )
        rollup = fold(cell_text(raw.get("rollup")))
        if rollup:
            row.rollup = _ROLLUPS.get(rollup, "")
            if not row.rollup:
                row.error("rollup", _("Unknown roll-up: use count, sum or weighted."))
        description = raw.get("description")
        row.description = str(description).strip() if description is not None else ""
        rows.append(row)
    return rows


def _create_rows(*, actor, rows: list[ImportRow], keep: bool, progress=None) -> list[Task]:
    def check(row: ImportRow) -> None:
        imports.hide_unknown(
            row,
            row.unit is not None and not can(actor, None, row.unit),
            "unit",
            _("Unknown unit: %(code)s.") % {"code": row.unit_code},
        )
        if row.programme is not None and not can(actor, None, row.programme):
            row.error(
                "programme", _("Unknown work programme: %(ref)s.") % {"ref": row.programme_ref}
            )

    def write(row: ImportRow) -> Task:
        return services.create_task(
            actor=actor,
            owner=row.unit,
            title=row.title,
            deadline=row.deadline,
            start_on=row.start,
            programme=row.programme,
            target=row.target or None,
            target_unit=row.target_unit,
            rollup=row.rollup,
            description=row.description,
            origin="import",
        )

    return imports.write_rows(
        rows,
        write,
        keep=keep,
        check=check,
        denied=("unit", _("You may not create tasks for this unit.")),
        progress=progress,
    )


def preview_import(*, actor, file_name: str, content: bytes) -> ImportPreview:
    """Check every row exactly as the import would, each in its own transaction rolled back
    at once: no lock (SQLite's write lock, the audit chain's) is held across rows, so
    intakes and other writes go on while a large file is checked."""
    rows = parse_tasks(file_name=file_name, content=content)
    _create_rows(actor=actor, rows=rows, keep=False)
    return ImportPreview(rows=rows)


def run_import(*, actor, file_name: str, content: bytes, progress=None) -> list[Task]:
    """Import every row, or none: any row with an error raises ImportRejected."""
    rows = parse_tasks(file_name=file_name, content=content)
    return imports.all_or_nothing(
        rows, lambda: _create_rows(actor=actor, rows=rows, keep=True, progress=progress)
    )


import_jobs.register(
    "plans.tasks",
    run=lambda actor, _scope, file_name, content, progress: len(
        run_import(actor=actor, file_name=file_name, content=content, progress=progress)
    ),
    list_url=lambda _scope: reverse("plans:tasks"),
    upload_url=lambda _scope: reverse("plans:import"),
    label=column_label,
)


def import_template(fmt: str = "xlsx"):
    return export_table(
        headers=[str(label) for _k, label, _a in IMPORT_COLUMNS],
        rows=[],
        fmt=fmt,
        filename="tasks-template",
    )


__all__ = ["MAX_IMPORT_ROWS", "ImportFileError", "ImportPreview", "ImportRejected"]
