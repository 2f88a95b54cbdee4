"""The command groups and the root options; the commands themselves are in the sibling modules.

Typer builds a pydantic adapter for an option when it first parses it, and the root's
``--policies`` is parsed before every subcommand's ``--help``, which then took 2.6 times
as long as ``cdo --help``: the root group gives that one option a plain converter.
"""

from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from .. import __version__
from .shell import CdoCommand, CdoGroup


class _Paths:
    """Turns ``--policies`` values into paths without typer's pydantic adapter.

    The root's options are parsed before any subcommand runs, its ``--help`` included.
    """

    def coerce(self, value: Any, param: Any, ctx: Any) -> list[Path]:
        return [Path(v) for v in value or ()]


class RootGroup(CdoGroup):
    """The ``cdo`` group, with the options that go before any subcommand."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if param.name == "policies":
                param._runtime_param = _Paths()  # type: ignore[attr-defined]


_SETTINGS = {"help_option_names": ["-h", "--help"]}

app = typer.Typer(
    cls=RootGroup,
    name="cdo",
    help=(
        "首席数据官制度工具：方案、名册、逾期报送与附件表格。\n\n"
        "Tools for Guangdong cities' Chief Data Officer schemes.\n\n"
        "\b\n例：\n  cdo policy list\n  cdo init --scheme puning -o roster.yaml\n"
        "  cdo validate roster.yaml\n  cdo import 回收/*.docx --write\n"
        "  cdo record filing dept_contact_form --unit 市公安局 --date 2023-10-28\n"
        "  cdo overdue --as-of 2023-11-01\n"
        "  cdo report --as-of 2023-11-01\n"
        "  cdo render attachment2 --dept 市公安局\n\n"
        "退出码：0 正常；1 有问题（名册有错误、--check 时有逾期）；2 无法完成（用法、文件、名称有误）。"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings=_SETTINGS,
)
policy_app = typer.Typer(
    cls=CdoGroup,
    help="查看和检查方案文件（policies/*.yaml）。",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=_SETTINGS,
)
schema_app = typer.Typer(
    cls=CdoGroup,
    help="输出 JSON Schema（draft 2020-12），供编辑器补全和检查。",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=_SETTINGS,
)
record_app = typer.Typer(
    cls=CdoGroup,
    help="记录报送和任免，不用手工修改名册。",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings=_SETTINGS,
)
app.add_typer(record_app, name="record")
app.add_typer(policy_app, name="policy")
app.add_typer(schema_app, name="schema")

# Every command's help page is translated (CdoCommand).
command = partial(app.command, cls=CdoCommand)
policy_command = partial(policy_app.command, cls=CdoCommand)
schema_command = partial(schema_app.command, cls=CdoCommand)
record_command = partial(record_app.command, cls=CdoCommand)


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
            help="另外的方案文件夹（可多次指定，写在子命令之前）；同 id 的方案覆盖内置方案。"
            "也可用环境变量 CDO_POLICIES（路径列表）。",
            metavar="DIR",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", help="显示版本并退出。", callback=_version, is_eager=True),
    ] = False,
) -> None:
    """首席数据官制度工具。"""
    ctx.ensure_object(dict)["policies"] = list(policies or [])
