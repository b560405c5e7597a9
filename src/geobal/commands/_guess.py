"""An unknown option keeps the words of the command line it was found in, so that the
CLI can answer it with the option that does what was meant (geobal.guesses), where
click would only suggest the names that look like it."""

from typing import Any


def guessing(command: Any) -> Any:
    """`command` (a click command Typer built, and the commands of a group) with a
    parser whose NoSuchOption error carries `given`: the command's words as typed."""
    made = command.make_parser

    def make_parser(ctx: Any) -> Any:
        parser = made(ctx)
        parse = parser.parse_args

        def parse_args(args: list[str]) -> Any:
            given = list(args)  # click's parser takes the list apart as it goes
            try:
                return parse(args)
            except Exception as err:
                if type(err).__name__ == "NoSuchOption":
                    err.given = given  # type: ignore[attr-defined]
                raise

        parser.parse_args = parse_args
        return parser

    command.make_parser = make_parser
    for sub in getattr(command, "commands", {}).values():
        guessing(sub)
    return command
