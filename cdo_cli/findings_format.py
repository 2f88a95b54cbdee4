"""Findings as text for people (grouped by file, like yamllint) or as JSON for scripts.

Messages quote the data they are about; the text output shows control characters in it
visibly (:func:`~cdo_cli.text.visible`), so a name holding an escape sequence
cannot drive the terminal it is shown on.
"""

from __future__ import annotations

import json
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
    lines: list[str] = []
    ordered = sorted(findings, key=sort_key)
    by_file = {k: list(v) for k, v in groupby(ordered, key=lambda f: f.file)}
    for name in dict.fromkeys([*files, *by_file]):
        group = by_file.get(name, [])
        if not group:
            lines.append(f"{visible(name)}：通过")
            continue
        lines.append(visible(name))
        for f in group:
            where = f"{f.line or 1}:{f.column or 1}"
            label = SEVERITY_LABELS[f.severity]
            if color:
                label = f"{_COLORS[f.severity]}{label}{_RESET}"
            lines.append(f"  {where:<9} {label}  {visible(f.message)}  [{f.code}]")
            if f.hint:
                hint = f"提示：{visible(f.hint)}"
                lines.append(f"  {'':<9} {_DIM}{hint}{_RESET}" if color else f"  {'':<9} {hint}")
        lines.append("")
    errors = sum(f.severity is Severity.error for f in findings)
    warnings = len(findings) - errors
    lines.append(f"共 {len(files)} 个文件，{errors} 个错误，{warnings} 个警告")
    return "\n".join(lines).rstrip("\n") + "\n"


def findings_json(findings: list[Finding], extra: dict[str, Any] | None = None) -> str:
    """Every finding with all its fields, as a JSON object; ``extra`` keys come after."""
    items = [f.as_dict() for f in sorted(findings, key=sort_key)]
    errors = sum(f.severity is Severity.error for f in findings)
    data = {
        "errors": errors,
        "warnings": len(findings) - errors,
        "findings": items,
        **(extra or {}),
    }
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
