"""Where geobal finds its data and settings; every path the program uses is resolved here.

Bundled datasets ship inside the package (the wheel maps the repository's data/ folder
to geobal/data). An editable install or a source checkout has no geobal/data, so the
repository's data/ folder beside src/ is used instead.

The user's own files, and which one wins where several are given:

- datasets (TOML files, one per dataset):
  --data-dir flag > GEOBAL_DATA_DIR > `data_dir` in the config file >
  platformdirs.user_data_dir("geobal")/datasets
- config file: GEOBAL_CONFIG > platformdirs.user_config_dir("geobal")/config.toml
- cache: GEOBAL_CACHE_DIR > platformdirs.user_cache_dir("geobal")

On Linux the platformdirs folders are the XDG Base Directory ones, worked out here
(`platform_dir`) rather than by importing platformdirs, which costs about 4 ms of a
60 ms run; a test holds the two to the same answer. Elsewhere platformdirs answers.

Nothing is computed at import time: callers resolve paths from the environment and
flags they are given, so tests pass their own.
"""

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from geobal.errors import DataError

# importlib.resources would find the same folder for an installed (unzipped) package,
# but importing it costs about 15 ms (it pulls in zipfile and tempfile), a third of the
# start-up budget of `geobal deals --json`.
_PACKAGE_DIR = Path(__file__).resolve().parent
APP = "geobal"
# platformdirs' user folders on Linux: the XDG variable, and the default under the home
_XDG = {
    "data": ("XDG_DATA_HOME", ".local/share"),
    "config": ("XDG_CONFIG_HOME", ".config"),
    "cache": ("XDG_CACHE_HOME", ".cache"),
}


class Paths(NamedTuple):
    bundled: Path  # the bundled TOML datasets and sources.toml
    data: Path  # the user's dataset files
    config: Path  # the user's config.toml
    cache: Path
    data_from: str = "default"  # which setting chose `data`: flag, environment, config


def bundled_data_dir() -> Path:
    installed = _PACKAGE_DIR / "data"
    if installed.is_dir():
        return installed
    # src/geobal/paths.py -> the repository root's data/
    return _PACKAGE_DIR.parent.parent / "data"


def platform_dir(kind: str, environ: Mapping[str, str]) -> Path:
    """platformdirs.user_{kind}_dir("geobal"), for kind data, config or cache."""
    if sys.platform != "linux":
        import platformdirs

        return Path(getattr(platformdirs, f"user_{kind}_dir")(APP))
    variable, default = _XDG[kind]
    if Path(given := environ.get(variable, "")).is_absolute():  # a relative one is ignored
        return Path(given, APP)
    return Path(_home(environ), default, APP)


def _home(environ: Mapping[str, str]) -> str:
    """The home folder as platformdirs finds it: HOME when it is absolute, else the
    account's."""
    home = environ.get("HOME", "")
    if not Path(home).is_absolute():
        import pwd

        try:
            home = pwd.getpwuid(os.getuid()).pw_dir
        except KeyError:
            home = ""
    if not Path(home).is_absolute():
        raise DataError(
            "cannot tell where your home folder is, for geobal's own folders",
            "set HOME to an absolute path, or GEOBAL_DATA_DIR, GEOBAL_CONFIG and GEOBAL_CACHE_DIR",
        )
    return home


def config_file(environ: Mapping[str, str]) -> Path:
    if environ.get("GEOBAL_CONFIG"):
        return Path(environ["GEOBAL_CONFIG"]).expanduser()
    return platform_dir("config", environ) / "config.toml"


def resolve(
    environ: Mapping[str, str],
    data_dir: str | Path | None = None,
    configured: str | None = None,
    config: Path | None = None,
    bundled: Path | None = None,
) -> Paths:
    """The paths for one run: `data_dir` from the command line, `configured` from the
    config file's data_dir, `config` the config file when already known, `bundled` the
    bundled datasets' folder when not the installed one (tests' fixtures)."""
    if data_dir is not None:
        data, source = Path(data_dir), "flag --data-dir"
    elif environ.get("GEOBAL_DATA_DIR"):
        data, source = Path(environ["GEOBAL_DATA_DIR"]), "environment GEOBAL_DATA_DIR"
    elif configured:
        data, source = Path(configured), "config data_dir"
    else:
        data, source = platform_dir("data", environ) / "datasets", "default"
    if environ.get("GEOBAL_CACHE_DIR"):
        cache = Path(environ["GEOBAL_CACHE_DIR"])
    else:
        cache = platform_dir("cache", environ)
    return Paths(
        bundled or bundled_data_dir(),
        data.expanduser(),
        config or config_file(environ),
        cache.expanduser(),
        source,
    )
