"""Options given more than once: refused by name, unless declared repeatable.

click keeps the last value of an option given twice and drops the others without a
word: `deals --status signed --status proposed` would list the proposed deals only.
geobal decides for every option instead. One that may be repeated is declared
`multiple` (a list parameter) and named in commands.REPEATABLE with what repeating it
means; every other one, given twice, is a usage error naming it, raised here, once for
every command, as click's parser stores the value.

A flag given twice with the same sense (`--json --json`) asks for nothing new and is
accepted; a flag and its opposite (`--chart --no-chart`) is refused.
"""

from typing import Any

from geobal.errors import UsageError


def guarded(command: Any) -> Any:
    """`command` (a click command Typer built, and the commands of a group) with a
    parser that refuses an option given twice."""
    made = command.make_parser

    def make_parser(ctx: Any) -> Any:
        return guard(made(ctx))

    command.make_parser = make_parser
    for sub in getattr(command, "commands", {}).values():
        guarded(sub)
    return command


def guard(parser: Any) -> Any:
    """click's option parser, refusing a single-valued option given twice. Completion
    parses a partial line resiliently, and is never refused."""
    if parser.ctx is not None and parser.ctx.resilient_parsing:
        return parser
    # an option with a short and a long name is one object under two keys
    options = {id(o): o for o in (*parser._long_opt.values(), *parser._short_opt.values())}
    for option in options.values():
        if option.action in ("store", "store_const"):  # not append: a `multiple` option
            option.process = _once(option, option.process)
    return parser


def _once(option: Any, process: Any) -> Any:
    def once(value: Any, state: Any) -> None:
        if option.dest in state.opts:
            earlier = state.opts[option.dest]
            param = option.obj
            if option.action == "store":
                raise UsageError(
                    f"{_name(param.opts)} given twice ({_shown(earlier)} and {_shown(value)}); "
                    "give it once"
                )
            if earlier != option.const:  # a flag, then its opposite
                said = [_name(param.opts), _name(param.secondary_opts)]
                if option.const is True:
                    said.reverse()
                raise UsageError(f"{said[0]} and {said[1]} both given; give one of them")
        process(value, state)

    return once


def _name(opts: list[str]) -> str:
    """An option as help shows it first: its long name."""
    return next((o for o in opts if o.startswith("--")), opts[0] if opts else "?")


def _shown(value: Any) -> str:
    """A value as it was typed, quoted as a shell would need it."""
    import shlex  # only on this error path

    if isinstance(value, tuple | list):
        return " ".join(shlex.quote(str(v)) for v in value)
    return shlex.quote(str(value))
