"""The starting roster that ``cdo init`` writes: every unit, every role, Chinese comments."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata

from .policy import KIND_LABELS, NamedOfficer, Role, Scheme, Unit
from .text import controls, json_safe, visible

_FIELDS = {
    "officer": [("name", "姓名"), ("title", "职务"), ("phone", "联系电话（手机或带区号的座机）"),
                ("email", "电子邮箱"), ("appointed", "任命日期 YYYY-MM-DD")],
    "contact": [("office", "科室（股室）"), ("name", "姓名"), ("title", "职务"),
                ("phone", "联系电话"), ("email", "电子邮箱")],
    "support": [("name", "姓名"), ("title", "职务"), ("phone", "联系电话"),
                ("qualification", "资质")],
}  # fmt: skip


def _scalar(value: str) -> str:
    """A YAML scalar for a value: plain where safe, else a JSON (double-quoted) string.

    Control characters (which YAML does not allow raw) are written as ``\\u001b``.
    """
    plain = value and not any(c in value for c in ":#{}[],&*!|>'\"%@`") and value.strip() == value
    if plain and value[0] not in "-?" and not controls(value):
        return value
    return json_safe(json.dumps(value, ensure_ascii=False))


def roster_template(scheme: Scheme, schema_ref: str, as_of: dt.date | None = None) -> str:
    """The text of a starting roster for ``scheme``, filled where the document names officers.

    With ``as_of``, only the units and roles in scope on that date; a role that turns on
    an attribute of the unit is listed with a comment saying so.
    """
    doc = scheme.document
    lines = [
        f"# yaml-language-server: $schema={schema_ref}",
        # Scheme text in comments is shown on one line, control characters as \x1b.
        visible(f"# {scheme.city}首席数据官名册"),
        visible(
            f"# 依据：{doc.doc_number + ' ' if doc.doc_number else ''}《{doc.title}》"
            f"（{doc.issued.isoformat() if doc.issued else '未载明印发日期'}）"
        ),
        "# 填写说明：",
        "#   每个单位下 officers 按职位填写人员（姓名、职务、电话等），留空表示尚未确定；",
        "#   filings 记录已报送的材料：事项 id、报送日期（年度事项另写 period 年份）。",
        "#   history 记录卸任的人员（职位、姓名、任命和卸任日期），cdo record appoint 自动维护。",
        "#   事项 id 与职位说明见：cdo policy show " + scheme.id,
        "#   填好后运行：cdo validate 本文件",
        f"scheme: {scheme.id}",
        "units:",
    ]
    named = {(o.unit, o.role): o for o in scheme.named_officers}
    index = scheme.unit_index()
    named = {(index[u].name if u in index else u, r): o for (u, r), o in named.items()}
    kind = None
    for unit in scheme.units:
        if not unit.in_force(as_of):
            continue
        roles = [r for r in scheme.roles if r.applies(unit, as_of) is not False]
        duties = [o for o in scheme.obligations if o.owed_by.matches(unit) and o.due is not None]
        if not roles and not duties:
            continue
        if unit.kind != kind:
            kind = unit.kind
            lines.append(f"  # ———— {KIND_LABELS[kind]} ————")
        lines += _unit_block(unit, roles, named, [o.id for o in duties], scheme)
    return "\n".join(lines) + "\n"


def _unit_block(
    unit: Unit,
    roles: list[Role],
    named: dict[tuple[str, str], NamedOfficer],
    duties: list[str],
    scheme: Scheme,
) -> list[str]:
    lines = []
    counted = scheme.minimums_choosing(unit)
    if counted:
        # A unit the members choose from: listed means chosen (roster_coverage).
        asks = "；".join(f"文件要求{m.text}" for m in counted)
        lines.append(visible(f"  # 可选择的单位，列出即为选定（{asks}）；不选的删去这一项"))
    lines.append(f"  {_scalar(unit.name)}:")
    asked = [
        a
        for a in scheme.attributes
        if a.id not in unit.attributes
        and any(r.applies(unit) is None and a.id in _attribute_keys(r) for r in roles)
    ]
    if asked:
        lines.append("    attributes:")
        for attribute in asked:
            lines.append(visible(f"      # {attribute.name}？填 true 或 false，决定须设哪些职位"))
            lines.append(f"      {attribute.id}:")
    if roles:
        lines.append("    officers:")
    for role in roles:
        need = "必设" if role.required else "可设"
        if role.applies(unit) is None:
            need = "视单位属性而定"
        stage = role.stage(unit)
        if stage is not None:
            need += f"，{stage.since} 起" + ("，推定" if stage.assumed else "")
        count = _holders(role)
        lines.append(visible(f"      # {role.name}（{need}，{count}）" + (
            f"：{role.eligibility}" if role.eligibility else ""
        )))  # fmt: skip
        officer = named.get((unit.name, role.id))
        prefix = "" if role.required or officer else "# "
        if officer:
            lines.append(visible(f"      # 以下据文件{officer.source.section}所列人员填入"))
        lines.append(f"      {prefix}{role.id}:")
        for key, label in _FIELDS[role.category]:
            value = ""
            if officer and key == "name":
                value = _scalar(officer.name)
            elif officer and key == "title":
                value = _scalar(officer.title)
            if key == "qualification" and role.qualification:
                label = f"资质：{role.qualification}"  # the scheme's own words
            entry = f"{key}: {value}".rstrip()
            lines.append(visible(f"      {prefix}  {_pad(entry, 24)} # {label}"))
    if duties:
        lines.append(
            f"    filings: []  # 已报送的事项，如 - {{obligation: {duties[0]}, date: YYYY-MM-DD}}"
        )
    return lines


def _holders(role: Role) -> str:
    """How many a unit sets up, as the comment says it: 1名, 1至2名, 至多3名, 人数不限."""
    low, high = role.holders.min, role.holders.max
    if high is None:
        return f"至少{low}名" if low > 1 else "人数不限"
    if low == high or (low == 0 and role.required):  # a required post has at least one
        return f"{high}名"
    return f"至多{high}名" if low == 0 else f"{low}至{high}名"


def _attribute_keys(role: Role) -> set[str]:
    return {
        *role.applies_to.attributes,
        *(k for x in role.expands for k in x.applies_to.attributes),
    }


def _pad(text: str, width: int) -> str:
    """Pad to a display width, counting a Chinese character as two columns."""
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(width - shown, 1)
