"""Three schemes written from the guide alone, as a new author would (issue 11): a
provincial pilot whose cities choose counties and departments (lingdong_pilot), a district
scheme with 街道 (dongcheng) and a city whose posts turn on an attribute and whose scope
grows on 2022-01-01 (yunling). The schemes and their source texts are in
tests/schemes/trial11/; each test is a case that went wrong when they were used.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., Any]

HERE = Path(__file__).resolve().parent / "schemes" / "trial11"


@pytest.fixture
def schemes(tmp_path: Path) -> str:
    """The three schemes in a folder of the test's own (the CLI runs in tmp_path)."""
    folder = tmp_path / "方案"
    folder.mkdir()
    for path in HERE.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    return "方案"


def _roster(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _findings(result: Any) -> list[dict[str, Any]]:
    return json.loads(result.stdout)["findings"]  # type: ignore[no-any-return]


def test_trial_schemes_pass_check_against_their_sources(cli: Cli) -> None:
    """Every quote of the three schemes is found in the text it was written from."""
    result = cli("policy", "check", *(str(p) for p in sorted(HERE.glob("*.yaml"))))
    assert result.exit_code == 0, result.output
    assert "0 个错误，0 个警告" in result.stdout


# ---------------------------------------------------------------- the provincial pilot

PROVINCIAL = """\
scheme: lingdong_pilot
units:
  省公安厅:
    officers:
      dept_cdo: {name: 赵建华, title: 副厅长, phone: '13800000001'}
  省自然资源厅:
    officers:
      dept_cdo: {name: 钱卫东, title: 副厅长, phone: '13800000002'}
"""

HAIZHOU = """\
scheme: lingdong_pilot
units:
  海州市:
    officers:
      city_cdo: {name: 孙海明, title: 副市长, phone: '13800000011'}
  海城区:
    officers:
      county_cdo: {name: 李海, title: 副区长, phone: '13800000012'}
  滨海区:
    officers:
      county_cdo: {name: 周滨, title: 副区长, phone: '13800000013'}
  海丰县:
    officers:
      county_cdo: {name: 吴丰, title: 副县长, phone: '13800000014'}
"""


def test_init_marks_only_the_cities_choices_as_choosable(cli: Cli, schemes: str) -> None:
    """The provincial departments are named by the document: they are not the cities'
    choice of 市级部门, though they are departments too."""
    assert cli("--policies", schemes, "init", "--scheme", "lingdong_pilot").exit_code == 0
    text = Path("roster.yaml").read_text(encoding="utf-8")
    before = {
        line.strip().rstrip(":"): prev.strip()
        for prev, line in zip(text.splitlines(), text.splitlines()[1:], strict=False)
        if line.startswith("  ") and not line.startswith("   ")
    }
    assert not before["省公安厅"].startswith("# 可选择的单位")
    assert before["海州市公安局"].startswith("# 可选择的单位，列出即为选定（文件要求5个市级部门）")
    assert before["海州市海城区"].startswith("# 可选择的单位")


def test_validate_a_provincial_department_left_out_is_missing(
    cli: Cli, schemes: str, tmp_path: Path
) -> None:
    """省卫生健康委 is named by the document: leaving it out of every roster is a missing
    unit, not a choice; a county the city did not choose is not missing."""
    _roster(tmp_path, "名册/省直部门.yaml", PROVINCIAL)
    _roster(tmp_path, "名册/海州市.yaml", HAIZHOU)
    result = cli("--policies", schemes, "validate", "名册/", "--format", "json")
    missing = [f["message"] for f in _findings(result) if f["code"] == "unit-missing"]
    assert any("“省卫生健康委”在方案范围内" in m for m in missing), missing
    assert not any("海阳市" in m for m in missing), missing


def test_validate_folder_reads_the_rosters_in_its_sub_folders(
    cli: Cli, schemes: str, tmp_path: Path
) -> None:
    """名册/云岭市/ holds the city's roster and one per county: they are part of 名册/."""
    _roster(tmp_path, "名册/海州市.yaml", HAIZHOU)
    _roster(
        tmp_path,
        "名册/云岭市/市本级.yaml",
        "scheme: lingdong_pilot\nunits:\n  云岭市:\n    officers:\n"
        "      city_cdo: {name: 沈云, title: 副市长}\n"
        "  云岭市公安局:\n    officers:\n      dept_cdo: {name: 韩岭, title: 副局长}\n",
    )
    for county in ("云城区", "岭南县"):
        _roster(
            tmp_path,
            f"名册/云岭市/{county}.yaml",
            f"scheme: lingdong_pilot\nunits:\n  {county}:\n    officers:\n"
            f"      county_cdo: {{name: 杨{county[0]}, title: 副县长}}\n",
        )
    result = cli("--policies", schemes, "validate", "名册/", "--format", "json")
    found = _findings(result)
    assert not any("“云岭市”在方案范围内" in f["message"] for f in found), found
    short = [f["message"] for f in found if f["code"] == "minimum-not-met"]
    assert (
        "地级以上市“云岭市”只列出了 2 个（云岭市云城区、云岭市岭南县），文件要求不少于3个县(市、区)"
        in short
    )
    files = {f["file"] for f in found}
    assert any(name.endswith("云岭市/市本级.yaml") for name in files), files


# ---------------------------------------------------------------- the district scheme


def test_init_comment_says_the_range_of_holders(cli: Cli, schemes: str) -> None:
    """数据专员 “每个部门1至2名”: the roster's comment says 1至2名, not 2名."""
    assert cli("--policies", schemes, "init", "--scheme", "dongcheng").exit_code == 0
    text = Path("roster.yaml").read_text(encoding="utf-8")
    assert "# 数据专员（必设，1至2名）" in text
    assert "# 街道数据专员（必设，1名）" in text
    assert "# 数据治理岗（可设，人数不限）" in text


def test_init_comment_quotes_the_schemes_own_qualification(cli: Cli, schemes: str) -> None:
    """The qualification comment is the scheme's, not Puning's words for every scheme."""
    assert cli("--policies", schemes, "init", "--scheme", "dongcheng").exit_code == 0
    text = Path("roster.yaml").read_text(encoding="utf-8")
    assert "# 资质：熟悉业务和信息化工作" in text
    assert "相关专业背景或数字化工作经历" not in text


def test_validate_empty_post_is_placed_at_its_key(cli: Cli, schemes: str, tmp_path: Path) -> None:
    """``dept_cdo:`` left empty is reported on its own line, not on the next unit's."""
    _roster(
        tmp_path,
        "roster.yaml",
        "scheme: dongcheng\nunits:\n  区民政局:\n    officers:\n      dept_cdo:\n"
        "  区卫生健康局:\n    officers:\n      dept_cdo:\n",
    )
    result = cli("--policies", schemes, "validate", "roster.yaml", "--format", "json")
    placed = {
        (f["message"], f["line"])
        for f in _findings(result)
        if f["code"] == "role-missing" and "部门首席数据官" in f["message"]
    }
    assert ("“区民政局”的“部门首席数据官”尚未填写", 5) in placed, placed
    assert ("“区卫生健康局”的“部门首席数据官”尚未填写", 8) in placed, placed


def test_overdue_marks_an_assumed_owner_on_every_row(
    cli: Cli, schemes: str, tmp_path: Path
) -> None:
    """年度工作情况 has an assumed owner: each of its rows says （推定）, not only a unit's
    first row when it happens to be that duty."""
    _roster(
        tmp_path,
        "roster.yaml",
        "scheme: dongcheng\nunits:\n  区民政局:\n    officers:\n"
        "      dept_cdo: {name: 高发, title: 副局长}\n",
    )
    result = cli("--policies", schemes, "overdue", "--as-of", "2023-12-25", "--unit", "区民政局")
    assert result.exit_code == 0, result.output
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    annual = [i for i, line in enumerate(rows) if "年度工作情况报送" in line]
    assert annual, result.stdout
    for i in annual:
        assert "（推定）" in rows[i].split("│")[1] or (
            i + 1 < len(rows) and "（推定）" in rows[i + 1].split("│")[1]
        ), result.stdout
    listed = [line for line in rows if "确定“两官一员”人选" in line]
    assert listed and "（推定）" not in listed[0].split("│")[1], result.stdout


# ---------------------------------------------------------------- the city scheme

YUNLING = """\
scheme: yunling
units:
  市发展和改革局:
    attributes: {it_body: true}
    officers:
      dept_cdo: {name: 钟发, title: 副局长}
      data_specialist: {name: 谭专, title: 科长, qualification: 数据工作骨干}
    filings:
      - {obligation: pilot_list, date: 2021-07-30}
      - {obligation: annual_report, period: 2021, date: 2021-12-28}
  市公安局:
    attributes: {it_body: false}
    officers:
      data_specialist: {name: 邹专, title: 科员, qualification: 业务骨干}
  市自然资源局:
    attributes: {it_body: true}
    officers:
      data_specialist: {name: 秦专, title: 科员, qualification: 业务骨干}
  市人力资源和社会保障局:
    officers:
      data_specialist: {name: 熊专, title: 科员, qualification: 业务骨干}
"""


def test_validate_filing_of_a_duty_owed_by_the_rosters_attribute(
    cli: Cli, schemes: str, tmp_path: Path
) -> None:
    """The annual report is owed by departments with an IT body; the roster says
    市发展和改革局 has one, so its filing is owed, not an error."""
    _roster(tmp_path, "roster.yaml", YUNLING)
    result = cli(
        "--policies",
        schemes,
        "validate",
        "roster.yaml",
        "--as-of",
        "2022-03-01",
        "--format",
        "json",
    )
    wrong = [f for f in _findings(result) if f["code"] == "filing-not-owed"]
    assert wrong == [], wrong


def test_validate_filing_refused_where_the_roster_says_no(
    cli: Cli, schemes: str, tmp_path: Path
) -> None:
    """The same filing from a department whose roster says it has no IT body is an error."""
    said_no = YUNLING.replace(
        "  市发展和改革局:\n    attributes: {it_body: true}",
        "  市发展和改革局:\n    attributes: {it_body: false}",
    ).replace("      dept_cdo: {name: 钟发, title: 副局长}\n", "")
    _roster(tmp_path, "roster.yaml", said_no)
    result = cli(
        "--policies",
        schemes,
        "validate",
        "roster.yaml",
        "--as-of",
        "2022-03-01",
        "--format",
        "json",
    )
    wrong = [f["message"] for f in _findings(result) if f["code"] == "filing-not-owed"]
    assert wrong == ["“市发展和改革局”不承担“部门首席数据官年度工作报告”，不应有这项报送记录"]


def test_overdue_duty_owed_by_the_rosters_attribute(cli: Cli, schemes: str, tmp_path: Path) -> None:
    """市自然资源局 has an IT body by its roster: its 2021 annual report is overdue on
    2022-03-01; 市公安局 has none and owes nothing; 市人力资源和社会保障局 has not said."""
    _roster(tmp_path, "roster.yaml", YUNLING)
    result = cli("--policies", schemes, "overdue", "--as-of", "2022-03-01", "--format", "json")
    assert result.exit_code == 0, result.output
    items = [i for i in json.loads(result.stdout)["items"] if i["obligation"] == "annual_report"]
    by_unit = {(i["unit"], i["period"]): i["status"] for i in items}
    assert by_unit == {
        ("市发展和改革局", 2021): "filed",
        ("市自然资源局", 2021): "overdue",
    }, by_unit


def test_policy_show_duty_owed_by_an_attribute_is_left_to_the_roster(
    cli: Cli, schemes: str
) -> None:
    """The annual report's owners turn on an attribute no unit states in the scheme: the
    deadline table says so instead of “0个单位”, and no post says “其余” of nothing."""
    result = cli("--policies", schemes, "policy", "show", "yunling")
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if "annual_report" in line)
    assert "0个单位" not in row and "视名册写明的属性而定" in row, row
    assert "（10个视名册写明的属性而定）" in result.stdout


def test_policy_check_warns_of_a_form_sent_where_its_posts_are_not_set(
    cli: Cli, tmp_path: Path
) -> None:
    """附件2 as first written, for departments and 街道 alike: a street's copy had every
    section blank though the roster named its people. policy check says so and how to
    write it (the fixture does: a second form for the streets)."""
    text = (HERE / "dongcheng.yaml").read_text(encoding="utf-8")
    one_form = text.replace(
        "    applies_to:\n      kinds: [department]\n    obligation: name_list\n",
        "    applies_to:\n      kinds: [department, subdistrict]\n    obligation: name_list\n",
    )
    assert one_form != text
    (tmp_path / "dongcheng.yaml").write_text(one_form, encoding="utf-8")
    source = str(HERE / "sources" / "dongcheng.txt")
    result = cli("policy", "check", "dongcheng.yaml", "--source", source)
    assert result.exit_code == 0, result.output
    assert (
        "“附件2”的“首席数据官”栏由“部门首席数据官”（dept_cdo）填写，但这份表格也发给不设这一职位的"
        "4个单位（街道：东华街道、西河街道、南岭街道等），他们的表上这一栏总是空着  [form-role-absent]"
    ) in result.stdout
    assert "attachment2_street" in result.stdout


def test_overdue_lists_an_undated_filing_as_filed_or_not_never_overdue(
    cli: Cli, schemes: str, tmp_path: Path
) -> None:
    """数据资源目录 “编制完成后” 报备案: with --all each department's is 已报送 or 未报送, under
    无期限; it is never overdue, so --check is not failed by it."""
    _roster(
        tmp_path,
        "roster.yaml",
        "scheme: dongcheng\nunits:\n  区发展和改革局:\n    filings:\n"
        "      - {obligation: catalog_filing, date: 2023-11-15}\n"
        "      - {obligation: name_list, date: 2023-08-30}\n",
    )
    args = ("--policies", schemes, "overdue", "--as-of", "2023-09-10", "--format", "json")
    items = json.loads(cli(*args, "--all").stdout)["items"]
    catalog = {i["unit"]: i["status"] for i in items if i["obligation"] == "catalog_filing"}
    assert catalog == dict.fromkeys(
        ["区发展和改革局", "区教育局", "区公安分局", "区民政局", "区卫生健康局"], "not_filed"
    ), catalog  # filed on 11-15: not yet on 09-10
    later = json.loads(cli(*args[:4], "2023-11-20", "--all", "--format", "json").stdout)
    filed = [i for i in later["items"] if i["obligation"] == "catalog_filing"]
    assert {i["unit"]: i["status"] for i in filed}["区发展和改革局"] == "filed"
    assert all(i["due"] is None and i["days_overdue"] == 0 for i in filed)
    assert not any(i["obligation"] == "staff_change" for i in later["items"])
    table = cli(*args[:4], "2023-11-20", "--all", "--unit", "区发展和改革局")
    assert "无期限" in table.stdout and "（编制完成后）" in table.stdout, table.stdout
    only_undated = cli(*args[:4], "2023-08-01", "--check", "--unit", "区发展和改革局")
    assert only_undated.exit_code == 0, only_undated.output


def test_init_before_and_after_the_scope_grows(cli: Cli, schemes: str, tmp_path: Path) -> None:
    """2021: the 5 pilot departments, each with a 试点联络员; from 2022-01-01: all 10, and
    the liaison post is over."""
    early = cli("--policies", schemes, "init", "--scheme", "yunling", "--as-of", "2021-09-01")
    assert "（云岭市，6 个单位）" in early.stdout, early.output
    text = Path("roster.yaml").read_text(encoding="utf-8")
    assert "市教育局" not in text and text.count("pilot_liaison:") == 5
    assert "# 设有信息中心或其他信息化机构？填 true 或 false" in text
    Path("roster.yaml").unlink()
    late = cli("--policies", schemes, "init", "--scheme", "yunling", "--as-of", "2022-03-01")
    assert "（云岭市，11 个单位）" in late.stdout, late.output
    text = Path("roster.yaml").read_text(encoding="utf-8")
    assert "  市教育局:" in text and "pilot_liaison" not in text


def test_validate_posts_by_attribute_and_by_kind(cli: Cli, schemes: str, tmp_path: Path) -> None:
    """Attribute unstated: asked; false: no 首席数据官 allowed; a 街道 given a department's
    post is told so with its kind's Chinese name."""
    _roster(tmp_path, "roster.yaml", YUNLING)
    found = _findings(
        cli("--policies", schemes, "validate", "roster.yaml", "--as-of", "2022-03-01", "-f", "json")
    )
    messages = {f["code"]: f["message"] for f in found}
    assert messages["attribute-missing"] == (
        "“市人力资源和社会保障局”未写明是否“设有信息中心或其他信息化机构”，无法判断是否须设“部门首席数据官”"
    )
    police = YUNLING.replace(
        "      data_specialist: {name: 邹专",
        "      dept_cdo: {name: 龙安, title: 副局长}\n      data_specialist: {name: 邹专",
    )
    _roster(tmp_path, "roster.yaml", police)
    found = _findings(
        cli("--policies", schemes, "validate", "roster.yaml", "--as-of", "2022-03-01", "-f", "json")
    )
    assert "政府部门“市公安局”不设“部门首席数据官”（dept_cdo）" in [f["message"] for f in found]
    _roster(
        tmp_path,
        "roster.yaml",
        "scheme: dongcheng\nunits:\n  东华街道办事处:\n    officers:\n"
        "      dept_exec: {name: 陶执, title: 科长}\n",
    )
    found = _findings(cli("--policies", schemes, "validate", "roster.yaml", "-f", "json"))
    assert "街道“东华街道”不设“首席数据执行官”（dept_exec）" in [f["message"] for f in found]


def test_validate_a_city_that_chose_two_counties(cli: Cli, schemes: str, tmp_path: Path) -> None:
    """江城市 names two counties in its roster: fewer than 不少于3个; 海州市 names three."""
    _roster(tmp_path, "名册/海州市.yaml", HAIZHOU)
    _roster(
        tmp_path,
        "名册/江城市.yaml",
        "scheme: lingdong_pilot\nunits:\n  江城市:\n    officers:\n"
        "      city_cdo: {name: 卫江, title: 副市长}\n"
        "  江南区:\n    officers:\n      county_cdo: {name: 蒋南, title: 副区长}\n"
        "  江北区:\n    officers:\n      county_cdo: {name: 韩北, title: 副区长}\n",
    )
    found = _findings(cli("--policies", schemes, "validate", "名册/", "-f", "json"))
    short = [(f["file"], f["message"]) for f in found if f["code"] == "minimum-not-met"]
    assert (
        "名册/江城市.yaml",
        "地级以上市“江城市”只列出了 2 个（江城市江南区、江城市江北区），文件要求不少于3个县(市、区)",
    ) in short
    assert not any("海州市”只列出了" in m and "县" in m for _, m in short), short


def test_overdue_a_county_no_roster_chose_owes_nothing(
    cli: Cli, tmp_path: Path, schemes: str
) -> None:
    """A duty of the chosen counties: 海州市海阳市, which 海州市's roster does not list, was
    not chosen and owes nothing, as validate does not call it missing. Without any roster
    nothing is known to be chosen, and every county is listed."""
    text = (HERE / "lingdong_pilot.yaml").read_text(encoding="utf-8")
    text = text.replace("id: lingdong_pilot", "id: lingdong_duty").replace(
        "obligations:\n",
        "obligations:\n"
        "  - id: county_report\n"
        "    title: 试点县(市、区)报送工作情况\n"
        "    owed_by: {kinds: [county]}\n"
        "    owed_to: 省政务服务数据管理局\n"
        "    deliverable: report\n"
        "    due: {date: 2024-06-30, text: 2024年6月30日前}\n"
        "    source: {section: 一, quote: 试点县(市、区)和市级部门名单由试点地市确定}\n",
        1,
    )
    (tmp_path / schemes / "lingdong_duty.yaml").write_text(text, encoding="utf-8")
    _roster(tmp_path, "海州市.yaml", HAIZHOU.replace("lingdong_pilot", "lingdong_duty"))
    args = ("--policies", schemes, "overdue", "--as-of", "2024-07-15", "--format", "json")
    items = json.loads(cli(*args, "--roster", "海州市.yaml").stdout)["items"]
    owing = {i["unit"] for i in items if i["obligation"] == "county_report"}
    assert owing == {"海州市海城区", "海州市滨海区", "海州市海丰县"}, owing
    items = json.loads(cli(*args, "--scheme", "lingdong_duty").stdout)["items"]
    assert len({i["unit"] for i in items if i["obligation"] == "county_report"}) == 10


def test_validate_a_missing_unit_is_reported_with_its_kin(
    cli: Cli, schemes: str, tmp_path: Path
) -> None:
    """省卫生健康委, missing from every roster, is reported in the roster of the other
    provincial departments, not in whichever city's roster sorts first."""
    _roster(tmp_path, "名册/江城市.yaml", "scheme: lingdong_pilot\nunits:\n  江城市: {}\n")
    _roster(tmp_path, "名册/省直部门.yaml", PROVINCIAL)
    found = _findings(cli("--policies", schemes, "validate", "名册/", "-f", "json"))
    where = {f["file"] for f in found if "“省卫生健康委”在方案范围内" in f["message"]}
    assert where == {"名册/省直部门.yaml"}, found
