"""Every figure exact or refused, in every format: aggregates past what a field holds,
floats in CSV and back, one typing of a number column for Parquet, SQLite and frames,
and hints that never suggest a figure the cell may not mean."""

from pathlib import Path

import pytest

import geobal
from geobal.api import Geobal
from geobal.errors import DataError
from geobal.fieldtypes import (
    NumberKind,
    ValueProblem,
    first_unheld,
    number_column,
    typed_number,
)
from geobal.model import Field
from tests.conftest import SNAPSHOT, home_environ, run_cli

SUM_PAST_FLOATS = (
    "geobal: --sum x: the sum is past what a number field holds (64-bit floats, up to "
    "about 1.8e308)\n"
    "sum fewer records at a time (--where, --count-by), or give the figures in a larger "
    "unit\n"
)


def _open(home: Path) -> Geobal:
    return geobal.open(bundled=SNAPSHOT, environ=home_environ(home))


def _numbers(home: Path, name: str, fields: list[str], rows: list[dict[str, str]]) -> Geobal:
    data = _open(home)
    data.new(name, fields)
    for row in rows:
        data.add(name, [*(f"{k}={v}" for k, v in row.items()), "sources=article"])
    return data


def test_a_float_sum_past_its_range_is_refused_naming_the_field_and_aggregate(
    tmp_path: Path,
) -> None:
    rows = [{"id": "a", "x": "1e308"}, {"id": "b", "x": "1.7e308"}]
    data = _numbers(tmp_path, "big", ["x:number"], rows)
    with pytest.raises(DataError) as err:
        data.query("big", sum="x")
    assert err.value.message == (
        "--sum x: the sum is past what a number field holds (64-bit floats, up to about 1.8e308)"
    )
    for fmt in (["--json"], ["--format", "csv"], ["--format", "tsv"]):
        run = run_cli(["query", "big", "--sum", "x", *fmt], home=tmp_path)
        assert (run.exit_code, run.stdout, run.stderr) == (1, "", SUM_PAST_FLOATS), fmt
    run = run_cli(["query", "big", "--sum", "x"], home=tmp_path, tty=True)
    assert (run.exit_code, run.stdout, run.stderr) == (1, "", SUM_PAST_FLOATS)
    # the mean is a figure: added exactly, then divided, it is 1.35e308, not an overflow
    assert data.query("big", mean="x").to_records() == [
        {"count": 2, "x_mean": 1.35e308, "x_skipped": 0}
    ]
    run = run_cli(["query", "big", "--mean", "x", "--json"], home=tmp_path)
    assert (run.exit_code, run.stderr) == (0, "")
    assert '"x_mean": 1.35e+308' in run.stdout


def test_a_groups_sum_past_its_range_names_the_group(tmp_path: Path) -> None:
    rows = [{"id": "a", "x": "1e308", "k": "p"}, {"id": "b", "x": "1.7e308", "k": "p"}]
    _numbers(tmp_path, "big", ["x:number", "k:text"], [*rows, {"id": "c", "x": "1", "k": "q"}])
    run = run_cli(["query", "big", "--sum", "x", "--count-by", "k", "--json"], home=tmp_path)
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr.startswith("geobal: --sum x for k = p: the sum is past what a number")


def test_a_whole_sum_past_64_bits_is_refused_and_never_reaches_a_frame(tmp_path: Path) -> None:
    rows = [
        {"id": "a", "n": str(2**63 - 1), "x": str(2**63 - 1)},
        {"id": "b", "n": str(2**53 + 1), "x": str(2**53 + 1)},
    ]
    data = _numbers(tmp_path, "big", ["n:integer", "x:number"], rows)
    with pytest.raises(DataError) as err:
        data.query("big", sum="n")
    assert err.value.message == (
        "--sum n: the sum, 9232379236109516800, is past what an integer field holds, "
        "-9223372036854775808 to 9223372036854775807"
    )
    with pytest.raises(DataError) as err:
        data.query("big", sum="x")
    assert err.value.message == (
        "--sum x: the sum 9232379236109516800 cannot be kept exactly: a number field holds "
        "whole numbers of up to 64 bits and 64-bit floats (about 15 significant digits), "
        "which would store it as 9.232379236109517e+18"
    )
    run = run_cli(["query", "big", "--sum", "n", "--json"], home=tmp_path)
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr.startswith("geobal: --sum n: the sum, 9232379236109516800, is past")
    # a whole sum past 64 bits that a float is exactly is a number field's figure
    nine = [{"id": "a", "x": str(9 * 10**18)}, {"id": "b", "x": str(9 * 10**18)}]
    data = _numbers(tmp_path, "nine", ["x:number"], nine)
    summed = data.query("nine", sum="x")
    assert summed.to_records() == [{"count": 2, "x_sum": 1.8e19, "x_skipped": 0}]
    assert summed.to_pandas()["x_sum"].tolist() == [1.8e19]
    assert summed.to_polars()["x_sum"].to_list() == [1.8e19]
    assert summed.to_arrow().column("x_sum").to_pylist() == [1.8e19]


def test_json_never_holds_infinity_or_nan() -> None:
    from geobal.codecs.jsontext import json_dumps

    for bad in (float("inf"), float("-inf"), float("nan")):
        with pytest.raises(ValueError, match="not JSON compliant"):
            json_dumps([{"x": bad}])


ROUND_TRIP = ["1e308", "1e16", "0.1", "123456789012345678"]


@pytest.mark.parametrize(("fmt", "sep"), [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_write_each_float_as_its_shortest_form_and_read_it_back(
    tmp_path: Path, fmt: str, sep: str
) -> None:
    rows = [{"id": f"r{i}", "x": v} for i, v in enumerate(ROUND_TRIP)]
    data = _numbers(tmp_path, "nums", ["x:number"], rows)
    out = tmp_path / f"nums.{fmt}"
    data.export("nums", fmt, out)
    assert out.read_text().splitlines() == [
        sep.join(("id", "x", "sources")),
        *(
            sep.join((f"r{i}", x, "article"))
            for i, x in enumerate(["1e+308", "10000000000000000", "0.1", "123456789012345678"])
        ),
    ]
    data.new("back", ["x:number"])
    data.import_(out, "back")
    back, nums = (data.query(n, fields="id,x").to_records() for n in ("back", "nums"))
    assert back == nums
    assert [r["x"] for r in back] == [
        1e308,
        10**16,
        0.1,
        123456789012345678,
    ]


def test_a_whole_float_below_1e16_is_still_written_as_its_digits() -> None:
    field = Field("x", NumberKind(), "X", "")
    assert [field.type.plain(field, v) for v in (5.0, -3.0, 1e15, 1e16, 2.5e17, 0.5)] == [
        "5",
        "-3",
        "1000000000000000",
        "1e+16",
        "2.5e+17",
        "0.5",
    ]


def test_one_function_types_a_number_column() -> None:
    assert number_column([1e16, 10**16, 0.5, None]) == "float"  # each float is exactly it
    assert number_column([2**53 + 1, 7, None]) == "integer"
    assert number_column([0.5, 10**16, 2**53 + 1]) == "number"
    assert first_unheld([0.5, 10**16, 2**53 + 1]) == 2
    assert number_column([]) == "float"


def test_parquet_and_frames_hold_1e16_and_name_the_record_no_float_holds(
    tmp_path: Path,
) -> None:
    import pyarrow.parquet as pq

    rows = [{"id": "a", "x": "1e16"}, {"id": "b", "x": "0.5"}]
    data = _numbers(tmp_path, "nums", ["x:number"], rows)
    data.export("nums", "parquet", tmp_path / "ok")
    [written] = (tmp_path / "ok").glob("*.parquet")
    assert pq.read_table(written).column("x").to_pylist() == [1e16, 0.5]
    result = data.query("nums", fields="id,x")
    assert result.to_pandas()["x"].tolist() == [1e16, 0.5]
    assert result.to_polars()["x"].to_list() == [1e16, 0.5]
    assert str(result.to_arrow().schema.field("x").type) == "double"

    data.add("nums", ["id=c", "x=123456789012345678", "sources=article"])
    with pytest.raises(DataError) as err:
        data.export("nums", "parquet", tmp_path / "refused")
    assert err.value.message == (
        "nums: record c: x is 123456789012345678, a whole number no float holds exactly, "
        "and the field has fractions too: no one column type holds both"
    )
    assert not (tmp_path / "refused").exists()
    for convert in ("to_pandas", "to_polars", "to_arrow"):
        with pytest.raises(DataError) as err:
            getattr(data.query("nums", fields="id,x"), convert)()
        assert err.value.message == (
            "x: 123456789012345678 cannot be held exactly in one column with the fractions "
            "beside it (a float64 would round it)"
        ), convert

    # whole numbers alone, some no float holds: int64, in Parquet as in frames
    data.new("whole", ["x:number"])
    data.add("whole", ["id=a", "x=123456789012345678", "sources=article"])
    data.add("whole", ["id=b", "x=1e16", "sources=article"])
    data.export("whole", "parquet", tmp_path / "whole")
    [written] = (tmp_path / "whole").glob("*.parquet")
    table = pq.read_table(written)
    assert str(table.schema.field("x").type) == "int64"
    assert table.column("x").to_pylist() == [123456789012345678, 10**16]


def _hint(text: str, whole: bool = False) -> str:
    with pytest.raises(ValueProblem) as err:
        typed_number(text, whole)
    return err.value.why


def test_a_comma_is_read_as_a_decimal_comma_or_a_separator_only_where_it_can_be() -> None:
    point = "the decimal mark is a point"
    assert _hint("1,5") == f"{point}: if 1,5 means 1.5, write 1.5"
    assert _hint("12,50") == f"{point}: if 12,50 means 12.50, write 12.50"
    assert _hint("1.234,5") == f"{point}: if 1.234,5 means 1234.5, write 1234.5"
    assert _hint("1 000,5") == f"{point}: if 1 000,5 means 1000.5, write 1000.5"
    assert (
        _hint("1,5", whole=True) == "if 1,5 means 1.5 (a decimal comma), it is not a whole number"
    )
    # either: each reading with its condition
    assert _hint("1,000") == (
        "digits are written with no separators, and the decimal mark is a point: "
        "if 1,000 means 1000, write 1000; if it means 1.000, write 1.000"
    )
    assert _hint("1,000", whole=True) == (
        "digits are written with no separators: if 1,000 means 1000, write 1000"
    )
    assert _hint("1.234.567") == (
        "digits are written with no separators: if 1.234.567 means 1234567, write 1234567"
    )
    # separators alone, which no decimal comma reading fits
    bare = "digits are written with no separators: write it"
    assert _hint("1,000,000") == f"{bare} 1000000"
    assert _hint("1,00,000") == f"{bare} 100000"  # India's grouping
    assert _hint("1,234.5") == f"{bare} 1234.5"
    assert _hint("1 000") == f"{bare} 1000"
    assert _hint("1_000", whole=True) == f"{bare} 1000"
    for nothing in ("1,5,5", "1,00,00", "abc"):
        with pytest.raises(ValueError) as raised:
            typed_number(nothing)
        assert not isinstance(raised.value, ValueProblem), nothing


def test_a_semicolon_csv_with_a_decimal_comma_gets_the_decimal_hint(tmp_path: Path) -> None:
    _numbers(tmp_path, "nums", ["x:number"], [])
    path = tmp_path / "in.csv"
    path.write_text("id;x;sources\nr1;1,5;article\n")
    run = run_cli(["import", str(path), "--into", "nums"], home=tmp_path)
    assert (run.exit_code, run.stdout) == (1, "")
    assert run.stderr == (
        f"read {path} as CSV separated by ';'\n"
        f"geobal: {path}: 1 problem; nothing was imported\n"
        f"  {path}: line 2: x: x takes a number, not '1,5': the decimal mark is a point: "
        "if 1,5 means 1.5, write 1.5\n"
        "fix the rows (or map their columns with --map) and import again\n"
    )
