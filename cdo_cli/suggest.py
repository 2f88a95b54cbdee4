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

import bisect
import difflib
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

_RATIO = 0.5  # difflib's cutoff
_SHARED = 0.4  # characters in common over characters in either


class NameIndex:
    """Choices indexed by character, for suggestions that do not read every choice."""

    def __init__(self, choices: Iterable[str]) -> None:
        self.names = list(dict.fromkeys(choices))
        self._has_empty = "" in self.names
        self._lengths = [len(name) for name in self.names]
        # Character -> the positions in ``names`` of the names that contain it, shortest
        # names first (a name too long or too short to be close is never read).
        self._postings: dict[str, list[int]] = {}
        for i, name in enumerate(self.names):
            for ch in set(name):
                self._postings.setdefault(ch, []).append(i)
        for posting in self._postings.values():
            posting.sort(key=self._lengths.__getitem__)
        # Each name's characters as the bits of an int, so that the characters two names
        # share are counted by one AND and a bit count.
        self._bits = {ch: 1 << b for b, ch in enumerate(self._postings)}
        self._masks = [self._mask(name) for name in self.names]
        self._shortest = min((len(name) for name in self.names if name), default=0)

    def _mask(self, text: str) -> int:
        bits = self._bits
        return sum(bits.get(ch, 0) for ch in set(text))

    def close(self, name: str, n: int = 3) -> list[str]:
        """The choices closest to ``name``, best first; characters in common count for Chinese."""
        if not name:  # alike only to an empty choice (difflib's ratio of two empties is 1)
            return [""] if self._has_empty else []
        counts = Counter(name)
        # Rarest first: the fewer names a character is in, the fewer to compare.
        order = sorted(counts, key=lambda c: (len(self._postings.get(c, ())), c))
        close = self._best_ratios(name, counts, order, n)
        if len(close) < n:
            close += self._most_shared(name, order, n - len(close), set(close))
        return close

    def _unseen(self, ch: str, seen: set[int], lengths: tuple[int, int] | None = None) -> set[int]:
        """The names with ``ch`` (and a length in ``lengths``) not yet in ``seen``, now in it."""
        posting = self._postings.get(ch, [])
        if lengths is not None:
            length = self._lengths.__getitem__
            lo = bisect.bisect_left(posting, lengths[0], key=length)
            posting = posting[lo : bisect.bisect_right(posting, lengths[1], lo=lo, key=length)]
        fresh = set(posting)
        fresh.difference_update(seen)
        seen.update(fresh)
        return fresh

    def _best_ratios(self, name: str, counts: Counter[str], order: list[str], n: int) -> list[str]:
        """``difflib.get_close_matches(name, names, n, 0.5)``, reading few names.

        A name that shares none of the characters read so far shares at most the ``rest``
        of ``name``'s; with m characters in common, difflib's ratio is at most
        2m/(len(name) + len(choice)), and the choice has at least m characters and at
        least as many as the shortest name. Characters are read until that bound for the
        rest falls below the cutoff or below the n-th best ratio found (the bound is
        computed as difflib computes a ratio, so rounding cannot differ), and of each,
        only the names of a length that could reach it (with a margin for rounding).
        Ties are broken by name, as get_close_matches breaks them.
        """
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(name)
        length, mask, names, masks = len(name), self._mask(name), self.names, self._masks
        shortest = self._shortest
        # Characters ``name`` has more than once: each may be shared up to that many times.
        repeated = [(c, k) for c, k in counts.items() if k > 1]
        most_repeated = sum(k - 1 for _, k in repeated)
        best: list[tuple[float, str]] = []
        floor = _RATIO  # the ratio to beat: the cutoff, then the n-th best
        seen: set[int] = set()
        rest = length
        for ch in order:
            if 2.0 * rest / (length + max(rest, shortest)) < floor:
                break
            # 2*min(rest, n)/(length + n) >= floor for names of n characters from
            # floor*length/(2 - floor) to 2*rest/floor - length.
            lengths = (int(floor * length / (2 - floor)) - 1, int(2 * rest / floor) - length + 1)
            rest -= counts[ch]
            # The upper bound of each new name's ratio; the full ratio, which is slow, is
            # computed best bound first, so that the floor rises as fast as it can.
            bounds: list[tuple[float, str]] = []
            for i in self._unseen(ch, seen, lengths):
                shared = (mask & masks[i]).bit_count()
                choice = names[i]
                if 2.0 * (shared + most_repeated) / (length + len(choice)) < floor:
                    continue
                for c, k in repeated:
                    if c in choice:
                        shared += min(k, choice.count(c)) - 1
                quick = 2.0 * shared / (length + len(choice))
                if quick >= floor:
                    bounds.append((quick, choice))
            bounds.sort(reverse=True)
            for quick, choice in bounds:
                if quick < floor or (len(best) == n and (quick, choice) < best[-1]):
                    break
                matcher.set_seq1(choice)
                ratio = matcher.ratio()
                if ratio >= _RATIO:
                    best.append((ratio, choice))
                    best.sort(reverse=True)
                    del best[n:]
                    if len(best) == n:
                        floor = best[-1][0]
        return [c for _, c in best]

    def _most_shared(self, name: str, order: list[str], k: int, skip: set[str]) -> list[str]:
        """The ``k`` names not in ``skip`` sharing most of ``name``'s characters (Jaccard).

        A name that shares none of the characters read so far scores at most
        rest/len(set(name)); characters are read until that falls below the threshold
        or below the k-th best score found.
        """
        mask, names, masks = self._mask(name), self.names, self._masks
        distinct = len(order)
        best: list[tuple[float, str]] = []
        floor = _SHARED
        seen: set[int] = set()
        rest = distinct
        for ch in order:
            if rest / distinct < floor:
                break
            rest -= 1
            for i in self._unseen(ch, seen):
                shared = (mask & masks[i]).bit_count()
                score = shared / max(distinct + masks[i].bit_count() - shared, 1)
                choice = names[i]
                if score < floor or choice in skip:
                    continue
                if len(best) < k or (score, choice) > best[-1]:
                    best.append((score, choice))
                    best.sort(reverse=True)
                    del best[k:]
                    if len(best) == k:
                        floor = best[-1][0]
        return [c for _, c in best]


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
