"""Editing a YAML document in ruamel.yaml's round-trip form without moving its comments.

ruamel keeps a comment with the value it follows: an end-of-line comment, and with it
every full-line comment and blank line up to the next value, are stored on the last
scalar before them. Appending an entry after that scalar would put the new entry below
comments that belong to the next unit (``# ———— 政府部门 ————``). Every change here
therefore goes through :func:`set_entry`, :func:`insert_entry` or :func:`delete_entry`,
which move those trailing lines to the new last entry, so that they stay where they were.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import ScalarString
from ruamel.yaml.tokens import CommentToken

Container = CommentedMap | CommentedSeq
_BIG = 1 << 20  # line width: never fold a long value onto a second line


def round_trip(text: str) -> YAML:
    """A round-trip YAML for ``text``: quotes kept, no folding, indentation as the file has it."""
    mapping, offset = guess_indent(text)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = _BIG
    yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    # One date object given twice (appointed and ended) must not come out as an anchor
    # and an alias. (Ignoring aliases for everything would also turn empty values into
    # ``null``: ruamel writes ``null`` while it has represented no object yet.)
    ignore = yaml.representer.ignore_aliases
    yaml.representer.ignore_aliases = lambda data: isinstance(data, dt.date) or ignore(data)
    return yaml


_LINE = re.compile(r"^( *)((?:- +)*)(.*)$")
_OPENER = re.compile(r"^[^\s#\-\[{][^#]*:\s*(?:#.*)?$")


def guess_indent(text: str) -> tuple[int, int]:
    """How the file indents: a nested mapping's indent, and a list's dash under its key.

    Counted from each ``key:`` line that opens a block and the line after it. Without
    nesting of a kind, 2 and 2 (the README's style: ``filings:`` then ``  - {…}``).
    """
    mappings: Counter[int] = Counter()
    offsets: Counter[int] = Counter()
    opener: int | None = None  # the column of the key of the line that opened a block
    for line in text.splitlines():
        match = _LINE.match(line)
        if match is None or not match.group(3) or match.group(3).startswith("#"):
            continue
        indent, dashes, rest = match.groups()
        if opener is not None:
            if dashes and len(indent) >= opener:
                offsets[len(indent) - opener] += 1
            elif not dashes and len(indent) > opener:
                mappings[len(indent) - opener] += 1
        opener = len(indent) + len(dashes) if _OPENER.match(rest) else None
    mapping = mappings.most_common(1)[0][0] if mappings else 2
    offset = offsets.most_common(1)[0][0] if offsets else 2
    return (mapping if mapping in (2, 3, 4) else 2), (offset if offset in (0, 2, 4) else 2)


def dump(yaml: YAML, doc: Any) -> str:
    """The document as text."""
    stream = io.StringIO()
    yaml.dump(doc, stream)
    return stream.getvalue()


# ---------------------------------------------------------------- building


def block_map(pairs: Iterable[tuple[str, Any]]) -> CommentedMap:
    """A new mapping written one key per line."""
    node = CommentedMap(pairs)
    node.fa.set_block_style()
    return node


def flow_map(pairs: Iterable[tuple[str, Any]]) -> CommentedMap:
    """A new mapping written on one line, in braces, if its values are plain enough.

    ruamel does not quote every value that needs quotes in braces (``{note: :0}``);
    a value with YAML's punctuation in it gets a mapping of one key per line instead.
    """
    node = CommentedMap(pairs)
    if all(flow_safe(v) for v in node.values()):
        node.fa.set_flow_style()
    else:
        node.fa.set_block_style()
    return node


# libyaml (the C parser cdo reads with) also stops at a "?" inside braces.
_FLOW_UNSAFE = re.compile(r"[:#,\[\]{}&*!|>'\"%@`?]|^[-\s]|\s$")


def flow_safe(value: Any) -> bool:
    """Whether ruamel writes ``value`` correctly inside braces."""
    return not isinstance(value, str) or not _FLOW_UNSAFE.search(value)


def block_seq(items: Iterable[Any] = ()) -> CommentedSeq:
    """A new list written one item per line."""
    node = CommentedSeq(items)
    node.fa.set_block_style()
    return node


def is_block(node: Any) -> bool:
    """True for a non-empty mapping or list written over several lines."""
    return isinstance(node, CommentedMap | CommentedSeq) and bool(node) and not is_flow(node)


def is_flow(node: Container) -> bool:
    """True for a mapping or list written in braces or brackets."""
    return bool(node.fa.flow_style())


def like(old: Any, new: Any) -> Any:
    """``new`` quoted as ``old`` was (a value in quotes stays in the same quotes)."""
    if isinstance(new, str) and isinstance(old, ScalarString):
        return type(old)(new)
    return new


# ---------------------------------------------------------------- comments that trail


def _slot(container: Container, key: Any) -> tuple[list[Any], int]:
    """The slot for the comment after ``container[key]``, when that value is one line."""
    slots = container.ca.items.setdefault(key, [None, None, None, None])
    return slots, 2 if isinstance(container, CommentedMap) else 0


def tail_slot(container: Container, key: Any) -> tuple[list[Any], int]:
    """Where the comment after the last line of ``container[key]`` is kept."""
    value = container[key]
    while is_block(value):
        container, key = value, _last(value)
        value = container[key]
    return _slot(container, key)


def _last(container: Container) -> Any:
    return len(container) - 1 if isinstance(container, CommentedSeq) else next(reversed(container))


def _take_trailing(slot: tuple[list[Any], int]) -> str:
    """Cut the lines after the end-of-line comment from a slot's comment; return them."""
    slots, index = slot
    token = slots[index]
    if token is None:
        return ""
    value: str = token.value
    eol, newline, rest = value.partition("\n")
    if not rest:
        return ""
    if eol.strip():
        token.value = eol + newline
    else:
        slots[index] = None
    return rest


def _give_trailing(slot: tuple[list[Any], int], rest: str) -> None:
    if not rest:
        return
    slots, index = slot
    token = slots[index]
    if token is None:
        slots[index] = CommentToken("\n" + rest, CommentMark(0), None)
    else:
        token.value = token.value + ("" if token.value.endswith("\n") else "\n") + rest


def set_entry(container: Container, key: Any, value: Any) -> None:
    """Set ``container[key]`` (a new key is appended), keeping trailing comments in place.

    The end-of-line comment of the key's line stays on that line; the comment lines that
    followed the old value (or the old last entry) follow the new one.
    """
    is_new = key not in container if isinstance(container, CommentedMap) else key == len(container)
    before: tuple[list[Any], int] | None = None
    if is_new and len(container) and not is_flow(container):
        before = tail_slot(container, _last(container))
    elif not is_new:
        before = tail_slot(container, key)
        if is_block(value) and not is_block(container[key]) and isinstance(container, CommentedMap):
            # The value moves off the key's line: the key keeps its end-of-line comment,
            # moved left by the width of an empty ``[]`` or ``{}`` that is no longer there.
            before = _slot(container, key)
            token = before[0][2]
            old = container[key]
            if (
                token is not None
                and token.start_mark
                and isinstance(old, CommentedMap | CommentedSeq)
            ):
                # ``[]`` gone: the comment moves left by its width; after a mapping in
                # braces, one space after the key.
                column = token.start_mark.column - 3 if not old else 0
                token.start_mark = CommentMark(max(column, 0))
    rest = _take_trailing(before) if before else ""
    if isinstance(container, CommentedSeq) and is_new:
        container.append(value)
    else:
        container[key] = value
    _give_trailing(tail_slot(container, key), rest)


def insert_entry(container: CommentedMap, position: int, key: Any, value: Any) -> None:
    """Insert a new key at ``position``; comments before the next key stay before it."""
    if position >= len(container):
        set_entry(container, key, value)
        return
    rest = _take_trailing(tail_slot(container, list(container)[position - 1])) if position else ""
    container.insert(position, key, value)
    _give_trailing(tail_slot(container, key), rest)


def delete_entry(container: Container, key: Any) -> None:
    """Delete ``container[key]``; the comment lines that followed it are kept."""
    rest = _take_trailing(tail_slot(container, key))
    keys = list(range(len(container))) if isinstance(container, CommentedSeq) else list(container)
    position = keys.index(key)
    del container[key]
    if not rest:
        return
    if position:
        _give_trailing(tail_slot(container, keys[position - 1]), rest)
    elif len(container):
        # The first entry: its trailing lines go before the new first entry.
        comment = container.ca.comment
        token = CommentToken(rest, CommentMark(0), None)
        if comment is None:
            container.ca.comment = [None, [token]]
        else:
            comment[1] = [*(comment[1] or []), token]


def set_scalar(container: CommentedMap, key: str, value: Any) -> None:
    """Set a one-line value, keeping its end-of-line comment in the same column on screen.

    Chinese characters take two columns; ruamel counts characters, so the comment's
    column moves by the difference in wide characters between the old and new value.
    """
    old = container.get(key)
    new = like(old, value)
    if key not in container:
        set_entry(container, key, new)
        return
    slots = container.ca.items.get(key)
    token = slots[2] if slots else None
    if token is not None and token.value.lstrip(" ").startswith("#") and token.start_mark:
        column = token.start_mark.column - (_wide(new) - _wide(old))
        token.start_mark = CommentMark(max(column, 0))
    container[key] = new


def _wide(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(unicodedata.east_asian_width(c) in "WF" for c in text)


# ---------------------------------------------------------------- plain data


def comment_lines(text: str) -> Counter[str]:
    """The file's full-line comments, as written (edits neither add nor remove any)."""
    return Counter(line.strip() for line in text.splitlines() if line.lstrip().startswith("#"))
