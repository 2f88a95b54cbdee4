"""Editing one unit's block of a roster: the same bytes as editing the whole file.

The ledger loads only the blocks of the units a change touches (cdo_cli/roster_blocks.py);
where a block cannot be cut out and proven it edits the whole file, as it always did.
The two ways must give the same roster: a property test drives both with random changes.
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from test_roster_edit import (
    _SETTINGS,
    AFTER,
    BEFORE,
    _golden_changes,
    _ledger,
    _operation,
    _template,
    hypothesis,
    st,
)

from cdo_cli import roster_blocks, roster_edit
from cdo_cli.roster import Filing, Person
from cdo_cli.roster_blocks import Span, scan_roster

D = dt.date

# Layouts BEFORE and the template do not have: lists at the key's column, quoted and alias
# keys, units in braces, a literal block, blank lines inside a unit, a key after units.
ODD = textwrap.dedent(
    """\
    scheme: puning
    units:
      普宁市人民政府:
        officers:
          city_cdo: {name: 王五}
        filings:
        - obligation: city_contact_form
          date: 2023-10-25
        # 待补
      "市公安局":
        officers:
          dept_cdo:
            name: 张三

            title: 副局长
          support_data:
          - name: 钱七
        # 公安之后


      市商务局: {filings: []}   # 别名
      市教育局: {officers: {dept_cdo: {name: 李四, title: 副局长}}}
      市财政局:
        note: |
          第一行
          第二行

      市民政局: ~
      不存在的单位:
        note: x
    note: 文件末尾的键
    """
)
LAYOUTS = {"before": BEFORE, "odd": ODD, "no final break": BEFORE.rstrip("\n")}


# ---------------------------------------------------------------- where the blocks are


def test_scan_finds_each_units_lines_without_the_comments_after_it() -> None:
    scan = scan_roster(BEFORE)
    assert scan.unusual is None
    assert scan.spans == (
        Span("普宁市人民政府", 5, 15),
        Span("市公安局", 17, 29),
        Span("市教育局", 29, 30),
        Span("市财政局", 31, 33),
    )
    lines = BEFORE.split("\n")
    assert lines[14].startswith("      - {obligation: city_contact_form")  # its last line
    assert lines[15:17] == ["", "  # ———— 政府部门 ————"]  # stays between the blocks


def test_scan_block_scalar_and_braces() -> None:
    spans = scan_roster(ODD).spans
    assert spans is not None
    assert [s.key for s in spans] == [
        "普宁市人民政府",
        "市公安局",
        "市商务局",
        "市教育局",
        "市财政局",
        "市民政局",
        "不存在的单位",
    ]
    lines = ODD.split("\n")
    police, finance = spans[1], spans[4]
    assert lines[police.end - 1] == "      - name: 钱七"
    assert lines[finance.start : finance.end][-2:] == ["      第二行", ""]  # the literal's end


@pytest.mark.parametrize(
    "text",
    [
        "scheme: puning\nunits: {市公安局: {note: x}}\n",  # in braces
        "scheme: puning\nunits:\n",  # empty
        "scheme: puning\nunits:\n  ? 市公安局\n  : {note: x}\n",  # an explicit key
        "scheme: puning\nunits:\n  123: {note: x}\n",  # a key YAML reads as a number
        "scheme: puning\r\nunits:\r  市公安局: {note: x}\r",  # old Mac line ends
        'scheme: puning\nunits:\n  市公安局: {note: "a\u2028b"}\n',  # a line separator
        "- scheme: puning\n",  # not a mapping
    ],
)
def test_scan_gives_no_blocks_where_it_cannot_cut(text: str) -> None:
    assert scan_roster(text).spans is None


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("scheme: puning\nunits:\n  市公安局: &p {note: x}\n  市教育局: *p\n", "锚点或别名"),
        (
            "scheme: puning\nunits:\n  市公安局:\n    note: !!str 12\n",
            "YAML 标签 tag:yaml.org,2002:str",
        ),
        ("scheme: puning\nunits: !!map\n  市公安局: {}\n", "YAML 标签"),
        ("scheme: puning\nnote: !!str x\nunits:\n  市公安局: {}\n", "YAML 标签"),
    ],
)
def test_scan_names_what_cdo_does_not_edit(text: str, why: str) -> None:
    scan = scan_roster(text)
    assert scan.unusual is not None and why in scan.unusual
    assert scan.spans is None


# ---------------------------------------------------------------- blocks, or the whole file


def test_a_change_loads_only_the_blocks_it_touches(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, _template())  # every unit of the scheme
    police = ledger.loaded.scheme.unit_index()["市公安局"]
    ledger.add_filing(police, Filing(obligation="dept_contact_form", date=D(2023, 10, 28)))
    assert ledger._doc is None  # ruamel never loaded the whole file
    assert list(ledger._blocks or ()) == ["市公安局"]
    assert len(ledger._spans) > 30
    ledger = _ledger(tmp_path, BEFORE)
    _golden_changes(ledger)
    assert set(ledger._blocks or ()) == {"普宁市人民政府", "市公安局", "市教育局", "市财政局"}
    assert ledger.propose().text == AFTER
    assert ledger._doc is None


@pytest.mark.parametrize("where", ["load_block", "merge_block"])
def test_a_block_that_cannot_be_proven_falls_back_to_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.setattr(roster_edit, where, lambda *args: None)
    ledger = _ledger(tmp_path, BEFORE)
    _golden_changes(ledger)
    proposal = ledger.propose()
    assert ledger._blocks is None and ledger._doc is not None
    assert proposal.text == AFTER and not proposal.reformatted


def test_blocks_are_proven_against_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A block cut one line short holds other data than the file: not used.
    cut = roster_blocks.load_block

    def short(yaml: Any, name: str, lines: list[str], span: Span, value: Any) -> Any:
        return cut(yaml, name, lines, Span(span.key, span.start, span.end - 1), value)

    monkeypatch.setattr(roster_edit, "load_block", short)
    ledger = _ledger(tmp_path, BEFORE)
    _golden_changes(ledger)
    assert ledger._blocks is None
    assert ledger.propose().text == AFTER


def test_new_unit_before_the_files_last_comment_with_four_spaces(tmp_path: Path) -> None:
    text = textwrap.dedent(
        """\
        scheme: puning
        units:
            市公安局:
                filings:
                    -   {obligation: dept_contact_form, date: 2023-10-30}
        # 尾注
        """
    )
    ledger = _ledger(tmp_path, text)
    unit = ledger.loaded.scheme.unit_index()["市教育局"]
    ledger.add_filing(unit, Filing(obligation="dept_contact_form", date=D(2023, 10, 28)))
    assert ledger.propose().text == text.replace(
        "# 尾注",
        "    市教育局:\n        filings:\n"
        "            - {obligation: dept_contact_form, date: 2023-10-28}\n# 尾注",
    )


def test_new_units_of_one_kind_follow_each_other(tmp_path: Path) -> None:
    ledger = _ledger(tmp_path, BEFORE)
    index = ledger.loaded.scheme.unit_index()
    for name in ("市科技局", "市民政局"):
        ledger.add_person(index[name], "dept_cdo", Person(name=f"{name[1:3]}甲"))
    ledger.add_filing(
        index["市科技局"], Filing(obligation="dept_contact_form", date=D(2023, 11, 1))
    )
    (tmp_path / "w").mkdir()
    whole = _ledger(tmp_path / "w", BEFORE)
    whole._whole_file()
    for name in ("市科技局", "市民政局"):
        whole.add_person(index[name], "dept_cdo", Person(name=f"{name[1:3]}甲"))
    whole.add_filing(index["市科技局"], Filing(obligation="dept_contact_form", date=D(2023, 11, 1)))
    text = ledger.propose().text
    assert text == whole.propose().text
    assert text.index("  市财政局:") < text.index("  市科技局:") < text.index("  市民政局:")
    assert text.index("  市民政局:") < text.index("# 文件末尾的注释")


# ---------------------------------------------------------------- the same as the whole file


def _apply(ledger: Any, operations: list[tuple[Any, ...]]) -> Any:
    """The changes made through the ledger: the bytes proposed, or the refusal's words."""
    index = ledger.loaded.scheme.unit_index()
    try:
        for op in operations:
            kind, unit = op[0], index[str(op[1])]
            if kind == "filing":
                ledger.add_filing(unit, op[2])
            elif kind == "past":
                ledger.add_past(unit, op[2])
            else:
                role, person, pick = op[2], op[3], op[4]
                holders = ledger.loaded.holders(unit, role)
                if kind == "add":
                    ledger.add_person(unit, role, person)
                elif holders:
                    old = holders[pick % len(holders)]
                    if kind == "update":
                        ledger.update_person(unit, role, old.name, person)
                    else:
                        ledger.remove_person(unit, role, old.name)
        proposal = ledger.propose()
    except roster_edit.EditRefusedError as exc:
        return re.sub(r"\S*roster\.yaml", "roster.yaml", exc.message)
    return proposal.data, proposal.reformatted, [f.code for f in proposal.new_errors]


@hypothesis.settings(max_examples=60, **_SETTINGS)  # type: ignore[arg-type]
@hypothesis.given(
    operations=st.lists(_operation(), min_size=1, max_size=6),
    layout=st.sampled_from([*LAYOUTS, "template"]),
    crlf=st.booleans(),
)
def test_blocks_give_the_bytes_the_whole_file_gives(
    tmp_path_factory: pytest.TempPathFactory,
    operations: list[tuple[Any, ...]],
    layout: str,
    crlf: bool,
) -> None:
    text = _template() if layout == "template" else LAYOUTS[layout]
    raw = (text.replace("\n", "\r\n") if crlf else text).encode("utf-8")
    blocks = _ledger(tmp_path_factory.mktemp("b"), "", raw)
    whole = _ledger(tmp_path_factory.mktemp("w"), "", raw)
    assert blocks._blocks is not None
    whole._whole_file()
    assert _apply(blocks, operations) == _apply(whole, operations)
