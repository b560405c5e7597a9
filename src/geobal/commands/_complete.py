"""Shell completion: dataset names, field names and choice values, read from the data.

Completion runs before the root callback, so it builds its Context from the Env handed in
or the process. It must never print an error into the user's shell, so any failure to
load the data offers nothing; and what it prints reaches the user's terminal and command
line, so it never offers a value holding a control, bidirectional or invisible character
(which the user could not type, and the terminal would act on), and shows descriptions
with such characters escaped (see `offered`).
"""

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from geobal.api import Op
from geobal.context import Context
from geobal.env import Env
from geobal.errors import GeobalError
from geobal.model import Choice, Dataset

_OPERATORS = sorted(Op.ALL, key=len, reverse=True)

Completer = TypeVar("Completer", bound=Callable[[typer.Context, str], list[Any]])

# What every completer takes, as Typer reads it when it builds an option: given as the
# signature of each (below), Typer reads no completer's own. Reading them was a seventh of
# building `deals`, whose eleven options complete, on every run of it.
_TAKES = inspect.Signature(
    [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context),
        inspect.Parameter("incomplete", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str),
    ],
    return_annotation=list[Any],
)


def offered(complete: Completer) -> Completer:
    """`complete` as the shell may be given it: values that hold a character a terminal
    acts on or hides (ESC, BEL, the other C0 and C1 controls, bidirectional and
    zero-width ones, a tab or newline, which split a value in two) left out, help texts
    escaped and on one line; and nothing at all where it fails."""

    # its name and help, not its annotations: Typer would read them, _TAKES says them
    @functools.wraps(complete, assigned=("__module__", "__name__", "__qualname__", "__doc__"))
    def shown(ctx: typer.Context, incomplete: str) -> list[Any]:
        from geobal.codecs.escape import visible

        try:
            items = complete(ctx, incomplete)
        except Exception:  # whatever went wrong, nothing is printed into the shell
            return []
        kept: list[Any] = []
        for item in items:
            value = item if isinstance(item, str) else item[0]
            if visible(value) != value or "\t" in value or "\n" in value:
                continue
            if isinstance(item, tuple):
                item = (value, " ".join(visible(item[1]).split()))
            kept.append(item)
        return kept

    shown.__signature__ = _TAKES  # type: ignore[attr-defined]
    return shown  # type: ignore[return-value]


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
        return _context(ctx).api.dataset(str(name))
    except GeobalError:
        return None


_SAME = str.maketrans("-_", "  ")


def _fold(text: str) -> str:
    return text.casefold().translate(_SAME)


def _starts(candidate: str, incomplete: str) -> bool:
    """Whether `candidate` completes `incomplete` as geobal matches names: any case,
    with - and _ alike (`--sector Ai` finds air, `value-u` finds value_unit)."""
    return _fold(candidate).startswith(_fold(incomplete))


def typed(candidate: str, incomplete: str) -> str:
    """`candidate` as the completion of what was typed, kept as typed: "Ai" completes
    to "Air". Typer offers only completions that start with the very text typed, and
    geobal reads names in any case, so the typed part stays and the rest is added."""
    n = len(incomplete)
    if _fold(candidate[:n]) == _fold(incomplete):
        return incomplete + candidate[n:]
    return candidate


@offered
def datasets(ctx: typer.Context, incomplete: str) -> list[str]:
    try:
        names = _context(ctx).api.names()
    except (GeobalError, OSError):
        return []
    return [typed(n, incomplete) for n in names if _starts(n, incomplete)]


@offered
def field(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    ds = _dataset(ctx)
    if ds is None:
        return []
    return [(typed(f.name, incomplete), f.title) for f in ds.fields if _starts(f.name, incomplete)]


@offered
def sort(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    sign = "-" if incomplete.startswith("-") else ""
    return [(sign + name, title) for name, title in field(ctx, incomplete.lstrip("-"))]


@offered
def fields(ctx: typer.Context, incomplete: str) -> list[str]:
    """Complete the last name of a comma-separated list with a field not in it yet."""
    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    chosen = {_fold(n) for n in done.split(",") if n}
    return [prefix + name for name, _ in field(ctx, last) if _fold(name) not in chosen]


VALUES = 100  # distinct values of a field that completion offers at most


def _choice(c: Choice, incomplete: str) -> str | None:
    """What completes `incomplete` to choice `c`: its code, or its label where that is
    one word (a label of several would reach the command as several arguments)."""
    if _starts(c.value, incomplete):
        return typed(c.value, incomplete)
    if " " not in c.label and _starts(c.label, incomplete):
        return typed(c.label, incomplete)
    return None


def field_values(ds: Dataset, name: str, incomplete: str) -> list[str]:
    """The values a field may take (a choice's codes) or, for others, holds in the data
    (a list's items one by one), that complete `incomplete`."""
    f = ds.field_map[name]
    if f.choices:
        return [choice for c in f.choices if (choice := _choice(c, incomplete))]
    seen: dict[str, None] = {}
    for r in ds.records:
        value = r.get(name)
        for v in value if isinstance(value, list) else [value]:
            if v is not None and not isinstance(v, bool) and _starts(str(v), incomplete):
                seen[typed(str(v), incomplete)] = None
                if len(seen) >= VALUES:
                    return sorted(seen)
    return sorted(seen)


@offered
def where(ctx: typer.Context, incomplete: str) -> list[str]:
    """FIELD, then FIELD= and the values the field takes."""
    ds = _dataset(ctx)
    if ds is None:
        return []
    for op in _OPERATORS:
        name, found, value = incomplete.partition(op)
        if found:
            matches = [f.name for f in ds.fields if _fold(f.name) == _fold(name.strip())]
            if matches:
                return [f"{name}{op}{v}" for v in field_values(ds, matches[0], value)]
    return [f"{typed(f.name, incomplete)}=" for f in ds.fields if _starts(f.name, incomplete)]


@offered
def ids(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Record ids of the command's dataset, with each record's words as help."""
    ds = _dataset(ctx)
    if ds is None:
        return []
    return [
        (typed(rid, incomplete), words[:60])
        for rid, words in _context(ctx).api.headlines(ds.name).items()
        if _starts(rid, incomplete)
    ]


def choices(field_name: str) -> Callable[[typer.Context, str], list[tuple[str, str]]]:
    """Complete a filter option such as --sector with the field's codes and labels."""

    @offered
    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        ds = _dataset(ctx)
        if ds is None or field_name not in ds.field_map:
            return []
        return [
            (choice, c.label)
            for c in ds.field_map[field_name].choices
            if (choice := _choice(c, incomplete))
        ]

    return complete


def codes(ctx: typer.Context, field_name: str) -> list[str] | None:
    """The codes of the choice or level `field_name` of the command's dataset, in their
    declared order; None where the data cannot be read or hold no such field."""
    ds = _dataset(ctx)
    if ds is None or field_name not in ds.field_map:
        return None
    return [c.value for c in ds.field_map[field_name].choices]


@offered
def deals(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Ids of the deals records, with each deal's words as help (timeline --deal)."""
    return [
        (typed(rid, incomplete), words[:60])
        for rid, words in _context(ctx).api.headlines("deals").items()
        if _starts(rid, incomplete)
    ]


def values(field_name: str) -> Callable[[typer.Context, str], list[str]]:
    """Complete a filter on a list field, such as --actor, with the values in the data."""

    @offered
    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        ds = _dataset(ctx)
        if ds is None or field_name not in ds.field_map:
            return []
        return field_values(ds, field_name, incomplete)

    return complete


@offered
def countries(ctx: typer.Context, incomplete: str) -> list[str]:
    """The countries of a military expenditure dataset (--dataset, else milex): its rows
    of totals (the world, a region) are no country --country takes."""
    name = ctx.params.get("dataset") or "milex"
    try:
        ds = _context(ctx).api.dataset(str(name))
    except GeobalError:
        return []
    if "country" not in ds.field_map:
        return []
    from geobal.api import country_names
    from geobal.model import column

    seen: dict[str, None] = {}
    # two columns from the parse cache, not 14,000 records built at each key press
    for value, total in zip(
        column(ds.records, "country"), column(ds.records, "total"), strict=True
    ):
        if total or not isinstance(value, str) or value in seen:
            continue
        seen[value] = None
    # a country once: by the workbook's name or, where that is not what was typed, the
    # first other name it goes by that is ("Sou" offers "South Korea" for "Korea,
    # South"), as --country takes them
    offered: dict[str, None] = {}
    for value in seen:
        names = (value, *(country_names(value) if incomplete else ()))
        first = next((name for name in names if _starts(name, incomplete)), None)
        if first is not None:
            offered[typed(first, incomplete)] = None
    return sorted(offered)


@offered
def measures(ctx: typer.Context, incomplete: str) -> list[str]:
    """What --measure of `spending` takes."""
    from geobal.api import spending_measures

    return [typed(m, incomplete) for m in spending_measures() if _starts(m, incomplete)]
