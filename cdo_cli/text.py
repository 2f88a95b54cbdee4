"""Text from files and command lines made safe to show: control characters made visible.

Rosters and schemes are typed by people and pasted from web pages and other programs,
and may carry characters nobody can see: an escape (which a terminal obeys), a NUL
(which Word files cannot hold), a bidi override (which shows ``13800138000`` reversed).
Validators flag them (:func:`controls`); everything that shows text to a person passes
it through :func:`visible`, which writes them as ``\\x1b`` or ``\\u202e``. A spreadsheet
cell that starts like a formula is defused (:func:`spreadsheet_cell`).
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, non-characters, bidi controls and marks (LRM, RLM, ALM), line
# and paragraph separators, and lone surrogates (which cannot even be encoded as UTF-8):
# none of them may reach a terminal as they are. Most are illegal in XML too, hence in a
# Word file.
_OTHERS = (
    r"\x7f-\x9f\ufffe\uffff\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029"
    r"\ud800-\udfff"
)
_CONTROL = re.compile(rf"[\x00-\x1f{_OTHERS}]")
_CONTROL_BUT_NEWLINE = re.compile(rf"[\x00-\x09\x0b-\x1f{_OTHERS}]")


def _escape(match: re.Match[str]) -> str:
    return char_code(match.group())


def char_code(ch: str) -> str:
    """A character as Python writes it in a string literal: ``\\x1b``, ``\\u202e``."""
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character shown as ``\\xNN`` or ``\\uNNNN``.

    ``keep_newlines`` leaves ``\\n`` alone, for messages that are meant to span lines.
    A carriage return is always shown, even before a line feed: it moves a terminal's
    cursor back over what was written.
    """
    pattern = _CONTROL_BUT_NEWLINE if keep_newlines else _CONTROL
    return pattern.sub(_escape, text)


def has_controls(text: str) -> bool:
    """True when ``text`` holds a control character or a line feed (a quick first look)."""
    return _CONTROL.search(text) is not None


def controls(text: str, *, multiline: bool = False) -> list[tuple[int, str]]:
    """The control characters in ``text`` that do not belong there, with their indexes.

    In a one-line value (a name, a phone number) every one counts, a line feed too. In
    a multi-line value (a note) line feeds, tabs and the carriage return of a CRLF are
    allowed.
    """
    found = [(m.start(), m.group()) for m in _CONTROL.finditer(text)]
    if multiline:
        found = [
            (i, ch)
            for i, ch in found
            if ch not in "\n\t" and not (ch == "\r" and text[i + 1 : i + 2] == "\n")
        ]
    return found


def control_message(label: str, value: str, found: list[tuple[int, str]]) -> str:
    """``姓名“张\\x1b三”中有不可见的控制字符 \\x1b，请删除``; a long value is cut around the first."""
    start, end = 0, len(value)
    if end > 40:
        start = max(0, found[0][0] - 20)
        end = min(end, start + 40)
    before = "…" if start > 0 else ""
    after = "…" if end < len(value) else ""
    shown = before + visible(value[start:end]) + after
    codes = "、".join(dict.fromkeys(char_code(ch) for _, ch in found))
    return f"{label}“{shown}”中有不可见的控制字符 {codes}，请删除"


CONTROL_HINT = (
    "这类字符看不见，却会打乱屏幕显示、颠倒文字顺序或使 Word 文件无法生成，"
    "多由复制粘贴带入：请删除这段文字后重新输入。"
)

# Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """A cell Excel shows as text: one starting like a formula gets a leading ``'``."""
    return "'" + text if text.startswith(_FORMULA_START) else text


# What json.dumps(ensure_ascii=False) leaves raw: DEL, C1 controls, the line
# separators, bidi controls, U+FFFE/U+FFFF and lone surrogates (C0 it escapes itself).
_JSON_RAW = re.compile(
    r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]"
)


def json_safe(dumped: str) -> str:
    """JSON text with those characters written as ``\\uNNNN``: the same data, safe to print.

    They can only occur inside strings, where ``\\uNNNN`` means the character itself.
    """
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
