"""Tables in and out: XLSX/CSV exports of any list, and reading an uploaded sheet for import.

Exports: XLSX with a bold, frozen header row, column widths from the content, dates as real
dates shown dd/mm/yyyy, numbers as numbers; CSV in UTF-8 with a byte-order mark (so Excel
shows Vietnamese), comma-separated, CRLF, dates dd/mm/yyyy. Text a spreadsheet would run as
a formula (starting with = + - @) is kept as text.

Imports: an .xlsx (first sheet) or a .csv (UTF-8, with or without BOM; comma, semicolon or
tab, found from the header line); blank rows skipped; row numbers are the spreadsheet's own.
Each app maps headers to its columns with `header_key` and validates rows itself.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import time
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import PurePath

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from danvan.core.errors import DomainError
from danvan.core.text import fold, nfc, without_bad_characters

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 10 * 1024 * 1024
_MAX_COLUMNS = 60
# Hostile files are refused before they are read whole: rows counted blank or not (a
# million blank rows is a 9 MB file that held a worker for 35 s), the sheet's declared
# size, the unzipped size of an .xlsx, and the time spent reading.
MAX_PHYSICAL_ROWS = 2 * MAX_IMPORT_ROWS + 1000
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
MAX_READ_SECONDS = 30.0


class ImportFileError(DomainError):
    """The file itself cannot be read as a registration sheet; no row was looked at."""

    def __init__(self, message):
        super().__init__(message, field="file", code="bad_file")


@dataclasses.dataclass
class Sheet:
    title: str
    headers: list
    rows: Iterable[list]


def check_format(fmt: str) -> str:
    fmt = (fmt or "").lower().lstrip(".")
    if fmt not in FORMATS:
        raise DomainError(
            _("Unknown export format: %(fmt)s. Use xlsx or csv.") % {"fmt": fmt}, field="format"
        )
    return fmt


def safe_filename(filename: str, ext: str) -> str:
    stem = PurePath(str(filename or "").replace("\\", "/")).name
    if stem.lower().endswith("." + ext):
        stem = stem[: -len(ext) - 1]
    stem = re.sub(r"[^a-z0-9._-]+", "-", fold(stem).replace(" ", "-")).strip(".-")
    return f"{stem or 'export'}.{ext}"


def plain(value):
    """A value as a spreadsheet cell: numbers and dates stay typed, the rest becomes text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        return value
    if isinstance(value, dt.date):
        return value
    # Promise (lazy translation), model instances, the rest; a control character stored
    # before the entry check would make the whole file fail (openpyxl refuses it).
    return without_bad_characters(str(value))


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _xlsx(sheets: list[Sheet]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    used_titles: set[str] = set()
    for sheet in sheets:
        title = re.sub(r"[\[\]:*?/\\]", " ", sheet.title).strip()[:31] or "Sheet"
        while title in used_titles:
            title = title[:28] + f" {len(used_titles)}"
        used_titles.add(title)
        ws = workbook.create_sheet(title)
        widths = [len(str(h)) for h in sheet.headers]
        ws.append([str(h) for h in sheet.headers])
        for cell in ws[1]:
            cell.font = bold
        for row_number, row in enumerate(sheet.rows, start=2):
            for col, raw in enumerate(row, start=1):
                value = plain(raw)
                cell = ws.cell(row=row_number, column=col, value=value)
                if isinstance(value, str):
                    if value.startswith("="):
                        cell.data_type = "s"  # text, never a formula
                    length = max((len(line) for line in value.splitlines()), default=0)
                elif isinstance(value, dt.datetime):
                    cell.number_format = "DD/MM/YYYY HH:MM"
                    length = 16
                elif isinstance(value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
                    length = 10
                else:
                    length = len(str(value)) if value is not None else 0
                if col > len(widths):
                    widths.append(0)
                widths[col - 1] = max(widths[col - 1], length)
        for col, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = min(max(width + 2, 8), 60)
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _csv_text(value) -> str:
    value = plain(value)
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    return str(value)


def _csv(sheets: list[Sheet]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=",", lineterminator="\r\n")
    several = len(sheets) > 1
    for index, sheet in enumerate(sheets):
        if several:
            if index:
                writer.writerow([])
            writer.writerow([sheet.title])
        writer.writerow([str(h) for h in sheet.headers])
        for row in sheet.rows:
            writer.writerow([_csv_text(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_sheets(sheets: list[Sheet], fmt: str, filename: str) -> tuple[bytes, str, str]:
    fmt = check_format(fmt)
    if fmt == "xlsx":
        return _xlsx(sheets), XLSX_TYPE, safe_filename(filename, "xlsx")
    return _csv(sheets), CSV_TYPE, safe_filename(filename, "csv")


def export_table(
    *, headers: list[str], rows: Iterable[list], fmt: str, filename: str
) -> tuple[bytes, str, str]:
    """One table as (content, content type, file name with its extension)."""
    return export_sheets([Sheet(str(filename) or "Sheet", headers, rows)], fmt, filename)


def header_key(text) -> str:
    folded = fold(str(text or ""))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded).split())


def _file_kind(file_name: str, content: bytes) -> str:
    ext = PurePath(file_name or "").suffix.lower()
    if ext in (".xlsx", ".xlsm"):
        return "xlsx"
    if ext in (".csv", ".txt"):
        return "csv"
    if ext == ".xls":
        raise ImportFileError(_("Old .xls files are not read; save the sheet as .xlsx or CSV."))
    if content.startswith(b"PK\x03\x04"):
        return "xlsx"
    raise ImportFileError(_("Upload an .xlsx or a .csv file."))


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(n)d rows; split it into smaller files.")
        % {"n": MAX_IMPORT_ROWS}
    )


def _check_zip(content: bytes) -> None:
    """An .xlsx is a zip: refuse one that unpacks to far more than any real sheet."""
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_("This is not a readable .xlsx file.")) from exc
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ImportFileError(
            _("This .xlsx file unpacks to more than a sheet of this kind can hold.")
        )


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    _check_zip(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign file
        raise ImportFileError(_("This is not a readable .xlsx file.")) from exc
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        # The size the sheet declares (its <dimension>), read before any row.
        if (sheet.max_row or 0) > MAX_PHYSICAL_ROWS:
            raise _too_many_rows()
        for number, values in enumerate(
            sheet.iter_rows(max_col=_MAX_COLUMNS, values_only=True), start=1
        ):
            yield number, list(values)
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> Iterator[tuple[int, list]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _("The CSV file is not in UTF-8; save it as “CSV UTF-8” and try again.")
        ) from exc
    if "\x00" in text:
        raise ImportFileError(_("This is not a readable CSV file."))
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        for number, values in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1
        ):
            yield number, values[:_MAX_COLUMNS]
    except csv.Error as exc:
        raise ImportFileError(_("This is not a readable CSV file.")) from exc


def _blank(values: list) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return " ".join(str(value).split())


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S")


def cell_date(value) -> dt.date | None:
    """An Excel date, dd/mm/yyyy or yyyy-mm-dd; None when empty; ValueError when not a date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def read_rows(file_name: str, content: bytes) -> list[tuple[int, list]]:
    if not content:
        raise ImportFileError(_("The file is empty."))
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportFileError(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_IMPORT_BYTES // 2**20}
        )
    reader = _xlsx_rows if _file_kind(file_name, content) == "xlsx" else _csv_rows
    rows = []
    deadline = time.monotonic() + MAX_READ_SECONDS
    for number, values in reader(content):
        # Every row counts, blank or not, and so does the time spent.
        if number > MAX_PHYSICAL_ROWS:
            raise _too_many_rows()
        if time.monotonic() > deadline:
            raise ImportFileError(_("Reading the file took too long; split it into smaller files."))
        if _blank(values):
            continue
        rows.append((number, [nfc(v) if isinstance(v, str) else v for v in values]))
        if len(rows) > MAX_IMPORT_ROWS + 1:  # + the header
            raise _too_many_rows()
    if not rows:
        raise ImportFileError(_("The file is empty."))
    return rows


def attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def download(request, make) -> HttpResponse:
    """`make(fmt)` -> (content, type, name) for ?format=xlsx|csv; a bad format is a 400."""
    try:
        return attachment(*make(request.GET.get("format") or "xlsx"))
    except DomainError as exc:
        return HttpResponse(str(exc.message), status=400, content_type="text/plain; charset=utf-8")
