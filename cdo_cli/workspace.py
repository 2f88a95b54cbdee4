"""One command's workspace: the schemes found, and the rosters loaded with their findings.

The CLI builds one :class:`Workspace` per command and hands loaded objects to the core;
nothing below it reads a path it was not given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import CdoError, ExitCode
from .findings import Finding, Severity, place
from .policy_loading import Registry
from .roster_loading import LoadedRoster, load_roster


class RosterInvalidError(CdoError):
    """A roster a command needs has errors; carries the validator's findings (exit 1)."""

    exit_code = ExitCode.FINDINGS

    def __init__(self, findings: list[Finding]) -> None:
        from .findings_format import findings_text

        files = list(dict.fromkeys(f.file for f in findings))
        super().__init__(
            "名册有错误，请先改正：\n" + findings_text(findings, files).rstrip(),
            hint=f"运行 cdo validate {' '.join(files)} 查看全部问题。",
        )
        self.findings = findings


@dataclass(frozen=True)
class RosterCheck:
    """A roster file read and checked: the roster (None if unusable) and every finding."""

    path: Path
    name: str
    roster: LoadedRoster | None
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        """The findings that make the roster invalid."""
        return [f for f in self.findings if f.severity is Severity.error]


@dataclass
class Workspace:
    """Schemes and rosters for one command, each loaded once."""

    registry: Registry
    _rosters: dict[Path, RosterCheck] = field(default_factory=dict)

    def check_roster(self, path: Path) -> RosterCheck:
        """Read a roster and run every check on it (UnreadableError if it cannot be read)."""
        if path not in self._rosters:
            from .loading import display_name
            from .roster_checks import check_roster

            loaded, findings = load_roster(path, self.registry)
            if loaded is not None:
                findings += place(loaded.source, check_roster(loaded))
            name = loaded.name if loaded is not None else display_name(path)
            self._rosters[path] = RosterCheck(path, name, loaded, findings)
        return self._rosters[path]

    def valid_roster(self, path: Path) -> LoadedRoster:
        """A roster without errors (warnings allowed), or RosterInvalidError (exit 1)."""
        check = self.check_roster(path)
        if check.roster is None or check.errors:
            raise RosterInvalidError(check.errors)
        return check.roster
