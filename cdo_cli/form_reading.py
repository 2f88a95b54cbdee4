"""Reading a filled Word form (.docx) back into people: the mirror of rendering it.

:func:`read_docx` opens the file safely (:mod:`cdo_cli.docx_reading`), finds which of
the schemes' forms it is from the forms' own definitions (:mod:`cdo_cli.form_recognition`),
reads its rows and lines (:mod:`cdo_cli.form_rows`) and settles whose form it is. The
forms ``cdo render`` makes say what they are in custom document properties; those are
checked against what the tables say, never taken on trust.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from . import docx_properties as props
from .cell_text import clean_value, fold, match_key
from .docx_reading import Content, Paragraph, open_docx, read_content
from .errors import InvalidInputError
from .form_recognition import FormMatch, recognise
from .form_rows import WalkResult, walk
from .forms import form_units
from .lookup import UnitNames, unit_names
from .policy import Form, Scheme
from .records import ImportedFile, PersonRecord, Where
from .text import visible

if TYPE_CHECKING:
    from .policy_loading import Registry

# Two forms closer than this are a tie that the document's own properties may settle.
_TIE = 0.05


class FormNotRecognisedError(InvalidInputError):
    """A Word file was read but is none of the schemes' forms, or not whose (exit 1)."""


def _forms(
    registry: Registry, scheme_id: str | None
) -> tuple[list[tuple[Scheme, Form]], list[str]]:
    """The forms to compare with, and notes on scheme files that could not be used."""
    if scheme_id is not None:
        scheme = registry.get(scheme_id)
        return [(scheme, f) for f in scheme.forms], []
    schemes, broken = registry.usable()
    return [(s, f) for s in schemes for f in s.forms], broken


def _claimed(content: Content, forms: list[tuple[Scheme, Form]]) -> tuple[Scheme, Form] | None:
    """The scheme and form the document's custom properties name, if it is one of ``forms``."""
    scheme_id = content.properties.get(props.SCHEME)
    form_id = content.properties.get(props.FORM)
    return next(((s, f) for s, f in forms if s.id == scheme_id and f.id == form_id), None)


def _not_recognised(
    shown: str, matches: list[FormMatch], scope: str, broken: list[str]
) -> FormNotRecognisedError:
    if not matches:
        return FormNotRecognisedError(
            f"{shown} 无法识别：{scope}没有定义附件表格", hint="；".join(broken) or None
        )
    best = matches[0]
    missing = "、".join(best.missing)
    if best.found:
        hint = f"最接近的是{best.name}：找到了{'、'.join(best.found)}；没有找到{missing}。"
    else:
        hint = f"最接近的是{best.name}，但没有找到{missing}。"
    hint += "请用 cdo render 生成的表格填写，或检查表格的标题、分组和表头是否与附件一致。"
    if broken:
        hint += "另：" + "；".join(broken)
    return FormNotRecognisedError(f"{shown} 不是{scope}的任何一份附件表格", hint=hint)


def _other_schemes(content: Content, path: Path, registry: Registry,
                   scheme_id: str) -> list[FormMatch]:  # fmt: skip
    """The other schemes' forms scored against a document none of its scheme's forms is."""
    schemes, _broken = registry.usable()
    others = [(s, f) for s in schemes if s.id != scheme_id for f in s.forms]
    return recognise(content, others, path.stem)


def _other_scheme_error(shown: str, best: FormMatch, scope: str) -> FormNotRecognisedError:
    """Zhaoqing's list imported into Puning's roster: whose form it is, and what to do."""
    city = best.scheme.city
    return FormNotRecognisedError(
        f"{shown} 是{city}方案的{best.form.label}（{best.form.title}），不是{scope}的表格",
        hint=f"请导入{city}的名册：cdo import 文件 --roster {city}的名册.yaml"
        f"（还没有时用 cdo init --scheme {best.scheme.id} 生成）。",
    )


def _choose(content: Content, forms: list[tuple[Scheme, Form]], path: Path, scheme_id: str | None,
            broken: list[str], notes: list[str], registry: Registry) -> FormMatch:  # fmt: skip
    """The form the document is; FormNotRecognisedError naming the closest when none."""
    shown = visible(str(path))
    scope = f"{forms[0][0].city}方案" if scheme_id is not None and forms else "各方案"
    if all(isinstance(i, Paragraph) and not i.text.strip() for i in content.items):
        raise FormNotRecognisedError(f"{shown} 中没有文字，也没有表格", hint="请确认选对了文件。")
    matches = recognise(content, forms, path.stem)
    passing = [m for m in matches if m.passes]
    if not passing:
        others = _other_schemes(content, path, registry, scheme_id) if scheme_id else []
        theirs = [m for m in others if m.passes]
        if theirs:
            raise _other_scheme_error(shown, theirs[0], scope)
        if others and others[0].found and not (matches and matches[0].found):
            matches = others  # the closest is another scheme's form: name that one
        raise _not_recognised(shown, matches, scope, broken)
    best = passing[0]
    claimed = _claimed(content, forms)
    if claimed is not None:
        mine = next(m for m in matches if (m.scheme, m.form) == claimed)
        if mine.passes and mine.score >= best.score - _TIE:
            return mine
        notes.append(f"文件属性记载这是{mine.name}，但内容与之不符，按内容识别为{best.name}")
    elif content.properties.get(props.FORM):
        notes.append("文件属性记载的附件不在所用方案中，按内容识别")
    rivals = [m for m in passing[1:] if m.score >= best.score - _TIE / 5]
    if rivals:
        names = "、".join(m.name for m in [best, *rivals])
        raise FormNotRecognisedError(
            f"{shown} 同样像{names}，无法判断是哪一份",
            hint="每个文件只放一份附件；或用 --scheme 指定方案。",
        )
    return best


def _unit_from_name(path: Path, form: Form) -> str:
    """The unit a file's name gives: ``附件2-市公安局.docx`` (or ``附件2-05-市公安局.docx``,
    as ``cdo render --all`` numbers them) → 市公安局."""
    stem = fold(path.stem)
    label = r"\s*".join(map(re.escape, fold(form.label)))
    stem = re.sub(rf"^\s*{label}(?!\d)[\s\-_—–:：、.]*", "", stem)
    stem = re.sub(r"^\d{1,6}[\s\-_—–:：、.]+", "", stem)  # render --all: 附件2-05-市公安局
    stem = stem.replace(fold(form.title), "")
    stem = re.sub(r"\s*[(（]\d+[)）]\s*$", "", stem)  # 附件2-市公安局(1): a second copy
    unit = clean_value(stem.strip(" -_—–:：、."))
    # 报名表.docx names the form, not a unit.
    return "" if match_key(unit) in match_key(form.label + form.title) else unit


def _same_unit(names: UnitNames, a: str, b: str) -> bool:
    """True when two written names are one unit (by the scheme's names, else by key)."""
    if match_key(a) == match_key(b):
        return True  # the usual answer, without looking either name up
    ua = names.find(a)
    return ua is not None and ua is names.find(b)


def _settle_unit(match: FormMatch, walked: WalkResult, content: Content, path: Path,
                 notes: list[str]) -> str:  # fmt: skip
    """Whose per-unit form this is: the 单位 cell, else a 填报单位 label beside the table,
    else the properties, else the file name (or the form's only unit)."""
    scheme, form = match.scheme, match.form
    names = unit_names(scheme)
    claimed = content.properties.get(props.UNIT, "")
    written = list(dict.fromkeys(u for u, _ in walked.unit_cells))
    if not written and walked.unit_labels:
        written = list(dict.fromkeys(u for u, _ in walked.unit_labels))
    if written:
        unit = written[0]
        others = [u for u in written[1:] if not _same_unit(names, u, unit)]
        if others:
            notes.append(
                f"表格中填了不止一个单位（{'、'.join(visible(u) for u in written)}），"
                f"按第一个“{visible(unit)}”导入"
            )
        if claimed and not _same_unit(names, claimed, unit):
            notes.append(
                f"文件属性记载的单位是“{visible(claimed)}”，表格中“单位”一栏填的是"
                f"“{visible(unit)}”：按表格导入，请核对是否用错了文件"
            )
        return unit
    if claimed:
        notes.append(f"表格中没有填写单位，按文件属性记载的“{visible(claimed)}”导入")
        return claimed
    named = _unit_from_name(path, form)
    scope = form_units(scheme, form)
    if named and names.find(named) is not None:
        notes.append(f"表格中没有填写单位，按文件名取为“{visible(named)}”")
        return named
    if len(scope) == 1:
        return scope[0].name
    if named and _looks_like_a_unit(named):  # a name with a typo: import says what it may be
        notes.append(f"表格中没有填写单位，按文件名取为“{visible(named)}”")
        return named
    raise FormNotRecognisedError(
        f"{visible(str(path))} 看不出是哪个单位填写的{form.label}",
        hint=f"请在表格的“单位”一栏填写单位名称，或把文件命名为“{form.label}-单位名称.docx”。",
    )


def _looks_like_a_unit(text: str) -> bool:
    """True for a file name that may be a unit's name: Chinese, not ``scan_0012``."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def read_docx(path: Path, registry: Registry, *, scheme_id: str | None = None) -> ImportedFile:
    """The people a filled Word form names, with the scheme and form it was recognised as.

    ``scheme_id`` limits recognition to that scheme's forms. A blank form gives an
    ImportedFile with no people and a note; a unit list (nothing to import) likewise.
    Raises UnreadableError (exit 2) for files that cannot be opened as .docx, and
    FormNotRecognisedError (exit 1) for one that is none of the forms, saying which it
    most resembles and what it lacks.
    """
    document = open_docx(path)
    content = read_content(document, visible(str(path)))
    # An evaluation sheet (评价表) gives scores, not people.
    from .evaluation_reading import read_sheet_content

    scored = read_sheet_content(content, path, registry, scheme_id)
    if scored is not None:
        return scored
    forms, broken = _forms(registry, scheme_id)
    shown = str(path)
    result = ImportedFile(path=shown)
    match = _choose(content, forms, path, scheme_id, broken, result.notes, registry)
    scheme, form = match.scheme, match.form
    result.scheme, result.form = scheme.id, form.id
    if all(s.kind == "unit_list" for s in form.sections):
        result.notes.append(f"{form.label}（{form.title}）是单位名单，没有可导入的人员")
        return result
    walked = walk(scheme, form, content, shown)
    result.notes.extend(walked.notes)
    if not walked.people:
        # Rows left unread (their notes follow) are not a blank form.
        why = (
            "中没有读出可导入的人员（见以下说明）"
            if walked.notes
            else "未填写人员，没有可导入的内容"
        )
        result.notes.insert(0, f"{form.label}（{form.title}）{why}")
        return result
    unit = _settle_unit(match, walked, content, path, result.notes) if form.per_unit else None
    redacted = content.properties.get(props.REDACTED) == "true"
    for raw in walked.people:
        role = raw.section.role
        if role is None:  # a scheme may declare a section no role is read from
            continue
        owner = unit or raw.unit or ""
        person = _unmasked(raw.person, result.notes, raw.where) if redacted else raw.person
        result.people.append(PersonRecord(owner, role, person, raw.where))
        if owner not in result.units:
            result.units.append(owner)
    # Only the sections the document has speak for their posts: a list that leaves out
    # a section says nothing about that section's people.
    roles = [r for i, s in enumerate(form.sections) if i in walked.sections and (r := s.role)]
    result.posts = [(u, r) for u in result.units for r in dict.fromkeys(roles)]
    return result


def _unmasked(person: dict[str, str], notes: list[str], where: Where) -> dict[str, str]:
    """A person read from a 公开版 copy (``render --redact``): a phone or e-mail still
    masked (``138****8000``, ``z***@…``) is not data, so it is left out, as a blank cell
    is, and the roster keeps what it has. One typed over the mask is read."""
    kept = {k: v for k, v in person.items() if not (k in ("phone", "email") and "*" in v)}
    if len(kept) < len(person):
        notes.append(
            f"{where}：这是公开版（电话、邮箱已遮盖），遮盖的电话、邮箱未导入，名册中的保持不变"
        )
    return kept
