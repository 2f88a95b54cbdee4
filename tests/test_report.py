"""cdo report: the page and the Word annex, their errors, and hostile names in them.

Golden pages live in tests/golden/report/; regenerate them after an intended change with
``CDO_UPDATE_GOLDEN=1 python -m pytest tests/test_report.py``. The numbers on the page are
checked against validate and overdue in tests/test_report_browser.py (with and without
Chromium).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import docx
import pytest

from cdo_cli import __version__
from cdo_cli.policy_loading import Registry
from cdo_cli.report_data import ReportData, compute_report
from cdo_cli.report_docx import render_report_docx
from cdo_cli.report_html import render_report_html
from cdo_cli.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
ROSTERS = ROOT / "tests" / "data" / "report"
GOLDEN = ROOT / "tests" / "golden" / "report"
UPDATE = bool(os.environ.get("CDO_UPDATE_GOLDEN"))
CASES = [
    ("puning", "2023-12-20"),
    ("zhaoqing", "2022-04-25"),
    ("huizhou", "2023-04-20"),
    ("lingnan_pilot", "2022-03-01"),
]
SCHEMES = ROOT / "tests" / "schemes"
# The test schemes are not built in: cdo is told where they are.
OPTIONS = {"lingnan_pilot": ["--policies", str(SCHEMES)]}

Cli = Callable[..., Any]
Write = Callable[[str, str], Path]


def _roster(tmp_path: Path, scheme: str, name: str = "roster.yaml") -> Path:
    path = tmp_path / name
    shutil.copyfile(ROSTERS / f"{scheme}.yaml", path)
    return path


def _data(scheme: str, as_of: str, **options: Any) -> ReportData:
    ws = Workspace(Registry([SCHEMES] if scheme in OPTIONS else []))
    path = ROSTERS / f"{scheme}.yaml"
    return compute_report(
        [(ws.valid_roster(path), ws.check_roster(path).findings)],
        dt.date.fromisoformat(as_of),
        **options,
    )


# ---------------------------------------------------------------- the command


def test_report_writes_html_named_by_date(cli: Cli, tmp_path: Path) -> None:
    _roster(tmp_path, "puning")
    result = cli("report", "--as-of", "2023-12-20")
    assert result.exit_code == 0, result.output
    page = tmp_path / "工作情况报告-2023-12-20.html"
    assert page.is_file()
    assert result.stdout == (
        "已生成 工作情况报告-2023-12-20.html（普宁市，截至 2023-12-20："
        "职位完整 2/37 个单位，逾期未报送 70 项）\n"
    )
    text = page.read_text(encoding="utf-8")
    assert "普数改〔2023〕2号" in text and "2023年12月20日" in text


def test_report_docx_by_format_or_suffix(cli: Cli, tmp_path: Path) -> None:
    _roster(tmp_path, "zhaoqing")
    assert cli("report", "--as-of", "2022-04-25", "--format", "docx").exit_code == 0
    assert (tmp_path / "工作情况报告-2022-04-25.docx").is_file()
    assert cli("report", "--as-of", "2022-04-25", "-o", "年度/附件.docx").exit_code == 0
    assert (tmp_path / "年度" / "附件.docx").is_file()
    assert cli("report", "--as-of", "2022-04-25", "-o", "页/").exit_code == 0
    assert (tmp_path / "页" / "工作情况报告-2022-04-25.html").is_file()


def test_report_html_to_stdout(cli: Cli, tmp_path: Path) -> None:
    _roster(tmp_path, "huizhou")
    result = cli("report", "--as-of", "2023-04-20", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert list(tmp_path.glob("工作情况报告*")) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "不支持的格式“pdf”"),
        (
            ["--format", "docx", "-o", "报告.html"],
            "-o 报告.html 是 html 文件名，与 --format docx 不符",
        ),
        (["-o", "报告.pdf"], "-o 报告.pdf 的扩展名“.pdf”不是可生成的格式"),
        (["-o", "报告"], "-o 报告 没有扩展名"),
        (["--format", "docx", "-o", "-"], "docx 不能输出到标准输出"),
        (["--as-of", "2023-02-30"], "日期无效：2023-02-30"),
        (["--as-of", "2300-01-01"], "--as-of 超出范围"),
    ],
)
def test_report_usage_errors(cli: Cli, tmp_path: Path, args: list[str], message: str) -> None:
    _roster(tmp_path, "puning")
    result = cli("report", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["roster.yaml"]


def test_report_refuses_to_overwrite(cli: Cli, tmp_path: Path) -> None:
    _roster(tmp_path, "puning")
    (tmp_path / "报告.html").write_text("旧的", encoding="utf-8")
    result = cli("report", "--as-of", "2023-12-20", "-o", "报告.html")
    assert result.exit_code == 2
    assert "已存在" in result.stderr and "--force" in result.stderr
    assert (tmp_path / "报告.html").read_text(encoding="utf-8") == "旧的"
    assert cli("report", "--as-of", "2023-12-20", "-o", "报告.html", "--force").exit_code == 0
    assert (tmp_path / "报告.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_without_a_roster(cli: Cli) -> None:
    result = cli("report", "--as-of", "2023-12-20")
    assert result.exit_code == 2
    assert "没有名册：当前文件夹没有 roster.yaml" in result.stderr
    assert "cdo init" in result.stderr


def test_report_unreadable_roster(cli: Cli, tmp_path: Path) -> None:
    result = cli("report", "缺少.yaml", "--as-of", "2023-12-20")
    assert result.exit_code == 2
    assert "缺少.yaml" in result.stderr and "不存在" in result.stderr
    (tmp_path / "名册").mkdir()
    folder = cli("report", "名册", "--as-of", "2023-12-20")
    assert folder.exit_code == 2 and "Traceback" not in folder.output
    assert list(tmp_path.glob("工作情况报告*")) == []


def test_report_invalid_roster_exits_1(cli: Cli, write: Write, tmp_path: Path) -> None:
    write("roster.yaml", "scheme: puning\nunits:\n  市公安厅: {}\n")
    result = cli("report", "--as-of", "2023-12-20")
    assert result.exit_code == 1
    assert "名册有错误，请先改正" in result.stderr and "是否应为：市公安局？" in result.stderr
    assert list(tmp_path.glob("工作情况报告*")) == []


def test_report_rosters_of_two_schemes(cli: Cli, tmp_path: Path) -> None:
    _roster(tmp_path, "puning", "a.yaml")
    _roster(tmp_path, "zhaoqing", "b.yaml")
    result = cli("report", "a.yaml", "b.yaml", "--as-of", "2023-12-20")
    assert result.exit_code == 2
    assert "名册 b.yaml 属于方案 zhaoqing（肇庆市），与 a.yaml 的方案 puning（普宁市）不同" in (
        result.stderr
    )


def test_report_unit_in_two_rosters(cli: Cli, write: Write) -> None:
    """As cdo validate says: one unit in two rosters of a scheme is a duplicate (exit 1)."""
    write("a.yaml", "scheme: puning\nunits:\n  市公安局: {}\n")
    write("b.yaml", "scheme: puning\nunits:\n  市公安局: {}\n")
    result = cli("report", "a.yaml", "b.yaml", "--as-of", "2023-12-20")
    assert result.exit_code == 1
    assert "“市公安局”已在名册 a.yaml 中列出" in result.stderr


def test_report_same_roster_twice_is_one(cli: Cli, tmp_path: Path) -> None:
    _roster(tmp_path, "puning")
    twice = ["roster.yaml", "./roster.yaml", str(tmp_path / "roster.yaml")]
    result = cli("report", *twice, "--as-of", "2023-12-20", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.count('class="roster"') == 1


def test_report_several_rosters_of_one_scheme(cli: Cli, write: Write) -> None:
    """Departments in one file, the government in another (or both in a folder): one
    report, with the numbers validate and overdue give on the two files together."""
    from test_report_browser import compare, expected_numbers, page_numbers

    text = (ROSTERS / "puning.yaml").read_text(encoding="utf-8")
    head, rest = text.split("  市公安局:", 1)
    write("名册/government.yaml", head)
    write("名册/departments.yaml", "scheme: puning\nunits:\n  市公安局:" + rest)
    files = ["名册/departments.yaml", "名册/government.yaml"]
    result = cli("report", *files, "--as-of", "2023-12-20", "-o", "-")
    assert result.exit_code == 0, result.output
    page = page_numbers(result.stdout)
    compare(page, expected_numbers(cli, [Path(f) for f in files], "2023-12-20"), "2023-12-20")
    # the same as the single roster they were cut from
    whole = cli("report", str(ROSTERS / "puning.yaml"), "--as-of", "2023-12-20", "-o", "-")
    assert page["main"] == page_numbers(whole.stdout)["main"]
    folder = cli("report", "名册", "--as-of", "2023-12-20", "-o", "-")
    assert page_numbers(folder.stdout)["main"] == page["main"]
    assert [r["data-name"] for r in page_numbers(folder.stdout)["rosters"]] == sorted(files)
    one = cli("report", "--as-of", "2023-12-20", "-o", "-", files[0])
    assert page_numbers(one.stdout)["main"] != page["main"]


def test_report_help_has_examples_and_imports_nothing_heavy(cli: Cli) -> None:
    result = cli("report", "--help")
    assert result.exit_code == 0
    assert "例：" in result.stdout and "cdo report --as-of 2023-11-01" in result.stdout
    code = (
        "import sys\nsys.argv = ['cdo', 'report', '--help']\n"
        "from cdo_cli.cli import app as main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('cdo_cli.report')"
        " or m in ('jinja2', 'docx', 'pydantic')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", cwd=ROOT
    )
    assert done.stdout.strip().endswith("[]"), done.stdout + done.stderr


# ---------------------------------------------------------------- the page


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.is_file(), f"no golden file {path}; run with CDO_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize(("scheme", "as_of"), CASES)
def test_report_golden_html(cli: Cli, tmp_path: Path, scheme: str, as_of: str) -> None:
    """The whole page for a fixed date; only cdo's version number is normalised."""
    _roster(tmp_path, scheme)
    result = cli(*OPTIONS.get(scheme, []), "report", "--as-of", as_of, "-o", "-")
    assert result.exit_code == 0, result.output
    _golden(f"{scheme}.html", result.stdout.replace(f"cdo {__version__}", "cdo VERSION"))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.update(k for k, _ in attrs)


def test_report_page_is_self_contained(cli: Cli, tmp_path: Path) -> None:
    """No script, no link, nothing loaded: styles inline, charts as inline SVG, and a
    policy that forbids loading or running anything."""
    _roster(tmp_path, "huizhou")
    page = cli("report", "--as-of", "2023-04-20", "-o", "-").stdout
    tags = _Tags()
    tags.feed(page)
    assert tags.tags.isdisjoint({"script", "link", "img", "iframe", "object", "embed", "image"})
    assert not any(a.startswith("on") or a in ("src", "href") for a in tags.attrs)
    assert "default-src 'none'" in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page
    assert "@page { size: A4;" in page
    assert '"Microsoft YaHei"' in page and "SimSun" in page and '"Noto Sans CJK SC"' in page


def test_report_shows_assumed_dates_and_owners(cli: Cli, tmp_path: Path) -> None:
    """Huizhou's yearly debriefs have an assumed date, Zhaoqing's pilot duties an assumed
    owner: the page says （推定） as overdue does, and why."""
    _roster(tmp_path, "huizhou")
    page = cli("report", "--as-of", "2023-04-20", "-o", "-").stdout
    assert "2022-12-31（推定）" in page
    assert "期限为推定。文件只写“每年”向市首席数据官述职" in page
    assert "做好试点工作评估和先进经验推广（承担单位推定）" in page
    overdue = cli("overdue", "--as-of", "2023-04-20", "--format", "json").stdout
    assert '"assumed": true' in overdue
    _roster(tmp_path, "zhaoqing")
    page = cli("report", "--as-of", "2022-04-25", "-o", "-").stdout
    assert "推动公共数据开发利用示范试点建设（承担单位推定）" in page
    assert "承担单位为推定。由各试点单位承担（理由：" in page


def test_report_shows_assumed_recipients() -> None:
    """No built-in scheme assumes to whom a duty goes; where one does, the lists say so."""
    data = _data("puning", "2023-12-20")
    data = dataclasses.replace(
        data, overdue=[dataclasses.replace(r, recipient_assumed=True) for r in data.overdue]
    )
    page = render_report_html(data)
    assert '揭阳市政务服务数据管理局<span class="assumed">（推定）</span>' in page
    document = docx.Document(io.BytesIO(render_report_docx(data, dt.date(2024, 1, 2))))
    [late] = [t for t in document.tables if "逾期天数" in [c.text for c in t.rows[0].cells]]
    assert late.rows[1].cells[5].text == "揭阳市政务服务数据管理局（推定）"


def test_report_escapes_hostile_names(cli: Cli, tmp_path: Path) -> None:
    """A scheme whose unit names are markup, and a person named like an image tag: the
    page shows them as text and has no element or attribute they could have made."""
    policies = tmp_path / "方案"
    policies.mkdir()
    scheme = (ROOT / "policies" / "puning.yaml").read_text(encoding="utf-8")
    scheme = scheme.replace("市科技局", "<script>alert(1)</script>局")
    scheme = scheme.replace("市教育局", '"A&B\\"\'</text><svg onload=alert(1)>局"')
    (policies / "puning.yaml").write_text(scheme, encoding="utf-8")
    (tmp_path / "roster.yaml").write_text(
        "scheme: puning\nunits:\n"
        "  <script>alert(1)</script>局:\n"
        '    officers: {dept_cdo: {name: "<img src=x onerror=alert(1)>", title: 副局长}}\n'
        '  "A&B\\"\'</text><svg onload=alert(1)>局":\n'
        "    filings: [{obligation: dept_contact_form, date: 2023-10-28}]\n",
        encoding="utf-8",
    )
    result = cli("--policies", str(policies), "report", "--as-of", "2023-11-01", "-o", "-")
    assert result.exit_code == 0, result.output
    page = result.stdout
    tags = _Tags()
    tags.feed(page)
    assert "script" not in tags.tags and "img" not in tags.tags
    assert not any(a.startswith("on") for a in tags.attrs)
    assert page.count("<svg") == 4
    assert "&lt;script&gt;alert(1)&lt;/script&gt;局" in page
    assert "A&amp;B&#34;&#39;&lt;/text&gt;&lt;svg onload=alert(1)&gt;局" in page
    assert "</text><svg onload" not in page and "<script>" not in page


def _hostile(data: ReportData) -> ReportData:
    """Every name with an escape sequence, a NUL, a bidi override and markup in it."""
    bad = "\x1b[31m<b>\x00\u202e"
    return dataclasses.replace(
        data,
        city=data.city + bad,
        rosters=[dataclasses.replace(r, name=r.name + bad) for r in data.rosters],
        by_unit=[dataclasses.replace(u, unit=u.unit + bad) for u in data.by_unit],
        deadlines=[dataclasses.replace(d, title=d.title + bad) for d in data.deadlines],
        overdue=[dataclasses.replace(r, unit=r.unit + bad) for r in data.overdue],
        missing={
            k: [dataclasses.replace(m, unit=m.unit + bad, roles=(bad,)) for m in v]
            for k, v in data.missing.items()
        },
        assumptions=[bad],
    )


def test_report_control_characters_made_visible() -> None:
    """Control characters never reach the page or the Word file: shown as \\x1b."""
    data = _hostile(_data("puning", "2023-12-20"))
    page = render_report_html(data)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202e]", page)
    assert "\\x1b[31m&lt;b&gt;\\x00\\u202e" in page
    blob = render_report_docx(data, dt.date(2024, 1, 2))
    document = docx.Document(io.BytesIO(blob))
    texts = [p.text for p in document.paragraphs] + [
        c.text for t in document.tables for row in t.rows for c in row.cells
    ]
    assert any("\\x1b[31m<b>\\x00\\u202e" in t for t in texts)
    assert not any(re.search(r"[\x00-\x08\x0b-\x1f\u202e]", t) for t in texts)


# ---------------------------------------------------------------- the Word file


def _cells(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_report_docx_content(cli: Cli, tmp_path: Path) -> None:
    """The same figures as the page, as tables, laid out like the forms (GB/T 9704)."""
    _roster(tmp_path, "huizhou")
    assert cli("report", "--as-of", "2023-04-20", "-o", "附件.docx").exit_code == 0
    document = docx.Document(str(tmp_path / "附件.docx"))
    section = document.sections[0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    sizes = [section.page_width, section.page_height, *margins]
    assert [round(m.mm) for m in sizes] == [210, 297, 37, 35, 28, 26]  # A4, GB/T 9704
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "附件"
    assert paragraphs[1] == "惠州市首席数据官制度工作情况报告"
    assert document.paragraphs[1].style.name == "附件标题"
    assert "（截至2023年4月20日）" in paragraphs
    intro = next(p for p in paragraphs if p.startswith("依据"))
    assert "惠府办函〔2022〕56号" in intro and "逾期未报送事项 45 项，涉及 13 个单位" in intro
    assert "名册检查：roster.yaml 0 个错误、13 个警告" in intro
    assert {
        "一、任职情况", "二、报送情况", "三、待办清单", "四、首席数据官履职情况评价（2022年度）",
        "五、说明",
    } <= set(paragraphs)  # fmt: skip

    data = _data("huizhou", "2023-04-20")
    coverage, deadlines, units, undated, late, soon, *missing, _ranking = document.tables
    assert _cells(undated)[1] == [
        "试点部门“一官两员”人员名单报市政务服务数据管理局备案", "市政务服务数据管理局", "0", "10"
    ]  # fmt: skip
    assert _cells(coverage)[0] == ["单位类别", "完整", "不完整", "缺失", "合计"]
    assert _cells(coverage)[1:-1] == [
        [c.kind, str(c.complete), str(c.incomplete), str(c.missing), str(c.total)]
        for c in data.coverage
    ]
    assert _cells(coverage)[-1] == ["合计", "2", "3", "9", "14"]
    assert len(_cells(deadlines)) == 1 + len(data.deadlines)
    assert ["试点县（区）首席数据官每年向市首席数据官述职（2022年度）", "2022-12-31\n（推定）",
            "0", "0", "3", "0", "0"] in _cells(deadlines)  # fmt: skip
    assert _cells(units)[1] == ["市委政法委", "4", "232"]
    assert len(_cells(late)) == 1 + 45 and len(_cells(soon)) == 1 + 14
    assert _cells(late)[1][:5] == ["1", "市委政法委", "试点县（区）、部门设立首席数据官",
                                   "2022-08-31", "232"]  # fmt: skip
    assert len(missing) == 2  # officers, and the support posts (数据专员, 政务专员)
    header = late.rows[0]._tr.trPr
    assert header is not None and header.find(docx.oxml.ns.qn("w:tblHeader")) is not None
    assert document.core_properties.title == "惠州市首席数据官制度工作情况报告（截至 2023-04-20）"
    # Finished as the forms are: page numbers (GB/T 9704 7.5), made today, by cdo.
    assert section.footer.paragraphs[0].text == "— 1 —"
    assert section.even_page_footer.paragraphs[0].text == "— 1 —"
    assert document.core_properties.created.date() == dt.date.today()
    assert document.settings.odd_and_even_pages_header_footer


def test_report_docx_without_overdue(cli: Cli, write: Write, tmp_path: Path) -> None:
    """A day before any deadline: sentences instead of empty tables."""
    write("roster.yaml", "scheme: puning\nunits:\n  市公安局: {}\n")
    assert cli("report", "--as-of", "2023-10-19", "-f", "docx", "-o", "r.docx").exit_code == 0
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs]
    assert "截至2023年10月19日没有逾期未报送的事项。" in paragraphs
    assert "没有逾期未报送的事项。" in paragraphs
    page = cli("report", "--as-of", "2023-10-19", "-o", "-").stdout
    assert "截至 2023-10-19 没有逾期事项。" in page and "没有逾期未报送的事项。" in page


def test_report_readme_output_is_real(cli: Cli, tmp_path: Path) -> None:
    """The README's example is this test roster's output, word for word."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    _roster(tmp_path, "puning")
    for args in (["--as-of", "2023-12-20"], ["--as-of", "2023-12-20", "--format", "docx"]):
        result = cli("report", *args)
        assert result.exit_code == 0
        assert f"$ cdo report {' '.join(args)}\n{result.stdout}" in readme


def test_report_charts_with_nothing_to_draw() -> None:
    """A scheme with no dated duty and no unit that must appoint anyone still makes a page."""
    data = dataclasses.replace(
        _data("puning", "2023-12-20"), coverage=[], by_unit=[], deadlines=[], overdue=[],
        due_soon=[], missing={}, categories=[], assumptions=[],
    )  # fmt: skip
    page = render_report_html(data)
    assert "本方案没有必设职位的单位。" in page
    assert "截至 2023-12-20 没有逾期事项。" in page
    assert page.count("本方案没有规定日期的事项。") == 2
    assert 'data-as-of="2023-12-20"' in page
    assert render_report_docx(data, dt.date(2024, 1, 2)).startswith(b"PK")


# ---------------------------------------------------------------- the evaluation's ranking

WEIGHTS = """\
provided_by: 惠州市政务服务数据管理局
weights:
  数字政府建设: 20
  智慧城市建设: 15
  “一网统管”工作: 15
  信息化项目建设: 15
  数据综合管理: 15
  重点工作部署: 10
  日常管理: 10
"""


def _scores(year: int, **by_unit: str) -> str:
    """Roster lines for units with one evaluation record each (scores as written)."""
    dims = ["数字政府建设", "智慧城市建设", "“一网统管”工作", "信息化项目建设", "数据综合管理",
            "重点工作部署", "日常管理"]  # fmt: skip
    out = ""
    for unit, values in by_unit.items():
        scores = ", ".join(f"{d}: {v}" for d, v in zip(dims, values.split(), strict=False))
        out += (
            f"  {unit}:\n    evaluations:\n"
            f"      - {{evaluation: pilot_cdo_evaluation, year: {year}, scores: {{{scores}}}}}\n"
        )
    return out


def test_report_ranks_the_evaluation(cli: Cli, tmp_path: Path) -> None:
    """Huizhou's roster has the 2022 scores: ranked as cdo evaluation rank ranks them
    (plain sum, said to be assumed; the tie shares second place), on the page and in
    Word, where the ranking is the section after the lists."""
    from test_report_browser import compare_ranking, page_numbers

    _roster(tmp_path, "huizhou")
    page = cli("report", "--as-of", "2023-04-20", "-o", "-").stdout
    assert "<h2>五、首席数据官履职情况评价（2022年度）</h2>" in page
    assert "文件未规定权重，按各项得分之和排序（推定）。" in page
    assert page.count(">未评价</td>") == 9
    rank = cli("evaluation", "rank", "--format", "json")
    assert rank.exit_code == 0, rank.output
    compare_ranking(page_numbers(page), json.loads(rank.stdout))

    assert cli("report", "--as-of", "2023-04-20", "-o", "附件.docx").exit_code == 0
    document = docx.Document(str(tmp_path / "附件.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    assert "四、首席数据官履职情况评价（2022年度）" in paragraphs
    assert any("文件未规定权重，按各项得分之和排序（推定）。" in p for p in paragraphs)
    assert "注：得分相同的并列同一名次（第 2 名）。" in paragraphs
    ranking = _cells(document.tables[-1])
    assert ranking[0][:3] == ["排名", "单位", "姓名"] and ranking[0][-1] == "合计"
    assert ranking[1] == ["1", "市自然资源局", "吴敏", "18", "14", "13", "12", "15", "9", "9", "90"]
    assert ranking[2][3] == "17.5" and [r[0] for r in ranking[1:5]] == ["1", "2", "2", "4"]
    # an officer not evaluated: one cell across the scores and the total
    assert ranking[5][:3] == ["—", "市委政法委", "—"] and set(ranking[5][3:]) == {"未评价"}


def test_report_ranks_with_the_bureaus_weights(cli: Cli, write: Write, tmp_path: Path) -> None:
    """--weights as for cdo render 评价表 and cdo evaluation rank: the weighted total,
    who supplied the weights, and the same ranking as rank's (no tie any more)."""
    from test_report_browser import compare_ranking, page_numbers

    _roster(tmp_path, "huizhou")
    write("权重.yaml", WEIGHTS)
    result = cli("report", "--as-of", "2023-04-20", "--weights", "权重.yaml", "-o", "-")
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert "<strong>权重由惠州市政务服务数据管理局提供</strong>：数字政府建设 20、" in page
    assert "按各项得分之和" not in page and "<th>加权合计</th>" in page
    assert 'data-weighted="true"' in page
    rank = cli("evaluation", "rank", "--weights", "权重.yaml", "--format", "json")
    compare_ranking(page_numbers(page), json.loads(rank.stdout))
    args = ["report", "--as-of", "2023-04-20", "--weights", "权重.yaml", "-o", "r.docx"]
    assert cli(*args).exit_code == 0
    document = docx.Document(str(tmp_path / "r.docx"))
    assert any("权重由惠州市政务服务数据管理局提供：数字政府建设 20、" in p.text
               for p in document.paragraphs)  # fmt: skip
    ranking = _cells(document.tables[-1])
    assert ranking[0][-1] == "加权合计"
    assert [(r[0], r[1], r[-1]) for r in ranking[1:5]] == [
        ("1", "市自然资源局", "1350"), ("2", "市公安局", "1280"), ("3", "惠城区", "1270"),
        ("4", "博罗县", "1150"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        (None, "缺少.yaml：文件不存在"),
        ("provided_by: 某局\nweights: {数字政府建设: 20}\n", "缺少智慧城市建设、"),
        (WEIGHTS.replace("provided_by: 惠州市政务服务数据管理局\n", ""), "没有写明权重由谁提供"),
        (WEIGHTS.replace("日常管理: 10", "日常考核: 10"), "“日常考核”不是“首席数据官履职情况评价”的评价内容"),
    ],
)  # fmt: skip
def test_report_bad_weights(
    cli: Cli, write: Write, tmp_path: Path, weights: str | None, message: str
) -> None:
    """A weights file that cannot be used stops the report (exit 2), as it stops render."""
    _roster(tmp_path, "huizhou")
    if weights is not None:
        write("缺少.yaml", weights)
    result = cli("report", "--as-of", "2023-04-20", "--weights", "缺少.yaml")
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output
    assert list(tmp_path.glob("工作情况报告*")) == []


def test_report_evaluation_year(cli: Cli, write: Write) -> None:
    """By default the latest year with scores not after the day of the report; --year
    picks one, and says so when it has none."""
    write(
        "roster.yaml",
        "scheme: huizhou\nunits:\n"
        + _scores(2022, 惠城区="10 10 10 10 10 10 10", 博罗县="9 9 9 9 9 9 9")
        + _scores(2024, 仲恺高新区="1 1 1 1 1 1 1"),
    )
    page = cli("report", "--as-of", "2023-04-20", "-o", "-").stdout
    assert "首席数据官履职情况评价（2022年度）</h2>" in page
    assert 'data-unit="惠城区" data-name="" data-rank="1" data-total="70"' in page
    later = cli("report", "--as-of", "2025-01-02", "-o", "-").stdout
    assert "首席数据官履职情况评价（2024年度）</h2>" in later
    chosen = cli("report", "--as-of", "2025-01-02", "--year", "2022年", "-o", "-").stdout
    assert "首席数据官履职情况评价（2022年度）</h2>" in chosen
    none = cli("report", "--as-of", "2025-01-02", "--year", "2023", "-o", "-").stdout
    assert "首席数据官履职情况评价（2023年度）</h2>" in none
    assert "名册中没有2023年度首席数据官履职情况评价的评分记录。" in none
    assert 'data-ranked="0"' in none and '<table class="evaluation">' not in none
    write("later.yaml", "scheme: huizhou\nunits:\n" + _scores(2024, 惠城区="1 1 1 1 1 1 1"))
    early = cli("report", "later.yaml", "--as-of", "2023-04-20", "-o", "-").stdout
    assert (
        "名册中没有首席数据官履职情况评价的评分记录（2024 年度的评分晚于统计日，未列入）。" in early
    )
    bad = cli("report", "--as-of", "2023-04-20", "--year", "去年")
    assert bad.exit_code == 2 and "年度无效：去年" in bad.stderr


def test_report_without_scores_says_how_to_import(cli: Cli, write: Write, tmp_path: Path) -> None:
    """No scores yet: one line, with the command that reads the filled sheets."""
    write("roster.yaml", "scheme: huizhou\nunits:\n  惠城区: {}\n")
    page = cli("report", "--as-of", "2023-04-20", "-o", "-").stdout
    line = (
        "名册中没有首席数据官履职情况评价的评分记录。"
        "评价表填写后，用 cdo import 评价表/*.docx --write 导入得分，再生成报告。"
    )
    assert "<h2>五、首席数据官履职情况评价</h2>" in page and line in page
    assert page.count("<svg") == 4  # no chart of nobody
    assert cli("report", "--as-of", "2023-04-20", "-o", "r.docx").exit_code == 0
    paragraphs = [p.text for p in docx.Document(str(tmp_path / "r.docx")).paragraphs]
    assert "四、首席数据官履职情况评价" in paragraphs and line in paragraphs


def test_report_schemes_without_evaluation(cli: Cli, write: Write, tmp_path: Path) -> None:
    """No section where the scheme evaluates nobody; --year and --weights are refused."""
    _roster(tmp_path, "puning")
    page = cli("report", "--as-of", "2023-12-20", "-o", "-").stdout
    assert 'class="evaluation"' not in page and "履职情况评价" not in page
    write("权重.yaml", WEIGHTS)
    for option in (["--year", "2023"], ["--weights", "权重.yaml"]):
        result = cli("report", "--as-of", "2023-12-20", *option)
        assert result.exit_code == 2
        assert f"普宁市方案（puning）没有规定对首席数据官的评价，{option[0]} 无从使用" in (
            result.stderr
        )
    assert list(tmp_path.glob("工作情况报告*")) == []


def test_report_ranks_rosters_together(cli: Cli, write: Write) -> None:
    """Scores in two rosters of one scheme are ranked together, as one list."""
    write("县区.yaml", "scheme: huizhou\nunits:\n" + _scores(2022, 惠城区="5 5 5 5 5 5 5"))
    write("部门.yaml", "scheme: huizhou\nunits:\n" + _scores(2022, 市公安局="6 6 6 6 6 6 6"))
    page = cli("report", "县区.yaml", "部门.yaml", "--as-of", "2023-04-20", "-o", "-").stdout
    assert 'data-unit="市公安局" data-name="" data-rank="1" data-total="42"' in page
    assert 'data-unit="惠城区" data-name="" data-rank="2" data-total="35"' in page


# ---------------------------------------------------------------- by parent, and minimums


def _lingnan(cli: Cli, *args: str) -> Any:
    return cli(*OPTIONS["lingnan_pilot"], *args)


def test_report_rolls_up_by_parent(cli: Cli, tmp_path: Path) -> None:
    """The test scheme's units name their cities: completeness per city is validate's
    summary_by_parent, overdue duties are counted for the city and the units under it,
    and the minimum counts not met are in the lists."""
    from test_report_browser import compare, expected_numbers, page_numbers

    _roster(tmp_path, "lingnan_pilot")
    page = _lingnan(cli, "report", "--as-of", "2022-03-01", "-o", "-").stdout
    numbers = page_numbers(page)
    expected = expected_numbers(cli, [Path("roster.yaml")], "2022-03-01", OPTIONS["lingnan_pilot"])
    compare(numbers, expected, "2022-03-01")
    assert [(r["data-parent"], r["data-overdue-own"]) for r in numbers["parents"]] == [
        ("青溪市", "0"), ("白沙市", "1"),
    ]  # fmt: skip
    assert "<h2>三、按上级单位汇总</h2>" in page and "<h2>五、待办清单</h2>" in page
    assert "（四）所选单位少于文件要求的数量（3 项）" in page
    assert len(numbers["minimums"]) == 3

    assert _lingnan(cli, "report", "--as-of", "2022-03-01", "-o", "r.docx").exit_code == 0
    document = docx.Document(str(tmp_path / "r.docx"))
    paragraphs = [p.text for p in document.paragraphs]
    assert {"三、按上级单位汇总", "四、待办清单"} <= set(paragraphs)
    assert "（四）所选单位少于文件要求的数量（3 项）" in paragraphs
    tables = [_cells(t) for t in document.tables]
    parents = next(t for t in tables if t[0][0] == "上级单位")
    assert parents[1:] == [
        ["青溪市", "5", "2", "0", "7", "0", "0"], ["白沙市", "2", "1", "0", "3", "1", "0"],
    ]  # fmt: skip
    minimums = tables[-1]
    assert minimums[0] == ["序号", "情况", "依据"]  # one roster: no column for the file
    assert [r[1] for r in minimums[1:]] == [m["data-message"] for m in numbers["minimums"]]


def test_report_rolls_up_several_rosters(cli: Cli, write: Write) -> None:
    """One roster per city, or their folder: the same roll-up as validate's on them."""
    from test_report_browser import compare, expected_numbers, page_numbers

    text = (ROSTERS / "lingnan_pilot.yaml").read_text(encoding="utf-8")
    head, rest = text.split("  白沙市: {}\n", 1)
    write("名册/青溪市.yaml", head)
    write("名册/白沙市.yaml", "scheme: lingnan_pilot\nunits:\n  白沙市: {}\n" + rest)
    files = ["名册/白沙市.yaml", "名册/青溪市.yaml"]
    page = _lingnan(cli, "report", "名册", "--as-of", "2022-03-01", "-o", "-").stdout
    numbers = page_numbers(page)
    expected = expected_numbers(
        cli, [Path(f) for f in files], "2022-03-01", OPTIONS["lingnan_pilot"]
    )
    compare(numbers, expected, "2022-03-01")
    whole = page_numbers(_lingnan(cli, "report", str(ROSTERS / "lingnan_pilot.yaml"),
                                  "--as-of", "2022-03-01", "-o", "-").stdout)  # fmt: skip
    assert numbers["parents"] == whole["parents"]
    assert {m["data-file"] for m in numbers["minimums"]} == set(files)
    assert "<th>名册</th></tr></thead>" in page  # several rosters: which one to correct


def test_report_minimums_all_met(cli: Cli, write: Write) -> None:
    """A scheme with minimums, all met: the list says so instead of a table."""
    text = (ROSTERS / "lingnan_pilot.yaml").read_text(encoding="utf-8")
    head = text.split("  白沙市: {}\n", 1)[0]
    extra = "  北岭县: {}\n  青溪市交通运输局: {}\n"
    write("roster.yaml", head + extra)
    page = _lingnan(cli, "report", "--as-of", "2022-03-01", "-o", "-").stdout
    assert "所选单位少于文件要求的数量（0 项）" in page
    assert "所选单位的数量均达到文件要求。" in page


def test_report_parent_named_by_alias() -> None:
    """Units may name their parent by an alias: the parent is the unit it names."""
    data = _data("lingnan_pilot", "2022-03-01")
    assert [p.parent for p in data.parents] == ["青溪市", "白沙市"]
    assert data.parents[0].total == 7 and data.parents[1].overdue_own == 1


def test_report_hostile_names_in_ranking_and_roll_up() -> None:
    """Names in the ranking, the roll-up and the minimums: control characters shown as
    \\x1b, markup as text, on the page (table and chart) and in the Word file."""
    bad = "\x1b[31m<b>\x00\u202e"
    data = _data("huizhou", "2023-04-20")
    [evaluation] = data.evaluations
    assert evaluation.ranking is not None
    rows = tuple(
        dataclasses.replace(r, unit=r.unit + bad, name=r.name + bad)
        for r in evaluation.ranking.rows
    )
    ranking = dataclasses.replace(evaluation.ranking, rows=rows, weights_by=bad)
    lingnan = _data("lingnan_pilot", "2022-03-01")
    data = dataclasses.replace(
        data,
        evaluations=[dataclasses.replace(evaluation, ranking=ranking, evaluator=bad)],
        parents=[dataclasses.replace(p, parent=p.parent + bad) for p in lingnan.parents],
        minimums=[dataclasses.replace(m, message=m.message + bad) for m in lingnan.minimums],
        has_minimums=True,
    )
    page = render_report_html(data)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202e]", page)
    assert "市自然资源局\\x1b[31m&lt;b&gt;\\x00\\u202e" in page
    assert "<b>" not in page
    tags = _Tags()
    tags.feed(page)
    assert "b" not in tags.tags
    document = docx.Document(io.BytesIO(render_report_docx(data, dt.date(2024, 1, 2))))
    texts = [p.text for p in document.paragraphs] + [
        c.text for t in document.tables for row in t.rows for c in row.cells
    ]
    assert any(t.startswith("市自然资源局\\x1b[31m<b>\\x00\\u202e") for t in texts)
    assert any(t.startswith("青溪市\\x1b[31m<b>") for t in texts)
    assert not any(re.search(r"[\x00-\x08\x0b-\x1f\u202e]", t) for t in texts)


def test_report_lists_and_charts_are_cut_for_a_meeting(monkeypatch: pytest.MonkeyPatch) -> None:
    """At the far end of the calendar a scheme has thousands of overdue items and hundreds
    of deadlines: the page lists the longest overdue and draws the nearest deadlines, says
    how many there are in all and where the full list is, and stays small."""
    from cdo_cli import report_data

    full = _data("puning", "2200-12-31")
    assert full.overdue_count > len(full.overdue) == report_data.LIST_SHOWN
    assert full.overdue_count == full.totals["overdue"]
    assert full.units_overdue == len({r.unit for r in full.overdue}) == 38  # every unit
    days = [r.days_overdue for r in full.overdue]
    assert days == sorted(days, reverse=True)  # the longest overdue are the ones shown
    assert len(full.deadlines) == report_data.DEADLINES_SHOWN and full.deadlines_hidden > 0
    assert max(d.due for d in full.deadlines) == dt.date(2200, 12, 31)  # nearest the day
    html = render_report_html(full)
    assert f"全部 {full.overdue_count} 项见" in html and "个较早或较晚的期限未画出" in html
    assert len(html) < 2_000_000
    text = "\n".join(
        p.text
        for p in docx.Document(io.BytesIO(render_report_docx(full, dt.date(2201, 1, 1)))).paragraphs
    )
    assert f"逾期未报送（{full.overdue_count} 项）" in text and "以下为逾期最久的 500 项" in text
    # Below the caps nothing is cut.
    monkeypatch.setattr(report_data, "LIST_SHOWN", 10**6)
    monkeypatch.setattr(report_data, "DEADLINES_SHOWN", 10**6)
    whole = _data("puning", "2200-12-31")
    assert len(whole.overdue) == whole.overdue_count and whole.deadlines_hidden == 0
