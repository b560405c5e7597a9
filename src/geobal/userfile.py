"""A user's dataset file held for a change: read under its lock, changed record by
record, checked, and written with the parse cache kept current.

What the file holds comes from the parse cache when its entry is current (else the
file is parsed, once); where each record lies in the text comes from reading it as
TOML (geobal.tomltext), kept in the cache beside the records, and moved along with
every change geobal makes. So a change costs about the same in a file of 200,000
records as in one of 1,000, a record is found where a parser finds it (not where a
pattern would), and everything outside the records changed stays byte for byte.

Each changed or added record's text is read back alone and must give exactly the
record meant; the rest of the file is untouched, so the file stays what it was with
that record changed. Nothing is written unless all of it holds.
"""

from __future__ import annotations

import os
import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, AnyStr

from geobal.catalog import Catalog, Own, merge
from geobal.errors import DataError
from geobal.files import decode, parse_toml, read_bytes
from geobal.model import Columns, Dataset, Field, Record, column
from geobal.schema import USER, check_record, stamp
from geobal.store import Say, Stamp, atomic_writes, locked
from geobal.tomltext import LayoutError, newline_of, record_blocks

BOM = b"\xef\xbb\xbf"
# `records = ...` or `records.x = ...`: records not written as [[records]], to which a
# [[records]] table cannot be added. Searched for from the word itself, which the
# engine finds quickly (from a line's start it tries every position: 8x slower); and a
# \u escape in a quoted key, which can spell any key ("rec\u006Frds").
_STATIC = re.compile(rb"""records["']?[ \t]*[=.]""")
_ESCAPE = re.compile(rb"\\[uU]")  # apart: the two as one pattern are 10x slower
_LONE_LF = re.compile(r"(?<!\r)\n")


def _static(raw: bytes) -> bool:
    """Whether a line of the file may set `records` as a key (it may be text inside a
    string: the layout then says)."""

    def line_before(at: int) -> bytes:
        return raw[raw.rfind(b"\n", 0, at) + 1 : at].lstrip(b" \t\xef\xbb\xbf")

    if any(line_before(m.start()) in (b"", b'"', b"'") for m in _STATIC.finditer(raw)):
        return True
    # an escape in a quoted key, before its `=`
    return any(
        (before := line_before(m.start())).startswith(b'"') and b"=" not in before
        for m in _ESCAPE.finditer(raw)
    )


class Layout:
    """Where each of a file's own records lies in its text, in the file's order: the
    start of its `[[records]]` header and the end of its last statement."""

    __slots__ = ("ends", "starts")

    def __init__(self, starts: array[int], ends: array[int]) -> None:
        self.starts, self.ends = starts, ends

    @classmethod
    def of(cls, text: str, key: str, ids: Sequence[str], where: Path) -> Layout:
        try:
            blocks = record_blocks(text, key)
        except LayoutError as err:
            line = text.count("\n", 0, err.position) + 1
            raise DataError(
                f"{where}:{line}: {err}",
                "edit this file by hand, or rewrite its records as [[records]] tables",
            ) from None
        if [b.rid for b in blocks] != list(ids):
            raise DataError(
                f"{where}: cannot tell which text holds which record (an id not written "
                "as text?), so it is not changed in place",
                "edit this file by hand",
            )
        return cls(array("q", (b.start for b in blocks)), array("q", (b.end for b in blocks)))

    @classmethod
    def loads(cls, raw: object, count: int) -> Layout | None:
        """A layout as the cache keeps it (two arrays' bytes); None if it is not one."""
        if not (isinstance(raw, list) and len(raw) == 2 and all(isinstance(b, bytes) for b in raw)):
            return None
        starts, ends = array("q"), array("q")
        try:
            starts.frombytes(raw[0])
            ends.frombytes(raw[1])
        except ValueError:
            return None
        return cls(starts, ends) if len(starts) == len(ends) == count else None

    def dumps(self) -> list[bytes]:
        return [self.starts.tobytes(), self.ends.tobytes()]


class Held:
    """The user's file of one dataset, read under its lock (see `hold`): its text, the
    records it holds itself, and the dataset they make. `edit` changes them in memory,
    all checked; `write` (or `staged`, then `kept`) writes the file and keeps the
    cache."""

    def __init__(self, catalog: Catalog, name: str) -> None:
        ds = catalog.get(name)
        self.catalog = catalog
        self._read_as = ds.records  # the records the command read, to share their ids
        self.name, self.key = ds.name, ds.key
        self.path = catalog.user_path(ds.name)
        self.base = catalog.base(ds.name)
        # What the file would now hold: its bytes (a BOM included), or, once a record's
        # place in it was needed, its text; the other is None until asked for.
        self.raw: bytes | None = b""
        self._text: str | None = None
        self.bom = False
        self.own = Own(ds, [], None)
        self.ids: list[str] = []
        self._layout: Layout | None = None
        self._index: dict[str, int] | None = None
        self._lookups = 0

    @property
    def dataset(self) -> Dataset:
        """The dataset as it is with the changes made so far."""
        return self.own.dataset

    def read(self) -> None:
        """Read the file as it is now (call it holding the lock)."""
        path = self.path
        if not os.path.lexists(path):
            if self.base is None:
                raise DataError(f"{path}: the file is gone", "it was removed a moment ago?")
            self._text = None
            self.raw = (
                f"# Your records for geobal's bundled dataset {self.name!r}; a record with a\n"
                "# bundled id replaces the bundled record.\n\n"
                f'[dataset]\nname = "{self.name}"\n'
            ).encode()
            self.own = Own(self.base, [], {}, None)
            self.ids, self._layout = [], Layout(array("q"), array("q"))
            return
        before = _stat(path)
        self.raw, self._text = read_bytes(path), None
        self.bom = self.raw.startswith(BOM)
        own = self.catalog.own_cached(self.name, path)
        if own is None or _stat(path) != before:
            try:
                own = self.catalog.own_parsed(self.name, path, self.text)
            except DataError as err:
                raise DataError(
                    err.message, f"fix {path} first: it is not changed while it is broken"
                ) from None
        self.own = own
        records, read_as = own.records, self._read_as
        if (
            isinstance(records, Columns)
            and isinstance(read_as, Columns)
            and records.packed[1] is read_as.packed[1]
        ):  # the same cache entry the command read: its ids are unpacked already
            records = read_as
        self.ids = list(column(records, self.key))  # type: ignore[arg-type]  # text
        self._layout = None
        if own.layout is not None:
            self._layout = Layout.loads(own.layout, len(self.ids))

    @property
    def text(self) -> str:
        """The file's text (a BOM left out), decoded only where a record's place in it
        is needed: records added at the end need only its bytes."""
        if self._text is None:
            assert self.raw is not None, "the bytes are kept until there is text"
            self._text = decode(self.raw, str(self.path))
        return self._text

    @property
    def layout(self) -> Layout:
        """Where each record lies, read from the text if the cache did not keep it; a
        DataError if the records are not written as [[records]] tables."""
        if self._layout is None:
            self._layout = Layout.of(self.text, self.key, self.ids, self.path)
        return self._layout

    def index(self, rid: str) -> int | None:
        """Where record `rid` is among the file's own records; None if it is not one."""
        if self._index is None:
            if self._lookups < 8:  # a few: a scan of the list, at C's speed
                self._lookups += 1
                try:
                    return self.ids.index(rid)
                except ValueError:
                    return None
            self._index = {rid: i for i, rid in enumerate(self.ids)}  # many: a map
        return self._index.get(rid)

    def has(self, rid: str) -> bool:
        """Whether the dataset, bundled records and the file's own, has record `rid`."""
        return self.index(rid) is not None or (self.base is not None and rid in self.base.ids)

    def record(self, position: int) -> Record:
        records = self.own.records
        if isinstance(records, Columns):
            return records.record(position)
        return records[position]

    def _ascii(self) -> bytes | None:
        """The file's bytes, where it is all ASCII: a character's place in its text is
        then its byte's, so a record is found, changed and written in the bytes without
        decoding and encoding the whole file."""
        raw = self.raw
        return raw if raw is not None and raw.isascii() else None

    def block(self, position: int) -> str:
        """The text of the file's own record at `position`, checked to be that record's."""
        start, end = self.layout.starts[position], self.layout.ends[position]
        raw = self._ascii()
        text = raw[start:end].decode("ascii") if raw is not None else self.text[start:end]
        blocks = record_blocks(text, self.key)
        if [b.rid for b in blocks] != [self.ids[position]]:
            raise DataError(
                f"{self.path}: the record {self.ids[position]!r} is not where geobal last "
                "saw it; nothing was written",
                "run the command again (geobal cache clear, if it says this again)",
            )
        return text

    def edit(
        self,
        replaced: dict[int, tuple[str, Record]],
        removed: set[int],
        added: Sequence[tuple[str, Record]],
    ) -> None:
        """Replace records (by position: the new block and the record it must give),
        remove others and add new ones at the end: the text, the records and where each
        lies, changed together. Each new block is read back alone first."""
        fields = self.dataset.fields
        new = {p: self._read_back(block, r, fields) for p, (block, r) in replaced.items()}
        appended = [self._read_back(block, r, fields) for block, r in added]
        # [[records]] tables can follow the text unless records are written otherwise
        # there; a line that looks so may be inside a string, which the layout tells
        static = added and self._layout is None and _static(self.staged()[1])
        keep = replaced or removed or static or self._layout is not None
        layout = self.layout if keep else None
        starts, ends = array("q"), array("q")
        if layout is None and self.raw is not None:  # records added, no place needed:
            raw = self.raw  # bytes in, bytes out, nothing decoded
            newline = "\r\n" if b"\r\n" in raw[: raw.find(b"\n") + 1] else "\n"
            ending = raw[-4:].decode("utf-8", "ignore")
            tail = _tail(added, ending, len(raw), newline, starts, ends)
            self.raw, self._text = raw + tail.encode(), None
        else:
            layout = layout or self.layout
            plain = self._ascii()
            if plain is not None and all(b.isascii() for b, _ in (*replaced.values(), *added)):
                edited = self._edited(plain, layout, replaced, removed, added, starts, ends)
                self.raw, self._text = edited, None
            else:
                text = self._edited(self.text, layout, replaced, removed, added, starts, ends)
                self.raw, self._text = None, text
        self._layout = Layout(starts, ends) if layout is not None else None
        # a record replaced keeps its id: only removals and additions change the ids
        if removed:
            self.ids = [rid for i, rid in enumerate(self.ids) if i not in removed]
        self.ids += [str(r[self.key]) for r in appended]
        self._index, self._lookups = None, 0
        self.own = self._records(new, removed, appended)

    def _edited(
        self,
        text: AnyStr,
        layout: Layout,
        replaced: dict[int, tuple[str, Record]],
        removed: set[int],
        added: Sequence[tuple[str, Record]],
        starts: array[int],
        ends: array[int],
    ) -> AnyStr:
        """The text (or the bytes of an ASCII text, and ASCII blocks) with the records
        replaced, removed and added, each where it is; `starts` and `ends` get where each
        record now lies."""
        as_text: Callable[[AnyStr], str]
        if isinstance(text, str):
            as_text, of_text = str, str
        else:
            as_text, of_text = _from_ascii, _to_ascii
        newline = newline_of(as_text(text[: text.find(of_text("\n")) + 1]))
        line_ends = (of_text("\r"), of_text("\n"))
        # bytes are cut as views, not copies: a large file is copied once, by the join
        source: AnyStr | memoryview = memoryview(text) if isinstance(text, bytes) else text
        pieces: list[Any] = []
        at = previous = shift = 0
        for position in sorted({*replaced, *removed}):
            start, end = layout.starts[position], layout.ends[position]
            _shifted(starts, ends, layout, previous, position, shift)
            pieces.append(source[at:start])
            if position in removed:
                while end < len(text) and text[end : end + 1] in line_ends:
                    end += 1  # the blank lines after it go with it
                shift -= end - start
            else:
                block = replaced[position][0]
                if newline == "\r\n":  # the file's own line ends, in what geobal writes into it
                    block = _LONE_LF.sub("\r\n", block)
                starts.append(start + shift)
                ends.append(start + shift + len(block))
                pieces.append(of_text(block))
                shift += len(block) - (end - start)
            at, previous = end, position + 1
        _shifted(starts, ends, layout, previous, len(self.ids), shift)
        pieces.append(source[at:])
        if len(pieces) > 1:  # else the text itself, not a copy: nothing changed in it
            text = text[:0].join(pieces)
        if added:
            ending = as_text(text[-4:])
            newline = newline_of(as_text(text[: text.find(of_text("\n")) + 1]))
            text += of_text(_tail(added, ending, len(text), newline, starts, ends))
        return text

    def _read_back(self, block: str, wanted: Record, fields: Sequence[Field]) -> Record:
        """The record `block` gives read alone, which must be `wanted`."""
        try:
            doc = parse_toml(block, str(self.path))
        except DataError as err:
            raise DataError(f"{err.message} (in the text geobal would write)") from None
        items = doc.get("records")
        item = items[0] if isinstance(items, list) and len(items) == 1 and len(doc) == 1 else {}
        record, problems = check_record(fields, self.key, item, str(self.path), "?")
        if problems or record != wanted:
            raise DataError(
                f"{self.path}: the record {wanted.get(self.key)!r} would not read back as "
                "written; nothing was written",
                "this is a bug in geobal: report it with the record",
            )
        stamp([record], self.path, USER)
        return record

    def _records(self, new: dict[int, Record], removed: set[int], added: list[Record]) -> Own:
        records = self.own.records
        if isinstance(records, Columns):
            changed: Sequence[Record] = records.changed(new, removed, added)
        else:
            changed = [new.get(i, r) for i, r in enumerate(records) if i not in removed] + added
        layout = self._layout.dumps() if self._layout is not None else None
        if self.own.added is None:
            return Own(self.dataset.with_records(changed), changed, None, layout)
        assert self.base is not None, "a file adding to a bundled dataset"
        return Own(merge(self.base, self.own.added, list(changed)), changed, self.own.added, layout)

    def staged(self) -> tuple[Path, bytes]:
        """The file and what it would now hold, for a write of several files at once."""
        if self.raw is not None:
            return self.path, self.raw
        data = self.text.encode("utf-8")
        return self.path, BOM + data if self.bom else data

    def kept(self, written: Stamp | None) -> None:
        """What the file now holds is on disk (`written`): keep it for the next run."""
        self.catalog.keep(self.path, self.own, written)

    def write(self, force: bool = False, say: Say | None = None) -> None:
        [written] = atomic_writes([self.staged()], force, say)
        self.kept(written)


@contextmanager
def hold(catalog: Catalog, name: str) -> Iterator[Held]:
    """The user's file of dataset `name`, locked and read; written only if asked."""
    held = Held(catalog, name)
    held.path.parent.mkdir(parents=True, exist_ok=True)
    with locked(held.path):
        held.read()
        yield held


def _tail(
    added: Sequence[tuple[str, Record]],
    ending: str,
    size: int,
    newline: str,
    starts: array[int],
    ends: array[int],
) -> str:
    """The text that adds these blocks after a text of `size` characters ending with
    `ending`: each after a blank line, in the text's own line ends; `starts` and `ends`
    get where each lies."""
    tail = []
    for block, _ in added:
        if size and not ending.endswith("\n"):
            tail.append(newline)
            ending, size = ending + newline, size + len(newline)
        if size and not ending.endswith(("\n\n", "\r\n\r\n")):
            tail.append(newline)
            size += len(newline)
        block = block.replace("\n", newline) if newline != "\n" else block
        starts.append(size)
        tail.append(block)
        size += len(block)
        ends.append(size)
        ending = block[-4:]
    return "".join(tail)


def _from_ascii(data: bytes) -> str:
    return data.decode("ascii")


def _to_ascii(text: str) -> bytes:
    return text.encode("ascii")


def _stat(path: Path) -> tuple[int, int, int, int]:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _shifted(
    starts: array[int], ends: array[int], layout: Layout, first: int, stop: int, shift: int
) -> None:
    """Append the spans of the records first..stop-1, which no edit touches, moved by
    `shift` characters."""
    if shift == 0:
        starts.extend(layout.starts[first:stop])
        ends.extend(layout.ends[first:stop])
    else:
        starts.extend(s + shift for s in layout.starts[first:stop])
        ends.extend(e + shift for e in layout.ends[first:stop])
