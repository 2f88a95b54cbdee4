"""``cdo evaluation rank``: evaluated officers ranked by their scores."""

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import NotFoundError, UsageError
from .apps import app
from .common import bad_format, default_rosters, note, out, out_bytes, workspace
from .shell import CdoCommand, CdoGroup

if TYPE_CHECKING:
    from ..policy import Scheme
    from ..policy_loading import Registry
    from ..policy_outlines import Evaluation
    from ..records import ImportedFile

evaluation_app = typer.Typer(
    cls=CdoGroup,
    help="首席数据官评价：按评价表的得分排名。",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(evaluation_app, name="evaluation")
evaluation_command = partial(evaluation_app.command, cls=CdoCommand)


def _read(path: Path, registry: "Registry", scheme_id: str | None) -> "ImportedFile":
    """The scores in one filled sheet or scores table; an error if it is neither."""
    from ..errors import InvalidInputError, UnreadableError
    from ..evaluation_reading import read_score_table, read_sheet_content
    from ..text import visible

    shown = visible(str(path))
    if not path.exists():
        raise UnreadableError(f"{shown}: 文件不存在")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from ..docx_reading import open_docx, read_content

        result = read_sheet_content(read_content(open_docx(path), shown), path, registry, scheme_id)
        what = "评价表（没有“评价内容”“得分”两栏和评价内容各行）"
    elif suffix in (".xlsx", ".xlsm", ".csv"):
        from ..sheet_files import read_rows

        result = read_score_table(read_rows(path), path, registry, scheme_id)
        what = "得分汇总表（没有“单位”一列和评价内容各列）"
    else:
        raise UsageError(
            f"{shown}：不能读取“{suffix or '没有扩展名'}”类型的文件",
            hint="可读取评价表（.docx）和得分汇总表（.xlsx、.csv）。",
        )
    if result is None:
        raise InvalidInputError(
            f"{shown} 不是{what}", hint="请用 cdo render 评价表 生成的表格填写。"
        )
    for text in result.notes:
        note(f"{shown}：{text}")
    for record in result.evaluations:
        for message, hint in record.invalid:
            raise InvalidInputError(f"{record.where}：{message}", hint=hint)
    return result


def _evaluation(scheme: "Scheme", key: str | None) -> "Evaluation":
    from ..errors import one_of

    if not scheme.evaluations:
        raise NotFoundError(
            f"{scheme.city}方案（{scheme.id}）没有规定对首席数据官的评价",
            hint="cdo policy show 查看方案；有评价的方案：惠州（huizhou）。",
        )
    if key is None:
        if len(scheme.evaluations) == 1:
            return scheme.evaluations[0]
        raise UsageError(
            f"{scheme.city}方案有多项评价，请指定",
            hint=f"用 --evaluation {one_of([e.id for e in scheme.evaluations])}",
        )
    found = next((e for e in scheme.evaluations if key in (e.id, e.name, *e.aliases)), None)
    if found is None:
        raise NotFoundError(
            f"{scheme.city}方案没有评价“{key}”",
            hint=f"可选：{one_of([e.id for e in scheme.evaluations])}",
        )
    return found


@evaluation_command("rank")
def rank(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="填好的评价表（.docx）或得分汇总表（.xlsx、.csv：单位、姓名、年度和各项评价内容）；"
            "不给时用名册中的评价记录（由 cdo import 读入）。",
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster", "-r", help="名册文件；默认当前文件夹的 roster.yaml。", metavar="FILE"
        ),
    ] = None,
    scheme: Annotated[
        str | None,
        typer.Option("--scheme", help="方案 id；默认取名册或文件的方案。", metavar="NAME"),
    ] = None,
    year: Annotated[
        str | None,
        typer.Option("--year", help="评价年度；默认记录中最近的年度。", metavar="YEAR"),
    ] = None,
    weights: Annotated[
        Path | None,
        typer.Option(
            "--weights",
            help="评价单位提供的各项权重（.yaml 或 .csv）：按加权合计排名；"
            "不给时按各项得分之和排名（文件未规定权重，属推定）。",
            metavar="FILE",
        ),
    ] = None,
    evaluation: Annotated[
        str | None,
        typer.Option("--evaluation", help="评价 id（方案只有一项评价时不用写）。", metavar="ID"),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text 或 json。", metavar="FORMAT")
    ] = "text",
) -> None:
    """按得分给被评价的首席数据官排名：得分相同的并列，缺少得分的不排名并列出所缺各项。

    有权重（--weights，评价单位提供）时按加权合计，否则按各项得分之和，并注明这是推定
    （文件未规定权重）。不会编造权重。

    \b
    例：
      cdo evaluation rank
      cdo evaluation rank --year 2023 --weights 权重.yaml
      cdo evaluation rank 回收/*.docx --scheme huizhou
      cdo evaluation rank 得分汇总.xlsx --format json
    """
    from ..evaluation_rank import (
        ranking_for_records,
        ranking_for_roster,
        ranking_json,
        ranking_text,
    )
    from ..evaluation_weights import read_weights
    from ..outline_render import parse_year

    if fmt not in ("text", "json"):
        raise bad_format(fmt, ["text", "json"])
    chosen_year = parse_year(year)
    ws = workspace(ctx)
    rosters = default_rosters([roster] if roster else None)
    loaded = ws.valid_roster(rosters[0]) if rosters else None
    if loaded is not None and scheme is not None and loaded.scheme.id != scheme:
        if roster is not None:
            raise UsageError(
                f"名册 {loaded.name} 属于方案 {loaded.scheme.id}，与 --scheme {scheme} 不符",
                hint="去掉 --scheme，或换用该方案的名册。",
            )
        loaded = None
    if files:
        scheme_id = scheme or (loaded.scheme.id if loaded is not None else None)
        if scheme_id is None:  # the sheets are matched with the schemes that load
            for text in ws.registry.usable()[1]:
                note(f"注意：{text}")
        read = [_read(path, ws.registry, scheme_id) for path in files]
        records = [r for f in read for r in f.evaluations]
        if not records:
            raise UsageError("给出的文件中没有填写任何得分", hint="请检查评价表是否已填写。")
        used = {f.scheme for f in read if f.evaluations and f.scheme}
        if len(used) != 1:
            raise UsageError(
                f"给出的文件属于不同的方案（{'、'.join(sorted(used))}）",
                hint="每次只给一个方案的评价表。",
            )
        chosen_scheme = ws.registry.get(used.pop())
        kinds = {r.evaluation for r in records}
        chosen = _evaluation(
            chosen_scheme, evaluation or (kinds.pop() if len(kinds) == 1 else None)
        )
        years = sorted({r.year for r in records if r.year is not None})
        if chosen_year is None and len(years) > 1:
            chosen_year = years[-1]
            note(
                f"文件中有 {len(years)} 个年度的评分，按最近的 {chosen_year} 年度排名（可用 --year 指定）。"
            )
        elif chosen_year is None and years:
            chosen_year = years[0]
        weight_values = read_weights(weights, chosen) if weights is not None else None
        ranking = ranking_for_records(chosen_scheme, chosen, records, chosen_year, weight_values)
        city = chosen_scheme.city
    else:
        if loaded is None:
            raise UsageError(
                "没有名册，也没有给出评价表",
                hint="用 --roster 指定名册（评价表先用 cdo import 导入），或直接给出填好的评价表文件。",
            )
        chosen = _evaluation(loaded.scheme, evaluation)
        if chosen_year is None:
            years = sorted(
                {r.year for _key, entry in loaded.entries.values() for r in entry.evaluations
                 if r.evaluation == chosen.id}
            )  # fmt: skip
            if not years:
                raise UsageError(
                    f"名册 {loaded.name} 中没有{chosen.name}的评分记录",
                    hint="先用 cdo import 评价表.docx --write 导入填好的评价表，或直接给出评价表文件。",
                )
            chosen_year = years[-1]
            if len(years) > 1:
                note(
                    f"名册中有 {len(years)} 个年度的评分，按最近的 {chosen_year} 年度排名（可用 --year 指定）。"
                )
        weight_values = read_weights(weights, chosen) if weights is not None else None
        ranking = ranking_for_roster(loaded, chosen, chosen_year, weight_values)
        city = loaded.scheme.city
    if fmt == "json":
        out_bytes(ranking_json(ranking).encode("utf-8"))
    else:
        out(ranking_text(ranking, city))
