"""Commands about geobal's own settings and folders: config, paths and cache."""

from typing import Annotated

import typer

from geobal.commands._options import Listing, context_of, listing_options
from geobal.commands._run import Result, answer, delivered
from geobal.errors import ExitCode
from geobal.views import Lines


@listing_options()
def paths(ctx: typer.Context, *, opts: Listing) -> Result:
    """Every location geobal uses, and what set it.

    Precedence: the --data-dir flag, then GEOBAL_DATA_DIR, then the config file's
    data_dir, then the platform's data folder. GEOBAL_CONFIG and GEOBAL_CACHE_DIR move
    the config file and the cache.

    Examples:
      $ geobal paths
    """
    return answer(context_of(ctx).api.locations(fields=opts.fields))


config = typer.Typer(
    help="""Your settings: default output format, colour and data folder, in config.toml.

    Examples:
      $ geobal config set color never
      $ geobal config show
    """,
    rich_markup_mode="rich",
    no_args_is_help=True,
    add_completion=False,
)


@config.command("show")
@delivered
@listing_options()
def config_show(ctx: typer.Context, *, opts: Listing) -> Result:
    """Every setting, and its value where one is set."""
    return answer(context_of(ctx).api.settings(fields=opts.fields))


@config.command("path")
@delivered
def config_path(ctx: typer.Context) -> Result:
    """Where the config file is (it may not exist yet)."""
    return Result(Lines([str(context_of(ctx).api.paths.config)]))


@config.command("get")
@delivered
def config_get(
    ctx: typer.Context, key: Annotated[str, typer.Argument(help="The setting's name.")]
) -> Result:
    """Print a setting's value; exit 1 if it is not set."""
    value = context_of(ctx).api.setting(key)
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
    return answer(context_of(ctx).api.set_setting(key, value))


cache = typer.Typer(
    help="""The parse cache: datasets as last read, so large ones load fast.

    Entries are rebuilt whenever their file changes; clearing is never needed for
    correctness, only to free space.

    Examples:
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
    return Result(Lines([str(context_of(ctx).api.paths.cache)]))


@cache.command("clear")
@delivered
def cache_clear(ctx: typer.Context) -> Result:
    """Remove every cache entry."""
    return answer(context_of(ctx).api.clear_cache())
