"""The one-screen brief on India's balancing, every line with its source ids: the
article's takeaways, its top risks, the latest supplier shares and Russia's trend, the
deals in progress and the latest events."""

from collections.abc import Callable, Iterable, Sequence

from geobal.analysis import Needs, number, ordinal, percent, require
from geobal.analysis.concentration import by_period
from geobal.analysis.published import IMPORTS, SUPPLIERS, latest
from geobal.fieldtypes import LIST, TEXT
from geobal.model import Brief, Dataset, Field, Frame, Record
from geobal.schema import SOURCES, cited

# What the brief reads, dataset by dataset: checked when the datasets are loaded.
NEEDS: dict[str, Needs] = {
    "takeaways": {"statement": ("text",)},
    "risks": {"priority": ("text",), "impact": ("level",), "advice": ("text",)},
    "suppliers": SUPPLIERS,
    "imports": {**IMPORTS, "world_share_alt": ("number", "integer")},
    "deals": {
        "partner": ("choice",),
        "status": ("choice", "level"),
        "systems": ("list",),
        "status_date": ("date",),
        "year": ("integer",),
    },
    "events": {"date": ("date",), "title": ("text",)},
}
COLUMNS = (
    Field("section", TEXT, "Section"),
    Field("text", TEXT, "Text"),
    Field(SOURCES, LIST, "Sources", ref=SOURCES),
)
IN_PROGRESS = ("negotiating", "signed", "delivering")


def brief(load: Callable[[str], Dataset], deals: int = 4, events: int = 4) -> Brief:
    """The brief from the datasets `load` gives by name."""
    data = {name: require(load(name), needs, "the brief") for name, needs in NEEDS.items()}
    rows: list[Record] = []

    def add(section: str, text: str, *sources: Iterable[str]) -> None:
        ids = list(dict.fromkeys(s for group in sources for s in group))
        rows.append({"section": section, "text": text, SOURCES: ids})

    for r in data["takeaways"].records:
        if "statement" in r:
            add("The article's takeaways", str(r["statement"]), cited(r))
    _risks(data["risks"], add)
    _suppliers(data["suppliers"], data["imports"], add)
    _deals(data["deals"], deals, add)
    dated = sorted((r for r in data["events"].records if "date" in r), key=lambda r: str(r["date"]))
    for r in reversed(dated[-events:]):
        add("Latest events", f"{r['date']}: {r.get('title', '')}", cited(r))
    return Brief(Frame("Where India's balancing stands", COLUMNS, rows, ("line", "lines")))


Add = Callable[..., None]


def _risks(risks: Dataset, add: Add) -> None:
    impact = risks.field_map["impact"]
    rated = [r for r in risks.records if str(r.get("impact")) in impact.rank]
    top = max((impact.rank[str(r["impact"])] for r in rated), default=0)
    for r in rated:
        if impact.rank[str(r["impact"])] == top:
            level = impact.labels[str(r["impact"])].lower()
            add("Top risks", f"{r.get('priority')} ({level} impact): {r.get('advice')}", cited(r))


def _suppliers(suppliers: Dataset, imports: Dataset, add: Add) -> None:
    period, supplier = suppliers.field_map["period"], suppliers.field_map["supplier"]
    shares = [r for r in latest(suppliers.records, ("period", "supplier"), "sheet") if "share" in r]
    periods = by_period(shares, period)
    if not periods:
        return
    name, members = list(periods.items())[-1]
    members.sort(key=lambda r: -(number(r.get("share")) or 0))
    listed = ", ".join(
        f"{supplier.labels.get(str(r['supplier']), r['supplier'])} {percent(r.get('share'))}"
        for r in members
    )
    add("Suppliers", f"{name}: {listed}", *(cited(r) for r in members))
    russian = [r for ms in periods.values() for r in ms if r["supplier"] == "russia"]
    text, used = _series("Russia", russian)
    add("Suppliers", text, *(cited(r) for r in used))
    india = latest(imports.records, ("period",), "sheet")
    for r in (r for r in india if r.get("period") == name and "world_share" in r):
        text = f"India in {name}: {percent(r['world_share'])} of world imports"
        if "world_share_alt" in r:
            text += f" ({percent(r['world_share_alt'])} in another source)"
        if isinstance(rank := r.get("world_rank"), int):
            text += f", {ordinal(rank)} importer"
        add("Suppliers", text, cited(r))


def _deals(ds: Dataset, count: int, add: Add) -> None:
    status, partner = ds.field_map["status"], ds.field_map["partner"]
    going = [r for r in ds.records if r.get("status") in IN_PROGRESS]
    going.sort(key=lambda r: str(r.get("status_date") or r.get("year") or ""), reverse=True)
    for r in going[:count]:
        who = partner.labels.get(str(r.get("partner")), str(r.get("partner")))
        systems = r.get("systems")
        name = str(systems[0]) if isinstance(systems, list) and systems else str(r[ds.key])
        when = f" as of {r['status_date']}" if "status_date" in r else ""
        state = status.labels[str(r["status"])].lower()
        add("Deals in progress", f"{name} ({who}, {r[ds.key]}): {state}{when}", cited(r))


def _series(label: str, rows: Sequence[Record]) -> tuple[str, list[Record]]:
    """A supplier's share across periods (rows in period order): first, lowest and last,
    with the rows those figures come from."""
    points = [(r, n) for r in rows if (n := number(r.get("share"))) is not None]
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
