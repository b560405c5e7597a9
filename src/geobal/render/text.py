"""Plain-text formats: JSON, JSON Lines, CSV, TSV, Markdown and TOML.

Nothing here touches Rich: each format is a generator of text chunks that the caller
writes to stdout. Control characters in data never reach a terminal raw: JSON and TOML
escape them (losslessly), TSV and Markdown always show them as escapes, and CSV does
so when stdout is a terminal (as `ls` does with odd file names), keeping piped bytes exact.
"""

import json
from collections.abc import Iterable, Iterator, Sequence

from geobal.fieldtypes import display, plain, toml_value
from geobal.model import Field, Record, SourceIndex, Value
from geobal.schema import SOURCES
from geobal.views import Frame, RecordView

# The Unicode bidi controls and line separators, which can reorder or split what a
# terminal shows; with DEL and the C1 controls, what json.dumps(ensure_ascii=False) and
# tomli-w leave raw.
_BIDI = (0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
# Characters a terminal shows as nothing at all (zero-width spaces and joiners, the byte
# order mark, the soft hyphen), and the lone surrogates that stand for the bytes of a
# file name that is not UTF-8.
_INVISIBLE = (
    0x00AD, 0x180E, *range(0x200B, 0x200E), *range(0x2060, 0x2065), 0xFEFF,
    *range(0xFFF9, 0xFFFC), *range(0xD800, 0xE000),
)  # fmt: skip
_RAW_IN_JSON = (*range(0x7F, 0xA0), *_BIDI, *_INVISIBLE)
# str.translate tables rather than regular expressions: no compiling at start-up.
_VISIBLE = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in (*range(0x09), *range(0x0B, 0x20), *_RAW_IN_JSON)  # C0 but tab and newline
}
_U_ESCAPED = {code: f"\\u{code:04x}" for code in _RAW_IN_JSON}


def visible(text: str) -> str:
    """Text as it may reach a terminal: every control, bidirectional and invisible
    character shown as an escape such as \\x1b or \\u200b. The one escaping function for
    whatever geobal writes for people: data, paths, names echoed back, messages."""
    return text.translate(_VISIBLE)


def _u_escape(text: str) -> str:
    # Inside JSON and TOML strings \\uXXXX means the same character, so this loses nothing.
    # JSON and TOML writers escape the ASCII controls already; only DEL and beyond remain,
    # and most text has none (isascii is a C scan, far quicker than translate).
    if text.isascii() and "\x7f" not in text:
        return text
    return text.translate(_U_ESCAPED)


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
    return _u_escape(json.dumps(obj, ensure_ascii=False, indent=indent, separators=separators))


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
    return _u_escape("{\n" + ",\n".join(parts) + "\n  }")


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
            column = json.dumps(values, ensure_ascii=False, separators=("\n", ":"))
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


def json_array(frame: Frame, sources: SourceIndex | None = None) -> Iterator[str]:
    """A JSON array streamed a chunk of objects at a time; the same bytes as
    json.dumps(indent=2)."""
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
        yield sep + _u_escape(",\n  ".join(objects))
        sep = ",\n  "
    yield "\n]\n"


def json_lines(frame: Frame, sources: SourceIndex | None = None) -> Iterator[str]:
    for row in frame.rows:
        yield json_dumps(row_object(frame.columns, row, sources), indent=None) + "\n"


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(field: Field, value: Value | None) -> str:
    """A value as a CSV cell meant for a spreadsheet: text that a spreadsheet would run
    as a formula gets a leading ', which makes it show the text instead. A number of a
    number field stays as it is: -5 is a figure, and a spreadsheet reads it as one."""
    text = plain(field, value)
    figure = field.numeric and isinstance(value, int | float) and not isinstance(value, bool)
    return "'" + text if text.startswith(FORMULA_STARTS) and not figure else text


def csv_rows(frame: Frame, tty: bool, spreadsheet: bool = False) -> Iterator[str]:
    """RFC 4180 rows, the values' exact text; with `spreadsheet`, every cell quoted and
    formulas made inert (spreadsheet_cell), for a file a spreadsheet opens."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL if spreadsheet else csv.QUOTE_MINIMAL)
    clean = visible if tty else str
    cell = spreadsheet_cell if spreadsheet else plain
    writer.writerow([f.name for f in frame.columns])
    for row in frame.rows:
        writer.writerow([clean(cell(f, row.get(f.name))) for f in frame.columns])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


_TSV = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def tsv_cell(text: str) -> str:
    """Backslash escapes keep one record on one line: \\t, \\n, \\r and \\\\."""
    return visible(text.translate(_TSV))


def tsv_rows(frame: Frame) -> Iterator[str]:
    yield "\t".join(f.name for f in frame.columns) + "\n"
    for row in frame.rows:
        yield "\t".join(tsv_cell(plain(f, row.get(f.name))) for f in frame.columns) + "\n"


_MARKDOWN = {ord(c): f"\\{c}" for c in "\\`*_[]<>|"}


def md_cell(text: str) -> str:
    """Escape what Markdown would read as formatting, so data stays data."""
    return visible(text.translate(_MARKDOWN)).replace("\n", "<br>")


def markdown_table(frame: Frame) -> Iterator[str]:
    yield "| " + " | ".join(md_cell(f.title) for f in frame.columns) + " |\n"
    yield "|" + "|".join("---:" if f.numeric else "---" for f in frame.columns) + "|\n"
    for row in frame.rows:
        yield (
            "| " + " | ".join(md_cell(display(f, row.get(f.name))) for f in frame.columns) + " |\n"
        )
    if frame.caption:
        yield f"\n{md_cell(frame.caption)}\n"


def toml_table(columns: Sequence[Field], row: Record) -> dict[str, object]:
    return {f.name: toml_value(f, v) for f in columns if (v := row.get(f.name)) is not None}


def toml_dumps(doc: dict[str, object]) -> str:
    import tomli_w  # only where TOML is written

    return _u_escape(tomli_w.dumps(doc))


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


def toml_records(frame: Frame, sources: SourceIndex | None = None) -> Iterator[str]:
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


def record_json(view: RecordView) -> Iterator[str]:
    """`show` as JSON: the record, then its sources written out."""
    ds = view.dataset
    doc: dict[str, object] = {
        "dataset": ds.name,
        "record": row_object(ds.fields, view.record),
        "sources": [row_object(view.source_fields, s) for s in view.sources],
    }
    if view.cited_by is not None:
        doc["cited_by"] = view.cited_by
    yield json_dumps(doc) + "\n"


def record_toml(view: RecordView) -> Iterator[str]:
    ds = view.dataset
    top: dict[str, object] = {"dataset": ds.name}
    if view.cited_by is not None:
        top["cited_by"] = view.cited_by
    yield toml_dumps({**top, "record": toml_table(ds.fields, view.record)})
    if view.sources:
        yield "\n"
        yield from toml_array("sources", view.source_fields, view.sources)


def record_markdown(view: RecordView) -> Iterator[str]:
    ds, record = view.dataset, view.record
    yield f"## {md_cell(ds.title)}: {md_cell(str(record[ds.key]))}\n\n"
    yield "| Field | Value |\n|---|---|\n"
    for f in ds.fields:
        yield f"| {md_cell(f.title)} | {md_cell(display(f, record.get(f.name)))} |\n"
    if view.sources:
        yield "\n### Sources\n\n"
    for source in view.sources:
        head, *rest = view.source_fields
        details = "; ".join(
            f"{md_cell(f.title)}: {md_cell(display(f, v))}"
            for f in rest
            if (v := source.get(f.name)) is not None
        )
        yield f"- **{md_cell(display(head, source.get(head.name)))}**: {details}\n"
    if view.cited_by is not None:
        yield "\n### Cited by\n\n"
        yield "".join(f"- {md_cell(name)}\n" for name in view.cited_by) or "no record\n"


def brief_markdown(frame: Frame) -> Iterator[str]:
    """A report: the title, then a heading a section and a bullet a line, each line
    ending with its source ids."""
    yield f"# {md_cell(frame.title)}\n"
    section = None
    for row in frame.rows:
        if row.get("section") != section:
            section = row.get("section")
            yield f"\n## {md_cell(str(section))}\n\n"
        sources = row.get("sources")
        refs = (
            f" \\[{md_cell(', '.join(map(str, sources)))}\\]" if isinstance(sources, list) else ""
        )
        yield f"- {md_cell(str(row.get('text', '')))}{refs}\n"
