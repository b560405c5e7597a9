"""SQLite export of datasets and fields named as SQL's words or SQLite's own names: every
identifier quoted, FTS5's reserved column names worked round and said, the export's own
tables named as no dataset can be, and only what SQLite keeps for itself (sqlite_...)
refused, with the fix."""

import sqlite3
from pathlib import Path

import pytest

import geobal
from geobal.api import Geobal
from geobal.errors import DataError, UsageError
from tests.conftest import SNAPSHOT, home_environ


def _open(home: Path) -> Geobal:
    return geobal.open(bundled=SNAPSHOT, environ=home_environ(home))


def _made(data: Geobal, name: str, fields: list[str]) -> None:
    data.new(name, [f"{f}:text" for f in fields])
    data.add(name, ["id=a", *(f"{f}=S-400 in {f}" for f in fields), "sources=article"])
    data.add(name, ["id=b", *(f"{f}=other {f}" for f in fields), "sources=article"])


def _found(db: Path, name: str, text: str) -> list[str]:
    con = sqlite3.connect(db)
    try:
        fts = f'"_{name}_fts"'
        rows = con.execute(
            f'SELECT id FROM "{name}" WHERE _rowid_ IN '
            f"(SELECT rowid FROM {fts} WHERE {fts} MATCH ?) ORDER BY id",
            (f'"{text}"',),
        )
        return [r[0] for r in rows]
    finally:
        con.close()


def test_sql_words_as_names_are_quoted_and_found(tmp_path: Path) -> None:
    data = _open(tmp_path)
    _made(data, "select", ["order", "from", "oid"])
    _made(data, "a-b", ["note"])
    _made(data, "rank", ["where"])
    db = tmp_path / "out.db"
    done = data.export(["select", "a-b", "rank"], "sqlite", db)
    assert not any("full-text" in n for n in done.notes)
    for name in ("select", "a-b", "rank"):
        assert _found(db, name, "S-400") == ["a"]
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute('SELECT "order" FROM "select" WHERE id = ?', ("a",)).fetchone() == (
        "S-400 in order",
    )
    con.close()


def test_fields_fts5_keeps_are_stored_left_out_of_the_index_and_said(tmp_path: Path) -> None:
    data = _open(tmp_path)
    _made(data, "notes", ["rank", "rowid", "notes_fts", "note"])
    db = tmp_path / "out.db"
    done = data.export(["notes"], "sqlite", db)
    assert done.notes[0] == (
        "full-text search leaves out notes.rank, notes.rowid: FTS5 keeps those names for itself"
    )
    con = sqlite3.connect(db)
    row = con.execute('SELECT rank, rowid, notes_fts FROM "notes" WHERE id = ?', ("a",))
    assert row.fetchone() == ("S-400 in rank", "S-400 in rowid", "S-400 in notes_fts")
    con.close()
    # the index is _notes_fts, so a field named notes_fts is searched as any other
    assert _found(db, "notes", "in notes_fts") == ["a"]
    # the index finds rows by _rowid_, which a field named rowid does not hide
    assert _found(db, "notes", "in note") == ["a"]
    assert _found(db, "notes", "other note") == ["b"]


def test_a_dataset_named_as_sqlite_keeps_for_itself_is_refused(tmp_path: Path) -> None:
    data = _open(tmp_path)
    with pytest.raises(UsageError, match=r"^'sqlite_notes': SQLite keeps names beginning"):
        data.new("sqlite_notes", ["note:text"])
    # a file named so by hand is read as any dataset, and its export to SQLite refused
    _made(data, "notes", ["note"])
    folder = data.locations().to_records()[1]["path"]
    made = Path(str(folder)) / "notes.toml"
    text = made.read_text(encoding="utf-8").replace('name = "notes"', 'name = "sqlite_notes"')
    assert 'name = "sqlite_notes"' in text
    made.unlink()
    made.with_name("sqlite_notes.toml").write_text(text, encoding="utf-8")
    data = _open(tmp_path)
    with pytest.raises(DataError) as err:
        data.export(["sqlite_notes"], "sqlite", tmp_path / "out.db")
    assert (err.value.message, err.value.hint) == (
        "the dataset sqlite_notes cannot be a table in SQLite, which keeps names beginning "
        "sqlite_ for itself",
        "export the other datasets, naming them, or export sqlite_notes as Parquet, CSV or JSON",
    )
    assert not (tmp_path / "out.db").exists()


def test_datasets_named_as_the_exports_own_tables_once_were_are_exported(
    tmp_path: Path,
) -> None:
    """The export's own tables begin with _, as no dataset's name does: a dataset may be
    named datasets, citations, sources_fts or as another's link or index tables."""
    data = _open(tmp_path)
    names = ["notes", "datasets", "citations", "sources_fts", "notes_sources", "notes_fts_data"]
    for name in names:
        _made(data, name, ["note"])
    db = tmp_path / "out.db"
    data.export(names, "sqlite", db)
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    listed = [r[0] for r in con.execute("SELECT name FROM _datasets ORDER BY name")]
    assert listed == sorted([*names, "sources"])
    for name in names:
        assert con.execute(f'SELECT id, note FROM "{name}" ORDER BY id').fetchall() == [
            ("a", "S-400 in note"),
            ("b", "other note"),
        ], name
        cited = con.execute(
            "SELECT record, source FROM _citations WHERE dataset = ? ORDER BY record", (name,)
        )
        assert cited.fetchall() == [("a", "article"), ("b", "article")], name
        assert _found(db, name, "S-400") == ["a"], name
    con.close()
