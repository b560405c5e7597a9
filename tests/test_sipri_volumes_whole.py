"""A SIPRI volume table is imported whole or refused: a figure that is not one, a table
cut short or without its row of totals, a row of totals that cannot be the table's, each
refused naming the line, with nothing written; and the export table's suppliers matched
in --where by any of their names."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from geobal.errors import DataError
from geobal.transfer import sipri
from tests.conftest import FIXTURES, run_cli
from tests.test_sipri import VOLUMES

EXPORTS = FIXTURES / "sipri" / "export-values-excerpt.csv"
FROM_CHINA = FIXTURES / "sipri" / "import-values-from-china-excerpt.csv"
UNCHANGED = "export the table again from SIPRI's database, unchanged"
DOWNLOAD = "download the table again from SIPRI's database, whole"


def _doctored(path: Path, change: Callable[[list[str]], None]) -> bytes:
    """The fixture with its lines changed in place (line n is lines[n - 1]); read as
    Latin-1, which keeps every byte as it is."""
    lines = path.read_bytes().decode("latin-1").split("\n")
    change(lines)
    return "\n".join(lines).encode("latin-1")


def _cell(line: int, column: int, value: str) -> Callable[[list[str]], None]:
    def change(lines: list[str]) -> None:
        cells = lines[line - 1].split(",")
        cells[column] = value
        lines[line - 1] = ",".join(cells)

    return change


def _refused(data: bytes) -> str:
    with pytest.raises(DataError) as info:
        sipri.read_volumes(data, "t.csv")
    assert info.value.hint is not None
    return f"{info.value.message}\n{info.value.hint}"


# the export table's header: "Exports by,1950,...": column 70 is 2019; Russia is line 12
@pytest.mark.parametrize("value", ["n/a", "?", "-3", "12,5"])
def test_a_figure_that_is_not_one_refuses_the_whole_table(value: str) -> None:
    change = _cell(12, 70, value)
    if value == "12,5":  # a comma within the cell: SIPRI would have quoted it
        change = _cell(12, 70, '"12,5"')
    why = "is not a TIV figure" if value == "-3" else "is not a number"
    assert _refused(_doctored(EXPORTS, change)) == (
        f"t.csv:12: the 2019 figure of 'Russia' {why}: {value!r}; a volume table is "
        "imported whole or not at all: nothing was written\n"
        f"an empty cell is SIPRI's 'no deliveries identified'; {UNCHANGED}"
    )


def test_empty_cells_stay_no_deliveries() -> None:
    read = sipri.read_volumes(EXPORTS.read_bytes(), "e.csv")
    russia = {r["year"] for r in read.records if r["supplier"] == "Russia"}
    assert 1950 not in russia and 2019 in russia
    assert (read.read, read.rejected) == (6, [])


def test_the_import_of_a_table_with_a_figure_that_is_not_one_writes_nothing(
    tmp_path: Path,
) -> None:
    bad = tmp_path / "export-values.csv"
    bad.write_bytes(_doctored(EXPORTS, _cell(12, 70, "n/a")))
    result = run_cli(["import", str(bad), "--as", "sipri-tiv"], home=tmp_path / "home")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"geobal: {bad}:12: the 2019 figure of 'Russia' is not a number: 'n/a'; a volume "
        "table is imported whole or not at all: nothing was written\n"
        f"an empty cell is SIPRI's 'no deliveries identified'; {UNCHANGED}\n"
    )
    listed = run_cli(["datasets", "--json", "--fields", "name"], home=tmp_path / "home")
    assert "tiv-exports" not in {r["name"] for r in json.loads(listed.stdout)}


def _without_total(lines: list[str]) -> None:
    lines[:] = [line for line in lines if not line.startswith("Total ")]


def test_a_table_of_one_supplier_without_its_total_row_is_not_taken_for_the_worlds(
    tmp_path: Path,
) -> None:
    """Without "Total imports from China", nothing tells the table is China's only."""
    cut = tmp_path / "import-values.csv"
    cut.write_bytes(_doctored(FROM_CHINA, _without_total))
    result = run_cli(["import", str(cut), "--as", "sipri-tiv"], home=tmp_path / "home")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"geobal: {cut}: no row of totals ('Total world import', or 'Total imports from ...' "
        "in a table of one partner) after its last row (line 13): the table looks "
        f"truncated; nothing was written\n{DOWNLOAD}\n"
    )
    listed = run_cli(["datasets", "--json", "--fields", "name"], home=tmp_path / "home")
    assert not {"tiv", "tiv-imports-from-china"} & {r["name"] for r in json.loads(listed.stdout)}


def test_an_export_table_without_its_total_row_is_refused() -> None:
    assert _refused(_doctored(EXPORTS, _without_total)) == (
        "t.csv: no row of totals ('Total world export', or 'Total exports to ...' in a "
        "table of one partner) after its last row (line 15): the table looks truncated; "
        f"nothing was written\n{DOWNLOAD}"
    )


def test_a_table_whose_last_row_was_cut_short_is_refused() -> None:
    def cut(lines: list[str]) -> None:
        _without_total(lines)
        at = next(n for n, line in enumerate(lines) if line.startswith("Dominican Republic"))
        lines[at] = ",".join(lines[at].split(",")[:40])
        del lines[at + 1 :]

    assert _refused(_doctored(VOLUMES, cut)) == (
        "t.csv:21: the last row has 40 cells where the header has 80: the table looks "
        f"truncated; nothing was written\n{DOWNLOAD}"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            _cell(13, 0, "Russia"),
            "t.csv:13: 'Russia' again (line 12); nothing was written",
        ),
        (
            _cell(13, 0, ""),
            "t.csv:13: no supplier in its first cell; nothing was written",
        ),
        (
            lambda lines: lines.__setitem__(12, lines[12] + ",7"),
            "t.csv:13: 81 cells where the header has 80; nothing was written",
        ),
        (
            lambda lines: lines.insert(16, lines[11].replace("Russia", "Belarus")),
            "t.csv:17: a row below the table's row of totals (line 16); nothing was written",
        ),
    ],
    ids=["twice", "unnamed", "long", "below-total"],
)
def test_a_row_that_cannot_be_read_refuses_the_table(
    change: Callable[[list[str]], None], message: str
) -> None:
    assert _refused(_doctored(EXPORTS, change)) == f"{message}\n{UNCHANGED}"


@pytest.mark.parametrize(
    ("path", "total", "message"),
    [
        (
            EXPORTS,
            "Total exports from China",
            "t.csv:16: the row of totals 'Total exports from China' cannot end an "
            "export-volume table, a row a supplier: its total is 'Total world export', or "
            "'Total exports to ...' in a table of one partner; nothing was written",
        ),
        (
            EXPORTS,
            "Total world import",
            "t.csv:16: the row of totals 'Total world import' cannot end an export-volume "
            "table, a row a supplier: its total is 'Total world export', or 'Total exports "
            "to ...' in a table of one partner; nothing was written",
        ),
        (
            FROM_CHINA,
            "Total exports to China",
            "t.csv:14: the row of totals 'Total exports to China' cannot end an "
            "import-volume table, a row a recipient: its total is 'Total world import', or "
            "'Total imports from ...' in a table of one partner; nothing was written",
        ),
    ],
)
def test_a_row_of_totals_that_cannot_be_the_tables_is_refused(
    path: Path, total: str, message: str
) -> None:
    def change(lines: list[str]) -> None:
        at = next(n for n, line in enumerate(lines) if line.startswith("Total "))
        lines[at] = total + lines[at][lines[at].index(",") :]

    assert _refused(_doctored(path, change)) == (
        f"{message}\nis the file the table SIPRI exported? {UNCHANGED}"
    )


def test_an_export_table_of_one_recipient_is_read_with_its_scope() -> None:
    def change(lines: list[str]) -> None:
        lines[15] = "Total exports to India" + lines[15][lines[15].index(",") :]

    read = sipri.read_volumes(_doctored(EXPORTS, change), "t.csv")
    assert read.scope == "exports to India"
    assert sipri.scope(["China", "Total exports to India"], "export-volumes") == (
        "exports to India"
    )
    assert sipri.scope(["China", "Total exports from China"], "export-volumes") is None


def test_the_export_tables_suppliers_match_by_any_of_their_names(tmp_path: Path) -> None:
    home = tmp_path / "home"
    done = run_cli(["import", str(EXPORTS), "--as", "sipri-tiv"], home=home)
    assert done.exit_code == 0, done.stderr
    result = run_cli(
        ["query", "tiv-exports", "--where", "supplier=USA", "--where", "year=2023", "--json"],
        home=home,
    )
    assert result.exit_code == 0, result.stderr
    assert [(r["supplier"], r["tiv"]) for r in json.loads(result.stdout)] == [
        ("United States", 11287)
    ]
