"""Help that reads at 80 and at 40 columns, the same on a terminal and in a pipe."""

import subprocess
import sys

import pytest

from geobal.commands import COMMANDS
from tests.conftest import DATA, isolated_environ, run_cli

EVERY = [[], *([c] for c in COMMANDS), ["config", "set"], ["cache", "clear"]]


def help_of(command: list[str], width: int, tty: bool = False) -> str:
    result = run_cli([*command, "--help"], width=width, tty=tty, data_dir=DATA)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("command", EVERY, ids=lambda c: " ".join(c) or "geobal")
@pytest.mark.parametrize("width", [80, 40])
def test_help_fits_the_terminal_and_keeps_examples_whole(command: list[str], width: int) -> None:
    text = help_of(command, width)
    assert text == help_of(command, width, tty=True)  # a pipe gets what a terminal gets
    lines = text.splitlines()
    assert lines[0].startswith(f"Usage: geobal {' '.join(command)}".rstrip())
    assert "{" not in lines[0] and "<str>" not in text
    for line in lines:
        assert line == line.rstrip(), f"trailing spaces: {line!r}"
        assert not set(line) & set("│╭╮╰╯─"), f"a box: {line!r}"
        example = line.lstrip().startswith("$ geobal")
        if example:
            # one a line, as written: at 80 columns every one fits, and none is folded
            assert width == 40 or len(line) <= 79, f"an example too long for 80: {line!r}"
        else:
            assert len(line) < width, f"longer than {width}: {line!r}"
    # every option is named whole
    for name in ("--help",):
        assert name in text


def test_prose_wraps_as_paragraphs_not_line_by_line() -> None:
    text = help_of(["shares"], 80)
    assert (
        "From the per-year export the figures are exact: it gives the TIV delivered in\n"
        "each year. From the legacy register they are an estimate: each record's\n"
    ) in text
    narrow = help_of([], 40)
    assert "  --install-completion SHELL\n      Install completion for SHELL\n" in narrow


def test_help_into_a_closed_pipe_exits_0() -> None:
    """`geobal --help | head -1`, as a real process: the reader leaves early."""
    proc = subprocess.run(
        [sys.executable, "-m", "geobal", "--help"],
        capture_output=True,
        env=isolated_environ(),
        check=False,
        timeout=60,
    )
    assert proc.returncode == 0
    head = subprocess.run(
        f"'{sys.executable}' -m geobal --help | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        env=isolated_environ(),
        check=False,
        timeout=60,
    )
    assert (head.returncode, head.stdout, head.stderr) == (
        0,
        "Usage: geobal [OPTIONS] COMMAND [ARGS]...\n",
        "",
    )
