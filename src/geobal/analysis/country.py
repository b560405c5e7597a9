"""The one-screen brief for any country, from an imported SIPRI trade register: who
supplied it in the latest five years the data cover, the shift from the five before,
how concentrated its suppliers are, its largest deliveries of those years, and the
orders still to come. Every line cites the register's source entry and says how its
figures were computed; nothing here is SIPRI's own figure."""

from collections.abc import Callable, Mapping, Sequence

from geobal.analysis import clean, military, number, percent
from geobal.analysis import concentration as hhi
from geobal.analysis.brief import COLUMNS
from geobal.analysis.compare import CHANGE, key
from geobal.analysis.military import Spending
from geobal.analysis.parties import successor
from geobal.analysis.pipeline import pipeline
from geobal.analysis.register import CREDIT, Register, deliveries, totals_at, where
from geobal.analysis.shares import balance_inputs, compare, share_rows
from geobal.errors import UsageError
from geobal.model import Field, Record
from geobal.periods import Period, label
from geobal.schema import SOURCES
from geobal.schema import cited as cited_of
from geobal.views import Brief, Frame

WINDOW = 5  # years a period, as SIPRI compares them
TOP = 5  # suppliers, deliveries and orders a section names
MOVERS = 3  # suppliers whose shares moved most, in the shift
ABOUT = "About these figures"

AddLine = Callable[[str, str], None]  # adds a line of text under a section heading


def brief(
    reg: Register,
    name: str,
    dataset: str,
    successors: Mapping[str, str] | None = None,
    published: Sequence[tuple[str, Record]] = (),
    published_label: str = "",
    published_as_of: str | None = None,
    spending: Spending | None = None,
) -> Brief:
    """The brief on recipient `name` (as the register names it); `published` are the
    shares SIPRI itself published for the same period (India's, in the bundled data),
    by supplier label, to set beside geobal's; `spending` the lines on its military
    spending (analysis.military), set after its imports."""
    if reg.covers is None:
        raise UsageError(f"{dataset!r} has no deliveries at all")
    first, last = reg.covers
    # the last five years the data cover, or all of them where they cover fewer
    start = max(first, last - WINDOW + 1)
    now = Period(start, last)
    before = Period(now.first - WINDOW, now.first - 1) if now.first - WINDOW >= first else None
    who = successor(name, successors)
    sources = reg.sources
    rows: list[Record] = []

    def add(section: str, text: str) -> None:
        rows.append(
            {"section": section, "text": text, SOURCES: sources, "as_of": f"data to {last}"}
        )

    # the positions of its records: every figure below read from the register's columns
    mine = where(reg, "recipient", name, successors)
    latest, _ = totals_at(reg, mine, "supplier", now.first, now.last, successors)
    whole = sum(latest.values())
    heading = f"Suppliers, {now.label}"
    if not whole:
        add(heading, f"No deliveries to {who} identified in {now.label}.")
    else:
        ranked = share_rows(latest, "supplier")
        named = ", ".join(f"{r['supplier']} {percent(r['share'])}" for r in ranked[:TOP])
        rest = ranked[TOP:]
        if rest:
            share = clean(round(sum(number(r["share"]) or 0 for r in rest), 2))
            named += f", {len(rest)} others {percent(share)}"
        add(heading, f"{clean(round(whole, 1)):,} TIV million delivered: {named}.")
    if published:
        listed = ", ".join(f"{label} {percent(r.get('share'))}" for label, r in published)
        sheets = sorted({str(r["sheet"]) for _, r in published if "sheet" in r})
        cited = list(dict.fromkeys(s for _, r in published for s in cited_of(r)))
        rows.append(
            {
                "section": heading,
                "text": f"As SIPRI published them for {published_label} "
                f"({', '.join(sheets)} release): {listed} (geobal suppliers).",
                SOURCES: cited,
                **({"as_of": published_as_of} if published_as_of else {}),
            }
        )
    if before is not None:
        _shift(add, reg, name, now, before, successors)
        _concentration(add, reg, mine, now, before, successors)
    _deliveries(add, reg, mine, now, successors)
    _orders(add, reg, name, now, successors)
    short = (
        " They cover fewer than five years, so there is no earlier period to compare."
        if before is None and now.length < WINDOW
        else ""
    )
    if spending is not None:
        rows.extend(spending.rows)
    add(
        ABOUT,
        f"{reg.how}. Data: {reg.dataset.title} ({dataset!r}), covering "
        f"{label(first, last)}.{short} "
        f"{CREDIT}; the figures are geobal's, not SIPRI's.",
    )
    title = f"{who}'s arms imports, {now.label}: a brief"
    columns: tuple[Field, ...] = COLUMNS
    if spending is not None:
        rows.append(spending.about)
        columns = (*COLUMNS, *military.COLUMNS)
        if years := [y for r in spending.rows if isinstance(y := r.get("year"), int)]:
            title = (
                f"{who}'s arms imports, {now.label}, and military spending, "
                f"{label(min(years), max(years))}: a brief"
            )
    return Brief(Frame(title, columns, rows, ("line", "lines")))


def _shift(
    add: AddLine,
    reg: Register,
    name: str,
    now: Period,
    before: Period,
    successors: Mapping[str, str] | None,
) -> None:
    """The suppliers whose shares moved most, as `shares --compare` gives them."""
    heading = f"Shift from {before.label}"
    frame = compare(reg, "recipient", name, "supplier", [before, now], successors)
    then, later = (f"share_{key(s.label)}" for s in (before, now))
    if not any(number(r.get(then)) for r in frame.rows):
        add(heading, f"No deliveries identified in {before.label}.")
        return
    moves = sorted(frame.rows, key=lambda r: -abs(number(r.get(CHANGE)) or 0))[:MOVERS]
    add(
        heading,
        "; ".join(
            f"{r['supplier']} {r[CHANGE]:+g} points ({percent(r[then])} to {percent(r[later])})"
            for r in moves
        )
        + ".",
    )


def _concentration(
    add: AddLine,
    reg: Register,
    mine: Sequence[int],
    now: Period,
    before: Period,
    successors: Mapping[str, str] | None,
) -> None:
    periods = [before, now]
    found = {
        str(r["period"]): r for r in hhi.balance(*balance_inputs(reg, mine, periods, successors))
    }
    latest = found.get(now.label)
    if latest is None:
        return
    index = _bounds(latest)
    text = f"HHI {index} (0-10,000) in {now.label}"
    if (earlier := found.get(before.label)) is not None:
        text += f", against {_bounds(earlier)} in {before.label}: {latest.get('trend')}"
    top = latest.get("top")
    if top:
        text += f"; the top supplier, {top}, held {percent(latest.get('top_share'))}"
    add("Concentration", text + ".")


def _bounds(row: Record) -> str:
    low, high = number(row.get("hhi_low")), number(row.get("hhi_high"))
    if low is None or high is None:
        return "unknown"
    if round(low) == round(high):
        return f"{round(low):,}"
    return f"{round(low):,}-{round(high):,}"


def _deliveries(
    add: AddLine, reg: Register, mine: Sequence[int], now: Period, s: Mapping[str, str] | None
) -> None:
    """The weapons with the most TIV delivered in the period: an order's years summed
    (the per-year export has a record a delivery year), its supplier and order year. Of
    the records at the positions `mine`, only those with a delivery in the period read
    further: each year's TIV as `deliveries` gives it, added in the same order."""
    found = list(deliveries(reg, mine, now.first, now.last))
    at = [mine[k] for k, _, _ in found]
    fields = ("supplier", "designation", "description", "order_year", "deal")
    deals: dict[tuple[str, str, object, object], float] = {}
    for (_, part, years), (supplier, designation, description, year, deal) in zip(
        found, zip(*(reg.declared_at(f, at) for f in fields), strict=True), strict=True
    ):
        if supplier is None:  # as every total passes over it
            continue
        who = successor(str(supplier), s)
        what = str(designation or description or "unnamed")
        for y in years:
            if isinstance(y, int) and now.first <= y <= now.last:
                # the per-year export names the deal of each year's record: one order
                k = (who, what, year, deal)
                deals[k] = deals.get(k, 0.0) + part
    if not deals:
        return
    largest = sorted(deals.items(), key=lambda kv: (-kv[1], kv[0][1]))[:TOP]
    parts = [
        f"{what} from {who}"
        + (f" (ordered {year})" if year is not None else "")
        + f": {clean(round(tiv, 1)):,}"
        for (who, what, year, _), tiv in largest
    ]
    add(f"Largest deliveries, {now.label} (TIV million)", "; ".join(parts) + ".")


def _orders(
    add: AddLine, reg: Register, name: str, now: Period, s: Mapping[str, str] | None
) -> None:
    heading = "Orders still to come"
    if reg.exact:
        add(
            heading,
            "Not in the per-year export, which gives only what was delivered each year: "
            "the legacy register, imported beside it (--into legacy), gives the numbers "
            "ordered: geobal pipeline --dataset legacy.",
        )
        return
    frame = pipeline(reg, name, now.first, True, s)
    if not frame.rows:
        add(heading, f"None: no order with a delivery, or placed, in {now.first} or later.")
        return
    parts = []
    for r in frame.rows[:TOP]:
        tiv = r.get("tiv_outstanding")
        worth = f", {tiv:,} TIV million" if isinstance(tiv, int | float) else ""
        year = f", ordered {r['order_year']}" if "order_year" in r else ""
        parts.append(f"{r['outstanding']} {r['designation']} ({r['supplier']}{year}{worth})")
    more = f"; {len(frame.rows) - TOP} more: geobal pipeline" if len(frame.rows) > TOP else ""
    add(heading, "; ".join(parts) + more + ".")
