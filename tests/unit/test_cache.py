"""The parse cache: used only when current, never trusted when stale or corrupt."""

import io
import marshal
import os
import zlib
from pathlib import Path
from typing import Any

import pytest

from geobal.cache import MAGIC, Cache
from geobal.catalog import Catalog
from geobal.env import Env
from geobal.formats import Color, Format
from geobal.model import Columns, Dataset, Record, column
from geobal.queries import build, run
from geobal.render import Output, emit
from tests.conftest import FIXTURES


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("items", "sources"):
        (folder / f"{name}.toml").write_text((FIXTURES / f"{name}.toml").read_text())
    return folder


def test_a_cached_dataset_equals_the_parsed_one(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    fresh = Catalog(folder).get("items")
    cache = Cache(tmp_path / "cache")
    first = Catalog(folder, cache=cache).get("items")  # parses and stores
    entry = next((tmp_path / "cache" / "datasets").glob("items-*.marshal"))
    second = Catalog(folder, cache=cache).get("items")  # from the cache
    assert first == second == fresh
    assert entry.stat().st_size > 0
    # the first read holds its records as the cache does, each column unpacked once
    assert isinstance(first.records, Columns) and isinstance(fresh.records, list)
    assert list(first.records) == fresh.records
    for f in fresh.fields:
        assert column(first.records, f.name) == [r.get(f.name) for r in fresh.records]
        assert column(first.records, f.name) is column(first.records, f.name)


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    cache = Cache(tmp_path / "cache")
    Catalog(folder, cache=cache).get("items")
    path = folder / "items.toml"
    text = path.read_text().replace('name = "Banana"', 'name = "Bananz"')  # same size
    stat = path.stat()
    path.write_text(text)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime
    assert Catalog(folder, cache=cache).get("items").by_id["b"]["name"] == "Bananz"


def test_a_corrupt_or_foreign_entry_is_rebuilt(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    cache = Cache(tmp_path / "cache")
    Catalog(folder, cache=cache).get("items")
    entry = next((tmp_path / "cache" / "datasets").glob("items-*.marshal"))
    for junk in (b"", b"\x00garbage", entry.read_bytes()[:100]):
        entry.write_bytes(junk)
        assert Catalog(folder, cache=cache).get("items").by_id["a"]["count"] == 3
    # the right key and checksum around a payload of another shape
    key = Cache.key(folder / "items.toml", ("dataset", "bundled"))
    body = marshal.dumps({"meta": "x"})
    entry.write_bytes(marshal.dumps((MAGIC, key, zlib.crc32(body), body)))  # type: ignore[arg-type]
    assert Catalog(folder, cache=cache).get("items").title == "Test items"


def test_a_damaged_column_is_caught_before_it_is_read(tmp_path: Path) -> None:
    """Columns are unpacked only when a query reads them, after the entry was accepted:
    the checksum over the whole entry is what stops a flipped byte reaching them."""
    folder = _copy(tmp_path)
    cache = Cache(tmp_path / "cache")
    Catalog(folder, cache=cache).get("items")
    entry = next((tmp_path / "cache" / "datasets").glob("items-*.marshal"))
    data = bytearray(entry.read_bytes())
    at = data.index(b"Banana")
    data[at] ^= 0x01  # "Banana" becomes "Canana", and the entry still unmarshals
    entry.write_bytes(bytes(data))
    magic, _, _, body = marshal.loads(bytes(data))
    assert magic == MAGIC and b"Canana" in body
    ds = Catalog(folder, cache=cache).get("items")
    assert [r["name"] for r in ds.records if r["id"] == "b"] == ["Banana"]


LISTINGS = [
    {},
    {"fields": "id,name"},
    {"fields": "name", "where": ["count>2"]},
    {"fields": "tags,id", "sort": ["-share"]},
    {"fields": "id", "search": "ban"},
    {"count_by": "tags"},
    {"count_by": "kind", "where": ["seen>=2018"]},
    {"where": ["rank=mid"], "sort": ["name"], "limit": 1},
    {"fields": "rank,kind", "desc": True},
]


@pytest.mark.parametrize("options", LISTINGS, ids=str)
@pytest.mark.parametrize("fmt", [Format.JSON, Format.CSV, Format.TOML, Format.MARKDOWN])
def test_a_narrowed_query_renders_as_the_whole_records_do(
    tmp_path: Path, options: dict[str, Any], fmt: Format
) -> None:
    """From the cache a listing builds records of only the fields it reads and shows;
    what it prints must not change."""
    folder = _copy(tmp_path)
    parsed = Catalog(folder).get("items")
    cache = Cache(tmp_path / "cache")
    Catalog(folder, cache=cache).get("items")
    cached = Catalog(folder, cache=cache).get("items")
    assert isinstance(cached.records, Columns)

    def output(ds: Dataset, narrow: bool) -> str:
        out = io.StringIO()
        frame = run(ds, build(ds, **options), narrow)
        emit(Output(Env(out, io.StringIO(), False, False, {}), fmt, Color.NEVER), frame)
        return out.getvalue()

    whole = output(parsed, False)
    assert output(cached, True) == whole
    assert output(cached, False) == whole


def test_columns_hold_records_exactly() -> None:
    records: list[Record] = [
        {"id": "a", "n": 1, "l": ["x"]},
        {"id": "b", "extra": 2.5},
        {"id": "c"},
    ]
    columns = Columns(*Columns.pack(records, ["id", "n", "l"]))
    assert len(columns) == 3 and list(columns) == records and columns == records
    assert columns[1] == {"id": "b", "extra": 2.5} and columns[1:] == records[1:]
    assert columns.narrowed(["n", "id", "n"]) == [
        {"n": 1, "id": "a"},
        {"n": None, "id": "b"},
        {"n": None, "id": "c"},
    ]
    assert columns.narrowed(["missing"]) == [{"missing": None}] * 3
    assert Columns(*Columns.pack([], ["id"])) == []
    empty = Columns(*Columns.pack([{}, {}], []))  # no fields at all: still two records
    assert list(empty) == [{}, {}] and empty.narrowed([]) == [{}, {}]


def test_an_unwritable_cache_is_not_kept(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    assert Catalog(folder, cache=Cache(blocked)).get("items").title == "Test items"


def test_clear(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    cache = Cache(tmp_path / "cache")
    catalog = Catalog(folder, cache=cache)
    catalog.get("items")
    catalog.get("sources")
    assert cache.clear() == 2
    assert Cache(tmp_path / "nowhere").clear() == 0


def test_columns_changed_in_place_equal_the_records_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Replacing, removing and adding records chunk by chunk gives what packing the
    changed list whole gives, across chunk boundaries, new fields and emptied chunks."""
    import random

    monkeypatch.setattr(Columns, "CHUNK", 3)
    rng = random.Random(7)
    records: list[Record] = [{"id": f"r{i}", "n": i} for i in range(10)]
    columns = Columns(*Columns.pack(records, ["id", "n"]))
    for step in range(60):
        positions = list(range(len(records)))
        replaced: dict[int, Record] = {
            p: {"id": f"x{step}-{p}", "t": "new"} for p in rng.sample(positions, 1)
        }
        removed = set(rng.sample(positions, min(len(positions), rng.randint(0, 3)))) - set(replaced)
        added: list[Record] = [{"id": f"a{step}-{k}", "n": k} for k in range(rng.randint(0, 4))]
        columns = columns.changed(replaced, removed, added)
        records = [replaced.get(p, r) for p, r in enumerate(records) if p not in removed] + added
        assert list(columns) == records, step
        assert [columns.record(i) for i in range(len(records))] == records
        assert all(0 < size <= 3 for size in columns.packed[0])
        columns = Columns(*columns.packed)  # as the cache stores and loads it
