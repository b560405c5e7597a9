"""SIPRI exports a hostile user doctored (issue 21): repeated data, two exports joined,
volume-table headers with a cell that is no year or years out of order, rows of totals
that are not their rows', figures SIPRI never writes, tabs in cells, and the causes
each refusal names. Each doctored file is made here from a committed excerpt."""

from collections.abc import Callable
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
    assert after.said == (
        *before.said,
        "records alike in every field to one above, kept as deals of their own (SIPRI's "
        "legacy register repeats such deals): 1",
    )


def test_the_real_legacy_register_keeps_its_nine_pairs_of_identical_lines() -> None:
    data = shared("sipri", "trade-register.csv").read_bytes()
    export = sipri.read_register(data, "t.csv")
    twins = [r for r in export.records if str(r["id"]).endswith("-2")]
    assert any(r["recipient"] == "Ukraine" and r["designation"] == "NASAMS-2" for r in twins)
    assert (export.rejected, export.said) == (
        [],
        (
            "read as Latin-1",
            "records alike in every field to one above, kept as deals of their own (SIPRI's "
            "legacy register repeats such deals): 9",
        ),
    )


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


# --- 4. a row of totals that is not its rows' ---------------------------------------------

ADD_UP = "was a figure or a row changed? export the table again from SIPRI's database, unchanged"


def _total(path: Path, change: Callable[[list[str]], None]) -> bytes:
    lines = _lines(path)
    cells = lines[-1].split(",")
    change(cells)
    lines[-1] = ",".join(cells)
    return _bytes(lines)


def test_a_world_total_ten_times_its_years_figure_is_refused(tmp_path: Path) -> None:
    def tenfold_1990(cells: list[str]) -> None:
        cells[41] = str(int(cells[41]) * 10)

    doctored = _total(VOLUMES, tenfold_1990)
    refusal = (
        "t.csv:22: the 1950-2024 sum of 'Total world import', 2065055, is not the sum of its "
        f"74 figures, 2338123, within SIPRI's rounding (37.5); nothing was written\n{ADD_UP}"
    )
    assert _refused(sipri.read_volumes, doctored) == refusal
    assert _import(tmp_path, doctored, "sipri-tiv") == (
        1,
        "",
        "geobal: " + refusal.replace("t.csv", "F") + "\n",
    )


def test_a_world_total_ten_times_in_every_cell_is_refused_by_the_percentages() -> None:
    def tenfold(cells: list[str]) -> None:
        cells[1:-3] = [str(int(c) * 10) if c.isdigit() else c for c in cells[1:-3]]

    assert _refused(sipri.read_volumes, _total(EXPORTS, tenfold)) == (
        "t.csv:11: 'United States' is 36% of the total, yet its 1950-2024 sum is 3.59% of the "
        f"total's on line 16; nothing was written\n{ADD_UP}"
    )


def test_a_years_total_short_of_its_rows_is_refused_even_in_an_excerpt() -> None:
    """Pakistan's 2000 figure raised by 300, its sums and percentage with it: only the
    year's total, 309, no longer covers its rows."""
    lines = _lines(FROM_CHINA)
    at = next(n for n, line in enumerate(lines) if line.startswith("Pakistan,"))
    cells = lines[at].split(",")
    cells[1], cells[-4], cells[-2] = (str(int(c) + 300) for c in (cells[1], cells[-4], cells[-2]))
    cells[-3] = "45%"
    lines[at] = ",".join(cells)
    assert _refused(sipri.read_volumes, _bytes(lines)) == (
        "t.csv:14: the 2000 total, 309, is not the sum of that year's 2 figures, 380, within "
        f"SIPRI's rounding (1.5); nothing was written\n{ADD_UP}"
    )


def test_a_whole_tables_total_off_by_more_than_rounding_in_one_year_is_refused() -> None:
    lines = shared("sipri", "import-export-values_1950-2024.csv").read_text().split("\n")
    last = max(n for n, line in enumerate(lines) if line.startswith("Total world import"))
    cells = lines[last].split(",")
    cells[41], cells[-4], cells[-2] = (
        str(int(c) + 1000) for c in (cells[41], cells[-4], cells[-2])
    )
    lines[last] = ",".join(cells)
    assert _refused(sipri.read_volumes, "\n".join(lines).encode()) == (
        "t.csv:272: the 1990 total, 31341, is not the sum of that year's 112 figures, 30343, "
        f"within SIPRI's rounding (56.5); nothing was written\n{ADD_UP}"
    )


@pytest.mark.parametrize(
    "name",
    [
        "import-export-values_1950-2024.csv",
        "export-values_1950-2024.csv",
        "import-values-2026-07-from-china.csv",
    ],
)
def test_the_real_tables_add_up_within_rounding(name: str) -> None:
    assert sipri.read_volumes(shared("sipri", name).read_bytes(), name).records


# --- 6. figures SIPRI never writes --------------------------------------------------------


@pytest.mark.parametrize("value", ["1_000", "1e3", "+5", "0x10", "1e309", " 5.", ".5"])
def test_a_figure_not_written_as_sipri_writes_one_is_refused(value: str) -> None:
    lines = _lines(EXPORTS)
    cells = lines[11].split(",")
    cells[70] = value
    lines[11] = ",".join(cells)
    why = (
        "a number"
        if value == "0x10"
        else "a figure as SIPRI writes one (digits, a decimal point maybe)"
    )
    assert _refused(sipri.read_volumes, _bytes(lines)) == (
        f"t.csv:12: the 2019 figure of 'Russia' is not {why}: {value.strip()!r}; a volume table is "
        "imported whole or not at all: nothing was written\nan empty cell is SIPRI's 'no "
        "deliveries identified'; export the table again from SIPRI's database, unchanged"
    )


def test_a_register_figure_not_written_as_sipri_writes_one_rejects_its_line() -> None:
    lines = _lines(PER_YEAR)
    cells = lines[12].split(",")
    cells[15] = "2.709e1"
    lines[12] = ",".join(cells)
    export = sipri.read_register(_bytes(lines), "t.csv")
    assert export.rejected == [
        sipri.Rejected(
            (13,),
            (
                "TIV delivery values is not a figure as SIPRI writes one (digits, a decimal "
                "point maybe): '2.709e1'"
            ),
        )
    ]


# --- 7. a tab inside a register cell ------------------------------------------------------


def test_a_tab_inside_a_register_cell_rejects_its_line(tmp_path: Path) -> None:
    lines = _lines(PER_YEAR)
    lines[12] = lines[12].replace("Slovakia", "Slo\tvakia")
    export = sipri.read_register(_bytes(lines), "t.csv")
    assert export.rejected == [sipri.Rejected((13,), "a tab inside the cell 'Slo\\tvakia'")]
    code, out, err = _import(tmp_path, _bytes(lines), "sipri")
    assert (code, out) == (0, "")
    assert "  line 13: a tab inside the cell 'Slo\\tvakia'\n" in err


def test_a_tab_at_the_end_of_a_cell_is_its_spaces() -> None:
    lines = _lines(PER_YEAR)
    lines[12] = lines[12].replace("Slovakia", "Slovakia\t")
    export = sipri.read_register(_bytes(lines), "t.csv")
    assert export.records == sipri.read_register(PER_YEAR.read_bytes(), "t.csv").records


# --- 8. the cause each refusal names ------------------------------------------------------


def test_a_header_with_an_extra_column_is_refused_as_such_not_as_a_truncated_table() -> None:
    lines = _lines(VOLUMES)
    lines[9] += ",Extra"
    assert _refused(sipri.read_volumes, _bytes(lines)) == NOT_A_YEAR.format(
        column=lines[9].count(",") + 1, cell="Extra"
    )


def test_a_row_of_totals_in_another_case_is_refused_as_such(tmp_path: Path) -> None:
    lines = _lines(FROM_CHINA)
    lines[-1] = lines[-1].replace("Total imports from China", "total imports from China")
    refusal = (
        "t.csv:14: the row 'total imports from China' reads as a row of totals written in "
        "another case: SIPRI writes 'Total world import' or 'Total imports from ...'; nothing "
        "was written\nis the file the table SIPRI exported? export the table again from "
        "SIPRI's database, unchanged"
    )
    assert _refused(sipri.read_volumes, _bytes(lines)) == refusal
    assert _import(tmp_path, _bytes(lines), "sipri-tiv") == (
        1,
        "",
        "geobal: " + refusal.replace("t.csv", "F") + "\n",
    )


def test_cr_line_ends_are_read_and_said(tmp_path: Path) -> None:
    cr = PER_YEAR.read_bytes().replace(b"\n", b"\r")
    export = sipri.read_register(cr, "t.csv")
    assert export.records == sipri.read_register(PER_YEAR.read_bytes(), "t.csv").records
    assert export.said[:2] == ("read as UTF-8", "CR line ends read as LF")
    path = tmp_path / "cr.csv"
    path.write_bytes(cr)
    result = run_cli(["import", str(path)], home=tmp_path / "h")
    assert result.exit_code == 0
    assert "read as UTF-8; CR line ends read as LF" in result.stderr


def test_a_lone_cr_among_lf_line_ends_is_refused_naming_its_line() -> None:
    data = PER_YEAR.read_bytes().split(b"\n")
    data[20] += b"\r" + data.pop(21)
    assert _refused(sipri.read_register, b"\n".join(data)) == (
        "t.csv:21: a CR without an LF, among lines ended by LF: cannot tell whether it ends a "
        "line\nsave the file again as CSV with one kind of line end"
    )


def test_utf16_with_its_bom_is_read_and_said(tmp_path: Path) -> None:
    data = PER_YEAR.read_bytes().decode("utf-8").encode("utf-16")
    export = sipri.read_register(data, "t.csv")
    assert export.records == sipri.read_register(PER_YEAR.read_bytes(), "t.csv").records
    assert export.said[:2] == (
        "read as UTF-16 (its BOM says so)",
        "a byte-order mark (BOM) dropped",
    )
    path = tmp_path / "u16.csv"
    path.write_bytes(data)
    result = run_cli(["import", str(path)], home=tmp_path / "h")
    assert result.exit_code == 0
    assert "read as UTF-16 (its BOM says so); a byte-order mark (BOM) dropped" in result.stderr


def test_utf16_without_a_bom_is_refused_as_utf16(tmp_path: Path) -> None:
    data = PER_YEAR.read_bytes().decode("utf-8").encode("utf-16-le")
    refusal = (
        "t.csv: the file looks like UTF-16 without a BOM (every other byte is 0x00)\n"
        "save the file again as CSV in UTF-8"
    )
    assert _refused(sipri.read_register, data) == refusal
    assert _import(tmp_path, data, "sipri") == (
        1,
        "",
        "geobal: " + refusal.replace("t.csv", "F") + "\n",
    )


def test_a_row_of_totals_with_no_rows_above_it_is_refused() -> None:
    lines = _lines(EXPORTS)
    assert _refused(sipri.read_volumes, _bytes([*lines[:10], lines[-1]])) == (
        "t.csv:11: a row of totals and no row above it: the table's rows were cut; nothing "
        "was written\ndownload the table again from SIPRI's database, whole"
    )


def test_a_world_table_whose_total_row_names_one_partner_is_refused(tmp_path: Path) -> None:
    lines = _lines(VOLUMES)
    lines[-1] = lines[-1].replace("Total world import", "Total imports from China")
    refusal = (
        "t.csv:22: a table of imports from China only, by its row of totals, yet line 12 is "
        "a row of that partner's own; nothing was written\nis the file the table SIPRI "
        "exported? export the table again from SIPRI's database, unchanged"
    )
    assert _refused(sipri.read_volumes, _bytes(lines)) == refusal
    assert _import(tmp_path, _bytes(lines), "sipri-tiv") == (
        1,
        "",
        "geobal: " + refusal.replace("t.csv", "F") + "\n",
    )
