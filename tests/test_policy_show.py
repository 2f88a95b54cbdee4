"""``cdo policy show``: every rule of a scheme in Chinese, read as of a date.

The text of each built-in scheme and each test scheme (tests/schemes/) is kept as a golden
file in tests/golden/policy/; after a deliberate change, regenerate them with
``CDO_UPDATE_GOLDEN=1 python -m pytest tests/test_policy_show.py`` and read the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT

SCHEMES = str(ROOT / "tests" / "schemes")
GOLDEN = Path(__file__).resolve().parent / "golden" / "policy"
UPDATE = bool(os.environ.get("CDO_UPDATE_GOLDEN"))

# (scheme, --as-of): a date where the scheme's time rules show something
SHOWN = [
    ("puning", "2023-11-01"),
    ("zhaoqing", "2021-11-01"),
    ("huizhou", "2023-06-01"),
    ("lingnan_pilot", "2021-07-01"),
    ("qingxi_growth", "2021-06-01"),
    ("qingxi_depts", "2024-01-01"),
]


@pytest.fixture
def show(cli: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """``cdo policy show`` at a fixed width, with the test schemes found."""
    monkeypatch.setenv("COLUMNS", "120")

    def run(*args: str) -> Any:
        return cli("--policies", SCHEMES, "policy", "show", *args)

    return run


def flat(text: str) -> str:
    """The text with its wrapped lines joined again (and the indent of a wrapped line)."""
    return re.sub(r"\n *", "", text)


def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal wide enough that no table cell wraps."""
    monkeypatch.setenv("COLUMNS", "400")


@pytest.mark.parametrize(("scheme", "as_of"), SHOWN)
def test_policy_show_golden(show: Any, scheme: str, as_of: str) -> None:
    result = show(scheme, "--as-of", as_of)
    assert result.exit_code == 0, result.output
    path = GOLDEN / f"{scheme}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(result.stdout, encoding="utf-8", newline="\n")
    assert path.is_file(), f"no golden file {path}; run with CDO_UPDATE_GOLDEN=1"
    assert result.stdout == path.read_text(encoding="utf-8"), f"{scheme} differs from its golden"


def test_show_parents_and_the_posts_of_each_kind(show: Any) -> None:
    text = show("lingnan_pilot").stdout
    assert "┃ 上级单位 ┃" in text and "│ 沙园街道                 │ 街道         │ 东湖区" in text
    assert "市首席数据官（city_cdo）：试点的地级以上市（2个：青溪市、白沙市）" in text
    assert (
        "首席数据官联络员（liaison）：街道、镇、园区（3个：沙园街道、石桥镇、青溪高新产业园）"
        in text
    )


def test_show_eligibility_firm_or_in_principle(show: Any) -> None:
    from cdo_cli.policy_loading import Registry
    from cdo_cli.scheme_rules import eligibility_words

    scheme = Registry([Path(SCHEMES)]).get("lingnan_pilot")
    words = {r.id: eligibility_words(r) for r in scheme.roles}
    assert words["city_cdo"] == (
        "由市政府分管数字政府建设工作的领导兼任（按“领导”检查，明确规定：职务明显不符报错误）"
    )
    assert words["dept_cdo"] == "原则上由本部门领导班子成员兼任（按“领导班子成员”检查，不符只提问）"
    assert words["liaison"] == "未规定"
    assert "明确规定" in show("lingnan_pilot").stdout


def test_show_minimum_counts(show: Any) -> None:
    text = flat(show("lingnan_pilot").stdout)
    assert "最少数量（名册中列出的单位才算选中）" in text
    assert (
        "pilot_counties：各试点的地级以上市（2个：青溪市、白沙市）下属的县（市、区）不少于3个"
        "（原文：不少于3个县(市、区)）" in text
    )


def test_show_reads_the_scheme_as_of_the_date(show: Any) -> None:
    early = flat(show("qingxi_growth", "--as-of", "2021-06-01").stdout)
    assert "范围随时间变化，以下按 2021-06-01 显示" in early
    assert (
        "区首席数据官（county_cdo）：县（市、区）（2个：东湖区、西湖区；截至2021-06-01尚未纳入：西湖区）"
        in early
    )
    assert (
        "适用时间：自2023-01-01起（2023年起，各部门增设数据专员1名）〔截至2021-06-01尚未开始〕"
        in early
    )
    later = flat(show("qingxi_growth", "--as-of", "2022-06-01").stdout)
    assert "尚未纳入" not in later
    assert "至2021-12-31止（试点联络员设至2021年12月31日止）〔截至2022-06-01已经结束〕" in later


def test_show_later_stages_say_when_where_and_whether_assumed(show: Any) -> None:
    before = flat(show("huizhou", "--as-of", "2023-12-30").stdout)
    assert (
        "自2023-12-31起扩大到（推定）：党群机构、政府部门、事业单位（11个，新增：市政务服务数据管理局）"
        "〔截至2023-12-30尚未开始〕" in before
    )
    after = show("huizhou", "--as-of", "2023-12-31").stdout
    assert "〔截至2023-12-31已适用〕" in flat(after)
    # the reason, once for the three posts it is given for
    assert flat(after).count("推定沿用试点部门“一官两员”的配备") == 1


def test_show_open_lists(show: Any) -> None:
    text = flat(show("puning").stdout)
    assert "可另设的岗位（文件所列以“等”结尾）" in text
    assert "支撑团队岗位：文件列出“规划岗位、数据岗位、政务信息化项目管理岗位等”" in text
    assert "role-unlisted" in text


def test_show_attributes_and_the_posts_that_turn_on_them(show: Any) -> None:
    text = flat(show("qingxi_depts").stdout)
    assert "┃ 属性          ┃" in show("qingxi_depts").stdout
    assert "设有信息化科室或下属信息化机构（it_office）" in text
    assert "方案写明：区公安分局（是）" in text
    assert "取决于它的职位：部门首席数据官（dept_cdo，为是时设）" in text
    assert "（方案写明的1个：区公安分局；其余2个视名册写明的属性而定）" in text


def test_show_an_unknown_issue_date(show: Any) -> None:
    head = show("qingxi_depts").stdout.splitlines()[1]
    assert head.endswith("印发日期：文件未写明")
    assert "2023-10-24印发" in show("puning").stdout.splitlines()[1]


def test_show_assumed_owners_and_recipients_with_the_reason(
    show: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = flat(show("zhaoqing").stdout)
    assert "推定（文件没有写明、方案推定的，各处标“（推定）”）" in text
    assert (
        "事项“推动公共数据开发利用示范试点建设”（demo_pilot）、“推进数据要素市场化工作”（data_market）"
        "的承担单位（14个单位）：由各试点单位承担（理由：本项未写明责任单位" in text
    )
    assert "（data_market，承担单位推定）" in text
    wide(monkeypatch)
    assert "│ 惠州市人民政府（推定）  " in show("huizhou").stdout  # city_rollout's owner


def test_show_an_assumed_recipient(
    show: Any, cli: Any, write: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (Path(SCHEMES) / "qingxi_depts.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    owed_to: 区政务服务数据管理局\n",
        "    owed_to: 区政务服务数据管理局\n    recipient_assumed: true\n"
        "    recipient_assumption: 文件未写明报给谁，推定为牵头单位。\n",
    )
    write("pol/qingxi_depts.yaml", text)
    wide(monkeypatch)
    shown = cli("--policies", "pol", "policy", "show", "qingxi_depts")
    assert shown.exit_code == 0, shown.output
    assert "│ 区政务服务数据管理局（推定） │" in shown.stdout
    assert (
        "事项“各部门报送首席数据官和数据专员名单”（staff_list）的报送对象（区政务服务数据管理局）："
        "文件未写明报给谁，推定为牵头单位。" in flat(shown.stdout)
    )


def test_show_builtin_schemes_keep_their_tables(show: Any) -> None:
    """The new sections come after the tables; a scheme without the new rules has none of them."""
    text = show("puning").stdout
    assert text.index("职位") < text.index("单位（38个）") < text.index("期限（按日期）")
    assert text.index("附件") < text.index("职位设在哪些单位")
    for absent in ("最少数量", "单位属性", "上级单位", "纳入时间", "范围随时间变化"):
        assert absent not in text


def test_show_as_of_is_checked(show: Any) -> None:
    for bad, words in (("2023-02-30", "日期无效：2023-02-30"), ("1800-01-01", "--as-of 超出范围")):
        result = show("huizhou", "--as-of", bad)
        assert result.exit_code == 2 and words in result.stderr
    result = show("huizhou", "--as-of", "2023-06-01", "--format", "json")
    assert result.exit_code == 2
    assert "--as-of 只用于 text 格式" in result.stderr and "Traceback" not in result.output


def test_show_without_as_of_reads_today(show: Any) -> None:
    result = show("qingxi_growth")
    assert result.exit_code == 0
    assert "以下按" in result.stdout and "〔截至" in result.stdout


def test_show_makes_control_characters_in_rules_visible(cli: Any, write: Any) -> None:
    text = (Path(SCHEMES) / "qingxi_depts.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    owed_to: 区政务服务数据管理局\n",
        "    owed_to: 区政务服务数据管理局\n    recipient_assumed: true\n"
        '    recipient_assumption: "推定\\e[2J为牵头\\u202e单位"\n',
    ).replace("name: 设有信息化科室或下属信息化机构", 'name: "设有信息化\\e[5m科室"')
    write("pol/qingxi_depts.yaml", text)
    shown = cli("--policies", "pol", "policy", "show", "qingxi_depts")
    assert shown.exit_code == 0, shown.output
    assert "\x1b" not in shown.stdout and "\u202e" not in shown.stdout
    assert r"推定\x1b[2J为牵头\u202e单位" in shown.stdout
    assert r"设有信息化\x1b[5m科室（it_office）" in shown.stdout
