"""A Result as the data-frame libraries analysts use: pyarrow, pandas and polars, each
imported only here and only when asked, none of them required.

Each column keeps its field's type: whole numbers as 64-bit integers; a number field's
values as binary64 floats where a float is every one of them (geobal stores a fraction
only where its float is the number written), else as 64-bit integers where all are
whole, else refused (fieldtypes.number_column, which Parquet and SQLite follow too);
booleans, lists as lists, and dates as dates where every value of the column is known
to the day; a column holding a date known only to the month or year ("2018-10") stays
ISO text, as a day would have to be made up.
"""

import datetime as dt
import importlib
import json
from typing import TYPE_CHECKING, Any

from geobal.errors import DataError
from geobal.fieldtypes import INT64_MAX, INT64_MIN, first_unheld, number_column
from geobal.model import Field

if TYPE_CHECKING:
    from geobal.api import Result

_INSTALL = {
    "pyarrow": "pip install pyarrow (or: uv sync --extra parquet)",
    "pandas": "pip install pandas",
    "polars": "pip install polars",
}


def _package(name: str, asked: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        from geobal.api import MissingPackage

        raise MissingPackage(
            f"{asked} needs the package {name!r}, which is not installed", _INSTALL[name]
        ) from None


def _full_dates(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and len(v) == 10) for v in values)


def _kind(field: Field, values: list[Any]) -> str:
    """How a column is typed in a frame: int, float, bool, date, text, list-int,
    list-text, or json (anything a column of one type cannot hold)."""
    kind = field.type.name
    if kind == "integer":
        # a 64-bit integer, as an integer field holds (fieldtypes); a sum past it is
        # refused where it is made (queries), and checked here as the frame types fail
        # on one with an error of their own
        wide = (v for v in values if isinstance(v, int) and not INT64_MIN <= v <= INT64_MAX)
        wrong = next(wide, None)
        if wrong is not None:
            raise DataError(
                f"{field.name}: {wrong} is past what a 64-bit integer column holds",
                "read the rows with to_records() or typed_records(), which hold every value "
                "as it is",
            )
        return "int"
    if kind == "number":
        typed = number_column(values)  # the one typing parquet and SQLite use too
        if typed == "number":
            wrong = values[first_unheld(values)]
            raise DataError(
                f"{field.name}: {wrong} cannot be held exactly in one column with the "
                "fractions beside it (a float64 would round it)",
                "read the rows with to_records() or typed_records(), which hold every value "
                "as it is",
            )
        return "float" if typed == "float" else "int"
    if kind == "boolean":
        return "bool"
    if kind == "date":
        return "date" if _full_dates(values) else "text"
    if kind == "list":
        if all(v is None or all(isinstance(i, int) for i in v) for v in values):
            return "list-int" if any(v for v in values) else "list-text"
        return "list-text"
    if all(v is None or isinstance(v, str) for v in values):
        return "text"
    return "json"


def _columns(result: "Result") -> list[tuple[Field, str, list[Any]]]:
    rows = result.rows
    out = []
    for field in result.columns:
        values: list[Any] = [row.get(field.name) for row in rows]
        kind = _kind(field, values)
        if kind == "float":  # whole numbers a float holds exactly, as floats
            values = [float(v) if isinstance(v, int) else v for v in values]
        elif kind == "date":
            values = [None if v is None else dt.date.fromisoformat(v) for v in values]
        elif kind == "list-text":
            values = [None if v is None else [str(i) for i in v] for v in values]
        elif kind == "json":
            values = [None if v is None else json.dumps(v, ensure_ascii=False) for v in values]
        out.append((field, kind, values))
    return out


def metadata(result: "Result") -> dict[str, str]:
    """The result's title, provenance and notes, as text a frame's metadata holds."""
    p = result.provenance
    meta = {
        "title": result.title,
        "sources": json.dumps(list(p.sources)),
        "exact": json.dumps(p.exact),
        "covers": json.dumps(list(p.covers) if p.covers else None),
        "partial": json.dumps(p.partial),
        "credit": p.credit or "",
        # a note both the provenance and the result carry is said once
        "notes": json.dumps(list(dict.fromkeys(p.notes + result.notes)), ensure_ascii=False),
    }
    return {f"geobal.{k}": v for k, v in meta.items()}


def arrow_table(result: "Result") -> Any:
    pa = _package("pyarrow", "to_arrow()")
    types = {
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "text": pa.string(),
        "json": pa.string(),
        "list-int": pa.list_(pa.int64()),
        "list-text": pa.list_(pa.string()),
    }
    fields, arrays = [], []
    for field, kind, values in _columns(result):
        fields.append(pa.field(field.name, types[kind], metadata={"title": field.title}))
        arrays.append(pa.array(values, type=types[kind]))
    schema = pa.schema(fields, metadata=metadata(result))
    return pa.Table.from_arrays(arrays, schema=schema)


def pandas_frame(result: "Result") -> Any:
    pd = _package("pandas", "to_pandas()")
    dtypes = {
        "int": "Int64",
        "float": "Float64",
        "bool": "boolean",
        "date": "datetime64[ns]",
        "text": "string",
        "json": "string",
        "list-int": "object",
        "list-text": "object",
    }
    # pandas' datetime64[ns] holds only 1677-09-21 to 2262-04-11; a column with a date
    # beyond stays datetime.date objects (dtype object), every date as the data give it,
    # rather than failing or wrapping round to another date
    first, last = pd.Timestamp.min.date(), pd.Timestamp.max.date()
    data = {}
    for field, kind, values in _columns(result):
        dtype = dtypes[kind]
        if kind == "date" and not all(v is None or first <= v <= last for v in values):
            dtype = "object"
        data[field.name] = pd.Series(values, dtype=dtype, name=field.name)
    frame = pd.DataFrame(data, columns=[f.name for f in result.columns])
    frame.attrs.update(metadata(result))
    return frame


def polars_frame(result: "Result") -> Any:
    pl = _package("polars", "to_polars()")
    dtypes = {
        "int": pl.Int64,
        "float": pl.Float64,
        "bool": pl.Boolean,
        "date": pl.Date,
        "text": pl.Utf8,
        "json": pl.Utf8,
        "list-int": pl.List(pl.Int64),
        "list-text": pl.List(pl.Utf8),
    }
    columns = [
        pl.Series(field.name, values, dtype=dtypes[kind])
        for field, kind, values in _columns(result)
    ]
    return pl.DataFrame(columns)
