"""Importing rows into a dataset, all of them or none: rows as a codec reads them (CSV
or TSV, a header then values as text; JSON, an array of objects; JSON Lines; a TOML
dataset file's [[records]])."""

from collections.abc import Collection, Mapping, Sequence
from typing import NamedTuple

from geobal import codecs
from geobal.catalog import Catalog
from geobal.codecs.reading import Read, screenful
from geobal.edit import Written, derive_id, writable, write_records
from geobal.errors import DataError, UsageError
from geobal.fieldtypes import blank
from geobal.model import Dataset, Problem, Record
from geobal.names import Names
from geobal.schema import DERIVED, SOURCES, RecordCheck
from geobal.store import Say
from geobal.transfer.base import QUIET, Imported, Progress, Request


def read_rows(
    text: str, fmt: str, where: str, options: codecs.ReadOptions = codecs.ReadOptions()
) -> Read:
    """The rows of a file's text in the format `fmt` names, and where each is in it; a
    DataError names the line (or item) of a row that cannot be read whole: a CSV row
    with more cells than the header, a column or key named twice."""
    return codecs.CODECS[fmt].read(text, where, options)


def format_of(path: str, given: str | None) -> str:
    """The rows format: as given, else as the file's extension tells."""
    if given:
        return given
    found = codecs.by_extension(path, codecs.readable())
    if found is None:
        raise UsageError(
            f"cannot tell the format of {path!r}",
            f"pass --format {codecs.named(codecs.readable())}",
        )
    return found.name


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
        places, header, rows = rows.places, rows.header, rows.rows
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
    seen: dict[str, str] = {}  # id -> where its row is, as messages name it
    check = RecordCheck(ds.fields, ds.key)
    unknown: set[str] = set()
    clashed: set[str] = set()
    for n, row in enumerate(progress.rows(rows), 1):
        # a file's row by its place in the file (its line); rows given as data, by number
        place = places[n - 1] if places else f"row {n}"
        at = f"{where}: {place}"
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
            if blank(value):  # as FIELD= of add and set: no value
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
            problems.append(Problem(at, f"the same id as {seen[rid]}", rid, ds.key))
        elif rid in taken and not replace:
            problems.append(
                Problem(
                    at, f"{ds.name} has this id already; pass --replace to replace it", rid, ds.key
                )
            )
        seen.setdefault(rid, place)
        checked, found = check(record, at, rid)
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
    catalog: Catalog, ds: Dataset, record: Record, at: str, rows: Collection[str]
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
    if request.delimiter is not None and fmt != "csv":
        raise UsageError(
            f"--delimiter applies to CSV; {request.where} is read as {codecs.CODECS[fmt].title}",
            "leave --delimiter out, or read the file as CSV: --format csv",
        )
    delimiter = None
    if request.delimiter is not None:
        from geobal.codecs.delimited import delimiter_of

        delimiter = delimiter_of(request.delimiter)
    with progress.phase(f"reading {request.where}"):
        rows = read_rows(text, fmt, request.where, codecs.ReadOptions(delimiter))
    # said before the rows are checked, so that a report of failing rows comes after how
    # the file was read
    read_as = [f"read {request.where} as {rows.read_as}"] if rows.read_as else []
    if request.say is not None:
        for line in read_as:
            request.say(line)
        read_as = []
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
            *read_as,
            f"read {rows_read}: added {len(written.added)} and replaced "
            f"{len(written.replaced)} in {written.path}",
        ]
    )
