"""Finding and loading scheme files: the built-in ones and those in extra folders."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .errors import InvalidInputError, UsageError
from .findings import Finding, error, from_error, place
from .loading import load_yaml, parse, read_source
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

    The id is the file's stem (``puning.yaml`` is ``puning``); :func:`load_scheme`
    checks that the file's own ``id`` agrees.
    """
    found: dict[str, SchemeFile] = {}
    for folder, origin in dirs:
        if not folder.is_dir():
            raise UsageError(f"方案文件夹不存在：{folder}（来自 {origin}）")
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            found[path.stem] = SchemeFile(path.stem, path, f"{origin}：{folder}")
    return found


def check_file(path: Path, display: str | None = None) -> tuple[Scheme | None, list[Finding]]:
    """Load a scheme file and check it: the scheme (if its shape is valid) and findings."""
    from .policy_checks import check_scheme

    try:
        source = read_source(path, display)
        data = parse(source)
    except InvalidInputError as exc:
        return None, [from_error(exc)]
    if not isinstance(data, dict):
        return None, [
            error("policy-shape", "方案文件的顶层应为键值对（id、city、document、units …）").at(
                source.name, 1, 1
            )
        ]
    try:
        scheme = Scheme.model_validate(data)
    except ValidationError as exc:
        return None, place(
            source, findings_from(exc, field_names(_POLICY_MODELS), "policy-invalid", model=Scheme)
        )
    findings = check_scheme(scheme)
    if scheme.id != path.stem:
        findings.insert(
            0, error("policy-id", f"方案 id“{scheme.id}”与文件名“{path.stem}”不一致", ("id",))
        )
    return scheme, place(source, findings)


def load_scheme(entry: SchemeFile) -> Scheme:
    """Load a scheme for use; any error makes it unusable (InvalidInputError)."""
    source, data = load_yaml(entry.path)
    if not isinstance(data, dict):
        raise InvalidInputError("方案文件的顶层应为键值对", file=source.name)
    try:
        return Scheme.model_validate(data)
    except ValidationError as exc:
        first = place(
            source, findings_from(exc, field_names(_POLICY_MODELS), "policy-invalid", model=Scheme)
        )[0]
        raise InvalidInputError(
            f"方案文件无效：{first.message}",
            hint=f"运行 cdo policy check {source.name} 查看全部问题。",
            file=source.name, line=first.line or 1, column=first.column or 1,
        ) from None  # fmt: skip


class Registry:
    """The schemes in play for one command: found lazily, loaded once each."""

    def __init__(self, extra: Sequence[Path] = ()) -> None:
        self.files = discover(search_dirs(extra))
        self._loaded: dict[str, Scheme] = {}

    def ids(self) -> list[str]:
        """Scheme ids, sorted."""
        return sorted(self.files)

    def get(self, scheme_id: str) -> Scheme:
        """The scheme with this id; a usage error naming the choices if there is none."""
        if scheme_id not in self.files:
            raise UsageError(
                f"没有名为“{scheme_id}”的方案",
                hint=did_you_mean(scheme_id, self.ids()) or f"可用的方案：{'、'.join(self.ids())}",
            )
        if scheme_id not in self._loaded:
            self._loaded[scheme_id] = load_scheme(self.files[scheme_id])
        return self._loaded[scheme_id]

    def all(self) -> list[Scheme]:
        """Every scheme, loaded."""
        return [self.get(i) for i in self.ids()]
