"""Record commands: `show` one record with its sources, `search` every dataset."""

from typing import Annotated

import typer

from geobal.catalog import unknown_name
from geobal.commands import _complete as complete
from geobal.commands._options import Listing, context_of, listing_options
from geobal.commands._run import list_frame
from geobal.errors import NotFoundError, UsageError
from geobal.model import Field, FieldType, Frame, Record
from geobal.query import matching_fields
from geobal.render import RecordView, emit_record
from geobal.schema import SOURCES, cited, display, fold

DatasetArg = Annotated[
    str,
    typer.Argument(
        help="The dataset; `geobal datasets` lists them.", autocompletion=complete.datasets
    ),
]


@listing_options(fields=False)
def show(
    ctx: typer.Context,
    dataset: DatasetArg,
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The record's id.")],
    *,
    opts: Listing,
) -> None:
    """One record in full, with the sources it cites written out.

    For a source, the records that cite it.

    Examples:
      $ geobal show deals s-400
      $ geobal show risks strategic-autonomy --json
      $ geobal show sources article
    """
    context = context_of(ctx)
    ds = context.catalog.get(dataset)
    record = ds.by_id.get(record_id)
    if record is None:
        raise unknown_name(
            "id",
            record_id,
            list(ds.by_id),
            f" in {ds.name}",
            error=NotFoundError,
            hint=f"list the ids with: geobal query {ds.name} --fields {ds.key}",
        )
    catalog = context.catalog
    if ds.name == SOURCES:
        citing = [
            f"{other.name}/{r[other.key]}"
            for other in catalog.all()
            if other.name != SOURCES
            for r in other.records
            if record_id in cited(r)
        ]
        view = RecordView(ds, record, [], ds.fields, citing)
    else:
        view = RecordView(ds, record, catalog.sources_of(record), catalog.get(SOURCES).fields)
    emit_record(context.env, view, opts.output_format(context), opts.colour(context))


SEARCH_COLUMNS = (
    Field("dataset", FieldType.TEXT, "Dataset"),
    Field("id", FieldType.TEXT, "ID"),
    Field("fields", FieldType.LIST, "Matched in"),
    Field("text", FieldType.TEXT, "Text"),
)


@listing_options()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The text to look for, in any case.")],
    *,
    opts: Listing,
) -> None:
    """Every record in every dataset that contains TEXT, with where it was found.

    Examples:
      $ geobal search S-400
      $ geobal search sanction --json
    """
    folded = fold(text.strip())
    if not folded:
        raise UsageError("search needs some text to look for")
    context = context_of(ctx)
    rows: list[Record] = []
    for ds in context.catalog.all():
        for record in ds.records:
            found = matching_fields(ds.fields, record, folded)
            if found:
                first = found[0]
                rows.append(
                    {
                        "dataset": ds.name,
                        "id": record[ds.key],
                        "fields": [f.name for f in found],
                        "text": display(first, record[first.name]),
                    }
                )
    frame = Frame(f"Records matching {text!r}", SEARCH_COLUMNS, rows, ("match", "matches"))
    list_frame(ctx, frame, opts)
