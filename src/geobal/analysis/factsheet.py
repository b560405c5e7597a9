"""The tables of SIPRI's fact sheet "Trends in International Arms Transfers", for any
period, from the data on the user's machine: the largest importers (or exporters), each
one's share of the world's transfers in the period and in the one before it, the change
in its volume, and its three main partners with their shares.

World and recipient totals come from SIPRI's import-volume table, whose "Total world
import" row is SIPRI's own world total: exact. Suppliers' totals come from SIPRI's
export-volume table where one is imported ("Total world export" its world total: exact),
else from a trade register; partners from the register: exact from the per-year export,
an estimate from the legacy one (each record's TIV spread over its delivery years). World
exports are world imports: the same transfers. A table SIPRI filtered to one partner
("imports from China") is no measure of the world, and is refused naming its scope.
Every row says which data it comes from and how; nothing here is SIPRI's own
figure, and nothing is dropped: non-state recipients (`*`), organisations (`**`) and
unknown suppliers or recipients are counted and shown as SIPRI names them.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from geobal.analysis import clean
from geobal.analysis.register import (
    CREDIT,
    IMPORT_EXPORT_VOLUMES,
    IMPORT_VOLUMES,
    Register,
    export_volumes,
    exporters,
    partners,
    totals_at,
    volumes,
    where,
)
from geobal.errors import UsageError
from geobal.fieldtypes import BOOLEAN, INTEGER, NUMBER, TEXT
from geobal.model import Dataset, Field, Record, column
from geobal.periods import Period, label, shifted
from geobal.views import Figure, Frame

WORLD = "Total world import"  # SIPRI's own row of the world's total, in the volume table
WORLD_EXPORT = "Total world export"  # and in the export-volume table
PARTNERS = 3  # main partners a row names, as the fact sheet does
EXACT_TABLE = "exact, from SIPRI's import-volume table"
EXACT_EXPORTS = "exact, from SIPRI's export-volume table"
COUNTRY = "country"  # the ranked country's field in every shape of the fact sheet
SHARE_PLACES = 2  # shares and changes, per cent: as exact as SIPRI's tables give them (41.72)


class Table(NamedTuple):
    """A SIPRI volume table as the fact sheet reads it: TIV by recipient (by supplier, in
    the export-volume table) and year, the world's total by year, the years it covers and
    the export's date."""

    name: str
    by_party: dict[str, dict[int, float]]
    world: dict[int, float]
    covers: tuple[int, int]
    generated: str | None
    sources: tuple[str, ...] = ()  # the ids of the source entries its rows cite
    places: int = 0  # the most decimal places any of its figures has: its precision


def read_table(ds: Dataset, generated: str | None = None, exports: bool = False) -> Table:
    """The import-volume table `ds` (with `exports`, the export-volume table), exported on
    `generated`; an error, saying what to import, if it has no world total (an export
    filtered to one partner, or of some countries only, is no measure of the world)."""
    from geobal.analysis.scopes import scope

    party, world_row, tag, what = (
        ("supplier", WORLD_EXPORT, "export-volumes", "export-volume table")
        if exports
        else ("recipient", WORLD, "volumes", "import-volume table")
    )
    (export_volumes if exports else volumes)(ds)
    by: dict[str, dict[int, float]] = {}
    # its columns, without building its 8,000 records
    given = column(ds.records, "tiv")
    row: dict[int, float] = {}
    current: str | None = None  # the party of `row`: a table's rows come party by party
    for name, year, value in zip(
        column(ds.records, party), column(ds.records, "year"), given, strict=True
    ):
        if (
            isinstance(value, int | float)  # number(), inline
            and not isinstance(value, bool)
            and isinstance(name, str)
            and isinstance(year, int)
        ):
            if name != current:
                row = by.setdefault(name, {})
                current = name
            row[year] = row.get(year, 0.0) + float(value)
    fix = f"export the table for all {party}s and import it: " + (
        IMPORT_EXPORT_VOLUMES if exports else IMPORT_VOLUMES
    )
    if scoped := scope(by, tag):
        raise UsageError(
            f"{ds.name!r} holds {scoped} only (its row 'Total {scoped}'), not the world's: "
            f"it gives no world or whole-country total",
            fix,
        )
    world = by.pop(world_row, None)
    if not world:
        raise UsageError(
            f"{ds.name!r} has no {world_row!r} row: it is not SIPRI's whole {what}, "
            "so it gives no world total to measure shares against",
            fix,
        )
    years = [y for row in (*by.values(), world) for y in row]
    cited = {str(s): None for v in column(ds.records, "sources") if isinstance(v, list) for s in v}
    return Table(
        ds.name,
        by,
        world,
        (min(years), max(years)),
        generated,
        tuple(sorted(cited)),
        decimals(given),
    )


def decimals(values: Iterable[object]) -> int:
    """The most decimal places any of the numbers in `values` has as written (the
    shortest form that reads back as the same float): a sum of them needs no more, and
    rounding it to that strips only the noise of binary addition."""
    most = 0
    try:
        # each value once, found in C: a float the set keeps an int in its place for
        # (1.0 for 1) has no decimal places, so the most is the same
        distinct: Iterable[object] = set(values)
    except TypeError:  # a value that cannot be hashed, as no typed file holds
        distinct = values
    for v in {v for v in distinct if isinstance(v, float)}:
        if math.isfinite(v):
            most = max(most, places(v))
    return most


def places(value: float) -> int:
    """The decimal places of a finite float as repr writes it, trailing zeros dropped
    (12.50 has 1, 120.0 none). repr's plain form ("12.5") is read as it is written; its
    exponent form ("1e-07") through Decimal, which reads both."""
    written = repr(value)
    if "e" not in written and "." in written:
        return len(written.partition(".")[2].rstrip("0"))
    from decimal import Decimal

    exponent = Decimal(written).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _sum(row: Mapping[int, float], period: Period) -> float:
    return sum(v for y, v in row.items() if period.first <= y <= period.last)


def check_period(period: Period, covers: tuple[int, int], what: str) -> None:
    """A period and the one before it must lie within the years `what` covers."""
    before = period.before
    if period.first > period.last:
        raise UsageError(f"--period {period.label} ends before it starts")
    if before.first < covers[0] or period.last > covers[1]:
        near = shifted(period, covers, room=period.length)  # the period before it too
        raise UsageError(
            f"{what} covers {label(*covers)}: --period {period.label} and the period "
            f"before it ({before.label}) must lie within it",
            f"ask for --period {near}"
            if near
            else f"it covers too few years for {period.length} years and as many before them",
        )


class Side(NamedTuple):
    """Importers or exporters: who is ranked, who their partners are."""

    who: str  # recipient or supplier
    partner: str  # supplier or recipient
    noun: str  # importer(s) or exporter(s)
    flow: str  # imports or exports


IMPORTERS = Side("recipient", "supplier", "importer", "imports")
EXPORTERS = Side("supplier", "recipient", "exporter", "exports")


def _partners(
    reg: Register | None, side: Side, names: Sequence[str], period: Period
) -> tuple[list[tuple[str, float]], str]:
    """The main partners of `names` (one country, or a group together) in the period,
    with their shares of those imports (or exports), from the register; and why there
    are none, where there are none."""
    if reg is None:
        return [], "no trade register imported"
    if reg.covers is None or period.first < reg.covers[0] or period.last > reg.covers[1]:
        covered = label(*reg.covers) if reg.covers else "no years"
        return [], f"the register covers {covered}, not all of {period.label}"
    present = reg.distinct(side.who)
    if not any(n in present for n in names):
        return [], f"the register names no {side.who} {' or '.join(names)}"
    # one country's partners from the sums of every pair, worked out once for them all
    every = partners(reg, side.who, period.first, period.last) if len(names) == 1 else None
    if every is not None:
        totals = every.get(names[0], {})
    else:
        at = [i for n in names for i in where(reg, side.who, n)]
        totals, _ = totals_at(reg, at, side.partner, period.first, period.last)
    whole = sum(totals.values())
    if not whole:
        return [], f"no deliveries in the register for {period.label}"
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:PARTNERS]
    return [(p, 100 * tiv / whole) for p, tiv in ranked], ""


def _from_register(period: Period, exports: Table | None) -> bool:
    """Whether the exporters' totals for `period` come from the register: where no
    export-volume table covers it and the period before."""
    before = period.before
    return exports is None or not (
        exports.covers[0] <= before.first <= period.last <= exports.covers[1]
    )


def _spans(period: Period) -> list[tuple[int, int]]:
    """The years of `period` and of the one before it."""
    before = period.before
    return [(period.first, period.last), (before.first, before.last)]


def tables(
    table: Table | None,
    reg: Register | None,
    sides: Sequence[Side],
    period: Period,
    top: int,
    group: Sequence[str] = (),
    exports: Table | None = None,
) -> list[Frame]:
    """`factsheet` for each of `sides`. Where the exporters' totals come from the
    register, they and both tables' partners come from one pass over it, made first
    (kept in `reg`), not one pass for the importers' partners and one for the exporters."""
    if EXPORTERS in sides and reg is not None and _from_register(period, exports):
        exporters(reg, period.first, period.last, _spans(period))
    return [factsheet(table, reg, side, period, top, group, exports) for side in sides]


def factsheet(
    table: Table | None,
    reg: Register | None,
    side: Side,
    period: Period,
    top: int,
    group: Sequence[str] = (),
    exports: Table | None = None,
) -> Frame:
    """The fact sheet's table of the largest importers (or exporters) in the period; or,
    with `group`, of those recipients (or suppliers) and the group as a whole. Exporters'
    totals come from the export-volume table `exports` where it covers the periods, else
    from the register `reg`."""
    before = period.before
    if side is IMPORTERS:
        if table is None:
            raise UsageError(
                "the importers' table needs SIPRI's import-volume table",
                f"import it with: {IMPORT_VOLUMES}",
            )
        check_period(period, table.covers, repr(table.name))
        volumes_now = {n: _sum(row, period) for n, row in table.by_party.items()}
        volumes_before = {n: _sum(row, before) for n, row in table.by_party.items()}
        world_now, world_before = _sum(table.world, period), _sum(table.world, before)
        totals = f"{EXACT_TABLE} {table.name!r}" + (
            f", exported {table.generated}" if table.generated else ""
        )
        places = table.places
    elif exports is not None and not _from_register(period, exports):
        volumes_now = {n: _sum(row, period) for n, row in exports.by_party.items()}
        volumes_before = {n: _sum(row, before) for n, row in exports.by_party.items()}
        world_now, world_before = _sum(exports.world, period), _sum(exports.world, before)
        totals = f"{EXACT_EXPORTS} {exports.name!r}" + (
            f", exported {exports.generated}" if exports.generated else ""
        )
        places = exports.places
    else:
        if reg is None:
            raise UsageError(
                "the exporters' table needs a trade register: it gives who supplied whom",
                "import the per-year export (exact) or the legacy register (an estimate)",
            )
        covers = reg.covers or (0, 0)
        check_period(period, covers, repr(reg.dataset.name))
        (volumes_now, _), (volumes_before, _) = exporters(
            reg, period.first, period.last, _spans(period)
        )
        # world exports are world imports: SIPRI's total where its table covers them
        if table is not None and table.covers[0] <= before.first and period.last <= table.covers[1]:
            world_now, world_before = _sum(table.world, period), _sum(table.world, before)
            world_from = (
                f"the world total {EXACT_TABLE} {table.name!r} (world exports are world "
                "imports), so the shares need not add up to 100"
            )
        else:
            world_now, world_before = sum(volumes_now.values()), sum(volumes_before.values())
            world_from = "the world total the register's own, summed"
        totals = f"{_register(reg)}; {world_from}"
        # the TIV each record gives: a legacy record spread over its years is an
        # estimate, and more places would only feign a precision it lacks
        places = decimals(reg.column("tiv_delivered"))
    if not world_now:
        raise UsageError(f"no transfers at all in {period.label} in the data")
    if group:
        known = set(volumes_now) | set(volumes_before)
        missing = [g for g in group if g not in known]
        if missing:
            raise UsageError(
                f"no {side.who} named {missing[0]!r} in the data",
                f"use the names as SIPRI gives them (geobal query "
                f"{table.name if table else reg.dataset.name if reg else 'DATASET'} "
                f"--count-by {side.who})",
            )
        chosen = list(dict.fromkeys(group))
    else:
        chosen = sorted(volumes_now, key=lambda n: (-volumes_now[n], n))[:top]
    partners_from = _register(reg) if reg is not None else "none"
    rows: list[Record] = []
    for rank, name in enumerate(chosen, 1):
        now, then = volumes_now.get(name, 0.0), volumes_before.get(name, 0.0)
        mains, why = _partners(reg, side, [name], period)
        row = _row(
            side, rank if not group else None, name, (now, then), (world_now, world_before), places
        )
        _add_partners(row, mains, why)
        rows.append(row)
    if group:
        now = sum(volumes_now.get(n, 0.0) for n in chosen)
        then = sum(volumes_before.get(n, 0.0) for n in chosen)
        row = _row(side, None, " + ".join(chosen), (now, then), (world_now, world_before), places)
        row["group"] = True
        mains, why = _partners(reg, side, chosen, period)
        _add_partners(row, mains, why)
        rows.append(row)
    for row in rows:
        row.update(
            {
                "period": period.label,
                "previous": before.label,
                "totals_from": totals,
                "partners_from": partners_from,
                "credit": CREDIT,
            }
        )
    title = (
        f"The largest arms {side.noun}s, {period.label}: share of world {side.flow}, the change "
        f"from {before.label}, main partners"
        if not group
        else f"Arms {side.flow} of {', '.join(chosen)}, {period.label}, against {before.label}"
    )
    rounded = (
        " Changes are computed from the table's yearly figures, which SIPRI rounds, so "
        "they may differ a little from SIPRI's own."
        if side is IMPORTERS
        else ""
    )
    return Frame(
        title,
        columns(side),
        rows,
        (side.noun, f"{side.noun}s"),
        TABLE,
        f"Totals: {totals}. Partners: {partners_from}.{rounded} {CLOSING}",
        _figure(side, rows, period, before),
        head=COUNTRY,
    )


def exact(reg: Register | None, rows: Sequence[Record], exporters: bool) -> bool:
    """Whether every figure in a fact sheet's rows is exact: the volume tables' are; the
    exporters' totals (without the export-volume table) and any row's partner shares come
    from the register, and are an estimate where it is the legacy one."""
    from_register = any(r.get("partner_1_share") is not None for r in rows) or (
        exporters and not all(str(r.get("totals_from")).startswith(EXACT_EXPORTS) for r in rows)
    )
    return reg is None or reg.exact or not from_register


def _register(reg: Register) -> str:
    """Which register the figures come from, and how: said once, briefly."""
    if reg.exact:
        return f"exact, from the per-year export {reg.dataset.name!r} (the TIV of each year)"
    return (
        f"an estimate, from the legacy register {reg.dataset.name!r} (each record's TIV "
        "spread evenly over its delivery years)"
    )


def share_text(share: float) -> str:
    """A partner's share as the fact sheet gives it, whole per cent; below 1, to a
    tenth, so that a small partner does not read as none."""
    return f"{round(share)}" if share >= 1 else f"{round(share, 1):g}"


def _row(
    side: Side,
    rank: int | None,
    name: str,
    volumes: tuple[float, float],
    world: tuple[float, float],
    places: int,
) -> Record:
    """One country's (or group's) row: its volumes in the period and the one before, to
    the `places` of the figures they sum, and its shares of the world's and change."""
    now, then = volumes
    world_now, world_before = world
    row: Record = {
        COUNTRY: name,
        "tiv": clean(round(now, places)),
        "tiv_previous": clean(round(then, places)),
        "share": clean(round(100 * now / world_now, SHARE_PLACES)),
    }
    if rank is not None:
        row["rank"] = rank
    if world_before:
        row["share_previous"] = clean(round(100 * then / world_before, SHARE_PLACES))
    if then:
        row["change"] = clean(round(100 * (now - then) / then, SHARE_PLACES))
    return row


def _add_partners(row: Record, mains: list[tuple[str, float]], why: str) -> None:
    for i, (partner, share) in enumerate(mains, 1):
        row[f"partner_{i}"] = partner
        row[f"partner_{i}_share"] = clean(round(share, SHARE_PLACES))
    row["partners"] = ", ".join(f"{p} {share_text(s)}" for p, s in mains) if mains else why


def columns(side: Side) -> tuple[Field, ...]:
    partner = side.partner
    return (
        Field("rank", INTEGER, "Rank", f"By the volume of {side.flow} in the period."),
        Field(COUNTRY, TEXT, side.noun.capitalize(), f"The {side.noun}, as SIPRI names it."),
        Field("share", NUMBER, "Share %", f"Share of world {side.flow} in the period, per cent."),
        Field(
            "share_previous",
            NUMBER,
            "Before %",
            f"Share of world {side.flow} in the period before, per cent.",
        ),
        Field(
            "change",
            NUMBER,
            "Change %",
            "Per cent change in the volume (TIV) from the period before.",
        ),
        Field("partners", TEXT, f"Main {partner}s (%)", f"With their shares of its {side.flow}."),
        *(
            field
            for i in range(1, PARTNERS + 1)
            for field in (
                Field(f"partner_{i}", TEXT, f"{partner.capitalize()} {i}"),
                Field(f"partner_{i}_share", NUMBER, f"{partner.capitalize()} {i} %"),
            )
        ),
        Field("tiv", NUMBER, "TIV (m)", "Volume in the period, millions of TIV."),
        Field("tiv_previous", NUMBER, "TIV before (m)"),
        Field("group", BOOLEAN, "Group", "true on the row of a --recipients group as a whole."),
        Field("period", TEXT, "Period"),
        Field("previous", TEXT, "Previous period"),
        Field("totals_from", TEXT, "Totals from", "The data the volumes come from, and how."),
        Field("partners_from", TEXT, "Partners from", "The data the partners come from, and how."),
        Field("credit", TEXT, "Credit"),
    )


TABLE = ("rank", COUNTRY, "share", "share_previous", "change", "partners")
CLOSING = f"Computed by geobal from SIPRI data, not published by SIPRI. {CREDIT}."


def _figure(side: Side, rows: Sequence[Record], period: Period, before: Period) -> Figure:
    long = [
        {COUNTRY: r[COUNTRY], "period": label, "share": share}
        for r in rows
        if not r.get("group")
        for label, share in ((before.label, r.get("share_previous")), (period.label, r["share"]))
        if share is not None
    ]
    return Figure(
        COUNTRY,
        "share",
        color="period",
        y_title=f"Share of world arms {side.flow} (%)",
        rows=long,
        columns=(
            Field(COUNTRY, TEXT, side.noun.capitalize()),
            Field("period", TEXT, "Period"),
            Field("share", NUMBER, "Share %"),
        ),
        order=(before.label, period.label),
    )


SIDE = Field("side", TEXT, "Table", "importers or exporters: the table the row is in.")


def both(importers: Frame, exporters: Frame, period: Period) -> tuple[Frame, list[Frame]]:
    """The two tables for scripts, as one listing, a row a country and table (`side`
    says which, and so whether the partners are suppliers or recipients); and for
    people, the two tables."""
    rows: list[Record] = [
        {"side": f"{side.noun}s", **r}
        for side, frame in ((IMPORTERS, importers), (EXPORTERS, exporters))
        for r in frame.rows
    ]
    fields = [
        SIDE,
        *(
            f.renamed(f.name, "Country")
            if f.name == COUNTRY
            else f.renamed(f.name, f.title.replace("Supplier", "Partner"))
            if f.name.startswith("partner_")
            else f.renamed(f.name, "Main partners (%)")
            if f.name == "partners"
            else f
            for f in columns(IMPORTERS)
        ),
    ]
    # each table's own lines once; what they share, said once at the end
    caption = " ".join(
        f"{side.noun.capitalize()}s: {without_closing(f.caption)}"
        for side, f in ((IMPORTERS, importers), (EXPORTERS, exporters))
    )
    listing = Frame(
        f"The largest arms importers and exporters, {period.label}",
        tuple(fields),
        rows,
        ("row", "rows"),
        ("side", *TABLE),
        f"{caption} {CLOSING}",
    )
    return listing, [importers, exporters]


def without_closing(caption: str) -> str:
    """A table's caption without the lines every fact-sheet table ends with, for a
    table that another follows (which says them)."""
    return caption.removesuffix(CLOSING).strip()
