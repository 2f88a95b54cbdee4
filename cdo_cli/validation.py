"""``cdo validate``: rosters checked against their schemes, with a completeness summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CdoError, UnreadableError
from .findings import Finding, Severity
from .text import visible

if TYPE_CHECKING:
    from .workspace import Workspace

_STATES = {"complete": "完整", "incomplete": "不完整", "missing": "缺失"}


@dataclass
class ValidationResult:
    """Findings of every file, per file a summary by unit kind, and the unreadable files."""

    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    summaries: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    unreadable: list[CdoError] = field(default_factory=list)

    def failed(self, strict: bool) -> bool:
        """True when the result should exit 1."""
        worst = {Severity.error, Severity.warning} if strict else {Severity.error}
        return any(f.severity in worst for f in self.findings)


def validate_files(paths: list[Path], workspace: Workspace) -> ValidationResult:
    """Validate each roster; a file that cannot be read is kept aside, the others still run."""
    from .roster_checks import summary

    result = ValidationResult()
    for path in paths:
        try:
            check = workspace.check_roster(path)
        except UnreadableError as exc:
            result.unreadable.append(exc)
            continue
        result.files.append(check.name)
        if check.roster is not None:
            result.summaries[check.name] = summary(check.roster)
        result.findings += check.findings
    return result


def summary_text(summaries: dict[str, dict[str, dict[str, int]]]) -> str:
    """The completeness summary, one line per unit kind."""
    lines: list[str] = []
    for name, by_kind in summaries.items():
        lines.append(f"\n{visible(name)} 完整性（按单位类别）：")
        for kind, counts in by_kind.items():
            parts = "，".join(f"{_STATES[k]} {v}" for k, v in counts.items())
            lines.append(f"  {kind}：{parts}")
    return "\n".join(lines) + ("\n" if lines else "")
