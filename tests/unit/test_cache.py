"""The parse cache: used only when current, never trusted when stale or corrupt."""

import os
from pathlib import Path

from geobal.cache import Cache
from geobal.catalog import Catalog
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
    import marshal

    key = Cache.key(folder / "items.toml", ("dataset", "bundled"))
    entry.write_bytes(marshal.dumps(("geobal-parse-cache", key, {"meta": "x"})))  # type: ignore[arg-type]
    assert Catalog(folder, cache=cache).get("items").title == "Test items"


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
