"""The policy model: one city's Chief Data Officer scheme, as written in its document.

A scheme file (``policies/<id>.yaml``) is loaded into :class:`Scheme`. Shape is checked
here (pydantic, ``extra="forbid"``); rules that span records (a role that names an
unknown unit, a deadline before the document's date) are ``check_*`` functions in
:mod:`cdo_cli.policy_checks`, which return findings instead of raising.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1)]
# A unit's name is a key of the roster, and a YAML key holds at most 1024 characters
# (escapes of unusual characters take up to ten each); real names have a few dozen.
MAX_UNIT_NAME = 100
UnitName = Annotated[str, Field(min_length=1, max_length=MAX_UNIT_NAME)]

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
    city = "city"
    county = "county"
    subdistrict = "subdistrict"
    town = "town"
    park = "park"
    department = "department"
    court = "court"
    party = "party"
    vertical = "vertical"
    institution = "institution"
    enterprise = "enterprise"


KIND_LABELS: dict[UnitKind, str] = {
    UnitKind.government: "本级政府",
    UnitKind.city: "地级以上市",
    UnitKind.county: "县（市、区）",
    UnitKind.subdistrict: "街道",
    UnitKind.town: "镇",
    UnitKind.park: "园区",
    UnitKind.department: "政府部门",
    UnitKind.court: "司法机关",
    UnitKind.party: "党群机构",
    UnitKind.vertical: "垂直管理单位",
    UnitKind.institution: "事业单位",
    UnitKind.enterprise: "企业",
}


class Span(Strict):
    """When something applies: from a date, until a date (both inclusive), as the document says."""

    since: dt.date | None = Field(
        None, description="从哪一天起适用（含当日）；不写即自文件印发起。"
    )
    until: dt.date | None = Field(None, description="到哪一天止（含当日）；不写即不设终止。")
    text: Text = Field(description="文件中的时间说法，如“2022年全面推行”。")
    assumed: bool = Field(False, description="日期是否为推定（文件未写明具体日期）。")
    assumption: str | None = Field(None, description="推定的理由。")
    source: Clause | None = Field(
        None, description="时间的出处（与单位、职位本身的出处不同时写）。"
    )

    @model_validator(mode="after")
    def _dates(self) -> Span:
        if self.since is None and self.until is None:
            raise ValueError("适用时间须写 since（起）或 until（止），或两者都写")
        for day in (self.since, self.until):
            if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
                raise ValueError(f"日期 {day} 超出范围：应在 {FIRST_YEAR}—{LAST_YEAR} 年之间")
        if self.since and self.until and self.until < self.since:
            raise ValueError(f"until（{self.until}）早于 since（{self.since}）")
        if self.assumed and not self.assumption:
            raise ValueError("推定的日期（assumed: true）须在 assumption 中说明推定的理由")
        return self

    def contains(self, day: dt.date) -> bool:
        """True when ``day`` falls within the span."""
        return (self.since is None or self.since <= day) and (
            self.until is None or day <= self.until
        )

    def outside(self, day: dt.date) -> str:
        """Why ``day`` is outside the span, in words: 自 2022-01-01 起（…），尚未开始."""
        note = self.text + ("，推定" if self.assumed else "")
        if self.since is not None and day < self.since:
            return f"自 {self.since} 起才适用（{note}），截至 {day} 尚未开始"
        return f"只适用至 {self.until}（{note}），截至 {day} 已经结束"


AttributeValues = dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)], bool]


class Unit(Strict):
    """A body in the scheme's scope: a department, a county, the city government, …"""

    name: UnitName = Field(description="文件中的单位全称。")
    aliases: list[UnitName] = Field(default_factory=list, description="文件中同一单位的其他写法。")
    kind: UnitKind = Field(
        description="单位类别：government 本级政府、county 县（市、区）、department 政府部门、"
        "court 司法机关、party 党群机构、vertical 垂直管理单位、institution 事业单位、enterprise 企业；"
        "city 地级以上市（省级方案）、subdistrict 街道、town 镇、park 园区。"
    )
    parent: Text | None = Field(
        None, description="上级单位的全称（须是本方案的单位），如区属街道写所在的区。"
    )
    pilot: bool = Field(False, description="是否为试点单位。")
    tags: list[Text] = Field(
        default_factory=list, description="分组标签，如 attachment3（附件3所列单位）。"
    )
    attributes: AttributeValues = Field(
        default_factory=dict,
        description="文件写明的单位属性（见方案的 attributes），如 {it_office: true}；"
        "文件没写的不填，由名册填写。",
    )
    effective: Span | None = Field(
        None, description="单位纳入范围的时间（分批推行时写）；不写即自文件印发起。"
    )
    note: str | None = None
    source: Clause

    # The names and aliases of every unit above this one (parent, its parent, …), set by
    # the Scheme it belongs to, so that a selector's ``under`` needs no scheme to answer.
    _above: frozenset[str] = PrivateAttr(default=frozenset())

    def in_force(self, day: dt.date | None) -> bool:
        """True when the unit is in scope on ``day`` (None: whenever)."""
        return day is None or self.effective is None or self.effective.contains(day)

    def is_under(self, names: Iterable[str]) -> bool:
        """True when a unit named (or aliased) in ``names`` is above this one, at any level."""
        return not self._above.isdisjoint(names)


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
    attributes: AttributeValues = Field(
        default_factory=dict,
        description="按单位属性筛选，如 {it_office: true}：设有信息化机构的单位；"
        "属性由方案的单位或名册写明。",
    )
    under: list[Text] = Field(
        default_factory=list,
        description="在其中任何一个单位之下的单位（按 parent 逐级向上找：直接和间接下属，"
        "不含该单位本身），如 [东湖区] 加 kinds: [subdistrict] 即东湖区的街道；与其他条件同时满足。",
    )

    def filters(self) -> bool:
        """True when the selector has a filter besides its list of named units."""
        return bool(
            self.kinds or self.tags or self.pilot is not None or self.attributes or self.under
        )

    def state(self, unit: Unit, attributes: Mapping[str, bool | None] | None = None) -> bool | None:
        """True or False when ``unit`` is or is not picked; None when it turns on an
        attribute nobody has stated (the roster's ``attributes``, else the scheme's unit)."""
        if unit.name in self.units:
            return True
        if not self.filters():
            return False
        # Asked for every unit of a province, per duty and per post: each field read once.
        kinds, tags, pilot, wanted_attributes, under = (
            self.kinds, self.tags, self.pilot, self.attributes, self.under
        )  # fmt: skip
        if not (
            (not kinds or unit.kind in kinds)
            and (not tags or bool(set(tags) & set(unit.tags)))
            and (pilot is None or unit.pilot == pilot)
            and (not under or unit.is_under(under))
        ):
            return False
        unknown = False
        for key, wanted in wanted_attributes.items():
            have = (attributes or {}).get(key, unit.attributes.get(key))
            if have is None:
                unknown = True
            elif have != wanted:
                return False
        return None if unknown else True

    def matches(self, unit: Unit, attributes: Mapping[str, bool | None] | None = None) -> bool:
        """True when ``unit`` is named here or meets every filter that is set."""
        return self.state(unit, attributes) is True


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


class Expansion(Strict):
    """A later stage of a role's scope: from ``since`` it is set up in more units."""

    since: dt.date = Field(description="从哪一天起扩大（含当日）。")
    applies_to: Selector = Field(description="扩大后设这个职位的单位（全部，不只新增的）。")
    text: Text = Field(description="文件中的说法，如“2023年，在全市各县（区）、各部门全面推行”。")
    assumed: bool = Field(False, description="扩大的范围或日期是否为推定。")
    assumption: str | None = Field(None, description="推定的理由。")
    source: Clause

    @model_validator(mode="after")
    def _assumption_given(self) -> Expansion:
        if not FIRST_YEAR <= self.since.year <= LAST_YEAR:
            raise ValueError(f"日期 {self.since} 超出范围：应在 {FIRST_YEAR}—{LAST_YEAR} 年之间")
        if self.assumed and not self.assumption:
            raise ValueError("推定的扩大（assumed: true）须在 assumption 中说明推定的理由")
        return self


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
    eligibility_strict: bool = Field(
        False,
        description="true：文件明确规定任职条件（不是“原则上”），职务明显不符时报错误；"
        "false：只提问（警告）。",
    )
    distinct_from: list[Id] = Field(default_factory=list, description="不得由同一人兼任的职位。")
    distinct_assumed: bool = Field(
        False,
        description="true：分设是推定的（文件没有写明），同一人兼任只报警告；须写 distinct_assumption。",
    )
    distinct_assumption: str | None = Field(None, description="推定分设的理由。")
    effective: Span | None = Field(None, description="职位适用的时间；不写即自文件印发起。")
    expands: list[Expansion] = Field(
        default_factory=list, description="此后扩大到的单位，如试点之后全面推行。"
    )
    duties: str | None = None
    notes: list[str] = Field(default_factory=list, description="文件未说明之处、推定及其理由。")
    source: Clause

    @model_validator(mode="after")
    def _assumption_given(self) -> Role:
        if self.distinct_assumed and not self.distinct_assumption:
            raise ValueError(
                "推定的分设（distinct_assumed: true）须在 distinct_assumption 中说明理由"
            )
        return self

    def applies(
        self,
        unit: Unit,
        day: dt.date | None = None,
        attributes: Mapping[str, bool | None] | None = None,
    ) -> bool | None:
        """Whether the role is set up in ``unit`` on ``day`` (None: whenever).

        None when it turns on an attribute of the unit nobody has stated.
        """
        if day is not None and self.effective is not None and not self.effective.contains(day):
            return False
        found = self.applies_to.state(unit, attributes)
        for stage in self.expands:
            if found is True:
                break
            if day is None or stage.since <= day:
                later = stage.applies_to.state(unit, attributes)
                found = later if later is not False else found
        return found

    def stage(self, unit: Unit, day: dt.date | None = None) -> Expansion | None:
        """The expansion that brought ``unit`` in, when the first scope does not have it."""
        if self.applies_to.matches(unit):
            return None
        return next(
            (
                x
                for x in self.expands
                if (day is None or x.since <= day) and x.applies_to.matches(unit)
            ),
            None,
        )


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
    owner_assumed: bool = Field(
        False, description="承担单位是否为推定（文件没有写明由谁承担）；须写 owner_assumption。"
    )
    owner_assumption: str | None = Field(None, description="推定承担单位的理由。")
    role: Id | None = Field(None, description="由单位中哪一职位承担（如部门首席数据官）。")
    owed_to: str | None = Field(None, description="报送或备案对象；文件未说明为空。")
    recipient_assumed: bool = Field(
        False, description="报送对象是否为推定（文件没有写明报给谁）；须写 recipient_assumption。"
    )
    recipient_assumption: str | None = Field(None, description="推定报送对象的理由。")
    deliverable: Literal["form", "plan", "report", "summary", "appointment", "task"] = Field(
        description="form 附件表格、plan 实施方案、report 报告、summary 工作总结、"
        "appointment 任命或设立职位、task 工作任务。"
    )
    forms: list[Id] = Field(default_factory=list, description="报送的附件表格 id。")
    due: Due | None = Field(None, description="文件未规定日期时为空。")
    due_text: str | None = Field(None, description="无具体日期时文件的说法，如“持续推动”。")
    notes: list[str] = Field(default_factory=list)
    source: Clause

    @model_validator(mode="after")
    def _assumptions_given(self) -> Obligation:
        if self.owner_assumed and not self.owner_assumption:
            raise ValueError(
                "推定的承担单位（owner_assumed: true）须在 owner_assumption 中说明理由"
            )
        if self.recipient_assumed and not self.recipient_assumption:
            raise ValueError(
                "推定的报送对象（recipient_assumed: true）须在 recipient_assumption 中说明理由"
            )
        if self.recipient_assumed and not self.owed_to:
            raise ValueError("recipient_assumed: true 时须写 owed_to（推定的报送对象）")
        return self


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
    issued: dt.date | None = Field(
        description="印发日期 YYYY-MM-DD；文件未载明写 null（依赖印发日期的检查随之跳过）。"
    )
    seed: str | None = Field(
        None,
        description="原文纯文本在 policies/sources/ 下的文件名（自定义方案：其文件夹的 sources/ 下）。",
    )
    addressees: str | None = None
    implements: list[Reference] = Field(default_factory=list)
    goals: list[Goal] = Field(default_factory=list)
    contact: str | None = None
    source: Clause

    @field_validator("issued")
    @classmethod
    def _in_years(cls, day: dt.date | None) -> dt.date | None:
        # The report's timeline and every check against the issue date compute with it.
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(f"日期 {day} 超出范围：应在 {FIRST_YEAR}—{LAST_YEAR} 年之间")
        return day


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


class Attribute(Strict):
    """A fact about a unit that decides which roles it has, declared once for the scheme."""

    id: Id
    name: Text = Field(description="属性的中文说法，如“设有信息化科室或下属信息化机构”。")
    source: Clause


class OpenList(Strict):
    """A list of posts the document ends with 等: other posts of the same kind are allowed."""

    category: Literal["officer", "contact", "support"] = Field(
        description="另设的职位属于哪一类：officer、contact 或 support。"
    )
    roles: list[Id] = Field(min_length=1, description="文件在“等”之前列出的职位 id。")
    applies_to: Selector = Field(description="可以另设职位的单位。")
    source: Clause


class Minimum(Strict):
    """A count the members must reach among the units they choose (不少于3个县（市、区）)."""

    id: Id
    each: Selector | None = Field(
        None,
        description="对哪些单位分别计数（如各试点地级以上市），只数其下属单位（parent）；"
        "不写即对全部名册合计。",
    )
    count: Selector = Field(description="计数的单位（如 kinds: [county]）：名册中列出的才算。")
    min: int = Field(ge=1, le=MAX_HOLDERS, description="至少几个。")
    text: Text = Field(description="文件原话，如“不少于3个县（市、区）”。")
    source: Clause


# Reports and evaluation sheets live in their own module, which builds on the classes above.
from .policy_outlines import Evaluation, ReportOutline  # noqa: E402


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
    reports: list[ReportOutline] = Field(
        default_factory=list, description="文件要求写的报告（如年度述职报告）：领域和标题。"
    )
    evaluations: list[Evaluation] = Field(
        default_factory=list, description="对首席数据官的评价：被评价职位和评价内容。"
    )
    tasks: list[Entry] = Field(default_factory=list)
    mechanisms: list[Entry] = Field(default_factory=list)
    named_officers: list[NamedOfficer] = Field(default_factory=list)
    attributes: list[Attribute] = Field(
        default_factory=list, description="决定单位设哪些职位的属性（名册中由各单位写明）。"
    )
    open_lists: list[OpenList] = Field(
        default_factory=list, description="文件以“等”结尾的职位列表：可另设同类职位（警告）。"
    )
    minimums: list[Minimum] = Field(
        default_factory=list, description="成员所选单位的最少数量，如“不少于3个县（市、区）”。"
    )
    silences: list[str] = Field(
        default_factory=list, description="文件未说明、工具也不推定的事项。"
    )

    @model_validator(mode="after")
    def _place_units(self) -> Scheme:
        """Tell each unit the names above it, for selectors' ``under``."""
        index = self.unit_index()
        for unit in self.units:
            unit._above = frozenset(
                name for up in self.ancestors(unit, index) for name in (up.name, *up.aliases)
            )
        return self

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

    def ancestors(self, unit: Unit, index: dict[str, Unit] | None = None) -> list[Unit]:
        """The unit's parent, its parent's parent, … (a loop is cut where it closes).

        ``index`` is :meth:`unit_index`, passed in by callers that ask for many units.
        """
        index = index if index is not None else self.unit_index()
        out: list[Unit] = []
        seen = {unit.name}
        while unit.parent and unit.parent in index and index[unit.parent].name not in seen:
            unit = index[unit.parent]
            seen.add(unit.name)
            out.append(unit)
        return out

    def attribute(self, attribute_id: str) -> Attribute | None:
        """The attribute with this id, if any."""
        return next((a for a in self.attributes if a.id == attribute_id), None)

    def minimums_choosing(self, unit: Unit) -> list[Minimum]:
        """The minimums that count ``unit`` among a member's choices: it matches ``count``
        and, where the count is per member (``each``), lies under one of the members. A
        department the document names itself (a province's own) is no city's choice."""
        return [
            m
            for m in self.minimums
            if m.count.matches(unit)
            and (m.each is None or any(m.each.matches(up) for up in self.ancestors(unit)))
        ]
