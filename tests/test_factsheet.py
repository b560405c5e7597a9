"""The fact sheet's tables for any period: importers' shares held to SIPRI's own
import-volume table figure for figure, exporters' from a register, partners, groups,
and what is refused."""

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA, home_environ, run_cli, shared
from tests.test_sipri import PER_YEAR, REGISTER, VOLUMES, _imported

# The ten largest importers of 2019-23 as the volume table gives them, to two decimals
# (the README's example; India's 9.83%, rounded to a tenth, is the 9.8 SIPRI published,
# in the fact base)
TOP_2019_23 = [
    ("India", 9.83),
    ("Saudi Arabia", 8.37),
    ("Qatar", 7.62),
    ("Ukraine", 4.93),
    ("Pakistan", 4.32),
    ("Japan", 4.08),
    ("Egypt", 4.03),
    ("Australia", 3.74),
    ("South Korea", 3.07),
    ("China", 2.85),
]


def table_of(path: Path, header: str = "Recipient,") -> dict[str, dict[int, float]]:
    """A volume table read here, without geobal: TIV by recipient (by supplier, with the
    export table's `header`) and year."""
    lines = path.read_text(encoding="utf-8").splitlines()
    top = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = list(csv.reader(lines[top:]))
    years = {i: int(c) for i, c in enumerate(rows[0]) if c.strip().isdigit()}
    return {
        r[0]: {y: float(r[i]) for i, y in years.items() if i < len(r) and r[i].strip()}
        for r in rows[1:]
        if r
    }


def expected(table: dict[str, dict[int, float]], first: int, last: int, n: int) -> list[Any]:
    def total(name: str, a: int, b: int) -> float:
        return sum(v for y, v in table[name].items() if a <= y <= b)

    size = last - first + 1
    world = total("Total world import", first, last)
    before = total("Total world import", first - size, first - 1)
    names = sorted(
        (k for k in table if k != "Total world import"), key=lambda k: (-total(k, first, last), k)
    )
    rows = []
    for name in names[:n]:
        now, then = total(name, first, last), total(name, first - size, first - 1)
        rows.append(
            (
                name,
                round(100 * now / world, 2),
                round(100 * then / before, 2),
                round(100 * (now - then) / then, 2) if then else None,
            )
        )
    return rows


def rows_of(home: Path, *args: str, data_dir: Path = DATA) -> list[dict[str, Any]]:
    result = run_cli(["factsheet", *args, "--json"], home=home, data_dir=data_dir)
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _imported(
        tmp_path_factory.mktemp("factsheet-home"),
        (REGISTER, "sipri", "transfers"),
        (PER_YEAR, "sipri", "yearly"),
        (VOLUMES, "sipri-tiv", "tiv"),
    )


def test_the_2019_23_importers_are_the_volume_tables(home: Path) -> None:
    rows = rows_of(home, "--period", "2019-23", "--importers", "--top", "10")
    assert [(r["country"], r["share"]) for r in rows] == TOP_2019_23
    found = [(r["country"], r["share"], r["share_previous"], r["change"]) for r in rows]
    assert found == expected(table_of(VOLUMES), 2019, 2023, 10)
    india = rows[0]
    # 9.8% and +4.7%, rounded to a tenth, as SIPRI published them (the fact base's 2019-23 row)
    assert (india["rank"], india["previous"], india["change"]) == (1, "2014-18", 4.67)
    assert (round(india["share"], 1), round(india["change"], 1)) == (9.8, 4.7)
    # India's partners from the register excerpt, which holds all of its 2019-23 orders
    assert india["partners"] == "Russia 37, France 32, United States 13"
    assert india["partners_from"].startswith("an estimate, from the legacy register")
    assert india["totals_from"] == (
        "exact, from SIPRI's import-volume table 'tiv', exported 2024-10-13"
    )
    assert india["credit"] == "Information from the SIPRI Arms Transfers Database"
    # a partner the register cannot give is said, never left a silent blank (the excerpt
    # of the register holds India's and Pakistan's orders only)
    assert rows[1]["partners"] == "the register names no recipient Saudi Arabia"


def test_the_table_on_a_terminal_and_in_every_format(home: Path) -> None:
    args = ["factsheet", "--period", "2019-23", "--importers", "--top", "3"]
    table = run_cli(args, home=home, data_dir=DATA, tty=True, width=100)
    lines = [line.rstrip() for line in table.text.splitlines()]
    head = next(i for i, line in enumerate(lines) if line.split()[:1] == ["Rank"])
    assert lines[head].split() == [
        "Rank", "Importer", "Share", "%", "Before", "%", "Change", "%", "Main", "suppliers", "(%)",
    ]  # fmt: skip
    assert lines[head + 2].split()[:6] == ["1", "India", "9.83", "9.08", "4.67", "Russia"]
    assert "Computed by geobal from SIPRI data, not published by SIPRI." in table.text.replace(
        "\n", " "
    )
    markdown = run_cli([*args, "-f", "markdown"], home=home, data_dir=DATA).stdout
    assert "| 1 | India | 9.83 | 9.08 | 4.67 | Russia 37, France 32, United States 13 |" in markdown
    csv_out = run_cli([*args, "-f", "csv"], home=home, data_dir=DATA).stdout
    assert csv_out.splitlines()[1].startswith("1,India,9.83,9.08,4.67,")
    spec = json.loads(run_cli([*args, "-f", "vega-lite"], home=home, data_dir=DATA).stdout)
    assert spec["encoding"]["color"]["sort"] == ["2014-18", "2019-23"]
    assert {v["country"] for v in spec["data"]["values"]} == {"India", "Saudi Arabia", "Qatar"}


def test_a_custom_group_and_its_partners(home: Path) -> None:
    rows = rows_of(home, "--recipients", "india, PAKISTAN", "--period", "2019-23")
    assert [r["country"] for r in rows] == ["India", "Pakistan", "India + Pakistan"]
    group = rows[-1]
    assert (group["group"], group["rank"]) == (True, None)
    # the group's volume is its members' (the share, rounded, may differ by a hundredth)
    assert group["tiv"] == rows[0]["tiv"] + rows[1]["tiv"] == 19805
    assert group["share"] == 14.15 and group["change"] == 14.05
    # its partners' shares are of the group's imports together
    assert group["partners"] == "Russia 26, China 26, France 22"
    assert (group["partner_1_share"], group["partner_2_share"]) == (26.11, 25.84)


def test_exporters_from_the_per_year_export_are_exact(home: Path) -> None:
    rows = rows_of(home, "--period", "2001", "--exporters", "--dataset", "yearly")
    assert rows[0]["country"] == "Russia"
    assert rows[0]["totals_from"].startswith("exact, from the per-year export 'yearly'")
    assert rows[0]["partners"].startswith("India")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2020-24"], "geobal: 'tiv' covers 1950-2023: --period 2020-24"),
        (["--period", "1950-54"], "geobal: 'tiv' covers 1950-2023: --period 1950-54"),
        (["--period", "2019-2"], "geobal: --period takes FIRST-LAST as 2019-23 or 2019-2023"),
        (["--top", "0"], "geobal: --top must be 1 or more, not 0"),
        (["--recipients", "India", "--exporters"], "geobal: --recipients makes a group"),
        (["--recipients", "Narnia"], "geobal: unknown recipient 'Narnia'"),
    ],
)
def test_what_the_fact_sheet_refuses(home: Path, args: list[str], message: str) -> None:
    result = run_cli(["factsheet", *args], home=home, data_dir=DATA)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(message)


@pytest.mark.parametrize(
    ("period", "near"), [("2020-24", "2019-23"), ("1950-54", "1955-59"), ("1980-2023", "")]
)
def test_a_period_beyond_the_table_suggests_the_nearest_it_covers(
    home: Path, period: str, near: str
) -> None:
    result = run_cli(["factsheet", "--period", period], home=home, data_dir=DATA)
    hint = (
        f"ask for --period {near}"
        if near
        else "it covers too few years for 44 years and as many before them"
    )
    assert (result.exit_code, result.stderr.splitlines()[1]) == (2, hint)


def test_a_table_with_no_world_total_is_refused(tmp_path: Path) -> None:
    """A table whose total row was taken out after its import (the import itself refuses
    a table without one) gives no world to measure shares against."""
    home = _imported(tmp_path / "home", (VOLUMES, "sipri-tiv", "tiv"))
    cut = run_cli(["remove", "tiv", "--where", "recipient=Total world import", "--yes"], home=home)
    assert cut.exit_code == 0, cut.stderr
    result = run_cli(["factsheet", "--importers"], home=home, data_dir=DATA)
    assert result.exit_code == 2
    assert result.stderr.startswith("geobal: 'tiv' has no 'Total world import' row")


def test_without_a_register_the_importers_table_says_what_it_lacks(tmp_path: Path) -> None:
    home = _imported(tmp_path, (VOLUMES, "sipri-tiv", "tiv"))
    result = run_cli(["factsheet", "--period", "2019-23", "--top", "2"], home=home, data_dir=DATA)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("no exporters' table: it needs a trade register")
    assert result.stdout.splitlines()[1].split("\t")[:3] == ["1", "India", "9.83"]
    assert "no trade register imported" in result.stdout


def test_several_periods_give_a_table_each_for_people_and_one_listing_for_scripts(
    home: Path,
) -> None:
    args = ["factsheet", "--period", "2014-18,2019-23", "--importers", "--top", "2"]
    markdown = run_cli([*args, "-f", "markdown"], home=home, data_dir=DATA).stdout
    heads = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert [h.split(":")[0] for h in heads] == [
        "## The largest arms importers, 2014-18",
        "## The largest arms importers, 2019-23",
    ]
    header = "| Rank | Importer | Share % | Before % | Change % | Main suppliers (%) |"
    assert markdown.count(header + "\n") == 2
    first, second = markdown.split(heads[1])
    assert "| 2 | India | 9.08 | 13.36 | -27.43 |" in first and "| 1 | India | 9.83 |" in second
    table = run_cli(args, home=home, data_dir=DATA, tty=True, width=100).text
    assert table.count("Rank") == 2 and "Period" not in table
    # a script gets every row at once, the period in each
    rows = rows_of(home, "--period", "2014-18,2019-23", "--importers", "--top", "2")
    assert [(r["period"], r["country"]) for r in rows] == [
        ("2014-18", "Saudi Arabia"),
        ("2014-18", "India"),
        ("2019-23", "India"),
        ("2019-23", "Saudi Arabia"),
    ]


def test_markdown_shows_the_tables_columns_unless_fields_are_named(home: Path) -> None:
    args = ["factsheet", "--period", "2019-23", "--importers", "--top", "1", "-f", "markdown"]
    markdown = run_cli(args, home=home, data_dir=DATA).stdout
    # under its title, which names the period, as each table of a fact sheet of both sides
    assert markdown.splitlines()[:5] == [
        "## The largest arms importers, 2019-23: share of world imports, the change from "
        "2014-18, main partners",
        "",
        "| Rank | Importer | Share % | Before % | Change % | Main suppliers (%) |",
        "|---:|---|---:|---:|---:|---|",
        "| 1 | India | 9.83 | 9.08 | 4.67 | Russia 37, France 32, United States 13 |",
    ]
    named = run_cli([*args, "--fields", "country,credit"], home=home, data_dir=DATA).stdout
    assert named.splitlines()[2:5] == [
        "| Importer | Credit |",
        "|---|---|",
        "| India | Information from the SIPRI Arms Transfers Database |",
    ]


def test_the_fact_sheet_names_the_sources_of_its_figures(home: Path) -> None:
    import geobal

    data = geobal.open(bundled=DATA, environ=home_environ(home))

    def cited(name: str) -> set[str]:
        lists = [r["sources"] for r in data.catalog.get(name).records]
        return {str(s) for ids in lists if isinstance(ids, list) for s in ids}

    volume_sources, register_sources = cited("tiv"), cited("transfers")
    assert volume_sources and register_sources and not volume_sources & register_sources
    importers = data.factsheet(period="2019-23", importers=True, top=2).provenance.sources
    assert set(importers) == volume_sources | register_sources
    exporters = data.factsheet(period="2019-23", exporters=True, top=2).provenance.sources
    assert set(exporters) >= register_sources


# --- the full exports, from ../shared/sipri ----------------------------------------------


@pytest.fixture(scope="module")
def full_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _imported(
        tmp_path_factory.mktemp("factsheet-full"),
        (shared("sipri", "trade-register.csv"), "sipri", "transfers"),
        (shared("sipri", "import-export-values_1950-2024.csv"), "sipri-tiv", "tiv"),
    )


@pytest.mark.parametrize(
    "period", [(1980, 1984), (2000, 2004), (2014, 2018), (2019, 2023), (2015, 2019)]
)
def test_any_five_year_period_figure_for_figure(full_home: Path, period: tuple[int, int]) -> None:
    first, last = period
    rows = rows_of(full_home, "--period", f"{first}-{last}", "--importers", "--top", "15")
    table = table_of(shared("sipri", "import-export-values_1950-2024.csv"))
    assert [(r["country"], r["share"], r["share_previous"], r.get("change")) for r in rows] == (
        expected(table, first, last, 15)
    )


def test_the_full_2019_23_tables(full_home: Path) -> None:
    rows = rows_of(full_home, "--period", "2019-23", "--importers")
    assert [(r["country"], r["share"]) for r in rows] == TOP_2019_23
    assert all(r["partner_1"] and r["partners"].count(",") == 2 for r in rows)
    assert rows[4]["partners"].startswith("China 82")  # Pakistan
    exporters = rows_of(full_home, "--period", "2019-23", "--exporters")
    assert [r["country"] for r in exporters][:3] == ["United States", "France", "Russia"]
    assert exporters[0]["totals_from"].startswith("an estimate, from the legacy register")
    # every recipient is kept, non-state ones and "unknown" included: nothing dropped
    everyone = rows_of(full_home, "--period", "2019-23", "--importers", "--top", "1000")
    names = {r["country"] for r in everyone}
    assert {"NATO**", "Libya HoR*", "unknown recipient(s)"} <= names
    assert len(names) == 261  # every row of the table but SIPRI's world total
    assert sum(r["tiv"] for r in everyone) == pytest.approx(139977, abs=50)


def test_the_readmes_fact_sheet_is_what_it_prints(full_home: Path) -> None:
    command = "geobal factsheet --period 2019-2023 --importers --top 10 --format markdown"
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"{command}\n" in readme
    printed = run_cli(command.split()[1:], home=full_home, data_dir=DATA).stdout
    heading, table, caption = printed.split("\n\n")
    assert heading.startswith("## The largest arms importers, 2019-23")
    assert f"```\n\n{table}\n\n" in readme
    assert caption.startswith("Totals: exact, from SIPRI's import-volume table")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dataset", "tiv"], "geobal: 'tiv' is not a SIPRI trade register"),
        (["--dataset", "nope"], "geobal: no dataset 'nope': import SIPRI's trade register"),
        (["--volumes", "transfers"], "geobal: 'transfers' is not SIPRI's import-volume table"),
        (["--volumes", "nope"], "geobal: no dataset 'nope'"),
    ],
)
def test_datasets_named_wrongly_are_errors_not_silence(
    home: Path, args: list[str], message: str
) -> None:
    result = run_cli(["factsheet", *args], home=home, data_dir=DATA)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(message)


CLOSING = (
    "Computed by geobal from SIPRI data, not published by SIPRI. "
    "Information from the SIPRI Arms Transfers Database."
)
LEGACY = (
    "an estimate, from the legacy register 'transfers' (each record's TIV spread evenly over "
    "its delivery years)"
)


@pytest.mark.parametrize(
    "flags", [[], ["--importers"], ["--exporters"], ["--recipients", "India,Pakistan"]]
)
def test_the_country_is_one_field_in_every_shape(home: Path, flags: list[str]) -> None:
    """`country` names the ranked country whatever the flags, so one --fields serves all."""
    args = ["factsheet", "--period", "2019-23", "--top", "1", *flags, "--fields", "country"]
    result = run_cli([*args, "-f", "tsv"], home=home, data_dir=DATA)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == "country"
    import geobal

    data = geobal.open(bundled=DATA, environ=home_environ(home))
    group = "India,Pakistan" if "--recipients" in flags else None
    records = data.factsheet(
        period="2019-23",
        top=1,
        importers="--importers" in flags,
        exporters="--exporters" in flags,
        recipients=group,
    ).to_records()
    assert records
    assert all("country" in r and "recipient" not in r and "supplier" not in r for r in records)


def test_both_tables_are_a_table_each_for_people_and_one_listing_for_scripts(
    home: Path,
) -> None:
    args = ["factsheet", "--period", "2019-23", "--top", "2"]
    markdown = run_cli([*args, "-f", "markdown"], home=home, data_dir=DATA).stdout
    assert markdown == (
        "## The largest arms importers, 2019-23: share of world imports, the change from "
        "2014-18, main partners\n\n"
        "| Rank | Importer | Share % | Before % | Change % | Main suppliers (%) |\n"
        "|---:|---|---:|---:|---:|---|\n"
        "| 1 | India | 9.83 | 9.08 | 4.67 | Russia 37, France 32, United States 13 |\n"
        "| 2 | Saudi Arabia | 8.37 | 11.2 | -27.72 | "
        "the register names no recipient Saudi Arabia |\n"
        "\nTotals: exact, from SIPRI's import-volume table 'tiv', exported 2024-10-13. "
        f"Partners: {LEGACY}. Changes are computed from the table's yearly figures, which "
        "SIPRI rounds, so they may differ a little from SIPRI's own.\n\n"
        "## The largest arms exporters, 2019-23: share of world exports, the change from "
        "2014-18, main partners\n\n"
        "| Rank | Exporter | Share % | Before % | Change % | Main recipients (%) |\n"
        "|---:|---|---:|---:|---:|---|\n"
        "| 1 | Russia | 3.62 | 2.78 | 25.92 | India 97, Pakistan 3 |\n"
        "| 2 | China | 3.58 | 0.8 | 332.29 | Pakistan 100 |\n"
        f"\nTotals: {LEGACY}; the world total exact, from SIPRI's import-volume table 'tiv' "
        "(world exports are world imports), so the shares need not add up to 100. "
        f"Partners: {LEGACY}. {CLOSING}\n"
    )
    assert "<br>" not in markdown and markdown.count(CLOSING) == 1
    table = run_cli(args, home=home, data_dir=DATA, tty=True, width=200).text
    assert table.count("Rank") == 2 and "Table" not in table
    assert " ".join(table.split()).count(CLOSING) == 1
    # a script gets one listing, whose side says the table
    tsv = run_cli([*args, "-f", "tsv", "--fields", "side,rank,country"], home=home, data_dir=DATA)
    assert tsv.stdout == (
        "side\trank\tcountry\nimporters\t1\tIndia\nimporters\t2\tSaudi Arabia\n"
        "exporters\t1\tRussia\nexporters\t2\tChina\n"
    )
    # a side named in --fields is the listing's: each table's title says its side
    named = run_cli([*args, "-f", "markdown", "--fields", "side,country"], home=home, data_dir=DATA)
    assert named.stdout.count("| Importer |\n") == 1
    assert named.stdout.count("| Exporter |\n") == 1
    # the listing's caption, for the formats that carry one, each table's lines once
    import geobal

    data = geobal.open(bundled=DATA, environ=home_environ(home))
    caption = data.factsheet(period="2019-23", top=2).frame.caption
    assert caption.startswith("Importers: Totals: exact, from SIPRI's import-volume table")
    assert " Exporters: Totals: an estimate" in caption
    assert caption.count(CLOSING) == 1 and caption.endswith(CLOSING) and "\n" not in caption


def test_volumes_keep_the_places_their_data_have(home: Path) -> None:
    """A volume is rounded to the most places its data give, no fewer: the per-year
    export gives TIV to hundredths, the volume tables in whole millions."""
    from geobal.analysis.factsheet import decimals

    assert decimals([27.0, 5.8, 0.25, 3, True, float("nan")]) == 2
    assert decimals([27.0, 100.0, 3]) == 0
    rows = rows_of(home, "--period", "2001", "--exporters", "--dataset", "yearly", "--top", "20")
    places = {len(str(r["tiv"]).partition(".")[2]) for r in rows}
    assert max(places) == 2
    importers = rows_of(home, "--period", "2019-23", "--importers", "--top", "3")
    assert all(isinstance(r["tiv"], int) for r in importers)


def test_at_80_columns_two_tables_and_at_40_cards_headed_by_the_country(home: Path) -> None:
    args = ["factsheet", "--period", "2019-23", "--top", "10"]
    wide = [line.rstrip() for line in run_cli(args, home=home, tty=True, width=80).text.split("\n")]
    heads = [line.split()[:2] for line in wide if line.split()[:1] == ["Rank"]]
    assert heads == [["Rank", "Importer"], ["Rank", "Exporter"]]
    assert all(len(line) <= 80 for line in wide)
    narrow = run_cli(args, home=home, tty=True, width=40).text.split("\n")
    assert all(len(line) <= 40 for line in narrow)
    # each card opens with the country, its partners after it, never the partners first
    at = narrow.index("India")
    assert [line.rstrip() for line in narrow[at : at + 8]] == [
        "India",
        "Rank               1",
        "Share %            9.83",
        "Before %           9.08",
        "Change %           4.67",
        "Main suppliers (%) Russia 37, France 32,",
        "                   United States 13",
        "",
    ]
    assert "Russia 37, France 32, United States 13" not in narrow
