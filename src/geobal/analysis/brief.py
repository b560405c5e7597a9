"""The one-screen brief on India's balancing, every line with its source ids: the
article's takeaways, its top risks, the latest supplier shares and Russia's trend, the
deals in progress and the latest events."""

from collections.abc import Callable, Iterable, Sequence

from geobal.analysis import Needs, number, ordinal, percent, require
from geobal.analysis.concentration import by_period
from geobal.analysis.published import IMPORTS, SUPPLIERS, latest
from geobal.fieldtypes import DATE_RE, LIST, TEXT
from geobal.model import Dataset, Field, Record
from geobal.schema import SOURCES, cited
from geobal.views import Brief, Frame

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
    Field("as_of", TEXT, "As of", "The date the facts of the line's dataset run to, or undated."),
)
IN_PROGRESS = ("approved", "negotiating", "signed", "delivering")


def brief(load: Callable[[str], Dataset], deals: int = 4, events: int = 4) -> Brief:
    """The brief from the datasets `load` gives by name."""
    data = {name: require(load(name), needs, "the brief") for name, needs in NEEDS.items()}
    rows: list[Record] = []

    def adder(ds: Dataset) -> "Add":
        def add(section: str, text: str, *sources: Iterable[str]) -> None:
            ids = list(dict.fromkeys(s for group in sources for s in group))
            row: Record = {"section": section, "text": text, SOURCES: ids}
            if ds.as_of:
                row["as_of"] = ds.as_of
            rows.append(row)

        return add

    add = adder(data["takeaways"])
    for r in data["takeaways"].records:
        if "statement" in r:
            add("The article's takeaways", str(r["statement"]), cited(r))
    _risks(data["risks"], adder(data["risks"]))
    _suppliers(data["suppliers"], data["imports"], adder(data["suppliers"]), adder(data["imports"]))
    _deals(data["deals"], deals, adder(data["deals"]))
    add = adder(data["events"])
    dated = sorted((r for r in data["events"].records if "date" in r), key=lambda r: str(r["date"]))
    for r in reversed(dated[-events:]):
        add("Latest events", f"{r['date']}: {r.get('title', '')}", cited(r))
    title = "Where India's balancing stands"
    if when := as_of(data.values()):
        title += f", as of {when}"
    return Brief(Frame(title, COLUMNS, rows, ("line", "lines")))


def as_of(datasets: Iterable[Dataset]) -> str | None:
    """The date all these datasets' facts run to: the earliest of their dates (a
    dataset of undated sources, such as the article, has none)."""
    dates = [ds.as_of for ds in datasets if ds.as_of and DATE_RE.fullmatch(ds.as_of)]
    return min(dates, default=None)


Add = Callable[..., None]


def _risks(risks: Dataset, add: Add) -> None:
    impact = risks.field_map["impact"]
    rated = [r for r in risks.records if str(r.get("impact")) in impact.rank]
    top = max((impact.rank[str(r["impact"])] for r in rated), default=0)
    for r in rated:
        if impact.rank[str(r["impact"])] == top:
            level = impact.labels[str(r["impact"])].lower()
            add("Top risks", f"{r.get('priority')} ({level} impact): {r.get('advice')}", cited(r))


def _suppliers(suppliers: Dataset, imports: Dataset, add: Add, add_import: Add) -> None:
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
    russian = [r for r in suppliers.records if r["supplier"] == "russia" and "share" in r]
    text, used = _series("Russia", russian, period)
    add("Suppliers", text, *(cited(r) for r in used))
    india = latest(imports.records, ("period",), "sheet")
    for r in (r for r in india if r.get("period") == name and "world_share" in r):
        text = f"India in {name}: {percent(r['world_share'])} of world imports"
        if "world_share_alt" in r:
            text += f" ({percent(r['world_share_alt'])} in another source)"
        if isinstance(rank := r.get("world_rank"), int):
            text += f", {ordinal(rank)} importer"
        add_import("Suppliers", text, cited(r))


def _deals(ds: Dataset, count: int, add: Add) -> None:
    status, partner = ds.field_map["status"], ds.field_map["partner"]
    going = [r for r in ds.records if r.get("status") in IN_PROGRESS]
    going.sort(key=lambda r: str(r.get("status_date") or r.get("year") or ""), reverse=True)
    for r in going[:count]:
        who = partner.labels.get(str(r.get("partner")), str(r.get("partner")))
        systems = r.get("systems")
        name = str(systems[0]) if isinstance(systems, list) and systems else str(r[ds.key])
        # an old status is not wrong, but its reader must know how old it is
        when = f" as of {r['status_date']}" if "status_date" in r else ", undated"
        state = status.labels[str(r["status"])].lower()
        add("Deals in progress", f"{name} ({who}, {r[ds.key]}): {state}{when}", cited(r))


def _series(label: str, rows: Sequence[Record], period: Field) -> tuple[str, list[Record]]:
    """A supplier's share over time as SIPRI compares it: windows that do not overlap
    (each five years before the next), all from one release, the latest that has its
    latest window; with the rows those figures come from. Windows from different
    releases, or overlapping ones, would read as a trend that the data do not show."""
    release = max((r["sheet"] for r in rows if isinstance(r.get("sheet"), int)), default=None)
    if release is None:
        return f"{label}: no shares found", []
    mine = {str(r["period"]): r for r in rows if r.get("sheet") == release}
    windows = sorted(mine, key=lambda p: period.rank.get(p, -1))
    used = [mine[windows[-1]]]
    start = _start(windows[-1])
    while start is not None and (earlier := _window(start - 5, mine)) is not None:
        used.insert(0, mine[earlier])
        start -= 5
    parts = ", ".join(f"{percent(r['share'])} in {r['period']}" for r in used)
    return f"{label}'s share of India's imports, SIPRI's {release} release: {parts}", used


def _start(window: str) -> int | None:
    """The first year of a SIPRI window written "2016-20"."""
    head = window.split("-")[0]
    return int(head) if head.isdigit() else None


def _window(start: int, known: Iterable[str]) -> str | None:
    """The window of `known` that begins in `start`."""
    return next((w for w in known if _start(w) == start), None)
