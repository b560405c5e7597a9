"""SIPRI Arms Transfers Database exports, read as SIPRI publishes them (transfer/written.py
writes what is read as a dataset of its own).

SIPRI hands out its register in two shapes, told apart by their header:

- the legacy register: a line a deal, with its delivery years ("2019; 2020") and the
  TIV delivered over all of them, unnamed columns holding '?' after the order year, the
  number ordered and the number delivered, Latin-1 or UTF-8;
- the per-year export (SIPRI's web application and backend): a line a deal and
  delivery year, with the TIV delivered that year and Yes/No flags for estimates.

Both begin with lines of notes (what the export covers, when it was generated, the
credit line), and in both a few records come broken across two lines. Columns are
found by their header names, every expected one must be there, and a record is joined
from two lines only when both are pieces (neither a whole record) and together they
make one whose every field reads; any other line that cannot be read is rejected with
its number. Every data line is accounted for: imported, joined into the record above,
or rejected.

The volume tables (`--as sipri-tiv`) have the same notes, then a header of years and a
line a recipient ("Recipient,": the import-volume table) or a supplier ("Exports by,": the
export-volume table), and a last row of totals. That row tells a table of the world
("Total world import") from one SIPRI filtered to one partner ("Total imports from
China"): the latter's figures are all of that scope, which the table records. A table
is read whole or refused: without that row, it may have been cut short.
"""

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterator
from itertools import dropwhile
from typing import NamedTuple

from geobal.analysis.scopes import SCOPED as _SCOPED
from geobal.analysis.scopes import SCOPES as _SCOPES
from geobal.analysis.scopes import WORLD_ROWS as WORLD_ROWS
from geobal.analysis.scopes import scope as scope
from geobal.analysis.scopes import scoped_parties as scoped_parties
from geobal.errors import DataError
from geobal.model import Record, Value
from geobal.schema import slug
from geobal.shapes import EXPORT_VOLUME_FIELDS as EXPORT_VOLUME_FIELDS
from geobal.shapes import EXPORT_VOLUMES as EXPORT_VOLUMES
from geobal.shapes import LEGACY as LEGACY
from geobal.shapes import LEGACY_FIELDS as LEGACY_FIELDS
from geobal.shapes import MOST_REJECTED as MOST_REJECTED
from geobal.shapes import PER_YEAR as PER_YEAR
from geobal.shapes import PER_YEAR_FIELDS as PER_YEAR_FIELDS
from geobal.shapes import SHAPES as SHAPES
from geobal.shapes import STATUS as STATUS
from geobal.shapes import VOLUME_FIELDS as VOLUME_FIELDS
from geobal.shapes import VOLUMES as VOLUMES
from geobal.shapes import Shape as Shape

SOURCES_URL = "https://www.sipri.org/databases/armstransfers"

# header name -> field, in the order SIPRI exports them; None: the unnamed '?' column
LEGACY_COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("Recipient", "recipient"),
    ("Supplier", "supplier"),
    ("Year of order", "order_year"),
    ("", None),
    ("Number ordered", "ordered"),
    ("", None),
    ("Weapon designation", "designation"),
    ("Weapon description", "description"),
    ("Number delivered", "delivered"),
    ("", None),
    ("Year(s) of delivery", "delivery_years"),
    ("status", "status"),
    ("Comments", "comments"),
    ("SIPRI TIV per unit", "tiv_unit"),
    ("SIPRI TIV for total order", "tiv_total"),
    ("SIPRI TIV of delivered weapons", "tiv_delivered"),
)
# The per-year export's Yes/No flags: SIPRI leaves one blank where it does not say.
_FLAGS = (
    "order_year_estimated",
    "delivered_estimated",
    "delivery_year_estimated",
    "local_production",
)
# What SIPRI's exports of 2026 call a column of the legacy register -> its name before.
RENAMED = {"Deliveries in the Year Range": "Number delivered"}
PER_YEAR_COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("SIPRI AT Database ID", "deal"),
    ("Supplier", "supplier"),
    ("Recipient", "recipient"),
    ("Designation", "designation"),
    ("Description", "description"),
    ("Armament category", "category"),
    ("Order date", "order_year"),
    ("Order date is estimate", "order_year_estimated"),
    ("Numbers delivered", "delivered"),
    ("Numbers delivered is estimate", "delivered_estimated"),
    ("Delivery year", "delivery_year"),
    ("Delivery year is estimate", "delivery_year_estimated"),
    ("Status", "status"),
    ("SIPRI estimate", "tiv_estimate"),
    ("TIV deal unit", "tiv_unit"),
    ("TIV delivery values", "tiv_delivered"),
    ("Local production", "local_production"),
)


# the line every export's notes end with, above its header
CREDITED = "Source: SIPRI Arms Transfers Database"
_UNCHANGED = "export the table again from SIPRI's database, unchanged"


class Rejected(NamedTuple):
    lines: tuple[int, ...]
    reason: str


class Export(NamedTuple):
    shape: Shape
    generated: str | None  # the export's "Data generated" date, ISO
    url: str | None  # the methods page the export's notes point to
    covers: tuple[int, int] | None  # the first and last year its figures cover
    records: list[Record]
    read: int  # data lines read
    joined: int  # lines joined into the record above them
    rejected: list[Rejected]
    said: tuple[str, ...] = ()  # how the file was read: its encoding, what was normalised
    # an export filtered to one partner: "imports from China", "transfers from China"
    scope: str | None = None


# Bytes that Windows-1252 leaves undefined: a file holding one is in neither encoding.
_NOT_1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_UTF8_LETTER = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
_C1 = re.compile(rb"[\x80-\x9f]")


def _line_of(data: bytes, at: int) -> int:
    return data.count(b"\n", 0, at) + 1


def decoded(data: bytes, where: str) -> tuple[str, str]:
    """The text of an export and the encoding it was read as: UTF-8 (a BOM allowed), else
    Windows-1252, or Latin-1 when no byte tells the two apart (SIPRI's legacy export of
    2024 is Latin-1; its download of 2026 is Windows-1252). A DataError names the byte and
    line of a file in neither: a control character, a byte Windows-1252 leaves undefined,
    or valid UTF-8 letters beside bytes that are not (read either way, it would be
    mojibake)."""
    if control := re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", data):
        raise DataError(
            f"{where}:{_line_of(data, control.start())}: byte 0x{data[control.start()]:02X} is "
            "a control character: this is not text in UTF-8 or Windows-1252",
            "save the file again as CSV in UTF-8",
        )
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as err:
        bad = err.start
    if _UTF8_LETTER.search(data):
        raise DataError(
            f"{where}:{_line_of(data, bad)}: byte 0x{data[bad]:02X} is not UTF-8, yet the file "
            "holds UTF-8 letters too: it is in no one encoding",
            "save the file again as CSV in UTF-8",
        )
    if undefined := _NOT_1252.search(data):
        at = undefined.start()
        raise DataError(
            f"{where}:{_line_of(data, at)}: byte 0x{data[at]:02X} is neither UTF-8 nor "
            "Windows-1252",
            "save the file again as CSV in UTF-8",
        )
    if _C1.search(data):
        return data.decode("cp1252"), "Windows-1252"
    return data.decode("latin-1"), "Latin-1"


def decode(data: bytes) -> str:
    """UTF-8 where the bytes are UTF-8; otherwise Windows-1252 (Latin-1's letters in the
    same places), as SIPRI's legacy export is: for a glance at a file, never refused."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


class _Notes(NamedTuple):
    generated: str | None
    url: str | None
    years: tuple[int, int] | None  # "for year range '1950' to '2024'"
    scope: str | None = None  # "transfers from China", of a register SIPRI filtered


# A register's first note says whose transfers it holds: "from China to All countries"
_PARTIES = re.compile(r"Transfers of major conventional arms from (.+?)\s+to (.+?)\s*\.")
_EVERYONE = "All countries"


def register_scope(supplier: str, recipient: str) -> str | None:
    """What a register filtered to a supplier or a recipient holds ("transfers from
    China", "transfers to India", "transfers from China to India"); None for all."""
    said = [f"{word} {who}" for word, who in (("from", supplier), ("to", recipient))]
    kept = [s for s, who in zip(said, (supplier, recipient), strict=True) if who != _EVERYONE]
    return "transfers " + " ".join(kept) if kept else None


def _notes(lines: list[str], header: int, where: str) -> _Notes:
    generated = url = years = scope = None
    for n, line in enumerate(lines[:header], 1):
        if n == 1 and (m := _PARTIES.match(line.strip())):
            scope = register_scope(" ".join(m[1].split()), " ".join(m[2].split()))
        if m := re.search(r"Data generated:\s*(\d{1,2} \w{3} \d{4})", line):
            try:
                generated = dt.datetime.strptime(m[1], "%d %b %Y").date().isoformat()
            except ValueError:
                raise DataError(
                    f"{where}:{n}: the date the export was generated, {m[1]!r}, is not a date",
                    "export it again from SIPRI's database",
                ) from None
        if m := re.search(r"<(https://www\.sipri\.org/[^>]+)>", line):
            url = m[1]
        if m := re.search(r"year range '(\d{4})' to '(\d{4})'", line):
            years = (int(m[1]), int(m[2]))
    return _Notes(generated, url, years, scope)


def _cells(line: str, sep: str = ",") -> list[str]:
    return next(csv.reader([line], delimiter=sep), [])


# The separators a header is looked for with: SIPRI's ',', and the ';' and tab a
# spreadsheet may save it again with; '|' only to say it was found, as geobal reads none.
_READ_SEPARATORS = (",", ";", "\t")
_SEEN_SEPARATORS = (*_READ_SEPARATORS, "|")


def separator_name(sep: str) -> str:
    """How a report names a separator: ';' quoted, a tab by name."""
    return "tab" if sep == "\t" else repr(sep)


def _header_at(
    lines: list[str], shapes: tuple[Shape, ...], separators: tuple[str, ...]
) -> tuple[int, Shape, str] | None:
    for n, line in enumerate(lines):
        for sep in separators:
            if sep not in line:
                continue
            joined = line if sep == "," else ",".join(_cells(line, sep))
            for shape in shapes:
                if joined.startswith(shape.header):
                    return n, shape, sep
    return None


def _header(lines: list[str], shapes: tuple[Shape, ...], where: str) -> tuple[int, Shape, str]:
    """The header line, the shape it begins, and the separator it is written with: ','
    as SIPRI exports, or ';' or a tab as a spreadsheet may save it again. A header split
    by another separator is refused naming it, not taken for no header."""
    if (found := _header_at(lines, shapes, _READ_SEPARATORS)) is not None:
        return found
    _odd_separator(lines, shapes, where)
    kinds = " or ".join(f"{s.kind} (a header line starting {s.header!r})" for s in shapes)
    raise DataError(f"{where}: this is not a SIPRI export: found no {kinds}")


def _odd_separator(lines: list[str], shapes: tuple[Shape, ...], where: str) -> None:
    """Refuses a header of one of `shapes` split by a separator geobal does not read."""
    if (odd := _header_at(lines, shapes, _SEEN_SEPARATORS)) is not None:
        n, shape, sep = odd
        read = ", ".join(separator_name(s) for s in _READ_SEPARATORS)
        raise DataError(
            f"{where}:{n + 1}: the header of SIPRI's {shape.kind} is split by "
            f"{separator_name(sep)}, which geobal does not read",
            f"save the file again with one of the separators geobal reads ({read}), or "
            "export it again from SIPRI's database",
        )


def _first_lines(text: str | bytes) -> list[str]:
    if isinstance(text, bytes):
        head = text[: 64 * 1024]
        text = (
            head.decode("utf-16", "replace")
            if head.startswith((b"\xff\xfe", b"\xfe\xff"))
            else decode(head)
        )
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:100]


def detect_shape(text: str | bytes) -> str | None:
    """Which of SIPRI's exports `text` is, by a header line in its first lines: the tag
    of its shape ("register", "per-year", "volumes" or "export-volumes"), or None."""
    try:
        return _header(_first_lines(text), SHAPES, "")[1].tag
    except DataError:
        return None


def is_export(data: bytes) -> bool:
    """Whether `data` reads as one of SIPRI's exports (a header line of one in its first
    lines): what `fetch` may write over where it keeps the export it imported."""
    return detect_shape(data) is not None


class Text(NamedTuple):
    lines: list[str]  # comma-separated as SIPRI exports: line ends, BOM, extra separators gone
    top: int  # the header line's index
    shape: Shape
    said: tuple[str, ...]  # the encoding it was read as, and what was normalised


def read_text(data: bytes, shapes: tuple[Shape, ...], where: str) -> Text:
    """An export's lines as SIPRI writes them, from the file as SIPRI gave it or as a
    spreadsheet saved it again: CRLF line ends, a BOM, Windows-1252, ';' or tab
    separators, and empty columns added at the end of every line (a spreadsheet pads
    each line to its widest) are undone and said. What cannot be undone with certainty
    is refused naming the line: a line without the empty trailing columns the header
    has, a line of a ';' file that splits into the header's columns by commas and not
    by ';', figures with a decimal point in a file of decimal commas. A file saved as
    UTF-16 is read as such when its BOM says so, and refused as UTF-16 when it does not;
    CR line ends (no LF in the file) are read as LF; a lone CR among LF line ends is
    refused naming its line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, encoding = data.decode("utf-16"), "UTF-16 (its BOM says so)"
    elif len(data) > 1 and (
        data[1::2].count(0) > len(data) // 4 or data[::2].count(0) > len(data) // 4
    ):
        raise DataError(
            f"{where}: the file looks like UTF-16 without a BOM (every other byte is 0x00)",
            "save the file again as CSV in UTF-8",
        )
    else:
        text, encoding = decoded(data, where)
    said = [f"read as {encoding}"]
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        said.append("a byte-order mark (BOM) dropped")
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
        said.append("CRLF line ends read as LF")
    if "\r" in text:
        if "\n" in text:
            raise DataError(
                f"{where}:{text.count(chr(10), 0, text.index(chr(13))) + 1}: a CR without "
                "an LF, among lines ended by LF: cannot tell whether it ends a line",
                "save the file again as CSV with one kind of line end",
            )
        text = text.replace("\r", "\n")
        said.append("CR line ends read as LF")
    lines = text.split("\n")
    top, shape, sep = _header(lines, shapes, where)
    header = _cells(lines[top], sep)
    # the header's empty cells at its end: columns a spreadsheet added, one a separator
    trailing = len(header) - len(list(dropwhile(lambda c: not c.strip(), reversed(header))))
    named = separator_name(sep)
    if sep != ",":
        said.append(f"{named} separators read as ','")
    if trailing == 1:
        said.append(f"the {named} that ends every line dropped")
    elif trailing:
        said.append(f"{trailing} empty trailing columns dropped")
    if sep == "," and not trailing:
        return Text(lines, top, shape, tuple(said))
    out = lines[:top]
    split: dict[int, tuple[int, list[str]]] = {}  # index in out -> line number, cells
    width = len(header) - trailing
    end = sep * trailing
    for n, line in enumerate(lines[top:], top + 1):
        if not line.strip():
            out.append(line)
            continue
        if trailing:
            if not line.endswith(end):
                ends = (
                    f"with {named} as the header does: cannot tell whether its last field was cut"
                    if trailing == 1
                    else f"with the {trailing} empty columns the header ends with: it holds "
                    "something there, or its last field was cut"
                )
                raise DataError(
                    f"{where}:{n}: this line does not end {ends}",
                    "export the file again from SIPRI's database, unchanged",
                )
            line = line[: -len(end)]
        if sep != ",":
            cells = _cells(line, sep)
            if len(cells) != width and len(_cells(line)) == width:
                raise DataError(
                    f"{where}:{n}: this line is split by ',' where the header is split by "
                    f"{named}: cannot tell its fields",
                    "export the file again from SIPRI's database, unchanged",
                )
            split[len(out)] = (n, cells)
        out.append(line)
    if split:
        said += _decimal_commas(split, where)
        for i, (_, cells) in split.items():
            out[i] = _comma_line(cells)
    return Text(out, top, shape, tuple(said))


_DECIMAL_COMMA = re.compile(r"\d+,\d+")
_DECIMAL_POINT = re.compile(r"\d+\.\d+")


def _decimal_commas(split: dict[int, tuple[int, list[str]]], where: str) -> list[str]:
    """Figures written with a decimal comma ("0,15"), as a spreadsheet that saves with
    ';' does, read with a point, in place; what was done, for the report. A file holding
    figures with a point too is refused naming the line of one: "1.500" may be a
    thousand and a half or one and a half."""
    commas = [
        (n, cells, i)
        for n, cells in split.values()
        for i, c in enumerate(cells)
        if _DECIMAL_COMMA.fullmatch(c.strip())
    ]
    if not commas:
        return []
    for n, cells in split.values():
        if point := next((c for c in cells if _DECIMAL_POINT.fullmatch(c.strip())), None):
            raise DataError(
                f"{where}:{n}: {point.strip()!r} is written with a point where the file's "
                f"other figures have a decimal comma (line {commas[0][0]}): cannot tell "
                "what it is",
                "export the file again from SIPRI's database, unchanged",
            )
    for _, cells, i in commas:
        cells[i] = cells[i].strip().replace(",", ".")
    return [f"{len(commas)} figures with a decimal comma read with a point"]


def _comma_line(cells: list[str]) -> str:
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def recognise(data: bytes, where: str) -> Shape | None:
    """The shape of SIPRI export `data` is, for `geobal import FILE` without --as: told
    by SIPRI's credit line among the notes and a header of one of its shapes below
    them. None for anything else: a file of rows has its header on its first line, and
    no notes above it to mistake for SIPRI's. Notes that credit SIPRI above no header
    geobal knows are refused, rather than read as rows; so is a header split by a
    separator geobal does not read."""
    lines = _first_lines(data)
    credited = [n for n, line in enumerate(lines) if line.startswith(CREDITED)]
    found = _header_at(lines, SHAPES, _READ_SEPARATORS)
    if found is None and credited:
        _odd_separator(lines, SHAPES, where)
        kinds = ", ".join(s.kind for s in SHAPES)
        raise DataError(
            f"{where}: its notes credit SIPRI's database, but no header below them is "
            "one of a SIPRI export that geobal reads",
            f"geobal reads SIPRI's {kinds}: export one of them from {SOURCES_URL}",
        )
    if found is None or not any(n < found[0] for n in credited):
        return None
    return found[1]


def uncredited(data: bytes) -> Shape | None:
    """The shape whose header `data` has in full, every column as SIPRI names it, with
    no notes crediting SIPRI above it (cut off, as a user may): what `recognise` does
    not take for SIPRI's, lest a user's rows be mistaken, yet what `--as` would read.
    None for anything else."""
    lines = _first_lines(data)
    found = _header_at(lines, SHAPES, _READ_SEPARATORS)
    if found is None or any(line.startswith(CREDITED) for line in lines[: found[0]]):
        return None
    top, shape, sep = found
    names = [c.strip() for c in _cells(lines[top], sep)]
    while names and not names[-1]:  # columns a spreadsheet added
        names.pop()
    if shape in (LEGACY, PER_YEAR):
        layout = LEGACY_COLUMNS if shape is LEGACY else PER_YEAR_COLUMNS
        full = [RENAMED.get(n, n) for n in names] == [name for name, _ in layout]
    else:
        years, tail = names[1:-4], names[-4:]
        full = (
            len(names) > 5
            and all(re.fullmatch(r"\d{4}", y) for y in years)
            and re.fullmatch(r"\d{4}-\d{4}", tail[0]) is not None
            and tail[1:] == ["Percentage", "Sum total years", "Percentage of total"]
        )
    return shape if full else None


def _columns(
    cells: list[str], expected: tuple[tuple[str, str | None], ...], where: str, line: int
) -> dict[str, int]:
    """Each field's column, found by its header name; the unnamed '?' columns by the
    named one they follow. A DataError names any column missing or not expected."""
    names = [c.strip() for c in cells]
    wanted = [name for name, _ in expected if name]
    missing = [name for name in wanted if name not in names]
    extra = [name for name in names if name and name not in wanted]
    doubled = sorted({name for name in names if name and names.count(name) > 1})
    if missing or extra or doubled or len(names) != len(expected):
        problems = [
            *(["missing " + ", ".join(repr(n) for n in missing)] if missing else []),
            *(["not expected " + ", ".join(repr(n) for n in extra)] if extra else []),
            *(["repeated " + ", ".join(repr(n) for n in doubled)] if doubled else []),
        ] or [f"{len(names)} columns where {len(expected)} were expected"]
        raise DataError(
            f"{where}:{line}: the header's columns are not the export's: {'; '.join(problems)}",
            "export the file again from SIPRI's database, unchanged",
        )
    found = {field: names.index(name) for name, field in expected if field}
    for i, (name, _) in enumerate(expected):
        if not name:  # a '?' column: the one after the figure it qualifies
            before = expected[i - 1][1]
            assert before is not None
            at = found[before] + 1
            if names[at]:
                raise DataError(
                    f"{where}:{line}: no unnamed '?' column after {expected[i - 1][0]!r}",
                    "export the file again from SIPRI's database, unchanged",
                )
            found[f"{before}?"] = at
    return found


def _int(cell: str, what: str) -> int | None:
    cell = cell.strip()
    if not cell:
        return None
    if not cell.isdigit():
        raise ValueError(f"{what} is not a whole number: {cell!r}")
    return int(cell)


_FIGURE = re.compile(r"\d+(\.\d+)?")


def _number(cell: str, what: str) -> float | int | None:
    cell = cell.strip()
    if not cell:
        return None
    # as SIPRI writes a figure: digits, a decimal point maybe (read_text has read a
    # re-save's decimal comma as one); not float()'s '1_000', '1e3', '+5' or 'inf'
    if not _FIGURE.fullmatch(cell):
        if cell.startswith("-") and _FIGURE.fullmatch(cell[1:]):
            raise ValueError(f"{what} is not a TIV figure: {cell!r}")
        try:
            float(cell)
        except ValueError:
            raise ValueError(f"{what} is not a number: {cell!r}") from None
        raise ValueError(
            f"{what} is not a figure as SIPRI writes one (digits, a decimal point maybe): {cell!r}"
        )
    value = float(cell)
    return int(value) if value.is_integer() else value


def _yes_no(cell: str, what: str) -> bool | None:
    """A Yes/No flag; blank where SIPRI does not say, which is unknown, not No."""
    cell = cell.strip()
    if not cell:
        return None
    if cell in ("Yes", "No"):
        return cell == "Yes"
    raise ValueError(f"{what} is not Yes or No: {cell!r}")


def _status(cell: str) -> str:
    status = STATUS.get(cell.strip())
    if status is None:
        raise ValueError(f"unknown status {cell.strip()!r}")
    return status


def _text(cell: str) -> str | None:
    return cell.strip() or None


def _parties(record: Record) -> None:
    if not record.get("recipient") or not record.get("supplier"):
        raise ValueError("no recipient or supplier")


def legacy_record(cells: list[str], at: dict[str, int]) -> Record:
    """One line of the legacy register, typed; ValueError says what is wrong with it."""
    values: dict[str, Value | None] = {
        "recipient": _text(cells[at["recipient"]]),
        "supplier": _text(cells[at["supplier"]]),
        "order_year": _int(cells[at["order_year"]], "year of order"),
        "ordered": _int(cells[at["ordered"]], "number ordered"),
        "designation": _text(cells[at["designation"]]),
        "description": _text(cells[at["description"]]),
        "delivered": _int(cells[at["delivered"]], "number delivered"),
        "delivery_years": [
            y
            for y in (_int(c, "year of delivery") for c in cells[at["delivery_years"]].split(";"))
            if y is not None
        ],
        "status": _status(cells[at["status"]]),
        "comments": _text(cells[at["comments"]]),
        "tiv_unit": _number(cells[at["tiv_unit"]], "TIV per unit"),
        "tiv_total": _number(cells[at["tiv_total"]], "TIV for total order"),
        "tiv_delivered": _number(cells[at["tiv_delivered"]], "TIV of delivered weapons"),
    }
    flags = []
    for name in ("order_year", "ordered", "delivered"):
        flag = cells[at[f"{name}?"]].strip()
        if flag not in ("", "?"):
            raise ValueError(f"the '?' column after {name} holds {flag!r}")
        if flag:
            flags.append(name)
    if flags:
        values["uncertain"] = flags
    record: Record = {k: v for k, v in values.items() if v is not None}
    _parties(record)
    return record


def per_year_record(cells: list[str], at: dict[str, int]) -> Record:
    """One line of the per-year export, typed; ValueError says what is wrong with it."""
    year = _int(cells[at["delivery_year"]], "delivery year")
    if year is None:
        raise ValueError("no delivery year")
    values: dict[str, Value | None] = {
        "deal": _text(cells[at["deal"]]),
        "recipient": _text(cells[at["recipient"]]),
        "supplier": _text(cells[at["supplier"]]),
        "designation": _text(cells[at["designation"]]),
        "description": _text(cells[at["description"]]),
        "category": _text(cells[at["category"]]),
        "order_year": _int(cells[at["order_year"]], "order date"),
        "order_year_estimated": _yes_no(cells[at["order_year_estimated"]], "order date estimate"),
        "delivered": _int(cells[at["delivered"]], "numbers delivered"),
        "delivered_estimated": _yes_no(
            cells[at["delivered_estimated"]], "numbers delivered estimate"
        ),
        "delivery_year": year,
        "delivery_year_estimated": _yes_no(
            cells[at["delivery_year_estimated"]], "delivery year estimate"
        ),
        "status": _status(cells[at["status"]]),
        "tiv_estimate": _number(cells[at["tiv_estimate"]], "SIPRI estimate"),
        "tiv_unit": _number(cells[at["tiv_unit"]], "TIV deal unit"),
        "tiv_delivered": _number(cells[at["tiv_delivered"]], "TIV delivery values"),
        "local_production": _yes_no(cells[at["local_production"]], "local production"),
    }
    if not values["deal"]:
        raise ValueError("no SIPRI AT Database ID")
    record: Record = {k: v for k, v in values.items() if v is not None}
    _parties(record)
    return record


def _lines(
    lines: list[str], start: int, width: int, parse: Callable[[list[str]], Record]
) -> Iterator[tuple[tuple[int, ...], Record | str]]:
    """(line numbers, the record or why the lines were rejected) for every data line.
    Two lines are joined only when each is a piece of a record (fewer cells than the
    header) and together they make one record that reads. A tab inside a cell (not at
    its ends, which any cell's spaces may be) rejects the line: SIPRI writes none, and
    a name with one would be a country of its own."""

    def parse_untabbed(cells: list[str]) -> Record:
        if tabbed := next((c.strip() for c in cells if "\t" in c.strip()), None):
            raise ValueError(f"a tab inside the cell {tabbed!r}")
        return parse(cells)

    n = start
    while n < len(lines):
        line = lines[n]
        if not line.strip():
            n += 1
            continue
        cells = _cells(line)
        if len(cells) == width:
            try:
                yield (n + 1,), parse_untabbed(cells)
            except ValueError as err:
                yield (n + 1,), str(err)
            n += 1
            continue
        after = lines[n + 1] if n + 1 < len(lines) else ""
        if len(cells) < width and after.strip() and len(_cells(after)) < width:
            joined = _cells(line + after)
            if len(joined) == width:
                try:
                    yield (n + 1, n + 2), parse_untabbed(joined)
                    n += 2
                    continue
                except ValueError:
                    pass  # the pieces make no record: each is rejected on its own
        yield (n + 1,), f"expected {width} columns, found {len(cells)}"
        n += 1


# what only an export's notes or header hold: one below the header is a second export
_NOTES_AGAIN = re.compile(f"{CREDITED}|Data generated:|Transfers of major")


def _one_export(lines: list[str], top: int, where: str) -> None:
    """Refuses notes or a header below the header, naming the line: two exports joined,
    whose lines would be read (or rejected) as one's."""
    notes = {line.strip() for line in lines[: top + 1] if line.strip()}
    for n, line in enumerate(lines[top + 1 :], top + 2):
        if line.strip() in notes or _NOTES_AGAIN.match(line) or line.startswith(lines[top]):
            raise DataError(
                f"{where}:{n}: the notes or header of an export again, below its header (line "
                f"{top + 1}): two exports joined? nothing was written",
                "import each export on its own, as SIPRI's database gave it",
            )


def _unique(base: str, seen: dict[str, int]) -> str:
    """`base`, or base-2, base-3...: the same export gives every record the same id."""
    if base not in seen:
        return base
    n = seen[base] = seen[base] + 1
    while f"{base}-{n}" in seen:
        n += 1
    return f"{base}-{n}"


def _legacy_id(record: Record) -> str:
    base = "-".join(slug(str(record.get(k, "na"))) for k in ("recipient", "supplier", "order_year"))
    return base + "-" + slug(str(record.get("designation", "")))[:40].strip("-")


def _per_year_id(record: Record) -> str:
    return f"{slug(str(record['deal']))}-{record['delivery_year']}"


def _covers(notes: tuple[int, int] | None, years: list[int]) -> tuple[int, int] | None:
    """The years an export's figures cover: the range its notes give, ending at the last
    year it has any figure for (an export of October 2024 has no deliveries of 2024)."""
    if not years:
        return notes
    first, last = min(years), max(years)
    if notes is not None:
        first, last = notes[0], min(notes[1], last)
    return (first, last) if first <= last else None


def read_register(data: bytes, where: str) -> Export:
    """A trade register in either of SIPRI's shapes, told apart by its header."""
    lines, top, shape, said = read_text(data, (LEGACY, PER_YEAR), where)
    notes = _notes(lines, top, where)
    legacy = shape is LEGACY
    layout = LEGACY_COLUMNS if legacy else PER_YEAR_COLUMNS
    header = [c.strip() for c in _cells(lines[top])]
    said += tuple(f"column {n!r} read as {RENAMED[n]!r}" for n in header if n in RENAMED)
    at = _columns([RENAMED.get(c, c) for c in header], layout, where, top + 1)

    def parse(cells: list[str]) -> Record:
        return legacy_record(cells, at) if legacy else per_year_record(cells, at)

    _one_export(lines, top, where)
    records: list[Record] = []
    rejected: list[Rejected] = []
    read = joined = 0
    # Identical lines are SIPRI's in the legacy register: its 2024 export holds 9 pairs
    # (two deals alike in every field, such as Ukraine's two NASAMS-2 of 2023), kept as
    # two records, the second id ending "-2". The per-year export has each deal and
    # delivery year once (20,480 lines of 2000-2023, measured): a repeat is damage.
    seen: dict[str, int] = {}
    deliveries: dict[tuple[object, object], int] = {}  # (deal, year) -> its line
    records_seen: set[str] = set()
    twins = 0
    years: list[int] = []
    for numbers, found in _lines(lines, top + 1, len(layout), parse):
        read += len(numbers)
        if isinstance(found, str):
            rejected.append(Rejected(numbers, found))
            continue
        if not legacy:
            key = (found["deal"], found["delivery_year"])
            if (first := deliveries.setdefault(key, numbers[0])) != numbers[0]:
                raise DataError(
                    f"{where}:{numbers[0]}: deal {key[0]}'s delivery of {key[1]} again (line "
                    f"{first}): SIPRI's per-year export has each deal and delivery year once, "
                    "so the file is damaged (a line pasted twice?); nothing was written",
                    "export the file again from SIPRI's database, unchanged",
                )
        joined += len(numbers) - 1
        if legacy:
            alike = repr(sorted(found.items()))
            twins += alike in records_seen
            records_seen.add(alike)
        found["id"] = rid = _unique((_legacy_id if legacy else _per_year_id)(found), seen)
        seen[rid] = 1
        delivered = found.get("delivery_years" if legacy else "delivery_year")
        years += [
            y
            for y in (delivered if isinstance(delivered, list) else [delivered])
            if isinstance(y, int)
        ]
        records.append(found)
    covers = _covers(notes.years, years)
    if twins:
        said += (
            "records alike in every field to one above, kept as deals of their own "
            f"(SIPRI's legacy register repeats such deals): {twins}",
        )
    if not legacy and (blank := sum(flag not in r for r in records for flag in _FLAGS)):
        said += (f"{blank} blank Yes/No flags read as unknown",)
    if notes.scope:
        said += (f"a register of {notes.scope} only, as its first note says",)
    return Export(
        shape,
        notes.generated,
        notes.url,
        covers,
        records,
        read,
        joined,
        rejected,
        said,
        notes.scope,
    )


def read_volumes(data: bytes, where: str) -> Export:
    """A volume table, of imports or of exports (told by its header): a record per
    recipient (or supplier) and year with a figure; its scope where SIPRI filtered it to
    one partner, told by its last row of totals. A table has no lines to drop: a figure
    that is not one, a row twice or cut short, a table with no row of totals or one that
    cannot be this table's, a header cell that is no year nor one of SIPRI's summary
    columns, years out of order, sums that do not add up within SIPRI's rounding, notes
    or a header again below the header are refused naming the line; nothing is read of
    it."""
    lines, top, shape, said = read_text(data, (VOLUMES, EXPORT_VOLUMES), where)
    notes = _notes(lines, top, where)
    party = "recipient" if shape is VOLUMES else "supplier"
    _one_export(lines, top, where)
    columns = _cells(lines[top])
    years = {i: int(c) for i, c in enumerate(columns) if c.strip().isdigit()}
    doubled = sorted({y for y in years.values() if list(years.values()).count(y) > 1})
    if not years or doubled:
        raise DataError(
            f"{where}:{top + 1}: the header "
            + (f"repeats the year {doubled[0]}" if doubled else "names no years"),
            "export the file again from SIPRI's database, unchanged",
        )
    _volume_header(columns, years, f"{where}:{top + 1}")
    width = len(columns)
    rows = [(n, _cells(line)) for n, line in enumerate(lines[top + 1 :], top + 2) if line.strip()]
    if rows and len(rows[-1][1]) < width:
        raise DataError(
            f"{where}:{rows[-1][0]}: the last row has {len(rows[-1][1])} cells where the "
            f"header has {width}: the table looks truncated; nothing was written",
            "download the table again from SIPRI's database, whole",
        )
    records: list[Record] = []
    seen: dict[str, int] = {}
    total: tuple[int, str | None] | None = None  # the row of totals: its line, its scope
    for n, cells in rows:
        if total is not None:
            raise DataError(
                f"{where}:{n}: a row below the table's row of totals (line {total[0]}); "
                "nothing was written",
                _UNCHANGED,
            )
        name = cells[0].strip()
        rid = slug(name)
        if len(cells) != width or not rid or rid in seen:
            problem = (
                f"{len(cells)} cells where the header has {width}"
                if len(cells) != width
                else f"no {party} in its first cell"
                if not rid
                else f"{name!r} again (line {seen[rid]})"
            )
            raise DataError(f"{where}:{n}: {problem}; nothing was written", _UNCHANGED)
        if (scoped := _total_row(name, shape, f"{where}:{n}")) is not None:
            total = (n, scoped or None)
        try:
            found = [
                (year, value)
                for i, year in years.items()
                if (value := _number(cells[i], f"the {year} figure of {name!r}")) is not None
            ]
        except ValueError as err:
            raise DataError(
                f"{where}:{n}: {err}; a volume table is imported whole or not at all: "
                "nothing was written",
                "an empty cell is SIPRI's 'no deliveries identified'; " + _UNCHANGED,
            ) from None
        seen[rid] = n
        mark: Record = {"total": True} if total is not None else {}
        records += [
            {"id": f"{rid}-{year}", party: name, "year": year, "tiv": value, **mark}
            for year, value in found
        ]
    if total is None and rows:  # a table of no rows at all is refused as empty, on import
        raise DataError(
            f"{where}: no row of totals ({WORLD_ROWS[shape.tag]!r}, or "
            f"{'Total ' + _SCOPES[shape.tag] + ' ...'!r} in a table of one partner) after "
            f"its last row (line {rows[-1][0]}): the table looks truncated; nothing was written",
            "download the table again from SIPRI's database, whole",
        )
    if total is not None and len(rows) == 1:
        raise DataError(
            f"{where}:{total[0]}: a row of totals and no row above it: the table's rows were "
            "cut; nothing was written",
            "download the table again from SIPRI's database, whole",
        )
    if total is not None:
        _totals_add_up(columns, years, rows, where)
    scoped = total[1] if total else None
    # a table of imports from China has no row of China's own: it is the world's, renamed
    if total and scoped and (partner := slug(scoped.split(" ", 2)[2])) in seen:
        raise DataError(
            f"{where}:{total[0]}: a table of {scoped} only, by its row of totals, yet line "
            f"{seen[partner]} is a row of that partner's own; nothing was written",
            "is the file the table SIPRI exported? " + _UNCHANGED,
        )
    if scoped is not None:
        said += (f"a table of {scoped} only (its row {'Total ' + scoped!r})",)
    covers = _covers(None, [y for r in records if isinstance(y := r["year"], int)])
    return Export(
        shape, notes.generated, notes.url, covers, records, len(rows), 0, [], said, scoped
    )


# The columns SIPRI ends a volume table with, after its years: the period's sum
# ("1950-2024"), each row's percentage of the total, and the same again for all years.
_SUMMARY = re.compile(r"\d{4}-\d{4}|Percentage|Sum total years|Percentage of total")


def _volume_header(columns: list[str], years: dict[int, int], where: str) -> None:
    """Refuses a header with a cell after its first that is neither a year nor, after
    the years, one of SIPRI's summary columns, or whose years are not consecutive and
    rising: a figure would be dropped unsaid, or read under the wrong year."""
    last = max(years)
    for at, cell in enumerate(columns[1:], 1):
        if at not in years and (at < last or not _SUMMARY.fullmatch(cell.strip())):
            raise DataError(
                f"{where}: the header's column {at + 1}, {cell.strip()!r}, is neither a year "
                "nor one of SIPRI's summary columns after the years ('1950-2024', "
                "'Percentage', 'Sum total years', 'Percentage of total'): its figures would "
                "be dropped unsaid; nothing was written",
                "export the file again from SIPRI's database, unchanged",
            )
    for at, year in years.items():
        if at > 1 and year != years[at - 1] + 1:
            raise DataError(
                f"{where}: the header's years are not consecutive and rising: {year} in "
                f"column {at + 1}, after {years[at - 1]}; nothing was written",
                "export the file again from SIPRI's database, unchanged",
            )


def _rounding(figures: int) -> float:
    """How far a sum of `figures` of SIPRI's may be from SIPRI's stated sum: each figure
    is rounded to a whole TIV (0.5 each), and so is the stated sum (0.5 more). The real
    tables stay well inside it: the worst year is 7 TIV off over 51 figures in the export
    table of 2024, 11 over 125 in the import table, 3 over 17 in the China table (at most
    0.38 of the margin); the worst row's period sum, 6 off over 74 figures."""
    return 0.5 * figures + 0.5


def _plain(figure: float) -> str:
    """A sum as SIPRI would write it: whole where it is, never in exponent form."""
    return str(int(figure)) if float(figure).is_integer() else str(round(figure, 2))


_PERCENT = re.compile(r"(\d+(?:\.(\d+))?)%")


def _totals_add_up(
    columns: list[str], years: dict[int, int], rows: list[tuple[int, list[str]]], where: str
) -> None:
    """Refuses a volume table whose figures do not add up, within SIPRI's rounding, to
    the sums SIPRI states: each row's period sum ("1950-2024") to its years' figures; each
    row's percentage to its share of the total's period sum; each year's total to that
    year's rows. An excerpt holds some of the rows: its totals may exceed its rows', never
    fall short; a whole table (its rows' period sums most of the total's) is checked
    both ways, as is a table with no period sums to tell."""

    def figure(cells: list[str], at: int) -> float:
        return _number(cells[at], "a figure") or 0

    named = {c.strip(): i for i, c in enumerate(columns)}
    period = next((i for c, i in named.items() if re.fullmatch(r"\d{4}-\d{4}", c)), None)
    percent = named.get("Percentage")
    *parts, (last, stated) = rows
    refused = "nothing was written"
    hint = "was a figure or a row changed? " + _UNCHANGED
    whole = period is None
    if period is not None:
        span = range(int(columns[period][:4]), int(columns[period].strip()[5:]) + 1)
        inside = [i for i, y in years.items() if y in span]
        for n, cells in rows:
            filled = [figure(cells, i) for i in inside if cells[i].strip()]
            if abs(figure(cells, period) - sum(filled)) > _rounding(len(filled)):
                raise DataError(
                    f"{where}:{n}: the {columns[period].strip()} sum of {cells[0].strip()!r}, "
                    f"{cells[period].strip()}, is not the sum of its {len(filled)} figures, "
                    f"{_plain(sum(filled))}, within SIPRI's rounding "
                    f"({_plain(_rounding(len(filled)))}); {refused}",
                    hint,
                )
        whole_sum = figure(stated, period)
        filled = [figure(cells, period) for _, cells in parts if cells[period].strip()]
        # an excerpt of the tests holds at most 60% of the total (its largest rows); a
        # table whose rows hold most of it is whole, or has had its total changed
        whole = sum(filled) >= 0.9 * whole_sum
        for n, cells in parts if percent is not None and whole_sum else ():
            assert percent is not None
            if not (m := _PERCENT.fullmatch(cells[percent].strip())):
                continue
            margin = 0.5 * 10 ** -len(m[2] or "") + 0.05  # its rounding, and the sums'
            share = figure(cells, period) / whole_sum * 100
            if abs(share - float(m[1])) > margin:
                raise DataError(
                    f"{where}:{n}: {cells[0].strip()!r} is {m[0]} of the total, yet its "
                    f"{columns[period].strip()} sum is {share:.2f}% of the total's on line "
                    f"{last}; {refused}",
                    hint,
                )
    for at, year in years.items():
        filled = [figure(cells, at) for _, cells in parts if cells[at].strip()]
        gap = figure(stated, at) - sum(filled)
        if gap < -_rounding(len(filled)) or (whole and gap > _rounding(len(filled))):
            raise DataError(
                f"{where}:{last}: the {year} total, {stated[at].strip() or 'empty'}, is not "
                f"the sum of that year's {len(filled)} figures, {_plain(sum(filled))}, "
                f"within SIPRI's rounding ({_plain(_rounding(len(filled)))}); {refused}",
                hint,
            )


def _total_row(name: str, shape: Shape, where: str) -> str | None:
    """A volume table's row of totals: "" for the world's, the scope of a table of one
    partner ("imports from China"); None for a row of a recipient or supplier. A row of
    totals that cannot end a table of this shape is refused."""
    if not name.startswith("Total "):
        if name.lower().startswith("total "):
            raise DataError(
                f"{where}: the row {name!r} reads as a row of totals written in another "
                f"case: SIPRI writes {WORLD_ROWS[shape.tag]!r} or "
                f"{'Total ' + _SCOPES[shape.tag] + ' ...'!r}; nothing was written",
                "is the file the table SIPRI exported? " + _UNCHANGED,
            )
        return None
    if name == WORLD_ROWS[shape.tag]:
        return ""
    if m := _SCOPED[shape.tag].fullmatch(name):
        return m[1]
    party = "recipient" if shape is VOLUMES else "supplier"
    raise DataError(
        f"{where}: the row of totals {name!r} cannot end an {shape.kind}, a row a {party}: "
        f"its total is {WORLD_ROWS[shape.tag]!r}, or {'Total ' + _SCOPES[shape.tag] + ' ...'!r} "
        "in a table of one partner; nothing was written",
        "is the file the table SIPRI exported? " + _UNCHANGED,
    )
