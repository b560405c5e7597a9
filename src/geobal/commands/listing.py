"""Dataset commands: thin front doors (deals, risks, ...) and `query` for any dataset."""

from collections.abc import Callable
from typing import Annotated

import typer

from geobal.api import Op
from geobal.commands import _complete as complete
from geobal.commands._options import (
    ANY_OF,
    Listing,
    choice_option,
    context_of,
    filter_option,
    listing_options,
)
from geobal.commands._run import Result, listing


@listing_options(query=True)
def deals(
    ctx: typer.Context,
    sector: Annotated[
        list[str] | None,
        choice_option(
            "--sector", f"Only this sector: a code, label, alias or prefix. {ANY_OF}", "sector"
        ),
    ] = None,
    partner: Annotated[
        list[str] | None,
        choice_option("--partner", f"Only deals with this partner. {ANY_OF}", "partner"),
    ] = None,
    status: Annotated[
        list[str] | None,
        choice_option("--status", f"Only deals with this status. {ANY_OF}", "status"),
    ] = None,
    search: Annotated[
        str | None,
        filter_option("--search", "Only deals with TEXT in any field (any case).", metavar="TEXT"),
    ] = None,
    *,
    opts: Listing,
) -> Result:
    """Arms deals: the article's potential deals by sector, and the sourced deals behind them.

    Choice filters take a code, a label, an alias or an unambiguous prefix, in any case.

    Examples:
      $ geobal deals --sector air
      $ geobal deals --status signed --fields id,deal,year,value,value_unit
      $ geobal deals --partner israel
      $ geobal deals --json | jq '.[].id'
    """
    return listing(
        context_of(ctx),
        "deals",
        opts,
        [
            ("sector", Op.EQ, sector),
            ("partner", Op.EQ, partner),
            ("status", Op.EQ, status),
        ],
        search,
    )


@listing_options(query=True)
def risks(
    ctx: typer.Context,
    impact: Annotated[
        list[str] | None,
        choice_option("--impact", f"Only priorities with exactly this impact. {ANY_OF}", "impact"),
    ] = None,
    min_impact: Annotated[
        str | None,
        choice_option("--min-impact", "Only priorities with at least this impact.", "impact"),
    ] = None,
    *,
    opts: Listing,
) -> Result:
    """Priorities India weighs: potential impact and experts' advice, highest impact first.

    Examples:
      $ geobal risks
      $ geobal risks --min-impact high
      $ geobal risks --fields priority,impact,advice
    """
    return listing(
        context_of(ctx),
        "risks",
        opts,
        [("impact", Op.EQ, impact), ("impact", Op.GE, min_impact)],
    )


def front_door(name: str, help_text: str) -> Callable[..., Result]:
    """A command that lists one dataset with the shared query and output options."""

    @listing_options(query=True)
    def command(ctx: typer.Context, *, opts: Listing) -> Result:
        return listing(context_of(ctx), name, opts)

    command.__doc__ = help_text
    return command


factors = front_door(
    "factors",
    """Factors behind India's choices and their impact, as the article lists them.

    Examples:
      $ geobal factors --fields factor,impact
    """,
)
agenda = front_door(
    "agenda",
    """The areas the article expects to dominate the Modi-Putin talks.

    Examples:
      $ geobal agenda
    """,
)
considerations = front_door(
    "considerations",
    """The considerations specialists highlight, as the article reports them.

    Examples:
      $ geobal considerations
    """,
)
takeaways = front_door(
    "takeaways",
    """The article's key takeaways: short statements, each with the words it rests on.

    Examples:
      $ geobal takeaways
    """,
)


@listing_options(query=True)
def query(
    ctx: typer.Context,
    dataset: Annotated[
        str,
        typer.Argument(
            help="The dataset to query; `geobal datasets` lists them.",
            autocompletion=complete.datasets,
        ),
    ],
    *,
    opts: Listing,
) -> Result:
    """Query any dataset: filter with --where, sort, count and pick fields.

    Values in --where are typed by the field: numbers compare as numbers, dates as
    dates (date=2018 matches any day of 2018), levels by their scale.

    Examples:
      $ geobal query deals --where 'year>=2018' --sort year --fields id,deal,year
      $ geobal query watchlist --where 'priority>=medium'
      $ geobal query deals --count-by status
      $ geobal query sources --where quality=weak --fields id,publisher,url
    """
    return listing(context_of(ctx), dataset, opts)
