"""The rules the scheme model holds (issue 11), through the commands that use them.

The test schemes in tests/schemes/ (see its README) show what the three built-in documents
do not have: a provincial pilot's minimum counts, 街道 and parents, growth over time,
posts that depend on a unit's attribute. The built-in schemes are checked where a rule
applies to them: Puning's 等, Zhaoqing's and Huizhou's assumptions, Huizhou's rollout.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cdo_cli.eligibility import judge, read_title
from cdo_cli.policy import EligibilityRule, Role, Selector, Unit, UnitKind
from conftest import ROOT

SCHEMES = str(ROOT / "tests" / "schemes")

CITY = """\
scheme: lingnan_pilot
units:
  青溪市:
    officers:
      city_cdo: {name: 王一, title: 副市长}
  青溪市公安局: {officers: {dept_cdo: {name: 李二, title: 副局长}}}
  青溪市教育局: {officers: {dept_cdo: {name: 张三, title: 党组成员}}}
  青溪市自然资源局: {officers: {dept_cdo: {name: 吴八, title: 局长}}}
  青溪市卫生健康局: {officers: {dept_cdo: {name: 郑九, title: 副局长}}}
  青溪市交通运输局: {officers: {dept_cdo: {name: 冯十, title: 副局长}}}
"""
EAST = """\
scheme: lingnan_pilot
units:
  东湖区:
    officers:
      county_cdo: {name: 钱五, title: 副区长}
"""
WEST = """\
scheme: lingnan_pilot
units:
  西湖区:
    officers:
      county_cdo: {name: 孙六, title: 副区长}
"""
BAISHA = """\
scheme: lingnan_pilot
units:
  白沙市: {officers: {city_cdo: {name: 陈一, title: 副市长}}}
  白沙区: {officers: {county_cdo: {name: 陈二, title: 副区长}}}
  江口县: {officers: {county_cdo: {name: 陈三, title: 副县长}}}
  石门县: {officers: {county_cdo: {name: 陈四, title: 副县长}}}
  白沙市公安局: {officers: {dept_cdo: {name: 陈五, title: 副局长}}}
  白沙市教育局: {officers: {dept_cdo: {name: 陈六, title: 副局长}}}
  白沙市民政局: {officers: {dept_cdo: {name: 陈七, title: 副局长}}}
  白沙市财政局: {officers: {dept_cdo: {name: 陈八, title: 副局长}}}
  白沙市水务局: {officers: {dept_cdo: {name: 陈九, title: 副局长}}}
"""


def _findings(result: Any) -> list[dict[str, Any]]:
    findings: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return findings


def _codes(result: Any) -> list[tuple[str, str]]:
    return [(f["code"], f["file"]) for f in _findings(result)]


# ---------------------------------------------------------------- several rosters, minimums


def test_validate_a_folder_checks_the_rosters_together(cli: Any, write: Any) -> None:
    """A city's rosters, one per county and one for the city's own units: each county
    is listed once somewhere, and the minimum counts are over all of them."""
    for name, text in (("市本级", CITY), ("东湖区", EAST), ("西湖区", WEST), ("白沙市", BAISHA)):
        write(f"名册/{name}.yaml", text)
    result = cli("--policies", SCHEMES, "validate", "名册", "--format", "json")
    assert result.exit_code == 0, result.output
    findings = _findings(result)
    # two counties chosen, three required; every other rule holds
    assert [(f["code"], f["message"]) for f in findings] == [
        (
            "minimum-not-met",
            "地级以上市“青溪市”只列出了 2 个（东湖区、西湖区），文件要求不少于3个县(市、区)",
        )
    ]
    assert findings[0]["file"] == "名册/市本级.yaml" and findings[0]["line"] == 3
    summary = json.loads(result.stdout)["summary"]
    [names] = summary
    assert names.count("名册/") == 4
    assert summary[names]["县（市、区）"] == {"complete": 5, "incomplete": 0, "missing": 0}

    # counts rolled up by parent: every unit under each city, at any depth
    by_parent = json.loads(result.stdout)["summary_by_parent"][names]
    assert by_parent["青溪市"] == {
        "complete": 7,
        "incomplete": 0,
        "missing": 0,
    }  # 5 depts, 2 counties
    assert by_parent["白沙市"] == {"complete": 8, "incomplete": 0, "missing": 0}
    text = cli("--policies", SCHEMES, "validate", "名册").stdout
    assert "完整性（按上级单位，含各级下属单位）：\n  青溪市：完整 7，不完整 0，缺失 0" in text

    # the third county, in its own file: the city has chosen enough
    write("名册/南山县.yaml", EAST.replace("东湖区", "南山县"))
    result = cli("--policies", SCHEMES, "validate", "名册", "--format", "json")
    assert _findings(result) == []


def test_validate_one_county_alone_reports_what_the_others_would_cover(
    cli: Any, write: Any
) -> None:
    write("东湖区.yaml", EAST)
    result = cli("--policies", SCHEMES, "validate", "东湖区.yaml", "--format", "json")
    codes = [f["code"] for f in _findings(result)]
    assert codes.count("unit-missing") == 2  # the two pilot cities
    assert codes.count("minimum-not-met") == 2  # counties and departments of 青溪市, not 白沙市
    # the counties nobody chose are not missing
    assert not any("北岭县" in f["message"] for f in _findings(result))


def test_a_unit_in_two_rosters_is_a_duplicate(cli: Any, write: Any) -> None:
    write("a.yaml", EAST)
    write("b.yaml", EAST.replace("钱五", "钱六"))
    result = cli("--policies", SCHEMES, "validate", "a.yaml", "b.yaml", "--format", "json")
    assert result.exit_code == 1
    [dup] = [f for f in _findings(result) if f["code"] == "unit-duplicate"]
    assert dup["file"] == "b.yaml" and dup["line"] == 3
    assert dup["message"] == (
        "“东湖区”已在名册 a.yaml 中列出，同一方案的几份名册不能重复列出同一单位"
    )


def test_rosters_of_two_schemes_are_checked_apart(cli: Any, write: Any) -> None:
    write("a.yaml", EAST)
    write("b.yaml", "scheme: puning\nunits: {}\n")
    result = cli("--policies", SCHEMES, "validate", "a.yaml", "b.yaml", "--format", "json")
    summary = json.loads(result.stdout)["summary"]
    assert set(summary) == {"a.yaml", "b.yaml"}
    assert not [f for f in _findings(result) if f["code"] == "unit-duplicate"]


# ---------------------------------------------------------------- kinds and parents


def test_messages_name_the_kind_in_chinese(cli: Any, write: Any) -> None:
    write("r.yaml", EAST + "  沙园街道:\n    officers:\n      county_cdo: {name: 周七}\n")
    result = cli("--policies", SCHEMES, "validate", "r.yaml")
    assert "街道“沙园街道”不设“县(市、区)首席数据官”（county_cdo）" in result.stdout
    assert "本级政府“沙园街道”" not in result.stdout
    shown = cli("--policies", SCHEMES, "policy", "show", "lingnan_pilot").stdout
    assert "沙园街道" in shown


def _lingnan() -> Any:
    from cdo_cli.policy_loading import Registry

    return Registry([Path(SCHEMES)]).get("lingnan_pilot")


def test_under_picks_units_below_a_unit_at_any_level() -> None:
    scheme = _lingnan()
    below = [UnitKind.subdistrict, UnitKind.town]

    def names(**kw: Any) -> list[str]:
        return [u.name for u in scheme.select(Selector(**kw))]

    assert names(under=["东湖区"]) == ["沙园街道"]  # direct
    assert names(under=["青溪市"], kinds=below) == ["沙园街道", "石桥镇"]  # through its counties
    assert names(under=["东湖区", "南山县"]) == ["沙园街道", "石桥镇"]  # any of them
    assert "青溪市" not in names(under=["青溪市"])  # not the unit itself
    assert names(under=["白沙市"], kinds=below) == []
    assert names(under=["白沙市"], kinds=[UnitKind.county]) == ["白沙区", "江口县", "石门县"]


def test_a_role_under_a_district_is_checked_in_the_roster(cli: Any, write: Any) -> None:
    """A 街道 outside the district the role is set up under may not hold it."""
    text = (Path(SCHEMES) / "lingnan_pilot.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    applies_to: {kinds: [subdistrict, town, park]}\n",
        "    applies_to: {kinds: [subdistrict, town], under: [东湖区]}\n",
    )
    write("pol/lingnan_pilot.yaml", text)
    checked = cli("--policies", "pol", "policy", "check", "pol/lingnan_pilot.yaml")
    assert checked.exit_code == 0 and "0 个警告" in checked.stdout, checked.output
    write("r.yaml", "scheme: lingnan_pilot\nunits:\n"
          "  沙园街道: {officers: {liaison: {name: 陈一, title: 科员}}}\n"
          "  石桥镇: {officers: {liaison: {name: 陈二, title: 科员}}}\n")  # fmt: skip
    result = cli("--policies", "pol", "validate", "r.yaml", "--format", "json")
    wrong = [f for f in _findings(result) if f["code"] == "role-not-allowed"]
    assert [f["message"] for f in wrong] == ["镇“石桥镇”不设“首席数据官联络员”（liaison）"]


def test_policy_schema_has_under(cli: Any) -> None:
    schema = json.loads(cli("schema", "policy").stdout)
    under = schema["$defs"]["Selector"]["properties"]["under"]
    assert under["type"] == "array" and "parent" in under["description"]


# ---------------------------------------------------------------- time


GROWTH = """\
scheme: qingxi_growth
units:
  西湖区:
    officers:
      county_cdo: {name: 孙六, title: 副区长}
    filings:
      - {obligation: annual_report, period: 2022, date: 2022-12-20}
"""


def test_init_lists_the_scheme_as_of_the_date(cli: Any) -> None:
    early = cli("--policies", SCHEMES, "init", "-s", "qingxi_growth", "--as-of", "2021-06-01")
    assert early.exit_code == 0, early.output
    assert "（青溪市，4 个单位）" in early.stdout
    text = Path("roster.yaml").read_text(encoding="utf-8")
    assert "西湖区" not in text and "pilot_liaison" in text and "data_commissioner" not in text
    later = cli(
        "--policies", SCHEMES, "init", "-s", "qingxi_growth", "--as-of", "2023-06-01", "--force"
    )
    assert "（青溪市，6 个单位）" in later.stdout
    text = Path("roster.yaml").read_text(encoding="utf-8")
    assert "西湖区" in text and "pilot_liaison" not in text and "data_commissioner" in text


@pytest.mark.parametrize("command", ["init", "validate"])
def test_as_of_must_be_a_real_date(cli: Any, write: Any, command: str) -> None:
    write("r.yaml", GROWTH)
    args = ["-s", "qingxi_growth"] if command == "init" else ["r.yaml"]
    for bad, words in (("2023-02-30", "日期无效：2023-02-30"), ("1800-01-01", "--as-of 超出范围")):
        result = cli("--policies", SCHEMES, command, *args, "--as-of", bad)
        assert result.exit_code == 2
        assert words in result.stderr and "Traceback" not in result.output


def test_validate_reads_the_scheme_as_of_the_date(cli: Any, write: Any) -> None:
    write("r.yaml", GROWTH)
    early = cli("--policies", SCHEMES, "validate", "r.yaml", "--as-of", "2021-06-01")
    assert "县（市、区）“西湖区”不在方案范围内：自 2022-01-01 起才适用" in early.stdout
    later = cli("--policies", SCHEMES, "validate", "r.yaml", "--as-of", "2022-06-01")
    assert "不在方案范围内" not in later.stdout
    assert "“市公安局”在方案范围内" in later.stdout  # not yet with its data commissioner
    assert "数据专员" not in later.stdout
    assert (
        "数据专员"
        in cli("--policies", SCHEMES, "validate", "r.yaml", "--as-of", "2023-06-01").stdout
    )


def test_overdue_counts_a_unit_from_when_it_joins(cli: Any, write: Any) -> None:
    write("r.yaml", GROWTH)
    result = cli("--policies", SCHEMES, "overdue", "-r", "r.yaml", "--as-of", "2023-01-10",
                 "--format", "json")  # fmt: skip
    items = json.loads(result.stdout)["items"]
    periods = {(i["unit"], i["period"]): i["status"] for i in items}
    assert ("西湖区", 2021) not in periods
    assert periods[("西湖区", 2022)] == "filed"
    assert periods[("东湖区", 2021)] == "overdue"


# ---------------------------------------------------------------- assumptions


def test_overdue_marks_an_assumed_owner(cli: Any) -> None:
    """Zhaoqing's 四（二） names no owner: the scheme assumes the pilot units."""
    result = cli("overdue", "-s", "zhaoqing", "--as-of", "2021-11-01", "--format", "json")
    items = json.loads(result.stdout)["items"]
    demo = [i for i in items if i["obligation"] == "demo_pilot"]
    assert len(demo) == 14 and all(i["owner_assumed"] for i in demo)
    assert "本项未写明责任单位" in demo[0]["owner_assumption"]
    table = cli("overdue", "-s", "zhaoqing", "--as-of", "2021-11-01").stdout
    assert "（推定）" in table and "（推定）承担单位：由各试点单位承担" in table
    # 五（三）'s summary: its owner is the sentence's own subject, 各试点单位
    later = cli("overdue", "-s", "zhaoqing", "--as-of", "2022-05-10", "--format", "json")
    summary = [i for i in json.loads(later.stdout)["items"] if i["obligation"] == "work_summary"]
    assert len(summary) == 14 and not any(i["owner_assumed"] for i in summary)


def test_overdue_ics_says_the_assumption(cli: Any) -> None:
    result = cli("overdue", "-s", "huizhou", "--as-of", "2024-01-05", "--format", "ics")
    text = result.stdout.replace("\r\n ", "")
    assert "推定承担单位：由惠州市人民政府承担" in text


def test_huizhou_rollout_is_an_assumption_where_it_acts(cli: Any, write: Any) -> None:
    write("r.yaml", "scheme: huizhou\nunits:\n  市政务服务数据管理局:\n    officers: {}\n")
    before = cli("validate", "r.yaml", "--as-of", "2023-12-30", "--format", "json")
    assert not [f for f in _findings(before) if "市政务服务数据管理局" in f["message"]]
    after = cli("validate", "r.yaml", "--as-of", "2023-12-31", "--format", "json")
    missing = [f for f in _findings(after) if f["code"] == "role-missing"]
    assert [f["message"] for f in missing] == [
        "“市政务服务数据管理局”的“部门首席数据官”尚未填写（推定）",
        "“市政务服务数据管理局”的“数据专员”尚未填写（推定）",
        "“市政务服务数据管理局”的“政务专员”尚未填写（推定）",
    ]
    assert "四（四）" in missing[0]["hint"] and "推定的理由" in missing[0]["hint"]


def test_assumed_separation_is_a_warning(cli: Any, write: Any) -> None:
    write(
        "r.yaml",
        "scheme: huizhou\nunits:\n  市公安局:\n    officers:\n"
        "      dept_cdo: {name: 张三, title: 副局长}\n"
        "      data_commissioner: {name: 张三, title: 副局长}\n",
    )
    result = cli("validate", "r.yaml", "--as-of", "2023-01-01", "--format", "json")
    apart = [f for f in _findings(result) if f["code"] == "posts-kept-apart"]
    assert [f["severity"] for f in apart] == ["warning"]
    assert "（推定）" in apart[0]["message"] and "一官两员" in apart[0]["hint"]


def test_unknown_issue_date(cli: Any, write: Any) -> None:
    shown = cli("--policies", SCHEMES, "policy", "show", "qingxi_depts")
    assert shown.exit_code == 0 and "印发日期：文件未写明" in shown.stdout
    listed = cli("--policies", SCHEMES, "policy", "list")
    assert "未载明" in listed.stdout
    write("r.yaml", "scheme: qingxi_depts\nunits:\n  区公安分局:\n    officers:\n"
          "      dept_cdo: {name: 王一, title: 局长, appointed: 1999-01-01}\n")  # fmt: skip
    result = cli("--policies", SCHEMES, "validate", "r.yaml", "--format", "json")
    codes = [f["code"] for f in _findings(result)]
    assert "issue-date-unknown" in codes and "appointed-before-issue" not in codes


# ---------------------------------------------------------------- open lists, attributes


def test_puning_allows_another_support_post_with_a_warning(cli: Any, write: Any) -> None:
    write("r.yaml", "scheme: puning\nunits:\n  市公安局:\n    officers:\n"
          "      网络安全岗位: {name: 周九, title: 科员, qualification: 网络工程专业}\n")  # fmt: skip
    result = cli("validate", "r.yaml", "--format", "json")
    assert result.exit_code == 0
    [found] = [f for f in _findings(result) if f["code"] == "role-unlisted"]
    assert found["severity"] == "warning"
    # a near miss of a listed post is still a typo
    write("r.yaml", "scheme: puning\nunits:\n  市公安局:\n    officers:\n"
          "      support_dat: {name: 周九}\n")  # fmt: skip
    result = cli("validate", "r.yaml", "--format", "json")
    assert result.exit_code == 1 and "role-unknown" in [f["code"] for f in _findings(result)]
    # a unit outside the list's scope may not
    write("r.yaml", "scheme: puning\nunits:\n  普宁市人民政府:\n    officers:\n"
          "      网络安全岗位: {name: 周九}\n")  # fmt: skip
    assert cli("validate", "r.yaml").exit_code == 1


def test_init_asks_for_the_attribute_and_its_roster_is_valid(cli: Any) -> None:
    result = cli("--policies", SCHEMES, "init", "-s", "qingxi_depts")
    assert result.exit_code == 0, result.output
    text = Path("roster.yaml").read_text(encoding="utf-8")
    assert "      it_office:\n" in text and "视单位属性而定" in text
    schema = json.loads(Path("qingxi_depts.roster.schema.json").read_text(encoding="utf-8"))
    attributes = schema["$defs"]["UnitEntry"]["properties"]["attributes"]
    assert attributes["propertyNames"] == {"enum": ["it_office"]}
    checked = cli("--policies", SCHEMES, "validate", "roster.yaml", "--format", "json")
    assert checked.exit_code == 0, checked.output
    assert "attribute-missing" in [f["code"] for f in _findings(checked)]


def test_a_scheme_with_an_open_list_lets_editors_name_any_post(cli: Any) -> None:
    result = cli("schema", "roster", "--scheme", "puning")
    defs = json.loads(result.stdout)["$defs"]
    officers = defs["UnitEntry"]["properties"]["officers"]
    assert "propertyNames" not in officers and "support_data" in officers["description"]
    assert "enum" not in defs["PastHolder"]["properties"]["role"]


# ---------------------------------------------------------------- the model itself


def _unit(**kw: Any) -> Unit:
    return Unit.model_validate({"name": "区教育局", "kind": "department", **kw,
                                "source": {"section": "一", "quote": "区教育局"}})  # fmt: skip


def test_selector_on_an_attribute_is_undecided_until_someone_says() -> None:
    picks = Selector(kinds=[UnitKind.department], attributes={"it_office": True})
    assert picks.state(_unit()) is None
    assert picks.state(_unit(), {"it_office": True}) is True
    assert picks.state(_unit(), {"it_office": False}) is False
    assert picks.state(_unit(), {"it_office": None}) is None  # left blank in the roster
    assert picks.state(_unit(attributes={"it_office": True})) is True
    assert picks.state(_unit(attributes={"it_office": True}), {"it_office": False}) is False
    assert not picks.matches(_unit())


def test_role_expands_from_its_date() -> None:
    role = Role.model_validate(
        {
            "id": "dept_cdo", "name": "部门首席数据官", "category": "officer",
            "applies_to": {"pilot": True}, "required": True, "holders": {"min": 1, "max": 1},
            "expands": [{"since": "2023-12-31", "applies_to": {"kinds": ["department"]},
                         "text": "全面推行", "source": {"section": "四", "quote": "全面推行"}}],
            "source": {"section": "三", "quote": "设部门首席数据官"},
        }
    )  # fmt: skip
    import datetime as dt

    plain = _unit()
    assert role.applies(plain, dt.date(2023, 12, 30)) is False
    assert role.applies(plain, dt.date(2023, 12, 31)) is True
    assert role.applies(plain) is True  # whenever
    assert role.stage(plain) is not None and role.stage(_unit(pilot=True)) is None


@pytest.mark.parametrize(
    ("title", "rule", "met", "clear"),
    [
        ("副局长、党组成员", EligibilityRule.leadership, True, False),
        ("副局长、党组成员", EligibilityRule.leadership_team, True, False),
        ("副局长、党组成员", EligibilityRule.deputy_or_above, True, False),
        ("副局长、党组成员", EligibilityRule.principal, False, True),
        ("党组成员", EligibilityRule.deputy_or_above, False, False),
        ("市政府副秘书长、市政数局局长", EligibilityRule.principal, True, False),
        ("四级调研员", EligibilityRule.leadership, False, True),
        ("市公积金中心四级调研员", EligibilityRule.deputy_or_above, False, True),
        ("信息科科长", EligibilityRule.leadership, False, True),
        ("主任科员", EligibilityRule.leadership, False, True),
        ("局长", EligibilityRule.principal, True, False),
        ("高级工程师", EligibilityRule.leadership, False, False),
        ("厅长", EligibilityRule.principal, True, False),  # a province's departments
        ("副厅长", EligibilityRule.deputy_or_above, True, False),
        ("副厅长", EligibilityRule.principal, False, True),
        ("区委常委", EligibilityRule.deputy_or_above, False, False),  # a party post: a question
        ("区委常委、副区长", EligibilityRule.deputy_or_above, True, False),
    ],
)
def test_titles_read_against_rules(
    title: str, rule: EligibilityRule, met: bool, clear: bool
) -> None:
    role = Role.model_validate(
        {
            "id": "cdo", "name": "首席数据官", "category": "officer", "applies_to": {},
            "required": True, "holders": {"min": 1, "max": 1}, "eligibility_rule": rule,
            "source": {"section": "一", "quote": "设首席数据官"},
        }
    )  # fmt: skip
    verdict = judge(role, title)
    assert (verdict is None) is met, (title, verdict)
    if verdict is not None:
        assert bool(verdict.why) is clear, (title, verdict)
        assert verdict.question.endswith(("请人工确认", "请补充"))


def test_a_question_names_the_title_once() -> None:
    role = Role.model_validate(
        {
            "id": "cdo", "name": "首席数据官", "category": "officer", "applies_to": {},
            "required": True, "holders": {"min": 1, "max": 1},
            "eligibility_rule": EligibilityRule.leadership,
            "source": {"section": "一", "quote": "设首席数据官"},
        }
    )  # fmt: skip
    verdict = judge(role, "四级调研员")
    assert verdict is not None
    assert verdict.question.count("四级调研员") == 1, verdict.question


def test_a_title_with_a_rank_and_a_post_is_a_leader() -> None:
    reading = read_title("党组成员、二级调研员")
    assert reading.team and reading.rank == "二级调研员" and reading.leader


def test_record_appoints_to_a_post_from_a_later_stage(cli: Any, write: Any) -> None:
    """Huizhou's 市政务服务数据管理局 has a 部门首席数据官 only after the rollout."""
    write("roster.yaml", "scheme: huizhou\nunits:\n  市政务服务数据管理局:\n    officers: {}\n")
    result = cli("record", "appoint", "--unit", "市政务服务数据管理局", "--role", "dept_cdo",
                 "--name", "张三", "--title", "副局长", "--date", "2024-01-02")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "张三" in Path("roster.yaml").read_text(encoding="utf-8")


def test_a_roster_may_write_an_attribute_as_a_clerk_says_it(cli: Any, write: Any) -> None:
    """it_office: 是 (or 有) is true and 否 (or 无) is false, as true and false are."""
    base = "scheme: qingxi_depts\nunits:\n  区教育局:\n    attributes: {it_office: %s}\n"
    found = {}
    for word in ("true", "是", "有", "false", "否", "无"):
        write("roster.yaml", base % word)
        result = cli("--policies", SCHEMES, "validate", "roster.yaml", "--format", "json")
        found[word] = sorted(f["message"] for f in _findings(result) if "区教育局" in f["message"])
    assert found["是"] == found["有"] == found["true"]
    assert found["否"] == found["无"] == found["false"]
    assert found["true"] != found["false"]
    write("roster.yaml", base % "也许")
    bad = cli("--policies", SCHEMES, "validate", "roster.yaml", "--format", "json")
    assert bad.exit_code == 1 and "应为 true 或 false" in bad.stdout
