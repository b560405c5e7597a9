"""Search from the parse cache's columns (searching.holding) finds exactly what reading
each value with fieldtypes.searchable finds, and reads a value of a shape it was not
built for with searchable itself."""

import marshal
import zlib
from collections.abc import Callable
from pathlib import Path
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


def _listed(fields: dict[str, Field], columns: dict[str, list[Any]]) -> Dataset:
    """A dataset of these columns, as a list of records, record i of value i of each."""
    rows = max(len(c) for c in columns.values())
    records: list[Record] = []
    for i in range(rows):
        record: Record = {"id": f"r{i}"}
        for name, column in columns.items():
            if i < len(column) and column[i] is not None:
                record[name] = column[i]
        records.append(record)
    key = Field("id", TEXT, "Id")
    return Dataset("d", "D", "", "id", (key, *fields.values()), records, __file__)  # type: ignore[arg-type]


def test_a_search_from_columns_finds_what_one_record_at_a_time_finds() -> None:
    listed = _listed(FIELDS, COLUMNS)
    records = list(listed.records)
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


# --- the search texts the cache keeps per chunk (searching.chunk_text) ---

AWKWARD: dict[str, list[Any]] = {
    "awkward": [
        "Stra\u00dfe",
        "\u212a",  # the Kelvin sign
        "\ufb01ne",  # a ligature: casefolds to "fi"
        "a\x00b",
        "line\nnext",
        "\u0130stanbul",  # a dotted capital I: casefolds to i and a combining dot
        "\u01c4",  # a digraph: casefolds to d and z with caron
        "caf\u00e9",
        None,
        "",
    ],
    "mixed": [1, 1.0, True, -0.0, 0.0, 0, False, 1e16, 10**16, None, 2.5],
}
AWKWARD_FIELDS = {
    "awkward": Field("awkward", TEXT, "Awkward"),
    "mixed": Field("mixed", NUMBER, "Mixed"),
}
MORE_NEEDLES = [
    *NEEDLES,
    "ss",
    "\u212a",
    "fi",
    "\ufb01",
    "a\x00b",
    "b\x00",
    "line\nnext",
    "e\nn",
    "i\u0307stanbul",
    "istanbul",
    "\u01c6",
    "1",
    "1.0",
    "true",
    "false",
    "-0",
    "0.0",
    "2.5",
    "e\x00s",  # across two values of one chunk: in its text, in no value
    "zzz no such text",
]


def _datasets(chunk: int) -> tuple[Dataset, Dataset]:
    """One dataset of every column above as a list of records, and the same as the cache
    keeps it, with its search texts, in chunks of `chunk` records."""
    from geobal.cache import from_payload, to_payload

    listed = _listed({**FIELDS, **AWKWARD_FIELDS}, {**COLUMNS, **AWKWARD})
    saved = Columns.CHUNK
    Columns.CHUNK = chunk
    try:
        payload = marshal.loads(marshal.dumps(to_payload(listed)))  # as an entry holds it
    finally:
        Columns.CHUNK = saved
    return listed, from_payload(payload, listed.path)


@pytest.mark.parametrize("chunk", [1, 2, 3, 4096])
def test_a_search_passing_over_chunks_finds_what_each_value_finds(chunk: int) -> None:
    listed, cached = _datasets(chunk)
    assert isinstance(cached.records, Columns)
    assert set(cached.records.texts) == {f.name for f in listed.fields}
    for needle in MORE_NEEDLES:
        folded = fold(needle)
        assert searching.hits([cached], folded) == searching.hits([listed], folded), needle


def test_a_chunks_search_text_holds_each_of_its_values_text() -> None:
    listed, cached = _datasets(2)
    assert isinstance(cached.records, Columns)
    for f in listed.fields:
        texts = cached.records.texts[f.name][1]
        for c, text in enumerate(texts):
            assert text is not None
            for value in cached.records.chunk(f.name, c):
                if value is not None:
                    assert searchable(f, value).encode("utf-8", "surrogatepass") in text


def test_a_chunk_whose_text_does_not_hold_the_needle_is_not_unpacked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    listed, cached = _datasets(2)
    read: list[tuple[str, int]] = []
    unpack = Columns.chunk

    def counted(self: Columns, name: str, index: int) -> list[Any]:
        read.append((name, index))
        return unpack(self, name, index)

    monkeypatch.setattr(Columns, "chunk", counted)
    monkeypatch.setattr(Columns, "column", lambda *a: pytest.fail("a whole column read"))
    assert searching.hits([cached], "zzz no such text") == []
    assert read == []
    assert searching.hits([cached], "kelvin") == searching.hits([listed], "kelvin")
    # the text's chunk of its field, then the chunk's fields a hit shows or holds it
    assert read[0] == ("text", 2) and {n for n, c in read} == {"text", "id", "date"}
    assert {c for n, c in read} == {2}


def test_search_texts_that_are_missing_or_of_another_shape_are_never_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry without them, or with a text per chunk missing or not bytes, is no
    dataset (the catalog makes the entry again); one of another FORMAT is not read."""
    from geobal import cache as cache_module
    from geobal import catalog as catalog_module
    from geobal.cache import Cache, from_payload, to_payload
    from geobal.catalog import Catalog
    from tests.conftest import FIXTURES

    parsed: list[Path] = []
    parse = catalog_module.read_dataset

    def counted(path: Path, origin: str) -> Dataset:
        parsed.append(path)
        return parse(path, origin)

    monkeypatch.setattr(catalog_module, "read_dataset", counted)

    listed, _ = _datasets(2)
    payload = to_payload(listed)
    spoils: list[Callable[[dict[str, Any]], object]] = [
        lambda p: p.pop("search"),
        lambda p: p["search"]["text"][1].pop(),
        lambda p: p["search"]["text"][1].__setitem__(0, "s-400"),
        lambda p: p["search"].__setitem__("text", None),
    ]
    for spoil in spoils:
        bad = marshal.loads(marshal.dumps(payload))
        spoil(bad)
        with pytest.raises((KeyError, TypeError, ValueError)):
            from_payload(bad, listed.path)

    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "items.toml").write_text((FIXTURES / "items.toml").read_text())
    cache = Cache(tmp_path / "cache")
    Catalog(folder, cache=cache).get("items")
    entry = next((tmp_path / "cache" / "datasets").glob("items-*.marshal"))
    magic, key, _, body = marshal.loads(entry.read_bytes())
    stored = marshal.loads(body)
    assert stored["search"]
    del stored["search"]  # an entry written before the texts, under today's key
    body = marshal.dumps(stored)
    entry.write_bytes(marshal.dumps((magic, key, zlib.crc32(body), body)))
    parsed.clear()
    Catalog(folder, cache=Cache(tmp_path / "cache")).get("items")
    assert parsed == [folder / "items.toml"]  # the file read again
    assert marshal.loads(marshal.loads(entry.read_bytes())[3])["search"]  # and kept
    parsed.clear()
    cached = Catalog(folder, cache=Cache(tmp_path / "cache")).get("items")
    assert parsed == [] and isinstance(cached.records, Columns) and cached.records.texts

    # an entry of the FORMAT before: its key is not today's, so it is not read at all
    at = key.index(cache_module.FORMAT)  # path, file stamps, version, FORMAT, what else
    old = (*key[:at], cache_module.FORMAT - 1, *key[at + 1 :])
    entry.write_bytes(marshal.dumps((magic, old, zlib.crc32(body), body)))
    assert Cache(tmp_path / "cache").load(folder / "items.toml", key[at + 1 :]) is None
    Catalog(folder, cache=Cache(tmp_path / "cache")).get("items")
    assert parsed == [folder / "items.toml"]
    assert marshal.loads(entry.read_bytes())[1] == key


def test_search_texts_made_for_another_field_are_not_read() -> None:
    """A choice's labels are in its search texts: texts made before a label changed (the
    same columns under a field of other labels) are passed by, each value read."""
    listed, cached = _datasets(2)
    relabelled = tuple(
        Field(f.name, f.type, f.title, choices=(Choice("air", "Planes"), Choice("sea", "Ships")))
        if f.name == "choice"
        else f
        for f in listed.fields
    )
    new = cached.with_records(cached.records, relabelled)
    expected = searching.hits([listed.with_records(listed.records, relabelled)], "planes")
    assert expected and searching.hits([new], "planes") == expected
    assert searching.hits([cached], "planes") == []  # the texts as made: "aircraft"


def test_a_changed_chunk_is_read_until_its_text_is_made_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Columns.changed leaves a changed chunk no text: search reads it; the entry a
    write keeps makes only the texts of the chunks that changed."""
    from geobal.cache import from_payload, to_payload

    monkeypatch.setattr(Columns, "CHUNK", 2)
    listed, cached = _datasets(2)
    assert isinstance(cached.records, Columns)
    changed = cached.records.changed({0: {"id": "r0", "text": "Brand new"}}, [3], [{"id": "n"}])
    texts = changed.texts["text"][1]
    assert texts[0] is None and texts[1] is None and texts[-1] is None
    assert texts[2:-1] == cached.records.texts["text"][1][2:]  # chunk 1 lost record 3
    moved = cached.with_records(changed)
    assert [r["id"] for r in searching.hits([moved], "brand new")] == ["r0"]
    assert searching.hits([cached], "brand new") == []

    made: list[int] = []
    make = searching.chunk_text

    def counted(field: Field, values: Any) -> bytes:
        made.append(1)
        return make(field, values)

    monkeypatch.setattr(searching, "chunk_text", counted)
    again = from_payload(marshal.loads(marshal.dumps(to_payload(moved))), listed.path)
    assert len(made) == 3 * len(listed.fields)  # the first two chunks and the last
    for needle in MORE_NEEDLES:
        folded = fold(needle)
        assert searching.hits([again], folded) == searching.hits([moved], folded), needle
