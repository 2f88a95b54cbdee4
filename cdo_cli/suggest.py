"""Suggestions for names the user got nearly right ("did you mean 市公安局?")."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def close_names(name: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The choices closest to ``name``, best first; characters in common count for Chinese."""
    pool = list(dict.fromkeys(choices))
    close = difflib.get_close_matches(name, pool, n=n, cutoff=0.5)
    if len(close) < n:
        # Short Chinese names differ by one character in a ratio that difflib rates low.
        scored = sorted(
            ((len(set(name) & set(c)) / max(len(set(name) | set(c)), 1), c) for c in pool),
            reverse=True,
        )
        close += [c for score, c in scored if score >= 0.4 and c not in close][: n - len(close)]
    return close


def did_you_mean(name: str, choices: Iterable[str]) -> str | None:
    """A Chinese "是否应为…？" hint, or None when nothing is close."""
    close = close_names(name, choices)
    return f"是否应为：{'、'.join(close)}？" if close else None
