"""The front door: every error a user can cause is caught here, once, and given an exit code.

The root command's ``main`` runs everything else (click's parsing included) with click's
own error handling off, so that usage errors, the one error hierarchy (``CdoError``), an
interrupt and output that cannot be written all end here: one Chinese message on
standard error and an exit code from :class:`~cdo_cli.errors.ExitCode`. Help pages are
translated here too. Typer keeps click inside as ``typer._click``; the few names used
from it are imported in this module only.
"""

import contextlib
import errno
import os
import re
import sys
from typing import Any

from typer import Abort
from typer._click import exceptions as click_errors
from typer.core import TyperCommand, TyperGroup

from ..errors import CdoError, ExitCode, os_reason
from ..text import visible

# Root options that belong before the subcommand, and what they take.
ROOT_OPTIONS = {"--policies": "文件夹", "--version": "", "-V": ""}


class AsGiven:
    """A converter that keeps a flag's value: typer would build a pydantic adapter for it.

    Typer builds one for an option the first time it parses it; for ``--help`` that put
    pydantic's import before every subcommand's help page (2.6 times ``cdo --help``).
    """

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        return value


def _plain_help_option(option: Any) -> Any:
    if option is not None and getattr(option, "_runtime_param", False) is None:
        option._runtime_param = AsGiven()
    return option


class CdoCommand(TyperCommand):
    """A leaf command whose help page is in Chinese and costs no pydantic import."""

    def get_help(self, ctx: Any) -> str:
        return translate_help(super().get_help(ctx))

    def get_help_option(self, ctx: Any) -> Any:
        return _plain_help_option(super().get_help_option(ctx))


class CdoGroup(TyperGroup):
    """A command group: the root runs everything through :func:`run`."""

    def get_help(self, ctx: Any) -> str:
        return translate_help(super().get_help(ctx))

    def get_help_option(self, ctx: Any) -> Any:
        return _plain_help_option(super().get_help_option(ctx))

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        def call() -> Any:
            return super(CdoGroup, self).main(
                args=args,
                prog_name=prog_name or "cdo",
                complete_var=complete_var,
                standalone_mode=False,
                **extra,
            )

        code = run(call, self)
        if standalone_mode:
            sys.exit(code)
        return code


def run(call: Any, root: Any) -> int:
    """Run the command line and turn every error a user can cause into an exit code."""
    prepare_streams()
    try:
        try:
            result = call()
        finally:
            _flush()
    except CdoError as exc:
        print_error(exc.message, exc.hint)
        return int(exc.exit_code)
    except click_errors.NoArgsIsHelpError as exc:
        # A group run alone (``cdo``, ``cdo policy``): show its help, as --help would.
        return _show_help(exc.ctx.get_help() if exc.ctx is not None else "")
    except click_errors.UsageError as exc:
        message, hint = usage_message(exc.format_message(), exc.ctx, root)
        path = exc.ctx.command_path if exc.ctx is not None else "cdo"
        print_error(message, f"{hint}运行 {path} --help 查看用法。")
        return ExitCode.FAILED
    except click_errors.ClickException as exc:
        print_error(usage_message(exc.format_message(), None, root)[0])
        return ExitCode.FAILED
    except (Abort, KeyboardInterrupt):
        print_error("已中止。")
        return 130
    except OSError as exc:
        return _output_failed(exc)
    if isinstance(result, int) and not isinstance(result, bool):
        return result
    return ExitCode.OK


def _show_help(text: str) -> int:
    try:
        sys.stdout.write(text.rstrip("\n") + "\n")
        sys.stdout.flush()
    except OSError as exc:
        return _output_failed(exc)
    return ExitCode.OK


def _output_failed(exc: OSError) -> int:
    """A file or the output could not be used (a full disk, a closed pipe, a name too long
    for the file system): say so once, exit 2."""
    if exc.filename:  # a path a check did not turn into a CdoError where it arose
        print_error(f"无法访问 {exc.filename}：{os_reason(exc)}")
        return ExitCode.FAILED
    _silence_stdout()
    if exc.errno != errno.EPIPE:  # a reader that went away (| head) wants no message
        print_error(f"无法写出结果到标准输出：{os_reason(exc)}")
    return ExitCode.FAILED


def _flush() -> None:
    stream = sys.stdout
    if stream is not None:
        stream.flush()


def _silence_stdout() -> None:
    """After a failed write, keep Python's final flush from failing a second time."""
    with contextlib.suppress(OSError):
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


class _Closed:
    """Stands for a standard stream the caller closed (``cdo … >&-``)."""

    encoding = "utf-8"
    errors = "strict"

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "Bad file descriptor")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    @property
    def buffer(self) -> "_Closed":
        return self


def prepare_streams() -> None:
    """Make standard output and error safe to write to on any console.

    A closed stream becomes one that fails on write (reported as exit 2); a console
    that cannot encode a character (GBK, cp1252) shows a replacement instead of failing.
    """
    if sys.stdout is None:
        sys.stdout = _Closed()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", "strict") == "strict":
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def print_error(message: str, hint: str | None = None) -> None:
    """``错误：…`` and ``提示：…`` on standard error, control characters made visible."""
    lines = [f"错误：{visible(message, keep_newlines=True)}"]
    if hint:
        lines.append(f"提示：{visible(hint, keep_newlines=True)}")
    try:
        sys.stderr.write("\n".join(lines) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # nowhere left to say it; the exit code still does


# ---------------------------------------------------------------- click's words in Chinese

_USAGE = [
    (r"No such command '(.+?)'\.?", "没有“{0}”这个命令"),
    (r"Missing argument '(.+?)'\.?", "缺少参数 {0}"),
    (r"Missing option '(.+?)'(?: / '.+?')*\.?", "缺少选项 {0}"),
    (r"Missing parameter: (\S+?)\.?$", "缺少参数 {0}"),
    (r"No such option: (\S+?)\.?$", "没有 {0} 这个选项"),
    (r"Option '(.+?)' requires an argument\.?", "选项 {0} 需要一个值"),
    (r"Option '(.+?)' does not take a value\.?", "选项 {0} 不带值"),
    (r"Got unexpected extra arguments?(?:\(s\))? \((.+)\)", "多余的参数：{0}"),
    (r"Invalid value for '(.+?)': (.+)", "{0} 的值无效：{1}"),
    (r"Invalid value: (.+)", "值无效：{0}"),
]
_VALUES = [
    (r"Input should be greater than or equal to (\S+)", "应不小于 {0}"),
    (r"Input should be less than or equal to (\S+)", "应不大于 {0}"),
    (r"'(.*)' is not a valid integer\.?|Input should be a valid integer.*", "应为整数"),
    (r"Input should be a valid number.*|'(.*)' is not a valid float\.?", "应为数字"),
    (r"Input should be a valid boolean.*|'(.*)' is not a valid boolean\.?", "应为 true 或 false"),
    (r"Input should be a valid string.*", "应为文本"),
    (r"Input should be a valid path.*", "应为文件路径"),
    (r"'(.*)' is not one of (.+)\.", "“{0}”不是可选值之一：{1}"),
]


def usage_message(text: str, ctx: Any, root: Any) -> tuple[str, str]:
    """Click's English usage error in Chinese, and a hint ending in a space or empty."""
    first = text.partition("\n")[0].strip()
    hint = ""
    close = re.search(r"Did you mean (\S+?)\??$|\(Possible options: (.+)\)", text, re.M)
    if close:
        options = [o.strip() for o in (close.group(1) or close.group(2)).split(",")]
        hint = f"是否应为 {_either(options)}？"
    option = re.match(r"No such option: (\S+?)\.?$", first)
    if option:
        hint = _where_option_goes(option.group(1), ctx, root) or hint
    for pattern, chinese in _USAGE:
        match = re.match(pattern, first)
        if match:
            parts = [_value_message(part or "") for part in match.groups()]
            return chinese.format(*parts), hint
    return f"命令行有误（{first}）", hint


def _value_message(part: str) -> str:
    for pattern, chinese in _VALUES:
        found = re.match(pattern, part)
        if found:
            return chinese.format(*found.groups())
    return part


def _either(options: list[str]) -> str:
    return options[0] if len(options) == 1 else f"{'、'.join(options[:-1])} 或 {options[-1]}"


def _where_option_goes(name: str, ctx: Any, root: Any) -> str:
    """For an option written on the wrong side of the subcommand, where it belongs."""
    option = name.split("=", 1)[0]
    if ctx is not None and ctx.parent is not None and option in ROOT_OPTIONS:
        value = ROOT_OPTIONS[option]
        rest = ctx.command_path.split(" ", 1)[1] if " " in ctx.command_path else ""
        example = f"cdo {option}{' ' + value if value else ''} {rest} …"
        return f"{option} 是 cdo 本身的选项，应写在子命令之前：{example}。"
    if ctx is not None and ctx.parent is None and root is not None:
        owners = [
            name_
            for name_, command in sorted(getattr(root, "commands", {}).items())
            if any(option in p.opts for p in getattr(command, "params", []))
        ]
        if owners:
            return f"{option} 是子命令（{_either(owners)}）的选项，应写在子命令之后：cdo {owners[0]} {option} …。"
    return ""


# ---------------------------------------------------------------- help pages in Chinese

_HELP = [
    (re.compile(r"^Usage: ", re.M), "用法："),
    (re.compile(r"^Arguments:$", re.M), "参数："),
    (re.compile(r"^Options:$", re.M), "选项："),
    (re.compile(r"^Commands:$", re.M), "命令："),
    (re.compile(r"Show this message and exit\."), "显示本帮助并退出。"),
    (re.compile(r"\[required\]"), "[必填]"),
    (re.compile(r"\[default: ([^\]]*)\]"), r"[默认：\1]"),
    (re.compile(r"\[OPTIONS\]"), "[选项]"),
    (re.compile(r"COMMAND \[ARGS\]\.\.\."), "命令 [参数]..."),
    (re.compile(r"\[ARGS\]\.\.\."), "[参数]..."),
    (re.compile(r"Try '(.+?)' for help\.?"), r"运行 \1 查看帮助。"),
    # typer shows each value's Python type (<str>, <list[Path]>): not for people.
    (re.compile(r" <[A-Za-z_\[\], |.]+>"), ""),
    (re.compile(r"\{(\w+)\}\.\.\."), r"\1..."),
]


def translate_help(text: str) -> str:
    """Click's help page with its English words in Chinese."""
    for pattern, chinese in _HELP:
        text = pattern.sub(chinese, text)
    return text
