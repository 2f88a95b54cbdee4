"""Reading a roster's free-text 职务 against a role's eligibility rule.

A title such as “副局长、党组成员” or “市政府副秘书长、市政数局局长” is split into what
it says of rank: a principal post (局长), a deputy post (副局长), membership of the
leadership team (党组成员), a head of an internal office (科长), or a rank or specialist
title that is no post at all (四级调研员). The rule is then met, clearly not met, or
cannot be told from the words; only a person can settle the last.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .policy import EligibilityRule, Role

# Words that name a rank or a specialist title, not a leadership post. Longest first, so
# that "主任科员" is taken as a rank before "主任" could be read as a post.
_RANKS = [
    "一级调研员", "二级调研员", "三级调研员", "四级调研员", "调研员",
    "一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "主任科员",
    "一级科员", "二级科员", "科员", "办事员", "巡视员", "主任督学", "督学",
    "总规划师", "总经济师", "总工程师", "总会计师", "总师",
]  # fmt: skip
# Heads of an office inside a unit: leaders of the office, not of the unit.
_STAFF = re.compile(r"(科长|股长|室主任|组长)")
_TEAM = re.compile(r"(党组成员|党委委员|党工委委员|常委|班子成员|委员)")
_POSTS = re.compile(
    r"(局长|厅长|省长|区长|县长|市长|州长|镇长|乡长|主任|书记|部长|司长|署长|秘书长|院长|庭长|"
    r"主席|总经理|董事长|大队长|队长|政委|处长|关长|行长|所长|馆长|校长|站长|领导)"
)
_RULE_WORDS = {
    EligibilityRule.deputy_or_above: "行政副职及以上领导",
    EligibilityRule.leadership: "领导",
    EligibilityRule.leadership_team: "领导班子成员",
    EligibilityRule.principal: "主要领导（正职）",
}


@dataclass(frozen=True)
class Reading:
    """What a title says, as far as its words go."""

    principal: bool = False
    deputy: bool = False
    team: bool = False
    staff: str = ""
    rank: str = ""

    @property
    def leader(self) -> bool:
        """Some leadership post of the unit itself."""
        return self.principal or self.deputy or self.team


@functools.lru_cache(maxsize=4096)  # a province's 49,000 people share a few hundred titles
def read_title(title: str) -> Reading:
    """The posts a 职务 names (several may be joined with 、 or ，)."""
    rest = title
    rank = ""
    for word in _RANKS:
        if word in rest:
            rank = rank or word
            rest = rest.replace(word, "、")
    staff = ""
    found = _STAFF.search(rest)
    if found:
        staff = found.group(1)
        rest = rest[: found.start()] + "、" + rest[found.end() :]
    team = bool(_TEAM.search(rest))
    rest = _TEAM.sub("、", rest)
    principal = deputy = False
    for post in _POSTS.finditer(rest):
        if post.start() > 0 and rest[post.start() - 1] == "副":
            deputy = True
        else:
            principal = True
    return Reading(principal, deputy, team, staff, rank)


@dataclass(frozen=True)
class Verdict:
    """A title read against a rule: a question for a person, and when the words plainly do
    not meet the rule (``why`` is then set), the reason."""

    question: str
    why: str = ""


def judge(role: Role, title: str | None) -> Verdict | None:
    """None when the title meets the rule (or there is no rule); else what to ask about it."""
    rule = role.eligibility_rule
    if rule is EligibilityRule.none:
        return None
    need = f"“{role.eligibility or _RULE_WORDS[rule]}”"
    if not title:
        return Verdict(f"未填写职务，无法判断是否符合{need}，请补充")
    got = read_title(title)
    if rule is EligibilityRule.principal and got.principal:
        return None
    if rule is EligibilityRule.deputy_or_above and (got.principal or got.deputy):
        return None
    if rule in (EligibilityRule.leadership, EligibilityRule.leadership_team) and got.leader:
        return None
    why = ""
    if rule is EligibilityRule.principal and (got.deputy or got.team):
        why = f"“{title}”看起来是副职或班子成员，不是正职"
    elif got.rank and not got.leader:
        said = f"“{title}”" + (f"中的“{got.rank}”" if got.rank != title else "")
        why = f"{said}是职级或专业职务而非领导职务"
    elif got.staff and not got.leader:
        said = f"“{title}”" + (f"中的“{got.staff}”" if got.staff != title else "")
        why = f"{said}是内设机构的负责人，不是本单位领导"
    if why:
        return Verdict(f"{why}，是否符合{need}？请人工确认", why)
    if got.team:  # deputy_or_above: a member of the team need not be an administrative deputy
        return Verdict(f"“{title}”是班子成员，看不出是否为{need}，请人工确认")
    return Verdict(f"从职务“{title}”看不出是否符合{need}，请人工确认")
