"""Finding units by any of their names, with suggestions for near misses."""

from __future__ import annotations

from collections.abc import Sequence

from .errors import NotFoundError
from .policy import Scheme, Unit
from .suggest import did_you_mean


def find_units(schemes: Sequence[Scheme], name: str) -> dict[str, Unit]:
    """The unit called ``name`` (full name or alias) in each scheme that has it.

    NotFoundError, with the nearest names, when no scheme given has it.
    """
    found = {s.id: u for s in schemes if (u := s.unit_index().get(name)) is not None}
    if not found:
        names = [n for s in schemes for n in s.unit_index()]
        cities = "、".join(s.city for s in schemes)
        which = f" {schemes[0].id}" if len(schemes) == 1 else ""
        raise NotFoundError(
            f"“{name}”不是{cities}方案范围内的单位",
            hint=did_you_mean(name, names) or f"运行 cdo policy show{which} 查看单位名单。",
        )
    return found


class UnitNames:
    """A scheme's units by any name a clerk's file may write for them.

    A full name or alias as the scheme writes it; the same written with other spaces,
    punctuation or widths (``市 公安局``); or with the city in front, as people write
    on their own forms: ``普宁市公安局`` for 市公安局, and ``普宁市`` alone for the
    city's own government (the 县（市、区） cell of a county-level form).
    """

    def __init__(self, scheme: Scheme) -> None:
        from .cell_text import match_key
        from .policy import UnitKind

        self._match_key = match_key
        self.index = scheme.unit_index()
        keys: dict[str, Unit] = {}
        shared: set[str] = set()
        for written, unit in self.index.items():
            key = match_key(written)
            if key in keys and keys[key] is not unit:
                shared.add(key)  # a key two units share names neither
            keys.setdefault(key, unit)
        self._keys = {k: u for k, u in keys.items() if k not in shared}
        self._city = match_key(scheme.city) if scheme.city.endswith("市") else ""
        governments = [u for u in scheme.units if u.kind == UnitKind.government]
        self._government = governments[0] if len(governments) == 1 else None

    def find(self, name: str) -> Unit | None:
        """The unit ``name`` means, or None."""
        found = self.index.get(name.strip())
        if found is not None:
            return found
        key = self._match_key(name)
        if not key:
            return None
        if key in self._keys:
            return self._keys[key]
        if self._city and key.startswith(self._city):
            rest = key[len(self._city) :]
            if not rest:
                return self._government
            return self._keys.get("市" + rest)
        return None


_NAMES: dict[int, tuple[Scheme, UnitNames]] = {}


def unit_names(scheme: Scheme) -> UnitNames:
    """The :class:`UnitNames` of ``scheme``, made once per scheme (not once per file read)."""
    made = _NAMES.get(id(scheme))
    if made is None or made[0] is not scheme or made[1].index is not scheme.unit_index():
        made = _NAMES[id(scheme)] = (scheme, UnitNames(scheme))
    return made[1]
