"""One command's workspace: the schemes found, and the rosters loaded with their findings.

The CLI builds one :class:`Workspace` per command and hands loaded objects to the core;
nothing below it reads a path it was not given.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CdoError, ExitCode, UnreadableError
from .findings import Finding, Severity, place
from .policy_loading import Registry
from .roster_loading import LoadedRoster, load_roster


def roster_paths(path: Path) -> list[Path]:
    """The roster files ``path`` stands for: itself, or a folder's .yaml files and those of
    its sub-folders (a province's 名册/云岭市/云城区.yaml), each folder's files in name order
    before its sub-folders'. Hidden files and folders and linked folders are passed over. A
    folder with none is UnreadableError (exit 2)."""
    try:
        if not stat.S_ISDIR(os.stat(path).st_mode):
            return [path]
        found = _folder_rosters(path)
    except (OSError, ValueError):  # too long, NUL, gone: reading the file says what is wrong
        return [path]
    if not found:
        raise UnreadableError(
            f"文件夹 {path} 中没有名册文件（.yaml）",
            hint="给出名册文件，或放有名册（.yaml）的文件夹。",
        )
    return found


def _folder_rosters(folder: Path) -> list[Path]:
    files: list[Path] = []
    folders: list[Path] = []
    for p in sorted(folder.iterdir()):
        if p.name.startswith("."):
            continue
        if p.is_dir():
            if not p.is_symlink():  # a link could lead back up: read what is really here
                folders.append(p)
        elif p.suffix in (".yaml", ".yml"):
            files.append(p)
    return files + [f for sub in folders for f in _folder_rosters(sub)]


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
    # The findings of this file alone, without those its scheme's rosters share
    # (completeness, minimum counts): several files of one scheme are checked together.
    own: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """The findings that make the roster invalid."""
        return [f for f in self.findings if f.severity is Severity.error]


@dataclass
class Workspace:
    """Schemes and rosters for one command, each loaded once.

    ``as_of`` is the date the schemes are read as of (units and roles with dates of their
    own); None takes every unit and role in its widest scope.
    """

    registry: Registry
    as_of: dt.date | None = None
    _rosters: dict[Path, RosterCheck] = field(default_factory=dict)

    def check_roster(self, path: Path) -> RosterCheck:
        """Read a roster and run every check on it (UnreadableError if it cannot be read)."""
        if path not in self._rosters:
            from .loading import display_name
            from .roster_checks import check_own
            from .roster_coverage import check_union

            loaded, own = load_roster(path, self.registry)
            findings = own
            if loaded is not None:
                checked = check_own(loaded, self.as_of)
                shared = [f for _, f in check_union([loaded], self.as_of)]
                placed = place(loaded.source, checked + shared)  # positions found once
                own = own + placed[: len(checked)]
                findings = own + placed[len(checked) :]
            name = loaded.name if loaded is not None else display_name(path)
            self._rosters[path] = RosterCheck(path, name, loaded, findings, own)
        return self._rosters[path]

    def valid_roster(self, path: Path) -> LoadedRoster:
        """A roster without errors (warnings allowed), or RosterInvalidError (exit 1)."""
        check = self.check_roster(path)
        if check.roster is None or check.errors:
            raise RosterInvalidError(check.errors)
        return check.roster
