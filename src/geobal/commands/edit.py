"""Commands that change your datasets: new, add and remove. The work is geobal.edit's."""

from typing import Annotated

import typer

from geobal import edit
from geobal.commands._options import DatasetArg, context_of
from geobal.commands._run import Result
from geobal.model import Lines


def new(
    ctx: typer.Context,
    dataset: Annotated[
        str, typer.Argument(help="The new dataset's name: lower-case letters, digits, - and _.")
    ],
    field: Annotated[
        list[str] | None,
        typer.Option("--field", metavar="NAME:TYPE", help=edit.FIELD_HELP),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="The dataset's title.")
    ] = None,
) -> Result:
    """Create a dataset of your own: a TOML file with its schema, in your data folder.

    Its key field is id; every record also cites its sources (ids in `geobal sources`).

    Examples:
      $ geobal new watchlist --field item:text! --field priority:level=low,high
      $ geobal new orders --field partner:text! --field tags:list
    """
    path = edit.scaffold(context_of(ctx).catalog, dataset, field or [], title)
    return Result(notes=(f"created {path}",))


def add(
    ctx: typer.Context,
    dataset: DatasetArg,
    set_: Annotated[
        list[str],
        typer.Option(
            "--set",
            metavar="FIELD=VALUE",
            help="A field's value; lists take items separated by ';'. Repeat for each field. "
            "Without --set id=..., the id comes from the first text field.",
        ),
    ],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace the record with this id (yours, or a bundled one, "
            "which yours then overrides).",
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Write your file even if it is read-only.")
    ] = False,
) -> Result:
    """Add a record to a dataset, in your file for it; prints the record's id.

    The record is checked against the dataset's schema and its sources must exist;
    nothing is written otherwise. Your comments and layout in the file are kept.

    Examples:
      $ geobal add watchlist --set item=S-400 --set sources=pravda-s400
      $ geobal add sources --set id=my-notes --set quality=weak --set about=Notes
    """
    context = context_of(ctx)
    written = edit.add(context.catalog, dataset, set_, replace, force, context.say)
    rid = (written.added or written.replaced)[0]
    verb = "added" if written.added else "replaced"
    return Result(Lines([rid]), notes=(f"{verb} {rid} in {written.path}",))


def remove(
    ctx: typer.Context,
    dataset: DatasetArg,
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The record's id.")],
    force: Annotated[
        bool, typer.Option("--force", help="Write your file even if it is read-only.")
    ] = False,
) -> Result:
    """Remove one of your records. Bundled records cannot be removed.

    Examples:
      $ geobal remove watchlist s-400
    """
    context = context_of(ctx)
    path, revealed = edit.remove(context.catalog, dataset, record_id, force, context.say)
    notes = [f"removed {record_id} from {path}"]
    if revealed:
        notes.append(f"the bundled record {record_id} shows again")
    return Result(notes=tuple(notes))
