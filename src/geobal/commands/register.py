"""Commands on imported SIPRI data: `shares` (who supplies whom, beside what SIPRI
published, for a period or period by period), `pipeline` (what is ordered and still to
come) and `factsheet` (the fact sheet's tables of the largest importers and exporters)."""

import re
from typing import Annotated

import typer

from geobal.analysis import factsheet as sheet
from geobal.analysis import number, published, register
from geobal.analysis.compare import bars as compare_bars
from geobal.analysis.compare import parse_periods, parse_years
from geobal.analysis.parties import SUCCESSORS, SUCCESSORS_HELP, resolve
from geobal.catalog import Catalog
from geobal.commands import _complete as complete
from geobal.commands._options import Listing, context_of, listing_options
from geobal.commands._run import Result, selected
from geobal.context import Context
from geobal.errors import UsageError
from geobal.fieldtypes import TEXT
from geobal.formats import Format
from geobal.model import Field
from geobal.views import Bar, BarGroup, Chart, Figure, Frame, Matrix

BARS = 20  # bars a chart draws before it sums the rest into one
GROUPS = 10  # parties a comparison draws on a terminal; the table and JSON have them all

Dataset = Annotated[
    str,
    typer.Option(
        "--dataset",
        metavar="NAME",
        autocompletion=complete.datasets,
        help="The imported trade register, legacy or per-year.",
    ),
]
Successors = Annotated[
    bool,
    typer.Option(
        "--successors",
        help=f"Count a state that no longer exists as its successor: {SUCCESSORS_HELP}.",
    ),
]
Partial = Annotated[
    bool,
    typer.Option(
        "--partial",
        help="Compute a period that reaches beyond the years the data cover over the years "
        "they do, and mark the figures partial (else it is refused).",
    ),
]


def open_register(catalog: Catalog, dataset: str) -> register.Register:
    """The trade register the user named, or an error saying how to import one."""
    try:
        found = catalog.get(dataset)
    except UsageError:
        raise UsageError(
            f"no dataset {dataset!r}: import SIPRI's trade register first",
            register.IMPORT_REGISTER,
        ) from None
    return register.register(found)


def _years(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d{4})\s*-\s*(\d{4})\s*", text)
    if m is None:
        raise UsageError(f"--periods takes FIRST-LAST, such as 1950-2024, not {text!r}")
    return int(m[1]), int(m[2])


@listing_options(chart=True)
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
        int | None,
        typer.Option(
            "--from",
            metavar="YEAR",
            help="First year of deliveries counted (default: five years before --to).",
        ),
    ] = None,
    end: Annotated[
        int | None,
        typer.Option(
            "--to",
            metavar="YEAR",
            help="Last year of deliveries counted (default: the last year the data cover).",
        ),
    ] = None,
    periods: Annotated[
        str | None,
        typer.Option(
            "--periods",
            metavar="FIRST-LAST",
            help="Shares period by period from FIRST to LAST, in periods of --step years.",
        ),
    ] = None,
    step: Annotated[
        int | None,
        typer.Option("--step", metavar="N", help="Years a period, with --periods (default 5)."),
    ] = None,
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            metavar="P1,P2",
            help="Periods side by side, such as 2014-2018,2019-2023: each share in each and "
            "the change in points, ranked by the latest.",
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="category",
            help="Break the imports or exports down by armament category instead (the "
            "per-year export has them).",
        ),
    ] = None,
    successors: Successors = False,
    partial: Partial = False,
    dataset: Dataset = "transfers",
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
            help="Compare the register's yearly totals for --recipient with SIPRI's "
            "import-volume table.",
        ),
    ] = False,
    chart: Annotated[
        bool, typer.Option("--chart/--no-chart", help="On a terminal, bars rather than a table.")
    ] = True,
    *,
    opts: Listing,
) -> Result:
    """Who supplies a country's arms, from an imported SIPRI trade register.

    From the per-year export the figures are exact: it gives the TIV delivered in each
    year. From the legacy register they are an estimate: each record's delivered TIV is
    spread evenly over its delivery years. Every output says which, and a period beyond
    the years the data cover is refused (or, with --partial, marked). For India, a
    five-year period such as 2019-2023 is shown beside the share SIPRI published (the
    bundled suppliers dataset). Names may be SIPRI's or common ones (USA, UK, Turkey).

    Examples:
      $ geobal shares --recipient India --from 2019 --to 2023
      $ geobal shares --supplier-of France --json
      $ geobal shares --recipient India --periods 1950-2019 --successors
      $ geobal shares --recipient Pakistan --compare 2014-2018,2019-2023
      $ geobal shares --recipient India --check
      $ geobal shares --recipient India --output india.svg
    """
    context = context_of(ctx)
    catalog = context.catalog
    if (recipient is None) == (supplier_of is None):
        raise UsageError("give --recipient NAME or --supplier-of NAME (one of them)")
    if by not in (None, "category"):
        raise UsageError(f"--by takes category, not {by!r}")
    reg = open_register(catalog, dataset)
    who, party = ("recipient", "supplier") if recipient is not None else ("supplier", "recipient")
    name = register.named(reg, who, str(recipient or supplier_of))
    joined = SUCCESSORS if successors else None
    if by is not None:
        if not reg.exact:
            raise UsageError(
                "--by category needs the per-year export: the legacy register has no "
                "armament categories",
                "import the per-year export with: geobal fetch sipri",
            )
        party = by
    notes = (f"{reg.how}; source: {', '.join(reg.sources)}",)
    what = f"{dataset!r}"
    source = register.source_line(reg, dataset)
    if compare is not None:
        if periods is not None or check or start is not None or end is not None:
            raise UsageError(
                "--compare names its periods itself: not with --from, --to, --periods or --check"
            )
        spans = [
            register.span(reg.covers, a, b, partial, what) for a, b, _ in parse_periods(compare)
        ]
        frame = register.compare(reg, who, name, party, spans, joined, source)
        named = Field(party, TEXT, party.capitalize())
        return compared(context, opts, frame, named, [p.label for p in spans], chart)._replace(
            notes=notes
        )
    if step is not None and periods is None:
        raise UsageError("--step sets the years of a period of --periods", "give --periods too")
    if periods is not None:
        if start is not None or end is not None:
            raise UsageError(
                "--periods gives the years itself: not with --from or --to",
                "give the first and last year in --periods FIRST-LAST",
            )
        first, last = _years(periods)
        cut = register.steps(first, last, 5 if step is None else step)
        covers = reg.covers
        if covers is not None and not partial and (first < covers[0] or last > covers[1]):
            whole = [(a, b) for a, b in cut if covers[0] <= a and b <= covers[1]]
            raise UsageError(
                f"--periods {first}-{last} reaches beyond the years {what} covers, "
                f"{covers[0]}-{covers[1]}",
                (f"ask for --periods {whole[0][0]}-{whole[-1][1]}, or " if whole else "")
                + "pass --partial to mark the periods it covers only in part",
            )
        spans = [register.span(covers, a, b, partial, what) for a, b in cut]
        frame = register.moves(reg, who, name, party, spans, joined)
        if opts.fields is not None or opts.grouped:
            return selected(frame, opts)._replace(notes=notes)
        figure = Figure("period", "share", color=party, percent=True, notes=(source,))
        frame = frame._replace(figure=figure)
        return Result(Matrix(frame, party, "period", "share", chart), notes=notes)
    covers = reg.covers or (0, 0)
    last = end if end is not None else covers[1]
    first = start if start is not None else max(covers[0], last - 4)
    period = register.span(reg.covers, first, last, partial, what)
    if check:
        if who != "recipient":
            raise UsageError("--check compares a recipient's imports: give --recipient")
        try:
            table = catalog.get(volumes)
        except UsageError:
            raise UsageError(
                f"no dataset {volumes!r}: --check compares with SIPRI's import-volume table",
                f"import it with: {register.IMPORT_VOLUMES}",
            ) from None
        period = register.narrowed(period, register.volumes(table), partial)
        frame = register.check(reg, name, table, period, joined)
        return selected(frame, opts)._replace(notes=notes)
    shown = None
    five_years = last - first == 4 and not period.partial
    if by is None and who == "recipient" and name == "India" and five_years:
        label = f"{first}-{last % 100:02d}"
        shown = published.published_shares(catalog.get("suppliers"), label) or None
    frame = register.shares(reg, who, name, party, period, shown, joined)
    frame = frame._replace(
        figure=Figure(party, "share", percent=True, notes=(f"{period.label}; {source}",))
    )
    if not (chart and frame.rows and opts.fields is None):
        return selected(frame, opts)._replace(notes=notes)
    if opts.output_format(context) is not Format.TABLE:
        return Result(frame, notes=notes)
    return Result(Chart(frame.title, [_bars(frame, party, period.label)], frame), notes=notes)


def _bars(frame: Frame, party: str, label: str) -> BarGroup:
    """A bar a row; past BARS rows, the rest as one bar, so the chart shows them all."""
    rows = list(frame.rows)
    bars = [
        Bar(
            str(r[party]),
            number(r["share"]),
            f"published {r['published']}%" if "published" in r else "",
        )
        for r in rows[:BARS]
    ]
    rest = rows[BARS:]
    if rest:
        share = round(sum(number(r["share"]) or 0.0 for r in rest), 2)
        bars.append(Bar(f"{len(rest)} others", share, "together"))
    noun = frame.noun[len(rows) != 1]
    shown = f"{len(rows)} {noun}" + (f", the last {len(rest)} as one bar" if rest else "")
    return BarGroup(label, shown, bars)


@listing_options()
def pipeline(
    ctx: typer.Context,
    recipient: Annotated[
        str, typer.Option("--recipient", metavar="NAME", help="The buyer whose orders to list.")
    ],
    orders: Annotated[
        bool, typer.Option("--orders", help="Each order, rather than the totals by supplier.")
    ] = False,
    everything: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Every order short of its number, however old (else only orders with a "
            "delivery, or placed, in the last five years the data cover).",
        ),
    ] = False,
    successors: Successors = False,
    dataset: Dataset = "transfers",
    *,
    opts: Listing,
) -> Result:
    """The arms a country has ordered and not yet received, from the legacy register:
    the dependence that is already contracted.

    An order counts when the register's number delivered is below the number ordered;
    what is still to come is their difference, and its TIV the order's TIV minus the TIV
    delivered, where the register gives it. Orders whose last delivery (or, with none
    yet, whose order) is older than the data's last five years are left out as more
    likely cut than coming, unless --all.

    Examples:
      $ geobal pipeline --recipient India
      $ geobal pipeline --recipient India --orders --json
    """
    reg = open_register(context_of(ctx).catalog, dataset)
    name = register.named(reg, "recipient", recipient)
    recent = None if everything or reg.covers is None else reg.covers[1] - 4
    frame = register.pipeline(reg, name, recent, orders, SUCCESSORS if successors else None)
    return selected(frame, opts)._replace(notes=(f"source: {', '.join(reg.sources)}",))


def compared(
    context: Context, opts: Listing, frame: Frame, party: Field, labels: list[str], chart: bool
) -> Result:
    """Periods side by side: bars on a terminal, else the rows (a chart's specification
    for --format vega-lite and --output)."""
    if opts.fields is not None or opts.grouped:
        return selected(frame, opts)
    if chart and frame.rows and opts.output_format(context) is Format.TABLE:
        groups = compare_bars(frame, party, labels)
        if len(groups) > GROUPS:
            rest = len(groups) - GROUPS
            more = f"{rest} more {party.name}s below these: --no-chart or --json shows them all."
            frame = frame._replace(caption=f"{frame.caption}\n{more}".strip())
        shown = groups[:GROUPS]
        return Result(Chart(frame.title, shown, frame, (party.name, f"{party.name}s")))
    return Result(frame)


@listing_options(chart=True)
def factsheet(
    ctx: typer.Context,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="FIRST-LAST",
            help="The years, such as 2019-2023 (default: the last five the data cover); "
            "compared with as many years before.",
        ),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", metavar="N", help="How many importers or exporters.")
    ] = 10,
    importers: Annotated[
        bool, typer.Option("--importers", help="Only the largest importers.")
    ] = False,
    exporters: Annotated[
        bool, typer.Option("--exporters", help="Only the largest exporters.")
    ] = False,
    recipients: Annotated[
        str | None,
        typer.Option(
            "--recipients",
            metavar="A,B,C",
            help="These recipients, and the group they make (South Asia, say), instead of "
            "the largest importers.",
        ),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option("--region", metavar="NAME", help="A region, where the data give one."),
    ] = None,
    volumes: Annotated[
        str,
        typer.Option(
            "--volumes",
            metavar="NAME",
            autocompletion=complete.datasets,
            help="The imported import-volume table: world and recipients' totals.",
        ),
    ] = "tiv",
    dataset: Dataset = "transfers",
    *,
    opts: Listing,
) -> Result:
    """Fact-sheet tables for any period, computed from SIPRI data: the largest importers and
    exporters.

    For each, its share of world imports (or exports) in the period and in the one of
    the same length before, the per cent change in its volume, and its three main
    partners with their shares. World and recipients' totals are exact, from SIPRI's
    import-volume table (its "Total world import" row is the world); partners and
    exporters' totals come from a trade register, exact from the per-year export and an
    estimate from the legacy one. Every output says which; the figures are geobal's,
    not SIPRI's.

    Examples:
      $ geobal factsheet --period 2019-2023 --importers --top 10
      $ geobal factsheet --period 2014-2018 --exporters --json
      $ geobal factsheet --recipients India,Pakistan --period 2019-2023
      $ geobal factsheet --importers --format markdown
    """
    catalog = context_of(ctx).catalog
    if region is not None:
        raise UsageError(
            "the SIPRI data geobal reads give no regions",
            "name the countries of a region yourself: --recipients A,B,C",
        )
    if top < 1:
        raise UsageError(f"--top must be 1 or more, not {top}")
    table = _volume_table(catalog, volumes)
    reg = _optional_register(catalog, dataset)
    group = [n.strip() for n in (recipients or "").split(",") if n.strip()]
    if recipients is not None and not group:
        raise UsageError("--recipients needs names, comma-separated")
    if group:
        if exporters:
            raise UsageError("--recipients makes a group of importers: leave out --exporters")
        importers = True
        # names as SIPRI gives them, in the volume table or the register
        known = set(table.by_recipient) if table is not None else set()
        if reg is not None:
            known |= {str(v) for v in set(reg.column("recipient")) if v is not None}
        group = [resolve("recipient", n, sorted(known)) for n in group]
    covers = table.covers if table is not None else (reg.covers if reg else None)
    chosen = _period(period, covers)
    notes: tuple[str, ...] = ()
    if not importers and not exporters:
        importers = True
        exporters = reg is not None
        if reg is None:
            notes = (
                f"no exporters' table: it needs a trade register ({register.IMPORT_REGISTER})",
            )
    sides = [
        s for s, asked in ((sheet.IMPORTERS, importers), (sheet.EXPORTERS, exporters)) if asked
    ]
    frames = [sheet.factsheet(table, reg, side, chosen, top, group) for side in sides]
    frame = frames[0] if len(frames) == 1 else sheet.both(frames[0], frames[1], chosen)
    return selected(frame, opts)._replace(notes=notes)


def _volume_table(catalog: Catalog, name: str) -> sheet.Table | None:
    """The import-volume table, if one is imported, with the date of its export."""
    if name not in catalog.names():
        if name == "tiv":
            return None
        raise UsageError(
            f"no dataset {name!r}", f"import the table with: {register.IMPORT_VOLUMES}"
        )
    ds = catalog.get(name)
    cited = [s for r in ds.records[:1] if isinstance(v := r.get("sources"), list) for s in v]
    entry = catalog.source_index().by_id.get(str(cited[0])) if cited else None
    date = entry.get("date") if entry is not None else None
    return sheet.read_table(ds, str(date) if date is not None else None)


def _optional_register(catalog: Catalog, name: str) -> register.Register | None:
    """The trade register `name`, or None where the default one is not imported; a
    dataset of that name that is no register, or one named and absent, is an error."""
    if name not in catalog.names():
        if name == "transfers":
            return None
        return open_register(catalog, name)  # says how to import one
    return register.register(catalog.get(name))


def _period(text: str | None, covers: tuple[int, int] | None) -> sheet.Period:
    """--period as years (2019-2023 or 2019-23); by default the last five covered."""
    if covers is None:
        raise UsageError(
            "the fact sheet needs SIPRI's data: import the import-volume table and a "
            "trade register",
            f"{register.IMPORT_VOLUMES}; {register.IMPORT_REGISTER}",
        )
    if text is None:
        return sheet.Period(covers[1] - 4, covers[1])
    years = parse_years(text)
    if years is None:
        raise UsageError(f"--period takes FIRST-LAST, such as 2019-2023, not {text!r}")
    return sheet.Period(*years)
