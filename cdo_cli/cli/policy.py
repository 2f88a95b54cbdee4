"""``cdo policy list|show|check`` and ``cdo schema policy|roster``: the scheme files."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .apps import policy_command, schema_command
from .common import bad_format, out, out_bytes, report, workspace

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
) -> None:
    """显示一个方案：职位、单位、按日期排列的期限、附件。

    \b
    例：
      cdo policy show puning
      cdo policy show zhaoqing --format json > zhaoqing.json
    """
    if fmt not in ("text", "json"):
        raise bad_format(fmt, ["text", "json"])
    scheme = workspace(ctx).registry.get(name)
    if fmt == "json":
        import json

        from ..text import json_safe

        data = scheme.model_dump(mode="json")
        text = json_safe(json.dumps(data, ensure_ascii=False, indent=2))
        out_bytes((text + "\n").encode("utf-8"))
    else:
        from ..views import scheme_view

        out(scheme_view(scheme))


@policy_command("check")
def policy_check(
    files: Annotated[
        list[Path], typer.Argument(help="要检查的方案文件。", metavar="FILE", show_default=False)
    ],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text 或 json。", metavar="FORMAT")
    ] = "text",
) -> None:
    """检查方案文件：结构、引用，以及方案内部的矛盾（如期限早于印发日期）。

    有错误时退出码为 1；只有警告时为 0；文件无法读取时为 2。

    \b
    例：
      cdo policy check policies/shantou.yaml
    """
    from ..errors import CdoError
    from ..loading import display_name
    from ..policy_loading import check_file

    if fmt not in ("text", "json"):
        raise bad_format(fmt, ["text", "json"])
    findings: list[Finding] = []
    checked: list[str] = []
    unreadable: list[CdoError] = []
    for path in files:
        try:
            findings += check_file(path)[1]
            checked.append(display_name(path))
        except CdoError as exc:
            unreadable.append(exc)
    report(findings, fmt, checked, unreadable=unreadable)


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
