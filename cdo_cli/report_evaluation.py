"""The report's section on the evaluation of officers: which year, and the ranking.

The ranking is :func:`evaluation_rank.ranking_for_roster` on the rosters as the report
merges them, so the page and the Word file rank exactly as ``cdo evaluation rank`` does
on the same roster: the weights only if the bureau supplied them (else the plain sum,
said to be assumed), ties sharing a rank, officers without scores listed, not ranked.
This module only chooses the year: the one asked for, else the latest year with scores
that is not after the report's day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .evaluation_rank import Ranking
    from .outlines import Weights
    from .roster_loading import LoadedRoster

# How a clerk gets scores into the roster (the sheets come from cdo render 评价表).
IMPORT_HINT = "cdo import 评价表/*.docx --write"


@dataclass(frozen=True)
class EvaluationReport:
    """One evaluation of the scheme: the year ranked and its ranking.

    ``ranking`` is None when the roster holds no scores for that year (``year`` given),
    or none at all up to the report's day (``year`` None); ``later`` are the years with
    scores after that day, left out of the default choice.
    """

    evaluation: str  # the id
    name: str  # 首席数据官履职情况评价
    evaluator: str | None
    year: int | None
    ranking: Ranking | None
    later: tuple[int, ...] = ()

    @property
    def ranked(self) -> int:
        """Officers given a rank."""
        return sum(r.rank is not None for r in self.ranking.rows) if self.ranking else 0

    @property
    def heading(self) -> str:
        """The section's title with the year ranked: 首席数据官履职情况评价（2022年度）."""
        return self.name + (f"（{self.year}年度）" if self.year is not None else "")

    @property
    def empty_text(self) -> str:
        """What the section says when there is nothing to rank, and how to import scores."""
        if self.year is not None:
            said = f"名册中没有{self.year}年度{self.name}的评分记录。"
        else:
            later = "、".join(str(y) for y in self.later)
            after = f"（{later} 年度的评分晚于统计日，未列入）" if later else ""
            said = f"名册中没有{self.name}的评分记录{after}。"
        return f"{said}评价表填写后，用 {IMPORT_HINT} 导入得分，再生成报告。"


def compute_evaluations(
    roster: LoadedRoster,
    as_of: dt.date,
    year: int | None = None,
    weights: Mapping[str, Weights] | None = None,
) -> list[EvaluationReport]:
    """Each evaluation of the roster's scheme, ranked for ``year`` (default: the latest
    year with scores, not after ``as_of``), with the bureau's ``weights`` by evaluation
    id where supplied. ``roster`` is the report's rosters merged into one."""
    from .evaluation_rank import ranking_for_roster

    out: list[EvaluationReport] = []
    for evaluation in roster.scheme.evaluations:
        years = sorted(
            {
                r.year
                for _key, entry in roster.entries.values()
                for r in entry.evaluations
                if r.evaluation == evaluation.id
            }
        )
        chosen = year
        if chosen is None:
            chosen = max((y for y in years if y <= as_of.year), default=None)
        ranking = None
        if chosen is not None and chosen in years:
            given = (weights or {}).get(evaluation.id)
            ranking = ranking_for_roster(roster, evaluation, chosen, given)
        out.append(
            EvaluationReport(
                evaluation=evaluation.id,
                name=evaluation.name,
                evaluator=evaluation.evaluator,
                year=chosen,
                ranking=ranking,
                later=tuple(y for y in years if y > as_of.year) if year is None else (),
            )
        )
    return out
