"""How a workbook comes in: openpyxl missing named with the extra to install, a file
that is no workbook, a workbook that is not SIPRI's, and SIPRI's recognised without
--as."""

import builtins
from pathlib import Path
from typing import Any

import pytest

from geobal.errors import UsageError
from geobal.transfer.milex import is_milex, read_milex, sheet_names
from tests.conftest import run_cli


def _workbook(path: Path, *titles: str) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = titles[0]  # type: ignore[union-attr]
    for title in titles[1:]:
        wb.create_sheet(title)
    wb.save(path)
    return path


def test_without_openpyxl_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real = builtins.__import__

    def no_openpyxl(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "openpyxl" or name.startswith("openpyxl."):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    with pytest.raises(UsageError) as err:
        read_milex(b"PK\x03\x04", "w.xlsx")
    assert (err.value.message, err.value.hint) == (
        "reading an .xlsx workbook needs openpyxl, which is not installed",
        "install geobal with its extra milex, from geobal's clone: uv tool install --force "
        "'.[milex]' (or pip install openpyxl where geobal is installed)",
    )


def test_a_file_that_is_no_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    path.write_bytes(b"Country,1949\nIndia,...\n")
    result = run_cli(["import", str(path), "--as", "sipri-milex"], home=tmp_path / "home")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"geobal: {path}: not an .xlsx workbook openpyxl can read (File is not a zip file)\n"
        "is it SIPRI's military expenditure workbook (SIPRI-Milex-data-....xlsx), saved as "
        ".xlsx?\n"
    )
    assert not (tmp_path / "home" / "datasets").exists()


def test_another_workbook_is_refused_with_or_without_as(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "budget.xlsx", "Data", "Notes")
    assert sheet_names(path.read_bytes()) == ["Data", "Notes"]
    assert not is_milex(["Data", "Notes"])
    bare = run_cli(["import", str(path)], home=tmp_path / "home")
    assert (bare.exit_code, bare.stdout) == (2, "")
    assert bare.stderr == (
        f"geobal: {path} is an .xlsx workbook (sheets: 'Data', 'Notes'), not rows geobal "
        "reads\nthe one workbook geobal reads is SIPRI's military expenditure (--as "
        "sipri-milex); save a sheet of another as CSV and import that\n"
    )
    given = run_cli(["import", str(path), "--as", "sipri-milex"], home=tmp_path / "home")
    assert given.exit_code == 1
    assert given.stderr.startswith(f"geobal: {path}: no sheet named 'Constant ('... ")
    assert not (tmp_path / "home" / "datasets").exists()


def test_sheet_names_of_what_is_not_a_workbook() -> None:
    assert sheet_names(b"") is None
    assert sheet_names(b"PK\x03\x04 not a zip") is None
    names = [
        "Front page",
        "Regional totals",
        "Local currency financial years",
        "Local currency calendar years",
        "Constant (2023) US$",
        "Current US$",
        "Share of GDP",
        "Per capita",
        "Share of Govt. spending",
        "Footnotes",
    ]
    assert is_milex(names)
    assert not is_milex([n for n in names if n != "Footnotes"])
