"""A filled form as a Word document (docx), laid out after GB/T 9704-2012.

python-docx makes the package and the styles, once per process (:func:`base_docx`).
Each form's body (paragraphs and tables) is then built as WordprocessingML elements with
lxml and zipped with the base's other parts: many times faster than opening, filling and
saving through python-docx, which keeps ``--all`` on a province-sized scheme quick.
Page, fonts and sizes come from :mod:`cdo_cli.docx_layout`. Each document records its
scheme, form and unit as custom document properties (:mod:`cdo_cli.docx_properties`),
for ``cdo import`` to check what a returned file was meant to be.
"""

from __future__ import annotations

import copy
import functools
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lxml import etree

from . import docx_properties
from .docx_layout import FONT_HINTS, LAYOUT, column_widths_mm
from .text import visible

if TYPE_CHECKING:
    from .forms import FilledForm, FilledSection
    from .render import Block

_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{_NS}}}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# Paragraph styles of a rendered form: name -> (style id, kind of font, size attribute of
# LAYOUT). Chinese names for the person who opens the Styles pane; ASCII ids, as Word
# writes them.
STYLES = {
    "附件标识": ("CdoLabel", "label", "size_label"),
    "附件标题": ("CdoTitle", "title", "size_title"),
    "分组标题": ("CdoHeading", "label", "size_body"),
    "名单文字": ("CdoListText", "body", "size_body"),
    "表格文字": ("CdoTableText", "body", "size_table"),
    "表格标题": ("CdoTableHeading", "label", "size_table"),
}


def _twips(mm: float) -> str:
    return str(round(mm * 1440 / 25.4))


def _font_of(kind: str) -> tuple[str, str]:
    """(East Asian font, Latin font) for a kind of text."""
    if kind == "title":
        return LAYOUT.font_title, LAYOUT.font_title
    if kind == "label":
        return LAYOUT.font_label, LAYOUT.font_label
    return LAYOUT.font_body, LAYOUT.font_latin


def set_fonts(rpr: Any, east_asia: str, latin: str) -> None:
    """Name the East Asian and Latin fonts on run or style properties (``w:rFonts``).

    python-docx sets only ``w:ascii``/``w:hAnsi``; Word and LibreOffice take Chinese
    text's font from ``w:eastAsia``.
    """
    fonts = rpr.find(f"{_W}rFonts")
    if fonts is None:
        fonts = rpr.makeelement(f"{_W}rFonts", {})
        rpr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(f"{_W}{attr}", None)
    fonts.set(f"{_W}ascii", latin)
    fonts.set(f"{_W}hAnsi", latin)
    fonts.set(f"{_W}eastAsia", east_asia)
    fonts.set(f"{_W}cs", latin)


@functools.lru_cache(maxsize=1)
def base_docx() -> tuple[bytes, dict[str, str]]:
    """An empty A4 document with the form styles, and the styles' ids; built once.

    python-docx's default template carries ~800 kB of styles; dropping the ones a form
    never uses makes each document several times faster to open and save.
    """
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Mm, Pt

    document = docx.Document()
    styles = document.styles.element
    keep = {"Normal", "Default Paragraph Font", "Normal Table", "No List"}
    for style in styles.findall(f"{_W}style"):
        if style.name_val not in keep:
            styles.remove(style)
    for child in styles.findall(f"{_W}latentStyles"):
        styles.remove(child)
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype.endswith(("stylesWithEffects", "customXml", "webSettings")):
            document.part.drop_rel(rid)
    package_rels = document.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype.endswith("thumbnail"):
            package_rels.pop(rid)

    # Defaults for every run, then Normal, then the form's own styles.
    defaults = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
    if defaults is not None:
        set_fonts(defaults, LAYOUT.font_body, LAYOUT.font_latin)
        lang = defaults.find(f"{_W}lang")
        if lang is None:
            lang = defaults.makeelement(f"{_W}lang", {})
            defaults.append(lang)
        lang.set(f"{_W}val", "en-US")
        lang.set(f"{_W}eastAsia", "zh-CN")
    normal = document.styles["Normal"]
    normal.font.size = Pt(LAYOUT.size_body)
    set_fonts(normal.element.get_or_add_rPr(), LAYOUT.font_body, LAYOUT.font_latin)
    ids: dict[str, str] = {}
    for name, (style_id, kind, size_attr) in STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.style_id = style_id
        style.base_style = normal
        style.quick_style = True
        style.font.size = Pt(getattr(LAYOUT, size_attr))
        set_fonts(style.element.get_or_add_rPr(), *_font_of(kind))
        fmt = style.paragraph_format
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.keep_with_next = name == "分组标题"
        if name == "附件标题":
            fmt.line_spacing = Pt(LAYOUT.title_line_pitch_pt)
        elif name in ("表格文字", "表格标题"):
            fmt.line_spacing = Pt(LAYOUT.table_line_pitch_pt)
        else:
            fmt.line_spacing = Pt(LAYOUT.line_pitch_pt)
        ids[name] = style.style_id

    section = document.sections[0]
    section.page_width = Mm(LAYOUT.page_width_mm)
    section.page_height = Mm(LAYOUT.page_height_mm)
    section.top_margin = Mm(LAYOUT.margin_top_mm)
    section.bottom_margin = Mm(LAYOUT.margin_bottom_mm)
    section.left_margin = Mm(LAYOUT.margin_left_mm)
    section.right_margin = Mm(LAYOUT.margin_right_mm)
    props = document.core_properties
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    docx_properties.add_custom_part(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), ids


class _Body:
    """Builds WordprocessingML elements for the body of one document."""

    def __init__(self, parent: Any, style_ids: dict[str, str]) -> None:
        self.parent = parent
        self.ids = style_ids

    def el(self, parent: Any, tag: str, **attrs: str) -> Any:
        """A child element ``w:tag`` with ``w:`` attributes."""
        return etree.SubElement(parent, f"{_W}{tag}", {f"{_W}{k}": v for k, v in attrs.items()})

    def paragraph(
        self,
        parent: Any,
        style: str,
        *,
        center: bool = False,
        indent_pt: float = 0,
        before_pt: float = 0,
        after_pt: float = 0,
        tab_pt: float = 0,
        hang_to_tab: bool = False,
    ) -> Any:
        """A paragraph in one of the form styles (pPr children in schema order).

        ``hang_to_tab``: lines after the first start at the tab stop, so a long title that
        wraps stays in its column.
        """
        p = self.el(parent, "p")
        ppr = self.el(p, "pPr")
        self.el(ppr, "pStyle", val=self.ids[style])
        if tab_pt:
            self.el(self.el(ppr, "tabs"), "tab", val="left", pos=str(round(tab_pt * 20)))
        if before_pt or after_pt:
            self.el(
                ppr, "spacing", before=str(round(before_pt * 20)), after=str(round(after_pt * 20))
            )
        if hang_to_tab and tab_pt:
            hanging = round((tab_pt - indent_pt) * 20)
            self.el(ppr, "ind", left=str(round(tab_pt * 20)), hanging=str(hanging))
        elif indent_pt:
            self.el(ppr, "ind", firstLine=str(round(indent_pt * 20)))
        if center:
            self.el(ppr, "jc", val="center")
        return p

    def run(self, p: Any, text: str, kind: str, underline: bool = False, tab: bool = False) -> None:
        """A run of text with its East Asian font named; ``\\n`` becomes a line break.

        Control characters are shown as ``\\x1b`` (XML cannot hold most of them).

        ``tab`` puts a tab before the text (to the paragraph's tab stop).
        """
        r = self.el(p, "r")
        rpr = self.el(r, "rPr")
        east, latin = _font_of(kind)
        self.el(rpr, "rFonts", ascii=latin, hAnsi=latin, eastAsia=east, cs=latin)
        if underline:
            self.el(rpr, "u", val="single")
        if tab:
            self.el(r, "tab")
        for i, line in enumerate(text.split("\n")):
            if i:
                self.el(r, "br")
            t = self.el(r, "t")
            t.set(_XML_SPACE, "preserve")
            # XML cannot hold most control characters (lxml refuses them): shown as \x1b.
            t.text = visible(line)

    def table(self, block: Block) -> None:
        """One bordered table: heading rows span the width; rows tall enough to write in."""
        widths = [
            _twips(w)
            for w in column_widths_mm(list(block.sections[0].fields), LAYOUT.text_width_mm)
        ]
        tbl = self.el(self.parent, "tbl")
        tbl_pr = self.el(tbl, "tblPr")
        self.el(tbl_pr, "tblW", w=str(sum(int(w) for w in widths)), type="dxa")
        self.el(tbl_pr, "jc", val="center")
        borders = self.el(tbl_pr, "tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            size = str(LAYOUT.border_eighths_pt)
            self.el(borders, edge, val="single", sz=size, space="0", color="000000")
        self.el(tbl_pr, "tblLayout", type="fixed")
        self.el(tbl_pr, "tblLook", val="0000", firstRow="0", lastRow="0", firstColumn="0",
                lastColumn="0", noHBand="1", noVBand="1")  # fmt: skip
        grid = self.el(tbl, "tblGrid")
        for w in widths:
            self.el(grid, "gridCol", w=w)
        for section in block.sections:
            if section.heading is not None:
                self._row(tbl, [section.heading], widths, "heading", section.kind)
            if section.header is not None:
                self._row(tbl, list(section.header), widths, "header", section.kind)
            for row in section.rows:
                self._row(tbl, list(row.cells), widths, "row", section.kind)
        # Word needs a paragraph between two tables, or it joins them into one.
        self.paragraph(self.parent, "表格文字")

    def _row(
        self, tbl: Any, cells: Sequence[str], widths: list[str], kind: str, section_kind: str
    ) -> None:
        tr = self.el(tbl, "tr")
        tr_pr = self.el(tr, "trPr")
        self.el(tr_pr, "cantSplit")
        height = LAYOUT.row_height(kind, section_kind)
        self.el(tr_pr, "trHeight", val=_twips(height), hRule="atLeast")
        spans = [(cells[0], widths, len(widths))] if kind == "heading" else [
            (text, [w], 1) for text, w in zip(cells, widths, strict=True)
        ]  # fmt: skip
        for text, cell_widths, span in spans:
            tc = self.el(tr, "tc")
            tc_pr = self.el(tc, "tcPr")
            self.el(tc_pr, "tcW", w=str(sum(int(w) for w in cell_widths)), type="dxa")
            if span > 1:
                self.el(tc_pr, "gridSpan", val=str(span))
            self.el(tc_pr, "vAlign", val="center")
            style = "表格标题" if kind == "heading" else "表格文字"
            p = self.paragraph(tc, style, center=True)
            if text:
                self.run(p, text, "label" if kind == "heading" else "body")

    def lines(self, section: FilledSection) -> None:
        """A heading and lines of text (Zhaoqing's 名单); blank lines get writing lines.

        The second column starts at a tab stop, so titles line up whatever the length
        of the names.
        """
        indent = LAYOUT.list_indent_chars * LAYOUT.size_body
        tab = (LAYOUT.list_indent_chars + LAYOUT.list_tab_chars) * LAYOUT.size_body
        if section.heading is not None:
            heading = self.paragraph(self.parent, "分组标题", indent_pt=indent)
            self.run(heading, section.heading, "label")
        for row in section.rows:
            p = self.paragraph(
                self.parent, "名单文字", indent_pt=indent, tab_pt=tab, hang_to_tab=True
            )
            for i, text in enumerate(row.cells):
                self.run(p, text, "body", tab=i > 0)
                if row.blank:
                    # Underlined full-width spaces: a line to write on.
                    self.run(p, "\u3000" * (5 if i == 0 else 8), "body", underline=True)


@dataclass(frozen=True)
class _Package:
    """The base document taken apart: its zip members in order, parsed where we edit."""

    members: list[tuple[str, bytes]]
    document: Any  # word/document.xml, with an empty body
    core: Any  # docProps/core.xml
    style_ids: dict[str, str]


@functools.lru_cache(maxsize=1)
def _package() -> _Package:
    data, ids = base_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    parts = dict(members)
    document = etree.fromstring(parts[_DOCUMENT_PART])
    body = document.find(f"{_W}body")
    for child in list(body):
        if child.tag != f"{_W}sectPr":
            body.remove(child)
    members = [(n, _font_table(b) if n == _FONTS_PART else b) for n, b in members]
    return _Package(members, document, etree.fromstring(parts[_CORE_PART]), ids)


def _font_table(blob: bytes) -> bytes:
    """The font table with our Chinese fonts and their substitutes (GB2312 charset)."""
    fonts = etree.fromstring(blob)
    for name, (alternate, family, pitch) in FONT_HINTS.items():
        font = etree.SubElement(fonts, f"{_W}font", {f"{_W}name": name})
        etree.SubElement(font, f"{_W}altName", {f"{_W}val": alternate})
        etree.SubElement(font, f"{_W}charset", {f"{_W}val": "86"})
        etree.SubElement(font, f"{_W}family", {f"{_W}val": family})
        etree.SubElement(font, f"{_W}pitch", {f"{_W}val": pitch})
    return bytes(etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True))


_DOCUMENT_PART = "word/document.xml"
_CORE_PART = "docProps/core.xml"
_FONTS_PART = "word/fontTable.xml"
_DC = "{http://purl.org/dc/elements/1.1/}"
# A fixed time for zip members: the same form gives the same bytes.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def _core(template: Any, title: str, subject: str) -> bytes:
    core = copy.deepcopy(template)
    for tag, value in (("title", title), ("subject", subject)):
        element = core.find(f"{_DC}{tag}")
        if element is None:
            element = etree.SubElement(core, f"{_DC}{tag}")
        element.text = visible(value)
    return bytes(etree.tostring(core, xml_declaration=True, encoding="UTF-8", standalone=True))


def _custom(form: FilledForm) -> bytes:
    """The custom properties naming the scheme, the form and (for a per-unit form) the unit."""
    values = {docx_properties.SCHEME: form.scheme, docx_properties.FORM: form.form_id}
    if form.unit is not None:
        values[docx_properties.UNIT] = form.unit
    return docx_properties.custom_xml({k: visible(v) for k, v in values.items()})


def render_docx(form: FilledForm, form_blocks: Sequence[Block]) -> bytes:
    """The form as a Word document (A4, GB/T 9704 margins and fonts)."""
    package = _package()
    document = copy.deepcopy(package.document)
    body_element = document.find(f"{_W}body")
    sect_pr = body_element.find(f"{_W}sectPr")
    holder = etree.Element(f"{_W}body")
    body = _Body(holder, package.style_ids)
    body.run(body.paragraph(holder, "附件标识"), form.label, "label")
    title = body.paragraph(
        holder,
        "附件标题",
        center=True,
        before_pt=LAYOUT.line_pitch_pt,
        after_pt=LAYOUT.line_pitch_pt,
    )
    body.run(title, "\n".join(form.title_lines), "title")
    for block in form_blocks:
        if block.layout == "table":
            body.table(block)
        else:
            for section in block.sections:
                body.lines(section)
    for child in list(holder):
        sect_pr.addprevious(child)

    replaced = {
        _DOCUMENT_PART: etree.tostring(
            document, xml_declaration=True, encoding="UTF-8", standalone=True
        ),
        _CORE_PART: _core(package.core, f"{form.label} {form.title}", form.unit or ""),
        docx_properties.PART_NAME: _custom(form),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, blob in package.members:
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), replaced.get(name, blob),
                             compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
    return buffer.getvalue()
