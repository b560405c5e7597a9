"""The root command: global options, the one Context, and errors turned into exit codes."""

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from geobal import commands
from geobal.context import Context
from geobal.env import Env
from geobal.errors import ExitCode, GeobalError, MalformedWhere, UsageError
from geobal.names import unknown_name


class GeobalGroup(TyperGroup):
    """Typer's group, with subcommands built on demand (see geobal.commands), and the one
    place where geobal's errors meet the user.

    Every command runs inside `invoke`, so a GeobalError raised anywhere below becomes
    one or two lines on stderr and its exit code, in real runs and under CliRunner alike.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return list(commands.COMMANDS)

    def get_help(self, ctx: Any) -> str:
        from geobal.helptext import get_help  # only when help is asked for

        return get_help(self, ctx)

    def make_parser(self, ctx: Any) -> Any:
        from geobal.commands._once import guard  # the root's options, as every command's

        return guard(super().make_parser(ctx))

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands:
            command = commands.build(cmd_name)
            if command is None:
                return None
            self.commands[cmd_name] = command
        return self.commands[cmd_name]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        # Typer suggests names from the commands built so far, which here are none.
        name = args[0] if args else ""
        unknown = name and name not in commands.COMMANDS and not name.startswith("-")
        if unknown and not ctx.resilient_parsing:
            raise unknown_name("command", name, list(commands.COMMANDS))
        return super().resolve_command(ctx, args)

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except typer.TyperException as err:  # a bad root option, such as `geobal --bogus`
            if extra.get("resilient_parsing"):
                raise
            report(extra.get("obj"), _usage_error(err), err)
            raise typer.Exit(ExitCode.USAGE) from None
        except GeobalError as err:  # from an eager option, such as --show-completion
            report(extra.get("obj"), err, err)
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt as err:  # Ctrl-C while the command line is read
            report(extra.get("obj"), GeobalError("interrupted"), err)
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except BrokenPipeError:  # help read in part (`geobal --help | head -1`): no error
            _silence_stdout()
            raise typer.Exit(ExitCode.OK) from None
        except OSError as err:  # help written to a full disk, say
            _silence_stdout()
            report(extra.get("obj"), os_error(err), err)
            raise typer.Exit(ExitCode.ERROR) from None

    def _main_shell_completion(
        self, ctx_args: Any, prog_name: str, complete_var: Any = None
    ) -> Any:
        # Typer registers its bash, zsh and fish completers where it adds its own
        # completion options, which geobal replaces (SHELLS): register them here, only
        # when the shell asks for completions.
        if COMPLETE_VAR not in os.environ:
            return super()._main_shell_completion(ctx_args, prog_name, complete_var)
        from typer._completion_classes import completion_init

        from geobal.launch import started

        completion_init()
        started()  # completion reads the data: the cycle collector runs for what it makes
        # What completion prints lands in the user's command line: a request it cannot
        # read (a COMP_CWORD that is no word's place), or any failure, offers nothing,
        # rather than a traceback in the middle of what the user is typing.
        cword = os.environ.get("COMP_CWORD", "0")
        if "bash" in os.environ[COMPLETE_VAR] and not (cword.isascii() and cword.isdigit()):
            sys.exit(ExitCode.ERROR)
        try:
            return super()._main_shell_completion(ctx_args, prog_name, complete_var)
        except Exception:
            sys.exit(ExitCode.ERROR)

    def invoke(self, ctx: Any) -> Any:
        try:
            return self._invoke(ctx)
        finally:
            _escapes_said(ctx.obj)

    def _invoke(self, ctx: Any) -> Any:
        reserve = bytearray(1 << 20)  # given back to say "out of memory" where none is left
        try:
            return super().invoke(ctx)
        except GeobalError as err:
            report(ctx.obj, _shell_said(ctx.obj, err), err)
            raise typer.Exit(err.exit_code) from None
        except typer.TyperException as err:
            if type(err).__name__ == "NoArgsIsHelpError":
                # `geobal config` alone: its help is printed, and asking for it is no error
                raise typer.Exit(ExitCode.OK) from None
            report(ctx.obj, _usage_error(err), err)
            raise typer.Exit(ExitCode.USAGE) from None
        except (typer.Exit, typer.Abort):
            raise  # Typer's own control flow: --help, --version, exits
        except BrokenPipeError:
            # The reader went away (`geobal deals --json | head -c 10`): that is its
            # choice, not an error. Point stdout at /dev/null so the interpreter's final
            # flush cannot fail again, and end quietly.
            _silence_stdout()
            raise typer.Exit(ExitCode.OK) from None
        except KeyboardInterrupt as err:
            report(ctx.obj, GeobalError("interrupted"), err)
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except OSError as err:
            # An ordinary fault (a full disk, a folder one may not write, a closed
            # stream): not a bug, and the message names what and where.
            _silence_stdout()
            report(ctx.obj, os_error(err), err)
            raise typer.Exit(ExitCode.ERROR) from None
        except MemoryError as err:
            # The data is larger than this machine lets geobal hold: not a bug, and
            # nothing half-written (every write is built whole before it is written).
            # What the failed command held is let go first, so there is room to say so.
            del reserve
            if not (isinstance(ctx.obj, Context) and ctx.obj.debug):
                _let_go(err)
            report(
                ctx.obj,
                GeobalError(
                    "out of memory: the data is larger than this machine lets geobal hold",
                    "every file geobal writes is written whole or not at all; give it a "
                    "smaller part (fewer years, the file split in parts), or more memory",
                ),
                err,
            )
            raise typer.Exit(ExitCode.ERROR) from None
        except Exception as err:
            from geobal.launch import interrupted

            if interrupted(err):  # a Ctrl-C that Python raised wrapped in another error
                report(ctx.obj, GeobalError("interrupted"), err)
                raise typer.Exit(ExitCode.INTERRUPTED) from None
            # A bug, not bad input: still no traceback unless asked for.
            report(
                ctx.obj,
                GeobalError(
                    f"unexpected {type(err).__name__}: {err}",
                    "this is a bug in geobal; run again with --debug for the traceback, and "
                    "report it with that output",
                ),
                err,
            )
            raise typer.Exit(ExitCode.ERROR) from None


def os_error(err: OSError) -> GeobalError:
    """An error of the operating system as geobal says it: the file, what went wrong,
    and what to do."""
    from geobal.codecs.escape import one_line
    from geobal.store import advice

    where = one_line(err.filename) if err.filename is not None else "standard output"
    return GeobalError(f"{where}: {err.strerror or err}", advice(err))


def _shell_said(obj: object, err: GeobalError) -> GeobalError:
    """`err`, or where it is a --where the shell cut short by taking `>` as a
    redirection (so the output is going to a new file here), the error saying so."""
    if not (isinstance(err, MalformedWhere) and isinstance(obj, Context)):
        return err
    from geobal.guesses import redirected

    try:
        written: os.stat_result | None = os.fstat(obj.env.stdout.fileno())
    except (OSError, ValueError):  # no file behind standard output, as under a test runner
        written = None
    hint = redirected(err.expr, written, Path.cwd())
    return MalformedWhere(err.expr, hint) if hint else err


def _usage_error(err: typer.TyperException) -> UsageError:
    """click's usage errors (an unknown option, a missing argument) in geobal's two-line
    form, rather than Typer's boxed panel."""
    command = getattr(getattr(err, "ctx", None), "command_path", "geobal")
    message = err.format_message() if hasattr(err, "format_message") else str(err)
    said = _guessed(err) if type(err).__name__ == "NoSuchOption" else None
    if said is not None:  # said instead of click's look-alikes, which cannot do it
        message = f"No such option: {err.option_name}"  # type: ignore[attr-defined]
        message += f"; {said}" if said else ""
    return UsageError(message, f"see: {command} --help")


def _guessed(err: typer.TyperException) -> str | None:
    """For an unknown option, the option of the command that does what it asks for
    (geobal.guesses), or that none does; "" where the table knows what it asks for but
    no option here that does it; None where the table knows no such option."""
    from geobal.guesses import MEANING, meant, nothing, value_of

    ctx: Any = getattr(err, "ctx", None)
    given: list[str] | None = getattr(err, "given", None)  # kept by commands._guess
    if ctx is None or given is None:
        return None
    option: str = err.option_name  # type: ignore[attr-defined]
    params = ctx.command.params
    options = {o for p in params for o in (*p.opts, *p.secondary_opts) if o[:1] == "-"}
    guess = meant(option, value_of(option, given), options, _fields(ctx, given))
    if guess is not None:
        return f"did you mean {guess}?"
    # an option the table knows the meaning of: click's look-alikes (--period ->
    # --pager) would not do it either, so none is offered where nothing is known to
    return nothing(option, ctx.command_path) or ("" if option in MEANING else None)


def _fields(ctx: Any, given: list[str]) -> tuple[Any, ...]:
    """The fields of the dataset the command reads, where there is one to know: the
    command's own (deals, timeline) or, for query, the one its first word names."""
    context = ctx.find_root().obj
    if not isinstance(context, Context):
        return ()
    name = ctx.command.name
    words = [a for a in given if not a.startswith("-")]
    dataset = words[0] if name == "query" and words else commands.DATASET_OF.get(name, name)
    try:
        return tuple(context.catalog.get(dataset).fields)
    except GeobalError:  # a command of no dataset (new, import), or a name of none
        return ()


def _let_go(err: BaseException | None) -> None:
    """Drop the tracebacks of `err` and the errors it arose from, and so what their
    frames held."""
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        err.__traceback__ = None
        err = err.__cause__ or err.__context__


def report(obj: object, err: GeobalError, cause: BaseException) -> None:
    """An error on stderr: geobal's message, its details, how to fix it; the traceback
    too with --debug. `obj` is the run's Context, or before there is one its Env."""
    from geobal.codecs.escape import visible  # user input in messages stays inert

    context = obj if isinstance(obj, Context) else None
    env = context.env if context is not None else obj if isinstance(obj, Env) else None
    stderr = env.stderr if env is not None else sys.stderr
    if context is not None and context.debug:
        import traceback

        traceback.print_exception(cause, file=stderr)
    print(f"geobal: {visible(err.message)}", file=stderr)
    for line in err.details:
        print(f"  {visible(line)}", file=stderr)
    if err.hint:
        print(visible(err.hint), file=stderr)


def _escapes_said(obj: object) -> None:
    """A warning, where standard output's encoding could not write some characters of
    the output, that they were written as escapes (geobal.env), and how to keep them."""
    env = obj.env if isinstance(obj, Context) else obj if isinstance(obj, Env) else None
    if env is None or env.escapes is None or not env.escapes.count:
        return
    n = env.escapes.count
    encoding = getattr(env.stdout, "encoding", None) or "its encoding"
    with contextlib.suppress(OSError, ValueError):  # standard error closed: nothing to say
        print(
            f"geobal: warning: standard output ({encoding}) cannot write {n} character"
            f"{'s' if n != 1 else ''} of the output, written as \\u escapes instead; "
            "PYTHONIOENCODING=utf-8 writes them as they are",
            file=env.stderr,
        )


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor, as under a test runner
        pass


app = typer.Typer(
    name="geobal",
    cls=GeobalGroup,
    help="""Query sourced data on strategic balancing: who sells which weapons to whom,
    which risks a government weighs, which factors drive its choices, and where each fact
    comes from.

    Tables on a terminal; tab-separated rows in pipes; --json and --format for scripts.

    Examples:
      $ geobal deals --sector air
      $ geobal risks
      $ geobal show deals s-400
      $ geobal datasets
    """,
    invoke_without_command=True,
    add_completion=False,  # geobal's own options (SHELLS), each shell named
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# Completion scripts and their installer are Typer's own (typer._completion_shared, a
# module of the Typer line pyproject pins): each shell's script, named by the user
# rather than guessed from the shell running geobal, which Typer's options do.
COMPLETE_VAR = "_GEOBAL_COMPLETE"
SHELLS = ("bash", "zsh", "fish")


def _shell(value: str) -> str:
    if value not in SHELLS:
        raise UsageError(
            f"geobal completes in bash, zsh and fish, not {value!r}",
            "for example: geobal --show-completion zsh",
        )
    return value


def _show_completion(value: str | None) -> None:
    """Print the completion script of SHELL, each shell its own."""
    if value is None:
        return
    from typer._completion_shared import get_completion_script

    typer.echo(
        get_completion_script(prog_name="geobal", complete_var=COMPLETE_VAR, shell=_shell(value))
    )
    raise typer.Exit()


def _install_completion(value: str | None) -> None:
    """Add SHELL's completion script to its start-up file (as Typer installs it)."""
    if value is None:
        return
    from typer._completion_shared import install

    shell, path = install(shell=_shell(value), prog_name="geobal", complete_var=COMPLETE_VAR)
    typer.echo(f"{shell} completion installed in {path}; it takes effect in a new shell")
    raise typer.Exit()


def _print_version(value: bool) -> None:
    if value:
        from geobal import __version__

        typer.echo(f"geobal {__version__}")  # the one version source, as pyproject reads it
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    debug: Annotated[
        bool,
        typer.Option("--debug", envvar="GEOBAL_DEBUG", help="Print the traceback of an error too."),
    ] = False,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            metavar="DIR",
            help="The folder of your dataset files (else GEOBAL_DATA_DIR, the config's "
            "data_dir, or the platform's data folder).",
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache", help="Read every dataset file afresh, ignoring the parse cache."
        ),
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Stop on a broken file of yours instead of warning and going on."
        ),
    ] = False,
    show_completion: Annotated[
        str | None,
        typer.Option(
            "--show-completion",
            metavar="SHELL",
            is_eager=True,
            expose_value=False,
            callback=_show_completion,
            help="Print the completion script for SHELL (bash, zsh or fish), to install by hand.",
        ),
    ] = None,
    install_completion: Annotated[
        str | None,
        typer.Option(
            "--install-completion",
            metavar="SHELL",
            is_eager=True,
            expose_value=False,
            callback=_install_completion,
            help="Install completion for SHELL (bash, zsh or fish) in its start-up file.",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_print_version,
            help="Print geobal's version and exit.",
        ),
    ] = False,
) -> None:
    from geobal.launch import started

    started()  # the command is built: the cycle collector runs again for what it makes
    if ctx.invoked_subcommand is None:
        # `geobal` alone shows help, and asking for help is not an error (gh does the same)
        help_text = ctx.get_help()  # Typer's Rich help prints itself and returns ""
        if help_text:
            typer.echo(help_text)
        raise typer.Exit()
    # Tests hand in an Env of their own through `obj`, as httpie's tests do with
    # MockEnvironment; a real run builds one from the process. Either way the Context
    # is built here, from the same options, so a test runs what a user runs.
    env = ctx.obj if isinstance(ctx.obj, Env) else Env.from_process()
    ctx.obj = Context(env, debug=debug, strict=strict, data_dir=data_dir, no_cache=no_cache)


def main() -> None:
    """The CLI itself; the `geobal` console script runs it through geobal.launch."""
    app(prog_name="geobal")
