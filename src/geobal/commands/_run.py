"""What a command hands back (a Result), and the one place that writes it: the view in
the chosen format on stdout, notes for people on stderr, and the exit code."""

import functools
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import typer

from geobal.commands._options import Listing, context_of
from geobal.context import Context
from geobal.errors import ExitCode, UsageError
from geobal.formats import Format
from geobal.model import Dataset
from geobal.render import Output, captions, draw, emit, piped_format
from geobal.views import Frame, View

if TYPE_CHECKING:
    from geobal import api
    from geobal.api import Filter

TABLE_ROWS = 200  # a table's rows when no --limit is given


class Result:
    """What a command hands back. (A plain class: a NamedTuple costs every run about
    0.3 ms to define.)"""

    __slots__ = ("after", "aside", "code", "notes", "opts", "view")

    def __init__(
        self,
        view: View | None = None,
        notes: tuple[str, ...] = (),
        after: tuple[str, ...] = (),
        code: ExitCode = ExitCode.OK,
        opts: Listing | None = None,
        aside: tuple[str, ...] = (),
    ) -> None:
        self.view = view  # what goes to stdout, in the format the options ask for
        self.notes = notes  # lines for people, on stderr, before the view
        self.after = after  # and after it
        self.code = code
        self.opts = opts  # the output options, for commands that have them
        self.aside = aside  # notes for a person at a terminal only

    def written_as(self, opts: Listing) -> "Result":
        """The same result, to be written as `opts` ask."""
        return Result(self.view, self.notes, self.after, self.code, opts, self.aside)


def answer(result: "api.Result") -> Result:
    """What the library answered, as a command hands it over: its view, its notes."""
    return Result(result.view, notes=result.notes, aside=result.aside)


def deliver(context: Context, result: Result) -> None:
    opts = result.opts or Listing()
    drawn = result.view is not None and opts.output is not None
    out = output(context, opts, result.view) if result.view is not None and not drawn else None
    # the one place notes are said: each once, and on a terminal, which shows stderr and
    # stdout together, not where the view shows it already (a caption under a table);
    # stdout to a file or a pipe is not read with stderr, which says them all
    shown: tuple[str, ...] = ()
    if out is not None and result.view is not None and context.env.stdout_isatty:
        shown = captions(out, result.view)
    for note in result.notes:
        if not any(note in line for line in shown):
            context.say(note)
    if context.env.stdout_isatty:
        for note in result.aside:
            context.say(note)
    if result.view is not None and opts.output is not None:
        opts.output_format(context)  # refuses output options a chart does not take
        draw(result.view, opts.output)
        context.say(f"wrote {opts.output}")
    elif result.view is not None and out is not None:
        emit(out, result.view)
    for line in result.after:
        context.say(line)
    if result.code is not ExitCode.OK:
        raise typer.Exit(result.code)


def output(context: Context, opts: Listing, view: View | None = None) -> Output:
    """How the options ask for `view` to be written."""
    fmt = opts.output_format(context, piped_format(view))
    sources = None
    if opts.with_sources:
        if fmt not in (Format.JSON, Format.JSONL, Format.TOML):
            raise UsageError(
                f"--with-sources does not apply to {fmt} output",
                "use it with --json, --format jsonl or --format toml (show includes the "
                "sources in every format)",
            )
        sources = context.api.source_index()
    cap = TABLE_ROWS if opts.limit is None and not opts.pager else None
    colour = opts.colour(context)
    asked = opts.json or opts.format is not None
    return Output(context.env, fmt, colour, sources, opts.pager, cap, opts.for_spreadsheet, asked)


def query_dataset(
    context: Context,
    dataset: str | Dataset,
    opts: Listing,
    filters: Iterable["Filter"] = (),
    search: str | None = None,
    narrow: bool = False,
) -> Frame:
    """The frame the listing options ask for; `narrow` as in Geobal.query."""
    return context.api.query(
        dataset, search=search, filters=filters, narrow=narrow, **opts.query
    ).frame


def listing(
    context: Context,
    dataset: str | Dataset,
    opts: Listing,
    filters: Iterable["Filter"] = (),
    search: str | None = None,
) -> Result:
    """Filter, sort and show one dataset, as every dataset command does."""
    # narrowed: the frame is rendered and nothing else, so its rows need only the
    # fields it reads and shows
    return Result(query_dataset(context, dataset, opts, filters, search, narrow=True))


def delivered(function: Callable[..., Result | None]) -> Callable[..., None]:
    """A command whose Result is written by `deliver`: what build() makes of every
    command function (and command groups of their subcommands)."""

    @functools.wraps(function)
    def command(*args: Any, **kwargs: Any) -> None:
        result = function(*args, **kwargs)
        if result is not None:
            ctx = kwargs.get("ctx") or next(a for a in args if isinstance(a, typer.Context))
            deliver(context_of(ctx), result)

    return command
