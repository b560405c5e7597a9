"""Font colours of SIPRI's workbook: the theme palette's order, Excel's tint, indexed
colours, and which colours mark an estimate, an uncertain figure, nothing, or something
the reader must refuse."""

import colorsys

import pytest
from openpyxl.styles.colors import COLOR_INDEX, Color
from openpyxl.writer.theme import theme_xml

from geobal.transfer.colours import (
    OFFICE_2007_PALETTE,
    mark_of,
    rgb_of,
    theme_palette,
    tint,
)

# A theme whose twelve colours are all different and none is where the XML order would
# put it if lt1/dk1 and lt2/dk2 were not swapped.
_THEME = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="T">
 <a:themeElements><a:clrScheme name="T">
  <a:dk1><a:sysClr val="windowText" lastClr="111111"/></a:dk1>
  <a:lt1><a:sysClr val="window" lastClr="eeeeee"/></a:lt1>
  <a:dk2><a:srgbClr val="44546A"/></a:dk2>
  <a:lt2><a:srgbClr val="E7E6E6"/></a:lt2>
  <a:accent1><a:srgbClr val="4472C4"/></a:accent1>
  <a:accent2><a:srgbClr val="ED7D31"/></a:accent2>
  <a:accent3><a:srgbClr val="A5A5A5"/></a:accent3>
  <a:accent4><a:srgbClr val="FFC000"/></a:accent4>
  <a:accent5><a:srgbClr val="5B9BD5"/></a:accent5>
  <a:accent6><a:srgbClr val="70AD47"/></a:accent6>
  <a:hlink><a:srgbClr val="0563C1"/></a:hlink>
  <a:folHlink><a:srgbClr val="954F72"/></a:folHlink>
 </a:clrScheme></a:themeElements>
</a:theme>"""


def test_palette_follows_excels_index_order_not_the_xmls() -> None:
    assert theme_palette(_THEME) == (
        "EEEEEE",  # 0: lt1, listed second in the XML; sysClr gives its lastClr
        "111111",  # 1: dk1
        "E7E6E6",  # 2: lt2
        "44546A",  # 3: dk2
        "4472C4",
        "ED7D31",
        "A5A5A5",
        "FFC000",
        "5B9BD5",
        "70AD47",
        "0563C1",
        "954F72",
    )


def test_no_theme_is_the_office_theme_openpyxl_writes() -> None:
    assert theme_palette(None) == OFFICE_2007_PALETTE
    assert theme_palette(theme_xml.encode()) == OFFICE_2007_PALETTE


@pytest.mark.parametrize(
    ("xml", "says"),
    [
        (b"<a:theme", "not well-formed"),
        (
            b'<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"/>',
            "no colour scheme",
        ),
        (
            _THEME.replace(b"<a:accent3>", b"<a:other3>").replace(b"</a:accent3>", b"</a:other3>"),
            "no colour accent3",
        ),
        (_THEME.replace(b'srgbClr val="FFC000"', b'srgbClr val="FFC0"'), "'FFC0', not RRGGBB"),
        (_THEME.replace(b'<a:sysClr val="window" lastClr="eeeeee"/>', b""), "lt1 is neither"),
        (b'<!DOCTYPE t [<!ENTITY e "x">]>' + _THEME[_THEME.index(b"<a:theme") :], "DOCTYPE"),
    ],
)
def test_a_bad_theme_says_what_is_wrong(xml: bytes, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        theme_palette(xml)


# Excel's picker swatches for the Office 2013-2022 theme (accent1 4472C4, accent5 5B9BD5,
# dk2 44546A, lt2 E7E6E6, accent2 ED7D31) and the Office 2007 theme (accent1 4F81BD),
# as Excel writes them when a theme colour is resaved as RGB.
@pytest.mark.parametrize(
    ("rgb", "amount", "excel"),
    [
        ("4472C4", -0.25, "2F5597"),
        ("4472C4", -0.5, "203864"),
        ("4472C4", 0.4, "8FAADC"),
        ("4472C4", 0.6, "B4C7E7"),
        ("4472C4", 0.8, "DAE3F3"),
        ("5B9BD5", -0.25, "2E75B6"),
        ("5B9BD5", 0.4, "9DC3E6"),
        ("4F81BD", -0.25, "376092"),
        ("ED7D31", -0.25, "C55A11"),
        ("44546A", 0.4, "8497B0"),
        ("44546A", -0.25, "333F50"),
        ("E7E6E6", -0.5, "767171"),
        ("FFFFFF", -0.15, "D9D9D9"),
        ("000000", 0.5, "808080"),
        ("4472C4", 0.0, "4472C4"),
        ("4472C4", 1.0, "FFFFFF"),
        ("4472C4", -1.0, "000000"),
    ],
)
def test_tint_gives_excels_swatches(rgb: str, amount: float, excel: str) -> None:
    assert tint(rgb, amount) == excel


def test_rgb_of_each_kind_of_colour() -> None:
    palette = theme_palette(_THEME)
    assert rgb_of(None, palette) is None
    assert rgb_of(Color(rgb="FF0000FF"), palette) == "0000FF"
    assert rgb_of(Color(rgb="00ff0000"), palette) == "FF0000"  # alpha ignored
    assert rgb_of(Color(theme=4), palette) == "4472C4"
    assert rgb_of(Color(theme=4, tint=-0.25), palette) == "2F5597"
    assert rgb_of(Color(theme=1), palette) == "111111"
    assert rgb_of(Color(indexed=12), palette) == "0000FF"
    assert rgb_of(Color(indexed=10), palette) == "FF0000"
    assert rgb_of(Color(indexed=64), palette) is None  # system foreground: automatic
    assert rgb_of(Color(auto=True), palette) is None
    # a workbook's own indexed table overrides the legacy one
    own = list(COLOR_INDEX)
    own[12] = "00C00000"
    assert rgb_of(Color(indexed=12), palette, own) == "C00000"


@pytest.mark.parametrize(
    ("color", "says"),
    [
        (Color(theme=12), "theme colour 12, but the workbook's theme has colours 0-11"),
        (Color(indexed=65), "indexed colour 65, but the colour table has colours 0-63"),
        (Color(indexed=70), "indexed colour 70"),
    ],
)
def test_a_colour_outside_its_table_is_refused(color: Color, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        rgb_of(color, OFFICE_2007_PALETTE)


@pytest.mark.parametrize(
    ("rgb", "mark"),
    [
        # SIPRI's own
        ("0000FF", "estimate"),
        ("FF0000", "uncertain"),
        ("000000", ""),
        (None, ""),
        # Office blues and their darker and lighter tints
        ("4472C4", "estimate"),
        ("5B9BD5", "estimate"),
        ("4F81BD", "estimate"),
        ("2F5597", "estimate"),
        ("203864", "estimate"),
        ("1F3864", "estimate"),
        ("376092", "estimate"),
        ("8FAADC", "estimate"),
        ("0070C0", "estimate"),  # Excel's standard "Blue"
        ("002060", "estimate"),  # Excel's standard "Dark Blue"
        # reds
        ("C00000", "uncertain"),
        ("C0504D", "uncertain"),  # Office 2007 accent2
        ("600000", "uncertain"),  # C00000 darker 50%
        ("FF9999", "uncertain"),
        # no mark: black, greys, white, near-black
        ("FFFFFF", ""),
        ("808080", ""),
        ("595959", ""),
        ("D9D9D9", ""),
        ("050508", ""),
        ("767171", ""),  # lt2 E7E6E6 darker 50%: saturation 0.02
        # refused: grey-blue "Text 2", and every other hue
        ("44546A", "other"),
        ("8497B0", "other"),  # its lighter tint keeps its saturation
        ("00B0F0", "other"),  # Excel's "Light Blue" is cyan, hue 196
        ("7030A0", "other"),  # purple
        ("ED7D31", "other"),  # orange
        ("FFC000", "other"),
        ("00B050", "other"),  # green
        ("FF00FF", "other"),
    ],
)
def test_mark_of_every_class(rgb: str | None, mark: str) -> None:
    assert mark_of(rgb) == mark


def _hue(degrees: float, sat: float = 1.0, lum: float = 0.5) -> str:
    channels = colorsys.hls_to_rgb(degrees / 360, lum, sat)
    return "".join(f"{round(c * 255):02X}" for c in channels)


@pytest.mark.parametrize(
    ("degrees", "mark"),
    [
        (198.0, "other"),
        (202.0, "estimate"),
        (248.0, "estimate"),
        (252.0, "other"),
        (343.0, "other"),
        (347.0, "uncertain"),
        (8.0, "uncertain"),
        (12.0, "other"),
    ],
)
def test_mark_of_edge_hues(degrees: float, mark: str) -> None:
    assert mark_of(_hue(degrees)) == mark


@pytest.mark.parametrize(
    ("sat", "mark"), [(0.08, ""), (0.12, "other"), (0.33, "other"), (0.37, "estimate")]
)
def test_mark_of_edge_saturations(sat: float, mark: str) -> None:
    assert mark_of(_hue(225.0, sat=sat)) == mark


def test_mark_of_a_malformed_colour_is_refused() -> None:
    with pytest.raises(ValueError, match="'blue', not RRGGBB"):
        mark_of("blue")


def test_a_colour_too_pale_to_read_as_a_mark_is_refused_not_guessed() -> None:
    # a pale pink is no red SIPRI prints; accent1 lightened 80% (DAE3F3) no blue
    assert mark_of("FFE0E0") == "other"
    assert mark_of("DAE3F3") == "other"
    # accent1 lightened 60% (B4C7E7) still reads as blue on white
    assert mark_of("B4C7E7") == "estimate"
