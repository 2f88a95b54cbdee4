"""Evaluation scores in the roster: the record, what an import changes, and the checks.

A unit's ``evaluations`` in the roster hold the scores its officer was given, one record
per evaluation and year::

    evaluations:
      - evaluation: pilot_cdo_evaluation
        year: 2023
        name: 张三
        scores:
          数字政府建设: 18
          …
        source: 回收/评价表-惠城区.docx

``cdo import`` reads filled evaluation sheets and scores tables into
:class:`~cdo_cli.records.ScoreRecord`; :func:`plan_evaluations` turns them into changes
of the import plan (added, or changed where the roster has other scores for that year),
so that the preview, ``--write``, the backup and the conflict rules are those of every
import. Two files that give one officer different scores for one year stop the write.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictFloat, StrictInt

if TYPE_CHECKING:
    from .findings import Finding
    from .policy import Scheme, Unit
    from .policy_outlines import Evaluation
    from .records import ScoreRecord, Where
    from .roster_loading import LoadedRoster
    from .roster_plan import Plan


def _blank(value: Any) -> Any:
    """An empty or all-space text is no value (as in the rest of the roster)."""
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("得分须为有限的数")
    return value


Score = Annotated[StrictInt | StrictFloat, BeforeValidator(_finite)]
Text = Annotated[str | None, BeforeValidator(_blank)]


class EvaluationRecord(BaseModel):
    """The scores one officer of the unit was given in one evaluation, for one year."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    evaluation: str = Field(min_length=1, description="评价 id，见 cdo policy show")
    year: int = Field(ge=1900, le=2200, description="评价年度，如 2023")
    name: Text = Field(None, description="被评价的首席数据官姓名")
    scores: dict[str, Score] = Field(
        default_factory=dict, description="各项评价内容的得分（评价内容照方案）"
    )
    remarks: dict[str, str] = Field(default_factory=dict, description="各项的备注")
    source: Text = Field(None, description="得分来自哪个文件")
    note: Text = Field(None, description="备注")


def record_pairs(record: EvaluationRecord) -> list[tuple[str, Any]]:
    """The record's keys and values in the order the roster writes them."""
    from .yaml_edit import block_map

    pairs: list[tuple[str, Any]] = [("evaluation", record.evaluation), ("year", record.year)]
    if record.name:
        pairs.append(("name", record.name))
    pairs.append(("scores", block_map(record.scores.items())))
    if record.remarks:
        pairs.append(("remarks", block_map(record.remarks.items())))
    for key in ("source", "note"):
        value = getattr(record, key)
        if value:
            pairs.append((key, value))
    return pairs


# ---------------------------------------------------------------- planning an import


@dataclass(frozen=True)
class EvaluationChange:
    """Scores added to a unit, or replacing the scores it had for that evaluation and year."""

    unit: str  # the unit's full name
    old: EvaluationRecord | None
    new: EvaluationRecord
    source: Where | None = None


def find_record(
    records: Sequence[EvaluationRecord], evaluation: str, year: int
) -> EvaluationRecord | None:
    """The last record of ``evaluation`` for ``year`` (a hand-written roster may repeat one)."""
    found = [r for r in records if r.evaluation == evaluation and r.year == year]
    return found[-1] if found else None


def _same(a: EvaluationRecord, b: EvaluationRecord) -> bool:
    """The same scores, remarks and name (where they came from does not count)."""
    return (a.scores, a.remarks, a.name or "") == (b.scores, b.remarks, b.name or "")


def _shown_scores(record: ScoreRecord) -> str:
    return "、".join(f"{k} {v}" for k, v in record.scores.items())


def plan_evaluations(
    plan: Plan,
    roster: LoadedRoster,
    records: Sequence[ScoreRecord],
    find: Callable[[str, Where], Unit | None],
    problem: Callable[[str, str | None, Where], None],
) -> None:
    """Add to ``plan`` the changes ``records`` make to the roster's evaluations.

    ``find`` resolves a unit as written (reporting one the scheme lacks); ``problem``
    records what stops the import.
    """
    from .policy_outlines import evaluated_units

    scheme = plan.scheme
    chosen: dict[tuple[str, str, int], ScoreRecord] = {}
    for record in records:
        evaluation = next((e for e in scheme.evaluations if e.id == record.evaluation), None)
        if evaluation is None:
            problem(f"{scheme.city}方案没有评价“{record.evaluation}”", None, record.where)
            continue
        unit = find(record.unit, record.where)
        if unit is None:
            continue
        for message, hint in record.invalid:
            problem(message, hint, record.where)
        if record.invalid:
            continue
        if all(u is not unit for u, _ in evaluated_units(scheme, evaluation)):
            problem(
                f"“{unit.name}”不是{evaluation.name}的对象",
                _judged(scheme, evaluation),
                record.where,
            )
            continue
        if record.year is None:
            problem(
                f"“{unit.name}”的{evaluation.name}没有填写评价年度",
                "请在评价表的“评价年度”一栏（汇总表的“年度”一列）填写年份，如 2023。",
                record.where,
            )
            continue
        key = (unit.name, evaluation.id, record.year)
        earlier = chosen.get(key)
        if earlier is not None:
            if (earlier.scores, earlier.remarks) != (record.scores, record.remarks):
                problem(
                    f"“{unit.name}”{record.year} 年度的{evaluation.name}有两份不同的评分："
                    f"{_shown_scores(earlier)}（{earlier.where}）与 {_shown_scores(record)}",
                    "请核对这两份，只导入正确的一份。",
                    record.where,
                )
            continue
        chosen[key] = record
        _note_gaps(plan, unit, evaluation, record)
    for (unit_name, _evaluation, year), record in chosen.items():
        unit = scheme.unit_index()[unit_name]
        new = EvaluationRecord(
            evaluation=record.evaluation,
            year=year,
            name=record.name or None,
            scores=dict(record.scores),
            remarks=dict(record.remarks),
            source=record.where.file,
        )
        entry = roster.entry(unit)
        old = find_record(entry.evaluations if entry else [], record.evaluation, year)
        if old is not None and _same(old, new):
            continue
        plan.evaluations.append(EvaluationChange(unit.name, old, new, record.where))


def _judged(scheme: Scheme, evaluation: Evaluation) -> str:
    from .policy_outlines import evaluated_units

    names = [u.name for u, _ in evaluated_units(scheme, evaluation)]
    shown = "、".join(names[:6]) + ("等" if len(names) > 6 else "")
    return f"被评价的单位：{shown}" if names else "方案中没有被评价的单位。"


def _note_gaps(plan: Plan, unit: Unit, evaluation: Evaluation, record: ScoreRecord) -> None:
    """A note for dimensions left without a score (the ranking reports them too)."""
    missing = [d.text for d in evaluation.dimensions if d.text not in record.scores]
    if missing:
        plan.notes.append(
            f"{record.where.file}：“{unit.name}”缺少{'、'.join(missing)}的得分，"
            "排名时列为“缺少评分”"
        )


# ---------------------------------------------------------------- checking a roster


def check_evaluations(loaded: LoadedRoster) -> list[Finding]:
    """Records naming an evaluation, a dimension or a unit the scheme does not have for it."""
    from .findings import error
    from .policy_outlines import evaluated_units
    from .suggest import did_you_mean
    from .text import CONTROL_HINT, control_message, controls

    out: list[Finding] = []
    scheme = loaded.scheme
    index = scheme.unit_index()
    evaluations = {e.id: e for e in scheme.evaluations}
    for name, (key, entry) in loaded.entries.items():
        unit = index[name]
        for i, record in enumerate(entry.evaluations):
            path: tuple[str | int, ...] = ("units", key, "evaluations", i)
            texts = [("姓名", record.name or "", "name"), ("来源", record.source or "", "source")]
            for label, value, field in texts:
                found = controls(value)
                if found:
                    message = control_message(label, value, found)
                    out.append(error("text-control", message, (*path, field), CONTROL_HINT))
            evaluation = evaluations.get(record.evaluation)
            if evaluation is None:
                hint = did_you_mean(record.evaluation, list(evaluations)) or (
                    f"本方案的评价：{'、'.join(evaluations)}" if evaluations else "本方案没有评价。"
                )
                out.append(
                    error(
                        "evaluation-unknown",
                        f"“{record.evaluation}”不是本方案的评价",
                        (*path, "evaluation"),
                        hint,
                    )
                )
                continue
            if all(u is not unit for u, _ in evaluated_units(scheme, evaluation)):
                out.append(
                    error(
                        "evaluation-unknown",
                        f"“{unit.name}”不是{evaluation.name}的对象",
                        (*path, "evaluation"),
                        _judged(scheme, evaluation),
                    )
                )
            dimensions = [d.text for d in evaluation.dimensions]
            for field_name in ("scores", "remarks"):
                for dimension in getattr(record, field_name):
                    if dimension not in dimensions:
                        out.append(
                            error(
                                "evaluation-unknown",
                                f"“{dimension}”不是{evaluation.name}的评价内容",
                                (*path, field_name, dimension),
                                did_you_mean(dimension, dimensions)
                                or f"评价内容：{'、'.join(dimensions)}",
                            )
                        )
    return out
