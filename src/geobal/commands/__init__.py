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
YOURS = "Your own data"

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
    "shares": ("register", BALANCE),
    "query": ("listing", TOOLS),
    "show": ("records", TOOLS),
    "search": ("records", TOOLS),
    "datasets": ("meta", TOOLS),
    "schema": ("meta", TOOLS),
    "sources": ("meta", TOOLS),
    "new": ("userdata", YOURS),
    "add": ("userdata", YOURS),
    "import": ("userdata", YOURS),
    "export": ("userdata", YOURS),
    "remove": ("userdata", YOURS),
    "validate": ("userdata", YOURS),
    "config": ("userdata", YOURS),
    "paths": ("userdata", YOURS),
    "cache": ("userdata", YOURS),
}


# commands whose dataset is not the one named like them, for shell completion
DATASET_OF = {"timeline": "events"}


def build(name: str) -> Any:
    """The click command for `name`, built from its function; None for an unknown name."""
    if name not in COMMANDS:
        return None
    module, panel = COMMANDS[name]
    found = vars(importlib.import_module(f"geobal.commands.{module}"))
    function = found.get(name) or found[f"{name}_"]  # import_: `import` is a keyword
    if isinstance(function, typer.Typer):  # a command with subcommands, such as config
        group = typer.main.get_command(function)
        group.name = name
        group.rich_help_panel = panel  # type: ignore[attr-defined]
        return group
    app = typer.Typer(
        add_completion=False, rich_markup_mode="rich", pretty_exceptions_show_locals=False
    )
    app.command(name, rich_help_panel=panel)(function)
    return typer.main.get_command(app)
