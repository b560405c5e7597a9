"""Commands on the balancing itself: the timeline, supplier shares, their concentration,
and the one-screen brief."""

from typing import Annotated

import typer

from geobal.analysis import brief as briefing
from geobal.analysis import concentration, country, published, register
from geobal.analysis.compare import parse_periods, side_by_side
from geobal.analysis.parties import SUCCESSORS, successor
from geobal.api import Op
from geobal.commands import _complete as complete
from geobal.commands._options import (
    ANY_OF,
    ANY_OF_REPEATED,
    Listing,
    context_of,
    filter_option,
    listing_options,
)
from geobal.commands._run import Result, listing, selected
from geobal.commands.register import Dataset as RegisterOption
from geobal.commands.register import Partial, Successors, compared, open_register
from geobal.errors import UsageError
from geobal.formats import Format
from geobal.model import Record
from geobal.names import Names, resolve
from geobal.schema import cited as cited_by
from geobal.views import Chart, Figure, Frame


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
        filter_option(
            "--kind",
            f"Only events of this kind (contract, sanction, summit, tariff, ...). {ANY_OF}",
            complete.choices("kind"),
        ),
    ] = None,
    *,
    opts: Listing,
) -> Result:
    """Dated events, oldest first: deals, deliveries, sanctions, summits, tariffs.

    Examples:
      $ geobal timeline --since 2024
      $ geobal timeline --actor "united states" --kind sanction
      $ geobal timeline --actor china --actor pakistan --kind contract,delivery
      $ geobal timeline --until 2018 --json
    """
    context = context_of(ctx)
    if since is not None and until is not None:
        from geobal.fieldtypes import date_span

        # (a date that is none is said by the filter itself)
        if (first := date_span(since)) and (last := date_span(until)) and first[0] > last[1]:
            raise UsageError(f"--since {since} is after --until {until}", "swap them")
    ds = context.catalog.get("events")
    who: tuple[str, ...] = ()
    if actor:
        names = Names.of(
            str(a) for r in ds.records if isinstance(v := r.get("actors"), list) for a in v
        )
        who = tuple(resolve("actor", a, names, prefix=True) for a in actor)
    return listing(
        context,
        ds,
        opts,
        [
            ("date", Op.GE, since),
            ("date", Op.LE, until),
            ("actors", Op.EQ, who),
            ("kind", Op.EQ, kind),
        ],
    )


@listing_options(query=True, chart=True)
def suppliers(
    ctx: typer.Context,
    period: Annotated[
        list[str] | None,
        filter_option(
            "--period",
            f"Only this SIPRI period, such as 2019-23. {ANY_OF}",
            complete.choices("period"),
        ),
    ] = None,
    supplier: Annotated[
        list[str] | None,
        filter_option(
            "--supplier",
            f"Only this supplier (russia, france, united-states, israel). {ANY_OF}",
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
      $ geobal suppliers
      $ geobal suppliers --compare 2014-18,2019-23
      $ geobal suppliers --supplier russia --no-chart
      $ geobal suppliers --period 2016-20 --sheet 2021 --json
      $ geobal suppliers --output suppliers.svg
    """
    context = context_of(ctx)
    catalog = context.catalog
    ds = published.suppliers(catalog.get("suppliers"))
    supplier_field = ds.field_map["supplier"]
    if compare is not None:
        ignored = [
            flag
            for flag, given in (
                ("--period", bool(period)),
                ("--supplier", bool(supplier)),
                ("--where", bool(opts.where)),
                ("--sort", bool(opts.sort) or opts.desc),
                ("--limit", opts.limit is not None),
                ("--count-by and the aggregates", opts.grouped),
            )
            if given
        ]
        if ignored:
            raise UsageError(
                f"--compare gives a table of its own, which {', '.join(ignored)} do not apply to",
                "leave them out (--fields picks columns; --json gives every row for a script)",
            )
        labels, figures, releases = published.compare(ds, parse_periods(compare), sheet)
        cited = sorted({s for f in figures.values() for r in f.values() for s in cited_by(r)})
        frame = side_by_side(
            supplier_field,
            labels,
            figures,
            title=f"India's arms imports by supplier, {' against '.join(labels)}: "
            "shares as SIPRI published them",
            caption=f"{releases} A supplier with no share shown had none found. {PUBLISHED}",
            notes=(f"Sources: {', '.join(cited)}",),
        )
        return compared(context, opts, frame, supplier_field, labels, chart)
    if sheet is None:
        ds = ds.with_records(published.shares(ds))
    filters = [
        ("period", Op.EQ, period),
        ("supplier", Op.EQ, supplier),
        ("sheet", Op.EQ, None if sheet is None else str(sheet)),
    ]
    frame = context.api._run(ds, {**opts.query, "filters": filters}).frame
    drawn = opts.fields is None and not opts.grouped
    if drawn:
        cited = sorted({s for r in frame.rows for s in cited_by(r)})
        frame = frame._replace(
            figure=Figure(
                "period",
                "share",
                color="supplier",
                y_title="Share of India's arms imports (%)",
                percent=True,
                notes=(
                    f"Sources: {', '.join(cited)}",
                    f"Every share from SIPRI's {sheet} release."
                    if sheet is not None
                    else "Each share as its latest SIPRI release gives it (releases revise "
                    "past periods).",
                    PUBLISHED,
                ),
            )
        )
    if not (chart and drawn and frame.rows and opts.output_format(context) is Format.TABLE):
        return Result(frame)
    places = published.places(published.imports(catalog.get("imports")), sheet)
    groups = published.supplier_bars(frame.rows, ds.field_map["period"], supplier_field, places)
    title = f"{frame.title}: share of India's imports"
    return Result(Chart(title, groups, frame, ("period", "periods")))


# the credit line of a chart of the shares SIPRI itself published (the bundled data)
PUBLISHED = "Shares as SIPRI published them (SIPRI Arms Transfers Database), as the sources report."


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
      $ geobal balance
      $ geobal balance --json
      $ geobal balance --sheet 2026 --fields period,known,hhi_low,hhi_high
      $ geobal balance --dataset transfers --recipient Pakistan
      $ geobal balance --output balance.svg
    """
    catalog = context_of(ctx).catalog
    notes: tuple[str, ...] = ()
    if dataset is None:
        if recipient is not None:
            raise UsageError(
                "--recipient goes with --dataset (an imported trade register)",
                "the bundled shares are India's: geobal balance",
            )
        ds = published.suppliers(catalog.get("suppliers"))
        rows = published.shares(ds, sheet)
        period, supplier = ds.field_map["period"], ds.field_map["supplier"]
        who, caption = "India", ""
        cited = sorted({s for r in rows for s in cited_by(r)})
        source = f"Sources: {', '.join(cited)}. {PUBLISHED}"
    else:
        if recipient is None:
            raise UsageError("--dataset needs --recipient NAME: whose suppliers?")
        reg = open_register(catalog, dataset)
        named = register.named(reg, "recipient", recipient)
        joined = SUCCESSORS if successors else None
        mine = register.of(reg, "recipient", named, joined, (*register.FLOWS, "sources"))
        last = end if end is not None else (reg.covers or (0, start + 4))[1]
        span = register.span(reg.covers, start, last, partial, f"{dataset!r}")
        periods = register.windows(span.first, span.last)
        if not periods:
            raise UsageError(
                f"{span.first}-{span.last} is shorter than a five-year period",
                "give --from and --to five or more years apart",
            )
        rows, period, supplier = register.balance_inputs(reg, mine, periods, joined)
        notes = (reg.how,)
        who = successor(named, joined)
        caption = register.caption(reg, span)
        source = register.source_line(reg, dataset)
    found = concentration.balance(rows, period, supplier)
    frame = Frame(
        f"Concentration of {who}'s arms suppliers (HHI, 0-10,000)",
        concentration.balance_columns(period, supplier),
        found,
        ("period", "periods"),
        concentration.BALANCE_TABLE,
        "\n".join(c for c in (caption, concentration.uncertain(found)) if c),
        Figure(
            "period",
            "hhi_low",
            y2="hhi_high",
            y_title="HHI (0-10,000), from its lower to its upper bound",
            notes=(
                "Each bar spans the index from the known shares alone (the rest spread "
                "thin) to the known shares plus the unknown remainder held by one supplier.",
                source,
            ),
        ),
    )
    return selected(frame, opts)._replace(notes=notes)


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
    their concentration, the largest deliveries and the orders still to come.

    Examples:
      $ geobal brief
      $ geobal brief --format markdown
      $ geobal brief --recipient Pakistan --dataset transfers
      $ geobal brief --recipient India --format markdown
    """
    catalog = context_of(ctx).catalog
    if recipient is None and (dataset != "transfers" or successors):
        raise UsageError(
            "--dataset and --successors go with --recipient: the brief on a country from a "
            "register",
            "geobal brief alone is India's, from the bundled data",
        )
    if recipient is None:
        report = briefing.brief(catalog.get)
    else:
        reg = open_register(catalog, dataset)
        named = register.named(reg, "recipient", recipient)
        shown: list[tuple[str, Record]] = []
        label, as_of = "", None
        if named == "India" and reg.covers is not None:  # the bundled data are India's
            last = reg.covers[1]
            label = f"{last - 4}-{last % 100:02d}"
            bundled = catalog.get("suppliers")
            shown, as_of = published.published_rows(bundled, label), bundled.as_of
        joined = SUCCESSORS if successors else None
        report = country.brief(reg, named, dataset, joined, shown, label, as_of)
    if opts.fields is not None:
        return selected(report.frame, opts)
    return Result(report)
