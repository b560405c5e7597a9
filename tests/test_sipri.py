"""SIPRI's exports: excerpts of the real files (tests/fixtures/sipri) everywhere, and
the full exports from ../shared/sipri where they are beside the repository: every line
accounted for, and the shares SIPRI published reproduced from the register."""

import json
from pathlib import Path

import pytest

from geobal.transfer import sipri
from tests.conftest import FIXTURES, run_cli, shared

EXCERPTS = FIXTURES / "sipri"
REGISTER = EXCERPTS / "trade-register-excerpt.csv"
VOLUMES = EXCERPTS / "import-export-values-excerpt.csv"


def _read(path: Path) -> sipri.Export:
    return sipri.read_register(path.read_bytes(), path.name)


@pytest.fixture(scope="module")
def excerpt() -> sipri.Export:
    return _read(REGISTER)


def _imported(home: Path, register: Path, volumes: Path) -> Path:
    for path, kind in ((register, "sipri"), (volumes, "sipri-tiv")):
        result = run_cli(["import", str(path), "--as", kind], home=home)
        assert result.exit_code == 0, result.stderr
    return home


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home folder with both excerpts imported, once for this module."""
    return _imported(tmp_path_factory.mktemp("sipri-home"), REGISTER, VOLUMES)


def test_every_line_of_the_excerpt_is_accounted_for(excerpt: sipri.Export) -> None:
    data_lines = len(REGISTER.read_bytes().splitlines()) - 12  # 11 lines of notes, a header
    assert excerpt.read == data_lines
    assert (excerpt.joined, excerpt.rejected) == (2, [])
    assert len(excerpt.records) + excerpt.joined + len(excerpt.rejected) == excerpt.read
    assert (excerpt.generated, excerpt.url) == (
        "2024-10-13",
        "https://www.sipri.org/databases/armstransfers/sources-and-methods",
    )
    assert len({r["id"] for r in excerpt.records}) == len(excerpt.records)


def test_a_record_broken_across_two_lines_is_joined(excerpt: sipri.Export) -> None:
    # lines 24336-24337 of the export: the TIV figures fell onto a line of their own
    [record] = [r for r in excerpt.records if r["id"] == "thailand-ukraine-2008-btr-3"]
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
    [un] = [r for r in excerpt.records if r["recipient"] == "United Nations**"]
    assert (un["supplier"], un["tiv_delivered"]) == ("Israel", 9)


def test_types_flags_and_utf8(excerpt: sipri.Export) -> None:
    first = excerpt.records[0]
    assert (first["delivery_years"], first["tiv_unit"], first["uncertain"]) == (
        [2018],
        4.5,
        ["delivered"],
    )
    soviet = next(r for r in excerpt.records if r["supplier"] == "Soviet Union")
    assert soviet["delivery_years"] == [1977, 1978] and soviet["uncertain"] == [
        "order_year",
        "delivered",
    ]
    latin1 = REGISTER.read_bytes()
    assert not latin1.isascii()  # SIPRI's Latin-1 letters are in the excerpt
    utf8 = latin1.decode("latin-1").encode("utf-8")
    assert sipri.read_register(utf8, "utf8.csv").records == excerpt.records


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


def test_the_import_report_and_reimporting(home: Path, excerpt: sipri.Export) -> None:
    again = run_cli(["import", str(REGISTER), "--as", "sipri"], home=home)
    n = len(excerpt.records)
    assert again.stderr == (
        f"read {excerpt.read} data lines of {REGISTER}: imported {n} records (2 lines joined "
        "to the record above: records broken across two lines), rejected 0\n"
        f"wrote {home / 'datasets' / 'transfers.toml'}, citing sipri-register-2024-10-13\n"
    )
    count = run_cli(["datasets", "--fields", "name,records"], home=home).stdout
    volumes = sipri.read_volumes(VOLUMES.read_bytes(), VOLUMES.name).records
    assert f"transfers\t{n}\n" in count and f"tiv\t{len(volumes)}\n" in count  # not doubled
    source = json.loads(
        run_cli(["show", "sources", "sipri-register-2024-10-13", "--json"], home=home).stdout
    )
    assert (source["record"]["date"], source["record"]["publisher"]) == ("2024-10-13", "SIPRI")
    assert len(source["cited_by"]) == n


def _india_2019_23(home: Path) -> dict[str, dict[str, object]]:
    result = run_cli(
        ["shares", "--recipient", "india", "--from", "2019", "--to", "2023", "--json"], home=home
    )
    assert result.stderr.startswith("estimate: each record's delivered TIV spread evenly")
    return {str(r["supplier"]): r for r in json.loads(result.stdout)[:4]}


# Every India order with a delivery in 2019-23 is in the excerpt, so the estimate is the
# full register's: Russia 37.16% against the 36% SIPRI published, and so on.
INDIA_2019_23 = {
    "Russia": (37.16, 36),
    "France": (31.99, 33),
    "United States": (13.38, 13),
    "Israel": (9.28, None),
}


def test_india_2019_23_reproduces_sipris_published_shares(home: Path) -> None:
    rows = _india_2019_23(home)
    assert {name: (r["share"], r.get("published")) for name, r in rows.items()} == INDIA_2019_23
    for name in ("Russia", "France", "United States"):
        assert abs(float(rows[name]["difference"])) < 2  # type: ignore[arg-type]


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


def test_names_are_resolved_with_help(home: Path) -> None:
    bad = run_cli(["shares", "--recipient", "Indai"], home=home)
    assert (bad.exit_code, bad.stderr) == (
        2,
        "geobal: unknown recipient 'Indai'\nvalid values: Afghanistan, Algeria, Argentina, "
        "Austria, India, Pakistan, Thailand, United Nations**\n",
    )
    assert run_cli(["shares"], home=home).exit_code == 2
    none = run_cli(["shares", "--recipient", "India"])  # a home without the register
    assert none.stderr.startswith("geobal: no dataset 'transfers': import SIPRI's trade")


def test_a_round_trip_of_some_records_through_export_and_import(home: Path) -> None:
    query = [
        "query",
        "transfers",
        "--where",
        "recipient=Pakistan",
        "--where",
        "supplier=China",
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


# --- the full exports, from ../shared/sipri ---------------------------------------------


@pytest.fixture(scope="module")
def full() -> sipri.Export:
    return _read(shared("sipri", "trade-register.csv"))


@pytest.fixture(scope="module")
def full_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    register = shared("sipri", "trade-register.csv")
    volumes = shared("sipri", "import-export-values_1950-2024.csv")
    return _imported(tmp_path_factory.mktemp("sipri-full"), register, volumes)


def test_every_line_of_the_full_export_is_accounted_for(full: sipri.Export) -> None:
    assert full.read == 27953  # the data lines below the header, as SIPRI's README says
    assert (len(full.records), full.joined, full.rejected) == (27951, 2, [])
    assert len({r["id"] for r in full.records}) == len(full.records)


def test_the_excerpt_holds_the_full_exports_records(
    excerpt: sipri.Export, full: sipri.Export
) -> None:
    by_id = {r["id"]: r for r in full.records}
    assert all(by_id.get(r["id"]) == r for r in excerpt.records)


def test_the_full_register_gives_the_same_india_shares(full_home: Path) -> None:
    rows = _india_2019_23(full_home)
    assert {name: (r["share"], r.get("published")) for name, r in rows.items()} == INDIA_2019_23
    periods = json.loads(
        run_cli(
            ["balance", "--dataset", "transfers", "--recipient", "India", "--json"],
            home=full_home,
        ).stdout
    )
    assert {p["period"]: p for p in periods}["2009-13"]["top"] == "Russia"
    bad = run_cli(["shares", "--recipient", "Indai"], home=full_home)
    assert bad.stderr == (
        "geobal: unknown recipient 'Indai'\ndid you mean India or Indonesia or Uganda?\n"
    )
