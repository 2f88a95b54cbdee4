"""The roster as a workbook a clerk can work in: people, and filings with their standing.

:func:`export_xlsx` builds the workbook in memory and returns its bytes (the CLI writes
them): a sheet of people (one row per person and post, the headers ``cdo import``
reads), a sheet of filings with each duty's status as of a date (the statuses
``cdo overdue`` computes), and a hidden sheet of the scheme's unit and post names that
the drop-down lists use. Text is stored as text: a phone never becomes a number and a
cell that starts with ``=`` never becomes a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .records import PEOPLE_HEADERS
from .text import spreadsheet_cell, visible

if TYPE_CHECKING:
    from .policy import Scheme, Unit
    from .roster import Person
    from .roster_loading import LoadedRoster

PEOPLE_SHEET = "人员"
FILINGS_SHEET = "报送"
CHOICES_SHEET = "选项"
FILINGS_HEADERS = (
    "单位",
    "事项",
    "事项编号",
    "年度",
    "期限",
    "报送日期",
    "状态",
    "逾期天数",
    "报送对象",
)


@dataclass(frozen=True)
class PersonRow:
    """One row of the people sheet: a unit's post and who holds it (blank if nobody yet)."""

    unit: str
    role: str
    person: dict[str, str]


def people_rows(scheme: Scheme, roster: LoadedRoster | None) -> Iterator[PersonRow]:
    """Every holder of every post, unit by unit in the scheme's order; an empty row for a
    required post nobody holds yet, so that the clerk has a line to fill in."""
    for unit in scheme.units:
        entry = roster.entry(unit) if roster is not None else None
        for role in scheme.roles:
            if not role.applies_to.matches(unit):
                continue
            people = entry.officers.get(role.id, []) if entry is not None else []
            holders = [p for p in people if not p.is_blank()]
            for p in holders:
                yield PersonRow(unit.name, role.name, _fields(p))
            if not holders and role.required:
                yield PersonRow(unit.name, role.name, {})
        for key in _other_posts(scheme, unit, roster):
            for p in roster.holders(unit, key) if roster is not None else []:
                yield PersonRow(unit.name, key, _fields(p))


def _fields(person: Person) -> dict[str, str]:
    return {k: getattr(person, k) or "" for k in ("name", "title", "office", "phone", "email")}


def _other_posts(scheme: Scheme, unit: Unit, roster: LoadedRoster | None) -> list[str]:
    """The posts a unit's roster entry holds beyond a list the document ends with 等."""
    from .roster_checks import unlisted_post

    entry = roster.entry(unit) if roster is not None else None
    if entry is None or not scheme.open_lists:
        return []
    return [k for k in entry.officers if unlisted_post(scheme, unit, k) is not None]


def _people_table(scheme: Scheme, roster: LoadedRoster | None) -> list[list[str]]:
    keys = list(PEOPLE_HEADERS)
    rows = [list(PEOPLE_HEADERS.values())]
    for row in people_rows(scheme, roster):
        values = {"unit": row.unit, "role": row.role, **row.person}
        rows.append([values.get(k, "") for k in keys])
    return rows


def _filings_table(scheme: Scheme, roster: LoadedRoster | None, as_of: dt.date) -> list[list[Any]]:
    from .overdue import Status, compute_status
    from .overdue_formats import STATUS_LABELS

    rows: list[list[Any]] = [list(FILINGS_HEADERS)]
    for item in compute_status([(scheme, roster)], as_of, within=0):
        rows.append(
            [
                item.unit,
                item.title,
                item.obligation,
                item.period if item.period is not None else "",
                item.due or "无期限",  # a 备案 the document sets no date for
                item.filed_on or "",
                STATUS_LABELS[item.status] + ("（推定期限）" if item.assumed else ""),
                item.days_overdue if item.status is Status.overdue else "",
                item.owed_to or "未规定",
            ]
        )
    return rows


def export_csv(scheme: Scheme, roster: LoadedRoster | None) -> bytes:
    """The people sheet as CSV: UTF-8 with a BOM (Excel on a Chinese Windows), CRLF."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in _people_table(scheme, roster):
        writer.writerow(spreadsheet_cell(visible(v)) for v in row)
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(scheme: Scheme, roster: LoadedRoster | None, as_of: dt.date) -> bytes:
    """The workbook: people, filings as of ``as_of``, and the lists the drop-downs use."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    people = book.active
    people.title = PEOPLE_SHEET
    table = _people_table(scheme, roster)
    _fill(people, table)
    filings = book.create_sheet(FILINGS_SHEET)
    _fill(filings, _filings_table(scheme, roster, as_of))

    choices = book.create_sheet(CHOICES_SHEET)
    choices.sheet_state = "hidden"
    units = [u.name for u in scheme.units]
    roles = list(dict.fromkeys(r.name for r in scheme.roles))
    # Posts beyond a list ending in 等 that the roster holds; the clerk may add others.
    roles += [k for u in scheme.units for k in _other_posts(scheme, u, roster) if k not in roles]
    _fill(choices, [["单位", "职位"]] + [[u, ""] for u in units], widths=False)
    for i, name in enumerate(roles, start=2):
        _set(choices.cell(row=i, column=2), name)
    last = max(len(table), 2) + 500  # room for rows the clerk adds
    for column, count, what in (("A", len(units), "单位"), ("B", len(roles), "职位")):
        rule = DataValidation(
            type="list",
            formula1=f"'{CHOICES_SHEET}'!${column}$2:${column}${count + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="不在方案中",
            error=f"请从下拉列表中选择{scheme.city}方案中的{what}。",
        )
        if what == "职位" and scheme.open_lists:
            # A list the document ends with 等 allows other posts: a warning, not a refusal.
            rule.errorStyle = "warning"
            rule.error = (
                f"{scheme.city}方案所列的岗位以“等”结尾，可另设同类岗位；"
                "不是另设的岗位，请从下拉列表中选择。"
            )
        rule.add(f"{column}2:{column}{last}")
        people.add_data_validation(rule)
    book.properties.creator = "cdo"
    book.properties.title = f"{scheme.city}首席数据官名册"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _set(cell: Any, value: Any) -> None:
    """A value stored as what it is: text stays text (never a formula), dates are dates."""
    if isinstance(value, str):
        cell.value = visible(value)
        cell.data_type = "s"  # openpyxl would take "=…" for a formula
        cell.number_format = "@"
    else:
        cell.value = value
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"


def _fill(ws: Any, rows: list[list[Any]], widths: bool = True) -> None:
    """Rows into a sheet: header bold and frozen, a filter, columns as wide as their text."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    widest: dict[int, int] = {}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            _set(ws.cell(row=r, column=c), value)
            widest[c] = max(widest.get(c, 0), display_width(value))
    if not widths:
        return
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{len(rows)}"
    for c, width in widest.items():
        ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 60)
    # Printed: A4 landscape, every column on one page wide, the header on every page.
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"


def display_width(value: Any) -> int:
    """Columns a value takes in a spreadsheet: a Chinese character is two."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    longest = max(text.split("\n"), key=len) if text else ""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)
