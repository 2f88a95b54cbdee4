"""The front door: usage errors, exit codes, broken scheme files, unwritable output."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cdo_cli.errors import ExitCode, one_of

Cli = Callable[..., Any]

ENGLISH = ("Usage:", "Error", "Try '", "Options:", "Show this message", "Input should", " or ")


def _no_english(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, text


def test_exit_codes_are_documented_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"| {int(code)} |" in readme


def test_one_of_ends_in_huo() -> None:
    assert one_of(["a"]) == "a"
    assert one_of(["a", "b"]) == "a 或 b"
    assert one_of(["a", "b", "c"]) == "a、b 或 c"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "没有 --bogus 这个选项"),
        (["--policies"], "选项 --policies 需要一个值"),
        (["nonsense"], "没有“nonsense”这个命令"),
        (["render"], "缺少参数 FORM"),
        (["overdue", "--within", "abc"], "--within 的值无效：应为整数"),
        (["overdue", "--within", "-3"], "应不小于 0"),
        (["validate", "--strict=yes", "x"], "选项 --strict 不带值"),
        (["policy", "show"], "缺少参数 NAME"),
        (["overdue", "a", "b"], "多余的参数：a b"),
    ],
)
def test_shell_usage_errors_in_chinese(cli: Cli, args: list[str], message: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "查看用法" in result.stderr
    _no_english(result.stderr)


def test_shell_root_option_after_subcommand_says_where_it_goes(cli: Cli) -> None:
    result = cli("validate", "roster.yaml", "--policies", "d")
    assert result.exit_code == 2
    assert "应写在子命令之前：cdo --policies 文件夹 validate" in result.stderr


def test_shell_subcommand_option_before_subcommand_says_where_it_goes(cli: Cli) -> None:
    result = cli("--format", "json", "validate", "roster.yaml")
    assert result.exit_code == 2
    assert "应写在子命令之后" in result.stderr and "validate" in result.stderr


@pytest.mark.parametrize("args", [[], ["policy"], ["schema"]])
def test_shell_group_alone_shows_its_help(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.exit_code == 0
    assert result.stdout.startswith("用法：cdo")
    assert "命令：" in result.stdout
    _no_english(result.stdout)


@pytest.mark.parametrize(
    "command", ["init", "validate", "overdue", "render", "policy list", "schema roster"]
)
def test_shell_help_pages_are_chinese_with_an_example(cli: Cli, command: str) -> None:
    result = cli(*command.split(), "--help")
    assert result.exit_code == 0
    assert "用法：" in result.stdout and "显示本帮助并退出。" in result.stdout
    assert "例：" in result.stdout
    assert "<str>" not in result.stdout and "list[Path]" not in result.stdout
    _no_english(result.stdout)


def test_shell_unknown_names_exit_2(cli: Cli) -> None:
    assert cli("policy", "show", "nope").exit_code == 2
    assert cli("render", "attachment2", "--dept", "市公安厅").exit_code == 2
    assert cli("render", "attachment9").exit_code == 2
    unit = cli("overdue", "--as-of", "2023-11-01", "--unit", "市公安厅", "--check")
    assert unit.exit_code == 2  # not 1: --check's 1 means only "something is late"
    assert "是否应为：市公安局？" in unit.stderr


def test_shell_unknown_scheme_suggests_policies(cli: Cli) -> None:
    result = cli("policy", "show", "shantou")
    assert result.exit_code == 2
    assert "--policies" in result.stderr and "CDO_POLICIES" in result.stderr
    assert "huizhou、puning 或 zhaoqing" in result.stderr


def test_shell_policies_given_a_file(cli: Cli, write: Callable[[str, str], Path]) -> None:
    write("a.yaml", "id: a\n")
    result = cli("--policies", "a.yaml", "policy", "list")
    assert result.exit_code == 2
    assert "应为文件夹，这里是一个文件" in result.stderr


def _broken_policies(write: Callable[[str, str], Path]) -> None:
    write("pol/broken.yaml", "id: broken\ncity: [\n")
    write("pol/wrongtype.yaml", "id: wrongtype\nunits: !!int abc\n")


def test_shell_broken_scheme_is_a_row_in_policy_list(
    cli: Cli, write: Callable[[str, str], Path]
) -> None:
    _broken_policies(write)
    result = cli("--policies", "pol", "policy", "list")
    assert result.exit_code == 0, result.output
    assert "broken" in result.stdout and "文件有错误" in result.stdout
    assert "puning" in result.stdout and "普数改〔2023〕2号" in result.stdout


def test_shell_broken_scheme_does_not_stop_other_commands(
    cli: Cli, write: Callable[[str, str], Path]
) -> None:
    _broken_policies(write)
    assert cli("--policies", "pol", "policy", "show", "puning").exit_code == 0
    assert cli("--policies", "pol", "render", "attachment3", "-o", "-", "-f", "md").exit_code == 0
    result = cli("--policies", "pol", "overdue", "--as-of", "2023-11-01", "-f", "json")
    assert result.exit_code == 0
    assert "方案 broken 的文件有错误，未使用" in result.stderr
    needed = cli("--policies", "pol", "policy", "show", "broken")
    assert needed.exit_code == 2
    assert "方案文件有错误，无法使用" in needed.stderr and "cdo policy check" in needed.stderr


def test_shell_validate_reports_good_file_then_exits_2_for_missing(cli: Cli) -> None:
    assert cli("init", "--scheme", "puning", "-o", "good.yaml").exit_code == 0
    result = cli("validate", "good.yaml", "missing.yaml")
    assert result.exit_code == 2
    assert "good.yaml" in result.stdout and "完整性" in result.stdout
    assert "missing.yaml: 文件不存在" in result.stderr


def test_shell_policy_check_reports_good_file_then_exits_2_for_missing(cli: Cli) -> None:
    good = Path(__file__).resolve().parents[1] / "policies" / "puning.yaml"
    result = cli("policy", "check", str(good), "missing.yaml")
    assert result.exit_code == 2
    assert "puning.yaml" in result.stdout
    assert "missing.yaml: 文件不存在" in result.stderr


# ---------------------------------------------------------------- through a real process


def _cdo(args: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cdo_cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        **kwargs,
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["--help"], ["--version"], ["policy", "show", "puning"]])
def test_shell_full_disk_on_stdout(args: list[str]) -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = subprocess.run(
            [sys.executable, "-m", "cdo_cli", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stderr == "错误：无法写出结果到标准输出：磁盘空间不足（No space left on device）\n"


@pytest.mark.skipif(sys.platform == "win32", reason="closing a standard stream is POSIX")
@pytest.mark.parametrize("args", [["--version"], ["policy", "list"]])
def test_shell_closed_stdout(args: list[str]) -> None:
    done = _cdo(args, stdout=None, close_fds=True, preexec_fn=lambda: __import__("os").close(1))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "输出已关闭" in done.stderr


def test_shell_console_that_cannot_encode(tmp_path: Path) -> None:
    """A cp1252 console (an English Windows) shows replacements instead of failing."""
    env = {**__import__("os").environ, "PYTHONIOENCODING": "cp1252"}
    done = subprocess.run(
        [sys.executable, "-m", "cdo_cli", "policy", "show", "puning"],
        capture_output=True,
        env=env,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 0
    assert b"Traceback" not in done.stderr
    assert b"2023-10-24" in done.stdout
