"""A filled form as a Word document (docx), laid out after GB/T 9704-2012.

python-docx makes the package and the styles, once per process (:func:`base_docx`).
Each form's body (paragraphs and tables) is then built as WordprocessingML elements with
lxml and zipped with the base's other parts: many times faster than opening, filling and
saving through python-docx, which keeps ``--all`` on a province-sized scheme quick.
Page, fonts and sizes come from :mod:`cdo_cli.docx_layout`; the other parts (properties,
settings, page-number footers) from :mod:`cdo_cli.docx_parts`. Each document records its
scheme, form and unit as custom document properties (:mod:`cdo_cli.docx_properties`),
for ``cdo import`` to check what a returned file was meant to be.

While building the body, :class:`_Body` estimates its height (line pitches are exact,
rows are at least their set height): a document that may run past one page gets page
numbers, and a table of several sections that runs past the page is made one table per
section, so that each repeats its own heading and header rows.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import math
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lxml import etree

from . import docx_parts, docx_properties
from .docx_fast import RowStencils, ZipStencil, zip_members
from .docx_layout import CELL_PADDING_MM, LAYOUT, pt_mm, text_width_em
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
    section.footer_distance = Mm(LAYOUT.footer_mm)
    props = document.core_properties
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    docx_properties.add_custom_part(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), ids


class _Body:
    """Builds WordprocessingML elements for the body of one document, and estimates how
    tall they are (to number the pages of a long document, and to split a long table)."""

    def __init__(
        self, parent: Any, style_ids: dict[str, str], stencils: RowStencils | None = None
    ) -> None:
        self.parent = parent
        self.ids = style_ids
        self.height_mm = 0.0  # estimated: exact line pitches, rows at least their height
        # With stencils (docx_fast.py), a table is written as XML text and stands in the
        # tree as a comment until it is serialized (fill).
        self.stencils = stencils
        self.tables: dict[bytes, bytes] = {}  # comment -> the XML text it stands for

    def el(self, parent: Any, tag: str, **attrs: str) -> Any:
        """A child element ``w:tag`` with ``w:`` attributes."""
        return docx_parts.w_element(parent, tag, **attrs)

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
        right_tab: bool = False,
    ) -> Any:
        """A paragraph in one of the form styles (pPr children in schema order).

        ``hang_to_tab``: lines after the first start at the tab stop, so a long title that
        wraps stays in its column. ``right_tab``: a tab stop at the right margin too.
        """
        p = self.el(parent, "p")
        ppr = self.el(p, "pPr")
        self.el(ppr, "pStyle", val=self.ids[style])
        if tab_pt or right_tab:
            tabs = self.el(ppr, "tabs")
            if tab_pt:
                self.el(tabs, "tab", val="left", pos=str(round(tab_pt * 20)))
            if right_tab:
                self.el(tabs, "tab", val="right", pos=_twips(LAYOUT.text_width_mm))
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

        ``tab`` puts a tab before the text (to the paragraph's next tab stop).
        """
        r = self.el(p, "r")
        rpr = self.el(r, "rPr")
        east, latin = _font_of(kind)
        self.el(rpr, "rFonts", ascii=latin, hAnsi=latin, eastAsia=east, cs=latin)
        if underline:
            self.el(rpr, "u", val="single")
        if tab:
            self.el(r, "tab")
        if not text:
            return
        for i, line in enumerate(text.split("\n")):
            if i:
                self.el(r, "br")
            t = self.el(r, "t")
            t.set(_XML_SPACE, "preserve")
            # XML cannot hold most control characters (lxml refuses them): shown as \x1b.
            t.text = visible(line)

    def _stencilled_part(self, key: tuple[Any, ...], build: Callable[[_Body], None]) -> bool:
        """Elements the same in every document with this ``key``, from a stencil (as a
        table's rows are); False where there are no stencils (the caller builds them)."""
        if self.stencils is None:
            return False

        def make(parent: Any) -> float:
            body = _Body(parent, self.ids)
            build(body)
            return body.height_mm

        text, height = self.stencils.part(key, make)
        self._stand_in(text)
        self.height_mm += height
        return True

    def _stand_in(self, text: str) -> None:
        """XML text that a comment stands for in the tree until it is serialized (fill)."""
        mark = f"cdo-part-{len(self.tables)}"
        self.parent.append(etree.Comment(mark))
        self.tables[f"<!--{mark}-->".encode()] = text.encode("utf-8")

    def label_and_title(self, form: FilledForm) -> None:
        """附件N, then the title, centred, a blank line above and below."""
        key = ("title", form.label, tuple(form.title_lines))
        if not self._stencilled_part(key, lambda body: body._label_and_title(form)):
            self._label_and_title(form)

    def _label_and_title(self, form: FilledForm) -> None:
        self.run(self.paragraph(self.parent, "附件标识"), form.label, "label")
        self.height_mm += pt_mm(LAYOUT.line_pitch_pt)
        title = self.paragraph(
            self.parent,
            "附件标题",
            center=True,
            before_pt=LAYOUT.line_pitch_pt,
            after_pt=LAYOUT.line_pitch_pt,
        )
        self.run(title, "\n".join(form.title_lines), "title")
        lines = sum(_lines(t, LAYOUT.text_width_mm, LAYOUT.size_title) for t in form.title_lines)
        self.height_mm += pt_mm(2 * LAYOUT.line_pitch_pt + lines * LAYOUT.title_line_pitch_pt)

    def table(self, block: Block, last: bool) -> None:
        """A block's bordered table; one per section if it runs past the page, so that
        each part's own heading and header rows repeat on the next page.

        ``last``: nothing follows, so the paragraph Word needs after a table is made
        too small to push a blank page when the table ends at the bottom margin.
        """
        widths = [_twips(w) for w in block.widths_mm]
        room = LAYOUT.text_height_mm
        heights = [_section_mm(block, s) for s in block.sections]
        ends = self.height_mm % room + sum(heights)
        parts = [(s,) for s in block.sections] if ends > room else [block.sections]
        for i, sections in enumerate(parts):
            self._table(block, sections, widths)
            self.height_mm += sum(heights[block.sections.index(s)] for s in sections)
            if i < len(parts) - 1:
                self.spacer(small=True)
        self.spacer(small=last)

    def spacer(self, small: bool = False) -> None:
        """The paragraph after a table (Word joins two tables that touch); ``small``:
        1 pt high, where it only keeps tables apart or ends the document."""
        if not self._stencilled_part(("spacer", small), lambda body: body._spacer(small)):
            self._spacer(small)

    def _spacer(self, small: bool) -> None:
        p = self.paragraph(self.parent, "表格文字")
        if small:
            ppr = p.find(f"{_W}pPr")
            self.el(ppr, "spacing", before="0", after="0", line="20", lineRule="exact")
            self.el(self.el(ppr, "rPr"), "sz", val="2")
            self.height_mm += pt_mm(1)
        else:
            self.height_mm += pt_mm(LAYOUT.table_line_pitch_pt)

    def _table(self, block: Block, sections: Sequence[FilledSection], widths: list[str]) -> None:
        """One bordered table: heading rows span the width; rows tall enough to write in.

        A table of one section repeats its heading and header rows on every page it runs
        onto; a table of several does not (the first section's would head the others).
        """
        repeat = len(sections) == 1
        rows: list[tuple[list[str], str, str, bool]] = []
        for section in sections:
            if section.heading is not None:
                rows.append(([section.heading], "heading", section.kind, repeat))
            if section.header is not None:
                rows.append((list(section.header), "header", section.kind, repeat))
            for row in section.rows:
                cells = [block.fit(i, text) for i, text in enumerate(row.cells)]
                rows.append((cells, "row", section.kind, False))
        text = self._stencilled(rows, widths)
        if text is not None and self.stencils is not None:
            self._stand_in(self.stencils.table(tuple(widths)) + text + "</w:tbl>")
            return
        tbl = self._table_start(self.parent, widths)
        for cells, kind, section_kind, heads in rows:
            self._row(tbl, cells, widths, kind, section_kind, heads)

    def _table_start(self, parent: Any, widths: Sequence[str]) -> Any:
        """A table without rows: its properties and its grid."""
        tbl = self.el(parent, "tbl")
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
        return tbl

    def _stencilled(
        self, rows: list[tuple[list[str], str, str, bool]], widths: list[str]
    ) -> str | None:
        """The rows as XML text from stencils, or None to build them element by element."""
        if self.stencils is None:
            return None
        out: list[str] = []
        for cells, kind, section_kind, repeat in rows:
            text = self.stencils.row(cells, (tuple(widths), kind, section_kind, repeat))
            if text is None:
                return None
            out.append(text)
        return "".join(out)

    def fill(self, xml: bytes) -> bytes:
        """The serialized document with each table in place of its comment."""
        for mark, text in self.tables.items():
            xml = xml.replace(mark, text, 1)
        return xml

    def stencil_row(
        self,
        tbl: Any,
        cells: Sequence[str],
        widths: tuple[str, ...],
        kind: str,
        section_kind: str,
        repeat: bool,
    ) -> None:
        """:meth:`_row` as :class:`~cdo_cli.docx_fast.RowStencils` calls it."""
        self._row(tbl, cells, list(widths), kind, section_kind, repeat)

    def _row(
        self,
        tbl: Any,
        cells: Sequence[str],
        widths: list[str],
        kind: str,
        section_kind: str,
        repeat: bool = False,
    ) -> None:
        tr = self.el(tbl, "tr")
        tr_pr = self.el(tr, "trPr")
        self.el(tr_pr, "cantSplit")
        height = LAYOUT.row_height(kind, section_kind)
        self.el(tr_pr, "trHeight", val=_twips(height), hRule="atLeast")
        if repeat:
            self.el(tr_pr, "tblHeader")
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
        of the names; a title that wraps goes on under itself. On a blank line the name's
        writing line is underlined spaces, and the title's an underlined tab that runs to
        the right margin, room for a long 职务.
        """
        size = LAYOUT.size_body
        indent = LAYOUT.list_indent_chars * size
        tab = (LAYOUT.list_indent_chars + LAYOUT.list_tab_chars) * size
        pitch = pt_mm(LAYOUT.line_pitch_pt)
        if section.heading is not None:
            heading = self.paragraph(self.parent, "分组标题", indent_pt=indent)
            self.run(heading, section.heading, "label")
            self.height_mm += pitch * _lines(section.heading, LAYOUT.text_width_mm, size)
        for row in section.rows:
            p = self.paragraph(
                self.parent,
                "名单文字",
                indent_pt=indent,
                tab_pt=tab,
                hang_to_tab=True,
                right_tab=row.blank,
            )
            last = len(row.cells) - 1
            for i, text in enumerate(row.cells):
                self.run(p, text, "body", tab=i > 0)
                if row.blank and i < last:
                    blank = "\u3000" * LAYOUT.list_blank_name_chars
                    self.run(p, blank, "body", underline=True)
                elif row.blank:
                    self.run(p, "", "body", underline=True, tab=True)
            title = row.cells[-1] if len(row.cells) > 1 else ""
            self.height_mm += pitch * _lines(title, LAYOUT.text_width_mm - pt_mm(tab), size)


@functools.lru_cache(maxsize=8192)  # the same texts in the same columns, form after form
def _lines(text: str, width_mm: float, size_pt: float) -> int:
    """How many lines ``text`` takes in ``width_mm`` (at least one)."""
    per_line = max(1.0, width_mm / pt_mm(size_pt))
    return sum(max(1, math.ceil(text_width_em(line) / per_line)) for line in text.split("\n"))


def _section_mm(block: Block, section: FilledSection) -> float:
    """Estimated height of a section's rows in a table: each at least its set height,
    taller where a cell's text runs to more lines."""
    pitch = pt_mm(LAYOUT.table_line_pitch_pt)
    total = 0.0
    rows: list[tuple[str, tuple[str, ...]]] = []
    if section.heading is not None:
        rows.append(("heading", (section.heading,)))
    if section.header is not None:
        rows.append(("header", section.header))
    rows += [("row", r.cells) for r in section.rows]
    for kind, cells in rows:
        widths = [LAYOUT.text_width_mm] if kind == "heading" else block.widths_mm
        lines = max(
            _lines(block.fit(i, t) if kind == "row" else t, w - CELL_PADDING_MM, LAYOUT.size_table)
            for i, (t, w) in enumerate(zip(cells, widths, strict=True))
        )
        total += max(LAYOUT.row_height(kind, section.kind), lines * pitch)
    return total


@dataclass(frozen=True)
class _Package:
    """The base document taken apart: its zip members in order, parsed where we edit.

    ``numbered`` are the members of a document with page numbers (:mod:`docx_parts`).
    """

    members: list[tuple[str, bytes]]
    numbered: list[tuple[str, bytes]]
    document: Any  # word/document.xml, with an empty body
    core: Any  # docProps/core.xml
    style_ids: dict[str, str]


# A fixed time for zip members: the same form gives the same bytes.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


@functools.lru_cache(maxsize=1)
def _package() -> _Package:
    data, ids = base_docx()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    parts = dict(members)
    document = etree.fromstring(parts[docx_parts.DOCUMENT])
    body = document.find(f"{_W}body")
    for child in list(body):
        if child.tag != f"{_W}sectPr":
            body.remove(child)
    sect_pr = body.find(f"{_W}sectPr")
    for name in [n for n in sect_pr.attrib if n.startswith(f"{_W}rsid")]:
        del sect_pr.attrib[name]  # the template's editing history
    edits = {
        docx_parts.FONTS: docx_parts.font_table,
        docx_parts.APP: docx_parts.app_properties,
        docx_parts.SETTINGS: docx_parts.settings,
    }
    members = [(n, edits[n](b) if n in edits else b) for n, b in members]
    core = etree.fromstring(parts[docx_parts.CORE])
    return _Package(members, docx_parts.numbered(members), document, core, ids)


def _custom(form: FilledForm) -> bytes:
    """The custom properties naming the scheme, the form and (for a per-unit form) the unit."""
    values = {docx_properties.SCHEME: form.scheme, docx_properties.FORM: form.form_id}
    if form.unit is not None:
        values[docx_properties.UNIT] = form.unit
    if form.redacted:
        values[docx_properties.REDACTED] = "true"
    return docx_properties.custom_xml({k: visible(v) for k, v in values.items()})


def render_docx(
    form: FilledForm, form_blocks: Sequence[Block], created: dt.date, *, fast: bool = True
) -> bytes:
    """The form as a Word document (A4, GB/T 9704 margins and fonts), made on ``created``.

    A document that may run past one page gets page numbers. ``fast=False`` builds every
    table element by element and zips with zipfile: the same bytes, slower (the tests
    compare the two; see :mod:`cdo_cli.docx_fast`).
    """
    numbered, replaced = _parts(form, form_blocks, created, fast)
    if fast:
        return _zip_stencil(numbered).build(replaced)
    package = _package()
    members = package.numbered if numbered else package.members
    return zip_members([(n, replaced.get(n, b)) for n, b in members], _ZIP_TIME)


def _parts(
    form: FilledForm, form_blocks: Sequence[Block], created: dt.date, fast: bool
) -> tuple[bool, dict[str, bytes]]:
    """Whether the document has page numbers, and its parts that differ from form to form."""
    package = _package()
    document = copy.deepcopy(package.document)
    body_element = document.find(f"{_W}body")
    sect_pr = body_element.find(f"{_W}sectPr")
    holder = etree.Element(f"{_W}body")
    body = _Body(holder, package.style_ids, _stencils() if fast else None)
    body.label_and_title(form)
    for i, block in enumerate(form_blocks):
        if block.layout == "table":
            body.table(block, last=i == len(form_blocks) - 1)
        else:
            for section in block.sections:
                body.lines(section)
    for child in list(holder):
        sect_pr.addprevious(child)
    numbered = body.height_mm > LAYOUT.numbered_above * LAYOUT.text_height_mm
    if numbered:
        docx_parts.footer_references(sect_pr)

    title = f"{form.label} {form.title}"
    return numbered, {
        docx_parts.DOCUMENT: body.fill(docx_parts.xml_bytes(document)),
        docx_parts.CORE: docx_parts.core_properties(package.core, title, form.unit or "", created),
        docx_properties.PART_NAME: _custom(form),
    }


# The parts of a document that differ from form to form; the others are the base's.
_VARIABLE = {docx_parts.DOCUMENT, docx_parts.CORE, docx_properties.PART_NAME}


@functools.lru_cache(maxsize=2)
def _zip_stencil(numbered: bool) -> ZipStencil:
    package = _package()
    return ZipStencil(package.numbered if numbered else package.members, _VARIABLE, _ZIP_TIME)


@functools.lru_cache(maxsize=1)
def _stencils() -> RowStencils:
    builder = _Body(None, _package().style_ids)
    return RowStencils(builder.stencil_row, builder._table_start, visible)
