"""The command line: typer signatures, one core call per command, and printing.

One module per command group: ``policy`` (policy and schema), ``roster`` (init and
validate), ``record`` (import, record filing/appoint, history), ``overdue``, ``report``, ``render``. ``shell`` is the front door that catches every
error once; ``apps`` holds the groups; ``common`` what the commands share. Only typer
and these modules are imported to print help or the version; every command imports
what it needs when it runs (pydantic models, rich, docx, jinja2).

No ``from __future__ import annotations`` in the command modules: typer reads every
command's signature at each start, and evaluating string annotations doubled that.
"""

import sys

# Imported in the order their commands are listed in ``cdo --help``.
from . import roster  # isort: skip
from . import record  # isort: skip
from . import overdue, report, render  # isort: skip
from . import export  # isort: skip
from . import evaluation  # isort: skip
from . import policy  # isort: skip
from .apps import app

__all__ = [
    "app", "evaluation", "export", "main", "overdue", "policy", "record", "render", "report",
    "roster",
]  # fmt: skip


def main() -> None:
    """Entry point of the ``cdo`` script and of ``python -m cdo_cli``.

    When the command is done the process ends at once, its output flushed: Python's
    own shutdown frees every object one by one, a fifth of the run after a province's
    roster (about 6 s at 120,000 units). Every file cdo writes is closed before its
    command returns. Only the script does this, and not under a profiler or coverage;
    tests call ``app`` in their own process.
    """
    import os

    from ..gc_pause import script_ends_with_command

    script_ends_with_command()
    try:
        app()
    except SystemExit as exc:
        if not isinstance(exc.code, int):
            raise
        code = exc.code
    else:
        code = 0
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler or coverage writes its data at the usual exit
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe: the command has said what it could
    os._exit(code)
