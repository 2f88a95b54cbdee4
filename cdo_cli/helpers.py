"""Thousands of documents built on more than one core.

``cdo render --all`` for a province (5,000 forms) spends most of its time building
documents one after another, each a pure function of its form. Where the machine has a
second core, :class:`Helpers` hands chunks of such work to helper processes, started
afresh ("spawn", the only way Windows has), while this process works through the chunks
from the front. A chunk no helper has begun yet, this process takes back, so a helper
that is slow to start (a busy machine, a slow disk, an antivirus scan) delays nothing;
one that dies leaves its chunks to this process. The results are what one process gives,
in the same order (``tests/test_helpers.py``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a helper's start (~0.3 s: Python, lxml, cdo's forms) is not
# earned back; chunks are small enough that the last one waited for is short.
LEAST_ITEMS = 400
CHUNK = 64
MOST_HELPERS = 3  # this process still reads the roster and writes the files alone


def helper_count() -> int:
    """How many helpers the cores this process may use allow (none on one core)."""
    try:
        cores = len(os.sched_getaffinity(0))  # type: ignore[attr-defined,unused-ignore]
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(0, min(cores - 1, MOST_HELPERS))


class Helpers:
    """Helper processes for one batch of work, or none (then everything runs here).

    ``items`` is how many the batch has: helpers start only for a batch worth them.
    Use as a context manager; the helpers are started at once, so that they get ready
    while this process prepares the work.
    """

    def __init__(self, items: int, *, least: int = LEAST_ITEMS, helpers: int | None = None):
        count = helper_count() if helpers is None else helpers
        self._pool: ProcessPoolExecutor | None = None
        if count > 0 and items >= least and not _in_helper():
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            context = multiprocessing.get_context("spawn")
            try:
                self._pool = ProcessPoolExecutor(count, mp_context=context)
            except (OSError, ValueError):  # no processes to be had: work alone
                self._pool = None

    def __enter__(self) -> Helpers:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def map_chunks(
        self, func: Callable[[Sequence[T]], list[R]], items: Sequence[T], chunk: int = CHUNK
    ) -> list[R]:
        """``func`` over ``items`` in chunks, the results in order: ``func(items[a:b])``
        for consecutive slices, joined. ``func`` must be a module-level function (a
        helper imports it by name) whose result depends on its argument alone."""
        chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
        if self._pool is None or len(chunks) < 2:
            return [r for part in chunks for r in func(part)]
        from concurrent.futures.process import BrokenProcessPool

        # Helpers take the chunks from the back, this process from the front.
        futures: dict[int, Future[list[R]]] = {}
        try:
            for k in range(len(chunks) - 1, 0, -1):
                futures[k] = self._pool.submit(func, chunks[k])
        except (BrokenProcessPool, RuntimeError):  # gone already: work alone
            return [r for part in chunks for r in func(part)]
        results: list[list[R] | None] = [None] * len(chunks)
        results[0] = func(chunks[0])
        k = 1
        while k < len(chunks) and futures[k].cancel():
            results[k] = func(chunks[k])
            k += 1
        for j in range(k, len(chunks)):
            try:
                results[j] = futures[j].result()
            except BrokenProcessPool:  # a helper died (out of memory, killed): do it here
                results[j] = func(chunks[j])
        return [r for part in results if part is not None for r in part]


def _in_helper() -> bool:
    """True in a helper process: helpers never start helpers of their own."""
    import multiprocessing

    return multiprocessing.parent_process() is not None
