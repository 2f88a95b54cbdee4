"""Checks of a roster against its scheme: pure functions that return findings."""

from __future__ import annotations

from .findings import Finding
from .rosters import LoadedRoster


def check_roster(loaded: LoadedRoster) -> list[Finding]:
    """Every cross-record finding for a roster whose shape is valid."""
    return []
