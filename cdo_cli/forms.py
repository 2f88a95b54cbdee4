"""Attachment forms as data: which form, for which unit, filled with what.

:func:`build_form` turns a scheme's form definition (and, if given, a roster) into a
:class:`FilledForm`: the label, the title, and sections of rows of cell text. Every
output format (docx, html, md) is rendered from that one description, so they show
the same content.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from .errors import NotFoundError, UsageError, one_of
from .lookup import find_units
from .policy import Column, Form, FormSection, Scheme, Selector, Unit, UnitKind
from .suggest import did_you_mean

if TYPE_CHECKING:
    from .policy_loading import Registry
    from .roster import Person
    from .roster_loading import LoadedRoster

Layout = Literal["table", "lines"]


@dataclass(frozen=True)
class FilledRow:
    """One row of a section: cell texts (a cell may hold two lines) and whether it is left
    for a person to fill in by hand."""

    cells: tuple[str, ...]
    blank: bool = False


@dataclass(frozen=True)
class FilledSection:
    """A block of a form: an optional heading, an optional header row, and rows.

    ``layout`` is ``table`` for a bordered table, ``lines`` for a list of lines under a
    heading (as in Zhaoqing's 名单, which has no table).
    """

    heading: str | None
    header: tuple[str, ...] | None
    fields: tuple[str, ...]
    rows: tuple[FilledRow, ...]
    layout: Layout = "table"
    kind: str = "unit_role"


@dataclass(frozen=True)
class FilledForm:
    """One attachment ready to render: for one unit, or a list of many."""

    scheme: str
    form_id: str
    label: str
    title: str
    title_lines: tuple[str, ...]
    unit: str | None
    sections: tuple[FilledSection, ...]
    filled: bool = False  # people's data came from a roster
    redacted: bool = False

    @property
    def file_stem(self) -> str:
        """``附件2-市公安局`` for one unit's form, ``附件3-普宁市有关单位名单`` for a list."""
        return f"{self.label}-{self.unit or self.title}"


# ---------------------------------------------------------------- finding what to render


def form_label(form: Form) -> str:
    """``attachment2（附件2 普宁市部门首席数据官和联系人报名表）``, for lists of choices."""
    return f"{form.id}（{form.label} {form.title}）"


def find_form(scheme: Scheme, form_id: str) -> Form | None:
    """The scheme's form with this id or label (附件2), if any."""
    return scheme.form(form_id) or next((f for f in scheme.forms if f.label == form_id), None)


def resolve_form(
    registry: Registry, form_id: str, scheme_id: str | None, roster_scheme: str | None
) -> tuple[Scheme, Form]:
    """The scheme and form meant by ``form_id`` (an id like attachment2, or a label like 附件2).

    The scheme is ``scheme_id`` if given, else the roster's, else the only scheme that
    has such a form. Unknown ids are NotFoundError, ambiguous ones UsageError; both list
    the choices.
    """
    chosen = scheme_id or roster_scheme
    if chosen is not None:
        scheme = registry.get(chosen)
        form = find_form(scheme, form_id)
        if form is None:
            where = "" if scheme_id else "（方案由名册确定）"
            choices = one_of([form_label(f) for f in scheme.forms]) or "（该方案没有附件表格）"
            raise NotFoundError(
                f"{scheme.city}方案（{scheme.id}）没有附件“{form_id}”{where}",
                hint=f"可选：{choices}",
            )
        return scheme, form
    usable, _broken = registry.usable()  # a broken scheme file does not stop the others
    having = [(s, f) for s in usable if (f := find_form(s, form_id)) is not None]
    if len(having) == 1:
        return having[0]
    if having:
        options = one_of([f"--scheme {s.id}（{s.city}）" for s, _ in having])
        raise UsageError(f"多个方案都有附件“{form_id}”", hint=f"请指定方案：{options}")
    everything = [(s, f) for s in usable for f in s.forms]
    names = [f.id for _, f in everything] + [f.label for _, f in everything]
    close = did_you_mean(form_id, names)
    listing = "；".join(f"{s.id}：{form_label(f)}" for s, f in everything)
    raise NotFoundError(
        f"没有附件“{form_id}”",
        hint=f"{close + ' ' if close else ''}可选：{listing}"
        if listing
        else "没有方案带有附件表格。",
    )


def form_units(scheme: Scheme, form: Form) -> list[Unit]:
    """The units a per-unit form is filled in by, in the scheme's order."""
    return scheme.select(form.applies_to) if form.applies_to else list(scheme.units)


def find_unit(scheme: Scheme, form: Form, name: str) -> Unit:
    """The unit ``name`` (any of its names) among those the form is for; NotFoundError else."""
    unit = find_units([scheme], name.strip())[scheme.id]
    scope = form_units(scheme, form)
    if unit not in scope:
        shown = "、".join(u.name for u in scope[:5]) + ("等" if len(scope) > 5 else "")
        raise NotFoundError(
            f"{form.label}不由{unit.name}填报",
            hint=f"{form.label}由以下 {len(scope)} 个单位填报：{shown}",
        )
    return unit


# ---------------------------------------------------------------- filling


def mask_phone(phone: str) -> str:
    """Keep the area code (0663-…) or the first 3 digits, and the last 2; mask the rest.

    An area code is public information; a mobile's first three digits name its carrier.
    """
    total = sum(c.isdigit() for c in phone)
    if total <= 5:
        return re.sub(r"\d", "*", phone)
    area = re.match(r"\s*(0\d{2,3})[-\s]", phone)
    keep = len(area.group(1)) if area else 3
    out, seen = [], 0
    for c in phone:
        if c.isdigit():
            seen += 1
            out.append(c if seen <= keep or seen > total - 2 else "*")
        else:
            out.append(c)
    return "".join(out)


def mask_email(email: str) -> str:
    """``z***@example.cn``: the first character, then the domain."""
    local, at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if at else f"{email[:1]}***"


def _cell(
    column: Column, unit: Unit | None, person: Person | None, index: int, redact: bool
) -> str:
    field = column.field
    if field == "index":
        return str(index)
    if field == "unit":
        return unit.name if unit else ""
    if person is None:
        return ""
    phone = person.phone or ""
    email = person.email or ""
    if redact:
        phone = mask_phone(phone) if phone else ""
        email = mask_email(email) if email else ""
    if field == "phone":
        return phone
    if field == "email":
        return email
    if field == "contact":
        return "\n".join(x for x in (phone, email) if x)
    value = getattr(person, field)
    return value if isinstance(value, str) else ""


def _titled(unit: Unit, title: str) -> str:
    """A title as a list of many units' officers prints it: ``市发改局副局长``.

    Zhaoqing's 名单 has no unit column; each title begins with the unit (except the
    city's own leaders). A roster title written without it gets it: ``副局长`` becomes
    ``市发改局副局长``, and ``区委常委`` of 端州区 becomes ``端州区委常委``, as the
    document writes it.
    """
    if unit.kind == UnitKind.government:
        return title
    names = (unit.name, *unit.aliases)
    if any(title.startswith(n) for n in names):
        return title
    last = unit.name[-1:]
    if last in "区市县" and title.startswith((f"{last}委", f"{last}政府")):
        return f"{unit.name}{title[1:]}"
    return f"{unit.name}{title}"


def _header(columns: Sequence[Column]) -> tuple[str, ...] | None:
    if all(c.header is None for c in columns):
        return None
    return tuple(c.header or "" for c in columns)


def _side_by_side(rows: list[FilledRow], groups: int, width: int) -> list[FilledRow]:
    """Lay rows out in ``groups`` column groups, filling down the first group first
    (附件3: 1–18 on the left, 19–36 on the right)."""
    if groups == 1:
        return rows
    depth = -(-len(rows) // groups)
    padded = rows + [FilledRow(("",) * width, blank=True)] * (depth * groups - len(rows))
    return [
        FilledRow(
            tuple(c for g in range(groups) for c in padded[g * depth + i].cells),
            blank=all(padded[g * depth + i].blank for g in range(groups)),
        )
        for i in range(depth)
    ]


def _unit_role(
    scheme: Scheme,
    section: FormSection,
    unit: Unit | None,
    roster: LoadedRoster | None,
    redact: bool,
) -> list[FilledRow]:
    people = roster.holders(unit, section.role) if roster and unit and section.role else []
    rows = [
        FilledRow(tuple(_cell(c, unit, p, i, redact) for c in section.columns))
        for i, p in enumerate(people, 1)
    ]
    for i in range(len(rows) + 1, max(section.rows, len(rows)) + 1):
        rows.append(
            FilledRow(tuple(_cell(c, unit, None, i, redact) for c in section.columns), True)
        )
    return rows


def _role_list(
    scheme: Scheme, section: FormSection, roster: LoadedRoster | None, redact: bool
) -> list[FilledRow]:
    role = scheme.role(section.role) if section.role else None
    selector = section.units or (role.applies_to if role else Selector())
    rows: list[FilledRow] = []
    for unit in scheme.select(selector):
        people = roster.holders(unit, section.role) if roster and section.role else []
        for person in people:
            cells = [_cell(c, unit, person, len(rows) + 1, redact) for c in section.columns]
            cells = [
                _titled(unit, v) if c.field == "title" and v else v
                for c, v in zip(section.columns, cells, strict=True)
            ]
            rows.append(FilledRow(tuple(cells)))
        if not people:
            # Left to fill in: the unit's name goes where the title begins.
            cells = [
                _titled(unit, "")
                if c.field == "title"
                else _cell(c, unit, None, len(rows) + 1, redact)
                for c in section.columns
            ]
            rows.append(FilledRow(tuple(cells), blank=True))
    while len(rows) < section.rows:
        rows.append(FilledRow(("",) * len(section.columns), blank=True))
    return rows


def _unit_list(scheme: Scheme, form: Form, section: FormSection) -> list[FilledRow]:
    selector = section.units or form.applies_to
    units = scheme.select(selector) if selector else list(scheme.units)
    return [
        FilledRow(tuple(_cell(c, u, None, i, False) for c in section.columns))
        for i, u in enumerate(units, 1)
    ]


def build_form(
    scheme: Scheme,
    form: Form,
    unit: Unit | None,
    roster: LoadedRoster | None,
    redact: bool = False,
) -> FilledForm:
    """The form as rows of text: filled from ``roster`` where it has data, blank rows elsewhere.

    ``unit`` is the unit filling in a per-unit form (None for list forms). Contact
    cells hold the phone, and the e-mail on a second line. With ``redact`` phone numbers
    and e-mails are masked (for a copy to be published).
    """
    sections: list[FilledSection] = []
    for section in form.sections:
        if section.kind == "unit_role":
            rows = _unit_role(scheme, section, unit, roster, redact)
        elif section.kind == "role_list":
            rows = _role_list(scheme, section, roster, redact)
        else:
            rows = _unit_list(scheme, form, section)
        groups = section.side_by_side
        header = _header(section.columns)
        fields = tuple(c.field for c in section.columns)
        # A role list without headers is lines of text in the document, not a table.
        layout: Layout = "lines" if section.kind == "role_list" and header is None else "table"
        sections.append(
            FilledSection(
                heading=section.heading,
                header=header * groups if header else None,
                fields=fields * groups,
                rows=tuple(_side_by_side(rows, groups, len(fields))),
                layout=layout,
                kind=section.kind,
            )
        )
    return FilledForm(
        scheme=scheme.id,
        form_id=form.id,
        label=form.label,
        title=form.title,
        title_lines=tuple(form.title_lines or [form.title]),
        unit=unit.name if unit else None,
        sections=tuple(sections),
        filled=roster is not None and any(s.kind != "unit_list" for s in form.sections),
        redacted=redact,
    )
