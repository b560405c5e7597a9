"""The query engine: typed filters, sorting, counting and field selection."""

import pytest

from geobal.catalog import Catalog
from geobal.errors import UsageError
from geobal.fieldtypes import INTEGER, LIST
from geobal.model import Dataset
from geobal.query import Op, build, parse_where, run
from tests.conftest import FIXTURES


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
    assert frame.table_columns == ()
    with pytest.raises(UsageError, match="--limit must be 0"):
        build(items, limit=-1)
    with pytest.raises(UsageError, match=r"^--fields needs at least one field name$"):
        build(items, fields=",")
    with pytest.raises(UsageError, match="unknown field 'colour' in items"):
        build(items, sort=["-colour"])


def test_count_by(items: Dataset) -> None:
    frame = run(items, build(items, count_by="tags"))
    assert [f.name for f in frame.columns] == ["value", "count"]
    assert list(frame.rows) == [
        {"value": "y", "count": 2},
        {"count": 2},  # records without tags
        {"value": "x", "count": 1},
    ]
    frame = run(items, build(items, count_by="rank", sort=["value"], where=["count>0"]))
    assert list(frame.rows) == [
        {"value": "mid", "count": 1},
        {"value": "top", "count": 1},
        {"count": 1},
    ]
    assert frame.columns[0].labels["top"] == "Top"  # counted values keep their labels


def test_list_filters_type_their_items() -> None:
    from geobal.model import Field
    from geobal.query import condition

    years = Field("years", LIST, "Years", items=INTEGER)
    test = condition(years, Op.EQ, "2020").predicate()
    assert test({"years": [2019, 2020]}) and not test({"years": [2021]})
    with pytest.raises(UsageError, match="years takes a whole number, not 'soon'"):
        condition(years, Op.EQ, "soon")
