"""The public library: the same answers as the CLI's JSON, typed values, conversions to
the data-frame libraries, changes through the one write path, and a cheap import."""

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import pytest

import geobal
from geobal.api import Geobal, MissingPackage
from geobal.errors import DataError, UsageError
from geobal.model import Dataset
from geobal.queries import Filter
from tests.conftest import DATA, SNAPSHOT, home_environ, isolated_environ, run_cli


def _open(home: Path, bundled: Path = SNAPSHOT) -> Geobal:
    return geobal.open(bundled=bundled, environ=home_environ(home))


def _json(args: list[str], home: Path, data_dir: Path = SNAPSHOT) -> object:
    result = run_cli([*args, "--json"], home=home, data_dir=data_dir)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_query_equals_the_commands_json_on_the_bundled_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in home_environ(tmp_path).items():
        monkeypatch.setenv(name, value)
    air = geobal.query("deals", where=["sector=air"])
    assert air.to_records() == _json(["deals", "--sector", "air"], tmp_path, DATA)
    assert len(air) > 5
    assert "brameur-thehindu-2025" in air.provenance.sources or air.provenance.sources


@pytest.mark.parametrize(
    ("args", "ask"),
    [
        (["query", "deals", "--where", "year>=2018", "--sort", "-year"],
         lambda g: g.query("deals", ["year>=2018"], sort=["-year"])),
        (["query", "deals", "--count-by", "status"], lambda g: g.query("deals", count_by="status")),
        (["deals", "--fields", "id,year", "--limit", "3"],
         lambda g: g.query("deals", fields=["id", "year"], limit=3)),
        (["deals", "--search", "S-400"], lambda g: g.query("deals", search="S-400")),
        (["datasets"], lambda g: g.datasets()),
        (["schema", "deals"], lambda g: g.describe("deals")),
        (["schema", "events", "kind"], lambda g: g.describe("events", "kind")),
        (["search", "russia", "--limit", "4"], lambda g: g.search("russia", limit=4)),
        (["sources", "--dataset", "risks"], lambda g: g.sources(["risks"])),
    ],
)  # fmt: skip
def test_each_question_answers_what_its_command_prints(
    tmp_path: Path, args: list[str], ask: object
) -> None:
    assert callable(ask)
    assert ask(_open(tmp_path)).to_records() == _json(args, tmp_path)


def test_show_gives_the_record_and_its_sources(tmp_path: Path) -> None:
    shown = _open(tmp_path).show("deals", "s-400")
    printed = _json(["show", "deals", "s-400"], tmp_path)
    assert isinstance(printed, dict)
    assert shown.to_records() == [printed["record"]]
    assert list(shown.provenance.sources) == [s["id"] for s in printed["sources"]]


def test_typed_records_hold_dates_and_exact_decimals(tmp_path: Path) -> None:
    home = tmp_path / "home"
    data = _open(home)
    data.new("buys", ["item:text!", "price:number", "when:date", "done:boolean"])
    data.add(
        "buys", ["id=a", "item=A", "price=0.1", "when=2024-03-05", "done=true", "sources=article"]
    )
    data.add("buys", ["id=b", "item=B", "when=2024-03", "sources=article"])
    rows = data.query("buys", sort=["id"]).typed_records()
    assert rows[0]["price"] == Decimal("0.1")  # not 0.1000000000000000055511151231257827
    assert rows[0]["when"] == dt.date(2024, 3, 5)
    assert rows[0]["done"] is True
    assert rows[1]["when"] == "2024-03"  # known to the month: no day made up
    assert rows[1]["price"] is None


def test_changes_go_through_the_write_path_and_the_cli_sees_them(tmp_path: Path) -> None:
    data = _open(tmp_path)
    made = data.new("watch", ["item:text!"])
    assert made.to_records() == []
    assert made.notes[0].startswith("created ")
    assert data.add("watch", ["id=x", "item=S-400", "sources=article"]).to_records() == [
        {"id": "x"}
    ]
    assert data.set("watch", "x", ["item=S-500"]).notes[0].startswith("changed item of x")
    assert _json(["query", "watch", "--fields", "id,item"], tmp_path) == [
        {"id": "x", "item": "S-500"}
    ]
    with pytest.raises(
        geobal.UsageError, match=r"--where matches 1 of your records in watch \(x\)"
    ):
        data.remove("watch", where=["item=S-500"])
    data.remove("watch", ["x"])
    assert _json(["query", "watch"], tmp_path) == []


def test_validate_gives_a_row_a_problem(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "datasets").mkdir(parents=True)
    (home / "datasets" / "bad.toml").write_text("[dataset\n", encoding="utf-8")
    checked = _open(home).validate()
    assert len(checked) == 1
    assert "bad.toml:1:" in str(checked.to_records()[0]["problem"])


def test_frames_keep_each_columns_type(tmp_path: Path) -> None:
    # dev dependencies: a clone's `uv run pytest` has them all
    import pandas
    import polars

    data = _open(tmp_path)
    data.new("buys", ["item:text!", "n:integer", "price:number", "when:date", "tags:list"])
    data.add(
        "buys",
        ["id=a", "item=A", "n=3", "price=2.5", "when=2024-03-05", "tags=x;y", "sources=article"],
    )
    data.add("buys", ["id=b", "item=B", "sources=article"])
    result = data.query("buys", sort=["id"], fields="id,n,price,when,tags")

    frame = result.to_pandas()
    assert [str(t) for t in frame.dtypes] == [
        "string",
        "Int64",
        "Float64",
        "datetime64[ns]",
        "object",
    ]
    assert frame["n"].tolist() == [3, pandas.NA]
    assert frame.attrs["geobal.title"] == result.title

    table = result.to_arrow()
    assert [str(t) for t in table.schema.types] == [
        "string", "int64", "double", "date32[day]", "list<item: string>"
    ]  # fmt: skip
    assert table.to_pylist()[0] == {
        "id": "a", "n": 3, "price": 2.5, "when": dt.date(2024, 3, 5), "tags": ["x", "y"]
    }  # fmt: skip
    assert json.loads(table.schema.metadata[b"geobal.sources"]) == ["article"]

    pl = result.to_polars()
    assert pl.schema["when"] == polars.Date
    assert pl.to_dicts()[1] == {"id": "b", "n": None, "price": None, "when": None, "tags": None}


def test_frames_hold_every_figure_exactly_or_refuse(tmp_path: Path) -> None:
    data = _open(tmp_path)
    data.new("big", ["n:integer", "x:number"])
    data.add("big", ["id=a", f"x={2**53 + 1}", "sources=article"])
    result = data.query("big", fields="id,x")
    # whole numbers past 2**53: int64, not a float64 that would make 2**53 of them
    assert result.to_pandas()["x"].tolist() == [2**53 + 1]
    assert str(result.to_arrow().schema.field("x").type) == "int64"
    data.add("big", ["id=b", "x=0.5", "sources=article"])
    for convert in ("to_pandas", "to_polars", "to_arrow"):
        with pytest.raises(DataError) as err:
            getattr(data.query("big", fields="id,x"), convert)()
        assert err.value.message == (
            f"x: {2**53 + 1} cannot be held exactly in one column with the fractions "
            "beside it (a float64 would round it)"
        ), convert
        assert "typed_records()" in (err.value.hint or "")
    # 2**53 itself, and every whole number below it, a float64 holds
    data.set("big", "a", [f"x={2**53}"])
    assert data.query("big", sort="id", fields="x").to_pandas()["x"].tolist() == [2**53, 0.5]


def test_a_group_key_named_as_another_column_of_the_grouping_is_refused(tmp_path: Path) -> None:
    data = _open(tmp_path)
    data.new("cnt", ["tiv:number", "tiv_sum:integer", "tiv_skipped:integer"])
    data.add("cnt", ["id=a", "tiv=1.5", "tiv_sum=6", "tiv_skipped=1", "sources=article"])
    data.add("cnt", ["id=b", "tiv=2", "tiv_sum=6", "sources=article"])
    for key in ("tiv_sum", "tiv_skipped"):
        with pytest.raises(UsageError) as err:
            data.query("cnt", count_by=key, sum="tiv")
        assert err.value.message == (
            f"--count-by {key}: the field's name is that of another column of the grouping "
            "(an aggregate's, a unit's or a count of missing values)"
        )
    assert data.query("cnt", count_by="tiv_sum").to_records() == [{"tiv_sum": 6, "count": 2}]


def test_a_missing_package_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib

    real = importlib.import_module

    def without_pandas(name: str, *args: object) -> object:
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real(name)

    monkeypatch.setattr(importlib, "import_module", without_pandas)
    with pytest.raises(MissingPackage, match="to_pandas\\(\\) needs the package 'pandas'") as err:
        _open(tmp_path).datasets().to_pandas()
    assert err.value.hint == "pip install pandas"


def test_importing_geobal_imports_neither_the_library_nor_rich() -> None:
    code = (
        "import sys, geobal\n"
        "print(sorted(m for m in sys.modules if m.startswith(('geobal.', 'rich'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env=isolated_environ(), timeout=60,
    )  # fmt: skip
    assert done.stdout.strip() == "[]"


def test_every_public_name_resolves() -> None:
    for name in geobal.__all__:
        assert getattr(geobal, name) is not None
    with pytest.raises(AttributeError):
        geobal.nothing_of_that_name  # noqa: B018


def test_the_module_functions_are_made_on_first_use_each_as_its_method() -> None:
    """geobal.api makes its functions (query, shares, ...) when first asked for, not at
    import: each once, with its method's parameters but `self`, and listed by dir()
    (and so by help()) before it is made."""
    import inspect

    from geobal import api

    code = "import geobal.api as a; print(sorted(set(a._ON_OPEN) & set(vars(a))))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout == "[]\n"  # none made by the import
    listed = dir(api)
    for name in api._ON_OPEN:
        assert name in listed
        function = getattr(api, name)
        assert getattr(api, name) is function
        method = list(inspect.signature(getattr(Geobal, name)).parameters.values())
        assert list(inspect.signature(function).parameters.values()) == method[1:]
        assert f"geobal.open().{name}(...)" in str(function.__doc__)
    assert not {"__getattr__", "__dir__", "_ON_OPEN"} & set(listed)


def test_dir_lists_the_public_names_and_help_names_the_types_it_shows() -> None:
    import inspect

    geobal.query  # noqa: B018  (imports the library, and with it store, cache...)
    public = [n for n in dir(geobal) if not n.startswith("__")]
    assert public == sorted(n for n in geobal.__all__ if not n.startswith("__"))
    assert "__version__" in dir(geobal)
    # every type the signatures show is a name geobal gives, or a builtin's
    signature = str(inspect.signature(geobal.query))
    assert "geobal.model.Dataset" in signature and "'" not in signature
    assert (geobal.Dataset, geobal.Filter) == (Dataset, Filter)
    for method in ("query", "suppliers"):
        params = inspect.signature(getattr(geobal, method)).parameters
        assert params["where"].annotation == str | Iterable[str], method


def test_periods_as_typed_in_a_list_and_one_where_as_text(tmp_path: Path) -> None:
    data = _open(tmp_path)
    listed = data.suppliers(period=["2014-18", "2019-23"]).to_records()
    assert listed == data.suppliers(period="2014-18,2019-23").to_records()
    assert (
        data.query("deals", "sector=air").to_records()
        == data.query("deals", ["sector=air"]).to_records()
    )


def test_remove_given_one_id_as_text_removes_that_record_only(tmp_path: Path) -> None:
    data = _open(tmp_path)
    data.new("ids", ["name:text"])
    for rid in ("a", "b", "ab"):
        data.add("ids", [f"id={rid}", "sources=article"])
    data.remove("ids", "ab")
    assert [r["id"] for r in data.query("ids", fields="id", sort=["id"]).to_records()] == ["a", "b"]
