"""Every finding code, table-driven, for schemes and rosters alike.

Each case makes a minimal change to a shipped scheme (``cdo policy check FILE --format
json``) or to a small valid roster (``cdo validate FILE --format json``) and expects one
code, with its severity, key path, line and a fragment of its Chinese message; its twin is
that the unchanged file has no such finding there. cdo_cli/codes.py is the list of codes:
every code the checks can emit must be in it, and every row of it must have a case here.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cdo_cli.cli import app
from cdo_cli.codes import CODES
from cdo_cli.findings import Severity
from cdo_cli.policy_loading import Registry
from conftest import ROOT

E, W = "error", "warning"

ROSTER = """\
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
SAFETY_BUREAU = ROSTER[ROSTER.index("  市公安局:\n") :]

# The test schemes (tests/schemes/, see its README) show rules the shipped schemes do not
# have; their rosters are checked with --policies tests/schemes, on a fixed date.
TEST_SCHEMES = ROOT / "tests" / "schemes"
TEST_ROSTERS = {
    # 青溪市 chose three counties and five departments: every minimum is met
    "lingnan": """\
scheme: lingnan_pilot
units:
  青溪市:
    officers:
      city_cdo: {name: 王一, title: 副市长}
  东湖区:
    officers:
      county_cdo: {name: 钱五, title: 副区长}
  西湖区:
    officers:
      county_cdo: {name: 孙六, title: 副区长}
  南山县:
    officers:
      county_cdo: {name: 周七, title: 副县长}
  青溪市公安局: {officers: {dept_cdo: {name: 李二, title: 副局长}}}
  青溪市教育局: {officers: {dept_cdo: {name: 张三, title: 党组成员}}}
  青溪市自然资源局: {officers: {dept_cdo: {name: 吴八, title: 局长}}}
  青溪市卫生健康局: {officers: {dept_cdo: {name: 郑九, title: 副局长}}}
  青溪市交通运输局: {officers: {dept_cdo: {name: 冯十, title: 副局长}}}
  沙园街道:
    officers:
      liaison: {name: 陈一, title: 科员}
""",
    # as of 2022-06-01: 西湖区 has joined, the pilot liaison has ended
    "growth": """\
scheme: qingxi_growth
units:
  青溪市人民政府:
    officers:
      city_cdo: {name: 王一, title: 副市长}
  东湖区:
    officers:
      county_cdo: {name: 钱五, title: 副区长}
  西湖区:
    officers:
      county_cdo: {name: 孙六, title: 副区长}
  市公安局:
    officers:
      dept_cdo: {name: 李二, title: 副局长}
""",
    # no dates anywhere: the scheme has no issue date to check them against
    "depts": """\
scheme: qingxi_depts
units:
  区公安分局:
    officers:
      dept_cdo: {name: 王一, title: 局长}
      data_specialist: {name: 李二, title: 科员}
  区教育局:
    attributes: {it_office: false}
    officers:
      data_specialist: {name: 张三, title: 科员}
""",
}
TEST_ROSTERS["growth-early"] = """\
scheme: qingxi_growth
units:
  青溪市人民政府:
    officers:
      city_cdo: {name: 王一, title: 副市长}
  东湖区:
    officers:
      county_cdo: {name: 钱五, title: 副区长}
      pilot_liaison: {name: 周七, title: 科员}
  市公安局:
    officers:
      dept_cdo: {name: 李二, title: 副局长}
      pilot_liaison: {name: 吴八, title: 科员}
  市教育局:
    officers:
      dept_cdo: {name: 张三, title: 副局长}
      pilot_liaison: {name: 郑九, title: 科员}
"""
AS_OF = {"growth": "2022-06-01", "growth-early": "2021-06-01"}


@dataclass(frozen=True)
class Case:
    """A change that makes ``code`` fire at ``path``, on the line of ``at``.

    ``edits`` are (old, new) pairs, each replacing the first occurrence of ``old``
    (``text`` replaces the whole file instead). ``at`` is looked for from where the last
    edit starts; if it is not there, its last occurrence before that is taken.
    ``absent`` lists codes the change must not raise anywhere; ``bug`` marks a case that
    fails today for a reason not yet fixed (a strict xfail, so the fix is noticed).
    """

    name: str
    code: str
    severity: str
    path: tuple[str | int, ...]
    at: str
    message: str
    edits: tuple[tuple[str, str], ...] = ()
    base: str = "puning"  # the shipped scheme to change; "roster" for ROSTER
    text: str | None = None
    hint: str = ""
    absent: tuple[str, ...] = ()
    bug: str = ""


def _edit(base_text: str, case: Case) -> tuple[str, int]:
    """The changed text, and where its last edit starts."""
    if case.text is not None:
        return case.text, 0
    text, pos = base_text, 0
    for old, new in case.edits:
        assert old in text, (case.name, old)
        pos = text.index(old)
        text = text[:pos] + new + text[pos + len(old) :]
    return text, pos


def _line(text: str, at: str, start: int) -> int:
    """The line of ``at``: its first occurrence from ``start``, else its last before."""
    pos = text.find(at, start)
    pos = pos if pos >= 0 else text.rindex(at, 0, start + len(at))
    return text.count("\n", 0, pos) + 1


def _is_roster(base: str) -> bool:
    return base == "roster" or base.startswith("roster:")


def _base_text(base: str) -> str:
    if base == "roster":
        return ROSTER
    if base.startswith("roster:"):
        return TEST_ROSTERS[base.removeprefix("roster:")]
    folder = TEST_SCHEMES if (TEST_SCHEMES / f"{base}.yaml").is_file() else ROOT / "policies"
    return (folder / f"{base}.yaml").read_text(encoding="utf-8")


def _command(base: str, path: Path) -> list[str]:
    if base == "roster":
        return ["validate", str(path), "--format", "json"]
    if _is_roster(base):
        as_of = AS_OF.get(base.removeprefix("roster:"), "2024-01-01")
        return ["--policies", str(TEST_SCHEMES), "validate", str(path), "--format", "json",
                "--as-of", as_of]  # fmt: skip
    return ["policy", "check", str(path), "--format", "json"]


def _run(base: str, text: str, folder: Path) -> tuple[int, list[dict[str, Any]]]:
    """Write the file where its kind belongs and run its command: (exit code, findings)."""
    name = "roster.yaml" if _is_roster(base) else f"{base}.yaml"
    path = folder / name
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, _command(base, path), catch_exceptions=False)
    data = json.loads(result.stdout)
    return result.exit_code, data["findings"]


@cache
def _baseline(base: str) -> tuple[tuple[str, str, tuple[Any, ...], str], ...]:
    """(code, severity, path, message) of every finding on the unchanged file."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        code, findings = _run(base, _base_text(base), Path(tmp))
    assert code == 0, findings
    return tuple((f["code"], f["severity"], tuple(f["path"]), f["message"]) for f in findings)


# ---------------------------------------------------------------- schemes

SCHEME_CASES = [
    # -- reading and shape (policy_loading.check_file)
    Case("yaml syntax", "yaml-invalid", E, (), "city: 普宁市: 普宁", "YAML 语法错误",
         edits=(("city: 普宁市\n", "city: 普宁市: 普宁\n"),)),
    Case("top level list", "policy-shape", E, (), "- a", "顶层应为键值对", text="- a\n- b\n"),
    Case("bad enum", "policy-invalid", E, ("units", 1, "kind"), "kind: departmnt", "不是允许的取值",
         edits=(("kind: department", "kind: departmnt"),)),
    Case("missing field", "policy-invalid", E, ("units", 0, "kind"), "- name: 普宁市人民政府",
         "缺少必填项“kind”", edits=(("    kind: government\n", ""),)),
    Case("typo key", "key-unknown", E, ("citi",), "citi:", "未知的键“citi”",
         edits=(("id: puning\n", "id: puning\nciti: 普宁\n"),), hint="是否应为“city”"),
    Case("id not file name", "policy-id", E, ("id",), "id: shantou", "与文件名“puning”不一致",
         edits=(("id: puning\n", "id: shantou\n"),)),
    # -- text (policy_checks.check_text)
    Case("bidi override in a name", "text-control", E, ("roles", 0, "name"), "首席\\u202e",
         "名称“市政府首席\\u202e数据官”中有不可见的控制字符 \\u202e", hint="复制粘贴",
         edits=(("    name: 市政府首席数据官\n", '    name: "市政府首席\\u202e数据官"\n'),)),
    Case("line break in a header", "text-control", E,
         ("forms", 0, "sections", 0, "columns", 1, "header"), "姓\\n名", "表头“姓\\x0a名”中有不可见的控制字符 \\x0a",
         edits=(("          - header: 姓名\n", '          - header: "姓\\n名"\n'),)),
    # -- ids and names (policy_checks.check_ids)
    Case("role id twice", "id-duplicate", E, ("roles", 3, "id"), "- id: support_planning",
         "id“support_planning”重复出现",
         edits=(("  - id: support_data\n", "  - id: support_planning\n"),)),
    Case("obligation id twice", "id-duplicate", E, ("obligations", 1, "id"), "- id: city_cdo_plan",
         "id“city_cdo_plan”重复出现",
         edits=(("  - id: dept_cdo_plan\n", "  - id: city_cdo_plan\n"),)),
    Case("form id twice", "id-duplicate", E, ("forms", 1, "id"), "- id: attachment1",
         "id“attachment1”重复出现", edits=(("  - id: attachment2\n", "  - id: attachment1\n"),)),
    Case("unit name twice", "unit-duplicate", E, ("units", 2, "name"), "- name: 市科技局",
         "单位名称“市科技局”已用于“市科技局”",
         edits=(("  - name: 市发展改革局\n", "  - name: 市科技局\n"),)),
    Case("alias is another unit", "unit-duplicate", E, ("units", 10, "aliases", 2), "- 市科技局",
         "单位名称“市科技局”已用于“市科技局”",
         edits=(("      - 市商务局\n", "      - 市商务局\n      - 市科技局\n"),)),
    Case("third unit names the first", "unit-duplicate", E, ("units", 11, "aliases", 0),
         "- 市科技局", "已用于“市科技局”",
         edits=(("      - 市商务局\n", "      - 市商务局\n      - 市科技局\n"),
                ("  - name: 市司法局\n", "  - name: 市司法局\n    aliases:\n      - 市科技局\n"))),
    # -- references to units (policy_checks._selector_findings)
    Case("alias in selector", "unit-alias", W, ("roles", 0, "applies_to", "units", 0), "- 市政府",
         "此处用了别名“市政府”，没有选中该单位",
         edits=(("      units:\n        - 普宁市人民政府\n", "      units:\n        - 市政府\n"),),
         absent=("unit-unknown",)),
    Case("role for unknown unit", "unit-unknown", E, ("roles", 0, "applies_to", "units", 0),
         "- 普宁市人民政付", "单位“普宁市人民政付”不在本方案的单位中", hint="普宁市人民政府",
         edits=(("      units:\n        - 普宁市人民政府\n", "      units:\n        - 普宁市人民政付\n"),),
         absent=("selector-empty",)),
    Case("unknown unit after a full name", "unit-unknown", E,
         ("roles", 0, "applies_to", "units", 1), "- 普宁市人民政付", "单位“普宁市人民政付”不在本方案的单位中",
         edits=(("      units:\n        - 普宁市人民政府\n",
                 "      units:\n        - 普宁市人民政府\n        - 普宁市人民政付\n"),)),
    Case("unknown unit after an alias", "unit-unknown", E,
         ("roles", 0, "applies_to", "units", 1), "- 普宁市人民政付", "单位“普宁市人民政付”不在本方案的单位中",
         edits=(("      units:\n        - 普宁市人民政府\n",
                 "      units:\n        - 市政府\n        - 普宁市人民政付\n"),)),
    Case("form for unknown unit", "unit-unknown", E, ("forms", 0, "applies_to", "units", 0),
         "- 普宁市政付", "单位“普宁市政付”不在本方案的单位中",
         edits=(("    per_unit: true\n    applies_to:\n      units:\n        - 普宁市人民政府\n",
                 "    per_unit: true\n    applies_to:\n      units:\n        - 普宁市政付\n"),)),
    Case("section lists unknown unit", "unit-unknown", E,
         ("forms", 2, "sections", 0, "units", "units", 0), "- 市公安厅",
         "单位“市公安厅”不在本方案的单位中",
         edits=(("        units:\n          tags:\n            - attachment3\n",
                 "        units:\n          units:\n            - 市公安厅\n"),)),
    Case("named officer's unknown unit", "unit-unknown", E, ("named_officers", 2, "unit"),
         "- unit: 市发改委", "单位“市发改委”不在本方案的单位中", base="zhaoqing",
         edits=(("  - unit: 市发改局\n", "  - unit: 市发改委\n"),)),
    Case("officers after an unknown unit are checked", "role-unknown", E,
         ("named_officers", 3, "role"), "role: dept_cdoo", "职位“dept_cdoo”未在 roles 中定义",
         base="zhaoqing",
         edits=(("  - unit: 市发改局\n", "  - unit: 市发改委\n"),
                ("  - unit: 市教育局\n    role: dept_cdo\n", "  - unit: 市教育局\n    role: dept_cdoo\n"))),
    Case("duty owed by unit out of scope", "duty-out-of-scope", W,
         ("obligations", 0, "owed_by", "units", 0), "- 揭阳市人民政府",
         "事项由“揭阳市人民政府”承担，但该单位不在本方案范围内",
         edits=(("    owed_by:\n      units:\n        - 普宁市人民政府\n",
                 "    owed_by:\n      units:\n        - 揭阳市人民政府\n"),),
         absent=("unit-unknown", "selector-empty")),
    Case("tag nobody has", "selector-empty", W, ("roles", 1, "applies_to"), "applies_to:",
         "没有选中任何单位",
         edits=(("    applies_to:\n      tags:\n        - attachment3\n",
                 "    applies_to:\n      tags:\n        - attachment9\n"),)),
    # -- references to roles, forms, obligations (policy_checks.check_references)
    Case("distinct_from unknown role", "role-unknown", E, ("roles", 5, "distinct_from", 0),
         "- city_cdoo", "职位“city_cdoo”未在 roles 中定义", hint="city_cdo",
         edits=(("    distinct_from:\n      - city_cdo\n", "    distinct_from:\n      - city_cdoo\n"),)),
    Case("duty by unknown role", "role-unknown", E, ("obligations", 4, "role"), "role: dept_cdoo",
         "职位“dept_cdoo”未在 roles 中定义",
         edits=(("    role: dept_cdo\n    owed_to", "    role: dept_cdoo\n    owed_to"),)),
    Case("section by unknown role", "role-unknown", E, ("forms", 0, "sections", 0, "role"),
         "role: city_cdoo", "职位“city_cdoo”未在 roles 中定义",
         edits=(("        role: city_cdo\n", "        role: city_cdoo\n"),)),
    Case("named officer's unknown role", "role-unknown", E, ("named_officers", 1, "role"),
         "role: city_ceo", "职位“city_ceo”未在 roles 中定义", base="zhaoqing",
         edits=(("    role: city_cdeo\n    name: 王诗军", "    role: city_ceo\n    name: 王诗军"),)),
    Case("min above max", "holders-range", E, ("roles", 0, "holders"), "holders:",
         "人数下限大于上限",
         edits=(("    holders:\n      min: 1\n      max: 1\n", "    holders:\n      min: 2\n      max: 1\n"),)),
    Case("required with min 0", "holders-range", W, ("roles", 0, "holders"), "holders:",
         "必设职位的人数下限为 0",
         edits=(("    required: true\n    holders:\n      min: 1\n",
                 "    required: true\n    holders:\n      min: 0\n"),)),
    Case("duty's role not in owing units", "duty-role-mismatch", W, ("obligations", 4, "role"),
         "role: city_cdo", "“市科技局”承担此事项，但不设“市政府首席数据官”",
         edits=(("    role: dept_cdo\n    owed_to", "    role: city_cdo\n    owed_to"),)),
    Case("duty names unknown form", "form-unknown", E, ("obligations", 3, "forms", 1),
         "- attachment9", "附件“attachment9”未在 forms 中定义",
         edits=(("    forms:\n      - attachment2\n", "    forms:\n      - attachment2\n      - attachment9\n"),)),
    Case("form names unknown duty", "obligation-unknown", E, ("forms", 0, "obligation"),
         "obligation: city_contact_fom", "事项“city_contact_fom”未定义",
         edits=(("    obligation: city_contact_form\n", "    obligation: city_contact_fom\n"),)),
    Case("named officer in unit without the role", "role-not-allowed", E,
         ("named_officers", 2, "role"), "role: city_cdo", "“市发改局”不设“市首席数据官”",
         base="zhaoqing",
         edits=(("  - unit: 市发改局\n    role: dept_cdo\n", "  - unit: 市发改局\n    role: city_cdo\n"),)),
    # -- dates (policy_checks.check_dates)
    Case("deadline before issue", "due-before-issue", W, ("obligations", 0, "due", "date"),
         "date: 2023-10-23", "期限 2023-10-23 早于文件印发日期 2023-10-24",
         edits=(("      date: 2023-10-30\n", "      date: 2023-10-23\n"),), hint="请核对原文"),
    Case("deadline after a duty with no date", "due-before-issue", W,
         ("obligations", 1, "due", "date"), "date: 2021-08-01", "早于文件印发日期 2021-08-10",
         base="zhaoqing", edits=(("      date: 2021-10-31\n", "      date: 2021-08-01\n"),)),
    Case("first period before issue", "due-before-issue", W,
         ("obligations", 4, "due", "first_period"), "first_period: 2022",
         "从 2022 年起计，早于发文年份 2023",
         edits=(("      first_period: 2023\n", "      first_period: 2022\n"),)),
    # -- forms (policy_checks.check_forms)
    Case("person column in unit list", "column-unfilled", W,
         ("forms", 2, "sections", 0, "columns", 2, "field"), "field: name",
         "“附件3”的“负责人”列没有职位来填写",
         edits=(("            field: unit\n        side_by_side: 2\n",
                 "            field: unit\n          - header: 负责人\n            field: name\n"
                 "        side_by_side: 2\n"),)),
    Case("unit list with a role", "column-unfilled", W,
         ("forms", 2, "sections", 0, "columns", 0, "field"), "field: title",
         "“附件3”的“职务”列没有职位来填写", absent=("section-role",),
         edits=(("        kind: unit_list\n",
                 "        kind: unit_list\n        role: dept_cdo\n"),
                ("          - header: null\n            field: index\n",
                 "          - header: 职务\n            field: title\n"))),
    Case("person column without role", "column-unfilled", W,
         ("forms", 0, "sections", 0, "columns", 1, "field"), "field: name",
         "“附件1”的“姓名”列没有职位来填写",
         edits=(("        kind: unit_role\n        role: city_cdo\n", "        kind: unit_role\n"),)),
    Case("per-unit form sent where its post is not set", "form-role-absent", W,
         ("forms", 1, "sections", 0, "role"), "role: dept_cdo",
         "“附件2”的“部门首席数据官”栏由“市直部门首席数据官”（dept_cdo）填写，但这份表格也发给不设这一职位的"
         "1个单位（本级政府：普宁市人民政府）", hint="各写一份附件表格",
         edits=(("    per_unit: true\n    applies_to:\n      tags:\n        - attachment3\n",
                 "    per_unit: true\n    applies_to:\n      units: [普宁市人民政府]\n"
                 "      tags:\n        - attachment3\n"),)),
    Case("unit_role without role", "section-role", E, ("forms", 0, "sections", 0), "- heading:",
         "这一栏需要指定 role（由哪个职位填写）",
         edits=(("      - heading: 县（市、区）政府首席数据官\n        kind: unit_role\n        role: city_cdo\n",
                 "      - heading: 县（市、区）政府首席数据官\n        kind: unit_role\n"),)),
    Case("role_list without role", "section-role", E, ("forms", 0, "sections", 0), "- heading:",
         "这一栏需要指定 role（由哪个职位填写）",
         edits=(("      - heading: 县（市、区）政府首席数据官\n        kind: unit_role\n        role: city_cdo\n",
                 "      - heading: 县（市、区）政府首席数据官\n        kind: role_list\n"),)),
    # -- added with policy new, --source and the selector review
    Case("quote not in the document", "quote-not-found", E, ("units", 0, "source", "quote"),
         "quote: 市政府设立首席数据官2名", "原文中找不到引文",
         edits=(("      quote: 市政府设立首席数据官1名", "      quote: 市政府设立首席数据官2名"),)),
    Case("optional todo left", "todo-optional", W, (), "# TODO（可选）", "可选的待办",
         edits=(("city: 普宁市\n", "city: 普宁市\n# TODO（可选）：补充联系人\n"),)),
    Case("role picks the government and departments", "selector-broad", W,
         ("roles", 0, "applies_to"), "applies_to:\n      kinds: [government", "还选中了政府部门",
         edits=(("      units:\n        - 普宁市人民政府\n", "      kinds: [government, department]\n"),)),
    # -- the scheme model (issue 11): parents, attributes, strictness, an unknown issue date
    Case("parent not in the scheme", "parent-unknown", E, ("units", 12, "parent"), "parent: 东湖县",
         "街道“沙园街道”的上级单位“东湖县”不在本方案的单位中", base="lingnan_pilot", hint="东湖区",
         edits=(("    parent: 东湖区\n", "    parent: 东湖县\n"),)),
    Case("parents in a loop", "parent-loop", E, ("units", 2, "parent"), "parent: 沙园街道",
         "县（市、区）“东湖区”的上级单位绕回了它自己", base="lingnan_pilot",
         edits=(("{name: 东湖区, kind: county, parent: 青溪市", "{name: 东湖区, kind: county, parent: 沙园街道"),)),
    Case("a 街道 under a department", "parent-kind", W, ("units", 12, "parent"), "parent: 青溪市公安局",
         "街道“沙园街道”的上级单位“青溪市公安局”是政府部门：街道的上级单位一般是本级政府、地级以上市、县（市、区）或园区",
         base="lingnan_pilot", hint="街道、镇写所在的县（市、区）",
         edits=(("    parent: 东湖区\n", "    parent: 青溪市公安局\n"),)),
    Case("a county under a 街道", "parent-kind", W, ("units", 2, "parent"), "parent: 西湖区",
         "县（市、区）“东湖区”的上级单位“西湖区”是县（市、区）", base="lingnan_pilot",
         edits=(("{name: 东湖区, kind: county, parent: 青溪市", "{name: 东湖区, kind: county, parent: 西湖区"),)),
    Case("under names a unit not in the scheme", "unit-unknown", E, ("roles", 3, "applies_to", "under", 0),
         "under: [东湖县]", "上级单位“东湖县”不在本方案的单位中", base="lingnan_pilot", hint="东湖区",
         edits=(("    applies_to: {kinds: [subdistrict, town, park]}\n",
                 "    applies_to: {kinds: [subdistrict, town, park], under: [东湖县]}\n"),)),
    Case("under a unit with nothing under it", "selector-empty", W, ("roles", 3, "applies_to"),
         "applies_to: {kinds: [subdistrict", "按 kinds: subdistrict、town、park，under: 沙园街道 没有选中任何单位",
         base="lingnan_pilot", hint="没有单位的上级单位（parent，逐级向上）是 沙园街道",
         edits=(("    applies_to: {kinds: [subdistrict, town, park]}\n",
                 "    applies_to: {kinds: [subdistrict, town, park], under: [沙园街道]}\n"),)),
    Case("selector on an undeclared attribute", "attribute-unknown", E,
         ("roles", 0, "applies_to", "attributes", "it_ofice"), "it_ofice", "单位属性“it_ofice”未在 attributes 中定义",
         base="qingxi_depts", hint="it_office",
         edits=(("attributes: {it_office: true}}", "attributes: {it_ofice: true}}"),)),
    Case("strict where the document says 原则上", "eligibility-in-principle", W,
         ("roles", 2, "eligibility_strict"), "eligibility_strict: true", "任职条件是“原则上……”",
         base="lingnan_pilot",
         edits=(("    eligibility_rule: leadership_team\n",
                 "    eligibility_rule: leadership_team\n    eligibility_strict: true\n"),)),
    Case("no issue date", "issue-date-unknown", W, ("document", "issued"), "issued: null",
         "文件未载明印发日期：未检查期限是否早于印发日期", absent=("due-before-issue",),
         edits=(("  issued: 2023-10-24\n", "  issued: null\n"),)),
]  # fmt: skip

# ---------------------------------------------------------------- rosters

_POLICE_CDO = "      dept_cdo: {name: 张三, title: 副局长, phone: 0663-8888888}\n"
_POLICE_CONTACT = (
    "      dept_contact: {office: 科技信息化科, name: 李四, title: 科长, phone: 13912345678}\n"
)
_OFFICER = ("units", "市公安局", "officers")
_FILINGS = ("units", "市公安局", "filings")

ROSTER_CASES = [
    # -- reading and shape (roster_loading)
    Case("yaml syntax", "yaml-invalid", E, (), "puning: x", "此处不能出现“:”", base="roster",
         text="scheme: puning: x\nunits: {}\n"),
    Case("top level list", "roster-shape", E, (), "- a", "顶层应为键值对（scheme、units），这里是列表",
         base="roster", text="- a\n- b\n"),
    Case("bad date", "roster-invalid", E, (*_FILINGS, 0, "date"), "date: 2023-13-45",
         "“2023-13-45”不是有效的日期", base="roster", hint="YYYY-MM-DD",
         edits=(("date: 2023-10-28", "date: 2023-13-45"),)),
    Case("typo key", "key-unknown", E, (*_OFFICER, "dept_cdo", 0, "age"), "dept_cdo:",
         "未知的键“age”", base="roster", hint="此处可用的键：name、title",
         edits=(("      dept_cdo: {name: 张三,", "      dept_cdo: {name: 张三, age: 40,"),)),
    Case("unknown scheme", "scheme-unknown", E, ("scheme",), "puing", "没有名为“puing”的方案",
         base="roster", hint="puning", edits=(("scheme: puning", "scheme: puing"),)),
    Case("unit out of scope", "unit-unknown", E, ("units", "市公安厅"), "市公安厅:",
         "“市公安厅”不是普宁市方案范围内的单位", base="roster", hint="市公安局",
         edits=(("  市公安局:", "  市公安厅:"),)),
    Case("unit under two names", "unit-duplicate", E, ("units", "普宁市政府"), "普宁市政府:",
         "“普宁市政府”与“普宁市人民政府”是同一单位", base="roster",
         edits=(("  市公安局:", "  普宁市政府:"),)),
    # -- text (roster_checks.check_text)
    Case("escape in a name", "text-control", E, (*_OFFICER, "dept_cdo", 0, "name"), "张\\e三",
         "姓名“张\\x1b三”中有不可见的控制字符 \\x1b", base="roster", hint="复制粘贴",
         edits=(("name: 张三", 'name: "张\\e三"'),)),
    # -- roles and people (roster_checks)
    Case("unknown role", "role-unknown", E, (*_OFFICER, "dept_cdoo"), "dept_cdoo:",
         "“dept_cdoo”不是本方案的职位", base="roster", hint="dept_cdo",
         edits=(("      dept_cdo: {", "      dept_cdoo: {"),)),
    Case("role the unit cannot have", "role-not-allowed", E, (*_OFFICER, "city_cdo"), "city_cdo:",
         "政府部门“市公安局”不设“市政府首席数据官”", base="roster",
         edits=(("      dept_cdo: {", "      city_cdo: {"),)),
    Case("too many holders", "role-too-many", E, (*_OFFICER, "dept_cdo"), "dept_cdo:",
         "最多1名，这里填了2名", base="roster",
         edits=((_POLICE_CDO, "      dept_cdo:\n        - {name: 张三, title: 副局长}\n"
                              "        - {name: 孙八, title: 局长}\n"),)),
    Case("bad phone", "phone-invalid", E, (*_OFFICER, "dept_cdo", 0, "phone"), "0663-888}",
         "“0663-888”不是有效的电话号码", base="roster",
         edits=(("phone: 0663-8888888", "phone: 0663-888"),)),
    Case("bad email", "email-invalid", E,
         ("units", "普宁市人民政府", "officers", "city_cdo", 0, "email"), "ww.example.cn",
         "不是有效的电子邮箱：缺少 @", base="roster",
         edits=(("email: ww@example.cn", "email: ww.example.cn"),)),
    Case("rank, not a post", "eligibility-question", W, (*_OFFICER, "dept_cdo", 0, "title"),
         "四级调研员", "“四级调研员”是职级或专业职务而非领导职务", base="roster",
         edits=(("title: 副局长", "title: 四级调研员"),)),
    Case("support without qualification", "qualification-missing", W,
         (*_OFFICER, "support_data", 0, "name"), "钱七", "支撑团队成员“钱七”未写明资质",
         base="roster", edits=((", qualification: 计算机专业", ""),)),
    Case("a formula for a name", "text-formula", W, (*_OFFICER, "dept_contact", 0, "name"),
         "=cmd|", "姓名“=cmd|'/C calc'!A0”以“=”开头，在 Excel 中会被当作公式", base="roster",
         hint="不会变成公式", edits=(("name: 李四", "name: \"=cmd|'/C calc'!A0\""),)),
    Case("a name far too long", "name-too-long", W, (*_OFFICER, "dept_cdo", 0, "name"),
         "张三" * 21, "姓名有 42 个字符", base="roster",
         edits=(("name: 张三", "name: " + "张三" * 21),)),
    Case("one person, posts kept apart by assumption", "posts-kept-apart", W,
         (*_OFFICER, "dept_cdo", 0, "name"), "dept_cdo:",
         "“张三”同时担任“市直部门首席数据官”和“工作联系人”，方案推定二者分设（推定）",
         base="roster", hint="推定的理由", edits=(("name: 李四", "name: 张三"),)),
    Case("one person, posts the document keeps apart", "posts-kept-apart", E,
         ("units", "区公安分局", "officers", "dept_cdo", 0, "name"), "dept_cdo:",
         "“王一”同时担任“部门首席数据官”和“数据专员”，方案要求分设", base="roster:depts",
         hint="数据专员不得由首席数据官兼任", edits=(("name: 李二", "name: 王一"),)),
    Case("a deputy where the document says 主要负责同志", "eligibility-mismatch", E,
         ("units", "区公安分局", "officers", "dept_cdo", 0, "title"), "副局长",
         "“副局长”看起来是副职或班子成员，不是正职，不符合文件规定的“由本部门主要负责同志兼任”",
         base="roster:depts", edits=(("title: 局长", "title: 副局长"),)),
    Case("a post beyond the list that ends with 等", "role-unlisted", W,
         (*_OFFICER, "support_security"), "support_security:",
         "“support_security”不是文件所列的岗位；文件所列为“规划岗位、数据岗位、政务信息化项目管理岗位等”",
         base="roster", hint="二（三）", absent=("role-unknown",),
         edits=(("      support_data:\n", "      support_security: {name: 周九, title: 科员}\n      support_data:\n"),)),
    Case("a post after its end", "not-in-force", W,
         ("units", "东湖区", "officers", "pilot_liaison"), "pilot_liaison:",
         "县（市、区）“东湖区”的“试点联络员”只适用至 2021-12-31", base="roster:growth",
         edits=(("      county_cdo: {name: 钱五, title: 副区长}\n",
                 "      county_cdo: {name: 钱五, title: 副区长}\n      pilot_liaison: {name: 周七, title: 科员}\n"),)),
    Case("a unit before it joins", "not-in-force", W, ("units", "西湖区"), "西湖区:",
         "县（市、区）“西湖区”不在方案范围内：自 2022-01-01 起才适用", base="roster:growth-early",
         edits=(("  市公安局:\n", "  西湖区: {officers: {county_cdo: {name: 孙六, title: 副区长}}}\n  市公安局:\n"),)),
    Case("attribute the scheme does not have", "attribute-unknown", E,
         ("units", "区教育局", "attributes", "has_it"), "has_it", "“has_it”不是本方案的单位属性",
         base="roster:depts", edits=(("attributes: {it_office: false}", "attributes: {it_office: false, has_it: true}"),)),
    Case("attribute left unsaid", "attribute-missing", W, ("units", "区教育局"), "区教育局:",
         "“区教育局”未写明是否“设有信息化科室或下属信息化机构”，无法判断是否须设“部门首席数据官”",
         base="roster:depts", edits=(("    attributes: {it_office: false}\n", ""),)),
    Case("dates but no issue date to check them by", "issue-date-unknown", W, ("scheme",),
         "scheme: qingxi_depts", "方案未载明印发日期", base="roster:depts",
         edits=(("      data_specialist: {name: 张三, title: 科员}\n",
                 "      data_specialist: {name: 张三, title: 科员}\n    filings:\n"
                 "      - {obligation: staff_list, date: 2024-06-01}\n"),)),
    Case("a city chose too few counties", "minimum-not-met", W, ("units", "青溪市"), "青溪市:",
         "地级以上市“青溪市”只列出了 2 个（东湖区、西湖区），文件要求不少于3个县(市、区)",
         base="roster:lingnan", hint="不少于3个县(市、区)和5个市级部门",
         edits=(("  南山县:\n    officers:\n      county_cdo: {name: 周七, title: 副县长}\n", ""),)),
    Case("a subdistrict given a city's post", "role-not-allowed", E,
         ("units", "沙园街道", "officers", "city_cdo"), "city_cdo:", "街道“沙园街道”不设“市首席数据官”",
         base="roster:lingnan", edits=(("      liaison: {name: 陈一", "      city_cdo: {name: 陈一"),)),
    # -- filings (roster_checks.check_filings)
    Case("unknown duty", "obligation-unknown", E, (*_FILINGS, 0, "obligation"), "dept_contact_fom",
         "“dept_contact_fom”不是本方案的事项", base="roster", hint="dept_contact_form",
         edits=(("obligation: dept_contact_form", "obligation: dept_contact_fom"),)),
    Case("duty the unit does not owe", "filing-not-owed", E, (*_FILINGS, 0, "obligation"),
         "city_contact_form, date: 2023-10-28", "“市公安局”不承担“市政府报送工作联系人名单（附件1）”",
         base="roster", edits=(("obligation: dept_contact_form", "obligation: city_contact_form"),)),
    Case("filed before the scheme", "filing-before-issue", E, (*_FILINGS, 0, "date"),
         "2023-01-28", "报送日期 2023-01-28 早于方案印发日期 2023-10-24", base="roster",
         edits=(("date: 2023-10-28", "date: 2023-01-28"),)),
    Case("period before the first", "filing-period", E, (*_FILINGS, 1, "period"), "period: 2021",
         "从 2023 年起计，没有 2021 年度", base="roster",
         edits=(("period: 2023,", "period: 2021,"),)),
    Case("period on a one-off duty", "filing-period", E, (*_FILINGS, 0, "period"), "period: 2023",
         "是一次性事项，不分年度", base="roster", hint="请删除 period",
         edits=(("{obligation: dept_contact_form, date: 2023-10-28}",
                 "{obligation: dept_contact_form, period: 2023, date: 2023-10-28}"),)),
    # -- evaluation scores (roster_evaluations.check_evaluations)
    Case("scores of an evaluation the scheme lacks", "evaluation-unknown", E,
         ("units", "市公安局", "evaluations", 0, "evaluation"), "evaluation: pilot_cdo_evaluation",
         "“pilot_cdo_evaluation”不是本方案的评价", base="roster", hint="本方案没有评价",
         edits=(("period: 2023, date: 2023-12-20}\n",
                 "period: 2023, date: 2023-12-20}\n    evaluations:\n"
                 "      - {evaluation: pilot_cdo_evaluation, year: 2023, scores: {数字政府建设: 18}}\n"),)),
    # -- completeness (roster_checks.check_completeness)
    Case("unit left out", "unit-missing", W, ("units",), "units:",
         "“市公安局”在方案范围内，但名册中没有这个单位", base="roster",
         edits=((SAFETY_BUREAU, ""),)),
    Case("required role left out", "role-missing", W, ("units", "市公安局"), "市公安局:",
         "“市公安局”的“工作联系人”尚未填写", base="roster", edits=((_POLICE_CONTACT, ""),)),
    Case("required role left empty", "role-missing", W, (*_OFFICER, "dept_contact"),
         "dept_contact: {}", "“市公安局”的“工作联系人”尚未填写", base="roster",
         edits=((_POLICE_CONTACT, "      dept_contact: {}\n"),)),
    Case("required role left blank", "role-missing", W, (*_OFFICER, "dept_contact"),
         "dept_contact:", "“市公安局”的“工作联系人”尚未填写", base="roster",
         edits=((_POLICE_CONTACT, "      dept_contact:\n"),)),
    Case("left before appointed", "history-dates", E, ("units", "市公安局", "history", 0, "ended"),
         "ended: 2023-11-01", "早于任命日期", base="roster",
         edits=(("    filings:\n      - {obligation: dept_contact_form",
                 "    history:\n      - {role: dept_cdo, name: 王五, appointed: 2023-11-02,\n         ended: 2023-11-01}\n"
                 "    filings:\n      - {obligation: dept_contact_form"),)),
    Case("appointed before the scheme", "appointed-before-issue", E,
         (*_OFFICER, "dept_cdo", 0, "appointed"), "appointed: 2020-01-01", "早于方案印发日期",
         base="roster",
         edits=(("      dept_cdo: {name: 张三,", "      dept_cdo: {appointed: 2020-01-01, name: 张三,"),)),
]  # fmt: skip

CASES = SCHEME_CASES + ROSTER_CASES


def _file_kind(case: Case) -> str:
    return "roster" if _is_roster(case.base) else "scheme"


def _params(cases: list[Case]) -> list[Any]:
    return [
        pytest.param(
            c,
            id=f"{_file_kind(c)}:{c.code}:{c.name}",
            marks=[pytest.mark.xfail(strict=True, reason=c.bug)] if c.bug else [],
        )
        for c in cases
    ]


@pytest.mark.parametrize("case", _params(CASES))
def test_code_fires(case: Case, tmp_path: Path) -> None:
    text, start = _edit(_base_text(case.base), case)
    exit_code, findings = _run(case.base, text, tmp_path)
    here = [f for f in findings if f["code"] == case.code and tuple(f["path"]) == case.path]
    assert here, [(f["code"], f["path"], f["message"]) for f in findings]
    found = next((f for f in here if case.message in f["message"]), here[0])
    assert case.message in found["message"]
    assert found["severity"] == case.severity
    assert found["line"] == _line(text, case.at, start), found
    assert found["column"]
    assert case.hint in (found["hint"] or "")
    assert found["file"].endswith(".yaml")
    assert not {f["code"] for f in findings} & set(case.absent)
    has_errors = any(f["severity"] == E for f in findings)
    assert exit_code == (1 if has_errors else 0)


@pytest.mark.parametrize("case", _params([c for c in CASES if c.text is None and not c.bug]))
def test_code_does_not_fire_on_unchanged_file(case: Case) -> None:
    """The twin: the same code, at the same place and with the same message, is not there."""
    for code, _severity, path, message in _baseline(case.base):
        assert not (code == case.code and path == case.path and case.message in message)


def test_unchanged_files_have_only_known_findings() -> None:
    """Shipped schemes pass with one warning the document itself causes; the roster is valid."""
    assert {f[:3] for f in _baseline("puning")} == {
        ("due-before-issue", W, ("obligations", 2, "due", "date"))
    }
    assert _baseline("zhaoqing") == ()
    assert _baseline("huizhou") == ()
    assert {f[0] for f in _baseline("roster")} == {"unit-missing"}  # the other 36 units


# Changes right at a rule's edge, where it must stay quiet.
NEAR_MISSES = [
    ("line break and tab in a quote", "puning", "text-control", ("document", "source", "quote"),
     (("    quote: 普数改〔2023〕2号关于印发", '    quote: "普数改〔2023〕2号\\n\\t关于印发'),
      ("》的通知\n\n# ---- 单位", '》的通知"\n\n# ---- 单位'))),
    ("line break in a roster note", "roster", "text-control", ("note",),
     (("units:\n", 'note: "第一行\\n第二行"\nunits:\n'),)),
    ("deadline on the day of issue", "puning", "due-before-issue", ("obligations", 0, "due", "date"),
     (("      date: 2023-10-30\n", "      date: 2023-10-24\n"),)),
    ("alias repeats its own unit's name", "puning", "unit-duplicate", ("units", 10, "aliases", 2),
     (("      - 市商务局\n", "      - 市商务局\n      - 市工业和信息化局（市商务局）\n"),)),
    ("optional role with min 0", "puning", "holders-range", ("roles", 0, "holders"),
     (("    required: true\n    holders:\n      min: 1\n",
       "    required: false\n    holders:\n      min: 0\n"),)),
    ("min equals max", "puning", "holders-range", ("roles", 0, "holders"),
     (("    holders:\n      min: 1\n      max: 1\n", "    holders:\n      min: 2\n      max: 2\n"),)),
    ("a 街道 right under a city without counties", "lingnan_pilot", "parent-kind", ("units", 12, "parent"),
     (("    parent: 东湖区\n", "    parent: 青溪市\n"),)),
    ("a department under the department that manages it", "lingnan_pilot", "parent-kind",
     ("units", 6, "parent"),
     (("{name: 青溪市公安局, kind: department, parent: 青溪市,", "{name: 青溪市公安局, kind: department, parent: 青溪市教育局,"),)),
    ("under picks the 街道 of a district", "lingnan_pilot", "selector-empty", ("roles", 3, "applies_to"),
     (("    applies_to: {kinds: [subdistrict, town, park]}\n",
       "    applies_to: {kinds: [subdistrict], under: [东湖区]}\n"),)),
    ("under by a unit's other name", "lingnan_pilot", "unit-unknown", ("roles", 3, "applies_to", "under", 0),
     (("    applies_to: {kinds: [subdistrict, town, park]}\n",
       "    applies_to: {kinds: [subdistrict], under: [东湖区沙园街道]}\n"),)),
    ("filed on the day of issue", "roster", "filing-before-issue", (*_FILINGS, 0, "date"),
     (("date: 2023-10-28", "date: 2023-10-24"),)),
    ("a later year, no last year set", "roster", "filing-period", (*_FILINGS, 1, "period"),
     (("period: 2023,", "period: 2030,"),)),
    ("a blank second holder is not counted", "roster", "role-too-many", (*_OFFICER, "dept_cdo"),
     ((_POLICE_CDO, "      dept_cdo:\n        - {name: 张三, title: 副局长}\n        - {}\n"),)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("base", "code", "path", "edits"), [pytest.param(*m[1:], id=m[0]) for m in NEAR_MISSES]
)
def test_code_stays_quiet_at_the_edge(
    base: str,
    code: str,
    path: tuple[str | int, ...],
    edits: tuple[tuple[str, str], ...],
    tmp_path: Path,
) -> None:
    text, _ = _edit(_base_text(base), Case("", code, E, path, "", "", edits=edits, base=base))
    _, findings = _run(base, text, tmp_path)
    assert not [f for f in findings if f["code"] == code and tuple(f["path"]) == path], findings


# ---------------------------------------------------------------- the table


def test_unreadable_scheme_is_listed_as_broken(cli: Any, tmp_path: Path) -> None:
    """policy-unreadable is not printed by policy check (exit 2 there) but kept by the registry."""
    (tmp_path / "pol" / "bad.yaml").mkdir(parents=True)
    problem = Registry([tmp_path / "pol"]).problem("bad")
    assert problem is not None
    assert (problem.code, problem.severity) == ("policy-unreadable", Severity.error)
    assert "这是一个文件夹，不是文件" in problem.message
    result = cli("--policies", "pol", "policy", "list")
    assert result.exit_code == 0
    assert "文件有错误" in result.stdout and "puning" in result.stdout


# Rows whose code no command prints as a finding, with the test that covers them instead.
ELSEWHERE = {("scheme", "policy-unreadable", E): test_unreadable_scheme_is_listed_as_broken}


def test_every_row_of_the_table_has_a_case() -> None:
    rows = {(c.file, c.code, c.severity.value) for c in CODES}
    assert len(rows) == len(CODES), "a row is repeated"
    tested = {(_file_kind(c), c.code, c.severity) for c in CASES} | set(ELSEWHERE)
    assert rows - tested == set(), "rows with no case"
    assert tested - rows == set(), "cases for codes not in cdo_cli/codes.py"


_CODE = re.compile(r"[a-z]+(?:-[a-z]+)+")
_CALLS = {"error": 0, "warning": 0, "Finding": 0, "findings_from": 2, "from_error": 1}


def _emitted() -> set[tuple[str, str, str]]:
    """(file kind, code, severity) of every literal code passed to a finding in cdo_cli/.

    Modules named policy_* report on schemes, roster_* on rosters, the rest on both.
    """
    out: set[tuple[str, str, str]] = set()
    for module in sorted((ROOT / "cdo_cli").rglob("*.py")):
        kinds = (
            ("scheme",) if module.stem.startswith("policy")
            else ("roster",) if module.stem.startswith("roster")
            else ("scheme", "roster")
        )  # fmt: skip
        tree = ast.parse(module.read_text(encoding="utf-8"))
        found: list[tuple[ast.AST, str]] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                if name not in _CALLS:
                    continue
                args = [*node.args[_CALLS[name] : _CALLS[name] + 1]]
                args += [k.value for k in node.keywords if k.arg == "code"]
                severity = W if name == "warning" or "Severity.warning" in ast.unparse(node) else E
                found += [(a, severity) for a in args]
            elif isinstance(node, ast.FunctionDef):  # def from_error(..., code="yaml-invalid")
                params = [*node.args.posonlyargs, *node.args.args]
                for param, default in zip(params[::-1], node.args.defaults[::-1], strict=False):
                    if param.arg == "code":
                        found.append((default, E))
        for expr, severity in found:
            for const in ast.walk(expr):
                value = const.value if isinstance(const, ast.Constant) else None
                if isinstance(value, str) and _CODE.fullmatch(value):
                    out.update((kind, value, severity) for kind in kinds)
    return out


def test_every_code_emitted_is_in_the_table() -> None:
    emitted = _emitted()
    rows = {(c.file, c.code, c.severity.value) for c in CODES}
    assert len(emitted) > 30  # the scan finds the calls
    assert emitted - rows == set(), "codes emitted but not documented in cdo_cli/codes.py"
    assert rows - emitted == set(), "rows of cdo_cli/codes.py that nothing emits"


def test_table_rows_say_what_they_mean() -> None:
    for row in CODES:
        assert _CODE.fullmatch(row.code), row
        assert isinstance(row.severity, Severity)
        assert re.search(r"[\u4e00-\u9fff]", row.meaning), row  # in Chinese, for the users
