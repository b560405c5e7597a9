"""What every importer takes and gives: one protocol, so `geobal import` is one command
whatever is being read."""

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

from geobal.catalog import Catalog

# Wraps the records an importer checks, to show progress (a bar on a terminal).
Progress = Callable[[Iterable[Any]], Iterable[Any]]


class Request(NamedTuple):
    """What `geobal import` was asked to read, and how."""

    data: bytes
    name: str  # the file as given ("-" for standard input)
    where: str  # the file as messages name it
    into: str | None = None  # the dataset to write; None: the importer's own default
    mapping: Mapping[str, str] = MappingProxyType({})
    sources: tuple[str, ...] = ()
    replace: bool = False
    format: str | None = None  # for rows: csv, json, jsonl or toml; None: from the name
    force: bool = False  # write what reads even where much of the file does not


class Imported(NamedTuple):
    """What an import did, a line each for people."""

    lines: list[str]


class Importer(Protocol):
    def __call__(self, catalog: Catalog, request: Request, progress: Progress) -> Imported: ...
