"""helpers.py: work in chunks over helper processes gives what one process gives.

The helpers are real processes (spawn), as on a user's machine; these tests start a
few, each about a third of a second.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import pytest
from test_bench import generate
from typer.testing import CliRunner

from cdo_cli import helpers
from cdo_cli.cli import app
from cdo_cli.helpers import Helpers, helper_count


def square_all(items: Sequence[int]) -> list[tuple[int, int]]:
    """Each item squared, with the process that did it."""
    return [(i * i, os.getpid()) for i in items]


def die_in_helper(items: Sequence[int]) -> list[int]:
    """Ends a helper process outright (as the out-of-memory killer would)."""
    import multiprocessing

    if multiprocessing.parent_process() is not None:
        os._exit(3)
    return [i + 1 for i in items]


def test_chunks_over_a_helper_come_back_in_order_and_both_did_some() -> None:
    items = list(range(2000))
    with Helpers(len(items), least=0, helpers=1) as pool:
        out = pool.map_chunks(square_all, items, chunk=10)
    assert [v for v, _ in out] == [i * i for i in items]
    workers = {pid for _, pid in out}
    assert os.getpid() in workers  # this process took the chunks nobody had begun
    assert len(workers) == 2  # and the helper did its share


def test_a_helper_that_dies_leaves_its_chunks_to_this_process() -> None:
    items = list(range(300))
    with Helpers(len(items), least=0, helpers=1) as pool:
        out = pool.map_chunks(die_in_helper, items, chunk=7)
    assert out == [i + 1 for i in items]


def test_no_helpers_for_a_small_batch_or_one_core(monkeypatch: pytest.MonkeyPatch) -> None:
    with Helpers(10) as pool:
        assert pool._pool is None
        assert pool.map_chunks(square_all, [1, 2, 3], chunk=2) == [
            (1, os.getpid()), (4, os.getpid()), (9, os.getpid())
        ]  # fmt: skip
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0}, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert helper_count() == 0
    with Helpers(100_000) as pool:
        assert pool._pool is None


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
