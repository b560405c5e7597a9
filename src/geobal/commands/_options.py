"""Options that listing commands share, declared once and attached by a decorator.

The decorator appends the shared parameters to a command's signature (as gh's
AddJSONFlags adds flags to a command) and hands them to the command gathered in one
`Listing` value, so each command declares only its own filters.
"""

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from geobal.commands import _complete as complete
from geobal.context import Context
from geobal.errors import UsageError
from geobal.formats import Color, Format

QUERY_PANEL = "Query options"
OUTPUT_PANEL = "Output options"
FILTER_PANEL = "Filters"


class Listing:
    """What the user asked of a listing: which records, in what order, in what form.
    (A plain class: a NamedTuple of these fields costs every run about 0.4 ms to
    define.)"""

    __slots__ = (
        "color",
        "count_by",
        "desc",
        "fields",
        "for_spreadsheet",
        "format",
        "json",
        "limit",
        "maxes",
        "means",
        "mins",
        "output",
        "pager",
        "sort",
        "sums",
        "where",
        "with_sources",
    )

    def __init__(
        self,
        where: tuple[str, ...] = (),
        sort: tuple[str, ...] = (),
        desc: bool = False,
        limit: int | None = None,
        count_by: str | None = None,
        sums: tuple[str, ...] = (),
        means: tuple[str, ...] = (),
        mins: tuple[str, ...] = (),
        maxes: tuple[str, ...] = (),
        fields: str | None = None,
        format: Format | None = None,
        json: bool = False,
        color: Color | None = None,
        with_sources: bool = False,
        pager: bool | None = False,
        output: Path | None = None,
        for_spreadsheet: bool = False,
    ) -> None:
        self.where = where
        self.sort = sort
        self.desc = desc
        self.limit = limit
        self.count_by = count_by
        self.sums = sums
        self.means = means
        self.mins = mins
        self.maxes = maxes
        self.fields = fields
        self.format = format
        self.json = json
        self.color = color
        self.with_sources = with_sources
        # page through $PAGER: True always (--pager), None where the output is longer
        # than the screen (show, unless --no-pager), False never
        self.pager = pager
        self.output = output  # draw the chart to this file (commands with charts)
        self.for_spreadsheet = for_spreadsheet

    @property
    def query(self) -> dict[str, Any]:
        """The query options, as geobal.api's query takes them."""
        return {
            "where": self.where,
            "sort": self.sort,
            "desc": self.desc,
            "limit": self.limit,
            "fields": self.fields,
            "count_by": self.count_by,
            "sum": self.sums,
            "mean": self.means,
            "min": self.mins,
            "max": self.maxes,
        }

    def output_format(self, context: Context, piped: Format = Format.TSV) -> Format:
        """The format the options ask for (`piped`, where none is asked, to a pipe or a
        file); a UsageError for options that ask for two, or that do not apply to it."""
        fmt = self._format(context, piped)
        if self.for_spreadsheet and fmt is not Format.CSV:
            raise UsageError(
                f"--for-spreadsheet makes CSV safe to open in a spreadsheet; {fmt} output "
                "is not CSV",
                "give it with --format csv",
            )
        return fmt

    def _format(self, context: Context, piped: Format) -> Format:
        charted = self.output is not None or self.format is Format.VEGA_LITE
        if charted and (self.fields is not None or self.grouped):
            raise UsageError(
                "a chart draws its figures whole: --fields, --count-by and the aggregates "
                "do not apply to --format vega-lite or --output",
                "leave them out, or use them with --json or --format csv",
            )
        if self.output is not None:
            if self.json or self.format not in (None, Format.VEGA_LITE):
                raise UsageError(
                    "--output draws the chart to a file, which --json and --format do not change",
                    "give --output FILE alone, or a --format for stdout",
                )
            return Format.VEGA_LITE
        if self.json and self.format not in (None, Format.JSON):
            raise UsageError(
                f"--json and --format {self.format} ask for different formats",
                "give only one of them",
            )
        if self.json:
            return Format.JSON
        if self.format is not None:
            return self.format
        # gh's rule: a table for people at a terminal, plain rows for pipes and files
        default = Format.TABLE if context.env.stdout_isatty else piped
        return context.config.format or default

    @property
    def aggregates(self) -> list[tuple[str, str]]:
        """(sum, mean, min or max; field name) for each aggregate asked for."""
        asked = (("sum", self.sums), ("mean", self.means), ("min", self.mins), ("max", self.maxes))
        return [(how, name) for how, names in asked for name in names]

    @property
    def grouped(self) -> bool:
        """Rows of groups rather than of records (--count-by or an aggregate)."""
        return self.count_by is not None or bool(self.aggregates)

    def colour(self, context: Context) -> Color:
        return self.color or context.config.color or Color.AUTO


DatasetArg = Annotated[
    str,
    typer.Argument(
        help="The dataset; `geobal datasets` lists them.", autocompletion=complete.datasets
    ),
]


# The help of a filter that may be repeated (commands.REPEATABLE), for a choice or level
# field: codes hold no comma, so a comma list is accepted too (query.alternatives).
ANY_OF = "Repeat it, or give a comma list, for any of several."
# for a filter on names that may hold a comma (SIPRI's "Korea, South")
ANY_OF_REPEATED = "Repeat it for any of several."


# (flag, help) of each option choice_option made -> the choice or level field it takes
VALUES_OF: dict[tuple[str, str], str] = {}


def choice_option(flag: str, help: str, field: str) -> Any:
    """A filter option that takes a value of the choice or level `field` of the command's
    dataset: completion offers the field's codes, and help lists them all, read from the
    data's schema when help is shown (helptext.written_values), so a value a dataset or a
    user's file adds is listed, and none is left out."""
    VALUES_OF[flag, help] = field
    return filter_option(flag, help, complete.choices(field))


def filter_option(
    flag: str,
    help: str,
    completion: Callable[[typer.Context, str], list[Any]] | None = None,
    metavar: str = "VALUE",
) -> Any:
    """A command's own filter option, such as --sector, in the Filters panel of its help."""
    return typer.Option(
        flag, help=help, rich_help_panel=FILTER_PANEL, metavar=metavar, autocompletion=completion
    )


SPREADSHEET_HELP = (
    "With --format csv: a file safe to open in a spreadsheet. A cell starting with =, +, "
    "-, @, a tab or a carriage return gets a leading ' so that it shows as text rather "
    "than running as a formula (numbers of number fields, such as -5, stay numbers), and "
    "every cell is quoted. Without it, CSV keeps the data's exact text."
)


def _option(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
    )


QUERY_OPTIONS = [
    _option(
        "where",
        Annotated[
            list[str] | None,
            typer.Option(
                "--where",
                "-w",
                metavar="EXPR",
                rich_help_panel=QUERY_PANEL,
                autocompletion=complete.where,
                help="Keep records where EXPR holds: FIELD=VALUE, or with !=, ~ (contains, any "
                "case), !~, <, <=, >, >=. Values are typed by the field. Repeat to require "
                "several.",
            ),
        ],
        None,
    ),
    _option(
        "sort",
        Annotated[
            list[str] | None,
            typer.Option(
                "--sort",
                "-s",
                metavar="FIELD",
                rich_help_panel=QUERY_PANEL,
                autocompletion=complete.sort,
                help="Sort by FIELD; repeat for ties; -FIELD sorts descending. Choices and levels "
                "sort in their declared order.",
            ),
        ],
        None,
    ),
    _option(
        "desc",
        Annotated[
            bool,
            typer.Option(
                "--desc",
                rich_help_panel=QUERY_PANEL,
                help="Reverse the order (of --sort, or of the default order).",
            ),
        ],
        False,
    ),
    _option(
        "limit",
        Annotated[
            int | None,
            typer.Option(
                "--limit",
                "-n",
                metavar="N",
                rich_help_panel=QUERY_PANEL,
                help="Show at most N rows (0: all).",
            ),
        ],
        None,
    ),
    _option(
        "count_by",
        Annotated[
            str | None,
            typer.Option(
                "--count-by",
                metavar="FIELD",
                rich_help_panel=QUERY_PANEL,
                autocompletion=complete.field,
                help="Count records by the values of FIELD: rows of FIELD and count.",
            ),
        ],
        None,
    ),
    *(
        _option(
            f"{how}s" if how != "max" else "maxes",
            Annotated[
                list[str] | None,
                typer.Option(
                    f"--{how}",
                    metavar="FIELD",
                    rich_help_panel=QUERY_PANEL,
                    autocompletion=complete.field,
                    help=f"{what} of FIELD per --count-by group, or over all the records; "
                    "empty values skipped. Repeatable.",
                ),
            ],
            None,
        )
        for how, what in (
            ("sum", "The sum"),
            ("mean", "The mean"),
            ("min", "The least value"),
            ("max", "The greatest value"),
        )
    ),
]

FIELDS_OPTION = _option(
    "fields",
    Annotated[
        str | None,
        typer.Option(
            "--fields",
            metavar="A,B",
            rich_help_panel=OUTPUT_PANEL,
            autocompletion=complete.fields,
            help="Show only these fields, in this order (comma-separated, each once).",
        ),
    ],
    None,
)


def format_help(chart: bool, record: bool = False) -> str:
    """--format's help: every format the command writes, named from Format; vega-lite,
    a chart's specification, only where the command draws a chart (the others refuse
    it, saying which commands draw one); the default off a terminal, which for a
    `record` (show) is its field: value lines."""
    text = [f.value for f in Format if f is not Format.VEGA_LITE]
    if chart:
        said = f"{', '.join(text)}, or {Format.VEGA_LITE.value} for a chart's specification"
    else:
        said = f"{', '.join(text[:-1])} or {text[-1]}"
    piped = "a field: value line each field" if record else "tsv"
    return f"{said}. Default: table on a terminal, {piped} otherwise."


def format_option(chart: bool, record: bool = False) -> inspect.Parameter:
    return _option(
        "format_",
        Annotated[
            Format | None,
            typer.Option(
                "--format",
                "-f",
                metavar="FORMAT",
                rich_help_panel=OUTPUT_PANEL,
                case_sensitive=False,
                help=format_help(chart, record),
            ),
        ],
        None,
    )


FORMAT_OPTIONS = [
    _option(
        "json_",
        Annotated[
            bool,
            typer.Option(
                "--json", rich_help_panel=OUTPUT_PANEL, help="Shortcut for --format json."
            ),
        ],
        False,
    ),
    _option(
        "for_spreadsheet",
        Annotated[
            bool,
            typer.Option(
                "--for-spreadsheet",
                rich_help_panel=OUTPUT_PANEL,
                help=SPREADSHEET_HELP,
            ),
        ],
        False,
    ),
    _option(
        "color",
        Annotated[
            Color | None,
            typer.Option(
                "--color",
                metavar="WHEN",
                rich_help_panel=OUTPUT_PANEL,
                case_sensitive=False,
                help="Colour in tables: auto (follows the terminal and NO_COLOR), always or never.",
            ),
        ],
        None,
    ),
]

WITH_SOURCES = _option(
    "with_sources",
    Annotated[
        bool,
        typer.Option(
            "--with-sources",
            rich_help_panel=OUTPUT_PANEL,
            help="Write each record's source entries out in full (json, jsonl, toml).",
        ),
    ],
    False,
)

# One option for every command that pages, both senses (--pager on a listing, --no-pager
# on show were each refused where the other was taken): None where neither is given.
PAGER = _option(
    "pager",
    Annotated[
        bool | None,
        typer.Option(
            "--pager/--no-pager",
            rich_help_panel=OUTPUT_PANEL,
            help="--pager: through the pager (GEOBAL_PAGER, else PAGER, else less) however "
            "short, a table with every row (tables stop at 200 otherwise); --no-pager: "
            "written as it is, however long (show pages what is longer than the screen).",
        ),
    ],
    None,
)

OUTPUT = _option(
    "output",
    Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            rich_help_panel=OUTPUT_PANEL,
            dir_okay=False,
            help="Draw the chart to FILE.svg or FILE.png for a report (needs the extra "
            "geobal[charts]); --format vega-lite prints its specification instead.",
        ),
    ],
    None,
)

_RENAMED = {"format_": "format", "json_": "json"}


@functools.cache  # one list each set of options: a module's commands mostly share one
def _shared(query: bool, fields: bool, chart: bool, pages: bool) -> tuple[inspect.Parameter, ...]:
    """The shared options of a command, in the order its help lists them."""
    shared = (QUERY_OPTIONS if query else []) + ([FIELDS_OPTION] if fields else [])
    shared += [format_option(chart, record=pages), *FORMAT_OPTIONS, WITH_SOURCES]
    shared += [PAGER] if query or pages else []
    shared += [OUTPUT] if chart else []
    return tuple(shared)


def listing_options(
    *, query: bool = False, fields: bool = True, chart: bool = False, pages: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a command the shared output options (and the query options when `query`,
    --output when it draws a chart; with `pages`, output longer than the screen goes
    through the pager, and --no-pager stops it); the command receives them as the
    keyword argument `opts: Listing`, and its Result is written as they ask."""
    shared = _shared(query, fields, chart, pages)

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(func, eval_str=True)
        own = [p for p in signature.parameters.values() if p.name != "opts"]

        @functools.wraps(func)
        def command(*args: Any, **kwargs: Any) -> Any:
            given = {_RENAMED.get(p.name, p.name): kwargs.pop(p.name) for p in shared}
            for name in ("where", "sort", "sums", "means", "mins", "maxes"):
                if name in given:
                    given[name] = tuple(given[name] or ())
            if given.get("pager", False) is None:
                # neither given: show pages what is longer than the screen, a listing not
                given["pager"] = None if pages else False
            opts = Listing(**given)
            result = func(*args, opts=opts, **kwargs)
            return result.written_as(opts)

        params = [*own, *shared]
        command.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in params}
        return command

    return decorate


def context_of(ctx: typer.Context) -> Context:
    """The run's Context, which the root callback stored on Typer's context."""
    obj = ctx.find_root().obj
    assert isinstance(obj, Context), "the root callback builds the Context"
    return obj
