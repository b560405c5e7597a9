"""SIPRI exports a hostile user doctored (issue 21): repeated data, two exports joined,
volume-table headers with a cell that is no year or years out of order, rows of totals
that are not their rows', figures SIPRI never writes, tabs in cells, and the causes
each refusal names. Each doctored file is made here from a committed excerpt."""

from pathlib import Path

import pytest

from geobal.errors import DataError
from geobal.transfer import sipri
from tests.conftest import FIXTURES, run_cli, shared

EXCERPTS = FIXTURES / "sipri"
PER_YEAR = EXCERPTS / "per-year-2000-2001-excerpt.csv"
REGISTER_2024 = EXCERPTS / "trade-register-excerpt.csv"
VOLUMES = EXCERPTS / "import-export-values-excerpt.csv"
EXPORTS = EXCERPTS / "export-values-excerpt.csv"
FROM_CHINA = EXCERPTS / "import-values-from-china-excerpt.csv"
UNCHANGED = "export the file again from SIPRI's database, unchanged"
ON_ITS_OWN = "import each export on its own, as SIPRI's database gave it"


def _lines(path: Path) -> list[str]:
    """The excerpt's lines, read as Latin-1, which keeps every byte as it is."""
    return path.read_bytes().decode("latin-1").rstrip("\n").split("\n")


def _bytes(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("latin-1")


def _refused(read: object, data: bytes) -> str:
    with pytest.raises(DataError) as info:
        read(data, "t.csv")  # type: ignore[operator]
    return f"{info.value.message}\n{info.value.hint}"


def _import(tmp_path: Path, data: bytes, kind: str) -> tuple[int, str, str]:
    path = tmp_path / "doctored.csv"
    path.write_bytes(data)
    result = run_cli(["import", str(path), "--as", kind, "--into", "x"], home=tmp_path / "h")
    return result.exit_code, result.stdout, result.stderr.replace(str(path), "F")


# --- 1. repeated data in a register -------------------------------------------------------

DELIVERY_AGAIN = (
    "t.csv:{again}: deal 27080's delivery of 2001 again (line 13): SIPRI's per-year export "
    "has each deal and delivery year once, so the file is damaged (a line pasted twice?); "
    f"nothing was written\n{UNCHANGED}"
)


def test_a_per_year_line_pasted_twice_is_refused_naming_both_lines(tmp_path: Path) -> None:
    lines = _lines(PER_YEAR)
    assert lines[12].startswith("27080,Slovakia,India")  # line 13, the first data line
    doctored = _bytes([*lines[:13], lines[12], *lines[13:]])
    assert _refused(sipri.read_register, doctored) == DELIVERY_AGAIN.format(again=14)
    assert _import(tmp_path, doctored, "sipri") == (
        1,
        "",
        "geobal: " + DELIVERY_AGAIN.format(again=14).replace("t.csv", "F") + "\n",
    )


def test_the_data_lines_appended_again_are_refused_at_the_first_repeat() -> None:
    lines = _lines(PER_YEAR)
    doctored = _bytes([*lines, *lines[12:]])
    assert _refused(sipri.read_register, doctored) == DELIVERY_AGAIN.format(again=len(lines) + 1)


def test_two_whole_exports_joined_are_refused_naming_the_second_ones_notes(
    tmp_path: Path,
) -> None:
    lines = _lines(PER_YEAR)
    doctored = _bytes([*lines, *lines])
    refusal = (
        f"t.csv:{len(lines) + 1}: the notes or header of an export again, below its header "
        f"(line 12): two exports joined? nothing was written\n{ON_ITS_OWN}"
    )
    assert _refused(sipri.read_register, doctored) == refusal
    assert _import(tmp_path, doctored, "sipri") == (
        1,
        "",
        "geobal: " + refusal.replace("t.csv", "F") + "\n",
    )


def test_a_header_again_mid_file_is_refused_not_rejected() -> None:
    lines = _lines(PER_YEAR)
    doctored = _bytes([*lines[:40], lines[11], *lines[40:]])
    assert _refused(sipri.read_register, doctored) == (
        "t.csv:41: the notes or header of an export again, below its header (line 12): "
        f"two exports joined? nothing was written\n{ON_ITS_OWN}"
    )


def test_a_volume_table_joined_to_another_is_refused_naming_the_line() -> None:
    lines = _lines(VOLUMES)
    doctored = _bytes([*lines, *lines])
    assert _refused(sipri.read_volumes, doctored) == (
        f"t.csv:{len(lines) + 1}: the notes or header of an export again, below its header "
        f"(line 10): two exports joined? nothing was written\n{ON_ITS_OWN}"
    )


def test_identical_lines_of_the_legacy_register_are_two_deals_and_kept() -> None:
    lines = _lines(REGISTER_2024)
    at = next(n for n, line in enumerate(lines) if line.startswith("India,"))
    doctored = _bytes([*lines[: at + 1], lines[at], *lines[at + 1 :]])
    before = sipri.read_register(REGISTER_2024.read_bytes(), "t.csv")
    after = sipri.read_register(doctored, "t.csv")
    assert len(after.records) == len(before.records) + 1
    added = {str(r["id"]) for r in after.records} - {str(r["id"]) for r in before.records}
    twin = added.pop()
    assert (added, twin[-2:]) == (set(), "-2")
    first = next(r for r in after.records if r["id"] == twin[:-2])
    assert next(r for r in after.records if r["id"] == twin) == {**first, "id": twin}


def test_the_real_legacy_register_keeps_its_nine_pairs_of_identical_lines() -> None:
    data = shared("sipri", "trade-register.csv").read_bytes()
    export = sipri.read_register(data, "t.csv")
    twins = [r for r in export.records if str(r["id"]).endswith("-2")]
    assert any(r["recipient"] == "Ukraine" and r["designation"] == "NASAMS-2" for r in twins)
    assert export.rejected == []


def test_the_real_per_year_export_has_each_deal_and_year_once() -> None:
    data = shared("sipri", "per-year-2000-2023.csv").read_bytes()
    export = sipri.read_register(data, "t.csv")
    assert len({(r["deal"], r["delivery_year"]) for r in export.records}) == 20480


# --- 2, 3. a volume table's header --------------------------------------------------------


def _header(path: Path, change: dict[int, str]) -> bytes:
    lines = _lines(path)
    top = next(n for n, line in enumerate(lines) if line.startswith(("Recipient,", "Exports by,")))
    cells = lines[top].split(",")
    for at, value in change.items():
        cells[at] = value
    lines[top] = ",".join(cells)
    return _bytes(lines)


NOT_A_YEAR = (
    "t.csv:10: the header's column {column}, {cell!r}, is neither a year nor one of SIPRI's "
    "summary columns after the years ('1950-2024', 'Percentage', 'Sum total years', "
    "'Percentage of total'): its figures would be dropped unsaid; nothing was written\n"
    f"{UNCHANGED}"
)


def test_a_year_misspelt_in_the_header_is_refused_naming_the_cell(tmp_path: Path) -> None:
    doctored = _header(VOLUMES, {41: "199O"})
    refusal = NOT_A_YEAR.format(column=42, cell="199O")
    assert _refused(sipri.read_volumes, doctored) == refusal
    assert _import(tmp_path, doctored, "sipri-tiv") == (
        1,
        "",
        "geobal: " + refusal.replace("t.csv", "F") + "\n",
    )


def test_a_summary_column_renamed_is_refused_naming_the_cell() -> None:
    header = _lines(EXPORTS)[9].split(",")
    at = header.index("Percentage")
    doctored = _header(EXPORTS, {at: "Share"})
    assert _refused(sipri.read_volumes, doctored) == NOT_A_YEAR.format(column=at + 1, cell="Share")


@pytest.mark.parametrize(
    ("change", "year", "column", "after"),
    [({41: "1991", 42: "1990"}, 1991, 42, 1989), ({1: "1850"}, 1951, 3, 1850)],
)
def test_years_not_consecutive_and_rising_are_refused(
    tmp_path: Path, change: dict[int, str], year: int, column: int, after: int
) -> None:
    refusal = (
        f"t.csv:10: the header's years are not consecutive and rising: {year} in column "
        f"{column}, after {after}; nothing was written\n{UNCHANGED}"
    )
    assert _refused(sipri.read_volumes, _header(VOLUMES, change)) == refusal
    assert _import(tmp_path, _header(VOLUMES, change), "sipri-tiv") == (
        1,
        "",
        "geobal: " + refusal.replace("t.csv", "F") + "\n",
    )
