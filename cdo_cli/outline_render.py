"""``cdo render`` for report skeletons and evaluation sheets: finding them, and rendering.

``cdo render 述职报告 --dept 市公安局 --year 2023`` and ``cdo render 评价表 --dept 惠城区``
go through the same command as the attachment forms. :func:`classify` says whether the
name on the command line is a form (rendered by :mod:`cdo_cli.render` as before), a
report outline or an evaluation of some scheme; :func:`render_outlines` renders the
latter two, one document per unit, into the same :class:`~cdo_cli.render.RenderResult`.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from .errors import NotFoundError, UsageError, one_of
from .policy import FIRST_YEAR, LAST_YEAR
from .policy_outlines import (
    Evaluation,
    ReportOutline,
    evaluated_units,
    outlines_of,
    report_units,
)

if TYPE_CHECKING:
    from pathlib import Path

    from .outlines import FilledReport, FilledSheet
    from .policy import Role, Scheme, Unit
    from .policy_loading import Registry
    from .render import RenderResult
    from .roster_loading import LoadedRoster

OUTLINE_FORMATS = ("docx", "md")
Kind = Literal["form", "report", "evaluation"]
Outline = ReportOutline | Evaluation


@dataclass(frozen=True)
class Found:
    """What a name on the command line is: a form, or a scheme's report or evaluation."""

    kind: Kind
    scheme: Scheme | None = None
    item: Outline | None = None


def _names(item: Outline) -> tuple[str, ...]:
    return (item.id, item.name, *item.aliases)


def find_outline(scheme: Scheme, name: str) -> Found | None:
    """The scheme's report or evaluation called ``name`` (id, name or alias), if any."""
    for report in scheme.reports:
        if name in _names(report):
            return Found("report", scheme, report)
    for evaluation in scheme.evaluations:
        if name in _names(evaluation):
            return Found("evaluation", scheme, evaluation)
    return None


def _listing(schemes: list[Scheme]) -> str:
    """The reports and evaluations there are, for a hint: ``puning：述职报告（年度述职报告）``."""
    items = [
        f"{s.id}：{item.aliases[0] if item.aliases else item.name}（{item.name}）"
        for s in schemes
        for item in outlines_of(s)
    ]
    return "；".join(items)


def classify(
    registry: Registry,
    name: str,
    scheme_id: str | None,
    roster: LoadedRoster | None,
    roster_given: bool,
    dept: str | None = None,
) -> Found:
    """Whether ``name`` is a form, a report or an evaluation, and of which scheme.

    The scheme is ``scheme_id`` if given, else the roster's (one that merely lies in the
    folder only if its scheme has such a thing), else the only scheme that has it (and,
    with ``dept``, concerns that unit). A name nothing has is NotFoundError listing the forms, reports and sheets there are.
    """
    from .forms import find_form, resolve_form

    roster_scheme = roster.scheme if roster is not None else None
    if roster_scheme is not None and not roster_given:
        has = find_form(roster_scheme, name) or find_outline(roster_scheme, name)
        if not has or (scheme_id is not None and scheme_id != roster_scheme.id):
            roster_scheme = None
    chosen = scheme_id or (roster_scheme.id if roster_scheme is not None else None)
    if chosen is not None:
        scheme = registry.get(chosen)
        if find_form(scheme, name) is not None:
            return Found("form")
        found = find_outline(scheme, name)
        if found is not None:
            return found
        schemes = [scheme]
    else:
        usable, _broken = registry.usable()
        forms = [s for s in usable if find_form(s, name) is not None]
        outlines = [f for s in usable if (f := find_outline(s, name)) is not None]
        if forms and not outlines:
            return Found("form")
        if outlines and not forms and dept is not None:
            # 述职报告 --dept 惠城区: only the schemes where that unit writes one.
            outlines = [f for f in outlines if _concerns(f, dept)] or outlines
        if len(outlines) == 1 and not forms:
            return outlines[0]
        if outlines:
            having = {s.id: s for s in [*forms, *(f.scheme for f in outlines if f.scheme)]}
            options = one_of([f"--scheme {s.id}（{s.city}）" for s in having.values()])
            raise UsageError(f"多个方案都有“{name}”", hint=f"请指定方案：{options}")
        schemes = usable
    try:  # the forms' own message and choices, with the reports and sheets added
        resolve_form(registry, name, scheme_id or chosen, None)
    except NotFoundError as exc:
        listing = _listing(schemes)
        if not listing:
            raise
        close = _close(name, schemes)
        hint = f"{close} " if close else ""
        hint += f"述职报告、评价表：{listing}；附件：{exc.hint or ''}"
        raise NotFoundError(exc.message, hint=hint) from None
    return Found("form")  # pragma: no cover - resolve_form raised or found a form above


def _concerns(found: Found, dept: str) -> bool:
    """True when the unit ``dept`` writes the report or is evaluated in the found scheme."""
    from .lookup import unit_names

    assert found.scheme is not None and found.item is not None
    unit = unit_names(found.scheme).find(dept)
    return unit is not None and any(u is unit for u, _ in _scope(found))


def _scope(found: Found) -> list[tuple[Unit, Role]]:
    """The units (and roles) a found report is written by, or a found evaluation judges."""
    assert found.scheme is not None and found.item is not None
    if isinstance(found.item, ReportOutline):
        return report_units(found.scheme, found.item)
    return evaluated_units(found.scheme, found.item)


def _close(name: str, schemes: list[Scheme]) -> str | None:
    from .suggest import did_you_mean

    names = [n for s in schemes for item in outlines_of(s) for n in _names(item)]
    return did_you_mean(name, names)


# ---------------------------------------------------------------- options


def parse_year(value: str | None, option: str = "--year") -> int | None:
    """A year on the command line (2023), within the years schemes speak of."""
    if value is None:
        return None
    text = value.strip().removesuffix("年度").removesuffix("年")
    if text.isascii() and text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR:
        return int(text)
    raise UsageError(
        f"年度无效：{value}",
        hint=f"写四位年份，{FIRST_YEAR}—{LAST_YEAR} 之间，如 {option} 2023。",
    )


# ---------------------------------------------------------------- rendering


def _units(found: Found, dept: str | None, all_units: bool) -> list[tuple[Unit, Role]]:
    from .lookup import find_units

    assert found.scheme is not None and found.item is not None
    scheme, item = found.scheme, found.item
    units = _scope(found)
    what = "写这份报告" if found.kind == "report" else "被评价"
    if not units:  # the scheme's roles and units leave nobody: nothing to make
        raise NotFoundError(
            f"{scheme.city}方案中没有{what}的单位（{item.name}）",
            hint=f"请核对方案中{item.name}的职位和单位，运行 cdo policy check 查看。",
        )
    if all_units:
        return units
    if dept is not None:
        unit = find_units([scheme], dept.strip())[scheme.id]
        match = [(u, r) for u, r in units if u is unit]
        if not match:
            shown = "、".join(u.name for u, _ in units[:5]) + ("等" if len(units) > 5 else "")
            raise NotFoundError(
                f"{unit.name}不{what}（{item.name}）",
                hint=f"{item.name}涉及以下 {len(units)} 个单位：{shown}" if units else None,
            )
        return match
    if len(units) == 1:
        return units
    raise UsageError(
        f"{item.name}每个单位一份，请指定单位",
        hint=f"用 --dept 指定单位（如 --dept {units[0][0].name}），或用 --all 为全部 "
        f"{len(units)} 个单位各生成一份。"
        if units
        else None,
    )


@functools.lru_cache(maxsize=2)
def _environment() -> Any:
    import jinja2

    from .render import md_escape
    from .resources import templates_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = md_escape
    return env


def render_md(document: FilledReport | FilledSheet) -> str:
    """A report skeleton or an evaluation sheet as Markdown (every value escaped)."""
    from .outlines import FilledReport

    kind = "report" if isinstance(document, FilledReport) else "sheet"
    return str(_environment().get_template("outline.md.j2").render(kind=kind, doc=document))


def _render(document: FilledReport | FilledSheet, fmt: str, today: dt.date) -> bytes:
    from .outline_docx import render_report_docx, render_sheet_docx
    from .outlines import FilledReport

    if fmt == "md":
        return render_md(document).encode("utf-8")
    if isinstance(document, FilledReport):
        return render_report_docx(document, today)
    return render_sheet_docx(document, today)


def _numbered(document: FilledReport | FilledSheet, number: str) -> str:
    """``05-普宁市公安局首席数据官2023年度述职报告``; ``…评价表-05-市公安局``."""
    from .outlines import FilledReport

    if isinstance(document, FilledReport):
        return f"{number}-{document.file_stem}"
    return f"{document.title}-{number}-{document.unit}"


def render_outlines(
    found: Found,
    *,
    dept: str | None,
    all_units: bool,
    roster: LoadedRoster | None,
    roster_given: bool,
    fmt: str,
    redact: bool,
    year: int | None,
    weights_file: Path | None,
    today: dt.date,
) -> RenderResult:
    """Every report skeleton or evaluation sheet asked for, rendered in memory.

    A report needs ``year``; a sheet may have it. ``weights_file`` (sheets only) is the
    bureau's weights, printed on the sheet with who supplied them.
    """
    from .outlines import build_report, build_sheet
    from .output import safe_filename, unique_names
    from .render import RenderedDocument, RenderResult

    scheme, item = found.scheme, found.item
    assert scheme is not None and item is not None
    if fmt not in OUTLINE_FORMATS:
        raise UsageError(
            f"{item.name}可生成 Word（docx）或 Markdown（md），不生成 {fmt}",
            hint="用 --format docx 或 --format md。",
        )
    if dept is not None and all_units:
        raise UsageError("--dept 和 --all 只能用其一")
    notes: list[str] = []
    if roster is not None and roster.scheme.id != scheme.id:
        if roster_given:
            raise UsageError(
                f"名册 {roster.name} 属于方案 {roster.scheme.id}，与{scheme.city}方案（{scheme.id}）不符",
                hint="去掉 --scheme，或换用该方案的名册。",
            )
        notes.append(f"{roster.name} 属于方案 {roster.scheme.id}，未用于填写")
        roster = None
    if redact:
        notes.append(f"{item.name}中没有电话和电子邮箱，--redact 不改变内容")
    documents: list[FilledReport | FilledSheet] = []
    if isinstance(item, ReportOutline):
        if weights_file is not None:
            raise UsageError(
                "--weights 只用于评价表", hint=f"{item.name}没有权重，去掉 --weights。"
            )
        if year is None:
            raise UsageError(
                f"请用 --year 指定{item.name}的年度", hint=f"如 --year {today.year - 1}。"
            )
        ob = scheme.obligation(item.obligation) if item.obligation else None
        first = ob.due.first_period if ob is not None and ob.due is not None else None
        if first is not None and year < first:
            notes.append(f"{scheme.city}方案的{ob.title if ob else item.name}自 {first} 年度起")
        for unit, role in _units(found, dept, all_units):
            documents.append(build_report(scheme, item, unit, role, year, roster))
    else:
        weights = None
        if weights_file is not None:
            from .evaluation_weights import read_weights

            weights = read_weights(weights_file, item)
        for unit, role in _units(found, dept, all_units):
            documents.append(
                build_sheet(scheme, item, unit, role, roster, year=year, weights=weights)
            )
    digits = len(str(len(documents)))
    # --all: each file numbered as its unit is in the scheme's list, as the forms are.
    stems = [
        _numbered(d, f"{i:0{digits}d}") if all_units else d.file_stem
        for i, d in enumerate(documents, 1)
    ]
    names = unique_names([safe_filename(stem, f".{fmt}") for stem in stems])
    rendered = [
        RenderedDocument(name, _render(d, fmt, today), d.unit)
        for name, d in zip(names, documents, strict=True)
    ]
    title = item.name if isinstance(item, ReportOutline) else item.title
    return RenderResult(
        scheme=scheme.id,
        form_label=item.aliases[0] if item.aliases else item.name,
        form_title=title,
        fmt=fmt,
        documents=rendered,
        roster=roster.name if roster is not None and any(d.filled for d in documents) else None,
        notes=notes,
    )
