"""CSV and TSV: rows as a header and a line of text values each, written with the values'
exact text (lists separated by ';') and read back as text for the fields to type. CSV
quotes (RFC 4180) and may be separated by ',', ';' or tabs, which reading finds out;
TSV escapes with backslashes (codecs.escape.tsv_cell), so it reads back exactly."""

from collections.abc import Iterable, Iterator, Sequence

from geobal.codecs import PLAIN, ReadOptions, WriteOptions, records_frame
from geobal.codecs.escape import tsv_cell, tsv_unescape, visible
from geobal.codecs.reading import Read, Row, unreadable
from geobal.errors import DataError, UsageError
from geobal.fieldtypes import plain
from geobal.model import Dataset, Field, Value
from geobal.views import Frame

# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(field: Field, value: Value | None) -> str:
    """A value as a CSV cell meant for a spreadsheet: text that a spreadsheet would run
    as a formula gets a leading ', which makes it show the text instead. A number of a
    number field stays as it is: -5 is a figure, and a spreadsheet reads it as one."""
    text = plain(field, value)
    figure = field.numeric and isinstance(value, int | float) and not isinstance(value, bool)
    return "'" + text if text.startswith(FORMULA_STARTS) and not figure else text


def csv_rows(frame: Frame, options: WriteOptions = PLAIN) -> Iterator[str]:
    """RFC 4180 rows, the values' exact text, control characters escaped on a terminal
    (options.tty); with options.spreadsheet, every cell quoted and formulas made inert
    (spreadsheet_cell), for a file a spreadsheet opens. Every line ends with \n, to a
    terminal, a pipe or a file alike: RFC 4180's \r\n would leave a \r on the last
    field of every line a Unix tool reads, and on a terminal show as \x0d where the
    output is escaped whole (an export); spreadsheets and every CSV reader read both."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        quoting=csv.QUOTE_ALL if options.spreadsheet else csv.QUOTE_MINIMAL,
        lineterminator="\n",
    )
    clean = visible if options.tty else str
    cell = spreadsheet_cell if options.spreadsheet else plain
    writer.writerow([f.name for f in frame.columns])
    for row in frame.rows:
        writer.writerow([clean(cell(f, row.get(f.name))) for f in frame.columns])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def tsv_rows(frame: Frame, options: WriteOptions = PLAIN) -> Iterator[str]:
    """A header and a line a row, cells separated by tabs and escaped (tsv_cell)."""
    yield "\t".join(tsv_cell(f.name) for f in frame.columns) + "\n"
    for row in frame.rows:
        yield "\t".join(tsv_cell(plain(f, row.get(f.name))) for f in frame.columns) + "\n"


def csv_dataset(ds: Dataset) -> Iterator[str]:
    """A dataset's records as CSV, refused where a list would not read back the same."""
    lists_exact(ds, "CSV")
    return csv_rows(records_frame(ds))


def tsv_dataset(ds: Dataset) -> Iterator[str]:
    """A dataset's records as TSV, refused where a list would not read back the same."""
    lists_exact(ds, "TSV")
    return tsv_rows(records_frame(ds))


def lists_exact(ds: Dataset, title: str) -> None:
    """Refuse a dataset whose lists CSV and TSV cannot carry exactly, which would import
    back changed: a list writes its items separated by ';', and reads them back
    stripped, empty ones left out, so an item holding ';', with spaces at its ends or
    empty, and an empty list (an empty cell: no value), would come back otherwise."""
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
        hint = "export --format json or toml, which keep them exactly"
        if title == "CSV":
            hint += (
                "; or, for a file to read rather than import back, --format csv --for-spreadsheet"
            )
        raise UsageError(
            f"{ds.name}: {len(found)} lists cannot be written as {title} and read back the "
            f"same (an item holding ';', with spaces at its ends or empty, or an empty "
            f"list): {shown}",
            hint,
        )


# The separators a CSV file is found to use, and how messages name them.
SEPARATORS = {",": "','", ";": "';'", "\t": "tabs"}


def delimiter_of(given: str) -> str:
    """The one character `--delimiter` names: itself, or a tab as `tab` or `\\t`."""
    char = "\t" if given in ("tab", "\\t") else given
    if len(char) != 1 or char in '"\r\n':
        raise UsageError(
            f"--delimiter {given!r}: expected one character that separates cells "
            "(not a quote or a line end)",
            "for example --delimiter ';', or --delimiter tab",
        )
    return char


def read_csv(text: str, where: str, options: ReadOptions) -> Read:
    """A header, then rows of as many cells. The separator is options.delimiter, else
    what the header is separated by: found only where it cannot be mistaken (see
    _separator), and said in the Read's `read_as`."""
    text, declared = _declared(text, where, options.delimiter)
    if declared:
        delimiter = declared
        said = (
            f"CSV separated by {SEPARATORS.get(declared, repr(declared))}, as its first line says"
        )
    elif options.delimiter:
        delimiter, said = options.delimiter, ""
    else:
        delimiter, said = _separator(text, where)
    if said and delimiter == "\t":
        # geobal's own TSV, piped in without --format tsv, would keep its escapes as text
        said += " (TSV as geobal writes it, its escapes read back, is --format tsv)"
    read = _csv(text, where, delimiter)
    return read._replace(read_as=said)


def _declared(text: str, where: str, given: str | None) -> tuple[str, str]:
    """The text without a first line `sep=;` (which Excel writes, and reads as the
    separator of what follows), and the separator it names ("" where there is none).
    The line is blanked rather than cut, so that lines keep their numbers."""
    first, newline, rest = text.partition("\n")
    line = first.removesuffix("\r")
    if not (line.startswith("sep=") and len(line) == 5 and line[4] not in '"'):
        return text, ""
    declared = line[4]
    if given and given != declared:
        raise DataError(
            f"{where}: line 1: {line} says its cells are separated by {declared!r}, "
            f"and --delimiter says {given!r}",
            "leave --delimiter out, or fix the file's first line",
        )
    return newline + rest, declared


def _separator(text: str, where: str) -> tuple[str, str]:
    """The separator of a CSV file's cells, and what to say of it ("" for the usual
    comma): the one of ',', ';' and tab its header holds outside quotes; where it holds
    more than one, the one that reads every row to the header's width, if only one
    does. Anything else is refused, never guessed."""
    found = [d for d in SEPARATORS if d in _header_line(text)]
    if not found:
        return ",", ""  # one column
    if len(found) == 1:
        d = found[0]
        return d, "" if d == "," else f"CSV separated by {SEPARATORS[d]}"
    fits = [d for d in found if _fits(text, d)]
    named = " and ".join(SEPARATORS[d] for d in found)
    if len(fits) == 1:
        d = fits[0]
        return d, f"CSV separated by {SEPARATORS[d]} (its header holds {named})"
    reads = "each reads" if fits else "none reads"
    raise DataError(
        f"{where}: cannot tell what separates its cells: its header holds {named}, "
        f"and {reads} every row to the header's width",
        "say it with --delimiter (for example --delimiter ';', or --delimiter tab)",
    )


def _header_line(text: str) -> str:
    """The first line that is not blank, without what is inside quotes."""
    outside: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "\r\n":
            if any(not c.isspace() for c in outside):
                break
            outside.clear()
        else:
            outside.append(char)
    return "".join(outside)


def _fits(text: str, delimiter: str) -> bool:
    """Whether every row reads, with `delimiter`, to as many cells as the header."""
    try:
        _csv(text, "", delimiter)
    except DataError:
        return False
    return True


def _csv(text: str, where: str, delimiter: str) -> Read:
    wrong: list[str] = []
    read = _table(_csv_lines(text, where, delimiter), where, wrong)
    if wrong:
        between = "commas" if delimiter == "," else "separators"
        hint = (
            "give every row as many cells as the header has columns (an empty cell is "
            f"nothing between two {between}), and import again"
        )
        raise unreadable(where, wrong, hint)
    return read


def _csv_lines(text: str, where: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each record that is not blank, and the line it starts on."""
    import csv
    import io

    # csv's own limit is 128 KiB a field; a long quote or note may be more
    csv.field_size_limit(max(csv.field_size_limit(), 16 * 1024 * 1024))
    # strict: a quote that never closes is an error, not the rest of the file in a cell
    reader = csv.reader(io.StringIO(text), strict=True, delimiter=delimiter)
    while True:
        line = reader.line_num + 1  # where the next record starts
        try:
            cells = next(reader, None)
        except csv.Error as err:
            if str(err) == "unexpected end of data":
                raise DataError(
                    f"{where}: line {line}: a quoted cell there never closes; nothing was imported",
                    'close it with a " (a " inside a quoted cell is written "")',
                ) from None
            raise DataError(
                f"{where}: line {line}: cannot read as CSV: {err}; nothing was imported",
                'quote a cell holding a separator or a " ("" for a " inside it)',
            ) from None
        if cells is None:
            return
        if cells:  # else a blank line
            yield line, cells


def read_tsv(text: str, where: str, options: ReadOptions) -> Read:
    """TSV as geobal writes it: a header, then a line a row, cells separated by tabs
    and backslash escapes read back (tsv_unescape)."""
    wrong: list[str] = []
    read = _table(_tsv_lines(text, wrong), where, wrong)
    if wrong:
        hint = (
            "geobal's TSV writes a backslash as \\\\; a tab-separated file from elsewhere "
            "reads as CSV: --format csv --delimiter tab"
            if any(" is no escape " in w for w in wrong)
            else "give every row as many cells as the header has columns, and import again"
        )
        raise unreadable(where, wrong, hint)
    return read


def _tsv_lines(text: str, wrong: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Each line that is not blank, its cells unescaped, and its number; a line with an
    escape that cannot be read is added to `wrong`."""
    # lines end at \n only: a \r before it is a Windows line end, as geobal never writes
    # a \r raw
    for n, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line:
            continue  # a blank line, or the end of the last
        try:
            yield n, [tsv_unescape(cell) for cell in line.split("\t")]
        except ValueError as err:
            wrong.append(f"line {n}: {err}")


def _table(lines: Iterable[tuple[int, list[str]]], where: str, wrong: list[str]) -> Read:
    """Rows from numbered lines of cells: the first is the header, which the others
    must match in width (a separator too many or too few, or a quote missing: which
    cell belongs to which column cannot be told, so it is not guessed); each that does
    not is added to `wrong`."""
    header: list[str] | None = None
    named = ""  # the header's line
    rows: list[Row] = []
    places: list[str] = []
    for line, cells in lines:
        if header is None:
            header, named = cells, f"line {line}"
            _check_header(header, where, line)
        elif len(cells) != len(header):
            wrong.append(f"line {line} has {len(cells)} cells, the header has {len(header)}")
        else:
            rows.append(dict(zip(header, cells, strict=True)))
            places.append(f"line {line}")
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
