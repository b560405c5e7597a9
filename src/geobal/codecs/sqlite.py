"""Datasets as one SQLite database, built in memory and handed back as bytes: a typed table
a dataset keyed by its key, the sources, a link table a dataset to the sources its
records cite, a full-text index over its text, and the metadata Datasette reads.

Types: text, dates (ISO text, a year or month where only that is known), choices and
URLs are TEXT; whole numbers INTEGER; booleans INTEGER 0 or 1; a number field REAL
(INTEGER where its values are whole numbers some of which no float holds exactly, and
NUMERIC where those sit beside fractions, which SQLite then keeps as integers); a list
is JSON text (`json_each` reads it). Every value geobal holds comes back equal: both
keep 64-bit integers and binary64 floats.

A dataset NAME is the table NAME; what the export makes for itself begins with an
underscore, which no dataset's name does (schema.DATASET_NAME_RE), so no dataset,
whatever its name (datasets, sources_fts, deals_sources), is ever kept out of the file
by the export's own tables (refusing such names in `new` instead would still lose the
files that hold them already, and any name a later export takes). NAME cites its
sources in _NAME_sources (record, position, source), with a foreign key to each side,
and the view `_citations` gathers them as (dataset, record, source); _NAME_fts is a
full-text index (FTS5, NAME its content table) over its text fields, FTS5 making its
own _NAME_fts_data and the like beside it. `_datasets` holds each table's title,
description, source, licence and credit, so the file carries its provenance;
Datasette reads the same from the metadata JSON written beside it (released Datasette,
0.65, reads metadata only from a file given with -m: none from the database itself).
No two of these names are one: each is _, a dataset's name, then _sources,
_sources_source, _fts or _fts_ and FTS5's word, and none of those endings is another's
with a piece before it.

Names: every identifier is quoted, so a dataset or field may be named as SQL's words
are (select, order, rank). What SQLite itself keeps is worked round or refused: a text
field FTS5 cannot take as a column (rank, rowid) is left out of the index (`unindexed`
names them), and a field named rowid makes the index find rows by _rowid_; a dataset
named sqlite_... is refused, as SQLite keeps those names.
"""

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from geobal.codecs.tables import Column, Table, columns, sentence
from geobal.errors import DataError
from geobal.model import Value

if TYPE_CHECKING:
    import sqlite3

# PRAGMA application_id of a database geobal wrote: "geob", so export can tell its own
# file from one it must not write over
APPLICATION_ID = 0x67656F62
HEADER = b"SQLite format 3\x00"
METADATA_ABOUT = "Exported by geobal"

_AFFINITY = {
    "text": "TEXT",
    "integer": "INTEGER",
    "boolean": "INTEGER",
    "float": "REAL",
    "number": "NUMERIC",
    "list of text": "TEXT",
    "list of integer": "TEXT",
}


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _cell(value: Value | None) -> object:
    """A value as SQLite stores it: a list as JSON text, a boolean as 0 or 1."""
    if value is None:
        return None
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


DATASETS = "_datasets"  # the table of the datasets' provenance
CITATIONS = "_citations"  # the view of every citation


def links_table(dataset: str) -> str:
    """The table of the sources each record of `dataset` cites."""
    return f"_{dataset}_sources"


def index_table(dataset: str) -> str:
    """The full-text index of `dataset`'s text."""
    return f"_{dataset}_fts"


def _names(tables: Sequence[Table]) -> None:
    """Refuse datasets named as SQLite keeps names for itself (sqlite_...)."""
    for t in tables:
        name = t.dataset.name
        if name.casefold().startswith("sqlite_"):
            raise DataError(
                f"the dataset {name} cannot be a table in SQLite, which keeps names "
                "beginning sqlite_ for itself",
                f"export the other datasets, naming them, or export {name} as Parquet, CSV or JSON",
            )


def database(tables: Sequence[Table], sources: Table) -> bytes:
    """The database of `tables` and `sources` (the sources dataset, written once even if
    it is among `tables`), as the bytes of a SQLite file. A record citing a source
    that `sources` lacks is a DataError: the file would fail its foreign key check."""
    import sqlite3

    wanted = [sources, *(t for t in tables if t.dataset.name != sources.dataset.name)]
    _names(wanted)
    db = sqlite3.connect(":memory:")
    try:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(
            f"CREATE TABLE {DATASETS} (name TEXT PRIMARY KEY, title TEXT NOT NULL, "
            "description TEXT, key TEXT NOT NULL, records INTEGER NOT NULL, updated TEXT, "
            "as_of TEXT, covers_from INTEGER, covers_to INTEGER, source TEXT, "
            "source_url TEXT, licence TEXT, licence_url TEXT, credit TEXT)"
        )
        links = []
        for t in wanted:
            _table(db, t)
            if _links(db, t, sources):
                links.append(t.dataset.name)
        if links:
            db.execute(
                f"CREATE VIEW {CITATIONS} (dataset, record, source) AS "
                + " UNION ALL ".join(
                    f"SELECT {_literal(n)}, record, source FROM {quoted(links_table(n))}"
                    for n in links
                )
            )
        db.commit()
        broken = db.execute("PRAGMA foreign_key_check").fetchone()
        if broken is not None:
            table, rowid, parent, _ = broken
            record, source = db.execute(
                f"SELECT record, source FROM {quoted(table)} WHERE rowid = ?", (rowid,)
            ).fetchone()
            dataset = table.removeprefix("_").removesuffix("_sources")
            raise DataError(
                f"{dataset}: record {record} cites {source!r}, which is not in {parent}",
                "add the source there, or correct the id in the record's sources",
            )
        return db.serialize()
    finally:
        db.close()


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _table(db: "sqlite3.Connection", t: Table) -> None:
    ds = t.dataset
    cols = columns(t)
    defs = [
        f"{quoted(c.field.name)} {_AFFINITY[c.kind]}"
        + (" PRIMARY KEY NOT NULL" if c.field.name == ds.key else "")
        for c in cols
    ]
    db.execute(f"CREATE TABLE {quoted(ds.name)} ({', '.join(defs)})")
    marks = ", ".join("?" * len(cols))
    db.executemany(
        f"INSERT INTO {quoted(ds.name)} VALUES ({marks})",
        _rows(cols, len(ds.records)),
    )
    text = [c.field.name for c in _searchable(cols) if c.field.name not in _RESERVED]
    if text:
        fts = quoted(index_table(ds.name))
        # a field named rowid hides the table's rowid by that name, not by _rowid_
        rowid = ", content_rowid=_rowid_" if "rowid" in ds.field_map else ""
        # content="NAME", in double quotes: how Datasette finds a table's index
        db.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5("
            f"{', '.join(quoted(n) for n in text)}, content={quoted(ds.name)}{rowid})"
        )
        db.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    p = t.provenance
    covers = ds.covers or (None, None)
    db.execute(
        f"INSERT INTO {DATASETS} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (ds.name, ds.title, t.description, ds.key, len(ds.records), ds.updated, ds.as_of,
         covers[0], covers[1], p.source, p.source_url, p.licence, p.licence_url, p.credit),
    )  # fmt: skip


def _searchable(cols: list[Column]) -> list[Column]:
    """The columns worth a full-text search: text, and lists of text."""
    return [c for c in cols if c.kind in ("text", "list of text") and _searched(c)]


# FTS5 keeps rank and rowid for itself, and a column of the index's own name, which
# begins with _ as no field's does
_RESERVED = frozenset({"rank", "rowid"})


def unindexed(tables: Sequence[Table]) -> list[str]:
    """The text fields, as DATASET.FIELD, that the full-text index leaves out because
    FTS5 keeps their names: a reader of the database is told, as search misses them."""
    return [
        f"{t.dataset.name}.{c.field.name}"
        for t in tables
        for c in _searchable(columns(t))
        if c.field.name in _RESERVED
    ]


def _searched(col: Column) -> bool:
    """Text worth a full-text search: prose and names, not ids, URLs, dates or codes."""
    return col.field.type.name in ("text", "list") and col.field.name != "sources"


def _rows(cols: list[Column], count: int) -> Iterable[tuple[object, ...]]:
    for i in range(count):
        yield tuple(_cell(c.values[i]) for c in cols)


def _links(db: "sqlite3.Connection", t: Table, sources: Table) -> bool:
    """_NAME_sources: each record's cited sources, in the order it cites them; whether
    the dataset cites any (the sources dataset itself cites none)."""
    ds = t.dataset
    if ds.name == sources.dataset.name or "sources" not in ds.field_map:
        return False
    links = quoted(links_table(ds.name))
    db.execute(
        f"CREATE TABLE {links} ("
        f"record TEXT NOT NULL REFERENCES {quoted(ds.name)}({quoted(ds.key)}), "
        "position INTEGER NOT NULL, "
        f"source TEXT NOT NULL REFERENCES {quoted(sources.dataset.name)}"
        f"({quoted(sources.dataset.key)}), "
        "PRIMARY KEY (record, position))"
    )
    db.execute(f"CREATE INDEX {quoted(links_table(ds.name) + '_source')} ON {links}(source)")
    db.executemany(
        f"INSERT INTO {links} VALUES (?, ?, ?)",
        (
            (str(r[ds.key]), i, str(s))
            for r in ds.records
            if isinstance(cited := r.get("sources"), list)
            for i, s in enumerate(cited)
        ),
    )
    return True


def datasette_metadata(tables: Sequence[Table], sources: Table, database: str) -> str:
    """The metadata Datasette reads (`datasette FILE.db -m FILE.metadata.json`) for the
    database `database` (the file's name without .db): each table's title, description,
    source and licence, and its columns' descriptions."""
    wanted = [sources, *(t for t in tables if t.dataset.name != sources.dataset.name)]
    described: dict[str, object] = {}
    for t in wanted:
        ds, p = t.dataset, t.provenance
        entry: dict[str, object] = {"title": ds.title, "description": t.description}
        entry["source"] = p.source
        if p.source_url:
            entry["source_url"] = p.source_url
        if p.licence:
            entry["license"] = p.licence
        if p.licence_url:
            entry["license_url"] = p.licence_url
        entry["columns"] = {
            f.name: f.description or f.title for f in t.fields if f.description or f.title
        }
        described[ds.name] = entry
        if ds.name != sources.dataset.name and "sources" in ds.field_map:
            described[links_table(ds.name)] = {
                "title": f"{ds.title}: the sources each record cites",
                "description": f"The sources each record of {ds.name} cites, one row a "
                "citation, in the order the record cites them.",
                "source": p.source,
            }
    credits = sorted({t.provenance.credit for t in wanted if t.provenance.credit})
    doc = {
        "title": "geobal",
        "about": METADATA_ABOUT,
        "description": " ".join(
            sentence(t)
            for t in (
                "Datasets exported by geobal, each record with the sources it cites",
                *credits,
            )
        ),
        "databases": {database: {"title": "geobal", "tables": described}},
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def is_geobal_database(head: bytes) -> bool:
    """Whether the first 100 bytes of a file are those of a database geobal wrote."""
    return head[:16] == HEADER and int.from_bytes(head[68:72], "big") == APPLICATION_ID


def is_geobal_metadata(text: str) -> bool:
    """Whether a file holds the Datasette metadata geobal writes beside a database."""
    try:
        doc = json.loads(text)
    except ValueError:
        return False
    return isinstance(doc, dict) and doc.get("about") == METADATA_ABOUT
