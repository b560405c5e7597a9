"""The parse cache: datasets as validated, kept in marshal form in the cache folder.

TOML stays the source of truth; tomllib reads it at about 3 MB/s, so a large dataset
would take seconds on every run. An entry is keyed by the file's path, size,
modification and change times and inode, geobal's version and the cache's own format,
and is used only when every part of the key matches and its checksum does. marshal
loads plain data only (never code that runs), and anything stale, corrupt or
unreadable is ignored and rebuilt, never trusted; a cache that cannot be written is
simply not kept.
"""

import marshal
import os
import zlib  # crc32: hashlib would cost 5 ms of start-up, and a clash only forces a rebuild
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from geobal import __version__
from geobal.fieldtypes import KINDS
from geobal.model import Choice, Columns, Dataset, Field, Record, SortKey

FORMAT = 11  # bump whenever what an entry holds changes shape
MAGIC = "geobal-parse-cache"


class Cache:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder / "datasets" if folder is not None else None
        self._trusted: bool | None = None
        # the last entry loaded or stored for each file, with its key: a write reads the
        # file it changes again under its lock, and need not load the same entry twice
        self._last: dict[Path, tuple[tuple[object, ...], object]] = {}

    def trusted(self) -> bool:
        """Whether the cache folder is this user's own and no one else may write to it:
        an entry is code-free data, but a wrong one would give wrong figures."""
        if self._trusted is None:
            self._trusted = self.folder is not None and _own(self.folder)
        return self._trusted

    def _entry(self, path: Path) -> Path | None:
        if self.folder is None or not self.trusted():
            return None
        digest = zlib.crc32(os.path.realpath(path).encode())
        return self.folder / f"{path.stem}-{digest:08x}.marshal"

    @staticmethod
    def key(path: Path, also: Sequence[object] = ()) -> tuple[object, ...] | None:
        try:
            st = path.stat()
        except OSError:
            return None
        # The inode and change time as well: an atomic write makes a new inode, and no
        # tool can set ctime, so an edit that keeps size and mtime is still noticed.
        stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        return (os.path.realpath(path), *stamp, __version__, FORMAT, *also)

    def load(self, path: Path, also: Sequence[object] = ()) -> object | None:
        entry, key = self._entry(path), self.key(path, also)
        if entry is None or key is None:
            return None
        last = self._last.get(entry)
        if last is not None and last[0] == key:
            return last[1]
        try:
            from geobal.files import read_bytes  # regular files only: a FIFO cannot block

            magic, stored, checksum, body = marshal.loads(read_bytes(entry))
            if magic != MAGIC or stored != key or zlib.crc32(body) != checksum:
                return None
            # A dataset's columns are unpacked later, when a query needs them: the
            # checksum is what makes them safe to trust then.
            payload: object = marshal.loads(body)
        except Exception:  # missing, truncated, damaged, or not ours: rebuild it
            return None
        self._last[entry] = (key, payload)
        return payload

    def store(
        self,
        path: Path,
        payload: object,
        also: Sequence[object] = (),
        before: tuple[object, ...] | None = None,
        written: tuple[int, int, int] | None = None,
    ) -> None:
        """Keep `payload` for the file as it is; with `before`, the file's key taken
        before it was read, only if the file has not changed since (else the entry
        would hold the old contents under the new key); with `written`, the inode, size
        and mtime a write left, only if the file is still what that write made."""
        entry, key = self._entry(path), self.key(path, also)
        if entry is None or key is None or (before is not None and before != key):
            return
        if written is not None and (key[4], key[1], key[2]) != written:
            return  # key: path, size, mtime, ctime, inode, ...
        from geobal.errors import DataError
        from geobal.store import Interrupted, atomic_write  # the one write path

        try:
            body = marshal.dumps(payload)  # type: ignore[arg-type]
            entry_bytes = marshal.dumps((MAGIC, key, zlib.crc32(body), body))  # type: ignore[arg-type]
            atomic_write(entry, entry_bytes, forced_by=None, durable=False)
            self._last[entry] = (key, payload)
        except (OSError, ValueError, DataError):  # a read-only or full disk: no cache
            pass
        except Interrupted:  # Ctrl-C ends the run; what the user asked wrote nothing yet
            raise KeyboardInterrupt from None

    def drop(self, path: Path) -> None:
        entry = self._entry(path)
        if entry is not None:
            self._last.pop(entry, None)
            entry.unlink(missing_ok=True)

    def clear(self) -> int:
        """Remove every entry, the replies `fetch` kept beside them included; how many
        there were."""
        if self.folder is None:
            return 0
        self._last.clear()
        replies = self.folder.parent / "sipri"  # geobal.transfer.fetch's
        entries = [
            *(self.folder.glob("*.marshal") if self.folder.is_dir() else ()),
            *(replies.glob("reply-*.json") if replies.is_dir() else ()),
        ]
        for entry in entries:
            entry.unlink(missing_ok=True)
        return len(entries)


def _own(folder: Path) -> bool:
    """`folder` (made if missing, private) is the user's and not writable by others."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = folder.stat()
    except OSError:
        return False
    mine = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return mine and not st.st_mode & 0o022


def _choices(choices: Sequence[Choice]) -> list[list[object]]:
    return [[c.value, c.label, list(c.aliases), c.meaning, c.added_by] for c in choices]


def _from_choices(raw: Sequence[Sequence[Any]]) -> tuple[Choice, ...]:
    return tuple(Choice(v, lb, tuple(a), m, by) for v, lb, a, m, by in raw)


def extension_payload(
    added: Mapping[str, Sequence[Choice]], records: list[Record]
) -> dict[str, object]:
    """What a user's file adds to a bundled dataset, as plain data for the cache."""
    return {"choices": {name: _choices(c) for name, c in added.items()}, "records": records}


def from_extension_payload(
    payload: Mapping[str, Any],
) -> tuple[dict[str, tuple[Choice, ...]], list[Record]]:
    choices, records = payload["choices"], payload["records"]
    if not isinstance(choices, dict) or not isinstance(records, list):
        raise TypeError("not what a user's file adds")
    return {name: _from_choices(c) for name, c in choices.items()}, records


def to_payload(ds: Dataset) -> dict[str, object]:
    """A dataset as plain data, for the cache."""
    records = ds.records
    if not isinstance(records, Columns):
        records = Columns(*Columns.pack(records, [f.name for f in ds.fields]))
    sizes, blobs = records.packed
    return {
        "meta": [
            ds.name,
            ds.title,
            ds.description,
            ds.key,
            list(ds.columns),
            ds.updated,
            list(ds.covers) if ds.covers else None,
            ds.as_of,
            ds.scope,
        ],
        "sort": [[k.field.name, k.descending] for k in ds.sort],
        "fields": [field_row(f) for f in ds.fields],
        "records": [sizes, blobs],
        "search": search_texts(ds.fields, records),
    }


def field_row(f: Field) -> list[object]:
    """A field as plain data: in the cache, and what its search texts were made for."""
    return [
        f.name,
        f.type.name,
        f.title,
        f.description,
        f.required,
        _choices(f.choices),
        f.ref,
        f.derived,
        f.items.name if f.items is not None else None,
        f.unit,
        f.country,
        f.totals,
    ]


def search_texts(fields: Sequence[Field], records: Columns) -> dict[str, list[object]]:
    """Each field's search text of each chunk (geobal.searching.chunk_text), with the
    field it was made for; a chunk's text kept from before where its values and the
    field are the same, so a write to a large dataset makes only its changed chunks'."""
    from geobal.searching import chunk_text  # only when an entry is made

    made: dict[str, list[object]] = {}
    for f in fields:
        row = field_row(f)
        kept = records.texts.get(f.name)
        old = kept[1] if kept is not None and kept[0] == row else []
        texts = [
            old[c]
            if c < len(old) and old[c] is not None
            else chunk_text(f, records.chunk(f.name, c))
            for c in range(len(records.packed[0]))
        ]
        made[f.name] = [row, texts]
    return made


def from_payload(payload: object, path: Path) -> Dataset:
    """The dataset a cached payload holds; KeyError, TypeError or ValueError if it is
    not one."""
    if not isinstance(payload, dict):
        raise TypeError("not a cached dataset")
    name, title, description, key, columns, updated, covers, as_of, scope = payload["meta"]
    fields = tuple(
        Field(
            n,
            KINDS[t],
            ti,
            d,
            bool(r),
            _from_choices(ch),
            ref,
            bool(der),
            KINDS[items] if items is not None else None,
            unit,
            bool(country),
            bool(totals),
        )
        for n, t, ti, d, r, ch, ref, der, items, unit, country, totals in payload["fields"]
    )
    by_name = {f.name: f for f in fields}
    sort = tuple(SortKey(by_name[n], bool(desc)) for n, desc in payload["sort"])
    sizes, blobs = payload["records"]
    if not isinstance(sizes, list) or not isinstance(blobs, dict):
        raise TypeError("no records")
    texts = payload["search"]
    if not isinstance(texts, dict) or not all(
        isinstance(kept, list)
        and len(kept) == 2
        and isinstance(kept[1], list)
        and len(kept[1]) == len(sizes)
        and all(type(t) is bytes for t in kept[1])
        for kept in texts.values()
    ):
        raise TypeError("no search texts")  # never trusted: the entry is made again
    records = Columns(sizes, blobs, {name: (row, ts) for name, (row, ts) in texts.items()})
    return Dataset(
        name,
        title,
        description,
        key,
        fields,
        records,
        path,
        sort,
        tuple(columns),
        updated,
        (covers[0], covers[1]) if covers else None,
        as_of,
        scope,
    )
