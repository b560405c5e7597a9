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
from geobal.fieldtypes import BOOLEAN, FIGURE, INTEGER, LIST, NUMBER, TEXT
from geobal.model import Dataset, Field, Record, column, values_at
from geobal.schema import SOURCES
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
LOCAL = ("local_calendar", "local_financial")  # each country in its own currency
UNKNOWN, GONE = "unknown", "not independent"  # a missing figure's status
MARK = {ESTIMATE: "e", UNCERTAIN: "u"}  # after a figure in a table
STYLE = {ESTIMATE: "blue", UNCERTAIN: "red"}
LEGEND = "e: SIPRI estimate; u: highly uncertain; . .: unknown; xxx: not independent"
CREDIT_FIELD = Field("credit", TEXT, "Credit", "Where the figures come from.")
SOURCES_FIELD = Field("sources", LIST, "Sources", "The source entries the records cite.")
_BASE = re.compile(r"of (\d{4})$")


class Milex:
    """An imported milex dataset as the figures read it: where each country's and each
    total's record of a year is, the notes by id. Records are built only for the rows a
    figure reads, from the parse cache's columns where the dataset comes from it (its
    14,000 records whole would be most of a command's time)."""

    def __init__(self, ds: Dataset, notes: Mapping[str, tuple[str, str]]) -> None:
        self.dataset = ds
        self.notes = notes  # id -> (mark, text)
        records = ds.records
        self._at: dict[tuple[str, int], int] = {}
        self._totals_at: dict[tuple[str, int], int] = {}
        for i, (country, year, total) in enumerate(
            zip(
                column(records, "country"),
                column(records, "year"),
                column(records, "total"),
                strict=True,
            )
        ):
            if isinstance(country, str) and isinstance(year, int) and not isinstance(year, bool):
                (self._totals_at if total else self._at)[(country, year)] = i
        self._built: dict[int, Record] = {}
        self.countries = list(dict.fromkeys(c for c, _ in self._at))
        years = [y for _, y in self._at]
        covers = ds.covers or ((min(years), max(years)) if years else None)
        if covers is None:
            raise UsageError(f"{ds.name!r} holds no country's figures", IMPORT)
        self.covers: tuple[int, int] = covers

    @property
    def sources(self) -> list[str]:
        return sorted({str(s) for v in column(self.dataset.records, "sources") for s in _listed(v)})

    def fields_of(self, keys: Sequence[tuple[str, int]], names: Sequence[str]) -> list[Record]:
        """Only the fields `names` of these countries' records (empty for a key with
        none): a year's rows lie one in each country's run of records, across every
        chunk of the cache, so a figure of them all unpacks only the columns it reads."""
        positions = [self._at.get(k) for k in keys]
        wanted = [p for p in positions if p is not None]
        values = {n: iter(values_at(self.dataset.records, n, wanted)) for n in names}
        found: list[Record] = []
        for p in positions:
            row: Record = {}
            if p is not None:
                for n, v in values.items():
                    if (x := next(v)) is not None:
                        row[n] = x
            found.append(row)
        return found

    def fetch(self, keys: Sequence[tuple[str, int]], totals: bool = False) -> list[Record | None]:
        """The records of these (country, year) keys (of the totals' rows with
        `totals`), None for a key with none, each built once."""
        at = self._totals_at if totals else self._at
        positions = [at.get(k) for k in keys]
        wanted = sorted({p for p in positions if p is not None and p not in self._built})
        if wanted:
            names = [f.name for f in self.dataset.fields if not f.derived or f.name == SOURCES]
            values = {n: values_at(self.dataset.records, n, wanted) for n in names}
            for i, p in enumerate(wanted):
                self._built[p] = {n: x for n, v in values.items() if (x := v[i]) is not None}
        return [None if p is None else self._built[p] for p in positions]

    def get(self, key: tuple[str, int]) -> Record | None:
        return self.fetch([key])[0]

    def total(self, key: tuple[str, int]) -> Record:
        return self.fetch([key], totals=True)[0] or {}

    def years_of(self, country: str, totals: bool = False) -> list[int]:
        at = self._totals_at if totals else self._at
        return sorted(y for c, y in at if c == country)

    def of_year(self, year: int) -> list[str]:
        return [c for c, y in self._at if y == year]

    def base_year(self) -> str:
        return base_year(self.dataset) or "the base year"

    def country(self, text: str) -> str:
        listing = f"geobal query {self.dataset.name} --where 'total!=true' --count-by country"
        return resolve("country", text, self.countries, listing)


def base_year(ds: Dataset) -> str | None:
    """The year of a milex dataset's constant dollars, as its field's description says
    it (shapes.milex_fields writes it there)."""
    field = ds.field_map.get("constant_usd")
    found = _BASE.search(field.description) if field is not None else None
    return found.group(1) if found else None


def as_printed(field: str, value: float) -> str:
    """A figure as SIPRI's workbook prints it: shares (stored as fractions) in per cent
    to two decimals, local currency in whole units, US$ to one decimal."""
    if field in SHARES:
        return f"{100 * value:,.2f}%"
    if field in LOCAL:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


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
        if field in _listed(r.get("unknown")):
            status = UNKNOWN
        elif field in _listed(r.get("not_independent")):
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
    text = as_printed(field, value)
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
        cited = (m.get((country, year)) or {}).get("notes")
        for n in cited if isinstance(cited, list) else []:
            ids[str(n)] = None
    return [f"{m.notes[i][0]} {m.notes[i][1]}" if i in m.notes else i for i in ids]


def _cited(record: Record | None) -> list[object]:
    cited = (record or {}).get("sources")
    return list(cited) if isinstance(cited, list) else []


_FISCAL = (
    "The months of local_financial's years, as SIPRI's workbook gives them; null: "
    "January-December (SIPRI leaves it unstated)."
)


# what --top ranks by, in its title, where it is no sum of money
_RANKED_BY = {
    "gdp_share": "share of GDP spent on the military",
    "government_share": "share of government spending on the military",
    "per_capita": "military spending per person (US$)",
}


def _years(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def first_year(m: Milex, country: str, field: str) -> int | None:
    years = m.years_of(country)
    found = m.fetch([(country, y) for y in years])
    years = [y for y, r in zip(years, found, strict=True) if r is not None and field in r]
    return min(years) if years else None


def series(
    m: Milex, countries: Sequence[str], fields: Sequence[str], first: int, last: int
) -> Marked:
    """Each country's figures of each measure, year by year, first-last."""
    local = any(f in LOCAL for f in fields)
    rows: list[Record] = []
    for country in countries:
        notes = _notes(m, country, first, last)
        for year in range(first, last + 1):
            record = m.get((country, year))
            row: Record = {"country": country, "year": year}
            for field in fields:
                row.update(figure(record, field))
            # the unit of local figures, each country's own currency (absent: null)
            for key, wanted in (("currency", local), ("fiscal_year", "local_financial" in fields)):
                if wanted and (value := (record or {}).get(key)) is not None:
                    row[key] = value
            row["notes"] = notes
            row["credit"] = MILEX_CREDIT
            row["sources"] = [str(x) for x in _cited(record)]
            rows.append(row)
    columns = (
        Field("country", TEXT, "Country", "The country as SIPRI's workbook names it."),
        Field("year", INTEGER, "Year"),
        *(f for field in fields for f in measure_fields(m, field)),
        *(
            (Field("currency", TEXT, "Currency", "The unit of the local figures."),)
            if local
            else ()
        ),
        *(
            (Field("fiscal_year", TEXT, "Financial year", _FISCAL),)
            if "local_financial" in fields
            else ()
        ),
        Field("notes", LIST, "Notes", "SIPRI's notes on the country's figures."),
        CREDIT_FIELD,
        SOURCES_FIELD,
    )
    named = "; ".join(countries)  # "Korea, South" is one name
    what = ", ".join(unit(m, f) for f in fields)
    title = f"Military spending of {named}, {_years(first, last)}: {what}"
    # a numbered note names its country ("59 India: ..."); a special one (§) does not
    said = [
        f"{c}: {n}" if len(countries) > 1 and not n[:1].isdigit() else n
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
        *(Field(f, FIGURE, unit(m, f)) for f in fields),
        *((Field("currency", TEXT, "Currency"),) if local else ()),
        *((Field("fiscal_year", TEXT, "Financial year"),) if "local_financial" in fields else ()),
    ]
    shown_rows: list[Record] = []
    styles: list[dict[str, str]] = []
    for row in rows:
        cells: Record = {"country": row["country"], "year": row["year"]}
        style: dict[str, str] = {}
        for f in fields:
            cells[f], style[f] = printed(f, row)
        if local:
            cells["currency"] = str(row.get("currency") or "")
        if "local_financial" in fields:
            cells["fiscal_year"] = str(row.get("fiscal_year") or "Jan-Dec")
        shown_rows.append(cells)
        styles.append(style)
    # stacked as cards on a narrow screen, each headed by what its row is of
    head = "country" if len(countries) > 1 else "year"
    shown = Frame(title, tuple(shown_columns), shown_rows, frame.noun, (), caption, head=head)
    return Marked(frame, shown, styles)


def world(m: Milex, year: int, field: str) -> tuple[Record, str]:
    """SIPRI's World row of `year` with the total of `field`'s kind (US$ b.) in it, and
    the field holding it; or no row and why there is none: SIPRI's world totals begin
    in 1988, and its current-dollar one is of the last year only."""
    total = "total_constant_usd_bn" if field == "constant_usd" else "total_current_usd_bn"
    row = m.total(("World", year))
    value = row.get(total)
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return row, total
    if field == "current_usd":
        return (
            {},
            f"SIPRI gives the world's total in current US$ for its last year only, not {year}",
        )
    why = "unknown ('. .')" if total in _listed(row.get("unknown")) else "not in the workbook"
    return {}, f"SIPRI's world total of {year} is {why}"


def _listed(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def last_world_year(m: Milex) -> int:
    known = m.years_of("World", totals=True)
    rows = m.fetch([("World", y) for y in known], totals=True)
    years = [y for y, r in zip(known, rows, strict=True) if r and r.get("total_constant_usd_bn")]
    if not years:
        raise UsageError(f"{m.dataset.name!r} has no World totals", IMPORT)
    return max(years)


def top(m: Milex, year: int, field: str, n: int) -> Marked:
    """The `n` largest spenders of `year` by `field`; for US$ measures their share of the
    world's total, which SIPRI's World row gives (none where it gives none, and the
    caption says why). Local currencies are not ranked: they are not one unit."""
    if field in LOCAL:
        raise UsageError(
            "--top ranks countries by one unit: local currencies are each country's own",
            "rank by --measure constant, current, gdp, per-capita or government",
        )
    whole: float | None = None
    total: Record = {}
    no_share = ""
    if field in ("constant_usd", "current_usd"):
        total, held = world(m, year, field)
        if total:
            whole = float(str(total[held])) * 1000  # US$ b. to the countries' US$ m.
            world_uncertain = total.get(held + UNCERTAIN) is True
        else:
            no_share = f"No share of the world: {held}."
    named = m.of_year(year)
    values = m.fields_of([(c, year) for c in named], [field])
    ranked = [
        (c, float(v))
        for c, r in zip(named, values, strict=True)
        if isinstance(v := r.get(field), int | float) and not isinstance(v, bool)
    ]
    ranked.sort(key=lambda cv: (-cv[1], cv[0]))
    rows: list[Record] = []
    # what a row shows of each: its figure, marks and status, and what it cites
    read = [field, field + ESTIMATE, field + UNCERTAIN, "unknown", "not_independent", SOURCES]
    records = m.fields_of([(c, year) for c, _ in ranked[:n]], read)
    for rank, ((country, value), record) in enumerate(zip(ranked[:n], records, strict=True), 1):
        row: Record = {"rank": rank, "country": country, "year": year, **figure(record, field)}
        if whole is not None:
            row["world_share"] = value / whole
            row["world_uncertain"] = world_uncertain
        row["credit"] = MILEX_CREDIT
        row["sources"] = [str(x) for x in _cited(record)]
        rows.append(row)
    share = (
        (
            Field(
                "world_share",
                NUMBER,
                "Share of world",
                "Of SIPRI's World total, as a fraction (0.362 is 36.2%), like the "
                "workbook's shares; geobal's arithmetic.",
            ),
            Field(
                "world_uncertain",
                BOOLEAN,
                "World total uncertain",
                "SIPRI prints the World total in red: more than 10% of it is estimates "
                "for countries whose data are missing.",
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
    shown_n = min(n, len(rows))
    title = (
        f"The {shown_n} largest military spenders of {year}, by {unit(m, field)}"
        if field in MONEY
        else f"The {shown_n} countries of {year} with the highest {_RANKED_BY[field]}"
    )
    said = [no_share] if no_share else []
    if whole is not None and world_uncertain:
        said.append("u after a share: SIPRI's World total is more than 10% estimates.")
    caption = "\n".join([LEGEND, *said, f"Source: {MILEX_CREDIT}"])
    fig = Figure(
        "country", field, y_title=unit(m, field), notes=(f"Source: {MILEX_CREDIT}",), caption=""
    )
    frame = Frame(title, columns, rows, ("country", "countries"), (), caption, fig)
    shown_rows, styles = [], []
    for row in rows:
        text, style = printed(field, row)
        cells: Record = {"rank": row["rank"], "country": row["country"], field: text}
        if whole is not None:
            percent = f"{100 * float(str(row['world_share'])):.1f}%"
            cells["world_share"] = percent + (" u" if row.get("world_uncertain") else "")
        shown_rows.append(cells)
        styles.append({field: style})
    shown = Frame(
        title,
        (
            Field("rank", INTEGER, "Rank"),
            Field("country", TEXT, "Country"),
            Field(field, FIGURE, unit(m, field)),
            *((Field("world_share", FIGURE, "Share of world"),) if whole is not None else ()),
        ),
        shown_rows,
        frame.noun,
        (),
        caption,
        head="country",
    )
    return Marked(frame, shown, styles)


def change(
    m: Milex, countries: Sequence[str], fields: Sequence[str], first: int, last: int
) -> Marked:
    """Each country's figure of each measure in `first` and `last`, and the change: per
    cent for money, percentage points for shares; refused from an unknown or zero figure,
    and over no years."""
    if first >= last:
        raise UsageError(
            f"--change needs two years: --from {first} and --to {last} are one",
            "give --from an earlier year than --to",
        )
    rows: list[Record] = []
    shown_rows: list[Record] = []
    styles: list[dict[str, str]] = []
    for country in countries:
        for field in fields:
            a = figure(m.get((country, first)), field)
            b = figure(m.get((country, last)), field)
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
            Field("first", FIGURE, str(first)),
            Field("last", FIGURE, str(last)),
            Field("change", FIGURE, "Change"),
        ),
        shown_rows,
        frame.noun,
        (),
        caption,
        head="country",
    )
    return Marked(frame, shown, styles)
