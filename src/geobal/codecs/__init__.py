"""The codecs: one registry (CODECS) of the formats geobal reads and writes, which
output (`--format`), `geobal import` and `geobal export` all take their formats from.

A codec names its module and its functions rather than holding them, so that a module
is imported only when its format is used: the `--json` path loads JSON's alone, and
csv and tomli-w stay unloaded. A codec may read rows (import), write rows as text
(output and export), write a whole dataset as text (export; else its rows writer
writes the dataset's records), or write datasets to a file whole, as binary formats
must (export -o). Escaping, which every codec and every message uses, is
codecs.escape. Nothing here knows of Typer or Rich.
"""

import importlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, cast

if TYPE_CHECKING:
    from typing import Protocol

    from geobal.catalog import Catalog
    from geobal.codecs.reading import Read
    from geobal.model import Dataset, SourceIndex
    from geobal.store import Say
    from geobal.views import Frame


# ReadOptions and WriteOptions are plain classes: a NamedTuple costs every run about
# 0.2 ms to define.
class ReadOptions:
    """How rows are read: what the user said of the file."""

    __slots__ = ("delimiter",)

    def __init__(self, delimiter: str | None = None) -> None:
        self.delimiter = delimiter  # CSV's separator (--delimiter); None: found out


class WriteOptions:
    """How rows are written."""

    __slots__ = ("sources", "spreadsheet", "tty")

    def __init__(
        self, sources: "SourceIndex | None" = None, tty: bool = False, spreadsheet: bool = False
    ) -> None:
        self.sources = sources  # cited sources written out in full (JSON, TOML)
        # to a terminal: control characters escaped where the format keeps them raw
        self.tty = tty
        self.spreadsheet = spreadsheet  # CSV for a spreadsheet: formulas made inert


PLAIN = WriteOptions()


# The functions a codec names, as type checkers see them (a Protocol costs a tenth of
# a millisecond to define, which every run would pay for what only mypy reads).
if TYPE_CHECKING:

    class Reader(Protocol):
        def __call__(self, text: str, where: str, options: ReadOptions) -> "Read": ...

    class RowsWriter(Protocol):
        def __call__(self, frame: "Frame", options: WriteOptions) -> Iterator[str]: ...

    class DatasetWriter(Protocol):
        def __call__(self, ds: "Dataset") -> Iterator[str]: ...

    class FileWriter(Protocol):
        """Datasets (those named, or all when none is) written to `output` whole or not at
        all, through geobal.store, never over a file geobal did not write unless `force`;
        gives lines for people saying what it wrote."""

        def __call__(
            self,
            catalog: "Catalog",
            names: Sequence[str],
            output: str | None,
            force: bool = False,
            say: "Say | None" = None,
        ) -> list[str]: ...


class Codec(NamedTuple):
    """A format: its name (as --format names it), its title (as messages name it), the
    extensions of its files, and the functions of `module` that read and write it
    (by name; "" where it does not)."""

    name: str
    title: str
    extensions: tuple[str, ...]
    module: str
    reader: str = ""  # a Reader: a file's text to rows (import)
    rows: str = ""  # a RowsWriter: rows to text (output, and export unless `dataset`)
    dataset: str = ""  # a DatasetWriter: a whole dataset to text (export)
    file: str = ""  # a FileWriter: datasets to a file, whole (export -o; binary formats)

    def read(self, text: str, where: str, options: ReadOptions = ReadOptions()) -> "Read":
        return cast("Reader", self._function(self.reader))(text, where, options)

    def write_rows(self, frame: "Frame", options: WriteOptions = PLAIN) -> Iterator[str]:
        return cast("RowsWriter", self._function(self.rows))(frame, options)

    def write_dataset(self, ds: "Dataset") -> Iterator[str]:
        """The dataset as text: the codec's own dataset writer, else its records' rows."""
        if self.dataset:
            return cast("DatasetWriter", self._function(self.dataset))(ds)
        return self.write_rows(records_frame(ds))

    def write_file(
        self,
        catalog: "Catalog",
        names: Sequence[str],
        output: str | None,
        force: bool = False,
        say: "Say | None" = None,
    ) -> list[str]:
        return cast("FileWriter", self._function(self.file))(catalog, names, output, force, say)

    @property
    def writes_text(self) -> bool:
        """Whether it writes a dataset as text (to standard output or a file)."""
        return bool(self.rows or self.dataset)

    def _function(self, name: str) -> object:
        if not name:
            raise LookupError(f"the {self.title} codec has no such function")
        return getattr(importlib.import_module(self.module), name)


# In the order help and messages list them.
CODECS: dict[str, Codec] = {
    c.name: c
    for c in (
        Codec("json", "JSON", ("json",), "geobal.codecs.jsontext", "read_json", "json_array"),
        Codec(
            "jsonl",
            "JSON Lines",
            ("jsonl", "ndjson"),
            "geobal.codecs.jsontext",
            "read_jsonl",
            "json_lines",
        ),
        Codec(
            "csv", "CSV", ("csv",), "geobal.codecs.delimited", "read_csv", "csv_rows", "csv_dataset"
        ),
        Codec(
            "tsv", "TSV", ("tsv",), "geobal.codecs.delimited", "read_tsv", "tsv_rows", "tsv_dataset"
        ),
        Codec(
            "toml",
            "TOML",
            ("toml",),
            "geobal.codecs.tomldoc",
            "read_toml",
            "toml_records",
            "toml_dataset",
        ),
        # binary, many datasets to a file at once (transfer.bridges writes them)
        Codec(
            "sqlite",
            "SQLite",
            ("db", "sqlite", "sqlite3"),
            "geobal.transfer.bridges",
            file="write_sqlite",
        ),
        Codec("parquet", "Parquet", ("parquet",), "geobal.transfer.bridges", file="write_parquet"),
    )
}


def readable() -> list[Codec]:
    """The codecs `geobal import` reads."""
    return [c for c in CODECS.values() if c.reader]


def writing_rows() -> list[Codec]:
    """The codecs output (`--format`) writes rows in."""
    return [c for c in CODECS.values() if c.rows]


def exportable() -> list[Codec]:
    """The codecs `geobal export` writes: as text, or to a file."""
    return [c for c in CODECS.values() if c.writes_text or c.file]


def by_extension(path: str, among: Iterable[Codec]) -> Codec | None:
    """The codec among `among` whose files end as `path` does; None if none."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return next((c for c in among if suffix in c.extensions), None) if suffix else None


def named(among: Sequence[Codec]) -> str:
    """Their names as a sentence lists them: "csv, json or toml"."""
    names = [c.name for c in among]
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else "".join(names)


def records_frame(ds: "Dataset") -> "Frame":
    """A dataset's records as rows, its derived fields left out (they are worked out
    again when it is read back)."""
    from geobal.views import Frame

    return Frame(ds.title, tuple(f for f in ds.fields if not f.derived), ds.records)
