"""The same period strings for every command that takes a period: each form a user types
is read by the one parser (geobal.periods), and what a command cannot do with one is
said, never a parse error for one form where another command takes it."""

import json
from pathlib import Path

import pytest

from geobal.periods import FORMS, parse_list
from tests.conftest import DATA, run_cli
from tests.test_sipri import PER_YEAR, REGISTER, VOLUMES, _imported

# every form: SIPRI's, in full, a single year, a list
FORMS_TYPED = ("2019-23", "2019-2023", "2021", "2014-18,2019-23")
SINGLE = FORMS_TYPED[:3]

# every command and option that takes a period, with what it answers for each form
# where it is not rows: periods side by side need two, and SIPRI published shares for
# five-year periods only
OPTIONS: list[tuple[list[str], str, dict[str, str]]] = [
    (["shares", "--recipient", "India"], "--period", {}),
    (["shares", "--recipient", "India"], "--periods", {}),
    (
        ["shares", "--recipient", "India"],
        "--compare",
        dict.fromkeys(SINGLE, "geobal: --compare needs two periods or more"),
    ),
    (["factsheet"], "--period", {}),
    (["suppliers"], "--period", {"2021": "geobal: no published shares for 2021"}),
    (["suppliers"], "--compare", dict.fromkeys(SINGLE, "geobal: --compare needs two periods")),
    (["balance"], "--period", {"2021": "geobal: no five-year period SIPRI published shares"}),
    (
        ["balance", "--dataset", "transfers", "--recipient", "India"],
        "--period",
        {"2021": "geobal: 2021 is shorter than a five-year period"},
    ),
]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _imported(
        tmp_path_factory.mktemp("periods-home"),
        (REGISTER, "sipri", "transfers"),
        (PER_YEAR, "sipri", "yearly"),
        (VOLUMES, "sipri-tiv", "tiv"),
    )


@pytest.mark.parametrize("typed", FORMS_TYPED)
@pytest.mark.parametrize(("command", "option", "refused"), OPTIONS)
def test_every_form_to_every_command_that_takes_a_period(
    home: Path, command: list[str], option: str, refused: dict[str, str], typed: str
) -> None:
    result = run_cli([*command, option, typed, "--json"], home=home, data_dir=DATA)
    if typed in refused:
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.startswith(refused[typed])
        return
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows
    # one label in every output, SIPRI's: the periods' own, or their shares' columns
    asked = [p.label for p in parse_list(typed)]
    labels = {r["period"] for r in rows if "period" in r}
    columns = {k[6:].replace("_", "-") for k in rows[0] if k.startswith("share_2")}
    assert (labels or columns) == set(asked)


@pytest.mark.parametrize("typed", ["2019-2", "19-23", "2019/23", "2019-23,"])
@pytest.mark.parametrize(("command", "option", "refused"), OPTIONS)
def test_a_bad_period_says_the_forms_it_takes(
    home: Path, command: list[str], option: str, refused: dict[str, str], typed: str
) -> None:
    result = run_cli([*command, option, typed], home=home, data_dir=DATA)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"geobal: {option} takes {FORMS}; not ")


def test_both_spellings_give_the_same_rows(home: Path) -> None:
    for command, option, _ in OPTIONS:
        if option == "--compare":
            typed = ("2014-18,2019-23", "2014-2018,2019-2023")
        else:
            typed = ("2019-23", "2019-2023")
        outputs = {
            run_cli([*command, option, t, "--json"], home=home, data_dir=DATA).stdout for t in typed
        }
        assert len(outputs) == 1, (command, option)


def test_period_and_from_to_are_refused_together(home: Path) -> None:
    result = run_cli(
        ["shares", "--recipient", "India", "--period", "2019-23", "--from", "2019"], home=home
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(
        "geobal: --period and --from or --to each say the years: give one of them"
    )


def test_a_list_in_period_sets_the_periods_side_by_side(home: Path) -> None:
    def rows(option: str) -> list[object]:
        args = ["shares", "--recipient", "India", option, "2014-18,2019-23", "--json"]
        result = run_cli(args, home=home)
        assert result.exit_code == 0, result.stderr
        found: list[object] = json.loads(result.stdout)
        return found

    assert rows("--period") == rows("--compare")


def test_balance_takes_the_five_year_periods_within_a_period_or_those_listed(home: Path) -> None:
    def periods(*args: str) -> list[str]:
        result = run_cli(["balance", *args, "--json"], home=home, data_dir=DATA)
        assert result.exit_code == 0, result.stderr
        return [r["period"] for r in json.loads(result.stdout)]

    assert periods("--period", "2017-2023") == ["2017-21", "2018-22", "2019-23"]
    register = ["--dataset", "transfers", "--recipient", "India"]
    assert periods(*register, "--period", "2017-2023") == ["2017-21", "2018-22", "2019-23"]
    assert periods(*register, "--period", "2017-2023") == periods(
        *register, "--from", "2017", "--to", "2023"
    )
    assert periods(*register, "--period", "2009-13,2019-23") == ["2009-13", "2019-23"]
    refused = run_cli(["balance", "--from", "2015"], home=home, data_dir=DATA)
    assert (refused.exit_code, refused.stdout) == (2, "")
    assert refused.stderr.startswith("geobal: --from and --to go with --dataset")
