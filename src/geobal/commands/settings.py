"""Commands about geobal's own settings and folders: config, paths and cache."""

from pathlib import Path
from typing import Annotated

import typer

from geobal.commands._options import Listing, context_of, listing_options
from geobal.commands._run import Result, delivered, selected
from geobal.config import SETTINGS, set_value
from geobal.errors import ExitCode, UsageError
from geobal.fieldtypes import LIST, TEXT
from geobal.model import Field, Record
from geobal.views import Frame, Lines

PATH_COLUMNS = (
    Field("name", TEXT, "What"),
    Field("path", TEXT, "Path"),
    Field("exists", TEXT, "Exists"),
    Field("set_by", TEXT, "Set by"),
)


@listing_options()
def paths(ctx: typer.Context, *, opts: Listing) -> Result:
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
    return selected(
        Frame("Where geobal keeps things", PATH_COLUMNS, rows, ("location", "locations")), opts
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
    Field("key", TEXT, "Setting"),
    Field("value", TEXT, "Value"),
    Field("allowed", LIST, "Allowed"),
    Field("description", TEXT, "Meaning"),
)


@config.command("show")
@delivered
@listing_options()
def config_show(ctx: typer.Context, *, opts: Listing) -> Result:
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
    return selected(Frame("Settings", CONFIG_COLUMNS, rows, ("setting", "settings")), opts)


@config.command("path")
@delivered
def config_path(ctx: typer.Context) -> Result:
    """Where the config file is (it may not exist yet)."""
    return Result(Lines([str(context_of(ctx).paths.config)]))


@config.command("get")
@delivered
def config_get(
    ctx: typer.Context, key: Annotated[str, typer.Argument(help="The setting's name.")]
) -> Result:
    """Print a setting's value; exit 1 if it is not set."""
    if key not in SETTINGS:
        raise UsageError(f"unknown setting {key!r}", f"settings: {', '.join(SETTINGS)}")
    value = context_of(ctx).config.values.get(key)
    if value is None:
        return Result(notes=(f"{key} is not set",), code=ExitCode.ERROR)
    return Result(Lines([value]))


@config.command("set")
@delivered
def config_set(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="The setting: format, color or data_dir.")],
    value: Annotated[str, typer.Argument(help="Its new value.")],
) -> Result:
    """Set a setting, keeping the rest of the file as it is."""
    path = context_of(ctx).paths.config
    kept = set_value(path, key, value)
    return Result(notes=(f"{key} = {kept} in {path}",))


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
@delivered
def cache_path(ctx: typer.Context) -> Result:
    """Where the cache is."""
    return Result(Lines([str(context_of(ctx).paths.cache)]))


@cache.command("clear")
@delivered
def cache_clear(ctx: typer.Context) -> Result:
    """Remove every cache entry."""
    from geobal.cache import Cache

    folder = context_of(ctx).paths.cache
    removed = Cache(folder).clear()
    return Result(
        notes=(f"removed {removed} cache entr{'y' if removed == 1 else 'ies'} from {folder}",)
    )
