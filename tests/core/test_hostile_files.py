"""Hostile import files are refused before they are read whole: blank rows count, the
sheet's declared size is checked first, a zip that unpacks to far more than a sheet is
refused, and reading has a time bound. Nothing is written for any of them."""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from danvan.core import tables
from danvan.core.tables import ImportFileError, read_rows


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_blank_rows_count_toward_the_limit():
    bomb = ("Mã hộ,Đại diện\n" + " , \n" * (tables.MAX_PHYSICAL_ROWS + 5)).encode()
    with pytest.raises(ImportFileError, match="5000"):
        read_rows("ho.csv", bomb)


def test_a_full_sheet_with_some_blank_rows_still_reads():
    lines = ["Mã hộ"] + [f"H-{i}" if i % 10 else "" for i in range(tables.MAX_IMPORT_ROWS)]
    rows = read_rows("ho.csv", "\n".join(lines).encode())
    assert len(rows) == 1 + tables.MAX_IMPORT_ROWS - tables.MAX_IMPORT_ROWS // 10


def test_the_declared_size_of_a_sheet_is_checked_before_any_row():
    content = _xlsx([["Mã hộ"], ["H-1"]])
    # Rewrite the sheet's <dimension> to claim a million rows, as the bomb did.
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1048576"', data)
            target.writestr(item, data)
    with pytest.raises(ImportFileError, match="5000"):
        read_rows("ho.xlsx", out.getvalue())


def test_a_zip_that_unpacks_to_far_more_than_a_sheet_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (tables.MAX_UNZIPPED_BYTES + 1))
    content = out.getvalue()
    assert len(content) < 1024 * 1024  # small on the wire
    with pytest.raises(ImportFileError, match="giải nén"):
        read_rows("ho.xlsx", content)


def test_reading_has_a_time_bound(monkeypatch):
    monkeypatch.setattr(tables, "MAX_READ_SECONDS", -1.0)
    with pytest.raises(ImportFileError, match="quá nhiều thời gian"):
        read_rows("ho.csv", "Mã hộ\nH-1\n".encode())
