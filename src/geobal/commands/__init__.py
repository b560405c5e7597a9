"""The commands, one module per family, loaded only when invoked.

Typer turns every registered function into a click command on each run, inspecting
every parameter. Registering all commands would make each run pay for all of them, so
the root group (cli.GeobalGroup) asks `build` for just the command being invoked, as
click's documentation on lazily loading subcommands suggests. `--help` builds them all.
"""

import importlib
from typing import Any

import typer

DATA = "Datasets"
BALANCE = "The balancing in figures"
TOOLS = "Query any dataset"

# name -> (module in geobal.commands defining a function of that name, help panel),
# in the order `geobal --help` lists them
COMMANDS: dict[str, tuple[str, str]] = {
    "deals": ("listing", DATA),
    "risks": ("listing", DATA),
    "factors": ("listing", DATA),
    "agenda": ("listing", DATA),
    "considerations": ("listing", DATA),
    "takeaways": ("listing", DATA),
    "brief": ("balancing", BALANCE),
    "suppliers": ("balancing", BALANCE),
    "balance": ("balancing", BALANCE),
    "timeline": ("balancing", BALANCE),
    "query": ("listing", TOOLS),
    "show": ("records", TOOLS),
    "search": ("records", TOOLS),
    "datasets": ("meta", TOOLS),
    "schema": ("meta", TOOLS),
    "sources": ("meta", TOOLS),
}


# commands whose dataset is not the one named like them, for shell completion
DATASET_OF = {"timeline": "events"}


def build(name: str) -> Any:
    """The click command for `name`, built from its function; None for an unknown name."""
    if name not in COMMANDS:
        return None
    module, panel = COMMANDS[name]
    function = getattr(importlib.import_module(f"geobal.commands.{module}"), name)
    app = typer.Typer(
        add_completion=False, rich_markup_mode="rich", pretty_exceptions_show_locals=False
    )
    app.command(name, rich_help_panel=panel)(function)
    return typer.main.get_command(app)
