"""The commands, one module per family, loaded only when invoked.

Typer turns every registered function into a click command on each run, inspecting
every parameter. Registering all commands would make each run pay for all of them, so
the root group (cli.GeobalGroup) asks `build` for just the command being invoked, as
click's documentation on lazily loading subcommands suggests. `--help` builds them all.

A command function parses its options, calls the core and returns a Result
(commands._run), which one place writes: a new command is a function in the module of
its family and a line in COMMANDS.

An option given twice is refused by name (commands._once), unless it is repeatable:
declared `multiple` and listed in REPEATABLE with what repeating it means.
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
    "pipeline": ("register", BALANCE),
    "factsheet": ("register", BALANCE),
    "spending": ("register", BALANCE),
    "query": ("listing", TOOLS),
    "show": ("records", TOOLS),
    "search": ("records", TOOLS),
    "datasets": ("meta", TOOLS),
    "schema": ("meta", TOOLS),
    "sources": ("meta", TOOLS),
    "new": ("edit", YOURS),
    "add": ("edit", YOURS),
    "set": ("edit", YOURS),
    "import": ("transfer", YOURS),
    "export": ("transfer", YOURS),
    "fetch": ("transfer", YOURS),
    "remove": ("edit", YOURS),
    "validate": ("meta", YOURS),
    "config": ("settings", YOURS),
    "paths": ("settings", YOURS),
    "cache": ("settings", YOURS),
}


# The options a user may give more than once, and what giving one again means. Each
# is a list parameter of the commands that have it; any other option given twice is
# refused by name (commands._once), as click would keep its last value and drop the
# others. tests/cli/test_repetition.py walks every option of every command to hold
# both sides to this.
REPEATABLE: dict[str, str] = {
    "--where": "every condition must hold",
    "--sort": "each next field breaks the ties of the ones before",
    "--sum": "a column for each field",
    "--mean": "a column for each field",
    "--min": "a column for each field",
    "--max": "a column for each field",
    # filters on a choice, level or list field: a record matches any of the values
    "--sector": "deals of any of the sectors",
    "--partner": "deals with any of the partners",
    "--status": "deals with any of the statuses",
    "--impact": "priorities with any of the impacts",
    "--kind": "events of any of the kinds",
    "--actor": "events involving any of the actors",
    "--deal": "events about any of the deals",
    "--period": "suppliers: figures of any of the periods",
    "--supplier": "suppliers: figures of any of the suppliers",
    "--dataset": "search: look in each dataset; sources: the sources any of them cites",
    # one item each; the same item twice is refused where it would be dropped
    "--field": "new: a field each; a field twice is an error",
    "--set": "add, set: a field each; a field twice is an error",
    "--map": "import: a column each; a column twice is an error",
    "--source": "import: each is cited, once",
    "--country": "spending: a series each, in the order given; a country twice is an error",
    "--measure": "spending: a column each, in the order given; a measure twice is an error",
}


# commands whose dataset is not the one named like them, for shell completion
DATASET_OF = {"timeline": "events"}


def build(name: str) -> Any:
    """The click command for `name`, built from its function; None for an unknown name."""
    if name not in COMMANDS:
        return None
    from geobal.commands._guess import guessing
    from geobal.commands._once import guarded
    from geobal.commands._run import delivered

    module, panel = COMMANDS[name]
    found = vars(importlib.import_module(f"geobal.commands.{module}"))
    # import_, set_: the names of a keyword and a builtin
    function = found.get(name) or found[f"{name}_"]
    if isinstance(function, typer.Typer):  # a command with subcommands, such as config
        group = typer.main.get_command(function)
        group.name = name
        group.rich_help_panel = panel  # type: ignore[attr-defined]
        return guessing(guarded(plain(group)))
    app = typer.Typer(
        add_completion=False, rich_markup_mode="rich", pretty_exceptions_show_locals=False
    )
    app.command(name, rich_help_panel=panel)(delivered(function))
    return guessing(guarded(plain(typer.main.get_command(app))))


def plain(command: Any) -> Any:
    """`command`, a click command Typer built (and the commands of a group), with
    geobal's plain help (geobal.helptext, imported only when help is asked for) in
    place of Typer's Rich panels."""

    def get_help(ctx: Any) -> str:
        from geobal.helptext import get_help as written

        return written(command, ctx)

    command.get_help = get_help
    for sub in getattr(command, "commands", {}).values():
        plain(sub)
    return command
