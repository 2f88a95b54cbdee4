"""A roster change plan as text for people (Chinese, by unit) or as JSON for scripts."""

from __future__ import annotations

import json
from typing import Any

from .records import Where
from .roster import Person
from .roster_evaluations import EvaluationChange
from .roster_plan import FIELD_LABELS, Conflict, FilingChange, PersonChange, Plan
from .text import visible

_MARKS = {"added": "+", "changed": "~", "removed": "-"}
_COLORS = {"+": "\x1b[32m", "~": "\x1b[33m", "-": "\x1b[31m", "!": "\x1b[31m", "?": "\x1b[33m"}
_RESET = "\x1b[0m"


# A value longer than this is shown cut short: a 10,000-character "name" would fill
# the screen (the JSON preview and the roster keep it whole; validate flags it).
_LONGEST = 80


def _show(value: object) -> str:
    """A value from a file, safe for a terminal (control characters made visible)."""
    return visible("（空）" if value is None or value == "" else str(value))


def _short(value: object) -> str:
    """A person's value as :func:`_show` shows it, cut short when it is very long."""
    text = "" if value is None else str(value)
    if len(text) > _LONGEST:
        text = f"{text[: _LONGEST // 2]}…（共 {len(text)} 个字符）"
    return _show(text)


def _where(where: Where | None) -> str:
    return f"  ← {_show(where)}" if where is not None else ""


def _role_name(plan: Plan, role_id: str) -> str:
    role = plan.scheme.role(role_id)
    return role.name if role else role_id


def _person(person: Person | None) -> str:
    if person is None:
        return "（空）"
    extra = "，".join(_short(v) for v in (person.title, person.phone) if v)
    return _short(person.name or "（未填姓名）") + (f"（{extra}）" if extra else "")


def _person_lines(plan: Plan, change: PersonChange) -> list[tuple[str, str]]:
    role = _role_name(plan, change.role)
    if change.action == "added":
        return [("+", f"{role}：{_person(change.new)}{_where(change.source)}")]
    if change.action == "removed":
        return [("-", f"{role}：{_person(change.old)}（移入历史）{_where(change.source)}")]
    assert change.old is not None and change.new is not None
    if change.replaces:
        old, new = _short(change.old.name), _short(change.new.name)
        head = f"{role}：{old} → {new}（{old} 移入历史）"
    else:
        head = f"{role} {_short(change.new.name)}："
    lines = [("~", head + _where(change.source))]
    for f in change.fields:
        lines.append(("", f"    {FIELD_LABELS[f.field]}：{_short(f.old)} → {_short(f.new)}"))
    return lines


def _filing_line(plan: Plan, change: FilingChange) -> tuple[str, str]:
    filing = change.filing
    ob = plan.scheme.obligation(filing.obligation)
    title = f"{ob.title}（{filing.obligation}）" if ob else filing.obligation
    period = f" {filing.period} 年度" if filing.period is not None else ""
    note = f"，{_show(filing.note)}" if filing.note else ""
    return "+", f"报送：{_show(title)}{period}，{filing.date}{note}{_where(change.source)}"


def _scores(scores: dict[str, int | float]) -> str:
    return "、".join(f"{_short(k)} {v}" for k, v in scores.items()) or "（无得分）"


def _evaluation_lines(plan: Plan, change: EvaluationChange) -> list[tuple[str, str]]:
    new = change.new
    found = next((e for e in plan.scheme.evaluations if e.id == new.evaluation), None)
    what = f"{found.name if found else new.evaluation} {new.year} 年度"
    who = f"，{_short(new.name)}" if new.name else ""
    if change.old is None:
        return [("+", f"评价：{what}{who}：{_scores(new.scores)}{_where(change.source)}")]
    lines = [("~", f"评价：{what}{who}{_where(change.source)}")]
    old = change.old
    for key in dict.fromkeys([*old.scores, *new.scores]):
        before, after = old.scores.get(key), new.scores.get(key)
        if before != after:
            lines.append(("", f"    {_short(key)}：{_short(before)} → {_short(after)}"))
    if (old.name or "") != (new.name or ""):
        lines.append(("", f"    姓名：{_short(old.name)} → {_short(new.name)}"))
    if old.remarks != new.remarks:
        lines.append(("", "    备注已更新"))
    return lines


def conflict_message(plan: Plan, conflict: Conflict) -> str:
    """One line naming the post and both places that disagree."""
    role = plan.scheme.role(conflict.role)
    one = ""
    if conflict.first.where.file == conflict.second.where.file and role and role.holders.max:
        one = f"（同一文件中填了两处，该职位只设 {role.holders.max} 名）"
    return (
        f"{_show(conflict.unit)} {_role_name(plan, conflict.role)}：{_short(conflict.detail)}{one}，"
        f"分别见 {_show(conflict.first.where)} 和 {_show(conflict.second.where)}"
    )


def plan_text(plan: Plan, *, color: bool = False) -> str:
    """The plan grouped by unit: + added, ~ changed (old → new), - removed."""

    def line(mark: str, text: str, indent: str = "  ") -> str:
        shown = f"{_COLORS[mark]}{mark}{_RESET}" if color and mark in _COLORS else mark
        return f"{indent}{shown} {text}" if mark else f"{indent}{text}"

    lines: list[str] = []
    if plan.empty:
        lines.append(f"{_show(plan.roster)}：没有需要修改的内容。")
    else:
        lines.append(f"{_show(plan.roster)}（{plan.scheme.city}）将作如下修改：")
        for unit in plan.units():
            lines.append("")
            lines.append(_show(unit))
            for change in (c for c in plan.people if c.unit == unit):
                lines += [line(m, t) for m, t in _person_lines(plan, change)]
            for filing in (c for c in plan.filings if c.unit == unit):
                lines.append(line(*_filing_line(plan, filing)))
            for scored in (c for c in plan.evaluations if c.unit == unit):
                lines += [line(m, t) for m, t in _evaluation_lines(plan, scored)]
        lines.append("")
        lines.append(summary_line(plan))
    if plan.conflicts:
        lines += ["", "冲突（不会写入）："]
        lines += [line("!", conflict_message(plan, c)) for c in plan.conflicts]
        same = [c for c in plan.conflicts if c.first.where.file == c.second.where.file]
        if len(same) < len(plan.conflicts):
            lines.append(
                "  提示：请核对这两处，改正后重新导入（两份文件的，也可以只导入其中一份）。"
            )
        if same:
            lines.append(
                "  提示：同一文件给只设 1 名的职位填了多人：请与填表单位核对，在表格中只保留一人后重新导入。"
            )
    if plan.warnings:
        lines += ["", "请核对（不影响写入）："]
        for w in plan.warnings:
            where = f"{_show(w.source)}：" if w.source else ""
            lines.append(line("?", f"{where}警告  {_show(w.message)}  [{w.code}]"))
            if w.hint:
                lines.append(f"    提示：{_show(w.hint)}")
    if plan.problems:
        lines += ["", "无法导入："]
        for p in plan.problems:
            where = f"{_show(p.source)}：" if p.source else ""
            lines.append(line("!", f"{where}{_show(p.message)}"))
            if p.hint:
                lines.append(f"    提示：{_show(p.hint)}")
    return "\n".join(lines) + "\n"


def summary_line(plan: Plan) -> str:
    """How many units, and people added, changed, removed, and filings."""
    counts = {a: sum(c.action == a for c in plan.people) for a in _MARKS}
    scored = f"，评价记录 {len(plan.evaluations)} 条" if plan.evaluations else ""
    return (
        f"共 {len(plan.units())} 个单位：新增 {counts['added']} 人，修改 {counts['changed']} 人，"
        f"移除 {counts['removed']} 人，报送记录 {len(plan.filings)} 条{scored}"
    )


def _person_dict(person: Person | None) -> dict[str, Any] | None:
    return person.model_dump(mode="json", exclude_none=True) if person is not None else None


def _where_str(where: Where | None) -> str | None:
    return str(where) if where is not None else None


def plan_json(plan: Plan) -> str:
    """Every change, conflict and problem, as a JSON object."""
    changes: list[dict[str, Any]] = []
    for unit in plan.units():
        for c in (c for c in plan.people if c.unit == unit):
            changes.append(
                {
                    "unit": c.unit,
                    "kind": "person",
                    "action": c.action,
                    "role": c.role,
                    "role_name": _role_name(plan, c.role),
                    "old": _person_dict(c.old),
                    "new": _person_dict(c.new),
                    "fields": [
                        {
                            "field": f.field,
                            "label": FIELD_LABELS[f.field],
                            "old": f.old,
                            "new": f.new,
                        }
                        for f in c.fields
                    ],
                    "to_history": c.to_history,
                    "source": _where_str(c.source),
                }
            )
        for f in (f for f in plan.filings if f.unit == unit):
            changes.append(
                {
                    "unit": f.unit,
                    "kind": "filing",
                    "action": "added",
                    **f.filing.model_dump(mode="json"),
                    "source": _where_str(f.source),
                }
            )
        for e in (e for e in plan.evaluations if e.unit == unit):
            changes.append(
                {
                    "unit": e.unit,
                    "kind": "evaluation",
                    "action": "added" if e.old is None else "changed",
                    "old": e.old.model_dump(mode="json") if e.old is not None else None,
                    "new": e.new.model_dump(mode="json"),
                    "source": _where_str(e.source),
                }
            )
    data = {
        "roster": plan.roster,
        "scheme": plan.scheme.id,
        "changes": changes,
        "conflicts": [
            {
                "unit": c.unit,
                "role": c.role,
                "role_name": _role_name(plan, c.role),
                "detail": c.detail,
                "sources": [str(c.first.where), str(c.second.where)],
                "message": conflict_message(plan, c),
            }
            for c in plan.conflicts
        ],
        "problems": [
            {"message": p.message, "hint": p.hint, "source": _where_str(p.source)}
            for p in plan.problems
        ],
        "notes": plan.notes,
        "warnings": [
            {
                "code": w.code,
                "message": w.message,
                "hint": w.hint,
                "source": _where_str(w.source),
            }
            for w in plan.warnings
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
