"""JSON and JSON Lines: rows written exactly as json.dumps would (and quicker), and
read back with numbers kept as written and a key given twice refused."""

import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from geobal.codecs import ReadOptions, WriteOptions
from geobal.codecs.escape import u_escape
from geobal.errors import DataError
from geobal.model import Field, Record, SourceIndex
from geobal.schema import SOURCES

if TYPE_CHECKING:  # readers import it when they read; the writers, on every run, do not
    from geobal.codecs.reading import Read, Row
from geobal.views import Frame


def row_object(
    columns: Sequence[Field], row: Record, sources: SourceIndex | None = None
) -> dict[str, object]:
    """A row as a JSON object in column order; with `sources`, cited sources in full."""
    obj: dict[str, object] = {f.name: row.get(f.name) for f in columns}
    if sources is not None and isinstance(cited := obj.get(SOURCES), list):
        obj[SOURCES] = [
            row_object(sources.fields, sources.by_id[s]) for s in cited if s in sources.by_id
        ]
    return obj


_encode_str = json.encoder.encode_basestring  # the C function, as with ensure_ascii=False
_INF = float("inf")


def json_dumps(obj: object, indent: int | None = 2) -> str:
    separators = (",", ":") if indent is None else None
    # allow_nan=False: JSON has no Infinity or NaN; figures are refused before they get
    # here (queries), and should one slip through, an error beats a file no reader reads
    text = json.dumps(
        obj, ensure_ascii=False, indent=indent, separators=separators, allow_nan=False
    )
    return u_escape(text)


def _scalar_json(value: object) -> str | None:
    """A scalar as json.dumps writes it, by the C encoder's own pieces; None for what
    only json.dumps handles (containers, and anything unusual)."""
    if isinstance(value, str):
        return _encode_str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float) and value == value and value not in (_INF, -_INF):
        return float.__repr__(value)
    return None


def _cell_json(value: object) -> str | None:
    """A value as json.dumps(indent=2) writes it as a member of an object in an array,
    for scalars and lists of scalars; None for anything else."""
    text = _scalar_json(value)
    if text is None and isinstance(value, list):
        items = [_scalar_json(v) for v in value]
        if any(i is None for i in items):
            return None
        return ("[\n      " + ",\n      ".join(items) + "\n    ]") if items else "[]"  # type: ignore[arg-type]
    return text


def _record_json(obj: dict[str, object]) -> str:
    """An object nested one level in an array, exactly as json.dumps(indent=2) writes
    it. json.dumps falls back to its pure-Python encoder whenever it indents, which is
    most of the time of a large --json: records of scalars and lists of scalars are
    written here from the C encoder's pieces instead."""
    parts = []
    for key, value in obj.items():
        text = _cell_json(value)
        if text is None:
            return json_dumps(obj).replace("\n", "\n  ")
        parts.append(f"    {_encode_str(key)}: {text}")
    if not parts:
        return "{}"
    return u_escape("{\n" + ",\n".join(parts) + "\n  }")


_SCALARS = frozenset((str, int, float, bool, type(None)))
_CHUNK = 2000  # objects written at a time: output streams, yet the work is done in bulk


def _objects_json(columns: Sequence[Field], rows: Sequence[Record]) -> list[str] | None:
    """Rows as _record_json writes them, column by column: a column of scalars is one
    call of the C encoder, split where it separates items by a newline (which a JSON
    string never holds raw). None where a column holds anything unusual."""
    if not columns:
        return None
    cells: list[list[str]] = []
    for f in columns:
        values = [row.get(f.name) for row in rows]
        if set(map(type, values)) <= _SCALARS:
            column = json.dumps(values, ensure_ascii=False, separators=("\n", ":"), allow_nan=False)
            cells.append(column[1:-1].split("\n"))
        else:
            texts = [_cell_json(v) for v in values]
            if any(t is None for t in texts):
                return None
            cells.append(texts)  # type: ignore[arg-type]
    template = (
        "{\n"
        + ",\n".join(f"    {_encode_str(f.name).replace('%', '%%')}: %s" for f in columns)
        + "\n  }"
    )
    return [template % row for row in zip(*cells, strict=True)]


def json_array(frame: Frame, options: WriteOptions = WriteOptions()) -> Iterator[str]:
    """A JSON array streamed a chunk of objects at a time; the same bytes as
    json.dumps(indent=2). With options.sources, cited sources written out."""
    sources = options.sources
    rows = frame.rows
    if not rows:
        yield "[]\n"
        return
    sep = "[\n  "
    for start in range(0, len(rows), _CHUNK):
        chunk = rows[start : start + _CHUNK]
        objects = _objects_json(frame.columns, chunk) if sources is None else None
        if objects is None:
            objects = [_record_json(row_object(frame.columns, row, sources)) for row in chunk]
        yield sep + u_escape(",\n  ".join(objects))
        sep = ",\n  "
    yield "\n]\n"


def json_lines(frame: Frame, options: WriteOptions = WriteOptions()) -> Iterator[str]:
    """An object a line; with options.sources, cited sources written out."""
    for row in frame.rows:
        yield json_dumps(row_object(frame.columns, row, options.sources), indent=None) + "\n"


class _Twice(dict[str, object]):
    """A JSON object that held a key more than once (json keeps the last silently)."""

    def __init__(self, pairs: list[tuple[str, object]], twice: list[str]) -> None:
        super().__init__(pairs)
        self.twice = twice


def _object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    seen: set[str] = set()
    twice: list[str] = []
    for k, _ in pairs:
        if k in seen and k not in twice:
            twice.append(k)
        seen.add(k)
    return _Twice(pairs, twice)


def _twice(obj: object, place: str) -> str | None:
    """What is wrong with a row whose object held a key twice; None if none did."""
    if not isinstance(obj, _Twice):
        return None
    keys = ", ".join(repr(k) for k in obj.twice)
    return f"{place} holds {'the key' if len(obj.twice) == 1 else 'the keys'} {keys} twice"


def read_json(text: str, where: str, options: ReadOptions) -> "Read":
    from geobal.codecs.reading import Read, unreadable

    data = _json_value(text, where)
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise DataError(f"{where}: expected a JSON array of objects")
    places = [f"item {n}" for n in range(1, len(data) + 1)]
    twice = [said for row, place in zip(data, places, strict=True) if (said := _twice(row, place))]
    if twice:
        raise unreadable(where, twice)
    return Read(data, places)


def read_jsonl(text: str, where: str, options: ReadOptions) -> "Read":
    from geobal.codecs.reading import Read, unreadable

    rows: list[Row] = []
    places: list[str] = []
    twice: list[str] = []
    # lines end at \n only: str.splitlines would also end one at a U+2028 inside a string
    for n, line in enumerate(text.split("\n"), 1):
        if line.strip():
            row = _json_value(line, f"{where}:{n}")
            if not isinstance(row, dict):
                raise DataError(f"{where}:{n}: expected a JSON object on each line")
            if said := _twice(row, f"line {n}"):
                twice.append(said)
            rows.append(row)
            places.append(f"line {n}")
    if twice:
        raise unreadable(where, twice)
    return Read(rows, places)


def _json_value(text: str, where: str) -> object:
    from geobal.fieldtypes import read_float

    try:
        # a number float would round (1234567890.123456789) stays as written, for its
        # field to keep exactly or refuse; a key twice is refused (_object)
        return json.loads(text, parse_float=read_float, object_pairs_hook=_object)
    except json.JSONDecodeError as err:
        raise DataError(f"{where}:{err.lineno}:{err.colno}: invalid JSON: {err.msg}") from None
    except ValueError:  # the only other: an integer of more digits than Python reads
        raise DataError(
            f"{where}: holds a number of more than 4,300 digits, more than any field holds",
            "give figures in a unit that keeps them within a number field's range",
        ) from None
    except RecursionError:
        raise DataError(
            f"{where}: nested too deeply to read (arrays or objects inside one another "
            "hundreds of levels down)",
            "rows are flat: an array of objects whose values are text, numbers or lists",
        ) from None
