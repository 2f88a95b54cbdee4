"""Dates and numbers at the limits: what a scheme may say, and what ``cdo overdue`` accepts.

The calendar is 1900–2200: --as-of lies in it, --within is 0–3660 days, a recurring duty
has its periods up to 2200 at most. Counts that drive allocation in a form are bounded.
Every refusal is a Chinese message with the range, exit 2 for the command line and a
finding (exit 1) for a scheme file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from cdo_cli.overdue import Item, Report, Status
from cdo_cli.overdue_formats import render_csv, render_json
from cdo_cli.text import json_safe

ROOT = Path(__file__).resolve().parents[1]


def _scheme(tmp_path: Path, *replacements: tuple[str, str], name: str = "puning") -> Path:
    """A copy of the Puning scheme with each (old, new) replaced once, in a folder of its own."""
    text = (ROOT / "policies" / "puning.yaml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "pol" / f"{name}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


ANNUAL = "      every: year\n      month: 12\n      day: 31\n      first_period: 2023\n"


def _annual(new: str) -> tuple[str, str]:
    """Replace the due of Puning's first recurring duty (部门首席数据官年度述职报告)."""
    return ANNUAL, new


def _json(result: Any) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)["items"]
    return items


# ---------------------------------------------------------------- --as-of and --within


@pytest.mark.parametrize(
    "args",
    [
        ["--as-of", "9999-12-31"],
        ["--as-of", "9999-12-20", "--within", "5"],
        ["--as-of", "3000-01-01"],
        ["--as-of", "2201-01-01"],
        ["--as-of", "1899-12-31"],
        ["--as-of", "0001-01-01"],
    ],
)
def test_overdue_as_of_out_of_range(cli: Any, args: list[str]) -> None:
    result = cli("overdue", *args)
    assert result.exit_code == 2, result.output
    assert f"--as-of 超出范围：{args[1]}（应在 1900-01-01 至 2200-12-31 之间）" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("within", ["3661", "3000000", "99999999999999999999999"])
def test_overdue_within_out_of_range(cli: Any, within: str) -> None:
    result = cli("overdue", "--as-of", "2023-11-01", "--within", within)
    assert result.exit_code == 2, result.output
    assert f"--within 超出范围：{within}（应为 0 至 3660 之间的天数）" in result.output


def test_overdue_within_negative(cli: Any) -> None:
    result = cli("overdue", "--as-of", "2023-11-01", "--within", "-1")
    assert result.exit_code == 2
    assert "--within" in result.output and "不小于 0" in result.output


def test_overdue_range_checked_before_rosters_are_read(cli: Any) -> None:
    # The roster does not exist: the range is the first thing said.
    result = cli("overdue", "--roster", "nope.yaml", "--as-of", "9999-12-31")
    assert result.exit_code == 2
    assert "--as-of 超出范围" in result.output


def test_overdue_last_day_and_longest_horizon(cli: Any) -> None:
    items = _json(
        cli("overdue", "--as-of", "2200-12-31", "--within", "3660", "--all", "-f", "json")
    )
    annual = [
        i for i in items if i["scheme"] == "puning" and i["obligation"] == "dept_cdo_annual_report"
    ]
    periods = {i["period"] for i in annual}
    assert periods == set(range(2023, 2201))  # one item per period, none after 2200
    assert len(annual) == 36 * len(periods)
    last = next(i for i in annual if i["period"] == 2200)
    assert (last["due"], last["status"], last["days_left"]) == ("2200-12-31", "due_soon", 0)
    first = next(i for i in annual if i["period"] == 2023)
    assert first["days_overdue"] == (dt.date(2200, 12, 31) - dt.date(2023, 12, 31)).days
    assert max(i["due"] for i in items if i["due"]) == "2200-12-31"


def test_overdue_first_day(cli: Any) -> None:
    result = cli("overdue", "--as-of", "1900-01-01", "--within", "3660", "--all", "-f", "json")
    items = _json(result)
    assert items and all(i["status"] == "not_due" for i in items)
    assert all(i["period"] in (None, 2021, 2022, 2023) for i in items)


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "ics"])
def test_overdue_every_format_at_the_far_end(cli: Any, fmt: str) -> None:
    result = cli(
        "overdue", "--as-of", "2200-12-31", "--within", "3660", "--all",
        "--scheme", "puning", "--unit", "市公安局", "--format", fmt,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    if fmt == "table":
        assert "部门首席数据官年度述职报告（2200年度）" in result.stdout
        assert "合计（截至 2200-12-31）：逾期 179 项，即将到期（3660 天内）1 项" in result.stdout
    elif fmt == "json":
        assert len(json.loads(result.stdout)["items"]) == 180
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
        assert len(rows) == 181
    else:
        todos = Calendar.from_ical(result.stdout.encode("utf-8")).walk("VTODO")
        assert len(todos) == 180
        assert max(str(t.get("due").to_ical(), "ascii") for t in todos) == "22001231"


# ---------------------------------------------------------------- recurring periods


def test_overdue_filings_over_two_centuries(cli: Any, write: Any) -> None:
    # Filings are looked up once per unit and duty; each period still finds its own.
    write(
        "roster.yaml",
        """
        scheme: puning
        units:
          市公安局:
            filings:
              - {obligation: dept_cdo_annual_report, period: 2150, date: 2150-12-01}
              - {obligation: dept_cdo_annual_report, period: 2150, date: 2150-11-01}
              - {obligation: dept_cdo_annual_report, date: 2199-06-01}
              - {obligation: dept_cdo_annual_report, period: 2100, date: 2101-01-03}
              - {obligation: dept_contact_form, date: 2023-10-28}
        """,
    )
    items = _json(
        cli("overdue", "--roster", "roster.yaml", "--as-of", "2200-12-31", "--unit", "市公安局",
            "--all", "-f", "json")
    )  # fmt: skip
    annual = {i["period"]: i for i in items if i["obligation"] == "dept_cdo_annual_report"}
    assert len(annual) == 178
    assert (annual[2150]["status"], annual[2150]["filed_on"]) == ("filed", "2150-11-01")
    assert (annual[2199]["status"], annual[2199]["filed_on"]) == ("filed", "2199-06-01")
    assert (annual[2100]["status"], annual[2100]["days_late"]) == ("filed_late", 3)
    assert annual[2200]["status"] == "due_soon"
    others = [p for p, i in annual.items() if p not in (2100, 2150, 2199, 2200)]
    assert all(annual[p]["status"] == "overdue" for p in others)
    assert next(i for i in items if i["obligation"] == "dept_contact_form")["status"] == "filed"


def test_overdue_last_period_stops_the_list(cli: Any, tmp_path: Path) -> None:
    _scheme(tmp_path, _annual(ANNUAL + "      last_period: 2025\n"))
    items = _json(
        cli("--policies", str(tmp_path / "pol"), "overdue", "--scheme", "puning",
            "--as-of", "2200-12-31", "-f", "json")
    )  # fmt: skip
    periods = {i["period"] for i in items if i["obligation"] == "dept_cdo_annual_report"}
    assert periods == {2023, 2024, 2025}


# ---------------------------------------------------------------- what a due may say


@pytest.mark.parametrize(
    ("due", "expect"),
    [
        (
            ANNUAL.replace("month: 12\n      day: 31", "month: 2\n      day: 29"),
            "2月29日并非每年都有，不能作为每年的期限；请改用 2月28日 或 3月1日，并在 notes 中说明",
        ),
        (ANNUAL.replace("month: 12\n      day: 31", "month: 4\n      day: 31"), "4月没有31日"),
        (
            ANNUAL.replace("      every: year\n", ""),
            "期限须写 date（一次性，如 2023-10-30）或 every: year（每年）之一，且只写一个",
        ),
        (
            ANNUAL.replace("      every: year\n", "      every: year\n      date: 2023-12-31\n"),
            "期限须写 date（一次性，如 2023-10-30）或 every: year（每年）之一，且只写一个",
        ),
        (
            ANNUAL.replace("      day: 31\n", ""),
            "每年的期限（every: year）须写 month（月）、day（日）和 first_period（起始年度）",
        ),
        (
            ANNUAL + "      assumed: true\n",
            "推定的期限（assumed: true）须在 assumption 中说明推定的理由",
        ),
        (ANNUAL + "      last_period: 2022\n", "last_period（2022）早于 first_period（2023）"),
        (
            ANNUAL.replace("first_period: 2023", "first_period: 9999"),
            "first_period：数值太大（应不大于 2200）",
        ),
        (
            "      date: 2023-10-30\n      month: 12\n",
            "一次性期限（date）不用写 month、day、first_period、last_period",
        ),
        ("      date: 9999-12-31\n", "期限日期 9999-12-31 超出范围：应在 1900—2200 年之间"),
    ],
)
def test_policy_check_due_messages(cli: Any, tmp_path: Path, due: str, expect: str) -> None:
    path = _scheme(tmp_path, _annual(due))
    result = cli("policy", "check", str(path))
    assert result.exit_code == 1, result.output
    assert expect in result.output
    assert "[policy-invalid]" in result.output


def test_overdue_refuses_a_scheme_with_a_feb29_duty(cli: Any, tmp_path: Path) -> None:
    # Before, `policy check` passed it and `overdue` crashed in a non-leap year.
    _scheme(
        tmp_path, _annual(ANNUAL.replace("month: 12\n      day: 31", "month: 2\n      day: 29"))
    )
    pol = str(tmp_path / "pol")
    asked = cli("--policies", pol, "overdue", "--as-of", "2025-03-01", "--scheme", "puning")
    assert asked.exit_code == 2, asked.output
    assert "2月29日并非每年都有" in asked.output
    assert "Traceback" not in asked.output
    # Not asked for by name: left out with a note, the other schemes still computed.
    result = cli("--policies", pol, "overdue", "--as-of", "2025-03-01", "-f", "json")
    assert "方案 puning 的文件有错误，未使用" in result.stderr
    assert {i["scheme"] for i in _json(result)} == {"huizhou", "zhaoqing"}


def test_one_off_feb29_is_fine(cli: Any, tmp_path: Path) -> None:
    path = _scheme(tmp_path, _annual("      date: 2024-02-29\n"))
    assert cli("policy", "check", str(path)).exit_code == 0


# ---------------------------------------------------------------- counts in forms


FIRST_COLUMNS = "        columns:\n          - header: 单位\n"  # 附件2, 部门首席数据官: 4 columns


def _wider(rows: int, extra: int, side: int = 1) -> tuple[str, str]:
    """附件2's first section with ``rows`` blank rows and ``extra`` more columns."""
    more = "".join(f"          - header: 列{i}\n            field: name\n" for i in range(extra))
    return FIRST_COLUMNS, (
        f"        rows: {rows}\n        side_by_side: {side}\n        columns:\n"
        f"{more}          - header: 单位\n"
    )


@pytest.mark.parametrize(
    ("replace", "expect"),
    [
        (_wider(100000000, 0), "rows：数值太大（应不大于 200）"),
        (_wider(0, 0), "rows：数值太小（应不小于 1）"),
        (_wider(1, 0, side=1000000), "side_by_side：数值太大（应不大于 4）"),
        (_wider(1, 17), "columns：项数太多（最多 20 项）"),
        # 200 rows × 20 columns, and the 4 cells of the 工作联系人 section.
        (_wider(200, 16), "表格留出的空白格太多：各节 rows × 列数 合计 4004 格，最多 4000 格"),
        (
            ("      min: 0\n      max: null", "      min: 0\n      max: 1000000000"),
            "max：数值太大（应不大于 1000）",
        ),
        (
            ("      min: 1\n      max: 1", "      min: 1000000000\n      max: 1"),
            "min：数值太大（应不大于 1000）",
        ),
    ],
)
def test_policy_check_form_counts(
    cli: Any, tmp_path: Path, replace: tuple[str, str], expect: str
) -> None:
    path = _scheme(tmp_path, replace)
    result = cli("policy", "check", str(path))
    assert result.exit_code == 1, result.output
    assert expect in result.output


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_render_the_largest_form(cli: Any, tmp_path: Path, fmt: str) -> None:
    # 200 blank rows of 19 columns, side by side in 4: about the most a form may ask for.
    _scheme(tmp_path, _wider(200, 15, side=4))
    result = cli(
        "--policies", str(tmp_path / "pol"), "render", "attachment2", "--dept", "市公安局",
        "--format", fmt, "-o", f"out.{fmt}",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    if fmt == "md":
        text = Path(f"out.{fmt}").read_text(encoding="utf-8")
        assert "列14" in text and text.count("\n") < 100  # 50 lines of 4 groups, not 200


# ---------------------------------------------------------------- the JSON and CSV writers


def _item(n: int, text: str, status: Status, **extra: Any) -> Item:
    fields: dict[str, Any] = dict(
        scheme="x", city="普宁市", unit=f"单位{n}", obligation="o", title=text, period=2023 + n,
        role=None, role_name=None, due=dt.date(2023 + n, 12, 31), due_text="每年年底前",
        assumed=n % 2 == 0, assumption=None, status=status, days_overdue=n, days_left=1,
        filed_on=None, days_late=0, owed_to=None,
    )  # fmt: skip
    fields.update(extra)
    return Item(**fields)


TRICKY = [
    'quote " and backslash \\',
    "a line\nbreak, and },\n      { inside",
    "tab\tbell\x07 nul\x00 del\x7f",
    "emoji 😀 and U+2028 \u2028",
    "1",  # a string that looks like a number
    "null",  # and one that looks like JSON's null
]


def test_render_json_is_json_dumps_indent_2() -> None:
    items = [
        _item(n, text, status, filed_on=dt.date(2024, 1, n + 1) if status is Status.filed else None)
        for n, (text, status) in enumerate(zip(TRICKY, list(Status), strict=True))
    ]
    items.append(_item(1, "True and 1 in one item", Status.due_soon, assumed=True, days_overdue=0))
    for listed in (items, items[:1], []):
        report = Report(dt.date(2200, 12, 31), 3660, True, listed, [])
        data = {"as_of": "2200-12-31", "items": [i.as_dict() for i in listed]}
        dumped = json.dumps(data, ensure_ascii=False, indent=2)
        expected = (json_safe(dumped) + "\n").encode("utf-8")
        assert render_json(report) == expected


def test_render_csv_cells() -> None:
    items = [_item(n, text, Status.overdue) for n, text in enumerate(TRICKY)]
    rows = list(csv.reader(io.StringIO(render_csv(Report(dt.date(2200, 1, 1), 0, False, items, []))
                                       .decode("utf-8-sig"), newline="")))  # fmt: skip
    assert rows[1][rows[0].index("assumed")] == "true"
    assert rows[2][rows[0].index("assumed")] == "false"
    assert rows[1][rows[0].index("role")] == ""  # None
    assert rows[1][rows[0].index("status")] == "overdue"
    assert rows[1][rows[0].index("due")] == "2023-12-31"
    assert [r[rows[0].index("title")] for r in rows[1:]] == TRICKY
