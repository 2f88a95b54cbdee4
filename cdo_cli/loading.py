"""Reading YAML files safely, fast, and with positions for the messages.

Files are parsed with ruamel.yaml's C parser where installed: plain data is built
straight from its events, anything else by ruamel's safe loader; no tags that run code
are ever constructed. Dates stay strings so that pydantic reports a date like
2023-13-45 at its key instead of the parser failing on it.

Line and column numbers come from a second parse, made only when there is something to
report: the C parser's nodes, placed where ruamel's round-trip loader would place them,
or that loader itself for files the first cannot answer for.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import RoundTripConstructor, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
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
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.tag import Tag

from .errors import InvalidInputError, UnreadableError

# Deeper than this, the C parser recurses far enough to crash the interpreter;
# such a file is parsed by the pure-Python parser, which fails cleanly instead.
_DEEP = 500
_MAX_DEPTH = 200
# An alias may expand a document to at most this many nodes more than it holds.
_MAX_EXPANSION = 100_000


class _Constructor(SafeConstructor):
    """Safe constructor that leaves timestamps as strings for pydantic to parse."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", SafeConstructor.construct_yaml_str)


class _PositionConstructor(RoundTripConstructor):
    """Round-trip constructor (keeps positions) that also leaves timestamps as strings."""


_PositionConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str
)


@dataclass(frozen=True)
class Source:
    """A file's text and the name to show for it."""

    name: str
    text: str


def read_source(path: Path, display: str | None = None) -> Source:
    """Read a file as UTF-8 (a BOM is fine); raise a user-ready error otherwise."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableError(f"{name}: 文件不存在") from None
    except IsADirectoryError:
        raise UnreadableError(f"{name}: 这是一个文件夹，不是文件") from None
    except PermissionError:
        raise UnreadableError(f"{name}: 没有读取权限") from None
    except OSError as exc:
        raise UnreadableError(f"{name}: 无法读取（{exc.strerror or exc}）") from None
    return Source(name, decode(raw, name))


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text of ``raw``, with a plain message for binary or GBK files."""
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
    before = raw[:offset]
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    column = len(before[start:].decode("utf-8", errors="replace")) + 1
    return line, column


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

    @property
    def processing_version(self) -> Any:
        return self._version

    def implicit_tag(self, value: str) -> str | None:
        """The tag a plain scalar resolves to (null, bool, int, …), or None for a string."""
        table = self._implicit
        for tag, regexp in (*table.get(value[0] if value else "", ()), *table.get(None, ())):
            if regexp.match(value):
                return str(tag)
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


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector while a large tree of plain data is built.

    YAML data holds no reference cycles, so the collector has nothing to find there, but
    its passes over the growing tree took 40% of a large roster's load.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("null", "bool", "int", "float")}
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _load_c(text: str) -> tuple[Any, bool]:
    """Load with the C parser, building plain data straight from its events.

    ruamel's own loader first builds a node (with two marks) for every value and only
    then the data; for a province-sized roster that took as long as everything else
    together, and most of its memory. Files that use anything beyond untagged mappings,
    lists and scalars (anchors, aliases, tags, merge keys, complex or duplicate keys,
    several documents, nesting deeper than allowed), or that do not parse, go to ruamel's
    loader, which gives the same data, or the same error, it always has. The flag is True
    for data read from events.
    """
    try:
        return _from_events(text), True
    except (_Unusual, YAMLError):
        return _yaml(pure=False).load(text), False


def _from_events(text: str) -> Any:
    loader = _c_loader(text)
    get, implicit_tag, construct = loader.get_event, loader.implicit_tag, loader.construct_object
    deepest = _MAX_DEPTH + 1  # the stack holds the root's holder too
    if get().__class__ is not StreamStartEvent or get().__class__ is not DocumentStartEvent:
        raise _Unusual
    root: list[Any] = []
    stack: list[Any] = [root]  # the containers being filled, innermost last
    keys: list[Any] = [_NO_KEY]  # for each, the key waiting for its value
    while True:
        event = get()
        kind = event.__class__
        if kind is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                raise _Unusual
            node = event.value
            tag = implicit_tag(node) if event.implicit[0] else None
            if tag is not None and tag != _TIMESTAMP:  # timestamps stay text (_Constructor)
                if tag not in _SCALAR_TAGS:
                    raise _Unusual
                node = construct(ScalarNode(tag, node, event.start_mark, event.end_mark))
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                raise _Unusual
            node = {} if kind is MappingStartEvent else []
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            keys.pop()
            continue
        elif kind is DocumentEndEvent:
            break
        else:  # an alias
            raise _Unusual
        parent = stack[-1]
        if parent.__class__ is dict:
            key = keys[-1]
            if key is _NO_KEY:
                if node.__class__ is dict or node.__class__ is list or node in parent:
                    raise _Unusual  # a complex key, or a duplicate to be reported as such
                keys[-1] = node
                continue  # a key is never a container here
            parent[key] = node
            keys[-1] = _NO_KEY
        else:
            parent.append(node)
        if node.__class__ is dict or node.__class__ is list:
            stack.append(node)
            keys.append(_NO_KEY)
            if len(stack) > deepest:
                raise _Unusual  # for _check_shape to report
    if get().__class__ is not StreamEndEvent:
        raise _Unusual  # another document: ruamel's loader says it expected one
    return root[0]


def parse(source: Source) -> Any:
    """Parse YAML text into plain data, raising InvalidInputError with a position."""
    text = source.text
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        what = "文件是空的" if not text.strip() else "文件只有注释，没有内容"
        raise InvalidInputError(what, hint="可用 cdo init 生成模板。", file=source.name)
    try:
        with _gc_paused():
            if _looks_deep(text):
                data, plain = _yaml(pure=True).load(text), False
            else:
                data, plain = _load_c(text)
    except MarkedYAMLError as exc:
        raise _syntax_error(source, exc) from None
    except RecursionError:
        raise InvalidInputError(
            "嵌套层数过深，无法处理", hint=f"嵌套不应超过 {_MAX_DEPTH} 层。", file=source.name
        ) from None
    except YAMLError as exc:  # errors without a mark
        raise InvalidInputError(f"YAML 无法解析：{exc}", file=source.name) from None
    if not plain:  # plain data has no aliases, and its nesting was checked as it was read
        _check_shape(source, data)
    return data


def _syntax_error(source: Source, exc: MarkedYAMLError) -> InvalidInputError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    problem = (exc.problem or exc.context or "语法错误").strip()
    hint = None
    lines = source.text.splitlines()
    bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "duplicate key" in problem or "found duplicate key" in str(exc):
        key = re.search(r'duplicate key "(.*?)"', str(exc))
        what = f"重复的键“{key.group(1)}”" if key else "重复的键"
        return InvalidInputError(
            what, hint="同一层中每个键只能出现一次，请合并或删除重复项。", file=source.name,
            line=line, column=column,
        )  # fmt: skip
    if "could not determine a constructor" in problem:
        tag = re.search(r"tag '([^']*)'", problem)
        return InvalidInputError(
            f"不允许的 YAML 标签 {tag.group(1) if tag else ''}".rstrip(),
            hint="cdo 只读取普通数据，不执行任何标签（如 !!python/object）。请删除该标签。",
            file=source.name, line=line, column=column,
        )  # fmt: skip
    if "\t" in bad_line[: max(column, 1)] or "\t" in bad_line.split("#")[0].lstrip(" ")[:1]:
        hint = "YAML 不能用制表符（Tab）缩进，请改用空格。"
    chinese = next((zh for en, zh in _SYNTAX if en in problem), None)
    if chinese:
        hint = hint or chinese[1]
        problem = f"{chinese[0]}（{problem}）"
    return InvalidInputError(
        f"YAML 语法错误：{problem}", hint=hint, file=source.name, line=line, column=column
    )


# ruamel.yaml's problems in Chinese, with what to do; the English stays for searching.
_SYNTAX = [
    ("did not find expected node content", ("此处缺少内容", "检查上一行是否多了“-”或“:”。")),
    ("did not find expected ',' or ']'", ("方括号 [ ] 没有闭合", "补上“]”，或在各项之间加“,”。")),
    ("did not find expected ',' or '}'", ("花括号 { } 没有闭合", "补上“}”，或在各项之间加“,”。")),
    (
        "mapping values are not allowed",
        ("此处不能出现“:”", "冒号后要有空格；含冒号的文字请加引号。"),
    ),
    ("could not find expected ':'", ("缺少“:”", "键和值之间用“: ”分开。")),
    ("did not find expected key", ("缩进没有对齐", "同一层的键要用相同数量的空格缩进。")),
    ("expected <block end>", ("缩进没有对齐", "同一层的键要用相同数量的空格缩进。")),
    ("found unexpected end of stream", ("文件意外结束", "检查引号或括号是否成对。")),
    ("found undefined alias", ("引用了未定义的别名（*）", "删除 * 引用，直接写出内容。")),
    ("cannot start any token", ("此处有 YAML 不允许的字符", "如“@”“`”开头的文字请加引号。")),
]


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


def position_finder(source: Source) -> Callable[[tuple[str | int, ...], bool], Position]:
    """A function from a key path to (line, column), 1-based.

    The second argument asks for the key's position even where the key holds a scalar
    (for an unknown key); otherwise a scalar's own position is given. The file is parsed
    for positions at the first question, not before.
    """
    trees: list[Any] = []

    def find(path: tuple[str | int, ...], at_key: bool = False) -> Position:
        if not trees:
            trees.append(_position_tree(source.text))
        tree = node = trees[0]
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
                        line, col = (
                            lc.key(key) if at_key or not _is_leaf(node, key) else lc.value(key)
                        )
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


def _position_tree(text: str) -> Any:
    """The document as ruamel's round-trip loader gives it: dicts and lists with ``.lc``.

    The round-trip loader is pure Python and took twenty seconds on a province-sized
    roster; for plain data the same positions come from the C parser's nodes in a tenth
    of that. Anything unusual (see :func:`_load_c`) still goes to the round-trip loader.
    """
    if not _looks_deep(text) and not _ODD_BREAKS.search(text):
        with _gc_paused():
            try:
                return _tree_from_nodes(text)
            except (_Unusual, YAMLError):
                pass
    yaml = YAML(typ="rt")
    yaml.Constructor = _PositionConstructor
    try:
        return yaml.load(text)
    except (YAMLError, RecursionError, ValueError):
        return None


class _LineCol:
    """Positions of a mapping's keys and values, or of a list's items (0-based)."""

    def __init__(self) -> None:
        self.data: dict[Any, tuple[int, ...]] = {}

    def key(self, key: Any) -> tuple[int, int]:
        line, column, _, _ = self.data[key]
        return line, column

    def value(self, key: Any) -> tuple[int, int]:
        _, _, line, column = self.data[key]
        return line, column

    def item(self, index: int) -> tuple[int, int]:
        line, column = self.data[index]
        return line, column


class _Map(dict[Any, Any]):
    lc: _LineCol


class _Seq(list[Any]):
    lc: _LineCol


_KEY_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "null", "bool", "int", "float")}
_DOCUMENT_MARKERS = ("---", "...")
# Line breaks other than \n and \r\n, which the two parsers might count differently.
_ODD_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_LEAF = object()  # stands for a scalar below the top: its value is never asked for


def _tree_from_nodes(text: str) -> Any:
    loader = _c_loader(text)
    root = loader.get_single_node()
    seen: set[int] = set()

    def build(node: Any) -> Any:
        if id(node) in seen:
            raise _Unusual  # an alias
        seen.add(id(node))
        tag = node.tag
        if isinstance(node, MappingNode):
            if tag != "tag:yaml.org,2002:map":
                raise _Unusual
            mapping = _Map()
            mapping.lc = _LineCol()
            for key_node, value_node in node.value:
                if (
                    not isinstance(key_node, ScalarNode)
                    or key_node.tag not in _KEY_TAGS
                    or _is_empty(key_node)
                ):
                    raise _Unusual
                key = loader.construct_object(key_node)
                if key in mapping:
                    raise _Unusual
                mapping[key] = build(value_node)
                line, column = key_node.start_mark.line, key_node.start_mark.column
                mapping.lc.data[key] = (line, column, *_value_position(text, node, value_node))
            return mapping
        if isinstance(node, SequenceNode):
            if tag != "tag:yaml.org,2002:seq":
                raise _Unusual
            items = _Seq(build(child) for child in node.value)
            items.lc = _LineCol()
            for i, child in enumerate(node.value):
                if node.flow_style and _is_empty(child):
                    raise _Unusual
                items.lc.data[i] = (child.start_mark.line, child.start_mark.column)
            return items
        return _LEAF

    if root is None:
        return None
    if isinstance(root, ScalarNode):
        if root.tag not in _KEY_TAGS:
            raise _Unusual
        return loader.construct_object(root)
    return build(root)


def _is_empty(node: Any) -> bool:
    return isinstance(node, ScalarNode) and node.value == "" and not node.style


def _value_position(text: str, mapping: Any, value: Any) -> tuple[int, int]:
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
    line, column = _line_column(text, j)
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


def _line_column(text: str, index: int) -> tuple[int, int]:
    """0-based line and column of a character index."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index), index - line_start
