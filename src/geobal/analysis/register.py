"""Figures computed from an imported SIPRI trade register: each party's delivered TIV
over a period, shares of a recipient's imports (or a supplier's exports), shares period
by period, the concentration's inputs, the orders still to be delivered, and a check
against SIPRI's import-volume table.

The per-year export gives the TIV delivered in each year, so its totals are exact. The
legacy register gives each deal's delivered TIV and its delivery years, not what was
delivered in which year: geobal spreads the TIV evenly over the years, an estimate.
Every output says which (`method`), and which years the data cover: a period reaching
beyond them is refused, or with `partial` computed over the years covered and marked.

Nothing here is SIPRI's own figure: the data are, the arithmetic is geobal's.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from geobal.analysis import Needs, clean, misfit, number
from geobal.analysis.compare import side_by_side
from geobal.analysis.parties import resolve, successor
from geobal.errors import UsageError
from geobal.fieldtypes import BOOLEAN, CHOICE, INTEGER, LEVEL, LIST, NUMBER, TEXT
from geobal.model import Choice, Dataset, Field, Record, Value, column
from geobal.schema import SOURCES, cited
from geobal.views import Frame

CREDIT = "Information from the SIPRI Arms Transfers Database"
EXACT = "exact: the TIV delivered in each year, as the per-year export gives it"
ESTIMATE = (
    "estimate: each record's delivered TIV spread evenly over its delivery years, as "
    "the register does not say how much was delivered in which year"
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
ORDERS: Needs = {
    **LEGACY,
    "ordered": ("integer",),
    "delivered": ("integer",),
    "tiv_total": ("number", "integer"),
}
VOLUMES: Needs = {"recipient": ("text",), "year": ("integer",), "tiv": ("number", "integer")}
IMPORT_REGISTER = "geobal import trade-register.csv --as sipri"
IMPORT_VOLUMES = "geobal import import-export-values_1950-2024.csv --as sipri-tiv"


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


class Register(NamedTuple):
    """A SIPRI trade register as geobal reads it."""

    dataset: Dataset
    exact: bool  # the per-year export: the TIV of each delivery year
    covers: tuple[int, int] | None  # the first and last year its deliveries cover

    def column(self, name: str) -> Sequence[Value | None]:
        """Every record's value of `name`: from the parse cache, without building
        28,000 records to read one field of each."""
        return column(self.dataset.records, name)

    def records_at(self, indices: Iterable[int], reads: Iterable[str] = READS) -> list[Record]:
        """The records at these positions, with the fields in `reads`."""
        names = [f for f in reads if f in self.dataset.field_map]
        columns = [self.column(n) for n in names]
        return [
            {n: v for n, c in zip(names, columns, strict=True) if (v := c[i]) is not None}
            for i in indices
        ]

    @property
    def method(self) -> str:
        return "exact" if self.exact else "estimate"

    @property
    def how(self) -> str:
        """The method, said in full."""
        return EXACT if self.exact else ESTIMATE

    @property
    def sources(self) -> list[str]:
        lists = {tuple(v) for v in self.column(SOURCES) if isinstance(v, list)}
        return sorted({str(s) for ids in lists for s in ids})


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
    found = Register(ds, exact, ds.covers)
    if found.covers is None:  # imported before geobal recorded what an export covers
        years = found.column("delivery_year" if exact else "delivery_years")
        found = found._replace(covers=_years(years))
    return found


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


class Span(NamedTuple):
    """The years asked for, and those the figures are computed over."""

    start: int
    end: int
    first: int
    last: int

    @property
    def partial(self) -> bool:
        return (self.first, self.last) != (self.start, self.end)

    @property
    def label(self) -> str:
        return f"{self.start}-{self.end}"

    @property
    def note(self) -> str:
        return f"partial: the data cover {self.first}-{self.last} only" if self.partial else ""


def span(covers: tuple[int, int] | None, start: int, end: int, partial: bool, what: str) -> Span:
    """The years start-end, checked against those `what` covers: a period reaching
    beyond them is refused, or with `partial` cut to the years covered."""
    if start > end:
        raise UsageError(f"--from {start} is after --to {end}")
    if covers is None:
        raise UsageError(f"{what} has no deliveries at all", f"import one with: {IMPORT_REGISTER}")
    first, last = max(start, covers[0]), min(end, covers[1])
    if first > last:
        raise UsageError(
            f"{what} has no figures for {start}-{end}: it covers {covers[0]}-{covers[1]}",
            "ask for years it covers, or import an export that covers these",
        )
    if (first, last) != (start, end) and not partial:
        raise UsageError(
            f"{start}-{end} reaches beyond the years {what} covers, {covers[0]}-{covers[1]}",
            f"ask for {first}-{last}, or pass --partial to compute over {first}-{last} and "
            "mark the figures partial",
        )
    return Span(start, end, first, last)


def narrowed(period: Span, table: Dataset, partial: bool) -> Span:
    """`period` cut further to the years the import-volume table covers."""
    years = [y for r in table.records if isinstance(y := r.get("year"), int)]
    covers = table.covers or ((min(years), max(years)) if years else None)
    inner = span(covers, period.first, period.last, partial, f"{table.name!r}")
    return Span(period.start, period.end, inner.first, inner.last)


def named(reg: Register, field: str, text: str) -> str:
    """The name of `field` (recipient, supplier) that `text` names, by SIPRI's name or
    another name of the same country (geobal.analysis.parties)."""
    return resolve(field, text, (str(v) for v in set(reg.column(field)) if v is not None))


def of(
    reg: Register,
    field: str,
    name: str,
    successors: Mapping[str, str] | None = None,
    reads: Iterable[str] = READS,
) -> list[Record]:
    """The records whose `field` is `name`, or with `successors` a state it continues,
    with the fields in `reads`."""
    who = successor(name, successors)
    values = reg.column(field)
    wanted = {v for v in set(values) if successor(str(v), successors) == who}
    return reg.records_at((i for i, v in enumerate(values) if v in wanted), reads)


# what the figures of deliveries read, of a record
FLOWS = ("recipient", "supplier", "category", "delivery_year", "delivery_years", "tiv_delivered")


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


def windows(start: int, end: int, size: int = 5) -> list[tuple[str, int, int]]:
    """SIPRI-style periods: every `size`-year window from start to end, as "2019-23"."""
    return [
        (f"{a}-{(a + size - 1) % 100:02d}", a, a + size - 1) for a in range(start, end - size + 2)
    ]


def steps(start: int, end: int, step: int) -> list[tuple[int, int]]:
    """start-end cut into periods of `step` years, one after another."""
    if step < 1:
        raise UsageError(f"--step must be 1 or more, not {step}")
    if (end - start + 1) % step:
        whole = start + (end - start + 1) // step * step - 1
        raise UsageError(
            f"{start}-{end} is not a whole number of {step}-year periods",
            f"ask for {start}-{whole}, or another --step",
        )
    return [(a, a + step - 1) for a in range(start, end + 1, step)]


def period_shares(
    reg: Register,
    records: list[Record],
    periods: list[tuple[str, int, int]],
    successors: Mapping[str, str] | None = None,
) -> list[Record]:
    """Each supplier's share in each period, as rows of period, supplier, share and the
    sources the figures come from (for concentration.balance)."""
    sources = ", ".join(sorted({s for r in records for s in cited(r)}))
    rows: list[Record] = []
    found = flows(reg, records, "supplier", successors)
    for label, start, end in periods:
        totals, _ = totals_of(found, start, end)
        whole = sum(totals.values())
        rows += [
            {"period": label, "supplier": name, "share": 100 * tiv / whole, "sheet": sources}
            for name, tiv in totals.items()
            if whole
        ]
    return rows


def balance_inputs(
    reg: Register,
    records: list[Record],
    periods: list[tuple[str, int, int]],
    successors: Mapping[str, str] | None = None,
) -> tuple[list[Record], Field, Field]:
    """What concentration.balance reads, from a register: each supplier's share in each
    period, the periods as a field (oldest first), and the suppliers as one (by their
    TIV over all the periods)."""
    rows = period_shares(reg, records, periods, successors)
    totals, _ = delivered(reg, records, periods[0][1], periods[-1][2], "supplier", successors)
    period = periods_field([label for label, _, _ in periods])
    supplier = parties_field(sorted(totals, key=lambda n: -totals[n]), "Supplier")
    return rows, period, supplier


def periods_field(labels: Sequence[str]) -> Field:
    """A level field whose scale is the given periods, oldest first."""
    return Field("period", LEVEL, "Period", choices=tuple(Choice(label, label) for label in labels))


def parties_field(names: Sequence[str], title: str) -> Field:
    """A choice field for free-text names (a register's suppliers), code = name."""
    return Field("supplier", CHOICE, title, choices=tuple(Choice(name, name) for name in names))


# What every row of a figure computed from a register carries, so that each format says
# how it was computed and where the data come from.
PROVENANCE = (
    Field("period", TEXT, "Period", "The years asked for."),
    Field("method", TEXT, "Method", "exact (per-year export) or estimate (legacy register)."),
    Field("partial", BOOLEAN, "Partial", "true when the data cover only part of the period."),
    Field("covered", TEXT, "Covered", "The years the figures are computed over."),
    Field("credit", TEXT, "Credit", "Where the data come from; the figures are geobal's."),
)


def provenance(reg: Register, period: Span) -> Record:
    return {
        "period": period.label,
        "method": reg.method,
        "partial": period.partial,
        "covered": f"{period.first}-{period.last}",
        "credit": CREDIT,
    }


def caption(
    reg: Register | None,
    period: Span | None = None,
    successors: Mapping[str, str] | None = None,
    extra: str = "",
) -> str:
    """The line under a table: how the figures were computed (the method, unless `reg`
    is None), what they leave out or join, and SIPRI's credit."""
    parts = [reg.how] if reg is not None else []
    if period is not None and period.partial:
        parts.append(period.note)
    if successors:
        parts.append(
            "states that no longer exist counted as their successors: "
            + ", ".join(f"{old} as {new}" for old, new in successors.items() if "(" not in old)
        )
    if extra:
        parts.append(extra)
    return "; ".join(parts) + f". {CREDIT}; the figures are geobal's."


def share_columns(who: str, party: str) -> tuple[Field, ...]:
    return (
        Field(who, TEXT, who.capitalize(), f"The {who} whose figures these are."),
        Field(party, TEXT, party.capitalize()),
        Field("share", NUMBER, "Share %", "The share of the total, in per cent."),
        Field("tiv", NUMBER, "TIV (m)", "Delivered TIV, millions."),
        Field("rank", INTEGER, "Rank"),
        Field(
            "published",
            NUMBER,
            "Published %",
            "SIPRI's published share for "
            "the same period, where geobal has it (the bundled suppliers dataset).",
        ),
        Field("sheet", INTEGER, "Release", "The release that published it."),
        Field(
            "difference", NUMBER, "Difference", "geobal's share minus the published one, points."
        ),
        Field("includes", LIST, "Counts", "The names counted as this one (--successors)."),
        *PROVENANCE,
    )


def share_rows(
    totals: Mapping[str, float], key: str, published: Mapping[str, tuple[float, int]] | None = None
) -> list[Record]:
    """Each party's TIV and share of the total, ranked; with `published`, SIPRI's own
    share for the same period (and the release that gave it) beside geobal's."""
    whole = sum(totals.values())
    rows: list[Record] = []
    for rank, (name, tiv) in enumerate(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])), 1):
        share = round(100 * tiv / whole, 2) if whole else 0.0
        row: Record = {key: name, "tiv": round(tiv, 1), "share": clean(share), "rank": rank}
        if published and name in published:
            value, sheet = published[name]
            row.update(
                {
                    "published": clean(value),
                    "sheet": sheet,
                    "difference": clean(round(share - value, 2)),
                }
            )
        rows.append(row)
    return rows


def shares(
    reg: Register,
    who: str,
    name: str,
    party: str,
    period: Span,
    published: Mapping[str, tuple[float, int]] | None = None,
    successors: Mapping[str, str] | None = None,
) -> Frame:
    """Each `party`'s share of `name`'s imports (who = recipient) or exports (who =
    supplier) over the period."""
    records = of(reg, who, name, successors, FLOWS)
    totals, names = delivered(reg, records, period.first, period.last, party, successors)
    rows = share_rows(totals, party, published)
    shown = successor(name, successors)
    for row in rows:
        row[who] = shown
        counted = sorted(names[str(row[party])])
        if counted != [row[party]]:
            row["includes"] = counted
        row.update(provenance(reg, period))
    what = "imports" if who == "recipient" else "exports"
    title = f"{shown}'s arms {what}, {period.label}, by {party}"
    if period.partial:
        title += f" ({period.note})"
    table = [party, "share", "tiv", "rank"]
    if any("published" in r for r in rows):
        table[2:2] = ["published", "difference"]
    if any("includes" in r for r in rows):
        table.append("includes")
    return Frame(
        title,
        share_columns(who, party),
        rows,
        (party, f"{party}s" if party != "category" else "categories"),
        tuple(table),
        caption(reg, period, successors),
    )


def moves(
    reg: Register,
    who: str,
    name: str,
    party: str,
    periods: list[Span],
    successors: Mapping[str, str] | None = None,
) -> Frame:
    """Each `party`'s share period by period: a row a party and period, the parties
    in order of their TIV over all the periods."""
    found = flows(reg, of(reg, who, name, successors, FLOWS), party, successors)
    overall, _ = totals_of(found, periods[0].first, periods[-1].last)
    order = {p: i for i, p in enumerate(sorted(overall, key=lambda p: (-overall[p], p)))}
    rows: list[Record] = []
    for period in periods:
        totals, names = totals_of(found, period.first, period.last)
        whole = sum(totals.values())
        for p in sorted(totals, key=lambda p: order[p]):
            row: Record = {
                who: successor(name, successors),
                party: p,
                "share": clean(round(100 * totals[p] / whole, 2)),
                "tiv": round(totals[p], 1),
                **provenance(reg, period),
            }
            if sorted(names[p]) != [p]:
                row["includes"] = sorted(names[p])
            rows.append(row)
    columns = share_columns(who, party)
    keep = {who, party, "share", "tiv", "includes", *(f.name for f in PROVENANCE)}
    what = "imports" if who == "recipient" else "exports"
    step = periods[0].end - periods[0].start + 1
    title = (
        f"{successor(name, successors)}'s arms {what} by {party}, "
        f"{periods[0].start}-{periods[-1].end} in {step}-year periods"
    )
    partial = next((p for p in periods if p.partial), None)
    return Frame(
        title,
        tuple(f for f in columns if f.name in keep),
        rows,
        ("share", "shares"),
        (party, "period", "share", "tiv"),
        caption(reg, partial, successors),
    )


def source_line(reg: Register, dataset: str) -> str:
    """Where a chart's figures come from: the dataset, its export and the method."""
    ds = reg.dataset
    return f"Data: {ds.title} ({dataset!r}, sources {', '.join(reg.sources)}); {reg.method}"


def compare(
    reg: Register,
    who: str,
    name: str,
    party: str,
    periods: Sequence[Span],
    successors: Mapping[str, str] | None = None,
    source: str = "",
) -> Frame:
    """Each `party`'s share of `name`'s imports (or exports) in each period, side by
    side, with the change in points from the period before the latest; a party with no
    deliveries in a period has a share of 0 there, as every delivery is counted."""
    found = flows(reg, of(reg, who, name, successors, FLOWS), party, successors)
    figures: dict[str, dict[str, Record]] = {}
    for period in periods:
        totals, _ = totals_of(found, period.first, period.last)
        figures[period.label] = {str(row[party]): row for row in share_rows(totals, party)}
    # every delivery is counted, so a party with none in a period had none: 0, not unknown
    everyone = {p for found_in in figures.values() for p in found_in}
    for found_in in figures.values():
        for p in everyone - set(found_in):
            found_in[p] = {party: p, "share": 0, "tiv": 0}
    shown = successor(name, successors)
    what = "imports" if who == "recipient" else "exports"
    labels = [p.label for p in periods]
    partial = [p for p in periods if p.partial]
    extra = "; ".join(f"{p.label} {p.note}" for p in partial)
    return side_by_side(
        Field(party, TEXT, party.capitalize()),
        labels,
        figures,
        title=f"{shown}'s arms {what} by {party}, {' against '.join(labels)}",
        caption=caption(reg, None, successors, extra),
        carry={
            who: shown,
            "method": reg.method,
            "partial": ", ".join(p.label for p in partial),
            "credit": CREDIT,
        },
        notes=(source,) if source else (),
    )


def check(
    reg: Register, name: str, table: Dataset, period: Span, successors: Mapping[str, str] | None
) -> Frame:
    """The register's yearly imports of recipient `name` beside SIPRI's import-volume
    table, and their totals over the period: only years both cover."""
    records = of(reg, "recipient", name, successors, FLOWS)
    yearly = per_year(reg, records, period.first, period.last)
    published: dict[int, float] = {}
    for r in volumes(table).records:
        year, tiv = r.get("year"), number(r.get("tiv"))
        if r.get("recipient") == name and isinstance(year, int) and tiv is not None:
            published[year] = published.get(year, 0.0) + tiv
    method = "exact" if reg.exact else "est."
    rows: list[Record] = []
    for year, figure in [*yearly.items(), (None, sum(yearly.values()))]:
        # within the years the table covers, an empty field is "no deliveries identified"
        actual = (
            published.get(year, 0.0)
            if year is not None
            else sum(published.get(y, 0.0) for y in yearly)
        )
        row: Record = {
            "recipient": name,
            "year": str(year) if year is not None else f"{period.first}-{period.last}",
            "register": round(figure, 1),
            "table": clean(round(actual, 1)),
            **provenance(reg, period),
        }
        if actual:
            row["difference"] = round(100 * (figure - actual) / actual, 1)
        rows.append(row)
    columns = (
        Field("recipient", TEXT, "Recipient"),
        Field("year", TEXT, "Year"),
        Field(
            "register", NUMBER, f"Register ({method})", "Delivered TIV from the register, millions."
        ),
        Field("table", NUMBER, "Volume table", "SIPRI's import-volume table, millions."),
        Field(
            "difference", NUMBER, "Difference %", "Register minus table, as a share of the table."
        ),
        *PROVENANCE,
    )
    title = f"{name}: the register against the import-volume table, {period.label}"
    if period.partial:
        title += f" ({period.note})"
    return Frame(
        title,
        columns,
        rows,
        ("year", "years"),
        ("year", "register", "table", "difference"),
        caption(reg, period, successors),
    )


def pipeline(
    reg: Register,
    name: str,
    recent: int | None,
    orders: bool,
    successors: Mapping[str, str] | None = None,
) -> Frame:
    """The orders `name` placed that the register shows not fully delivered: the number
    ordered minus the number delivered, and the TIV of the order minus the TIV
    delivered. With `recent`, only orders with a delivery, or placed, in that year or
    later (an old shortfall is more likely a cut than a delivery to come). By supplier,
    or with `orders` each order."""
    if reg.exact or misfit(reg.dataset, ORDERS) is not None:
        raise UsageError(
            "pipeline needs the legacy register, which gives the number ordered; the "
            "per-year export gives only what was delivered each year",
            f"import the legacy register: {IMPORT_REGISTER}",
        )
    open_orders: list[Record] = []
    for r in of(reg, "recipient", name, successors):
        ordered, got = r.get("ordered"), r.get("delivered") or 0
        if not isinstance(ordered, int) or not isinstance(got, int) or ordered <= got:
            continue
        listed = r.get("delivery_years")
        years = [y for y in listed if isinstance(y, int)] if isinstance(listed, list) else []
        latest = max(years, default=r.get("order_year"))
        if recent is not None and not (isinstance(latest, int) and latest >= recent):
            continue
        row: Record = {
            "supplier": successor(str(r["supplier"]), successors),
            "designation": str(r.get("designation") or ""),
            "description": str(r.get("description") or ""),
            "outstanding": ordered - got,
            "ordered": ordered,
            "delivered": got,
        }
        for key in ("order_year", "tiv_total", "tiv_delivered"):
            if isinstance(value := r.get(key), int | float) and not isinstance(value, bool):
                row[key] = value
        if isinstance(latest, int):
            row["latest"] = latest
        total, sent = number(r.get("tiv_total")), number(r.get("tiv_delivered")) or 0.0
        if total:  # SIPRI leaves it empty, or 0, where the order's size or unit value is not known
            row["tiv_outstanding"] = clean(round(total - sent, 1))
        if (uncertain := r.get("uncertain")) is not None:
            row["uncertain"] = uncertain
        open_orders.append(row)
    who = successor(name, successors)
    since = f", with a delivery or the order in {recent} or later" if recent else ""
    note = caption(None, None, successors, f"orders not fully delivered{since}")
    if orders:
        open_orders.sort(
            key=lambda r: (-(number(r.get("tiv_outstanding")) or 0), str(r["supplier"]))
        )
        for row in open_orders:
            row["recipient"] = who
            row["credit"] = CREDIT
        return Frame(
            f"{who}'s arms orders still to be delivered",
            ORDER_COLUMNS,
            open_orders,
            ("order", "orders"),
            ("supplier", "designation", "order_year", "outstanding", "tiv_outstanding", "latest"),
            note,
        )
    totals: dict[str, dict[str, float]] = {}
    for row in open_orders:
        due = totals.setdefault(
            str(row["supplier"]), {"orders": 0, "units": 0, "unknown": 0, "tiv": 0, "priced": 0}
        )
        due["orders"] += 1
        due["units"] += number(row["outstanding"]) or 0
        tiv = number(row.get("tiv_outstanding"))
        due["unknown" if tiv is None else "priced"] += 1
        due["tiv"] += tiv or 0
    whole = sum(due["tiv"] for due in totals.values())
    rows: list[Record] = []
    for supplier, due in sorted(totals.items(), key=lambda kv: (-kv[1]["tiv"], kv[0])):
        row = {
            "recipient": who,
            "supplier": supplier,
            "orders": int(due["orders"]),
            "units": int(due["units"]),
            "unknown": int(due["unknown"]),
            "credit": CREDIT,
        }
        if due["priced"]:
            row["tiv_outstanding"] = clean(round(due["tiv"], 1))
            if whole:
                row["share"] = clean(round(100 * due["tiv"] / whole, 2))
        rows.append(row)
    return Frame(
        f"{who}'s arms orders still to be delivered, by supplier",
        PIPELINE_COLUMNS,
        rows,
        ("supplier", "suppliers"),
        ("supplier", "orders", "units", "tiv_outstanding", "share", "unknown"),
        note,
    )


PIPELINE_COLUMNS = (
    Field("recipient", TEXT, "Recipient"),
    Field("supplier", TEXT, "Supplier"),
    Field("orders", INTEGER, "Orders", "Orders not fully delivered."),
    Field("units", INTEGER, "To come", "Units: number ordered minus number delivered."),
    Field(
        "tiv_outstanding",
        NUMBER,
        "TIV (m)",
        "The orders' TIV minus the TIV delivered, millions, where the register gives it.",
    ),
    Field("share", NUMBER, "Share %", "Of the TIV still to come."),
    Field("unknown", INTEGER, "No TIV", "Orders whose TIV the register does not give."),
    Field("credit", TEXT, "Credit"),
)
ORDER_COLUMNS = (
    Field("recipient", TEXT, "Recipient"),
    Field("supplier", TEXT, "Supplier"),
    Field("designation", TEXT, "Designation"),
    Field("description", TEXT, "Description"),
    Field("order_year", INTEGER, "Ordered"),
    Field("ordered", INTEGER, "Number ordered"),
    Field("delivered", INTEGER, "Delivered"),
    Field("outstanding", INTEGER, "To come"),
    Field("tiv_total", NUMBER, "TIV of order"),
    Field("tiv_delivered", NUMBER, "TIV delivered"),
    Field("tiv_outstanding", NUMBER, "TIV (m)", "The TIV still to come, millions."),
    Field("latest", INTEGER, "Last", "The last delivery year, or the order year."),
    Field("uncertain", LIST, "Uncertain", "The figures SIPRI marks with '?'."),
    Field("credit", TEXT, "Credit"),
)
