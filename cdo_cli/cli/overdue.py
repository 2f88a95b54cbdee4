"""``cdo overdue``: which filings are late, by whom, by how many days."""

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import typer

from ..errors import ExitCode
from .apps import command
from .common import bad_format, default_rosters, note, out, out_bytes, parse_date, workspace

FORMATS = ["table", "json", "csv", "ics"]


@command("overdue")
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
            help="名册文件或放名册的文件夹（可多次指定；同一方案可有几份，如每县一份，"
            "报送记录合在一起计算）；默认当前文件夹的 roster.yaml。没有名册时按全部未报送计算。",
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
        bool, typer.Option("--all", help="也列出尚未到期的事项（未到期）和没有期限的报送事项。")
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
            metavar="FORMAT",
        ),
    ] = "table",
) -> None:
    """哪些报送事项已逾期、由哪个单位、逾期多少天。

    按方案的报送事项和名册中记录的报送（filings）计算截至某日各单位每项事项的状态：
    已逾期、即将到期、已报送、逾期报送、未到期、未报送（无期限，--all）。期限当日报送不算逾期。
    没有具体日期的事项不会逾期：要报送的（如备案）在 --all 时列为已报送或未报送，
    持续推进的工作不列出；推定的日期、承担单位、报送对象标（推定）。
    分批纳入范围的单位，只列纳入之后到期的事项。

    退出码：0 正常；1 名册有错误，或 --check 时有逾期事项；2 日期、方案、单位、格式有误或文件无法读取。

    \b
    例：
      cdo overdue --as-of 2023-11-01
      cdo overdue --roster roster.yaml --unit 市公安局
      cdo overdue --scheme huizhou --as-of 2024-01-01 --format json > 逾期.json
      cdo overdue --all --format ics > 报送期限.ics
      cdo overdue --check --format csv > 逾期.csv
    """
    from ..gc_pause import gc_paused
    from ..overdue import build_report, check_horizon

    if fmt not in FORMATS:
        raise bad_format(fmt, FORMATS)
    day = parse_date(as_of) if as_of is not None else dt.date.today()
    check_horizon(day, within)  # before any roster is read
    with gc_paused(kept=True):  # a short run: what it builds lives to the end (gc_pause.py)
        from ..workspace import roster_paths

        ws = workspace(ctx)
        ws.as_of = day
        paths = [p for given in default_rosters(roster) for p in roster_paths(given)]
        loaded = [ws.valid_roster(path) for path in paths]
        result = build_report(
            ws.registry,
            loaded,
            scheme or [],
            day,
            within=within,
            unit=unit,
            show_all=show_all,
        )
        for text in result.notes:
            note(text)
        if fmt == "table":
            from ..overdue_formats import render_table

            out(render_table(result))
        else:
            from .. import overdue_formats as formats

            pieces: Iterable[bytes]
            if fmt == "json":  # in pieces: 220 MB for 120,000 units
                pieces = formats.json_pieces(result)
            elif fmt == "csv":
                pieces = [formats.render_csv(result)]
            else:
                pieces = [formats.render_ics(result, dt.datetime.now(dt.timezone.utc))]
            for piece in pieces:
                out_bytes(piece)
    if check and result.any_overdue:
        raise typer.Exit(ExitCode.FINDINGS)
