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

Nothing is computed at import time: callers resolve paths from the environment and
flags they are given, so tests pass their own.
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


def config_file(environ: Mapping[str, str]) -> Path:
    if environ.get("GEOBAL_CONFIG"):
        return Path(environ["GEOBAL_CONFIG"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("geobal")) / "config.toml"


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
    import platformdirs

    if data_dir is not None:
        data, source = Path(data_dir), "flag --data-dir"
    elif environ.get("GEOBAL_DATA_DIR"):
        data, source = Path(environ["GEOBAL_DATA_DIR"]), "environment GEOBAL_DATA_DIR"
    elif configured:
        data, source = Path(configured), "config data_dir"
    else:
        data, source = Path(platformdirs.user_data_dir("geobal")) / "datasets", "default"
    cache = (
        Path(environ["GEOBAL_CACHE_DIR"])
        if environ.get("GEOBAL_CACHE_DIR")
        else Path(platformdirs.user_cache_dir("geobal"))
    )
    return Paths(
        bundled or bundled_data_dir(),
        data.expanduser(),
        config or config_file(environ),
        cache.expanduser(),
        source,
    )
