"""What a SIPRI export filtered to one partner holds: a register's scope as its notes
say it ("transfers from China"), a volume table's as its row of totals says it ("Total
imports from China"). The import (transfer.sipri) writes them and the figures
(analysis) refuse what they cannot measure by them; both read them here, in a module
light enough for every register command to import without the whole import package."""

import re
from collections.abc import Iterable

# The last row of a volume table of the world, by the table's shape (its tag); any other
# "Total ..." row names the scope of a table SIPRI filtered to one partner.
WORLD_ROWS = {"volumes": "Total world import", "export-volumes": "Total world export"}
# A table of one partner can only be of the partners its rows are not: an import table
# (a row a recipient) filtered to a supplier, an export table to a recipient.
SCOPES = {"volumes": "imports from", "export-volumes": "exports to"}
SCOPED = {tag: re.compile(f"Total ({words} .+)") for tag, words in SCOPES.items()}


def scoped_parties(scope: str | None) -> tuple[str | None, str | None]:
    """The supplier and the recipient a register's scope keeps to (None: all)."""
    m = re.fullmatch(r"transfers(?: from (.+?))?(?: to (.+))?", scope or "")
    return (m[1], m[2]) if m else (None, None)


def scope(names: Iterable[str], tag: str) -> str | None:
    """What a volume table's figures are, from the names in its first column (each row's
    recipient or supplier, and its row of totals): "imports from China" for a table
    SIPRI filtered to China; None for the world's ("Total world import") and for a table
    with no row of totals (which the fact sheet refuses as no world total). `tag`: the
    table's shape, "volumes" or "export-volumes"."""
    totals = {n for n in names if n.startswith("Total ")}
    if WORLD_ROWS[tag] in totals:
        return None
    scoped = sorted(m[1] for t in totals if (m := SCOPED[tag].fullmatch(t)))
    return scoped[0] if len(scoped) == 1 else None
