"""`geobal export --format sqlite|parquet`: many datasets at once into the files other tools
read (Datasette, sqlite3, DuckDB, polars, Spark), each table with its provenance, written
whole or not at all, never over a file geobal did not make unless forced.

SQLite: `-o FILE.db` writes FILE.db and, beside it, FILE.metadata.json, which Datasette
reads with `-m` (released Datasette reads no metadata from the database itself); `-o
FOLDER/` writes FOLDER/FOLDER.db and FOLDER/metadata.json, which `datasette FOLDER`
serves with nothing more (its configuration directory mode). The two are written
together or neither is. Parquet: `-o FOLDER` writes FOLDER/NAME.parquet
for each dataset, all or none; `-o FILE.parquet` writes one file, of the one dataset named.
"""

import os
import shlex
from collections.abc import Sequence
from pathlib import Path

from geobal.catalog import Catalog
from geobal.codecs.escape import one_line
from geobal.codecs.tables import Provenance, Table
from geobal.errors import UsageError
from geobal.model import Dataset, column
from geobal.schema import BUNDLED, SOURCES
from geobal.store import Say, atomic_writes

SQLITE, PARQUET = "sqlite", "parquet"
SIPRI = "SIPRI"  # the publisher SIPRI's source entries name
# geobal's MIT licence (LICENSE) covers its code; its bundled records are drawn from articles
# and SIPRI's figures, whose terms geobal cannot relicense, so it claims no licence of its own
DATA_TERMS = (
    "no licence claimed by geobal: the records cite their sources; each source's terms apply"
)


def provenance(ds: Dataset, sources: Dataset) -> Provenance:
    """Where `ds` comes from: a dataset whose records all cite SIPRI's exports is SIPRI's,
    credited as SIPRI asks, under SIPRI's terms; one with geobal's bundled records says that
    its sources' terms apply (geobal's own licence is its code's); for the user's own, geobal
    knows no terms and claims none."""
    from geobal.analysis.register import CREDIT
    from geobal.shapes import MILEX_CREDIT

    ids: dict[str, None] = {}
    for cited in column(ds.records, SOURCES) if SOURCES in ds.field_map else ():
        if isinstance(cited, list):
            ids.update(dict.fromkeys(str(s) for s in cited))
    entries = tuple(sources.by_id[s] for s in ids if s in sources.by_id)
    publishers = {e.get("publisher") for e in entries}
    bundled = any(o == BUNDLED for o in column(ds.records, "origin"))
    # SIPRI publishes two databases geobal imports: the ids its imports give their
    # source entries say which (a title the user may edit could not)
    spending = {
        str(e.get("id", "")).startswith("sipri-milex-")
        for e in entries
        if e.get("publisher") == SIPRI
    }
    credits = [
        c for c, used in ((CREDIT, False in spending), (MILEX_CREDIT, True in spending)) if used
    ]
    if entries and publishers == {SIPRI} and len(credits) == 1:
        url = next((str(e["url"]) for e in entries if e.get("url")), None)
        name = "SIPRI Arms Transfers Database" if credits[0] == CREDIT else MILEX_CREDIT
        return Provenance(name, url, "(c) SIPRI", None, credits[0], entries)
    credit = "; ".join(credits) or None
    source = "geobal's bundled data" if bundled else "your own data in geobal"
    source += ": each record's sources are in the sources table"
    if bundled:
        return Provenance(source, None, DATA_TERMS, None, credit, entries)
    return Provenance(source, None, None, None, credit, entries)


def _tables(catalog: Catalog, names: Sequence[str]) -> tuple[list[Table], Table]:
    sources = catalog.get(SOURCES)
    wanted = [catalog.get(n) for n in dict.fromkeys(names)] if names else catalog.all()
    tables = [Table(ds, provenance(ds, sources)) for ds in wanted]
    return tables, Table(sources, provenance(sources, sources))


def refuse_over(path: Path, force: bool, what: str | None = None) -> None:
    """The one rule of export over a file that is there: refused unless `force`. A file
    geobal can tell it wrote (`what`: a database, a Parquet file; a text format has no
    such mark) is not asked about: its caller lets it be replaced."""
    if not force:
        made = f" and is not {what} geobal wrote" if what else ""
        raise UsageError(
            f"{one_line(path)} exists{made}: export does not write over it",
            "write to another name, or pass --force to replace it",
        )


def _head(path: Path, size: int | None = None) -> bytes | None:
    """The first `size` bytes of `path` (all of them when None); None if it is no file."""
    if not path.is_file():
        return None
    with path.open("rb") as f:
        return f.read() if size is None else f.read(size)


def _sqlite(
    tables: list[Table], sources: Table, output: str, force: bool, say: Say | None
) -> list[str]:
    """FILE.db and FILE.metadata.json beside it; or, -o naming a folder, FOLDER/FOLDER.db
    and FOLDER/metadata.json, which `datasette FOLDER` reads with nothing more."""
    from geobal.codecs import sqlite

    path = Path(output)
    folder = output.endswith(("/", os.sep)) or path.is_dir()
    if folder:
        db, meta = path / f"{path.resolve().name}.db", path / "metadata.json"
    else:
        db, meta = path, path.with_name(f"{path.stem}.metadata.json")
    head = _head(db, 100)
    if head is not None and not sqlite.is_geobal_database(head):
        refuse_over(db, force, "a database")
    text = _head(meta)
    if text is not None and not sqlite.is_geobal_metadata(text.decode("utf-8", "replace")):
        refuse_over(meta, force, "the Datasette metadata")
    files: list[tuple[Path, str | bytes]] = [
        (db, sqlite.database(tables, sources)),
        (meta, sqlite.datasette_metadata(tables, sources, db.stem)),
    ]
    if folder:
        path.mkdir(exist_ok=True)  # once the database is built: a refusal leaves no folder
    atomic_writes(files, say=say, forced_by=None)
    count = sum(len(t.dataset.records) for t in tables)
    among = any(t.dataset.name == sources.dataset.name for t in tables)
    cited = "" if among else f", and the {len(sources.dataset.records)} sources"
    serve = [str(output)] if folder else [str(db), "-m", str(meta)]
    left = sqlite.unindexed(tables)
    also = (
        [f"full-text search leaves out {', '.join(left)}: FTS5 keeps those names for itself"]
        if left
        else []
    )
    return [
        *also,
        f"wrote {count} records of {len(tables)} dataset{'s' if len(tables) != 1 else ''}, "
        f"a table each{cited}, to {one_line(db)} and its Datasette metadata to {one_line(meta)}",
        # quoted as a shell reads it: a path may hold spaces; one with a control
        # character no quoting of ours pastes whole, so none is offered
        *(
            [f"serve them with: datasette {shlex.join(serve)}"]
            if all(one_line(p) == p for p in serve)
            else []
        ),
    ]


def export_files(
    catalog: Catalog,
    names: Sequence[str],
    fmt: str,
    output: str | None,
    force: bool = False,
    say: Say | None = None,
) -> list[str]:
    """Write the datasets `names` (every dataset when empty) in `fmt` (sqlite or parquet)
    to `output`; what was written, as lines for the user."""
    if output is None or output == "-":
        shown = "FILE.db" if fmt == SQLITE else "FOLDER"
        raise UsageError(
            f"--format {fmt} writes binary files, not text to standard output",
            f"name where to write them: -o {shown}",
        )
    tables, sources = _tables(catalog, names)
    count = sum(len(t.dataset.records) for t in tables)
    path = Path(output)
    if fmt == SQLITE:
        return _sqlite(tables, sources, output, force, say)
    from geobal.codecs import parquet

    parquet.pyarrow()  # before anything is read or made: said at once if it is missing
    if path.suffix.lower() == ".parquet":
        if len(tables) != 1:
            raise UsageError(
                f"{one_line(output)} is one Parquet file, and {len(tables)} datasets would go "
                "in it",
                f"name one dataset, or give -o a folder ({one_line(path.with_suffix(''))}) to "
                "write a file for each",
            )
        targets = [(path, tables[0])]
    else:
        if path.exists() and not path.is_dir():
            raise UsageError(
                f"{one_line(output)} is a file, and --format parquet writes a folder of files",
                "give -o a folder, or a name ending .parquet for one dataset",
            )
        targets = [(path / f"{t.dataset.name}.parquet", t) for t in tables]
    for target, _ in targets:
        data = _head(target)
        if data is not None and not parquet.is_geobal_parquet(data):
            refuse_over(target, force, "a Parquet file")
    built: list[tuple[Path, str | bytes]] = [
        (target, parquet.parquet_file(table)) for target, table in targets
    ]
    if path.suffix.lower() != ".parquet":
        path.mkdir(exist_ok=True)  # once every file is built: a refusal leaves no folder
    atomic_writes(built, say=say, forced_by=None)
    where = one_line(path)
    if len(targets) != 1:
        where = f"{len(targets)} Parquet files in {where}"
    return [f"wrote {count} records to {where}"]


def write_sqlite(
    catalog: Catalog,
    names: Sequence[str],
    output: str | None,
    force: bool = False,
    say: Say | None = None,
) -> list[str]:
    """The sqlite codec's file writer (codecs.FileWriter)."""
    return export_files(catalog, names, SQLITE, output, force, say)


def write_parquet(
    catalog: Catalog,
    names: Sequence[str],
    output: str | None,
    force: bool = False,
    say: Say | None = None,
) -> list[str]:
    """The parquet codec's file writer (codecs.FileWriter)."""
    return export_files(catalog, names, PARQUET, output, force, say)
