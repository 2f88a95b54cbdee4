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
