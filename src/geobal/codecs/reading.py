"""What every reader of rows gives: the rows of a file and where each is in it, and the
error for rows that cannot be read whole."""

from collections.abc import Sequence
from typing import NamedTuple

from geobal.errors import DataError

Row = dict[str, object]


class Read(NamedTuple):
    """The rows of a file, and where each is in it: "line 4" (CSV, whose header is line
    1, TSV and JSON Lines), "item 3" (a JSON array's, counted from 1), "[[records]] 2"."""

    rows: list[Row]
    places: list[str]
    header: str = ""  # where the columns are named (a CSV's header line), if anywhere
    read_as: str = ""  # what the reader found out for itself, to say: "CSV separated by ';'"


SCREENFUL = 20  # lines of an error's list before it says how many more there are


def screenful(lines: Sequence[str]) -> list[str]:
    """The first lines of a long list, and how many more there are."""
    if len(lines) <= SCREENFUL:
        return list(lines)
    return [*lines[:SCREENFUL], f"and {len(lines) - SCREENFUL:,} more"]


def unreadable(
    where: str, lines: Sequence[str], hint: str = "fix the file and import again"
) -> DataError:
    """Rows that cannot be read whole, each line saying where and why."""
    count = f"{len(lines):,} row{'s' if len(lines) != 1 else ''}"
    return DataError(
        f"{where}: {count} cannot be read whole; nothing was imported",
        hint,
        details=screenful([f"{where}: {line}" for line in lines]),
    )
