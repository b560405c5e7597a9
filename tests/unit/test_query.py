"""The query engine: typed filters, sorting, counting and field selection."""

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from geobal.catalog import Catalog
from geobal.errors import DataError, UsageError
from geobal.fieldtypes import INTEGER, LIST
from geobal.model import Dataset
from geobal.queries import Op, build, exact_sum, parse_where, run
from tests.conftest import FIXTURES, write_dataset


@pytest.fixture(scope="module")
def items() -> Dataset:
    return Catalog(FIXTURES).get("items")


def ids(ds: Dataset, **kwargs: object) -> list[str]:
    return [str(r["id"]) for r in run(ds, build(ds, **kwargs)).rows]  # type: ignore[arg-type]


def test_default_sort_is_the_datasets_with_missing_values_last(items: Dataset) -> None:
    assert ids(items) == ["b", "a", "c", "d"]  # rank: top, mid, low, then none


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("count>2", ["b", "a"]),
        ("count>=3", ["b", "a"]),
        ("count<3", ["d"]),
        ("count=10", ["b"]),
        ("count!=10", ["a", "c", "d"]),  # a missing value is not equal to 10
        ("share<=0.5", ["a"]),
        ("share == 2", ["b"]),
        ("seen=2018", ["a", "c"]),  # a partial date matches everything inside it
        ("seen>=2019", ["b"]),
        ("seen<2018-12", ["a", "c"]),
        ("rank>=mid", ["b", "a"]),  # levels compare on their scale
        ("rank<Top", ["a", "c"]),
        ("kind=first", ["a"]),  # an alias
        ("kind!=alpha", ["b", "c", "d"]),
        ("tags=y", ["b", "a"]),  # a list holds the value
        ("tags!=x", ["b", "c", "d"]),
        ("name~an", ["b"]),  # any case
        ("name~'[BOLD]'", ["a"]),
        ("name!~a", ["c"]),
        ("kind~kind", ["b", "a", "c"]),  # ~ looks in labels too
        ("id=a", ["a"]),
        ('name="Cherry"', ["c"]),
    ],
)
def test_where(items: Dataset, expr: str, expected: list[str]) -> None:
    assert ids(items, where=[expr]) == expected


def test_conditions_combine(items: Dataset) -> None:
    assert ids(items, where=["count>1", "tags=y"], filters=[("kind", Op.EQ, "beta")]) == ["b"]
    assert ids(items, filters=[("kind", Op.EQ, None)]) == ["b", "a", "c", "d"]
    assert ids(items, search="APPLE") == ["a"]


@pytest.mark.parametrize(
    ("expr", "message", "hint"),
    [
        (
            "count",
            "malformed --where 'count'",
            "expected FIELD OP VALUE, such as sector=air or "
            "year>=2018; operators: = != ~ (contains) !~ < <= > >=",
        ),
        (
            "cuont>1",
            "unknown field 'cuont' in items; did you mean 'count'?",
            "available: id, name, count, share, seen, tags, kind, rank, sources, origin, file",
        ),
        ("count>many", "count takes a whole number, not 'many'", None),
        (
            "kind>alpha",
            "kind is a choice field, which has no order",
            "use = or != to match a value, or ~ to look for text in it",
        ),
        (
            "tags<x",
            "tags is a list field, which has no order",
            "use = or != to match a value, or ~ to look for text in it",
        ),
        ("rank=huge", "unknown rank 'huge'", "valid values: low (Low), mid (Medium), top (Top)"),
        (
            "kind=b",
            "'b' is ambiguous for kind: it could be beta or bravo",
            "valid values: alpha (Alpha Kind), beta (Beta Kind), bravo (Bravo Kind)",
        ),
    ],
)
def test_bad_where_is_a_usage_error(
    items: Dataset, expr: str, message: str, hint: str | None
) -> None:
    with pytest.raises(UsageError) as info:
        parse_where(items.fields, "items", expr)
    assert (info.value.message, info.value.hint) == (message, hint)


def test_sort_desc_limit_and_fields(items: Dataset) -> None:
    assert ids(items, sort=["count"]) == ["d", "a", "b", "c"]
    assert ids(items, sort=["-count"]) == ["b", "a", "d", "c"]  # missing stays last
    assert ids(items, sort=["count"], desc=True) == ["b", "a", "d", "c"]
    assert ids(items, desc=True) == ["c", "a", "b", "d"]  # the default order, reversed
    assert ids(items, sort=["kind", "-id"]) == ["a", "b", "c", "d"]
    assert ids(items, limit=2) == ["b", "a"]
    assert ids(items, limit=0) == ["b", "a", "c", "d"]
    frame = run(items, build(items, fields="name, id"))
    assert [f.name for f in frame.columns] == ["name", "id"]
    assert frame.table_columns == ("name", "id")  # the fields named are the ones shown
    with pytest.raises(UsageError, match="--limit must be 0"):
        build(items, limit=-1)
    with pytest.raises(UsageError, match=r"^--fields needs at least one field name$"):
        build(items, fields=",")
    with pytest.raises(UsageError, match="unknown field 'colour' in items"):
        build(items, sort=["-colour"])


def test_count_by(items: Dataset) -> None:
    frame = run(items, build(items, count_by="tags"))
    assert [f.name for f in frame.columns] == ["tags", "count"]
    assert list(frame.rows) == [
        {"tags": "y", "count": 2},
        {"count": 2},  # records without tags
        {"tags": "x", "count": 1},
    ]
    frame = run(items, build(items, count_by="rank", sort=["rank"], where=["count>0"]))
    assert list(frame.rows) == [
        {"rank": "mid", "count": 1},
        {"rank": "top", "count": 1},
        {"count": 1},
    ]
    assert frame.columns[0].labels["top"] == "Top"  # counted values keep their labels
    with pytest.raises(UsageError, match=r"^--count-by count: the field's name is that of the"):
        build(items, count_by="count")


def test_list_filters_type_their_items() -> None:
    from geobal.model import Field
    from geobal.queries import condition

    years = Field("years", LIST, "Years", items=INTEGER)
    test = condition(years, Op.EQ, "2020").predicate()
    assert test({"years": [2019, 2020]}) and not test({"years": [2021]})
    with pytest.raises(UsageError, match="years takes a whole number, not 'soon'"):
        condition(years, Op.EQ, "soon")


def test_aggregates_by_group_skip_and_count_empty_values(items: Dataset) -> None:
    frame = run(
        items,
        build(
            items,
            count_by="tags",
            aggregates=[("sum", "count"), ("mean", "share"), ("min", "seen"), ("max", "rank")],
        ),
    )
    assert [f.name for f in frame.columns] == [
        "tags",
        "count",
        "count_sum",
        "share_mean",
        "seen_min",
        "rank_max",
        "count_skipped",
        "share_skipped",
        "seen_skipped",
        "rank_skipped",
    ]
    assert list(frame.rows) == [
        {
            "tags": "y",
            "count": 2,
            "count_sum": 13,  # integers stay integers
            "share_mean": 1.25,
            "seen_min": "2018-10-05",
            "rank_max": "top",  # a level's greatest value is the top of its scale
            "count_skipped": 0,
            "share_skipped": 0,
            "seen_skipped": 0,
            "rank_skipped": 0,
        },
        {  # c and d have no tags; c has no count, neither has a share
            "count": 2,
            "count_sum": 1,
            "seen_min": "2018",
            "rank_max": "low",
            "count_skipped": 1,
            "share_skipped": 2,
            "seen_skipped": 1,
            "rank_skipped": 1,
        },
        {
            "tags": "x",
            "count": 1,
            "count_sum": 3,
            "share_mean": 0.5,
            "seen_min": "2018-10-05",
            "rank_max": "mid",
            "count_skipped": 0,
            "share_skipped": 0,
            "seen_skipped": 0,
            "rank_skipped": 0,
        },
    ]
    assert frame.caption == (
        "Aggregates skip empty values: 1 record with no count, 2 records with no share, "
        "1 record with no seen, 1 record with no rank."
    )
    assert "share_skipped" not in frame.table_columns  # the caption says it, on a table


def test_an_aggregate_without_count_by_is_one_row_over_all_records(items: Dataset) -> None:
    frame = run(items, build(items, aggregates=[("sum", "share"), ("max", "count")]))
    assert list(frame.rows) == [
        {"count": 4, "share_sum": 2.5, "count_max": 10, "share_skipped": 2, "count_skipped": 1}
    ]
    assert frame.noun == ("group", "groups")
    sorted_frame = run(
        items, build(items, count_by="kind", aggregates=[("sum", "count")], sort=["-count_sum"])
    )
    assert [r.get("kind") for r in sorted_frame.rows] == ["beta", "alpha", None, "bravo"]


@pytest.mark.parametrize(
    ("how", "field", "message"),
    [
        ("sum", "name", "--sum needs a number field; name is a text field"),
        ("mean", "seen", "--mean needs a number field; seen is a date field"),
        ("max", "tags", "--max needs a field with an order; tags is a list field"),
        ("sum", "colour", "unknown field 'colour' in items"),
    ],
)
def test_aggregates_refuse_fields_they_mean_nothing_for(
    items: Dataset, how: str, field: str, message: str
) -> None:
    with pytest.raises(UsageError, match=f"^{re.escape(message)}"):
        build(items, aggregates=[(how, field)])


def test_sums_are_exact_to_the_decimals_written() -> None:
    assert exact_sum([0.1, 0.2]) == 0.3
    assert exact_sum([1, 2]) == 3 and isinstance(exact_sum([1, 2]), int)
    assert exact_sum([12.5, 0.25, 1]) == 13.75
    assert exact_sum([1e300, 1e300, -1e300]) == 1e300
    assert exact_sum([0.1] * 10) == 1.0  # summed as floats: 0.9999999999999999


UNITS = """
[dataset]
name = "costs"
title = "Costs"
key = "id"

[fields.id]
type = "text"

[fields.who]
type = "text"

[fields.value]
type = "number"
unit = "unit"

[fields.unit]
type = "text"

[[records]]
id = "a"
who = "x"
value = 2.5
unit = "US$ billion"
sources = ["s"]

[[records]]
id = "b"
who = "x"
value = 3
unit = "US$ billion"
sources = ["s"]

[[records]]
id = "c"
who = "y"
value = 100
unit = "Rs crore"
sources = ["s"]
"""


def test_values_in_different_units_are_never_added(tmp_path: Path) -> None:
    write_dataset(tmp_path, "costs", UNITS)
    costs = Catalog(tmp_path).get("costs")
    frame = run(costs, build(costs, count_by="who", aggregates=[("sum", "value")]))
    assert list(frame.rows) == [
        {"who": "x", "count": 2, "value_sum": 5.5, "unit": "US$ billion", "value_skipped": 0},
        {"who": "y", "count": 1, "value_sum": 100, "unit": "Rs crore", "value_skipped": 0},
    ]
    by_unit = run(costs, build(costs, count_by="unit", aggregates=[("sum", "value")]))
    assert [f.name for f in by_unit.columns] == ["unit", "count", "value_sum", "value_skipped"]
    assert next(iter(by_unit.rows)) == {
        "unit": "US$ billion",
        "count": 2,
        "value_sum": 5.5,
        "value_skipped": 0,
    }
    with pytest.raises(UsageError, match=r"mix units \('Rs crore', 'US\$ billion'\)") as err:
        run(costs, build(costs, aggregates=[("max", "value")]))
    assert err.value.hint == (
        "keep to one unit with --where 'unit=...', or group by it with --count-by unit"
    )


def test_units_are_read_from_the_cache_too(tmp_path: Path) -> None:
    """A listing from the parse cache reads only the fields it needs: the unit field
    of an aggregated one is among them, or every unit would read as missing."""
    from geobal.cache import Cache
    from geobal.model import Columns

    write_dataset(tmp_path, "costs", UNITS)
    cache = Cache(tmp_path / "cache")
    Catalog(tmp_path, cache=cache).get("costs")
    cached = Catalog(tmp_path, cache=cache).get("costs")
    assert isinstance(cached.records, Columns)
    query = build(cached, count_by="who", aggregates=[("sum", "value")])
    assert [r.get("unit") for r in run(cached, query, narrow=True).rows] == [
        "US$ billion",
        "Rs crore",
    ]


def test_a_unit_must_name_a_text_field_of_the_dataset(tmp_path: Path) -> None:
    write_dataset(tmp_path, "costs", UNITS.replace('unit = "unit"', 'unit = "who2"'))
    with pytest.raises(DataError, match=r"\[fields.value\]: unit 'who2' must name a text"):
        Catalog(tmp_path).get("costs")


def test_a_date_known_to_the_year_or_month_is_a_span_of_days() -> None:
    """One rule for both sides: a record is kept where some day of its span may hold."""
    import operator

    from geobal.fieldtypes import DATE
    from geobal.model import Field

    field = Field("date", DATE, "Date")

    def kept(op: Callable[[Any, Any], bool], target: str) -> list[str]:
        test = DATE.ordering(field, op, target)
        return [d for d in ("2014-12", "2015", "2015-01", "2015-06-07", "2016") if test(d)]

    assert kept(operator.ge, "2015-06") == ["2015", "2015-06-07", "2016"]
    assert kept(operator.lt, "2015-06") == ["2014-12", "2015", "2015-01"]
    assert kept(operator.le, "2015-01") == ["2014-12", "2015", "2015-01"]
    assert kept(operator.gt, "2015") == ["2016"]
    assert kept(operator.le, "2015") == ["2014-12", "2015", "2015-01", "2015-06-07"]
    assert kept(operator.ge, "2014-11") == ["2014-12", "2015", "2015-01", "2015-06-07", "2016"]
