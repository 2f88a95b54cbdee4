"""What every command shares: its workspace, printing, findings reports, dates and formats."""

import datetime as dt
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from ..errors import CdoError, ExitCode, UsageError, one_of

if TYPE_CHECKING:
    from ..findings import Finding
    from ..workspace import Workspace


def workspace(ctx: typer.Context) -> "Workspace":
    """The command's workspace (schemes found, rosters loaded once), made at first use."""
    from ..policy_loading import Registry
    from ..workspace import Workspace

    root = ctx.find_root()
    obj = root.ensure_object(dict)
    if "workspace" not in obj:
        # Schemes are read as of today unless the command says otherwise (--as-of).
        obj["workspace"] = Workspace(Registry(obj.get("policies", [])), dt.date.today())
    found: Workspace = obj["workspace"]
    return found


def out(text: str) -> None:
    """Write text for people (the console's encoding; unencodable characters replaced)."""
    sys.stdout.write(text)
    sys.stdout.flush()


def say(text: str) -> None:
    """A plain message line for people: text from files or names shown safely."""
    from ..text import visible

    out(visible(text, keep_newlines=True) + "\n")


def out_bytes(data: bytes) -> None:
    """Write machine-readable output (JSON, CSV, …) as UTF-8 whatever the locale."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # an in-memory stream (tests)
        sys.stdout.write(data.decode("utf-8"))
    else:
        sys.stdout.flush()
        buffer.write(data)
        buffer.flush()


def note(text: str) -> None:
    """A note for the person on standard error (never mixed into machine output)."""
    from ..text import visible

    typer.echo(visible(text, keep_newlines=True), err=True)


def color() -> bool:
    """Colour only on a terminal, and never with NO_COLOR."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def bad_format(fmt: str, choices: list[str]) -> UsageError:
    """The error for a format the command does not write."""
    return UsageError(f"不支持的格式“{fmt}”", hint=f"可选：{one_of(choices)}")


def report(
    findings: "list[Finding]",
    fmt: str,
    files: list[str],
    *,
    summary: str = "",
    extra: dict[str, Any] | None = None,
    failed: bool | None = None,
    unreadable: "Sequence[CdoError]" = (),
) -> None:
    """Print findings as text (then ``summary``) or JSON (with ``extra`` keys); exit 1 if failed.

    ``failed`` defaults to "there is an error". Files that could not be read at all
    (``unreadable``) are reported after the others, and make the exit code 2.
    """
    from ..findings import has_errors
    from ..findings_format import batched, findings_json_pieces, findings_text_lines

    # Written in pieces: tens of thousands of findings are never one string in memory.
    if fmt == "json":
        for chunk in batched(findings_json_pieces(findings, extra)):
            out_bytes(chunk.encode("utf-8"))
    elif fmt == "text":
        for chunk in batched(findings_text_lines(findings, files, color=color())):
            out(chunk)
        out(summary)
    else:
        raise bad_format(fmt, ["text", "json"])
    if unreadable:
        from .shell import print_error

        for exc in unreadable[:-1]:
            print_error(exc.message, exc.hint)
        raise unreadable[-1]
    if has_errors(findings) if failed is None else failed:
        raise typer.Exit(ExitCode.FINDINGS)


def parse_date(value: str, option: str = "--as-of") -> dt.date:
    """A real YYYY-MM-DD date, or a usage error (2023-02-30 does not exist)."""
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    raise UsageError(
        f"日期无效：{value}（应为 YYYY-MM-DD 的真实日期）", hint=f"例如 {option} 2023-11-01"
    )


def as_of_date(value: str | None) -> dt.date:
    """The date of ``--as-of`` (default today), checked to lie in the years schemes speak of."""
    from ..overdue import AS_OF_MAX, AS_OF_MIN

    day = parse_date(value) if value is not None else dt.date.today()
    if not AS_OF_MIN <= day <= AS_OF_MAX:
        raise UsageError(
            f"--as-of 超出范围：{day.isoformat()}（应在 {AS_OF_MIN} 至 {AS_OF_MAX} 之间）",
            hint="例如 --as-of 2023-11-01",
        )
    return day


AS_OF_HELP = "按哪一天的方案（分批纳入的单位、职位）检查，YYYY-MM-DD；默认今天。"


def default_rosters(explicit: list[Path] | None) -> list[Path]:
    """The rosters a command works on: those given, else roster.yaml here if present."""
    if explicit:
        return explicit
    here = Path("roster.yaml")
    return [here] if here.is_file() else []


def shown(path: Path) -> str:
    """A path as short as it can be said: relative to the current folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
