"""Reading people and filings from a clerk's spreadsheet: .xlsx, or .csv in UTF-8 or GBK.

A sheet of people has one row per person and post, with columns found by their headers
in any order and under the names clerks use (``手机``, ``联系方式`` and ``电话`` are all
the phone). A sheet of filings (what ``cdo export`` writes) gives 单位、事项、年度 and
报送日期. Values come back as text a person would read: a phone Excel stored as the
number 13912345678.0 is "13912345678", a date stored as a serial number is a date,
a formula is read as its value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InvalidInputError, UnreadableError, one_of, os_reason
from .records import FilingRecord, ImportedFile, PersonRecord, Where
from .text import visible

if TYPE_CHECKING:
    from .policy import Role, Scheme, Unit
    from .policy_loading import Registry

# A workbook larger than this (uncompressed or as a CSV) is not a roster.
MAX_BYTES = 256 * 1024 * 1024
MAX_ROWS = 1_000_000

# The headers a column may have, by what it holds; the first is the one export writes.
HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
    "unit": ("单位", "单位名称", "所在单位", "部门", "部门名称", "单位（部门）", "填报单位"),
    "role": ("职位", "岗位", "担任职位", "职位名称", "角色", "类别", "人员类别"),
    "name": ("姓名", "名字", "人员姓名"),
    "title": ("职务", "现任职务", "行政职务", "职务（职级）"),
    "office": ("科室", "处室", "股室", "科室（股室）", "所在科室", "所在处室"),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "办公电话"),
    "email": ("电子邮箱", "邮箱", "电子邮件", "email", "e-mail", "邮件", "电子信箱"),
    # A filings sheet.
    "obligation": ("事项", "报送事项", "事项编号"),
    "period": ("年度", "期次"),
    "date": ("报送日期", "报送时间", "日期"),
}
_PERSON_KEYS = ("name", "title", "office", "phone", "email")


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
    """A date from a date cell, an Excel serial number, or text like 2023-10-28 / 2023年10月28日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # up to 9999-12-31
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return None
    text = normalise(str(value or ""))
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


# ---------------------------------------------------------------- the files


@dataclass(frozen=True)
class Sheet:
    """One sheet's rows of raw cell values, with its name for messages."""

    name: str
    rows: list[tuple[Any, ...]]


def read_rows(path: Path) -> list[Sheet]:
    """Every sheet of a workbook or CSV file as rows of values; CdoErrors for bad files."""
    suffix = path.suffix.lower()
    if suffix in {".xls", ".et"}:
        raise UnreadableError(
            f"{path}: 这是旧版 Excel（{suffix}）文件，cdo 只读取 .xlsx 和 .csv",
            hint=_convert_hint(path, "xlsx"),
        )
    raw = _read_bytes(path)
    if suffix == ".csv" or (suffix not in {".xlsx", ".xlsm"} and not raw.startswith(b"PK")):
        return [Sheet(path.name, _csv_rows(raw, str(path)))]
    return _xlsx_rows(raw, path)


def _convert_hint(path: Path, target: str) -> str:
    import shutil

    hint = f"请用 Excel 或 WPS 打开后“另存为” .{target} 格式"
    if shutil.which("soffice") or shutil.which("libreoffice"):
        hint += f"，或运行：soffice --headless --convert-to {target} {path.name}"
    return hint + "。"


def _read_bytes(path: Path) -> bytes:
    try:
        if not path.is_file():
            what = "不存在" if not path.exists() else "不是普通文件"
            raise UnreadableError(f"{path}: 文件{what}")
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UnreadableError(f"{path}: 无法读取（{os_reason(exc)}）") from None
    if len(raw) > MAX_BYTES:
        raise UnreadableError(f"{path}: 文件超过 {MAX_BYTES // 1024 // 1024} MB，不像是名册")
    return raw


def _csv_rows(raw: bytes, name: str) -> list[tuple[Any, ...]]:
    """CSV in UTF-8 (with or without BOM) or GBK, comma-, tab- or semicolon-separated."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # gb18030 decodes any byte sequence; kept for the type checker
        raise InvalidInputError("无法识别文件的编码", file=name)
    if "\x00" in text:
        raise InvalidInputError("这不是 CSV 文本文件（含有二进制数据）", file=name)
    first = text.split("\n", 1)[0]
    delimiter = max((",", "\t", ";"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [tuple(row) for _, row in zip(range(MAX_ROWS), reader, strict=False)]
    except csv.Error as exc:
        raise InvalidInputError(f"CSV 格式有误（{exc}）", file=name) from None


def _xlsx_rows(raw: bytes, path: Path) -> list[Sheet]:
    import zipfile

    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableError(
            f"{path}: 文件已加密（设置了打开密码）或是旧版 .xls 格式，无法读取",
            hint="请在 Excel/WPS 中取消密码后另存为 .xlsx。",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableError(
            f"{path}: 文件已损坏，或不是 .xlsx 文件", hint="请在 Excel/WPS 中打开确认后重新保存。"
        ) from None
    if total > MAX_BYTES:
        raise UnreadableError(f"{path}: 工作簿解压后超过 {MAX_BYTES // 1024 // 1024} MB，已拒绝")
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns in English about styles it skips
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:
        raise UnreadableError(
            f"{path}: 无法读取这个工作簿（{type(exc).__name__}）",
            hint="请在 Excel/WPS 中打开确认后另存为 .xlsx。",
        ) from None
    sheets = []
    try:
        for ws in book.worksheets:
            rows = [
                tuple(r)
                for _, r in zip(range(MAX_ROWS), ws.iter_rows(values_only=True), strict=False)
            ]
            sheets.append(Sheet(ws.title, rows))
    finally:
        book.close()
    return sheets


# ---------------------------------------------------------------- from rows to records


@dataclass(frozen=True)
class Columns:
    """Which column holds what, and the row the headers are on (0-based)."""

    header_row: int
    index: dict[str, int]


def find_header(rows: Sequence[tuple[Any, ...]], scan: int = 10) -> Columns | None:
    """The first row, among the first ``scan``, whose cells name a unit and a person or a filing."""
    for n, row in enumerate(rows[:scan]):
        index: dict[str, int] = {}
        for i, value in enumerate(row):
            key = _HEADERS.get(normalise(cell_text(value)))
            if key is not None and key not in index:
                index[key] = i
        people = "unit" in index and "name" in index
        filings = "unit" in index and "obligation" in index and "date" in index
        if people or filings:
            return Columns(n, index)
    return None


def read_sheet(path: Path, registry: Registry, *, scheme_id: str | None = None) -> ImportedFile:
    """People and filings in a workbook or CSV file, matched to one scheme's posts."""
    sheets = read_rows(path)
    found = [(sheet, cols) for sheet in sheets if (cols := find_header(sheet.rows)) is not None]
    if not found:
        expected = "、".join(v[0] for k, v in HEADER_VARIANTS.items() if k not in _FILING_ONLY)
        raise InvalidInputError(
            "表格中没有找到表头（单位、姓名……）",
            hint=f"第一行写表头：{expected}（顺序不限）。",
            file=str(path),
        )
    scheme = _choose_scheme(found, registry, scheme_id, str(path))
    result = ImportedFile(path=str(path), scheme=scheme.id)
    for sheet, cols in found:
        part = sheet.name if len(sheets) > 1 else ""
        if "name" in cols.index:
            result.people += _people(sheet, cols, scheme, str(path), part, result.notes)
        else:
            result.filings += _filings(sheet, cols, scheme, str(path), part, result.notes)
    result.units = list(dict.fromkeys(p.unit for p in result.people))
    if result.empty:
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


def _people(
    sheet: Sheet, cols: Columns, scheme: Scheme, file: str, part: str, notes: list[str]
) -> Iterator[PersonRecord]:
    index = scheme.unit_index()
    folded: dict[str, str] = {}  # made at the first name not written as the scheme writes it
    for n, row in enumerate(sheet.rows[cols.header_row + 1 :], start=cols.header_row + 2):
        unit_name = cell_text(_value(row, cols, "unit"))
        person = {k: v for k in _PERSON_KEYS if (v := cell_text(_value(row, cols, k), k))}
        if not unit_name or not person.get("name"):
            continue  # an empty row, or a post left for someone to fill in
        where = Where(file, part, n)
        unit = index.get(unit_name)
        if unit is None:
            folded = folded or _folded(index)
            unit = index.get(folded.get(normalise(unit_name), unit_name))
        role = _match_role(cell_text(_value(row, cols, "role")), unit, scheme)
        if role is None:
            shown = visible(cell_text(_value(row, cols, "role"))) or "（空）"
            notes.append(f"{where}：职位“{shown}”不是{scheme.city}方案中的职位，这一行未导入。")
            continue
        yield PersonRecord(unit_name, role.id, person, where)


def _folded(index: dict[str, Unit]) -> dict[str, str]:
    """Each name as :func:`normalise` folds it (other spaces, punctuation widths), mapped to
    the name as the scheme writes it (the first, where two fold alike)."""
    folded: dict[str, str] = {}
    for name in index:
        folded.setdefault(normalise(name), name)
    return folded


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
    sheet: Sheet, cols: Columns, scheme: Scheme, file: str, part: str, notes: list[str]
) -> Iterator[FilingRecord]:
    by_title = {normalise(o.title): o.id for o in scheme.obligations}
    ids = {o.id for o in scheme.obligations}
    for n, row in enumerate(sheet.rows[cols.header_row + 1 :], start=cols.header_row + 2):
        unit_name = cell_text(_value(row, cols, "unit"))
        raw_date = _value(row, cols, "date")
        if not unit_name or raw_date in (None, ""):
            continue  # not filed yet
        where = Where(file, part, n)
        what = cell_text(_value(row, cols, "obligation"))
        obligation = what if what in ids else by_title.get(normalise(what))
        date = cell_date(raw_date)
        if obligation is None or date is None:
            problem = f"事项“{visible(what)}”未知" if obligation is None else "报送日期无法识别"
            notes.append(f"{where}：{problem}，这一行未导入。")
            continue
        period_text = cell_text(_value(row, cols, "period"))
        period = int(period_text) if period_text.isdigit() else None
        yield FilingRecord(unit_name, obligation, date, where, period)


def rows_of(records: Iterable[PersonRecord]) -> list[tuple[str, str, dict[str, str]]]:
    """(unit, role, person) of each record: what tests and previews compare."""
    return [(r.unit, r.role, r.person) for r in records]
