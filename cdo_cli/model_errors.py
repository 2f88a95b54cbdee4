"""Turning pydantic's validation errors into findings a civil servant can act on."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any, get_args, get_origin

from pydantic import BaseModel, ValidationError

from .errors import one_of
from .findings import Finding, error

_MESSAGES = {
    "missing": "缺少必填项",
    "extra_forbidden": "未知的键",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每项以“- ”开头）",
    "dict_type": "应为键值对（映射）",
    "model_type": "应为键值对（映射）",
    "model_attributes_type": "应为键值对（映射）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "不是有效的日期（应为 YYYY-MM-DD）",
    "date_from_datetime_parsing": "不是有效的日期（应为 YYYY-MM-DD）",
    "date_from_datetime_inexact": "不是有效的日期（应为 YYYY-MM-DD）",
    "string_pattern_mismatch": "格式不对（只能用小写字母、数字和下划线，以字母开头）",
    "string_too_short": "不能为空",
    "too_short": "不能为空",
    "enum": "不是允许的取值",
    "literal_error": "不是允许的取值",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "greater_than": "数值太小",
    "less_than": "数值太大",
    "value_error": "取值无效",
    "assertion_error": "取值无效",
    "int_from_float": "应为整数，不能有小数",
    "int_parsing_size": "数值太大",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "finite_number": "应为有限的数字",
    "string_too_long": "文字太长",
    "string_unicode": "应为文本",
    "too_long": "项数太多",
    "none_required": "此处应为空",
    "mapping_type": "应为键值对（映射）",
    "iterable_type": "应为列表（每项以“- ”开头）",
    "set_type": "应为列表（每项以“- ”开头）",
    "tuple_type": "应为列表（每项以“- ”开头）",
    "invalid_key": "键应为文本",
    "union_tag_invalid": "不是允许的取值",
    "union_tag_not_found": "缺少用于区分类型的键",
    "recursion_loop": "数据中有循环引用",
    "datetime_type": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "不是有效的日期（应为 YYYY-MM-DD）",
    "date_past": "日期应在过去",
    "date_future": "日期应在将来",
    "frozen_field": "不能修改",
    "is_instance_of": "类型不对",
}
# The limit a bound names, for the messages above that have one.
_LIMITS = {
    "greater_than_equal": ("ge", "应不小于 {}"),
    "less_than_equal": ("le", "应不大于 {}"),
    "greater_than": ("gt", "应大于 {}"),
    "less_than": ("lt", "应小于 {}"),
    "string_too_long": ("max_length", "最多 {} 个字"),
    "too_long": ("max_length", "最多 {} 项"),
    "too_short": ("min_length", "至少 {} 项"),
}
_CJK = re.compile("[\u3400-\u9fff]")
# Errors that are not about the value written (so an empty value is not the point).
_NOT_ABOUT_VALUE = {"missing", "extra_forbidden", "value_error", "assertion_error"}
# Errors after which an example of how the key is written helps.
_ABOUT_SHAPE = {
    "missing", "model_type", "model_attributes_type", "dict_type", "mapping_type",
    "list_type", "string_type", "date_type", "bool_type", "int_type",
}  # fmt: skip


def field_names(models: Iterable[type[BaseModel]]) -> list[str]:
    """Every field name of the given models, for "did you mean" on unknown keys."""
    names: set[str] = set()
    for model in models:
        names.update(model.model_fields)
    return sorted(names)


def findings_from(
    exc: ValidationError,
    vocabulary: list[str],
    code: str,
    prefix: tuple[str | int, ...] = (),
    model: type[BaseModel] | None = None,
    *,
    labels: Mapping[str, str] | None = None,
    hints: Mapping[str, str] | None = None,
) -> list[Finding]:
    """One error finding per pydantic error, with its key path and a Chinese message.

    ``prefix`` is prepended to every path (for a part validated on its own); ``model``
    is the model validated, so that an unknown key can be told which keys are allowed.
    ``labels`` names allowed values in Chinese (``government`` 本级政府); ``hints`` says,
    by key, how a value is written, for a key that is missing or of the wrong type.
    """
    out: list[Finding] = []
    for err in exc.errors(include_url=False):
        inner = tuple(p for p in err["loc"] if not _is_union_tag(p))
        loc = (*prefix, *inner)
        kind = err["type"]
        message = _MESSAGES.get(kind, "取值无效")
        # "key:" with nothing after it: say so, instead of "“None”应为日期".
        empty = err.get("input", 0) is None and kind not in _NOT_ABOUT_VALUE
        if kind in _LIMITS:
            key, text = _LIMITS[kind]
            limit = err.get("ctx", {}).get(key)
            if limit is not None and not (kind == "too_short" and limit == 1):
                message = f"{message}（{text.format(limit)}）"
        hint = None
        if kind == "extra_forbidden" and loc:
            key = str(loc[-1])
            allowed = _allowed_keys(model, inner) if model else []
            close = difflib.get_close_matches(key, allowed or vocabulary, n=1, cutoff=0.6)
            message = f"未知的键“{key}”"
            hint = f"是否应为“{close[0]}”？" if close else "请检查拼写，或删除该键。"
            if allowed:
                hint += f"此处可用的键：{'、'.join(allowed)}"
        elif kind in {"enum", "literal_error"}:
            expected = str(err.get("ctx", {}).get("expected") or "")
            choices = re.findall(r"'([^']*)'", expected)
            named = {c: _label(labels, loc, c) for c in choices} if labels else {}
            listed = one_of([f"{c}（{named[c]}）" if named.get(c) else c for c in choices])
            message = ("没有填写" if empty else f"{message}：{_value(err)}") + (
                f"；可选：{listed}" if choices else (f"；可选：{expected}" if expected else "")
            )
            meant = [c for c, label in named.items() if label and _means(err.get("input"), label)]
            if meant:
                hint = f"是否应为“{meant[0]}”（{named[meant[0]]}）？"
        elif kind.startswith("date"):
            message = f"没有填写，{message}" if empty else f"“{_value(err)}”{message}"
            hint = "日期写成 YYYY-MM-DD，且须是真实存在的日期，如 2023-10-30。"
        elif empty:
            message = f"没有填写，{message}"
        elif kind == "value_error":
            # Our validators speak Chinese; a library's English reason is not shown.
            reason = str(err.get("ctx", {}).get("error") or "")
            message = reason if _CJK.search(reason) else message
        if loc and kind != "extra_forbidden" and kind != "missing":
            message = f"{_field(loc)}：{message}"
        elif kind == "missing":
            message = f"缺少必填项“{loc[-1]}”" if loc else message
        if hint is None and hints and loc and kind in _ABOUT_SHAPE:
            hint = hints.get(str(loc[-1]))
        out.append(error(code if kind != "extra_forbidden" else "key-unknown", message, loc, hint))
    return out


def _label(labels: Mapping[str, str], loc: tuple[Any, ...], value: str) -> str | None:
    """The Chinese name of an allowed value, the field's own first (``field.contact``)."""
    return labels.get(f"{_field(loc)}.{value}") or labels.get(value)


def _means(written: Any, label: str) -> bool:
    """Whether a value written in Chinese names what ``label`` describes (部门 → 政府部门)."""
    return isinstance(written, str) and len(written) >= 2 and written in label


def _value(err: Any) -> str:
    value = err.get("input")
    return str(value) if not isinstance(value, dict | list) else type(value).__name__


def _field(loc: tuple[Any, ...]) -> str:
    """The key being complained about (its position is given separately)."""
    names = [str(p) for p in loc if isinstance(p, str)]
    return names[-1] if names else ".".join(str(p) for p in loc)


def _allowed_keys(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys the model allows where ``loc`` (ending in the unknown key) points."""
    current: type[BaseModel] | None = model
    skip_key = False
    for part in loc[:-1]:
        if current is None:
            return []
        if isinstance(part, int):
            continue
        if skip_key:  # a mapping's own key (a unit name, a role id)
            skip_key = False
            continue
        field = current.model_fields.get(part)
        if field is None:
            return []
        current, skip_key = _model_in(field.annotation)
    return list(current.model_fields) if current is not None else []


def _model_in(tp: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model inside a field's type, and whether the field is a mapping to it."""
    origin = get_origin(tp)
    # On Python 3.10 list[Person] is an instance of type too, and issubclass raises on it.
    if origin is None and isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp, False
    mapping = origin is dict
    for arg in get_args(tp):
        found, inner_mapping = _model_in(arg)
        if found is not None:
            return found, mapping or inner_mapping
    return None, False


def _is_union_tag(part: Any) -> bool:
    # pydantic puts the union member's type name into loc ("list[Person]", "Person").
    return isinstance(part, str) and (part[:1].isupper() or "[" in part)
