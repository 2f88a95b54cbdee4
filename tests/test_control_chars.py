"""Control characters in data: flagged by the validators, harmless everywhere downstream.

Rosters and schemes can carry characters nobody sees (an escape, a NUL, a bidi
override), written in YAML as ``"\\e"`` and the like. ``cdo validate`` and ``cdo policy
check`` flag them (``text-control``); render, overdue and init refuse an invalid roster,
and text that reaches them anyway (a scheme loaded with ``--policies``) is shown as
``\\x1b`` on a terminal, in Word, HTML and Markdown; a CSV cell never starts a formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import docx
import pytest
from icalendar import Calendar

from cdo_cli.text import controls, json_safe, spreadsheet_cell, visible

ROOT = Path(__file__).resolve().parents[1]

# Every character the validators flag, as written in a YAML double-quoted string and as
# shown back to a person.
CONTROLS = [
    (r"\0", r"\x00"),
    (r"\x01", r"\x01"),
    (r"\v", r"\x0b"),
    (r"\e", r"\x1b"),
    (r"\x7f", r"\x7f"),
    (r"\x9b", r"\x9b"),
    (r"\uFFFE", r"\ufffe"),
    (r"\r", r"\x0d"),
    (r"\u2028", r"\u2028"),
    (r"\u202E", r"\u202e"),
    (r"\u2066", r"\u2066"),
    (r"\u200E", r"\u200e"),  # left-to-right mark: invisible, moves digits around it
    (r"\u200F", r"\u200f"),
    (r"\u061C", r"\u061c"),
]
# Raw characters that must never reach a terminal, a page or a Word file.
RAW = "\x00\x01\x0b\x1b\x7f\x9b\ufffe\r\u2028\u202e\u2066\u200e\u200f\u061c"

ROSTER = """\
scheme: puning
note: {roster_note}
units:
  {unit}:
    note: {unit_note}
    officers:
      dept_cdo:
        name: {name}
        title: {title}
        phone: {phone}
        email: {email}
      dept_contact:
        office: {office}
        name: 李四
        title: 科员
        phone: "13800138000"
      support_planning:
        name: 王五
        qualification: {qualification}
        note: {person_note}
    filings:
      - obligation: dept_contact_form
        date: 2023-10-28
        note: {filing_note}
"""
CLEAN = {
    "roster_note": "普宁市政务服务数据管理局填报",
    "unit": "市科技局",
    "unit_note": "无",
    "name": "张三",
    "title": "副局长",
    "phone": "0663-1234567",
    "email": "zhangsan@example.cn",
    "office": "办公室",
    "qualification": "计算机专业",
    "person_note": "无",
    "filing_note": "普科函〔2023〕1号",
}
LABELS = {
    "roster_note": "备注",
    "unit": "单位名称",
    "unit_note": "备注",
    "name": "姓名",
    "title": "职务",
    "phone": "联系电话",
    "email": "电子邮箱",
    "office": "科室",
    "qualification": "资质",
    "person_note": "备注",
    "filing_note": "备注",
}


def _roster(field: str | None = None, value: str = "") -> tuple[str, int, int]:
    """The roster text with ``field`` set to ``value``, and where that value starts."""
    marker = "\x00MARK\x00"
    text = ROSTER.format(**{**CLEAN, **({field: marker} if field else {})})
    if field is None:
        return text, 0, 0
    before = text[: text.index(marker)]
    line = before.count("\n") + 1
    column = len(before) - before.rfind("\n")
    return text.replace(marker, value), line, column


def _json(result: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _text_control(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f["code"] == "text-control"]


def _assert_no_raw(text: str) -> None:
    assert not set(text) & set(RAW), [hex(ord(c)) for c in set(text) & set(RAW)]


# ---------------------------------------------------------------- cdo validate


def test_validate_clean_roster_has_no_text_findings(cli, write) -> None:
    write("roster.yaml", _roster()[0])
    result = cli("validate", "roster.yaml", "--format", "json")
    assert _text_control(_json(result)["findings"]) == []


@pytest.mark.parametrize(("escape", "shown"), CONTROLS)
def test_validate_flags_each_control_character(cli, write, escape: str, shown: str) -> None:
    text, line, column = _roster("name", f'"张{escape}三"')
    write("roster.yaml", text)
    result = cli("validate", "roster.yaml", "--format", "json")
    assert result.exit_code == 1, result.output
    [finding] = _text_control(_json(result)["findings"])
    assert (finding["line"], finding["column"]) == (line, column)
    assert finding["severity"] == "error"
    assert finding["message"] == f"姓名“张{shown}三”中有不可见的控制字符 {shown}，请删除"
    assert finding["path"] == ["units", "市科技局", "officers", "dept_cdo", 0, "name"]


@pytest.mark.parametrize("field", list(CLEAN))
def test_validate_flags_control_characters_in_every_field(cli, write, field: str) -> None:
    value = CLEAN[field]
    text, line, column = _roster(field, f'"{value[0]}\\e[31m{value[1:]}"')
    write("roster.yaml", text)
    result = cli("validate", "roster.yaml", "--format", "json")
    assert result.exit_code == 1, result.output
    [finding] = _text_control(_json(result)["findings"])
    assert (finding["line"], finding["column"]) == (line, column)
    assert finding["message"].startswith(f"{LABELS[field]}“{value[0]}\\x1b[31m")
    assert finding["message"].endswith("中有不可见的控制字符 \\x1b，请删除")


def test_validate_text_output_shows_the_character(cli, write) -> None:
    text, line, column = _roster("name", r'"张\e[2J\u202E三"')
    write("roster.yaml", text)
    result = cli("validate", "roster.yaml")
    assert result.exit_code == 1
    expected = (
        f"  {line}:{column}"
        + " " * (9 - len(f"{line}:{column}"))
        + " 错误  姓名“张\\x1b[2J\\u202e三”中有不可见的控制字符 \\x1b、\\u202e，请删除  [text-control]"
    )
    assert expected in result.stdout.splitlines()
    assert "复制粘贴" in result.stdout  # the hint says where they come from
    _assert_no_raw(result.output)


def test_validate_notes_may_span_lines_names_may_not(cli, write) -> None:
    text, *_ = _roster("filing_note", r'"第一行\n第二行\t附注\r\n第三行"')
    write("roster.yaml", text)
    result = cli("validate", "roster.yaml", "--format", "json")
    assert _text_control(_json(result)["findings"]) == []
    # A line break in a name, a bare CR in a note: both flagged.
    for field, value, shown in (
        ("name", r'"张\n三"', r"\x0a"),
        ("person_note", r'"a\rb"', r"\x0d"),
    ):
        text, line, column = _roster(field, value)
        write("roster.yaml", text)
        [finding] = _text_control(_json(cli("validate", "roster.yaml", "-f", "json"))["findings"])
        assert shown in finding["message"]
        assert (finding["line"], finding["column"]) == (line, column)


def test_validate_unknown_unit_key_with_control_character(cli, write) -> None:
    text, line, column = _roster("unit", r'"市科技\e局"')
    write("roster.yaml", text)
    result = cli("validate", "roster.yaml")
    assert result.exit_code == 1
    where = f"  {line}:{column}"
    assert f"{where}       错误  单位名称“市科技\\x1b局”中有不可见的控制字符 \\x1b" in result.stdout
    assert f"{where}       错误  “市科技\\x1b局”不是普宁市方案范围内的单位" in result.stdout
    _assert_no_raw(result.output)


def test_validate_json_escapes_what_json_leaves_raw(cli, write) -> None:
    # The key path holds the unit's key as written.
    text, *_ = _roster("unit", r'"市科技\x9b\u202E局"')
    write("roster.yaml", text)
    result = cli("validate", "roster.yaml", "--format", "json")
    _assert_no_raw(result.stdout)
    assert "\\u009b\\u202e" in result.stdout  # JSON's own escape: the data is unchanged
    paths = [f["path"] for f in _text_control(json.loads(result.stdout)["findings"])]
    assert paths == [["units", "市科技\x9b\u202e局"]]


# ---------------------------------------------------------------- commands that need a valid roster


@pytest.mark.parametrize(
    "args",
    [
        ["render", "attachment2", "--dept", "市科技局", "--roster", "roster.yaml"],
        ["render", "attachment2", "--dept", "市科技局", "-r", "roster.yaml", "-f", "md", "-o", "-"],
        ["overdue", "--as-of", "2023-11-01", "--roster", "roster.yaml"],
    ],
)
def test_commands_refuse_a_roster_with_control_characters(cli, write, tmp_path, args) -> None:
    text, line, column = _roster("name", r'"张\e]0;x\a三"')
    write("roster.yaml", text)
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert "名册有错误，请先改正" in result.stderr
    assert f"{line}:{column}" in result.stderr and "[text-control]" in result.stderr
    _assert_no_raw(result.output)
    assert not list(tmp_path.glob("*.docx"))


# ---------------------------------------------------------------- cdo policy check


def _scheme(tmp_path: Path, replacements: list[tuple[str, str]]) -> Path:
    """A copy of puning.yaml in tmp_path/pol with lines replaced (each must exist)."""
    text = (ROOT / "policies" / "puning.yaml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "pol" / "puning.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> tuple[int, int]:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n, line.index(needle) + 1
    raise AssertionError(needle)


def test_policy_check_flags_control_characters(cli, tmp_path) -> None:
    path = _scheme(
        tmp_path,
        [
            ("  - name: 市科技局", '  - name: "市科技\\e局"'),
            ("    title: 普宁市有关单位名单", '    title: "普宁市有关\\u202E单位名单"'),
            ("      quote: 1市科技局", '      quote: "1市科技\\0局"'),
            ("          - header: 单位\n", '          - header: "单\\v位"\n'),
            # A quote may span lines: no finding.
            ("      quote: 市政府设立首席数据官1名", '      quote: "市政府设立\\n首席数据官1名"'),
        ],
    )
    result = cli("policy", "check", str(path), "--format", "json")
    assert result.exit_code == 1, result.output
    found = {
        (f["line"], f["column"]): f["message"] for f in _text_control(_json(result)["findings"])
    }
    assert found == {
        _line_of(path, '"市科技'): "名称“市科技\\x1b局”中有不可见的控制字符 \\x1b，请删除",
        _line_of(path, '"普宁市有关'): "标题“普宁市有关\\u202e单位名单”中有不可见的控制字符 "
        "\\u202e，请删除",
        _line_of(path, '"1市科技'): "原文引用“1市科技\\x00局”中有不可见的控制字符 \\x00，请删除",
        _line_of(path, '"单\\v位"'): "表头“单\\x0b位”中有不可见的控制字符 \\x0b，请删除",
    }
    text = cli("policy", "check", str(path))
    assert "名称“市科技\\x1b局”中有不可见的控制字符 \\x1b，请删除  [text-control]" in text.stdout
    _assert_no_raw(text.output)


def test_policy_check_builtin_schemes_have_no_control_characters(cli) -> None:
    files = [str(p) for p in sorted((ROOT / "policies").glob("*.yaml"))]
    result = cli("policy", "check", *files, "--format", "json")
    assert _text_control(_json(result)["findings"]) == []


# ---------------------------------------------------------------- a scheme that reaches commands anyway

HOSTILE_UNIT = r"市科\e[2J技局\r\v\u2028|x"
HOSTILE_SHOWN = r"市科\x1b[2J技局\x0d\x0b\u2028|x"
HOSTILE_RAW = "市科\x1b[2J技局\r\x0b\u2028|x"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A scheme folder whose puning has control characters in a unit name and the city."""
    return _scheme(
        tmp_path,
        [
            ("  - name: 市科技局", f'  - name: "{HOSTILE_UNIT}"'),
            ("city: 普宁市", 'city: "普宁\\x9b市"'),
            ("    title: 普宁市有关单位名单", '    title: "普宁市有关单位名单\\e[5m"'),
        ],
    ).parent


def test_render_docx_from_hostile_scheme(cli, tmp_path, hostile) -> None:
    result = cli("--policies", str(hostile), "render", "attachment3")
    assert result.exit_code == 0, result.output
    [path] = tmp_path.glob("*.docx")
    document = docx.Document(str(path))
    cells = [c.text for row in document.tables[0].rows for c in row.cells]
    assert HOSTILE_SHOWN in cells
    assert document.core_properties.title == r"附件3 普宁市有关单位名单\x1b[5m"
    _assert_no_raw("".join(cells))


def test_render_docx_filled_from_roster_of_hostile_scheme(cli, write, tmp_path, hostile) -> None:
    # The roster names the unit as the scheme does (it must, to be valid against it).
    text, *_ = _roster("unit", f'"{HOSTILE_UNIT}"')
    write("roster.yaml", text)
    result = cli("--policies", str(hostile), "render", "attachment2", "--all", "-o", "out")
    assert result.exit_code == 1  # the roster's key has control characters: refused
    assert "单位名称“市科\\x1b[2J技局" in result.stderr


def test_render_md_rows_stay_whole(cli, hostile) -> None:
    result = cli("--policies", str(hostile), "render", "attachment3", "-f", "md", "-o", "-")
    assert result.exit_code == 0, result.output
    md = result.stdout
    _assert_no_raw(md)
    rows = [line for line in md.splitlines() if line.startswith("|")]
    assert len(rows) == 2 + 18  # header, rule, 36 units in two groups
    for row in rows:
        assert len(re.findall(r"(?<!\\)\|", row)) == 5, row  # 4 columns
    assert r"市科\\x1b\[2J技局\\x0d\\x0b\\u2028\|x" in md


def test_render_html_from_hostile_scheme(cli, hostile) -> None:
    result = cli("--policies", str(hostile), "render", "attachment3", "-f", "html", "-o", "-")
    assert result.exit_code == 0, result.output
    _assert_no_raw(result.stdout)
    assert f"<td>{HOSTILE_SHOWN}</td>" in result.stdout
    assert r"<title>附件3 普宁市有关单位名单\x1b[5m</title>" in result.stdout


def test_policy_views_show_control_characters(cli, hostile) -> None:
    for args in (["policy", "list"], ["policy", "show", "puning"]):
        result = cli("--policies", str(hostile), *args)
        assert result.exit_code == 0, result.output
        _assert_no_raw(result.stdout)
    assert r"普宁\x9b市" in cli("--policies", str(hostile), "policy", "list").stdout
    show = cli("--policies", str(hostile), "policy", "show", "puning").stdout
    assert r"市科\x1b[2J技局\x0d\x0b\u2028|x" in show


def test_overdue_table_shows_control_characters(cli, hostile) -> None:
    result = cli("--policies", str(hostile), "overdue", "--as-of", "2023-11-01", "-s", "puning")
    assert result.exit_code == 0, result.output
    _assert_no_raw(result.output)
    assert r"普宁\x9b市（puning）" in result.stdout
    assert r"市科\x1b[2J技局" in result.stdout


def test_overdue_machine_formats_from_hostile_scheme(cli, hostile) -> None:
    args = ["--policies", str(hostile), "overdue", "--as-of", "2023-11-01", "-s", "puning"]
    data = cli(*args, "-f", "json").stdout
    _assert_no_raw(data)  # \u001b, \u009b: JSON's escapes, the same data
    units = {i["unit"] for i in json.loads(data)["items"]}
    assert HOSTILE_RAW in units
    ics = cli(*args, "-f", "ics").stdout
    _assert_no_raw(ics)
    summaries = [str(c["summary"]) for c in Calendar.from_ical(ics).walk("VTODO")]
    assert any(HOSTILE_SHOWN in s for s in summaries)


def test_init_from_hostile_scheme_writes_a_readable_roster(cli, tmp_path, hostile) -> None:
    result = cli("--policies", str(hostile), "init", "--scheme", "puning")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "roster.yaml").read_text(encoding="utf-8")
    _assert_no_raw(text)
    assert "# 普宁\\x9b市首席数据官名册" in text
    result = cli("--policies", str(hostile), "validate", "roster.yaml", "--format", "json")
    findings = _json(result)["findings"]
    errors = [f for f in findings if f["severity"] == "error"]
    assert [(f["code"], f["path"]) for f in errors] == [("text-control", ["units", HOSTILE_RAW])]


@pytest.mark.parametrize("city", ["普宁[/]市", "普宁[bold red]市"])
def test_rich_markup_in_data_is_text(cli, tmp_path, city: str) -> None:
    """Square brackets in data are not rich markup (``[/]`` used to crash with a traceback)."""
    pol = _scheme(tmp_path, [("city: 普宁市", f'city: "{city}"')]).parent
    listing = cli("--policies", str(pol), "policy", "list")
    assert listing.exit_code == 0 and city in listing.stdout
    overdue = cli("--policies", str(pol), "overdue", "--as-of", "2023-11-01", "-s", "puning")
    assert overdue.exit_code == 0 and f"{city}（puning）" in overdue.stdout


# ---------------------------------------------------------------- values echoed in error messages


@pytest.mark.parametrize(
    "args",
    [
        ["overdue", "--unit", "市科\x1b[2J技局\u202e", "--as-of", "2023-11-01"],
        ["render", "attachment2", "--dept", "市科\x1b[2J技局\u202e"],
        ["render", "attachment\x1b[2J\u202e"],
        ["policy", "show", "pun\x1b[2J\u202eing"],
    ],
)
def test_values_echoed_in_errors_are_visible(cli, args) -> None:
    result = cli(*args)
    assert result.exit_code in (1, 2)
    _assert_no_raw(result.output)
    assert "\\x1b[2J" in result.stderr


def test_init_message_shows_control_characters(cli, hostile) -> None:
    result = cli("--policies", str(hostile), "init", "--scheme", "puning")
    assert result.exit_code == 0
    _assert_no_raw(result.output)


def test_render_all_message_shows_control_characters(cli, tmp_path) -> None:
    pol = _scheme(
        tmp_path,
        [("    title: 普宁市部门首席数据官和联系人报名表", '    title: "报名表\\e[5m"')],
    ).parent
    result = cli("--policies", str(pol), "render", "attachment2", "--all", "-o", "out")
    assert result.exit_code == 0, result.output
    _assert_no_raw(result.output)


def test_policy_show_json_escapes_what_json_leaves_raw(cli, hostile) -> None:
    result = cli("--policies", str(hostile), "policy", "show", "puning", "--format", "json")
    assert result.exit_code == 0
    _assert_no_raw(result.stdout)
    assert json.loads(result.stdout)["city"] == "普宁\x9b市"


def test_validate_summary_shows_file_name_visibly(cli, write) -> None:
    write("名册\x1b[31m.yaml", _roster()[0])
    result = cli("validate", "名册\x1b[31m.yaml")
    _assert_no_raw(result.output)


# ---------------------------------------------------------------- spreadsheets


def test_overdue_csv_cells_never_start_a_formula(cli, tmp_path) -> None:
    pol = _scheme(
        tmp_path,
        [
            ("  - name: 市科技局", '  - name: "=HYPERLINK(\\"http://x.cn\\",\\"点此\\")"'),
            ("  - name: 市公安局", '  - name: "\\t=1+1"'),
            (
                "    title: 各部门确定首席数据官人选并制定本部门首席数据官实施方案报备案",
                "    title: \"@SUM(1+1)*cmd|' /C calc'!A0\"",
            ),
            ("    owed_to: 市政务服务数据管理局", '    owed_to: "+86 0663"'),
            ("city: 普宁市", 'city: "-2+3"'),
        ],
    ).parent
    args = ["--policies", str(pol), "overdue", "--as-of", "2023-11-01", "-s", "puning"]
    data = cli(*args, "-f", "csv").stdout_bytes.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    units = {r["unit"] for r in rows}
    assert '\'=HYPERLINK("http://x.cn","点此")' in units
    assert "'\t=1+1" in units
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in {r["title"] for r in rows}
    assert "'+86 0663" in {r["owed_to"] for r in rows}
    assert {r["city"] for r in rows} == {"'-2+3"}
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), row
        # Dates and counts are as they were.
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["due"])
        assert row["days_overdue"].isdigit()
    # JSON keeps the data as it is.
    items = json.loads(cli(*args, "-f", "json").stdout)["items"]
    assert '=HYPERLINK("http://x.cn","点此")' in {i["unit"] for i in items}


# ---------------------------------------------------------------- the functions


def test_visible_and_controls() -> None:
    assert visible("张\x1b[2J三\n第二行\r\n", keep_newlines=True) == "张\\x1b[2J三\n第二行\\x0d\n"
    assert visible("a\nb\u202e\ufffe\ud800") == "a\\x0ab\\u202e\\ufffe\\ud800"
    assert visible("普通文字 ABC，“引号”\u3000") == "普通文字 ABC，“引号”\u3000"
    assert visible(visible("\x1b\x9b")) == "\\x1b\\x9b"  # applying it twice changes nothing
    assert controls("a\tb\nc") == [(1, "\t"), (3, "\n")]
    assert controls("a\tb\r\nc\rd", multiline=True) == [(6, "\r")]
    assert spreadsheet_cell("=1+1") == "'=1+1" and spreadsheet_cell("2023-10-30") == "2023-10-30"
    assert json_safe('"\x9b\u2028\u202e"') == '"\\u009b\\u2028\\u202e"'
