"""Finding, reading and cross-checking datasets: one TOML file per dataset, named after it.

A dataset is read only when a command asks for it, so `geobal deals` parses deals.toml
and nothing else. Checks that span files (source ids, `ref` fields) run when asked for:
`show` resolves the sources it prints, and the tests check every bundled record.
"""

import re
import tomllib
from pathlib import Path

from geobal.errors import DataError, GeobalError, UsageError
from geobal.model import Dataset, Problem, Record, SourceIndex
from geobal.schema import DATASET_NAME_RE, SOURCES, build_dataset, cited

_TOML_POSITION = r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$"


class Catalog:
    """The datasets in a data folder, each loaded and validated on first use."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._loaded: dict[str, Dataset] = {}

    def names(self) -> list[str]:
        return sorted(p.stem for p in self.data_dir.glob("*.toml"))

    def get(self, name: str) -> Dataset:
        if name not in self._loaded:
            path = self.data_dir / f"{name}.toml"
            if not DATASET_NAME_RE.match(name) or not path.is_file():
                raise unknown_name("dataset", name, self.names())
            self._loaded[name] = read_dataset(path)
        return self._loaded[name]

    def all(self) -> list[Dataset]:
        return [self.get(name) for name in self.names()]

    def sources_of(self, record: Record) -> list[Record]:
        """The source entries a record cites, in the order it cites them."""
        sources = self.get(SOURCES).by_id
        ids = cited(record)
        missing = [s for s in ids if s not in sources]
        if missing:
            raise DataError(
                f"source id {missing[0]!r} is not in {self.data_dir / 'sources.toml'}",
                "add the source there, or correct the id in the record's sources",
            )
        return [sources[s] for s in ids]

    def source_index(self) -> SourceIndex:
        sources = self.get(SOURCES)
        return SourceIndex(sources.fields, sources.by_id)

    def check_references(self, dataset: Dataset) -> list[Problem]:
        """Every value of a `ref` field (sources included) that names no record."""
        problems = []
        for f in dataset.fields:
            if f.ref is None:
                continue
            target = self.get(f.ref).by_id
            for record in dataset.records:
                value = record.get(f.name)
                ids = value if isinstance(value, list) else [] if value is None else [value]
                for ref in ids:
                    if ref not in target:
                        problems.append(
                            Problem(
                                str(dataset.path),
                                f"{ref!r} is not an id in {f.ref}",
                                str(record[dataset.key]),
                                f.name,
                            )
                        )
        return problems


def read_dataset(path: Path) -> Dataset:
    """Parse and validate one dataset file; a DataError names the file and position."""
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
        raise DataError(
            f"{where}: invalid TOML: {message}",
            "fix the syntax at that position (see https://toml.io)",
        ) from None
    return build_dataset(doc, path)


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
