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
from geobal.model import Problem, Record
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


def _csv(text: str, where: str) -> list[Row]:
    import csv
    import io

    # csv's own limit is 128 KiB a field; a long quote or note may be more
    csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))
    try:
        return list(csv.DictReader(io.StringIO(text)))
    except csv.Error as err:
        raise DataError(f"{where}: cannot read as csv: {err}") from None


def _json(text: str, where: str) -> list[Row]:
    data = _json_value(text, where)
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise DataError(f"{where}: expected a JSON array of objects")
    return data


def _jsonl(text: str, where: str) -> list[Row]:
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            row = _json_value(line, f"{where}:{n}")
            if not isinstance(row, dict):
                raise DataError(f"{where}:{n}: expected a JSON object on each line")
            rows.append(row)
    return rows


def _json_value(text: str, where: str) -> object:
    import json

    from geobal.fieldtypes import read_float

    try:
        # a number float would round (1234567890.123456789) stays as written, for its
        # field to keep exactly or refuse
        return json.loads(text, parse_float=read_float)
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


def _toml(text: str, where: str) -> list[Row]:
    records = parse_toml(text, where).get("records", [])
    return [dict(r) for r in records if isinstance(r, dict)] if isinstance(records, list) else []


READERS: dict[RowsFormat, Callable[[str, str], list[Row]]] = {
    RowsFormat.CSV: _csv,
    RowsFormat.JSON: _json,
    RowsFormat.JSONL: _jsonl,
    RowsFormat.TOML: _toml,
}
_SUFFIXES = {**{f.value: f for f in RowsFormat}, "ndjson": RowsFormat.JSONL}


def read_rows(text: str, fmt: str, where: str) -> list[Row]:
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
    rows: Sequence[Mapping[str, object]],
    where: str,
    mapping: Mapping[str, str] | None = None,
    sources: Sequence[str] = (),
    replace: bool = False,
    progress: Progress = QUIET,
    force: bool = False,
    say: Say | None = None,
) -> Report:
    """Check every row, then write them all, or, if any row fails, nothing: the
    DataError lists every failing row and field."""
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
    # the ids a derived id must not take: with --replace a row's may name the record it
    # replaces, so only the rows' own; else those of the dataset too (kept as one set,
    # not joined anew a row: that made imports quadratic)
    used = seen if replace else set(taken)
    unknown: set[str] = set()
    for n, row in enumerate(progress.rows(rows), 1):
        record: dict[str, object] = {}
        for column, value in row.items():
            target = mapping.get(column, column)
            if target in DERIVED:
                continue  # origin and file, as geobal's own exports carry them
            field = fields.get(target)
            if field is None and column in unknown:
                continue  # said once, at the first row that has it
            if field is None:
                unknown.add(column)
                problems.append(
                    Problem(
                        where,
                        "unknown column; map it with --map "
                        f"{column}=FIELD (fields: {', '.join(fields)})",
                        field=column,
                        row=n,
                    )
                )
                continue
            if value is None or value == "":
                continue
            try:
                # text, as CSV gives every value, is typed by the field; JSON may be typed
                record[target] = (
                    field.type.from_text(field, value) if isinstance(value, str) else value
                )
            except UsageError as err:
                message = f"{err.message} ({err.hint})" if err.hint else err.message
                problems.append(Problem(where, message, field=target, row=n))
        if sources and SOURCES in fields and SOURCES not in record:
            record[SOURCES] = list(sources)
        if ds.key not in record:
            try:
                # with --replace, a row's derived id may name the record it replaces
                record[ds.key] = derive_id(
                    ds,
                    record,
                    used,
                    f"an {ds.key} column, or a text field",
                )
            except UsageError as err:
                problems.append(Problem(where, err.message, field=ds.key, row=n))
                continue
        rid = str(record[ds.key])
        if rid in seen:
            problems.append(Problem(where, "the same id as an earlier row", rid, ds.key, row=n))
        elif rid in taken and not replace:
            problems.append(
                Problem(
                    where,
                    f"{ds.name} has this id already; pass --replace to replace it",
                    rid,
                    ds.key,
                    row=n,
                )
            )
        seen.add(rid)
        used.add(rid)
        checked, found = check_record(ds.fields, ds.key, record, where, rid, row=n)
        problems += found
        records.append(checked)
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise DataError(
            f"{where}: {count}; nothing was imported",
            "fix the rows (or map their columns with --map) and import again",
            problems,
            [str(p) for p in problems],
        )
    with progress.phase(f"writing {len(records)} records to {ds.name}"):
        return Report(len(rows), write_records(catalog, ds.name, records, replace, force, say))


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
