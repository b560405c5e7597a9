"""SIPRI's exports as analysts download them in 2026 and as spreadsheets save them
again: the 2026 column names, blank Yes/No flags, the encoding detected and said, and
CRLF, BOM, trailing separators and ';' undone and said, or refused naming the line."""

import csv
import io
import re
from pathlib import Path

import pytest

from geobal.errors import DataError
from geobal.transfer import sipri
from tests.conftest import FIXTURES, run_cli, shared

EXCERPTS = FIXTURES / "sipri"
CHINA = EXCERPTS / "register-2026-07-china-excerpt.csv"
PHILIPPINES = EXCERPTS / "per-year-2019-philippines-excerpt.csv"
REGISTER_2024 = EXCERPTS / "trade-register-excerpt.csv"
VOLUMES = EXCERPTS / "import-export-values-excerpt.csv"
RENAMED = "column 'Deliveries in the Year Range' read as 'Number delivered'"
# the 2026 register is SIPRI's of one supplier, as its first note says
SCOPED = "a register of transfers from China only, as its first note says"


def _read(data: bytes, name: str = "t.csv") -> sipri.Export:
    return sipri.read_register(data, name)


def _resaved(
    data: bytes,
    *,
    sep: str = ",",
    trailing: bool = False,
    crlf: bool = False,
    decimal_comma: bool = False,
) -> str:
    """The text a spreadsheet writes for the export: each line's cells written again
    with `sep`, a separator at the end of every line, CRLF line ends, decimal commas."""
    out: list[str] = []
    for line in data.decode("utf-8").split("\n"):
        if not line:
            out.append(line)
            continue
        cells = next(csv.reader([line]))
        if decimal_comma:
            cells = [c.replace(".", ",") if re.fullmatch(r"\d+\.\d+", c) else c for c in cells]
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=sep, lineterminator="").writerow(cells)
        out.append(buffer.getvalue() + (sep if trailing else ""))
    return ("\r\n" if crlf else "\n").join(out)


# --- the legacy register of 2026 ---------------------------------------------------------


def test_the_2026_register_reads_with_its_renamed_column_and_version() -> None:
    export = _read(CHINA.read_bytes(), CHINA.name)
    data_lines = len(CHINA.read_bytes().splitlines()) - 12
    assert export.shape is sipri.LEGACY
    assert (export.read, len(export.records), export.rejected) == (data_lines, data_lines, [])
    assert export.generated == "2026-07-14"
    assert export.said == ("read as UTF-8", RENAMED, SCOPED)
    assert export.scope == "transfers from China"
    first = export.records[0]
    assert (first["recipient"], first["delivered"], first["description"]) == (
        "Afghanistan",
        10,
        "armoured personnel carrier",  # as SIPRI wrote it in 2026; 2024 said "APC"
    )


def test_the_2026_register_is_imported_saying_its_shape_version_and_encoding(
    tmp_path: Path,
) -> None:
    result = run_cli(["import", str(CHINA), "--as", "sipri"], home=tmp_path)
    n = len(CHINA.read_bytes().splitlines()) - 12
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.splitlines()[:2] == [
        f"read the trade register (legacy export), covering 2000-2025: {n} data lines of "
        f"{CHINA}: imported {n} records, rejected 0",
        f"data generated 2026-07-14; read as UTF-8; {RENAMED}; {SCOPED}",
    ]
    assert "citing sipri-register-transfers-from-china-2026-07-14" in result.stderr


def test_the_full_2026_register_imports_all_692_lines() -> None:
    path = shared("sipri", "register-2026-07-supplier-china.csv")
    export = _read(path.read_bytes(), path.name)
    assert (export.read, len(export.records), export.joined, export.rejected) == (692, 692, 0, [])
    assert (export.generated, export.covers) == ("2026-07-14", (2000, 2025))


def test_the_2024_and_2026_registers_keep_sipris_wording_of_a_description() -> None:
    """Descriptions are kept as SIPRI wrote them: the same kind of weapon is "APC" in
    2024 and "armoured personnel carrier" in 2026, and neither is rewritten."""
    old = {r["description"] for r in _read(REGISTER_2024.read_bytes()).records}
    new = {r["description"] for r in _read(CHINA.read_bytes()).records}
    assert "APC" in old and "APC" not in new
    assert "armoured personnel carrier" in new and "armoured personnel carrier" not in old


# --- blank flags ---------------------------------------------------------------------------


def test_a_blank_is_estimate_flag_is_unknown_not_a_rejected_line() -> None:
    export = _read(PHILIPPINES.read_bytes(), PHILIPPINES.name)
    assert export.rejected == []
    helicopters = next(r for r in export.records if r["deal"] == "32082")
    assert "delivered_estimated" not in helicopters
    assert "delivery_year_estimated" not in helicopters
    assert (helicopters["order_year_estimated"], helicopters["tiv_delivered"]) == (False, 28)
    assert export.said == ("read as UTF-8", "2 blank Yes/No flags read as unknown")


def test_a_flag_that_is_neither_yes_nor_no_nor_blank_is_rejected() -> None:
    text = PHILIPPINES.read_bytes().decode().replace(",2,,2019,,New,", ",2,Maybe,2019,,New,")
    export = _read(text.encode())
    assert [r.reason for r in export.rejected] == [
        "numbers delivered estimate is not Yes or No: 'Maybe'"
    ]


def test_the_full_per_year_export_imports_every_line() -> None:
    path = shared("sipri", "per-year-2000-2023.csv")
    export = _read(path.read_bytes(), path.name)
    assert (export.read, len(export.records), export.rejected) == (20480, 20480, [])
    assert export.said == ("read as UTF-8", "2 blank Yes/No flags read as unknown")
    assert (export.generated, export.covers) == ("2025-01-03", (2000, 2023))


# --- encodings -----------------------------------------------------------------------------


def test_windows_1252_is_detected_and_said() -> None:
    utf8 = CHINA.read_bytes()
    # an en dash and quotes: where Windows-1252 has letters and Latin-1 control characters
    marked = "Guaiquer\u00ed \u2013 \u2018Avante\u2019"
    text = utf8.decode().replace("Guaiquer\u00ed", marked)
    export = _read(text.encode("cp1252"))
    assert export.said == ("read as Windows-1252", RENAMED, SCOPED)
    assert export.records == _read(text.encode()).records
    assert any(marked in str(r.get("comments")) for r in export.records)


def test_latin_1_is_said_where_no_byte_tells_it_from_windows_1252() -> None:
    export = _read(REGISTER_2024.read_bytes())
    assert export.said == ("read as Latin-1",)
    assert export.records == _read(REGISTER_2024.read_bytes().decode("latin-1").encode()).records


@pytest.mark.parametrize(
    ("encoding", "bad", "message"),
    [
        ("cp1252", b"\x81", "t.csv:13: byte 0x81 is neither UTF-8 nor Windows-1252"),
        ("utf-8", b"\x00", "t.csv:13: byte 0x00 is a control character: this is not text in"),
        ("utf-8", b"\xe9", "t.csv:13: byte 0xE9 is not UTF-8, yet the file holds UTF-8 letters"),
    ],
)
def test_a_file_in_neither_encoding_is_refused_naming_the_byte_and_line(
    encoding: str, bad: bytes, message: str
) -> None:
    lines = CHINA.read_bytes().decode().encode(encoding).split(b"\n")
    lines[12] = lines[12].replace(b"Tiger", b"Tiger" + bad)
    with pytest.raises(DataError, match="^" + message):
        _read(b"\n".join(lines))


# --- spreadsheet re-saves ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sep", "trailing", "crlf", "bom", "said"),
    [
        (",", False, True, False, ["CRLF line ends read as LF"]),
        (",", True, False, False, ["the ',' that ends every line dropped"]),
        (";", False, False, False, ["';' separators read as ','"]),
        (
            ";",
            True,
            True,
            True,
            [
                "a byte-order mark (BOM) dropped",
                "CRLF line ends read as LF",
                "';' separators read as ','",
                "the ';' that ends every line dropped",
            ],
        ),
    ],
)
def test_a_spreadsheet_resave_is_read_as_the_export_saying_what_was_normalised(
    sep: str, trailing: bool, crlf: bool, bom: bool, said: list[str]
) -> None:
    original = _read(CHINA.read_bytes())
    text = _resaved(CHINA.read_bytes(), sep=sep, trailing=trailing, crlf=crlf)
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
    export = _read(data)
    assert export.records == original.records
    assert (export.read, export.rejected, export.generated) == (original.read, [], "2026-07-14")
    assert export.said == ("read as UTF-8", *said, RENAMED, SCOPED)
    # the same in Windows-1252, as a spreadsheet on Windows saves it
    assert _read(text.encode("cp1252")).said[0] == "read as Latin-1"


def test_decimal_commas_of_a_semicolon_file_are_read_and_said() -> None:
    original = _read(CHINA.read_bytes())
    text = _resaved(CHINA.read_bytes(), sep=";", decimal_comma=True)
    assert ";0,15;1,5;1,5\n" in text
    export = _read(text.encode())
    assert export.records == original.records
    commas = sum(1 for c in re.findall(r";(\d+,\d+)(?=;|\n)", text))
    assert export.said == (
        "read as UTF-8",
        "';' separators read as ','",
        f"{commas} figures with a decimal comma read with a point",
        RENAMED,
        SCOPED,
    )


def test_a_point_among_decimal_commas_is_refused_naming_its_line() -> None:
    lines = _resaved(CHINA.read_bytes(), sep=";", decimal_comma=True).split("\n")
    points = _resaved(CHINA.read_bytes(), sep=";").split("\n")
    n = next(n for n in range(20, len(lines)) if lines[n] != points[n])
    lines[n] = points[n]
    with pytest.raises(DataError, match=rf"^t\.csv:{n + 1}: '[\d.]+' is written with a point"):
        _read("\n".join(lines).encode())


def test_a_resaved_volume_table_reads_too() -> None:
    original = sipri.read_volumes(VOLUMES.read_bytes(), "v.csv")
    text = _resaved(VOLUMES.read_bytes(), sep=";", trailing=True, crlf=True)
    export = sipri.read_volumes(text.encode("cp1252"), "v.csv")
    assert export.records == original.records
    assert export.said[1:] == (
        "CRLF line ends read as LF",
        "';' separators read as ','",
        "the ';' that ends every line dropped",
    )


def test_a_line_without_the_trailing_separator_is_refused_naming_it() -> None:
    lines = _resaved(CHINA.read_bytes(), trailing=True).split("\n")
    lines[20] = lines[20][:-1]
    with pytest.raises(DataError, match=r"^t\.csv:21: this line does not end with ','"):
        _read("\n".join(lines).encode())


def test_a_comma_line_in_a_semicolon_file_is_refused_naming_it() -> None:
    lines = _resaved(CHINA.read_bytes(), sep=";").split("\n")
    lines[20] = CHINA.read_bytes().decode().split("\n")[20]
    with pytest.raises(DataError, match=r"^t\.csv:21: this line is split by ','"):
        _read("\n".join(lines).encode())


def test_the_import_report_says_what_was_normalised(tmp_path: Path) -> None:
    path = tmp_path / "china.csv"
    path.write_bytes(_resaved(CHINA.read_bytes(), sep=";", crlf=True).encode("cp1252"))
    result = run_cli(["import", str(path), "--as", "sipri"], home=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[1] == (
        "data generated 2026-07-14; read as Latin-1; CRLF line ends read as LF; "
        f"';' separators read as ','; {RENAMED}; {SCOPED}"
    )


# --- telling shapes apart ------------------------------------------------------------------


def test_detect_shape_names_each_export_and_nothing_else() -> None:
    assert sipri.detect_shape(CHINA.read_bytes()) == "register"
    assert sipri.detect_shape(REGISTER_2024.read_bytes()) == "register"
    assert sipri.detect_shape(PHILIPPINES.read_text()) == "per-year"
    assert sipri.detect_shape(VOLUMES.read_bytes()) == "volumes"
    assert sipri.detect_shape(_resaved(CHINA.read_bytes(), sep=";", trailing=True)) == "register"
    assert sipri.detect_shape("id,name\n1,a\n") is None


def test_the_import_of_a_file_in_neither_encoding_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    data = CHINA.read_bytes().decode().encode("cp1252")
    path.write_bytes(data.replace(b"Tiger", b"Tiger\x81", 1))
    result = run_cli(["import", str(path), "--as", "sipri"], home=tmp_path)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"geobal: {path}:13: byte 0x81 is neither UTF-8 nor Windows-1252\n"
        "save the file again as CSV in UTF-8\n",
    )
    assert not (tmp_path / "datasets").exists()


@pytest.mark.parametrize(
    ("name", "first", "second"),
    [
        (
            "register-2026-07-supplier-china.csv",
            "read the trade register (legacy export), covering 2000-2025: 692 data lines of {}: "
            "imported 692 records, rejected 0",
            f"data generated 2026-07-14; read as UTF-8; {RENAMED}; {SCOPED}",
        ),
        (
            "per-year-2000-2023.csv",
            "read the trade register (per-year export), covering 2000-2023: 20480 data lines of "
            "{}: imported 20480 records, rejected 0",
            "data generated 2025-01-03; read as UTF-8; 2 blank Yes/No flags read as unknown",
        ),
    ],
)
def test_the_real_exports_of_2025_and_2026_import_whole(
    tmp_path: Path, name: str, first: str, second: str
) -> None:
    path = shared("sipri", name)
    result = run_cli(["import", str(path), "--as", "sipri"], home=tmp_path)
    assert (result.exit_code, result.stdout) == (0, ""), result.stderr
    assert result.stderr.splitlines()[:2] == [first.format(path), second]
