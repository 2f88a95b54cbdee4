"""Reading YAML files safely, fast, and with positions for the messages.

Only regular files are read, and at most MAX_BYTES of them; the kind of file is checked
before it is opened, so a FIFO or a device never blocks a command. Names are shown with
undecodable bytes and control characters escaped.

Files are parsed with ruamel.yaml's C parser where installed: plain data is built
straight from its events, anything else by ruamel's safe loader; no tags that run code
are ever constructed. Only plain data is built (see :class:`_PlainData`): every key is
text, dates stay strings so that pydantic reports a date like 2023-13-45 at its key
instead of the parser failing on it, and anything else is refused at its place, in
Chinese (see yaml_errors). Lines are counted as YAML 1.2 and editors count them: LF, CR
and CRLF, not NEL, LS or PS.

Line and column numbers come from a second parse, made only when there is something to
report: the C parser's nodes, placed where ruamel's round-trip loader would place them,
or that loader itself for files the first cannot answer for.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import BaseConstructor, RoundTripConstructor, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, ReusedAnchorWarning, YAMLError
from ruamel.yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

from . import yaml_errors as why
from .errors import InvalidInputError, UnreadableError, os_reason
from .gc_pause import gc_paused
from .text import visible

# Deeper than this, the C parser recurses far enough to crash the interpreter;
# such a file is parsed by the pure-Python parser, which fails cleanly instead.
_DEEP = 500
_MAX_DEPTH = 200
# An alias may expand a document to at most this many nodes more than it holds.
_MAX_EXPANSION = 100_000
# The largest file read: a province roster of 120,000 units is about 70 MB.
MAX_BYTES = 256 * 1024 * 1024
_MIB = 1024 * 1024


# ---------------------------------------------------------------- reading


@dataclass(frozen=True)
class Source:
    """A file's text and the name to show for it."""

    name: str
    text: str


def display_name(path: Path | str) -> str:
    """A path as it may be shown and written to JSON.

    Bytes of the name that are not UTF-8 (a name from an old archive, given on the
    command line) are shown as ``\\xNN``, control characters as escapes.
    """
    raw = os.fsencode(path)
    return visible(raw.decode("utf-8", errors="backslashreplace"))


def read_source(path: Path, display: str | None = None) -> Source:
    """Read a regular file as UTF-8 (a BOM is fine); raise a user-ready error otherwise."""
    name = visible(display) if display is not None else display_name(path)
    return Source(name, decode(_read_bytes(path, name), name))


def _read_bytes(path: Path, name: str) -> bytes:
    """The file's bytes; UnreadableError for anything that is not a readable regular file.

    The kind of file is checked before it is opened: opening a FIFO with no writer, or
    reading /dev/zero, would never end. It is opened without blocking in case it changed
    in between, and at most MAX_BYTES + 1 are read, whatever the file claims its size is.
    """
    try:
        info = os.stat(path)
        _check_kind(name, info.st_mode)
        if info.st_size > MAX_BYTES:
            raise _too_large(name, info.st_size)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as file:
            _check_kind(name, os.fstat(file.fileno()).st_mode)
            chunks: list[bytes] = []
            size = 0
            want = min(info.st_size, MAX_BYTES) + 1  # one more to see the end, or growth
            while size <= MAX_BYTES:
                chunk = file.read(min(MAX_BYTES + 1 - size, max(want - size, _MIB)))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except OSError as exc:
        raise UnreadableError(f"{name}: {_os_problem(path, exc)}", hint=_os_hint(exc)) from None
    except ValueError:  # a NUL in the path
        raise UnreadableError(f"{name}: 路径中含有空字符（\\x00），无法打开") from None
    if size > MAX_BYTES:
        raise _too_large(name)  # it grew, or said it was empty (as /proc files do)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _check_kind(name: str, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise UnreadableError(f"{name}: 这是一个文件夹，不是文件")
    if stat.S_ISFIFO(mode):
        what = "命名管道（FIFO）"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "设备文件"
    elif stat.S_ISSOCK(mode):
        what = "套接字（socket）"
    else:
        what = "特殊文件"
    raise UnreadableError(
        f"{name}: 这是一个{what}，不是普通文件，不读取", hint="请指定 YAML 文件。"
    )


def _too_large(name: str, size: int | None = None) -> UnreadableError:
    """``size`` is the size the file claims, None when it was found by reading."""
    about = f"（约 {round(size / _MIB)} MB）" if size is not None else ""
    return UnreadableError(
        f"{name}: 文件过大{about}，cdo 最多读取 {MAX_BYTES // _MIB} MB",
        hint="请确认选择的是 YAML 名册或方案文件。",
    )


# What reading a file most often runs into, said for a file to read; anything else in
# errors.os_reason's words.
_OS_PROBLEMS = {
    errno.ENOENT: "文件不存在",
    errno.EACCES: "没有读取权限",
    errno.EPERM: "没有读取权限",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOTDIR: "路径中的某一级不是文件夹",
    errno.ELOOP: "符号链接形成了循环（或层数过多），找不到实际的文件",
    errno.ENAMETOOLONG: "路径或文件名过长",
    errno.EFBIG: "文件过大",
    errno.EOVERFLOW: "文件过大",
}
_WINDOWS_SHARING_VIOLATION = 32


def _os_problem(path: Path, exc: OSError) -> str:
    if getattr(exc, "winerror", None) == _WINDOWS_SHARING_VIOLATION:
        return "文件正被其他程序（如 WPS、Excel）占用"
    if exc.errno == errno.ENOENT and os.path.lexists(path):
        return "这是一个指向不存在文件的符号链接"
    known = _OS_PROBLEMS.get(exc.errno or 0)
    if known:
        return known
    reason = visible(os_reason(exc))
    chinese = exc.errno is not None and not reason.startswith(exc.strerror or type(exc).__name__)
    return f"无法读取：{reason}" if chinese else f"无法读取（{reason}）"


def _os_hint(exc: OSError) -> str | None:
    if getattr(exc, "winerror", None) == _WINDOWS_SHARING_VIOLATION:
        return "请关闭打开该文件的程序后重试。"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "请检查文件的权限，或换一个有权限的用户运行。"
    if exc.errno == errno.ENAMETOOLONG:
        return "请把文件移到路径较短的文件夹，或改短文件名。"
    return None


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text of ``raw``, with a plain message for binary, UTF-16 or GBK files."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or re.match(rb"(?:[^\x00]\x00){4}", raw):
        raise InvalidInputError(
            "文件是 UTF-16 编码（记事本的“Unicode”）",
            hint="请用记事本或 WPS“另存为”并选择 UTF-8 编码。",
            file=name,
        )
    if b"\x00" in raw[:8192]:
        raise InvalidInputError(
            "这不是文本文件（含有二进制数据）",
            hint="请提供 UTF-8 编码的 YAML 文本文件。",
            file=name,
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(raw, exc.start)
        try:
            raw.decode("gb18030")
            guess = "看起来是 GBK/GB18030 编码"
        except UnicodeDecodeError:
            guess = "编码无法识别"
        raise InvalidInputError(
            f"文件不是 UTF-8 编码（{guess}）",
            hint="请用记事本或 WPS“另存为”并选择 UTF-8 编码，"
            "或运行：iconv -f GB18030 -t UTF-8 旧文件 > 新文件",
            file=name,
            line=line,
            column=column,
        ) from None


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of a byte offset, counting LF, CR and CRLF as editors do."""
    before = raw[:offset]
    breaks = list(re.finditer(rb"\r\n|\r|\n", before))
    start = breaks[-1].end() if breaks else 0
    start = start + 3 if not breaks and before.startswith(b"\xef\xbb\xbf") else start
    column = len(before[start:].decode("utf-8", errors="replace")) + 1
    return len(breaks) + 1, column


# ---------------------------------------------------------------- constructing plain data

_CORE = "tag:yaml.org,2002:"
# The tags a file may use, and the kind of node each applies to. ``value`` is what ruamel
# resolves a plain "=" to: a string here, as YAML 1.2 has it.
_PLAIN: dict[str, type[Any]] = {
    **{
        _CORE + t: ScalarNode for t in ("null", "bool", "int", "float", "str", "timestamp", "value")
    },
    _CORE + "seq": SequenceNode,
    _CORE + "map": MappingNode,
}
_MERGE = _CORE + "merge"
_STR_TAG = _CORE + "str"
_SURROGATE = re.compile("[\ud800-\udfff]")


class _PlainData(BaseConstructor):
    """Builds plain data only, and says in Chinese, at the node, why it will not.

    Plain data is what the models read: mappings with scalar keys, lists, strings,
    numbers, booleans and nulls (timestamps stay strings). Other tags, lists or mappings
    as keys, bad merge keys and values a tag cannot build (``!!int abc``) are refused with
    :class:`~cdo_cli.yaml_errors.Refused` before ruamel raises a ValueError, a TypeError
    or an English message about them.
    """

    def construct_non_recursive_object(self, node: Any, tag: str | None = None) -> Any:
        name = str(node.tag if tag is None else tag)
        kind = _PLAIN.get(name)
        if kind is None:
            raise why.refused_tag(node, name)
        if not isinstance(node, kind):
            raise why.wrong_kind(node, name, kind)
        if kind is MappingNode:
            _check_mapping(node, set())
            return super().construct_non_recursive_object(node, tag)
        if kind is SequenceNode:
            return super().construct_non_recursive_object(node, tag)
        if _SURROGATE.search(node.value):
            raise why.lone_surrogate(node)
        try:
            return super().construct_non_recursive_object(node, tag)
        except (ValueError, TypeError, KeyError, IndexError, OverflowError):
            raise why.bad_scalar(node, name) from None

    def check_mapping_key(
        self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any
    ) -> bool:
        """True for a new key; a duplicate is refused, naming the line of the first."""
        if key not in mapping:
            return True
        own = node.value[len(getattr(node, "merge", None) or ()) :]
        first = next(
            (k for k, _ in own if k is not key_node and self.construct_object(k, deep=True) == key),
            None,
        )
        line = first.start_mark.line + 1 if first is not None else None
        raise why.duplicate_key(key, key_node.start_mark, line)


def _check_mapping(node: Any, seen: set[int]) -> None:
    """Keys are scalars; a merge key ``<<`` appears once and merges mappings."""
    if id(node) in seen:
        return
    seen.add(id(node))
    merged = False
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode):
            raise why.complex_key(key_node)
        if key_node.tag != _MERGE:
            if str(key_node.tag) in _PLAIN:
                # Every key cdo reads is a name: ``1:`` or ``true:`` is the text "1" or
                # "true", to be reported as an unknown name, not as a number.
                key_node.tag = _STR_TAG
            continue
        if merged:
            raise why.duplicate_merge(key_node)
        merged = True
        parts = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
        for part in parts:
            if not isinstance(part, MappingNode):
                raise why.bad_merge(key_node, part)
            _check_mapping(part, seen)


class _Constructor(_PlainData, SafeConstructor):
    """Safe constructor of plain data that leaves timestamps as strings for pydantic."""


_Constructor.add_constructor(_CORE + "timestamp", SafeConstructor.construct_yaml_str)
_Constructor.add_constructor(_CORE + "value", SafeConstructor.construct_yaml_str)


class _PositionConstructor(_PlainData, RoundTripConstructor):
    """Round-trip constructor (keeps positions) of plain data, timestamps as strings."""


_PositionConstructor.add_constructor(_CORE + "timestamp", RoundTripConstructor.construct_yaml_str)
_PositionConstructor.add_constructor(_CORE + "value", RoundTripConstructor.construct_yaml_str)


@contextmanager
def _quiet() -> Iterator[None]:
    """No ruamel warning reaches the terminal; a reused anchor is an error, as in the C parser."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", ReusedAnchorWarning)
        yield


def _compiled(regexp: Any) -> Any:
    """The pattern itself: ruamel wraps its patterns in a LazyEval, which passes every
    ``match`` through a Python ``__getattribute__`` (a tenth of a second per 20,000 units)."""
    lazy = getattr(regexp, "lazy_self", None)
    return lazy() if callable(lazy) else regexp


class _CResolver(VersionedResolver):
    """The resolver for the C parser, with the YAML version looked up once per load.

    ruamel looks the version up twice for every node, each time through two caught
    AttributeErrors; on a province-sized roster that was a third of the load. With the C
    parser the version cannot change during a load (it does not pass ``%YAML`` on), so
    the first answer is the answer.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._version = super().processing_version
        self._implicit: dict[Any, list[tuple[Any, Any]]] = self.versioned_resolver
        # First character -> the (tag, regexp) pairs to try: most values are text whose
        # first character no pattern starts with, so this is usually empty.
        self._candidates: dict[str, tuple[tuple[str, Any], ...]] = {}

    @property
    def processing_version(self) -> Any:
        return self._version

    def implicit_tag(self, value: str) -> str | None:
        """The tag a plain scalar resolves to (null, bool, int, …), or None for a string."""
        first = value[0] if value else ""
        candidates = self._candidates.get(first)
        if candidates is None:
            table = self._implicit
            candidates = tuple(
                (str(tag), _compiled(regexp))
                for tag, regexp in (*table.get(first, ()), *table.get(None, ()))
            )
            self._candidates[first] = candidates
        for tag, regexp in candidates:
            if regexp.match(value):
                return tag
        return None

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        # VersionedResolver.resolve with the resolver table looked up once.
        if kind is ScalarNode and implicit[0]:
            tag = self.implicit_tag(value)
            if tag is not None:
                return Tag(suffix=tag)
        if self.yaml_path_resolvers:
            return super().resolve(kind, value, (False, False))
        if kind is ScalarNode:
            return self.DEFAULT_SCALAR_TAG
        if kind is SequenceNode:
            return self.DEFAULT_SEQUENCE_TAG
        return self.DEFAULT_MAPPING_TAG


class _Unusual(Exception):
    """The file uses something the event path leaves to ruamel's own loader."""


def _yaml(pure: bool) -> YAML:
    yaml = YAML(typ="safe", pure=pure)
    yaml.Constructor = _Constructor
    if _has_c_parser(yaml):
        yaml.Resolver = _CResolver
    return yaml


def _has_c_parser(yaml: YAML) -> bool:
    """True when ruamel.yaml.clib is there to parse (it may be missing on some platforms)."""
    return getattr(yaml.Parser, "__name__", "") == "CParser"


def _c_loader(text: str) -> Any:
    """ruamel's loader object on the C parser (parser, constructor and resolver in one)."""
    yaml = _yaml(pure=False)
    if not _has_c_parser(yaml):
        raise _Unusual  # the pure-Python parser: its own loader does everything
    return yaml.get_constructor_parser(text)[0]


def _looks_deep(text: str) -> bool:
    """Cheap over-estimate of nesting depth: brackets, or indentation and dashes."""
    if re.search(rf"^[ \-]{{{_DEEP},}}", text, re.M):
        return True
    if text.count("[") + text.count("{") < _DEEP:
        return False
    depth = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth += 1 if match.group() in "[{" else -1
        if depth >= _DEEP:
            return True
    return False


_NO_KEY = object()
_SCALAR_TAGS = {_CORE + t for t in ("null", "bool", "int", "float")}
_TEXT_TAGS = {_CORE + "timestamp", _CORE + "value"}  # kept as text (_Constructor)


def _load_c(text: str) -> tuple[Any, bool]:
    """Load with the C parser, building plain data straight from its events.

    ruamel's own loader first builds a node (with two marks) for every value and only
    then the data; for a province-sized roster that took as long as everything else
    together, and most of its memory. Files that use anything beyond mappings, lists and
    scalars with plain tags (anchors, aliases, merge keys, tagged lists or mappings,
    complex keys, several documents, nesting deeper than allowed) go to ruamel's loader,
    which gives the same data, or the same error. An error the C parser raises, a value
    that cannot be built and a duplicate key are reported straight away: ruamel's loader
    would only say the same after loading the whole file again. The flag is True for
    data read from events.
    """
    try:
        return _from_events(text), True
    except _Duplicate as dup:
        first = _first_key_line(text, dup.mapping, dup.key)
        raise why.duplicate_key(dup.key, dup.mark, first) from None
    except _Unusual:
        return _yaml(pure=False).load(text), False


class _Duplicate(Exception):
    """A key seen twice in one mapping (the ``mapping``-th list or mapping of the file)."""

    def __init__(self, mapping: int, key: str, mark: Any) -> None:
        super().__init__(key)
        self.mapping = mapping
        self.key = key
        self.mark = mark


def _from_events(text: str) -> Any:
    loader = _c_loader(text)
    get, implicit_tag, construct = loader.get_event, loader.implicit_tag, loader.construct_object
    if get().__class__ is not StreamStartEvent or get().__class__ is not DocumentStartEvent:
        raise _Unusual
    # The container being filled, whether it is a mapping, the key waiting for its
    # value, and which list or mapping of the file it is (for _Duplicate); the outer
    # ones' in ``outer``. In locals, not on stacks: a province's roster has a million
    # events, and this loop is most of reading it.
    root: list[Any] = []
    parent: Any = root
    in_dict = False
    key: Any = _NO_KEY
    ordinal = 0
    outer: list[tuple[Any, bool, int]] = []
    count = 0
    while True:
        event = get()
        kind = event.__class__
        if kind is ScalarEvent:
            if event.anchor is not None:
                raise _Unusual
            node = event.value
            tag = event.ctag
            if tag is not None:
                tag = str(tag)
                if tag == "!" or (tag == _MERGE and not event.implicit[0]):
                    raise _Unusual  # a non-specific tag, resolved by ruamel's loader
            if in_dict and key is _NO_KEY:
                # A key: text as written (see _check_mapping).
                if tag is not None and tag not in _PLAIN:
                    construct(ScalarNode(tag, node, event.start_mark, event.end_mark))  # refused
                if node == "<<" and event.implicit[0]:
                    raise _Unusual  # a merge key
                if node in parent:
                    raise _Duplicate(ordinal, node, event.start_mark)
                key = node
                continue
            if tag is None:
                if event.implicit[0]:
                    tag = implicit_tag(node)
                    if tag is not None and tag not in _TEXT_TAGS:
                        if tag not in _SCALAR_TAGS:
                            raise _Unusual
                        node = construct(ScalarNode(tag, node, event.start_mark, event.end_mark))
            else:  # an explicit tag: built, or refused, by _PlainData
                node = construct(ScalarNode(tag, node, event.start_mark, event.end_mark))
            if in_dict:
                parent[key] = node
                key = _NO_KEY
            else:
                parent.append(node)
            continue
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                raise _Unusual
            node = {} if kind is MappingStartEvent else []
            count += 1
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            parent, in_dict, ordinal = outer.pop()
            key = _NO_KEY
            continue
        elif kind is DocumentEndEvent:
            break
        else:  # an alias
            raise _Unusual
        if in_dict:
            if key is _NO_KEY:
                raise _Unusual  # a list or a mapping as a key, for ruamel's loader to refuse
            parent[key] = node
            key = _NO_KEY
        else:
            parent.append(node)
        outer.append((parent, in_dict, ordinal))
        if len(outer) > _MAX_DEPTH:
            raise _Unusual  # for _check_shape to report
        parent, in_dict, ordinal = node, kind is MappingStartEvent, count
    if get().__class__ is not StreamEndEvent:
        raise _Unusual  # another document: ruamel's loader says it expected one
    return root[0]


def _first_key_line(text: str, mapping: int, key: str) -> int | None:
    """The line of ``key``'s first occurrence in the ``mapping``-th list or mapping.

    Read again from the events, only when a duplicate was found: keeping every key's line
    while loading would cost every file what only a faulty one needs.
    """
    get = _c_loader(text).get_event
    count = 0
    while count < mapping:
        kind = get().__class__
        if kind is MappingStartEvent or kind is SequenceStartEvent:
            count += 1
        elif kind is StreamEndEvent:
            return None
    level, expect_key = 0, True
    while True:
        event = get()
        kind = event.__class__
        if level == 0 and expect_key:
            if kind is not ScalarEvent:
                return None
            if event.value == key:
                return int(event.start_mark.line) + 1
            expect_key = False
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            level += 1
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            level -= 1
            expect_key = level == 0
        elif level == 0:
            expect_key = True  # after a scalar value or an alias


# A line with something on it besides blanks and a comment (lines end at LF, CR or CRLF,
# as yaml_lines splits them): found without splitting a province-sized file into lines.
_CONTENT = re.compile(r"(?:\A|[\r\n])[^\S\r\n]*[^\s#]")


def parse(source: Source) -> Any:
    """Parse YAML text into plain data, raising InvalidInputError with a position."""
    if not _CONTENT.search(source.text):
        what = "文件是空的" if not source.text.strip() else "文件只有注释，没有内容"
        raise InvalidInputError(what, hint="可用 cdo init 生成模板。", file=source.name)
    text, back = _stand_ins(source.text)
    name = source.name
    try:
        with gc_paused(), _quiet():
            if _looks_deep(text):
                data, plain = _yaml(pure=True).load(text), False
            else:
                data, plain = _load_c(text)
    except why.Refused as exc:
        raise exc.to_error(name, back) from None
    except MarkedYAMLError as exc:
        raise why.syntax_error(name, source.text, exc, back) from None
    except ReaderError as exc:
        raise why.reader_error(name, source.text, exc.character, exc.position) from None
    except ReusedAnchorWarning as exc:
        raise why.anchor_warning_error(name, source.text, exc) from None
    except RecursionError:
        raise InvalidInputError(
            "嵌套层数过深，无法处理", hint=f"嵌套不应超过 {_MAX_DEPTH} 层。", file=name
        ) from None
    except YAMLError as exc:  # any other, without a mark
        raise why.other_error(name, exc) from None
    if not plain:  # plain data has no aliases, and its nesting was checked as it was read
        _check_shape(source, data)
    return _restore(data, back) if back else data


# NEL, LS and PS end a line in YAML 1.1, and for both of ruamel's parsers (which count
# lines differently around them: the C one does, the Python one does not). In YAML 1.2,
# as in Notepad and VS Code, they are characters like any other; they are read as such
# by standing private-use characters the file does not use in for them while it is parsed.
_NOT_BREAKS = "\x85\u2028\u2029"


def _stand_ins(text: str) -> tuple[str, dict[int, str]]:
    """``text`` with NEL, LS and PS replaced, and the table that puts them back."""
    present = [ch for ch in _NOT_BREAKS if ch in text]
    if not present:
        return text, {}
    free = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)
    there = {ch: stand_in for ch, stand_in in zip(present, free, strict=False)}
    if len(there) < len(present):  # every private-use character is taken: leave as is
        return text, {}
    for char, stand_in in there.items():
        text = text.replace(char, stand_in)  # far faster than str.translate on a large text
    return text, {ord(v): k for k, v in there.items()}


def _restore(data: Any, table: dict[int, str]) -> Any:
    """Put the characters :func:`_stand_ins` replaced back into every string and key."""
    marked = re.compile("[" + "".join(map(chr, table)) + "]").search
    if isinstance(data, str):
        return data.translate(table) if marked(data) else data
    seen: set[int] = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str):
                    if marked(value):
                        node[key] = value.translate(table)
                elif isinstance(value, dict | list):
                    stack.append(value)
            if any(isinstance(key, str) and marked(key) for key in node):
                items = list(node.items())
                node.clear()
                node.update((k.translate(table) if isinstance(k, str) else k, v) for k, v in items)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, str):
                    if marked(value):
                        node[i] = value.translate(table)
                elif isinstance(value, dict | list):
                    stack.append(value)
    return data


def _check_shape(source: Source, data: Any) -> None:
    """Reject alias bombs and absurd nesting before any model walks the data."""
    seen: dict[int, int] = {}
    stack: list[tuple[Any, int]] = [(data, 1)]
    unique = expanded = 0
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, dict | list):
            continue
        expanded += 1
        if depth > _MAX_DEPTH:
            raise InvalidInputError(
                f"嵌套层数过深（超过 {_MAX_DEPTH} 层）",
                hint="请检查文件结构，名册只需要几层缩进。",
                file=source.name,
            )
        if expanded > unique + _MAX_EXPANSION:
            raise InvalidInputError(
                "别名（*）展开后数据量过大，疑似“别名炸弹”",
                hint="请不要用锚点和别名（& 与 *）重复引用大块内容。",
                file=source.name,
            )
        if id(node) in seen:
            # An alias: count its expansion but walk it again only to count.
            pass
        else:
            seen[id(node)] = depth
            unique += 1
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children)


def load_yaml(path: Path, display: str | None = None) -> tuple[Source, Any]:
    """Read and parse one file; errors are user-ready CdoErrors."""
    source = read_source(path, display)
    return source, parse(source)


Position = tuple[int | None, int | None]
KeyPath = tuple[str | int, ...]
Finder = Callable[[KeyPath, bool], Position]


def position_finder(source: Source, paths: Iterable[KeyPath]) -> Finder:
    """A function from a key path to (line, column), 1-based.

    ``paths`` are the paths that will be asked about: the file is read once for their
    positions alone, so that tens of thousands of findings do not need a tree of the
    whole file's positions. The function's second argument asks for the key's position
    even where the key holds a scalar (for an unknown key); otherwise a scalar's own
    position is given. A path is placed as deep as it exists in the file.
    """
    text, back = _stand_ins(source.text)
    if not back:
        return _finder(text, paths)
    # Keys with NEL, LS or PS were read with stand-ins for them (see parse).
    there = {ord(v): k for k, v in back.items()}

    def swap(path: KeyPath) -> KeyPath:
        return tuple(k.translate(there) if isinstance(k, str) else k for k in path)

    find = _finder(text, [swap(path) for path in paths])

    def find_swapped(path: KeyPath, at_key: bool = False) -> Position:
        return find(swap(path), at_key)

    return find_swapped


def _finder(text: str, paths: Iterable[KeyPath]) -> Finder:
    """position_finder for text without NEL, LS or PS."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # parse() has reported what matters
        if not _looks_deep(text) and not _ODD_BREAKS.search(text):
            with gc_paused():
                try:
                    return _positions_from_events(text, list(dict.fromkeys(paths)))
                except (_Unusual, YAMLError):
                    pass
        # The reference: the round-trip loader's whole tree with positions (``.lc``).
        yaml = YAML(typ="rt")
        yaml.Constructor = _PositionConstructor
        try:
            tree = yaml.load(text)
        except (YAMLError, RecursionError, ValueError):
            tree = None

    def find(path: KeyPath, at_key: bool = False) -> Position:
        node = tree
        best: Position = (1, 1) if tree is not None else (None, None)
        for key in path:
            lc = getattr(node, "lc", None)
            try:
                if isinstance(node, list) and isinstance(key, int):
                    if lc is not None:
                        line, col = lc.item(key)
                        best = (line + 1, col + 1)
                    node = node[key]
                elif isinstance(node, dict) and isinstance(key, int):
                    continue  # a single mapping standing for a one-item list
                elif isinstance(node, dict):
                    if lc is not None:
                        on_key = at_key or not _is_leaf(node, key) or node.get(key) is None
                        line, col = lc.key(key) if on_key else lc.value(key)  # a null: its key
                        best = (line + 1, col + 1)
                    node = node[key]
                else:
                    break
            except (KeyError, IndexError, TypeError):
                break
        return best

    return find


def _is_leaf(node: dict[Any, Any], key: Any) -> bool:
    return not isinstance(node.get(key), dict | list)


_KEY_TAGS = {_CORE + t for t in ("str", "null", "bool", "int", "float", "timestamp", "value")}
_DOCUMENT_MARKERS = ("---", "...")
# A lone CR (an old Mac file): _value_position and _Lines count \n only. (NEL, LS and PS
# never reach here: see _stand_ins.)
_ODD_BREAKS = re.compile("\r(?!\n)")
_NODE_EVENTS = (ScalarEvent, MappingStartEvent, SequenceStartEvent)
# The paths that reach a mapping or a list, each with the index of its next step.
_Reaching = list[tuple[KeyPath, int]]


class _Open:
    """A mapping or list being read: the paths through it, and where the reading is."""

    __slots__ = ("event", "index", "key", "key_mark", "keys", "mapping", "wants")

    def __init__(self, event: Any, reaching: _Reaching) -> None:
        self.event = event  # its start event
        self.mapping = event.__class__ is MappingStartEvent
        self.wants = _next_steps(reaching, self.mapping) if reaching else {}
        self.key: Any = _NO_KEY  # a mapping's key waiting for its value
        self.key_mark: Any = None
        self.keys: set[Any] = set()
        self.index = 0  # a list's next item


def _next_steps(reaching: _Reaching, mapping: bool) -> dict[Any, _Reaching]:
    """The keys (of a mapping) or indexes (of a list) that the paths go on to."""
    out: dict[Any, _Reaching] = {}
    for path, i in reaching:
        if mapping:  # find() passes over an index on a mapping (one standing for a list)
            while i < len(path) and isinstance(path[i], int):
                i += 1
        if i < len(path) and isinstance(path[i], int) != mapping:
            out.setdefault(path[i], []).append((path, i + 1))
    return out


def _positions_from_events(text: str, paths: list[KeyPath]) -> Finder:
    """The positions of ``paths`` as the round-trip loader gives them, from the C parser.

    Every event is checked against what these positions were checked for (an alias, a
    tag, a complex, empty or duplicate key, an empty value in a place not covered by
    :func:`_value_position` raise _Unusual, and the round-trip loader answers instead);
    only the positions on the paths are kept, the deepest found for each path: at its
    key and where its value starts (the same for a mapping or list).
    """
    loader = _c_loader(text)
    get = loader.get_event
    lines = _Lines(text)
    found: dict[KeyPath, tuple[int, int, int, int]] = {}
    root: Position = (None, None)
    if get().__class__ is not StreamStartEvent:
        raise _Unusual
    event = get()
    if event.__class__ is not StreamEndEvent:  # else there is no document at all
        if event.__class__ is not DocumentStartEvent:
            raise _Unusual
        stack: list[_Open] = []
        while True:
            event = get()
            kind = event.__class__
            if kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
                continue
            if kind is DocumentEndEvent:
                break
            if kind not in _NODE_EVENTS:
                raise _Unusual  # an alias
            if not stack:  # the document's own value
                if kind is ScalarEvent:
                    root = (None, None) if _scalar(loader, event) is None else (1, 1)
                else:
                    root = (1, 1)
                    stack.append(_Open(event, [(path, 0) for path in paths]))
                continue
            parent = stack[-1]
            if parent.mapping and parent.key is _NO_KEY:
                parent.key = _key(loader, event)
                if parent.key in parent.keys:
                    raise _Unusual
                parent.keys.add(parent.key)
                parent.key_mark = event.start_mark
                continue
            # A mapping key's value or a list item.
            start = event.start_mark
            if parent.mapping:
                reaching = (
                    parent.wants.pop(parent.key, None) if isinstance(parent.key, str) else None
                )
                mark = parent.key_mark
                if kind is not ScalarEvent or _is_null(event):
                    where = (mark.line, mark.column)  # a null is placed at its key
                else:
                    where = _value_position(text, lines, parent.event, event)
                for path, _ in reaching or ():
                    found[path] = (mark.line, mark.column, *where)
                parent.key = _NO_KEY
            else:
                if parent.event.flow_style and _is_empty(event):
                    raise _Unusual
                reaching = parent.wants.pop(parent.index, None)
                for path, _ in reaching or ():
                    found[path] = (start.line, start.column, start.line, start.column)
                parent.index += 1
            if kind is not ScalarEvent:
                if event.tag is not None:
                    raise _Unusual
                stack.append(_Open(event, reaching or []))
        if get().__class__ is not StreamEndEvent:
            raise _Unusual  # another document: the round-trip loader refuses the file

    def find(path: KeyPath, at_key: bool = False) -> Position:
        where = found.get(path)
        if where is None:
            return root
        line, column = (where[0], where[1]) if at_key else (where[2], where[3])
        return line + 1, column + 1

    return find


def _key(loader: Any, event: Any) -> str:
    """A mapping key as parse() reads it, the text as written; or _Unusual."""
    if event.__class__ is not ScalarEvent or _is_empty(event):
        raise _Unusual
    _tag(loader, event)
    return str(event.value)


def _scalar(loader: Any, event: Any) -> Any:
    """An untagged string, number, boolean, null or date, or _Unusual."""
    tag = _tag(loader, event)
    if tag == _STR_TAG:
        return event.value
    return loader.construct_object(ScalarNode(tag, event.value, event.start_mark, event.end_mark))


def _tag(loader: Any, event: Any) -> str:
    """The tag a scalar resolves to, if one of _KEY_TAGS and not written out; else _Unusual."""
    if event.tag is not None:
        raise _Unusual
    tag = (loader.implicit_tag(event.value) if event.implicit[0] else None) or _STR_TAG
    if tag not in _KEY_TAGS:
        raise _Unusual
    return tag


def _is_null(event: Any) -> bool:
    """A plain scalar the resolver reads as null: nothing, ``~`` or ``null``."""
    return not event.style and event.tag is None and event.value in _NULLS


_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


def _is_empty(event: Any) -> bool:
    return event.__class__ is ScalarEvent and event.value == "" and not event.style


class _Lines:
    """0-based line and column of character indexes, asked about mostly in order."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.index = self.line = self.start = 0  # the last index asked, its line, line start

    def at(self, index: int) -> tuple[int, int]:
        if index < self.index:
            self.index = self.line = self.start = 0
        # Counting from the last index asked, not from the top, keeps a file full of
        # empty values linear (it was quadratic: 70 s for 5,000 blank units).
        self.line += self.text.count("\n", self.index, index)
        newline = self.text.rfind("\n", self.index, index)
        if newline >= 0:
            self.start = newline + 1
        self.index = index
        return self.line, index - self.start


def _value_position(text: str, lines: _Lines, mapping: Any, value: Any) -> tuple[int, int]:
    """Where the round-trip loader puts a value: its start, except for an empty one.

    An empty value (``key:`` and nothing) is placed by the round-trip loader at the end
    of the next token, the C parser right after the colon. The cases below are those
    checked against the round-trip loader (tests/test_bench.py); any other goes to it.
    """
    start = value.start_mark
    if not _is_empty(value):
        return start.line, start.column
    if mapping.flow_style or start.index != value.end_mark.index:  # in braces, or tagged
        raise _Unusual
    i = start.index
    while text[i : i + 1] == " ":
        i += 1
    comment = text[i : i + 1] == "#"
    j = _next_token(text, i)
    line, column = lines.at(j)
    if text.startswith(_DOCUMENT_MARKERS, j):
        raise _Unusual
    explicit = text[j : j + 1] == "?" and text[j + 1 : j + 2] in ("", " ", "\n", "\r")
    if not comment:
        return line, column + 1 if explicit else column  # "?" is the one token with a width
    # With a comment after the colon, a next key of the same mapping keeps the value
    # right after the colon; the end of the mapping does not.
    indent = mapping.start_mark.column
    if j == len(text) or column < indent:
        return line, column
    if column == indent and not explicit and text[j] != "-":
        return start.line, start.column
    raise _Unusual


def _next_token(text: str, i: int) -> int:
    """Index of the next character that is not a space, a line break or in a comment."""
    while i < len(text):
        ch = text[i]
        if ch == "#":
            while i < len(text) and text[i] not in "\r\n":
                i += 1
        elif ch in " \r\n":
            i += 1
        elif ch == "\t":
            raise _Unusual
        else:
            break
    return i
