"""``cdo validate``: rosters checked against their schemes, with a completeness summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CdoError, UnreadableError
from .findings import Finding, Severity, place
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
    # Per roster (or rosters of one scheme): the units under each parent, at any depth.
    by_parent: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    unreadable: list[CdoError] = field(default_factory=list)

    def failed(self, strict: bool) -> bool:
        """True when the result should exit 1."""
        worst = {Severity.error, Severity.warning} if strict else {Severity.error}
        return any(f.severity in worst for f in self.findings)


def validate_files(paths: list[Path], workspace: Workspace) -> ValidationResult:
    """Validate each roster (a folder stands for its .yaml files); a file that cannot be
    read is kept aside, the others still run.

    Rosters of one scheme are checked together: completeness and minimum counts over
    all of them, and a unit listed in two of them is a duplicate.
    """
    from .roster_coverage import check_union, summary, summary_by_parent
    from .workspace import RosterCheck, roster_paths

    result = ValidationResult()
    checks: list[RosterCheck] = []
    for given in paths:
        try:
            for path in roster_paths(given):
                try:
                    checks.append(workspace.check_roster(path))
                except UnreadableError as exc:
                    result.unreadable.append(exc)
        except UnreadableError as exc:
            result.unreadable.append(exc)
    groups: dict[str, list[RosterCheck]] = {}
    for check in checks:
        result.files.append(check.name)
        if check.roster is not None:
            groups.setdefault(check.roster.scheme.id, []).append(check)
    shared: dict[int, list[Finding]] = {}
    for group in groups.values():
        rosters = [c.roster for c in group if c.roster is not None]
        names = "、".join(r.name for r in rosters)
        result.summaries[names] = summary(rosters, workspace.as_of)
        if parents := summary_by_parent(rosters, workspace.as_of):
            result.by_parent[names] = parents
        if len(group) == 1:
            continue
        for roster, finding in check_union(rosters, workspace.as_of):
            shared.setdefault(id(roster), []).append(finding)
    for check in checks:
        if check.roster is None or len(groups[check.roster.scheme.id]) == 1:
            result.findings += check.findings
        else:
            result.findings += check.own
            result.findings += place(check.roster.source, shared.get(id(check.roster), []))
    return result


def summary_text(
    summaries: dict[str, dict[str, dict[str, int]]],
    by_parent: dict[str, dict[str, dict[str, int]]] | None = None,
) -> str:
    """The completeness summary, one line per unit kind; then, where units name parents,
    one line per parent counting every unit under it."""
    lines: list[str] = []
    for name, by_kind in summaries.items():
        lines.append(f"\n{visible(name)} 完整性（按单位类别）：")
        for kind, counts in by_kind.items():
            parts = "，".join(f"{_STATES[k]} {v}" for k, v in counts.items())
            lines.append(f"  {kind}：{parts}")
        parents = (by_parent or {}).get(name, {})
        if parents:
            lines.append(f"{visible(name)} 完整性（按上级单位，含各级下属单位）：")
            for parent, counts in parents.items():
                parts = "，".join(f"{_STATES[k]} {v}" for k, v in counts.items())
                lines.append(f"  {visible(parent)}：{parts}")
    return "\n".join(lines) + ("\n" if lines else "")
