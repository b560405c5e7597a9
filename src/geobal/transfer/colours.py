"""Font colours of a workbook's cells, and what SIPRI means by them (RGB colours only:
a theme's or an index's colour is refused until they are read)."""

from typing import Any


def theme_palette(theme_xml: bytes | None) -> tuple[str, ...]:
    return ()


def rgb_of(color: Any, palette: tuple[str, ...]) -> str | None:
    if color is None:
        return None
    if color.type != "rgb":
        raise ValueError(f"a {color.type} colour")
    return str(color.rgb)[-6:].upper()


def mark_of(rgb: str | None) -> str:
    return {None: "", "000000": "", "0000FF": "estimate", "FF0000": "uncertain"}.get(rgb, "other")
