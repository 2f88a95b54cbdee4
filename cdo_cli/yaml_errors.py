"""ruamel.yaml's errors as messages for people: in Chinese, placed, with what to do.

Every problem the parser, the composer or the constructor can raise leads with Chinese;
ruamel's English stays only in parentheses after it, where it helps a search. Lines are
counted as YAML 1.2 and editors (Notepad, VS Code) count them: LF, CR and CRLF.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .errors import InvalidInputError
from .text import visible

_BREAK = re.compile(r"\r\n|\r|\n")
_CORE = "tag:yaml.org,2002:"


def yaml_lines(text: str) -> list[str]:
    """The lines of ``text`` split at LF, CR and CRLF only (``str.splitlines`` also splits
    at NEL, LS, PS, VT and FF, which neither YAML 1.2 nor Notepad count)."""
    return _BREAK.split(text)


def line_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index, counting LF, CR and CRLF."""
    line = 1
    start = 0
    for match in _BREAK.finditer(text, 0, index):
        line += 1
        start = match.end()
    return line, index - start + 1


class Refused(YAMLError):
    """A value the loader will not build, with a message ready to show and its place."""

    def __init__(self, message: str, hint: str | None, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.mark = mark

    def __str__(self) -> str:
        line, column = _place(self.mark)
        return f"{line}:{column}: {self.message}"

    def to_error(self, name: str, restore: dict[int, str] | None = None) -> InvalidInputError:
        """The refusal as a user-ready error in file ``name``.

        ``restore`` maps characters the text was parsed with back to those of the file.
        """
        line, column = _place(self.mark)
        message = visible(self.message.translate(restore or {}))
        return InvalidInputError(message, hint=self.hint, file=name, line=line, column=column)


def _place(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def short_tag(tag: str) -> str:
    """``tag:yaml.org,2002:int`` as it is written in a file, ``!!int``."""
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def _snippet(value: str, limit: int = 30) -> str:
    return visible(value if len(value) <= limit else value[:limit] + "…")


_KIND_NAMES: dict[type[Any], str] = {
    ScalarNode: "单个值",
    SequenceNode: "列表",
    MappingNode: "键值对（映射）",
}
_PLAIN_HINT = (
    "cdo 只读取文字、数字、是/否、日期、列表和键值对，不执行也不读取其他标签。请删除该标签。"
)


def refused_tag(node: Any, tag: str) -> Refused:
    """A tag outside plain data (``!!python/…``, ``!!set``, ``!!binary``, ``!custom``)."""
    return Refused(f"不允许的 YAML 标签 {short_tag(tag)}", _PLAIN_HINT, node.start_mark)


def wrong_kind(node: Any, tag: str, expected: type[Any]) -> Refused:
    """A tag on the wrong kind of node: ``!!int {a: 1}``, ``!!seq {a: 1}``."""
    return Refused(
        f"标签 {short_tag(tag)} 要求{_KIND_NAMES[expected]}，这里是{_KIND_NAMES[type(node)]}",
        f"请删除标签 {short_tag(tag)}。",
        node.start_mark,
    )


_SCALAR_NAMES = {"int": "整数", "float": "小数", "bool": "是/否（true 或 false）"}


def bad_scalar(node: Any, tag: str) -> Refused:
    """A scalar its tag cannot build: ``!!int abc``, ``!!bool maybe``, a 5000-digit number."""
    value: str = node.value
    digits = value.replace("_", "").lstrip("+-")
    if digits.isdigit() and digits.isascii():
        return Refused(
            f"数字 {_snippet(value, 20)} 有 {len(digits)} 位，太长，无法读成整数",
            "编号之类请加引号写成文字，如 '0123'。",
            node.start_mark,
        )
    what = _SCALAR_NAMES.get(tag[len(_CORE) :], "这种类型") if tag.startswith(_CORE) else "这种类型"
    shown = f"“{_snippet(value)}”" if value else "空值"
    return Refused(
        f"{shown}不能按 {short_tag(tag)} 读成{what}",
        f"请删除标签 {short_tag(tag)}，或改成正确的值。",
        node.start_mark,
    )


def lone_surrogate(node: Any) -> Refused:
    """A string with half of a surrogate pair (``"\\uD800"``), which no file can hold."""
    return Refused(
        f"“{_snippet(node.value)}”含有无效的字符（单独的 UTF-16 代理项）",
        "双引号中的 \\uD800–\\uDFFF 转义不能单独使用；请直接写出该字符。",
        node.start_mark,
    )


def complex_key(node: Any) -> Refused:
    """A list or a mapping used as a key (``? [a]``, ``{[1]: 2}``)."""
    return Refused(
        f"键只能是一个名称（文字），这里是{_KIND_NAMES[type(node)]}",
        "请把键写成文字；“?”开头的写法 cdo 不支持。",
        node.start_mark,
    )


def duplicate_key(key: Any, mark: Any, first_line: int | None) -> Refused:
    """The second occurrence of a key in one mapping (``first_line`` is the first's, 1-based)."""
    where = f"（第一次出现在第 {first_line} 行）" if first_line is not None else ""
    return Refused(
        f"重复的键“{_snippet(str(key))}”{where}",
        "同一层中每个键只能出现一次，请合并或删除重复项。",
        mark,
    )


def duplicate_merge(key_node: Any) -> Refused:
    """A second ``<<`` in one mapping."""
    return Refused(
        "重复的合并键“<<”", "一个映射中只能有一个“<<”；要合并几处，写成 <<: [*a, *b]。",
        key_node.start_mark,
    )  # fmt: skip


def bad_merge(key_node: Any, value_node: Any) -> Refused:
    """A ``<<`` whose value is not a mapping or a list of mappings (placed at the ``<<``:
    the value may be an alias of a node defined elsewhere)."""
    return Refused(
        f"合并键“<<”的值应是键值对（或键值对的列表），这里是{_KIND_NAMES[type(value_node)]}",
        "写成 <<: *锚点名，锚点指向一组键值对；或删除“<<”一行。",
        key_node.start_mark,
    )


# ---------------------------------------------------------------- syntax errors

# ruamel's problems (the C parser's and the pure-Python parser's wording) in Chinese, with
# what to do; the English stays for searching. The first match wins.
# fmt: off
_SYNTAX: list[tuple[tuple[str, ...], str, str]] = [
    (("found unknown escape character", "found unknown escape", "expected escape sequence",
      "did not find expected hexdecimal number"),
     "双引号中的“\\”转义无效",
     "双引号里的“\\”要写成“\\\\”（如 \"C:\\\\文件\"），或改用单引号。"),
    (("found invalid Unicode character escape code",),
     "双引号中的 Unicode 转义无效", "请直接写出该字符。"),
    (("found unexpected document indicator", "found unexpected document separator"),
     "引号中的文字在行首出现了“---”或“...”", "检查引号是否成对，或让该行缩进。"),
    (("did not find expected node content", "expected the node content"),
     "此处缺少内容", "检查上一行是否多了“-”或“:”，或文字是否要加引号。"),
    (("did not find expected ',' or ']'", "expected ',' or ']'"),
     "方括号 [ ] 没有闭合", "补上“]”，或在各项之间加“,”。"),
    (("did not find expected ',' or '}'", "expected ',' or '}'"),
     "花括号 { } 没有闭合", "补上“}”，或在各项之间加“,”。"),
    (("mapping values are not allowed",),
     "此处不能出现“:”", "冒号后要有空格；含冒号的文字请加引号；检查上一行的缩进。"),
    (("found unexpected ':'",), "此处不能出现“:”", "含冒号的文字请加引号。"),
    (("could not find expected ':'",), "缺少“:”", "键和值之间用“: ”分开。"),
    (("block sequence entries are not allowed", "sequence entries are not allowed"),
     "此处不能出现列表项“- ”", "“- ”不能与键写在同一行；以“-”开头的文字请加引号。"),
    (("mapping keys are not allowed",), "此处不能出现“? ”", "以“?”开头的文字请加引号。"),
    (("did not find expected '-' indicator",),
     "列表项没有对齐", "同一列表的“- ”要对齐在同一列。"),
    (("did not find expected key", "expected <block end>"),
     "缩进没有对齐", "同一层的键要用相同数量的空格缩进。"),
    (("found a tab character", "found character '\\t'"),
     "此处有制表符（Tab）", "YAML 不能用制表符（Tab）缩进，请改用空格。"),
    (("cannot start any token",),
     "此处有 YAML 不允许的字符", "以“@”“`”“%”开头的文字请加引号。"),
    (("found undefined alias",), "引用了未定义的别名（*）", "删除 * 引用，直接写出内容。"),
    (("found an indentation indicator equal to 0", "expected indentation indicator"),
     "块文字（| 或 >）的缩进数字无效", "“|”或“>”后的缩进数字应为 1—9，或不写。"),
    (("did not find expected comment or line break", "expected a comment or a line break",
      "expected chomping or indentation indicators"),
     "此处应为注释或换行", "检查这一行末尾多余的文字。"),
    (("did not find expected alphabetic or numeric character",
      "expected alphabetic or numeric character"),
     "锚点（&）或别名（*）的名字无效", "“&”“*”后要紧跟名字；以“&”“*”开头的文字请加引号。"),
    (("did not find the expected '>'", "expected '>'", "did not find expected tag URI",
      "did not find expected whitespace or line break", "expected URI", "found undefined tag handle",
      "expected tag handle", "expected '!'", "while scanning a tag", "while parsing a tag"),
     "YAML 标签（!）写法无效", "以“!”开头的文字请加引号。"),
    (("found incompatible YAML document",),
     "不支持的 YAML 版本", "删除文件开头的 %YAML 一行。"),
    (("directive",),
     "“%”开头的指令无效", "删除文件开头以“%”开头的行；以“%”开头的文字请加引号。"),
    (("did not find expected <document start>", "expected '<document start>'"),
     "文档结束后还有内容", "检查多余的“]”“}”，或“...”之后的内容。"),
    (("found unexpected end of stream",),
     "文件意外结束", "检查引号或括号是否成对。"),
    (("maximum depth",), "嵌套层数过深", "名册和方案只需要几层缩进。"),
]
# fmt: on
# Constructs opened in one place and closed in another: when one is not closed, the error
# is placed where it was opened, and where the parser gave up is said in the message.
_OPENED = (
    "while parsing a flow sequence",
    "while parsing a flow mapping",
    "while scanning a quoted scalar",
    "while parsing a quoted scalar",
    "while scanning a double-quoted scalar",
    "while scanning a single-quoted scalar",
    "while scanning a simple key",
)
_NOT_CLOSED = (
    "expected ',' or",
    "found unexpected end of stream",
    "found unexpected document",
    "could not find expected ':'",
)
# Block structures: an error in one names the line the structure started on.
_BLOCKS = {
    "while parsing a block mapping": "这一层键值对",
    "while parsing a block collection": "这个列表",
}
_UNCLOSED_QUOTE = ("引号没有闭合", "补上配对的引号；单引号中的“'”要写成两个（''）。")
_ODD_BREAKS = {
    "\x85": "U+0085（NEL）",
    "\u2028": "U+2028（行分隔符）",
    "\u2029": "U+2029（段分隔符）",
}


def syntax_error(
    name: str, text: str, exc: MarkedYAMLError, restore: dict[int, str] | None = None
) -> InvalidInputError:
    """A parser, scanner or composer error, placed and in Chinese.

    ``text`` is the file's; ``restore`` maps characters it was parsed with back to it.
    """
    problem = (exc.problem or "").strip().translate(restore or {})
    context = (exc.context or "").strip()
    lines = yaml_lines(text)
    if context.startswith("found duplicate anchor"):
        return _duplicate_anchor(name, lines, exc.context_mark, exc.problem_mark)
    if context.startswith("expected a single document"):
        return _several_documents(name, exc.problem_mark or exc.context_mark)
    mark, other = exc.problem_mark, exc.context_mark
    unclosed = context in _OPENED and any(p in problem for p in _NOT_CLOSED)
    if unclosed and other is not None:
        mark, other = other, mark
    if mark is None:
        mark, other = other, None
    line, column = _place(mark)
    zh, hint = _chinese(problem, context, _line_at(lines, line), column)
    if "node content" in problem and _at_end(lines, mark):
        zh, hint = "文件意外结束，还缺少内容", "检查方括号 [ ]、花括号 { } 是否成对。"
    if unclosed and other is not None and (other.line, other.column) != (mark.line, mark.column):
        where = f"第 {other.line + 1} 行第 {other.column + 1} 列"
        zh += f"，在{f'文件末尾（{where}）' if _at_end(lines, other) else where}处解析失败"
    elif context in _BLOCKS and other is not None and other.line != mark.line:
        zh += f"（{_BLOCKS[context]}从第 {other.line + 1} 行第 {other.column + 1} 列开始）"
    english = problem or context
    message = f"YAML 语法错误：{zh}" + (f"（{english}）" if english else "")
    return InvalidInputError(
        visible(message),
        hint=_with_breaks(hint, _line_at(lines, line)),
        file=name,
        line=line,
        column=column,
    )


def _at_end(lines: list[str], mark: Any) -> bool:
    """True when nothing but blanks follows the mark."""
    rest = "".join(lines[mark.line + 1 :]) + (
        lines[mark.line][mark.column :] if mark.line < len(lines) else ""
    )
    return not rest.strip()


def _line_at(lines: list[str], line: int) -> str:
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _chinese(problem: str, context: str, bad_line: str, column: int) -> tuple[str, str | None]:
    if "\t" in bad_line[: max(column, 1)] or "\t" in bad_line.split("#")[0].lstrip(" ")[:1]:
        return "此处有制表符（Tab）", "YAML 不能用制表符（Tab）缩进，请改用空格。"
    if "quoted scalar" in context and "end of stream" in problem:
        return _UNCLOSED_QUOTE
    if "expected key" in problem or "expected <block end>" in problem:
        if re.search(r"""['"] +$""", bad_line[: column - 1]):
            return "引号后面还有文字", "整段文字都要放在引号里，如 '张三（副局长）'。"
        if bad_line[column - 1 : column] in ("]", "}"):
            closing = bad_line[column - 1]
            return f"多了一个“{closing}”", "删除多余的括号，或检查括号是否成对。"
    for keys, zh, hint in _SYNTAX:
        if any(key in problem or key in context for key in keys):
            return zh, hint
    return "无法解析", None


def _with_breaks(hint: str | None, line: str) -> str | None:
    """Add a word about the line's NEL, LS or PS, which YAML 1.2 and Notepad do not break at."""
    odd = [label for char, label in _ODD_BREAKS.items() if char in line]
    if not odd:
        return hint
    note = (
        f"这一行有 {'、'.join(odd)}：YAML 1.2 和记事本都不把它当作换行，行号按普通换行计算；"
        "如要换行，请换成普通换行后保存。"
    )
    return f"{hint}{note}" if hint else note


def _duplicate_anchor(name: str, lines: list[str], first: Any, second: Any) -> InvalidInputError:
    mark = second or first
    line, column = _place(mark)
    anchor = re.match(r"&([^\s,\[\]{}]+)", _line_at(lines, line)[column - 1 :])
    label = f"“&{visible(anchor.group(1))}”" if anchor else ""
    where = f"（第一次在第 {first.line + 1} 行）" if first is not None else ""
    return InvalidInputError(
        f"锚点{label}重复定义{where}",
        hint="每个锚点名只能定义一次，请改用不同的名字。",
        file=name, line=line, column=column,
    )  # fmt: skip


def anchor_warning_error(name: str, text: str, warning: Warning) -> InvalidInputError:
    """The pure-Python composer's ReusedAnchorWarning, made the error the C parser raises."""
    found = re.findall(r"line (\d+), column (\d+)", str(warning))
    marks = [_Mark(int(line) - 1, int(column) - 1) for line, column in found[:2]]
    first, second = [*marks, None, None][:2]
    return _duplicate_anchor(name, yaml_lines(text), first, second)


class _Mark:
    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


def _several_documents(name: str, mark: Any) -> InvalidInputError:
    line, column = _place(mark)
    return InvalidInputError(
        "文件中有不止一个 YAML 文档（用“---”分隔）",
        hint=f"名册和方案文件只能有一个文档：请删除第 {line} 行的“---”或合并前后的内容。",
        file=name, line=line, column=column,
    )  # fmt: skip


def reader_error(name: str, text: str, character: Any, position: int) -> InvalidInputError:
    """A character YAML does not allow in a file (most control characters)."""
    if isinstance(character, int):
        # The C parser gives a byte offset, the Python one a character index: the first
        # such character in the text is the one either found.
        found = text.find(chr(character))
        line, column = line_column(text, found if found >= 0 else min(position, len(text)))
        what = f"U+{character:04X}"
    else:
        line, column = 1, 1
        what = visible(repr(character))
    return InvalidInputError(
        f"文件中有 YAML 不允许的控制字符 {what}",
        hint="请删除该字符（常见于从网页、Word 或其他软件复制的文字）。",
        file=name, line=line, column=column,
    )  # fmt: skip


def other_error(name: str, exc: YAMLError) -> InvalidInputError:
    """Any other YAML error: a Chinese lead, ruamel's text in parentheses."""
    return InvalidInputError(visible(f"YAML 无法解析（{str(exc).strip()}）"), file=name)
