"""Workbooks crafted to make the military expenditure reader lie: a country whose row has
no figure at all (read as a subregion's heading, it vanished and gave its name to the
countries below it), a row of totals given twice (the second overwrote the first), two
names that make one record id (both written under it, `show` finding the wrong one).
Each is refused, naming its sheet and cell, and nothing is written."""

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from geobal.errors import DataError
from geobal.shapes import MILEX_MEASURES
from geobal.transfer.milex import read_milex
from tests.conftest import run_cli
from tests.milex_workbook import build

CONSTANT = "Constant (2023) US$"
TOTALS = "Regional totals"


@pytest.fixture(scope="module")
def rgb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("rgb") / "milex.xlsx")


def _changed(src: Path, dst: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    wb = openpyxl.load_workbook(src)
    change(wb)
    wb.save(dst)
    return dst


def _row(ws: Worksheet, name: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == name)


def _measure_sheets(wb: openpyxl.Workbook) -> list[Worksheet]:
    """The sheets of the measures, in the workbook's order."""
    starts = [start for start, _ in MILEX_MEASURES.values()]
    return [ws for ws in wb.worksheets if any(ws.title.startswith(s) for s in starts)]


def _refused(path: Path, tmp_path: Path) -> DataError:
    with pytest.raises(DataError) as err:
        read_milex(path.read_bytes(), path.name)
    home = tmp_path / "home"
    result = run_cli(["import", str(path), "--as", "sipri-milex"], home=home)
    assert (result.exit_code, result.stdout) == (1, "")
    assert "Traceback" not in result.stderr
    assert not (home / "datasets").exists()
    return err.value


def test_a_country_row_without_any_figure_is_no_heading(rgb: Path, tmp_path: Path) -> None:
    # India sits above Pakistan in South Asia: blank on every sheet, it was read as a
    # heading, Pakistan's subregion became "India" and India was gone, silently (blank on
    # one sheet only, the places of the countries below it already disagreed)
    sheets = [s.title for s in _measure_sheets(openpyxl.load_workbook(rgb))]

    def blank_india(wb: openpyxl.Workbook) -> None:
        for title in sheets:
            ws = wb[title]
            row = _row(ws, "India")
            for column in range(2, ws.max_column + 1):
                ws.cell(row, column).value = None

    err = _refused(_changed(rgb, tmp_path / "blank.xlsx", blank_india), tmp_path)
    wb = openpyxl.load_workbook(rgb)
    assert sorted(err.details) == sorted(
        f"sheet {title!r}, cell A{_row(wb[title], 'India')}: 'India' has no figure, '...' "
        "or 'xxx' in any year, and is none of SIPRI's regions and subregions (nor a row of "
        "its 'Regional totals' sheet)"
        for title in sheets
    )


def test_a_row_of_totals_given_twice_is_refused(rgb: Path, tmp_path: Path) -> None:
    # the second World row, with other figures, overwrote the first without a word
    def world_twice(wb: openpyxl.Workbook) -> None:
        ws = wb[TOTALS]
        first = _row(ws, "World")
        ws.append([c.value * 2 if isinstance(c.value, float) else c.value for c in ws[first]])

    bad = _changed(rgb, tmp_path / "twice.xlsx", world_twice)
    err = _refused(bad, tmp_path)
    last = openpyxl.load_workbook(bad)[TOTALS].max_row
    assert err.details == [f"sheet {TOTALS!r}, cell A{last}: 'World' is on two rows"]


def test_two_names_making_one_record_id_are_refused(rgb: Path, tmp_path: Path) -> None:
    # "India." slugs as "India" does: both were written as india-1987..., and `show
    # milex india-1990` gave Pakistan's figures under the name "India."
    def pakistan_as_india(wb: openpyxl.Workbook) -> None:
        for ws in wb.worksheets:
            for row in ws.iter_rows(max_col=1):
                if row[0].value == "Pakistan":
                    row[0].value = "India."

    err = _refused(_changed(rgb, tmp_path / "slug.xlsx", pakistan_as_india), tmp_path)
    assert err.message == "slug.xlsx: 'India.' and 'India' would both be the record india-1987"


def _rezipped(src: Path, dst: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """`src` with one part of its zip changed, as no spreadsheet program would write it."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        assert part in zin.namelist()
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, change(data) if item.filename == part else data)
    return dst


def _sheet_part(src: Path, title: str) -> str:
    wb = openpyxl.load_workbook(src)
    return f"xl/worksheets/sheet{wb.sheetnames.index(title) + 1}.xml"


@pytest.mark.parametrize("number", ["NaN", "0x10"])
def test_a_number_cell_openpyxl_cannot_read_names_its_row(
    rgb: Path, tmp_path: Path, number: str
) -> None:
    # openpyxl's ValueError reached the user as "unexpected ValueError ... a bug in geobal"
    row = _row(openpyxl.load_workbook(rgb)[CONSTANT], "India")

    def change(xml: bytes) -> bytes:
        cell = re.compile(rb'(<c r="E%d"[^>]*><v>)[^<]*(</v>)' % row)
        assert cell.search(xml) is not None
        return cell.sub(rb"\g<1>" + number.encode() + rb"\g<2>", xml)

    bad = _rezipped(rgb, tmp_path / "bad.xlsx", _sheet_part(rgb, CONSTANT), change)
    err = _refused(bad, tmp_path)
    assert err.message == (
        f"bad.xlsx: sheet {CONSTANT!r}, row {row}: a cell openpyxl cannot read (invalid "
        f"literal for int() with base 10: '{number}')"
    )


def test_a_malformed_theme_is_refused_not_a_bug(rgb: Path, tmp_path: Path) -> None:
    bad = _rezipped(rgb, tmp_path / "bad.xlsx", "xl/theme/theme1.xml", lambda _: b"<a:theme")
    err = _refused(bad, tmp_path)
    assert err.message.startswith("bad.xlsx: the workbook's theme is not well-formed XML (")
    assert err.hint == "open it in a spreadsheet program and save it again"


def test_a_header_column_given_twice_is_refused(rgb: Path, tmp_path: Path) -> None:
    # a second Notes column silently won: India got note 58, its neighbour's, invented
    def second_notes(wb: openpyxl.Workbook) -> None:
        ws = wb[CONSTANT]
        header = _row(ws, "Country")
        ws.cell(header, ws.max_column + 1, "Notes")
        ws.cell(_row(ws, "India"), ws.max_column, "58")

    bad = _changed(rgb, tmp_path / "twice.xlsx", second_notes)
    ws = openpyxl.load_workbook(bad)[CONSTANT]
    column = openpyxl.utils.get_column_letter(ws.max_column)
    err = _refused(bad, tmp_path)
    assert err.details == [
        f"sheet {CONSTANT!r}, cell {column}{_row(ws, 'Country')}: a second 'Notes' column "
        "in the header"
    ]


def _india(ws: Worksheet, label: str | float) -> tuple[int, int]:
    """India's row on `ws`, and the column headed `label`."""
    return _row(ws, "India"), [c.value for c in ws[_row(ws, "Country")]].index(label) + 1


def _set_india(cells: dict[str | float, str | float]) -> Callable[[openpyxl.Workbook], None]:
    """A change setting India's cells on the constant-dollar sheet, by column heading."""

    def change(wb: openpyxl.Workbook) -> None:
        for label, value in cells.items():
            wb[CONSTANT].cell(*_india(wb[CONSTANT], label)).value = value

    return change


@pytest.mark.parametrize(
    ("label", "value", "said"),
    [
        # "††" gave the notes ["dagger", "dagger"]
        ("Notes", "††", "note † is given twice in '††'"),
        # -5 was written as India's spending, and a change from it came out as -inf %
        (1988.0, -5.0, "-5 is below 0, as no figure of SIPRI's is"),
    ],
)
def test_a_mark_twice_or_a_figure_below_0_is_refused(
    rgb: Path, tmp_path: Path, label: str | float, value: str | float, said: str
) -> None:
    bad = _changed(rgb, tmp_path / "bad.xlsx", _set_india({label: value}))
    row, column = _india(openpyxl.load_workbook(bad)[CONSTANT], label)
    err = _refused(bad, tmp_path)
    cell = f"{openpyxl.utils.get_column_letter(column)}{row}"
    assert err.details == [f"sheet {CONSTANT!r}, cell {cell}: {said}"]


def test_a_change_too_large_for_a_float_is_refused(rgb: Path, tmp_path: Path) -> None:
    # from 1 to 1e308 is 1e310 per cent: printed as "inf"
    huge = _changed(rgb, tmp_path / "huge.xlsx", _set_india({1987.0: 1.0, 1988.0: 1e308}))
    home = tmp_path / "home"
    imported = run_cli(
        ["import", str(huge), "--as", "sipri-milex"],
        home=home,
    )
    assert imported.exit_code == 0, imported.stderr
    result = run_cli(
        ["spending", "--country", "India", "--from", "1987", "--to", "1988", "--change"],
        home=home,
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.splitlines()[0] == (
        "geobal: no change of India's US$ m. (constant 2023) 1987-1988: from 1.0 to 1e+308 "
        "it is too large to compute"
    )


XLS = "an Excel 97-2003 (.xls) workbook, or an .xlsx saved with a password: neither is an .xlsx workbook openpyxl can read\nopen it in a spreadsheet program (with its password) and save it as .xlsx without one\n"  # noqa: E501
CUT = "a zip file that holds no readable .xlsx workbook (cut short?)\ndownload the workbook again\n"


@pytest.mark.parametrize("door", [[], ["--as", "sipri-milex"]])
@pytest.mark.parametrize("kind", ["xls", "cut"])
def test_an_xls_a_locked_or_a_cut_workbook_is_named(
    rgb: Path, tmp_path: Path, door: list[str], kind: str
) -> None:
    # without --as both ended in "--into DATASET is needed", and with --into in "cannot
    # tell the format"; with --as in "File is not a zip file"
    path = tmp_path / "w.xlsx"
    if kind == "xls":  # an OLE2 compound file's signature, as .xls and locked .xlsx begin
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    else:
        path.write_bytes(rgb.read_bytes()[: rgb.stat().st_size // 2])
    result = run_cli(["import", str(path), *door], home=tmp_path / "home")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"geobal: {path}: " + (XLS if kind == "xls" else CUT)
    assert not (tmp_path / "home" / "datasets").exists()


def test_an_unknown_country_names_the_command_that_lists_them(rgb: Path, tmp_path: Path) -> None:
    # the hint read "7 countrys; list them with --count-by country", an option spending
    # lacks (and query refuses it without leaving out the rows of totals)
    home = tmp_path / "home"
    assert run_cli(["import", str(rgb), "--as", "sipri-milex"], home=home).exit_code == 0
    result = run_cli(["spending", "--country", "Atlantis"], home=home)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "geobal: unknown country 'Atlantis'\n7 countries; list them with geobal query milex "
        "--where 'total!=true' --count-by country\n"
    )
    listed = run_cli(
        ["query", "milex", "--where", "total!=true", "--count-by", "country"], home=home
    )
    assert listed.exit_code == 0, listed.stderr
    assert len(listed.stdout.splitlines()) == 1 + 7


def _dimension(ref: bytes) -> Callable[[bytes], bytes]:
    def change(xml: bytes) -> bytes:
        declared = re.compile(rb'<dimension ref="[^"]*"')
        assert declared.search(xml) is not None
        return declared.sub(b'<dimension ref="' + ref + b'"', xml)

    return change


def test_a_sheet_declaring_too_small_a_dimension_is_read_whole(rgb: Path, tmp_path: Path) -> None:
    # read-only openpyxl stopped at the declared A1:F12: every country below row 12 lost
    # its constant dollars, and 1990-1992 all of theirs, while the import said all was well
    part = _sheet_part(rgb, CONSTANT)
    small = _rezipped(rgb, tmp_path / "small.xlsx", part, _dimension(b"A1:F12"))
    assert read_milex(small.read_bytes(), "small").records == (
        read_milex(rgb.read_bytes(), "rgb").records
    )


def test_a_cell_beyond_the_declared_dimension_is_seen(rgb: Path, tmp_path: Path) -> None:
    def far(xml: bytes) -> bytes:
        cell = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'
        return xml.replace(b"</sheetData>", cell + b"</sheetData>")

    bad = _rezipped(rgb, tmp_path / "far.xlsx", _sheet_part(rgb, CONSTANT), far)
    err = _refused(bad, tmp_path)
    assert err.details == [f"sheet {CONSTANT!r}, cell A1048576: a row with figures but no country"]
