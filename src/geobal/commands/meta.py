"""Commands about the data itself: which datasets exist, their schemas, their sources."""

import dataclasses
from typing import Annotated

import typer

from geobal.commands import _complete as complete
from geobal.commands._options import Listing, context_of, listing_options
from geobal.commands._run import list_dataset, list_frame
from geobal.model import Field, FieldType, Frame, Record
from geobal.schema import SOURCES, cited

DATASET_COLUMNS = (
    Field("name", FieldType.TEXT, "Name"),
    Field("title", FieldType.TEXT, "Title"),
    Field("records", FieldType.INTEGER, "Records"),
    Field("fields", FieldType.INTEGER, "Fields"),
    Field("updated", FieldType.DATE, "Updated"),
)


@listing_options()
def datasets(ctx: typer.Context, *, opts: Listing) -> None:
    """The datasets geobal can query, with their size and when they were last updated.

    Examples:
      $ geobal datasets
      $ geobal datasets --json
    """
    context = context_of(ctx)
    rows: list[Record] = []
    for ds in context.catalog.all():
        row: Record = {
            "name": ds.name,
            "title": ds.title,
            "records": len(ds.records),
            "fields": len(ds.fields),
        }
        if ds.updated:
            row["updated"] = ds.updated
        rows.append(row)
    frame = Frame("Datasets", DATASET_COLUMNS, rows, ("dataset", "datasets"))
    list_frame(ctx, frame, opts)


SCHEMA_COLUMNS = (
    Field("name", FieldType.TEXT, "Field"),
    Field("type", FieldType.TEXT, "Type"),
    Field("required", FieldType.TEXT, "Required"),
    Field("title", FieldType.TEXT, "Title"),
    Field("values", FieldType.LIST, "Values"),
    Field("ref", FieldType.TEXT, "Refers to"),
    Field("description", FieldType.TEXT, "Description"),
)


@listing_options()
def schema(
    ctx: typer.Context,
    dataset: Annotated[
        str,
        typer.Argument(
            help="The dataset; `geobal datasets` lists them.", autocompletion=complete.datasets
        ),
    ],
    *,
    opts: Listing,
) -> None:
    """The fields of a dataset: type, whether required, allowed values and meaning.

    A level's values are its scale, lowest first.

    Examples:
      $ geobal schema deals
      $ geobal schema risks --json
    """
    context = context_of(ctx)
    ds = context.catalog.get(dataset)
    rows: list[Record] = []
    for f in ds.fields:
        row: Record = {
            "name": f.name,
            "type": f.type.value,
            "required": "yes" if f.required or f.name == ds.key else "no",
            "title": f.title,
            "description": f.description,
        }
        if f.choices:
            row["values"] = [c.value for c in f.choices]
        if f.ref:
            row["ref"] = f.ref
        rows.append(row)
    frame = Frame(f"Schema of {ds.name}: {ds.title}", SCHEMA_COLUMNS, rows, ("field", "fields"))
    list_frame(ctx, frame, opts)


@listing_options(query=True)
def sources(
    ctx: typer.Context,
    cited_by: Annotated[
        str | None,
        typer.Option(
            "--dataset",
            "-d",
            metavar="NAME",
            autocompletion=complete.datasets,
            help="Only the sources that records of dataset NAME cite.",
        ),
    ] = None,
    *,
    opts: Listing,
) -> None:
    """The sources behind the data: title, publisher, date, URL and quality.

    Examples:
      $ geobal sources --dataset risks
      $ geobal sources --where quality=weak --fields id,publisher,url
    """
    catalog = context_of(ctx).catalog
    ds = catalog.get(SOURCES)
    if cited_by is not None:
        ids = {s for record in catalog.get(cited_by).records for s in cited(record)}
        ds = dataclasses.replace(ds, records=[r for r in ds.records if r[ds.key] in ids])
    list_dataset(ctx, ds, opts)
