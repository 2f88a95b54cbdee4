"""Pausing Python's cycle collector while a large tree of acyclic data is built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

# Set by the script (cli.main), which ends as soon as its command has: only there does
# what a command built live to the end of the process.
_SCRIPT = {"ends_with_command": False}


def script_ends_with_command() -> None:
    """Called by the ``cdo`` script: the process ends when its one command does."""
    _SCRIPT["ends_with_command"] = True


@contextmanager
def gc_paused(*, kept: bool = False) -> Iterator[None]:
    """Pause the cycle collector for the block, and restore it as it was.

    YAML data and overdue's items hold no reference cycles, so the collector has nothing
    to find there, but its passes over a growing tree took 40% of a province-sized
    roster's load and of building 900,000 items. ``cdo validate`` and ``cdo overdue`` run
    whole under it: what they build lives until the process ends, and the collector's
    passes cost a fifth of their time at 20,000 units (for about 6% more peak memory).
    Not for a command that opens many python-docx documents: those do hold cycles.

    ``kept``: what the block built lives to the end of the process, so in the script it
    is moved out of the collector's sight (``gc.freeze``) when the block ends; else the
    first collection after it walks it all (0.1 s after a 5,000-unit roster, each time).
    Elsewhere (tests, a program that calls cdo's functions) nothing is frozen: it would
    be kept for good.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if kept and _SCRIPT["ends_with_command"]:
            gc.freeze()
        if enabled:
            gc.enable()
