"""The schema: what a dataset file may declare, and the problems it reports."""

import tomllib
from pathlib import Path

import pytest

from geobal.errors import DataError
from geobal.fieldtypes import (
    INTEGER,
    KINDS,
    LIST,
    display,
    plain,
)
from geobal.model import Field
from geobal.schema import build_dataset, slug


def problems_of(text: str, name: str = "things") -> list[str]:
    with pytest.raises(DataError) as info:
        build_dataset(tomllib.loads(text), Path(f"/data/{name}.toml"))
    return [str(p) for p in info.value.problems]


MINIMAL = """
[dataset]
name = "things"
title = "Things"
key = "id"
[fields.id]
type = "text"
"""


def test_minimal_dataset_gets_the_built_in_sources_field() -> None:
    ds = build_dataset(tomllib.loads(MINIMAL), Path("/data/things.toml"))
    assert [f.name for f in ds.fields] == ["id", "sources", "origin", "file"]
    assert ds.fields[1].required and ds.fields[1].ref == "sources"
    assert ds.fields[2].derived and ds.fields[3].derived


def test_every_schema_problem_is_reported_not_just_the_first() -> None:
    text = """
    [dataset]
    name = "other"
    title = "Things"
    key = "missing"
    sort = ["nope"]
    colour = "red"
    [fields.id]
    type = "txt"
    [fields.level]
    type = "level"
    [fields.sources]
    type = "list"
    """
    assert problems_of(text) == [
        "/data/things.toml: [dataset]: unknown key 'colour'; allowed: name, title, "
        "description, key, sort, columns, updated, as_of, covers, scope, imported",
        "/data/things.toml: [dataset]: name 'other' does not match the file name "
        "'things.toml'; rename one so they agree",
        f"/data/things.toml: [fields.id]: type must be one of {', '.join(KINDS)}, not the "
        "text 'txt'",
        '/data/things.toml: [fields.level]: a level field needs choices = [{ value = "...", '
        'label = "..." }, ...]',
        "/data/things.toml: [fields.sources]: 'sources' is built in (every record cites its "
        "sources); remove this table",
        "/data/things.toml: [dataset]: key 'missing' is not a declared field; declare "
        '[fields.missing] with type = "text"',
        "/data/things.toml: [dataset]: sort names 'nope', which is not a declared field",
    ]


def test_record_problems_name_the_record_and_field() -> None:
    text = (
        MINIMAL
        + """
    [fields.year]
    type = "integer"
    required = true
    [fields.kind]
    type = "choice"
    choices = [{ value = "a" }, { value = "b" }]
    [[records]]
    id = "one"
    year = "2018"
    kind = "c"
    sources = ["s"]
    [[records]]
    id = "one"
    year = 2018
    colour = "red"
    sources = ["s"]
    [[records]]
    year = 2019
    [[records]]
    id = "../etc"
    year = 2020
    sources = "s"
    """
    )
    assert problems_of(text) == [
        "/data/things.toml: record one: year: expected a whole number, got the text '2018'",
        "/data/things.toml: record one: kind: expected one of a, b, got the text 'c'",
        "/data/things.toml: record one: id: duplicate id; each record needs its own",
        "/data/things.toml: record one: colour: unknown field; declared fields: id, kind, "
        "sources, year",
        "/data/things.toml: record #3: id: missing required field",
        "/data/things.toml: record #3: sources: missing required field",
        "/data/things.toml: record ../etc: id: ids are letters, digits, '.', '_' and '-', "
        "starting with a letter or digit",
        "/data/things.toml: record ../etc: sources: expected an array of text such as "
        '["a", "b"], got the text \'s\'',
    ]


def test_data_error_message_counts_the_rest() -> None:
    with pytest.raises(DataError) as info:
        build_dataset({"dataset": {"name": "x"}}, Path("/d/x.toml"))
    assert info.value.message == "/d/x.toml: [dataset]: missing 'title'"
    assert info.value.hint == (
        "3 more problems in this file; fix /d/x.toml and run the command again"
    )


def test_dataset_names_cannot_be_paths() -> None:
    assert problems_of(
        '[dataset]\nname = "../x"\ntitle = "t"\nkey = "id"\n[fields.id]\ntype = "text"'
    )[0] == (
        "/data/things.toml: [dataset]: name '../x' must be lower-case letters, digits, - and "
        "_, starting with a letter"
    )


def test_lists_of_whole_numbers() -> None:
    text = (
        MINIMAL
        + """
    [fields.years]
    type = "list"
    items = "integer"
    [[records]]
    id = "a"
    years = [2019, 2020]
    sources = ["s"]
    [[records]]
    id = "b"
    years = ["2019"]
    sources = ["s"]
    """
    )
    assert problems_of(text) == [
        "/data/things.toml: record b: years: expected an array of whole numbers such as "
        "[2019, 2020], got an array"
    ]
    assert problems_of(MINIMAL + '[fields.n]\ntype = "text"\nitems = "integer"\n') == [
        '/data/things.toml: [fields.n]: items applies to list fields, as "text" or "integer"'
    ]
    years = Field("years", LIST, "Years", items=INTEGER)
    assert (display(years, [2019, 2020]), plain(years, [2019, 2020])) == (
        "2019, 2020",
        "2019; 2020",
    )


@pytest.mark.parametrize(
    ("text", "made"),
    [
        ("Su-57 talks", "su-57-talks"),
        ("T\u00fcrkiye", "turkiye"),
        ("\u00d1and\u00fa", "nandu"),
        ("Cafe\u0301 cre\u0300me", "cafe-creme"),  # decomposed accents
        ("Stra\u00dfe", "strasse"),
        ("\u00c6bel\u00f8 \u0152uvre", "aebelo-oeuvre"),
        ("\u0141\u00f3d\u017a \u0110akovo \u00deingvellir", "lodz-dakovo-thingvellir"),
        ("\u0130stanbul \u0131", "istanbul-i"),
        ("\uff34\uff4f\uff4b\uff59\uff4f \u0662\u0660\u0662\u0666", "tokyo-2026"),
        ("\u041c\u043e\u0441\u043a\u0432\u0430", ""),  # no Latin letter: callers refuse it
        ("\u6771\u4eac", ""),
    ],
)
def test_ids_made_from_text_are_transliterated(text: str, made: str) -> None:
    assert slug(text) == made
