"""The roster model: what a bureau keeps for one scheme, unit by unit.

A roster names its scheme, then for each unit (by any of its names in the scheme) the
people who hold each role and the filings the unit has made. Everything a person
fills in by hand may be left blank; completeness is the validator's question, not
the model's.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from .roster_evaluations import EvaluationRecord


def _text(value: Any) -> Any:
    """Numbers written without quotes (a mobile number) are text here."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and (not value or value.isspace()):  # no copy, as strip() makes
        return None
    return value


def _as_list(value: Any) -> Any:
    """A single person may be written as a mapping instead of a one-item list."""
    if value is None:
        return []
    return [value] if isinstance(value, dict) else value


Blank = Annotated[str | None, BeforeValidator(_text)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Person(_Strict):
    """One holder of a role (an officer, a work contact or a support-team member)."""

    name: Blank = Field(None, description="姓名")
    title: Blank = Field(None, description="职务（如：副局长）")
    office: Blank = Field(None, description="科室（股室），工作联系人填写")
    phone: Blank = Field(None, description="联系电话：手机或带区号的座机，如 0663-6186213")
    email: Blank = Field(None, description="电子邮箱")
    appointed: dt.date | None = Field(None, description="任命（确定）日期，YYYY-MM-DD")
    qualification: Blank = Field(
        None, description="支撑团队成员的资质：相关专业背景，或数字化工作经历年限"
    )
    note: Blank = Field(None, description="备注")

    def is_blank(self) -> bool:
        """True when nothing identifying the person has been filled in."""
        return not (self.name or self.title or self.phone or self.email)


def _empty(value: Any) -> Any:
    """A key written with nothing after it (``officers:``) means none yet."""
    return {} if value is None else value


# How clerks write yes and no; YAML's own true/false are read as such before this.
_YES_NO = {"是": True, "有": True, "否": False, "无": False, "没有": False}


def _attributes(value: Any) -> Any:
    """Attributes as a clerk writes them: ``it_office: 是`` (or 有, 否, 无) is true or false."""
    value = _empty(value)
    if isinstance(value, dict):
        return {k: _YES_NO.get(v.strip(), v) if isinstance(v, str) else v for k, v in value.items()}
    return value


People = Annotated[list[Person], BeforeValidator(_as_list)]


class Filing(_Strict):
    """A filing a unit has made: which duty, for which period, and when it was handed in."""

    obligation: str = Field(min_length=1, description="事项 id，见 cdo policy show")
    period: int | None = Field(None, ge=1900, le=2200, description="年度事项的年份，如 2023")
    date: dt.date = Field(description="报送日期，YYYY-MM-DD")
    note: Blank = Field(None, description="备注（如文号）")


class PastHolder(Person):
    """Someone who held a role in the unit and no longer does: kept, with when they left.

    ``cdo record appoint`` moves the previous holder here (``ended`` is the new holder's
    appointment date: one 任免 document names both), and ``cdo history`` lists them.
    """

    role: str = Field(min_length=1, description="职位 id（见 cdo policy show）")
    ended: dt.date = Field(description="卸任（免职）日期，YYYY-MM-DD")


class UnitEntry(_Strict):
    """One unit's officers, contacts, support team, filings and past holders."""

    officers: Annotated[dict[str, People], BeforeValidator(_empty)] = Field(
        default_factory=dict, description="按职位 id 列出任职人员（见 cdo policy show）"
    )
    filings: Annotated[list[Filing], BeforeValidator(_as_list)] = Field(
        default_factory=list, description="已报送的材料"
    )
    evaluations: Annotated[list[EvaluationRecord], BeforeValidator(_as_list)] = Field(
        default_factory=list, description="评价得分（由 cdo import 读入评价表）"
    )
    history: Annotated[list[PastHolder], BeforeValidator(_as_list)] = Field(
        default_factory=list, description="曾任人员（卸任后保留，由 cdo record appoint 维护）"
    )
    attributes: Annotated[dict[str, bool | None], BeforeValidator(_attributes)] = Field(
        default_factory=dict,
        description="本单位的属性（方案 attributes 所列），如 it_office: true（也可写 是/有、否/无）；决定须设哪些职位；空着表示尚未写明",
    )
    note: Blank = Field(None, description="备注")


class Roster(_Strict):
    """A roster of one scheme."""

    scheme: str = Field(min_length=1, description="方案 id，如 puning、zhaoqing、huizhou")
    note: Blank = Field(None, description="备注（如填报单位、更新日期）")
    units: Annotated[dict[str, UnitEntry | None], BeforeValidator(_empty)] = Field(
        default_factory=dict, description="按单位名称（全称或文件中的其他写法）列出"
    )


ROSTER_MODELS: list[type[BaseModel]] = [
    Roster, UnitEntry, Filing, PastHolder, Person, EvaluationRecord,
]  # fmt: skip
