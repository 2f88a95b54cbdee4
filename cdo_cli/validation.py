"""``cdo validate``: rosters checked against their schemes, with a completeness summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .findings import Finding, Severity, place

if TYPE_CHECKING:
    from .policy_loading import Registry

_STATES = {"complete": "完整", "incomplete": "不完整", "missing": "缺失"}


@dataclass
class ValidationResult:
    """Findings of every file, and per file a summary by unit kind."""

    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    summaries: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)

    def failed(self, strict: bool) -> bool:
        """True when the result should exit 1."""
        worst = {Severity.error, Severity.warning} if strict else {Severity.error}
        return any(f.severity in worst for f in self.findings)


def validate_files(paths: list[Path], registry: Registry) -> ValidationResult:
    """Validate each roster; an unreadable file raises UnreadableError (exit 2)."""
    from .roster_checks import check_roster, summary
    from .roster_loading import load_roster

    result = ValidationResult()
    for path in paths:
        loaded, findings = load_roster(path, registry)
        result.files.append(str(path))
        if loaded is not None:
            findings += place(loaded.source, check_roster(loaded))
            result.summaries[str(path)] = summary(loaded)
        result.findings += findings
    return result


def summary_text(summaries: dict[str, dict[str, dict[str, int]]]) -> str:
    """The completeness summary, one line per unit kind."""
    lines: list[str] = []
    for name, by_kind in summaries.items():
        lines.append(f"\n{name} 完整性（按单位类别）：")
        for kind, counts in by_kind.items():
            parts = "，".join(f"{_STATES[k]} {v}" for k, v in counts.items())
            lines.append(f"  {kind}：{parts}")
    return "\n".join(lines) + ("\n" if lines else "")
