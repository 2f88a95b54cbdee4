"""Hostile input files: each ends in seconds with a Chinese message, the right exit code, and
no traceback or English sentence from ruamel, for rosters and for scheme files alike.

Exit 1 when a file was read but is not valid (a ``yaml-invalid`` finding in ``validate`` and
``policy check``); exit 2 when it cannot be read at all, or when it is a scheme a command
needs (``--policies``).
"""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cdo_cli import loading
from conftest import ROOT

Cli = Callable[..., Any]

# Three English words in a row, outside the （…） where ruamel's text may follow Chinese.
_ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,']+[A-Za-z<>'-]+){2,}")


def _no_bare_english(text: str) -> None:
    outside = re.sub(r"（[^（）]*）", "", text)
    outside = re.sub(r"\[[a-z-]+\]", "", outside)  # finding codes
    outside = re.sub(r"cdo(?: [a-z-]+)+", "", outside)  # commands to run
    assert not _ENGLISH.search(outside), text
    for word in ("Traceback", "Warning", "Error", "second occurrence", "Keys should be"):
        assert word not in text, text


def _finding(result: Any) -> dict[str, Any]:
    """The one yaml-invalid finding of a --format json run."""
    data = json.loads(result.stdout)
    found = [f for f in data["findings"] if f["code"] == "yaml-invalid"]
    assert len(found) == 1, result.output
    finding: dict[str, Any] = found[0]
    return finding


def _check_everywhere(
    cli: Cli, tmp_path: Path, text: str, message: str, line: int, column: int
) -> None:
    """``text`` as a roster and as a scheme file: validate, policy check, --policies."""
    roster = tmp_path / "roster.yaml"
    roster.write_text(f"scheme: puning\n{text}", encoding="utf-8")
    folder = tmp_path / "pol"
    folder.mkdir(exist_ok=True)
    scheme = folder / "bad.yaml"
    scheme.write_text(f"id: bad\n{text}", encoding="utf-8")
    for args in (("validate", str(roster)), ("policy", "check", str(scheme))):
        result = cli(*args, "--format", "json")
        assert result.exit_code == 1, result.output
        found = _finding(result)
        assert message in found["message"], found
        assert (found["line"], found["column"]) == (line, column), found
        text_run = cli(*args)
        assert f"  {line}:{column} " in text_run.output
        _no_bare_english(text_run.output)
    # A scheme a command needs that has errors: the command cannot run (exit 2).
    shown = cli("--policies", str(folder), "policy", "show", "bad")
    assert shown.exit_code == 2, shown.output
    assert f"{scheme}:{line}:{column}: " in shown.stderr and message in shown.stderr
    _no_bare_english(shown.output)
    overdue = cli("overdue", "--roster", str(roster), "--as-of", "2023-11-01")
    assert overdue.exit_code == 1 and message in overdue.stderr, overdue.output
    _no_bare_english(overdue.output)


# ---------------------------------------------------------------- 1. values that cannot be built


@pytest.mark.parametrize(
    ("value", "message", "offset"),
    [
        ("!!int abc", "“abc”不能按 !!int 读成整数", 0),
        ("!!int", "空值不能按 !!int 读成整数", 0),
        ("!!int ''", "空值不能按 !!int 读成整数", 0),
        ("!!int 0x", "“0x”不能按 !!int 读成整数", 0),
        ("!!float abc", "“abc”不能按 !!float 读成小数", 0),
        ("!!bool maybe", "“maybe”不能按 !!bool 读成是/否", 0),
        ("!!binary '@@@@'", "不允许的 YAML 标签 !!binary", 0),
        ("!!set {a, b}", "不允许的 YAML 标签 !!set", 0),
        ("!!omap [1, 2]", "不允许的 YAML 标签 !!omap", 0),
        ("!!pairs [a]", "不允许的 YAML 标签 !!pairs", 0),
        ("!!python/object/apply:os.system [x]", "不允许的 YAML 标签 !!python/object/apply", 0),
        ("!local x", "不允许的 YAML 标签 !local", 0),
        ("!!int {a: 1}", "标签 !!int 要求单个值，这里是键值对", 0),
        ("!!seq {a: 1}", "标签 !!seq 要求列表，这里是键值对", 0),
        ("1" + "0" * 5000, "有 5001 位，太长", 0),
        ("{<<: 1}", "合并键“<<”的值应是键值对", 1),
        ("{<<: [1]}", "合并键“<<”的值应是键值对", 1),
        ("{[1]: 2}", "键只能是一个名称（文字），这里是列表", 1),
        ('!!int "\\e[31m"', "“\\x1b[31m”不能按 !!int 读成整数", 0),  # ESC shown, not sent
    ],
)
def test_values_a_tag_cannot_build(
    cli: Cli, tmp_path: Path, value: str, message: str, offset: int
) -> None:
    _check_everywhere(cli, tmp_path, f"x: {value}\n", message, 2, 4 + offset)


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("? [[1]]\n: v\n", "键只能是一个名称（文字），这里是列表", 2, 3),
        ("? {a: 1}\n: v\n", "键只能是一个名称（文字），这里是键值对（映射）", 2, 3),
        ("b: &b {c: 1}\nd:\n  <<: *b\n  <<: *b\n", "重复的合并键“<<”", 5, 3),
        (
            "b: &b 1\nd:\n  <<: *b\n",
            "合并键“<<”的值应是键值对（或键值对的列表），这里是单个值",
            4,
            3,
        ),
    ],
)
def test_keys_and_merges_that_cannot_be_built(
    cli: Cli, tmp_path: Path, text: str, message: str, line: int, column: int
) -> None:
    _check_everywhere(cli, tmp_path, text, message, line, column)


def test_timestamp_tag_is_text_for_the_model_to_judge(cli: Cli, write: Any) -> None:
    write(
        "roster.yaml",
        "scheme: puning\nunits:\n  市公安局:\n    filings:\n"
        "      - {obligation: dept_contact_form, date: !!timestamp x}\n",
    )
    result = cli("validate", "roster.yaml")
    assert result.exit_code == 1
    assert "“x”不是有效的日期" in result.output and "5:47 " in result.output
    _no_bare_english(result.output)


@pytest.mark.parametrize(
    ("text", "line", "column", "key"),
    [
        ("scheme: puning\n1: x\n", 2, 1, "1"),
        ("scheme: puning\nunits:\n  市公安局:\n    true: x\n", 4, 5, "true"),
        ("scheme: puning\nunits:\n  市公安局:\n    ~: x\n", 4, 5, "~"),
        ("scheme: puning\nunits:\n  市公安局:\n    officers: {dept_cdo: {2.5: x}}\n", 4, 27, "2.5"),
    ],
)
def test_keys_are_names_however_they_look(
    cli: Cli, write: Any, text: str, line: int, column: int, key: str
) -> None:
    """``1:`` or ``true:`` is the name "1" or "true", reported where it is written."""
    write("roster.yaml", text)
    result = cli("validate", "roster.yaml", "--format", "json")
    found = {(f["line"], f["column"], f["message"]) for f in json.loads(result.stdout)["findings"]}
    assert (line, column, f"未知的键“{key}”") in found
    _no_bare_english(cli("validate", "roster.yaml").output)


def test_plain_equals_sign_is_text(cli: Cli, write: Any) -> None:
    write("roster.yaml", "scheme: puning\nunits:\n  市公安局:\n    note: =\n")
    result = cli("validate", "roster.yaml")
    assert result.exit_code == 0, result.output
    assert "yaml-invalid" not in result.output


# ---------------------------------------------------------------- 2. no English from ruamel


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("a: 1\na: 2\n", "重复的键“a”（第一次出现在第 2 行）", 3, 1),
        ("a: &x 1\nb: &x 2\n", "锚点“&x”重复定义（第一次在第 2 行）", 3, 4),
        # The same through the pure-Python parser (a file with an LS in it).
        ("a: &x 1 # \u2028\nb: &x 2\n", "锚点“&x”重复定义（第一次在第 2 行）", 3, 4),
        ("a: 1\n---\nb: 2\n", "文件中有不止一个 YAML 文档", 3, 1),
        ("a: *nope\n", "引用了未定义的别名", 2, 4),
        ("a: 'x\n", "引号没有闭合", 2, 4),
        ("a: b: c\n", "此处不能出现“:”", 2, 5),
        ("a:\n  b: 1\n c: 2\n", "缩进没有对齐（这一层键值对从第 1 行第 1 列开始）", 4, 2),
        ("a: 1\n- b\n", "缩进没有对齐", 3, 1),
        ("a: @x\n", "此处有 YAML 不允许的字符", 2, 4),
        ('a: "C:\\Users"\n', "双引号中的“\\”转义无效", 2, 9),
        ("a:\n\tb: 1\n", "此处有制表符（Tab）", 3, 1),
        ("a: |0\n  x\n", "块文字（| 或 >）的缩进数字无效", 2, 5),
        ("a: !x!y z\n", "YAML 标签（!）写法无效", 2, 4),
        ("a: &\n", "锚点（&）或别名（*）的名字无效", 2, 5),
        ("a: - b\n", "此处不能出现列表项“- ”", 2, 4),
        ("a: 'x' y\n", "引号后面还有文字", 2, 8),
        ("a: [b]]\n", "多了一个“]”", 2, 7),
        ("a: {b: 1}}\n", "多了一个“}”", 2, 10),
        ("a: 1\n...\nb\n", "文档结束后还有内容", 4, 1),
        ("a: \x01\n", "YAML 不允许的控制字符 U+0001", 2, 4),
        ("张三: \x7f\n", "YAML 不允许的控制字符 U+007F", 2, 5),
    ],
)
def test_every_yaml_problem_leads_in_chinese(
    cli: Cli, tmp_path: Path, text: str, message: str, line: int, column: int
) -> None:
    # The first line of each file is taken by "scheme:"/"id:" (see _check_everywhere).
    _check_everywhere(cli, tmp_path, text, message, line, column)


def test_no_warning_reaches_stderr(tmp_path: Path) -> None:
    """In a real process: a reused anchor in the pure-Python parser is not printed raw."""
    roster = tmp_path / "roster.yaml"
    roster.write_text("scheme: puning # \u2028\na: &x 1\nb: &x 2\nc: *x\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-W", "default", "-m", "cdo_cli", "validate", str(roster)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        cwd=ROOT,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "锚点“&x”重复定义" in run.stdout
    assert run.stderr == ""


# ---------------------------------------------------------------- 3. line breaks


GOOD = "scheme: puning\nunits:\n  普宁市人民政府:\n    note: 王五\n  市公安厅:\n    nte: 张三\n"


@pytest.mark.parametrize(
    "variant",
    [
        lambda t: t,
        lambda t: t.replace("\n", "\r\n"),
        lambda t: t.replace("\n", "\r"),  # an old Mac file
        lambda t: t.replace("王五", "王\x85五").replace("张三", "张\u2028三"),
        lambda t: t.replace("units:\n", "units: # 注释\u2028仍是注释\u2029\n"),
    ],
    ids=["lf", "crlf", "cr", "nel-ls-in-values", "ls-ps-in-comment"],
)
def test_positions_count_lines_as_editors_do(cli: Cli, tmp_path: Path, variant: Any) -> None:
    (tmp_path / "roster.yaml").write_bytes(variant(GOOD).encode("utf-8"))
    result = cli("validate", "roster.yaml", "--format", "json")
    found = {(f["code"], f["line"], f["column"]) for f in json.loads(result.stdout)["findings"]}
    assert ("unit-unknown", 5, 3) in found
    assert ("key-unknown", 6, 5) in found


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_syntax_error_lines_with_each_newline(cli: Cli, tmp_path: Path, newline: str) -> None:
    text = "scheme: puning\n\nunits: [a,\n\nx: 1\n".replace("\n", newline)
    (tmp_path / "roster.yaml").write_bytes(text.encode("utf-8"))
    found = _finding(cli("validate", "roster.yaml", "--format", "json"))
    assert (found["line"], found["column"]) == (3, 8)
    assert "在文件末尾（第 6 行第 1 列）处解析失败" in found["message"]


def test_nel_is_not_a_line_break(cli: Cli, tmp_path: Path) -> None:
    """A file whose lines end in NEL is one line, as in Notepad and YAML 1.2."""
    (tmp_path / "roster.yaml").write_bytes("scheme: puning\x85units: {}\x85".encode())
    result = cli("validate", "roster.yaml", "--format", "json")
    found = _finding(result)
    assert (found["line"], found["column"]) == (1, 21)
    assert "U+0085（NEL）" in found["hint"]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n", b"\r"])
def test_decode_error_line_with_each_newline(cli: Cli, tmp_path: Path, newline: bytes) -> None:
    text = b"scheme: puning\nunits:\n  \xca\xd0\xb9\xab\xb0\xb2\xbe\xd6: {}\n"  # GBK
    (tmp_path / "roster.yaml").write_bytes(text.replace(b"\n", newline))
    found = _finding(cli("validate", "roster.yaml", "--format", "json"))
    assert (found["line"], found["column"]) == (3, 3)
    assert "GBK" in found["message"]


def test_utf16_file(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "roster.yaml").write_bytes("scheme: puning\n".encode("utf-16"))
    found = _finding(cli("validate", "roster.yaml", "--format", "json"))
    assert "UTF-16" in found["message"]


# ---------------------------------------------------------------- 4. where a construct began


def test_unclosed_bracket_is_placed_where_it_opened(cli: Cli, write: Any) -> None:
    write("roster.yaml", "scheme: puning\nunits:\n  市公安局: [a, b\n  市财政局: {}\n")
    result = cli("validate", "roster.yaml")
    assert result.exit_code == 1
    assert "3:9 " in result.output
    assert "方括号 [ ] 没有闭合，在第 4 行第 7 列处解析失败" in result.output
    _no_bare_english(result.output)


def test_unclosed_quote_is_placed_where_it_opened(cli: Cli, write: Any) -> None:
    write("roster.yaml", "scheme: puning\nunits:\n  市公安局: {note: '张三}\n  市财政局: {}\n")
    found = _finding(cli("validate", "roster.yaml", "--format", "json"))
    assert (found["line"], found["column"]) == (3, 16)
    assert "引号没有闭合，在文件末尾（第 5 行第 1 列）处解析失败" in found["message"]


def test_missing_colon_is_placed_at_the_key(cli: Cli, write: Any) -> None:
    write("roster.yaml", "scheme: puning\nunits:\n  - a\n  市公安局\n")
    found = _finding(cli("validate", "roster.yaml", "--format", "json"))
    assert (found["line"], found["column"]) == (4, 3)
    assert found["message"].startswith("YAML 语法错误：缺少“:”")


def test_end_of_file_inside_a_bracket(cli: Cli, write: Any) -> None:
    write("roster.yaml", "scheme: puning\nunits: [\n")
    found = _finding(cli("validate", "roster.yaml", "--format", "json"))
    assert "文件意外结束" in found["message"]


# ---------------------------------------------------------------- 5. not regular files


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """A real process, so that anything that blocks fails the test instead of hanging it."""
    return subprocess.run(
        [sys.executable, "-m", "cdo_cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=30,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on Windows")
def test_fifo_without_writer_is_refused_at_once(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "roster.yaml")
    folder = tmp_path / "pol"
    folder.mkdir()
    os.mkfifo(folder / "bad.yaml")
    for args in (
        ("validate", "roster.yaml"),
        ("policy", "check", "roster.yaml"),
        ("overdue", "--roster", "roster.yaml", "--as-of", "2023-11-01"),
        ("render", "attachment2", "-d", "市公安局", "-r", "roster.yaml", "-f", "md", "-o", "-"),
        ("--policies", "pol", "policy", "show", "bad"),
    ):
        run = _run(*args, cwd=tmp_path)
        assert run.returncode == 2, (args, run.stderr)
        assert "这是一个命名管道（FIFO），不是普通文件" in run.stderr
        _no_bare_english(run.stderr)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_devices_are_refused(tmp_path: Path) -> None:
    for device in ("/dev/zero", "/dev/null"):
        run = _run("validate", device, cwd=tmp_path)
        assert run.returncode == 2
        assert f"{device}: 这是一个设备文件，不是普通文件" in run.stderr


def test_folder(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "roster.yaml").mkdir()
    result = cli("policy", "check", "roster.yaml")
    assert result.exit_code == 2
    assert "roster.yaml: 这是一个文件夹，不是文件" in result.stderr
    # validate takes a folder for the rosters in it: this one has none
    result = cli("validate", "roster.yaml")
    assert result.exit_code == 2
    assert "文件夹 roster.yaml 中没有名册文件（.yaml）" in result.stderr


def test_file_over_the_size_limit(cli: Cli, tmp_path: Path) -> None:
    with (tmp_path / "roster.yaml").open("wb") as file:
        file.truncate(loading.MAX_BYTES + 1)  # sparse: nothing is written
    result = cli("validate", "roster.yaml")
    assert result.exit_code == 2
    assert "文件过大" in result.stderr and "最多读取 256 MB" in result.stderr


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="no /proc")
def test_size_limit_holds_for_files_that_claim_no_size(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/proc files say they are empty and are not: at most the limit and one byte is read."""
    assert os.stat("/proc/self/status").st_size == 0
    monkeypatch.setattr(loading, "MAX_BYTES", 64)
    result = cli("validate", "/proc/self/status")
    assert result.exit_code == 2
    assert "文件过大" in result.stderr


@pytest.mark.parametrize(
    ("code", "winerror", "message"),
    [
        (errno.EACCES, None, "roster.yaml: 没有读取权限"),
        (errno.EACCES, 32, "roster.yaml: 文件正被其他程序（如 WPS、Excel）占用"),
        (errno.EIO, None, "roster.yaml: 无法读取：读写出错"),
        (errno.ENXIO, None, "roster.yaml: 无法读取（"),
    ],
)
def test_open_refused(
    cli: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    code: int,
    winerror: int | None,
    message: str,
) -> None:
    # Tests run as root here, for whom chmod 000 changes nothing: the refusal is simulated
    # where the file is opened (test_no_read_permission_for_real runs it for real elsewhere).
    (tmp_path / "roster.yaml").write_text("scheme: puning\n", encoding="utf-8")

    def refuse(path: Any, flags: int, *args: Any) -> int:
        exc = OSError(code, os.strerror(code), str(path))
        if winerror is not None:
            exc.winerror = winerror  # as Windows sets it for a file another program has open
        raise exc

    monkeypatch.setattr(loading.os, "open", refuse)
    for args in (("validate",), ("policy", "check")):
        result = cli(*args, "roster.yaml")
        assert result.exit_code == 2
        assert message in result.stderr
        _no_bare_english(result.output)


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root reads files whatever their permissions",
)
def test_no_read_permission_for_real(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "roster.yaml"
    path.write_text("scheme: puning\n", encoding="utf-8")
    path.chmod(0)
    try:
        result = cli("validate", "roster.yaml")
    finally:
        path.chmod(0o644)
    assert result.exit_code == 2
    assert "没有读取权限" in result.stderr


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
def test_symlink_loop_and_dangling_link(cli: Cli, tmp_path: Path) -> None:
    os.symlink(tmp_path / "b.yaml", tmp_path / "a.yaml")
    os.symlink(tmp_path / "a.yaml", tmp_path / "b.yaml")
    os.symlink(tmp_path / "nowhere.yaml", tmp_path / "dangling.yaml")
    loop = cli("validate", "a.yaml")
    assert loop.exit_code == 2
    assert "符号链接形成了循环" in loop.stderr
    dangling = cli("policy", "check", "dangling.yaml")
    assert dangling.exit_code == 2
    assert "指向不存在文件的符号链接" in dangling.stderr


def test_names_and_paths_too_long(cli: Cli) -> None:
    long_name = "名" * 300 + ".yaml"
    result = cli("validate", long_name)
    assert result.exit_code == 2
    assert "路径或文件名过长" in result.stderr
    deep = "/".join(["a" * 200] * 30) + "/roster.yaml"
    result = cli("validate", deep)
    assert result.exit_code == 2
    assert "过长" in result.stderr or "不存在" in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="Windows names are always Unicode")
def test_name_that_is_not_utf8(cli: Cli, tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/\xff\xfe\xe5\x90\x8d.yaml"
    with open(raw, "wb") as file:
        file.write(b"scheme: puning\nunits: {}\n")
    name = os.fsdecode(raw)  # as the command line gives it: with surrogate escapes
    result = cli("validate", name, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    shown = next(iter(data["summary"]))
    assert shown.endswith("\\xff\\xfe名.yaml")
    with open(raw, "wb") as file:
        file.write(b"scheme: puning\nunits: [\n")
    for args in (("validate", name), ("policy", "check", name)):
        result = cli(*args, "--format", "json")
        assert result.exit_code == 1
        assert _finding(result)["file"].endswith("\\xff\\xfe名.yaml")
        text = cli(*args).stdout
        assert "\\xff\\xfe名.yaml" in text
        assert not re.search("[\ud800-\udfff]", text)


# ---------------------------------------------------------------- 6. names shown as they are


@pytest.mark.skipif(sys.platform == "win32", reason="control characters in names")
def test_control_characters_in_a_name_are_shown_not_obeyed(cli: Cli, tmp_path: Path) -> None:
    name = "名册\x1b[31m\u202e.yaml"
    (tmp_path / name).write_text("scheme: puning\nunits: [\n", encoding="utf-8")
    for args in (("validate", name), ("policy", "check", name)):
        result = cli(*args)
        assert result.exit_code == 1
        assert "名册\\x1b[31m\\u202e.yaml" in result.output
        assert "\x1b" not in result.output and "\u202e" not in result.output
    missing = cli("validate", "无\x07此文件.yaml")
    assert missing.exit_code == 2
    assert "无\\x07此文件.yaml: 文件不存在" in missing.stderr


@pytest.mark.parametrize(
    "text",
    [
        "a: !!int abc\n",
        "a: !!str 1\nb: !!float '2'\nc: !!bool 'true'\nd: !!null ''\n",
        "!!int 1: x\n!!str 2: y\n",
        "!!binary YQ==: x\n",
        "a: !!python/name:os.system\n",
        "a: 1\nb:\n  c: 1\n  d: [x, {e: 1, f: 2, e: 3}]\n",
        "- {a: 1}\n- {b: 1, c: [1, 2], b: 2}\n",
        "a: 1\n'a': 2\n",
        "'<<': 1\n<<: {b: 2}\n",
        "x: !!map {a: 1}\n",
        "x: ! 1\n",
    ],
)
def test_fast_path_reports_as_ruamel_loader_does(text: str) -> None:
    """Tagged scalars and duplicate keys are settled while reading events, as ruamel's
    loader (with the same constructor) would settle them after building every node."""
    from ruamel.yaml import YAML

    def outcome(load: Callable[[], Any]) -> tuple[str, str]:
        try:
            return "ok", repr(load())
        except Exception as exc:  # compared by type and text
            return type(exc).__name__, str(exc)

    stock = YAML(typ="safe", pure=False)
    stock.Constructor = loading._Constructor
    assert outcome(lambda: loading._load_c(text)[0]) == outcome(lambda: stock.load(text))
