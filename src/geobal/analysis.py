"""Analytics over supplier shares: the latest published figures, and how concentrated a
buyer's suppliers are. Pure functions; no I/O, no Rich.

Concentration is the Herfindahl-Hirschman index (HHI) on the 0-10,000 scale: the sum of
the squared percentage shares. Sources rarely give every supplier's share, so geobal
never guesses the missing ones. With known shares s_i and an unknown remainder
R = 100 - sum(s_i), the index lies between two bounds:

- low  = sum(s_i^2): the remainder spread over many tiny suppliers adds almost nothing;
- high = sum(s_i^2) + R^2: the remainder held by a single supplier.

A trend between two periods is stated only where the bounds do not overlap.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from geobal.model import Bar, BarGroup, Choice, Dataset, Field, FieldType, Frame, Record
from geobal.schema import cited, slug


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


class Concentration(NamedTuple):
    shares: dict[str, float]  # the known shares, in per cent, largest first
    known: float  # their sum
    unknown: float  # 100 - known, never below 0
    hhi_low: float
    hhi_high: float
    top: str | None  # the supplier with the largest known share
    top_share: float | None
    top_is_certain: bool  # no unknown supplier could be larger


def concentration(shares: Mapping[str, float]) -> Concentration:
    ordered = dict(sorted(shares.items(), key=lambda kv: -kv[1]))
    known = round(sum(ordered.values()), 6)
    unknown = round(max(0.0, 100.0 - known), 6)
    low = round(sum(s * s for s in ordered.values()), 6)
    top = next(iter(ordered), None)
    top_share = ordered[top] if top is not None else None
    return Concentration(
        ordered,
        known,
        unknown,
        low,
        round(low + unknown * unknown, 6),
        top,
        top_share,
        top_share is not None and top_share >= unknown,
    )


def trend(before: Concentration | None, after: Concentration) -> str:
    """Whether concentration rose or fell, stated only when the bounds allow it."""
    if before is None:
        return ""
    if after.hhi_high < before.hhi_low:
        return "falling"
    if after.hhi_low > before.hhi_high:
        return "rising"
    if (after.hhi_low, after.hhi_high) == (before.hhi_low, before.hhi_high):
        return "unchanged"
    return "unclear"


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _clean(value: float) -> int | float:
    """A computed figure as JSON should carry it: 5825, not 5825.0."""
    return int(value) if float(value).is_integer() else value


def by_period(rows: Iterable[Record], period: Field) -> dict[str, list[Record]]:
    """Rows grouped by period, periods in the order of the period field's scale."""
    groups: dict[str, list[Record]] = {}
    for row in rows:
        groups.setdefault(str(row["period"]), []).append(row)
    return dict(sorted(groups.items(), key=lambda kv: period.rank.get(kv[0], len(period.rank))))


def supplier_bars(
    rows: Iterable[Record], period: Field, supplier: Field, imports: Mapping[str, Record]
) -> list[BarGroup]:
    """One group of bars per period: each supplier's share, largest first, with its rank
    where stated; the group's subtitle gives India's place among importers."""
    groups = []
    for name, members in by_period(rows, period).items():
        members = sorted(
            members, key=lambda r: (-(_number(r.get("share")) or -1), _number(r.get("rank")) or 99)
        )
        bars = []
        for row in members:
            rank = row.get("rank")
            note = f"{ordinal(rank)} supplier" if isinstance(rank, int) else ""
            bars.append(
                Bar(
                    supplier.labels.get(str(row["supplier"]), str(row["supplier"])),
                    _number(row.get("share")),
                    note,
                )
            )
        sheets = sorted({str(r["sheet"]) for r in members})
        subtitle = f"published {', '.join(sheets)}"
        india = imports.get(name)
        if india is not None:
            facts = []
            if (share := _number(india.get("world_share"))) is not None:
                facts.append(f"{share:g}% of world imports")
            if isinstance(rank := india.get("world_rank"), int):
                facts.append(f"{ordinal(rank)} importer")
            if facts:
                subtitle += f"; India {', '.join(facts)}"
        groups.append(BarGroup(name, subtitle, bars))
    return groups


def _key(code: str) -> str:
    return "share_" + slug(code).replace("-", "_")


def balance_columns(period: Field, supplier: Field) -> tuple[Field, ...]:
    shares = tuple(
        Field(_key(c.value), FieldType.NUMBER, f"{c.label} %", f"{c.label}'s share, in per cent.")
        for c in supplier.choices
    )
    return (
        period.renamed("period", "Period"),
        Field("sheets", FieldType.LIST, "Published", "The releases the shares come from."),
        *shares,
        Field("known", FieldType.NUMBER, "Known %", "The sum of the known shares."),
        Field("unknown", FieldType.NUMBER, "Unknown %", "100 minus the known shares."),
        Field(
            "hhi_low",
            FieldType.NUMBER,
            "HHI from",
            "The index with the unknown share "
            "spread over many small suppliers: the sum of the squared known shares.",
        ),
        Field(
            "hhi_high",
            FieldType.NUMBER,
            "HHI to",
            "The index with the unknown share held "
            "by one supplier: hhi_low plus the unknown share squared.",
        ),
        Field("top", FieldType.TEXT, "Top supplier"),
        Field("top_share", FieldType.NUMBER, "Top %"),
        Field(
            "top_certain",
            FieldType.TEXT,
            "Top for certain",
            "yes when no unknown supplier could hold a larger share.",
        ),
        Field(
            "trend",
            FieldType.TEXT,
            "Trend",
            "Concentration against the previous period: "
            "falling or rising where the bounds do not overlap, else unclear.",
        ),
    )


def balance(rows: Iterable[Record], period: Field, supplier: Field) -> list[Record]:
    """Concentration per period, with the formula's inputs (each known share)."""
    out: list[Record] = []
    before: Concentration | None = None
    for name, members in by_period(rows, period).items():
        shares = {
            str(r["supplier"]): s for r in members if (s := _number(r.get("share"))) is not None
        }
        c = concentration(shares)
        row: Record = {
            "period": name,
            "sheets": sorted({str(r["sheet"]) for r in members}),
            "known": _clean(round(c.known, 2)),
            "unknown": _clean(round(c.unknown, 2)),
            "hhi_low": _clean(round(c.hhi_low, 1)),
            "hhi_high": _clean(round(c.hhi_high, 1)),
            "top_certain": "yes" if c.top_is_certain else "no",
        }
        for code, share in shares.items():
            row[_key(code)] = _clean(round(share, 2))
        if c.top is not None and c.top_share is not None:
            row["top"] = supplier.labels.get(c.top, c.top)
            row["top_share"] = _clean(round(c.top_share, 2))
        if t := trend(before, c):
            row["trend"] = t
        out.append(row)
        before = c
    return out


BRIEF_COLUMNS = (
    Field("section", FieldType.TEXT, "Section"),
    Field("text", FieldType.TEXT, "Text"),
    Field("sources", FieldType.LIST, "Sources", ref="sources"),
)
IN_PROGRESS = ("negotiating", "signed", "delivering")


def brief(datasets: Mapping[str, Dataset], deals: int = 4, events: int = 4) -> Frame:
    """Where the balancing stands, one line an item, every line with its source ids:
    the article's takeaways, its top risks, the latest supplier shares and their trend,
    the deals in progress and the latest events."""
    rows: list[Record] = []

    def add(section: str, text: str, *cited: Iterable[str]) -> None:
        ids = list(dict.fromkeys(s for group in cited for s in group))
        rows.append({"section": section, "text": text, "sources": ids})

    for r in datasets["takeaways"].records:
        add("The article's takeaways", str(r["statement"]), cited(r))

    risks = datasets["risks"]
    impact = risks.field_map["impact"]
    top = max((impact.rank[str(r["impact"])] for r in risks.records), default=0)
    for r in risks.records:
        if impact.rank[str(r["impact"])] == top:
            level = impact.labels[str(r["impact"])].lower()
            add("Top risks", f"{r['priority']} ({level} impact): {r['advice']}", cited(r))

    suppliers = datasets["suppliers"]
    period, supplier = suppliers.field_map["period"], suppliers.field_map["supplier"]
    shares = [r for r in latest(suppliers.records, ("period", "supplier"), "sheet") if "share" in r]
    periods = by_period(shares, period)
    if periods:
        name, members = list(periods.items())[-1]
        members.sort(key=lambda r: -(_number(r.get("share")) or 0))
        listed = ", ".join(
            f"{supplier.labels[str(r['supplier'])]} {_percent(r.get('share'))}" for r in members
        )
        add("Suppliers", f"{name}: {listed}", *(cited(r) for r in members))
        russian = [r for ms in periods.values() for r in ms if r["supplier"] == "russia"]
        text, used = _series("Russia", russian)
        add("Suppliers", text, *(cited(r) for r in used))
        india = latest(datasets["imports"].records, ("period",), "sheet")
        for r in (r for r in india if r["period"] == name and "world_share" in r):
            text = f"India in {name}: {_percent(r['world_share'])} of world imports"
            if "world_share_alt" in r:
                text += f" ({_percent(r['world_share_alt'])} in another source)"
            if isinstance(rank := r.get("world_rank"), int):
                text += f", {ordinal(rank)} importer"
            add("Suppliers", text, cited(r))

    ds = datasets["deals"]
    status = ds.field_map["status"]
    going = [r for r in ds.records if r["status"] in IN_PROGRESS]
    going.sort(key=lambda r: str(r.get("status_date") or r.get("year") or ""), reverse=True)
    for r in going[:deals]:
        partner = ds.field_map["partner"].labels[str(r["partner"])]
        systems = r.get("systems")
        name = str(systems[0]) if isinstance(systems, list) and systems else str(r["id"])
        when = f" as of {r['status_date']}" if "status_date" in r else ""
        state = status.labels[str(r["status"])].lower()
        add("Deals in progress", f"{name} ({partner}, {r['id']}): {state}{when}", cited(r))

    timeline = sorted(datasets["events"].records, key=lambda r: str(r["date"]))
    for r in reversed(timeline[-events:]):
        add("Latest events", f"{r['date']}: {r['title']}", cited(r))
    return Frame("Where India's balancing stands", BRIEF_COLUMNS, rows, ("line", "lines"))


def _percent(value: object) -> str:
    number = _number(value)
    return "?" if number is None else f"{number:g}%"


def _series(label: str, rows: Sequence[Record]) -> tuple[str, list[Record]]:
    """A supplier's share across periods (rows in period order): first, lowest and last,
    with the rows those figures come from."""
    points = [(r, n) for r in rows if (n := _number(r.get("share"))) is not None]
    if not points:
        return f"{label}: no shares found", []
    (first, start), (last, end) = points[0], points[-1]
    low = min(share for _, share in points)
    used = [first]
    parts = [f"{start:g}% in {first['period']}"]
    if low < start and low < end:
        lows = [r for r, share in points if share == low]
        parts.append(f"down to {low:g}% in {' and '.join(str(r['period']) for r in lows)}")
        used += lows
    parts.append(f"{end:g}% in {last['period']}")
    used.append(last)
    return f"{label}'s share of India's imports: " + ", then ".join(parts), used


def share_rows(
    totals: Mapping[str, float], key: str, published: Mapping[str, tuple[float, int]] | None = None
) -> list[Record]:
    """Each party's TIV and share of the total, ranked; with `published`, SIPRI's own
    share for the same period (and the release that gave it) beside the estimate."""
    whole = sum(totals.values())
    rows: list[Record] = []
    for rank, (name, tiv) in enumerate(sorted(totals.items(), key=lambda kv: -kv[1]), 1):
        share = round(100 * tiv / whole, 2) if whole else 0.0
        row: Record = {key: name, "tiv": round(tiv, 1), "share": _clean(share), "rank": rank}
        if published and name in published:
            value, sheet = published[name]
            row.update(
                {
                    "published": _clean(value),
                    "sheet": sheet,
                    "difference": _clean(round(share - value, 2)),
                }
            )
        rows.append(row)
    return rows


def published_shares(suppliers: Dataset, period: str) -> dict[str, tuple[float, int]]:
    """SIPRI's published share of each supplier (by label) in `period`, as its latest
    release gives it: the bundled suppliers dataset, which is India's."""
    field = suppliers.field_map["supplier"]
    found: dict[str, tuple[float, int]] = {}
    for r in latest(suppliers.records, ("period", "supplier"), "sheet"):
        share, sheet = _number(r.get("share")), r.get("sheet")
        if r["period"] == period and share is not None and isinstance(sheet, int):
            found[field.labels[str(r["supplier"])]] = (share, sheet)
    return found


def periods_field(labels: Sequence[str]) -> Field:
    """A level field whose scale is the given periods, oldest first."""
    return Field(
        "period", FieldType.LEVEL, "Period", choices=tuple(Choice(label, label) for label in labels)
    )


def parties_field(names: Sequence[str], title: str) -> Field:
    """A choice field for free-text names (a register's suppliers), code = name."""
    return Field(
        "supplier", FieldType.CHOICE, title, choices=tuple(Choice(name, name) for name in names)
    )
