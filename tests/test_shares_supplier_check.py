"""`shares --supplier-of X --check`: the register's deliveries by X set year by year
beside SIPRI's export-volume table, from the library and the CLI, on the fixtures and on
SIPRI's full files in ../shared."""

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest

import geobal
from geobal.errors import UsageError
from tests.conftest import DATA, home_environ, run_cli, shared
from tests.test_sipri import CREDIT, PER_YEAR, VOLUMES, _imported
from tests.test_sipri_volumes import EXPORTS, FROM_CHINA


def _france_by_year() -> dict[int, float]:
    """France's deliveries in the per-year excerpt, summed here without geobal."""
    lines = PER_YEAR.read_text(encoding="utf-8").splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith("SIPRI AT Database ID,"))
    found: dict[int, float] = defaultdict(float)
    for r in csv.DictReader(lines[top:]):
        if r["Supplier"] == "France":
            found[int(r["Delivery year"])] += float(r["TIV delivery values"] or 0)
    return found


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = _imported(tmp_path_factory.mktemp("supplier-check"), (PER_YEAR, "sipri", "transfers"))
    # through the front door, as a user would: it lands in tiv-exports
    result = run_cli(["import", str(EXPORTS)], home=home)
    assert result.exit_code == 0, result.stderr
    for path, kind, into in ((VOLUMES, "sipri-tiv", "tiv"), (FROM_CHINA, "sipri-tiv", "china")):
        result = run_cli(["import", str(path), "--as", kind, "--into", into], home=home)
        assert result.exit_code == 0, result.stderr
    return home


def test_the_register_by_supplier_is_set_beside_the_export_table(home: Path) -> None:
    france = _france_by_year()
    asked = ["shares", "--supplier-of", "France", "--check", "--period", "2000-2001", "--json"]
    result = run_cli(asked, home=home)
    assert (result.exit_code, result.stderr) == (
        0,
        "exact: the TIV delivered in each year, as the per-year export gives it\n"
        "source: sipri-per-year-2025-02-10\n"
        # the per-year excerpt and the export table were exported on different days
        "the register (data generated 2025-02-10) and 'tiv-exports' (data generated "
        "2024-10-13) were exported from SIPRI's database on different dates, so may be "
        "different versions of it: a difference may be SIPRI's revision, not an error\n",
    )
    total = round(france[2000] + france[2001], 1)
    common = {
        "supplier": "France",
        "period": "2000-01",
        "method": "exact",
        "partial": False,
        "covered": "2000-01",
        "credit": CREDIT,
    }
    # the excerpt holds deliveries to India and Pakistan only: far below France's whole
    assert json.loads(result.stdout) == [
        {
            **common,
            "year": 2000,
            "years": "2000",
            "register": round(france[2000], 1),
            "table": 1033,
            "difference": round(100 * (france[2000] - 1033) / 1033, 1),
        },
        {
            **common,
            "year": 2001,
            "years": "2001",
            "register": round(france[2001], 1),
            "table": 1383,
            "difference": round(100 * (france[2001] - 1383) / 1383, 1),
        },
        {
            **common,
            "year": None,  # the period's total
            "years": "2000-01",
            "register": total,
            "table": 2416,
            "difference": round(100 * (france[2000] + france[2001] - 2416) / 2416, 1),
        },
    ]
    gb = geobal.open(bundled=DATA, environ=home_environ(home))
    found = gb.shares(supplier_of="France", check=True, period="2000-01")
    assert found.to_records() == json.loads(result.stdout)
    assert found.frame.title == "France: the register against the export-volume table, 2000-01"


def test_the_table_says_which_volume_table_it_set_beside(home: Path) -> None:
    asked = ["shares", "--supplier-of", "France", "--check", "--format", "markdown"]
    result = run_cli(asked, home=home)
    assert result.exit_code == 0, result.stderr
    assert "| Year | Register (exact) | Volume table | Difference % |" in result.stdout


def test_without_the_export_table_the_import_is_named(tmp_path: Path) -> None:
    home = _imported(tmp_path, (PER_YEAR, "sipri", "transfers"), (VOLUMES, "sipri-tiv", "tiv"))
    result = run_cli(["shares", "--supplier-of", "France", "--check"], home=home)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "geobal: no dataset 'tiv-exports': --check compares with SIPRI's export-volume table\n"
        "import it with: geobal import export-values_1950-2024.csv --as sipri-tiv\n"
    )


def test_an_import_table_is_refused_for_a_supplier_and_the_other_way(home: Path) -> None:
    for asked, kind, how in (
        (
            ["--supplier-of", "France", "--volumes", "tiv"],
            "export-volume table",
            "export-values_1950-2024.csv",
        ),
        (
            ["--supplier-of", "France", "--volumes", "china"],
            "export-volume table",
            "export-values_1950-2024.csv",
        ),
        (
            ["--recipient", "India", "--volumes", "tiv-exports"],
            "import-volume table",
            "import-export-values_1950-2024.csv",
        ),
    ):
        result = run_cli(["shares", *asked, "--check"], home=home)
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr == (
            f"geobal: {asked[-1]!r} is not SIPRI's {kind}\n"
            f"import it with: geobal import {how} --as sipri-tiv\n"
        )
    gb = geobal.open(bundled=DATA, environ=home_environ(home))
    with pytest.raises(UsageError, match="'tiv' is not SIPRI's export-volume table"):
        gb.shares(supplier_of="France", check=True, volumes="tiv")


def test_a_recipients_check_still_reads_the_import_table_by_default(home: Path) -> None:
    asked = ["shares", "--recipient", "India", "--check", "--json", "--fields", "years,table"]
    result = run_cli(asked, home=home)
    assert result.exit_code == 0, result.stderr
    assert [r["years"] for r in json.loads(result.stdout)] == ["2000", "2001", "2000-01"]
    assert json.loads(result.stdout)[-1]["table"] == 2156


@pytest.fixture(scope="module")
def full_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _imported(
        tmp_path_factory.mktemp("supplier-check-full"),
        (shared("sipri", "per-year-2000-2023.csv"), "sipri", "transfers"),
        (shared("sipri", "export-values_1950-2024.csv"), "sipri-tiv", "tiv-exports"),
    )


@pytest.mark.parametrize("supplier", ["United States", "France", "Russia", "China"])
def test_on_sipris_full_files_every_year_agrees_within_half_a_tiv(
    full_home: Path, supplier: str
) -> None:
    asked = ["shares", "--supplier-of", supplier, "--check", "--period", "2019-2023", "--json"]
    result = run_cli(asked, home=full_home)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["years"] for r in rows] == ["2019", "2020", "2021", "2022", "2023", "2019-23"]
    # SIPRI rounds each of its figures to a whole TIV
    assert all(abs(r["register"] - r["table"]) <= 0.5 + 0.05 for r in rows[:-1]), rows
    assert {r["method"] for r in rows} == {"exact"}


def test_a_check_counts_its_rows_not_years_and_writes_no_negative_zero(full_home: Path) -> None:
    asked = ["shares", "--supplier-of", "United States", "--check", "--period", "2019-2023"]
    result = run_cli([*asked, "--json"], home=full_home)
    assert result.exit_code == 0, result.stderr
    assert "-0.0" not in result.stdout and "-0," not in result.stdout
    # some years round to no difference, which a negative one made -0.0
    assert any(r["difference"] == 0 for r in json.loads(result.stdout))
    shown = run_cli(asked, home=full_home, tty=True, width=120)
    assert shown.exit_code == 0, shown.stderr
    # five years and the period's total
    assert shown.stderr.endswith("\n6 rows\n") and "6 years" not in shown.stderr
