"""Writing files: atomically, and never outside the folder they are meant for."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from .errors import UnreadableError, UsageError

# Characters Windows forbids in names, path separators, and control characters.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Device names Windows reserves whatever the extension (CON.docx is still CON).
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}
# Bytes, not characters: a Chinese character is 3 bytes in UTF-8 and most file
# systems allow 255 bytes per name; leave room for a temporary prefix and suffix.
MAX_NAME_BYTES = 200


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
        # mkstemp makes the file private (0600); a document is meant to be shared.
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UnreadableError(f"{path}: 无法写入（{exc.strerror or exc}）") from None


def _file_mode(path: Path) -> int:
    """The mode an existing file has, or what a new file gets under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def safe_filename(stem: str, suffix: str = "", fallback: str = "未命名") -> str:
    """A file name made from ``stem`` that stays one name in one folder on any system.

    Path separators, ``..``, control and Windows-reserved characters become ``_``;
    reserved device names get a leading ``_``; the name is cut to ``MAX_NAME_BYTES``.
    ``suffix`` (like ``.docx``) is kept whole.
    """
    text = unicodedata.normalize("NFC", stem)
    text = _FORBIDDEN.sub("_", text)
    text = "".join(c if unicodedata.category(c)[0] != "C" else "_" for c in text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    text = re.sub(r"\.{2,}", "_", text)
    if not text.strip("_"):
        text = fallback
    if text.split(".")[0].upper() in _RESERVED:
        text = f"_{text}"
    budget = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    while len(text.encode("utf-8")) > budget:
        text = text[:-1]
    return text.rstrip(" .") + suffix


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing any name that would resolve outside ``folder``."""
    base = folder.resolve()
    target = (base / name).resolve()
    if target.parent != base:
        raise UsageError(f"文件名“{name}”会写到输出文件夹之外，已拒绝")
    return target


def output_paths(output: str | None, names: Sequence[str], folder: bool) -> list[Path]:
    """Where documents named ``names`` go for ``-o output``.

    A folder (``folder`` is set for ``--all``; or ``output`` is an existing folder or ends
    with a separator; or no ``output``: the current folder) gets the generated names, each
    checked to stay inside it; otherwise ``output`` is the one file's path, as given.
    """
    as_folder = folder or output is None or output.endswith(("/", os.sep)) or Path(output).is_dir()
    if not as_folder and output is not None:
        if len(names) != 1:
            raise UsageError("多个文件不能写到同一个文件", hint="用 -o 指定文件夹。")
        return [Path(output).absolute()]
    base = Path(output or ".")
    if base.exists() and not base.is_dir():
        raise UsageError(f"{base} 不是文件夹", hint="--all 时 -o 应为文件夹。")
    base.mkdir(parents=True, exist_ok=True)
    return [inside(base, name) for name in names]


def check_targets(paths: Sequence[Path], force: bool) -> None:
    """Refuse to write over files that exist already, unless ``force``; all or nothing."""
    for path in paths:
        if path.is_dir():
            raise UsageError(f"{path} 是文件夹，不能写成文件")
    if force:
        return
    existing = [p for p in paths if p.exists() or p.is_symlink()]
    if existing:
        shown = "、".join(p.name for p in existing[:3])
        more = f" 等 {len(existing)} 个文件" if len(existing) > 3 else ""
        raise UsageError(
            f"{shown}{more} 已存在，未写入任何文件",
            hint="确认要覆盖时加 --force，或用 -o 指定别的位置。",
        )
