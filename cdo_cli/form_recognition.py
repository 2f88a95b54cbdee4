"""Which of the schemes' forms a Word document is, judged from the forms' own definitions.

Every form a scheme declares says what it looks like: its 附件 label, its title, its
sections' headings and its columns' headers. A document is scored against each form
by what of that it holds (:func:`score_form`), with the weights of :data:`WEIGHTS`:
the title counts most, then the header rows, then the headings, then the label. Texts
are compared by :func:`cdo_cli.cell_text.match_key`, so spaces, line breaks and full-
or half-width punctuation do not matter; a heading may also be written as its role's
name or an alias, a header as a common word for its field (:data:`FIELD_WORDS`: 电话
for a phone column, 邮箱 for e-mail …). Nothing here knows any city's forms.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field

from .cell_text import heading_key, match_key
from .docx_reading import Content, Paragraph, Row
from .policy import Form, FormSection, Scheme

# What each kind of evidence is worth. A form matches when it scores PASS or more and
# its title or its label is found (headers alone are shared by many forms), or when its
# title is there word for word and it scores PASS_WITH_TITLE (a list with some of its
# sections left out).
WEIGHTS = {"title": 4.0, "label": 1.0, "heading": 2.0, "header": 3.0}
PASS = 0.6
PASS_WITH_TITLE = 0.4
# A header written as a field's common word, not as the form prints it, counts this much.
SYNONYM_CREDIT = 0.6
# A heading written as its role's name or alias, not as the form prints it.
ALIAS_CREDIT = 0.7

# Common words for what a column holds, beyond the header a form prints (compared by
# key). They are general Chinese office usage, not any one city's.
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "index": ("序号", "编号"),
    "unit": ("单位", "单位名称", "所在单位", "工作单位", "部门", "部门名称", "填报单位"),
    "name": ("姓名", "名字"),
    "title": ("职务", "现任职务", "职务职级", "行政职务"),
    "office": ("科室", "股室", "处室", "科室股室", "所在科室", "内设机构"),
    "phone": ("电话", "联系电话", "手机", "手机号", "手机号码", "办公电话", "移动电话", "座机"),
    "email": ("邮箱", "电子邮箱", "电子邮件", "邮件", "email", "邮箱地址"),
    "contact": ("联系方式", "联系方法", "联系电话及邮箱", "电话及邮箱"),
}
_WORD_FIELD = {match_key(w): f for f, words in FIELD_WORDS.items() for w in words}
# Longest first, so 联系电话 is found before 电话 inside a longer header.
_WORDS_BY_LENGTH = sorted(_WORD_FIELD, key=len, reverse=True)
# Only headers this short are searched for a contained word: a data cell is longer.
_SHORT_HEADER = 8


def header_field(key: str, section: FormSection | None) -> tuple[str, bool] | None:
    """The field a header cell names, and whether it is the header the form prints.

    ``key`` is the cell's match key. The section's own headers come first (县（市、区）
    is the unit column of one form), then the common words, then a short header that
    contains one (联系电话（手机） is a phone column).
    """
    if not key:
        return None
    if section is not None:
        for column in section.columns:
            if column.header is not None and match_key(column.header) == key:
                return column.field, True
    common = _common_field(key)
    return (common, False) if common is not None else None


@functools.lru_cache(maxsize=8192)
def _common_field(key: str) -> str | None:
    """The field a header names by one of :data:`FIELD_WORDS`, or contains one of them."""
    if key in _WORD_FIELD:
        return _WORD_FIELD[key]
    if len(key) <= _SHORT_HEADER:
        for word in _WORDS_BY_LENGTH:
            if len(word) >= 2 and word in key:
                return _WORD_FIELD[word]
    return None


def has_headers(section: FormSection) -> bool:
    """True when the section prints a header row (else its columns go by position)."""
    return any(c.header is not None for c in section.columns)


def is_lines(section: FormSection) -> bool:
    """True for a section laid out as lines of text under a heading, not as a table."""
    return section.kind == "role_list" and not has_headers(section)


def heading_keys(scheme: Scheme, section: FormSection) -> tuple[set[str], set[str]]:
    """The keys a section's heading may be written as: (as printed, as the role's names)."""
    printed = {heading_key(section.heading)} if section.heading else set()
    role = scheme.role(section.role) if section.role else None
    names = {heading_key(n) for n in (role.name, *role.aliases)} if role else set()
    return printed - {""}, names - printed - {""}


@functools.lru_cache(maxsize=256)
def _label_pattern(label: str) -> re.Pattern[str] | None:
    want = match_key(label)
    return re.compile(re.escape(want) + r"(?!\d)") if want else None


def _label_found(label: str, key: str) -> bool:
    """``附件2`` begins ``附件2普宁市…`` but not ``附件23``; ``附件`` does not begin ``附件2``."""
    pattern = _label_pattern(label)
    return pattern is not None and pattern.match(key) is not None


@dataclass
class FormMatch:
    """How well a document matches one form, and what was and was not found in it."""

    scheme: Scheme
    form: Form
    score: float = 0.0
    title: float = 0.0  # 1 for the title word for word, 0.5 for one close to it
    label: bool = False
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def passes(self) -> bool:
        """True when the document is this form (see :data:`PASS`)."""
        if self.title == 1.0 and self.score >= PASS_WITH_TITLE:
            return True
        return self.score >= PASS and (self.title > 0 or self.label)

    @property
    def name(self) -> str:
        """``普宁市方案的附件2（普宁市部门首席数据官和联系人报名表）``."""
        return f"{self.scheme.city}方案的{self.form.label}（{self.form.title}）"


@dataclass(frozen=True)
class _Evidence:
    """The document reduced to what scoring looks at, computed once per document."""

    text: str  # every text in order, as one key
    shorts: list[str]  # keys of every paragraph and distinct cell
    headings: set[str]  # heading keys of the same
    rows: list[list[str]]  # table rows as lists of cell keys
    stem: str  # the file name's key

    @classmethod
    def of(cls, content: Content, stem: str) -> _Evidence:
        shorts: list[str] = []
        rows: list[list[str]] = []
        texts: list[str] = []
        for item in content.items:
            if isinstance(item, Paragraph):
                texts.append(item.text)
            else:
                texts.extend(item.texts())
                rows.append([c.key for c in item.cells])
        shorts = [k for k in (match_key(t) for t in texts) if k]
        headings = {heading_key(t) for t in texts} - {""}
        return cls(content.all_text(), shorts, headings, rows, match_key(stem))


def _title_credit(form: Form, evidence: _Evidence) -> float:
    want = match_key("".join(form.title_lines) or form.title)
    if want and want in evidence.text:
        return 1.0
    # A title retyped with a word changed (及 for 和): half, if one text is close to it.
    for key in evidence.shorts:
        close = 0.6 * len(want) <= len(key) <= 1.6 * len(want)
        if close and difflib.SequenceMatcher(None, want, key).ratio() >= 0.8:
            return 0.5
    return 0.0


def _column_credit(want: str, wanted: set[str], keys: set[str], fields: set[str]) -> float:
    """1 for a column whose printed header is in the row, less for a common word for it."""
    if want and want in keys:
        return 1.0
    return SYNONYM_CREDIT if wanted & fields else 0.0


def _header_credit(section: FormSection, evidence: _Evidence) -> tuple[float, list[str]]:
    """The best row's share of the section's headers, and the headers that row lacks."""
    best, lacking = 0.0, [c.header or "" for c in section.columns]
    contact: set[str] = {"contact", "phone", "email"}
    columns = [
        (match_key(c.header or ""), contact if c.field == "contact" else {str(c.field)})
        for c in section.columns
    ]
    for row in evidence.rows:
        keys = set(row)
        fields = {f for f in map(_common_field, keys) if f is not None}
        credits = [_column_credit(want, wanted, keys, fields) for want, wanted in columns]
        total = sum(credits) / len(columns)
        if total > best:
            best = total
            lacking = [
                c.header or "" for c, x in zip(section.columns, credits, strict=True) if not x
            ]
    return best, lacking


def score_form(scheme: Scheme, form: Form, evidence: _Evidence) -> FormMatch:
    """Score one form against a document's evidence (see the module's docstring)."""
    match = FormMatch(scheme, form)
    got = total = 0.0

    title = _title_credit(form, evidence)
    got, total = got + WEIGHTS["title"] * title, total + WEIGHTS["title"]
    match.title = title
    (match.found if title else match.missing).append(f"标题“{form.title}”")

    label = any(_label_found(form.label, k) for k in evidence.shorts)
    label_credit = 1.0 if label else 0.5 if _label_found(form.label, evidence.stem) else 0.0
    got, total = got + WEIGHTS["label"] * label_credit, total + WEIGHTS["label"]
    match.label = label_credit > 0
    (match.found if label_credit else match.missing).append(f"附件标识“{form.label}”")

    for section in form.sections:
        if section.heading:
            printed, names = heading_keys(scheme, section)
            credit = (
                1.0
                if printed & evidence.headings
                else ALIAS_CREDIT
                if names & evidence.headings
                else 0.0
            )
            got, total = got + WEIGHTS["heading"] * credit, total + WEIGHTS["heading"]
            (match.found if credit else match.missing).append(f"分组“{section.heading}”")
        if has_headers(section) and section.kind != "unit_list":
            credit, lacking = _header_credit(section, evidence)
            got, total = got + WEIGHTS["header"] * credit, total + WEIGHTS["header"]
            if lacking:
                match.missing.append("表头" + "".join(f"“{h}”" for h in lacking))
            else:
                match.found.append("表头" + "".join(f"“{c.header}”" for c in section.columns))
    match.score = got / total if total else 0.0
    return match


def recognise(content: Content, forms: list[tuple[Scheme, Form]], stem: str) -> list[FormMatch]:
    """Every form scored against the document, best first (ties keep the given order)."""
    evidence = _Evidence.of(content, stem)
    scored = [score_form(s, f, evidence) for s, f in forms]
    return sorted(scored, key=lambda m: (-m.score, not m.passes))


def header_row_fields(
    row: Row, section: FormSection | None, skip: frozenset[int] = frozenset()
) -> dict[int, tuple[str, bool]] | None:
    """The fields a row's cells name when it is a header row, by grid position; else None.

    A header row names at least two fields, by a printed header or a common word, in
    more than half of its non-empty cells (a data row's cells are names and numbers).
    A merged cell maps once, at its first position; positions in ``skip`` (a heading
    cell beside the headers) are left out.
    """
    fields: dict[int, tuple[str, bool]] = {}
    seen: set[tuple[int, int]] = set()
    filled = 0
    for i, cell in enumerate(row.cells):
        if cell.origin in seen or i in skip:
            continue
        seen.add(cell.origin)
        filled += bool(cell.key)
        mapped = header_field(cell.key, section)
        if mapped is not None:
            fields[i] = mapped
    if len({f for f, _ in fields.values()}) < 2 or 2 * len(fields) <= filled:
        return None
    return fields
