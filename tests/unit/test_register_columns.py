"""A register's figures read from its columns (issue 24) give exactly what the record
by record path gives: analysis.register.totals_at and totals_in against flows and
totals_of, partners (every pair in one pass) against totals_at for each country, and
model.Columns.values_at against the whole column; the sums compared with ==, to the
last bit. Where partners cannot key every record by its text (a recipient left empty),
it says so and the fact sheet goes record by record. The fact sheet's exporters and
both tables' partners from one pass (exporters) against totals_in and partners, and
totals_in where a party is not text. The decimal places of a figure
read from repr where it is plain, through Decimal where it is in exponent form."""

import random
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple, cast
from unittest.mock import patch

import pytest

from geobal.analysis import clean, country, number, shares
from geobal.analysis import factsheet as sheet
from geobal.analysis.parties import SUCCESSORS, successor
from geobal.analysis.register import (
    FLOWS,
    READS,
    Register,
    exporters,
    partners,
    register,
    totals_at,
    totals_in,
    where,
)
from geobal.fieldtypes import INTEGER, LIST, NUMBER, TEXT
from geobal.model import Columns, Dataset, Field, Record, Value
from geobal.periods import Period
from geobal.schema import cited

# The record-by-record path the column paths replaced, kept as their reference.


class Flow(NamedTuple):
    """TIV delivered to or from one party in one year."""

    party: str  # as counted, a successor for a state that is gone
    name: str  # as the register names it
    year: int
    tiv: float


def flows(
    reg: Register, records: Iterable[Record], by: str, successors: Mapping[str, str] | None
) -> list[Flow]:
    """Each record's deliveries year by year, by value of `by` (supplier, recipient,
    category): the TIV of each year as the per-year export gives it, or the legacy
    register's TIV spread evenly over its delivery years."""
    found: list[Flow] = []
    for r in records:
        tiv, name = number(r.get("tiv_delivered")), r.get(by)
        if not tiv or name is None:
            continue
        party = successor(str(name), successors)
        if reg.exact:
            if isinstance(year := r.get("delivery_year"), int):
                found.append(Flow(party, str(name), year, tiv))
            continue
        years = r.get("delivery_years")
        if isinstance(years, list) and years:
            part = tiv / len(years)
            found += [Flow(party, str(name), y, part) for y in years if isinstance(y, int)]
    return found


def totals_of(
    found: Iterable[Flow], first: int, last: int
) -> tuple[dict[str, float], dict[str, set[str]]]:
    """The TIV of the flows in the years first-last by party, and the names each total
    counts (several, where successors join them)."""
    totals: dict[str, float] = {}
    names: dict[str, set[str]] = {}
    for flow in found:
        if first <= flow.year <= last:
            totals[flow.party] = totals.get(flow.party, 0.0) + flow.tiv
            names.setdefault(flow.party, set()).add(flow.name)
    return totals, names


def delivered(
    reg: Register,
    records: Iterable[Record],
    first: int,
    last: int,
    by: str,
    successors: Mapping[str, str] | None = None,
) -> tuple[dict[str, float], dict[str, set[str]]]:
    """The TIV delivered in the years first-last, by value of `by`, and the names each
    total counts."""
    return totals_of(flows(reg, records, by, successors), first, last)


LEGACY_FIELDS = (
    Field("id", TEXT, "Id"),
    Field("recipient", TEXT, "Recipient"),
    Field("supplier", TEXT, "Supplier"),
    Field("delivery_years", LIST, "Delivery years", items=INTEGER),
    Field("tiv_delivered", NUMBER, "TIV delivered"),
)
PER_YEAR_FIELDS = (
    Field("id", TEXT, "Id"),
    Field("recipient", TEXT, "Recipient"),
    Field("supplier", TEXT, "Supplier"),
    Field("delivery_year", INTEGER, "Delivery year"),
    Field("tiv_delivered", NUMBER, "TIV delivered"),
)
PARTIES = ("India", "Pakistan", "China", "Soviet Union", "Russia", "France", "Qatar")
SPANS = [(2019, 2021), (1990, 2020), (2022, 2022), (1950, 2030)]


def _legacy(seed: int, count: int = 400) -> list[Record]:
    """Records with every kind of value the loop must treat as flows does: TIVs of
    many digits (so an addition out of order would show), none, 0, a bool, years
    empty or with text among them, a party missing."""
    rng = random.Random(seed)
    records: list[Record] = []
    for i in range(count):
        years = sorted(rng.sample(range(1988, 2025), rng.randint(1, 6)))
        record: Record = {
            "id": f"r{i}",
            "recipient": rng.choice(PARTIES),
            "supplier": rng.choice(PARTIES),
            "delivery_years": years,
            "tiv_delivered": rng.choice([rng.uniform(0, 900), rng.randint(1, 400)]),
        }
        odd = i % 13
        if odd == 1:
            record["tiv_delivered"] = 0
        elif odd == 2:
            del record["tiv_delivered"]
        elif odd == 3:
            record["tiv_delivered"] = True
        elif odd == 4:
            record["delivery_years"] = []
        elif odd == 5:
            # text among the years, as no typed file holds but the loop must pass over
            record["delivery_years"] = cast(Value, [*years, "2021?"])
        elif odd == 6:
            del record["supplier"]
        elif odd == 7:
            del record["delivery_years"]
        records.append(record)
    return records


def _per_year(seed: int, count: int = 400) -> list[Record]:
    records: list[Record] = []
    for r in _legacy(seed, count):
        one = {k: v for k, v in r.items() if k != "delivery_years"}
        years = r.get("delivery_years")
        if isinstance(years, list) and years:
            one["delivery_year"] = years[0]
        records.append(one)
    return records


def _register(records: list[Record], exact: bool, chunked: bool) -> Register:
    fields = PER_YEAR_FIELDS if exact else LEGACY_FIELDS
    held: list[Record] | Columns = records
    if chunked:  # as the parse cache holds them, in chunks (of 7): values_at's own path
        with patch.object(Columns, "CHUNK", 7):
            held = Columns(*Columns.pack(records, [f.name for f in fields]))
    ds = Dataset("transfers", "Test register", "", "id", fields, held, Path("transfers.toml"))
    return register(ds)


@pytest.mark.parametrize("exact", [False, True])
@pytest.mark.parametrize("chunked", [False, True])
@pytest.mark.parametrize("successors", [None, SUCCESSORS])
def test_totals_from_the_columns_are_the_record_paths_to_the_last_bit(
    exact: bool, chunked: bool, successors: dict[str, str] | None
) -> None:
    records = (_per_year if exact else _legacy)(seed=24)
    reg = _register(records, exact, chunked)
    every = list(range(len(records)))
    picks = [
        range(len(records)),  # every record: the whole columns
        every[::5],  # a few, from many chunks
        [i for i in every if records[i].get("recipient") == "India"],
        every[::-3],  # out of order: summed in the order given
    ]
    for at in picks:
        for by in ("supplier", "recipient"):
            kept = reg.records_at(at, FLOWS)
            each = totals_in(reg, at, by, SPANS, successors)
            for (first, last), found in zip(SPANS, each, strict=True):
                expected = delivered(reg, kept, first, last, by, successors)
                assert totals_at(reg, at, by, first, last, successors) == expected
                assert found == expected
                # the same additions in the same order: the same dict order, too
                assert list(found[0]) == list(expected[0])


@pytest.mark.parametrize("exact", [False, True])
def test_partners_of_every_country_in_one_pass_are_each_ones_totals(exact: bool) -> None:
    records = (_per_year if exact else _legacy)(seed=7)
    for r in records:  # partners keys by text: every party named
        r.setdefault("supplier", "unknown supplier(s)")
    reg = _register(records, exact, chunked=True)
    for who, partner in (("recipient", "supplier"), ("supplier", "recipient")):
        for first, last in SPANS:
            every = partners(reg, who, first, last)
            assert every is not None
            for name in reg.distinct(who):
                expected, _ = totals_at(reg, where(reg, who, str(name)), partner, first, last)
                found = every.get(str(name), {})
                assert list(found.items()) == list(expected.items())


@pytest.mark.parametrize("exact", [False, True])
@pytest.mark.parametrize("chunked", [False, True])
def test_exporters_and_partners_in_one_pass_are_the_two_passes_to_the_last_bit(
    exact: bool, chunked: bool
) -> None:
    records = (_per_year if exact else _legacy)(seed=11)
    for r in records:  # every party named: the one pass keys by text
        r.setdefault("supplier", "unknown supplier(s)")
    if not exact:  # years the set of years passes over not, as no typed file holds
        records[21]["delivery_years"] = cast(Value, [2019.0, 2020])  # a float equal to one
        records[47]["delivery_years"] = cast(Value, [[2019], 2020])  # an item not hashable
        records[60]["delivery_years"] = cast(Value, [True, 2021])  # a bool among them
    for first, last in SPANS:
        for spans in ([(first, last), (first - 3, first - 1)], SPANS, [(2030, 2031)]):
            one = _register(records, exact, chunked)
            found = exporters(one, first, last, spans)
            assert one.pairs  # the partners' pass made, and kept
            two = _register(records, exact, chunked)
            expected = totals_in(two, range(len(records)), "supplier", spans)
            assert found == expected
            assert [list(t) for t, _ in found] == [list(t) for t, _ in expected]
            for who in ("recipient", "supplier"):
                kept, made = partners(one, who, first, last), partners(two, who, first, last)
                assert kept is not None and made is not None
                assert list(kept) == list(made)
                assert all(list(kept[n].items()) == list(made[n].items()) for n in made)
            assert exporters(one, first, last, spans) is found  # kept, once a command


def test_exporters_where_a_supplier_is_not_text_sum_record_by_record() -> None:
    records = _legacy(seed=5)  # some records have no supplier: no pair to key them by
    reg = _register(records, exact=False, chunked=True)
    found = exporters(reg, 2019, 2021, SPANS)
    assert not reg.pairs  # no one pass: partners goes record by record
    assert found == totals_in(reg, range(len(records)), "supplier", SPANS)
    assert partners(reg, "supplier", 2019, 2021) is None


def test_decimals_read_once_a_value_are_each_values_own() -> None:
    values: list[object] = [1.0, 1, 2.25, 2.25, True, 0.125, None, "3.14159", float("nan")]
    assert sheet.decimals(values) == 3
    assert sheet.decimals([1, 1.0, 2]) == 0
    # a value that cannot be hashed: each read as it comes
    assert sheet.decimals([[1.5], 2.5, 7.75]) == 2


def test_the_fact_sheet_with_its_one_pass_is_each_table_on_its_own() -> None:
    records = _legacy(seed=9)
    for r in records:
        r.setdefault("supplier", "unknown supplier(s)")
    period = Period(2019, 2021)
    both = sheet.tables(None, _register(records, False, True), [sheet.EXPORTERS], period, 5)
    alone = sheet.factsheet(None, _register(records, False, True), sheet.EXPORTERS, period, 5)
    assert both == [alone]


def test_a_recipient_left_empty_sends_the_fact_sheet_record_by_record() -> None:
    records = _legacy(seed=3)
    for r in records:
        r.setdefault("supplier", "unknown supplier(s)")
    records[10].pop("recipient")  # a record with no recipient: not text
    reg = _register(records, exact=False, chunked=False)
    assert partners(reg, "recipient", 2019, 2021) is None
    period = Period(2019, 2021)
    found, why = sheet._partners(reg, sheet.IMPORTERS, ["India"], period)
    totals, _ = totals_at(reg, where(reg, "recipient", "India"), "supplier", 2019, 2021)
    whole = sum(totals.values())
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[: sheet.PARTNERS]
    assert (found, why) == ([(p, 100 * tiv / whole) for p, tiv in ranked], "")
    # and the same partners as the one pass gives where every recipient is named
    records[10]["recipient"] = "India"
    named = _register(records, exact=False, chunked=False)
    assert partners(named, "recipient", 2019, 2021) is not None
    assert sheet._partners(named, sheet.IMPORTERS, ["Qatar"], period) == sheet._partners(
        reg, sheet.IMPORTERS, ["Qatar"], period
    )


def test_values_at_unpacks_only_the_chunks_it_needs_and_reads_as_the_column_does() -> None:
    records = _legacy(seed=5, count=50)
    reg = _register(records, exact=False, chunked=True)
    held = reg.dataset.records
    assert isinstance(held, Columns)
    few = [3, 4, 40]
    assert held.values_at("supplier", few) == [records[i].get("supplier") for i in few]
    # chunks 0 and 5 (positions 3, 4 and 40) unpacked, nothing else, no whole column
    assert sorted(held._parts) == [("supplier", 0), ("supplier", 5)]
    assert "supplier" not in held._unpacked
    many = list(range(49, -1, -2))  # many positions, out of order: the whole column
    assert held.values_at("supplier", many) == [records[i].get("supplier") for i in many]
    assert "supplier" in held._unpacked and not held._parts  # its chunks joined it
    assert held.values_at("tiv_delivered", [49]) == [records[49].get("tiv_delivered")]
    with pytest.raises(IndexError):
        held.values_at("recipient", [50])


def _places_by_decimal(value: float) -> int:
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def test_places_read_from_repr_are_decimals() -> None:
    rng = random.Random(1)
    values = [0.0, -0.0, 0.1, 12.5, 120.0, 1e15, 123456789.125, -0.25, 0.3 + 0.6]
    values += [round(rng.uniform(0, 1000), rng.randint(0, 6)) for _ in range(2000)]
    for v in values:
        assert "e" not in repr(v)  # the plain form: read from repr
        assert sheet.places(v) == _places_by_decimal(v), v
    # the exponent form repr gives very small and very large figures: through Decimal
    for v in (1e-07, 2.5e-05, 5e-324, 1e16, 1.5e22):
        assert "e" in repr(v)
        assert sheet.places(v) == _places_by_decimal(v), v
    assert sheet.places(1e-07) == 7
    assert sheet.decimals([1e-07, 12.5, 3, None, float("nan"), "1.234"]) == 7


def test_parties_tied_on_a_period_they_had_no_deliveries_in_are_in_name_order() -> None:
    records: list[Record] = [
        {"id": "a", "recipient": "India", "supplier": "Russia", "delivery_years": [2015]},
        {"id": "b", "recipient": "India", "supplier": "Russia", "delivery_years": [2020]},
    ]
    for name in ("Zambia", "Brazil", "Poland", "Mexico", "Chile", "Kenya"):
        records.append(
            {"id": name, "recipient": "India", "supplier": name, "delivery_years": [2021]}
        )
    for r in records:
        r["tiv_delivered"] = 10
    reg = _register(records, exact=False, chunked=False)
    periods = [Period(2014, 2018), Period(2019, 2023)]
    frame = shares.compare(reg, "recipient", "India", "supplier", periods)
    # each of the six has 10 of 70 in 2019-23 and none in 2014-18: a tie, in name order
    assert [r["supplier"] for r in frame.rows] == [
        "Russia",
        "Brazil",
        "Chile",
        "Kenya",
        "Mexico",
        "Poland",
        "Zambia",
    ]


def test_the_sources_cited_joined_fast_are_the_ones_read_record_by_record() -> None:
    records = _legacy(seed=11, count=60)
    for i, r in enumerate(records):
        if i % 4:
            r["sources"] = [f"src-{i % 3}", "sipri-register"] if i % 5 else []
    fields = (*LEGACY_FIELDS, Field("sources", LIST, "Sources"))
    ds = Dataset("transfers", "Test register", "", "id", fields, records, Path("t.toml"))
    assert register(ds).sources == ["sipri-register", "src-0", "src-1", "src-2"]
    # a value that is no list (no valid file has one): passed over, as record by record
    records[0]["sources"] = "src-9"
    assert register(ds).sources == ["sipri-register", "src-0", "src-1", "src-2"]


def _old_balance_inputs(
    reg: Register, records: list[Record], periods: list[Period], successors: dict[str, str] | None
) -> tuple[list[Record], list[str]]:
    """balance_inputs as it read records (before issue 24's column paths): the oracle."""
    found = flows(reg, records, "supplier", successors)
    sources = sorted({s for r in records for s in cited(r)})
    rows: list[Record] = []
    for period in periods:
        totals, _ = totals_of(found, *period.years)
        whole = sum(totals.values())
        rows += [
            {"period": period.label, "supplier": n, "share": 100 * t / whole, "sources": sources}
            for n, t in totals.items()
            if whole
        ]
    totals, _ = delivered(
        reg, records, periods[0].years[0], periods[-1].years[1], "supplier", successors
    )
    return rows, sorted(totals, key=lambda n: -totals[n])


@pytest.mark.parametrize("exact", [False, True])
@pytest.mark.parametrize("successors", [None, SUCCESSORS])
def test_balance_inputs_from_the_columns_are_the_record_paths_to_the_last_bit(
    exact: bool, successors: dict[str, str] | None
) -> None:
    records = (_per_year if exact else _legacy)(seed=31)
    for i, r in enumerate(records):  # sources of every shape a register may hold
        r["sources"] = cast(Value, [f"s{i % 4}", i % 3]) if i % 5 else cast(Value, "s9")
    fields = (*(PER_YEAR_FIELDS if exact else LEGACY_FIELDS), Field("sources", LIST, "Sources"))
    with patch.object(Columns, "CHUNK", 7):
        held = Columns(*Columns.pack(records, [f.name for f in fields]))
    reg = register(Dataset("transfers", "T", "", "id", fields, held, Path("t.toml")))
    # and a register that declares no sources: none read, as records_at reads none
    bare = _register(records, exact, chunked=True)
    periods = [Period(2009, 2013), Period(2014, 2018), Period(2019, 2023)]
    at = where(bare, "recipient", "India")
    assert (
        shares.balance_inputs(bare, at, periods)[0]
        == (_old_balance_inputs(bare, bare.records_at(at), periods, None)[0])
    )
    for name in ("India", "Russia", "Qatar"):
        at = where(reg, "recipient", name, successors)
        rows, _, supplier = shares.balance_inputs(reg, at, periods, successors)
        expected, ranked = _old_balance_inputs(reg, reg.records_at(at), periods, successors)
        assert rows == expected
        assert [list(r) for r in rows] == [list(r) for r in expected]
        assert [c.value for c in supplier.choices] == ranked


def _old_deliveries(
    reg: Register, records: list[Record], now: Period, s: dict[str, str] | None
) -> dict[tuple[str, str, object, object], float]:
    """The brief's largest deliveries as it read records (before issue 24): the oracle."""
    deals: dict[tuple[str, str, object, object], float] = {}
    for r in records:
        what = str(r.get("designation") or r.get("description") or "unnamed")
        for f in flows(reg, [r], "supplier", s):
            if now.first <= f.year <= now.last:
                k = (f.party, what, r.get("order_year"), r.get("deal"))
                deals[k] = deals.get(k, 0.0) + f.tiv
    return deals


@pytest.mark.parametrize("exact", [False, True])
@pytest.mark.parametrize("successors", [None, SUCCESSORS])
def test_the_briefs_largest_deliveries_from_the_columns_are_the_record_paths(
    exact: bool, successors: dict[str, str] | None
) -> None:
    records = (_per_year if exact else _legacy)(seed=41)
    for i, r in enumerate(records):  # a weapon named, described, or neither; deals and orders
        if i % 3:
            r["designation"] = f"W{i % 5}"
        if i % 4:
            r["description"] = f"d{i % 2}"
        if i % 2:
            r["order_year"] = 2000 + i % 7
    fields = (
        *(PER_YEAR_FIELDS if exact else LEGACY_FIELDS),
        Field("designation", TEXT, "Designation"),
        Field("description", TEXT, "Description"),
        Field("order_year", INTEGER, "Order year"),
    )
    with patch.object(Columns, "CHUNK", 7):
        held = Columns(*Columns.pack(records, [f.name for f in fields]))
    reg = register(Dataset("transfers", "T", "", "id", fields, held, Path("t.toml")))
    now = Period(1995, 2010)  # where the per-year records' years (their orders' first) fall
    lines: list[tuple[str, str]] = []

    def add(heading: str, text: str) -> None:
        lines.append((heading, text))

    shown = 0
    for name in ("India", "Soviet Union", "Pakistan"):
        at = where(reg, "recipient", name, successors)
        lines.clear()
        country._deliveries(add, reg, at, now, successors)
        expected = _old_deliveries(reg, reg.records_at(at, READS), now, successors)
        largest = sorted(expected.items(), key=lambda kv: (-kv[1], kv[0][1]))[: country.TOP]
        parts = [
            f"{what} from {who}"
            + (f" (ordered {year})" if year is not None else "")
            + f": {clean(round(tiv, 1)):,}"
            for (who, what, year, _), tiv in largest
        ]
        assert lines == (
            [(f"Largest deliveries, {now.label} (TIV million)", "; ".join(parts) + ".")]
            if parts
            else []
        )
        shown += len(parts)
    assert shown >= 5  # the test holds deliveries to compare


def test_where_kept_once_a_command_is_a_copy_each_time() -> None:
    reg = _register(_legacy(seed=2), exact=False, chunked=True)
    first = where(reg, "recipient", "India")
    first.clear()  # a caller's list is its own
    assert where(reg, "recipient", "India") == [
        i for i, v in enumerate(reg.column("recipient")) if v == "India"
    ]
    assert where(reg, "recipient", "Russia", SUCCESSORS) != where(reg, "recipient", "Russia")


def test_a_name_given_under_two_spellings_is_refused_in_one_order() -> None:
    """A register's names reach the matcher in a set's order, which changes from run to
    run: the names a refusal lists come sorted, so its message does not."""
    from geobal.analysis.parties import resolve
    from geobal.errors import UsageError

    said = set()
    for present in (["Grenada", "grenada"], ["grenada", "Grenada"]):
        with pytest.raises(UsageError) as refused:
            resolve("recipient", "Grenada", present)
        said.add(refused.value.message)
    assert said == {"'Grenada' names more than one recipient: Grenada and grenada"}
