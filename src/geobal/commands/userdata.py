"""Commands for the user's own data: new, add, remove, import, export, validate, config
and paths. The work is done in geobal.userdata; these turn options into calls."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from geobal import userdata
from geobal.commands import _complete as complete
from geobal.commands._options import Listing, context_of, listing_options
from geobal.commands._run import list_frame
from geobal.config import SETTINGS, set_value
from geobal.context import Context
from geobal.errors import DataError, ExitCode, UsageError
from geobal.model import Field, FieldType, Frame, Record
from geobal.render import write
from geobal.render.text import visible

DatasetArg = Annotated[
    str,
    typer.Argument(
        help="The dataset; `geobal datasets` lists them.", autocompletion=complete.datasets
    ),
]


def new(
    ctx: typer.Context,
    dataset: Annotated[
        str, typer.Argument(help="The new dataset's name: lower-case letters, digits, - and _.")
    ],
    field: Annotated[
        list[str] | None,
        typer.Option(
            "--field",
            metavar="NAME:TYPE",
            help="A field: NAME:TYPE with TYPE one of text, integer, number, date, list; or "
            "NAME:choice=a,b,c or NAME:level=low,medium,high (a level is ordered). Add ! after "
            "the type for a required field. Repeat for each field.",
        ),
    ] = None,
    title: Annotated[str | None, typer.Option("--title", help="The dataset's title.")] = None,
) -> None:
    """Create a dataset of your own: a TOML file with its schema, in your data folder.

    Its key field is id; every record also cites its sources (ids in `geobal sources`).

    Examples:
      $ geobal new watchlist --field item:text! --field priority:level=low,medium,high
      $ geobal new orders --field partner:text! --field year:integer --field tags:list
    """
    context = context_of(ctx)
    path = userdata.scaffold(context.catalog, dataset, field or [], title)
    context.say(f"created {path}")


def add(
    ctx: typer.Context,
    dataset: DatasetArg,
    set_: Annotated[
        list[str],
        typer.Option(
            "--set",
            metavar="FIELD=VALUE",
            help="A field's value; lists take items separated by ';'. Repeat for each field. "
            "Without --set id=..., the id comes from the first text field.",
        ),
    ],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace the record with this id (yours, or a bundled one, "
            "which yours then overrides).",
        ),
    ] = False,
) -> None:
    """Add a record to a dataset, in your file for it; prints the record's id.

    The record is checked against the dataset's schema and its sources must exist;
    nothing is written otherwise. Your comments and layout in the file are kept.

    Examples:
      $ geobal add watchlist --set item=S-400 --set priority=high --set sources=pravda-s400
      $ geobal add sources --set id=my-notes --set quality=weak --set about="My reading notes"
    """
    context = context_of(ctx)
    written = userdata.add(context.catalog, dataset, set_, replace)
    rid = (written.added or written.replaced)[0]
    verb = "added" if written.added else "replaced"
    context.say(f"{verb} {rid} in {written.path}")
    print(rid, file=context.env.stdout)


def remove(
    ctx: typer.Context,
    dataset: DatasetArg,
    record_id: Annotated[str, typer.Argument(metavar="ID", help="The record's id.")],
) -> None:
    """Remove one of your records. Bundled records cannot be removed.

    Examples:
      $ geobal remove watchlist s-400
    """
    context = context_of(ctx)
    path, revealed = userdata.remove(context.catalog, dataset, record_id)
    context.say(f"removed {record_id} from {path}")
    if revealed:
        context.say(f"the bundled record {record_id} shows again")


class ImportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    TOML = "toml"


class Export(StrEnum):
    SIPRI = "sipri"
    SIPRI_TIV = "sipri-tiv"


def import_(
    ctx: typer.Context,
    file: Annotated[
        str, typer.Argument(help="A CSV, JSON, JSON Lines or TOML file, or - for standard input.")
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
        Export | None,
        typer.Option(
            "--as",
            help="Read a SIPRI export as SIPRI publishes it: sipri for the trade "
            "register, sipri-tiv for the import-volume table. The dataset is replaced whole.",
        ),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", metavar="COLUMN=FIELD", help="Read COLUMN as FIELD. Repeatable."),
    ] = None,
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source", metavar="ID", help="Cite this source in rows that name none. Repeatable."
        ),
    ] = None,
    format_: Annotated[
        ImportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="The file's format; by default its extension tells, and "
            "standard input is read as CSV.",
        ),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace records whose id exists already.")
    ] = False,
) -> None:
    """Import rows from a file into a dataset: all of them, or none.

    Every row is checked first; if any fails, the report lists every failing row and
    field, and nothing is written.

    CSV values are text, typed by the dataset's fields (lists separated by ';'); JSON
    values may be typed already. A row without an id gets one from its first text field;
    with --replace, that id may name the record the row replaces.

    With --as sipri, a SIPRI trade register export is read as published (its notes, '?'
    columns, Latin-1, records broken across two lines) into the dataset transfers,
    replacing it; the report accounts for every line.

    Examples:
      $ geobal export watchlist --format csv | geobal import - --into watchlist --replace
      $ geobal import watch.csv --into watchlist --map name=item --source pravda-s400
      $ geobal import trade-register.csv --as sipri
      $ geobal import import-export-values_1950-2024.csv --as sipri-tiv
    """
    context = context_of(ctx)
    where = "standard input" if file == "-" else file
    try:
        data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as err:
        raise DataError(f"{file}: cannot read: {err.strerror}") from None
    if as_ is not None:
        _import_sipri(context, data, where, as_, into)
        return
    if into is None:
        raise UsageError("--into DATASET is needed", "name the dataset the rows go into")
    fmt = userdata.format_of(file, format_.value if format_ else ("csv" if file == "-" else None))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{where}: not valid UTF-8", "save the file as UTF-8") from None
    rows = userdata.read_rows(text, fmt, where)
    mapping = {}
    for item in map_ or []:
        column, eq, target = item.partition("=")
        if not eq:
            raise UsageError(f"malformed --map {item!r}", "expected COLUMN=FIELD")
        mapping[column.strip()] = target.strip()
    progress = _progress_bar(context, len(rows))
    report = userdata.import_rows(
        context.catalog, into, rows, where, mapping, source or [], replace, progress
    )
    written = report.written
    rows_read = f"{report.read} row{'s' if report.read != 1 else ''}"
    context.say(
        f"read {rows_read}: added {len(written.added)} and replaced "
        f"{len(written.replaced)} in {written.path}"
    )


def _import_sipri(
    context: Context, data: bytes, where: str, kind: Export, into: str | None
) -> None:
    volumes = kind is Export.SIPRI_TIV
    name = into or ("tiv" if volumes else "transfers")
    result = userdata.import_sipri(
        context.catalog, name, data, where, volumes, progress=_progress_bar(context, 1000)
    )
    export = result.export
    unit = "rows" if volumes else "lines"
    joined = (
        f" ({export.joined} lines joined to the record above: records broken across two lines)"
        if export.joined
        else ""
    )
    context.say(
        f"read {export.read} data {unit} of {where}: imported {len(export.records)} "
        f"records{joined}, rejected {len(export.rejected)}"
    )
    for rejected in export.rejected:
        lines = "-".join(str(n) for n in rejected.lines)
        context.say(f"  line {lines}: {rejected.reason}")
    context.say(f"wrote {result.path}, citing {result.source}")


def _progress_bar(context: Context, total: int) -> userdata.Progress:
    """A progress bar on stderr for long imports at a terminal; nothing otherwise."""
    if not context.env.stderr_isatty or total < 200:
        return iter
    from rich.console import Console
    from rich.progress import track

    console = Console(file=context.env.stderr, force_terminal=True, width=context.env.width)
    return lambda rows: track(rows, description="checking rows", console=console, transient=True)


class ExportFormat(StrEnum):
    TOML = "toml"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"


def export(
    ctx: typer.Context,
    dataset: DatasetArg,
    format_: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="toml: a dataset file geobal reads back; or json, jsonl, csv: the records.",
        ),
    ] = ExportFormat.TOML,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (atomically) instead of standard output.",
        ),
    ] = None,
) -> None:
    """A whole dataset, bundled and your records merged, as a file to keep or share.

    Examples:
      $ geobal export deals --format csv -o deals.csv
      $ geobal export watchlist --format toml
    """
    from geobal.render import text

    context = context_of(ctx)
    ds = context.catalog.get(dataset)
    if format_ is ExportFormat.TOML:
        chunks = userdata.export_toml(ds)
    else:
        frame = Frame(ds.title, tuple(f for f in ds.fields if not f.derived), ds.records)
        chunks = {ExportFormat.JSON: text.json_array, ExportFormat.JSONL: text.json_lines}.get(
            format_, lambda f: text.csv_rows(f, tty=False)
        )(frame)
    if output is None:
        write(context.env, chunks)
        return
    from geobal.store import atomic_write

    atomic_write(output, "".join(chunks))
    context.say(f"wrote {len(ds.records)} records to {output}")


def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders to check; every dataset when none is given."),
    ] = None,
) -> None:
    """Check dataset files and report every problem, not just the first.

    TOML syntax errors read file:line:col: message; schema problems read
    file: record ID: field: message (wrong type, unknown choice with the valid ones,
    missing required field, duplicate id, unknown field, a source id that does not
    exist). Exits 1 when there is any.

    Examples:
      $ geobal validate
      $ geobal validate my-datasets/
    """
    context = context_of(ctx)
    checked, problems = userdata.validate(context.catalog, paths or [])
    for problem in problems:
        print(visible(problem), file=context.env.stdout)
    files = f"{checked} file{'s' if checked != 1 else ''}"
    if problems:
        context.say(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {files}")
        raise typer.Exit(ExitCode.ERROR)
    context.say(f"{files} checked: no problems")


PATH_COLUMNS = (
    Field("name", FieldType.TEXT, "What"),
    Field("path", FieldType.TEXT, "Path"),
    Field("exists", FieldType.TEXT, "Exists"),
    Field("set_by", FieldType.TEXT, "Set by"),
)


@listing_options()
def paths(ctx: typer.Context, *, opts: Listing) -> None:
    """Every location geobal uses, and what set it.

    Precedence: the --data-dir flag, then GEOBAL_DATA_DIR, then the config file's
    data_dir, then the platform's data folder. GEOBAL_CONFIG and GEOBAL_CACHE_DIR move
    the config file and the cache.

    Examples:
      $ geobal paths
      $ geobal --data-dir ./mydata paths --json
    """
    context = context_of(ctx)
    p, environ = context.paths, context.env.environ
    rows: list[Record] = [
        {"name": "bundled datasets", "path": str(p.bundled), "set_by": "the package"},
        {"name": "your datasets", "path": str(p.data), "set_by": p.data_from},
        {
            "name": "config file",
            "path": str(p.config),
            "set_by": "environment GEOBAL_CONFIG" if environ.get("GEOBAL_CONFIG") else "default",
        },
        {
            "name": "cache",
            "path": str(p.cache),
            "set_by": "environment GEOBAL_CACHE_DIR"
            if environ.get("GEOBAL_CACHE_DIR")
            else "default",
        },
    ]
    for row in rows:
        row["exists"] = "yes" if Path(str(row["path"])).exists() else "no"
    list_frame(
        ctx, Frame("Where geobal keeps things", PATH_COLUMNS, rows, ("location", "locations")), opts
    )


config = typer.Typer(
    help="""Your settings: default output format, colour and data folder, in config.toml.

    Examples:
      $ geobal config set color never
      $ geobal config get color
      $ geobal config show
      $ geobal config path
    """,
    rich_markup_mode="rich",
    no_args_is_help=True,
    add_completion=False,
)

CONFIG_COLUMNS = (
    Field("key", FieldType.TEXT, "Setting"),
    Field("value", FieldType.TEXT, "Value"),
    Field("allowed", FieldType.LIST, "Allowed"),
    Field("description", FieldType.TEXT, "Meaning"),
)


@config.command("show")
@listing_options()
def config_show(ctx: typer.Context, *, opts: Listing) -> None:
    """Every setting, and its value where one is set."""
    values = context_of(ctx).config.values
    rows: list[Record] = []
    for key, setting in SETTINGS.items():
        row: Record = {"key": key, "description": setting.help}
        if setting.choices:
            row["allowed"] = list(setting.choices)
        if key in values:
            row["value"] = values[key]
        rows.append(row)
    list_frame(ctx, Frame("Settings", CONFIG_COLUMNS, rows, ("setting", "settings")), opts)


@config.command("path")
def config_path(ctx: typer.Context) -> None:
    """Where the config file is (it may not exist yet)."""
    context = context_of(ctx)
    print(context.paths.config, file=context.env.stdout)


@config.command("get")
def config_get(
    ctx: typer.Context, key: Annotated[str, typer.Argument(help="The setting's name.")]
) -> None:
    """Print a setting's value; exit 1 if it is not set."""
    context = context_of(ctx)
    if key not in SETTINGS:
        raise UsageError(f"unknown setting {key!r}", f"settings: {', '.join(SETTINGS)}")
    value = context.config.values.get(key)
    if value is None:
        context.say(f"{key} is not set")
        raise typer.Exit(ExitCode.ERROR)
    print(value, file=context.env.stdout)


@config.command("set")
def config_set(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The setting: format, color or data_dir.")],
    value: Annotated[str, typer.Argument(help="Its new value.")],
) -> None:
    """Set a setting, keeping the rest of the file as it is."""
    context = context_of(ctx)
    set_value(context.paths.config, key, value)
    context.say(f"{key} = {value} in {context.paths.config}")


cache = typer.Typer(
    help="""The parse cache: datasets as last read, so large ones load fast.

    Entries are rebuilt whenever their file changes; clearing is never needed for
    correctness, only to free space.

    Examples:
      $ geobal cache path
      $ geobal cache clear
    """,
    rich_markup_mode="rich",
    no_args_is_help=True,
    add_completion=False,
)


@cache.command("path")
def cache_path(ctx: typer.Context) -> None:
    """Where the cache is."""
    context = context_of(ctx)
    print(context.paths.cache, file=context.env.stdout)


@cache.command("clear")
def cache_clear(ctx: typer.Context) -> None:
    """Remove every cache entry."""
    from geobal.cache import Cache

    context = context_of(ctx)
    removed = Cache(context.paths.cache).clear()
    context.say(
        f"removed {removed} cache entr{'y' if removed == 1 else 'ies'} from {context.paths.cache}"
    )
