"""The page layout of every rendered form, after GB/T 9704-2012, in one place.

The docx renderer reads these constants, and the HTML template gets them as context,
so a change here changes both.
"""

from __future__ import annotations

from dataclasses import dataclass

# Chinese type sizes (字号) in points.
SIZE_2HAO = 22.0
SIZE_3HAO = 16.0
SIZE_4HAO = 14.0


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

    def row_height(self, row: str, section_kind: str) -> float:
        """Height of a table row: ``heading``, ``header`` or ``row`` (a row of data)."""
        if row != "row":
            return self.header_row_height_mm
        return self.list_row_height_mm if section_kind == "unit_list" else self.row_height_mm

    @property
    def text_width_mm(self) -> float:
        """Width between the left and right margins."""
        return self.page_width_mm - self.margin_left_mm - self.margin_right_mm


LAYOUT = Layout()

# Hints for Word where a font is missing (Windows has 仿宋 but not 仿宋_GB2312):
# name -> (alternate name, family, pitch), written to the docx font table.
FONT_HINTS: dict[str, tuple[str, str, str]] = {
    "仿宋_GB2312": ("仿宋", "modern", "fixed"),
    "黑体": ("SimHei", "modern", "fixed"),
    "方正小标宋简体": ("宋体", "roman", "variable"),
}

# Relative column widths by what a column holds.
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


def column_widths_mm(fields: list[str], total_mm: float) -> list[float]:
    """Widths for columns holding ``fields``, filling ``total_mm``."""
    weights = [FIELD_WEIGHTS.get(f, 3.0) for f in fields]
    scale = total_mm / sum(weights)
    return [w * scale for w in weights]
