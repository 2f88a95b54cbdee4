"""Checks of a roster against its scheme: pure functions that return findings.

Each ``check_*`` takes a :class:`LoadedRoster` and returns findings with key paths;
the caller places them at file:line:column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from .findings import Finding, Path_, error, warning
from .policy import KIND_LABELS, EligibilityRule, Role, Scheme, Unit, UnitKind
from .roster import Person, UnitEntry
from .roster_loading import LoadedRoster
from .suggest import did_you_mean
from .text import CONTROL_HINT, control_message, controls, has_controls


def check_roster(loaded: LoadedRoster) -> list[Finding]:
    """Every cross-record finding for a roster whose shape is valid."""
    return [
        *check_text(loaded),
        *check_roles(loaded),
        *check_people(loaded),
        *check_filings(loaded),
        *check_history(loaded),
        *check_completeness(loaded),
    ]


def _units(loaded: LoadedRoster) -> Iterator[tuple[Unit, str, UnitEntry]]:
    """Each unit the roster lists, the key it is written under, and its entry."""
    index = loaded.scheme.unit_index()
    for name, (key, entry) in loaded.entries.items():
        yield index[name], key, entry


# Labels of the roster's text fields; those in _MULTILINE may span lines.
_FIELD_LABELS = {
    "scheme": "方案 id",
    "unit": "单位名称",
    "role": "职位",
    "name": "姓名",
    "title": "职务",
    "office": "科室",
    "phone": "联系电话",
    "email": "电子邮箱",
    "qualification": "资质",
    "obligation": "事项 id",
    "note": "备注",
}
_MULTILINE = {"note", "qualification"}


def _text_finding(field: str, value: str | None, path: tuple[str | int, ...]) -> list[Finding]:
    if not value:
        return []
    found = controls(value, multiline=field in _MULTILINE)
    if not found:
        return []
    message = control_message(_FIELD_LABELS[field], value, found)
    return [error("text-control", message, path, CONTROL_HINT)]


def check_text(loaded: LoadedRoster) -> list[Finding]:
    """Control characters (escape, NUL, bidi overrides, line breaks in names, …) in any text.

    They cannot be seen, yet they break terminals, reorder what is shown and make Word
    files impossible to write; a multi-line note may hold line breaks and tabs.
    """
    roster = loaded.roster
    out = _text_finding("scheme", roster.scheme, ("scheme",))
    out += _text_finding("note", roster.note, ("note",))
    # Units with shape errors are not in roster.units, but their keys are in entries.
    units = dict(roster.units)
    for key, _entry in loaded.entries.values():
        units.setdefault(key, None)
    for key, entry in units.items():
        # One search over all of a unit's text first: a province's roster has 100,000
        # values, and almost never one of these characters.
        if has_controls(" ".join(_unit_texts(key, entry))):
            out += _unit_text_findings(key, entry)
    return out


def _unit_texts(key: str, entry: UnitEntry | None) -> Iterator[str]:
    """Every text of a unit's entry, its key first."""
    yield key
    if entry is None:
        return
    yield entry.note or ""
    for role_key, people in entry.officers.items():
        yield role_key
        for p in people:
            yield from (p.name or "", p.title or "", p.office or "", p.phone or "")
            yield from (p.email or "", p.qualification or "", p.note or "")
    for filing in entry.filings:
        yield filing.obligation
        yield filing.note or ""
    for past in entry.history:
        yield from (past.role, past.name or "", past.title or "", past.office or "")
        yield from (past.phone or "", past.email or "", past.qualification or "", past.note or "")


def _unit_text_findings(key: str, entry: UnitEntry | None) -> list[Finding]:
    path: tuple[str | int, ...] = ("units", key)
    out = _text_finding("unit", key, path)
    if entry is None:
        return out
    out += _text_finding("note", entry.note, (*path, "note"))
    for role_key, people in entry.officers.items():
        out += _text_finding("role", role_key, (*path, "officers", role_key))
        for i, person in enumerate(people):
            where = (*path, "officers", role_key, i)
            for field in ("name", "title", "office", "phone", "email", "qualification", "note"):
                out += _text_finding(field, getattr(person, field), (*where, field))
    for i, filing in enumerate(entry.filings):
        where = (*path, "filings", i)
        out += _text_finding("obligation", filing.obligation, (*where, "obligation"))
        out += _text_finding("note", filing.note, (*where, "note"))
    for i, past in enumerate(entry.history):
        where = (*path, "history", i)
        for field in ("role", "name", "title", "office", "phone", "email", "qualification", "note"):
            out += _text_finding(field, getattr(past, field), (*where, field))
    return out


def check_roles(loaded: LoadedRoster) -> list[Finding]:
    """Roles that do not exist, that a unit's kind cannot have, or with too many holders."""
    out: list[Finding] = []
    scheme = loaded.scheme
    for unit, key, entry in _units(loaded):
        for role_key, people in entry.officers.items():
            path = ("units", key, "officers", role_key)
            role = scheme.role(role_key)
            if role is None or not role.applies_to.matches(unit):
                out.append(role_problem(scheme, unit, role_key, path))
                continue
            filled = [p for p in people if not p.is_blank()]
            if role.holders.max is not None and len(filled) > role.holders.max:
                out.append(
                    error(
                        "role-too-many",
                        f"“{role.name}”最多{role.holders.max}名，这里填了{len(filled)}名",
                        path,
                        f"依据：{role.source.section}“{role.source.quote}”",
                    )
                )
    return out


def role_problem(scheme: Scheme, unit: Unit, role_key: str, path: Path_ = ()) -> Finding:
    """Why ``role_key`` cannot be held in ``unit``: not a role of the scheme, or not of its kind."""
    allowed = [r.id for r in scheme.roles if r.applies_to.matches(unit)]
    role = scheme.role(role_key)
    if role is None:
        by_name = [r.id for r in scheme.roles if role_key in (r.name, *r.aliases)]
        hint = (
            f"请用职位 id：{'、'.join(i for i in by_name if i in allowed) or by_name[0]}"
            if by_name
            else did_you_mean(role_key, [r.id for r in scheme.roles])
            or f"本单位可设的职位：{'、'.join(allowed)}"
        )
        return error("role-unknown", f"“{role_key}”不是本方案的职位", path, hint)
    return error(
        "role-not-allowed",
        f"{KIND_LABELS[unit.kind]}“{unit.name}”不设“{role.name}”（{role.id}）",
        path,
        f"本单位可设的职位：{'、'.join(allowed)}" if allowed else None,
    )


def check_people(loaded: LoadedRoster) -> list[Finding]:
    """Phone numbers, e-mails, eligibility, qualifications and posts kept apart."""
    out: list[Finding] = []
    scheme = loaded.scheme
    for _unit, key, entry in _units(loaded):
        posts: dict[str, list[tuple[Role, tuple[str | int, ...]]]] = {}
        for role_key, people in entry.officers.items():
            role = scheme.role(role_key)
            for i, person in enumerate(people):
                path: tuple[str | int, ...] = ("units", key, "officers", role_key, i)
                out += _contact_findings(person, path)
                out += _shape_findings(person, path)
                if role is None or person.is_blank():
                    continue
                if person.name:
                    posts.setdefault(person.name, []).append((role, path))
                question = eligibility_question(role, person.title)
                if question:
                    out.append(warning("eligibility-question", question, (*path, "title")))
                if role.category == "support" and role.qualification and not person.qualification:
                    out.append(
                        warning(
                            "qualification-missing",
                            f"支撑团队成员“{person.name or '（未填姓名）'}”未写明资质",
                            (*path, "name"),
                            f"文件要求：{role.qualification}。请在 qualification 中写明。",
                        )
                    )
        for name, held in posts.items():
            reported: set[frozenset[str]] = set()
            for role, path in held:
                for other, _ in held:
                    pair = frozenset((role.id, other.id))
                    apart = other.id in role.distinct_from or role.id in other.distinct_from
                    if role.id == other.id or not apart or pair in reported:
                        continue
                    reported.add(pair)
                    out.append(
                        error(
                            "posts-kept-apart",
                            f"“{name}”同时担任“{role.name}”和“{other.name}”，方案要求分设",
                            (*path, "name"),
                            _apart_reason(role, other),
                        )
                    )
    return out


def _apart_reason(role: Role, other: Role) -> str:
    notes = [n for n in (*role.notes, *other.notes) if "推定" in n and ("兼" in n or "同一" in n)]
    return notes[0] if notes else f"依据：{role.source.section}“{role.source.quote}”"


# A name longer than this is no person's name (the longest names in use, written with
# the middle dot, are about twenty characters): text pasted into the wrong cell.
MAX_NAME = 40
# A spreadsheet takes text beginning with one of these for a formula: =cmd|'/C calc'!A0
# typed into a form would run when the exported workbook is opened elsewhere.
_FORMULA_START = ("=", "+", "-", "@")


def _shape_findings(person: Person, path: tuple[str | int, ...]) -> list[Finding]:
    """Text that is no name, title or office: a formula, or a name far too long."""
    out: list[Finding] = []
    for field in ("name", "title", "office"):
        value = (getattr(person, field) or "").strip()
        if len(value) > 1 and value.startswith(_FORMULA_START):
            out.append(
                warning(
                    "text-formula",
                    f"{_FIELD_LABELS[field]}“{value[:40]}”以“{value[0]}”开头，"
                    "在 Excel 中会被当作公式",
                    (*path, field),
                    "多为误粘贴的公式或有意构造的内容，请改为真实的内容"
                    "（cdo export 按文本写出，不会变成公式）。",
                )
            )
    if person.name and len(person.name) > MAX_NAME:
        out.append(
            warning(
                "name-too-long",
                f"姓名有 {len(person.name)} 个字符（“{person.name[:10]}…”），不像是人名",
                (*path, "name"),
                "多为把其他内容粘贴进了姓名一栏：请只写姓名。",
            )
        )
    return out


def _contact_findings(person: Person, path: tuple[str | int, ...]) -> list[Finding]:
    out: list[Finding] = []
    if person.phone and not phone_ok(person.phone):
        out.append(
            error(
                "phone-invalid",
                f"“{person.phone}”不是有效的电话号码",
                (*path, "phone"),
                "手机写 11 位号码（如 13800138000），座机带区号（如 0663-6186213）。",
            )
        )
    if person.email:
        problem = email_problem(person.email)
        if problem:
            out.append(
                error(
                    "email-invalid",
                    f"“{person.email}”不是有效的电子邮箱：{problem}",
                    (*path, "email"),
                    "邮箱形如 name@example.cn；没有邮箱可留空。",
                )
            )
    return out


@lru_cache(maxsize=4096)
def phone_ok(text: str) -> bool:
    """A Chinese mobile or a landline with its area code (or any valid +CC number)."""
    import phonenumbers

    if _plain_mobile(text):
        return True
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number))


def email_problem(text: str) -> str | None:
    """Why an e-mail address is not valid (in Chinese), or None."""
    # A plain local part is valid whatever follows the @, and the domain is checked on its
    # own, so addresses at one domain share one check (rosters use a handful of domains).
    local, at, domain = text.rpartition("@")
    if at and len(text) <= 254 and len(local) <= 64 and _PLAIN_LOCAL.fullmatch(local):
        return _email_problem(f"x@{domain}")
    return _email_problem(text)


_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9_]+(?:[.+-][A-Za-z0-9_]+)*")


@lru_cache(maxsize=4096)
def _email_problem(text: str) -> str | None:
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        if "@" not in text:
            return "缺少 @"
        return "格式不对"
    return None


@lru_cache(maxsize=1)
def _mobile_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]] | None:
    import phonenumbers

    meta = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    general = meta.general_desc if meta else None
    mobile = meta.mobile if meta else None
    if not (meta and general and mobile and meta.national_prefix_for_parsing):
        return None
    if not (general.national_number_pattern and mobile.national_number_pattern):
        return None
    if 11 not in general.possible_length or 11 not in mobile.possible_length:
        return None
    return (
        re.compile(general.national_number_pattern),
        re.compile(mobile.national_number_pattern),
        re.compile(meta.national_prefix_for_parsing),
    )


def _plain_mobile(text: str) -> bool:
    """True for 11 plain digits that phonenumbers' own metadata calls a Chinese mobile.

    Such a number is parsed as it stands (no prefix to strip), so it is valid exactly
    when it matches the metadata's patterns; this skips the parse, which was most of the
    time of checking a province's phone numbers. Anything else takes the full path.
    """
    if len(text) != 11 or not text.isascii() or not text.isdigit() or text[0] != "1":
        return False
    patterns = _mobile_patterns()
    if patterns is None:
        return False
    general, mobile, prefix = patterns
    return bool(general.fullmatch(text) and mobile.fullmatch(text) and not prefix.match(text))


# Words that name a rank or a specialist title, not a leadership post. Longest first, so
# that "主任科员" is taken as a rank before "主任" could be read as a post.
_RANKS = [
    "一级调研员", "二级调研员", "三级调研员", "四级调研员", "调研员",
    "一级主任科员", "二级主任科员", "三级主任科员", "四级主任科员", "主任科员",
    "一级科员", "二级科员", "科员", "办事员", "巡视员", "主任督学", "督学",
    "总规划师", "总经济师", "总工程师", "总会计师", "总师",
]  # fmt: skip
_POSTS = re.compile(
    r"(局长|区长|县长|市长|镇长|主任|书记|常委|部长|秘书长|党组成员|党委委员|党工委委员|"
    r"院长|庭长|主席|总经理|董事长|大队长|队长|政委|处长|关长|行长|领导|班子成员|委员)"
)
_RULE_WORDS = {
    EligibilityRule.deputy_or_above: "行政副职及以上领导",
    EligibilityRule.leadership: "领导",
    EligibilityRule.leadership_team: "领导班子成员",
    EligibilityRule.principal: "主要领导（正职）",
}


def eligibility_question(role: Role, title: str | None) -> str | None:
    """A question for a person when a 职务 does not obviously meet the role's eligibility."""
    if role.eligibility_rule is EligibilityRule.none:
        return None
    need = f"“{role.eligibility or _RULE_WORDS[role.eligibility_rule]}”"
    if not title:
        return f"未填写职务，无法判断是否符合{need}，请补充"
    rest = title
    ranks: list[str] = []
    for rank in _RANKS:
        if rank in rest:
            ranks.append(rank)
            rest = rest.replace(rank, "、")
    posts = list(_POSTS.finditer(rest))
    if ranks and not posts:
        return f"“{title}”中的“{ranks[0]}”是职级或专业职务而非领导职务，是否符合{need}？请人工确认"
    if not posts:
        return f"从职务“{title}”看不出是否符合{need}，请人工确认"
    deputy_only = all(m.start() > 0 and rest[m.start() - 1] == "副" for m in posts)
    if role.eligibility_rule is EligibilityRule.principal and deputy_only:
        return f"“{title}”看起来是副职，是否符合{need}？请人工确认"
    return None


def check_filings(loaded: LoadedRoster) -> list[Finding]:
    """Filings for duties a unit does not owe, with bad periods, or dated before the scheme."""
    out: list[Finding] = []
    scheme = loaded.scheme
    issued = scheme.document.issued
    for unit, key, entry in _units(loaded):
        for i, filing in enumerate(entry.filings):
            path: tuple[str | int, ...] = ("units", key, "filings", i)
            ob = scheme.obligation(filing.obligation)
            if ob is None:
                out.append(obligation_unknown(scheme, filing.obligation, (*path, "obligation")))
                continue
            if not ob.owed_by.matches(unit):
                owed = [o.id for o in scheme.obligations if o.owed_by.matches(unit)]
                out.append(
                    error(
                        "filing-not-owed",
                        f"“{unit.name}”不承担“{ob.title}”，不应有这项报送记录",
                        (*path, "obligation"),
                        f"本单位承担的事项：{'、'.join(owed)}" if owed else None,
                    )
                )
            if filing.date < issued:
                out.append(
                    error(
                        "filing-before-issue",
                        f"报送日期 {filing.date} 早于方案印发日期 {issued}",
                        (*path, "date"),
                        "请核对日期。",
                    )
                )
            due = ob.due
            if due is not None and due.every is not None:
                if filing.period is not None and (
                    filing.period < (due.first_period or 0)
                    or (due.last_period is not None and filing.period > due.last_period)
                ):
                    out.append(
                        error(
                            "filing-period",
                            f"“{ob.title}”从 {due.first_period} 年起计，没有 {filing.period} 年度",
                            (*path, "period"),
                            f"period 写报送所属的年度，自 {due.first_period} 年起。",
                        )
                    )
            elif filing.period is not None:
                out.append(
                    error(
                        "filing-period",
                        f"“{ob.title}”是一次性事项，不分年度",
                        (*path, "period"),
                        "请删除 period。",
                    )
                )
    return out


def obligation_unknown(scheme: Scheme, obligation: str, path: Path_ = ()) -> Finding:
    """The finding for a filing of a duty the scheme does not have."""
    return error(
        "obligation-unknown",
        f"“{obligation}”不是本方案的事项",
        path,
        did_you_mean(obligation, [o.id for o in scheme.obligations])
        or "运行 cdo policy show 查看事项 id。",
    )


def check_history(loaded: LoadedRoster) -> list[Finding]:
    """Past holders: a role the unit has, and dates that can be (left after appointed,
    neither before the scheme created the post).

    Current holders' appointment dates are checked here too: nobody held a post before
    the document that created it was issued.
    """
    out: list[Finding] = []
    scheme = loaded.scheme
    issued = scheme.document.issued
    for unit, key, entry in _units(loaded):
        for role_key, people in entry.officers.items():
            for i, person in enumerate(people):
                path: Path_ = ("units", key, "officers", role_key, i, "appointed")
                out += _appointed_before_issue(person.appointed, issued, path)
        for i, past in enumerate(entry.history):
            path = ("units", key, "history", i)
            role = scheme.role(past.role)
            if role is None or not role.applies_to.matches(unit):
                out.append(role_problem(scheme, unit, past.role, (*path, "role")))
            out += _appointed_before_issue(past.appointed, issued, (*path, "appointed"))
            if past.appointed is not None and past.ended < past.appointed:
                out.append(
                    error(
                        "history-dates",
                        f"卸任日期 {past.ended} 早于任命日期 {past.appointed}",
                        (*path, "ended"),
                        "请核对日期：ended 是卸任（免职）日期，appointed 是任命日期。",
                    )
                )
            elif past.ended < issued:
                out.append(
                    error(
                        "history-dates",
                        f"卸任日期 {past.ended} 早于方案印发日期 {issued}",
                        (*path, "ended"),
                        "方案印发后才设立这一职位，请核对日期。",
                    )
                )
    return out


def _appointed_before_issue(day: dt.date | None, issued: dt.date, path: Path_) -> list[Finding]:
    if day is None or day >= issued:
        return []
    return [
        error(
            "appointed-before-issue",
            f"任命日期 {day} 早于方案印发日期 {issued}",
            path,
            "方案印发后才设立这一职位，请核对日期。",
        )
    ]


@dataclass(frozen=True)
class UnitState:
    """How complete one unit's entry is."""

    unit: Unit
    state: str  # complete | incomplete | missing
    missing_roles: tuple[Role, ...]


def unit_states(loaded: LoadedRoster) -> list[UnitState]:
    """Completeness of every unit that must have some role."""
    states: list[UnitState] = []
    for unit in loaded.scheme.units:
        required = [r for r in loaded.scheme.roles if r.required and r.applies_to.matches(unit)]
        if not required:
            continue
        if loaded.entry(unit) is None:
            states.append(UnitState(unit, "missing", tuple(required)))
            continue
        if unit.name in loaded.invalid:
            states.append(UnitState(unit, "incomplete", ()))
            continue
        short = tuple(
            r for r in required if len(loaded.holders(unit, r.id)) < max(r.holders.min, 1)
        )
        states.append(UnitState(unit, "incomplete" if short else "complete", short))
    return states


def check_completeness(loaded: LoadedRoster) -> list[Finding]:
    """Units in scope with no entry, and required roles left blank."""
    out: list[Finding] = []
    for state in unit_states(loaded):
        names = "、".join(r.name for r in state.missing_roles)
        if state.state == "missing":
            out.append(
                warning(
                    "unit-missing",
                    f"“{state.unit.name}”在方案范围内，但名册中没有这个单位（需设：{names}）",
                    ("units",),
                    "可运行 cdo init 生成包含全部单位的模板。",
                )
            )
        elif state.state == "incomplete":
            key = loaded.entries[state.unit.name][0]
            for role in state.missing_roles:
                entry = loaded.entries[state.unit.name][1]
                path: tuple[str | int, ...] = ("units", key)
                if role.id in entry.officers:
                    path = (*path, "officers", role.id)
                out.append(
                    warning(
                        "role-missing",
                        f"“{state.unit.name}”的“{role.name}”尚未填写",
                        path,
                        f"依据：{role.source.section}“{role.source.quote}”",
                    )
                )
    return out


def summary(loaded: LoadedRoster) -> dict[str, dict[str, int]]:
    """Per unit kind (Chinese label): how many units are complete, incomplete, missing."""
    out: dict[str, dict[str, int]] = {}
    order = list(UnitKind)
    for state in sorted(unit_states(loaded), key=lambda s: order.index(s.unit.kind)):
        row = out.setdefault(
            KIND_LABELS[state.unit.kind], {"complete": 0, "incomplete": 0, "missing": 0}
        )
        row[state.state] += 1
    return out
