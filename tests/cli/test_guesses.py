"""Common guesses of a newcomer (issue 22): each works, or the error points the way to
what does; the library called directly, and the CLI with exact stderr and exit codes."""

import io
import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import geobal
from geobal.catalog import Catalog
from geobal.cli import app
from geobal.env import Env
from geobal.errors import UsageError
from geobal.guesses import meant, nothing, redirected, time_field, value_of
from geobal.names import nearest
from geobal.periods import Period, fitted, shifted, steps
from tests.conftest import BASE_ENV, SNAPSHOT, Run, home_environ, isolated_environ

Cli = Callable[..., Run]


# --- set takes --set F=V, as add does ------------------------------------------------


def _mine(cli: Cli, home: Path) -> Path:
    assert cli(["new", "mine", "--field", "year:integer", "--field", "note:text"], home=home)
    added = cli(["add", "mine", "--set", "id=a", "--set", "sources=article"], home=home)
    assert added.exit_code == 0, added.stderr
    return home / "datasets" / "mine.toml"


def test_set_takes_set_options_as_add_does_and_bare_words_beside_them(
    cli: Cli, tmp_path: Path
) -> None:
    path = _mine(cli, tmp_path)
    done = cli(["set", "mine", "a", "--set", "year=2021"], home=tmp_path)
    assert (done.exit_code, done.stdout, done.stderr) == (
        0,
        "a\n",
        f"changed year of a in {path}\n",
    )
    # given twice, --set combines, and with the bare words too: one change each
    both = cli(
        ["set", "mine", "a", "note=x", "--set", "year=2022", "--set", "note=y"], home=tmp_path
    )
    assert (both.exit_code, both.stderr) == (
        2,
        "geobal: note is given twice (note=x and note=y)\n"
        "give each field once (a list takes its items separated by ';')\n",
    )
    both = cli(["set", "mine", "a", "note=x", "--set", "year=2022"], home=tmp_path)
    assert (both.exit_code, both.stderr) == (0, f"changed note, year of a in {path}\n")
    assert 'year = 2022\nnote = "x"' in path.read_text()


def test_set_with_nothing_to_change_says_how(cli: Cli, tmp_path: Path) -> None:
    _mine(cli, tmp_path)
    none = cli(["set", "mine", "a"], home=tmp_path)
    assert (none.exit_code, none.stdout, none.stderr) == (
        2,
        "",
        "geobal: set mine a: no field to change\nfor example: geobal set mine a FIELD=VALUE\n",
    )


# --- unknown options: the option that does what was meant ---------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["suppliers", "--since", "2010"], "--since; did you mean --where 'period>=2010-14'?"),
        (["suppliers", "--to", "2020"], "--to; did you mean --where 'period<=2016-20'?"),
        (["deals", "--since", "2010"], "--since; did you mean --where 'year>=2010'?"),
        (["deals", "--since=2010"], "--since; did you mean --where 'year>=2010'?"),
        (["deals", "--until"], "--until; did you mean --where 'year<=YEAR'?"),
        (["deals", "--by", "sector"], "--by; did you mean --count-by sector?"),
        (
            ["query", "events", "--after", "2020"],
            "--after; did you mean --where 'date>=2020-01-01'?",
        ),
        (
            ["deals", "--period", "2019-23"],
            "--period; did you mean --where 'year>=2019' --where 'year<=2023'?",
        ),
        (["suppliers", "--since", "abc"], "--since; did you mean --where 'period>=PERIOD'?"),
        (["timeline", "--from", "2020"], "--from; did you mean --since 2020?"),
        (["timeline", "--to", "2024"], "--to; did you mean --until 2024?"),
        (["factsheet", "--periods", "2019-23"], "--periods; did you mean --period 2019-23?"),
        (["shares", "--since", "2015"], "--since; did you mean --from 2015?"),
        (
            ["risks", "--since", "2010"],
            "--since; geobal risks has no option that picks records by their date, year or period",
        ),
        (
            ["show", "deals", "s-400", "--by", "x"],
            "--by; geobal show has no option that groups records",
        ),
    ],
)
def test_an_unknown_option_is_answered_by_the_one_that_does_it(
    cli: Cli, args: list[str], said: str
) -> None:
    result = cli(args)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"geobal: No such option: {said}\nsee: geobal {args[0]} --help\n",
    )


def test_an_option_the_table_does_not_know_keeps_clicks_look_alikes(cli: Cli) -> None:
    result = cli(["deals", "--sortt", "year"])
    assert (result.exit_code, result.stderr) == (
        2,
        "geobal: No such option: --sortt (Possible options: --sector, --sort, --status)\n"
        "see: geobal deals --help\n",
    )


def test_a_known_guess_with_no_option_to_do_it_offers_no_look_alike(cli: Cli) -> None:
    # click would offer --pager for --period: it does nothing of the kind
    for args in (["deals", "--period", "soon"], ["risks", "--period", "2019-23"]):
        result = cli(args)
        command = args[0]
        assert (result.exit_code, result.stdout, result.stderr) == (
            2,
            "",
            f"geobal: No such option: --period\nsee: geobal {command} --help\n",
        ), args


def test_pager_and_no_pager_are_one_option_wherever_one_is_taken(cli: Cli) -> None:
    listing = cli(["deals", "--no-pager", "--fields", "id", "--limit", "1", "--format", "csv"])
    assert (listing.exit_code, listing.stdout) == (0, "id\nair-systems\n")
    shown = cli(["show", "deals", "s-400", "--pager"])
    assert (shown.exit_code, shown.stdout.splitlines()[0]) == (0, "id: s-400")
    for args in (["deals"], ["show", "deals", "s-400"]):
        both = cli([*args, "--pager", "--no-pager"])
        assert (both.exit_code, both.stderr) == (
            2,
            "geobal: --pager and --no-pager both given; give one of them\n",
        )
        text = " ".join(cli([*args, "--help"], width=200).stdout.split())
        assert "--pager / --no-pager --pager: through the pager (GEOBAL_PAGER, else PAGER, " in text


def test_guesses_are_made_only_of_options_that_do_it(snapshot: Catalog) -> None:
    deals = snapshot.get("deals").fields
    risks = snapshot.get("risks").fields
    assert meant("--since", "2018", {"--where"}, deals) == "--where 'year>=2018'"
    assert meant("--since", "2018", {"--json"}, deals) is None  # no --where to do it with
    assert meant("--since", "2018", {"--where"}, risks) is None  # no year, date or period
    assert meant("--to", "2019", {"--until", "--where"}, deals) == "--until 2019"
    assert meant("--by", None, {"--count-by"}) == "--count-by FIELD"
    assert meant("--by", None, {"--json"}) is None
    assert meant("--period", "2019-23", {"--periods"}) == "--periods 2019-23"
    assert meant("--bogus", "1", {"--where"}, deals) is None
    suppliers = snapshot.get("suppliers").fields  # periods 2009-13, 2010-14, ... 2021-25
    assert meant("--after", "2015", {"--where"}, suppliers) == "--where 'period>=2015-19'"
    assert meant("--before", "2017", {"--where"}, suppliers) == "--where 'period<=2013-17'"
    # a value the field cannot take is not put in its mouth: the word for what it takes
    assert meant("--before", "2005", {"--where"}, suppliers) == "--where 'period<=PERIOD'"
    assert meant("--since", "soon", {"--where"}, suppliers) == "--where 'period>=PERIOD'"
    assert meant("--since", "abc", {"--where"}, suppliers) == "--where 'period>=PERIOD'"
    assert meant("--since", "it's", {"--where"}, deals) == "--where 'year>=YEAR'"
    # --period on a listing: the years as --where takes them on the field there is
    assert meant("--period", "2019-23", {"--where"}, deals) == (
        "--where 'year>=2019' --where 'year<=2023'"
    )
    assert meant("--period", "2019-23", {"--where"}, suppliers) == "--where period=2019-23"
    assert meant("--period", "soon", {"--where"}, deals) is None
    # --by names a field, or the fields are listed
    assert meant("--by", "status", {"--count-by"}, deals) == "--count-by status"
    assert meant("--by", "nosuch", {"--count-by"}, deals) == (
        f"--count-by FIELD (one of: {', '.join(f.name for f in deals)})"
    )
    assert nothing("--bogus", "geobal deals") is None
    assert nothing("--group-by", "geobal show") == "geobal show has no option that groups records"
    assert time_field(snapshot.get("events").fields) is snapshot.get("events").field_map["date"]
    assert value_of("--since", ["--json", "--since", "2010"]) == "2010"
    assert value_of("--since", ["--since=2010"]) == "2010"
    assert value_of("--since", ["--since", "--json"]) is None


# --- validate NAME -------------------------------------------------------------------


def test_validate_takes_a_dataset_name_and_says_which_files_it_read(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a folder with no file named like the dataset
    assert cli(["new", "mine"], home=tmp_path).exit_code == 0
    path = tmp_path / "datasets" / "mine.toml"
    result = cli(["validate", "Mine"], home=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        f"Mine: not a file here; read the dataset mine: {path}\n1 file checked: no problems\n",
    )
    bundled = cli(["validate", "risks"], home=tmp_path)
    assert bundled.stderr == (
        f"risks: not a file here; read the dataset risks: {SNAPSHOT / 'risks.toml'}\n"
        "1 file checked: no problems\n"
    )
    unknown = cli(["validate", "mien"], home=tmp_path)
    assert (unknown.exit_code, unknown.stderr) == (
        2,
        "geobal: mien: no such file or folder, nor a dataset\ndid you mean 'mine'?\n",
    )
    a_path = cli(["validate", "some/mine.toml"], home=tmp_path)
    assert (a_path.exit_code, a_path.stderr) == (
        2,
        "geobal: some/mine.toml: no such file or folder\n",
    )


def test_validate_reads_a_path_that_exists_before_a_dataset_of_its_name(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "risks").mkdir()  # a folder named like the bundled dataset, and empty
    result = cli(["validate", "risks"], home=tmp_path / "home")
    # never "0 files checked: no problems": the dataset of that name is checked, and said
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "risks: a folder here with no .toml file in it; read the dataset risks instead: "
        f"{SNAPSHOT / 'risks.toml'}\n1 file checked: no problems\n",
    )
    (tmp_path / "risks" / "mine.toml").write_text('[dataset]\nname = "mine"\n')
    held = cli(["validate", "risks"], home=tmp_path / "home")
    assert held.stderr == "4 problems in 1 file\n"  # the folder's own file, not risks
    (tmp_path / "nothing").mkdir()
    empty = cli(["validate", "nothing"], home=tmp_path / "home")
    assert (empty.exit_code, empty.stdout, empty.stderr) == (
        2,
        "",
        "geobal: nothing: a folder with no .toml file in it: nothing to check\n"
        "name dataset files, a folder that holds them, or a dataset (geobal datasets lists "
        "them)\n",
    )


# --- a --where the shell cut short -----------------------------------------------------


def _run_to_file(args: list[str], out: Path, home: Path) -> tuple[int, str]:
    """geobal run as a shell runs it with `>out`: standard output a file."""
    environ = {**BASE_ENV, **home_environ(home)}
    err = io.StringIO()
    process_env = {k: v for k, v in {**os.environ, **environ}.items() if v is not None}
    with out.open("w", encoding="utf-8") as stdout:
        obj = Env(stdout, err, False, False, process_env, bundled=SNAPSHOT)
        result = CliRunner().invoke(app, args, obj=obj, env=environ, prog_name="geobal")
    return result.exit_code, result.stderr + err.getvalue()


def test_a_where_cut_short_by_a_redirection_says_to_quote_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    # `geobal deals --where valeu_usd>1000`: the shell made 1000 and gave `valeu_usd`
    code, err = _run_to_file(["deals", "--where", "valeu_usd"], tmp_path / "1000", tmp_path)
    assert (code, err) == (
        2,
        "geobal: malformed --where 'valeu_usd'\n"
        "give --where 'valeu_usd>1000' in quotes: the shell took >1000 as a redirection "
        "and wrote a file named 1000\n",
    )
    assert (tmp_path / "1000").read_text() == ""  # the file is left where the shell made it
    code, err = _run_to_file(["deals", "--where", "year"], tmp_path / "=2018", tmp_path)
    assert err.splitlines()[1] == (
        "give --where 'year>=2018' in quotes: the shell took >=2018 as a redirection "
        "and wrote a file named =2018"
    )


def test_a_where_with_no_operator_and_no_redirection_is_only_malformed(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "1000").write_text("")  # a file here, but not where the output goes
    result = cli(["deals", "--where", "valeu_usd"])
    assert (result.exit_code, result.stderr) == (
        2,
        "geobal: malformed --where 'valeu_usd'\nexpected FIELD OP VALUE, such as sector=air "
        "or year>=2018; operators: = != ~ (contains) !~ < <= > >=\n",
    )
    written = (tmp_path / "1000").stat()
    assert redirected("valeu_usd", written, tmp_path) is not None
    assert redirected("valeu_usd", written, tmp_path / "elsewhere") is None
    assert redirected("year=2018", written, tmp_path) is None  # it has its operator
    assert redirected("valeu_usd", tmp_path.stat(), tmp_path.parent) is None  # no file


# --- suggestions ----------------------------------------------------------------------


def test_show_suggests_the_id_holding_every_word_typed(cli: Cli) -> None:
    result = cli(["show", "suppliers", "russia-2021-25"])
    assert (result.exit_code, result.stderr) == (
        1,
        "geobal: unknown id 'russia-2021-25' in suppliers; did you mean '2021-25-russia-2026'?\n"
        "list the ids with: geobal query suppliers --fields id\n",
    )
    ids = ["2020-24-russia-2025", "2021-25-russia-2026", "2016-20-russia-2021"]
    assert nearest("russia-2021-25", ids, 1) == ["2021-25-russia-2026"]
    assert nearest("s400", ["s-400", "su-30", "rafale"]) == ["s-400"]
    assert nearest("zzz", ids) == []


def test_period_suggestions_keep_the_end_asked_within_the_years_covered() -> None:
    assert fitted(Period(1950, 2023), 5) == Period(1954, 2023)
    assert fitted(Period(2015, 2024), 5, (1950, 2023)) == Period(2019, 2023)
    assert fitted(Period(1940, 2023), 5, (1950, 2023)) == Period(1954, 2023)
    assert fitted(Period(2021, 2025), 5, (1950, 2023)) is None
    assert shifted(Period(2020, 2024), (1950, 2023), room=5) == Period(2019, 2023)
    assert shifted(Period(1940, 1945), (1950, 2023)) == Period(1950, 1955)
    assert shifted(Period(1980, 2023), (1950, 2023), room=44) is None
    with pytest.raises(UsageError) as info:
        steps(Period(1950, 2023), 5, (1950, 2024))
    assert (info.value.message, info.value.hint) == (
        "1950-2023 is not a whole number of 5-year periods",
        "ask for 1954-2023, or another --step",
    )


# --- new adds fields while a dataset has no records ------------------------------------


def test_new_says_a_field_given_twice_and_where_the_bang_goes(cli: Cli, tmp_path: Path) -> None:
    twice = cli(["new", "fresh", "--field", "a:text", "--field", "a:integer"], home=tmp_path)
    assert (twice.exit_code, twice.stdout, twice.stderr) == (
        2,
        "",
        "geobal: --field 'a:integer': 'a' is given twice\ngive each field once, with its type\n",
    )
    bang = cli(["new", "fresh", "--field", "k:level=low,high!"], home=tmp_path)
    assert (bang.exit_code, bang.stdout, bang.stderr) == (
        2,
        "",
        "geobal: --field 'k:level=low,high!': a value ends with !, which marks a field "
        "required after its type, not after its values\n"
        "write it as --field 'k:level!=low,high'\n",
    )
    assert not (tmp_path / "datasets" / "fresh.toml").exists()
    right = cli(["new", "fresh", "--field", "k:level!=low,high"], home=tmp_path)
    assert right.exit_code == 0, right.stderr
    again = cli(["new", "fresh", "--field", "b:text", "--field", "b:text"], home=tmp_path)
    assert again.stderr == (
        "geobal: --field 'b:text': 'b' is given twice\ngive each field once, with its type\n"
    )


def test_new_on_a_read_only_file_gives_advice_that_works(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "datasets" / "pakdeals.toml"
    assert cli(["new", "pakdeals"], home=tmp_path).exit_code == 0
    path.chmod(0o444)
    result = cli(["new", "pakdeals", "--field", "year:integer"], home=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"geobal: {path} is read-only\nmake it writable (chmod u+w) to change it\n",
    )


def test_new_again_adds_fields_to_a_dataset_with_no_records(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "datasets" / "pakdeals.toml"
    assert cli(["new", "pakdeals"], home=tmp_path).stderr == f"created {path}\n"
    more = cli(
        ["new", "pakdeals", "--field", "year:integer", "--field", "supplier:text"], home=tmp_path
    )
    assert (more.exit_code, more.stdout, more.stderr) == (
        0,
        "",
        f"added year, supplier to the fields of {path}\n",
    )
    assert path.read_text().endswith(
        '[fields.id]\ntype = "text"\ntitle = "ID"\n\n'
        '[fields.year]\ntype = "integer"\n\n[fields.supplier]\ntype = "text"\n'
    )
    again = cli(["new", "pakdeals", "--field", "year:integer"], home=tmp_path)
    assert (again.exit_code, again.stderr) == (
        2,
        "geobal: --field 'year:integer': 'year' is already a field\n",
    )
    bare = cli(["new", "pakdeals"], home=tmp_path)
    assert (bare.exit_code, bare.stderr) == (
        2,
        f"geobal: {path} exists already\n"
        "choose another name; give --field to add fields to it while it has no records\n",
    )
    titled = cli(["new", "pakdeals", "--field", "z:text", "--title", "T"], home=tmp_path)
    assert (titled.exit_code, titled.stderr) == (
        2,
        f"geobal: --title: {path} exists already, with its title\n"
        "change the title in its [dataset] table\n",
    )
    added = cli(
        [
            "add",
            "pakdeals",
            "--set",
            "supplier=China",
            "--set",
            "year=2021",
            "--set",
            "sources=article",
        ],
        home=tmp_path,
    )
    assert (added.exit_code, added.stdout) == (0, "china\n")
    before = path.read_bytes()
    fixed = cli(["new", "pakdeals", "--field", "value:number"], home=tmp_path)
    assert (fixed.exit_code, fixed.stderr) == (
        2,
        f"geobal: {path} has 1 record: its fields are fixed\n"
        "make a new dataset with the fields, and import the records into it "
        "(geobal export, then geobal import --into)\n",
    )
    assert path.read_bytes() == before  # a dataset with records is never replaced


def test_the_library_adds_fields_as_new_does(tmp_path: Path) -> None:
    api = geobal.open(bundled=SNAPSHOT, environ=home_environ(tmp_path))
    api.new("mine")
    done = api.new("mine", ["year:integer"])
    path = tmp_path / "datasets" / "mine.toml"
    assert done.notes == (f"added year to the fields of {path}",)
    assert [f.name for f in api.catalog.fresh("mine").fields][:2] == ["id", "year"]


def test_a_where_cut_short_by_a_real_shell_says_to_quote_it(tmp_path: Path) -> None:
    # the slip as a user makes it: a shell, the expression unquoted
    line = f"{shlex.quote(sys.executable)} -m geobal deals --where valeu_usd>1000"
    done = subprocess.run(
        ["sh", "-c", line], cwd=tmp_path, env=isolated_environ(), capture_output=True, check=False
    )
    assert (done.returncode, done.stderr.decode()) == (
        2,
        "geobal: malformed --where 'valeu_usd'\n"
        "give --where 'valeu_usd>1000' in quotes: the shell took >1000 as a redirection "
        "and wrote a file named 1000\n",
    )
    assert (tmp_path / "1000").read_bytes() == b""  # not deleted: it is the user's folder
