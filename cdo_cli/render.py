"""Rendering a filled form as Markdown, HTML or Word (docx).

Markdown and HTML come from the jinja2 templates in ``templates/`` (loaded from the
installed package by an explicit path, never from the working folder); the form's data
is only ever their context. The docx is built in :mod:`cdo_cli.docx_render`; page,
fonts and sizes for both come from :mod:`cdo_cli.docx_layout`.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .docx_layout import LAYOUT, ColumnText, column_widths_mm, fit_text
from .errors import UsageError
from .forms import (
    FilledForm,
    FilledSection,
    build_form,
    find_form,
    find_unit,
    form_units,
    resolve_form,
)
from .helpers import Helpers
from .output import Destination, is_folder_path, safe_filename, unique_names
from .text import visible

if TYPE_CHECKING:
    import jinja2

    from .policy import Form, Scheme, Unit
    from .policy_loading import Registry
    from .roster_loading import LoadedRoster

FORMATS = ("docx", "html", "md")
TEXT_FORMATS = ("html", "md")


# ---------------------------------------------------------------- blocks


@dataclass(frozen=True)
class Block:
    """What a page shows in order: a table of one or more sections, or a list of lines."""

    layout: str
    sections: tuple[FilledSection, ...]

    @property
    def width(self) -> int:
        """Columns of the table."""
        return len(self.sections[0].fields)

    def columns(self) -> list[ColumnText]:
        """What each column holds, in every section, for sizing it."""
        out = []
        for i in range(self.width):
            cells = [(s.fields[i], row.cells[i]) for s in self.sections for row in s.rows]
            out.append(
                ColumnText(
                    field=self.sections[0].fields[i],
                    cells=tuple(cells),
                    headers=tuple(s.header[i] for s in self.sections if s.header is not None),
                    writable=any(
                        row.blank and not row.cells[i] for s in self.sections for row in s.rows
                    ),
                )
            )
        return out

    @functools.cached_property
    def widths_mm(self) -> list[float]:
        """Column widths in millimetres, sized from what the columns hold (as in the docx)."""
        return column_widths_mm(self.columns(), LAYOUT.text_width_mm)

    @property
    def widths_pct(self) -> list[float]:
        """Column widths in percent of the table, as in the docx."""
        return [round(w * 100 / LAYOUT.text_width_mm, 1) for w in self.widths_mm]

    def fit(self, column: int, text: str) -> str:
        """A data cell's text with a line break where its column is too narrow for it
        and it may break (a unit's name before its bracket)."""
        return fit_text(text, self.widths_mm[column])


def blocks(form: FilledForm) -> list[Block]:
    """Sections grouped as the document lays them out: consecutive table sections of the
    same width make one table (附件1 and 附件2 are one table with two heading rows)."""
    out: list[Block] = []
    for section in form.sections:
        last = out[-1] if out else None
        if (
            section.layout == "table"
            and last is not None
            and last.layout == "table"
            and last.width == len(section.fields)
        ):
            out[-1] = Block("table", (*last.sections, section))
        else:
            out.append(Block(section.layout, (section,)))
    return out


# ---------------------------------------------------------------- md and html

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}<>()#+!|~&])")


def md_escape(value: object) -> str:
    """Text shown literally in Markdown: punctuation escaped, line breaks as ``<br>``.

    Control characters are made visible first, so that only a line feed is left to
    break a line: a carriage return, vertical tab or U+2028 in a cell cannot end the
    table row it is in.
    """
    text = _MD_SPECIAL.sub(r"\\\1", visible(str(value), keep_newlines=True))
    return "<br>".join(text.splitlines()) if "\n" in text else text


def _shown(value: Any) -> Any:
    """Every value a template prints: strings with control characters made visible."""
    return visible(value, keep_newlines=True) if type(value) is str else value


@functools.lru_cache(maxsize=2)
def _environment(autoescape: bool) -> jinja2.Environment:
    import jinja2

    from .resources import templates_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Data never carries an escape or a NUL into a page (HTML forbids them too).
        finalize=_shown,
    )
    env.filters["md"] = md_escape
    return env


def _context(form: FilledForm) -> dict[str, Any]:
    return {"form": form, "blocks": blocks(form), "layout": LAYOUT}


def render_md(form: FilledForm) -> str:
    """The form as Markdown tables, for quick looks and diffs."""
    return _environment(False).get_template("form.md.j2").render(_context(form))


def render_html(form: FilledForm) -> str:
    """The form as one self-contained printable HTML page (A4 print CSS)."""
    return _environment(True).get_template("form.html.j2").render(_context(form))


def render_docx(form: FilledForm, today: dt.date) -> bytes:
    """The form as a Word document (A4, GB/T 9704 margins and fonts), made ``today``."""
    from .docx_render import render_docx as build

    return build(form, blocks(form), today)


# ---------------------------------------------------------------- the command's core


@dataclass(frozen=True)
class RenderedDocument:
    """One output document: its file name and its content."""

    name: str
    data: bytes
    unit: str | None


@dataclass(frozen=True)
class RenderResult:
    """What ``cdo render`` produced, for the CLI to write and report."""

    scheme: str
    form_label: str
    form_title: str
    fmt: str
    documents: list[RenderedDocument]
    roster: str | None  # the roster the forms were filled from, if any
    notes: list[str]
    redacted: bool = False  # phones and e-mails masked: a copy that may be published


@dataclass(frozen=True)
class OutputPlan:
    """The format to render and where the documents go, settled before rendering."""

    fmt: str
    destination: Destination


# The suffixes that name a format; -o's suffix and --format must agree.
SUFFIXES = {"docx": "docx", "html": "html", "htm": "html", "md": "md", "markdown": "md"}


def plan_output(fmt: str | None, output: str | None, many: bool = False) -> OutputPlan:
    """Check ``--format`` and ``-o`` together, before anything is rendered.

    ``-o -`` is standard output (html or md, one document); no ``-o``, an existing folder
    or a path ending in a separator is a folder (``many``, i.e. ``--all``, needs one; a
    missing one is created on writing); anything else is one file whose suffix names the
    format. Without ``--format`` the suffix decides; with it, the suffix must agree.
    """
    if fmt is not None and fmt not in FORMATS:
        raise _unknown_format(fmt)
    if output == "-":
        chosen = fmt or "docx"
        if chosen not in TEXT_FORMATS:
            raise UsageError(
                f"{chosen} 不能输出到标准输出", hint="用 --format md 或 html，或用 -o 指定文件。"
            )
        if many:
            raise UsageError("--all 生成多个文件，不能输出到标准输出", hint="用 -o 指定文件夹。")
        return OutputPlan(chosen, Destination(None))
    if output is None or is_folder_path(output):
        return OutputPlan(fmt or "docx", Destination(Path(output or "."), folder=True))
    path = Path(output)
    named = SUFFIXES.get(path.suffix.lower().lstrip("."))
    if many:
        if named is not None or os.path.lexists(path):
            what = f"是 {named} 文件名" if named is not None else "是已有的文件"
            raise UsageError(
                f"--all 生成多个文件，-o 应为文件夹，而 {output} {what}，不是文件夹",
                hint=f"用 -o 指定文件夹，如 -o {path.stem}/。",
            )
        return OutputPlan(fmt or "docx", Destination(path, folder=True))
    if named is None:
        said = f" 的扩展名“{path.suffix}”不是可生成的格式" if path.suffix else " 没有扩展名"
        choices = "、".join(f".{f}" for f in FORMATS)
        if fmt is None:
            raise UsageError(
                f"-o {output}{said}，无法判断格式",
                hint=f"文件名以 {choices} 结尾（Word、网页、Markdown）；要写到文件夹，在末尾加 /。",
            )
        raise UsageError(
            f"-o {output}{said}；--format {fmt} 的文件应以 .{fmt} 结尾",
            hint=f"用 -o {path.with_suffix('.' + fmt)}；要写到文件夹，在末尾加 /。",
        )
    if fmt is not None and fmt != named:
        raise UsageError(
            f"-o {output} 是 {named} 文件名，与 --format {fmt} 不符",
            hint=f"用 -o {path.with_suffix('.' + fmt)}，或去掉 --format。",
        )
    return OutputPlan(named, Destination(path))


def _unknown_format(fmt: str) -> UsageError:
    return UsageError(f"不支持的格式“{fmt}”", hint=f"可选：{'、'.join(FORMATS)}")


def render(form: FilledForm, fmt: str, today: dt.date) -> bytes:
    """The form in one format, as bytes (UTF-8 for the text formats); ``today`` is the
    date a Word file records as its own."""
    if fmt == "docx":
        return render_docx(form, today)
    if fmt == "html":
        return render_html(form).encode("utf-8")
    if fmt == "md":
        return render_md(form).encode("utf-8")
    raise _unknown_format(fmt)


def render_chunk(forms: Sequence[FilledForm], fmt: str, today: dt.date) -> list[bytes]:
    """:func:`render` of each form, in order (a chunk of ``render --all``, here or in a
    helper process)."""
    return [render(f, fmt, today) for f in forms]


# What a redacted copy's name and message say: the copy that may be published.
REDACTED = "公开版"


def file_name(form: FilledForm, fmt: str, number: str | None = None) -> str:
    """``附件2-市公安局.docx``: safe to create in any folder.

    ``number`` (``05``) goes before the unit, so that the files of ``--all`` sort in the
    order of the unit list: ``附件2-05-市公安局.docx``. A redacted copy says so:
    ``附件2-市公安局（公开版）.docx``.
    """
    stem = form.file_stem
    if number is not None and form.unit is not None:
        stem = f"{form.label}-{number}-{form.unit}"
    mark = f"（{REDACTED}）" if form.redacted else ""
    return safe_filename(stem, f"{mark}.{fmt}")


def _units_for(scheme: Scheme, form: Form, dept: str | None, all_units: bool) -> list[Unit | None]:
    """The units to render a form for: None alone for a list form."""
    if not form.per_unit:
        if dept is not None or all_units:
            flag = "--dept" if dept is not None else "--all"
            raise UsageError(
                f"{form.label}（{form.title}）是一份名单，不按单位分别填写",
                hint=f"去掉 {flag} 即可生成这份名单。",
            )
        return [None]
    if all_units:
        return list(form_units(scheme, form))
    if dept is not None:
        return [find_unit(scheme, form, dept)]
    scope = form_units(scheme, form)
    if len(scope) != 1:
        raise UsageError(
            f"{form.label}每个单位填一份，请指定单位",
            hint=f"用 --dept 指定单位（如 --dept {scope[0].name}），或用 --all 为全部 "
            f"{len(scope)} 个单位各生成一份。"
            if scope
            else None,
        )
    return [scope[0]]


def render_documents(
    registry: Registry,
    form_id: str,
    *,
    dept: str | None = None,
    all_units: bool = False,
    scheme_id: str | None = None,
    roster: LoadedRoster | None = None,
    roster_given: bool = False,
    fmt: str = "docx",
    redact: bool = False,
    today: dt.date,
) -> RenderResult:
    """Every document ``cdo render`` is asked for, rendered in memory.

    ``roster`` is the roster to fill from; ``roster_given`` says the user named it
    (a roster.yaml that merely lies in the folder is not used for another scheme).
    ``today`` is the date Word files record as their own. With ``all_units`` the file
    names carry each unit's number in the form's list of units, so they sort in its order.
    """
    if fmt not in FORMATS:
        raise _unknown_format(fmt)
    if dept is not None and all_units:
        raise UsageError("--dept 和 --all 只能用其一")
    notes: list[str] = []
    if roster is not None and not roster_given:
        # A roster.yaml that merely lies in the folder fills forms of its own scheme only.
        other = scheme_id is not None and scheme_id != roster.scheme.id
        if other or (scheme_id is None and find_form(roster.scheme, form_id) is None):
            notes.append(f"{roster.name} 属于方案 {roster.scheme.id}，未用于填表")
            roster = None
    if roster is not None and scheme_id is not None and roster.scheme.id != scheme_id:
        raise UsageError(
            f"名册 {roster.name} 属于方案 {roster.scheme.id}，与 --scheme {scheme_id} 不符",
            hint="去掉 --scheme，或换用该方案的名册。",
        )
    scheme, form = resolve_form(
        registry, form_id, scheme_id, roster.scheme.id if roster is not None else None
    )

    units = _units_for(scheme, form, dept, all_units)
    # Word files for a province: built on every core (helpers.py), started now so that
    # they are ready by the time the forms are filled.
    chunk = functools.partial(render_chunk, fmt=fmt, today=today)
    with Helpers(chunk, len(units) if fmt == "docx" else 0) as helpers:
        filled = [build_form(scheme, form, u, roster, redact) for u in units]
        datas = helpers.map(filled)
    digits = len(str(len(filled)))
    numbers = [f"{i:0{digits}d}" if all_units else None for i in range(1, len(filled) + 1)]
    names = unique_names([file_name(f, fmt, n) for f, n in zip(filled, numbers, strict=True)])
    documents = [
        RenderedDocument(name, data, f.unit)
        for name, data, f in zip(names, datas, filled, strict=True)
    ]
    return RenderResult(
        scheme=scheme.id,
        form_label=form.label,
        form_title=form.title,
        fmt=fmt,
        documents=documents,
        roster=roster.name if roster and filled and filled[0].filled else None,
        notes=notes,
        redacted=redact,
    )
