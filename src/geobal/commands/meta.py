"""Commands about the data itself: which datasets exist, their schemas, their sources,
and whether their files are sound."""

from pathlib import Path
from typing import Annotated

import typer

from geobal.commands import _complete as complete
from geobal.commands._options import DatasetArg, Listing, context_of, listing_options
from geobal.commands._run import Result, selected
from geobal.errors import ExitCode, UsageError
from geobal.fieldtypes import BOOLEAN, DATE, INTEGER, LIST, TEXT
from geobal.model import Choice, Dataset, Field, Record
from geobal.queries import field_named
from geobal.views import Frame, Lines

DATASET_COLUMNS = (
    Field("name", TEXT, "Name"),
    Field("title", TEXT, "Title"),
    Field("records", INTEGER, "Records"),
    Field("fields", INTEGER, "Fields"),
    Field("as_of", TEXT, "Facts as of"),
    Field("updated", DATE, "Updated"),
)


@listing_options()
def datasets(ctx: typer.Context, *, opts: Listing) -> Result:
    """The datasets geobal can query, with their size and when they were last updated.

    "Facts as of" is the date a dataset's facts run to: what happened later is not in it.

    Examples:
      $ geobal datasets
      $ geobal datasets --json
    """
    rows: list[Record] = []
    for ds in context_of(ctx).catalog.all():
        row: Record = {
            "name": ds.name,
            "title": ds.title,
            "records": len(ds.records),
            "fields": len(ds.fields),
        }
        if ds.as_of:
            row["as_of"] = ds.as_of
        if ds.updated:
            row["updated"] = ds.updated
        rows.append(row)
    return selected(Frame("Datasets", DATASET_COLUMNS, rows, ("dataset", "datasets")), opts)


SCHEMA_COLUMNS = (
    Field("name", TEXT, "Field"),
    Field("type", TEXT, "Type"),
    Field("required", BOOLEAN, "Required"),
    Field("title", TEXT, "Title"),
    Field("values", LIST, "Values", "A choice or level field's values (a level's lowest first)."),
    Field(
        "labels",
        LIST,
        "Labels",
        "Each value as people read it and what else it matches: value = label (also ...).",
    ),
    Field("ref", TEXT, "Refers to"),
    Field("unit", TEXT, "Unit", "The field that gives the unit of this one's values."),
    Field("description", TEXT, "Description"),
    Field(
        "about",
        TEXT,
        "About",
        "Title, description, values with their labels and aliases, and what the field "
        "refers to, in one text (what a table shows).",
    ),
)
SCHEMA_TABLE = ("name", "type", "required", "about")


VALUE_COLUMNS = (
    Field("value", TEXT, "Value"),
    Field("label", TEXT, "Label"),
    Field("aliases", LIST, "Also matches"),
    Field("meaning", TEXT, "Meaning"),
    Field("added_by", TEXT, "Added by"),
)


@listing_options()
def schema(
    ctx: typer.Context,
    dataset: DatasetArg,
    field: Annotated[
        str | None,
        typer.Argument(
            help="A choice or level field: list its values, what each means, and which "
            "file of yours added it.",
            autocompletion=complete.field,
            show_default=False,
        ),
    ] = None,
    *,
    opts: Listing,
) -> Result:
    """The fields of a dataset: type, whether required, allowed values and meaning.

    A level's values are its scale, lowest first. With FIELD, that field's values.

    Examples:
      $ geobal schema deals
      $ geobal schema events kind
      $ geobal schema risks --json
    """
    ds = context_of(ctx).catalog.get(dataset)
    if field is not None:
        return selected(_values(ds, field_named(ds.fields, field, ds.name)), opts)
    rows: list[Record] = []
    for f in ds.fields:
        row: Record = {
            "name": f.name,
            "type": f.type.name,
            "required": f.required or f.name == ds.key,
            "title": f.title,
            "description": f.description,
        }
        labels = [_labelled(c) for c in f.choices]
        if f.choices:
            row["values"] = [c.value for c in f.choices]
            row["labels"] = labels
        if f.ref:
            row["ref"] = f.ref
        if f.unit:
            row["unit"] = f.unit
        about = [f.title + ("." if f.description else ""), f.description]
        if labels:
            about.append("Values: " + "; ".join(labels) + ".")
        if f.ref:
            about.append(f"Ids of {f.ref} records.")
        if f.unit:
            about.append(f"In the unit {f.unit} gives.")
        row["about"] = " ".join(a for a in about if a)
        rows.append(row)
    frame = Frame(
        f"Schema of {ds.name}: {ds.title}",
        SCHEMA_COLUMNS,
        rows,
        ("field", "fields"),
        SCHEMA_TABLE,
    )
    return selected(frame, opts)


def _labelled(c: Choice) -> str:
    """A value with its label and aliases: "air = Air Systems (also aviation, aircraft)"."""
    text = c.value if c.label == c.value else f"{c.value} = {c.label}"
    return text + (f" (also {', '.join(c.aliases)})" if c.aliases else "")


def _values(ds: Dataset, f: Field) -> Frame:
    if not f.choices:
        raise UsageError(
            f"{ds.name}.{f.name} is a {f.type.name} field, with no list of values",
            f"`geobal schema {ds.name}` shows which fields have one",
        )
    rows: list[Record] = []
    for c in f.choices:
        row: Record = {"value": c.value, "label": c.label}
        if c.aliases:
            row["aliases"] = list(c.aliases)
        if c.meaning:
            row["meaning"] = c.meaning
        if c.added_by is not None:
            row["added_by"] = c.added_by
        rows.append(row)
    return Frame(f"Values of {ds.name}.{f.name}", VALUE_COLUMNS, rows, ("value", "values"))


@listing_options(query=True)
def sources(
    ctx: typer.Context,
    cited_by: Annotated[
        list[str] | None,
        typer.Option(
            "--dataset",
            "-d",
            metavar="NAME",
            autocompletion=complete.datasets,
            help="Only the sources that records of dataset NAME cite; repeat it for the "
            "sources any of several cite.",
        ),
    ] = None,
    *,
    opts: Listing,
) -> Result:
    """The sources behind the data: title, publisher, date, URL and quality.

    Examples:
      $ geobal sources --dataset risks
      $ geobal sources --dataset deals --dataset events --where quality=weak
      $ geobal sources --where quality=weak --fields id,publisher,url
    """
    return Result(context_of(ctx).api.sources(cited_by or (), narrow=True, **opts.query).frame)


def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders to check; every dataset when none is given."),
    ] = None,
) -> Result:
    """Check dataset files and report every problem, not just the first.

    TOML syntax errors read file:line:col: message; schema problems read
    file: record ID: field: message (wrong type, unknown choice with the valid ones,
    missing required field, duplicate id, unknown field, a source id that does not
    exist). Exits 1 when there is any.

    Examples:
      $ geobal validate
      $ geobal validate my-datasets/
    """
    checked, problems, notes = context_of(ctx).catalog.validate(paths or [])
    files = f"{checked} file{'s' if checked != 1 else ''}"
    if not problems:
        return Result(after=(*notes, f"{files} checked: no problems"))
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    return Result(Lines(problems), after=(*notes, f"{count} in {files}"), code=ExitCode.ERROR)
