"""Suggestions for names the user got nearly right ("did you mean 市公安局?").

A name is close to another when difflib rates them at least 0.5 alike, or, because
difflib rates short Chinese names that differ by one character low, when they share at
least 0.4 of their characters (Jaccard). Comparing a name with every choice made a
province-sized roster with misspelt units quadratic, so :class:`NameIndex` looks only at
the choices that share one of the name's rarer characters: any other choice shares too
few characters to pass either test. The answers are those of the comparison with every
choice (tests/test_suggest.py checks them against it).
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

_RATIO = 0.5  # difflib's cutoff
_SHARED = 0.4  # characters in common over characters in either


class NameIndex:
    """Choices indexed by character, for suggestions that do not read every choice.

    Each character's names are a bitset (a Python int, bit i for the i-th name, the
    names in descending order as ties are broken). For a name asked about, the count of
    its characters each choice shares is added up bit-sliced, for all choices at once; the
    choices are then read best bound first, and, among equal bounds, in the order ties
    are broken, so that the reading stops as soon as no unread choice could displace the
    n-th best found. Thousands of names that tie (the same department in every county)
    are then not read one by one.
    """

    def __init__(self, choices: Iterable[str]) -> None:
        unique = list(dict.fromkeys(choices))
        self._has_empty = "" in unique
        # Rank order: ties are broken by name, largest first (as get_close_matches does).
        self.names = sorted((n for n in unique if n), reverse=True)
        self._all = (1 << len(self.names)) - 1
        self._positions: dict[str, list[int]] = {}
        for i, name in enumerate(self.names):
            for ch in set(name):
                self._positions.setdefault(ch, []).append(i)
        self._postings: dict[str, int] = {}
        self._by_length: dict[int, int] | None = None
        self._by_distinct: dict[int, int] | None = None

    def _bits(self, positions: Iterable[int]) -> int:
        buffer = bytearray((len(self.names) + 8) // 8)
        for i in positions:
            buffer[i >> 3] |= 1 << (i & 7)
        return int.from_bytes(buffer, "little")

    def _posting(self, ch: str) -> int:
        bits = self._postings.get(ch)
        if bits is None:
            bits = self._postings[ch] = self._bits(self._positions.get(ch, ()))
        return bits

    def _groups(self) -> tuple[dict[int, int], dict[int, int]]:
        """Bitsets of the names of each length, and of each number of distinct characters."""
        if self._by_length is None or self._by_distinct is None:
            lengths: dict[int, list[int]] = {}
            distinct: dict[int, list[int]] = {}
            for i, name in enumerate(self.names):
                lengths.setdefault(len(name), []).append(i)
                distinct.setdefault(len(set(name)), []).append(i)
            self._by_length = {k: self._bits(v) for k, v in lengths.items()}
            self._by_distinct = {k: self._bits(v) for k, v in distinct.items()}
        return self._by_length, self._by_distinct

    def _shared_counts(self, chars: Iterable[str]) -> _Shared:
        """How many of ``chars`` each name has, bit-sliced: see :class:`_Shared`."""
        planes: list[int] = []
        for ch in chars:
            carry = self._posting(ch)
            for j, plane in enumerate(planes):
                planes[j], carry = plane ^ carry, plane & carry
                if not carry:
                    break
            if carry:
                planes.append(carry)
        return _Shared(planes, self._all)

    def close(self, name: str, n: int = 3) -> list[str]:
        """The choices closest to ``name``, best first; characters in common count for Chinese."""
        if not name:  # alike only to an empty choice (difflib's ratio of two empties is 1)
            return [""] if self._has_empty else []
        counts = Counter(name)
        shared = self._shared_counts(counts)
        close = self._best_ratios(name, counts, shared, n)
        if len(close) < n:
            close += self._most_shared(len(counts), shared, n - len(close), set(close))
        return close

    def _best_ratios(self, name: str, counts: Counter[str], shared: _Shared, n: int) -> list[str]:
        """``difflib.get_close_matches(name, names, n, 0.5)``, reading few names.

        With m characters in common, difflib's ratio is at most 2m/(len(name) +
        len(choice)) (m counting a repeated character as often as both have it). The
        choices are read by that bound computed from their distinct shared characters
        plus the most the repeated ones could add, highest first, and among equal bounds
        by name, largest first; the reading stops when the bound and name of the next
        fall below the n-th best found. Ties are broken by name, as get_close_matches
        breaks them.
        """
        by_length, _ = self._groups()
        length = len(name)
        repeated = [(c, k) for c, k in counts.items() if k > 1]
        most_repeated = sum(k - 1 for _, k in repeated)
        levels: dict[float, list[tuple[int, int]]] = {}
        for m in range(1, shared.most + 1):
            for size in by_length:
                bound = 2.0 * min(m + most_repeated, size) / (length + size)
                if bound >= _RATIO:
                    levels.setdefault(bound, []).append((m, size))
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(name)
        names = self.names
        best: list[tuple[float, str]] = []
        for bound in sorted(levels, reverse=True):
            if len(best) == n and bound < best[-1][0]:
                break
            bits = 0
            for m, size in levels[bound]:
                bits |= shared.exactly(m) & by_length[size]
            for i in _members(bits):
                choice = names[i]
                if len(best) == n and (bound, choice) < best[-1]:
                    return [c for _, c in best]
                quick = sum(min(k, choice.count(c)) for c, k in counts.items() if c in choice)
                quick_ratio = 2.0 * quick / (length + len(choice))
                if quick_ratio < _RATIO or (len(best) == n and (quick_ratio, choice) < best[-1]):
                    continue
                matcher.set_seq1(choice)
                ratio = matcher.ratio()
                if ratio >= _RATIO and (len(best) < n or (ratio, choice) > best[-1]):
                    best.append((ratio, choice))
                    best.sort(reverse=True)
                    del best[n:]
        return [c for _, c in best]

    def _most_shared(self, distinct: int, shared: _Shared, k: int, skip: set[str]) -> list[str]:
        """The ``k`` names not in ``skip`` sharing most of ``name``'s characters (Jaccard),
        read by score, highest first, and among equal scores by name, largest first."""
        _, by_distinct = self._groups()
        levels: dict[float, list[tuple[int, int]]] = {}
        for m in range(1, shared.most + 1):
            for size in by_distinct:
                score = m / max(distinct + size - m, 1)
                if score >= _SHARED and m <= size:
                    levels.setdefault(score, []).append((m, size))
        names = self.names
        best: list[str] = []
        for score in sorted(levels, reverse=True):
            bits = 0
            for m, size in levels[score]:
                bits |= shared.exactly(m) & by_distinct[size]
            for i in _members(bits):
                if names[i] not in skip:
                    best.append(names[i])
                    if len(best) == k:
                        return best
        return best


class _Shared:
    """For each name, how many of a set of characters it has: the counts' binary digits,
    one bitset per digit (``planes[j]`` holds bit j of every name's count)."""

    def __init__(self, planes: list[int], everyone: int) -> None:
        self.planes = planes
        self.everyone = everyone
        self.most = (1 << len(planes)) - 1  # no count can be higher
        self._exactly: dict[int, int] = {}

    def exactly(self, m: int) -> int:
        """The bitset of the names that have exactly ``m`` of the characters."""
        bits = self._exactly.get(m)
        if bits is None:
            bits = self.everyone
            for j, plane in enumerate(self.planes):
                bits &= plane if m >> j & 1 else ~plane
                if not bits:
                    break
            self._exactly[m] = bits
        return bits


def _members(bits: int) -> Iterable[int]:
    """The positions of the set bits, lowest first.

    The first few one at a time (reading often stops there); past them, from the bits
    as text, so that many members do not cost a pass over the whole int each.
    """
    for _ in range(16):
        if not bits:
            return
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low
    text = format(bits, "b")[::-1]
    i = text.find("1")
    while i >= 0:
        yield i
        i = text.find("1", i + 1)


@lru_cache(maxsize=8)
def _index(choices: tuple[str, ...]) -> NameIndex:
    return NameIndex(choices)


def close_names(name: str, choices: Iterable[str] | NameIndex, n: int = 3) -> list[str]:
    """The choices closest to ``name``, best first; characters in common count for Chinese."""
    if not isinstance(choices, NameIndex):
        # The same list is often asked about many times (every unknown unit of a file).
        choices = _index(tuple(dict.fromkeys(choices)))
    return choices.close(name, n)


def did_you_mean(name: str, choices: Iterable[str] | NameIndex) -> str | None:
    """A Chinese "是否应为…？" hint, or None when nothing is close."""
    close = close_names(name, choices)
    return f"是否应为：{'、'.join(close)}？" if close else None
