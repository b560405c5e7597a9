"""What the library cannot honour it refuses with a UsageError naming the parameter:
never a ValueError, TypeError or KeyError from deep inside, nor a silent answer to
another question."""

from collections.abc import Callable
from pathlib import Path

import pytest

import geobal
from geobal.api import Geobal
from geobal.errors import UsageError
from geobal.fieldtypes import DATE_EXAMPLE
from tests.conftest import SNAPSHOT, home_environ, run_cli


@pytest.fixture
def data(tmp_path: Path) -> Geobal:
    return geobal.open(bundled=SNAPSHOT, environ=home_environ(tmp_path))


ROWS = b"id,name\na,x\n"


@pytest.mark.parametrize(
    ("ask", "message"),
    [
        (
            lambda g: g.import_(ROWS, "mine", as_="nope"),
            "as_ takes one of sipri, sipri-tiv, sipri-milex; not 'nope'",
        ),
        (lambda g: g.import_(ROWS, "mine", delimiter=5), "delimiter takes one text, not 5 (int)"),
        (
            lambda g: g.import_(ROWS, "mine", format="xlsx"),
            "format takes one of json, jsonl, csv, tsv, toml; not 'xlsx'",
        ),
        (lambda g: g.import_(ROWS, 5), "into takes one text, not 5 (int)"),
        (lambda g: g.import_(ROWS, " "), "--into needs a dataset's name"),
        # an empty name or text is refused, never taken as none given or as nobody's
        (lambda g: g.shares(""), "--recipient needs a country's name"),
        (lambda g: g.shares(supplier_of="\t"), "--supplier-of needs a country's name"),
        (lambda g: g.brief(""), "--recipient needs a country's name"),
        (lambda g: g.balance("", dataset="transfers"), "--recipient needs a country's name"),
        (lambda g: g.pipeline(""), "--recipient needs a country's name"),
        (lambda g: g.query("deals", count_by=""), "--count-by needs a field to count by"),
        (lambda g: g.query("deals", search=" "), "--search needs some text to look for"),
        (lambda g: g.sources(search=""), "--search needs some text to look for"),
        (lambda g: g.timeline(count_by=""), "--count-by needs a field to count by"),
        (lambda g: g.suppliers(count_by=""), "--count-by needs a field to count by"),
        # a year, a step and a date said as the option a user gives them by
        (lambda g: g.shares("India", start=-1, end=2023), "--from -1 is not a year"),
        (lambda g: g.balance("India", dataset="transfers", end=99999), "--to 99999 is not a year"),
        (lambda g: g.timeline(since="2019-13"), f"--since takes {DATE_EXAMPLE}, not '2019-13': "
                                                 "there is no month 13"),
    ],
)  # fmt: skip
def test_what_the_library_cannot_honour_is_refused(data: Geobal, ask: object, message: str) -> None:
    assert callable(ask)
    with pytest.raises(UsageError) as raised:
        ask(data)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ("sector", "filters takes a list of (field, operator, values) filters, not 'sector' (str)"),
        (["sector"], "filters takes (field, operator, values) filters; one of them is 'sector'"),
        ([("sector", "=")], "filters: ('sector', '=') is not a (field, operator, values) filter"),
        ([("sector", "~~", ["air"])], "filters: unknown operator '~~' in ('sector', '~~'"),
        ([("sector", "=", [])], "filters: ('sector', '=', []) gives no values, and would match"),
        ([("sector", "=", [1])], "filters' values takes texts; one of them is 1 (int)"),
        ([(1, "=", "air")], "filters' field takes a name as text, not 1 (int)"),
    ],
)  # fmt: skip
def test_filters_not_the_query_reads_are_refused(
    data: Geobal, filters: object, message: str
) -> None:
    asks: list[Callable[[], object]] = [
        lambda: data.query("deals", filters=filters),  # type: ignore[arg-type]
        lambda: data.sources(filters=filters),
        lambda: data.timeline(filters=filters),
    ]
    for ask in asks:
        with pytest.raises(UsageError) as raised:
            ask()
        assert str(raised.value).startswith(message), str(raised.value)


def test_filters_the_query_reads_filter(data: Geobal) -> None:
    air = data.query("deals", "sector=air").to_records()
    assert len(air) > 1
    assert data.query("deals", filters=[("sector", "=", ["air"])]).to_records() == air
    assert data.query("deals", filters=[("sector", "=", "air")]).to_records() == air
    everything = data.query("deals").to_records()
    assert data.query("deals", filters=[("sector", "=", None)]).to_records() == everything


COUNTRY = "a country's name"
BLANK = [
    (["shares", "--recipient", ""], "--recipient needs a country's name"),
    (["shares", "--supplier-of", " "], "--supplier-of needs a country's name"),
    (["brief", "--recipient", ""], "--recipient needs a country's name"),
    (["balance", "--dataset", "transfers", "--recipient", ""], f"--recipient needs {COUNTRY}"),
    (["pipeline", "--recipient", ""], "--recipient needs a country's name"),
    (["deals", "--count-by", ""], "--count-by needs a field to count by"),
    (["query", "deals", "--count-by", " "], "--count-by needs a field to count by"),
    (["deals", "--search", ""], "--search needs some text to look for"),
    (["search", ""], "search needs some text to look for"),
    (["import", "-", "--into", ""], "--into needs a dataset's name"),
]  # fmt: skip


@pytest.mark.parametrize(("argv", "message"), BLANK)
def test_an_empty_name_or_text_is_refused_not_ignored(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    done = run_cli(argv, home=tmp_path)
    assert (done.exit_code, done.stdout, done.stderr) == (2, "", f"geobal: {message}\n")


YEAR_HINT = "give a year of four digits: 2019"


@pytest.mark.parametrize(
    ("argv", "stderr"),
    [
        (["shares", "--recipient", "India", "--periods", "2009-23", "--step", "16"],
         "geobal: --step 16 is longer than the period 2009-23 (15 years)\n"
         "give --step 15 or less, or a longer period\n"),
        (["shares", "--recipient", "India", "--from", "-1", "--to", "2023"],
         f"geobal: --from -1 is not a year\n{YEAR_HINT}\n"),
        (["balance", "--dataset", "transfers", "--recipient", "India", "--to", "20230"],
         f"geobal: --to 20230 is not a year\n{YEAR_HINT}\n"),
        (["timeline", "--since", "2019-13"],
         "geobal: --since takes a date such as 2018-10-05, 2018-10 or 2018, not '2019-13': "
         "there is no month 13\n"),
        (["timeline", "--until", "soon"],
         "geobal: --until takes a date such as 2018-10-05, 2018-10 or 2018, not 'soon'\n"),
    ],
)  # fmt: skip
def test_years_steps_and_dates_are_said_as_the_option_given(
    tmp_path: Path, argv: list[str], stderr: str
) -> None:
    from tests.test_sipri import REGISTER, _imported

    home = _imported(tmp_path, (REGISTER, "sipri", "transfers"))
    done = run_cli(argv, home=home)
    assert (done.exit_code, done.stdout, done.stderr) == (2, "", stderr)


@pytest.mark.parametrize("argv", [["suppliers", "--sheet", "0"], ["balance", "--sheet", "1800"]])
def test_a_sheet_no_release_gave_is_refused_with_the_releases_there_are(
    data: Geobal, tmp_path: Path, argv: list[str]
) -> None:
    there = sorted({int(str(r["sheet"])) for r in data.query("suppliers").to_records()})
    assert len(there) > 1
    sheet = argv[-1]
    done = run_cli(argv, home=tmp_path)
    assert (done.exit_code, done.stdout) == (2, "")
    assert done.stderr == (
        f"geobal: --sheet {sheet}: suppliers holds no figures from SIPRI's {sheet} release\n"
        f"the releases there are: {', '.join(map(str, there))}\n"
    )
    for ask in (data.suppliers, data.balance):
        with pytest.raises(UsageError, match=f"^--sheet {sheet}: suppliers holds no figures"):
            ask(sheet=int(sheet))
    assert data.suppliers(sheet=there[-1]).to_records()  # a release there answers
