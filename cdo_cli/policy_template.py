"""The starting scheme file that ``cdo policy new`` writes, and the id it is written under."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .errors import UsageError
from .resources import templates_dir
from .text import controls, json_safe, visible

TEMPLATE = "policy-new.yaml"
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,63}")
_MARKER = re.compile(r"__(ID|CITY|GOVERNMENT|CITY_TEXT|FILE)__")
# Guangdong's prefecture-level cities: a suggestion for --id when the city is given in
# Chinese (cdo carries no pinyin table; any other place gets a generic example).
_KNOWN_IDS = {
    "广东": "guangdong", "广州": "guangzhou", "深圳": "shenzhen", "珠海": "zhuhai",
    "汕头": "shantou", "佛山": "foshan", "韶关": "shaoguan", "河源": "heyuan",
    "梅州": "meizhou", "惠州": "huizhou", "汕尾": "shanwei", "东莞": "dongguan",
    "中山": "zhongshan", "江门": "jiangmen", "阳江": "yangjiang", "湛江": "zhanjiang",
    "茂名": "maoming", "肇庆": "zhaoqing", "清远": "qingyuan", "潮州": "chaozhou",
    "揭阳": "jieyang", "云浮": "yunfu", "普宁": "puning",
}  # fmt: skip


def scalar(value: str) -> str:
    """A YAML string for ``value``: plain when it is clearly text (Chinese, no YAML
    punctuation), else double-quoted, so that "null", "2024" or "a: b" stay text."""
    plain = (
        not value.isascii()
        and value.strip() == value
        and not any(c in value for c in ":#{}[],&*!|>'\"%@`")
        and value[0] not in "-?"
    )
    return value if plain else json_safe(json.dumps(value, ensure_ascii=False))


def check_city(city: str) -> str:
    """The city as given, refused when empty, over 64 characters or holding control characters."""
    text = city.strip()
    if not text:
        raise UsageError("--city 不能为空", hint="例如 --city 汕头市")
    if controls(text):
        raise UsageError(f"--city 中有不可见的控制字符：{visible(text)}")
    if len(text) > 64:
        raise UsageError("--city 太长（最多 64 个字）")
    return text


def suggest_id(city: str) -> str:
    """An id to suggest for ``city``: its own letters if it has them, a known pinyin, or an example."""
    ascii_id = re.sub(r"[^a-z0-9]+", "_", city.lower()).strip("_").lstrip("0123456789_")
    if ascii_id:
        return ascii_id[:64]
    for name, known in _KNOWN_IDS.items():
        if city.startswith(name):
            rest = city[len(name) :].lstrip("省市")
            return known if not rest else f"{known}_xxx"
    return "mycity"


def choose_id(city: str, scheme_id: str | None, output: Path | None) -> str:
    """The id of the new scheme: ``--id``, else the output file's name, else the city's
    own letters; a usage error that suggests one when none of them makes a valid id."""
    if scheme_id is not None:
        if not ID_PATTERN.fullmatch(scheme_id):
            raise UsageError(
                f"方案 id“{visible(scheme_id)}”不合要求：只能用小写字母、数字和下划线，以字母开头，最多 64 个字符",
                hint=f"例如 --id {suggest_id(scheme_id) if suggest_id(scheme_id) != 'mycity' else suggest_id(city)}",
            )
        return scheme_id
    if output is not None and ID_PATTERN.fullmatch(output.stem):
        return output.stem
    suggestion = suggest_id(city)
    if city.isascii() and ID_PATTERN.fullmatch(suggestion):
        return suggestion
    raise UsageError(
        "请用 --id 指定方案 id（名册和命令用它指称方案，文件名也是它）",
        hint=f"id 只能用小写字母、数字和下划线，以字母开头，一般用城市名的拼音，"
        f"如：cdo policy new --city {visible(city)} --id {suggestion}",
    )


def target_path(scheme_id: str, output: Path | None, *, folder: bool) -> Path:
    """Where the new scheme goes: ``<id>.yaml`` here or in the folder ``-o`` names.

    cdo finds a scheme by its file name, so a file named otherwise is refused.
    """
    if output is None or folder:
        return (output or Path()) / f"{scheme_id}.yaml"
    if output.stem != scheme_id or output.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(
            f"文件名须为方案 id 加 .yaml：{output.name} 与 id“{scheme_id}”不符（cdo 按文件名找方案）",
            hint=f"用 -o {output.with_name(scheme_id + '.yaml')}，或用 --id 指定别的 id。",
        )
    return output


def policy_template(city: str, scheme_id: str, file_name: str) -> str:
    """The text of a new scheme file for ``city``, every section present, TODO where to fill."""
    text = (templates_dir() / TEMPLATE).read_text(encoding="utf-8")
    values = {
        "ID": scheme_id,
        "CITY": scalar(city),
        "GOVERNMENT": scalar(f"{city}人民政府"),
        "CITY_TEXT": visible(city),
        "FILE": visible(file_name),
    }
    return _MARKER.sub(lambda m: values[m.group(1)], text)
