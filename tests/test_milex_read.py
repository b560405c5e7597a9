"""SIPRI's military expenditure workbook read from small ones in its layout
(tests/milex_workbook.py): marks given as RGB or as theme colours read the same, '...'
and 'xxx' are never 0, notes resolve, and whatever the reader does not recognise is
refused with its sheet and cell, writing nothing."""

import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from geobal.errors import DataError
from geobal.model import Record
from geobal.transfer.milex import Milex, read_milex
from tests.conftest import run_cli
from tests.milex_workbook import DEFAULT_COUNTRIES, build

CONSTANT = "Constant (2023) US$"


def _read(path: Path) -> Milex:
    return read_milex(path.read_bytes(), path.name)


def _by_id(milex: Milex) -> dict[str, Record]:
    return {str(r["id"]): r for r in milex.records}


@pytest.fixture(scope="module")
def rgb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("rgb") / "milex.xlsx")


def test_theme_colours_read_as_the_rgb_ones(rgb: Path, tmp_path: Path) -> None:
    themed = build(tmp_path / "themed.xlsx", theme=True)
    wb = openpyxl.load_workbook(themed)
    ws = wb[CONSTANT]
    pakistan = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "Pakistan")
    font = ws.cell(pakistan, 4).font  # 1987: an estimate, in blue
    assert font.color is not None and font.color.type == "theme"
    assert _read(themed).records == _read(rgb).records


def test_marks_unknown_and_not_independent(rgb: Path) -> None:
    milex = _read(rgb)
    assert (milex.base_year, milex.covers, milex.countries, milex.said) == (
        2023,
        (1987, 1992),
        len(DEFAULT_COUNTRIES),
        (),
    )
    r = _by_id(milex)
    pakistan = [y for y in range(1987, 1993) if r[f"pakistan-{y}"].get("constant_usd_estimate")]
    assert pakistan == [1987, 1988, 1989, 1990]
    assert r["korea-south-1991"]["constant_usd_uncertain"] is True
    # a '...' in blue is still unknown: no figure, so no mark
    korea = r["korea-south-1987"]
    assert korea["unknown"] == [
        "constant_usd",
        "current_usd",
        "local_calendar",
        "local_financial",
        "gdp_share",
    ]
    assert not any(k.startswith("constant_usd") for k in korea)
    assert r["russia-1988"]["not_independent"][:2] == ["constant_usd", "current_usd"]  # type: ignore[index]
    assert r["turkiye-1991"]["constant_usd"] == 0.0  # a real 0 stays one
    assert r["korea-south-1990"]["notes"] == ["section", "58"]
    assert r["korea-south-1990"]["currency"] == "Won"
    assert r["world-1990"]["unknown"] == ["total_constant_usd_bn"]
    assert r["middle-east-1988"]["total_constant_usd_bn_uncertain"] is True


def _changed(src: Path, dst: Path, change: Callable[[openpyxl.Workbook], None]) -> Path:
    wb = openpyxl.load_workbook(src)
    change(wb)
    wb.save(dst)
    return dst


def _india(wb: openpyxl.Workbook, sheet: str = CONSTANT) -> int:
    ws = wb[sheet]
    return next(row for row in range(1, ws.max_row + 1) if ws.cell(row, 1).value == "India")


def _set(
    value: float | str | None, font: Font | None = None, column: int = 5
) -> Callable[..., None]:
    def change(wb: openpyxl.Workbook) -> None:
        cell = wb[CONSTANT].cell(_india(wb), column)
        cell.value = value
        if font is not None:
            cell.font = font

    return change


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (_set(None), "cell E13: an empty cell where a figure, '...' or 'xxx' belongs"),
        (_set("n/a"), "cell E13: 'n/a' where a figure, '...' or 'xxx' belongs"),
        (_set("12,3"), "cell E13: '12,3' where a figure, '...' or 'xxx' belongs"),
        (
            _set(12.5, Font(color="FF00B050")),
            "cell E13: its font colour 00B050 is none of SIPRI's: black, blue (estimate), "
            "red (uncertain)",
        ),
        (_set("59a", column=3), "cell C13: notes '59a' are not SIPRI's marks"),
        (_set("\u00a777", column=3), "cell C13: note 77 is not on the 'Footnotes' sheet"),
    ],
)
def test_what_is_not_read_exactly_is_refused_with_its_cell(
    rgb: Path, tmp_path: Path, change: Callable[[openpyxl.Workbook], None], said: str
) -> None:
    bad = _changed(rgb, tmp_path / "bad.xlsx", change)
    with pytest.raises(DataError) as err:
        _read(bad)
    assert err.value.message == "bad.xlsx: 1 cell cannot be read exactly; nothing was written"
    assert err.value.details[0].startswith(f"sheet {CONSTANT!r}, {said}")
    # nothing is written
    home = tmp_path / "home"
    result = run_cli(["import", str(bad), "--as", "sipri-milex"], home=home)
    assert (result.exit_code, result.stdout) == (1, "")
    assert f"sheet {CONSTANT!r}, {said}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (home / "datasets").exists()


def test_a_country_twice_or_a_sheet_missing_is_refused(rgb: Path, tmp_path: Path) -> None:
    def twice(wb: openpyxl.Workbook) -> None:
        ws = wb[CONSTANT]
        ws.cell(_india(wb) + 1, 1).value = "India"

    with pytest.raises(DataError) as err:
        _read(_changed(rgb, tmp_path / "twice.xlsx", twice))
    assert "'India' is on two rows" in err.value.details[0]

    def no_notes(wb: openpyxl.Workbook) -> None:
        del wb["Footnotes"]

    with pytest.raises(DataError) as err:
        _read(_changed(rgb, tmp_path / "nonotes.xlsx", no_notes))
    assert err.value.message.startswith("nonotes.xlsx: no sheet 'Footnotes' (it has ")


# 70: Pakistan's blue 1987-1990 (4 years on five sheets, 3 on the two from 1988: 26);
# Korea's red 1991 (7); Russia's blue 1992 (7; its blue 1990 is a '...'); the USSR's
# blue 1987 (5), red 1988 and blue 1989-1990 (21); four red regional totals
def test_the_import_writes_both_datasets_and_replaces_only_its_own(
    rgb: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    first = run_cli(["import", str(rgb), "--as", "sipri-milex"], home=home)
    assert first.exit_code == 0, first.stderr
    data = home / "datasets"
    assert first.stderr.splitlines() == [
        "read SIPRI's military expenditure workbook, 1987-1992 (constant 2023 US$, saved "
        "2025-04-28): 7 countries, 87 records (70 figures marked estimate or uncertain), "
        "10 notes",
        f"wrote {data / 'milex.toml'} and {data / 'milex-notes.toml'}, citing "
        "sipri-milex-2025-04-28",
        "Source: SIPRI Military Expenditure Database",
    ]
    assert run_cli(["validate"], home=home).exit_code == 0
    # a user's change is not lost to a second import
    set_ = run_cli(["set", "milex", "india-1990", "constant_usd=1"], home=home)
    assert set_.exit_code == 0, set_.stderr
    again = run_cli(["import", str(rgb), "--as", "sipri-milex"], home=home)
    assert again.exit_code == 1
    assert again.stderr.startswith(
        "geobal: milex was changed since it was imported (records added, changed or "
        "removed): replacing it would lose those changes; nothing was written\n"
    )
    # nor is a dataset of the user's that has the name
    other = tmp_path / "home2"
    (other / "datasets").mkdir(parents=True)
    mine = '[dataset]\nname = "milex-notes"\ntitle = "Mine"\nkey = "id"\n\n[fields.id]\n'
    mine += 'type = "text"\n\n[[records]]\nid = "a"\nsources = ["article"]\n'
    (other / "datasets" / "milex-notes.toml").write_text(mine, encoding="utf-8")
    refused = run_cli(["import", str(rgb), "--as", "sipri-milex"], home=other)
    assert refused.exit_code == 1
    assert refused.stderr.startswith(
        "geobal: milex-notes is a dataset `geobal import --as sipri-milex` did not make "
        "(a dataset of yours, 1 records): it is not replaced; nothing was written\n"
    )
    assert not (other / "datasets" / "milex.toml").exists()


def test_a_country_missing_from_one_sheet_is_refused(rgb: Path, tmp_path: Path) -> None:
    def drop(wb: openpyxl.Workbook) -> None:
        wb["Per capita"].delete_rows(_india(wb, "Per capita"))

    with pytest.raises(DataError) as err:
        _read(_changed(rgb, tmp_path / "dropped.xlsx", drop))
    assert err.value.details == ["sheet 'Per capita': no row for 'India', which other sheets have"]


def test_an_import_into_a_name_of_its_own_cites_a_source_of_its_own(
    rgb: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    few = build(tmp_path / "few.xlsx", years=(1988, 1989, 1990))
    for path, into in ((rgb, []), (few, ["--into", "few"])):
        run = run_cli(["import", str(path), "--as", "sipri-milex", *into], home=home)
        assert run.exit_code == 0, run.stderr
    cited = {
        name: json.loads(run_cli(["query", name, "--json"], home=home).stdout)[0]["sources"]
        for name in ("milex", "few")
    }
    assert cited == {"milex": ["sipri-milex-2025-04-28"], "few": ["sipri-milex-few-2025-04-28"]}
    about = run_cli(["show", "sources", "sipri-milex-2025-04-28", "--json"], home=home)
    assert json.loads(about.stdout)["record"]["title"].endswith(", 1987-1992")


def test_an_export_of_it_credits_the_military_expenditure_database(
    rgb: Path, tmp_path: Path
) -> None:
    import sqlite3

    home = tmp_path / "home"
    assert run_cli(["import", str(rgb), "--as", "sipri-milex"], home=home).exit_code == 0
    out = tmp_path / "m.sqlite"
    done = run_cli(["export", "milex", "--format", "sqlite", "--output", str(out)], home=home)
    assert done.exit_code == 0, done.stderr
    with sqlite3.connect(out) as db:
        row = db.execute("select source, licence, credit from _datasets where name='milex'")
        assert row.fetchone() == (
            "SIPRI Military Expenditure Database",
            "(c) SIPRI",
            "SIPRI Military Expenditure Database",
        )


def test_the_exports_credit_holds_when_the_source_title_is_edited(
    rgb: Path, tmp_path: Path
) -> None:
    from geobal.transfer.bridges import provenance

    home = tmp_path / "home"
    assert run_cli(["import", str(rgb), "--as", "sipri-milex"], home=home).exit_code == 0
    edited = run_cli(
        ["set", "sources", "sipri-milex-2025-04-28", "title=Military expenditure, SIPRI"],
        home=home,
    )
    assert edited.exit_code == 0, edited.stderr
    import geobal
    from tests.conftest import home_environ

    g = geobal.open(environ=home_environ(home))
    found = provenance(g.dataset("milex"), g.dataset("sources"))
    assert (found.source, found.credit) == (
        "SIPRI Military Expenditure Database",
        "SIPRI Military Expenditure Database",
    )
