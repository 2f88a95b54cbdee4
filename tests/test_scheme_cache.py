"""The scheme cache: a cached scheme is the parsed one, and a bad cache is only ignored."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import cdo_cli
from cdo_cli import scheme_cache
from cdo_cli.loading import read_source
from cdo_cli.policy_loading import read_scheme
from cdo_cli.resources import builtin_dir

BUILTIN = sorted(builtin_dir().glob("*.yaml"))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(scheme_cache.ENV, str(folder))
    return folder


def _parsed(path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The scheme as parsed with no cache at all."""
    with monkeypatch.context() as m:
        m.setenv(scheme_cache.ENV, "")
        read = read_scheme(path)
    assert read.scheme is not None and not read.findings
    return read.scheme


def _same(a: Any, b: Any) -> bool:
    """The same scheme: the same fields all the way down, and the same private state but
    for unit_index's cache (it holds the id of the list it was built for)."""

    def private(x: Any) -> dict[str, Any]:
        return {k: v for k, v in (x.__pydantic_private__ or {}).items() if k != "_index"}

    return (
        type(a) is type(b)
        and a.model_dump() == b.model_dump()
        and private(a) == private(b)
        and a.unit_index().keys() == b.unit_index().keys()
    )


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "schemes").glob("*.pickle")) if cache.is_dir() else []


@pytest.mark.parametrize("path", BUILTIN, ids=lambda p: p.stem)
def test_cached_scheme_equals_parsed(
    path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = _parsed(path, monkeypatch)
    first = read_scheme(path)  # parses, and fills the cache
    assert len(_entries(cache)) == 1
    text = read_source(path).text
    cached = scheme_cache.load(text)
    assert cached is not None
    assert _same(cached, parsed) and _same(first.scheme, parsed)
    second = read_scheme(path)  # from the cache
    assert _same(second.scheme, parsed) and second.findings == first.findings


def test_bench_scheme_cached_equals_parsed(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_bench import generate

    scheme_path, _roster = generate(40, tmp_path / "data")
    parsed = _parsed(scheme_path, monkeypatch)
    read_scheme(scheme_path)
    assert _same(read_scheme(scheme_path).scheme, parsed)
    assert _same(scheme_cache.load(read_source(scheme_path).text), parsed)


def _entry_for(path: Path, cache: Path) -> Path:
    read_scheme(path)
    (entry,) = _entries(cache)
    return entry


@pytest.mark.parametrize(
    "damage",
    [
        b"",  # empty
        b"not a cache file at all",
        b"cdo-scheme-cache\n",  # the header alone
        b"cdo-scheme-cache\n\x80\x05\x95garbage",  # a broken pickle
    ],
)
def test_corrupt_cache_entry_is_ignored(
    damage: bytes, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = BUILTIN[0]
    entry = _entry_for(path, cache)
    entry.write_bytes(damage)
    assert scheme_cache.load(read_source(path).text) is None
    read = read_scheme(path)
    assert _same(read.scheme, _parsed(path, monkeypatch)) and not read.findings


def test_truncated_cache_entry_is_ignored(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = BUILTIN[0]
    entry = _entry_for(path, cache)
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])
    assert scheme_cache.load(read_source(path).text) is None
    assert _same(read_scheme(path).scheme, _parsed(path, monkeypatch))


def test_foreign_cache_entry_is_ignored(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry under this text's name that holds another key, or not a scheme."""
    one, other = BUILTIN[0], BUILTIN[1]
    entry = _entry_for(one, cache)
    other_scheme = _parsed(other, monkeypatch)
    other_key = scheme_cache.cache_key(read_source(other).text)
    for payload in [(other_key, other_scheme), ("x", other_scheme), (entry.stem, "a string")]:
        entry.write_bytes(b"cdo-scheme-cache\n" + pickle.dumps(payload))
        assert scheme_cache.load(read_source(one).text) is None
        assert _same(read_scheme(one).scheme, _parsed(one, monkeypatch))


def test_cache_is_not_trusted_across_versions(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = read_source(BUILTIN[0]).text
    read_scheme(BUILTIN[0])
    assert scheme_cache.load(text) is not None
    monkeypatch.setattr(cdo_cli, "__version__", "99.0.0")
    assert scheme_cache.load(text) is None
    monkeypatch.undo()
    monkeypatch.setenv(scheme_cache.ENV, str(cache))
    assert scheme_cache.load(text) is not None
    # The same version, other models (a field added while developing): not trusted.
    monkeypatch.setattr(scheme_cache, "_models_fingerprint", lambda: "other models")
    assert scheme_cache.load(text) is None
    monkeypatch.setattr("sys.version", "3.99.0 (other)")
    assert scheme_cache.cache_key(text) != scheme_cache.cache_key(text + " ")


def test_changed_text_is_another_entry(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "puning.yaml"
    path.write_bytes((builtin_dir() / "puning.yaml").read_bytes())
    read_scheme(path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("city: 普宁市", "city: 普宁县", 1), "utf-8"
    )
    read = read_scheme(path)
    assert read.scheme is not None and read.scheme.city == "普宁县"
    assert len(_entries(cache)) == 2


def test_unwritable_cache_is_silent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(scheme_cache.ENV, str(blocker / "cache"))  # under a file: cannot exist
    read = read_scheme(BUILTIN[0])
    assert _same(read.scheme, _parsed(BUILTIN[0], monkeypatch)) and not read.findings


def test_cache_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(scheme_cache.ENV, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert scheme_cache.cache_dir() is None
    read_scheme(BUILTIN[0])
    assert not (tmp_path / "xdg").exists()


def test_cache_dir_follows_the_platform(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(scheme_cache.ENV, raising=False)
    if scheme_cache.os.name == "nt":
        monkeypatch.setenv("LOCALAPPDATA", str(tmp_path))
        assert scheme_cache.cache_dir() == tmp_path / "cdo" / "Cache"
    elif scheme_cache.sys.platform != "darwin":
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        assert scheme_cache.cache_dir() == tmp_path / "cdo"
        monkeypatch.setenv("XDG_CACHE_HOME", "relative/not/allowed")
        assert scheme_cache.cache_dir() == Path.home() / ".cache" / "cdo"


def test_scheme_with_findings_is_not_cached(cache: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: broken\ncity: 某市\n", encoding="utf-8")
    read = read_scheme(path)
    assert read.scheme is None and read.findings
    assert _entries(cache) == []


def test_validate_twice_gives_the_same_report(
    cli: Callable[..., Any], write: Callable[[str, str], Path], cache: Path
) -> None:
    write("roster.yaml", "scheme: puning\nunits: {}\n")
    first = cli("validate", "roster.yaml")
    assert _entries(cache)
    second = cli("validate", "roster.yaml")
    assert (first.exit_code, first.output) == (second.exit_code, second.output)
