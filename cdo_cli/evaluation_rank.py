"""Ranking evaluated officers by their scores: a pure function, and its text and JSON.

:func:`compute_ranking` takes the dimensions, each officer's scores and, only if the
bureau (or the document) supplied them, weights. With weights an officer's total is the
weighted sum; without, it is the plain sum of the scores, and the ranking says that this
is cdo's assumption (the document gives no weights). Equal totals share a rank (1, 2, 2,
4); an officer missing a score is not ranked, and the ranking says which are missing.
Nothing is rounded: totals are exact decimals of the scores as written.

``cdo evaluation rank`` prints it; the report (``cdo report``) may call
:func:`ranking_for_roster` and use the same :class:`Ranking`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .outlines import Weights, number_text

if TYPE_CHECKING:
    from .policy import Scheme
    from .policy_outlines import Evaluation
    from .records import ScoreRecord
    from .roster_loading import LoadedRoster

# What a ranking without weights says about itself: the document gives none.
UNWEIGHTED = "文件未规定权重，按各项得分之和排序（推定）"


@dataclass(frozen=True)
class Scored:
    """One officer to rank: unit, post, name, and the scores given (by dimension)."""

    unit: str
    role: str = ""
    name: str = ""
    scores: Mapping[str, Decimal | int | float] = field(default_factory=dict)
    evaluated: bool = True  # False: no record at all for this officer


@dataclass(frozen=True)
class RankRow:
    """An officer's place: rank (None when not ranked), scores, total and what is missing."""

    rank: int | None
    unit: str
    role: str
    name: str
    scores: dict[str, Decimal | None]
    total: Decimal | None
    missing: tuple[str, ...]
    evaluated: bool = True


@dataclass(frozen=True)
class Ranking:
    """Officers in order: ranked ones by total (ties share a rank), then those missing a
    score, then those not evaluated at all."""

    dimensions: tuple[str, ...]
    rows: tuple[RankRow, ...]
    weights: dict[str, Decimal] | None = None
    weights_by: str | None = None
    assumption: str | None = None
    notes: tuple[str, ...] = ()
    title: str = ""
    year: int | None = None
    scheme: str = ""
    evaluation: str = ""


def _decimal(value: Decimal | int | float) -> Decimal:
    """A score as an exact decimal of what was written (18.5 is 18.5, not 18.4999…)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def compute_ranking(
    dimensions: Sequence[str], officers: Sequence[Scored], weights: Weights | None = None
) -> Ranking:
    """Rank ``officers`` on ``dimensions``: by the weighted sum with ``weights``, else the sum.

    Weights must name every dimension (:func:`cdo_cli.evaluation_weights.read_weights`
    sees to that); none is ever assumed. Scores for other dimensions are ignored.
    """
    if weights is not None:
        missing = [d for d in dimensions if d not in weights.values]
        if missing:
            raise ValueError(f"weights lack {missing}")
    rows: list[RankRow] = []
    for officer in officers:
        scores = {
            d: _decimal(officer.scores[d]) if d in officer.scores else None for d in dimensions
        }
        gaps = tuple(d for d, v in scores.items() if v is None)
        total = None
        if not gaps:
            factor = (
                weights.values if weights is not None else dict.fromkeys(dimensions, Decimal(1))
            )
            total = sum((v * factor[d] for d, v in scores.items() if v is not None), Decimal(0))
        rows.append(
            RankRow(
                None, officer.unit, officer.role, officer.name, scores, total, gaps,
                officer.evaluated,
            )
        )  # fmt: skip
    totals = [r.total for r in rows if r.total is not None]
    placed: list[RankRow] = []
    for row in rows:
        if row.total is not None:
            # Competition ranking: one more than the officers with a higher total.
            above = sum(1 for t in totals if t > row.total)
            placed.append(replace(row, rank=above + 1))
    placed.sort(key=lambda r: r.rank or 0)  # stable: ties keep the scheme's order
    ranks = [r.rank for r in placed]
    unranked = [r for r in rows if r.total is None]
    notes: list[str] = []
    never = [r.unit for r in unranked if not r.evaluated]
    partial = [r for r in unranked if r.evaluated]
    if partial:
        notes.append(
            "缺少评分，未排名："
            + "；".join(f"{r.unit}（缺少{'、'.join(r.missing)}）" for r in partial)
        )
    if never:
        notes.append(f"未评价，未排名：{'、'.join(never)}")
    tied = sorted({n for n in ranks if n is not None and ranks.count(n) > 1})
    if tied:
        notes.append(f"得分相同的并列同一名次（第 {'、'.join(str(t) for t in tied)} 名）")
    return Ranking(
        dimensions=tuple(dimensions),
        rows=(*placed, *partial, *(r for r in unranked if not r.evaluated)),
        weights=dict(weights.values) if weights is not None else None,
        weights_by=weights.provided_by if weights is not None else None,
        assumption=None if weights is not None else UNWEIGHTED,
        notes=tuple(notes),
    )


# ---------------------------------------------------------------- from the roster or files


def ranking_for_roster(
    loaded: LoadedRoster,
    evaluation: Evaluation,
    year: int,
    weights: Weights | None = None,
) -> Ranking:
    """Every officer ``evaluation`` judges in the roster's scheme, ranked for ``year``
    (weighted by ``weights``, the bureau's, else by those the document gives, if any).

    An officer with no record for the year is listed as not evaluated; the name is the
    record's, else the roster's holder of the post.
    """
    from .outlines import document_weights
    from .policy_outlines import evaluated_units
    from .roster_evaluations import find_record

    scheme = loaded.scheme
    weights = weights or document_weights(scheme, evaluation)  # as the sheet prints them
    officers: list[Scored] = []
    for unit, role in evaluated_units(scheme, evaluation):
        entry = loaded.entry(unit)
        record = find_record(entry.evaluations if entry else [], evaluation.id, year)
        holder = next((p.name for p in loaded.holders(unit, role.id) if p.name), "")
        if record is None:
            officers.append(Scored(unit.name, role.name, holder or "", {}, evaluated=False))
        else:
            officers.append(
                Scored(unit.name, role.name, record.name or holder or "", record.scores)
            )
    return _titled(scheme, evaluation, year, compute_ranking(_texts(evaluation), officers, weights))


def ranking_for_records(
    scheme: Scheme,
    evaluation: Evaluation,
    records: Sequence[ScoreRecord],
    year: int | None,
    weights: Weights | None = None,
) -> Ranking:
    """The officers in ``records`` (read from sheets or a scores table), ranked.

    Only the units the records name are listed; units written in a way the scheme does
    not know are ranked under the name as written. A unit given twice for a year is
    listed once; with other scores the second time, InvalidInputError (as import has it).
    """
    from .errors import InvalidInputError
    from .lookup import unit_names
    from .outlines import document_weights
    from .policy_outlines import evaluated_units

    weights = weights or document_weights(scheme, evaluation)  # as the sheet prints them
    names = unit_names(scheme)
    roles = {u.name: r.name for u, r in evaluated_units(scheme, evaluation)}
    officers: list[Scored] = []
    seen: dict[tuple[str, int | None], ScoreRecord] = {}
    for record in records:
        if record.evaluation != evaluation.id or (year is not None and record.year != year):
            continue
        unit = names.find(record.unit)
        name = unit.name if unit is not None else record.unit
        earlier = seen.setdefault((name, record.year), record)
        if earlier is not record:
            if earlier.scores != record.scores:
                when = f"{record.year} 年度" if record.year is not None else ""
                raise InvalidInputError(
                    f"“{name}”{when}有两份不同的评分：{earlier.where} 与 {record.where}",
                    hint="请核对这两份，只给出正确的一份。",
                )
            continue
        officers.append(Scored(name, roles.get(name, ""), record.name, record.scores))
    return _titled(scheme, evaluation, year, compute_ranking(_texts(evaluation), officers, weights))


def _texts(evaluation: Evaluation) -> list[str]:
    return [d.text for d in evaluation.dimensions]


def _titled(scheme: Scheme, evaluation: Evaluation, year: int | None, ranking: Ranking) -> Ranking:
    return replace(ranking, title=evaluation.name, year=year, scheme=scheme.id,
                   evaluation=evaluation.id)  # fmt: skip


# ---------------------------------------------------------------- output


def _num(value: Decimal | None) -> str:
    return number_text(value) if value is not None else "—"


def ranking_text(ranking: Ranking, city: str = "") -> str:
    """The ranking as a plain table for a terminal, with its notes and its basis."""
    from .text import visible

    year = f"　{ranking.year} 年度" if ranking.year is not None else ""
    lines = [f"{city}{ranking.title}{year}".strip()]
    total = "加权合计" if ranking.weights is not None else "合计"
    head = ["排名", "单位", "姓名", *ranking.dimensions, total]
    body = [
        [str(r.rank) if r.rank is not None else "—", r.unit, r.name or "—",
         *(_num(r.scores[d]) for d in ranking.dimensions), _num(r.total)]
        for r in ranking.rows
    ]  # fmt: skip
    if ranking.weights is not None:
        lines.append(
            "权重："
            + "、".join(f"{d} {number_text(ranking.weights[d])}" for d in ranking.dimensions)
            + f"（权重由{ranking.weights_by}提供）"
        )
    if not body:
        lines.append("没有评分记录。")
    else:
        lines += _table([head, *body])
    if ranking.assumption:
        lines.append(f"注：{ranking.assumption}。")
    lines += [f"注：{n}。" for n in ranking.notes]
    return visible("\n".join(lines), keep_newlines=True) + "\n"


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]


def ranking_json(ranking: Ranking) -> str:
    """The ranking as a JSON object (numbers as JSON numbers, exact as written)."""

    def num(value: Decimal | None) -> Any:
        if value is None:
            return None
        return int(value) if value == value.to_integral_value() else float(value)

    data = {
        "scheme": ranking.scheme,
        "evaluation": ranking.evaluation,
        "title": ranking.title,
        "year": ranking.year,
        "dimensions": list(ranking.dimensions),
        "weighted": ranking.weights is not None,
        "weights": {d: num(w) for d, w in ranking.weights.items()} if ranking.weights else None,
        "weights_by": ranking.weights_by,
        "assumption": ranking.assumption,
        "rows": [
            {
                "rank": r.rank,
                "unit": r.unit,
                "role": r.role,
                "name": r.name,
                "scores": {d: num(v) for d, v in r.scores.items()},
                "total": num(r.total),
                "missing": list(r.missing),
                "evaluated": r.evaluated,
            }
            for r in ranking.rows
        ],
        "notes": list(ranking.notes),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
