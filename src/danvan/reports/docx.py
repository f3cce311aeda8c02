"""The DOCX of a period report: an administrative document in its issuing body's layout
(header block, title, sections with tables, recipients and signature), drawn from the
plain dict `documents.content` makes. Imported only when a DOCX is made."""

from __future__ import annotations

import io
from copy import deepcopy

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import _Cell
from docx.text.run import Run

CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY


def build(data: dict) -> bytes:
    doc = _Builder(data)
    doc.header()
    doc.title()
    for section in data["sections"]:
        doc.section(section)
    doc.signature()
    return doc.save()


class _Builder:
    def __init__(self, data: dict):
        self.data = data
        self.font, self.size = data["font"], data["font_size"]
        self.header_size = data["header_font_size"]
        self.doc = Document()
        self._page()
        self._styles()
        self._cell_templates()

    def _page(self) -> None:
        page, margins = self.doc.sections[0], self.data["margins_mm"]
        page.page_width, page.page_height = Mm(210), Mm(297)
        page.top_margin, page.bottom_margin = Mm(margins["top"]), Mm(margins["bottom"])
        page.left_margin, page.right_margin = Mm(margins["left"]), Mm(margins["right"])

    def _styles(self) -> None:
        for style_name in ("Normal", "Table Grid"):
            style = self.doc.styles[style_name]
            style.font.name = self.font
            style.font.size = Pt(self.size)
            # Word picks the East Asian / complex-script font separately: name it everywhere.
            rpr = style.element.get_or_add_rPr()
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                fonts = rpr.makeelement(qn("w:rFonts"), {})
                rpr.append(fonts)
            for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                fonts.set(qn(attr), self.font)
        self.doc.styles["Normal"].paragraph_format.space_after = Pt(0)

    def _cell_templates(self) -> None:
        """The paragraph and run properties of a table cell, made once and copied into each
        cell: building them element by element is most of the time spent on big tables."""
        template = self.doc.add_paragraph()
        template.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = template.add_run("")
        run.font.name = self.font
        run.font.size = Pt(self.size - 1)
        self.right_ppr, self.cell_rpr = template._p.pPr, run._r.rPr
        template._p.getparent().remove(template._p)

    def para(self, container, text="", *, bold=False, italic=False, underline=False,
             align=None, size_pt=None, indent=False, space_after=0):  # fmt: skip
        p = container.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Cm(1)
        p.paragraph_format.space_after = Pt(space_after)
        if text:
            run = p.add_run(text)
            run.bold, run.italic, run.underline = bold, italic, underline
            run.font.name = self.font
            run.font.size = Pt(size_pt or self.size)
        return p

    def _two_cells(self, rows: int):
        table = self.doc.add_table(rows=rows, cols=2)
        left, right = table.cell(0, 0), table.cell(0, 1)
        for cell in (left, right):
            cell._element.remove(cell.paragraphs[0]._element)
        return table, left, right

    def header(self) -> None:
        """The issuer on the left, the national name and motto on the right; the number
        and the place and date below them."""
        data, para, small = self.data, self.para, self.header_size
        table, left, right = self._two_cells(rows=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        if data["superior"]:
            para(left, data["superior"], align=CENTER, size_pt=small)
        for line in data["issuer_lines"]:
            para(left, line, bold=True, align=CENTER, size_pt=small)
        if data["mark"]:
            para(left, data["mark"], align=CENTER, size_pt=small)
        para(right, data["national"], bold=True, underline=data["underline_national"],
             align=CENTER, size_pt=small)  # fmt: skip
        if data["motto"]:
            para(right, data["motto"], bold=True, underline=True, align=CENTER, size_pt=self.size)
        number_cell, date_cell = table.cell(1, 0), table.cell(1, 1)
        number_cell.paragraphs[0].alignment = CENTER
        run = number_cell.paragraphs[0].add_run(data["number"])
        run.font.size = Pt(small)
        date_cell.paragraphs[0].alignment = CENTER
        run = date_cell.paragraphs[0].add_run(data["place_date"])
        run.italic = True
        run.font.size = Pt(self.size)
        for row in table.rows:
            row.cells[0].width, row.cells[1].width = Cm(7.0), Cm(9.0)

    def title(self) -> None:
        data, para, doc = self.data, self.para, self.doc
        para(doc, "")
        para(doc, data["kind_line"], bold=True, align=CENTER, size_pt=self.size + 1)
        para(doc, data["title"], bold=True, align=CENTER)
        para(doc, data["cutoff_line"], italic=True, align=CENTER, size_pt=self.size - 1)
        para(doc, "-----", align=CENTER, space_after=6)

    def section(self, sec: dict) -> None:
        para, doc = self.para, self.doc
        para(doc, sec["heading"], bold=True, indent=True, space_after=3)
        for text in sec["paragraphs"]:
            for line in text.splitlines():
                if line.strip():
                    para(doc, line.strip(), align=JUSTIFY, indent=True, space_after=3)
        for tab in sec["tables"]:
            para(doc, tab["title"], italic=True, bold=True, space_after=3)
            self._table(tab)
            para(doc, "", space_after=3)

    def _table(self, tab: dict) -> None:
        # Every row at once: adding rows one by one rescans the table for each (a
        # province's unit tables have a hundred rows and more).
        table = self.doc.add_table(rows=1 + len(tab["cells"]), cols=len(tab["columns"]))
        table.style = self.doc.styles["Table Grid"]
        rows = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
        for i, heading in enumerate(tab["columns"]):
            cell_para = rows[0][i].paragraphs[0]
            cell_para.alignment = CENTER
            r = cell_para.add_run(str(heading))
            r.bold = True
            r.font.size = Pt(self.size - 1)
        for cells, row in zip(rows[1:], tab["cells"], strict=True):
            for i, value in enumerate(row):
                cell_para = cells[i].paragraphs[0]
                if value["num"]:
                    cell_para._p.insert(0, deepcopy(self.right_ppr))
                r = cell_para._p.add_r()
                r.insert(0, deepcopy(self.cell_rpr))
                r.text = value["text"]

    def signature(self) -> None:
        data, para = self.data, self.para
        table, left, right = self._two_cells(rows=1)
        para(left, "Nơi nhận:", bold=True, italic=True, size_pt=12)
        for line in data["recipients"]:
            para(left, line, size_pt=11)
        para(right, data["signature"], bold=True, align=CENTER)
        para(right, data["signer_title"], bold=True, align=CENTER)
        for _i in range(3):
            para(right, "", align=CENTER)
        para(right, data["signer_name"], bold=True, align=CENTER)
        for cells in table.rows:
            cells.cells[0].width, cells.cells[1].width = Cm(7.5), Cm(8.5)

    def save(self) -> bytes:
        # Every run names the font itself, so no reader falls back to its own default.
        # (Every run of the body: its paragraphs and its tables' cells.)
        for element in self.doc.element.body.iter(qn("w:r")):
            Run(element, self.doc).font.name = self.font
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()
