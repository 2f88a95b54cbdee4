"""Suggestions: the indexed search gives what comparing with every choice gives."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from hypothesis import example, given, settings
from hypothesis import strategies as st

from cdo_cli.suggest import NameIndex, close_names, did_you_mean


def _brute_force(name: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """close_names as it was: difflib and the shared-character score over every choice."""
    pool = list(dict.fromkeys(choices))
    close = difflib.get_close_matches(name, pool, n=n, cutoff=0.5)
    if len(close) < n:
        scored = sorted(
            ((len(set(name) & set(c)) / max(len(set(name) | set(c)), 1), c) for c in pool),
            reverse=True,
        )
        close += [c for score, c in scored if score >= 0.4 and c not in close][: n - len(close)]
    return close


# A few characters, so that names share many and repeat some, as unit names do; and
# fewer, so that scores land exactly on the thresholds and tie.
CHARS = "市县区公安局厅财政教育卫生健康委员会办公室政务服务数据管理中心ab"
FEW = "市区局厅ab"


@st.composite
def _name_and_choices(draw: st.DrawFn) -> tuple[str, list[str], int]:
    chars = draw(st.sampled_from([CHARS, FEW]))
    names = st.text(alphabet=chars, min_size=0, max_size=draw(st.sampled_from([4, 12])))
    choices = draw(st.lists(names, max_size=40))
    if choices and draw(st.booleans()):
        # A near miss: one of the choices with a character changed, dropped or added.
        base = draw(st.sampled_from(choices))
        i = draw(st.integers(0, len(base)))
        ch = draw(st.sampled_from(chars))
        how = draw(st.sampled_from(["change", "drop", "add"]))
        if how == "add":
            name = base[:i] + ch + base[i:]
        elif how == "drop":
            name = base[:i] + base[i + 1 :]
        else:
            name = base[:i] + ch + base[i + 1 :]
    else:
        name = draw(names)
    return name, choices, draw(st.integers(1, 5))


@settings(max_examples=1500, deadline=None, database=None)
@given(_name_and_choices())
@example(("市公安厅", ["市公安局", "市财政局", "市教育局"], 3))
@example(("", ["", "a"], 3))
@example(("", ["a"], 3))
@example(("aa", ["a", "aaa", "ab", "ba"], 2))
@example(("a市", ["a", "市"], 1))  # a tie, broken by name
@example(("abc", ["c", "xc", "yc"], 3))  # "c" at difflib's cutoff, sharing only the commonest
@example(("abcde", ["ed", "dq", "eq", "dr", "er"], 3))  # "ed" at 0.4 shared, the same
def test_suggestions_indexed_agree_with_brute_force(case: tuple[str, list[str], int]) -> None:
    name, choices, n = case
    assert NameIndex(choices).close(name, n) == _brute_force(name, choices, n)
    assert close_names(name, choices, n) == _brute_force(name, choices, n)


def test_suggestions_bench_names_agree_with_brute_force() -> None:
    """Names as a province has them: thousands sharing 区, 局, and the departments' words."""
    import random

    from test_bench import _generate_module

    generate = _generate_module()
    names = generate.unit_names(3000)
    index = NameIndex(names)
    rng = random.Random(1)
    taken = set(names)
    for name in rng.sample(names, 40):
        typo = generate.misspelt(name, rng, taken)
        assert index.close(typo) == _brute_force(typo, names), typo
    for other in ["公安局", "市公安厅", "越秀区", "第2分局", "abc", "发展和改革局越秀区"]:
        assert index.close(other) == _brute_force(other, names), other


def test_suggestions_keep_the_chinese_near_miss() -> None:
    units = ["普宁市人民政府", "市公安局", "市财政局", "市政务服务数据管理局"]
    assert close_names("市公安厅", units)[0] == "市公安局"
    assert did_you_mean("市公安厅", NameIndex(units)) == did_you_mean("市公安厅", units)
    assert did_you_mean("完全无关", units) is None
