"""Reading the rows of a recognised form into people, section by section.

The document is walked in order, as a person reads it. A heading (a paragraph, a row
spanned by one cell, or a merged cell at the row's start) says which section follows;
a header row says which column holds what, in whatever order the columns come (two
header rows under a merged 联系方式 cell combine); every other row under a header is
a person, unless it is empty. Sections laid out as lines of text (Zhaoqing's 名单)
are read line by line as ``姓名 职务``. Which unit a row belongs to is settled here
only for lists; a per-unit form's unit is settled by :mod:`cdo_cli.form_reading`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cell_text import (
    clean_email,
    clean_phone,
    clean_value,
    fold,
    heading_key,
    split_contact,
    strip_enumerator,
)
from .docx_reading import Cell, Content, Paragraph, Row
from .form_recognition import (
    has_headers,
    header_field,
    header_row_fields,
    heading_keys,
    is_lines,
)
from .policy import Form, FormSection, Scheme, Selector, Unit
from .records import PERSON_FIELDS, Where
from .text import visible


@dataclass(frozen=True)
class RawPerson:
    """A person read from a row or line, before a per-unit form's unit is settled."""

    section: FormSection
    unit: str | None  # a list's unit, as written or as found in the title
    person: dict[str, str]
    where: Where


@dataclass
class WalkResult:
    """People read, the unit cells of per-unit sections, and what could not be read.

    ``unit_labels`` are units written beside a label outside the sections' tables
    (``填报单位（盖章）：市公安局`` above the table, or a row ``单位 | 市公安局``);
    ``sections`` are the sections the document has (by index in the form).
    """

    people: list[RawPerson] = field(default_factory=list)
    unit_cells: list[tuple[str, Where]] = field(default_factory=list)
    unit_labels: list[tuple[str, Where]] = field(default_factory=list)
    sections: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


# A unit written beside its label: 单位：…, 填报单位（盖章）：…, 单位名称: …; what follows
# after wide spaces (填报日期：…) is not part of it.
_UNIT_LABEL = re.compile(
    r"^\s*(?:填报|报送|填表)?单位(?:名称)?\s*(?:[（(]\s*(?:盖章|公章|签章|章)\s*[)）])?\s*[:：]\s*(.*)$"
)
_LABEL_END = re.compile(r"\s{2,}|\t|(?:填报|填表|报送)?(?:日期|时间|人)\s*[:：]")
_LABEL_KEYS = {
    heading_key(w) for w in ("单位", "单位名称", "填报单位", "报送单位", "填报单位（盖章）")
}


def unit_label(text: str) -> str | None:
    """The unit ``填报单位（盖章）：市公安局　　日期：…`` names, or None when it is no such label."""
    found = _UNIT_LABEL.match(text)
    if found is None:
        return None
    value = _LABEL_END.split(found.group(1).strip(), maxsplit=1)[0]
    return clean_value(value) or None


def _values(texts: dict[str, str]) -> dict[str, str]:
    """Cell texts by field, cleaned, as a person's non-empty fields (contact split)."""
    person: dict[str, str] = {}
    for name, text in texts.items():
        if name == "contact":
            phone, email = split_contact(text)
            if phone:
                person.setdefault("phone", phone)
            if email:
                person.setdefault("email", email)
        elif name == "phone":
            person["phone"] = clean_phone(text)
        elif name == "email":
            person["email"] = clean_email(text)
        elif name in PERSON_FIELDS:
            person[name] = clean_value(text)
    return {k: person[k] for k in PERSON_FIELDS if person.get(k)}


# Fields a person may have two columns of: 办公电话 and 手机, 电话 and 邮箱.
_CONTACT = {"phone", "email", "contact"}


def _groups(columns: dict[int, str]) -> list[dict[int, str]]:
    """Columns split where a field repeats: 序号 单位 序号 单位 is two groups side by side.

    A second phone or e-mail column (办公电话 beside 手机) is the same person's.
    """
    groups: list[dict[int, str]] = [{}]
    for position in sorted(columns):
        field = columns[position]
        if field in groups[-1].values() and field not in _CONTACT:
            groups.append({})
        groups[-1][position] = field
    return groups


class _Walker:
    """The state of one walk through a document: the section and the columns in force."""

    def __init__(self, scheme: Scheme, form: Form, file: str) -> None:
        self.scheme = scheme
        self.form = form
        self.file = file
        self.sections = list(form.sections)
        self.headings = [heading_keys(scheme, s) for s in self.sections]
        self.current: int | None = None
        self.columns: dict[int, str] | None = None
        self.headed: set[int] = set()  # sections whose header row has been seen
        self.header_spans = False  # the last row was a header row with a merged cell
        # A person typed as label | value rows (a 竖表), gathered until the section ends.
        self.pairs: dict[str, str] = {}
        self.pairs_where: Where | None = None
        self.result = WalkResult()

    # ------------------------------------------------------------ sections

    def _heading(self, text: str) -> int | None:
        """The section whose heading ``text`` is (as printed, or its role's name or alias);
        of two with the same heading, the one not read yet."""
        key = heading_key(text)
        if not key:
            return None
        hits = [i for i, (printed, names) in enumerate(self.headings) if key in printed | names]
        fresh = [i for i in hits if i not in self.headed and i != self.current]
        return fresh[0] if fresh else hits[0] if hits else None

    def _enter(self, index: int) -> None:
        self.flush()
        self.current = index
        self.result.sections.add(index)
        section = self.sections[index]
        self.header_spans = False
        # A section without header row reads its columns by position.
        self.columns = (
            None if has_headers(section) else {i: c.field for i, c in enumerate(section.columns)}
        )

    def _best_unheaded(self, fields: dict[int, tuple[str, bool]]) -> int | None:
        """The section a header row without a heading above it begins."""
        names = {f for f, _ in fields.values()}
        best, best_score = None, 0.0
        for i, section in enumerate(self.sections):
            if i in self.headed or not has_headers(section) or section.kind == "unit_list":
                continue
            mapped = _printed_matches(fields, section)
            score = mapped + 0.1 * len(names & {c.field for c in section.columns})
            if score > best_score:
                best, best_score = i, score
        return best

    # ------------------------------------------------------------ items

    def paragraph(self, item: Paragraph) -> None:
        found = self._heading(item.text)
        if found is not None:
            self._enter(found)
            return
        labelled = unit_label(item.text)
        if labelled is not None:
            self.result.unit_labels.append((labelled, Where(self.file, "正文", item.number)))
            return
        if self.current is not None and is_lines(self.sections[self.current]):
            self._line(item)

    def row(self, row: Row) -> None:
        skip: set[int] = set()
        seen: set[tuple[int, int]] = set()
        for i, cell in enumerate(row.cells):
            if cell.origin in seen or not cell.key:
                continue
            seen.add(cell.origin)
            if i > 0 and not row.spanned:  # a heading is a row, or a row's first cell
                break
            found = self._heading(cell.text)
            if found is not None:
                if found != self.current:
                    # A heading in a 类别 column beside its rows, under one header row
                    # for every section: the columns in force go on.
                    shared = None if row.spanned else self.columns
                    self._enter(found)
                    if shared is not None and has_headers(self.sections[found]):
                        self.columns = shared
                skip.update(j for j, c in enumerate(row.cells) if c.origin == cell.origin)
        rest = [c for i, c in enumerate(row.cells) if i not in skip]
        if not any(c.key for c in rest):
            return
        section = self.sections[self.current] if self.current is not None else None
        fields = header_row_fields(row, section, frozenset(skip))
        if fields is not None:
            self._header(row, fields)
            return
        if self._unit_row(row):
            return
        if row.spanned:  # a title or a note across the table
            self.header_spans = False
            return
        self.header_spans = False
        if self.current is None or self.columns is None:
            if self.current is not None and self._pair_row(row):
                return
            if len(row.texts()) > 1:
                self.result.notes.append(
                    f"表格{row.table}第 {row.number} 行不在任何表头之下，未导入"
                )
            return
        self._person_row(row, skip)

    def _unit_row(self, row: Row) -> bool:
        """True for a row that names the unit beside a label: ``单位 | 市公安局`` or one
        cell ``填报单位：市公安局`` (noted in ``unit_labels``)."""
        texts = row.texts()
        where = Where(self.file, f"表格{row.table}", row.number)
        if len(texts) == 1 and (labelled := unit_label(texts[0])) is not None:
            self.result.unit_labels.append((labelled, where))
            return True
        if (
            len(texts) == 2
            and heading_key(texts[0]) in _LABEL_KEYS
            and clean_value(texts[1])
            and self._heading(texts[1]) is None  # 单位 | 部门首席数据官: a heading beside
        ):
            self.result.unit_labels.append((clean_value(texts[1]), where))
            return True
        return False

    def _pair_row(self, row: Row) -> bool:
        """True for a row of label | value pairs (姓名 | 张三 | 职务 | 副局长), gathered
        into the section's person; a label repeated begins the next person."""
        assert self.current is not None
        section = self.sections[self.current]
        cells: list[Cell] = []
        for cell in row.cells:
            if all(c.origin != cell.origin for c in cells):  # a merged cell counts once
                cells.append(cell)
        while cells and not cells[-1].key:
            cells.pop()
        pairs: list[tuple[str, str]] = []
        for i in range(0, len(cells), 2):
            label, value = cells[i], cells[i + 1] if i + 1 < len(cells) else None
            mapped = header_field(label.key, section)
            if mapped is None or (value is not None and header_field(value.key, section)):
                return False
            pairs.append((mapped[0], value.text if value is not None else ""))
        if not pairs:
            return False
        for name, text in pairs:
            if name in self.pairs and text:
                self.flush()
            if text:
                self.pairs[name] = text
        if self.pairs_where is None:
            self.pairs_where = Where(self.file, f"表格{row.table}", row.number)
        return True

    def flush(self) -> None:
        """The person gathered from label | value rows, if any, read as a row is."""
        if self.current is not None and self.pairs and self.pairs_where is not None:
            self._person(self.sections[self.current], self.pairs, self.pairs_where)
        self.pairs, self.pairs_where = {}, None

    def _header(self, row: Row, fields: dict[int, tuple[str, bool]]) -> None:
        self.flush()
        if self.header_spans and self.current is not None and self.columns is not None:
            # The second header row under a merged cell (联系方式 over 电话 and 邮箱).
            self.columns.update({i: f for i, (f, _) in fields.items()})
            self.header_spans = False
            return
        target = self.current
        if target is None or target in self.headed:
            target = self._best_unheaded(fields)
            if target is None:  # the header repeated on a new page
                target = self.current
        if target is None:
            return
        if target != self.current:
            self._enter(target)
        self.headed.add(target)
        self.columns = {i: f for i, (f, _) in fields.items()}
        counts: dict[tuple[int, int], int] = {}
        for c in row.cells:
            counts[c.origin] = counts.get(c.origin, 0) + 1
        self.header_spans = any(counts[row.cells[i].origin] > 1 for i in fields)

    # ------------------------------------------------------------ people

    def _person_row(self, row: Row, skip: set[int]) -> None:
        assert self.current is not None and self.columns is not None
        section = self.sections[self.current]
        where = Where(self.file, f"表格{row.table}", row.number)
        for group in _groups(self.columns):
            texts: dict[str, str] = {}
            used: dict[tuple[int, int], str] = {}
            for position, name in group.items():
                if position >= len(row.cells) or position in skip:
                    continue
                cell = row.cells[position]
                if cell.origin in used:
                    # One cell over the phone and e-mail columns: a contact cell.
                    if {used[cell.origin], name} <= {"phone", "email", "contact"}:
                        texts.pop(used[cell.origin], None)
                        texts["contact"] = cell.text
                    continue
                used[cell.origin] = name
                if not cell.key:
                    continue
                if name in texts and name in _CONTACT:
                    # Two phone columns: both kept, for the clerk to choose (as two
                    # numbers typed in one 联系方式 cell are; validation flags them).
                    texts["contact"] = "\n".join(
                        [*(texts.pop(k) for k in list(texts) if k in _CONTACT), cell.text]
                    )
                else:
                    texts[name] = cell.text
            self._person(section, texts, where)

    def _person(self, section: FormSection, texts: dict[str, str], where: Where) -> None:
        person = _values(texts)
        unit = clean_value(texts.get("unit", ""))
        if section.kind == "unit_role" and unit:
            self.result.unit_cells.append((unit, where))
        if not person or section.kind == "unit_list":
            return
        if (
            section.kind == "role_list"
            and set(person) == {"title"}
            and person["title"] in _unit_names(self.scheme, section) | {unit}
        ):
            return  # a row left blank: the renderer begins a list's titles with the unit
        if section.kind == "role_list" and not unit:
            found = _unit_in_title(self.scheme, section, person.get("title", ""))
            if found is None:
                title = person.get("title", "")
                shown = visible(f"{person.get('name', '')} {title}".strip())
                self.result.notes.append(
                    f"{where}：看不出“{shown}”是哪个单位的，未导入（请在职务前写上单位名称）"
                )
                return
            unit = found
        self.result.people.append(RawPerson(section, unit or None, person, where))

    def _line(self, item: Paragraph) -> None:
        assert self.current is not None
        section = self.sections[self.current]
        where = Where(self.file, "正文", item.number)
        parts = _line_parts(item.text)
        if not any(parts):
            return
        names = {n: u for u in _units_of(self.scheme, section) for n in (u.name, *u.aliases)}
        unit = ""
        if len(parts) >= 3 and parts[0] in names:  # 单位 姓名 职务
            unit, parts = names[parts[0]].name, parts[1:]
        if len(parts) == 1:
            if parts[0] not in names:  # a unit's name alone is a line left blank
                self.result.notes.append(
                    f"{where}：“{visible(parts[0])}”应为“姓名 职务”两项，未导入"
                )
            return
        name, title = parts[0], clean_value(" ".join(parts[1:]))
        if not name:
            if title not in names:
                self.result.notes.append(f"{where}：“{visible(title)}”没有姓名，未导入")
            return
        if not _looks_like_name(name):
            shown = visible(clean_value(item.text))
            self.result.notes.append(f"{where}：“{shown}”不是“姓名 职务”的格式，未导入")
            return
        texts = {"name": name, "title": title} | ({"unit": unit} if unit else {})
        self._person(section, texts, where)


def _printed_matches(fields: dict[int, tuple[str, bool]], section: FormSection) -> float:
    """How many of a header row's cells are the section's printed headers."""
    printed = {c.field for c in section.columns if c.header is not None}
    return sum(1.0 for f, exact in fields.values() if exact and f in printed)


_NAME_BAD = re.compile(r"[\d:：,，;；。!！?？()（）@]")


def _looks_like_name(text: str) -> bool:
    return 1 <= len(text) <= 12 and not _NAME_BAD.search(text)


def _line_parts(text: str) -> list[str]:
    """A line of a list split into its items: 姓名, 职务 (or 单位, 姓名, 职务).

    Items are separated by tabs where the line has any (the first may be empty: a name
    left blank), else by runs of spaces. A two-character name padded to the width of
    three (``王　五　副局长``) is put back together.
    """
    text = strip_enumerator(text)  # 1. 陈添有  市发改局副局长
    if "\t" in text:
        head, *rest = text.split("\t")
        return [clean_value(head)] + [v for v in (clean_value(t) for t in rest) if v]
    tokens = [t for t in re.split(r"[\s\u3000]+", text.strip()) if t]
    if len(tokens) >= 3 and len(tokens[0]) == 1 and len(tokens[1]) <= 2:
        tokens = [tokens[0] + tokens[1], *tokens[2:]]
    return [clean_value(t) for t in tokens]


def _units_of(scheme: Scheme, section: FormSection) -> list[Unit]:
    """The units a list section lists: its own selector, else its role's."""
    role = scheme.role(section.role) if section.role else None
    selector = section.units or (role.applies_to if role else Selector())
    return scheme.select(selector)


def _unit_names(scheme: Scheme, section: FormSection) -> set[str]:
    """Every name and alias of the units a list section lists."""
    return {n for u in _units_of(scheme, section) for n in (u.name, *u.aliases)}


def _unit_in_title(scheme: Scheme, section: FormSection, title: str) -> str | None:
    """The unit a list's title begins with (``市发改局副局长`` → 市发改局), as the list
    prints it; the section's only unit when it has one (the city's own leaders)."""
    candidates = _units_of(scheme, section)
    if len(candidates) == 1:
        return candidates[0].name
    folded = fold(title)
    best: tuple[int, str] | None = None
    for unit in candidates:
        for name in (unit.name, *unit.aliases):
            forms = [name]
            if name.startswith("市"):  # 肇庆市发改局 for 市发改局
                forms.append(scheme.city + name[1:])
            for written in forms:
                if folded.startswith(fold(written)) and (best is None or len(written) > best[0]):
                    best = (len(written), unit.name)
    return best[1] if best else None


def walk(scheme: Scheme, form: Form, content: Content, file: str) -> WalkResult:
    """Every person the document's sections hold, with notes on what was left unread."""
    walker = _Walker(scheme, form, file)
    for item in content.items:
        if isinstance(item, Paragraph):
            walker.paragraph(item)
        else:
            walker.row(item)
    walker.flush()
    return walker.result
