"""cdo import / export / record, tried with files cdo did not make: forms filled by hand,
spreadsheets as clerks keep them, and hostile files.

Every case here was a failure once: a traceback, a hang, a wrong exit code, a row
silently dropped or a post silently emptied, an English message. Each test builds its
files in the test's folder and runs the CLI in-process.
"""

from __future__ import annotations

import copy
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from cdo_cli.policy_loading import Registry
from cdo_cli.sheet_reading import cell_date, read_sheet, rows_of

Cli = Callable[..., Any]

ROSTER = """\
# 普宁市名册（测试）
scheme: puning
units:
  普宁市人民政府:
    officers:
      city_cdo: {name: 王五, title: 副市长, phone: 0663-6186213}
  市公安局:
    officers:
      dept_cdo: {name: 张三, title: 副局长, phone: '13800138000'}  # 现任
      dept_contact: {office: 办公室, name: 李四, title: 科员, phone: '13900139000'}
  市教育局:
    officers:
      dept_cdo: {name: 孙七, title: 副局长, phone: '13700137000'}
      dept_contact: {office: 办公室, name: 周八, title: 科员, phone: '13600136000'}
"""
TITLE = ("附件2", "普宁市部门首席数据官和联系人报名表")


@pytest.fixture
def roster(tmp_path: Path, cli: Cli) -> Path:
    """Puning's roster with a few people, in the test's folder (the CLI runs there)."""
    path = tmp_path / "roster.yaml"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def _no_traceback(result: Any) -> None:
    assert "Traceback" not in result.output and "Error:" not in result.output, result.output


# ---------------------------------------------------------------- building Word forms


def _table(document: Any, rows: list[list[str | None]], merges: tuple[Any, ...] = ()) -> Any:
    """A table typed as a clerk types it: cells merged first, then the text typed in."""
    table = document.add_table(rows=len(rows), cols=max(map(len, rows)))
    for a, b in merges:
        table.cell(*a).merge(table.cell(*b))
    typed: list[Any] = []
    for i, row in enumerate(rows):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            if text is not None and not any(cell._tc is t for t in typed):
                cell.text = text
                typed.append(cell._tc)
    return table


def _attachment2(
    path: Path,
    unit: str | None = "市公安局",
    cdo: str = "张三",
    phone: str = "13800138000",
    contacts: tuple[tuple[str, str], ...] = (("李四", "13900139000"),),
    above: tuple[str, ...] = TITLE,
) -> Path:
    """附件2 built in Word by hand: the title above the table, headings as merged rows."""
    document = docx.Document()
    for text in above:
        document.add_paragraph(text)
    rows: list[list[str | None]] = [
        ["部门首席数据官"] * 4,
        ["单位", "姓名", "职务", "联系方式"],
        [unit or "", cdo, "副局长", phone],
        ["工作联系人"] * 4,
        ["科室（股室）", "姓名", "职务", "联系方式"],
    ]
    rows += [["办公室", name, "科员", number] for name, number in contacts]
    _table(document, rows, (((0, 0), (0, 3)), ((3, 0), (3, 3))))
    document.save(str(path))
    return path


def _changes(result: Any) -> list[str]:
    """The + ~ - lines of an import preview, without where they came from."""
    return [
        line.split("  ←")[0].strip()
        for line in result.stdout.splitlines()
        if line.lstrip().startswith(("+ ", "~ ", "- "))
    ]


# ---------------------------------------------------------------- Word forms made by hand


def test_import_form_unit_written_in_a_label_above_the_table(cli: Cli, roster: Path) -> None:
    """填报单位（盖章）：… above the table, the 单位 cell left empty: not the file's name."""
    above = (*TITLE, "填报单位（盖章）：市教育局        填报日期：2023年10月28日")
    _attachment2(Path("scan0001.docx"), unit=None, cdo="孙七", above=above)
    result = cli("import", "scan0001.docx")
    assert result.exit_code == 0, result.output
    assert _changes(result) == [
        "~ 市直部门首席数据官 孙七：",
        "~ 工作联系人：周八 → 李四（周八 移入历史）",
    ]


def test_import_form_unit_in_a_row_beside_its_label(cli: Cli, roster: Path) -> None:
    document = docx.Document()
    for text in TITLE:
        document.add_paragraph(text)
    _table(
        document,
        [
            ["单位", "市教育局", None, None],
            ["部门首席数据官"] * 4,
            ["姓名", "职务", "联系方式", ""],
            ["孙七", "副局长", "13700137000", ""],
        ],
        (((0, 1), (0, 3)), ((1, 0), (1, 3))),
    )
    document.save("表.docx")
    result = cli("import", "表.docx")
    assert result.exit_code == 0 and "没有需要修改的内容" in result.stdout, result.output


@pytest.mark.parametrize("written", ["普宁市公安局", "市 公安局", "普宁市　公安局"])
def test_import_form_unit_written_with_the_city_or_spaces(
    cli: Cli, roster: Path, written: str
) -> None:
    _attachment2(Path("表.docx"), unit=written, cdo="赵九")
    result = cli("import", "表.docx")
    assert result.exit_code == 0, result.output
    assert _changes(result)[0] == "~ 市直部门首席数据官：张三 → 赵九（张三 移入历史）"


def test_import_county_form_with_the_city_in_its_county_cell(cli: Cli, roster: Path) -> None:
    """附件1's 县（市、区） cell says 普宁市: the city's own government."""
    document = docx.Document()
    for text in ("附件1", "普宁市政府首席数据官和联系人报名表"):
        document.add_paragraph(text)
    _table(
        document,
        [
            ["县（市、区）政府首席数据官"] * 4,
            ["县（市、区）", "姓名", "职务", "联系方式"],
            ["普宁市", "王五", "副市长", "0663-6186213"],
        ],
        (((0, 0), (0, 3)),),
    )
    document.save("附件1.docx")
    result = cli("import", "附件1.docx")
    assert result.exit_code == 0 and "没有需要修改的内容" in result.stdout, result.output


def test_import_form_with_a_table_typed_inside_a_cell(cli: Cli, roster: Path) -> None:
    """手机 and 邮箱 as a little table inside the 联系方式 cell: read, not lost."""
    path = _attachment2(Path("表.docx"), phone="")
    document = docx.Document(str(path))
    inner = document.tables[0].cell(2, 3).add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "手机", (0, 1): "13811112222", (1, 0): "邮箱"}.items():
        inner.cell(r, c).text = text
    inner.cell(1, 1).text = "zs@example.cn"
    document.save(str(path))
    result = cli("import", "表.docx")
    assert result.exit_code == 0, result.output
    assert "联系电话：13800138000 → 13811112222" in result.stdout
    assert "电子邮箱：（空） → zs@example.cn" in result.stdout


def test_import_form_framed_in_a_one_cell_table(cli: Cli, roster: Path) -> None:
    source = docx.Document(str(_attachment2(Path("plain.docx"), cdo="赵九")))
    document = docx.Document()
    frame = document.add_table(rows=1, cols=1).cell(0, 0)
    frame.paragraphs[0].text = TITLE[0]
    frame.add_paragraph(TITLE[1])
    frame._tc.append(source.tables[0]._tbl)  # the whole form inside the frame's cell
    frame.add_paragraph("")
    document.save("框.docx")
    result = cli("import", "框.docx")
    assert result.exit_code == 0, result.output
    assert "~ 市直部门首席数据官：张三 → 赵九（张三 移入历史）" in _changes(result)


def test_import_form_whose_unit_is_nowhere(cli: Cli, roster: Path) -> None:
    """No unit cell, label, property, and a file name that is no unit: say so (exit 1)."""
    _attachment2(Path("scan_0012.docx"), unit=None)
    result = cli("import", "scan_0012.docx")
    assert result.exit_code == 1
    assert "scan_0012.docx 看不出是哪个单位填写的附件2" in result.stderr
    _attachment2(Path("附件2-市公按局.docx"), unit=None)  # a typo in the file's name
    typo = cli("import", "附件2-市公按局.docx")
    assert "“市公按局”不是普宁市方案范围内的单位" in typo.stdout
    assert "是否应为：市公安局" in typo.stdout


def test_import_form_with_a_typo_in_the_unit_cell_suggests(cli: Cli, roster: Path) -> None:
    _attachment2(Path("表.docx"), unit="市公按局")
    result = cli("import", "表.docx", "--write")
    assert result.exit_code == 1
    assert "“市公按局”不是普宁市方案范围内的单位" in result.stdout
    assert "是否应为：市公安局" in result.stdout
    assert roster.read_text(encoding="utf-8") == ROSTER


def test_import_same_form_twice_with_different_people_is_a_conflict(cli: Cli, roster: Path) -> None:
    _attachment2(Path("甲.docx"), cdo="赵九")
    _attachment2(Path("乙.docx"), cdo="钱十")
    result = cli("import", "甲.docx", "乙.docx", "--write")
    assert result.exit_code == 1
    assert "市公安局 市直部门首席数据官：姓名“赵九”/“钱十”，分别见 甲.docx" in result.stdout
    assert roster.read_text(encoding="utf-8") == ROSTER


def test_import_two_people_for_a_one_person_post_in_one_form(cli: Cli, roster: Path) -> None:
    _attachment2(Path("表.docx"), contacts=(("李四", "13900139000"), ("王二", "13500135000")))
    result = cli("import", "表.docx", "--write")
    assert result.exit_code == 1
    assert "工作联系人：姓名“李四”/“王二”（同一文件中填了两处，该职位只设 1 名）" in result.stdout
    assert roster.read_text(encoding="utf-8") == ROSTER


def test_import_phone_excel_wrote_in_scientific_notation_is_a_problem(
    cli: Cli, roster: Path
) -> None:
    _attachment2(Path("表.docx"), phone="1.38001E+10")
    Path("表.csv").write_text(
        "单位,职位,姓名,联系电话\n市教育局,工作联系人,周八,1.36001E+10\n", encoding="utf-8"
    )
    result = cli("import", "表.docx", "表.csv", "--write")
    assert result.exit_code == 1
    assert "联系电话“1.38001E+10”是 Excel 的科学计数法，号码的后几位已经丢失" in result.stdout
    assert "联系电话“1.36001E+10”是 Excel 的科学计数法" in result.stdout
    assert roster.read_text(encoding="utf-8") == ROSTER


def test_import_list_with_numbered_lines_and_a_section_left_out(cli: Cli) -> None:
    """Zhaoqing's 名单 typed as 1.姓名 职务 lines, with only one of its four sections: the
    sections it leaves out say nothing about their people."""
    assert cli("init", "--scheme", "zhaoqing", "-o", "roster.yaml").exit_code == 0
    document = docx.Document()
    for text in ("附件", "肇庆市首席数据官名单", "三、市级部门首席数据官",
                 "1.陈添有\t市发改局副局长", "2、新人　市公安局副局长"):  # fmt: skip
        document.add_paragraph(text)
    document.save("名单.docx")
    result = cli("import", "名单.docx")
    assert result.exit_code == 0, result.output
    assert _changes(result) == ["~ 市级部门首席数据官：游建军 → 新人（游建军 移入历史）"]


def test_import_form_with_tracked_changes_reads_what_word_shows(cli: Cli, roster: Path) -> None:
    from docx.oxml.ns import qn
    from lxml import etree

    path = _attachment2(Path("表.docx"), cdo="")
    document = docx.Document(str(path))
    paragraph = document.tables[0].cell(2, 1).paragraphs[0]._p
    for tag, text_tag, text in (("w:del", "w:delText", "张三"), ("w:ins", "w:t", "赵九")):
        change = etree.SubElement(paragraph, qn(tag), {qn("w:id"): "1", qn("w:author"): "科员"})
        etree.SubElement(etree.SubElement(change, qn("w:r")), qn(text_tag)).text = text
    document.save(str(path))
    result = cli("import", "表.docx")
    assert "~ 市直部门首席数据官：张三 → 赵九（张三 移入历史）" in _changes(result)


def test_import_long_and_formula_names_are_shown_short_and_flagged(cli: Cli, roster: Path) -> None:
    _attachment2(
        Path("表.docx"), cdo="张" * 10_000, contacts=(("=cmd|'/C calc'!A0", "13900139000"),)
    )
    result = cli("import", "表.docx", "--write")
    assert result.exit_code == 0, result.output
    assert "张张张…（共 10000 个字符）" in result.stdout
    assert max(map(len, result.stdout.splitlines())) < 200
    found = cli("validate", "roster.yaml").stdout
    assert "姓名有 10000 个字符" in found and "[name-too-long]" in found
    assert "姓名“=cmd|'/C calc'!A0”以“=”开头，在 Excel 中会被当作公式  [text-formula]" in found
    assert cli("export", "-o", "名册.xlsx").exit_code == 0
    cells = [c for row in openpyxl.load_workbook("名册.xlsx")["人员"].iter_rows() for c in row]
    formula = next(c for c in cells if c.value == "=cmd|'/C calc'!A0")
    assert formula.data_type == "s"
    assert cli("export", "-o", "-", "--format", "csv").stdout.count(",'=cmd|") == 1


# ---------------------------------------------------------------- spreadsheets as clerks keep them

HEADERS = ["单位", "职位", "姓名", "职务", "联系电话"]


def _book(rows: list[list[Any]], path: str = "汇总.xlsx") -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return book


def test_import_workbook_with_a_unit_merged_over_its_people(cli: Cli, roster: Path) -> None:
    """The unit written once, in a cell merged down over the unit's rows: every row is
    the unit's (before, the rows under the first were dropped and their posts emptied)."""
    book = _book(
        [
            HEADERS,
            ["市公安局", "市直部门首席数据官", "张三", "副局长", "13800138000"],
            [None, "工作联系人", "李四", "科员", "13912345678"],
        ]
    )
    book.active.merge_cells("A2:A3")
    book.save("汇总.xlsx")
    result = cli("import", "汇总.xlsx")
    assert result.exit_code == 0, result.output
    assert _changes(result) == ["~ 工作联系人 李四："]
    assert "联系电话：13900139000 → 13912345678" in result.stdout


def test_import_workbook_with_a_unit_written_once_says_so(cli: Cli, roster: Path) -> None:
    _book(
        [
            HEADERS,
            ["市公安局", "市直部门首席数据官", "张三", "副局长", "13800138000"],
            [None, "工作联系人", "李四", "科员", "13900139000"],
        ]
    )
    result = cli("import", "汇总.xlsx")
    assert result.exit_code == 0 and "没有需要修改的内容" in result.stdout
    assert "汇总.xlsx 第 3 行：没有填写单位，按上一行取为“市公安局”。" in result.stderr


@pytest.mark.parametrize(
    ("cell", "note"),
    [
        ("=A2", "“单位”是公式，文件中没有保存计算结果"),  # openpyxl saves no results
        ("=cmd|'/C calc'!A0", "“单位”是公式，文件中没有保存计算结果"),
    ],
)
def test_import_workbook_formula_without_a_result_is_not_an_empty_cell(
    cli: Cli, roster: Path, cell: str, note: str
) -> None:
    """A row whose unit is a formula without a saved result is noted and left out, and
    the unit's posts are not emptied for it."""
    _book(
        [
            HEADERS,
            ["市公安局", "市直部门首席数据官", "张三", "副局长", "13800138000"],
            [cell, "工作联系人", "李四", "科员", "13900139000"],
        ]
    )
    result = cli("import", "汇总.xlsx")
    assert result.exit_code == 0, result.output
    assert "没有需要修改的内容" in result.stdout  # 李四 is not shown as removed
    assert f"汇总.xlsx 第 3 行：{note}" in result.stderr


def test_import_workbook_formula_showing_an_error(cli: Cli, roster: Path, tmp_path: Path) -> None:
    _book([HEADERS, ["市公安局", "工作联系人", "李四", "科员", "13900139000"]])
    with zipfile.ZipFile("汇总.xlsx") as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    name = sheet.index('<c r="C2"')
    end = sheet.index("</c>", name) + 4
    parts["xl/worksheets/sheet1.xml"] = (
        sheet[:name] + '<c r="C2" t="e"><f>VLOOKUP(A2,X!A:B,2,0)</f><v>#N/A</v></c>' + sheet[end:]
    ).encode()
    with zipfile.ZipFile("汇总.xlsx", "w") as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    result = cli("import", "汇总.xlsx")
    assert "第 2 行：“姓名”是出错的公式（显示 #N/A），这一行未导入" in result.stderr
    assert "没有需要修改的内容" in result.stdout


def test_import_workbook_hidden_sheet_and_hidden_rows(cli: Cli, roster: Path) -> None:
    book = _book(
        [
            HEADERS,
            ["市公安局", "市直部门首席数据官", "张三", "副局长", "13800138000"],
            ["市公安局", "工作联系人", "李四", "科员", "13900139000"],
        ]
    )
    book.active.row_dimensions[3].hidden = True  # filtered away: still the unit's contact
    old = book.create_sheet("旧名单")
    old.sheet_state = "hidden"
    for row in (HEADERS, ["市教育局", "市直部门首席数据官", "旧人", "副局长", "13500135000"]):
        old.append(row)
    book.save("汇总.xlsx")
    result = cli("import", "汇总.xlsx")
    assert "没有需要修改的内容" in result.stdout, result.output
    assert "工作表“旧名单”是隐藏的，其中的内容未导入" in result.stderr
    assert "有 1 行是隐藏的（如被筛选掉），已照常导入：第 3 行" in result.stderr


def test_import_summary_sheet_with_a_title_and_a_total_row(cli: Cli, roster: Path) -> None:
    book = _book(
        [
            ["普宁市首席数据官汇总表"],
            ["填报单位：市政务服务数据管理局", None, None, "日期：2023-10-30"],
            HEADERS,
            ["市公安局", "市直部门首席数据官", "赵九", "副局长", 13811112222.0],
            ["合计", None, "1人", None, None],
            ["填表人：小王", None, None, "联系电话：13512345678"],
        ]
    )
    book.active.merge_cells("A1:E1")
    book.save("汇总.xlsx")
    result = cli("import", "汇总.xlsx")
    assert result.exit_code == 0, result.output
    assert _changes(result) == ["~ 市直部门首席数据官：张三 → 赵九（张三 移入历史）"]
    assert "13811112222" in result.stdout and result.stderr == ""


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2023年10月28日", 28),
        ("2023.10.28", 28),
        ("2023/10/28", 28),
        ("2023-10-28 10:30", 28),
        ("2023年10月28号", 28),
        ("二〇二三年十月二十八日", 28),
        ("二〇二三年十月十日", 10),
        ("20231028", 28),
        (20231028, 28),
        (45227, 28),  # Excel's serial number
        ("10月28日", None),  # no year: not guessed
        ("二〇二三年十十月一日", None),
    ],
)
def test_dates_typed_in_chinese_styles(text: Any, day: int | None) -> None:
    found = cell_date(text)
    assert (found.day if found else None) == day
    if found:
        assert (found.year, found.month) == (2023, 10)


CSV_ROWS = ["单位,职位,姓名,职务,联系电话", "市公安局,工作联系人,李四,科员,13912345678"]


@pytest.mark.parametrize(
    "data",
    [
        "\n".join(CSV_ROWS).encode(),
        "\r\n".join(CSV_ROWS).encode(),
        "\r".join(CSV_ROWS).encode(),
        "\n".join(r.replace(",", ";") for r in CSV_ROWS).encode(),
        "\r\n".join(CSV_ROWS).encode("gbk"),
        "\r\n".join(r.replace(",", "\t") for r in CSV_ROWS).encode("utf-16"),  # Excel's Unicode
        ("普宁市汇总表\n" + "\n".join(CSV_ROWS) + "\n合计,,1人,,\n").encode("utf-8-sig"),
    ],
    ids=["lf", "crlf", "cr", "semicolon", "gbk", "utf16", "title-total"],
)
def test_read_csv_as_saved_by_any_program(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(data)
    imported = read_sheet(path, Registry(), scheme_id="puning")
    assert rows_of(imported.people) == [
        ("市公安局", "dept_contact", {"name": "李四", "title": "科员", "phone": "13912345678"})
    ]
    assert imported.notes == []


def test_import_csv_with_a_line_break_inside_a_quoted_cell(cli: Cli, roster: Path) -> None:
    Path("a.csv").write_text(
        '单位,职位,姓名,职务\n市公安局,市直部门首席数据官,张三,"副局长\n（主持工作）"\n',
        encoding="utf-8",
    )
    result = cli("import", "a.csv", "--write")
    assert result.exit_code == 0, result.output
    assert "职务：副局长 → 副局长（主持工作）" in result.stdout


@pytest.mark.parametrize(
    ("data", "note"),
    [
        (b"", "文件是空的，没有可导入的内容。"),
        (b"\xef\xbb\xbf", "文件是空的，没有可导入的内容。"),
        (b" \r\n,,,\r\n", "文件是空的，没有可导入的内容。"),
        ("单位,职位,姓名\r\n".encode(), "表格中没有填写任何人员或报送记录。"),
    ],
    ids=["empty", "bom", "blank", "header-only"],
)
def test_import_empty_csv_is_nothing_to_import(
    cli: Cli, roster: Path, data: bytes, note: str
) -> None:
    Path("a.csv").write_bytes(data)
    result = cli("import", "a.csv", "--write")
    assert result.exit_code == 0
    assert result.stderr == f"a.csv：{note}\n"
    assert roster.read_text(encoding="utf-8") == ROSTER


def test_import_csv_that_is_no_known_text(cli: Cli, roster: Path) -> None:
    Path("a.csv").write_bytes("单位,姓名\n".encode() + b"\xff\xfe\xfd\x80,\x81\n")
    result = cli("import", "a.csv")
    assert result.exit_code == 1
    assert "无法识别文件的编码（不是 UTF-8、GBK 或 UTF-16）" in result.stderr
    assert "另存为“CSV UTF-8（逗号分隔）”" in result.stderr


# ---------------------------------------------------------------- hostile files


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on Windows")
@pytest.mark.parametrize("name", ["x.docx", "x.xlsx", "x.csv"])
def test_import_fifo_is_refused_at_once(cli: Cli, roster: Path, name: str) -> None:
    os.mkfifo(name)
    result = cli("import", name)
    assert result.exit_code == 2
    assert f"{name} 是命名管道（FIFO）" in result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("name", ["zero.docx", "zero.xlsx", "zero.csv"])
def test_import_link_to_a_device_is_refused(cli: Cli, roster: Path, name: str) -> None:
    os.symlink("/dev/zero", name)
    result = cli("import", name)
    assert result.exit_code == 2
    assert f"{name} 是设备文件" in result.stderr


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
def test_import_form_through_a_link_reads_the_form(cli: Cli, roster: Path) -> None:
    _attachment2(Path("真.docx"), cdo="赵九")
    os.symlink("真.docx", "链接.docx")
    result = cli("import", "链接.docx")
    assert "~ 市直部门首席数据官：张三 → 赵九（张三 移入历史）" in _changes(result)


LAUGHS = (
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
    + "".join(
        f'<!ENTITY {c} "{(f"&{p};") * 10}">' for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "]>"
)


def _rewrite(path: str, part: str, change: Callable[[str], str]) -> None:
    """Replace one part of a zip (a .docx or .xlsx) with ``change`` of its text."""
    with zipfile.ZipFile(path) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    parts[part] = change(parts[part].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _cell(text: str) -> str:
    """A row of the sheet whose 姓名 cell holds ``text``, put at the end of its rows."""
    return (
        '<row r="9"><c r="A9" t="inlineStr"><is><t>市公安局</t></is></c>'
        '<c r="B9" t="inlineStr"><is><t>数据岗位</t></is></c>'
        f'<c r="C9" t="inlineStr"><is><t>{text}</t></is></c></row></sheetData>'
    )


def _with_doctype(text: str, doctype: str, reference: str, where: str) -> str:
    body = text.split("?>", 1)[1] if text.startswith("<?xml") else text
    return '<?xml version="1.0" encoding="UTF-8"?>' + doctype + body.replace(where, reference, 1)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "document"])
def test_import_entity_expansion_is_refused(cli: Cli, roster: Path, part: str) -> None:
    """A billion laughs inside a part: refused in Chinese (before, a traceback from the
    sheet's rows), never expanded."""
    if part == "document":
        name = str(_attachment2(Path("表.docx")))
        part, where, reference = "word/document.xml", "张三", "&i;"
    else:
        name = "汇总.xlsx"
        _book([HEADERS, ["市公安局", "工作联系人", "李四", "科员", "13900139000"]])
        where = "</sheetData>" if "sheet" in part else 'name="Sheet"'
        reference = _cell("&i;") if "sheet" in part else 'name="&i;"'
    _rewrite(name, part, lambda text: _with_doctype(text, LAUGHS, reference, where))
    result = cli("import", name)
    _no_traceback(result)
    assert result.exit_code == 2
    assert "ParseError" not in result.stderr and "XMLSyntaxError" not in result.stderr


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_import_external_entity_is_never_read(
    cli: Cli, roster: Path, tmp_path: Path, kind: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-TOKEN-42", encoding="utf-8")
    doctype = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    if kind == "docx":
        name, part, where = str(_attachment2(Path("表.docx"))), "word/document.xml", "张三"
    else:
        name, part, where = "汇总.xlsx", "xl/worksheets/sheet1.xml", "</sheetData>"
        _book([HEADERS, ["市公安局", "工作联系人", "李四", "科员", "13900139000"]])
    reference = "&xxe;" if kind == "docx" else _cell("&xxe;")
    _rewrite(name, part, lambda text: _with_doctype(text, doctype, reference, where))
    for args in ((name,), (name, "--write")):
        result = cli("import", *args)
        _no_traceback(result)
        assert "SECRET-TOKEN" not in result.output
        assert result.exit_code == (2 if kind == "xlsx" else 1 if "--write" in args else 0)
    assert "SECRET-TOKEN" not in roster.read_text(encoding="utf-8")


def test_import_zip_bomb_workbook_is_refused_before_unpacking(
    cli: Cli, roster: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cdo_cli import sheet_files

    _book([HEADERS, ["市公安局", "工作联系人", "李四", "科员", "13900139000"]])
    with zipfile.ZipFile("汇总.xlsx", "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/pad.bin", b"\0" * 3_000_000)  # 3 MB of zeros, 3 KB packed
    monkeypatch.setattr(sheet_files, "MAX_BYTES", 2_000_000)
    result = cli("import", "汇总.xlsx")
    assert result.exit_code == 2
    assert "工作簿解压后超过 1 MB，已拒绝" in result.stderr


def test_import_zip_with_paths_that_climb_out(cli: Cli, roster: Path, tmp_path: Path) -> None:
    _attachment2(Path("表.docx"), cdo="赵九")
    _book([HEADERS, ["市公安局", "工作联系人", "李四", "科员", "13900139000"]])
    for name in ("表.docx", "汇总.xlsx"):
        with zipfile.ZipFile(name, "a") as archive:
            archive.writestr("../../climbed.txt", b"x")
            archive.writestr("/abs/climbed.txt", b"x")
    result = cli("import", "表.docx", "汇总.xlsx")
    assert result.exit_code == 0, result.output
    assert not list(tmp_path.parent.parent.glob("climbed.txt"))
    assert not Path("/abs/climbed.txt").exists()


def test_import_file_over_the_limits_is_refused_not_cut_short(
    cli: Cli, roster: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cdo_cli import sheet_files

    rows = "\n".join(f"市公安局,数据岗位,人{i},科员" for i in range(50))
    Path("a.csv").write_text("单位,职位,姓名,职务\n" + rows, encoding="utf-8")
    monkeypatch.setattr(sheet_files, "MAX_ROWS", 20)
    result = cli("import", "a.csv")
    assert result.exit_code == 2
    assert "有内容的行超过 20 行，不像是名册，未读取" in result.stderr
    monkeypatch.setattr(sheet_files, "MAX_BYTES", 100)
    result = cli("import", "a.csv")
    assert result.exit_code == 2 and "过大" in result.stderr


def test_sheet_formatted_down_to_its_last_rows_is_read_quickly(tmp_path: Path) -> None:
    """Rows with nothing in them (formatting carried down a column) are skipped as they
    are parsed: none of them is kept."""
    _book(
        [HEADERS, ["市公安局", "工作联系人", "李四", "科员", "13900139000"]],
        str(tmp_path / "a.xlsx"),
    )
    empty = "".join(f'<row r="{r}" spans="1:5" s="1" customFormat="1"/>' for r in range(3, 120_001))
    _rewrite(str(tmp_path / "a.xlsx"), "xl/worksheets/sheet1.xml",
             lambda text: text.replace("</sheetData>", empty + "</sheetData>"))  # fmt: skip
    from cdo_cli.sheet_files import read_rows

    (sheet,) = read_rows(tmp_path / "a.xlsx")
    assert sheet.numbers == [1, 2]


def test_import_control_characters_never_reach_the_terminal(cli: Cli, roster: Path) -> None:
    Path("a.csv").write_text(
        "单位,职位,姓名\n市公安局,工作联系人,李四\x1b]0;pwned\x07\n", encoding="utf-8"
    )
    result = cli("import", "a.csv", "--write")
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "李四\\x1b]0;pwned\\x07" in result.stdout
    assert result.exit_code == 1 and "[text-control]" in result.stderr
    assert roster.read_text(encoding="utf-8") == ROSTER


def test_import_roster_changed_between_preview_and_write(
    cli: Cli, roster: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program saves the roster while import reads the files: nothing is written."""
    from cdo_cli import sheet_reading

    read = sheet_reading.read_sheet

    def read_and_meanwhile(path: Path, registry: Any, **kw: Any) -> Any:
        roster.write_text(ROSTER + "# 他人刚保存\n", encoding="utf-8")
        return read(path, registry, **kw)

    monkeypatch.setattr(sheet_reading, "read_sheet", read_and_meanwhile)
    Path("a.csv").write_text("单位,职位,姓名\n市公安局,数据岗位,钱七\n", encoding="utf-8")
    result = cli("import", "a.csv", "--write")
    assert result.exit_code == 2
    assert "在 cdo 读取之后被其他程序修改了，未写入" in result.stderr
    assert roster.read_text(encoding="utf-8") == ROSTER + "# 他人刚保存\n"


# ---------------------------------------------------------------- round trips


def _edit_export(path: str) -> None:
    """A clerk's edit of the exported workbook: a phone changed, a title cleared, a
    person added."""
    book = openpyxl.load_workbook(path)
    sheet = book["人员"]
    header = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        name = row[header.index("姓名")].value
        if name == "张三":
            row[header.index("联系电话")].value = "13812345678"
        if name == "李四":
            row[header.index("职务")].value = None
    sheet.append(["市公安局", "数据岗位", "钱七", "科员", None, "13511112222", None])
    book.save(path)


def _check_edit(cli: Cli, roster: Path, path: str) -> None:
    result = cli("import", path, "--write")
    assert result.exit_code == 0, result.output
    assert _changes(result) == [
        "~ 市直部门首席数据官 张三：",
        "+ 数据岗位：钱七（科员，13511112222）",
        "~ 工作联系人 李四：",
    ]
    assert "职务：科员 → （空）" in result.stdout
    text = roster.read_text(encoding="utf-8")
    assert "# 普宁市名册（测试）" in text and "# 现任" in text
    assert "phone: '13812345678'" in text and "name: 李四, phone:" in text
    assert "name: 钱七" in text
    again = cli("import", path, "--write")
    assert again.exit_code == 0 and "没有需要修改的内容" in again.stdout


def test_export_edit_import_changes_exactly_the_edit(cli: Cli, roster: Path) -> None:
    """Including a cleared cell: in the workbook cdo exported, empty means empty."""
    assert cli("export", "-o", "名册.xlsx").exit_code == 0
    _edit_export("名册.xlsx")
    _check_edit(cli, roster, "名册.xlsx")


def test_emptied_cell_clears_only_in_the_exported_layout(cli: Cli, roster: Path) -> None:
    """A summary sheet with other headers, and a Word form, leave a blank cell alone."""
    _book([HEADERS, ["市公安局", "工作联系人", "李四", None, "13900139000"]])
    _attachment2(Path("表.docx"), phone="")
    for name in ("汇总.xlsx", "表.docx"):
        result = cli("import", name)
        assert result.exit_code == 0 and "没有需要修改的内容" in result.stdout, result.output


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs LibreOffice (writer and calc) for the re-save tests")
        pytest.skip("LibreOffice not installed")
    return found


def _resave(tmp_path: Path, target: str, files: list[Path], done: dict[str, bytes]) -> None:
    """Convert ``files`` to ``target`` with LibreOffice (its own profile, so two run side
    by side); its output is kept in ``done`` under ``target``."""
    process = subprocess.run(
        [_soffice(), f"-env:UserInstallation={(tmp_path / f'lo-{target}').as_uri()}",
         "--headless", "--norestore", "--convert-to", target,
         "--outdir", str(tmp_path / f"out-{target}"), *map(str, files)],
        capture_output=True, timeout=180,
    )  # fmt: skip
    done[target] = process.stdout + process.stderr


def test_files_resaved_by_libreoffice_import_the_same(
    cli: Cli, roster: Path, tmp_path: Path
) -> None:
    """WPS and LibreOffice re-save what clerks send: hand-made forms (unit in a label,
    a table in a cell, a frame) and the exported workbook, edited, import the same."""
    _soffice()
    above = (*TITLE, "填报单位：市教育局")
    forms = [
        _attachment2(tmp_path / "label.docx", unit=None, cdo="孙七", above=above),
        _attachment2(tmp_path / "plain.docx", unit="普宁市公安局", cdo="赵九"),
    ]
    assert cli("export", "-o", "名册.xlsx").exit_code == 0
    _edit_export("名册.xlsx")
    book = _book(
        [HEADERS, ["市教育局", "市直部门首席数据官", "孙七", "副局长", "13700137000"],
         [None, "工作联系人", "周八", "科员", "13600136000"]],
        str(tmp_path / "merged.xlsx"),
    )  # fmt: skip
    book.active.merge_cells("A2:A3")
    book.save(tmp_path / "merged.xlsx")
    sheets = [tmp_path / "名册.xlsx", tmp_path / "merged.xlsx"]
    output: dict[str, bytes] = {}
    threads = [
        threading.Thread(target=_resave, args=(tmp_path, "docx", forms, output)),
        threading.Thread(target=_resave, args=(tmp_path, "xlsx", sheets, output)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for path in [*forms, sheets[1]]:
        resaved = tmp_path / f"out-{path.suffix[1:]}" / path.name
        assert resaved.exists(), output
        assert resaved.read_bytes() != path.read_bytes()
        before, after = cli("import", str(path)), cli("import", str(resaved))
        assert _changes(after) == _changes(before), after.output
    _check_edit(cli, roster, str(tmp_path / "out-xlsx" / "名册.xlsx"))


# ---------------------------------------------------------------- a bound on time


def test_hostile_files_all_end_quickly(cli: Cli, roster: Path) -> None:
    """No file makes import wait: a FIFO, a device, a bomb, a folder, all at once."""
    import time

    names = ["d.docx"]
    Path("d.docx").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo("f.xlsx")
        names.append("f.xlsx")
    Path("b.xlsx").write_bytes(io.BytesIO(b"PK\x03\x04" + b"\0" * 100).getvalue())
    names.append("b.xlsx")
    start = time.monotonic()
    result = cli("import", *names)
    assert time.monotonic() - start < 15
    assert result.exit_code == 2
    _no_traceback(result)


def test_import_document_of_endless_rows_is_refused(
    cli: Cli, roster: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """30,000 rows fit in a 90 KB .docx and took minutes to read: refused past a bound."""
    from cdo_cli import docx_reading

    path = _attachment2(Path("表.docx"))
    document = docx.Document(str(path))
    table = document.tables[0]._tbl
    for _ in range(30):
        table.append(copy.deepcopy(table.tr_lst[2]))
    document.save(str(path))
    monkeypatch.setattr(docx_reading, "MAX_ITEMS", 20)
    result = cli("import", "表.docx")
    assert result.exit_code == 2
    assert "表.docx 有超过 20 个表格行和段落，不像是一份表格，未读取" in result.stderr


def test_import_notes_are_shown_up_to_a_bound(cli: Cli) -> None:
    assert cli("init", "--scheme", "zhaoqing", "-o", "roster.yaml").exit_code == 0
    document = docx.Document()
    for text in ("附件", "肇庆市首席数据官名单", "三、市级部门首席数据官"):
        document.add_paragraph(text)
    for n in range(80):
        document.add_paragraph(f"第{n}行：无法读作姓名和职务的一行字")
    document.save("名单.docx")
    result = cli("import", "名单.docx")
    assert result.exit_code == 0
    assert len(result.stderr.splitlines()) == 51
    assert "……另有 31 条说明未显示（加 --format json 可看全部）。" in result.stderr
    shown = cli("import", "名单.docx", "--format", "json")
    assert len(json.loads(shown.stdout)["notes"]) == 81


def test_import_workbook_saved_with_a_csv_name(cli: Cli, roster: Path) -> None:
    _book([HEADERS, ["市公安局", "市直部门首席数据官", "赵九", "副局长", "13811112222"]], "a.csv")
    result = cli("import", "a.csv")
    assert result.exit_code == 0, result.output
    assert "~ 市直部门首席数据官：张三 → 赵九（张三 移入历史）" in _changes(result)


def test_import_sheet_contact_cell_with_phone_and_email(tmp_path: Path) -> None:
    """联系方式 in a summary sheet holds both, as on the form: split, not an invalid phone."""
    path = tmp_path / "a.csv"
    path.write_text(
        "单位,职位,姓名,联系方式\n"
        "市公安局,市直部门首席数据官,张三,13800138000/zs@163.com\n"
        "市公安局,工作联系人,李四,电话：0663-2212345 邮箱：ls@163.com\n",
        encoding="utf-8",
    )
    imported = read_sheet(path, Registry(), scheme_id="puning")
    assert [r.person for r in imported.people] == [
        {"name": "张三", "phone": "13800138000", "email": "zs@163.com"},
        {"name": "李四", "phone": "0663-2212345", "email": "ls@163.com"},
    ]


def test_import_form_with_two_phone_columns(cli: Cli, roster: Path) -> None:
    """办公电话 and 手机 side by side: one person with both numbers for the clerk to choose
    (before: a second "person" without a name, and the mobile lost)."""
    document = docx.Document()
    for text in TITLE:
        document.add_paragraph(text)
    _table(
        document,
        [
            ["部门首席数据官"] * 5,
            ["单位", "姓名", "职务", "办公电话", "手机"],
            ["市公安局", "张三", "副局长", "0663-2212345", "13800138000"],
            ["工作联系人"] * 5,
            ["科室（股室）", "姓名", "职务", "办公电话", "手机"],
            ["办公室", "李四", "科员", "", "13900139000"],
        ],
        (((0, 0), (0, 4)), ((3, 0), (3, 4))),
    )
    document.save("表.docx")
    result = cli("import", "表.docx")
    assert result.exit_code == 0 and "无法导入" not in result.stdout, result.output
    assert "联系电话：13800138000 → 0663-2212345、13800138000" in result.stdout
    assert _changes(result) == ["~ 市直部门首席数据官 张三："]


def test_a_name_typed_with_a_space_is_the_same_person(cli: Cli, roster: Path) -> None:
    """张 三 in the roster (or on the command line) and 张三 on a form are one person:
    the spelling changes, nobody moves into the history."""
    roster.write_text(ROSTER.replace("name: 张三,", "name: 张 三,"), encoding="utf-8")
    _attachment2(Path("表.docx"))
    result = cli("import", "表.docx")
    assert _changes(result) == ["~ 市直部门首席数据官 张三："]
    assert "姓名：张 三 → 张三" in result.stdout and "移入历史" not in result.stdout
    appoint = cli(
        "record", "appoint", "--unit", "市公安局", "--role", "dept_cdo", "--name", "张 三",
        "--title", "局长", "--date", "2024-03-01", "--dry-run",
    )  # fmt: skip
    assert appoint.exit_code == 0, appoint.output
    assert "移入历史" not in appoint.stdout and "职务：副局长 → 局长" in appoint.stdout


def test_import_sheet_with_a_two_row_header(tmp_path: Path) -> None:
    """联系方式 merged over 手机 | 邮箱, the other headers merged down two rows: the e-mail
    column is read, and the second header row is no person."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["单位", "职位", "姓名", "联系方式", None])
    sheet.append([None, None, None, "手机", "邮箱"])
    sheet.append(["市公安局", "市直部门首席数据官", "张三", "13800138000", "zs@163.com"])
    for cells in ("A1:A2", "B1:B2", "C1:C2", "D1:E1"):
        sheet.merge_cells(cells)
    book.save(tmp_path / "a.xlsx")
    imported = read_sheet(tmp_path / "a.xlsx", Registry(), scheme_id="puning")
    assert rows_of(imported.people) == [
        ("市公安局", "dept_cdo", {"name": "张三", "phone": "13800138000", "email": "zs@163.com"})
    ]
    assert imported.notes == []
