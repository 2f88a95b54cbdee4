"""Writing a scheme: the guide, `cdo policy new`, `cdo policy export`, `policy check --source`,
and the messages a scheme author reads."""

from __future__ import annotations

import re
import textwrap
import typing
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter
from ruamel.yaml import YAML

from cdo_cli import policy, policy_outlines
from cdo_cli.policy_checks import todo_comments
from cdo_cli.policy_quotes import DocumentText, decode_document, read_document
from cdo_cli.policy_terms import VALUE_LABELS
from conftest import ROOT

GUIDE = ROOT / "docs" / "方案编写指南.md"
POLICIES = ROOT / "policies"
MODELS: list[type[BaseModel]] = [
    policy.Scheme, policy.Document, policy.Reference, policy.Goal, policy.Unit, policy.Selector,
    policy.Role, policy.Holders, policy.Obligation, policy.Due, policy.Form, policy.FormSection,
    policy.Column, policy.Entry, policy.NamedOfficer, policy.Clause, policy.Span,
    policy.Expansion, policy.Attribute, policy.OpenList, policy.Minimum,
    policy_outlines.ReportOutline, policy_outlines.Heading, policy_outlines.Area,
    policy_outlines.Evaluation, policy_outlines.Dimension, policy_outlines.DocumentWeights,
]  # fmt: skip


def _seed_path(seed: str) -> Path | None:
    """A source document: shipped in policies/sources/, or in the shared seeds folder."""
    for folder in (
        POLICIES / "sources",
        ROOT.parents[1] / "shared" / "seeds",
        Path("/work/shared/seeds"),
    ):
        if (folder / seed).is_file():
            return folder / seed
    return None


@pytest.fixture
def seed_of():  # type: ignore[no-untyped-def]
    """The source document of a built-in scheme (skips where it is not available)."""

    def find(scheme_id: str) -> Path:
        data = YAML(typ="safe").load((POLICIES / f"{scheme_id}.yaml").read_text(encoding="utf-8"))
        found = _seed_path(data["document"]["seed"])
        if found is None:
            pytest.skip(f"source document of {scheme_id} not available")
        return found

    return find


# ---------------------------------------------------------------- the guide


def _blocks(lang: str) -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    found = re.findall(rf"^( *)```{lang}\n(.*?)^ *```", text, re.S | re.M)
    return [textwrap.dedent(block) for _, block in found]


def test_guide_yaml_examples_each_say_what_they_are() -> None:
    blocks = _blocks("yaml")
    assert len(blocks) >= 15
    for block in blocks:
        first = block.splitlines()[0]
        assert re.fullmatch(r"# 完整文件：\w+\.yaml|# .*（\w+）", first), first


def test_guide_fragments_validate_against_their_part() -> None:
    checked = 0
    for block in _blocks("yaml"):
        first = block.splitlines()[0]
        match = re.fullmatch(r"# .*（(\w+)）", first)
        if not match:
            continue
        name = match.group(1)
        data = YAML(typ="safe").load(block)
        model = getattr(policy, name, None)
        if isinstance(model, type) and issubclass(model, BaseModel):
            model.model_validate(data)
        else:  # a top-level key of the scheme file, such as silences
            TypeAdapter(policy.Scheme.model_fields[name].annotation).validate_python(data)
        checked += 1
    assert checked >= 14


def test_guide_worked_example_passes_check_with_source(cli, tmp_path: Path) -> None:
    [notice] = _blocks("text")
    assert 9 <= len(notice.strip().splitlines()) <= 12
    complete = [b for b in _blocks("yaml") if b.startswith("# 完整文件：")]
    assert len(complete) == 1
    name = re.match(r"# 完整文件：(\S+)", complete[0]).group(1)  # type: ignore[union-attr]
    (tmp_path / "原文.txt").write_text(notice, encoding="utf-8")
    (tmp_path / "schemes").mkdir()
    (tmp_path / "schemes" / name).write_text(complete[0], encoding="utf-8")
    result = cli("policy", "check", f"schemes/{name}", "--source", "原文.txt")
    assert result.exit_code == 0, result.output
    assert "0 个错误，0 个警告" in result.output
    # …and it works as the guide says it does.
    init = cli("--policies", "schemes", "init", "--scheme", "qingxi")
    assert init.exit_code == 0, init.output
    assert "青溪区，7 个单位" in init.output
    render = cli("--policies", "schemes", "render", "attachment", "--all", "-o", "名单/")
    assert render.exit_code == 0, render.output
    assert len(list((tmp_path / "名单").glob("*.docx"))) == 3
    _guide_example_in_use(cli, tmp_path)


def _guide_console(command: str) -> str:
    """The output the guide shows for a command (its lines up to the next ``$``)."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"$ {command}\n") + len(command) + 3
    return text[start : text.index("```", start)].split("\n$ ")[0]


def _guide_example_in_use(cli: Any, tmp_path: Path) -> None:
    """What section 七 shows after init: policy show's rules, the streets, another post."""
    shown = cli("--policies", "schemes", "policy", "show", "qingxi")
    assert shown.exit_code == 0, shown.output
    flat = re.sub(r"\n *", "", shown.stdout)
    for line in _guide_console("cdo --policies 我的方案 policy show qingxi").splitlines():
        if line and "……" not in line:
            assert line in flat, line
    # Keep one of the three streets: fewer than the document asks for.
    roster = (tmp_path / "roster.yaml").read_text(encoding="utf-8")
    head, _, tail = roster.partition("  # 可选择的单位，列出即为选定")
    one = head + "  # 可选择的单位，列出即为选定" + tail.split("\n  # 可选择的单位")[0] + "\n"
    assert "东湖街道" in one and "西湖街道" not in one
    (tmp_path / "roster.yaml").write_text(one, encoding="utf-8")
    checked = cli("--policies", "schemes", "validate", "roster.yaml")
    assert checked.exit_code == 0, checked.output
    for line in _guide_console("cdo --policies 我的方案 validate roster.yaml").splitlines():
        if line and "……" not in line:
            assert line in checked.stdout, line
    # Another post of the kind the document lists before 等, and one that is not.
    args = ["--policies", "schemes", "record", "appoint", "--unit", "区教育局", "--name", "张三",
            "--date", "2024-06-01", "--role"]  # fmt: skip
    other = cli(*args, "数据治理岗位")
    assert other.exit_code == 0 and "[role-unlisted]" in other.stdout, other.output
    assert cli(*args, "局长").exit_code == 2


def test_guide_names_every_field() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    missing = [
        f"{model.__name__}.{field}"
        for model in MODELS
        for field in model.model_fields
        if f"`{field}`" not in text
    ]
    assert missing == []


def _allowed_values(annotation: Any) -> set[str]:
    """Every value a Literal or Enum inside a field's type allows."""
    found: set[str] = set()
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return {str(m.value) for m in annotation}
    if typing.get_origin(annotation) is typing.Literal:
        return {str(a) for a in typing.get_args(annotation)}
    for arg in typing.get_args(annotation):
        found |= _allowed_values(arg)
    return found


def test_guide_and_messages_explain_every_allowed_value() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    values = {
        v
        for model in MODELS
        for f in model.model_fields.values()
        for v in _allowed_values(f.annotation)
    }
    assert {"government", "leadership", "role_list", "officer", "unit_list"} <= values
    labelled = {key.split(".")[-1] for key in VALUE_LABELS}
    assert values - labelled == set()
    assert [v for v in sorted(values) if f"`{v}`" not in text] == []


def test_readme_links_the_guide_and_says_where_schemes_are() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(docs/方案编写指南.md)" in readme
    assert "`cdo_cli/policies/`" in readme and "`policies/`" in readme
    assert "cdo policy export puning" in readme and "cdo policy new" in readme


# ---------------------------------------------------------------- cdo policy new


def _codes(output: str) -> list[str]:
    return re.findall(r"\[([a-z-]+)\]$", output, re.M)


def test_policy_new_writes_a_file_that_loads(cli, tmp_path: Path) -> None:
    result = cli("policy", "new", "--city", "汕头市", "--id", "shantou")
    assert result.exit_code == 0, result.output
    assert "shantou.yaml" in result.output and "TODO" in result.output
    text = (tmp_path / "shantou.yaml").read_text(encoding="utf-8")
    assert "city: 汕头市" in text and "汕头市人民政府" in text
    check = cli("policy", "check", "shantou.yaml")
    assert check.exit_code == 1
    codes = _codes(check.output)
    assert set(codes) == {"todo", "todo-optional"}, check.output
    assert codes.count("todo") >= 15
    assert "“authority”尚未填写" in check.output
    assert "待办：印发日期" in check.output
    assert "引文未与原文核对" in check.stderr


def _fill_required(text: str) -> str:
    count = iter(range(1, 1000))
    text = re.sub(r"TODO：[^\n#]*?(?=\s*(#|$))", lambda m: f"填写{next(count)}", text, flags=re.M)
    return re.sub(r"  # TODO：[^\n]*", "", text)


def test_policy_new_filled_passes_with_only_warnings(cli, tmp_path: Path) -> None:
    cli("policy", "new", "--city", "汕头市", "--id", "shantou")
    path = tmp_path / "shantou.yaml"
    path.write_text(_fill_required(path.read_text(encoding="utf-8")), encoding="utf-8")
    check = cli("policy", "check", "shantou.yaml")
    assert check.exit_code == 0, check.output
    assert set(_codes(check.output)) == {"todo-optional"}
    assert "0 个错误" in check.output


def test_policy_new_asks_for_an_id_when_the_city_is_chinese(cli, tmp_path: Path) -> None:
    result = cli("policy", "new", "--city", "汕头市")
    assert result.exit_code == 2
    assert "请用 --id 指定方案 id" in result.output
    assert "--id shantou" in result.output
    other = cli("policy", "new", "--city", "青溪区", "-o", "青溪区.yaml")
    assert other.exit_code == 2 and "--id mycity" in other.output
    assert list(tmp_path.iterdir()) == []


def test_policy_new_id_from_output_name_or_latin_city(cli, tmp_path: Path) -> None:
    assert cli("policy", "new", "--city", "青溪区", "-o", "qingxi.yaml").exit_code == 0
    assert "id: qingxi" in (tmp_path / "qingxi.yaml").read_text(encoding="utf-8")
    assert cli("policy", "new", "--city", "Green Valley").exit_code == 0
    assert (tmp_path / "green_valley.yaml").is_file()
    assert cli("policy", "new", "--city", "汕头市", "--id", "shantou", "-o", "方案/").exit_code == 0
    assert (tmp_path / "方案" / "shantou.yaml").is_file()


@pytest.mark.parametrize(
    ("args", "expect"),
    [
        (["--id", "shantou", "-o", "汕头.yaml"], "文件名须为方案 id 加 .yaml"),
        (["--id", "Shan-Tou"], "不合要求"),
        (["--id", "9city"], "以字母开头"),
    ],
)
def test_policy_new_refuses_bad_ids(cli, args: list[str], expect: str) -> None:
    result = cli("policy", "new", "--city", "汕头市", *args)
    assert result.exit_code == 2
    assert expect in result.output


def test_policy_new_never_overwrites(cli, tmp_path: Path) -> None:
    assert cli("policy", "new", "--city", "汕头市", "--id", "shantou").exit_code == 0
    (tmp_path / "shantou.yaml").write_text("mine", encoding="utf-8")
    again = cli("policy", "new", "--city", "汕头市", "--id", "shantou")
    assert again.exit_code == 2 and "已存在" in again.output
    assert (tmp_path / "shantou.yaml").read_text(encoding="utf-8") == "mine"
    assert cli("policy", "new", "--city", "汕头市", "--id", "shantou", "--force").exit_code == 0
    assert "TODO" in (tmp_path / "shantou.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("city", ["null", "2024", "甲市: #乙", "“某市”", "- 某市"])
def test_policy_new_keeps_the_city_as_written(cli, tmp_path: Path, city: str) -> None:
    result = cli("policy", "new", "--city", city, "--id", "x", "-o", "-")
    assert result.exit_code == 0, result.output
    data = YAML(typ="safe").load(result.output)
    assert data["city"] == city
    assert data["units"][0]["name"] == f"{city}人民政府"
    assert data["roles"][0]["applies_to"]["units"] == [f"{city}人民政府"]


def test_policy_new_refuses_an_unprintable_city(cli) -> None:
    assert cli("policy", "new", "--city", "某市\x1b[2J", "--id", "x").exit_code == 2
    assert cli("policy", "new", "--city", "  ", "--id", "x").exit_code == 2


# ---------------------------------------------------------------- cdo policy export


def test_policy_export_copies_the_file_as_it_is(cli, tmp_path: Path) -> None:
    result = cli("policy", "export", "puning")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "puning.yaml").read_bytes() == (POLICIES / "puning.yaml").read_bytes()
    assert "已复制方案 puning" in result.output
    again = cli("policy", "export", "puning")
    assert again.exit_code == 2 and "已存在" in again.output
    assert cli("policy", "export", "puning", "--force").exit_code == 0


def test_policy_export_to_stdout_folder_and_other_name(cli, tmp_path: Path) -> None:
    out = cli("policy", "export", "zhaoqing", "-o", "-")
    assert out.exit_code == 0
    assert out.output == (POLICIES / "zhaoqing.yaml").read_text(encoding="utf-8")
    assert cli("policy", "export", "huizhou", "-o", "起点/").exit_code == 0
    assert (tmp_path / "起点" / "huizhou.yaml").is_file()
    renamed = cli("policy", "export", "huizhou", "-o", "shantou.yaml")
    assert renamed.exit_code == 0 and "id: shantou" in renamed.output


def test_policy_export_from_a_policies_folder(cli, tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "broken.yaml").write_text("# 还没写完\nid: broken\n", encoding="utf-8")
    result = cli("--policies", "mine", "policy", "export", "broken", "-o", "copy.yaml")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "copy.yaml").read_text(encoding="utf-8") == "# 还没写完\nid: broken\n"


def test_policy_export_unknown_scheme_says_where_schemes_come_from(cli) -> None:
    for name in ("puing", "shantou"):
        result = cli("policy", "export", name)
        assert result.exit_code == 2
        assert f"没有名为“{name}”的方案" in result.output
        assert "--policies" in result.output and "CDO_POLICIES" in result.output
    assert "是否应为：puning" in cli("policy", "export", "puing").output


# ---------------------------------------------------------------- policy check --source


@pytest.mark.parametrize("scheme_id", ["puning", "zhaoqing", "huizhou"])
def test_builtin_schemes_pass_their_source(cli, seed_of, scheme_id: str) -> None:
    result = cli(
        "policy", "check", str(POLICIES / f"{scheme_id}.yaml"), "--source", str(seed_of(scheme_id))
    )
    assert result.exit_code == 0, result.output
    assert "quote-not-found" not in result.output
    assert "0 个错误" in result.output


def _puning_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = (POLICIES / "puning.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "puning.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_quote_not_found_is_placed_with_the_closest_passage(cli, tmp_path: Path, seed_of) -> None:
    source = seed_of("puning")
    path = _puning_copy(
        tmp_path, "quote: 市政府设立首席数据官1名\n", "quote: 市政府设立首席数据官2名\n"
    )
    line = (
        path.read_text(encoding="utf-8").splitlines().index("      quote: 市政府设立首席数据官2名")
        + 1
    )
    result = cli("policy", "check", "puning.yaml", "--source", str(source))
    assert result.exit_code == 1
    assert f"  {line}:14 " in result.output
    assert "错误  原文中找不到引文“市政府设立首席数据官2名”  [quote-not-found]" in result.output
    assert "最接近的原文" in result.output and "“市政府设立首席数据官1名”" in result.output
    assert "引文作“2”，原文作“1”" in result.output
    assert re.search(r"第 \d+ 行", result.output)


def test_quote_differs_only_in_width(cli, tmp_path: Path, seed_of) -> None:
    source = seed_of("puning")
    path = _puning_copy(
        tmp_path, "于2023年10月30日前将名单（附件2）", "于2023年10月30日前将名单(附件2)"
    )
    result = cli("policy", "check", str(path), "--source", str(source))
    assert result.exit_code == 1
    assert "只差全角、半角写法" in result.output


DOC = "一、市政府设立首席\n\n数据官 1 名。\n\n—7—\n\n由分管领导兼任。\n二、各部门确定1名工作联系人。\n"


def test_quotes_ignore_white_space_and_page_numbers() -> None:
    doc = DocumentText("原文.txt", DOC)
    assert doc.contains("市政府设立首席数据官1名。由分管领导兼任")
    assert not doc.contains("市政府设立首席数据官2名")
    assert doc.closest("完全无关的天气预报内容") is None
    start, _ = doc.closest("各部门确定2名工作联系人") or (0, 0)
    assert doc.line_of(start) == 8


def test_document_encodings(tmp_path: Path) -> None:
    for encoding in ("utf-8", "utf-8-sig", "gb18030", "utf-16"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(DOC.encode(encoding))
        assert read_document(path).text.replace("\r", "") == DOC
    from cdo_cli.errors import UnreadableError

    with pytest.raises(UnreadableError, match="不是纯文本文件"):
        decode_document(b"PK\x03\x04\x00\x00binary", "a.docx")


def test_check_source_problems_exit_2(cli, tmp_path: Path) -> None:
    missing = cli("policy", "check", str(POLICIES / "puning.yaml"), "--source", "没有.txt")
    assert missing.exit_code == 2 and "没有.txt: 文件不存在" in missing.output
    (tmp_path / "a.docx").write_bytes(b"PK\x03\x04\x00\x00\x00")
    binary = cli("policy", "check", str(POLICIES / "puning.yaml"), "--source", "a.docx")
    assert binary.exit_code == 2 and "另存为" in binary.output
    two = cli(
        "policy",
        "check",
        str(POLICIES / "puning.yaml"),
        str(POLICIES / "huizhou.yaml"),
        "--source",
        "a.docx",
    )
    assert two.exit_code == 2 and "只能和一个方案文件一起用" in two.output


def _small_scheme(seed: str | None = None, quote: str = "各部门确定1名工作联系人") -> str:
    return f"""\
id: small
city: 某区
authority: 某区政务服务数据管理局
document:
  title: 某区方案
  issuer: 某区人民政府办公室
  issued: 2024-01-01
  seed: {seed or "null"}
  source: {{section: 一, quote: 市政府设立首席数据官1名}}
units:
  - name: 区教育局
    kind: department
    source: {{section: 二, quote: "{quote}"}}
roles:
  - id: dept_contact
    name: 工作联系人
    category: contact
    applies_to: {{units: [区教育局]}}
    required: true
    holders: {{min: 1, max: 1}}
    source: {{section: 二, quote: 各部门确定1名工作联系人}}
"""


def test_check_uses_the_seed_beside_the_scheme(cli, tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "原文.txt").write_bytes(DOC.encode("gb18030"))
    (tmp_path / "small.yaml").write_text(
        _small_scheme("原文.txt", "各部门确定3名工作联系人"), encoding="utf-8"
    )
    result = cli("policy", "check", "small.yaml")
    assert result.exit_code == 1
    assert "quote-not-found" in result.output and "引文作“3”，原文作“1”" in result.output
    (tmp_path / "small.yaml").write_text(_small_scheme("原文.txt"), encoding="utf-8")
    good = cli("policy", "check", "small.yaml")
    assert good.exit_code == 0, good.output
    assert "引文已与原文" in good.stderr and "原文.txt" in good.stderr


def test_check_says_when_quotes_were_not_checked(cli, tmp_path: Path) -> None:
    (tmp_path / "small.yaml").write_text(_small_scheme("不在.txt"), encoding="utf-8")
    result = cli("policy", "check", "small.yaml")
    assert result.exit_code == 0
    assert "“不在.txt”没有找到" in result.stderr and "引文未核对" in result.stderr
    (tmp_path / "small.yaml").write_text(_small_scheme(), encoding="utf-8")
    assert "引文未与原文核对" in cli("policy", "check", "small.yaml").stderr


def test_quote_check_is_fast_enough_for_a_large_scheme() -> None:
    """200 near-miss quotes over a 15 kB document, each with its closest passage."""
    import random
    import time

    from cdo_cli.policy_quotes import _not_found

    rng = random.Random(11)
    text = "".join(
        rng.choice("首席数据官制度部门单位报送年度工作方案市区县政府联系人") for _ in range(5000)
    )
    doc = DocumentText("原文.txt", "\n".join(text[i : i + 40] for i in range(0, len(text), 40)))
    quotes = []
    for _ in range(200):
        start = rng.randrange(len(text) - 80)
        quote = list(text[start : start + rng.randint(10, 80)])
        quote[len(quote) // 2] = "错"
        quotes.append("".join(quote))
    began = time.perf_counter()
    for quote in quotes:
        assert _not_found(quote, doc).code == "quote-not-found"
    assert (
        time.perf_counter() - began < 20
    )  # about 1 s on a slow machine; a regression is far worse


# ---------------------------------------------------------------- messages for authors

BASE = """\
id: base
city: 某区
authority: 某区政务服务数据管理局
document:
  title: 某区首席数据官制度实施方案
  issuer: 某区人民政府办公室
  issued: 2024-03-01
  source: {section: 标题, quote: 某区首席数据官制度实施方案}
units:
  - name: 某区人民政府
    kind: government
    source: {section: 一, quote: 区政府设首席数据官}
  - name: 区教育局
    aliases: [教育局]
    kind: department
    tags: [list]
    source: {section: 附件, quote: 区教育局}
roles:
  - id: dept_cdo
    name: 部门首席数据官
    category: officer
    applies_to: {tags: [list]}
    required: true
    holders: {min: 1, max: 1}
    source: {section: 二, quote: 各部门设首席数据官}
obligations:
  - id: plan
    title: 报送方案
    owed_by: {tags: [list]}
    deliverable: plan
    due: {date: 2024-04-30, text: 4月底前}
    source: {section: 三, quote: 4月底前报送}
"""

# (name, replace this, with this, code, Chinese words the message must hold)
BROKEN = [
    ("holders-negative", "holders: {min: 1, max: 1}", "holders: {min: -1, max: 1}", "policy-invalid", "min：数值太小（应不小于 0）"),
    ("holders-zero", "holders: {min: 1, max: 1}", "holders: {min: 0, max: 0}", "policy-invalid", "max：数值太小（应不小于 1）"),
    ("holders-range", "holders: {min: 1, max: 1}", "holders: {min: 3, max: 1}", "holders-range", "人数下限大于上限"),
    ("bad-id", "id: dept_cdo", "id: Dept-CDO", "policy-invalid", "只能用小写字母、数字和下划线"),
    ("long-id", "id: dept_cdo", "id: " + "a" * 70, "policy-invalid", "最多 64 个字"),
    ("kind-chinese", "kind: department", "kind: 部门", "policy-invalid", "是否应为“department”（政府部门）"),
    ("category", "category: officer", "category: 官员", "policy-invalid", "officer（首席数据官等职务）、contact（工作联系人） 或 support（支撑团队岗位）"),
    ("deliverable", "deliverable: plan", "deliverable: 方案", "policy-invalid", "是否应为“plan”（实施方案）"),
    ("rule", "required: true", "required: true\n    eligibility_rule: 领导", "policy-invalid", "是否应为“leadership”（领导）"),
    ("no-source", "    source: {section: 附件, quote: 区教育局}\n", "", "policy-invalid", "出处写成 source: {section:"),
    ("empty-quote", "quote: 区教育局}", "quote: ''}", "policy-invalid", "quote：不能为空"),
    ("issued-empty", "issued: 2024-03-01", "issued:", "issue-date-unknown", "文件未载明印发日期：未检查期限是否早于印发日期"),
    ("issued-chinese", "issued: 2024-03-01", "issued: 2024年3月1日", "policy-invalid", "“2024年3月1日”不是有效的日期"),
    ("kind-empty", "kind: department", "kind:", "policy-invalid", "kind：没有填写；可选：government（本级政府）"),
    ("tags-text", "tags: [list]\n    source", "tags: list\n    source", "policy-invalid", "tags：应为列表"),
    ("owed-by-text", "owed_by: {tags: [list]}", "owed_by: 区教育局", "policy-invalid", "选择单位写成键值对"),
    ("role-typo", "deliverable: plan", "deliverable: plan\n    role: dept_cd", "role-unknown", "是否应为：dept_cdo"),
    ("key-typo", "required: true", "requird: true", "key-unknown", "是否应为“required”"),
    ("column-field", "obligations:", "forms:\n  - id: f1\n    label: 附件1\n    title: 表\n    per_unit: true\n    sections:\n      - kind: unit_role\n        role: dept_cdo\n        columns: [{header: 姓名, field: 姓名}]\n    source: {section: 附件1, quote: 表}\nobligations:", "policy-invalid", "是否应为“name”（姓名）"),
    ("side-by-side", "obligations:", "forms:\n  - id: f1\n    label: 附件1\n    title: 表\n    per_unit: true\n    sections:\n      - kind: unit_role\n        role: dept_cdo\n        columns: [{header: 姓名, field: name}]\n        side_by_side: 9\n    source: {section: 附件1, quote: 表}\nobligations:", "policy-invalid", "side_by_side：数值太大（应不大于 4）"),
    ("goal-year", "  source: {section: 标题", "  goals: [{year: 20, text: x, source: {section: a, quote: b}}]\n  source: {section: 标题", "policy-invalid", "year：数值太小（应不小于 1900）"),
    ("tag-typo", "applies_to: {tags: [list]}", "applies_to: {tags: [lst]}", "selector-empty", "没有单位带标签 lst（方案中的标签：list）"),
    ("selector-blank", "applies_to: {tags: [list]}", "applies_to: {}", "selector-empty", "选择条件是空的"),
    ("selector-alias", "applies_to: {tags: [list]}", "applies_to: {units: [教育局]}", "unit-alias", "没有选中该单位"),
    ("id-file", "id: base", "id: other", "policy-id", "把文件改名为 other.yaml，或把 id 改为 base"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "old", "new", "code", "words"), BROKEN, ids=[b[0] for b in BROKEN]
)
def test_broken_scheme_messages_are_chinese(
    cli, tmp_path: Path, name: str, old: str, new: str, code: str, words: str
) -> None:
    assert old in BASE
    (tmp_path / "base.yaml").write_text(BASE.replace(old, new, 1), encoding="utf-8")
    result = cli("policy", "check", "base.yaml")
    assert f"[{code}]" in result.output, result.output
    assert words in result.output, result.output
    assert "None" not in result.output
    # Keys, ids and values are quoted as written; the words around them are Chinese.
    words_only = re.sub(r"\[[a-z-]+\]", "", result.output)
    english = re.findall(r"\b(?:needs?|exactly|should|must|value|invalid)\b", words_only)
    assert english == []


def test_base_scheme_passes(cli, tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    result = cli("policy", "check", "base.yaml")
    assert result.exit_code == 0 and "0 个错误，0 个警告" in result.output


def _units(count: int) -> str:
    return "".join(
        f"  - name: 区局{i}\n    kind: department\n    source: {{section: 附件, quote: 区局{i}}}\n"
        for i in range(count)
    )


def test_selector_picking_the_government_and_more_lists_them(cli, tmp_path: Path) -> None:
    text = BASE.replace("units:\n", "units:\n" + _units(7), 1)
    text = text.replace("applies_to: {tags: [list]}", "applies_to: {pilot: false}")
    (tmp_path / "base.yaml").write_text(text, encoding="utf-8")
    result = cli("policy", "check", "base.yaml")
    assert result.exit_code == 0
    assert "[selector-broad]" in result.output
    assert (
        "职位“部门首席数据官”按名称应设在部门，但按 pilot: false 还选中了本级政府：某区人民政府（1 个）"
        in result.output
    )
    role = text.replace("name: 部门首席数据官", "name: 数据专员")
    (tmp_path / "base.yaml").write_text(role, encoding="utf-8")
    result = cli("policy", "check", "base.yaml")
    assert (
        "选中了本级政府“某区人民政府”，也选中了其他单位：区局0、区局1、区局2、区局3、区局4等 9 个单位"
        in result.output
    )


def test_selector_whose_name_says_county_but_picks_departments(cli, tmp_path: Path) -> None:
    text = BASE.replace("name: 部门首席数据官", "name: 县（区）首席数据官").replace(
        "applies_to: {tags: [list]}", "applies_to: {kinds: [department, county]}"
    )
    (tmp_path / "base.yaml").write_text(text, encoding="utf-8")
    result = cli("policy", "check", "base.yaml")
    assert (
        "按名称应设在县（市、区），但按 kinds: department、county 还选中了政府部门：区教育局（1 个）"
        in result.output
    )


def test_builtin_schemes_have_no_selector_warnings(cli) -> None:
    result = cli("policy", "check", *[str(p) for p in sorted(POLICIES.glob("*.yaml"))])
    assert "selector-" not in result.output and "unit-alias" not in result.output


def test_todo_comments_are_found_outside_quotes() -> None:
    text = "a: \"附件 # TODO 不是注释\"\nb: 1  # TODO：填写 b\n# TODO（可选）：以后再说\nc: 'x # TODO'\n"
    found = [(line, column, f.code, f.message) for line, column, f in todo_comments(text)]
    assert found == [
        (2, 7, "todo", "待办：填写 b"),
        (3, 1, "todo-optional", "可选的待办：以后再说"),
    ]


# ---------------------------------------------------------------- where schemes are found


def test_policies_option_given_a_file_says_so(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "shantou.yaml").write_text("id: shantou\n", encoding="utf-8")
    result = cli("--policies", "shantou.yaml", "policy", "list")
    assert result.exit_code == 2
    assert "--policies 应为文件夹，这里是一个文件：shantou.yaml" in result.output
    assert "cdo policy check shantou.yaml" in result.output
    monkeypatch.setenv("CDO_POLICIES", "shantou.yaml")
    env = cli("policy", "list")
    assert env.exit_code == 2
    assert "CDO_POLICIES 应为文件夹" in env.output and "CDO_POLICIES 设为" in env.output


def test_unknown_scheme_suggests_policies(cli, tmp_path: Path) -> None:
    for args in (["policy", "show", "shantou"], ["init", "--scheme", "shantou"]):
        result = cli(*args)
        assert result.exit_code == 2
        assert "没有名为“shantou”的方案" in result.output
        assert "--policies" in result.output and "CDO_POLICIES" in result.output
    (tmp_path / "roster.yaml").write_text("scheme: shantou\nunits: {}\n", encoding="utf-8")
    roster = cli("validate", "roster.yaml")
    assert "[scheme-unknown]" in roster.output and "CDO_POLICIES" in roster.output
