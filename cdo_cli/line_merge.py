"""A three-way merge of lines: an edit made on one rendition of a file, applied to the file.

ruamel.yaml writes a loaded file back almost as it was, but not byte for byte: extra
spaces after a colon, ``~`` for an empty value, a list indented unlike the rest of the
file come back normalised. To keep every line the edit did not touch exactly as the
file has it, the edit is taken as the difference between two ruamel renditions (before
and after) and applied to the file's own lines, as version control merges two branches.
Where the file's text and the edit meet on the same lines, the edit's rendition wins;
the caller proves the result (it re-reads it and compares the data).
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher

# A run of lines equal in all three: (base start, base end, ours start, ours end,
# theirs start, theirs end).
_Sync = tuple[int, int, int, int, int, int]


def line_key(line: str) -> str:
    """A line without its line end (``\\n`` or ``\\r\\n``), for comparing renditions."""
    if line.endswith("\n"):
        line = line[:-1]
        if line.endswith("\r"):
            line = line[:-1]
    return line


def split_lines(text: str) -> list[str]:
    """``text`` cut after each ``\\n``, every line keeping its own line end."""
    lines = text.split("\n")
    out = [line + "\n" for line in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def merge_lines(
    base: Sequence[str], ours: Sequence[str], theirs: Sequence[str], newline: str = "\n"
) -> list[str]:
    """``ours`` with the changes that turn ``base`` into ``theirs``.

    ``base`` and ``theirs`` are keys (lines without line ends, see :func:`line_key`);
    ``ours`` are whole lines. Lines from ``ours`` keep their own line ends; lines from
    ``theirs`` get ``newline``. Where ``ours`` and ``theirs`` both differ from ``base``
    on the same lines, ``theirs`` wins.
    """
    keys = [line_key(line) for line in ours]
    out: list[str] = []
    b = o = t = 0
    for sb, eb, so, eo, st, et in _sync_regions(base, keys, theirs):
        base_part, our_part, their_part = base[b:sb], keys[o:so], theirs[t:st]
        if our_part == base_part:
            out += [line + newline for line in their_part]
        elif their_part == base_part or our_part == their_part:
            out += ours[o:so]
        elif len(our_part) == len(base_part):
            # Both changed these lines: the file's only by layout, line for line (a list
            # indented otherwise), so the file's lines stand wherever the edit kept base's.
            out += _refine(base_part, ours[o:so], their_part, newline)
        else:
            out += [line + newline for line in their_part]
        out += ours[so:eo]
        b, o, t = eb, eo, et
    if out and ours and not ours[-1].endswith("\n"):
        out[-1] = line_key(out[-1])  # the file did not end with a line break; nor does this
    return out


def _refine(
    base: Sequence[str], ours: Sequence[str], theirs: Sequence[str], newline: str
) -> list[str]:
    """``theirs``, with ``ours[i]`` standing for ``base[i]`` wherever the edit kept it."""
    out: list[str] = []
    matcher = SequenceMatcher(None, base, theirs, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += ours[i1:i2]
            continue
        # New lines next to lines the file indents otherwise (a list's dash further in
        # or out) are indented as the file does, down to the depth of those lines.
        # Only the new lines that continue that run move: from the start when the run is
        # before them, from the end when it is after them; a line further out ends it.
        new = list(theirs[j1:j2])
        shift, depth = _layout_shift(base, ours, range(i1 - 1, -1, -1))
        order = range(len(new))
        if not shift:
            shift, depth = _layout_shift(base, ours, range(i2, len(base)))
            order = range(len(new) - 1, -1, -1)
        for k in order if shift else ():
            if _indent(new[k]) < depth:
                break
            new[k] = _shifted(new[k], shift)
        out += [line + newline for line in new]
    return out


def _layout_shift(base: Sequence[str], ours: Sequence[str], nearest: range) -> tuple[int, int]:
    """How far the file moved the run of lines starting at ``nearest[0]`` from ``base``,
    and the least indentation in base of that run: ``(0, 0)`` when it did not."""
    shift = low = 0
    for i in nearest:
        moved = _indent(line_key(ours[i])) - _indent(base[i])
        if not moved or (shift and moved != shift):
            break
        shift = moved
        low = min(low, _indent(base[i])) if low else _indent(base[i])
    return shift, low


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _shifted(line: str, shift: int) -> str:
    if shift > 0:
        return " " * shift + line
    if shift < 0 and _indent(line) >= -shift:
        return line[-shift:]
    return line


def _sync_regions(base: Sequence[str], ours: Sequence[str], theirs: Sequence[str]) -> list[_Sync]:
    """Runs of ``base`` that both ``ours`` and ``theirs`` keep unchanged, in order."""
    ours_match = _matches(base, ours)
    theirs_match = _matches(base, theirs)
    out: list[_Sync] = []
    i = j = 0
    while i < len(ours_match) and j < len(theirs_match):
        ob, oo, olen = ours_match[i]
        tb, tt, tlen = theirs_match[j]
        start, end = max(ob, tb), min(ob + olen, tb + tlen)
        if start < end:
            so, st = oo + start - ob, tt + start - tb
            out.append((start, end, so, so + end - start, st, st + end - start))
        if ob + olen < tb + tlen:
            i += 1
        else:
            j += 1
    n = len(base)
    out.append((n, n, len(ours), len(ours), len(theirs), len(theirs)))
    return out


def _matches(a: Sequence[str], b: Sequence[str]) -> list[tuple[int, int, int]]:
    """Matching runs ``(start in a, start in b, length)``, the common ends found first.

    An edit touches a few lines of a long file: trimming what the two share at the
    start and the end leaves difflib only the part that differs.
    """
    n = min(len(a), len(b))
    head = 0
    while head < n and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < n - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    out: list[tuple[int, int, int]] = [(0, 0, head)] if head else []
    middle_a, middle_b = a[head : len(a) - tail], b[head : len(b) - tail]
    if middle_a and middle_b:
        matcher = SequenceMatcher(None, middle_a, middle_b, autojunk=len(middle_a) > 2000)
        out += [(head + m.a, head + m.b, m.size) for m in matcher.get_matching_blocks() if m.size]
    if tail:
        out.append((len(a) - tail, len(b) - tail, tail))
    return out
