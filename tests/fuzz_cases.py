"""Inputs for the property-based test (test_fuzz.py): mutated schemes and rosters, commands.

A case is one mutated file (a shipped scheme, or a roster as ``cdo init`` writes it, blank
or filled) and a few command lines to run on it. :func:`run_case` runs them in-process in
a fresh folder and returns a :class:`Failure` for the first that crashes, exits with a code
other than 0, 1 or 2, or takes longer than ``HANG_SECONDS`` of CPU time.

Mutations are made on the data (delete a key, put an odd value in place of another) and
on the text (tags, anchors, complex keys, indentation, truncation, line ends, encodings).
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import functools
import io
import json
import os
import re
import signal
import tempfile
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

from cdo_cli.cli import app
from cdo_cli.forms import form_units
from cdo_cli.policy_loading import Registry
from cdo_cli.roster_template import roster_template

ROOT = Path(__file__).resolve().parents[1]
SCHEMES = sorted(p.stem for p in (ROOT / "policies").glob("*.yaml"))
HANG_SECONDS = 15.0  # of CPU time
HANG_WALL_FACTOR = 8  # on the clock: 2 minutes, for a command blocked, not computing
EXIT_CODES = {0, 1, 2}

# ---------------------------------------------------------------- the files to start from


class Base:
    """A file to mutate: a scheme, or a roster of a scheme."""

    def __init__(self, name: str, kind: str, scheme: str, text: str) -> None:
        self.name = name
        self.kind = kind  # "scheme" or "roster"
        self.scheme = scheme
        self.text = text

    def __repr__(self) -> str:  # hypothesis prints examples with it: no text
        return f"Base({self.name!r})"


_FILL = {
    "name": "{surname}{given}",
    "title": "副局长",
    "phone": '"138001{n:05d}"',
    "email": "user{n}@example.cn",
    "appointed": "2023-10-25",
    "office": "办公室",
    "qualification": "计算机专业",
}
_SURNAMES = "张王李赵陈刘杨黄周吴"
_GIVEN = "一二三四五六七八九十"


def fill(text: str, scheme_id: str) -> str:
    """A scaffolded roster with every field filled, optional posts taken, filings made.

    Each post gets its own person (the schemes keep some posts apart).
    """
    recurring = {
        o.id for o in _registry().get(scheme_id).obligations if o.due and o.due.every is not None
    }
    out = []
    n = 0
    for line in text.splitlines():
        # An optional post is written commented out: "      # support_data:" and its fields.
        line = re.sub(r"^(\s+)# ((?:\w+:)|(?:  \w+:.*#.*))$", r"\1\2", line)
        n += line.lstrip().startswith("name:")
        match = re.match(r"^(\s+)(\w+):\s+(#.*)$", line)
        if match and match.group(2) in _FILL:
            value = _FILL[match.group(2)].format(
                n=n, surname=_SURNAMES[n % 10], given=_GIVEN[n // 10 % 10] + _GIVEN[n % 10]
            )
            line = f"{match.group(1)}{match.group(2)}: {value}  {match.group(3)}"
        match = re.match(r"^(\s+)filings: \[\]  # .*obligation: (\w+),", line)
        if match:
            period = ", period: 2023" if match.group(2) in recurring else ""
            line = (
                f"{match.group(1)}filings: [{{obligation: {match.group(2)}, "
                f"date: 2023-10-28{period}}}]"
            )
        out.append(line)
    return "\n".join(out) + "\n"


@functools.lru_cache(maxsize=1)
def _registry() -> Registry:
    return Registry()


@functools.lru_cache(maxsize=1)
def bases() -> tuple[Base, ...]:
    """The shipped schemes, and for each the roster ``cdo init`` writes, blank and filled."""
    found = []
    for scheme_id in SCHEMES:
        scheme = _registry().get(scheme_id)
        text = (ROOT / "policies" / f"{scheme_id}.yaml").read_text(encoding="utf-8")
        found.append(Base(f"{scheme_id}.yaml", "scheme", scheme_id, text))
        blank = roster_template(scheme, f"{scheme_id}.roster.schema.json")
        found.append(Base(f"{scheme_id} roster (blank)", "roster", scheme_id, blank))
        found.append(
            Base(f"{scheme_id} roster (filled)", "roster", scheme_id, fill(blank, scheme_id))
        )
    return tuple(found)


@functools.cache
def _data(text: str) -> Any:
    return YAML(typ="safe").load(text)


def _dump(data: Any) -> str:
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


# ---------------------------------------------------------------- odd values

_CONTROL = ["\x00", "\x01", "\x07", "\x08", "\v", "\f", "\x1b", "\x1b[2J", "\x7f", "\x85",
            "\x9b", "\r", "\ufeff", "\ufffe", "\uffff", "\u200b", "\u200e", "\u200f", "\u202e",
            "\u2066", "\u2028", "\u2029", "\U0001f600", "\U000e0041"]  # fmt: skip

ODD_STRINGS = [
    "", " ", "\t", "名" * 300, "x" * 20_000, "{{ 7*7 }}", "{% raw %}x{% endraw %}", "{{", "}}",
    "{#", "<script>alert(1)</script>", "</td></tr></table>", "&amp;", "]]>", "`x`",
    "=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(1)", "\t=1", "../../etc/passwd", "nul.docx",
    "a/b\\c", "*", "?", "~", "null", "yes", "no", "on", "2023-02-30", "2023-13-45", "0000-00-00",
    "9999-12-31", "0001-01-01", "2023-10-28T10:00:00", "10:00", "13800138000", "+86 138 0013 8000",
    "0663-6186213", "1380013800O", "a@b", "用户@例子.中国", "a@example.cn\n", "ＡＢＣ１２３",
    "２０２３-１１-０１", "\U00020000", "e\u0301", "Ω", "İ", "ß", "ﬁ", "%s%n", "\\", '"', "'",
    "#", ": x", "- x", "* x", "| x", "> x",
    *_CONTROL,
    *(f"市公安局{c}" for c in _CONTROL[:6]),
]  # fmt: skip

SPECIAL_INTS = [
    0,
    -1,
    1,
    2,
    12,
    13,
    29,
    30,
    31,
    32,
    1899,
    1900,
    2200,
    2201,
    9999,
    10_000,
    2**31,
    2**63,
    10**30,
    -(10**30),
]


def odd_value(depth: int = 0) -> st.SearchStrategy[Any]:
    """A value to put where another was: odd strings, numbers, dates, containers."""
    leaves: list[st.SearchStrategy[Any]] = [
        st.sampled_from(ODD_STRINGS),
        st.sampled_from(SPECIAL_INTS),
        st.integers(),
        st.floats(),
        st.booleans(),
        st.none(),
        st.dates(),
        st.datetimes(),
        st.text(max_size=12),
        st.binary(max_size=4),
    ]
    if depth < 2:
        leaves += [
            st.lists(odd_value(depth + 1), max_size=3),
            st.dictionaries(
                st.sampled_from(["a", "name", "", "units", "1"]), odd_value(depth + 1), max_size=2
            ),
        ]
    return st.one_of(leaves)


# ---------------------------------------------------------------- data-level mutations


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, (*prefix, i))


@functools.cache
def _all_paths(text: str) -> tuple[tuple[Any, ...], ...]:
    return tuple(p for p in _paths(_data(text)) if p)


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


@st.composite
def data_mutation(draw: st.DrawFn, data: Any, paths: tuple[tuple[Any, ...], ...]) -> str:
    """Change ``data`` in place at one path; returns what was done."""
    path = draw(st.sampled_from(paths))
    parent, key = _at(data, path[:-1]), path[-1]
    how = draw(
        st.sampled_from(["delete", "rename", "duplicate", "move", "every", *["replace"] * 4])
    )
    where = "/".join(map(str, path))
    if how == "every":
        # The same value under every key of one name (every unit's name, every phone), the
        # name drawn evenly: whichever unit a command picks then has it.
        key = draw(st.sampled_from(sorted({p[-1] for p in paths if isinstance(p[-1], str)})))
        places = [p for p in paths if p[-1] == key]
        value = draw(_like(_at(data, places[0])))
        for other in places:
            if _exists(data, other):
                _at(data, other[:-1])[key] = value
        return f"set every {key!r} = {value!r:.80}"
    if how == "delete":
        del parent[key]
        return f"delete {where}"
    if how == "rename" and isinstance(parent, dict):
        new = draw(
            st.one_of(
                st.sampled_from(ODD_STRINGS),
                st.sampled_from(SPECIAL_INTS),
                st.none(),
                st.booleans(),
            )
        )
        if new in parent:
            return f"rename {where}: {new!r:.80} exists"
        parent[new] = parent.pop(key)
        return f"rename {where} -> {new!r:.80}"
    if how == "duplicate" and isinstance(parent, list):
        parent.insert(key, copy.deepcopy(parent[key]))
        return f"duplicate {where}"
    if how == "move":
        other = draw(st.sampled_from(paths))
        try:
            value = copy.deepcopy(_at(data, other))
        except (KeyError, IndexError, TypeError):
            return f"move {other} (gone)"
        parent[key] = value
        return f"copy {'/'.join(map(str, other))} -> {where}"
    value = draw(_like(parent[key]))
    parent[key] = value
    return f"set {where} = {value!r:.80}"


def _like(old: Any) -> st.SearchStrategy[Any]:
    """Mostly a value of the same type (so that the file stays valid), else anything."""
    if isinstance(old, str):
        same: st.SearchStrategy[Any] = st.one_of(
            st.sampled_from(ODD_STRINGS),
            st.text(max_size=20),
            st.just(old + old),
            # The same text with an odd character in it, so that it is still a valid value.
            st.builds(
                lambda c, i: old[:i] + c + old[i:],
                st.sampled_from(INSERT_CHARS),
                st.integers(0, len(old)),
            ),
        )
    elif isinstance(old, bool):
        same = st.booleans()
    elif isinstance(old, int):
        same = st.one_of(st.sampled_from(SPECIAL_INTS), st.integers(-(10**4), 10**4))
    elif isinstance(old, dt.date):
        same = st.one_of(st.dates(), st.sampled_from(["2023-02-30", "2023-02-29", "9999-12-31"]))
    elif isinstance(old, list):
        same = st.just([])
    elif isinstance(old, dict):
        same = st.just({})
    else:
        same = odd_value()
    return st.one_of(same, same, odd_value())


# ---------------------------------------------------------------- text-level mutations

RAW_VALUES = [
    "!!int abc", "!!int", "!!int ''", "!!float abc", "!!float", "!!bool maybe", "!!null x",
    "!!str", "!!binary AAAA", "!!binary '!!'", "!!timestamp 2023-13-45", "!!timestamp x",
    "!!set {a, b}", "!!omap [a: 1, a: 2]", "!!pairs [a: 1]", "!!seq x", "!!map x",
    "!!python/object/apply:os.system ['true']", "!!python/name:os.system", "!!python/tuple [1]",
    "!custom x", "!<tag:yaml.org,2002:int> x", "!<!> x", "!!merge x", "!!value x",
    "*nope", "&a x", "&a [1, *a]", "[[1]]", "[[[[[[[[[[]]]]]]]]]]", "{a: [b, {c: d}]}", "{}",
    "[]", "{? [1]: 2}", "2023-02-30", "2023-02-29", "2024-02-29", "9999-12-31", "0001-01-01",
    "0000-00-00", "2023-10-28T25:61:00", "2023-10-28 10:00:00 +08:00", "1e400", "-1e400",
    "-.inf", ".nan", ".NaN", "0x1F", "0o17", "0b11", "1_000", "1:20", "~", "null", "Null",
    "NULL", "''", '""', "yes", "No", "off", "y", "=", "<<", "-1", "-0", "+1", "007",
    "99999999999999999999999999999999", "-99999999999999999999999999999999", "1.5", "1e3",
    "'unterminated", '"unterminated', '"\\xZZ"', '"\\ud800"', '"\\U0010FFFF"', '"\\x00"',
    '"\\e[2J"', '"\\x85"', '"\\u2028"', '"\\u202e名"', '"\\ufffe"', "'{{ 7*7 }}'", "'=1+1'",
    "|\n  block", ">-\n  folded", "|-", "|9", "a: b", "a: b: c", "- a", "? x", "@x", "`x`",
    "%x", "x # c", "x#c", "'a''b'", "\"\\\"\"",
]  # fmt: skip

INSERT_LINES = [
    "? [[1]]", "? [[1]]\n{i}: x", "? {a: 1}\n{i}: x", "[1]: x", "{a: 1}: x", "<<: {a: 1}",
    "<<: *nope", "<<: [1]", "&a k: v", "!!python/object/apply:os.system ['true']: x",
    "x: !!python/object/apply:os.system ['true']", "---", "...", "%YAML 1.1", "%TAG ! !x",
    "# comment", "", "  ", "\t", "- x", "x", ":", "x:", "null: x", "~: x", "1: x", "true: x",
    "2023-10-28: x", "'': x", "x: &anchor [*anchor]",
    "x: &a [1]\n{i}y: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n{i}z: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n{i}w: [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
    "x: " + "[" * 600 + "]" * 600,
    "x: " + "{a: " * 150 + "1" + "}" * 150,
]  # fmt: skip

INSERT_CHARS = [*_CONTROL, "\t", "\n", ":", "#", "&", "*", "!", "|", ">", "'", '"', "{", "[", "]",
                "}", ",", "-", "?", "%", "@", "`", " ", "\\", "\ud800"]  # fmt: skip

LINE_ENDS = ["\r", "\r\n", "\x85", "\u2028", "\u2029", "\n\n", "\r\r\n"]

WHOLE_FILES = [
    "", "\n", "---\n", "...\n", "~\n", "[]\n", "{}\n", "x\n", "- 1\n", "# only a comment\n",
    "\ufeff", "\x00", "scheme: puning\n", "scheme: puning\nunits:\n", "scheme: puning\nunits: []\n",
    "scheme: [puning]\nunits: {}\n", "scheme: puning\nunits:\n  市公安局: ~\n",
    "scheme: puning\nunits:\n  市公安局: []\n", "scheme: puning\nunits:\n  市公安局:\n    officers: ~\n",
    "scheme: puning\nunits:\n  市公安局:\n    officers:\n      dept_cdo: []\n",
    "scheme: puning\nunits:\n  市公安局:\n    filings: [~]\n",
    "scheme: zhaoqing\nunits: {}\n---\nscheme: puning\n", "id: puning\n", "id: x\ncity: y\n",
]  # fmt: skip


TEXT_MUTATIONS = ["value", "value", "value", "insert", "insert", "delete line", "dup line",
                  "indent", "truncate", "line ends", "char", "alias", "whole"]  # fmt: skip

_KEY_LINE = re.compile(r"^(\s*(?:- )?)([^\s#:][^:#]*):( +)(\S.*)?$")


@st.composite
def text_mutation(draw: st.DrawFn, text: str) -> tuple[str, str]:
    """One change to the text; returns the new text and what was done."""
    lines = text.split("\n")
    i = draw(st.integers(0, max(len(lines) - 1, 0)))
    line = lines[i]
    indent = re.match(r"\s*", line).group()  # type: ignore[union-attr]
    how = draw(st.sampled_from(TEXT_MUTATIONS))
    if how == "value":
        keyed = [j for j, x in enumerate(lines) if _KEY_LINE.match(x)]
        if not keyed:
            return text, "no key line"
        j = draw(st.sampled_from(keyed))
        raw = draw(st.sampled_from(RAW_VALUES))
        m = _KEY_LINE.match(lines[j])
        assert m
        lines[j] = (
            f"{m.group(1)}{m.group(2)}: {raw.replace(chr(10), chr(10) + ' ' * (len(m.group(1)) + 2))}"
        )
        return "\n".join(lines), f"line {j + 1}: value -> {raw!r}"
    if how == "insert":
        new = draw(st.sampled_from(INSERT_LINES)).replace("{i}", indent)
        new = "\n".join(
            indent + part if not part.startswith(indent) else part for part in new.split("\n")
        )
        lines.insert(i, new)
        return "\n".join(lines), f"insert before line {i + 1}: {new!r:.120}"
    if how == "delete line":
        del lines[i]
        return "\n".join(lines), f"delete line {i + 1}"
    if how == "dup line":
        lines.insert(i, line)
        return "\n".join(lines), f"duplicate line {i + 1}"
    if how == "indent":
        delta = draw(st.sampled_from([-4, -2, -1, 1, 2, 4, "tab"]))
        if delta == "tab":
            lines[i] = "\t" + line.lstrip(" ")
        elif isinstance(delta, int) and delta < 0:
            lines[i] = line[min(-delta, len(indent)) :]
        else:
            lines[i] = " " * int(delta) + line
        return "\n".join(lines), f"indent line {i + 1} by {delta}"
    if how == "truncate":
        at = draw(st.integers(0, len(text)))
        return text[:at], f"truncate at char {at}"
    if how == "line ends":
        end = draw(st.sampled_from(LINE_ENDS))
        if draw(st.booleans()):
            return text.replace("\n", end), f"all line ends -> {end!r}"
        lines[i] = line + end
        return "\n".join(lines), f"line {i + 1} ends with {end!r}"
    if how == "char":
        at = draw(st.integers(0, len(text)))
        char = draw(st.sampled_from(INSERT_CHARS))
        return text[:at] + char + text[at:], f"insert {char!r} at char {at}"
    if how == "alias":
        keyed = [j for j, x in enumerate(lines) if re.match(r"^\s*(- )?[^\s#:][^:#]*:( .*)?$", x)]
        if len(keyed) < 2:
            return text, "no alias"
        a, b = sorted(draw(st.lists(st.sampled_from(keyed), min_size=2, max_size=2, unique=True)))
        key_a = lines[a].split(":", 1)
        lines[a] = f"{key_a[0]}: &A{key_a[1]}"
        lines[b] = f"{lines[b].split(':', 1)[0]}: *A"
        # The aliased line's block (deeper lines) goes with it.
        depth = len(lines[b]) - len(lines[b].lstrip())
        k = b + 1
        while k < len(lines) and (
            not lines[k].strip() or len(lines[k]) - len(lines[k].lstrip()) > depth
        ):
            k += 1
        del lines[b + 1 : k]
        return "\n".join(lines), f"anchor line {a + 1}, alias at line {b + 1}"
    whole = draw(st.sampled_from(WHOLE_FILES))
    return whole, f"whole file -> {whole!r}"


ENCODINGS = ["utf-8"] * 40 + [
    "utf-8-sig",
    "utf-16",
    "gbk",
    "bom+gbk",
    "double bom",
    "latin-1 byte",
    "bad byte",
]


def encode(text: str, how: str) -> bytes:
    """The text as bytes, in the usual encoding or an unusual one."""
    if how == "utf-8-sig":
        return text.encode("utf-8-sig", "surrogatepass")
    if how == "utf-16":
        return text.encode("utf-16", "surrogatepass")
    if how == "gbk":
        return text.encode("gbk", "replace")
    if how == "bom+gbk":
        return b"\xef\xbb\xbf" + text.encode("gbk", "replace")
    if how == "double bom":
        return b"\xef\xbb\xbf\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    raw = text.encode("utf-8", "surrogatepass")
    if how == "latin-1 byte":
        return raw[: len(raw) // 2] + b"\xe9" + raw[len(raw) // 2 :]
    if how == "bad byte":
        return raw + b"\n# \xff\xfe\xc3"
    return raw


class Mutated:
    """A mutated file: its bytes, where it came from, and what was done to it."""

    def __init__(self, base: Base, data: bytes, steps: list[str], roster: str = "") -> None:
        self.base = base
        self.data = data
        self.steps = steps
        self.roster = roster  # for a scheme: the roster put beside it (blank or filled)

    def __repr__(self) -> str:  # hypothesis prints examples with it: no file contents
        return f"Mutated({self.base.name!r}, steps={self.steps!r})"


@st.composite
def mutated(draw: st.DrawFn, kinds: tuple[str, ...] = ("scheme", "roster")) -> Mutated:
    """A shipped scheme or scaffolded roster with a few data- and text-level changes."""
    base = draw(st.sampled_from([b for b in bases() if b.kind in kinds]))
    steps: list[str] = []
    text = base.text
    plan = draw(st.sampled_from(["data", "data", "data", "text", "text", "both"]))
    n_data = draw(st.integers(1, 3)) if plan != "text" else 0
    if n_data:
        data = copy.deepcopy(_data(base.text))
        paths = _all_paths(base.text)
        for _ in range(n_data):
            left = tuple(p for p in paths if _exists(data, p))
            if not left:
                break
            steps.append(draw(data_mutation(data, left)))
        text = _dump(data)
        steps.append("(dumped as YAML)")
    for _ in range(draw(st.integers(1, 2)) if plan != "data" else 0):
        text, step = draw(text_mutation(text))
        steps.append(step)
    how = draw(st.sampled_from(ENCODINGS))
    if how != "utf-8":
        steps.append(f"encoded as {how}")
    rosters = [b for b in bases() if b.kind == "roster" and b.scheme == base.scheme]
    roster = draw(st.sampled_from(rosters)).text if base.kind == "scheme" else ""
    return Mutated(base, encode(text, how), steps, roster)


def _exists(data: Any, path: tuple[Any, ...]) -> bool:
    try:
        _at(data, path)
    except (KeyError, IndexError, TypeError):
        return False
    return True


# ---------------------------------------------------------------- command lines

AS_OF = st.one_of(
    st.sampled_from(["2023-11-01", "9999-12-31", "0001-01-01", "2023-02-30", "2024-02-29",
                     "２０２３-１１-０１", " 2023-11-01 ", "2023-11-01\x1b", "", "today"]),
    st.dates().map(dt.date.isoformat),
)  # fmt: skip
WITHIN = st.one_of(st.sampled_from([0, 1, 14, 10**6, 10**9, 2**63, -1]), st.integers(0, 10**9))
NAMES = st.one_of(
    st.sampled_from(["市公安局", "市政府", " 市公安局 ", "市公安局\x01", "\x1b[2J", "\u202e局", "", "..",
                     "../x", "名" * 300, "市\t公安局"]),
    # A command line cannot hold NUL (only an in-process call could pass one).
    st.text(st.characters(blacklist_characters="\x00"), max_size=8),
)  # fmt: skip


# Output paths that cannot be written (or only oddly): under a file, NUL, a folder, reserved.
ODD_OUTPUTS = st.sampled_from(
    ["roster.yaml/x", "roster.yaml", "a\x01b", ".", "", "policies", "-", "x/", "名" * 100,
     "out\x1b.md", "out\u202e.md"]
)  # fmt: skip


@functools.cache
def forms(scheme_id: str) -> tuple[tuple[str, str | None], ...]:
    """Each form of a shipped scheme, with a unit that fills it in (None for a list form)."""
    scheme = _registry().get(scheme_id)
    return tuple(
        (f.id, form_units(scheme, f)[-1].name if f.per_unit else None) for f in scheme.forms
    )


@st.composite
def commands(draw: st.DrawFn, kind: str, scheme_id: str) -> list[list[str]]:
    """One to three command lines to run on a mutated file (in the current folder)."""
    roster = ["--roster", "roster.yaml"]
    choices: list[list[str]] = []
    fmt = draw(st.sampled_from(["text", "json"]))
    choices.append(
        ["validate", "roster.yaml", "--format", fmt, *draw(st.sampled_from([[], ["--strict"]]))]
    )
    overdue = [
        "overdue",
        "--as-of",
        draw(AS_OF),
        "--format",
        draw(st.sampled_from(["table", "json", "csv", "ics"])),
    ]
    overdue += draw(st.sampled_from([roster, [], ["--scheme", scheme_id]]))
    overdue += draw(st.sampled_from([[], ["--all"], ["--check"], ["--all", "--check"]]))
    if draw(st.booleans()):
        overdue += ["--within", str(draw(WITHIN))]
    if draw(st.booleans()):
        overdue += ["--unit", draw(NAMES)]
    choices.append(overdue)
    for form, unit in forms(scheme_id) or [("attachment1", "市公安局")]:
        ext = draw(st.sampled_from(["docx", "html", "md"]))
        out = draw(st.one_of(st.just(f"out.{ext}"), st.just(f"out.{ext}"), ODD_OUTPUTS))
        if unit is not None:
            dept = draw(st.one_of(st.just(unit), NAMES))
            choices.append(["render", form, "--dept", dept, *roster, "-o", out])
        else:
            choices.append(["render", form, *roster, "-o", out])
        out = draw(st.one_of(st.just("forms"), st.just("forms"), ODD_OUTPUTS))
        choices.append(["render", form, "--all", *roster, "-o", out, "--format", ext])
        choices.append(
            ["render", form, *roster, "--format", draw(st.sampled_from(["md", "html"])), "-o", "-"]
        )
    unit, role, duty = duties(scheme_id)
    date = draw(AS_OF)
    out = draw(st.one_of(st.just("roster.xlsx"), st.just("roster.csv"), ODD_OUTPUTS))
    choices += [
        ["export", *roster, "-o", out, "--as-of", date],
        ["export", *roster, "--format", "csv", "-o", "-"],
        ["history", *roster, *draw(st.sampled_from([[], ["--unit", unit], ["--name", "张三"]]))],
        ["history", *roster, "--format", "json"],
        ["record", "filing", duty, "--unit", draw(st.one_of(st.just(unit), NAMES)), "--date",
         date, *draw(st.sampled_from([[], ["--period", "2023"], ["--note", "\x1b[2J"]]))],
        ["record", "appoint", "--unit", unit, "--role", role, "--name", draw(NAMES), "--date",
         date, "--phone", draw(st.sampled_from(["13800138000", "1", "\u202e"]))],
    ]  # fmt: skip
    if draw(st.booleans()):  # both dry runs, or both written
        choices[-2:] = [[*c, "--dry-run"] for c in choices[-2:]]
    if kind == "scheme":
        policy = f"policies/{scheme_id}.yaml"
        out = draw(st.one_of(st.just("new/roster.yaml"), ODD_OUTPUTS))
        choices += [
            ["policy", "list"],
            ["policy", "show", scheme_id, "--format", draw(st.sampled_from(["text", "json"]))],
            ["policy", "check", policy, "--format", draw(st.sampled_from(["text", "json"]))],
            ["policy", "export", scheme_id, "-o", "-"],
            ["init", "--scheme", scheme_id, "-o", out],
            ["schema", "roster", "--scheme", scheme_id],
            ["validate", policy],
        ]
    else:
        choices.append(["policy", "check", "roster.yaml"])
    chosen = draw(st.lists(st.sampled_from(choices), min_size=1, max_size=3, unique_by=tuple))
    if draw(st.integers(0, 3)) == 0:
        # What the bureau gets back: a workbook or a Word form, read into the roster.
        form, dept = (forms(scheme_id) or [(None, None)])[0]
        made = ["export", *roster, "-o", "back.xlsx"]
        if form is not None and draw(st.booleans()):
            made = ["render", form, *roster, "-o", "back.docx", *(["--dept", dept] if dept else [])]
        back = made[made.index("-o") + 1]
        chosen += [made, ["import", back, *roster, *draw(st.sampled_from([[], ["--write"]]))]]
    if kind == "scheme":
        chosen = [
            ["--policies", "policies", *c] if c[:2] != ["policy", "check"] else c for c in chosen
        ]
    return chosen


@functools.cache
def duties(scheme_id: str) -> tuple[str, str, str]:
    """A unit of a shipped scheme with a post and a dated duty: (unit, role id, obligation id)."""
    scheme = _registry().get(scheme_id)
    for unit in reversed(scheme.units):
        roles = [r.id for r in scheme.roles if r.applies_to.matches(unit)]
        owed = [o.id for o in scheme.obligations if o.owed_by.matches(unit) and o.due]
        if roles and owed:
            return unit.name, roles[0], owed[0]
    raise AssertionError(f"{scheme_id}: no unit with a post and a duty")


# ---------------------------------------------------------------- reports, sheets, scores
#
# Today's surfaces (issue 12 and the evaluations): cdo report, render 述职报告/评价表 with
# --year and --weights, scores read back by import and evaluation rank, policy show and
# validate --as-of. A case may write extra files first: a command line ``["!write", name,
# text]`` is no command but a file put in the case's folder (see run_case).

WRITE = "!write"
# Mostly days a scheme speaks of, so that the commands get past --as-of's check.
DAYS = st.one_of(
    st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)).map(dt.date.isoformat),
    st.sampled_from(["1900-01-01", "2200-12-31", "2023-12-20", "2024-02-29"]),
    AS_OF,
)
YEARS = st.one_of(
    st.sampled_from(["2023", "1900", "2200", "1899", "2201", "0", "", "２０２３", "99999",
                     "2023 ", "-1", "2023.0"]),
    st.integers(-(10**6), 10**6).map(str),
)  # fmt: skip
# What a clerk types in a score or weight cell.
NUMBERS = st.one_of(
    st.sampled_from(["10", "18.5", "-1", "0", "", " ", "NaN", "nan", "inf", "-inf", "1e309",
                     "1e999999", "1e-999999", "9" * 400, "9" * 5000, "0." + "1" * 400,
                     "１８分", "20%", "=1+1", "优秀", "10 10", "1,000", "0x10", "１e3"]),
    st.integers().map(str),
    st.floats().map(repr),
    st.text(max_size=6),
)  # fmt: skip


@functools.cache
def dimensions() -> tuple[str, ...]:
    """The dimensions of the shipped scheme's evaluation (Huizhou's)."""
    scheme = _registry().get("huizhou")
    return tuple(d.text for d in scheme.evaluations[0].dimensions)


def _cell(text: str) -> str:
    """A CSV cell: quoted, quotes doubled (so commas and line breaks stay in the cell)."""
    return '"' + text.replace('"', '""') + '"'


@st.composite
def weights_file(draw: st.DrawFn) -> str:
    """A weights file as a bureau writes one, with an odd value, key or line in it."""
    if draw(st.integers(0, 5)) == 0:
        return draw(st.sampled_from(WHOLE_FILES))
    values = {d: "10" for d in dimensions()}
    key = draw(st.sampled_from([*dimensions(), "不存在", " 日常管理 ", "1", "~"]))
    values[key] = draw(NUMBERS)
    if draw(st.booleans()):
        values.pop(draw(st.sampled_from(dimensions())), None)
    by = draw(st.sampled_from(["惠州市政务服务数据管理局", "''", "[甲, 乙]", "{a: 1}", "~",
                               '"a\x1b[2Jb"', "名" * 300]))  # fmt: skip
    lines = [f"provided_by: {by}", "weights:"]
    lines += [f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
              for k, v in values.items()]  # fmt: skip
    return "\n".join(lines) + "\n"


@st.composite
def score_table(draw: st.DrawFn) -> str:
    """A scores table (.csv): 单位, 姓名, 年度 and a column per dimension, odd cells."""
    head = ["单位", "姓名", "年度", *dimensions()]
    if draw(st.booleans()):  # a dimension's column twice
        head.append(draw(st.sampled_from(dimensions())))
    rows = [head]
    for _ in range(draw(st.integers(1, 3))):
        # A row as filled in, one cell of it odd (or none): a row odd everywhere stops at
        # its first problem and never reaches what comes after.
        unit = draw(st.sampled_from(["惠城区", "博罗县", "市公安局", "市政务服务数据管理局"]))
        row = [unit, "张三", "2023", *(str(draw(st.integers(0, 20))) for _ in head[3:])]
        odd = draw(st.sampled_from(["unit", "name", "year", "score", "none"]))
        if odd == "score":
            row[draw(st.sampled_from(range(3, len(row))))] = draw(NUMBERS)
        elif odd != "none":
            row[["unit", "name", "year"].index(odd)] = draw(YEARS if odd == "year" else NAMES)
        rows.append(row)
    return "\r\n".join(",".join(_cell(c) for c in r) for r in rows) + "\r\n"


@st.composite
def report_commands(draw: st.DrawFn, scheme_id: str) -> list[list[str]]:
    """Command lines of today's surfaces, with the files they read written first."""
    roster = ["--roster", "roster.yaml"]
    year = draw(YEARS)
    out = draw(st.one_of(st.sampled_from(["r.html", "r.docx", "-", "r/", "r.HTM"]), ODD_OUTPUTS))
    report = ["report", "roster.yaml", "--as-of", draw(DAYS), "-o", out]
    if draw(st.booleans()):
        report += ["--format", draw(st.sampled_from(["html", "docx", "pdf"]))]
    unit = draw(st.one_of(st.sampled_from(["惠城区", "市公安局"]), NAMES))
    weights = draw(st.sampled_from(["w.yaml", "w.yaml", "scores.csv", ".", "none.yaml"]))
    sheet = ["render", "评价表", "--scheme", "huizhou", "--year", year, "--weights", weights]
    sheet += draw(st.sampled_from([["--all", "-o", "ev/"], ["--dept", unit, "-o", "ev.md"],
                                   ["--dept", unit, "-o", "ev.docx"]]))  # fmt: skip
    outline = draw(st.sampled_from(["述职报告", "评价表", "年度述职报告", "履职评价"]))
    choices = [
        report,
        ["report", "--as-of", draw(DAYS), "--format", "docx", "-o", "r2.docx", "--force"],
        sheet,
        ["render", outline, *roster, "--year", year, "--all", "-o", "out/",
         *draw(st.sampled_from([[], ["--redact"], ["--format", "md"]]))],
        ["render", outline, *roster, "--year", year, "--dept", unit, "--format", "md", "-o", "-"],
        ["import", "scores.csv", *roster, *draw(st.sampled_from([[], ["--write"]]))],
        ["evaluation", "rank", "scores.csv", *draw(st.sampled_from([[], ["--weights", "w.yaml"]])),
         "--format", draw(st.sampled_from(["text", "json"]))],
        ["evaluation", "rank", *roster, "--year", year],
        ["policy", "show", scheme_id, "--as-of", draw(DAYS)],
        ["validate", "roster.yaml", "--as-of", draw(DAYS)],
        ["init", "--scheme", scheme_id, "--as-of", draw(DAYS), "-o", "i.yaml"],
    ]  # fmt: skip
    chosen = draw(st.lists(st.sampled_from(choices), min_size=1, max_size=3, unique_by=tuple))
    files = [[WRITE, "w.yaml", draw(weights_file())], [WRITE, "scores.csv", draw(score_table())]]
    return [*files, *chosen]


@st.composite
def report_cases(draw: st.DrawFn) -> tuple[Mutated, list[list[str]]]:
    """A file, mutated or (half the time) as shipped, and today's commands on it (the
    schemes in play from policies/): an untouched roster lets them get past validation."""
    file = draw(mutated())
    if draw(st.booleans()):
        base = file.base
        file = Mutated(base, base.text.encode("utf-8"), ["(as shipped)"], file.roster)
    lines = draw(report_commands(file.base.scheme))
    if file.base.kind == "scheme":
        lines = [c if c[0] == WRITE else ["--policies", "policies", *c] for c in lines]
    return file, lines


@st.composite
def score_cases(draw: st.DrawFn) -> tuple[Mutated, list[list[str]]]:
    """Huizhou's roster as shipped (the scheme with an evaluation), a scores table and a
    weights file with odd cells, and the commands that read them."""
    base = draw(st.sampled_from([b for b in bases() if b.name.startswith("huizhou ")]))
    file = Mutated(base, base.text.encode("utf-8"), ["(as shipped)"])
    year = draw(st.one_of(st.just("2023"), YEARS))
    weights = draw(st.sampled_from([[], ["--weights", "w.yaml"]]))
    lines = [
        [WRITE, "w.yaml", draw(weights_file())],
        [WRITE, "scores.csv", draw(score_table())],
        ["import", "scores.csv", *draw(st.sampled_from([[], ["--write"]]))],
        ["evaluation", "rank", "scores.csv", *weights,
         "--format", draw(st.sampled_from(["text", "json"]))],
        ["evaluation", "rank", "--year", year, *weights],
        ["render", "评价表", "--year", year, "--weights", "w.yaml",
         *draw(st.sampled_from([["--all", "-o", "ev/"], ["--dept", "惠城区", "-o", "ev.md"]]))],
    ]  # fmt: skip
    return file, lines


@st.composite
def cases(draw: st.DrawFn) -> tuple[Mutated, list[list[str]]]:
    """A mutated file and the commands to run on it."""
    file = draw(mutated())
    return file, draw(commands(file.base.kind, file.base.scheme))


def _found(kind: str, text: str, *lines: list[str]) -> tuple[Mutated, list[list[str]]]:
    """A case for puning: ``text`` as the roster, or as the scheme in ``policies/``."""
    base = next(b for b in bases() if b.kind == kind and b.scheme == "puning")
    roster = next(b for b in bases() if b.name == "puning roster (blank)").text
    return Mutated(base, text.encode("utf-8"), ["(found before)"], roster), list(lines)


def found() -> list[tuple[Mutated, list[list[str]]]]:
    """Failures the fuzzer found before, one of each kind, run first on every run."""
    blank = next(b for b in bases() if b.name == "puning roster (blank)").text
    scheme = next(b for b in bases() if b.name == "puning.yaml").text
    annual = "      month: 12\n      day: 31\n      first_period: 2023\n"
    assert annual in scheme
    leap_day = scheme.replace(annual, annual.replace("12", "2").replace("31", "29"), 1)
    policies = ["--policies", "policies"]
    return [
        # Tags the loader cannot construct, a complex key, a 5000-digit number.
        _found("roster", "scheme: !!int abc\nunits: {}\n", ["validate", "roster.yaml"]),
        _found("roster", "scheme: !!bool maybe\nunits: {}\n", ["validate", "roster.yaml"]),
        _found("roster", "scheme: puning\n? [[1]]\n: x\n", ["validate", "roster.yaml"]),
        _found("roster", f"scheme: {'9' * 5000}\n", ["validate", "roster.yaml"]),
        # Dates past 9999-12-31.
        _found("roster", blank, ["overdue", "--as-of", "9999-12-31"]),
        _found("roster", blank, ["overdue", "--within", "1000000000"]),
        # A recurring duty due on 29 February.
        _found(
            "scheme",
            leap_day,
            [*policies, "overdue", "--as-of", "2023-11-01"],
            [*policies, "policy", "show", "puning"],
        ),
        # A control character in a roster name, written into a Word file.
        _found(
            "roster",
            'scheme: puning\nunits:\n  市公安局:\n    officers:\n      dept_cdo: {name: "张\\x01三"}\n',
            ["render", "attachment2", "--dept", "市公安局", "-o", "a.docx"],
        ),
        # Output paths that cannot be: too long a name, a folder under a file.
        _found("roster", blank, ["render", "attachment3", "-o", "名" * 100 + ".docx"]),
        _found("roster", blank, ["render", "attachment2", "--all", "-o", "roster.yaml/x"]),
    ]


# ---------------------------------------------------------------- running


@dataclass
class Failure:
    """A command that crashed, exited with an unexpected code, or hung."""

    args: list[str]
    exit_code: int | None
    exception: BaseException | None
    trace: str = field(repr=False)
    output: str = field(repr=False)
    seconds: float

    def key(self) -> tuple[str, ...]:
        """What makes two failures the same: exception type and innermost frame in cdo_cli."""
        if self.exception is None or isinstance(self.exception, SystemExit):
            return ("exit", str(self.exit_code))
        frames = traceback.extract_tb(self.exception.__traceback__)
        ours = [f for f in frames if "cdo_cli" in f.filename] or frames
        where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else "?"
        last = f"{Path(frames[-1].filename).name}:{frames[-1].name}" if frames else "?"
        return (type(self.exception).__name__, where, last)


class Hang(BaseException):
    """A command ran longer than HANG_SECONDS (a BaseException: nothing may swallow it)."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise Hang after ``seconds`` of CPU time (a loaded machine does not count), or after
    ``HANG_WALL_FACTOR`` times as long on the clock (a command blocked on something)."""
    if not hasattr(signal, "setitimer"):  # Windows: no limit
        yield
        return

    def alarm(signum: int, frame: Any) -> None:
        clock = "CPU" if signum == signal.SIGPROF else "wall-clock"
        raise Hang(f"more than {seconds:.0f} s of {clock} time")

    timers = [
        (signal.SIGPROF, signal.ITIMER_PROF, seconds),
        (signal.SIGALRM, signal.ITIMER_REAL, seconds * HANG_WALL_FACTOR),
    ]
    old = [signal.signal(sig, alarm) for sig, _, _ in timers]
    for _, timer, limit in timers:
        # Repeats each second in case a handler somewhere swallowed the first.
        signal.setitimer(timer, limit, 1.0)
    try:
        yield
    finally:
        for (sig, timer, _), handler in zip(timers, old, strict=True):
            signal.setitimer(timer, 0)
            signal.signal(sig, handler)


@contextmanager
def _in_folder(folder: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def prepare(folder: Path, file: Mutated) -> None:
    """Put the mutated file (and for a scheme, a roster of it) in ``folder``."""
    base = file.base
    if base.kind == "scheme":
        (folder / "policies").mkdir()
        (folder / "policies" / f"{base.scheme}.yaml").write_bytes(file.data)
        (folder / "roster.yaml").write_text(file.roster, encoding="utf-8")
    else:
        (folder / "roster.yaml").write_bytes(file.data)


def run_one(args: list[str]) -> Failure | None:
    """Run one command line in-process in the current folder."""
    runner = CliRunner()
    start = time.perf_counter()
    try:
        with _time_limit(HANG_SECONDS):
            result = runner.invoke(app, args, catch_exceptions=True)
    except Hang as exc:
        return Failure(args, None, exc, traceback.format_exc(), "", time.perf_counter() - start)
    except ValueError as exc:
        # The runner could not read the output back: the command closed or replaced the
        # standard output it was given (an in-process caller loses its stream).
        return Failure(args, None, exc, traceback.format_exc(), "", time.perf_counter() - start)
    seconds = time.perf_counter() - start
    exc = result.exception
    if (exc is None or isinstance(exc, SystemExit)) and result.exit_code in EXIT_CODES:
        return None
    trace = "".join(traceback.format_exception(exc)) if exc is not None else ""
    return Failure(args, result.exit_code, exc, trace, result.output, seconds)


def run_case(file: Mutated, lines: list[list[str]]) -> Failure | None:
    """Run the command lines on the mutated file in a fresh folder; the first failure."""
    with tempfile.TemporaryDirectory(prefix="cdo-fuzz-") as tmp, _in_folder(Path(tmp)):
        prepare(Path(tmp), file)
        for args in lines:
            if args[0] == WRITE:  # a file the commands read, not a command
                Path(tmp, args[1]).write_text(args[2], encoding="utf-8", errors="surrogatepass")
                continue
            failure = run_one(args)
            if failure is not None:
                return failure
    return None


def describe(file: Mutated, failure: Failure) -> str:
    """A failure as a report: command, mutations, how the file differs, the traceback."""
    text = file.data.decode("utf-8", "backslashreplace")
    diff = list(
        difflib.unified_diff(
            file.base.text.splitlines(), text.splitlines(), "shipped", "mutated", n=2, lineterm=""
        )
    )
    title = "the mutated file against the shipped one"
    if len(text.splitlines()) < len(diff):
        diff, title = text.splitlines(), "the file"
    shown = diff[:80] + ([f"... ({len(diff) - 80} more lines)"] if len(diff) > 80 else [])
    where = "policies/" if file.base.kind == "scheme" else ""
    return "\n".join(
        [
            f"cdo {' '.join(map(repr, failure.args))}",
            f"exit code {failure.exit_code} after {failure.seconds:.1f} s",
            f"input: {where}{file.base.name}, mutated by:",
            *(f"  - {s}" for s in file.steps),
            f"---- {title} ----",
            *shown,
            "---- output ----",
            failure.output[-2000:],
            "---- traceback ----",
            failure.trace,
        ]
    )
