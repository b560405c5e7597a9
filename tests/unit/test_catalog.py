"""Finding and reading dataset files, and what a broken one says."""

from pathlib import Path

import pytest

from geobal.cache import Cache
from geobal.catalog import Catalog, read_dataset
from geobal.errors import DataError, UsageError
from geobal.model import Choice
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


ADDS = """[dataset]
name = "items"

[fields.kind]
choices = [{ value = "gamma", label = "Gamma Kind", meaning = "my own" }]

[[records]]
id = "g1"
name = "Grape"
kind = "gamma"
sources = ["s1"]
"""


def test_a_users_file_adds_choices_to_a_bundled_field(tmp_path: Path) -> None:
    """A user's items.toml may add values to a bundled choice field; its records may use
    them, the bundled records are untouched, and validate says which file added what."""
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "items.toml").write_text(ADDS)
    for cache in (None, Cache(tmp_path / "cache"), Cache(tmp_path / "cache")):  # cold, warm
        catalog = Catalog(FIXTURES, mine, cache=cache)
        ds = catalog.get("items")
        kind = ds.field_map["kind"]
        assert [c.value for c in kind.choices] == ["alpha", "beta", "bravo", "gamma"]
        assert kind.choices[-1] == Choice(
            "gamma", "Gamma Kind", (), "my own", str(mine / "items.toml")
        )
        assert ds.by_id["g1"]["kind"] == "gamma"
        assert ds.field_map["rank"] == catalog.base("items").field_map["rank"]  # type: ignore[union-attr]
    checked, problems, notes = Catalog(FIXTURES, mine).validate([mine])
    assert (checked, problems) == (1, [])
    assert notes == [f"{mine / 'items.toml'}: adds to items.kind the values gamma"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            '[fields.kind]\nchoices = [{ value = "first" }]',
            "[fields.kind]: choice 1: 'first' is already used by another choice",
        ),
        (
            '[fields.rank]\nchoices = [{ value = "max" }]',
            "[fields.rank]: only a choice field's values can be added to; 'rank' is of type "
            "level, as the bundled dataset defines it",
        ),
        (
            '[fields.colour]\nchoices = [{ value = "red" }]',
            "[fields.colour]: 'items' has no field 'colour'; a file adding to it can only add "
            "choices to its choice fields",
        ),
        (
            '[fields.kind]\ntype = "text"\nchoices = [{ value = "gamma" }]',
            '[fields.kind]: holds only choices = [{ value = "...", label = "..." }, ...], the '
            "values this file adds; the rest comes from the bundled dataset",
        ),
    ],
)
def test_a_users_file_cannot_change_a_bundled_schema(
    tmp_path: Path, fields: str, message: str
) -> None:
    (tmp_path / "items.toml").write_text(f'[dataset]\nname = "items"\n\n{fields}\n')
    catalog = Catalog(FIXTURES, tmp_path, strict=True)
    with pytest.raises(DataError) as info:
        catalog.get("items")
    assert info.value.message == f"{tmp_path / 'items.toml'}: {message}"
    warned: list[str] = []
    assert Catalog(FIXTURES, tmp_path, warn=warned.append).get("items").name == "items"
    assert warned == [f"ignoring {tmp_path / 'items.toml'}: {tmp_path / 'items.toml'}: {message}"]
