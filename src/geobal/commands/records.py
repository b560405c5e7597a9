"""Record commands: `show` one record with its sources, `search` every dataset."""

from collections import Counter
from typing import Annotated

import typer

from geobal.commands import _complete as complete
from geobal.commands._options import DatasetArg, Listing, context_of, listing_options
from geobal.commands._run import Result, selected
from geobal.errors import NotFoundError, UsageError
from geobal.fieldtypes import LIST, TEXT
from geobal.model import Field
from geobal.names import fold, unknown_name
from geobal.schema import SOURCES, cited
from geobal.searching import hits
from geobal.views import Frame, RecordView


@listing_options(fields=False)
def show(
    ctx: typer.Context,
    dataset: DatasetArg,
    record_id: Annotated[
        str, typer.Argument(metavar="ID", help="The record's id.", autocompletion=complete.ids)
    ],
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
    found = ds.find_id(record_id)
    record = ds.by_id[found] if found is not None else None
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
    Field("title", TEXT, "Record", "The record's own words: its title, name or first text."),
    Field("fields", LIST, "Matched in", "The fields that hold the text."),
    Field("text", TEXT, "Match", "Where the text was found, when not in the record's words."),
)


@listing_options()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The text to look for, in any case.")],
    datasets: Annotated[
        list[str] | None,
        typer.Option(
            "--dataset",
            "-d",
            metavar="NAME",
            autocompletion=complete.datasets,
            help="Look only in this dataset; repeat for several. Default: every dataset.",
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", metavar="N", help="Show at most N matches (0: all)."),
    ] = None,
    *,
    opts: Listing,
) -> Result:
    """Every record that contains TEXT, with where it was found and the record's own words.

    How many matched in each dataset goes to stderr, on a terminal or when --limit
    leaves some out. A table shows the record's words and the fields that matched;
    the other formats also give the text that matched, where those do not hold it.

    Examples:
      $ geobal search S-400
      $ geobal search russia --dataset deals --dataset events
      $ geobal search sanction --limit 5 --json
    """
    folded = fold(text.strip())
    if not folded:
        raise UsageError("search needs some text to look for")
    if limit is not None and limit < 0:
        raise UsageError(f"--limit must be 0 (no limit) or more, not {limit}")
    context = context_of(ctx)
    catalog = context.catalog
    chosen = [catalog.get(name) for name in dict.fromkeys(datasets)] if datasets else None
    rows = hits(chosen if chosen is not None else catalog.all(), folded)
    counts = Counter(str(r["dataset"]) for r in rows)
    shown = rows[:limit] if limit else rows
    notes: tuple[str, ...] = ()
    if len(shown) < len(rows) or (rows and context.env.stdout_isatty):
        each = ", ".join(f"{name} {n:,}" for name, n in counts.most_common())
        cut = f"; showing the first {len(shown):,} (--limit)" if len(shown) < len(rows) else ""
        notes = (f"matches by dataset: {each}{cut}",)
    # a table has room for the record's words and where they matched; the matched text
    # itself is in every other format
    frame = Frame(
        f"Records matching {text!r}",
        SEARCH_COLUMNS,
        shown,
        ("match", "matches"),
        ("dataset", "id", "title", "fields"),
    )
    return selected(frame, opts)._replace(notes=notes)
