"""`shares`: what a SIPRI trade register says about who supplies whom, beside what
SIPRI published."""

from typing import Annotated

import typer

from geobal.analysis import published, register
from geobal.commands import _complete as complete
from geobal.commands._options import Listing, context_of, listing_options
from geobal.commands._run import Result
from geobal.errors import UsageError
from geobal.model import Bar, BarGroup, Chart, Frame
from geobal.schema import cited


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
) -> Result:
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
    try:
        found = catalog.get(dataset)
    except UsageError:
        raise UsageError(
            f"no dataset {dataset!r}: import SIPRI's trade register first",
            register.IMPORT_REGISTER,
        ) from None
    records = register.register(found).records
    by, party = ("recipient", "supplier") if recipient is not None else ("supplier", "recipient")
    name = register.named(records, by, str(recipient or supplier_of))
    mine = [r for r in records if r.get(by) == name]
    if check:
        if recipient is None:
            raise UsageError("--check compares a recipient's imports: give --recipient")
        frame = register.check(name, mine, catalog.get(volumes), start, end)
        return Result(frame, notes=(register.ESTIMATE,))
    totals = register.spread(mine, start, end, party)
    shown = None
    if by == "recipient" and name == "India" and end - start == 4:
        period = f"{start}-{end % 100:02d}"
        shown = published.published_shares(catalog.get("suppliers"), period) or None
    rows = register.share_rows(totals, party, shown)
    what = "imports" if by == "recipient" else "exports"
    title = f"{name}'s arms {what}, {start}-{end}, by {party}"
    columns = register.share_columns(party, party.capitalize())
    frame = Frame(title, columns, rows, (party, f"{party}s"))
    source = sorted({s for r in mine for s in cited(r)})
    notes = (f"{register.ESTIMATE}; source: {', '.join(source)}",)
    if not (chart and rows and opts.fields is None):
        return Result(frame, notes=notes)
    bars = [
        Bar(
            str(r[party]),
            float(r["share"]),  # type: ignore[arg-type]
            f"published {r['published']}%" if "published" in r else "",
        )
        for r in rows[:15]
    ]
    groups = [BarGroup(f"{start}-{end}", f"{len(rows)} {party}s", bars)]
    return Result(Chart(title, groups, frame), notes=notes)
