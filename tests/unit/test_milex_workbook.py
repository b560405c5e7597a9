"""The test workbook builder (tests/milex_workbook.py): it builds, reopens with what was
put in, is small and the same on every run, writes theme colours when asked, and mirrors
the layout of SIPRI's real workbook (when /work/shared has it)."""

from collections.abc import Sequence
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from geobal.transfer.colours import mark_of, rgb_of, theme_palette
from tests.conftest import shared
from tests.milex_workbook import (
    DEFAULT_COUNTRIES,
    DEFAULT_FOOTNOTES,
    DEFAULT_TOTALS,
    SHEET_NAMES,
    SHEETS,
    SPECIAL_NOTES,
    build,
)


def _rows(ws: Worksheet) -> list[list[object]]:
    return [[c.value for c in row] for row in ws.iter_rows()]


def _pad(row: Sequence[object], width: int) -> list[object]:
    """The first `width` cells of a row; a read-only sheet's rows end at their last value."""
    return [*row, *([None] * width)][:width]


def _header_row(ws: Worksheet, first: str) -> int:
    return next(i for i, row in enumerate(_rows(ws), start=1) if row[0] == first)


def _country_row(ws: Worksheet, name: str) -> int:
    return next(i for i, row in enumerate(_rows(ws), start=1) if row[0] == name)


def test_builds_and_reopens_with_its_figures_and_marks(tmp_path: Path) -> None:
    path = build(tmp_path / "milex.xlsx")
    assert path.stat().st_size < 30_000
    wb = load_workbook(path)
    assert tuple(wb.sheetnames) == SHEET_NAMES
    palette = theme_palette(wb.loaded_theme)
    for sheet in SHEETS:
        ws = wb[sheet.name]
        header = _header_row(ws, "Country")
        titles = [c.value for c in ws[header]]
        for country in DEFAULT_COUNTRIES:
            row = _country_row(ws, country.name)
            notes = ws.cell(row, titles.index("Notes") + 1)
            assert notes.value == country.notes
            assert mark_of(rgb_of(notes.font.color, palette)) == (
                "estimate" if country.notes.strip("§‖") else ""
            )
            for year, (value, mark) in country.figures[sheet.measure].items():
                cell = ws.cell(row, titles.index(float(year)) + 1)
                assert cell.value == value, (sheet.name, country.name, year)
                assert mark_of(rgb_of(cell.font.color, palette)) == mark, (
                    sheet.name,
                    country.name,
                    year,
                )


def test_country_sheets_group_rows_by_region_and_subregion(tmp_path: Path) -> None:
    ws = load_workbook(build(tmp_path / "milex.xlsx"))["Constant (2023) US$"]
    names = [row[0] for row in _rows(ws)[_header_row(ws, "Country") :]]  # the rows below it
    assert names == [
        None,  # the empty row under the header
        "Americas",
        "North America",
        "United States of America",
        "Asia & Oceania",
        "South Asia",
        "India",
        "Pakistan",
        "East Asia",
        "Korea, South",
        "Europe",
        "Eastern Europe",
        "Russia",
        "USSR",
        "Middle East",
        "Türkiye",
    ]
    per_capita = load_workbook(tmp_path / "milex.xlsx")["Per capita"]
    assert _rows(per_capita)[_header_row(per_capita, "Country")][0] == "Americas"  # no empty row


def test_the_same_bytes_on_every_run(tmp_path: Path) -> None:
    one = build(tmp_path / "one.xlsx").read_bytes()
    assert build(tmp_path / "two.xlsx").read_bytes() == one
    assert build(tmp_path / "three.xlsx", theme=True).read_bytes() != one


def test_empty_strings_stay_empty_strings(tmp_path: Path) -> None:
    wb = load_workbook(build(tmp_path / "milex.xlsx"))
    constant = wb["Constant (2023) US$"]
    assert [c.value for c in constant[6]][:3] == ["Country", "", "Notes"]
    assert constant["A5"].value == ""
    ussr = _country_row(constant, "USSR")
    assert constant.cell(ussr, 3).value == ""  # no notes
    assert constant.cell(ussr, 2).value is None  # the unnamed column stays empty
    financial = wb["Local currency financial years"]
    india = _country_row(financial, "India")
    assert [c.value for c in financial[india]][:4] == ["India", "Rupees", "Apr-Mar", "59"]
    assert financial.cell(_country_row(financial, "Russia"), 3).value == ""


def test_regional_totals_and_footnotes(tmp_path: Path) -> None:
    wb = load_workbook(build(tmp_path / "milex.xlsx"))
    palette = theme_palette(wb.loaded_theme)
    ws = wb["Regional totals"]
    header = _header_row(ws, "Region")
    titles = [c.value for c in ws[header]]
    assert titles == [
        "Region",
        1988.0,
        1989.0,
        1990.0,
        1991.0,
        1992.0,
        "1992 (current prices)",
        "",
        "Omitted countries",
    ]
    for total in DEFAULT_TOTALS:
        row = _country_row(ws, total.name)
        assert row > header
        for year, (value, mark) in total.figures.items():
            cell = ws.cell(row, titles.index(float(year)) + 1)
            assert (cell.value, mark_of(rgb_of(cell.font.color, palette))) == (value, mark)
        assert ws.cell(row, 7).value == total.current
        assert ws.cell(row, 9).value == total.omitted
    assert ws.cell(_country_row(ws, "World"), 4).value == "..."
    notes = _rows(wb["Footnotes"])
    assert [row[:2] for row in notes[4:9]] == [list(pair) for pair in SPECIAL_NOTES]
    assert [(row[0], row[2]) for row in notes[11:]] == [
        (float(n), text) for n, text in DEFAULT_FOOTNOTES
    ]


def test_theme_writes_theme_colours_that_read_as_the_same_marks(tmp_path: Path) -> None:
    rgb = load_workbook(build(tmp_path / "rgb.xlsx"))
    themed = load_workbook(build(tmp_path / "theme.xlsx", theme=True))
    palette = theme_palette(themed.loaded_theme)
    seen: set[str] = set()
    for sheet in SHEETS:
        for row_rgb, row_theme in zip(
            rgb[sheet.name].iter_rows(), themed[sheet.name].iter_rows(), strict=True
        ):
            for plain, tinted in zip(row_rgb, row_theme, strict=True):
                assert plain.value == tinted.value
                if plain.value is None:
                    continue  # no cell: openpyxl's default font, not the builder's
                if plain.font.color is None:
                    assert tinted.font.color is None
                    continue
                assert plain.font.color.type == "rgb"
                assert tinted.font.color is not None
                assert tinted.font.color.type == "theme"
                mark = mark_of(rgb_of(tinted.font.color, palette))
                assert mark == mark_of(rgb_of(plain.font.color, palette))
                seen.add(mark)
    assert seen == {"", "estimate", "uncertain"}


def test_mirrors_the_real_workbooks_layout(tmp_path: Path) -> None:
    real = load_workbook(shared("milex", "SIPRI-Milex-data-1949-2024.xlsx"), read_only=True)
    built = load_workbook(build(tmp_path / "milex.xlsx"))
    assert tuple(real.sheetnames) == SHEET_NAMES
    for sheet in SHEETS:
        want = [list(r) for r in real[sheet.name].iter_rows(max_row=12, values_only=True)]
        got = _rows(built[sheet.name])
        header = next(i for i, row in enumerate(want) if row[0] == "Country")
        # the note lines, word for word, and the header's columns before the years
        assert [row[0] for row in got[:header]] == [row[0] for row in want[:header]], sheet.name
        width = 1 + len(sheet.columns)
        assert got[header][:width] == want[header][:width], sheet.name
        # the years start at 1949 (at 1988 on two sheets); the builder's at 1987
        assert want[header][width] == (1988.0 if sheet.from_1988 else 1949.0), sheet.name
        assert got[header][width] == (1988.0 if sheet.from_1988 else 1987.0), sheet.name
        # an empty row under the header, or the first region at once (Per capita)
        assert (got[header + 1] == [None] * len(got[header + 1])) == (
            all(v is None for v in want[header + 1])
        ), sheet.name
    want = [list(r) for r in real["Regional totals"].iter_rows(max_row=14, values_only=True)]
    got = _rows(built["Regional totals"])
    assert [row[0] for row in got[:14]] == [row[0] for row in want[:14]]
    assert want[13][-3:] == ["2024 (current prices)", "", "Omitted countries"]
    assert got[13][-3:] == ["1992 (current prices)", "", "Omitted countries"]
    want = [list(r) for r in real["Footnotes"].iter_rows(max_row=12, values_only=True)]
    got = _rows(built["Footnotes"])
    assert [_pad(row, 2) for row in got[:11]] == [_pad(row, 2) for row in want[:11]]
    assert isinstance(want[11][0], float) and want[11][1] is None and isinstance(want[11][2], str)
