"""Reading filled Word forms back (cdo_cli.form_reading).

Every Word form of every built-in scheme is rendered with ``cdo render`` (blank and
filled from a roster), filled in as a clerk would (python-docx: type into the cells,
press Enter between phone and e-mail, add a row for a second contact) and read back:
the records hold exactly what was typed. Forms built by hand in Word's layout, forms
re-saved by LibreOffice, and every kind of bad file are read too.
"""

from __future__ import annotations

import copy
import io
import os
import shutil
import subprocess
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.table import Table

from cdo_cli import docx_properties
from cdo_cli.errors import CdoError, ExitCode, UnreadableError
from cdo_cli.form_reading import FormNotRecognisedError, read_docx
from cdo_cli.policy import Form, FormSection, Scheme
from cdo_cli.policy_loading import Registry
from cdo_cli.records import ImportedFile

Cli = Callable[..., Any]
Write = Callable[[str, str], Path]


def _builtin() -> Registry:
    """The built-in schemes only, whatever CDO_POLICIES says where the tests run."""
    saved = os.environ.pop("CDO_POLICIES", None)
    try:
        return Registry()
    finally:
        if saved is not None:
            os.environ["CDO_POLICIES"] = saved


REGISTRY = _builtin()
SCHEMES = {s.id: s for s in REGISTRY.usable()[0]}
WORD_FORMS = [(s.id, f.id) for s in SCHEMES.values() for f in s.forms]

PUNING_ROSTER = """
scheme: puning
units:
  普宁市人民政府:
    officers:
      city_cdo: {name: 王五, title: 副市长, phone: 0663-2221234}
      city_contact:
        {office: 办公室, name: 陈丽虹, title: 科员, phone: 0663-6186213, email: pnzsjzsg@163.com}
  市公安局:
    officers:
      dept_cdo:
        {name: 张三, title: 副局长, phone: 0663-1234567, email: zhangsan@example.cn}
      dept_contact: {office: 科技信息化股, name: 李四, title: 科员, phone: "13800138000"}
"""

ZHAOQING_ROSTER = """
scheme: zhaoqing
units:
  肇庆市人民政府:
    officers:
      city_cdo: {name: 林飞鸣, title: 市委常委、组织部部长}
  市发改局:
    officers:
      dept_cdo: {name: 陈添有, title: 副局长}
  端州区:
    officers:
      county_cdo: {name: 何军红, title: 区委常委、组织部部长}
"""
ROSTERS = {"puning": PUNING_ROSTER, "zhaoqing": ZHAOQING_ROSTER}


def test_every_builtin_word_form_is_covered() -> None:
    """The parametrised tests below run over these; a new form joins them by itself."""
    assert set(WORD_FORMS) >= {
        ("puning", "attachment1"),
        ("puning", "attachment2"),
        ("puning", "attachment3"),
        ("zhaoqing", "attachment"),
    }


# ---------------------------------------------------------------- helpers


def _read(path: Path, scheme_id: str | None = None) -> ImportedFile:
    return read_docx(path, REGISTRY, scheme_id=scheme_id)


def _people(result: ImportedFile) -> list[tuple[str, str, dict[str, str]]]:
    return [(p.unit, p.role, p.person) for p in result.people]


def _unit_for(scheme: Scheme, form: Form) -> str:
    """The unit a per-unit form is rendered for here: the first the test roster fills."""
    scope = scheme.select(form.applies_to) if form.applies_to else list(scheme.units)
    return next((u.name for u in scope if u.name in ROSTERS.get(scheme.id, "")), scope[0].name)


def _render(cli: Cli, write: Write, scheme: Scheme, form: Form, roster: bool, name: str) -> Path:
    """``cdo render`` the form (for :func:`_unit_for`, if per unit) into ``name``."""
    args = ["render", form.id, "--scheme", scheme.id, "-o", name]
    if form.per_unit:
        args += ["--dept", _unit_for(scheme, form)]
    if roster:
        args += ["--roster", str(write(f"{scheme.id}.yaml", ROSTERS[scheme.id]))]
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return Path(name).resolve()


def _type(cell: Any, text: str) -> None:
    """Type into a cell as a clerk does: into its first paragraph, Enter for a new line."""
    first, *rest = text.split("\n")
    cell.paragraphs[0].add_run(first)
    for line in rest:
        cell.add_paragraph(line)


def _clear(cell: Any) -> None:
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            run._r.getparent().remove(run._r)


def _table_sections(table: Table) -> list[tuple[str | None, list[str], list[Any]]]:
    """(heading, headers, data rows) for each section of a rendered table."""
    sections: list[tuple[str | None, list[str], list[Any]]] = []
    pending: str | None = None
    expect_header = True
    for row in table.rows:
        cells = row.cells
        if len({id(c._tc) for c in cells}) == 1 and len(cells) > 1:
            pending, expect_header = cells[0].text, True
            continue
        if expect_header:
            sections.append((pending, [c.text for c in cells], []))
            expect_header = False
            continue
        sections[-1][2].append(row)
    return sections


# What a clerk types for the n-th person of a form, and what the roster gets from it.
TYPED = [
    # (typed by field, expected by field)
    (
        {"name": "张  三", "title": "副局长（主持工作）", "office": "办公室",
         "contact": "138 0013 8000\nzhangsan@example.cn", "phone": "138 0013 8000",
         "email": "zhangsan@example.cn"},
        {"name": "张三", "title": "副局长（主持工作）", "office": "办公室",
         "phone": "13800138000", "email": "zhangsan@example.cn"},
    ),
    (
        {"name": "李四", "title": "科员", "office": "科技信息化股",
         "contact": "０６６３－６１８６２１３\nlisi@example.cn", "phone": "０６６３－６１８６２１３",
         "email": "lisi@example.cn"},
        {"name": "李四", "title": "科员", "office": "科技信息化股",
         "phone": "0663-6186213", "email": "lisi@example.cn"},
    ),
    (
        {"name": "赵六", "title": "副科长", "office": "信息股", "contact": "13912345678",
         "phone": "13912345678", "email": ""},
        {"name": "赵六", "title": "副科长", "office": "信息股", "phone": "13912345678"},
    ),
]  # fmt: skip


def _expected(section: FormSection, n: int) -> dict[str, str]:
    fields = {c.field for c in section.columns}
    if "contact" in fields:
        fields |= {"phone", "email"}
    return {k: v for k, v in TYPED[n][1].items() if k in fields}


def _fill_table_form(path: Path, scheme: Scheme, form: Form) -> list[tuple[str, dict[str, str]]]:
    """Fill every section's first empty row, and add a second person to the last section.

    Returns (role, person) in the order of the document.
    """
    document = docx.Document(str(path))
    table = document.tables[0]
    expected: list[tuple[str, dict[str, str]]] = []
    n = 0
    found = _table_sections(table)
    assert len(found) == len(form.sections)
    for (heading, headers, data), section in zip(found, form.sections, strict=True):
        assert heading == section.heading
        by_header = {c.header: c.field for c in section.columns}
        rows = data
        empty = [r for r in rows if not any(
            c.text for c, h in zip(r.cells, headers, strict=True) if by_header[h] != "unit")]  # fmt: skip
        kept = [r for r in rows if r not in empty]
        expected += [(section.role or "", _row_person(r, headers, by_header)) for r in kept]
        targets = empty[:1]
        # A row added below the last: where the roster filled every row, and for a
        # second contact in the last section.
        extra = (0 if empty else 1) + (section is form.sections[-1])
        last = rows[-1]
        for _ in range(extra):
            added = copy.deepcopy(last._tr)
            last._tr.addnext(added)
            last = type(last)(added, table)
            targets.append(last)
        for row in targets:
            for cell, header in zip(row.cells, headers, strict=True):
                field = by_header[header]
                if field == "unit":
                    continue
                _clear(cell)
                if TYPED[n][0][field]:
                    _type(cell, TYPED[n][0][field])
            expected.append((section.role or "", _expected(section, n)))
            n += 1
    document.save(str(path))
    return expected


def _row_person(row: Any, headers: list[str], by_header: dict[str, str]) -> dict[str, str]:
    """What a row filled from a roster says, as the reader should give it."""
    person: dict[str, str] = {}
    for cell, header in zip(row.cells, headers, strict=True):
        field = by_header[header]
        if field == "contact":
            lines = cell.text.split("\n")
            person |= {"phone": lines[0]} | ({"email": lines[1]} if len(lines) > 1 else {})
        elif field != "unit" and cell.text:
            person[field] = cell.text
    return person


def _fill_lines_form(
    path: Path, scheme: Scheme, form: Form
) -> list[tuple[str, str, dict[str, str]]]:
    """Fill the first blank line under each heading of a list (名单) and add one more line.

    Returns (unit, role, person) in the order of the document.
    """
    document = docx.Document(str(path))
    paragraphs = document.paragraphs
    expected: list[tuple[str, str, dict[str, str]]] = []
    headings = {s.heading: s for s in form.sections}
    section: FormSection | None = None
    filled: set[str] = set()
    names = iter(["刘  其全", "梁海江", "吴稳根", "周文浣", "欧子标", "黎庆文"])
    for paragraph in paragraphs:
        if paragraph.text in headings:
            section = headings[paragraph.text]
            continue
        if section is None or not paragraph.text.strip():
            continue
        runs = paragraph.runs
        blank = paragraph.text.startswith("\u3000")
        units = scheme.select(section.units) if section.units else []
        if not blank:  # filled from the roster: the unit begins the title, or is the only one
            name, title = paragraph.text.split("\t")
            unit = next((u.name for u in units if title.startswith(u.name)), units[0].name)
            expected.append((unit, section.role or "", {"name": name, "title": title}))
            continue
        if section.heading in filled:
            continue
        filled.add(section.heading or "")
        prefix = runs[2].text.lstrip("\t")  # the unit's name where the title begins
        name = next(names)
        runs[1].text = name  # over the underlined blank
        runs[3].text = "副局长" if prefix else "市委常委"
        title = prefix + runs[3].text
        unit = next((u.name for u in units if prefix.startswith(u.name)), units[0].name)
        expected.append((unit, section.role or "", {"name": name.replace(" ", ""), "title": title}))
        if section is form.sections[-1]:  # one more line, typed after this one
            extra = copy.deepcopy(paragraph._p)
            paragraph._p.addnext(extra)
            new = docx.text.paragraph.Paragraph(extra, paragraph._parent)
            new.runs[1].text = "新  人"
            expected.append((unit, section.role or "", {"name": "新人", "title": title}))
    document.save(str(path))
    # Paragraphs added after the walk above come right after the line they copy.
    return expected


def _fill(path: Path, scheme: Scheme, form: Form) -> list[tuple[str, str, dict[str, str]]]:
    """Fill a rendered form as a clerk would; the (unit, role, person) the reader should give."""
    if form.per_unit:
        unit = _unit_for(scheme, form)
        return [(unit, role, person) for role, person in _fill_table_form(path, scheme, form)]
    return _fill_lines_form(path, scheme, form)


def _readable(form: Form) -> bool:
    return any(s.kind != "unit_list" for s in form.sections)


# ---------------------------------------------------------------- forms cdo renders


@pytest.mark.parametrize(("scheme_id", "form_id"), WORD_FORMS)
@pytest.mark.parametrize("roster", [False, True], ids=["blank", "filled"])
def test_rendered_form_reads_back_empty_or_as_rendered(
    cli: Cli, write: Write, scheme_id: str, form_id: str, roster: bool
) -> None:
    scheme = SCHEMES[scheme_id]
    form = scheme.form(form_id)
    assert form is not None
    if roster and scheme_id not in ROSTERS:
        pytest.skip("no roster for this scheme in the tests")
    path = _render(cli, write, scheme, form, roster, "form.docx")
    result = _read(path)
    assert (result.scheme, result.form) == (scheme_id, form_id)
    assert result.path == str(path)
    if not roster or not _readable(form):
        assert result.empty
        assert result.units == []
        assert len(result.notes) == 1
        assert ("未填写人员" in result.notes[0]) == _readable(form)
        assert ("单位名单" in result.notes[0]) != _readable(form)
    else:
        assert not result.empty
        assert result.notes == []


@pytest.mark.parametrize(
    ("scheme_id", "form_id"),
    [x for x in WORD_FORMS if _readable(SCHEMES[x[0]].form(x[1]))],  # type: ignore[arg-type]
)
@pytest.mark.parametrize("roster", [False, True], ids=["blank", "filled"])
def test_form_filled_by_a_clerk_reads_exactly_what_was_typed(
    cli: Cli, write: Write, scheme_id: str, form_id: str, roster: bool
) -> None:
    scheme = SCHEMES[scheme_id]
    form = scheme.form(form_id)
    assert form is not None
    path = _render(cli, write, scheme, form, roster and scheme_id in ROSTERS, "form.docx")
    expected = _fill(path, scheme, form)
    result = _read(path)
    assert (result.scheme, result.form) == (scheme_id, form_id)
    assert _people(result) == expected
    assert result.notes == []
    assert result.units == list(dict.fromkeys(u for u, _, _ in expected))
    assert all(p.where.file == str(path) for p in result.people)


def test_clerk_filled_puning_attachment2_in_detail(cli: Cli, write: Write) -> None:
    """The records of one form spelled out, places included."""
    scheme = SCHEMES["puning"]
    form = scheme.form("attachment2")
    assert form is not None
    result = cli("render", "attachment2", "--dept", "市科技局")
    assert result.exit_code == 0, result.output
    path = Path("附件2-市科技局.docx").resolve()
    _fill_table_form(path, scheme, form)
    result = _read(path)
    assert result.units == ["市科技局"]
    assert [(p.unit, p.role, p.person, str(p.where)) for p in result.people] == [
        ("市科技局", "dept_cdo", {"name": "张三", "title": "副局长（主持工作）",
         "phone": "13800138000", "email": "zhangsan@example.cn"}, f"{path} 表格1 第 3 行"),
        ("市科技局", "dept_contact", {"name": "李四", "title": "科员", "office": "科技信息化股",
         "phone": "0663-6186213", "email": "lisi@example.cn"}, f"{path} 表格1 第 6 行"),
        ("市科技局", "dept_contact", {"name": "赵六", "title": "副科长", "office": "信息股",
         "phone": "13912345678"}, f"{path} 表格1 第 7 行"),
    ]  # fmt: skip


def test_all_36_rendered_forms_read_fast(cli: Cli, tmp_path: Path) -> None:
    result = cli("render", "attachment2", "--all", "-o", "out")
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "out").iterdir())
    assert len(files) == 36
    start = time.perf_counter()
    read = [_read(f) for f in files]
    elapsed = time.perf_counter() - start
    assert all((r.scheme, r.form, r.empty) == ("puning", "attachment2", True) for r in read)
    assert elapsed < 10, f"{len(files) / elapsed:.0f} files/s"


def test_scheme_id_limits_recognition(cli: Cli, write: Write) -> None:
    scheme = SCHEMES["puning"]
    form = scheme.form("attachment2")
    assert form is not None
    path = _render(cli, write, scheme, form, True, "form.docx")
    assert _read(path, "puning").form == "attachment2"
    with pytest.raises(FormNotRecognisedError) as caught:
        _read(path, "zhaoqing")
    # Another scheme's form is named as such, not as the closest of Zhaoqing's.
    assert caught.value.message.endswith(
        "是普宁市方案的附件2（普宁市部门首席数据官和联系人报名表），不是肇庆市方案的表格"
    )
    assert caught.value.exit_code == ExitCode.FINDINGS


# ---------------------------------------------------------------- forms built by hand


def _merge_across(table: Table, row: int, text: str) -> None:
    cells = table.rows[row].cells
    merged = cells[0].merge(cells[-1])
    merged.text = text


def _set_row(table: Table, row: int, texts: list[str | None]) -> None:
    for cell, text in zip(table.rows[row].cells, texts, strict=True):
        if text is not None:
            cell.text = text


def test_hand_made_attachment2_reads_like_the_rendered_one(tmp_path: Path) -> None:
    """Built in Word's way, not by cdo: the title above the table, columns in another
    order, a merged 联系方式 header over 电话 and 邮箱, extra spaces, full-width
    punctuation, an empty row, two contacts, no custom properties."""
    document = docx.Document()
    document.add_paragraph("附件 2：")
    document.add_paragraph("普宁市部门首席数据官")
    document.add_paragraph("和联系人报名表")
    table = document.add_table(rows=9, cols=5)
    _merge_across(table, 0, "部门首席数据官")
    _set_row(table, 1, ["姓　名", "单 位", "职务", "联系方式", None])
    table.cell(1, 3).merge(table.cell(1, 4)).text = "联系方式"
    _set_row(table, 2, [None, None, None, "电话", "邮箱"])
    for column in range(3):  # 姓名, 单位, 职务 each span both header rows
        table.cell(1, column).merge(table.cell(2, column))
    _set_row(table, 3, ["张 三", "  市公安局 ", "副局长\n（主持工作）", "０６６３－１２３４５６７",
                        "zhangsan＠example.cn"])  # fmt: skip
    _merge_across(table, 4, "工作联系人")
    _set_row(table, 5, ["科室(股室)", "姓名", "职务", "联系电话", "电子邮箱"])
    _set_row(table, 6, ["科技信息化股", "李四", "科员", "138 0013 8000", ""])
    _set_row(table, 7, ["", "", "", "", ""])
    _set_row(table, 8, ["办公室", "王  五", "副主任", "(0663) 6186213", "wangwu@example.cn"])
    path = tmp_path / "报名表.docx"
    document.save(str(path))

    result = _read(path)
    assert (result.scheme, result.form) == ("puning", "attachment2")
    assert result.units == ["市公安局"]
    assert _people(result) == [
        ("市公安局", "dept_cdo", {"name": "张三", "title": "副局长（主持工作）",
         "phone": "0663-1234567", "email": "zhangsan@example.cn"}),
        ("市公安局", "dept_contact", {"name": "李四", "title": "科员", "office": "科技信息化股",
         "phone": "13800138000"}),
        ("市公安局", "dept_contact", {"name": "王五", "title": "副主任", "office": "办公室",
         "phone": "0663-6186213", "email": "wangwu@example.cn"}),
    ]  # fmt: skip
    assert result.notes == []


def test_hand_made_attachment1_title_in_table_and_sections_as_tables(tmp_path: Path) -> None:
    """The title in the table's first row, headings as paragraphs between two tables,
    headings numbered, a blank row before the data, headers in another order."""
    document = docx.Document()
    document.add_paragraph("附件1")
    first = document.add_table(rows=4, cols=4)
    _merge_across(first, 0, "普宁市政府首席数据官和联系人报名表")
    _set_row(first, 1, ["县（市、区）", "职务", "姓名", "联系方式"])
    _set_row(first, 2, ["", "", "", ""])
    _set_row(first, 3, ["普宁市人民政府", "副市长", "王五", "0663-2221234"])
    document.add_paragraph("")
    document.add_paragraph("二、工作联系人")
    second = document.add_table(rows=2, cols=4)
    _set_row(second, 0, ["姓名", "股室", "联系方式", "职务"])
    _set_row(second, 1, ["陈丽虹", "办公室", "电话：0663-6186213\n邮箱：pnzsjzsg@163.com", "科员"])
    path = tmp_path / "附件1.docx"
    document.save(str(path))

    result = _read(path)
    assert (result.scheme, result.form) == ("puning", "attachment1")
    assert _people(result) == [
        ("普宁市人民政府", "city_cdo", {"name": "王五", "title": "副市长", "phone": "0663-2221234"}),
        ("普宁市人民政府", "city_contact", {"name": "陈丽虹", "title": "科员", "office": "办公室",
         "phone": "0663-6186213", "email": "pnzsjzsg@163.com"}),
    ]  # fmt: skip


def test_hand_made_form_with_heading_column_merged_down(tmp_path: Path) -> None:
    """A common Chinese layout: each section's name in a first column merged down its rows."""
    document = docx.Document()
    document.add_paragraph("附件2 普宁市部门首席数据官和联系人报名表")
    table = document.add_table(rows=4, cols=5)
    _set_row(table, 0, ["部门首席数据官", "单位", "姓名", "职务", "联系方式"])
    _set_row(table, 1, [None, "市教育局", "刘一", "副局长", "13800138001"])
    _set_row(table, 2, ["工作联系人", "科室（股室）", "姓名", "职务", "联系方式"])
    _set_row(table, 3, [None, "信息股", "陈二", "股长", "13800138002"])
    table.cell(0, 0).merge(table.cell(1, 0))
    table.cell(2, 0).merge(table.cell(3, 0))
    path = tmp_path / "x.docx"
    document.save(str(path))
    result = _read(path)
    assert _people(result) == [
        ("市教育局", "dept_cdo", {"name": "刘一", "title": "副局长", "phone": "13800138001"}),
        ("市教育局", "dept_contact", {"name": "陈二", "title": "股长", "office": "信息股",
         "phone": "13800138002"}),
    ]  # fmt: skip


def test_hand_made_form_without_unit_cell_takes_the_file_name(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("普宁市部门首席数据官和联系人报名表")
    document.add_paragraph("部门首席数据官")
    table = document.add_table(rows=2, cols=3)
    _set_row(table, 0, ["姓名", "职务", "联系方式"])
    _set_row(table, 1, ["张三", "副局长", "13800138000"])
    path = tmp_path / "附件2-市公安局(1).docx"
    document.save(str(path))
    result = _read(path)
    assert result.units == ["市公安局"]
    assert _people(result) == [
        ("市公安局", "dept_cdo", {"name": "张三", "title": "副局长", "phone": "13800138000"})
    ]
    assert result.notes == ["表格中没有填写单位，按文件名取为“市公安局”"]


def test_form_without_unit_cell_takes_the_numbered_file_name(tmp_path: Path) -> None:
    """``cdo render --all`` numbers its files (附件2-05-市公安局.docx): the number is no unit."""
    document = docx.Document()
    document.add_paragraph("普宁市部门首席数据官和联系人报名表")
    document.add_paragraph("部门首席数据官")
    table = document.add_table(rows=2, cols=3)
    _set_row(table, 0, ["姓名", "职务", "联系方式"])
    _set_row(table, 1, ["张三", "副局长", "13800138000"])
    path = tmp_path / "附件2-05-市公安局.docx"
    document.save(str(path))
    result = _read(path)
    assert result.units == ["市公安局"]
    assert result.notes == ["表格中没有填写单位，按文件名取为“市公安局”"]


def test_hand_made_form_without_headings_tells_sections_by_their_headers(tmp_path: Path) -> None:
    """No section headings at all: each header row starts the section it matches best."""
    document = docx.Document()
    document.add_paragraph("附件2")
    document.add_paragraph("普宁市部门首席数据官和联系人报名表")
    table = document.add_table(rows=4, cols=4)
    _set_row(table, 0, ["单位", "姓名", "职务", "联系方式"])
    _set_row(table, 1, ["市教育局", "刘一", "副局长", "13800138001"])
    _set_row(table, 2, ["科室（股室）", "姓名", "职务", "联系方式"])
    _set_row(table, 3, ["信息股", "陈二", "股长", "13800138002"])
    path = tmp_path / "x.docx"
    document.save(str(path))
    assert [(p.role, p.person["name"]) for p in _read(path).people] == [
        ("dept_cdo", "刘一"),
        ("dept_contact", "陈二"),
    ]


def test_per_unit_form_that_names_no_unit_is_refused(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("普宁市部门首席数据官和联系人报名表")
    document.add_paragraph("部门首席数据官")
    table = document.add_table(rows=2, cols=3)
    _set_row(table, 0, ["姓名", "职务", "联系方式"])
    _set_row(table, 1, ["张三", "副局长", "13800138000"])
    path = tmp_path / "报名表.docx"
    document.save(str(path))
    error = _refused(path, FormNotRecognisedError)
    assert error.message == f"{path} 看不出是哪个单位填写的附件2"
    assert error.hint == "请在表格的“单位”一栏填写单位名称，或把文件命名为“附件2-单位名称.docx”。"


def test_text_typed_with_track_changes_or_in_a_content_control_is_read(cli: Cli) -> None:
    """Word keeps text typed under 修订 in w:ins, and text in a content control in w:sdt:
    both are what the clerk typed; deleted text is not."""
    from docx.oxml import parse_xml

    path = _rendered(cli)
    document = docx.Document(str(path))
    row = document.tables[0].rows[2]
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    row.cells[1].paragraphs[0]._p.append(
        parse_xml(f'<w:ins {w} w:id="1" w:author="科员"><w:r><w:t>张三</w:t></w:r></w:ins>')
    )
    row.cells[2].paragraphs[0]._p.append(
        parse_xml(
            f'<w:del {w} w:id="2" w:author="科员"><w:r><w:delText>局长</w:delText></w:r></w:del>'
        )
    )
    row.cells[2].paragraphs[0]._p.append(
        parse_xml(f"<w:sdt {w}><w:sdtContent><w:r><w:t>副局长</w:t></w:r></w:sdtContent></w:sdt>")
    )
    document.save(str(path))
    result = _read(path)
    assert _people(result) == [("市公安局", "dept_cdo", {"name": "张三", "title": "副局长"})]


def test_hand_made_zhaoqing_list_as_typed_lines(tmp_path: Path) -> None:
    """The 名单 retyped from the published document: spaces instead of tabs, another
    numbering, a padded two-character name, a unit written with the city's name, and
    a line giving the unit first."""
    document = docx.Document()
    for text in [
        "附件：", "肇庆市首席数据官名单", "",
        "（一）市首席数据官", "林飞鸣  市委常委、组织部部长",
        "二、市首席数据执行官", "王诗军\u3000市政府副秘书长、市政数局局长",
        "三、市级部门首席数据官", "陈添有  市发改局副局长", "游建军  肇庆市公安局副局长",
        "王  五  市教育局主任督学", "市税务局  邹智勇  总经济师",
        "四、县级首席数据官", "何军红  端州区委常委、组织部部长",
        "周文浣  肇庆高新区党工委委员,党工委、管委会办公室主任",
    ]:  # fmt: skip
        document.add_paragraph(text)
    path = tmp_path / "名单.docx"
    document.save(str(path))
    result = _read(path)
    assert (result.scheme, result.form) == ("zhaoqing", "attachment")
    assert _people(result) == [
        ("肇庆市人民政府", "city_cdo", {"name": "林飞鸣", "title": "市委常委、组织部部长"}),
        ("肇庆市人民政府", "city_cdeo", {"name": "王诗军", "title": "市政府副秘书长、市政数局局长"}),
        ("市发改局", "dept_cdo", {"name": "陈添有", "title": "市发改局副局长"}),
        ("市公安局", "dept_cdo", {"name": "游建军", "title": "肇庆市公安局副局长"}),
        ("市教育局", "dept_cdo", {"name": "王五", "title": "市教育局主任督学"}),
        ("市税务局", "dept_cdo", {"name": "邹智勇", "title": "总经济师"}),
        ("端州区", "county_cdo", {"name": "何军红", "title": "端州区委常委、组织部部长"}),
        ("肇庆高新区", "county_cdo",
         {"name": "周文浣", "title": "肇庆高新区党工委委员,党工委、管委会办公室主任"}),
    ]  # fmt: skip
    assert result.notes == []


def test_list_line_without_a_unit_is_noted_not_guessed(tmp_path: Path) -> None:
    document = docx.Document()
    for text in ["肇庆市首席数据官名单", "三、市级部门首席数据官", "陈添有  副局长",
                 "游建军  市公安局副局长", "注：以上名单按单位排列。"]:  # fmt: skip
        document.add_paragraph(text)
    path = tmp_path / "名单.docx"
    document.save(str(path))
    result = _read(path)
    assert _people(result) == [
        ("市公安局", "dept_cdo", {"name": "游建军", "title": "市公安局副局长"})
    ]
    assert result.notes == [
        f"{path} 正文 第 3 行：看不出“陈添有 副局长”是哪个单位的，未导入（请在职务前写上单位名称）",
        f"{path} 正文 第 5 行：“注：以上名单按单位排列。”应为“姓名 职务”两项，未导入",
    ]


# ---------------------------------------------------------------- what cdo render records


def test_render_records_scheme_form_and_unit_in_custom_properties(cli: Cli) -> None:
    assert cli("render", "attachment2", "--dept", "市公安局", "-o", "a.docx").exit_code == 0
    assert cli("render", "attachment3", "-o", "b.docx").exit_code == 0
    assert docx_properties.read_custom(docx.Document("a.docx")) == {
        "cdo.scheme": "puning", "cdo.form": "attachment2", "cdo.unit": "市公安局"}  # fmt: skip
    assert docx_properties.read_custom(docx.Document("b.docx")) == {
        "cdo.scheme": "puning", "cdo.form": "attachment3"}  # fmt: skip
    with zipfile.ZipFile("a.docx") as archive:
        types = archive.read("[Content_Types].xml").decode("utf-8")
        rels = archive.read("_rels/.rels").decode("utf-8")
    assert docx_properties.CONTENT_TYPE in types and "/docProps/custom.xml" in types
    assert docx_properties.RELATIONSHIP in rels


def _retype_unit(path: Path, unit: str) -> None:
    document = docx.Document(str(path))
    cell = document.tables[0].rows[2].cells[0]
    _clear(cell)
    if unit:
        _type(cell, unit)
    document.save(str(path))


def _filled_attachment2(cli: Cli, write: Write, name: str = "form.docx") -> Path:
    scheme = SCHEMES["puning"]
    form = scheme.form("attachment2")
    assert form is not None
    return _render(cli, write, scheme, form, True, name)


def test_property_unit_checked_against_the_unit_cell(cli: Cli, write: Write) -> None:
    path = _filled_attachment2(cli, write)
    _retype_unit(path, "市科技局")
    result = _read(path)
    assert result.units == ["市科技局"]
    assert {p.unit for p in result.people} == {"市科技局"}
    assert result.notes == [
        "文件属性记载的单位是“市公安局”，表格中“单位”一栏填的是“市科技局”：按表格导入，请核对是否用错了文件"
    ]


def test_property_unit_agrees_with_another_name_of_the_unit(cli: Cli) -> None:
    assert cli("render", "attachment2", "--dept", "市商务局", "-o", "form.docx").exit_code == 0
    path = Path("form.docx").resolve()
    _retype_unit(path, "市 商务局")
    document = docx.Document(str(path))
    _type(document.tables[0].rows[2].cells[1], "张三")
    document.save(str(path))
    result = _read(path)
    assert result.units == ["市商务局"]  # as written, for the roster editor to resolve
    assert result.notes == []


def test_property_unit_used_when_the_unit_cell_was_emptied(cli: Cli, write: Write) -> None:
    path = _filled_attachment2(cli, write)
    _retype_unit(path, "")
    result = _read(path)
    assert result.units == ["市公安局"]
    assert result.notes == ["表格中没有填写单位，按文件属性记载的“市公安局”导入"]


def test_property_form_checked_against_the_content(cli: Cli, write: Write) -> None:
    """A rendered 附件1 whose content a clerk replaced with 附件2's: the content wins."""
    path = _filled_attachment2(cli, write)
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == "docProps/custom.xml":
                blob = blob.replace(b"attachment2", b"attachment1")
            target.writestr(info, blob)
    result = _read(path)
    assert result.form == "attachment2"
    assert result.notes == [
        "文件属性记载这是普宁市方案的附件1（普宁市政府首席数据官和联系人报名表），"
        "但内容与之不符，按内容识别为普宁市方案的附件2（普宁市部门首席数据官和联系人报名表）"
    ]


# ---------------------------------------------------------------- LibreOffice


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs LibreOffice (soffice) for the re-save tests")
        pytest.skip("LibreOffice not installed")
    return found


def _convert(
    tmp_path: Path, target: str, files: list[Path]
) -> tuple[subprocess.Popen[bytes], Path]:
    """Start LibreOffice converting ``files`` to ``target`` (its own profile, so that two
    conversions run side by side); returns the process and the output folder."""
    out = tmp_path / f"lo-{target}"
    profile = tmp_path / f"lo-profile-{target}"
    process = subprocess.Popen(
        [_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", target, "--outdir", str(out), *map(str, files)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    return process, out


def _finish(process: subprocess.Popen[bytes]) -> None:
    output, _ = process.communicate(timeout=180)
    assert process.returncode == 0, output.decode("utf-8", "replace")


def test_forms_resaved_by_libreoffice_read_the_same(cli: Cli, write: Write, tmp_path: Path) -> None:
    """Filled forms re-saved as .docx read the same; a form saved as .doc is refused."""
    _soffice()
    cases = []
    for scheme_id, form_id in [("puning", "attachment2"), ("zhaoqing", "attachment")]:
        scheme = SCHEMES[scheme_id]
        form = scheme.form(form_id)
        assert form is not None
        path = _render(cli, write, scheme, form, True, f"{form_id}.docx")
        cases.append((path, _fill(path, scheme, form), scheme_id, form_id))
    resave, out = _convert(tmp_path, "docx", [p for p, *_ in cases])
    old, old_out = _convert(tmp_path, "doc", [cases[0][0]])
    _finish(resave)
    _finish(old)
    for path, expected, scheme_id, form_id in cases:
        resaved = out / path.name
        assert resaved.read_bytes() != path.read_bytes()
        result = _read(resaved)
        assert (result.scheme, result.form) == (scheme_id, form_id)
        assert _people(result) == expected
        assert result.notes == []
    old_doc = (old_out / "attachment2.doc").relative_to(tmp_path)  # the test runs there
    with pytest.raises(UnreadableError) as caught:
        _read(old_doc)
    assert caught.value.message == f"{old_doc} 是旧版 Word 文档（.doc），只能读取 .docx"
    hint = caught.value.hint or ""
    assert f"soffice --headless --convert-to docx --outdir 已转换 {old_doc}" in hint
    # The command the hint gives works, and writes beside, never onto, the file given.
    command = hint.split("转换：", 1)[1].split("（", 1)[0].split()
    profile = tmp_path / "lo-hint-profile"
    subprocess.run(
        [_soffice(), f"-env:UserInstallation={profile.as_uri()}", *command[1:]],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    converted = _read(Path("已转换") / "attachment2.docx")
    assert (converted.scheme, converted.form) == ("puning", "attachment2")


# ---------------------------------------------------------------- any form a scheme declares


def _scheme_with_summary(tmp_path: Path) -> Registry:
    """Puning's scheme plus a list form laid out as a table: 序号 单位 姓名 职务 电话 邮箱."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    data = yaml.load(
        (Path(__file__).resolve().parents[1] / "policies" / "puning.yaml").read_text("utf-8")
    )
    data["forms"].append({
        "id": "summary", "label": "附件4", "title": "普宁市部门首席数据官汇总表",
        "per_unit": False,
        "sections": [{
            "heading": "部门首席数据官", "kind": "role_list", "role": "dept_cdo",
            "units": {"tags": ["attachment3"]},
            "columns": [{"header": h, "field": f} for h, f in [
                ("序号", "index"), ("单位", "unit"), ("姓名", "name"), ("职务", "title"),
                ("联系电话", "phone"), ("电子邮箱", "email")]],
        }],
        "source": {"section": "附件4", "quote": "测试用的附件"},
    })  # fmt: skip
    folder = tmp_path / "extra"
    folder.mkdir()
    with (folder / "puning.yaml").open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return Registry([folder])


def test_a_list_form_a_scheme_file_declares_reads_back(
    cli: Cli, write: Write, tmp_path: Path
) -> None:
    registry = _scheme_with_summary(tmp_path)
    roster = write("puning.yaml", PUNING_ROSTER)
    result = cli("--policies", str(tmp_path / "extra"), "render", "summary", "--roster",
                 str(roster), "-o", "summary.docx")  # fmt: skip
    assert result.exit_code == 0, result.output
    path = tmp_path / "summary.docx"
    document = docx.Document(str(path))
    row = next(r for r in document.tables[0].rows if r.cells[1].text == "市科技局")
    for cell, text in zip(row.cells[2:], ["刘 一", "副局长", "139 1234 5678", "liu@example.cn"],
                          strict=True):  # fmt: skip
        _type(cell, text)
    document.save(str(path))
    read = read_docx(path, registry)
    assert (read.scheme, read.form) == ("puning", "summary")
    assert _people(read) == [
        # The renderer begins a list's titles with the unit; the clerk typed after it.
        ("市科技局", "dept_cdo", {"name": "刘一", "title": "市科技局副局长",
         "phone": "13912345678", "email": "liu@example.cn"}),
        ("市公安局", "dept_cdo", {"name": "张三", "title": "市公安局副局长",
         "phone": "0663-1234567", "email": "zhangsan@example.cn"}),
    ]  # fmt: skip
    assert read.units == ["市科技局", "市公安局"]


# ---------------------------------------------------------------- bad files


def _refused(path: Path, error: type[CdoError] = UnreadableError) -> CdoError:
    with pytest.raises(error) as caught:
        _read(path)
    assert caught.value.exit_code == (
        ExitCode.FAILED if error is UnreadableError else ExitCode.FINDINGS
    )
    return caught.value


def _rendered(cli: Cli) -> Path:
    """A blank 附件2, as ``form.docx`` in the test's folder (messages name it so)."""
    assert cli("render", "attachment2", "--dept", "市公安局", "-o", "form.docx").exit_code == 0
    return Path("form.docx")


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "不存在" in _refused(tmp_path / "没有.docx").message
    (tmp_path / "夹.docx").mkdir()
    assert (
        _refused(tmp_path / "夹.docx").message == f"{tmp_path / '夹.docx'} 是文件夹，不是 Word 文档"
    )


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "空.docx"
    path.write_bytes(b"")
    assert _refused(path).message == f"{path} 是空文件（0 字节）"


def test_truncated_docx_is_corrupt(cli: Cli) -> None:
    path = _rendered(cli)
    path.write_bytes(path.read_bytes()[:3000])
    error = _refused(path)
    assert error.message == "form.docx 已损坏，无法读取（zip 结构不完整或内容出错）"
    assert "另存一份" in (error.hint or "")


def test_damaged_content_is_corrupt(cli: Cli) -> None:
    path = _rendered(cli)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start + 20, start + 60):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    assert "已损坏" in _refused(path).message


def test_zip_that_lies_about_its_size_is_not_inflated_beyond_it(cli: Cli) -> None:
    """zipfile stops at a member's declared size, so the bounds hold for a lying header."""
    path = _rendered(cli)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("word/document.xml")
    small = (100).to_bytes(4, "little")
    data[info.header_offset + 22 : info.header_offset + 26] = small  # local header
    central = data.index(b"PK\x01\x02")
    while not data[central + 46 :].startswith(b"word/document.xml"):
        central = data.index(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = small  # central directory
    path.write_bytes(bytes(data))
    assert "已损坏" in _refused(path).message


def test_zip_bomb_is_refused_before_unpacking(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from cdo_cli import docx_reading

    path = _rendered(cli)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/image1.png", b"\0" * 3_000_000)
    monkeypatch.setattr(docx_reading, "MAX_UNPACKED_BYTES", 2_000_000)
    error = _refused(path)
    assert error.message.startswith("form.docx 解压后过大")
    monkeypatch.setattr(docx_reading, "MAX_UNPACKED_BYTES", 200_000_000)
    monkeypatch.setattr(docx_reading, "MAX_XML_BYTES", 1_000)
    assert _refused(path).message.startswith("form.docx 解压后过大")


def test_oversized_file_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cdo_cli import docx_reading

    monkeypatch.setattr(docx_reading, "MAX_FILE_BYTES", 10)
    path = tmp_path / "大.docx"
    path.write_bytes(b"PK" + b"\0" * 100)
    assert _refused(path).message == f"{path} 过大（0 MB），不像是一份表格，未读取"


def test_text_file_renamed_docx(tmp_path: Path) -> None:
    path = tmp_path / "名单.docx"
    path.write_text("张三 副局长", encoding="utf-8")
    error = _refused(path)
    assert error.message.startswith(f"{path} 不是 Word 文档（.docx），也不是完整的 zip 文件")


@pytest.mark.parametrize(
    ("head", "what"),
    [(b"{\\rtf1\\ansi ...", "RTF 文档"), (b"%PDF-1.7\n", "PDF 文件"),
     (b"<html><body>", "网页或 XML 文件")],
)  # fmt: skip
def test_other_formats_renamed_docx(tmp_path: Path, head: bytes, what: str) -> None:
    path = tmp_path / "表.docx"
    path.write_bytes(head)
    error = _refused(path)
    assert error.message.startswith(f"{path} 是{what}")
    assert "另存为“Word 文档（*.docx）”" in (error.hint or "")


def _ole(*streams: str) -> bytes:
    """The first bytes of a compound file (old Office, or an encrypted one) naming streams."""
    magic = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return magic + b"\0" * 504 + b"".join(s.encode("utf-16-le") + b"\0" * 8 for s in streams)


def test_password_protected_docx(tmp_path: Path) -> None:
    path = tmp_path / "加密.docx"
    path.write_bytes(_ole("EncryptionInfo", "EncryptedPackage"))
    error = _refused(path)
    assert error.message == f"{path} 设置了打开密码（已加密），无法读取"
    assert "取消密码" in (error.hint or "")


def test_old_doc_hint_names_libreoffice_only_where_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    path = tmp_path / "附件2 市公安局.doc"
    path.write_bytes(_ole("WordDocument", "1Table"))
    monkeypatch.setattr(shutil, "which", lambda name: None)
    error = _refused(path)
    assert error.message == f"{path} 是旧版 Word 文档（.doc），只能读取 .docx"
    assert error.hint == "请在 Word 或 WPS 中打开，另存为“Word 文档（*.docx）”后再导入。"
    monkeypatch.setattr(shutil, "which", lambda name: "/usr/bin/soffice")
    hint = _refused(path).hint or ""
    assert hint.endswith(
        "或用本机的 LibreOffice 转换：soffice --headless --convert-to docx --outdir 已转换 "
        f'"{path}"（转换后的文件在“已转换”文件夹中）。'
    )


def test_old_xls_and_other_compound_files(tmp_path: Path) -> None:
    path = tmp_path / "名册.docx"
    path.write_bytes(_ole("Workbook"))
    assert _refused(path).message == f"{path} 是旧版 Excel 工作簿（.xls），不是 Word 文档"
    path.write_bytes(_ole("Something"))
    assert _refused(path).message == f"{path} 是旧版 Office 或 WPS 格式的文件，只能读取 .docx"


def test_workbook_renamed_docx(tmp_path: Path) -> None:
    path = tmp_path / "名册.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    error = _refused(path)
    assert error.message == f"{path} 是Excel 工作簿（.xlsx），不是 Word 文档（.docx）"
    assert error.hint == "工作簿的扩展名应为 .xlsx。"


def test_macro_enabled_document_is_refused(cli: Cli) -> None:
    path = _rendered(cli)
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            blob = source.read(info)
            if info.filename == "[Content_Types].xml":
                blob = blob.replace(
                    b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
                )
            target.writestr(info, blob)
    error = _refused(path)
    assert error.message.startswith("form.docx 不是可读取的 Word 文档（.docx）：内部结构不符合")


def test_document_that_is_no_form_names_the_closest(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("关于召开数据工作会议的通知")
    table = document.add_table(rows=2, cols=3)
    _set_row(table, 0, ["姓名", "单位", "电话"])
    _set_row(table, 1, ["张三", "市公安局", "13800138000"])
    path = tmp_path / "通知.docx"
    document.save(str(path))
    error = _refused(path, FormNotRecognisedError)
    assert error.message == f"{path} 不是各方案的任何一份附件表格"
    assert (error.hint or "").startswith("最接近的是普宁市方案的附件")
    assert "没有找到标题" in (error.hint or "")


def test_form_missing_its_headers_says_so(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("普宁市部门首席数据官和联系人报名表")
    document.add_paragraph("请各单位于10月20日前报送。")
    path = tmp_path / "x.docx"
    document.save(str(path))
    hint = _refused(path, FormNotRecognisedError).hint or ""
    assert hint.startswith(
        "最接近的是普宁市方案的附件2（普宁市部门首席数据官和联系人报名表）："
        "找到了标题“普宁市部门首席数据官和联系人报名表”；没有找到附件标识“附件2”、"
        "分组“部门首席数据官”、表头“单位”“姓名”“职务”“联系方式”、分组“工作联系人”、"
        "表头“科室（股室）”“姓名”“职务”“联系方式”。"
    )


def test_document_without_text(tmp_path: Path) -> None:
    path = tmp_path / "空白.docx"
    docx.Document().save(str(path))
    assert _refused(path, FormNotRecognisedError).message == f"{path} 中没有文字，也没有表格"


def test_blank_form_is_not_an_error(cli: Cli) -> None:
    result = _read(_rendered(cli))
    assert result.empty and result.units == []
    assert result.notes == [
        "附件2（普宁市部门首席数据官和联系人报名表）未填写人员，没有可导入的内容"
    ]


def test_unit_list_is_nothing_to_import(cli: Cli) -> None:
    assert cli("render", "attachment3", "-o", "list.docx").exit_code == 0
    result = _read(Path("list.docx"))
    assert (result.form, result.empty) == ("attachment3", True)
    assert result.notes == ["附件3（普宁市有关单位名单）是单位名单，没有可导入的人员"]


# ---------------------------------------------------------------- the cell-text normaliser

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from cdo_cli.cell_text import (  # noqa: E402
    clean_phone,
    clean_value,
    heading_key,
    match_key,
    split_contact,
)

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
SPACES = st.sampled_from([" ", "  ", "\u3000", "\t", "\n", " \n ", "\u00a0", "\u200b"])
FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


@given(st.text())
def test_clean_value_is_idempotent_and_trimmed(text: str) -> None:
    once = clean_value(text)
    assert clean_value(once) == once
    assert once == once.strip(" \t\n\u3000")
    assert "\n" not in once and "  " not in once


@given(st.lists(st.text(CJK, min_size=1, max_size=4), min_size=1, max_size=5), st.data())
def test_spaces_between_chinese_characters_are_padding(
    words: list[str], data: st.DataObject
) -> None:
    typed = "".join(w + data.draw(SPACES) for w in words)
    assert clean_value(typed) == "".join(words)


@given(st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E) | CJK), st.data())
def test_match_key_ignores_width_spacing_and_punctuation(text: str, data: st.DataObject) -> None:
    wide = "".join(FULL_WIDTH.get(c, c) for c in text)
    spaced = "".join(c + data.draw(SPACES) for c in wide)
    assert match_key(spaced) == match_key(text)
    assert match_key(f"（{text}）") == match_key(f"({text})") == match_key(text)


@given(st.text(CJK, min_size=1, max_size=10),
       st.sampled_from(["一、", "二、", "（一）", "(三)", "1. ", "2、", "第四、", "①", ""]))  # fmt: skip
def test_heading_key_drops_the_enumerator(heading: str, enumerator: str) -> None:
    assert heading_key(enumerator + heading) == heading_key(heading) == match_key(heading)


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.data())
def test_mobile_numbers_typed_any_way_are_normalised(number: str, data: st.DataObject) -> None:
    cuts = data.draw(st.sets(st.integers(1, 10), max_size=3))
    typed = "".join((" " if i in cuts else "") + c for i, c in enumerate(number))
    if data.draw(st.booleans()):
        typed = "".join(FULL_WIDTH.get(c, c) for c in typed).replace(" ", "\u3000")
    assert clean_phone(typed) == number


@given(st.from_regex(r"0[1-9][0-9]{1,2}", fullmatch=True),
       st.from_regex(r"[2-9][0-9]{6,7}", fullmatch=True),
       st.sampled_from(["{a}-{n}", "{a} {n}", "({a}){n}", "（{a}）{n}", "{a}－{n}", "{a} - {n}"]))  # fmt: skip
def test_landlines_get_their_area_code_hyphen(area: str, number: str, layout: str) -> None:
    assert clean_phone(layout.format(a=area, n=number)) == f"{area}-{number}"


@given(st.text(st.characters(blacklist_categories=("Nd", "Cs")), min_size=1).filter(
    lambda t: clean_value(t) != "" and not any(c.isdigit() for c in t)))  # fmt: skip
def test_text_that_is_no_number_is_kept_as_written(text: str) -> None:
    assert clean_phone(text) == clean_value(text)


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
       st.from_regex(r"[a-z][a-z0-9._]{0,10}@[a-z0-9]{1,8}\.(cn|com|gov\.cn)", fullmatch=True),
       st.sampled_from(["{p}\n{e}", "{p}\n\n{e}\n", "电话：{p}\n邮箱：{e}", "{p}；{e}",
                        "{e}\n{p}", "手机: {p}  E-mail: {e}"]))  # fmt: skip
def test_contact_cell_splits_into_phone_and_email(phone: str, email: str, layout: str) -> None:
    assert split_contact(layout.format(p=phone, e=email)) == (phone, email)
