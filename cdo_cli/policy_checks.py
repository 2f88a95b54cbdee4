"""Checks that span a scheme's records: references, scope and contradictions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from pydantic import BaseModel

from .findings import Finding, error, warning
from .policy import KIND_LABELS, Form, FormSection, Role, Scheme, Selector, Unit, UnitKind
from .policy_outlines import check_outlines
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
        *check_structure(scheme),
        *check_dates(scheme),
        *check_forms(scheme),
        *check_todo(scheme),
        *check_outlines(scheme),
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
    seen: dict[str, int] = {}  # each name, and the first unit (by place) that has it
    for i, unit in enumerate(scheme.units):
        for j, name in enumerate((unit.name, *unit.aliases)):
            other = seen.get(name)
            if other is not None and other != i:  # another unit, or the same listed twice
                path = ("units", i, "name") if j == 0 else ("units", i, "aliases", j - 1)
                first = scheme.units[other].name
                out.append(error("unit-duplicate", f"单位名称“{name}”已用于“{first}”", path))
            seen.setdefault(name, i)
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
                    f"此处用了别名“{name}”，没有选中该单位：units 只认单位全称“{index[name].name}”",
                    (*path, "units", i),
                    f"把“{name}”改为“{index[name].name}”。",
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
    for i, name in enumerate(selector.under):
        if name not in index:
            out.append(
                error(
                    "unit-unknown",
                    f"上级单位“{name}”不在本方案的单位中",
                    (*path, "under", i),
                    did_you_mean(name, index)
                    or "under 写本方案 units 中的单位（全称或其他写法）。",
                )
            )
    # A unit whose attribute nobody has stated yet may still be picked: not empty.
    if not selector.units and not any(selector.state(u) is not False for u in scheme.units):
        out.append(_empty_selector(scheme, selector, path))
    return out


def _filters(selector: Selector) -> str:
    """The filters of a selector as written: ``kinds: county、pilot: true``."""
    parts = []
    if selector.kinds:
        parts.append("kinds: " + "、".join(k.value for k in selector.kinds))
    if selector.tags:
        parts.append("tags: " + "、".join(selector.tags))
    if selector.pilot is not None:
        parts.append(f"pilot: {str(selector.pilot).lower()}")
    if selector.attributes:
        parts.append(
            "attributes: "
            + "、".join(f"{k}: {str(v).lower()}" for k, v in selector.attributes.items())
        )
    if selector.under:
        parts.append("under: " + "、".join(selector.under))
    return "，".join(parts)


def _empty_selector(scheme: Scheme, selector: Selector, path: tuple[str | int, ...]) -> Finding:
    """Why a selector picks nothing: which of its filters no unit meets."""
    if not _filters(selector):
        return warning(
            "selector-empty",
            "选择条件是空的，没有选中任何单位",
            path,
            "用 units 列出单位全称，或用 kinds（单位类别）、tags（标签）、pilot（是否试点）、"
            "under（某单位之下）筛选。",
        )
    reasons = []
    kinds = {u.kind for u in scheme.units}
    tags = {t for u in scheme.units for t in u.tags}
    missing_kinds = [k.value for k in selector.kinds if k not in kinds]
    if selector.kinds and len(missing_kinds) == len(selector.kinds):
        have = "、".join(dict.fromkeys(u.kind.value for u in scheme.units))
        reasons.append(f"没有单位的 kind 是 {'、'.join(missing_kinds)}（方案中有：{have}）")
    if selector.tags and not tags & set(selector.tags):
        have = "、".join(sorted(tags)) or "无"
        reasons.append(f"没有单位带标签 {'、'.join(selector.tags)}（方案中的标签：{have}）")
    if selector.pilot is not None and not any(u.pilot == selector.pilot for u in scheme.units):
        reasons.append(f"没有单位写了 pilot: {str(selector.pilot).lower()}")
    index = scheme.unit_index()
    known = [n for n in selector.under if n in index]
    if known and not any(u.is_under(known) for u in scheme.units):
        reasons.append(
            f"没有单位的上级单位（parent，逐级向上）是 {'、'.join(known)}：下属单位须写 parent"
        )
    hint = (
        "；".join(reasons) if reasons else "每个条件单独都能选中单位，但没有单位同时满足全部条件。"
    )
    return warning("selector-empty", f"按 {_filters(selector)} 没有选中任何单位", path, hint)


# Words in a role's name that say where it is set up, and the kinds that contradict them.
_OTHER_BODIES = {UnitKind.government, UnitKind.county}
_NAME_KINDS: tuple[tuple[tuple[str, ...], str, frozenset[UnitKind]], ...] = (
    (("部门",), "部门", frozenset(_OTHER_BODIES)),
    # "县（区）政府首席数据官" is a county's, "县政府首席数据官" in a county's own scheme
    # the government's: a name with 政府 allows both.
    (("政府",), "政府", frozenset(set(UnitKind) - _OTHER_BODIES)),
    (("县", "区（", "区(", "区首席"), "县（市、区）", frozenset(set(UnitKind) - {UnitKind.county})),
)


def _listed(units: list[Unit]) -> str:
    names = "、".join(u.name for u in units[:5])
    return f"{names}等 {len(units)} 个单位" if len(units) > 5 else f"{names}（{len(units)} 个）"


def _broad_role(scheme: Scheme, role: Role, path: tuple[str | int, ...]) -> list[Finding]:
    """A role whose filters pick units the author likely did not mean."""
    picked = [u for u in scheme.select(role.applies_to) if u.name not in role.applies_to.units]
    if not picked:
        return []
    for words, place_name, contradicting in _NAME_KINDS:
        if not any(w in role.name for w in words):
            continue
        wrong = [u for u in picked if u.kind in contradicting]
        if wrong:
            kinds = "、".join(dict.fromkeys(KIND_LABELS[u.kind] for u in wrong))
            return [
                warning(
                    "selector-broad",
                    f"职位“{role.name}”按名称应设在{place_name}，但按 {_filters(role.applies_to)} "
                    f"还选中了{kinds}：{_listed(wrong)}",
                    path,
                    f"用 kinds 写出单位类别（如 kinds: [{_kinds_hint(place_name)}]）或用 tags、"
                    "units 选择；若原文确实如此，可在 notes 中说明。",
                )
            ]
        break  # the first word found decides
    governments = [u for u in picked if u.kind is UnitKind.government]
    if governments and len(picked) > len(governments):
        return [
            warning(
                "selector-broad",
                f"职位“{role.name}”按 {_filters(role.applies_to)} 选中了本级政府"
                f"“{governments[0].name}”，也选中了其他单位：{_listed(picked)}",
                path,
                "本级政府和部门所设的职位通常不同：用 kinds 或 tags 把二者分开；"
                "若原文确实如此，可在 notes 中说明。",
            )
        ]
    return []


def _kinds_hint(place_name: str) -> str:
    return {"部门": "department", "县（市、区）": "county", "政府": "government"}[place_name]


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
        out += _broad_role(scheme, role, ("roles", i, "applies_to"))
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


def check_structure(scheme: Scheme) -> list[Finding]:
    """Parents, attributes, open lists, minimums, later stages and strict eligibility."""
    out: list[Finding] = []
    index = scheme.unit_index()
    declared = {a.id for a in scheme.attributes}

    def attribute_refs(values: dict[str, bool], path: tuple[str | int, ...]) -> None:
        for key in values:
            if key not in declared:
                out.append(
                    error(
                        "attribute-unknown",
                        f"单位属性“{key}”未在 attributes 中定义",
                        (*path, "attributes", key),
                        did_you_mean(key, declared)
                        or "在方案顶层的 attributes 中写明属性：id、name、source。",
                    )
                )

    for i, unit in enumerate(scheme.units):
        attribute_refs(unit.attributes, ("units", i))
        if unit.parent is None:
            continue
        parent = index.get(unit.parent)
        path: tuple[str | int, ...] = ("units", i, "parent")
        if parent is None:
            out.append(
                error(
                    "parent-unknown",
                    f"{KIND_LABELS[unit.kind]}“{unit.name}”的上级单位“{unit.parent}”不在本方案的单位中",
                    path,
                    did_you_mean(unit.parent, index) or "上级单位也须列在 units 中。",
                )
            )
        elif parent.name == unit.name or unit in scheme.ancestors(parent, index):
            out.append(
                error(
                    "parent-loop",
                    f"{KIND_LABELS[unit.kind]}“{unit.name}”的上级单位绕回了它自己",
                    path,
                    "parent 写直接上级，如街道写所在的区，区写所在的市。",
                )
            )
        elif parent.kind not in _PARENT_KINDS.get(unit.kind, frozenset(UnitKind)):
            out.append(_parent_kind(unit, parent, path))
    for i, role in enumerate(scheme.roles):
        attribute_refs(role.applies_to.attributes, ("roles", i, "applies_to"))
        for j, stage in enumerate(role.expands):
            stage_path: tuple[str | int, ...] = ("roles", i, "expands", j, "applies_to")
            out += _selector_findings(scheme, stage.applies_to, stage_path)
            attribute_refs(stage.applies_to.attributes, stage_path)
        if role.eligibility_strict and role.eligibility and "原则上" in role.eligibility:
            out.append(
                warning(
                    "eligibility-in-principle",
                    f"“{role.name}”的任职条件是“原则上……”，却写了 eligibility_strict: true",
                    ("roles", i, "eligibility_strict"),
                    "文件说“原则上”的，职务不符只应提问（警告）：删去 eligibility_strict。",
                )
            )
    for i, ob in enumerate(scheme.obligations):
        attribute_refs(ob.owed_by.attributes, ("obligations", i, "owed_by"))
    role_ids = {r.id for r in scheme.roles}
    for i, listed in enumerate(scheme.open_lists):
        out += _selector_findings(scheme, listed.applies_to, ("open_lists", i, "applies_to"))
        for j, role_id in enumerate(listed.roles):
            if role_id not in role_ids:
                out.append(
                    error(
                        "role-unknown",
                        f"职位“{role_id}”未在 roles 中定义",
                        ("open_lists", i, "roles", j),
                        did_you_mean(role_id, role_ids),
                    )
                )
    for i, minimum in enumerate(scheme.minimums):
        out += _selector_findings(scheme, minimum.count, ("minimums", i, "count"))
        if minimum.each is not None:
            out += _selector_findings(scheme, minimum.each, ("minimums", i, "each"))
    return out


# The kinds a unit's parent may be. A 街道 or 镇 sits under a county (or its government,
# in the county's own scheme; or a city without counties; or a park that administers it),
# a county under a city, a department under its government (or a department that manages
# it). Institutions and enterprises may sit under almost anything: not checked.
_G, _CITY, _COUNTY = UnitKind.government, UnitKind.city, UnitKind.county
_PARENT_KINDS: dict[UnitKind, frozenset[UnitKind]] = {
    UnitKind.government: frozenset({_G, _CITY, _COUNTY}),
    UnitKind.city: frozenset({_G}),
    UnitKind.county: frozenset({_G, _CITY}),
    UnitKind.subdistrict: frozenset({_G, _CITY, _COUNTY, UnitKind.park}),
    UnitKind.town: frozenset({_G, _CITY, _COUNTY, UnitKind.park}),
    UnitKind.park: frozenset({_G, _CITY, _COUNTY}),
    UnitKind.department: frozenset({_G, _CITY, _COUNTY, UnitKind.park, UnitKind.department}),
    UnitKind.court: frozenset({_G, _CITY, _COUNTY}),
    UnitKind.party: frozenset({_G, _CITY, _COUNTY}),
    UnitKind.vertical: frozenset({_G, _CITY, _COUNTY, UnitKind.department, UnitKind.vertical}),
}


def _parent_kind(unit: Unit, parent: Unit, path: tuple[str | int, ...]) -> Finding:
    """A parent of a kind the unit's kind does not sit under (a 街道 under a department)."""
    allowed = [KIND_LABELS[k] for k in UnitKind if k in _PARENT_KINDS[unit.kind]]
    expected = "、".join(allowed[:-1]) + f"或{allowed[-1]}" if len(allowed) > 1 else allowed[0]
    return warning(
        "parent-kind",
        f"{KIND_LABELS[unit.kind]}“{unit.name}”的上级单位“{parent.name}”是"
        f"{KIND_LABELS[parent.kind]}：{KIND_LABELS[unit.kind]}的上级单位一般是{expected}",
        path,
        "parent 写直接上级：街道、镇写所在的县（市、区），县（市、区）写所在的市，部门写所属的"
        "人民政府。请核对 parent 和两个单位的 kind；原文确实如此的，在单位的 note 中说明。",
    )


def check_dates(scheme: Scheme) -> list[Finding]:
    """Deadlines that contradict the document's own date of issue."""
    out: list[Finding] = []
    issued = scheme.document.issued
    if issued is None:
        return [
            warning(
                "issue-date-unknown",
                "文件未载明印发日期：未检查期限是否早于印发日期",
                ("document", "issued"),
                "名册检查中依赖印发日期的各项（报送、任命日期是否早于印发）也将跳过。",
            )
        ]
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
            if form.per_unit and section.kind == "unit_role" and section.role is not None:
                out += _section_role_absent(scheme, form, section, ("forms", i, "sections", j))
    return out


def _section_role_absent(
    scheme: Scheme, form: Form, section: FormSection, path: tuple[str | int, ...]
) -> list[Finding]:
    """A per-unit form sent to units that never set up the post a section is filled by:
    their copy has that section blank even when the roster names their people (a 街道
    sent the departments' 附件2). A post that turns on an attribute may be set up."""
    role = scheme.role(section.role or "")
    if role is None:
        return []  # role-unknown says so
    units = scheme.select(form.applies_to) if form.applies_to else list(scheme.units)
    absent = [u for u in units if role.applies(u) is False]
    if not absent:
        return []
    kinds = "、".join(dict.fromkeys(KIND_LABELS[u.kind] for u in absent))
    shown = "、".join(u.name for u in absent[:3]) + ("等" if len(absent) > 3 else "")
    heading = f"“{section.heading}”栏" if section.heading else "这一栏"
    return [
        warning(
            "form-role-absent",
            f"“{form.label}”的{heading}由“{role.name}”（{role.id}）填写，但这份表格也发给不设这一职位的"
            f"{len(absent)}个单位（{kinds}：{shown}），他们的表上这一栏总是空着",
            (*path, "role"),
            "不同类别的单位填写不同职位的，各写一份附件表格（另起 id 和 label，如 attachment2_street、"
            "附件2（街道）），"
            "用 applies_to 分别选定单位；或把这份表格的 applies_to 缩小到设有这一职位的单位。",
        )
    ]


# ---------------------------------------------------------------- placeholders

TODO = "TODO"
_OPTIONAL = ("TODO（可选）", "TODO(可选)")


def _todo_text(text: str) -> str:
    """What a placeholder asks for: the text after ``TODO：`` (or ``TODO（可选）：``)."""
    for marker in (*_OPTIONAL, TODO):
        if text.startswith(marker):
            return text[len(marker) :].lstrip("：: ").strip()
    return text


def check_todo(scheme: Scheme) -> list[Finding]:
    """Values still holding a placeholder from ``cdo policy new`` (text starting ``TODO``)."""
    out: list[Finding] = []
    for field, value, path in _strings(scheme, (), ""):
        if value.startswith(TODO):
            asked = _todo_text(value)
            out.append(
                error(
                    "todo",
                    f"“{field}”尚未填写（还是占位文字）",
                    path,
                    f"填写：{asked}" if asked else "照原文填写。",
                )
            )
    return out


def todo_comments(text: str) -> list[tuple[int, int, Finding]]:
    """``# TODO`` comments left in a scheme file, with their line and column.

    ``# TODO：…`` is required work (an error until the comment is removed);
    ``# TODO（可选）：…`` is optional (a warning).
    """
    out: list[tuple[int, int, Finding]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        column = _comment_start(line)
        if column is None:
            continue
        body = line[column + 1 :].strip()
        if not body.startswith(TODO):
            continue
        asked = _todo_text(body) or "见注释"
        if body.startswith(_OPTIONAL):
            finding = warning(
                "todo-optional", f"可选的待办：{asked}", hint="处理或决定不填后，删去这条注释。"
            )
        else:
            finding = error("todo", f"待办：{asked}", hint="处理后删去这条 TODO 注释。")
        out.append((number, column + 1, finding))
    return out


def _comment_start(line: str) -> int | None:
    """Where a YAML comment starts on a line: a ``#`` at the start or after white space,
    outside quotes. (Quoted text that spans lines is not followed; scheme files keep
    such text in block scalars or single lines.)"""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'" and (i == 0 or line[i - 1] in " \t:[{,-"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return None
