"""The steps every listing command ends with: build the query, run it, render it."""

from collections.abc import Iterable

import typer

from geobal import query
from geobal.commands._options import Listing, context_of
from geobal.context import Context
from geobal.errors import UsageError
from geobal.model import Dataset, Frame
from geobal.query import Op
from geobal.render import Format, emit

TABLE_ROWS = 200  # a table's rows when no --limit is given


def list_dataset(
    ctx: typer.Context,
    dataset: Dataset | str,
    opts: Listing,
    filters: Iterable[tuple[str, Op, str | None]] = (),
    search: str | None = None,
) -> None:
    """Filter, sort and render one dataset, as every dataset command does."""
    context = context_of(ctx)
    ds = context.catalog.get(dataset) if isinstance(dataset, str) else dataset
    emit_frame(context, query_dataset(ds, opts, filters, search, narrow=True), opts)


def query_dataset(
    ds: Dataset,
    opts: Listing,
    filters: Iterable[tuple[str, Op, str | None]] = (),
    search: str | None = None,
    narrow: bool = False,
) -> Frame:
    """The frame the listing options ask for; `narrow` as in query.run."""
    q = query.build(
        ds,
        where=opts.where,
        filters=filters,
        search=search,
        sort=opts.sort,
        desc=opts.desc,
        limit=opts.limit,
        fields=opts.fields,
        count_by=opts.count_by,
    )
    return query.run(ds, q, narrow)


def list_frame(ctx: typer.Context, frame: Frame, opts: Listing) -> None:
    """Render a frame that no dataset describes (datasets, schema, search results)."""
    emit_frame(context_of(ctx), query.select(frame, opts.fields), opts)


def emit_frame(context: Context, frame: Frame, opts: Listing) -> None:
    """Render a frame; on a terminal, say how many rows it has (on stderr)."""
    fmt = opts.output_format(context)
    index = None
    if opts.with_sources:
        if fmt not in (Format.JSON, Format.JSONL, Format.TOML):
            raise UsageError(
                f"--with-sources does not apply to {fmt} output",
                "use it with --json, --format jsonl or --format toml (show includes the "
                "sources in every format)",
            )
        index = context.catalog.source_index()
    n = len(frame.rows)
    if n == 0:
        context.say("No records matched.")
        if fmt is Format.TABLE:
            return
    shown = frame
    if fmt is Format.TABLE and opts.limit is None and not opts.pager and n > TABLE_ROWS:
        # Rich draws a row in about 0.65 ms: thousands of rows would take seconds to
        # scroll past. Machine formats are never cut.
        shown = frame._replace(rows=frame.rows[:TABLE_ROWS])
    emit(context.env, shown, fmt, opts.colour(context), index, pager=opts.pager)
    if n and context.env.stdout_isatty:
        context.say(f"{n} {frame.noun[n != 1]}")
    if shown is not frame:
        context.say(
            f"showing the first {TABLE_ROWS}: --limit 0 shows all {n}, --pager pages "
            "them, and --json or --format csv give every row"
        )
