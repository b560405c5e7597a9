"""What a caller of the library passes, checked where it enters: lists, whole numbers,
flags, text, choices and mappings, each refused with the parameter's name and the fix.

The CLI's options arrive typed by Typer; a script's arguments arrive as anything, and
one wrong type must never become a traceback deep inside, or a silent wrong answer (a
str iterated into its letters, True counted as 1).
"""

from collections.abc import Iterable, Mapping
from pathlib import Path

from geobal.errors import UsageError


def _kind(value: object) -> str:
    return f"{value!r} ({type(value).__name__})"


def items(value: object, param: str) -> list[str]:
    """The items of a list parameter. One str is that one item, never its letters (as
    `remove("ids", "ab")` removes the record ab); None gives none. Anything else than
    text, or a list of texts, is refused."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, bytes | Mapping) or not isinstance(value, Iterable):
        raise UsageError(
            f"{param} takes text or a list of texts, not {_kind(value)}",
            f'give {param}=["..."]',
        )
    found = list(value)
    for one in found:
        if not isinstance(one, str):
            raise UsageError(
                f"{param} takes texts; one of them is {_kind(one)}",
                f"give each item of {param} as text",
            )
    return found


def paths(value: object, param: str) -> list[Path]:
    """The items of a parameter of paths: one str or Path is that one path."""
    if isinstance(value, Path):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, str | bytes | Mapping):
        found = list(value)
        if all(isinstance(one, str | Path) for one in found):
            return [Path(one) for one in found]
    return [Path(one) for one in items(value, param)]


def whole(value: object, param: str) -> int | None:
    """A whole number (None passes: the parameter's default). True and False are refused,
    though Python counts them as 1 and 0: `limit=True` is a slip, not a limit of one. Its
    range is checked where it is used, which says it as the CLI's option."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageError(f"{param} takes a whole number, not {_kind(value)}", f"give {param}=5")
    return value


def number(value: object, param: str) -> float:
    """A number (int or float, True and False refused), as a timeout in seconds is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UsageError(f"{param} takes a number, not {_kind(value)}", f"give {param}=30")
    return float(value)


def flag(value: object, param: str) -> bool:
    """True or False, and nothing else that Python would read as one of them."""
    if not isinstance(value, bool):
        raise UsageError(f"{param} takes True or False, not {_kind(value)}")
    return value


def text(value: object, param: str) -> str | None:
    """One text (None passes): a list where one is expected is refused, not joined."""
    if value is None or isinstance(value, str):
        return value
    raise UsageError(f"{param} takes one text, not {_kind(value)}", f'give {param}="..."')


def filled(value: object, param: str, option: str, needs: str) -> str | None:
    """One text (None passes: not given) with something in it: an empty or blank one is
    refused as the option it is (`--search needs some text to look for`), never taken
    as no option or as a name that is nobody's."""
    found = text(value, param)
    if found is not None and not found.strip():
        raise UsageError(f"{option} needs {needs}")
    return found


def name(value: object, param: str) -> str:
    """One text that names something (a dataset, a record, a country), which must be
    given: None is refused as any other type is."""
    if isinstance(value, str):
        return value
    raise UsageError(f"{param} takes a name as text, not {_kind(value)}", f'give {param}="..."')


def path(value: object, param: str, required: bool = False) -> str | None:
    """A file's path as text (None passes, unless `required`), given as a str or a
    pathlib.Path: a number is refused, not written to as a file of that name."""
    if isinstance(value, str) or (value is None and not required):
        return value
    if isinstance(value, Path):
        return str(value)
    raise UsageError(
        f"{param} takes a file's path (str or pathlib.Path), not {_kind(value)}",
        f'give {param}="FILE"',
    )


def choice(value: object, param: str, choices: Iterable[str]) -> str | None:
    """One of `choices` (None passes), as typed."""
    known = list(choices)
    found = text(value, param)
    if found is not None and found not in known:
        raise UsageError(f"{param} takes one of {', '.join(known)}; not {found!r}")
    return found


def mapping(value: object, param: str) -> dict[str, str]:
    """A mapping of text to text (None gives an empty one)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise UsageError(
            f"{param} takes a mapping of text to text, not {_kind(value)}",
            f'give {param}={{"COLUMN": "FIELD"}}',
        )
    for key, one in value.items():
        if not isinstance(key, str) or not isinstance(one, str):
            raise UsageError(f"{param} maps text to text; not {key!r}: {one!r}")
    return dict(value)


def filters(value: object, param: str) -> list[tuple[str, str, list[str]]]:
    """The query's own (field, operator, values) filters, as ("sector", "=", ["air"]):
    one text where the list of them belongs is refused, not read as letters; an
    operator not among the query's, and a filter with an empty list of values (which
    would match every row), are refused. None as the values is no filter: an option
    not given."""
    from geobal.queries import Op

    example = f'give {param}=[("sector", "=", ["air"])]'
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise UsageError(
            f"{param} takes a list of (field, operator, values) filters, not {_kind(value)}",
            example,
        )
    found = []
    for one in value:
        if isinstance(one, str | bytes | Mapping) or not isinstance(one, Iterable):
            raise UsageError(
                f"{param} takes (field, operator, values) filters; one of them is {_kind(one)}",
                example,
            )
        parts = tuple(one)
        if len(parts) != 3:
            raise UsageError(
                f"{param}: {parts!r} is not a (field, operator, values) filter", example
            )
        field, op, values = parts
        field, op = name(field, f"{param}' field"), name(op, f"{param}' operator")
        if op not in Op.ALL:
            raise UsageError(
                f"{param}: unknown operator {op!r} in {parts!r}", f"operators: {' '.join(Op.ALL)}"
            )
        if values is None:  # an option not given, as the CLI passes it
            continue
        texts = items(values, f"{param}' values")
        if not texts:
            raise UsageError(
                f"{param}: {parts!r} gives no values, and would match every row",
                "give the filter one value or more, or leave it out",
            )
        found.append((field, op, texts))
    return found
