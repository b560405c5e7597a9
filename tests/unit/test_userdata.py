"""The user's own data, through the core: scaffolding, writing, importing, exporting,
validating, and what must never happen (a lost comment, a half-written import)."""

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from geobal import edit
from geobal.catalog import Catalog, read_dataset
from geobal.errors import DataError, NotFoundError, UsageError
from geobal.transfer import export
from geobal.transfer import rows as importing
from tests.conftest import FIXTURES

TODAY = dt.date(2026, 1, 2)


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    """The fixture datasets as the bundled ones, and an empty user folder."""
    warnings: list[str] = []
    cat = Catalog(FIXTURES, tmp_path / "user", warnings.append)
    cat.warnings = warnings  # type: ignore[attr-defined]
    return cat


def notes(catalog: Catalog) -> Path:
    return edit.scaffold(
        catalog,
        "notes",
        [
            "title:text!",
            "kind:choice=book,paper",
            "level:level=low,high",
            "year:integer",
            "tags:list",
            "seen:date",
        ],
        "My notes",
        TODAY,
    )


def test_scaffold_writes_a_schema_that_reads_back(catalog: Catalog) -> None:
    path = notes(catalog)
    assert path == catalog.user / "notes.toml"  # type: ignore[operator]
    text = path.read_text()
    assert text.startswith("# geobal dataset 'notes', made by `geobal new`.")
    ds = catalog.get("notes")
    assert [f.name for f in ds.fields] == [
        "id",
        "title",
        "kind",
        "level",
        "year",
        "tags",
        "seen",
        "sources",
        "origin",
        "file",
    ]
    assert ds.field_map["title"].required and not ds.field_map["year"].required
    assert [c.value for c in ds.field_map["level"].choices] == ["low", "high"]
    assert (ds.title, ds.updated, ds.records) == ("My notes", "2026-01-02", [])


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("title", "malformed --field 'title'"),
        ("title:string", "--field 'title:string': unknown type 'string'"),
        ("kind:choice", "--field 'kind:choice': list its values after ="),
        ("year:integer=1,2", "--field 'year:integer=1,2': integer fields take no values"),
        ("Title:text", "--field 'Title:text': field names are lower-case letters"),
    ],
)
def test_bad_field_specs(spec: str, message: str) -> None:
    with pytest.raises(UsageError) as info:
        edit.parse_field_spec(spec)
    assert info.value.message.startswith(message)


def test_scaffold_refuses_bundled_names_existing_files_and_paths(catalog: Catalog) -> None:
    with pytest.raises(UsageError, match="'items' is a bundled dataset"):
        edit.scaffold(catalog, "items", [], None)
    notes(catalog)
    with pytest.raises(UsageError, match="exists already"):
        notes(catalog)
    with pytest.raises(UsageError) as sqlite_name:
        edit.scaffold(catalog, "sqlite_x", [], None)
    assert sqlite_name.value.message == (
        "'sqlite_x': SQLite keeps names beginning sqlite_ for itself, so a dataset so named "
        "could never be exported to SQLite"
    )
    for name in ("../escape", "a/b", "/tmp/x", "UPPER"):
        with pytest.raises(UsageError, match="is not a dataset name"):
            edit.scaffold(catalog, name, [], None)


def test_add_types_values_derives_ids_and_refuses_duplicates(catalog: Catalog) -> None:
    notes(catalog)
    written = edit.add(
        catalog,
        "notes",
        [
            "title=On S-400 deliveries",
            "kind=Paper",
            "level=h",
            "year=2025",
            "tags=air defence; russia",
            "seen=2025-06",
            "sources=s1",
        ],
    )
    assert written.added == ["on-s-400-deliveries"]
    record = catalog.get("notes").by_id["on-s-400-deliveries"]
    assert {k: record[k] for k in ("kind", "level", "year", "tags", "seen", "origin")} == {
        "kind": "paper",
        "level": "high",
        "year": 2025,
        "tags": ["air defence", "russia"],
        "seen": "2025-06",
        "origin": "user",
    }
    with pytest.raises(UsageError, match="has a record 'on-s-400-deliveries' already"):
        edit.add(catalog, "notes", ["title=On S-400 deliveries", "sources=s1"])  # made again
    with pytest.raises(UsageError, match="has a record 'on-s-400-deliveries' already"):
        edit.add(catalog, "notes", ["id=on-s-400-deliveries", "title=x", "sources=s1"])
    replaced = edit.add(
        catalog, "notes", ["id=on-s-400-deliveries", "title=Revised", "sources=s1"], replace=True
    )
    assert replaced.replaced == ["on-s-400-deliveries"]
    assert catalog.get("notes").by_id["on-s-400-deliveries"]["title"] == "Revised"
    assert len(catalog.get("notes").records) == 1


@pytest.mark.parametrize(
    ("sets", "message"),
    [
        (["title=x", "sources=nope"], "record x: sources: 'nope' is not an id in sources"),
        (["title=x"], "record x: sources: missing required field"),
        (["kind=book", "sources=s1"], "no text to derive an id from"),
        (["id=x", "kind=book", "sources=s1"], "record x: title: missing required field"),
        (["title=x", "kind=film", "sources=s1"], "unknown kind 'film'"),
        (["title=x", "year=soon", "sources=s1"], "year takes a whole number, not 'soon'"),
        (["title=x", "colour=red"], "unknown field 'colour' in notes"),
        (["title=x", "origin=user"], "unknown field 'origin' in notes"),
        (["id=../x", "title=x", "sources=s1"], "record ../x: id: ids are letters"),
    ],
)
def test_add_writes_nothing_that_is_wrong(catalog: Catalog, sets: list[str], message: str) -> None:
    path = notes(catalog)
    before = path.read_text()
    with pytest.raises((UsageError, DataError)) as info:
        edit.add(catalog, "notes", sets)
    assert message in info.value.message
    assert path.read_text() == before


def test_comments_and_layout_survive_add_and_remove(catalog: Catalog) -> None:
    path = notes(catalog)
    path.write_text(
        path.read_text() + '\n# my own comment\n[[records]]\nid = "kept"  # inline\n'
        'title = "Kept"\nsources = ["s1"]\n\n# trailing note\n'
    )
    edit.add(catalog, "notes", ["id=new", "title=New", "sources=s1"])
    edit.remove(catalog, "notes", "new")
    text = path.read_text()
    assert '# my own comment\n[[records]]\nid = "kept"  # inline\n' in text
    assert "# trailing note" in text and '"new"' not in text


def test_a_user_file_adds_to_and_overrides_a_bundled_dataset(catalog: Catalog) -> None:
    edit.add(catalog, "items", ["id=e", "name=Elder", "sources=s1"])
    edit.add(catalog, "items", ["id=a", "name=Apricot", "sources=s1"], replace=True)
    ds = catalog.get("items")
    assert [str(r["id"]) for r in ds.records] == ["a", "b", "c", "d", "e"]
    assert (ds.by_id["a"]["name"], ds.by_id["a"]["origin"]) == ("Apricot", "user")
    assert (ds.by_id["b"]["origin"], ds.by_id["b"]["file"]) == ("bundled", "items.toml")
    assert ds.by_id["e"]["file"] == str(catalog.user / "items.toml")  # type: ignore[operator]
    text = (catalog.user / "items.toml").read_text()  # type: ignore[operator]
    assert text.startswith("# Your records for geobal's bundled dataset 'items'")
    with pytest.raises(DataError, match="'b' is bundled with geobal and cannot be removed"):
        edit.remove(catalog, "items", "b")
    assert edit.remove(catalog, "items", "a")[1] is True  # the bundled a is back
    assert catalog.get("items").by_id["a"]["name"] == "Apple [bold]"
    with pytest.raises(NotFoundError):
        edit.remove(catalog, "items", "zz")


def test_a_broken_user_file_is_reported_and_left_out(catalog: Catalog) -> None:
    assert catalog.user is not None
    catalog.user.mkdir()
    (catalog.user / "items.toml").write_text('[dataset]\nname = "items"\n[[records]]\nid = 3\n')
    (catalog.user / "broken.toml").write_text("x = [")
    assert [str(r["id"]) for r in catalog.get("items").records] == ["a", "b", "c", "d"]
    assert [ds.name for ds in catalog.all()] == ["items", "sources"]
    assert catalog.warnings == [  # type: ignore[attr-defined]
        f"ignoring {catalog.user / 'items.toml'}: {catalog.user / 'items.toml'}: record #1: "
        "id: expected text, got the integer 3",
        f"ignoring broken: {catalog.user / 'broken.toml'}:1:6: invalid TOML: Invalid value",
    ]
    strict = Catalog(FIXTURES, catalog.user, strict=True)
    with pytest.raises(DataError):
        strict.get("items")


CSV = """title,kind,level,year,tags,seen,sources
First,book,low,2001,a; b,2001-05-06,s1
Second,Paper,HIGH,,,2002,s1
"""


def test_import_csv_types_every_column(catalog: Catalog) -> None:
    notes(catalog)
    rows = importing.read_rows(CSV, "csv", "in.csv")
    report = importing.import_rows(catalog, "notes", rows, "in.csv")
    assert (report.read, report.written.added) == (2, ["first", "second"])
    first, second = catalog.get("notes").records
    assert (first["tags"], first["seen"], first["year"]) == (["a", "b"], "2001-05-06", 2001)
    assert (second["kind"], second["level"], "year" in second) == ("paper", "high", False)
    text = (catalog.user / "notes.toml").read_text()  # type: ignore[operator]
    assert "seen = 2001-05-06\n" in text  # a full date is written as a TOML date


def test_import_is_all_or_nothing_and_lists_every_problem(catalog: Catalog) -> None:
    path = notes(catalog)
    before = path.read_text()
    rows = importing.read_rows(
        "title,kind,year,colour,sources\nGood,book,2001,,s1\nBad,film,soon,red,s1\n"
        ",book,,,s1\nGood,paper,,,s1\n",
        "csv",
        "in.csv",
    )
    with pytest.raises(DataError) as info:
        importing.import_rows(catalog, "notes", rows, "in.csv")
    assert info.value.message == "in.csv: 5 problems; nothing was imported"
    assert info.value.details == [
        "in.csv: line 1: colour: unknown column; map it with --map colour=FIELD (fields: id, "
        "title, kind, level, year, tags, seen, sources)",
        "in.csv: line 3: kind: unknown kind 'film' (valid values: book (book), paper (paper))",
        "in.csv: line 3: year: year takes a whole number, not 'soon'",
        "in.csv: line 4: id: no text to derive an id from; give one with an id column, or a "
        "text field",
        "in.csv: line 5: record good: id: the same id as line 2",
    ]
    assert path.read_text() == before


def test_import_maps_columns_and_cites_a_default_source(catalog: Catalog) -> None:
    notes(catalog)
    rows = importing.read_rows(
        '[{"name": "A", "year": 2020}, {"name": "B", "id": "b2"}]', "json", "in.json"
    )
    report = importing.import_rows(catalog, "notes", rows, "in.json", {"name": "Title"}, ["s1"])
    assert report.written.added == ["a", "b2"]
    assert catalog.get("notes").by_id["a"]["sources"] == ["s1"]
    with pytest.raises(UsageError, match="--map name=colour: 'colour' is not a field"):
        importing.import_rows(catalog, "notes", rows, "x", {"name": "colour"})


def test_export_toml_is_a_dataset_file_with_the_same_records(
    catalog: Catalog, tmp_path: Path
) -> None:
    exported = tmp_path / "out" / "items.toml"
    exported.parent.mkdir()
    exported.write_text("".join(export.export(catalog.get("items"), "toml")))
    again = read_dataset(exported)
    original = catalog.get("items")
    strip = ("origin", "file")
    assert [{k: v for k, v in r.items() if k not in strip} for r in again.records] == [
        {k: v for k, v in r.items() if k not in strip} for r in original.records
    ]
    assert [(f.name, f.type, f.title, f.required, f.choices) for f in again.fields] == [
        (f.name, f.type, f.title, f.required, f.choices) for f in original.fields
    ]
    assert (again.sort, again.updated, again.title) == (
        original.sort,
        original.updated,
        original.title,
    )


def test_export_json_then_import_gives_the_same_records(catalog: Catalog) -> None:
    from geobal.codecs.jsontext import json_array
    from geobal.views import Frame

    notes(catalog)
    importing.import_rows(catalog, "notes", importing.read_rows(CSV, "csv", "in.csv"), "in.csv")
    ds = catalog.get("notes")
    exported = "".join(json_array(Frame(ds.title, ds.fields, ds.records)))
    assert '"origin": "user"' in exported  # geobal's own export, origin and all
    shutil.copy(catalog.user / "notes.toml", catalog.user / "copy.toml")  # type: ignore[operator]
    text = (catalog.user / "copy.toml").read_text()  # type: ignore[operator]
    (catalog.user / "copy.toml").write_text(  # type: ignore[operator]
        text.split("[[records]]")[0].replace('name = "notes"', 'name = "copy"')
    )
    importing.import_rows(catalog, "copy", json.loads(exported), "x.json")
    strip = ("origin", "file")
    assert [
        {k: v for k, v in r.items() if k not in strip} for r in catalog.get("copy").records
    ] == [{k: v for k, v in r.items() if k not in strip} for r in ds.records]


def test_validate_lists_every_problem(catalog: Catalog) -> None:
    assert catalog.user is not None
    catalog.user.mkdir()
    (catalog.user / "syntax.toml").write_text('[dataset]\nname = "syntax"\ntitle = \n')
    (catalog.user / "Bad Name.toml").write_text("")
    (catalog.user / "items.toml").write_text(
        '[dataset]\nname = "items"\n\n[[records]]\nid = "x1"\nname = "X"\nkind = "gamma"\n'
        'count = "3"\ncolour = 1\nsources = ["nope"]\n\n[[records]]\nid = "x1"\n'
        'name = "Again"\nsources = ["s1"]\n\n[[records]]\nid = "x3"\nsources = ["s1"]\n'
    )
    checked, problems, notes = catalog.validate([])
    user = catalog.user
    assert notes == []
    assert checked == 5
    assert problems == [
        f"{user / 'Bad Name.toml'}: 'Bad Name' is not a dataset name; rename the file with "
        "lower-case letters, digits, - and _, starting with a letter",
        f"{user / 'items.toml'}: record x1: colour: unknown field; declared fields: count, id, "
        "kind, name, rank, seen, share, sources, tags",
        f"{user / 'items.toml'}: record x1: count: expected a whole number, got the text '3'",
        f"{user / 'items.toml'}: record x1: kind: expected one of alpha, beta, bravo, got the "
        "text 'gamma'",
        f"{user / 'items.toml'}: record x1: id: duplicate id; each record needs its own",
        f"{user / 'items.toml'}: record x3: name: missing required field",
        f"{user / 'syntax.toml'}:3:9: invalid TOML: Invalid value",
    ]
    (catalog.user / "items.toml").write_text(
        '[dataset]\nname = "items"\n[[records]]\nid = "x1"\nname = "X"\nsources = ["nope"]\n'
    )
    assert catalog.validate([catalog.user / "items.toml"]) == (
        1,
        [f"{user / 'items.toml'}: record x1: sources: 'nope' is not an id in sources"],
        [],
    )


def test_every_import_and_export_format_has_its_entry(catalog: Catalog) -> None:
    from geobal import codecs
    from geobal.transfer import IMPORTERS, As
    from geobal.transfer.export import export

    assert set(IMPORTERS) == set(As)
    items = catalog.get("items")
    for codec in codecs.exportable():
        if not codec.writes_text:
            continue  # a binary format, written to a file whole: its own tests
        text = "".join(export(items, codec.name))
        if codec.name != "toml":  # TOML is a whole dataset file, read back above
            rows = importing.read_rows(text, codec.name, f"items.{codec.name}")
            assert [r["id"] for r in rows.rows] == [r["id"] for r in items.records], codec
