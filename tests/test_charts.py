"""Charts for reports and periods side by side: --format vega-lite (checked against
Vega-Lite's published schema), --output FILE.svg or .png (through the charts extra),
and --compare, on the bundled data and on imported registers."""

import gzip
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from geobal.errors import UsageError
from geobal.periods import compared
from tests.conftest import DATA, FIXTURES, run_cli
from tests.test_sipri import PER_YEAR, REGISTER, _imported

SCHEMA = FIXTURES / "vega-lite" / "vega-lite-schema-v5.23.0.json.gz"


@cache
def validator() -> Any:
    import jsonschema  # type: ignore[import-untyped]

    schema = json.loads(gzip.decompress(SCHEMA.read_bytes()))
    return jsonschema.Draft7Validator(schema)


def spec_of(args: list[str], **kwargs: Any) -> dict[str, Any]:
    """The Vega-Lite specification a command prints, checked against the schema."""
    result = run_cli([*args, "--format", "vega-lite"], **kwargs)
    assert result.exit_code == 0, result.stderr
    spec: dict[str, Any] = json.loads(result.stdout)
    errors = sorted(validator().iter_errors(spec), key=str)
    assert not errors, [e.message for e in errors[:3]]
    # the keys a top-level unit specification requires (or a layered one: bars, and words
    # where a figure is not reported), and what a report needs
    assert {"$schema", "data", "encoding"} <= set(spec) and len({"mark", "layer"} & set(spec)) == 1
    assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json"
    assert spec["title"]["text"] and spec["title"]["subtitle"]
    for channel in ("x", "y"):
        field = spec["encoding"][channel]["field"]
        assert spec["encoding"][channel]["title"]
        missing = [v for v in spec["data"]["values"] if field not in v]
        assert not missing or (channel == "y" and "layer" in spec)
    return spec


def values(spec: dict[str, Any], *keys: str) -> list[tuple[Any, ...]]:
    return [tuple(v.get(k) for k in keys) for v in spec["data"]["values"]]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _imported(
        tmp_path_factory.mktemp("charts-home"),
        (REGISTER, "sipri", "transfers"),
        (PER_YEAR, "sipri", "yearly"),
    )


# --- --compare ---------------------------------------------------------------------


def test_published_shares_side_by_side(cli: Any) -> None:
    result = cli(["suppliers", "--compare", "2014-18,2019-23"], data_dir=DATA)
    assert result.exit_code == 0
    assert result.stdout == (
        "supplier\tshare_2014_18\tshare_2019_23\tchange\trank\tsheet_2014_18\tsheet_2019_23\n"
        "russia\t58\t36\t-22\t1\t2019\t2024\n"
        # published shares not found are empty, never 0, and so is their change
        "france\t\t33\t\t2\t\t2024\n"
        "united-states\t\t13\t\t3\t\t2024\n"
    )
    table = cli(["suppliers", "--compare", "2014-18,2019-23"], data_dir=DATA, tty=True)
    lines = [line.rstrip() for line in table.text.splitlines()]
    assert "Russia  -22 points" in lines and "France  change not known" in lines
    assert "The figures come from different releases (2019, 2024), each period's latest:" in (
        table.text
    )
    one = json.loads(
        cli(
            ["suppliers", "--compare", "2016-20,2021-25", "--sheet", "2026", "--json"],
            data_dir=DATA,
        ).stdout
    )
    assert [(r["supplier"], r["share_2016_20"], r["share_2021_25"], r["change"]) for r in one] == [
        ("russia", 51, 40, -11),  # both from the 2026 release
        ("france", None, 29, None),
        ("israel", None, 15, None),
    ]


def test_register_shares_side_by_side(home: Path) -> None:
    result = run_cli(
        ["shares", "--recipient", "India", "--compare", "2014-18,2019-23", "--json"],
        home=home,
    )
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["supplier"], r["share_2014_18"], r["share_2019_23"], r["change"]) for r in rows][
        :4
    ] == [
        ("Russia", 68.99, 37.16, -31.83),
        ("France", 18.46, 31.99, 13.53),
        ("United States", 0.63, 13.38, 12.75),
        ("Israel", 6.75, 9.28, 2.53),
    ]
    # a supplier with no deliveries in a period had a share of 0 there: every delivery counts
    ukraine = next(r for r in rows if r["supplier"] == "Ukraine")
    assert (ukraine["share_2014_18"], ukraine["tiv_2014_18"]) == (0, 0)
    for label in ("2014_18", "2019_23"):
        assert sum(r[f"share_{label}"] for r in rows) == pytest.approx(100, abs=0.05)
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    assert {(r["method"], r["credit"]) for r in rows} == {
        ("estimate", "Information from the SIPRI Arms Transfers Database")
    }
    exact = run_cli(
        ["shares", "--recipient", "India", "--dataset", "yearly", "--compare", "2000-00,2001-01"],
        home=home,
    )
    assert exact.stdout.splitlines()[1].split("\t")[:5] == [
        "Russia",
        "65.96",
        "79.61",
        "13.65",
        "1",
    ]
    mirror = run_cli(
        ["shares", "--supplier-of", "France", "--compare", "2014-18,2019-23"], home=home
    )
    assert mirror.stdout.splitlines()[1].split("\t")[:4] == ["India", "100", "99.53", "-0.47"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2019-23", "--compare needs two periods or more, comma-separated"),
        ("2014-18,20199", "--compare takes FIRST-LAST as 2019-23 or 2019-2023, a single "),
        ("2019-23,2021-25", "--compare: 2019-23 and 2021-25 overlap"),
        ("2023-2019,2014-18", "--compare 2023-2019 ends before it starts"),
    ],
)
def test_compare_refuses_periods_it_cannot_set_side_by_side(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=f"^{message}"):
        compared(text)


def test_compare_names_what_it_cannot_find(home: Path) -> None:
    ignored = run_cli(["suppliers", "--compare", "2014-18,2019-23", "--limit", "1"], data_dir=DATA)
    assert ignored.exit_code == 2
    assert ignored.stderr.startswith("geobal: --compare gives a table of its own, which --limit")
    missing = run_cli(["suppliers", "--compare", "2014-17,2019-23"], data_dir=DATA)
    assert missing.exit_code == 2
    assert missing.stderr.startswith("geobal: no published shares for 2014-17: the suppliers")
    both = run_cli(
        ["shares", "--recipient", "India", "--compare", "2014-18,2019-23", "--to", "2020"],
        home=home,
    )
    assert both.stderr.startswith("geobal: --from or --to and --compare each say the years")
    beyond = run_cli(["shares", "--recipient", "India", "--compare", "2014-18,2020-24"], home=home)
    assert beyond.exit_code == 2 and "reaches beyond the years" in beyond.stderr


# --- --format vega-lite -----------------------------------------------------------------


def test_the_bundled_charts_are_valid_vega_lite() -> None:
    spec = spec_of(["suppliers"], data_dir=DATA)
    assert ("2019-23", "Russia", 36) in values(spec, "period", "supplier", "share")
    assert spec["encoding"]["color"]["sort"][0] == "Russia"  # the weightiest first
    assert spec["encoding"]["y"]["scale"] == {"domain": [0, 100]}
    assert any("SIPRI" in line for line in spec["title"]["subtitle"])
    compared = spec_of(["suppliers", "--compare", "2014-18,2019-23"], data_dir=DATA)
    assert values(compared, "supplier", "period", "share") == [
        ("Russia", "2014-18", 58),
        ("Russia", "2019-23", 36),
        ("France", "2014-18", None),
        ("France", "2019-23", 33),
        ("United States", "2014-18", None),
        ("United States", "2019-23", 13),
    ]
    balance = spec_of(["balance"], data_dir=DATA)
    assert balance["encoding"]["y2"] == {"field": "hhi_high"}
    assert all(v["hhi_low"] <= v["hhi_high"] for v in balance["data"]["values"])
    # every subtitle line fits the chart: the renderer does not wrap them
    for each in (spec, compared, balance):
        assert all(len(line) <= 90 for line in each["title"]["subtitle"])


def test_charts_of_published_shares_name_publishers_and_say_what_is_not_reported() -> None:
    for args in (["suppliers"], ["suppliers", "--compare", "2014-18,2019-23"], ["balance"]):
        spec = spec_of(args, data_dir=DATA)
        sources = " ".join(spec["title"]["subtitle"]).split("Sources: ")[1]
        # the sources' own publishers, A to Z, not geobal's ids of them
        assert "SIPRI" in sources or "Tribune India" in sources, sources
        assert "sipri-2014-03-17" not in sources and "tribune-2024-03-13" not in sources
    spec = spec_of(["suppliers"], data_dir=DATA)
    unknown = [v for v in spec["data"]["values"] if "share" not in v]
    # the United States in 2016-20: a rank found, its share not; and France in 2009-13,
    # which no source of that period names
    assert {"period": "2016-20", "supplier": "United States"} in unknown
    assert {"period": "2009-13", "supplier": "France"} in unknown
    bars, words = spec["layer"]
    assert bars["mark"]["type"] == "bar" and words["mark"]["type"] == "text"
    assert words["encoding"]["text"] == {"value": "not reported"}
    assert words["encoding"]["y"] == {"datum": 0}  # never a bar of 0
    # a range of the index is drawn from the shares found: no figure of it is missing
    assert "layer" not in spec_of(["balance"], data_dir=DATA)


def test_the_register_charts_are_valid_vega_lite(home: Path) -> None:
    one = spec_of(["shares", "--recipient", "India", "--from", "2019", "--to", "2023"], home=home)
    assert values(one, "supplier", "share")[0] == ("Russia", 37.16)
    subtitle = " ".join(one["title"]["subtitle"])
    assert "2019-23" in subtitle and "Estimated figures" in subtitle
    assert "Information from the SIPRI Arms Transfers Database" in subtitle
    # who published the register, by name: not the id geobal gave its source entry
    assert "(legacy export) (2024-10-13), published by SIPRI" in subtitle
    assert "sipri-register-" not in subtitle
    periods = spec_of(["shares", "--recipient", "India", "--periods", "2014-23"], home=home)
    assert {v["period"] for v in periods["data"]["values"]} == {"2014-18", "2019-23"}
    # a register gives every delivery: a supplier it lacks in a period delivered nothing
    # there, which its bar of none says, and no words of "not reported"
    assert "layer" not in periods and "layer" not in one
    spec_of(["shares", "--recipient", "India", "--compare", "2014-18,2019-23"], home=home)
    spec_of(["balance", "--dataset", "transfers", "--recipient", "India"], home=home)


def test_one_period_of_shares_is_a_bar_a_supplier_said_once_in_plain_words(home: Path) -> None:
    """--periods of one period names each supplier under its bar (no colours for a
    palette to run out of), is titled with the period alone, and its lines under the title
    say the method once, with no command to type and not geobal's name of the dataset."""
    for args in (
        ["--periods", "2019-23"],
        ["--from", "2019", "--to", "2023"],
        ["--compare", "2014-18,2019-23"],
        ["--periods", "2014-23"],
    ):
        spec = spec_of(["shares", "--recipient", "Pakistan", *args], home=home)
        subtitle = " ".join(spec["title"]["subtitle"])
        assert subtitle.lower().count("estimate") == 1, subtitle
        for said in ("geobal fetch", "geobal import", "--as", "'transfers'", "sipri-register"):
            assert said not in subtitle, (args, said)
    one = spec_of(["shares", "--recipient", "Pakistan", "--periods", "2019-23"], home=home)
    assert one["title"]["text"] == "Pakistan's arms imports by supplier, 2019-23"
    assert one["title"]["subtitle"] == [
        "2019-23; Data: SIPRI trade register (legacy export) (2024-10-13), published by SIPRI",
        "Estimated figures: each record's delivered TIV spread evenly over its delivery years.",
        "Information from the SIPRI Arms Transfers Database; the figures are geobal's.",
    ]
    assert one["encoding"]["x"]["field"] == "supplier" and "color" not in one["encoding"]
    names = one["encoding"]["x"]["sort"]
    assert len(names) == 14 and names[:3] == ["China", "Sweden", "Turkiye"]
    many = spec_of(["shares", "--recipient", "Pakistan", "--periods", "2014-23"], home=home)
    assert many["title"]["text"] == "Pakistan's arms imports by supplier, 2014-23 in 5-year periods"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deals", "--format", "vega-lite"], "geobal: this output is not a chart"),
        (["brief", "--format", "vega-lite"], "geobal: this output is not a chart"),
        (["suppliers", "--fields", "period", "-f", "vega-lite"], "geobal: a chart draws its"),
        (["suppliers", "-o", "x.pdf"], "geobal: --output x.pdf: geobal draws charts as .svg"),
        (["suppliers", "-o", "x.svg", "--json"], "geobal: --output draws the chart to a file"),
        (["config", "set", "format", "vega-lite"], "geobal: format must be one of table,"),
    ],
)
def test_what_is_no_chart_is_refused(args: list[str], message: str) -> None:
    result = run_cli(args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(message)


# --- --output -----------------------------------------------------------------------


def test_charts_are_drawn_to_svg_and_png(tmp_path: Path, home: Path) -> None:
    svg = tmp_path / "suppliers.svg"
    result = run_cli(["suppliers", "--compare", "2014-18,2019-23", "-o", str(svg)], data_dir=DATA)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"wrote {svg}\n")
    text = svg.read_text(encoding="utf-8")
    assert text.startswith("<svg") and "Russia" in text and "SIPRI" in text
    assert text.count(">not reported<") == 2  # France's and the United States' 2014-18
    png = tmp_path / "shares.png"
    result = run_cli(["shares", "--recipient", "India", "--output", str(png)], home=home)
    assert result.exit_code == 0, result.stderr
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert {p.name for p in tmp_path.iterdir()} == {"suppliers.svg", "shares.png"}  # no temp file


def test_without_the_extra_the_message_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "vl_convert", None)  # an import of it fails
    out = tmp_path / "chart.svg"
    result = run_cli(["suppliers", "-o", str(out)], data_dir=DATA)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "geobal: drawing a chart to .svg needs the optional extra geobal[charts] "
        "(vl-convert-python)\n"
        "from geobal's clone: uv tool install --force '.[charts]' (or pip install "
        "vl-convert-python where geobal is installed); "
        "--format vega-lite prints the chart's specification without it\n"
    )
    assert not out.exists()
    # the specification itself needs nothing
    assert run_cli(["suppliers", "-f", "vega-lite"], data_dir=DATA).exit_code == 0


# --- the brief for any country ----------------------------------------------------------


def test_a_brief_for_any_country_from_a_register(home: Path) -> None:
    result = run_cli(["brief", "--recipient", "Pakistan", "--json"], home=home)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["section"] for r in rows] == [
        "Suppliers, 2019-23",
        "Shift from 2014-18",
        "Concentration",
        "Largest deliveries, 2019-23 (TIV million)",
        "Orders still to come",
        "About these figures",
    ]
    assert all(r["sources"] == ["sipri-register-2024-10-13"] for r in rows)
    assert all(r["as_of"] == "data to 2023" for r in rows)
    text = {r["section"]: r["text"] for r in rows}
    # the brief's shares are those `shares` computes for the same years, figure for figure
    shares = json.loads(
        run_cli(
            ["shares", "--recipient", "Pakistan", "--from", "2019", "--to", "2023", "--json"],
            home=home,
        ).stdout
    )
    top = ", ".join(f"{r['supplier']} {r['share']:g}%" for r in shares[:5])
    assert text["Suppliers, 2019-23"].endswith(f": {top}, 9 others 5.84%.")
    # the three largest moves, as shares --compare gives them; a tie, by the latest share
    assert text["Shift from 2014-18"] == (
        "Russia -7.28 points (9.35% to 2.07%); Sweden +3.93 points (0% to 3.93%); "
        "Italy -3.93 points (4.73% to 0.8%)."
    )
    assert "Information from the SIPRI Arms Transfers Database" in text["About these figures"]
    assert text["About these figures"].startswith("estimate: ")


def test_the_india_brief_from_a_register_sets_sipris_published_shares_beside(home: Path) -> None:
    result = run_cli(["brief", "--recipient", "India", "--format", "markdown"], home=home)
    assert result.exit_code == 0, result.stderr
    assert "\n## Suppliers, 2019-23\n" in result.stdout
    assert (
        "- As SIPRI published them for 2019-23 (2024 release): Russia 36%, France 33%, "
        "United States 13% (geobal suppliers)." in result.stdout
    )
    assert "4 S-400 Triumf (Russia, ordered 2018, 260 TIV million)" in result.stdout


def test_a_brief_from_the_per_year_export(home: Path) -> None:
    result = run_cli(["brief", "--recipient", "India", "--dataset", "yearly"], home=home)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[1].startswith(
        "Suppliers, 2000-01\t2,156.7 TIV million delivered: Russia 73.36%, Germany 7.7%"
    )
    assert lines[3].startswith("Orders still to come\tNot in the per-year export")
    assert "covering 2000-01. They cover fewer than five years" in lines[4]
    assert lines[4].split("\t")[2:] == ["sipri-per-year-2025-02-10", "data to 2001"]


def test_a_brief_needs_a_register_and_a_recipient_in_it(home: Path) -> None:
    missing = run_cli(["brief", "--recipient", "India"])
    assert (missing.exit_code, missing.stderr) == (
        2,
        "geobal: no dataset 'transfers': import SIPRI's trade register first\n"
        "geobal import trade-register.csv --as sipri\n",
    )
    unknown = run_cli(["brief", "--recipient", "Narnia"], home=home)
    assert unknown.exit_code == 2 and unknown.stderr.startswith("geobal: unknown recipient")
    assert run_cli(["brief"], home=home).stdout.startswith("section\ttext\tsources")  # India's
    alone = run_cli(["brief", "--dataset", "yearly"], home=home)
    assert alone.exit_code == 2 and alone.stderr.startswith("geobal: --dataset and --successors go")


def test_a_chart_of_nothing_is_refused() -> None:
    result = run_cli(["suppliers", "--where", "period=2009-13", "--supplier", "france", "-f",
                      "vega-lite"], data_dir=DATA)  # fmt: skip
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("geobal: nothing to draw: no figures matched")


def test_register_sums_match_the_export_read_directly(home: Path) -> None:
    """--sum over an imported register, figure for figure against the CSV excerpt summed
    here without geobal: SIPRI's TIV of delivered weapons, by supplier, for India."""
    import csv
    from decimal import Decimal

    lines = REGISTER.read_text(encoding="latin-1").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Recipient,Supplier"))
    expected: dict[str, Decimal] = {}
    for row in csv.reader(lines[header + 1 :]):
        if len(row) == 16 and row[0] == "India" and row[15].strip():
            expected[row[1]] = expected.get(row[1], Decimal(0)) + Decimal(row[15])
    result = run_cli(
        ["query", "transfers", "--where", "recipient=India", "--count-by", "supplier",
         "--sum", "tiv_delivered", "--json"],
        home=home,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    found = {r["supplier"]: r["tiv_delivered_sum"] for r in json.loads(result.stdout)}
    assert found == {name: float(total) for name, total in expected.items()}
    assert len(found) > 10
