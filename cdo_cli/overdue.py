"""Which filings are late, by whom, by how many days: the core of ``cdo overdue``.

:func:`compute_status` is pure: schemes (each with its roster or None) and a date in,
one :class:`Item` per obligation, owing unit and period out. :func:`build_report`
adds what the command needs around it: choosing the schemes in
play, picking one unit, and leaving out what is not yet due.

Rules, as the issue states them:

- Deadlines are inclusive: due 2023-10-30 is on time that whole day and one day
  overdue on 10-31. A duty due on the as-of date itself is ``due_soon``.
- A filing counts when its obligation id matches and, for a recurring obligation, its
  ``period``. A filing of a recurring obligation that gives no period counts for the
  period whose due date is the first on or after the filing date (filed 2024-01-05
  for a duty due every 12-31: the 2024 period). Among matching filings the earliest
  counts. A filing dated after the as-of date has not happened yet as of that date.
- Obligations without a date produce no items: they are never overdue.

Limits: the as-of date lies in 1900-01-01..2200-12-31 and ``within`` in 0..3660 days
(:func:`check_horizon`); periods stop at 2200, the last year a scheme can name. So a
duty has at most 301 periods and no date sum can overflow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING, Any, NamedTuple

from .errors import UsageError
from .gc_pause import gc_paused
from .lookup import find_units
from .policy import FIRST_YEAR, LAST_YEAR, Due, Obligation, Scheme, Unit
from .roster import Filing

if TYPE_CHECKING:
    from .policy_loading import Registry
    from .roster_loading import LoadedRoster


class Status(str, Enum):
    """Where one duty stands on the as-of date."""

    overdue = "overdue"
    due_soon = "due_soon"
    filed = "filed"
    filed_late = "filed_late"
    not_due = "not_due"
    not_filed = "not_filed"  # a filing the document sets no date for, not yet filed


class Item(NamedTuple):
    """One duty of one unit for one period, and where it stands.

    The fields, in this order, are the JSON contract of ``cdo overdue --format json``
    (documented in the README's JSON section): add fields at the end, never rename. A
    named tuple, not a dataclass: a report at the far end of the calendar has hundreds of
    thousands of items, and a tuple is made in a third of the time and memory.
    """

    scheme: str
    city: str
    unit: str
    obligation: str
    title: str
    period: int | None
    role: str | None
    role_name: str | None
    due: dt.date | None  # None: the document sets no date (listed with --all only)
    due_text: str
    assumed: bool
    assumption: str | None
    status: Status
    days_overdue: int
    days_left: int
    filed_on: dt.date | None
    days_late: int
    owed_to: str | None
    owner_assumed: bool = False
    owner_assumption: str | None = None
    recipient_assumed: bool = False
    recipient_assumption: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as YYYY-MM-DD, the status as its name."""
        data = self._asdict()
        data["due"] = self.due.isoformat() if self.due else None
        data["filed_on"] = self.filed_on.isoformat() if self.filed_on else None
        data["status"] = self.status.value
        return data


FIELDS: list[str] = list(Item._fields)
_make = Item._make  # an Item from a tuple of its fields in order (no keyword binding)
NO_DUE = "文件未规定期限"  # due_text of a filing whose document gives no date, nor words for it

AS_OF_MIN = dt.date(FIRST_YEAR, 1, 1)
AS_OF_MAX = dt.date(LAST_YEAR, 12, 31)
WITHIN_MAX = 3660  # ten years of days


def check_horizon(as_of: dt.date, within: int) -> dt.date:
    """``as_of + within`` days, after refusing an as-of date or a ``within`` out of range."""
    if not AS_OF_MIN <= as_of <= AS_OF_MAX:
        raise UsageError(
            f"--as-of 超出范围：{as_of.isoformat()}（应在 {AS_OF_MIN} 至 {AS_OF_MAX} 之间）",
            hint=f"方案的期限只能在 {FIRST_YEAR}—{LAST_YEAR} 年之间，例如 --as-of 2023-11-01",
        )
    if not 0 <= within <= WITHIN_MAX:
        raise UsageError(
            f"--within 超出范围：{within}（应为 0 至 {WITHIN_MAX} 之间的天数）",
            hint="--within 是多少天内到期算“即将到期”，默认 14；要列出全部未到期事项请用 --all。",
        )
    return as_of + dt.timedelta(days=within)


def filing_period(due: Due, filed: dt.date) -> int | None:
    """The period a recurring filing without ``period`` counts for (None: none fits).

    The first period whose due date is on or after the filing date.
    """
    assert due.month and due.day and due.first_period
    year = filed.year if due.in_year(filed.year) >= filed else filed.year + 1
    year = max(year, due.first_period)
    if due.last_period is not None and year > due.last_period:
        return None
    return year


def _first_filings(
    filings: Sequence[Filing], obligation: Obligation, as_of: dt.date
) -> dict[int | None, dt.date]:
    """The earliest filing date, on or before ``as_of``, for each period of one duty.

    The key is the period the filing counts for (None for a one-off duty). Built once
    per unit and duty, so each period then costs one look-up.
    """
    assert obligation.due is not None
    due = obligation.due
    first: dict[int | None, dt.date] = {}
    for f in filings:
        if f.obligation != obligation.id or f.date > as_of:
            continue
        period = None
        if due.every is not None:
            period = f.period if f.period is not None else filing_period(due, f.date)
            if period is None:
                continue
        if period not in first or f.date < first[period]:
            first[period] = f.date
    return first


def compute_status(
    schemes: Sequence[tuple[Scheme, LoadedRoster | None]], as_of: dt.date, within: int
) -> list[Item]:
    """Every dated duty of every owing unit, each period up to ``as_of + within``'s year,
    then every filing the document sets no date for (``due`` None: 已报送 or 未报送).

    A scheme paired with None has no filings: everything due is unfiled. Items are
    sorted by scheme, due date, then the scheme's order of obligations and units; the
    undated ones follow their scheme's dated ones.
    Out-of-range ``as_of`` or ``within`` is a UsageError (:func:`check_horizon`).
    """
    horizon = check_horizon(as_of, within)
    items: list[Item] = []
    with gc_paused():
        for scheme, roster in sorted(schemes, key=lambda pair: pair[0].id):
            items += _scheme_items(scheme, roster, as_of, horizon)
    return items


def _scheme_items(
    scheme: Scheme, roster: LoadedRoster | None, as_of: dt.date, horizon: dt.date
) -> list[Item]:
    """One scheme's items, by due date, then the order of obligations and units."""
    unit_order = {u.name: i for i, u in enumerate(scheme.units)}
    # The sort key as one integer: (due date, obligation, unit) in mixed radix.
    stride = len(scheme.obligations) * len(scheme.units)
    items: list[Item] = []
    keys: list[int] = []
    for o_index, obligation in enumerate(scheme.obligations):
        due = obligation.due
        if due is None:
            continue
        role = scheme.role(obligation.role) if obligation.role else None
        dates = due.dates(horizon)
        unfiled = [_standing(day, None, as_of, horizon) for _, day in dates]
        # Items are built as tuples in Item's field order, from the parts every unit's
        # item for this duty and period shares: a province has 900,000 of them.
        head = (scheme.id, scheme.city)
        parts = [
            (
                obligation.id, obligation.title, period, obligation.role,
                role.name if role else None, day, due.text, due.assumed, due.assumption,
            )
            for period, day in dates
        ]  # fmt: skip
        tail = (
            obligation.owed_to, obligation.owner_assumed, obligation.owner_assumption,
            obligation.recipient_assumed, obligation.recipient_assumption,
        )  # fmt: skip
        for unit in owing_units(scheme, obligation, roster):
            # A unit brought into scope later (Unit.effective) owes what falls due from then.
            spans = unit.effective
            entry = roster.entry(unit) if roster is not None else None
            filed = _first_filings(entry.filings, obligation, as_of) if entry else {}
            rank = o_index * len(scheme.units) + unit_order[unit.name]
            named = (*head, unit.name)
            for (period, day), standing, part in zip(dates, unfiled, parts, strict=True):
                if spans is not None and not spans.contains(day):
                    continue
                filed_on = filed.get(period)
                if filed_on is not None:
                    standing = _standing(day, filed_on, as_of, horizon)
                items.append(_make(named + part + standing + tail))
                keys.append(day.toordinal() * stride + rank)
    order = sorted(range(len(items)), key=keys.__getitem__)
    return [items[i] for i in order] + _undated_items(scheme, roster, as_of)


def owing_units(scheme: Scheme, obligation: Obligation, roster: LoadedRoster | None) -> list[Unit]:
    """The units that owe ``obligation``, in the scheme's order. A duty owed by units with
    an attribute (设有信息中心的部门) is owed where the roster (or else the scheme) states
    it; a unit that has not said is left out, as validate asks it to say. A unit the
    members choose from (a minimum counts it) that no roster lists was not chosen and owes
    nothing, as validate does not call it missing; without a roster nothing is known."""
    selector = obligation.owed_by
    if roster is None:
        return scheme.select(selector)
    owing = []
    for unit in scheme.units:
        entry = roster.entry(unit)
        if entry is None and scheme.minimums and scheme.minimums_choosing(unit):
            continue
        if selector.state(unit, entry.attributes if entry is not None else None) is True:
            owing.append(unit)
    return owing


def _undated_items(scheme: Scheme, roster: LoadedRoster | None, as_of: dt.date) -> list[Item]:
    """The filings the document sets no date for (a 备案, a plan), each owing unit's as
    已报送 or 未报送 on ``as_of`` (none before the scheme was issued): never overdue, since
    no day has passed. Work that is no
    filing (``deliverable: task``, 持续推进) has no status and is left out."""
    items: list[Item] = []
    issued = scheme.document.issued
    if issued is not None and as_of < issued:
        return items  # nothing is owed before the document was issued
    for obligation in scheme.obligations:
        if obligation.due is not None or obligation.deliverable == "task":
            continue
        role = scheme.role(obligation.role) if obligation.role else None
        for unit in owing_units(scheme, obligation, roster):
            if unit.effective is not None and not unit.effective.contains(as_of):
                continue
            entry = roster.entry(unit) if roster is not None else None
            dates = [
                f.date
                for f in (entry.filings if entry else ())
                if f.obligation == obligation.id and f.date <= as_of
            ]
            filed_on = min(dates) if dates else None
            items.append(
                Item(
                    scheme=scheme.id,
                    city=scheme.city,
                    unit=unit.name,
                    obligation=obligation.id,
                    title=obligation.title,
                    period=None,
                    role=obligation.role,
                    role_name=role.name if role else None,
                    due=None,
                    due_text=obligation.due_text or NO_DUE,
                    assumed=False,
                    assumption=None,
                    status=Status.filed if filed_on else Status.not_filed,
                    days_overdue=0,
                    days_left=0,
                    filed_on=filed_on,
                    days_late=0,
                    owed_to=obligation.owed_to,
                    owner_assumed=obligation.owner_assumed,
                    owner_assumption=obligation.owner_assumption,
                    recipient_assumed=obligation.recipient_assumed,
                    recipient_assumption=obligation.recipient_assumption,
                )
            )
    return items


Standing = tuple[Status, int, int, dt.date | None, int]


def _standing(due: dt.date, filed_on: dt.date | None, as_of: dt.date, horizon: dt.date) -> Standing:
    """status, days_overdue, days_left, filed_on and days_late for one duty."""
    days_left = max((due - as_of).days, 0)
    if filed_on is not None:
        late = (filed_on - due).days
        status = Status.filed_late if late > 0 else Status.filed
        return status, 0, 0, filed_on, max(late, 0)
    if due < as_of:
        return Status.overdue, (as_of - due).days, days_left, None, 0
    status = Status.due_soon if due <= horizon else Status.not_due
    return status, 0, days_left, None, 0


@dataclass(frozen=True)
class InPlay:
    """A scheme the report covers, and the roster its filings come from (if any)."""

    scheme: str
    city: str
    roster: str | None


@dataclass(frozen=True)
class Report:
    """What ``cdo overdue`` shows: the items, and the schemes and rosters behind them."""

    as_of: dt.date
    within: int
    show_all: bool
    items: list[Item]
    schemes: list[InPlay]
    notes: list[str] = field(default_factory=list)

    @property
    def any_overdue(self) -> bool:
        """True when at least one item is overdue (``--check`` exits 1)."""
        return any(i.status is Status.overdue for i in self.items)


def merged(rosters: Sequence[LoadedRoster]) -> LoadedRoster:
    """Several rosters of one scheme (one per county, say) as one: every unit's entry, a
    unit's filings gathered from every file that lists it. Named after all the files."""
    from .roster import UnitEntry
    from .roster_loading import LoadedRoster

    if len(rosters) == 1:
        return rosters[0]
    entries: dict[str, tuple[str, UnitEntry]] = {}
    for roster in rosters:
        for name, (key, entry) in roster.entries.items():
            if name in entries:
                key, earlier = entries[name]
                entry = earlier.model_copy(update={"filings": [*earlier.filings, *entry.filings]})
            entries[name] = (key, entry)
    first = rosters[0]
    source = replace(first.source, name="、".join(r.name for r in rosters))
    invalid = frozenset().union(*(r.invalid for r in rosters))
    return LoadedRoster(source, first.roster, first.scheme, entries, invalid)


NO_ROSTER = "未提供名册（--roster），也没有 ./roster.yaml：按全部未报送计算。"


def build_report(
    registry: Registry,
    loaded: Sequence[LoadedRoster],
    scheme_ids: Sequence[str],
    as_of: dt.date,
    *,
    within: int = 14,
    unit: str | None = None,
    show_all: bool = False,
) -> Report:
    """Choose the schemes in play for the rosters given, compute and filter the items.

    ``loaded`` are the valid rosters the CLI read. With rosters and no ``scheme_ids``,
    their schemes are in play; with ``scheme_ids``, those; with neither, every scheme
    that loads. ``notes`` says which schemes have no roster or could not be used.
    """
    check_horizon(as_of, within)
    grouped: dict[str, list[LoadedRoster]] = {}
    for lr in loaded:
        grouped.setdefault(lr.scheme.id, []).append(lr)
    by_scheme = {scheme_id: merged(group) for scheme_id, group in grouped.items()}
    notes: list[str] = []
    if scheme_ids:
        schemes = [registry.get(i) for i in dict.fromkeys(scheme_ids)]
    elif loaded:
        # Each scheme once, however many rosters it has (they were merged above).
        schemes = list({lr.scheme.id: lr.scheme for lr in loaded}.values())
    else:
        schemes, notes = registry.usable()
    picked = find_units(schemes, unit) if unit is not None else None
    if picked is not None:  # only the schemes that have the unit
        schemes = [s for s in schemes if s.id in picked]

    if not loaded:
        notes.insert(0, NO_ROSTER)
    else:
        ids = {s.id for s in schemes}
        notes += [
            f"名册 {lr.name} 属于方案 {lr.scheme.id}，不在 --scheme 所列方案中，未使用。"
            for lr in loaded
            if lr.scheme.id not in ids
        ]
        notes += [
            f"方案 {s.id}（{s.city}）没有名册：按全部未报送计算。"
            for s in schemes
            if s.id not in by_scheme
        ]

    items = compute_status([(s, by_scheme.get(s.id)) for s in schemes], as_of, within)
    if picked is not None:
        items = [i for i in items if i.scheme in picked and picked[i.scheme].name == i.unit]
    if not show_all:  # what is not yet due, and filings with no date, only with --all
        items = [i for i in items if i.status is not Status.not_due and i.due is not None]
    in_play = [
        InPlay(s.id, s.city, by_scheme[s.id].name if s.id in by_scheme else None) for s in schemes
    ]
    return Report(as_of, within, show_all, items, in_play, notes)
