"""Exactness proven on SIPRI's real files: the per-year export of 2000-2023, summed by
recipient and year, equals SIPRI's import-volume table, so shares computed from it for
any period inside its years are exact (an excerpt for a bare clone, the full files from
../shared/sipri); and every figure from a legacy register alone says it is an estimate
and where the exact ones come from."""

import json
from pathlib import Path

import pytest

import geobal
from geobal.analysis.register import EXACT_FROM
from geobal.transfer import sipri
from tests.conftest import DATA, FIXTURES, ROOT, home_environ, run_cli, shared
from tests.test_sipri import CREDIT, REGISTER, VOLUMES, _imported, _volume_table, num

INDIA = FIXTURES / "sipri" / "per-year-india-2019-2023-excerpt.csv"
# India's suppliers of 2019-23 from the per-year export (SIPRI published 36, 33 and 13)
INDIA_2019_23 = {"Russia": 36.45, "France": 32.54, "United States": 12.95}


def _shares(home: Path, *args: str) -> list[dict[str, object]]:
    result = run_cli(["shares", *args, "--json"], home=home)
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    assert rows
    return rows


def _india_is_exact(home: Path) -> None:
    args = ("--recipient", "India", "--dataset", "yearly", "--from", "2019", "--to", "2023")
    rows = _shares(home, *args)
    assert {str(r["supplier"]): r["share"] for r in rows[:3]} == INDIA_2019_23
    assert {(r["method"], r["period"], r["partial"], r["credit"]) for r in rows} == {
        ("exact", "2019-23", False, CREDIT)
    }
    result = run_cli(["shares", *args, "--json"], home=home)
    assert EXACT_FROM not in result.stderr


def test_indias_2019_23_shares_from_the_per_year_excerpt_are_exact(tmp_path: Path) -> None:
    home = _imported(tmp_path, (INDIA, "sipri", "yearly"))
    _india_is_exact(home)
    gb = geobal.open(bundled=DATA, environ=home_environ(home))
    found = gb.shares("India", dataset="yearly", start=2019, end=2023)
    assert (found.provenance.exact, found.provenance.partial) == (True, False)
    assert EXACT_FROM not in " ".join(found.provenance.notes)


# --- the full files, from ../shared/sipri ------------------------------------------------


@pytest.fixture(scope="module")
def full_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _imported(
        tmp_path_factory.mktemp("sipri-exact"),
        (shared("sipri", "per-year-2000-2023.csv"), "sipri", "yearly"),
        (shared("sipri", "import-export-values_1950-2024.csv"), "sipri-tiv", "tiv"),
    )


@pytest.fixture(scope="module")
def per_year() -> sipri.Export:
    path = shared("sipri", "per-year-2000-2023.csv")
    export = sipri.read_register(path.read_bytes(), path.name)
    assert (export.read, len(export.records), export.rejected) == (20480, 20480, [])
    return export


def _differences(
    export: sipri.Export, party: str, table: dict[tuple[str, int], float], names: set[str]
) -> dict[tuple[str, int], tuple[float, float]]:
    """Every (party, year) of 2000-2023 of the table's `names` whose sum over the
    per-year export differs from the table by more than 0.5 TIV (an empty cell of the
    table is a year with no deliveries); and the export's parties the table lacks."""
    totals: dict[tuple[str, int], float] = {}
    for r in export.records:
        at = (str(r[party]), int(num(r["delivery_year"])))
        totals[at] = totals.get(at, 0.0) + num(r.get("tiv_delivered", 0))
    assert {k for k in totals if k[1] <= 2023} <= set(table), "a party the table lacks"
    years = [(name, year) for name in sorted(names) for year in range(2000, 2024)]
    assert len(years) == {"recipient": 6264, "supplier": 3264}[party]  # SIPRI's README
    return {
        k: (totals.get(k, 0.0), table.get(k, 0.0))
        for k in years
        # rounded to a millionth: a sum of binary floats puts 1193.5 at 1193.4999...
        if round(abs(totals.get(k, 0.0) - table.get(k, 0.0)), 6) > 0.5
    }


def test_every_recipient_year_of_2000_2023_equals_the_import_table(
    per_year: sipri.Export,
) -> None:
    table = _volume_table(shared("sipri", "import-export-values_1950-2024.csv"))
    names = {name for name, _ in table} - {"Total world import"}
    assert _differences(per_year, "recipient", table, names) == {}


def _export_table(path: Path) -> dict[tuple[str, int], float]:
    """SIPRI's export-volume table, each supplier's TIV by year (an empty cell, a year
    with no deliveries, as 0), read here with the csv module: the figures the per-year
    export is held against, whatever geobal's own reader of the table does."""
    import csv

    lines = path.read_text(encoding="utf-8").splitlines()
    top = next(n for n, x in enumerate(lines) if x.startswith("Exports by,"))
    rows = list(csv.reader(lines[top:]))
    years = {at: int(y) for at, y in enumerate(rows[0]) if y.isdigit()}
    return {
        (row[0], year): float(row[at] or 0)
        for row in rows[1:]
        if row and row[0] != "Total world export"
        for at, year in years.items()
    }


def test_every_supplier_year_of_2000_2023_equals_the_export_table(per_year: sipri.Export) -> None:
    table = _export_table(shared("sipri", "export-values_1950-2024.csv"))
    names = {name for name, _ in table}
    assert _differences(per_year, "supplier", table, names) == {}


def test_indias_2019_23_shares_from_the_full_export_are_exact(full_home: Path) -> None:
    _india_is_exact(full_home)


@pytest.mark.parametrize(
    ("recipient", "first", "last"),
    [
        ("India", 2000, 2023),
        ("India", 2000, 2004),
        ("Pakistan", 2005, 2009),
        ("Saudi Arabia", 2014, 2018),
        ("China", 2010, 2012),
        ("Ukraine", 2022, 2023),
        ("Qatar", 2021, 2021),
    ],
)
def test_shares_for_any_period_inside_the_export_are_exact(
    full_home: Path, recipient: str, first: int, last: int
) -> None:
    """The recipient's total over the period, from which its shares are computed, is the
    import table's for each year, within SIPRI's rounding."""
    args = ["--recipient", recipient, "--dataset", "yearly", "--from", str(first)]
    rows = _shares(full_home, *args, "--to", str(last), "--check")
    assert {(r["method"], r["partial"]) for r in rows} == {("exact", False)}
    yearly, total = rows[:-1], rows[-1]
    assert [r["year"] for r in yearly] == list(range(first, last + 1))
    assert all(abs(num(r["register"]) - num(r["table"])) <= 0.5 for r in yearly)
    assert abs(num(total["register"]) - num(total["table"])) <= 0.5 * (last - first + 1)
    shares = _shares(full_home, *args, "--to", str(last))
    assert abs(sum(num(r["share"]) for r in shares) - 100) <= 0.01 * len(shares)


# --- a legacy register alone: every output says estimate, and where exact ones are -------


@pytest.fixture(scope="module")
def legacy_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _imported(
        tmp_path_factory.mktemp("sipri-legacy"),
        (REGISTER, "sipri", "transfers"),
        (VOLUMES, "sipri-tiv", "tiv"),
    )


def test_the_way_to_exact_figures_is_one_message() -> None:
    assert EXACT_FROM == (
        "SIPRI's per-year export gives exact figures: geobal fetch sipri, or download it from "
        "https://www.sipri.org/databases/armstransfers and import it with geobal import FILE "
        "--as sipri"
    )


@pytest.mark.parametrize(
    "args",
    [
        ["shares", "--recipient", "India"],
        ["shares", "--supplier-of", "Russia"],
        ["shares", "--recipient", "India", "--periods", "2014-2023"],
        ["shares", "--recipient", "India", "--compare", "2014-18,2019-23"],
        ["balance", "--dataset", "transfers", "--recipient", "India"],
        ["factsheet", "--period", "2019-2023", "--exporters"],
        ["factsheet", "--period", "2019-2023"],
    ],
)
def test_every_figure_from_a_legacy_register_says_it_is_an_estimate(
    legacy_home: Path, args: list[str]
) -> None:
    for shape in (["--json"], ["-f", "csv"], ["-f", "markdown"]):
        result = run_cli([*args, *shape], home=legacy_home, data_dir=DATA)
        assert result.exit_code == 0, result.stderr
        assert "estimate" in result.stdout + result.stderr
        assert EXACT_FROM in result.stderr, shape


def test_the_brief_from_a_legacy_register_says_it_in_every_format(legacy_home: Path) -> None:
    args = ["brief", "--recipient", "India", "--dataset", "transfers"]
    rows = json.loads(run_cli([*args, "--json"], home=legacy_home).stdout)
    [about] = [r for r in rows if r["section"] == "About these figures"]
    assert about["text"].startswith("estimate: ") and f"({EXACT_FROM})" in about["text"]
    markdown = run_cli([*args, "-f", "markdown"], home=legacy_home).stdout
    assert EXACT_FROM in markdown


@pytest.mark.parametrize(
    "ask",
    [
        lambda gb: gb.shares("India"),
        lambda gb: gb.shares(supplier_of="Russia"),
        lambda gb: gb.balance(dataset="transfers", recipient="India"),
        lambda gb: gb.factsheet(period="2019-2023", exporters=True),
    ],
)
def test_the_library_says_it_in_the_provenance(legacy_home: Path, ask: object) -> None:
    gb = geobal.open(bundled=DATA, environ=home_environ(legacy_home))
    assert callable(ask)
    found = ask(gb)
    assert found.provenance.exact is False
    assert any(EXACT_FROM in note for note in found.provenance.notes)


def test_the_readme_says_which_export_is_exact_and_how_to_get_it() -> None:
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    section = readme[readme.index("## SIPRI's trade register") : readme.index("## Your own data")]
    for said in (
        "in all 6,264 recipient-years of 2000-2023 to within 0.5 TIV",
        "Russia 36.45%, France 32.54% and the United States 12.95%",
        "run `geobal fetch sipri`",
        "https://www.sipri.org/databases/armstransfers",
        "`geobal import FILE --as sipri`",
    ):
        assert said in section, said
