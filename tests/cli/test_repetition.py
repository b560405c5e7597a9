"""Repetition is honoured or refused, never dropped: an option given twice, a field named
twice in --fields, set or add, a column or key twice in an imported row."""

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from geobal import commands
from geobal.cli import app
from geobal.errors import UsageError
from tests.conftest import Run

Cli = Callable[..., Run]


def every_command() -> Iterator[tuple[str, Any]]:
    """The root, every command and every subcommand (config set, cache clear), built as
    a run builds them."""
    yield "geobal", typer.main.get_command(app)
    for name in commands.COMMANDS:
        command = commands.build(name)
        yield name, command
        for sub, subcommand in getattr(command, "commands", {}).items():
            yield f"{name} {sub}", subcommand


def parse(command: Any, path: str, args: list[str]) -> dict[str, Any]:
    """The options click's parser reads from `args` for `command`, without running it."""
    ctx = command.context_class(command, info_name=path.split()[-1])
    opts, _, _ = command.make_parser(ctx).parse_args(args=list(args))
    return dict(opts)


def long_name(opts: list[str]) -> str:
    return next(o for o in opts if o.startswith("--"))


def test_every_option_of_every_command_combines_or_is_refused() -> None:
    """Each option is either declared repeatable (commands.REPEATABLE), and then keeps
    every value given, or refused by name when given twice; a flag twice in one sense is
    accepted, and with its opposite refused."""
    checked, repeatable_seen = 0, set()
    for path, command in every_command():
        ctx = command.context_class(command, info_name=path)
        for param in command.get_params(ctx):
            if param.param_type_name != "option":
                continue
            name = long_name(param.opts)
            where = f"{path} {name}"
            checked += 1
            if param.multiple:
                assert name in commands.REPEATABLE, f"{where} is repeatable but not declared"
                repeatable_seen.add(name)
                assert parse(command, path, [name, "a", name, "b"])[param.name] == ["a", "b"]
            elif param.is_flag:
                assert param.name in parse(command, path, [name, name]), where
                for opposite in param.secondary_opts:
                    with pytest.raises(UsageError) as info:
                        parse(command, path, [name, opposite])
                    assert info.value.message == (
                        f"{name} and {opposite} both given; give one of them"
                    ), where
            else:
                with pytest.raises(UsageError) as info:
                    parse(command, path, [name, "a b", name, "c"])
                assert info.value.message == f"{name} given twice ('a b' and c); give it once"
                for short in (o for o in param.opts if not o.startswith("--")):
                    with pytest.raises(UsageError):  # the short name is the same option
                        parse(command, path, [short, "a", name, "c"])
    assert checked > 300  # every option of every command, not a few
    assert repeatable_seen == set(commands.REPEATABLE), "REPEATABLE names options none has"


def test_a_filter_given_twice_matches_either_value(cli: Cli) -> None:
    def ids(*args: str) -> list[str]:
        result = cli(["deals", *args, "--fields", "id,status,partner", "--format", "csv"])
        assert result.exit_code == 0, result.stderr
        return result.stdout.splitlines()

    signed, proposed = ids("--status", "signed")[1:], ids("--status", "proposed")[1:]
    assert signed and proposed
    both = ids("--status", "signed", "--status", "proposed")
    assert sorted(both[1:]) == sorted(signed + proposed)
    # a comma list is the same, for a choice field: its codes hold no comma
    assert ids("--status", "signed,proposed") == both
    assert ids("--status", "signed, proposed,") == both
    russia, france = ids("--partner", "russia")[1:], ids("--partner", "fr")[1:]
    assert sorted(ids("--partner", "russia", "--partner", "fr")[1:]) == sorted(russia + france)
    # different filters still must all hold
    assert ids("--status", "proposed", "--partner", "france", "--partner", "russia")[1:] == [
        r for r in proposed if r.endswith((",france", ",russia"))
    ]


def test_timeline_actors_given_twice_match_either(cli: Cli) -> None:
    def events(*args: str) -> list[dict[str, Any]]:
        result = cli(["timeline", *args, "--json"])
        assert result.exit_code == 0, result.stderr
        found: list[dict[str, Any]] = json.loads(result.stdout)
        return found

    china, turkey = events("--actor", "china"), events("--actor", "Turk")
    assert len(china) == len(turkey) == 1
    assert events("--actor", "china", "--actor", "Turk") == sorted(
        china + turkey, key=lambda e: str(e["date"])
    )
    # actors are names, which may hold a comma (SIPRI's "Korea, South"): no comma lists
    refused = cli(["timeline", "--actor", "china,turkey"])
    assert (refused.exit_code, refused.stderr.splitlines()[0]) == (
        2,
        "geobal: unknown actor 'china,turkey'",
    )


def test_an_option_given_twice_is_refused_naming_it(cli: Cli, tmp_path: Path) -> None:
    for args, said in (
        (["deals", "--limit", "5", "--limit", "10"], "--limit given twice (5 and 10)"),
        (["deals", "-n", "5", "--limit", "10"], "--limit given twice (5 and 10)"),
        (
            ["shares", "--recipient", "India", "--recipient", "Pakistan"],
            "--recipient given twice (India and Pakistan)",
        ),
        (
            ["risks", "--min-impact", "low", "--min-impact", "high"],
            "--min-impact given twice (low and high)",
        ),
        (["deals", "--format", "csv", "-f", "json"], "--format given twice (csv and json)"),
        (
            ["--data-dir", "A", "--data-dir", "B", "deals"],
            "--data-dir given twice (A and B)",
        ),
        (
            ["export", "deals", "-o", "a b.csv", "-o", "c.csv"],
            "--output given twice ('a b.csv' and c.csv)",
        ),
    ):
        result = cli(args, home=tmp_path)
        assert (result.exit_code, result.stdout, result.stderr) == (
            2,
            "",
            f"geobal: {said}; give it once\n",
        ), args
    assert not (tmp_path / "datasets").exists()
    opposite = cli(["suppliers", "--chart", "--no-chart"])
    assert (opposite.exit_code, opposite.stderr) == (
        2,
        "geobal: --chart and --no-chart both given; give one of them\n",
    )
    # a flag twice in one sense asks for nothing new
    assert cli(["deals", "--json", "--json"]).stdout == cli(["deals", "--json"]).stdout


def test_a_comma_list_is_refused_where_a_value_holds_a_comma(cli: Cli, tmp_path: Path) -> None:
    """A comma there could be part of a label: refused, not guessed."""
    folder = tmp_path / "datasets"
    folder.mkdir()
    (folder / "deals.toml").write_text(
        '[dataset]\nname = "deals"\n\n[fields.status]\n'
        'choices = [{ value = "paused", label = "Paused, pending review" }]\n'
    )
    result = cli(["deals", "--status", "signed,proposed"], home=tmp_path)
    assert (result.exit_code, result.stderr) == (
        2,
        "geobal: status has values whose names hold a comma, so 'signed,proposed' may be one "
        "value or several\ngive the value by its code, and repeat the option for each value\n",
    )
    repeated = cli(["deals", "--status", "signed", "--status", "paus", "--json"], home=tmp_path)
    assert repeated.exit_code == 0
    assert {d["status"] for d in json.loads(repeated.stdout)} == {"signed"}


def test_a_field_named_twice_in_fields_is_refused(cli: Cli) -> None:
    for spec, said in (
        ("id,impact,impact", "--fields names impact twice"),
        ("id,IMPACT,impact", "--fields names impact twice (as IMPACT and impact)"),
        ("priority,id,id", "--fields names id twice"),
    ):
        result = cli(["risks", "--fields", spec, "--json"])
        assert (result.exit_code, result.stdout, result.stderr) == (
            2,
            "",
            f"geobal: {said}\ngive each field once\n",
        )
    # a listing built outside a dataset query checks the same way
    result = cli(["datasets", "--fields", "name,name"])
    assert (result.exit_code, result.stderr) == (
        2,
        "geobal: --fields names name twice\ngive each field once\n",
    )


def notes(cli: Cli, home: Path) -> Path:
    made = cli(["new", "notes", "--field", "name:text", "--field", "kind:choice=a,b"], home=home)
    assert made.exit_code == 0, made.stderr
    added = cli(
        ["add", "notes", "--set", "id=n1", "--set", "name=x", "--set", "sources=article"],
        home=home,
    )
    assert added.exit_code == 0, added.stderr
    return home / "datasets" / "notes.toml"


def test_a_field_given_twice_to_set_or_add_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = notes(cli, tmp_path)
    before = path.read_bytes()
    for args, said in (
        (["set", "notes", "n1", "name=a", "name=b"], "name is given twice (name=a and name=b)"),
        (["set", "notes", "n1", "name=a", "NAME=b"], "name is given twice (name=a and NAME=b)"),
        (
            ["add", "notes", "--set", "name=a", "--set", "name=b", "--set", "sources=article"],
            "name is given twice (name=a and name=b)",
        ),
        (
            ["add", "notes", "--set", "sources=article", "--set", "name=a", "--set", "sources=x"],
            "sources is given twice (sources=article and sources=x)",
        ),
    ):
        result = cli(args, home=tmp_path)
        assert (result.exit_code, result.stdout, result.stderr) == (
            2,
            "",
            f"geobal: {said}\ngive each field once (a list takes its items separated by ';')\n",
        ), args
    assert path.read_bytes() == before


def test_new_with_a_value_twice_is_a_usage_error_and_writes_nothing(
    cli: Cli, tmp_path: Path
) -> None:
    for spec, said in (
        ("p:choice=a,a", "'a' is listed twice"),
        ("p:level=low,high,Low", "'Low' is the same as 'low'"),
    ):
        result = cli(["new", "x", "--field", spec], home=tmp_path)
        assert (result.exit_code, result.stderr) == (
            2,
            f"geobal: --field {spec!r}: {said}\nlist each value once\n",
        )
    assert not (tmp_path / "datasets").exists()


def imported(cli: Cli, home: Path, name: str, text: str, *args: str) -> Run:
    source = home / name
    source.write_text(text, encoding="utf-8")
    return cli(["import", str(source), "--into", "notes", *args], home=home)


def test_a_column_or_key_twice_in_an_import_is_refused(cli: Cli, tmp_path: Path) -> None:
    path = notes(cli, tmp_path)
    before = path.read_bytes()
    f = tmp_path
    for name, text, said in (
        (
            "a.csv",
            "id,name,kind,name,sources\nn2,x,a,y,article\n",
            f"{f / 'a.csv'}: line 1: the header names a column twice: 'name' (cells 2 and 4)\n"
            "rename or remove the one that should not be imported\n",
        ),
        (
            "b.csv",
            "\nid,id,name,name,kind\n",  # the header on line 2, after a blank line
            f"{f / 'b.csv'}: line 2: the header names columns twice: 'id' (cells 1 and 2), "
            "'name' (cells 3 and 4)\nrename or remove the one that should not be imported\n",
        ),
        (
            "c.json",
            '[{"id": "n2", "name": "x"},\n {"id": "n3", "name": "x", "name": "y"}]',
            f"{f / 'c.json'}: 1 row cannot be read whole; nothing was imported\n"
            f"  {f / 'c.json'}: item 2 holds the key 'name' twice\n"
            "fix the file and import again\n",
        ),
        (
            "d.jsonl",
            '{"id": "n2", "kind": "a", "kind": "b", "id": "n3"}\n\n{"id": "n4", "name": "x"}\n'
            '{"id": "n5", "name": "x", "name": "x"}\n',
            f"{f / 'd.jsonl'}: 2 rows cannot be read whole; nothing was imported\n"
            f"  {f / 'd.jsonl'}: line 1 holds the keys 'kind', 'id' twice\n"
            f"  {f / 'd.jsonl'}: line 4 holds the key 'name' twice\n"
            "fix the file and import again\n",
        ),
    ):
        result = imported(cli, tmp_path, name, text, "--source", "article")
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"geobal: {said}")
    # two columns read as one field (--map) would keep one of their values: refused
    result = imported(cli, tmp_path, "e.csv", "id,name,title\nn2,x,y\n", "--map", "title=name")
    assert result.stderr.splitlines()[1] == (
        f"  {f / 'e.csv'}: line 2: name: the columns 'name' and 'title' both give name; "
        "map only one of them to it"
    )
    twice = imported(
        cli, tmp_path, "e.csv", "id,title\n", "--map", "title=name", "--map", "title=id"
    )
    assert (twice.exit_code, twice.stderr) == (
        2,
        "geobal: --map gives the column 'title' twice (title=name and title=id)\n"
        "map each column once\n",
    )
    assert path.read_bytes() == before


def test_a_row_with_more_cells_than_the_header_names_its_line(cli: Cli, tmp_path: Path) -> None:
    """More cells than the header, or fewer: which cell is which column cannot be told."""
    path = notes(cli, tmp_path)
    before = path.read_bytes()
    text = 'id,name\nn2,x\n"n3","two\nlines",extra\n\nn4,y,,\nn5\nn6,z\n'
    result = imported(cli, tmp_path, "rows.csv", text, "--source", "article")
    where = tmp_path / "rows.csv"
    assert (result.exit_code, result.stderr) == (
        1,
        f"geobal: {where}: 3 rows cannot be read whole; nothing was imported\n"
        f"  {where}: line 3 has 3 cells, the header has 2\n"
        f"  {where}: line 6 has 4 cells, the header has 2\n"
        f"  {where}: line 7 has 1 cells, the header has 2\n"
        "give every row as many cells as the header has columns (an empty cell is nothing "
        "between two commas), and import again\n",
    )
    assert path.read_bytes() == before
    # a quote that never closes is said, not the rest of the file taken into one cell
    text = 'name,sources\n"Rafale 36 jets,article\nSu-30,article\n'
    result = imported(cli, tmp_path, "open.csv", text)
    assert (result.exit_code, result.stderr) == (
        1,
        f"geobal: {tmp_path / 'open.csv'}: line 2: a quoted cell there never closes; nothing "
        'was imported\nclose it with a " (a " inside a quoted cell is written "")\n',
    )
    assert path.read_bytes() == before


def test_import_problems_name_the_line_of_the_file(cli: Cli, tmp_path: Path) -> None:
    """A CSV's header is line 1, a record over two lines is named by its first, and blank
    lines count; JSON Lines by line, a JSON array by item."""
    notes(cli, tmp_path)
    csv = 'name,kind\nA,a\n\n"B\nmore",zz\nC,a\n'
    result = imported(cli, tmp_path, "in.csv", csv, "--source", "article")
    assert result.stderr.splitlines()[1] == (
        f"  {tmp_path / 'in.csv'}: line 4: kind: unknown kind 'zz' (valid values: a (a), b (b))"
    )
    lines = '{"name": "A"}\n\n\n{"name": "B", "kind": "zz"}\n'
    result = imported(cli, tmp_path, "in.jsonl", lines, "--source", "article")
    assert result.stderr.splitlines()[1] == (
        f"  {tmp_path / 'in.jsonl'}: line 4: kind: unknown kind 'zz' (valid values: a (a), b (b))"
    )
    array = '[\n{"name": "A"},\n{"name": "B", "kind": "zz"}\n]'
    result = imported(cli, tmp_path, "in.json", array, "--source", "article")
    assert result.stderr.splitlines()[1] == (
        f"  {tmp_path / 'in.json'}: item 2: kind: unknown kind 'zz' (valid values: a (a), b (b))"
    )
    # a line ends at a newline only: U+2028 inside a JSON string is text; and a source
    # given twice is cited once
    row = '{"id": "n9", "name": "a\u2028b", "kind": "a"}\n'
    ok = imported(cli, tmp_path, "ok.jsonl", row, "--source", "article", "--source", "article")
    assert ok.exit_code == 0, ok.stderr
    shown = json.loads(cli(["show", "notes", "n9", "--json"], home=tmp_path).stdout)
    assert (shown["record"]["name"], shown["record"]["sources"]) == ("a\u2028b", ["article"])


def test_errors_about_rows_stop_after_a_screenful(cli: Cli, tmp_path: Path) -> None:
    path = notes(cli, tmp_path)
    before = path.read_bytes()
    columns = [f"c{n}" for n in range(1, 1001)]
    text = ",".join(["name", *columns]) + "\n" + ",".join(["x"] * 1001) + "\n"
    result = imported(cli, tmp_path, "wide.csv", text, "--source", "article")
    where = tmp_path / "wide.csv"
    lines = result.stderr.splitlines()
    assert result.exit_code == 1
    assert lines[0] == f"geobal: {where}: 1,000 problems; nothing was imported"
    assert lines[1:21] == [
        f"  {where}: line 1: c{n}: unknown column; map it with --map c{n}=FIELD (fields: id, "
        "name, kind, sources)"
        for n in range(1, 21)
    ]
    assert lines[21:] == [
        "  and 980 more",
        "fix the rows (or map their columns with --map) and import again",
    ]
    # rows that cannot be read whole stop after a screenful too
    wide = "id,name\n" + "a,b,c\n" * 500
    result = imported(cli, tmp_path, "extra.csv", wide, "--source", "article")
    assert len(result.stderr.splitlines()) == 1 + 20 + 1 + 1
    assert result.stderr.splitlines()[-2] == "  and 480 more"
    assert path.read_bytes() == before
