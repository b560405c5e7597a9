"""Analytics: latest releases, concentration bounds worked by hand, and honest trends."""

import pytest

from geobal.analysis import ordinal
from geobal.analysis.concentration import concentration, trend
from geobal.analysis.published import latest
from geobal.catalog import Catalog
from geobal.model import Record


def test_latest_keeps_the_most_recent_release_of_each_figure() -> None:
    rows: list[Record] = [
        {"period": "a", "supplier": "x", "sheet": 2014, "share": 75},
        {"period": "a", "supplier": "y", "sheet": 2014, "share": 7},
        {"period": "a", "supplier": "x", "sheet": 2019, "share": 76},
        {"period": "b", "supplier": "x", "sheet": 2015, "share": 70},
    ]
    assert latest(rows, ("period", "supplier"), "sheet") == rows[1:]
    assert latest(rows, ("period",), "sheet") == [rows[2], rows[3]]


def test_concentration_bounds_by_hand() -> None:
    c = concentration({"russia": 36, "united-states": 13, "france": 33})
    assert list(c.shares) == ["russia", "france", "united-states"]
    assert (c.known, c.unknown) == (82, 18)
    assert c.hhi_low == 36**2 + 33**2 + 13**2 == 2554
    assert c.hhi_high == 2554 + 18**2 == 2878
    assert (c.top, c.top_share, c.top_is_certain) == ("russia", 36, True)


def test_a_large_unknown_remainder_makes_the_top_uncertain() -> None:
    c = concentration({"russia": 36})
    assert (c.unknown, c.hhi_low, c.hhi_high, c.top_is_certain) == (64, 1296, 1296 + 4096, False)
    empty = concentration({})
    assert (empty.known, empty.unknown, empty.hhi_low, empty.hhi_high, empty.top) == (
        0,
        100,
        0,
        10000,
        None,
    )


def test_shares_over_100_leave_no_negative_remainder() -> None:
    assert concentration({"a": 60, "b": 45}).unknown == 0


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ({"a": 70, "b": 20}, {"a": 40, "b": 30}, "falling"),  # 5300..5400 -> 2500..3400
        ({"a": 40, "b": 30}, {"a": 70, "b": 20}, "rising"),
        ({"a": 58}, {"a": 55, "b": 14}, "unclear"),  # 3364..5128 overlaps 3221..4182
        ({"a": 50, "b": 50}, {"a": 50, "b": 50}, "unchanged"),
    ],
)
def test_trend_is_stated_only_where_the_bounds_allow(
    before: dict[str, float], after: dict[str, float], expected: str
) -> None:
    assert trend(concentration(before), concentration(after)) == expected
    assert trend(None, concentration(after)) == ""


def test_ordinal() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
    ]


def test_the_bundled_shares_show_russias_fall_and_rise(catalog: Catalog) -> None:
    ds = catalog.get("suppliers")
    russia = {
        str(r["period"]): r["share"]
        for r in latest(ds.records, ("period", "supplier"), "sheet")
        if r["supplier"] == "russia"
    }
    assert russia["2009-13"] == 76 and russia["2010-14"] == 72
    assert russia["2019-23"] == russia["2020-24"] == 36
    assert russia["2021-25"] == 40
