"""TOML: records as [[records]] tables, a dataset as the file geobal reads back (its
schema, then its records), and the [[records]] of a TOML file read as rows. tomli-w
is imported only where TOML is written."""

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence

from geobal.codecs import PLAIN, ReadOptions, WriteOptions
from geobal.codecs.escape import u_escape
from geobal.codecs.reading import Read
from geobal.errors import DataError
from geobal.fieldtypes import toml_value
from geobal.files import parse_toml
from geobal.model import Dataset, Field, Record
from geobal.schema import SOURCES
from geobal.views import Frame


def toml_table(columns: Sequence[Field], row: Record) -> dict[str, object]:
    return {f.name: toml_value(f, v) for f in columns if (v := row.get(f.name)) is not None}


def toml_dumps(doc: dict[str, object]) -> str:
    import tomli_w  # only where TOML is written

    return u_escape(tomli_w.dumps(doc))


def toml_value_text(field: Field, value: object) -> str:
    """One value as TOML writes it, as it stands after `key = ` (an array may run over
    several lines)."""
    line = toml_dumps({"v": toml_value(field, value)})  # type: ignore[arg-type]
    return line.removeprefix("v = ").removesuffix("\n")


def toml_array(name: str, columns: Sequence[Field], rows: Iterable[Record]) -> Iterator[str]:
    """An array of tables, one [[name]] header a row, whatever their size: tomli-w would
    write small ones inline, which reads and diffs worse."""
    sep = ""
    for row in rows:
        yield f"{sep}[[{name}]]\n" + toml_dumps(toml_table(columns, row))
        sep = "\n"


def toml_records(frame: Frame, options: WriteOptions = PLAIN) -> Iterator[str]:
    """An array of [[records]] tables; with options.sources, cited sources written out."""
    sources = options.sources
    if sources is None:
        return toml_array("records", frame.columns, frame.rows)
    # Sources written out are tables inside each record, which only a whole document
    # can nest correctly ([[records.sources]]).
    records = []
    for row in frame.rows:
        table = toml_table(frame.columns, row)
        if isinstance(cited := table.get(SOURCES), list):
            table[SOURCES] = [
                toml_table(sources.fields, sources.by_id[s]) for s in cited if s in sources.by_id
            ]
        records.append(table)
    return iter([toml_dumps({"records": records})])


def toml_dataset(ds: Dataset) -> Iterator[str]:
    """The dataset as a file geobal reads back: its schema, then its records."""
    meta: dict[str, object] = {"name": ds.name, "title": ds.title, "key": ds.key}
    if ds.description:
        meta["description"] = ds.description
    if ds.sort:
        meta["sort"] = [("-" if k.descending else "") + k.field.name for k in ds.sort]
    if ds.columns:
        meta["columns"] = list(ds.columns)
    for key, value in (("updated", ds.updated), ("as_of", ds.as_of)):
        if value:  # a whole date is a TOML date; a year or month stays text
            meta[key] = value if len(value) < 10 else dt.date.fromisoformat(value)
    if ds.covers:
        meta["covers"] = list(ds.covers)
    if ds.scope:
        meta["scope"] = ds.scope
    fields: dict[str, object] = {}
    for f in ds.fields:
        if f.derived or (f.name == SOURCES and ds.name != SOURCES):
            continue
        table: dict[str, object] = {"type": f.type.name, "title": f.title}
        if f.description:
            table["description"] = f.description
        if f.required:
            table["required"] = True
        if f.ref:
            table["ref"] = f.ref
        if f.items is not None:
            table["items"] = f.items.name
        if f.unit is not None:
            table["unit"] = f.unit
        if f.country:
            table["country"] = True
        if f.totals:
            table["totals"] = True
        if f.choices:
            table["choices"] = [
                {
                    "value": c.value,
                    "label": c.label,
                    **({"aliases": list(c.aliases)} if c.aliases else {}),
                    **({"meaning": c.meaning} if c.meaning else {}),
                }
                for c in f.choices
            ]
        fields[f.name] = table
    yield toml_dumps({"dataset": meta, "fields": fields})
    if ds.records:
        yield "\n"
        yield from toml_array("records", [f for f in ds.fields if not f.derived], ds.records)


def read_toml(text: str, where: str, options: ReadOptions) -> Read:
    records = parse_toml(text, where).get("records")
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise DataError(
            f"{where}: no [[records]] tables to import (a TOML file's rows are its "
            "[[records]], as geobal's dataset files and exports hold them)",
            "write each row as a [[records]] table",
        )
    return Read(
        [dict(r) for r in records], [f"[[records]] {n}" for n in range(1, len(records) + 1)]
    )
