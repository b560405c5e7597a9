"""Field kinds: how each type's values are read from files and from the command line,
compared, shown and written, and that every kind lives in the one registry."""

import datetime as dt
import re

import pytest

from geobal.edit import FIELD_HELP, parse_field_spec
from geobal.errors import UsageError
from geobal.fieldtypes import (
    BOOLEAN,
    CHOICE,
    DATE,
    INTEGER,
    KINDS,
    LIST,
    NUMBER,
    TEXT,
    URL,
    Kind,
    ValueProblem,
    display,
    parse_date,
    plain,
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
            "expected a date such as 2018-10-05, 2018-10 or 2018, got '2018-13'",
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

    assert {type(k) for k in KINDS.values()} == subclasses(Kind)
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
