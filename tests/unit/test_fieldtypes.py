"""Field kinds: how each type's values are read from files and from the command line,
compared, shown and written, and that every kind lives in the one registry."""

import datetime as dt
import re

import pytest

from geobal.edit import parse_field_spec
from geobal.errors import UsageError
from geobal.fieldtypes import (
    BOOLEAN,
    CHOICE,
    DATE,
    FIELD_HELP,
    INTEGER,
    KINDS,
    LIST,
    NUMBER,
    TEXT,
    URL,
    FigureKind,
    Kind,
    NumberText,
    Refused,
    ValueProblem,
    ascii_digits,
    display,
    exact_number,
    parse_date,
    plain,
    read_float,
)
from geobal.model import Choice, Field


def coerce(field: Field, raw: object) -> object:
    return field.type.from_toml(field, raw)


def parse_input(field: Field, text: str) -> object:
    return field.type.from_text(field, text)


SECTOR = Field(
    "sector",
    CHOICE,
    "Sector",
    choices=(
        Choice("air", "Air Systems", ("aviation",)),
        Choice("missile", "Missile Technology"),
        Choice("naval", "Naval Equipment", ("navy",)),
        Choice("cyber", "Cyber Defense", ("cyber defence",)),
    ),
)


@pytest.mark.parametrize(
    ("ftype", "raw", "message"),
    [
        (INTEGER, True, "expected a whole number, got the boolean true"),
        (INTEGER, 1.5, "expected a whole number, got the number 1.5"),
        (NUMBER, "1", "expected a number, got the text '1'"),
        (NUMBER, float("nan"), "expected a finite number, got nan or inf"),
        (TEXT, 3, "expected text, got the integer 3"),
        (LIST, ["a", 1], 'expected an array of text such as ["a", "b"], got an array'),
        (
            DATE,
            "2018-13",
            "expected a date such as 2018-10-05, 2018-10 or 2018, got '2018-13': there is "
            "no month 13",
        ),
        (
            DATE,
            "5 Oct 2018",
            "expected a date such as 2018-10-05, 2018-10 or 2018, got '5 Oct 2018'",
        ),
    ],
)
def test_coerce_rejects_wrong_types(ftype: Kind, raw: object, message: str) -> None:
    with pytest.raises(
        ValueProblem,
        match="^"
        + message.replace("(", r"\(")
        .replace("[", r"\[")
        .replace(")", r"\)")
        .replace("]", r"\]")
        .replace(".", r"\.")
        + "$",
    ):
        coerce(Field("f", ftype, "F"), raw)


def test_dates_keep_their_precision() -> None:

    f = Field("d", DATE, "D")
    assert coerce(f, dt.date(2018, 10, 5)) == "2018-10-05"
    assert coerce(f, "2018-10") == "2018-10"
    assert coerce(f, "2018") == "2018"
    assert parse_date(" 2024-02-29 ") == "2024-02-29"
    with pytest.raises(ValueProblem):
        parse_date("2023-02-29")
    with pytest.raises(ValueProblem, match="without a time"):
        coerce(f, dt.datetime(2018, 10, 5, 12, 0))


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("air", "air"),
        ("AIR", "air"),
        ("Air Systems", "air"),
        ("air-systems", "air"),
        ("aviation", "air"),
        ("miss", "missile"),
        ("Navy", "naval"),
        ("cyber defence", "cyber"),
        ("CYBER-DEFENSE", "cyber"),
    ],
)
def test_choices_accept_code_label_alias_and_prefix(typed: str, code: str) -> None:
    assert parse_input(SECTOR, typed) == code


def test_unknown_choice_lists_the_valid_ones() -> None:
    with pytest.raises(UsageError) as info:
        parse_input(SECTOR, "land")
    assert info.value.message == "unknown sector 'land'"
    assert info.value.hint == (
        "valid values: air (Air Systems), missile (Missile Technology), naval (Naval "
        "Equipment), cyber (Cyber Defense)"
    )


def test_ambiguous_prefix_is_an_error_naming_the_candidates() -> None:
    field = Field("k", CHOICE, "K", choices=(Choice("beta", "Beta"), Choice("bravo", "Bravo")))
    with pytest.raises(UsageError) as info:
        parse_input(field, "b")
    assert info.value.message == "'b' is ambiguous for k: it could be beta or bravo"


def test_parse_input_types_values() -> None:
    assert parse_input(Field("n", INTEGER, "N"), "2018") == 2018
    assert parse_input(Field("n", NUMBER, "N"), "5.43") == 5.43
    assert parse_input(Field("n", NUMBER, "N"), "5") == 5
    assert parse_input(Field("d", DATE, "D"), "2018-10") == "2018-10"
    with pytest.raises(UsageError, match=r"^n takes a whole number, not 'x'$"):
        parse_input(Field("n", INTEGER, "N"), "x")


def test_display_and_plain() -> None:
    assert display(SECTOR, "air") == "Air Systems"
    assert plain(SECTOR, "air") == "air"
    tags = Field("t", LIST, "T")
    assert display(tags, ["a", "b"]) == "a, b"
    assert display(tags, ["a", "b"], "\n") == "a\nb"
    assert plain(tags, ["a", "b"]) == "a; b"
    number = Field("n", NUMBER, "N")
    assert (display(number, 950.0), display(number, 5.43), display(number, None)) == (
        "950",
        "5.43",
        "",
    )


def test_every_kind_is_registered_under_its_own_name_and_describes_itself() -> None:
    def subclasses(cls: type) -> set[type]:
        found: set[type] = set(cls.__subclasses__())
        return found.union(*(subclasses(c) for c in found))

    # FigureKind is a view's (a figure as printed, marks and all): no schema declares it
    assert {type(k) for k in KINDS.values()} == subclasses(Kind) - {FigureKind}
    for name, kind in KINDS.items():
        assert kind.name == name and kind.summary and kind.expected


def test_new_accepts_every_kind_and_its_help_names_them_all() -> None:
    for name, kind in KINDS.items():
        spec = f"f:{name}=a,b" if kind.closed else f"f:{name}"
        assert parse_field_spec(spec)[1]["type"] == name
        assert re.search(rf"\b{name}\b", FIELD_HELP), name
    with pytest.raises(UsageError, match="unknown type 'string'") as info:
        parse_field_spec("f:string")
    assert info.value.hint == f"types: {', '.join(KINDS)}"


def test_booleans() -> None:
    done = Field("done", BOOLEAN, "Done")
    assert (coerce(done, True), coerce(done, False)) == (True, False)
    for raw in (1, "true", None):
        with pytest.raises(ValueProblem, match=r"^expected true or false, got "):
            coerce(done, raw)
    typed = {text: parse_input(done, text) for text in ("true", "Yes", " no ", "FALSE")}
    assert typed == {"true": True, "Yes": True, " no ": False, "FALSE": False}
    with pytest.raises(UsageError, match=r"^done takes true or false \(or yes or no\), not '1'$"):
        parse_input(done, "1")
    assert (display(done, True), display(done, False)) == ("yes", "no")
    assert (plain(done, True), plain(done, False)) == ("true", "false")
    assert BOOLEAN.equals(done, True)(True) and not BOOLEAN.equals(done, True)(False)
    assert not BOOLEAN.ordered and BOOLEAN.short


@pytest.mark.parametrize(
    "text",
    ["https://example.org", "http://example.org:8080/a?b=c#d", "https://[::1]/x", "HTTPS://A.B"],
)
def test_urls_that_are_urls(text: str) -> None:
    link = Field("link", URL, "Link")
    assert coerce(link, text) == parse_input(link, text) == text
    assert URL.link and display(link, text) == text


@pytest.mark.parametrize(
    "text",
    [
        "example.org",
        "ftp://example.org/file",
        "javascript:alert(1)",
        "https://",
        "https:///path",
        "https://exa mple.org",
        "https://example.org/\u202eevil",
        "https://example.org/\x1b]8;;",
        "https://example.org:port/",
        "https://[::1/",
    ],
)
def test_what_is_not_a_url(text: str) -> None:
    link = Field("link", URL, "Link")
    with pytest.raises(ValueProblem, match=r"^expected an http or https URL such as "):
        coerce(link, text)
    with pytest.raises(UsageError, match=r"^link takes an http or https URL such as "):
        parse_input(link, text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("9007199254740993", 9007199254740993),  # 2**53 + 1: whole, so kept whole
        ("9007199254740993.0", 9007199254740993),
        ("-9223372036854775808", -(2**63)),
        ("0.1", 0.1),  # the float whose shortest form is 0.1: what a file shows and sums add
        ("0.10", 0.1),
        ("1e3", 1000),
        (" 5.0 ", 5),
        ("1e20", 1e20),  # beyond 64-bit integers, and exactly the float 1e+20
        ("100000000000000000000", 1e20),
        ("\u0662\u0660\u0662\u0666.\u0665", 2026.5),  # Arabic-Indic digits
    ],
)
def test_a_number_is_kept_as_written(text: str, kept: float) -> None:
    value = exact_number(text)
    assert value == kept and type(value) is type(kept)


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("1234567890.123456789", "1234567890.1234567"),
        ("9007199254740993.5", "9007199254740994.0"),
        (
            "9223372036854775808",
            "9.223372036854776e+18",
        ),  # 2**63: a float's shortest form is not it
        ("-9223372036854775809", "-9.223372036854776e+18"),
        ("1e-400", "0.0"),
    ],
)
def test_a_number_no_int_or_float_holds_exactly_is_refused(text: str, stored: str) -> None:
    with pytest.raises(Refused) as info:
        exact_number(text)
    assert str(info.value) == (
        f"{text} cannot be kept exactly: a number field holds whole numbers of up to 64 "
        f"bits and 64-bit floats (about 15 significant digits), which would store it as "
        f"{stored}"
    )
    with pytest.raises(UsageError) as typed:
        parse_input(Field("n", NUMBER, "N"), text)
    assert typed.value.message == f"n: {info.value}"
    assert (
        typed.value.hint == "round it to the digits you mean, or keep every digit in a text field"
    )


def test_a_number_beyond_a_floats_range_or_no_figure_is_refused() -> None:
    for text in ("1e400", "-1e400", "1" * 400):
        with pytest.raises(Refused, match=r"is beyond a number field's range \(64-bit floats"):
            exact_number(text)
    with pytest.raises(Refused, match=r"^1111111111111111…11111111 \(5000 characters\) is beyond"):
        exact_number("1" * 5000)
    for text in ("nan", "inf", "-Infinity", "x", ""):
        with pytest.raises(UsageError, match=f"^n takes a number, not {text!r}$"):
            parse_input(Field("n", NUMBER, "N"), text)


def test_a_file_s_float_is_the_figure_written_or_kept_as_its_text() -> None:
    assert [read_float(t) for t in ("1.5", "1.50", "1e3", "1_0.5", "inf")] == [
        1.5,
        1.5,
        1000.0,
        10.5,
        float("inf"),
    ]
    for text in ("1234567890.123456789", "9007199254740993.0", "1e400"):
        kept = read_float(text)
        assert isinstance(kept, NumberText) and kept.text == text == repr(kept) == str(kept)
    n, i = Field("n", NUMBER, "N"), Field("i", INTEGER, "I")
    assert coerce(n, NumberText("9007199254740993.0")) == 9007199254740993
    with pytest.raises(Refused, match=r"^1234567890\.123456789 cannot be kept exactly"):
        coerce(n, NumberText("1234567890.123456789"))
    with pytest.raises(ValueProblem, match=r"^expected a whole number, got the number 2\.50$"):
        coerce(i, NumberText("2.50"))
    with pytest.raises(ValueProblem, match=r"^expected text, got the number 1e400$"):
        coerce(Field("t", TEXT, "T"), NumberText("1e400"))
    # an integer beyond 64 bits comes only from JSON: a number field keeps it where a
    # float is exactly it, and an integer field never
    assert coerce(n, 10**20) == 1e20
    with pytest.raises(Refused, match=r"^18446744073709551616 cannot be kept exactly"):
        coerce(n, 2**64)
    with pytest.raises(Refused, match=r"^18446744073709551616 is outside an integer field's"):
        coerce(i, 2**64)
    with pytest.raises(Refused, match=r"^18446744073709551616 is outside an integer field's"):
        coerce(Field("y", LIST, "Y", items=INTEGER), [2019, 2**64])


@pytest.mark.parametrize(
    "text", ["9223372036854775808", "-9223372036854775809", "99999999999999999999"]
)
def test_an_integer_beyond_64_bits_is_refused(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_input(Field("i", INTEGER, "I"), text)
    assert info.value.message == (
        f"i: {text} is outside an integer field's range, -9223372036854775808 to "
        "9223372036854775807 (64 bits, as TOML holds integers)"
    )
    assert parse_input(Field("i", INTEGER, "I"), "9223372036854775807") == 2**63 - 1


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2026-00", "there is no month 00"),
        ("2026-13", "there is no month 13"),
        ("2026-10-00", "2026-10 has no day 00"),
        ("2025-02-29", "2025-02 has no day 29"),
        ("2026-04-31", "2026-04 has no day 31"),
        ("0000", "there is no year 0000; years run from 0001"),
        ("0000-01", "there is no year 0000; years run from 0001"),
    ],
)
def test_dates_that_do_not_exist(text: str, why: str) -> None:
    with pytest.raises(ValueProblem) as info:
        parse_date(text)
    assert str(info.value) == f"expected {DATE_EXAMPLE}, got {text!r}: {why}"
    with pytest.raises(UsageError) as typed:
        parse_input(Field("d", DATE, "D"), text)
    assert typed.value.message == f"d takes {DATE_EXAMPLE}, not {text!r}: {why}"


DATE_EXAMPLE = "a date such as 2018-10-05, 2018-10 or 2018"


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("\u0662\u0660\u0662\u0666", "2026"),  # Arabic-Indic
        ("\u06f2\u06f0\u06f2\u06f6-\u06f0\u06f3", "2026-03"),  # Persian
        ("\u0968\u0966\u0968\u096b-\u0966\u096c-\u0966\u0967", "2025-06-01"),  # Devanagari
        ("\uff12\uff10\uff12\uff16\uff0d\uff11\uff10", "2026-10"),  # full-width, dash too
        ("2\u0660\u0662\u0666", "2026"),
    ],
)
def test_dates_in_other_digits_are_stored_in_ascii(text: str, stored: str) -> None:
    assert parse_date(text) == stored
    assert coerce(Field("d", DATE, "D"), text) == stored
    assert parse_input(Field("d", DATE, "D"), text) == stored


def test_digits_of_other_scripts_read_as_ascii_everywhere() -> None:
    assert ascii_digits("2026") == "2026"
    assert ascii_digits("\u0968\u0966 \uff12x") == "20 2x"
    assert ascii_digits("10\u00b2") == "10\u00b2"  # 10 squared, not 102: refused below
    with pytest.raises(UsageError, match=r"^i takes a whole number, not '10\u00b2'$"):
        parse_input(Field("i", INTEGER, "I"), "10\u00b2")
    assert parse_input(Field("i", INTEGER, "I"), "\u0662\u0660\u0662\u0666") == 2026
    assert parse_input(Field("n", NUMBER, "N"), "\uff11\uff0e\uff15") == 1.5
    years = Field("y", LIST, "Y", items=INTEGER)
    assert parse_input(years, "\u0968\u0966\u0968\u096b; 2026") == [2025, 2026]


def test_text_is_kept_composed() -> None:
    decomposed, composed = "Cafe\u0301 Noir", "Caf\u00e9 Noir"
    text = Field("t", TEXT, "T")
    assert coerce(text, decomposed) == composed
    assert parse_input(text, decomposed) == composed
    assert coerce(Field("l", LIST, "L"), [decomposed]) == [composed]
    assert parse_input(Field("l", LIST, "L"), f"a; {decomposed}") == ["a", composed]
    assert TEXT.sort_key(text, decomposed) == TEXT.sort_key(text, composed)
    assert TEXT.searchable(text, decomposed) == TEXT.searchable(text, composed) == "caf\u00e9 noir"
