"""SIPRI Arms Transfers Database exports, read as SIPRI publishes them.

The trade register: some lines of notes (with the "Data generated" date), a header,
then one line a record, Latin-1 or UTF-8, with unnamed columns that hold '?' where the
order year, number ordered or number delivered is uncertain, and delivery years
separated by '; '. A few records come broken across two lines; they are joined when
the two pieces make one valid record, and reported with their line numbers otherwise.
Every data line is accounted for: imported, joined into the record above, or rejected
with its reason.

The import-volume table: notes, then a header of years, then one line a recipient.

Pure functions: bytes in, typed records out. geobal.userdata writes them.
"""

import csv
import datetime as dt
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from geobal.model import Record
from geobal.schema import slug

REGISTER_WIDTH = 16
STATUS = {
    "New": "new",
    "Second hand": "second-hand",
    "Second hand but modernized": "second-hand-modernized",
}
SOURCES_URL = "https://www.sipri.org/databases/armstransfers"
ESTIMATE = (
    "estimate: each record's delivered TIV spread evenly over its delivery years, as "
    "the register does not say how much was delivered in which year"
)


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
    from geobal.errors import DataError

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


def spread(records: Iterable[Record], start: int, end: int, by: str) -> dict[str, float]:
    """Delivered TIV per value of `by` (supplier or recipient) in the years start-end,
    each record's TIV spread evenly over its delivery years: an estimate, since the
    register does not say how much was delivered in which year."""
    totals: dict[str, float] = {}
    for r in records:
        tiv, years = r.get("tiv_delivered"), r.get("delivery_years")
        if not isinstance(tiv, int | float) or not tiv or not isinstance(years, list) or not years:
            continue
        part = tiv / len(years)
        inside = sum(1 for y in years if isinstance(y, int) and start <= y <= end)
        if inside:
            key = str(r[by])
            totals[key] = totals.get(key, 0.0) + part * inside
    return totals


def per_year(records: Iterable[Record], start: int, end: int) -> dict[int, float]:
    """The same estimate, summed per delivery year."""
    totals = dict.fromkeys(range(start, end + 1), 0.0)
    for r in records:
        tiv, years = r.get("tiv_delivered"), r.get("delivery_years")
        if not isinstance(tiv, int | float) or not tiv or not isinstance(years, list) or not years:
            continue
        for y in years:
            if isinstance(y, int) and start <= y <= end:
                totals[y] += tiv / len(years)
    return totals


def windows(start: int, end: int, size: int = 5) -> list[tuple[str, int, int]]:
    """SIPRI-style periods: every `size`-year window from start to end, as "2019-23"."""
    return [
        (f"{a}-{(a + size - 1) % 100:02d}", a, a + size - 1) for a in range(start, end - size + 2)
    ]


def named(records: Iterable[Record], field: str, text: str) -> str:
    """The value of `field` (recipient, supplier) that `text` names."""
    from geobal.query import known_value

    return known_value((str(r[field]) for r in records if field in r), field, text)


def period_shares(
    records: list[Record], periods: list[tuple[str, int, int]], by: str = "supplier"
) -> list[Record]:
    """Each party's estimated share in each period, as rows of period, supplier, share
    and the sources the figures come from (for geobal.analysis.balance)."""
    from geobal.schema import cited

    sources = ", ".join(sorted({s for r in records for s in cited(r)}))
    rows: list[Record] = []
    for label, start, end in periods:
        totals = spread(records, start, end, by)
        whole = sum(totals.values())
        rows += [
            {
                "period": label,
                "supplier": name,
                "share": 100 * tiv / whole,
                "sheet": sources,
            }
            for name, tiv in totals.items()
            if whole
        ]
    return rows


def last_delivery(records: Iterable[Record]) -> int | None:
    years = [
        y
        for r in records
        if isinstance(ys := r.get("delivery_years"), list)
        for y in ys
        if isinstance(y, int)
    ]
    return max(years) if years else None
