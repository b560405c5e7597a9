"""The GeobalError family, and the exit codes the CLI turns them into."""

from collections.abc import Sequence
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geobal.model import Problem


class ExitCode(IntEnum):
    """The few exit codes geobal uses; documented in the README."""

    OK = 0
    ERROR = 1  # bad data, a missing record, a file that cannot be read
    USAGE = 2  # the command line asked for something that does not exist
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class GeobalError(Exception):
    """An error meant for the user: a message naming what is wrong, and how to fix it.

    Raised deep in the core; only the CLI turns it into stderr text and an exit code.
    """

    exit_code = ExitCode.ERROR

    def __init__(self, message: str, hint: str | None = None, details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.details = list(details)  # lines listed under the message, such as every bad row


class UsageError(GeobalError):
    """Unknown dataset, field or choice, or a malformed expression on the command line."""

    exit_code = ExitCode.USAGE


class DataError(GeobalError):
    """A dataset file that cannot be read or does not match its schema."""

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        problems: Sequence["Problem"] = (),
        details: Sequence[str] = (),
    ) -> None:
        super().__init__(message, hint, details)
        self.problems = list(problems)


class NotFoundError(GeobalError):
    """A record id that is not in the dataset."""


class MalformedWhere(UsageError):
    """A --where expression that is no FIELD OP VALUE; `expr` is the text given, which a
    shell's redirection may have cut short (geobal.guesses.redirected)."""

    def __init__(self, expr: str, hint: str) -> None:
        super().__init__(f"malformed --where {expr!r}", hint)
        self.expr = expr
