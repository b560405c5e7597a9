"""Rules every command's output keeps: one line end for every CSV, Markdown escaped only
where it must be, and each note said once."""

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, run_cli

REGISTER = FIXTURES / "sipri" / "trade-register-excerpt.csv"


@pytest.mark.parametrize(
    "args",
    [
        ["risks", "--format", "csv"],
        ["export", "risks", "--format", "csv"],
        ["export", "risks", "--format", "csv", "--for-spreadsheet"],
        ["deals", "--format", "csv", "--fields", "id,note"],
    ],
)
@pytest.mark.parametrize("tty", [False, True])
def test_every_csv_ends_its_lines_with_a_newline_on_a_terminal_and_off_it(
    args: list[str], tty: bool
) -> None:
    result = run_cli(args, tty=tty)
    assert result.exit_code == 0, result.stderr
    assert "\r" not in result.stdout and "\\x0d" not in result.stdout
    assert result.stdout.endswith("\n")
    assert result.stdout.splitlines()[0].startswith(("id,", '"id",'))


def test_a_csv_file_export_ends_its_lines_with_a_newline(tmp_path: Path) -> None:
    out = tmp_path / "risks.csv"
    result = run_cli(["export", "risks", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    assert b"\r" not in data and data.endswith(b"\n")
    # the file is what stdout gets in a pipe
    assert data.decode("utf-8") == run_cli(["export", "risks", "--format", "csv"]).stdout


def test_a_brief_in_markdown_shows_its_source_ids_in_plain_brackets() -> None:
    result = run_cli(["brief", "--format", "markdown"])
    assert result.exit_code == 0, result.stderr
    assert "[article]\n" in result.stdout
    assert "\\[" not in result.stdout and "\\]" not in result.stdout


@pytest.fixture(scope="module")
def register_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A home with only the legacy register imported, whose shares are estimates."""
    home = tmp_path_factory.mktemp("legacy-home")
    result = run_cli(["import", str(REGISTER), "--as", "sipri"], home=home)
    assert result.exit_code == 0, result.stderr
    return home


ESTIMATE = "each record's delivered TIV spread evenly over its delivery years"


@pytest.mark.parametrize(
    ("args", "tty"),
    [
        (["shares", "--recipient", "India"], True),
        (["shares", "--recipient", "India"], False),
        (["shares", "--recipient", "India", "--no-chart"], True),
        (["shares", "--recipient", "India", "--format", "markdown"], True),
        (["shares", "--recipient", "India", "--json"], True),
        (["shares", "--recipient", "India", "--periods", "2014-2023"], True),
    ],
)
def test_the_estimate_note_is_said_once_where_a_person_reads_stdout_and_stderr(
    register_home: Path, args: list[str], tty: bool
) -> None:
    result = run_cli(args, tty=tty, home=register_home)
    assert result.exit_code == 0, result.stderr
    # a terminal shows both streams: the caption under the table, or the note on stderr
    said = (result.stdout + result.stderr).replace("\n", " ")
    assert said.count(ESTIMATE.split(" delivery")[0]) == 1, (result.stdout, result.stderr)
    # off a terminal, where stdout is data for a file or a script, stderr says it
    if not tty:
        assert ESTIMATE in result.stderr.replace("\n", " ")


def test_off_a_terminal_stderr_says_every_note_markdown_shows_too(register_home: Path) -> None:
    args = ["shares", "--recipient", "India", "--format", "markdown"]
    result = run_cli(args, home=register_home)
    assert ESTIMATE in result.stdout.replace("\n", " ")
    assert ESTIMATE in result.stderr.replace("\n", " ")


@pytest.mark.parametrize("width", [40, 80])
def test_notes_on_a_terminal_are_wrapped_at_spaces_and_never_inside_an_address(
    width: int,
) -> None:
    """The newcomer pass on issue 22: a 180-character note ran off a 40-column terminal."""
    import io

    from geobal.context import Context
    from geobal.env import Env

    note = (
        "SIPRI's per-year export gives exact figures: geobal fetch sipri, or download it "
        "from https://www.sipri.org/databases/armstransfers and import it with geobal "
        "import FILE --as sipri"
    )
    said = {}
    for tty in (False, True):
        err = io.StringIO()
        Context(Env(io.StringIO(), err, tty, tty, {"COLUMNS": str(width)})).say(note)
        said[tty] = err.getvalue()
    assert said[False] == note + "\n"  # a pipe or a file: one line, as it was
    lines = said[True].splitlines()
    address = "https://www.sipri.org/databases/armstransfers"
    assert " ".join(lines) == note
    # a line no wider than the terminal, but for an address longer than it: kept whole
    assert all(len(line) <= width or line == address for line in lines)
    assert any(address in line for line in lines)
