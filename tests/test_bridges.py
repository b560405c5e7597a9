"""Bridges into the tools analysts use: `export --format sqlite` (read by sqlite3 and served
by Datasette with its metadata) and `--format parquet` (read by pyarrow and DuckDB), of the
bundled data and of an imported SIPRI register; every value back exactly, and every
refusal said before anything is written."""

import asyncio
import json
import re
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest

from geobal.catalog import Catalog
from geobal.codecs import parquet, sqlite
from geobal.errors import UsageError
from geobal.paths import bundled_data_dir
from geobal.schema import SOURCES
from geobal.transfer.bridges import DATA_TERMS, _tables, provenance
from tests.conftest import DATA, SNAPSHOT, run_cli
from tests.test_sipri import CREDIT, REGISTER, _imported


def _rows(db: Path, table: str) -> list[dict[str, Any]]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(f'SELECT * FROM "{table}"')]
    finally:
        con.close()


def _as_stored(record: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """A record as its SQLite row holds it: lists as JSON, booleans as 0 or 1."""
    out: dict[str, Any] = {}
    for name in names:
        value = record.get(name)
        if isinstance(value, list):
            value = json.dumps(value, ensure_ascii=False)
        elif isinstance(value, bool):
            value = int(value)
        out[name] = value
    return out


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with the legacy register excerpt imported as transfers."""
    return _imported(tmp_path_factory.mktemp("bridges"), (REGISTER, "sipri", "transfers"))


def _export(home: Path, *args: str, data: Path = SNAPSHOT) -> tuple[int, str, str]:
    result = run_cli(["export", *args], home=home, data_dir=data)
    return result.exit_code, result.stdout, result.stderr


def test_sqlite_of_the_bundled_data_holds_every_record_exactly(tmp_path: Path) -> None:
    db = tmp_path / "geobal.db"
    code, out, err = _export(tmp_path, "--format", "sqlite", "-o", str(db), data=DATA)
    assert (code, out) == (0, "")
    catalog = Catalog(bundled_data_dir())
    datasets = catalog.all()
    total = sum(len(ds.records) for ds in datasets)
    meta = tmp_path / "geobal.metadata.json"
    assert err == (
        f"wrote {total} records of {len(datasets)} datasets, a table each, to {db} "
        f"and its Datasette metadata to {meta}\n"
        f"serve them with: datasette {db} -m {meta}\n"
    )
    for ds in datasets:
        names = [f.name for f in ds.fields if not f.derived]
        rows = _rows(db, ds.name)
        assert len(rows) == len(ds.records), ds.name
        by_id = {r[ds.key]: r for r in rows}
        for record in ds.records:
            assert by_id[record[ds.key]] == _as_stored(record, names), (ds.name, record[ds.key])
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    found = con.execute(
        "SELECT id FROM deals WHERE rowid IN "
        "(SELECT rowid FROM _deals_fts WHERE _deals_fts MATCH '\"S-400\"') ORDER BY id"
    ).fetchall()
    assert ("s-400",) in found
    cited = con.execute("SELECT count(*) FROM _citations WHERE dataset = 'deals'").fetchone()
    deals = catalog.get("deals")
    lists = [r.get(SOURCES) for r in deals.records]
    assert cited == (sum(len(s) for s in lists if isinstance(s, list)),)
    con.close()


def test_sqlite_of_a_register_credits_sipri_and_finds_s400(register: Path, tmp_path: Path) -> None:
    db = tmp_path / "register.db"
    code, _, err = _export(register, "transfers", "--format", "sqlite", "-o", str(db))
    assert code == 0, err
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    tables = {r[0] for r in con.execute("SELECT name FROM _datasets")}
    assert tables == {"transfers", "sources"}
    records = run_cli(["query", "transfers", "--json"], home=register)
    expected = json.loads(records.stdout)
    assert con.execute("SELECT count(*) FROM transfers").fetchone() == (len(expected),)
    hits = con.execute(
        "SELECT count(*) FROM _transfers_fts WHERE _transfers_fts MATCH '\"S-400\"'"
    ).fetchone()
    assert hits[0] >= 1
    source, credit = con.execute(
        "SELECT source, credit FROM _datasets WHERE name = 'transfers'"
    ).fetchone()
    assert (source, credit) == ("SIPRI Arms Transfers Database", CREDIT)
    con.close()
    meta = json.loads((tmp_path / "register.metadata.json").read_text())
    table = meta["databases"]["register"]["tables"]["transfers"]
    assert table["source"] == "SIPRI Arms Transfers Database"
    assert CREDIT in table["description"]


def test_every_description_in_the_metadata_reads_as_clean_sentences(
    register: Path, tmp_path: Path
) -> None:
    """Each ends with one full stop, and a sentence before the credit line with its own."""

    db = tmp_path / "described.db"
    assert _export(register, "--format", "sqlite", "-o", str(db), data=DATA)[0] == 0
    meta = json.loads((tmp_path / "described.metadata.json").read_text())
    tables = meta["databases"]["described"]["tables"]
    said = [meta["description"], *(t["description"] for t in tables.values())]
    assert len(said) > 10
    for text in said:
        assert text.endswith(".") and ".." not in text and "  " not in text, text
        assert not re.search(r"[^.!?] Information from", text), text
    assert meta["description"] == (
        f"Datasets exported by geobal, each record with the sources it cites. {CREDIT}."
    )
    assert tables["_deals_sources"]["description"] == (
        "The sources each record of deals cites, one row a citation, in the order the "
        "record cites them."
    )


def test_datasette_serves_the_export_with_its_metadata(register: Path, tmp_path: Path) -> None:
    from datasette.app import Datasette

    db = tmp_path / "served.db"
    assert _export(register, "transfers", "deals", "--format", "sqlite", "-o", str(db))[0] == 0
    meta = json.loads((tmp_path / "served.metadata.json").read_text())

    async def read() -> tuple[Any, Any, Any]:
        ds = Datasette([str(db)], metadata=meta)
        table = await ds.client.get("/served/deals.json?_shape=array&id=s-400")
        searched = await ds.client.get("/served/transfers.json?_search=%22S-400%22&_shape=array")
        page = await ds.client.get("/served/transfers")
        return table.json(), searched.json(), page.text

    rows, searched, page = asyncio.run(read())
    assert [r["id"] for r in rows] == ["s-400"]
    assert searched and all("S-400" in json.dumps(r) for r in searched)
    assert "SIPRI Arms Transfers Database" in page and CREDIT in page


def test_datasette_serves_a_folder_export_with_nothing_more(register: Path, tmp_path: Path) -> None:
    """-o FOLDER/ writes FOLDER/FOLDER.db and FOLDER/metadata.json: `datasette FOLDER`
    (its configuration directory mode) serves both, given nothing else."""
    from datasette.app import Datasette

    folder = tmp_path / "sipri"
    code, _, err = _export(register, "transfers", "--format", "sqlite", "-o", f"{folder}/")
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == ["metadata.json", "sipri.db"]
    assert err.endswith(f"serve them with: datasette {folder}/\n")

    async def read() -> tuple[str, Any]:
        ds = Datasette(config_dir=folder)
        page = await ds.client.get("/sipri/transfers")
        meta = await ds.client.get("/-/metadata.json")
        return page.text, meta.json()

    page, meta = asyncio.run(read())
    assert "SIPRI Arms Transfers Database" in page and CREDIT in page
    table = meta["databases"]["sipri"]["tables"]["transfers"]
    assert (table["source"], table["license"]) == ("SIPRI Arms Transfers Database", "(c) SIPRI")


def test_the_serve_command_said_runs_as_a_shell_reads_it(tmp_path: Path) -> None:
    """One dataset: the sources go in too, and the line says so; a path with
    a space is quoted, so the command said is the command to paste."""
    import shlex

    db = tmp_path / "my exports" / "deals 2026.db"
    db.parent.mkdir()
    code, out, err = _export(tmp_path, "deals", "--format", "sqlite", "-o", str(db), data=DATA)
    assert (code, out) == (0, "")
    catalog = Catalog(bundled_data_dir())
    deals, sources = catalog.get("deals"), catalog.get(SOURCES)
    meta = db.with_name("deals 2026.metadata.json")
    said, serve = err.splitlines()
    assert said == (
        f"wrote {len(deals.records)} records of 1 dataset, a table each, and the "
        f"{len(sources.records)} sources, to {db} and its Datasette metadata to {meta}"
    )
    assert shlex.split(serve.removeprefix("serve them with: ")) == [
        "datasette",
        str(db),
        "-m",
        str(meta),
    ]
    assert len(_rows(db, SOURCES)) == len(sources.records)


def test_parquet_reads_back_equal_to_the_records(register: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    folder = tmp_path / "out"
    code, _, err = _export(register, "--format", "parquet", "-o", str(folder))
    assert code == 0, err
    catalog = Catalog(SNAPSHOT, register / "datasets")
    for ds in catalog.all():
        read = pq.read_table(folder / f"{ds.name}.parquet")
        names = [f.name for f in ds.fields if not f.derived]
        assert read.column_names == names
        back = read.to_pylist()
        assert back == [{n: r.get(n) for n in names} for r in ds.records], ds.name
        about = json.loads(read.schema.metadata[parquet.METADATA_KEY])
        assert (about["dataset"], about["key"], about["title"]) == (ds.name, ds.key, ds.title)
    transfers = json.loads(pq.read_schema(folder / "transfers.parquet").metadata[b"geobal"])
    assert transfers["credit"] == CREDIT
    assert [s["publisher"] for s in transfers["sources"]] == ["SIPRI"]


def test_duckdb_reads_the_parquet_files(tmp_path: Path) -> None:
    duckdb = pytest.importorskip("duckdb")
    one = tmp_path / "deals.parquet"
    assert _export(tmp_path, "deals", "--format", "parquet", "-o", str(one))[0] == 0
    relation = duckdb.sql(f"SELECT count(*) FROM read_parquet('{one}')")
    assert relation is not None
    count = relation.fetchall()[0]
    assert count == (len(Catalog(SNAPSHOT).get("deals").records),)


def test_binary_formats_need_a_file(tmp_path: Path) -> None:
    for args in ([], ["-o", "-"]):
        for fmt, shown in (("sqlite", "FILE.db"), ("parquet", "FOLDER")):
            assert _export(tmp_path, "--format", fmt, *args) == (
                2,
                "",
                f"geobal: --format {fmt} writes binary files, not text to standard output\n"
                f"name where to write them: -o {shown}\n",
            )


def test_export_does_not_write_over_a_file_it_did_not_make(tmp_path: Path) -> None:
    mine = tmp_path / "notes.db"
    mine.write_text("my notes\n")
    code, _, err = _export(tmp_path, "--format", "sqlite", "-o", str(mine))
    assert (code, err) == (
        2,
        f"geobal: {mine} exists and is not a database geobal wrote: export does not write "
        "over it\nwrite to another name, or pass --force to replace it\n",
    )
    assert mine.read_text() == "my notes\n"
    assert not (tmp_path / "notes.metadata.json").exists()
    # its own file it replaces; another's, with --force
    assert _export(tmp_path, "deals", "--format", "sqlite", "-o", str(mine), "--force")[0] == 0
    assert _export(tmp_path, "deals", "--format", "sqlite", "-o", str(mine))[0] == 0
    other = tmp_path / "pq"
    other.mkdir()
    (other / "deals.parquet").write_bytes(b"PAR1 not geobal's PAR1")
    code, _, err = _export(tmp_path, "deals", "risks", "--format", "parquet", "-o", str(other))
    assert code == 2 and "deals.parquet exists and is not a Parquet file geobal wrote" in err
    assert sorted(p.name for p in other.iterdir()) == ["deals.parquet"]  # risks not written


def test_one_parquet_file_takes_one_dataset(tmp_path: Path) -> None:
    target = tmp_path / "two.parquet"
    code, _, err = _export(tmp_path, "deals", "risks", "--format", "parquet", "-o", str(target))
    assert (code, err) == (
        2,
        f"geobal: {target} is one Parquet file, and 2 datasets would go in it\n"
        f"name one dataset, or give -o a folder ({tmp_path / 'two'}) to write a file "
        "for each\n",
    )
    assert not target.exists()


def test_text_formats_take_one_dataset_and_no_force(tmp_path: Path) -> None:
    assert _export(tmp_path, "deals", "risks", "--format", "json") == (
        2,
        "",
        "geobal: --format json exports one dataset; 2 given\n"
        "name one dataset, or use --format sqlite or parquet for several\n",
    )
    for given in ([], ["--format", "json"]):
        assert _export(tmp_path, *given) == (
            2,
            "",
            "geobal: name a dataset to export (geobal datasets lists them)\n"
            "or export them all with --format sqlite or --format parquet\n",
        )
    assert _export(tmp_path, "deals", "--format", "json", "--force")[0] == 2
    assert (
        _export(tmp_path, "deals", "--format", "sqlite", "--for-spreadsheet", "-o", "x.db")[0] == 2
    )


def test_a_missing_pyarrow_is_said_with_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(UsageError, match=r"needs pyarrow"):
        parquet.pyarrow()
    code, out, err = _export(tmp_path, "deals", "--format", "parquet", "-o", str(tmp_path / "p"))
    assert (code, out) == (2, "")
    assert err == (
        "geobal: --format parquet needs pyarrow (the extra geobal[parquet]), which is not "
        "installed\ninstall it: from geobal's clone: uv tool install --force '.[parquet]' "
        "(or pip install pyarrow where geobal is installed; uv sync --extra parquet for the "
        "clone's own environment)\n"
    )
    assert not (tmp_path / "p").exists()


def test_the_writers_are_pure_and_exact() -> None:
    """Called directly: a number field's whole numbers past 2**53 are kept whole."""
    catalog = Catalog(bundled_data_dir())
    tables, sources = _tables(catalog, ["deals"])
    deals = tables[0].dataset
    big = [dict(r) for r in deals.records]
    big[0]["value"] = 2**62 + 1
    table = tables[0]._replace(dataset=deals.with_records(big))
    data = sqlite.database([table], sources)
    assert sqlite.is_geobal_database(data[:100])
    con = sqlite3.connect(":memory:")
    con.deserialize(data)
    assert con.execute("SELECT value FROM deals WHERE id = ?", (big[0]["id"],)).fetchone() == (
        2**62 + 1,
    )
    with pytest.raises(Exception, match="no float holds exactly"):
        parquet.parquet_file(table)
    bundled = [provenance(catalog.get(n), catalog.get(SOURCES)) for n in ("deals", SOURCES)]
    # the code is MIT; the bundled records are the sources' words and figures, never relicensed
    assert [(p.licence, p.licence_url) for p in bundled] == [(DATA_TERMS, None)] * 2
    assert "MIT" not in DATA_TERMS
