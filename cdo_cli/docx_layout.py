"""The page layout of every rendered form, after GB/T 9704-2012, in one place.

The docx renderer reads these constants, and the HTML template gets them as context,
so a change here changes both.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# Chinese type sizes (字号) in points.
SIZE_2HAO = 22.0
SIZE_3HAO = 16.0
SIZE_4HAO = 14.0


def pt_mm(points: float) -> float:
    """Points in millimetres."""
    return points * 25.4 / 72


@dataclass(frozen=True)
class Layout:
    """Page, fonts and table geometry of a rendered form."""

    page_width_mm: float = 210.0  # A4
    page_height_mm: float = 297.0
    margin_top_mm: float = 37.0
    margin_bottom_mm: float = 35.0
    margin_left_mm: float = 28.0
    margin_right_mm: float = 26.0

    # Fonts named as Chinese government offices have them installed; where they are
    # missing (Linux) LibreOffice substitutes a CJK font, but the document must name them.
    font_body: str = "仿宋_GB2312"
    font_label: str = "黑体"
    font_title: str = "方正小标宋简体"
    font_latin: str = "Times New Roman"

    size_label: float = SIZE_3HAO  # 附件N: 3号黑体
    size_title: float = SIZE_2HAO  # title: 2号小标宋
    size_body: float = SIZE_3HAO  # body text: 3号仿宋
    size_table: float = SIZE_4HAO  # table text: 4号仿宋

    # Fixed line pitch of body text (GB/T 9704: 22 lines of 28 characters per page).
    line_pitch_pt: float = 28.0
    title_line_pitch_pt: float = 35.0
    table_line_pitch_pt: float = 20.0
    # Rows tall enough to write in by hand.
    row_height_mm: float = 13.0
    header_row_height_mm: float = 10.0
    # Rows of a list that is printed, not filled in (附件3), so it fits one page.
    list_row_height_mm: float = 8.0
    border_eighths_pt: int = 6  # 0.75 pt lines
    # Lists of lines (名单): first-line indent and where the second column starts,
    # in characters of body text.
    list_indent_chars: int = 2
    list_tab_chars: int = 7
    # A blank line of a list: the name's writing line, in characters; the title's runs
    # on to the right margin, room for a long 职务 written by hand.
    list_blank_name_chars: int = 5

    # Page numbers (GB/T 9704 7.5): 4号半角宋体 Arabic digits between one-character dashes
    # (— 1 —), 7 mm below the text block; odd pages right-aligned one character in from
    # the right, even pages left-aligned one character in from the left.
    font_page_number: str = "宋体"
    size_page_number: float = SIZE_4HAO
    page_number_gap_mm: float = 7.0
    # A document whose estimated height passes this part of one page gets page numbers:
    # the estimate is close, not exact, and a number on a full single page does no harm.
    numbered_above: float = 0.85

    def row_height(self, row: str, section_kind: str) -> float:
        """Height of a table row: ``heading``, ``header`` or ``row`` (a row of data)."""
        if row != "row":
            return self.header_row_height_mm
        return self.list_row_height_mm if section_kind == "unit_list" else self.row_height_mm

    @property
    def text_width_mm(self) -> float:
        """Width between the left and right margins."""
        return self.page_width_mm - self.margin_left_mm - self.margin_right_mm

    @property
    def text_height_mm(self) -> float:
        """Height between the top and bottom margins."""
        return self.page_height_mm - self.margin_top_mm - self.margin_bottom_mm

    @property
    def footer_mm(self) -> float:
        """From the page's bottom edge to the foot of the page number's line (Word's
        footer distance): the dashes, half-way up the line, ``page_number_gap_mm`` below
        the text block."""
        return self.margin_bottom_mm - self.page_number_gap_mm - pt_mm(self.size_page_number) / 2


LAYOUT = Layout()

# Hints for Word where a font is missing (Windows has 仿宋 but not 仿宋_GB2312):
# name -> (alternate name, family, pitch), written to the docx font table.
FONT_HINTS: dict[str, tuple[str, str, str]] = {
    "仿宋_GB2312": ("仿宋", "modern", "fixed"),
    "黑体": ("SimHei", "modern", "fixed"),
    "方正小标宋简体": ("宋体", "roman", "variable"),
}

# Relative column widths by what a column holds: how the room left over is shared.
FIELD_WEIGHTS: dict[str, float] = {
    "index": 0.7,
    "unit": 3.8,
    "office": 3.4,
    "name": 2.0,
    "title": 2.8,
    "phone": 3.4,
    "email": 4.6,
    "contact": 4.9,
}

# A cell's left and right margins in Word and LibreOffice (0.19 cm each, the Normal
# Table style), and a little more for fonts that run wider than their size.
CELL_PADDING_MM = 2 * 1.905 + 1.0
# A name column holds four characters on one line (欧阳建国, 司马相如); a longer name
# is kept whole up to eight.
NAME_CHARS = 4
NAME_MAX_CHARS = 8
# No column's content may claim more than this part of the table's width as its least:
# at 4号, thirteen characters, so that Puning's 揭阳市生态环境局普宁分局 (twelve) stays whole.
LEAST_SHARE = 0.45
# Where a long cell may break before the width runs out: before an opening bracket that
# follows a Chinese character (市工业和信息化局 / （市商务局）). Reading the form back
# joins the two lines again, as nothing separates Chinese characters.
_BREAK = re.compile(r"(?<=[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef])(?=[（〔【《])")
_PHONE = re.compile(r"[\d\s()+\-*（）－]+")


@dataclass(frozen=True)
class ColumnText:
    """What one table column holds, for sizing it.

    ``cells`` pairs each text (header or data) with the field of its section: a column
    of 附件2 is 单位 in one section and 科室（股室） in the next. ``writable``: some of its
    cells are left empty for a person to write in by hand.
    """

    field: str
    cells: tuple[tuple[str, str], ...]
    headers: tuple[str, ...] = ()
    writable: bool = False


def text_width_em(text: str) -> float:
    """The width of a text's widest line, in ems: a Chinese character is one, a Latin
    letter or digit about half."""
    return max((_line_em(line) for line in text.split("\n")), default=0.0)


class _CharEm(dict[str, float]):
    """Each character's width in ems, looked up once: rendering thousands of forms asks
    for every cell's width, and unicodedata for each character was most of it."""

    def __missing__(self, c: str) -> float:
        width = self[c] = 1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55
        return width


_CHAR_EM = _CharEm()


@functools.lru_cache(maxsize=4096)  # headers and unit names come again in every document
def _line_em(line: str) -> float:
    return sum(map(_CHAR_EM.__getitem__, line))


def _pieces(line: str) -> list[str]:
    """A line cut where it may break (before an opening bracket after Chinese text)."""
    return _BREAK.split(line)


def _least_em(field: str, text: str) -> float:
    """How wide a column must be so that this text does not break where it should not:
    a name, a number or a phone number whole, a unit's name at most before its bracket."""
    if field in ("name", "index"):
        return text_width_em(text)
    if field in ("unit", "office"):
        return max((_line_em(p) for line in text.split("\n") for p in _pieces(line)), default=0)
    if field in ("phone", "contact"):
        lines = [line for line in text.split("\n") if _PHONE.fullmatch(line)]
        return max((_line_em(line) for line in lines), default=0.0)
    return 0.0


def column_widths_mm(
    columns: Sequence[ColumnText], total_mm: float, size_pt: float = LAYOUT.size_table
) -> list[float]:
    """Widths for table columns of ``size_pt`` text, from what they hold, filling ``total_mm``.

    Each column has a least width (its headers, names, numbers and phone numbers whole,
    a unit's name broken at most before its bracket, four characters for a name; but no
    content more than :data:`LEAST_SHARE` of the table, no name more than eight
    characters) and a wanted one (its longest line; for a column to write in, at least its share of the
    width by :data:`FIELD_WEIGHTS`). When everything wanted fits, the room left over is
    shared by weight; else each column gets its weighted share, kept between its least
    and wanted widths.
    """
    em = pt_mm(size_pt)
    weights = tuple(FIELD_WEIGHTS.get(c.field, 3.0) for c in columns)
    # What a column's content may claim whole: a name up to NAME_MAX_CHARS, anything up
    # to LEAST_SHARE of the table; longer ones wrap rather than squeeze the others.
    cap = (LEAST_SHARE * total_mm - CELL_PADDING_MM) / em
    least: list[float] = []
    wanted: list[float] = []
    for column, weight in zip(columns, weights, strict=True):
        content = NAME_CHARS if column.field == "name" else 0.0
        most = 0.0
        for f, t in column.cells:
            if not t:
                if f == "name":
                    content = max(content, NAME_CHARS)
                continue
            own, whole = _cell_em(f, t)
            if f == "name":
                content = max(content, min(own, NAME_MAX_CHARS), NAME_CHARS)
            else:
                content = max(content, min(own, cap))
            most = max(most, whole)
        heads = max((text_width_em(h) for h in column.headers), default=0.0)
        need = max(min(content, cap), heads)
        most = max(need, most)
        low = CELL_PADDING_MM + em * need
        want = CELL_PADDING_MM + em * most
        if column.writable:
            want = max(want, total_mm * weight / sum(weights))
        least.append(low)
        wanted.append(max(low, want))
    return list(_share(weights, tuple(least), tuple(wanted), total_mm))


@functools.lru_cache(maxsize=4096)  # the same form's columns measure alike, unit after unit
def _cell_em(field: str, text: str) -> tuple[float, float]:
    """A cell's least width (:func:`_least_em`) and its whole width, in ems."""
    return _least_em(field, text), text_width_em(text)


@functools.lru_cache(maxsize=1024)  # most units' columns come to the same least and wanted
def _share(
    weights: tuple[float, ...], least: tuple[float, ...], wanted: tuple[float, ...], total_mm: float
) -> tuple[float, ...]:
    """Widths between each column's ``least`` and ``wanted`` filling ``total_mm``, the room
    shared by ``weights`` (see :func:`column_widths_mm`)."""
    if sum(wanted) <= total_mm:
        spare = total_mm - sum(wanted)
        return tuple(w + spare * k / sum(weights) for w, k in zip(wanted, weights, strict=True))
    if sum(least) >= total_mm:
        return tuple(w * total_mm / sum(least) for w in least)

    def fill(scale: float) -> tuple[float, ...]:
        return tuple(
            min(max(scale * k, lo), hi) for k, lo, hi in zip(weights, least, wanted, strict=True)
        )

    low_scale, high_scale = 0.0, total_mm / min(weights)
    for _ in range(40):  # bisection: the widths grow with the scale
        middle = (low_scale + high_scale) / 2
        if sum(fill(middle)) < total_mm:
            low_scale = middle
        else:
            high_scale = middle
    return fill(low_scale)


@functools.lru_cache(maxsize=8192)  # each cell is fitted for its height, then for its text
def fit_text(text: str, width_mm: float, size_pt: float = LAYOUT.size_table) -> str:
    """``text`` with a line break where a line is wider than a cell ``width_mm`` wide
    and may break (before an opening bracket after Chinese text); else as it is."""
    room = (width_mm - CELL_PADDING_MM) / pt_mm(size_pt)
    out: list[str] = []
    for line in text.split("\n"):
        pieces = _pieces(line)
        if _line_em(line) <= room or len(pieces) == 1:
            out.append(line)
            continue
        current = pieces[0]
        for piece in pieces[1:]:
            if _line_em(current + piece) <= room:
                current += piece
            else:
                out.append(current)
                current = piece
        out.append(current)
    return "\n".join(out)
