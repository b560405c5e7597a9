"""What a user meant by an option a command does not have: a small table of known guesses.

click suggests the options whose names look like the one typed (`--since` -> `--json,
--min`), which cannot do what was asked. Some guesses are common enough to answer by
what they mean instead: a start or an end in time, a grouping, a period for periods.
A guess is offered only where the command has an option that does it (its own, or
`--where` on a field of the dataset that holds a date, a year or a period).
"""

import os
from collections.abc import Collection, Sequence
from pathlib import Path

from geobal.model import Field

# the option typed -> what it asks for: a start or an end in time, a grouping, or
# (for --period and --periods) the other of the two
START = "start"
END = "end"
GROUP = "group"
MEANING: dict[str, str] = {
    "--since": START,
    "--from": START,
    "--after": START,
    "--start": START,
    "--begin": START,
    "--until": END,
    "--to": END,
    "--before": END,
    "--end": END,
    "--till": END,
    "--by": GROUP,
    "--group-by": GROUP,
    "--groupby": GROUP,
    "--group": GROUP,
    "--period": "--periods",
    "--periods": "--period",
}
# what an option asks for -> the command's own options that do it, best first
OWN: dict[str, tuple[str, ...]] = {
    START: ("--since", "--from"),
    END: ("--until", "--to"),
    GROUP: ("--count-by",),
    "--periods": ("--periods",),
    "--period": ("--period",),
}
# the operator --where compares with, for a start and an end
COMPARES = {START: ">=", END: "<="}
PLACEHOLDER = {START: "YEAR", END: "YEAR", GROUP: "FIELD", "--periods": "PERIODS"}
# what is said where the command has nothing that does what the option asks for
NOTHING = {
    START: "picks records by their date, year or period",
    END: "picks records by their date, year or period",
    GROUP: "groups records",
}
# the fields a start or an end in time is on, in the order they are preferred
TIME_FIELDS = ("year", "date", "period")


def meant(
    option: str, value: str | None, options: Collection[str], fields: Sequence[Field] = ()
) -> str | None:
    """The option (with `value`, the word typed after `option`) that does what
    `option` asks for on a command with `options` whose dataset has `fields`; None
    where the table knows no such guess."""
    meaning = MEANING.get(option)
    if meaning is None:
        return None
    own = next((o for o in OWN[meaning] if o in options and o != option), None)
    shown = value if value else PLACEHOLDER.get(meaning, "PERIOD")
    if own is not None:
        names = [f.name for f in fields]
        if meaning == GROUP and names and value not in names:
            # a word that is no field would only be refused again: the fields instead
            return f"{own} FIELD (one of: {', '.join(names)})"
        return f"{own} {_quoted(shown)}"
    if "--where" not in options or (field := time_field(fields)) is None:
        return None
    if meaning in COMPARES:
        # the value as the field takes it, else the word that says what to give
        bound = _bound(field, value, meaning) if value else None
        said = bound or PLACEHOLDER_OF[field.type.name]
        return f"--where {_quoted(field.name + COMPARES[meaning] + said)}"
    if meaning in ("--period", "--periods") and value:
        first, last = _bound(field, value, START), _bound(field, value, END)
        if first is None or last is None:
            return None
        if first == last:
            return f"--where {_quoted(f'{field.name}={first}')}"
        return (
            f"--where {_quoted(f'{field.name}>={first}')} "
            f"--where {_quoted(f'{field.name}<={last}')}"
        )
    return None


# what a bound of each kind of time field looks like, where the value typed is none
PLACEHOLDER_OF = {"integer": "YEAR", "date": "YYYY-MM-DD", "level": "PERIOD"}


def _bound(field: Field, value: str, meaning: str) -> str | None:
    """`value` (a year or a period) as a start or an end of `field` takes it: a year,
    a date, or a period of its scale; None where it is none of these."""
    from geobal.errors import UsageError
    from geobal.periods import parse

    if field.choices:
        return _period_of(field, value, meaning)
    try:
        span = parse(value)
    except UsageError:
        return None
    if field.type.name == "date":
        return f"{span.first}-01-01" if meaning == START else f"{span.last}-12-31"
    return str(span.first if meaning == START else span.last)


def _period_of(field: Field, value: str, meaning: str) -> str | None:
    """The period of a level field's scale (SIPRI's "2010-14") that a year begins
    (for a start) or ends (for an end) within: the first that starts in it or later,
    the last that ends in it or earlier."""
    from geobal.errors import UsageError
    from geobal.periods import parse

    try:
        year = parse(value).first if meaning == START else parse(value).last
    except UsageError:  # not a year: the word as typed
        return None
    spans = []
    for choice in field.choices:
        try:
            spans.append((parse(choice.value), choice.value))
        except UsageError:
            continue
    if meaning == START:
        return next((c for p, c in spans if p.first >= year), None)
    return next((c for p, c in reversed(spans) if p.last <= year), None)


def nothing(option: str, command: str) -> str | None:
    """What to say of `option` where `meant` finds nothing of `command` that does it:
    that nothing does (rather than suggest names that only look like it), where the
    table knows what it asks for."""
    does = NOTHING.get(MEANING.get(option, ""))
    return f"{command} has no option that {does}" if does else None


def value_of(option: str, args: Sequence[str]) -> str | None:
    """The word given to `option` in `args`: the one after it, or after its `=`."""
    for i, arg in enumerate(args):
        if arg.startswith(option + "="):
            return arg[len(option) + 1 :]
        if arg == option and i + 1 < len(args) and not args[i + 1].startswith("-"):
            return args[i + 1]
    return None


def time_field(fields: Sequence[Field]) -> Field | None:
    """The field of `fields` a start or an end in time is on: a year, a date, a period."""
    kinds = {"year": ("integer",), "date": ("date",), "period": ("level",)}
    by_name = {f.name: f for f in fields}
    for name in TIME_FIELDS:
        field = by_name.get(name)
        if field is not None and field.type.name in kinds[name]:
            return field
    return None


def _quoted(word: str) -> str:
    import shlex  # only on this error path

    return shlex.quote(word)


def redirected(expr: str, written: os.stat_result | None, folder: Path) -> str | None:
    """Where a --where `expr` with no operator was cut short by the shell (`--where
    valeu_usd>1000` unquoted: `>1000` sent the output to a new file, `1000`), how to
    give it: `written` is what standard output is, `folder` the current one. None
    where standard output is no file of `folder` or `expr` has an operator."""
    import stat

    if written is None or not stat.S_ISREG(written.st_mode) or set(expr) & set("=!~<>"):
        return None
    try:
        with os.scandir(folder) as entries:
            name = next(
                (
                    e.name
                    for e in entries
                    if e.inode() == written.st_ino
                    and e.stat(follow_symlinks=False).st_dev == written.st_dev
                ),
                None,
            )
    except OSError:  # a folder one may not read: no guess
        return None
    if name is None:
        return None
    import shlex

    return (
        f"give --where {shlex.quote(expr.strip() + '>' + name)} in quotes: the shell took "
        f">{name} as a redirection and wrote a file named {name}"
    )
