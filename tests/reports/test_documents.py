"""The acceptance tests of the generated files: DOCX header lines per format, Times New
Roman, the figures; the PDF renders Vietnamese in Liberation Serif only; the XLSX annex."""

import io
import shutil
import subprocess

import pytest
from docx import Document
from openpyxl import load_workbook

from danvan.reports import documents, services
from danvan.reports.models import ReportSection

from .conftest import DIACRITICS, PHRASE

pytestmark = pytest.mark.django_db

POPPLER = all(shutil.which(tool) for tool in ("pdftoppm", "pdffonts", "pdftotext"))


def _texts(doc) -> list[str]:
    found = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                found.extend(p.text for p in cell.paragraphs)
    return found


def _runs(doc):
    for p in doc.paragraphs:
        yield from p.runs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    yield from p.runs


def _header_run(doc, text):
    return next(r for r in _runs(doc) if r.text == text)


def test_a_commissions_report_has_the_party_header(units, officer, petitions, generate):
    report = generate(actor=officer, unit=units["commission"], period="2026-q1")
    services.issue_report(actor=officer, report=report)
    report.refresh_from_db()
    doc = Document(io.BytesIO(documents.docx_bytes(documents.content(report))))
    texts = _texts(doc)
    for line in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "THÀNH ỦY HÀ NỘI",
        "BAN DÂN VẬN",
        "*",
        "Số 1-BC/BDVTU",
        "BÁO CÁO",
        "Kết quả công tác dân vận quý I năm 2026",
    ):
        assert line in texts, line
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in texts
    assert _header_run(doc, "ĐẢNG CỘNG SẢN VIỆT NAM").underline
    assert _header_run(doc, "ĐẢNG CỘNG SẢN VIỆT NAM").bold
    place_date = next(t for t in texts if t.startswith("Hà Nội, ngày "))
    assert _header_run(doc, place_date).italic
    assert "T/M BAN DÂN VẬN" in texts


def test_a_peoples_committees_report_has_the_national_header(units, officer, petitions, generate):
    report = generate(actor=officer, unit=units["committee"], period="2026-q1")
    services.issue_report(actor=officer, report=report)
    report.refresh_from_db()
    doc = Document(io.BytesIO(report.versions.get().docx.read()))
    texts = _texts(doc)
    for line in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG BA ĐÌNH",
        "Số: 1/BC-UBND",
        "TM. ỦY BAN NHÂN DÂN",
    ):
        assert line in texts, line
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in texts
    assert _header_run(doc, "Độc lập - Tự do - Hạnh phúc").underline
    assert not _header_run(doc, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM").underline
    assert any(t.startswith("Ba Đình, ngày ") for t in texts)


def test_times_new_roman_margins_and_the_figures(units, officer, petitions, generate):
    report = generate(actor=officer, unit=units["commission"], period="2026-q1")
    doc = Document(io.BytesIO(documents.docx_bytes(documents.content(report))))
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert 13 <= normal.font.size.pt <= 14
    assert {r.font.name for r in _runs(doc) if r.text.strip()} == {"Times New Roman"}
    section = doc.sections[0]
    mm = {
        side: round(getattr(section, f"{side}_margin").mm)
        for side in ("top", "bottom", "left", "right")
    }
    assert 20 <= mm["top"] <= 25 and 20 <= mm["bottom"] <= 25
    assert 30 <= mm["left"] <= 35 and 15 <= mm["right"] <= 20

    # The commission reports on its Party committee's subtree: 7 matters received in Q1
    # (6 under the ward, 1 at the sibling ward), 2 in Q4 2025.
    voices = next(t for t in doc.tables if t.rows[0].cells[0].text in ("Kind", "Loại"))
    by_kind = {row.cells[0].text: row.cells[1].text for row in voices.rows[1:]}
    assert list(by_kind.values()) == ["4", "2", "1"]
    text = "\n".join(_texts(doc))
    assert ("7" in text and "(complaints: 4," in text) or "khiếu nại: 4" in text.lower()


def test_the_xlsx_annex_holds_the_tables(units, officer, petitions, generate):
    report = generate(actor=officer, unit=units["committee"], period="2026-q1")
    book = load_workbook(io.BytesIO(documents.xlsx_bytes(documents.content(report))))
    assert len(book.sheetnames) >= 3
    kinds = next(ws for ws in book.worksheets if ws.title.startswith("1.") or "kind" in ws.title)
    values = list(kinds.iter_rows(min_row=2, values_only=True))
    assert [v[1] for v in values if isinstance(v[1], int)][:3] == [3, 2, 1]


@pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed")
def test_the_pdf_renders_vietnamese_in_liberation_serif(
    units, officer, petitions, generate, tmp_path
):
    report = generate(actor=officer, unit=units["committee"], period="2026-q1")
    section = report.sections.get(key="assessment")
    services.update_section(actor=officer, section=section, paragraphs=[PHRASE, DIACRITICS])
    version = services.issue_report(actor=officer, report=report)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(version.pdf.read())

    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    names = [line.split()[0] for line in fonts.stdout.splitlines()[2:] if line.strip()]
    assert names, fonts.stdout
    assert all("LiberationSerif" in n.replace("-", "") or "Times" in n for n in names), names

    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    flat = " ".join(text.stdout.split())
    assert PHRASE in flat
    # Single letters come back without the spaces between them; each letter must be there.
    assert DIACRITICS.replace(" ", "") in flat.replace(" ", "")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
    assert "Độc lập - Tự do - Hạnh phúc" in flat

    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    page = next(tmp_path.glob("page*.png"))
    assert page.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and page.stat().st_size > 5000


def test_sections_are_the_contributors_then_the_closing_ones(units, officer, petitions, generate):
    report = generate(actor=officer, unit=units["committee"], period="2026-q1")
    keys = list(ReportSection.objects.filter(report=report).values_list("key", flat=True))
    assert "voices" in keys and keys[-2:] == ["assessment", "next"]
