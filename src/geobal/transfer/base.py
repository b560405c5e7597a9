"""What every importer takes and gives: one protocol, so `geobal import` is one command
whatever is being read."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

from geobal.catalog import Catalog


class Progress(Protocol):
    """How an import shows its progress: a bar over the rows it checks, then a line for
    each phase after. A protocol, so that the command line's (a terminal's) needs
    nothing of this package."""

    def rows(self, items: Sequence[Any], what: str = "checking rows") -> Iterable[Any]: ...

    def phase(self, what: str) -> AbstractContextManager[object]: ...


class Quiet:
    """Progress that shows nothing."""

    def rows(self, items: Sequence[Any], what: str = "checking rows") -> Iterable[Any]:
        return items

    def phase(self, what: str) -> AbstractContextManager[object]:
        return nullcontext()


QUIET: Progress = Quiet()


class Request(NamedTuple):
    """What `geobal import` was asked to read, and how."""

    data: bytes
    name: str  # the file as given ("-" for standard input)
    where: str  # the file as messages name it
    into: str | None = None  # the dataset to write; None: the importer's own default
    mapping: Mapping[str, str] = MappingProxyType({})
    sources: tuple[str, ...] = ()
    replace: bool = False
    format: str | None = None  # for rows: a codec's name (codecs.readable); None: from the name
    force: bool = False  # write even where geobal would refuse (see import --force)
    say: Callable[[str], None] | None = None  # for notes along the way, such as a hard link
    allow_smaller: bool = False  # replace a dataset with one much smaller (--allow-smaller)
    delimiter: str | None = None  # CSV's separator as given (--delimiter); None: found out


class Imported(NamedTuple):
    """What an import did, a line each for people."""

    lines: list[str]


class Importer(Protocol):
    def __call__(self, catalog: Catalog, request: Request, progress: Progress) -> Imported: ...
