"""Writing files: atomically, and never outside the folder they are meant for."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import UnreadableError


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path`` and move it into place."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UnreadableError(f"{path}: 无法写入（{exc.strerror or exc}）") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UnreadableError(f"{path}: 无法写入（{exc.strerror or exc}）") from None
