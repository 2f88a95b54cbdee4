"""cdo report's page in a real browser: it loads without errors, and its charts' numbers
are those of ``cdo validate --format json``, ``cdo overdue --format json`` and (for a
scheme that evaluates its officers) ``cdo evaluation rank --format json`` on the same
roster; where units name parents, the roll-up by parent is validate's
``summary_by_parent`` and overdue's items counted per parent.

Chromium is Debian's package (``/usr/bin/chromium``), run headless with nothing
downloaded and no network, and driven over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: no port, no extra Python package), which reports every
console message, script error and blocked load. The test fails under CI when Chromium
is missing and is skipped elsewhere. The numbers are read from the ``data-*``
attributes of the chart elements and the list rows in the DOM Chromium built; the same
reader runs on the page as written, without a browser, in
``test_report_numbers_match_validate_and_overdue``.

``CDO_REPORT_SHOTS=folder`` keeps the screenshots (1920×1080, and the whole page at A4
width) and the printed PDF, to be looked at.
"""

from __future__ import annotations

import base64
import json
import os
import re
import select
import shutil
import subprocess
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROSTERS = ROOT / "tests" / "data" / "report"
# Each built-in scheme with a partly filled roster, on a day with overdue, due-soon and
# filed duties (Huizhou's with the scores of its 2022 evaluation); and the test scheme
# whose units name parents and whose members choose a minimum of units.
CASES = [
    ("puning", "2023-12-20"),
    ("zhaoqing", "2022-04-25"),
    ("huizhou", "2023-04-20"),
    ("lingnan_pilot", "2022-03-01"),
]
# The test schemes are not built in: cdo is told where they are.
OPTIONS = {"lingnan_pilot": ["--policies", str(ROOT / "tests" / "schemes")]}

Cli = Callable[..., Any]


# ---------------------------------------------------------------- reading the page


class _PageNumbers(HTMLParser):
    """The data-* attributes of the report's chart elements and list rows."""

    def __init__(self) -> None:
        super().__init__()
        self.chart: str | None = None
        self.table: str | None = None
        self.row: dict[str, str] | None = None
        self.found: dict[str, list[dict[str, str]]] = defaultdict(list)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "svg" and "data-chart" in a:
            self.chart = a["data-chart"]
        elif tag == "table":
            self.table = a.get("class", "")
            if "data-category" in a:
                self.table += ":" + a["data-category"]
        elif tag == "main":
            self.found["main"].append(a)
        elif tag == "span" and a.get("class") == "roster":
            self.found["rosters"].append(a)
        elif tag == "section" and a.get("class") == "evaluation":
            self.found["evaluations"].append(a)
        elif tag == "g" and self.chart and a.get("class") in ("bar", "deadline", "marker"):
            self.found[f"{self.chart}:{a['class']}"].append(a)
        elif tag == "tr" and self.table and "data-unit" in a:
            self.found[self.table].append(a)
            self.row = a
        elif tag == "tr" and self.table == "undated" and "data-obligation" in a:
            self.found["undated-rows"].append(a)
        elif tag == "tr" and self.table == "parents" and "data-parent" in a:
            self.found["parents"].append(a)
        elif tag == "tr" and self.table == "minimums" and "data-message" in a:
            self.found["minimums"].append(a)
        elif tag == "td" and self.row is not None and "data-dimension" in a:
            # an officer's score on one dimension, kept with the row
            self.row[f"score:{a['data-dimension']}"] = a["data-score"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.chart = None
        elif tag == "table":
            self.table = None
        elif tag == "tr":
            self.row = None


def page_numbers(html: str) -> dict[str, list[dict[str, str]]]:
    """What the page says, element by element."""
    parser = _PageNumbers()
    parser.feed(html)
    return dict(parser.found)


# ---------------------------------------------------------------- what validate and overdue say


def _json(cli: Cli, *args: str) -> Any:
    result = cli(*args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def _period(value: Any) -> str:
    return "" if value is None else str(value)


_ROLE_MISSING = re.compile(r"“(.+)”的“(.+)”尚未填写(?:（推定）)?")
_UNIT_MISSING = re.compile(
    r"“(.+)”在方案范围内，但(?:这几份)?名册中(?:都)?没有这个单位（需设：(.+)）"
)


def expected_numbers(
    cli: Cli, rosters: list[Path], as_of: str, options: list[str] | None = None
) -> dict[str, Any]:
    """The report's numbers as ``cdo validate``, ``cdo overdue`` and ``cdo evaluation
    rank`` give them on the same rosters and day (several rosters of one scheme: checked
    and counted together); ``options`` come before the command (``--policies``)."""
    names = [str(p) for p in rosters]
    cli = _with(cli, options or [])
    validate = _json(cli, "validate", *names, "--as-of", as_of, "--format", "json")
    (summary,) = validate["summary"].values()  # one scheme: one summary
    (by_parent,) = validate["summary_by_parent"].values() or [{}]
    scheme = _json(cli, "policy", "show", _scheme_of(rosters[0]), "--format", "json")
    role_names = [r["name"] for r in scheme["roles"]]
    coverage = {k: [c["complete"], c["incomplete"], c["missing"]] for k, c in summary.items()}
    missing: dict[str, set[str]] = defaultdict(set)
    files: dict[str, Counter[str]] = {name: Counter() for name in names}
    for f in validate["findings"]:
        files[f["file"]][f["severity"]] += 1
        if f["code"] == "role-missing":
            unit, role = _ROLE_MISSING.fullmatch(f["message"]).groups()  # type: ignore[union-attr]
            missing[unit].add(role)
        elif f["code"] == "unit-missing":
            unit, roles = _UNIT_MISSING.fullmatch(f["message"]).groups()  # type: ignore[union-attr]
            missing[unit].update(split_roles(roles, role_names))
    given = [a for name in names for a in ("--roster", name)]
    overdue = _json(cli, "overdue", *given, "--as-of", as_of, "--all", "--format", "json")
    return {
        "coverage": coverage,
        "missing": {u: sorted(r) for u, r in missing.items()},
        "rosters": {name: (c["error"], c["warning"]) for name, c in files.items()},
        "items": overdue["items"],
        "by_parent": by_parent,
        "roles": role_names,
        "parents": _parents(scheme),
        "minimums": [f["message"] for f in validate["findings"] if f["code"] == "minimum-not-met"],
        "ranking": _ranking(cli, names) if len(names) == 1 else None,
    }


def _with(cli: Cli, options: list[str]) -> Cli:
    """``cli`` with ``options`` (such as ``--policies``) before every command."""
    return lambda *args, **kw: cli(*options, *args, **kw)


def _scheme_of(roster: Path) -> str:
    """The scheme a roster file names (its ``scheme:`` line)."""
    text = roster.read_text(encoding="utf-8")
    found = re.search(r"^scheme:\s*(\S+)", text, re.MULTILINE)
    assert found, roster
    return found.group(1)


def split_roles(text: str, names: list[str]) -> list[str]:
    """Posts listed with 、 between them, where a post's name may hold a 、 itself
    (县(市、区)首席数据官): the longest known name at each place, with the suffix
    （视单位属性而定） where the report adds it."""
    known = sorted({*names, *(f"{n}（视单位属性而定）" for n in names)}, key=len, reverse=True)
    out: list[str] = []
    while text:
        name = next((n for n in known if text.startswith(n)), None)
        assert name is not None, f"unknown post in {text!r}"
        out.append(name)
        text = text[len(name) :].removeprefix("、")
    return out


def _parents(scheme: dict[str, Any]) -> dict[str, list[str]]:
    """Each unit's parent, its parent's parent, …, from ``cdo policy show --format json``."""
    index = {n: u for u in scheme["units"] for n in (u["name"], *u["aliases"])}
    chains: dict[str, list[str]] = {}
    for unit in scheme["units"]:
        chain: list[str] = []
        at = unit
        while at["parent"] in index and index[at["parent"]]["name"] not in chain:
            at = index[at["parent"]]
            chain.append(at["name"])
        chains[unit["name"]] = chain
    return chains


def _ranking(cli: Cli, names: list[str], *options: str) -> Any:
    """``cdo evaluation rank --format json`` on the roster; None when its scheme has no
    evaluation or the roster no scores (rank says so and exits 2)."""
    result = cli("evaluation", "rank", "--roster", names[0], *options, "--format", "json")
    if result.exit_code == 2 and (
        "没有规定对首席数据官的评价" in result.stderr or "评分记录" in result.stderr
    ):
        return None
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def compare(page: dict[str, list[dict[str, str]]], expected: dict[str, Any], as_of: str) -> None:
    """Every number on the page is the one validate or overdue gives."""
    items = expected["items"]
    statuses = Counter(i["status"] for i in items)
    main = page["main"][0]
    assert main["data-as-of"] == as_of
    for status in ("filed", "filed_late", "overdue", "due_soon", "not_due", "not_filed"):
        assert int(main[f"data-{status.replace('_', '-')}"]) == statuses[status], status

    coverage = {
        b["data-kind"]: [int(b["data-complete"]), int(b["data-incomplete"]), int(b["data-missing"])]
        for b in page["coverage:bar"]
    }
    assert coverage == expected["coverage"]
    assert int(main["data-units"]) == sum(sum(c) for c in coverage.values())
    assert int(main["data-complete"]) == sum(c[0] for c in coverage.values())

    undated: dict[str, Counter[str]] = defaultdict(Counter)
    for i in items:
        if i["due"] is None:  # a filing the document sets no date for: filed or not
            undated[i["obligation"]][i["status"]] += 1
    shown_undated = {
        r["data-obligation"]: Counter(
            filed=int(r["data-filed"]), not_filed=int(r["data-not-filed"])
        )
        for r in page.get("undated-rows", [])
    }
    assert {k: +v for k, v in shown_undated.items()} == dict(undated)

    by_deadline: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    due: dict[tuple[str, str], str] = {}
    for i in (i for i in items if i["due"] is not None):
        key = (i["obligation"], _period(i["period"]))
        by_deadline[key][i["status"]] += 1
        due[key] = i["due"]
    shown = {}
    for b in page["deadlines:bar"]:
        key = (b["data-obligation"], b["data-period"])
        counts = {s: int(b[f"data-{s.replace('_', '-')}"]) for s in by_deadline[key] or ["filed"]}
        shown[key] = Counter({s: n for s, n in counts.items() if n})
        assert b["data-due"] == due[key]
        assert int(b["data-units"]) == sum(by_deadline[key].values())
    assert shown == dict(by_deadline)
    markers = {
        (m["data-obligation"], m["data-period"], m["data-due"]) for m in page["timeline:deadline"]
    }
    assert markers == {(*k, d) for k, d in due.items()}
    assert [m.get("data-as-of") for m in page["timeline:marker"] if "data-as-of" in m] == [as_of]

    late = [i for i in items if i["status"] == "overdue"]
    per_unit = Counter(i["unit"] for i in late)
    bars = page.get("units:bar", [])
    named = {b["data-unit"]: int(b["data-overdue"]) for b in bars if "data-others" not in b}
    assert named == {u: per_unit[u] for u in named}
    rest = [b for b in bars if "data-others" in b]
    others = {u: n for u, n in per_unit.items() if u not in named}
    if rest:
        assert int(rest[0]["data-others"]) == len(others)
        assert int(rest[0]["data-overdue"]) == sum(others.values())
        assert min(named.values()) >= max(others.values())
    else:
        assert others == {}

    rows = Counter(
        (r["data-unit"], r["data-obligation"], r["data-period"], int(r["data-days-overdue"]))
        for r in page.get("overdue", [])
    )
    assert rows == Counter(
        (i["unit"], i["obligation"], _period(i["period"]), i["days_overdue"]) for i in late
    )
    soon = Counter(
        (r["data-unit"], r["data-obligation"], r["data-period"], int(r["data-days-left"]))
        for r in page.get("due-soon", [])
    )
    assert soon == Counter(
        (i["unit"], i["obligation"], _period(i["period"]), i["days_left"])
        for i in items
        if i["status"] == "due_soon"
    )

    missing: dict[str, set[str]] = defaultdict(set)
    for key, found in page.items():
        if key.startswith("missing:"):
            for r in found:
                missing[r["data-unit"]].update(split_roles(r["data-roles"], expected["roles"]))
    assert {u: sorted(r) for u, r in missing.items()} == expected["missing"]
    shown = {
        r["data-name"]: (int(r["data-errors"]), int(r["data-warnings"])) for r in page["rosters"]
    }
    assert shown == expected["rosters"]
    assert Counter(r["data-message"] for r in page.get("minimums", [])) == Counter(
        expected["minimums"]
    )
    compare_parents(page, expected)
    compare_ranking(page, expected["ranking"])


_STATES = ("complete", "incomplete", "missing")


def compare_parents(page: dict[str, list[dict[str, str]]], expected: dict[str, Any]) -> None:
    """Per parent: validate's summary_by_parent, and overdue's overdue items of the parent
    itself and of the units under it (at any depth)."""
    chains = expected["parents"]
    own: Counter[str] = Counter()
    below: Counter[str] = Counter()
    for i in expected["items"]:
        if i["status"] == "overdue":
            own[i["unit"]] += 1
            below.update(chains.get(i["unit"], []))
    parents = {p for chain in chains.values() for p in chain}
    wanted = {
        p: (
            [expected["by_parent"].get(p, {}).get(s, 0) for s in _STATES],
            own[p],
            below[p],
        )
        for p in parents
        if p in expected["by_parent"] or own[p] or below[p]
    }
    rows = {
        r["data-parent"]: (
            [int(r[f"data-{s}"]) for s in _STATES],
            int(r["data-overdue-own"]),
            int(r["data-overdue-below"]),
        )
        for r in page.get("parents", [])
    }
    assert rows == wanted
    bars = {
        b["data-parent"]: [int(b[f"data-{s}"]) for s in _STATES]
        for b in page.get("parents:bar", [])
    }
    assert bars == {p: counts for p, (counts, _, _) in wanted.items()}


def _number(text: str) -> float | None:
    return float(text) if text else None


def compare_ranking(page: dict[str, list[dict[str, str]]], ranking: Any) -> None:
    """The evaluation section's ranking is ``cdo evaluation rank``'s: the year, the
    order, ranks (ties equal), names, every score, totals, and who was not evaluated."""
    sections = page.get("evaluations", [])
    if ranking is None:
        assert all(s["data-ranked"] == "0" for s in sections), sections
        assert "evaluation" not in page
        return
    (section,) = sections
    assert section["data-evaluation"] == ranking["evaluation"]
    assert int(section["data-year"]) == ranking["year"]
    assert section["data-weighted"] == ("true" if ranking["weighted"] else "false")
    rows = page["evaluation"]
    assert [
        (
            r["data-unit"],
            r["data-name"],
            int(r["data-rank"]) if r["data-rank"] else None,
            _number(r["data-total"]),
            r["data-evaluated"] == "true",
            r["data-missing"],
        )
        for r in rows
    ] == [
        (j["unit"], j["name"], j["rank"], j["total"], j["evaluated"], "、".join(j["missing"]))
        for j in ranking["rows"]
    ]
    for r, j in zip(rows, ranking["rows"], strict=True):
        if j["evaluated"]:
            assert {d: _number(r[f"score:{d}"]) for d in ranking["dimensions"]} == j["scores"]
    ranked = [j for j in ranking["rows"] if j["rank"] is not None]
    assert int(section["data-ranked"]) == len(ranked)
    assert [
        (b["data-unit"], int(b["data-rank"]), float(b["data-total"]))
        for b in page.get("evaluation:bar", [])
    ] == [(j["unit"], j["rank"], j["total"]) for j in ranked]


def _report(cli: Cli, scheme: str, as_of: str, tmp_path: Path) -> tuple[Path, Path]:
    roster = tmp_path / "roster.yaml"
    shutil.copyfile(ROSTERS / f"{scheme}.yaml", roster)
    page = tmp_path / f"{scheme}.html"
    options = OPTIONS.get(scheme, [])
    result = cli(*options, "report", "roster.yaml", "--as-of", as_of, "-o", page.name)
    assert result.exit_code == 0, result.output
    return roster, page


@pytest.mark.parametrize(("scheme", "as_of"), CASES)
def test_report_numbers_match_validate_and_overdue(
    cli: Cli, tmp_path: Path, scheme: str, as_of: str
) -> None:
    """The page as written (no browser): its numbers are validate's and overdue's."""
    roster, page = _report(cli, scheme, as_of, tmp_path)
    numbers = page_numbers(page.read_text(encoding="utf-8"))
    expected = expected_numbers(cli, [Path(roster.name)], as_of, OPTIONS.get(scheme))
    assert expected["items"] and any(i["status"] == "overdue" for i in expected["items"])
    compare(numbers, expected, as_of)
    # The cases show what they are for: a ranking with a tie, parents, minimums not met.
    if scheme == "huizhou":
        assert [r["data-rank"] for r in numbers["evaluation"]][:4] == ["1", "2", "2", "4"]
    if scheme == "lingnan_pilot":
        assert numbers["parents"] and numbers["minimums"]


# ---------------------------------------------------------------- in Chromium

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
]
# What the page may not produce while loading: console output, script errors, log
# entries (blocked loads and Content-Security-Policy violations arrive as these).
PROBLEMS = ("Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded")
TIMEOUT = 60.0


def _chromium() -> str:
    found = next(
        (p for p in ("/usr/bin/chromium", shutil.which("chromium")) if p and os.path.exists(p)),
        None,
    )
    if found is None or os.name != "posix":
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs Debian's chromium for the browser test of cdo report")
        pytest.skip("chromium not installed")
    return found


class Browser:
    """Headless Chromium driven over the DevTools protocol: commands go to its fd 3,
    replies and events come from its fd 4, each a JSON text ending in a NUL."""

    def __init__(self, exe: str, profile: Path) -> None:
        import fcntl

        theirs_in, ours_out = os.pipe()
        ours_in, theirs_out = os.pipe()
        # Above 4, so that putting them at 3 and 4 in the child cannot overwrite one.
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (theirs_in, theirs_out)]
        for fd in (theirs_in, theirs_out):
            os.close(fd)

        def at_3_and_4() -> None:
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.process = subprocess.Popen(
            [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=at_3_and_4,
            pass_fds=(3, 4),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for fd in high:
            os.close(fd)
        self.out = ours_out
        self.inp = ours_in
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def _receive(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.inp], [], [], TIMEOUT)
            assert ready, "Chromium did not answer"
            chunk = os.read(self.inp, 1 << 20)
            assert chunk, "Chromium closed the pipe"
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        data: dict[str, Any] = json.loads(message)
        return data

    def call(
        self, method: str, params: dict[str, Any] | None = None, session: str | None = None
    ) -> Any:
        """Send one command and wait for its result (events meanwhile are kept)."""
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self.out, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == self.next_id:
                assert "error" not in reply, reply
                return reply["result"]
            self.events.append(reply)

    def wait(self, method: str, session: str) -> None:
        """Until the event ``method`` has come for the page ``session``."""
        seen = 0
        while True:
            for event in self.events[seen:]:
                if event.get("method") == method and event.get("sessionId") == session:
                    return
            seen = len(self.events)
            self.events.append(self._receive())

    def open(self, url: str) -> str:
        """A new page showing ``url``, loaded; its session id."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session: str = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Runtime", "Log"):
            self.call(f"{domain}.enable", session=session)
        self.call("Page.navigate", {"url": url}, session=session)
        self.wait("Page.loadEventFired", session)
        return session

    def problems(self, session: str) -> list[Any]:
        """What the page said on its console, threw, or had blocked."""
        return [
            e["params"]
            for e in self.events
            if e.get("sessionId") == session and e.get("method") in PROBLEMS
        ]

    def dom(self, session: str) -> str:
        """The document as Chromium built it."""
        root = self.call("DOM.getDocument", {"depth": -1}, session=session)["root"]
        html: str = self.call("DOM.getOuterHTML", {"nodeId": root["nodeId"]}, session=session)[
            "outerHTML"
        ]
        return html

    def screenshot(self, session: str, width: int, height: int, whole: bool = False) -> bytes:
        """A PNG at that window size; ``whole``: the full length of the page."""
        metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
        self.call("Emulation.setDeviceMetricsOverride", metrics, session=session)
        params: dict[str, Any] = {"format": "png"}
        if whole:
            size = self.call("Page.getLayoutMetrics", session=session)["cssContentSize"]
            params["captureBeyondViewport"] = True
            params["clip"] = {"x": 0, "y": 0, "width": width, "height": size["height"], "scale": 1}
        data = self.call("Page.captureScreenshot", params, session=session)["data"]
        return base64.b64decode(data)

    def pdf(self, session: str) -> bytes:
        """Printed as a person prints it: the page's own paper size, with the browser's
        header and footer switched on."""
        params = {"preferCSSPageSize": True, "displayHeaderFooter": True, "printBackground": True}
        data = self.call("Page.printToPDF", params, session=session)["data"]
        return base64.b64decode(data)

    def close(self) -> None:
        """Close Chromium (this process only) and the pipe."""
        try:
            self.call("Browser.close")
            self.process.wait(timeout=TIMEOUT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            os.close(self.out)
            os.close(self.inp)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """One Chromium for the module's tests, with its own empty profile."""
    chromium = Browser(_chromium(), tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield chromium
    finally:
        chromium.close()


def test_report_browser_sees_problems(browser: Browser, tmp_path: Path) -> None:
    """The check below would notice: a page that loads from the network and runs a
    script under the report's policy gets two entries."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'\"></head><body>"
        '<img src="http://example.invalid/x.png"><script>nothing()</script></body></html>',
        encoding="utf-8",
    )
    session = browser.open(page.as_uri())
    assert len(browser.problems(session)) == 2, browser.problems(session)
    # And the print check: a page with the browser's usual margins gets its header.
    pdf = tmp_path / "bad.pdf"
    pdf.write_bytes(browser.pdf(session))
    with pytest.raises(AssertionError):
        _check_print(pdf, page)


@pytest.mark.parametrize(("scheme", "as_of"), CASES)
def test_report_in_chromium(
    cli: Cli, browser: Browser, tmp_path: Path, scheme: str, as_of: str
) -> None:
    """Chromium loads the page without a console message, error or blocked load; the DOM
    it built carries validate's and overdue's numbers; it prints on A4 pages without the
    browser's header and footer."""
    roster, page = _report(cli, scheme, as_of, tmp_path)
    session = browser.open(page.as_uri())
    assert browser.problems(session) == []
    dom = browser.dom(session)
    # the four charts, the roll-up by parent's and the evaluation's where there are some
    charts = 4 + (scheme == "lingnan_pilot") + (scheme == "huizhou")
    assert dom.count("<svg") == charts
    expected = expected_numbers(cli, [Path(roster.name)], as_of, OPTIONS.get(scheme))
    compare(page_numbers(dom), expected, as_of)

    shots = Path(os.environ.get("CDO_REPORT_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    for name, png in (
        ("1920x1080", browser.screenshot(session, 1920, 1080)),
        ("a4-width", browser.screenshot(session, 794, 1123, whole=True)),
    ):
        assert png.startswith(b"\x89PNG") and len(png) > 20_000
        (shots / f"{scheme}-{name}.png").write_bytes(png)
    pdf = shots / f"{scheme}-print.pdf"
    pdf.write_bytes(browser.pdf(session))
    _check_print(pdf, page)
    assert "首席数据官制度工作情况报告" in _pdf_text(pdf)
    assert browser.problems(session) == []


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs poppler ({tool})")
        pytest.skip("poppler not installed")
    return found


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(
        [_poppler("pdftotext"), str(pdf), "-"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    ).stdout


def _check_print(pdf: Path, page: Path) -> None:
    """A4 pages, with none of the header and footer Chromium prints in wide margins."""
    meta = subprocess.run(
        [_poppler("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", meta), meta
    words = _pdf_text(pdf)
    assert "file://" not in words and page.name not in words
    assert not re.search(r"^\s*\d+/\d+\s*$", words, re.MULTILINE)  # no "1/3" page numbers


@pytest.mark.parametrize(
    ("scheme", "form"),
    [
        ("puning", "attachment3"),
        pytest.param("puning", "attachment2 --dept 市公安局", id="puning-attachment2"),
        ("zhaoqing", "attachment"),
    ],
)
def test_form_page_prints_without_browser_header(
    cli: Cli, browser: Browser, tmp_path: Path, scheme: str, form: str
) -> None:
    """A form's page (cdo render --format html) prints on A4 without the browser's header
    and footer, as the README says: Chromium printed its page count ("1/1") in the 26 mm
    side margin of @page, so the side margins are <main>'s padding too."""
    result = cli("render", *form.split(), "--scheme", scheme, "-f", "html", "-o", "form.html")
    assert result.exit_code == 0, result.output
    page = tmp_path / "form.html"
    session = browser.open(page.as_uri())
    assert browser.problems(session) == []
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(browser.pdf(session))
    _check_print(pdf, page)


_UNIT_LINES = """JSON.stringify(
  [...document.querySelectorAll("table.overdue, table.due-soon, table.missing, table.evaluation")]
  .flatMap(t => [...t.tBodies].flatMap(b => [...b.rows]).map(r => {
    const cell = r.cells[t.classList.contains("evaluation") ? 1 : 0];
    const range = document.createRange();
    range.selectNodeContents(cell);
    const tops = new Set([...range.getClientRects()].filter(x => x.width > 0)
      .map(x => Math.round(x.top)));
    return [cell.textContent, tops.size];
  })))"""


@pytest.mark.parametrize(("scheme", "as_of"), CASES)
def test_report_unit_names_whole_in_print(
    cli: Cli, browser: Browser, tmp_path: Path, scheme: str, as_of: str
) -> None:
    """Printed on A4, each unit's name in the lists and the ranking takes one line, or two
    broken before its bracket: Chromium had broken 市人力资源社会保障局 anywhere to share
    out the width among the columns."""
    _, page = _report(cli, scheme, as_of, tmp_path)
    session = browser.open(page.as_uri())
    browser.call("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
    metrics = {"width": 680, "height": 1000, "deviceScaleFactor": 1, "mobile": False}
    browser.call("Emulation.setDeviceMetricsOverride", metrics, session=session)  # 180 mm
    result = browser.call(
        "Runtime.evaluate", {"expression": _UNIT_LINES, "returnByValue": True}, session=session
    )
    cells = json.loads(result["result"]["value"])
    assert cells
    for text, lines in cells:
        assert lines == 1 or (lines == 2 and "（" in text[1:]), (text, lines)
