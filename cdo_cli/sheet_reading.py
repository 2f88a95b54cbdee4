"""Reading people and filings from a clerk's spreadsheet: .xlsx, or .csv in UTF-8 or GBK.

A sheet of people has one row per person and post, with columns found by their headers
in any order and under the names clerks use (``手机``, ``联系方式`` and ``电话`` are all
the phone). A sheet of filings (what ``cdo export`` writes) gives 单位、事项、年度 and
报送日期. Values come back as text a person would read: a phone Excel stored as the
number 13912345678.0 is "13912345678", a date stored as a serial number is a date,
a formula is read as its value.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cell_text import clean_email, clean_phone, clean_value, split_contact
from .errors import InvalidInputError, one_of
from .lookup import UnitNames
from .records import PEOPLE_HEADERS, FilingRecord, ImportedFile, PersonRecord, Where
from .sheet_files import Sheet, read_rows, sheet_rows
from .suggest import did_you_mean
from .text import visible

if TYPE_CHECKING:
    from .policy import Role, Scheme, Unit
    from .policy_loading import Registry

# The headers a column may have, by what it holds; the first is the one export writes.
HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
    "unit": (
        "单位",
        "单位名称",
        "所在单位",
        "工作单位",
        "部门",
        "部门名称",
        "单位（部门）",
        "填报单位",
    ),
    "role": ("职位", "岗位", "担任职位", "职位名称", "角色", "类别", "人员类别"),
    "name": ("姓名", "名字", "人员姓名"),
    "title": ("职务", "现任职务", "行政职务", "职务（职级）", "职务职级"),
    "office": ("科室", "处室", "股室", "科室（股室）", "所在科室", "所在处室", "内设机构"),
    "phone": (
        "联系电话",
        "电话",
        "手机",
        "手机号",
        "手机号码",
        "联系方式",
        "联系方法",
        "办公电话",
        "移动电话",
        "座机",
        "联系电话及邮箱",
        "电话及邮箱",
    ),
    "email": ("电子邮箱", "邮箱", "电子邮件", "email", "e-mail", "邮件", "电子信箱", "邮箱地址"),
    # A filings sheet.
    "obligation": ("事项", "报送事项", "事项编号"),
    "period": ("年度", "期次"),
    "date": ("报送日期", "报送时间", "日期"),
}
_PERSON_KEYS = ("name", "title", "office", "phone", "email")


@functools.lru_cache(maxsize=65536)  # unit, post and header names come again and again
def normalise(text: str) -> str:
    """A header or name as compared: full-width forms folded, spaces and breaks dropped."""
    folded = text
    for _ in range(3):  # dropping a space can bring marks together that NFKC then reorders
        again = re.sub(r"\s+", "", unicodedata.normalize("NFKC", folded)).lower()
        if again == folded:
            break
        folded = again
    return folded


_HEADERS = {normalise(v): key for key, variants in HEADER_VARIANTS.items() for v in variants}


def cell_text(value: Any, key: str = "") -> str:
    """A cell's value as the text a person sees (numbers without a stray ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if key in {"phone", "email"}:
        text = unicodedata.normalize("NFKC", text)
    # Cells keep line breaks a person typed (Alt+Enter); a name is one line.
    return re.sub(r"[ \t\u3000]+", " ", text.replace("\r\n", "\n")).strip()


# Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def cell_date(value: Any) -> dt.date | None:
    """A date from a date cell, an Excel serial number, or text a person typed.

    Text may be 2023-10-28, 2023/10/28, 2023.10.28, 2023年10月28日 (or 号, or in Chinese
    numerals: 二〇二三年十月二十八日), 20231028, with a time after it or not.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # up to 9999-12-31
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return _date(str(int(value))) if float(value).is_integer() else None
    return _date(normalise(str(value or "")))


_DATE = re.compile(
    r"(\d{4})(?:[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?|(\d{2})(\d{2}))"
    r"(?:t?\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?|[上下]午.*)?"
)
_CN_DIGITS = {ch: str(i) for i, ch in enumerate("〇一二三四五六七八九")} | {"零": "0"}
_CN_DATE = re.compile(
    r"([〇零一二三四五六七八九]{4})年([一二三十]{1,3})月([一二三四五六七八九十]{1,3})[日号]"
)


def _cn_number(text: str) -> str:
    """十 → 10, 二十八 → 28, 二〇二三 → 2023: Chinese numerals as digits."""
    if "十" not in text:
        return "".join(_CN_DIGITS[ch] for ch in text)
    tens, _, ones = text.partition("十")
    return str(int(_CN_DIGITS[tens] if tens else "1") * 10 + int(_CN_DIGITS[ones] if ones else 0))


def _date(text: str) -> dt.date | None:
    chinese = _CN_DATE.fullmatch(text)
    if chinese is not None:
        try:
            year, month, day = (_cn_number(p) for p in chinese.groups())
        except (KeyError, ValueError):  # 十十, 二二十 …
            return None
        text = f"{year}年{month}月{day}日"
    match = _DATE.fullmatch(text)
    if not match:
        return None
    year, month, day, month8, day8 = match.groups()
    try:
        return dt.date(int(year), int(month or month8), int(day or day8))
    except ValueError:
        return None


# ---------------------------------------------------------------- from rows to records


@dataclass(frozen=True)
class Columns:
    """Which column holds what, the header row (index among the sheet's rows), and whether
    the headers are exactly the ones ``cdo export`` writes."""

    header_row: int
    index: dict[str, int]
    exported: bool = False


_EXPORTED = [normalise(h) for h in PEOPLE_HEADERS.values()]


def find_header(rows: Sequence[tuple[Any, ...]], scan: int = 10) -> Columns | None:
    """The first row, among the first ``scan``, whose cells name a unit and a person or a filing."""
    for n, row in enumerate(rows[:scan]):
        index: dict[str, int] = {}
        written = [normalise(cell_text(value)) for value in row]
        for i, key in enumerate(_HEADERS.get(w) for w in written):
            if key is not None and key not in index:
                index[key] = i
        people = "unit" in index and "name" in index
        filings = "unit" in index and "obligation" in index and "date" in index
        if people or filings:
            below = rows[n + 1] if n + 1 < len(rows) else ()
            if _sub_headers(written, below, index):
                return Columns(n + 1, index)
            while written and not written[-1]:
                written.pop()
            return Columns(n, index, exported=written == _EXPORTED)
    return None


def _sub_headers(written: list[str], below: tuple[Any, ...], index: dict[str, int]) -> bool:
    """Read a second header row under merged headers (联系方式 over 手机 | 邮箱) into
    ``index``; True when ``below`` is one: each of its cells a header, or the header above
    it (a merged cell, as a person sees it)."""
    cells = [normalise(cell_text(v)) for v in below]
    found = {
        i: key
        for i, w in enumerate(cells)
        if w and (i >= len(written) or w != written[i]) and (key := _HEADERS.get(w))
    }
    copies = [i for i, w in enumerate(cells) if w and i < len(written) and w == written[i]]
    if not found or len(found) + len(copies) < sum(1 for w in cells if w):
        return False
    for i, key in found.items():
        index[key] = i
    return True


@dataclass
class _Reading:
    """What reading a file gathers besides its records: notes, and the units the file
    cannot speak for because some of their rows could not be imported."""

    file: str
    notes: list[str] = field(default_factory=list)
    unsure: set[str] = field(default_factory=set)
    posts: list[tuple[str, str]] = field(default_factory=list)  # (unit as written, role)


def read_sheet(path: Path, registry: Registry, *, scheme_id: str | None = None) -> ImportedFile:
    """People and filings in a workbook or CSV file, matched to one scheme's posts.

    A sheet with exactly the headers ``cdo export`` writes is the clerk's copy of the
    roster: a cell emptied there empties the field (``PersonRecord.clears``).
    """
    sheets = read_rows(path)
    shown = visible(str(path))
    if not any(sheet.rows for sheet in sheets):
        return ImportedFile(
            path=str(path), scheme=scheme_id, notes=["文件是空的，没有可导入的内容。"]
        )
    # A table of evaluation scores (单位, a column per 评价内容) gives scores, not people.
    from .evaluation_reading import read_score_table

    scored = read_score_table(sheets, path, registry, scheme_id)
    if scored is not None:
        return scored
    headed = [(sheet, cols) for sheet in sheets if (cols := find_header(sheet.rows)) is not None]
    found = [(sheet, cols) for sheet, cols in headed if not sheet.hidden]
    reading = _Reading(str(path))
    for sheet, _cols in headed:
        if sheet.hidden:
            reading.notes.append(
                f"工作表“{visible(sheet.name)}”是隐藏的，其中的内容未导入"
                "（如需导入，请在 Excel 中取消隐藏后保存）。"
            )
    if not found:
        if headed:
            return ImportedFile(path=str(path), scheme=scheme_id, notes=reading.notes)
        expected = "、".join(v[0] for k, v in HEADER_VARIANTS.items() if k not in _FILING_ONLY)
        raise InvalidInputError(
            "表格中没有找到表头（单位、姓名……）",
            hint=f"第一行写表头：{expected}（顺序不限）。",
            file=shown,
        )
    scheme = _choose_scheme(found, registry, scheme_id, shown)
    result = ImportedFile(path=str(path), scheme=scheme.id)
    for sheet, cols in found:
        part = sheet.name if len(sheets) > 1 else ""
        if "name" in cols.index:
            result.people += _people(sheet, cols, scheme, part, reading)
            _note_unread_columns(sheet, cols, part, reading)
        else:
            result.filings += _filings(sheet, cols, scheme, part, reading)
        _note_hidden_rows(sheet, cols, part, reading)
    # The sheet speaks for the posts it has rows for, except in units some of whose rows
    # could not be read: what those rows said is not known.
    unsure = {normalise(u) for u in reading.unsure}
    result.posts = [p for p in dict.fromkeys(reading.posts) if normalise(p[0]) not in unsure]
    result.units = list(dict.fromkeys(u for u, _ in result.posts))
    result.notes = reading.notes
    if result.empty and not result.notes:
        result.notes.append("表格中没有填写任何人员或报送记录。")
    return result


_FILING_ONLY = {"obligation", "period", "date"}


def _choose_scheme(
    found: list[tuple[Sheet, Columns]], registry: Registry, scheme_id: str | None, file: str
) -> Scheme:
    """The scheme given, or the one whose unit and post names the sheet uses most."""
    if scheme_id is not None:
        return registry.get(scheme_id)
    written = {
        normalise(cell_text(row[cols.index[key]]))
        for sheet, cols in found
        for key in ("unit", "role")
        if key in cols.index
        for row in sheet.rows[cols.header_row + 1 :]
        if cols.index[key] < len(row) and row[cols.index[key]] is not None
    }
    schemes, _notes = registry.usable()
    scored = sorted(
        (
            (
                sum(normalise(n) in written for n in s.unit_index())
                + sum(normalise(n) in written for r in s.roles for n in (r.name, *r.aliases)),
                s.id,
            )
            for s in schemes
        ),
        reverse=True,
    )
    best = [s for score, s in scored if scored and score == scored[0][0] and score > 0]
    if len(best) != 1:
        which = f"（{one_of(best)} 都有可能）" if best else "（表格中的单位不属于任何已知方案）"
        raise InvalidInputError(
            f"无法判断表格属于哪个方案{which}",
            hint="用 --roster 指定名册（方案由名册确定）。",
            file=file,
        )
    return registry.get(best[0])


def _value(row: tuple[Any, ...], cols: Columns, key: str) -> Any:
    i = cols.index.get(key)
    return row[i] if i is not None and i < len(row) else None


def _person_value(row: tuple[Any, ...], cols: Columns, key: str) -> str:
    """A person's field from a row, cleaned as a Word form's cell is (one line)."""
    text = cell_text(_value(row, cols, key), key)
    if key == "phone":
        return clean_phone(text)
    if key == "email":
        return clean_email(text)
    return clean_value(text)


_LABELS = {"unit": "单位", "role": "职位", "date": "报送日期", "obligation": "事项"} | {
    k: v for k, v in PEOPLE_HEADERS.items()
}
# The first cell of a total row under a table: 合计 3 人.
_TOTALS = ("合计", "总计", "小计", "共计")


def _unreadable_formula(
    sheet: Sheet, cols: Columns, number: int, keys: Iterable[str], where: Where
) -> str | None:
    """A note for a row whose cells hold formulas without a readable result, else None."""
    broken = [
        (k, sheet.unvalued[(number, cols.index[k])])
        for k in keys
        if k in cols.index and (number, cols.index[k]) in sheet.unvalued
    ]
    if not broken:
        return None
    named = "、".join(f"“{_LABELS.get(k, k)}”" for k, _ in broken)
    shows = next((v for _, v in broken if v), "")
    why = (
        f"是出错的公式（显示 {visible(shows)}）"
        if shows
        else "是公式，文件中没有保存计算结果（文件由程序生成、未在 Excel 中保存过）"
    )
    return f"{where}：{named}{why}，这一行未导入。请在 Excel 或 WPS 中打开、核对后保存，再导入。"


def _people(
    sheet: Sheet, cols: Columns, scheme: Scheme, part: str, reading: _Reading
) -> Iterator[PersonRecord]:
    units = _Units(scheme)
    index = units.index
    roles: dict[tuple[str, str], Role | None] = {}
    above = ""  # the unit of the row above: a unit written once for the people below it
    for i, (n, row) in enumerate(sheet_rows(sheet)):
        if i <= cols.header_row:
            continue
        where = Where(reading.file, part, n)
        unit_name = clean_value(cell_text(_value(row, cols, "unit")))
        broken = _unreadable_formula(sheet, cols, n, ("unit", "role", *_PERSON_KEYS), where)
        if broken is not None:
            reading.notes.append(broken)
            reading.unsure.add(unit_name or above)
            continue
        if unit_name.startswith(_TOTALS) and unit_name not in index:
            continue
        person = {k: v for k in _PERSON_KEYS if (v := _person_value(row, cols, k))}
        if "phone" in person:  # 联系方式: a phone and an e-mail in one cell, as on a form
            phone, email = split_contact(person["phone"])
            person["phone"] = phone
            if email and "email" not in person:
                person["email"] = email
            person = {k: v for k, v in person.items() if v}
        if not person.get("name"):
            above = unit_name or above
            if cols.exported and unit_name:  # the roster's own copy: nobody holds the post
                role = _role(roles, cell_text(_value(row, cols, "role")), unit_name, units)
                if role is not None:
                    reading.posts.append((unit_name, role.id))
            continue  # an empty row, or a post left for someone to fill in
        if not unit_name:
            if not above:
                reading.notes.append(f"{where}：没有填写单位，这一行未导入。")
                continue
            unit_name = above
            reading.notes.append(f"{where}：没有填写单位，按上一行取为“{visible(above)}”。")
        above = unit_name
        written = cell_text(_value(row, cols, "role"))
        role = _role(roles, written, unit_name, units)
        if role is None and units.find(unit_name) is None:
            # The post is looked up among the unit's: an unknown unit is what to correct.
            close = did_you_mean(unit_name, index)
            reading.notes.append(
                f"{where}：“{visible(unit_name)}”不是{scheme.city}方案范围内的单位"
                f"{f'（{close}）' if close else ''}，这一行未导入。"
            )
            continue
        key = role.id if role is not None else _other_post(written, unit_name, units, scheme)
        if key is None:
            shown = visible(written) or "（空）"
            reading.notes.append(
                f"{where}：职位“{shown}”不是{scheme.city}方案中的职位，这一行未导入。"
            )
            reading.unsure.add(unit_name)
            continue
        clears: frozenset[str] = frozenset()
        if cols.exported:  # the roster's own copy: an emptied cell empties the field
            clears = frozenset(k for k in _PERSON_KEYS if k in cols.index and k not in person)
        reading.posts.append((unit_name, key))
        yield PersonRecord(unit_name, key, person, where, clears)


def _other_post(written: str, unit_name: str, units: _Units, scheme: Scheme) -> str | None:
    """The post a 职位 cell names beyond a list the document ends with 等, as the roster
    will key it (the import plan warns of it, as validate does); None if it is not one."""
    from .roster_checks import unlisted_post

    post = clean_value(written)
    unit = units.find(unit_name)
    if not post or unit is None or unlisted_post(scheme, unit, post) is None:
        return None
    return post


class _Units:
    """A scheme's units by the names a sheet writes for them: as the scheme writes them
    (or with other spaces and widths), else as :class:`~cdo_cli.lookup.UnitNames` finds
    them (普宁市公安局), built at the first name the index does not know."""

    def __init__(self, scheme: Scheme) -> None:
        self.scheme = scheme
        self.index = scheme.unit_index()
        self._names: UnitNames | None = None

    def find(self, name: str) -> Unit | None:
        """The unit ``name`` means, or None."""
        unit = self.index.get(name) or self.index.get(_fold_unit(name, self.index))
        if unit is None and name:
            if self._names is None:
                self._names = UnitNames(self.scheme)
            unit = self._names.find(name)
        return unit


def _role(
    cache: dict[tuple[str, str], Role | None], written: str, unit_name: str, units: _Units
) -> Role | None:
    """The post a row's 职位 cell names in its unit (looked up once per pair)."""
    key = (written, unit_name)
    if key not in cache:
        cache[key] = _match_role(written, units.find(unit_name), units.scheme)
    return cache[key]


# Columns a summary sheet has that nobody expects to be imported.
_NOT_DATA = {normalise(h) for h in ("序号", "编号", "备注", "说明", "备注说明", "")}


def _note_unread_columns(sheet: Sheet, cols: Columns, part: str, reading: _Reading) -> None:
    """Say which filled columns of a sheet of people were left unread (任命日期, a second
    phone column), so that nothing a clerk typed is dropped without a word."""
    header = sheet.rows[cols.header_row]
    below = sheet.rows[cols.header_row + 1 :]
    read = set(cols.index.values())
    where = f"工作表“{visible(part)}”中" if part else "表格中"
    for i, value in enumerate(header):
        text = cell_text(value)
        if i in read or normalise(text) in _NOT_DATA:
            continue
        if not any(i < len(row) and cell_text(row[i]) for row in below):
            continue
        key = _HEADERS.get(normalise(text))
        if key is None:
            reading.notes.append(f"{where}的“{visible(text)}”一栏不是导入的内容，未读取。")
        else:
            first = cell_text(header[cols.index[key]])
            reading.notes.append(
                f"{where}的“{visible(text)}”一栏与“{visible(first)}”一栏是同一项，只读取了"
                f"“{visible(first)}”。"
            )


def _note_hidden_rows(sheet: Sheet, cols: Columns, part: str, reading: _Reading) -> None:
    below = [n for n in sheet.numbers[cols.header_row + 1 :] if n in sheet.hidden_rows]
    if below:
        where = f"工作表“{visible(part)}”中" if part else "表格中"
        reading.notes.append(
            f"{where}有 {len(below)} 行是隐藏的（如被筛选掉），已照常导入：第 "
            + "、".join(map(str, below[:10]))
            + (" 等" if len(below) > 10 else "")
            + " 行。"
        )


def _fold_unit(name: str, index: dict[str, Unit]) -> str:
    """A unit name written with other spaces or punctuation widths, as the scheme writes it."""
    made = _FOLDED.get(id(index))
    if made is None or made[0] is not index:  # made once per scheme's index, not once per name
        folded: dict[str, str] = {}
        for written in index:
            folded.setdefault(normalise(written), written)  # the first, where two fold alike
        made = _FOLDED[id(index)] = (index, folded)
    return made[1].get(normalise(name), name)


_FOLDED: dict[int, tuple[dict[str, Unit], dict[str, str]]] = {}


def _match_role(text: str, unit: Unit | None, scheme: Scheme) -> Role | None:
    """The post a 职位 cell names: by id, name or alias, among the unit's posts first."""
    wanted = normalise(text)
    if not wanted:
        return None
    roles = scheme.roles
    if unit is not None:
        roles = [r for r in roles if r.applies_to.matches(unit)] or roles
    for role in roles:
        if wanted in {normalise(n) for n in (role.id, role.name, *role.aliases)}:
            return role
    # 首席数据官 for 市直部门首席数据官: the one post of the unit whose name ends with it.
    ending = [r for r in roles if normalise(r.name).endswith(wanted)]
    return ending[0] if len(ending) == 1 else None


def _filings(
    sheet: Sheet, cols: Columns, scheme: Scheme, part: str, reading: _Reading
) -> Iterator[FilingRecord]:
    by_title = {normalise(o.title): o.id for o in scheme.obligations}
    ids = {o.id for o in scheme.obligations}
    for i, (n, row) in enumerate(sheet_rows(sheet)):
        if i <= cols.header_row:
            continue
        where = Where(reading.file, part, n)
        broken = _unreadable_formula(sheet, cols, n, ("unit", "obligation", "date"), where)
        if broken is not None:
            reading.notes.append(broken)
            continue
        unit_name = clean_value(cell_text(_value(row, cols, "unit")))
        raw_date = _value(row, cols, "date")
        if not unit_name or raw_date in (None, ""):
            continue  # not filed yet
        what = cell_text(_value(row, cols, "obligation"))
        obligation = what if what in ids else by_title.get(normalise(what))
        date = cell_date(raw_date)
        if obligation is None or date is None:
            problem = f"事项“{visible(what)}”未知" if obligation is None else "报送日期无法识别"
            reading.notes.append(f"{where}：{problem}，这一行未导入。")
            continue
        period_text = cell_text(_value(row, cols, "period"))
        period = int(period_text) if period_text.isdigit() else None
        yield FilingRecord(unit_name, obligation, date, where, period)


def rows_of(records: Iterable[PersonRecord]) -> list[tuple[str, str, dict[str, str]]]:
    """(unit, role, person) of each record: what tests and previews compare."""
    return [(r.unit, r.role, r.person) for r in records]
