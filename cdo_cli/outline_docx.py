"""A report skeleton or an evaluation sheet as a Word document, laid out like the forms.

The page, the fonts and the paragraph styles are the forms' own: the base document of
:func:`cdo_cli.docx_render.base_docx` (A4, GB/T 9704 margins, 仿宋_GB2312 text, 2号
小标宋 titles, 黑体 headings) and the sizes of :mod:`cdo_cli.docx_layout`. These are
documents of a few pages, one per unit, so python-docx builds them directly. Each
records its scheme, outline and unit as custom properties, as the forms do, for
``cdo import`` to check a returned sheet against.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING, Any

from . import docx_properties
from .docx_layout import LAYOUT
from .outlines import LABEL_NAME, LABEL_ROLE, LABEL_TITLE, LABEL_UNIT, LABEL_YEAR
from .text import visible

if TYPE_CHECKING:
    from .outlines import FilledReport, FilledSheet, Officer

_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{_NS}}}"

# GB/T 9704: second-level headings ((一)…) in 楷体; Word finds it as 楷体 on Windows.
_FONT_SUBHEADING = "楷体_GB2312"
# A blank to write on: underlined full-width spaces.
_BLANK = "\u3000" * 6
_INDENT_CHARS = 2
# Table columns of the evaluation sheet, in millimetres (the remark column takes the rest).
# Rows of scores: room for a number and a short remark by hand, all on one page.
_SHEET_ROW_MM = 11.0
_SHEET_WIDTHS = {"序号": 14.0, "评价内容": 52.0, "权重": 20.0, "得分": 22.0}


def _el(parent: Any, tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement

    element = OxmlElement(f"w:{tag}")
    for key, value in attrs.items():
        element.set(f"{_W}{key}", value)
    parent.append(element)
    return element


class _Doc:
    """A python-docx document made from the forms' base, with the few moves we need."""

    def __init__(self) -> None:
        import docx

        from .docx_render import base_docx

        data, _ids = base_docx()
        self.document = docx.Document(io.BytesIO(data))
        body = self.document.element.body
        for child in list(body):
            if child.tag != f"{_W}sectPr":
                body.remove(child)

    def paragraph(
        self,
        text: str = "",
        style: str = "名单文字",
        *,
        center: bool = False,
        indent: bool = False,
        keep: bool = False,
        font: str | None = None,
        before_pt: float = 0,
        after_pt: float = 0,
    ) -> Any:
        """A paragraph in one of the forms' styles; text with control characters shown."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        p = self.document.add_paragraph(style=style)
        fmt = p.paragraph_format
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if indent:
            fmt.first_line_indent = Pt(_INDENT_CHARS * LAYOUT.size_body)
        if keep:
            fmt.keep_with_next = True
        if before_pt:
            fmt.space_before = Pt(before_pt)
        if after_pt:
            fmt.space_after = Pt(after_pt)
        if text:
            self.run(p, text, font=font)
        return p

    def run(self, p: Any, text: str, *, font: str | None = None, underline: bool = False) -> Any:
        """A run of ``text``; ``font`` names its Chinese and Latin font."""
        from .docx_render import set_fonts

        run = p.add_run(visible(text))
        if underline:
            run.underline = True
        if font is not None:
            set_fonts(run._element.get_or_add_rPr(), font, font)
        return run

    def field(self, p: Any, label: str, value: str) -> None:
        """``label：value``, or ``label：`` and a line to write on when the value is empty."""
        self.run(p, f"{label}：")
        if value:
            self.run(p, value)
        else:
            self.run(p, _BLANK, underline=True)

    def title(self, text: str, *, room: bool = True) -> None:
        """The title: 2号小标宋, centred, a line of space below (and above, with ``room``)."""
        self.paragraph(
            text,
            "附件标题",
            center=True,
            before_pt=LAYOUT.line_pitch_pt if room else 0,
            after_pt=LAYOUT.line_pitch_pt,
        )

    def page_numbers(self) -> None:
        """Page numbers as GB/T 9704 places them (``— 1 —``, odd pages right, even left):
        the same footers as the forms' (:func:`docx_parts.page_number_footer`)."""
        from lxml import etree

        from .docx_parts import page_number_footer

        self.document.settings.odd_and_even_pages_header_footer = True
        section = self.document.sections[0]
        for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
            footer.is_linked_to_previous = False
            element = footer._element
            for child in list(element):
                element.remove(child)
            for child in etree.fromstring(page_number_footer(odd)):
                element.append(child)

    def save(self, title: str, subject: str, values: dict[str, str], today: dt.date) -> bytes:
        """The document as bytes, with its title, subject, date and custom properties."""
        props = self.document.core_properties
        props.title = visible(title)
        props.subject = visible(subject)
        moment = dt.datetime(today.year, today.month, today.day)
        props.created = moment
        props.modified = moment
        part = self.document.part.package.part_related_by(docx_properties.RELATIONSHIP)
        part._blob = docx_properties.custom_xml({k: visible(v) for k, v in values.items()})
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def _officer_line(doc: _Doc, officer: Officer) -> None:
    p = doc.paragraph(indent=True)
    doc.field(p, officer.role, officer.name)
    doc.run(p, "\u3000")
    doc.field(p, "职务", officer.title)


def render_report_docx(report: FilledReport, today: dt.date) -> bytes:
    """The report skeleton: title, unit and writer, then the headings to write under."""
    doc = _Doc()
    doc.title(report.title)
    doc.field(doc.paragraph(indent=True), "单位", report.unit_shown)
    _officer_line(doc, report.officer)
    for section in report.sections:
        doc.paragraph(section.heading, "分组标题", indent=True, keep=True)
        if not section.subheadings:
            doc.paragraph(indent=True)
        for sub in section.subheadings:
            doc.paragraph(sub, indent=True, keep=True, font=_FONT_SUBHEADING)
            doc.paragraph(indent=True)
    doc.page_numbers()
    values = {
        docx_properties.SCHEME: report.scheme,
        docx_properties.FORM: report.report_id,
        docx_properties.UNIT: report.unit,
    }
    return doc.save(report.title, report.unit, values, today)


def _sheet_table(doc: _Doc, sheet: FilledSheet) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    header = sheet.header
    widths = [_SHEET_WIDTHS.get(h, 0.0) for h in header]
    widths[-1] = LAYOUT.text_width_mm - sum(widths[:-1])
    rows = [
        (str(r.number), r.dimension, *((r.weight or "",) if sheet.weights_by else ()), "", "")
        for r in sheet.rows
    ]
    table = doc.document.add_table(rows=1 + len(rows), cols=len(header))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    borders = _el(tbl_pr, "tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _el(
            borders, edge, val="single", sz=str(LAYOUT.border_eighths_pt), space="0", color="000000"
        )
    _el(tbl_pr, "tblLayout", type="fixed")
    for i, row in enumerate(table.rows):
        heading = i == 0
        texts = header if heading else rows[i - 1]
        tr_pr = row._tr.get_or_add_trPr()
        _el(tr_pr, "cantSplit")
        height = LAYOUT.header_row_height_mm if heading else _SHEET_ROW_MM
        _el(tr_pr, "trHeight", val=str(round(Mm(height).twips)), hRule="atLeast")
        for j, (cell, text) in enumerate(zip(row.cells, texts, strict=True)):
            cell.width = Mm(widths[j])
            tc_pr = cell._tc.get_or_add_tcPr()
            _el(tc_pr, "vAlign", val="center")
            p = cell.paragraphs[0]
            p.style = doc.document.styles["表格标题" if heading else "表格文字"]
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if text:
                doc.run(p, text)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(f"{_W}gridCol"), widths, strict=True):
        col.set(f"{_W}w", str(round(Mm(width).twips)))


def render_sheet_docx(sheet: FilledSheet, today: dt.date) -> bytes:
    """The evaluation sheet: who is evaluated, a table of dimensions, who evaluates."""
    doc = _Doc()
    doc.title(sheet.title, room=False)  # the sheet, its notes and blanks fit one page
    doc.field(doc.paragraph(indent=True), LABEL_UNIT, sheet.unit_shown)
    doc.field(doc.paragraph(indent=True), LABEL_ROLE, sheet.officer.role)
    p = doc.paragraph(indent=True)
    doc.field(p, LABEL_NAME, sheet.officer.name)
    doc.run(p, "\u3000")
    doc.field(p, LABEL_TITLE, sheet.officer.title)
    p = doc.paragraph(indent=True, after_pt=LAYOUT.line_pitch_pt / 2)
    doc.field(p, LABEL_YEAR, f"{sheet.year}年" if sheet.year is not None else "")
    _sheet_table(doc, sheet)
    gap = LAYOUT.line_pitch_pt / 2
    if sheet.evaluator:
        doc.field(doc.paragraph(indent=True, before_pt=gap), "评价单位", sheet.evaluator)
        gap = 0
    p = doc.paragraph(indent=True, before_pt=gap)
    doc.field(p, "评价人", "")
    doc.run(p, "\u3000")
    doc.field(p, "评价日期", "")
    notes = [sheet.basis]
    if sheet.weights_by is not None:
        notes.append(f"权重由{sheet.weights_by}提供")
    notes += list(sheet.silent)
    doc.paragraph(f"说明：{'；'.join(notes)}。", "表格文字", before_pt=LAYOUT.line_pitch_pt / 2)
    doc.page_numbers()
    values = {
        docx_properties.SCHEME: sheet.scheme,
        docx_properties.FORM: sheet.evaluation_id,
        docx_properties.UNIT: sheet.unit,
    }
    return doc.save(f"{sheet.title} {sheet.unit_shown}", sheet.unit, values, today)
