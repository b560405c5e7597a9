"""What the SQLite and Parquet writers take: a dataset with its provenance, and the
one typing of a field's values as a column of either."""

from collections.abc import Sequence
from typing import NamedTuple

from geobal.errors import DataError
from geobal.fieldtypes import first_unheld, number_column
from geobal.model import Dataset, Field, Record, Value, column


class Provenance(NamedTuple):
    """Where a dataset's records come from and on what terms, as a table carries it."""

    source: str  # who or what the records come from
    source_url: str | None
    licence: str | None  # None where geobal does not know the terms (the user's own data)
    licence_url: str | None
    credit: str | None  # the line its data must be credited with (SIPRI's), if any
    sources: tuple[Record, ...]  # the source entries its records cite


class Table(NamedTuple):
    dataset: Dataset
    provenance: Provenance

    @property
    def fields(self) -> tuple[Field, ...]:
        """The fields written: all but those geobal derives when loading."""
        return tuple(f for f in self.dataset.fields if not f.derived)

    @property
    def description(self) -> str:
        """The dataset's description, with the credit its data must carry."""
        text, credit = self.dataset.description.strip(), self.provenance.credit
        if credit and credit not in text:
            return " ".join(sentence(t) for t in (text, credit) if t)
        return text


def sentence(text: str) -> str:
    """`text` ending as a sentence does, with one full stop (or its own ? or !)."""
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


class Column(NamedTuple):
    """How a field's values are written: `kind` one of text, integer, float, number
    (whole numbers no float holds exactly beside fractions: fieldtypes.number_column),
    boolean, list of text or list of integer."""

    field: Field
    kind: str
    values: Sequence[Value | None]


def columns(table: Table) -> list[Column]:
    """Each field's column, typed by its kind; a number field's as number_column says:
    float where a float holds every value exactly, integer where they are whole numbers
    some float would round, number where those sit beside fractions."""
    ds = table.dataset
    found = []
    for f in table.fields:
        values = column(ds.records, f.name)
        kind = {"integer": "integer", "boolean": "boolean"}.get(f.type.name, "text")
        if f.type.name == "list":
            kind = (
                "list of integer"
                if f.items is not None and f.items.name == "integer"
                else ("list of text")
            )
        elif f.type.name == "number":
            kind = number_column(values)
        found.append(Column(f, kind, values))
    return found


def no_float_for(table: Table, col: Column) -> DataError:
    """The error of a format with no type for a number column that mixes fractions with
    whole numbers no float holds exactly, naming the record of the first such."""
    at = first_unheld(col.values)
    record = column(table.dataset.records, table.dataset.key)[at]
    value = col.values[at]
    return DataError(
        f"{table.dataset.name}: record {record}: {col.field.name} is {value}, a whole number "
        "no float holds exactly, and the field has fractions too: no one column type "
        "holds both",
        "export it --format sqlite, json or toml, which keep every value as it is",
    )
