"""An imported SIPRI trade register as geobal reads it: either shape of it, the years it
covers, the records of one party, each record's deliveries year by year, and what every
figure computed from it carries (method, period, credit). The figures themselves are in
analysis.shares (shares, period by period, side by side, the check against the volume
table) and analysis.pipeline (the orders still to come).

The per-year export gives the TIV delivered in each year, so its totals are exact. The
legacy register gives each deal's delivered TIV and its delivery years, not what was
delivered in which year: geobal spreads the TIV evenly over the years, an estimate.
Every output says which (`method`), and which years the data cover: a period reaching
beyond them is refused, or with `partial` computed over the years covered and marked.

Nothing here is SIPRI's own figure: the data are, the arithmetic is geobal's.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from itertools import chain, compress
from typing import cast

from geobal.analysis import Needs, misfit, number
from geobal.analysis.parties import resolve, successor
from geobal.errors import UsageError
from geobal.fieldtypes import BOOLEAN, TEXT
from geobal.model import Dataset, Field, Record, Value, column, values_at
from geobal.periods import Period, within
from geobal.schema import SOURCES

CREDIT = "Information from the SIPRI Arms Transfers Database"
# the credit under a figure geobal computed from SIPRI's data
CREDITED = f"{CREDIT}; the figures are geobal's."
EXACT = "exact: the TIV delivered in each year, as the per-year export gives it"
# Said wherever a figure is an estimate from the legacy register: where exact ones come from.
EXACT_FROM = (
    "SIPRI's per-year export gives exact figures: geobal fetch sipri, or download it from "
    "https://www.sipri.org/databases/armstransfers and import it with geobal import FILE --as sipri"
)
ESTIMATE = (
    "estimate: each record's delivered TIV spread evenly over its delivery years, as "
    f"the register does not say how much was delivered in which year ({EXACT_FROM})"
)
# The method as a chart says it, under its title: plain words, no command to type there
PLAIN_EXACT = "Exact figures: the TIV delivered in each year, as SIPRI's per-year export gives it"
PLAIN_ESTIMATE = (
    "Estimated figures: each record's delivered TIV spread evenly over its delivery years"
)
LEGACY: Needs = {
    "recipient": ("text",),
    "supplier": ("text",),
    "delivery_years": ("list",),
    "tiv_delivered": ("number", "integer"),
}
PER_YEAR: Needs = {
    "recipient": ("text",),
    "supplier": ("text",),
    "delivery_year": ("integer",),
    "tiv_delivered": ("number", "integer"),
}
VOLUMES: Needs = {"recipient": ("text",), "year": ("integer",), "tiv": ("number", "integer")}
IMPORT_REGISTER = "geobal import trade-register.csv --as sipri"
IMPORT_VOLUMES = "geobal import import-export-values_1950-2024.csv --as sipri-tiv"
EXPORT_VOLUMES: Needs = {"supplier": ("text",), "year": ("integer",), "tiv": ("number", "integer")}
IMPORT_EXPORT_VOLUMES = "geobal import export-values_1950-2024.csv --as sipri-tiv"


# The fields the figures here read: a register's records are built of just these, which
# from the parse cache takes a fifth of the time of building them whole.
READS = (
    "recipient",
    "supplier",
    "delivery_years",
    "delivery_year",
    "tiv_delivered",
    "category",
    "order_year",
    "ordered",
    "delivered",
    "tiv_total",
    "designation",
    "description",
    "uncertain",
    "sources",
)


class Register:
    """A SIPRI trade register as geobal reads it. What several figures of one command
    read (the sources its records cite, where each party's records are) is worked out
    once and kept here: every command reads the register afresh (`register`)."""

    def __init__(self, dataset: Dataset, exact: bool, covers: tuple[int, int] | None) -> None:
        self.dataset = dataset
        self.exact = exact  # the per-year export: the TIV of each delivery year
        self.covers = covers  # the first and last year its deliveries cover
        self._distinct: dict[str, set[Value | None]] = {}
        # (first, last) -> recipient or supplier -> its partners' TIV (`partners`)
        self.pairs: dict[tuple[int, int], dict[str, dict[str, dict[str, float]]]] = {}
        # (field, name, successors) -> the positions of its records (`where`)
        self.places: dict[tuple[str, str, object], list[int]] = {}
        # spans of years -> every supplier's TIV in each (`exporters`)
        self.supplied: dict[tuple[tuple[int, int], ...], list[Totals]] = {}

    def column(self, name: str) -> Sequence[Value | None]:
        """Every record's value of `name`: from the parse cache, without building
        28,000 records to read one field of each."""
        return column(self.dataset.records, name)

    def values_at(self, name: str, positions: Sequence[int]) -> Sequence[Value | None]:
        """The values of `name` of the records at these positions: from the parse cache,
        only the chunks that hold them unpacked; every record's, the whole column."""
        if positions == range(len(self.dataset.records)):  # every record, in order
            return self.column(name)
        return values_at(self.dataset.records, name, positions)

    def declared_at(self, name: str, positions: Sequence[int]) -> Sequence[Value | None]:
        """`values_at`, of a field the dataset declares; None at each position for one it
        does not (as `records_at` reads only declared fields)."""
        if name not in self.dataset.field_map:
            return [None] * len(positions)
        return self.values_at(name, positions)

    def records_at(self, indices: Iterable[int], reads: Iterable[str] = READS) -> list[Record]:
        """The records at these positions, with the fields in `reads`."""
        at = list(indices)
        names = [f for f in reads if f in self.dataset.field_map]
        columns = [values_at(self.dataset.records, n, at) for n in names]
        return (
            [
                {n: v for n, v in zip(names, values, strict=True) if v is not None}
                for values in zip(*columns, strict=True)
            ]
            if columns
            else [{} for _ in at]
        )

    def distinct(self, field: str) -> set[Value | None]:
        """The values of `field` (recipient, supplier), each once; once a command."""
        found = self._distinct.get(field)
        if found is None:
            found = self._distinct[field] = set(self.column(field))
        return found

    @property
    def parties_named(self) -> bool:
        """Whether every recipient and supplier is text: a pass that keys records by
        them needs it, and goes record by record where it is not so."""
        named = (*self.distinct("recipient"), *self.distinct("supplier"))
        return all(isinstance(v, str) for v in named)

    @property
    def method(self) -> str:
        return "exact" if self.exact else "estimate"

    @property
    def how(self) -> str:
        """The method, said in full."""
        return EXACT if self.exact else ESTIMATE

    @property
    def plain(self) -> str:
        """The method as a chart says it: plain words, no command."""
        return PLAIN_EXACT if self.exact else PLAIN_ESTIMATE

    @cached_property
    def sources(self) -> list[str]:
        """The ids of the source entries its records cite, once a command."""
        values = self.column(SOURCES)
        if set(map(type, values)) <= {list, type(None)}:
            # lists and gaps only, as a valid file holds: every list joined in C, no
            # Python step a record (28,000 of them in SIPRI's register)
            lists = cast("Iterable[list[object]]", filter(None, values))
            cited: set[object] = set(chain.from_iterable(lists))
        else:
            cited = {s for v in values if isinstance(v, list) for s in v}
        return sorted({str(s) for s in cited})


def register(ds: Dataset) -> Register:
    """`ds` as a SIPRI trade register of either shape; a usage error, naming the
    import, if it is neither."""
    if misfit(ds, PER_YEAR) is None:
        exact = True
    elif misfit(ds, LEGACY) is None:
        exact = False
    else:
        raise UsageError(
            f"{ds.name!r} is not a SIPRI trade register", f"import one with: {IMPORT_REGISTER}"
        )
    covers = ds.covers
    if covers is None:  # imported before geobal recorded what an export covers
        covers = _years(column(ds.records, "delivery_year" if exact else "delivery_years"))
    return Register(ds, exact, covers)


def _years(values: Iterable[Value | None]) -> tuple[int, int] | None:
    """The first and last of the delivery years (each a year, or a list of them)."""
    found = [y for v in values for y in (v if isinstance(v, list) else [v]) if isinstance(y, int)]
    return (min(found), max(found)) if found else None


def volumes(ds: Dataset) -> Dataset:
    """`ds`, if it is SIPRI's import-volume table."""
    if misfit(ds, VOLUMES) is not None:
        raise UsageError(
            f"{ds.name!r} is not SIPRI's import-volume table", f"import it with: {IMPORT_VOLUMES}"
        )
    return ds


def export_volumes(ds: Dataset) -> Dataset:
    """`ds`, if it is SIPRI's export-volume table."""
    if misfit(ds, EXPORT_VOLUMES) is not None:
        raise UsageError(
            f"{ds.name!r} is not SIPRI's export-volume table",
            f"import it with: {IMPORT_EXPORT_VOLUMES}",
        )
    return ds


def span(reg: Register, period: Period, partial: bool, what: str) -> Period:
    """`period` checked against the years the register covers: one reaching beyond them
    is refused, or with `partial` computed over the years covered and marked."""
    if reg.covers is None:
        raise UsageError(f"{what} has no deliveries at all", f"import one with: {IMPORT_REGISTER}")
    return within(period, reg.covers, partial, what)


def narrowed(period: Period, table: Dataset, partial: bool) -> Period:
    """`period` cut further to the years the import-volume table covers."""
    years = [y for y in column(table.records, "year") if isinstance(y, int)]
    covers = table.covers or ((min(years), max(years)) if years else None)
    return within(period, covers, partial, f"{table.name!r}")


def whole(reg: Register, field: str | None, partner: str | None = None) -> None:
    """Refuse a register SIPRI filtered to one partner where a figure needs every
    transfer of a `field` (recipient, supplier; None: of every country, as the fact
    sheet ranks them): a register of transfers from China gives no country's whole
    imports. `partner`: the one supplier (recipient) a comparison keeps to, which such
    a register holds whole."""
    from geobal.analysis.scopes import scoped_parties

    scope = reg.dataset.scope
    supplier, recipient = scoped_parties(scope)
    other = supplier if field == "recipient" else recipient if field == "supplier" else scope
    if not other or other == partner:
        return
    needed = {
        "recipient": "a recipient's imports from every supplier",
        "supplier": "a supplier's exports to every recipient",
    }.get(field or "", "every country's transfers")
    raise UsageError(
        f"{reg.dataset.name!r} holds SIPRI's {scope} only (as its export's notes say): "
        f"this needs {needed}",
        "export the register for all countries from SIPRI's database and import it: "
        + IMPORT_REGISTER,
    )


def named(reg: Register, field: str, text: str) -> str:
    """The name of `field` (recipient, supplier) that `text` names, by SIPRI's name or
    another name of the same country (geobal.analysis.parties)."""
    return resolve(field, text, (str(v) for v in reg.distinct(field) if v is not None))


def where(
    reg: Register, field: str, name: str, successors: Mapping[str, str] | None = None
) -> list[int]:
    """The positions of the records whose `field` is `name`, or with `successors` a state
    it continues, in order."""
    key = (field, name, tuple(successors.items()) if successors else None)
    found = reg.places.get(key)
    if found is None:
        who = successor(name, successors)
        wanted = {v for v in reg.distinct(field) if successor(str(v), successors) == who}
        # each value looked up in C, as `v in wanted` would (the same TypeError for one
        # that cannot be hashed): a brief asks for one country's three times
        column = reg.column(field)
        found = reg.places[key] = list(
            compress(range(len(column)), map(wanted.__contains__, column))
        )
    return list(found)


def of(
    reg: Register,
    field: str,
    name: str,
    successors: Mapping[str, str] | None = None,
    reads: Iterable[str] = READS,
) -> list[Record]:
    """The records whose `field` is `name`, or with `successors` a state it continues,
    with the fields in `reads`."""
    return reg.records_at(where(reg, field, name, successors), reads)


# what the figures of deliveries read, of a record
FLOWS = ("recipient", "supplier", "category", "delivery_year", "delivery_years", "tiv_delivered")


def per_year(reg: Register, records: Iterable[Record], first: int, last: int) -> dict[int, float]:
    """The TIV delivered in each year first-last, by the register's method."""
    totals = dict.fromkeys(range(first, last + 1), 0.0)
    for r in records:
        tiv = number(r.get("tiv_delivered"))
        if not tiv:
            continue
        if reg.exact:
            year = r.get("delivery_year")
            if isinstance(year, int) and first <= year <= last:
                totals[year] += tiv
            continue
        years = r.get("delivery_years")
        if isinstance(years, list):
            for y in years:
                if isinstance(y, int) and first <= y <= last:
                    totals[y] += tiv / len(years)
    return totals


Totals = tuple[dict[str, float], dict[str, set[str]]]


def totals_at(
    reg: Register,
    at: Sequence[int],
    by: str,
    first: int,
    last: int,
    successors: Mapping[str, str] | None = None,
) -> Totals:
    """The TIV delivered in the years first-last by value of `by`, and the names each
    total counts, for the records at the positions `at` (in that order), read from the
    register's columns without building a record: the same additions in the same order
    as record by record (tests/unit/test_register_columns.py keeps that path as the
    reference), so the same sums to the last bit."""
    return totals_in(reg, at, by, [(first, last)], successors)[0]


def totals_in(
    reg: Register,
    at: Sequence[int],
    by: str,
    spans: Sequence[tuple[int, int]],
    successors: Mapping[str, str] | None = None,
) -> list[Totals]:
    """`totals_at` for each span of years (first, last), in one pass over the records."""
    found: list[Totals] = [({}, {}) for _ in spans]
    if not spans:
        return found
    names = reg.values_at(by, at)
    low, high = min(first for first, _ in spans), max(last for _, last in spans)
    for k, part, years in deliveries(reg, at, low, high):
        name = names[k]
        if name is None:
            continue
        said = str(name)
        party = successors.get(said, said) if successors else said  # successor(), inline
        for year in years:
            if isinstance(year, int):
                for (first, last), (totals, counted) in zip(spans, found, strict=True):
                    if first <= year <= last:
                        totals[party] = totals.get(party, 0.0) + part
                        if successors:  # the names a total joins; without, its own
                            counted.setdefault(party, set()).add(said)
    if not successors:
        for totals, counted in found:
            counted.update((party, {party}) for party in totals)
    return found


def deliveries(
    reg: Register, at: Sequence[int], low: int, high: int
) -> Iterator[tuple[int, float, Sequence[object]]]:
    """For each record at the positions `at` with a delivery in the years low-high: its
    place in `at`, the TIV each of its delivery years counts (its TIV over their number),
    and those years (each year's record of the per-year export: its one year). A fact
    sheet runs this over every record: number() inline, and a record none of whose
    years is in low-high passed over before anything else is read of it."""
    tivs = reg.values_at("tiv_delivered", at)
    each: Sequence[object]
    for k, (value, years) in enumerate(
        zip(
            tivs, reg.values_at("delivery_year" if reg.exact else "delivery_years", at), strict=True
        )
    ):
        if reg.exact:
            if not isinstance(years, int) or not low <= years <= high:
                continue
            each = (years,)
        elif isinstance(years, list):  # a record an order, its TIV spread over its years
            for year in years:
                if isinstance(year, int) and low <= year <= high:
                    break
            else:
                continue
            each = years
        else:
            continue
        if not isinstance(value, int | float) or isinstance(value, bool) or not value:
            continue
        yield k, float(value) / len(each), each


def partners(reg: Register, who: str, first: int, last: int) -> dict[str, dict[str, float]] | None:
    """For every recipient (who = recipient; or supplier), the TIV its partners delivered
    to it (or received from it) in the years first-last: what `totals_at` gives for its
    records by the other field, each sum's additions in the same order, found for all of
    them in one pass over the register, once a command. None where a recipient or a
    supplier is not text (an empty one, say), whose records `where` finds by its text:
    those go record by record."""
    key = (first, last)
    if key not in reg.pairs:
        if not reg.parties_named:
            return None
        every = range(len(reg.dataset.records))
        to, by = reg.values_at("recipient", every), reg.values_at("supplier", every)
        sums: dict[tuple[str, str], float] = {}
        for k, part, years in deliveries(reg, every, first, last):
            pair = (str(to[k]), str(by[k]))
            for year in years:
                if isinstance(year, int) and first <= year <= last:
                    sums[pair] = sums.get(pair, 0.0) + part
        _keep_pairs(reg, key, sums)
    return reg.pairs[key][who]


SET_SPAN = 500  # years: the most `exporters` passes over as a set


def exporters(
    reg: Register, first: int, last: int, spans: Sequence[tuple[int, int]]
) -> list[Totals]:
    """What `totals_in` gives for every record by supplier over `spans`, and what
    `partners` gives for the years first-last (kept for both sides), in one pass over the
    register where `partners` would make one of its own: the fact sheet's exporters and
    the partners of both its tables. Each sum's additions, and each dict's order, are
    those of the two passes. Where `partners` has its pass already, or would go record by
    record (a party not text), `totals_in` as it is. Kept, once a command."""
    key, kept = (first, last), tuple(spans)
    if kept in reg.supplied:
        return reg.supplied[kept]
    every = range(len(reg.dataset.records))
    if key in reg.pairs or not spans or not reg.parties_named:
        reg.supplied[kept] = totals_in(reg, every, "supplier", spans)
        return reg.supplied[kept]
    to = cast("Sequence[str]", reg.values_at("recipient", every))
    by = cast("Sequence[str]", reg.values_at("supplier", every))
    low = min(first, *(f for f, _ in spans))
    high = max(last, *(last_ for _, last_ in spans))
    found: list[Totals] = [({}, {}) for _ in spans]
    ranges = [(start, end, totals) for (start, end), (totals, _) in zip(spans, found, strict=True)]
    sums: dict[tuple[str, str], float] = {}
    tivs = reg.values_at("tiv_delivered", every)
    exact = reg.exact
    # The years low-high, to pass over in C a legacy record none of whose years is one:
    # an int among them equals one of these, so a record disjoint from them has none (one
    # that is not, a float equal to a year, say, the loop below decides). Not for a span
    # of years no register holds.
    within = frozenset(range(low, high + 1)) if not exact and high - low < SET_SPAN else None
    # _delivered's records and parts, its loop inlined (28,000 records of SIPRI's register
    # each a generator's step otherwise): a record with no year in low-high adds nothing
    # below, so it needs no test of its own
    when = reg.values_at("delivery_year" if exact else "delivery_years", every)
    for recipient, supplier, value, years in zip(to, by, tivs, when, strict=True):
        if exact:
            if not isinstance(years, int) or not low <= years <= high:
                continue
            each: Sequence[object] = (years,)
        elif isinstance(years, list) and years:
            if within is not None:
                try:
                    if within.isdisjoint(years):
                        continue
                except TypeError:  # an item that cannot be hashed: the loop below decides
                    pass
            each = years
        else:
            continue
        if not isinstance(value, int | float) or isinstance(value, bool) or not value:
            continue
        part = float(value) / len(each)
        for year in each:
            if isinstance(year, int) and low <= year <= high:
                for start, end, totals in ranges:
                    if start <= year <= end:
                        totals[supplier] = totals.get(supplier, 0.0) + part
                if first <= year <= last:
                    pair = (recipient, supplier)
                    sums[pair] = sums.get(pair, 0.0) + part
    for totals, counted in found:
        counted.update((party, {party}) for party in totals)
    _keep_pairs(reg, key, sums)
    reg.supplied[kept] = found
    return found


def _keep_pairs(reg: Register, key: tuple[int, int], sums: dict[tuple[str, str], float]) -> None:
    """Each recipient's and each supplier's partners, from the sums of every pair, in the
    order their first delivery came, as totals_at adds them."""
    of_recipient: dict[str, dict[str, float]] = {}
    of_supplier: dict[str, dict[str, float]] = {}
    for (recipient, supplier), tiv in sums.items():
        of_recipient.setdefault(recipient, {})[supplier] = tiv
        of_supplier.setdefault(supplier, {})[recipient] = tiv
    reg.pairs[key] = {"recipient": of_recipient, "supplier": of_supplier}


# What every row of a figure computed from a register carries, so that each format says
# how it was computed and where the data come from.
PROVENANCE = (
    Field("period", TEXT, "Period", "The years asked for."),
    Field("method", TEXT, "Method", "exact (per-year export) or estimate (legacy register)."),
    Field("partial", BOOLEAN, "Partial", "true when the data cover only part of the period."),
    Field("covered", TEXT, "Covered", "The years the figures are computed over."),
    Field("credit", TEXT, "Credit", "Where the data come from; the figures are geobal's."),
)


def credit_of(ds: Dataset) -> str | None:
    """The credit line a dataset's data must carry: SIPRI's for one imported from its
    exports or its military expenditure workbook, whose descriptions transfer/written.py
    writes with that line; else None."""
    from geobal.shapes import MILEX_CREDIT

    for credit in (CREDIT, MILEX_CREDIT):
        if credit in ds.description:
            return credit
    return None


def provenance(reg: Register, period: Period) -> Record:
    return {
        "period": period.label,
        "method": reg.method,
        "partial": period.partial,
        "covered": Period(*period.years).label,
        "credit": CREDIT,
    }


def caption(
    reg: Register | None,
    period: Period | None = None,
    successors: Mapping[str, str] | None = None,
    extra: str = "",
    chart: bool = False,
) -> str:
    """The line under a table: how the figures were computed (the method, unless `reg`
    is None), what they leave out or join, and SIPRI's credit; under a `chart`, the
    method in plain words, without the commands that get exact figures."""
    parts = [(reg.plain if chart else reg.how)] if reg is not None else []
    if period is not None and period.partial:
        parts.append(period.note)
    if successors:
        parts.append(
            "states that no longer exist counted as their successors: "
            + ", ".join(f"{old} as {new}" for old, new in successors.items() if "(" not in old)
        )
    if extra:
        parts.append(extra)
    return "; ".join(parts) + f". {CREDITED}"


def source_line(reg: Register, publishers: str) -> str:
    """Where a chart's figures come from: the export, who published it (as people name
    them, not by the ids of its sources nor by geobal's name of the dataset). The method
    the chart's caption says, once."""
    return f"Data: {reg.dataset.title}, published by {publishers}"


def versions(sides: Sequence[tuple[str, str | None]]) -> str | None:
    """What a reader must be told where figures set SIPRI files beside each other, each
    side named with its export's "data generated" date (None where it has none): nothing
    where the dates agree; that SIPRI may have revised its database between exports
    generated on different dates; that it cannot be told for an undated one."""
    if len(sides) < 2:
        return None
    undated = [what for what, date in sides if date is None]
    if undated:
        named = _and([what for what, _ in sides])
        whose = _and(undated)
        return (
            f"whether {named} come from the same version of SIPRI's database cannot be told: "
            f"{whose} {'has' if len(undated) == 1 else 'have'} no 'data generated' date"
        )
    if len({date for _, date in sides}) == 1:
        return None
    named = _and([f"{what} (data generated {date})" for what, date in sides])
    return (
        f"{named} were exported from SIPRI's database on different dates, so may be "
        "different versions of it: a difference may be SIPRI's revision, not an error"
    )


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
