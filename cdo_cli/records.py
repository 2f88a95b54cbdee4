"""What a clerk's file says, before it touches a roster: people, filings and scores read from it.

The readers of Word forms (:mod:`cdo_cli.form_reading`) and of spreadsheets
(:mod:`cdo_cli.sheet_reading`) return :class:`ImportedFile`; :mod:`cdo_cli.roster_edit`
turns those into changes to a roster and writes them. Nothing here is resolved against
a scheme yet: unit names are as written in the file, so that the messages can quote
them and suggest the right name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# The fields of a person a file can give, in the order forms and workbooks show them.
PERSON_FIELDS: tuple[str, ...] = ("name", "title", "office", "phone", "email")

# The column headers a workbook of people has (export writes them, import reads them,
# with the variants of HEADER_VARIANTS).
PEOPLE_HEADERS: dict[str, str] = {
    "unit": "单位",
    "role": "职位",
    "name": "姓名",
    "title": "职务",
    "office": "科室",
    "phone": "联系电话",
    "email": "电子邮箱",
}


@dataclass(frozen=True)
class Where:
    """Where in a file something was read: the file, and a sheet/table, row and column."""

    file: str
    part: str = ""  # 表格1, a sheet name, …
    row: int | None = None  # 1-based, as Word and Excel number them
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.part:
            parts.append(self.part)
        if self.row is not None:
            parts.append(f"第 {self.row} 行")
        if self.column is not None:
            parts.append(f"第 {self.column} 列")
        return " ".join(parts)


@dataclass(frozen=True)
class PersonRecord:
    """One person a file names for one post of one unit.

    ``unit`` is the unit's name as the file writes it; ``role`` is a role id of the
    scheme (the reader matched the form's section or the 职位 cell to it); ``person``
    holds the non-empty fields of :data:`PERSON_FIELDS`, cleaned of stray spaces and
    line breaks. ``clears`` names the fields the file says are empty, where an empty
    cell means "no value" and not "not filled in" (a workbook ``cdo export`` wrote).
    """

    unit: str
    role: str
    person: dict[str, str]
    where: Where
    clears: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FilingRecord:
    """A filing a file records: which duty, for which period, handed in when."""

    unit: str
    obligation: str
    date: dt.date
    where: Where
    period: int | None = None


@dataclass(frozen=True)
class ScoreRecord:
    """One officer's scores on an evaluation sheet or a row of a scores table.

    ``unit`` is as written; ``scores`` and ``remarks`` are by the evaluation's dimension
    (its text in the scheme); ``invalid`` holds (message, hint) for what stops the record
    from being imported, such as a score that is not a number.
    """

    unit: str
    evaluation: str
    year: int | None
    name: str
    scores: dict[str, int | float]
    where: Where
    remarks: dict[str, str] = field(default_factory=dict)
    invalid: tuple[tuple[str, str], ...] = ()


@dataclass
class ImportedFile:
    """Everything read from one file, with the scheme and form it was recognised as."""

    path: str
    scheme: str | None = None
    form: str | None = None  # form id for a Word form; None for a spreadsheet
    people: list[PersonRecord] = field(default_factory=list)
    filings: list[FilingRecord] = field(default_factory=list)
    evaluations: list[ScoreRecord] = field(default_factory=list)
    # Units the file speaks for: their posts are replaced by what the file says, so a
    # person left out of a re-sent form is shown as removed.
    units: list[str] = field(default_factory=list)
    # The posts it speaks for, as (unit as written, role id); None: every role of its
    # form in each of ``units`` (every role of the unit, for a spreadsheet). A list that
    # leaves out a section, or a summary sheet of chief data officers only, says nothing
    # about the other posts' people.
    posts: list[tuple[str, str]] | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when the file holds nothing to import (a blank form)."""
        return not self.people and not self.filings and not self.evaluations
