"""Military spending from an imported SIPRI Military Expenditure Database workbook
(`import --as sipri-milex`): a country's series of each measure, the largest spenders of
a year with their share of the world, and the change over a period.

Every figure is SIPRI's, exactly as stored, with its marks: an estimate (SIPRI's blue),
highly uncertain (red), unknown ('. .') or the country not independent ('xxx'). The
machine rows carry the exact value and each mark as a boolean; tables print the figure
as SIPRI does. Only shares of the world and changes are geobal's arithmetic.
"""

import math
import re
from collections.abc import Mapping, Sequence

from geobal.analysis.parties import resolve
from geobal.errors import UsageError
from geobal.fieldtypes import BOOLEAN, INTEGER, LIST, NUMBER, TEXT
from geobal.model import Dataset, Field, Record
from geobal.shapes import ESTIMATE, MILEX_CREDIT, UNCERTAIN, milex_kind
from geobal.views import Figure, Frame, Marked

IMPORT = (
    "download the workbook from https://www.sipri.org/databases/milex, then: "
    "geobal import FILE.xlsx --as sipri-milex"
)
# the measures as --measure names them, by the field each is stored in
MEASURES: dict[str, str] = {
    "constant": "constant_usd",
    "current": "current_usd",
    "gdp": "gdp_share",
    "per-capita": "per_capita",
    "government": "government_share",
    "local": "local_calendar",
    "local-fy": "local_financial",
}
SHARES = ("gdp_share", "government_share")  # fractions, shown as per cent
MONEY = ("constant_usd", "current_usd", "local_calendar", "local_financial")
UNKNOWN, GONE = "unknown", "not independent"  # a missing figure's status
MARK = {ESTIMATE: "e", UNCERTAIN: "u"}  # after a figure in a table
STYLE = {ESTIMATE: "blue", UNCERTAIN: "red"}
LEGEND = "e: SIPRI's estimate; u: highly uncertain; . .: unknown; xxx: not independent then"
CREDIT_FIELD = Field("credit", TEXT, "Credit", "Where the figures come from.")
SOURCES_FIELD = Field("sources", LIST, "Sources", "The source entries the records cite.")
_BASE = re.compile(r"of (\d{4})$")


class Milex:
    """An imported milex dataset as the figures read it: its countries' records by
    country and year, the world's totals, the notes by id."""

    def __init__(self, ds: Dataset, notes: Mapping[str, tuple[str, str]]) -> None:
        self.dataset = ds
        self.notes = notes  # id -> (mark, text)
        self.records: dict[tuple[str, int], Record] = {}
        self.totals: dict[tuple[str, int], Record] = {}
        for r in ds.records:
            country, year = r.get("country"), r.get("year")
            if isinstance(country, str) and isinstance(year, int):
                (self.totals if r.get("total") else self.records)[(country, year)] = r
        self.countries = list(dict.fromkeys(c for c, _ in self.records))
        years = [y for _, y in self.records]
        covers = ds.covers or ((min(years), max(years)) if years else None)
        if covers is None:
            raise UsageError(f"{ds.name!r} holds no country's figures", IMPORT)
        self.covers: tuple[int, int] = covers
        self.sources = sorted(
            {str(s) for r in ds.records if isinstance(r.get("sources"), list) for s in r["sources"]}  # type: ignore[union-attr]
        )

    def base_year(self) -> str:
        """The year of the constant dollars, as the field's description says it."""
        found = _BASE.search(self.dataset.field_map["constant_usd"].description)
        return found.group(1) if found else "the base year"

    def country(self, text: str) -> str:
        # spending has no --count-by: the hint names the query that lists them
        listing = f"geobal query {self.dataset.name} --where 'total!=true' --count-by country"
        return resolve("country", text, self.countries, listing)


def milex_of(ds: Dataset, notes: Dataset | None) -> Milex:
    """`ds` read as an imported milex dataset; a usage error for any other."""
    if milex_kind(ds) != "milex":
        raise UsageError(
            f"{ds.name!r} is not SIPRI's military expenditure as geobal imports it", IMPORT
        )
    by_id: dict[str, tuple[str, str]] = {}
    if notes is not None:
        if milex_kind(notes) != "milex-notes":
            raise UsageError(f"{notes.name!r} is not the notes of a milex import", IMPORT)
        for n in notes.records:
            by_id[str(n.get("id"))] = (str(n.get("mark")), str(n.get("text")))
    return Milex(ds, by_id)


def unit(m: Milex, field: str) -> str:
    """A measure's column title, with its unit (the base year of constant dollars)."""
    return {
        "constant_usd": f"US$ m. (constant {m.base_year()})",
        "current_usd": "US$ m. (current)",
        "gdp_share": "Share of GDP",
        "per_capita": "Per capita US$",
        "government_share": "Share of govt. spending",
        "local_calendar": "Local currency",
        "local_financial": "Local currency (FY)",
    }[field]


def figure(record: Record | None, field: str) -> Record:
    """The stored figure of `field` with its marks, and the status of a missing one."""
    r = record or {}
    value = r.get(field)
    status = None
    if value is None:
        if field in (r.get("unknown") or []):  # type: ignore[operator]
            status = UNKNOWN
        elif field in (r.get("not_independent") or []):  # type: ignore[operator]
            status = GONE
    # absent keys are null in every machine format (Result.to_records)
    found: Record = {
        field + ESTIMATE: r.get(field + ESTIMATE) is True,
        field + UNCERTAIN: r.get(field + UNCERTAIN) is True,
    }
    if value is not None:
        found[field] = value
    if status is not None:
        found[field + "_status"] = status
    return found


def printed(field: str, row: Record) -> tuple[str, str]:
    """A figure as SIPRI prints it, with its mark, and the mark's style."""
    value = row.get(field)
    if not isinstance(value, int | float):
        status = row.get(field + "_status")
        return (". ." if status == UNKNOWN else "xxx" if status == GONE else ""), ""
    if field in SHARES:
        text = f"{100 * value:,.2f}%"
    elif field == "per_capita":
        text = f"{value:,.1f}"
    else:
        text = f"{value:,.1f}"
    for mark in (ESTIMATE, UNCERTAIN):
        if row.get(field + mark):
            return f"{text} {MARK[mark]}", STYLE[mark]
    return text, ""


def measure_fields(m: Milex, field: str) -> tuple[Field, ...]:
    title = unit(m, field)
    return (
        Field(field, NUMBER, title, m.dataset.field_map[field].description),
        Field(field + ESTIMATE, BOOLEAN, f"{title} estimated", "SIPRI's estimate (blue)."),
        Field(field + UNCERTAIN, BOOLEAN, f"{title} uncertain", "Highly uncertain (red)."),
        Field(
            field + "_status",
            TEXT,
            f"{title} status",
            "Where there is no figure: unknown ('. .'), not independent ('xxx'), or "
            "null where the workbook has no column for the year.",
        ),
    )


def _notes(m: Milex, country: str, first: int, last: int) -> list[str]:
    ids: dict[str, None] = {}
    for year in range(first, last + 1):
        for n in m.records.get((country, year), {}).get("notes") or []:  # type: ignore[union-attr]
            ids[str(n)] = None
    return [f"{m.notes[i][0]} {m.notes[i][1]}" if i in m.notes else i for i in ids]


def _cited(record: Record | None) -> list[object]:
    cited = (record or {}).get("sources")
    return list(cited) if isinstance(cited, list) else []


def first_year(m: Milex, country: str, field: str) -> int | None:
    years = [y for (c, y), r in m.records.items() if c == country and r.get(field) is not None]
    return min(years) if years else None


def series(
    m: Milex, countries: Sequence[str], fields: Sequence[str], first: int, last: int
) -> Marked:
    """Each country's figures of each measure, year by year, first-last."""
    rows: list[Record] = []
    for country in countries:
        notes = _notes(m, country, first, last)
        for year in range(first, last + 1):
            record = m.records.get((country, year))
            row: Record = {"country": country, "year": year}
            for field in fields:
                row.update(figure(record, field))
            row["notes"] = notes
            row["credit"] = MILEX_CREDIT
            row["sources"] = [str(x) for x in _cited(record)]
            rows.append(row)
    columns = (
        Field("country", TEXT, "Country", "The country as SIPRI's workbook names it."),
        Field("year", INTEGER, "Year"),
        *(f for field in fields for f in measure_fields(m, field)),
        Field("notes", LIST, "Notes", "SIPRI's notes on the country's figures."),
        CREDIT_FIELD,
        SOURCES_FIELD,
    )
    named = ", ".join(countries)
    what = ", ".join(unit(m, f) for f in fields)
    title = f"Military spending of {named}, {first}-{last}: {what}"
    said = [
        f"{c}: {n}" if len(countries) > 1 else n
        for c in countries
        for n in _notes(m, c, first, last)
    ]
    caption = "\n".join([LEGEND, *said, f"Source: {MILEX_CREDIT}"])
    figure_of = Figure(
        "year",
        fields[0],
        color="country",
        mark="line",
        y_title=unit(m, fields[0]),
        notes=(f"Source: {MILEX_CREDIT}",),
        caption="",
    )
    frame = Frame(title, columns, rows, ("year", "years"), (), caption, figure_of)
    shown_columns = [
        *([Field("country", TEXT, "Country")] if len(countries) > 1 else []),
        Field("year", INTEGER, "Year"),
        *(Field(f, TEXT, unit(m, f)) for f in fields),
    ]
    shown_rows: list[Record] = []
    styles: list[dict[str, str]] = []
    for row in rows:
        cells: Record = {"country": row["country"], "year": row["year"]}
        style: dict[str, str] = {}
        for f in fields:
            cells[f], style[f] = printed(f, row)
        shown_rows.append(cells)
        styles.append(style)
    shown = Frame(title, tuple(shown_columns), shown_rows, frame.noun, (), caption)
    return Marked(frame, shown, styles)


def world(m: Milex, year: int, field: str) -> float:
    """The world's total of `year` in US$ m., for a share of it; refused where SIPRI
    gives none (its current-dollar total is of the last year only)."""
    total = "total_constant_usd_bn" if field == "constant_usd" else "total_current_usd_bn"
    value = m.totals.get(("World", year), {}).get(total)
    if not isinstance(value, int | float) or not value:
        why = (
            "SIPRI gives the world's total in current dollars for its last year only"
            if field == "current_usd"
            else "the workbook has no World total for that year"
        )
        raise UsageError(
            f"no world total of {year} for a share of the world: {why}",
            "use --measure constant, or --year of the last year",
        )
    return float(value) * 1000


def last_world_year(m: Milex) -> int:
    years = [y for (c, y), r in m.totals.items() if c == "World" and r.get("total_constant_usd_bn")]
    if not years:
        raise UsageError(f"{m.dataset.name!r} has no World totals", IMPORT)
    return max(years)


def top(m: Milex, year: int, field: str, n: int) -> Marked:
    """The `n` largest spenders of `year` by `field`; for US$ measures their share of the
    world's total, which SIPRI's World row gives."""
    whole = world(m, year, field) if field in ("constant_usd", "current_usd") else None
    ranked = [
        (c, r)
        for (c, y), r in m.records.items()
        if y == year and isinstance(r.get(field), int | float)
    ]
    ranked.sort(key=lambda cr: (-float(cr[1][field]), cr[0]))  # type: ignore[arg-type]
    rows: list[Record] = []
    for rank, (country, record) in enumerate(ranked[:n], 1):
        row: Record = {"rank": rank, "country": country, "year": year, **figure(record, field)}
        if whole is not None:
            row["world_share"] = 100 * float(record[field]) / whole  # type: ignore[arg-type]
        row["credit"] = MILEX_CREDIT
        row["sources"] = [str(x) for x in _cited(record)]
        rows.append(row)
    share = (
        (
            Field(
                "world_share",
                NUMBER,
                "Share of world %",
                "Of SIPRI's World total, in per cent; geobal's arithmetic.",
            ),
        )
        if whole is not None
        else ()
    )
    columns = (
        Field("rank", INTEGER, "Rank"),
        Field("country", TEXT, "Country"),
        Field("year", INTEGER, "Year"),
        *measure_fields(m, field),
        *share,
        CREDIT_FIELD,
        SOURCES_FIELD,
    )
    title = f"The {n} largest military spenders of {year}, by {unit(m, field)}"
    caption = f"{LEGEND}\nSource: {MILEX_CREDIT}"
    fig = Figure(
        "country", field, y_title=unit(m, field), notes=(f"Source: {MILEX_CREDIT}",), caption=""
    )
    frame = Frame(title, columns, rows, ("country", "countries"), (), caption, fig)
    shown_rows, styles = [], []
    for row in rows:
        text, style = printed(field, row)
        cells: Record = {"rank": row["rank"], "country": row["country"], field: text}
        if whole is not None:
            cells["world_share"] = f"{row['world_share']:.1f}%"
        shown_rows.append(cells)
        styles.append({field: style})
    shown = Frame(
        title,
        (
            Field("rank", INTEGER, "Rank"),
            Field("country", TEXT, "Country"),
            Field(field, TEXT, unit(m, field)),
            *((Field("world_share", TEXT, "Share of world"),) if whole is not None else ()),
        ),
        shown_rows,
        frame.noun,
        (),
        caption,
    )
    return Marked(frame, shown, styles)


def change(
    m: Milex, countries: Sequence[str], fields: Sequence[str], first: int, last: int
) -> Marked:
    """Each country's figure of each measure in `first` and `last`, and the change: per
    cent for money, percentage points for shares; refused from an unknown or zero figure."""
    rows: list[Record] = []
    shown_rows: list[Record] = []
    styles: list[dict[str, str]] = []
    for country in countries:
        for field in fields:
            a = figure(m.records.get((country, first)), field)
            b = figure(m.records.get((country, last)), field)
            before, after = a.get(field), b.get(field)
            for value, year, said in ((before, first, a), (after, last, b)):
                if not isinstance(value, int | float):
                    status = said.get(field + "_status") or "not in the workbook"
                    raise UsageError(
                        f"no change of {country}'s {unit(m, field)} {first}-{last}: "
                        f"its {year} figure is {status}",
                        "choose --from and --to of years with figures",
                    )
            assert isinstance(before, int | float) and isinstance(after, int | float)
            points = field in SHARES
            if not points and before == 0:
                raise UsageError(
                    f"no per cent change of {country}'s {unit(m, field)} from {first}: it is 0",
                    "choose another --from",
                )
            delta = 100 * (after - before) if points else 100 * (after - before) / before
            if not math.isfinite(delta):
                # two finite figures far enough apart (1e308 after 1) overflow a float
                raise UsageError(
                    f"no change of {country}'s {unit(m, field)} {first}-{last}: "
                    f"from {before!r} to {after!r} it is too large to compute",
                    "check the two figures in the workbook",
                )
            row: Record = {
                "country": country,
                "measure": field,
                "from": first,
                "to": last,
                "first": before,
                "last": after,
                "change": delta,
                "change_unit": "points" if points else "%",
                "first_estimate": a[field + ESTIMATE],
                "first_uncertain": a[field + UNCERTAIN],
                "last_estimate": b[field + ESTIMATE],
                "last_uncertain": b[field + UNCERTAIN],
                "credit": MILEX_CREDIT,
            }
            rows.append(row)
            t1, s1 = printed(field, a)
            t2, s2 = printed(field, b)
            shown_rows.append(
                {
                    "country": country,
                    "measure": unit(m, field),
                    "first": t1,
                    "last": t2,
                    "change": f"{delta:+.2f} points" if points else f"{delta:+.1f}%",
                }
            )
            styles.append({"first": s1, "last": s2})
    columns = (
        Field("country", TEXT, "Country"),
        Field("measure", TEXT, "Measure", "The field of the figures."),
        Field("from", INTEGER, "From"),
        Field("to", INTEGER, "To"),
        Field("first", NUMBER, "First", "The figure of the first year, as stored."),
        Field("last", NUMBER, "Last", "The figure of the last year, as stored."),
        Field("change", NUMBER, "Change", "Per cent for money, percentage points for shares."),
        Field("change_unit", TEXT, "Unit of change"),
        Field("first_estimate", BOOLEAN, "First estimated"),
        Field("first_uncertain", BOOLEAN, "First uncertain"),
        Field("last_estimate", BOOLEAN, "Last estimated"),
        Field("last_uncertain", BOOLEAN, "Last uncertain"),
        CREDIT_FIELD,
    )
    title = f"Change in military spending, {first} to {last}"
    caption = f"{LEGEND}\nSource: {MILEX_CREDIT}; the changes are geobal's arithmetic"
    frame = Frame(title, columns, rows, ("change", "changes"), (), caption)
    shown = Frame(
        title,
        (
            Field("country", TEXT, "Country"),
            Field("measure", TEXT, "Measure"),
            Field("first", TEXT, str(first)),
            Field("last", TEXT, str(last)),
            Field("change", TEXT, "Change"),
        ),
        shown_rows,
        frame.noun,
        (),
        caption,
    )
    return Marked(frame, shown, styles)
