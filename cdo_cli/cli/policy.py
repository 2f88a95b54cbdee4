"""``cdo policy list|show|check`` and ``cdo schema policy|roster``: the scheme files."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .apps import policy_command, schema_command
from .common import as_of_date, bad_format, note, out, out_bytes, report, say, shown, workspace

if TYPE_CHECKING:
    from ..findings import Finding


@policy_command("list")
def policy_list(ctx: typer.Context) -> None:
    """列出找到的方案：城市、文号、印发日期，以及单位、职位、事项、附件的数量。

    有错误的方案文件也列出，并显示它的第一个问题（其他方案照常使用）。

    \b
    例：
      cdo policy list
      cdo --policies ./我的方案 policy list
    """
    from ..views import scheme_list_table

    registry = workspace(ctx).registry
    rows = []
    for scheme_id in registry.ids():
        problem = registry.problem(scheme_id)
        scheme = None if problem else registry.get(scheme_id)
        rows.append((scheme_id, scheme, registry.files[scheme_id].origin, problem))
    out(scheme_list_table(rows))


@policy_command("show")
def policy_show(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="方案 id，如 puning。", metavar="NAME")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", help="text：便于阅读；json：完整方案，供脚本使用。", metavar="FORMAT"
        ),
    ] = "text",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="分批推行的方案按哪一天的范围显示（text 格式），YYYY-MM-DD；默认今天。",
            metavar="DATE",
        ),
    ] = None,
) -> None:
    """显示一个方案：职位及其设在哪些单位、单位、按日期排列的期限、附件，以及推定和其他规则。

    其他规则（方案有才显示）：上级单位、分批纳入和扩大的时间、以“等”结尾的岗位列表、
    最少数量、单位属性，以及方案推定之处（标“（推定）”）和推定的理由。

    \b
    例：
      cdo policy show puning
      cdo policy show huizhou --as-of 2023-06-01
      cdo policy show zhaoqing --format json > zhaoqing.json
    """
    from ..errors import UsageError

    if fmt not in ("text", "json"):
        raise bad_format(fmt, ["text", "json"])
    if fmt == "json" and as_of is not None:
        raise UsageError(
            "--as-of 只用于 text 格式",
            hint="JSON 输出完整的方案，各单位、职位的 effective 和 expands 中写有日期。",
        )
    day = as_of_date(as_of)
    scheme = workspace(ctx).registry.get(name)
    if fmt == "json":
        import json

        from ..text import json_safe

        data = scheme.model_dump(mode="json")
        text = json_safe(json.dumps(data, ensure_ascii=False, indent=2))
        out_bytes((text + "\n").encode("utf-8"))
    else:
        from ..views import scheme_view

        out(scheme_view(scheme, day))


@policy_command("check")
def policy_check(
    files: Annotated[
        list[Path], typer.Argument(help="要检查的方案文件。", metavar="FILE", show_default=False)
    ],
    source: Annotated[
        Path | None,
        typer.Option(
            "--source",
            help="方案所依据文件的原文（纯文本，UTF-8 或 GBK）：逐条核对 quote。"
            "不写时用 document.seed 指明的原文（方案旁 sources/ 中或 cdo 自带的）。",
            metavar="原文.txt",
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text 或 json。", metavar="FORMAT")
    ] = "text",
) -> None:
    """检查方案文件：结构、引用、内部矛盾、尚未填写的 TODO，并在原文中核对每处引文。

    引文比较时忽略空格和换行；找不到的列出原文中最接近的一段。
    有错误时退出码为 1；只有警告时为 0；文件无法读取时为 2。

    \b
    例：
      cdo policy check shantou.yaml --source 原文.txt
      cdo policy check policies/*.yaml
    """
    from ..errors import CdoError, UsageError
    from ..loading import display_name
    from ..policy_loading import check_file
    from ..policy_quotes import read_document

    if fmt not in ("text", "json"):
        raise bad_format(fmt, ["text", "json"])
    if source is not None and len(files) > 1:
        raise UsageError(
            "--source 只能和一个方案文件一起用",
            hint="每个方案文件各自检查，或在 document.seed 写明原文。",
        )
    document = read_document(source) if source is not None else None
    findings: list[Finding] = []
    checked: list[str] = []
    unreadable: list[CdoError] = []
    for path in files:
        try:
            result = check_file(path, document=document)
        except CdoError as exc:
            unreadable.append(exc)
            continue
        findings += result.findings
        checked.append(display_name(path))
        if result.note:
            note(result.note)
        elif result.document and source is None:
            note(f"{display_name(path)}：引文已与原文 {shown(Path(result.document))} 核对")
    report(findings, fmt, checked, unreadable=unreadable)


@policy_command("new")
def policy_new(
    city: Annotated[
        str, typer.Option("--city", help="城市（或县、区、省）名称，如 汕头市。", metavar="CITY")
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="写到哪里：方案 id 加 .yaml（默认），或一个文件夹；- 为屏幕。",
            metavar="FILE",
        ),
    ] = None,
    scheme_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="方案 id：小写字母、数字和下划线，如 shantou；城市名是中文时必须写。",
            metavar="ID",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有文件。")] = False,
) -> None:
    """生成一份新方案的起始文件：各部分齐全，附中文填写说明，待填处标 TODO。

    生成的文件可以直接用 cdo policy check 检查，尚未填写的地方逐条列出；写法见《方案编写指南》（docs/方案编写指南.md）。

    \b
    例：
      cdo policy new --city 汕头市 --id shantou
      cdo policy new --city 汕头市 -o 方案/shantou.yaml
    """
    from ..output import NewFile, is_folder_path, write_files
    from ..policy_template import check_city, choose_id, policy_template, target_path

    town = check_city(city)
    to_stdout = output == "-"
    given = None if output is None or to_stdout else Path(output)
    folder = output is not None and not to_stdout and is_folder_path(output)
    chosen = choose_id(town, scheme_id, None if folder else given)
    target = target_path(chosen, given, folder=folder)
    text = policy_template(town, chosen, target.name)
    if to_stdout:
        out_bytes(text.encode("utf-8"))
        return
    write_files([NewFile(target, text.encode("utf-8"))], force=force)
    say(f"已生成方案起始文件：{target}（{town}，方案 id：{chosen}）")
    say(
        "照原文填写标 TODO 的地方；写法见 docs/方案编写指南.md，完整的例子：cdo policy export puning"
    )
    say(f"随时检查还有哪些没填：cdo policy check {target} --source 原文.txt")


@policy_command("export")
def policy_export(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="方案 id，如 puning。", metavar="NAME")],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="写到哪里（默认 NAME.yaml；可为文件夹）；- 为屏幕。",
            metavar="FILE",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有文件。")] = False,
) -> None:
    """复制一个方案文件（内置的或 --policies 中的），原样保留注释，作为新方案的起点。

    \b
    例：
      cdo policy export puning
      cdo policy export zhaoqing -o 我的方案/
      cdo policy export huizhou -o -
    """
    from ..errors import UnreadableError, os_reason
    from ..output import NewFile, is_folder_path, write_files

    found = workspace(ctx).registry.file(name)
    try:
        data = found.path.read_bytes()
    except OSError as exc:
        raise UnreadableError(f"方案文件无法读取：{found.path}（{os_reason(exc)}）") from None
    if output == "-":
        out_bytes(data)
        return
    if output is None or is_folder_path(output):
        target = Path(output or ".") / f"{found.id}.yaml"
    else:
        target = Path(output)
    write_files([NewFile(target, data)], force=force)
    say(f"已复制方案 {found.id}（来自 {found.origin}）到 {target}")
    if target.stem == found.id:
        say(
            "作为新方案的起点：改 id 并把文件改名为“新 id.yaml”，再照本市文件改写；"
            "检查：cdo policy check 新id.yaml --source 原文.txt"
        )
    else:
        say(
            f"把文件中的 id: {found.id} 改为 id: {target.stem}（文件名即方案 id），再照本市文件改写。"
        )


@schema_command("policy")
def schema_policy() -> None:
    """方案文件的 JSON Schema。

    \b
    例：
      cdo schema policy > policy.schema.json
    """
    from ..schema import policy_schema, to_json

    out_bytes(to_json(policy_schema()))


@schema_command("roster")
def schema_roster(
    ctx: typer.Context,
    scheme: Annotated[
        str | None,
        typer.Option(
            "--scheme", help="按某方案列出可选的单位名称、职位和事项，便于补全。", metavar="NAME"
        ),
    ] = None,
) -> None:
    """名册文件的 JSON Schema。

    在名册第一行写 `# yaml-language-server: $schema=roster.schema.json`，
    编辑器（VS Code 的 YAML 插件等）即可补全和检查。

    \b
    例：
      cdo schema roster --scheme puning > roster.schema.json
    """
    from ..schema import roster_schema, to_json

    chosen = workspace(ctx).registry.get(scheme) if scheme else None
    out_bytes(to_json(roster_schema(chosen)))
