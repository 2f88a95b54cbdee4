"""``cdo init`` and ``cdo validate``: making and checking rosters."""

from pathlib import Path
from typing import Annotated

import typer

from .apps import command
from .common import AS_OF_HELP, as_of_date, bad_format, report, say, workspace


@command("init")
def init(
    ctx: typer.Context,
    scheme: Annotated[
        str, typer.Option("--scheme", "-s", help="方案 id，如 puning。", metavar="NAME")
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="名册文件（默认 roster.yaml）；不存在的文件夹会自动创建。",
            metavar="FILE",
        ),
    ] = Path("roster.yaml"),
    force: Annotated[bool, typer.Option("--force", help="覆盖已有文件。")] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="列出哪一天在范围内的单位和职位，YYYY-MM-DD；默认今天。",
            metavar="DATE",
        ),
    ] = None,
) -> None:
    """生成名册模板：方案范围内的全部单位和应设职位，附中文填写说明。

    文件已存在时不覆盖（除非 --force）。同时在旁边写出该方案的 JSON Schema
    （如 puning.roster.schema.json，如不存在），供编辑器补全。文件附件已列出人员的（如肇庆），直接填入。

    \b
    例：
      cdo init --scheme puning
      cdo init --scheme zhaoqing -o 肇庆名册.yaml
      cdo init --scheme huizhou --as-of 2024-01-01
    """
    from ..gc_pause import gc_paused
    from ..output import NewFile, write_files
    from ..roster_template import roster_template
    from ..schema import roster_schema, schema_file_name, to_json

    with gc_paused(kept=True):  # a short run: what it builds lives to the end (gc_pause.py)
        day = as_of_date(as_of)
        chosen = workspace(ctx).registry.get(scheme)
        # One schema file per scheme: rosters of two cities in one folder each get their own.
        schema_path = output.parent / schema_file_name(chosen.id)
        written = write_files(
            [
                NewFile(output, roster_template(chosen, schema_path.name, day).encode("utf-8")),
                NewFile(schema_path, to_json(roster_schema(chosen)), keep_existing=True),
            ],
            force=force,
        )
    units = sum(u.in_force(day) for u in chosen.units)
    say(f"已生成名册：{output}（{chosen.city}，{units} 个单位）")
    if schema_path in written:
        say(f"已生成编辑器用的 JSON Schema：{schema_path}")
    say(f"填写后运行：cdo validate {output}")


@command("validate")
def validate(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="名册文件，或放名册的文件夹（连同其中的子文件夹）；同一方案的几份名册（如每县一份）合在一起检查。",
            metavar="FILE",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="text：按文件分组；json：全部问题，供脚本和编辑器。",
            metavar="FORMAT",
        ),
    ] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="有警告也以退出码 1 结束。")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help=AS_OF_HELP, metavar="DATE")] = None,
) -> None:
    """检查名册是否完整、正确：单位、职位、人数、电话、邮箱、日期、报送记录。

    同一方案的几份名册（或一个文件夹中的名册）合在一起检查：单位是否齐全、
    所选单位是否达到文件要求的数量，同一单位不能列在两份名册中。
    分批推行的方案按 --as-of 这一天（默认今天）的范围检查。

    退出码：0 无错误；1 有错误（或 --strict 下有警告）；2 有文件无法读取（其余文件照常检查）。

    \b
    例：
      cdo validate roster.yaml
      cdo validate 名册/*.yaml --format json
      cdo validate roster.yaml --strict
      cdo validate 各县名册/ --as-of 2024-01-01
    """
    from ..gc_pause import gc_paused
    from ..validation import summary_text, validate_files

    if fmt not in ("text", "json"):
        raise bad_format(fmt, ["text", "json"])
    with gc_paused(kept=True):  # a short run: what it builds lives to the end (gc_pause.py)
        ws = workspace(ctx)
        ws.as_of = as_of_date(as_of)
        result = validate_files(files, ws)
        report(
            result.findings,
            fmt,
            result.files,
            summary=summary_text(result.summaries, result.by_parent),
            extra={"summary": result.summaries, "summary_by_parent": result.by_parent},
            failed=result.failed(strict),
            unreadable=result.unreadable,
        )
