"""A roster's units as blocks of lines, so that one unit can be edited without the rest.

ruamel.yaml's round-trip loader and writer are pure Python: loading a province's roster
(5,000 units) and writing it twice took about 30 seconds, for a change to one unit.
:func:`scan_roster` reads the file's events once with the C parser and finds where each
unit's entry is written: from the line of its key under ``units:`` to the last line of
its value (the comments and blank lines after that stay outside, where they are).
:func:`load_block` loads one such block on its own, as ``units:`` and the block's lines,
and proves that it holds exactly the unit's data; :func:`merge_block` gives the block's
lines after a change, merged onto the file's own (see :mod:`cdo_cli.line_merge`).

Where any of this cannot be proven, the caller edits the whole file as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamStartEvent,
)

from .errors import InvalidInputError
from .line_merge import line_key, merge_lines, split_lines
from .loading import Source, parse
from .yaml_edit import dump

if TYPE_CHECKING:
    from ruamel.yaml import YAML

HEAD = "units:\n"
# Line breaks other than LF and CRLF (the C parser counts them, split_lines does not),
# and a byte-order mark inside the text: such files are edited whole.
_ODD_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029\ufeff]")
# A plain key that YAML reads as something other than text: edited whole.
_NOT_TEXT = re.compile(r"[-+.0-9~]|(?:null|true|false|yes|no|on|off|y|n)$", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    """Where one unit's entry is written: its key as written, lines ``start`` to ``end``."""

    key: str
    start: int  # the key's line (0-based)
    end: int  # the line after the last line of its value


@dataclass(frozen=True)
class Scan:
    """What :func:`scan_roster` found: why cdo does not edit the file, and the units' blocks."""

    unusual: str | None
    spans: tuple[Span, ...] | None  # None: the units cannot be cut into blocks


def scan_roster(text: str) -> Scan:
    """The file's anchors, aliases and tags (which cdo does not edit), and its units' blocks.

    Blocks are given only where ``units`` is a mapping written one key per line, each key
    is plain text at the start of its line, and the file's line breaks are LF or CRLF.
    """
    from ruamel.yaml import YAML

    try:
        events = _checked(YAML(typ="safe").parse(text))
        spans = None if _ODD_BREAKS.search(text) else _spans(events, text)
        for _event in events:  # the rest of the file, for anchors, aliases and tags
            pass
    except _Refused as refused:
        return Scan(refused.reason, None)
    except YAMLError as exc:
        return Scan(f"YAML 无法解析（{exc}）", None)
    return Scan(None, spans)


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _checked(events: Iterator[Any]) -> Iterator[Any]:
    for event in events:
        reason = _unusual(event)
        if reason:
            raise _Refused(reason)
        yield event


def _spans(events: Iterator[Any], text: str) -> tuple[Span, ...] | None:
    """The blocks of the units, read from the events up to the end of ``units``."""
    try:
        for kind in (StreamStartEvent, DocumentStartEvent, MappingStartEvent):
            if next(events).__class__ is not kind:
                return None
        while True:  # the top mapping's keys, up to ``units``
            event = next(events)
            if event.__class__ is not ScalarEvent:
                return None  # its end (no units), or a key that is not text
            if event.value == "units":
                break
            _skip(events)
        event = next(events)
        if event.__class__ is not MappingStartEvent or event.flow_style:
            return None
        lines = text.split("\n")
        spans: list[Span] = []
        column = -1
        while True:
            event = next(events)
            if event.__class__ is MappingEndEvent:
                return tuple(spans)
            mark = event.start_mark
            column = mark.column if column < 0 else column
            if (
                event.__class__ is not ScalarEvent
                or mark.column != column
                or lines[mark.line][: mark.column].strip(" ")
                or (not event.style and _NOT_TEXT.match(event.value))
            ):
                return None
            spans.append(Span(event.value, mark.line, _value_end(events, mark.line)))
    except StopIteration:
        return None


def _skip(events: Iterator[Any]) -> None:
    """Read past one value: a scalar, or a list or mapping with all it holds."""
    depth = 0
    while True:
        event = next(events)
        if isinstance(event, CollectionStartEvent):
            depth += 1
        elif event.__class__ is MappingEndEvent or event.__class__ is SequenceEndEvent:
            depth -= 1
        if depth == 0:
            return


def _value_end(events: Iterator[Any], key_line: int) -> int:
    """Read past a unit's value; the line after the last line that holds any of it."""
    event = next(events)
    if event.__class__ is ScalarEvent:
        return _after(event.end_mark)
    flows = [bool(event.flow_style)]  # for each list or mapping open: written in brackets
    last = key_line + 1
    while flows:
        event = next(events)
        kind = event.__class__
        if kind is ScalarEvent:
            last = _after(event.end_mark)
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            if flows.pop():
                last = _after(event.end_mark)
        else:
            flows.append(bool(event.flow_style))
    return last


def _after(mark: Any) -> int:
    """The line after the one a value ends on (a block scalar ends at a line's start)."""
    return int(mark.line) if mark.column == 0 else int(mark.line) + 1


def _unusual(event: Any) -> str | None:
    """Why cdo does not edit a file with this event in it, or None."""
    if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
        return "文件中使用了锚点或别名（& 或 *），一处修改会影响多处"
    if isinstance(event, ScalarEvent) and event.tag and not any(event.implicit):
        return f"文件中使用了 YAML 标签 {event.tag}"
    if (
        isinstance(event, MappingStartEvent | SequenceStartEvent)
        and event.tag
        and not event.implicit
    ):
        return f"文件中使用了 YAML 标签 {event.tag}"
    return None


@dataclass
class Block:
    """One unit's block of the file, loaded in ruamel's round-trip form on its own."""

    span: Span
    ours: list[str]  # ``units:`` and the file's lines of the block, as written
    doc: CommentedMap  # ``{"units": {key: …}}``
    base: list[str]  # ruamel's rendition of it before any change, without line ends

    @property
    def units(self) -> CommentedMap:
        """The block's ``units`` mapping: the unit, and any new unit put after it."""
        units: CommentedMap = self.doc["units"]
        return units


def load_block(yaml: YAML, name: str, lines: list[str], span: Span, value: Any) -> Block | None:
    """The block of ``span`` in the file's ``lines``, or None unless it provably holds
    exactly ``value`` (the unit's data as cdo read the file) and ruamel writes it back
    with the same data."""
    ours = [HEAD, *lines[span.start : span.end]]
    text = "".join(ours)
    lf = text.replace("\r\n", "\n")
    try:
        doc = yaml.load(lf)
        base = dump(yaml, doc)
        if parse(Source(name, text)) != {"units": {span.key: value}}:
            return None
        if split_lines(base) != split_lines(lf) and parse(Source(name, base)) != parse(
            Source(name, lf)
        ):
            return None
    except (YAMLError, ValueError, RecursionError, InvalidInputError):
        return None
    units = doc.get("units") if isinstance(doc, CommentedMap) else None
    if not isinstance(units, CommentedMap) or [str(k) for k in units] != [span.key]:
        return None
    return Block(span, ours, doc, [line_key(x) for x in split_lines(base)])


def merge_block(yaml: YAML, block: Block, newline: str) -> tuple[list[str], Any] | None:
    """The block's lines after the change, merged onto the file's own, and the units they
    hold (as cdo reads them); None where the merge did not keep the ``units:`` line."""
    theirs = dump(yaml, block.doc)
    merged = merge_lines(
        block.base, block.ours, [line_key(x) for x in split_lines(theirs)], newline
    )
    if not merged or merged[0] != HEAD:
        return None
    try:
        data = parse(Source("", theirs))
    except InvalidInputError:
        return None
    units = data.get("units") if isinstance(data, dict) else None
    return (merged[1:], units) if isinstance(units, dict) else None
