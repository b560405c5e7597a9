"""Commands about the data itself: which datasets exist, their schemas, their sources,
and whether their files are sound."""

from pathlib import Path
from typing import Annotated

import typer

from geobal.commands import _complete as complete
from geobal.commands._options import DatasetArg, Listing, context_of, listing_options
from geobal.commands._run import Result, answer
from geobal.errors import ExitCode


@listing_options()
def datasets(ctx: typer.Context, *, opts: Listing) -> Result:
    """The datasets geobal can query, with their size and when they were last updated.

    "Facts as of" is the date a dataset's facts run to: what happened later is not in it.

    Examples:
      $ geobal datasets
    """
    return answer(context_of(ctx).api.datasets(fields=opts.fields))


@listing_options()
def schema(
    ctx: typer.Context,
    dataset: DatasetArg,
    field: Annotated[
        str | None,
        typer.Argument(
            help="A choice or level field: list its values, what each means, and which "
            "file of yours added it.",
            autocompletion=complete.field,
            show_default=False,
        ),
    ] = None,
    *,
    opts: Listing,
) -> Result:
    """The fields of a dataset: type, whether required, allowed values and meaning.

    A level's values are its scale, lowest first. With FIELD, that field's values.

    Examples:
      $ geobal schema deals
      $ geobal schema events kind
    """
    return answer(context_of(ctx).api.describe(dataset, field, fields=opts.fields))


@listing_options(query=True)
def sources(
    ctx: typer.Context,
    cited_by: Annotated[
        list[str] | None,
        typer.Option(
            "--dataset",
            "-d",
            metavar="NAME",
            autocompletion=complete.datasets,
            help="Only the sources that records of dataset NAME cite; repeat it for the "
            "sources any of several cite.",
        ),
    ] = None,
    *,
    opts: Listing,
) -> Result:
    """The sources behind the data: title, publisher, date, URL and quality.

    Examples:
      $ geobal sources --dataset risks
    """
    return answer(context_of(ctx).api.sources(cited_by or (), narrow=True, **opts.query))


def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to check, or datasets by name (a path that exists wins); "
            "every dataset when none is given."
        ),
    ] = None,
) -> Result:
    """Check dataset files and report every problem, not just the first.

    TOML syntax errors read file:line:col: message; schema problems read
    file: record ID: field: message (wrong type, unknown choice with the valid ones,
    missing required field, duplicate id, unknown field, a source id that does not
    exist). Where events name deals, also a deal with no status_date though a
    source it cites is dated, and a deal whose status a later event contradicts
    (a delivery dated after a "signed" status, say), naming the deal, the event and
    both dates. Exits 1 when there is any.

    Examples:
      $ geobal validate
      $ geobal validate watchlist
    """
    checked = context_of(ctx).api.validate(paths or ())
    code = ExitCode.ERROR if len(checked) else ExitCode.OK
    return Result(checked.view, after=checked.notes, code=code)
