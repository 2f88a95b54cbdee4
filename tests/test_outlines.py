"""cdo render 述职报告 and 评价表: report skeletons and evaluation sheets from the scheme.

Golden files (tests/golden/outlines/) hold each Word document's paragraphs (style and
text) and tables, and the Markdown; regenerate them after an intended change with
``CDO_UPDATE_GOLDEN=1 python -m pytest tests/test_outlines.py``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.shared import Mm

from cdo_cli.docx_properties import FORM, SCHEME, UNIT, read_custom
from cdo_cli.policy_loading import Registry
from cdo_cli.policy_quotes import read_document
from conftest import ROOT, SEEDS

GOLDEN = Path(__file__).resolve().parent / "golden" / "outlines"
UPDATE = bool(os.environ.get("CDO_UPDATE_GOLDEN"))

Cli = Callable[..., Any]
Write = Callable[[str, str], Path]

PUNING_ROSTER = """
scheme: puning
units:
  市公安局:
    officers:
      dept_cdo: {name: 张三, title: 副局长, phone: 0663-1234567}
"""

HUIZHOU_ROSTER = """
scheme: huizhou
units:
  惠城区:
    officers:
      county_cdo: {name: 王小明, title: 副区长}
  市公安局:
    officers:
      dept_cdo: {name: 李四, title: 副局长}
"""

WEIGHTS = """
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

PUNING_AREAS = ["数据采集汇聚", "数据资产管理", "数据开放共享", "数据开发利用", "数据应用创新",
                "数据安全保护", "数据需求"]  # fmt: skip
PUNING_HEADINGS = ["工作成效", "存在问题", "下阶段计划", "工作亮点及佐证材料"]
HUIZHOU_DIMENSIONS = ["数字政府建设", "智慧城市建设", "“一网统管”工作", "信息化项目建设",
                      "数据综合管理", "重点工作部署", "日常管理"]  # fmt: skip


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.is_file(), f"no golden file {path}; run with CDO_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def _outline(path: Path) -> str:
    """A Word document as text: each paragraph's style and text, then each table's rows."""
    document = docx.Document(str(path))
    lines = [f"[{p.style.name if p.style else ''}] {p.text}" for p in document.paragraphs]
    for table in document.tables:
        lines.append("[表格]")
        lines += [" | ".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(lines) + "\n"


def _render(cli: Cli, *args: str) -> Any:
    result = cli("render", *args)
    assert result.exit_code == 0, result.output
    return result


# ---------------------------------------------------------------- the scheme's words


@pytest.mark.parametrize(
    ("scheme_id", "areas", "headings"),
    [("puning", PUNING_AREAS, PUNING_HEADINGS), ("huizhou", PUNING_AREAS, ["相关工作建议"])],
)
def test_outline_headings_are_the_documents_words(
    scheme_id: str, areas: list[str], headings: list[str]
) -> None:
    scheme = Registry().get(scheme_id)
    [report] = scheme.reports
    assert [a.text for a in report.areas] == areas
    assert [h.text for h in report.headings] == headings
    text = read_document(SEEDS / scheme.document.seed)  # type: ignore[operator]
    for item in (*report.areas, *report.headings, report):
        assert text.contains(item.source.quote), item.source.quote
    for item in (*report.areas, *report.headings):
        assert re.sub(r"\s", "", item.text) in re.sub(r"\s", "", item.source.quote)


def test_outline_huizhou_dimensions_no_weights_no_scale() -> None:
    scheme = Registry().get("huizhou")
    [evaluation] = scheme.evaluations
    assert [d.text for d in evaluation.dimensions] == HUIZHOU_DIMENSIONS
    assert evaluation.weights is None and evaluation.scale is None
    assert {r.id for r in scheme.roles if r.id in evaluation.evaluates} == {
        "county_cdo",
        "dept_cdo",
    }
    assert any("未规定各项权重" in n for n in evaluation.notes)
    assert Registry().get("puning").evaluations == []  # Puning's document names none


@pytest.mark.parametrize("scheme_id", ["puning", "huizhou"])
def test_outline_policy_check_finds_every_quote(cli: Cli, scheme_id: str) -> None:
    seeds = Path("/work/shared/seeds")
    source = {"puning": "000_e7e94fe9f395d728.txt", "huizhou": "003_7faaa2b4c1d0f49f.txt"}
    seed = seeds / source[scheme_id]
    if not seed.is_file():
        seed = SEEDS / {"puning": "puning-2023.txt", "huizhou": "huizhou-2022.txt"}[scheme_id]
    result = cli(
        "policy", "check", str(ROOT / "policies" / f"{scheme_id}.yaml"), "--source", str(seed)
    )
    assert result.exit_code == 0, result.output
    assert "quote-not-found" not in result.output


# ---------------------------------------------------------------- 述职报告


@pytest.mark.parametrize(
    ("name", "args", "roster"),
    [
        (
            "puning-report-filled",
            ["述职报告", "--dept", "市公安局", "--year", "2023"],
            PUNING_ROSTER,
        ),
        (
            "huizhou-report-blank",
            ["述职报告", "--scheme", "huizhou", "--dept", "惠城区", "--year", "2023"],
            None,
        ),
        ("huizhou-sheet-blank", ["评价表", "--dept", "惠城区"], None),
        (
            "huizhou-sheet-filled",
            ["评价表", "--dept", "市公安局", "--year", "2023"],
            HUIZHOU_ROSTER,
        ),
    ],
)
def test_outline_golden(
    cli: Cli, write: Write, name: str, args: list[str], roster: str | None
) -> None:
    extra = ["--roster", str(write("r.yaml", roster))] if roster else []
    _render(cli, *args, *extra, "-o", "out.docx")
    _golden(f"{name}.docx.txt", _outline(Path("out.docx")))
    md = _render(cli, *args, *extra, "--format", "md", "-o", "-")
    _golden(f"{name}.md", md.stdout)


def test_outline_report_title_and_headings(cli: Cli, write: Write) -> None:
    write("roster.yaml", PUNING_ROSTER)
    result = _render(cli, "述职报告", "--dept", "市公安局", "--year", "2023")
    assert "普宁市公安局首席数据官2023年度述职报告.docx" in result.stdout
    assert "按名册 roster.yaml 填写" in result.stdout
    document = docx.Document("普宁市公安局首席数据官2023年度述职报告.docx")
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[0] == "普宁市公安局首席数据官2023年度述职报告"
    assert texts[1] == "单位：普宁市公安局"
    assert texts[2] == "市直部门首席数据官：张三\u3000职务：副局长"
    headings = [p.text for p in document.paragraphs if p.style.name == "分组标题"]
    assert headings == [f"{n}、{h}" for n, h in zip("一二三四", PUNING_HEADINGS, strict=True)]
    subs = [t for t in texts if t.startswith("（")]
    assert subs == [f"（{n}）{a}" for n, a in zip("一二三四五六七", PUNING_AREAS, strict=True)] * 4
    # each sub-heading is followed by an empty paragraph to write in
    paragraphs = document.paragraphs
    for i, p in enumerate(paragraphs):
        if p.text.startswith("（"):
            assert paragraphs[i + 1].text == ""
    assert read_custom(document) == {
        SCHEME: "puning",
        FORM: "dept_cdo_annual_report",
        UNIT: "市公安局",
    }


def test_outline_report_page_like_the_forms(cli: Cli) -> None:
    _render(
        cli, "述职报告", "--scheme", "huizhou", "--dept", "博罗县", "--year", "2023", "-o", "r.docx"
    )
    document = docx.Document("r.docx")
    section = document.sections[0]
    for value, mm in [(section.page_width, 210), (section.page_height, 297),
                      (section.top_margin, 37), (section.bottom_margin, 35),
                      (section.left_margin, 28), (section.right_margin, 26)]:  # fmt: skip
        assert value is not None and abs(value - Mm(mm)) < Mm(0.1)
    title = document.paragraphs[0]
    assert title.text == "博罗县首席数据官2023年度述职报告"
    assert title.style.name == "附件标题"
    assert document.settings.odd_and_even_pages_header_footer
    footer = section.footer._element.xml
    assert "PAGE" in footer and "— " in footer
    headings = [p.text for p in document.paragraphs if p.style.name == "分组标题"]
    assert headings == [
        f"{n}、{a}" for n, a in zip("一二三四五六七", PUNING_AREAS, strict=True)
    ] + ["八、相关工作建议"]


def test_outline_report_all_units(cli: Cli, tmp_path: Path) -> None:
    result = _render(
        cli, "述职报告", "--scheme", "puning", "--all", "--year", "2023", "-o", "报告/"
    )
    files = sorted((tmp_path / "报告").iterdir())
    assert len(files) == 36  # the 36 units of 附件3 owe the annual report
    assert "已生成 36 个文件" in result.stdout
    assert (
        tmp_path / "报告" / "15-揭阳市生态环境局普宁分局首席数据官2023年度述职报告.docx"
    ).is_file()
    huizhou = _render(
        cli, "年度述职报告", "--scheme", "huizhou", "--all", "--year", "2023", "-o", "惠州/"
    )
    assert "已生成 13 个文件" in huizhou.stdout  # 10 pilot departments and 3 pilot counties


def test_outline_report_by_id_and_dept_chooses_the_scheme(cli: Cli) -> None:
    _render(cli, "dept_cdo_annual_report", "--dept", "市公安局", "--year", "2023", "-o", "a.md")
    assert (
        Path("a.md")
        .read_text(encoding="utf-8")
        .startswith("# 普宁市公安局首席数据官2023年度述职报告")
    )
    # 惠城区 is only in Huizhou's scheme: no --scheme needed
    result = _render(cli, "述职报告", "--dept", "惠城区", "--year", "2023", "-o", "b.md")
    assert "惠城区首席数据官2023年度述职报告" in Path("b.md").read_text(encoding="utf-8")
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (["述职报告", "--dept", "市公安局", "--year", "2023"], "多个方案都有“述职报告”",
         "--scheme huizhou（惠州市） 或 --scheme puning（普宁市）"),
        (["述职报吿", "--scheme", "puning"], "没有附件“述职报吿”", "是否应为：述职报告"),
        (["述职报告x"], "没有附件“述职报告x”", "puning：述职报告（年度述职报告）"),
        (["述职报告", "--scheme", "puning", "--dept", "市公安局"], "请用 --year 指定年度述职报告的年度",
         "如 --year"),
        (["述职报告", "--scheme", "puning", "--dept", "市公安局", "--year", "23"], "年度无效：23",
         "1900—2200"),
        (["述职报告", "--scheme", "puning", "--dept", "普宁市人民政府", "--year", "2023"],
         "普宁市人民政府不写这份报告", "涉及以下 36 个单位"),
        (["述职报告", "--scheme", "puning", "--year", "2023"], "每个单位一份，请指定单位", "--all"),
        (["述职报告", "--scheme", "puning", "--dept", "市公安厅", "--year", "2023"],
         "“市公安厅”不是普宁市方案范围内的单位", "是否应为：市公安局？"),
        (["述职报告", "--scheme", "puning", "--dept", "市公安局", "--all", "--year", "2023"],
         "--dept 和 --all 只能用其一", ""),
        (["述职报告", "--scheme", "puning", "--dept", "市公安局", "--year", "2023", "-f", "html"],
         "年度述职报告可生成 Word（docx）或 Markdown（md），不生成 html", "--format docx"),
        (["述职报告", "--scheme", "puning", "--dept", "市公安局", "--year", "2023", "--weights", "w.yaml"],
         "--weights 只用于评价表", ""),
        (["attachment2", "--dept", "市公安局", "--year", "2023"], "--year 只用于述职报告和评价表", ""),
        (["评价表", "--scheme", "puning"], "普宁市方案（puning）没有附件“评价表”",
         "述职报告、评价表：puning：述职报告"),
    ],
)  # fmt: skip
def test_outline_errors_exit_2(cli: Cli, args: list[str], message: str, hint: str) -> None:
    result = cli("render", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert hint in result.stderr
    assert "Traceback" not in result.output


def test_outline_roster_of_another_scheme(cli: Cli, write: Write) -> None:
    write("roster.yaml", PUNING_ROSTER)
    # a roster that merely lies in the folder is not used for Huizhou's sheet
    result = _render(cli, "评价表", "--dept", "惠城区", "-o", "s.md")
    assert "空白评价表" in result.stdout
    given = cli(
        "render", "评价表", "--scheme", "huizhou", "--dept", "惠城区", "--roster", "roster.yaml"
    )
    assert given.exit_code == 2
    assert "名册 roster.yaml 属于方案 puning" in given.stderr


def test_outline_redact_is_said_to_change_nothing(cli: Cli) -> None:
    result = _render(cli, "评价表", "--dept", "惠城区", "--redact", "-f", "md", "-o", "-")
    assert "--redact 不改变内容" in result.stderr


def test_outline_early_year_is_noted(cli: Cli) -> None:
    result = _render(cli, "述职报告", "--scheme", "puning", "--dept", "市公安局", "--year", "2022",
                     "-o", "x.md")  # fmt: skip
    assert "自 2023 年度起" in result.stderr


# ---------------------------------------------------------------- 评价表 and weights


def _cells(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [c.text for t in document.tables for row in t.rows for c in row.cells]


def test_sheet_has_no_weight_unless_supplied(cli: Cli, write: Write) -> None:
    _render(cli, "评价表", "--dept", "惠城区", "-o", "s.docx")
    document = docx.Document("s.docx")
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert header == ["序号", "评价内容", "得分", "备注"]
    assert [r.cells[1].text for r in document.tables[0].rows[1:]] == HUIZHOU_DIMENSIONS
    text = "\n".join(p.text for p in document.paragraphs)
    assert "权重由" not in text
    assert "文件未规定各项权重" in text and "文件未规定评分标准和分值" in text
    assert "评价内容照录《惠州市首席数据官制度试点实施方案》三（三）2" in text
    md = _render(cli, "评价表", "--dept", "惠城区", "-f", "md", "-o", "-").stdout
    assert "| 权重 |" not in md and "权重由" not in md
    assert not re.search(r"\d+(\.\d+)?\s*%", md)


def test_sheet_prints_the_bureaus_weights(cli: Cli, write: Write) -> None:
    write("权重.yaml", WEIGHTS)
    _render(cli, "评价表", "--dept", "惠城区", "--weights", "权重.yaml", "-o", "s.docx")
    document = docx.Document("s.docx")
    rows = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert rows[0] == ["序号", "评价内容", "权重", "得分", "备注"]
    assert rows[1] == ["1", "数字政府建设", "20", "", ""]
    assert rows[7] == ["7", "日常管理", "10", "", ""]
    text = "\n".join(p.text for p in document.paragraphs)
    assert "权重由惠州市政务服务数据管理局提供" in text
    assert "文件未规定各项权重" not in text


def test_sheet_weights_from_csv(cli: Cli, write: Write) -> None:
    rows = "\n".join(f"{d},{w},{'市政务服务数据管理局' if i == 0 else ''}"
                     for i, (d, w) in enumerate(zip(HUIZHOU_DIMENSIONS, [0.2, 0.15, 0.15, 0.15, 0.15, 0.1, 0.1], strict=True)))  # fmt: skip
    write("w.csv", "评价内容,权重,提供单位\n" + rows + "\n")
    md = _render(
        cli, "评价表", "--dept", "博罗县", "--weights", "w.csv", "-f", "md", "-o", "-"
    ).stdout
    assert "| 1 | 数字政府建设 | 0.2 |" in md
    assert "权重由市政务服务数据管理局提供" in md


@pytest.mark.parametrize(
    ("name", "text", "message", "hint"),
    [
        ("w.yaml", WEIGHTS.replace("provided_by: 惠州市政务服务数据管理局\n", ""),
         "没有写明权重由谁提供", "provided_by"),
        ("w.yaml", WEIGHTS.replace("  日常管理: 10\n", ""), "缺少日常管理的权重", "不推定权重"),
        ("w.yaml", WEIGHTS.replace("日常管理: 10", "日常管里: 10"), "“日常管里”不是", "是否应为：日常管理"),
        ("w.yaml", WEIGHTS.replace("日常管理: 10", "日常管理: 十"), "“日常管理”：权重“十”不是数字", ""),
        ("w.yaml", WEIGHTS.replace("日常管理: 10", "日常管理: -5"), "应为不小于 0 的数", ""),
        ("w.yaml", "provided_by: x\n", "没有 weights", "provided_by"),
        ("w.yaml", WEIGHTS + "extra: 1\n", "不认识的键“extra”", ""),
        ("w.txt", WEIGHTS, "权重文件应为 .yaml、.csv 或 .xlsx", ""),
        ("w.csv", "名称,分值\n数字政府建设,1\n", "没有找到“评价内容”和“权重”两列", "提供单位"),
    ],
)  # fmt: skip
def test_sheet_weights_errors(
    cli: Cli, write: Write, name: str, text: str, message: str, hint: str
) -> None:
    write(name, text)
    result = cli("render", "评价表", "--dept", "惠城区", "--weights", name)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and hint in result.stderr


def test_sheet_weights_file_missing(cli: Cli) -> None:
    result = cli("render", "评价表", "--dept", "惠城区", "--weights", "nope.yaml")
    assert result.exit_code == 2
    assert "nope.yaml：文件不存在" in result.stderr


def test_sheet_all_pilot_officers(cli: Cli, tmp_path: Path) -> None:
    result = _render(cli, "评价表", "--all", "-o", "评价表/")
    names = sorted(p.name for p in (tmp_path / "评价表").iterdir())
    assert len(names) == 13
    assert names[0] == "惠州市首席数据官履职情况评价表-01-市委政法委.docx"
    assert "惠州市首席数据官履职情况评价表-11-惠城区.docx" in names
    assert "惠州市首席数据官履职情况评价表-10-市住房公积金管理中心.docx" in names
    assert "空白评价表" in result.stdout
    not_judged = cli("render", "评价表", "--dept", "市政务服务数据管理局")
    assert not_judged.exit_code == 2
    assert "市政务服务数据管理局不被评价" in not_judged.stderr


# ---------------------------------------------------------------- the scheme model


def test_outline_text_must_be_in_its_quote(cli: Cli, tmp_path: Path) -> None:
    text = (ROOT / "policies" / "huizhou.yaml").read_text(encoding="utf-8")
    (tmp_path / "huizhou.yaml").write_text(text.replace("  - text: 日常管理\n", "  - text: 日常考核\n"),
                                           encoding="utf-8")  # fmt: skip
    result = cli("policy", "check", "huizhou.yaml")
    assert result.exit_code == 1
    assert "“日常考核”不在其 source.quote 中" in result.output


@pytest.mark.parametrize(
    ("old", "new", "code", "message"),
    [
        ("    written_by:\n      - county_cdo\n", "    written_by:\n      - county_cdx\n",
         "role-unknown", "职位“county_cdx”未在 roles 中定义"),
        ("    evaluates:\n      - county_cdo\n", "    evaluates:\n      - county_cdx\n",
         "role-unknown", "职位“county_cdx”未在 roles 中定义"),
        ("      - 履职评价\n", "      - 述职报告\n", "id-duplicate", "名称“述职报告”已用于另一份"),
    ],
)  # fmt: skip
def test_outline_scheme_checks(cli: Cli, tmp_path: Path, old: str, new: str, code: str,
                               message: str) -> None:  # fmt: skip
    text = (ROOT / "policies" / "huizhou.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "huizhou.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    result = cli("policy", "check", "huizhou.yaml")
    assert result.exit_code == 1
    assert f"[{code}]" in result.output and message in result.output


def test_outline_unknown_obligation(cli: Cli, tmp_path: Path) -> None:
    text = (ROOT / "policies" / "puning.yaml").read_text(encoding="utf-8")
    old = "    obligation: dept_cdo_annual_report\n    # 领域"
    assert old in text
    (tmp_path / "puning.yaml").write_text(text.replace(old, "    obligation: dept_cdo_report\n    # 领域"),
                                          encoding="utf-8")  # fmt: skip
    result = cli("policy", "check", "puning.yaml")
    assert (
        "事项“dept_cdo_report”未定义" in result.output and "[obligation-unknown]" in result.output
    )


def test_outline_schema_has_the_new_sections(cli: Cli) -> None:
    import json

    schema = json.loads(cli("schema", "policy").stdout)
    assert {"reports", "evaluations"} <= set(schema["properties"])
    assert "ReportOutline" in schema["$defs"] and "Evaluation" in schema["$defs"]
    assert "by_area" in schema["$defs"]["Heading"]["properties"]
