"""The analyses from Python: each Geobal method answers what its command prints with
--json, row for row (India's published column included), with its provenance; the
module's functions open the data as the CLI finds them."""

import json
from pathlib import Path
from typing import Any

import pytest

import geobal
from geobal.errors import UsageError
from geobal.frames import metadata
from tests.conftest import DATA, home_environ, run_cli
from tests.test_sipri import CREDIT, PER_YEAR, REGISTER, VOLUMES, _imported


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _imported(
        tmp_path_factory.mktemp("api-home"),
        (REGISTER, "sipri", "transfers"),
        (PER_YEAR, "sipri", "yearly"),
        (VOLUMES, "sipri-tiv", "tiv"),
    )


@pytest.fixture(scope="module")
def gb(home: Path) -> geobal.Geobal:
    return geobal.open(bundled=DATA, environ=home_environ(home))


def printed(home: Path, *args: str) -> list[dict[str, Any]]:
    result = run_cli([*args, "--json"], home=home, data_dir=DATA)
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    assert rows  # an empty answer on both sides would prove nothing
    return rows


def test_shares_for_india_equal_the_commands_json_published_column_included(
    gb: geobal.Geobal, home: Path
) -> None:
    found = gb.shares(recipient="India", period="2019-23")
    rows = found.to_records()
    assert rows == printed(home, "shares", "--recipient", "India", "--from", "2019", "--to", "2023")
    assert any(r["published"] is not None for r in rows)  # SIPRI's own share beside
    assert found.provenance.exact is False  # the legacy register: an estimate
    assert found.provenance.covers == (1950, 2023)
    assert found.provenance.credit == CREDIT
    assert found.provenance.sources and not found.provenance.partial
    assert found.notes[0].startswith("estimate: ")
    # a data frame's metadata says each note once, the estimate's too
    notes = json.loads(metadata(found)["geobal.notes"])
    assert notes == [found.provenance.notes[0], f"source: {', '.join(found.provenance.sources)}"]
    assert notes[0].startswith("estimate: ")


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ({"supplier_of": "France"}, ["--supplier-of", "France"]),
        (
            {"recipient": "India", "periods": "2014-23"},
            ["--recipient", "India", "--periods", "2014-23"],
        ),
        (
            {"recipient": "India", "compare": "2014-18,2019-23"},
            ["--recipient", "India", "--compare", "2014-18,2019-23"],
        ),
        ({"recipient": "India", "check": True}, ["--recipient", "India", "--check"]),
        (
            {"recipient": "India", "dataset": "yearly", "period": "2000-01"},
            ["--recipient", "India", "--dataset", "yearly", "--period", "2000-01"],
        ),
    ],
)
def test_every_shape_of_shares_equals_the_commands_json(
    gb: geobal.Geobal, home: Path, call: dict[str, Any], args: list[str]
) -> None:
    assert gb.shares(**call).to_records() == printed(home, "shares", *args)


def test_a_partial_period_says_so_in_the_provenance(gb: geobal.Geobal) -> None:
    found = gb.shares(recipient="India", period=geobal.Period(2021, 2025), partial=True)
    assert found.provenance.partial
    assert {r["covered"] for r in found.to_records()} == {"2021-23"}


def test_pipeline_factsheet_suppliers_balance_and_brief_equal_their_commands_json(
    gb: geobal.Geobal, home: Path
) -> None:
    assert gb.pipeline("India").to_records() == printed(home, "pipeline", "--recipient", "India")
    assert gb.pipeline("India", orders=True).to_records() == printed(
        home, "pipeline", "--recipient", "India", "--orders"
    )
    sheet = gb.factsheet(period="2019-23", importers=True)
    assert sheet.to_records() == printed(home, "factsheet", "--period", "2019-23", "--importers")
    assert sheet.provenance.credit == CREDIT
    assert gb.suppliers().to_records() == printed(home, "suppliers")
    assert gb.suppliers(period="2019-23").to_records() == printed(
        home, "suppliers", "--period", "2019-23"
    )
    assert gb.suppliers(compare="2014-18,2019-23").to_records() == printed(
        home, "suppliers", "--compare", "2014-18,2019-23"
    )
    assert gb.balance().to_records() == printed(home, "balance")
    assert gb.balance("Pakistan", dataset="transfers").to_records() == printed(
        home, "balance", "--dataset", "transfers", "--recipient", "Pakistan"
    )
    assert gb.brief().to_records() == printed(home, "brief")
    india = gb.brief("India")
    assert india.to_records() == printed(home, "brief", "--recipient", "India")
    assert india.provenance.exact is False and india.provenance.credit == CREDIT
    assert gb.timeline(since="2024", kind=["sanction"]).to_records() == printed(
        home, "timeline", "--since", "2024", "--kind", "sanction"
    )


def test_the_package_functions_open_the_data_as_the_cli_finds_it(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in home_environ(home).items():
        monkeypatch.setenv(name, value)
    rows = geobal.shares(recipient="India", period="2019-2023").to_records()
    assert [r["period"] for r in rows] == ["2019-23"] * len(rows)
    assert geobal.pipeline("India").to_records()
    with pytest.raises(UsageError, match=r"^--period takes FIRST-LAST"):
        geobal.factsheet(period="2019/23")


def test_a_fact_sheet_for_several_periods_is_a_table_each_the_period_first(
    gb: geobal.Geobal, home: Path
) -> None:
    found = gb.factsheet(period="2014-18,2019-23", importers=True, top=2)
    assert [r["period"] for r in found.to_records()] == ["2014-18"] * 2 + ["2019-23"] * 2
    assert found.frame.table_columns[0] == "period"
    assert found.to_records() == printed(
        home, "factsheet", "--period", "2014-18,2019-23", "--importers", "--top", "2"
    )


def test_a_fact_sheet_is_exact_only_where_every_figure_is(gb: geobal.Geobal) -> None:
    """The importers' totals are the volume table's, exact; their partners' shares come
    from the register, an estimate from the legacy one."""
    legacy = gb.factsheet(period="2019-23", importers=True)
    assert any(r.get("partner_1_share") is not None for r in legacy.to_records())
    assert legacy.provenance.exact is False
    assert gb.factsheet(period="2019-23", importers=True, dataset="yearly").provenance.exact
    assert gb.factsheet(period="2019-23", exporters=True).provenance.exact is False


def test_the_module_functions_show_the_methods_parameters_and_words() -> None:
    import inspect

    query = inspect.signature(geobal.query).parameters
    assert list(query)[:2] == ["dataset", "where"]
    assert {"sort", "fields", "limit", "count_by", "search"} <= set(query)
    assert "self" not in query and "options" not in query
    for name in ("datasets", "describe", "show", "search", "sources", "shares", "pipeline",
                 "factsheet", "suppliers", "balance", "timeline", "brief"):  # fmt: skip
        function, method = getattr(geobal, name), getattr(geobal.Geobal, name)
        assert function.__name__ == name
        shown = list(inspect.signature(method).parameters.values())[1:]
        assert list(inspect.signature(function).parameters.values()) == shown, name
        assert inspect.cleandoc(method.__doc__) in function.__doc__, name
    assert "where" in pydoc_text(geobal.query) and "count_by" in pydoc_text(geobal.query)


def pydoc_text(thing: object) -> str:
    import pydoc

    return pydoc.render_doc(thing, renderer=pydoc.plaintext)  # type: ignore[attr-defined]


def test_an_analysis_takes_its_country_alone_by_position(gb: geobal.Geobal) -> None:
    """The country is the one positional argument; periods and the rest are named, so
    that shares("India") and suppliers(period=...) read alike."""
    import inspect

    for name in ("shares", "pipeline", "balance", "brief", "suppliers", "factsheet", "timeline"):
        params = list(inspect.signature(getattr(geobal.Geobal, name)).parameters.values())[1:]
        positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
        assert positional == (["recipient"] if "recipient" in positional else []), name
    with pytest.raises(TypeError):
        gb.suppliers("2019-23")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        gb.shares("India", "France")  # type: ignore[misc,unused-ignore]


JSON_TYPES = {
    "boolean": (bool,),
    "integer": (int,),
    "number": (int, float),
    "list": (list,),
    "text": (str,),
    "choice": (str,),
    "level": (str,),
    "date": (str,),
    "url": (str,),
}


def json_types_hold(result: geobal.Result, printed_rows: list[dict[str, Any]]) -> None:
    """Each value in JSON as its column's kind says: a boolean true or false, a number
    a number, a list's items as its items are; never "yes", "" or "2024" for them."""
    kinds = {f.name: f for f in result.columns}
    assert printed_rows
    for row in printed_rows:
        for name, value in row.items():
            if value is None or name not in kinds:
                continue
            field = kinds[name]
            wanted = JSON_TYPES[field.type.name]
            assert isinstance(value, wanted) and not (
                bool not in wanted and isinstance(value, bool)
            ), (name, value)
            if field.type.name == "list" and field.items is not None:
                assert isinstance(value, list), name
                assert all(isinstance(v, JSON_TYPES[field.items.name]) for v in value), name
            if field.type.name != "boolean":
                assert value not in ("yes", "no", "true", "false"), (name, value)


# each command line beside the library's question that answers it
ASKED: list[tuple[list[str], Any]] = [
    (["balance"], lambda gb: gb.balance()),
    (
        ["balance", "--dataset", "transfers", "--recipient", "Pakistan"],
        lambda gb: gb.balance("Pakistan", dataset="transfers"),
    ),
    (
        ["shares", "--recipient", "India", "--compare", "2014-18,2019-23"],
        lambda gb: gb.shares("India", compare="2014-18,2019-23"),
    ),
    (
        ["shares", "--recipient", "India", "--compare", "2014-18,2021-25", "--partial"],
        lambda gb: gb.shares("India", compare="2014-18,2021-25", partial=True),
    ),
    (
        ["shares", "--recipient", "India", "--periods", "2014-23"],
        lambda gb: gb.shares("India", periods="2014-23"),
    ),
    (["shares", "--recipient", "India"], lambda gb: gb.shares("India")),
    (["suppliers"], lambda gb: gb.suppliers()),
    (
        ["suppliers", "--compare", "2014-18,2019-23"],
        lambda gb: gb.suppliers(compare="2014-18,2019-23"),
    ),
    (["factsheet", "--period", "2019-23"], lambda gb: gb.factsheet(period="2019-23")),
    (
        ["pipeline", "--recipient", "India", "--orders"],
        lambda gb: gb.pipeline("India", orders=True),
    ),
    (["brief", "--recipient", "India"], lambda gb: gb.brief("India")),
    (["brief"], lambda gb: gb.brief()),
    (["deals"], lambda gb: gb.query("deals")),
    (["timeline"], lambda gb: gb.timeline()),
    (["datasets"], lambda gb: gb.datasets()),
    (["schema", "deals"], lambda gb: gb.describe("deals")),
    (["search", "S-400"], lambda gb: gb.search("S-400")),
    (["sources"], lambda gb: gb.sources()),
    (["paths"], lambda gb: gb.locations()),
]


@pytest.mark.parametrize(("args", "ask"), ASKED, ids=[" ".join(a) for a, _ in ASKED])
def test_every_json_value_is_of_its_columns_type(
    gb: geobal.Geobal, home: Path, args: list[str], ask: Any
) -> None:
    rows = printed(home, *args)
    found = ask(gb)
    assert found.to_records() == rows
    json_types_hold(found, rows)


def test_a_comparison_says_partial_as_a_boolean_as_one_period_does(home: Path) -> None:
    both = printed(home, "shares", "--recipient", "India", "--compare", "2014-18,2019-23")
    one = printed(home, "shares", "--recipient", "India", "--period", "2019-23")
    assert {r["partial"] for r in both} == {r["partial"] for r in one} == {False}
    cut = printed(
        home, "shares", "--recipient", "India", "--compare", "2014-18,2021-25", "--partial"
    )
    assert {r["partial"] for r in cut} == {True}


def test_balance_on_a_register_names_its_sources_and_gives_absent_suppliers_0(
    gb: geobal.Geobal,
) -> None:
    """`sheets` are SIPRI's releases (years) and only that; a register's balance names
    the sources it cites as `sources`. In a period whose shares are all known, a supplier
    that delivered nothing has share 0, as `shares --compare` says; where some are not
    known (SIPRI's published shares), an absent supplier's share is unknown."""
    registered = gb.balance("India", dataset="transfers", period="2009-13,2014-18").to_records()
    compared = gb.shares(recipient="India", compare="2009-13,2014-18").to_records()
    netherlands = next(r for r in compared if r["supplier"] == "Netherlands")
    assert [r["share_netherlands"] for r in registered] == [
        netherlands["share_2009_13"],
        netherlands["share_2014_18"],
    ]
    assert registered[0]["share_netherlands"] == 0 and registered[0]["known"] == 100
    sources = gb.shares(recipient="India").provenance.sources
    assert all(r["sources"] == list(sources) and "sheets" not in r for r in registered)
    published = gb.balance().to_records()
    assert all("sources" not in r and isinstance(r["sheets"], list) for r in published)
    first = published[0]
    assert first["known"] != 100 and first["share_france"] is None
    releases = [r["sheets"] for r in published]
    assert all(isinstance(ys, list) and all(isinstance(y, int) for y in ys) for ys in releases)


def test_a_refusal_names_the_commands_options(gb: geobal.Geobal, home: Path) -> None:
    """As the README says: a question the data cannot answer as asked is refused with
    the command's own message, options named as the command line names them."""
    with pytest.raises(UsageError) as refused:
        gb.shares("India", supplier_of="France")
    said = run_cli(
        ["shares", "--recipient", "India", "--supplier-of", "France"], home=home, data_dir=DATA
    )
    assert (said.exit_code, said.stderr) == (2, f"geobal: {refused.value}\n")
    assert "--supplier-of NAME" in str(refused.value)
    with pytest.raises(UsageError) as beyond:
        gb.shares("India", start=2021, end=2025)
    assert "--partial" in str(beyond.value.hint)
