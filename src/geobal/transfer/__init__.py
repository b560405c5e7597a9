"""Moving data in and out of geobal: importers, one registry keyed by `--as`, and the
export formats.

An importer takes a Request (the bytes, and what the user asked of them) and writes
through geobal.edit, so every record passes the same checks as `geobal add`. Rows
(CSV, JSON, JSON Lines, TOML) are read when no `--as` is given; a new source of data
is one module with an Importer, and one entry in IMPORTERS. A SIPRI export given with
no `--as` is recognised by its notes and header, and read as its `--as` would (DOOR).
"""

from enum import StrEnum
from typing import NamedTuple

from geobal.errors import UsageError
from geobal.transfer import rows, sipri, written
from geobal.transfer.base import QUIET, Imported, Importer, Progress, Request


class As(StrEnum):
    """What `--as` may name."""

    SIPRI = "sipri"
    SIPRI_TIV = "sipri-tiv"
    SIPRI_MILEX = "sipri-milex"


IMPORTERS: dict[As, Importer] = {
    As.SIPRI: written.import_register,
    As.SIPRI_TIV: written.import_volumes,
    As.SIPRI_MILEX: written.import_milex,
}


# the --as that reads each SIPRI shape (sipri.SHAPES), by its tag; tests check each has one
DOOR: dict[str, As] = {
    "register": As.SIPRI,
    "per-year": As.SIPRI,
    "volumes": As.SIPRI_TIV,
    "export-volumes": As.SIPRI_TIV,
}


class Recognised(NamedTuple):
    """A SIPRI export found where no --as was given: what it is, and the --as that reads it."""

    kind: str  # "trade register (legacy export)"
    as_: As


def recognised(data: bytes, where: str, *, mapped: bool = False) -> Recognised | None:
    """What SIPRI export `data` (the file `where`) is, if it is one (its notes carry
    SIPRI's credit line above a header of one of its shapes, or a saved reply of its
    backend carrying one); None for rows of the user's. A DataError for notes crediting
    SIPRI above no header geobal reads; a UsageError naming the --as to add for a file
    with a SIPRI header in full but no notes above it (cut off), unless `mapped` (--map
    given: the user's rows)."""
    from geobal.transfer.fetch import unwrapped
    from geobal.transfer.milex import is_milex, sheet_names, unreadable

    if (err := unreadable(data, where)) is not None:
        raise err
    if (sheets := sheet_names(data)) is not None:
        if is_milex(sheets):
            return Recognised("military expenditure workbook", As.SIPRI_MILEX)
        raise UsageError(
            f"{where} is an .xlsx workbook (sheets: {', '.join(map(repr, sheets[:6]))}"
            f"{' ...' if len(sheets) > 6 else ''}), not rows geobal reads",
            "the one workbook geobal reads is SIPRI's military expenditure (--as "
            "sipri-milex); save a sheet of another as CSV and import that",
        )
    # a reply of SIPRI's backend, saved as it came (`{"bytes": ...}`), carries an export
    data = unwrapped(data, where) or data
    shape = sipri.recognise(data, where)
    if shape is None and not mapped and (bare := sipri.uncredited(data)) is not None:
        raise UsageError(
            f"{where}: its header is the one of SIPRI's {bare.kind}, but not the notes and "
            f"credit line SIPRI exports above it: add --as {DOOR[bare.tag]}",
            "geobal takes a file without --as for SIPRI's only by its notes, lest rows of "
            "your own be mistaken for SIPRI's; with --map, it reads them as rows",
        )
    return None if shape is None else Recognised(shape.kind, DOOR[shape.tag])


def importer(name: As | None) -> Importer:
    """The importer `--as NAME` asks for; rows when there is none."""
    return rows.import_rows_file if name is None else IMPORTERS[name]


__all__ = [
    "DOOR",
    "IMPORTERS",
    "QUIET",
    "As",
    "Imported",
    "Importer",
    "Progress",
    "Recognised",
    "Request",
    "importer",
    "recognised",
]
