"""A period report laid out in its issuing body's format: DOCX, PDF and the XLSX annex.

Everything is drawn from `content(report)`, a plain dict (also frozen into each issued
version), so the three files always say the same thing. The layout details — header lines,
number pattern, margins, font — come from the report's FormatSpec row, never from code.
"""

from __future__ import annotations

import logging
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
    from .docx import build  # python-docx is loaded only when a DOCX is made

    return build(data)


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
