"""The report as a Word document: the page's figures as tables, for the year-end annex.

Laid out like the rendered forms (GB/T 9704-2012): the same base document, page, margins,
styles and fonts (:func:`cdo_cli.docx_render.base_docx`, :mod:`cdo_cli.docx_layout`):
"附件" in 3号黑体, the title in 2号小标宋, text in 3号仿宋, headings in 黑体. The
tables use 小四 (12 pt), the lists of units to act on and the ranking 五号 (10.5 pt), so
that their names, dates and numbers fit the 156 mm between the margins whole. The
charts are not drawn here: each is a table of the same numbers. Sections are numbered
as they come: the roll-up by parent and the evaluations only where the scheme has them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

from .docx_layout import LAYOUT, fit_text, pt_mm, text_width_em
from .docx_parts import w_element as _el
from .docx_render import base_docx, set_fonts
from .outlines import number_text
from .report_data import (
    CATEGORY_LABELS,
    STATE_LABELS,
    STATES,
    STATUS_ORDER,
    ItemRow,
    ReportData,
    cn_date,
)
from .report_evaluation import EvaluationReport
from .text import visible

TABLE_PT = 12.0  # 小四
SMALL_PT = 10.5  # 五号: the lists of units to act on, the evaluation's eleven columns
_STATUS_WORDS = {
    "filed": "已报送",
    "filed_late": "逾期报送",
    "overdue": "已逾期",
    "due_soon": "即将到期",
    "not_due": "未到期",
}
_NUMERALS = "一二三四五六七八九十"
# Cells have 1 mm margins left and right (57 twips; Word's default is 1.9 mm), so that
# the ranking's eleven columns keep units and names whole.
_CELL_MARGIN_TWIPS = 57
# Columns (besides the numeric ones) whose cells are never broken mid-word: the names of
# units, categories, posts and people, and dates. A list of posts may break after its 、,
# a remark after its ，. No column claims more than _LEAST_SHARE of the width for that.
_WHOLE = frozenset(
    {"序号", "排名", "单位", "单位类别", "上级单位", "姓名", "类别", "未填写的职位", "期限", "名册"}
)
_PIECES = re.compile(r"(?<=[、，；])|\n")
# A unit's name may also break before its bracket, as on the forms (市工业和信息化局/（市商务局）).
_UNITS = frozenset({"单位", "上级单位"})
_LEAST_SHARE = 0.4
# A header of up to three characters stays whole (已报送, 未到期); a longer one may take
# two lines or more (逾期/天数), but no line shorter than two characters.
_HEADER_WHOLE_EM = 3.0


def render_report_docx(data: ReportData, today: dt.date) -> bytes:
    """The report as a .docx file's bytes, recording ``today`` as the day it was made.

    The package is finished as the forms' are (:mod:`cdo_cli.docx_parts`): cdo's
    properties and settings, Chinese fonts' substitutes, and page numbers (— 1 —).
    """
    import docx

    base, style_ids = base_docx()
    document = docx.Document(io.BytesIO(base))
    _Writer(document, style_ids).write(data)
    out = io.BytesIO()
    document.save(out)
    title = f"{data.city}首席数据官制度工作情况报告（截至 {data.as_of.isoformat()}）"
    return _finish(out.getvalue(), title, data.doc_number or data.title, today)


# A fixed time for zip members: the same report on the same day gives the same bytes.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def _finish(blob: bytes, title: str, subject: str, today: dt.date) -> bytes:
    """python-docx's package with the parts the forms have, and numbered pages."""
    from lxml import etree

    from . import docx_parts

    with zipfile.ZipFile(io.BytesIO(blob)) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    edits = {
        docx_parts.FONTS: docx_parts.font_table,
        docx_parts.APP: docx_parts.app_properties,
        docx_parts.SETTINGS: docx_parts.settings,
    }
    members = docx_parts.numbered([(n, edits[n](b) if n in edits else b) for n, b in members])
    parts = dict(members)
    body = etree.fromstring(parts[docx_parts.DOCUMENT])
    docx_parts.footer_references(body.find(f"{_W}body/{_W}sectPr"))
    core = etree.fromstring(parts[docx_parts.CORE])
    replaced = {
        docx_parts.DOCUMENT: docx_parts.xml_bytes(body),
        docx_parts.CORE: docx_parts.core_properties(core, title, subject, today),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, _ZIP_TIME)
            archive.writestr(info, replaced.get(name, data), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


class _Writer:
    """Adds the report's paragraphs and tables to a python-docx document."""

    def __init__(self, document: Any, style_ids: dict[str, str]) -> None:
        self.doc = document
        self.ids = style_ids
        self.tables = 0
        self.sections = 0

    # ------------------------------------------------------------ the parts

    def write(self, data: ReportData) -> None:
        """Every part, in the page's order."""
        self.para("附件", "附件标识")
        title = self.para(
            f"{data.city}首席数据官制度工作情况报告", "附件标题", center=True, before=True
        )
        title.paragraph_format.space_after = _pt(0)
        self.para(f"（截至{cn_date(data.as_of)}）", "名单文字", center=True, after=True)
        self.text(self._intro(data))

        self.numbered("任职情况")
        self.caption("按单位类别统计的职位填写情况（单位：个）")
        rows = [
            [c.kind, str(c.complete), str(c.incomplete), str(c.missing), str(c.total)]
            for c in data.coverage
        ]
        totals = [sum(int(r[i]) for r in rows) for i in range(1, 5)]
        rows.append(["合计", *map(str, totals)])
        self.table(
            ["单位类别", *(STATE_LABELS[s] for s in STATES), "合计"],
            rows,
            [3.2, 1.5, 1.5, 1.5, 1.5],
            numeric=range(1, 5),
        )

        self.numbered("报送情况")
        self.caption("各期限报送情况（按期限先后，单位：个单位）")
        self.table(
            ["事项", "期限", *(_STATUS_WORDS[s.value] for s in STATUS_ORDER)],
            [
                [
                    d.label + ("（承担单位推定）" if d.owner_assumed else ""),
                    d.due.isoformat() + ("\n（推定）" if d.assumed else ""),
                    *(str(d.counts[s.value]) for s in STATUS_ORDER),
                ]
                for d in data.deadlines
            ],
            [5.2, 2.4, 1.2, 1.2, 1.2, 1.2, 1.2],
            numeric=range(2, 7),
            empty="本方案没有规定日期的事项。",
        )
        self.caption("逾期未报送的事项（按单位）")
        self.table(
            ["单位", "逾期事项（项）", "最长逾期（天）"],
            [[_unit(u.unit, u.others), str(u.overdue), str(u.worst_days)] for u in data.by_unit],
            [5.0, 2.0, 2.0],
            numeric=range(1, 3),
            empty=f"截至{cn_date(data.as_of)}没有逾期未报送的事项。",
        )
        if data.undated_filings:
            self.caption("未规定期限的报送事项（不计逾期，单位：个单位）")
            self.table(
                ["事项", "报送对象", "已报送", "未报送"],
                [
                    [
                        f.title + ("（承担单位推定）" if f.owner_assumed else ""),
                        (f.owed_to or "未规定") + ("（推定）" if f.recipient_assumed else ""),
                        str(f.filed),
                        str(f.not_filed),
                    ]
                    for f in data.undated_filings
                ],
                [5.6, 3.6, 1.4, 1.4],
                numeric=range(2, 4),
            )
        if data.undated:
            self.text("未规定日期的工作任务（不计逾期）：" + "；".join(data.undated) + "。")
        if data.parents:
            self.parents(data)

        self.numbered("待办清单")
        n = 0
        self.subheading(n, f"逾期未报送（{data.overdue_count} 项）")
        if data.overdue_cut:
            self.text(data.overdue_cut)
        self.table(
            ["序号", "单位", "事项", "期限", "逾期天数", "报送对象"],
            _item_rows(data.overdue, lambda r: str(r.days_overdue)),
            [0.8, 2.6, 3.8, 2.4, 1.2, 2.4],
            numeric=range(4, 5),
            empty="没有逾期未报送的事项。",
            size=SMALL_PT,
        )
        n += 1
        self.subheading(n, f"即将到期（{data.within} 天内，{data.due_soon_count} 项）")
        if data.due_soon_cut:
            self.text(data.due_soon_cut)
        self.table(
            ["序号", "单位", "事项", "期限", "剩余天数", "报送对象"],
            _item_rows(
                data.due_soon, lambda r: "今天到期" if r.days_left == 0 else str(r.days_left)
            ),
            [0.8, 2.6, 3.8, 2.4, 1.2, 2.4],
            numeric=range(4, 5),
            empty="没有即将到期的事项。",
            size=SMALL_PT,
        )
        for category in data.categories:
            n += 1
            units = data.missing[category]
            self.subheading(n, f"未设{CATEGORY_LABELS[category]}的单位（{len(units)} 个）")
            self.table(
                ["序号", "单位", "类别", "未填写的职位", "名册"],
                [
                    [
                        str(k),
                        m.unit,
                        m.kind,
                        "、".join(m.roles),
                        "已列出，未填写" if m.in_roster else "名册中没有\n此单位",
                    ]
                    for k, m in enumerate(units, 1)
                ],
                [0.8, 3.4, 2.2, 3.2, 3.0],
                empty="各单位均已填写。",
                size=SMALL_PT,
            )
        if data.has_minimums:
            n += 1
            self.subheading(n, f"所选单位少于文件要求的数量（{len(data.minimums)} 项）")
            several = len(data.rosters) > 1  # the file matters only where there are several
            self.table(
                ["序号", "情况", "依据", *(["名册"] if several else [])],
                [
                    [str(k), m.message, (m.basis or "").replace("依据：", "", 1)]
                    + ([m.file] if several else [])
                    for k, m in enumerate(data.minimums, 1)
                ],
                [0.8, 5.6, 4.0, *([2.2] if several else [])],
                empty="所选单位的数量均达到文件要求。",
            )
        for evaluation in data.evaluations:
            self.evaluation(evaluation)
        if data.assumptions:
            self.numbered("说明")
            for text in data.assumptions:
                self.text(text)

    def parents(self, data: ReportData) -> None:
        """Per parent: its units' coverage (validate's summary_by_parent) and overdue duties."""
        self.numbered("按上级单位汇总")
        self.caption("各上级单位的下属单位职位情况和逾期未报送事项（含各级下属单位）")
        self.table(
            ["上级单位", *(STATE_LABELS[s] for s in STATES), "合计", "本级逾期（项）",
             "下属单位逾期（项）"],
            [
                [p.parent, str(p.complete), str(p.incomplete), str(p.missing), str(p.total),
                 str(p.overdue_own), str(p.overdue_below)]
                for p in data.parents
            ],
            [3.2, 1.2, 1.2, 1.2, 1.2, 1.6, 1.6],
            numeric=range(1, 7),
        )  # fmt: skip
        self.text(
            "完整、不完整、缺失为下属单位（含各级）的单位数，与 cdo validate 的“按上级单位”"
            "汇总相同；本级逾期为上级单位自身逾期未报送的事项。"
        )

    def evaluation(self, report: EvaluationReport) -> None:
        """The ranking (or a sentence saying there are no scores yet, and how to import them)."""
        self.numbered(report.heading)
        ranking = report.ranking
        if ranking is None:
            self.text(report.empty_text)
            return
        basis = (
            f"按加权合计排名，权重由{ranking.weights_by}提供："
            + "、".join(f"{d} {number_text(ranking.weights[d])}" for d in ranking.dimensions)
            + "。"
            if ranking.weights is not None
            else f"{ranking.assumption}。"
        )
        self.text(
            f"评价单位：{report.evaluator or '文件未规定'}。{basis}"
            "得分相同的并列同一名次；缺少得分、未评价的不排名。"
        )
        self.caption(f"{report.heading}排名")
        total = "加权合计" if ranking.weights is not None else "合计"

        def num(value: Any) -> str:
            return number_text(value) if value is not None else "—"

        rows = []
        for r in ranking.rows:
            rank = str(r.rank) if r.rank is not None else "—"
            if not r.evaluated:  # one cell across the scores and the total, as on the page
                rows.append([rank, r.unit, r.name or "—", "未评价"])
                continue
            scores = [num(r.scores[d]) for d in ranking.dimensions]
            last = num(r.total) if r.total is not None else "未排名"
            rows.append([rank, r.unit, r.name or "—", *scores, last])
        dims = len(ranking.dimensions)
        self.table(
            ["排名", "单位", "姓名", *ranking.dimensions, total],
            rows,
            [1.2, 2.6, 1.4, *([1.1] * dims), 1.5],
            numeric=[0, *range(3, 4 + dims)],
            size=SMALL_PT,
        )
        for note in ranking.notes:
            self.text(f"注：{note}。")

    def _intro(self, data: ReportData) -> str:
        doc = f"{data.doc_number}《{data.title}》" if data.doc_number else f"《{data.title}》"
        share = (
            f"（{round(100 * data.complete / data.units_in_scope)}%）"
            if data.units_in_scope
            else ""
        )
        rosters = "、".join(r.name for r in data.rosters)
        checks = "，".join(f"{r.name} {r.errors} 个错误、{r.warnings} 个警告" for r in data.rosters)
        return (
            f"依据{doc}，按名册 {rosters} 统计，截至{cn_date(data.as_of)}："
            f"应设职位的单位 {data.units_in_scope} 个，职位已配齐 {data.complete} 个{share}；"
            f"逾期未报送事项 {data.totals['overdue']} 项，涉及 {data.units_overdue} 个单位；"
            f"{data.within} 天内即将到期 {data.totals['due_soon']} 项。"
            f"名册检查：{checks}。"
        )

    # ------------------------------------------------------------ building blocks

    def para(
        self,
        text: str,
        style: str,
        *,
        center: bool = False,
        before: bool = False,
        after: bool = False,
        indent: bool = False,
        size: float | None = None,
    ) -> Any:
        """A paragraph in one of the form styles; control characters shown as ``\\x1b``."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self.doc.add_paragraph(style=style)
        fmt = p.paragraph_format
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if before:
            fmt.space_before = _pt(LAYOUT.line_pitch_pt)
        if after:
            fmt.space_after = _pt(LAYOUT.line_pitch_pt)
        if indent:
            fmt.first_line_indent = _pt(LAYOUT.size_body * LAYOUT.list_indent_chars)
        run = p.add_run(visible(text))
        if size is not None:
            run.font.size = _pt(size)
        return p

    def text(self, text: str) -> None:
        """Body text: 3号仿宋, the first line indented two characters."""
        self.para(text, "名单文字", indent=True)

    def numbered(self, text: str) -> None:
        """The next first-level heading, numbered 一、二、…"""
        self.sections += 1
        self.heading(f"{_NUMERALS[(self.sections - 1) % 10]}、{text}")

    def heading(self, text: str) -> None:
        """A first-level heading (一、…): 3号黑体, indented two characters."""
        p = self.para(text, "分组标题", indent=True)
        p.paragraph_format.space_before = _pt(LAYOUT.line_pitch_pt / 2)

    def subheading(self, n: int, text: str) -> None:
        """A second-level heading (（一）…): 3号楷体 in GB/T 9704, 仿宋 where it is missing."""
        p = self.para(f"（{_NUMERALS[n % 10]}）{text}", "名单文字", indent=True)
        p.paragraph_format.keep_with_next = True
        for run in p.runs:
            set_fonts(run._element.get_or_add_rPr(), "楷体_GB2312", LAYOUT.font_latin)

    def caption(self, text: str) -> None:
        """A table's caption, centred in 黑体 above it."""
        self.tables += 1
        p = self.para(f"表{self.tables}　{text}", "表格标题", center=True, size=TABLE_PT)
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_before = _pt(6)

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        weights: Sequence[float],
        *,
        numeric: Sequence[int] = (),
        empty: str | None = None,
        size: float = TABLE_PT,
    ) -> None:
        """A bordered table across the text width; the header repeats on each page.

        Columns take their share of the width by ``weights``, but the numeric ones and
        those headed as in :data:`_WHOLE` are at least as wide as their widest cell
        (:func:`_widths`). With no rows and ``empty`` given, that sentence stands in for the table. A row with
        fewer cells than the header has its last cell span the rest of the row. Built as
        WordprocessingML directly: python-docx finds a cell by walking the whole table,
        which took minutes for the thousands of rows of a province's overdue list.
        """
        if not rows and empty is not None:
            self.text(empty)
            return
        whole = {c for c, h in enumerate(header) if h in _WHOLE} | set(numeric)
        units = {c for c, h in enumerate(header) if h in _UNITS}
        mm = _widths(header, rows, weights, whole, size, units)
        widths = [_twips(w) for w in mm]
        tbl = _el(None, "tbl")
        props = _el(tbl, "tblPr")
        _el(props, "tblW", w=str(sum(widths)), type="dxa")
        _el(props, "jc", val="center")
        borders = _el(props, "tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            _el(borders, edge, val="single", sz=str(LAYOUT.border_eighths_pt), space="0",
                color="000000")  # fmt: skip
        _el(props, "tblLayout", type="fixed")
        margins = _el(props, "tblCellMar")
        for side in ("left", "right"):
            _el(margins, side, w=str(_CELL_MARGIN_TWIPS), type="dxa")
        _el(props, "tblLook", val="0000", firstRow="1", lastRow="0", firstColumn="0",
            lastColumn="0", noHBand="1", noVBand="1")  # fmt: skip
        grid = _el(tbl, "tblGrid")
        for w in widths:
            _el(grid, "gridCol", w=str(w))
        for r, values in enumerate([header, *rows]):
            tr = _el(tbl, "tr")
            tr_pr = _el(tr, "trPr")
            _el(tr_pr, "cantSplit")  # a row never breaks across pages
            if r == 0:
                _el(tr_pr, "tblHeader")  # the header row repeats on every page
            for c, value in enumerate(values):
                # A row shorter than the header: its last cell spans the columns left.
                span = len(widths) - c if c == len(values) - 1 else 1
                tc = _el(tr, "tc")
                tc_pr = _el(tc, "tcPr")
                _el(tc_pr, "tcW", w=str(sum(widths[c : c + span])), type="dxa")
                if span > 1:
                    _el(tc_pr, "gridSpan", val=str(span))
                _el(tc_pr, "vAlign", val="center")
                style = self.ids["表格标题" if r == 0 else "表格文字"]
                if r and c in units and span == 1:
                    value = fit_text(value, mm[c], size)
                # A line break is one of ours ("\n（推定）"); names hold none (validate).
                _cell_paragraph(tc, style, value, center=r == 0 or c in numeric, size=size)
        self.doc.element.body.sectPr.addprevious(tbl)
        # Word joins two tables with nothing between them into one.
        self.doc.add_paragraph(style="表格文字")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _widths(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    weights: Sequence[float],
    whole: set[int],
    size: float,
    units: set[int],
) -> list[float]:
    """Column widths in millimetres filling the text width: each column's share by
    ``weights``, but none narrower than its header allows (:data:`_HEADER_WHOLE_EM`) and
    the columns in ``whole`` than their widest cell (a cell spanning columns aside; in the
    columns of ``units``, the widest part of a name broken before its bracket); the other
    columns give up the room those need, by weight."""
    total = LAYOUT.text_width_mm
    em = pt_mm(size)
    # both margins, and 1 mm for fonts that run wider than their size
    padding = 2 * _CELL_MARGIN_TWIPS * 25.4 / 1440 + 1.0
    least = []
    for c, head in enumerate(header):
        need = text_width_em(head)
        if need > _HEADER_WHOLE_EM:
            need = 2.0
        if c in whole:
            cells = [r[c] for r in rows if c < len(r) - 1 or len(r) == len(header)]
            if c in units:  # fit into no room at all, a name breaks wherever it may
                cells = [fit_text(t, 0.0, size) for t in cells]
            need = max([need] + [text_width_em(p) for t in cells for p in _PIECES.split(t)])
        least.append(min(padding + em * need, _LEAST_SHARE * total))
    over = sum(least) - total
    if over > 0:  # the widest column (a long unit's name) breaks, the others stay whole
        widest = least.index(max(least))
        least[widest] = max(least[widest] - over, least[widest] / 2)
        if sum(least) > total:
            return [w * total / sum(least) for w in least]
        least[widest] += total - sum(least)
        return least
    fixed: dict[int, float] = {}
    while True:  # fix the columns whose share is too small at their least; share the rest
        free = [c for c in range(len(header)) if c not in fixed]
        room = total - sum(fixed.values())
        share = {c: room * weights[c] / sum(weights[f] for f in free) for c in free}
        short = [c for c in free if share[c] < least[c]]
        if not short:
            return [fixed[c] if c in fixed else share[c] for c in range(len(header))]
        fixed.update((c, least[c]) for c in short)


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _cell_paragraph(
    tc: Any, style: str, text: str, *, center: bool, size: float = TABLE_PT
) -> None:
    """A cell's paragraph: 小四 (or ``size``), lines 1.3 apart; ``\n`` is a line break;
    control characters shown as ``\x1b`` (XML cannot hold them)."""
    p = _el(tc, "p")
    p_pr = _el(p, "pPr")
    _el(p_pr, "pStyle", val=style)
    _el(p_pr, "spacing", line=str(round(size * 1.3 * 20)), lineRule="exact")
    if center:
        _el(p_pr, "jc", val="center")
    r = _el(p, "r")
    r_pr = _el(r, "rPr")
    _el(r_pr, "sz", val=str(round(size * 2)))
    _el(r_pr, "szCs", val=str(round(size * 2)))
    for i, line in enumerate(text.split("\n")):
        if i:
            _el(r, "br")
        t = _el(r, "t")
        t.set(_XML_SPACE, "preserve")
        t.text = visible(line)


def _item_rows(rows: Sequence[ItemRow], days: Callable[[ItemRow], str]) -> list[list[str]]:
    """序号, unit, duty (owner assumed?), deadline (assumed?), days, to whom."""
    return [
        [
            str(k),
            r.unit,
            r.label + ("（承担单位推定）" if r.owner_assumed else ""),
            r.due.isoformat() + ("\n（推定）" if r.assumed else ""),
            days(r),
            (r.owed_to or "未规定") + ("（推定）" if r.recipient_assumed else ""),
        ]
        for k, r in enumerate(rows, 1)
    ]


def _unit(name: str, others: int) -> str:
    return f"其余 {others} 个单位" if others else name


def _pt(value: float) -> Any:
    from docx.shared import Pt

    return Pt(value)
