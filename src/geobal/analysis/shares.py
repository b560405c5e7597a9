"""Shares computed from an imported SIPRI trade register: each party's share of a
recipient's imports (or a supplier's exports) over a period, period by period, periods
side by side, the concentration's inputs, and the register's yearly totals against
SIPRI's import- or export-volume table. Nothing here is SIPRI's own figure: the data are, the
arithmetic is geobal's."""

from collections.abc import Mapping, Sequence

from geobal.analysis import clean, number
from geobal.analysis.compare import side_by_side
from geobal.analysis.parties import successor
from geobal.analysis.register import (
    CREDIT,
    FLOWS,
    PROVENANCE,
    Register,
    Totals,
    caption,
    export_volumes,
    per_year,
    provenance,
    totals_at,
    totals_in,
    volumes,
    where,
)
from geobal.fieldtypes import CHOICE, INTEGER, LEVEL, LIST, NUMBER, TEXT
from geobal.model import Choice, Dataset, Field, Record, column
from geobal.periods import Period
from geobal.schema import SOURCES
from geobal.views import Frame


def period_shares(
    reg: Register,
    at: Sequence[int],
    periods: Sequence[Period],
    successors: Mapping[str, str] | None = None,
) -> list[Record]:
    """Each supplier's share in each period, as rows of period, supplier, share and the
    sources the figures come from (for concentration.balance), of the records at the
    positions `at`."""
    return _period_shares(reg, at, periods, successors)[0]


def _period_shares(
    reg: Register,
    at: Sequence[int],
    periods: Sequence[Period],
    successors: Mapping[str, str] | None,
    also: Sequence[tuple[int, int]] = (),
) -> tuple[list[Record], list[Totals]]:
    """`period_shares`, and the totals of the spans `also` from the same pass."""
    sources = sorted(
        {str(s) for v in reg.declared_at(SOURCES, at) if isinstance(v, list) for s in v}
    )
    rows: list[Record] = []
    each = totals_in(reg, at, "supplier", [*(p.years for p in periods), *also], successors)
    for period, (totals, _) in zip(periods, each, strict=False):
        whole = sum(totals.values())
        rows += [
            {
                "period": period.label,
                "supplier": name,
                "share": 100 * tiv / whole,
                "sources": sources,
            }
            for name, tiv in totals.items()
            if whole
        ]
    return rows, each[len(periods) :]


def balance_inputs(
    reg: Register,
    at: Sequence[int],
    periods: Sequence[Period],
    successors: Mapping[str, str] | None = None,
) -> tuple[list[Record], Field, Field]:
    """What concentration.balance reads, from the records of a register at the positions
    `at`: each supplier's share in each period, the periods as a field (oldest first),
    and the suppliers as one (by their TIV over all the periods). From the columns, in
    one pass: the sums record by record gives, to the last bit."""
    whole = (periods[0].years[0], periods[-1].years[1])
    rows, ((totals, _),) = _period_shares(reg, at, periods, successors, [whole])
    period = periods_field([p.label for p in periods])
    supplier = parties_field(sorted(totals, key=lambda n: -totals[n]), "Supplier")
    return rows, period, supplier


def periods_field(labels: Sequence[str]) -> Field:
    """A level field whose scale is the given periods, oldest first."""
    return Field("period", LEVEL, "Period", choices=tuple(Choice(label, label) for label in labels))


def parties_field(names: Sequence[str], title: str) -> Field:
    """A choice field for free-text names (a register's suppliers), code = name."""
    return Field("supplier", CHOICE, title, choices=tuple(Choice(name, name) for name in names))


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
    period: Period,
    published: Mapping[str, tuple[float, int]] | None = None,
    successors: Mapping[str, str] | None = None,
) -> Frame:
    """Each `party`'s share of `name`'s imports (who = recipient) or exports (who =
    supplier) over the period."""
    at = where(reg, who, name, successors)
    totals, names = totals_at(reg, at, party, *period.years, successors)
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
    periods: list[Period],
    successors: Mapping[str, str] | None = None,
) -> Frame:
    """Each `party`'s share period by period: a row a party and period, the periods
    in order and within each the parties by share, largest first (ties by name)."""
    at = where(reg, who, name, successors)
    each = totals_in(reg, at, party, [p.years for p in periods], successors)
    rows: list[Record] = []
    for period, (totals, names) in zip(periods, each, strict=True):
        whole = sum(totals.values())
        share = {p: clean(round(100 * tiv / whole, 2)) for p, tiv in totals.items()}
        for p in sorted(totals, key=lambda p: (-share[p], p)):
            row: Record = {
                who: successor(name, successors),
                party: p,
                "share": share[p],
                "tiv": round(totals[p], 1),
                **provenance(reg, period),
            }
            if sorted(names[p]) != [p]:
                row["includes"] = sorted(names[p])
            rows.append(row)
    columns = share_columns(who, party)
    keep = {who, party, "share", "tiv", "includes", *(f.name for f in PROVENANCE)}
    what = "imports" if who == "recipient" else "exports"
    lengths = {p.length for p in periods}
    span = Period(periods[0].first, periods[-1].last)
    said = (
        periods[0].label
        if len(periods) == 1
        else f"{span} in {periods[0].length}-year periods"
        if len(lengths) == 1 and sum(p.length for p in periods) == span.length
        else ", ".join(p.label for p in periods)
    )
    title = f"{successor(name, successors)}'s arms {what} by {party}, {said}"
    partial = next((p for p in periods if p.partial), None)
    return Frame(
        title,
        tuple(f for f in columns if f.name in keep),
        rows,
        ("share", "shares"),
        (party, "period", "share", "tiv"),
        caption(reg, partial, successors),
    )


def compare(
    reg: Register,
    who: str,
    name: str,
    party: str,
    periods: Sequence[Period],
    successors: Mapping[str, str] | None = None,
    source: str = "",
) -> Frame:
    """Each `party`'s share of `name`'s imports (or exports) in each period, side by
    side, with the change in points from the period before the latest; a party with no
    deliveries in a period has a share of 0 there, as every delivery is counted."""
    at = where(reg, who, name, successors)
    each = totals_in(reg, at, party, [p.years for p in periods], successors)
    figures: dict[str, dict[str, Record]] = {}
    for period, (totals, _) in zip(periods, each, strict=True):
        figures[period.label] = {str(row[party]): row for row in share_rows(totals, party)}
    # every delivery is counted, so a party with none in a period had none: 0, not unknown
    everyone = {p for found_in in figures.values() for p in found_in}
    for found_in in figures.values():
        # by name: a party added here ties with others on its 0, and the rows keep
        # this order among ties (a set's order would change from run to run)
        for p in sorted(everyone - set(found_in)):
            found_in[p] = {party: p, "share": 0, "tiv": 0}
    shown = successor(name, successors)
    what = "imports" if who == "recipient" else "exports"
    labels = [p.label for p in periods]
    partial = [p for p in periods if p.partial]
    carried = {f.name: f for f in PROVENANCE}
    extra = "; ".join(f"{p.label} {p.note}" for p in partial)
    return side_by_side(
        Field(party, TEXT, party.capitalize()),
        labels,
        figures,
        title=f"{shown}'s arms {what} by {party}, {' against '.join(labels)}",
        caption=caption(reg, None, successors, extra),
        carry=(
            (Field(who, TEXT, who.capitalize()), shown),
            (carried["method"], reg.method),
            # which periods are partial the caption says; the field says whether any is
            (carried["partial"], bool(partial)),
            (carried["credit"], CREDIT),
        ),
        notes=(source,) if source else (),
        chart_caption=caption(reg, None, successors, extra, chart=True),
    )


def check(
    reg: Register,
    name: str,
    table: Dataset,
    period: Period,
    successors: Mapping[str, str] | None,
    partner: str | None = None,
    who: str = "recipient",
) -> Frame:
    """The register's yearly imports of recipient `name` beside SIPRI's import-volume
    table (who = supplier: its yearly exports beside the export-volume table), and their
    totals over the period: only years both cover. With `partner`, a table SIPRI filtered
    to one partner ("imports from China", "exports to India"): only the register's
    deliveries between `name` and that partner are counted, and every row says so (scope)."""
    party = "supplier" if who == "recipient" else "recipient"
    at = where(reg, who, name, successors)
    if partner is not None:
        at = [i for i, v in zip(at, reg.values_at(party, at), strict=True) if v == partner]
    yearly = per_year(reg, reg.records_at(at, FLOWS), *period.years)
    rows_of = volumes(table) if who == "recipient" else export_volumes(table)
    published: dict[int, float] = {}
    held = rows_of.records  # its columns, without building its 8,000 records
    for party_is, year, value in zip(
        column(held, who), column(held, "year"), column(held, "tiv"), strict=True
    ):
        tiv = number(value)
        if party_is == name and isinstance(year, int) and tiv is not None:
            published[year] = published.get(year, 0.0) + tiv
    method = "exact" if reg.exact else "est."
    # the flow both sides measure, in every row: a reader of the rows alone must not take
    # a recipient's imports from one supplier for its whole imports
    scope = None
    if partner is not None:
        scope = f"imports from {partner}" if who == "recipient" else f"exports to {partner}"
    kind = "import-volume table" if who == "recipient" else "export-volume table"
    rows: list[Record] = []
    for year, figure in [*yearly.items(), (None, sum(yearly.values()))]:
        # within the years the table covers, an empty field is "no deliveries identified"
        actual = (
            published.get(year, 0.0)
            if year is not None
            else sum(published.get(y, 0.0) for y in yearly)
        )
        row: Record = {
            who: name,
            **({"scope": scope} if scope is not None else {}),
            "years": str(year) if year is not None else Period(*period.years).label,
            "register": round(figure, 1),
            "table": clean(round(actual, 1)),
            **provenance(reg, period),
        }
        if year is not None:  # none on the last row: the period's total
            row["year"] = year
        if actual:
            row["difference"] = clean(round(100 * (figure - actual) / actual, 1))
        rows.append(row)
    scoped = (
        (Field("scope", TEXT, "Scope", "The flow both sides measure, as the table is filtered."),)
        if scope is not None
        else ()
    )
    columns = (
        Field(who, TEXT, who.capitalize()),
        *scoped,
        Field("year", INTEGER, "Year", "The year; empty on the last row, the period's total."),
        Field("years", TEXT, "Year", "The year, or on the last row the period it totals."),
        Field(
            "register", NUMBER, f"Register ({method})", "Delivered TIV from the register, millions."
        ),
        Field("table", NUMBER, "Volume table", f"SIPRI's {kind}, millions."),
        Field(
            "difference", NUMBER, "Difference %", "Register minus table, as a share of the table."
        ),
        *PROVENANCE,
    )
    title = f"{name}: the register against the {kind}, {period.label}"
    if scope is not None:
        title = f"{name}: the register's {scope} against the {kind} of {scope}, {period.label}"
    if period.partial:
        title += f" ({period.note})"
    return Frame(
        title,
        columns,
        rows,
        ("row", "rows"),  # a year's, and the period's total: not as many years
        ("years", "register", "table", "difference"),
        caption(reg, period, successors),
    )


ROUNDING = 0.5  # SIPRI rounds each year's figure of its volume tables to a whole TIV


def differs(checked: Frame) -> bool:
    """Whether any year of a check (shares --check) differs from the table by more
    than SIPRI's rounding of the table's figure."""
    pairs = [(number(r.get("register")), number(r.get("table"))) for r in checked.rows]
    return any(
        isinstance(r.get("year"), int) and (a is None or b is None or abs(a - b) > ROUNDING + 1e-9)
        for r, (a, b) in zip(checked.rows, pairs, strict=True)
    )
