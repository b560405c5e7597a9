"""SIPRI Arms Transfers Database exports, read as SIPRI publishes them, and imported
as datasets of their own.

The trade register: some lines of notes (with the "Data generated" date), a header,
then one line a record, Latin-1 or UTF-8, with unnamed columns that hold '?' where the
order year, number ordered or number delivered is uncertain, and delivery years
separated by '; '. A few records come broken across two lines; they are joined when
the two pieces make one valid record, and reported with their line numbers otherwise.
Every data line is accounted for: imported, joined into the record above, or rejected
with its reason.

The import-volume table: notes, then a header of years, then one line a recipient.
"""

import csv
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from geobal.catalog import Catalog
from geobal.edit import write_records
from geobal.errors import DataError, UsageError
from geobal.model import Problem, Record
from geobal.schema import SOURCES, USER, build_dataset, check_record, slug, stamp
from geobal.store import atomic_write, locked
from geobal.transfer.base import Imported, Progress, Request

SOURCES_URL = "https://www.sipri.org/databases/armstransfers"
REGISTER_WIDTH = 16
STATUS = {
    "New": "new",
    "Second hand": "second-hand",
    "Second hand but modernized": "second-hand-modernized",
}

_ID = {"id": {"type": "text", "title": "ID"}}
REGISTER_FIELDS: dict[str, object] = {
    **_ID,
    "recipient": {"type": "text", "title": "Recipient", "required": True},
    "supplier": {"type": "text", "title": "Supplier", "required": True},
    "order_year": {"type": "integer", "title": "Ordered"},
    "ordered": {"type": "integer", "title": "Number ordered"},
    "designation": {"type": "text", "title": "Designation"},
    "description": {"type": "text", "title": "Description"},
    "delivered": {"type": "integer", "title": "Number delivered"},
    "delivery_years": {"type": "list", "items": "integer", "title": "Delivered in"},
    "status": {
        "type": "choice",
        "title": "Status",
        "choices": [{"value": code, "label": label} for label, code in STATUS.items()],
    },
    "comments": {"type": "text", "title": "Comments"},
    "tiv_unit": {
        "type": "number",
        "title": "TIV per unit",
        "description": "SIPRI trend-indicator value per unit, millions.",
    },
    "tiv_total": {
        "type": "number",
        "title": "TIV of order",
        "description": "SIPRI TIV for the total order, millions.",
    },
    "tiv_delivered": {
        "type": "number",
        "title": "TIV delivered",
        "description": "SIPRI TIV of the weapons delivered, millions.",
    },
    "uncertain": {
        "type": "list",
        "title": "Uncertain",
        "description": "The figures SIPRI marks with '?': order_year, ordered, delivered.",
    },
}
VOLUME_FIELDS: dict[str, object] = {
    **_ID,
    "recipient": {"type": "text", "title": "Recipient", "required": True},
    "year": {"type": "integer", "title": "Year", "required": True},
    "tiv": {
        "type": "number",
        "title": "TIV",
        "description": "Volume of arms imports, millions of SIPRI trend-indicator values.",
    },
}


class Rejected(NamedTuple):
    lines: tuple[int, ...]
    reason: str


class Export(NamedTuple):
    generated: str | None  # the export's "Data generated" date, ISO
    url: str | None  # the methods page the export's notes point to
    records: list[Record]
    read: int  # data lines read
    joined: int  # lines joined into the record above them
    rejected: list[Rejected]


def decode(data: bytes) -> str:
    """UTF-8 where the bytes are UTF-8; otherwise Latin-1, as SIPRI exports."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _notes(lines: list[str], header: int) -> tuple[str | None, str | None]:
    generated = url = None
    for line in lines[:header]:
        if m := re.search(r"Data generated:\s*(\d{1,2} \w{3} \d{4})", line):
            generated = dt.datetime.strptime(m[1], "%d %b %Y").date().isoformat()
        if m := re.search(r"<(https://www\.sipri\.org/[^>]+)>", line):
            url = m[1]
    return generated, url


def _header(lines: list[str], first: str, where: str) -> int:
    for n, line in enumerate(lines):
        if line.startswith(first):
            return n
    raise DataError(f"{where}: no header line starting {first!r}; is this a SIPRI export?")


def _int(cell: str, what: str) -> int | None:
    cell = cell.strip()
    if not cell:
        return None
    if not cell.isdigit():
        raise ValueError(f"{what} is not a whole number: {cell!r}")
    return int(cell)


def _number(cell: str, what: str) -> float | int | None:
    cell = cell.strip()
    if not cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        raise ValueError(f"{what} is not a number: {cell!r}") from None
    return int(value) if value.is_integer() else value


def register_record(cells: list[str]) -> Record:
    """One trade-register row, typed; ValueError says what is wrong with it."""
    recipient, supplier = cells[0].strip(), cells[1].strip()
    if not recipient or not supplier:
        raise ValueError("no recipient or supplier")
    status = STATUS.get(cells[11].strip())
    if status is None:
        raise ValueError(f"unknown status {cells[11].strip()!r}")
    record: Record = {"recipient": recipient, "supplier": supplier}
    values = {
        "order_year": _int(cells[2], "year of order"),
        "ordered": _int(cells[4], "number ordered"),
        "designation": cells[6].strip() or None,
        "description": cells[7].strip() or None,
        "delivered": _int(cells[8], "number delivered"),
    }
    record.update({k: v for k, v in values.items() if v is not None})
    years = [_int(y, "year of delivery") for y in cells[10].split(";") if y.strip()]
    record["delivery_years"] = [y for y in years if y is not None]
    record["status"] = status
    if comments := cells[12].strip():
        record["comments"] = comments
    for key, cell, what in (
        ("tiv_unit", cells[13], "TIV per unit"),
        ("tiv_total", cells[14], "TIV for total order"),
        ("tiv_delivered", cells[15], "TIV of delivered weapons"),
    ):
        if (number := _number(cell, what)) is not None:
            record[key] = number
    flags = [
        name
        for name, cell in (("order_year", cells[3]), ("ordered", cells[5]), ("delivered", cells[9]))
        if cell.strip() == "?"
    ]
    if flags:
        record["uncertain"] = flags
    return record


def _rows(lines: list[str], start: int) -> Iterator[tuple[tuple[int, ...], list[str] | None]]:
    """(line numbers, cells) for each record, joining a record broken across two lines
    when the pieces make one; cells is None for a line that cannot be read."""
    n = start
    while n < len(lines):
        line = lines[n]
        if not line.strip():
            n += 1
            continue
        cells = next(csv.reader([line]))
        if len(cells) < REGISTER_WIDTH and n + 1 < len(lines):
            joined = next(csv.reader([line + lines[n + 1]]))
            if len(joined) == REGISTER_WIDTH:
                yield (n + 1, n + 2), joined
                n += 2
                continue
        yield (n + 1,), cells if len(cells) == REGISTER_WIDTH else None
        n += 1


def _unique(base: str, seen: dict[str, int]) -> str:
    """`base`, or base-2, base-3...: the same export gives every record the same id."""
    if base not in seen:
        return base
    n = seen[base] = seen[base] + 1
    while f"{base}-{n}" in seen:
        n += 1
    return f"{base}-{n}"


def read_register(data: bytes, where: str) -> Export:
    lines = decode(data).replace("\r\n", "\n").split("\n")
    header = _header(lines, "Recipient,Supplier,Year of order", where)
    generated, url = _notes(lines, header)
    records: list[Record] = []
    rejected: list[Rejected] = []
    read = joined = 0
    seen: dict[str, int] = {}
    for numbers, cells in _rows(lines, header + 1):
        read += len(numbers)
        if cells is None:
            rejected.append(Rejected(numbers, f"expected {REGISTER_WIDTH} columns"))
            continue
        try:
            record = register_record(cells)
        except ValueError as err:
            rejected.append(Rejected(numbers, str(err)))
            continue
        joined += len(numbers) - 1
        base = "-".join(
            slug(str(record.get(k, "na"))) for k in ("recipient", "supplier", "order_year")
        )
        base += "-" + slug(str(record.get("designation", "")))[:40].strip("-")
        record["id"] = rid = _unique(base, seen)
        seen[rid] = 1
        records.append(record)
    return Export(generated, url, records, read, joined, rejected)


def read_volumes(data: bytes, where: str) -> Export:
    """The import-volume table: a record per recipient and year with a figure."""
    lines = decode(data).replace("\r\n", "\n").split("\n")
    header = _header(lines, "Recipient,", where)
    generated, url = _notes(lines, header)
    columns = next(csv.reader([lines[header]]))
    years = {i: int(c) for i, c in enumerate(columns) if c.strip().isdigit()}
    records: list[Record] = []
    rejected: list[Rejected] = []
    read = 0
    for n, line in enumerate(lines[header + 1 :], header + 2):
        if not line.strip():
            continue
        read += 1
        cells = next(csv.reader([line]))
        recipient = cells[0].strip()
        try:
            for i, year in years.items():
                value = _number(cells[i], f"the {year} figure") if i < len(cells) else None
                if value is not None:
                    records.append(
                        {
                            "id": f"{slug(recipient)}-{year}",
                            "recipient": recipient,
                            "year": year,
                            "tiv": value,
                        }
                    )
        except ValueError as err:
            rejected.append(Rejected((n,), str(err)))
    return Export(generated, url, records, read, 0, rejected)


class _Shape(NamedTuple):
    kind: str  # what the export is, in titles
    tag: str  # in the source id
    fields: dict[str, object]
    default: str  # the dataset it goes into unless --into says otherwise
    unit: str  # what a data line is, in the summary


REGISTER = _Shape("trade register", "register", REGISTER_FIELDS, "transfers", "lines")
VOLUMES = _Shape("import-volume table", "volumes", VOLUME_FIELDS, "tiv", "rows")


def import_export(
    catalog: Catalog,
    name: str,
    export: Export,
    shape: _Shape,
    where: str,
    today: dt.date | None = None,
    progress: Progress = iter,
) -> tuple[Path, str]:
    """Write a SIPRI export as dataset `name`, replacing it whole: importing the same
    export twice gives the same dataset, not twice the records. The dataset cites a
    source entry for the export, added to your sources. The file written and that
    source's id."""
    import tomli_w

    from geobal.render.text import toml_array

    if catalog.bundled_path(name) is not None:
        raise UsageError(f"{name!r} is a bundled dataset; import the export --into another name")
    source_id = f"sipri-{shape.tag}-{export.generated or 'undated'}"
    source: Record = {
        "id": source_id,
        "title": f"SIPRI Arms Transfers Database: {shape.kind}",
        "publisher": "SIPRI",
        "url": SOURCES_URL,
        "quality": "primary",
        "tag": f"imported by geobal from {Path(where).name}",
        "about": f"The {shape.kind} as exported"
        + (f" on {export.generated}" if export.generated else "")
        + ".",
    }
    if export.generated:
        source["date"] = export.generated
    if export.url:
        source["note"] = f"Methods: {export.url}"
    head = {
        "dataset": {
            "name": name,
            "title": f"SIPRI {shape.kind}" + (f" ({export.generated})" if export.generated else ""),
            "description": f"Imported from {Path(where).name}: Source: SIPRI Arms Transfers "
            "Database (c) SIPRI.",
            "key": "id",
            "updated": today or dt.date.today(),
        },
        "fields": shape.fields,
    }
    path = catalog.user_path(name)
    ds = build_dataset(head, path, USER)
    problems: list[Problem] = []
    for record in progress(export.records):
        record[SOURCES] = [source_id]
        problems += check_record(ds.fields, ds.key, record, where, str(record[ds.key]))[1]
    if problems:
        raise DataError(
            f"{where}: {len(problems)} records do not fit the dataset",
            None,
            problems,
            [str(p) for p in problems[:20]],
        )
    write_records(catalog, SOURCES, [source], replace=True)
    columns = [f for f in ds.fields if not f.derived]
    text = tomli_w.dumps(head) + "\n" + "".join(toml_array("records", columns, export.records))
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        atomic_write(path, text)
        catalog.forget(name)
        # Fill the parse cache from the records in hand: reading 28,000 records back from
        # TOML would make the first query after an import take seconds.
        stamp(export.records, path, USER)
        catalog.prime(ds.with_records(export.records))
    return path, source_id


def _import(
    shape: _Shape, export: Export, catalog: Catalog, request: Request, progress: Progress
) -> Imported:
    name = request.into or shape.default
    path, source = import_export(catalog, name, export, shape, request.where, progress=progress)
    joined = (
        f" ({export.joined} lines joined to the record above: records broken across two lines)"
        if export.joined
        else ""
    )
    lines = [
        f"read {export.read} data {shape.unit} of {request.where}: imported "
        f"{len(export.records)} records{joined}, rejected {len(export.rejected)}"
    ]
    lines += [f"  line {'-'.join(map(str, r.lines))}: {r.reason}" for r in export.rejected]
    lines.append(f"wrote {path}, citing {source}")
    return Imported(lines)


def import_register(catalog: Catalog, request: Request, progress: Progress) -> Imported:
    """--as sipri: the trade register, into `transfers` unless --into says otherwise."""
    export = read_register(request.data, request.where)
    return _import(REGISTER, export, catalog, request, progress)


def import_volumes(catalog: Catalog, request: Request, progress: Progress) -> Imported:
    """--as sipri-tiv: the import-volume table, into `tiv` unless --into says otherwise."""
    export = read_volumes(request.data, request.where)
    return _import(VOLUMES, export, catalog, request, progress)
