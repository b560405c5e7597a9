"""Record commands: `show` one record with its sources, `search` every dataset."""

from typing import Annotated

import typer

from geobal.commands import _complete as complete
from geobal.commands._options import DatasetArg, Listing, context_of, listing_options
from geobal.commands._run import Result, answer


@listing_options(fields=False, pages=True)
def show(
    ctx: typer.Context,
    dataset: DatasetArg,
    record_id: Annotated[
        str, typer.Argument(metavar="ID", help="The record's id.", autocompletion=complete.ids)
    ],
    *,
    opts: Listing,
) -> Result:
    """One record in full, with the sources it cites written out.

    For a source, the records that cite it. On a terminal, a record longer than the
    screen goes through the pager (--no-pager to stop it); in a pipe or a file, it is a
    `field: value` line for each field with a value, then its sources the same way.

    Examples:
      $ geobal show deals s-400
      $ geobal show sources article
    """
    return answer(context_of(ctx).api.show(dataset, record_id))


@listing_options()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="The text to look for, in any case.")],
    datasets: Annotated[
        list[str] | None,
        typer.Option(
            "--dataset",
            "-d",
            metavar="NAME",
            autocompletion=complete.datasets,
            help="Look only in this dataset; repeat for several. Default: every dataset "
            "but those a SIPRI import made.",
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", metavar="N", help="Show at most N matches (0: all)."),
    ] = None,
    everything: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Look in every dataset, those a SIPRI import made (registers, volume tables) too.",
        ),
    ] = False,
    *,
    opts: Listing,
) -> Result:
    """Every record that contains TEXT, with where it was found and the record's own words.

    It looks in the bundled datasets and your own; those a SIPRI import made (the
    trade register, volume tables) only with --all or --dataset NAME, and on a
    terminal it says which it left out. How many matched in each dataset goes to
    stderr, on a terminal or when --limit leaves some out. Each match shows its
    record's date, where it has one; a table shows the record's words and the fields
    that matched; the other formats also give the text that matched, where those do
    not hold it.

    Examples:
      $ geobal search S-400
      $ geobal search russia --dataset deals --dataset events --limit 10
      $ geobal search S-400 --all
    """
    found = context_of(ctx).api.search(text, datasets or (), limit, opts.fields, everything)
    return answer(found)
