"""What an import or a record would change in a roster: a plan to show, then to apply.

A :class:`Plan` lists, unit by unit, the people added, changed (old → new, field by
field) and removed, and the filings added; and what stops it being applied: conflicts
(two files give different people for one post) and problems (a unit or role the scheme
does not have). :func:`plan_import` builds one from files read by the readers;
:func:`plan_filing` and :func:`plan_appointment` from ``cdo record``. :func:`apply_plan`
makes the changes on a :class:`~cdo_cli.roster_edit.Ledger`: a holder who is replaced
or removed is kept in the unit's history, never deleted.

Rules for imports:

- Only what a file says is compared: a field left empty in a file never clears the
  roster's value (a blank cell on a form means "not filled in"), except where the file
  says the field is empty (``PersonRecord.clears``: a cell emptied in the workbook
  ``cdo export`` wrote), shown as old → （空）. A person the file does not name stays,
  except in the posts a file speaks for (``ImportedFile.posts``: the sections a form
  has, the posts a spreadsheet has rows for), where a person left out is shown as
  removed.
- A phone Excel turned into scientific notation (1.39123E+10: the last digits are
  lost) is a problem that stops the write, not a number to keep.
- A post that already has a different person is a change (the old holder goes into the
  history), never a silent replacement.
- The same person twice (the same file imported twice, or two copies) is one; two
  different people, or one person with two different phones, for a one-person post is a
  conflict naming both places.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from .errors import CdoError, ExitCode, NotFoundError
from .findings import Finding
from .policy import Holders, Role
from .records import PERSON_FIELDS, FilingRecord, ImportedFile, PersonRecord, ScoreRecord, Where
from .roster import Filing, PastHolder, Person, UnitEntry
from .roster_checks import obligation_unknown, open_list, role_problem, unlisted_post
from .roster_evaluations import EvaluationChange, plan_evaluations
from .suggest import did_you_mean

if TYPE_CHECKING:
    from .policy import Scheme, Unit
    from .roster_edit import Ledger, Proposal
    from .roster_loading import LoadedRoster

# The fields a change can touch, in the order they are shown.
FIELDS = ("name", "title", "office", "phone", "email", "qualification", "appointed", "note")
FIELD_LABELS = {
    "name": "姓名",
    "title": "职务",
    "office": "科室",
    "phone": "联系电话",
    "email": "电子邮箱",
    "qualification": "资质",
    "appointed": "任命日期",
    "note": "备注",
}


@dataclass(frozen=True)
class FieldChange:
    """One field of one person: what it says now, and what it will say (None: empty)."""

    field: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class PersonChange:
    """A holder added, changed or removed in one post of one unit."""

    unit: str  # the unit's full name
    role: str
    action: Literal["added", "changed", "removed"]
    old: Person | None
    new: Person | None
    fields: tuple[FieldChange, ...] = ()
    source: Where | None = None

    @property
    def replaces(self) -> bool:
        """True when another person takes the post (the old holder goes into the history)."""
        return (
            self.old is not None
            and self.new is not None
            and name_key(self.old.name) != name_key(self.new.name)
        )

    @property
    def to_history(self) -> bool:
        """True when the old holder is kept in the unit's history."""
        return self.action == "removed" or self.replaces


@dataclass(frozen=True)
class FilingChange:
    """A filing recorded for a unit."""

    unit: str
    filing: Filing
    source: Where | None = None


@dataclass(frozen=True)
class Conflict:
    """Two places give different answers for the same post; nothing is written."""

    unit: str
    role: str
    first: PersonRecord
    second: PersonRecord
    detail: str  # what differs: 姓名“张三”/“李四”, 联系电话…


@dataclass(frozen=True)
class Problem:
    """Something in a file that cannot be imported (an unknown unit or role); as one of a
    plan's ``warnings``, something to check that does not stop the write (``code``:
    the finding code validate gives it, such as role-unlisted)."""

    message: str
    hint: str | None = None
    source: Where | None = None
    code: str | None = None


@dataclass
class Plan:
    """The changes to one roster, and what stops them."""

    roster: str
    scheme: Scheme
    people: list[PersonChange] = field(default_factory=list)
    filings: list[FilingChange] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    evaluations: list[EvaluationChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when applying the plan would change nothing."""
        return not self.people and not self.filings and not self.evaluations

    @property
    def blocked(self) -> bool:
        """True when conflicts or problems stop the plan from being applied."""
        return bool(self.conflicts or self.problems)

    def units(self) -> list[str]:
        """The units the plan touches, in the scheme's order."""
        touched = {c.unit for c in self.people} | {c.unit for c in self.filings}
        touched |= {c.unit for c in self.evaluations}
        return [u.name for u in self.scheme.units if u.name in touched]


# ---------------------------------------------------------------- building plans


def name_key(name: str | None) -> str:
    """A person's name as names are compared: ``张 三`` typed in the roster is 张三 on a form."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name or ""))


def _diff(old: Person | None, new: Person | None) -> tuple[FieldChange, ...]:
    before = _fields(old)
    after = _fields(new)
    return tuple(
        FieldChange(k, before.get(k), after.get(k)) for k in FIELDS if before.get(k) != after.get(k)
    )


def _fields(person: Person | None) -> dict[str, str]:
    if person is None:
        return {}
    data = person.model_dump()
    return {k: str(v) for k in FIELDS if (v := data.get(k)) is not None}


def _change(
    unit: Unit, role: str, old: Person | None, new: Person | None, source: Where | None = None
) -> PersonChange | None:
    """The change from ``old`` to ``new`` in a post, or None when they are the same."""
    if old is None and new is None:
        return None
    action: Literal["added", "changed", "removed"] = (
        "added" if old is None else "removed" if new is None else "changed"
    )
    fields = _diff(old, new)
    if action == "changed" and not fields:
        return None
    return PersonChange(unit.name, role, action, old, new, fields, source)


def plan_filing(loaded: LoadedRoster, unit: Unit, filing: Filing) -> Plan:
    """Record one filing (nothing to do if the same filing is there already)."""
    plan = Plan(loaded.name, loaded.scheme)
    entry = loaded.entry(unit)
    if entry is not None and _has_filing(entry.filings, filing):
        plan.notes.append(f"“{unit.name}”已有这条报送记录，名册未改动。")
    else:
        plan.filings.append(FilingChange(unit.name, filing))
    return plan


def _has_filing(filings: Sequence[Filing], filing: Filing) -> bool:
    return any(
        (f.obligation, f.period, f.date) == (filing.obligation, filing.period, filing.date)
        for f in filings
    )


def plan_appointment(
    loaded: LoadedRoster, unit: Unit, role: Role, person: Person, *, replace: str | None = None
) -> Plan:
    """Appoint ``person`` to ``role`` in ``unit``.

    In a one-person post the current holder is replaced (and kept in the history). In a
    post for several people the person is added, or takes the place of ``replace``.
    Appointing the person who already holds the post updates what is given.
    """
    plan = Plan(loaded.name, loaded.scheme)
    current = loaded.holders(unit, role.id)
    same = next((p for p in current if name_key(p.name) == name_key(person.name)), None)
    if replace is not None:
        old = next((p for p in current if p.name == replace), None)
        if old is None:
            names = "、".join(p.name or "（未填姓名）" for p in current) or "（无）"
            raise NotFoundError(
                f"名册中“{unit.name}”的“{role.name}”没有“{replace}”",
                hint=f"现任：{names}",
            )
    elif same is not None:
        old = same
    elif role.holders.max == 1 and current:
        old = current[0]
    else:
        old = None
    same_person = old is not None and name_key(old.name) == name_key(person.name)
    if old is not None and same_person and old.appointed and person.appointed:
        person = person.model_copy(update={"appointed": old.appointed})
    if old is not None and same_person:
        # The same person: what is given is updated, the rest kept.
        given = {k: v for k, v in person.model_dump().items() if v is not None}
        person = old.model_copy(update=given)
    change = _change(unit, role.id, old, person)
    if change is None:
        plan.notes.append(f"“{unit.name}”的“{role.name}”已是{person.name}，名册未改动。")
    else:
        plan.people.append(change)
    return plan


def other_post(scheme: Scheme, unit: Unit, key: str) -> tuple[Role, Finding] | None:
    """A post ``unit`` may set up beyond a list the document ends with 等, as a role of its
    own, with the warning validate gives it (role-unlisted); None if ``key`` is not one.

    The role is not in the scheme: its id and name are ``key``, its kind the list's, and
    it may have any number of holders.
    """
    found = unlisted_post(scheme, unit, key)
    listed = open_list(scheme, unit)
    if found is None or listed is None:
        return None
    # Built without validation: the key is the roster's, not a scheme id.
    role = Role.model_construct(
        id=key,
        name=key,
        category=listed.category,
        applies_to=listed.applies_to,
        required=False,
        holders=Holders(min=0, max=None),
        source=listed.source,
    )
    return role, found


def warn(plan: Plan, found: Finding, where: Where | None = None) -> None:
    """Add a finding to the plan's warnings, once."""
    shown = Problem(found.message, found.hint, where, found.code)
    if not any((w.message, w.source) == (shown.message, where) for w in plan.warnings):
        plan.warnings.append(shown)


def plan_import(
    roster: LoadedRoster, files: Sequence[ImportedFile], scheme: Scheme | None = None
) -> Plan:
    """What importing ``files`` into ``roster`` would change; see the module's rules."""
    from .lookup import UnitNames

    scheme = scheme or roster.scheme
    plan = Plan(roster.name, scheme)
    names = UnitNames(scheme)
    index = names.index
    wanted: dict[tuple[str, str], list[PersonRecord]] = {}
    others: dict[tuple[str, str], Role] = {}  # posts beyond a list ending in 等
    covered: set[tuple[str, str]] = set()
    filings: list[tuple[Unit, FilingRecord]] = []
    scores: list[ScoreRecord] = []
    seen_problems: set[tuple[str, str]] = set()

    def problem(message: str, hint: str | None, where: Where) -> None:
        if (message, where.file) not in seen_problems:
            seen_problems.add((message, where.file))
            plan.problems.append(Problem(message, hint, where))

    def find(name: str, where: Where) -> Unit | None:
        unit = names.find(name)
        if unit is None:
            problem(
                f"“{name}”不是{scheme.city}方案范围内的单位",
                did_you_mean(name, index) or "运行 cdo policy show 查看单位名单。",
                where,
            )
        return unit

    for imported in files:
        if imported.scheme is not None and imported.scheme != scheme.id:
            problem(
                f"{imported.path} 是“{imported.scheme}”方案的表格，名册 {roster.name} 是{scheme.city}方案",
                "用 --roster 指定该方案的名册。",
                Where(imported.path),
            )
            continue
        plan.notes += [
            n if n.startswith(imported.path) else f"{imported.path}：{n}" for n in imported.notes
        ]
        if imported.empty:
            continue  # a blank form says nothing, not that everyone left
        if imported.posts is not None:
            for name, role_id in imported.posts:
                unit = find(name, Where(imported.path))
                if unit is not None:
                    covered.add((unit.name, role_id))
        for name in imported.units if imported.posts is None else ():
            unit = find(name, Where(imported.path))
            if unit is not None:
                covered |= {(unit.name, r) for r in _covered_roles(scheme, unit, imported.form)}
        for record in imported.people:
            unit = find(record.unit, record.where)
            if unit is None:
                continue
            role = scheme.role(record.role)
            other = other_post(scheme, unit, record.role) if role is None else None
            if other is not None:
                role = others[(unit.name, record.role)] = other[0]
                warn(plan, other[1], record.where)
            elif role is None or role.applies(unit) is False:  # any stage, any attribute
                found = role_problem(scheme, unit, record.role)
                problem(found.message, found.hint, record.where)
                continue
            if not record.person.get("name"):
                problem(
                    f"“{unit.name}”的“{role.name}”一行没有姓名，无法导入",
                    "请在表格中填写姓名。",
                    record.where,
                )
                continue
            mangled = mangled_phone(record.person.get("phone", ""))
            if mangled:
                problem(
                    f"“{unit.name}”的“{role.name}”{record.person['name']}的联系电话"
                    f"“{mangled}”是 Excel 的科学计数法，号码的后几位已经丢失",
                    "请在表格中重新输入完整的号码（在 Excel 中先把这一列设为“文本”格式）。",
                    record.where,
                )
                continue
            wanted.setdefault((unit.name, role.id), []).append(record)
        for filing in imported.filings:
            unit = find(filing.unit, filing.where)
            if unit is None:
                continue
            if scheme.obligation(filing.obligation) is None:
                found = obligation_unknown(scheme, filing.obligation)
                problem(found.message, found.hint, filing.where)
                continue
            filings.append((unit, filing))
        scores += imported.evaluations

    for unit in scheme.units:
        own = [r for (name, _), r in others.items() if name == unit.name]
        for role in [*scheme.roles, *own]:
            key = (unit.name, role.id)
            if key in wanted or key in covered:
                _plan_post(plan, roster, unit, role, wanted.get(key, []), key in covered)
    _plan_filings(plan, roster, filings)
    plan_evaluations(plan, roster, scores, find, problem)
    return plan


_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?[eE]\+?\d{1,2}")


def mangled_phone(text: str) -> str | None:
    """The part of a phone cell that Excel wrote in scientific notation (1.39123E+10), if any."""
    found = _SCIENTIFIC.search(text)
    return found.group() if found else None


def _covered_roles(scheme: Scheme, unit: Unit, form_id: str | None) -> list[str]:
    """The roles a file that does not list its posts speaks for in a unit: its form's,
    or all (a spreadsheet)."""
    form = scheme.form(form_id) if form_id else None
    if form is None:
        return [r.id for r in scheme.roles if r.applies(unit) is not False]
    return [s.role for s in form.sections if s.role is not None]


def _plan_post(
    plan: Plan,
    roster: LoadedRoster,
    unit: Unit,
    role: Role,
    records: list[PersonRecord],
    covered: bool,
) -> None:
    """Changes in one post: the people the files name against the roster's holders."""
    people: dict[str, tuple[dict[str, str], PersonRecord]] = {}
    cleared: dict[str, set[str]] = {}
    for record in records:
        name = name_key(record.person["name"])
        cleared.setdefault(name, set()).update(record.clears)
        if name not in people:
            if role.holders.max == 1 and people:
                first = next(iter(people.values()))[1]
                detail = f"姓名“{first.person['name']}”/“{record.person['name']}”"
                plan.conflicts.append(Conflict(unit.name, role.id, first, record, detail))
                return
            people[name] = ({k: v for k in PERSON_FIELDS if (v := record.person.get(k))}, record)
            continue
        merged, first = people[name]
        for key in PERSON_FIELDS:
            value = record.person.get(key)
            if value and merged.get(key) and merged[key] != value:
                label = FIELD_LABELS[key]
                plan.conflicts.append(
                    Conflict(unit.name, role.id, first, record, f"{label}“{merged[key]}”/“{value}”")
                )
                return
            if value:
                merged[key] = value
    current = roster.holders(unit, role.id)
    by_name = {name_key(p.name): p for p in current}
    for name, (given, record) in people.items():
        old = by_name.get(name)
        if old is None and role.holders.max == 1 and current:
            old = current[0]
            new = Person(**given)
        elif old is None:
            new = Person(**given)
        else:
            emptied = {k: None for k in cleared.get(name, set()) - set(given) if k != "name"}
            new = old.model_copy(update=given | emptied)
        change = _change(unit, role.id, old, new, record.where)
        if change is not None:
            plan.people.append(change)
    if covered:
        named = set(people)
        if role.holders.max == 1 and people:
            named |= {name_key(p.name) for p in current[:1]}  # replaced above, not removed
        for old in current:
            if name_key(old.name) not in named:
                change = _change(unit, role.id, old, None)
                if change is not None:
                    plan.people.append(change)


def _plan_filings(
    plan: Plan, roster: LoadedRoster, filings: list[tuple[Unit, FilingRecord]]
) -> None:
    added: dict[str, list[Filing]] = {}
    for unit, record in filings:
        filing = Filing(obligation=record.obligation, period=record.period, date=record.date)
        entry = roster.entry(unit)
        done = [*(entry.filings if entry else []), *added.get(unit.name, [])]
        if _has_filing(done, filing):
            continue
        added.setdefault(unit.name, []).append(filing)
        plan.filings.append(FilingChange(unit.name, filing, record.where))


# ---------------------------------------------------------------- applying


class PlanBlockedError(CdoError):
    """Conflicts or problems stop an import from being written (exit 1)."""

    exit_code = ExitCode.FINDINGS


class UnitEntryInvalidError(CdoError):
    """A change to a unit whose entry in the roster has shape errors (exit 1)."""

    exit_code = ExitCode.FINDINGS


def refuse_invalid_units(ledger: Ledger, plan: Plan) -> None:
    """UnitEntryInvalidError, with validate's findings there, when the plan changes a unit
    whose entry the roster gets wrong (an unknown key, a list for a person …).

    Such an entry is left out of the loaded roster, so what it holds is not known: the
    plan would show its holder as missing, and the change could not be proven.
    """
    from .findings import Severity
    from .findings_format import findings_text

    broken = [u for u in plan.units() if u in ledger.loaded.invalid]
    if not broken:
        return
    keys = {ledger.loaded.entries[u][0] for u in broken}
    findings = [
        f
        for f in ledger.findings
        if f.severity is Severity.error and f.path[:1] == ("units",) and str(f.path[1]) in keys
    ]
    shown = "、".join(f"“{u}”" for u in broken)
    raise UnitEntryInvalidError(
        f"名册中{shown}一项有错误，无法确定其中现有的内容，未作修改：\n"
        + findings_text(findings, [ledger.name]).rstrip(),
        hint=f"请先改正这些错误（cdo validate {ledger.name}），再重新运行。",
    )


def propose_plan(ledger: Ledger, plan: Plan, on: dt.date) -> Proposal:
    """Apply the plan on the ledger and prove the result (nothing is written).

    ChangeRejectedError (exit 1, validate's findings) if the change would add errors;
    EditRefusedError (exit 2) if the written text would not hold exactly the plan.
    """
    from .roster_edit import ChangeRejectedError, EditRefusedError

    if plan.blocked:
        raise PlanBlockedError(
            "有冲突或无法导入的内容，名册未改动", hint="改正上面列出的问题后重新运行。"
        )
    apply_plan(ledger, plan, on)
    proposal = ledger.propose()
    if proposal.new_errors:
        imported = any(c.source for c in plan.people) or any(f.source for f in plan.filings)
        hint = (
            "行号指修改后的名册。请在导入的文件中改正这些内容（所在行见上面预览中“←”之后），"
            "再重新导入。"
            if imported
            else None
        )
        raise ChangeRejectedError(proposal.new_errors, ledger.name, hint)
    wrong = plan_holds(plan, ledger.loaded, proposal.loaded) if proposal.loaded else ["无法读取"]
    if wrong:
        raise EditRefusedError(
            f"{ledger.name}：修改结果与预期不符（{'；'.join(wrong[:3])}），未写入",
            hint="这是 cdo 的问题，请把名册和命令报告给维护者；也可以手工修改名册。",
        )
    return proposal


def apply_plan(ledger: Ledger, plan: Plan, on: dt.date) -> None:
    """Make the plan's changes on the ledger; replaced and removed holders leave on ``on``."""
    index = plan.scheme.unit_index()
    for change in plan.people:
        unit = index[change.unit]
        old, new = change.old, change.new
        if old is not None and change.to_history:
            ledger.add_past(unit, PastHolder(**old.model_dump(), role=change.role, ended=on))
        if old is None and new is not None:
            ledger.add_person(unit, change.role, new)
        elif old is not None and new is not None:
            ledger.update_person(unit, change.role, old.name, new)
        elif old is not None:
            ledger.remove_person(unit, change.role, old.name)
    for filing in plan.filings:
        ledger.add_filing(index[filing.unit], filing.filing)
    for scored in plan.evaluations:
        ledger.set_evaluation(index[scored.unit], scored.new)


def date_successors(plan: Plan, on: dt.date) -> None:
    """Who takes a post from another (an import given ``--date``) is appointed on the day
    the other leaves, as ``cdo record appoint`` has it (one 任免文件): without it, history
    shows the successor as 现任 with no start. A date the file gives is kept."""
    for n, change in enumerate(plan.people):
        if change.replaces and change.new is not None and change.new.appointed is None:
            dated = change.new.model_copy(update={"appointed": on})
            plan.people[n] = replace(change, new=dated, fields=_diff(change.old, dated))


def plan_holds(plan: Plan, before: LoadedRoster, after: LoadedRoster) -> list[str]:
    """What in ``after`` is not what ``before`` with the plan applied should be (empty: all is)."""
    wrong: list[str] = []
    touched = set(plan.units())
    index = plan.scheme.unit_index()
    for name, (_key, entry) in before.entries.items():
        if name not in touched and after.entry(index[name]) != entry:
            wrong.append(f"“{name}”不应改变")
    for change in plan.people:
        unit = index[change.unit]
        holders = after.holders(unit, change.role)
        if change.new is not None and change.new.model_dump() not in [
            h.model_dump() for h in holders
        ]:
            wrong.append(f"“{change.unit}”的 {change.role} 应有 {change.new.name}")
        if change.to_history and change.old is not None:
            history = (after.entry(unit) or UnitEntry()).history
            if not any(p.role == change.role and p.name == change.old.name for p in history):
                wrong.append(f"“{change.unit}”的历史中应有 {change.old.name}")
    for filing in plan.filings:
        if filing.filing not in (after.entry(index[filing.unit]) or UnitEntry()).filings:
            wrong.append(f"“{filing.unit}”应有报送记录 {filing.filing.obligation}")
    for scored in plan.evaluations:
        entry = after.entry(index[scored.unit]) or UnitEntry()
        if scored.new not in entry.evaluations:
            wrong.append(f"“{scored.unit}”应有评价记录 {scored.new.year}")
    return wrong
