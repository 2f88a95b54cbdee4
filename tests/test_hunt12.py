"""Defects found by trying today's surfaces as a hostile or careless user would (hunt 12):
cdo report, render 述职报告/评价表 with --weights, import of evaluation sheets and score
tables, evaluation rank, and scheme files using the new fields.

Each test is the smallest case of one defect; the fix is in the module at fault.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from test_evaluation import DIMENSIONS, ROSTER, _scores, _sheet

from conftest import ROOT

Cli = Callable[..., Any]
Write = Callable[[str, str], Path]

PUNING = (ROOT / "policies" / "puning.yaml").read_text(encoding="utf-8")


def _scheme(tmp_path: Path, text: str, name: str = "puning") -> list[str]:
    """``text`` as the scheme ``name`` in a folder of its own; the root options that use it."""
    folder = tmp_path / "policies"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return ["--policies", str(folder)]


def _no_traceback(result: Any) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- scheme files


@pytest.mark.parametrize("issued", ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01"])
def test_scheme_issued_outside_the_years_is_refused(cli: Cli, tmp_path: Path, issued: str) -> None:
    """An issue date past the years schemes speak of made the report's timeline overflow
    (OverflowError: date value out of range)."""
    roots = _scheme(tmp_path, PUNING.replace("issued: 2023-10-24", f"issued: {issued}", 1))
    check = cli("policy", "check", str(tmp_path / "policies" / "puning.yaml"))
    assert check.exit_code == 1, check.output
    assert "超出范围" in check.output and "1900—2200" in check.output
    cli("init", "--scheme", "puning", "-o", "p.yaml")
    result = cli(*roots, "report", "p.yaml", "--as-of", "2023-12-20")
    _no_traceback(result)
    assert result.exit_code == 2
    assert "方案文件有错误" in result.output and "超出范围" in result.output


@pytest.mark.parametrize("issued", ["1900-01-01", "2200-12-31"])
def test_scheme_issued_at_the_edges_makes_a_report(cli: Cli, tmp_path: Path, issued: str) -> None:
    roots = _scheme(tmp_path, PUNING.replace("issued: 2023-10-24", f"issued: {issued}", 1))
    assert cli(*roots, "init", "--scheme", "puning").exit_code == 0
    for as_of in ("1900-01-01", "2200-12-31"):
        result = cli(*roots, "report", "--as-of", as_of, "-o", f"r{as_of}.html")
        _no_traceback(result)
        assert result.exit_code == 0, result.output


def test_scheme_unit_named_twice_is_an_error(cli: Cli, tmp_path: Path) -> None:
    """Two units of one name passed policy check, and init then wrote a roster with the
    name twice as a key, which validate refused (重复的键). Fixed on main meanwhile
    (trial 11); kept as this hunt's case."""
    unit = "  - name: 市科技局\n"
    assert unit in PUNING
    twice = PUNING.replace(
        unit,
        "  - name: 市科技局\n    kind: department\n    source: {section: 附件3, quote: 市科技局}\n"
        + unit,
        1,
    )
    result = cli("policy", "check", str(Path(_scheme(tmp_path, twice)[1]) / "puning.yaml"))
    assert result.exit_code == 1, result.output
    assert "[unit-duplicate]" in result.output
    assert "单位名称“市科技局”已用于“市科技局”" in result.output  # fixed on main meanwhile


def test_scheme_unit_name_too_long_is_refused(cli: Cli, tmp_path: Path) -> None:
    """A unit name of thousands of characters made init write a roster that no YAML
    reader takes back (a key is at most 1024 characters)."""
    long = "科" * 2000
    text = PUNING.replace("市科技局", long)
    roots = _scheme(tmp_path, text)
    check = cli("policy", "check", str(tmp_path / "policies" / "puning.yaml"))
    assert check.exit_code == 1 and "最多 100 个字" in check.output, check.output
    result = cli(*roots, "init", "--scheme", "puning")
    assert result.exit_code == 2 and "方案文件有错误" in result.output
    assert not (tmp_path / "roster.yaml").exists()


# ---------------------------------------------------------------- report charts


def test_report_chart_labels_cut_in_linear_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 10,000-character duty title took two minutes to draw: fit and wrap measured the
    whole text again for every character they cut."""
    from cdo_cli import report_charts

    measured = 0
    real = report_charts.text_width

    def counting(text: str, size: float = report_charts.FONT) -> float:
        nonlocal measured
        measured += len(text)
        return real(text, size)

    monkeypatch.setattr(report_charts, "text_width", counting)
    long = "名" * 10_000
    assert report_charts.fit(long, 200) == "名" * 14 + "…"
    assert report_charts.wrap(long, 200) == ["名" * 15, "名" * 14 + "…"]
    assert report_charts.wrap("ab" * 5000, 60, lines=3)[-1].endswith("…")
    assert measured < 20_000, measured
    # short texts are cut as before
    assert report_charts.fit("市科技局年度报告", 40) == "市科…"
    assert report_charts.wrap("部门首席数据官年度述职报告（2023年度）", 100) == [
        "部门首席数据官",
        "年度述职报告（…",
    ]


# ---------------------------------------------------------------- weights files


@pytest.fixture
def huizhou(write: Write) -> Path:
    return write("roster.yaml", ROSTER)


def _weights(write: Write, name: str, value: str, by: str = "惠州市政务服务数据管理局") -> Path:
    lines = [f"provided_by: {by}", "weights:"]
    lines += [f"  {d}: {value if i == 0 else 10}" for i, d in enumerate(DIMENSIONS)]
    return write(name, "\n".join(lines) + "\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("provided_by: x\nweights: [\n", "YAML 语法错误"),
        ("", "文件是空的"),
        ("provided_by: x\nweights:\n  日常管理: 2\n  日常管理: 3\n", "重复的键"),
    ],
)
def test_weights_file_broken_yaml_exits_2(
    cli: Cli, huizhou: Path, write: Write, text: str, message: str
) -> None:
    """A weights file the command cannot read stopped it with exit 1, the code for findings."""
    write("权重.yaml", text)
    for args in (
        ["render", "评价表", "--dept", "惠城区", "--year", "2023", "-o", "a.md"],
        ["evaluation", "rank", "--year", "2023"],
    ):
        result = cli(*args, "--weights", "权重.yaml")
        assert result.exit_code == 2, result.output
        assert message in result.output and "权重.yaml" in result.output
        assert "cdo init" not in result.output  # the hint for an empty roster


@pytest.mark.parametrize("value", ["'1e999999'", "'1e-999999'", "'1e400'", "1000001"])
def test_weights_out_of_range_are_refused(
    cli: Cli, huizhou: Path, write: Write, tmp_path: Path, value: str
) -> None:
    """A weight of 1e999999 printed a million digits on the sheet and overflowed the
    ranking's arithmetic (decimal.Overflow)."""
    _weights(write, "权重.yaml", value)
    _sheet(tmp_path / "a.docx", _scores(10))
    for args in (
        ["render", "评价表", "--dept", "惠城区", "--year", "2023", "-o", "a.md"],
        ["evaluation", "rank", "a.docx"],
    ):
        result = cli(*args, "--weights", "权重.yaml")
        _no_traceback(result)
        assert result.exit_code == 2, result.output
        assert "超出范围" in result.output and "数字政府建设" in result.output
    assert not (tmp_path / "a.md").exists()


@pytest.mark.parametrize("by", ["[甲, 乙]", "{a: 1}", "2023"])
def test_weights_provider_must_be_text(cli: Cli, huizhou: Path, write: Write, by: str) -> None:
    """provided_by: [甲, 乙] was printed on the sheet as Python wrote it: 权重由['甲', '乙']提供."""
    _weights(write, "权重.yaml", "10", by=by)
    result = cli("render", "评价表", "--dept", "惠城区", "--year", "2023", "-o", "a.md",
                 "--weights", "权重.yaml")  # fmt: skip
    if by == "2023":  # a number is a name written without quotes: taken as text
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 2, result.output
    assert "provided_by" in result.output and "单位名称" in result.output


# ---------------------------------------------------------------- scores read back


def _table(write: Write, name: str, *rows: list[str], header: list[str] | None = None) -> Path:
    head = header or ["单位", "姓名", "年度", *DIMENSIONS]
    return write(name, "\n".join(",".join(r) for r in [head, *rows]) + "\n")


@pytest.mark.parametrize("score", ["9" * 400 + ".5", "9" * 5000, "1" + "0" * 15])
def test_score_too_large_is_an_input_error(
    cli: Cli, huizhou: Path, write: Write, tmp_path: Path, score: str
) -> None:
    """A 400-digit score became float('inf') (pydantic's ValidationError), a 5000-digit one
    failed Python's int-to-text limit (ValueError): both as tracebacks."""
    _table(write, "得分.csv", ["惠城区", "王小明", "2023", score, *["10"] * 6])
    _sheet(tmp_path / "a.docx", {**_scores(10), DIMENSIONS[0]: score})
    for file in ("得分.csv", "a.docx"):
        imported = cli("import", file, "--write")
        _no_traceback(imported)
        assert imported.exit_code == 1, imported.output
        assert "太大" in imported.output and DIMENSIONS[0] in imported.output
        ranked = cli("evaluation", "rank", file)  # a sheet read but not valid: 1, as import
        _no_traceback(ranked)
        assert ranked.exit_code == 1 and "太大" in ranked.output, ranked.output


@pytest.mark.parametrize("year", ["9999", "0001", "1899", "2201"])
def test_score_year_outside_the_years_is_an_input_error(
    cli: Cli, huizhou: Path, write: Write, tmp_path: Path, year: str
) -> None:
    """评价年度 9999 reached the roster's record model (pydantic's ValidationError)."""
    _table(write, "得分.csv", ["惠城区", "王小明", year, *["10"] * 7])
    _sheet(tmp_path / "a.docx", _scores(10), year=f"{year}年")
    for file in ("得分.csv", "a.docx"):
        imported = cli("import", file, "--write")
        _no_traceback(imported)
        assert imported.exit_code == 1, imported.output
        assert f"评价年度“{year}”" in imported.output and "1900—2200" in imported.output
        ranked = cli("evaluation", "rank", file)
        assert ranked.exit_code == 1 and "1900—2200" in ranked.output, ranked.output
    assert "evaluations" not in huizhou.read_text(encoding="utf-8")


def test_score_dimension_written_twice_with_other_scores(
    cli: Cli, huizhou: Path, write: Write, tmp_path: Path
) -> None:
    """A dimension's row (or column) twice with different scores: the last row or the
    first column was taken without a word."""
    path = _sheet(tmp_path / "a.docx", _scores(10))
    document = docx.Document(str(path))
    cells = document.tables[0].add_row().cells
    cells[1].text, cells[2].text = DIMENSIONS[0], "20"
    document.save(str(path))
    _table(write, "得分.csv", ["惠城区", "王小明", "2023", *["10"] * 7, "20"],
           header=["单位", "姓名", "年度", *DIMENSIONS, DIMENSIONS[0]])  # fmt: skip
    for file in ("a.docx", "得分.csv"):
        imported = cli("import", file, "--write")
        assert imported.exit_code == 1, imported.output
        assert f"“{DIMENSIONS[0]}”有两个得分（10 和 20）" in imported.output
        ranked = cli("evaluation", "rank", file)
        assert ranked.exit_code == 1 and "有两个得分" in ranked.output, ranked.output
    assert "evaluations" not in huizhou.read_text(encoding="utf-8")


def test_score_dimension_written_twice_alike_is_one(
    cli: Cli, huizhou: Path, tmp_path: Path
) -> None:
    path = _sheet(tmp_path / "a.docx", _scores(10))
    document = docx.Document(str(path))
    cells = document.tables[0].add_row().cells
    cells[1].text, cells[2].text = DIMENSIONS[0], "10"
    document.save(str(path))
    assert cli("import", "a.docx", "--write").exit_code == 0


def test_score_not_a_number_says_where_once(
    cli: Cli, huizhou: Path, write: Write, tmp_path: Path
) -> None:
    """``得分.csv 第 2 行：得分.csv 第 2 行：…``: the place was written twice."""
    _table(write, "得分.csv", ["惠城区", "王小明", "2023", "优秀", *["10"] * 6])
    _sheet(tmp_path / "a.docx", {**_scores(10), DIMENSIONS[0]: "优秀"})
    result = cli("import", "得分.csv")
    assert f"得分.csv 第 2 行：“{DIMENSIONS[0]}”的得分“优秀”不是数字" in result.output
    assert result.output.count("得分.csv 第 2 行") == 1
    result = cli("import", "a.docx")
    assert result.output.count("a.docx") == 1, result.output
    assert "a.docx：表格1 第 8 行：" in result.output
    ranked = cli("evaluation", "rank", "得分.csv")
    assert ranked.exit_code == 1
    assert f"得分.csv 第 2 行：“{DIMENSIONS[0]}”的得分“优秀”不是数字" in ranked.output
    ranked = cli("evaluation", "rank", "a.docx")
    assert "a.docx：表格1 第 8 行：" in ranked.output, ranked.output


def test_rank_json_stays_json(cli: Cli, huizhou: Path, write: Write) -> None:
    _table(write, "得分.csv", ["惠城区", "王小明", "2023", *["99999999.5"] * 7])
    result = cli("evaluation", "rank", "得分.csv", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["rows"][0]["total"] == 699999996.5


# ---------------------------------------------------------------- a broken scheme file


def test_render_says_a_broken_scheme_was_not_used(cli: Cli, tmp_path: Path) -> None:
    """With one's own puning.yaml broken, 述职报告 --dept 市公安局 made Huizhou's 市公安局
    report without a word about puning."""
    roots = _scheme(tmp_path, PUNING.replace("id: puning\n", "id: puning\nbogus: 1\n", 1))
    result = cli(*roots, "render", "述职报告", "--dept", "市公安局", "--year", "2023")
    assert result.exit_code == 0, result.output
    assert "方案 puning 的文件有错误，未使用" in result.stderr
    missing = cli(*roots, "render", "attachment2", "--dept", "市公安局")
    assert missing.exit_code == 2
    assert "方案 puning 的文件有错误，未使用" in missing.stderr
    # with --scheme the scheme's own error is the message, once
    named = cli(*roots, "render", "述职报告", "--scheme", "puning", "--dept", "市公安局",
                "--year", "2023")  # fmt: skip
    assert named.exit_code == 2 and named.stderr.count("方案文件有错误") == 1


def test_rank_says_a_broken_scheme_was_not_used(cli: Cli, tmp_path: Path) -> None:
    huizhou = (ROOT / "policies" / "huizhou.yaml").read_text(encoding="utf-8")
    roots = _scheme(tmp_path, huizhou.replace("id: huizhou\n", "id: huizhou\nbogus: 1\n", 1),
                    name="huizhou")  # fmt: skip
    _sheet(tmp_path / "a.docx", _scores(10))
    result = cli(*roots, "evaluation", "rank", "a.docx")
    assert result.exit_code == 1, result.output
    assert "方案 huizhou 的文件有错误，未使用" in result.stderr


def test_score_formula_without_a_result_is_said(cli: Cli, huizhou: Path, tmp_path: Path) -> None:
    """A score that is a formula saved without its result (or an error formula) was read
    as no score: the officer was listed as 缺少评分 without a word about the formula."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["单位", "姓名", "年度", *DIMENSIONS])
    sheet.append(["惠城区", "王小明", 2023, "=B9+1", *[10] * 6])
    book.save(tmp_path / "得分.xlsx")
    result = cli("import", "得分.xlsx", "--write")
    assert result.exit_code == 1, result.output
    assert (
        f"得分.xlsx 第 2 行：“{DIMENSIONS[0]}”的得分是公式，文件中没有保存计算结果" in result.output
    )
    ranked = cli("evaluation", "rank", "得分.xlsx")
    assert ranked.exit_code == 1 and "没有保存计算结果" in ranked.stderr, ranked.output


def test_render_outline_nobody_writes_or_is_judged(cli: Cli, tmp_path: Path) -> None:
    """An evaluation whose units hold none of the posts it judges: render --all said
    已生成 0 个文件 and exited 0; without --all it asked for a unit (请指定单位)."""
    huizhou = (ROOT / "policies" / "huizhou.yaml").read_text(encoding="utf-8")
    judged = "    units:  # 原文“对试点县（区）、部门首席数据官履职情况进行评价”：只评价试点单位\n      pilot: true\n"
    assert judged in huizhou
    roots = _scheme(tmp_path, huizhou.replace(judged, "    units: {units: [市政务服务数据管理局]}\n"),
                    name="huizhou")  # fmt: skip
    for args in (["--all", "-o", "out/"], []):
        result = cli(*roots, "render", "评价表", "--year", "2023", *args)
        assert result.exit_code == 2, result.output
        assert "没有被评价的单位" in result.stderr
    assert not (tmp_path / "out").exists()


def test_rank_one_officer_twice_in_the_files(cli: Cli, write: Write, tmp_path: Path) -> None:
    """The same unit and year in two files (or rows) with other scores was ranked twice,
    first and second, where import calls it a conflict; the same scores twice were two
    rows tied for first place."""
    _sheet(tmp_path / "a.docx", _scores(10))
    _sheet(tmp_path / "b.docx", _scores(11))
    _sheet(tmp_path / "c.docx", _scores(10), unit="惠城区 ")  # the same, written again
    result = cli("evaluation", "rank", "a.docx", "b.docx")
    assert result.exit_code == 1, result.output
    assert "“惠城区”2023 年度有两份不同的评分" in result.stderr
    assert "a.docx" in result.stderr and "b.docx" in result.stderr
    same = cli("evaluation", "rank", "a.docx", "c.docx", "--format", "json")
    assert same.exit_code == 0, same.output
    assert [r["unit"] for r in json.loads(same.stdout)["rows"]] == ["惠城区"]
    _table(write, "得分.csv", ["惠城区", "王小明", "2023", *["10"] * 7],
           ["市公安局", "李四", "2023", *["10"] * 7], ["惠城区", "王小明", "2023", *["12"] * 7])  # fmt: skip
    rows = cli("evaluation", "rank", "得分.csv")
    assert rows.exit_code == 1 and "两份不同的评分" in rows.stderr, rows.output
    assert "得分.csv 第 2 行" in rows.stderr and "得分.csv 第 4 行" in rows.stderr


def _document_weights(tmp_path: Path, first: str) -> list[str]:
    """Huizhou's scheme as if the document gave weights: ``first`` for the first dimension."""
    huizhou = (ROOT / "policies" / "huizhou.yaml").read_text(encoding="utf-8")
    none = "    weights: null  # 文件未规定各项权重：评价单位另定的，用 cdo render 评价表 --weights 文件 提供\n"
    assert none in huizhou
    values = "".join(f"        {d}: {first if i == 0 else 10}\n" for i, d in enumerate(DIMENSIONS))
    given = (
        f"    weights:\n      values:\n{values}"
        "      source: {section: 三（三）2, quote: 科学设立首席数据官评价指标}\n"
    )
    return _scheme(tmp_path, huizhou.replace(none, given), name="huizhou")


@pytest.mark.parametrize("first", [".nan", ".inf", "-1", "1e308", "1e-320"])
def test_scheme_weights_out_of_range_are_refused(cli: Cli, tmp_path: Path, first: str) -> None:
    """A scheme's own weights could be NaN, infinite or negative: the sheet printed -1."""
    roots = _document_weights(tmp_path, first)
    check = cli("policy", "check", str(tmp_path / "policies" / "huizhou.yaml"))
    assert check.exit_code == 1 and "权重" in check.output, check.output
    result = cli(*roots, "render", "评价表", "--dept", "惠城区", "--year", "2023", "-o", "a.md")
    assert result.exit_code == 2, result.output
    assert "方案 huizhou 的文件有错误" in result.stderr and "超出范围" in result.stderr


def test_rank_uses_the_documents_own_weights(cli: Cli, write: Write, tmp_path: Path) -> None:
    """The sheet printed the document's weights, and evaluation rank said 文件未规定权重
    and added the scores up instead."""
    roots = _document_weights(tmp_path, "30")
    _table(write, "得分.csv", ["惠城区", "王小明", "2023", "1", *["10"] * 6],
           ["博罗县", "赵六", "2023", "2", *["9"] * 6])  # fmt: skip
    result = cli(*roots, "evaluation", "rank", "得分.csv", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["weighted"] is True and data["assumption"] is None
    assert data["weights_by"] == "《惠州市首席数据官制度试点实施方案》三（三）2"
    assert [(r["unit"], r["total"]) for r in data["rows"]] == [("惠城区", 630), ("博罗县", 600)]
    write("roster.yaml", ROSTER)
    assert cli(*roots, "import", "得分.csv", "--write").exit_code == 0
    text = cli(*roots, "evaluation", "rank").stdout
    assert "推定" not in text and "加权合计" in text
    # the report ranks as evaluation rank does
    assert cli(*roots, "report", "--as-of", "2024-01-10", "-o", "r.html").exit_code == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "《惠州市首席数据官制度试点实施方案》三（三）2" in page
    assert "按各项得分之和" not in page
