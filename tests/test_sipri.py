"""SIPRI's exports: excerpts of the real files (tests/fixtures/sipri) everywhere, and the
full exports from ../shared/sipri where they are beside the repository. Both shapes of
the register read with every line accounted for; exact figures from the per-year
export, estimates from the legacy one, each said; names as people type them; periods
the data do not cover refused or marked; the pipeline; and the credit line."""

import json
import re
from pathlib import Path

import pytest

from geobal.analysis.register import EXACT_FROM
from geobal.errors import DataError
from geobal.transfer import sipri
from tests.conftest import DATA, FIXTURES, home_environ, run_cli, shared

EXCERPTS = FIXTURES / "sipri"
REGISTER = EXCERPTS / "trade-register-excerpt.csv"
PER_YEAR = EXCERPTS / "per-year-2000-2001-excerpt.csv"
VOLUMES = EXCERPTS / "import-export-values-excerpt.csv"
CREDIT = "Information from the SIPRI Arms Transfers Database"


def num(value: object) -> float:
    """A figure from JSON, checked to be one."""
    assert isinstance(value, int | float) and not isinstance(value, bool), value
    return float(value)


def _read(path: Path) -> sipri.Export:
    return sipri.read_register(path.read_bytes(), path.name)


def _imported(home: Path, *files: tuple[Path, str, str]) -> Path:
    for path, kind, into in files:
        result = run_cli(["import", str(path), "--as", kind, "--into", into], home=home)
        assert result.exit_code == 0, result.stderr
    return home


@pytest.fixture(scope="module")
def excerpt() -> sipri.Export:
    return _read(REGISTER)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with the three excerpts imported, once for this module: the legacy
    register as transfers, the per-year export as yearly, the volume table as tiv."""
    return _imported(
        tmp_path_factory.mktemp("sipri-home"),
        (REGISTER, "sipri", "transfers"),
        (PER_YEAR, "sipri", "yearly"),
        (VOLUMES, "sipri-tiv", "tiv"),
    )


def cli(home: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli(list(args), home=home)
    return result.exit_code, result.stdout, result.stderr


def rows_of(home: Path, *args: str) -> list[dict[str, object]]:
    code, out, err = cli(home, *args, "--json")
    assert code == 0, err
    rows: list[dict[str, object]] = json.loads(out)
    return rows


# --- reading both shapes -------------------------------------------------------------


def test_every_line_of_the_legacy_excerpt_is_accounted_for(excerpt: sipri.Export) -> None:
    data_lines = len(REGISTER.read_bytes().splitlines()) - 12  # 11 lines of notes, a header
    assert excerpt.shape is sipri.LEGACY
    assert excerpt.read == data_lines
    assert (excerpt.joined, excerpt.rejected) == (2, [])
    assert len(excerpt.records) + excerpt.joined + len(excerpt.rejected) == excerpt.read
    assert (excerpt.generated, excerpt.url, excerpt.covers) == (
        "2024-10-13",
        "https://www.sipri.org/databases/armstransfers/sources-and-methods",
        (1950, 2023),  # the notes say 1950-2024; the export has no delivery of 2024
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


def _with_body(path: Path, body: list[str], notes: int = 12) -> bytes:
    head = path.read_bytes().decode("latin-1").split("\n")[:notes]
    return "\n".join(head + body).encode()


def test_lines_are_joined_only_when_both_are_pieces_that_make_one_record() -> None:
    data = _with_body(
        REGISTER,
        [
            "India,Russia,2018,,5,,S-400,SAM system,3,,2021; 2022; 2023,New,broken",
            "a,b,c,d,e",
            "garbage",  # a stray line before a whole record is never joined to it
            "India,France,2016,,36,,Rafale,FGA aircraft,36,,2020,New,,90,3240,3240",
            "India,Russia,twenty,,5,,x,y,,,,New,,,,",
            "India,Russia,2018,,5,,S-400,SAM system,3,,2021; 2022; 2023,New,joined ",
            "here,5,15,9",
            "India,Russia,2018,,5,,S-400,SAM system,3,,2021; 2022,New,no ",
            "x,y,z,TIV",  # the pieces make 16 cells, but not a record that reads
        ],
    )
    result = sipri.read_register(data, "x.csv")
    assert (result.read, len(result.records), result.joined) == (9, 2, 1)
    assert result.rejected == [
        sipri.Rejected((13,), "expected 16 columns, found 13"),
        sipri.Rejected((14,), "expected 16 columns, found 5"),
        sipri.Rejected((15,), "expected 16 columns, found 1"),
        sipri.Rejected((17,), "year of order is not a whole number: 'twenty'"),
        sipri.Rejected((20,), "expected 16 columns, found 13"),
        sipri.Rejected((21,), "expected 16 columns, found 4"),
    ]
    assert [r["designation"] for r in result.records] == ["Rafale", "S-400"]
    assert result.records[1]["comments"] == "joined here"
    assert len(result.records) + result.joined + len(result.rejected) == result.read


def test_columns_are_found_by_their_header_names() -> None:
    lines = REGISTER.read_bytes().decode("latin-1").split("\n")
    rows = [row for row in __import__("csv").reader(lines[11:]) if row]

    def swapped(row: list[str]) -> list[str]:  # the three TIV columns, headers and all
        return [*row[:13], row[15], row[13], row[14]]

    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(swapped(r) for r in rows if len(r) == 16)
    data = "\n".join(lines[:11]) + "\n" + out.getvalue()
    moved = sipri.read_register(data.encode("latin-1"), "moved.csv")
    whole = {r["id"]: r for r in _read(REGISTER).records}
    assert all(whole[r["id"]] == r for r in moved.records) and moved.records


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon "
            "description,Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per "
            "unit,SIPRI TIV for total order",
            "missing 'SIPRI TIV of delivered weapons'",
        ),
        (
            "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon "
            "description,Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per "
            "unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons,Colour",
            "not expected 'Colour'",
        ),
        ("Recipient,Supplier,Year of order,Year of order", "repeated 'Year of order'"),
    ],
)
def test_a_header_that_is_not_the_exports_is_refused_naming_the_columns(
    header: str, message: str
) -> None:
    data = _with_body(REGISTER, [header, "India,Russia"], notes=11)
    with pytest.raises(DataError, match=re.escape(message)) as info:
        sipri.read_register(data, "odd.csv")
    assert info.value.message.startswith("odd.csv:12: the header's columns are not the export's")


def test_a_volume_table_that_repeats_a_year_is_refused() -> None:
    lines = VOLUMES.read_bytes().decode("latin-1").split("\n")
    top = next(n for n, line in enumerate(lines) if line.startswith("Recipient,"))
    lines[top] = lines[top].replace(",1951,", ",1950,")
    with pytest.raises(DataError, match="repeats the year 1950"):
        sipri.read_volumes("\n".join(lines).encode("latin-1"), "t.csv")


def test_the_per_year_export_keeps_every_line_with_its_flags() -> None:
    export = _read(PER_YEAR)
    assert export.shape is sipri.PER_YEAR
    data_lines = len(PER_YEAR.read_bytes().splitlines()) - 12
    assert (export.read, len(export.records), export.joined, export.rejected) == (
        data_lines,
        data_lines,
        0,
        [],
    )
    assert (export.generated, export.covers) == ("2025-02-10", (2000, 2001))
    record = next(r for r in export.records if r["id"] == "27080-2001")
    assert record == {
        "id": "27080-2001",
        "deal": "27080",
        "recipient": "India",
        "supplier": "Slovakia",
        "designation": "VT-72B -",
        "description": "ARV",
        "category": "Armoured vehicles",
        "order_year": 1999,
        "order_year_estimated": False,
        "delivered": 21,
        "delivered_estimated": True,
        "delivery_year": 2001,
        "delivery_year_estimated": True,
        "status": "new",
        "tiv_estimate": 1.29,
        "tiv_unit": 1.29,
        "tiv_delivered": 27.09,
        "local_production": False,
    }


def test_the_import_report_and_reimporting(home: Path, excerpt: sipri.Export) -> None:
    code, _, err = cli(home, "import", str(REGISTER), "--as", "sipri")
    n = len(excerpt.records)
    assert (code, err) == (
        0,
        f"read the trade register (legacy export), covering 1950-2023: {excerpt.read} data "
        f"lines of {REGISTER}: imported {n} records (2 lines joined to the record above: "
        "records broken across two lines), rejected 0\n"
        "data generated 2024-10-13; read as Latin-1\n"
        f"replaced transfers, which held {n} records of the trade register (legacy export) "
        "from sipri-register-2024-10-13\n"
        f"wrote {home / 'datasets' / 'transfers.toml'}, citing sipri-register-2024-10-13\n",
    )
    _, count, _ = cli(home, "datasets", "--fields", "name,records")
    volumes = sipri.read_volumes(VOLUMES.read_bytes(), VOLUMES.name).records
    assert f"transfers\t{n}\n" in count and f"tiv\t{len(volumes)}\n" in count  # not doubled
    [source] = rows_of(home, "query", "sources", "--where", "id=sipri-register-2024-10-13")
    assert (source["date"], source["publisher"]) == ("2024-10-13", "SIPRI")
    assert CREDIT in str(source["about"])
    _, doc, _ = cli(home, "show", "sources", "sipri-register-2024-10-13", "--json")
    assert len(json.loads(doc)["cited_by"]) == n
    _, _, err = cli(home, "import", str(PER_YEAR), "--as", "sipri", "--into", "yearly")
    assert err.startswith("read the trade register (per-year export), covering 2000-2001: ")
    assert "\nreplaced yearly, which held 119 records of the trade register (per-year " in err


def test_an_export_with_many_broken_lines_writes_nothing_unless_forced(tmp_path: Path) -> None:
    lines = REGISTER.read_bytes().decode("latin-1").split("\n")
    bad = tmp_path / "bad.csv"
    junk = ["junk,here", "more", "and more"]  # 3 of 189 lines: more than 1%
    bad.write_bytes("\n".join([*lines[:20], *junk, *lines[20:]]).encode("latin-1"))
    code, _, err = cli(tmp_path, "import", str(bad), "--as", "sipri")
    assert code == 1 and err.splitlines()[:2] == [
        f"geobal: {bad}: 3 of 189 data lines could not be read (more than 1%); nothing was written",
        "  line 21: expected 16 columns, found 2",
    ]
    assert not (tmp_path / "datasets").exists()
    code, _, err = cli(tmp_path, "import", str(bad), "--as", "sipri", "--force")
    assert (
        code == 0
        and (
            "rejected 3\ndata generated 2024-10-13; read as Latin-1\n"
            "  line 21: expected 16 columns, found 2\n"
        )
        in err
    )


# --- exact and estimated figures -------------------------------------------------------


def test_the_per_year_export_is_exact_and_the_legacy_one_an_estimate(home: Path) -> None:
    legacy = rows_of(home, "shares", "--recipient", "India", "--from", "2019", "--to", "2023")
    assert {r["method"] for r in legacy} == {"estimate"}
    yearly = rows_of(
        home,
        "shares",
        "--recipient",
        "India",
        "--dataset",
        "yearly",
        "--from",
        "2000",
        "--to",
        "2001",
    )
    assert {(r["method"], r["period"], r["partial"]) for r in yearly} == {
        ("exact", "2000-01", False)
    }
    _, _, err = cli(home, "shares", "--recipient", "India", "--dataset", "yearly")
    assert err.startswith("exact: the TIV delivered in each year, as the per-year export gives")


def _volume_table(path: Path) -> dict[tuple[str, int], float]:
    return {
        (str(r["recipient"]), int(num(r["year"]))): num(r["tiv"])
        for r in sipri.read_volumes(path.read_bytes(), path.name).records
    }


def _per_year_totals(path: Path) -> dict[tuple[str, int], float]:
    totals: dict[tuple[str, int], float] = {}
    for r in _read(path).records:
        at = (str(r["recipient"]), int(num(r["delivery_year"])))
        totals[at] = totals.get(at, 0.0) + num(r.get("tiv_delivered", 0))
    return totals


def test_the_per_year_excerpts_recipient_years_equal_the_volume_table(home: Path) -> None:
    table, totals = _volume_table(VOLUMES), _per_year_totals(PER_YEAR)
    # the excerpt holds India's and Pakistan's lines
    years = [k for k in table if k[1] in (2000, 2001) and k[0] in ("India", "Pakistan")]
    assert len(years) == 4
    for key in years:
        assert abs(totals.get(key, 0.0) - table[key]) <= 1, key
    rows = rows_of(home, "shares", "--recipient", "India", "--dataset", "yearly", "--check")
    assert [(r["year"], r["register"], r["table"]) for r in rows] == [
        (2000, round(totals["India", 2000], 1), table["India", 2000]),
        (2001, round(totals["India", 2001], 1), table["India", 2001]),
        (None, round(totals["India", 2000] + totals["India", 2001], 1), 2156),
    ]
    # a year is a number, as it is in the data; the people's column names the total's years
    assert [r["years"] for r in rows] == ["2000", "2001", "2000-01"]


# Every India order with a delivery in 2019-23 is in the excerpt, so the estimate is the
# full register's: Russia 37.16% against the 36% SIPRI published, and so on.
INDIA_2019_23 = {
    "Russia": (37.16, 36),
    "France": (31.99, 33),
    "United States": (13.38, 13),
    "Israel": (9.28, None),
}


def _india_2019_23(home: Path) -> dict[str, dict[str, object]]:
    rows = rows_of(home, "shares", "--recipient", "india", "--from", "2019", "--to", "2023")
    assert all(r["recipient"] == "India" and r["credit"] == CREDIT for r in rows)
    return {str(r["supplier"]): r for r in rows[:4]}


def test_india_2019_23_reproduces_sipris_published_shares(home: Path) -> None:
    rows = _india_2019_23(home)
    assert {name: (r["share"], r.get("published")) for name, r in rows.items()} == INDIA_2019_23
    for name in ("Russia", "France", "United States"):
        assert abs(float(rows[name]["difference"])) < 2  # type: ignore[arg-type]


def test_the_register_total_is_within_5_percent_of_the_volume_table(home: Path) -> None:
    rows = rows_of(
        home, "shares", "--recipient", "India", "--check", "--from", "2019", "--to", "2023"
    )
    total = rows[-1]
    assert (total["years"], total["register"], total["table"]) == ("2019-23", 13280, 13753)
    assert total["difference"] == -3.4 and total["method"] == "estimate"
    assert [r["year"] for r in rows] == [2019, 2020, 2021, 2022, 2023, None]


def test_check_without_a_volume_table_names_the_import(tmp_path: Path) -> None:
    _imported(tmp_path, (REGISTER, "sipri", "transfers"))
    code, _, err = cli(tmp_path, "shares", "--recipient", "India", "--check")
    assert (code, err) == (
        2,
        "geobal: no dataset 'tiv': --check compares with SIPRI's import-volume table\n"
        "import it with: geobal import import-export-values_1950-2024.csv --as sipri-tiv\n",
    )


# --- the years the data cover -----------------------------------------------------------


def test_a_period_beyond_the_data_is_refused_or_marked_partial(home: Path) -> None:
    code, out, err = cli(home, "shares", "--recipient", "India", "--from", "2021", "--to", "2025")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "geobal: 2021-25 reaches beyond the years 'transfers' covers, 1950-2023",
        "ask for 2021-23, or pass --partial to compute over 2021-23 and mark the figures partial",
    ]
    rows = rows_of(
        home, "shares", "--recipient", "India", "--from", "2021", "--to", "2025", "--partial"
    )
    assert {(r["period"], r["covered"], r["partial"]) for r in rows} == {
        ("2021-25", "2021-23", True)
    }
    assert all("published" not in r or r["published"] is None for r in rows)
    _, table, _ = cli(
        home,
        "shares",
        "--recipient",
        "India",
        "--from",
        "2021",
        "--to",
        "2025",
        "--partial",
        "--no-chart",
    )
    assert "(partial: the data cover 2021-23 only)" in table.splitlines()[0] or "partial" in table
    code, _, err = cli(
        home, "shares", "--recipient", "India", "--from", "1940", "--to", "1945", "--partial"
    )
    assert (code, err.splitlines()) == (
        2,
        [
            "geobal: 'transfers' has no figures for 1940-45: it covers 1950-2023",
            "ask for 1950-55, or import an export that covers these",  # as long, years covered
        ],
    )


def test_check_never_prints_a_year_the_data_do_not_cover(home: Path) -> None:
    code, _, err = cli(
        home, "shares", "--recipient", "India", "--check", "--from", "2020", "--to", "2024"
    )
    assert code == 2 and "reaches beyond" in err
    rows = rows_of(
        home,
        "shares",
        "--recipient",
        "India",
        "--check",
        "--from",
        "2020",
        "--to",
        "2024",
        "--partial",
    )
    assert [r["years"] for r in rows] == ["2020", "2021", "2022", "2023", "2020-23"]
    assert {r["partial"] for r in rows} == {True}


# --- names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("USA", "United States"),
        ("US", "United States"),
        ("united states of america", "United States"),
        ("UK", "United Kingdom"),
        ("Britain", "United Kingdom"),
        ("Russian Federation", "Russia"),
        ("france", "France"),
    ],
)
def test_suppliers_are_found_by_the_names_people_use(home: Path, typed: str, name: str) -> None:
    rows = rows_of(home, "shares", "--supplier-of", typed, "--fields", "supplier,recipient")
    assert rows and {r["supplier"] for r in rows} == {name}


def test_a_name_is_never_a_prefix_of_another(home: Path) -> None:
    code, _, err = cli(home, "shares", "--recipient", "Ind")
    assert code == 2 and err.splitlines()[0] == "geobal: unknown recipient 'Ind'"
    code, _, err = cli(home, "shares", "--recipient", "Indai")
    assert (code, err) == (2, "geobal: unknown recipient 'Indai'\ndid you mean India?\n")
    none = run_cli(["shares", "--recipient", "India"])  # a home without the register
    assert none.stderr.startswith("geobal: no dataset 'transfers': import SIPRI's trade")


def test_every_format_names_the_country_used(home: Path) -> None:
    for fmt in ("tsv", "csv"):
        _, out, _ = cli(
            home, "shares", "--supplier-of", "USA", "-f", fmt, "--fields", "supplier,recipient"
        )
        assert out.splitlines()[1].split("\t" if fmt == "tsv" else ",")[0] == "United States"
    table = run_cli(["shares", "--supplier-of", "USA", "--no-chart"], home=home, tty=True)
    assert table.text.startswith("United States's arms exports")


# --- periods, categories, successors -------------------------------------------------------


def test_periods_give_each_suppliers_share_period_by_period(home: Path) -> None:
    rows = rows_of(home, "shares", "--recipient", "India", "--periods", "2014-23")
    periods = [r["period"] for r in rows]
    assert list(dict.fromkeys(periods)) == ["2014-18", "2019-23"]
    for period in ("2014-18", "2019-23"):
        assert abs(sum(num(r["share"]) for r in rows if r["period"] == period) - 100) < 0.1
    late = {r["supplier"]: r["share"] for r in rows if r["period"] == "2019-23"}
    assert (late["Russia"], late["France"]) == (37.16, 31.99)  # the same as the one period
    code, _, err = cli(home, "shares", "--recipient", "India", "--periods", "2014-24")
    assert code == 2 and err.splitlines()[0].startswith("geobal: 2014-24 is not a whole number")
    code, _, err = cli(home, "shares", "--recipient", "India", "--periods", "2015-24")
    assert err.splitlines() == [
        "geobal: --periods 2015-24 reaches beyond the years 'transfers' covers, 1950-2023",
        "ask for --periods 2019-23, or pass --partial to mark the periods it covers only in part",
    ]
    # a suggestion keeps the end asked for: the latest years are the ones wanted
    code, _, err = cli(home, "shares", "--recipient", "India", "--periods", "1950-2023")
    assert (code, err) == (
        2,
        "geobal: 1950-2023 is not a whole number of 5-year periods\n"
        "ask for 1954-2023, or another --step\n",
    )


def test_periods_chart_and_wide_table_on_a_terminal(home: Path) -> None:
    chart = run_cli(["shares", "--recipient", "India", "--periods", "2014-23"], home=home, tty=True)
    lines = chart.text.splitlines()
    assert lines[0] == "India's arms imports by supplier, 2014-23 in 5-year periods"
    assert any(line.startswith("2019-23 R") and "Russia 37.16%" in line for line in lines)
    assert CREDIT in chart.text.replace("\n", " ")
    table = run_cli(
        ["shares", "--recipient", "India", "--periods", "2014-23", "--no-chart"],
        home=home,
        tty=True,
        width=100,
    )
    head = table.text.splitlines()[2].split()
    assert head[:3] == ["Supplier", "2014-18", "2019-23"]
    markdown = cli(
        home, "shares", "--recipient", "India", "--periods", "2014-23", "-f", "markdown"
    )[1]
    assert markdown.startswith("| Supplier | 2014-18 | 2019-23 |")


def test_one_period_is_a_bar_a_supplier_labelled_with_its_name(home: Path) -> None:
    for width in (80, 40):
        args = ["shares", "--recipient", "Pakistan", "--periods", "2019-2023"]
        lines = run_cli(args, home=home, tty=True, width=width).text.splitlines()
        # one period is titled as one, not "in 5-year periods"
        title = " ".join(" ".join(lines[:2]).split())
        assert title.startswith("Pakistan's arms imports by supplier, 2019-23")
        # the period heads its bars; the title names it too, on a line of its own at 40
        lines = lines[next(i for i, line in enumerate(lines) if line.startswith("China")) - 1 :]
        assert lines[0] == "2019-23"
        assert lines[1].startswith("China          █") and lines[1].endswith("82.02%")
        assert [line[:15].rstrip() for line in lines[2:4]] == ["Sweden", "Turkiye"]
        assert not any("the others" in line for line in lines)  # no legend of letters
        # an address in the caption longer than the line stays whole
        assert all(len(line) <= width or line.startswith("https://") for line in lines)


def test_by_category_needs_the_per_year_export(home: Path) -> None:
    rows = rows_of(
        home, "shares", "--recipient", "India", "--dataset", "yearly", "--by", "category"
    )
    assert rows[0]["category"] and abs(sum(num(r["share"]) for r in rows) - 100) < 0.1
    code, _, err = cli(home, "shares", "--recipient", "India", "--by", "category")
    assert code == 2 and err.startswith("geobal: --by category needs the per-year export")


def test_successors_count_a_state_that_is_gone_as_its_successor(home: Path) -> None:
    apart = rows_of(home, "shares", "--recipient", "Afghanistan", "--from", "1977", "--to", "1978")
    assert "Soviet Union" in {r["supplier"] for r in apart}
    joined = rows_of(
        home,
        "shares",
        "--recipient",
        "Afghanistan",
        "--from",
        "1977",
        "--to",
        "1978",
        "--successors",
    )
    [russia] = [r for r in joined if r["supplier"] == "Russia"]
    assert russia["includes"] == ["Soviet Union"]
    args = ["--recipient", "Afghanistan", "--from", "1977", "--to", "1978", "--successors"]
    table = run_cli(["shares", *args, "--no-chart"], home=home, tty=True, width=200)
    assert "Soviet Union as Russia" in " ".join(table.text.split())  # the caption folds
    [ussr] = rows_of(home, "shares", "--supplier-of", "USSR", *args[2:], "--fields", "supplier")
    assert ussr == {"supplier": "Russia"}


# --- the shares command's own output ---------------------------------------------------------


def test_fields_are_honoured_and_checked(home: Path) -> None:
    code, out, _ = cli(home, "shares", "--recipient", "India", "--fields", "supplier,share")
    assert (code, out.splitlines()[0]) == (0, "supplier\tshare")
    code, _, err = cli(home, "shares", "--recipient", "India", "--fields", "bogus")
    assert code == 2 and err.startswith("geobal: unknown field 'bogus'")


def test_the_chart_shows_every_row_or_says_how_many_are_together(home: Path) -> None:
    result = run_cli(
        ["shares", "--supplier-of", "United States", "--from", "1950", "--to", "2023"],
        home=home,
        tty=True,
    )
    rows = rows_of(
        home, "shares", "--supplier-of", "United States", "--from", "1950", "--to", "2023"
    )
    if len(rows) > 20:
        assert f"{len(rows) - 20} others" in result.text
        assert f"{len(rows)} recipients, the last {len(rows) - 20} as one bar" in result.text
    else:
        assert all(str(r["recipient"])[:14] in result.text for r in rows)


def test_the_table_keeps_its_headers_and_the_published_figure_at_80_columns(home: Path) -> None:
    result = run_cli(
        ["shares", "--recipient", "India", "--no-chart"], home=home, tty=True, width=80
    )
    lines = result.text.splitlines()
    assert lines[2].split() == [
        "Supplier",
        "Share",
        "%",
        "Published",
        "%",
        "Difference",
        "TIV",
        "(m)",
        "Rank",
    ]
    assert re.search(r"Russia +37\.16 +36 +1\.16", result.text)
    assert max(len(line.rstrip()) for line in lines) <= 80


def test_the_credit_line_is_in_every_format(home: Path) -> None:
    for fmt in ("json", "jsonl", "csv", "tsv", "markdown", "toml"):
        _, out, _ = cli(home, "shares", "--recipient", "India", "-f", fmt)
        assert CREDIT in out, fmt
    for args in (["shares", "--recipient", "India"], ["pipeline", "--recipient", "India"]):
        shown = " ".join(run_cli(args, home=home, tty=True).text.split())
        assert CREDIT in shown and "the figures are geobal's" in shown


# --- the pipeline ---------------------------------------------------------------------


def test_the_pipeline_counts_what_is_ordered_and_not_delivered(
    home: Path, excerpt: sipri.Export
) -> None:
    orders = rows_of(home, "pipeline", "--recipient", "India", "--orders")
    expected = [
        r
        for r in excerpt.records
        if r["recipient"] == "India"
        and isinstance(r.get("ordered"), int)
        and r["ordered"] > (r.get("delivered") or 0)  # type: ignore[operator]
        and max(num(y) for y in r["delivery_years"] or [0]) >= 2019  # type: ignore[union-attr]
    ]
    assert len(orders) == len(expected) > 5
    for row in orders:
        assert row["outstanding"] == row["ordered"] - row["delivered"]  # type: ignore[operator]
        if row["tiv_outstanding"] is not None:
            assert abs(row["tiv_outstanding"] - (row["tiv_total"] - row["tiv_delivered"])) < 0.1  # type: ignore[operator]
    by = rows_of(home, "pipeline", "--recipient", "India")
    assert sum(r["orders"] for r in by) == len(orders)  # type: ignore[misc]
    assert abs(sum(num(r["share"]) for r in by if r["share"] is not None) - 100) < 0.1
    code, _, err = cli(home, "pipeline", "--recipient", "India", "--dataset", "yearly")
    assert code == 2 and err.startswith("geobal: pipeline needs the legacy register")
    # the way to the legacy register keeps the per-year export's exact figures beside it
    assert err.endswith(
        "\nimport the legacy register beside the per-year export, which keeps its exact "
        "figures: geobal import trade-register.csv --as sipri --into legacy, then geobal "
        "pipeline --dataset legacy\n"
    )


def test_supplier_of_and_balance_from_the_register(home: Path) -> None:
    buyers = rows_of(home, "shares", "--supplier-of", "France")
    assert buyers[0]["recipient"] == "India" and buyers[0]["rank"] == 1
    periods = rows_of(
        home, "balance", "--dataset", "transfers", "--recipient", "India", "--from", "2019"
    )
    by = {p["period"]: p for p in periods}
    assert by["2019-23"]["share_russia"] == 37.16 and by["2019-23"]["unknown"] == 0
    assert by["2019-23"]["hhi_low"] == by["2019-23"]["hhi_high"]


def test_balance_on_a_register_names_its_source_for_people_too(home: Path) -> None:
    args = ["balance", "--dataset", "transfers", "--recipient", "India", "--period", "2019-23"]
    how = (
        "estimate: each record's delivered TIV spread evenly over its delivery years, as the "
        f"register does not say how much was delivered in which year ({EXACT_FROM})"
    )
    closing = "Information from the SIPRI Arms Transfers Database; the figures are geobal's."
    markdown = run_cli([*args, "-f", "markdown", "--fields", "period,top"], home=home)
    assert markdown.stdout == (
        "| Period | Top |\n|---|---|\n| 2019-23 | Russia |\n\n"
        f"{how}; source: sipri-register-2024-10-13. {closing}\n"
    )
    assert markdown.stderr == f"{how}\nsource: sipri-register-2024-10-13\n"
    table = run_cli(args, home=home, tty=True, width=200)
    assert f"{how}; source: sipri-register-2024-10-13. {closing}" in " ".join(table.text.split())


def test_periods_list_each_periods_shares_largest_first(home: Path) -> None:
    args = ["shares", "--recipient", "India", "--periods", "2009-18"]
    tsv = cli(home, *args, "--fields", "period,supplier,share", "-f", "tsv")[1]
    assert tsv == (
        "period\tsupplier\tshare\n"
        "2009-13\tRussia\t98\n2009-13\tFrance\t0.98\n2009-13\tGermany\t0.98\n"
        "2009-13\tCzechia\t0.03\n"
        "2014-18\tRussia\t68.99\n2014-18\tFrance\t18.46\n2014-18\tIsrael\t6.75\n"
        "2014-18\tSouth Korea\t1.93\n2014-18\tGermany\t0.96\n2014-18\tUnited Kingdom\t0.86\n"
        "2014-18\tUnited States\t0.63\n2014-18\tNetherlands\t0.51\n"
        "2014-18\tSouth Africa\t0.48\n2014-18\tBrazil\t0.28\n2014-18\tItaly\t0.15\n"
        "2014-18\tCzechia\t0.02\n"
    )
    import geobal

    data = geobal.open(bundled=DATA, environ=home_environ(home))
    # the wide table, a supplier a row, by the last period's share
    markdown = cli(home, *args, "-f", "markdown")[1]
    assert [line.split(" | ")[0] for line in markdown.splitlines()[2:6]] == [
        "| Russia", "| France", "| Israel", "| South Korea",
    ]  # fmt: skip
    assert markdown.splitlines()[-3] == "| Czechia | 0.03 | 0.02 |"
    rows = data.shares("India", periods="2009-18").to_records()
    assert [(r["period"], r["supplier"]) for r in rows] == [
        tuple(line.split("\t")[:2]) for line in tsv.splitlines()[1:]
    ]


def test_a_round_trip_of_some_records_through_export_and_import(home: Path) -> None:
    query = ["query", "transfers", "--where", "recipient=Pakistan", "--where", "supplier=China"]
    before = rows_of(home, *query)
    assert len(before) > 3
    # a new dataset with the register's schema, and these records through JSON
    _, schema, _ = cli(home, "export", "transfers", "--format", "toml")
    head = schema.split("[[records]]")[0].replace('name = "transfers"', 'name = "sample"')
    (home / "datasets" / "sample.toml").write_text(head)
    imported = run_cli(
        ["import", "-", "--format", "json", "--into", "sample"], home=home, stdin=json.dumps(before)
    )
    assert imported.exit_code == 0, imported.stderr
    after = rows_of(home, *query[:1], "sample", *query[2:])
    strip = ("origin", "file")
    assert [{k: v for k, v in r.items() if k not in strip} for r in after] == [
        {k: v for k, v in r.items() if k not in strip} for r in before
    ]


def test_search_names_a_transfer_by_its_designation(home: Path) -> None:
    code, out, err = cli(home, "search", "S-400", "--dataset", "transfers")
    assert code == 0, err
    assert out.splitlines()[:3] == [
        "dataset\tid\tdate\ttitle\tfields\ttext",
        # a register has no date field: its hits are dated by their year of order
        "transfers\tindia-russia-2018-s-400-triumf\t2018\tS-400 Triumf\tid; designation\t",
        "transfers\tindia-russia-2018-48n6\t2018\t48N6\tcomments\t"
        "Part of INR390 b ($5 b) for S-400 SAM systems",
    ]


# --- the full exports, from ../shared/sipri ---------------------------------------------


@pytest.fixture(scope="module")
def full() -> sipri.Export:
    return _read(shared("sipri", "trade-register.csv"))


@pytest.fixture(scope="module")
def full_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _imported(
        tmp_path_factory.mktemp("sipri-full"),
        (shared("sipri", "trade-register.csv"), "sipri", "transfers"),
        (shared("sipri", "import-export-values_1950-2024.csv"), "sipri-tiv", "tiv"),
        (shared("sipri", "per-year-2000-2001.csv"), "sipri", "yearly"),
    )


def test_every_line_of_the_full_export_is_accounted_for(full: sipri.Export) -> None:
    assert full.read == 27953  # the data lines below the header, as SIPRI's README says
    assert (len(full.records), full.joined, full.rejected) == (27951, 2, [])
    assert len({r["id"] for r in full.records}) == len(full.records)
    assert full.covers == (1950, 2023)


def test_the_excerpt_holds_the_full_exports_records(
    excerpt: sipri.Export, full: sipri.Export
) -> None:
    by_id = {r["id"]: r for r in full.records}
    assert all(by_id.get(r["id"]) == r for r in excerpt.records)


def test_the_full_per_year_export_equals_the_volume_table_for_all_211_recipient_years() -> None:
    table = _volume_table(shared("sipri", "import-export-values_1950-2024.csv"))
    totals = _per_year_totals(shared("sipri", "per-year-2000-2001.csv"))
    years = [k for k in table if k[1] in (2000, 2001) and k[0] != "Total world import"]
    assert len(years) == 211
    assert all(abs(totals.get(k, 0.0) - table[k]) <= 1 for k in years)
    assert set(totals) <= set(table)


def test_the_full_register_gives_the_same_india_shares_and_names(full_home: Path) -> None:
    rows = _india_2019_23(full_home)
    assert {name: (r["share"], r.get("published")) for name, r in rows.items()} == INDIA_2019_23
    periods = rows_of(full_home, "balance", "--dataset", "transfers", "--recipient", "India")
    assert {p["period"]: p for p in periods}["2009-13"]["top"] == "Russia"
    for typed, name in (
        ("Turkey", "Turkiye"),
        ("Türkiye", "Turkiye"),
        ("Vietnam", "Viet Nam"),
        ("South Korea", "South Korea"),
        ("Republic of Korea", "South Korea"),
        ("UAE", "UAE"),
        ("United Arab Emirates", "UAE"),
        ("Ivory Coast", "Cote d'Ivoire"),
        ("PRC", "China"),
    ):
        got = rows_of(full_home, "shares", "--recipient", typed, "--fields", "recipient")
        assert {r["recipient"] for r in got} == {name}, typed
    bad = run_cli(["shares", "--recipient", "Dominica"], home=full_home)
    assert (bad.exit_code, bad.stderr.splitlines()[0]) == (
        2,
        "geobal: unknown recipient 'Dominica'",
    )
    assert "Dominican Republic" in bad.stderr


def test_seventy_years_of_indias_suppliers_as_one_series(full_home: Path) -> None:
    rows = rows_of(
        full_home, "shares", "--recipient", "India", "--periods", "1950-2019", "--successors"
    )
    assert "Soviet Union" not in {r["supplier"] for r in rows}
    russia = {r["period"]: r for r in rows if r["supplier"] == "Russia"}
    assert next(iter(russia)) == "1955-59"  # from the Soviet Union's first deliveries on
    assert russia["1975-79"]["includes"] == ["Soviet Union"]
    assert russia["2015-19"]["includes"] is None  # Russia alone, by then
    assert float(russia["1975-79"]["share"]) > 50  # type: ignore[arg-type]
