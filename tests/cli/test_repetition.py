"""Repetition is honoured or refused, never dropped: an option given twice, a field named
twice in --fields, set, add or new."""

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
