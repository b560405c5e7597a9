"""SIPRI's real exports, read in place from ../shared/sipri: every line accounted for,
and the shares SIPRI published reproduced from the register."""

import json
from pathlib import Path

import pytest

from geobal.transfer import sipri
from tests.conftest import SHARED, run_cli

REGISTER = SHARED / "sipri" / "trade-register.csv"
VOLUMES = SHARED / "sipri" / "import-export-values_1950-2024.csv"


@pytest.fixture(scope="module")
def export() -> sipri.Export:
    return sipri.read_register(REGISTER.read_bytes(), "trade-register.csv")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home folder with both exports imported, once for this module."""
    home = tmp_path_factory.mktemp("sipri-home")
    for path, kind in ((REGISTER, "sipri"), (VOLUMES, "sipri-tiv")):
        result = run_cli(["import", str(path), "--as", kind], home=home)
        assert result.exit_code == 0, result.stderr
    return home


def test_every_line_of_the_real_export_is_accounted_for(export: sipri.Export) -> None:
    assert export.read == 27953  # the data lines below the header, as SIPRI's README says
    assert (len(export.records), export.joined, export.rejected) == (27951, 2, [])
    assert len(export.records) + export.joined + len(export.rejected) == export.read
    assert (export.generated, export.url) == (
        "2024-10-13",
        "https://www.sipri.org/databases/armstransfers/sources-and-methods",
    )
    assert len({r["id"] for r in export.records}) == len(export.records)


def test_a_record_broken_across_two_lines_is_joined(export: sipri.Export) -> None:
    # lines 24336-24337 of the export: the TIV figures fell onto a line of their own
    [record] = [r for r in export.records if r["id"] == "thailand-ukraine-2008-btr-3"]
    assert record == {
        "id": "thailand-ukraine-2008-btr-3",
        "recipient": "Thailand",
        "supplier": "Ukraine",
        "order_year": 2008,
        "ordered": 14,
        "designation": "BTR-3",
        "description": "APC",
        "delivered": 13,
        "delivery_years": [2010, 2012],
        "status": "new",
        "comments": "Part of THB4b ($120 m) deal (for 96 BTR-3 in several versions; "
        "additional 5 given for free); delivery delayed after Germany refusal to export "
        "engines and redesign for other engines",
        "tiv_unit": 0.25,
        "tiv_total": 3.5,
        "tiv_delivered": 3.25,
        "uncertain": ["delivered"],
    }


def test_types_flags_and_utf8(export: sipri.Export) -> None:
    first = export.records[0]
    assert (first["delivery_years"], first["tiv_unit"], first["uncertain"]) == (
        [2018],
        4.5,
        ["delivered"],
    )
    soviet = next(r for r in export.records if r["supplier"] == "Soviet Union")
    assert soviet["delivery_years"] == [1977, 1978] and soviet["uncertain"] == [
        "order_year",
        "delivered",
    ]
    utf8 = REGISTER.read_bytes().decode("latin-1").encode("utf-8")
    assert sipri.read_register(utf8, "utf8.csv").records == export.records


def test_a_record_that_cannot_be_joined_is_reported_with_its_lines() -> None:
    head = REGISTER.read_bytes().decode("latin-1").split("\n")[:12]
    body = [
        "India,Russia,2018,,5,,S-400,SAM system,3,,2021; 2022; 2023,New,broken",
        "a,b,c,d,e",
        "India,France,2016,,36,,Rafale,FGA aircraft,36,,2020,New,,90,3240,3240",
        "India,Russia,twenty,,5,,x,y,,,,New,,,,",
        "India,Russia,2018,,5,,S-400,SAM system,3,,2021; 2022; 2023,New,joined ",
        "here,5,15,9",
    ]
    result = sipri.read_register("\n".join(head + body).encode(), "x.csv")
    assert (result.read, len(result.records), result.joined) == (6, 2, 1)
    assert result.rejected == [
        sipri.Rejected((13,), "expected 16 columns"),  # its next line does not complete it
        sipri.Rejected((14,), "expected 16 columns"),
        sipri.Rejected((16,), "year of order is not a whole number: 'twenty'"),
    ]
    assert result.records[1]["comments"] == "joined here"
    assert len(result.records) + result.joined + len(result.rejected) == result.read


def test_the_import_report_and_reimporting(home: Path) -> None:
    again = run_cli(["import", str(REGISTER), "--as", "sipri"], home=home)
    assert again.stderr == (
        f"read 27953 data lines of {REGISTER}: imported 27951 records (2 lines joined to the "
        "record above: records broken across two lines), rejected 0\n"
        f"wrote {home / 'datasets' / 'transfers.toml'}, citing sipri-register-2024-10-13\n"
    )
    count = run_cli(["datasets", "--fields", "name,records"], home=home).stdout
    assert "transfers\t27951\n" in count and "tiv\t8050\n" in count  # replaced, not doubled
    source = json.loads(
        run_cli(["show", "sources", "sipri-register-2024-10-13", "--json"], home=home).stdout
    )
    assert (source["record"]["date"], source["record"]["publisher"]) == ("2024-10-13", "SIPRI")
    assert len(source["cited_by"]) == 27951


def test_india_2019_23_reproduces_sipris_published_shares(home: Path) -> None:
    result = run_cli(
        ["shares", "--recipient", "india", "--from", "2019", "--to", "2023", "--json"], home=home
    )
    rows = {r["supplier"]: r for r in json.loads(result.stdout)[:4]}
    got = {name: (r["share"], r.get("published")) for name, r in rows.items()}
    assert got == {
        "Russia": (37.16, 36),
        "France": (31.99, 33),
        "United States": (13.38, 13),
        "Israel": (9.28, None),
    }
    for name in ("Russia", "France", "United States"):
        assert abs(rows[name]["difference"]) < 2  # within 2 percentage points
    assert result.stderr.startswith("estimate: each record's delivered TIV spread evenly")


def test_the_register_total_is_within_5_percent_of_the_volume_table(home: Path) -> None:
    rows = json.loads(
        run_cli(["shares", "--recipient", "India", "--check", "--json"], home=home).stdout
    )
    total = rows[-1]
    assert (total["year"], total["register"], total["table"]) == ("2019-2023", 13280, 13753)
    assert abs(total["difference"]) < 5 and total["difference"] == -3.4
    assert [r["year"] for r in rows[:-1]] == ["2019", "2020", "2021", "2022", "2023"]


def test_supplier_of_and_balance_from_the_register(home: Path) -> None:
    buyers = json.loads(run_cli(["shares", "--supplier-of", "France", "--json"], home=home).stdout)
    assert buyers[0]["recipient"] == "India" and buyers[0]["rank"] == 1
    periods = json.loads(
        run_cli(
            ["balance", "--dataset", "transfers", "--recipient", "India", "--json"], home=home
        ).stdout
    )
    by = {p["period"]: p for p in periods}
    assert by["2019-23"]["share_russia"] == 37.16 and by["2019-23"]["unknown"] == 0
    assert by["2019-23"]["hhi_low"] == by["2019-23"]["hhi_high"]
    assert by["2009-13"]["top"] == "Russia"


def test_names_are_resolved_with_help(home: Path) -> None:
    bad = run_cli(["shares", "--recipient", "Indai"], home=home)
    assert (bad.exit_code, bad.stderr) == (
        2,
        "geobal: unknown recipient 'Indai'\ndid you mean India or Indonesia or Uganda?\n",
    )
    assert run_cli(["shares"], home=home).exit_code == 2
    none = run_cli(["shares", "--recipient", "India"])  # a home without the register
    assert none.stderr.startswith("geobal: no dataset 'transfers': import SIPRI's trade")


def test_a_round_trip_of_some_records_through_export_and_import(home: Path, tmp_path: Path) -> None:
    query = [
        "query",
        "transfers",
        "--where",
        "recipient=Thailand",
        "--where",
        "supplier=Ukraine",
        "--json",
    ]
    before = json.loads(run_cli(query, home=home).stdout)
    assert len(before) > 3
    # a new dataset with the register's schema, and these records through JSON
    schema = run_cli(["export", "transfers", "--format", "toml"], home=home).stdout
    head = schema.split("[[records]]")[0].replace('name = "transfers"', 'name = "sample"')
    (home / "datasets" / "sample.toml").write_text(head)
    imported = run_cli(
        ["import", "-", "--format", "json", "--into", "sample"], home=home, stdin=json.dumps(before)
    )
    assert imported.exit_code == 0, imported.stderr
    after = json.loads(run_cli([*query[:1], "sample", *query[2:]], home=home).stdout)
    strip = ("origin", "file")
    assert [{k: v for k, v in r.items() if k not in strip} for r in after] == [
        {k: v for k, v in r.items() if k not in strip} for r in before
    ]
