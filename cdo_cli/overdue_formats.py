"""The outputs of ``cdo overdue``: a table for people; JSON, CSV and iCalendar for machines.

Every renderer takes the same :class:`~cdo_cli.overdue.Report` and returns text or
bytes; the CLI decides where they go.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections import Counter
from collections.abc import Iterator
from itertools import groupby
from typing import Any

from .overdue import FIELDS, NO_DUE, Item, Report, Status
from .text import json_safe, spreadsheet_cell, visible

STATUS_LABELS: dict[Status, str] = {
    Status.overdue: "已逾期",
    Status.due_soon: "即将到期",
    Status.filed: "已报送",
    Status.filed_late: "逾期报送",
    Status.not_due: "未到期",
    Status.not_filed: "未报送",
}


class _Lines(dict[Any, str]):
    """One field's lines, ``      "unit": "市公安局"``, by value: each value is encoded once.

    A report repeats the same units, titles and dates down many items. Each field holds
    one type (or None), so values equal as keys but not as JSON (True and 1) never meet.
    """

    def __init__(self, name: str) -> None:
        super().__init__()
        self.prefix = f"      {json.dumps(name)}: "

    def __missing__(self, value: Any) -> str:
        plain = value
        if isinstance(value, Status):
            plain = value.value
        elif isinstance(value, dt.date):
            plain = value.isoformat()
        line = self[value] = self.prefix + json_safe(json.dumps(plain, ensure_ascii=False))
        return line


def render_json(report: Report) -> bytes:
    """``{"as_of": "YYYY-MM-DD", "items": [...]}``, items in the report's order.

    Byte for byte ``json_safe(json.dumps(data, ensure_ascii=False, indent=2))`` of the
    items' ``as_dict()``, written out here because the indenting encoder is pure Python
    and took a minute for the 900,000 items of a large roster at the far end of the
    calendar. json_safe may go value by value: what it escapes occurs only in strings.
    """
    return b"".join(json_pieces(report))


def json_pieces(report: Report, size: int = 1 << 16) -> Iterator[bytes]:
    """:func:`render_json` in pieces of about ``size`` bytes: the 220 MB of a report on
    120,000 units are never one string in memory (nor two, as the text and its bytes)."""
    fields = [_Lines(name) for name in FIELDS]
    parts: list[str] = [f'{{\n  "as_of": "{report.as_of.isoformat()}",\n  "items": [']
    held = 0
    before = "\n"
    for item in report.items:
        body = ",\n".join(map(dict.__getitem__, fields, item))
        text = f"{before}    {{\n{body}\n    }}"
        parts.append(text)
        held += len(text)
        before = ",\n"
        if held >= size:
            yield "".join(parts).encode()
            parts.clear()
            held = 0
    parts.append("\n  ]\n}\n" if report.items else "]\n}\n")
    yield "".join(parts).encode()


def render_csv(report: Report) -> bytes:
    """The same items as the JSON, one row each, headed by the JSON keys.

    UTF-8 with a byte-order mark: without it Excel on a Chinese Windows reads the
    file as GBK and shows mojibake. Booleans are ``true``/``false``, nulls are empty.
    Text that starts like a formula (``=``, ``+``, ``-``, ``@``, tab, CR) gets a leading
    ``'`` so that Excel shows it instead of running it; no other cell can start so
    (dates start with a digit, numbers are never negative).
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(FIELDS)
    writer.writerows([_cell(v) for v in item.as_dict().values()] for item in report.items)
    return buffer.getvalue().encode("utf-8-sig")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return spreadsheet_cell(value)
    return str(value)


def counts(items: list[Item]) -> Counter[Status]:
    """How many items are in each status."""
    return Counter(i.status for i in items)


def totals_line(items: list[Item], within: int, show_all: bool) -> str:
    """逾期 N 项，即将到期（14 天内）N 项，已报送 N 项，逾期报送 N 项[，未到期 N 项
    [，无期限未报送 N 项]]."""
    c = counts(items)
    parts = [
        f"逾期 {c[Status.overdue]} 项",
        f"即将到期（{within} 天内）{c[Status.due_soon]} 项",
        f"已报送 {c[Status.filed]} 项",
        f"逾期报送 {c[Status.filed_late]} 项",
    ]
    if show_all:
        parts.append(f"未到期 {c[Status.not_due]} 项")
        if c[Status.not_filed]:
            parts.append(f"无期限未报送 {c[Status.not_filed]} 项")
    return "，".join(parts)


def _title(item: Item) -> str:
    return item.title + (f"（{item.period}年度）" if item.period is not None else "")


def _due_cell(item: Item) -> str:
    if item.due is None:
        return f"无期限\n（{item.due_text}）" if item.due_text != NO_DUE else "无期限"
    return item.due.isoformat() + ("\n（推定）" if item.assumed else "")


def _status_cell(item: Item) -> str:
    label = STATUS_LABELS[item.status]
    if item.status is Status.due_soon:
        return f"{label}\n{'今天到期' if item.days_left == 0 else f'还有 {item.days_left} 天'}"
    if item.status is Status.filed:
        return f"{label}\n{item.filed_on}"
    if item.status is Status.filed_late:
        return f"{label}\n{item.filed_on}，晚 {item.days_late} 天"
    return label


# Colour shows only on a terminal without NO_COLOR (views.render_rich decides).
_STATUS_STYLES: dict[Status, str] = {
    Status.overdue: "bold red",
    Status.due_soon: "yellow",
    Status.filed: "green",
    Status.filed_late: "magenta",
    Status.not_due: "dim",
    Status.not_filed: "cyan",
}


def _table_order(items: list[Item]) -> list[Item]:
    """Units with the most days overdue first; within a unit, the same."""
    worst: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], int] = {}
    for n, i in enumerate(items):
        key = (i.scheme, i.unit)
        worst[key] = max(worst.get(key, 0), i.days_overdue)
        first.setdefault(key, n)
    return sorted(
        items,
        key=lambda i: (
            -worst[(i.scheme, i.unit)],
            first[(i.scheme, i.unit)],
            -i.days_overdue,
            i.due or dt.date.max,  # filings with no date after the dated ones
        ),
    )


def render_table(report: Report, width: int | None = None) -> str:
    """Tables grouped by scheme, then by unit, most overdue first; totals at the foot."""
    from rich.table import Table
    from rich.text import Text

    from .views import render_rich

    parts: list[Any] = []
    by_scheme = {k: list(v) for k, v in groupby(report.items, key=lambda i: i.scheme)}
    for scheme in report.schemes:
        items = by_scheme.get(scheme.scheme, [])
        source = f"名册：{scheme.roster}" if scheme.roster else "无名册，按全部未报送计算"
        heading = f"{scheme.city}（{scheme.scheme}）　截至 {report.as_of}　{source}"
        if not items:
            parts.append(f"{heading}\n  没有需要列出的事项。\n")
            continue
        table = Table(
            title=heading,
            title_justify="left",
            # With one scheme the total at the foot says it all.
            caption=f"小计：{totals_line(items, report.within, report.show_all)}"
            if len(report.schemes) > 1
            else None,
            caption_justify="left",
        )
        table.add_column("单位", max_width=24, overflow="fold")
        # Chinese has no spaces to break at: fold long text instead of cutting it off.
        table.add_column("事项", overflow="fold")
        table.add_column("期限", no_wrap=True)
        table.add_column("状态", overflow="fold")
        table.add_column("逾期天数", justify="right", no_wrap=True)
        table.add_column("报送对象", max_width=24, overflow="fold")
        ordered = _table_order(items)
        for (_, unit), group in groupby(ordered, key=lambda i: (i.scheme, i.unit)):
            rows = list(group)
            for n, item in enumerate(rows):
                # The unit is named on its first row; an assumed owner is marked on each
                # row whose duty assumes it, not only where that row comes first.
                marked = "（推定）" if item.owner_assumed else ""
                table.add_row(
                    f"{unit}\n{marked}".rstrip() if n == 0 else marked,
                    _title(item),
                    _due_cell(item),
                    Text(_status_cell(item), style=_STATUS_STYLES[item.status]),
                    str(item.days_overdue) if item.status is Status.overdue else "",
                    (item.owed_to or "未规定") + ("（推定）" if item.recipient_assumed else ""),
                    end_section=n == len(rows) - 1,
                )
        parts.append(table)
    for text in assumption_notes(report.items):
        parts.append(f"（推定）{text}")
    parts.append(
        f"合计（截至 {report.as_of}）：{totals_line(report.items, report.within, report.show_all)}"
    )
    return render_rich(*parts, width=width)


def assumption_notes(items: list[Item]) -> list[str]:
    """Each assumption behind the items once: assumed dates, owners and recipients."""
    notes: set[str] = set()
    for i in items:
        if i.assumed and i.assumption:
            notes.add(i.assumption)
        if i.owner_assumed and i.owner_assumption:
            notes.add(f"承担单位：{i.owner_assumption}")
        if i.recipient_assumed and i.recipient_assumption:
            notes.add(f"报送对象：{i.recipient_assumption}")
    return sorted(notes)


# ---------------------------------------------------------------- iCalendar

PRODID = "-//cdo-cli//首席数据官制度工具//ZH"
# Filing dates carry no time of day, but COMPLETED must be a UTC date-time. Noon
# China time (04:00 UTC) falls on the filing date itself in every time zone from
# UTC-4 to UTC+14, so calendars there show the to-do completed on the day it was filed.
_COMPLETED_AT = dt.time(4, 0, tzinfo=dt.timezone.utc)


def uid(item: Item) -> str:
    """A UID that stays the same across exports, so re-importing updates the to-do.

    It depends only on what identifies the duty (scheme, obligation, unit, period),
    never on its status or dates.
    """
    key = "\x1f".join([item.scheme, item.obligation, item.unit, str(item.period or "")])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@cdo"


def summary(item: Item) -> str:
    """【普宁市】市公安局：各部门报送工作联系人名单（附件2）."""
    return f"【{item.city}】{item.unit}：{_title(item)}"


def description(item: Item, as_of: dt.date) -> str:
    """报送对象, the document's words for the deadline, and any assumption."""
    lines = [
        f"报送对象：{item.owed_to or '文件未规定'}",
        f"期限：{item.due}（含当日；原文：{item.due_text}）"
        if item.due
        else "期限：文件未规定" + (f"（原文：{item.due_text}）" if item.due_text != NO_DUE else ""),
        f"状态（截至 {as_of}）：{_status_cell(item).replace(chr(10), '，')}",
    ]
    if item.role_name:
        lines.insert(1, f"承担：{item.role_name}")
    if item.assumed:
        lines.append(f"推定：{item.assumption or '日期为推定'}")
    if item.owner_assumed:
        lines.append(f"推定承担单位：{item.owner_assumption}")
    if item.recipient_assumed:
        lines.append(f"推定报送对象：{item.recipient_assumption}")
    lines.append(f"方案：{item.scheme}　事项：{item.obligation}")
    return "\n".join(lines)


def render_ics(report: Report, stamp: dt.datetime) -> bytes:
    """An iCalendar file (RFC 5545) with one VTODO per item; ``stamp`` is DTSTAMP (UTC).

    DUE is a DATE value on the deadline day itself: DUE;VALUE=DATE:20231030 for a
    duty due 2023-10-30, inclusive. RFC 5545 defines DUE as the moment "before which"
    a to-do should be done, and one of its examples reads a DATE that way (a tax
    return due 30 April written as 20070501), like the exclusive all-day DTEND of an
    event. We do not follow that reading: to-do clients (Thunderbird, Evolution,
    tasks.org) show a DATE-valued DUE as the day the to-do is due, so 20231031 would
    tell the bureau "due 31 October", a day later than the document
    (2023年10月30日前) and than ``cdo overdue`` itself. A client that already marks
    the to-do red during the 30th errs early, the safe side for a deadline.
    """
    from icalendar import Calendar, Todo

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cities = "、".join(s.city for s in report.schemes)
    name = visible(f"首席数据官报送期限（{cities}）" if cities else "首席数据官报送期限")
    cal.add("x-wr-calname", name)
    cal.add("name", name)  # RFC 7986
    stamp_utc = stamp.astimezone(dt.timezone.utc)
    for item in report.items:
        todo = Todo()
        todo.add("uid", uid(item))
        todo.add("dtstamp", stamp_utc)
        # Text values may not hold control characters (RFC 5545, 3.3.11).
        todo.add("summary", visible(summary(item)))
        todo.add("description", visible(description(item, report.as_of), keep_newlines=True))
        if item.due is not None:  # a filing with no date is a to-do with no DUE
            todo.add("due", item.due)  # a date: DUE;VALUE=DATE (see above)
        todo.add("categories", [visible(item.city), STATUS_LABELS[item.status]])
        if item.filed_on is not None:
            todo.add("status", "COMPLETED")
            todo.add("percent-complete", 100)
            todo.add("completed", dt.datetime.combine(item.filed_on, _COMPLETED_AT))
        else:
            todo.add("status", "NEEDS-ACTION")
            if item.status is Status.overdue:
                todo.add("priority", 1)
        cal.add_component(todo)
    data: bytes = cal.to_ical()
    return data
