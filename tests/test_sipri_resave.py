"""SIPRI's exports as spreadsheets save them again, beyond CRLF, BOM and ';': empty
columns padded at the end of every line, tab separators, a header split by a separator
geobal does not read, and notes cut off above a SIPRI header; and the excerpts in
tests/fixtures/sipri made again, byte for byte, by excerpt.py."""

import re
from pathlib import Path

import pytest

from geobal import transfer
from geobal.errors import DataError, UsageError
from geobal.transfer import sipri
from tests.conftest import run_cli, shared
from tests.test_front_door import PER_YEAR
from tests.test_sipri_shapes import CHINA, EXCERPTS, REGISTER_2024, VOLUMES, _resaved
from tests.test_sipri_volumes_whole import EXPORTS, FROM_CHINA

UNCHANGED = "export the file again from SIPRI's database, unchanged"


def _padded(data: bytes, columns: int = 4, sep: bytes = b",") -> bytes:
    """Every line, notes and blank ones too, padded with `columns` empty cells, as a
    spreadsheet pads each line to the widest (`sed 's/$/,,,,/'`)."""
    return b"\n".join(line + sep * columns for line in data.split(b"\n"))


# --- empty trailing columns --------------------------------------------------------------


@pytest.mark.parametrize("path", [PER_YEAR, CHINA, REGISTER_2024])
def test_empty_trailing_columns_of_a_register_are_dropped_and_said(path: Path) -> None:
    original = sipri.read_register(path.read_bytes(), "t.csv")
    padded = sipri.read_register(_padded(path.read_bytes()), "t.csv")
    assert padded.records == original.records
    assert (padded.read, padded.joined, padded.rejected) == (
        original.read,
        original.joined,
        original.rejected,
    )
    assert "4 empty trailing columns dropped" in padded.said
    assert [s for s in padded.said if s != "4 empty trailing columns dropped"] == list(
        original.said
    )


@pytest.mark.parametrize("path", [VOLUMES, EXPORTS, FROM_CHINA])
def test_empty_trailing_columns_of_a_volume_table_are_dropped_and_said(path: Path) -> None:
    original = sipri.read_volumes(path.read_bytes(), "v.csv")
    padded = sipri.read_volumes(_padded(path.read_bytes(), 3), "v.csv")
    assert (padded.records, padded.scope) == (original.records, original.scope)
    assert padded.said == (original.said[0], "3 empty trailing columns dropped", *original.said[1:])


def test_trailing_columns_padded_with_semicolons_and_tabs_too() -> None:
    original = sipri.read_register(CHINA.read_bytes(), "t.csv")
    for sep, named in ((";", "';'"), ("\t", "tab")):
        text = _resaved(CHINA.read_bytes(), sep=sep)
        padded = sipri.read_register(_padded(text.encode(), 2, sep.encode()), "t.csv")
        assert padded.records == original.records
        assert padded.said[1:3] == (
            f"{named} separators read as ','",
            "2 empty trailing columns dropped",
        )


def test_a_trailing_column_holding_something_is_refused_naming_the_line() -> None:
    lines = _padded(PER_YEAR.read_bytes()).split(b"\n")
    lines[20] = lines[20][:-2] + b"x,"
    with pytest.raises(DataError) as err:
        sipri.read_register(b"\n".join(lines), "t.csv")
    assert (err.value.message, err.value.hint) == (
        "t.csv:21: this line does not end with the 4 empty columns the header ends with: it "
        "holds something there, or its last field was cut",
        UNCHANGED,
    )
    # a line short of them is refused the same way: its last field may have been cut
    lines = _padded(PER_YEAR.read_bytes()).split(b"\n")
    lines[30] = lines[30][:-1]
    with pytest.raises(DataError, match=r"^t\.csv:31: this line does not end with the 4 empty"):
        sipri.read_register(b"\n".join(lines), "t.csv")


def test_a_padded_volume_table_holding_something_past_its_header_is_refused() -> None:
    lines = _padded(EXPORTS.read_bytes(), 2).split(b"\n")
    lines[11] = lines[11][:-1] + b"7"
    with pytest.raises(DataError, match=r"^v\.csv:12: this line does not end with the 2 empty"):
        sipri.read_volumes(b"\n".join(lines), "v.csv")


def test_the_import_report_says_how_many_empty_columns_were_dropped(tmp_path: Path) -> None:
    """The issue's `sed 's/$/,,,,/'`: it was refused as "20 columns where 17"."""
    pad = tmp_path / "pad.csv"
    pad.write_bytes(_padded(PER_YEAR.read_bytes()))
    result = run_cli(["import", str(pad)], home=tmp_path / "home")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.splitlines()[:3] == [
        f"{pad} is a SIPRI export: read as with --as sipri",
        f"read the trade register (per-year export), covering 2000-2001: 119 data lines of "
        f"{pad}: imported 119 records, rejected 0",
        "data generated 2025-02-10; read as UTF-8; 4 empty trailing columns dropped",
    ]


def test_the_full_china_table_padded_keeps_its_figures() -> None:
    """The real table's rows end in "2000-2025,44%" cells: padding is told from them."""
    path = shared("sipri", "import-values-2026-07-from-china.csv")
    original = sipri.read_volumes(path.read_bytes(), "v.csv")
    padded = sipri.read_volumes(_padded(path.read_bytes()), "v.csv")
    assert (padded.records, padded.scope) == (original.records, "imports from China")


# --- tab separators ----------------------------------------------------------------------


def test_a_tab_separated_resave_reads_as_the_export_saying_so() -> None:
    original = sipri.read_register(CHINA.read_bytes(), "t.csv")
    tabbed = sipri.read_register(_resaved(CHINA.read_bytes(), sep="\t").encode(), "t.csv")
    assert tabbed.records == original.records
    assert tabbed.said == (
        "read as UTF-8",
        "tab separators read as ','",
        "column 'Deliveries in the Year Range' read as 'Number delivered'",
        "a register of transfers from China only, as its first note says",
    )
    volumes = sipri.read_volumes(_resaved(VOLUMES.read_bytes(), sep="\t").encode(), "v.csv")
    assert volumes.records == sipri.read_volumes(VOLUMES.read_bytes(), "v.csv").records


def test_a_tab_file_is_imported_through_the_front_door(tmp_path: Path) -> None:
    """The issue's `sed 's/,/\\t/g'`: it was refused as having no SIPRI header."""
    tab = tmp_path / "tab.csv"
    tab.write_bytes(PER_YEAR.read_bytes().replace(b",", b"\t"))
    result = run_cli(["import", str(tab)], home=tmp_path / "home")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr.splitlines()[2] == (
        "data generated 2025-02-10; read as UTF-8; tab separators read as ','"
    )


def test_a_comma_line_in_a_tab_file_is_refused_naming_it() -> None:
    lines = _resaved(CHINA.read_bytes(), sep="\t").split("\n")
    lines[20] = CHINA.read_bytes().decode().split("\n")[20]
    with pytest.raises(DataError) as err:
        sipri.read_register("\n".join(lines).encode(), "t.csv")
    assert err.value.message == (
        "t.csv:21: this line is split by ',' where the header is split by tab: cannot tell "
        "its fields"
    )


def test_a_header_split_by_another_separator_is_named_not_called_missing(
    tmp_path: Path,
) -> None:
    piped = tmp_path / "piped.csv"
    piped.write_bytes(PER_YEAR.read_bytes().replace(b",", b"|"))
    message = (
        f"{piped}:12: the header of SIPRI's trade register (per-year export) is split by "
        "'|', which geobal does not read"
    )
    hint = (
        "save the file again with one of the separators geobal reads (',', ';', tab), or "
        "export it again from SIPRI's database"
    )
    with pytest.raises(DataError) as err:
        transfer.recognised(piped.read_bytes(), str(piped))
    assert (err.value.message, err.value.hint) == (message, hint)
    with pytest.raises(DataError) as err:
        sipri.read_register(piped.read_bytes(), str(piped))
    assert err.value.message == message
    for args in ([], ["--as", "sipri"]):
        result = run_cli(["import", str(piped), *args], home=tmp_path / "home")
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == f"geobal: {message}\n{hint}\n"


# --- the front door: a SIPRI header without its notes -----------------------------------


def _cut(path: Path) -> bytes:
    """The export with its notes and credit line cut off: its header is its first line."""
    lines = path.read_bytes().split(b"\n")
    top = next(n for n, line in enumerate(lines) if line.startswith(b"Data generated")) + 1
    return b"\n".join(lines[top:]).lstrip(b"\n")


@pytest.mark.parametrize(
    ("path", "kind", "as_"),
    [
        (REGISTER_2024, "trade register (legacy export)", "sipri"),
        (CHINA, "trade register (legacy export)", "sipri"),
        (PER_YEAR, "trade register (per-year export)", "sipri"),
        (VOLUMES, "import-volume table", "sipri-tiv"),
        (FROM_CHINA, "import-volume table", "sipri-tiv"),
        (EXPORTS, "export-volume table", "sipri-tiv"),
    ],
)
def test_a_sipri_header_without_its_notes_says_which_as_to_add(
    tmp_path: Path, path: Path, kind: str, as_: str
) -> None:
    cut = tmp_path / "cut.csv"
    cut.write_bytes(_cut(path))
    message = (
        f"{cut}: its header is the one of SIPRI's {kind}, but not the notes and credit line "
        f"SIPRI exports above it: add --as {as_}"
    )
    hint = (
        "geobal takes a file without --as for SIPRI's only by its notes, lest rows of your "
        "own be mistaken for SIPRI's; with --map, it reads them as rows"
    )
    with pytest.raises(UsageError) as err:
        transfer.recognised(cut.read_bytes(), str(cut))
    assert (err.value.message, err.value.hint) == (message, hint)
    home = tmp_path / "home"
    for into in ([], ["--into", "mine"]):
        result = run_cli(["import", str(cut), *into], home=home)
        assert (result.exit_code, result.stdout, result.stderr) == (
            2,
            "",
            f"geobal: {message}\n{hint}\n",
        )
    assert not (home / "datasets").exists()
    # padded or tab-separated by a spreadsheet, it is the same header
    tabbed = _padded(_cut(path).replace(b",", b"\t"), 2, b"\t")
    with pytest.raises(UsageError, match=re.escape(f"add --as {as_}")):
        transfer.recognised(tabbed, "t.csv")
    # with the --as it names, it is read
    result = run_cli(["import", str(cut), "--as", as_], home=home)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    ("name", "as_"),
    [
        ("trade-register.csv", "sipri"),
        ("register-2026-07-supplier-china.csv", "sipri"),
        ("per-year-2000-2023.csv", "sipri"),
        ("import-export-values_1950-2024.csv", "sipri-tiv"),
        ("import-values-2026-07-from-china.csv", "sipri-tiv"),
        ("export-values_1950-2024.csv", "sipri-tiv"),
    ],
)
def test_the_real_exports_without_their_notes_say_which_as_to_add(name: str, as_: str) -> None:
    """The issue's `sed -n '9,$p'`: from the blank line above the header on."""
    lines = shared("sipri", name).read_bytes().split(b"\n")
    top = next(n for n, line in enumerate(lines) if line.startswith(b"Data generated")) + 1
    with pytest.raises(UsageError, match=re.escape(f"add --as {as_}")):
        transfer.recognised(b"\n".join(lines[top:]), name)


def test_rows_of_the_users_that_only_begin_like_sipris_are_rows() -> None:
    for data in (
        b"Recipient,2019,2020\nIndia,1,2\n",
        b"Recipient,2019,2020,2019-2020,Percentage\nIndia,1,2,3,4%\n",
        b"Exports by,2019,2020\nFrance,1,2\n",
        b"Recipient,Supplier,Year of order,Number ordered\nIndia,France,2019,36\n",
        b"SIPRI AT Database ID,Supplier,Recipient\n1,France,India\n",
    ):
        assert transfer.recognised(data, "own.csv") is None, data
    # a full SIPRI header with --map: the user's rows, mapped to the user's fields
    assert transfer.recognised(_cut(EXPORTS), "own.csv", mapped=True) is None


def test_a_five_row_fragment_of_the_export_table_is_refused_as_truncated(
    tmp_path: Path,
) -> None:
    lines = EXPORTS.read_bytes().split(b"\n")
    top = next(n for n, line in enumerate(lines) if line.startswith(b"Exports by,"))
    fragment = tmp_path / "fragment.csv"
    fragment.write_bytes(b"\n".join(lines[: top + 6]) + b"\n")
    result = run_cli(["import", str(fragment), "--as", "sipri-tiv"], home=tmp_path / "home")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"geobal: {fragment}: no row of totals ('Total world export', or 'Total exports to "
        "...' in a table of one partner) after its last row (line 15): the table looks "
        "truncated; nothing was written\n"
        "download the table again from SIPRI's database, whole\n"
    )
    assert not (tmp_path / "home" / "datasets").exists()


# --- the excerpts, made again -------------------------------------------------------------


def test_excerpt_py_makes_every_committed_excerpt_byte_for_byte() -> None:
    shared("sipri")
    from tests.fixtures.sipri import excerpt

    committed = {p.name for p in EXCERPTS.glob("*.csv")}
    assert set(excerpt.EXCERPTS) == committed
    for name, make in excerpt.EXCERPTS.items():
        assert make() == (EXCERPTS / name).read_bytes(), name
    readme = (EXCERPTS / "README.md").read_text("utf-8")
    assert set(re.findall(r"^- `([^`]+\.csv)`", readme, re.M)) == committed
