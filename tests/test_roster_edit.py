"""The roster editor and change plans: layout kept byte for byte, proofs, refusals, imports.

Golden before/after texts pin what an edit may touch; a property test drives random
sequences of changes and checks the data and the comments that come back.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from cdo_cli.line_merge import line_key, merge_lines, split_lines
from cdo_cli.policy_loading import Registry
from cdo_cli.records import FilingRecord, ImportedFile, PersonRecord, Where
from cdo_cli.roster import Filing, PastHolder, Person
from cdo_cli.roster_edit import EditRefusedError, Ledger, open_ledger
from cdo_cli.roster_plan import apply_plan, plan_import, propose_plan
from cdo_cli.workspace import RosterInvalidError

REGISTRY = Registry([])
D = dt.date

BEFORE = """\
# 普宁市首席数据官名册（测试）
scheme: puning    # 方案
note:   "手工维护"
units:
  # ———— 本级政府 ————
  普宁市人民政府:
    officers:
      # 市政府首席数据官
      city_cdo:
        name: 王晓明             # 姓名
        title: 副市长            # 职务
        phone: 0663-6186213      # 电话
      city_contact: {office: 综合股, name: 赵六, title: 股长, phone: "13800138000"}  # 联系人
    filings:
      - {obligation: city_contact_form, date: 2023-10-25}   # 已报

  # ———— 政府部门 ————
  市公安局:    # 公安
    officers:
      dept_cdo:
        name:                    # 姓名
        title: ~                 # 职务
        phone:                   # 电话
      support_data:
      - {name: 钱七, title: 科员, qualification: 计算机专业}
      - name: 孙八
        title: 科员
        qualification: 数学专业
    filings: []  # 已报送的事项
  市教育局:
  # 市税务局 尚未填写
  市财政局:
    note: 财政
# 文件末尾的注释
"""

AFTER = """\
# 普宁市首席数据官名册（测试）
scheme: puning    # 方案
note:   "手工维护"
units:
  # ———— 本级政府 ————
  普宁市人民政府:
    officers:
      # 市政府首席数据官
      city_cdo:
        name: 王晓明             # 姓名
        title: 副市长            # 职务
        phone: 0663-6186213      # 电话
      city_contact: {office: 综合股, name: 赵六, title: 股长, phone: "13800138000"}  # 联系人
    filings:
      - {obligation: city_contact_form, date: 2023-10-25}   # 已报
    history:
      - role: city_cdo
        name: 前任
        ended: 2023-12-01

  # ———— 政府部门 ————
  市公安局:    # 公安
    officers:
      dept_cdo:
        name: 张三               # 姓名
        title: 副局长            # 职务
        phone: '13800138001'     # 电话
        appointed: 2023-10-30
      support_data:
      - {name: 钱七, title: 科员, qualification: 计算机专业}
      - name: 孙八
        title: 科员
        qualification: 数学专业
    filings:  # 已报送的事项
      - {obligation: dept_contact_form, date: 2023-10-28}
  市教育局:
    filings:
      - {obligation: dept_contact_form, date: 2023-10-29, note: 普教〔2023〕1号}
  # 市税务局 尚未填写
  市财政局:
    note: 财政
  市科技局:
    officers:
      dept_contact:
        name: 周九
        office: 办公室
        phone: '13800138002'
# 文件末尾的注释
"""


def _ledger(tmp_path: Path, text: str, raw: bytes | None = None) -> Ledger:
    path = tmp_path / "roster.yaml"
    path.write_bytes(raw if raw is not None else text.encode("utf-8"))
    return open_ledger(path, REGISTRY)


def _golden_changes(ledger: Ledger) -> None:
    idx = ledger.loaded.scheme.unit_index()
    police = idx["市公安局"]
    ledger.add_filing(police, Filing(obligation="dept_contact_form", date=D(2023, 10, 28)))
    ledger.add_person(
        police,
        "dept_cdo",
        Person(name="张三", title="副局长", phone="13800138001", appointed=D(2023, 10, 30)),
    )
    ledger.add_filing(
        idx["市教育局"],
        Filing(obligation="dept_contact_form", date=D(2023, 10, 29), note="普教〔2023〕1号"),
    )
    ledger.add_person(
        idx["市科技局"], "dept_contact", Person(office="办公室", name="周九", phone="13800138002")
    )
    ledger.add_past(
        idx["普宁市人民政府"], PastHolder(role="city_cdo", name="前任", ended=D(2023, 12, 1))
    )


# ---------------------------------------------------------------- layout kept


def test_edit_golden_only_changed_lines_differ(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, BEFORE)
    _golden_changes(ledger)
    proposal = ledger.propose()
    assert proposal.text == AFTER
    assert not proposal.reformatted and proposal.changed
    assert proposal.new_errors == []


def test_edit_golden_crlf_and_bom_kept(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + BEFORE.replace("\n", "\r\n").encode("utf-8")
    ledger = _ledger(tmp_path, "", raw)
    _golden_changes(ledger)
    proposal = ledger.propose()
    assert proposal.data == b"\xef\xbb\xbf" + AFTER.replace("\n", "\r\n").encode("utf-8")


def test_edit_mixed_line_ends_keep_their_own(tmp_path: Path) -> None:
    lines = BEFORE.split("\n")
    lines[1] += "\r"  # only `scheme: puning    # 方案` ends in CRLF
    ledger = _ledger(tmp_path, "\n".join(lines))
    _golden_changes(ledger)
    expected = AFTER.split("\n")
    expected[1] += "\r"
    assert ledger.propose().text == "\n".join(expected)


def test_edit_without_changes_writes_the_same_bytes(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, BEFORE)
    proposal = ledger.propose()
    assert proposal.data == BEFORE.encode("utf-8")
    assert not proposal.changed


def test_edit_file_without_final_line_break(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, BEFORE.rstrip("\n"))
    _golden_changes(ledger)
    assert ledger.propose().text == AFTER.rstrip("\n")


def test_edit_mapping_becomes_a_list_and_comments_stay(tmp_path: Path) -> None:
    text = textwrap.dedent(
        """\
        scheme: puning
        units:
          市公安局:
            officers:
              support_data:    # 数据岗位
                name: 钱七     # 第一位
                title: 科员
              # 联系人在下面
              dept_contact: {name: 李四}
        """
    )
    ledger = _ledger(tmp_path, text)
    police = ledger.loaded.scheme.unit_index()["市公安局"]
    ledger.add_person(police, "support_data", Person(name="钱八", title="科员"))
    assert ledger.propose().text == textwrap.dedent(
        """\
        scheme: puning
        units:
          市公安局:
            officers:
              support_data:    # 数据岗位
                - name: 钱七   # 第一位
                  title: 科员
                - name: 钱八
                  title: 科员
              # 联系人在下面
              dept_contact: {name: 李四}
        """
    )


def test_edit_removing_from_a_list_keeps_the_next_comment(tmp_path: Path) -> None:
    text = textwrap.dedent(
        """\
        scheme: puning
        units:
          市公安局:
            officers:
              support_data:
                - {name: 钱七}
                - {name: 钱八}   # 第二位
              # 联系人
              dept_contact: {name: 李四}
        """
    )
    ledger = _ledger(tmp_path, text)
    police = ledger.loaded.scheme.unit_index()["市公安局"]
    ledger.remove_person(police, "support_data", "钱八")
    ledger.remove_person(police, "dept_contact", "李四")
    assert ledger.propose().text == textwrap.dedent(
        """\
        scheme: puning
        units:
          市公安局:
            officers:
              support_data:
                - {name: 钱七}
              # 联系人
              dept_contact: {}
        """
    )


def test_edit_new_post_follows_the_units_style(tmp_path: Path) -> None:
    text = "scheme: puning\nunits:\n  市公安局:\n    officers:\n      dept_cdo: {name: 张三}\n"
    ledger = _ledger(tmp_path, text)
    police = ledger.loaded.scheme.unit_index()["市公安局"]
    ledger.add_person(police, "dept_contact", Person(name="李四", phone="13800138000"))
    assert (
        ledger.propose().text == text + "      dept_contact: {name: 李四, phone: '13800138000'}\n"
    )


def test_edit_new_unit_in_an_empty_roster(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, "# 空名册\nscheme: puning\nunits:\n")
    police = ledger.loaded.scheme.unit_index()["市公安局"]
    ledger.add_filing(police, Filing(obligation="dept_contact_form", date=D(2023, 10, 28)))
    assert ledger.propose().text == (
        "# 空名册\nscheme: puning\nunits:\n  市公安局:\n    filings:\n"
        "      - {obligation: dept_contact_form, date: 2023-10-28}\n"
    )


def test_edit_unit_written_by_its_alias_keeps_its_key(tmp_path: Path) -> None:
    text = "scheme: puning\nunits:\n  市商务局:\n    filings: []\n"
    ledger = _ledger(tmp_path, text)
    unit = ledger.loaded.scheme.unit_index()["市工业和信息化局（市商务局）"]
    ledger.add_filing(unit, Filing(obligation="dept_contact_form", date=D(2023, 10, 28)))
    assert (
        "  市商务局:\n    filings:\n      - {obligation: dept_contact_form" in ledger.propose().text
    )


def test_edit_unknown_keys_and_odd_values_elsewhere_untouched(tmp_path: Path) -> None:
    text = textwrap.dedent(
        """\
        scheme: puning
        units:
          市公安局:
            officers:
              dept_cdo:   {name:   张三,   title: 副局长}
              dept_contact: {name: '李四', phone:    "13800138000"}
            filings:
            - obligation: dept_contact_form
              date:   2023-10-28
            colour: blue
          市教育局:
            note: ~
        """
    )
    ledger = _ledger(tmp_path, text)
    unit = ledger.loaded.scheme.unit_index()["市教育局"]
    ledger.add_filing(unit, Filing(obligation="dept_contact_form", date=D(2023, 10, 29)))
    proposal = ledger.propose()
    assert proposal.text == text + (
        "    filings:\n    - {obligation: dept_contact_form, date: 2023-10-29}\n"
    )
    assert proposal.new_errors == []  # colour: key-unknown was there before


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("scheme: puning\nunits:\n  市公安局: &p {note: x}\n  市教育局: *p\n", "锚点或别名"),
        ("scheme: puning\nunits:\n  市公安局:\n    note: !!str 12\n", "YAML 标签"),
    ],
)
def test_edit_refuses_what_it_cannot_keep(tmp_path: Path, text: str, why: str) -> None:
    with pytest.raises(EditRefusedError) as caught:
        _ledger(tmp_path, text)
    assert why in caught.value.message
    assert caught.value.exit_code == 2


def test_edit_refuses_a_roster_of_an_unknown_scheme(tmp_path: Path) -> None:
    with pytest.raises(RosterInvalidError) as caught:
        _ledger(tmp_path, "scheme: shantou\nunits: {}\n")
    assert "没有名为“shantou”的方案" in caught.value.message
    assert caught.value.exit_code == 1


def test_edit_reports_only_errors_it_would_add(tmp_path: Path) -> None:
    text = "scheme: puning\nunits:\n  市公安局:\n    officers:\n      dept_cdo: {phone: '123'}\n"
    ledger = _ledger(tmp_path, text)
    assert [f.code for f in ledger.findings if f.severity.value == "error"] == ["phone-invalid"]
    police = ledger.loaded.scheme.unit_index()["市公安局"]
    ledger.add_filing(police, Filing(obligation="dept_contact_form", date=D(2023, 10, 1)))
    proposal = ledger.propose()
    assert [f.code for f in proposal.new_errors] == ["filing-before-issue"]
    assert proposal.new_errors[0].message == "报送日期 2023-10-01 早于方案印发日期 2023-10-24"


# ---------------------------------------------------------------- the line merge


def _keys(text: str) -> list[str]:
    return [line_key(x) for x in split_lines(text)]


def test_merge_keeps_the_files_own_lines_where_the_edit_did_not_go() -> None:
    ours = "a:   1\nb: 2\r\nc: 3\n"
    base = "a: 1\nb: 2\nc: 3\n"
    theirs = "a: 1\nb: 2\nc: 4\n"
    assert "".join(merge_lines(_keys(base), split_lines(ours), _keys(theirs))) == (
        "a:   1\nb: 2\r\nc: 4\n"
    )


def test_merge_same_change_on_both_sides_is_taken_once() -> None:
    base, ours, theirs = "x\n", "y\n", "y\n"
    assert merge_lines(_keys(base), split_lines(ours), _keys(theirs)) == ["y\n"]


def test_merge_layout_change_next_to_an_edit_keeps_the_layout() -> None:
    ours = "k:\n- a\n- b\nz: []\n"
    base = "k:\n  - a\n  - b\nz: []\n"
    theirs = "k:\n  - a\n  - b\nz:\n  - c\n"
    assert "".join(merge_lines(_keys(base), split_lines(ours), _keys(theirs))) == (
        "k:\n- a\n- b\nz:\n  - c\n"
    )
    # A new item in the list the file indents otherwise is indented as the file does.
    theirs = "k:\n  - a\n  - b\n  - c\nz: []\n"
    assert "".join(merge_lines(_keys(base), split_lines(ours), _keys(theirs))) == (
        "k:\n- a\n- b\n- c\nz: []\n"
    )


# ---------------------------------------------------------------- import plans


def _file(path: str, *people: tuple[str, str, dict[str, str]], **kw: object) -> ImportedFile:
    records = [
        PersonRecord(unit, role, person, Where(path, "表格1", i + 2))
        for i, (unit, role, person) in enumerate(people)
    ]
    return ImportedFile(path=path, people=records, **kw)  # type: ignore[arg-type]


ROSTER = """\
scheme: puning
units:
  市公安局:
    officers:
      dept_cdo: {name: 王五, title: 局长, phone: 13800138000}   # 现任
      dept_contact: {office: 科技科, name: 李四, title: 科长, phone: 13912345678}
      support_data:
        - {name: 钱七, title: 科员, qualification: 计算机专业}
    filings:
      - {obligation: dept_contact_form, date: 2023-10-28}
"""


def test_plan_import_adds_changes_and_removes_field_by_field(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, ROSTER)
    sheet = _file(
        "汇总表.xlsx",
        ("市公安局", "dept_contact", {"name": "李四", "phone": "13900000000"}),
        ("市公安局", "dept_cdo", {"name": "张三", "title": "副局长"}),
        ("市教育局", "dept_cdo", {"name": "赵一", "title": "副局长"}),
        units=["市公安局"],
    )
    plan = plan_import(ledger.loaded, [sheet], ledger.loaded.scheme)
    assert not plan.blocked
    got = {(c.unit, c.role, c.action): c for c in plan.people}
    contact = got["市公安局", "dept_contact", "changed"]
    assert [(f.field, f.old, f.new) for f in contact.fields] == [
        ("phone", "13912345678", "13900000000")
    ]
    assert contact.new is not None and contact.new.title == "科长"  # empty cells do not clear
    cdo = got["市公安局", "dept_cdo", "changed"]
    assert cdo.replaces and cdo.to_history
    assert ("name", "王五", "张三") in [(f.field, f.old, f.new) for f in cdo.fields]
    assert got["市公安局", "support_data", "removed"].old.name == "钱七"  # type: ignore[union-attr]
    assert got["市教育局", "dept_cdo", "added"].source == Where("汇总表.xlsx", "表格1", 4)
    assert plan.units() == ["市公安局", "市教育局"]

    proposal = propose_plan(ledger, plan, D(2024, 3, 1))
    assert proposal.loaded is not None
    police = proposal.loaded.entry(ledger.loaded.scheme.unit_index()["市公安局"])
    assert police is not None
    assert [(h.role, h.name, h.ended) for h in police.history] == [
        ("dept_cdo", "王五", D(2024, 3, 1)),
        ("support_data", "钱七", D(2024, 3, 1)),
    ]
    assert "# 现任" in proposal.text


def test_plan_import_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, ROSTER)
    form = _file(
        "附件2-市公安局.docx",
        ("市公安局", "dept_cdo", {"name": "张三", "title": "副局长", "phone": "13800138001"}),
        ("市公安局", "dept_contact", {"name": "李四", "office": "科技科"}),
        form="attachment2",
        units=["市公安局"],
    )
    form.filings.append(
        FilingRecord("市公安局", "dept_cdo_plan", D(2023, 10, 29), Where("附件2-市公安局.docx"))
    )
    plan = plan_import(ledger.loaded, [form, form], ledger.loaded.scheme)
    assert not plan.conflicts and len(plan.filings) == 1
    # The form speaks for dept_cdo and dept_contact only: the support team stays.
    assert {c.role for c in plan.people} == {"dept_cdo"}
    proposal = propose_plan(ledger, plan, D(2024, 3, 1))
    ledger.save(proposal, dt.datetime(2024, 3, 1, 9))
    again = open_ledger(ledger.path, REGISTRY)
    second = plan_import(again.loaded, [form], again.loaded.scheme)
    assert second.empty and not second.blocked
    assert again.propose().data == ledger.path.read_bytes()


def test_plan_import_conflict_names_both_sources(tmp_path: Path) -> None:
    from cdo_cli.plan_format import plan_json, plan_text

    ledger = _ledger(tmp_path, ROSTER)
    one = _file("甲.docx", ("市公安局", "dept_cdo", {"name": "张三"}))
    two = _file("乙.xlsx", ("公安局", "dept_cdo", {"name": "赵四"}))
    three = _file("丙.xlsx", ("市公安局", "dept_contact", {"name": "李四", "phone": "13900000001"}))
    four = _file("丁.xlsx", ("市公安局", "dept_contact", {"name": "李四", "phone": "13900000002"}))
    plan = plan_import(ledger.loaded, [one, three, four], ledger.loaded.scheme)
    assert plan.blocked and len(plan.conflicts) == 1
    assert "联系电话“13900000001”/“13900000002”" in plan_text(plan)
    assert "丙.xlsx 表格1 第 2 行" in plan_text(plan) and "丁.xlsx 表格1 第 2 行" in plan_text(plan)
    plan = plan_import(ledger.loaded, [one, two], ledger.loaded.scheme)
    assert [p.message for p in plan.problems] == ["“公安局”不是普宁市方案范围内的单位"]
    assert plan.problems[0].hint == "是否应为：市公安局？"
    renamed = _file("乙.xlsx", ("市公安局", "dept_cdo", {"name": "赵四"}))
    plan = plan_import(ledger.loaded, [one, renamed], ledger.loaded.scheme)
    assert "甲.docx 表格1 第 2 行 和 乙.xlsx 表格1 第 2 行" in plan_json(plan)
    with pytest.raises(Exception, match="有冲突"):
        propose_plan(ledger, plan, D(2024, 3, 1))


def test_plan_import_problems_unknown_role_obligation_and_scheme(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, ROSTER)
    bad = _file("x.xlsx", ("市公安局", "city_cdo", {"name": "甲"}), ("市公安局", "dept_cdo", {}))
    bad.filings.append(
        FilingRecord("市公安局", "dept_contact_from", D(2023, 10, 1), Where("x.xlsx"))
    )
    other = _file("y.docx", ("市公安局", "dept_cdo", {"name": "乙"}), scheme="zhaoqing")
    plan = plan_import(ledger.loaded, [bad, other], ledger.loaded.scheme)
    messages = [p.message for p in plan.problems]
    assert messages[0] == "政府部门“市公安局”不设“市政府首席数据官”（city_cdo）"
    assert messages[1] == "“市公安局”的“市直部门首席数据官”一行没有姓名，无法导入"
    assert messages[2] == "“dept_contact_from”不是本方案的事项"
    assert (plan.problems[2].hint or "").startswith("是否应为：dept_contact_form")
    assert "zhaoqing" in messages[3]
    assert plan.empty


def test_plan_import_empty_file_is_nothing_to_do(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, ROSTER)
    blank = ImportedFile("空.docx", form="attachment2", units=["市公安局"])
    plan = plan_import(ledger.loaded, [blank], ledger.loaded.scheme)
    assert plan.empty and not plan.blocked  # nobody is removed by a blank form


def test_apply_plan_on_a_list_post_adds_beside(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, ROSTER)
    sheet = _file("s.csv", ("市公安局", "support_data", {"name": "钱八", "title": "科员"}))
    plan = plan_import(ledger.loaded, [sheet], ledger.loaded.scheme)
    apply_plan(ledger, plan, D(2024, 3, 1))
    text = ledger.propose().text
    assert "        - {name: 钱七, title: 科员, qualification: 计算机专业}\n" in text
    assert "        - {name: 钱八, title: 科员}\n" in text


# ---------------------------------------------------------------- random changes

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

_CHARS = "张三李四王五赵钱孙副局长科员AZaz09 :#'\"-{}[],&*!|>%@`?~.\\/（）、"
_text = st.text(alphabet=_CHARS, min_size=1, max_size=8).filter(lambda s: bool(s.strip()))
_maybe = st.none() | _text
_day = st.dates(min_value=D(2023, 10, 24), max_value=D(2026, 12, 31))
_persons = st.builds(
    Person, name=_text, title=_maybe, office=_maybe, phone=_maybe, email=_maybe,
    appointed=st.none() | _day, note=_maybe,
)  # fmt: skip
_UNITS = ["普宁市人民政府", "市公安局", "市教育局", "市财政局", "市科技局", "市民政局"]
_ROLES = {
    "普宁市人民政府": ["city_cdo", "city_contact"],
    "default": ["dept_cdo", "dept_contact", "support_data", "support_planning"],
}
_OBLIGATIONS = ["dept_contact_form", "dept_cdo_plan", "city_contact_form"]


@st.composite
def _operation(draw: st.DrawFn) -> tuple[object, ...]:
    unit = draw(st.sampled_from(_UNITS))
    role = draw(st.sampled_from(_ROLES.get(unit, _ROLES["default"])))
    kind = draw(st.sampled_from(["add", "update", "remove", "filing", "past"]))
    if kind == "filing":
        note = draw(st.none() | _text)
        return (
            kind,
            unit,
            Filing(obligation=draw(st.sampled_from(_OBLIGATIONS)), date=draw(_day), note=note),
        )
    if kind == "past":
        return kind, unit, PastHolder(**draw(_persons).model_dump(), role=role, ended=draw(_day))
    return kind, unit, role, draw(_persons), draw(st.integers(0, 5))


def _unit_blocks(text: str) -> dict[str, str]:
    """Each unit's lines in a roster written like BEFORE, without the comments after it."""
    import re

    lines = text.splitlines(keepends=True)
    starts = [
        (i, m.group(1)) for i, x in enumerate(lines) if (m := re.match(r"^  ([^\s#][^:]*):", x))
    ]
    blocks: dict[str, str] = {}
    for n, (i, name) in enumerate(starts):
        block = lines[i : starts[n + 1][0] if n + 1 < len(starts) else len(lines)]
        while block and (not block[-1].startswith("   ") or block[-1].lstrip().startswith("#")):
            block.pop()
        blocks[name] = "".join(block) or lines[i]
    return blocks


def _template() -> str:
    from cdo_cli.roster_template import roster_template

    return roster_template(REGISTRY.get("puning"), "puning.roster.schema.json")


_SETTINGS = {"deadline": None, "suppress_health_check": list(hypothesis.HealthCheck)}


@hypothesis.settings(max_examples=100, **_SETTINGS)  # type: ignore[arg-type]
@hypothesis.given(
    operations=st.lists(_operation(), min_size=1, max_size=6), crlf=st.booleans(), bom=st.booleans()
)
def test_edit_random_changes_give_exactly_the_intended_data(
    tmp_path_factory: pytest.TempPathFactory,
    operations: list[tuple[object, ...]],
    crlf: bool,
    bom: bool,
) -> None:
    _random_changes(tmp_path_factory.mktemp("r"), BEFORE, operations, crlf, bom)


@hypothesis.settings(max_examples=12, **_SETTINGS)  # type: ignore[arg-type]
@hypothesis.given(operations=st.lists(_operation(), min_size=1, max_size=6))
def test_edit_random_changes_on_the_init_template(
    tmp_path_factory: pytest.TempPathFactory, operations: list[tuple[object, ...]]
) -> None:
    _random_changes(tmp_path_factory.mktemp("t"), _template(), operations, False, False)


def _random_changes(
    folder: Path, base: str, operations: list[tuple[object, ...]], crlf: bool, bom: bool
) -> None:
    """Apply ``operations`` through the ledger and by hand; the roster read back must hold
    what the hand says, every comment must be there, untouched units byte for byte."""
    text = base.replace("\n", "\r\n") if crlf else base
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    ledger = _ledger(folder, "", raw)
    scheme = ledger.loaded.scheme
    index = scheme.unit_index()
    # What the roster should hold afterwards, kept by hand beside the ledger.
    want: dict[str, dict[str, list[dict[str, object]]]] = {}
    for name in _UNITS:
        entry = ledger.loaded.entry(index[name])
        want[name] = {
            **{
                r.id: [p.model_dump() for p in ledger.loaded.holders(index[name], r.id)]
                for r in scheme.roles
            },
            "filings": [f.model_dump() for f in entry.filings] if entry else [],
            "history": [h.model_dump() for h in entry.history] if entry else [],
        }
    touched: set[str] = set()
    removed: set[tuple[str, str]] = set()
    for op in operations:
        kind, name = op[0], str(op[1])
        unit = index[name]
        if kind == "filing":
            assert isinstance(op[2], Filing)
            ledger.add_filing(unit, op[2])
            want[name]["filings"].append(op[2].model_dump())
        elif kind == "past":
            assert isinstance(op[2], PastHolder)
            ledger.add_past(unit, op[2])
            want[name]["history"].append(op[2].model_dump())
        else:
            role, person, pick = str(op[2]), op[3], int(op[4])  # type: ignore[call-overload]
            assert isinstance(person, Person)
            holders = want[name][role]
            names = [h["name"] for h in holders]
            if kind == "add":
                if person.name in names:
                    continue
                ledger.add_person(unit, role, person)
                holders.append(person.model_dump())
            elif not holders or (kind == "update" and person.name in names):
                continue
            else:
                old = holders[pick % len(holders)]
                if names.count(old["name"]) > 1:
                    continue
                if kind == "update":
                    ledger.update_person(unit, role, old["name"], person)  # type: ignore[arg-type]
                    holders[holders.index(old)] = person.model_dump()
                else:
                    ledger.remove_person(unit, role, old["name"])  # type: ignore[arg-type]
                    holders.remove(old)
                    removed.add((name, role))
        touched.add(name)
    proposal = ledger.propose()
    assert not proposal.reformatted
    assert proposal.loaded is not None
    for name in _UNITS:
        entry = proposal.loaded.entry(index[name])
        got = {
            **{
                r.id: [p.model_dump() for p in proposal.loaded.holders(index[name], r.id)]
                for r in scheme.roles
            },
            "filings": [f.model_dump() for f in entry.filings] if entry else [],
            "history": [h.model_dump() for h in entry.history] if entry else [],
        }
        for key, value in want[name].items():
            if key in ("filings", "history"):
                assert got[key] == value, (name, key)
            else:
                assert sorted(map(repr, got[key])) == sorted(map(repr, value)), (name, key)
    new = proposal.data
    assert new.startswith(b"\xef\xbb\xbf") == bom
    result = new.decode("utf-8-sig")
    assert (result.count("\r\n") == result.count("\n")) == crlf or result.count("\n") == 0
    plain = result.replace("\r\n", "\n")
    # Comments on lines no change removes; a person taken out of a list takes the
    # comments on their own lines along.
    markers = ["# 方案", "# 联系人", "# 已报\n", "# 公安", "# 已报送的事项"]
    if not removed & {("普宁市人民政府", "city_cdo"), ("市公安局", "dept_cdo")}:
        markers += ["# 姓名", "# 职务", "# 电话"]
    for marker in markers if base is BEFORE else ():
        assert plain.count(marker) == BEFORE.count(marker), marker
    for name, block in _unit_blocks(base).items():
        if name not in touched:
            assert block in plain, name
