"""Thousands of documents built on more than one core.

``cdo render --all`` for a province (5,000 forms) spends most of its time building
documents one after another, each a pure function of its form. Where the machine has a
second core, :class:`Helpers` starts helper processes ("spawn", the only way Windows has)
that take chunks of the work from the back while this process works from the front, one
item at a time, until the two meet. A helper that is slow to start (a busy machine, an
antivirus scan) delays nothing: this process simply does more. A helper that dies, fails
or cannot be started leaves its work to this process, which then does it (and meets any
error there, as it would alone). Helpers ignore Ctrl+C (this process stops them) and are
stopped when the batch ends. The results are what one process gives, in the same order
(``tests/test_helpers.py``).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a helper's start (~0.3 s: Python, lxml, cdo's forms) is not
# earned back. A helper's chunk is small, so that what is left to wait for at the end
# is short.
LEAST_ITEMS = 400
CHUNK = 32
MOST_HELPERS = 3  # this process still reads the roster and writes the files alone
_READY = "ready"


def helper_count() -> int:
    """How many helpers the cores this process may use allow (none on one core, and
    none in a frozen executable, whose helpers would run the command line again)."""
    if getattr(sys, "frozen", False):
        return 0
    try:
        cores = len(os.sched_getaffinity(0))  # type: ignore[attr-defined,unused-ignore]
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(0, min(cores - 1, MOST_HELPERS))


@dataclass
class _Helper:
    process: Any  # multiprocessing.Process
    conn: Any  # this end of its pipe
    ready: bool = False
    busy: tuple[int, int] | None = None  # the chunk it is working on: [start, end)
    gone: bool = False


class Helpers:
    """Helper processes for one batch of ``items`` items running ``func``, or none.

    ``func(chunk) -> list`` must be a module-level function (or a ``functools.partial``
    of one) whose result depends on its argument alone. The helpers start at once, so
    that they get ready while this process prepares the work. Use as a context manager.
    """

    def __init__(
        self,
        func: Callable[[Sequence[Any]], list[Any]],
        items: int,
        *,
        least: int = LEAST_ITEMS,
        helpers: int | None = None,
    ) -> None:
        self.func = func
        self._helpers: list[_Helper] = []
        count = helper_count() if helpers is None else helpers
        if count <= 0 or items < least or _in_helper():
            return
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        for _ in range(count):
            mine, theirs = context.Pipe()
            process = context.Process(target=_serve, args=(theirs, func), daemon=True)
            try:
                process.start()
            except (OSError, RuntimeError, ValueError):  # no process to be had: work alone
                mine.close()
                theirs.close()
                break
            theirs.close()
            self._helpers.append(_Helper(process, mine))

    def __enter__(self) -> Helpers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop every helper (a finished batch, an error or Ctrl+C here): an idle one is
        told to end, one still starting or at work is ended."""
        idle = [h for h in self._helpers if h.ready and h.busy is None and not h.gone]
        for helper in idle:
            with contextlib.suppress(OSError, ValueError):
                helper.conn.send(None)
        for helper in self._helpers:
            if helper in idle:
                helper.process.join(timeout=1)
            if helper.process.is_alive():
                helper.process.terminate()
                helper.process.join(timeout=2)
            helper.conn.close()
        self._helpers = []

    def map(self, items: Sequence[Any]) -> list[Any]:
        """``func`` over ``items``, the results in order, as ``func(items)`` gives them."""
        if not self._helpers:
            return list(self.func(items))
        results: list[Any] = [None] * len(items)
        front, back = 0, len(items)  # this process works on [front, ...), helpers on [..., back)
        while front < back:
            back = self._tend(items, results, front, back)
            if front < back:
                results[front] = self.func(items[front : front + 1])[0]
                front += 1
        for helper in self._helpers:  # what the helpers still have in hand
            while helper.busy is not None:
                if helper.conn.poll(0.05) or not helper.process.is_alive():
                    self._receive(helper, items, results)
        return results

    def _tend(self, items: Sequence[Any], results: list[Any], front: int, back: int) -> int:
        """Take in what helpers have finished and give idle ones a chunk from the back;
        returns the new back."""
        for helper in self._helpers:
            if helper.gone:
                continue
            if helper.busy is not None or not helper.ready:
                if not helper.conn.poll():
                    if not helper.process.is_alive():
                        self._receive(helper, items, results)  # died: its chunk comes back
                    continue
                self._receive(helper, items, results)
            if helper.ready and helper.busy is None and not helper.gone and back - front > 1:
                start = max(front + 1, back - CHUNK)
                try:
                    helper.conn.send(items[start:back])
                except (OSError, ValueError):
                    helper.gone = True
                    continue
                helper.busy = (start, back)
                back = start
        return back

    def _receive(self, helper: _Helper, items: Sequence[Any], results: list[Any]) -> None:
        """Read a helper's message: ready, a chunk's results, or nothing (it has gone).
        A chunk that does not come back is done here."""
        try:
            message = helper.conn.recv()
        except (EOFError, OSError, ValueError):
            message = None
            helper.gone = True
        if message == _READY and not helper.ready:
            helper.ready = True
            return
        if helper.busy is None:
            return
        start, end = helper.busy
        helper.busy = None
        if not isinstance(message, list) or len(message) != end - start:
            helper.gone = True  # failed or died: done here (meeting any error here)
            message = self.func(items[start:end])
        results[start:end] = message


def _serve(conn: Any, func: Callable[[Sequence[Any]], list[Any]]) -> None:
    """A helper's life: say it is ready, then run ``func`` on each chunk it is sent
    until it is sent None. A failure is reported as such; this process does the chunk."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches every process on the console
    try:
        conn.send(_READY)
        while True:
            chunk = conn.recv()
            if chunk is None:
                return
            try:
                result = func(chunk)
            except BaseException:  # the main process does the chunk, and meets it there
                conn.send("failed")
                return
            conn.send(result)
    except (EOFError, OSError):
        return  # the main process has gone


def _in_helper() -> bool:
    """True in a helper process: helpers never start helpers of their own."""
    import multiprocessing

    return multiprocessing.parent_process() is not None
