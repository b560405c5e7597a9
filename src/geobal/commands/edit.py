"""Commands that change your datasets: new, add, set and remove. The work is
geobal.edit's."""

from typing import Annotated

import typer

from geobal import edit
from geobal.commands import _complete as complete
from geobal.commands._options import DatasetArg, context_of
from geobal.commands._run import Result
from geobal.errors import UsageError
from geobal.model import Dataset
from geobal.schema import USER
from geobal.views import Lines


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
      $ geobal add watchlist --set item=S-400 --set sources=pravda-s400
      $ geobal add sources --set id=my-notes --set quality=weak --set about=Notes
    """
    context = context_of(ctx)
    written = edit.add(context.catalog, dataset, set_, replace, force, context.say)
    rid = (written.added or written.replaced)[0]
    verb = "added" if written.added else "replaced"
    return Result(Lines([rid]), notes=(f"{verb} {rid} in {written.path}",))


def set_(
    ctx: typer.Context,
    dataset: DatasetArg,
    record_id: Annotated[
        str, typer.Argument(metavar="ID", help="The record's id.", autocompletion=complete.ids)
    ],
    changes: Annotated[
        list[str],
        typer.Argument(
            metavar="FIELD=VALUE...",
            help="The fields to change; FIELD= empties one. Lists take items separated by ';'.",
        ),
    ],
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
      $ geobal set watchlist s-400 priority=low
    """
    context = context_of(ctx)
    changed = edit.set_fields(context.catalog, dataset, record_id, changes, force, context.say)
    notes = []
    if changed.copied:
        notes.append(f"copied the bundled record {changed.rid} into {changed.path}")
    if changed.fields:
        notes.append(f"changed {', '.join(changed.fields)} of {changed.rid} in {changed.path}")
    if changed.same:
        notes.append(
            f"{', '.join(changed.same)} of {changed.rid} had "
            f"{'that value' if len(changed.same) == 1 else 'those values'} already"
            + ("; nothing was written" if not changed.fields else "")
        )
    return Result(Lines([changed.rid]), notes=tuple(notes))


def remove(
    ctx: typer.Context,
    dataset: DatasetArg,
    record_ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="ID...", help="The records' ids.", autocompletion=complete.ids),
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
      $ geobal remove watchlist --where priority=low --yes
    """
    context = context_of(ctx)
    catalog = context.catalog
    ids = list(record_ids or [])
    if where:
        if ids:
            raise UsageError("give ids or --where, not both")
        ds = catalog.get(dataset)
        frame = context.api.query(ds.name, where, fields=ds.key).frame
        matched = [str(r[ds.key]) for r in frame.rows]
        ids = [rid for rid, r in zip(matched, frame.rows, strict=True) if _mine(ds, rid)]
        bundled = len(matched) - len(ids)
        also = f"; {bundled} bundled records match too, which stay" if bundled else ""
        if not ids:
            return Result(notes=(f"no record of yours in {ds.name} matches{also}",))
        if not yes:
            shown = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
            raise UsageError(
                f"--where matches {len(ids)} of your records in {ds.name} ({shown}){also}",
                "pass --yes to remove them",
            )
    if not ids:
        raise UsageError("give the ids to remove, or --where EXPR --yes")
    path, revealed = edit.remove_many(catalog, dataset, ids, force, context.say)
    notes = [f"removed {', '.join(dict.fromkeys(ids))} from {path}"]
    if revealed:
        notes.append(f"the bundled {'records' if len(revealed) > 1 else 'record'} "
                     f"{', '.join(revealed)} shows again")  # fmt: skip
    return Result(notes=tuple(notes))


def _mine(ds: Dataset, rid: str) -> bool:
    return ds.by_id[rid].get("origin") == USER
