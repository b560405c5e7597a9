"""SIPRI's military expenditure workbook as SIPRI publishes it (../shared/milex), read in
place: the figures SIPRI prints, its blue and red marks, '...' and 'xxx', its notes and
regional totals, and the import that writes them."""

import json
from pathlib import Path

import pytest

from geobal.model import Record
from geobal.transfer.milex import Milex, read_milex
from tests.conftest import run_cli, shared

WORKBOOK = ("milex", "SIPRI-Milex-data-1949-2024.xlsx")


@pytest.fixture(scope="module")
def milex() -> Milex:
    path = shared(*WORKBOOK)
    return read_milex(path.read_bytes(), path.name)


@pytest.fixture(scope="module")
def by_id(milex: Milex) -> dict[str, Record]:
    return {str(r["id"]): r for r in milex.records}


def test_the_edition_is_read_from_the_workbook(milex: Milex) -> None:
    assert (milex.base_year, milex.covers, milex.saved, milex.countries) == (
        2023,
        (1949, 2024),
        "2025-04-30",
        174,
    )
    # a record a country and year (174 x 76), and the world's and 18 regions' totals
    # from 1988 (19 x 37)
    assert len(milex.records) == 174 * 76 + 19 * 37
    assert milex.said == ()


def test_india_2024_is_the_figure_sipri_prints(by_id: dict[str, Record]) -> None:
    india = by_id["india-2024"]
    # stored exactly as the workbook holds it; SIPRI prints it rounded as below
    assert india["constant_usd"] == 83623.14058143288
    assert f"{india['constant_usd']:,.1f}" == "83,623.1"
    assert india["gdp_share"] == 0.022712033218142025
    assert f"{india['gdp_share']:.2%}" == "2.27%"
    assert f"{by_id['pakistan-2024']['constant_usd']:,.1f}" == "8,183.4"
    assert f"{by_id['russia-2024']['constant_usd']:,.1f}" == "150,534.0"
    assert (india["currency"], india["fiscal_year"], india["notes"]) == (
        "Rupees",
        "Apr-Mar",
        ["59"],
    )
    assert (india["region"], india["subregion"]) == ("Asia & Oceania", "South Asia")
    assert not any(k.endswith(("_estimate", "_uncertain")) for k in india)


def test_the_years_sipri_prints_in_blue_are_estimates(milex: Milex) -> None:
    india = {int(str(r["year"])): r for r in milex.records if r["country"] == "India"}
    blue = [year for year, r in india.items() if r.get("constant_usd_estimate")]
    assert blue == list(range(1956, 1988))  # 32 years; the 33rd blue cell is the Notes cell
    assert not any(r.get("constant_usd_uncertain") for r in india.values())
    assert "constant_usd_estimate" not in india[2024]
    # before 1956: unknown ('...'), never 0
    assert india[1950]["unknown"] == [
        "constant_usd",
        "current_usd",
        "local_calendar",
        "local_financial",
        "gdp_share",
    ]
    assert "constant_usd" not in india[1950]


def test_red_marks_and_countries_that_did_not_exist(by_id: dict[str, Record]) -> None:
    reds = [k for k, r in by_id.items() if r.get("constant_usd_uncertain")]
    assert len(reds) == 156  # the red cells of the constant-dollar sheet: every one a figure
    ussr = by_id["ussr-1995"]
    assert ussr["not_independent"] == [
        "constant_usd",
        "current_usd",
        "local_calendar",
        "local_financial",
        "gdp_share",
        "per_capita",
        "government_share",
    ]
    assert not any(isinstance(v, float) for v in ussr.values())
    # per capita and government's share begin in 1988: before, neither figure nor mark
    assert "per_capita" not in str(by_id["india-1987"])


def test_the_workbook_names_are_kept(milex: Milex) -> None:
    names = {str(r["country"]) for r in milex.records if not r.get("total")}
    for name in ("Korea, South", "Türkiye", "United States of America", "USSR", "Congo, DR"):
        assert name in names
    assert {"German Democratic Republic", "Yemen, North"} <= names


def test_world_and_regional_totals(by_id: dict[str, Record]) -> None:
    world = by_id["world-2024"]
    assert world["total"] is True
    assert f"{world['total_constant_usd_bn']:,.1f}" == "2,676.5"
    assert f"{world['total_current_usd_bn']:,.1f}" == "2,718.2"  # SIPRI: US$2718 billion
    assert by_id["world-1991"]["unknown"] == ["total_constant_usd_bn"]
    assert by_id["africa-2024"]["omitted"] == "Djibouti, Eritrea, Somalia"
    assert by_id["south-asia-2024"]["region"] == "Asia & Oceania"
    assert "total_current_usd_bn" not in by_id["world-2023"]


def test_notes_are_resolved_to_their_text(milex: Milex) -> None:
    notes = {str(n["id"]): n for n in milex.notes}
    assert notes["59"]["text"].startswith("India: The figures for India include")  # type: ignore[union-attr]
    assert notes["dagger"] == {
        "id": "dagger",
        "mark": "\u2020",
        "text": "Figures for these countries do not include military pensions",
    }
    cited = {n for r in milex.records for n in r.get("notes", [])}  # type: ignore[union-attr]
    assert cited <= set(notes)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("milex-home")
    result = run_cli(["import", str(shared(*WORKBOOK)), "--as", "sipri-milex"], home=home)
    assert result.exit_code == 0, result.stderr
    assert (result.stdout, result.stderr.splitlines()) == (
        "",
        [
            "read SIPRI's military expenditure workbook, 1949-2024 (constant 2023 US$, saved "
            "2025-04-30): 174 countries, 13927 records (12092 figures marked estimate or "
            "uncertain), 109 notes",
            f"wrote {home / 'datasets' / 'milex.toml'} and {home / 'datasets' / 'milex-notes.toml'}"
            ", citing sipri-milex-2025-04-30",
            "Source: SIPRI Military Expenditure Database",
        ],
    )
    return home


def test_the_import_reads_back_exactly_and_validates(home: Path, milex: Milex) -> None:
    result = run_cli(["query", "milex", "--where", "id=india-2024", "--json"], home=home)
    assert result.exit_code == 0, result.stderr
    (india,) = json.loads(result.stdout)
    assert india["constant_usd"] == 83623.14058143288
    assert india["sources"] == ["sipri-milex-2025-04-30"]
    assert run_cli(["validate"], home=home).exit_code == 0
    # a second import of the same workbook replaces the first: the same records
    again = run_cli(["import", str(shared(*WORKBOOK)), "--as", "sipri-milex"], home=home)
    assert again.exit_code == 0, again.stderr
    assert "replaced milex, which held 13927 records" in again.stderr
