"""The report's charts as SVG text, drawn from :class:`~cdo_cli.report_data.ReportData`.

Each chart is a string of SVG (vector, so it prints sharply and scales to a projector)
made only from numbers and escaped text: every name passes through :func:`_esc`
(control characters made visible, then ``& < > " '`` escaped), and no value is ever
placed anywhere but in text or a quoted attribute. The numbers each bar stands for are
also written on it as ``data-*`` attributes, for the browser test to read back.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from .overdue import Status
from .report_data import STATE_LABELS, STATES, STATUS_ORDER, Deadline, ReportData
from .report_evaluation import EvaluationReport
from .text import visible

WIDTH = 720  # the viewBox width; the page scales it to the column
FONT = 13  # label size, in viewBox units
SMALL = 11

STATE_COLORS = {"complete": "#2e7d32", "incomplete": "#f2a900", "missing": "#c62828"}
STATUS_LABELS = {
    Status.filed.value: "已报送",
    Status.filed_late.value: "逾期报送",
    Status.overdue.value: "已逾期",
    Status.due_soon.value: "即将到期",
    Status.not_due.value: "未到期",
}
STATUS_COLORS = {
    Status.filed.value: "#2e7d32",
    Status.filed_late.value: "#8e24aa",
    Status.overdue.value: "#c62828",
    Status.due_soon.value: "#f2a900",
    Status.not_due.value: "#b0b0b0",
}


def _esc(text: object) -> str:
    """Text safe inside an SVG element or a quoted attribute."""
    value = visible(str(text))
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _num(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zeros."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def text_width(text: str, size: float = FONT) -> float:
    """About how wide ``text`` is drawn: a Chinese character is one em, Latin about half."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.56 for ch in text)


def _most(width: float, size: float) -> int:
    """More characters than this never fit in ``width``: none is narrower than 0.56 em.

    Cutting a long text to it first keeps fit and wrap from measuring a title of
    thousands of characters once for every character they cut.
    """
    return int(width / (size * 0.56)) + 1


def fit(text: str, width: float, size: float = FONT) -> str:
    """``text`` cut to ``width`` (with an ellipsis) if it is wider."""
    if len(text) <= _most(width, size) and text_width(text, size) <= width:
        return text
    text = text[: _most(width, size)]
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


_NO_LINE_START = set("）」》』】〕，。、；：！？)]},.;:!?")


def wrap(text: str, width: float, lines: int = 2, size: float = FONT) -> list[str]:
    """``text`` broken into at most ``lines`` lines of ``width``; the last one cut."""
    out: list[str] = []
    rest = text
    most = _most(width, size)
    while rest and len(out) < lines - 1 and (len(rest) > most or text_width(rest, size) > width):
        cut = min(len(rest), most)
        while cut > 1 and text_width(rest[:cut], size) > width:
            cut -= 1
        # A closing bracket or a comma never starts a line (the character before goes too).
        while cut > 1 and rest[cut] in _NO_LINE_START:
            cut -= 1
        out.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        out.append(fit(rest, width, size))
    return out


def _attrs(values: Mapping[str, object]) -> str:
    return "".join(f' {k}="{_esc(v)}"' for k, v in values.items())


def _text(x: float, y: float, text: str, size: float = FONT, **attrs: object) -> str:
    """A ``<text>`` element; keyword ``anchor`` sets text-anchor, others become attributes."""
    anchor = attrs.pop("anchor", "start")
    extra = _attrs({k.replace("_", "-"): v for k, v in attrs.items()})
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}" '
        f'text-anchor="{anchor}"{extra}>{_esc(text)}</text>'
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, **attrs: object) -> str:
    extra = _attrs({k.replace("_", "-"): v for k, v in attrs.items()})
    return (
        f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="{_num(h)}" '
        f'fill="{fill}"{extra}/>'
    )


def _svg(height: float, title: str, body: Iterable[str], chart: str) -> str:
    return (
        f'<svg class="chart" data-chart="{chart}" viewBox="0 0 {WIDTH} {_num(height)}" '
        f'width="100%" role="img" aria-label="{_esc(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{_esc(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _legend(entries: Sequence[tuple[str, str]], y: float = 14) -> list[str]:
    out: list[str] = []
    x = 0.0
    for label, color in entries:
        out.append(_rect(x, y - 10, 12, 12, color))
        out.append(_text(x + 16, y, label, SMALL))
        x += 16 + text_width(label, SMALL) + 18
    return out


def _stack(
    x: float, y: float, width: float, height: float, parts: Sequence[tuple[int, str, str]]
) -> list[str]:
    """A 100% stacked bar: ``(count, colour, label)`` parts, numbers inside where they fit."""
    total = sum(n for n, _, _ in parts)
    out: list[str] = []
    if total == 0:
        return [_rect(x, y, width, height, "#ffffff", stroke="#b0b0b0")]
    for count, color, label in parts:
        if count == 0:
            continue
        w = width * count / total
        out.append(
            _rect(x, y, w, height, color, stroke="#ffffff", stroke_width="0.5").replace(
                "/>", f"><title>{_esc(f'{label} {count}')}</title></rect>"
            )
        )
        number = str(count)
        if w >= text_width(number, SMALL) + 6:
            out.append(
                _text(
                    x + w / 2,
                    y + height / 2 + SMALL * 0.36,
                    number,
                    SMALL,
                    anchor="middle",
                    fill="#ffffff" if color not in ("#f2a900", "#b0b0b0") else "#000000",
                    font_weight="bold",
                )
            )
        x += w
    return out


# ---------------------------------------------------------------- the charts


def coverage_chart(data: ReportData) -> str:
    """Appointment coverage by unit kind: complete / incomplete / missing, 100% stacked."""
    rows = [
        (c.kind, {"complete": c.complete, "incomplete": c.incomplete, "missing": c.missing},
         {"data-kind": c.kind})
        for c in data.coverage
    ]  # fmt: skip
    return _state_chart(
        rows, 104.0, "本方案没有必设职位的单位。", "任职情况（按单位类别）", "coverage"
    )


def parent_chart(data: ReportData) -> str:
    """Coverage of the units under each parent (at any depth), 100% stacked."""
    rows = [
        (p.parent, {"complete": p.complete, "incomplete": p.incomplete, "missing": p.missing},
         {"data-parent": p.parent})
        for p in data.parents
    ]  # fmt: skip
    label_w = min(max((text_width(p.parent) for p in data.parents), default=60) + 12, 200)
    return _state_chart(
        rows, label_w, "没有须设职位的下属单位。", "任职情况（按上级单位）", "parents"
    )


def _state_chart(
    rows: Sequence[tuple[str, dict[str, int], Mapping[str, object]]],
    label_w: float,
    empty: str,
    title: str,
    chart: str,
) -> str:
    """One 100% stacked bar of complete / incomplete / missing units per row."""
    bar_w, row = 380.0, 34.0
    body = _legend([(STATE_LABELS[s], STATE_COLORS[s]) for s in STATES])
    y = 30.0
    for label, counts, attrs in rows:
        body.append(f'<g class="bar"{_attrs({**attrs, **_data(counts)})}>')
        body.append(_text(label_w - 8, y + 16, fit(label, label_w - 8), anchor="end"))
        body += _stack(
            label_w,
            y + 2,
            bar_w,
            20,
            [(counts[s], STATE_COLORS[s], STATE_LABELS[s]) for s in STATES],
        )
        words = "，".join(f"{STATE_LABELS[s]} {counts[s]}" for s in STATES)
        total = sum(counts.values())
        body.append(
            _text(
                label_w + bar_w + 10,
                y + 16,
                fit(f"{words}（共 {total}）", WIDTH - label_w - bar_w - 10, SMALL),
                SMALL,
            )
        )
        body.append("</g>")
        y += row
    if not rows:
        body.append(_text(0, y + 16, empty))
        y += row
    return _svg(y + 4, title, body, chart)


def unit_chart(data: ReportData) -> str:
    """Overdue duties by unit: one bar each, most first; past the top ones, one bar."""
    labels = [_unit_label(u.unit, u.others) for u in data.by_unit]
    label_w = min(max((text_width(t) for t in labels), default=60) + 10, 250)
    bar_w, row = WIDTH - label_w - 150, 26.0
    top = max((u.overdue for u in data.by_unit if not u.others), default=0)
    body: list[str] = []
    y = 4.0
    for u, label in zip(data.by_unit, labels, strict=True):
        attrs = {"data-unit": u.unit, "data-overdue": u.overdue, "data-worst-days": u.worst_days}
        if u.others:
            attrs["data-others"] = u.others
        body.append(f'<g class="bar"{_attrs(attrs)}>')
        body.append(
            _text(label_w - 8, y + 15, fit(label, label_w - 8), anchor="end").replace(
                "</text>", f"<title>{_esc(u.unit)}</title></text>"
            )
        )
        words = f"{u.overdue} 项，最长 {u.worst_days} 天"
        if u.others:  # a sum, not one unit: no bar to compare with the others
            body.append(_text(label_w, y + 15, f"共 {words}（见待办清单）", SMALL))
        else:
            w = max(bar_w * u.overdue / top, 2) if top else 0
            body.append(_rect(label_w, y + 3, w, 16, STATUS_COLORS["overdue"]))
            body.append(_text(label_w + w + 6, y + 15, words, SMALL))
        body.append("</g>")
        y += row
    if not data.by_unit:
        body.append(_text(0, y + 15, f"截至 {data.as_of.isoformat()} 没有逾期事项。"))
        y += row
    return _svg(y + 4, "逾期事项（按单位）", body, "units")


def _unit_label(unit: str, others: int) -> str:
    return f"其余 {others} 个单位" if others else unit


def deadline_chart(data: ReportData) -> str:
    """Where each deadline stands: its units by status, 100% stacked, the label above."""
    bar_w = 400.0
    body = _legend([(STATUS_LABELS[s.value], STATUS_COLORS[s.value]) for s in STATUS_ORDER])
    y = 26.0
    for d in data.deadlines:
        attrs = {
            "data-obligation": d.obligation,
            "data-period": "" if d.period is None else d.period,
            "data-due": d.due.isoformat(),
            "data-units": d.units,
            **_data(d.counts),
        }
        body.append(f'<g class="bar"{_attrs(attrs)}>')
        body.append(_text(0, y + 14, fit(_deadline_label(d), WIDTH)))
        parts = [
            (d.counts[s.value], STATUS_COLORS[s.value], STATUS_LABELS[s.value])
            for s in STATUS_ORDER
        ]
        body += _stack(0, y + 20, bar_w, 18, parts)
        words = "，".join(f"{label} {n}" for n, _, label in parts if n)
        body.append(
            _text(
                bar_w + 10,
                y + 33,
                fit(f"{words}（共 {d.units} 个单位）", WIDTH - bar_w - 10, SMALL),
                SMALL,
            )
        )
        body.append("</g>")
        y += 50
    if not data.deadlines:
        body.append(_text(0, y + 14, "本方案没有规定日期的事项。"))
        y += 30
    return _svg(y + 2, "各期限报送情况", body, "deadlines")


def _deadline_label(d: Deadline) -> str:
    marks = "（承担单位推定）" if d.owner_assumed else ""
    due = d.due.isoformat() + ("（推定）" if d.assumed else "")
    return f"{d.label}{marks}　期限 {due}"


def timeline_chart(data: ReportData) -> str:
    """The scheme's deadlines on a time axis, the issue date and the as-of day marked."""
    label_w, right = 250.0, WIDTH - 12.0
    rows = data.deadlines
    days = [d.due for d in rows] + [data.as_of] + ([data.issued] if data.issued else [])
    start, end = min(days), max(days)
    pad = max((end - start).days * 0.04, 5)
    first = start - dt.timedelta(days=pad)
    span = max((end - first).days + pad, 1)

    def x_of(day: dt.date) -> float:
        return label_w + (right - label_w) * (day - first).days / span

    axis_y, row = 34.0, 36.0
    body = [
        f'<line x1="{_num(label_w)}" y1="{_num(axis_y)}" x2="{_num(right)}" '
        f'y2="{_num(axis_y)}" stroke="#555555"/>'
    ]
    ticks, step, years = _ticks(first, first + dt.timedelta(days=span))
    label_end = 0.0  # where the last label ends: the next one may not touch it
    labelled_year = None  # a month's label names its year when that changes
    for n, day in enumerate(ticks):
        x = x_of(day)
        body.append(
            f'<line x1="{_num(x)}" y1="{_num(axis_y - 4)}" x2="{_num(x)}" y2="{_num(axis_y)}" '
            'stroke="#555555"/>'
        )
        if years:
            label = f"{day.year}年"
        else:
            label = f"{day.month}月" if day.year == labelled_year else f"{day.year}年{day.month}月"
        half = text_width(label, SMALL) / 2
        if n % step == 0 and x - half > label_end + 6 and x + half < WIDTH:
            body.append(_text(x, axis_y - 8, label, SMALL, anchor="middle", fill="#333333"))
            label_end = x + half
            labelled_year = day.year
    bottom = axis_y + 8 + row * max(len(rows), 1)
    shade = "#f4f4f4"  # every other row
    body += [_rect(0, axis_y + 8 + row * n, WIDTH, row, shade) for n in range(0, len(rows), 2)]
    # The dashed lines go under the deadlines: a date they run through stays readable.
    markers = [(data.as_of, f"截至 {data.as_of.isoformat()}", "#c62828", bottom + 16, "as-of")]
    if data.issued is not None:  # a document may not say when it was issued
        issued = (data.issued, f"印发 {data.issued.isoformat()}", "#555555", axis_y - 22, "issued")
        markers.insert(0, issued)
    for day, label, color, y_text, key in markers:
        x = x_of(day)
        dash = "2 3" if key == "issued" else "6 3"
        body.append(
            f'<g class="marker" data-{key}="{day.isoformat()}"><line x1="{_num(x)}" '
            f'y1="{_num(axis_y)}" x2="{_num(x)}" y2="{_num(bottom + 4)}" stroke="{color}" '
            f'stroke-width="{1.8 if key == "as-of" else 1}" stroke-dasharray="{dash}"/>'
        )
        anchor = "end" if x > WIDTH - 80 else ("start" if x < label_w + 40 else "middle")
        body.append(
            _text(x, y_text, label, SMALL, anchor=anchor, fill=color, font_weight="bold") + "</g>"
        )
    for n, d in enumerate(rows):
        y = axis_y + 8 + row * n
        x = x_of(d.due)
        attrs = {
            "data-obligation": d.obligation,
            "data-period": "" if d.period is None else d.period,
            "data-due": d.due.isoformat(),
            "data-state": d.state,
        }
        body.append(f'<g class="deadline"{_attrs(attrs)}>')
        lines = wrap(d.label + ("（承担单位推定）" if d.owner_assumed else ""), label_w - 12)
        for k, line in enumerate(lines):
            base = y + row / 2 + FONT * 0.36 + (k - (len(lines) - 1) / 2) * (FONT + 2)
            body.append(_text(6, base, line))
        color = STATUS_COLORS[d.state]
        cy = y + row / 2
        body.append(
            f'<path d="M{_num(x)} {_num(cy - 7)} l7 7 l-7 7 l-7 -7 z" fill="{color}" '
            'stroke="#000000" stroke-width="0.6"/>'
        )
        when = d.due.isoformat() + ("（推定）" if d.assumed else "")
        # Outlined in the row's colour, so that a dashed line behind it stops short of it.
        background = shade if n % 2 == 0 else "#ffffff"
        halo: dict[str, object] = {"stroke": background, "stroke_width": 4, "paint_order": "stroke"}
        if x > (label_w + right) / 2:
            body.append(_text(x - 11, cy + 4, when, SMALL, anchor="end", **halo))
        else:
            body.append(_text(x + 11, cy + 4, when, SMALL, **halo))
        body.append("</g>")
    if not rows:
        body.append(_text(6, axis_y + 30, "本方案没有规定日期的事项。"))
    # Moved down to leave room above the axis for the issue date's label.
    return _svg(
        bottom + 40, "期限时间轴", ['<g transform="translate(0 16)">', *body, "</g>"], "timeline"
    )


def _ticks(start: dt.date, end: dt.date) -> tuple[list[dt.date], int, bool]:
    """Tick days between two dates, every how many of them to label, and whether they
    are years (over two years) or months."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 24:
        years = [dt.date(y, 1, 1) for y in range(start.year + 1, end.year + 1)]
        return [d for d in years if start <= d <= end], 1, True
    days: list[dt.date] = []
    y, m = start.year, start.month
    while True:
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        if dt.date(y, m, 1) > end:
            return days, 1 if months <= 8 else (2 if months <= 16 else 3), False
        days.append(dt.date(y, m, 1))


def _data(counts: dict[str, int]) -> dict[str, object]:
    """Counts as data attributes: ``filed_late`` becomes ``data-filed-late``."""
    return {f"data-{k.replace('_', '-')}": v for k, v in counts.items()}


def evaluation_chart(report: EvaluationReport) -> str:
    """The ranked officers' totals (weighted, with the bureau's weights), best first."""
    from .outlines import number_text

    ranking = report.ranking
    rows = (
        [r for r in ranking.rows if r.rank is not None and r.total is not None] if ranking else []
    )
    labels = [f"{r.rank}　{r.unit}" for r in rows]
    label_w = min(max((text_width(t) for t in labels), default=60) + 12, 250)
    bar_w, row = WIDTH - label_w - 90, 26.0
    top = max((r.total for r in rows if r.total is not None), default=0)
    body: list[str] = []
    y = 4.0
    for r, label in zip(rows, labels, strict=True):
        assert r.total is not None
        total = number_text(r.total)
        attrs = {"data-unit": r.unit, "data-rank": r.rank, "data-total": total}
        body.append(f'<g class="bar"{_attrs(attrs)}>')
        body.append(_text(label_w - 8, y + 15, fit(label, label_w - 8), anchor="end"))
        w = max(bar_w * float(r.total / top), 2) if top else 2
        body.append(_rect(label_w, y + 3, w, 16, "#1565c0"))
        body.append(_text(label_w + w + 6, y + 15, total, SMALL))
        body.append("</g>")
        y += row
    if not rows:
        body.append(_text(0, y + 15, "没有可排名的评分。"))
        y += row
    what = "加权合计" if ranking is not None and ranking.weights is not None else "各项得分之和"
    return _svg(y + 4, f"{report.name}：{what}", body, "evaluation")
