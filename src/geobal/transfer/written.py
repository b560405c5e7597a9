"""Writing a SIPRI export read by transfer/sipri.py as a dataset of its own: the source
entry it cites, what an import may replace, and the one atomic write of both.

sipri.py reads SIPRI's shapes and knows nothing of the user's files; this module is
where an import of the register, the per-year export or a volume table becomes a
user dataset, through geobal.store like every other write.
"""

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

from geobal.analysis.register import CREDIT
from geobal.catalog import Catalog, Own
from geobal.codecs.escape import one_line
from geobal.edit import put
from geobal.errors import DataError, GeobalError, UsageError
from geobal.model import Dataset, Problem, Record, column
from geobal.schema import SOURCES, USER, RecordCheck, build_dataset, slug, stamp
from geobal.shapes import shape_of
from geobal.store import Existing, Say, atomic_writes, locked, replacing
from geobal.transfer.base import QUIET, Imported, Progress, Request
from geobal.transfer.sipri import (
    MOST_REJECTED,
    SOURCES_URL,
    Export,
    Shape,
    read_register,
    read_volumes,
)
from geobal.userfile import hold

# the command that makes a dataset of each shape, as messages name it
MADE_BY = {
    "register": "import --as sipri",
    "per-year": "import --as sipri",
    "volumes": "import --as sipri-tiv",
    "export-volumes": "import --as sipri-tiv",
}


def _current(catalog: Catalog, name: str, path: Path) -> Dataset | None:
    """The dataset an import into `name` would replace, read as it is now; None if there
    is none. A file that cannot be read is not replaced."""
    if not os.path.lexists(path):
        return None
    try:
        return catalog.fresh(name)
    except GeobalError as err:
        raise DataError(
            f"{one_line(path)}: cannot tell what it holds ({err.message}); nothing was written",
            "fix or move that file, or import --into another name",
        ) from None


def _made(ds: Dataset, path: Path, prefix: str, made_by: str, kind: str) -> Existing:
    """A dataset an import of `kind` made, as a replacing import sees it: the records
    citing no source of `prefix` ("sipri-register-") are strays, its records changed
    since the import are said."""
    # two fields read, of 28,000 records, unpacking no more
    ids, cited = column(ds.records, ds.key), column(ds.records, SOURCES)
    strays = [
        str(rid)
        for rid, sources in zip(ids, cited, strict=True)
        if not (isinstance(sources, list) and len(sources) == 1)
        or not str(sources[0]).startswith(prefix)
    ]
    exports = sorted({str(c[0]) for c in cited if isinstance(c, list) and c})
    exports = [e for e in exports if e.startswith(prefix)]
    what = kind + (f" from {', '.join(exports)}" if exports else "")
    changed = str(path) if _changed_since_import(path) else ""
    return Existing(len(ds.records), made_by, what, strays, changed)


def _existing(catalog: Catalog, name: str, path: Path) -> tuple[Existing | None, Shape | None]:
    """The dataset an import into `name` would replace (None if there is none), and the
    shape of export it was imported from."""
    ds = _current(catalog, name, path)
    if ds is None:
        return None, None
    shape = shape_of(ds)
    if shape is None:
        return Existing(len(ds.records), None, "a dataset of yours"), None
    made = _made(ds, path, f"sipri-{shape.tag}-", MADE_BY[shape.tag], f"the {shape.kind}")
    return made, shape


def _downgraded(name: str, before: Shape | None, after: Shape) -> tuple[str, ...]:
    """What a user who replaces a per-year export with a legacy register must know: the
    import is what they asked for, but its yearly figures are estimates where those it
    replaced were exact."""
    if before is None or (before.tag, after.tag) != ("per-year", "register"):
        return ()
    return (
        f"{name} held the per-year export, whose yearly figures are exact; the legacy "
        "register's are estimates (each deal's TIV spread evenly over its delivery years)",
        "to keep both: import the per-year export again, and the legacy register with "
        "--into NAME, a dataset of its own",
    )


_RECORDS = "[[records]]\n"  # where the records an import writes begin


def _records_text(
    ds: Dataset, checking: Iterable[Record], records: list[Record], source: str, where: str
) -> str:
    """The TOML of an import's `records`, each citing `source`, once every one (as
    `checking` goes over them, showing progress) fits `ds`; a DataError listing those
    that do not."""
    from geobal.codecs.tomldoc import toml_array

    problems: list[Problem] = []
    check = RecordCheck(ds.fields, ds.key)
    for record in checking:
        record[SOURCES] = [source]
        problems += check(record, where, str(record[ds.key]))[1]
    if problems:
        raise DataError(
            f"{where}: {len(problems)} records do not fit the dataset",
            None,
            problems,
            [str(p) for p in problems[:20]],
        )
    columns = [f for f in ds.fields if not f.derived]
    return "".join(toml_array("records", columns, records))


def _checksum(records: str) -> str:
    import zlib

    return f"crc32:{zlib.crc32(records.encode()):08x}"


def _changed_since_import(path: Path) -> bool:
    """Whether the records of the file an import wrote were changed since: their text no
    longer has the checksum the import wrote beside them. A file from before imports
    kept one (or one its checksum cannot be read from) is taken as unchanged."""
    from geobal.files import decode, parse_toml, read_bytes

    text = decode(read_bytes(path), str(path))
    at = text.find(_RECORDS)
    head = text[:at] if at >= 0 else text
    try:
        written = parse_toml(head, str(path)).get("dataset", {}).get("imported")
    except (DataError, AttributeError):
        return True  # the head itself was changed
    return isinstance(written, str) and written != _checksum(text[at:] if at >= 0 else "")


def import_export(
    catalog: Catalog,
    name: str,
    export: Export,
    where: str,
    today: dt.date | None = None,
    progress: Progress = QUIET,
    force: bool = False,
    say: Say | None = None,
    allow_smaller: bool = False,
    also: Sequence[tuple[Path, str | bytes]] = (),
) -> tuple[Path, str, tuple[str, ...]]:
    """Write a SIPRI export as dataset `name`, replacing it whole: importing the same
    export twice gives the same dataset, not twice the records. Only a dataset that an
    import of the same kind made is replaced, and not by an empty export or one much
    smaller (see store.replacing). The dataset cites a source entry for the export,
    added to your sources; the two, and the files in `also`, are written all or none.
    The file written, that source's id, and what the import replaced, said in lines."""
    from geobal.codecs.tomldoc import toml_dumps

    shape = export.shape
    path = register_path(catalog, name)
    kind = f"{shape.kind} of {export.scope} only" if export.scope else shape.kind
    scoped = f"{slug(export.scope)}-" if export.scope else ""
    source_id = f"sipri-{shape.tag}-{scoped}{export.generated or 'undated'}"
    covered = f", covering {export.covers[0]}-{export.covers[1]}" if export.covers else ""
    source: Record = {
        "id": source_id,
        "title": f"SIPRI Arms Transfers Database: {kind}",
        "publisher": "SIPRI",
        "url": SOURCES_URL,
        "quality": "primary",
        "tag": f"imported by geobal from {Path(where).name}",
        "about": f"The {kind} as exported"
        + (f" on {export.generated}" if export.generated else "")
        + f"{covered}. {CREDIT}.",
    }
    if export.generated:
        source["date"] = export.generated
    if export.url:
        source["note"] = f"Methods: {export.url}"
    meta: dict[str, object] = {
        "name": name,
        "title": f"SIPRI {kind}" + (f" ({export.generated})" if export.generated else ""),
        "description": f"Imported from {Path(where).name}. {CREDIT}: source: SIPRI Arms "
        "Transfers Database (c) SIPRI.",
        "key": "id",
        "updated": today or dt.date.today(),
    }
    if export.generated:  # SIPRI's data run to the day they were exported
        meta["as_of"] = dt.date.fromisoformat(export.generated)
    if export.covers:
        meta["covers"] = list(export.covers)
    if export.scope:
        meta["scope"] = export.scope
    head: dict[str, object] = {"dataset": meta, "fields": shape.fields}
    ds = build_dataset(head, path, USER)
    records = _records_text(ds, progress.rows(export.records), export.records, source_id, where)
    meta["imported"] = _checksum(records)  # so that a later import sees any change made
    text = toml_dumps(head) + "\n" + records
    path.parent.mkdir(parents=True, exist_ok=True)
    # the export, its source entry and the files in `also`: all written, or none
    with (
        progress.phase(f"writing {len(export.records)} records"),
        hold(catalog, SOURCES) as cited,
        locked(path),
    ):
        existing, before = _existing(catalog, name, path)
        replaced = replacing(
            name, where, MADE_BY[shape.tag], len(export.records), existing, allow_smaller
        )
        put(cited, [source], replace=True)
        written = atomic_writes([cited.staged(), (path, text), *also], force, say)
        cited.kept(written[0])
        # Keep the records in hand in the parse cache: reading 28,000 records back from
        # TOML would make the first query after an import take seconds.
        stamp(export.records, path, USER)
        catalog.keep(path, Own(ds.with_records(export.records), export.records, None), written[1])
    said = (replaced, *_downgraded(name, before, shape)) if replaced else ()
    return path, source_id, said


def imported(
    export: Export,
    catalog: Catalog,
    request: Request,
    progress: Progress,
    also: Sequence[tuple[Path, str | bytes]] = (),
) -> Imported:
    """Import an export read already (from a file or SIPRI's backend), and say what was
    read, rejected and written; the files in `also` are written with it, or none."""
    shape = export.shape
    rejected = len(export.rejected)
    listed = [f"  line {'-'.join(map(str, r.lines))}: {r.reason}" for r in export.rejected]
    if rejected > MOST_REJECTED * max(export.read, 1) and not request.force:
        raise DataError(
            f"{request.where}: {rejected} of {export.read} data {shape.unit} could not be "
            f"read (more than {MOST_REJECTED:.0%}); nothing was written",
            "is this the export as SIPRI gave it? --force imports the lines that read",
            details=[line.strip() for line in listed[:20]]
            + ([f"and {rejected - 20} more"] if rejected > 20 else []),
        )
    name = request.into or default_name(export)
    path, source, said = import_export(
        catalog,
        name,
        export,
        request.where,
        None,
        progress,
        request.force,
        request.say,
        request.allow_smaller,
        also,
    )
    joined = (
        f" ({export.joined} lines joined to the record above: records broken across two lines)"
        if export.joined
        else ""
    )
    covered = f", covering {export.covers[0]}-{export.covers[1]}" if export.covers else ""
    lines = [
        f"read the {shape.kind}{covered}: {export.read} data {shape.unit} of {request.where}: "
        f"imported {len(export.records)} records{joined}, rejected {rejected}",
        "; ".join(
            [*([f"data generated {export.generated}"] if export.generated else []), *export.said]
        ),
        *listed,
        *said,
        f"wrote {one_line(path)}, citing {source}",
    ]
    return Imported(lines)


def default_name(export: Export) -> str:
    """The dataset an export goes into unless --into says otherwise: its shape's (where
    the commands look by default), but an export of one partner's transfers goes beside
    the world's ("tiv-imports-from-china", "transfers-from-china"), never in its place."""
    if export.scope:
        scoped = slug(export.scope)
        default = export.shape.default
        return scoped if scoped.startswith(f"{default}-") else f"{default}-{scoped}"
    return export.shape.default


def import_register(catalog: Catalog, request: Request, progress: Progress) -> Imported:
    """--as sipri: a trade register in either shape, into `transfers` unless --into says
    otherwise."""
    return imported(_read(read_register, request), catalog, request, progress)


def import_volumes(catalog: Catalog, request: Request, progress: Progress) -> Imported:
    """--as sipri-tiv: a volume table, unless --into says otherwise the import-volume
    table into `tiv`, the export-volume table into `tiv-exports`, a table of one partner's
    transfers beside them (default_name)."""
    return imported(_read(read_volumes, request), catalog, request, progress)


def _read(reader: Callable[[bytes, str], Export], request: Request) -> Export:
    """The export `reader` reads from the request's file, or from the export a saved
    reply of SIPRI's backend carries (as `geobal fetch` would have read it), saying so."""
    from geobal.transfer.fetch import REPLY_SAID, unwrapped

    inner = unwrapped(request.data, request.where)
    if inner is None:
        return reader(request.data, request.where)
    export = reader(inner, request.where)
    return export._replace(said=(REPLY_SAID, *export.said))


def register_path(catalog: Catalog, name: str) -> Path:
    """Where a SIPRI export imported as dataset `name` is written: refused for a name
    that is no dataset name, and for a bundled dataset's (which the import would hide)."""
    path = catalog.user_path(name)
    if catalog.bundled_path(name) is not None:
        raise UsageError(f"{name!r} is a bundled dataset; import the export --into another name")
    return path


def fetch_register(
    catalog: Catalog,
    address: str,
    first: int,
    last: int,
    into: str,
    *,
    cache: Path | None,
    refresh: bool = False,
    timeout: float,
    force: bool = False,
    allow_smaller: bool = False,
    say: Say | None = None,
    busy: Callable[[str], AbstractContextManager[object]],
    progress: Progress = QUIET,
) -> Imported:
    """Ask the backend at `address` for the per-year export of deliveries in
    first-last (or take the reply kept in `cache` unless `refresh`), and import it as
    `into`, replacing it as `import --as sipri` does; the export is kept beside the
    dataset as a CSV file, and the reply in the cache, written with the import or none
    of them. `busy` shows that the backend is being waited for."""
    from geobal.files import read_bytes
    from geobal.transfer import fetch as backend
    from geobal.transfer.sipri import decode, is_export

    request = backend.body(first, last)
    kept = None if refresh else backend.cached(cache, address, request)
    if kept is not None:
        reply, raw = kept, b""
        notes = [f"using the reply fetched {kept.fetched} (--refresh asks again)"]
    else:
        with busy(f"asking {address} for deliveries in {first}-{last}"):
            # WAITS looked up now, not bound at import: tests shorten them
            raw, fetched = backend.ask(address, request, timeout, backend.WAITS)
        reply = backend.Reply(backend.decode(raw, address), fetched, False)
        notes = [f"fetched {address} at {fetched}"]
    where = f"SIPRI's export of deliveries in {first}-{last}"
    export = read_register(reply.csv, where)
    # the export kept beside the dataset, and the reply in the cache: written with the
    # import, all or none
    csv = catalog.user_path(into).with_suffix(".csv")
    if csv.is_file() and not is_export(read_bytes(csv)):  # a file of the user's, not ours
        raise DataError(
            f"{one_line(csv)} is a file of yours, not an export geobal kept: it is not replaced; "
            "nothing was written",
            "move it away, or fetch --into another name (the export is kept as NAME.csv)",
        )
    also: list[tuple[Path, str | bytes]] = [(csv, decode(reply.csv))]
    if raw and (entry := backend.kept(cache, address, request, raw, reply.fetched)):
        also.append(entry)
    given = Request(
        reply.csv, where, where, into, force=force, say=say, allow_smaller=allow_smaller
    )
    done = imported(export, catalog, given, progress, also)
    return Imported([*notes, *done.lines, f"kept the export as {one_line(csv)}"])


MILEX_MADE_BY = "import --as sipri-milex"
MILEX_URL = "https://www.sipri.org/databases/milex"


def _existing_milex(catalog: Catalog, name: str, path: Path, kind: str) -> Existing | None:
    """The dataset an import of military spending into `name` would replace (None if
    there is none): one the import made (its `kind`, "milex" or "milex-notes") is
    replaced, whole; any other is not."""
    from geobal.shapes import milex_kind

    ds = _current(catalog, name, path)
    if ds is None:
        return None
    if milex_kind(ds) != kind:
        return Existing(len(ds.records), None, "a dataset of yours")
    return _made(ds, path, "sipri-milex-", MILEX_MADE_BY, "SIPRI's military expenditure")


def import_milex(catalog: Catalog, request: Request, progress: Progress) -> Imported:
    """--as sipri-milex: SIPRI's military expenditure workbook into `milex` (unless
    --into says otherwise) and its notes into `milex-notes` (NAME-notes), with a source
    entry both cite: the three written all or none. Only datasets an import of the
    workbook made are replaced."""
    from geobal.codecs.tomldoc import toml_dumps
    from geobal.shapes import MILEX_CREDIT, MILEX_NOTES_FIELDS, milex_fields
    from geobal.transfer.milex import read_milex

    where = request.where
    with progress.phase("reading the workbook"):
        milex = read_milex(request.data, where)
    name = request.into or "milex"
    notes_name = f"{name}-notes"
    path, notes_path = register_path(catalog, name), register_path(catalog, notes_name)
    first, last = milex.covers
    # an import --into a name of its own cites a source entry of its own: two workbooks
    # saved on one day, imported side by side, would otherwise share one entry, which
    # the later import rewrites to describe itself
    named = "" if name == "milex" else f"{slug(name)}-"
    source_id = f"sipri-milex-{named}{milex.saved or 'undated'}"
    source: Record = {
        "id": source_id,
        "title": f"{MILEX_CREDIT}, {first}-{last}",
        "publisher": "SIPRI",
        "url": MILEX_URL,
        "quality": "primary",
        "tag": f"imported by geobal from {Path(where).name}",
        "about": f"SIPRI's military expenditure workbook, {first}-{last}, in constant "
        f"({milex.base_year}) US$, current US$, local currency, shares of GDP and of "
        "government spending, and per capita"
        + (f"; the workbook was saved on {milex.saved}" if milex.saved else "")
        + f". Credit: {MILEX_CREDIT}.",
    }
    if milex.saved:
        source["date"] = milex.saved
    today = dt.date.today()
    texts: list[str] = []
    kept: list[tuple[Path, Dataset, list[Record]]] = []
    for ds_name, ds_path, fields, records, title in (
        (
            name,
            path,
            milex_fields(milex.base_year, notes_name),
            milex.records,
            f"SIPRI military expenditure, {first}-{last} (constant {milex.base_year} US$)",
        ),
        (
            notes_name,
            notes_path,
            MILEX_NOTES_FIELDS,
            milex.notes,
            "SIPRI military expenditure: notes",
        ),
    ):
        meta: dict[str, object] = {
            "name": ds_name,
            "title": title,
            "description": f"Imported from {Path(where).name}. Source: {MILEX_CREDIT} (c) SIPRI.",
            "key": "id",
            "updated": today,
            "covers": [first, last],
        }
        if milex.saved:
            meta["as_of"] = dt.date.fromisoformat(milex.saved)
        head: dict[str, object] = {"dataset": meta, "fields": fields}
        ds = build_dataset(head, ds_path, USER)
        shown = progress.rows(records) if ds_name == name else records
        body = _records_text(ds, shown, records, source_id, where)
        meta["imported"] = _checksum(body)
        texts.append(toml_dumps(head) + "\n" + body)
        kept.append((ds_path, ds, records))
    path.parent.mkdir(parents=True, exist_ok=True)
    said: list[str] = []
    with (
        progress.phase(f"writing {len(milex.records)} records"),
        hold(catalog, SOURCES) as cited,
        locked(path),
        locked(notes_path),
    ):
        for ds_name, ds_path, kind, count in (
            (name, path, "milex", len(milex.records)),
            (notes_name, notes_path, "milex-notes", len(milex.notes)),
        ):
            existing = _existing_milex(catalog, ds_name, ds_path, kind)
            if line := replacing(
                ds_name, where, MILEX_MADE_BY, count, existing, request.allow_smaller
            ):
                said.append(line)
        put(cited, [source], replace=True)
        written = atomic_writes(
            [cited.staged(), (path, texts[0]), (notes_path, texts[1])], request.force, request.say
        )
        cited.kept(written[0])
        for (ds_path, ds, records), token in zip(kept, written[1:], strict=True):
            stamp(records, ds_path, USER)
            catalog.keep(ds_path, Own(ds.with_records(records), records, None), token)
    marked = sum(
        1
        for r in milex.records
        for k, v in r.items()
        if v is True and k.endswith(("_estimate", "_uncertain"))
    )
    return Imported(
        [
            f"read SIPRI's military expenditure workbook, {first}-{last} (constant "
            f"{milex.base_year} US$"
            + (f", saved {milex.saved}" if milex.saved else "")
            + f"): {milex.countries} countries, {len(milex.records)} records "
            f"({marked} figures marked estimate or uncertain), {len(milex.notes)} notes",
            *milex.said,
            *said,
            f"wrote {one_line(path)} and {one_line(notes_path)}, citing {source_id}",
            f"Source: {MILEX_CREDIT}",
        ]
    )
