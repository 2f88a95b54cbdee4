"""Parsed scheme files kept between runs, in the user's cache folder.

Reading a scheme is parsing its YAML and validating it into :class:`~cdo_cli.policy.Scheme`:
a tenth of a second for a city's, half a second for a province's 5,000 units, at every
command. A scheme that loaded without a finding is pickled under a key made of its text,
this cdo's version, Python's and pydantic's, and the source of the scheme's models; the
same text read again by the same code is unpickled instead. Anything else, a changed byte or another version, is
another key, so a cache entry is never trusted across versions.

The cache is only ever a shortcut: a file that cannot be read, written, or unpickled, or
that holds something other than what its name promises, is ignored (and parsing goes on
as without it). It lives in ``CDO_CACHE_DIR`` if that is set (empty: no cache), else in
``%LOCALAPPDATA%\\cdo\\Cache`` on Windows, ``~/Library/Caches/cdo`` on macOS, and
``$XDG_CACHE_HOME/cdo`` (``~/.cache/cdo``) elsewhere. Like any file in the user's own
folders, it is as trusted as the user's account: whoever can write there can already
run code as the user.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import secrets
import sys
import typing
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .policy import Scheme

ENV = "CDO_CACHE_DIR"
_MAGIC = b"cdo-scheme-cache\n"
_KEEP = 64  # entries kept; older ones are removed when a new one is written


def cache_dir() -> Path | None:
    """The folder for cached schemes, or None when caching is off (``CDO_CACHE_DIR=``)."""
    if ENV in os.environ:
        value = os.environ[ENV]
        return Path(value) if value else None
    if os.name == "nt":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "cdo" / "Cache" if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "cdo"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base_dir = Path(xdg) if os.path.isabs(xdg) else Path.home() / ".cache"
    return base_dir / "cdo"


def cache_key(text: str) -> str:
    """The key of a scheme's text for this cdo, this Python, this pydantic, and the source
    of the models a scheme is made of."""
    import pydantic

    from . import __version__

    digest = hashlib.sha256()
    versions = (__version__, sys.version, pydantic.VERSION, sys.implementation.cache_tag or "")
    for part in (*versions, _models_fingerprint()):
        digest.update(part.encode("utf-8", "backslashreplace") + b"\0")
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def _models_fingerprint() -> str:
    """A hash of the source files defining the models reachable from Scheme.

    The version number does not change with every edit of the code a scheme is checked
    with; a cached scheme made by other models (a field added, a rule changed) would load
    wrongly, so their source is part of the key.
    """
    from pydantic import BaseModel

    from .policy import Scheme

    seen: set[type] = set()
    todo: list[type] = [Scheme]
    while todo:
        model = todo.pop()
        if model in seen:
            continue
        seen.add(model)
        for info in getattr(model, "model_fields", {}).values():
            stack = [info.annotation]
            while stack:
                kind = stack.pop()
                if isinstance(kind, type) and issubclass(kind, BaseModel):
                    todo.append(kind)
                stack.extend(typing.get_args(kind))
    digest = hashlib.sha256()
    for name in sorted({m.__module__ for m in seen}):
        path = getattr(sys.modules.get(name), "__file__", None)
        digest.update(name.encode() + b"\0")
        try:
            digest.update(Path(path).read_bytes() if path else b"?")
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


def _entry(folder: Path, key: str) -> Path:
    return folder / "schemes" / f"{key[:40]}.pickle"


def load(text: str) -> Scheme | None:
    """The scheme cached for this text, or None (no entry, or one that cannot be used)."""
    folder = cache_dir()
    if folder is None:
        return None
    key = cache_key(text)
    try:
        blob = _entry(folder, key).read_bytes()
    except (OSError, ValueError):
        return None
    if not blob.startswith(_MAGIC):
        return None
    from .policy import Scheme

    try:
        found = pickle.loads(blob[len(_MAGIC) :])
    # A damaged or foreign pickle can raise almost anything (UnpicklingError, EOFError,
    # AttributeError, ImportError, ...); all of them mean "no cache", nothing more.
    except Exception:
        return None
    if not (isinstance(found, tuple) and len(found) == 2 and found[0] == key):
        return None
    scheme = found[1]
    return scheme if type(scheme) is Scheme else None


def store(text: str, scheme: Scheme) -> None:
    """Keep the scheme for this text; silently nothing if the cache cannot be written."""
    folder = cache_dir()
    if folder is None:
        return
    key = cache_key(text)
    target = _entry(folder, key)
    try:
        blob = _MAGIC + pickle.dumps((key, scheme), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return
    temp = target.with_name(f".{key[:16]}-{secrets.token_hex(4)}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp.write_bytes(blob)
        os.replace(temp, target)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
        return
    _prune(target.parent)


def _prune(folder: Path) -> None:
    """Keep the newest ``_KEEP`` entries: each edit of a scheme file makes a new one."""
    try:
        entries = [e for e in os.scandir(folder) if e.name.endswith(".pickle")]
        if len(entries) <= _KEEP:
            return
        entries.sort(key=lambda e: e.stat().st_mtime, reverse=True)
        for old in entries[_KEEP:]:
            os.unlink(old.path)
    except OSError:
        return
