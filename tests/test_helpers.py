"""helpers.py: work in chunks over helper processes gives what one process gives.

The helpers are real processes (spawn), as on a user's machine; these tests start a
few, each about a third of a second.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from test_bench import generate
from typer.testing import CliRunner

from cdo_cli import helpers
from cdo_cli.cli import app
from cdo_cli.helpers import Helpers, helper_count


def square_all(items: Sequence[int]) -> list[tuple[int, int]]:
    """Each item squared (half a millisecond each), with the process that did it."""
    import time

    time.sleep(0.0005 * len(items))
    return [(i * i, os.getpid()) for i in items]


def die_in_helper(items: Sequence[int]) -> list[int]:
    """Ends a helper process outright (as the out-of-memory killer would)."""
    import multiprocessing
    import time

    if multiprocessing.parent_process() is not None:
        os._exit(3)
    time.sleep(0.002 * len(items))
    return [i + 1 for i in items]


def fail_on_13(items: Sequence[int]) -> list[int]:
    """A bug: fails on one item, wherever it runs."""
    import time

    time.sleep(0.002 * len(items))
    if 13 in items:
        raise ZeroDivisionError("13")
    return [i for i in items]


def slow_square(items: Sequence[int]) -> list[int]:
    import time

    time.sleep(0.002 * len(items))
    return [i * i for i in items]


def _ready(pool: Helpers, timeout: float = 120) -> None:
    """Wait until every helper has said it is ready: starting one takes ~0.3 s, and much
    longer on a busy machine, where the work could otherwise be done before it is."""
    import time

    deadline = time.monotonic() + timeout
    for helper in pool._helpers:
        while not helper.ready:
            assert time.monotonic() < deadline, "a helper did not start"
            if helper.conn.poll(0.05):
                pool._receive(helper, [], [])


def test_chunks_over_a_helper_come_back_in_order_and_both_did_some() -> None:
    items = list(range(2000))
    with Helpers(square_all, len(items), least=0, helpers=1) as pool:
        assert pool._helpers  # started at once
        _ready(pool)
        out = pool.map(items)
    assert [v for v, _ in out] == [i * i for i in items]
    workers = {pid for _, pid in out}
    assert os.getpid() in workers  # this process worked from the front
    assert len(workers) == 2  # and the helper from the back


def test_a_helper_that_dies_leaves_its_work_to_this_process() -> None:
    items = list(range(300))
    with Helpers(die_in_helper, len(items), least=0, helpers=2) as pool:
        _ready(pool)
        out = pool.map(items)
        processes = [h.process for h in pool._helpers]
        assert any(h.gone for h in pool._helpers)  # a helper took a chunk, and died
    assert out == [i + 1 for i in items]
    assert not any(p.is_alive() for p in processes)  # none left behind


def test_a_failure_in_a_helper_is_met_here_as_it_would_be_alone() -> None:
    items = list(range(200))
    with pytest.raises(ZeroDivisionError), Helpers(fail_on_13, 200, least=0, helpers=1) as pool:
        _ready(pool)
        pool.map(items[::-1])  # 13 lies at the back, in a helper's chunk
    assert pool._helpers == []  # stopped on the way out


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name == "nt", reason="POSIX signals")
def test_helpers_leave_ctrl_c_to_this_process() -> None:
    """Ctrl+C reaches every process on the console: helpers ignore it (no traceback of
    theirs), this process stops them."""
    import time

    with Helpers(slow_square, 500, least=0, helpers=1) as pool:
        _ready(pool)  # past its start (where Python's own handler still stands)
        assert pool.map(list(range(100))) == [i * i for i in range(100)]
        helper = pool._helpers[0].process
        os.kill(helper.pid, signal.SIGINT)
        time.sleep(0.3)
        assert helper.is_alive()
        assert pool.map(list(range(500))) == [i * i for i in range(500)]
    assert not helper.is_alive()


def test_no_helpers_for_a_small_batch_one_core_or_a_frozen_program(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with Helpers(square_all, 10) as pool:
        assert pool._helpers == []
        assert pool.map([1, 2, 3]) == [(1, os.getpid()), (4, os.getpid()), (9, os.getpid())]
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert helper_count() == 0
    monkeypatch.undo()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert helper_count() == 0


def test_helpers_that_cannot_start_leave_the_work_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """Process creation refused (an antivirus, a policy, no memory): work alone."""
    import multiprocessing.context

    def refuse(self: object) -> None:
        raise PermissionError(13, "拒绝访问")

    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", refuse)
    with Helpers(square_all, 1000, least=0, helpers=2) as pool:
        assert pool._helpers == []
        assert [v for v, _ in pool.map(list(range(1000)))] == [i * i for i in range(1000)]


def test_render_all_with_helpers_gives_the_bytes_of_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """render --all of 450 departments: on every core (as a province renders), the same
    files byte for byte as one process writes."""
    from cdo_cli.policy_loading import Registry
    from cdo_cli.render import render_chunk, render_documents
    from cdo_cli.workspace import Workspace

    _scheme, roster = generate(450, tmp_path / "data")
    monkeypatch.setenv("CDO_POLICIES", str(tmp_path / "data" / "policies"))
    ws = Workspace(Registry())
    loaded = ws.valid_roster(roster)
    day = dt.date(2024, 6, 30)
    monkeypatch.setattr(helpers, "helper_count", lambda: 1)
    result = render_documents(
        ws.registry, "attachment2", all_units=True, roster=loaded, roster_given=True,
        fmt="docx", today=day,
    )  # fmt: skip
    from cdo_cli.forms import build_form, form_units

    scheme = loaded.scheme
    form = next(f for f in scheme.forms if f.id == "attachment2")
    alone = render_chunk([build_form(scheme, form, u, loaded) for u in form_units(scheme, form)],
                         "docx", day)  # fmt: skip
    assert len(result.documents) == len(alone) == 450
    assert [d.data for d in result.documents] == alone

    # And through the command line into folders, with a helper and without.
    runner = CliRunner()
    written = {}
    for count in (1, 0):
        monkeypatch.setattr(helpers, "helper_count", lambda count=count: count)
        out = tmp_path / f"out{count}"
        argv = ["render", "attachment2", "--all", "--roster", str(roster), "-o", str(out)]
        done = runner.invoke(app, argv)
        assert done.exit_code == 0, done.output
        written[count] = {p.name: p.read_bytes() for p in out.iterdir()}
    assert len(written[1]) == 450
    assert written[1] == written[0]
