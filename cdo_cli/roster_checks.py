"""Checks of a roster against its scheme: pure functions that return findings.

Each ``check_*`` takes a :class:`LoadedRoster` and returns findings with key paths;
the caller places them at file:line:column.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

from .findings import Finding, Path_, error, warning
from .policy import KIND_LABELS, OpenList, Role, Scheme, Unit
from .roster import Person, UnitEntry
from .roster_evaluations import check_evaluations
from .roster_loading import LoadedRoster
from .suggest import did_you_mean
from .text import CONTROL_HINT, control_message, controls, has_controls


def check_roster(loaded: LoadedRoster, as_of: dt.date | None = None) -> list[Finding]:
    """Every cross-record finding for a roster whose shape is valid, as of a date.

    ``as_of`` None takes every unit and role in its widest scope, whatever the date.
    """
    from .roster_coverage import check_union

    return [*check_own(loaded, as_of), *(f for _, f in check_union([loaded], as_of))]


def check_own(loaded: LoadedRoster, as_of: dt.date | None = None) -> list[Finding]:
    """The findings of one roster file alone: all but completeness and minimum counts,
    which a scheme's rosters share (:func:`cdo_cli.roster_coverage.check_union`)."""
    return [
        *check_text(loaded),
        *check_scope(loaded, as_of),
        *check_roles(loaded, as_of),
        *check_people(loaded),
        *check_filings(loaded),
        *check_history(loaded),
        *check_evaluations(loaded),
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


def check_roles(loaded: LoadedRoster, as_of: dt.date | None = None) -> list[Finding]:
    """Roles that do not exist, that a unit's kind cannot have, or with too many holders."""
    out: list[Finding] = []
    scheme = loaded.scheme
    for unit, key, entry in _units(loaded):
        day = as_of if unit.in_force(as_of) else None  # a unit not yet in: its own finding
        for role_key, people in entry.officers.items():
            path = ("units", key, "officers", role_key)
            role = scheme.role(role_key)
            if role is None or role.applies(unit, day, entry.attributes) is False:
                out.append(post_problem(scheme, unit, role_key, path, day, entry.attributes))
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


def post_problem(
    scheme: Scheme,
    unit: Unit,
    role_key: str,
    path: Path_,
    day: dt.date | None,
    attributes: Mapping[str, bool | None],
) -> Finding:
    """Why a unit cannot hold ``role_key`` on ``day``: not yet (or no longer) in force, a
    post beyond a list the document ends with 等 (a warning), or :func:`role_problem`."""
    role = scheme.role(role_key)
    if role is not None and role.applies(unit, None, attributes) is not False:
        return _not_in_force(role, unit, day, path)
    return unlisted_post(scheme, unit, role_key, path) or role_problem(scheme, unit, role_key, path)


def unlisted_post(scheme: Scheme, unit: Unit, role_key: str, path: Path_ = ()) -> Finding | None:
    """The warning for a post beyond a list the document ends with 等 (role-unlisted),
    when ``unit`` may set one up; None when ``role_key`` is not such a post.

    A key one letter off a role's id or name is a typo (数据岗 for 数据岗位), and a role's
    own name is that role (written by its name instead of its id): neither is another post.
    """
    listed = open_list(scheme, unit)
    if listed is None or scheme.role(role_key) is not None:
        return None
    known = [n for r in scheme.roles for n in (r.id, r.name, *r.aliases)]
    if role_key in known or difflib.get_close_matches(role_key, known, 1, 0.85):
        return None
    if not named_alike(scheme, listed, role_key):
        return None
    names = "、".join(r.name for i in listed.roles if (r := scheme.role(i)) is not None)
    return warning(
        "role-unlisted",
        f"“{role_key}”不是文件所列的岗位；文件所列为“{names}等”，可另设同类岗位",
        path,
        f"请核对是否确属同类岗位。依据：{listed.source.section}“{listed.source.quote}”",
    )


def same_kind(scheme: Scheme, listed: OpenList) -> tuple[str, str]:
    """How the posts a list names are all named: the ending of their names (岗位 for
    规划岗位、数据岗位…等) and the start of their ids (support_). Another post of the same
    kind is named alike; either is empty when the posts share none, or only one is named
    (its whole name is no pattern)."""
    roles = [r for i in listed.roles if (r := scheme.role(i)) is not None]
    if len(roles) < 2:
        return "", ""
    names = [r.name for r in roles]
    ending = ""
    while names and len(ending) < min(map(len, names)):
        longer = names[0][-len(ending) - 1 :]
        if not all(n.endswith(longer) for n in names):
            break
        ending = longer
    common: list[str] = []
    for words in zip(*(r.id.split("_") for r in roles), strict=False):
        if len(set(words)) != 1:
            break
        common.append(words[0])
    return ending, "".join(w + "_" for w in common)


def named_alike(scheme: Scheme, listed: OpenList, key: str) -> bool:
    """True when ``key`` is named as the posts of ``listed`` are (see :func:`same_kind`)."""
    ending, start = same_kind(scheme, listed)
    if not (ending or start):
        return True
    return bool(ending and key.endswith(ending)) or bool(start and key.startswith(start))


def _alike_hint(scheme: Scheme, listed: OpenList) -> str:
    ending, start = same_kind(scheme, listed)
    names = "、".join(r.name for i in listed.roles if (r := scheme.role(i)) is not None)
    rule = "，或 ".join(
        [
            *([f"名称以“{ending}”结尾"] if ending else []),
            *([f"id 以 {start} 开头"] if start else []),
        ]
    )
    return f"文件所列“{names}等”之外可另设同类岗位：{rule}"


def open_list(scheme: Scheme, unit: Unit) -> OpenList | None:
    """The list ending with 等 that lets ``unit`` set up posts beyond those named, if any."""
    return next((o for o in scheme.open_lists if o.applies_to.matches(unit)), None)


def _not_in_force(role: Role, unit: Unit, day: dt.date | None, path: Path_) -> Finding:
    if role.effective is not None and day is not None and not role.effective.contains(day):
        when = role.effective.outside(day)
    else:  # in only from a later stage of the role's scope
        stage = role.stage(unit)
        note = (stage.text + ("，推定" if stage.assumed else "")) if stage else ""
        when = f"自 {stage.since} 起才适用（{note}），截至 {day} 尚未开始" if stage else ""
    return warning(
        "not-in-force",
        f"{KIND_LABELS[unit.kind]}“{unit.name}”的“{role.name}”{when}",
        path,
        "请核对日期（cdo validate --as-of 日期）；名册可以提前填写，已不再设立的职位可移入 history。",
    )


def check_scope(loaded: LoadedRoster, as_of: dt.date | None = None) -> list[Finding]:
    """Units listed before (or after) the dates they are in scope, and unknown attributes."""
    out: list[Finding] = []
    scheme = loaded.scheme
    declared = {a.id for a in scheme.attributes}
    for unit, key, entry in _units(loaded):
        if as_of is not None and unit.effective is not None and not unit.in_force(as_of):
            out.append(
                warning(
                    "not-in-force",
                    f"{KIND_LABELS[unit.kind]}“{unit.name}”不在方案范围内："
                    f"{unit.effective.outside(as_of)}",
                    ("units", key),
                    "请核对日期（cdo validate --as-of 日期）；名册可以提前填写。",
                )
            )
        for name in entry.attributes:
            if name not in declared:
                out.append(
                    error(
                        "attribute-unknown",
                        f"“{name}”不是本方案的单位属性",
                        ("units", key, "attributes", name),
                        did_you_mean(name, declared)
                        or (
                            "本方案的单位属性："
                            + "、".join(f"{a.id}（{a.name}）" for a in scheme.attributes)
                            if scheme.attributes
                            else "本方案没有单位属性：请删去 attributes。"
                        ),
                    )
                )
    return out


def role_problem(scheme: Scheme, unit: Unit, role_key: str, path: Path_ = ()) -> Finding:
    """Why ``role_key`` cannot be held in ``unit``: not a role of the scheme, or not of its kind."""
    allowed = [r.id for r in scheme.roles if r.applies_to.matches(unit)]
    posts = "、".join(f"{r.id}（{r.name}）" for r in scheme.roles if r.id in allowed)
    role = scheme.role(role_key)
    if role is None:
        by_name = [r.id for r in scheme.roles if role_key in (r.name, *r.aliases)]
        hint = (
            f"请用职位 id：{'、'.join(i for i in by_name if i in allowed) or by_name[0]}"
            if by_name
            else did_you_mean(role_key, [r.id for r in scheme.roles])
            or f"本单位可设的职位：{posts}"
        )
        listed = open_list(scheme, unit)
        if listed is not None and not by_name and not named_alike(scheme, listed, role_key):
            hint += "。" + _alike_hint(scheme, listed)
        return error("role-unknown", f"“{role_key}”不是本方案的职位", path, hint)
    return error(
        "role-not-allowed",
        f"{KIND_LABELS[unit.kind]}“{unit.name}”不设“{role.name}”（{role.id}）",
        path,
        f"本单位可设的职位：{posts}" if allowed else None,
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
                out += _eligibility(role, person.title, (*path, "title"))
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
                    sides = [
                        r for r, o in ((role, other), (other, role)) if o.id in r.distinct_from
                    ]
                    if role.id == other.id or not sides or pair in reported:
                        continue
                    reported.add(pair)
                    out.append(_kept_apart(name, role, other, sides, (*path, "name")))
    return out


def _kept_apart(name: str, role: Role, other: Role, sides: list[Role], path: Path_) -> Finding:
    """Two posts one person holds that the scheme keeps apart: an error where the document
    says so, a warning where the scheme only assumes it (every side marks it assumed)."""
    stated = [r for r in sides if not r.distinct_assumed]
    if stated:
        message = f"“{name}”同时担任“{role.name}”和“{other.name}”，方案要求分设"
        notes = [
            n for n in (*role.notes, *other.notes) if "推定" in n and ("兼" in n or "同一" in n)
        ]
        reason = (
            notes[0] if notes else f"依据：{stated[0].source.section}“{stated[0].source.quote}”"
        )
        return error("posts-kept-apart", message, path, reason)
    return warning(
        "posts-kept-apart",
        f"“{name}”同时担任“{role.name}”和“{other.name}”，方案推定二者分设（推定），请核对",
        path,
        f"推定的理由：{sides[0].distinct_assumption}",
    )


def _eligibility(role: Role, title: str | None, path: Path_) -> list[Finding]:
    """A question about a 职务, or an error where the document's rule is firm (not 原则上)
    and the words plainly do not meet it."""
    from .eligibility import judge

    verdict = judge(role, title)
    if verdict is None:
        return []
    if verdict.why and role.eligibility_strict:
        need = role.eligibility or role.eligibility_rule.value
        return [
            error(
                "eligibility-mismatch",
                f"{verdict.why}，不符合文件规定的“{need}”",
                path,
                f"依据：{role.source.section}“{role.source.quote}”；如确属例外，请在 note 中说明。",
            )
        ]
    hint = "文件规定为“原则上”，可有例外。" if "原则上" in (role.eligibility or "") else None
    return [warning("eligibility-question", verdict.question, path, hint)]


# A name longer than this is no person's name (the longest names in use, written with
# the middle dot, are about twenty characters): text pasted into the wrong cell.
MAX_NAME = 40
# A spreadsheet takes text beginning with one of these for a formula: =cmd|'/C calc'!A0
# typed into a form would run when the exported workbook is opened elsewhere.
_FORMULA_START = ("=", "+", "-", "@")
_FORMULA_CHARS = "".join(_FORMULA_START)


def _shape_findings(person: Person, path: tuple[str | int, ...]) -> list[Finding]:
    """Text that is no name, title or office: a formula, or a name far too long."""
    out: list[Finding] = []
    for field in ("name", "title", "office"):
        value = getattr(person, field)
        if not value or (value[0] not in _FORMULA_CHARS and not value[0].isspace()):
            continue  # nearly always: starts with a character no formula starts with
        value = value.strip()
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

    if _plain_mobile(text) or _plain_landline(text):
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


@lru_cache(maxsize=1)
def _landline_patterns() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[int]] | None:
    import phonenumbers

    meta = phonenumbers.PhoneMetadata.metadata_for_region("CN")
    general = meta.general_desc if meta else None
    fixed = meta.fixed_line if meta else None
    if not (meta and general and fixed and meta.national_prefix == "0"):
        return None
    if meta.national_prefix_transform_rule or not meta.national_prefix_for_parsing:
        return None
    if not (general.national_number_pattern and fixed.national_number_pattern):
        return None
    lengths = frozenset(general.possible_length) & frozenset(fixed.possible_length)
    return (
        re.compile(general.national_number_pattern),
        re.compile(fixed.national_number_pattern),
        lengths,
    )


# 0 + an area code of 2 or 3 digits (never starting with 0: "00" dials abroad), an
# optional hyphen, and 7 or 8 digits: 0663-6186213, 020-83331234, 07552345678.
_LANDLINE = re.compile(r"0[1-9][0-9]{1,2}-?[0-9]{7,8}")


def _plain_landline(text: str) -> bool:
    """True for a landline written as 0663-6186213 that phonenumbers' own metadata calls
    a Chinese fixed line; False means "ask the full parser", never "invalid".

    The parser strips the national prefix 0 from such a number (no CN number begins with
    0 once the prefix is gone, so the number with it is never viable) and calls it valid
    when the rest matches the general pattern and any one type, fixed lines among them.
    Checked against phonenumbers in tests/test_bench.py.
    """
    if len(text) > 13 or not text.isascii() or _LANDLINE.fullmatch(text) is None:
        return False
    patterns = _landline_patterns()
    if patterns is None:
        return False
    general, fixed, lengths = patterns
    national = text[1:].replace("-", "")
    return (
        len(national) in lengths
        and general.fullmatch("0" + national) is None  # the prefix is stripped, as above
        and general.fullmatch(national) is not None
        and fixed.fullmatch(national) is not None
    )


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
            # An attribute the roster states decides a duty as it decides a post.
            if ob.owed_by.state(unit, entry.attributes) is False:
                owed = [
                    o.id for o in scheme.obligations if o.owed_by.matches(unit, entry.attributes)
                ]
                out.append(
                    error(
                        "filing-not-owed",
                        f"“{unit.name}”不承担“{ob.title}”，不应有这项报送记录",
                        (*path, "obligation"),
                        f"本单位承担的事项：{'、'.join(owed)}" if owed else None,
                    )
                )
            if issued is not None and filing.date < issued:
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
    if issued is None:
        out += _issue_date_unknown(loaded)
    for unit, key, entry in _units(loaded):
        for role_key, people in entry.officers.items():
            for i, person in enumerate(people):
                path: Path_ = ("units", key, "officers", role_key, i, "appointed")
                out += _appointed_before_issue(person.appointed, issued, path)
        for i, past in enumerate(entry.history):
            path = ("units", key, "history", i)
            role = scheme.role(past.role)
            if role is None or role.applies(unit, None, entry.attributes) is False:
                problem = post_problem(scheme, unit, past.role, (*path, "role"), None, {})
                if problem.code != "role-unlisted":  # a post beyond 等: said where it is held
                    out.append(problem)
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
            elif issued is not None and past.ended < issued:
                out.append(
                    error(
                        "history-dates",
                        f"卸任日期 {past.ended} 早于方案印发日期 {issued}",
                        (*path, "ended"),
                        "方案印发后才设立这一职位，请核对日期。",
                    )
                )
    return out


def _issue_date_unknown(loaded: LoadedRoster) -> list[Finding]:
    """Said once, when the roster has dates that would be checked against the issue date."""
    dated = any(
        e.filings or e.history or any(p.appointed for ps in e.officers.values() for p in ps)
        for _, (_, e) in loaded.entries.items()
    )
    if not dated:
        return []
    return [
        warning(
            "issue-date-unknown",
            "方案未载明印发日期：未检查报送、任命、卸任日期是否早于印发日期",
            ("scheme",),
            "方案文件的 document.issued 为空（文件未载明）；其余检查照常进行。",
        )
    ]


def _appointed_before_issue(
    day: dt.date | None, issued: dt.date | None, path: Path_
) -> list[Finding]:
    if day is None or issued is None or day >= issued:
        return []
    return [
        error(
            "appointed-before-issue",
            f"任命日期 {day} 早于方案印发日期 {issued}",
            path,
            "方案印发后才设立这一职位，请核对日期。",
        )
    ]
