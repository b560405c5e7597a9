"""SIPRI files set beside each other: a check against a table of one partner says that
scope in every row, outputs that put two exports of different dates side by side say
once that SIPRI may have revised its database between them, and importing the legacy
register over the per-year export says what exactness that gives up."""

import json
from pathlib import Path

import pytest

import geobal
from geobal.analysis.register import versions
from tests.conftest import DATA, home_environ, run_cli, shared
from tests.test_sipri import CREDIT, PER_YEAR, REGISTER, VOLUMES, _imported
from tests.test_sipri_volumes import EXPORTS, FROM_CHINA

EXACT = "exact: the TIV delivered in each year, as the per-year export gives it"
EXACT_FROM = (
    "SIPRI's per-year export gives exact figures: geobal fetch sipri, or download it from "
    "https://www.sipri.org/databases/armstransfers and import it with geobal import FILE --as sipri"
)
ESTIMATE = (
    "estimate: each record's delivered TIV spread evenly over its delivery years, as the "
    f"register does not say how much was delivered in which year ({EXACT_FROM})"
)
# the per-year excerpt was generated on 10 February 2025, the China table on 14 July 2026
TO_CHINA = (
    "the register (data generated 2025-02-10) and 'china' (data generated 2026-07-14) were "
    "exported from SIPRI's database on different dates, so may be different versions of it: "
    "a difference may be SIPRI's revision, not an error"
)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The per-year excerpt as transfers, the legacy excerpt as legacy (generated the same
    day as the import table), the import table as tiv, the China table with a figure
    SIPRI revised as china, and that table without its date as undated."""
    folder = tmp_path_factory.mktemp("versions")
    # as if SIPRI had revised Pakistan's imports of 2001 between the two exports: its
    # sums with it (12 more), which the table must add up to
    text = FROM_CHINA.read_text(encoding="utf-8")
    text = text.replace("\nPakistan,69,298,", "\nPakistan,69,310,", 1)
    text = text.replace(",14103,44%,14103,44%", ",14115,44%,14115,44%", 1)
    text = text.replace(
        "\nTotal imports from China,309,510,", "\nTotal imports from China,309,522,", 1
    )
    text = text.replace(",31795,100%,31795,", ",31807,100%,31807,", 1)
    revised = folder / "revised.csv"
    revised.write_text(text, encoding="utf-8")
    undated = folder / "undated.csv"
    undated.write_text(
        "".join(line for line in text.splitlines(True) if "Data generated" not in line),
        encoding="utf-8",
    )
    return _imported(
        folder,
        (PER_YEAR, "sipri", "transfers"),
        (REGISTER, "sipri", "legacy"),
        (VOLUMES, "sipri-tiv", "tiv"),
        (revised, "sipri-tiv", "china"),
        (undated, "sipri-tiv", "undated"),
    )


def test_the_versions_note_is_said_only_where_dates_differ_or_are_unknown() -> None:
    assert versions([("the register", "2025-01-03")]) is None
    assert versions([("the register", "2024-10-13"), ("'tiv'", "2024-10-13")]) is None
    assert versions([("the register", "2025-01-03"), ("'tiv'", "2024-10-13")]) == (
        "the register (data generated 2025-01-03) and 'tiv' (data generated 2024-10-13) were "
        "exported from SIPRI's database on different dates, so may be different versions of "
        "it: a difference may be SIPRI's revision, not an error"
    )
    three = [("the register", "2025-01-03"), ("'tiv'", "2024-10-13"), ("'x'", "2024-10-13")]
    assert str(versions(three)).startswith(
        "the register (data generated 2025-01-03), 'tiv' (data generated 2024-10-13) and 'x' "
    )
    assert versions([("the register", "2025-01-03"), ("'tiv'", None)]) == (
        "whether the register and 'tiv' come from the same version of SIPRI's database cannot "
        "be told: 'tiv' has no 'data generated' date"
    )


def test_a_check_against_a_scoped_table_says_its_scope_in_every_row(home: Path) -> None:
    asked = ["shares", "--recipient", "Pakistan", "--check", "--volumes", "china"]
    result = run_cli([*asked, "--period", "2000-2001", "-f", "csv"], home=home)
    assert (result.exit_code, result.stderr) == (
        0,
        f"{EXACT}\nsource: sipri-per-year-2025-02-10\n{TO_CHINA}\n",
    )
    tail = f"2000-01,exact,false,2000-01,{CREDIT}\n"
    assert result.stdout == (
        "recipient,scope,year,years,register,table,difference,period,method,partial,covered,"
        "credit\n"
        f"Pakistan,imports from China,2000,2000,69,69,0,{tail}"
        f"Pakistan,imports from China,2001,2001,297.5,310,-4,{tail}"
        f"Pakistan,imports from China,,2000-01,366.5,379,-3.3,{tail}"
    )
    # on a terminal the title says it, the note is said once
    table = run_cli([*asked, "--period", "2000-2001", "-f", "table"], home=home, width=140)
    assert table.exit_code == 0, table.stderr
    assert table.stdout.splitlines()[0] == (
        "Pakistan: the register's imports from China against the import-volume table of "
        "imports from China, 2000-01"
    )
    assert table.stderr.count(TO_CHINA) == 1
    # the library: every row, and the provenance's notes
    data = geobal.open(bundled=DATA, environ=home_environ(home))
    checked = data.shares("Pakistan", check=True, volumes="china", period="2000-2001")
    assert {r["scope"] for r in checked.to_records()} == {"imports from China"}
    assert checked.notes[-1] == TO_CHINA
    assert checked.provenance.notes[-1] == TO_CHINA


def test_a_check_against_the_world_table_gains_no_scope(home: Path) -> None:
    asked = ["shares", "--recipient", "Pakistan", "--check", "--period", "2000-2001", "--json"]
    result = run_cli(asked, home=home)
    assert result.exit_code == 0, result.stderr
    assert not any("scope" in r for r in json.loads(result.stdout))
    # exported on different dates, but every year agrees within SIPRI's rounding: there
    # is no difference for a revision to explain
    assert all(abs(r["register"] - r["table"]) <= 0.5 for r in json.loads(result.stdout))
    assert result.stderr == f"{EXACT}\nsource: sipri-per-year-2025-02-10\n"


def test_exports_of_the_same_date_say_nothing_of_versions(home: Path) -> None:
    asked = ["shares", "--recipient", "India", "--check", "--dataset", "legacy", "--json"]
    result = run_cli([*asked, "--period", "2019-2023"], home=home)
    assert (result.exit_code, result.stderr) == (
        0,
        f"{ESTIMATE}\nsource: sipri-register-2024-10-13\n",
    )
    sheet = ["factsheet", "--dataset", "legacy", "--period", "2019-2023", "--top", "2", "--json"]
    result = run_cli(sheet, home=home)
    assert (result.exit_code, result.stderr) == (0, f"{EXACT_FROM}\n")


def test_an_undated_table_is_said_to_be_of_a_version_not_told(home: Path) -> None:
    asked = ["shares", "--recipient", "Pakistan", "--check", "--volumes", "undated"]
    result = run_cli([*asked, "--period", "2000-2001", "--json"], home=home)
    assert (result.exit_code, result.stderr) == (
        0,
        f"{EXACT}\nsource: sipri-per-year-2025-02-10\n"
        "whether the register and 'undated' come from the same version of SIPRI's database "
        "cannot be told: 'undated' has no 'data generated' date\n",
    )


def test_the_fact_sheet_says_once_that_its_partners_and_totals_differ_in_date(
    home: Path,
) -> None:
    asked = ["factsheet", "--period", "2001", "--top", "2", "--importers"]
    note = (
        "the register (data generated 2025-02-10) and 'tiv' (data generated 2024-10-13) were "
        "exported from SIPRI's database on different dates, so may be different versions of "
        "it: a difference may be SIPRI's revision, not an error\n"
    )
    for shape in (["--json"], ["-f", "csv"], ["-f", "markdown"]):
        result = run_cli([*asked, *shape], home=home)
        assert (result.exit_code, result.stderr) == (0, note)
    data = geobal.open(bundled=DATA, environ=home_environ(home))
    sheet = data.factsheet(period="2001", top=2, importers=True)
    assert sheet.provenance.notes == (note.strip(),)


def test_a_legacy_register_over_the_per_year_export_says_what_it_gives_up(
    tmp_path: Path,
) -> None:
    home = _imported(tmp_path, (PER_YEAR, "sipri", "transfers"))
    result = run_cli(["import", str(REGISTER), "--as", "sipri"], home=home)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[2:5] == [
        "replaced transfers, which held 119 records of the trade register (per-year export) "
        "from sipri-per-year-2025-02-10",
        "transfers held the per-year export, whose yearly figures are exact; the legacy "
        "register's are estimates (each deal's TIV spread evenly over its delivery years)",
        "to keep both: import the per-year export again, and the legacy register with "
        "--into NAME, a dataset of its own",
    ]
    # the other way round gains exactness: nothing to warn of
    again = run_cli(["import", str(PER_YEAR), "--as", "sipri"], home=home)
    assert again.exit_code == 0, again.stderr
    assert "estimates" not in again.stdout + again.stderr


def test_the_pakistan_check_on_sipris_files_says_scope_and_versions(tmp_path: Path) -> None:
    per_year = shared("sipri", "per-year-2000-2023.csv")
    china = shared("sipri", "import-values-2026-07-from-china.csv")
    home = _imported(tmp_path, (per_year, "sipri", "transfers"))
    imported = run_cli(["import", str(china)], home=home)
    assert imported.exit_code == 0, imported.stderr
    asked = ["shares", "--recipient", "Pakistan", "--check", "--volumes"]
    result = run_cli([*asked, "tiv-imports-from-china", "--json"], home=home)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["scope"], r["years"], r["register"], r["table"]) for r in rows] == [
        ("imports from China", "2019", 529.5, 526),
        ("imports from China", "2020", 468.2, 407),
        ("imports from China", "2021", 885, 911),
        ("imports from China", "2022", 1258.9, 1322),
        ("imports from China", "2023", 1819.4, 1807),
        ("imports from China", "2019-23", 4961, 4973),
    ]
    assert result.stderr.splitlines()[-1] == (
        "the register (data generated 2025-01-03) and 'tiv-imports-from-china' (data "
        "generated 2026-07-14) were exported from SIPRI's database on different dates, so may "
        "be different versions of it: a difference may be SIPRI's revision, not an error"
    )


def test_a_suppliers_check_against_a_table_of_exports_to_one_recipient_says_so(
    tmp_path: Path,
) -> None:
    # the export excerpt, its row of totals renamed as SIPRI names it in a table filtered
    # to one recipient: what is checked here is what the rows say, not the figures
    text = EXPORTS.read_text(encoding="utf-8").replace(
        "Total world export,", "Total exports to India,"
    )
    scoped = tmp_path / "exports-to-india.csv"
    scoped.write_text(text, encoding="utf-8")
    home = _imported(tmp_path, (PER_YEAR, "sipri", "transfers"), (scoped, "sipri-tiv", "to-india"))
    asked = ["shares", "--supplier-of", "France", "--check", "--volumes", "to-india"]
    result = run_cli([*asked, "--period", "2000-2001", "--json"], home=home)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["supplier"], r["scope"], r["years"]) for r in rows] == [
        ("France", "exports to India", "2000"),
        ("France", "exports to India", "2001"),
        ("France", "exports to India", "2000-01"),
    ]
    assert result.stderr.splitlines()[-1] == (
        "the register (data generated 2025-02-10) and 'to-india' (data generated 2024-10-13) "
        "were exported from SIPRI's database on different dates, so may be different versions "
        "of it: a difference may be SIPRI's revision, not an error"
    )
