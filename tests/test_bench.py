"""The benchmark kit, and the fast paths it led to, checked against the slow ones.

No timings here (the machines are noisy): bench/run.py is run by hand, see bench/README.md.
Each fast path must give exactly what the path it short-cuts gives.
"""

from __future__ import annotations

import importlib.util
import os
import random
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from cdo_cli import loading
from cdo_cli.findings import Finding, error, warning
from cdo_cli.roster_checks import (
    _email_problem,
    _plain_landline,
    _plain_mobile,
    email_problem,
    phone_ok,
)

ROOT = Path(__file__).resolve().parents[1]


def _generate_module() -> Any:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_generate"] = module
    spec.loader.exec_module(module)
    return module


generate = _generate_module().generate


# ---------------------------------------------------------------- the generated data


def test_bench_generate_is_deterministic(tmp_path: Path) -> None:
    first = generate(20, tmp_path / "a")
    second = generate(20, tmp_path / "b")
    for one, two in zip(first, second, strict=True):
        assert one.read_bytes() == two.read_bytes()


def test_bench_generated_roster_validates_clean(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _scheme, roster = generate(30, tmp_path / "data")
    monkeypatch.setenv("CDO_POLICIES", str(tmp_path / "data" / "policies"))
    result = cli("validate", str(roster))
    assert result.exit_code == 0, result.output
    assert "0 个错误，0 个警告" in result.output
    assert "政府部门：完整 30，不完整 0，缺失 0" in result.output


@pytest.mark.parametrize("variant", ["blank", "misspelt", "findings"])
def test_bench_generated_variants_have_their_findings(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, variant: str
) -> None:
    import json

    first = generate(60, tmp_path / "a", variant)
    second = generate(60, tmp_path / "b", variant)
    assert first[1].read_bytes() == second[1].read_bytes()
    monkeypatch.setenv("CDO_POLICIES", str(tmp_path / "a" / "policies"))
    result = cli("validate", str(first[1]), "--format", "json")
    codes: dict[str, int] = {}
    for found in json.loads(result.stdout)["findings"]:
        codes[found["code"]] = codes.get(found["code"], 0) + 1
        assert found["line"] is not None, found
    if variant == "blank":  # every field left empty: one warning per required role
        assert result.exit_code == 0 and set(codes) == {"role-missing"}
        assert codes["role-missing"] == 2 * 61
    else:  # each misspelt unit is unknown, with its own name among the suggestions
        assert codes["unit-unknown"] == codes["unit-missing"] > 0
        for found in json.loads(result.stdout)["findings"]:
            if found["code"] == "unit-unknown":
                key = found["message"].split("“")[1].split("”")[0]
                names = found["hint"].removeprefix("是否应为：").removesuffix("？").split("、")
                assert any(
                    len(n) == len(key) and sum(a != b for a, b in zip(n, key, strict=True)) == 1
                    for n in names
                ), (key, names)
    if variant == "findings":  # and every phone of the other units is invalid
        assert codes["phone-invalid"] > codes["unit-unknown"]
        assert set(codes) == {"unit-unknown", "unit-missing", "phone-invalid"}


# ---------------------------------------------------------------- YAML straight from events

DOCS = [
    "a: 1\nb: 1.5\nc: true\nd: ~\ne: null\nf: 2023-10-01\ng: '13800138000'\nh: 13800138000\n"
    "i: .inf\nj: 0x1F\nk: 0o17\nl: yes\nm: ''\nn:\n",
    "base: &b {x: 1, y: two}\nd:\n  <<: *b\n  y: three\nl: [*b, *b]\n",
    "- &a str\n- *a\n- !!str 123\n- !!int '7'\n- !!float 1\n- !!binary aGVsbG8=\n",
    "=: v\nk: {=: 1}\n",
    "a: !!python/object:os.system x\n",
    "a: 1\na: 2\n",
    "1: a\n1.0: b\n",
    "a: &x [1, *x]\n",
    "? [1, 2]\n: v\n",
    "!!set {a, b}\n",
    "a: !custom x\n",
    "- 1_000\n- -0b101\n- +12\n- 1e3\n- -.5\n- True\n- FALSE\n- Null\n- ~\n",
    "%YAML 1.1\n---\nx: yes\n",
    "- 2023-10-01T10:00:00Z\n- 2023-02-30\n",
    "<<: [{a: 1}, {b: 2}]\nc: 3\n",
    "---\n",
    "a: 1\n---\nb: 2\n",
    "a: [1, {b: c}]\nd: {e: [f, g, [h]]}\n",
    "x: ! foo\n",
    "[a, b\n",
    "a:\n  - b\n  c: d\n",
    "a: b\n...\n",
    "a: |\n  line\n  two\nb: >-\n  x\n  y\n",
    "units:\n  市公安局:\n    officers:\n      dept_cdo: {name: 张三, phone: 13800138000}\n",
    "x: " + "[" * 250 + "]" * 250 + "\n",
]


# ruamel's own loader with cdo's constructor (plain data only, timestamps as text).
_Stock = loading._Constructor


def _outcome(load: Callable[[], Any]) -> tuple[str, str]:
    try:
        return "ok", repr(load())
    except Exception as exc:  # the error, compared by type and text
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize("text", DOCS)
def test_validate_reads_yaml_as_ruamel_does(text: str) -> None:
    stock = YAML(typ="safe", pure=False)
    stock.Constructor = _Stock
    assert _outcome(lambda: loading._load_c(text)[0]) == _outcome(lambda: stock.load(text))


# ---------------------------------------------------------------- positions

POSITION_DOCS = [
    "市公安局: {name: 张三, phone: 123}\nlist: [a, {b: c}, [d]]\n",
    "a:\nb: ~\nc:\n  - \n  - x\n  -\nd: {}\ne: []\n",
    "'k': \"v\"\n\"长 键\": '值'\nmulti: |\n  l1\n  l2\nfold: >\n  a\n  b\n",
    "1: a\n2023: b\ntrue: c\n~: d\n1.5: e\n0x10: f\n",
    "a: &x {b: 1}\nc: *x\n",
    "a: &x {b: 1}\nc:\n  <<: *x\n  d: 2\n",
    "hello\n",
    "~\n",
    "a: !!str 1\nb: !!set {x}\nc: !!omap [x: 1]\n",
    "# c\na: 1 # x\n# y\nb:\n  # z\n  - 1\n",
    "a: 1\r\nb:\r\n  c:\r\n",
    "a: 1\rb:\r",
    "? a\n: 1\n? b\n: - x\n  - y\n",
    "? a\n:\n? b\n",
    "名字😀: 值😀\nx: {😀: 1, b: [😀, 2]}\n",
    "a:",
    "x:\n  a:\nb: 1\n",
    "a: # c\nb: 1\n",
    "a: # c\n",
    "a: # c",
    "x:\n  a: # c\n\nb: 1\n",
    "x:\n  a: # c\n  b: 1\n",
    "- a: # c\n- b\n",
    "a: # c\n? b\n",
    "a:\n# c\n\n  # d\nb: 1\n",
    "- \n- a\n-\n",
    "k:\n-\n- x\nz:\n",
    "- a:\n  b:\n- c:\n",
    "a: &x\nb: !!null\nc:\n",
    "{a: , b: 1}\n",
    "a:  ",
    "a:\n...\n",
    "a: 2023-02-30\nb: [\n",
]


def _round_trip_finder(text: str) -> Callable[[tuple[Any, ...], bool], Any]:
    """The finder as it was: positions from ruamel's round-trip loader (the reference)."""
    yaml = YAML(typ="rt")
    yaml.Constructor = loading._PositionConstructor
    try:
        tree = yaml.load(text)
    except Exception:
        tree = None

    def find(path: tuple[Any, ...], at_key: bool) -> Any:
        node = tree
        best: Any = (1, 1) if tree is not None else (None, None)
        for key in path:
            lc = getattr(node, "lc", None)
            try:
                if isinstance(node, list) and isinstance(key, int):
                    if lc is not None:
                        line, col = lc.item(key)
                        best = (line + 1, col + 1)
                    node = node[key]
                elif isinstance(node, dict) and isinstance(key, int):
                    continue
                elif isinstance(node, dict):
                    if lc is not None:
                        line, col = (
                            lc.key(key)  # a null (``key:``, ``key: ~``) too: at its key
                            if at_key or isinstance(node.get(key), dict | list | None)
                            else lc.value(key)
                        )
                        best = (line + 1, col + 1)
                    node = node[key]
                else:
                    break
            except (KeyError, IndexError, TypeError):
                break
        return best

    return find


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    yield (*prefix, "nope")
    yield (*prefix, 0)
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


def _assert_same_positions(text: str, alone: int | None = None) -> None:
    """Every path placed as the round-trip loader places it: all asked about at once,
    and each (or ``alone`` of them, spread over the file) asked about by itself."""
    try:
        tree = YAML(typ="safe", pure=True).load(text)
    except Exception:
        tree = None
    reference = _round_trip_finder(text)
    source = loading.Source("f.yaml", text)
    paths = list(_paths(tree))
    fast = loading.position_finder(source, paths)
    for path in paths:
        for at_key in (False, True):
            assert fast(path, at_key) == reference(path, at_key), (path, at_key)
    for path in paths[:: max(1, len(paths) // alone) if alone else 1]:
        one = loading.position_finder(source, [path])
        for at_key in (False, True):
            assert one(path, at_key) == reference(path, at_key), (path, at_key)


@pytest.mark.parametrize("text", POSITION_DOCS)
def test_validate_places_findings_as_round_trip_does(text: str) -> None:
    _assert_same_positions(text)


@pytest.mark.parametrize("scheme", ["puning", "zhaoqing", "huizhou"])
def test_validate_places_findings_in_templates_as_round_trip_does(
    cli: Callable[..., Any], tmp_path: Path, scheme: str
) -> None:
    assert cli("init", "--scheme", scheme, "-o", "roster.yaml").exit_code == 0
    text = (tmp_path / "roster.yaml").read_text(encoding="utf-8")
    _assert_same_positions(text, alone=40)
    # Half filled in: values after some keys, comments dropped after others.
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.rstrip().endswith(":") or "  # " in line:
            lines[i] = line.replace(":", ": x", 1) if i % 3 == 0 else line.split("#")[0] + "\n"
    _assert_same_positions("".join(lines), alone=40)


def test_validate_invalid_date_is_placed_not_a_traceback(
    cli: Callable[..., Any], write: Callable[[str, str], Path]
) -> None:
    write(
        "roster.yaml",
        """
        scheme: puning
        units:
          市公安局:
            filings:
              - obligation: dept_contact_form
                date: 2023-02-30
        """,
    )
    result = cli("validate", "roster.yaml")
    assert result.exit_code == 1
    assert "6:15      错误" in result.output
    assert "“2023-02-30”不是有效的日期" in result.output


# ---------------------------------------------------------------- contacts


def _phone_valid(text: str) -> bool:
    try:
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(text, "CN")))
    except phonenumbers.NumberParseException:
        return False


def test_validate_plain_mobile_agrees_with_phonenumbers() -> None:
    rng = random.Random(0)
    accepted = 0
    for prefix in range(10_000):  # every first five digits, 1xxxx
        number = f"1{prefix:04d}{rng.randrange(10**6):06d}"
        if _plain_mobile(number):
            accepted += 1
            assert _phone_valid(number), number
    assert accepted > 1000  # the short cut is taken for ordinary mobiles
    for other in ["0663-6186213", "+8613800138000", "138 0013 8000", "1380013800", "12345"]:
        assert not _plain_mobile(other)


_LANDLINE_DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=4)


@settings(max_examples=3000, deadline=None, database=None)
@given(
    area=st.one_of(st.sampled_from(["20", "10", "21", "663", "755", "762", "769", "898"]),
                   _LANDLINE_DIGITS),
    dash=st.sampled_from(["-", ""]),
    local=st.text(alphabet="0123456789", min_size=6, max_size=9),
)  # fmt: skip
def test_validate_plain_landline_agrees_with_phonenumbers(area: str, dash: str, local: str) -> None:
    """The landline short cut says valid only where phonenumbers' parse says so too."""
    number = f"0{area}{dash}{local}"
    if _plain_landline(number):
        assert _phone_valid(number), number
    assert phone_ok(number) == _phone_valid(number), number


def test_validate_plain_landline_is_taken_for_ordinary_numbers() -> None:
    rng = random.Random(0)
    numbers = [
        f"0{area}-{rng.randrange(2, 9)}{rng.randrange(10**6):06d}"
        for area in ("663", "762", "768", "750")
        for _ in range(200)
    ] + [
        f"0{area}-{rng.randrange(2, 9)}{rng.randrange(10**7):07d}"
        for area in ("20", "755")  # 8-digit local numbers
        for _ in range(200)
    ]
    taken = [n for n in numbers if _plain_landline(n)]
    assert len(taken) > 0.9 * len(numbers)
    for number in numbers:
        assert phone_ok(number) == _phone_valid(number), number
    for other in [
        "13800138000",
        "+86 663 6186213",
        "(0663)6186213",
        "0663 6186213",
        "00663-6186213",
    ]:
        assert not _plain_landline(other)


@pytest.mark.parametrize(
    "address",
    [
        "a@b.com", "zhang.san@163.com", "li-si+tag@qq.com", "x@localhost", "x@foo.test",
        "x@a..com", "x@-a.com", "x@ab--cd.com", "x@xn--fiqs8s.cn", "x@中国.cn", "a@b", "a@b.c1",
        "a@", "@b.com", "a.@b.com", "a..b@b.com", "a" * 64 + "@b.com", "a" * 65 + "@b.com",
        "a@" + ("b" * 60 + ".") * 4 + "com", "a b@c.com", "a@b .com", "张三@163.com",
        "A_B@Example.COM", "x@b@c.com", "a@b.arpa", "a@[1.2.3.4]", "a@b.com>", '"a"@b.com',
    ],
)  # fmt: skip
def test_validate_email_short_cut_agrees_with_validator(address: str) -> None:
    assert email_problem(address) == _email_problem(address)


# ---------------------------------------------------------------- start-up


HELP_CALLS = [
    "--help",
    "--version",
    "policy",
    "policy --help",
    "policy list --help",
    "policy show --help",
    "policy check --help",
    "schema --help",
    "schema policy --help",
    "schema roster --help",
    "init --help",
    "validate --help",
    "import --help",
    "history --help",
    "record",
    "record --help",
    "record filing --help",
    "record appoint --help",
    "overdue --help",
    "report --help",
    "render --help",
    "export --help",
    "--policies x validate --help",
]


@pytest.mark.parametrize("flag", HELP_CALLS)
def test_help_imports_nothing_beyond_typer_and_the_cli(flag: str) -> None:
    """Help for every command is instant: only typer and cdo_cli.cli (with the error
    module and the text helper it prints through) may load."""
    import ast
    import subprocess

    code = (
        "import sys\n"
        "import typer\n"
        "before = set(sys.modules)\n"
        f"sys.argv = ['cdo', *{flag.split()!r}]\n"
        "from cdo_cli.cli import app as main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('NEW', sorted(set(sys.modules) - before))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", cwd=ROOT
    )
    new = done.stdout.split("NEW", 1)[1].strip()
    extra = [
        m
        for m in ast.literal_eval(new)
        if not m.startswith(("typer.", "cdo_cli.cli."))
        and m not in {"cdo_cli", "cdo_cli.cli", "cdo_cli.errors", "cdo_cli.text"}
        and m != "__future__"
    ]
    assert extra == [], done.stdout + done.stderr


def test_validate_same_without_the_c_parser(
    cli: Callable[..., Any], write: Callable[[str, str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where ruamel.yaml.clib is missing, the pure-Python parser gives the same report."""
    import ruamel.yaml.main

    write(
        "roster.yaml",
        """
        scheme: puning
        units:
          市公安局:
            officers:
              dept_cdo:
                name: 张三
                title:          # 职务
                phone: 12345
            filings:
              - obligation: dept_contact_form
                date: 2023-10-28
        """,
    )
    with_c = cli("validate", "roster.yaml", "--format", "json")
    monkeypatch.setattr(ruamel.yaml.main, "CParser", None)
    assert not loading._has_c_parser(loading._yaml(pure=False))
    without_c = cli("validate", "roster.yaml", "--format", "json")
    assert (without_c.exit_code, without_c.output) == (with_c.exit_code, with_c.output)
    assert '"line": 8' in with_c.output


# ---------------------------------------------------------------- reports in pieces


def _old_findings_text(findings: list[Finding], files: list[str], *, color: bool = False) -> str:
    """findings_text as it was: every line in one list, joined at the end (the reference)."""
    from itertools import groupby

    from cdo_cli.findings import SEVERITY_LABELS, Severity
    from cdo_cli.findings_format import _COLORS, _DIM, _RESET, sort_key
    from cdo_cli.text import visible

    lines: list[str] = []
    ordered = sorted(findings, key=sort_key)
    by_file = {k: list(v) for k, v in groupby(ordered, key=lambda f: f.file)}
    for name in dict.fromkeys([*files, *by_file]):
        group = by_file.get(name, [])
        if not group:
            lines.append(f"{visible(name)}：通过")
            continue
        lines.append(visible(name))
        for f in group:
            where = f"{f.line or 1}:{f.column or 1}"
            label = SEVERITY_LABELS[f.severity]
            if color:
                label = f"{_COLORS[f.severity]}{label}{_RESET}"
            lines.append(f"  {where:<9} {label}  {visible(f.message)}  [{f.code}]")
            if f.hint:
                hint = f"提示：{visible(f.hint)}"
                lines.append(f"  {'':<9} {_DIM}{hint}{_RESET}" if color else f"  {'':<9} {hint}")
        lines.append("")
    errors = sum(f.severity is Severity.error for f in findings)
    warnings = len(findings) - errors
    lines.append(f"共 {len(files)} 个文件，{errors} 个错误，{warnings} 个警告")
    return "\n".join(lines).rstrip("\n") + "\n"


def _some_findings(count: int) -> list[Finding]:
    rng = random.Random(count)
    out = []
    for i in range(count):
        make = error if rng.random() < 0.7 else warning
        path = tuple(
            rng.choice(["units", "市公安局", "officers", 0, 1, "phone"]) for _ in range(i % 5)
        )
        hint = rng.choice([None, "提示\n两行", '引号"与\\反斜杠', "\x1b[31m"])
        found = make(f"code-{i % 3}", f"第 {i} 个问题：“值”\t{i}", path, hint)
        out.append(found.at(rng.choice(["a.yaml", "b.yaml", ""]), rng.choice([None, i]), i % 7))
    return out


@pytest.mark.parametrize("count", [0, 1, 2, 50])
def test_validate_reports_in_pieces_as_in_one_piece(count: int) -> None:
    import json

    from cdo_cli.findings_format import (
        batched,
        findings_json,
        findings_text,
        findings_text_lines,
        sort_key,
    )
    from cdo_cli.text import json_safe

    findings = _some_findings(count)
    files = ["a.yaml", "c.yaml"]
    for color in (False, True):
        old = _old_findings_text(findings, files, color=color)
        assert findings_text(findings, files, color=color) == old
        assert "".join(batched(findings_text_lines(findings, files, color=color), 100)) == old
    summary = {"a.yaml": {"政府部门": {"complete": 1, "incomplete": 0, "missing": 2}}, "空": {}}
    for extra in (None, {}, {"summary": summary}, {"summary": [], "errors": "replaced"}):
        errors = sum(f.severity.value == "error" for f in findings)
        whole = {
            "errors": errors,
            "warnings": len(findings) - errors,
            "findings": [f.as_dict() for f in sorted(findings, key=sort_key)],
            **(extra or {}),
        }
        expected = json_safe(json.dumps(whole, ensure_ascii=False, indent=2)) + "\n"
        assert findings_json(findings, extra) == expected


# ---------------------------------------------------------------- render: stencils and zip


def _docx_both(form: Any) -> tuple[bytes, bytes]:
    import datetime as dt

    from cdo_cli.docx_render import render_docx
    from cdo_cli.render import blocks

    day = dt.date(2024, 6, 30)
    return render_docx(form, blocks(form), day), render_docx(form, blocks(form), day, fast=False)


def test_render_fast_docx_is_the_slow_docx_for_every_bench_unit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows from stencils and the zip with its constant parts compressed once give the
    bytes of building every element and zipping with zipfile."""
    from cdo_cli.forms import build_form, form_units
    from cdo_cli.policy_loading import Registry
    from cdo_cli.workspace import Workspace

    _scheme, roster = generate(25, tmp_path / "data")
    monkeypatch.setenv("CDO_POLICIES", str(tmp_path / "data" / "policies"))
    ws = Workspace(Registry())
    loaded = ws.valid_roster(roster)
    scheme = loaded.scheme
    count = 0
    for form in scheme.forms:
        units = list(form_units(scheme, form)) if form.per_unit else [None]
        for unit in units:
            for redact in (False, True):
                fast, slow = _docx_both(build_form(scheme, form, unit, loaded, redact))
                assert fast == slow, (form.id, unit and unit.name)
                count += 1
        blank, slow_blank = _docx_both(build_form(scheme, form, units[0], None))
        assert blank == slow_blank
    assert count > 50


_CELL = st.text(
    alphabet=st.one_of(
        st.sampled_from("张三市公安局 &<>\"'\n\t\r\x00\x1b\u202e\ue000\ud800\U0001f600a1-@="),
        st.characters(),
    ),
    max_size=12,
)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.lists(_CELL, min_size=4, max_size=4), min_size=1, max_size=5), _CELL)
def test_render_fast_docx_is_the_slow_docx_for_any_text(
    rows: list[list[str]], heading: str
) -> None:
    """Whatever a cell holds (markup, line breaks, controls, the stencil's own mark),
    the fast document is byte for byte the slow one."""
    from cdo_cli.forms import FilledForm, FilledRow, FilledSection

    section = FilledSection(
        heading=heading or None,
        header=("姓名", "职务", "电话", heading),
        fields=("name", "title", "phone", "email"),
        rows=tuple(FilledRow(tuple(cells)) for cells in rows),
    )
    form = FilledForm(
        scheme="bench", form_id="attachment2", label="附件2", title=heading or "表",
        title_lines=(heading or "表",), unit=heading or None, sections=(section, section),
    )  # fmt: skip
    fast, slow = _docx_both(form)
    assert fast == slow


def test_zip_stencil_is_zipfile(tmp_path: Path) -> None:
    from cdo_cli.docx_fast import ZipStencil, zip_members

    members = [("a.xml", b"<a/>" * 50), ("b/c.xml", b""), ("d.bin", bytes(range(256)) * 9)]
    stencil = ZipStencil(members, {"b/c.xml"}, (2000, 1, 1, 0, 0, 0))
    for blob in (b"", b"x", b"<w:t>" * 1000, bytes(range(256))):
        replaced = [(n, blob if n == "b/c.xml" else b) for n, b in members]
        assert stencil.build({"b/c.xml": blob}) == zip_members(replaced, (2000, 1, 1, 0, 0, 0))


def test_render_fast_docx_is_the_slow_docx_for_a_long_form() -> None:
    """A form past one page: numbered, its sections split into tables of their own."""
    from cdo_cli.forms import FilledForm, FilledRow, FilledSection

    rows = tuple(FilledRow((f"张{i}", "副局长", f"138{i:08d}", f"a{i}@b.cn")) for i in range(45))
    sections = tuple(
        FilledSection(
            heading=f"第{k}部分", header=("姓名", "职务", "电话", "邮箱"),
            fields=("name", "title", "phone", "email"), rows=rows,
        )
        for k in range(2)
    )  # fmt: skip
    form = FilledForm(
        scheme="bench", form_id="attachment2", label="附件2", title="长表",
        title_lines=("长表",), unit="市公安局", sections=sections,
    )  # fmt: skip
    fast, slow = _docx_both(form)
    assert fast == slow
    assert b"footer" in fast  # numbered: the footer part is there


def test_overdue_json_in_pieces_is_the_whole(tmp_path: Path) -> None:
    """cdo overdue writes its JSON in pieces; joined, they are render_json's bytes."""
    import datetime as dt
    import json

    from cdo_cli.overdue import build_report
    from cdo_cli.overdue_formats import json_pieces, render_json
    from cdo_cli.policy_loading import Registry

    registry = Registry()
    report = build_report(registry, [], [], dt.date(2024, 6, 30), within=14, unit=None,
                          show_all=True)  # fmt: skip
    whole = render_json(report)
    assert json.loads(whole)["items"]
    for size in (1, 100, 1 << 16):
        assert b"".join(json_pieces(report, size)) == whole


def test_script_ends_at_once_with_its_output_whole(tmp_path: Path) -> None:
    """The script skips Python's shutdown (os._exit after flushing): what it printed is
    all there, to a pipe and to a file, and the exit code is the command's."""
    import json
    import subprocess

    _scheme, roster = generate(40, tmp_path / "data")
    env = {**os.environ, "CDO_POLICIES": str(tmp_path / "data" / "policies")}
    script = [sys.executable, "-m", "cdo_cli"]
    args = ["overdue", "--roster", str(roster), "--as-of", "2024-06-30", "--format", "json"]
    done = subprocess.run([*script, *args], capture_output=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode("utf-8")
    assert len(json.loads(done.stdout.decode("utf-8"))["items"]) > 40
    target = tmp_path / "out.json"
    with target.open("wb") as sink:
        done = subprocess.run([*script, *args, "--check"], stdout=sink, env=env, cwd=tmp_path)
    assert done.returncode == 1  # overdue items, --check
    assert json.loads(target.read_text(encoding="utf-8"))["as_of"] == "2024-06-30"
    bad = tmp_path / "bad.yaml"
    bad.write_text("scheme: puning\nunits:\n  市公安局X: {}\n", encoding="utf-8")
    done = subprocess.run([*script, "validate", str(bad)], capture_output=True, env=env)
    assert done.returncode == 1
    assert "是否应为：市公安局" in done.stdout.decode("utf-8") + done.stderr.decode("utf-8")


@settings(max_examples=500, deadline=None, database=None)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from(" \t\r\n#a\u3000\x0b\x0c\x1c\x85\u2028#"), st.characters()
        ),
        max_size=30,
    )
)
def test_content_found_as_the_lines_said(text: str) -> None:
    """parse finds a line with content without splitting the file into lines: the same
    answer as looking at every line (blank, or only a comment, or neither)."""
    from cdo_cli.yaml_errors import yaml_lines

    by_lines = any(ln.strip() and not ln.lstrip().startswith("#") for ln in yaml_lines(text))
    assert bool(loading._CONTENT.search(text)) == by_lines
