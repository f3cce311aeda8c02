"""Exports (XLSX, CSV) of the movement's tables, and the validated import of registrations.

Exports
-------
XLSX: bold, frozen header row, column widths from the content, dates as real dates shown
dd/mm/yyyy, numbers as numbers. CSV: UTF-8 with a byte-order mark (so Excel shows Vietnamese
correctly), comma-separated, CRLF line ends, dates as dd/mm/yyyy, decimals with a point.
Text that a spreadsheet would run as a formula (starting with = + - @) is kept as text.

Import of registrations
-----------------------
An .xlsx (first sheet) or a .csv (UTF-8, with or without BOM; comma, semicolon or tab, found
from the header line). The first non-blank row is the header; blank rows are skipped; row
numbers in error reports are the spreadsheet's own (the header is row 1 when it is first).
At most 5,000 data rows and 10 MB. Headers are matched ignoring case, diacritics and
punctuation; each column accepts these names (* = required):

=================  ===========================================  =============================
column             Vietnamese                                   English
=================  ===========================================  =============================
unit *             Mã đơn vị, Đơn vị, Mã tổ chức                Unit code, Unit, Organization
kind               Tập thể/Cá nhân, Loại, Đối tượng đăng ký     Kind, Registrant
person_name        Họ tên, Họ và tên, Tên cá nhân               Person name, Name
person_position    Chức vụ                                      Person position, Position
year *             Năm                                          Year
level *            Cấp, Mã cấp, Cấp đăng ký                     Level, Level code
field *            Lĩnh vực, Mã lĩnh vực                        Field, Field code
title *            Tên mô hình, Mô hình                         Title, Model
target_group       Đối tượng tác động, Đối tượng                Target group
goals              Mục tiêu                                     Goals
start_date         Ngày bắt đầu, Bắt đầu                        Start date, Start
end_date           Ngày kết thúc, Kết thúc                      End date, End
labels             Nhãn                                         Labels
=================  ===========================================  =============================

Values: the unit by its organization code; kind "tập thể"/"collective" or "cá nhân"/
"individual" (empty: individual when a person name is given, else collective); level and
field by code or name; dates as Excel dates, dd/mm/yyyy or yyyy-mm-dd; labels separated by
";". Every row is checked by the rules of `services.register_model` (the shared
`services.check_registration`, over lookups fetched once, not queries per row):
`preview_import` checks and writes nothing; `run_import` writes every row in bulk
(`services.register_models`, one audit event for the import) only if every row passed
(ImportRejected otherwise).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterator

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from danvan.accounts.scope import can
from danvan.core import import_jobs, imports
from danvan.core.imports import ImportRejected
from danvan.core.tables import (
    MAX_IMPORT_ROWS,
    ImportFileError,
    Sheet,
    cell_text,
    export_sheets,
    export_table,
    read_rows,
)
from danvan.core.text import fold
from danvan.org import queries as org_queries
from danvan.org.models import Organization

from . import services
from .models import Commendation, Movement, MovementModel, RegistrantKind

MODEL_EXPORT_HEADERS = [
    gettext_lazy("Title"),
    gettext_lazy("Unit"),
    gettext_lazy("Unit code"),
    gettext_lazy("Level"),
    gettext_lazy("Field"),
    gettext_lazy("Registrant"),
    gettext_lazy("Name of the individual"),
    gettext_lazy("Position"),
    gettext_lazy("Year"),
    gettext_lazy("State"),
    gettext_lazy("State changed on"),
    gettext_lazy("Score"),
    gettext_lazy("Recognized at"),
    gettext_lazy("For replication"),
    gettext_lazy("Commendations"),
]


def _model_rows(queryset) -> Iterator[list]:
    commendations = (
        Commendation.objects.filter(model=OuterRef("pk"))
        .order_by()
        .values("model")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = queryset.select_related(
        "unit", "level", "field", "registration", "recognized_level"
    ).annotate(
        export_commendations=Coalesce(
            Subquery(commendations, output_field=IntegerField()), Value(0)
        )
    )
    for model in qs.iterator(chunk_size=1000):
        registration = model.registration
        yield [
            model.title,
            model.unit.name,
            model.unit.code,
            model.level.name,
            model.field.name,
            registration.get_kind_display(),
            registration.person_name,  # a cadre's name and position: registration data
            registration.person_position,
            model.year,
            model.get_state_display(),
            model.state_changed_on,
            model.score,
            model.recognized_level.name if model.recognized_level else "",
            model.for_replication,
            model.export_commendations,
        ]


def export_models(queryset, fmt: str) -> tuple[bytes, str, str]:
    """The models of a (scoped) queryset; the caller has already narrowed it to the user."""
    filename = "models-" + timezone.localdate().strftime("%Y%m%d")
    sheet = Sheet(str(_("Models")), MODEL_EXPORT_HEADERS, _model_rows(queryset))
    return export_sheets([sheet], fmt, filename)


def export_dashboard(dashboard: dict, fmt: str) -> tuple[bytes, str, str]:
    """The dashboard of `queries.dashboard`: a summary, then the by-level and by-unit tables."""
    movement, unit = dashboard["movement"], dashboard.get("unit")
    summary = [
        [_("Movement"), movement.name],
        [_("Year"), dashboard["year"]],
        [_("Unit"), unit.name if unit is not None else _("All units")],
        [_("As of"), dashboard.get("as_of") or timezone.localdate()],
        [_("Models"), dashboard["models"]],
        [_("Completed"), dashboard["completed"]],
        [_("Percent completed"), dashboard.get("percent_completed")],
        [_("Collectives"), dashboard.get("collectives")],
        [_("Individuals"), dashboard.get("individuals")],
        [_("Commended models"), dashboard.get("commended")],
        [_("Commendations"), dashboard.get("commendations")],
        [_("For replication"), dashboard.get("for_replication")],
        [_("Adoptions"), dashboard.get("adoptions")],
    ]
    sheets = [
        Sheet(str(_("Overview")), [_("Figure"), _("Value")], summary),
        Sheet(
            str(_("By level")),
            [_("Level"), _("Models"), _("Completed"), _("Collectives"), _("Individuals")],
            [
                [
                    row["level"].name,
                    row["models"],
                    row["completed"],
                    row.get("collectives"),
                    row.get("individuals"),
                ]
                for row in dashboard.get("by_level", [])
            ],
        ),
        Sheet(
            str(_("By unit")),
            [_("Unit"), _("Unit code"), _("Models"), _("Completed"), _("Percent completed")],
            [
                [
                    row["unit"].name,
                    row["unit"].code,
                    row["models"],
                    row["completed"],
                    row.get("percent_completed"),
                ]
                for row in dashboard.get("by_unit", [])
            ],
        ),
    ]
    filename = f"dashboard-{movement.code}-{dashboard['year']}"
    return export_sheets(sheets, fmt, filename)


# Import --------------------------------------------------------------------------------

# column key, label (for templates and messages), accepted header names (folded)
IMPORT_COLUMNS: list[tuple[str, Promise, tuple[str, ...]]] = [
    (
        "unit",
        gettext_lazy("Unit code"),
        (
            "unit code",
            "unit",
            "organization code",
            "organization",
            "org code",
            "ma don vi",
            "don vi",
            "ma to chuc",
            "to chuc",
            "ma co quan don vi",
        ),
    ),
    (
        "kind",
        gettext_lazy("Kind"),
        (
            "kind",
            "registrant",
            "registrant kind",
            "collective individual",
            "loai",
            "tap the ca nhan",
            "doi tuong dang ky",
            "loai dang ky",
            "hinh thuc",
        ),
    ),
    (
        "person_name",
        gettext_lazy("Person name"),
        (
            "person name",
            "name",
            "name of the individual",
            "individual name",
            "full name",
            "ho ten",
            "ho va ten",
            "ten ca nhan",
            "ho ten ca nhan",
        ),
    ),
    (
        "person_position",
        gettext_lazy("Person position"),
        ("person position", "position", "chuc vu", "chuc danh"),
    ),
    ("year", gettext_lazy("Year"), ("year", "nam", "nam dang ky")),
    (
        "level",
        gettext_lazy("Level"),
        ("level", "level code", "level name", "cap", "ma cap", "cap dang ky", "ten cap"),
    ),
    (
        "field",
        gettext_lazy("Field"),
        ("field", "field code", "field name", "field of work", "linh vuc", "ma linh vuc"),
    ),
    (
        "title",
        gettext_lazy("Model title"),
        ("title", "model", "model title", "ten mo hinh", "mo hinh"),
    ),
    (
        "target_group",
        gettext_lazy("Target group"),
        ("target group", "doi tuong tac dong", "doi tuong", "doi tuong huong den"),
    ),
    ("goals", gettext_lazy("Goals"), ("goals", "goal", "muc tieu")),
    (
        "start_date",
        gettext_lazy("Start date"),
        ("start date", "start", "ngay bat dau", "bat dau", "thoi gian bat dau"),
    ),
    (
        "end_date",
        gettext_lazy("End date"),
        ("end date", "end", "ngay ket thuc", "ket thuc", "thoi gian ket thuc"),
    ),
    ("labels", gettext_lazy("Labels"), ("labels", "label", "nhan", "cac nhan")),
]
REQUIRED_COLUMNS = ("unit", "year", "level", "field", "title")


def column_label(key: str) -> str:
    return imports.column_label(IMPORT_COLUMNS, key)


@dataclasses.dataclass
class ImportRow(imports.ImportRow):
    """One data row of the file, read and resolved; `errors` are [{row, field, message}]."""

    unit_code: str = ""
    unit: Organization | None = None
    kind: str = ""
    person_name: str = ""
    person_position: str = ""
    year: int | None = None
    level_code: str = ""
    field_code: str = ""
    title: str = ""
    target_group: str = ""
    goals: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    labels: list[str] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "unit": self.unit_code,
            "unit_name": self.unit.name if self.unit is not None else "",
            "kind": self.kind,
            "person_name": self.person_name,
            "person_position": self.person_position,
            "year": self.year,
            "level": self.level_code,
            "field": self.field_code,
            "title": self.title,
            "target_group": self.target_group,
            "goals": self.goals,
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "labels": self.labels,
            "ok": self.ok,
            "errors": self.errors,
        }


@dataclasses.dataclass
class ImportPreview(imports.ImportPreview):
    rows: list[ImportRow]
    duplicates: list[dict]  # {row, duplicate_of}: the same model twice in the file

    def as_dict(self) -> dict:
        return {
            "total": self.total,
            "ok_rows": self.ok_rows,
            "error_rows": self.error_rows,
            "is_clean": self.is_clean,
            "duplicates": self.duplicates,
            "errors": self.errors,
            "rows": [row.as_dict() for row in self.rows],
        }


@dataclasses.dataclass
class ImportResult:
    models: list[MovementModel]

    @property
    def created(self) -> int:
        return len(self.models)

    def as_dict(self) -> dict:
        return {"created": self.created, "models": [m.pk for m in self.models]}


# Reading the file


def _year(value, row: ImportRow) -> int | None:
    text = cell_text(value)
    if not text:
        row.error("year", _("This field is required."))
        return None
    try:
        return int(text)
    except ValueError:
        row.error("year", _("The year must be a number."))
        return None


_COLLECTIVE = {"collective", "tap the", "tt", "c"}
_INDIVIDUAL = {"individual", "ca nhan", "cn", "i"}


def _kind(value, person_name: str, row: ImportRow) -> str:
    folded = fold(cell_text(value))
    if not folded:
        return RegistrantKind.INDIVIDUAL if person_name else RegistrantKind.COLLECTIVE
    if folded in _COLLECTIVE:
        return RegistrantKind.COLLECTIVE
    if folded in _INDIVIDUAL:
        return RegistrantKind.INDIVIDUAL
    row.error("kind", _("The registrant is a collective or an individual."))
    return ""


def parse_registrations(*, movement: Movement, file_name: str, content: bytes) -> list[ImportRow]:
    """Read and resolve every row (units by code, levels and fields by code or name, dates);
    problems found here are in each row's `errors`. Writes nothing, checks no permission."""
    (_header_number, header), *data = read_rows(file_name, content)
    columns = imports.map_columns(header, IMPORT_COLUMNS, REQUIRED_COLUMNS)
    if not data:
        raise ImportFileError(_("The file has a header but no rows."))
    raw_rows = imports.raw_rows(data, columns)

    units = org_queries.by_codes(cell_text(raw.get("unit")) for _n, raw in raw_rows)
    levels = {}
    for level in movement.levels.all():
        levels.setdefault(fold(level.name), level.code)
        levels[fold(level.code)] = level.code
    fields = {}
    for field in movement.fields.all():
        fields.setdefault(fold(field.name), field.code)
        fields[fold(field.code)] = field.code
    labels = {fold(label.name): label.name for label in movement.labels.all()}

    rows = []
    for number, raw in raw_rows:
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
        row.person_name = cell_text(raw.get("person_name"))
        row.person_position = cell_text(raw.get("person_position"))
        row.kind = _kind(raw.get("kind"), row.person_name, row)
        row.year = _year(raw.get("year"), row)
        level = cell_text(raw.get("level"))
        row.level_code = levels.get(fold(level), level)  # unknown: the service says so
        field = cell_text(raw.get("field"))
        row.field_code = fields.get(fold(field), field)
        for key, value in (("level", level), ("field", field)):
            if not value:
                row.error(key, _("This field is required."))
        row.title = cell_text(raw.get("title"))
        row.target_group = cell_text(raw.get("target_group"))
        goals = raw.get("goals")
        row.goals = str(goals).strip() if goals is not None else ""
        row.start_date = row.date(raw.get("start_date"), "start_date")
        row.end_date = row.date(raw.get("end_date"), "end_date")
        names = [" ".join(n.split()) for n in cell_text(raw.get("labels")).split(";")]
        row.labels = [labels.get(fold(n), n) for n in names if n]
        rows.append(row)
    return rows


# Validating and importing


def _duplicate_key(row: ImportRow) -> tuple | None:
    if row.unit is None or not row.title:
        return None
    person = (
        fold(f"{row.person_name}|{row.person_position}")
        if row.kind == RegistrantKind.INDIVIDUAL
        else ""
    )
    return (row.unit.pk, row.kind, person, row.year, row.level_code, fold(row.title))


def _register_rows(
    *,
    actor,
    movement: Movement,
    rows: list[ImportRow],
    today: dt.date | None,
    keep: bool,
    content: bytes = b"",
) -> tuple[list[MovementModel], list[dict]]:
    """Check every row by the service's rules in one pass (`services.check_registrations`)
    and, with `keep` and no row in error, write them all (`services.register_models`).
    The one rule that spans rows (the same model twice) is checked here first, by the same
    key as the service's, so the message names the earlier row."""
    duplicates: list[dict] = []
    first_seen: dict[tuple, int] = {}
    for row in rows:
        key = _duplicate_key(row)
        if key is not None:
            if key in first_seen:
                duplicates.append({"row": row.row, "duplicate_of": first_seen[key]})
                row.error(
                    "title",
                    _("The same model as row %(row)d (registrant, year, level and title).")
                    % {"row": first_seen[key]},
                )
            else:
                first_seen[key] = row.row
        imports.hide_unknown(
            row,
            row.unit is not None and not can(actor, None, row.unit),
            "unit",
            _("Unknown unit: %(code)s.") % {"code": row.unit_code},
        )
    ok = [row for row in rows if row.ok]
    values = [
        {
            "year": row.year,
            "level_code": row.level_code,
            "unit": row.unit,
            "title": row.title,
            "field_code": row.field_code,
            "kind": row.kind,
            "person_name": row.person_name,
            "person_position": row.person_position,
            "target_group": row.target_group,
            "goals": row.goals,
            "start_date": row.start_date,
            "end_date": row.end_date,
            "label_names": row.labels,
        }
        for row in ok
    ]
    if keep and len(ok) == len(rows):
        result = services.register_models(
            actor=actor,
            movement=movement,
            rows=values,
            today=today,
            file_sha256=hashlib.sha256(content).hexdigest(),
        )
        created, errors = result.models, result.errors
    else:
        created = []
        _checked, errors = services.check_registrations(
            actor=actor, movement=movement, rows=values, today=today
        )
    for error in errors:
        row = ok[error["index"]]
        if error["code"] == "forbidden":
            row.error("unit", _("You may not register models for this unit."))
        else:
            row.error(error["field"], error["message"])
    return created, duplicates


def preview_import(
    *, actor, movement: Movement, file_name: str, content: bytes, today: dt.date | None = None
) -> ImportPreview:
    """Check every row exactly as the import would; write nothing."""
    rows = parse_registrations(movement=movement, file_name=file_name, content=content)
    _created, duplicates = _register_rows(
        actor=actor, movement=movement, rows=rows, today=today, keep=False
    )
    return ImportPreview(rows=rows, duplicates=duplicates)


def run_import(
    *, actor, movement: Movement, file_name: str, content: bytes, today: dt.date | None = None
) -> ImportResult:
    """Import every row, or none: any row with an error raises ImportRejected."""
    rows = parse_registrations(movement=movement, file_name=file_name, content=content)
    created = imports.all_or_nothing(
        rows,
        lambda: _register_rows(
            actor=actor, movement=movement, rows=rows, today=today, keep=True, content=content
        )[0],
    )
    return ImportResult(models=created)


def _run_job(actor, movement_id, file_name, content, _progress) -> int:
    # One bulk write (services.register_models): no rows to count along the way.
    movement = Movement.objects.get(pk=movement_id)
    return len(
        run_import(actor=actor, movement=movement, file_name=file_name, content=content).models
    )


import_jobs.register(
    "emulation.registrations",
    run=_run_job,
    list_url=lambda movement_id: reverse("emulation:models", args=[movement_id]),
    upload_url=lambda movement_id: reverse("emulation:import", args=[movement_id]),
    label=column_label,
)


def import_template(fmt: str = "xlsx") -> tuple[bytes, str, str]:
    """An empty sheet with the import's column headers, in the user's language."""
    return export_table(
        headers=[str(label) for _key, label, _aliases in IMPORT_COLUMNS],
        rows=[],
        fmt=fmt,
        filename="registrations-template",
    )


__all__ = [
    "IMPORT_COLUMNS",
    "MAX_IMPORT_ROWS",
    "ImportFileError",
    "ImportPreview",
    "ImportRejected",
    "ImportResult",
    "ImportRow",
    "export_dashboard",
    "export_models",
    "export_table",
    "import_template",
    "parse_registrations",
    "preview_import",
    "run_import",
]
