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
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, cast

from geobal.errors import UsageError
from geobal.model import Field, Value
from geobal.names import Names, fold, nfc

Compare = Callable[[Any, Any], bool]
Test = Callable[[Value], bool]

# ASCII digits only: text in other digits is converted first (ascii_digits)
DATE_RE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
DATE_EXAMPLE = "a date such as 2018-10-05, 2018-10 or 2018"

# TOML's integers are signed 64-bit: a file holding more is one other TOML readers refuse
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
# what a Kind's quick_toml check gives where from_toml must decide
SLOW: Any = object()
Quick = Callable[[object], Any]  # a Value, or SLOW
INT64_RANGE = f"{INT64_MIN} to {INT64_MAX}"


class ValueProblem(Exception):
    """A value that does not fit its field; the message says what was expected, and
    `why`, where there is more to say than that, what is wrong with this value."""

    def __init__(self, message: str, why: str = "") -> None:
        super().__init__(message)
        self.why = why


class Refused(ValueProblem):
    """A value of the field's kind that the field cannot hold as given: beyond its range
    or its precision. The message names the value and the limit, the hint what to do."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


class NumberText:
    """A number a file gives (TOML or JSON) whose float would not be the number written,
    kept as its text: a number field holds it exactly (as a whole number) or refuses
    it, naming the limit, and every other field refuses it as a number."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text  # as the file wrote it, in any message that shows the value


def ascii_digits(text: str) -> str:
    """Text with digits of other scripts as ASCII digits ("٢٠٢٦", "२०२५" and full-width
    digits are 2026), so that what is stored, compared and sorted is one form; the
    other full-width forms (U+FF01 to U+FF5E: a full-width hyphen-minus, full stop...)
    become the ASCII characters they double. Superscripts and the like stay as they
    are, for the field to refuse: "10²" is not 102."""
    if text.isascii():
        return text
    return "".join(
        str(int(c)) if c.isdecimal()  # any script's 0-9, as int() reads them
        else chr(ord(c) - _FULL_WIDTH) if "\uff01" <= c <= "\uff5e"
        else c
        for c in text
    )  # fmt: skip


_FULL_WIDTH = 0xFF01 - 0x21  # from a full-width form to the ASCII character it doubles


def _shown(text: str) -> str:
    """A number for a message: a very long one cut to its ends and its length."""
    return text if len(text) <= 40 else f"{text[:16]}…{text[-8:]} ({len(text)} characters)"


def _outside_int64(text: str) -> Refused:
    return Refused(
        f"{_shown(text)} is outside an integer field's range, {INT64_RANGE} (64 bits, as "
        "TOML holds integers)",
        "a number field keeps larger figures to about 15 significant digits; a text field "
        "keeps every digit",
    )


# a number as typed: digits, an optional sign, point and exponent. Python's int() and
# float() read more ("1_000", " 1 "), a notation no source writes a figure in: refused,
# with the form to type instead. Digits of other scripts are read as ASCII digits first,
# as a date's are (the README's promise), so what is stored is ASCII either way
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_WHOLE = re.compile(r"[+-]?[0-9]+")


def typed_number(text: str, whole: bool = False) -> str:
    """`text` in ASCII digits, stripped, if it writes a number (`whole`: a whole number);
    else ValueProblem saying the form to type ("1000", not "1_000" or "1,000"), or a
    ValueError for text that is no number at all."""
    form = _WHOLE if whole else _NUMBER
    given = ascii_digits(text.strip())
    if form.fullmatch(given):
        return given
    hint = _separated(given, form)
    if hint:
        raise ValueProblem("", hint)
    raise ValueError(text)


def _separated(given: str, form: re.Pattern[str]) -> str | None:
    """How to write a number typed with separators, or None where it is none. A comma
    groups digits in threes (1,000), or India's way (1,00,000), and is a decimal comma in
    much of Europe (1,5; 1.234,5): where it may be either, the hint gives each reading
    with its condition, so it never suggests a figure that may be another one."""
    point = re.sub(r"(?<=[0-9])[_, ](?=[0-9])", "", given)  # , groups digits, . is the mark
    whole, _, after = given.partition(",")
    groups = re.sub(r"(?<=[0-9])[_. ](?=[0-9])", "", whole)  # . groups digits, , is the mark
    comma = f"{groups}.{after}" if after else groups
    by_point = point != given and form.fullmatch(point) is not None
    if by_point and "," in given:
        digits = re.split(r"[.eE]", re.sub(r"[_ ]", "", given))[0].lstrip("+-")
        by_point = _COMMA_GROUPS.fullmatch(digits) is not None
    by_comma = (
        comma != point
        and "," not in after
        and "." not in after
        and _NUMBER.fullmatch(comma) is not None
        and re.search(r"\.(?![0-9]{3}(?![0-9]))", whole) is None  # dots group in threes
    )
    if by_comma and not after:  # dots alone, grouping digits: 1.234.567
        return f"digits are written with no separators: if {given} means {comma}, write {comma}"
    if by_comma and not by_point:
        if form.fullmatch(comma) is None:
            return f"if {given} means {comma} (a decimal comma), it is not a whole number"
        return f"the decimal mark is a point: if {given} means {comma}, write {comma}"
    if by_point and by_comma and form.fullmatch(comma) is not None:
        return (
            f"digits are written with no separators, and the decimal mark is a point: "
            f"if {given} means {point}, write {point}; if it means {comma}, write {comma}"
        )
    if by_point and by_comma:
        return f"digits are written with no separators: if {given} means {point}, write {point}"
    if by_point:
        return f"digits are written with no separators: write it {point}"
    return None


# digits grouped by commas: in threes, or India's way (threes, then twos: 1,00,000)
_COMMA_GROUPS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,2}(?:,[0-9]{2})*,[0-9]{3}")


def whole_number(value: int, text: str | None = None) -> int:
    """A whole number an integer field can hold: TOML's 64 bits; else Refused."""
    if INT64_MIN <= value <= INT64_MAX:
        return value
    raise _outside_int64(str(value) if text is None else text)


def exact_number(text: str) -> int | float:
    """The number `text` writes, as a number field holds it: a whole number within 64
    bits as an integer, else the 64-bit float whose shortest form (what TOML and JSON
    files show, and what sums add) is that same decimal; "0.1" is 0.1. Text that is
    no number at all is a ValueError; a number no int or float holds exactly is
    Refused, naming the limit: 9007199254740993.5 would be ...994.0."""
    text = typed_number(text)
    try:
        whole: int | None = int(text)
    except ValueError:  # not a whole number, or one of more than 4,300 digits
        whole = None
    if whole is not None and INT64_MIN <= whole <= INT64_MAX:
        return whole
    number = float(text)  # typed_number let no inf or nan through: no figure
    if math.isfinite(number) and repr(number) == text:  # most decimals: already exact
        return int(number) if number.is_integer() and abs(number) < 2**63 else number
    from decimal import Decimal  # only for text whose float may not be it

    written = Decimal(text)
    if written == written.to_integral_value() and INT64_MIN <= written <= INT64_MAX:
        return int(written)  # 9007199254740993.0: a whole number, kept whole
    if not math.isfinite(number):
        raise Refused(
            f"{_shown(text)} is beyond a number field's range (64-bit floats, up to about 1.8e308)",
            "give the figure in a larger unit, or keep it in a text field",
        )
    if Decimal(repr(number)) == written:
        return number
    raise Refused(
        f"{_shown(text)} cannot be kept exactly: a number field holds whole numbers of up "
        "to 64 bits and 64-bit floats (about 15 significant digits), which would store it "
        f"as {number!r}",
        "round it to the digits you mean, or keep every digit in a text field",
    )


def read_float(text: str) -> float | NumberText:
    """A float as a file writes it (TOML's and JSON's parse_float): the float where it is
    the decimal written, as nearly all are, else the text (NumberText), so that a
    number field refuses it rather than keeping a rounded figure."""
    number = float(text)
    if repr(number) == text or (not math.isfinite(number) and text.lstrip("+-").isalpha()):
        return number
    text = text.replace("_", "")  # TOML's syntax separates digits so; typed text may not
    try:
        same = exact_number(text) == number
    except (ValueError, ValueProblem):
        same = False
    return number if same else NumberText(text)


def blank(value: object) -> bool:
    """Whether `value` is no value: None, text of nothing but spaces, a list of no items.
    The one rule of every path a record takes (a dataset file, add, set, import): a blank
    value is left out, so a required field given blank is missing, and an empty list is
    never stored as [] on one path and left out on another."""
    if isinstance(value, str):
        return value.strip() == ""
    return value is None or (isinstance(value, list) and not value)


def describe(value: object) -> str:
    """A TOML-flavoured description of a value, for error messages."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the integer {_shown(str(value))}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, NumberText):
        return f"the number {_shown(value.text)}"
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
    # a whole float short of where repr turns to an exponent (1e16) is its digits, 5 not
    # 5.0; past it repr's shortest round-trip form (1e+308), which reads back as the same
    # number, where the integer's digits would be 309 of them, most made up by the float
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
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

    def quick_toml(self, field: Field) -> "Quick | None":
        """A check of the values of `field` most files hold, much quicker than
        from_toml: it gives the value from_toml would give, or SLOW where from_toml
        must decide (a blank value included); None where the kind has none."""
        return None

    def parse(self, field: Field, text: str) -> Value:
        """A value from text; ValueError or ValueProblem if it does not fit."""
        raise NotImplementedError

    def from_text(self, field: Field, text: str) -> Value:
        """A value typed from command-line or CSV text; a UsageError names the field."""
        try:
            return self.parse(field, text)
        except Refused as err:
            raise UsageError(f"{field.name}: {err}", err.hint) from None
        except ValueProblem as err:
            why = f": {err.why}" if err.why else ""
            raise UsageError(f"{field.name} takes {self.expected}, not {text!r}{why}") from None
        except ValueError:
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


def _whole(text: str) -> str:
    """`text`, if every character of it is one: half of a surrogate pair alone (from
    JSON's "\\ud800", say) is none, and no file can hold it."""
    if not text.isascii():
        half = next((c for c in text if "\ud800" <= c <= "\udfff"), None)
        if half is not None:
            raise ValueProblem(
                f"holds \\u{ord(half):04x}, half of a surrogate pair, which is no "
                "character (a JSON escape cut in two?)"
            )
    return text


class TextKind(Kind):
    name = "text"
    summary = "a string, kept composed (NFC) however its accents were typed"
    expected = "text"
    ordered = True
    takes_ref = True

    # Text is kept composed (NFC), as it is read and as it is typed, so "café" is one
    # string however its accent was typed, and = compares what people see.
    def from_toml(self, field: Field, raw: object) -> Value:
        if isinstance(raw, str):
            return nfc(_whole(raw))
        raise ValueProblem(f"expected text, got {describe(raw)}")

    def quick_toml(self, field: Field) -> "Quick | None":
        # ASCII text is composed and whole already: from_toml gives it as it is
        def quick(raw: object) -> object:
            if type(raw) is str and raw.isascii() and raw and not raw.isspace():
                return raw
            return SLOW

        return quick

    def parse(self, field: Field, text: str) -> Value:
        return nfc(_whole(text))

    def sort_key(self, field: Field, value: Value) -> Any:
        return nfc(value.casefold()) if isinstance(value, str) else value


class IntegerKind(Kind):
    name = "integer"
    summary = "a whole number from -9223372036854775808 to 9223372036854775807 (TOML's 64 bits)"
    expected = "a whole number"
    numeric = ordered = short = True

    def from_toml(self, field: Field, raw: object) -> Value:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return whole_number(raw)
        raise ValueProblem(f"expected a whole number, got {describe(raw)}")

    def quick_toml(self, field: Field) -> "Quick | None":
        def quick(raw: object) -> object:
            return raw if type(raw) is int and INT64_MIN <= raw <= INT64_MAX else SLOW

        return quick

    def parse(self, field: Field, text: str) -> Value:
        text = typed_number(text, whole=True)
        return whole_number(int(text), text)

    def ordering(self, field: Field, compare: Compare, target: Value) -> Test:
        return lambda v: compare(v, target)  # numbers are their own sort key


class NumberKind(IntegerKind):
    name = "number"
    summary = (
        "a whole number of 64 bits, or a finite 64-bit float; a figure neither holds exactly "
        "(more than about 15 significant digits) is refused, not rounded"
    )
    expected = "a number"

    def from_toml(self, field: Field, raw: object) -> Value:
        if isinstance(raw, bool):
            pass
        elif isinstance(raw, int):
            # beyond 64 bits only from a JSON import (or a file no other TOML reader reads)
            return raw if INT64_MIN <= raw <= INT64_MAX else exact_number(str(raw))
        elif isinstance(raw, float):
            if math.isfinite(raw):
                # a zero has no sign: -0.0 is 0.0, as typed "-0.0" is 0, so one figure
                # is never stored, printed or summed as two
                return 0.0 if raw == 0 else raw
            raise ValueProblem("expected a finite number, got nan or inf")
        elif isinstance(raw, NumberText):  # a float that would not be the figure written
            return exact_number(raw.text)
        raise ValueProblem(f"expected a number, got {describe(raw)}")

    def quick_toml(self, field: Field) -> "Quick | None":
        def quick(raw: object) -> object:
            kind = type(raw)
            if kind is int:
                return raw if INT64_MIN <= raw <= INT64_MAX else SLOW  # type: ignore[operator]
            if kind is float and raw != 0 and math.isfinite(raw):  # type: ignore[arg-type]
                return raw  # (a zero is from_toml's: it drops a minus sign)
            return SLOW

        return quick

    def parse(self, field: Field, text: str) -> Value:
        return exact_number(text)


def float_holds(value: int | float) -> bool:
    """Whether a 64-bit float is exactly this number of a number field: any float, and a
    whole number whose float is it (10**16 is; 2**53 + 1 is not)."""
    if isinstance(value, float):
        return True
    try:
        return float(value) == value
    except OverflowError:  # past 1.8e308
        return False


def number_column(values: Iterable[Value | None]) -> str:
    """How one column of a number field's values is typed, in every format and frame that
    types columns: "float" where a 64-bit float holds every value exactly, else "integer"
    where all are whole numbers of 64 bits, else "number": whole numbers no float holds
    beside fractions, which no one machine type holds (first_unheld names the value)."""
    present = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if all(map(float_holds, present)):
        return "float"
    if all(isinstance(v, int) and INT64_MIN <= v <= INT64_MAX for v in present):
        return "integer"
    return "number"


def first_unheld(values: Iterable[Value | None]) -> int:
    """The position of the first value of a "number" column (number_column) that its
    fractions' type cannot hold: a whole number no float holds exactly."""
    return next(
        i
        for i, v in enumerate(values)
        if isinstance(v, int) and not isinstance(v, bool) and not float_holds(v)
    )


def parse_date(text: str) -> str:
    """A full or partial ISO date (YYYY, YYYY-MM, YYYY-MM-DD): sources often give only
    a month or a year, and geobal must not invent the rest. Every part must exist (no
    month or day 00, no year 0000, no 2025-02-29), and the date is returned in ASCII
    digits whatever digits it was written in."""
    given = ascii_digits(text.strip())
    m = DATE_RE.fullmatch(given)
    if m is None:
        raise ValueProblem(f"expected {DATE_EXAMPLE}, got {text!r}")
    year, month, day = (int(g) if g else None for g in m.groups())
    why = ""
    if year == 0:
        why = "there is no year 0000; years run from 0001"
    elif month is not None and not 1 <= month <= 12:
        why = f"there is no month {m[2]}"
    elif day is not None:
        try:
            dt.date(year or 1, month or 1, day)
        except ValueError:
            why = f"{m[1]}-{m[2]} has no day {m[3]}"
    if why:
        raise ValueProblem(f"expected {DATE_EXAMPLE}, got {text!r}: {why}", why)
    return given


def date_value(raw: object) -> str:
    """A date as a dataset file gives it (a TOML date, or text), as an ISO string."""
    if isinstance(raw, dt.datetime):
        raise ValueProblem(f"expected a date without a time, got {describe(raw)}")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, str):
        return parse_date(raw)
    raise ValueProblem(f"expected {DATE_EXAMPLE}, got {describe(raw)}")


def date_span(text: str) -> tuple[str, str] | None:
    """The first and last day of a date as typed (see _span); None if it is no date."""
    try:
        return _span(parse_date(text))
    except ValueProblem:
        return None


def _span(date: str) -> tuple[str, str]:
    """The first and last day a full or partial ISO date may be, as text that sorts as
    the days do: 2015 -> ("2015-00-00", "2015-99-99")."""
    return (date + "-00-00"[len(date) - 4 :], date + "-99-99"[len(date) - 4 :])


class DateKind(Kind):
    name = "date"
    summary = (
        'a TOML date, or a string `"YYYY"` or `"YYYY-MM"` when only that much is known; '
        "only dates that exist, kept in ASCII digits (others, such as `٢٠٢٦`, are converted)"
    )
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
        """A date known to the year or month is a span of days (2015: all of 2015), as is
        the date compared with: a record is kept where some day of its span may hold,
        one rule for both (date<=2018 keeps 2018-10-05; date>=2015-06 keeps 2015, as
        date<2015-06 does; date>2018 does not keep 2018-10-05)."""
        import operator

        first, last = _span(str(target))
        # the bound of the record's span that decides, and what it is held to
        decide: dict[Compare, tuple[int, str]] = {
            operator.ge: (1, first),  # its last day on or after the first asked for
            operator.gt: (1, last),  # its last day after the last asked for
            operator.le: (0, last),  # its first day on or before the last asked for
            operator.lt: (0, first),  # its first day before the first asked for
        }
        bound, against = decide[compare]
        return lambda v: compare(_span(str(v))[bound], against)

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
            except Refused:
                raise  # an item of the right kind beyond its range: say which and why
            except ValueProblem:
                pass
        plural, example = self._EXAMPLES[item.type.name]
        raise ValueProblem(f"expected an array of {plural} such as {example}, got {describe(raw)}")

    def quick_toml(self, field: Field) -> "Quick | None":
        item = self.element(field)
        one = item.type.quick_toml(item)
        if one is None or item.type not in (TEXT, INTEGER):
            return None

        def quick(raw: object) -> object:
            if type(raw) is not list or not raw:
                return SLOW
            items = [one(v) for v in raw]  # an item of text may be blank: from_toml keeps it
            if SLOW in items:
                return SLOW
            return items

        return quick

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

    def quick_toml(self, field: Field) -> "Quick | None":
        rank = field.rank
        if any(blank(value) for value in rank):
            return None  # a blank value is missing, whatever the choices

        def quick(raw: object) -> object:
            return raw if type(raw) is str and raw in rank else SLOW

        return quick

    def from_text(self, field: Field, text: str) -> Value:
        """The choice a user means: its code, label or an alias, or an unambiguous
        prefix of one, in any case."""
        names = Names((c.value, (c.label, *c.aliases)) for c in field.choices)
        found = names.find(text, prefix=True) or _period_choice(field, text)
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


def _period_choice(field: Field, text: str) -> list[str]:
    """The choice a period names, where the choices are periods ("2019-23", as SIPRI's
    are): read by the one parser of periods, so --where period=2019-2023 (or with an en dash)
    finds what --period 2019-2023 does."""
    from geobal.periods import parse

    try:
        label = parse(text).label
    except UsageError:
        return []
    return [label] if label in field.rank else []


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

    def quick_toml(self, field: Field) -> "Quick | None":
        def quick(raw: object) -> object:
            return raw if type(raw) is bool else SLOW

        return quick

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

    def quick_toml(self, field: Field) -> "Quick | None":
        return None  # not text's: every value is checked as a URL

    def from_toml(self, field: Field, raw: object) -> Value:
        if isinstance(raw, str) and is_url(raw):
            return raw
        raise ValueProblem(f"expected {URL_EXAMPLE}, got {describe(raw)}")

    def parse(self, field: Field, text: str) -> Value:
        if not is_url(text):
            raise ValueError(text)
        return text


class FigureKind(TextKind):
    """A figure as its publisher prints it, marks and all ("2,941.0 e", "2.27%"): text
    for the tables of a view only (no schema declares it), which a table never breaks
    and sets to the right, as it does numbers."""

    short = True


TEXT = TextKind()
FIGURE = FigureKind()
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


# How `geobal new --field` names a field and its type, for help and messages.
_CLOSED = " or ".join(
    f"NAME:{k.name}=" + ("low,medium,high" if k.ordered else "a,b,c")
    for k in KINDS.values()
    if k.closed
)
FIELD_SPEC = f"NAME:TYPE, {_CLOSED} (! for required)"
FIELD_HELP = (
    "A field: NAME:TYPE with TYPE one of "
    + ", ".join(k.name for k in KINDS.values() if not k.closed)
    + f"; or {_CLOSED} (a level is ordered). Add ! after the type for a required field. "
    "Repeat for each field."
)
