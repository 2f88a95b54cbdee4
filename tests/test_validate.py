"""cdo init and cdo validate: every finding code and every hostile input, through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = """
scheme: puning
units:
  普宁市人民政府:
    officers:
      city_cdo: {name: 王五, title: 副市长, phone: 0663-6186213, email: ww@example.cn}
      city_contact: {office: 综合股, name: 赵六, title: 股长, phone: "13800138000"}
    filings:
      - {obligation: city_contact_form, date: 2023-10-25}
  市公安局:
    officers:
      dept_cdo: {name: 张三, title: 副局长, phone: 0663-8888888}
      dept_contact: {office: 科技信息化科, name: 李四, title: 科长, phone: 13912345678}
      support_data:
        - {name: 钱七, title: 科员, qualification: 计算机专业}
    filings:
      - {obligation: dept_contact_form, date: 2023-10-28}
      - {obligation: dept_cdo_annual_report, period: 2023, date: 2023-12-20}
"""


def _codes(result) -> list[str]:  # type: ignore[no-untyped-def]
    data = json.loads(result.output)
    return [f["code"] for f in data["findings"]]


def _finding(result, code: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    data = json.loads(result.output)
    return next(f for f in data["findings"] if f["code"] == code)


def test_validate_good_roster_has_no_errors(cli, write) -> None:
    write("roster.yaml", GOOD)
    result = cli("validate", "roster.yaml")
    assert result.exit_code == 0, result.output
    assert "0 个错误" in result.output
    assert "unit-missing" in result.output  # the other 35 units
    strict = cli("validate", "roster.yaml", "--strict")
    assert strict.exit_code == 1


def test_validate_summary_per_kind(cli, write) -> None:
    write("roster.yaml", GOOD)
    result = cli("validate", "roster.yaml")
    assert "本级政府：完整 1，不完整 0，缺失 0" in result.output
    assert "政府部门：完整 1，不完整 0，缺失 25" in result.output
    data = json.loads(cli("validate", "roster.yaml", "--format", "json").output)
    assert data["summary"]["roster.yaml"]["本级政府"] == {
        "complete": 1,
        "incomplete": 0,
        "missing": 0,
    }


@pytest.mark.parametrize(
    ("before", "after", "code", "text"),
    [
        ("  市公安局:", "  市公安厅:", "unit-unknown", "市公安局"),
        ("  市公安局:", "  普宁市政府:", "unit-duplicate", "普宁市人民政府"),
        ("      dept_cdo: {", "      dept_cdoo: {", "role-unknown", "dept_cdo"),
        ("      dept_cdo: {", "      city_cdo: {", "role-not-allowed", "不设"),
        ("0663-8888888}", "0663-8888888}\n      dept_contact2: x", "roster-invalid", ""),
        ("phone: 0663-8888888", "phone: 0663-888", "phone-invalid", "0663-888"),
        ("email: ww@example.cn", "email: ww.example.cn", "email-invalid", "@"),
        ("date: 2023-10-28", "date: 2023-13-45", "roster-invalid", "2023-13-45"),
        (
            "obligation: dept_contact_form",
            "obligation: city_contact_form",
            "filing-not-owed",
            "不承担",
        ),
        (
            "obligation: dept_contact_form",
            "obligation: dept_contact_fom",
            "obligation-unknown",
            "dept_contact_form",
        ),
        ("date: 2023-10-28", "date: 2023-01-28", "filing-before-issue", "2023-10-24"),
        ("period: 2023,", "period: 2021,", "filing-period", "2021"),
        ("name: 李四", "name: 张三", "posts-kept-apart", "张三"),
        ("title: 副局长", "title: 四级调研员", "eligibility-question", "四级调研员"),
        (", qualification: 计算机专业", "", "qualification-missing", "资质"),
        (
            "      dept_contact: {office: 科技信息化科, name: 李四, title: 科长, phone: 13912345678}\n",
            "",
            "role-missing",
            "工作联系人",
        ),
        ("units:", "units:\n  市财政局: {}\n", "role-missing", "市财政局"),
    ],
)
def test_validate_finding_codes(cli, write, before, after, code, text) -> None:
    assert before in GOOD
    write("roster.yaml", GOOD.replace(before, after, 1))
    result = cli("validate", "roster.yaml", "--format", "json")
    codes = _codes(result)
    assert code in codes, result.output
    finding = _finding(result, code)
    assert text in finding["message"] + (finding["hint"] or "")
    assert finding["line"] and finding["column"]
    errors = json.loads(result.output)["errors"]
    assert result.exit_code == (1 if errors else 0)


def test_validate_too_many_holders(cli, write) -> None:
    write("roster.yaml", GOOD.replace(
        "      dept_cdo: {name: 张三, title: 副局长, phone: 0663-8888888}",
        "      dept_cdo:\n        - {name: 张三, title: 副局长}\n        - {name: 孙八, title: 局长}",
    ))  # fmt: skip
    result = cli("validate", "roster.yaml", "--format", "json")
    assert "role-too-many" in _codes(result)
    assert result.exit_code == 1


def test_validate_unit_unknown_text_output(cli, write) -> None:
    write("roster.yaml", GOOD.replace("  市公安局:", "  市公安厅:"))
    result = cli("validate", "roster.yaml")
    assert result.exit_code == 1
    line = next(ln for ln in result.output.splitlines() if "unit-unknown" in ln)
    assert line.split()[0] == "9:3"
    assert "是否应为：市公安局" in result.output


def test_validate_unit_missing_warning(cli, write) -> None:
    write("roster.yaml", GOOD)
    finding = _finding(cli("validate", "roster.yaml", "--format", "json"), "unit-missing")
    assert finding["severity"] == "warning"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        (b"# only\n# comments\n", "只有注释"),
        (b"scheme: puning\nunits: [1,\n", "YAML 语法错误"),
        (b"scheme: puning\nunits:\n\t\xe5\xb8\x82: {}\n", "制表符"),
        (bytes(range(256)) * 4, "不是文本文件"),
        ("scheme: puning\nunits:\n  市公安局: {}\n".encode("gb18030"), "不是 UTF-8"),
        (b"- a\n- b\n", "顶层应为键值对"),
        (b"42\n", "顶层应为键值对"),
        (b"scheme: puning\nscheme: puning\n", "重复的键"),
        (b"scheme: !!python/object/apply:os.system ['echo pwned']\n", "不允许的 YAML 标签"),
        (b"scheme: nowhere\n", "没有名为“nowhere”的方案"),
        (b"scheme: puning\nunits: " + b"[" * 5000 + b"]" * 5000 + b"\n", "嵌套"),
        (b"scheme: puning\nx:\n" + b"".join(b"  " * i + b"a:\n" for i in range(1, 3000)), "嵌套"),
    ],
)
def test_validate_hostile_inputs(cli, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "roster.yaml"
    path.write_bytes(content)
    result = cli("validate", "roster.yaml")
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert "roster.yaml:" in result.output or "roster.yaml\n" in result.output


def test_validate_alias_bomb(cli, tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    (tmp_path / "roster.yaml").write_text(
        "scheme: puning\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )
    result = cli("validate", "roster.yaml")
    assert result.exit_code == 1
    assert "别名" in result.output


def test_validate_python_tag_is_not_executed(cli, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    (tmp_path / "roster.yaml").write_text(
        f"scheme: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8"
    )
    cli("validate", "roster.yaml")
    assert not marker.exists()


def test_validate_bom_is_fine(cli, tmp_path: Path) -> None:
    (tmp_path / "roster.yaml").write_bytes("\ufeff".encode() + GOOD.lstrip().encode("utf-8"))
    result = cli("validate", "roster.yaml")
    assert result.exit_code == 0, result.output


def test_validate_unreadable_files(cli, tmp_path: Path) -> None:
    assert cli("validate", "missing.yaml").exit_code == 2
    (tmp_path / "folder.yaml").mkdir()
    result = cli("validate", "folder.yaml")
    assert result.exit_code == 2 and "文件夹" in result.output


def test_validate_several_files(cli, write) -> None:
    write("a.yaml", GOOD)
    write("b.yaml", GOOD.replace("  市公安局:", "  市公安厅:"))
    result = cli("validate", "a.yaml", "b.yaml")
    assert result.exit_code == 1
    assert "共 2 个文件" in result.output
    assert result.output.index("a.yaml") < result.output.index("b.yaml")


def test_validate_no_color_when_redirected(cli, write) -> None:
    write("roster.yaml", GOOD.replace("  市公安局:", "  市公安厅:"))
    assert "\x1b[" not in cli("validate", "roster.yaml").output


@pytest.mark.parametrize("scheme", ["puning", "zhaoqing", "huizhou"])
def test_init_then_validate(cli, tmp_path: Path, scheme: str) -> None:
    result = cli("init", "--scheme", scheme)
    assert result.exit_code == 0, result.output
    text = (tmp_path / "roster.yaml").read_text(encoding="utf-8")
    schema = f"{scheme}.roster.schema.json"
    assert text.startswith(f"# yaml-language-server: $schema={schema}")
    assert (
        scheme
        in json.loads((tmp_path / schema).read_text(encoding="utf-8"))["properties"]["scheme"][
            "enum"
        ]
    )
    check = cli("validate", "roster.yaml", "--format", "json")
    assert check.exit_code == 0, check.output
    data = json.loads(check.output)
    assert data["errors"] == 0
    if scheme == "zhaoqing":
        assert "林飞鸣" in text and "吴稳根" in text
        assert "role-missing" not in _codes(check)
        assert "unit-missing" not in _codes(check)


def test_init_never_overwrites(cli, tmp_path: Path) -> None:
    (tmp_path / "roster.yaml").write_text("mine\n", encoding="utf-8")
    result = cli("init", "--scheme", "puning")
    assert result.exit_code == 2
    assert (tmp_path / "roster.yaml").read_text(encoding="utf-8") == "mine\n"
    assert cli("init", "--scheme", "puning", "--force").exit_code == 0
    assert "scheme: puning" in (tmp_path / "roster.yaml").read_text(encoding="utf-8")


def test_init_unknown_scheme(cli) -> None:
    result = cli("init", "--scheme", "shantou")
    assert result.exit_code == 2
    assert "没有名为“shantou”的方案" in result.output


def test_validate_through_installed_script(tmp_path: Path) -> None:
    """The real ``python -m cdo_cli`` process, as a pre-commit hook would run it."""
    (tmp_path / "roster.yaml").write_text(
        GOOD.replace("  市公安局:", "  市公安厅:"), encoding="utf-8"
    )
    run = subprocess.run(
        [sys.executable, "-m", "cdo_cli", "validate", "roster.yaml"],
        cwd=tmp_path, capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip
    assert run.returncode == 1
    assert "roster.yaml" in run.stdout and "unit-unknown" in run.stdout


def test_validate_one_bad_unit_does_not_hide_the_rest(cli, write) -> None:
    bad = GOOD.replace(
        "phone: 0663-6186213,", "phone: 0663-6186213, appointed: 2023-02-30, age: 40,"
    )
    bad = bad.replace("  市公安局:", "  市公安厅:")
    write("roster.yaml", bad)
    result = cli("validate", "roster.yaml", "--format", "json")
    codes = _codes(result)
    assert {"roster-invalid", "key-unknown", "unit-unknown"} <= set(codes)
    date = _finding(result, "roster-invalid")
    assert date["message"].startswith("appointed：") and "YYYY-MM-DD" in date["hint"]
    assert "此处可用的键：name、title" in _finding(result, "key-unknown")["hint"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("validate",), "缺少参数 FILE"),
        (("frobnicate",), "没有“frobnicate”这个命令"),
        (("init",), "缺少选项 --scheme"),
        (("validate", "x.yaml", "--bogus"), "没有 --bogus 这个选项"),
        (("overdue", "--within", "-3"), "--within 的值无效：应不小于 0"),
        (("overdue", "--within", "abc"), "--within 的值无效：应为整数"),
    ],
)
def test_usage_errors_in_chinese(cli, args, message) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "--help 查看用法" in result.output
    assert "Error:" not in result.output


def test_init_two_schemes_in_one_folder(cli, tmp_path: Path) -> None:
    cli("init", "--scheme", "puning", "-o", "普宁.yaml")
    cli("init", "--scheme", "zhaoqing", "-o", "肇庆.yaml")
    first = (tmp_path / "肇庆.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first.endswith("$schema=zhaoqing.roster.schema.json")
    assert (tmp_path / "puning.roster.schema.json").exists()
