"""A scheme's rules in Chinese sentences, for ``cdo policy show``.

Lines hold no spaces but their indent: a terminal wraps Chinese text at spaces, and a
space before a long clause would push the whole clause onto the next line.

Where each post is set up (and from when, and what it grows into), which lists end
in 等, the minimum counts, the attributes that decide posts, and every assumption the
scheme makes where the document is silent, each with its reason. Pure: the scheme and a
date in, sections of plain lines out; :mod:`cdo_cli.views` lays them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .policy import KIND_LABELS, Clause, Expansion, Role, Scheme, Selector, Span, Unit
from .policy_terms import VALUE_LABELS
from .roster_checks import same_kind

# Units named in a line before "等 N 个".
_NAMED = 5


@dataclass
class Section:
    """A titled block of lines; a line starting with spaces is a detail of the one above."""

    title: str
    lines: list[str] = field(default_factory=list)


def timed(scheme: Scheme) -> bool:
    """True when the scheme changes over time (units or posts with dates, later stages)."""
    return any(u.effective for u in scheme.units) or any(
        r.effective or r.expands for r in scheme.roles
    )


def issue_date(scheme: Scheme) -> str:
    """The document's date of issue, or that the document does not give one."""
    issued = scheme.document.issued
    return f"{issued.isoformat()}印发" if issued else "印发日期：文件未写明"


def eligibility_words(role: Role) -> str:
    """The eligibility clause, with how a roster is checked against it."""
    text = role.eligibility or role.qualification or "未规定"
    if role.eligibility_rule.value == "none":
        return text
    rule = VALUE_LABELS[role.eligibility_rule.value]
    how = "明确规定：职务明显不符报错误" if role.eligibility_strict else "不符只提问"
    return f"{text}（按“{rule}”检查，{how}）"


def _join(names: list[str]) -> str:
    return "、".join(names)


def selector_words(scheme: Scheme, selector: Selector) -> str:
    """What a selector picks, as a reader would say it: 东湖区下属的街道, 试点的政府部门."""
    if not selector.filters():
        return _join(selector.units) or "（不选任何单位）"
    words = ""
    if selector.under:
        words += f"{_join(selector.under)}下属的"
    if selector.tags:
        words += f"带标签“{_join(selector.tags)}”的"
    if selector.pilot is not None:
        words += "试点的" if selector.pilot else "非试点的"
    words += _join([KIND_LABELS[k] for k in selector.kinds]) or "单位"
    if selector.attributes:
        said = []
        for key, wanted in selector.attributes.items():
            found = scheme.attribute(key)
            name = f"“{found.name if found else key}”"
            said.append(name if wanted else f"{name}为否")
        words += f"中{_join(said)}的"
    if selector.units:
        words = f"{_join(selector.units)}，以及{words}"
    return words


def _names(units: list[Unit]) -> str:
    shown = _join([u.name for u in units[:_NAMED]])
    return f"{shown}等" if len(units) > _NAMED else shown


def picked_words(scheme: Scheme, selector: Selector, day: dt.date | None = None) -> str:
    """How many units a selector picks and which: （3个：沙园街道、石桥镇、青溪高新产业园）."""
    return f"（{_picked(scheme, selector, day)}）"


def _picked(scheme: Scheme, selector: Selector, day: dt.date | None, added: str = "") -> str:
    """:func:`picked_words` without its brackets; ``added`` goes after the names.

    Units whose attribute the scheme does not state are left to the roster; units not
    yet (or no longer) in scope on ``day`` are named.
    """
    states = [(u, selector.state(u)) for u in scheme.units]
    picked = [u for u, s in states if s is True]
    undecided = [u for u, s in states if s is None]
    if undecided:
        stated = f"方案写明的{len(picked)}个：{_names(picked)}；" if picked else ""
        rest = "其余" if picked else ""
        return f"{stated}{rest}{len(undecided)}个视名册写明的属性而定{added}"
    if not picked:
        return "没有选中单位" + added
    words = f"{len(picked)}个：{_names(picked)}{added}"
    if day is not None:
        later = [u for u in picked if u.effective and u.effective.since and day < u.effective.since]
        ended = [u for u in picked if not u.in_force(day) and u not in later]
        if later:
            words += f"；截至{day}尚未纳入：{_names(later)}"
        if ended:
            words += f"；截至{day}已不在范围内：{_names(ended)}"
    return words


def span_words(
    span: Span, day: dt.date | None, before: str = "尚未开始", after: str = "已经结束"
) -> str:
    """When something applies: 自2022-01-01起（原文）〔截至…尚未开始〕 (``before``, ``after``:
    what a unit or post is on ``day`` outside the span)."""
    if span.since and span.until:
        when = f"{span.since}至{span.until}"
    elif span.since:
        when = f"自{span.since}起"
    else:
        when = f"至{span.until}止"
    words = f"{when}（{span.text}）" + ("（推定）" if span.assumed else "")
    if day is not None:
        if span.since is not None and day < span.since:
            words += f"〔截至{day}{before}〕"
        elif span.until is not None and span.until < day:
            words += f"〔截至{day}{after}〕"
    return words


def _source(clause: Clause) -> str:
    return f"依据：{clause.section}“{clause.quote}”"


def _stage_words(scheme: Scheme, role: Role, stage: Expansion, day: dt.date | None) -> str:
    """A later stage of a post: from when, where (how many, which are new), whether yet."""
    earlier = [role.applies_to, *(x.applies_to for x in role.expands if x.since < stage.since)]
    states = [(u, stage.applies_to.state(u)) for u in scheme.units]
    picked = [u for u, state in states if state is True]
    undecided = sum(state is None for _, state in states)
    added = [u for u in picked if not any(e.matches(u) for e in earlier)]
    count = f"{len(picked)}个" + (f"，另{undecided}个视属性而定" if undecided else "")
    new = f"新增：{_names(added)}" if added else "方案所列单位中没有新增的"
    status = ""
    if day is not None:
        status = f"〔截至{day}已适用〕" if stage.since <= day else f"〔截至{day}尚未开始〕"
    mark = "（推定）" if stage.assumed else ""
    words = selector_words(scheme, stage.applies_to)
    return f"自{stage.since}起扩大到{mark}：{words}（{count}，{new}）{status}——{stage.text}"


def scope_section(scheme: Scheme, day: dt.date | None) -> Section:
    """Where each post is set up, when, what it grows into, and what it is kept apart from."""
    section = Section("职位设在哪些单位")
    for role in scheme.roles:
        line = f"{role.name}（{role.id}）：{selector_words(scheme, role.applies_to)}"
        if role.applies_to.filters():  # named units are named already
            line += picked_words(scheme, role.applies_to, day)
        section.lines.append(line)
        if role.effective is not None:
            section.lines.append(f"    适用时间：{span_words(role.effective, day)}")
        for stage in role.expands:
            section.lines.append("    " + _stage_words(scheme, role, stage, day))
        if role.distinct_from:
            others = [scheme.role(i) for i in role.distinct_from]
            names = _join(
                [r.name if r else i for r, i in zip(others, role.distinct_from, strict=True)]
            )
            mark = "（推定）" if role.distinct_assumed else ""
            section.lines.append(f"    不得由同一人兼任：{names}{mark}")
    return section


def open_list_section(scheme: Scheme, day: dt.date | None) -> Section | None:
    """Lists the document ends with 等: which units may set up other posts of the kind."""
    if not scheme.open_lists:
        return None
    section = Section("可另设的岗位（文件所列以“等”结尾）")
    for listed in scheme.open_lists:
        names = _join([r.name if (r := scheme.role(i)) else i for i in listed.roles])
        where = selector_words(scheme, listed.applies_to)
        where += picked_words(scheme, listed.applies_to, day)
        ending, start = same_kind(scheme, listed)
        named = "，或".join(
            [
                *([f"名称以“{ending}”结尾"] if ending else []),
                *([f"id以{start}开头"] if start else []),
            ]
        )
        section.lines.append(
            f"{VALUE_LABELS[listed.category]}：文件列出“{names}等”，{where}可另设同类岗位"
            + (f"（{named}）" if named else "")
            + "：名册检查时报警告role-unlisted，请人工核对；记录任命和导入照常写入"
        )
        section.lines.append(f"    {_source(listed.source)}")
    return section


def minimum_section(scheme: Scheme, day: dt.date | None) -> Section | None:
    """The counts members must reach among the units they choose."""
    if not scheme.minimums:
        return None
    section = Section("最少数量（名册中列出的单位才算选中）")
    for minimum in scheme.minimums:
        counted = selector_words(scheme, minimum.count)
        if minimum.each is None:
            whose, over = "", "全部名册合计；"
        else:
            each = selector_words(scheme, minimum.each)
            whose, over = f"各{each}{picked_words(scheme, minimum.each, day)}下属的", ""
        section.lines.append(
            f"{minimum.id}：{whose}{counted}不少于{minimum.min}个（{over}原文：{minimum.text}）"
        )
        section.lines.append(f"    {_source(minimum.source)}")
    return section


def attribute_section(scheme: Scheme) -> Section | None:
    """Each attribute: where the scheme states it, and the posts and duties that turn on it."""
    if not scheme.attributes:
        return None
    section = Section("单位属性（方案未写明的，由各单位在名册中写明）")
    for attribute in scheme.attributes:
        section.lines.append(f"{attribute.name}（{attribute.id}）")
        stated = [
            f"{u.name}（{'是' if u.attributes[attribute.id] else '否'}）"
            for u in scheme.units
            if attribute.id in u.attributes
        ]
        section.lines.append(f"    方案写明：{_join(stated) or '无'}")
        posts = []
        for role in scheme.roles:
            for selector in (role.applies_to, *(s.applies_to for s in role.expands)):
                if attribute.id in selector.attributes:
                    value = "是" if selector.attributes[attribute.id] else "否"
                    posts.append(f"{role.name}（{role.id}，为{value}时设）")
                    break
        duties = [
            f"{o.title}（{o.id}）"
            for o in scheme.obligations
            if attribute.id in o.owed_by.attributes
        ]
        section.lines.append(f"    取决于它的职位：{_join(posts) or '无'}")
        if duties:
            section.lines.append(f"    取决于它的事项：{_join(duties)}")
        section.lines.append(f"    {_source(attribute.source)}")
    return section


def assumption_section(scheme: Scheme) -> Section | None:
    """Everything the scheme assumes where the document is silent, with the reason.

    Things assumed for the same reason are one line (Huizhou's five posts that grow
    after the pilot).
    """
    # (what is assumed, the reason) -> the things it is assumed of, in the scheme's order
    found: dict[tuple[str, str], list[str]] = {}

    def add(noun: str, thing: str, tail: str, reason: str | None) -> None:
        found.setdefault((f"{noun}\0{tail}", reason or ""), []).append(thing)

    for unit in scheme.units:
        if unit.effective is not None and unit.effective.assumed:
            add("单位", f"“{unit.name}”", "纳入的时间", unit.effective.assumption)
    for role in scheme.roles:
        post = f"“{role.name}”（{role.id}）"
        if role.effective is not None and role.effective.assumed:
            add("职位", post, "的适用时间", role.effective.assumption)
        for stage in role.expands:
            if stage.assumed:
                add("职位", post, f"自{stage.since}起扩大", stage.assumption)
        if role.distinct_assumed:
            add("职位", post, "与其他职位分设", role.distinct_assumption)
    for ob in scheme.obligations:
        duty = f"“{ob.title}”（{ob.id}）"
        if ob.owner_assumed:
            owners = scheme.select(ob.owed_by)
            who = owners[0].name if len(owners) == 1 else f"{len(owners)}个单位"
            add("事项", duty, f"的承担单位（{who}）", ob.owner_assumption)
        if ob.recipient_assumed:
            add("事项", duty, f"的报送对象（{ob.owed_to}）", ob.recipient_assumption)
        if ob.due is not None and ob.due.assumed:
            add("事项", duty, "的期限", ob.due.assumption)
    if not found:
        return None
    section = Section("推定（文件没有写明、方案推定的，各处标“（推定）”）")
    for (what, reason), things in found.items():
        noun, tail = what.split("\0")
        section.lines.append(f"{noun}{_join(things)}{tail}：{reason}")
    return section


def rule_sections(scheme: Scheme, day: dt.date | None) -> list[Section]:
    """The sections ``cdo policy show`` prints after its tables, those the scheme has."""
    found = [
        scope_section(scheme, day),
        open_list_section(scheme, day),
        minimum_section(scheme, day),
        attribute_section(scheme),
        assumption_section(scheme),
    ]
    return [s for s in found if s is not None]
