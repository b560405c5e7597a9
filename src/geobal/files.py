"""Reading the TOML files geobal is given (datasets, the config file, imports): bytes,
then UTF-8, then TOML, with every failure a DataError that names the file, line and
column and says how to fix it."""

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from geobal.errors import DataError

_TOML_POSITION = r"(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)"


def parse_file(path: Path) -> Mapping[str, Any]:
    """A TOML file's contents."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DataError(f"{path}: cannot read: {err.strerror}") from err
    return parse_toml(decode(data, str(path)), str(path))


def decode(data: bytes, where: str) -> str:
    """UTF-8 text (a BOM, as Windows editors write, is allowed)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise DataError(
            f"{where}:{line}:{column}: not valid UTF-8 (byte 0x{data[err.start]:02x})",
            "TOML files must be UTF-8: re-save the file with UTF-8 encoding",
        ) from None


def parse_toml(text: str, where: str) -> dict[str, Any]:
    import tomllib  # only where TOML is parsed: cached datasets need none

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        m = re.fullmatch(_TOML_POSITION, str(err))
        position = f"{where}:{m['line']}:{m['col']}" if m else where
        message = m["msg"] if m else str(err)
        if message.endswith(" (at end of document)"):
            lines = text.split("\n")
            position = f"{where}:{len(lines)}:{len(lines[-1]) + 1}"
            message = message.removesuffix(" (at end of document)")
        raise DataError(
            f"{position}: invalid TOML: {message}",
            "fix the syntax at that position (see https://toml.io)",
        ) from None
