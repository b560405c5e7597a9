"""A dataset as one Parquet file, for DuckDB, polars and Spark, handed back as bytes:
typed columns, lists as lists, and the dataset's key and provenance in the schema's
metadata. Needs pyarrow, an optional extra; without it, an error says how to install it.

Types: text, dates (ISO text, a year or month where only that is known), choices and
URLs are string; whole numbers int64; booleans bool; a number field double, or int64 where its
values are whole numbers some of which no double holds exactly; a list list<string>
or list<int64>. A number field mixing fractions with whole numbers no double holds
exactly is refused, naming the record: no one Parquet type keeps both.
The schema's metadata key `geobal` holds JSON: the dataset's name, title,
description, key, source, licence, credit and the source entries its records cite.
"""

import json
from typing import Any

from geobal.codecs.tables import Table, columns, no_float_for
from geobal.errors import UsageError

METADATA_KEY = b"geobal"
# geobal is installed from its clone, not a package index: what works for each install
INSTALL = (
    "from geobal's clone: uv tool install --force '.[parquet]' (or pip install pyarrow "
    "where geobal is installed; uv sync --extra parquet for the clone's own environment)"
)


def pyarrow() -> Any:  # pyarrow has no type hints
    """pyarrow, or an error saying how to install it."""
    try:
        import pyarrow as pa
        import pyarrow.parquet  # the writer, loaded with the module
    except ImportError:
        raise UsageError(
            "--format parquet needs pyarrow (the extra geobal[parquet]), which is not installed",
            f"install it: {INSTALL}",
        ) from None
    return pa


def provenance(table: Table) -> dict[str, object]:
    """What the file's schema metadata says of its dataset."""
    ds, p = table.dataset, table.provenance
    return {
        "dataset": ds.name,
        "title": ds.title,
        "description": table.description,
        "key": ds.key,
        "updated": ds.updated,
        "covers": list(ds.covers) if ds.covers else None,
        "source": p.source,
        "source_url": p.source_url,
        "licence": p.licence,
        "licence_url": p.licence_url,
        "credit": p.credit,
        "sources": list(p.sources),
    }


def parquet_file(table: Table) -> bytes:
    """The dataset of `table` as the bytes of a Parquet file."""
    pa = pyarrow()
    types: dict[str, Any] = {
        "text": pa.string(),
        "integer": pa.int64(),
        "boolean": pa.bool_(),
        "float": pa.float64(),
        "list of text": pa.list_(pa.string()),
        "list of integer": pa.list_(pa.int64()),
    }
    arrays, fields = [], []
    for col in columns(table):
        if col.kind == "number":
            raise no_float_for(table, col)
        kind = types[col.kind]
        values = list(col.values)
        if col.kind == "float":  # whole numbers in a field of fractions, as doubles
            values = [float(v) if isinstance(v, int) else v for v in values]
        arrays.append(pa.array(values, type=kind))
        fields.append(
            pa.field(
                col.field.name,
                kind,
                nullable=col.field.name != table.dataset.key,
                metadata={b"title": col.field.title, b"description": col.field.description},
            )
        )
    meta = {METADATA_KEY: json.dumps(provenance(table), ensure_ascii=False).encode()}
    data = pa.Table.from_arrays(arrays, schema=pa.schema(fields, metadata=meta))
    sink = pa.BufferOutputStream()
    pa.parquet.write_table(data, sink)
    written: bytes = sink.getvalue().to_pybytes()
    return written


def is_geobal_parquet(data: bytes) -> bool:
    """Whether a file's bytes are a Parquet file geobal wrote."""
    pa = pyarrow()
    if data[:4] != b"PAR1" or data[-4:] != b"PAR1":
        return False
    try:
        schema = pa.parquet.read_schema(pa.BufferReader(data))
    except (pa.ArrowException, OSError):
        return False
    return bool(schema.metadata) and METADATA_KEY in schema.metadata
