"""The shapes geobal's data takes once loaded: fields, datasets, records, and the
columns the parse cache keeps them in (the results commands hand to render are in
geobal.views).

Field and Dataset are plain classes with hand-written constructors: a frozen
dataclass costs about 0.6 ms to define and a NamedTuple 0.1 ms, which every run of
the command line would pay at start-up.
"""

import gc
import marshal
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, overload

if TYPE_CHECKING:
    from geobal.fieldtypes import Kind

# A value as stored after validation: dates are ISO strings ("2018", "2018-10" or
# "2018-10-05"), choice and level values their codes, booleans True or False, and
# lists hold text or, where the field declares items = "integer", whole numbers.
Value = str | int | float | bool | list[str] | list[int]
Record = dict[str, Value]


class Choice(NamedTuple):
    """One allowed value of a choice or level field: `meaning` says what it stands for;
    `added_by` is the user's file that added it to a bundled field (None when the
    dataset's own file declares it)."""

    value: str
    label: str
    aliases: tuple[str, ...] = ()
    meaning: str = ""
    added_by: str | None = None


class Field:
    """A declared field, of a kind from geobal.fieldtypes. For a choice or level,
    `choices` are its values (a level's scale, lowest first); for a list, `items` is
    the kind of its items (text when None)."""

    __slots__ = (
        "choices",
        "country",
        "derived",
        "description",
        "items",
        "labels",
        "name",
        "rank",
        "ref",
        "required",
        "title",
        "totals",
        "type",
        "unit",
    )

    def __init__(
        self,
        name: str,
        type: "Kind",
        title: str,
        description: str = "",
        required: bool = False,
        choices: tuple[Choice, ...] = (),
        ref: str | None = None,  # a dataset whose record ids this field's values name
        derived: bool = False,  # set by geobal when loading (origin, file), never read
        items: "Kind | None" = None,
        unit: str | None = None,  # the field giving the unit of this one's values
        country: bool = False,  # a country's name: = matches it by any of its names
        totals: bool = False,  # true on a record that totals others: never aggregated with them
    ) -> None:
        self.name = name
        self.type = type
        self.title = title
        self.description = description
        self.required = required
        self.choices = choices
        self.ref = ref
        self.derived = derived
        self.items = items
        self.unit = unit
        self.country = country
        self.totals = totals
        self.rank = {c.value: i for i, c in enumerate(choices)}
        self.labels = {c.value: c.label for c in choices}

    def _parts(self) -> tuple[object, ...]:
        return (
            self.name,
            self.type,
            self.title,
            self.description,
            self.required,
            self.choices,
            self.ref,
            self.derived,
            self.items,
            self.unit,
            self.country,
            self.totals,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Field) and self._parts() == other._parts()

    def __hash__(self) -> int:
        return hash((self.name, self.title))

    def __repr__(self) -> str:
        return f"Field({self.name!r}, {self.type!r})"

    @property
    def numeric(self) -> bool:
        return self.type.numeric

    def renamed(self, name: str, title: str) -> "Field":
        """The same type and values under another name, for derived columns."""
        field = self.with_choices(self.choices)
        field.name, field.title, field.required, field.derived = name, title, False, False
        field.totals = False
        return field

    def with_choices(self, choices: tuple[Choice, ...]) -> "Field":
        """The same field with other choices (a user's file adds to a bundled one's)."""
        return Field(
            self.name,
            self.type,
            self.title,
            self.description,
            self.required,
            choices,
            self.ref,
            self.derived,
            self.items,
            self.unit,
            self.country,
            self.totals,
        )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Build many small containers without the cycle collector: they hold no cycles,
    yet each 700 of them start a collection, which for 100,000 records costs more than
    the building (0.16 s against 0.05 s measured for a whole cached dataset)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class Columns(Sequence[Record]):
    """A dataset's records as the parse cache keeps them: for each field, its values
    (None where a record has none) in marshal blobs of CHUNK records each, unpacked only
    when first needed.

    Unpacking 100,000 whole records takes about 0.15 s, most of a warm query's time;
    a query that filters on one field and prints two unpacks three columns in about
    0.01 s and builds records of just those fields (`narrowed`). Anything that reads
    the records as a sequence gets them whole, exactly as they were stored. A change
    of a few records (`changed`) repacks only the chunks that hold them, so a write to
    a large dataset keeps its cache current in milliseconds.
    """

    CHUNK = 4096

    def __init__(
        self,
        sizes: Sequence[int],
        blobs: dict[str, list[bytes]],
        texts: dict[str, tuple[object, list[bytes | None]]] | None = None,
    ) -> None:
        self._sizes = list(sizes)
        self._count = sum(self._sizes)
        self._blobs = blobs
        self._unpacked: dict[str, list[Value | None]] = {}
        self._parts: dict[tuple[str, int], list[Value | None]] = {}  # (field, chunk): values_at
        if any(len(chunks) != len(self._sizes) for chunks in blobs.values()):
            raise ValueError("cached columns of different shapes")
        # what `search` reads first, per field and chunk (geobal.searching.chunk_text),
        # with what the field was when it was made; None for a chunk changed since
        self.texts = texts or {}

    @classmethod
    def pack(
        cls, records: Iterable[Record], names: Iterable[str]
    ) -> tuple[list[int], dict[str, list[bytes]]]:
        """Records as chunk sizes and each field's chunks: `names` first, then any other
        keys."""
        rows = list(records)
        order = dict.fromkeys(names)
        known = order.keys()
        for record in rows:
            if not known >= record.keys():  # (a set test in C: most records add no key)
                order.update(dict.fromkeys(record))
        starts = range(0, len(rows), cls.CHUNK)
        sizes = [min(cls.CHUNK, len(rows) - at) for at in starts]
        # map over dict.get, not a comprehension: the loop runs in C, 3x quicker
        blobs = {
            n: [
                marshal.dumps(list(map(dict.get, rows[at : at + cls.CHUNK], repeat(n))))
                for at in starts
            ]
            for n in order
        }
        return sizes, blobs

    @property
    def packed(self) -> tuple[list[int], dict[str, list[bytes]]]:
        return self._sizes, self._blobs

    def _chunk(self, name: str, index: int) -> list[Value | None]:
        chunks = self._blobs.get(name)
        if chunks is None:
            return [None] * self._sizes[index]
        with gc_paused():
            values = marshal.loads(chunks[index])
        if not isinstance(values, list) or len(values) != self._sizes[index]:
            raise ValueError(f"a cached column of the wrong shape: {name}")
        return values

    def chunk(self, name: str, index: int) -> list[Value | None]:
        """The values of `name` in chunk `index`, unpacked afresh."""
        return self._chunk(name, index)

    def column(self, name: str) -> list[Value | None]:
        if name not in self._unpacked:
            values: list[Value | None] = []
            for index in range(len(self._sizes)):
                # a chunk values_at unpacked already, not unpacked again
                part = self._parts.pop((name, index), None)
                values += self._chunk(name, index) if part is None else part
            self._unpacked[name] = values
        return self._unpacked[name]

    def values_at(self, name: str, positions: Sequence[int]) -> list[Value | None]:
        """The values of `name` at these positions, unpacking only the chunks that hold
        them (a register sorted by recipient holds one country's records in one or two
        chunks of the seven), each chunk once however often it is asked for. For many
        positions, from the whole column: indexing one list is quicker than finding
        each position's chunk."""
        whole = self._unpacked.get(name)
        if whole is None and len(positions) * 8 > self._count:
            whole = self.column(name)
        if whole is not None:
            return [whole[p] for p in positions]
        import bisect

        found: list[Value | None] = []
        start, end, values = 0, 0, []
        for p in positions:
            if not start <= p < end:
                if not 0 <= p < self._count:
                    raise IndexError(p)
                chunk = bisect.bisect_right(self._starts, p) - 1
                key = (name, chunk)
                if key not in self._parts:
                    self._parts[key] = self._chunk(name, chunk)
                values = self._parts[key]
                start = self._starts[chunk]
                end = start + self._sizes[chunk]
            found.append(values[p - start])
        return found

    @cached_property
    def _starts(self) -> list[int]:
        """The position each chunk starts at."""
        from itertools import accumulate

        return [0, *accumulate(self._sizes)][:-1]

    def changed(
        self, replaced: dict[int, Record], removed: Iterable[int], added: Sequence[Record]
    ) -> "Columns":
        """These records with some replaced (by position), some removed and others added
        at the end; only the chunks that change are unpacked and packed again."""
        gone = set(removed)
        touched: dict[int, list[int]] = {}  # chunk -> positions in it
        import bisect
        from itertools import accumulate

        bounds = [0, *accumulate(self._sizes)][:-1]  # the position each chunk starts at

        for position in (*replaced, *gone):
            chunk = bisect.bisect_right(bounds, position) - 1
            touched.setdefault(chunk, []).append(position)
        names = dict.fromkeys(self._blobs)
        for record in (*replaced.values(), *added):
            names.update(dict.fromkeys(record))
        sizes = list(self._sizes)
        blobs = {n: list(self._blobs.get(n) or self._none_chunks()) for n in names}
        for chunk in touched:
            first = bounds[chunk]
            keep = [p for p in range(first, first + self._sizes[chunk]) if p not in gone]
            sizes[chunk] = len(keep)
            for n in names:
                values = self._chunk(n, chunk)
                column = [replaced[p].get(n) if p in replaced else values[p - first] for p in keep]
                blobs[n][chunk] = marshal.dumps(column)
        stale, grown = set(touched), 0
        if added:
            # fill the last chunk up to CHUNK, then start new ones
            last = len(sizes) - 1
            room = self.CHUNK - sizes[last] if sizes else 0
            head, rest = list(added[:room]), list(added[room:])
            if head:
                for n in names:
                    values = self._chunk_of(blobs[n][last], sizes[last])
                    blobs[n][last] = marshal.dumps(values + [r.get(n) for r in head])
                sizes[last] += len(head)
                stale.add(last)
            more_sizes, more = Columns.pack(rest, names)
            grown = len(more_sizes)
            for n in names:
                blobs[n] += more.get(n) or [marshal.dumps([None] * s) for s in more_sizes]
            sizes += more_sizes
        kept = [i for i, size in enumerate(sizes) if size]  # no empty chunks
        # a chunk whose values changed has no text until the cache makes one again
        texts = {
            n: (made, [None if i in stale else t for i, t in enumerate(ts)] + [None] * grown)
            for n, (made, ts) in self.texts.items()
        }
        return Columns(
            [sizes[i] for i in kept],
            {n: [c[i] for i in kept] for n, c in blobs.items()},
            {n: (made, [ts[i] for i in kept]) for n, (made, ts) in texts.items()},
        )

    def _none_chunks(self) -> list[bytes]:
        return [marshal.dumps([None] * size) for size in self._sizes]

    @staticmethod
    def _chunk_of(blob: bytes, size: int) -> list[Value | None]:
        with gc_paused():
            values = marshal.loads(blob)
        if not isinstance(values, list) or len(values) != size:
            raise ValueError("a cached column of the wrong shape")
        return values

    def record(self, index: int) -> Record:
        """The record at `index`, whole, unpacking only the chunks that hold it."""
        if not 0 <= index < self._count:
            raise IndexError(index)
        chunk = 0
        while index >= self._sizes[chunk]:
            index -= self._sizes[chunk]
            chunk += 1
        found = {n: self._chunk(n, chunk)[index] for n in self._blobs}
        return {n: v for n, v in found.items() if v is not None}

    def narrowed(self, names: Iterable[str]) -> list[Record]:
        """Records holding only these fields, None where a record has no value (which
        every query and renderer reads as absent)."""
        wanted = tuple(dict.fromkeys(names))
        columns = [self.column(n) for n in wanted] or [[None] * self._count]  # rows, if no fields
        with gc_paused():  # column() checked the lengths
            return [dict(zip(wanted, row, strict=False)) for row in zip(*columns, strict=False)]

    @cached_property
    def _records(self) -> list[Record]:
        names = tuple(self._blobs)
        columns = [self.column(n) for n in names] or [[None] * self._count]
        with gc_paused():
            return [
                {k: v for k, v in zip(names, row, strict=False) if v is not None}
                for row in zip(*columns, strict=False)
            ]

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        return self._records[index]

    def __iter__(self) -> Iterator[Record]:
        return iter(self._records)

    def __eq__(self, other: object) -> bool:
        # equal to the same records however they are held, so a dataset read from the
        # cache equals the one parsed from its file
        if isinstance(other, Columns | list):
            return self._records == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]


def column(records: Sequence[Record], name: str) -> Sequence[Value | None]:
    """Every record's value of `name`: from the parse cache's column where the records
    come from it, without building every record to read one field of each."""
    if isinstance(records, Columns):
        return records.column(name)
    return list(map(dict.get, records, repeat(name)))  # (the loop in C)


def values_at(records: Sequence[Record], name: str, positions: Sequence[int]) -> list[Value | None]:
    """The values of `name` of the records at these positions: from the parse cache, only
    the chunks that hold them unpacked."""
    if isinstance(records, Columns):
        return records.values_at(name, positions)
    return [records[p].get(name) for p in positions]


class SortKey(NamedTuple):
    field: Field
    descending: bool = False


class Dataset:
    """One dataset: its schema, its records (bundled and the user's, merged), and
    where it was read from."""

    def __init__(
        self,
        name: str,
        title: str,
        description: str,
        key: str,
        fields: tuple[Field, ...],
        records: Sequence[Record],
        path: Path,
        sort: tuple[SortKey, ...] = (),
        columns: tuple[str, ...] = (),  # the default table columns; every field when empty
        updated: str | None = None,
        covers: tuple[int, int] | None = None,  # the first and last year the data cover
        as_of: str | None = None,  # the date the facts run to: checked up to then
        # what an export filtered to one partner holds: "transfers from China"
        scope: str | None = None,
    ) -> None:
        self.name = name
        self.title = title
        self.description = description
        self.key = key
        self.fields = fields
        self.records = records
        self.path = path
        self.sort = sort
        self.columns = columns
        self.updated = updated
        self.covers = covers
        self.as_of = as_of
        self.scope = scope

    def with_records(
        self, records: Sequence[Record], fields: tuple[Field, ...] | None = None
    ) -> "Dataset":
        """The same dataset with other records (and, where given, fields)."""
        return Dataset(
            self.name,
            self.title,
            self.description,
            self.key,
            self.fields if fields is None else fields,
            records,
            self.path,
            self.sort,
            self.columns,
            self.updated,
            self.covers,
            self.as_of,
            self.scope,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return self._parts() == other._parts()

    def _parts(self) -> tuple[object, ...]:
        return (
            self.name,
            self.title,
            self.description,
            self.key,
            self.fields,
            self.records,
            self.path,
            self.sort,
            self.columns,
            self.updated,
            self.covers,
            self.as_of,
            self.scope,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Dataset({self.name!r}, {len(self.records)} records)"

    @cached_property
    def field_map(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    @cached_property
    def by_id(self) -> dict[str, Record]:
        return {str(r[self.key]): r for r in self.records}

    @cached_property
    def ids(self) -> set[str]:
        """Every record's id: from the parse cache's column of ids alone, where the
        records come from it, without building every record."""
        records = self.records
        if isinstance(records, Columns):
            return set(records.column(self.key))  # type: ignore[arg-type]  # ids are text
        return {str(r[self.key]) for r in records}

    def find_id(self, rid: str) -> str | None:
        """The id that `rid` names: exactly, or in another case where only one does
        (ids are read in any case, as completion offers them)."""
        named = self.ids_named(rid)
        return named[0] if len(named) == 1 else None

    def ids_named(self, rid: str) -> list[str]:
        """The ids `rid` may name: itself, if the dataset has it, else those that are
        it in another case (several: `rid` is ambiguous)."""
        records = self.records
        if isinstance(records, Columns):  # one id looked for: the column, not a set of it
            if rid in records.column(self.key):
                return [rid]
        elif rid in self.ids:
            return [rid]
        return sorted(r for r in self.ids if r.casefold() == rid.casefold())


class Problem(NamedTuple):
    """One thing wrong in a dataset file, located as precisely as the file allows."""

    path: str
    message: str
    record: str | None = None
    field: str | None = None
    line: int | None = None
    column: int | None = None
    row: int | None = None  # the row of an imported file, counting from 1

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}:{self.column or 1}: {self.message}"
        where = [self.path]
        record = self.record
        if record is not None and (not record.isprintable() or record != record.strip()):
            record = repr(record)  # an id such as "a\n" shown as what it is
        if self.row is not None:
            where.append(f"row {self.row}" + (f" ({record})" if record else ""))
        elif record is not None:
            where.append(f"record {record}")
        if self.field is not None:
            where.append(self.field)
        return ": ".join([*where, self.message])


class SourceIndex(NamedTuple):
    """The sources dataset's fields and entries, for writing cited sources out in full."""

    fields: tuple[Field, ...]
    by_id: dict[str, Record]
