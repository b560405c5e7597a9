"""The one Period and its parser: every form a user types, the label SIPRI writes, and
what is refused with the forms it takes."""

import pytest

from geobal.errors import UsageError
from geobal.periods import FORMS, Period, compared, label, parse, parse_list, steps, within


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2019-23", Period(2019, 2023)),
        ("2019-2023", Period(2019, 2023)),
        (" 2019 - 23 ", Period(2019, 2023)),
        ("2021", Period(2021, 2021)),
        ("1998-02", Period(1998, 2002)),  # two digits: the next century where needed
        ("1950-2050", Period(1950, 2050)),
    ],
)
def test_every_form_parses_to_the_same_period(text: str, period: Period) -> None:
    assert parse(text) == period


@pytest.mark.parametrize(
    ("period", "written"),
    [
        (Period(2019, 2023), "2019-23"),
        (Period(2021, 2021), "2021"),
        (Period(1998, 2002), "1998-2002"),  # across a century: both years whole
        (Period(1950, 2049), "1950-2049"),
        (Period(1950, 2050), "1950-2050"),  # "1950-50" would read as the year 1950
    ],
)
def test_the_label_is_sipris_and_reads_back_as_the_same_period(
    period: Period, written: str
) -> None:
    assert period.label == str(period) == label(period.first, period.last) == written
    assert parse(written) == period


def test_a_list_is_periods_oldest_first() -> None:
    assert parse_list("2019-23,2014-2018") == [Period(2014, 2018), Period(2019, 2023)]
    assert parse_list("2021") == [Period(2021, 2021)]


@pytest.mark.parametrize("text", ["2019-2", "19-23", "2019/23", "abc", "", "2019-23,", "20199"])
def test_anything_else_is_refused_with_the_forms_it_takes(text: str) -> None:
    with pytest.raises(UsageError) as raised:
        parse_list(text, "--period")
    assert str(raised.value).startswith(f"--period takes {FORMS}; not ")


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(UsageError, match=r"^--period 2023-2019 ends before it starts"):
        parse("2023-2019")


def test_periods_side_by_side_are_two_or_more_that_do_not_overlap() -> None:
    assert compared("2014-18,2019-23") == [Period(2014, 2018), Period(2019, 2023)]
    with pytest.raises(UsageError, match=r"^--compare needs two periods or more"):
        compared("2019-23")
    with pytest.raises(UsageError, match=r"^--compare: 2019-23 and 2021-25 overlap"):
        compared([Period(2021, 2025), Period(2019, 2023)])


def test_a_period_cut_in_steps_and_checked_against_the_years_covered() -> None:
    assert steps(Period(2014, 2023), 5) == [Period(2014, 2018), Period(2019, 2023)]
    with pytest.raises(UsageError, match=r"^2014-24 is not a whole number of 5-year periods"):
        steps(Period(2014, 2024), 5)
    assert within(Period(2019, 2023), (1950, 2023), False, "'t'") == Period(2019, 2023)
    cut = within(Period(2021, 2025), (1950, 2023), True, "'t'")
    assert (cut.years, cut.partial, cut.note) == (
        (2021, 2023),
        True,
        "partial: the data cover 2021-23 only",
    )
    beyond = r"^2021-25 reaches beyond the years 't' covers, 1950-2023"
    with pytest.raises(UsageError, match=beyond):
        within(Period(2021, 2025), (1950, 2023), False, "'t'")
    assert Period(2019, 2023).before == Period(2014, 2018)


def test_a_period_ending_before_it_starts_is_refused_not_read_as_the_next_century() -> None:
    from geobal.errors import UsageError
    from geobal.periods import parse

    assert parse("1998-02").years == (1998, 2002)
    with pytest.raises(UsageError, match="2019-18 ends before it starts"):
        parse("2019-18")


def test_a_period_across_a_century_is_labelled_with_both_years_whole() -> None:
    from geobal.periods import label

    assert (label(1950, 2019), label(1998, 2002), label(2019, 2023)) == (
        "1950-2019",
        "1998-2002",
        "2019-23",
    )
