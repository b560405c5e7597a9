"""Importing rows: CSV (a header, then values as text), JSON (an array of objects), JSON
Lines, or a TOML dataset file's [[records]], into a dataset, all of them or none."""

from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from geobal.catalog import Catalog
from geobal.edit import Written, derive_id, writable, write_records
from geobal.errors import DataError, UsageError
from geobal.files import parse_toml
from geobal.model import Dataset, Problem, Record
from geobal.names import Names
from geobal.schema import DERIVED, SOURCES, check_record
from geobal.store import Say
from geobal.transfer.base import QUIET, Imported, Progress, Request

Row = dict[str, object]


class RowsFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    JSONL = "jsonl"
    TOML = "toml"


class Read(NamedTuple):
    """The rows of a file, and where each is in it: "line 4" (CSV, whose header is line
    1, and JSON Lines), "item 3" (a JSON array's, counted from 1), "[[records]] 2"."""

    rows: list[Row]
    places: list[str]
    header: str = ""  # where the columns are named (a CSV's header line), if anywhere


SCREENFUL = 20  # lines of an error's list before it says how many more there are


def screenful(lines: Sequence[str]) -> list[str]:
    """The first lines of a long list, and how many more there are."""
    if len(lines) <= SCREENFUL:
        return list(lines)
    return [*lines[:SCREENFUL], f"and {len(lines) - SCREENFUL:,} more"]


def _unreadable(
    where: str, lines: Sequence[str], hint: str = "fix the file and import again"
) -> DataError:
    """Rows that cannot be read whole, each line saying where and why."""
    count = f"{len(lines):,} row{'s' if len(lines) != 1 else ''}"
    return DataError(
        f"{where}: {count} cannot be read whole; nothing was imported",
        hint,
        details=screenful([f"{where}: {line}" for line in lines]),
    )


def _csv(text: str, where: str) -> Read:
    import csv
    import io

    # csv's own limit is 128 KiB a field; a long quote or note may be more
    csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))
    # strict: a quote that never closes is an error, not the rest of the file in a cell
    reader = csv.reader(io.StringIO(text), strict=True)
    header: list[str] | None = None
    named = ""  # the header's line
    rows: list[Row] = []
    places: list[str] = []
    wide: list[str] = []
    try:
        while True:
            line = reader.line_num + 1  # where the next record starts
            cells = next(reader, None)
            if cells is None:
                break
            if not cells:
                continue  # a blank line
            if header is None:
                header, named = cells, f"line {line}"
                _check_header(header, where, line)
            elif len(cells) != len(header):
                # a comma too many or too few, or a quote missing: which cell belongs to
                # which column cannot be told, so it is not guessed
                wide.append(f"line {line} has {len(cells)} cells, the header has {len(header)}")
            else:
                rows.append(dict(zip(header, cells, strict=True)))
                places.append(f"line {line}")
    except csv.Error as err:
        if str(err) == "unexpected end of data":
            raise DataError(
                f"{where}: line {line}: a quoted cell there never closes; nothing was imported",
                'close it with a " (a " inside a quoted cell is written "")',
            ) from None
        raise DataError(
            f"{where}: line {line}: cannot read as CSV: {err}; nothing was imported",
            'quote a cell holding a comma or a " ("" for a " inside it)',
        ) from None
    if wide:
        hint = (
            "give every row as many cells as the header has columns (an empty cell is "
            "nothing between two commas), and import again"
        )
        raise _unreadable(where, wide, hint)
    return Read(rows, places, named)


def _check_header(header: Sequence[str], where: str, line: int) -> None:
    """A column named twice is refused: a row would give two values for it, and only
    one could be kept."""
    first: dict[str, int] = {}
    twice: list[str] = []
    for n, name in enumerate(header, 1):
        if name in first:
            twice.append(f"{name!r} (cells {first[name]} and {n})")
        first.setdefault(name, n)
    if twice:
        shown = ", ".join(twice[:5]) + (f" and {len(twice) - 5:,} more" if len(twice) > 5 else "")
        what = "a column" if len(twice) == 1 else "columns"
        raise DataError(
            f"{where}: line {line}: the header names {what} twice: {shown}",
            "rename or remove the one that should not be imported",
        )


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


def _json(text: str, where: str) -> Read:
    data = _json_value(text, where)
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise DataError(f"{where}: expected a JSON array of objects")
    places = [f"item {n}" for n in range(1, len(data) + 1)]
    twice = [said for row, place in zip(data, places, strict=True) if (said := _twice(row, place))]
    if twice:
        raise _unreadable(where, twice)
    return Read(data, places)


def _jsonl(text: str, where: str) -> Read:
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
        raise _unreadable(where, twice)
    return Read(rows, places)


def _json_value(text: str, where: str) -> object:
    import json

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


def _toml(text: str, where: str) -> Read:
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


READERS: dict[RowsFormat, Callable[[str, str], Read]] = {
    RowsFormat.CSV: _csv,
    RowsFormat.JSON: _json,
    RowsFormat.JSONL: _jsonl,
    RowsFormat.TOML: _toml,
}
_SUFFIXES = {**{f.value: f for f in RowsFormat}, "ndjson": RowsFormat.JSONL}


def read_rows(text: str, fmt: str, where: str) -> Read:
    """The rows of a file's text in `fmt`, and where each is in it; a DataError names
    the line (or item) of a row that cannot be read whole: a CSV row with more cells
    than the header, a column or key named twice."""
    return READERS[RowsFormat(fmt)](text, where)


def format_of(path: str, given: str | None) -> str:
    """The rows format: as given, else as the file's extension tells."""
    if given:
        return given
    found = _SUFFIXES.get(Path(path).suffix.lower().lstrip("."))
    if found is None:
        raise UsageError(
            f"cannot tell the format of {path!r}",
            "pass --format " + ", ".join(list(RowsFormat)[:-1]) + f" or {list(RowsFormat)[-1]}",
        )
    return found.value


class Report(NamedTuple):
    read: int
    written: Written


def import_rows(
    catalog: Catalog,
    name: str,
    rows: Read | Sequence[Mapping[str, object]],
    where: str,
    mapping: Mapping[str, str] | None = None,
    sources: Sequence[str] = (),
    replace: bool = False,
    progress: Progress = QUIET,
    force: bool = False,
    say: Say | None = None,
) -> Report:
    """Check every row, then write them all, or, if any row fails, nothing: the
    DataError lists every failing row and field (a screenful of them, and how many
    more). Rows read from a file (a Read) are named by their place in it, such as its
    line; others by their number."""
    places: Sequence[str] = ()
    header = ""
    if isinstance(rows, Read):
        rows, places, header = rows
    ds = catalog.get(name)
    fields = writable(ds)
    names = Names.of(fields)
    mapping = dict(mapping or {})
    for column, target in mapping.items():
        named = [target] if target in fields else names.find(target)
        if len(named) != 1:
            raise UsageError(
                f"--map {column}={target}: {target!r} is not a field of {ds.name}",
                f"available: {', '.join(fields)}",
            )
        mapping[column] = named[0]
    problems: list[Problem] = []
    records: list[Record] = []
    taken = ds.ids
    seen: set[str] = set()
    unknown: set[str] = set()
    clashed: set[str] = set()
    for n, row in enumerate(progress.rows(rows), 1):
        at = f"{where}: {places[n - 1] if places else f'row {n}'}"
        record: dict[str, object] = {}
        given: dict[str, str] = {}  # field -> the column giving it
        for column, value in row.items():
            target = mapping.get(column, column)
            if target in DERIVED:
                continue  # origin and file, as geobal's own exports carry them
            if target not in fields and len(known := names.find(target)) == 1:
                target = known[0]  # "Value Unit" is value_unit, as every name typed
            field = fields.get(target)
            if field is None and column in unknown:
                continue  # said once, at the first row that has it
            if field is None:
                unknown.add(column)
                problems.append(
                    Problem(
                        f"{where}: {header}" if header else at,
                        "unknown column; map it with --map "
                        f"{_quoted(column + '=FIELD')} (fields: {', '.join(fields)})",
                        field=column,
                    )
                )
                continue
            if target in given:  # two columns for one field (--map): neither is dropped
                if column not in clashed:
                    clashed.add(column)
                    problems.append(
                        Problem(
                            at,
                            f"the columns {given[target]!r} and {column!r} both give "
                            f"{target}; map only one of them to it",
                            field=target,
                        )
                    )
                continue
            given[target] = column
            if value is None or value == "":
                continue
            try:
                # text, as CSV gives every value, is typed by the field; JSON may be typed
                record[target] = (
                    field.type.from_text(field, value) if isinstance(value, str) else value
                )
            except UsageError as err:
                message = f"{err.message} ({err.hint})" if err.hint else err.message
                problems.append(Problem(at, message, field=target))
        if sources and SOURCES in fields and SOURCES not in record:
            record[SOURCES] = list(sources)
        if ds.key not in record:
            try:
                # with --replace, a row's derived id may name the record it replaces
                record[ds.key] = derive_id(ds, record, f"an {ds.key} column, or a text field")
            except UsageError as err:
                problems.append(Problem(at, err.message, field=ds.key))
                continue
        rid = str(record[ds.key])
        if rid in seen:
            problems.append(Problem(at, "the same id as an earlier row", rid, ds.key))
        elif rid in taken and not replace:
            problems.append(
                Problem(
                    at, f"{ds.name} has this id already; pass --replace to replace it", rid, ds.key
                )
            )
        seen.add(rid)
        checked, found = check_record(ds.fields, ds.key, record, at, rid)
        problems += found or _dangling(catalog, ds, checked, at, seen)
        records.append(checked)
    if problems:
        count = f"{len(problems):,} problem{'s' if len(problems) != 1 else ''}"
        raise DataError(
            f"{where}: {count}; nothing was imported",
            "fix the rows (or map their columns with --map) and import again",
            problems,
            screenful([str(p) for p in problems]),
        )
    with progress.phase(f"writing {len(records)} records to {ds.name}"):
        return Report(len(rows), write_records(catalog, ds.name, records, replace, force, say))


def _quoted(word: str) -> str:
    """A word as a shell needs it typed (`--map 'Value Unit=FIELD'`)."""
    import shlex  # only on this error path

    return shlex.quote(word)


def _dangling(
    catalog: Catalog, ds: Dataset, record: Record, at: str, rows: set[str]
) -> list[Problem]:
    """A row's references (its sources, and `ref` fields) that name no record: each
    said at the row, as a value that does not fit would be. `rows`: the ids of the rows
    read so far, which a reference to the dataset itself may name."""
    found = catalog.check_references(ds, [record], lambda ref: ref in rows or ref in ds.ids, at)
    return [
        p._replace(message=p.message + " (add it first: geobal add sources --set id=...)")
        if p.field == SOURCES
        else p
        for p in found
    ]


def import_rows_file(catalog: Catalog, request: Request, progress: Progress) -> Imported:
    """The importer for rows: --into names the dataset, --format or the name the format."""
    if request.into is None:
        raise UsageError("--into DATASET is needed", "name the dataset the rows go into")
    fmt = format_of(request.name, request.format or ("csv" if request.name == "-" else None))
    try:
        text = request.data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{request.where}: not valid UTF-8", "save the file as UTF-8") from None
    with progress.phase(f"reading {request.where}"):
        rows = read_rows(text, fmt, request.where)
    report = import_rows(
        catalog,
        request.into,
        rows,
        request.where,
        request.mapping,
        request.sources,
        request.replace,
        progress,
        request.force,
        request.say,
    )
    written = report.written
    rows_read = f"{report.read} row{'s' if report.read != 1 else ''}"
    return Imported(
        [
            f"read {rows_read}: added {len(written.added)} and replaced "
            f"{len(written.replaced)} in {written.path}"
        ]
    )
