"""What a scheme's rosters cover together: units in scope, required roles, minimum counts.

A scheme's roster may be one file or several (one per county, a folder of them). The
checks here run over the union of those files: a unit listed in one file counts for all,
a unit listed in two is a duplicate, and a unit missing from every file is missing. One
file alone is the union of one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .findings import Finding, Path_, error, warning
from .policy import KIND_LABELS, Minimum, Role, Scheme, Unit, UnitKind
from .roster import UnitEntry
from .roster_loading import LoadedRoster

Placed = tuple[LoadedRoster, Finding]


@dataclass(frozen=True)
class Listed:
    """Where a unit is listed: the roster file, the key as written, and the entry."""

    roster: LoadedRoster
    key: str
    entry: UnitEntry

    def holders(self, role_id: str) -> int:
        """How many people (blank ones left out) the entry names for a role."""
        return sum(not p.is_blank() for p in self.entry.officers.get(role_id, []))


def listing(rosters: Sequence[LoadedRoster]) -> tuple[dict[str, Listed], list[Placed]]:
    """Each unit's entry across the rosters (the first file wins), and the units listed
    in a second file, as errors there."""
    found: dict[str, Listed] = {}
    twice: list[Placed] = []
    for roster in rosters:
        for name, (key, entry) in roster.entries.items():
            first = found.get(name)
            if first is None:
                found[name] = Listed(roster, key, entry)
                continue
            twice.append(
                (
                    roster,
                    error(
                        "unit-duplicate",
                        f"“{key}”{'' if key == name else f'（{name}）'}已在名册 {first.roster.name} 中列出，"
                        "同一方案的几份名册不能重复列出同一单位",
                        ("units", key),
                        "每个单位只写在一份名册里：请把两处内容合并。",
                    ),
                )
            )
    return found, twice


@dataclass(frozen=True)
class UnitState:
    """How complete one unit's entry is."""

    unit: Unit
    state: str  # complete | incomplete | missing
    missing_roles: tuple[Role, ...]
    # Required roles that turn on an attribute the roster has not stated.
    undecided: tuple[Role, ...] = ()


# The last answer of unit_states, with the rosters it was for: validate asks for the
# findings, the summary and the summary by parent, each going over every unit.
_LAST: list[tuple[tuple[LoadedRoster, ...], dt.date | None, list[UnitState]]] = []


def unit_states(rosters: Sequence[LoadedRoster], as_of: dt.date | None = None) -> list[UnitState]:
    """Completeness of every unit in scope on ``as_of`` that must have some role
    (worked out once for the same rosters, which are frozen, and date)."""
    key = tuple(rosters)
    if _LAST:
        last, day, states = _LAST[0]
        if (
            day == as_of
            and len(last) == len(key)
            and all(a is b for a, b in zip(last, key, strict=True))
        ):
            return states
    states = _unit_states(rosters, as_of)
    _LAST[:] = [(key, as_of, states)]
    return states


def _unit_states(rosters: Sequence[LoadedRoster], as_of: dt.date | None) -> list[UnitState]:
    scheme = rosters[0].scheme
    found, _ = listing(rosters)
    invalid = {name for r in rosters for name in r.invalid}
    # Units the members choose from (counted by a minimum): one left out is not chosen,
    # not missing.
    chosen = {u.name for u in scheme.units if scheme.minimums_choosing(u)}
    states: list[UnitState] = []
    for unit in scheme.units:
        if not unit.in_force(as_of):
            continue
        listed = found.get(unit.name)
        if listed is None and unit.name in chosen:
            continue
        attributes = listed.entry.attributes if listed else {}
        required: list[Role] = []
        undecided: list[Role] = []
        for role in scheme.roles:
            if role.required:
                applies = role.applies(unit, as_of, attributes)
                if applies is True:
                    required.append(role)
                elif applies is None:
                    undecided.append(role)
        if not (required or undecided):
            continue
        if listed is None:
            states.append(UnitState(unit, "missing", tuple(required), tuple(undecided)))
            continue
        if unit.name in invalid:
            states.append(UnitState(unit, "incomplete", ()))
            continue
        short = tuple(r for r in required if listed.holders(r.id) < max(r.holders.min, 1))
        open_ = tuple(r for r in undecided if listed.holders(r.id) == 0)
        state = "incomplete" if short or open_ else "complete"
        states.append(UnitState(unit, state, short, open_))
    return states


def check_union(rosters: Sequence[LoadedRoster], as_of: dt.date | None = None) -> list[Placed]:
    """Duplicates across files, units in scope listed nowhere, required roles left blank,
    roles that wait on an attribute, and minimum counts not reached (each with its file)."""
    if not rosters:
        return []
    found, out = listing(rosters)
    first = rosters[0]
    scheme = first.scheme
    for state in unit_states(rosters, as_of):
        if state.state == "missing":
            needed = [r.name for r in state.missing_roles]
            needed += [f"{r.name}（视单位属性而定）" for r in state.undecided]
            elsewhere = "这几份名册中都没有" if len(rosters) > 1 else "名册中没有"
            out.append(
                (
                    _kin_roster(scheme, state.unit, found, first),
                    warning(
                        "unit-missing",
                        f"“{state.unit.name}”在方案范围内，但{elsewhere}这个单位（需设：{'、'.join(needed)}）",
                        ("units",),
                        "可运行 cdo init 生成包含全部单位的模板。",
                    ),
                )
            )
        elif state.state == "incomplete":
            listed = found[state.unit.name]
            out += [(listed.roster, f) for f in _unit_gaps(scheme, state, listed, as_of)]
    out += _minimums(scheme, rosters, found)
    return out


def _kin_roster(
    scheme: Scheme, unit: Unit, found: dict[str, Listed], first: LoadedRoster
) -> LoadedRoster:
    """The roster a unit missing from all of them belongs in, as far as it shows: the one
    listing its parent, else one listing a unit of its kind under the same parent (the
    other provincial departments), else the first."""
    index = scheme.unit_index()
    parent = index.get(unit.parent) if unit.parent else None
    if parent is None:
        return first
    if parent.name in found:
        return found[parent.name].roster
    for name, listed in found.items():
        kin = index[name]
        if kin.kind == unit.kind and kin.parent is not None and index.get(kin.parent) is parent:
            return listed.roster
    return first


def _unit_gaps(
    scheme: Scheme, state: UnitState, listed: Listed, as_of: dt.date | None
) -> list[Finding]:
    out: list[Finding] = []
    for role in state.missing_roles:
        path: Path_ = ("units", listed.key)
        if role.id in listed.entry.officers:
            path = (*path, "officers", role.id)
        stage = role.stage(state.unit, as_of)
        assumed = ""
        hint = f"依据：{role.source.section}“{role.source.quote}”"
        if stage is not None:
            assumed = "（推定）" if stage.assumed else ""
            hint = f"自 {stage.since} 起：{stage.source.section}“{stage.source.quote}”"
            if stage.assumed:
                hint += f"。推定的理由：{stage.assumption}"
        out.append(
            warning(
                "role-missing", f"“{state.unit.name}”的“{role.name}”尚未填写{assumed}", path, hint
            )
        )
    asked: dict[str, list[Role]] = {}
    for role in state.undecided:
        keys = [
            *role.applies_to.attributes,
            *(k for x in role.expands for k in x.applies_to.attributes),
        ]
        for key in dict.fromkeys(keys):
            if listed.entry.attributes.get(key) is None:
                asked.setdefault(key, []).append(role)
    for key, roles in asked.items():
        attribute = scheme.attribute(key)
        said = attribute.name if attribute else key
        out.append(
            warning(
                "attribute-missing",
                f"“{state.unit.name}”未写明是否“{said}”，无法判断是否须设"
                f"“{'、'.join(r.name for r in roles)}”",
                ("units", listed.key),
                f"在该单位下写 attributes: {{{key}: true}}（或 false）。"
                + (
                    f"依据：{attribute.source.section}“{attribute.source.quote}”"
                    if attribute
                    else ""
                ),
            )
        )
    return out


def _minimums(
    scheme: Scheme, rosters: Sequence[LoadedRoster], found: dict[str, Listed]
) -> list[Placed]:
    """Members whose rosters list fewer units of a kind than the document asks for.

    A member (each pilot city) is checked only when the rosters list it or something
    under it: a city's own roster says nothing about the other cities.
    """
    out: list[Placed] = []
    if not scheme.minimums:
        return out
    listed_units = [u for u in scheme.units if u.name in found]
    index = scheme.unit_index()
    above = {u.name: {a.name for a in scheme.ancestors(u, index)} for u in listed_units}
    for minimum in scheme.minimums:
        counted = [u for u in listed_units if minimum.count.matches(u)]
        members: list[Unit | None] = [None]
        if minimum.each is not None:
            members = []
            for unit in scheme.select(minimum.each):
                if unit.name in found or any(unit.name in above[u.name] for u in listed_units):
                    members.append(unit)
        for member in members:
            mine = (
                counted if member is None else [u for u in counted if member in scheme.ancestors(u)]
            )
            if len(mine) < minimum.min:
                out.append(_short(minimum, member, mine, found, rosters[0]))
    return out


def _short(
    minimum: Minimum,
    member: Unit | None,
    mine: list[Unit],
    found: dict[str, Listed],
    first: LoadedRoster,
) -> Placed:
    names = "、".join(u.name for u in mine) or "无"
    whose = f"{KIND_LABELS[member.kind]}“{member.name}”" if member is not None else "名册"
    where = found.get(member.name) if member is not None else None
    roster, path = (where.roster, ("units", where.key)) if where else (first, ("units",))
    return (
        roster,
        warning(
            "minimum-not-met",
            f"{whose}只列出了 {len(mine)} 个（{names}），文件要求{minimum.text}",
            path,
            f"依据：{minimum.source.section}“{minimum.source.quote}”",
        ),
    )


def summary(
    rosters: Sequence[LoadedRoster], as_of: dt.date | None = None
) -> dict[str, dict[str, int]]:
    """Per unit kind (Chinese label): how many units are complete, incomplete, missing."""
    out: dict[str, dict[str, int]] = {}
    order = list(UnitKind)
    for state in sorted(unit_states(rosters, as_of), key=lambda s: order.index(s.unit.kind)):
        row = out.setdefault(
            KIND_LABELS[state.unit.kind], {"complete": 0, "incomplete": 0, "missing": 0}
        )
        row[state.state] += 1
    return out


def summary_by_parent(
    rosters: Sequence[LoadedRoster], as_of: dt.date | None = None
) -> dict[str, dict[str, int]]:
    """Per unit that others name as their parent (a county, a district, a pilot city):
    how many of the units under it, at any depth, are complete, incomplete, missing.

    Empty when no unit of the scheme names a parent. Parents come in the scheme's order.
    """
    scheme = rosters[0].scheme
    if not any(u.parent for u in scheme.units):
        return {}
    index = scheme.unit_index()
    counted: dict[str, dict[str, int]] = {}
    for state in unit_states(rosters, as_of):
        for parent in scheme.ancestors(state.unit, index):
            row = counted.setdefault(parent.name, {"complete": 0, "incomplete": 0, "missing": 0})
            row[state.state] += 1
    return {u.name: counted[u.name] for u in scheme.units if u.name in counted}
