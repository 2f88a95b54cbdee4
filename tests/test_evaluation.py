"""Evaluation scores: filled 评价表 and score tables read back by cdo import, kept in the
roster, and ranked by cdo evaluation rank (weights only when the bureau supplies them)."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest

from cdo_cli.evaluation_rank import UNWEIGHTED, Scored, compute_ranking
from cdo_cli.outlines import Weights

Cli = Callable[..., Any]
Write = Callable[[str, str], Path]

DIMENSIONS = ["数字政府建设", "智慧城市建设", "“一网统管”工作", "信息化项目建设",
              "数据综合管理", "重点工作部署", "日常管理"]  # fmt: skip

ROSTER = """\
scheme: huizhou
units:
  惠城区:
    officers:
      county_cdo: {name: 王小明, title: 副区长}
  博罗县:
    officers:
      county_cdo: {name: 赵六, title: 副县长}
  市公安局:
    officers:
      dept_cdo: {name: 李四, title: 副局长}
"""

WEIGHTS = """\
provided_by: 惠州市政务服务数据管理局
weights:
  数字政府建设: 30
  智慧城市建设: 10
  “一网统管”工作: 10
  信息化项目建设: 10
  数据综合管理: 20
  重点工作部署: 10
  日常管理: 10
"""


def _sheet(
    path: Path,
    scores: dict[str, str],
    *,
    unit: str | None = "惠城区",
    year: str = "2023年",
    name: str = "王小明",
    total: str | None = None,
) -> Path:
    """A filled evaluation sheet typed by a clerk in Word (python-docx), not made by cdo:
    its own title and labels, rows in another order, a 合计 row, remarks."""
    document = docx.Document()
    document.add_paragraph("惠州市首席数据官履职情况评价表")
    if unit is not None:
        document.add_paragraph(f"被评价单位： {unit}")
    document.add_paragraph(f"姓  名：{name}     职  务：副区长")
    document.add_paragraph(f"评价年度：{year}")
    dims = list(reversed(DIMENSIONS))
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["序号", "评价内容", "得 分", "备注"], strict=True):
        cell.text = text
    for i, dimension in enumerate(dims, 1):
        cells = table.add_row().cells
        cells[0].text = str(i)
        cells[1].text = dimension
        cells[2].text = scores.get(dimension, "")
        cells[3].text = "良好" if dimension == "日常管理" else ""
    if total is not None:
        cells = table.add_row().cells
        cells[1].text = "合计"
        cells[2].text = total
    document.save(str(path))
    return path


def _scores(base: int = 10) -> dict[str, str]:
    return {d: str(base + i) for i, d in enumerate(DIMENSIONS)}


@pytest.fixture
def roster(write: Write) -> Path:
    return write("roster.yaml", ROSTER)


# ---------------------------------------------------------------- import


def test_import_hand_made_sheet_preview_then_write(cli: Cli, roster: Path, tmp_path: Path) -> None:
    _sheet(tmp_path / "评价表-惠城区.docx", _scores(), total="91")
    preview = cli("import", "评价表-惠城区.docx")
    assert preview.exit_code == 0, preview.output
    assert (
        "惠城区\n  + 评价：首席数据官履职情况评价 2023 年度，王小明：数字政府建设 10、"
        in preview.stdout
    )
    assert "评价记录 1 条" in preview.stdout
    assert "“合计”一行未导入" in preview.stderr
    assert "evaluations" not in roster.read_text(encoding="utf-8")  # only shown
    written = cli("import", "评价表-惠城区.docx", "--write")
    assert written.exit_code == 0, written.output
    assert "已写入 roster.yaml（原文件备份为 roster.yaml." in written.stdout
    text = roster.read_text(encoding="utf-8")
    assert (
        "    evaluations:\n      - evaluation: pilot_cdo_evaluation\n        year: 2023\n" in text
    )
    assert "          “一网统管”工作: 12\n" in text
    assert "        remarks:\n          日常管理: 良好\n" in text
    assert text.startswith(ROSTER[: ROSTER.index("  博罗县:")])  # the people untouched
    assert list(tmp_path.glob("roster.yaml.*.bak"))
    validate = cli("validate", "roster.yaml")
    assert "0 个错误" in validate.stdout
    again = cli("import", "评价表-惠城区.docx")
    assert "没有需要修改的内容" in again.stdout


def test_import_changed_scores_replace_the_year(cli: Cli, roster: Path, tmp_path: Path) -> None:
    _sheet(tmp_path / "a.docx", _scores())
    assert cli("import", "a.docx", "--write").exit_code == 0
    changed = _scores()
    changed["日常管理"] = "19.5"
    _sheet(tmp_path / "b.docx", changed)
    result = cli("import", "b.docx", "--write")
    assert result.exit_code == 0, result.output
    assert "~ 评价：首席数据官履职情况评价 2023 年度，王小明  ← b.docx" in result.stdout
    assert "    日常管理：16 → 19.5" in result.stdout
    text = roster.read_text(encoding="utf-8")
    assert text.count("- evaluation: pilot_cdo_evaluation") == 1
    assert "日常管理: 19.5" in text and "source: b.docx" in text
    _sheet(tmp_path / "c.docx", _scores(), year="2024年")
    assert cli("import", "c.docx", "--write").exit_code == 0
    assert roster.read_text(encoding="utf-8").count("- evaluation: pilot_cdo_evaluation") == 2


def test_import_two_files_disagree_nothing_written(cli: Cli, roster: Path, tmp_path: Path) -> None:
    _sheet(tmp_path / "a.docx", _scores())
    _sheet(tmp_path / "b.docx", _scores(20))
    before = roster.read_bytes()
    result = cli("import", "a.docx", "b.docx", "--write")
    assert result.exit_code == 1
    assert "“惠城区”2023 年度的首席数据官履职情况评价有两份不同的评分" in result.stdout
    assert roster.read_bytes() == before


def test_import_same_sheet_twice_is_one(cli: Cli, roster: Path, tmp_path: Path) -> None:
    _sheet(tmp_path / "a.docx", _scores())
    _sheet(tmp_path / "a2.docx", _scores())
    result = cli("import", "a.docx", "a2.docx")
    assert result.exit_code == 0 and "评价记录 1 条" in result.stdout


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"scores": {**_scores(), "日常管理": "优秀"}}, "“日常管理”的得分“优秀”不是数字"),
        ({"year": ""}, "“惠城区”的首席数据官履职情况评价没有填写评价年度"),
        (
            {"unit": "市政务服务数据管理局"},
            "“市政务服务数据管理局”不是首席数据官履职情况评价的对象",
        ),
        ({"unit": "惠城县"}, "“惠城县”不是惠州市方案范围内的单位"),
    ],
)
def test_import_sheet_problems_stop_the_write(
    cli: Cli, roster: Path, tmp_path: Path, kwargs: dict[str, Any], message: str
) -> None:
    args = {"scores": _scores(), **kwargs}
    _sheet(tmp_path / "s.docx", args.pop("scores"), **args)
    before = roster.read_bytes()
    result = cli("import", "s.docx", "--write")
    assert result.exit_code == 1, result.output
    assert message in result.stdout
    assert roster.read_bytes() == before


def test_import_blank_and_partial_sheets(cli: Cli, roster: Path, tmp_path: Path) -> None:
    _sheet(tmp_path / "blank.docx", {})
    blank = cli("import", "blank.docx")
    assert blank.exit_code == 0
    assert "未填写得分，没有可导入的内容" in blank.stderr
    partial = {d: "8" for d in DIMENSIONS[:5]}
    _sheet(tmp_path / "part.docx", partial)
    result = cli("import", "part.docx")
    assert result.exit_code == 0
    assert "缺少重点工作部署、日常管理的得分" in result.stderr


def test_import_unit_from_the_file_name(cli: Cli, roster: Path, tmp_path: Path) -> None:
    _sheet(
        tmp_path / "惠州市首席数据官履职情况评价表-博罗县.docx", _scores(), unit=None, name="赵六"
    )
    result = cli("import", "惠州市首席数据官履职情况评价表-博罗县.docx")
    assert result.exit_code == 0, result.output
    assert "博罗县\n  + 评价" in result.stdout
    assert "按文件名取为“博罗县”" in result.stderr
    _sheet(tmp_path / "x.docx", _scores(), unit=None)
    unknown = cli("import", "x.docx")
    assert unknown.exit_code == 1
    assert "看不出评价的是哪个单位" in unknown.stderr


def test_import_cdo_rendered_sheet_round_trip(cli: Cli, roster: Path, tmp_path: Path) -> None:
    assert (
        cli("render", "评价表", "--dept", "市公安局", "--year", "2023", "-o", "s.docx").exit_code
        == 0
    )
    document = docx.Document("s.docx")
    for i, row in enumerate(document.tables[0].rows[1:]):
        row.cells[2].text = str(15 + i)
    document.save("s.docx")
    result = cli("import", "s.docx", "--write")
    assert result.exit_code == 0, result.output
    assert "市公安局\n  + 评价：首席数据官履职情况评价 2023 年度，李四：" in result.stdout


def test_import_never_removes_people(cli: Cli, roster: Path, tmp_path: Path) -> None:
    _sheet(tmp_path / "s.docx", _scores(), name="别人")
    result = cli("import", "s.docx")
    assert "移除 0 人" in result.stdout and "\n  - " not in result.stdout


def test_import_scores_table(cli: Cli, roster: Path, write: Write) -> None:
    header = "单位,姓名,年度," + ",".join(DIMENSIONS)
    rows = [
        "惠城区,王小明,2023," + ",".join(str(10 + i) for i in range(7)),
        "博罗县,赵六,2023," + ",".join(str(12) for _ in range(7)),
        "惠州市公安局,李四,2023,15,15,15,15,15,15,",
    ]
    write("得分.csv", "\n".join([header, *rows]) + "\n")
    result = cli("import", "得分.csv", "--write")
    assert result.exit_code == 0, result.output
    assert "评价记录 3 条" in result.stdout
    assert "缺少日常管理的得分" in result.stderr
    text = roster.read_text(encoding="utf-8")
    assert text.count("- evaluation: pilot_cdo_evaluation") == 3
    assert "source: 得分.csv" in text


def test_validate_flags_unknown_dimension_and_unit(cli: Cli, write: Write) -> None:
    write("roster.yaml", ROSTER + """\
  市政务服务数据管理局:
    evaluations:
      - {evaluation: pilot_cdo_evaluation, year: 2023, scores: {日常管理: 1}}
  仲恺高新区:
    evaluations:
      - {evaluation: pilot_cdo_evaluation, year: 2023, scores: {日常考核: 1}}
""")  # fmt: skip
    result = cli("validate", "roster.yaml")
    assert result.exit_code == 1
    assert "“市政务服务数据管理局”不是首席数据官履职情况评价的对象" in result.stdout
    assert "“日常考核”不是首席数据官履职情况评价的评价内容" in result.stdout
    assert "[evaluation-unknown]" in result.stdout


def test_roster_scores_must_be_numbers(cli: Cli, write: Write) -> None:
    write("roster.yaml", ROSTER + """\
    evaluations:
      - {evaluation: pilot_cdo_evaluation, year: 2023, scores: {日常管理: 优}}
""")  # fmt: skip
    result = cli("validate", "roster.yaml")
    assert result.exit_code == 1
    assert "roster-invalid" in result.stdout


# ---------------------------------------------------------------- ranking (pure)


def _officer(unit: str, *scores: float | int) -> Scored:
    return Scored(unit, "县（区）首席数据官", f"{unit}的人", dict(zip("abc", scores, strict=False)))


def test_rank_plain_sum_says_it_is_assumed() -> None:
    ranking = compute_ranking("abc", [_officer("甲", 1, 2, 3), _officer("乙", 3, 3, 3)])
    assert [(r.rank, r.unit, r.total) for r in ranking.rows] == [(1, "乙", 9), (2, "甲", 6)]
    assert ranking.assumption == UNWEIGHTED == "文件未规定权重，按各项得分之和排序（推定）"
    assert ranking.weights is None and ranking.weights_by is None


def test_rank_ties_share_a_place() -> None:
    officers = [_officer("甲", 5, 5, 5), _officer("乙", 9, 9, 9), _officer("丙", 4, 5, 6),
                _officer("丁", 1, 1, 1)]  # fmt: skip
    ranking = compute_ranking("abc", officers)
    assert [(r.rank, r.unit) for r in ranking.rows] == [(1, "乙"), (2, "甲"), (2, "丙"), (4, "丁")]
    assert "并列同一名次（第 2 名）" in ranking.notes[0]


def test_rank_missing_scores_are_not_ranked() -> None:
    officers = [_officer("甲", 5, 5), _officer("乙", 1, 1, 1),
                Scored("丙", evaluated=False)]  # fmt: skip
    ranking = compute_ranking("abc", officers)
    assert [(r.rank, r.unit, r.total, r.missing) for r in ranking.rows] == [
        (1, "乙", 3, ()),
        (None, "甲", None, ("c",)),
        (None, "丙", None, ("a", "b", "c")),
    ]
    assert ranking.notes == ("缺少评分，未排名：甲（缺少c）", "未评价，未排名：丙")


def test_rank_weights_are_used_exactly() -> None:
    weights = Weights({"a": Decimal("0.1"), "b": Decimal("0.2"), "c": Decimal("0.7")}, "评价单位")
    officers = [_officer("甲", 10, 10, 10), _officer("乙", 30, 0, 0), _officer("丙", 0, 5, 0)]
    ranking = compute_ranking("abc", officers, weights)
    assert [(r.rank, r.unit, str(r.total)) for r in ranking.rows] == [
        (1, "甲", "10.0"), (2, "乙", "3.0"), (3, "丙", "1.0")
    ]  # fmt: skip
    assert ranking.assumption is None and ranking.weights_by == "评价单位"
    tie = compute_ranking("ab", [_officer("甲", 0.1, 0.2), _officer("乙", 0.3, 0)])
    assert [r.rank for r in tie.rows] == [1, 1]  # 0.1 + 0.2 is 0.3 here


def test_rank_refuses_incomplete_weights() -> None:
    with pytest.raises(ValueError):
        compute_ranking("abc", [_officer("甲", 1, 1, 1)], Weights({"a": Decimal(1)}, "x"))


def test_rank_nobody() -> None:
    ranking = compute_ranking("abc", [])
    assert ranking.rows == () and ranking.notes == ()


# ---------------------------------------------------------------- cdo evaluation rank


def _imported(cli: Cli, tmp_path: Path) -> None:
    _sheet(tmp_path / "a.docx", _scores(10))
    _sheet(tmp_path / "b.docx", _scores(12), unit="博罗县", name="赵六")
    _sheet(tmp_path / "c.docx", {d: "10" for d in DIMENSIONS[:6]}, unit="市公安局", name="李四")
    assert cli("import", "a.docx", "b.docx", "c.docx", "--write").exit_code == 0


def test_rank_command_from_roster(cli: Cli, roster: Path, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    result = cli("evaluation", "rank")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "惠州市首席数据官履职情况评价　2023 年度"
    assert lines[1].split()[:3] == ["排名", "单位", "姓名"] and lines[1].split()[-1] == "合计"
    assert lines[2].split()[:3] == ["1", "博罗县", "赵六"] and lines[2].split()[-1] == "105"
    assert lines[3].split()[:3] == ["2", "惠城区", "王小明"] and lines[3].split()[-1] == "91"
    assert "注：文件未规定权重，按各项得分之和排序（推定）。" in result.stdout
    assert "缺少评分，未排名：市公安局（缺少日常管理）" in result.stdout
    assert "未评价，未排名：市委政法委、" in result.stdout
    assert "加权" not in result.stdout and "权重由" not in result.stdout


def test_rank_command_with_weights_and_json(cli: Cli, roster: Path, write: Write,
                                            tmp_path: Path) -> None:  # fmt: skip
    _imported(cli, tmp_path)
    write("权重.yaml", WEIGHTS)
    result = cli("evaluation", "rank", "--weights", "权重.yaml", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["weighted"] is True and data["assumption"] is None
    assert data["weights_by"] == "惠州市政务服务数据管理局"
    assert data["weights"]["数字政府建设"] == 30
    first = data["rows"][0]
    assert (first["rank"], first["unit"], first["total"]) == (
        1,
        "博罗县",
        12 * 30 + 13 * 10 + 14 * 10 + 15 * 10 + 16 * 20 + 17 * 10 + 18 * 10,
    )
    text = cli("evaluation", "rank", "--weights", "权重.yaml").stdout
    assert "（权重由惠州市政务服务数据管理局提供）" in text and "加权合计" in text
    assert "推定" not in text


def test_rank_command_json_without_weights(cli: Cli, roster: Path, tmp_path: Path) -> None:
    _imported(cli, tmp_path)
    data = json.loads(cli("evaluation", "rank", "-f", "json", "--year", "2023").stdout)
    assert data["weighted"] is False and data["weights"] is None and data["weights_by"] is None
    assert data["assumption"] == UNWEIGHTED
    assert [r["rank"] for r in data["rows"][:3]] == [1, 2, None]
    assert data["rows"][2]["missing"] == ["日常管理"]


def test_rank_command_from_files(cli: Cli, tmp_path: Path) -> None:
    _sheet(tmp_path / "a.docx", _scores(10))
    _sheet(tmp_path / "b.docx", _scores(10), unit="博罗县", name="赵六")
    result = cli("evaluation", "rank", "a.docx", "b.docx")
    assert result.exit_code == 0, result.output
    assert "1     惠城区" in result.stdout and "1     博罗县" in result.stdout
    assert "并列同一名次（第 1 名）" in result.stdout


@pytest.mark.parametrize(
    ("args", "roster_text", "message"),
    [
        ([], None, "没有名册，也没有给出评价表"),
        ([], ROSTER, "名册 roster.yaml 中没有首席数据官履职情况评价的评分记录"),
        ([], "scheme: puning\n", "普宁市方案（puning）没有规定对首席数据官的评价"),
        (["-f", "xml"], ROSTER, "不支持的格式“xml”"),
        (["--year", "二〇二三"], ROSTER, "年度无效"),
        (["nope.docx"], None, "nope.docx: 文件不存在"),
        (["x.txt"], None, "不能读取“.txt”类型的文件"),
        (["--evaluation", "评分"], ROSTER, "惠州市方案没有评价“评分”"),
    ],
)
def test_rank_command_errors(
    cli: Cli, write: Write, args: list[str], roster_text: str | None, message: str
) -> None:
    if roster_text is not None:
        write("roster.yaml", roster_text)
    write("x.txt", "")
    result = cli("evaluation", "rank", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_rank_command_file_not_a_sheet(cli: Cli, tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("会议纪要")
    document.save(str(tmp_path / "m.docx"))
    result = cli("evaluation", "rank", "m.docx")
    assert result.exit_code == 1
    assert "m.docx 不是评价表" in result.stderr


def test_rank_help_is_chinese(cli: Cli) -> None:
    result = cli("evaluation", "rank", "--help")
    assert result.exit_code == 0
    assert "例：" in result.stdout and "推定" in result.stdout


def test_rank_uses_the_documents_own_weights_as_the_sheet_prints_them() -> None:
    """A scheme whose document sets weights: the ranking weighs by them, as the blank
    sheet prints them, unless the bureau supplies its own."""
    from cdo_cli.evaluation_rank import ranking_for_records
    from cdo_cli.policy_loading import Registry
    from cdo_cli.records import ScoreRecord, Where

    scheme = Registry().get("huizhou")
    evaluation = scheme.evaluations[0]
    given = dict.fromkeys((d.text for d in evaluation.dimensions), 10)
    given[evaluation.dimensions[0].text] = 40
    from cdo_cli.policy_outlines import DocumentWeights

    weights = DocumentWeights(values=given, source=evaluation.source)
    weighted = evaluation.model_copy(update={"weights": weights})
    dims = [d.text for d in evaluation.dimensions]
    high_first: dict[str, int | float] = {dims[0]: 100, **dict.fromkeys(dims[1:], 0)}
    high_rest: dict[str, int | float] = {dims[0]: 0, **dict.fromkeys(dims[1:], 60)}
    records = [
        ScoreRecord("惠城区", evaluation.id, 2023, "甲", high_first, Where("a.docx")),
        ScoreRecord("博罗县", evaluation.id, 2023, "乙", high_rest, Where("b.docx")),
    ]
    plain = ranking_for_records(scheme, evaluation, records, 2023)
    assert [r.name for r in plain.rows] == ["乙", "甲"]  # 360 against 100
    ranked = ranking_for_records(scheme, weighted, records, 2023)
    assert [r.name for r in ranked.rows] == ["甲", "乙"]  # 4000 against 3600
    assert ranked.assumption is None and "惠州市首席数据官制度试点实施方案" in ranked.weights_by
