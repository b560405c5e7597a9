"""Finding and reading dataset files, and what a broken one says."""

from pathlib import Path

import pytest

from geobal.catalog import Catalog, read_dataset
from geobal.errors import DataError, UsageError
from tests.conftest import FIXTURES, write_dataset


def test_names_and_lazy_loading() -> None:
    catalog = Catalog(FIXTURES)
    assert catalog.names() == ["items", "sources"]
    assert catalog._loaded == {}
    assert catalog.get("items").title == "Test items"
    assert list(catalog._loaded) == ["items"]


@pytest.mark.parametrize("name", ["nope", "../fixtures/items", "/etc/passwd", "it ems"])
def test_unknown_or_unsafe_dataset_names_are_usage_errors(name: str) -> None:
    with pytest.raises(UsageError) as info:
        Catalog(FIXTURES).get(name)
    assert info.value.message.startswith(f"unknown dataset {name!r}")
    assert info.value.hint == "available: items, sources"


@pytest.mark.parametrize("name", ["Items", "ITEMS", " items "])
def test_dataset_names_match_in_any_case(name: str) -> None:
    assert Catalog(FIXTURES).get(name).name == "items"


def test_close_names_are_suggested() -> None:
    with pytest.raises(UsageError, match=r"^unknown dataset 'item'; did you mean 'items'\?$"):
        Catalog(FIXTURES).get("item")


def test_toml_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    path = write_dataset(tmp_path, "bad", '[dataset]\nname = "bad"\ntitle = oops\n')
    with pytest.raises(DataError) as info:
        read_dataset(path)
    assert info.value.message == f"{path}:3:9: invalid TOML: Invalid value"
    assert info.value.hint == "fix the syntax at that position (see https://toml.io)"


def test_bad_utf8_names_the_position(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_bytes(b'[dataset]\nname = "b\xe9"\n')
    with pytest.raises(DataError) as info:
        read_dataset(path)
    assert info.value.message == f"{path}:2:10: not valid UTF-8 (byte 0xe9)"


def test_references_are_checked_across_datasets(tmp_path: Path) -> None:
    for name in ("items", "sources"):
        (tmp_path / f"{name}.toml").write_text((FIXTURES / f"{name}.toml").read_text())
    text = (
        (FIXTURES / "items.toml")
        .read_text()
        .replace(
            'sources = ["s1"]\n\n[[records]]\nid = "b"', 'sources = ["s9"]\n\n[[records]]\nid = "b"'
        )
    )
    (tmp_path / "items.toml").write_text(text)
    catalog = Catalog(tmp_path)
    assert [str(p) for p in catalog.check_references(catalog.get("items"))] == [
        f"{tmp_path / 'items.toml'}: record a: sources: 's9' is not an id in sources"
    ]
    with pytest.raises(DataError, match="source id 's9' is not in"):
        catalog.sources_of(catalog.get("items").by_id["a"])
