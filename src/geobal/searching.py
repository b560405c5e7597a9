"""Searching every record for a text: the hits, each named in its record's own words
(its headline field), with the fields that matched and an excerpt of the match."""

import operator
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate, chain, compress, repeat
from typing import Any

from geobal.fieldtypes import Kind, ListKind, display, searchable
from geobal.model import Columns, Dataset, Field, Record, Value, gc_paused
from geobal.names import fold
from geobal.queries import matching_fields

# fields that, where a dataset has one, name its records
TITLE_NAMES = ("title", "name", "designation")
EXCERPT = 60  # characters of a matched text a search hit shows, around the match


def headline_field(ds: Dataset) -> Field | None:
    """The field that best names a record of `ds`: one called title, name or
    designation, else the first text field of its table's columns after the key (a
    deal's deal, a risk's priority); None where no text names a record (a share)."""
    by_name = ds.field_map
    for name in TITLE_NAMES:
        if name in by_name and by_name[name].type.name == "text":
            return by_name[name]
    order = [by_name[n] for n in ds.columns if n in by_name] or list(ds.fields)
    return next(
        (f for f in order if f.type.name == "text" and f.name != ds.key and not f.derived), None
    )


def headline(ds: Dataset, record: Record, field: Field | None) -> str:
    """A record's own words: its headline field, else its table's columns' values."""
    if field is not None and (value := record.get(field.name)) is not None:
        return display(field, value)
    by_name = ds.field_map
    shown = [by_name[n] for n in ds.columns if n in by_name and n != ds.key]
    return " · ".join(display(f, v) for f in shown if (v := record.get(f.name)) is not None)


def excerpt(text: str, folded: str) -> str:
    """The part of `text` around the first place `folded` (case-folded) is found."""
    at = fold(text).find(folded)
    if len(text) <= EXCERPT or at < 0:
        return text if len(text) <= EXCERPT else text[: EXCERPT - 1] + "…"
    start = max(0, min(at - (EXCERPT - len(folded)) // 2, len(text) - EXCERPT))
    cut = text[start : start + EXCERPT]
    return ("…" if start else "") + cut + ("…" if start + EXCERPT < len(text) else "")


def date_field(ds: Dataset) -> Field | None:
    """The field that dates a record of `ds`: a date field named date (an event's), else
    an integer year (a deal's year, when it was made: not its status_date, which would
    date a deal of 2018 by its last news), else its first date field, else a year of
    another name (a register's order_year), else its period; None where it has none."""
    fields = ds.fields
    return (
        next((f for f in fields if f.type.name == "date" and f.name == "date"), None)
        or next((f for f in fields if f.type.name == "integer" and f.name == "year"), None)
        or next((f for f in fields if f.type.name == "date"), None)
        or next((f for f in fields if f.type.name == "integer" and _is_year(f.name)), None)
        or next((f for f in fields if f.name == "period"), None)
    )


def _is_year(name: str) -> bool:
    return name == "year" or name.endswith("_year")


def hits(datasets: Iterable[Dataset], folded: str) -> list[Record]:
    """Every record of these datasets holding `folded` (case-folded) in some field: its
    dataset, id, date where it has one, own words, the fields that matched, and the text
    that matched where neither its id nor its words hold it."""
    rows: list[Record] = []
    for ds in datasets:
        named = headline_field(ds)
        dated = date_field(ds)
        shown = (ds.key, *(f.name for f in (named, dated) if f is not None), *ds.columns)
        for record, found in _found(ds, folded, shown):
            row: Record = {"dataset": ds.name, "id": record[ds.key]}
            if dated is not None and (when := record.get(dated.name)) is not None:
                row["date"] = display(dated, when)  # a date, a year or a period, as read
            row["title"] = headline(ds, record, named)
            row["fields"] = [f.name for f in found]
            # the match itself, where the id and the record's words do not show it
            other = next((f for f in found if f is not named and f.name != ds.key), None)
            if other is not None and named is not None and named in found:
                other = None
            if other is not None:
                row["text"] = excerpt(display(other, record[other.name]), folded)
            rows.append(row)
    return rows


def _found(ds: Dataset, folded: str, shown: Iterable[str]) -> Iterable[tuple[Record, list[Field]]]:
    """Each record of `ds` holding `folded`, with the fields that hold it, in order. From
    the parse cache's columns a field at a time, passing over the chunks whose search
    text does not hold it, and building only the records that match, of the fields
    `shown` and those that hold it (a register's 28,000 records whole cost more than the
    search); else record by record, whole."""
    records = ds.records
    if not isinstance(records, Columns):
        for record in records:
            found = matching_fields(ds.fields, record, folded)
            if found:
                yield record, found
        return
    found_at: dict[int, list[Field]] = {}
    read: dict[tuple[str, int], list[Value | None]] = {}  # (field, chunk): its values
    starts = list(accumulate(records.packed[0], initial=0))
    needle = folded.encode("utf-8", "surrogatepass")
    # the lists made here hold no cycles, yet would start collections that walk every
    # value of a register's columns: half the search's time, measured
    with gc_paused():
        for f in ds.fields:
            chunks = _chunks_holding(records, f, needle)
            if chunks is None:
                positions = holding(f, records.column(f.name), folded)
            else:
                positions = []
                for c in chunks:
                    values = read[f.name, c] = records.chunk(f.name, c)
                    positions += [starts[c] + i for i in holding(f, values, folded)]
            for position in positions:
                found_at.setdefault(position, []).append(f)
        positions = sorted(found_at)
        names = dict.fromkeys((*shown, *(f.name for fs in found_at.values() for f in fs)))
        hit = _records_at(records, starts, positions, names, read)
    yield from zip(hit, (found_at[p] for p in positions), strict=True)


def _chunks_holding(records: Columns, field: Field, needle: bytes) -> list[int] | None:
    """The chunks of `field`'s column whose search text (`chunk_text`, kept by the
    cache) may hold `needle` (the folded text, UTF-8), where the cache kept one for each
    chunk, made for the field as it is now; else None: every value is to be read. A
    chunk with no text is read, never passed over."""
    kept = records.texts.get(field.name)
    if kept is None or len(kept[1]) != len(records.packed[0]):
        return None
    made, texts = kept
    from geobal.cache import field_row

    if made != field_row(field):
        return None
    return [c for c, text in enumerate(texts) if text is None or needle in text]


def _records_at(
    records: Columns,
    starts: Sequence[int],
    positions: list[int],
    wanted: Iterable[str],
    read: dict[tuple[str, int], list[Value | None]],
) -> list[Record]:
    """The records at `positions` (in order), of the `wanted` fields only, each value as
    the sequence gives it, unpacking only the chunks that hold them and that the search
    has not `read`."""
    names = tuple(n for n in wanted if n in records.packed[1])
    found: list[Record] = []
    chunk, columns = -1, []
    for p in positions:
        if chunk < 0 or not starts[chunk] <= p < starts[chunk + 1]:
            chunk = bisect_right(starts, p) - 1
            columns = [read.get((n, chunk)) or records.chunk(n, chunk) for n in names]
        i = p - starts[chunk]
        found.append({n: v for n, c in zip(names, columns, strict=True) if (v := c[i]) is not None})
    return found


def chunk_text(field: Field, values: Sequence[Value | None]) -> bytes:
    """What `search` reads before a chunk of `field`'s column: the `searchable` text of
    each distinct value of `values`, joined (a NUL between), as UTF-8; so a chunk none of
    whose values holds a text is passed over unread (and a chunk this text holds it in
    is read value by value, so a match across two values is still none)."""
    present = [v for v in values if v is not None]
    kinds = set(map(type, present))
    distinct: Sequence[Any]
    if len(kinds) == 1 and kinds <= {str, int, bool}:
        distinct = list(dict.fromkeys(present))  # equal values of one of these: the same
    elif kinds <= {float, list}:
        distinct = list(dict(zip(map(repr, present), present, strict=True)).values())
    else:  # equal values that read otherwise (1, 1.0, True) kept apart
        distinct = list({(type(v), repr(v)): v for v in present}.values())
    text = _text_of(field)
    if text is None:
        folded = list(dict.fromkeys(searchable(field, v) for v in distinct))
    else:
        # ASCII folds as it lowercases; any other text is folded as searchable folds it
        texts = list(map(text, distinct))
        joined = "\x00".join(texts)
        if joined.isascii():
            return joined.lower().encode()
        folded = [t.lower() if t.isascii() else fold(t) for t in texts]
    # each character written alone: a text inside another stays inside it as bytes
    return "\x00".join(folded).encode("utf-8", "surrogatepass")


def holding(field: Field, values: Sequence[Value | None], folded: str) -> list[int]:
    """The positions of `values` (a column of `field`) whose text holds `folded`, in
    order: where `folded in searchable(field, value)`, for each value that is not None.
    A column is read a few times at C's speed, not value by value; values of a type
    this does not know are each read by `searchable` itself."""
    kinds = set(map(type, values))
    if type(None) not in kinds:
        return _holding(field, values, kinds, folded)
    kinds.discard(type(None))
    there = list(map(operator.is_not, values, repeat(None)))
    found = _holding(field, list(compress(values, there)), kinds, folded)
    if not found:
        return found
    where = list(compress(range(len(values)), there))
    return [where[i] for i in found]


def _holding(field: Field, present: Sequence[Any], kinds: set[type], folded: str) -> list[int]:
    """`holding` for values that are none of them None, of these types: their indices."""
    if not present:
        return []
    kind = type(field.type)
    plain = kind.searchable is Kind.searchable and kind.plain is Kind.plain
    if plain and kinds <= {str, int} and str in kinds:
        # text (dates, a text of digits): the text searched is the value's own, folded
        return _in_texts(
            field, present, present if kinds == {str} else list(map(str, present)), folded
        )
    keys: Sequence[Any] | None = None
    if kinds in ({str}, {int}, {bool}):
        keys = present  # equal values that are the same value
    elif plain and kinds <= {int, float} and min(present) > -1e16 and max(present) < 1e16:
        keys = present  # equal numbers read alike (1 and 1.0: 1; 0.0 and -0.0: 0) below 1e16
    elif kinds == {list} and _items(present) <= {str, int}:
        keys = list(map(tuple, present))
    elif kinds <= {str, int, float, bool}:
        keys = list(map(repr, present))  # equal reprs: the same value
    if keys is None:
        return [i for i, v in enumerate(present) if folded in searchable(field, v)]
    # each distinct value (a register's countries, a choice, a figure) is read once
    if keys is present:
        names = values_ = list(dict.fromkeys(present))
    else:
        distinct = dict(zip(keys, present, strict=True))
        names, values_ = list(distinct), list(distinct.values())
    text = _text_of(field)
    if text is None:
        held = {k for k, v in zip(names, values_, strict=True) if folded in searchable(field, v)}
    else:
        held = {names[i] for i in _in_texts(field, values_, list(map(text, values_)), folded)}
    return list(compress(range(len(keys)), map(held.__contains__, keys))) if held else []


def _text_of(field: Field) -> Callable[[Value], str] | None:
    """The text whose fold is what `searchable` reads in a value of `field`, where its
    kind searches that way (its own text; a list's items a line each); else None."""
    kind = field.type
    if type(kind).searchable is Kind.searchable:
        return lambda v: kind.plain(field, v)
    if type(kind).searchable is ListKind.searchable:
        return lambda v: kind.display(field, v, "\n")
    return None


def _items(lists: Sequence[list[Value]]) -> set[type]:
    return set(map(type, chain.from_iterable(lists)))


def _in_texts(
    field: Field, present: Sequence[Value], texts: Sequence[str], folded: str
) -> list[int]:
    """The indices of `present` (values of a field whose searched text is each one's own,
    `texts`, folded) holding `folded`. ASCII text folds as it lowercases, character for
    character, so ASCII texts are lowercased as one string and searched with `find`;
    any other value is read by `searchable`."""
    joined = "\x00".join(texts)
    if joined.isascii():
        return _in_ascii(texts, joined, folded) if folded.isascii() else []
    ascii_ = list(map(str.isascii, texts))
    other = list(compress(range(len(texts)), map(operator.not_, ascii_)))
    found = [i for i in other if folded in searchable(field, present[i])]
    if folded.isascii():  # else no ASCII text holds it
        plain = list(compress(texts, ascii_))
        if held := _in_ascii(plain, "\x00".join(plain), folded):
            at = list(compress(range(len(texts)), ascii_))
            found += [at[i] for i in held]
    return sorted(found)


def _in_ascii(texts: Sequence[str], joined: str, folded: str) -> list[int]:
    """The indices of the ASCII `texts` (`joined` by NULs) whose lowercase holds the
    ASCII `folded`."""
    lowered = joined.lower()
    at = lowered.find(folded)
    if at < 0:
        return []
    # where each text starts in `lowered` (one separator after each), and one past the
    # last: a match must lie inside one text, not across a separator
    starts = list(accumulate(map(operator.add, map(len, texts), repeat(1)), initial=0))
    size, found = len(folded), []
    while at >= 0:
        n = bisect_right(starts, at) - 1
        end = starts[n + 1] - 1  # where text n ends
        if at + size <= end:
            found.append(n)
            at = lowered.find(folded, end + 1)
        else:
            at = lowered.find(folded, at + 1)
    return found
