"""Checks that span a scheme's records: references, scope and contradictions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from pydantic import BaseModel

from .findings import Finding, error, warning
from .policy import Scheme, Selector
from .suggest import did_you_mean
from .text import CONTROL_HINT, control_message, controls

# Columns that a person's record fills; the others come from the unit or the row.
_PERSON_FIELDS = {"name", "title", "phone", "email", "contact", "office"}


def check_scheme(scheme: Scheme) -> list[Finding]:
    """Every cross-record problem in a scheme whose shape is already valid."""
    return [
        *check_text(scheme),
        *check_ids(scheme),
        *check_references(scheme),
        *check_dates(scheme),
        *check_forms(scheme),
    ]


# Fields shown on one line: in forms, file names, tables. The others (quotes, notes,
# duties, …) may span lines.
_ONE_LINE = {
    "id", "name", "aliases", "title", "title_lines", "label", "header", "heading", "city",
    "province", "authority", "issuer", "doc_number", "notice_title", "units", "tags", "unit",
    "role", "owed_to", "due_text", "section", "seed", "forms", "distinct_from",
}  # fmt: skip
_TEXT_LABELS = {
    "name": "名称",
    "aliases": "其他写法",
    "title": "标题",
    "title_lines": "标题",
    "label": "附件标签",
    "header": "表头",
    "heading": "分组标题",
    "quote": "原文引用",
    "section": "条款",
    "city": "城市",
    "issuer": "发文机关",
    "authority": "牵头单位",
    "doc_number": "文号",
    "units": "单位名称",
    "unit": "单位名称",
    "owed_to": "报送对象",
    "text": "原文",
    "notes": "说明",
    "note": "说明",
}


def _strings(
    value: object, path: tuple[str | int, ...], field: str
) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    """Every string in a model, with the name of the field it is in and its key path."""
    if isinstance(value, str):
        yield field, value, path
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _strings(getattr(value, name), (*path, name), name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i), field)


def check_text(scheme: Scheme) -> list[Finding]:
    """Control characters (escape, NUL, bidi overrides, …) in any text of the scheme.

    Names, titles and headers are one line; quotes, notes and the like may hold line
    breaks and tabs.
    """
    out: list[Finding] = []
    for field, value, path in _strings(scheme, (), ""):
        found = controls(value, multiline=field not in _ONE_LINE)
        if found:
            label = _TEXT_LABELS.get(field, field)
            out.append(
                error("text-control", control_message(label, value, found), path, CONTROL_HINT)
            )
    return out


def check_ids(scheme: Scheme) -> list[Finding]:
    """Ids and unit names must be unique: they are what rosters and commands refer to."""
    out: list[Finding] = []
    lists: dict[str, list[str]] = {
        "roles": [r.id for r in scheme.roles],
        "obligations": [o.id for o in scheme.obligations],
        "forms": [f.id for f in scheme.forms],
    }
    for key, ids in lists.items():
        counts = Counter(ids)
        for i, item_id in enumerate(ids):
            if counts[item_id] > 1:
                out.append(error("id-duplicate", f"id“{item_id}”重复出现", (key, i, "id")))
    seen: dict[str, str] = {}
    for i, unit in enumerate(scheme.units):
        for j, name in enumerate((unit.name, *unit.aliases)):
            other = seen.get(name)
            if other is not None and other != unit.name:
                path = ("units", i, "name") if j == 0 else ("units", i, "aliases", j - 1)
                out.append(error("unit-duplicate", f"单位名称“{name}”已用于“{other}”", path))
            seen.setdefault(name, unit.name)
    return out


def _selector_findings(
    scheme: Scheme, selector: Selector, path: tuple[str | int, ...], *, duty: bool = False
) -> list[Finding]:
    out: list[Finding] = []
    index = scheme.unit_index()
    for i, name in enumerate(selector.units):
        if name in index and index[name].name == name:
            continue
        if name in index:
            out.append(
                warning(
                    "unit-alias",
                    f"此处用了别名“{name}”，请写单位全称“{index[name].name}”",
                    (*path, "units", i),
                )
            )
            continue
        hint = did_you_mean(name, index)
        if duty:
            message = f"事项由“{name}”承担，但该单位不在本方案范围内"
            out.append(warning("duty-out-of-scope", message, (*path, "units", i), hint))
        else:
            out.append(
                error("unit-unknown", f"单位“{name}”不在本方案的单位中", (*path, "units", i), hint)
            )
    if not selector.units and not scheme.select(selector):
        out.append(warning("selector-empty", "这一选择条件没有选中任何单位", path))
    return out


def check_references(scheme: Scheme) -> list[Finding]:
    """Units, roles and forms named anywhere must exist in the scheme."""
    out: list[Finding] = []
    role_ids = {r.id for r in scheme.roles}
    form_ids = {f.id for f in scheme.forms}
    obligation_ids = {o.id for o in scheme.obligations}
    index = scheme.unit_index()

    def role_ref(role_id: str | None, path: tuple[str | int, ...]) -> None:
        if role_id is not None and role_id not in role_ids:
            out.append(
                error(
                    "role-unknown",
                    f"职位“{role_id}”未在 roles 中定义",
                    path,
                    did_you_mean(role_id, role_ids),
                )
            )

    for i, role in enumerate(scheme.roles):
        out += _selector_findings(scheme, role.applies_to, ("roles", i, "applies_to"))
        for j, other in enumerate(role.distinct_from):
            role_ref(other, ("roles", i, "distinct_from", j))
        if role.holders.max is not None and role.holders.min > role.holders.max:
            out.append(error("holders-range", "人数下限大于上限", ("roles", i, "holders")))
        if role.required and role.holders.min == 0:
            out.append(warning("holders-range", "必设职位的人数下限为 0", ("roles", i, "holders")))
    for i, ob in enumerate(scheme.obligations):
        out += _selector_findings(scheme, ob.owed_by, ("obligations", i, "owed_by"), duty=True)
        role_ref(ob.role, ("obligations", i, "role"))
        owing_role = scheme.role(ob.role) if ob.role else None
        if owing_role is not None:
            for unit in scheme.select(ob.owed_by):
                if not owing_role.applies_to.matches(unit):
                    out.append(
                        warning(
                            "duty-role-mismatch",
                            f"“{unit.name}”承担此事项，但不设“{owing_role.name}”",
                            ("obligations", i, "role"),
                        )
                    )
        for j, form_id in enumerate(ob.forms):
            if form_id not in form_ids:
                out.append(
                    error(
                        "form-unknown",
                        f"附件“{form_id}”未在 forms 中定义",
                        ("obligations", i, "forms", j),
                    )
                )
    for i, form in enumerate(scheme.forms):
        if form.applies_to is not None:
            out += _selector_findings(scheme, form.applies_to, ("forms", i, "applies_to"))
        if form.obligation is not None and form.obligation not in obligation_ids:
            out.append(
                error(
                    "obligation-unknown",
                    f"事项“{form.obligation}”未定义",
                    ("forms", i, "obligation"),
                )
            )
        for j, section in enumerate(form.sections):
            role_ref(section.role, ("forms", i, "sections", j, "role"))
            if section.units is not None:
                out += _selector_findings(
                    scheme, section.units, ("forms", i, "sections", j, "units")
                )
    for i, officer in enumerate(scheme.named_officers):
        role_ref(officer.role, ("named_officers", i, "role"))
        officer_unit = index.get(officer.unit)
        if officer_unit is None:
            out.append(
                error(
                    "unit-unknown",
                    f"单位“{officer.unit}”不在本方案的单位中",
                    ("named_officers", i, "unit"),
                    did_you_mean(officer.unit, index),
                )
            )
            continue
        officer_role = scheme.role(officer.role)
        if officer_role is not None and not officer_role.applies_to.matches(officer_unit):
            message = f"“{officer_unit.name}”不设“{officer_role.name}”"
            out.append(error("role-not-allowed", message, ("named_officers", i, "role")))
    return out


def check_dates(scheme: Scheme) -> list[Finding]:
    """Deadlines that contradict the document's own date of issue."""
    out: list[Finding] = []
    issued = scheme.document.issued
    for i, ob in enumerate(scheme.obligations):
        if ob.due is None:
            continue
        if ob.due.date is not None and ob.due.date < issued:
            out.append(
                warning(
                    "due-before-issue",
                    f"“{ob.title}”的期限 {ob.due.date} 早于文件印发日期 {issued}，发文时已经过期",
                    ("obligations", i, "due", "date"),
                    "请核对原文；如原文如此，可在 notes 中说明。",
                )
            )
        if ob.due.first_period is not None and ob.due.first_period < issued.year:
            out.append(
                warning(
                    "due-before-issue",
                    f"“{ob.title}”从 {ob.due.first_period} 年起计，早于发文年份 {issued.year}",
                    ("obligations", i, "due", "first_period"),
                )
            )
    return out


def check_forms(scheme: Scheme) -> list[Finding]:
    """Form columns that nothing can fill."""
    out: list[Finding] = []
    for i, form in enumerate(scheme.forms):
        for j, section in enumerate(form.sections):
            for k, column in enumerate(section.columns):
                path = ("forms", i, "sections", j, "columns", k, "field")
                label = column.header or column.field
                if column.field in _PERSON_FIELDS and (
                    section.kind == "unit_list" or section.role is None
                ):
                    out.append(
                        warning(
                            "column-unfilled", f"“{form.label}”的“{label}”列没有职位来填写", path
                        )
                    )
            if section.kind in {"unit_role", "role_list"} and section.role is None:
                out.append(
                    error(
                        "section-role",
                        "这一栏需要指定 role（由哪个职位填写）",
                        ("forms", i, "sections", j),
                    )
                )
    return out
