"""Finding and loading scheme files: the built-in ones and those in extra folders."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ValidationError

from . import scheme_cache
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

if TYPE_CHECKING:
    from .policy_quotes import DocumentText

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
            written = (
                f"{origin} {folder.parent}"
                if origin == "--policies"
                else f"{origin} 设为 {folder.parent}"
            )
            raise UsageError(
                f"{origin} 应为文件夹，这里是一个文件：{folder}",
                hint=f"写方案文件所在的文件夹，如 {written}；"
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


def _is_id(text: str) -> bool:
    return re.fullmatch(r"[a-z][a-z0-9_]*", text) is not None and len(text) <= 64


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
    scheme = scheme_cache.load(source.text)
    if scheme is None:
        try:
            data = parse(source)
        except InvalidInputError as exc:
            return SchemeRead(source, None, [from_error(exc)])
        if not isinstance(data, dict):
            message = "方案文件的顶层应为键值对（id、city、document、units …）"
            found = [error("policy-shape", message).at(source.name, 1, 1)]
            return SchemeRead(source, None, found)
        try:
            scheme = Scheme.model_validate(data)
        except ValidationError as exc:
            vocabulary = field_names(_POLICY_MODELS)
            from .policy_terms import KEY_HINTS, VALUE_LABELS

            found = findings_from(
                exc, vocabulary, "policy-invalid", model=Scheme, labels=VALUE_LABELS,
                hints=KEY_HINTS,
            )  # fmt: skip
            return SchemeRead(source, None, place(source, found))
        scheme_cache.store(source.text, scheme)
    if scheme.id != path.stem:
        mismatch = error(
            "policy-id",
            f"方案 id“{scheme.id}”与文件名“{path.stem}”不一致",
            ("id",),
            f"cdo 按文件名找方案：把文件改名为 {scheme.id}{path.suffix or '.yaml'}"
            + (f"，或把 id 改为 {path.stem}。" if _is_id(path.stem) else "。"),
        )
        return SchemeRead(source, scheme, place(source, [mismatch]))
    return SchemeRead(source, scheme, [])


@dataclass(frozen=True)
class SchemeCheck:
    """What checking a scheme file gave: the scheme (None if unusable), every finding, and
    the document its quotes were checked against (or why they were not)."""

    scheme: Scheme | None
    findings: list[Finding]
    document: str | None = None
    note: str | None = None


def check_file(
    path: Path,
    display: str | None = None,
    document: DocumentText | None = None,
    *,
    seek_seed: bool = True,
) -> SchemeCheck:
    """Read a scheme file and run every check on it.

    Quotes are checked against ``document`` when given; otherwise, with ``seek_seed``,
    against the file ``document.seed`` names, if it is found (:func:`~cdo_cli.policy_quotes.find_seed`).
    """
    from .policy_checks import check_scheme, todo_comments
    from .policy_quotes import check_quotes, find_seed, read_document

    read = read_scheme(path, display)
    if read.scheme is None or read.source is None:
        return SchemeCheck(None, read.findings)
    scheme, source = read.scheme, read.source
    findings = [*read.findings, *place(source, check_scheme(scheme))]
    findings += [f.at(source.name, line, column) for line, column, f in todo_comments(source.text)]
    note = None
    if document is None and seek_seed:
        seed_path = find_seed(scheme, path)
        seed = scheme.document.seed
        if seed_path is not None:
            try:
                document = read_document(seed_path)
            except UnreadableError as exc:
                note = f"{source.name}：原文无法读取，引文未核对：{exc.message}"
        elif seed:
            note = (
                f"{source.name}：document.seed 写的原文“{seed}”没有找到"
                f"（应放在 {path.parent / 'sources'} 中），引文未核对；可用 --source 指定原文。"
            )
        else:
            note = f"{source.name}：引文未与原文核对（用 --source 原文.txt，或在 document.seed 写原文文件名）。"
    if document is None:
        return SchemeCheck(scheme, findings, None, note)
    findings += place(source, check_quotes(scheme, document))
    return SchemeCheck(scheme, findings, document.name, note)


def scheme_not_found_hint(scheme_id: str, ids: list[str]) -> str:
    """What to say when no scheme has this id: a close one, and where else schemes come from."""
    where = "另外的方案文件夹用 --policies 文件夹（写在子命令之前）或环境变量 CDO_POLICIES 指定。"
    close = did_you_mean(scheme_id, ids)
    return f"{close}{where}" if close else f"可用的方案：{one_of(ids)}。{where}"


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

    def file(self, scheme_id: str) -> SchemeFile:
        """The file of the scheme with this id, loaded or not; a usage error if there is none."""
        if scheme_id not in self.files:
            raise NotFoundError(
                f"没有名为“{scheme_id}”的方案", hint=scheme_not_found_hint(scheme_id, self.ids())
            )
        return self.files[scheme_id]

    def get(self, scheme_id: str) -> Scheme:
        """The scheme with this id; a usage error naming the choices if there is none."""
        self.file(scheme_id)
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
