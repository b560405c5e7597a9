"""Commands that move data in and out: import and export. The work is geobal.transfer's."""

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from geobal import api
from geobal.commands import _complete as complete
from geobal.commands._options import SPREADSHEET_HELP, context_of
from geobal.commands._run import Result, answer
from geobal.context import Context
from geobal.errors import DataError, UsageError

if TYPE_CHECKING:
    from geobal.transfer import Progress

_READ = api.read_formats()
_EXPORTS = api.export_formats()


def _choice(name: str, among: Iterable[str]) -> type[StrEnum]:
    """A closed choice of these names, as an option takes it."""
    return StrEnum(name, [(n.upper().replace("-", "_"), n) for n in among])  # type: ignore[return-value]


def _listed(names: Sequence[str]) -> str:
    """Names as a sentence lists them: "csv, json or toml"."""
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else "".join(names)


# What import reads, export writes and --as names, as closed choices (for mypy, the
# name a choice is).
if TYPE_CHECKING:
    ReadFormat = str
    ExportFormat = str
    Shape = str
else:
    ReadFormat = _choice("ReadFormat", [c.name for c in _READ])
    ExportFormat = _choice("ExportFormat", [c.name for c in _EXPORTS])
    Shape = _choice("Shape", api.import_shapes())


def import_(
    ctx: typer.Context,
    file: Annotated[
        str,
        typer.Argument(
            help=f"A {', '.join(c.title for c in _READ[:-1])} or {_READ[-1].title} file, "
            "or - for standard input."
        ),
    ],
    into: Annotated[
        str | None,
        typer.Option(
            "--into",
            metavar="DATASET",
            autocompletion=complete.datasets,
            help="The dataset the rows go into (with --as: transfers, or tiv).",
        ),
    ] = None,
    as_: Annotated[
        Shape | None,
        typer.Option(
            "--as",
            help="Read a SIPRI export as SIPRI publishes it: sipri for the trade "
            "register, sipri-tiv for a volume table (imports or exports), sipri-milex for "
            "the military expenditure workbook (.xlsx). The dataset is replaced whole.",
        ),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="COLUMN=FIELD",
            help="Read COLUMN as FIELD. Repeat it for each column; a column once.",
        ),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source", metavar="ID", help="Cite this source in rows that name none. Repeatable."
        ),
    ] = None,
    format_: Annotated[
        ReadFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"The file's format: {_listed([c.name for c in _READ])}. By default its extension "
            "tells, and standard input is read as CSV.",
        ),
    ] = None,
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            metavar="CHAR",
            help="What separates a CSV file's cells: a character, or tab. By default "
            "the header tells (',', ';' or tabs), and where it cannot be told for sure "
            "the import stops and asks.",
        ),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace records whose id exists already.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Write even where geobal refuses: a read-only file of yours, or (with --as) "
            "a SIPRI export more than 1% of whose lines cannot be read (they are listed, "
            "and left out).",
        ),
    ] = False,
    allow_smaller: Annotated[
        bool,
        typer.Option(
            "--allow-smaller",
            help="With --as: replace the dataset though the export holds less than half "
            "its records.",
        ),
    ] = False,
) -> Result:
    """Import rows from a file into a dataset: all of them, or none.

    Every row is checked first; if any fails, the report lists every failing row and
    field, and nothing is written.

    CSV and TSV values are text, typed by the dataset's fields (lists separated by
    ';'); a CSV file separated by ';' or tabs is read so, and the import says so; TSV's
    backslash escapes are read back. JSON values may be typed already. A row without
    an id gets one from its first text field; with --replace, that id may name the
    record the row replaces.

    With --as sipri, a SIPRI trade register is read as SIPRI exports it, the legacy
    register or the per-year export (told apart by their headers; notes, '?' columns,
    Latin-1, records broken across two lines), into the dataset transfers, replacing it;
    the report says which it read and accounts for every line. Only a dataset such an
    import made is replaced, never by an export with no data, and not by one holding
    less than half its records unless --allow-smaller. Without --as, a SIPRI export is
    recognised by its notes and header, and read as its --as would; a SIPRI header with
    its notes cut off is not, and the import says which --as to add. With --as
    sipri-tiv, SIPRI's import-volume table goes into tiv and its export-volume table
    into tiv-exports; a table SIPRI filtered to one partner (its last row 'Total imports
    from China') goes beside them, as tiv-imports-from-china, and is never read as the
    world's.

    Examples:
      $ geobal export watchlist --format csv | geobal import - --into watchlist --replace
      $ geobal import trade-register.csv --as sipri
      $ geobal import import-export-values_1950-2024.csv --as sipri-tiv
    """
    context = context_of(ctx)
    given: Path | bytes = Path(file)
    if file == "-":
        read = context.env.read_stdin()
        if read is None:
            raise DataError(
                "standard input is closed: there is nothing to read",
                "pipe the rows in, or give the file to read",
            )
        given = read
    mapping: dict[str, str] = {}
    for item in map_ or []:
        column, eq, target = item.partition("=")
        if not eq:
            raise UsageError(f"malformed --map {item!r}", "expected COLUMN=FIELD")
        column, target = column.strip(), target.strip()
        if column in mapping:
            raise UsageError(
                f"--map gives the column {column!r} twice "
                f"({column}={mapping[column]} and {column}={target})",
                "map each column once",
            )
        mapping[column] = target
    result = context.api.import_(
        given,
        into,
        as_=None if as_ is None else str(as_),
        mapping=mapping,
        sources=source or (),
        replace=replace,
        format=str(format_) if format_ else None,
        delimiter=delimiter,
        force=force,
        allow_smaller=allow_smaller,
        name=file,
        progress=_progress(context),
    )
    return answer(result)


class _Terminal:
    """On a terminal's stderr: a bar over many rows, a spinner for each phase after."""

    def __init__(self, context: Context) -> None:
        self.context = context

    def rows(self, items: Sequence[Any], what: str = "checking rows") -> Iterable[Any]:
        if len(items) < 200:
            return items
        from rich.console import Console
        from rich.progress import track

        env = self.context.env
        console = Console(file=env.stderr, force_terminal=True, width=env.width)
        return track(items, description=what, console=console, transient=True)

    def phase(self, what: str) -> AbstractContextManager[object]:
        return self.context.busy(what)


def _progress(context: Context) -> "Progress | None":
    """Progress on stderr for imports at a terminal; none otherwise."""
    return _Terminal(context) if context.env.stderr_isatty else None


def export(
    ctx: typer.Context,
    datasets: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="DATASET",
            help="The dataset; `geobal datasets` lists them. With --format sqlite or "
            "parquet, any number of them, and every dataset when none is named.",
            autocompletion=complete.datasets,
        ),
    ] = None,
    format_: Annotated[
        ExportFormat | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="toml: a dataset file geobal reads back; or "
            f"{_listed([c.name for c in _EXPORTS if c.writes_text and c.name != 'toml'])}"
            ": its records; sqlite: a database (with its Datasette metadata beside it); "
            "parquet: a file a dataset (needs the extra geobal[parquet]). "
            "Default: what --output's extension names (.db for sqlite), else toml.",
        ),
    ] = None,
    output: Annotated[
        str | None,  # as typed: - is standard output, and ./- a file of that name
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (atomically) instead of standard output; - is standard "
            "output. For parquet, a folder (a file a dataset), or FILE.parquet for one.",
        ),
    ] = None,
    for_spreadsheet: Annotated[
        bool, typer.Option("--for-spreadsheet", help=SPREADSHEET_HELP)
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace a file there (sqlite and parquet replace one they wrote without it).",
        ),
    ] = False,
) -> Result:
    """A whole dataset, bundled and your records merged, as a file to keep or share.

    CSV keeps every value's exact text, so that importing it gives the same records;
    --for-spreadsheet writes it for a spreadsheet instead. SQLite and Parquet take many
    datasets at once, typed, with their sources and credit, for Datasette, sqlite3,
    DuckDB, polars and Spark.

    Examples:
      $ geobal export watchlist --format csv | geobal import - --into watchlist --replace
      $ geobal export --format sqlite -o geobal.db
      $ geobal export deals risks --format parquet -o parquet
    """
    result = context_of(ctx).api.export(
        datasets or (), format_, output, for_spreadsheet=for_spreadsheet, force=force
    )
    return answer(result)


def fetch(
    ctx: typer.Context,
    source: Annotated[
        str, typer.Argument(metavar="SOURCE", help="Where to fetch from: sipri.")
    ] = "sipri",
    start: Annotated[
        int, typer.Option("--from", metavar="YEAR", help="First year of deliveries.")
    ] = 1950,
    end: Annotated[
        int | None,
        typer.Option("--to", metavar="YEAR", help="Last year of deliveries (default: last year)."),
    ] = None,
    into: Annotated[
        str,
        typer.Option(
            "--into", metavar="DATASET", autocompletion=complete.datasets, help="The dataset."
        ),
    ] = "transfers",
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            metavar="URL",
            help="The backend to ask (else GEOBAL_SIPRI_URL, else SIPRI's own).",
        ),
    ] = None,
    refresh: Annotated[
        bool,
        typer.Option("--refresh", help="Ask the backend again, though a reply is kept."),
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", metavar="SECONDS", help="How long to wait an answer.")
    ] = 120.0,
    force: Annotated[
        bool,
        typer.Option("--force", help="Import even when more than 1% of the lines do not read."),
    ] = False,
    allow_smaller: Annotated[
        bool,
        typer.Option(
            "--allow-smaller",
            help="Replace the dataset though the reply holds less than half its records.",
        ),
    ] = False,
) -> Result:
    """Fetch SIPRI's per-year export from its backend, keep it, and import it.

    The backend is asked for the trade register of deliveries in --from to --to, as
    SIPRI's web application asks it; the reply is decoded, imported as --into (replacing
    it, as `import --as sipri` does), and kept beside it as a CSV file. The backend is
    slow: the last good reply to the same request is kept, and used again unless
    --refresh. Nothing is written unless the whole reply decoded and imported.

    Examples:
      $ geobal fetch sipri --from 2000 --to 2001 --into sipri-2000
    """
    result = context_of(ctx).api.fetch(
        source,
        start=start,
        end=end,
        into=into,
        url=url,
        refresh=refresh,
        timeout=timeout,
        force=force,
        allow_smaller=allow_smaller,
        progress=_progress(context_of(ctx)),
    )
    return answer(result)
