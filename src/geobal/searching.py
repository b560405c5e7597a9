"""Searching every record for a text: the hits, each named in its record's own words
(its headline field), with the fields that matched and an excerpt of the match."""

from collections.abc import Iterable

from geobal.fieldtypes import display
from geobal.model import Dataset, Field, Record
from geobal.names import fold
from geobal.queries import matching_fields

# fields that, where a dataset has one, name its records
TITLE_NAMES = ("title", "name", "designation")
EXCERPT = 60  # characters of a matched text a search hit shows, around the match


def headline_field(ds: Dataset) -> Field | None:
    """The field that best names a record of `ds`: one called title, name or
    designation, else the first text field of its table's columns after the key (a
    deal's deal, a risk's priority); None where no text names a record (a share)."""
    by_name = ds.field_map
    for name in TITLE_NAMES:
        if name in by_name and by_name[name].type.name == "text":
            return by_name[name]
    order = [by_name[n] for n in ds.columns if n in by_name] or list(ds.fields)
    return next(
        (f for f in order if f.type.name == "text" and f.name != ds.key and not f.derived), None
    )


def headline(ds: Dataset, record: Record, field: Field | None) -> str:
    """A record's own words: its headline field, else its table's columns' values."""
    if field is not None and (value := record.get(field.name)) is not None:
        return display(field, value)
    by_name = ds.field_map
    shown = [by_name[n] for n in ds.columns if n in by_name and n != ds.key]
    return " · ".join(display(f, v) for f in shown if (v := record.get(f.name)) is not None)


def excerpt(text: str, folded: str) -> str:
    """The part of `text` around the first place `folded` (case-folded) is found."""
    at = fold(text).find(folded)
    if len(text) <= EXCERPT or at < 0:
        return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"
    start = max(0, min(at - (EXCERPT - len(folded)) // 2, len(text) - EXCERPT))
    cut = text[start : start + EXCERPT]
    return ("…" if start else "") + cut + ("…" if start + EXCERPT < len(text) else "")


def date_field(ds: Dataset) -> Field | None:
    """The field that dates a record of `ds`: a date field named date (an event's), else
    an integer year (a deal's year, when it was made: not its status_date, which would
    date a deal of 2018 by its last news), else its first date field, else a year of
    another name (a register's order_year), else its period; None where it has none."""
    fields = ds.fields
    return (
        next((f for f in fields if f.type.name == "date" and f.name == "date"), None)
        or next((f for f in fields if f.type.name == "integer" and f.name == "year"), None)
        or next((f for f in fields if f.type.name == "date"), None)
        or next((f for f in fields if f.type.name == "integer" and _is_year(f.name)), None)
        or next((f for f in fields if f.name == "period"), None)
    )


def _is_year(name: str) -> bool:
    return name == "year" or name.endswith("_year")


def hits(datasets: Iterable[Dataset], folded: str) -> list[Record]:
    """Every record of these datasets holding `folded` (case-folded) in some field: its
    dataset, id, date where it has one, own words, the fields that matched, and the text
    that matched where neither its id nor its words hold it."""
    rows: list[Record] = []
    for ds in datasets:
        named = headline_field(ds)
        dated = date_field(ds)
        for record in ds.records:
            found = matching_fields(ds.fields, record, folded)
            if not found:
                continue
            row: Record = {"dataset": ds.name, "id": record[ds.key]}
            if dated is not None and (when := record.get(dated.name)) is not None:
                row["date"] = display(dated, when)  # a date, a year or a period, as read
            row["title"] = headline(ds, record, named)
            row["fields"] = [f.name for f in found]
            # the match itself, where the id and the record's words do not show it
            other = next((f for f in found if f is not named and f.name != ds.key), None)
            if other is not None and named is not None and named in found:
                other = None
            if other is not None:
                row["text"] = excerpt(display(other, record[other.name]), folded)
            rows.append(row)
    return rows
