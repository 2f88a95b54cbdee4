"""``cdo export``: the roster as a workbook (or CSV) a clerk can work in."""

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError, one_of
from .apps import command
from .common import default_rosters, out_bytes, parse_date, say, shown, workspace

FORMATS = {"xlsx": ".xlsx", "csv": ".csv"}


@command("export")
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="xlsx：工作簿（人员、报送两张表，带下拉列表）；csv：人员表（UTF-8，Excel 可直接打开）。"
            "不指定时按 -o 的扩展名判断，默认 xlsx。",
            metavar="FORMAT",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="输出文件（默认“名册.xlsx”或“名册.csv”）；“-”表示输出到标准输出（仅 csv）。"
            "不存在的文件夹自动创建。",
            metavar="FILE",
        ),
    ] = None,
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster", "-r", help="名册文件；默认当前文件夹的 roster.yaml。", metavar="FILE"
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="报送表的状态按哪一天计算，YYYY-MM-DD；默认今天。", metavar="DATE"
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件。")] = False,
) -> None:
    """导出名册为 Excel 工作簿：人员表（与 cdo import 读取的表头相同）和报送表（含状态）。

    在 Excel 或 WPS 中修改人员表后，用 cdo import 导回，名册只按所改之处变化。

    \b
    例：
      cdo export
      cdo export -o 名册.xlsx --as-of 2023-11-01
      cdo export --format csv -o 人员.csv
    """
    from ..export import export_csv, export_xlsx
    from ..output import NewFile, write_files

    fmt = _format(fmt, output)
    day = parse_date(as_of) if as_of is not None else dt.date.today()
    ws = workspace(ctx)
    paths = default_rosters([roster] if roster else None)
    if not paths:
        raise UsageError(
            "没有名册可导出：当前文件夹没有 roster.yaml", hint="用 --roster 指定名册文件。"
        )
    loaded = ws.valid_roster(paths[0])
    if fmt == "csv":
        data = export_csv(loaded.scheme, loaded)
    else:
        data = export_xlsx(loaded.scheme, loaded, day)
    if output == "-":
        out_bytes(data)
        return
    target = Path(output) if output else Path(f"名册{FORMATS[fmt]}")
    write_files([NewFile(target, data)], force=force)
    say(f"已导出 {loaded.name}（{loaded.scheme.city}）到 {shown(target.absolute())}")


def _format(fmt: str | None, output: str | None) -> str:
    """The format asked for, checked against -o's extension."""
    suffix = Path(output).suffix.lower() if output and output != "-" else ""
    by_suffix = {v: k for k, v in FORMATS.items()}
    if fmt is None:
        if output == "-":
            return "csv"
        if suffix and suffix not in by_suffix:
            raise UsageError(
                f"不认识的扩展名“{suffix}”", hint=f"可用：{one_of(list(FORMATS.values()))}"
            )
        return by_suffix.get(suffix, "xlsx")
    if fmt not in FORMATS:
        raise UsageError(f"不支持的格式“{fmt}”", hint=f"可选：{one_of(list(FORMATS))}")
    if output == "-" and fmt != "csv":
        raise UsageError("xlsx 不能输出到标准输出", hint="用 -o 指定文件，或用 --format csv。")
    if suffix and suffix != FORMATS[fmt]:
        raise UsageError(
            f"-o 的扩展名“{suffix}”与格式 {fmt} 不符", hint=f"用 -o 文件名{FORMATS[fmt]}"
        )
    return fmt
