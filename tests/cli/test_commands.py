"""The commands through CliRunner: exact output on and off a terminal, and exit codes,
on the snapshot of the bundled data (tests/fixtures/bundled)."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from geobal.catalog import Catalog
from geobal.commands import COMMANDS
from geobal.searching import excerpt
from tests.conftest import DATA, FIXTURES, Run, write_dataset

Cli = Callable[..., Run]

RISKS_TSV = (
    "id\tpriority\timpact\tadvice\tconsideration\tsources\torigin\tfile\n"
    "strategic-autonomy\tStrategic Autonomy\thigh\tBalance commitments carefully\t"
    "maintaining-strategic-autonomy\tarticle\tbundled\trisks.toml\n"
    "alliance-relations\tAlliance Relations\thigh\tEngage in transparent diplomacy\t\tarticle"
    "\tbundled\trisks.toml\n"
    "defense-modernization\tDefense Modernization\tmedium\tSecure diversified sources\t"
    "defense-modernization\tarticle\tbundled\trisks.toml\n"
    "economic-stability\tEconomic Stability\tmedium\tMitigate sanction risks\t"
    "economic-implications\tarticle\tbundled\trisks.toml\n"
)


def test_piped_output_is_tsv_with_a_header_and_nothing_on_stderr(cli: Cli) -> None:
    result = cli(["risks"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, RISKS_TSV, "")


def test_json_is_every_field_typed_in_field_order(cli: Cli, snapshot: Catalog) -> None:
    result = cli(["deals", "--sector", "missile", "--json"])
    assert result.exit_code == 0 and result.stderr == ""
    deals = snapshot.get("deals")
    expected = [
        {f.name: r.get(f.name) for f in deals.fields}
        for r in deals.records
        if r["sector"] == "missile"
    ]
    assert result.stdout == json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
    s400 = json.loads(result.stdout)[1]
    assert (s400["id"], s400["year"], s400["value"], s400["status_date"]) == (
        "s-400",
        2018,
        5.43,
        "2025-06-26",
    )
    assert cli(["deals", "--sector", "missile", "--format", "json"]).stdout == result.stdout


def test_filters_apply_the_same_in_every_format(cli: Cli) -> None:
    args = ["deals", "--sector", "Air Systems", "--status", "prop", "--partner", "ru"]
    args += ["--fields", "id,year"]
    assert cli([*args, "--format", "csv"]).stdout == ("id,year\nair-systems,\nmig-29-21,\nsu-57,\n")
    assert cli([*args, "--format", "jsonl"]).stdout == (
        '{"id":"air-systems","year":null}\n{"id":"mig-29-21","year":null}\n'
        '{"id":"su-57","year":null}\n'
    )
    assert cli([*args, "--format", "markdown"]).stdout == (
        "| ID | Year |\n|---|---:|\n| air-systems |  |\n| mig-29-21 |  |\n| su-57 |  |\n"
    )
    assert cli([*args, "--format", "toml"]).stdout == (
        '[[records]]\nid = "air-systems"\n\n[[records]]\nid = "mig-29-21"\n\n'
        '[[records]]\nid = "su-57"\n'
    )
    assert (
        cli([*args, "--format", "tsv"]).stdout == "id\tyear\nair-systems\t\nmig-29-21\t\nsu-57\t\n"
    )


def test_risks_min_impact_and_where(cli: Cli) -> None:
    assert cli(["risks", "--min-impact", "high", "--fields", "id", "-f", "tsv"]).stdout == (
        "id\nstrategic-autonomy\nalliance-relations\n"
    )
    assert cli(["risks", "--impact", "MED", "--fields", "id"]).stdout == (
        "id\ndefense-modernization\neconomic-stability\n"
    )
    assert (
        cli(["query", "risks", "--where", "impact<high", "--sort", "id", "--fields", "id"]).stdout
        == "id\ndefense-modernization\neconomic-stability\n"
    )


def test_count_by_in_every_format(cli: Cli) -> None:
    assert cli(["query", "deals", "--count-by", "status"]).stdout == (
        "status\tcount\nproposed\t7\nsigned\t5\ndelivered\t2\ndelivering\t1\n"
    )
    assert json.loads(cli(["risks", "--count-by", "impact", "--json"]).stdout) == [
        {"impact": "medium", "count": 2},  # ties: in the level's order, lowest first
        {"impact": "high", "count": 2},
    ]
    table = cli(["risks", "--count-by", "impact"], tty=True)
    assert table.text.splitlines()[2].split() == ["Impact", "Count"]
    assert "High" in table.text and table.stderr == "2 values\n"


def test_aggregates_in_every_format(cli: Cli) -> None:
    args = ["query", "deals", "--count-by", "partner", "--sum", "quantity", "--max", "year"]
    args += ["--sort", "-quantity_sum"]
    assert cli([*args, "-f", "csv"]).stdout == (
        "partner,count,quantity_sum,year_max,quantity_skipped,year_skipped\n"
        "russia,11,493,2019,6,6\nfrance,2,62,2025,0,0\nunited-states,2,4,2016,1,1\n"
    )
    assert json.loads(cli([*args, "--json"]).stdout)[1] == {
        "partner": "france",
        "count": 2,
        "quantity_sum": 62,
        "year_max": 2025,
        "quantity_skipped": 0,
        "year_skipped": 0,
    }
    table = cli(args, tty=True)
    assert [line.strip() for line in table.text.splitlines()] == [
        "India's arms deals",
        "",
        "Partner         Count   Quantity sum   Year max",
        "───────────────────────────────────────────────",
        "Russia             11            493       2019",
        "France              2             62       2025",
        "United States       2              4       2016",
        "",
        "Aggregates skip empty values: 7 records with no quantity, 7 records with no",
        "year.",
    ]
    assert table.stderr == "3 values\n"
    markdown = cli([*args, "-f", "markdown"]).stdout
    assert markdown.endswith(
        "\nAggregates skip empty values: 7 records with no quantity, 7 records with no year.\n"
    )
    assert cli(["deals", "--sum", "quantity", "--json"]).stdout == (
        '[\n  {\n    "count": 15,\n    "quantity_sum": 559,\n    "quantity_skipped": 7\n  }\n]\n'
    )


def test_an_aggregate_over_mixed_units_is_refused(cli: Cli) -> None:
    result = cli(["deals", "--count-by", "partner", "--sum", "value"], data_dir=DATA)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(
        "geobal: value comes in value_unit, and the records for partner = russia mix units"
    )
    by_unit = cli(["deals", "--count-by", "value_unit", "--sum", "value", "--json"], data_dir=DATA)
    assert by_unit.exit_code == 0
    assert all(r["value_unit"] == r["value"] for r in json.loads(by_unit.stdout) if "value" in r)


def test_terminal_gets_a_titled_table_and_a_count_on_stderr(cli: Cli) -> None:
    result = cli(["risks"], tty=True)
    lines = [line.rstrip() for line in result.text.splitlines()]
    assert lines[0] == "Priorities India weighs, as the article reports"
    assert lines[2].split() == ["ID", "Priority", "Impact", "Experts'", "advice"]
    # the id whole, the text columns sharing the room by how much text each holds
    assert lines[4:6] == [
        " strategic-autonomy      Strategic           High     Balance commitments",
        "                         Autonomy                     carefully",
    ]
    assert result.stderr == "4 records\n"
    assert all(len(line) <= 80 for line in lines)


@pytest.mark.parametrize(
    "command",
    ["deals", "risks", "factors", "agenda", "considerations", "takeaways", "sources", "datasets"],
)
@pytest.mark.parametrize("width", [40, 80])
def test_tables_fit_the_terminal(cli: Cli, command: str, width: int) -> None:
    result = cli([command], tty=True, width=width)
    assert result.exit_code == 0
    assert max(len(line.rstrip()) for line in result.text.splitlines()) <= width


@pytest.mark.parametrize("width", [40, 80])
@pytest.mark.parametrize(
    "fields", ["deal,status,value_usd", "status,deal,value_usd", "value_usd,status,deal"]
)
def test_a_listing_whose_columns_fit_is_a_table_in_any_order(
    cli: Cli, fields: str, width: int
) -> None:
    run = cli(["deals", "--fields", fields], tty=True, width=width, data_dir=DATA)
    lines = run.text.splitlines()
    titles = {"deal": "Deal", "status": "Status", "value_usd": "US$ m"}
    assert lines[2].split() == [w for name in fields.split(",") for w in titles[name].split()]
    assert lines[3].strip().strip("─") == ""  # the rule under a table's head
    assert max(len(line) for line in lines) <= width


def test_no_match_is_success_with_a_note(cli: Cli) -> None:
    for args in (
        ["deals", "--search", "nothing-like-this"],
        ["query", "deals", "--where", "year>2100", "--json"],
    ):
        result = cli(args)
        assert result.exit_code == 0 and result.stderr == "No records matched.\n"
    assert cli(["query", "deals", "--where", "year>2100", "--json"]).stdout == "[]\n"
    assert cli(["deals", "--search", "nothing-like-this"], tty=True).stdout == ""


@pytest.mark.parametrize(
    ("args", "stderr"),
    [
        (
            ["deals", "--sector", "space"],
            "geobal: unknown sector 'space'\nvalid values: air (Air Systems), missile (Missile "
            "Technology), naval (Naval Equipment), cyber (Cyber Defense), land (Land Systems)\n",
        ),
        (
            ["risks", "--impact", "huge"],
            "geobal: unknown impact 'huge'\n"
            "valid values: low (Low), medium (Medium), high (High)\n",
        ),
        (
            ["query", "deals", "--where", "yeer>2018"],
            "geobal: unknown field 'yeer' in deals; did you mean 'year'?\navailable: id, sector, "
            "partner, deal, systems, benefit, status, basis, year, quantity, value, value_max, "
            "value_unit, "
            "status_date, related, note, sources, origin, file\n",
        ),
        (
            ["query", "deals", "--where", "year"],
            "geobal: malformed --where 'year'\nexpected FIELD OP VALUE, such as sector=air or "
            "year>=2018; operators: = != ~ (contains) !~ < <= > >=\n",
        ),
        (
            ["query", "deal"],
            "geobal: unknown dataset 'deal'; did you mean 'deals'?\navailable: agenda, "
            "considerations, deals, events, factors, imports, risks, sources, spending, suppliers, "
            "takeaways\n",
        ),
        (
            ["deals", "--json", "--format", "csv"],
            "geobal: --json and --format csv ask for different formats\ngive only one of them\n",
        ),
        (["search", " "], "geobal: search needs some text to look for\n"),
        (
            ["sources", "--dataset", "nope"],
            "geobal: unknown dataset 'nope'\navailable: agenda, considerations, deals, events, "
            "factors, imports, risks, sources, spending, suppliers, takeaways\n",
        ),
        # the parser's own errors, in the same two-line form
        (
            ["deals", "--colour", "red"],
            "geobal: No such option: --colour (Possible options: --color, --sector)\n"
            "see: geobal deals --help\n",
        ),
        (
            ["deals", "--format", "xml"],
            "geobal: Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', "
            "'jsonl', 'csv', 'tsv', 'markdown', 'toml', 'vega-lite'.\nsee: geobal deals --help\n",
        ),
        (["show", "deals"], "geobal: Missing argument 'ID'.\nsee: geobal show --help\n"),
        (
            ["dealz"],
            "geobal: unknown command 'dealz'; did you mean 'deals'?\n"
            f"available: {', '.join(COMMANDS)}\n",
        ),
        (["--bogus"], "geobal: No such option: --bogus\nsee: geobal --help\n"),
    ],
)
def test_usage_errors_exit_2_with_a_message_that_says_how_to_fix_it(
    cli: Cli, args: list[str], stderr: str
) -> None:
    result = cli(args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr)


def test_an_unknown_record_is_a_data_error(cli: Cli) -> None:
    result = cli(["show", "deals", "s400"])
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "geobal: unknown id 's400' in deals; did you mean 's-400'?\n"
        "list the ids with: geobal query deals --fields id\n",
    )


def test_show_writes_the_sources_out(cli: Cli) -> None:
    doc = json.loads(cli(["show", "risks", "strategic-autonomy", "--json"]).stdout)
    assert doc["dataset"] == "risks"
    assert doc["record"]["advice"] == "Balance commitments carefully"
    assert [s["id"] for s in doc["sources"]] == ["article"]
    assert doc["sources"][0]["quality"] == "weak"
    table = cli(["show", "deals", "s-400"], tty=True, width=100).stdout
    assert "India's arms deals: s-400" in table
    assert "https://english.pravda.ru/news/world/162957-russia-india-s-400" in table
    assert "Sources" in table and "Delivering" in table
    markdown = cli(["show", "deals", "s-400", "--format", "markdown"]).stdout
    assert markdown.startswith("## India's arms deals: s-400\n\n| Field | Value |")
    assert "- **pravda-s400**: Publisher: Pravda.ru;" in markdown
    source = json.loads(cli(["show", "sources", "pravda-s400", "--json"]).stdout)
    assert (source["sources"], source["cited_by"]) == (
        [],
        ["deals/s-400", "events/s-400-contract", "events/s-400-reaffirmed"],
    )
    assert (
        "Cited by\ndeals/s-400\nevents/s-400-contract"
        in cli(["show", "sources", "pravda-s400"], tty=True).text
    )
    assert len(json.loads(cli(["show", "sources", "article", "--json"]).stdout)["cited_by"]) == 24
    assert "cited_by" not in doc
    assert cli(["show", "deals", "s-400", "--format", "tsv"]).stdout.startswith("id\tsector\t")


def test_search_finds_records_in_every_dataset(cli: Cli) -> None:
    result = cli(["search", "SANCTIONS OR TRADE", "--fields", "dataset,id,fields"])
    assert result.stdout == "dataset\tid\tfields\nconsiderations\teconomic-implications\tdetail\n"
    result = cli(["search", "Turkey"])
    assert result.stdout == (
        "dataset\tid\tdate\ttitle\tfields\ttext\n"
        # each hit's date, where its record has one: its dataset's first date field
        "events\tturkey-sanctioned\t2020-12-14\tThe US sanctions Turkey's defence procurement "
        "agency and its head over the S-400\tid; actors; title\t\n"
        # a source with no title is named by its table's columns; the match, in its URL
        "sources\tjdsupra-2020-12\t\tJD Supra (Eversheds Sutherland) · Secondary · The CAATSA "
        "sanctions on Turkey over its S-400 purchase.\turl; about; quotes\t"
        "….com/legalnews/us-issues-sanctions-against-turkey-for-66786/\n"
    )
    assert result.stderr == ""  # off a terminal, nothing left out: nothing to say
    assert (
        cli(["search", "India's independent"]).stdout.count("\n") == 2
    )  # the data has a typographic apostrophe


def test_search_keeps_to_datasets_and_limits_and_says_what_matched_where(cli: Cli) -> None:
    result = cli(["search", "sanction", "-d", "events", "--dataset", "deals", "-n", "2"])
    assert [line.split("\t")[:2] for line in result.stdout.splitlines()] == [
        ["dataset", "id"],
        ["events", "caatsa-enacted"],
        ["events", "caatsa-first-use"],
    ]
    assert result.stderr == "matches by dataset: events 3; showing the first 2 (--limit)\n"
    table = cli(["search", "Turkey"], tty=True)
    assert table.stderr == "matches by dataset: events 1, sources 1\n2 matches\n"
    header = ["Dataset", "ID", "Date", "Record", "Matched", "in"]
    assert table.text.splitlines()[2].split() == header
    unknown = cli(["search", "x", "--dataset", "nope"])
    assert unknown.exit_code == 2 and unknown.stderr.startswith("geobal: unknown dataset 'nope'")
    assert cli(["search", "x", "--limit", "-1"]).stderr == (
        "geobal: --limit must be 0 (no limit) or more, not -1\n"
    )


def test_a_match_deep_in_a_long_text_is_shown_around_it() -> None:
    text = "a" * 100 + "S-400" + "b" * 100
    shown = excerpt(text, "s-400")
    assert len(shown) == 62 and shown.startswith("…") and shown.endswith("…")
    assert "S-400" in shown
    assert excerpt("short S-400", "s-400") == "short S-400"


def test_datasets_schema_and_sources(cli: Cli) -> None:
    assert cli(["datasets", "--fields", "name,records"]).stdout == (
        "name\trecords\nagenda\t4\nconsiderations\t4\ndeals\t15\nevents\t10\nfactors\t3\n"
        "imports\t3\nrisks\t4\nsources\t60\nspending\t7\nsuppliers\t11\ntakeaways\t5\n"
    )
    schema = json.loads(cli(["schema", "risks", "--json"]).stdout)
    assert schema[2] == {
        "name": "impact",
        "type": "level",
        "required": True,  # a boolean, not "yes"
        "title": "Impact",
        "values": ["low", "medium", "high"],
        "labels": ["low = Low", "medium = Medium (also med)", "high = High"],
        "ref": None,
        "unit": None,
        "description": 'The article\'s "Potential Impact".',
        "about": 'Impact. The article\'s "Potential Impact". Values: low = Low; medium = '
        "Medium (also med); high = High.",
    }
    # aliases are found in every format, so --sector aviation can be discovered
    assert "air = Air Systems (also aviation, aircraft)" in cli(["schema", "deals"]).stdout
    table = cli(["schema", "deals"], tty=True).text
    assert "(also aviation, aircraft)" in table and len(table.splitlines()) < 160
    assert cli(["sources", "--dataset", "risks", "--fields", "id,quality"]).stdout == (
        "id\tquality\narticle\tweak\n"
    )
    weak = cli(["sources", "--dataset", "risks", "--where", "quality=weak", "--fields", "id"])
    assert weak.stdout == "id\narticle\n"


def test_a_dataset_no_command_knows_gets_the_generic_engine(cli: Cli) -> None:
    result = cli(
        ["query", "items", "--where", "rank>=mid", "--fields", "id,rank"], data_dir=FIXTURES
    )
    assert result.stdout == "id\trank\nb\ttop\na\tmid\n"


def test_data_is_never_markup_or_terminal_control(cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "sources.toml").write_text((FIXTURES / "sources.toml").read_text())
    write_dataset(
        tmp_path,
        "evil",
        r"""
[dataset]
name = "evil"
title = "Evil [bold]data[/bold]"
key = "id"
[fields.id]
type = "text"
[fields.text]
type = "text"
[[records]]
id = "e1"
text = "[/bold] [red]x \u001b[31mred\u001b]0;title\u0007 \u202eevil"
sources = ["s1"]
""",
    )
    for width in (80, 40):
        result = cli(
            ["query", "evil", "--fields", "id,text"],
            tty=True,
            width=width,
            data_dir=tmp_path,
            env={"NO_COLOR": None},
        )
        assert result.exit_code == 0
        assert "\x1b]" not in result.stdout and "\x07" not in result.stdout
        assert "\u202e" not in result.stdout
        assert "Evil [bold]data[/bold]" in result.text
        flat = result.text.replace(" ", "").replace("\n", "")
        assert "[/bold][red]x\\x1b[31mred\\x1b]0;title\\x07\\u202eevil" in flat
    assert "\x1b" not in cli(["query", "evil", "-f", "markdown"], data_dir=tmp_path).stdout
    assert "\x1b" not in cli(["query", "evil", "-f", "csv"], tty=True, data_dir=tmp_path).stdout


def test_a_broken_dataset_does_not_break_the_others(cli: Cli, tmp_path: Path) -> None:
    for name in ("items", "sources"):
        (tmp_path / f"{name}.toml").write_text((FIXTURES / f"{name}.toml").read_text())
    broken = write_dataset(tmp_path, "broken", '[dataset]\nname = "broken"\ntitle = "x\n')
    result = cli(["query", "broken"], data_dir=tmp_path)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"geobal: {broken}:3:11: invalid TOML: Illegal character '\\n'\n"
        "fix the syntax at that position (see https://toml.io)\n"
    )
    assert cli(["query", "items", "--fields", "id"], data_dir=tmp_path).stdout == (
        "id\nb\na\nc\nd\n"
    )


def test_debug_adds_the_traceback(cli: Cli) -> None:
    result = cli(["--debug", "query", "nope"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert result.stderr.endswith(
        "geobal: unknown dataset 'nope'\navailable: agenda, "
        "considerations, deals, events, factors, imports, risks, sources, spending, suppliers, "
        "takeaways\n"
    )
    assert "Traceback" in cli(["query", "nope"], env={"GEOBAL_DEBUG": "1"}).stderr


def test_interrupt_exits_130(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from geobal import queries as query

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(query, "run", interrupted)
    assert cli(["deals"]).exit_code == 130


def test_version_and_bare_command(cli: Cli) -> None:
    from importlib.metadata import version

    assert cli(["--version"]).stdout == f"geobal {version('geobal')}\n"
    bare = cli([])
    assert bare.exit_code == 0 and "Usage: geobal [OPTIONS] COMMAND [ARGS]..." in bare.stdout


def test_fields_named_are_shown_on_a_terminal_and_in_markdown_where_they_come_from_too(
    cli: Cli,
) -> None:
    """--fields names the columns a table and Markdown show, derived ones too."""
    args = ["deals", "--fields", "id,origin", "--limit", "1", "--sort", "id"]
    table = cli(args, tty=True, width=100)
    assert table.text.split("\n")[2].split() == ["ID", "Origin"]
    markdown = cli([*args, "-f", "markdown"])
    assert markdown.stdout.splitlines()[:2] == ["| ID | Origin |", "|---|---|"]
