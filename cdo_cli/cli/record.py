"""``cdo import``, ``cdo record filing|appoint`` and ``cdo history``: keeping the roster.

Each change is shown first (+ added, ~ changed, - removed), validated as ``cdo validate``
validates, and written in place: comments and layout kept, the previous file kept as a
backup beside it. ``--dry-run`` (record) or leaving out ``--write`` (import) only shows.
"""

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import CdoError, ExitCode, NotFoundError, UnreadableError, UsageError
from .apps import command, record_command
from .common import bad_format, color, default_rosters, note, out, out_bytes, parse_date, workspace

if TYPE_CHECKING:
    from ..findings import Finding
    from ..policy import Role, Scheme
    from ..records import ImportedFile
    from ..roster_edit import Ledger
    from ..roster_plan import Plan

RosterOption = Annotated[
    Path | None,
    typer.Option("--roster", "-r", help="名册文件；默认当前文件夹的 roster.yaml。", metavar="FILE"),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="只显示将作的修改，不写入。")]
UnitOption = Annotated[
    str, typer.Option("--unit", "-u", help="单位（全称或文件中的其他写法）。", metavar="NAME")
]
DateOption = Annotated[str, typer.Option("--date", help="日期，YYYY-MM-DD。", metavar="DATE")]


def _roster_path(roster: Path | None) -> Path:
    found = default_rosters([roster] if roster else None)
    if not found:
        raise UsageError(
            "没有名册：当前文件夹没有 roster.yaml",
            hint="用 --roster 指定名册，或先运行 cdo init --scheme 方案 生成名册。",
        )
    return found[0]


def _open(ctx: typer.Context, roster: Path | None) -> "Ledger":
    from ..roster_edit import open_ledger

    return open_ledger(_roster_path(roster), workspace(ctx).registry)


# A hostile or badly typed file can give a note per line; the terminal shows this many.
_NOTES_SHOWN = 50


def _commit(ledger: "Ledger", plan: "Plan", on: dt.date, mode: str, fmt: str = "text") -> None:
    """Show the plan; then, for ``check`` and ``write``, apply and prove it; ``write`` saves.

    ``show`` only shows (exit 0). A plan with conflicts or problems is not applied (exit 1).
    After writing, the roster's errors are listed and its warnings counted.
    """
    from ..findings import Severity
    from ..findings_format import findings_text
    from ..plan_format import plan_json, plan_text
    from ..roster_plan import propose_plan, refuse_invalid_units

    refuse_invalid_units(ledger, plan)
    # The plan and the outcome are the command's output; with JSON on standard output,
    # the outcome goes to standard error.
    say = note if fmt == "json" else (lambda text: out(text + "\n"))
    if fmt == "json":
        out_bytes(plan_json(plan).encode("utf-8"))
    else:
        out(plan_text(plan, color=color()))
    for text in plan.notes[:_NOTES_SHOWN]:
        note(text)
    if len(plan.notes) > _NOTES_SHOWN:
        hidden = len(plan.notes) - _NOTES_SHOWN
        note(f"……另有 {hidden} 条说明未显示（加 --format json 可看全部）。")
    if mode == "show" or (plan.empty and not plan.blocked):
        return
    proposal = propose_plan(ledger, plan, on)
    if mode == "check":
        say("（--dry-run：检查通过，未写入）")
        return
    if not proposal.changed:
        say("名册内容没有变化，未写入。")
        return
    saved = ledger.save(proposal, dt.datetime.now())
    say(f"已写入 {ledger.name}（原文件备份为 {saved.backup}）")
    if proposal.reformatted:
        note("注意：名册的缩进不统一，已按统一格式重写（内容和注释不变）。")
    errors = [f for f in proposal.findings if f.severity is Severity.error]
    warnings = len(proposal.findings) - len(errors)
    if errors:
        say(findings_text(errors, [ledger.name]).rstrip())
    say(
        f"名册检查：{len(errors)} 个错误，{warnings} 个警告"
        f"（运行 cdo validate {ledger.name} 查看全部）"
    )
    if errors:
        raise typer.Exit(ExitCode.FINDINGS)


def _role(scheme: "Scheme", unit: Any, key: str) -> tuple["Role", "Finding | None"]:
    """The role given on the command line (id, or a name unique in the unit), else exit 2.

    A post beyond a list the document ends with 等 is taken, with validate's warning.
    """
    from ..roster_checks import role_problem
    from ..roster_plan import other_post

    role = scheme.role(key)
    if role is None:
        named = [
            r for r in scheme.roles if key in (r.name, *r.aliases) and r.applies(unit) is not False
        ]
        if len(named) == 1:
            role = named[0]
        elif not named and (other := other_post(scheme, unit, key)) is not None:
            return other
    # Any stage of the role's scope and any value of an attribute: record what happened.
    if role is None or role.applies(unit) is False:
        found = role_problem(scheme, unit, key)
        raise NotFoundError(found.message, found.hint)
    return role, None


@record_command("filing")
def record_filing(
    ctx: typer.Context,
    obligation: Annotated[
        str,
        typer.Argument(
            help="事项 id，如 dept_contact_form（见 cdo policy show）。", metavar="OBLIGATION"
        ),
    ],
    unit: UnitOption,
    date: Annotated[str, typer.Option("--date", help="报送日期，YYYY-MM-DD。", metavar="DATE")],
    period: Annotated[
        int | None,
        typer.Option(
            "--period", help="年度事项的年份，如 2023。", metavar="YEAR", min=1900, max=2200
        ),
    ] = None,
    note_text: Annotated[
        str | None, typer.Option("--note", help="备注，如文号。", metavar="TEXT")
    ] = None,
    roster: RosterOption = None,
    dry_run: DryRun = False,
) -> None:
    """记录一项报送：写入名册中该单位的 filings，cdo overdue 随即不再列为逾期。

    先检查再写入：事项、单位不存在（退出码 2），日期早于方案印发、单位不承担该事项
    （退出码 1，与 cdo validate 的提示相同）时不写入。名册的注释和格式保留，原文件备份在旁边。

    \b
    例：
      cdo record filing dept_contact_form --unit 市公安局 --date 2023-10-28
      cdo record filing dept_cdo_annual_report --unit 市公安局 --period 2023 --date 2023-12-20
      cdo record filing dept_contact_form --unit 市公安局 --date 2023-10-28 --dry-run
    """
    from ..lookup import find_units
    from ..roster import Filing
    from ..roster_checks import obligation_unknown
    from ..roster_plan import plan_filing

    day = parse_date(date, "--date")
    ledger = _open(ctx, roster)
    scheme = ledger.loaded.scheme
    chosen = find_units([scheme], unit.strip())[scheme.id]
    if scheme.obligation(obligation) is None:
        found = obligation_unknown(scheme, obligation)
        raise NotFoundError(found.message, found.hint)
    filing = Filing(obligation=obligation, period=period, date=day, note=note_text)
    plan = plan_filing(ledger.loaded, chosen, filing)
    _commit(ledger, plan, day, "check" if dry_run else "write")


@record_command("appoint")
def record_appoint(
    ctx: typer.Context,
    unit: UnitOption,
    role: Annotated[
        str,
        typer.Option("--role", help="职位 id，如 dept_cdo（见 cdo policy show）。", metavar="ROLE"),
    ],
    name: Annotated[str, typer.Option("--name", help="姓名。", metavar="NAME")],
    date: Annotated[str, typer.Option("--date", help="任命日期，YYYY-MM-DD。", metavar="DATE")],
    title: Annotated[
        str | None, typer.Option("--title", help="职务，如 副局长。", metavar="TEXT")
    ] = None,
    phone: Annotated[
        str | None, typer.Option("--phone", help="联系电话。", metavar="PHONE")
    ] = None,
    email: Annotated[
        str | None, typer.Option("--email", help="电子邮箱。", metavar="EMAIL")
    ] = None,
    office: Annotated[
        str | None, typer.Option("--office", help="科室（股室）。", metavar="TEXT")
    ] = None,
    qualification: Annotated[
        str | None, typer.Option("--qualification", help="资质（支撑团队）。", metavar="TEXT")
    ] = None,
    replace: Annotated[
        str | None,
        typer.Option(
            "--replace", help="可设多人的职位中，由新任者接替的人（姓名）。", metavar="NAME"
        ),
    ] = None,
    roster: RosterOption = None,
    dry_run: DryRun = False,
) -> None:
    """记录一项任命：新任者写入名册，原任者连同卸任日期移入该单位的 history，不删除。

    只设 1 人的职位：原任者卸任，卸任日期即 --date（同一任免文件）。可设多人的职位（如支撑团队）：
    新任者加入；用 --replace 指定被接替的人时，此人移入 history。任命已在任的同一人时，只更新给出的信息。
    单位、职位不存在时退出码 2；日期早于方案印发、电话邮箱无效等（与 cdo validate 相同）时退出码 1，不写入。

    \b
    例：
      cdo record appoint --unit 市公安局 --role dept_cdo --name 张三 --title 副局长 --phone 13800138000 --date 2024-03-01
      cdo record appoint --unit 市公安局 --role support_data --name 钱八 --replace 钱七 --date 2024-03-01
      cdo history --unit 市公安局
    """
    from ..cell_text import clean_value
    from ..lookup import find_units
    from ..roster import Person
    from ..roster_plan import plan_appointment, warn

    day = parse_date(date, "--date")
    ledger = _open(ctx, roster)
    scheme = ledger.loaded.scheme
    chosen = find_units([scheme], unit.strip())[scheme.id]
    post, unlisted = _role(scheme, chosen, role.strip())
    # Cleaned as a form's cells are: "张 三" is 张三, as it will be on the forms that follow.
    if not clean_value(name):
        raise UsageError("--name 不能为空")
    person = Person(
        name=clean_value(name),
        title=clean_value(title) if title is not None else None,
        phone=phone,
        email=email,
        office=clean_value(office) if office is not None else None,
        qualification=qualification,
        appointed=day,
    )
    plan = plan_appointment(ledger.loaded, chosen, post, person, replace=replace)
    if unlisted is not None:
        warn(plan, unlisted)
    _commit(ledger, plan, day, "check" if dry_run else "write")


# What reads each kind of file: (module in cdo_cli, function).
READERS = {
    ".docx": ("form_reading", "read_docx"),
    ".xlsx": ("sheet_reading", "read_sheet"),
    ".xlsm": ("sheet_reading", "read_sheet"),
    ".csv": ("sheet_reading", "read_sheet"),
}
_OLD_FORMATS = {".doc": ".docx", ".wps": ".docx", ".xls": ".xlsx", ".et": ".xlsx"}


def reader_for(path: Path) -> Any:
    """The function that reads ``path`` (by its extension), imported when first needed."""
    import importlib

    suffix = path.suffix.lower()
    if suffix in _OLD_FORMATS:
        new = _OLD_FORMATS[suffix]
        raise UsageError(
            f"{path}：不能直接读取旧的 {suffix} 格式",
            hint=f"请在 Word、WPS 或 Excel 中“另存为” {new}；"
            f"或用 LibreOffice 转换：soffice --headless --convert-to {new[1:]} {path}",
        )
    if suffix not in READERS:
        raise UsageError(
            f"{path}：不能导入“{suffix or '没有扩展名'}”类型的文件",
            hint="可导入 Word 表格（.docx）和表格文件（.xlsx、.csv）。",
        )
    module_name, function = READERS[suffix]
    full = f"cdo_cli.{module_name}"
    try:
        module = importlib.import_module(full)
    except ModuleNotFoundError as exc:
        if exc.name == full:
            raise NotFoundError(
                f"这个版本的 cdo 还不能读取 {suffix} 文件（缺少 {full}）",
                hint="请升级 cdo。",
            ) from None
        raise NotFoundError(
            f"读取 {suffix} 文件需要的程序包 {exc.name} 没有安装",
            hint=f"运行：pip install {exc.name}",
        ) from None
    return getattr(module, function)


# Word, Excel and WPS keep a small "owner file" ~$name beside a document they have open;
# a folder's *.docx takes it in with the forms.
_OWNER_FILE_BYTES = 1024


def _owner_file(path: Path) -> bool:
    """True for the ~$ lock file an Office program leaves beside an open document."""
    try:
        return path.name.startswith("~$") and path.stat().st_size <= _OWNER_FILE_BYTES
    except OSError:
        return False


@command("import")
def import_cmd(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            help="填好的 Word 表格（.docx）或表格文件（.xlsx、.csv）。",
            metavar="FILE",
            show_default=False,
        ),
    ],
    roster: RosterOption = None,
    write: Annotated[
        bool, typer.Option("--write", help="写入名册（不加时只显示将作的修改）。")
    ] = False,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="被替换或移除的人员的卸任日期，也是接任者的任命日期（表格未填时），"
            "YYYY-MM-DD；不给时卸任日期为今天，任命日期不填。",
            metavar="DATE",
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="修改预览的格式：text 或 json。", metavar="FORMAT")
    ] = "text",
) -> None:
    """把各单位交回的表格导入名册：先按单位显示新增、修改（原 → 新）、移除，加 --write 才写入。

    不会悄悄替换：职位已有另一人时显示为修改，原任者移入 history；两份文件给同一职位填了不同的人
    时为冲突，列出两处来源，不写入（退出码 1）。同一文件导入两次不会有变化。写入前按 cdo validate
    检查，名册的注释和格式保留，原文件备份在旁边。

    \b
    例：
      cdo import 回收/*.docx
      cdo import 回收/*.docx 汇总表.xlsx --write
      cdo import 名单.csv --roster 名册.yaml --format json
    """
    from ..roster_plan import date_successors, plan_import
    from ..text import visible
    from .shell import print_error

    if fmt not in ("text", "json"):
        raise bad_format(fmt, ["text", "json"])
    on = parse_date(date, "--date") if date is not None else dt.date.today()
    ledger = _open(ctx, roster)
    imported: list[ImportedFile] = []
    failed: list[CdoError] = []
    for path in files:
        try:
            if path.is_dir():
                raise UnreadableError(
                    f"{visible(str(path))} 是文件夹，不是文件",
                    hint=f"导入其中的表格：cdo import {visible(str(path / '*.docx'))}"
                    "（或 *.xlsx、*.csv）",
                )
            if _owner_file(path):
                note(f"{visible(str(path))} 是 Word 或 WPS 打开文件时留下的临时文件，已跳过。")
                continue
            if not path.exists():
                raise UnreadableError(
                    f"{visible(str(path))}: 文件不存在",
                    hint="请检查文件名和所在的文件夹；文件名中有空格时，把整个路径放在引号中。",
                )
            read = reader_for(path)
            result = read(path, ledger.registry, scheme_id=ledger.loaded.scheme.id)
        except CdoError as exc:
            failed.append(exc)
            continue
        if result.empty and not result.notes:  # a reader that found nothing says why
            note(f"{path}：表格是空的，没有可导入的内容。")
        imported.append(result)
    plan = plan_import(ledger.loaded, imported, ledger.loaded.scheme)
    if date is not None:
        date_successors(plan, on)
    if failed and write:
        _commit(ledger, plan, on, "show", fmt)
        for problem in failed:
            print_error(problem.message, problem.hint)
        raise UsageError("有文件无法读取，名册未改动", hint="改正或去掉这些文件后重新运行。")
    _commit(ledger, plan, on, "write" if write else "show", fmt)
    for problem in failed[:-1]:
        print_error(problem.message, problem.hint)
    if failed:
        raise failed[-1]


@command("history")
def history(
    ctx: typer.Context,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit", "-u", help="只看一个单位（全称或文件中的其他写法）。", metavar="NAME"
        ),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="只看一个人（姓名）。", metavar="NAME")
    ] = None,
    roster: RosterOption = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text 或 json。", metavar="FORMAT")
    ] = "text",
) -> None:
    """谁在什么时候担任什么职位：名册中的现任者和 history 中的原任者，按单位和职位列出。

    \b
    例：
      cdo history --unit 市公安局
      cdo history --name 张三
      cdo history --format json > 任职记录.json
    """
    from ..history import tenures, tenures_json, tenures_text
    from ..lookup import find_units

    if fmt not in ("text", "json"):
        raise bad_format(fmt, ["text", "json"])
    loaded = workspace(ctx).valid_roster(_roster_path(roster))
    chosen = find_units([loaded.scheme], unit.strip())[loaded.scheme.id] if unit else None
    items = tenures(loaded, unit=chosen, name=name.strip() if name else None)
    if fmt == "json":
        out_bytes(tenures_json(items, loaded.name).encode("utf-8"))
    else:
        out(tenures_text(items, loaded.name))
