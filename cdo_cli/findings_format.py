"""Findings as text for people (grouped by file, like yamllint) or as JSON for scripts.

Messages quote the data they are about; the text output shows control characters in it
visibly (:func:`~cdo_cli.text.visible`), so a name holding an escape sequence
cannot drive the terminal it is shown on.

Both come as a stream of pieces as well as whole: a roster with tens of thousands of
findings is written piece by piece, never held as one string (or as one dict per
finding, for JSON) beside the findings themselves.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import groupby
from typing import Any

from .findings import SEVERITY_LABELS, Finding, Severity
from .text import json_safe, visible

_COLORS = {Severity.error: "\x1b[31m", Severity.warning: "\x1b[33m"}
_RESET = "\x1b[0m"
_DIM = "\x1b[2m"


def sort_key(f: Finding) -> tuple[str, int, int, str]:
    """Order findings by file, line, column, code."""
    return (f.file, f.line or 0, f.column or 0, f.code)


def findings_text(findings: list[Finding], files: list[str], *, color: bool = False) -> str:
    """Findings grouped under their file; files with none are listed as passing."""
    return "".join(findings_text_lines(findings, files, color=color))


def findings_text_lines(
    findings: list[Finding], files: list[str], *, color: bool = False
) -> Iterator[str]:
    """:func:`findings_text` line by line, each with its newline."""
    ordered = sorted(findings, key=sort_key)
    by_file = {k: list(v) for k, v in groupby(ordered, key=lambda f: f.file)}
    del ordered
    for name in dict.fromkeys([*files, *by_file]):
        group = by_file.get(name, [])
        if not group:
            yield f"{visible(name)}：通过\n"
            continue
        yield f"{visible(name)}\n"
        for f in group:
            where = f"{f.line or 1}:{f.column or 1}"
            label = SEVERITY_LABELS[f.severity]
            if color:
                label = f"{_COLORS[f.severity]}{label}{_RESET}"
            yield f"  {where:<9} {label}  {visible(f.message)}  [{f.code}]\n"
            if f.hint:
                hint = f"提示：{visible(f.hint)}"
                yield f"  {'':<9} {_DIM}{hint}{_RESET}\n" if color else f"  {'':<9} {hint}\n"
        yield "\n"
    errors = sum(f.severity is Severity.error for f in findings)
    warnings = len(findings) - errors
    yield f"共 {len(files)} 个文件，{errors} 个错误，{warnings} 个警告\n"


def findings_json(findings: list[Finding], extra: dict[str, Any] | None = None) -> str:
    """Every finding with all its fields, as a JSON object; ``extra`` keys come after."""
    return "".join(findings_json_pieces(findings, extra))


_FINDINGS = object()  # where the findings go among the top-level keys


def findings_json_pieces(
    findings: list[Finding], extra: dict[str, Any] | None = None
) -> Iterator[str]:
    """:func:`findings_json` in pieces, one finding at a time.

    The text is exactly ``json_safe(json.dumps(data, ensure_ascii=False, indent=2))`` of
    the whole object (tests/test_bench.py checks it), written out by hand only at the top
    two levels.
    """
    errors = sum(f.severity is Severity.error for f in findings)
    top = {"errors": errors, "warnings": len(findings) - errors, "findings": _FINDINGS}
    top.update(extra or {})
    yield "{"
    for i, (key, value) in enumerate(top.items()):
        yield f"{',' if i else ''}\n  {_dumps(key)}: "
        if value is not _FINDINGS:
            yield _dumps(value).replace("\n", "\n  ")
        elif not findings:
            yield "[]"
        else:
            for j, f in enumerate(sorted(findings, key=sort_key)):
                item = _dumps(f.as_dict()).replace("\n", "\n    ")
                yield f"{',' if j else '['}\n    {item}"
            yield "\n  ]"
    yield "\n}\n"


def batched(pieces: Iterator[str], size: int = 1 << 16) -> Iterator[str]:
    """Pieces joined into chunks of about ``size`` characters, for fewer writes."""
    chunk: list[str] = []
    length = 0
    for piece in pieces:
        chunk.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(chunk)
            chunk, length = [], 0
    if chunk:
        yield "".join(chunk)


def _dumps(value: Any) -> str:
    return json_safe(json.dumps(value, ensure_ascii=False, indent=2))
