"""Commands on imported SIPRI data: `shares` (who supplies whom, beside what SIPRI
published, for a period or period by period), `pipeline` (what is ordered and still to
come) and `factsheet` (the fact sheet's tables of the largest importers and exporters)."""

from typing import Annotated

import typer

from geobal import api
from geobal.commands import _complete as complete
from geobal.commands._options import Listing, context_of, listing_options
from geobal.commands._run import Result, answer

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
        help=f"Count a state that no longer exists as its successor: {api.successors_help()}.",
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
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="The years, such as 2019-23, 2019-2023 or 2021; a list (2014-18,2019-23) "
            "sets them side by side, as --compare does (not with --from or --to).",
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
            metavar="PERIOD",
            help="Shares period by period: FIRST-LAST in periods of --step years, or a list "
            "of periods (2009-13,2014-18,2019-23); within a period, the largest share first "
            "(ties by name), and in a wide table by the last period's share.",
        ),
    ] = None,
    step: Annotated[
        int | None,
        typer.Option(
            "--step",
            metavar="N",
            help="Years a period, with --periods (default 5, or the whole period where shorter).",
        ),
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
        str | None,
        typer.Option(
            "--volumes",
            metavar="NAME",
            autocompletion=complete.datasets,
            help="The imported volume table, for --check (default: tiv, the import-volume "
            "table, with --recipient; tiv-exports, the export-volume table, with --supplier-of). "
            "A table of one partner (tiv-imports-from-china) is compared with the deliveries "
            "between the two only, and each row's scope says so.",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help="Compare the register's yearly totals for --recipient with SIPRI's "
            "import-volume table, or for --supplier-of with its export-volume table.",
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
    """
    return answer(
        context_of(ctx).api.shares(
            recipient,
            supplier_of=supplier_of,
            period=period,
            start=start,
            end=end,
            periods=periods,
            step=step,
            compare=compare,
            by=by,
            successors=successors,
            partial=partial,
            dataset=dataset,
            volumes=volumes,
            check=check,
            fields=opts.fields,
            chart=chart,
        )
    )


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
    """
    found = context_of(ctx).api.pipeline(
        recipient,
        orders=orders,
        everything=everything,
        successors=successors,
        dataset=dataset,
        fields=opts.fields,
    )
    return answer(found)


@listing_options(chart=True)
def factsheet(
    ctx: typer.Context,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="The years, such as 2019-23, 2019-2023 or 2021 (default: the last five the "
            "data cover), compared with as many years before; a list gives a table each.",
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
    volumes: Annotated[
        str,
        typer.Option(
            "--volumes",
            metavar="NAME",
            autocompletion=complete.datasets,
            help="The imported import-volume table: world and recipients' totals.",
        ),
    ] = "tiv",
    export_volumes: Annotated[
        str,
        typer.Option(
            "--export-volumes",
            metavar="NAME",
            autocompletion=complete.datasets,
            help="The imported export-volume table: exporters' totals, exact, where imported.",
        ),
    ] = "tiv-exports",
    dataset: Dataset = "transfers",
    *,
    opts: Listing,
) -> Result:
    """Fact-sheet tables for any period, computed from SIPRI data: the largest importers and
    exporters.

    For each, its share of world imports (or exports) in the period and in the one of
    the same length before, the per cent change in its volume, and its three main
    partners with their shares. World and recipients' totals are exact, from SIPRI's
    import-volume table (its "Total world import" row is the world); exporters' totals
    are exact from SIPRI's export-volume table where it is imported (tiv-exports), else
    from a trade register; partners come from the register, exact from the per-year
    export and an estimate from the legacy one. Every output says which; the figures are
    geobal's, not SIPRI's. A table SIPRI filtered to one partner is refused.

    Examples:
      $ geobal factsheet --period 2019-2023 --importers --top 10 --format markdown
      $ geobal factsheet --period 2014-2018 --exporters
      $ geobal factsheet --recipients India,Pakistan --period 2019-2023 --json
      $ geobal factsheet --period 2019-2023 --importers --output factsheet.svg
    """
    found = context_of(ctx).api.factsheet(
        period=period,
        top=top,
        importers=importers,
        exporters=exporters,
        recipients=recipients,
        volumes=volumes,
        dataset=dataset,
        fields=opts.fields,
        export_volumes=export_volumes,
    )
    return answer(found)


@listing_options(chart=True)
def spending(
    ctx: typer.Context,
    country: Annotated[
        list[str] | None,
        typer.Option(
            "--country",
            metavar="NAME",
            autocompletion=complete.countries,
            help="The country (SIPRI's name or a common one: USA, Turkey, South Korea); "
            "again for several, in the order given.",
        ),
    ] = None,
    start: Annotated[
        int | None,
        typer.Option(
            "--from", metavar="YEAR", help="First year (default: the first with a figure)."
        ),
    ] = None,
    end: Annotated[
        int | None,
        typer.Option("--to", metavar="YEAR", help="Last year (default: the last covered)."),
    ] = None,
    measure: Annotated[
        list[str] | None,
        typer.Option(
            "--measure",
            metavar="MEASURE",
            autocompletion=complete.measures,
            help="constant (default), current, gdp, per-capita, government, local or "
            "local-fy; again for a column each, in the order given.",
        ),
    ] = None,
    top: Annotated[
        int | None,
        typer.Option("--top", metavar="N", help="The N largest spenders of --year."),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            metavar="YEAR",
            help="The year of --top (default: the last with a World total).",
        ),
    ] = None,
    change: Annotated[
        bool, typer.Option("--change", help="The change from the first year to the last.")
    ] = False,
    dataset: Annotated[
        str,
        typer.Option(
            "--dataset",
            metavar="NAME",
            autocompletion=complete.datasets,
            help="The imported military expenditure workbook.",
        ),
    ] = "milex",
    *,
    opts: Listing,
) -> Result:
    """Military spending, from SIPRI's Military Expenditure Database.

    Import the workbook first: download it from https://www.sipri.org/databases/milex,
    then geobal import FILE.xlsx --as sipri-milex. Figures are SIPRI's, exact; a table
    prints them as SIPRI does, marking its estimates (e) and highly uncertain figures (u).

    Examples:
      $ geobal import SIPRI-Milex-data-1949-2024.xlsx --as sipri-milex
      $ geobal spending --country India --from 2023 --measure constant --measure gdp
      $ geobal spending --top 5 --measure current
      $ geobal spending --country "South Korea" --country Turkey --from 2022 --change
    """
    return answer(
        context_of(ctx).api.spending(
            country or [],
            start=start,
            end=end,
            measures=measure or ["constant"],
            top=top,
            year=year,
            change=change,
            dataset=dataset,
            fields=opts.fields,
        )
    )
