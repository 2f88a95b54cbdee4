"""The roster as cdo's ledger: changed in place, proven, written atomically with a backup.

:func:`open_ledger` reads a roster, checks it as ``cdo validate`` does, and loads it in
ruamel.yaml's round-trip form. The ``Ledger`` methods change people, filings and past
holders unit by unit; :meth:`Ledger.propose` writes the result out and proves it:

- every line the change did not touch is the file's own, byte for byte (the change is
  merged onto the file's lines, see :mod:`cdo_cli.line_merge`), line ends (CRLF) and a
  byte-order mark included;
- re-read with cdo's own loader, the text holds exactly the data ruamel was given, and
  every full-line comment of the file is still there;
- checked as ``cdo validate`` checks, it has no error the file did not have already.

:meth:`Ledger.save` then keeps the previous file as ``<name>.<time>.bak`` beside it and
replaces the roster atomically (:func:`cdo_cli.output.write_files`).

Only the units a change touches are loaded in ruamel's round-trip form, each on its
own (:mod:`cdo_cli.roster_blocks`): ruamel is pure Python, and a province's roster took
it half a minute. Where a unit's block cannot be cut out and proven, the whole file is
loaded and the changes made so far are made again there, as before.

Files cdo does not edit: anchors and aliases (``&``/``*``: one change would show in
several places), explicit tags, and files ruamel cannot write back with the same data.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from .errors import CdoError, ExitCode, InvalidInputError, UnreadableError
from .findings import Finding, Severity, place
from .line_merge import line_key, merge_lines, split_lines
from .loading import Source, decode, parse, read_source
from .output import NewFile, WriteError, write_files
from .roster import Filing, PastHolder, Person
from .roster_blocks import Block, Span, load_block, merge_block, scan_roster
from .roster_evaluations import EvaluationRecord, record_pairs
from .roster_loading import LoadedRoster, resolve
from .yaml_edit import (
    block_map,
    block_seq,
    comment_lines,
    delete_entry,
    dump,
    flow_map,
    flow_safe,
    insert_entry,
    is_flow,
    round_trip,
    set_entry,
    set_scalar,
)

if TYPE_CHECKING:
    from ruamel.yaml import YAML

    from .policy import Unit
    from .policy_loading import Registry

BOM = b"\xef\xbb\xbf"
PERSON_KEYS = ("name", "title", "office", "phone", "email", "qualification", "appointed", "note")
PAST_KEYS = ("role", *PERSON_KEYS[:-2], "appointed", "ended", "note")


class EditRefusedError(CdoError):
    """cdo cannot change this roster safely (exit 2); nothing was written."""


class ChangeRejectedError(CdoError):
    """The change would give the roster errors it did not have (exit 1); nothing written."""

    exit_code = ExitCode.FINDINGS

    def __init__(self, findings: list[Finding], name: str, hint: str | None = None) -> None:
        from .findings_format import findings_text

        super().__init__(
            "修改后的名册会有以下错误，未写入：\n" + findings_text(findings, [name]).rstrip(),
            hint=hint or "行号指修改后的内容。请核对命令中给出的日期、电话、邮箱等内容。",
        )
        self.findings = findings


_UNREAD = object()


def check_text(
    source: Source, registry: Registry, data: Any = _UNREAD
) -> tuple[LoadedRoster | None, list[Finding]]:
    """A roster's text checked as ``cdo validate`` checks a file: the roster and all findings.

    ``data`` is the text as :func:`~cdo_cli.loading.parse` reads it, where already read.
    """
    return _checked(source, registry, data)[1:]


def _checked(
    source: Source, registry: Registry, data: Any = _UNREAD
) -> tuple[Any, LoadedRoster | None, list[Finding]]:
    """:func:`check_text`, with the data read (None where it could not be)."""
    from .findings import from_error
    from .roster_checks import check_roster

    if data is _UNREAD:
        try:
            data = parse(source)
        except InvalidInputError as exc:
            return None, None, [from_error(exc)]
    loaded, findings = resolve(source, data, registry)
    if loaded is not None:
        findings += place(loaded.source, check_roster(loaded))
    return data, loaded, findings


def errors_added(before: list[Finding], after: list[Finding]) -> list[Finding]:
    """The errors in ``after`` that ``before`` does not have (lines may have moved)."""

    def key(f: Finding) -> tuple[str, str, tuple[str, ...]]:
        return f.code, f.message, tuple(str(p) for p in f.path if not isinstance(p, int))

    old = Counter(key(f) for f in before if f.severity is Severity.error)
    out: list[Finding] = []
    for f in after:
        if f.severity is not Severity.error:
            continue
        if old[key(f)]:
            old[key(f)] -= 1
        else:
            out.append(f)
    return out


@dataclass(frozen=True)
class Proposal:
    """The roster as it would be written, with what validating it found."""

    text: str
    data: bytes
    loaded: LoadedRoster | None
    findings: list[Finding]
    new_errors: list[Finding]
    reformatted: bool  # ruamel's layout had to be taken for the whole file
    changed: bool


@dataclass(frozen=True)
class Saved:
    """Where the roster was written, and where the previous version was kept."""

    path: Path
    backup: Path


class Ledger:
    """A roster opened for changing. Built by :func:`open_ledger`."""

    def __init__(
        self,
        path: Path,
        source: Source,
        raw: bytes,
        registry: Registry,
        loaded: LoadedRoster,
        findings: list[Finding],
        data: Any = None,
        spans: tuple[Span, ...] | None = None,
    ) -> None:
        self.path = path
        self.source = source
        self.raw = raw
        self.registry = registry
        self.loaded = loaded
        self.findings = findings  # what validate finds in the roster as it is
        self.bom = raw.startswith(BOM)
        text = source.text
        crlf = text.count("\r\n")
        self.newline = "\r\n" if crlf and crlf * 2 >= text.count("\n") else "\n"
        # The round-trip form is loaded at the first change (it is pure Python and slow
        # on a province's roster): a command that changes nothing never pays for it.
        self._doc: Any = None
        self._base = ""
        self._yaml: YAML | None = None
        self._text_lines: list[str] | None = None
        # Each change, to be made again on the whole file where blocks do not do.
        self._done: list[tuple[str, tuple[Any, ...]]] = []
        # Blocks: the units changed, each loaded on its own (by its key in the file);
        # None once the whole file is loaded instead.
        self._data = data
        units = data.get("units") if isinstance(data, dict) else None
        self._blocks: dict[str, Block] | None = {} if spans and isinstance(units, dict) else None
        self._spans = {span.key: span for span in spans or ()}
        self._order = [span.key for span in spans or ()]  # the keys, new units included
        self._home: dict[str, str] = {}  # a new unit's key -> the block it was put in
        self._key_of: dict[str, str] | None = None  # unit name -> its (first) key

    @property
    def doc(self) -> Any:
        """The roster in ruamel's round-trip form, loaded and checked at first use.

        EditRefusedError if ruamel cannot write it back with the same data.
        """
        if self._doc is None:
            text = self.source.text
            lf = text.replace("\r\n", "\n")
            yaml = self._round_trip()
            try:
                doc = yaml.load(lf)
            except (YAMLError, ValueError, RecursionError) as exc:
                raise _not_editable(self.name, f"ruamel.yaml 无法按原样读取（{exc}）") from None
            base = dump(yaml, doc)
            if line_key_lines(base) != line_key_lines(text) and not _same_data(
                self.name, base, text
            ):
                raise _not_editable(self.name, "写回后数据会改变")
            self._doc, self._base = doc, base
        return self._doc

    @property
    def name(self) -> str:
        """The file name to show."""
        return self.source.name

    def _round_trip(self) -> YAML:
        """The round-trip YAML for this file (its indentation), made once."""
        if self._yaml is None:
            self._yaml = round_trip(self.source.text.replace("\r\n", "\n"))
        return self._yaml

    # ------------------------------------------------------------ where things are

    def _units(self, unit: Unit) -> CommentedMap | None:
        """The mapping that holds the unit's entry, or would: the file's ``units``, or
        (changing blocks) that of the block the unit is in, or goes into."""
        if self._blocks is not None:
            return self._block(unit).units
        units = self.doc.get("units")
        return units if isinstance(units, CommentedMap) else None

    def _unit_key(self, unit: Unit) -> Any:
        """The unit's key as the roster writes it (the first, if written twice), or None."""
        index = self.loaded.scheme.unit_index()
        return next((k for k in self._units(unit) or () if index.get(str(k)) is unit), None)

    def _put(self, path: list[str], leaf: Any, unit: Unit) -> None:
        """Put ``leaf`` at ``units/<unit>/path``: missing levels are created around it."""
        units = self._units(unit)
        key = self._unit_key(unit)
        if units is None or key is None:
            value = leaf
            for name in reversed(path):
                value = block_map([(name, value)])
            if units is None:
                set_entry(self.doc, "units", block_map([(unit.name, value)]))
            elif self._blocks is None:
                insert_entry(units, self._new_unit_position(unit), unit.name, value)
            else:
                anchor = self._anchor(unit)
                insert_entry(units, [str(k) for k in units].index(anchor) + 1, unit.name, value)
                self._order.insert(self._order.index(anchor) + 1, unit.name)
                self._home[unit.name] = self._home.get(anchor, anchor)
                self._keys()[unit.name] = unit.name
            return
        container: Any = units
        step: Any = key
        for i, name in enumerate(path):
            child = container.get(step) if isinstance(container, CommentedMap) else None
            if not isinstance(child, CommentedMap):
                value = leaf
                for rest in reversed(path[i:]):
                    value = block_map([(rest, value)])
                set_entry(container, step, value)
                return
            container, step = child, name
        set_entry(container, step, leaf)

    def _new_unit_position(self, unit: Unit) -> int:
        """After the last unit of the same kind in the roster, else at the end."""
        units = self._units(unit)
        index = self.loaded.scheme.unit_index()
        keys = [str(k) for k in units or ()]
        same = [i for i, k in enumerate(keys) if k in index and index[k].kind == unit.kind]
        return same[-1] + 1 if same else len(keys)

    # ------------------------------------------------------------ blocks

    def _block(self, unit: Unit) -> Block:
        """The block the unit's entry is in, or goes into (see :meth:`_anchor`), loaded at
        first use; _WholeFile where it cannot be cut out and proven."""
        assert self._blocks is not None
        key = self._keys().get(unit.name) or self._anchor(unit)
        home = self._home.get(key, key)
        block = self._blocks.get(home)
        if block is None:
            units = self._data["units"]
            if home not in units:  # the loader read the key otherwise than the scan
                raise _WholeFile
            found = load_block(
                self._round_trip(), self.name, self._lines(), self._spans[home], units[home]
            )
            if found is None:
                raise _WholeFile
            block = self._blocks[home] = found
        return block

    def _anchor(self, unit: Unit) -> str:
        """The key a new unit goes after: the last unit of the same kind, else the last."""
        index = self.loaded.scheme.unit_index()
        same = [k for k in self._order if k in index and index[k].kind == unit.kind]
        return same[-1] if same else self._order[-1]

    def _keys(self) -> dict[str, str]:
        """Each unit's key in the file (the first, if written twice), by the unit's name."""
        if self._key_of is None:
            index = self.loaded.scheme.unit_index()
            self._key_of = {}
            for key in self._order:
                found = index.get(key)
                if found is not None:
                    self._key_of.setdefault(found.name, key)
        return self._key_of

    def _lines(self) -> list[str]:
        if self._text_lines is None:
            self._text_lines = split_lines(self.source.text)
        return self._text_lines

    def _change(self, method: str, *args: Any) -> None:
        """Make a change (a method's name and arguments), and keep it for :meth:`_whole_file`."""
        try:
            getattr(self, method)(*args)
        except _WholeFile:
            self._whole_file()
            getattr(self, method)(*args)
        self._done.append((method, args))

    def _whole_file(self) -> None:
        """Load the whole file instead of blocks, and make the changes so far again there."""
        self._blocks = None
        for method, args in self._done:
            getattr(self, method)(*args)

    def _merged_blocks(self) -> tuple[str, Any] | None:
        """The file with each changed block merged in, and its data; None unless the text
        holds exactly the data ruamel was given, every comment of the file included."""
        assert self._blocks
        lines = self._lines()
        out: list[str] = []
        at = 0
        merged: dict[str, Any] = {}
        for home, block in sorted(self._blocks.items(), key=lambda item: item[1].span.start):
            found = merge_block(self._round_trip(), block, self.newline)
            if found is None:
                return None
            out += lines[at : block.span.start] + found[0]
            at = block.span.end
            merged[home] = found[1]
        out += lines[at:]
        units: dict[str, Any] = {}
        for key, value in self._data["units"].items():
            if key in merged:
                units.update(merged[key])
            else:
                units[key] = value
        text = "".join(out)
        if comment_lines(text) != comment_lines(self.source.text):
            return None
        try:
            data = parse(Source(self.name, text))
        except InvalidInputError:
            return None
        if data != {**self._data, "units": units} or list(data["units"]) != list(units):
            return None
        return text, data

    def _node(self, unit: Unit, *path: str) -> Any:
        key = self._unit_key(unit)
        node: Any = self._units(unit)[key] if key is not None else None  # type: ignore[index]
        for name in path:
            node = node.get(name) if isinstance(node, CommentedMap) else None
        return node

    def _holders(self, unit: Unit, role: str) -> list[CommentedMap]:
        value = self._node(unit, "officers", role)
        if isinstance(value, CommentedMap):
            return [value]
        if isinstance(value, CommentedSeq):
            return [v for v in value if isinstance(v, CommentedMap)]
        return []

    def _find(self, unit: Unit, role: str, name: str | None) -> CommentedMap:
        for node in self._holders(unit, role):
            if _text(node.get("name")) == name:
                return node
        raise EditRefusedError(f"名册中“{unit.name}”的“{role}”没有“{name}”")

    def _fill(self, unit: Unit, role: str, node: CommentedMap, person: Person) -> None:
        """Fill a holder's mapping; one in braces that cannot hold a value is rewritten."""
        if is_flow(node) and not all(flow_safe(v) for v in person.model_dump().values()):
            copy = block_map(node.items())
            value = self._node(unit, "officers", role)
            if value is node:
                set_entry(self._node(unit, "officers"), role, copy)
            else:
                set_entry(value, next(i for i, v in enumerate(value) if v is node), copy)
            node = copy
        _fill(node, person)

    # ------------------------------------------------------------ changes

    def add_person(self, unit: Unit, role: str, person: Person) -> None:
        """Add a holder: into a blank entry if there is one, else beside those there are."""
        self._change("_add_person", unit, role, person)

    def _add_person(self, unit: Unit, role: str, person: Person) -> None:
        blank = next((n for n in self._holders(unit, role) if _blank(n)), None)
        if blank is not None:
            self._fill(unit, role, blank, person)
            return
        value = self._node(unit, "officers", role)
        if isinstance(value, CommentedSeq):
            last = value[-1] if len(value) else None
            flow = (isinstance(last, CommentedMap) and is_flow(last)) or is_flow(value)
            set_entry(value, len(value), _person_node(person, flow))
            return
        if isinstance(value, CommentedMap):
            # A second person: the mapping becomes a list of two.
            officers = self._node(unit, "officers")
            value.ca.comment = None  # shown after the key already
            set_entry(officers, role, block_seq([value]))
            set_entry(officers[role], 1, _person_node(person, is_flow(value)))
            return
        officers = self._node(unit, "officers")
        flow = isinstance(officers, CommentedMap) and any(
            isinstance(v, CommentedMap) and is_flow(v) for v in officers.values()
        )
        self._put(["officers", role], _person_node(person, flow), unit)

    def update_person(self, unit: Unit, role: str, name: str | None, person: Person) -> None:
        """Give the holder called ``name`` exactly ``person``'s fields (others emptied)."""
        self._change("_update_person", unit, role, name, person)

    def _update_person(self, unit: Unit, role: str, name: str | None, person: Person) -> None:
        self._fill(unit, role, self._find(unit, role, name), person)

    def remove_person(self, unit: Unit, role: str, name: str | None) -> None:
        """Take a holder off a post: a list loses the item, a single mapping is emptied."""
        self._change("_remove_person", unit, role, name)

    def _remove_person(self, unit: Unit, role: str, name: str | None) -> None:
        node = self._find(unit, role, name)
        value = self._node(unit, "officers", role)
        if isinstance(value, CommentedSeq) and len(value) == 1:
            set_entry(self._node(unit, "officers"), role, None)  # not an empty block list
        elif isinstance(value, CommentedSeq):
            delete_entry(value, next(i for i, v in enumerate(value) if v is node))
        else:
            self._fill(unit, role, node, Person())

    def add_filing(self, unit: Unit, filing: Filing) -> None:
        """Record a filing at the end of the unit's filings."""
        self._change("_add_filing", unit, filing)

    def _add_filing(self, unit: Unit, filing: Filing) -> None:
        pairs: list[tuple[str, Any]] = [("obligation", filing.obligation)]
        if filing.period is not None:
            pairs.append(("period", filing.period))
        pairs.append(("date", filing.date))
        if filing.note:
            pairs.append(("note", filing.note))
        self._append(unit, "filings", pairs, flow=True)

    def set_evaluation(self, unit: Unit, record: EvaluationRecord) -> None:
        """Record scores: in place of the unit's record of that evaluation and year, else last."""
        self._change("_set_evaluation", unit, record)

    def _set_evaluation(self, unit: Unit, record: EvaluationRecord) -> None:
        pairs = record_pairs(record)
        items = self._node(unit, "evaluations")
        if isinstance(items, CommentedSeq):
            same = [
                i
                for i, node in enumerate(items)
                if isinstance(node, CommentedMap)
                and node.get("evaluation") == record.evaluation
                and node.get("year") == record.year
            ]
            if same:
                set_entry(items, same[-1], block_map(pairs))
                return
        self._append(unit, "evaluations", pairs, flow=False)

    def add_past(self, unit: Unit, past: PastHolder) -> None:
        """Keep a former holder in the unit's history."""
        self._change("_add_past", unit, past)

    def _add_past(self, unit: Unit, past: PastHolder) -> None:
        data = past.model_dump()
        pairs = [(k, data[k]) for k in PAST_KEYS if data.get(k) is not None]
        self._append(unit, "history", pairs, flow=False)

    def _append(self, unit: Unit, key: str, pairs: list[tuple[str, Any]], flow: bool) -> None:
        items = self._node(unit, key)
        if isinstance(items, CommentedSeq) and len(items):
            last = items[-1]
            flow = is_flow(last) if isinstance(last, CommentedMap) else flow
            set_entry(items, len(items), flow_map(pairs) if flow else block_map(pairs))
            return
        item = flow_map(pairs) if flow else block_map(pairs)
        if isinstance(items, CommentedMap):  # one item written as a mapping
            item_list = block_seq([items, item])
            items.ca.comment = None
            set_entry(self._node(unit), key, item_list)
            return
        self._put([key], block_seq([item]), unit)

    # ------------------------------------------------------------ writing

    def propose(self) -> Proposal:
        """The changed roster as it would be written, proven and validated (nothing written)."""
        if self._blocks:
            found = self._merged_blocks()
            if found is not None:
                return self._proposal(*found, reformatted=False)
            self._whole_file()
        theirs = self.source.text
        if self._doc is not None:
            theirs = dump(self._round_trip(), self.doc)
        ours = split_lines(self.source.text)
        merged = "".join(
            merge_lines(line_key_lines(self._base), ours, line_key_lines(theirs), self.newline)
        )
        reformatted = False
        if not self._proven(merged, theirs):
            merged = theirs.replace("\n", self.newline)
            reformatted = True
            if not self._proven(merged, theirs):
                raise _not_editable(self.name, "修改后无法保证数据和注释不变")
        return self._proposal(merged, _UNREAD, reformatted)

    def _proposal(self, text: str, data: Any, reformatted: bool) -> Proposal:
        """The text as it would be written, checked as ``cdo validate`` checks it."""
        raw = (BOM if self.bom else b"") + text.encode("utf-8")
        loaded, findings = check_text(Source(self.name, text), self.registry, data)
        return Proposal(
            text,
            raw,
            loaded,
            findings,
            errors_added(self.findings, findings),
            reformatted,
            raw != self.raw,
        )

    def _proven(self, text: str, theirs: str) -> bool:
        if comment_lines(text) != comment_lines(self.source.text):
            return False
        return _same_data(self.name, text, theirs)

    def save(self, proposal: Proposal, now: dt.datetime) -> Saved:
        """Keep the file as it was in a backup beside it, then replace it atomically.

        Refused (exit 2) when the roster changed on disk since it was read, is read-only
        or a symbolic link.
        """
        path = self.path
        try:
            st = path.lstat()
            current = path.read_bytes()
        except FileNotFoundError:
            raise UnreadableError(
                f"{self.name}: 文件已不存在（读取后被删除或移动），未写入"
            ) from None
        except OSError as exc:
            raise UnreadableError(
                f"{self.name}: 无法再次读取（{exc.strerror or exc}），未写入"
            ) from None
        if stat.S_ISLNK(st.st_mode):
            raise EditRefusedError(
                f"{self.name} 是符号链接，cdo 不会写穿链接修改名册",
                hint="请直接指定链接指向的文件（--roster）。",
            )
        if current != self.raw:
            raise EditRefusedError(
                f"{self.name} 在 cdo 读取之后被其他程序修改了，未写入",
                hint="请重新运行命令。",
            )
        if not st.st_mode & stat.S_IWUSR:
            raise EditRefusedError(
                f"{self.name} 是只读文件，未修改",
                hint="确认可以修改后去掉文件的只读属性，再重新运行。",
            )
        backup = _backup(path, self.raw, now)
        write_files([NewFile(path, proposal.data)], force=True)
        return Saved(path, backup)


def _backup(path: Path, raw: bytes, now: dt.datetime) -> Path:
    """Write ``raw`` to a new ``<name>.<YYYYmmdd-HHMMSS>[-N].bak``; never over another file."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    for n in range(1, 1000):
        candidate = path.with_name(f"{path.name}.{stamp}{'' if n == 1 else f'-{n}'}.bak")
        if os.path.lexists(candidate):
            continue
        try:
            write_files([NewFile(candidate, raw)])
        except WriteError:
            if os.path.lexists(candidate):
                continue  # another run took the name meanwhile
            raise
        return candidate
    raise EditRefusedError(f"无法为 {path} 找到备份文件名，未写入")


def open_ledger(path: Path, registry: Registry, display: str | None = None) -> Ledger:
    """Read a roster for changing.

    UnreadableError (exit 2) if it cannot be read; :class:`~cdo_cli.workspace.RosterInvalidError`
    (exit 1) if it is not a roster cdo can use at all (validate's findings); EditRefusedError
    (exit 2) if it is written in a way cdo does not edit.
    """
    from .workspace import RosterInvalidError

    source = read_source(path, display)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UnreadableError(f"{source.name}: 无法读取（{exc.strerror or exc}）") from None
    if decode(raw, source.name) != source.text:
        raise EditRefusedError(f"{source.name} 正在被其他程序修改，未改动", hint="请稍后重新运行。")
    data, loaded, findings = _checked(source, registry)
    if loaded is None:
        raise RosterInvalidError([f for f in findings if f.severity is Severity.error])
    scan = scan_roster(source.text)
    if scan.unusual:
        raise _not_editable(source.name, scan.unusual, "请把锚点、别名或标签改成普通写法后再试。")
    return Ledger(path, source, raw, registry, loaded, findings, data, scan.spans)


class _WholeFile(Exception):
    """A unit's block cannot be cut out of the file and proven: edit the whole file."""


def _not_editable(name: str, why: str, hint: str = "") -> EditRefusedError:
    return EditRefusedError(
        f"{name}：cdo 不能自动修改这个名册：{why}",
        hint=f"名册未改动。{hint or '请手工修改名册，并把这个文件报告给维护者。'}",
    )


def line_key_lines(text: str) -> list[str]:
    """The lines of ``text`` without their line ends."""
    return [line_key(line) for line in split_lines(text)]


def _same_data(name: str, one: str, other: str) -> bool:
    try:
        return bool(parse(Source(name, one)) == parse(Source(name, other)))
    except InvalidInputError:
        return False


# ---------------------------------------------------------------- people as mappings


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    text = str(value)
    return text if text.strip() else None


def _blank(node: CommentedMap) -> bool:
    return not any(_text(node.get(k)) for k in ("name", "title", "phone", "email"))


def _person_pairs(person: Person) -> list[tuple[str, Any]]:
    data = person.model_dump()
    return [(k, data[k]) for k in PERSON_KEYS if data.get(k) is not None]


def _person_node(person: Person, flow: bool) -> CommentedMap:
    pairs = _person_pairs(person)
    return flow_map(pairs) if flow else block_map(pairs)


def _fill(node: CommentedMap, person: Person) -> None:
    """Set every person field of ``node`` to ``person``'s.

    A field ``person`` leaves empty is emptied where the mapping is written one key per
    line (the key and its comment stay: the template's layout), removed where in braces.
    """
    data = person.model_dump()
    for key in PERSON_KEYS:
        value = data.get(key)
        if key in node and value is None and is_flow(node):
            del node[key]  # {name: 李四} emptied is {}, not {name: null}
        elif key in node:
            if not _same_value(node[key], value):
                set_scalar(node, key, value)
        elif value is not None:
            set_entry(node, key, value)


def _same_value(old: Any, new: Any) -> bool:
    """Whether a value as written already says ``new`` (13912345678 is "13912345678")."""
    if isinstance(new, dt.date):
        return bool(old == new) or _text(old) == new.isoformat()
    return _text(old) == _text(new)
