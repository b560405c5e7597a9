"""What the process was given: its streams, whether they are terminals, its environment.

geobal builds one Env from the process; tests build their own instead of patching sys,
as httpie's tests do with MockEnvironment. This module imports nothing of geobal.
"""

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO, NamedTuple, TextIO, cast


class Env(NamedTuple):
    stdout: TextIO
    stderr: TextIO
    stdout_isatty: bool
    stderr_isatty: bool
    environ: Mapping[str, str]
    stdin: BinaryIO | None = None  # None: the process's standard input
    # The folder of the bundled datasets; None: the one installed with geobal. Tests
    # point it at fixtures of their own, so that behaviour is not tested on real data.
    bundled: Path | None = None

    @classmethod
    def from_process(cls) -> "Env":
        return cls(
            sys.stdout,
            sys.stderr,
            _isatty(sys.stdout),
            _isatty(sys.stderr),
            os.environ,
            sys.stdin.buffer if sys.stdin is not None else None,
        )

    @property
    def width(self) -> int | None:
        """The terminal width the user set with COLUMNS, if any."""
        columns = self.environ.get("COLUMNS", "")
        return int(columns) if columns.isdigit() and int(columns) > 0 else None

    def read_stdin(self) -> bytes:
        stream = self.stdin if self.stdin is not None else sys.stdin.buffer
        return stream.read()


def closed_stream() -> TextIO:
    """A stand-in for a standard stream the process was started without: writing to it
    fails as writing to a closed file would, so the CLI reports it as such."""
    import errno
    import io

    class Closed(io.TextIOBase):
        def write(self, text: str) -> int:
            raise OSError(errno.EBADF, "it is closed")

        def isatty(self) -> bool:
            return False

    return cast(TextIO, Closed())


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or stream-like object
        return False
