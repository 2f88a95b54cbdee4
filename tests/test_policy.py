"""cdo policy list / show / check, schemas, help and version."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cdo_cli import __version__
from cdo_cli.cli import app
from cdo_cli.policy_loading import Registry
from conftest import ROOT


def test_schemes_counts_and_dates() -> None:
    registry = Registry()
    puning, zhaoqing, huizhou = (registry.get(i) for i in ("puning", "zhaoqing", "huizhou"))
    assert len([u for u in puning.units if "attachment3" in u.tags]) == 36
    assert puning.document.doc_number == "普数改〔2023〕2号"
    assert huizhou.document.doc_number == "惠府办函〔2022〕56号"
    assert zhaoqing.document.doc_number is None
    assert len([u for u in zhaoqing.units if u.pilot and u.kind.value == "county"]) == 5
    assert len([u for u in zhaoqing.units if u.pilot and u.kind.value != "county"]) == 9
    assert len([u for u in huizhou.units if u.pilot and u.kind.value == "county"]) == 3
    assert len([u for u in huizhou.units if u.pilot and u.kind.value != "county"]) == 10
    dates = {s.id: {str(o.due.date) for o in s.obligations if o.due and o.due.date}
             for s in (puning, zhaoqing, huizhou)}  # fmt: skip
    assert {"2023-10-20", "2023-10-30"} <= dates["puning"]
    assert {"2021-10-31", "2022-04-30"} <= dates["zhaoqing"]
    assert {"2022-08-31", "2023-04-30", "2023-12-31"} <= dates["huizhou"]
    assert len(zhaoqing.named_officers) == 16
    assert [f.id for f in puning.forms] == ["attachment1", "attachment2", "attachment3"]
    assert [f.id for f in zhaoqing.forms] == ["attachment"]
    # An assumed date always says why.
    for scheme in (puning, zhaoqing, huizhou):
        for o in scheme.obligations:
            if o.due and o.due.assumed:
                assert o.due.assumption


def test_aliases_resolve() -> None:
    registry = Registry()
    puning = registry.get("puning").unit_index()
    assert puning["市商务局"].name == "市工业和信息化局（市商务局）"
    huizhou = registry.get("huizhou").unit_index()
    assert huizhou["人力资源社会保障局"].name == "市人力资源社会保障局"


def test_policy_list_shows_every_scheme(cli) -> None:
    result = cli("policy", "list")
    assert result.exit_code == 0
    for text in (
        "puning",
        "普数改〔2023〕2号",
        "2023-10-24",
        "zhaoqing",
        "惠府办函〔2022〕56号",
        "内置",
    ):
        assert text in result.output


def test_policy_show_text(cli) -> None:
    result = cli("policy", "show", "puning")
    assert result.exit_code == 0
    out = result.output
    assert "市政府首席数据官" in out and "规划岗位" in out
    assert out.index("2023-10-20") < out.index("2023-10-30")  # deadlines in date order
    assert "普宁市部门首席数据官和联系人报名表" in out


def test_policy_show_json_is_utf8(cli) -> None:
    result = cli("policy", "show", "huizhou", "--format", "json")
    assert result.exit_code == 0
    assert "惠州市" in result.output  # not \\u-escaped
    data = json.loads(result.output)
    assert data["id"] == "huizhou"
    assert data["document"]["issued"] == "2022-05-25"


def test_policy_show_unknown_scheme(cli) -> None:
    result = cli("policy", "show", "puing")
    assert result.exit_code == 2
    assert "puning" in result.output


def test_policy_check_builtins_pass_with_puning_warning(cli) -> None:
    files = [str(p) for p in sorted((ROOT / "policies").glob("*.yaml"))]
    result = cli("policy", "check", *files)
    assert result.exit_code == 0, result.output
    assert "0 个错误" in result.output
    assert "due-before-issue" in result.output and "2023-10-20" in result.output


def _copy_puning(
    tmp_path: Path, replace: tuple[str, str] | None = None, name: str = "puning"
) -> Path:
    text = (ROOT / "policies" / "puning.yaml").read_text(encoding="utf-8")
    if replace:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1], 1)
    path = tmp_path / "pol" / f"{name}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("replace", "expect"),
    [
        (("issued: 2023-10-24", "issued: 2023-13-45"), "不是有效的日期"),
        (("kind: department", "kind: departmnt"), "不是允许的取值"),
        (("id: puning", "id: puning\nciti: 普宁"), "未知的键“citi”"),
        (("city: 普宁市", "city: 普宁市\ncity: 普宁"), "重复的键“city”"),
        (("city: 普宁市", "city: [普宁市"), "YAML 语法错误"),
        (("required: true", "required: 不是"), "应为 true 或 false"),
    ],
)
def test_policy_check_reports_position(cli, tmp_path: Path, replace, expect) -> None:
    path = _copy_puning(tmp_path, replace)
    result = cli("policy", "check", str(path))
    assert result.exit_code == 1, result.output
    assert expect in result.output
    assert f"{path}" in result.output
    line = next(ln for ln in result.output.splitlines() if "错误" in ln)
    assert line.strip()[0].isdigit()  # "line:column" leads the finding


def test_policy_check_unknown_key_suggests(cli, tmp_path: Path) -> None:
    path = _copy_puning(tmp_path, ("id: puning", "id: puning\ncitty: 普宁"))
    result = cli("policy", "check", str(path))
    assert "是否应为“city”" in result.output


def test_policy_check_contradictions(cli, tmp_path: Path) -> None:
    path = _copy_puning(tmp_path, ("      - 普宁市人民政府\n", "      - 普宁市人民政付\n"))
    result = cli("policy", "check", str(path))
    assert "unit-unknown" in result.output or "duty-out-of-scope" in result.output
    assert "普宁市人民政府" in result.output  # suggestion


def test_policy_check_bad_files(cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("id: 普宁\n".encode("gb18030"))
    result = cli("policy", "check", str(empty), str(gbk))
    assert result.exit_code == 1
    assert "文件是空的" in result.output
    assert "不是 UTF-8" in result.output and "GB" in result.output
    missing = cli("policy", "check", str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 2
    assert "不存在" in missing.output


def test_policies_override_and_env(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _copy_puning(tmp_path, ("city: 普宁市", "city: 普宁市（测试）"))
    result = cli("--policies", str(path.parent), "policy", "list")
    assert "普宁市（测试）" in result.output and "--policies" in result.output
    monkeypatch.setenv("CDO_POLICIES", str(path.parent))
    result = cli("policy", "list")
    assert "普宁市（测试）" in result.output and "CDO_POLICIES" in result.output
    bad = cli("--policies", str(tmp_path / "nowhere"), "policy", "list")
    assert bad.exit_code == 2 and "不存在" in bad.output


def test_schema_commands(cli) -> None:
    policy = json.loads(cli("schema", "policy").output)
    assert policy["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "units" in policy["properties"]
    roster = json.loads(cli("schema", "roster", "--scheme", "puning").output)
    assert "市公安局" in roster["properties"]["units"]["propertyNames"]["enum"]


def test_version(cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"cdo {__version__}"


def _commands(group, prefix=()):  # type: ignore[no-untyped-def]
    import typer.main

    click_group = typer.main.get_command(group)
    for name, command in click_group.commands.items():  # type: ignore[attr-defined]
        if hasattr(command, "commands"):
            for sub in command.commands:
                yield (*prefix, name, sub)
        else:
            yield (*prefix, name)


def test_every_command_has_help_with_example(cli) -> None:
    commands = list(_commands(app))
    assert len(commands) >= 7
    for command in commands:
        result = cli(*command, "--help")
        assert result.exit_code == 0, command
        assert "例：" in result.output, command
        assert "cdo " in result.output.split("例：")[1], command


def test_no_traceback_for_unknown_command(cli) -> None:
    result = cli("nonsense")
    assert result.exit_code == 2


def test_installed_script_help_is_lean() -> None:
    """The installed ``cdo`` prints help without importing command-only libraries."""
    import subprocess
    import sys

    exe = shutil.which("cdo")
    code = (
        "import sys, runpy; sys.argv=['cdo','--help'];\n"
        "from cdo_cli.cli import app as main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy=[m for m in ('pydantic','rich','docx','jinja2','icalendar','ruamel.yaml','phonenumbers') if m in sys.modules]\n"
        "print('HEAVY', heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8"
    )
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr
    if exe:
        run = subprocess.run([exe, "--version"], capture_output=True, text=True, encoding="utf-8")
        assert run.returncode == 0 and __version__ in run.stdout


def test_policy_show_lists_obligation_ids(cli) -> None:
    out = cli("policy", "show", "puning").output
    for obligation in ("city_contact_form", "dept_contact_form", "dept_cdo_annual_report"):
        assert obligation in out
    assert "（序号）" in out and "index" not in out
