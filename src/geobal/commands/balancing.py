"""Commands on the balancing itself: the timeline, supplier shares, their concentration,
and the one-screen brief."""

from typing import Annotated

import typer

from geobal.commands import _complete as complete
from geobal.commands._options import (
    ANY_OF,
    ANY_OF_REPEATED,
    Listing,
    choice_option,
    context_of,
    filter_option,
    listing_options,
)
from geobal.commands._run import Result, answer
from geobal.commands.register import Dataset as RegisterOption
from geobal.commands.register import Partial, Successors


@listing_options(query=True)
def timeline(
    ctx: typer.Context,
    since: Annotated[
        str | None,
        filter_option(
            "--since", "Only events on or after DATE (2018, 2018-10 or 2018-10-05).", metavar="DATE"
        ),
    ] = None,
    until: Annotated[
        str | None,
        filter_option(
            "--until",
            "Only events on or before DATE; --until 2018 includes all of 2018.",
            metavar="DATE",
        ),
    ] = None,
    actor: Annotated[
        list[str] | None,
        filter_option(
            "--actor",
            "Only events involving this country (any case, or a prefix). " + ANY_OF_REPEATED,
            complete.values("actors"),
        ),
    ] = None,
    kind: Annotated[
        list[str] | None,
        choice_option("--kind", f"Only events of this kind. {ANY_OF}", "kind"),
    ] = None,
    deal: Annotated[
        list[str] | None,
        filter_option(
            "--deal",
            "Only events about this deal, by its id in deals (any case). " + ANY_OF_REPEATED,
            complete.deals,
            metavar="ID",
        ),
    ] = None,
    *,
    opts: Listing,
) -> Result:
    """Dated events, oldest first: deals, deliveries, sanctions, summits, tariffs.

    Examples:
      $ geobal timeline --since 2025 --actor russia
      $ geobal timeline --actor "united states" --kind sanction
      $ geobal timeline --deal s-400
    """
    found = context_of(ctx).api.timeline(
        since=since,
        until=until,
        actor=actor or (),
        kind=kind or (),
        deal=deal or (),
        narrow=True,
        **opts.query,
    )
    return answer(found)


@listing_options(query=True, chart=True)
def suppliers(
    ctx: typer.Context,
    period: Annotated[
        list[str] | None,
        choice_option("--period", f"Only this SIPRI period. {ANY_OF}", "period"),
    ] = None,
    supplier: Annotated[
        list[str] | None,
        choice_option("--supplier", f"Only this supplier. {ANY_OF}", "supplier"),
    ] = None,
    sheet: Annotated[
        int | None,
        filter_option(
            "--sheet",
            "Only figures published in YEAR's release. Default: each figure's latest release.",
            metavar="YEAR",
        ),
    ] = None,
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            metavar="P1,P2",
            help="Periods side by side, such as 2014-18,2019-23: each supplier's share in "
            "each and the change in points, ranked by the latest.",
        ),
    ] = None,
    chart: Annotated[
        bool,
        typer.Option(
            "--chart/--no-chart",
            rich_help_panel="Output options",
            help="On a terminal, bars per period rather than a table.",
        ),
    ] = True,
    *,
    opts: Listing,
) -> Result:
    """Each supplier's share of India's arms imports per SIPRI period, as published.

    SIPRI revises past periods every year; by default each figure is shown as its latest
    release gives it, and --sheet picks one release. Every revision: geobal query
    suppliers.

    Examples:
      $ geobal suppliers --compare 2014-18,2019-23
      $ geobal suppliers --supplier russia --no-chart
      $ geobal suppliers --format vega-lite > suppliers.vl.json
      $ geobal suppliers --where 'period>=2017-21' --output suppliers.svg
    """
    found = context_of(ctx).api.suppliers(
        period=None if not period else ",".join(period),
        supplier=supplier or (),
        sheet=sheet,
        compare=compare,
        chart=chart,
        **opts.query,
    )
    return answer(found)


@listing_options(chart=True)
def balance(
    ctx: typer.Context,
    sheet: Annotated[
        int | None,
        typer.Option(
            "--sheet",
            metavar="YEAR",
            help="Use only figures published in YEAR's release. Default: each figure's latest "
            "release.",
        ),
    ] = None,
    dataset: Annotated[
        str | None,
        typer.Option(
            "--dataset",
            metavar="NAME",
            autocompletion=complete.datasets,
            help="Compute from an imported SIPRI trade register instead (with --recipient).",
        ),
    ] = None,
    recipient: Annotated[
        str | None, typer.Option("--recipient", metavar="NAME", help="The buyer, with --dataset.")
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="PERIOD",
            help="The five-year periods within PERIOD (2009-2023), or a list of periods "
            "(2014-18,2019-23): those (not with --from or --to).",
        ),
    ] = None,
    start: Annotated[
        int | None,
        typer.Option(
            "--from",
            metavar="YEAR",
            help="With --dataset: the first period's first year (default 2009).",
        ),
    ] = None,
    end: Annotated[
        int | None,
        typer.Option(
            "--to",
            metavar="YEAR",
            help="With --dataset: the last period's last year "
            "(default: the last year the register covers).",
        ),
    ] = None,
    successors: Successors = False,
    partial: Partial = False,
    *,
    opts: Listing,
) -> Result:
    """How concentrated a country's arms suppliers are, per SIPRI period.

    The Herfindahl-Hirschman index (HHI, 0-10,000) is the sum of the squared percentage
    shares. Where some shares are not known, geobal gives bounds rather than a guess: from
    the known shares alone (the rest spread thin) to the known shares plus the unknown
    remainder held by one supplier. A trend is stated only where the bounds do not
    overlap. JSON carries every input share.

    By default the shares are India's, as SIPRI published them (the suppliers dataset).
    With --dataset and --recipient they are computed from an imported trade register
    (exactly from the per-year export, as an estimate from the legacy one), for any
    recipient, every five-year period from --from to --to.

    Examples:
      $ geobal balance --json
      $ geobal balance --dataset transfers --recipient Pakistan
      $ geobal balance --output balance.png
    """
    found = context_of(ctx).api.balance(
        recipient,
        dataset=dataset,
        sheet=sheet,
        period=period,
        start=start,
        end=end,
        successors=successors,
        partial=partial,
        fields=opts.fields,
    )
    return answer(found)


@listing_options()
def brief(
    ctx: typer.Context,
    recipient: Annotated[
        str | None,
        typer.Option(
            "--recipient",
            metavar="NAME",
            help="A brief on any country, from an imported SIPRI trade register (--dataset).",
        ),
    ] = None,
    dataset: RegisterOption = "transfers",
    successors: Successors = False,
    *,
    opts: Listing,
) -> Result:
    """Where the balancing stands, on one screen, every line with its source ids.

    The article's takeaways, its top risks, the latest supplier shares and Russia's
    trend, the deals in progress, and the latest events. --format json or markdown gives
    the same content for a report.

    With --recipient, a brief on any country from an imported SIPRI trade register: its
    suppliers in the last five years the data cover, the shift from the five before,
    their concentration, the largest deliveries and the orders still to come. With
    SIPRI's military expenditure workbook imported (import --as sipri-milex), either
    brief adds the country's military spending and its share of GDP for the last five
    years with figures, and the change over them.

    Examples:
      $ geobal brief
      $ geobal brief --format markdown
      $ geobal brief --recipient Pakistan
    """
    found = context_of(ctx).api.brief(
        recipient, dataset=dataset, successors=successors, fields=opts.fields
    )
    return answer(found)
