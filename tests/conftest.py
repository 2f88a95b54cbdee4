"""Shared fixtures: run the CLI in-process with stable output."""

from __future__ import annotations

import os
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir
from typer.testing import CliRunner

from cdo_cli.cli import app

# Hypothesis keeps caches (constants of the code, Unicode tables) even without an example
# database; they go to the temporary folder, not into the checkout.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "cdo-hypothesis")
# Parsed schemes are cached between runs (cdo_cli/scheme_cache.py): the suite's cache is a
# fresh temporary folder, never the user's own, for this process and the ones it starts.
os.environ["CDO_CACHE_DIR"] = tempfile.mkdtemp(prefix="cdo-test-cache-")

ROOT = Path(__file__).resolve().parents[1]
# The source documents ship with the schemes (policies/sources/), so a lone clone can run the suite.
SEEDS = ROOT / "policies" / "sources"


@pytest.fixture(autouse=True)
def _stable_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("CDO_POLICIES", raising=False)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Run ``cdo`` with arguments in an empty folder; returns the click Result."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a dedented text file into the test's folder."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write
