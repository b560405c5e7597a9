"""`geobal import` reads back what `geobal export` writes, TSV included, and says how it
read a CSV file whose separator it found out."""

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.unit.test_codecs import ODD, RECORDS

Cli = Callable[..., Run]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    datasets = tmp_path / "datasets"
    datasets.mkdir()
    (datasets / "odd.toml").write_text(ODD + RECORDS, encoding="utf-8")
    (datasets / "copy.toml").write_text(ODD.replace('"odd"', '"copy"'), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("through", ["file", "stdin"])
def test_a_tsv_export_imports_back_unchanged(cli: Cli, home: Path, through: str) -> None:
    tsv = cli(["export", "odd", "--format", "tsv"], home=home)
    assert (tsv.exit_code, tsv.stderr) == (0, "")
    if through == "file":
        (home / "odd.tsv").write_text(tsv.stdout, encoding="utf-8")
        back = cli(["import", str(home / "odd.tsv"), "--into", "copy"], home=home)
    else:
        back = cli(
            ["import", "-", "--format", "tsv", "--into", "copy"], home=home, stdin=tsv.stdout
        )
    assert (back.exit_code, back.stdout, back.stderr) == (
        0,
        "",
        f"read 3 rows: added 3 and replaced 0 in {home / 'datasets' / 'copy.toml'}\n",
    )
    for fmt in ("json", "tsv"):
        original = cli(["export", "odd", "--format", fmt], home=home).stdout
        assert cli(["export", "copy", "--format", fmt], home=home).stdout == original


def test_a_csv_separated_by_semicolons_is_read_so_and_said(cli: Cli, home: Path) -> None:
    rows = home / "rows.csv"
    rows.write_text('id;note;share\nx1;hello, world;1.5\nx2;"a;b";2\n', encoding="utf-8")
    result = cli(["import", str(rows), "--into", "copy", "--source", "article"], home=home)
    assert (result.exit_code, result.stderr) == (
        0,
        f"read {rows} as CSV separated by ';'\n"
        f"read 2 rows: added 2 and replaced 0 in {home / 'datasets' / 'copy.toml'}\n",
    )
    notes = cli(["query", "copy", "--fields", "note", "-f", "tsv"], home=home).stdout
    assert notes == "note\nhello, world\na;b\n"


def test_what_was_found_is_said_before_the_rows_that_fail(cli: Cli, home: Path) -> None:
    result = cli(
        ["import", "-", "--into", "copy", "--source", "article"],
        home=home,
        stdin="id\tcount\nx1\tmany\n",
    )
    assert (result.exit_code, result.stderr) == (
        1,
        "read standard input as CSV separated by tabs (TSV as geobal writes it, its "
        "escapes read back, is --format tsv)\n"
        "geobal: standard input: 1 problem; nothing was imported\n"
        "  standard input: line 2: count: count takes a whole number, not 'many'\n"
        "fix the rows (or map their columns with --map) and import again\n",
    )


def test_a_separator_that_cannot_be_told_is_asked_for(cli: Cli, home: Path) -> None:
    rows = "id,x;note\nx3,y;hello\n"
    asked = cli(["import", "-", "--into", "copy"], home=home, stdin=rows)
    assert (asked.exit_code, asked.stderr) == (
        1,
        "geobal: standard input: cannot tell what separates its cells: its header holds "
        "',' and ';', and each reads every row to the header's width\n"
        "say it with --delimiter (for example --delimiter ';', or --delimiter tab)\n",
    )
    said = cli(
        [
            "import",
            "-",
            "--into",
            "copy",
            "--source",
            "article",
            "--delimiter",
            ",",
            "--map",
            "x;note=note",
        ],
        home=home,
        stdin=rows,
    )
    assert (said.exit_code, said.stderr) == (
        0,
        f"read 1 row: added 1 and replaced 0 in {home / 'datasets' / 'copy.toml'}\n",
    )
    shown = cli(["query", "copy", "--fields", "id,note", "-f", "tsv"], home=home).stdout
    assert shown == "id\tnote\nx3\ty;hello\n"


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["--delimiter", ";", "--delimiter", ","], 2,
         "geobal: --delimiter given twice (';' and ,); give it once\n"),
        (["--delimiter", "ab"], 2,
         "geobal: --delimiter 'ab': expected one character that separates cells (not a "
         "quote or a line end)\nfor example --delimiter ';', or --delimiter tab\n"),
        (["--delimiter", ";", "--format", "json"], 2,
         "geobal: --delimiter applies to CSV; standard input is read as JSON\n"
         "leave --delimiter out, or read the file as CSV: --format csv\n"),
        (["--delimiter", ";", "--as", "sipri"], 2,
         "geobal: --delimiter applies to rows, not to --as sipri: a SIPRI export's "
         "columns, source and format are its own, and it replaces the dataset whole\n"
         "leave them out\n"),
    ],
)  # fmt: skip
def test_a_delimiter_is_one_character_for_csv_given_once(
    cli: Cli, home: Path, args: list[str], code: int, said: str
) -> None:
    result = cli(["import", "-", "--into", "copy", *args], home=home, stdin="id\nx\n")
    assert (result.exit_code, result.stderr) == (code, said)


def test_a_delimiter_may_name_a_tab(cli: Cli, home: Path) -> None:
    rows = 'id\tnote\nx\t"a\tb"\n'  # CSV quoting, which geobal's TSV has not
    result = cli(
        ["import", "-", "--into", "copy", "--source", "article", "--delimiter", "tab"],
        home=home,
        stdin=rows,
    )
    assert result.exit_code == 0, result.stderr
    assert cli(["query", "copy", "--fields", "note", "--json"], home=home).stdout == (
        '[\n  {\n    "note": "a\\tb"\n  }\n]\n'
    )
