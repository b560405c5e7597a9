"""geobal spending: SIPRI's military expenditure, from the real workbook where it is
beside this clone, and the refusals that need no data."""

import json
from pathlib import Path

import pytest

from geobal.analysis.parties import resolve
from geobal.analysis.spending import MEASURES
from tests.conftest import Run, run_cli, shared

WORKBOOK = ("milex", "SIPRI-Milex-data-1949-2024.xlsx")
# the workbook's names that differ from the trade registers', by the registers' spelling
DIFFERENT = {
    "South Korea": "Korea, South",
    "North Korea": "Korea, North",
    "DR Congo": "Congo, DR",
    "Congo": "Congo, Republic",
    "North Yemen": "Yemen, North",
    "Gambia": "Gambia, The",
    "Kyrgyzstan": "Kyrgyz Republic",
    "Turkiye": "Türkiye",
    "United States": "United States of America",
    "Soviet Union": "USSR",
    "East Germany (GDR)": "German Democratic Republic",
    "Cabo Verde": "Cape Verde",
    "Timor-Leste": "Timor Leste",
    "Viet Nam": "Viet Nam",
    "eSwatini": "Eswatini",
    "Bosnia-Herzegovina": "Bosnia and Herzegovina",
    "Czechia": "Czechia",
    "UAE": "United Arab Emirates",
}


@pytest.mark.parametrize(("register", "workbook"), DIFFERENT.items())
def test_register_names_find_the_workbooks(register: str, workbook: str) -> None:
    assert resolve("country", register, [workbook, "India"]) == workbook


@pytest.mark.parametrize(
    ("typed", "workbook"),
    [
        ("USA", "United States of America"),
        ("Turkey", "Türkiye"),
        ("East Germany", "German Democratic Republic"),
        ("The Gambia", "Gambia, The"),
        ("Yemen Arab Republic", "Yemen, North"),
    ],
)
def test_common_names_find_the_workbooks(typed: str, workbook: str) -> None:
    assert resolve("country", typed, [workbook]) == workbook


def test_north_yemen_stays_apart_from_the_yemen_arab_republic_of_the_registers() -> None:
    # SIPRI's registers hold both as parties of their own
    both = ["North Yemen", "Yemen Arab Republic (North Yemen)"]
    assert resolve("recipient", "North Yemen", both) == "North Yemen"


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home holding the small workbook of tests/milex_book.py, imported."""
    from tests.milex_book import build

    home = tmp_path_factory.mktemp("book-home")
    path = build(home / "milex.xlsx")
    run = run_cli(["import", str(path), "--as", "sipri-milex"], home=home)
    assert run.exit_code == 0, run.stderr
    return home


TABLE = """\
Military spending of India; Pakistan, 2022-2024: Share of GDP, Per capita US$

 Country    Year   Share of GDP   Per capita US$
 ───────────────────────────────────────────────
 India      2022        2.38% e           56.4
 India      2023        2.36%             57.5
 India      2024        2.27%             59.6
 Pakistan   2022        3.18%             42.9 u
 Pakistan   2023        2.88%             35.1
 Pakistan   2024        2.67%             40.8

e: SIPRI estimate; u: highly uncertain; . .: unknown; xxx: not independent
59 India: The figures for India include expenditure on the paramilitary forces.
Pakistan: § Figures for these countries are for the adopted budget, rather than actual expenditure
Source: SIPRI Military Expenditure Database
"""
ARGS = [
    "--country",
    "India",
    "--country",
    "Pakistan",
    "--measure",
    "gdp",
    "--measure",
    "per-capita",
]


def test_a_table_prints_figures_as_sipri_does(book: Path) -> None:
    run = spend(book, *ARGS, "--format", "table")
    assert (run.exit_code, run.stdout, run.stderr) == (0, TABLE, "")


def test_on_a_terminal_the_marks_are_coloured(book: Path) -> None:
    run = spend(book, *ARGS, tty=True)
    assert (run.exit_code, run.stderr) == (0, "")
    assert run.text.splitlines()[0] == TABLE.splitlines()[0]
    assert "2.38% e" in run.text and "42.9 u" in run.text


def test_machine_rows_are_exact_with_explicit_marks(book: Path) -> None:
    run = spend(
        book,
        "--country",
        "Korea, South",
        "--country",
        "USSR",
        "--measure",
        "government",
        "--from",
        "2022",
        "--to",
        "2022",
        "--format",
        "csv",
    )
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines() == [
        "country,year,government_share,government_share_estimate,government_share_uncertain,"
        "government_share_status,notes,credit,sources",
        '"Korea, South",2022,,false,false,unknown,,SIPRI Military Expenditure Database,'
        + run.stdout.splitlines()[1].rsplit(",", 1)[1],
        "USSR,2022,,false,false,not independent,,SIPRI Military Expenditure Database,"
        + run.stdout.splitlines()[2].rsplit(",", 1)[1],
    ]
    assert run.stdout.splitlines()[1].endswith(
        ",sipri-milex-" + run.stdout.splitlines()[1].rsplit("sipri-milex-", 1)[1]
    )


def test_the_library_gives_the_same_rows_with_the_credit(book: Path) -> None:
    import geobal
    from tests.conftest import home_environ

    g = geobal.open(environ=home_environ(book))
    found = g.spending(["India"], start=2024, measures=["constant"])
    assert found.to_records()[0]["constant_usd"] == 83623.14058143288
    assert found.provenance.credit == "SIPRI Military Expenditure Database"
    assert found.provenance.sources[0].startswith("sipri-milex-")


def test_a_change_from_an_unknown_figure_is_refused(book: Path) -> None:
    run = spend(
        book, "--country", "South Korea", "--measure", "government", "--from", "2022", "--change"
    )
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        "geobal: no change of Korea, South's Share of govt. spending 2022-2024: its 2022 "
        "figure is unknown\nchoose --from and --to of years with figures\n"
    )


def test_a_change_of_a_share_is_in_points(book: Path) -> None:
    run = spend(book, "--country", "India", "--measure", "gdp", "--change", "--json")
    (row,) = json.loads(run.stdout)
    assert row["change_unit"] == "points"
    assert row["change"] == 100 * (0.022712033218142025 - 0.023830980983588244)


def test_a_country_that_did_not_exist_shows_every_year(book: Path) -> None:
    run = spend(book, "--country", "Soviet Union", "--format", "table")
    assert " 2022                      xxx\n" in run.stdout


def test_a_series_draws_a_line_a_country(book: Path) -> None:
    run = spend(book, "--country", "India", "--country", "Pakistan", "--format", "vega-lite")
    spec = json.loads(run.stdout)
    assert spec["mark"]["type"] == "line"
    assert spec["encoding"]["color"]["field"] == "country"
    assert "xOffset" not in spec["encoding"]


def test_a_dataset_that_is_no_milex_import_is_refused(book: Path) -> None:
    run = spend(book, "--country", "India", "--dataset", "milex-notes")
    assert run.exit_code == 2
    assert "'milex-notes' is not SIPRI's military expenditure" in run.stderr


def test_top_with_from_and_year_without_top(book: Path) -> None:
    run = spend(book, "--top", "2", "--from", "2023")
    assert "--top ranks one year: give it with --year, not --from/--to" in run.stderr
    run = spend(book, "--year", "2024")
    assert "--year is the year of --top: give --top N too" in run.stderr
    run = spend(book, "--top", "2", "--change")
    assert "--top ranks one year: not with --change" in run.stderr
    run = spend(book, "--top", "2", "--measure", "gdp", "--measure", "current")
    assert "--top ranks by one measure: give --measure once" in run.stderr


def test_from_after_to_is_refused(book: Path) -> None:
    run = spend(book, "--country", "India", "--from", "2024", "--to", "2023")
    assert (run.exit_code, run.stdout) == (2, "")
    assert "--from 2024 is after --to 2023" in run.stderr


def test_a_missing_dataset_says_how_to_import_it() -> None:
    run = run_cli(["spending", "--country", "India"])
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == (
        "geobal: no dataset 'milex': spending reads SIPRI's military expenditure workbook, "
        "imported (the bundled dataset 'spending' holds India's figures as the news "
        "reported them: geobal query spending)\n"
        "download the workbook from https://www.sipri.org/databases/milex, then: geobal "
        "import FILE.xlsx --as sipri-milex\n"
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = shared(*WORKBOOK)
    home = tmp_path_factory.mktemp("milex-home")
    run = run_cli(["import", str(path), "--as", "sipri-milex"], home=home)
    assert run.exit_code == 0, run.stderr
    return home


def spend(home: Path, *args: str, tty: bool = False) -> Run:
    return run_cli(["spending", *args], home=home, tty=tty, width=100)


def test_india_2024_exact_with_its_marks(home: Path) -> None:
    run = spend(
        home,
        "--country",
        "India",
        "--from",
        "2024",
        "--measure",
        "constant",
        "--measure",
        "gdp",
        "--json",
    )
    assert run.exit_code == 0, run.stderr
    (row,) = json.loads(run.stdout)
    assert row["constant_usd"] == 83623.14058143288
    assert row["gdp_share"] == 0.022712033218142025
    assert row["constant_usd_estimate"] is False
    assert row["constant_usd_uncertain"] is False
    assert row["constant_usd_status"] is None
    assert row["credit"] == "SIPRI Military Expenditure Database"
    assert row["sources"] == ["sipri-milex-2025-04-30"]
    assert row["notes"][0].startswith("59 India: ")


def test_india_printed_as_sipri_prints_it(home: Path) -> None:
    run = spend(
        home,
        "--country",
        "India",
        "--from",
        "2024",
        "--measure",
        "constant",
        "--measure",
        "gdp",
        "--format",
        "table",
    )
    assert run.exit_code == 0, run.stderr
    assert " 2024                 83,623.1          2.27%\n" in run.stdout
    assert "e: SIPRI estimate" in run.stdout
    assert "Source: SIPRI Military Expenditure Database" in run.stdout


def test_india_estimates_1956_to_1987(home: Path) -> None:
    run = spend(home, "--country", "India", "--to", "2024", "--json")
    rows = json.loads(run.stdout)
    estimated = [r["year"] for r in rows if r["constant_usd_estimate"]]
    assert estimated == list(range(1956, 1988))
    assert rows[0]["year"] == 1956  # the first year with a figure


def test_south_korea_and_turkey(home: Path) -> None:
    run = spend(home, "--country", "South Korea", "--country", "Turkey", "--from", "2024", "--json")
    assert [r["country"] for r in json.loads(run.stdout)] == ["Korea, South", "Türkiye"]


def test_a_missing_figure_has_a_status(home: Path) -> None:
    run = spend(
        home,
        "--country",
        "Soviet Union",
        "--from",
        "1991",
        "--to",
        "1992",
        "--measure",
        "current",
        "--json",
    )
    rows = json.loads(run.stdout)
    assert [r["current_usd_status"] for r in rows] == ["unknown", "not independent"]
    assert [r["current_usd"] for r in rows] == [None, None]  # never 0


def test_top_2024_current_united_states_first(home: Path) -> None:
    run = spend(home, "--top", "5", "--measure", "current", "--json")
    rows = json.loads(run.stdout)
    assert rows[0]["country"] == "United States of America"
    # SIPRI's fact sheet: the US's 997.3 bn is 37% of the world's 2,718 bn
    assert round(100 * rows[0]["world_share"]) == 37
    assert f"{rows[0]['world_share']:.3f}" == "0.367"
    assert rows[0]["world_uncertain"] is False
    assert rows[4]["country"] == "India"


def test_top_without_a_world_total_ranks_and_says_why_there_is_no_share(home: Path) -> None:
    current = spend(home, "--top", "3", "--measure", "current", "--year", "2020", "--json")
    assert current.exit_code == 0, current.stderr
    rows = json.loads(current.stdout)
    assert [r["country"] for r in rows] == ["United States of America", "China", "India"]
    assert not any("world_share" in r for r in rows)
    table = spend(home, "--top", "3", "--measure", "current", "--year", "2020", "--format", "table")
    assert (
        "No share of the world: SIPRI gives the world's total in current US$ for its last "
        "year only, not 2020. Source:"
    ) in " ".join(table.stdout.split())
    early = spend(home, "--top", "3", "--year", "1980", "--format", "table")
    assert early.exit_code == 0, early.stderr
    assert "No share of the world: SIPRI's world total of 1980 is not in the workbook.\n" in (
        early.stdout
    )
    unknown = spend(home, "--top", "3", "--year", "1991", "--format", "table")
    assert "No share of the world: SIPRI's world total of 1991 is unknown ('. .').\n" in (
        unknown.stdout
    )


def test_local_currencies_are_not_ranked_and_carry_their_currency(home: Path) -> None:
    run = spend(home, "--top", "3", "--measure", "local")
    assert run.exit_code == 2
    assert "local currencies are each country's own" in run.stderr
    both = spend(
        home, "--country", "India", "--country", "Pakistan", "--from", "2024",
        "--measure", "local-fy", "--json",
    )  # fmt: skip
    rows = json.loads(both.stdout)
    assert [(r["currency"], r["fiscal_year"]) for r in rows] == [
        ("Rupees", "Apr-Mar"),
        ("Rupees", "Till: 1957 Apr-Mar, 1958: Apr-Jun, From 1959: Jul-Jun"),
    ]
    assert rows[0]["local_financial"] == 7308354000000.0
    table = spend(home, "--country", "India", "--from", "2024", "--measure", "local-fy",
                  "--format", "table")  # fmt: skip
    assert " 2024     7,308,354,000,000   Rupees     Apr-Mar\n" in table.stdout


def test_top_with_country_is_refused(home: Path) -> None:
    run = spend(home, "--top", "5", "--country", "India")
    assert run.exit_code == 2
    assert "--top ranks every country: not with --country" in run.stderr


def test_india_change_2023_2024(home: Path) -> None:
    run = spend(home, "--country", "India", "--from", "2023", "--change", "--format", "table")
    assert " India     US$ m. (constant 2023)   82,293.3   83,623.1    +1.6%\n" in run.stdout


def test_given_twice(home: Path) -> None:
    run = spend(home, "--country", "India", "--country", "india")
    assert run.exit_code == 2
    assert "--country names one country twice" in run.stderr
    run = spend(home, "--country", "India", "--measure", "gdp", "--measure", "gdp")
    assert run.exit_code == 2
    assert "--measure names a measure twice" in run.stderr


def test_outside_the_years_covered(home: Path) -> None:
    run = spend(home, "--country", "India", "--from", "1900")
    assert run.exit_code == 2
    assert "--from 1900 is outside the years 'milex' covers, 1949-2024" in run.stderr


def test_completion_offers_countries_not_totals(book: Path) -> None:
    def complete(words: str) -> list[str]:
        env = {
            "_GEOBAL_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
        return [line for line in run_cli([], home=book, env=env).stdout.splitlines() if line]

    assert complete("geobal spending --country ") == [
        "India",
        "Korea, South",
        "Pakistan",
        "Türkiye",
        "USSR",
        "United States of America",
    ]
    # the typed part kept as typed, as geobal reads names in any case
    # each country once, by the first of its names that completes what was typed
    assert complete("geobal spending --country ko") == ["korea, South"]
    # by the other names a country goes by, once something is typed
    assert complete("geobal spending --country Sou") == ["South Korea"]
    assert complete("geobal spending --country Sov") == ["Soviet Union"]
    assert complete("geobal spending --dataset nope --country ") == []
    assert complete("geobal spending --measure ") == list(MEASURES)
    assert complete("geobal spending --measure p") == ["per-capita"]


def test_narrow_tables_stack_as_cards_with_every_figure_whole(home: Path) -> None:
    args = ["--country", "India", "--from", "2023", "--change", "--format", "table"]
    run = run_cli(["spending", *args], home=home, width=40)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.splitlines()[:8] == [
        "Change in military spending, 2023 to",
        "2024",
        "",
        "India",
        "Measure US$ m. (constant 2023)",
        "2023    82,293.3",
        "2024    83,623.1",
        "Change  +1.6%",
    ]


def test_an_unknown_country_says_how_to_list_them(book: Path) -> None:
    run = spend(book, "--country", "Zzzzzz")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        "geobal: unknown country 'Zzzzzz'\n6 countries; list them with geobal query milex "
        "--where 'total!=true' --count-by country\n"
    )


def test_the_readmes_spending_outputs_are_what_geobal_prints(home: Path) -> None:
    """The README shows `geobal spending` on the 2025 edition: every line as printed."""
    import re
    import shlex

    from tests.cli.test_docs import README

    section = README.split("### How much a country spends")[1].split("\n## ")[0]
    (block,) = re.findall(r"```console\n(.*?)```", section, re.DOTALL)
    shown = re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]
    assert len(shown) == 3
    for example in shown:
        line, _, printed = example.partition("\n")
        args = shlex.split(line)[1:]
        run = run_cli([*args, "--format", "table"], home=home, width=80)
        assert (run.exit_code, run.stderr) == (0, ""), line
        assert run.stdout == printed, line


def test_figures_from_the_caches_columns_equal_those_from_whole_records(home: Path) -> None:
    """Milex reads only the rows and fields a figure needs from the parse cache's
    columns: every view equals the one made from the records whole."""
    import geobal
    from geobal.analysis import spending as sp
    from geobal.model import Columns
    from geobal.views import Marked
    from tests.conftest import home_environ

    g = geobal.open(environ=home_environ(home))
    ds, notes = g.dataset("milex"), g.dataset("milex-notes")
    g.dataset("milex").records[0]
    cached = sp.milex_of(g.dataset("milex"), notes)
    assert isinstance(cached.dataset.records, Columns)
    whole = sp.milex_of(ds.with_records(list(ds.records)), notes)
    assert not isinstance(whole.dataset.records, Columns)
    for m in (cached, whole):
        assert m.countries == whole.countries and m.covers == whole.covers
    every = list(sp.MEASURES.values())
    names = ["India", "Korea, South", "USSR", "Türkiye"]
    pair, two = ["India", "Korea, South"], ["constant_usd", "gdp_share"]

    def views(m: sp.Milex) -> list[Marked]:
        return [
            sp.series(m, names, every, 1985, 2024),
            sp.top(m, 2024, "constant_usd", 200),
            sp.top(m, 1991, "gdp_share", 200),
            sp.change(m, pair, two, 2000, 2024),
        ]

    for a, b in zip(views(cached), views(whole), strict=True):
        assert a.frame.rows == b.frame.rows and a.shown.rows == b.shown.rows


@pytest.mark.parametrize("width", range(60, 80))
def test_no_width_cuts_a_figure_or_drops_a_mark(home: Path, width: int) -> None:
    """Whether a table fits is judged on it as drawn, its marked columns padded: at
    66-69 columns the table was judged on the figures unpadded, and Rich cut it."""
    args = ["--country", "USA", "--country", "Tajikistan", "--from", "2023", "--to", "2024"]
    run = run_cli(["spending", *args, "--change", "-f", "table"], home=home, width=width)
    assert run.exit_code == 0, run.stderr
    words = run.stdout.split()
    for whole in ("916,014.7", "968,381.6", "+5.7%", "285.1", "234.4", "-17.8%"):
        assert whole in words, (width, whole)
    assert "285.1 e" in run.stdout or "2023    285.1 e" in run.stdout, width
    assert max(len(line) for line in run.stdout.splitlines()[2:]) <= width


def test_only_special_notes_are_prefixed_by_their_country(home: Path) -> None:
    args = ["--country", "South Korea", "--country", "USA", "--from", "2024", "-f", "table"]
    run = run_cli(["spending", *args], home=home, width=200)
    notes = [line for line in run.stdout.splitlines() if line[:2].isdigit()]
    # numbered notes name their country themselves ("58 South Korea: ...")
    assert [n.split(":")[0] for n in notes] == ["58 South Korea", "44 USA"]
    assert "Korea, South: 58" not in run.stdout


def test_a_change_over_no_years_is_refused(home: Path) -> None:
    run = spend(home, "--country", "India", "--from", "2024", "--to", "2024", "--change")
    assert (run.exit_code, run.stdout) == (2, "")
    assert "--change needs two years: --from 2024 and --to 2024 are one" in run.stderr


def test_markdown_sets_figures_right(home: Path) -> None:
    run = spend(home, "--top", "2", "-f", "markdown")
    assert "|---:|---|---:|---:|\n" in run.stdout


def test_cards_colour_the_marks_as_the_table_does(home: Path) -> None:
    colour = {"NO_COLOR": None, "TERM": "xterm-256color"}
    narrow = run_cli(["spending", "--top", "2"], home=home, tty=True, width=40, env=colour)
    wide = run_cli(["spending", "--top", "2"], home=home, tty=True, width=100, env=colour)
    assert "Rank " in narrow.text and "Rank " not in narrow.text.splitlines()[2]  # cards
    for run in (narrow, wide):
        assert (run.exit_code, run.stderr) == (0, "")
        assert "317,561.0 \x1b[34me\x1b[0m" in run.stdout  # China's estimate, in blue
