"""The command line: typer signatures, one core call per command, and printing.

Only typer and this module are imported to print help or the version; every command
imports what it needs when it runs (pydantic models, rich, docx, jinja2).

No ``from __future__ import annotations`` here: typer reads every command's signature
at each start, and evaluating string annotations doubled that (5 ms of a 100 ms start).
"""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from . import __version__
from .errors import CdoError

if TYPE_CHECKING:
    from .findings import Finding
    from .policy_loading import Registry


class _Group(TyperGroup):
    """Catches the one error hierarchy once, for every command and subcommand."""

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click.Context
        try:
            return super().invoke(ctx)
        except CdoError as exc:
            _print_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except ClickUsageError as exc:
            path = exc.ctx.command_path if exc.ctx is not None else "cdo"
            message, hint = usage_message(exc.format_message())
            _print_error(CdoError(message, f"{hint}运行 {path} --help 查看用法。"))
            raise typer.Exit(2) from None


_USAGE = [
    (r"No such command '(.+?)'\.?", "没有“{0}”这个命令"),
    (r"Missing argument '(.+?)'\.?", "缺少参数 {0}"),
    (r"Missing option '(.+?)'(?: / '.+?')*\.?", "缺少选项 {0}"),
    (r"No such option: (\S+?)\.?$", "没有 {0} 这个选项"),
    (r"Option '(.+?)' requires an argument\.?", "选项 {0} 需要一个值"),
    (r"Got unexpected extra arguments? \((.+)\)", "多余的参数：{0}"),
    (r"Invalid value for '(.+?)': (.+)", "{0} 的值无效：{1}"),
]
_VALUES = [
    (r"Input should be greater than or equal to (\S+)", "应不小于 {0}"),
    (r"Input should be less than or equal to (\S+)", "应不大于 {0}"),
    (r"'(.*)' is not a valid integer\.?|Input should be a valid integer.*", "应为整数"),
    (r"'(.*)' is not one of (.+)\.", "“{0}”不是可选值之一：{1}"),
]


def usage_message(text: str) -> tuple[str, str]:
    """Click's English usage errors in Chinese; a "did you mean" becomes the hint."""
    import re

    first = text.partition("\n")[0]
    hint = ""
    close = re.search(r"Did you mean (\S+?)\??$|\(Possible options: (.+)\)", text, re.M)
    if close:
        hint = f"是否应为 {close.group(1) or close.group(2)}？"
    for pattern, chinese in _USAGE:
        match = re.match(pattern, first.strip())
        if match:
            parts = list(match.groups())
            for i, part in enumerate(parts):
                for value_pattern, value_chinese in _VALUES:
                    found = re.match(value_pattern, part or "")
                    if found:
                        parts[i] = value_chinese.format(*found.groups())
            return chinese.format(*parts), hint
    return f"用法错误：{first.strip()}", hint


def _print_error(exc: CdoError) -> None:
    typer.echo(f"错误：{exc.message}", err=True)
    if exc.hint:
        typer.echo(f"提示：{exc.hint}", err=True)


app = typer.Typer(
    cls=_Group,
    name="cdo",
    help=(
        "首席数据官制度工具：方案、名册、逾期报送与附件表格。\n\n"
        "Tools for Guangdong cities' Chief Data Officer schemes.\n\n"
        "\b\n例：\n  cdo policy list\n  cdo init --scheme puning -o roster.yaml\n"
        "  cdo validate roster.yaml\n  cdo overdue --as-of 2023-11-01\n"
        "  cdo render attachment2 --dept 市公安局"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
policy_app = typer.Typer(
    cls=_Group,
    help="查看和检查方案文件（policies/*.yaml）。",
    no_args_is_help=True,
    rich_markup_mode=None,
)
schema_app = typer.Typer(
    cls=_Group,
    help="输出 JSON Schema（draft 2020-12），供编辑器补全和检查。",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(policy_app, name="policy")
app.add_typer(schema_app, name="schema")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cdo {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    policies: Annotated[
        list[Path] | None,
        typer.Option(
            "--policies",
            help="另外的方案文件夹（可多次指定）；同 id 的方案覆盖内置方案。也可用环境变量 "
            "CDO_POLICIES（路径列表）。",
            metavar="DIR",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", help="显示版本并退出。", callback=_version, is_eager=True),
    ] = False,
) -> None:
    """首席数据官制度工具。"""
    ctx.obj = {"policies": list(policies or [])}


def _registry(ctx: typer.Context) -> "Registry":
    from .policy_loading import Registry

    root = ctx.find_root()
    obj = root.obj or {}
    if "registry" not in obj:
        obj["registry"] = Registry(obj.get("policies", []))
        root.obj = obj
    registry: Registry = obj["registry"]
    return registry


def _out(text: str) -> None:
    """Write text for people; unencodable characters degrade instead of crashing."""
    stream = sys.stdout
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = stream.encoding or "utf-8"
        stream.write(text.encode(encoding, errors="replace").decode(encoding))
    stream.flush()


def _out_bytes(data: bytes) -> None:
    """Write machine-readable output (JSON, CSV, …) as UTF-8 whatever the locale."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # an in-memory stream (tests)
        sys.stdout.write(data.decode("utf-8"))
    else:
        sys.stdout.flush()
        buffer.write(data)
        buffer.flush()


# ---------------------------------------------------------------- policy


@policy_app.command("list")
def policy_list(ctx: typer.Context) -> None:
    """列出找到的方案：城市、文号、印发日期，以及单位、职位、事项、附件的数量。

    \b
    例：
      cdo policy list
      cdo --policies ./我的方案 policy list
    """
    from .views import scheme_list_table

    registry = _registry(ctx)
    rows = [(registry.get(i), registry.files[i].origin) for i in registry.ids()]
    _out(scheme_list_table(rows))


@policy_app.command("show")
def policy_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="方案 id，如 puning。", metavar="NAME")],
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="text：便于阅读；json：完整方案，供脚本使用。"),
    ] = "text",
) -> None:
    """显示一个方案：职位、单位、按日期排列的期限、附件。

    \b
    例：
      cdo policy show puning
      cdo policy show zhaoqing --format json > zhaoqing.json
    """
    scheme = _registry(ctx).get(name)
    if fmt == "json":
        import json

        data = scheme.model_dump(mode="json")
        _out_bytes((json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    elif fmt == "text":
        from .views import scheme_view

        _out(scheme_view(scheme))
    else:
        raise _bad_format(fmt, ["text", "json"])


@policy_app.command("check")
def policy_check(
    files: Annotated[
        list[Path], typer.Argument(help="要检查的方案文件。", metavar="FILE", show_default=False)
    ],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text 或 json。")] = "text",
) -> None:
    """检查方案文件：结构、引用，以及方案内部的矛盾（如期限早于印发日期）。

    有错误时退出码为 1；只有警告时为 0。

    \b
    例：
      cdo policy check policies/shantou.yaml
    """
    from .policy_loading import check_file

    findings: list[Finding] = []
    for path in files:
        findings += check_file(path)[1]
    _report(findings, fmt, files=[str(p) for p in files])


def _report(
    findings: "list[Finding]",
    fmt: str,
    files: list[str],
    *,
    summary: str = "",
    extra: dict[str, Any] | None = None,
    failed: bool | None = None,
) -> None:
    """Print findings as text (then ``summary``) or JSON (with ``extra`` keys); exit 1 if failed.

    ``failed`` defaults to "there is an error".
    """
    from .findings import has_errors
    from .findings_format import findings_json, findings_text

    if fmt == "json":
        _out_bytes(findings_json(findings, extra).encode("utf-8"))
    elif fmt == "text":
        _out(findings_text(findings, files, color=_color()) + summary)
    else:
        raise _bad_format(fmt, ["text", "json"])
    if has_errors(findings) if failed is None else failed:
        raise typer.Exit(1)


def _color() -> bool:
    import os

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _bad_format(fmt: str, choices: list[str]) -> CdoError:
    from .errors import UsageError

    return UsageError(f"不支持的格式“{fmt}”", hint=f"可选：{'、'.join(choices)}")


# ---------------------------------------------------------------- schema


@schema_app.command("policy")
def schema_policy() -> None:
    """方案文件的 JSON Schema。

    \b
    例：
      cdo schema policy > policy.schema.json
    """
    from .schema import policy_schema, to_json

    _out_bytes(to_json(policy_schema()))


@schema_app.command("roster")
def schema_roster(
    ctx: typer.Context,
    scheme: Annotated[
        str | None,
        typer.Option("--scheme", help="按某方案列出可选的单位名称、职位和事项，便于补全。"),
    ] = None,
) -> None:
    """名册文件的 JSON Schema。

    在名册第一行写 `# yaml-language-server: $schema=roster.schema.json`，
    编辑器（VS Code 的 YAML 插件等）即可补全和检查。

    \b
    例：
      cdo schema roster --scheme puning > roster.schema.json
    """
    from .schema import roster_schema, to_json

    _out_bytes(to_json(roster_schema(_registry(ctx).get(scheme) if scheme else None)))


# ---------------------------------------------------------------- rosters


@app.command("init")
def init(
    ctx: typer.Context,
    scheme: Annotated[str, typer.Option("--scheme", "-s", help="方案 id，如 puning。")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="名册文件（默认 roster.yaml）。")
    ] = Path("roster.yaml"),
    force: Annotated[bool, typer.Option("--force", help="覆盖已有文件。")] = False,
) -> None:
    """生成名册模板：方案范围内的全部单位和应设职位，附中文填写说明。

    文件已存在时不覆盖（除非 --force）。同时在旁边写出该方案的 JSON Schema
    （如 puning.roster.schema.json，如不存在），供编辑器补全。文件附件已列出人员的（如肇庆），直接填入。

    \b
    例：
      cdo init --scheme puning
      cdo init --scheme zhaoqing -o 肇庆名册.yaml
    """
    from .output import check_targets, write_atomic
    from .roster_template import roster_template
    from .schema import roster_schema, schema_file_name, to_json

    chosen = _registry(ctx).get(scheme)
    check_targets([output], force)
    # One schema file per scheme: rosters of two cities in one folder each get their own.
    schema_path = output.parent / schema_file_name(chosen.id)
    write_atomic(output, roster_template(chosen, schema_path.name).encode("utf-8"))
    typer.echo(f"已生成名册：{output}（{chosen.city}，{len(chosen.units)} 个单位）")
    if not schema_path.exists():
        write_atomic(schema_path, to_json(roster_schema(chosen)))
        typer.echo(f"已生成编辑器用的 JSON Schema：{schema_path}")
    typer.echo(f"填写后运行：cdo validate {output}")


@app.command("validate")
def validate(
    ctx: typer.Context,
    files: Annotated[
        list[Path], typer.Argument(help="名册文件。", metavar="FILE", show_default=False)
    ],
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="text：按文件分组；json：全部问题，供脚本和编辑器。"),
    ] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="有警告也以退出码 1 结束。")] = False,
) -> None:
    """检查名册是否完整、正确：单位、职位、人数、电话、邮箱、日期、报送记录。

    退出码：0 无错误；1 有错误（或 --strict 下有警告）；2 文件无法读取。

    \b
    例：
      cdo validate roster.yaml
      cdo validate 名册/*.yaml --format json
      cdo validate roster.yaml --strict
    """
    from .validation import summary_text, validate_files

    result = validate_files(files, _registry(ctx))
    _report(
        result.findings,
        fmt,
        result.files,
        summary=summary_text(result.summaries),
        extra={"summary": result.summaries},
        failed=result.failed(strict),
    )


# ---------------------------------------------------------------- overdue

_OVERDUE_FORMATS = ["table", "json", "csv", "ics"]


def _parse_date(value: str) -> Any:
    """A real YYYY-MM-DD date, or a usage error (2023-02-30 does not exist)."""
    import datetime as dt
    import re

    from .errors import UsageError

    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise UsageError(
        f"日期无效：{value}（应为 YYYY-MM-DD 的真实日期）", hint="例如 --as-of 2023-11-01"
    )


@app.command("overdue")
def overdue(
    ctx: typer.Context,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="按哪一天计算，YYYY-MM-DD；默认今天。", metavar="DATE"),
    ] = None,
    roster: Annotated[
        list[Path] | None,
        typer.Option(
            "--roster",
            "-r",
            help="名册文件（可多次指定，每个方案一个）；默认当前文件夹的 roster.yaml。"
            "没有名册时按全部未报送计算。",
            metavar="FILE",
        ),
    ] = None,
    scheme: Annotated[
        list[str] | None,
        typer.Option(
            "--scheme",
            "-s",
            help="只看这些方案（可多次指定）；默认为名册所属方案，没有名册时为全部方案。",
            metavar="NAME",
        ),
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit", "-u", help="只看一个单位（全称或文件中的其他写法）。", metavar="NAME"
        ),
    ] = None,
    within: Annotated[
        int,
        typer.Option("--within", help="多少天内到期算“即将到期”。", min=0, metavar="N"),
    ] = 14,
    show_all: Annotated[
        bool, typer.Option("--all", help="也列出尚未到期的事项（未到期）。")
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="有逾期事项时退出码为 1（供定时任务使用），否则为 0。"),
    ] = False,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="table：表格；json：供脚本使用（格式见 README）；csv：Excel 可直接打开；"
            "ics：日历待办（iCalendar）。",
        ),
    ] = "table",
) -> None:
    """哪些报送事项已逾期、由哪个单位、逾期多少天。

    按方案的报送事项和名册中记录的报送（filings）计算截至某日各单位每项事项的状态：
    已逾期、即将到期、已报送、逾期报送、未到期（--all）。期限当日报送不算逾期。
    没有具体日期的事项不会逾期，不列出；推定的日期标（推定）。

    \b
    例：
      cdo overdue --as-of 2023-11-01
      cdo overdue --roster roster.yaml --unit 市公安局
      cdo overdue --scheme huizhou --as-of 2024-01-01 --format json > 逾期.json
      cdo overdue --all --format ics > 报送期限.ics
      cdo overdue --check --format csv > 逾期.csv
    """
    import datetime as dt

    from .overdue import build_report
    from .roster_loading import default_roster

    if fmt not in _OVERDUE_FORMATS:
        raise _bad_format(fmt, _OVERDUE_FORMATS)
    day = _parse_date(as_of) if as_of is not None else dt.date.today()
    report = build_report(
        _registry(ctx),
        default_roster(roster),
        scheme or [],
        day,
        within=within,
        unit=unit,
        show_all=show_all,
    )
    for note in report.notes:
        typer.echo(note, err=True)
    if fmt == "table":
        from .overdue_formats import render_table

        _out(render_table(report))
    else:
        from . import overdue_formats as formats

        if fmt == "json":
            data = formats.render_json(report)
        elif fmt == "csv":
            data = formats.render_csv(report)
        else:
            data = formats.render_ics(report, dt.datetime.now(dt.timezone.utc))
        _out_bytes(data)
    if check and report.any_overdue:
        raise typer.Exit(1)


# ---------------------------------------------------------------- render


@app.command("render")
def render_cmd(
    ctx: typer.Context,
    form: Annotated[
        str,
        typer.Argument(
            help="附件表格 id（或标签），如 attachment2、附件2；cdo policy show 列出各方案的附件。",
            metavar="FORM",
            show_default=False,
        ),
    ],
    dept: Annotated[
        str | None,
        typer.Option("--dept", "-d", help="填表单位（全称或文件中的其他写法）。", metavar="UNIT"),
    ] = None,
    all_units: Annotated[
        bool, typer.Option("--all", help="为该表适用的每个单位各生成一份，写入 -o 指定的文件夹。")
    ] = False,
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            "-r",
            help="按名册填写；不指定时使用当前文件夹的 roster.yaml（如有），否则生成空白表。",
            metavar="FILE",
        ),
    ] = None,
    scheme: Annotated[
        str | None,
        typer.Option(
            "--scheme",
            help="方案 id；默认取名册的方案，或唯一带有该附件的方案。",
            metavar="NAME",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="docx（默认，Word 文件）、html（可打印网页）或 md（Markdown）；"
            "不指定时按 -o 的扩展名判断。",
            metavar="docx|html|md",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="输出文件或文件夹（默认当前文件夹，文件名如“附件2-市公安局.docx”）；"
            "“-”表示输出到标准输出（仅 html、md）。",
            metavar="PATH",
        ),
    ] = None,
    redact: Annotated[
        bool, typer.Option("--redact", help="隐去电话号码和电子邮箱的中间部分（用于公开的版本）。")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的同名文件。")] = False,
) -> None:
    """生成附件表格（Word、网页或 Markdown）：空白表，或按名册填好的表。

    \b
    例：
      cdo render attachment2 --dept 市公安局
      cdo render attachment2 --all -o 报名表/
      cdo render attachment3 --format md -o -
      cdo render attachment --scheme zhaoqing --roster 名册.yaml --redact
    """
    from .output import check_targets, output_paths, write_atomic
    from .render import choose_format, render_documents
    from .roster_loading import default_roster

    fmt = choose_format(fmt, output, many=all_units)
    rosters = default_roster([roster] if roster else None)
    result = render_documents(
        _registry(ctx),
        form,
        dept=dept,
        all_units=all_units,
        scheme_id=scheme,
        roster_path=rosters[0] if rosters else None,
        roster_given=roster is not None,
        fmt=fmt,
        redact=redact,
    )
    for note in result.notes:
        typer.echo(f"注意：{note}", err=True)
    if output == "-":
        _out_bytes(result.documents[0].data)
        return
    targets = output_paths(output, [d.name for d in result.documents], folder=all_units)
    check_targets(targets, force)
    for target, doc in zip(targets, result.documents, strict=True):
        write_atomic(target, doc.data)
    source = f"按名册 {result.roster} 填写" if result.roster else "空白表"
    if all_units:
        shown = output or "当前文件夹"
        _out(
            f"已生成 {len(targets)} 个文件（{result.form_label} {result.form_title}，"
            f"{result.fmt}，{source}）：{shown}\n"
        )
    else:
        _out(f"已生成 {_shown(targets[0])}（{source}）\n")


def _shown(path: Path) -> str:
    """A path as short as it can be said: relative to the current folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main() -> None:
    """Entry point of the ``cdo`` script."""
    app()
