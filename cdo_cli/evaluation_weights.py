"""Weights for an evaluation's dimensions, as the bureau supplies them in a file.

Huizhou's document names seven dimensions and no weights; a bureau that decides on
weights writes them in a small file and ``cdo render 评价表 --weights FILE`` prints them
on the sheet with who supplied them, and ``cdo evaluation rank --weights FILE`` ranks
by them. cdo never makes weights up. The file is YAML::

    provided_by: 惠州市政务服务数据管理局
    weights:
      数字政府建设: 20
      智慧城市建设: 15
      …

or a table (.csv, .xlsx) with the columns 评价内容, 权重 and 提供单位 (the last on at
least one row). Every dimension gets exactly one weight, a number not below zero.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cell_text import match_key
from .errors import CdoError, InvalidInputError
from .outlines import Weights
from .policy_outlines import MAX_WEIGHT, MIN_WEIGHT, weight_in_range
from .suggest import did_you_mean
from .text import visible

if TYPE_CHECKING:
    from .policy_outlines import Evaluation

_YAML = {".yaml", ".yml"}
_TABLE = {".csv", ".xlsx", ".xlsm"}
_EXAMPLE = "provided_by: 评价单位名称，weights: 下每项评价内容一行（如 数字政府建设: 20）"


class WeightsError(CdoError):
    """A weights file that cannot be used: unreadable, or not one weight per dimension (exit 2)."""


def _number(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise WeightsError(f"{where}：权重“{visible(str(value))}”不是数字")
    text = str(value).strip().rstrip("%％")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise WeightsError(f"{where}：权重“{visible(str(value))}”不是数字") from None
    if not number.is_finite() or number < 0:
        raise WeightsError(f"{where}：权重“{visible(str(value))}”应为不小于 0 的数")
    # A slip of the keyboard: 1e999999 would print a million digits on the sheet and
    # overflow the ranking's sums.
    if not weight_in_range(number):
        raise WeightsError(
            f"{where}：权重“{visible(str(value))}”超出范围",
            hint=f"权重应为 0，或 {MIN_WEIGHT} 至 {MAX_WEIGHT:,} 之间的数，如 20 或 0.15。",
        )
    return number


def _from_yaml(path: Path, shown: str) -> tuple[str, dict[str, Any]]:
    from .loading import load_yaml

    try:
        _source, data = load_yaml(path)
    except InvalidInputError as exc:  # not valid YAML: the command cannot go on (exit 2)
        # An empty file's hint is to make a roster with cdo init: not what this file is.
        hint = exc.hint if "cdo init" not in (exc.hint or "") else f"应写：{_EXAMPLE}。"
        raise WeightsError(exc.message, hint=hint) from None
    if not isinstance(data, dict) or not isinstance(data.get("weights"), dict):
        raise WeightsError(f"{shown}：没有 weights（各项权重）", hint=f"应写：{_EXAMPLE}。")
    unknown = sorted(str(k) for k in data if k not in ("provided_by", "weights"))
    if unknown:
        raise WeightsError(
            f"{shown}：不认识的键“{visible(unknown[0])}”", hint="只能有 provided_by 和 weights。"
        )
    provided = data.get("provided_by")
    if isinstance(provided, (list, dict)):
        raise WeightsError(
            f"{shown}：provided_by 应为提供权重的单位名称，而不是列表或键值对",
            hint="写一个单位名称，如 provided_by: 惠州市政务服务数据管理局。",
        )
    return (str(provided).strip() if provided is not None else ""), dict(data["weights"])


def _from_table(path: Path, shown: str) -> tuple[str, dict[str, Any]]:
    from .sheet_files import read_rows
    from .sheet_reading import cell_text

    wanted = {"评价内容": "dimension", "权重": "weight", "提供单位": "by"}
    for sheet in read_rows(path):
        found = next(
            (
                (n, heads)
                for n, row in enumerate(sheet.rows[:10])
                if {"dimension", "weight"}
                <= (
                    heads := {wanted.get(match_key(cell_text(c))): i for i, c in enumerate(row)}
                ).keys()
            ),
            None,
        )
        if found is None:
            continue
        n, heads = found
        weights: dict[str, Any] = {}
        providers: set[str] = set()
        for row in sheet.rows[n + 1 :]:
            cells = [cell_text(c) for c in row] + [""] * len(wanted)
            name = cells[heads["dimension"]]
            if not name:
                continue
            if name in weights:
                raise WeightsError(f"{shown}：“{visible(name)}”写了两次")
            weights[name] = cells[heads["weight"]]
            if "by" in heads and cells[heads["by"]]:
                providers.add(cells[heads["by"]])
        if len(providers) > 1:
            raise WeightsError(
                f"{shown}：提供单位写了不止一个（{visible('、'.join(sorted(providers)))}）"
            )
        return (providers.pop() if providers else ""), weights
    raise WeightsError(
        f"{shown}：没有找到“评价内容”和“权重”两列",
        hint="第一行写表头：评价内容、权重、提供单位。",
    )


def read_weights(path: Path, evaluation: Evaluation) -> Weights:
    """The bureau's weights for ``evaluation``'s dimensions, from a YAML or table file.

    WeightsError (exit 2) when the file cannot be read, says nothing of who supplied
    them, leaves out a dimension, names one the evaluation does not have, or gives a
    weight that is not a number of at least zero.
    """
    shown = visible(str(path))
    suffix = path.suffix.lower()
    if not path.exists():
        raise WeightsError(f"{shown}：文件不存在")
    if suffix in _YAML:
        provided, given = _from_yaml(path, shown)
    elif suffix in _TABLE:
        provided, given = _from_table(path, shown)
    else:
        raise WeightsError(
            f"{shown}：权重文件应为 .yaml、.csv 或 .xlsx",
            hint=f"YAML 的写法：{_EXAMPLE}。",
        )
    if not provided:
        raise WeightsError(
            f"{shown}：没有写明权重由谁提供",
            hint="YAML 写 provided_by: 单位名称；表格写“提供单位”一列。评价表上印“权重由……提供”。",
        )
    dimensions = {match_key(d.text): d.text for d in evaluation.dimensions}
    values: dict[str, Decimal] = {}
    for key, value in given.items():
        name = str(key)
        dimension = dimensions.get(match_key(name))
        if dimension is None:
            raise WeightsError(
                f"{shown}：“{visible(name)}”不是“{evaluation.name}”的评价内容",
                hint=did_you_mean(name, list(dimensions.values()))
                or f"评价内容：{'、'.join(dimensions.values())}",
            )
        if dimension in values:
            raise WeightsError(f"{shown}：“{visible(dimension)}”写了两次")
        values[dimension] = _number(value, f"{shown}：“{dimension}”")
    missing = [d for d in dimensions.values() if d not in values]
    if missing:
        raise WeightsError(
            f"{shown}：缺少{'、'.join(missing)}的权重",
            hint="每项评价内容都要写权重（cdo 不推定权重）。",
        )
    return Weights(values, visible(provided))
