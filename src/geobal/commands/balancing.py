"""Commands on the balancing itself: the timeline, supplier shares, their concentration,
and the one-screen brief."""

import dataclasses
from typing import Annotated

import typer

from geobal import analysis, sipri
from geobal.commands import _complete as complete
from geobal.commands._options import Listing, context_of, filter_option, listing_options
from geobal.commands._run import emit_frame, list_dataset, list_frame, query_dataset
from geobal.errors import UsageError
from geobal.model import Frame
from geobal.query import Op, known_value
from geobal.render import Format, emit_brief, emit_chart


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
        str | None,
        filter_option(
            "--actor",
            "Only events involving this country (any case, or a prefix).",
            complete.values("actors"),
        ),
    ] = None,
    kind: Annotated[
        str | None,
        filter_option(
            "--kind",
            "Only events of this kind (contract, sanction, summit, tariff, ...).",
            complete.choices("kind"),
        ),
    ] = None,
    *,
    opts: Listing,
) -> None:
    """Dated events, oldest first: deals, deliveries, sanctions, summits, tariffs.

    Examples:
      $ geobal timeline --since 2024
      $ geobal timeline --actor "united states" --kind sanction
      $ geobal timeline --until 2018 --json
    """
    ds = context_of(ctx).catalog.get("events")
    actors = (str(a) for r in ds.records if isinstance(v := r.get("actors"), list) for a in v)
    who = known_value(actors, "actor", actor) if actor is not None else None
    list_dataset(
        ctx,
        ds,
        opts,
        [
            ("date", Op.GE, since),
            ("date", Op.LE, until),
            ("actors", Op.EQ, who),
            ("kind", Op.EQ, kind),
        ],
    )


@listing_options(query=True)
def suppliers(
    ctx: typer.Context,
    period: Annotated[
        str | None,
        filter_option(
            "--period", "Only this SIPRI period, such as 2019-23.", complete.choices("period")
        ),
    ] = None,
    supplier: Annotated[
        str | None,
        filter_option(
            "--supplier",
            "Only this supplier (russia, france, united-states, israel).",
            complete.choices("supplier"),
        ),
    ] = None,
    sheet: Annotated[
        int | None,
        filter_option(
            "--sheet",
            "Only figures published in YEAR's release. Default: each figure's latest release.",
            metavar="YEAR",
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
) -> None:
    """Each supplier's share of India's arms imports per SIPRI period, as published.

    SIPRI revises past periods every year; by default each figure is shown as its latest
    release gives it, and --sheet picks one release. Every revision: geobal query
    suppliers.

    Examples:
      $ geobal suppliers
      $ geobal suppliers --supplier russia --no-chart
      $ geobal suppliers --period 2016-20 --sheet 2021 --json
    """
    context = context_of(ctx)
    catalog = context.catalog
    ds = catalog.get("suppliers")
    if sheet is None:
        ds = dataclasses.replace(
            ds, records=analysis.latest(ds.records, ("period", "supplier"), "sheet")
        )
    filters = [
        ("period", Op.EQ, period),
        ("supplier", Op.EQ, supplier),
        ("sheet", Op.EQ, None if sheet is None else str(sheet)),
    ]
    frame = query_dataset(ds, opts, filters)
    drawn = opts.fields is None and opts.count_by is None
    if not (chart and drawn and frame.rows and opts.output_format(context) is Format.TABLE):
        emit_frame(context, frame, opts)
        return
    india = [
        r
        for r in catalog.get("imports").records
        if sheet in (None, r["sheet"]) and ("world_share" in r or "world_rank" in r)
    ]
    places = {str(r["period"]): r for r in analysis.latest(india, ("period",), "sheet")}
    groups = analysis.supplier_bars(
        frame.rows, ds.field_map["period"], ds.field_map["supplier"], places
    )
    emit_chart(
        context.env, f"{frame.title}: share of India's imports", groups, opts.colour(context)
    )
    context.say(f"{len(groups)} period{'s' if len(groups) != 1 else ''}")


@listing_options()
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
    start: Annotated[
        int,
        typer.Option(
            "--from", metavar="YEAR", help="With --dataset: the first period's first year."
        ),
    ] = 2009,
    end: Annotated[
        int | None,
        typer.Option(
            "--to",
            metavar="YEAR",
            help="With --dataset: the last period's last year "
            "(default: the register's last delivery year).",
        ),
    ] = None,
    *,
    opts: Listing,
) -> None:
    """How concentrated a country's arms suppliers are, per SIPRI period.

    The Herfindahl-Hirschman index (HHI, 0-10,000) is the sum of the squared percentage
    shares. Where some shares are not known, geobal gives bounds rather than a guess: from
    the known shares alone (the rest spread thin) to the known shares plus the unknown
    remainder held by one supplier. A trend is stated only where the bounds do not
    overlap. JSON carries every input share.

    By default the shares are India's, as SIPRI published them (the suppliers dataset).
    With --dataset and --recipient they are estimated from an imported trade register,
    for any recipient, every five-year period from --from to --to.

    Examples:
      $ geobal balance
      $ geobal balance --json
      $ geobal balance --sheet 2026 --fields period,known,hhi_low,hhi_high
      $ geobal balance --dataset transfers --recipient Pakistan
    """
    catalog = context_of(ctx).catalog
    if dataset is None:
        if recipient is not None:
            raise UsageError(
                "--recipient goes with --dataset (an imported trade register)",
                "the bundled shares are India's: geobal balance",
            )
        ds = catalog.get("suppliers")
        rows = (
            analysis.latest(ds.records, ("period", "supplier"), "sheet")
            if sheet is None
            else [r for r in ds.records if r["sheet"] == sheet]
        )
        period, supplier = ds.field_map["period"], ds.field_map["supplier"]
        who = "India"
    else:
        if recipient is None:
            raise UsageError("--dataset needs --recipient NAME: whose suppliers?")
        register = catalog.get(dataset)
        if "delivery_years" not in register.field_map:
            raise UsageError(
                f"{dataset!r} is not a SIPRI trade register",
                "import one with: geobal import trade-register.csv --as sipri",
            )
        who = sipri.named(register.records, "recipient", recipient)
        mine = [r for r in register.records if r.get("recipient") == who]
        last = end if end is not None else sipri.last_delivery(mine) or start + 4
        periods = sipri.windows(start, last)
        rows = sipri.period_shares(mine, periods)
        totals = sipri.spread(mine, start, last, "supplier")
        period = analysis.periods_field([label for label, _, _ in periods])
        supplier = analysis.parties_field(sorted(totals, key=lambda n: -totals[n]), "Supplier")
        context_of(ctx).say(sipri.ESTIMATE)
    frame = Frame(
        f"Concentration of {who}'s arms suppliers (HHI, 0-10,000)",
        analysis.balance_columns(period, supplier),
        analysis.balance(rows, period, supplier),
        ("period", "periods"),
        ("period", "top", "top_share", "unknown", "hhi_low", "hhi_high", "trend"),
    )
    list_frame(ctx, frame, opts)


@listing_options()
def brief(ctx: typer.Context, *, opts: Listing) -> None:
    """Where the balancing stands, on one screen, every line with its source ids.

    The article's takeaways, its top risks, the latest supplier shares and Russia's
    trend, the deals in progress, and the latest events. --format json or markdown gives
    the same content for a report.

    Examples:
      $ geobal brief
      $ geobal brief --format markdown
      $ geobal brief --json
    """
    context = context_of(ctx)
    names = ("takeaways", "risks", "suppliers", "imports", "deals", "events")
    frame = analysis.brief({name: context.catalog.get(name) for name in names})
    fmt = opts.output_format(context)
    if fmt in (Format.TABLE, Format.MARKDOWN) and opts.fields is None:
        emit_brief(context.env, frame, fmt, opts.colour(context))
    else:
        list_frame(ctx, frame, opts)
