"""Analytics over the data, pure functions with no I/O and no Rich:

- concentration: how concentrated a buyer's suppliers are (HHI bounds, trends);
- published: SIPRI's figures as the bundled datasets record them;
- register: figures computed from an imported SIPRI register;
- brief: the one-screen brief.

Each module declares the datasets and fields it reads (`Needs`); `require` checks them
when the dataset is loaded, so a renamed field is an error naming the dataset and the
field, never a KeyError.
"""

from collections.abc import Mapping

from geobal.errors import DataError
from geobal.model import Dataset

# field name -> the kinds it may have (any kind when empty)
Needs = Mapping[str, tuple[str, ...]]


def misfit(ds: Dataset, needs: Needs) -> tuple[str, str] | None:
    """The first field of `needs` that `ds` lacks or has of another kind, and what is
    wrong with it; None when it has them all."""
    for name, kinds in needs.items():
        field = ds.field_map.get(name)
        if field is None:
            return name, f"which {ds.path} does not declare"
        if kinds and field.type.name not in kinds:
            return name, f"as {' or '.join(kinds)}, but {ds.path} declares it {field.type.name}"
    return None


def require(ds: Dataset, needs: Needs, what: str) -> Dataset:
    """`ds`, once it has every field `what` reads, of a kind it can read."""
    found = misfit(ds, needs)
    if found is not None:
        name, problem = found
        raise DataError(
            f"{what} reads the field {name!r} of dataset {ds.name!r}, {problem}",
            f"declare [fields.{name}] in {ds.path.name} as geobal's own {ds.name}.toml does",
        )
    return ds


def number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def clean(value: float) -> int | float:
    """A computed figure as JSON should carry it: 5825, not 5825.0."""
    return int(value) if float(value).is_integer() else value


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def percent(value: object) -> str:
    share = number(value)
    return "?" if share is None else f"{share:g}%"
