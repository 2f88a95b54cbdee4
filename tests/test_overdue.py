"""cdo overdue: which filings are late, by whom, by how many days."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from cdo_cli.overdue import compute_status, filing_period
from cdo_cli.policy import Due
from cdo_cli.policy_loading import Registry

ROOT = Path(__file__).resolve().parents[1]

PUNING_ROSTER = """
scheme: puning
units:
  普宁市人民政府:
    filings:
      - obligation: city_contact_form   # due 10-20, the scheme was issued 10-24
        date: 2023-10-25
  市商务局:
    filings: []
  市公安局:
    filings:
      - obligation: dept_contact_form   # on time: two days early
        date: 2023-10-28
      - obligation: dept_cdo_plan       # on the day itself: on time
        date: 2023-10-30
  市科技局:
    filings:
      - obligation: dept_contact_form   # late, and filed again later: the first counts
        date: 2023-11-03
      - obligation: dept_contact_form
        date: 2023-11-06
  市发展改革局:
    filings:
      - obligation: dept_contact_form   # dated after the as-of date: not filed yet
        date: 2023-11-20
"""

RECURRING_ROSTER = """
scheme: puning
units:
  市公安局:
    filings:
      - obligation: dept_cdo_annual_report
        period: 2023
        date: 2023-12-20
      - obligation: dept_cdo_annual_report
        period: 2024
        date: 2025-01-05
  市科技局:
    filings:
      - obligation: dept_cdo_annual_report   # no period: the next due date is 2024-12-31
        date: 2024-06-01
"""


def items_of(result: Any) -> list[dict[str, Any]]:
    """The items of a JSON run, after checking its shape."""
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"as_of", "items"}
    items: list[dict[str, Any]] = data["items"]
    return items


def one(items: list[dict[str, Any]], **match: Any) -> dict[str, Any]:
    """The single item with these field values."""
    found = [i for i in items if all(i[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, found)
    return found[0]


# ---------------------------------------------------------------- no roster


def test_overdue_no_roster_done_when(cli: Any) -> None:
    result = cli("overdue", "--as-of", "2023-11-01", "--format", "json")
    assert "未提供名册（--roster），也没有 ./roster.yaml：按全部未报送计算。" in result.stderr
    assert result.stderr.count("\n") == 1
    items = items_of(result)
    assert json.loads(result.stdout)["as_of"] == "2023-11-01"

    contact = one(items, scheme="puning", obligation="city_contact_form")
    assert (contact["unit"], contact["due"], contact["status"], contact["days_overdue"]) == (
        "普宁市人民政府", "2023-10-20", "overdue", 12
    )  # fmt: skip
    for obligation in ("dept_contact_form", "dept_cdo_plan"):
        rows = [i for i in items if i["scheme"] == "puning" and i["obligation"] == obligation]
        assert len({i["unit"] for i in rows}) == len(rows) == 36
        assert {(i["due"], i["status"], i["days_overdue"]) for i in rows} == {
            ("2023-10-30", "overdue", 2)
        }
    city_plan = one(items, obligation="city_cdo_plan")
    assert (city_plan["unit"], city_plan["days_overdue"]) == ("普宁市人民政府", 2)

    zhaoqing = Counter(i["due"] for i in items if i["scheme"] == "zhaoqing")
    assert zhaoqing == {"2021-10-31": 14, "2022-04-30": 14}
    huizhou = Counter((i["obligation"], i["due"]) for i in items if i["scheme"] == "huizhou")
    assert huizhou[("pilot_plan", "2022-08-31")] == 13
    assert huizhou[("pilot_summary", "2023-04-30")] == 13
    assert huizhou[("bureau_pilot_overview", "2023-04-30")] == 1
    assert huizhou[("dept_cdo_annual_report", "2022-12-31")] == 10
    # Nothing due later than the as-of date (nothing falls due in the next 14 days).
    assert all(i["status"] == "overdue" for i in items)
    assert max(i["due"] for i in items) == "2023-10-30"
    assert not any(i["due"] == "2023-12-31" for i in items)


def test_overdue_inclusive_deadline_at_year_end(cli: Any) -> None:
    on_the_day = items_of(
        cli("overdue", "--scheme", "huizhou", "--as-of", "2023-12-31", "-f", "json")
    )
    rollout = one(on_the_day, obligation="city_rollout")
    assert (rollout["status"], rollout["days_overdue"], rollout["days_left"]) == ("due_soon", 0, 0)
    annual = [i for i in on_the_day if i["obligation"] == "dept_cdo_annual_report"]
    assert {(i["period"], i["status"]) for i in annual} == {(2022, "overdue"), (2023, "due_soon")}

    next_day = items_of(
        cli("overdue", "--scheme", "huizhou", "--as-of", "2024-01-01", "-f", "json")
    )
    rollout = one(next_day, obligation="city_rollout")
    assert (rollout["status"], rollout["days_overdue"]) == ("overdue", 1)
    periods = [i for i in next_day if i["obligation"] == "dept_cdo_annual_report"]
    assert {(i["period"], i["days_overdue"]) for i in periods} == {(2022, 366), (2023, 1)}


def test_overdue_assumed_dates_say_so(cli: Any) -> None:
    items = items_of(cli("overdue", "--scheme", "huizhou", "--as-of", "2023-11-01", "-f", "json"))
    annual = [i for i in items if i["obligation"] == "county_cdo_annual_debrief"]
    assert annual and all(i["assumed"] and "推定" in i["assumption"] for i in annual)
    assert all(i["role"] == "county_cdo" for i in annual)
    assert not one(items, obligation="pilot_plan", unit="惠城区")["assumed"]
    table = cli("overdue", "--scheme", "huizhou", "--as-of", "2023-11-01").stdout
    assert "（推定）" in table
    assert "按年度推定为每年12月31日前" in table


def test_overdue_undated_work_never_appears(cli: Any) -> None:
    items = items_of(cli("overdue", "--as-of", "2030-01-01", "--all", "-f", "json"))
    obligations = {i["obligation"] for i in items}
    assert "data_resource_survey" not in obligations  # 持续推动: work, not a filing
    assert "county_cdo_data_governance" not in obligations
    assert not [i for i in items if i["due"] is None and i["status"] not in ("filed", "not_filed")]


def test_overdue_undated_filings_listed_with_all_as_filed_or_not(cli: Any, write: Any) -> None:
    """惠州 四（一）: 试点部门……报市政务服务数据管理局备案, with no date: a bureau still
    wants to see who has not filed, never as overdue."""
    write(
        "roster.yaml",
        "scheme: huizhou\nunits:\n  市公安局:\n    filings:\n"
        "      - {obligation: dept_staff_list_filing, date: 2022-07-01}\n",
    )
    args = ("overdue", "--as-of", "2030-01-01", "-f", "json")
    plain = items_of(cli(*args))
    assert not [i for i in plain if i["due"] is None]  # only with --all
    listed = [
        i for i in items_of(cli(*args, "--all")) if i["obligation"] == "dept_staff_list_filing"
    ]
    assert len(listed) == 10  # the ten pilot departments
    police = one(listed, unit="市公安局")
    assert (police["status"], police["filed_on"], police["due"]) == ("filed", "2022-07-01", None)
    assert {i["status"] for i in listed if i["unit"] != "市公安局"} == {"not_filed"}
    assert {i["due_text"] for i in listed} == {"文件未规定期限"}
    periodic = [
        i for i in items_of(cli(*args, "--all")) if i["obligation"] == "city_cdeo_periodic_report"
    ]
    assert [i["due_text"] for i in periodic] == ["定期"]
    # A filing dated after --as-of has not happened yet.
    early = items_of(cli("overdue", "--as-of", "2022-06-30", "--all", "-f", "json"))
    assert one(early, obligation="dept_staff_list_filing", unit="市公安局")["status"] == "not_filed"
    table = cli("overdue", "--as-of", "2030-01-01", "--all", "--unit", "市公安局").stdout
    assert "无期限" in table and "未报送" in table
    assert "无期限未报送" in cli("overdue", "--as-of", "2030-01-01", "--all").stdout
    assert "无期限" not in cli("overdue", "--as-of", "2030-01-01").stdout


def test_overdue_undated_filings_never_fail_check(cli: Any, write: Any) -> None:
    write("roster.yaml", "scheme: huizhou\nunits: {}\n")
    result = cli("overdue", "--as-of", "2022-06-01", "--all", "--check", "-f", "json")
    items = items_of(result)
    assert {i["status"] for i in items} == {"not_filed", "not_due"}  # nothing is overdue
    assert result.exit_code == 0


def test_overdue_undated_filings_in_csv_and_ics(cli: Any, write: Any) -> None:
    write("roster.yaml", "scheme: huizhou\nunits: {}\n")
    csv_text = cli("overdue", "--as-of", "2022-06-01", "--all", "-f", "csv").stdout
    row = next(line for line in csv_text.splitlines() if "dept_staff_list_filing" in line)
    assert ",not_filed," in row
    ics = cli("overdue", "--as-of", "2022-06-01", "--all", "-f", "ics").stdout
    todos = [
        t for t in ics.split("BEGIN:VTODO")[1:] if "期限：文件未规定\\n" in re.sub(r"\r?\n ", "", t)
    ]
    assert todos and not [t for t in todos if re.search(r"^DUE", t, re.M)]  # no DUE


def test_overdue_within_and_all(cli: Any) -> None:
    # Zhaoqing's first deadline is 2021-10-31.
    early = items_of(cli("overdue", "-s", "zhaoqing", "--as-of", "2021-10-16", "-f", "json"))
    assert early == []  # 15 days ahead: not within the default 14
    soon = items_of(cli("overdue", "-s", "zhaoqing", "--as-of", "2021-10-17", "-f", "json"))
    assert {(i["status"], i["days_left"]) for i in soon} == {("due_soon", 14)}
    assert len(soon) == 14
    wider = cli(
        "overdue", "-s", "zhaoqing", "--as-of", "2021-10-01", "--within", "30", "-f", "json"
    )
    assert {i["days_left"] for i in items_of(wider)} == {30}
    everything = items_of(
        cli("overdue", "-s", "zhaoqing", "--as-of", "2021-10-16", "--all", "-f", "json")
    )
    # and progress_feedback (及时反馈……): a report with no date, for each of the 14 units
    assert Counter(i["status"] for i in everything) == {"not_due": 28, "not_filed": 14}


# ---------------------------------------------------------------- rosters


def test_overdue_roster_statuses(cli: Any, write: Any) -> None:
    write("puning.yaml", PUNING_ROSTER)
    result = cli("overdue", "--roster", "puning.yaml", "--as-of", "2023-11-10", "-f", "json")
    assert result.stderr == ""
    items = items_of(result)
    assert {i["scheme"] for i in items} == {"puning"}

    city = one(items, obligation="city_contact_form")
    assert (city["status"], city["filed_on"], city["days_late"], city["days_overdue"]) == (
        "filed_late", "2023-10-25", 5, 0
    )  # fmt: skip
    on_time = one(items, unit="市公安局", obligation="dept_contact_form")
    assert (on_time["status"], on_time["filed_on"], on_time["days_late"]) == (
        "filed",
        "2023-10-28",
        0,
    )
    on_the_day = one(items, unit="市公安局", obligation="dept_cdo_plan")
    assert (on_the_day["status"], on_the_day["days_late"]) == ("filed", 0)
    late = one(items, unit="市科技局", obligation="dept_contact_form")
    assert (late["status"], late["filed_on"], late["days_late"]) == ("filed_late", "2023-11-03", 4)
    missing = one(items, unit="市科技局", obligation="dept_cdo_plan")
    assert (missing["status"], missing["days_overdue"], missing["filed_on"]) == (
        "overdue",
        11,
        None,
    )
    # 市商务局 is an alias in the roster: the item names the unit in full.
    named = one(items, unit="市工业和信息化局（市商务局）", obligation="dept_contact_form")
    assert named["status"] == "overdue"

    future = one(items, unit="市发展改革局", obligation="dept_contact_form")
    assert (future["status"], future["days_overdue"], future["filed_on"]) == ("overdue", 11, None)
    later = items_of(cli("overdue", "-r", "puning.yaml", "--as-of", "2023-11-25", "-f", "json"))
    future = one(later, unit="市发展改革局", obligation="dept_contact_form")
    assert (future["status"], future["filed_on"], future["days_late"]) == (
        "filed_late",
        "2023-11-20",
        21,
    )


def test_overdue_recurring_report_across_two_years(cli: Any, write: Any) -> None:
    write("roster.yaml", RECURRING_ROSTER)  # found in the current folder
    result = cli("overdue", "--as-of", "2025-01-10", "--all", "-f", "json")
    assert result.stderr == ""
    items = [i for i in items_of(result) if i["obligation"] == "dept_cdo_annual_report"]
    police = {i["period"]: i for i in items if i["unit"] == "市公安局"}
    assert sorted(police) == [2023, 2024, 2025]
    assert (police[2023]["status"], police[2023]["due"]) == ("filed", "2023-12-31")
    assert (police[2024]["status"], police[2024]["days_late"]) == ("filed_late", 5)
    assert police[2025]["status"] == "not_due"
    science = {i["period"]: i for i in items if i["unit"] == "市科技局"}
    assert (science[2023]["status"], science[2023]["days_overdue"]) == ("overdue", 376)
    assert (science[2024]["status"], science[2024]["filed_on"]) == ("filed", "2024-06-01")
    other = one(items, unit="市发展改革局", period=2024)
    assert (other["status"], other["days_overdue"]) == ("overdue", 10)


def test_overdue_filing_period_rule() -> None:
    due = Due(every="year", month=12, day=31, first_period=2023, text="每年年底前")
    assert filing_period(due, dt.date(2024, 6, 1)) == 2024
    assert filing_period(due, dt.date(2024, 12, 31)) == 2024
    assert filing_period(due, dt.date(2025, 1, 5)) == 2025
    assert filing_period(due, dt.date(2022, 3, 1)) == 2023  # before the first period
    bounded = Due(every="year", month=6, day=30, first_period=2022, last_period=2023, text="每年")
    assert filing_period(bounded, dt.date(2023, 7, 1)) is None


def test_overdue_compute_status_is_pure() -> None:
    scheme = Registry().get("zhaoqing")
    items = compute_status([(scheme, None)], dt.date(2022, 5, 1), 0)
    assert {(i.obligation, i.days_overdue) for i in items} == {
        ("demo_pilot", 182),
        ("work_summary", 1),
        ("progress_feedback", 0),  # 及时反馈: no date, so never overdue
    }
    dated = [i.due for i in items if i.due is not None]
    assert dated == sorted(dated)
    assert all(i.due is None for i in items[len(dated) :])  # the undated ones follow


def test_overdue_rosters_choose_schemes(cli: Any, write: Any) -> None:
    write("puning.yaml", PUNING_ROSTER)
    both = cli("overdue", "-r", "puning.yaml", "-s", "puning", "-s", "zhaoqing", "--as-of",
               "2023-11-10", "-f", "json")  # fmt: skip
    assert "方案 zhaoqing（肇庆市）没有名册：按全部未报送计算。" in both.stderr
    assert {i["scheme"] for i in items_of(both)} == {"puning", "zhaoqing"}
    other = cli(
        "overdue", "-r", "puning.yaml", "-s", "huizhou", "--as-of", "2023-11-10", "-f", "json"
    )
    assert "名册 puning.yaml 属于方案 puning，不在 --scheme 所列方案中，未使用。" in other.stderr
    assert {i["scheme"] for i in items_of(other)} == {"huizhou"}


def test_overdue_two_rosters_of_one_scheme(cli: Any, write: Any) -> None:
    """Rosters kept per county (or per group of units) count together."""
    write("各单位/a.yaml", "scheme: puning\nunits:\n  普宁市人民政府:\n    filings:\n"
          "      - {obligation: city_contact_form, date: 2023-10-25}\n")  # fmt: skip
    write("各单位/b.yaml", "scheme: puning\nunits:\n  市公安局:\n    filings:\n"
          "      - {obligation: dept_contact_form, date: 2023-10-28}\n")  # fmt: skip
    for args in (("-r", "各单位/a.yaml", "-r", "各单位/b.yaml"), ("-r", "各单位")):
        result = cli("overdue", *args, "--as-of", "2023-11-10", "--all", "--format", "json")
        assert result.exit_code == 0, result.output
        items = {(i["unit"], i["obligation"]): i for i in json.loads(result.stdout)["items"]}
        assert items[("普宁市人民政府", "city_contact_form")]["status"] == "filed_late"
        assert items[("市公安局", "dept_contact_form")]["status"] == "filed"
        assert items[("市科技局", "dept_contact_form")]["status"] == "overdue"
    table = cli("overdue", "-r", "各单位", "--as-of", "2023-11-10").stdout
    assert "名册：各单位/a.yaml、各单位/b.yaml" in table


def test_overdue_invalid_roster(cli: Any, write: Any) -> None:
    write("roster.yaml", "scheme: puning\nunits:\n  市公安局:\n    filings:\n"
          "      - obligation: dept_contact\n        date: 2023-10-28\n")  # fmt: skip
    result = cli("overdue", "--as-of", "2023-11-01")
    assert result.exit_code == 1
    assert "名册有错误" in result.stderr
    assert "roster.yaml\n  5:21" in result.stderr
    assert "dept_contact_form" in result.stderr  # the validator's suggestion
    assert result.stdout == ""


def test_overdue_missing_roster_file(cli: Any) -> None:
    result = cli("overdue", "--roster", "nowhere.yaml", "--as-of", "2023-11-01")
    assert result.exit_code == 2
    assert "nowhere.yaml: 文件不存在" in result.stderr


# ---------------------------------------------------------------- options


def test_overdue_check_exit_codes(cli: Any) -> None:
    assert cli("overdue", "--as-of", "2023-11-01", "--check", "-f", "json").exit_code == 1
    assert cli("overdue", "--as-of", "2023-11-01").exit_code == 0
    quiet = cli("overdue", "-s", "zhaoqing", "--as-of", "2021-10-31", "--check", "-f", "json")
    assert quiet.exit_code == 0
    assert one(items_of(quiet), unit="端州区")["status"] == "due_soon"


@pytest.mark.parametrize("bad", ["2023-02-30", "2023-13-01", "2023/11/01", "20231101", "明天"])
def test_overdue_bad_date(cli: Any, bad: str) -> None:
    result = cli("overdue", "--as-of", bad)
    assert result.exit_code == 2
    assert f"错误：日期无效：{bad}（应为 YYYY-MM-DD 的真实日期）" in result.stderr


def test_overdue_unit(cli: Any) -> None:
    items = items_of(cli("overdue", "--as-of", "2023-11-01", "--unit", "市公安局", "-f", "json"))
    assert {i["unit"] for i in items} == {"市公安局"}
    assert {i["scheme"] for i in items} == {"puning", "zhaoqing", "huizhou"}
    alias = items_of(
        cli("overdue", "--as-of", "2023-11-01", "-u", "市政府", "-s", "puning", "-f", "json")
    )
    assert {i["unit"] for i in alias} == {"普宁市人民政府"}
    only_puning = cli("overdue", "--as-of", "2023-11-01", "-u", "普宁供电局")
    assert "普宁市（puning）" in only_puning.stdout
    assert "惠州市" not in only_puning.stdout and "肇庆市" not in only_puning.stdout


def test_overdue_unknown_unit(cli: Any) -> None:
    result = cli("overdue", "--as-of", "2023-11-01", "--unit", "市公按局")
    assert result.exit_code == 2
    assert "错误：“市公按局”不是" in result.stderr
    assert "提示：是否应为：市公安局" in result.stderr


def test_overdue_unknown_scheme(cli: Any) -> None:
    result = cli("overdue", "--scheme", "puing", "--as-of", "2023-11-01")
    assert result.exit_code == 2
    assert "没有名为“puing”的方案" in result.stderr
    assert "puning" in result.stderr


def test_overdue_bad_format(cli: Any) -> None:
    result = cli("overdue", "--format", "xlsx")
    assert result.exit_code == 2
    assert "可选：table、json、csv 或 ics" in result.stderr


def test_overdue_help_has_examples(cli: Any) -> None:
    result = cli("overdue", "--help")
    assert result.exit_code == 0
    assert "例：" in result.stdout and "cdo overdue --as-of 2023-11-01" in result.stdout


def test_overdue_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\nfrom cdo_cli.cli import app as main\nsys.argv = ['cdo', 'overdue', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('icalendar', 'rich.table', 'cdo_cli.overdue') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout
    assert out.strip().endswith("[]")


# ---------------------------------------------------------------- formats


def test_overdue_table(cli: Any, write: Any) -> None:
    write("roster.yaml", PUNING_ROSTER)
    result = cli("overdue", "--as-of", "2023-11-10")
    assert result.exit_code == 0
    out = result.stdout
    for heading in ("单位", "事项", "期限", "状态", "逾期天数", "报送对象"):
        assert heading in out
    assert "普宁市（puning）　截至 2023-11-10　名册：roster.yaml" in out
    for label in ("已逾期", "已报送  ", "2023-10-28", "逾期报送", "2023-11-03，晚 4 天"):
        assert label in out
    assert (
        "合计（截至 2023-11-10）：逾期 70 项，即将到期（14 天内）0 项，已报送 2 项，逾期报送 2 项"
        in out
    )
    # The most overdue unit comes first: the city government's contact form.
    assert out.index("普宁市人民政府") < out.index("市科技局")


def test_overdue_table_nothing_listed(cli: Any) -> None:
    result = cli("overdue", "-s", "zhaoqing", "--as-of", "2021-09-01")
    assert result.exit_code == 0
    assert "没有需要列出的事项" in result.stdout
    assert "合计（截至 2021-09-01）：逾期 0 项" in result.stdout


def test_overdue_csv_matches_json(cli: Any, write: Any) -> None:
    write("roster.yaml", PUNING_ROSTER)
    items = items_of(cli("overdue", "--as-of", "2023-11-10", "-f", "json"))
    raw = cli("overdue", "--as-of", "2023-11-10", "-f", "csv").stdout
    assert raw.startswith("\ufeffscheme,city,unit,obligation,title,")
    rows = list(csv.DictReader(io.StringIO(raw.removeprefix("\ufeff"))))
    assert len(rows) == len(items)
    for row, item in zip(rows, items, strict=True):
        assert list(row) == list(item)
        expected = {
            k: "" if v is None else ("true" if v is True else "false" if v is False else str(v))
            for k, v in item.items()
        }
        assert row == expected


def test_overdue_csv_has_bom_and_crlf(tmp_path: Path) -> None:
    from cdo_cli.overdue import build_report
    from cdo_cli.overdue_formats import render_csv

    report = build_report(Registry(), [], ["puning"], dt.date(2023, 11, 1))
    data = render_csv(report)
    assert data.startswith(b"\xef\xbb\xbfscheme,")
    assert data.count(b"\r\n") == len(report.items) + 1
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[1][2] == "普宁市人民政府"


def test_overdue_ics(cli: Any, write: Any) -> None:
    write("roster.yaml", PUNING_ROSTER)
    items = items_of(cli("overdue", "--as-of", "2023-11-10", "-f", "json"))
    raw = cli("overdue", "--as-of", "2023-11-10", "-f", "ics").stdout
    cal = Calendar.from_ical(raw)
    assert str(cal["X-WR-CALNAME"]) == "首席数据官报送期限（普宁市）"
    assert "PRODID" in cal and str(cal["VERSION"]) == "2.0"
    todos = list(cal.walk("VTODO"))
    assert len(todos) == len(items)
    assert len({str(t["UID"]) for t in todos}) == len(todos)
    by_summary = {str(t["SUMMARY"]): t for t in todos}

    filed = by_summary["【普宁市】市公安局：各部门报送工作联系人名单（附件2）"]
    assert filed["DUE"].dt == dt.date(2023, 10, 30)  # a DATE, on the deadline day itself
    assert str(filed["STATUS"]) == "COMPLETED"
    assert filed["COMPLETED"].dt == dt.datetime(2023, 10, 28, 4, tzinfo=dt.timezone.utc)
    assert "报送对象：市政务服务数据管理局" in str(filed["DESCRIPTION"])
    assert "原文：2023年10月30日前" in str(filed["DESCRIPTION"])

    late = by_summary[
        "【普宁市】市科技局：各部门确定首席数据官人选并制定本部门首席数据官实施方案报备案"
    ]
    assert str(late["STATUS"]) == "NEEDS-ACTION"
    assert "COMPLETED" not in late


def test_overdue_ics_uids_stable_across_runs(cli: Any) -> None:
    def uids(as_of: str) -> dict[str, str]:
        raw = cli("overdue", "-s", "huizhou", "--as-of", as_of, "--all", "-f", "ics").stdout
        return {str(t["SUMMARY"]): str(t["UID"]) for t in Calendar.from_ical(raw).walk("VTODO")}

    before, after = uids("2023-11-01"), uids("2024-01-02")
    shared = set(before) & set(after)
    assert len(shared) > 90
    assert all(before[s] == after[s] for s in shared)
    assert all(u.endswith("@cdo") for u in before.values())


def test_overdue_ics_assumed_and_crlf() -> None:
    from cdo_cli.overdue import build_report
    from cdo_cli.overdue_formats import render_ics

    report = build_report(Registry(), [], ["huizhou"], dt.date(2023, 11, 1), unit="惠城区")
    stamp = dt.datetime(2023, 11, 1, 8, 0, tzinfo=dt.timezone.utc)
    data = render_ics(report, stamp)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"DUE;VALUE=DATE:20221231" in data
    assert data == render_ics(report, stamp)  # the same input gives the same bytes
    todos = list(Calendar.from_ical(data).walk("VTODO"))
    debrief = [t for t in todos if "述职（2022年度）" in str(t["SUMMARY"])]
    assert debrief and all("推定：" in str(t["DESCRIPTION"]) for t in debrief)
    assert all(t["DTSTAMP"].dt == stamp for t in todos)


def test_overdue_several_rosters_of_one_scheme_list_each_duty_once(cli: Any, write: Any) -> None:
    """Two rosters of one scheme (the city's own units, the departments): one list, each
    unit's duty once, not once per file."""
    write("gov.yaml", "scheme: puning\nunits:\n  普宁市人民政府: {}\n")
    write(
        "dept.yaml",
        "scheme: puning\nunits:\n  市公安局:\n"
        "    filings: [{obligation: dept_contact_form, date: 2023-10-28}]\n",
    )
    both = cli("overdue", "-r", "gov.yaml", "-r", "dept.yaml", "--as-of", "2023-11-01",
               "--all", "--format", "json")  # fmt: skip
    one = cli("overdue", "-r", "dept.yaml", "--as-of", "2023-11-01", "--all", "--format", "json")
    assert both.exit_code == 0, both.output
    items = json.loads(both.stdout)["items"]
    keys = [(i["unit"], i["obligation"], i["period"]) for i in items]
    assert len(keys) == len(set(keys)) == len(json.loads(one.stdout)["items"])
