"""Periods of years, and the one parser of every period a user types.

A period is written as SIPRI writes it, "2019-23" (the full last year where the two
digits would not say it, "1950-2050"), a single year as itself, "2021". Every command
that takes a period reads it with `parse` (one period) or `parse_list` (one or more,
comma-separated), which take "2019-23", "2019-2023", "2021" and lists of them alike;
a dash as typeset (an en dash, as SIPRI's own reports print a period) is read as the
hyphen, and the label is always written with a hyphen.
"""

import itertools
import re
from collections.abc import Sequence
from typing import NamedTuple

from geobal.errors import UsageError

FORMS = "FIRST-LAST as 2019-23 or 2019-2023, a single year such as 2021, or a list, 2014-18,2019-23"
# compiled on first use, not on import: the API, and so `deals --json`, imports this
_PERIOD = r"\s*(\d{4})\s*(?:-\s*(\d{2}|\d{4})\s*)?"
# hyphen, non-breaking hyphen, figure dash, en dash, em dash, minus: one dash to a reader
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))


class Period(NamedTuple):
    """The years `first` to `last` asked for; `covered`, where the data reach only part
    of them, the years the figures are computed over."""

    first: int
    last: int
    covered: tuple[int, int] | None = None

    @property
    def label(self) -> str:
        """The period as SIPRI writes it: "2019-23", "2021", "1950-2050"."""
        return label(self.first, self.last)

    def __str__(self) -> str:
        return self.label

    @property
    def length(self) -> int:
        return self.last - self.first + 1

    @property
    def years(self) -> tuple[int, int]:
        """The first and last year the figures are computed over."""
        return self.covered or (self.first, self.last)

    @property
    def partial(self) -> bool:
        return self.years != (self.first, self.last)

    @property
    def note(self) -> str:
        """What a reader must know of a partial period, else nothing."""
        return f"partial: the data cover {label(*self.years)} only" if self.partial else ""

    @property
    def before(self) -> "Period":
        """The period of the same length just before it, as SIPRI compares them."""
        return Period(self.first - self.length, self.first - 1)

    def contains(self, year: int) -> bool:
        first, last = self.years
        return first <= year <= last


ROLLOVER = 20  # the most years a period written "1998-02" may span into the next century


def label(first: int, last: int) -> str:
    """Years as SIPRI writes them: the last one's two digits where they say it, which
    they do within a century ("2019-23"); else both years whole ("1950-2019", not
    "1950-19", which reads as a period that ends before it starts)."""
    if first == last:
        return str(first)
    if 0 < last - first < 100 and first // 100 == last // 100:
        return f"{first}-{last % 100:02d}"
    return f"{first}-{last}"


def parse(text: str, option: str = "--period") -> Period:
    """One period as typed: "2019-23", "2019-2023" or "2021". Two digits end the period
    in the first year's century, or in the next one for a short period that crosses
    it ("1998-02" is 1998-2002; "2019-18" ends before it starts)."""
    m = re.fullmatch(_PERIOD, text.translate(_DASHES))
    if m is None:
        raise UsageError(f"{option} takes {FORMS}; not {text!r}")
    first = int(m[1])
    if m[2] is None:
        return Period(first, first)
    last = int(m[2])
    if len(m[2]) == 2:
        last += first // 100 * 100
        if last < first and last + 100 - first <= ROLLOVER:
            last += 100
    if last < first:
        raise UsageError(
            f"{option} {text.strip()} ends before it starts", "give the first year first"
        )
    return Period(first, last)


def parse_list(text: str, option: str = "--period") -> list[Period]:
    """One period or more, comma-separated, oldest first."""
    return sorted(parse(part, option) for part in text.split(","))


def read(value: object, option: str = "--period") -> list[Period]:
    """Periods as a script gives them, oldest first: text as typed ("2019-23", or a list
    "2014-18,2019-23"), a Period, or a list of either. Anything else (2019.5, an empty
    list, a Period that ends before it starts) is refused, never read as no period."""
    if isinstance(value, str):
        return parse_list(value, option)
    if isinstance(value, Period):
        first, last = value.first, value.last
        if not all(isinstance(y, int) and not isinstance(y, bool) for y in (first, last)):
            raise UsageError(f"{option}: a Period's years are whole numbers; not {value!r}")
        if last < first:
            raise UsageError(f"{option} {first}-{last} ends before it starts")
        return [value]
    if (
        isinstance(value, list | tuple)
        and value
        and all(isinstance(v, str | Period) for v in value)
    ):
        return sorted(p for v in value for p in read(v, option))
    raise UsageError(
        f"{option} takes {FORMS}, as text or Period values; not {value!r}",
        f'give {option.lstrip("-").replace("-", "_")}="2019-23"',
    )


def compared(periods: "str | Sequence[str | Period]", option: str = "--compare") -> list[Period]:
    """Two periods or more, to set side by side, oldest first; periods that overlap are
    refused, as the same years would count in both."""
    found = read(periods, option)
    if len(found) < 2:
        raise UsageError(
            f"{option} needs two periods or more, comma-separated",
            "for example 2014-18,2019-23",
        )
    for one, other in itertools.pairwise(found):
        if other.first <= one.last:
            raise UsageError(
                f"{option}: {one} and {other} overlap, so the same years would count in both",
                "give periods that do not overlap, as SIPRI does (2014-18,2019-23)",
            )
    return found


def labels(periods: Sequence[Period]) -> list[str]:
    return [p.label for p in periods]


def windows(first: int, last: int, size: int = 5) -> list[Period]:
    """Every `size`-year period from first to last, as SIPRI's rolling ones."""
    return [Period(a, a + size - 1) for a in range(first, last - size + 2)]


def year(value: int | None, option: str) -> int | None:
    """A year given alone (--from, --to), as a period writes one: four digits. None
    passes (not given)."""
    if value is not None and not 1000 <= value <= 9999:
        raise UsageError(f"{option} {value} is not a year", "give a year of four digits: 2019")
    return value


def fitted(period: Period, step: int, covers: tuple[int, int] | None = None) -> Period | None:
    """The longest run of whole `step`-year periods within `period` and the years the
    data `covers`, ending where `period` ends (or the data do, if earlier): a
    suggestion keeps the end asked for, the latest years being the ones wanted. None
    where not one period fits."""
    first, last = period.years
    if covers is not None:
        first, last = max(first, covers[0]), min(last, covers[1])
    count = (last - first + 1) // step
    return Period(last - count * step + 1, last) if count > 0 else None


def shifted(period: Period, covers: tuple[int, int], room: int = 0) -> Period | None:
    """The period as long as `period`, within the years the data `covers` with `room`
    years before it covered too (a comparison's period before), as near to `period` as
    they allow; None where they are too few."""
    lo, hi = covers[0] + room, covers[1] - period.length + 1  # its possible first years
    if lo > hi:
        return None
    first = min(max(period.first, lo), hi)
    return Period(first, first + period.length - 1)


def steps(period: Period, step: int, covers: tuple[int, int] | None = None) -> list[Period]:
    """`period` cut into periods of `step` years, one after another; where it is no
    whole number of them, the error suggests one that is (`fitted`, in the years the
    data `covers`)."""
    if step < 1:
        raise UsageError(f"--step must be 1 or more, not {step}")
    if step > period.length:
        raise UsageError(
            f"--step {step} is longer than the period {period} ({period.length} years)",
            f"give --step {period.length} or less, or a longer period",
        )
    if period.length % step:
        fits = fitted(period, step, covers)
        raise UsageError(
            f"{period} is not a whole number of {step}-year periods",
            (f"ask for {fits}, or " if fits else "ask for ") + "another --step",
        )
    return [Period(a, a + step - 1) for a in range(period.first, period.last + 1, step)]


def within(period: Period, covers: tuple[int, int] | None, partial: bool, what: str) -> Period:
    """`period`, checked against the years `what` covers: one reaching beyond them is
    refused, or with `partial` computed over the years covered and marked."""
    if covers is None:
        raise UsageError(f"{what} has no figures for any year")
    first, last = max(period.years[0], covers[0]), min(period.years[1], covers[1])
    shown = label(*covers)
    if first > last:
        near = shifted(period, covers)
        raise UsageError(
            f"{what} has no figures for {period}: it covers {shown}",
            f"ask for {near or 'years it covers'}, or import an export that covers these",
        )
    if (first, last) != period.years and not partial:
        raise UsageError(
            f"{period} reaches beyond the years {what} covers, {shown}",
            f"ask for {label(first, last)}, or pass --partial to compute over "
            f"{label(first, last)} and mark the figures partial",
        )
    return period._replace(
        covered=None if (first, last) == (period.first, period.last) else (first, last)
    )
