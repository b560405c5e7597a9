"""Record commands: `show` one record with its sources, `search` every dataset."""

from typing import Annotated

import typer

from geobal.commands._options import DatasetArg, Listing, context_of, listing_options
from geobal.commands._run import Result, selected
from geobal.errors import NotFoundError, UsageError
from geobal.fieldtypes import LIST, TEXT, display
from geobal.model import Field, Frame, Record, RecordView
from geobal.names import fold, unknown_name
from geobal.query import matching_fields
from geobal.schema import SOURCES, cited


@listing_options(fields=False)
def show(
    ctx: typer.Context,
    dataset: DatasetArg,
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The record's id.")],
    *,
    opts: Listing,
) -> Result:
    """One record in full, with the sources it cites written out.

    For a source, the records that cite it.

    Examples:
      $ geobal show deals s-400
      $ geobal show risks strategic-autonomy --json
      $ geobal show sources article
    """
    catalog = context_of(ctx).catalog
    ds = catalog.get(dataset)
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
    if ds.name == SOURCES:
        citing = [
            f"{other.name}/{r[other.key]}"
            for other in catalog.all()
            if other.name != SOURCES
            for r in other.records
            if record_id in cited(r)
        ]
        return Result(RecordView(ds, record, [], ds.fields, citing))
    return Result(RecordView(ds, record, catalog.sources_of(record), catalog.get(SOURCES).fields))


SEARCH_COLUMNS = (
    Field("dataset", TEXT, "Dataset"),
    Field("id", TEXT, "ID"),
    Field("fields", LIST, "Matched in"),
    Field("text", TEXT, "Text"),
)


@listing_options()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The text to look for, in any case.")],
    *,
    opts: Listing,
) -> Result:
    """Every record in every dataset that contains TEXT, with where it was found.

    Examples:
      $ geobal search S-400
      $ geobal search sanction --json
    """
    folded = fold(text.strip())
    if not folded:
        raise UsageError("search needs some text to look for")
    rows: list[Record] = []
    for ds in context_of(ctx).catalog.all():
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
    return selected(frame, opts)
