"""SIPRI's volume tables of both kinds and of one partner only: the export-volume table
read beside the import-volume table, a table SIPRI filtered to one supplier recorded
with its scope and refused as the world's, and exactness on the full exports."""

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from geobal.transfer import sipri
from geobal.transfer.written import _checksum
from tests.conftest import FIXTURES, run_cli, shared
from tests.test_factsheet import table_of
from tests.test_sipri import PER_YEAR, VOLUMES, _imported

EXPORTS = FIXTURES / "sipri" / "export-values-excerpt.csv"
FROM_CHINA = FIXTURES / "sipri" / "import-values-from-china-excerpt.csv"


def test_the_export_table_is_told_from_the_import_table_by_its_header() -> None:
    assert sipri.detect_shape(EXPORTS.read_bytes()) == "export-volumes"
    assert sipri.detect_shape(VOLUMES.read_bytes()) == "volumes"
    read = sipri.read_volumes(EXPORTS.read_bytes(), "e.csv")
    assert (read.shape.kind, read.scope, read.rejected, read.generated) == (
        "export-volume table",
        None,
        [],
        "2024-10-13",
    )
    us_2023 = [r for r in read.records if r["id"] == "united-states-2023"]
    assert us_2023 == [
        {"id": "united-states-2023", "supplier": "United States", "year": 2023, "tiv": 11287}
    ]


def test_a_table_of_one_supplier_is_read_with_its_scope() -> None:
    read = sipri.read_volumes(FROM_CHINA.read_bytes(), "c.csv")
    assert read.scope == "imports from China"
    assert (
        read.said[-1] == "a table of imports from China only (its row 'Total imports from China')"
    )
    assert sipri.scope(["Pakistan", "Total world import"], "volumes") is None
    assert sipri.scope(["Pakistan"], "volumes") is None


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("volumes-home")
    for path in (VOLUMES, EXPORTS, FROM_CHINA):
        result = run_cli(["import", str(path), "--as", "sipri-tiv"], home=home)
        assert result.exit_code == 0, result.stderr
    return home


def test_each_table_lands_in_its_own_dataset_and_datasets_says_the_scope(home: Path) -> None:
    result = run_cli(["datasets", "--json", "--fields", "name,title,records"], home=home)
    assert result.exit_code == 0, result.stderr
    ours = [r for r in json.loads(result.stdout) if r["name"].startswith("tiv")]
    assert ours == [
        {"name": "tiv", "title": "SIPRI import-volume table (2024-10-13)", "records": 768},
        {"name": "tiv-exports", "title": "SIPRI export-volume table (2024-10-13)", "records": 324},
        {
            "name": "tiv-imports-from-china",
            "title": "SIPRI import-volume table of imports from China only (2026-07-14)",
            "records": 75,
        },
    ]


def test_the_fact_sheet_refuses_a_table_of_one_supplier_naming_its_scope(home: Path) -> None:
    result = run_cli(["factsheet", "--volumes", "tiv-imports-from-china"], home=home)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "geobal: 'tiv-imports-from-china' holds imports from China only (its row 'Total "
        "imports from China'), not the world's: it gives no world or whole-country total\n"
        "export the table for all recipients and import it: geobal import "
        "import-export-values_1950-2024.csv --as sipri-tiv\n"
    )


def _export_table(path: Path) -> dict[str, dict[int, float]]:
    return table_of(path, "Exports by,")


# --- the full exports, from ../shared/sipri ---------------------------------------------


@pytest.fixture(scope="module")
def full_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _imported(
        tmp_path_factory.mktemp("volumes-full"),
        (shared("sipri", "per-year-2000-2023.csv"), "sipri", "transfers"),
        (shared("sipri", "import-export-values_1950-2024.csv"), "sipri-tiv", "tiv"),
        (shared("sipri", "export-values_1950-2024.csv"), "sipri-tiv", "tiv-exports"),
    )


def test_the_2019_23_exporters_are_the_export_tables_exact(full_home: Path) -> None:
    table = _export_table(shared("sipri", "export-values_1950-2024.csv"))
    world = sum(table["Total world export"][y] for y in range(2019, 2024))
    result = run_cli(
        ["factsheet", "--period", "2019-2023", "--exporters", "--top", "3", "--json"],
        home=full_home,
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    exact = "exact, from SIPRI's export-volume table 'tiv-exports', exported 2024-10-13"
    assert [(r["country"], r["share"], r["totals_from"]) for r in rows] == [
        ("United States", 41.72, exact),
        ("France", 10.92, exact),
        ("Russia", 10.55, exact),
    ]
    # the same from the table read here, without geobal: the rows' TIV are the table's own
    assert [round(100 * r["tiv"] / world, 2) for r in rows] == [41.72, 10.92, 10.55]


def test_shares_check_uses_a_table_of_one_supplier_for_that_supplier_only(
    tmp_path: Path,
) -> None:
    home = _imported(tmp_path, (PER_YEAR, "sipri", "transfers"), (FROM_CHINA, "sipri-tiv", "china"))
    # the register's deliveries to Pakistan from China, summed here without geobal
    lines = PER_YEAR.read_text(encoding="utf-8").splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("SIPRI AT Database ID,"))
    from_china: dict[int, float] = defaultdict(float)
    for r in csv.DictReader(lines[top:]):
        if (r["Supplier"], r["Recipient"]) == ("China", "Pakistan"):
            from_china[int(r["Delivery year"])] += float(r["TIV delivery values"] or 0)
    asked = ["shares", "--recipient", "Pakistan", "--check", "--volumes", "china"]
    given = ["--period", "2000-2001", "--json", "--fields", "years,register,table"]
    result = run_cli([*asked, *given], home=home)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"years": "2000", "register": round(from_china[2000], 1), "table": 69},
        {"years": "2001", "register": round(from_china[2001], 1), "table": 298},
        {"years": "2000-01", "register": round(sum(from_china.values()), 1), "table": 367},
    ]


def test_the_row_of_totals_is_marked_and_never_summed_with_the_rows_it_totals(home: Path) -> None:
    read = sipri.read_volumes(EXPORTS.read_bytes(), "e.csv")
    world = [r for r in read.records if r["supplier"] == "Total world export"]
    assert world and all(r["total"] is True for r in world)
    assert not any("total" in r for r in read.records if r["supplier"] != "Total world export")

    both = ["query", "tiv-exports", "--where", "year=2023", "--sum", "tiv"]
    result = run_cli(both, home=home)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "geobal: 'tiv-exports' holds 1 row of totals (field total true) among the 5 rows "
        "chosen: grouped together, each figure would count twice\n"
        "add --where 'total!=true' for the rows, or --where total=true for the totals\n"
    )
    counted = run_cli(["query", "tiv-exports", "--count-by", "supplier", "--json"], home=home)
    assert counted.exit_code == 2 and "74 rows of totals" in counted.stderr
    # the schema, the dataset file and the cache keep the field's meaning
    text = (home / "datasets" / "tiv-exports.toml").read_text("utf-8")
    assert '[fields.total]\ntype = "boolean"\ntitle = "Total"\n' in text
    assert "\ntotals = true\n" in text
    described = run_cli(["schema", "tiv-exports", "--json"], home=home).stdout
    [total] = [r for r in json.loads(described) if r["name"] == "total"]
    assert "never both." in total["about"]

    def summed(where: str) -> object:
        result = run_cli([*both, "--where", where, "--json"], home=home)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)[0]["tiv_sum"]

    # the excerpt keeps four of the suppliers; its row of totals is the world's
    assert (summed("total!=true"), summed("total=true")) == (11287 + 1269 + 2012 + 2432, 29104)
    by_kind = run_cli(["query", "tiv-exports", "--count-by", "total", "--json"], home=home)
    assert by_kind.exit_code == 0, by_kind.stderr
    assert [(r["total"], r["count"]) for r in json.loads(by_kind.stdout)] == [
        (None, 250),
        (True, 74),
    ]


def test_a_volume_table_an_earlier_release_imported_is_replaced_by_a_new_import(
    tmp_path: Path,
) -> None:
    first = run_cli(["import", str(EXPORTS)], home=tmp_path)
    assert first.exit_code == 0, first.stderr
    path = tmp_path / "datasets" / "tiv-exports.toml"
    # as geobal wrote it before volume tables had a field marking their row of totals
    text = path.read_text(encoding="utf-8")
    start = text.index("[fields.total]")
    end = text.index("\n[", start + 1)
    text = text[:start] + text[end + 1 :].replace("total = true\n", "")
    at = text.index("[[records]]\n")
    stamped = re.search(r'imported = "(crc32:[0-9a-f]{8})"', text)
    assert stamped is not None
    path.write_text(text.replace(stamped[1], _checksum(text[at:]), 1), "utf-8")
    again = run_cli(["import", str(EXPORTS)], home=tmp_path)
    assert again.exit_code == 0, again.stderr
    assert "replaced tiv-exports, which held 324 records" in again.stderr
