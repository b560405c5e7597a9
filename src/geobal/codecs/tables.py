"""What the SQLite and Parquet writers take: a dataset with its provenance, and the
one typing of a field's values as a column of either."""

from collections.abc import Sequence
from typing import NamedTuple

from geobal.errors import DataError
from geobal.model import Dataset, Field, Record, Value, column

# a float holds every whole number up to this exactly, and not every one past it
FLOAT_EXACT = 2**53


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
    (whole numbers and floats mixed, some whole ones past what a float holds),
    boolean, list of text or list of integer."""

    field: Field
    kind: str
    values: Sequence[Value | None]


def columns(table: Table) -> list[Column]:
    """Each field's column, typed by its kind: a number field is float where a float
    holds every one of its values exactly (whole ones up to 2**53), number otherwise."""
    ds = table.dataset
    found = []
    for f in table.fields:
        values = column(ds.records, f.name)
        kind = {"integer": "integer", "boolean": "boolean", "number": "number"}.get(
            f.type.name, "text"
        )
        if f.type.name == "list":
            kind = (
                "list of integer"
                if f.items is not None and f.items.name == "integer"
                else ("list of text")
            )
        elif kind == "number" and all(
            not isinstance(v, int) or abs(v) <= FLOAT_EXACT for v in values
        ):
            kind = "float"
        found.append(Column(f, kind, values))
    return found


def no_float_for(table: Table, col: Column) -> DataError:
    """The error of a format with no type for a number column that mixes floats with
    whole numbers past what a float holds exactly."""
    ids = column(table.dataset.records, table.dataset.key)
    big = next(
        str(rid)
        for rid, v in zip(ids, col.values, strict=True)
        if isinstance(v, int) and abs(v) > FLOAT_EXACT
    )
    return DataError(
        f"{table.dataset.name}: the field {col.field.name} mixes fractions with whole numbers "
        f"no float holds exactly ({big}: {col.field.name}); it would not be written exactly",
        "export it --format sqlite, json or toml, which keep every value as it is",
    )
