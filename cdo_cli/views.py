"""Readable views of schemes (rich tables), returned as text for the CLI to print."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import io
import os
import shutil
import sys
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Span, Text

from .findings import Finding
from .policy import KIND_LABELS, Due, Obligation, Scheme
from .text import visible

_FIELD_LABELS = {
    "unit": "单位",
    "index": "序号",
    "name": "姓名",
    "title": "职务",
    "phone": "电话",
    "email": "邮箱",
    "contact": "联系方式",
    "office": "科室",
}


class _Console(Console):
    """A console that shows control characters in strings as ``\\x1b`` instead of sending them.

    Rich turns every string it prints (table cells, titles, captions) into Text through
    :meth:`render_str`; data reaches a terminal through nowhere else. Markup is off, so
    ``[`` in data is text, not a style (nor a MarkupError).
    """

    def render_str(self, text: str, **kwargs: Any) -> Text:
        """The string, control characters made visible, as Text."""
        return super().render_str(visible(text, keep_newlines=True), **kwargs)


def _visible_text(text: Text) -> Text:
    """A copy of a Text with control characters made visible, its styles kept in place."""
    plain = text.plain
    shown = visible(plain, keep_newlines=True)
    if shown == plain:
        return text
    # Where each character of the original starts in the escaped text.
    starts = [0]
    for ch in plain:
        starts.append(starts[-1] + len(visible(ch, keep_newlines=True)))
    out = text.copy()
    out.plain = shown
    end = len(plain)
    out.spans = [
        Span(starts[min(s.start, end)], starts[min(s.end, end)], s.style) for s in text.spans
    ]
    return out


def _shown(renderable: Any) -> Any:
    """Text (also in tables) with control characters made visible; strings are left to
    :class:`_Console`."""
    if isinstance(renderable, Text):
        return _visible_text(renderable)
    if isinstance(renderable, Table):
        table = copy.copy(renderable)
        table.title = _shown(table.title)
        table.caption = _shown(table.caption)
        # Column.copy() drops the cells; this is the same copy with them made visible.
        table.columns = [
            dataclasses.replace(
                column,
                header=_shown(column.header),
                footer=_shown(column.footer),
                _cells=[_shown(cell) for cell in column._cells],
            )
            for column in renderable.columns
        ]
        return table
    return renderable


def render_rich(*renderables: Any, width: int | None = None) -> str:
    """Rich renderables as text; colour only on a terminal and without NO_COLOR.

    Control characters in the text are shown as ``\\x1b``, ``\\u202e``: data never
    drives the terminal (rich's own colour codes still do).
    """
    tty = sys.stdout.isatty()
    color = tty and not os.environ.get("NO_COLOR")
    if width is None:
        columns = os.environ.get("COLUMNS", "")
        fallback = int(columns) if columns.isdigit() and int(columns) >= 60 else 120
        width = shutil.get_terminal_size((fallback, 40)).columns if tty else fallback
    buffer = io.StringIO()
    console = _Console(
        file=buffer,
        width=width,
        color_system="auto" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
        markup=False,
    )
    for item in renderables:
        console.print(_shown(item))
    return buffer.getvalue()


def scheme_list_table(rows: list[tuple[str, Scheme | None, str, Finding | None]]) -> str:
    """The table of ``cdo policy list``: (id, scheme or None if broken, origin, problem)."""
    table = Table(title="已找到的首席数据官制度方案", title_justify="left")
    for header in ("方案", "城市", "文号", "印发日期", "单位", "职位", "事项", "附件", "来源"):
        table.add_column(header, no_wrap=header in {"方案", "印发日期"}, overflow="fold")
    for scheme_id, scheme, origin, problem in rows:
        if scheme is None:
            where = f"{problem.line or 1}:{problem.column or 1}" if problem else ""
            message = f"文件有错误（{where}）：{problem.message}" if problem else "文件有错误"
            table.add_row(scheme_id, message, "", "", "", "", "", "", origin)
            continue
        table.add_row(
            scheme.id,
            scheme.city,
            scheme.document.doc_number or "（无文号）",
            scheme.document.issued.isoformat() if scheme.document.issued else "未载明",
            str(len(scheme.units)),
            str(len(scheme.roles)),
            str(len(scheme.obligations)),
            str(len(scheme.forms)),
            origin,
        )
    return render_rich(table)


def due_label(due: Due | None, due_text: str | None = None) -> str:
    """A due date in words: 2023-10-30, or 每年12月31日（自2023年起）, or the document's text."""
    if due is None:
        return due_text or "未规定"
    if due.date is not None:
        label = due.date.isoformat()
    else:
        label = f"每年{due.month}月{due.day}日（自{due.first_period}年起）"
    return label + ("（推定）" if due.assumed else "")


def deadlines(scheme: Scheme) -> list[Obligation]:
    """Obligations with a date, in date order (recurring ones by their first due date)."""
    dated = [o for o in scheme.obligations if o.due is not None]

    def key(o: Obligation) -> tuple[str, str]:
        assert o.due is not None
        first = o.due.date or o.due.in_year(o.due.first_period or 0)
        return (first.isoformat(), o.id)

    return sorted(dated, key=key)


def scheme_view(scheme: Scheme, day: dt.date | None = None) -> str:
    """The readable view of ``cdo policy show``, read as of ``day`` where the scheme has dates."""
    from .scheme_rules import eligibility_words, issue_date, rule_sections, span_words, timed

    doc = scheme.document
    head = Text()
    head.append(f"{doc.title}\n", style="bold")
    head.append(f"{doc.issuer}　{doc.doc_number or '（文件未载明文号）'}　{issue_date(scheme)}\n")
    if doc.implements:
        refs = "；".join(f"《{r.title}》{r.doc_number or ''}" for r in doc.implements)
        head.append(f"依据：{refs}\n")
    for goal in doc.goals:
        head.append(f"目标（{goal.year}年）：{goal.text}\n")
    head.append(f"牵头单位：{scheme.authority}")
    if day is not None and timed(scheme):
        head.append(f"\n范围随时间变化，以下按 {day} 显示（--as-of 日期）")

    roles = Table(title="职位", title_justify="left", show_lines=False)
    for header in ("id", "名称", "必设", "人数", "任职条件", "任命", "备案"):
        roles.add_column(header, overflow="fold")
    for r in scheme.roles:
        count = f"{r.holders.min}–{r.holders.max}" if r.holders.max else f"{r.holders.min}名以上"
        if r.holders.max == r.holders.min:
            count = f"{r.holders.min}名"
        roles.add_row(
            r.id,
            r.name,
            "必设" if r.required else "可设",
            count,
            eligibility_words(r),
            r.appointed_by or "未规定",
            r.filed_with or "未规定",
        )

    units = Table(title=f"单位（{len(scheme.units)}个）", title_justify="left")
    parents = any(u.parent for u in scheme.units)
    spans = any(u.effective for u in scheme.units)
    attributes = any(u.attributes for u in scheme.units)
    for header, shown in (
        ("序号", True),
        ("单位", True),
        ("类别", True),
        ("上级单位", parents),
        ("试点", True),
        ("纳入时间", spans),
        ("属性", attributes),
        ("其他写法", True),
    ):
        if shown:
            units.add_column(header, overflow="fold")
    for i, u in enumerate(scheme.units, 1):
        row = [str(i), u.name, KIND_LABELS[u.kind]]
        if parents:
            row.append(u.parent or "")
        row.append("是" if u.pilot else "")
        if spans:
            row.append(
                span_words(u.effective, day, "尚未纳入", "已不在范围内") if u.effective else ""
            )
        if attributes:
            row.append("、".join(f"{k}: {'是' if v else '否'}" for k, v in u.attributes.items()))
        row.append("、".join(u.aliases))
        units.add_row(*row)

    dues = Table(title="期限（按日期）", title_justify="left")
    for header in ("期限", "事项 id", "事项", "承担", "报送对象", "原文"):
        # A date stays on one line; 每年12月31日（自2022年起） may wrap.
        dues.add_column(header, overflow="fold", no_wrap=header == "事项 id", min_width=10)
    for o in deadlines(scheme):
        states = [o.owed_by.state(u) for u in scheme.units]
        owners = [u for u, s in zip(scheme.units, states, strict=True) if s is True]
        who = owners[0].name if len(owners) == 1 else f"{len(owners)}个单位"
        if None in states:  # owed by an attribute the scheme leaves to the roster
            undecided = states.count(None)
            who = (f"{who}及另" if owners else "") + f"{undecided}个中视名册写明的属性而定的"
        if o.role and (role := scheme.role(o.role)):
            who += f"（{role.name}）"
        who += "（推定）" if o.owner_assumed else ""
        to = (o.owed_to or "未规定") + ("（推定）" if o.recipient_assumed else "")
        assert o.due is not None
        dues.add_row(due_label(o.due), o.id, o.title, who, to, o.due.text)
    undated = [o for o in scheme.obligations if o.due is None]

    forms = Table(title="附件", title_justify="left")
    for header in ("id", "附件", "标题", "栏目"):
        forms.add_column(header, overflow="fold")
    for f in scheme.forms:
        cols = "；".join(
            (f"{s.heading}：" if s.heading else "")
            + "、".join(c.header or f"（{_FIELD_LABELS[c.field]}）" for c in s.columns)
            for s in f.sections
        )
        forms.add_row(f.id, f.label, f.title, cols)

    parts: list[Any] = [head, roles, units, dues]
    if undated:
        parts.append(
            "未规定日期的事项："
            + "；".join(
                f"{o.title}（{o.id}{'，承担单位推定' if o.owner_assumed else ''}）" for o in undated
            )
        )
    parts.append(forms if scheme.forms else "附件：本文件没有附件表格")
    rules: list[Any] = []
    for section in rule_sections(scheme, day):
        rules.append(Text("\n" + section.title, style="italic"))
        for line in section.lines:
            # A detail line keeps its indent when it wraps.
            indent = len(line) - len(line.lstrip(" "))
            text = _visible_text(Text(line.lstrip(" ")))
            rules.append(Padding(text, (0, 0, 0, indent), expand=False))
    # Padding pads wrapped lines to the block's width: not a space at a line's end.
    after = "".join(line.rstrip(" ") + "\n" for line in render_rich(*rules).splitlines())
    return render_rich(*parts) + after
