"""One rule on every path a value takes (a dataset file, add, set, import): a number is
typed as digits or refused with the form to type; a zero has no sign; a blank value,
empty text or a list of no items, is no value, so a required field given blank is
missing whether added or imported."""

import json
from pathlib import Path

import pytest

import geobal
from geobal.api import Geobal
from geobal.errors import GeobalError, UsageError
from geobal.fieldtypes import INTEGER, NUMBER, blank, exact_number
from geobal.model import Field
from tests.conftest import SNAPSHOT, home_environ, run_cli


@pytest.fixture
def data(tmp_path: Path) -> Geobal:
    opened = geobal.open(bundled=SNAPSHOT, environ=home_environ(tmp_path))
    opened.new("notes", ["name:text!", "n:number", "i:integer", "tags:list"])
    return opened


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        (NUMBER, "1_000", "n takes a number, not '1_000': digits are written with no "
         "separators: write it 1000"),
        (NUMBER, "1,000.5", "n takes a number, not '1,000.5': digits are written with no "
         "separators: write it 1000.5"),
        (INTEGER, "1 000", "n takes a whole number, not '1 000': digits are written with no "
         "separators: write it 1000"),
        (NUMBER, "inf", "n takes a number, not 'inf'"),
        (NUMBER, "0x10", "n takes a number, not '0x10'"),
        (INTEGER, "+_1", "n takes a whole number, not '+_1'"),
        (INTEGER, "1.0", "n takes a whole number, not '1.0'"),
    ],
)  # fmt: skip
def test_a_number_in_a_notation_no_source_writes_is_refused(
    field: object, text: str, message: str
) -> None:
    assert field is NUMBER or field is INTEGER
    with pytest.raises(UsageError) as raised:
        field.from_text(Field("n", field, "N"), text)
    assert str(raised.value) == message


def test_digits_of_other_scripts_still_read_as_ascii_as_the_readme_says() -> None:
    assert exact_number("\u0661\u0662") == 12
    assert INTEGER.from_text(Field("i", INTEGER, "I"), "\uff17") == 7


def test_a_zero_has_no_sign_on_any_path(data: Geobal, tmp_path: Path) -> None:
    data.add("notes", ["name=typed", "n=-0.0", "sources=article"])
    data.import_(b"name,n\nimported,-0\n", "notes", sources=["article"], name="rows.csv")
    user = data.catalog.user
    assert user is not None
    path = user / "notes.toml"
    path.write_text(
        path.read_text() + '\n[[records]]\nid = "filed"\nname = "filed"\nn = -0.0\n'
        'sources = ["article"]\n',
        encoding="utf-8",
    )
    rows = geobal.open(bundled=SNAPSHOT, environ=home_environ(tmp_path)).query(
        "notes", fields="id,n"
    )
    shown = json.dumps(rows.to_records())
    assert "-0" not in shown
    assert [r["n"] for r in rows.to_records()] == [0, 0, 0.0]


def test_blank_is_none_spaces_or_no_items() -> None:
    assert blank(None) and blank("") and blank("  \t") and blank([])
    assert not blank("a") and not blank([""]) and not blank(0) and not blank(False)


def test_add_and_import_refuse_the_same_empty_required_text(data: Geobal) -> None:
    with pytest.raises(UsageError) as added:
        data.add("notes", ["id=a", "name=", "sources=article"])
    assert str(added.value) == "record a: name: missing required field"
    with pytest.raises(GeobalError) as imported:
        data.import_(b"id,name\na,\n", "notes", sources=["article"], name="rows.csv")
    assert "name: missing required field" in "\n".join(imported.value.details) + str(imported.value)
    with pytest.raises(UsageError, match="name: missing required field"):
        data.add("notes", ["id=a", "name=  ", "sources=article"])


def test_an_empty_list_is_no_value_on_every_path(data: Geobal, tmp_path: Path) -> None:
    data.add("notes", ["id=added", "name=x", "tags=", "sources=article"])
    data.add("notes", ["id=semis", "name=x", "tags= ; ", "sources=article"])
    data.import_(b"id,name,tags\nimported,x,\n", "notes", sources=["article"], name="r.csv")
    data.import_(
        b'[{"id": "json", "name": "x", "tags": []}]', "notes", sources=["article"], name="r.json"
    )
    data.add("notes", ["id=emptied", "name=x", "tags=a", "sources=article"])
    data.set("notes", "emptied", ["tags="])
    user = data.catalog.user
    assert user is not None
    text = (user / "notes.toml").read_text()
    assert "tags =" not in text
    path = user / "notes.toml"
    path.write_text(
        text + '\n[[records]]\nid = "filed"\nname = "x"\ntags = []\nsources = ["article"]\n',
        encoding="utf-8",
    )
    rows = geobal.open(bundled=SNAPSHOT, environ=home_environ(tmp_path)).query(
        "notes", fields="id,tags"
    )
    assert {r["id"]: r["tags"] for r in rows.to_records()} == dict.fromkeys(
        ["added", "semis", "imported", "json", "emptied", "filed"]
    )


def test_the_cli_refuses_an_empty_required_text_as_import_does(tmp_path: Path) -> None:
    made = run_cli(["new", "notes", "--field", "name:text!", "--field", "n:number"], home=tmp_path)
    assert made.exit_code == 0
    added = run_cli(
        ["add", "notes", "--set", "id=a", "--set", "name=", "--set", "sources=article"],
        home=tmp_path,
    )
    assert (added.exit_code, added.stdout) == (2, "")
    assert added.stderr == (
        "geobal: record a: name: missing required field\nset it with --set name=VALUE\n"
    )
    number = run_cli(
        ["add", "notes", "--set", "name=x", "--set", "n=1_000", "--set", "sources=article"],
        home=tmp_path,
    )
    assert (number.exit_code, number.stdout) == (2, "")
    assert number.stderr == (
        "geobal: n takes a number, not '1_000': digits are written with no separators: "
        "write it 1000\n"
    )


def test_to_pandas_keeps_dates_beyond_its_range_as_dates(data: Geobal) -> None:
    pytest.importorskip("pandas")
    import datetime as dt

    data.new("eras", ["name:text", "d:date"])
    for rid, day in (("a", "1600-01-01"), ("b", "2300-12-31"), ("c", "2020-05-05")):
        data.add("eras", [f"id={rid}", f"d={day}", "sources=article"])
    frame = data.query("eras", sort="id").to_pandas()
    assert frame["d"].dtype == object
    assert list(frame["d"]) == [dt.date(1600, 1, 1), dt.date(2300, 12, 31), dt.date(2020, 5, 5)]
    within = data.query("eras", where="id=c").to_pandas()
    assert str(within["d"].dtype) == "datetime64[ns]"
