"""cdo export, and reading people and filings from spreadsheets (xlsx and csv)."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from cdo_cli.errors import CdoError, InvalidInputError, UnreadableError
from cdo_cli.policy_loading import Registry
from cdo_cli.sheet_reading import cell_date, cell_text, normalise, read_sheet, rows_of

Cli = Callable[..., Any]


def _book(rows: list[list[Any]], title: str = "Sheet1") -> Workbook:
    book = Workbook()
    ws = book.active
    ws.title = title
    for row in rows:
        ws.append(row)
    return book


def _save(book: Workbook, path: Path) -> Path:
    book.save(path)
    return path


@pytest.fixture
def zhaoqing(cli: Cli, tmp_path: Path) -> Path:
    """A roster filled with the 16 people Zhaoqing's annex names."""
    assert cli("init", "--scheme", "zhaoqing", "-o", "roster.yaml").exit_code == 0
    return tmp_path / "roster.yaml"


# ---------------------------------------------------------------- export


def test_export_xlsx_reads_back_as_the_roster(cli: Cli, zhaoqing: Path, tmp_path: Path) -> None:
    result = cli("export", "--as-of", "2023-11-01")
    assert result.exit_code == 0, result.output
    assert "已导出 roster.yaml（肇庆市）到 名册.xlsx" in result.stdout
    imported = read_sheet(tmp_path / "名册.xlsx", Registry())
    assert imported.scheme == "zhaoqing"
    rows = rows_of(imported.people)
    assert len(rows) == 16
    assert (
        "肇庆市人民政府",
        "city_cdo",
        {"name": "林飞鸣", "title": "市委常委、组织部部长"},
    ) in rows
    assert imported.filings == []  # nothing filed yet
    assert imported.units[0] == "肇庆市人民政府"


def test_export_xlsx_layout(cli: Cli, zhaoqing: Path, tmp_path: Path) -> None:
    assert cli("export", "--as-of", "2023-11-01", "-o", "out/名册.xlsx").exit_code == 0
    book = load_workbook(tmp_path / "out" / "名册.xlsx")
    assert book.sheetnames == ["人员", "报送", "选项"]
    people, filings, choices = book["人员"], book["报送"], book["选项"]
    assert [c.value for c in people[1]] == [
        "单位",
        "职位",
        "姓名",
        "职务",
        "科室",
        "联系电话",
        "电子邮箱",
    ]
    assert people.freeze_panes == "A2" and people.auto_filter.ref == "A1:G17"
    assert people[1][0].font.bold
    assert choices.sheet_state == "hidden"
    lists = {dv.formula1 for dv in people.data_validations.dataValidation}
    assert lists == {"'选项'!$A$2:$A$16", "'选项'!$B$2:$B$5"}
    assert people.column_dimensions["A"].width >= 16  # 肇庆市人民政府: 7 characters, 14 columns
    assert [c.value for c in filings[1]][:6] == [
        "单位",
        "事项",
        "事项编号",
        "年度",
        "期限",
        "报送日期",
    ]
    overdue = [row for row in filings.iter_rows(min_row=2, values_only=True) if row[6] == "已逾期"]
    assert overdue and isinstance(overdue[0][4], dt.datetime)
    # 及时反馈试点工作进度: a report with no date is listed, never overdue.
    undated = [row for row in filings.iter_rows(min_row=2, values_only=True) if row[4] == "无期限"]
    assert len(undated) == 14 and {row[6] for row in undated} == {"未报送"}


def test_export_keeps_text_as_text(
    cli: Cli, write: Callable[[str, str], Path], tmp_path: Path
) -> None:
    write(
        "roster.yaml",
        """
        scheme: puning
        units:
          市公安局:
            officers:
              dept_cdo: {name: "=1+1", title: 副局长, phone: "13800138000"}
              dept_contact: {name: "@SUM(A1)", phone: "0663-6186213", email: a@b.cn}
        """,
    )
    assert cli("export", "--as-of", "2023-11-01").exit_code == 0, cli(
        "validate", "roster.yaml"
    ).output
    ws = load_workbook(tmp_path / "名册.xlsx")["人员"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if c.value}
    assert cells["=1+1"].data_type == "s" and cells["13800138000"].data_type == "s"
    assert cells["13800138000"].number_format == "@"


def test_export_csv(cli: Cli, zhaoqing: Path, tmp_path: Path) -> None:
    result = cli("export", "-o", "-")
    assert result.exit_code == 0
    data = result.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    assert cli("export", "--format", "csv").exit_code == 0
    imported = read_sheet(tmp_path / "名册.csv", Registry())
    assert len(imported.people) == 16


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "x.pdf"], "不认识的扩展名“.pdf”"),
        (["-f", "csv", "-o", "x.xlsx"], "与格式 csv 不符"),
        (["-f", "xlsx", "-o", "-"], "xlsx 不能输出到标准输出"),
        (["-f", "pdf"], "不支持的格式“pdf”"),
    ],
)
def test_export_format_errors(cli: Cli, zhaoqing: Path, args: list[str], message: str) -> None:
    result = cli("export", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_export_without_roster(cli: Cli) -> None:
    result = cli("export")
    assert result.exit_code == 2
    assert "没有名册可导出" in result.stderr


def test_export_does_not_overwrite(cli: Cli, zhaoqing: Path) -> None:
    assert cli("export").exit_code == 0
    again = cli("export")
    assert again.exit_code == 2 and "已存在" in again.stderr
    assert cli("export", "--force").exit_code == 0


# ---------------------------------------------------------------- reading what clerks type


def test_read_sheet_any_order_variants_and_numbers(tmp_path: Path) -> None:
    book = _book(
        [
            ["普宁市部门首席数据官汇总表"],  # a title above the table
            [],
            ["序号", "手机", "姓 名", "单位名称", "岗位", "邮箱", "职务", "处室"],
            [1, 13912345678.0, "张三", "市公安局", "首席数据官", "zs@pn.gov.cn", "副局长", None],
            [2, 13812345678, "李四", "市公安局", "工作联系人", None, "科员", "办公室"],
            [3, None, None, "市科技局", "首席数据官", None, None, None],  # left blank
            [4, "0663-6186213", "王五", "市商务局", "市直部门首席数据官", None, "副局长", None],
        ]
    )
    path = _save(book, tmp_path / "汇总.xlsx")
    imported = read_sheet(path, Registry())
    assert imported.scheme == "puning"
    assert rows_of(imported.people) == [
        (
            "市公安局",
            "dept_cdo",
            {"name": "张三", "title": "副局长", "phone": "13912345678", "email": "zs@pn.gov.cn"},
        ),
        (
            "市公安局",
            "dept_contact",
            {"name": "李四", "title": "科员", "office": "办公室", "phone": "13812345678"},
        ),
        ("市商务局", "dept_cdo", {"name": "王五", "title": "副局长", "phone": "0663-6186213"}),
    ]
    assert str(imported.people[0].where) == f"{path} 第 4 行"


def test_read_sheet_unknown_post_is_a_note(tmp_path: Path) -> None:
    path = _save(
        _book([["单位", "职位", "姓名"], ["市公安局", "局长", "张三"]]), tmp_path / "a.xlsx"
    )
    imported = read_sheet(path, Registry(), scheme_id="puning")
    assert imported.people == []
    assert "职位“局长”不是普宁市方案中的职位" in imported.notes[0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_read_csv_encodings(tmp_path: Path, encoding: str, delimiter: str) -> None:
    text = delimiter.join(["单位", "职位", "姓名", "联系方式"]) + "\r\n"
    text += delimiter.join(["市公安局", "工作联系人", "李四", "13812345678"]) + "\r\n"
    path = tmp_path / "a.csv"
    path.write_bytes(text.encode(encoding))
    imported = read_sheet(path, Registry())
    assert rows_of(imported.people) == [
        ("市公安局", "dept_contact", {"name": "李四", "phone": "13812345678"})
    ]


def test_read_filings_sheet_with_serial_and_text_dates(tmp_path: Path) -> None:
    book = _book(
        [
            ["单位", "事项", "年度", "报送日期"],
            ["市公安局", "dept_contact_form", None, 45227],  # Excel's serial for 2023-10-28
            ["市公安局", "各部门首席数据官年度述职", 2023, "2023年12月20日"],
            ["市科技局", "dept_contact_form", None, None],  # not filed
            ["市科技局", "不存在的事项", None, "2023-10-28"],
        ]
    )
    imported = read_sheet(_save(book, tmp_path / "f.xlsx"), Registry(), scheme_id="puning")
    got = [(f.unit, f.obligation, f.period, f.date) for f in imported.filings]
    assert got[0] == ("市公安局", "dept_contact_form", None, dt.date(2023, 10, 28))
    assert len(got) == 1 or got[1][1] == "dept_cdo_annual_report"
    assert any("事项“不存在的事项”未知" in n for n in imported.notes)


def test_read_sheet_empty_form_is_not_an_error(tmp_path: Path) -> None:
    path = _save(_book([["单位", "职位", "姓名"]]), tmp_path / "a.xlsx")
    imported = read_sheet(path, Registry(), scheme_id="puning")
    assert imported.empty and "没有填写" in imported.notes[0]


@pytest.mark.parametrize(
    ("name", "data", "error", "message"),
    [
        ("a.xls", b"\xd0\xcf\x11\xe0" + b"\0" * 100, UnreadableError, "旧版 Excel"),
        ("a.xlsx", b"\xd0\xcf\x11\xe0" + b"\0" * 100, UnreadableError, "已加密"),
        ("a.xlsx", b"PK\x03\x04 not really a zip", UnreadableError, "已损坏"),
        ("a.xlsx", b"just text", UnreadableError, "已损坏"),
        ("a.csv", "名字,年龄\n张三,3\n".encode(), InvalidInputError, "没有找到表头"),
        ("a.csv", b"\x00\x01\x02", InvalidInputError, "二进制"),
    ],
)
def test_read_sheet_bad_files(
    tmp_path: Path, name: str, data: bytes, error: type, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error) as caught:
        read_sheet(path, Registry(), scheme_id="puning")
    assert isinstance(caught.value, CdoError) and message in caught.value.message


def test_read_sheet_missing_and_folder(tmp_path: Path) -> None:
    with pytest.raises(UnreadableError, match="不存在"):
        read_sheet(tmp_path / "none.xlsx", Registry())
    (tmp_path / "d.xlsx").mkdir()
    with pytest.raises(UnreadableError, match="是文件夹，不是表格文件"):
        read_sheet(tmp_path / "d.xlsx", Registry())


def _soffice() -> str | None:
    found = shutil.which("soffice")
    if found is None and os.environ.get("CI"):
        pytest.fail("CI must have LibreOffice (soffice) installed: .ci/run installs it")
    return found


def test_read_workbook_saved_by_libreoffice_with_formulas(tmp_path: Path) -> None:
    """Formulas are read as the values LibreOffice computed and saved."""
    soffice = _soffice()
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    book = _book(
        [
            ["单位", "职位", "姓名", "联系电话"],
            ["市公安局", "工作联系人", '="李"&"四"', "=13800000000+138000"],
        ]
    )
    source = _save(book, tmp_path / "in" / "a.xlsx") if (tmp_path / "in").mkdir() is None else None
    assert source is not None
    done = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "out"), str(source)],
        capture_output=True, timeout=120,
    )  # fmt: skip
    converted = tmp_path / "out" / "a.xlsx"
    assert converted.exists(), done.stderr.decode(errors="replace")
    imported = read_sheet(converted, Registry(), scheme_id="puning")
    assert rows_of(imported.people) == [
        ("市公安局", "dept_contact", {"name": "李四", "phone": "13800138000"})
    ]


# ---------------------------------------------------------------- the cell helpers


def test_cell_text_and_date() -> None:
    assert cell_text(13912345678.0, "phone") == "13912345678"
    assert cell_text(1.5) == "1.5"
    assert cell_text("  张　三 \r\n") == "张 三"
    assert cell_text("１３９１２３４５６７８", "phone") == "13912345678"
    assert cell_text(dt.datetime(2023, 10, 28)) == "2023-10-28"
    assert cell_date(45227) == dt.date(2023, 10, 28)
    assert cell_date("2023/10/28") == dt.date(2023, 10, 28)
    assert cell_date("2023-02-30") is None and cell_date(-5) is None and cell_date("下周") is None


@given(st.text())
def test_normalise_is_idempotent_and_spaceless(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert not any(ch.isspace() for ch in once)


@given(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(), st.dates()
    )
)
def test_cell_text_never_fails(value: Any) -> None:
    assert isinstance(cell_text(value), str)
    cell_date(value)


def test_csv_round_trip_through_stringio_is_stable() -> None:
    # The CSV export's rows read back the same through csv (no stray quoting).
    import csv

    rows = list(csv.reader(io.StringIO('单位,姓名\r\n市公安局,"张,三"\r\n', newline="")))
    assert rows[1] == ["市公安局", "张,三"]
