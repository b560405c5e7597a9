"""What one run of geobal needs, built once by the CLI and passed down.

`Env` is what the process was given (streams, whether they are terminals, the
environment); tests build their own instead of patching sys. `Context` adds what the
run derives from it: paths, the catalog, the debug switch.
"""

import os
import sys
from collections.abc import Mapping
from functools import cached_property
from typing import NamedTuple, TextIO

from geobal.catalog import Catalog
from geobal.paths import Paths, resolve


class Env(NamedTuple):
    stdout: TextIO
    stderr: TextIO
    stdout_isatty: bool
    stderr_isatty: bool
    environ: Mapping[str, str]

    @classmethod
    def from_process(cls) -> "Env":
        return cls(sys.stdout, sys.stderr, _isatty(sys.stdout), _isatty(sys.stderr), os.environ)

    @property
    def width(self) -> int | None:
        """The terminal width the user set with COLUMNS, if any."""
        columns = self.environ.get("COLUMNS", "")
        return int(columns) if columns.isdigit() and int(columns) > 0 else None


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or stream-like object
        return False


class Context:
    def __init__(self, env: Env, paths: Paths | None = None, debug: bool = False) -> None:
        self.env = env
        self.paths = paths or resolve(env.environ)
        self.debug = debug

    @cached_property
    def catalog(self) -> Catalog:
        return Catalog(self.paths.bundled)

    def say(self, message: str) -> None:
        """A line for people, on stderr."""
        print(message, file=self.env.stderr)
