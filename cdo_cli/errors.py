"""One error hierarchy: every error a user may cause carries a message ready to show.

The CLI catches :class:`CdoError` once and exits with its ``exit_code``. Anything else
is a bug and surfaces as one.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class CdoError(Exception):
    """Base: a problem to show to the user, with the exit code it maps to."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(CdoError):
    """The command line asks for something that cannot be done (exit 2)."""


class UnreadableError(CdoError):
    """A file cannot be read at all: missing, a folder, not permitted (exit 2)."""


class InvalidInputError(CdoError):
    """A file was read but is not valid, at a known place in it (exit 1)."""

    exit_code = EXIT_FINDINGS

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        file: str = "",
        line: int = 1,
        column: int = 1,
    ) -> None:
        super().__init__(f"{file}:{line}:{column}: {message}" if file else message, hint)
        self.problem = message
        self.file = file
        self.line = line
        self.column = column


class NotFoundError(CdoError):
    """A scheme, form or unit named on the command line does not exist (exit 1)."""

    exit_code = EXIT_FINDINGS
