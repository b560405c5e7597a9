"""Commands that change your datasets: new, add, set and remove. The work is
geobal.edit's."""

from typing import Annotated

import typer

from geobal.commands import _complete as complete
from geobal.commands._options import DatasetArg, context_of
from geobal.commands._run import Result, answer
from geobal.errors import UsageError
from geobal.fieldtypes import FIELD_HELP


def new(
    ctx: typer.Context,
    dataset: Annotated[
        str, typer.Argument(help="The new dataset's name: lower-case letters, digits, - and _.")
    ],
    field: Annotated[
        list[str] | None,
        typer.Option("--field", metavar="NAME:TYPE", help=FIELD_HELP),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="The dataset's title.")
    ] = None,
) -> Result:
    """Create a dataset of your own: a TOML file with its schema, in your data folder.

    Its key field is id; every record also cites its sources (ids in `geobal sources`).
    Until it has records, `geobal new NAME --field ...` again adds fields to it.

    Examples:
      $ geobal new watchlist --field item:text! --field priority:level=low,medium,high
    """
    return answer(context_of(ctx).api.new(dataset, field or [], title))


def add(
    ctx: typer.Context,
    dataset: DatasetArg,
    set_: Annotated[
        list[str],
        typer.Option(
            "--set",
            metavar="FIELD=VALUE",
            help="A field's value; lists take items separated by ';'. Repeat for each field. "
            "Without --set id=..., the id comes from the first text field (one the dataset "
            "has already is refused, unless --replace).",
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
      $ geobal add watchlist --set item=S-400 --set priority=high --set sources=pravda-s400
    """
    return answer(context_of(ctx).api.add(dataset, set_, replace=replace, force=force))


def set_(
    ctx: typer.Context,
    dataset: DatasetArg,
    record_id: Annotated[
        str, typer.Argument(metavar="ID", help="The record's id.", autocompletion=complete.ids)
    ],
    changes: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="FIELD=VALUE",
            help="The fields to change; FIELD= empties one. Lists take items separated by ';'.",
        ),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="FIELD=VALUE",
            help="A field to change, as add takes it; with or without FIELD=VALUE words.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Write your file even if it is read-only.")
    ] = False,
) -> Result:
    """Change fields of a record in place, keeping the others.

    The change is checked as add checks a record, and written whole or not at all. A
    bundled record is first copied into your file, whole, and then changed there: yours
    overrides it from then on (geobal remove takes yours out, and the bundled one shows
    again).

    Examples:
      $ geobal set deals s-400 status=delivered status_date=2026-11
      $ geobal set watchlist s-400 priority=medium
      $ geobal set watchlist s-400 --set priority=high
    """
    # `add` takes --set F=V: the same words are taken here too, after the bare ones
    given = [*(changes or ()), *(set_ or ())]
    if not given:
        raise UsageError(
            f"set {dataset} {record_id}: no field to change",
            f"for example: geobal set {dataset} {record_id} FIELD=VALUE",
        )
    return answer(context_of(ctx).api.set(dataset, record_id, given, force=force))


def remove(
    ctx: typer.Context,
    dataset: DatasetArg,
    record_ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="ID", help="The records' ids.", autocompletion=complete.ids),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            "-w",
            metavar="EXPR",
            autocompletion=complete.where,
            help="Remove every record of yours where EXPR holds (as in query); with --yes.",
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Remove what --where matches, without asking.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Write your file even if it is read-only.")
    ] = False,
) -> Result:
    """Remove records of yours, all of them or none. Bundled records cannot be removed.

    Examples:
      $ geobal remove watchlist s-400
      $ geobal remove deals s-400
    """
    api = context_of(ctx).api
    return answer(api.remove(dataset, record_ids or (), where=where or (), yes=yes, force=force))
