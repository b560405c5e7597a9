"""`show` in a pipe reads as lines, and on a terminal a record longer than the screen
goes through the pager (render.pager)."""

import os
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from geobal.render.pager import pager_command, screen_lines
from tests.conftest import FIXTURES, isolated_environ, run_cli, write_dataset

NOTES = r"""
[dataset]
name = "notes"
title = "Notes"
key = "id"
[fields.id]
type = "text"
[fields.body]
type = "text"
[fields.tags]
type = "list"
[fields.empty]
type = "text"
[[records]]
id = "n1"
body = "two\nlines, a\ttab and \u001b[31mred [bold]x[/bold]"
tags = ["a", "b c"]
sources = ["s1"]
"""

LINES = (
    "id: n1\n"
    "body: two\\nlines, a\\ttab and \\x1b[31mred [bold]x[/bold]\n"
    "tags: a, b c\n"
    "sources: s1\n"
    "origin: Bundled\n"
    "file: notes.toml\n"
    "\n"
    "Sources\n"
    "\n"
    "id: s1\n"
    "title: A source\n"
    "quality: Primary\n"
    "origin: Bundled\n"
    "file: sources.toml\n"
)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    (tmp_path / "sources.toml").write_text((FIXTURES / "sources.toml").read_text())
    write_dataset(tmp_path, "notes", NOTES)
    return tmp_path


def test_show_in_a_pipe_is_a_line_a_field_then_the_sources(data: Path) -> None:
    result = run_cli(["show", "notes", "n1"], data_dir=data)
    assert (result.exit_code, result.stdout, result.stderr) == (0, LINES, "")
    # --format table off a terminal is the same lines: nothing padded to a screen's width
    table = run_cli(["show", "notes", "n1", "--format", "table"], data_dir=data, width=80)
    assert table.stdout == LINES
    # a source's own record: its fields, then the records that cite it
    source = run_cli(["show", "sources", "s1"], data_dir=data)
    assert source.stdout == (
        "id: s1\ntitle: A source\nquality: Primary\norigin: Bundled\nfile: sources.toml\n"
        "\nCited by\nnotes/n1\n"
    )


def test_show_keeps_the_machine_formats_and_the_terminal_as_they_were(data: Path) -> None:
    tsv = run_cli(["show", "notes", "n1", "--format", "tsv"], data_dir=data).stdout
    assert tsv.splitlines()[0] == "id\tbody\ttags\tempty\tsources\torigin\tfile\tsource_entries"
    assert len(tsv.splitlines()) == 2
    assert run_cli(["show", "notes", "n1", "--json"], data_dir=data).stdout.startswith("{\n")
    shown = run_cli(["show", "notes", "n1"], data_dir=data, tty=True)
    lines = [line.rstrip() for line in shown.text.splitlines()]
    assert lines[:3] == ["Notes: n1", "ID      n1", "Body    two"]
    assert "Empty   —" in lines  # the terminal shows the field a value is missing from
    # --color always asks for the terminal's drawing in a pipe too (for less -R)
    coloured = run_cli(["show", "notes", "n1", "--color", "always"], data_dir=data)
    assert coloured.stdout.startswith("\x1b[1mNotes: n1")


def test_the_pager_is_the_users_choice() -> None:
    assert pager_command({"GEOBAL_PAGER": "most", "PAGER": "less -R"}) == "most"
    assert pager_command({"PAGER": "less -R"}) == "less -R"
    # set and empty, or cat: no pager, as git takes them
    assert pager_command({"GEOBAL_PAGER": "", "PAGER": "less"}) is None
    assert pager_command({"PAGER": " "}) is None
    assert pager_command({"PAGER": "cat"}) is None
    assert pager_command({"PATH": "/nonexistent"}) is None  # no less to fall back on
    assert screen_lines("a\n\x1b[1m" + "b" * 10 + "\x1b[0m\n", 4) == 1 + 3


def pager_env(tmp_path: Path, lines: int) -> dict[str, str | None]:
    """A pager that writes what it was given to a file, on a screen `lines` high."""
    return {"GEOBAL_PAGER": f"cat > {tmp_path / 'paged'}", "LINES": str(lines)}


@pytest.mark.parametrize(
    ("lines", "args", "paged"),
    [
        (10, [], True),  # longer than the screen
        (500, [], False),  # it fits
        (10, ["--no-pager"], False),
        (10, ["--no-pager", "--no-pager"], False),  # a flag twice in one sense, as every flag
        (10, ["--json"], False),  # the machine formats are never paged
    ],
)
def test_a_record_longer_than_the_screen_is_paged_on_a_terminal(
    data: Path, tmp_path: Path, lines: int, args: list[str], paged: bool
) -> None:
    env = pager_env(tmp_path, lines)
    result = run_cli(["show", "notes", "n1", *args], data_dir=data, tty=True, env=env)
    assert result.exit_code == 0, result.stderr
    written = tmp_path / "paged"
    assert written.exists() is paged
    if paged:
        assert result.stdout == ""
        # with its styles, which less shows with -R (LESS=FRX)
        assert written.read_text().startswith("\x1b[1mNotes: n1\x1b[0m\n")
    else:
        assert result.text.startswith("Notes: n1" if "--json" not in args else "{")


def test_never_a_pager_off_a_terminal(data: Path, tmp_path: Path) -> None:
    result = run_cli(["show", "notes", "n1"], data_dir=data, env=pager_env(tmp_path, 3))
    assert (result.stdout, (tmp_path / "paged").exists()) == (LINES, False)


def test_a_pager_that_is_not_there_is_said_and_the_record_shown(data: Path) -> None:
    env = {"GEOBAL_PAGER": "no-such-pager-here", "LINES": "5"}
    result = run_cli(["show", "notes", "n1"], data_dir=data, tty=True, env=env)
    assert result.exit_code == 0
    assert result.text.startswith("Notes: n1\n")
    assert result.stderr.endswith(
        "geobal: the pager 'no-such-pager-here' was not found: set GEOBAL_PAGER or PAGER "
        "to one (or to nothing for none), or give --no-pager\n"
    )


def test_listing_pager_uses_the_same_pager(tmp_path: Path) -> None:
    env = pager_env(tmp_path, 500)
    result = run_cli(["risks", "--pager"], tty=True, env=env)
    assert result.exit_code == 0 and result.stdout == ""
    assert "Strategic" in (tmp_path / "paged").read_text()


def _read_all(fd: int, seconds: float) -> bytes:
    got = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the other side closed
                break
            if not chunk:
                break
            got += chunk
    return got


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("rows", [12, 200])
def test_show_on_a_real_terminal_pages_through_less_only_when_longer(rows: int) -> None:
    import fcntl
    import pty
    import struct
    import termios

    if shutil.which("less") is None:
        pytest.skip("needs less, the pager geobal falls back on")
    main, side = pty.openpty()
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 80, 0, 0))
    env = {**isolated_environ(), "TERM": "xterm", "NO_COLOR": "1", "LESS": "X"}
    for name in ("PAGER", "GEOBAL_PAGER", "LINES", "COLUMNS"):
        env.pop(name, None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "geobal", "show", "deals", "s-400"],
        stdin=side,
        stdout=side,
        stderr=side,
        env=env,
        start_new_session=True,
        # the terminal its own, as a shell gives it: Ctrl-C there interrupts geobal and less
        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
    )
    os.close(side)
    try:
        first = _read_all(main, 3.0)
        if rows < 100:
            # less holds the screen, showing its first page and a prompt, until it is quit
            assert proc.poll() is None
            assert b"India's arms deals: s-400" in first
            assert b"Quotes" not in first  # the sources, further down, wait their turn
            # Ctrl-C is less's to handle (it stops a search): geobal waits on, unharmed
            os.write(main, b"\x03")
            _read_all(main, 1.0)
            assert proc.poll() is None
            os.write(main, b"q")
        assert proc.wait(timeout=10) == 0
        rest = first + _read_all(main, 0.5)
        assert b"interrupted" not in rest and b"Traceback" not in rest
        if rows >= 100:
            assert b"Quotes" in rest  # all of it, at once, with no pager
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main)
