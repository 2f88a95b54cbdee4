"""Writing files: never over another file unless asked, never half-written, never outside
the folder they are meant for.

A new file is written to a short temporary name in its folder and then hard-linked to
its name, which fails if the name was taken meanwhile (another run, another program):
creating is exclusive, not check-then-write. Where hard links are not supported (FAT,
some network shares) the file is created with ``O_EXCL`` instead and removed again if
writing fails. ``--force`` replaces a file atomically (``os.replace``), but never a
symbolic link, a folder or a device. Temporary files a killed run left behind
(``.cdo-<pid>-<random>.tmp``) are removed by the next run into that folder.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import CdoError, UsageError

# Characters Windows forbids in names, path separators, and control characters.
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
# Device names Windows reserves whatever the extension (CON.docx is still CON).
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}
# Bytes, not characters: a Chinese character is 3 bytes in UTF-8 and most file systems
# allow 255 bytes per name; leave room for a "（2）" that tells two units' files apart.
MAX_NAME_BYTES = 200

_WINDOWS = os.name == "nt"
_TEMP = re.compile(r"\.cdo-(\d{1,10})-[0-9a-f]{8}\.tmp")
_BINARY = getattr(os, "O_BINARY", 0)  # Windows would turn \n into \r\n without it


class WriteError(CdoError):
    """A file could not be written (exit 2); ``written`` lists what this run did write."""

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        written: Sequence[Path] = (),
        not_written: Sequence[Path] = (),
    ) -> None:
        if written:
            message += f"\n已写入 {len(written)} 个文件：{_names(written)}"
        if written and not_written:
            message += f"\n未写入 {len(not_written)} 个文件：{_names(not_written)}"
        elif len(not_written) > 1:
            message += "\n未写入任何文件"
        super().__init__(message, hint)
        self.written = list(written)
        self.not_written = list(not_written)


def _names(paths: Sequence[Path]) -> str:
    return "、".join(str(p) for p in paths)


# ---------------------------------------------------------------- names


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
    return _cut(text, MAX_NAME_BYTES - len(suffix.encode("utf-8"))) + suffix


def _cut(text: str, budget: int) -> str:
    """``text`` shortened to at most ``budget`` UTF-8 bytes, without a trailing space or dot."""
    while len(text.encode("utf-8")) > budget:
        text = text[:-1]
    return text.rstrip(" .")


def name_key(name: str) -> str:
    """What a case-insensitive, normalising file system (Windows, macOS) sees of a name."""
    return unicodedata.normalize("NFC", name).casefold()


def unique_names(names: Sequence[str]) -> list[str]:
    """Names made distinct even where case does not count: a second ``a.docx`` (or
    ``A.docx``) becomes ``a（2）.docx``, and never a name that is already in the list."""
    taken = {name_key(n) for n in names}
    used: set[str] = set()
    out: list[str] = []
    for name in names:
        key = name_key(name)
        if key in used:
            stem, dot, ext = name.rpartition(".") if "." in name else (name, "", "")
            count = 2
            while True:
                mark = f"（{count}）"
                budget = MAX_NAME_BYTES - len(f"{mark}{dot}{ext}".encode())
                name = f"{_cut(stem, budget)}{mark}{dot}{ext}"
                key = name_key(name)
                if key not in taken and key not in used:
                    break
                count += 1
        used.add(key)
        out.append(name)
    return out


def _child(folder: Path, name: str) -> Path:
    """``folder / name``, refusing a name that is not one plain name in that folder."""
    if name in ("", ".", "..") or any(s and s in name for s in ("/", os.sep, os.altsep)):
        raise UsageError(f"文件名“{name}”会写到输出文件夹之外，已拒绝")
    return folder / name


# ---------------------------------------------------------------- where


@dataclass(frozen=True)
class Destination:
    """Where documents go: standard output (``path`` is None), one named file, or a
    folder that gets each document's own name. A missing folder is created on writing."""

    path: Path | None
    folder: bool = False

    @property
    def stdout(self) -> bool:
        """Whether the documents go to standard output."""
        return self.path is None

    def targets(self, names: Sequence[str]) -> list[Path]:
        """The file each of the documents named ``names`` is written to."""
        if self.path is None:
            raise UsageError("标准输出不是文件")
        if not self.folder:
            if len(names) != 1:
                raise UsageError("多个文件不能写到同一个文件", hint="用 -o 指定文件夹。")
            return [self.path]
        return [_child(self.path, name) for name in names]


def is_folder_path(output: str) -> bool:
    """Whether ``-o output`` names a folder: an existing one, or one written with a
    trailing separator (``报名表/``)."""
    separators = tuple(s for s in ("/", os.sep, os.altsep) if s)
    return output.endswith(separators) or Path(output).is_dir()


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class NewFile:
    """A file to write. ``keep_existing``: an existing file of that name is left as it is
    (not an error, and not replaced even with ``force``)."""

    path: Path
    data: bytes
    keep_existing: bool = False


def write_documents(
    destination: Destination, documents: Sequence[tuple[str, bytes]], *, force: bool = False
) -> list[Path]:
    """Write ``(name, data)`` documents where ``destination`` says; the paths written.

    All or nothing, as :func:`write_files`.
    """
    targets = destination.targets([name for name, _ in documents])
    return write_files(
        [NewFile(path, data) for path, (_, data) in zip(targets, documents, strict=True)],
        force=force,
    )


def write_files(files: Sequence[NewFile], *, force: bool = False) -> list[Path]:
    """Write ``files``, creating missing folders; the paths written, in order.

    Before anything is written, refuses (:class:`UsageError`, nothing written) if a
    target is a folder, a device, a FIFO or a socket, if a target is a symbolic link and
    ``force`` is set, or, without ``force``, if any target exists. Each file is then
    created exclusively (or, with ``force``, replaced atomically). If one cannot be
    written (a race made it appear, the disk is full, …) the run stops; the files
    already written stay, and the :class:`WriteError` lists them and the rest.
    """
    _check_names(files)
    for folder in dict.fromkeys(f.path.parent for f in files):
        _check_folder(folder)
        clean_stale_temporaries(folder)
    todo = [f for f in files if not (f.keep_existing and _lexists(f.path))]
    _check_targets([f.path for f in todo], force)
    for folder in dict.fromkeys(f.path.parent for f in todo):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteError(f"无法创建文件夹 {folder}：{_reason(exc)}", hint=_hint(exc)) from None
    written: list[Path] = []
    for start in range(0, len(todo), _BATCH):
        _write_batch(todo, start, force, written)
    return written


# Files written, then synced, then named, this many at a time: a sync right after each
# write made --all on 5,000 units wait for the disk 5,000 times (a third of its time).
# On Linux one sync(2) flushes a whole batch and returns when it is on disk; elsewhere
# each file is synced (macOS's sync only schedules the writing), after the batch is
# written. Either way each file is on disk before its name is.
_SYNC_ALL = sys.platform.startswith("linux") and hasattr(os, "sync")
_BATCH = 256 if _SYNC_ALL else 64  # 64 open files at most where each is synced


def _write_batch(todo: Sequence[NewFile], start: int, force: bool, written: list[Path]) -> None:
    """Write ``todo[start:start + _BATCH]``, appending each path written to ``written``.

    As one by one: if a file cannot be written, those before it are, and the error
    lists them and the rest.
    """
    batch = todo[start : start + _BATCH]
    staged, failure = _stage_all(batch)
    for k, (item, temp) in enumerate(staged):
        try:
            if force and not item.keep_existing:
                _commit_replace(temp, item.path)
            else:
                _commit_new(temp, item.path, item.data)
        except FileExistsError:
            if item.keep_existing:
                continue
            _discard(staged[k + 1 :])
            raise WriteError(
                f"{item.path} 已被其他程序创建，未覆盖",
                hint="可能有另一次运行正在写入同一文件夹；确认后重新运行，或加 --force 覆盖。",
                written=written,
                not_written=[f.path for f in todo[start + k :]],
            ) from None
        except OSError as exc:
            _discard(staged[k + 1 :])
            raise _write_error(item, exc, written, todo[start + k :]) from None
        written.append(item.path)
    if failure is not None:
        k, problem = failure
        raise _write_error(batch[k], problem, written, todo[start + k :]) from None


def _write_error(
    item: NewFile, exc: OSError, written: list[Path], rest: Sequence[NewFile]
) -> WriteError:
    return WriteError(
        f"无法写入 {item.path}：{_reason(exc)}",
        hint=_hint(exc),
        written=written,
        not_written=[f.path for f in rest],
    )


def _stage_all(
    batch: Sequence[NewFile],
) -> tuple[list[tuple[NewFile, Path]], tuple[int, OSError] | None]:
    """Each file's data in a temporary file beside it, all written first, then synced.

    Returns the files staged, in order, and where staging stopped and why (or None).
    """
    opened: list[tuple[NewFile, Path, int]] = []
    failure: tuple[int, OSError] | None = None
    for k, item in enumerate(batch):
        try:
            temp, fd = _stage(item.path.parent, item.data)
        except OSError as exc:
            failure = (k, exc)
            break
        if _SYNC_ALL:
            os.close(fd)
            fd = -1
        opened.append((item, temp, fd))
    if _SYNC_ALL and opened:
        os.sync()
    staged: list[tuple[NewFile, Path]] = []
    for k, (item, temp, fd) in enumerate(opened):
        if fd >= 0:
            try:
                if failure is None:
                    os.fsync(fd)
            except OSError as exc:
                failure = (k, exc)
            finally:
                os.close(fd)
        if failure is not None and failure[0] <= k:
            _unlink_quietly(temp)
        else:
            staged.append((item, temp))
    return staged, failure


def _discard(staged: Sequence[tuple[NewFile, Path]]) -> None:
    for _item, temp in staged:
        _unlink_quietly(temp)


def _check_names(files: Sequence[NewFile]) -> None:
    """One run never writes two files to one name, whatever the file system's case rules."""
    seen: dict[tuple[str, str], Path] = {}
    for item in files:
        key = (str(item.path.parent), name_key(item.path.name))
        if key in seen:
            raise UsageError(f"{seen[key]} 和 {item.path} 是同一个文件名")
        seen[key] = item.path


def _check_folder(folder: Path) -> None:
    """The folder exists or can be made: its nearest existing ancestor is a folder."""
    for place in (folder, *folder.parents):
        if _lexists(place):
            if not place.is_dir():
                raise UsageError(f"{place} 不是文件夹，无法在其中写入文件")
            return


def _check_targets(paths: Sequence[Path], force: bool) -> None:
    existing: list[Path] = []
    for path in paths:
        try:
            mode = path.lstat().st_mode
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as exc:
            raise UsageError(f"无法访问 {path}：{_reason(exc)}") from None
        if stat.S_ISDIR(mode) or (stat.S_ISLNK(mode) and path.is_dir()):
            raise UsageError(f"{path} 是文件夹，不能写成文件", hint="用 -o 指定别的文件名。")
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            raise UsageError(f"{path} 不是普通文件（设备、管道或套接字），不会写入")
        if stat.S_ISLNK(mode) and force:
            raise UsageError(
                f"{path} 是符号链接，--force 也不会覆盖",
                hint="删除这个链接，或用 -o 指定别的文件名。",
            )
        existing.append(path)
    if existing and not force:
        shown = "、".join(str(p) for p in existing[:3])
        more = f" 等 {len(existing)} 个文件" if len(existing) > 3 else ""
        raise UsageError(
            f"{shown}{more} 已存在，未写入任何文件",
            hint="确认要覆盖时加 --force，或用 -o 指定别的位置。",
        )


def _lexists(path: Path) -> bool:
    try:
        path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True  # there is something, we just may not look at it
    return True


def _commit_new(temp: Path, path: Path, data: bytes) -> None:
    """Give the synced temporary file ``temp`` the name ``path``, if the name is free."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except OSError:
        _create_excl(path, data)  # no hard links here (FAT, some network shares)
    finally:
        _unlink_quietly(temp)


def _create_excl(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
    try:
        _write_fd(fd, data)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        _unlink_quietly(path)  # ours: O_EXCL created it
        raise
    os.close(fd)


def _commit_replace(temp: Path, path: Path) -> None:
    """Put the synced temporary file ``temp`` in the place of ``path`` (keeping its mode)."""
    mode = _mode_of(path)
    try:
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        _unlink_quietly(temp)
        raise


def _mode_of(path: Path) -> int | None:
    try:
        st = path.lstat()
    except OSError:
        return None
    return stat.S_IMODE(st.st_mode) if stat.S_ISREG(st.st_mode) else None


def _stage(folder: Path, data: bytes) -> tuple[Path, int]:
    """``data`` in a new ``.cdo-<pid>-<random>.tmp`` in ``folder``, not yet synced: its
    path and its open descriptor.

    The name is short, so any name that fits the folder has a temporary name that fits.
    """
    for _ in range(100):
        temp = folder / f".cdo-{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
        except FileExistsError:
            continue
        try:
            _write_fd(fd, data)
        except BaseException:
            os.close(fd)
            _unlink_quietly(temp)
            raise
        return temp, fd
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))


def _write_fd(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def clean_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files that killed runs left in ``folder``; the paths removed.

    Only regular files named ``.cdo-<pid>-<8 hex>.tmp`` are touched. On POSIX only those
    whose process is gone. On Windows, where there is no harmless way to ask whether a
    process lives, each is simply unlinked: a file a live run still holds open cannot be.
    """
    removed: list[Path] = []
    for entry in _entries(folder):
        match = _TEMP.fullmatch(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        pid = int(match.group(1))
        if pid == os.getpid() or (not _WINDOWS and _alive(pid)):
            continue
        try:
            os.unlink(entry.path)
        except OSError:  # in use (Windows), or gone already
            continue
        removed.append(Path(entry.path))
    return removed


def _entries(folder: Path) -> Iterator[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            yield from entries
    except OSError:
        return


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (POSIX only: on Windows os.kill ends the process)."""
    if pid <= 0:
        return True  # 0 and negatives name process groups: never ours to judge
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OverflowError, OSError):
        return True  # someone else's process, or a pid we cannot ask about
    return True


# ---------------------------------------------------------------- messages

_REASONS = {
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "所在位置只读",
    errno.ENAMETOOLONG: "文件名过长",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOENT: "所在文件夹不存在或已被删除",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "超出磁盘配额"


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__


def _hint(exc: OSError) -> str | None:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "检查文件夹的权限；文件正被 Word 等程序打开时请先关闭，或用 -o 写到别处。"
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return "清理磁盘空间后重新运行，或用 -o 写到别处。"
    return None
