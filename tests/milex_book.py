"""A small SIPRI military expenditure workbook, laid out as SIPRI publishes it, for
tests and the README's examples: a few countries and years of the 2025 edition
(SIPRI Military Expenditure Database), a figure in blue (an estimate), one in red
(uncertain), '...' and 'xxx'. Figures from SIPRI Military Expenditure Database (c) SIPRI,
2025 edition (the world's 2022 total made up); built with tests/milex_workbook.py, so no
workbook is kept in the repo."""

from pathlib import Path

from geobal.shapes import MILEX_MEASURES
from tests import milex_workbook as workbook
from tests.milex_workbook import (
    ESTIMATE,
    NOT_INDEPENDENT,
    UNCERTAIN,
    Country,
    Total,
    Value,
)

YEARS = (2022, 2023, 2024)
BLUE, RED = "FF0000FF", "FFFF0000"
# a cell: a figure, (figure, colour), "..." or "xxx"
Cell = float | tuple[float, str] | str
# measure sheet -> country -> its cells, YEARS in order
SHEETS: dict[str, dict[str, tuple[Cell, ...]]] = {
    "Constant (2023) US$": {
        "India": (80348.4948025958, 82293.33216258115, 83623.14058143288),
        "Pakistan": (9877.284211361704, 8626.157588370106, 8183.350598795334),
        "Korea, South": (47504.829737448206, 47801.863038878735, 48473.49894472141),
        "United States of America": (896121.2033945028, 916014.7, 968381.5948509097),
        "Türkiye": (16429.033296339163, 19577.83192354367, 21884.408730506595),
    },
    "Current US$": {
        "India": (79976.78932793697, 82293.33216258115, 86125.97624855244),
        "Pakistan": (10358.13859029127, 8626.157588370106, 10165.952756244771),
        "Korea, South": (46365.420707415724, 47801.863038878735, 47571.318596722755),
        "United States of America": (860692.2, 916014.7, 997309.0),
        "Türkiye": (15036.835693606365, 19577.831923543665, 24978.735534603824),
    },
    "Share of GDP": {
        "India": ((0.023830980983588244, BLUE), 0.02356794266782624, 0.022712033218142025),
        "Pakistan": (0.03176832023525217, 0.028807997406969228, 0.02667600370074522),
        "Korea, South": (0.02576425603950086, 0.025992577105255356, 0.025620525938674844),
        "United States of America": (
            0.03309477158431091,
            0.033044416375979976,
            0.03419216532280439,
        ),
        "Türkiye": (0.016587984353461083, 0.017199188018746526, 0.019225523127637117),
    },
    "Per capita": {
        "India": (56.355694477538194, 57.47933206997621, 59.62602444729462),
        "Pakistan": ((42.85038799928543, RED), 35.112354993711584, 40.772101727166444),
        "Korea, South": (894.9816760108042, 923.5468814868668, 919.4657427175916),
        "United States of America": (2527.0401916657124, 2674.6907073509014, 2895.1143752902926),
        "Türkiye": ("...", "...", "..."),
    },
    "Share of Govt. spending": {
        "India": (0.07994762924809458, 0.0790153722484163, 0.07634148996247747),
        "Pakistan": (0.15920333844512133, 0.14987039077603975, 0.13827570848383386),
        "Korea, South": ("...", 0.11225236372923364, 0.11315660053574418),
        "United States of America": (
            0.09114895104154531,
            0.09108501794823351,
            0.09111589237586222,
        ),
        "Türkiye": ("...", "...", "..."),
    },
    "Local currency calendar years": {
        "India": (6279477825000.0, 6794795850000.0, 7206582450000.0),
        "Pakistan": (2117608500000.0, 2418396000000.0, 2831350000000.0),
        "Korea, South": (59870499999999.99, 62413100000000.01, 64884900000000.0),
        "United States of America": (860692200000.0, 916014700000.0, 997309000000.0),
        "Türkiye": (249015171757.6, 456564829373.0, 821245871159.5977),
    },
    "Local currency financial years": {
        "India": (6475380000000.0, 6901267800000.0, 7308354000000.0),
        "Pakistan": (2199892000000.0, 2636900000000.0, 3025800000000.0),
        "Korea, South": (59870499999999.99, 62413100000000.01, 64884900000000.0),
        "United States of America": (860692200000.0, 916014700000.0, 997309000000.0),
        "Türkiye": (249015171757.6, 456564829373.0, 821245871159.5977),
    },
}
PLACES = {  # country: region, subregion, notes, currency
    "United States of America": ("Americas", "North America", "", "Dollars"),
    "Korea, South": ("Asia & Oceania", "East Asia", "", "Won"),
    "India": ("Asia & Oceania", "South Asia", "59", "Rupees"),
    "Pakistan": ("Asia & Oceania", "South Asia", "§", "Rupees"),
    "Türkiye": ("Middle East", "", "‖", "Liras"),
}
# the numbered ones; the special notes (§ ...) are SIPRI's own text, as
# tests/milex_workbook.py writes them
FOOTNOTES = ((59, "India: The figures for India include expenditure on the paramilitary forces."),)
WORLD = (2240.0, 2447.4443883882655, 2676.5138864674996)  # US$ b.; 2022 made up
WORLD_CURRENT = 2718.18371875139  # 2024, US$ b.
# a country that did not exist in these years: 'xxx' on every sheet
GONE = "USSR"


def _figures(country: str) -> dict[str, dict[int, tuple[Value, str]]]:
    """`country`'s cells on every sheet, by measure and year, with their marks."""
    marks = {BLUE: ESTIMATE, RED: UNCERTAIN}
    figures: dict[str, dict[int, tuple[Value, str]]] = {}
    for title, rows in SHEETS.items():
        measure = next(m for m, (start, _) in MILEX_MEASURES.items() if title.startswith(start))
        cells = rows.get(country, (NOT_INDEPENDENT,) * len(YEARS))
        figures[measure] = {
            year: (cell[0], marks[cell[1]]) if isinstance(cell, tuple) else (cell, "")
            for year, cell in zip(YEARS, cells, strict=True)
        }
    return figures


def build(path: Path) -> Path:
    """Write the workbook to `path`, in the layout tests/milex_workbook.py builds."""
    countries = [
        Country(name, region, subregion, notes, currency, figures=_figures(name))
        for name, (region, subregion, notes, currency) in PLACES.items()
    ]
    countries.append(Country(GONE, "Europe", "Eastern Europe", figures=_figures(GONE)))
    world = Total("World", {y: (v, "") for y, v in zip(YEARS, WORLD, strict=True)}, WORLD_CURRENT)
    return workbook.build(
        path, countries=countries, totals=[world], footnotes=FOOTNOTES, years=YEARS
    )
