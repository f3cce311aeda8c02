"""A period report laid out in its issuing body's format: DOCX, PDF and the XLSX annex.

Everything is drawn from `content(report)`, a plain dict (also frozen into each issued
version), so the three files always say the same thing. The layout details — header lines,
number pattern, margins, font — come from the report's FormatSpec row, never from code.
"""

from __future__ import annotations

import io
import logging
from copy import deepcopy
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from danvan.core import tables
from danvan.core.text import without_bad_characters

from .models import FormatSpec, PeriodReport

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def format_of(report: PeriodReport) -> FormatSpec:
    spec = FormatSpec.objects.filter(document_format=report.document_format).first()
    return spec or FormatSpec(document_format=report.document_format)


def number_text(report: PeriodReport, spec: FormatSpec) -> str:
    """The number line; before issue the number itself is left blank, as on a draft."""
    if report.number:
        return report.number
    return spec.number_pattern.format(n="     ", abbr=report.abbreviation)


def place_date(report: PeriodReport, spec: FormatSpec) -> str:
    return spec.place_date_pattern.format(
        place=report.place,
        day=f"{report.date.day:02d}",
        month=f"{report.date.month:02d}",
        year=report.date.year,
    )


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def content(report: PeriodReport) -> dict:
    spec = format_of(report)
    sections = []
    for i, section in enumerate(report.sections.order_by("position")):
        sections.append(
            {
                "key": section.key,
                "heading": f"{ROMAN[i] if i < len(ROMAN) else i + 1}. {section.title}",
                "paragraphs": [p for p in section.paragraphs if p.strip()],
                "tables": [
                    {
                        "title": t["title"],
                        "columns": t["columns"],
                        "rows": [[_cell(v) for v in row] for row in t["rows"]],
                        # Numbers align right, words left.
                        "cells": [
                            [{"text": _cell(v), "num": _is_number(v)} for v in row]
                            for row in t["rows"]
                        ],
                        "raw_rows": t["rows"],
                    }
                    for t in section.tables
                ],
            }
        )
    # The signature names the body without its place: "TM. ỦY BAN NHÂN DÂN".
    body = report.issuer.split("\n")[0].strip().upper()
    # Control characters in stored text would make lxml (DOCX) refuse the whole document.
    return without_bad_characters(
        {
            "format": spec.document_format,
            "citation": spec.citation,
            "font": spec.font_name,
            "font_size": float(spec.font_size or Decimal(14)),
            "header_font_size": float(spec.header_font_size or Decimal(13)),
            "margins_mm": {
                "top": spec.margin_top_mm,
                "bottom": spec.margin_bottom_mm,
                "left": spec.margin_left_mm,
                "right": spec.margin_right_mm,
            },
            "superior": report.superior.upper() if spec.show_superior else "",
            "issuer_lines": [
                line.strip().upper() for line in report.issuer.split("\n") if line.strip()
            ],
            "mark": spec.body_mark,
            "national": spec.national_line,
            "motto": spec.motto_line,
            "underline_national": spec.underline_national,
            "number": number_text(report, spec),
            "place_date": place_date(report, spec),
            "kind_line": spec.kind_line,
            "title": report.title,
            "cutoff_line": cutoff_line(report),
            "sections": sections,
            "signature": spec.signature_pattern.format(body=body),
            "signer_title": (report.signer_title or spec.signer_title).upper(),
            "signer_name": report.signer_name,
            "recipients": [line for line in report.recipients.splitlines() if line.strip()],
        }
    )


def cutoff_line(report) -> str:
    """The dates the figures count, under the title (the document is in Vietnamese)."""
    dates = (
        f"Số liệu tính từ ngày {report.start.strftime('%d/%m/%Y')} "
        f"đến ngày {report.end.strftime('%d/%m/%Y')}"
    )
    rule = report.cutoff_rule
    return f"({dates} theo {rule.citation})" if rule else f"({dates})"


# DOCX -------------------------------------------------------------------------------------


def docx_bytes(data: dict) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt
    from docx.table import _Cell
    from docx.text.run import Run

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    margins = data["margins_mm"]
    section.top_margin, section.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
    section.left_margin, section.right_margin = Mm(margins["left"]), Mm(margins["right"])

    font_name, size, header_size = data["font"], data["font_size"], data["header_font_size"]
    for style_name in ("Normal", "Table Grid"):
        style = doc.styles[style_name]
        style.font.name = font_name
        style.font.size = Pt(size)
        # Word picks the East Asian / complex-script font separately: name it everywhere.
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), font_name)
    doc.styles["Normal"].paragraph_format.space_after = Pt(0)

    def para(
        container,
        text="",
        *,
        bold=False,
        italic=False,
        underline=False,
        align=None,
        size_pt=None,
        indent=False,
        space_after=0,
    ):
        p = container.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Cm(1)
        p.paragraph_format.space_after = Pt(space_after)
        if text:
            run = p.add_run(text)
            run.bold, run.italic, run.underline = bold, italic, underline
            run.font.name = font_name
            run.font.size = Pt(size_pt or size)
        return p

    center = WD_ALIGN_PARAGRAPH.CENTER
    header = doc.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    header.autofit = False
    left, right = header.cell(0, 0), header.cell(0, 1)
    for cell in (left, right):
        cell._element.remove(cell.paragraphs[0]._element)
    if data["superior"]:
        para(left, data["superior"], align=center, size_pt=header_size)
    for line in data["issuer_lines"]:
        para(left, line, bold=True, align=center, size_pt=header_size)
    if data["mark"]:
        para(left, data["mark"], align=center, size_pt=header_size)
    para(
        right,
        data["national"],
        bold=True,
        underline=data["underline_national"],
        align=center,
        size_pt=header_size,
    )
    if data["motto"]:
        para(right, data["motto"], bold=True, underline=True, align=center, size_pt=size)
    number_cell, date_cell = header.cell(1, 0), header.cell(1, 1)
    number_cell.paragraphs[0].alignment = center
    run = number_cell.paragraphs[0].add_run(data["number"])
    run.font.size = Pt(header_size)
    date_cell.paragraphs[0].alignment = center
    run = date_cell.paragraphs[0].add_run(data["place_date"])
    run.italic = True
    run.font.size = Pt(size)
    for row in header.rows:
        row.cells[0].width, row.cells[1].width = Cm(7.0), Cm(9.0)

    para(doc, "")
    para(doc, data["kind_line"], bold=True, align=center, size_pt=size + 1)
    para(doc, data["title"], bold=True, align=center)
    para(doc, data["cutoff_line"], italic=True, align=center, size_pt=size - 1)
    para(doc, "-----", align=center, space_after=6)

    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    # Templates for the table cells' paragraph and run properties (see below).
    template = doc.add_paragraph()
    template.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    template_run = template.add_run("")
    template_run.font.name = font_name
    template_run.font.size = Pt(size - 1)
    right_ppr, cell_rpr = template._p.pPr, template_run._r.rPr
    template._p.getparent().remove(template._p)
    for sec in data["sections"]:
        para(doc, sec["heading"], bold=True, indent=True, space_after=3)
        for text in sec["paragraphs"]:
            for line in text.splitlines():
                if line.strip():
                    para(doc, line.strip(), align=justify, indent=True, space_after=3)
        for tab in sec["tables"]:
            para(doc, tab["title"], italic=True, bold=True, space_after=3)
            # Every row at once: adding rows one by one rescans the table for each (a
            # province's unit tables have a hundred rows and more).
            table = doc.add_table(rows=1 + len(tab["cells"]), cols=len(tab["columns"]))
            table.style = doc.styles["Table Grid"]
            rows = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
            for i, heading in enumerate(tab["columns"]):
                cell_para = rows[0][i].paragraphs[0]
                cell_para.alignment = center
                r = cell_para.add_run(str(heading))
                r.bold = True
                r.font.size = Pt(size - 1)
            for cells, row in zip(rows[1:], tab["cells"], strict=True):
                for i, value in enumerate(row):
                    cell_para = cells[i].paragraphs[0]
                    if value["num"]:
                        cell_para._p.insert(0, deepcopy(right_ppr))
                    # The same run properties as add_run + font name and size would write,
                    # copied: building them element by element is most of the time spent.
                    r = cell_para._p.add_r()
                    r.insert(0, deepcopy(cell_rpr))
                    r.text = value["text"]
            para(doc, "", space_after=3)

    sign = doc.add_table(rows=1, cols=2)
    left, right = sign.cell(0, 0), sign.cell(0, 1)
    for cell in (left, right):
        cell._element.remove(cell.paragraphs[0]._element)
    para(left, "Nơi nhận:", bold=True, italic=True, size_pt=12)
    for line in data["recipients"]:
        para(left, line, size_pt=11)
    para(right, data["signature"], bold=True, align=center)
    para(right, data["signer_title"], bold=True, align=center)
    for _i in range(3):
        para(right, "", align=center)
    para(right, data["signer_name"], bold=True, align=center)
    for cells in sign.rows:
        cells.cells[0].width, cells.cells[1].width = Cm(7.5), Cm(8.5)

    # Every run names the font itself, so no reader falls back to its own default.
    # (Every run of the body: its paragraphs and its tables' cells.)
    for element in doc.element.body.iter(qn("w:r")):
        Run(element, doc).font.name = font_name

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# PDF --------------------------------------------------------------------------------------


def html(data: dict) -> str:
    return render_to_string("reports/document.html", {"d": data})


def pdf_bytes(data: dict) -> bytes:
    # Imported here: WeasyPrint needs Pango, which the web process must not need to start.
    for name in ("weasyprint", "weasyprint.progress"):
        logging.getLogger(name).setLevel(logging.WARNING)
    import weasyprint

    return weasyprint.HTML(string=html(data)).write_pdf()


# XLSX -------------------------------------------------------------------------------------


def xlsx_bytes(data: dict) -> bytes:
    sheets = [
        tables.Sheet(
            _("Report"),
            [_("Item"), _("Value")],
            [
                [_("Issuing body"), " ".join(data["issuer_lines"])],
                [pgettext("document", "Number and symbol"), data["number"].strip()],
                [_("Title"), data["title"]],
                [_("Figures counted"), data["cutoff_line"]],
                [_("Place and date"), data["place_date"]],
            ],
        )
    ]
    for sec_number, sec in enumerate(data["sections"], start=1):
        for tab_number, tab in enumerate(sec["tables"], start=1):
            sheets.append(
                tables.Sheet(
                    f"{sec_number}.{tab_number} {tab['title']}", tab["columns"], tab["raw_rows"]
                )
            )
    content_bytes, _type, _name = tables.export_sheets(sheets, "xlsx", "annex")
    return content_bytes
