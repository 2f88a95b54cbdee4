"""A report skeleton and an evaluation sheet as data: what a page shows, in order.

:func:`build_report` turns a scheme's report outline (Puning's 年度述职报告) into the
title, the writer and the numbered headings of one unit's report; :func:`build_sheet`
turns an evaluation (Huizhou's 首席数据官履职情况评价) into one officer's blank sheet.
Every word comes from the scheme (the document's words), the roster (who holds the
post) or the bureau's own weights file; the Word and Markdown renderers only lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from .policy import UnitKind

if TYPE_CHECKING:
    from .policy import Role, Scheme, Unit
    from .policy_outlines import Evaluation, ReportOutline
    from .roster_loading import LoadedRoster

# The labels of an evaluation sheet's lines: rendering writes them, importing reads them.
LABEL_UNIT = "被评价单位"
LABEL_ROLE = "被评价职位"
LABEL_NAME = "姓名"
LABEL_TITLE = "职务"
LABEL_YEAR = "评价年度"
# The columns of the sheet's table, in order; the weight column only with weights.
HEAD_INDEX = "序号"
HEAD_DIMENSION = "评价内容"
HEAD_WEIGHT = "权重"
HEAD_SCORE = "得分"
HEAD_REMARK = "备注"

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 30 → 三十 (headings are numbered so; n ≤ 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones or not tens else "")


def unit_display(scheme: Scheme, unit: Unit) -> str:
    """The unit as a title names it: ``市公安局`` of 普宁市 is 普宁市公安局.

    A name that already begins with the city, the city's own government and a county
    keep their names; a city department written ``市…`` gets the city's name instead.
    """
    name = unit.name
    city = scheme.city
    if name.startswith(city) or unit.kind == UnitKind.government or not city.endswith("市"):
        return name
    return city + name[1:] if name.startswith("市") else name


@dataclass(frozen=True)
class Officer:
    """Who writes the report or is evaluated: the post, and (from a roster) the person."""

    role: str  # the post's name in the scheme (市直部门首席数据官)
    name: str = ""
    title: str = ""


def officer_of(unit: Unit, role: Role, roster: LoadedRoster | None) -> Officer:
    """The holder of ``role`` in ``unit`` as the roster has them; blanks without one."""
    people = roster.holders(unit, role.id) if roster is not None else []
    first = next((p for p in people if p.name), None)
    if first is None:
        return Officer(role.name)
    return Officer(role.name, first.name or "", first.title or "")


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class ReportSection:
    """A numbered part of a report (一、工作成效) and its sub-headings ((一)数据采集汇聚)."""

    heading: str
    subheadings: tuple[str, ...] = ()


@dataclass(frozen=True)
class FilledReport:
    """One unit's report skeleton for one year."""

    scheme: str
    report_id: str
    name: str
    title: str
    unit: str  # the unit's full name in the scheme
    unit_shown: str  # as the title names it
    year: int
    officer: Officer
    sections: tuple[ReportSection, ...]
    filled: bool = False  # the officer came from a roster

    @property
    def file_stem(self) -> str:
        """The report's title: 普宁市公安局首席数据官2023年度述职报告."""
        return self.title


def report_title(outline: ReportOutline, unit_shown: str, year: int) -> str:
    """``普宁市公安局`` + ``首席数据官`` + ``2023`` + ``年度述职报告``."""
    name = outline.name if outline.name.startswith("年度") else f"年{outline.name}"
    return f"{unit_shown}{outline.author}{year}{name}"


def report_sections(outline: ReportOutline) -> tuple[ReportSection, ...]:
    """Headings numbered 一、二、…; areas as (一)(二)… under each heading that is by area.

    Where no heading is by area, the areas are parts of their own, before the headings.
    """
    areas = [a.text for a in outline.areas]
    by_area = any(h.by_area for h in outline.headings)
    parts: list[tuple[str, bool]] = []
    if not by_area:
        parts += [(a, False) for a in areas]
    parts += [(h.text, h.by_area) for h in outline.headings]
    out: list[ReportSection] = []
    for i, (text, nested) in enumerate(parts, 1):
        subs = (
            tuple(f"（{chinese_number(j)}）{a}" for j, a in enumerate(areas, 1)) if nested else ()
        )
        out.append(ReportSection(f"{chinese_number(i)}、{text}", subs))
    return tuple(out)


def build_report(
    scheme: Scheme,
    outline: ReportOutline,
    unit: Unit,
    role: Role,
    year: int,
    roster: LoadedRoster | None,
) -> FilledReport:
    """The skeleton of ``unit``'s report for ``year``, its writer from ``roster`` if given."""
    shown = unit_display(scheme, unit)
    officer = officer_of(unit, role, roster)
    return FilledReport(
        scheme=scheme.id,
        report_id=outline.id,
        name=outline.name,
        title=report_title(outline, shown, year),
        unit=unit.name,
        unit_shown=shown,
        year=year,
        officer=officer,
        sections=report_sections(outline),
        filled=bool(officer.name),
    )


# ---------------------------------------------------------------- the evaluation sheet


@dataclass(frozen=True)
class Weights:
    """Weights for the dimensions and who supplied them (the bureau, or the document)."""

    values: dict[str, Decimal]  # by dimension text
    provided_by: str


@dataclass(frozen=True)
class SheetRow:
    """One dimension's row: number, the dimension, and its weight if weights were given."""

    number: int
    dimension: str
    weight: str | None = None


@dataclass(frozen=True)
class FilledSheet:
    """One officer's blank evaluation sheet."""

    scheme: str
    evaluation_id: str
    title: str
    unit: str
    unit_shown: str
    year: int | None
    officer: Officer
    rows: tuple[SheetRow, ...]
    weights_by: str | None  # 权重由…提供; None: no weights, no weight column
    evaluator: str | None
    basis: str  # where the dimensions come from (document, clause)
    silent: tuple[str, ...]  # what the document does not say, printed on the sheet
    filled: bool = False

    @property
    def header(self) -> tuple[str, ...]:
        """The table's header row."""
        weight = (HEAD_WEIGHT,) if self.weights_by is not None else ()
        return (HEAD_INDEX, HEAD_DIMENSION, *weight, HEAD_SCORE, HEAD_REMARK)

    @property
    def file_stem(self) -> str:
        """``惠州市首席数据官履职情况评价表-惠城区``."""
        return f"{self.title}-{self.unit}"


def number_text(value: Decimal) -> str:
    """A number as people write it: 20, 0.15, 12.5 (no trailing zeros, no exponent)."""
    text = format(value.normalize(), "f")
    return text


def document_weights(scheme: Scheme, evaluation: Evaluation) -> Weights | None:
    """The weights the document itself gives, if it gives any."""
    given = evaluation.weights
    if given is None:
        return None
    values = {k: Decimal(str(v)) for k, v in given.values.items()}
    source = f"《{scheme.document.title}》{given.source.section}"
    return Weights(values, source)


def build_sheet(
    scheme: Scheme,
    evaluation: Evaluation,
    unit: Unit,
    role: Role,
    roster: LoadedRoster | None,
    *,
    year: int | None = None,
    weights: Weights | None = None,
) -> FilledSheet:
    """The blank sheet for the holder of ``role`` in ``unit``: one row per dimension.

    A weight column appears only when ``weights`` are given (by the bureau) or the
    document has its own; never otherwise.
    """
    weights = weights or document_weights(scheme, evaluation)
    rows = tuple(
        SheetRow(i, d.text, number_text(weights.values[d.text]) if weights else None)
        for i, d in enumerate(evaluation.dimensions, 1)
    )
    clause = evaluation.dimensions[0].source.section
    silent: list[str] = []
    if weights is None:
        silent.append("文件未规定各项权重")
    if evaluation.scale is None:
        silent.append("文件未规定评分标准和分值")
    officer = officer_of(unit, role, roster)
    return FilledSheet(
        scheme=scheme.id,
        evaluation_id=evaluation.id,
        title=evaluation.title,
        unit=unit.name,
        unit_shown=unit_display(scheme, unit),
        year=year,
        officer=officer,
        rows=rows,
        weights_by=weights.provided_by if weights else None,
        evaluator=evaluation.evaluator,
        basis=f"评价内容照录《{scheme.document.title}》{clause}",
        silent=tuple(silent),
        filled=bool(officer.name),
    )
