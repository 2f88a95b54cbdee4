"""Reading scores back: a filled evaluation sheet (.docx), or a table of scores (.xlsx, .csv).

The mirror of :mod:`cdo_cli.outline_docx`. A Word file is an evaluation sheet when one of
its tables has the columns 评价内容 and 得分 and rows for at least half of an
evaluation's dimensions (a sheet someone retyped is read as well as one cdo made);
who was evaluated comes from the 被评价单位 line (else the document's properties, else
the file name), the year from 评价年度, the name from 姓名. A table of scores has a
单位 column and a column for each dimension, and may have 姓名 and 年度. Both give
:class:`~cdo_cli.records.ScoreRecord` for ``cdo import`` to plan, and for
``cdo evaluation rank`` to rank directly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import docx_properties as props
from .cell_text import clean_value, fold, match_key, strip_enumerator
from .errors import InvalidInputError, one_of
from .outlines import (
    HEAD_DIMENSION,
    HEAD_REMARK,
    HEAD_SCORE,
    LABEL_NAME,
    LABEL_ROLE,
    LABEL_TITLE,
    LABEL_UNIT,
    LABEL_YEAR,
)
from .records import ImportedFile, ScoreRecord, Where
from .text import visible

if TYPE_CHECKING:
    from .docx_reading import Content, Row
    from .policy import Scheme
    from .policy_loading import Registry
    from .policy_outlines import Evaluation
    from .sheet_files import Sheet

# Labels on a sheet's lines, as written or retyped; the value runs to the next label.
_LABELS = (
    LABEL_UNIT,
    LABEL_ROLE,
    LABEL_NAME,
    LABEL_TITLE,
    LABEL_YEAR,
    "评价单位",
    "评价人",
    "评价日期",
    "单位",
)
_LABEL = re.compile(rf"({'|'.join(_LABELS)})\s*[:：]")
# Rows that add up the others: not a dimension, and the ranking adds up itself.
_TOTALS = {match_key(t) for t in ("合计", "总分", "总计", "得分合计", "小计")}
_YEAR = re.compile(r"\d+")
_SCORE = re.compile(r"^[+-]?(\d+(\.\d+)?|\.\d+)$")
# Scores are points: one this large is a slip (a float of it would be inf, and an
# integer of thousands of digits cannot even be printed).
MAX_SCORE = 10**9
# Headers of a scores table besides the dimensions.
_YEAR_HEADERS = {match_key(h) for h in ("年度", "评价年度", "年份")}
_NAME_HEADERS = {match_key(h) for h in ("姓名", "首席数据官", "被评价人")}


def parse_score(text: str) -> int | float | None:
    """A score as written (18, 18.5, １８分); None for an empty cell; ValueError otherwise,
    its text what is wrong (不是数字, 太大)."""
    value = fold(text).strip().replace(" ", "").removesuffix("分")
    if not value:
        return None
    if not _SCORE.match(value):
        raise ValueError("不是数字")
    try:
        number = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValueError("不是数字") from None
    if abs(number) >= MAX_SCORE:
        raise ValueError(f"太大（应小于 {MAX_SCORE:,}）")
    return int(number) if number == number.to_integral_value() else float(number)


def parse_year(text: str) -> tuple[int | None, str | None]:
    """The year a 评价年度 cell gives (2023, 2023年, 2023年度), or None when it has no
    digits; with what is wrong when its number is no year of 1900—2200."""
    from .policy import FIRST_YEAR, LAST_YEAR

    found = _YEAR.search(text)
    if found is None:
        return None, None
    digits = found.group()
    if len(digits) != 4 or not FIRST_YEAR <= int(digits) <= LAST_YEAR:
        return None, f"评价年度“{visible(digits)}”不在 {FIRST_YEAR}—{LAST_YEAR} 年之间"
    return int(digits), None


def _score_problem(dimension: str, value: str, reason: str) -> tuple[str, str]:
    hint = "得分请填写数字，如 18 或 18.5。"
    return f"“{dimension}”的得分“{visible(clean_value(value))}”{reason}", hint


def _formula_problem(dimension: str, shows: str) -> tuple[str, str]:
    """A score cell holding a formula whose result the file does not have."""
    why = (
        f"是出错的公式（显示 {visible(shows)}）"
        if shows
        else "是公式，文件中没有保存计算结果（文件由程序生成、未在 Excel 中保存过）"
    )
    return f"“{dimension}”的得分{why}", "请在 Excel 或 WPS 中打开、核对后保存，再导入。"


def _twice(dimension: str, first: float, second: float) -> tuple[str, str]:
    return (
        f"“{dimension}”有两个得分（{first} 和 {second}）",
        "每项评价内容只填一个得分：请删去多余的一行（一列）。",
    )


def _candidates(registry: Registry, scheme_id: str | None) -> list[tuple[Scheme, Evaluation]]:
    schemes = [registry.get(scheme_id)] if scheme_id is not None else registry.usable()[0]
    return [(s, e) for s in schemes for e in s.evaluations]


def _dimension(evaluation: Evaluation, text: str) -> str | None:
    """The dimension a cell names (``3.“一网统管”工作`` is “一网统管”工作), or None."""
    key = match_key(strip_enumerator(text))
    return next((d.text for d in evaluation.dimensions if match_key(d.text) == key), None)


def _best(
    found: list[tuple[int, Scheme, Evaluation]], claimed: tuple[str, str], shown: str
) -> tuple[Scheme, Evaluation] | None:
    """The evaluation most dimensions matched (at least half of its own); a tie goes to the
    one the file's properties name, else is an error."""
    passing = [(n, s, e) for n, s, e in found if n * 2 >= len(e.dimensions) and n > 0]
    if not passing:
        return None
    top = max(n for n, _, _ in passing)
    best = [(s, e) for n, s, e in passing if n == top]
    if len(best) > 1:
        named = [(s, e) for s, e in best if (s.id, e.id) == claimed]
        if len(named) == 1:
            return named[0]
        raise InvalidInputError(
            f"{shown} 同样像{one_of([f'{s.city}的{e.name}表' for s, e in best])}，无法判断是哪一份",
            hint="用 --roster 指定名册（方案由名册确定）。",
        )
    return best[0]


# ---------------------------------------------------------------- a Word sheet


@dataclass
class _Table:
    """The sheet's table: its header row and the rows under it, with the columns found."""

    rows: list[Row]
    dimension: int
    score: int
    remark: int | None


def _table(content: Content) -> _Table | None:
    from .docx_reading import Row

    want = {
        match_key(HEAD_DIMENSION): "dimension",
        match_key(HEAD_SCORE): "score",
        match_key(HEAD_REMARK): "remark",
    }
    rows = [item for item in content.items if isinstance(item, Row)]
    for i, row in enumerate(rows):
        columns: dict[str, int] = {}
        for j, cell in enumerate(row.cells):
            name = want.get(cell.key)
            if name is not None and name not in columns:
                columns[name] = j
        if "dimension" in columns and "score" in columns:
            below = [r for r in rows[i + 1 :] if r.table == row.table]
            return _Table(below, columns["dimension"], columns["score"], columns.get("remark"))
    return None


def _labels(content: Content) -> dict[str, str]:
    """``被评价单位：惠城区`` and the like, from the paragraphs outside tables."""
    from .docx_reading import Paragraph

    found: dict[str, str] = {}
    for item in content.items:
        if not isinstance(item, Paragraph):
            continue
        text = re.sub(r"\s+", "", fold(item.text))
        marks = list(_LABEL.finditer(text))
        for k, mark in enumerate(marks):
            end = marks[k + 1].start() if k + 1 < len(marks) else len(text)
            value = text[mark.end() : end].strip("_＿ ")
            found.setdefault(mark.group(1), clean_value(value))
    return found


def _cell(row: Row, column: int | None) -> str:
    if column is None or column >= len(row.cells):
        return ""
    return row.cells[column].text


def read_sheet_content(
    content: Content, path: Path, registry: Registry, scheme_id: str | None
) -> ImportedFile | None:
    """The scores a filled evaluation sheet gives, or None when the document is no sheet."""
    table = _table(content)
    if table is None:
        return None
    candidates = _candidates(registry, scheme_id)
    shown = visible(str(path))
    claimed = (content.properties.get(props.SCHEME, ""), content.properties.get(props.FORM, ""))
    counted = [
        (len({d for r in table.rows if (d := _dimension(e, _cell(r, table.dimension)))}), s, e)
        for s, e in candidates
    ]
    chosen = _best(counted, claimed, shown)
    if chosen is None:
        return None
    scheme, evaluation = chosen
    result = ImportedFile(path=str(path), scheme=scheme.id, posts=[])
    labels = _labels(content)
    unit = labels.get(LABEL_UNIT) or labels.get("单位") or content.properties.get(props.UNIT, "")
    if not unit:
        unit = _unit_from_name(path, evaluation)
        if unit:
            result.notes.append(f"评价表中没有填写被评价单位，按文件名取为“{visible(unit)}”")
    if not unit:
        raise InvalidInputError(
            f"{shown} 看不出评价的是哪个单位",
            hint=f"请在“{LABEL_UNIT}：”后填写单位名称，或把文件命名为“{evaluation.title}-单位名称.docx”。",
        )
    year, wrong_year = parse_year(labels.get(LABEL_YEAR, ""))
    scores: dict[str, int | float] = {}
    remarks: dict[str, str] = {}
    invalid: list[tuple[str, str]] = []
    if wrong_year:
        invalid.append((wrong_year, "请填写四位年份，如 2023。"))
    for row in table.rows:
        written = _cell(row, table.dimension)
        dimension = _dimension(evaluation, written)
        value = _cell(row, table.score)
        where = Where(str(path), f"表格{row.table}", row.number)
        # The record is placed at the file: a problem names the table and row in its text.
        at = f"{Where('', where.part, where.row)}".strip()
        if dimension is None:
            if match_key(strip_enumerator(written)) in _TOTALS and value.strip():
                result.notes.append(
                    f"“{visible(clean_value(written))}”一行未导入（排名按各项得分计算）"
                )
            elif written.strip() and value.strip():
                result.notes.append(
                    f"{where}：“{visible(clean_value(written))}”不是{evaluation.name}的评价内容，未导入"
                )
            continue
        try:
            score = parse_score(value)
        except ValueError as exc:
            message, hint = _score_problem(dimension, value, str(exc))
            invalid.append((f"{at}：{message}", hint))
            continue
        if score is not None and scores.get(dimension, score) != score:
            message, hint = _twice(dimension, scores[dimension], score)
            invalid.append((f"{at}：{message}", hint))
        if score is not None:
            scores.setdefault(dimension, score)
        remark = clean_value(_cell(row, table.remark))
        if remark:
            remarks[dimension] = remark
    if not scores and not invalid:
        result.notes.append(f"{evaluation.title}未填写得分，没有可导入的内容")
        return result
    scores, remarks = _in_order(evaluation, scores), _in_order(evaluation, remarks)
    result.evaluations.append(
        ScoreRecord(
            unit=unit,
            evaluation=evaluation.id,
            year=year,
            name=labels.get(LABEL_NAME, ""),
            scores=scores,
            where=Where(str(path)),
            remarks=remarks,
            invalid=tuple(invalid),
        )
    )
    return result


def _in_order(evaluation: Evaluation, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` by dimension, in the scheme's order of the dimensions (not the table's)."""
    return {d.text: values[d.text] for d in evaluation.dimensions if d.text in values}


def _unit_from_name(path: Path, evaluation: Evaluation) -> str:
    """``惠州市首席数据官履职情况评价表-惠城区.docx`` → 惠城区."""
    stem = clean_value(path.stem)
    stem = re.sub(r"\s*[(（]\d+[)）]\s*$", "", stem)  # a second copy: …-惠城区(1)
    head, dash, tail = stem.rpartition("-")
    return tail.strip() if dash and match_key(evaluation.title) in match_key(head) else ""


# ---------------------------------------------------------------- a table of scores


@dataclass
class _Columns:
    header: int
    unit: int
    dimensions: dict[str, int]
    name: int | None
    year: int | None
    repeats: list[tuple[str, int]]  # a dimension's second (third, …) column


def _columns(rows: Sequence[tuple[Any, ...]], evaluation: Evaluation) -> _Columns | None:
    from .sheet_reading import HEADER_VARIANTS, cell_text

    units = {match_key(v) for v in HEADER_VARIANTS["unit"]}
    for n, row in enumerate(rows[:10]):
        keys = [match_key(cell_text(c)) for c in row]
        unit = next((i for i, k in enumerate(keys) if k in units), None)
        if unit is None:
            continue
        dims: dict[str, int] = {}
        repeats: list[tuple[str, int]] = []
        for i, cell in enumerate(row):
            d = _dimension(evaluation, cell_text(cell))
            if d is not None:
                if d in dims:
                    repeats.append((d, i))
                dims.setdefault(d, i)
        if dims:
            name = next((i for i, k in enumerate(keys) if k in _NAME_HEADERS), None)
            year = next((i for i, k in enumerate(keys) if k in _YEAR_HEADERS), None)
            return _Columns(n, unit, dims, name, year, repeats)
    return None


def read_score_table(
    sheets: list[Sheet], path: Path, registry: Registry, scheme_id: str | None
) -> ImportedFile | None:
    """The scores in a table with 单位 and a column per dimension, or None if it has none."""
    from .sheet_reading import cell_text

    shown = visible(str(path))
    found: list[tuple[int, Scheme, Evaluation]] = []
    layouts: dict[tuple[str, str], list[tuple[Sheet, _Columns]]] = {}
    for scheme, evaluation in _candidates(registry, scheme_id):
        at = [
            (sheet, c)
            for sheet in sheets
            if not sheet.hidden
            if (c := _columns(sheet.rows, evaluation)) is not None
        ]
        if at:
            found.append((max(len(c.dimensions) for _, c in at), scheme, evaluation))
            layouts[(scheme.id, evaluation.id)] = at
    chosen = _best(found, ("", ""), shown)
    if chosen is None:
        return None
    scheme, evaluation = chosen
    result = ImportedFile(path=str(path), scheme=scheme.id, posts=[])
    for sheet, cols in layouts[(scheme.id, evaluation.id)]:
        part = sheet.name if len(sheets) > 1 else ""
        for i, row in enumerate(sheet.rows[cols.header + 1 :], cols.header + 1):

            def cell(column: int | None, row: tuple[Any, ...] = row) -> str:
                return cell_text(row[column]) if column is not None and column < len(row) else ""

            unit = clean_value(cell(cols.unit))
            if not unit:
                continue
            where = Where(str(path), part, sheet.numbers[i])
            scores: dict[str, int | float] = {}
            invalid: list[tuple[str, str]] = []
            # The record is placed at its row: problems say only what is wrong.
            for dimension, column in [*cols.dimensions.items(), *cols.repeats]:
                if (sheet.numbers[i], column) in sheet.unvalued:  # read as empty, but is not
                    invalid.append(
                        _formula_problem(dimension, sheet.unvalued[(sheet.numbers[i], column)])
                    )
                    continue
                try:
                    score = parse_score(cell(column))
                except ValueError as exc:
                    invalid.append(_score_problem(dimension, cell(column), str(exc)))
                    continue
                if score is not None and scores.get(dimension, score) != score:
                    invalid.append(_twice(dimension, scores[dimension], score))
                if score is not None:
                    scores.setdefault(dimension, score)
            scores = _in_order(evaluation, scores)
            year, wrong_year = parse_year(cell(cols.year))
            if wrong_year:
                invalid.append((wrong_year, "请填写四位年份，如 2023。"))
            result.evaluations.append(
                ScoreRecord(
                    unit=unit,
                    evaluation=evaluation.id,
                    year=year,
                    name=clean_value(cell(cols.name)),
                    scores=scores,
                    where=where,
                    invalid=tuple(invalid),
                )
            )
    missing = [
        d.text
        for d in evaluation.dimensions
        if all(d.text not in c.dimensions for _, c in layouts[(scheme.id, evaluation.id)])
    ]
    if missing:
        result.notes.append(f"表中没有{'、'.join(missing)}一列，这几项没有得分")
    if not result.evaluations:
        result.notes.append("表中没有填写任何单位的得分")
    return result
