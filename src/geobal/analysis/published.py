"""SIPRI's figures for India as the bundled datasets record them: `suppliers` (each
supplier's share per period, by the release that published it) and `imports` (India's
place among the world's importers). SIPRI revises past periods every year, so each
figure is read as its latest release gives it unless a release is asked for."""

from collections.abc import Iterable, Mapping, Sequence

from geobal.analysis import Needs, number, ordinal, require
from geobal.analysis.concentration import by_period
from geobal.errors import UsageError
from geobal.model import Dataset, Field, Record
from geobal.periods import Period
from geobal.views import Bar, BarGroup

SUPPLIERS: Needs = {
    "period": ("level",),
    "supplier": ("choice", "level"),
    "sheet": ("integer",),
    "share": ("number", "integer"),
    "rank": ("integer",),
}
IMPORTS: Needs = {
    "period": ("level", "choice", "text"),
    "sheet": ("integer",),
    "world_share": ("number", "integer"),
    "world_rank": ("integer",),
}


def suppliers(ds: Dataset) -> Dataset:
    return require(ds, SUPPLIERS, "the supplier shares")


def imports(ds: Dataset) -> Dataset:
    return require(ds, IMPORTS, "India's place among importers")


def latest(rows: Iterable[Record], group: Sequence[str], by: str) -> list[Record]:
    """For each combination of the `group` fields, the rows with the greatest `by`
    (the most recent release), in their original order."""
    best: dict[tuple[object, ...], object] = {}
    kept = list(rows)
    for row in kept:
        key = tuple(row.get(g) for g in group)
        value = row.get(by)
        if key not in best or _greater(value, best[key]):
            best[key] = value
    return [r for r in kept if r.get(by) == best[tuple(r.get(g) for g in group)]]


def _greater(a: object, b: object) -> bool:
    if a is None:
        return False
    if b is None:
        return True
    return bool(a > b)  # type: ignore[operator]


def release(ds: Dataset, sheet: int | None) -> int | None:
    """`sheet` (None passes), checked to be a release `ds` holds figures from: another
    year is refused with the releases there are, never answered with no figures."""
    there = sorted({s for r in ds.records if isinstance(s := r.get("sheet"), int)})
    if sheet is not None and sheet not in there:
        raise UsageError(
            f"--sheet {sheet}: {ds.name} holds no figures from SIPRI's {sheet} release",
            f"the releases there are: {', '.join(map(str, there))}",
        )
    return sheet


def shares(ds: Dataset, sheet: int | None = None) -> list[Record]:
    """Each supplier's share per period: as `sheet`'s release gives it, or each as its
    latest release does."""
    if release(ds, sheet) is None:
        return latest(ds.records, ("period", "supplier"), "sheet")
    return [r for r in ds.records if r.get("sheet") == sheet]


def places(ds: Dataset, sheet: int | None = None) -> dict[str, Record]:
    """India's share and rank among importers, by period, as the latest release (or
    `sheet`'s) gives them."""
    india = [
        r
        for r in ds.records
        if sheet in (None, r.get("sheet")) and ("world_share" in r or "world_rank" in r)
    ]
    return {str(r["period"]): r for r in latest(india, ("period",), "sheet")}


def supplier_bars(
    rows: Iterable[Record], period: Field, supplier: Field, imports: Mapping[str, Record]
) -> list[BarGroup]:
    """One group of bars per period: each supplier's share, largest first, with its rank
    where stated; the group's subtitle gives India's place among importers."""
    groups = []
    for name, members in by_period(rows, period).items():
        members = sorted(
            members, key=lambda r: (-(number(r.get("share")) or -1), number(r.get("rank")) or 99)
        )
        # no rank beside the bars: sources give it for some suppliers only, and a label
        # on some rows reads as a difference between them (the table has the ranks)
        bars = [
            Bar(
                supplier.labels.get(str(row["supplier"]), str(row["supplier"])),
                number(row.get("share")),
                "" if number(row.get("share")) is not None else _rank_only(row.get("rank")),
            )
            for row in members
        ]
        sheets = sorted({str(r["sheet"]) for r in members})
        subtitle = f"published {', '.join(sheets)}"
        india = imports.get(name)
        if india is not None:
            facts = []
            if (share := number(india.get("world_share"))) is not None:
                facts.append(f"{share:g}% of world imports")
            if isinstance(rank := india.get("world_rank"), int):
                facts.append(f"{ordinal(rank)} importer")
            if facts:
                subtitle += f"; India {', '.join(facts)}"
        groups.append(BarGroup(name, subtitle, bars))
    return groups


def published_rows(ds: Dataset, period: str) -> list[tuple[str, Record]]:
    """The shares SIPRI published for `period`, each as its latest release gives it,
    largest first, by supplier label, with the records they come from."""
    field = suppliers(ds).field_map["supplier"]
    found = [
        (field.labels.get(str(r["supplier"]), str(r["supplier"])), r)
        for r in latest(ds.records, ("period", "supplier"), "sheet")
        if r.get("period") == period and number(r.get("share")) is not None
    ]
    return sorted(found, key=lambda lr: -(number(lr[1].get("share")) or 0))


def _rank_only(rank: object) -> str:
    """What a bar with no share says: the rank, where only that was found."""
    return f"{ordinal(rank)} supplier; share not found" if isinstance(rank, int) else ""


def published_shares(ds: Dataset, period: str) -> dict[str, tuple[float, int]]:
    """SIPRI's published share of each supplier (by label) in `period`, as its latest
    release gives it: the bundled suppliers dataset, which is India's."""
    field = suppliers(ds).field_map["supplier"]
    found: dict[str, tuple[float, int]] = {}
    for r in latest(ds.records, ("period", "supplier"), "sheet"):
        share, sheet = number(r.get("share")), r.get("sheet")
        if r.get("period") == period and share is not None and isinstance(sheet, int):
            found[field.labels.get(str(r["supplier"]), str(r["supplier"]))] = (share, sheet)
    return found


def published_periods(ds: Dataset, periods: Sequence[Period]) -> list[str]:
    """The labels of `periods`, each one SIPRI published shares for; an error naming
    those it did where one is not."""
    field = suppliers(ds).field_map["period"]
    for period in periods:
        if period.label not in field.rank:
            raise UsageError(
                f"no published shares for {period}: the suppliers dataset has SIPRI's "
                "five-year periods",
                f"available: {', '.join(c.value for c in field.choices)}",
            )
    return [period.label for period in periods]


def compare(
    ds: Dataset, periods: Sequence[Period], sheet: int | None = None
) -> tuple[list[str], dict[str, dict[str, Record]], str]:
    """Each supplier's published share in each of `periods`, by the period's label: as
    `sheet`'s release gives it, or each as its latest release does; and a line saying
    which releases the figures come from, and why that matters."""
    labels = published_periods(ds, periods)
    figures: dict[str, dict[str, Record]] = {label: {} for label in labels}
    for r in shares(ds, sheet):
        if (label := str(r.get("period"))) in figures:
            figures[label][str(r["supplier"])] = r
    used = sorted({r["sheet"] for f in figures.values() for r in f.values() if "sheet" in r})
    missing = [label for label, found in figures.items() if not found]
    if sheet is not None and missing:
        # an empty column would read as no supplier having had a share
        there = sorted({str(r["period"]) for r in shares(ds, sheet)})
        raise UsageError(
            f"--sheet {sheet}: SIPRI's {sheet} release gives no shares for {', '.join(missing)}",
            f"the periods it gives: {', '.join(there)}; or leave --sheet out for each "
            "period's latest release",
        )
    if sheet is not None:
        said = f"All figures from SIPRI's {sheet} release."
    elif len(used) > 1:
        said = (
            f"The figures come from different releases ({', '.join(map(str, used))}), each "
            "period's latest: SIPRI revises past periods, so a change across releases holds "
            "revisions too (geobal query suppliers lists every revision; --sheet YEAR keeps "
            "to one release)."
        )
    else:
        said = f"All figures from SIPRI's {used[0]} release." if used else ""
    return labels, figures, said
