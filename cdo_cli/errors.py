"""One error hierarchy: every error a user may cause carries a message ready to show.

The CLI catches :class:`CdoError` once, in ``cdo_cli.cli.shell``, prints it and exits
with its ``exit_code``. Library errors (YAML, pydantic, OS) are turned into these where
they arise. Anything else is a bug and surfaces as one.
"""

from __future__ import annotations

import errno
from enum import IntEnum


class ExitCode(IntEnum):
    """What ``cdo``'s exit status means; the README has the same table."""

    OK = 0
    """The command did its job and found nothing wrong."""
    FINDINGS = 1
    """The command did its job and reports findings: an invalid roster or scheme file,
    overdue items under ``--check``, warnings under ``--strict``."""
    FAILED = 2
    """The command could not do its job: a usage error, unreadable input, an unknown
    scheme, unit, form or format, output that cannot be written."""


class CdoError(Exception):
    """Base: a problem to show to the user, with the exit code it maps to."""

    exit_code: int = ExitCode.FAILED

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(CdoError):
    """The command line asks for something that cannot be done (exit 2)."""


class UnreadableError(CdoError):
    """A file cannot be read at all: missing, a folder, not permitted (exit 2)."""


class OutputError(CdoError):
    """Output cannot be written: a full disk, a closed pipe, a read-only folder (exit 2)."""


class InvalidInputError(CdoError):
    """A file was read but is not valid, at a known place in it (exit 1)."""

    exit_code = ExitCode.FINDINGS

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        file: str = "",
        line: int = 1,
        column: int = 1,
    ) -> None:
        super().__init__(f"{file}:{line}:{column}: {message}" if file else message, hint)
        self.problem = message
        self.file = file
        self.line = line
        self.column = column


class SchemeUnusableError(CdoError):
    """A scheme file a command needs has errors, so the command cannot run (exit 2)."""


class NotFoundError(CdoError):
    """A scheme, form or unit named on the command line does not exist (exit 2)."""


_REASONS = {
    errno.ENOENT: "不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "所在位置只读，不能写入",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EPIPE: "接收输出的程序已关闭",
    errno.EBADF: "输出已关闭",
    errno.EIO: "读写出错",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.ELOOP: "符号链接循环",
    errno.EEXIST: "已存在",
    errno.EINVAL: "参数无效",
    errno.EXDEV: "不能跨磁盘移动",
    errno.EBUSY: "正被占用",
}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in Chinese (the English kept for searching)."""
    chinese = _REASONS.get(exc.errno or -1)
    english = exc.strerror or type(exc).__name__
    return f"{chinese}（{english}）" if chinese else english


def one_of(choices: list[str] | tuple[str, ...]) -> str:
    """Choices as Chinese lists them: ``a``, ``a 或 b``, ``a、b 或 c``."""
    items = list(choices)
    if len(items) <= 1:
        return "".join(items)
    return f"{'、'.join(items[:-1])} 或 {items[-1]}"
