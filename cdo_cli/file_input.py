"""Reading a file a clerk hands to ``cdo import``: a regular file, and no more of it than a limit.

A name that ends in .docx or .csv may be a FIFO (opening it waits for a writer that
never comes), a device (/dev/zero never ends) or a link to one. :func:`read_input`
looks at what the path is before opening it, opens it without blocking, checks again
what it opened, and reads at most ``limit`` + 1 bytes, whatever size the file claims.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import UnreadableError, os_reason


def _kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "文件夹"
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字（socket）"
    return "特殊文件"


_HINTS = {
    "命名管道（FIFO）": "请指定各单位交回的文件本身。",
    "设备文件": "请指定各单位交回的文件本身。",
}


def _refuse(shown: str, mode: int, what: str) -> None:
    kind = _kind(mode)
    if kind is not None:
        raise UnreadableError(f"{shown} 是{kind}，不是{what}", hint=_HINTS.get(kind))


def read_input(path: Path, shown: str, limit: int, what: str) -> bytes:
    """The bytes of the regular file ``path``; UnreadableError (exit 2) for anything else.

    ``shown`` is the name messages use; ``what`` names the kind of file expected
    (``Word 文档``); a file larger than ``limit`` bytes is refused as being no form.
    """
    try:
        info = os.stat(path)
        _refuse(shown, info.st_mode, what)
        if info.st_size > limit:
            raise _too_large(shown, info.st_size)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as handle:
            _refuse(shown, os.fstat(handle.fileno()).st_mode, what)
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise UnreadableError(f"{shown}：文件不存在") from None
    except OSError as exc:
        raise UnreadableError(f"无法读取 {shown}：{os_reason(exc)}") from None
    except ValueError:  # a NUL in the name
        raise UnreadableError(f"{shown}：路径中含有空字符（\\x00），无法打开") from None
    if len(data) > limit:
        raise _too_large(shown, None)  # it grew, or claimed to be empty
    return data


def _too_large(shown: str, size: int | None) -> UnreadableError:
    about = f"（{size // 1_000_000} MB）" if size is not None else ""
    return UnreadableError(
        f"{shown} 过大{about}，不像是一份表格，未读取",
        hint="表格文件通常只有几十 KB；请确认选对了文件。",
    )


# Where the LibreOffice command in a hint writes: a folder of its own, so that a file
# whose name already ends in the target (a .doc renamed .docx) is never converted onto itself.
CONVERTED = "已转换"


def convert_hint(path: Path, target: str, apps: str, save_as: str) -> str:
    """How to turn an old or foreign file into ``target`` (docx, xlsx): ``apps`` (Word 或
    WPS) and ``save_as`` (its 另存为 choice), or LibreOffice where it is installed."""
    import shutil

    from .text import visible

    hint = f"请在 {apps} 中打开，另存为{save_as}后再导入"
    if shutil.which("soffice") or shutil.which("libreoffice"):
        given = visible(str(path))
        name = f'"{given}"' if " " in given else given
        hint += (
            f"；或用本机的 LibreOffice 转换：soffice --headless --convert-to {target} "
            f"--outdir {CONVERTED} {name}（转换后的文件在“{CONVERTED}”文件夹中）"
        )
    return hint + "。"
