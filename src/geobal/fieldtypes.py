"""Field types: one kind a type, and everything geobal does with a value of that kind.

A kind says how a value is read from a dataset file (`from_toml`) and from the command
line or a CSV cell (`from_text`), how values match, compare and sort, how they are
shown to people (`display`) and written for machines (`plain`, `toml_value`), and what
`geobal new` accepts. Each kind is registered once, in KINDS; the rest of geobal asks
the kind rather than branching on its name, so a new type is one class here.
"""

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any, ClassVar, cast

from geobal.errors import UsageError
from geobal.model import Field, Value
from geobal.names import Names, fold

Compare = Callable[[Any, Any], bool]
Test = Callable[[Value], bool]

DATE_RE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
DATE_EXAMPLE = "a date such as 2018-10-05, 2018-10 or 2018"


class ValueProblem(Exception):
    """A value that does not fit its field; the message says what was expected."""


def describe(value: object) -> str:
    """A TOML-flavoured description of a value, for error messages."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return f"the date-time {value.isoformat()}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "nothing" if value is None else type(value).__name__


def _scalar(value: Value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Kind:
    """A field type. Subclasses set what differs; the defaults suit a scalar value
    that compares by equality only."""

    name: ClassVar[str]
    summary: ClassVar[str]  # what its values are: its row of the README's table of types
    expected: ClassVar[str]  # in "year takes a whole number, not 'x'"
    numeric: ClassVar[bool] = False
    ordered: ClassVar[bool] = False  # <, <=, > and >= apply
    closed: ClassVar[bool] = False  # values come from declared choices
    short: ClassVar[bool] = False  # values are short: tables never wrap them
    takes_ref: ClassVar[bool] = False  # values may name records of another dataset
    link: ClassVar[bool] = False  # a terminal may show values as links
    item_kinds: ClassVar[tuple[str, ...]] = ()  # for a list: the kinds its items may be

    def __repr__(self) -> str:
        return f"<kind {self.name}>"

    def from_toml(self, field: Field, raw: object) -> Value:
        """A value read from a dataset file, checked and normalised; ValueProblem if it
        does not fit."""
        raise NotImplementedError

    def parse(self, field: Field, text: str) -> Value:
        """A value from text; ValueError or ValueProblem if it does not fit."""
        raise NotImplementedError

    def from_text(self, field: Field, text: str) -> Value:
        """A value typed from command-line or CSV text; a UsageError names the field."""
        try:
            return self.parse(field, text)
        except (ValueError, ValueProblem):
            raise UsageError(f"{field.name} takes {self.expected}, not {text!r}") from None

    def target(self, field: Field, text: str) -> Value:
        """The value a filter such as --where FIELD=TEXT compares records with."""
        return self.from_text(field, text)

    def element(self, field: Field) -> Field:
        """What is counted and matched: the field itself, or for a list its items."""
        return field

    def equals(self, field: Field, target: Value) -> Test:
        return lambda v: v == target

    def ordering(self, field: Field, compare: Compare, target: Value) -> Test:
        """A test of `value OP target` for one of <, <=, >, >=, for ordered kinds."""
        key, sort = self.sort_key(field, target), self.sort_key
        return lambda v: compare(sort(field, v), key)

    def sort_key(self, field: Field, value: Value) -> Any:
        return value

    def display(self, field: Field, value: Value, sep: str = ", ") -> str:
        """A value as people read it (tables, Markdown)."""
        return _scalar(value)

    def plain(self, field: Field, value: Value) -> str:
        """A value as CSV and TSV carry it."""
        return _scalar(value)

    def searchable(self, field: Field, value: Value) -> str:
        """The folded text that `~` filters and `search` look in."""
        return fold(self.plain(field, value))

    def toml_value(self, field: Field, value: Value) -> object:
        return value


class TextKind(Kind):
    name = "text"
    summary = "a string"
    expected = "text"
    ordered = True
    takes_ref = True

    def from_toml(self, field: Field, raw: object) -> Value:
        if isinstance(raw, str):
            return raw
        raise ValueProblem(f"expected text, got {describe(raw)}")

    def parse(self, field: Field, text: str) -> Value:
        return text

    def sort_key(self, field: Field, value: Value) -> Any:
        return value.casefold() if isinstance(value, str) else value


class IntegerKind(Kind):
    name = "integer"
    summary = "a whole number"
    expected = "a whole number"
    numeric = ordered = short = True

    def from_toml(self, field: Field, raw: object) -> Value:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        raise ValueProblem(f"expected a whole number, got {describe(raw)}")

    def parse(self, field: Field, text: str) -> Value:
        return int(text)

    def ordering(self, field: Field, compare: Compare, target: Value) -> Test:
        return lambda v: compare(v, target)  # numbers are their own sort key


class NumberKind(IntegerKind):
    name = "number"
    summary = "an integer or a finite float"
    expected = "a number"

    def from_toml(self, field: Field, raw: object) -> Value:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            if math.isfinite(raw):
                return raw
            raise ValueProblem("expected a finite number, got nan or inf")
        raise ValueProblem(f"expected a number, got {describe(raw)}")

    def parse(self, field: Field, text: str) -> Value:
        number = float(text)
        if not math.isfinite(number):
            raise ValueError(text)
        return int(number) if number.is_integer() else number


def parse_date(text: str) -> str:
    """A full or partial ISO date (YYYY, YYYY-MM, YYYY-MM-DD): sources often give only
    a month or a year, and geobal must not invent the rest."""
    m = DATE_RE.fullmatch(text.strip())
    if m:
        year, month, day = (int(g) if g else None for g in m.groups())
        try:
            dt.date(year or 1, month or 1, day or 1)
        except ValueError:
            pass
        else:
            return text.strip()
    raise ValueProblem(f"expected {DATE_EXAMPLE}, got {text!r}")


def date_value(raw: object) -> str:
    """A date as a dataset file gives it (a TOML date, or text), as an ISO string."""
    if isinstance(raw, dt.datetime):
        raise ValueProblem(f"expected a date without a time, got {describe(raw)}")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, str):
        return parse_date(raw)
    raise ValueProblem(f"expected {DATE_EXAMPLE}, got {describe(raw)}")


class DateKind(Kind):
    name = "date"
    summary = 'a TOML date, or a string `"YYYY"` or `"YYYY-MM"` when only that much is known'
    expected = DATE_EXAMPLE
    ordered = short = True

    def from_toml(self, field: Field, raw: object) -> Value:
        return date_value(raw)

    def parse(self, field: Field, text: str) -> Value:
        return parse_date(text)

    def equals(self, field: Field, target: Value) -> Test:
        # a partial date matches everything inside it: date=2018 finds 2018-10-05
        prefix = f"{target}-"
        return lambda v: v == target or str(v).startswith(prefix)

    def ordering(self, field: Field, compare: Compare, target: Value) -> Test:
        # compared at the precision asked for: date<=2018 keeps 2018-10-05
        size = len(str(target))
        return lambda v: compare(str(v)[:size], target)

    def toml_value(self, field: Field, value: Value) -> object:
        if isinstance(value, str) and len(value) == 10:
            return dt.date.fromisoformat(value)  # a full date is a TOML date
        return value  # a partial one stays text


def _items(values: list[Value]) -> Value:
    """A list's values: all of one item kind (text, or whole numbers), as it declares."""
    return cast(Value, values)


class ListKind(Kind):
    name = "list"
    summary = 'an array of strings; with `items = "integer"`, of whole numbers'
    expected = "a list"
    takes_ref = True
    item_kinds = ("text", "integer")
    _EXAMPLES: ClassVar[dict[str, tuple[str, str]]] = {
        "text": ("text", '["a", "b"]'),
        "integer": ("whole numbers", "[2019, 2020]"),
    }

    def element(self, field: Field) -> Field:
        return Field(field.name, field.items or TEXT, field.title, field.description)

    def from_toml(self, field: Field, raw: object) -> Value:
        item = self.element(field)
        if isinstance(raw, list):
            try:
                return _items([item.type.from_toml(item, v) for v in raw])
            except ValueProblem:
                pass
        plural, example = self._EXAMPLES[item.type.name]
        raise ValueProblem(f"expected an array of {plural} such as {example}, got {describe(raw)}")

    def from_text(self, field: Field, text: str) -> Value:
        """Items separated by ';', each typed as the list's items are."""
        item = self.element(field)
        return _items([item.type.from_text(item, i.strip()) for i in text.split(";") if i.strip()])

    def target(self, field: Field, text: str) -> Value:
        # = and != ask whether the list holds the value, typed as the list's items
        item = self.element(field)
        return item.type.from_text(item, text)

    def equals(self, field: Field, target: Value) -> Test:
        return lambda v: isinstance(v, list) and target in v

    def sort_key(self, field: Field, value: Value) -> Any:
        if isinstance(value, list):
            return [v.casefold() if isinstance(v, str) else v for v in value]
        return value

    def display(self, field: Field, value: Value, sep: str = ", ") -> str:
        return sep.join(str(v) for v in value) if isinstance(value, list) else str(value)

    def plain(self, field: Field, value: Value) -> str:
        return self.display(field, value, "; ")

    def searchable(self, field: Field, value: Value) -> str:
        return fold(self.display(field, value, "\n"))


class ChoiceKind(Kind):
    name = "choice"
    summary = (
        "one of `choices`, by its `value`; `label` is shown to people, `aliases` are "
        "accepted on the command line"
    )
    expected = "one of its choices"
    closed = short = True

    def from_toml(self, field: Field, raw: object) -> Value:
        if isinstance(raw, str) and raw in field.rank:
            return raw
        raise ValueProblem(f"expected one of {', '.join(field.rank)}, got {describe(raw)}")

    def from_text(self, field: Field, text: str) -> Value:
        """The choice a user means: its code, label or an alias, or an unambiguous
        prefix of one, in any case."""
        names = Names((c.value, (c.label, *c.aliases)) for c in field.choices)
        found = names.find(text, prefix=True)
        if len(found) == 1:
            return found[0]
        valid = "valid values: " + ", ".join(f"{c.value} ({c.label})" for c in field.choices)
        if found:
            raise UsageError(
                f"{text!r} is ambiguous for {field.name}: it could be " + " or ".join(found),
                valid,
            )
        raise UsageError(f"unknown {field.name} {text!r}", valid)

    def sort_key(self, field: Field, value: Value) -> Any:
        return field.rank.get(str(value), len(field.choices))

    def display(self, field: Field, value: Value, sep: str = ", ") -> str:
        return field.labels.get(str(value), str(value))

    def searchable(self, field: Field, value: Value) -> str:
        return fold(f"{value}\n{field.labels.get(str(value), '')}")


class LevelKind(ChoiceKind):
    name = "level"
    summary = "like `choice`, and ordered: `<`, `>=` and sorting follow the order of `choices`"
    ordered = True


class BooleanKind(Kind):
    name = "boolean"
    summary = (
        "`true` or `false`; on the command line and in CSV also `yes` or `no` (`--where "
        "done=true`). Tables show yes and no, JSON `true` and `false`"
    )
    expected = "true or false (or yes or no)"
    short = True
    _WORDS: ClassVar[dict[str, bool]] = {"true": True, "yes": True, "false": False, "no": False}

    def from_toml(self, field: Field, raw: object) -> Value:
        if isinstance(raw, bool):
            return raw
        raise ValueProblem(f"expected true or false, got {describe(raw)}")

    def parse(self, field: Field, text: str) -> Value:
        value = self._WORDS.get(text.strip().casefold())
        if value is None:
            raise ValueError(text)
        return value

    def display(self, field: Field, value: Value, sep: str = ", ") -> str:
        return "yes" if value is True else "no" if value is False else str(value)

    def plain(self, field: Field, value: Value) -> str:
        return "true" if value is True else "false" if value is False else str(value)


URL_EXAMPLE = "an http or https URL such as https://example.org/page"


def is_url(text: str) -> bool:
    """An absolute http or https URL with a host, and nothing a terminal could act on:
    no spaces, no control, zero-width or bidirectional characters."""
    if not text.isprintable() or any(c.isspace() for c in text):
        return False
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(text)
        _ = parts.port  # a ValueError for a port that is not a number
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class UrlKind(TextKind):
    name = "url"
    summary = (
        "an absolute `http` or `https` URL (no spaces or control characters); in a table "
        "on a terminal, a hyperlink (OSC 8) that terminals with links make clickable, "
        "unless `--color never`"
    )
    expected = URL_EXAMPLE
    takes_ref = False
    link = True

    def from_toml(self, field: Field, raw: object) -> Value:
        if isinstance(raw, str) and is_url(raw):
            return raw
        raise ValueProblem(f"expected {URL_EXAMPLE}, got {describe(raw)}")

    def parse(self, field: Field, text: str) -> Value:
        if not is_url(text):
            raise ValueError(text)
        return text


TEXT = TextKind()
INTEGER = IntegerKind()
NUMBER = NumberKind()
DATE = DateKind()
LIST = ListKind()
CHOICE = ChoiceKind()
LEVEL = LevelKind()
BOOLEAN = BooleanKind()
URL = UrlKind()

# Every type a dataset file may declare, by the name it declares it with.
KINDS: dict[str, Kind] = {
    k.name: k for k in (TEXT, INTEGER, NUMBER, DATE, LIST, CHOICE, LEVEL, BOOLEAN, URL)
}


def display(field: Field, value: Value | None, sep: str = ", ") -> str:
    """A value as people read it: labels for choices, lists joined with `sep`."""
    return "" if value is None else field.type.display(field, value, sep)


def plain(field: Field, value: Value | None) -> str:
    """A value as CSV and TSV carry it: codes for choices, lists joined with "; "."""
    return "" if value is None else field.type.plain(field, value)


def sort_key(field: Field, value: Value) -> Any:
    """The ordering key of a present value: choices and levels in declared order."""
    return field.type.sort_key(field, value)


def searchable(field: Field, value: Value) -> str:
    return field.type.searchable(field, value)


def toml_value(field: Field, value: Value) -> object:
    return field.type.toml_value(field, value)
