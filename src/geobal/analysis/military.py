"""A brief's lines on a country's military spending, from SIPRI's military expenditure
workbook as `import --as sipri-milex` stores it (dataset `milex`): its spending in
constant US$ and its military burden (the share of GDP) in the last years that have
figures, each as SIPRI prints it (US$ m. to one decimal, shares in percent to two), with
SIPRI's marks; then the change over those years, which geobal computes. The lines carry
the exact figures too, in columns of their own, for the formats that are rows."""

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from geobal.analysis.parties import resolve
from geobal.analysis.spending import Milex, as_printed, base_year
from geobal.errors import UsageError
from geobal.fieldtypes import BOOLEAN, INTEGER, NUMBER
from geobal.model import Dataset, Field, Record
from geobal.periods import label
from geobal.schema import SOURCES, cited
from geobal.shapes import ESTIMATE, MILEX_CREDIT, UNCERTAIN, milex_kind

YEARS = 5  # the years with figures a brief shows
DATASET = "milex"  # the name `import --as sipri-milex` gives by default
IMPORT_MILEX = "geobal import SIPRI-Milex-data-1949-2024.xlsx --as sipri-milex"
SPENDING, BURDEN = "constant_usd", "gdp_share"
MARKS = {ESTIMATE: "SIPRI estimate", UNCERTAIN: "highly uncertain"}  # blue, red

# the exact figures of a year's line, beside its text
COLUMNS = (
    Field("year", INTEGER, "Year", "The year of a line of military spending."),
    Field(SPENDING, NUMBER, "US$ m. (constant)", "As the workbook holds it, unrounded."),
    Field(SPENDING + ESTIMATE, BOOLEAN, "US$ m. estimated", "SIPRI's estimate (blue)."),
    Field(SPENDING + UNCERTAIN, BOOLEAN, "US$ m. uncertain", "Highly uncertain (red)."),
    Field(BURDEN, NUMBER, "Share of GDP", "A fraction as the workbook holds it: 0.0227 is 2.27%."),
    Field(BURDEN + ESTIMATE, BOOLEAN, "Share of GDP estimated", "SIPRI's estimate (blue)."),
    Field(BURDEN + UNCERTAIN, BOOLEAN, "Share of GDP uncertain", "Highly uncertain (red)."),
)


class Spending(NamedTuple):
    """A brief's lines on military spending, and its line of credit for the section
    that says where the figures come from."""

    rows: list[Record]
    about: Record


def spending(
    ds: Dataset,
    dataset: str,
    name: str,
    section: str,
    notes: Mapping[str, tuple[str, str]] | None = None,
) -> Spending:
    """The lines on the country `name` (any of its names) from the milex dataset `ds`
    (named `dataset`), the credit line under `section`; `notes` are SIPRI's footnotes
    (mark, text) by id, whose texts follow the figures they are on."""
    if milex_kind(ds) != "milex":
        raise UsageError(
            f"dataset {dataset!r} is not SIPRI's military expenditure as geobal imports it",
            f"import the workbook again: {IMPORT_MILEX}",
        )
    heading = "Military spending"
    m = Milex(ds, {})
    try:
        country = resolve("country", name, m.countries)
    except UsageError:
        row: Record = {
            "section": heading,
            "text": f"{name} is not among the countries of SIPRI's military expenditure "
            f"workbook ({dataset!r}).",
            SOURCES: (everyone := m.sources),
        }
        return Spending([_dated(ds, row)], _about(ds, dataset, section, everyone))
    mine = [r for r in m.fetch([(country, y) for y in m.years_of(country)]) if r is not None]
    shown = [r for r in mine if SPENDING in r or BURDEN in r][-YEARS:]
    if not shown:
        row = {
            "section": heading,
            "text": f"{country}: no figures in SIPRI's workbook ({dataset!r}).",
            SOURCES: _sources(mine),
        }
        return Spending([_dated(ds, row)], _about(ds, dataset, section, _sources(mine)))
    first, last = int(str(shown[0]["year"])), int(str(shown[-1]["year"]))
    base = base_year(ds)
    heading = (
        f"Military spending, {label(first, last)} "
        f"(US$ m. at constant {f'({base}) ' if base else ''}prices; share of GDP)"
    )
    rows: list[Record] = []
    for r in shown:
        parts = [
            f"US$ {_usd(r[SPENDING])} m." + _marks(r, SPENDING)
            if SPENDING in r
            else "US$ m. not known"
        ]
        parts.append(
            f"{_percent(r[BURDEN])} of GDP" + _marks(r, BURDEN)
            if BURDEN in r
            else "share of GDP not known"
        )
        row = {
            "section": heading,
            "text": f"{r['year']}: " + ", ".join(parts) + ".",
            "year": r["year"],
        }
        for measure in (SPENDING, BURDEN):
            if measure in r:  # a mark is stored only where set: false where not
                row[measure] = r[measure]
                for mark in MARKS:
                    row[measure + mark] = r.get(measure + mark) is True
        row[SOURCES] = _sources([r])
        rows.append(_dated(ds, row))
    if len(shown) > 1:
        rows.append(
            _dated(ds, {"section": heading, "text": _change(shown), SOURCES: _sources(shown)})
        )
    cited_notes = list(dict.fromkeys(str(n) for r in shown for n in _list(r.get("notes"))))
    for note in cited_notes:
        if notes is not None and note in notes:
            mark, said = notes[note]
            text = f"SIPRI's note {mark}: {said}"
            rows.append(_dated(ds, {"section": heading, "text": text, SOURCES: _sources(shown)}))
    return Spending(rows, _about(ds, dataset, section, _sources(shown)))


def _change(shown: Sequence[Record]) -> str:
    """The change from the first year shown to the last: the spending's in percent, the
    burden's in points, each from the exact figures (where both years have one)."""
    first, last = shown[0], shown[-1]
    span = label(int(str(first["year"])), int(str(last["year"])))
    parts = []
    a, b = first.get(SPENDING), last.get(SPENDING)
    if isinstance(a, int | float) and isinstance(b, int | float) and a:
        parts.append(f"spending {(b / a - 1) * 100:+.1f}% ({_usd(a)} to {_usd(b)})")
    a, b = first.get(BURDEN), last.get(BURDEN)
    if isinstance(a, int | float) and isinstance(b, int | float):
        parts.append(f"burden {(b - a) * 100:+.2f} points ({_percent(a)} to {_percent(b)})")
    if not parts:
        return (
            f"Change {span}: not known (a figure of {first['year']} or {last['year']} is missing)."
        )
    return f"Change {span}: " + "; ".join(parts) + " (computed by geobal from SIPRI's figures)."


def _about(ds: Dataset, dataset: str, section: str, sources: list[str]) -> Record:
    text = (
        f"Military spending: {ds.title} ({dataset!r}), as SIPRI's workbook gives the "
        f"figures, rounded as SIPRI prints them; the changes are geobal's. {MILEX_CREDIT}."
    )
    return _dated(ds, {"section": section, "text": text, SOURCES: sources})


def _dated(ds: Dataset, row: Record) -> Record:
    if ds.covers is not None:
        row["as_of"] = f"data to {ds.covers[1]}"
    return row


def _sources(records: Sequence[Record]) -> list[str]:
    return list(dict.fromkeys(s for r in records for s in cited(r)))


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _marks(record: Record, measure: str) -> str:
    found = [what for mark, what in MARKS.items() if record.get(measure + mark) is True]
    return f" ({', '.join(found)})" if found else ""


def _usd(value: object) -> str:
    """US$ m. as SIPRI prints them: 8,183.4."""
    return as_printed(SPENDING, float(str(value)))


def _percent(value: object) -> str:
    """A share stored as a fraction, as SIPRI prints it: 0.026676 is 2.67%."""
    return as_printed(BURDEN, float(str(value)))
