"""The library refuses what a script passes wrongly with a UsageError naming the
parameter, never a traceback or a silent wrong answer; one text given where a list is
taken is that one item, never its letters."""

from pathlib import Path

import pytest

import geobal
from geobal.api import Geobal
from geobal.errors import UsageError
from geobal.periods import Period
from geobal.views import Document
from tests.conftest import SNAPSHOT, home_environ, run_cli


@pytest.fixture
def data(tmp_path: Path) -> Geobal:
    return geobal.open(bundled=SNAPSHOT, environ=home_environ(tmp_path))


def _ids(result: geobal.api.Result) -> list[object]:
    return [r["id"] for r in result.to_records()]


def test_one_text_where_a_list_is_taken_is_that_one_item(data: Geobal) -> None:
    assert _ids(data.query("deals", sort="-year")) == _ids(data.query("deals", sort=["-year"]))
    assert data.sources("risks").to_records() == data.sources(["risks"]).to_records()
    assert data.timeline(actor="India").to_records() == data.timeline(actor=["India"]).to_records()
    kind = str(data.query("events", fields="kind", limit=1).to_records()[0]["kind"])
    assert data.timeline(kind=kind).to_records() == data.timeline(kind=[kind]).to_records()
    exported = data.export("deals", "json").view
    assert isinstance(exported, Document)
    assert "".join(exported.chunks).count('"id":') == 15
    data.new("mine", "name:text")
    assert "name" in [f.name for f in data.dataset("mine").fields]
    with pytest.raises(UsageError, match="sources: missing required field"):
        data.add("mine", "id=a")  # one value, not the letters i, d, =, a
    data.add("mine", ["id=a", "sources=article"])
    data.set("mine", "a", "name=x")
    assert data.query("mine", fields="name").to_records() == [{"name": "x"}]
    with pytest.raises(UsageError, match=r"no-such-file\.toml: no such file"):
        data.validate("no-such-file.toml")
    mine = data.catalog.user
    assert mine is not None
    assert data.validate(str(mine / "mine.toml")).notes[-1] == "1 file checked: no problems"


@pytest.mark.parametrize(
    ("ask", "message"),
    [
        (lambda g: g.query("deals", limit="2"), "limit takes a whole number, not '2' (str)"),
        (lambda g: g.query("deals", limit=True), "limit takes a whole number, not True (bool)"),
        (lambda g: g.query("deals", limit=-1), "--limit must be 0 (no limit) or more, not -1"),
        (lambda g: g.query("deals", count_by=["status"]), "count_by takes one text, not"),
        (lambda g: g.query("deals", search=3), "search takes one text, not 3 (int)"),
        (lambda g: g.query("deals", desc="yes"), "desc takes True or False, not 'yes'"),
        (lambda g: g.query("deals", sort=[1]), "sort takes texts; one of them is 1 (int)"),
        (lambda g: g.query("deals", where=5), "where takes text or a list of texts, not 5"),
        (lambda g: g.query("deals", fields=[1]), "fields takes texts; one of them is 1"),
        (lambda g: g.search("russia", limit=True), "limit takes a whole number, not True"),
        (lambda g: g.export(["deals"], "xml"), "format takes one of json, jsonl, csv, tsv"),
        (lambda g: g.import_(b"id\na\n", "x", mapping=["a"]), "mapping takes a mapping of"),
        (lambda g: g.import_(b"id\na\n", "x", mapping={"a": 1}), "mapping maps text to text"),
        (lambda g: g.factsheet(top="3"), "top takes a whole number, not '3' (str)"),
        (lambda g: g.suppliers(sheet=True), "sheet takes a whole number, not True"),
        (lambda g: g.balance(start=2009.0), "start takes a whole number, not 2009.0"),
        (lambda g: g.shares("India", step="5"), "step takes a whole number, not '5'"),
        (lambda g: g.timeline(since=2018), "since takes one text, not 2018 (int)"),
        (lambda g: g.validate([1]), "paths takes texts; one of them is 1 (int)"),
        (lambda g: g.query(5), "dataset takes a name as text, not 5 (int)"),
        (lambda g: g.describe("deals", ["year"]), "field takes one text, not ['year'] (list)"),
        (lambda g: g.show("deals", 5), "record_id takes a name as text, not 5 (int)"),
        (lambda g: g.import_(123, "x"), "file takes a file's path (str or pathlib.Path), not 123"),
        (lambda g: g.export("deals", "csv", 123), "output takes a file's path (str or pathlib."),
        (lambda g: g.pipeline(["India"]), "recipient takes a name as text, not ['India']"),
        (lambda g: g.brief(["India"]), "recipient takes one text, not ['India'] (list)"),
        (lambda g: g.shares("India", chart="no"), "chart takes True or False, not 'no' (str)"),
        (lambda g: g.factsheet(importers=1), "importers takes True or False, not 1 (int)"),
    ],
)  # fmt: skip
def test_a_wrong_type_is_refused_naming_the_parameter(
    data: Geobal, ask: object, message: str
) -> None:
    assert callable(ask)
    with pytest.raises(UsageError) as raised:
        ask(data)
    assert str(raised.value).startswith(message), str(raised.value)


@pytest.mark.parametrize("period", [2019.5, [], (), "2019 to 2023", [2019], Period(2023, 2019)])
def test_a_period_not_geobal_reads_is_refused_by_every_analysis(
    data: Geobal, period: object
) -> None:
    for ask in (data.suppliers, data.factsheet, data.balance):
        with pytest.raises(UsageError, match="--period"):
            ask(period=period)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="--compare"):
        data.suppliers(compare=period)  # type: ignore[arg-type]


def test_periods_as_text_and_as_period_values_agree(data: Geobal) -> None:
    typed = data.suppliers(period="2014-18,2019-23").to_records()
    assert data.suppliers(period=[Period(2014, 2018), "2019-23"]).to_records() == typed
    assert data.suppliers(period=(Period(2019, 2023), Period(2014, 2018))).to_records() == typed


def test_balance_refuses_what_it_would_ignore(tmp_path: Path) -> None:
    with_register = run_cli(
        ["balance", "--dataset", "transfers", "--recipient", "India", "--sheet", "2024"],
        home=tmp_path,
    )
    assert (with_register.exit_code, with_register.stdout) == (2, "")
    assert with_register.stderr == (
        "geobal: --sheet picks a release of the shares SIPRI published (the bundled data), "
        "not of an imported register\nleave out --sheet, or --dataset and --recipient\n"
    )
    bundled = run_cli(["balance", "--partial", "--successors"], home=tmp_path)
    assert (bundled.exit_code, bundled.stdout) == (2, "")
    assert bundled.stderr.startswith(
        "geobal: --successors, --partial go with --dataset (an imported trade register)\n"
    )
    inverted = run_cli(["balance", "--from", "2020", "--to", "2010"], home=tmp_path)
    assert inverted.exit_code == 2
    assert inverted.stderr.startswith("geobal: --from and --to go with --dataset")


@pytest.mark.parametrize("fmt", ["csv", "json", "toml", "sqlite"])
def test_export_refuses_a_file_there_unless_forced_in_every_format(
    data: Geobal, tmp_path: Path, fmt: str
) -> None:
    there = tmp_path / f"notes.{'db' if fmt == 'sqlite' else fmt}"
    there.write_text("mine\n", encoding="utf-8")
    with pytest.raises(UsageError) as raised:
        data.export(["deals"], fmt, there)
    made = " and is not a database geobal wrote" if fmt == "sqlite" else ""
    assert (raised.value.message, raised.value.hint) == (
        f"{there} exists{made}: export does not write over it",
        "write to another name, or pass --force to replace it",
    )
    assert there.read_text() == "mine\n"
    data.export(["deals"], fmt, there, force=True)
    assert there.read_bytes() != b"mine\n"


def test_the_cli_export_refuses_a_text_file_there_as_sqlite_does(tmp_path: Path) -> None:
    out = tmp_path / "deals.csv"
    out.write_text("keep me\n", encoding="utf-8")
    refused = run_cli(["export", "deals", "-o", str(out)], home=tmp_path)
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr == (
        f"geobal: {out} exists: export does not write over it\n"
        "write to another name, or pass --force to replace it\n"
    )
    assert out.read_text() == "keep me\n"
    forced = run_cli(["export", "deals", "-o", str(out), "--force"], home=tmp_path)
    assert forced.exit_code == 0, forced.stderr
    assert out.read_text().startswith("id,")
    piped = run_cli(["export", "deals", "--format", "csv", "--force"], home=tmp_path)
    assert (piped.exit_code, piped.stderr) == (
        2,
        "geobal: --force replaces a file there: standard output has none\nleave it out\n",
    )


@pytest.mark.parametrize("typed", ["2019-23", "2019-2023", "2019\u201323", "2019\u20132023"])
def test_where_reads_a_period_as_the_period_option_does(data: Geobal, typed: str) -> None:
    by_option = data.suppliers(period=typed).to_records()
    assert len(by_option) > 1
    assert data.suppliers(where=[f"period={typed}"]).to_records() == by_option
    assert (
        data.query("suppliers", f"period={typed}").to_records()
        == data.query("suppliers", "period=2019-23").to_records()
    )


def test_a_dash_as_typeset_reads_as_the_hyphen_in_every_period(tmp_path: Path) -> None:
    option = run_cli(["suppliers", "--period", "2019\u201323", "--json"], home=tmp_path)
    where = run_cli(["suppliers", "--where", "period=2019\u20132023", "--json"], home=tmp_path)
    plain = run_cli(["suppliers", "--period", "2019-23", "--json"], home=tmp_path)
    assert option.exit_code == where.exit_code == 0, option.stderr + where.stderr
    assert option.stdout == where.stdout == plain.stdout
    assert '"period": "2019-23"' in plain.stdout


def test_years_that_run_backwards_are_said_as_given_or_as_their_default(tmp_path: Path) -> None:
    from tests.test_sipri import REGISTER, _imported

    home = _imported(tmp_path, (REGISTER, "sipri", "transfers"))
    data = geobal.open(bundled=SNAPSHOT, environ=home_environ(home))
    with pytest.raises(UsageError, match=r"^--from 2090 is after the last year the data cover, "):
        data.balance("India", dataset="transfers", start=2090)
    with pytest.raises(UsageError, match=r"^--from 2090 is after the last year the data cover, "):
        data.shares("India", start=2090)
    with pytest.raises(UsageError, match=r"^--from 2020 is after --to 2010$"):
        data.balance("India", dataset="transfers", start=2020, end=2010)
    done = run_cli(
        ["balance", "--dataset", "transfers", "--recipient", "India", "--to", "1900"], home=home
    )
    assert (done.exit_code, done.stdout) == (2, "")
    assert done.stderr == (
        "geobal: the first year by default, 2009, is after --to 1900\n"
        "give --from a year before --to\n"
    )
