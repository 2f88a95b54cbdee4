"""Where the files that ship with cdo are: built-in schemes, their source texts, templates."""

from __future__ import annotations

from pathlib import Path


def builtin_dir() -> Path:
    """The folder of the schemes that ship with cdo (in the wheel, or the checkout)."""
    here = Path(__file__).resolve().parent
    installed = here / "policies"
    return installed if installed.is_dir() else here.parent / "policies"


def templates_dir() -> Path:
    """The folder of the templates that ship with cdo."""
    here = Path(__file__).resolve().parent
    installed = here / "templates"
    return installed if installed.is_dir() else here.parent / "templates"
