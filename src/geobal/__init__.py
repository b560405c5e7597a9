"""geobal: query sourced data on strategic balancing from the command line."""

from typing import Any


def __getattr__(name: str) -> Any:
    # The version is read from the installed metadata only when asked for: importing
    # importlib.metadata costs start-up time that `geobal deals --json` should not pay.
    if name == "__version__":
        from importlib.metadata import version

        return version("geobal")
    raise AttributeError(name)
