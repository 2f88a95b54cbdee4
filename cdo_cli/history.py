"""``cdo history``: who held which post when, from a roster's holders and its history."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .text import visible

if TYPE_CHECKING:
    from .policy import Unit
    from .roster import Person
    from .roster_loading import LoadedRoster


@dataclass(frozen=True)
class Tenure:
    """One person in one post of one unit: from when, until when (None: still there)."""

    unit: str
    role: str
    role_name: str
    name: str | None
    title: str | None
    office: str | None
    phone: str | None
    email: str | None
    appointed: dt.date | None
    ended: dt.date | None
    current: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, dates as YYYY-MM-DD."""
        data = dict(self.__dict__)
        for key in ("appointed", "ended"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def tenures(
    loaded: LoadedRoster, *, unit: Unit | None = None, name: str | None = None
) -> list[Tenure]:
    """Every holder, past and present, by unit and post in the scheme's order, oldest first.

    ``unit`` keeps one unit; ``name`` keeps one person (as written in the roster).
    """
    scheme = loaded.scheme
    order = {r.id: i for i, r in enumerate(scheme.roles)}
    out: list[Tenure] = []
    for each in scheme.units:
        entry = loaded.entry(each)
        if entry is None or (unit is not None and each.name != unit.name):
            continue
        items: list[Tenure] = []
        for past in entry.history:
            items.append(_tenure(loaded, each, past.role, past, past.ended, False))
        for role_id in entry.officers:
            for person in loaded.holders(each, role_id):
                items.append(_tenure(loaded, each, role_id, person, None, True))
        items.sort(
            key=lambda t: (
                order.get(t.role, len(order)),
                t.current,
                t.appointed or t.ended or dt.date.min,
                t.ended or dt.date.max,
            )
        )
        out += [t for t in items if name is None or t.name == name]
    return out


def _tenure(
    loaded: LoadedRoster, unit: Unit, role_id: str, person: Person, ended: dt.date | None, now: bool
) -> Tenure:
    role = loaded.scheme.role(role_id)
    return Tenure(
        unit.name,
        role_id,
        role.name if role else role_id,
        person.name,
        person.title,
        person.office,
        person.phone,
        person.email,
        person.appointed,
        ended,
        now,
    )


def _span(t: Tenure) -> str:
    start = t.appointed.isoformat() if t.appointed else "？"
    if t.current:
        return f"{start} 起（现任）" if t.appointed else "现任"
    return f"{start} 至 {t.ended}"


def tenures_text(items: list[Tenure], roster: str) -> str:
    """By unit, then post: each person with title and dates."""
    if not items:
        return f"{visible(roster)}：没有符合条件的任职记录。\n"
    lines: list[str] = []
    unit = role = None
    for t in items:
        if t.unit != unit:
            if lines:
                lines.append("")
            lines.append(visible(t.unit))
            unit, role = t.unit, None
        if t.role != role:
            # A post beyond a list ending in 等 has no id but its name.
            same = t.role_name == t.role
            lines.append(f"  {visible(t.role_name)}" + ("" if same else f"（{visible(t.role)}）"))
            role = t.role
        who = visible(t.name or "（未填姓名）")
        title = f"  {visible(t.title)}" if t.title else ""
        lines.append(f"    {who}{title}  {_span(t)}")
    return "\n".join(lines) + "\n"


def tenures_json(items: list[Tenure], roster: str) -> str:
    """Every tenure with all its fields, as a JSON object."""
    data = {"roster": roster, "items": [t.as_dict() for t in items]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
