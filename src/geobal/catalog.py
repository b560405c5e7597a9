"""Finding, reading and cross-checking datasets: one TOML file per dataset, named after it.

Two folders hold them: the bundled data, and the user's. A user file whose name is new
adds a dataset; one named like a bundled dataset adds records to it, and a record with
a bundled record's id overrides it (`_combine`, the one place the two meet). A broken
user file never stops the rest: the catalog reports it through `warn` and goes on
without it, unless `strict`.

A dataset is read only when a command asks for it, so `geobal deals` parses deals.toml
and nothing else. Checks that span files (source ids, `ref` fields) run when asked for:
`show` resolves the sources it prints, and `validate` checks everything.
"""

import os
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, NamedTuple

from geobal.cache import (
    Cache,
    extension_payload,
    from_extension_payload,
    from_payload,
    to_payload,
)
from geobal.errors import DataError, GeobalError, UsageError
from geobal.files import parse_file, parse_toml
from geobal.model import Columns, Dataset, Problem, Record, SourceIndex, column
from geobal.names import Names, lookup
from geobal.schema import (
    BUNDLED,
    SOURCES,
    USER,
    Added,
    build_dataset,
    build_extension,
    cited,
    extended,
    is_dataset_name,
    record_file,
)


class Own(NamedTuple):
    """A user's dataset file as what it gives: the dataset it makes (over the bundled
    dataset of its name, if there is one), the file's own records in the file's order,
    the choices it adds to a bundled dataset (None for a dataset of its own), and what
    the write path keeps beside them in the cache (where each record lies in the text)."""

    dataset: Dataset
    records: Sequence[Record]
    added: Added | None
    layout: object = None


TWICE = " twice"  # ends the problem of a list naming an id twice (edit's advice tells it by)


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
        return {p.stem: p for p in folder.glob("*.toml") if is_dataset_name(p.stem)}

    def names(self) -> list[str]:
        return sorted({*self._files(self.bundled), *self._files(self.user)})

    def bundled_path(self, name: str) -> Path | None:
        path = self.bundled / f"{name}.toml"
        return path if is_dataset_name(name) and os.path.lexists(path) else None

    def _user_file(self, name: str) -> Path | None:
        """The user's file for `name`, if there is one: whatever it is (a folder, a FIFO,
        a link leading nowhere), reading it says what is wrong with it."""
        if self.user is None or not is_dataset_name(name):
            return None
        path = self.user / f"{name}.toml"
        return path if os.path.lexists(path) else None

    def user_path(self, name: str) -> Path:
        """Where the user's file for dataset `name` is, or would be."""
        if not is_dataset_name(name):
            raise UsageError(
                f"{name!r} is not a dataset name",
                "use lower-case letters, digits, - and _, starting with a letter",
            )
        if self.user is None:
            raise UsageError(
                "no folder for your datasets is set", "pass --data-dir, or set GEOBAL_DATA_DIR"
            )
        if os.path.lexists(self.user) and not self.user.is_dir():
            raise DataError(
                f"{self.user} is not a folder, yet it is set as the folder of your datasets",
                "give --data-dir (or GEOBAL_DATA_DIR, or data_dir in the config) a folder; "
                "`geobal paths` shows what set it",
            )
        return self.user / f"{name}.toml"

    def get(self, name: str) -> Dataset:
        """Dataset `name`, as the user typed it: any case, - and _ alike."""
        if not isinstance(name, str):  # a script's slip, said before any look-up
            from geobal.given import name as named

            named(name, "dataset")
        if name not in self._loaded:
            if self.bundled_path(name) is None and self._user_file(name) is None:
                found = lookup("dataset", name, self.names())
                if found != name:
                    return self.get(found)
            self._loaded[name] = self._load(name)
        return self._loaded[name]

    def fresh(self, name: str) -> Dataset:
        """Dataset `name` as its files are now, though this run read it before (from the
        parse cache, where it is current)."""
        self._loaded.pop(name, None)
        return self.get(name)

    def base(self, name: str) -> Dataset | None:
        """The bundled dataset `name` alone, without the user's records; None if geobal
        bundles no such dataset."""
        path = self.bundled_path(name)
        return self._read(path, BUNDLED) if path is not None else None

    def _load(self, name: str) -> Dataset:
        base = self.base(name)
        user = self._user_file(name)
        if user is None:
            assert base is not None, "get() found a file"
            return base
        try:
            return self._combine(name, base, user)
        except DataError as err:
            if self.strict or base is None:
                raise
            self.warn(f"ignoring {user}: {err.message}")
            return base

    def _combine(
        self, name: str, base: Dataset | None, path: Path, doc: Mapping[str, Any] | None = None
    ) -> Dataset:
        """The one merge of bundled and user data: the user's file `path` (or `doc`,
        what it holds or would hold) over the bundled dataset `base`; with no bundled
        dataset of that name, the user's file is a dataset of its own. Reads of the
        file as it is on disk come from the parse cache when it is current."""
        if base is None:
            if doc is None:
                return self._read(path, USER)
            return build_dataset(doc, path, USER)
        bundled = self.bundled_path(name)
        assert bundled is not None
        also = ("extension", *(Cache.key(bundled) or ()))
        before = Cache.key(path, also)
        if doc is None and self.cache is not None:
            payload = self.cache.load(path, also)
            if isinstance(payload, dict):
                try:
                    return merge(base, *from_extension_payload(payload))
                except (KeyError, TypeError, ValueError):
                    pass  # an entry of another shape: rebuild it
        added, records = build_extension(parse_file(path) if doc is None else doc, path, base)
        if doc is None and self.cache is not None:
            self.cache.store(path, extension_payload(added, records), also, before)
        return merge(base, added, records)

    def _also(self, name: str) -> tuple[object, ...]:
        """What a cache entry of the user's file for `name` is keyed by, beside the file."""
        bundled = self.bundled_path(name)
        if bundled is None:
            return ("dataset", USER)
        return ("extension", *(Cache.key(bundled) or ()))

    def own_cached(self, name: str, path: Path) -> Own | None:
        """The user's file of dataset `name` as the parse cache holds it, if the entry is
        current; else None."""
        if self.cache is None:
            return None
        payload = self.cache.load(path, self._also(name))
        if not isinstance(payload, dict):
            return None
        try:
            base = self.base(name)
            if base is None:
                ds = from_payload(payload, path)
                return Own(ds, ds.records, None, payload.get("layout"))
            added, records = from_extension_payload(payload)
            return Own(merge(base, added, records), records, added, payload.get("layout"))
        except (KeyError, TypeError, ValueError, IndexError):
            return None  # an entry of another shape: the caller parses the file

    def own_parsed(self, name: str, path: Path, text: str) -> Own:
        """The user's file of dataset `name`, holding `text`, parsed and checked."""
        doc = parse_toml(text, str(path))
        base = self.base(name)
        if base is None:
            ds = build_dataset(doc, path, USER)
            return Own(ds, ds.records, None)
        added, records = build_extension(doc, path, base)
        return Own(merge(base, added, records), records, added)

    def keep(self, path: Path, own: Own, written: tuple[int, int, int] | None) -> None:
        """Use `own` for its dataset from now on, as a write of the user's file `path`
        left it (`written`: what the write left on disk), and keep it in the cache."""
        name = own.dataset.name
        self._loaded[name] = own.dataset
        if self.cache is None:
            return
        if written is None:
            self.cache.drop(path)
            return
        if own.added is None:
            payload = to_payload(own.dataset)
        else:
            payload = extension_payload(own.added, list(own.records))
        if own.layout is not None:
            payload["layout"] = own.layout
        self.cache.store(path, payload, self._also(name), written=written)

    def _read(self, path: Path, origin: str) -> Dataset:
        """A whole dataset file, from the parse cache when it is current."""
        also = ("dataset", origin)
        before = Cache.key(path, also)  # the file as it was before it is read
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
            # the records as the cache keeps them, and as every later run reads them: a
            # query reading a field of every record unpacks it once, not walks them all
            ds = ds.with_records(Columns(*Columns.pack(ds.records, [f.name for f in ds.fields])))
            self.cache.store(path, to_payload(ds), also, before)
        return ds

    def all(self, unless: Callable[[str], bool] | None = None) -> list[Dataset]:
        """Every dataset that loads; a broken user dataset is reported and left out, and
        so is, without being read, one whose name `unless` picks."""
        found = []
        for name in self.names():
            if unless is not None and unless(name):
                continue
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

    def citing(self, name: str, ids: set[str]) -> list[str]:
        """The records, as DATASET/ID, that name one of `ids` of dataset `name` in a field
        that refers to it (every record's sources, where `name` is the sources dataset)."""
        found = []
        for other in self.all():
            referring = [f.name for f in other.fields if f.ref == name]
            if not referring:
                continue
            keys = column(other.records, other.key)
            for field in referring:
                values = column(other.records, field)
                for rid, value in zip(keys, values, strict=True):
                    named = value if isinstance(value, list) else [value]
                    if any(str(v) in ids for v in named if v is not None):
                        found.append(f"{other.name}/{rid}")
        return list(dict.fromkeys(found))

    def check_references(
        self,
        dataset: Dataset,
        records: Sequence[Record] | None = None,
        has: Callable[[str], bool] | None = None,
        where: str | None = None,
    ) -> list[Problem]:
        """Every value of a `ref` field (sources included) that names no record: of all
        the dataset's records, or of `records` (about to be written). A reference to the
        dataset itself is checked against `has` (whether it has an id), else against the
        dataset as given. Each problem is said at `where`, else at the record's file."""
        problems = []
        checked = dataset.records if records is None else records
        for f in dataset.fields:
            if f.ref is None:
                continue
            if f.ref == dataset.name:
                named = has or dataset.ids.__contains__
            else:
                named = self.get(f.ref).ids.__contains__
            # the field's column alone: a cached register's 28,000 records are never
            # built whole to read one field of each
            for at, value in enumerate(column(checked, f.name)):
                ids = value if isinstance(value, list) else [] if value is None else [value]
                missing = [ref for ref in ids if not named(str(ref))]
                # an id named twice would count its record twice in every grouping
                named_ids = [str(r) for r in ids]
                twice = sorted({r for r in named_ids if named_ids.count(r) > 1})
                if not missing and not twice:
                    continue
                record = checked.record(at) if isinstance(checked, Columns) else checked[at]
                said = record_file(record, dataset) if where is None else where
                problems += [
                    Problem(
                        said, f"{ref!r} is not an id in {f.ref}", str(record[dataset.key]), f.name
                    )
                    for ref in missing
                ] + [
                    Problem(said, f"names {ref!r}{TWICE}", str(record[dataset.key]), f.name)
                    for ref in twice
                ]
        return problems

    def validate(self, paths: Sequence[Path]) -> tuple[int, list[str], list[str]]:
        """Every problem in the given files and folders (all datasets when none): TOML
        syntax as file:line:col, schema problems as file: record ID: field: message;
        and what is worth knowing though it is no problem: the files that add choices
        to a bundled dataset's fields."""
        files, notes = self._validated_files(paths)
        problems: list[str] = []
        loaded: list[Dataset] = []
        for path in files:
            try:
                loaded.append(self._file_dataset(path))
            except GeobalError as err:
                found = getattr(err, "problems", [])
                problems += [str(p) for p in found] or [err.message]
        for ds in loaded:
            try:
                problems += [str(p) for p in self.check_references(ds)]
            except GeobalError as err:
                problems.append(err.message)
            notes += added_choices(ds)
        problems += self._stale(loaded)
        return len(files), problems, notes

    def _stale(self, loaded: Sequence[Dataset]) -> list[str]:
        """The deals whose status a later event linked to them contradicts, or that have
        no status_date though a source of theirs is dated, where deals or events are
        among the datasets checked (each as read from its files: a user's over the
        bundled)."""
        from geobal.stories import DEALS, EVENTS, stale, undated

        named = {ds.name: ds for ds in loaded}
        if DEALS not in named and EVENTS not in named:
            return []
        try:
            deals = named.get(DEALS) or self.get(DEALS)
            events = named.get(EVENTS) or self.get(EVENTS)
            sources = named.get(SOURCES) or self.get(SOURCES)
        except GeobalError as err:
            return [err.message]
        return [str(p) for p in stale(deals, events, undated(sources))]

    def _validated_files(self, paths: Sequence[Path]) -> tuple[list[Path], list[str]]:
        """The files `paths` name, and a note for each dataset name read as its files.
        A path that exists wins over a dataset of that name."""
        if not paths:
            folders = [self.bundled, *([self.user] if self.user else [])]
            return [p for f in folders if f.is_dir() for p in sorted(f.glob("*.toml"))], []
        found: list[Path] = []
        notes: list[str] = []
        for path in paths:
            if path.is_dir():
                held = sorted(path.glob("*.toml"))
                found += held or self._empty_folder(path, notes)
            elif os.path.lexists(path):
                found.append(path)
            else:
                name, files = self._files_of(path)
                found += files
                said = ", ".join(str(f) for f in files)
                notes.append(f"{path}: not a file here; read the dataset {name}: {said}")
        return found, notes

    def _empty_folder(self, path: Path, notes: list[str]) -> list[Path]:
        """The files of the dataset a folder with no .toml file is named like (`validate
        pakdeals` where a folder pakdeals is in the current one), said in a note; a usage
        error where there is none, as a check of nothing is no check."""
        name = str(path).rstrip("/")
        try:
            found, kept = self._files_of(Path(name))
        except UsageError:
            found, kept = "", []
        if found:
            notes.append(
                f"{name}: a folder here with no .toml file in it; read the dataset "
                f"{found} instead: {', '.join(str(f) for f in kept)}"
            )
            return kept
        raise UsageError(
            f"{path}: a folder with no .toml file in it: nothing to check",
            "name dataset files, a folder that holds them, or a dataset (geobal datasets "
            "lists them)",
        )

    def _files_of(self, path: Path) -> tuple[str, list[Path]]:
        """The files of the dataset `path` names, where it is a name and no file: the
        bundled one and the user's, as they exist."""
        name = str(path)
        if path.name != name or path.suffix:  # a path, not a name: `data/x.toml`
            raise UsageError(f"{path}: no such file or folder")
        known = self.names()
        found = Names.of(known).find(name)
        if len(found) != 1:
            close = Names.of(known).closest(name, 1)
            raise UsageError(
                f"{path}: no such file or folder, nor a dataset",
                f"did you mean {close[0]!r}?" if close else "list the datasets: geobal datasets",
            )
        files = [self.bundled_path(found[0]), self._user_file(found[0])]
        return found[0], [f for f in files if f is not None]

    def _file_dataset(self, path: Path) -> Dataset:
        """One file as the dataset it makes: a bundled file alone; a file named like a
        bundled dataset, with no [fields] of its own, over that dataset; any other as a
        dataset of its own."""
        if not is_dataset_name(path.stem):
            raise DataError(
                f"{path}: {path.stem!r} is not a dataset name; rename the file with "
                "lower-case letters, digits, - and _, starting with a letter"
            )
        # Through the parse cache: an entry is made only of a file that was read and
        # checked whole, and is used only while the file is as it was then, so a current
        # entry is a file already found sound; what spans files is checked after.
        bundled = self.bundled_path(path.stem)
        if bundled is not None and os.path.realpath(bundled) == os.path.realpath(path):
            return self._read(path, BUNDLED)
        base = self.base(path.stem) if bundled is not None else None
        return self._combine(path.stem, base, path)


def added_choices(ds: Dataset) -> list[str]:
    """Which user file adds which values to which of the dataset's fields."""
    notes = []
    for f in ds.fields:
        by_file: dict[str, list[str]] = {}
        for c in f.choices:
            if c.added_by is not None:
                by_file.setdefault(c.added_by, []).append(c.value)
        notes += [
            f"{where}: adds to {ds.name}.{f.name} the values {', '.join(values)}"
            for where, values in by_file.items()
        ]
    return notes


def read_dataset(path: Path, origin: str = BUNDLED) -> Dataset:
    """Parse and validate one dataset file; a DataError names the file and position."""
    return build_dataset(parse_file(path), path, origin)


def merge(base: Dataset, added: Added, records: list[Record]) -> Dataset:
    """A bundled dataset with what a user's file adds: its choices after the bundled
    ones; its records, one with a bundled id replacing it where it stands, the others
    following."""
    by_id = {str(r[base.key]): r for r in records}
    merged = [by_id.pop(str(r[base.key]), r) for r in base.records]
    return base.with_records(merged + list(by_id.values()), extended(base.fields, added))
