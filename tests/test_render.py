"""cdo render: the attachment forms as docx, html and md, blank and filled from a roster.

Golden files live in tests/golden/render/; regenerate them after an intended change with
``CDO_UPDATE_GOLDEN=1 python -m pytest tests/test_render.py``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from cdo_cli import docx_properties
from cdo_cli.forms import mask_email, mask_phone
from cdo_cli.output import safe_filename

ROOT = Path(__file__).resolve().parents[1]

GOLDEN = Path(__file__).resolve().parent / "golden" / "render"
UPDATE = bool(os.environ.get("CDO_UPDATE_GOLDEN"))

PUNING_ROSTER = """
scheme: puning
units:
  普宁市人民政府:
    officers:
      city_cdo:
        name: 王五
        title: 副市长
        phone: 0663-2221234
      city_contact:
        office: 办公室
        name: 陈丽虹
        title: 科员
        phone: 0663-6186213
        email: pnzsjzsg@163.com
  市公安局:
    officers:
      dept_cdo:
        name: 张三
        title: 副局长
        phone: 0663-1234567
        email: zhangsan@example.cn
      dept_contact:
        office: 科技信息化股
        name: 李四
        title: 科员
        phone: "13800138000"
"""

ZHAOQING_ROSTER = """
scheme: zhaoqing
units:
  肇庆市人民政府:
    officers:
      city_cdo: {name: 林飞鸣, title: 市委常委、组织部部长}
      city_cdeo: {name: 王诗军, title: 市政府副秘书长、市政数局局长}
  市发改局:
    officers:
      dept_cdo: {name: 陈添有, title: 副局长}
  市公安局:
    officers:
      dept_cdo: {name: 游建军, title: 市公安局副局长}
  端州区:
    officers:
      county_cdo: {name: 何军红, title: 区委常委、组织部部长}
"""

HOSTILE_ROSTER = """
scheme: puning
units:
  市公安局:
    officers:
      dept_cdo:
        name: "{{ 7*7 }}"
        title: "<script>alert(1)</script>"
        phone: "13800138000"
        email: a|b*c@example.cn
      dept_contact:
        office: ../../etc/passwd
        name: "{% raw %}x{% endraw %}"
        title: "# [x](javascript:alert(1)) **b**"
"""

# (golden name, arguments, roster file or None)
CASES = [
    ("puning-attachment1-blank", ["attachment1"], None),
    ("puning-attachment1-filled", ["attachment1"], "puning"),
    ("puning-attachment2-blank", ["attachment2", "--dept", "市公安局"], None),
    ("puning-attachment2-filled", ["attachment2", "--dept", "市公安局"], "puning"),
    ("puning-attachment2-redacted", ["attachment2", "--dept", "市公安局", "--redact"], "puning"),
    ("puning-attachment3", ["attachment3"], None),
    ("zhaoqing-attachment-blank", ["attachment"], None),
    ("zhaoqing-attachment-filled", ["attachment"], "zhaoqing"),
]
ROSTERS = {"puning": PUNING_ROSTER, "zhaoqing": ZHAOQING_ROSTER}

Cli = Callable[..., Any]
Write = Callable[[str, str], Path]


def _args(args: list[str], roster: str | None, write: Write) -> list[str]:
    if roster is None:
        return args
    path = write(f"{roster}.yaml", ROSTERS[roster])
    return [*args, "--roster", str(path)]


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.is_file(), f"no golden file {path}; run with CDO_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def _docx(cli: Cli, write: Write, args: list[str], roster: str | None) -> docx.document.Document:
    result = cli("render", *_args(args, roster, write), "-o", "out.docx")
    assert result.exit_code == 0, result.output
    return docx.Document("out.docx")


# ---------------------------------------------------------------- golden md and html


@pytest.mark.parametrize(("name", "args", "roster"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_render_golden(
    cli: Cli, write: Write, name: str, args: list[str], roster: str | None, fmt: str
) -> None:
    result = cli("render", *_args(args, roster, write), "--format", fmt, "-o", "-")
    assert result.exit_code == 0, result.output
    _golden(f"{name}.{fmt}", result.stdout)


def test_render_every_form_in_every_format(cli: Cli, write: Write, tmp_path: Path) -> None:
    """Every attachment of every scheme renders in all three formats, blank and filled."""
    from cdo_cli.forms import form_units
    from cdo_cli.policy_loading import Registry

    for scheme in Registry().usable()[0]:
        for form in scheme.forms:
            dept = ["--dept", form_units(scheme, form)[0].name] if form.per_unit else []
            rosters = [None, scheme.id] if scheme.id in ROSTERS else [None]
            for roster in rosters:
                for fmt in ("docx", "html", "md"):
                    out = tmp_path / f"{scheme.id}-{form.id}-{roster}.{fmt}"
                    args = [form.id, "--scheme", scheme.id, *dept, "-o", str(out)]
                    result = cli("render", *_args(args, roster, write))
                    assert result.exit_code == 0, result.output
                    assert out.stat().st_size > 0


# ---------------------------------------------------------------- docx structure


def test_render_docx_page_and_margins(cli: Cli, write: Write) -> None:
    document = _docx(cli, write, ["attachment1"], None)
    section = document.sections[0]
    for value, mm in [
        (section.page_width, 210),
        (section.page_height, 297),
        (section.top_margin, 37),
        (section.bottom_margin, 35),
        (section.left_margin, 28),
        (section.right_margin, 26),
    ]:
        assert value is not None
        assert abs(value - Mm(mm)) < Mm(0.1)


def test_render_docx_texts_and_tables(cli: Cli, write: Write) -> None:
    document = _docx(cli, write, ["attachment2", "--dept", "市公安局"], "puning")
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:2] == ["附件2", "普宁市部门首席数据官\n和联系人报名表"]
    assert len(document.tables) == 1
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["部门首席数据官"] * 4  # one cell spanning the width
    assert rows[1] == ["单位", "姓名", "职务", "联系方式"]
    assert rows[2] == ["市公安局", "张三", "副局长", "0663-1234567\nzhangsan@example.cn"]
    assert rows[3] == ["工作联系人"] * 4
    assert rows[4] == ["科室（股室）", "姓名", "职务", "联系方式"]
    assert rows[5] == ["科技信息化股", "李四", "科员", "13800138000"]
    tbl_pr = document.tables[0]._tbl.tblPr
    borders = tbl_pr.find(qn("w:tblBorders"))
    assert borders is not None
    edges = {child.tag.split("}")[1]: child.get(qn("w:val")) for child in borders}
    assert edges == dict.fromkeys(
        ["top", "left", "bottom", "right", "insideH", "insideV"], "single"
    )
    heights = [row.height for row in document.tables[0].rows]
    assert all(h is not None and h >= Mm(10) - Mm(0.1) for h in heights)


def test_render_docx_blank_keeps_rows_to_write_in(cli: Cli, write: Write) -> None:
    document = _docx(cli, write, ["attachment2", "--dept", "市公安局"], None)
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[2] == ["市公安局", "", "", ""]
    assert rows[5] == ["", "", "", ""]


def test_render_docx_attachment3_lists_units_side_by_side(cli: Cli, write: Write) -> None:
    document = _docx(cli, write, ["attachment3"], None)
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert len(rows) == 18
    assert rows[0] == ["1", "市科技局", "19", "市应急管理局"]
    assert rows[-1] == ["18", "市国有资产管理中心", "36", "普宁粤海水务有限公司"]


def test_render_docx_east_asian_fonts(cli: Cli, write: Write) -> None:
    document = _docx(cli, write, ["attachment2", "--dept", "市公安局"], "puning")
    styles = {s.name: s for s in document.styles if s.type == 1}  # paragraph styles
    for name in ("Normal", "附件标识", "附件标题", "表格文字", "表格标题"):
        fonts = styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")), name
    assert styles["附件标题"].font.size.pt == 22
    assert styles["附件标识"].font.size.pt == 16
    assert styles["表格文字"].font.size.pt == 14
    runs = document.element.body.findall(".//" + qn("w:r"))
    assert runs
    for run in runs:
        fonts = run.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")), run.xml
    by_text = {"".join(t.text or "" for t in r.iter(qn("w:t"))): r for r in runs}

    def east_asia(text: str) -> str | None:
        fonts = by_text[text].find(qn("w:rPr") + "/" + qn("w:rFonts"))
        return None if fonts is None else fonts.get(qn("w:eastAsia"))

    assert east_asia("附件2") == "黑体"
    assert east_asia("普宁市部门首席数据官和联系人报名表") == "方正小标宋简体"
    assert east_asia("张三") == "仿宋_GB2312"
    with zipfile.ZipFile("out.docx") as archive:
        font_table = archive.read("word/fontTable.xml").decode("utf-8")
    assert 'w:name="仿宋_GB2312"' in font_table and 'w:altName w:val="仿宋"' in font_table


def test_render_docx_zhaoqing_list_lines(cli: Cli, write: Write) -> None:
    document = _docx(cli, write, ["attachment"], "zhaoqing")
    texts = [p.text for p in document.paragraphs]
    assert "一、市首席数据官" in texts
    assert "林飞鸣\t市委常委、组织部部长" in texts
    assert "陈添有\t市发改局副局长" in texts  # the unit goes before a bare title
    assert "何军红\t端州区委常委、组织部部长" in texts
    assert any(t.startswith("\u3000") and "\t市教育局" in t for t in texts)  # left to fill in


def test_render_docx_is_reproducible(cli: Cli, write: Write) -> None:
    cli("render", "attachment3", "-o", "a.docx")
    cli("render", "attachment3", "-o", "b.docx")
    assert Path("a.docx").read_bytes() == Path("b.docx").read_bytes()


# ---------------------------------------------------------------- LibreOffice


def test_render_docx_converts_to_pdf_with_libreoffice(cli: Cli, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftotext = shutil.which("pdftotext")
    if soffice is None or pdftotext is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs LibreOffice (soffice) and poppler-utils (pdftotext)")
        pytest.skip("LibreOffice or pdftotext not installed")
    result = cli("render", "attachment2", "--dept", "市公安局", "-o", "form.docx")
    assert result.exit_code == 0, result.output
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "form.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = subprocess.run(
        [pdftotext, "-layout", str(tmp_path / "form.pdf"), "-"],
        check=True, capture_output=True, timeout=60,
    ).stdout.decode("utf-8")  # fmt: skip
    flat = "".join(text.split())
    assert "普宁市部门首席数据官" in flat
    assert "和联系人报名表" in flat
    assert "市公安局" in flat


def test_render_docx_pages_in_libreoffice(cli: Cli, tmp_path: Path) -> None:
    """As printed: a table that ends at the bottom margin leaves no blank second page and
    gets no second number; the two-page 名单 is numbered — 1 — and — 2 —."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftotext = shutil.which("pdftotext")
    if soffice is None or pdftotext is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs LibreOffice (soffice) and poppler-utils (pdftotext)")
        pytest.skip("LibreOffice or pdftotext not installed")
    (tmp_path / "full.docx").write_bytes(_docx_bytes(_unit_list(22)))  # fills the page
    assert cli("render", "attachment", "-o", "list.docx").exit_code == 0
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(tmp_path / "full.docx"), str(tmp_path / "list.docx")],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip

    def pages(name: str) -> list[str]:
        text = subprocess.run([pdftotext, "-layout", str(tmp_path / name), "-"], check=True,
                              capture_output=True, timeout=60).stdout.decode("utf-8")  # fmt: skip
        return text.split("\f")[:-1]

    def number(page: str) -> tuple[str, int]:
        """The page's last line, without spaces, and how far in it starts."""
        line = page.rstrip().split("\n")[-1]
        return "".join(line.split()), len(line) - len(line.lstrip())

    full = pages("full.pdf")
    assert len(full) == 1 and "测试单位44局" in "".join(full[0].split())
    listing = pages("list.pdf")
    assert len(listing) == 2
    (first, right), (second, left) = number(listing[0]), number(listing[1])
    assert (first, second) == ("—1—", "—2—")
    assert right > left + 10  # odd pages at the right, even ones at the left


# ---------------------------------------------------------------- --all and files


def test_render_all_puning_writes_36_files(cli: Cli, tmp_path: Path) -> None:
    result = cli("render", "attachment2", "--all", "-o", "out")
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "out").iterdir())
    assert len(files) == 36
    assert (tmp_path / "out" / "附件2-05-市公安局.docx") in files
    assert (tmp_path / "out" / "附件2-10-市工业和信息化局（市商务局）.docx") in files
    assert "已生成 36 个文件" in result.stdout
    assert result.stdout.count("\n") == 1


def test_render_all_into_current_folder_in_html(cli: Cli, tmp_path: Path) -> None:
    result = cli("render", "attachment2", "--all", "--format", "html")
    assert result.exit_code == 0, result.output
    assert len(list(tmp_path.glob("附件2-*.html"))) == 36


def test_render_default_name_in_current_folder(cli: Cli, tmp_path: Path) -> None:
    result = cli("render", "attachment2", "--dept", "市公安局")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "附件2-市公安局.docx").is_file()
    assert result.stdout == "已生成 附件2-市公安局.docx（空白表）\n"


def test_render_unit_list_does_not_claim_the_roster(cli: Cli, write: Write) -> None:
    write("roster.yaml", PUNING_ROSTER)
    result = cli("render", "attachment3")
    assert result.exit_code == 0
    assert result.stdout == "已生成 附件3-普宁市有关单位名单.docx（空白表）\n"


def test_render_list_form_file_name_uses_title(cli: Cli, tmp_path: Path) -> None:
    assert cli("render", "attachment").exit_code == 0
    assert cli("render", "attachment3", "-f", "md").exit_code == 0
    assert (tmp_path / "附件-肇庆市首席数据官名单.docx").is_file()
    assert (tmp_path / "附件3-普宁市有关单位名单.md").is_file()


def test_render_refuses_to_overwrite_without_force(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "附件2-市公安局.docx"
    target.write_text("not ours", encoding="utf-8")
    result = cli("render", "attachment2", "--dept", "市公安局")
    assert result.exit_code == 2
    assert "已存在" in result.stderr and "--force" in result.stderr
    assert target.read_text(encoding="utf-8") == "not ours"
    result = cli("render", "attachment2", "--dept", "市公安局", "--force")
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"PK")


def test_render_all_writes_nothing_when_one_file_exists(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "附件2-05-市公安局.docx").write_text("x", encoding="utf-8")
    result = cli("render", "attachment2", "--all", "-o", "out")
    assert result.exit_code == 2
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["附件2-05-市公安局.docx"]


def test_render_leaves_no_temporary_files(cli: Cli, tmp_path: Path) -> None:
    assert cli("render", "attachment2", "--all", "-o", "out", "-f", "md").exit_code == 0
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_render_files_are_readable_by_others(cli: Cli, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        assert cli("render", "attachment3", "-f", "md").exit_code == 0
    finally:
        os.umask(old)
    assert (tmp_path / "附件3-普宁市有关单位名单.md").stat().st_mode & 0o777 == 0o644


def test_render_format_from_output_suffix(cli: Cli, tmp_path: Path) -> None:
    assert cli("render", "attachment3", "-o", "list.html").exit_code == 0
    assert (tmp_path / "list.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_render_all_output_is_a_file(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("", encoding="utf-8")
    result = cli("render", "attachment2", "--all", "-o", "x.txt")
    assert result.exit_code == 2
    assert "不是文件夹" in result.stderr


# ---------------------------------------------------------------- stdout


def test_render_md_to_stdout(cli: Cli) -> None:
    result = cli("render", "attachment3", "-f", "md", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("附件3\n\n# 普宁市有关单位名单\n")


def test_render_docx_to_stdout_is_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("render", "attachment3", "-o", "-")
    assert result.exit_code == 2
    assert "标准输出" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_render_all_to_stdout_is_a_usage_error(cli: Cli) -> None:
    result = cli("render", "attachment2", "--all", "-f", "md", "-o", "-")
    assert result.exit_code == 2


def test_render_unknown_format(cli: Cli) -> None:
    result = cli("render", "attachment3", "-f", "pdf")
    assert result.exit_code == 2
    assert "docx、html、md" in result.stderr


# ---------------------------------------------------------------- choosing form and unit


def test_render_unknown_unit_suggests(cli: Cli, tmp_path: Path) -> None:
    result = cli("render", "attachment2", "--dept", "市公安厅")
    assert result.exit_code == 2
    assert "“市公安厅”不是普宁市方案范围内的单位" in result.stderr
    assert "市公安局" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_render_unit_by_alias(cli: Cli, tmp_path: Path) -> None:
    result = cli("render", "attachment2", "--dept", "市商务局", "-f", "md", "-o", "-")
    assert result.exit_code == 0
    assert "| 市工业和信息化局（市商务局） |" in result.stdout


def test_render_unit_the_form_is_not_for(cli: Cli) -> None:
    result = cli("render", "attachment2", "--dept", "普宁市人民政府")
    assert result.exit_code == 2
    assert "附件2不由普宁市人民政府填报" in result.stderr


def test_render_per_unit_form_needs_a_unit(cli: Cli) -> None:
    result = cli("render", "attachment2")
    assert result.exit_code == 2
    assert "--dept" in result.stderr and "--all" in result.stderr


def test_render_list_form_takes_no_unit(cli: Cli) -> None:
    result = cli("render", "attachment3", "--dept", "市公安局")
    assert result.exit_code == 2
    assert "名单" in result.stderr
    assert cli("render", "attachment3", "--all").exit_code == 2


def test_render_dept_and_all_together(cli: Cli) -> None:
    assert cli("render", "attachment2", "--dept", "市公安局", "--all").exit_code == 2


def test_render_unknown_form_lists_choices(cli: Cli) -> None:
    result = cli("render", "attachment9")
    assert result.exit_code == 2
    assert "没有附件“attachment9”" in result.stderr
    for choice in ("attachment1", "attachment2", "attachment3", "zhaoqing：attachment"):
        assert choice in result.stderr


def test_render_unknown_form_in_scheme(cli: Cli) -> None:
    result = cli("render", "attachment1", "--scheme", "zhaoqing")
    assert result.exit_code == 2
    assert "attachment（附件 肇庆市首席数据官名单）" in result.stderr


def test_render_form_by_label(cli: Cli) -> None:
    result = cli("render", "附件3", "-f", "md", "-o", "-")
    assert result.exit_code == 0
    assert "普宁市有关单位名单" in result.stdout


def test_render_ambiguous_form_lists_schemes(cli: Cli, tmp_path: Path) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    text = (ROOT / "policies" / "zhaoqing.yaml").read_text(encoding="utf-8")
    (extra / "zq2.yaml").write_text(text.replace("id: zhaoqing", "id: zq2", 1), encoding="utf-8")
    result = cli("--policies", str(extra), "render", "attachment")
    assert result.exit_code == 2
    assert "--scheme zhaoqing" in result.stderr and "--scheme zq2" in result.stderr
    result = cli("--policies", str(extra), "render", "attachment", "--scheme", "zq2")
    assert result.exit_code == 0, result.output


def test_render_unknown_scheme(cli: Cli) -> None:
    result = cli("render", "attachment1", "--scheme", "puining")
    assert result.exit_code == 2
    assert "puning" in result.stderr


# ---------------------------------------------------------------- rosters


def test_render_uses_roster_yaml_in_folder(cli: Cli, write: Write) -> None:
    write("roster.yaml", PUNING_ROSTER)
    result = cli("render", "attachment2", "--dept", "市公安局", "-f", "md", "-o", "-")
    assert result.exit_code == 0
    assert "| 市公安局 | 张三 | 副局长 |" in result.stdout


def test_render_roster_yaml_of_another_scheme_is_not_used(cli: Cli, write: Write) -> None:
    write("roster.yaml", PUNING_ROSTER)
    result = cli("render", "attachment", "-f", "md", "-o", "-")
    assert result.exit_code == 0
    assert "roster.yaml 属于方案 puning，未用于填表" in result.stderr
    assert "肇庆市首席数据官名单" in result.stdout


def test_render_roster_against_scheme_option(cli: Cli, write: Write) -> None:
    path = write("r.yaml", PUNING_ROSTER)
    result = cli("render", "attachment", "--scheme", "zhaoqing", "--roster", str(path))
    assert result.exit_code == 2
    assert "属于方案 puning" in result.stderr


def test_render_invalid_roster(cli: Cli, write: Write) -> None:
    path = write("r.yaml", "scheme: puning\nunits:\n  ../../etc/passwd: {}\n")
    result = cli("render", "attachment2", "--dept", "市公安局", "--roster", str(path))
    assert result.exit_code == 1
    assert "名册有错误" in result.stderr


def test_render_missing_roster(cli: Cli) -> None:
    result = cli("render", "attachment3", "--roster", "nope.yaml")
    assert result.exit_code == 2


# ---------------------------------------------------------------- hostile data


def test_render_hostile_data_html_is_escaped(cli: Cli, write: Write) -> None:
    path = write("r.yaml", HOSTILE_ROSTER)
    args = ["attachment2", "--dept", "市公安局", "--roster", str(path), "-o", "-"]
    result = cli("render", *args, "-f", "html")
    assert result.exit_code == 0, result.output
    html = result.stdout
    assert "{{ 7*7 }}" in html and "49" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>" not in html
    assert "{% raw %}x{% endraw %}" in html
    assert "../../etc/passwd" in html


def test_render_hostile_data_md_is_literal(cli: Cli, write: Write) -> None:
    path = write("r.yaml", HOSTILE_ROSTER)
    args = ["attachment2", "--dept", "市公安局", "--roster", str(path), "-o", "-"]
    md = cli("render", *args, "-f", "md").stdout
    assert r"\{\{ 7\*7 \}\}" in md
    assert r"\<script\>alert\(1\)\</script\>" in md
    assert "<script>" not in md
    row = next(line for line in md.splitlines() if "7\\*7" in line)
    assert row.count(" | ") == 3  # the | in the e-mail does not split the cell
    assert r"\# \[x\]\(javascript:alert\(1\)\) \*\*b\*\*" in md


def test_render_hostile_data_docx_is_text(cli: Cli, write: Write) -> None:
    path = write("r.yaml", HOSTILE_ROSTER)
    result = cli("render", "attachment2", "--dept", "市公安局", "--roster", str(path))
    assert result.exit_code == 0, result.output
    document = docx.Document("附件2-市公安局.docx")
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows[2][:3] == ["市公安局", "{{ 7*7 }}", "<script>alert(1)</script>"]
    assert rows[5][0] == "../../etc/passwd"


def test_render_hostile_unit_names_stay_in_folder(cli: Cli, tmp_path: Path) -> None:
    """A scheme whose unit names are paths, device names or template code."""
    extra = tmp_path / "extra"
    extra.mkdir()
    text = (ROOT / "policies" / "puning.yaml").read_text(encoding="utf-8")
    for old, new in [
        ("市科技局", "../../etc/passwd"),
        ("市公安局", "CON"),
        ("市法院", "x{{ 7*7 }}<b>"),
        ("市税务局", "a\\\\b/c:d"),
    ]:
        text = text.replace(old, new)
    (extra / "puning.yaml").write_text(text, encoding="utf-8")
    result = cli("--policies", str(extra), "render", "attachment2", "--all", "-o", "out")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(names) == 36
    assert "附件2-.._.._etc_passwd.docx" not in names
    assert all("/" not in n and "\\" not in n and ".." not in n for n in names)
    assert "附件2-05-CON.docx" in names  # not a device name: the stem is 附件2-05-CON
    assert not (tmp_path / "etc").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extra", "out"]
    md = cli("--policies", str(extra), "render", "attachment3", "-f", "md", "-o", "-").stdout
    assert r"x\{\{ 7\*7 \}\}\<b\>" in md
    result = cli("--policies", str(extra), "render", "attachment2", "--dept", "CON", "-o", "-",
                 "-f", "html")  # fmt: skip
    assert result.exit_code == 0


def test_render_hostile_form_id(cli: Cli) -> None:
    result = cli("render", "{{ 7*7 }}")
    assert result.exit_code == 2
    assert "没有附件“{{ 7*7 }}”" in result.stderr


# ---------------------------------------------------------------- helpers


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("附件2-市公安局", "附件2-市公安局.docx"),
        ("../../etc/passwd", "___etc_passwd.docx"),
        ("..", "未命名.docx"),
        ("CON", "_CON.docx"),
        ("nul.txt", "_nul.txt.docx"),
        ('a<b>c:d"e|f?g*h', "a_b_c_d_e_f_g_h.docx"),
        ("tab\there\x00nul", "tab_here_nul.docx"),
        ("  dots...  ", "dots.docx"),
    ],
)
def test_render_safe_filename(stem: str, expected: str) -> None:
    assert safe_filename(stem, ".docx") == expected


def test_render_safe_filename_bounds_length() -> None:
    name = safe_filename("附" * 200, ".docx")
    assert name.endswith(".docx")
    assert len(name.encode("utf-8")) <= 200


def test_render_masks() -> None:
    assert mask_phone("13800138000") == "138******00"
    assert mask_phone("0663-6186213") == "0663-*****13"  # the area code stays
    assert mask_phone("12345") == "*****"
    assert mask_email("zhangsan@example.cn") == "z***@example.cn"
    assert mask_email("nobody") == "n***"


def test_render_help_has_examples(cli: Cli) -> None:
    result = cli("render", "--help")
    assert result.exit_code == 0
    assert "例：" in result.stdout and "cdo render attachment2 --dept 市公安局" in result.stdout


def test_render_docx_bytes_open_in_python_docx(cli: Cli) -> None:
    from cdo_cli.forms import build_form
    from cdo_cli.policy_loading import Registry
    from cdo_cli.render import render_docx

    scheme = Registry().get("zhaoqing")
    data = render_docx(build_form(scheme, scheme.forms[0], None, None), dt.date(2024, 5, 1))
    assert docx.Document(io.BytesIO(data)).paragraphs[0].text == "附件"


# ---------------------------------------------------------------- printing right (issue 12)

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DAY = dt.date(2024, 5, 1)


def _part(path: str | Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def _form(
    sections: list[tuple[str, tuple[str, ...], tuple[str, ...], list[tuple[str, ...]]]],
    unit: str | None = "市工业和信息化局（市商务局）",
) -> Any:
    """A 附件2-like FilledForm with as many rows as a test needs (a roster allows one)."""
    from cdo_cli.forms import FilledForm, FilledRow, FilledSection

    return FilledForm(
        scheme="puning",
        form_id="attachment2",
        label="附件2",
        title="普宁市部门首席数据官和联系人报名表",
        title_lines=("普宁市部门首席数据官", "和联系人报名表"),
        unit=unit,
        sections=tuple(
            FilledSection(heading, header, fields, tuple(FilledRow(r) for r in rows))
            for heading, header, fields, rows in sections
        ),
        filled=True,
    )


def _long_form(rows: int) -> Any:
    cdo = ("单位", "姓名", "职务", "联系方式")
    contact = ("科室（股室）", "姓名", "职务", "联系方式")
    return _form([
        ("部门首席数据官", cdo, ("unit", "name", "title", "contact"),
         [("市工业和信息化局（市商务局）", "欧阳建国", "副局长", f"1380013800{i}\nu{i}@example.cn")
          for i in range(rows)]),
        ("工作联系人", contact, ("office", "name", "title", "contact"),
         [("科技信息化股", f"司马相如{i}", "科员", f"0663-123456{i}") for i in range(rows)]),
    ])  # fmt: skip


def _unit_list(rows: int) -> Any:
    """附件3 with ``rows`` rows of two units side by side."""
    from cdo_cli.forms import FilledForm, FilledRow, FilledSection

    cells = [(str(i), f"测试单位{i:02d}局", str(i + rows), f"测试单位{i + rows:02d}局")
             for i in range(1, rows + 1)]  # fmt: skip
    section = FilledSection(None, None, ("index", "unit", "index", "unit"),
                            tuple(FilledRow(c) for c in cells), kind="unit_list")  # fmt: skip
    return FilledForm("puning", "attachment3", "附件3", "普宁市有关单位名单",
                      ("普宁市有关单位名单",), None, (section,))  # fmt: skip


def _docx_bytes(form: Any) -> bytes:
    from cdo_cli.render import render_docx

    return render_docx(form, DAY)


def _grid_mm(table: Any) -> list[float]:
    grid = table._tbl.find(qn("w:tblGrid"))
    return [int(c.get(qn("w:w"))) * 25.4 / 1440 for c in grid]


def _em_mm(chars: float, size_pt: float = 14) -> float:
    return chars * size_pt * 25.4 / 72


def test_render_html_list_titles_hang_in_their_column(cli: Cli, write: Write) -> None:
    """A wrapped title goes on under the title, not under the names (as in Word)."""
    args = _args(["attachment", "-f", "html", "-o", "-"], "zhaoqing", write)
    html = cli("render", *args).stdout
    assert "p.line { margin: 0; padding-left: 2em; display: grid;" in html
    assert "grid-template-columns: minmax(7em, max-content) 1fr;" in html
    assert '<span class="col">王诗军</span><span class="last text">' in html


def test_render_zhaoqing_blank_lines_leave_room_for_a_long_title(cli: Cli) -> None:
    """A blank line's title runs to the right margin: an underlined tab to a right tab stop."""
    assert cli("render", "attachment", "-o", "blank.docx").exit_code == 0
    document = docx.Document("blank.docx")
    line = next(p for p in document.paragraphs if "\t市教育局" in p.text)
    tabs = line._p.pPr.find(qn("w:tabs"))
    stops = {(t.get(qn("w:val")), int(t.get(qn("w:pos")))) for t in tabs}
    assert ("right", round(156 * 1440 / 25.4)) in stops
    last = line._p.findall(qn("w:r"))[-1]
    assert last.find(qn("w:tab")) is not None
    assert last.find(qn("w:rPr") + "/" + qn("w:u")).get(qn("w:val")) == "single"
    html = cli("render", "attachment", "-f", "html", "-o", "-").stdout
    assert ".last .blank { flex: 1; min-width: 0; }" in html
    assert '<span class="last">市教育局<span class="blank"></span></span>' in html


@pytest.mark.parametrize(
    "unit", ["市公安局", "市国有资产管理中心", "市商务局", "揭阳市生态环境局普宁分局"]
)
def test_render_docx_columns_fit_their_content(cli: Cli, unit: str) -> None:
    """Columns within the 156 mm text width; four characters of name on one line; a unit's
    name whole, or broken only before its bracket (市工业和信息化局 / （市商务局）), also
    Puning's longest, twelve characters (blank, it printed as 揭阳市生态环境局普宁分/局)."""
    assert cli("render", "attachment2", "--dept", unit, "-o", "form.docx").exit_code == 0
    table = docx.Document("form.docx").tables[0]
    widths = _grid_mm(table)
    assert sum(widths) <= 156.05
    padding = 2 * 1.905
    assert widths[1] - padding >= _em_mm(4)  # 欧阳建国
    for column in (0, 1, 2, 3):
        assert widths[column] - padding >= _em_mm(len(table.rows[1].cells[column].text))
    cell = table.rows[2].cells[0].text
    for line in cell.split("\n"):
        assert widths[0] - padding >= _em_mm(len(line)), line
    if unit == "市商务局":
        assert cell == "市工业和信息化局\n（市商务局）"
    else:
        assert "\n" not in cell


def test_render_docx_columns_for_every_unit_stay_in_the_text_width(cli: Cli) -> None:
    from cdo_cli.docx_layout import column_widths_mm
    from cdo_cli.forms import build_form, form_units
    from cdo_cli.policy_loading import Registry
    from cdo_cli.render import blocks

    for scheme in Registry().usable()[0]:
        for form in scheme.forms:
            units = form_units(scheme, form) if form.per_unit else [None]
            for unit in units:
                for block in blocks(build_form(scheme, form, unit, None)):
                    if block.layout == "table":
                        widths = column_widths_mm(block.columns(), 156.0)
                        assert sum(widths) <= 156.0 + 1e-6
                        assert min(widths) > 5


def test_render_docx_four_character_names_do_not_wrap(cli: Cli) -> None:
    form = _form([("部门首席数据官", ("单位", "姓名", "职务", "联系方式"),
                   ("unit", "name", "title", "contact"),
                   [("市国有资产管理中心", "欧阳建国", "副主任", "13800138000\nouyang@example.cn")])])  # fmt: skip
    table = docx.Document(io.BytesIO(_docx_bytes(form))).tables[0]
    widths = _grid_mm(table)
    assert sum(widths) <= 156.05
    assert widths[1] - 2 * 1.905 >= _em_mm(4)
    assert table.rows[2].cells[1].text == "欧阳建国"


def test_render_docx_short_document_has_no_page_numbers(cli: Cli) -> None:
    assert cli("render", "attachment2", "--dept", "市公安局", "-o", "form.docx").exit_code == 0
    with zipfile.ZipFile("form.docx") as archive:
        assert not [n for n in archive.namelist() if "footer" in n]
    assert "footerReference" not in _part("form.docx", "word/document.xml")
    assert "evenAndOddHeaders" not in _part("form.docx", "word/settings.xml")


def test_render_docx_long_document_has_page_numbers(cli: Cli) -> None:
    """Zhaoqing's blank 名单 runs to two pages: — 1 — at the right of odd pages, one
    character in; — 2 — at the left of even pages; 4号宋体; 7 mm under the text."""
    assert cli("render", "attachment", "-o", "list.docx").exit_code == 0
    document = docx.Document("list.docx")
    section = document.sections[0]
    assert section.footer_distance is not None
    assert abs(section.footer_distance - Mm(35 - 7 - 14 * 25.4 / 72 / 2)) < Mm(0.1)
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align, side in [(section.footer, "right", "right"),
                                (section.even_page_footer, "left", "left")]:  # fmt: skip
        p = footer.paragraphs[0]._p
        assert p.pPr.find(qn("w:jc")).get(qn("w:val")) == align
        assert p.pPr.find(qn("w:ind")).get(qn(f"w:{side}")) == "280"  # one 4号 character
        assert "".join(t.text for t in p.iter(qn("w:t"))) == "— 1 —"
        assert [i.text for i in p.iter(qn("w:instrText"))] == [" PAGE "]
        fonts = p.find(qn("w:r") + "/" + qn("w:rPr") + "/" + qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "宋体" and fonts.get(qn("w:ascii")) == "宋体"
        size = p.find(qn("w:r") + "/" + qn("w:rPr") + "/" + qn("w:sz"))
        assert size.get(qn("w:val")) == "28"
    types = _part("list.docx", "[Content_Types].xml")
    assert types.count("wordprocessingml.footer+xml") == 2


def test_render_docx_long_table_repeats_its_header_rows() -> None:
    """A table that runs past the page is one table per section, each repeating its own
    heading and header rows; a short one stays one table and repeats nothing."""
    long = docx.Document(io.BytesIO(_docx_bytes(_long_form(8))))
    assert len(long.tables) == 2
    for table, heading in zip(long.tables, ["部门首席数据官", "工作联系人"], strict=True):
        flags = [row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
        assert flags == [True, True] + [False] * 8
        assert table.rows[0].cells[0].text == heading
    short = docx.Document(io.BytesIO(_docx_bytes(_long_form(1))))
    assert len(short.tables) == 1
    assert short.element.body.find(".//" + qn("w:tblHeader")) is None


def test_render_docx_long_table_reads_back(tmp_path: Path) -> None:
    """The two tables of a long form import as the one table they replace."""
    from cdo_cli.form_reading import read_docx
    from cdo_cli.policy_loading import Registry

    path = tmp_path / "附件2-市商务局.docx"
    path.write_bytes(_docx_bytes(_long_form(8)))
    result = read_docx(path, Registry())
    roles = [p.role for p in result.people]
    assert roles == ["dept_cdo"] * 8 + ["dept_contact"] * 8
    assert result.units == ["市工业和信息化局（市商务局）"]
    assert result.people[8].person["office"] == "科技信息化股"


def test_render_docx_unit_broken_at_its_bracket_reads_back(cli: Cli, write: Write) -> None:
    """The unit's name printed on two lines is imported as the one name it is."""
    from cdo_cli.form_reading import read_docx
    from cdo_cli.policy_loading import Registry

    roster = write("r.yaml", """
        scheme: puning
        units:
          市工业和信息化局（市商务局）:
            officers:
              dept_cdo: {name: 欧阳建国, title: 副局长, phone: "13800138000"}
        """)  # fmt: skip
    result = cli("render", "attachment2", "--dept", "市商务局", "-r", str(roster), "-o", "f.docx")
    assert result.exit_code == 0, result.output
    assert (
        docx.Document("f.docx").tables[0].rows[2].cells[0].text == "市工业和信息化局\n（市商务局）"
    )
    imported = read_docx(Path("f.docx"), Registry())
    assert imported.units == ["市工业和信息化局（市商务局）"]
    assert imported.people[0].person == {"name": "欧阳建国", "title": "副局长",
                                         "phone": "13800138000"}  # fmt: skip


def test_render_docx_ends_with_a_paragraph_too_small_to_push_a_page() -> None:
    """Word needs a paragraph after a table; the last one is 1 pt, so a table that ends
    at the bottom margin does not push it onto a blank second page."""
    document = docx.Document(io.BytesIO(_docx_bytes(_unit_list(22))))
    last = document.element.body.findall(qn("w:p"))[-1]
    spacing = last.pPr.find(qn("w:spacing"))
    assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("20", "exact")
    assert last.pPr.find(qn("w:rPr") + "/" + qn("w:sz")).get(qn("w:val")) == "2"
    assert last.getprevious().tag == qn("w:tbl")


def test_render_docx_properties_are_cdos_and_todays() -> None:
    """Created and modified today, by cdo, not Microsoft Macintosh Word in 2013; current
    compatibility mode (no 兼容模式); the custom properties import relies on are kept."""
    from cdo_cli import __version__

    document = docx.Document(io.BytesIO(_docx_bytes(_long_form(1))))
    core = document.core_properties
    # python-docx 1.1 reads the W3CDTF date as naive, 1.2 as UTC: the day is what counts.
    midnight = dt.datetime(2024, 5, 1)
    for stamp in (core.created, core.modified):
        assert stamp is not None and stamp.replace(tzinfo=None) == midnight
        assert stamp.tzinfo in (None, dt.timezone.utc)
    assert core.title == "附件2 普宁市部门首席数据官和联系人报名表"
    assert core.author == "" and core.last_modified_by == ""
    data = _docx_bytes(_long_form(1))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        app = archive.read("docProps/app.xml").decode("utf-8")
        settings = archive.read("word/settings.xml").decode("utf-8")
        everything = b"".join(archive.read(n) for n in archive.namelist())
    assert f"<Application>cdo {__version__}</Application>" in app
    assert b"Macintosh" not in everything and b"2013" not in everything
    assert (
        'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"'
        in settings
    )
    assert 'w:eastAsia="zh-CN"' in settings and "ja-JP" not in settings
    assert docx_properties.read_custom(document) == {
        "cdo.scheme": "puning", "cdo.form": "attachment2", "cdo.unit": "市工业和信息化局（市商务局）"
    }  # fmt: skip


def test_render_docx_from_the_cli_is_dated_today(cli: Cli) -> None:
    before = dt.date.today()
    assert cli("render", "attachment3", "-o", "list.docx").exit_code == 0
    after = dt.date.today()
    created = docx.Document("list.docx").core_properties.created
    assert created is not None and created.date() in (before, after)


def test_render_redact_says_so_in_name_and_message(cli: Cli, write: Write) -> None:
    args = _args(["attachment2", "--dept", "市公安局", "--redact"], "puning", write)
    result = cli("render", *args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("已生成 附件2-市公安局（公开版）.docx（按名册 ")
    assert result.stdout.endswith("puning.yaml 填写，公开版：电话、邮箱已隐去中间部分）\n")
    assert Path("附件2-市公安局（公开版）.docx").is_file()
    result = cli("render", "attachment2", "--all", "--redact", "-o", "out", "-f", "md",
                 "--roster", str(write("r2.yaml", PUNING_ROSTER)))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "公开版：电话、邮箱已隐去中间部分" in result.stdout
    names = sorted(p.name for p in Path("out").iterdir())
    assert names[0] == "附件2-01-市科技局（公开版）.md"
    assert all(n.endswith("（公开版）.md") for n in names)


def test_render_without_redact_names_no_public_copy(cli: Cli, write: Write) -> None:
    result = cli("render", *_args(["attachment2", "--dept", "市公安局"], "puning", write))
    assert "公开版" not in result.stdout
    assert Path("附件2-市公安局.docx").is_file()


def test_render_all_file_names_sort_in_unit_list_order(cli: Cli, tmp_path: Path) -> None:
    """Sorted by name, the files of --all are in 附件3's order, numbered as 附件3 numbers them."""
    from cdo_cli.forms import form_units
    from cdo_cli.policy_loading import Registry

    assert cli("render", "attachment2", "--all", "-o", "out", "-f", "md").exit_code == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    scheme = Registry().get("puning")
    units = [u.name for u in form_units(scheme, scheme.form("attachment2"))]
    assert names == [f"附件2-{i:02d}-{u}.md" for i, u in enumerate(units, 1)]
    listing = cli("render", "attachment3", "-f", "md", "-o", "-").stdout
    assert "| 5 | 市公安局 |" in listing and "附件2-05-市公安局.md" in names


def test_render_html_leaves_no_room_for_browser_headers(cli: Cli) -> None:
    """Page margins are 0 (browsers then print no header or footer; Chromium printed its
    page count in a 26 mm side margin); the GB/T 9704 margins are the padding of <main>
    on every page; a note on screen only."""
    html = cli("render", "attachment3", "-f", "html", "-o", "-").stdout
    assert "@page { size: A4; margin: 0; }" in html
    assert "main { padding: 37.0mm 26.0mm 35.0mm 28.0mm; box-decoration-break: clone;" in html
    assert "@media print {" in html and ".note { display: none; }" in html
    assert '<p class="note">' in html and "页眉和页脚" in html
    assert html.index('<p class="note">') < html.index("<main>") < html.index('<p class="label">')
