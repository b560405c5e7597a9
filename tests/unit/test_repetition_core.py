"""The library under the repetition rules: filters of several values, --fields, rows
read with their places, and CSV cells for a spreadsheet."""

import pytest

from geobal.catalog import Catalog
from geobal.codecs.delimited import spreadsheet_cell
from geobal.errors import DataError, UsageError
from geobal.fieldtypes import LIST, NUMBER, TEXT
from geobal.model import Dataset, Field
from geobal.queries import Op, build, pick_fields, run
from geobal.transfer.rows import read_rows
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def items() -> Dataset:
    return Catalog(FIXTURES).get("items")


def ids(ds: Dataset, *filters: tuple[str, str, str | tuple[str, ...] | None]) -> list[str]:
    return [str(r["id"]) for r in run(ds, build(ds, filters=filters)).rows]


def test_a_filter_of_several_values_matches_any_of_them(items: Dataset) -> None:
    assert ids(items, ("kind", Op.EQ, ("alpha", "bravo"))) == ["a", "c"]
    assert ids(items, ("kind", Op.EQ, ("alpha,bravo",))) == ["a", "c"]
    assert ids(items, ("kind", Op.EQ, ("first", "Beta Kind"))) == ["b", "a"]  # aliases, labels
    assert ids(items, ("rank", Op.EQ, "low,top")) == ["b", "c"]  # a level, as one text
    # a list field: any of the items; its texts are not split at commas
    assert ids(items, ("tags", Op.EQ, ("x", "y"))) == ["b", "a"]
    assert ids(items, ("tags", Op.EQ, ("x,y",))) == []
    # no value given is no filter; other filters must still all hold
    assert ids(items, ("kind", Op.EQ, ())) == ["b", "a", "c", "d"]
    assert ids(items, ("kind", Op.EQ, ("alpha", "beta")), ("rank", Op.EQ, ("top",))) == ["b"]
    with pytest.raises(UsageError, match="unknown kind 'gamma'"):
        build(items, filters=[("kind", Op.EQ, ("alpha,gamma",))])


def test_fields_names_each_field_once(items: Dataset) -> None:
    assert [f.name for f in pick_fields(items.fields, "id, name ,,kind", "items")] == [
        "id",
        "name",
        "kind",
    ]
    with pytest.raises(UsageError) as info:
        pick_fields(items.fields, "id,Name,name", "items")
    assert (info.value.message, info.value.hint) == (
        "--fields names name twice (as Name and name)",
        "give each field once",
    )


def test_rows_are_read_with_their_place_in_the_file() -> None:
    csv = read_rows('a,b\n1,2\n\n"3\nx",4\n5,\n', "csv", "in.csv")
    assert csv.rows == [{"a": "1", "b": "2"}, {"a": "3\nx", "b": "4"}, {"a": "5", "b": ""}]
    assert csv.places == ["line 2", "line 4", "line 6"]
    lines = read_rows('{"a": 1}\r\n\n{"a": "\u2028"}\n', "jsonl", "in.jsonl")
    assert (lines.rows, lines.places) == ([{"a": 1}, {"a": "\u2028"}], ["line 1", "line 3"])
    array = read_rows('[{"a": 1}, {"a": {"b": 1, "b": 2}}]', "json", "in.json")
    assert array.places == ["item 1", "item 2"]  # a nested object is a value, checked later
    toml = read_rows("[[records]]\na = 1\n[[records]]\na = 2\n", "toml", "in.toml")
    assert toml.places == ["[[records]] 1", "[[records]] 2"]
    with pytest.raises(DataError) as info:
        read_rows("a,b\n1,2,3\n5\n", "csv", "in.csv")
    assert info.value.details == [
        "in.csv: line 2 has 3 cells, the header has 2",
        "in.csv: line 3 has 1 cells, the header has 2",
    ]


def test_a_spreadsheet_cell_makes_a_formula_text_and_keeps_a_figure() -> None:
    text, number, items = Field("t", TEXT, "T"), Field("n", NUMBER, "N"), Field("l", LIST, "L")
    for formula in ("=1+2", "+1", "-1", "@A1", "\tx", "\rx", "-"):
        assert spreadsheet_cell(text, formula) == "'" + formula
    for kept in ("1-2", "a=b", " =1", "'quoted", ""):
        assert spreadsheet_cell(text, kept) == kept
    assert spreadsheet_cell(number, -5) == "-5"
    assert spreadsheet_cell(number, -0.25) == "-0.25"
    assert spreadsheet_cell(number, None) == ""
    assert spreadsheet_cell(items, ["-x", "y"]) == "'-x; y"
