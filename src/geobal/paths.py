"""Where geobal finds its data; every path the program uses is resolved here.

Bundled datasets ship inside the package (the wheel maps the repository's data/ folder
to geobal/data). An editable install or a source checkout has no geobal/data, so the
repository's data/ folder beside src/ is used instead.

Precedence, for every location that can be overridden: command-line flag, then
environment variable, then the platformdirs default. Nothing is computed at import
time: callers resolve paths from the environment they are given, so tests pass their
own.
"""

from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

# importlib.resources would find the same folder for an installed (unzipped) package,
# but importing it costs about 15 ms (it pulls in zipfile and tempfile), a third of the
# start-up budget of `geobal deals --json`.
_PACKAGE_DIR = Path(__file__).resolve().parent


class Paths(NamedTuple):
    bundled: Path  # the bundled TOML datasets and sources.toml


def bundled_data_dir() -> Path:
    installed = _PACKAGE_DIR / "data"
    if installed.is_dir():
        return installed
    # src/geobal/paths.py -> the repository root's data/
    return _PACKAGE_DIR.parent.parent / "data"


def resolve(environ: Mapping[str, str]) -> Paths:
    """The paths for one run, given its environment."""
    del environ  # nothing is overridable yet; user data directories will read it
    return Paths(bundled=bundled_data_dir())
