"""What ``cdo report`` shows, as plain numbers and lists: :func:`compute_report`.

Nothing here decides a status of its own. Completeness is
:func:`roster_coverage.unit_states` (what ``cdo validate`` summarises and warns about),
each duty's standing is :func:`overdue.compute_status` on the rosters as ``cdo overdue``
merges them, with its default window, and the counts of findings are those ``cdo validate``
prints for each file. This module only groups and counts them, so the page and the Word
document can never disagree with the two commands on the same rosters and day.

Several rosters of one scheme (one per county, say) make one report, as they make one
check in ``cdo validate`` and one list in ``cdo overdue``. Where the scheme's units name
parents, completeness per parent is :func:`roster_coverage.summary_by_parent` (validate's
``summary_by_parent``) and the overdue duties are the same items, counted per parent.
The evaluation's ranking is :mod:`cdo_cli.report_evaluation`'s.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .errors import UsageError
from .findings import Finding, Severity
from .overdue import Item, Status, compute_status, merged
from .policy import KIND_LABELS, Scheme, UnitKind

if TYPE_CHECKING:
    from .outlines import Weights
    from .report_evaluation import EvaluationReport
    from .roster_coverage import UnitState
    from .roster_loading import LoadedRoster

# ``cdo overdue``'s default: a duty due within this many days is "即将到期".
WITHIN = 14
# The chart of overdue items by unit shows this many units; the rest make one bar.
TOP_UNITS = 20

STATES = ("complete", "incomplete", "missing")
STATE_LABELS = {"complete": "完整", "incomplete": "不完整", "missing": "缺失"}
# The order the report lists statuses in (a deadline's stacked bar, the totals); a filing
# the document sets no date for is filed or not (not_filed), never overdue.
STATUS_ORDER = (Status.filed, Status.filed_late, Status.overdue, Status.due_soon, Status.not_due)
TOTAL_ORDER = (*STATUS_ORDER, Status.not_filed)
CATEGORY_LABELS = {"officer": "首席数据官", "contact": "工作联系人", "support": "支撑团队、专员"}


@dataclass(frozen=True)
class RosterSummary:
    """One roster file the report is built from, and what ``cdo validate`` found in it."""

    name: str
    errors: int
    warnings: int


@dataclass(frozen=True)
class KindCoverage:
    """Appointments in one kind of unit: how many units are complete, incomplete, missing."""

    kind: str  # the Chinese label, as validate's summary has it
    complete: int
    incomplete: int
    missing: int

    @property
    def total(self) -> int:
        """Units of this kind that must have some post."""
        return self.complete + self.incomplete + self.missing


@dataclass(frozen=True)
class UnitOverdue:
    """Overdue duties of one unit (or, with ``others`` > 0, of the units not shown)."""

    unit: str
    overdue: int
    worst_days: int
    others: int = 0


@dataclass(frozen=True)
class Deadline:
    """One deadline of the scheme (a duty, for one period), and where its units stand."""

    obligation: str
    title: str
    period: int | None
    due: dt.date
    due_text: str
    assumed: bool  # the date is assumed (the scheme says why)
    owner_assumed: bool  # who owes it is assumed
    owed_to: str | None
    recipient_assumed: bool  # whom it goes to is assumed
    counts: dict[str, int]  # status value -> units

    @property
    def units(self) -> int:
        """Units that owe it."""
        return sum(self.counts.values())

    @property
    def label(self) -> str:
        """The title with its period: 部门首席数据官年度述职报告（2023年度）."""
        return self.title + (f"（{self.period}年度）" if self.period is not None else "")

    @property
    def state(self) -> str:
        """The worst standing among its units: overdue, due_soon, not_due or filed."""
        for status in (Status.overdue, Status.due_soon, Status.not_due):
            if self.counts.get(status.value):
                return str(status.value)
        return str(Status.filed.value)


@dataclass(frozen=True)
class UndatedFiling:
    """A filing the document sets no date for: how many owing units have filed it."""

    obligation: str
    title: str
    owner_assumed: bool
    owed_to: str | None
    recipient_assumed: bool
    filed: int
    not_filed: int


@dataclass(frozen=True)
class MissingPosts:
    """A unit that lacks required posts of one category, and which."""

    unit: str
    kind: str
    in_roster: bool  # False: the roster has no entry for the unit at all
    roles: tuple[str, ...]


@dataclass(frozen=True)
class ParentRollup:
    """The units under one parent (a city, a county), at any depth: how many are complete,
    incomplete, missing (as validate's ``summary_by_parent``), and the overdue duties of
    the parent itself and of the units under it."""

    parent: str
    kind: str
    complete: int
    incomplete: int
    missing: int
    overdue_own: int  # the parent's own overdue duties
    overdue_below: int  # those of the units under it, at any depth

    @property
    def total(self) -> int:
        """Units under the parent that must have some post."""
        return self.complete + self.incomplete + self.missing


@dataclass(frozen=True)
class MinimumShort:
    """A member that lists fewer units than the document asks it to choose: validate's
    ``minimum-not-met`` warning, in the file it was reported in."""

    file: str
    message: str
    basis: str | None


@dataclass(frozen=True)
class ItemRow:
    """One duty of one unit, for the lists a clerk acts on."""

    unit: str
    obligation: str
    title: str
    period: int | None
    due: dt.date
    assumed: bool
    owner_assumed: bool
    days_overdue: int
    days_left: int
    owed_to: str | None
    recipient_assumed: bool

    @property
    def label(self) -> str:
        """The title with its period."""
        return self.title + (f"（{self.period}年度）" if self.period is not None else "")


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, computed once for both the page and the Word file."""

    scheme: str
    city: str
    title: str
    doc_number: str | None
    issuer: str
    issued: dt.date | None  # None: the document does not say
    authority: str
    as_of: dt.date
    within: int
    rosters: list[RosterSummary]
    coverage: list[KindCoverage]
    by_unit: list[UnitOverdue]
    deadlines: list[Deadline]
    undated_filings: list[UndatedFiling]
    totals: dict[str, int]  # status value -> items
    overdue: list[ItemRow]
    due_soon: list[ItemRow]
    missing: dict[str, list[MissingPosts]]  # role category -> units
    categories: list[str]  # the categories the scheme has required posts of
    undated: list[str]  # work without a date that is no filing (持续推进): no status
    assumptions: list[str] = field(default_factory=list)
    parents: list[ParentRollup] = field(default_factory=list)  # none: no unit names a parent
    minimums: list[MinimumShort] = field(default_factory=list)
    has_minimums: bool = False  # the scheme asks members to choose at least so many units
    evaluations: list[EvaluationReport] = field(default_factory=list)
    # The lists and the deadline charts are cut for a meeting, not for a province's whole
    # calendar (the full lists: cdo overdue): how many there are in all, how many not shown.
    overdue_count: int = 0
    due_soon_count: int = 0
    units_overdue: int = 0
    deadlines_hidden: int = 0

    @property
    def overdue_cut(self) -> str:
        """What the overdue list leaves out and where the rest is ('' when nothing)."""
        return _cut("逾期最久的", len(self.overdue), self.overdue_count, self.as_of)

    @property
    def due_soon_cut(self) -> str:
        """What the due-soon list leaves out and where the rest is ('' when nothing)."""
        return _cut("最先到期的", len(self.due_soon), self.due_soon_count, self.as_of)

    @property
    def units_in_scope(self) -> int:
        """Units that must have some post."""
        return sum(c.total for c in self.coverage)

    @property
    def complete(self) -> int:
        """Units with every required post filled."""
        return sum(c.complete for c in self.coverage)


def cn_date(day: dt.date) -> str:
    """A date as Chinese documents write it: 2023年11月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def compute_report(
    rosters: Sequence[tuple[LoadedRoster, list[Finding]]],
    as_of: dt.date,
    within: int = WITHIN,
    *,
    year: int | None = None,
    weights: Mapping[str, Weights] | None = None,
) -> ReportData:
    """The report on ``rosters`` (of one scheme, each with the findings ``cdo validate``
    reports in that file) as of a day. UsageError if they belong to different schemes.

    The evaluations are ranked for ``year`` (default: the latest with scores, not after
    ``as_of``), with the bureau's ``weights`` by evaluation id where it supplied them.
    """
    from .report_evaluation import compute_evaluations
    from .roster_coverage import summary_by_parent, unit_states

    if not rosters:
        raise UsageError("没有名册，无法生成报告", hint="指定名册文件，如 cdo report roster.yaml。")
    first = rosters[0][0]
    scheme = first.scheme
    for loaded, _ in rosters[1:]:
        if loaded.scheme.id != scheme.id:
            raise UsageError(
                f"名册 {loaded.name} 属于方案 {loaded.scheme.id}（{loaded.scheme.city}），"
                f"与 {first.name} 的方案 {scheme.id}（{scheme.city}）不同",
                hint="一份报告只含一个方案：请分别为每个方案生成报告。",
            )
    files = [loaded for loaded, _ in rosters]
    states = unit_states(files, as_of)
    together = merged(files)
    items = compute_status([(scheme, together)], as_of, within)
    overdue = [i for i in items if i.status is Status.overdue]
    due_soon = [i for i in items if i.status is Status.due_soon]
    deadlines = _deadlines([i for i in items if i.due is not None])
    shown_deadlines = _nearest(deadlines, as_of, DEADLINES_SHOWN)
    return ReportData(
        scheme=scheme.id,
        city=scheme.city,
        title=scheme.document.title,
        doc_number=scheme.document.doc_number,
        issuer=scheme.document.issuer,
        issued=scheme.document.issued,
        authority=scheme.authority,
        as_of=as_of,
        within=within,
        rosters=[_summary(loaded, findings) for loaded, findings in rosters],
        coverage=_coverage(states),
        by_unit=_by_unit(items),
        deadlines=shown_deadlines,
        undated_filings=_undated_filings([i for i in items if i.due is None]),
        totals={s.value: n for s, n in _count(items).items()},
        overdue=_rows(overdue, "overdue", scheme, LIST_SHOWN),
        due_soon=_rows(due_soon, "due", scheme, LIST_SHOWN),
        missing=_missing(scheme, states),
        categories=[
            c for c in CATEGORY_LABELS if any(r.required and r.category == c for r in scheme.roles)
        ],
        undated=[
            o.title
            for o in scheme.obligations
            if o.due is None and o.id not in {i.obligation for i in items}
        ],
        assumptions=_assumptions(items),
        parents=_parents(scheme, summary_by_parent(files, as_of), items),
        minimums=[
            MinimumShort(f.file or loaded.name, f.message, f.hint)
            for loaded, findings in rosters
            # as validate lists them: by file, then line
            for f in sorted(findings, key=lambda f: (f.line or 0, f.column or 0))
            if f.code == "minimum-not-met"
        ],
        has_minimums=bool(scheme.minimums),
        evaluations=compute_evaluations(together, as_of, year, weights),
        overdue_count=len(overdue),
        due_soon_count=len(due_soon),
        units_overdue=len({i.unit for i in overdue}),
        deadlines_hidden=len(deadlines) - len(shown_deadlines),
    )


def _cut(which: str, shown: int, total: int, as_of: dt.date) -> str:
    if total <= shown:
        return ""
    return (
        f"以下为{which} {shown} 项；全部 {total} 项见 "
        f"cdo overdue --as-of {as_of.isoformat()} --format csv。"
    )


# At most this many rows in each of the clerk's lists (the longest overdue, the soonest
# due first) and this many deadlines in the charts (those nearest the as-of day).
LIST_SHOWN = 500
DEADLINES_SHOWN = 40


def _nearest(deadlines: list[Deadline], as_of: dt.date, most: int) -> list[Deadline]:
    """The ``most`` deadlines nearest ``as_of``, in their own order."""
    if len(deadlines) <= most:
        return deadlines
    near = sorted(range(len(deadlines)), key=lambda n: (abs((deadlines[n].due - as_of).days), n))
    return [deadlines[n] for n in sorted(near[:most])]


def _summary(loaded: LoadedRoster, findings: list[Finding]) -> RosterSummary:
    errors = sum(f.severity is Severity.error for f in findings)
    return RosterSummary(loaded.name, errors, len(findings) - errors)


def _coverage(states: list[UnitState]) -> list[KindCoverage]:
    """Per unit kind, in the scheme model's order of kinds (as validate's summary)."""
    counts: dict[UnitKind, Counter[str]] = {}
    for state in states:
        counts.setdefault(state.unit.kind, Counter())[state.state] += 1
    return [
        KindCoverage(KIND_LABELS[kind], *(counts[kind][s] for s in STATES))
        for kind in UnitKind
        if kind in counts
    ]


def _count(items: list[Item]) -> dict[Status, int]:
    found = Counter(i.status for i in items)
    return {s: found[s] for s in TOTAL_ORDER}


def _by_unit(items: list[Item]) -> list[UnitOverdue]:
    """Units with overdue duties, most first (then the longest overdue, then scheme order)."""
    count: Counter[str] = Counter()
    worst: dict[str, int] = {}
    order: dict[str, int] = {}
    for i in items:
        order.setdefault(i.unit, len(order))
        if i.status is Status.overdue:
            count[i.unit] += 1
            worst[i.unit] = max(worst.get(i.unit, 0), i.days_overdue)
    ranked = sorted(count, key=lambda u: (-count[u], -worst[u], order[u]))
    shown = [UnitOverdue(u, count[u], worst[u]) for u in ranked[:TOP_UNITS]]
    rest = ranked[TOP_UNITS:]
    if rest:
        total = sum(count[u] for u in rest)
        shown.append(UnitOverdue("其余单位", total, max(worst[u] for u in rest), len(rest)))
    return shown


def _parents(
    scheme: Scheme, by_parent: dict[str, dict[str, int]], items: list[Item]
) -> list[ParentRollup]:
    """Per parent, in the scheme's order: validate's counts of the units under it, and
    the overdue items of the parent and of the units under it. A parent appears when
    some unit under it must have a post or when something of its is overdue."""
    index = scheme.unit_index()
    # A parent may be named by an alias; the unit it names is the parent.
    parents = {index[u.parent].name for u in scheme.units if u.parent and u.parent in index}
    if not parents:
        return []
    own: Counter[str] = Counter()
    below: Counter[str] = Counter()
    for i in items:
        if i.status is not Status.overdue:
            continue
        unit = index.get(i.unit)
        own[i.unit] += 1
        for parent in scheme.ancestors(unit, index) if unit is not None else []:
            below[parent.name] += 1
    empty = {"complete": 0, "incomplete": 0, "missing": 0}
    return [
        ParentRollup(
            parent=u.name,
            kind=KIND_LABELS[u.kind],
            complete=by_parent.get(u.name, empty)["complete"],
            incomplete=by_parent.get(u.name, empty)["incomplete"],
            missing=by_parent.get(u.name, empty)["missing"],
            overdue_own=own[u.name],
            overdue_below=below[u.name],
        )
        for u in scheme.units
        if u.name in parents and (u.name in by_parent or own[u.name] or below[u.name])
    ]


def _deadlines(items: list[Item]) -> list[Deadline]:
    """One row per dated duty and period, in overdue's order (by due date, then the scheme's)."""
    rows: dict[tuple[str, int | None], list[Item]] = {}
    for i in items:
        rows.setdefault((i.obligation, i.period), []).append(i)
    out: list[Deadline] = []
    for group in rows.values():
        i = group[0]
        assert i.due is not None
        counts = Counter(x.status for x in group)
        out.append(
            Deadline(
                obligation=i.obligation,
                title=i.title,
                period=i.period,
                due=i.due,
                due_text=i.due_text,
                assumed=i.assumed,
                owner_assumed=i.owner_assumed,
                owed_to=i.owed_to,
                recipient_assumed=i.recipient_assumed,
                counts={s.value: counts[s] for s in STATUS_ORDER},
            )
        )
    return out


def _undated_filings(items: list[Item]) -> list[UndatedFiling]:
    """One row per filing without a date: its units filed and not yet filed."""
    rows: dict[str, list[Item]] = {}
    for i in items:
        rows.setdefault(i.obligation, []).append(i)
    return [
        UndatedFiling(
            obligation=i.obligation,
            title=i.title,
            owner_assumed=i.owner_assumed,
            owed_to=i.owed_to,
            recipient_assumed=i.recipient_assumed,
            filed=sum(x.status is Status.filed for x in group),
            not_filed=sum(x.status is Status.not_filed for x in group),
        )
        for group in rows.values()
        for i in group[:1]
    ]


def _rows(items: list[Item], key: str, scheme: Scheme, most: int) -> list[ItemRow]:
    """The first ``most`` items as list rows: overdue ones longest overdue first, others
    soonest due first."""
    unit_order = {u.name: n for n, u in enumerate(scheme.units)}
    # Overdue and due-soon items all have a date; the pair keeps that known to the types.
    dated = [(i, i.due) for i in items if i.due is not None]
    if key == "overdue":
        dated.sort(key=lambda pair: (-pair[0].days_overdue, unit_order[pair[0].unit]))
    else:
        dated.sort(key=lambda pair: (pair[1], unit_order[pair[0].unit]))
    return [
        ItemRow(
            unit=i.unit,
            obligation=i.obligation,
            title=i.title,
            period=i.period,
            due=due,
            assumed=i.assumed,
            owner_assumed=i.owner_assumed,
            days_overdue=i.days_overdue,
            days_left=i.days_left,
            owed_to=i.owed_to,
            recipient_assumed=i.recipient_assumed,
        )
        for i, due in dated[:most]
    ]


def _missing(scheme: Scheme, states: list[UnitState]) -> dict[str, list[MissingPosts]]:
    """For each category of post, the units lacking a required one (validate's warnings)."""
    out: dict[str, list[MissingPosts]] = {c: [] for c in CATEGORY_LABELS}
    order = {u.name: n for n, u in enumerate(scheme.units)}
    for state in sorted(states, key=lambda s: order[s.unit.name]):
        for category in CATEGORY_LABELS:
            roles = tuple(r.name for r in state.missing_roles if r.category == category)
            # Posts that turn on an attribute the roster has not stated, as validate says.
            roles += tuple(
                f"{r.name}（视单位属性而定）" for r in state.undecided if r.category == category
            )
            if roles:
                out[category].append(
                    MissingPosts(
                        state.unit.name,
                        KIND_LABELS[state.unit.kind],
                        state.state != "missing",
                        roles,
                    )
                )
    return out


def _assumptions(items: list[Item]) -> list[str]:
    """Why dates, owners and recipients are assumed, each duty's reasons once, in the
    order the report lists the duties."""
    out: list[str] = []
    duties: set[tuple[str, str]] = set()  # a duty's items all carry its reasons: one will do
    for i in items:
        if (i.scheme, i.obligation) in duties:
            continue
        duties.add((i.scheme, i.obligation))
        for assumed, what, why in (
            (i.assumed, "期限", i.assumption),
            (i.owner_assumed, "承担单位", i.owner_assumption),
            (i.recipient_assumed, "报送对象", i.recipient_assumption),
        ):
            note = f"{i.title}：{what}为推定。{why}"
            if assumed and why and note not in out:
                out.append(note)
    return out
