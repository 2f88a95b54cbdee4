"""Loading rosters: read, parse, check shape, resolve the scheme and unit names.

:func:`load_roster` is the one loader of roster files: it returns the roster (None
where it cannot be used at all) and the findings so far. The cross-record checks are
in :mod:`cdo_cli.roster_checks`; :mod:`cdo_cli.workspace` puts the two together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .errors import InvalidInputError
from .findings import Finding, error, from_error, place
from .loading import Source, parse, read_source
from .model_errors import field_names, findings_from
from .policy import Scheme, Unit
from .roster import ROSTER_MODELS, Person, Roster, UnitEntry
from .suggest import NameIndex, did_you_mean

if TYPE_CHECKING:
    from .policy_loading import Registry


@dataclass(frozen=True)
class LoadedRoster:
    """A roster whose shape is valid, with its scheme and units resolved to their full names."""

    source: Source
    roster: Roster
    scheme: Scheme
    # Canonical unit name -> (the key as written, the entry).
    entries: dict[str, tuple[str, UnitEntry]]
    # Units whose entry has shape errors: present, but not checked further.
    invalid: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        """The file name to show."""
        return self.source.name

    def entry(self, unit: Unit) -> UnitEntry | None:
        """The roster's entry for a unit, if it has one."""
        found = self.entries.get(unit.name)
        return found[1] if found else None

    def holders(self, unit: Unit, role_id: str) -> list[Person]:
        """The people the roster names for a role in a unit (blank ones left out)."""
        entry = self.entry(unit)
        if entry is None:
            return []
        return [p for p in entry.officers.get(role_id, []) if not p.is_blank()]


def load_roster(
    path: Path, registry: Registry, display: str | None = None
) -> tuple[LoadedRoster | None, list[Finding]]:
    """Read a roster and check its shape, scheme and unit names.

    Returns the roster (None where it cannot be used at all) and the findings so far,
    already placed at file:line:column. Cross-record checks are in roster_checks.
    """
    try:
        source = read_source(path, display)  # UnreadableError (exit 2) passes through
        data = parse(source)
    except InvalidInputError as exc:
        return None, [from_error(exc)]
    return resolve(source, data, registry)


def resolve(
    source: Source, data: Any, registry: Registry
) -> tuple[LoadedRoster | None, list[Finding]]:
    """Turn parsed data into a LoadedRoster, or findings saying why it cannot be."""
    if not isinstance(data, dict):
        what = "列表" if isinstance(data, list) else "单个值"
        return None, place(
            source,
            [error("roster-shape", f"名册的顶层应为键值对（scheme、units），这里是{what}")],
        )
    vocabulary = field_names(ROSTER_MODELS)
    raw_units = data.get("units")
    # Units are validated one by one below, so that a mistake in one unit does not
    # hide every other finding in the file.
    top = {**data, "units": {}} if isinstance(raw_units, dict) else data
    try:
        roster = Roster.model_validate(top)
    except ValidationError as exc:
        return None, place(source, findings_from(exc, vocabulary, "roster-invalid", model=Roster))
    if roster.scheme not in registry.files:
        from .policy_loading import scheme_not_found_hint

        hint = scheme_not_found_hint(roster.scheme, registry.ids())
        return None, place(
            source, [error("scheme-unknown", f"没有名为“{roster.scheme}”的方案", ("scheme",), hint)]
        )
    scheme = registry.get(roster.scheme)
    index = scheme.unit_index()
    findings: list[Finding] = []
    entries: dict[str, tuple[str, UnitEntry]] = {}
    invalid: set[str] = set()
    valid_units: dict[str, UnitEntry | None] = {}
    names: NameIndex | None = None  # for suggestions, built at the first unknown unit
    for key, raw in (raw_units if isinstance(raw_units, dict) else {}).items():
        key = str(key)
        entry: UnitEntry | None = None
        try:
            entry = UnitEntry.model_validate(raw) if raw is not None else UnitEntry()
            valid_units[key] = entry
        except ValidationError as exc:
            findings += findings_from(
                exc, vocabulary, "roster-invalid", ("units", key), model=UnitEntry
            )
        unit = index.get(key)
        if unit is None:
            names = names or NameIndex(index)
            findings.append(
                error(
                    "unit-unknown",
                    f"“{key}”不是{scheme.city}方案范围内的单位",
                    ("units", key),
                    did_you_mean(key, names) or "运行 cdo policy show 查看单位名单。",
                )
            )
            continue
        if unit.name in entries:
            first = entries[unit.name][0]
            findings.append(
                error(
                    "unit-duplicate",
                    f"“{key}”与“{first}”是同一单位（{unit.name}），不能重复列出",
                    ("units", key),
                    "请把两处内容合并到一处。",
                )
            )
            continue
        entries[unit.name] = (key, entry or UnitEntry())
        if entry is None:
            invalid.add(unit.name)
    roster = roster.model_copy(update={"units": valid_units})
    loaded = LoadedRoster(source, roster, scheme, entries, frozenset(invalid))
    return loaded, place(source, findings)
