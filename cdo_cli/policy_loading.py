"""Finding and loading scheme files: the built-in ones and those in extra folders."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .errors import (
    InvalidInputError,
    NotFoundError,
    SchemeUnusableError,
    UnreadableError,
    UsageError,
    one_of,
    os_reason,
)
from .findings import Finding, Severity, error, from_error, place
from .loading import Source, parse, read_source
from .model_errors import field_names, findings_from
from .policy import (
    Clause,
    Column,
    Document,
    Due,
    Entry,
    Form,
    FormSection,
    Goal,
    Holders,
    NamedOfficer,
    Obligation,
    Reference,
    Role,
    Scheme,
    Selector,
    Unit,
)
from .resources import builtin_dir
from .suggest import did_you_mean

_POLICY_MODELS: list[type[BaseModel]] = [
    Scheme, Document, Unit, Role, Obligation, Due, Form, FormSection, Column, Entry,
    NamedOfficer, Selector, Holders, Reference, Goal, Clause,
]  # fmt: skip


@dataclass(frozen=True)
class SchemeFile:
    """A scheme file found on disk, and where it was found."""

    id: str
    path: Path
    origin: str


def search_dirs(extra: Sequence[Path] = (), env: str | None = None) -> list[tuple[Path, str]]:
    """Folders to look in, lowest priority first: built-in, CDO_POLICIES, --policies."""
    dirs: list[tuple[Path, str]] = [(builtin_dir(), "内置")]
    env_value = os.environ.get("CDO_POLICIES", "") if env is None else env
    for part in env_value.split(os.pathsep):
        if part.strip():
            dirs.append((Path(part.strip()), "CDO_POLICIES"))
    dirs.extend((Path(d), "--policies") for d in extra)
    return dirs


def discover(dirs: Iterable[tuple[Path, str]]) -> dict[str, SchemeFile]:
    """Every scheme file by id; a later folder overrides an earlier one with the same id.

    The id is the file's stem (``puning.yaml`` is ``puning``); :func:`check_file` checks
    that the file's own ``id`` agrees. Only the folder's own ``*.yaml``/``*.yml`` count.
    """
    found: dict[str, SchemeFile] = {}
    for folder, origin in dirs:
        if folder.is_file():
            raise UsageError(
                f"{origin} 应为文件夹，这里是一个文件：{folder}",
                hint=f"写方案文件所在的文件夹，如 {origin} {folder.parent}；"
                f"检查单个方案文件用 cdo policy check {folder}。",
            )
        if not folder.is_dir():
            raise UsageError(f"方案文件夹不存在：{folder}（来自 {origin}）")
        try:
            paths = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])
        except OSError as exc:
            raise UsageError(f"方案文件夹无法读取：{folder}（{os_reason(exc)}）") from None
        for path in paths:
            found[path.stem] = SchemeFile(path.stem, path, f"{origin}：{folder}")
    return found


@dataclass(frozen=True)
class SchemeRead:
    """What reading a scheme file gave: its text, the scheme (None if unusable), findings."""

    source: Source | None
    scheme: Scheme | None
    findings: list[Finding]


def read_scheme(path: Path, display: str | None = None) -> SchemeRead:
    """Read a scheme file and check its shape; the one loader of scheme files.

    Findings are placed at file:line:column. An unreadable file raises UnreadableError
    (exit 2).
    """
    source = read_source(path, display)
    try:
        data = parse(source)
    except InvalidInputError as exc:
        return SchemeRead(source, None, [from_error(exc)])
    if not isinstance(data, dict):
        message = "方案文件的顶层应为键值对（id、city、document、units …）"
        return SchemeRead(source, None, [error("policy-shape", message).at(source.name, 1, 1)])
    try:
        scheme = Scheme.model_validate(data)
    except ValidationError as exc:
        vocabulary = field_names(_POLICY_MODELS)
        found = findings_from(exc, vocabulary, "policy-invalid", model=Scheme)
        return SchemeRead(source, None, place(source, found))
    if scheme.id != path.stem:
        mismatch = error("policy-id", f"方案 id“{scheme.id}”与文件名“{path.stem}”不一致", ("id",))
        return SchemeRead(source, scheme, place(source, [mismatch]))
    return SchemeRead(source, scheme, [])


def check_file(path: Path, display: str | None = None) -> tuple[Scheme | None, list[Finding]]:
    """Read a scheme file and run every check on it: the scheme and all its findings."""
    from .policy_checks import check_scheme

    read = read_scheme(path, display)
    if read.scheme is None or read.source is None:
        return None, read.findings
    return read.scheme, [*read.findings, *place(read.source, check_scheme(read.scheme))]


class Registry:
    """The schemes in play for one command: found lazily, loaded once each.

    A broken scheme file does not take the others down: it is reported where it is
    asked for (:meth:`get`), and listed with its first problem (:meth:`problem`).
    """

    def __init__(self, extra: Sequence[Path] = ()) -> None:
        self.files = discover(search_dirs(extra))
        self._loaded: dict[str, Scheme | None] = {}
        self._problems: dict[str, Finding] = {}

    def ids(self) -> list[str]:
        """Scheme ids, sorted."""
        return sorted(self.files)

    def _load(self, scheme_id: str) -> Scheme | None:
        if scheme_id not in self._loaded:
            try:
                read = read_scheme(self.files[scheme_id].path)
            except UnreadableError as exc:
                read = SchemeRead(None, None, [error("policy-unreadable", exc.message)])
            errors = [f for f in read.findings if f.severity is Severity.error]
            if errors:
                self._problems[scheme_id] = errors[0]
            self._loaded[scheme_id] = read.scheme if not errors else None
        return self._loaded[scheme_id]

    def problem(self, scheme_id: str) -> Finding | None:
        """The first error that makes a scheme unusable, or None when it loads."""
        self._load(scheme_id)
        return self._problems.get(scheme_id)

    def get(self, scheme_id: str) -> Scheme:
        """The scheme with this id; a usage error naming the choices if there is none."""
        if scheme_id not in self.files:
            raise NotFoundError(
                f"没有名为“{scheme_id}”的方案",
                hint=did_you_mean(scheme_id, self.ids())
                or f"可用的方案：{one_of(self.ids())}。另外的方案文件夹用 --policies 文件夹 "
                "或环境变量 CDO_POLICIES 指定。",
            )
        scheme = self._load(scheme_id)
        if scheme is None:
            first = self._problems[scheme_id]
            raise SchemeUnusableError(
                f"方案文件有错误，无法使用：{first.location}: {first.message}",
                hint=f"运行 cdo policy check {self.files[scheme_id].path} 查看全部问题。",
            )
        return scheme

    def usable(self) -> tuple[list[Scheme], list[str]]:
        """Every scheme that loads, and a note for each that does not."""
        schemes: list[Scheme] = []
        notes: list[str] = []
        for scheme_id in self.ids():
            scheme = self._load(scheme_id)
            if scheme is not None:
                schemes.append(scheme)
            else:
                first = self._problems[scheme_id]
                notes.append(
                    f"方案 {scheme_id} 的文件有错误，未使用：{first.location}: {first.message}"
                )
        return schemes, notes
