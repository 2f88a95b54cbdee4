"""Where outputs go and how they are written: -o and --format agree, files are created
exclusively, --force replaces only regular files, names never collide, nothing is half-written.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cdo_cli import output
from cdo_cli.errors import UsageError
from cdo_cli.output import (
    MAX_NAME_BYTES,
    Destination,
    NewFile,
    WriteError,
    clean_stale_temporaries,
    unique_names,
    write_files,
)
from cdo_cli.render import plan_output

ROOT = Path(__file__).resolve().parents[1]
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file system features")

Cli = Callable[..., Any]
ONE = ("render", "attachment2", "--dept", "市公安局")
ALL = ("render", "attachment2", "--all")


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".cdo-*"))


def _dead_pid() -> int:
    run = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(run.stdout)


# ---------------------------------------------------------------- 1. suffix and format


def test_render_pdf_suffix_is_refused(cli: Cli, tmp_path: Path) -> None:
    result = cli(*ONE, "-o", "x.pdf")
    assert result.exit_code == 2
    assert "-o x.pdf 的扩展名“.pdf”不是可生成的格式" in result.stderr
    assert ".docx、.html、.md" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("fmt", "name", "use"),
    [("html", "x.docx", "x.html"), ("md", "x.html", "x.md"), ("docx", "x.MD", "x.docx")],
)
def test_render_format_and_suffix_disagree(
    cli: Cli, tmp_path: Path, fmt: str, name: str, use: str
) -> None:
    result = cli(*ONE, "-f", fmt, "-o", name)
    assert result.exit_code == 2
    assert f"与 --format {fmt} 不符" in result.stderr
    assert f"用 -o {use}" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["x.txt", "x"])
def test_render_format_with_unknown_suffix(cli: Cli, tmp_path: Path, name: str) -> None:
    result = cli(*ONE, "-f", "md", "-o", name)
    assert result.exit_code == 2
    assert "--format md 的文件应以 .md 结尾" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_render_no_suffix_without_format(cli: Cli, tmp_path: Path) -> None:
    result = cli(*ONE, "-o", "报名表")
    assert result.exit_code == 2
    assert "-o 报名表 没有扩展名，无法判断格式" in result.stderr
    assert "在末尾加 /" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_render_suffix_checked_before_anything_else(cli: Cli) -> None:
    """The form does not exist either, but -o is refused first: nothing was rendered."""
    result = cli("render", "attachment9", "-o", "x.pdf")
    assert result.exit_code == 2
    assert "x.pdf" in result.stderr and "attachment9" not in result.stderr


@pytest.mark.parametrize(
    ("args", "name", "start"),
    [
        (["-o", "x.htm"], "x.htm", b"<!DOCTYPE html>"),
        (["-f", "html", "-o", "x.HTML"], "x.HTML", b"<!DOCTYPE html>"),
        (["-o", "x.markdown"], "x.markdown", "附件2".encode()),
        (["-f", "docx", "-o", "x.docx"], "x.docx", b"PK"),
    ],
)
def test_render_suffix_and_format_agree(
    cli: Cli, tmp_path: Path, args: list[str], name: str, start: bytes
) -> None:
    result = cli(*ONE, *args)
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).read_bytes().startswith(start)


@pytest.mark.parametrize("name", ["some.docx", "some.md"])
def test_render_all_to_a_file_name_is_refused(cli: Cli, tmp_path: Path, name: str) -> None:
    result = cli(*ALL, "-o", name)
    assert result.exit_code == 2
    assert f"-o 应为文件夹，而 {name} 是" in result.stderr
    assert "-o some/" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no folder called some.docx


def test_render_all_to_an_existing_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("mine", encoding="utf-8")
    result = cli(*ALL, "-o", "notes")
    assert result.exit_code == 2
    assert "notes 是已有的文件，不是文件夹" in result.stderr
    assert (tmp_path / "notes").read_text(encoding="utf-8") == "mine"


def test_render_missing_folders_are_created_for_one_and_for_all(cli: Cli, tmp_path: Path) -> None:
    one = cli(*ONE, "-o", "a/b/x.md")
    assert one.exit_code == 0, one.output
    assert (tmp_path / "a" / "b" / "x.md").is_file()
    into = cli(*ONE, "-o", "c/d/")
    assert into.exit_code == 0, into.output
    assert (tmp_path / "c" / "d" / "附件2-市公安局.docx").is_file()
    many = cli(*ALL, "-o", "e/f", "-f", "md")
    assert many.exit_code == 0, many.output
    assert len(list((tmp_path / "e" / "f").iterdir())) == 36


@pytest.mark.parametrize("args", [[*ONE, "-o", "f.txt/x.md"], [*ALL, "-o", "f.txt/sub"]])
def test_render_folder_path_through_a_file(cli: Cli, tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "f.txt").write_text("mine", encoding="utf-8")
    result = cli(*args)
    assert result.exit_code == 2
    assert "f.txt 不是文件夹" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]


def test_render_existing_folder_with_a_suffix_is_a_folder(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "out.docx").mkdir()
    result = cli(*ONE, "-o", "out.docx")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.docx" / "附件2-市公安局.docx").is_file()


def test_plan_output() -> None:
    assert plan_output(None, None).destination == Destination(Path("."), folder=True)
    assert plan_output("md", "-").destination.stdout
    plan = plan_output(None, "表.HTM")
    assert (plan.fmt, plan.destination) == ("html", Destination(Path("表.HTM")))
    assert plan_output("html", "out", many=True).destination == Destination(Path("out"), True)
    with pytest.raises(UsageError, match="不支持的格式“pdf”"):
        plan_output("pdf", "x.pdf")


# ---------------------------------------------------------------- 2. exclusive, atomic


def test_render_race_stops_and_reports(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program creates the fifth file between the check and the writing."""
    check = output._check_targets

    def and_then_someone_writes(paths: list[Path], force: bool) -> None:
        check(paths, force)
        paths[4].parent.mkdir()
        paths[4].write_text("theirs", encoding="utf-8")

    monkeypatch.setattr(output, "_check_targets", and_then_someone_writes)
    result = cli(*ALL, "-o", "out", "-f", "md")
    assert result.exit_code == 2
    assert "已被其他程序创建，未覆盖" in result.stderr
    assert "已写入 4 个文件：" in result.stderr and "未写入 32 个文件：" in result.stderr
    files = sorted((tmp_path / "out").iterdir())
    assert len(files) == 5
    assert [p.read_text(encoding="utf-8") for p in files].count("theirs") == 1
    assert _temps(tmp_path) == []


_RACER = """
import json, os, sys, time
from pathlib import Path
from cdo_cli import output
folder, mark, nolink = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
if nolink:
    def no_link(*args, **kwargs):
        raise OSError(1, "Operation not permitted")
    os.link = no_link
check = output._check_targets
def check_then_wait(paths, force):
    check(paths, force)  # both runs see no file yet: the race is on the creating
    (folder.parent / mark).touch()
    while not all((folder.parent / m).exists() for m in "AB"):
        time.sleep(0.001)
output._check_targets = check_then_wait
names = [f"{i:03}.md" for i in range(200)]
if mark == "B":
    names.reverse()  # the runs meet in the middle
files = [output.NewFile(folder / name, mark.encode() * 1000) for name in names]
try:
    written = output.write_files(files)
    failed = ""
except output.WriteError as exc:
    written, failed = exc.written, exc.message
print(json.dumps({"written": [p.name for p in written], "failed": failed}))
"""


@pytest.mark.parametrize("nolink", ["0", "1"], ids=["link", "o_excl"])
def test_two_runs_at_once_never_overwrite_each_other(tmp_path: Path, nolink: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER, str(folder), mark, nolink],
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        for mark in "AB"
    ]
    reports = [json.loads(run.communicate(timeout=60)[0]) for run in runs]
    claimed = [set(r["written"]) for r in reports]
    assert not claimed[0] & claimed[1]
    for mark, names in zip("AB", claimed, strict=True):
        for name in names:
            assert (folder / name).read_text(encoding="utf-8") == mark * 1000
    assert {p.name for p in folder.iterdir()} == claimed[0] | claimed[1]
    assert len(claimed[0] | claimed[1]) >= 200 - 1  # both stop where they meet
    assert any("已被其他程序创建" in r["failed"] for r in reports)


def test_hard_links_unsupported_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_link(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    target = tmp_path / "a.md"
    assert write_files([NewFile(target, b"ours")]) == [target]
    assert target.read_bytes() == b"ours"
    temp, fd = output._stage(tmp_path, b"again")
    os.close(fd)
    with pytest.raises(FileExistsError):
        output._commit_new(temp, target, b"again")  # O_EXCL refuses too
    assert target.read_bytes() == b"ours"
    assert _temps(tmp_path) == []


@POSIX
def test_force_replaces_and_keeps_the_mode(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "x.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    result = cli(*ONE, "-o", "x.md", "--force")
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("附件2")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@POSIX
def test_a_symlink_is_never_written_through(cli: Cli, tmp_path: Path) -> None:
    elsewhere = tmp_path / "precious.txt"
    elsewhere.write_text("keep me", encoding="utf-8")
    (tmp_path / "x.md").symlink_to(elsewhere)
    result = cli(*ONE, "-o", "x.md")
    assert result.exit_code == 2
    assert "x.md 已存在" in result.stderr
    result = cli(*ONE, "-o", "x.md", "--force")
    assert result.exit_code == 2
    assert "x.md 是符号链接，--force 也不会覆盖" in result.stderr
    assert elsewhere.read_text(encoding="utf-8") == "keep me"
    assert (tmp_path / "x.md").is_symlink()


@POSIX
def test_a_dangling_symlink_counts_as_existing(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "x.md").symlink_to(tmp_path / "nowhere.md")
    assert cli(*ONE, "-o", "x.md").exit_code == 2
    assert not (tmp_path / "nowhere.md").exists()


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_folder_is_never_replaced(cli: Cli, tmp_path: Path, force: list[str]) -> None:
    (tmp_path / "附件2-市公安局.docx").mkdir()
    (tmp_path / "附件2-市公安局.docx" / "inside.txt").write_text("x", encoding="utf-8")
    result = cli(*ONE, *force)
    assert result.exit_code == 2
    assert "附件2-市公安局.docx 是文件夹，不能写成文件" in result.stderr
    assert (tmp_path / "附件2-市公安局.docx" / "inside.txt").is_file()


@POSIX
@pytest.mark.parametrize("force", [False, True])
def test_fifo_socket_and_device_are_never_replaced(tmp_path: Path, force: bool) -> None:
    fifo = tmp_path / "fifo.md"
    os.mkfifo(fifo)
    sock_path = tmp_path / "sock.md"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(sock_path))
        for path in (fifo, sock_path, Path("/dev/null")):
            with pytest.raises(UsageError, match="不是普通文件"):
                write_files([NewFile(path, b"x")], force=force)
    finally:
        sock.close()
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert stat.S_ISCHR(Path("/dev/null").lstat().st_mode)


def test_all_refuses_before_writing_when_one_exists(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "附件2-05-市公安局.md").write_text("mine", encoding="utf-8")
    result = cli(*ALL, "-o", "out", "-f", "md")
    assert result.exit_code == 2
    assert "附件2-05-市公安局.md 已存在，未写入任何文件" in result.stderr
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["附件2-05-市公安局.md"]
    result = cli(*ALL, "-o", "out", "-f", "md", "--force")
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").iterdir())) == 36


# ---------------------------------------------------------------- 3. names


def _colliding_scheme(tmp_path: Path) -> Path:
    extra = tmp_path / "extra"
    extra.mkdir()
    text = (ROOT / "policies" / "puning.yaml").read_text(encoding="utf-8")
    for old, new in [
        ("市科技局", "A/B"),
        ("市法院", "A_B"),
        ("市财政局", "A_B（2）"),
        ("市税务局", "Abc"),
        ("市公安局", "abc"),
    ]:
        text = text.replace(old, new)
    (extra / "puning.yaml").write_text(text, encoding="utf-8")
    return extra


def test_render_all_names_that_collide_are_all_written(cli: Cli, tmp_path: Path) -> None:
    extra = _colliding_scheme(tmp_path)
    result = cli("--policies", str(extra), *ALL, "-o", "out", "-f", "md")
    assert result.exit_code == 0, result.output
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert len(names) == 36
    assert "已生成 36 个文件" in result.stdout
    keys = {n.casefold() for n in names}
    assert len(keys) == 36  # distinct on Windows and macOS too
    # --all numbers the files in the unit list's order, which keeps them apart too.
    assert {"附件2-01-A_B.md", "附件2-03-A_B.md", "附件2-08-A_B（2）.md"} <= names
    assert {"附件2-04-Abc.md", "附件2-05-abc.md"} <= names
    units = ["A/B", r"A\_B", r"A\_B（2）", "Abc", "abc"]
    texts = [p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir()]
    for unit in units:
        assert sum(f"| {unit} |" in t for t in texts) == 1, unit


def test_unique_names() -> None:
    assert unique_names(["a.docx", "a.docx"]) == ["a.docx", "a（2）.docx"]
    assert unique_names(["a.docx", "A.docx", "a（2）.docx"]) == [
        "a.docx",
        "A（3）.docx",
        "a（2）.docx",
    ]
    assert unique_names(["\u00e9.md", "e\u0301.md"]) == ["\u00e9.md", "e\u0301（2）.md"]
    assert unique_names(["x", "X"]) == ["x", "X（2）"]
    long = "附" * 64 + ".docx"
    assert len(long.encode()) <= MAX_NAME_BYTES
    second = unique_names([long, long])[1]
    assert second.endswith("（2）.docx") and len(second.encode()) <= MAX_NAME_BYTES


def test_unique_names_many() -> None:
    names = [f"{a}{b}.md" for a in ("x", "X", "x（2）", "X（2）") for b in ("", "（2）", "（3）")]
    names = names * 3
    out = unique_names(names)
    assert len({output.name_key(n) for n in out}) == len(names)


def test_two_files_with_one_name_in_one_run_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="是同一个文件名"):
        write_files([NewFile(tmp_path / "a.md", b"1"), NewFile(tmp_path / "A.md", b"2")])
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- 4. long names


def test_render_long_name_is_not_refused_for_its_temporary(cli: Cli, tmp_path: Path) -> None:
    name = "附" * 84 + ".md"  # 255 bytes: the most ext4 and NTFS-via-UTF-8 allow
    assert len(name.encode()) == 255
    result = cli(*ONE, "-o", name)
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).is_file()
    assert _temps(tmp_path) == []


# ---------------------------------------------------------------- 5. stale temporaries


def test_stale_temporaries_are_cleaned_and_nothing_else(cli: Cli, tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getppid()
    out = tmp_path / "out"
    out.mkdir()
    stale = out / f".cdo-{dead}-0123abcd.tmp"
    keep = [
        out / f".cdo-{alive}-0123abcd.tmp",  # a live run's
        out / f".cdo-{dead}-0123abcd.tmp.bak",
        out / f".cdo-{dead}-0123ABCD.tmp",
        out / ".cdo-notes.tmp",
        out / f"cdo-{dead}-0123abcd.tmp",
    ]
    for path in [stale, *keep]:
        path.write_text("x", encoding="utf-8")
    folder = out / f".cdo-{dead}-89abcdef.tmp"
    folder.mkdir()
    result = cli(*ONE, "-o", "out/")
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert all(p.exists() for p in keep) and folder.is_dir()


def test_stale_temporaries_are_not_output(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / f".cdo-{_dead_pid()}-0123abcd.tmp").write_text("x", encoding="utf-8")
    result = cli(*ALL, "-f", "md")
    assert result.exit_code == 0, result.output
    assert "已生成 36 个文件" in result.stdout
    assert _temps(tmp_path) == []


def test_stale_temporaries_on_windows_never_kill(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def kill(*args: object) -> None:
        raise AssertionError("os.kill ends processes on Windows")

    monkeypatch.setattr(output, "_WINDOWS", True)
    monkeypatch.setattr(os, "kill", kill)
    busy = tmp_path / f".cdo-{os.getppid()}-00000000.tmp"
    free = tmp_path / f".cdo-{os.getppid()}-11111111.tmp"
    other = tmp_path / "report.docx"
    for path in (busy, free, other):
        path.write_text("x", encoding="utf-8")
    unlink = os.unlink

    def in_use(path: Any, *args: Any, **kwargs: Any) -> None:
        if Path(path) == busy:
            raise PermissionError(errno.EACCES, "in use")
        unlink(path, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", in_use)
    assert clean_stale_temporaries(tmp_path) == [free]
    assert busy.exists() and other.exists() and not free.exists()


def test_own_temporaries_are_never_cleaned(tmp_path: Path) -> None:
    mine = tmp_path / f".cdo-{os.getpid()}-0123abcd.tmp"
    mine.write_text("x", encoding="utf-8")
    assert clean_stale_temporaries(tmp_path) == []
    assert mine.exists()


# ---------------------------------------------------------------- 6. cannot write


@POSIX
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_render_read_only_folder(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        result = cli(*ONE, "-o", "out/")
    finally:
        out.chmod(0o755)
    assert result.exit_code == 2
    assert "无法写入 out/附件2-市公安局.docx：没有写入权限" in result.stderr
    assert list(out.iterdir()) == []


def _failing_write(monkeypatch: pytest.MonkeyPatch, code: int, after: int = 0) -> None:
    """Writing fails with ``code`` after ``after`` successful writes."""
    calls = {"n": 0}
    real = output._write_fd

    def write(fd: int, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] > after:
            raise OSError(code, os.strerror(code))
        real(fd, data)

    monkeypatch.setattr(output, "_write_fd", write)


@pytest.mark.parametrize(
    ("code", "reason"),
    [(errno.EACCES, "没有写入权限"), (errno.ENOSPC, "磁盘空间不足"), (errno.EROFS, "所在位置只读")],
)
def test_render_cannot_write(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, reason: str
) -> None:
    _failing_write(monkeypatch, code)
    result = cli(*ONE, "-o", "x.md")
    assert result.exit_code == 2
    assert f"错误：无法写入 x.md：{reason}" in result.stderr
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_disk_full_without_hard_links_leaves_no_half_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_link(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_link)
    _failing_write(monkeypatch, errno.ENOSPC, after=1)  # the temporary, then the file
    with pytest.raises(WriteError, match="磁盘空间不足"):
        write_files([NewFile(tmp_path / "a.md", b"x")])
    assert list(tmp_path.iterdir()) == []


def test_render_all_disk_full_midway(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_write(monkeypatch, errno.ENOSPC, after=3)
    result = cli(*ALL, "-o", "out", "-f", "md")
    assert result.exit_code == 2
    assert "磁盘空间不足" in result.stderr
    assert "已写入 3 个文件：" in result.stderr and "未写入 33 个文件：" in result.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(written) == 3
    assert all(name in result.stderr for name in written)


def test_render_to_dev_full_is_refused(cli: Cli) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    result = cli(*ONE, "-f", "md", "-o", "/dev/full/")
    assert result.exit_code == 2
    assert "/dev/full 不是文件夹" in result.stderr


def test_write_error_names_the_folder_that_cannot_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_mkdir(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(Path, "mkdir", no_mkdir)
    with pytest.raises(WriteError, match=r"无法创建文件夹 .*new：没有写入权限"):
        write_files([NewFile(tmp_path / "new" / "a.md", b"x")])


# ---------------------------------------------------------------- 7. init


def test_init_creates_missing_folders(cli: Cli, tmp_path: Path) -> None:
    result = cli("init", "--scheme", "puning", "-o", "a/b/名册.yaml")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a" / "b" / "名册.yaml").is_file()
    assert (tmp_path / "a" / "b" / "puning.roster.schema.json").is_file()
    assert "已生成编辑器用的 JSON Schema" in result.stdout


def test_init_keeps_an_existing_schema_even_with_force(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "puning.roster.schema.json").write_text("{}", encoding="utf-8")
    (tmp_path / "roster.yaml").write_text("mine", encoding="utf-8")
    result = cli("init", "--scheme", "puning", "--force")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "puning.roster.schema.json").read_text(encoding="utf-8") == "{}"
    assert "scheme: puning" in (tmp_path / "roster.yaml").read_text(encoding="utf-8")
    assert "JSON Schema" not in result.stdout


def test_init_into_a_folder_is_refused(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "roster.yaml").mkdir()
    result = cli("init", "--scheme", "puning", "--force")
    assert result.exit_code == 2
    assert "roster.yaml 是文件夹，不能写成文件" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["roster.yaml"]


@POSIX
def test_init_force_refuses_a_symlink(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_text("mine", encoding="utf-8")
    (tmp_path / "roster.yaml").symlink_to(tmp_path / "real.yaml")
    result = cli("init", "--scheme", "puning", "--force")
    assert result.exit_code == 2
    assert "符号链接" in result.stderr
    assert (tmp_path / "real.yaml").read_text(encoding="utf-8") == "mine"


def test_init_race_on_the_roster(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check = output._check_targets

    def and_then_someone_writes(paths: list[Path], force: bool) -> None:
        check(paths, force)
        paths[0].write_text("theirs", encoding="utf-8")

    monkeypatch.setattr(output, "_check_targets", and_then_someone_writes)
    result = cli("init", "--scheme", "puning")
    assert result.exit_code == 2
    assert "roster.yaml 已被其他程序创建，未覆盖" in result.stderr
    assert (tmp_path / "roster.yaml").read_text(encoding="utf-8") == "theirs"
    assert not (tmp_path / "puning.roster.schema.json").exists()


def test_kept_file_that_appears_meanwhile_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = tmp_path / "s.json"
    check = output._check_targets

    def and_then_someone_writes(paths: list[Path], force: bool) -> None:
        check(paths, force)
        schema.write_text("theirs", encoding="utf-8")

    monkeypatch.setattr(output, "_check_targets", and_then_someone_writes)
    roster = tmp_path / "r.yaml"
    written = write_files([NewFile(roster, b"r"), NewFile(schema, b"s", keep_existing=True)])
    assert written == [roster]
    assert schema.read_text(encoding="utf-8") == "theirs"


def test_help_says_missing_folders_are_created(cli: Cli) -> None:
    for command in ("render", "init"):
        text = " ".join(cli(command, "--help").stdout.split())
        assert "不存在的文件夹会自动创建" in text, command


def test_many_files_disk_full_in_a_later_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files are written and synced in batches; a failure still leaves those before it."""
    _failing_write(monkeypatch, errno.ENOSPC, after=100)
    files = [NewFile(tmp_path / f"{i:03}.md", b"x" * i) for i in range(150)]
    with pytest.raises(WriteError, match="磁盘空间不足") as caught:
        write_files(files)
    assert caught.value.written == [f.path for f in files[:100]]
    assert caught.value.not_written == [f.path for f in files[100:]]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f.path.name for f in files[:100]]
    assert all(f.path.read_bytes() == f.data for f in files[:100])
    assert _temps(tmp_path) == []


def test_sync_failure_stops_at_that_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}
    real = os.fsync

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(output, "_SYNC_ALL", False)  # each file synced (as on Windows)
    files = [NewFile(tmp_path / f"{i}.md", b"x") for i in range(5)]
    with pytest.raises(WriteError) as caught:
        write_files(files)
    assert caught.value.written == [files[0].path, files[1].path]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.md", "1.md"]
    assert _temps(tmp_path) == []


@pytest.mark.parametrize("sync_all", [True, False], ids=["one-sync", "fsync-each"])
def test_each_file_is_synced_before_it_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sync_all: bool
) -> None:
    """Data reaches the disk before any name does: one sync(2) per batch, or fsync each."""
    events: list[str] = []
    real_link = os.link

    def link(src: object, dst: object, **kwargs: object) -> None:
        events.append("link")
        real_link(src, dst, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(output, "_SYNC_ALL", sync_all)
    monkeypatch.setattr(output, "_BATCH", 10)
    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(os, "sync", lambda: events.append("sync"), raising=False)
    monkeypatch.setattr(os, "fsync", lambda fd: events.append("fsync"))
    files = [NewFile(tmp_path / f"{i:02}.md", b"x") for i in range(25)]
    assert write_files(files) == [f.path for f in files]
    synced = "sync" if sync_all else "fsync"
    per_batch = 1 if sync_all else None
    expected: list[str] = []
    for size in (10, 10, 5):
        expected += [synced] * (per_batch or size) + ["link"] * size
    assert events == expected
