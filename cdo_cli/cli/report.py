"""``cdo report``: where a scheme stands, as a page for a meeting or a Word annex."""

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError, one_of

if TYPE_CHECKING:
    from ..findings import Finding
    from ..outlines import Weights
    from ..policy import Scheme
    from ..roster_loading import LoadedRoster
    from ..workspace import Workspace
from .apps import command
from .common import default_rosters, out_bytes, parse_date, say, shown, workspace

FORMATS = {"html": ".html", "docx": ".docx"}
_SUFFIXES = {".html": "html", ".htm": "html", ".docx": "docx"}


@command("report")
def report_cmd(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="名册文件或放名册的文件夹（可多个，须属于同一方案，如每县一份）；默认当前文件夹的 roster.yaml。",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="统计日，YYYY-MM-DD；默认今天。", metavar="DATE"),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="html：网页（投影、打印均可，图表为矢量图）；docx：Word 文件（表格，供年度总结附件）。"
            "不指定时按 -o 的扩展名判断，默认 html。",
            metavar="html|docx",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="输出文件或文件夹（默认当前文件夹的“工作情况报告-统计日.html”或 .docx）；"
            "文件的扩展名须与格式一致；以 / 结尾或已存在的文件夹按文件夹处理；"
            "“-”表示输出到标准输出（仅 html）。不存在的文件夹自动创建。",
            metavar="FILE",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的文件（整体替换）。")] = False,
    year: Annotated[
        str | None,
        typer.Option(
            "--year",
            help="首席数据官评价排名的年度；默认统计日及以前最近的有评分的年度。",
            metavar="YEAR",
        ),
    ] = None,
    weights: Annotated[
        Path | None,
        typer.Option(
            "--weights",
            help="评价单位提供的各项权重（.yaml、.csv 或 .xlsx，与 cdo render 评价表 --weights 相同）："
            "按加权合计排名；不给时按各项得分之和排名（文件未规定权重，属推定）。",
            metavar="FILE",
        ),
    ] = None,
) -> None:
    """工作情况报告：任职情况、逾期事项、期限时间轴、待办清单和首席数据官评价排名，供会议展示和年度总结。

    网页为单个文件（样式、图表都在文件内，不联网），可投影，可按 A4 打印；
    Word 文件按公文格式（GB/T 9704）排版，以表格列出同样的数字。
    数字与同一天的 cdo validate（任职情况）和 cdo overdue（报送情况，14 天内为即将到期）一致；
    同一方案的几份名册合在一起统计；单位写明上级单位的，按上级单位汇总。
    方案规定了评价的（惠州），按名册中的评分排名，与 cdo evaluation rank 相同。
    名册有错误时不生成报告，请先用 cdo validate 改正。

    退出码：0 已生成；1 名册有错误；2 日期、格式、文件有误或无法写出。

    \b
    例：
      cdo report --as-of 2023-11-01
      cdo report roster.yaml -o 工作情况报告.html
      cdo report 部门.yaml 县区.yaml --format docx
      cdo report --year 2022 --weights 权重.yaml
    """
    from ..gc_pause import gc_paused
    from ..outline_render import parse_year
    from ..output import NewFile, is_folder_path, write_files
    from ..overdue import check_horizon
    from ..report_data import WITHIN, compute_report

    chosen = _format(fmt, output)
    day = parse_date(as_of) if as_of is not None else dt.date.today()
    check_horizon(day, WITHIN)
    ranked_year = parse_year(year)
    # A short run: the rosters and figures live to the end (gc_pause.py); the Word
    # file's few python-docx cycles are not worth a collection of 120,000 units.
    with gc_paused(kept=True):
        ws = workspace(ctx)
        ws.as_of = day  # the schemes' scope (units and posts brought in later) on that day
        rosters = _rosters(ws, default_rosters(files))
        scheme = rosters[0][0].scheme
        if (ranked_year is not None or weights is not None) and not scheme.evaluations:
            option = "--year" if ranked_year is not None else "--weights"
            raise UsageError(
                f"{scheme.city}方案（{scheme.id}）没有规定对首席数据官的评价，{option} 无从使用",
                hint=f"去掉 {option}；--year、--weights 只用于评价排名（如惠州）。",
            )
        chosen_weights = _weights(scheme, weights) if weights is not None else None
        data = compute_report(rosters, day, year=ranked_year, weights=chosen_weights)
        if chosen == "docx":
            from ..report_docx import render_report_docx

            blob = render_report_docx(data, dt.date.today())
        else:
            from ..report_html import render_report_html

            blob = render_report_html(data).encode("utf-8")
    if output == "-":
        out_bytes(blob)
        return
    name = f"工作情况报告-{day.isoformat()}{FORMATS[chosen]}"
    if output is None:
        target = Path(name)
    elif is_folder_path(output):
        target = Path(output) / name
    else:
        target = Path(output)
    write_files([NewFile(target, blob)], force=force)
    overdue = data.totals["overdue"]
    say(
        f"已生成 {shown(target.absolute())}（{data.city}，截至 {day.isoformat()}："
        f"职位完整 {data.complete}/{data.units_in_scope} 个单位，逾期未报送 {overdue} 项）"
    )


def _rosters(ws: "Workspace", given: list[Path]) -> "list[tuple[LoadedRoster, list[Finding]]]":
    """The rosters (files, or folders of them; each read once), checked together as
    ``cdo validate`` checks them: refused with its errors, else each with its findings."""
    from ..findings import Severity
    from ..validation import validate_files
    from ..workspace import RosterInvalidError, roster_paths

    if not given:
        raise UsageError(
            "没有名册：当前文件夹没有 roster.yaml",
            hint="指定名册文件，如 cdo report 名册.yaml；还没有名册可用 cdo init 生成。",
        )
    unique: dict[Path, Path] = {}  # roster.yaml, ./roster.yaml and its full path are one
    for path in (p for g in given for p in roster_paths(g)):
        unique.setdefault(path.resolve(), path)
    checks = [ws.check_roster(path) for path in unique.values()]
    schemes = {c.roster.scheme.id: c for c in checks if c.roster is not None}
    if len(schemes) > 1:
        first, other = list(schemes.values())[:2]
        assert first.roster is not None and other.roster is not None
        raise UsageError(
            f"名册 {other.name} 属于方案 {other.roster.scheme.id}（{other.roster.scheme.city}），"
            f"与 {first.name} 的方案 {first.roster.scheme.id}（{first.roster.scheme.city}）不同",
            hint="一份报告只含一个方案：请分别为每个方案生成报告。",
        )
    result = validate_files(list(unique.values()), ws)
    errors = [f for f in result.findings if f.severity is Severity.error]
    if errors:
        raise RosterInvalidError(errors)
    found: dict[str, list[Finding]] = {c.name: [] for c in checks}
    for finding in result.findings:
        found.setdefault(finding.file, []).append(finding)
    return [(c.roster, found[c.name]) for c in checks if c.roster is not None]


def _weights(scheme: "Scheme", path: Path) -> "dict[str, Weights]":
    """The bureau's weights (read as ``cdo render 评价表 --weights`` reads them), for the
    scheme's one evaluation."""
    from ..evaluation_weights import read_weights

    if len(scheme.evaluations) > 1:
        raise UsageError(
            f"{scheme.city}方案有多项评价，--weights 不知用于哪一项",
            hint="不给 --weights 生成报告；各项评价的加权排名用 cdo evaluation rank --evaluation ID --weights 文件。",
        )
    evaluation = scheme.evaluations[0]
    return {evaluation.id: read_weights(path, evaluation)}


def _format(fmt: str | None, output: str | None) -> str:
    """The format asked for, checked against -o's extension before any work."""
    if fmt is not None and fmt not in FORMATS:
        raise UsageError(f"不支持的格式“{fmt}”", hint=f"可选：{one_of(list(FORMATS))}")
    if output == "-":
        if fmt == "docx":
            raise UsageError("docx 不能输出到标准输出", hint="用 -o 指定文件，如 -o 报告.docx。")
        return "html"
    from ..output import is_folder_path

    if output is None or is_folder_path(output):
        return fmt or "html"
    suffix = Path(output).suffix.lower()
    named = _SUFFIXES.get(suffix)
    if named is None:
        said = f"的扩展名“{suffix}”不是可生成的格式" if suffix else "没有扩展名"
        raise UsageError(
            f"-o {output} {said}", hint=f"文件名以 {one_of(list(FORMATS.values()))} 结尾。"
        )
    if fmt is not None and named is not None and named != fmt:
        raise UsageError(
            f"-o {output} 是 {named} 文件名，与 --format {fmt} 不符",
            hint=f"用 -o {Path(output).with_suffix(FORMATS[fmt])}，或去掉 --format。",
        )
    return fmt or named or "html"
