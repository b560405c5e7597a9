"""Search from the parse cache's columns (searching.holding) finds exactly what reading
each value with fieldtypes.searchable finds, and reads a value of a shape it was not
built for with searchable itself."""

from typing import Any

import pytest

from geobal import searching
from geobal.fieldtypes import BOOLEAN, CHOICE, DATE, INTEGER, LIST, NUMBER, TEXT, URL, searchable
from geobal.model import Choice, Columns, Dataset, Field, Record
from geobal.names import fold


class Text(str):
    """A value of a type the fast path does not know: it reads otherwise than its
    characters."""

    def __str__(self) -> str:
        return "other words"


FIELDS = {
    "text": Field("text", TEXT, "Text"),
    "url": Field("url", URL, "URL"),
    "integer": Field("integer", INTEGER, "Integer"),
    "number": Field("number", NUMBER, "Number"),
    "date": Field("date", DATE, "Date"),
    "list": Field("list", LIST, "List"),
    "years": Field("years", LIST, "Years", items=INTEGER),
    "choice": Field(
        "choice", CHOICE, "Choice", choices=(Choice("air", "Aircraft"), Choice("sea", "Ships"))
    ),
    "boolean": Field("boolean", BOOLEAN, "Boolean"),
}
COLUMNS: dict[str, list[Any]] = {
    "text": [
        "S-400 Triumf",
        None,
        "Straße",  # casefolds to strasse
        "cafe\u0301",  # composed when folded
        "India\u2019s",  # a typographic quote folds to a plain one
        "\u212aelvin",  # the Kelvin sign folds to k
        "",
        "nul\x00s-400",
        "s-4",
        "00 and s-400",
        "ABC",
        "ﬁne",
    ],
    "url": ["https://example.org/S-400", None, "https://ex.org/straße"],
    "integer": [400, -400, 0, None, 2019, 10**18],
    "number": [400, 400.0, -0.0, 0.0, 0.5, 1e16, 1.5e300, None, 10**16, 2.25],
    "date": ["2019", "2019-03", "2019-03-04", None],
    "list": [
        ["S-400", "Su-30"],
        [],
        None,
        ["a", "b\ns-400"],
        ["Straße"],
        ["x"],
        ["S-400", "Su-30"],
    ],
    "years": [[2019, 2020], [400], None, [2019, 2020], []],
    "choice": ["air", "sea", None, "air", "air"],
    "boolean": [True, False, None, True],
}
NEEDLES = [
    "s-400",
    "400",
    "-400",
    "0",
    "-0",
    "strasse",
    "straße",
    "café",
    "india's",
    "kelvin",
    "k",
    "s-4",
    "\x00",
    "\n",
    "b\ns",
    "abc",
    "fine",
    "1e+16",
    "e+300",
    "10000000000000000",
    ".5",
    "2019\n2020",
    "aircraft",
    "air",
    "true",
    "yes",
    "no",
    "https",
    "-03",
]


def exact(field: Field, values: list[Any], folded: str) -> list[int]:
    return [i for i, v in enumerate(values) if v is not None and folded in searchable(field, v)]


@pytest.mark.parametrize("name", list(COLUMNS))
def test_a_column_holds_what_each_value_holds(name: str) -> None:
    field, values = FIELDS[name], COLUMNS[name]
    for needle in NEEDLES:
        folded = fold(needle)
        assert searching.holding(field, values, folded) == exact(field, values, folded), needle
        # and with no gaps to take out
        full = [v for v in values if v is not None]
        assert searching.holding(field, full, folded) == exact(field, full, folded), needle


def test_a_search_from_columns_finds_what_one_record_at_a_time_finds() -> None:
    fields = tuple(FIELDS.values())
    rows = max(len(c) for c in COLUMNS.values())
    records: list[Record] = []
    for i in range(rows):
        record: Record = {"id": f"r{i}"}
        for name, column in COLUMNS.items():
            if i < len(column) and column[i] is not None:
                record[name] = column[i]
        records.append(record)
    key = Field("id", TEXT, "Id")
    listed = Dataset("d", "D", "", "id", (key, *fields), records, __file__)  # type: ignore[arg-type]
    packed = listed.with_records(Columns(*Columns.pack(records, ["id", *FIELDS])))
    for needle in NEEDLES:
        folded = fold(needle)
        assert searching.hits([packed], folded) == searching.hits([listed], folded), needle
    assert searching.hits([packed], "s-400")  # something to agree on


def test_values_of_a_shape_the_columns_do_not_know_are_read_one_by_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Text of a type other than str, an integer column holding a boolean, a list of
    floats, numbers past 1e16 (where 1e16 and 10**16 read otherwise): each value is
    read by searchable, and the answer is the exact one."""
    calls: list[object] = []

    def counted(field: Field, value: Any) -> str:
        calls.append(value)
        return searchable(field, value)

    monkeypatch.setattr(searching, "searchable", counted)
    text, integer, listed = FIELDS["text"], FIELDS["integer"], FIELDS["list"]
    cases: list[tuple[Field, list[Any], str, int]] = [
        (text, ["s-400", Text("s-400"), None], "other", 2),  # the subclass: each read
        (listed, [[1.5], [1.5], ["a"]], "1.5", 3),  # items not text or whole numbers
        (listed, [["a"], "a", ["a"]], "a", 3),  # a list's value that is not a list
    ]
    for field, values, needle, read in cases:
        calls.clear()
        assert searching.holding(field, values, needle) == exact(field, values, needle)
        assert len(calls) == read, (field.name, values)
    # equal values that read otherwise are told apart (by their repr), not merged
    assert searching.holding(integer, [1, True, None, 1], "true") == [1]
    assert searching.holding(FIELDS["number"], [1e16, 10**16, 5.0], "1e+16") == [0]
    assert searching.holding(FIELDS["number"], [10**16, 1e16], "1e+16") == [1]
    calls.clear()
    assert searching.holding(text, ["S-400", "s-40", None], "s-400") == [0]
    assert calls == []  # ASCII text: none read alone
