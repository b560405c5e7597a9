"""`geobal export`: a whole dataset as a file to keep or share, in one of a closed set
of formats, each written by one entry of EXPORTERS."""

import datetime as dt
from collections.abc import Callable, Iterator
from enum import StrEnum

from geobal.errors import UsageError
from geobal.model import Dataset
from geobal.schema import SOURCES
from geobal.views import Frame


class ExportFormat(StrEnum):
    TOML = "toml"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    # binary, many datasets at once: transfer/bridges.py writes them, not EXPORTERS
    SQLITE = "sqlite"
    PARQUET = "parquet"


BINARY = (ExportFormat.SQLITE, ExportFormat.PARQUET)


def export_toml(ds: Dataset) -> Iterator[str]:
    """The dataset as a file geobal reads back: its schema, then its records."""
    from geobal.render.text import toml_array, toml_dumps

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


def _records(ds: Dataset) -> Frame:
    return Frame(ds.title, tuple(f for f in ds.fields if not f.derived), ds.records)


def _json(ds: Dataset) -> Iterator[str]:
    from geobal.render.text import json_array

    return json_array(_records(ds))


def _jsonl(ds: Dataset) -> Iterator[str]:
    from geobal.render.text import json_lines

    return json_lines(_records(ds))


def _csv(ds: Dataset) -> Iterator[str]:
    from geobal.render.text import csv_rows

    _csv_exact(ds)
    return csv_rows(_records(ds), tty=False)


def _csv_exact(ds: Dataset) -> None:
    """Refuse a dataset CSV cannot carry exactly, which would import back changed: a list
    writes its items separated by ';', and reads them back stripped, empty ones left
    out, so an item holding ';', with spaces at its ends or empty, and an empty list (an
    empty cell: no value), would come back otherwise."""
    lists = [f.name for f in ds.fields if f.type.name == "list" and not f.derived]
    if not lists:
        return
    found = []
    for record in ds.records:
        for name in lists:
            value = record.get(name)
            if isinstance(value, list) and (
                not value
                or any(isinstance(v, str) and (";" in v or v != v.strip() or not v) for v in value)
            ):
                found.append(f"{record[ds.key]}: {name}")
    if found:
        shown = ", ".join(found[:5]) + (f" and {len(found) - 5} more" if len(found) > 5 else "")
        raise UsageError(
            f"{ds.name}: {len(found)} lists cannot be written as CSV and read back the same "
            f"(an item holding ';', with spaces at its ends or empty, or an empty list): "
            f"{shown}",
            "export --format json or toml, which keep them exactly; or, for a file to read "
            "rather than import back, --format csv --for-spreadsheet",
        )


EXPORTERS: dict[ExportFormat, Callable[[Dataset], Iterator[str]]] = {
    ExportFormat.TOML: export_toml,
    ExportFormat.JSON: _json,
    ExportFormat.JSONL: _jsonl,
    ExportFormat.CSV: _csv,
}


def export(ds: Dataset, fmt: ExportFormat, for_spreadsheet: bool = False) -> Iterator[str]:
    """The dataset in `fmt`; `for_spreadsheet`, CSV only, makes its formulas inert
    (render.text.spreadsheet_cell), and the file then no longer imports back exactly."""
    if fmt in BINARY:
        raise UsageError(
            f"--format {fmt} writes binary files, not text",
            "transfer.bridges.export_files writes them, to a file named with -o",
        )
    if not for_spreadsheet:
        return EXPORTERS[fmt](ds)
    if fmt is not ExportFormat.CSV:
        raise UsageError(
            f"--for-spreadsheet makes CSV safe to open in a spreadsheet; {fmt} is not CSV",
            "give it with --format csv",
        )
    from geobal.render.text import csv_rows

    return csv_rows(_records(ds), tty=False, spreadsheet=True)
