"""Moving data in and out of geobal: importers, one registry keyed by `--as`, and the
export formats.

An importer takes a Request (the bytes, and what the user asked of them) and writes
through geobal.edit, so every record passes the same checks as `geobal add`. Rows
(CSV, JSON, JSON Lines, TOML) are read when no `--as` is given; a new source of data
is one module with an Importer, and one entry in IMPORTERS.
"""

from enum import StrEnum

from geobal.transfer import rows, written
from geobal.transfer.base import QUIET, Imported, Importer, Progress, Request


class As(StrEnum):
    """What `--as` may name."""

    SIPRI = "sipri"
    SIPRI_TIV = "sipri-tiv"


IMPORTERS: dict[As, Importer] = {
    As.SIPRI: written.import_register,
    As.SIPRI_TIV: written.import_volumes,
}


def importer(name: As | None) -> Importer:
    """The importer `--as NAME` asks for; rows when there is none."""
    return rows.import_rows_file if name is None else IMPORTERS[name]


__all__ = ["IMPORTERS", "QUIET", "As", "Imported", "Importer", "Progress", "Request", "importer"]
