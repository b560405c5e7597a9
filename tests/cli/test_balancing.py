"""timeline, suppliers, balance and brief, through the CLI, on the bundled data: these
tests are about its figures."""

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from geobal.catalog import Catalog
from tests.conftest import DATA, SNAPSHOT, Run, run_cli

Cli = Callable[..., Run]


@pytest.fixture
def cli() -> Cli:
    return functools.partial(run_cli, data_dir=DATA)


def ids(result: Run) -> list[str]:
    return result.stdout.splitlines()[1:]


def test_timeline_is_oldest_first_and_dates_compare_at_their_precision(cli: Cli) -> None:
    dates = cli(["timeline", "--fields", "date"]).stdout.splitlines()[1:]
    assert dates == sorted(dates) and len(dates) == 97
    until = cli(["timeline", "--until", "2018", "--fields", "date"]).stdout.splitlines()[1:]
    assert until[-1] == "2018-11"  # all of 2018, though 2018-11 > "2018" as text
    since = cli(["timeline", "--since", "2025-12", "--until", "2025-12", "--fields", "id"])
    assert ids(since) == [
        "summit-23",
        "chakra-iii-denial",
        "hyderabad-house-talks",
        "summit-23-defence",
        "relos-law",
    ]


def test_timeline_actor_and_kind(cli: Cli) -> None:
    result = cli(["timeline", "--actor", "TUR", "--fields", "id"])
    assert ids(result) == ["turkey-sanctioned"]
    result = cli(["timeline", "--actor", "united states", "--kind", "sanc", "--fields", "id"])
    assert ids(result) == ["caatsa-first-use", "turkey-sanctioned", "rosneft-lukoil-sanctions"]
    for spelled in ("united-states", "United States", "UNITED_STATES"):
        again = cli(["timeline", "--actor", spelled, "--kind", "sanc", "--fields", "id"])
        assert again.stdout == result.stdout, spelled
    bad = cli(["timeline", "--actor", "us"])
    assert (bad.exit_code, bad.stderr) == (
        2,
        "geobal: unknown actor 'us'\nvalid values: China, France, Germany, India, Israel, "
        "Pakistan, Philippines, Russia, Turkey, United States, Vietnam\n",
    )


def test_suppliers_show_each_figure_as_its_latest_release_gives_it(cli: Cli) -> None:
    rows = json.loads(cli(["suppliers", "--supplier", "russia", "--json"]).stdout)
    assert [(r["period"], r["sheet"], r["share"]) for r in rows] == [
        ("2009-13", 2019, 76),
        ("2010-14", 2025, 72),
        ("2011-15", 2026, 70),
        ("2012-16", 2022, 69),
        ("2013-17", 2023, 64),
        ("2014-18", 2019, 58),
        ("2015-19", 2025, 55),
        ("2016-20", 2026, 51),
        ("2017-21", 2022, 46),
        ("2018-22", 2023, 45),
        ("2019-23", 2024, 36),
        ("2020-24", 2025, 36),
        ("2021-25", 2026, 40),
    ]
    sheet = cli(
        ["suppliers", "--period", "2016-20", "--sheet", "2021", "--fields", "supplier,share,rank"]
    )
    assert sheet.stdout == (
        "supplier\tshare\trank\nrussia\t49\t\nfrance\t18\t2\nisrael\t13\t3\nunited-states\t\t4\n"
    )
    # a release that gives no shares for a period compared is refused, not an empty column
    early = cli(["suppliers", "--compare", "2014-18,2019-23", "--sheet", "2019"])
    assert (early.exit_code, early.stdout, early.stderr) == (
        2,
        "",
        "geobal: --sheet 2019: SIPRI's 2019 release gives no shares for 2019-23\n"
        "the periods it gives: 2009-13, 2014-18; or leave --sheet out for each period's "
        "latest release\n",
    )
    revisions = cli(
        [
            "query",
            "suppliers",
            "--where",
            "period=2016-20",
            "--where",
            "supplier=russia",
            "--fields",
            "sheet,share",
        ]
    )
    assert revisions.stdout == "sheet\tshare\n2021\t49\n2026\t51\n"


def test_suppliers_draw_bars_on_a_terminal(cli: Cli) -> None:
    result = cli(["suppliers"], tty=True, width=80)
    text = result.text
    assert text.startswith("India's arms imports by supplier (SIPRI): share of India's imports")
    assert "2019-23  published 2024; India 9.8% of world imports, 1st importer" in text
    assert "2016-20  published 2021, 2026; India 9.3% of world imports" in text
    block = text[text.index("2021-25") :].splitlines()
    assert block[1].startswith("Russia ") and block[1].rstrip().endswith("40%")
    assert block[1].count("█") > block[2].count("█") > block[3].count("█") > 0
    assert "United States  4th supplier" in text  # a rank without a share
    assert result.stderr == "13 periods\n"
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 80
    narrow = cli(["suppliers"], tty=True, width=40).text
    assert max(len(line.rstrip()) for line in narrow.splitlines()) <= 40
    plain = cli(["suppliers", "--no-chart", "--period", "2021-25"], tty=True).text
    assert "█" not in plain and "Share %" in plain


def test_balance_recomputed_by_hand_for_2019_23(cli: Cli) -> None:
    rows = {r["period"]: r for r in json.loads(cli(["balance", "--json"]).stdout)}
    r = rows["2019-23"]
    # Russia 36, France 33, United States 13 (2024 release); Israel's share not found
    assert (r["share_russia"], r["share_france"], r["share_united_states"], r["share_israel"]) == (
        36,
        33,
        13,
        None,
    )
    assert r["known"] == 36 + 33 + 13 == 82
    assert r["unknown"] == 100 - 82 == 18
    assert r["hhi_low"] == 36**2 + 33**2 + 13**2 == 2554
    assert r["hhi_high"] == 2554 + 18**2 == 2878
    assert (r["top"], r["top_share"], r["top_certain"], r["sheets"]) == (
        "Russia",
        36,
        True,
        [2024],
    )
    # 2018-22 gave 2987..3212: 2019-23's bounds lie wholly below, so the trend is stated
    assert (rows["2018-22"]["hhi_low"], rows["2018-22"]["hhi_high"]) == (2987, 3212)
    assert r["trend"] == "falling"
    # 2020-24 (2025 release): Russia 36, France 33, Israel 13; the US's share not found.
    # The same known shares as 2019-23 give the same bounds, so the trend is "unchanged"
    r = rows["2020-24"]
    assert (r["share_russia"], r["share_france"], r["share_israel"]) == (36, 33, 13)
    assert (r["hhi_low"], r["hhi_high"]) == (2554, 2878)
    assert r["trend"] == "unchanged"
    assert list(rows) == sorted(rows)


def test_balance_table_and_sheet(cli: Cli) -> None:
    table = cli(["balance"], tty=True, width=80)
    assert table.text.splitlines()[0] == "Concentration of India's arms suppliers (HHI, 0-10,000)"
    assert table.stderr == "13 periods\n"
    one = cli(["balance", "--sheet", "2026", "--fields", "period,known,hhi_low,hhi_high"])
    assert one.stdout == (
        "period\tknown\thhi_low\thhi_high\n"
        "2011-15\t70\t4900\t5800\n"
        "2016-20\t51\t2601\t5002\n"
        "2021-25\t84\t2666\t2922\n"
    )


def test_brief_every_line_carries_resolving_sources(cli: Cli, catalog: Catalog) -> None:
    rows = json.loads(cli(["brief", "--json"]).stdout)
    sections = list(dict.fromkeys(r["section"] for r in rows))
    assert sections == [
        "The article's takeaways",
        "Top risks",
        "Suppliers",
        "Deals in progress",
        "Latest events",
    ]
    known = catalog.get("sources").by_id
    assert all(r["sources"] and set(r["sources"]) <= set(known) for r in rows)
    texts = [r["text"] for r in rows]
    assert "2021-25: Russia 40%, France 29%, Israel 15%" in texts
    assert (
        "Russia's share of India's imports, SIPRI's 2026 release: 70% in 2011-15, "
        "51% in 2016-20, 40% in 2021-25"
    ) in texts
    assert "Strategic Autonomy (high impact): Balance commitments carefully" in texts
    markdown = cli(["brief", "--format", "markdown"]).stdout
    assert markdown.startswith(
        "# Where India's balancing stands, as of 2026-06\n\n## The article's takeaways"
    )
    for r in rows:  # the same content, every line with its sources
        line = r["text"].replace("*", "\\*").replace("_", "\\_")
        assert line in markdown
        assert ", ".join(r["sources"]) in markdown.replace("\\", "")


@pytest.mark.parametrize("width", [80, 40])
def test_brief_fits_the_terminal(cli: Cli, width: int) -> None:
    result = cli(["brief"], tty=True, width=width)
    lines = [line.rstrip() for line in result.text.splitlines()]
    assert max(len(line) for line in lines) <= width
    assert " ".join(lines[:2]).startswith("Where India's balancing stands, as of 2026-06")
    if width == 80:
        assert len(lines) <= 50  # one screen
        assert "• Five S-400" not in result.text and "S-400 Triumf (Russia, s-400)" in result.text


def test_with_sources_writes_the_sources_out(cli: Cli) -> None:
    rows = json.loads(cli(["risks", "--json", "--with-sources", "--limit", "1"]).stdout)
    assert rows[0]["sources"][0]["id"] == "article"
    assert rows[0]["sources"][0]["quality"] == "weak"
    toml = cli(["deals", "--sector", "cyber", "-f", "toml", "--with-sources"]).stdout
    assert "[[records.sources]]" in toml
    bad = cli(["deals", "--with-sources"])
    assert (bad.exit_code, bad.stderr.splitlines()[0]) == (
        2,
        "geobal: --with-sources does not apply to tsv output",
    )


def test_a_renamed_field_is_an_error_naming_it_not_a_bug(cli: Cli, tmp_path: Path) -> None:
    """The brief and the balance declare the fields they read: a dataset that lacks one
    (a field renamed in suppliers.toml) gets a message naming both, and exit 1."""
    for path in SNAPSHOT.glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        if path.name == "suppliers.toml":
            text = re.sub(r"\bshare\b", "portion", text)  # the field, wherever it is named
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    for command in (["brief"], ["balance"], ["suppliers"]):
        result = cli(command, data_dir=tmp_path)
        assert result.exit_code == 1, command
        assert result.stderr.splitlines()[0].endswith(
            f"the field 'share' of dataset 'suppliers', which {tmp_path / 'suppliers.toml'} "
            "does not declare"
        ), command
        assert "this is a bug" not in result.stderr
    assert cli(["risks", "--fields", "id", "--limit", "1"], data_dir=tmp_path).exit_code == 0
