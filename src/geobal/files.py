"""Reading the files geobal is given (datasets, the config file, imports): bytes, then
UTF-8, then TOML, with every failure a DataError that names the file (line and column
where there are some) and says how to fix it.

Only regular files are read: a folder, a FIFO or a device named like a dataset is a
problem of that file, and a FIFO is never opened, so nothing blocks on it. Whatever
the parser can raise, a document nested too deeply included, is a problem of the file.
"""

import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from geobal.codecs.escape import one_line
from geobal.errors import DataError

_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a FIFO (a named pipe)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
}


def not_regular(path: Path) -> str | None:
    """Why `path` cannot be read as a file (a folder, a FIFO, a link that leads
    nowhere...), or None for a regular file (or a link to one)."""
    try:
        mode = path.stat().st_mode
    except OSError as err:
        return f"cannot read: {err.strerror}"
    if stat.S_ISREG(mode):
        return None
    return f"{_KINDS.get(stat.S_IFMT(mode), 'not a regular file')}, not a file geobal can read"


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes; a DataError names the file and why it cannot be read."""
    problem = not_regular(path)
    if problem is None:
        try:
            # O_NONBLOCK: should the file have become a FIFO since, opening it cannot block
            flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
            fd = os.open(path, flags | getattr(os, "O_BINARY", 0))  # O_BINARY: Windows
            with os.fdopen(fd, "rb") as f:
                if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                    problem = "not a regular file"
                else:
                    return f.read()
        except OSError as err:
            problem = f"cannot read: {err.strerror}"
    raise DataError(f"{one_line(path)}: {problem}", "give the path of a file to read")


_TOML_POSITION = r"(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)"


def parse_file(path: Path) -> Mapping[str, Any]:
    """A TOML file's contents."""
    where = one_line(path)  # as messages show it: a newline in a path cannot split one
    return parse_toml(decode(read_bytes(path), where), where)


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

    from geobal import tomlfast
    from geobal.fieldtypes import read_float
    from geobal.model import gc_paused

    def loads(part: str) -> dict[str, Any]:
        # a float written with more digits than a float keeps stays as written, for a
        # number field to refuse by name rather than hold a rounded figure
        return tomllib.loads(part, parse_float=read_float)

    try:
        with gc_paused():  # a large file's tables and arrays hold no cycles
            # the records as geobal writes them, read quicker; else tomllib's whole read
            doc = tomlfast.parse(text, read_float, loads)
            return loads(text) if doc is None else doc
    except RecursionError:
        raise DataError(
            f"{where}: nested too deeply to read (tables or arrays inside one another "
            "hundreds of levels down)",
            "no file geobal reads needs such nesting: fix or remove the file",
        ) from None
    except tomllib.TOMLDecodeError as err:
        raise syntax_error(str(err), text, where) from None
    except ValueError as err:  # an integer of more digits than Python converts, say
        raise DataError(f"{where}: cannot read: {err}", "fix or remove the file") from None


def syntax_error(message: str, text: str, where: str) -> DataError:
    """tomllib's message, with its position as file:line:column."""
    m = re.fullmatch(_TOML_POSITION, message)
    position = f"{where}:{m['line']}:{m['col']}" if m else where
    message = m["msg"] if m else message
    if message.endswith(" (at end of document)"):
        lines = text.split("\n")
        position = f"{where}:{len(lines)}:{len(lines[-1]) + 1}"
        message = message.removesuffix(" (at end of document)")
    return DataError(
        f"{position}: invalid TOML: {message}",
        "fix the syntax at that position (see https://toml.io)",
    )
