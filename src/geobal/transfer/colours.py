"""The font colours of SIPRI's military expenditure workbook, and what they mark.

SIPRI marks its figures only by colour: "Figures in blue are SIPRI estimates. Figures in
red indicate highly uncertain data." The 2025 edition writes plain RGB (FF0000FF blue,
FFFF0000 red, FF000000 black); other editions, or a workbook resaved by hand, may write a
theme colour with a tint (`<color theme="4" tint="-0.25"/>`) or a legacy indexed colour.
This module turns any of them into "RRGGBB" and then into a mark, and knows nothing of
openpyxl at run time (the reader hands it the workbook's theme bytes and each font's
colour), so it stays pure and cheap to import.
"""

from __future__ import annotations

import colorsys
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.styles.colors import Color

__all__ = [
    "ESTIMATE",
    "OFFICE_2007_PALETTE",
    "OTHER",
    "UNCERTAIN",
    "mark_of",
    "rgb_of",
    "theme_palette",
]

ESTIMATE = "estimate"
UNCERTAIN = "uncertain"
OTHER = "other"

# Excel's `theme="N"` does not follow the order <a:clrScheme> lists its colours in
# (dk1, lt1, dk2, lt2, accent1..6, hlink, folHlink): N = 0 is lt1 and N = 1 is dk1, and
# likewise 2 is lt2 and 3 is dk2. Found in: SheetJS issue #389 ("Excel fgcolor theme
# swapped": Excel writes theme="0" for the colour its picker calls lt1), Apache POI's
# ThemesTable.ThemeElement enum (LT1(0), DK1(1), LT2(2), DK2(3), ACCENT1(4), ...), and
# xlsxparser issue #76, which checked the swap against a real workbook. ECMA-376 itself
# only says "index into the <clrScheme> collection", which is why readers get it wrong.
_SCHEME_ORDER = (
    "lt1",
    "dk1",
    "lt2",
    "dk2",
    "accent1",
    "accent2",
    "accent3",
    "accent4",
    "accent5",
    "accent6",
    "hlink",
    "folHlink",
)

# The "Office" theme of Office 2007-2010, in Excel's index order: the theme openpyxl
# writes into every workbook it saves (openpyxl.writer.theme.theme_xml; the same values
# appear in SheetJS issue #389), so a workbook without a theme part that openpyxl or
# Excel 2007 made shows these. A test parses openpyxl's theme_xml against this tuple.
OFFICE_2007_PALETTE: tuple[str, ...] = (
    "FFFFFF",  # lt1 (sysClr window)
    "000000",  # dk1 (sysClr windowText)
    "EEECE1",  # lt2
    "1F497D",  # dk2
    "4F81BD",  # accent1
    "C0504D",  # accent2
    "9BBB59",  # accent3
    "8064A2",  # accent4
    "4BACC6",  # accent5
    "F79646",  # accent6
    "0000FF",  # hlink
    "800080",  # folHlink
)

_DRAWINGML = "{http://schemas.openxmlformats.org/drawingml/2006/main}"

# Indexed colour 64 is the "system foreground" (the window text colour): Excel's automatic
# colour, no colour chosen by the author, so no mark.
_SYSTEM_FOREGROUND = 64


def theme_palette(theme_xml: bytes | None) -> tuple[str, ...]:
    """The workbook theme's twelve colours as "RRGGBB", in the order Excel's `theme="N"`
    indexes them (lt1, dk1, lt2, dk2, accent1..6, hlink, folHlink).

    `theme_xml` is xl/theme/theme1.xml as bytes (openpyxl's `wb.loaded_theme`); None (a
    workbook with no theme part) gives OFFICE_2007_PALETTE. A scheme colour given as
    <a:sysClr> counts as its `lastClr`, the colour the system had when the file was saved.
    Raises ValueError naming what is missing or malformed.
    """
    if theme_xml is None:
        return OFFICE_2007_PALETTE
    # xml.etree fetches no external entities; a theme has no business declaring any
    # entity at all, so a DOCTYPE is refused rather than expanded.
    if b"<!DOCTYPE" in theme_xml.upper():
        raise ValueError("the workbook's theme declares a DOCTYPE, which no theme needs")
    try:
        root = ET.fromstring(theme_xml)
    except ET.ParseError as exc:
        raise ValueError(f"the workbook's theme is not well-formed XML ({exc})") from None
    scheme = root.find(f"{_DRAWINGML}themeElements/{_DRAWINGML}clrScheme")
    if scheme is None:
        raise ValueError("the workbook's theme has no colour scheme (a:clrScheme)")
    colours: list[str] = []
    for name in _SCHEME_ORDER:
        slot = scheme.find(f"{_DRAWINGML}{name}")
        if slot is None:
            raise ValueError(f"the workbook's theme has no colour {name}")
        colours.append(_scheme_colour(name, slot))
    return tuple(colours)


def _scheme_colour(name: str, slot: ET.Element) -> str:
    srgb = slot.find(f"{_DRAWINGML}srgbClr")
    if srgb is not None:
        return _hex6(srgb.get("val"), f"theme colour {name}")
    sys_clr = slot.find(f"{_DRAWINGML}sysClr")
    if sys_clr is not None:
        return _hex6(sys_clr.get("lastClr"), f"theme colour {name} (sysClr lastClr)")
    raise ValueError(f"the workbook's theme colour {name} is neither srgbClr nor sysClr")


def _hex6(value: str | None, what: str) -> str:
    """The last six hex digits of an RGB or ARGB string, upper case: alpha is ignored,
    as Excel ignores it for font colours."""
    text = (value or "").strip()
    if len(text) not in (6, 8) or any(c not in "0123456789abcdefABCDEF" for c in text):
        raise ValueError(f"{what} is {value!r}, not RRGGBB or AARRGGBB hex")
    return text[-6:].upper()


def rgb_of(
    color: Color | None,
    palette: Sequence[str],
    indexed_colours: Sequence[str] | None = None,
) -> str | None:
    """A font colour as "RRGGBB", or None for no colour (Excel's automatic colour).

    `color` is an openpyxl Color (a cell's `font.color`) or None. Type "rgb" gives its
    ARGB without the alpha; "theme" gives `palette[theme]` (theme_palette's order) with
    its `tint` applied as Excel applies it; "indexed" gives the legacy 64-colour table
    (`indexed_colours`, or openpyxl's COLOR_INDEX when None: pass the workbook's own
    table when its styles define one), with 64, the system foreground, as automatic;
    "auto" is automatic. A theme or index outside its table raises ValueError saying
    which, for the reader to name the cell.
    """
    if color is None:
        return None
    kind = color.type
    if kind == "rgb":
        return _hex6(str(color.rgb), "the font colour")
    if kind == "theme":
        index = int(color.theme)
        if not 0 <= index < len(palette):
            raise ValueError(
                f"the font colour is theme colour {index}, but the workbook's theme has "
                f"colours 0-{len(palette) - 1}"
            )
        return tint(palette[index], float(color.tint or 0.0))
    if kind == "indexed":
        index = int(color.indexed)
        if index == _SYSTEM_FOREGROUND:
            return None
        table = indexed_colours if indexed_colours is not None else _openpyxl_index()
        if not 0 <= index < len(table):
            raise ValueError(
                f"the font colour is indexed colour {index}, but the colour table has "
                f"colours 0-{len(table) - 1} (and 64, automatic)"
            )
        return _hex6(table[index], f"indexed colour {index}")
    if kind == "auto":
        return None
    raise ValueError(f"the font colour has type {kind!r}, not rgb, theme, indexed or auto")


def _openpyxl_index() -> Sequence[str]:
    # Imported only when an indexed colour turns up: by then openpyxl has loaded the
    # workbook, and this module stays importable without it.
    from openpyxl.styles.colors import COLOR_INDEX

    return COLOR_INDEX


def tint(rgb: str, amount: float) -> str:
    """`rgb` ("RRGGBB") lightened (amount > 0) or darkened (amount < 0) the way Excel
    applies a theme colour's tint: in HLS, luminance L becomes L * (1 + amount) when
    darkening and L * (1 - amount) + amount when lightening; hue and saturation stay.

    ECMA-376 Part 4 (the tint attribute of CT_Color) gives this formula with HLS scaled
    to 0..HLSMAX, "where HLSMAX is currently 255". Rounding H, L and S to that grid
    before and after does not reproduce Excel's own swatches (accent1 4472C4 "darker
    25%" is 2F5597 in Excel's picker, the 255 grid gives 2F5497; 4F81BD -0.25 is 376092,
    the 240 grid that openpyxl's issue 987 suggests gives 375F91), while computing in
    floating point and rounding only the final channels does, for every swatch the tests
    check; so this computes in floating point.
    """
    red, green, blue = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, lum, sat = colorsys.rgb_to_hls(red, green, blue)
    if amount < 0:
        lum *= 1 + amount
    elif amount > 0:
        lum = lum * (1 - amount) + amount
    channels = colorsys.hls_to_rgb(hue, lum, sat)
    return "".join(f"{round(c * 255):02X}" for c in channels)


# How a colour becomes a mark. In HLS, a tint moves only the luminance, so every tint of
# a theme colour keeps its hue and saturation and classifies like the colour itself.
#   - saturation below _GREY (or luminance at the very ends): black, greys and white,
#     what SIPRI prints unmarked figures in -> "" (no mark).
#   - saturation below _MUTED: a greyish colour with some hue, like Office's "Text 2"
#     44546A (slate, saturation 0.22): neither clearly blue nor clearly grey ->
#     "other", so the reader refuses it rather than guess a mark.
#   - otherwise the hue decides: blue 200-250 degrees -> "estimate" (SIPRI's 0000FF is
#     240, Office's accent1 blues 4472C4, 5B9BD5, 4F81BD are 209-218, and stay so when
#     darkened to 2F5597 or 1F3864); red 345-10 degrees -> "uncertain" (FF0000 and
#     C00000 are 0, Office 2007's accent2 C0504D is 2); anything else (cyan 00B0F0 at
#     196, purple 7030A0 at 276, orange ED7D31 at 24, green) -> "other".
_GREY = 0.10
_MUTED = 0.35
_DARKEST = 0.03
_LIGHTEST = 0.97
# a colour too pale to read as SIPRI's blue or red on a white sheet (FFE0E0, a pale
# pink; B4C7E7, accent1 lightened 60%) is no mark geobal can vouch for: "other"
_PALEST = 0.85
_BLUE = (200.0, 250.0)
_RED = (345.0, 10.0)  # wraps through 0


def mark_of(rgb: str | None) -> str:
    """What a font colour marks: "estimate" (blue), "uncertain" (red), "" (black, grey,
    white or no colour: an ordinary figure) or "other" (any other colour, which the
    reader refuses rather than guess). `rgb` is "RRGGBB" as rgb_of gives it."""
    if rgb is None:
        return ""
    value = _hex6(rgb, "the colour")
    red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, lum, sat = colorsys.rgb_to_hls(red, green, blue)
    if sat < _GREY or lum <= _DARKEST or lum >= _LIGHTEST:
        return ""
    if sat < _MUTED or lum > _PALEST:
        return OTHER
    degrees = hue * 360
    if _BLUE[0] <= degrees <= _BLUE[1]:
        return ESTIMATE
    if degrees >= _RED[0] or degrees <= _RED[1]:
        return UNCERTAIN
    return OTHER
