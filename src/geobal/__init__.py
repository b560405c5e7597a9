"""geobal: query sourced data on strategic balancing, from the command line and from Python.

    import geobal
    geobal.query("deals", where=["sector=air"]).to_records()

The library (geobal.api) is imported on first use of one of its names, not with the
package: the command line imports this package on every run and needs none of it.
"""

from typing import TYPE_CHECKING, Any

# The one version source: pyproject.toml reads it from here (hatch's version path), and
# the parse cache keys its entries with it, which importlib.metadata would make slow.
__version__ = "0.1.0"

if TYPE_CHECKING:
    from geobal.api import (
        Geobal,
        MissingPackage,
        Provenance,
        Result,
        balance,
        brief,
        datasets,
        describe,
        factsheet,
        locations,
        open,
        pipeline,
        query,
        search,
        setting,
        settings,
        shares,
        show,
        sources,
        suppliers,
        timeline,
    )
    from geobal.errors import DataError, GeobalError, NotFoundError, UsageError
    from geobal.model import Dataset
    from geobal.periods import Period
    from geobal.queries import Filter

__all__ = [
    "DataError",
    "Dataset",
    "Filter",
    "Geobal",
    "GeobalError",
    "MissingPackage",
    "NotFoundError",
    "Period",
    "Provenance",
    "Result",
    "UsageError",
    "__version__",
    "balance",
    "brief",
    "datasets",
    "describe",
    "factsheet",
    "locations",
    "open",
    "pipeline",
    "query",
    "search",
    "setting",
    "settings",
    "shares",
    "show",
    "sources",
    "suppliers",
    "timeline",
]

_ERRORS = {"DataError", "GeobalError", "NotFoundError", "UsageError"}


def __getattr__(name: str) -> Any:
    if name in _ERRORS:
        from geobal import errors

        return getattr(errors, name)
    if name == "Period":
        from geobal.periods import Period

        return Period
    if name == "Dataset":
        from geobal.model import Dataset

        return Dataset
    if name in __all__:
        from geobal import api

        return getattr(api, name)
    raise AttributeError(f"module 'geobal' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names (what `from geobal import *` gives) and the module's own dunders,
    not the helpers and submodules a run happens to have imported."""
    return sorted({*__all__, *(n for n in globals() if n.startswith("__"))})
