"""Docs that test themselves: every command is documented, and every example runs."""

import re
import shlex
from collections.abc import Callable

import pytest

from geobal.commands import COMMANDS
from tests.conftest import ROOT, Run

Cli = Callable[..., Run]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_examples() -> list[str]:
    """Command lines in the README's sh blocks, without `uv run` and after any pipe."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.DOTALL):
        for line in block.splitlines():
            line = line.split("#")[0].split("|")[0].strip()
            line = line.removeprefix("uv run ")
            if line.startswith("geobal"):
                lines.append(line)
    return lines


def help_examples() -> list[tuple[str, str]]:
    from tests.conftest import run_cli

    found = []
    for command in ["", *COMMANDS]:
        text = run_cli([command, "--help"] if command else ["--help"], width=200).stdout
        found += [(command, m) for m in re.findall(r"\$ (geobal [^\n│]*?)\s*(?:│|\n)", text)]
    return found


def test_every_command_is_in_the_readme() -> None:
    for command in COMMANDS:
        assert f"geobal {command}" in README, command


def test_the_readme_shows_the_two_commands() -> None:
    assert "```sh\nuv run geobal brief\nuv run pytest\n```" in README


def test_there_are_examples() -> None:
    assert len(readme_examples()) >= 15
    commands_with_examples = {command for command, _ in help_examples() if command}
    assert commands_with_examples == set(COMMANDS)


@pytest.mark.parametrize("line", readme_examples())
def test_readme_examples_run(cli: Cli, line: str) -> None:
    result = cli(shlex.split(line)[1:])
    assert result.exit_code == 0, result.stderr
    assert result.stdout


@pytest.mark.parametrize(("command", "line"), help_examples())
def test_help_examples_run(cli: Cli, command: str, line: str) -> None:
    result = cli(shlex.split(line)[1:])
    assert result.exit_code == 0, result.stderr
    assert result.stdout


def test_completion_offers_datasets_fields_and_choices(cli: Cli) -> None:
    def complete(words: str) -> list[str]:
        env = {
            "_GEOBAL_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
        }
        return cli([], env=env).stdout.split()

    assert complete("geobal query de") == ["deals"]
    assert complete("geobal deals --sector ") == ["air", "missile", "naval", "cyber", "land"]
    assert complete("geobal risks --min-impact h") == ["high"]
    assert complete("geobal query deals --where stat") == ["status=", "status_date="]
    assert complete("geobal query deals --where status=del") == [
        "status=delivering",
        "status=delivered",
    ]
    assert complete("geobal deals --fields id,ye") == ["id,year"]
    assert complete("geobal deals --count-by sec") == ["sector"]
