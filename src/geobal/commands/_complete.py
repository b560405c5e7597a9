"""Shell completion: dataset names, field names and choice values, read from the data.

Completion runs before the root callback, so it builds its Context from the Env handed in
or the process. It must never print an error into the user's shell, so any failure to
load the data offers nothing.
"""

from collections.abc import Callable

import typer

from geobal.context import Context
from geobal.env import Env
from geobal.errors import GeobalError
from geobal.model import Dataset
from geobal.query import Op

_OPERATORS = sorted(Op.ALL, key=len, reverse=True)


def _context(ctx: typer.Context) -> Context:
    """The run's Context: completion runs before the root callback builds it, so from
    the Env handed in (as tests do), else from the process."""
    obj = ctx.find_root().obj
    if isinstance(obj, Context):
        return obj
    return Context(obj if isinstance(obj, Env) else Env.from_process())


def _dataset(ctx: typer.Context) -> Dataset | None:
    """The dataset a command works on: its DATASET argument, or the command's own name."""
    from geobal.commands import DATASET_OF

    if "dataset" in ctx.params:
        # While an option still lacks its value (`query deals --where <TAB>`), click stops
        # parsing and leaves the DATASET argument unparsed in ctx.args.
        name = ctx.params["dataset"] or next(iter(ctx.args), None)
    else:
        name = DATASET_OF.get(str(ctx.info_name), ctx.info_name)
    try:
        return _context(ctx).catalog.get(str(name))
    except GeobalError:
        return None


def datasets(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        names = _context(ctx).catalog.names()
    except (GeobalError, OSError):
        return []
    return [n for n in names if n.startswith(incomplete)]


def field(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    ds = _dataset(ctx)
    if ds is None:
        return []
    return [(f.name, f.title) for f in ds.fields if f.name.startswith(incomplete)]


def sort(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    sign = "-" if incomplete.startswith("-") else ""
    return [(sign + name, title) for name, title in field(ctx, incomplete.lstrip("-"))]


def fields(ctx: typer.Context, incomplete: str) -> list[str]:
    """Complete the last name of a comma-separated list."""
    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    return [prefix + name for name, _ in field(ctx, last)]


def where(ctx: typer.Context, incomplete: str) -> list[str]:
    """FIELD, then FIELD= and the field's choice values."""
    ds = _dataset(ctx)
    if ds is None:
        return []
    for op in _OPERATORS:
        name, found, value = incomplete.partition(op)
        if found and name in ds.field_map:
            f = ds.field_map[name]
            return [f"{name}{op}{c.value}" for c in f.choices if c.value.startswith(value)]
    return [f"{f.name}=" for f in ds.fields if f.name.startswith(incomplete)]


def choices(field_name: str) -> Callable[[typer.Context, str], list[tuple[str, str]]]:
    """Complete a filter option such as --sector with the field's codes and labels."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        ds = _dataset(ctx)
        if ds is None or field_name not in ds.field_map:
            return []
        return [
            (c.value, c.label)
            for c in ds.field_map[field_name].choices
            if c.value.startswith(incomplete.casefold())
        ]

    return complete


def values(field_name: str) -> Callable[[typer.Context, str], list[str]]:
    """Complete a filter on a list field, such as --actor, with the values in the data."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        ds = _dataset(ctx)
        if ds is None:
            return []
        found = {
            str(v) for r in ds.records if isinstance(vs := r.get(field_name), list) for v in vs
        }
        return sorted(v for v in found if v.casefold().startswith(incomplete.casefold()))

    return complete
