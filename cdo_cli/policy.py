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

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]

# The years a scheme can speak of. Every date the tool computes (a period's deadline, the
# as-of date of ``cdo overdue``) stays inside them, so no date arithmetic can overflow and
# a recurring duty has at most a few hundred periods.
FIRST_YEAR = 1900
LAST_YEAR = 2200
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR)]

# Counts that decide how much rendering a form allocates. A printed A4 page holds some
# 30 rows of 10 cells; these allow a dozen pages of blank form and keep a Word file to
# about a second.
MAX_FORM_ROWS = 200  # blank rows of one section
MAX_COLUMNS = 20  # more would not fit across a landscape A4 page
MAX_SECTIONS = 20
MAX_BLANK_CELLS = 4000  # rows × columns, summed over a form's sections
MAX_HOLDERS = 1000  # people holding one role in one unit (a count, never allocated)


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
    kind: UnitKind = Field(
        description="单位类别：government 本级政府、county 县（市、区）、department 政府部门、"
        "court 司法机关、party 党群机构、vertical 垂直管理单位、institution 事业单位、enterprise 企业。"
    )
    pilot: bool = Field(False, description="是否为试点单位。")
    tags: list[Text] = Field(
        default_factory=list, description="分组标签，如 attachment3（附件3所列单位）。"
    )
    note: str | None = None
    source: Clause


class Selector(Strict):
    """Which units something applies to: named units, or all units matching every filter given."""

    units: list[Text] = Field(
        default_factory=list, description="按名称列出的单位（写全称；别名不会选中）。"
    )
    kinds: list[UnitKind] = Field(
        default_factory=list, description="单位类别是其中任何一种的单位；与其他条件同时满足。"
    )
    tags: list[Text] = Field(
        default_factory=list, description="带有其中任何一个标签的单位；与其他条件同时满足。"
    )
    pilot: bool | None = Field(
        None, description="true：试点单位；false：非试点单位；不写：不按试点筛选。"
    )

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

    min: int = Field(0, ge=0, le=MAX_HOLDERS, description="每个单位至少几人。")
    max: int | None = Field(None, ge=1, le=MAX_HOLDERS, description="空表示文件未规定上限。")


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
    category: Literal["officer", "contact", "support"] = Field(
        description="officer：首席数据官等职务；contact：工作联系人；support：支撑团队岗位。"
    )
    applies_to: Selector = Field(description="设这个职位的单位。")
    required: bool = Field(description="true：必须设立；false：可以设立。")
    holders: Holders
    eligibility: str | None = Field(None, description="任职条件，照录文件原文；文件未规定为空。")
    eligibility_rule: EligibilityRule = Field(
        EligibilityRule.none,
        description="检查名册时据此提问：none 不检查、leadership 领导、deputy_or_above 行政副职及以上、"
        "leadership_team 领导班子成员、principal 主要领导。",
    )
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
    first_period: Year | None = None
    last_period: Year | None = None
    text: Text = Field(description="文件中的时限原文，如“2023年10月30日前”。")
    assumed: bool = Field(False, description="日期是否为推定（文件未写明具体日期）。")
    assumption: str | None = Field(None, description="推定的理由。")

    @model_validator(mode="after")
    def _one_kind(self) -> Due:
        if (self.date is None) == (self.every is None):
            raise ValueError(
                "期限须写 date（一次性，如 2023-10-30）或 every: year（每年）之一，且只写一个"
            )
        if self.date is not None:
            if not FIRST_YEAR <= self.date.year <= LAST_YEAR:
                raise ValueError(
                    f"期限日期 {self.date} 超出范围：应在 {FIRST_YEAR}—{LAST_YEAR} 年之间"
                )
            if any(
                v is not None for v in (self.month, self.day, self.first_period, self.last_period)
            ):
                raise ValueError(
                    "一次性期限（date）不用写 month、day、first_period、last_period；"
                    "每年的期限请写 every: year 而不写 date"
                )
        else:
            self._check_recurring()
        if self.assumed and not self.assumption:
            raise ValueError("推定的期限（assumed: true）须在 assumption 中说明推定的理由")
        return self

    def _check_recurring(self) -> None:
        if self.month is None or self.day is None or self.first_period is None:
            raise ValueError(
                "每年的期限（every: year）须写 month（月）、day（日）和 first_period（起始年度）"
            )
        if (self.month, self.day) == (2, 29):
            raise ValueError(
                "2月29日并非每年都有，不能作为每年的期限；"
                "请改用 2月28日 或 3月1日，并在 notes 中说明"
            )
        try:
            dt.date(2001, self.month, self.day)
        except ValueError:
            raise ValueError(f"{self.month}月没有{self.day}日") from None
        if self.last_period is not None and self.last_period < self.first_period:
            raise ValueError(
                f"last_period（{self.last_period}）早于 first_period（{self.first_period}）"
            )

    def in_year(self, year: int) -> dt.date:
        """The due date of a recurring duty's period ``year``."""
        assert self.month and self.day
        return dt.date(year, self.month, self.day)

    def periods(self, until: dt.date) -> range:
        """A recurring duty's periods up to the year of ``until`` (never past LAST_YEAR)."""
        assert self.first_period
        last = min(until.year, LAST_YEAR, self.last_period or LAST_YEAR)
        return range(self.first_period, last + 1)

    def dates(self, until: dt.date) -> list[tuple[int | None, dt.date]]:
        """Every (period, due date) up to the year of ``until``; period is None for a one-off."""
        if self.date is not None:
            return [(None, self.date)]
        return [(y, self.in_year(y)) for y in self.periods(until)]


class Obligation(Strict):
    """A duty: who owes what to whom, and by when (if the document says)."""

    id: Id
    title: Text = Field(description="事项名称（中文）。")
    owed_by: Selector = Field(description="承担这一事项的单位。")
    role: Id | None = Field(None, description="由单位中哪一职位承担（如部门首席数据官）。")
    owed_to: str | None = Field(None, description="报送或备案对象；文件未说明为空。")
    deliverable: Literal["form", "plan", "report", "summary", "appointment", "task"] = Field(
        description="form 附件表格、plan 实施方案、report 报告、summary 工作总结、"
        "appointment 任命或设立职位、task 工作任务。"
    )
    forms: list[Id] = Field(default_factory=list, description="报送的附件表格 id。")
    due: Due | None = Field(None, description="文件未规定日期时为空。")
    due_text: str | None = Field(None, description="无具体日期时文件的说法，如“持续推动”。")
    notes: list[str] = Field(default_factory=list)
    source: Clause


class Column(Strict):
    """One column of a form table: its header as printed, and what fills it."""

    header: str | None = Field(description="表头原文；文件无表头时为空。")
    field: Literal["unit", "index", "name", "title", "phone", "email", "contact", "office"] = Field(
        description="unit 单位名称、index 序号、name 姓名、title 职务、phone 电话、email 电子邮箱、"
        "contact 联系方式、office 科室（股室）。"
    )


class FormSection(Strict):
    """A block of a form: a heading row and a table of columns."""

    heading: str | None = None
    kind: Literal["unit_role", "role_list", "unit_list"] = Field(
        description="unit_role：本单位某职位的人员；role_list：各单位某职位人员汇总；"
        "unit_list：单位名单。"
    )
    role: Id | None = Field(None, description="由哪个职位的人员填写（unit_role、role_list 必填）。")
    units: Selector | None = Field(None, description="role_list、unit_list 列出的单位。")
    columns: list[Column] = Field(min_length=1, max_length=MAX_COLUMNS)
    rows: int = Field(1, ge=1, le=MAX_FORM_ROWS, description="空表时留出的填写行数。")
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
    sections: list[FormSection] = Field(min_length=1, max_length=MAX_SECTIONS)
    source: Clause

    @model_validator(mode="after")
    def _fits_on_paper(self) -> Form:
        cells = sum(s.rows * len(s.columns) for s in self.sections)
        if cells > MAX_BLANK_CELLS:
            raise ValueError(
                f"表格留出的空白格太多：各节 rows × 列数 合计 {cells} 格，最多 {MAX_BLANK_CELLS} 格"
                "（约十几页 A4）；请减少 rows"
            )
        return self


class Reference(Strict):
    """A higher-level document the scheme implements."""

    title: Text
    doc_number: str | None = None


class Goal(Strict):
    """A target the document sets for a year."""

    year: Year
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
    kind: Literal["task", "meeting", "report", "evaluation", "communication", "other"] = Field(
        "task",
        description="task 主要任务、meeting 会议制度、report 报告制度、evaluation 监督评估、"
        "communication 沟通联络、other 其他。",
    )
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

    # unit_index, built once for the list of units it was built from (callers ask for it
    # once per unit and file: rebuilding it each time made an import of N files N² work).
    _index: tuple[int, dict[str, Unit]] | None = PrivateAttr(default=None)

    def unit_index(self) -> dict[str, Unit]:
        """Every name and alias of every unit, mapped to the unit (shared: do not change it)."""
        if self._index is not None and self._index[0] == id(self.units):
            return self._index[1]
        index: dict[str, Unit] = {}
        for unit in self.units:
            for name in (unit.name, *unit.aliases):
                index.setdefault(name, unit)
        self._index = (id(self.units), index)
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
