"""Finding, reading and cross-checking datasets: one TOML file per dataset, named after it.

Two folders hold them: the bundled data, and the user's. A user file whose name is new
adds a dataset; one named like a bundled dataset adds records to it, and a record with
a bundled record's id overrides it. A broken user file never stops the rest: the
catalog reports it through `warn` and goes on without it, unless `strict`.

A dataset is read only when a command asks for it, so `geobal deals` parses deals.toml
and nothing else. Checks that span files (source ids, `ref` fields) run when asked for:
`show` resolves the sources it prints, and `validate` checks everything.
"""

import dataclasses
import re
import tomllib
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from geobal.cache import Cache
from geobal.errors import DataError, GeobalError, UsageError
from geobal.model import (
    Choice,
    Columns,
    Dataset,
    Field,
    FieldType,
    Problem,
    Record,
    SortKey,
    SourceIndex,
)
from geobal.schema import (
    BUNDLED,
    DATASET_NAME_RE,
    SOURCES,
    USER,
    build_dataset,
    build_extension,
    cited,
)

_TOML_POSITION = r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$"


class Catalog:
    """The bundled and user datasets, each loaded and validated on first use."""

    def __init__(
        self,
        bundled: Path,
        user: Path | None = None,
        warn: Callable[[str], None] | None = None,
        strict: bool = False,
        cache: Cache | None = None,
        reading: Callable[[Path], AbstractContextManager[object]] | None = None,
    ) -> None:
        self.bundled = bundled
        self.user = user
        self.warn = warn or (lambda message: None)
        self.strict = strict
        self.cache = cache
        self.reading = reading or (lambda path: nullcontext())
        self._loaded: dict[str, Dataset] = {}

    def _files(self, folder: Path | None) -> dict[str, Path]:
        if folder is None or not folder.is_dir():
            return {}
        return {p.stem: p for p in folder.glob("*.toml") if DATASET_NAME_RE.match(p.stem)}

    def names(self) -> list[str]:
        return sorted({*self._files(self.bundled), *self._files(self.user)})

    def bundled_path(self, name: str) -> Path | None:
        path = self.bundled / f"{name}.toml"
        return path if DATASET_NAME_RE.match(name) and path.is_file() else None

    def user_path(self, name: str) -> Path:
        """Where the user's file for dataset `name` is, or would be."""
        if not DATASET_NAME_RE.match(name):
            raise UsageError(
                f"{name!r} is not a dataset name",
                "use lower-case letters, digits, - and _, starting with a letter",
            )
        if self.user is None:
            raise UsageError(
                "no folder for your datasets is set", "pass --data-dir, or set GEOBAL_DATA_DIR"
            )
        return self.user / f"{name}.toml"

    def get(self, name: str) -> Dataset:
        if name not in self._loaded:
            self._loaded[name] = self._load(name)
        return self._loaded[name]

    def _load(self, name: str) -> Dataset:
        bundled = self.bundled_path(name)
        user = self.user / f"{name}.toml" if self.user is not None else None
        if user is not None and not (DATASET_NAME_RE.match(name) and user.is_file()):
            user = None
        if bundled is None and user is None:
            raise unknown_name("dataset", name, self.names())
        base = self._read(bundled, BUNDLED) if bundled is not None else None
        if user is None:
            assert base is not None
            return base
        try:
            if base is None:
                return self._read(user, USER)
            assert bundled is not None
            return merge(base, self._extension(user, base, bundled))
        except DataError as err:
            if self.strict or base is None:
                raise
            self.warn(f"ignoring {user}: {err.message}")
            return base

    def _read(self, path: Path, origin: str) -> Dataset:
        """A whole dataset file, from the parse cache when it is current."""
        also = ("dataset", origin)
        if self.cache is not None:
            payload = self.cache.load(path, also)
            if payload is not None:
                try:
                    return from_payload(payload, path)
                except (KeyError, TypeError, ValueError, IndexError):
                    pass  # an entry of another shape: rebuild it
        with self.reading(path):
            ds = read_dataset(path, origin)
        if self.cache is not None:
            self.cache.store(path, to_payload(ds), also)
        return ds

    def _extension(self, path: Path, base: Dataset, base_path: Path) -> list[Record]:
        """A user's records for a bundled dataset; cached against both files."""
        from geobal.cache import Cache

        also = ("extension", *(Cache.key(base_path) or ()))
        if self.cache is not None:
            payload = self.cache.load(path, also)
            if isinstance(payload, list):
                return payload
        records = build_extension(parse_file(path), path, base)
        if self.cache is not None:
            self.cache.store(path, records, also)
        return records

    def prime(self, ds: Dataset) -> None:
        """Cache a dataset just written, as reading its file back would give it."""
        if self.cache is not None:
            self.cache.store(ds.path, to_payload(ds), ("dataset", USER))

    def forget(self, name: str) -> None:
        """Read `name` again on next use: its file has changed."""
        self._loaded.pop(name, None)
        if self.cache is not None and self.user is not None:
            self.cache.drop(self.user / f"{name}.toml")

    def all(self) -> list[Dataset]:
        """Every dataset that loads; a broken user dataset is reported and left out."""
        found = []
        for name in self.names():
            try:
                found.append(self.get(name))
            except DataError as err:
                if self.strict:
                    raise
                self.warn(f"ignoring {name}: {err.message}")
        return found

    def sources_of(self, record: Record) -> list[Record]:
        """The source entries a record cites, in the order it cites them."""
        sources = self.get(SOURCES).by_id
        ids = cited(record)
        missing = [s for s in ids if s not in sources]
        if missing:
            raise DataError(
                f"source id {missing[0]!r} is not in the sources dataset",
                "add the source there, or correct the id in the record's sources",
            )
        return [sources[s] for s in ids]

    def source_index(self) -> SourceIndex:
        sources = self.get(SOURCES)
        return SourceIndex(sources.fields, sources.by_id)

    def check_references(self, dataset: Dataset) -> list[Problem]:
        """Every value of a `ref` field (sources included) that names no record. A
        dataset's references to itself are checked against the version given."""
        problems = []
        for f in dataset.fields:
            if f.ref is None:
                continue
            target = dataset.by_id if f.ref == dataset.name else self.get(f.ref).by_id
            for record in dataset.records:
                value = record.get(f.name)
                ids = value if isinstance(value, list) else [] if value is None else [value]
                mine = record.get("origin") == USER and isinstance(record.get("file"), str)
                where = str(record["file"]) if mine else str(dataset.path)
                problems += [
                    Problem(
                        where, f"{ref!r} is not an id in {f.ref}", str(record[dataset.key]), f.name
                    )
                    for ref in ids
                    if ref not in target
                ]
        return problems


def to_payload(ds: Dataset) -> dict[str, object]:
    """A dataset as plain data, for the parse cache."""
    return {
        "meta": [ds.name, ds.title, ds.description, ds.key, list(ds.columns), ds.updated],
        "sort": [[k.field.name, k.descending] for k in ds.sort],
        "fields": [
            [
                f.name,
                f.type.value,
                f.title,
                f.description,
                f.required,
                [[c.value, c.label, list(c.aliases)] for c in f.choices],
                f.ref,
                f.derived,
                f.items.value,
            ]
            for f in ds.fields
        ],
        "records": Columns.pack(ds.records, [f.name for f in ds.fields]),
    }


def from_payload(payload: object, path: Path) -> Dataset:
    """The dataset a cached payload holds; KeyError, TypeError or ValueError if it is
    not one."""
    if not isinstance(payload, dict):
        raise TypeError("not a cached dataset")
    name, title, description, key, columns, updated = payload["meta"]
    fields = tuple(
        Field(
            n,
            FieldType(t),
            ti,
            d,
            bool(r),
            tuple(Choice(v, lb, tuple(a)) for v, lb, a in ch),
            ref,
            bool(der),
            FieldType(items),
        )
        for n, t, ti, d, r, ch, ref, der, items in payload["fields"]
    )
    by_name = {f.name: f for f in fields}
    sort = tuple(SortKey(by_name[n], bool(desc)) for n, desc in payload["sort"])
    count, blobs = payload["records"]
    if not isinstance(count, int) or not isinstance(blobs, dict):
        raise TypeError("no records")
    records = Columns(count, blobs)
    return Dataset(
        name, title, description, key, fields, records, path, sort, tuple(columns), updated
    )


def merge(base: Dataset, records: list[Record]) -> Dataset:
    """A bundled dataset with a user's records: one with a bundled id replaces it where
    it stands, the others follow."""
    by_id = {str(r[base.key]): r for r in records}
    merged = [by_id.pop(str(r[base.key]), r) for r in base.records]
    return dataclasses.replace(base, records=merged + list(by_id.values()))


def read_dataset(path: Path, origin: str = "bundled") -> Dataset:
    """Parse and validate one dataset file; a DataError names the file and position."""
    return build_dataset(parse_file(path), path, origin)


def parse_file(path: Path) -> Mapping[str, Any]:
    """A TOML file's contents; a DataError names the file, line and column."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DataError(f"{path}: cannot read: {err.strerror}") from err
    try:
        text = data.decode("utf-8-sig")  # a BOM, as Windows editors write, is allowed
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        raise DataError(
            f"{path}:{line}:{column}: not valid UTF-8 (byte 0x{data[err.start]:02x})",
            "TOML files must be UTF-8: re-save the file with UTF-8 encoding",
        ) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        m = re.match(_TOML_POSITION, str(err))
        where = f"{path}:{m['line']}:{m['col']}" if m else str(path)
        message = m["msg"] if m else str(err)
        if message.endswith(" (at end of document)"):
            lines = text.split("\n")
            where = f"{path}:{len(lines)}:{len(lines[-1]) + 1}"
            message = message.removesuffix(" (at end of document)")
        raise DataError(
            f"{where}: invalid TOML: {message}",
            "fix the syntax at that position (see https://toml.io)",
        ) from None
    return doc


def unknown_name(
    kind: str,
    name: str,
    known: list[str],
    where: str = "",
    *,
    error: type[GeobalError] = UsageError,
    hint: str | None = None,
) -> GeobalError:
    """An error for a name that is not there, suggesting the closest and listing the rest
    (unless `hint` says how to find them)."""
    import difflib  # only on this error path

    close = difflib.get_close_matches(name, known, n=1)
    guess = f"; did you mean {close[0]!r}?" if close else ""
    return error(f"unknown {kind} {name!r}{where}{guess}", hint or f"available: {', '.join(known)}")
