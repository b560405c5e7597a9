"""Small workbooks in the layout of SIPRI's military expenditure workbook, for tests.

Layout of the SIPRI Military Expenditure Database workbook (c) SIPRI; figures made up for
tests except where a test says so. The sheets, their note lines, header rows, region and
subregion rows, '...' and 'xxx' cells, blue and red fonts, Notes cells and the Footnotes
and Regional totals sheets follow the 2025 edition (SIPRI-Milex-data-1949-2024.xlsx, as
/work/shared/milex/README.md describes it); only the countries, years and figures are few
and invented, so a workbook is a few KB and the same on every run.

`build(path)` writes the default content (DEFAULT_COUNTRIES, DEFAULT_TOTALS,
DEFAULT_FOOTNOTES over DEFAULT_YEARS); tests read their expected figures from those
constants rather than repeating them. `theme=True` writes the marks as theme colours with
tints (blue as accent1 darker 25%, red as accent2 darker 25%, black as dk1), as an edition
saved by Excel with theme colours would, instead of SIPRI's RGB.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.styles.colors import Color
from openpyxl.worksheet.worksheet import Worksheet

# A figure as a cell holds it: a number, '...' (data unavailable) or 'xxx' (the country
# did not exist or was not independent), with its mark: "" (black or no colour),
# "estimate" (blue) or "uncertain" (red).
Value = float | str
UNAVAILABLE = "..."
NOT_INDEPENDENT = "xxx"
ESTIMATE = "estimate"
UNCERTAIN = "uncertain"

BLUE, RED, BLACK = "FF0000FF", "FFFF0000", "FF000000"  # SIPRI's RGB font colours
# With theme=True: in the Office theme openpyxl writes (accent1 4F81BD, accent2 C0504D,
# dk1 000000), accent1 darker 25% is 376092 and accent2 darker 25% is 943634.
THEME_BLUE = (4, -0.25)
THEME_RED = (5, -0.25)
THEME_BLACK = (1, 0.0)


@dataclass(frozen=True)
class Country:
    """A country's rows: where it sits, its Notes cell, and its figures by measure (the
    shapes.MILEX_MEASURES field names) and year, each with its mark."""

    name: str
    region: str
    subregion: str  # "" for a region without subregions (the Middle East)
    notes: str = ""  # the Notes cell: '59', '§4', '‖' ... (blue when it holds a number)
    currency: str = ""
    fiscal_year: str = ""  # '' for January-December, as SIPRI leaves it
    figures: Mapping[str, Mapping[int, tuple[Value, str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Total:
    """A row of the Regional totals sheet: US$ b. by year with marks ("" or "uncertain"),
    the last year at current prices, and the countries it omits (None: no cell, as the
    real Europe row has none)."""

    name: str
    figures: Mapping[int, tuple[Value, str]]
    current: float
    omitted: str | None = ""


@dataclass(frozen=True)
class Sheet:
    """A country sheet's layout: its name, note lines above the header, the columns
    between Country and the years, whether a blank row follows the header, and whether
    its years start at 1988 (Per capita, Share of Govt. spending)."""

    measure: str
    name: str
    lines: tuple[str, ...]
    columns: tuple[str, ...]
    blank_after_header: bool = True
    from_1988: bool = False
    share: bool = False


_BLUE_RED = "Figures in blue are SIPRI estimates. Figures in red indicate highly uncertain data."
_SYMBOLS = (
    '". ." = data unavailable. "xxx" = country did not exist or was not independent during '
    "all or part of the year in question."
)
_GROUPED = "Countries are grouped by region and subregion"
_CURRENCY_NOTE = (
    "All figures are expressed in terms of the current currency. In cases where there has "
    "been hyperinflation and multiple redenominations of currency, this can mean that "
    "figures for earlier years may be only a fraction of a present-day currency unit."
)

# In the workbook's order, after `Front page` and `Regional totals`.
SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "local_financial",
        "Local currency financial years",
        (
            "Military expenditure by country, in local currency, 1949-2024      © SIPRI 2024",
            "Figures are in local currency at current prices and are for financial years. "
            "Countries are grouped by region and subregion.",
            _CURRENCY_NOTE,
            "Financial years are always treated as starting in the specified year. For "
            "example for countries with an FY of October-September, FY1974 means October "
            "1974-September 1975.",
            _BLUE_RED,
            _SYMBOLS,
        ),
        ("Currency", "Fiscal Year (Jan-Dec if not stated)", "Notes"),
    ),
    Sheet(
        "local_calendar",
        "Local currency calendar years",
        (
            "Military expenditure by country, in local currency, 1949-2024      © SIPRI 2024",
            "Figures are in local currency at current prices and are for calendar years, "
            "unless otherwise stated. Countries are grouped by region and subregion.",
            _CURRENCY_NOTE,
            _BLUE_RED,
            _SYMBOLS,
        ),
        ("Currency", "Notes"),
    ),
    Sheet(
        "constant_usd",
        "Constant (2023) US$",
        (
            "Military expenditure by country, in constant (2023) US$ m., 1949-2024      "
            "© SIPRI 2024",
            "Figures are in US $m., at constant 2023 prices and exchange rates",
            _BLUE_RED,
            _SYMBOLS,
        ),
        ("", "Notes"),
    ),
    Sheet(
        "current_usd",
        "Current US$",
        (
            "Military expenditure by country, in millions of US$ at current prices and "
            "exchange rates, 1949-2024      © SIPRI 2024",
            "Figures are in US $m., in current prices, converted at the exchange rate for "
            "the given year.",
            _BLUE_RED,
            _SYMBOLS,
        ),
        ("Notes",),
    ),
    Sheet(
        "gdp_share",
        "Share of GDP",
        (
            "Military expenditure by country as percentage of gross domestic product, "
            "1949-2024     © SIPRI 2024",
            _GROUPED,
            _BLUE_RED,
            _SYMBOLS,
        ),
        ("Notes",),
        share=True,
    ),
    Sheet(
        "per_capita",
        "Per capita",
        (
            "Military expenditure per capita  by country, 1949-2024     © SIPRI 2024",
            "Figures are in current US$",
            _GROUPED,
            _BLUE_RED,
            _SYMBOLS,
        ),
        ("Notes",),
        blank_after_header=False,
        from_1988=True,
    ),
    Sheet(
        "government_share",
        "Share of Govt. spending",
        (
            "Military expenditure by country as percentage of government spending, "
            "1949-2024         © SIPRI 2024",
            _GROUPED,
            "Figures are for miltary expenditure expressed as a percentage of general "
            "government expenditure, and are for calendar years except where otherwise stated.",
            "Data for general government expenditure are from the IMF World Economic "
            "Outlook, and include spending by all levels of govt.: central/federal, "
            "state/provincial/regional, municipal and local government, etc.",
            _BLUE_RED,
            _SYMBOLS,
        ),
        ("Notes", "Reporting year"),
        from_1988=True,
        share=True,
    ),
)
SHEET_NAMES: tuple[str, ...] = (
    "Front page",
    "Regional totals",
    *(s.name for s in SHEETS),
    "Footnotes",
)

DEFAULT_YEARS: tuple[int, ...] = (1987, 1988, 1989, 1990, 1991, 1992)
_LATE_START = 1988  # Per capita, Share of Govt. spending and Regional totals start here

# Each measure's made-up scale: a country's figure for a year is its base times this
# times a growth factor, so every figure is a distinct, non-round float.
_SCALE = {
    "local_financial": 1.0e9,
    "local_calendar": 0.97e9,
    "constant_usd": 1.0e3,
    "current_usd": 0.61e3,
    "gdp_share": 1.5e-4,
    "per_capita": 1.7,
    "government_share": 3.1e-4,
}


def series(
    base: float,
    years: Sequence[int] = DEFAULT_YEARS,
    *,
    marks: Mapping[int, str] | None = None,
    values: Mapping[int, Value] | None = None,
) -> dict[str, dict[int, tuple[Value, str]]]:
    """A country's figures on every sheet: base * scale * 1.0371**k for the k-th year
    (to 12 significant digits),
    with `values` ('...', 'xxx' or a number) and `marks` overriding given years on every
    sheet. Per capita and Share of Govt. spending get no year before 1988."""
    out: dict[str, dict[int, tuple[Value, str]]] = {}
    for measure, scale in _SCALE.items():
        late = measure in ("per_capita", "government_share")
        row: dict[int, tuple[Value, str]] = {}
        for k, year in enumerate(years):
            if late and year < _LATE_START:
                continue
            value: Value = _writable(base * scale * 1.0371**k)
            if values and year in values:
                value = values[year]
            row[year] = (value, (marks or {}).get(year, ""))
        out[measure] = row
    return out


def _writable(value: float) -> float:
    """`value` to 12 significant digits: openpyxl writes a float as "%.16g", so a float
    needing 17 digits (326168546332.49994) would come back as another
    (326168546332.4999), and a test could not compare what it wrote with what it reads."""
    short = float(f"{value:.12g}")
    assert float(f"{short:.16g}") == short
    return short


DEFAULT_COUNTRIES: tuple[Country, ...] = (
    Country(
        "United States of America",
        "Americas",
        "North America",
        notes="44",
        currency="US dollars",
        figures=series(303.25),
    ),
    Country(
        "India",
        "Asia & Oceania",
        "South Asia",
        notes="59",
        currency="Rupees",
        fiscal_year="Apr-Mar",
        figures=series(21.37),
    ),
    Country(
        "Pakistan",
        "Asia & Oceania",
        "South Asia",
        notes="60",
        currency="Rupees",
        fiscal_year="Till: 1957 Apr-Mar, 1958: Apr-Jun, From 1959: Jul-Jun",
        figures=series(
            4.153, marks={1987: ESTIMATE, 1988: ESTIMATE, 1989: ESTIMATE, 1990: ESTIMATE}
        ),
    ),
    Country(
        "Korea, South",
        "Asia & Oceania",
        "East Asia",
        notes="§58",
        currency="Won       ",
        figures=series(15.89, values={1987: UNAVAILABLE}, marks={1987: ESTIMATE, 1991: UNCERTAIN}),
    ),
    Country(
        "Russia",
        "Europe",
        "Eastern Europe",
        notes="83",
        currency="Roubles",
        figures=series(
            47.57,
            values={
                1987: NOT_INDEPENDENT,
                1988: NOT_INDEPENDENT,
                1989: NOT_INDEPENDENT,
                1990: UNAVAILABLE,
                1991: UNAVAILABLE,
            },
            marks={1990: ESTIMATE, 1992: ESTIMATE},
        ),
    ),
    Country(
        "USSR",
        "Europe",
        "Eastern Europe",
        currency="Roubles",
        figures=series(
            221.8,
            values={1991: UNAVAILABLE, 1992: NOT_INDEPENDENT},
            marks={1987: ESTIMATE, 1988: UNCERTAIN, 1989: ESTIMATE, 1990: ESTIMATE},
        ),
    ),
    Country(
        "Türkiye",
        "Middle East",
        "",
        notes="‖",
        currency="Liras     ",
        figures=series(6.924, values={1991: 0.0}),
    ),
)


def _total(
    name: str,
    values: Sequence[Value],
    current: float,
    omitted: str | None = "",
    uncertain: Sequence[int] = (),
) -> Total:
    """A regional total over 1988-1992, red (uncertain) in the years `uncertain` names."""
    years = range(_LATE_START, _LATE_START + len(values))
    figures = {
        y: (v, UNCERTAIN if y in uncertain else "") for y, v in zip(years, values, strict=True)
    }
    return Total(name, figures, current, omitted)


_NA = UNAVAILABLE
DEFAULT_TOTALS: tuple[Total, ...] = (
    _total("World", (1728.66, 1660.74, _NA, 1555.5, 1501.25), 1480.5),
    _total("Americas", (853.49, 815.08, 721.21, 741.0, 702.5), 690.25, "Cuba"),
    _total("North America", (810.92, 777.99, 688.05, 700.0, 660.75), 651.5),
    _total(
        "Asia & Oceania",
        (140.23, 146.74, 149.17, 152.0, 155.5),
        150.125,
        "Korea, North, Laos, Turkmenistan, Uzbekistan",
        uncertain=(1988, 1989),
    ),
    _total("South Asia", (26.8, 26.81, 25.88, 24.5, 24.0), 23.75),
    _total("East Asia", (80.92, 85.54, 88.56, 90.0, 92.5), 91.25),
    _total("Europe", (646.32, 582.79, _NA, _NA, 420.0), 415.5, None),  # no Omitted cell
    _total("Eastern Europe", (262.13, 221.76, _NA, _NA, 60.5), 58.25),
    _total(
        "Middle East",
        (67.4, 95.04, 107.12, 110.0, 98.5),
        97.0,
        "Syria, Yemen, North, Yemen",
        uncertain=(1988, 1992),
    ),
)

# SIPRI's special notes (its own text), then numbered footnotes (made up).
SPECIAL_NOTES: tuple[tuple[str, str], ...] = (
    ("†", "Figures for these countries do not include military pensions"),
    (
        "‡",
        "Figures for these countries are for current spending only  (i.e. exclude capital "
        "spending)",
    ),
    ("§", "Figures for these countries are for the adopted budget, rather than actual expenditure"),
    ("¶", "Figures for these countries do not include spending on paramilitary forces"),
    (
        "‖",
        "This country changed or redenominated its currency during the period; all current "
        "price local currency figures have been converted to the latest currency.",
    ),
)
DEFAULT_FOOTNOTES: tuple[tuple[int, str], ...] = (
    (44, "United States of America: a made-up footnote for tests."),
    (58, "Korea, South: a made-up footnote for tests."),
    (59, "India: a made-up footnote for tests."),
    (60, "Pakistan: a made-up footnote for tests."),
    (83, "Russia: a made-up footnote for tests."),
)

_TOTALS_LINES = (
    "Military expenditure by region in constant US dollars     © SIPRI 2024",
    "Figures are in US$ b., at constant 2023 prices and exchange rates, except for the last "
    "figure which is in US$ b. at 2024 prices and exchange rates.",
    "Figures do not always add up to totals because of the conventions of rounding.",
    "Figures in red indicate that more than 10% of the total figure consists of estimates "
    "for countries for which data is missing.",
    'The symbol ". ." indicates that data is unavailable, or that the world or regional '
    "estimate is considered too uncertain to be reliable.",
    'The symbol "xxx" indicates that none of the countries in the relevant sub-region '
    "(Central Asia) were independent at this time.",
    "",
    "Notes regarding estimates and regional coverage",
    "1) The temporal coverage varies by region, based on data availability. A meaningful "
    "world total is not possible before 1988 due to the lack of data for the USSR.",
    "2) All world totals and most regional totals include estimates for at least one country.",
    "3) The estimates exclude certain countries due either to data being missing for too "
    "many years to make meaningful estimates, or to an absence of economic data to enable "
    "conversion to constant (2023) US$. These are shown in the column to the right of the "
    "data for each region",
    "4) The set of countries excluded from the totals for Africa has changed compared to "
    "the previous SIPRI data release in April 2016. Therefore, the estimates for World, "
    "Africa and Sub-Saharan Africa have changed.",
)
_RED_LINES = (_BLUE_RED, _TOTALS_LINES[3])  # SIPRI prints these note lines in red


def build(
    path: Path,
    *,
    countries: Sequence[Country] = DEFAULT_COUNTRIES,
    totals: Sequence[Total] = DEFAULT_TOTALS,
    footnotes: Sequence[tuple[int, str]] = DEFAULT_FOOTNOTES,
    years: Sequence[int] = DEFAULT_YEARS,
    theme: bool = False,
) -> Path:
    """Write a workbook in SIPRI's layout to `path` and return `path`.

    `years` are the country sheets' year columns (Per capita, Share of Govt. spending and
    Regional totals drop those before 1988); a figure a country lacks for a year is an
    empty cell. `theme` writes the marks as theme colours with tints instead of RGB.
    """
    wb = Workbook()
    front = wb.active
    assert front is not None
    front.title = "Front page"  # the real one holds only a picture
    paint = _Paint(theme)
    _totals_sheet(wb.create_sheet("Regional totals"), totals, years, paint)
    for sheet in SHEETS:
        _country_sheet(wb.create_sheet(sheet.name), sheet, countries, years, paint)
    _footnotes_sheet(wb.create_sheet("Footnotes"), footnotes, paint)
    for ws in wb.worksheets:
        for cell in list(ws._cells.values()):
            if not cell.has_style:
                # openpyxl's default font is theme colour 1 (dk1); SIPRI's uncoloured
                # cells have no colour at all
                cell.font = Font()
    wb.save(path)
    _as_sipri_writes(path)
    return path


_EMPTY_STRING = re.compile(rb'(<c [^>]*t="inlineStr")\s*/>')
_TIMESTAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*")


def _as_sipri_writes(path: Path) -> None:
    """Rewrite the saved file so that its empty-string cells stay empty strings and its
    bytes are the same on every run.

    SIPRI's workbook holds '' in some cells (a note line, the Constant sheet's unnamed
    column header, empty Fiscal Year and Notes cells), and a reader sees '' there, not
    None; openpyxl writes '' as an empty inline-string cell, which reads back as None, so
    the cell gets its empty <is><t/></is> back here. openpyxl also stamps the file with
    the time it was saved, which is fixed here, as are the archive's member times.
    """
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            if name.startswith("xl/worksheets/"):
                data = _EMPTY_STRING.sub(rb"\1><is><t></t></is></c>", data)
            elif name == "docProps/core.xml":
                data = _TIMESTAMP.sub(rb"\g<1>2025-04-28T00:00:00Z", data)
            archive.writestr(
                zipfile.ZipInfo(name, date_time=(2025, 4, 28, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )


class _Paint:
    """Fonts for marks, as RGB (SIPRI's 2025 edition) or as theme colours."""

    def __init__(self, theme: bool) -> None:
        self.theme = theme

    def font(self, mark: str) -> Font:
        if self.theme:
            index, tint = {ESTIMATE: THEME_BLUE, UNCERTAIN: THEME_RED, "": THEME_BLACK}[mark]
            return Font(color=Color(theme=index, tint=tint))
        return Font(color={ESTIMATE: BLUE, UNCERTAIN: RED, "": BLACK}[mark])


def _lines(ws: Worksheet, lines: Sequence[str], paint: _Paint) -> None:
    for text in lines:
        ws.append([text])
        if text in _RED_LINES:
            ws.cell(ws.max_row, 1).font = paint.font(UNCERTAIN)
    ws.append([""])  # SIPRI's empty-string line before the header


def _country_sheet(
    ws: Worksheet, sheet: Sheet, countries: Sequence[Country], years: Sequence[int], paint: _Paint
) -> None:
    _lines(ws, sheet.lines, paint)
    shown = [y for y in years if not (sheet.from_1988 and y < _LATE_START)]
    ws.append(["Country", *sheet.columns, *(float(y) for y in shown)])
    if sheet.blank_after_header:
        ws.append([])
    region = subregion = None
    for country in countries:
        if country.region != region:
            region, subregion = country.region, None
            ws.append([region])
        if country.subregion and country.subregion != subregion:
            subregion = country.subregion
            ws.append([subregion])
        ws.append([country.name])
        row = ws.max_row
        ws.cell(row, 1).font = paint.font("")
        for col, title in enumerate(sheet.columns, start=2):
            cell = ws.cell(row, col)
            cell.font = paint.font("")
            if title == "Currency":
                cell.value = country.currency
            elif title.startswith("Fiscal Year"):
                cell.value = country.fiscal_year
            elif title == "Notes":
                cell.value = country.notes
                # SIPRI prints a Notes cell in blue when it refers to a numbered footnote
                if any(ch.isdigit() for ch in country.notes):
                    cell.font = paint.font(ESTIMATE)
            # the Constant sheet's unnamed column and 'Reporting year' stay empty
        figures = country.figures.get(sheet.measure, {})
        first = 2 + len(sheet.columns)
        for col, year in enumerate(shown, start=first):
            if year not in figures:
                continue
            value, mark = figures[year]
            cell = ws.cell(row, col, value)
            # SIPRI colours its '...' and 'xxx' black and leaves plain figures uncoloured
            cell.font = paint.font(mark) if isinstance(value, str) or mark else Font()
            if sheet.share and not isinstance(value, str):
                cell.number_format = "0.00%"


def _totals_sheet(
    ws: Worksheet, totals: Sequence[Total], years: Sequence[int], paint: _Paint
) -> None:
    _lines(ws, _TOTALS_LINES, paint)
    shown = [y for y in years if y >= _LATE_START]
    last = shown[-1]
    ws.append(
        ["Region", *(float(y) for y in shown), f"{last} (current prices)", "", "Omitted countries"]
    )
    for total in totals:
        ws.append([total.name])
        row = ws.max_row
        for col, year in enumerate(shown, start=2):
            if year not in total.figures:
                continue
            value, mark = total.figures[year]
            cell = ws.cell(row, col, value)
            if mark:
                cell.font = paint.font(mark)
        ws.cell(row, len(shown) + 2, total.current)
        if total.omitted is not None:
            ws.cell(row, len(shown) + 4, total.omitted).font = paint.font("")


def _footnotes_sheet(ws: Worksheet, footnotes: Sequence[tuple[int, str]], paint: _Paint) -> None:
    ws.append(["Footnotes and special notes"])
    ws.append([])
    ws.append([])
    ws.append(["The following special notes are used in each worksheet"])
    for mark, text in SPECIAL_NOTES:
        ws.append([mark, text])
    ws.append([])
    ws.append(["Numbered footnote references can be found in each of the data sheets"])
    for number, text in footnotes:
        ws.append([float(number), None, text])
        ws.cell(ws.max_row, 3).font = paint.font("")
