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

from geobal.render.pager import less_options, pager_command, screen_lines
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
    # --format table asked for in a pipe is the table, its lines not padded to the width
    table = run_cli(["show", "notes", "n1", "--format", "table"], data_dir=data, width=80)
    lines = table.stdout.splitlines()
    assert lines[:3] == ["Notes: n1", "ID      n1", "Body    two"]
    assert "" in lines and all(line == line.rstrip() for line in lines)
    # a source's own record: its fields, then the records that cite it
    source = run_cli(["show", "sources", "s1"], data_dir=data)
    assert source.stdout == (
        "id: s1\ntitle: A source\nquality: Primary\norigin: Bundled\nfile: sources.toml\n"
        "\nCited by\nnotes/n1\n"
    )


ESCAPES = """
[dataset]
name = "notes"
title = "Notes"
key = "id"
[fields.id]
type = "text"
[fields.body]
type = "text"
[[records]]
id = "n1"
body = "a real\\nbreak, a written \\\\n, an \\u001b escape and a\\rreturn"
sources = ["s1"]
"""


def test_show_in_a_pipe_escapes_as_tsv_does_so_each_line_reads_back(tmp_path: Path) -> None:
    """A backslash of the value is doubled, so that a written backslash-n is not read as
    a line break: each value reads back exactly (tsv_unescape)."""
    from geobal.codecs.escape import tsv_unescape

    write_dataset(tmp_path, "notes", ESCAPES)
    (tmp_path / "sources.toml").write_text((FIXTURES / "sources.toml").read_text())
    result = run_cli(["show", "notes", "n1"], data_dir=tmp_path)
    assert (result.exit_code, result.stderr) == (0, "")
    body = result.stdout.splitlines()[1]
    assert body == (r"body: a real\nbreak, a written \\n, an \x1b escape and a\rreturn")
    assert tsv_unescape(body.removeprefix("body: ")) == (
        "a real\nbreak, a written \\n, an \x1b escape and a\rreturn"
    )


def test_help_says_what_show_writes_in_a_pipe() -> None:
    said = " ".join(run_cli(["show", "--help"], width=200).stdout.split())
    assert "Default: table on a terminal, a field: value line each field otherwise." in said
    assert "tsv otherwise" not in said


def test_a_table_in_a_pipe_ends_each_line_where_its_text_does(data: Path) -> None:
    result = run_cli(["query", "notes", "--format", "table"], data_dir=data, width=80)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Notes" and lines[1] == ""  # a blank line, not 80 spaces
    assert all(line == line.rstrip() for line in lines)


def test_a_source_entry_with_no_words_has_no_gap(tmp_path: Path) -> None:
    text = (FIXTURES / "sources.toml").read_text()
    (tmp_path / "sources.toml").write_text(
        text + '\n[[records]]\nid = "bare"\ntitle = ""\nquality = "weak"\n'
    )
    write_dataset(tmp_path, "notes", NOTES.replace('sources = ["s1"]', 'sources = ["s1", "bare"]'))
    result = run_cli(["show", "notes", "n1", "--format", "tsv"], data_dir=tmp_path)
    assert result.stdout.splitlines()[1].endswith("\ts1: A source (Primary); bare: (Weak)")


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
        "geobal: the pager 'no-such-pager-here' was not found, so the output is shown "
        "without it: set GEOBAL_PAGER or PAGER to one that works (or to nothing for none), "
        "or give --no-pager\n"
    )


@pytest.mark.parametrize(
    ("pager", "said"),
    [
        ("false", "failed (exit status 1)"),
        ('sh -c "exit 3"', "failed (exit status 3)"),
        ('cat "', "cannot be read as a command (No closing quotation)"),
    ],
)
def test_a_pager_that_fails_leaves_the_record_shown_and_says_so(
    data: Path, pager: str, said: str
) -> None:
    result = run_cli(
        ["show", "notes", "n1"], data_dir=data, tty=True, env={"PAGER": pager, "LINES": "5"}
    )
    assert result.exit_code == 0
    assert result.text.startswith("Notes: n1\n") and "sources.toml" in result.text
    assert result.stderr == (
        f"geobal: the pager {pager!r} {said}, so the output is shown without it: set "
        "GEOBAL_PAGER or PAGER to one that works (or to nothing for none), or give "
        "--no-pager\n"
    )


def test_a_dumb_terminal_has_no_pager(data: Path, tmp_path: Path) -> None:
    env = {**pager_env(tmp_path, 3), "TERM": "dumb"}
    result = run_cli(["show", "notes", "n1"], data_dir=data, tty=True, env=env)
    assert (result.exit_code, (tmp_path / "paged").exists()) == (0, False)
    assert result.text.startswith("Notes: n1\n")


def test_less_gets_r_for_the_colours_where_the_users_less_lacks_it() -> None:
    assert less_options("less", {}) == "FRX"
    assert less_options("/usr/bin/less -S", {"LESS": "-i"}) == "-i -R"
    assert less_options("less", {"LESS": ""}) == "-R"
    for kept in ("-R", "-iR", "FRX", "-r", "--RAW-CONTROL-CHARS"):
        assert less_options("less", {"LESS": kept}) is None
    assert less_options("most", {"LESS": "-i"}) is None
    assert less_options('less "', {"LESS": "-i"}) is None


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


def _show_on_a_pty(rows: int, environ: dict[str, str]) -> tuple["subprocess.Popen[bytes]", int]:
    """`geobal show deals s-400` on a pseudo-terminal `rows` high with no pager chosen
    (so less), `environ` added to an isolated one; the process and the terminal's side
    to read and type on."""
    import fcntl
    import pty
    import struct
    import termios

    if shutil.which("less") is None:
        pytest.skip("needs less, the pager geobal falls back on")
    main, side = pty.openpty()
    fcntl.ioctl(side, termios.TIOCSWINSZ, struct.pack("HHHH", rows, 80, 0, 0))
    env = {**isolated_environ(), "TERM": "xterm"}
    for name in ("PAGER", "GEOBAL_PAGER", "LINES", "COLUMNS", "NO_COLOR"):
        env.pop(name, None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "geobal", "show", "deals", "s-400"],
        stdin=side,
        stdout=side,
        stderr=side,
        env={**env, **environ},
        start_new_session=True,
        # the terminal its own, as a shell gives it: Ctrl-C there interrupts geobal and less
        preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
    )
    os.close(side)
    return proc, main


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_less_shows_the_colours_where_the_users_less_has_no_r() -> None:
    """LESS=-i, the user's, lacks R: less would show each colour as "ESC[1m"; geobal
    adds R for its own call, so the terminal gets the colours themselves."""
    proc, main = _show_on_a_pty(12, {"LESS": "-i"})
    try:
        first = _read_all(main, 3.0)
        assert b"s-400" in first
        assert b"ESC[" not in first  # less -i alone writes a colour so
        assert b"\x1b[1m" in first
        os.write(main, b"q")
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(main)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("rows", [12, 500])
def test_show_on_a_real_terminal_pages_through_less_only_when_longer(rows: int) -> None:
    proc, main = _show_on_a_pty(rows, {"NO_COLOR": "1", "LESS": "X"})
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
