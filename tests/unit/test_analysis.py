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


def test_a_tie_with_the_unknown_remainder_is_not_a_certain_top() -> None:
    assert concentration({"russia": 50, "france": 0}).top_is_certain is False
    assert concentration({"russia": 51}).top_is_certain is True


def _share(period: str, sheet: int, share: float) -> Record:
    return {"period": period, "sheet": sheet, "supplier": "russia", "share": share,
            "sources": [f"s{sheet}"]}  # fmt: skip


def test_the_trend_line_compares_windows_that_do_not_overlap_from_one_release() -> None:
    from geobal.analysis.brief import _series
    from geobal.fieldtypes import LEVEL
    from geobal.model import Choice, Field

    windows = ("2009-13", "2011-15", "2015-19", "2016-20", "2019-23", "2020-24", "2021-25")
    period = Field("period", LEVEL, "Period", choices=tuple(Choice(w, w) for w in windows))
    rows = [
        _share("2009-13", 2014, 75),  # an older release: not mixed in
        _share("2019-23", 2024, 36),
        _share("2020-24", 2025, 36),  # overlaps 2021-25: would read as a rebound
        _share("2011-15", 2026, 70),
        _share("2015-19", 2026, 55),  # overlaps the five-year steps back from 2021-25
        _share("2016-20", 2026, 51),
        _share("2021-25", 2026, 40),
    ]
    text, used = _series("Russia", rows, period)
    assert text == (
        "Russia's share of India's imports, SIPRI's 2026 release: "
        "70% in 2011-15, 51% in 2016-20, 40% in 2021-25"
    )
    assert [r["period"] for r in used] == ["2011-15", "2016-20", "2021-25"]
    # a gap ends the series rather than jumping over it
    text, _ = _series("Russia", [r for r in rows if r["period"] != "2016-20"], period)
    assert text.endswith("release: 40% in 2021-25")
    assert _series("Russia", [], period) == ("Russia: no shares found", [])


def test_the_brief_is_as_of_the_earliest_date_its_datasets_run_to(catalog: Catalog) -> None:
    from geobal.analysis.brief import as_of

    deals = catalog.get("deals")
    dated = [deals.with_records([]) for _ in range(2)]
    dated[0].as_of, dated[1].as_of = "2026-06", "2026-03-09"
    undated = deals.with_records([])
    undated.as_of = "undated"
    assert as_of([*dated, undated]) == "2026-03-09"
    assert as_of([undated]) is None
