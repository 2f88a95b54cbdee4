"""The policy model: one city's Chief Data Officer scheme, as written in its document.

A scheme file (``policies/<id>.yaml``) is loaded into :class:`Scheme`. Shape is checked
here (pydantic, ``extra="forbid"``); rules that span records (a role that names an
unknown unit, a deadline before the document's date) are ``check_*`` functions in
:mod:`cdo_cli.policy_checks`, which return findings instead of raising.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]


class Strict(BaseModel):
    """Base for every model: unknown keys are errors, values are not coerced silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Clause(Strict):
    """Where a record comes from: the section of the document and a verbatim quote."""

    section: Text = Field(description="文件中的条款，如“四（二）”或“附件3”。")
    quote: Text = Field(description="原文引用（逐字摘录，比较时忽略空白）。")


class UnitKind(str, Enum):
    """What sort of body a unit is; used to decide which roles it may hold."""

    government = "government"
    county = "county"
    department = "department"
    court = "court"
    party = "party"
    vertical = "vertical"
    institution = "institution"
    enterprise = "enterprise"


KIND_LABELS: dict[UnitKind, str] = {
    UnitKind.government: "本级政府",
    UnitKind.county: "县（市、区）",
    UnitKind.department: "政府部门",
    UnitKind.court: "司法机关",
    UnitKind.party: "党群机构",
    UnitKind.vertical: "垂直管理单位",
    UnitKind.institution: "事业单位",
    UnitKind.enterprise: "企业",
}


class Unit(Strict):
    """A body in the scheme's scope: a department, a county, the city government, …"""

    name: Text = Field(description="文件中的单位全称。")
    aliases: list[Text] = Field(default_factory=list, description="文件中同一单位的其他写法。")
    kind: UnitKind
    pilot: bool = Field(False, description="是否为试点单位。")
    tags: list[Text] = Field(
        default_factory=list, description="分组标签，如 attachment3（附件3所列单位）。"
    )
    note: str | None = None
    source: Clause


class Selector(Strict):
    """Which units something applies to: named units, or all units matching every filter given."""

    units: list[Text] = Field(default_factory=list, description="按名称列出的单位。")
    kinds: list[UnitKind] = Field(default_factory=list)
    tags: list[Text] = Field(default_factory=list)
    pilot: bool | None = None

    def matches(self, unit: Unit) -> bool:
        """True when ``unit`` is named here or meets every filter that is set."""
        if unit.name in self.units:
            return True
        if not (self.kinds or self.tags or self.pilot is not None):
            return False
        return (
            (not self.kinds or unit.kind in self.kinds)
            and (not self.tags or bool(set(self.tags) & set(unit.tags)))
            and (self.pilot is None or unit.pilot == self.pilot)
        )


class Holders(Strict):
    """How many people may hold a role in one unit."""

    min: int = Field(0, ge=0)
    max: int | None = Field(None, ge=1, description="空表示文件未规定上限。")


class EligibilityRule(str, Enum):
    """A machine-checkable reading of an eligibility clause, used only to raise questions."""

    none = "none"
    leadership = "leadership"
    deputy_or_above = "deputy_or_above"
    leadership_team = "leadership_team"
    principal = "principal"


class Role(Strict):
    """An office or post the scheme creates: a CDO, an executive officer, a contact, …"""

    id: Id
    name: Text = Field(description="文件中的职位名称。")
    aliases: list[Text] = Field(default_factory=list)
    category: Literal["officer", "contact", "support"]
    applies_to: Selector
    required: bool = Field(description="true：必须设立；false：可以设立。")
    holders: Holders
    eligibility: str | None = Field(None, description="任职条件，照录文件原文；文件未规定为空。")
    eligibility_rule: EligibilityRule = EligibilityRule.none
    qualification: str | None = Field(None, description="对成员资质的要求（如支撑团队）。")
    appointed_by: str | None = Field(None, description="任命机关；文件未规定为空。")
    filed_with: str | None = Field(None, description="备案机关；文件未规定为空。")
    distinct_from: list[Id] = Field(default_factory=list, description="不得由同一人兼任的职位。")
    duties: str | None = None
    notes: list[str] = Field(default_factory=list, description="文件未说明之处、推定及其理由。")
    source: Clause


class Due(Strict):
    """When a duty falls due: one fixed date, or the same day every year."""

    date: dt.date | None = None
    every: Literal["year"] | None = None
    month: int | None = Field(None, ge=1, le=12)
    day: int | None = Field(None, ge=1, le=31)
    first_period: int | None = Field(None, ge=1900, le=2200)
    last_period: int | None = Field(None, ge=1900, le=2200)
    text: Text = Field(description="文件中的时限原文，如“2023年10月30日前”。")
    assumed: bool = Field(False, description="日期是否为推定（文件未写明具体日期）。")
    assumption: str | None = Field(None, description="推定的理由。")

    @model_validator(mode="after")
    def _one_kind(self) -> Due:
        if (self.date is None) == (self.every is None):
            raise ValueError("due needs exactly one of `date` (one-off) or `every` (recurring)")
        if self.every and (self.month is None or self.day is None or self.first_period is None):
            raise ValueError("a recurring due needs `month`, `day` and `first_period`")
        if self.every and self.month and self.day:
            dt.date(2000, self.month, self.day)  # raises for 2-30, 4-31, …
        if self.assumed and not self.assumption:
            raise ValueError("an assumed due needs an `assumption` saying why")
        return self

    def in_year(self, year: int) -> dt.date:
        """The due date of a recurring duty's period ``year``."""
        assert self.month and self.day
        return dt.date(year, self.month, self.day)

    def dates(self, until: dt.date) -> list[tuple[int | None, dt.date]]:
        """Every (period, due date) up to the year of ``until``; period is None for a one-off."""
        if self.date is not None:
            return [(None, self.date)]
        assert self.first_period
        last = until.year if self.last_period is None else min(self.last_period, until.year)
        return [(y, self.in_year(y)) for y in range(self.first_period, last + 1)]


class Obligation(Strict):
    """A duty: who owes what to whom, and by when (if the document says)."""

    id: Id
    title: Text = Field(description="事项名称（中文）。")
    owed_by: Selector
    role: Id | None = Field(None, description="由单位中哪一职位承担（如部门首席数据官）。")
    owed_to: str | None = Field(None, description="报送或备案对象；文件未说明为空。")
    deliverable: Literal["form", "plan", "report", "summary", "appointment", "task"]
    forms: list[Id] = Field(default_factory=list)
    due: Due | None = Field(None, description="文件未规定日期时为空。")
    due_text: str | None = Field(None, description="无具体日期时文件的说法，如“持续推动”。")
    notes: list[str] = Field(default_factory=list)
    source: Clause


class Column(Strict):
    """One column of a form table: its header as printed, and what fills it."""

    header: str | None = Field(description="表头原文；文件无表头时为空。")
    field: Literal["unit", "index", "name", "title", "phone", "email", "contact", "office"]


class FormSection(Strict):
    """A block of a form: a heading row and a table of columns."""

    heading: str | None = None
    kind: Literal["unit_role", "role_list", "unit_list"] = Field(
        description="unit_role：本单位某职位的人员；role_list：各单位某职位人员汇总；"
        "unit_list：单位名单。"
    )
    role: Id | None = None
    units: Selector | None = None
    columns: list[Column] = Field(min_length=1)
    rows: int = Field(1, ge=1, description="空表时留出的填写行数。")
    side_by_side: int = Field(1, ge=1, le=4, description="一行并排几组（如附件3每行两个单位）。")


class Form(Strict):
    """An attachment form, laid out as the document lays it out."""

    id: Id
    label: Text = Field(description="如“附件1”。")
    title: Text
    title_lines: list[Text] = Field(default_factory=list, description="标题在原文中的分行。")
    per_unit: bool = Field(description="true：每个单位填一份；false：一份表列出多个单位。")
    applies_to: Selector | None = None
    obligation: Id | None = None
    sections: list[FormSection] = Field(min_length=1)
    source: Clause


class Reference(Strict):
    """A higher-level document the scheme implements."""

    title: Text
    doc_number: str | None = None


class Goal(Strict):
    """A target the document sets for a year."""

    year: int = Field(ge=1900, le=2200)
    text: Text
    source: Clause


class Document(Strict):
    """The official document itself."""

    title: Text
    notice_title: str | None = None
    issuer: Text
    doc_number: str | None = Field(None, description="文号；文件未载明为空。")
    issued: dt.date
    seed: str | None = Field(
        None,
        description="原文纯文本在 policies/sources/ 下的文件名（自定义方案：其文件夹的 sources/ 下）。",
    )
    addressees: str | None = None
    implements: list[Reference] = Field(default_factory=list)
    goals: list[Goal] = Field(default_factory=list)
    contact: str | None = None
    source: Clause


class Entry(Strict):
    """A titled item of the document: a main task or a working mechanism."""

    id: Id
    title: Text
    kind: Literal["task", "meeting", "report", "evaluation", "communication", "other"] = "task"
    summary: str | None = None
    source: Clause


class NamedOfficer(Strict):
    """An officer the document itself names (Zhaoqing's annex)."""

    unit: Text
    role: Id
    name: Text
    title: Text
    source: Clause


class Scheme(Strict):
    """One city's Chief Data Officer scheme."""

    id: Id
    city: Text
    province: Text = "广东省"
    authority: Text = Field(description="牵头单位（政务服务数据管理局）。")
    document: Document
    units: list[Unit] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    obligations: list[Obligation] = Field(default_factory=list)
    forms: list[Form] = Field(default_factory=list)
    tasks: list[Entry] = Field(default_factory=list)
    mechanisms: list[Entry] = Field(default_factory=list)
    named_officers: list[NamedOfficer] = Field(default_factory=list)
    silences: list[str] = Field(
        default_factory=list, description="文件未说明、工具也不推定的事项。"
    )

    def unit_index(self) -> dict[str, Unit]:
        """Every name and alias of every unit, mapped to the unit."""
        index: dict[str, Unit] = {}
        for unit in self.units:
            for name in (unit.name, *unit.aliases):
                index.setdefault(name, unit)
        return index

    def role(self, role_id: str) -> Role | None:
        """The role with this id, if any."""
        return next((r for r in self.roles if r.id == role_id), None)

    def form(self, form_id: str) -> Form | None:
        """The form with this id, if any."""
        return next((f for f in self.forms if f.id == form_id), None)

    def obligation(self, obligation_id: str) -> Obligation | None:
        """The obligation with this id, if any."""
        return next((o for o in self.obligations if o.id == obligation_id), None)

    def select(self, selector: Selector) -> list[Unit]:
        """The units a selector picks, in the scheme's order."""
        return [u for u in self.units if selector.matches(u)]
