"""What one run of geobal needs, built once by the CLI from an Env and passed down:
the settings, the paths, the catalog, and the debug, strict and cache switches."""

import os
from contextlib import AbstractContextManager, nullcontext
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from geobal.cache import Cache
from geobal.catalog import Catalog
from geobal.config import Config, load
from geobal.env import Env
from geobal.errors import DataError
from geobal.paths import Paths, config_file, resolve

if TYPE_CHECKING:
    from geobal.api import Geobal

LARGE_FILE = 2_000_000  # bytes: tomllib takes about a second for 3 MB


class Context:
    def __init__(
        self,
        env: Env,
        debug: bool = False,
        strict: bool = False,
        data_dir: Path | None = None,
        no_cache: bool = False,
    ) -> None:
        self.env = env
        self.debug = debug
        self.strict = strict
        self.no_cache = no_cache
        self._data_dir = data_dir
        self._warned: set[str] = set()

    # Settings and paths are read on first use, after the root options are known:
    # --strict decides whether a broken config file stops the run.
    @cached_property
    def config(self) -> Config:
        path = config_file(self.env.environ)
        try:
            return load(path)
        except DataError as err:
            if self.strict:
                raise
            self.warn(f"ignoring the config file: {err.message}")
            return Config(path, {})

    @cached_property
    def paths(self) -> Paths:
        config = self.config
        return resolve(
            self.env.environ, self._data_dir, config.data_dir, config.path, self.env.bundled
        )

    @cached_property
    def catalog(self) -> Catalog:
        cache = None if self.no_cache else Cache(self.paths.cache)
        return Catalog(
            self.paths.bundled, self.paths.data, self.warn, self.strict, cache, self.reading
        )

    @cached_property
    def api(self) -> "Geobal":
        """The library over this run's data: what every command asks its questions of."""
        from geobal.api import Geobal

        return Geobal(self)

    def reading(self, path: Path) -> AbstractContextManager[object]:
        """While a large file is parsed, a spinner on a terminal's stderr; else nothing."""
        try:
            size = path.stat().st_size
        except OSError:
            size = 0
        if size < LARGE_FILE:
            return nullcontext()
        return self.busy(f"reading {path.name} ({size / 1e6:.1f} MB)")

    def busy(self, message: str) -> AbstractContextManager[object]:
        """A spinner with `message` on a terminal's stderr while something takes long."""
        if not self.env.stderr_isatty:
            return nullcontext()
        from rich.console import Console

        from geobal.codecs.escape import visible

        console = Console(file=self.env.stderr, force_terminal=True, width=self.env.width)
        return console.status(visible(message))

    def say(self, message: str) -> None:
        """A line for people, on stderr; whatever it holds of data or paths is shown,
        never acted on by the terminal."""
        from geobal.codecs.escape import visible, wrap_at_spaces

        text = visible(message)
        width = self._stderr_width() if self.env.stderr_isatty else None
        if width is not None and len(text) > width:
            text = wrap_at_spaces(text, width)
        print(text, file=self.env.stderr)

    def _stderr_width(self) -> int | None:
        """The width of the terminal stderr is: COLUMNS where set, else its own."""
        if self.env.width is not None:
            return self.env.width
        try:
            return os.get_terminal_size(self.env.stderr.fileno()).columns or None
        except (OSError, ValueError, AttributeError):  # a stand-in stream has no fileno
            return None

    def warn(self, message: str) -> None:
        """A problem that does not stop the command, said once."""
        if message not in self._warned:
            self._warned.add(message)
            self.say(f"geobal: warning: {message}")
