"""Findings: what a check reports about a file, with where and how serious."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import InvalidInputError
    from .loading import Source

Path_ = tuple[str | int, ...]


class Severity(str, Enum):
    """How serious a finding is: errors make a file invalid, warnings ask a person to look."""

    error = "error"
    warning = "warning"


SEVERITY_LABELS = {Severity.error: "错误", Severity.warning: "警告"}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file, at a key path that is turned into line and column."""

    # Slots (and no dict of extras, which nothing read): a province-sized roster can
    # have tens of thousands of findings.
    code: str
    severity: Severity
    message: str
    path: Path_ = ()
    file: str = ""
    line: int | None = None
    column: int | None = None
    hint: str | None = None

    @property
    def location(self) -> str:
        """``file:line:column`` as far as known."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def at(self, file: str, line: int | None, column: int | None) -> Finding:
        """The same finding placed in a file."""
        return replace(self, file=file, line=line, column=column)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with every field."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "path": list(self.path),
        }


def error(code: str, message: str, path: Path_ = (), hint: str | None = None) -> Finding:
    """An error finding."""
    return Finding(code, Severity.error, message, path, hint=hint)


def warning(code: str, message: str, path: Path_ = (), hint: str | None = None) -> Finding:
    """A warning finding."""
    return Finding(code, Severity.warning, message, path, hint=hint)


def has_errors(findings: list[Finding]) -> bool:
    """True when any finding is an error."""
    return any(f.severity is Severity.error for f in findings)


def place(source: Source, findings: list[Finding]) -> list[Finding]:
    """Give findings their file, line and column (parsing positions only if needed)."""
    if not findings:
        return findings
    from .loading import position_finder

    find = position_finder(source, (f.path for f in findings if f.line is None))
    return [
        f.at(source.name, *find(f.path, f.code == "key-unknown")) if f.line is None else f
        for f in findings
    ]


def from_error(exc: InvalidInputError, code: str = "yaml-invalid") -> Finding:
    """A file-level loading error as a finding, so it is reported like the others."""
    return Finding(code, Severity.error, exc.problem, (), exc.file, exc.line, exc.column, exc.hint)
