"""What geobal can tell about its own data: which datasets there are, their schemas and
their fields' values, one record in full with its sources, and the records that hold a
text. Pure: the catalog in, frames and views out."""

from collections import Counter

from geobal.catalog import Catalog
from geobal.errors import NotFoundError, UsageError
from geobal.fieldtypes import BOOLEAN, DATE, INTEGER, LIST, TEXT
from geobal.model import Choice, Dataset, Field, Record
from geobal.names import fold, unknown_name
from geobal.queries import field_named
from geobal.schema import SOURCES, cited
from geobal.searching import hits
from geobal.stories import EVENTS, link_fields, story, story_fields
from geobal.views import Frame, RecordView

DATASET_COLUMNS = (
    Field("name", TEXT, "Name"),
    Field("title", TEXT, "Title"),
    Field("records", INTEGER, "Records"),
    Field("fields", INTEGER, "Fields"),
    Field("as_of", TEXT, "Facts as of"),
    Field("updated", DATE, "Updated"),
)


def datasets(catalog: Catalog) -> Frame:
    """Every dataset: name, title, records, fields, the date its facts run to, and
    when it was last updated."""
    rows: list[Record] = []
    for ds in catalog.all():
        row: Record = {
            "name": ds.name,
            "title": ds.title,
            "records": len(ds.records),
            "fields": len(ds.fields),
        }
        if ds.as_of:
            row["as_of"] = ds.as_of
        if ds.updated:
            row["updated"] = ds.updated
        rows.append(row)
    return Frame("Datasets", DATASET_COLUMNS, rows, ("dataset", "datasets"))


SCHEMA_COLUMNS = (
    Field("name", TEXT, "Field"),
    Field("type", TEXT, "Type"),
    Field("required", BOOLEAN, "Required"),
    Field("title", TEXT, "Title"),
    Field("values", LIST, "Values", "A choice or level field's values (a level's lowest first)."),
    Field(
        "labels",
        LIST,
        "Labels",
        "Each value as people read it and what else it matches: value = label (also ...).",
    ),
    Field("ref", TEXT, "Refers to"),
    Field("unit", TEXT, "Unit", "The field that gives the unit of this one's values."),
    Field("description", TEXT, "Description"),
    Field(
        "about",
        TEXT,
        "About",
        "Title, description, values with their labels and aliases, and what the field "
        "refers to, in one text (what a table shows).",
    ),
)
SCHEMA_TABLE = ("name", "type", "required", "about")


VALUE_COLUMNS = (
    Field("value", TEXT, "Value"),
    Field("label", TEXT, "Label"),
    Field("aliases", LIST, "Also matches"),
    Field("meaning", TEXT, "Meaning"),
    Field("added_by", TEXT, "Added by"),
)


def schema(ds: Dataset, field: str | None = None) -> Frame:
    """A dataset's fields: type, whether required, values, meaning; with `field` (a
    choice or level field), its values."""
    if field is not None:
        return _values(ds, field_named(ds.fields, field, ds.name))
    rows: list[Record] = []
    for f in ds.fields:
        row: Record = {
            "name": f.name,
            "type": f.type.name,
            "required": f.required or f.name == ds.key,
            "title": f.title,
            "description": f.description,
        }
        labels = [_labelled(c) for c in f.choices]
        if f.choices:
            row["values"] = [c.value for c in f.choices]
            row["labels"] = labels
        if f.ref:
            row["ref"] = f.ref
        if f.unit:
            row["unit"] = f.unit
        about = [f.title + ("." if f.description else ""), f.description]
        if labels:
            about.append("Values: " + "; ".join(labels) + ".")
        if f.ref:
            about.append(f"Ids of {f.ref} records.")
        if f.unit:
            about.append(f"In the unit {f.unit} gives.")
        if f.country:
            about.append("A country: = finds it by any of its names (Turkey, Turkiye).")
        if f.totals:
            about.append(
                f"True on a row of totals: --count-by and the aggregates take either the "
                f"rows ({f.name}!=true) or the totals ({f.name}=true), never both."
            )
        row["about"] = " ".join(a for a in about if a)
        rows.append(row)
    return Frame(
        f"Schema of {ds.name}: {ds.title}",
        SCHEMA_COLUMNS,
        rows,
        ("field", "fields"),
        SCHEMA_TABLE,
    )


def _labelled(c: Choice) -> str:
    """A value with its label and aliases: "air = Air Systems (also aviation, aircraft)"."""
    text = c.value if c.label == c.value else f"{c.value} = {c.label}"
    return text + (f" (also {', '.join(c.aliases)})" if c.aliases else "")


def _values(ds: Dataset, f: Field) -> Frame:
    if not f.choices:
        raise UsageError(
            f"{ds.name}.{f.name} is a {f.type.name} field, with no list of values",
            f"`geobal schema {ds.name}` shows which fields have one",
        )
    rows: list[Record] = []
    for c in f.choices:
        row: Record = {"value": c.value, "label": c.label}
        if c.aliases:
            row["aliases"] = list(c.aliases)
        if c.meaning:
            row["meaning"] = c.meaning
        if c.added_by is not None:
            row["added_by"] = c.added_by
        rows.append(row)
    return Frame(f"Values of {ds.name}.{f.name}", VALUE_COLUMNS, rows, ("value", "values"))


def record(catalog: Catalog, dataset: str, record_id: str) -> RecordView:
    """One record in full, with the sources it cites; for a source, the records that
    cite it. A NotFoundError naming the close ids where there is no such record."""
    ds = catalog.get(dataset)
    found = ds.find_id(record_id)
    one = ds.by_id[found] if found is not None else None
    if one is None:
        raise unknown_name(
            "id",
            record_id,
            list(ds.by_id),
            f" in {ds.name}",
            error=NotFoundError,
            hint=f"list the ids with: geobal query {ds.name} --fields {ds.key}",
        )
    if ds.name == SOURCES:
        citing = [
            f"{other.name}/{r[other.key]}"
            for other in catalog.all()
            if other.name != SOURCES
            for r in other.records
            if record_id in cited(r)
        ]
        return RecordView(ds, one, [], ds.fields, citing)
    sources = catalog.sources_of(one)
    if EVENTS not in catalog.names() or not link_fields(events := catalog.get(EVENTS), ds.name):
        return RecordView(ds, one, sources, catalog.get(SOURCES).fields)
    return RecordView(
        ds,
        one,
        sources,
        catalog.get(SOURCES).fields,
        story=story(events, ds.name, str(one[ds.key])),
        story_fields=story_fields(events),
        story_title=f"Events, oldest first{status_age(ds, one)}",
    )


def status_age(ds: Dataset, record: Record) -> str:
    """How old a record's status is, as a clause ("; status delivering as of 2026-05"):
    a status is not wrong for being old, but its reader must know its date."""
    status = ds.field_map.get("status")
    if status is None or (value := record.get("status")) is None:
        return ""
    when = record.get("status_date")
    said = status.labels.get(str(value), str(value)).lower()
    return f"; status {said} as of {when}" if when else f"; status {said}, undated"


SEARCH_COLUMNS = (
    Field("dataset", TEXT, "Dataset"),
    Field("id", TEXT, "ID"),
    Field(
        "date",
        TEXT,
        "Date",
        "When the record is of: its dataset's first date field, else its year (a field "
        "named year or ending _year), else its period.",
    ),
    Field("title", TEXT, "Record", "The record's own words: its title, name or first text."),
    Field("fields", LIST, "Matched in", "The fields that hold the text."),
    Field("text", TEXT, "Match", "Where the text was found, when not in the record's words."),
)


def searched(catalog: Catalog, everything: bool = False) -> tuple[list[Dataset], list[str]]:
    """The datasets a search looks in when none is named: the bundled ones and the
    user's own, those a SIPRI import made (registers, volume tables) only with
    `everything`; and the names of those it leaves out."""
    if everything:
        return catalog.all(), []
    from geobal.shapes import imported_file, made_by_import

    left: list[str] = []

    def told(name: str) -> bool:
        # only a dataset of the user's own can be an import; its file's start tells,
        # without reading a register's records only to leave them out
        if catalog.bundled_path(name) is None and imported_file(catalog.user_path(name)):
            left.append(name)
            return True
        return False

    found = []
    for ds in catalog.all(unless=told):
        if catalog.bundled_path(ds.name) is None and made_by_import(ds):
            left.append(ds.name)  # a start the quick look could not tell
            continue
        found.append(ds)
    return found, sorted(left)


def search(
    catalog: Catalog,
    text: str,
    datasets: tuple[str, ...] = (),
    limit: int | None = None,
    everything: bool = False,
) -> tuple[Frame, Counter[str], list[str]]:
    """The records holding `text` (any case) in any field, of `datasets`, else of those
    `searched` gives, at most `limit` of them (0 or None: all); how many matched in each
    dataset; and the datasets left out (SIPRI's imports, unless `everything`)."""
    folded = fold(text.strip())
    if not folded:
        raise UsageError("search needs some text to look for")
    if limit is not None and limit < 0:
        raise UsageError(f"--limit must be 0 (no limit) or more, not {limit}")
    if datasets and everything:
        raise UsageError(
            "--all searches every dataset, and --dataset only those it names",
            "give one or the other",
        )
    left: list[str] = []
    if datasets:
        chosen = [catalog.get(name) for name in dict.fromkeys(datasets)]
    else:
        chosen, left = searched(catalog, everything)
    rows = hits(chosen, folded)
    counts = Counter(str(r["dataset"]) for r in rows)
    shown = rows[:limit] if limit else rows
    # a table has room for the record's words and where they matched; the matched text
    # itself is in every other format
    frame = Frame(
        f"Records matching {text!r}",
        SEARCH_COLUMNS,
        shown,
        ("match", "matches"),
        ("dataset", "id", "date", "title", "fields"),
    )
    return frame, counts, left
