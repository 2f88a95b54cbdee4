"""The readers at scale: nothing done once per file or row that depends on the scheme's size.

Importing N forms for N units must be N work, not N²: the scheme's index of unit names is
built once, a form whose 单位 cell and properties agree is settled without folding every
name of the scheme, and a sheet folds the scheme's names once. Timings are in bench/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from cdo_cli.form_reading import _same_unit
from cdo_cli.lookup import UnitNames
from cdo_cli.policy_loading import Registry
from cdo_cli.sheet_reading import read_sheet

REGISTRY = Registry([])


def test_unit_index_is_built_once_per_list_of_units() -> None:
    scheme = REGISTRY.get("puning")
    index = scheme.unit_index()
    assert scheme.unit_index() is index
    assert index["市商务局"].name == "市工业和信息化局（市商务局）"  # aliases too
    fewer = scheme.model_copy(update={"units": scheme.units[:2]})
    assert {u.name for u in fewer.unit_index().values()} == {u.name for u in scheme.units[:2]}
    assert scheme.unit_index() is index


def test_same_unit_written_alike_needs_no_index(monkeypatch: pytest.MonkeyPatch) -> None:
    names = UnitNames(REGISTRY.get("puning"))

    def boom(self: UnitNames, name: str) -> Any:
        raise AssertionError("a name was looked up")

    with monkeypatch.context() as patch:
        patch.setattr(UnitNames, "find", boom)
        assert _same_unit(names, "市公安局", "市 公安局")
    assert _same_unit(names, "市商务局", "市工业和信息化局（市商务局）")
    assert not _same_unit(names, "市公安局", "市教育局")


def test_sheet_unit_written_otherwise_still_picks_the_units_post(tmp_path: Path) -> None:
    # 工作联系人 is the name of the city's post and the departments': the unit decides.
    book = Workbook()
    sheet = book.active
    for row in (
        ["单位", "职位", "姓名"],
        ["市　公安局", "工作联系人", "李四"],
        ["普宁市 人民政府", "工作联系人", "王五"],
        ["市公安局", "工作联系人", "赵六"],
    ):
        sheet.append(row)
    book.save(tmp_path / "s.xlsx")
    imported = read_sheet(tmp_path / "s.xlsx", REGISTRY, scheme_id="puning")
    assert [(p.unit, p.role, p.person["name"]) for p in imported.people] == [
        ("市公安局", "dept_contact", "李四"),  # spaces inside a unit's name are dropped
        ("普宁市人民政府", "city_contact", "王五"),
        ("市公安局", "dept_contact", "赵六"),
    ]


def test_sheet_folds_a_units_punctuation_through_one_table() -> None:
    from cdo_cli.sheet_reading import _fold_unit

    index = REGISTRY.get("puning").unit_index()
    assert _fold_unit("市工业和信息化局(市商务局)", index) == "市工业和信息化局（市商务局）"
    assert _fold_unit("市公安局", index) == "市公安局"
    assert _fold_unit("不在方案中的单位", index) == "不在方案中的单位"
