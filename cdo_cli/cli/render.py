"""``cdo render``: the attachment forms as Word, HTML or Markdown, blank or filled; report
skeletons (述职报告) and evaluation sheets (评价表) as Word or Markdown."""

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from .apps import command
from .common import default_rosters, note, out_bytes, say, shown, workspace


@command("render")
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
        bool,
        typer.Option(
            "--all",
            help="为该表适用的每个单位各生成一份，写入 -o 指定的文件夹；"
            "文件名带单位在名单中的序号（附件2-05-市公安局.docx），按名单顺序排列。",
        ),
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
            "不指定时按 -o 的扩展名判断，指定时须与 -o 的扩展名一致。",
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
            "以 / 结尾或已存在的文件夹按文件夹处理，不存在的文件夹会自动创建；"
            "文件的扩展名须与格式一致（.docx、.html、.md）；"
            "“-”表示输出到标准输出（仅 html、md）。",
            metavar="PATH",
        ),
    ] = None,
    redact: Annotated[
        bool,
        typer.Option(
            "--redact",
            help="隐去电话号码和电子邮箱的中间部分，生成可公开的版本（文件名带“（公开版）”）。",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="覆盖已存在的同名文件（整体替换；不覆盖符号链接、文件夹和设备）。"
        ),
    ] = False,
    year: Annotated[
        str | None,
        typer.Option(
            "--year", help="述职报告的年度（必填）或评价表的评价年度，如 2023。", metavar="YEAR"
        ),
    ] = None,
    weights: Annotated[
        Path | None,
        typer.Option(
            "--weights",
            help="评价表：评价单位提供的各项权重（.yaml 或 .csv），印在表上并注明由谁提供；"
            "不给时评价表没有权重栏。",
            metavar="FILE",
        ),
    ] = None,
) -> None:
    """生成附件表格（Word、网页或 Markdown）：空白表，或按名册填好的表。

    \b
    例：
      cdo render attachment2 --dept 市公安局
      cdo render attachment2 --all -o 报名表/
      cdo render attachment3 --format md -o -
      cdo render attachment --scheme zhaoqing --roster 名册.yaml --redact
      cdo render 述职报告 --dept 市公安局 --year 2023
      cdo render 评价表 --scheme huizhou --all -o 评价表/
    """
    from ..gc_pause import gc_paused
    from ..output import write_documents
    from ..render import plan_output, render_documents

    plan = plan_output(fmt, output, many=all_units)
    ws = workspace(ctx)
    rosters = default_rosters([roster] if roster else None)
    with gc_paused(kept=True):  # a roster: acyclic data that lives to the end (gc_pause.py)
        loaded = ws.valid_roster(rosters[0]) if rosters else None
    # Report skeletons (述职报告) and evaluation sheets (评价表) are rendered apart.
    from ..outline_render import classify, parse_year, render_outlines

    if scheme is None and loaded is None:  # the scheme is chosen among those that load
        for text in ws.registry.usable()[1]:
            note(f"注意：{text}")
    found = classify(ws.registry, form, scheme, loaded, roster is not None, dept)
    if found.kind != "form":
        result = render_outlines(
            found,
            dept=dept,
            all_units=all_units,
            roster=loaded,
            roster_given=roster is not None,
            fmt=plan.fmt,
            redact=redact,
            year=parse_year(year),
            weights_file=weights,
            today=dt.date.today(),
        )
    elif year is not None or weights is not None:
        flag = "--year" if year is not None else "--weights"
        raise UsageError(f"{flag} 只用于述职报告和评价表", hint=f"附件表格不用 {flag}，去掉即可。")
    else:
        with gc_paused(kept=True):  # the forms live to the end (gc_pause.py)
            result = render_documents(
                ws.registry,
                form,
                dept=dept,
                all_units=all_units,
                scheme_id=scheme,
                roster=loaded,
                roster_given=roster is not None,
                fmt=plan.fmt,
                redact=redact,
                today=dt.date.today(),
            )
    for text in result.notes:
        note(f"注意：{text}")
    if plan.destination.stdout:
        out_bytes(result.documents[0].data)
        return
    with gc_paused():  # thousands of documents, paths and names, no cycles among them
        documents = [(d.name, d.data) for d in result.documents]
        targets = write_documents(plan.destination, documents, force=force)
    blank = {"form": "空白表", "report": "提纲，未填述职人", "evaluation": "空白评价表"}[found.kind]
    source = f"按名册 {result.roster} 填写" if result.roster else blank
    if result.redacted:
        source += "，公开版：电话、邮箱已隐去中间部分"
    if all_units:
        folder = output or "当前文件夹"
        say(
            f"已生成 {len(targets)} 个文件（{result.form_label} {result.form_title}，"
            f"{result.fmt}，{source}）：{folder}"
        )
    else:
        say(f"已生成 {shown(targets[0])}（{source}）")
