"""What a scheme asks officers to write and how the bureau judges them: report outlines
and evaluation sheets, as the document words them.

A report outline (``reports:`` in a scheme file) is a report the document requires,
such as Puning's 年度述职报告: who writes it, the areas it covers and the headings it
must have, each quoted from the document. An evaluation (``evaluations:``) is the
bureau's judgement of its officers, such as Huizhou's 评价: whom it judges and on what
dimensions. ``cdo render`` makes a skeleton report or a blank evaluation sheet of each;
nothing here adds a heading, a weight or a scale the document does not give.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import Field, model_validator

from .policy import Clause, Id, Selector, Strict, Text

if TYPE_CHECKING:
    from .findings import Finding
    from .policy import Role, Scheme, Unit

# A report has a handful of headings and areas; a sheet a dozen dimensions at most.
MAX_ITEMS = 30
# Weights are points or percentages: 0, or from MIN_WEIGHT to MAX_WEIGHT (a document's
# own, and a bureau's in a weights file). Beyond them a weight prints as a page of digits.
MAX_WEIGHT = Decimal(1_000_000)
MIN_WEIGHT = Decimal("0.000001")


def weight_in_range(value: Decimal) -> bool:
    """True for 0 and for a weight from MIN_WEIGHT to MAX_WEIGHT."""
    return value.is_finite() and (value == 0 or MIN_WEIGHT <= value <= MAX_WEIGHT)


_SPACE = re.compile(r"\s+")


def _in_quote(text: str, clause: Clause) -> bool:
    """True when ``text`` is a verbatim part of its quote (white space aside)."""
    return _SPACE.sub("", text) in _SPACE.sub("", clause.quote)


class _Quoted(Strict):
    """An item the document names: its words, and the clause they are taken from."""

    text: Text = Field(description="照录原文的文字（须是 source.quote 的一部分）。")
    source: Clause

    @model_validator(mode="after")
    def _verbatim(self) -> _Quoted:
        if not self.source.quote.startswith("TODO") and not _in_quote(self.text, self.source):
            raise ValueError(
                f"“{self.text}”不在其 source.quote 中：标题、领域和评价内容须照录原文，"
                "quote 引用包含它的原文"
            )
        return self


class Area(_Quoted):
    """A field of work a report covers (数据采集汇聚, 数据安全保护, …)."""


class Heading(_Quoted):
    """A part a report must have (工作成效, 存在问题, …)."""

    by_area: bool = Field(
        True,
        description="true：本节下按 areas 逐项列出小标题；false：本节不分领域。",
    )


class ReportOutline(Strict):
    """A report the document requires of officers, with its areas and headings."""

    id: Id
    name: Text = Field(description="文件对这份报告的称呼，如“年度述职报告”（cdo render 可用）。")
    aliases: list[Text] = Field(
        default_factory=list, description="cdo render 也接受的其他名称，如“述职报告”。"
    )
    author: Text = Field(
        "首席数据官", description="报告标题中报告人的称谓：单位 + 称谓 + 年度 + 名称。"
    )
    written_by: list[Id] = Field(min_length=1, description="写这份报告的职位 id。")
    obligation: Id | None = Field(
        None, description="对应的报送事项 id；写了则只有承担该事项的单位写这份报告。"
    )
    areas: list[Area] = Field(
        default_factory=list, max_length=MAX_ITEMS, description="报告围绕的领域（照录原文）。"
    )
    headings: list[Heading] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        description="报告须有的部分（照录原文）；文件未规定时不写，并在 notes 中说明。",
    )
    notes: list[str] = Field(default_factory=list, description="文件未说明之处、推定及其理由。")
    source: Clause

    @model_validator(mode="after")
    def _something(self) -> ReportOutline:
        if not self.areas and not self.headings:
            raise ValueError("述职报告须至少写 areas（领域）或 headings（标题）之一")
        return self


class Dimension(_Quoted):
    """One thing the bureau judges an officer on (数字政府建设, 日常管理, …)."""


class DocumentWeights(Strict):
    """Weights the document itself gives its dimensions (Huizhou's gives none)."""

    values: dict[Text, float] = Field(description="评价内容（照录）→ 权重。")
    source: Clause

    @model_validator(mode="after")
    def _in_range(self) -> DocumentWeights:
        for text, value in self.values.items():
            if not weight_in_range(Decimal(str(value))):
                raise ValueError(
                    f"“{text}”的权重 {value} 超出范围：应为 0，或 {MIN_WEIGHT} 至 {MAX_WEIGHT:,} 之间的数"
                )
        return self


class Evaluation(Strict):
    """How the bureau evaluates officers: whom, on what, by whom; weights only if given."""

    id: Id
    name: Text = Field(description="文件对这项评价的称呼，如“首席数据官履职情况评价”。")
    title: Text = Field(description="评价表的标题，如“惠州市首席数据官履职情况评价表”。")
    aliases: list[Text] = Field(
        default_factory=list, description="cdo render 也接受的其他名称，如“评价表”。"
    )
    evaluator: Text | None = Field(None, description="评价单位；文件未规定为空。")
    evaluates: list[Id] = Field(min_length=1, description="被评价的职位 id。")
    units: Selector | None = Field(
        None, description="被评价的单位；不写即设有 evaluates 所列职位的全部单位。"
    )
    dimensions: list[Dimension] = Field(min_length=1, max_length=MAX_ITEMS)
    weights: DocumentWeights | None = Field(
        None,
        description="文件规定的各项权重；文件未规定时写 null，cdo 不推定"
        "（评价单位自定的权重用 cdo render --weights 提供）。",
    )
    scale: str | None = Field(
        None, description="文件规定的评分标准或分值，照录；文件未规定时写 null。"
    )
    notes: list[str] = Field(default_factory=list, description="文件未说明之处、推定及其理由。")
    source: Clause

    @model_validator(mode="after")
    def _weights_match(self) -> Evaluation:
        texts = [d.text for d in self.dimensions]
        if len(set(texts)) != len(texts):
            raise ValueError("评价内容（dimensions）有重复")
        if self.weights is not None and set(self.weights.values) != set(texts):
            raise ValueError("weights.values 须为每项评价内容各写一个权重，且只写这些")
        return self


# ---------------------------------------------------------------- who writes, who is judged


def outlines_of(scheme: Scheme) -> list[ReportOutline | Evaluation]:
    """The scheme's reports, then its evaluations."""
    return [*scheme.reports, *scheme.evaluations]


def roles_units(scheme: Scheme, role_ids: list[str]) -> list[tuple[Unit, Role]]:
    """Each unit with the first of ``role_ids`` it has, in the scheme's order.

    A role's own scope is the document's; later stages a scheme assumes (``expands``,
    such as Huizhou's 全面推行) do not bring more units into a report or an evaluation
    that the document sets for the first scope (试点县（区）、部门首席数据官).
    """
    roles = [r for r in (scheme.role(i) for i in role_ids) if r is not None]
    out: list[tuple[Unit, Role]] = []
    for unit in scheme.units:
        role = next((r for r in roles if r.applies_to.matches(unit)), None)
        if role is not None:
            out.append((unit, role))
    return out


def report_units(scheme: Scheme, outline: ReportOutline) -> list[tuple[Unit, Role]]:
    """The units that write ``outline`` (with the role that writes it there)."""
    found = roles_units(scheme, outline.written_by)
    ob = scheme.obligation(outline.obligation) if outline.obligation else None
    return [(u, r) for u, r in found if ob is None or ob.owed_by.matches(u)]


def evaluated_units(scheme: Scheme, evaluation: Evaluation) -> list[tuple[Unit, Role]]:
    """The units whose officers ``evaluation`` judges (with the role judged there)."""
    found = roles_units(scheme, evaluation.evaluates)
    selector = evaluation.units
    return [(u, r) for u, r in found if selector is None or selector.matches(u)]


# ---------------------------------------------------------------- checks


def check_outlines(scheme: Scheme) -> list[Finding]:
    """Reports and evaluations naming roles or duties the scheme lacks, or clashing names."""
    from collections import Counter

    from .findings import error
    from .suggest import did_you_mean

    out: list[Finding] = []
    role_ids = {r.id for r in scheme.roles}
    obligation_ids = {o.id for o in scheme.obligations}

    def roles(ids: list[str], path: tuple[str | int, ...]) -> None:
        for j, role_id in enumerate(ids):
            if role_id not in role_ids:
                message = f"职位“{role_id}”未在 roles 中定义"
                hint = did_you_mean(role_id, role_ids)
                out.append(error("role-unknown", message, (*path, j), hint))

    for i, report in enumerate(scheme.reports):
        roles(report.written_by, ("reports", i, "written_by"))
        if report.obligation is not None and report.obligation not in obligation_ids:
            out.append(
                error(
                    "obligation-unknown",
                    f"事项“{report.obligation}”未定义",
                    ("reports", i, "obligation"),
                    did_you_mean(report.obligation, obligation_ids),
                )
            )
    for i, evaluation in enumerate(scheme.evaluations):
        roles(evaluation.evaluates, ("evaluations", i, "evaluates"))
    # ``cdo render NAME`` finds a form, report or sheet by any of its names: one each.
    names: list[tuple[str, tuple[str | int, ...]]] = []
    for i, f in enumerate(scheme.forms):
        names += [(f.id, ("forms", i, "id")), (f.label, ("forms", i, "label"))]
    keyed: list[tuple[str, int, ReportOutline | Evaluation]]
    keyed = [("reports", i, r) for i, r in enumerate(scheme.reports)]
    keyed += [("evaluations", i, e) for i, e in enumerate(scheme.evaluations)]
    for key, i, item in keyed:
        names += [(item.id, (key, i, "id")), (item.name, (key, i, "name"))]
        names += [(a, (key, i, "aliases", j)) for j, a in enumerate(item.aliases)]
    counts = Counter(n for n, _ in names)
    seen: set[str] = set()
    for name, path in names:
        if counts[name] > 1 and name in seen:
            out.append(error("id-duplicate", f"名称“{name}”已用于另一份附件、报告或评价表", path))
        seen.add(name)
    return out
