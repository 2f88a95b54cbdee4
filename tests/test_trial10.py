"""cdo import / export / record tried as a new user would, following the README: the cases
that went wrong then. Each builds its files in the test's folder and runs the CLI in-process.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

Cli = Callable[..., Any]

ROSTER = """\
# 普宁市名册（测试）
scheme: puning
units:
  市公安局:
    officers:
      dept_cdo: {name: 张三, title: 副局长, phone: '13800138000'}  # 现任
      dept_contact: {office: 办公室, name: 李四, title: 科员, phone: '13900139000'}
  市教育局:
    officers:
      dept_cdo: {name: 孙七, title: 副局长, phone: '13700137000'}
"""


@pytest.fixture
def roster(tmp_path: Path, cli: Cli) -> Path:
    """Puning's roster with a few people, in the test's folder (the CLI runs there)."""
    path = tmp_path / "roster.yaml"
    path.write_text(ROSTER, encoding="utf-8")
    return path


def _changes(result: Any) -> list[str]:
    """The + ~ - lines of an import preview, without where they came from."""
    return [
        line.split("  ←")[0].strip()
        for line in result.stdout.splitlines()
        if line.lstrip().startswith(("+ ", "~ ", "- "))
    ]


def _no_english(text: str) -> None:
    assert "Traceback" not in text and "Error" not in text, text


# ---------------------------------------------------------------- Word forms


def test_import_form_of_another_scheme_names_that_scheme(cli: Cli, roster: Path) -> None:
    """Zhaoqing's list imported into Puning's roster: say whose form it is, not the
    closest Puning form of which nothing was found."""
    assert cli("render", "attachment", "--scheme", "zhaoqing", "-o", "zq.docx").exit_code == 0
    result = cli("import", "zq.docx")
    assert result.exit_code == 1, result.output
    assert (
        "zq.docx 是肇庆市方案的附件（肇庆市首席数据官名单），不是普宁市方案的表格" in result.stderr
    )
    assert "--roster" in result.stderr
    assert "找到了无" not in result.stderr


def test_import_closest_form_may_be_another_schemes(cli: Cli, roster: Path) -> None:
    """Zhaoqing's title over a table of its own making: not Zhaoqing's form either, but
    the closest is Zhaoqing's, not a Puning form of which nothing was found."""
    document = docx.Document()
    document.add_paragraph("附件")
    document.add_paragraph("肇庆市首席数据官名单")
    table = document.add_table(rows=2, cols=3)
    for j, text in enumerate(["序号", "姓名", "单位及职务"]):
        table.cell(0, j).text = text
    for j, text in enumerate(["1", "张伟", "市教育局副局长"]):
        table.cell(1, j).text = text
    document.save("名单.docx")
    result = cli("import", "名单.docx")
    assert result.exit_code == 1, result.output
    assert "名单.docx 不是普宁市方案的任何一份附件表格" in result.stderr
    assert "最接近的是肇庆市方案的附件（肇庆市首席数据官名单）：找到了标题" in result.stderr


def test_import_form_that_resembles_nothing_says_so_plainly(cli: Cli, roster: Path) -> None:
    document = docx.Document()
    document.add_paragraph("关于报送数据资源目录的通知")
    document.add_paragraph("请各单位于月底前报送。")
    document.save("通知.docx")
    result = cli("import", "通知.docx")
    assert result.exit_code == 1, result.output
    assert "找到了无" not in result.stderr
    assert "但没有找到标题“普宁市" in result.stderr


def test_import_form_with_a_category_column(cli: Cli, roster: Path) -> None:
    """One header row over both sections, the section named in a first column merged
    down beside its rows (类别 | 单位 | 姓名 | 职务 | 联系方式): every row read."""
    document = docx.Document()
    document.add_paragraph("附件2")
    document.add_paragraph("普宁市部门首席数据官和联系人报名表")
    table = document.add_table(rows=3, cols=5)
    for j, text in enumerate(["类别", "单位", "姓名", "职务", "联系方式"]):
        table.cell(0, j).text = text
    table.cell(1, 0).text = "部门首席数据官"
    table.cell(2, 0).text = "工作联系人"
    table.cell(1, 1).merge(table.cell(2, 1)).text = "市教育局"
    for j, text in enumerate(["孙七", "副局长", "13700137000"], start=2):
        table.cell(1, j).text = text
    for j, text in enumerate(["周八", "科员", "13600136000"], start=2):
        table.cell(2, j).text = text
    document.save("附件2-市教育局.docx")
    result = cli("import", "附件2-市教育局.docx")
    assert result.exit_code == 0, result.output
    assert _changes(result) == ["+ 工作联系人：周八（科员，13600136000）"]
    assert "不在任何表头之下" not in result.stderr


def test_import_category_column_merged_down_over_two_contacts(cli: Cli, roster: Path) -> None:
    """The 类别 cell merged down over the rows of its section."""
    document = docx.Document()
    document.add_paragraph("附件2")
    document.add_paragraph("普宁市部门首席数据官和联系人报名表")
    table = document.add_table(rows=4, cols=5)
    for j, text in enumerate(["类别", "单位", "姓名", "职务", "联系方式"]):
        table.cell(0, j).text = text
    table.cell(1, 0).text = "部门首席数据官"
    table.cell(2, 0).merge(table.cell(3, 0)).text = "工作联系人"
    table.cell(1, 1).merge(table.cell(3, 1)).text = "市教育局"
    rows = [["孙七", "副局长", "13700137000"], ["周八", "科员", "13600136000"]]
    rows.append(["吴九", "科员", "13600136001"])
    for i, values in enumerate(rows, start=1):
        for j, text in enumerate(values, start=2):
            table.cell(i, j).text = text
    document.save("附件2-市教育局.docx")
    result = cli("import", "附件2-市教育局.docx")
    assert result.exit_code == 0, result.output
    # Two contacts for a post of one: both read, and shown as the conflict they are.
    assert "姓名“周八”/“吴九”（同一文件中填了两处，该职位只设 1 名）" in result.stdout
    assert "只保留一人" in result.stdout
    assert "两份文件的" not in result.stdout


# ---------------------------------------------------------------- files on the command line


def test_import_folder_says_it_is_a_folder(cli: Cli, roster: Path) -> None:
    Path("回收").mkdir()
    result = cli("import", "回收")
    assert result.exit_code == 2
    assert "错误：回收 是文件夹" in result.stderr
    assert "回收/*.docx" in result.stderr


def test_import_missing_file_gives_a_hint(cli: Cli, roster: Path) -> None:
    result = cli("import", "附件2 市公安局.docx")
    assert result.exit_code == 2
    assert "错误：附件2 市公安局.docx: 文件不存在" in result.stderr
    assert "提示：" in result.stderr


# ---------------------------------------------------------------- a roster already wrong


BROKEN = """\
scheme: puning
units:
  市公安局:
    officers:
      dept_cdo: {name: 张三, titel: 副局长}
"""


def test_import_into_a_unit_the_roster_gets_wrong_says_fix_it_first(
    cli: Cli, tmp_path: Path
) -> None:
    """Not “这是 cdo 的问题”: the unit's entry has an error, so what it holds is unknown."""
    (tmp_path / "roster.yaml").write_text(BROKEN, encoding="utf-8")
    document = docx.Document()
    document.add_paragraph("附件2")
    document.add_paragraph("普宁市部门首席数据官和联系人报名表")
    table = document.add_table(rows=3, cols=4)
    table.cell(0, 0).merge(table.cell(0, 3)).text = "部门首席数据官"
    for j, text in enumerate(["单位", "姓名", "职务", "联系方式"]):
        table.cell(1, j).text = text
    for j, text in enumerate(["市公安局", "王五", "副局长", "13800138001"]):
        table.cell(2, j).text = text
    document.save("表.docx")
    for args in (("import", "表.docx"), ("import", "表.docx", "--write")):
        result = cli(*args)
        assert result.exit_code == 1, result.output
        assert "这是 cdo 的问题" not in result.output
        assert "名册中“市公安局”一项有错误" in result.output
        assert "未知的键“titel”" in result.output
    assert (tmp_path / "roster.yaml").read_text(encoding="utf-8") == BROKEN


@pytest.mark.parametrize(
    "args",
    [
        ("record", "appoint", "--unit", "市公安局", "--role", "dept_cdo", "--name", "王五",
         "--date", "2024-03-01"),
        ("record", "filing", "dept_contact_form", "--unit", "市公安局", "--date", "2023-10-28"),
    ],
)  # fmt: skip
def test_record_into_a_unit_the_roster_gets_wrong_says_fix_it_first(
    cli: Cli, tmp_path: Path, args: tuple[str, ...]
) -> None:
    (tmp_path / "roster.yaml").write_text(BROKEN, encoding="utf-8")
    result = cli(*args)
    assert result.exit_code == 1, result.output
    assert "这是 cdo 的问题" not in result.output
    assert "名册中“市公安局”一项有错误" in result.stderr
    assert (tmp_path / "roster.yaml").read_text(encoding="utf-8") == BROKEN


# ---------------------------------------------------------------- spreadsheets


FORMULA_LIKE = """\
scheme: puning
units:
  市公安局:
    officers:
      dept_cdo: {name: '=1+2', title: '-副局长', phone: '+8613800138000'}
  市教育局:
    officers:
      dept_cdo: {name: '@孙七', title: '+局长', phone: '13700137000'}
"""


def test_export_csv_then_import_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    """Export puts ' before what Excel would take for a formula; import takes it off."""
    (tmp_path / "roster.yaml").write_text(FORMULA_LIKE, encoding="utf-8")
    assert cli("export", "--format", "csv").exit_code == 0
    assert "'=1+2" in Path("名册.csv").read_text(encoding="utf-8-sig")
    result = cli("import", "名册.csv")
    assert result.exit_code == 0, result.output
    assert "没有需要修改的内容" in result.stdout, result.output


def test_export_csv_resaved_as_gbk_then_import_changes_nothing(cli: Cli, tmp_path: Path) -> None:
    """Excel on a Chinese Windows saves the CSV as GBK, the ' kept as typed."""
    (tmp_path / "roster.yaml").write_text(FORMULA_LIKE, encoding="utf-8")
    assert cli("export", "--format", "csv").exit_code == 0
    text = Path("名册.csv").read_text(encoding="utf-8-sig")
    Path("名册.csv").write_bytes(text.encode("gbk"))
    result = cli("import", "名册.csv")
    assert result.exit_code == 0 and "没有需要修改的内容" in result.stdout, result.output


def _csv(name: str, rows: list[list[Any]]) -> None:
    with open(name, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)


def test_import_sheet_unknown_unit_is_named_not_its_post(cli: Cli, roster: Path) -> None:
    _csv(
        "汇总.csv",
        [["单位", "职位", "姓名", "职务", "手机"], ["市公安厅", "首席数据官", "王五", "副局长", "13800138001"]],
    )  # fmt: skip
    result = cli("import", "汇总.csv")
    assert "“市公安厅”不是普宁市方案范围内的单位" in result.output
    assert "是否应为：市公安局？" in result.output
    assert "职位“首席数据官”不是" not in result.output


@pytest.mark.parametrize(
    ("header", "value"),
    [("邮箱地址", "ww@example.cn"), ("电子信箱", "ww@example.cn"), ("移动电话", "13800138001")],
)
def test_import_sheet_header_words_forms_know_too(
    cli: Cli, roster: Path, header: str, value: str
) -> None:
    """A header the Word-form reader knows is known in a spreadsheet too, not dropped."""
    _csv("汇总.csv", [["单位", "职位", "姓名", header], ["市公安局", "首席数据官", "张三", value]])
    result = cli("import", "汇总.csv")
    assert result.exit_code == 0, result.output
    assert value in result.stdout, result.output


def test_import_sheet_says_which_columns_it_leaves_out(cli: Cli, roster: Path) -> None:
    _csv(
        "汇总.csv",
        [
            ["序号", "单位", "职位", "姓名", "任命日期", "备注"],
            ["1", "市公安局", "首席数据官", "张三", "2023-11-01", ""],
        ],
    )
    result = cli("import", "汇总.csv")
    assert result.exit_code == 0, result.output
    assert "“任命日期”一栏不是导入的内容，未读取" in result.stderr
    assert "序号" not in result.stderr and "备注" not in result.stderr


def test_import_encrypted_workbook_is_not_called_an_old_xls(cli: Cli, roster: Path) -> None:
    """Office keeps a password-protected .xlsx in the compound-file container of an old
    .xls; the streams inside tell them apart."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    Path("加密.xlsx").write_bytes(header + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100)
    Path("旧.xlsx").write_bytes(header + "Workbook".encode("utf-16-le") + b"\x00" * 100)
    result = cli("import", "加密.xlsx")
    assert result.exit_code == 2
    assert "加密.xlsx 设置了打开密码（已加密），无法读取" in result.stderr
    assert "旧版" not in result.stderr
    result = cli("import", "旧.xlsx")
    assert result.exit_code == 2
    assert "旧.xlsx 是旧版 Excel 工作簿（.xls）" in result.stderr
    assert "密码" not in result.stderr


def test_import_empty_workbook_says_empty(cli: Cli, roster: Path) -> None:
    Path("空.xlsx").write_bytes(b"")
    result = cli("import", "空.xlsx")
    assert result.exit_code == 2
    assert "空.xlsx 是空文件（0 字节）" in result.stderr


def test_import_zip_that_is_a_word_document_named_xlsx(cli: Cli, roster: Path) -> None:
    with zipfile.ZipFile("表.xlsx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    result = cli("import", "表.xlsx")
    assert result.exit_code == 2
    assert "Word 文档" in result.stderr
    _no_english(result.output)


def test_exported_workbook_round_trip_through_openpyxl(cli: Cli, roster: Path) -> None:
    """The README's round trip: change a phone, add a person; exactly those two."""
    before = roster.read_text(encoding="utf-8")
    assert cli("export", "--as-of", "2023-11-01").exit_code == 0
    book = openpyxl.load_workbook("名册.xlsx")
    sheet = book["人员"]
    for row in sheet.iter_rows(min_row=2):
        if row[2].value == "张三":
            row[5].value = "13800138009"
    sheet.append(["市科技局", "市直部门首席数据官", "王志强", "副局长", None, 13912345678, None])
    book.save("名册.xlsx")
    result = cli("import", "名册.xlsx", "--write")
    assert result.exit_code == 0, result.output
    assert _changes(result) == [  # in the scheme's order of units
        "+ 市直部门首席数据官：王志强（副局长，13912345678）",
        "~ 市直部门首席数据官 张三：",
    ]
    after = roster.read_text(encoding="utf-8")
    assert "# 普宁市名册（测试）" in after and "# 现任" in after
    assert after.replace("13800138009", "13800138000").startswith(before.split("  市教育局")[0])


def test_import_sheet_unit_written_with_the_city_finds_its_post(cli: Cli, roster: Path) -> None:
    """普宁市公安局 is 市公安局, for the post too: 首席数据官 is its 市直部门首席数据官."""
    _csv(
        "汇总.csv",
        [["单位", "职位", "姓名", "职务", "手机"], ["普宁市公安局", "首席数据官", "王五", "副局长", "13800138001"]],
    )  # fmt: skip
    result = cli("import", "汇总.csv")
    assert result.exit_code == 0, result.output
    assert _changes(result)[0] == "~ 市直部门首席数据官：张三 → 王五（张三 移入历史）"


def test_import_sheet_with_two_phone_columns_says_which_it_read(cli: Cli, roster: Path) -> None:
    _csv(
        "汇总.csv",
        [["单位", "职位", "姓名", "办公电话", "手机"], ["市公安局", "首席数据官", "张三", "0663-6186213", "13800138000"]],
    )  # fmt: skip
    result = cli("import", "汇总.csv")
    assert result.exit_code == 0, result.output
    assert "“手机”一栏与“办公电话”一栏是同一项，只读取了“办公电话”" in result.stderr


def test_record_with_a_bad_email_hints_at_what_was_given(cli: Cli, roster: Path) -> None:
    """The hint named 日期、事项和职位 for an e-mail address typed wrong."""
    result = cli(
        "record", "appoint", "--unit", "市教育局", "--role", "工作联系人", "--name", "李四",
        "--email", "notanemail", "--date", "2024-03-01",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "[email-invalid]" in result.stderr
    assert "提示：行号指修改后的内容。请核对命令中给出的日期、电话、邮箱等内容。" in result.stderr


def _vertical_form(path: str, rows: list[list[str]]) -> None:
    """附件2 re-typed as a 竖表: each field's name beside its value, headings across."""
    document = docx.Document()
    document.add_paragraph("附件2")
    document.add_paragraph("普宁市部门首席数据官和联系人报名表")
    width = max(map(len, rows))
    table = document.add_table(rows=len(rows), cols=width)
    for i, texts in enumerate(rows):
        if len(texts) == 1:
            table.cell(i, 0).merge(table.cell(i, width - 1)).text = texts[0]
            continue
        for j, text in enumerate(texts):
            table.cell(i, j).text = text
    document.save(path)


def test_import_form_typed_as_label_and_value_pairs(cli: Cli, roster: Path) -> None:
    """姓名 | 孙七 on one row, 职务 | 副局长 on the next: read, not 未填写人员."""
    _vertical_form(
        "竖表.docx",
        [
            ["部门首席数据官"],
            ["单位", "市教育局"],
            ["姓名", "孙七"],
            ["职务", "副局长"],
            ["联系方式", "13700137000"],
            ["工作联系人"],
            ["科室（股室）", "办公室"],
            ["姓名", "周八"],
            ["职务", "科员"],
            ["联系方式", "13600136000"],
        ],
    )
    result = cli("import", "竖表.docx")
    assert result.exit_code == 0, result.output
    assert _changes(result) == ["+ 工作联系人：周八（科员，13600136000）"]
    assert "未填写人员" not in result.stderr and "未导入" not in result.stderr


def test_import_form_typed_as_two_pairs_a_row(cli: Cli, roster: Path) -> None:
    _vertical_form(
        "附件2-市教育局.docx",
        [
            ["部门首席数据官"],
            ["姓名", "孙七", "职务", "副局长"],
            ["联系电话", "13700137001", "电子邮箱", "sq@example.cn"],
            ["工作联系人"],
            ["姓名", "周八", "职务", "科员"],
            ["科室", "办公室", "联系电话", ""],
        ],
    )
    result = cli("import", "附件2-市教育局.docx")
    assert result.exit_code == 0, result.output
    assert _changes(result) == ["~ 市直部门首席数据官 孙七：", "+ 工作联系人：周八（科员）"]
    assert "联系电话：13700137000 → 13700137001" in result.stdout


def test_import_form_with_rows_unread_is_not_called_blank(cli: Cli, roster: Path) -> None:
    """Data under the headings but no header row: the rows are named, and the form is
    not said to be 未填写人员."""
    _vertical_form(
        "附件2-市教育局.docx",
        [["部门首席数据官"], ["市教育局", "孙七", "副局长", "13700137000"]],
    )
    result = cli("import", "附件2-市教育局.docx")
    assert result.exit_code == 0, result.output
    assert "未填写人员" not in result.stderr
    assert "没有读出可导入的人员" in result.stderr
    assert "表格1第 2 行不在任何表头之下，未导入" in result.stderr


def test_import_skips_the_owner_file_word_leaves_beside_an_open_form(
    cli: Cli, roster: Path
) -> None:
    """Word keeps ~$件2-市教育局.docx beside a form it has open; 回收/*.docx takes it in."""
    _vertical_form("附件2-市教育局.docx", [["部门首席数据官"], ["姓名", "孙七"], ["职务", "局长"]])
    owner = bytes([8]) + b"zhangsan" + b"\0" * 45 + bytes([2, 0]) + "张三".encode("utf-16-le")
    Path("~$件2-市教育局.docx").write_bytes(owner + b"\0" * (162 - len(owner)))
    result = cli("import", "附件2-市教育局.docx", "~$件2-市教育局.docx")
    assert result.exit_code == 0, result.output
    assert "职务：副局长 → 局长" in result.stdout
    assert "~$件2-市教育局.docx 是 Word 或 WPS 打开文件时留下的临时文件，已跳过" in result.stderr
