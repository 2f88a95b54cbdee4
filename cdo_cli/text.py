"""Text from files and command lines made safe to show: control characters made visible."""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, non-characters, bidi controls, and line and paragraph
# separators: none of them may reach a terminal as they are.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_CONTROL_BUT_NEWLINE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character shown as ``\\xNN`` or ``\\uNNNN``.

    ``keep_newlines`` leaves ``\\n`` alone, for messages that are meant to span lines.
    """
    pattern = _CONTROL_BUT_NEWLINE if keep_newlines else _CONTROL
    return pattern.sub(_escape, text)
