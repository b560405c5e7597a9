"""`shares`: what a SIPRI trade register says about who supplies whom, beside what
SIPRI published."""

from typing import Annotated

import typer

from geobal import analysis, sipri
from geobal.commands import _complete as complete
from geobal.commands._options import Listing, context_of, listing_options
from geobal.commands._run import emit_frame
from geobal.errors import UsageError
from geobal.model import Bar, BarGroup, Field, FieldType, Frame, Record
from geobal.render import Format, emit_chart
from geobal.schema import cited

NOTE = sipri.ESTIMATE


def _columns(party: str, title: str) -> tuple[Field, ...]:
    return (
        Field(party, FieldType.TEXT, title),
        Field("tiv", FieldType.NUMBER, "TIV (m)", "Estimated delivered TIV, millions."),
        Field("share", FieldType.NUMBER, "Share %", "The estimated share, in per cent."),
        Field("rank", FieldType.INTEGER, "Rank"),
        Field(
            "published",
            FieldType.NUMBER,
            "Published %",
            "SIPRI's published share for "
            "the same period, where geobal has it (the bundled suppliers dataset).",
        ),
        Field("sheet", FieldType.INTEGER, "Release", "The release that published it."),
        Field(
            "difference",
            FieldType.NUMBER,
            "Difference",
            "Estimate minus published, in percentage points.",
        ),
    )


CHECK_COLUMNS = (
    Field("year", FieldType.TEXT, "Year"),
    Field(
        "register",
        FieldType.NUMBER,
        "Register (est.)",
        "Delivered TIV estimated from the register, millions.",
    ),
    Field("table", FieldType.NUMBER, "Volume table", "SIPRI's import-volume table, millions."),
    Field(
        "difference",
        FieldType.NUMBER,
        "Difference %",
        "Register minus table, as a share of the table.",
    ),
)


@listing_options()
def shares(
    ctx: typer.Context,
    recipient: Annotated[
        str | None,
        typer.Option(
            "--recipient", metavar="NAME", help="Each supplier's share of NAME's imports."
        ),
    ] = None,
    supplier_of: Annotated[
        str | None,
        typer.Option(
            "--supplier-of",
            metavar="NAME",
            help="The mirror view: each recipient's share of NAME's exports.",
        ),
    ] = None,
    start: Annotated[
        int, typer.Option("--from", metavar="YEAR", help="First year of deliveries counted.")
    ] = 2019,
    end: Annotated[
        int, typer.Option("--to", metavar="YEAR", help="Last year of deliveries counted.")
    ] = 2023,
    dataset: Annotated[
        str,
        typer.Option(
            "--dataset",
            metavar="NAME",
            autocompletion=complete.datasets,
            help="The imported trade register.",
        ),
    ] = "transfers",
    volumes: Annotated[
        str,
        typer.Option(
            "--volumes", metavar="NAME", help="The imported import-volume table, for --check."
        ),
    ] = "tiv",
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Compare the register's estimated yearly totals for --recipient with "
            "SIPRI's import-volume table.",
        ),
    ] = False,
    chart: Annotated[
        bool, typer.Option("--chart/--no-chart", help="On a terminal, bars rather than a table.")
    ] = True,
    *,
    opts: Listing,
) -> None:
    """Who supplies a country's arms, from an imported SIPRI trade register.

    Shares are an estimate: each record's delivered TIV is spread evenly over its
    delivery years. For India, a five-year period such as 2019-2023 is shown beside the
    share SIPRI published (the bundled suppliers dataset). Import the register first:
    geobal import trade-register.csv --as sipri

    Examples:
      $ geobal shares --recipient India --from 2019 --to 2023
      $ geobal shares --supplier-of France --json
      $ geobal shares --recipient India --check
    """
    context = context_of(ctx)
    catalog = context.catalog
    if (recipient is None) == (supplier_of is None):
        raise UsageError("give --recipient NAME or --supplier-of NAME (one of them)")
    if start > end:
        raise UsageError(f"--from {start} is after --to {end}")
    if dataset not in catalog.names():
        raise UsageError(
            f"no dataset {dataset!r}: import SIPRI's trade register first",
            "geobal import trade-register.csv --as sipri",
        )
    register = catalog.get(dataset)
    if "delivery_years" not in register.field_map:
        raise UsageError(
            f"{dataset!r} is not a SIPRI trade register",
            "import one with: geobal import trade-register.csv --as sipri",
        )
    by, party = ("recipient", "supplier") if recipient is not None else ("supplier", "recipient")
    name = sipri.named(register.records, by, str(recipient or supplier_of))
    mine = [r for r in register.records if r.get(by) == name]
    if check:
        if recipient is None:
            raise UsageError("--check compares a recipient's imports: give --recipient")
        _check(ctx, opts, name, mine, start, end, volumes)
        return
    totals = sipri.spread(mine, start, end, party)
    published = None
    if by == "recipient" and name == "India" and end - start == 4:
        period = f"{start}-{end % 100:02d}"
        published = analysis.published_shares(catalog.get("suppliers"), period) or None
    rows = analysis.share_rows(totals, party, published)
    what = "imports" if by == "recipient" else "exports"
    title = f"{name}'s arms {what}, {start}-{end}, by {party}"
    frame = Frame(title, _columns(party, party.capitalize()), rows, (party, f"{party}s"))
    source = sorted({s for r in mine for s in cited(r)})
    context.say(f"{NOTE}; source: {', '.join(source)}")
    fmt = opts.output_format(context)
    if chart and rows and fmt is Format.TABLE and opts.fields is None:
        bars = [
            Bar(
                str(r[party]),
                float(r["share"]),  # type: ignore[arg-type]
                f"published {r['published']}%" if "published" in r else "",
            )
            for r in rows[:15]
        ]
        emit_chart(
            context.env,
            title,
            [BarGroup(f"{start}-{end}", f"{len(rows)} {party}s", bars)],
            opts.colour(context),
        )
        return
    emit_frame(context, frame, opts)


def _check(
    ctx: typer.Context,
    opts: Listing,
    name: str,
    records: list[Record],
    start: int,
    end: int,
    volumes: str,
) -> None:
    context = context_of(ctx)
    table = context.catalog.get(volumes)
    if "tiv" not in table.field_map:
        raise UsageError(
            f"{volumes!r} is not SIPRI's import-volume table",
            "import it with: geobal import import-export-values_1950-2024.csv --as sipri-tiv",
        )
    yearly = sipri.per_year(records, start, end)
    published = {
        year: float(tiv)
        for r in table.records
        if r.get("recipient") == name
        and isinstance(year := r.get("year"), int)
        and isinstance(tiv := r.get("tiv"), int | float)
    }
    rows: list[Record] = []
    for year, estimate in [*yearly.items(), (None, sum(yearly.values()))]:
        actual = (
            published.get(year) if year is not None else sum(published.get(y, 0.0) for y in yearly)
        )
        row: Record = {
            "year": str(year) if year else f"{start}-{end}",
            "register": round(estimate, 1),
        }
        if actual is not None:
            row["table"] = analysis._clean(actual)
            if actual:
                row["difference"] = round(100 * (estimate - actual) / actual, 1)
        rows.append(row)
    context.say(f"{NOTE}")
    frame = Frame(
        f"{name}: register estimate against the import-volume table",
        CHECK_COLUMNS,
        rows,
        ("year", "years"),
    )
    emit_frame(context, frame, opts)
