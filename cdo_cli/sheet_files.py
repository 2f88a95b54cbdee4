"""Opening a clerk's spreadsheet as rows of values: .xlsx, or .csv in UTF-8, GBK or UTF-16.

:func:`read_rows` gives each sheet's rows that hold something, numbered as Excel numbers
them, with what a person sees but the raw rows do not say:

- a cell merged down over several rows (a unit written once beside its three people)
  has its value in every row it covers;
- a formula is read as the value Excel saved with it; a formula saved without one
  (a workbook written by a program and never opened in Excel) is marked, not taken
  for an empty cell;
- hidden sheets and hidden rows are marked.

Files are bounded: at most :data:`MAX_BYTES` read or unpacked, and :data:`MAX_ROWS`
rows that hold something; beyond that the file is refused, never cut short.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InvalidInputError, UnreadableError
from .file_input import read_input
from .text import _FORMULA_START, visible

# A roster of every unit of a province is a few megabytes and some 25,000 rows.
MAX_BYTES = 64 * 1024 * 1024  # a CSV file, or a workbook's parts unpacked
MAX_ROWS = 100_000  # rows that hold something, over all sheets


@dataclass(frozen=True)
class Sheet:
    """One sheet's rows that hold something, with their row numbers and what is hidden."""

    name: str
    rows: list[tuple[Any, ...]]
    numbers: list[int]  # each row's number as Excel shows it (1-based)
    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()
    # Formulas whose result cannot be read, by (row number, column index from 0): what
    # the cell shows (#REF!, #N/A …), or "" when the file was saved without results.
    unvalued: dict[tuple[int, int], str] = field(default_factory=dict)


def read_rows(path: Path) -> list[Sheet]:
    """Every sheet of a workbook or CSV file; CdoErrors for files that are neither."""
    shown = visible(str(path))
    suffix = path.suffix.lower()
    if suffix in {".xls", ".et"}:
        raise UnreadableError(
            f"{shown}: 这是旧版 Excel（{suffix}）文件，cdo 只读取 .xlsx 和 .csv",
            hint=convert_hint(path, "xlsx"),
        )
    raw = read_input(path, shown, MAX_BYTES, "表格文件")
    # A workbook saved with a .csv name is read as the workbook it is.
    if suffix in {".xlsx", ".xlsm"} or raw.startswith(b"PK\x03\x04"):
        return _xlsx_sheets(raw, path, shown)
    return [_csv_sheet(raw, path.name, shown)]


def convert_hint(path: Path, target: str) -> str:
    """How to save a file as ``target``: Excel or WPS, or LibreOffice where installed."""
    from .file_input import convert_hint as hint

    return hint(path, target, "Excel 或 WPS", f" .{target} 格式")


def _too_many(shown: str) -> UnreadableError:
    return UnreadableError(
        f"{shown}: 有内容的行超过 {MAX_ROWS} 行，不像是名册，未读取",
        hint="请只保留人员或报送记录所在的工作表和行后另存，再导入。",
    )


# ---------------------------------------------------------------- CSV


def _decode(raw: bytes, shown: str) -> str:
    """CSV text: UTF-8 (with or without BOM), UTF-16 with its BOM, or GBK (GB18030)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInputError(
        "无法识别文件的编码（不是 UTF-8、GBK 或 UTF-16）",
        hint="请在 Excel 或 WPS 中打开，另存为“CSV UTF-8（逗号分隔）”后再导入。",
        file=shown,
    )


def _delimiter(text: str) -> str:
    """Comma, tab or semicolon: whichever the first lines hold most of."""
    head = text[:20_000].splitlines()[:10]
    return max((",", "\t", ";"), key=lambda d: sum(line.count(d) for line in head))


def _as_typed(cell: str) -> str:
    """A CSV cell as it was typed: the ``'`` that ``cdo export`` (and careful clerks) put
    before ``=`` ``+`` ``-`` ``@`` so that Excel shows it as text is taken off again."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA_START) else cell


def _csv_sheet(raw: bytes, name: str, shown: str) -> Sheet:
    text = _decode(raw, shown)
    if "\x00" in text:
        raise InvalidInputError("这不是 CSV 文本文件（含有二进制数据）", file=shown)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[tuple[Any, ...]] = []
    numbers: list[int] = []
    try:
        for number, row in enumerate(reader, start=1):
            if any(cell.strip() for cell in row):
                if len(rows) == MAX_ROWS:
                    raise _too_many(shown)
                rows.append(tuple(map(_as_typed, row)))
                numbers.append(number)
    except csv.Error as exc:
        raise InvalidInputError(f"CSV 格式有误（第 {reader.line_num} 行）", file=shown) from exc
    return Sheet(name, rows, numbers)


# ---------------------------------------------------------------- .xlsx


_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # a compound file: an old .xls/.doc, or encrypted


def _has_stream(raw: bytes, name: str) -> bool:
    """True when a compound file's directory names this stream (stored as UTF-16LE)."""
    return name.encode("utf-16-le") in raw


def _refuse_compound(raw: bytes, path: Path, shown: str) -> UnreadableError:
    """What a compound file named .xlsx is: Office wraps a password-protected .xlsx in
    the same container as an old .xls; its streams tell them apart."""
    if _has_stream(raw, "EncryptedPackage"):
        return UnreadableError(
            f"{shown} 设置了打开密码（已加密），无法读取",
            hint="请在 Excel 或 WPS 中打开，在“文件 → 信息 → 保护工作簿”（WPS：“文件 → "
            "文档加密”）中取消密码并保存，或请对方发送未加密的文件。",
        )
    if _has_stream(raw, "Workbook") or _has_stream(raw, "Book"):
        what = "旧版 Excel 工作簿（.xls），只能读取 .xlsx"
    elif _has_stream(raw, "WordDocument"):
        what = "旧版 Word 文档（.doc），不是工作簿"
    else:
        return UnreadableError(
            f"{shown} 设置了打开密码（已加密），或是旧版 Office/WPS 格式的文件，无法读取",
            hint="请在 Excel 或 WPS 中打开，取消密码后另存为 .xlsx。",
        )
    return UnreadableError(f"{shown} 是{what}", hint=convert_hint(path, "xlsx"))


def _xlsx_sheets(raw: bytes, path: Path, shown: str) -> list[Sheet]:
    if not raw:
        raise UnreadableError(f"{shown} 是空文件（0 字节）", hint="请让对方重新发送。")
    if raw.startswith(_OLE_MAGIC):
        raise _refuse_compound(raw, path, shown)
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        total = sum(info.file_size for info in archive.infolist())
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableError(
            f"{shown}: 文件已损坏，或不是 .xlsx 文件", hint="请在 Excel/WPS 中打开确认后重新保存。"
        ) from None
    if "word/document.xml" in names and "xl/workbook.xml" not in names:
        raise UnreadableError(
            f"{shown} 是 Word 文档（.docx），不是 Excel 工作簿",
            hint="把文件的扩展名改为 .docx 后再导入。",
        )
    if total > MAX_BYTES:
        raise UnreadableError(
            f"{shown}: 工作簿解压后超过 {MAX_BYTES // 1024 // 1024} MB，已拒绝",
            hint="请确认文件来源；名册通常只有几百 KB。",
        )
    from openpyxl import load_workbook

    # openpyxl warns in English about what it skips (styles, extensions, odd dates);
    # what matters to the clerk is said in Chinese below.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises anything from a malformed part
            raise _unreadable(shown, exc) from None
        try:
            budget = [MAX_ROWS]
            return [_worksheet(book, ws, shown, budget) for ws in book.worksheets]
        except UnreadableError:
            raise
        except Exception as exc:  # a sheet's XML broken, or an entity bomb refused
            raise _unreadable(shown, exc) from None
        finally:
            book.close()


def _unreadable(shown: str, exc: Exception) -> UnreadableError:
    from xml.etree.ElementTree import ParseError

    from lxml.etree import XMLSyntaxError

    if isinstance(exc, ParseError | XMLSyntaxError):
        why = "内容不是有效的 XML，可能已损坏，或含有不允许的实体定义"
    else:
        why = "内部结构不符合 .xlsx 的格式"
    return UnreadableError(
        f"{shown}: 无法读取这个工作簿（{why}）", hint="请在 Excel/WPS 中打开确认后另存为 .xlsx。"
    )


def _worksheet(book: Any, ws: Any, shown: str, budget: list[int]) -> Sheet:
    """One sheet of a read-only workbook, merged cells filled down, formulas marked.

    openpyxl's read-only sheets give values only; the merges, the hidden rows and
    whether a formula had a saved value are read in the same pass through its sheet
    parser (the one ``ReadOnlyWorksheet`` itself uses).
    """
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    unvalued: dict[tuple[int, int], str] = {}
    hidden: set[int] = set()

    class Parser(WorkSheetParser):  # type: ignore[misc]
        def parse_row(self, row: Any) -> tuple[int, list[dict[str, Any]]]:
            number = row.get("r")
            if number is not None and number.isdigit():
                if row.get("hidden") in ("1", "true"):
                    hidden.add(int(number))
                if len(row) == 0:
                    # A row with no cells (formatting carried down to row 1,048,576):
                    # skipped without the bookkeeping openpyxl keeps for each row.
                    self.row_counter, self.col_counter = int(number), 0
                    return self.row_counter, []
            found: tuple[int, list[dict[str, Any]]] = super().parse_row(row)
            return found

        def parse_cell(self, element: Any) -> dict[str, Any]:
            cell: dict[str, Any] = super().parse_cell(element)
            if cell["data_type"] == "e" or (
                cell["value"] is None and element.find(FORMULA_TAG) is not None
            ):
                shown = str(cell["value"] or "") if cell["data_type"] == "e" else ""
                unvalued[(cell["row"], cell["column"] - 1)] = shown
                cell["value"] = None
            return cell

    rows: dict[int, list[Any]] = {}
    with ws._get_source() as source:
        parser = Parser(
            source,
            ws._shared_strings,
            data_only=True,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            values = _values(cells)
            if values is None and not (unvalued and _marked(unvalued, number, cells)):
                continue
            if budget[0] == 0:
                raise _too_many(shown)
            budget[0] -= 1
            rows[number] = values or []
    _fill_merges(rows, parser.merged_cells.mergeCell if parser.merged_cells else ())
    numbers = sorted(rows)
    return Sheet(
        ws.title,
        [tuple(rows[n]) for n in numbers],
        numbers,
        hidden=ws.sheet_state != "visible",
        hidden_rows=frozenset(hidden & set(numbers)),
        unvalued=unvalued,
    )


def _marked(unvalued: dict[tuple[int, int], str], number: int, cells: list[Any]) -> bool:
    """True when a row without values has a formula whose result cannot be read."""
    return any((number, c["column"] - 1) in unvalued for c in cells)


def _values(cells: Iterable[dict[str, Any]]) -> list[Any] | None:
    """A parsed row's values by column (from A), or None when every cell is empty."""
    found = [(c["column"], c["value"]) for c in cells if c["value"] not in (None, "")]
    if not found:
        return None
    values: list[Any] = [None] * max(column for column, _ in found)
    for column, value in found:
        values[column - 1] = value
    return values


def _fill_merges(rows: dict[int, list[Any]], merges: Iterable[Any]) -> None:
    """A cell merged down over rows: its value in each row it covers, as a person sees it.

    Only the first column of a merge is filled: a 合计 merged across a row stays one
    cell, not a unit, a post and a name.
    """
    for merge in merges:
        low, high, column = merge.min_row, merge.max_row, merge.min_col - 1
        top = rows.get(low)
        if high <= low or top is None or column >= len(top) or top[column] in (None, ""):
            continue
        for number in range(low + 1, high + 1):
            row = rows.get(number)
            if row is None:
                continue  # a row with nothing else in it stays empty
            if column >= len(row):
                row.extend([None] * (column + 1 - len(row)))
            if row[column] in (None, ""):
                row[column] = top[column]


def sheet_rows(sheet: Sheet) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of each row of a sheet that holds something."""
    return zip(sheet.numbers, sheet.rows, strict=True)
