"""SIPRI's Military Expenditure Database, read from the workbook SIPRI publishes
(`SIPRI-Milex-data-1949-2024.xlsx`), into records of the shape shapes.milex_fields
declares: a record a country and year, a field a measure, exactly as the workbook holds
each figure.

What the workbook says only by its look is kept: a figure in blue is one of SIPRI's
estimates, one in red highly uncertain (transfer.colours reads a font's colour, whether
given as RGB or as a theme's). ". ." (unknown) and "xxx" (the country did not exist)
are named per record, never read as 0. Anything else the reader does not recognise (a
sheet missing, a text where a figure belongs, a colour that is neither) is refused with
its sheet and cell: a figure read wrongly would be worse than none.
"""

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from io import BytesIO
from typing import TYPE_CHECKING, Any, NamedTuple

from geobal.codecs.escape import one_line
from geobal.errors import DataError, UsageError
from geobal.model import Record
from geobal.schema import slug
from geobal.shapes import ESTIMATE, MILEX_MEASURES, UNCERTAIN

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

UNKNOWN_CELL = "..."  # SIPRI's ". ." as the cells hold it
GONE_CELL = "xxx"
# SIPRI's five regions; any other heading row is a subregion of the region above it
REGIONS = ("Africa", "Americas", "Asia & Oceania", "Europe", "Middle East")
# and their subregions, as the 2025 edition heads its rows (a heading row is one with no
# figure at all, as a country's row left blank also is: an unknown name is refused)
SUBREGIONS = (
    "North Africa",
    "sub-Saharan Africa",
    "Central America and the Caribbean",
    "North America",
    "South America",
    "Oceania",
    "South Asia",
    "East Asia",
    "South East Asia",
    "Central Asia",
    "Central Europe",
    "Eastern Europe",
    "Western Europe",
)
WORLD = "World"
TOTALS_SHEET = "Regional totals"
NOTES_SHEET = "Footnotes"
# SIPRI's special notes, by the ids their records get (ids are letters and digits)
MARKS = {
    "\u2020": "dagger",
    "\u2021": "double-dagger",
    "\u00a7": "section",
    "\u00b6": "pilcrow",
    "\u2016": "double-bar",
}
# a Notes cell: special marks, then at most one footnote number ("‡§¶16")
_NOTE_CELL = re.compile(r"([" + "".join(MARKS) + r"]*)(\d*)")
_CONSTANT = re.compile(r"Constant \((\d{4})\) US\$")
_CURRENT_TOTAL = re.compile(r"(\d{4}) \(current prices\)")
_MOST_LISTED = 20
# geobal is installed from its clone, not a package index: name what works
INSTALL = (
    "from geobal's clone: uv tool install --force '.[milex]' (or pip install openpyxl "
    "where geobal is installed)"
)


class Milex(NamedTuple):
    """A workbook read: its records and its notes' records, and what it is."""

    records: list[Record]
    notes: list[Record]
    base_year: int  # of its constant dollars
    covers: tuple[int, int]
    saved: str | None  # the date the workbook was last saved, ISO; None if it does not say
    countries: int
    said: tuple[str, ...] = ()


def _open(data: bytes, where: str) -> "Workbook":
    try:
        import openpyxl
    except ImportError:
        raise UsageError(
            "reading an .xlsx workbook needs openpyxl, which is not installed",
            f"install geobal with its extra milex, {INSTALL}",
        ) from None
    from zipfile import BadZipFile

    from openpyxl.utils.exceptions import InvalidFileException

    if (err := unreadable(data, where)) is not None:
        raise err
    try:
        # read-only streams the cells; fonts are still there, and it is half the time
        return openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as err:
        raise DataError(
            f"{where}: not an .xlsx workbook openpyxl can read ({one_line(str(err))})",
            "is it SIPRI's military expenditure workbook (SIPRI-Milex-data-....xlsx), "
            "saved as .xlsx?",
        ) from None


ZIP_MAGIC = b"PK\x03\x04"
# an OLE2 compound file: an Excel 97-2003 .xls, or an .xlsx saved with a password
# (Excel encrypts the whole workbook into one)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def unreadable(data: bytes, where: str) -> DataError | None:
    """Why `data`, a workbook by its first bytes, is none openpyxl can read; None for
    data that is no workbook at all (or one sheet_names reads)."""
    if data.startswith(OLE_MAGIC):
        return DataError(
            f"{where}: an Excel 97-2003 (.xls) workbook, or an .xlsx saved with a "
            "password: neither is an .xlsx workbook openpyxl can read",
            "open it in a spreadsheet program (with its password) and save it as .xlsx without one",
        )
    if data.startswith(ZIP_MAGIC) and sheet_names(data) is None:
        return DataError(
            f"{where}: a zip file that holds no readable .xlsx workbook (cut short?)",
            "download the workbook again",
        )
    return None


def sheet_names(data: bytes) -> list[str] | None:
    """The sheets of the .xlsx workbook `data`, read from its workbook part without
    openpyxl; None for data that is no .xlsx workbook (not a zip holding one)."""
    if not data.startswith(ZIP_MAGIC):
        return None
    import zipfile
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(BytesIO(data)) as zipped:
            part = zipped.read("xl/workbook.xml")
        root = ElementTree.fromstring(part)
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError, ValueError):
        return None
    return [str(e.get("name")) for e in root.iter() if e.tag.endswith("}sheet")]


def is_milex(names: Sequence[str]) -> bool:
    """Whether a workbook with sheets `names` is SIPRI's military expenditure workbook:
    a sheet for each measure, and the footnotes."""
    return NOTES_SHEET in names and all(
        any(n.startswith(start) for n in names) for start, _ in MILEX_MEASURES.values()
    )


def read_milex(data: bytes, where: str) -> Milex:
    """The workbook `data` (the file `where`) read whole; a DataError naming the sheet
    and cell of the first things it cannot read exactly."""
    from geobal.transfer.colours import theme_palette

    wb = _open(data, where)
    try:
        try:
            palette = theme_palette(getattr(wb, "loaded_theme", None))
        except ValueError as err:
            raise DataError(
                f"{where}: {err}", "open it in a spreadsheet program and save it again"
            ) from None
        sheets = {ws.title: ws for ws in wb.worksheets}
        measures, base_year = _measure_sheets(sheets, where)
        notes, note_ids = _footnotes(_sheet(sheets, NOTES_SHEET, where), where)
        # a workbook's own table of indexed colours, where its styles define one
        own = getattr(wb, "_colors", None)
        reader = _Reader(where, palette, note_ids, list(own) if own else None)
        for measure, ws in measures.items():
            reader.sheet(measure, ws)
        if TOTALS_SHEET in sheets:
            reader.totals(sheets[TOTALS_SHEET])
        reader.finish()
        saved = _saved(wb)
    finally:
        wb.close()
    left = sorted(
        set(sheets)
        - {ws.title for ws in measures.values()}
        - {NOTES_SHEET, TOTALS_SHEET, "Front page"}
    )
    said = [*reader.said]
    if left:
        said.append("left out sheets geobal does not read: " + ", ".join(left))
    if TOTALS_SHEET not in sheets:
        said.append(f"no {TOTALS_SHEET!r} sheet: no world or regional totals")
    years = [year for _, year in reader.records]
    if not years:
        raise DataError(f"{where}: no country's figures were found in its sheets", None)
    return Milex(
        list(reader.records.values()),
        notes,
        base_year,
        (min(years), max(years)),
        saved,
        len(reader.countries),
        tuple(said),
    )


def _sheet(sheets: dict[str, Any], title: str, where: str) -> Any:
    if title not in sheets:
        raise DataError(
            f"{where}: no sheet {title!r} (it has {', '.join(map(repr, sheets))})",
            "is it SIPRI's military expenditure workbook, as SIPRI publishes it?",
        )
    return sheets[title]


def _measure_sheets(sheets: dict[str, Any], where: str) -> tuple[dict[str, Any], int]:
    """The sheet of each measure, and the base year of the constant dollars."""
    found: dict[str, Any] = {}
    for measure, (start, _) in MILEX_MEASURES.items():
        matching = [title for title in sheets if title.startswith(start)]
        if len(matching) != 1:
            have = ", ".join(map(repr, sheets))
            raise DataError(
                f"{where}: {'no' if not matching else 'more than one'} sheet named "
                f"{start!r}... (it has {have})",
                "is it SIPRI's military expenditure workbook, as SIPRI publishes it?",
            )
        found[measure] = sheets[matching[0]]
    title = found["constant_usd"].title
    base = _CONSTANT.fullmatch(title)
    if base is None:
        raise DataError(
            f"{where}: sheet {title!r} does not say the base year of its constant dollars "
            "as 'Constant (YYYY) US$'",
            None,
        )
    return found, int(base.group(1))


def _saved(wb: "Workbook") -> str | None:
    when = wb.properties.modified or wb.properties.created
    return when.date().isoformat() if isinstance(when, dt.datetime) else None


def _cells(n: int) -> str:
    return "1 cell" if n == 1 else f"{n} cells"


def _rows(ws: Any, where: str) -> Iterator[tuple[int, Sequence[Any]]]:
    """The rows of `ws`, numbered; a DataError naming the row where openpyxl cannot read
    a cell (a number cell holding "NaN" or "0x10" raises its ValueError mid-sheet)."""
    # read-only openpyxl stops at the <dimension> the sheet declares: a stale or crafted
    # one (A1:F12 on a sheet of 22 rows) dropped rows and columns without a word
    ws.reset_dimensions()
    rows = iter(ws.iter_rows())
    number = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except ValueError as err:
            raise DataError(
                f"{where}: sheet {ws.title!r}, row {number + 1}: a cell openpyxl cannot "
                f"read ({one_line(str(err))})",
                "is this the workbook as SIPRI published it? a number cell holds no number",
            ) from None
        number += 1
        yield number, row


def _name(record: Record, key: str, field: str) -> None:
    """Add `field` to the list of measures `record[key]` names."""
    named = record.setdefault(key, [])
    assert isinstance(named, list)
    named.append(field)  # type: ignore[arg-type]


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _year(value: object) -> int | None:
    """A header cell's year: 1949.0 or 1949 (not a bool, not 1949.5)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() and 1900 <= value <= 2200 else None


def _footnotes(ws: Any, where: str) -> tuple[list[Record], dict[str, str]]:
    """The notes' records (id, mark, text), and the id of each mark as Notes cells
    write it ("§" -> "section", "59" -> "59")."""
    records: list[Record] = []
    ids: dict[str, str] = {}
    for number, row in _rows(ws, where):
        cells = [c.value for c in row]
        if not cells:
            continue
        first = cells[0]
        text = next((_text(c) for c in cells[1:] if _text(c)), "")
        if isinstance(first, str) and first.strip() in MARKS:
            mark = first.strip()
            note_id = MARKS[mark]
        elif (n := _year_like(first)) is not None:
            mark = note_id = str(n)
        else:
            continue  # the sheet's own headings
        if not text:
            raise DataError(
                f"{where}: sheet {NOTES_SHEET!r}, row {number}: note {mark} has no text", None
            )
        if mark in ids:
            raise DataError(
                f"{where}: sheet {NOTES_SHEET!r}, row {number}: note {mark} is given twice", None
            )
        ids[mark] = note_id
        records.append({"id": note_id, "mark": mark, "text": text})
    return records, ids


def _year_like(value: object) -> int | None:
    """A footnote's number: 12.0, 12 or "12"."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() and value > 0 else None


class _Header(NamedTuple):
    years: dict[int, int]  # column index: year
    notes: int
    currency: int | None
    fiscal: int | None
    unread: tuple[int, ...]  # columns with no data in any edition seen: must stay empty


def _at(values: Sequence[Any], index: int | None) -> Any:
    return values[index] if index is not None and index < len(values) else None


def _cell(index: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(index + 1)}{row}"


class _Reader:
    """The records of every sheet, merged by country and year as they are read."""

    def __init__(
        self,
        where: str,
        palette: tuple[str, ...],
        note_ids: dict[str, str],
        indexed: list[str] | None = None,
    ) -> None:
        self.where = where
        self.palette = palette
        self.indexed = indexed
        self.note_ids = note_ids
        self.records: dict[tuple[str, int], Record] = {}
        # each country's region, subregion and notes, as its first sheet gave them
        self.countries: dict[str, tuple[str | None, str | None, list[str]]] = {}
        self.problems: list[str] = []
        self.said: list[str] = []
        self.on_sheet: dict[str, set[str]] = {}  # the countries each sheet has a row for
        # the country of each record id: two names may make one id ("India", "India.")
        self.ids: dict[str, str] = {}
        # the rows read as headings (sheet, row, name): a country's row with no figure
        # at all looks like one, so each must be a region or subregion SIPRI names
        self.headings: list[tuple[str, int, str]] = []
        self.total_names: set[str] = set()

    def problem(self, sheet: str, cell: str, what: str) -> None:
        self.problems.append(f"sheet {sheet!r}, cell {cell}: {what}")

    def record(self, country: str, year: int) -> Record:
        record = self.records.get((country, year))
        if record is None:
            rid = f"{slug(country)}-{year}"
            other = self.ids.setdefault(rid, country)
            if other != country:
                raise DataError(
                    f"{self.where}: {country!r} and {other!r} would both be the record {rid}",
                    "is this the workbook as SIPRI published it? SIPRI names each country once",
                )
            record = {"id": rid, "country": country, "year": year}
            self.records[(country, year)] = record
        return record

    def sheet(self, measure: str, ws: Any) -> None:
        """Read one measure's sheet into the records."""
        title = ws.title
        header: _Header | None = None
        region: str | None = None
        subregion: str | None = None
        seen = self.on_sheet.setdefault(ws.title, set())
        for number, row in _rows(ws, self.where):
            values = [c.value for c in row]
            if header is None:
                if values and _text(values[0]) == "Country":
                    header = self._header(title, number, values)
                continue
            if not values or _blank(values[0]):
                if any(not _blank(v) for v in values):
                    self.problem(title, f"A{number}", "a row with figures but no country")
                continue
            name = _text(values[0])
            if all(_blank(v) for v in values[1:]):  # a region's or subregion's heading
                self.headings.append((title, number, name))
                if name in REGIONS:
                    region, subregion = name, None
                else:
                    subregion = name
                continue
            if name in seen:
                self.problem(title, f"A{number}", f"{name!r} is on two rows")
                continue
            seen.add(name)
            self._country(title, number, name, region, subregion, values, header)
            for index in header.unread:
                if not _blank(_at(values, index)):
                    self.problem(
                        title, _cell(index, number), "a value in a column geobal does not read"
                    )
            extra = {
                key: _text(_at(values, index))
                for key, index in (("currency", header.currency), ("fiscal_year", header.fiscal))
                if not _blank(_at(values, index))
            }
            for index, year in header.years.items():
                cell = row[index] if index < len(row) else None
                record = self.record(name, year)
                for key, text in extra.items():
                    if record.setdefault(key, text) != text:
                        self.problem(
                            title,
                            f"A{number}",
                            f"its {key} {text!r} is not {record[key]!r}, as another sheet says",
                        )
                self._figure(title, _cell(index, number), measure, cell, record)
        if header is None:
            raise DataError(
                f"{self.where}: sheet {title!r} has no header row starting with 'Country'",
                "is it SIPRI's military expenditure workbook, as SIPRI publishes it?",
            )

    def _header(self, title: str, number: int, values: list[Any]) -> _Header:
        years: dict[int, int] = {}
        notes = currency = fiscal = None
        unread: list[int] = []
        labelled: set[str] = set()
        for index, value in enumerate(values[1:], 1):
            year = _year(value)
            label = _text(value)
            if year is not None:
                if year in years.values():
                    self.problem(title, _cell(index, number), f"year {year} is given twice")
                years[index] = year
            elif label in ("Notes", "Currency") or label.startswith("Fiscal Year"):
                # a second column of one of these would silently win over the first
                what = label if label in ("Notes", "Currency") else "Fiscal Year"
                if what in labelled:
                    self.problem(
                        title, _cell(index, number), f"a second {what!r} column in the header"
                    )
                labelled.add(what)
                if what == "Notes":
                    notes = index
                elif what == "Currency":
                    currency = index
                else:
                    fiscal = index
            elif label == "Reporting year" or not label:
                unread.append(index)
            else:
                self.problem(
                    title, _cell(index, number), f"a column geobal does not read ({label!r})"
                )
        if notes is None or not years:
            raise DataError(
                f"{self.where}: sheet {title!r}, row {number}: the header has no "
                + ("'Notes' column" if notes is None else "year columns"),
                "is it SIPRI's military expenditure workbook, as SIPRI publishes it?",
            )
        return _Header(years, notes, currency, fiscal, tuple(unread))

    def _country(
        self,
        title: str,
        number: int,
        name: str,
        region: str | None,
        subregion: str | None,
        values: list[Any],
        header: _Header,
    ) -> None:
        """Check a country's place and notes against what its first sheet said."""
        at = _cell(header.notes, number)
        raw = _at(values, header.notes)
        text = (
            ""
            if raw is None
            else str(
                int(raw) if _year_like(raw) is not None and not isinstance(raw, str) else raw
            ).strip()
        )
        parsed = _NOTE_CELL.fullmatch(text.replace(" ", ""))
        notes: list[str] = []
        if parsed is None:
            self.problem(
                title,
                at,
                f"notes {text!r} are not SIPRI's marks ({' '.join(MARKS)}) and a footnote number",
            )
        else:
            for mark in [*parsed.group(1), *([parsed.group(2)] if parsed.group(2) else [])]:
                if mark in self.note_ids and self.note_ids[mark] in notes:
                    self.problem(title, at, f"note {mark} is given twice in {text!r}")
                elif mark in self.note_ids:
                    notes.append(self.note_ids[mark])
                else:
                    self.problem(title, at, f"note {mark} is not on the {NOTES_SHEET!r} sheet")
        place = (region, subregion, notes)
        first = self.countries.setdefault(name, place)
        if first[:2] != place[:2]:
            self.problem(
                title,
                f"A{number}",
                f"{name!r} is under {region}/{subregion} here, "
                f"{first[0]}/{first[1]} on another sheet",
            )
        elif first[2] != notes:
            # the union, in the order met: a note on any sheet is about the country
            first[2].extend(n for n in notes if n not in first[2])

    def _figure(
        self, title: str, at: str, field: str, cell: Any, record: Record, total: bool = False
    ) -> None:
        """One cell's figure, or what SIPRI says instead of one, into `record`'s `field`
        with its mark; a problem for anything else. On the totals' sheet red means more
        than a tenth of the total is estimated, and no total is blue."""
        from geobal.transfer.colours import mark_of, rgb_of

        value = cell.value if cell is not None else None
        if isinstance(value, str) and value.strip() in (UNKNOWN_CELL, ". ."):
            _name(record, "unknown", field)
            return
        if isinstance(value, str) and value.strip() == GONE_CELL:
            _name(record, "not_independent", field)
            return
        if cell is None or isinstance(value, bool) or not isinstance(value, int | float):
            what = "an empty cell" if _blank(value) else f"{value!r}"
            self.problem(title, at, f"{what} where a figure, '...' or 'xxx' belongs")
            return
        if value < 0:
            # no measure of SIPRI's (spending, shares, per capita) is ever below 0
            self.problem(title, at, f"{value!r} is below 0, as no figure of SIPRI's is")
            return
        try:
            rgb = rgb_of(cell.font.color, self.palette, self.indexed)
        except ValueError as err:
            self.problem(title, at, f"its font colour cannot be read ({err})")
            return
        mark = mark_of(rgb)
        if mark == "other" or (total and mark == "estimate"):
            known = "red (over 10% estimated)" if total else "blue (estimate), red (uncertain)"
            self.problem(title, at, f"its font colour {rgb} is none of SIPRI's: black, {known}")
            return
        record[field] = float(value)
        if mark == "estimate":
            record[field + ESTIMATE] = True
        elif mark == "uncertain":
            record[field + UNCERTAIN] = True

    def totals(self, ws: Any) -> None:
        """The world's and each region's totals, on rows of their own."""
        title = ws.title
        years: dict[int, int] = {}
        current: tuple[int, int] | None = None
        omitted: int | None = None
        region: str | None = None
        header = False
        for number, row in _rows(ws, self.where):
            values = [c.value for c in row]
            if not header:
                if values and _text(values[0]) == "Region":
                    header = True
                    for index, value in enumerate(values[1:], 1):
                        label = _text(value)
                        if (year := _year(value)) is not None:
                            years[index] = year
                        elif (m := _CURRENT_TOTAL.fullmatch(label)) is not None:
                            current = (index, int(m.group(1)))
                        elif label == "Omitted countries":
                            omitted = index
                        elif label:
                            self.problem(
                                title,
                                _cell(index, number),
                                f"a column geobal does not read ({label!r})",
                            )
                continue
            if not values or _blank(values[0]):
                continue
            name = _text(values[0])
            if name in self.total_names:
                self.problem(title, f"A{number}", f"{name!r} is on two rows")
                continue
            self.total_names.add(name)
            if name in REGIONS:
                region = name
            left = _text(_at(values, omitted))
            columns = [(i, y, "total_constant_usd_bn") for i, y in years.items()]
            if current is not None:
                columns.append((current[0], current[1], "total_current_usd_bn"))
            for index, year, field in columns:
                cell = row[index] if index < len(row) else None
                key = (name, year)
                if key in self.records and not self.records[key].get("total"):
                    self.problem(title, f"A{number}", f"{name!r} is also a country's name")
                    return
                record = self.record(name, year)
                record["total"] = True
                if region is not None and name not in REGIONS and name != WORLD:
                    record["region"] = region
                if left:
                    record["omitted"] = left
                self._figure(title, _cell(index, number), field, cell, record, total=True)
        if not header:
            raise DataError(
                f"{self.where}: sheet {title!r} has no header row starting with 'Region'",
                "is it SIPRI's military expenditure workbook, as SIPRI publishes it?",
            )

    def finish(self) -> None:
        """Every country's notes on its records; a DataError listing what could not be read."""
        # a country missing from a sheet would have neither figure nor '...' there, as
        # if the sheet had no column for its years: that it has no row is said
        for title, there in self.on_sheet.items():
            missing = sorted(set(self.countries) - there)
            if missing:
                self.problems.append(
                    f"sheet {title!r}: no row for {', '.join(map(repr, missing[:5]))}"
                    + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
                    + ", which other sheets have"
                )
        known = {*REGIONS, *SUBREGIONS, *self.total_names}
        for title, number, name in self.headings:
            if name not in known:
                self.problem(
                    title,
                    f"A{number}",
                    f"{name!r} has no figure, '...' or 'xxx' in any year, and is none of "
                    f"SIPRI's regions and subregions (nor a row of its {TOTALS_SHEET!r} sheet)",
                )
        if self.problems:
            raise DataError(
                f"{self.where}: {_cells(len(self.problems))} cannot be read exactly; "
                "nothing was written",
                "is this the workbook as SIPRI published it? geobal reads figures, '...' "
                "(unknown) and 'xxx' (did not exist), in black, blue (estimates) or red "
                "(highly uncertain)",
                details=self.problems[:_MOST_LISTED]
                + (
                    [f"and {len(self.problems) - _MOST_LISTED} more"]
                    if len(self.problems) > _MOST_LISTED
                    else []
                ),
            )
        for (country, _), record in self.records.items():
            place = self.countries.get(country)
            if place is None:
                continue  # a row of totals
            region, subregion, notes = place
            if region:
                record["region"] = region
            if subregion:
                record["subregion"] = subregion
            if notes:
                record["notes"] = list(notes)
