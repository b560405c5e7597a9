"""Every failure one clear line: what a user's terminal, shell or stdout cannot take is
met with a fallback or one line saying what to do, never a traceback or "this is a
bug". (The HTTP client's own failures are in test_fetch.py.)"""

import codecs
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from geobal.errors import DataError, UsageError
from geobal.fieldtypes import NUMBER, TEXT
from geobal.model import Field, Record
from geobal.render import vega
from geobal.views import Figure, Frame
from tests.conftest import FIXTURES, Run, home_environ, isolated_environ, run_cli

# --- a terminal width that cannot be one -------------------------------------------------


@pytest.mark.parametrize("columns", ["0", "-5", "abc", "80x", str(10**9)])
@pytest.mark.parametrize(
    "command", [["deals"], ["show", "deals", "s-400"], ["brief"], ["suppliers"]], ids=" ".join
)
def test_an_unusable_terminal_width_is_taken_as_80(columns: str, command: list[str]) -> None:
    at_80 = run_cli(command, tty=True, width=80)
    assert at_80.exit_code == 0 and at_80.text.count("\n") > 5, at_80.stderr
    got = run_cli(command, tty=True, env={"COLUMNS": columns})
    # .text: the links' ids, which Rich draws at random, left out
    assert (got.exit_code, got.text, got.stderr) == (0, at_80.text, at_80.stderr)


def test_a_usable_terminal_width_is_kept() -> None:
    narrow = run_cli(["deals"], tty=True, env={"COLUMNS": " 60 "})
    assert max(len(line) for line in narrow.text.splitlines()) == 60


# --- a standard output that cannot encode a character ------------------------------------

NAME = "Café \u2013 Ñandú 😀"  # an en dash: beyond Latin-1


@pytest.fixture(scope="module")
def words(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home whose dataset `words` holds a name in Latin-1, beyond it, and beyond the
    Basic Multilingual Plane."""
    home = tmp_path_factory.mktemp("words")
    for args in (
        ["add", "sources", "--set", "id=mine", "--set", "quality=primary", "--set", "about=x"],
        ["new", "words", "--field", "name:text"],
        ["add", "words", "--set", "id=cafe", "--set", f"name={NAME}", "--set", "sources=mine"],
    ):
        made = run_cli(args, home=home)
        assert made.exit_code == 0, made.stderr
    return home


def encoded(home: Path, encoding: str, *args: str) -> tuple[int, bytes, str]:
    """geobal run as a real process whose standard streams have `encoding`."""
    env = {**isolated_environ(), **home_environ(home), "PYTHONIOENCODING": encoding}
    env.update(COLUMNS="80", NO_COLOR="1")
    done = subprocess.run(
        [sys.executable, "-m", "geobal", *args], capture_output=True, env=env, timeout=60,
        check=False,
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr.decode("ascii")


def warned(n: int, encoding: str = "ascii") -> str:
    return (
        f"geobal: warning: standard output ({encoding}) cannot write {n} characters of the "
        "output, written as \\u escapes instead; PYTHONIOENCODING=utf-8 writes them as they are\n"
    )


ESCAPED = "Caf\\u00e9 \\u2013 \\u00d1and\\u00fa \\ud83d\\ude00"


def test_json_to_an_ascii_stdout_is_escaped_and_reads_back_exact(words: Path) -> None:
    code, out, err = encoded(words, "ascii", "query", "words", "--json", "--fields", "id,name")
    assert (code, err) == (0, warned(5))
    assert out.decode("ascii") == f'[\n  {{\n    "id": "cafe",\n    "name": "{ESCAPED}"\n  }}\n]\n'
    assert json.loads(out) == [{"id": "cafe", "name": NAME}]


def test_csv_and_a_table_to_an_ascii_stdout_are_escaped(words: Path) -> None:
    code, out, err = encoded(words, "ascii", "query", "words", "-f", "csv", "--fields", "id,name")
    assert (code, out.decode("ascii"), err) == (0, f"id,name\ncafe,{ESCAPED}\n", warned(5))
    code, out, err = encoded(words, "ascii", "query", "words", "-f", "table", "--fields", "id,name")
    # Rich draws ASCII borders for an ASCII stream, and measured the name before it was
    # escaped: the column is the name's width, not its escapes'
    assert (code, err) == (0, warned(5))
    assert out.decode("ascii") == (
        "words\n"
        "+---------------------+\n"
        "|ID   | Name          |\n"
        "|-----+---------------|\n"
        "|cafe | Caf\\u00e9 \\u2013 \\u00d1and\\u00fa  |\n"
        "|     | \\ud83d\\ude00            |\n"
        "+---------------------+\n"
    )


def test_latin1_stdout_writes_what_it_can_and_escapes_the_rest(words: Path) -> None:
    code, out, err = encoded(words, "latin-1", "query", "words", "-f", "csv", "--fields", "name")
    assert (code, err) == (0, warned(2, "iso8859-1"))
    assert out == "name\nCafé \\u2013 Ñandú \\ud83d\\ude00\n".encode("latin-1")


def test_an_error_to_an_ascii_stderr_is_one_line_escaped(words: Path) -> None:
    code, out, err = encoded(words, "ascii", "show", "words", "café")
    assert (code, out, err) == (
        1,
        b"",
        "geobal: unknown id 'caf\\u00e9' in words; did you mean 'cafe'?\n"
        "list the ids with: geobal query words --fields id\n",
    )


def test_bars_and_bullets_on_an_ascii_stream_are_ascii() -> None:
    """Blocks and bullets would reach it as escapes six times their width."""
    from geobal.env import Env, Escaped
    from geobal.formats import Color
    from geobal.render.chart import print_brief, print_chart
    from geobal.views import Bar, BarGroup, Frame

    def drawn(draw: Callable[[Env], None], encoding: str) -> str:
        escapes = Escaped()
        codecs.register_error("test.escapes", escapes)
        out = io.TextIOWrapper(io.BytesIO(), encoding=encoding, errors="test.escapes")
        env = Env(out, io.StringIO(), True, False, {"COLUMNS": "40"}, escapes=escapes)
        draw(env)
        out.flush()
        assert escapes.count == 0
        return out.buffer.getvalue().decode(encoding)

    groups = [BarGroup("2019-23", "", [Bar("Russia", 36.0), Bar("France", 33.5)])]
    assert drawn(lambda env: print_chart(env, "Shares", groups, Color.NEVER), "ascii") == (
        "Shares\n\n2019-23\nRussia         #####               36%\n"
        "France         #####             33.5%\n\n"
    )
    assert "█████▍" in drawn(lambda env: print_chart(env, "Shares", groups, Color.NEVER), "utf-8")
    brief = Frame("Brief", (), [{"section": "Takeaways", "text": "One", "sources": ["a"]}])
    assert drawn(lambda env: print_brief(env, brief, Color.NEVER), "ascii") == (
        "Brief\n\nTakeaways\n* One [a]\n"
    )


# --- completion: nothing a terminal would act on, and never a traceback --------------------

CONTROLS = """\
[dataset]
name = "ctl"
title = "Controls"
key = "id"

[fields.id]
type = "text"

[fields.kind]
type = "choice"
choices = [
  { value = "plain", label = "Plain" },
  { value = "bell", label = "Ring\\u0007" },
  { value = "esc", label = "\\u001b[31mRed" },
  { value = "rtl", label = "R\\u202eLTR" },
]

[fields.tag]
type = "text"

[[records]]
id = "r1"
kind = "plain"
tag = "ok"
sources = ["article"]

[[records]]
id = "r2"
kind = "bell"
tag = "bad\\u001b]0;pwned\\u0007"
sources = ["article"]

[[records]]
id = "r3"
kind = "esc"
tag = "also\\u009bok\\tthen"
sources = ["article"]

[[records]]
id = "r4"
kind = "rtl"
tag = "two\\nlines"
sources = ["article"]
"""


@pytest.fixture(scope="module")
def controls(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("controls")
    (home / "datasets").mkdir()
    (home / "datasets" / "ctl.toml").write_text(CONTROLS, encoding="utf-8")
    return home


def completed(home: Path, words: str, shell: str = "bash", cword: str | None = None) -> Run:
    if cword is None:
        cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    env = {
        "_GEOBAL_COMPLETE": f"complete_{shell}",
        "COMP_WORDS": words,
        "COMP_CWORD": cword,
        "_TYPER_COMPLETE_ARGS": words,
    }
    return run_cli([], env=env, home=home)


@pytest.mark.parametrize(
    ("words", "offered"),
    [
        # values from the data: a tag with ESC and BEL, with CSI and a tab, with a newline
        ("geobal query ctl --where tag=", "tag=ok\n"),
        # a choice's labels: one with BEL, one with a bidirectional override
        ("geobal query ctl --where kind=R", "kind=Rtl\n"),
        ("geobal query ctl --where kind=", "kind=plain\nkind=bell\nkind=esc\nkind=rtl\n"),
        # ids, whose descriptions (for zsh and fish) hold them
        ("geobal show ctl r", "r1\nr2\nr3\nr4\n"),
    ],
)
def test_completion_never_offers_control_characters(
    controls: Path, words: str, offered: str
) -> None:
    result = completed(controls, words)
    assert (result.exit_code, result.stdout, result.stderr) == (0, offered, "")


def test_completion_help_shows_control_characters_escaped(controls: Path) -> None:
    """zsh shows each id with its record's words: escaped, on one line."""
    result = completed(controls, "geobal show ctl r", "zsh")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        '_arguments \'*: :(("r1":"ok"\n'
        '"r2":"bad\\x1b]0;pwned\\x07"\n'
        '"r3":"also\\x9bok then"\n'
        '"r4":"two lines"))\'\n'
    )


@pytest.mark.parametrize("cword", ["x", "", "-1", "-99", "1.5", "\u0663", "9" * 5000])
def test_a_bad_comp_cword_offers_nothing_and_prints_no_traceback(
    tmp_path: Path, cword: str
) -> None:
    result = completed(tmp_path, "geobal deals --sector ", cword=cword)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "")


def test_a_completer_that_fails_offers_nothing(
    controls: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("a bug in a completer")

    monkeypatch.setattr("geobal.searching.headline_field", broken)
    result = completed(controls, "geobal show ctl r")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "\n", "")


# --- a chart too big to draw --------------------------------------------------------------


def register_of(home: Path, recipients: int) -> Path:
    """A per-year export in which France delivers to `recipients` recipients, imported
    into `home` as the dataset yearly."""
    head = (FIXTURES / "sipri" / "per-year-2000-2001-excerpt.csv").read_text().splitlines()[:12]
    rows = [
        f"{90000 + i},France,Land {i:04d},MILAN,anti-tank missile,Missiles,1999,No,1,No,"
        "2000,No,New,1,1,1,No"
        for i in range(recipients)
    ]
    export = home / "export.csv"
    export.write_text("\n".join([*head, *rows]) + "\n", encoding="utf-8")
    made = run_cli(["import", str(export), "--as", "sipri", "--into", "yearly"], home=home)
    assert made.exit_code == 0, made.stderr
    return home


def test_a_chart_too_big_to_draw_says_how_big_and_how_to_narrow_it(tmp_path: Path) -> None:
    pytest.importorskip("vl_convert")
    home = register_of(tmp_path, 2000)  # the converter's stack overflows from 1,442
    out = tmp_path / "chart.svg"
    args = ["shares", "--supplier-of", "France", "--dataset", "yearly", "--from", "2000"]
    result = run_cli([*args, "--to", "2000", "-o", str(out)], home=home)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[-2:] == [
        "geobal: the chart has 2,000 bars, with 2,000 values of Recipient along its axis: "
        "geobal draws at most 1,400 values on an axis or in a legend (more overflow the "
        "converter, vl-convert)",
        "narrow it with the command's filters or fewer periods, or write its specification "
        "with --format vega-lite and draw it with another tool",
    ]
    assert not out.exists()
    # the specification itself is written: another tool may draw it
    spec = run_cli([*args, "--to", "2000", "-f", "vega-lite"], home=home)
    assert spec.exit_code == 0 and len(json.loads(spec.stdout)["data"]["values"]) == 2000


def figure_frame(xs: int, colours: int = 0) -> Frame:
    """A frame whose chart has `xs` values along its axis and `colours` in its legend."""
    columns = (Field("x", TEXT, "Period"), Field("c", TEXT, "Party"), Field("y", NUMBER, "Y"))
    rows: list[Record] = [
        {"x": f"p{i}", "c": f"c{c}", "y": 1.0} for i in range(xs) for c in range(max(colours, 1))
    ]
    figure = Figure("x", "y", color="c" if colours else None)
    return Frame("Many", columns, rows, figure=figure)


def test_the_bound_is_what_the_converter_draws(tmp_path: Path) -> None:
    """At the bound a chart draws; one more on an axis or in a legend is refused before
    the converter is asked (which fails from 1,442)."""
    pytest.importorskip("vl_convert")
    at_bound = vega.drawn(figure_frame(vega.MOST_VALUES), tmp_path / "x.svg")
    assert at_bound.startswith(b"<svg")
    with pytest.raises(UsageError, match="1,401 values of Party in its legend"):
        vega.drawn(figure_frame(2, vega.MOST_VALUES + 1), tmp_path / "x.png")


def test_a_converter_failure_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vl_convert = pytest.importorskip("vl_convert")

    def overflows(text: str) -> str:
        raise ValueError(
            "Vega-Lite to SVG conversion failed:\nRangeError: Maximum call stack size exceeded\n"
            "    at Function (<anonymous>)\n    at $ (https://cdn.jsdelivr.net/npm/vega:7:407)"
        )

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", overflows)
    with pytest.raises(DataError) as caught:
        vega.drawn(figure_frame(3), tmp_path / "x.svg")
    assert (caught.value.message, caught.value.hint) == (
        "the converter (vl-convert) could not draw the chart: RangeError: Maximum call stack "
        "size exceeded",
        "write its specification with --format vega-lite and draw it with another tool",
    )


# --- messages offer only what exists; - is standard output ------------------------------------


@pytest.mark.parametrize("args", [["-o", "-"], ["--output=-"], ["-f", "json", "-o", "-"]])
def test_export_to_dash_writes_standard_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    fmt = ["-f", "json"] if "json" in args else ["-f", "csv"]
    piped = run_cli(["export", "deals", *fmt])
    assert piped.exit_code == 0 and piped.stdout.count("\n") > 10
    dash = run_cli(["export", "deals", *([] if "-f" in args else fmt), *args])
    assert (dash.exit_code, dash.stdout, dash.stderr) == (0, piped.stdout, "")
    assert list(tmp_path.iterdir()) == []  # no file named -
    # ./- is still a file of that name, for whoever wants one
    named = run_cli(["export", "deals", *fmt, "-o", "./-"])
    assert (named.exit_code, named.stderr) == (0, "wrote 15 records to ./-\n")
    assert (tmp_path / "-").read_bytes().decode("utf-8") == piped.stdout


# --- out of memory ------------------------------------------------------------------------------


@pytest.mark.slow
def test_running_out_of_memory_in_an_import_is_one_line(tmp_path: Path) -> None:
    """An import larger than the memory a process may have (RLIMIT_AS, 500 MiB: room to
    start, not to hold 300 MB of rows twice) is said in one line, and the dataset is as
    it was; not "this is a bug", nor the interpreter's own dump."""
    import resource

    env = {**isolated_environ(), **home_environ(tmp_path)}
    made = subprocess.run(
        [sys.executable, "-m", "geobal", "new", "notes", "--field", "title:text"],
        env=env, capture_output=True, timeout=60, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    path = tmp_path / "datasets" / "notes.toml"
    before = path.read_bytes()
    # 300 MB: more than the limit leaves once Python has started, so an allocation fails
    # outright (near the limit, glibc instead grinds through mmap for every small one)
    rows = "title\n" + f"{'x' * 199}\n" * 1_500_000
    limit = 500 * 2**20

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-m", "geobal", "import", "-", "--into", "notes", "--source", "article"],
        input=rows.encode(), env=env, capture_output=True, timeout=60, check=False,
        preexec_fn=limited,
    )  # fmt: skip
    assert (done.returncode, done.stderr.decode()) == (
        1,
        "geobal: out of memory: the data is larger than this machine lets geobal hold\n"
        "every file geobal writes is written whole or not at all; give it a smaller part "
        "(fewer years, the file split in parts), or more memory\n",
    )
    assert path.read_bytes() == before
