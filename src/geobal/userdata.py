"""The user's own datasets: scaffolding, adding, removing, importing, exporting and
validating them. No Typer here; the commands in geobal.commands.userdata call these.

Every change is made under the dataset file's lock, to its text (so the user's
comments survive), checked by reading the new text back as a dataset, and only then
written atomically (geobal.store). Nothing invalid is ever written.
"""

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from geobal.catalog import Catalog, merge, parse_file
from geobal.errors import DataError, GeobalError, NotFoundError, UsageError
from geobal.model import Dataset, Field, FieldType, Problem, Record
from geobal.schema import (
    NAME_RE,
    SOURCES,
    USER,
    ValueProblem,
    build_dataset,
    build_extension,
    coerce,
    parse_input,
    slug,
    stamp,
)
from geobal.store import atomic_write, locked, record_spans, with_block, without_record

Progress = Callable[[Iterable[Any]], Iterable[Any]]

FIELD_SPEC = "NAME:TYPE, NAME:choice=a,b,c or NAME:level=low,medium,high (! for required)"
TYPES = ", ".join(t.value for t in FieldType)


# --- new ------------------------------------------------------------------------------


def parse_field_spec(spec: str) -> tuple[str, dict[str, object]]:
    """`sector:choice=air,naval` -> ("sector", {"type": "choice", "choices": [...]})."""
    m = re.fullmatch(r"\s*([^:=\s]+)\s*:\s*([a-z]+)(!?)\s*(?:=(.*))?", spec)
    if m is None:
        raise UsageError(f"malformed --field {spec!r}", f"expected {FIELD_SPEC}")
    name, ftype, required, values = m.groups()
    if not NAME_RE.match(name):
        raise UsageError(
            f"--field {spec!r}: field names are lower-case letters, digits and "
            "_, starting with a letter"
        )
    if ftype not in {t.value for t in FieldType}:
        raise UsageError(f"--field {spec!r}: unknown type {ftype!r}", f"types: {TYPES}")
    closed = ftype in (FieldType.CHOICE, FieldType.LEVEL)
    table: dict[str, object] = {"type": ftype}
    if required:
        table["required"] = True
    if closed != (values is not None):
        raise UsageError(
            f"--field {spec!r}: "
            + ("list its values after =" if closed else f"{ftype} fields take no values")
        )
    if values is not None:
        codes = [v.strip() for v in values.split(",") if v.strip()]
        table["choices"] = [{"value": v, "label": v} for v in codes]
    return name, table


def scaffold(
    catalog: Catalog,
    name: str,
    specs: Sequence[str],
    title: str | None,
    today: dt.date | None = None,
) -> Path:
    """Write a new user dataset file with its schema and no records."""
    path = catalog.user_path(name)
    if catalog.bundled_path(name) is not None:
        raise UsageError(
            f"{name!r} is a bundled dataset",
            f"add records to it with: geobal add {name} --set field=value ...",
        )
    if path.exists():
        raise UsageError(f"{path} exists already", "choose another name, or edit that file")
    fields: dict[str, object] = {"id": {"type": "text", "title": "ID"}}
    for spec in specs:
        field, table = parse_field_spec(spec)
        if field in fields or field in (SOURCES, "origin", "file"):
            raise UsageError(f"--field {spec!r}: {field!r} is already a field")
        fields[field] = table
    doc = {
        "dataset": {
            "name": name,
            "title": title or name,
            "key": "id",
            "updated": today or dt.date.today(),
        },
        "fields": fields,
    }
    build_dataset(doc, path, USER)  # the same checks as reading it back
    import tomli_w

    text = (
        f"# geobal dataset {name!r}, made by `geobal new`. Add records with\n"
        f"# `geobal add {name} --set field=value ... --set sources=ID`: every record\n"
        "# cites the ids of its sources (see `geobal sources`).\n\n" + tomli_w.dumps(doc)
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        if path.exists():
            raise UsageError(f"{path} exists already")
        atomic_write(path, text)
    return path


# --- typed values from text ---------------------------------------------------------------


def from_text(field: Field, text: str) -> object:
    """A value typed from command-line or CSV text: lists split on ';'."""
    if field.type is FieldType.LIST:
        return [parse_input(field.item(), item.strip()) for item in text.split(";") if item.strip()]
    return parse_input(field, text)


def parse_assignments(ds: Dataset, sets: Sequence[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for item in sets:
        name, eq, text = item.partition("=")
        name = name.strip()
        if not eq:
            raise UsageError(f"malformed --set {item!r}", "expected FIELD=VALUE")
        field = ds.field_map.get(name)
        if field is None or field.derived:
            writable = [f.name for f in ds.fields if not f.derived]
            raise UsageError(
                f"unknown field {name!r} in {ds.name}", f"available: {', '.join(writable)}"
            )
        values[name] = text
    return values


def derive_id(
    ds: Dataset, record: Mapping[str, object], taken: set[str], how: str = "--set id=ID"
) -> str:
    """An id from the first text field with a value: "Rafale M deal" -> "rafale-m-deal"."""
    for f in ds.fields:
        value = record.get(f.name)
        if f.type is FieldType.TEXT and f.name != ds.key and isinstance(value, str):
            base = slug(value)[:60].strip("-")
            if base:
                rid, n = base, 2
                while rid in taken:
                    rid, n = f"{base}-{n}", n + 1
                return rid
    raise UsageError(f"no text to derive an id from; give one with {how}")


# --- writing records ------------------------------------------------------------------------


class Written(NamedTuple):
    path: Path
    added: list[str]
    replaced: list[str]


def _block(fields: Sequence[Field], record: Record) -> str:
    from geobal.render.text import toml_dumps, toml_table

    return "[[records]]\n" + toml_dumps(toml_table(fields, record))


def _new_file_text(ds: Dataset) -> str:
    return (
        f"# Your records for geobal's bundled dataset {ds.name!r}; a record with a\n"
        "# bundled id replaces the bundled record.\n\n"
        f'[dataset]\nname = "{ds.name}"\n'
    )


def write_records(
    catalog: Catalog, name: str, records: Sequence[Record], replace: bool = False
) -> Written:
    """Add records (already typed) to the user's file for dataset `name`, all or none:
    each is checked against the schema, ids against the dataset, sources against the
    sources dataset, and the whole file read back before it is written."""
    ds = catalog.get(name)
    path = catalog.user_path(name)
    writable = [f for f in ds.fields if not f.derived]
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        text = path.read_text(encoding="utf-8") if path.is_file() else _new_file_text(ds)
        mine = record_spans(text, ds.key)
        current = {str(r[ds.key]) for r in _reload(catalog, name, path, text).records}
        added: list[str] = []
        replaced: list[str] = []
        for record in records:
            rid = str(record[ds.key])
            if rid in current and not replace:
                where = "your file" if rid in mine else "the bundled data"
                raise UsageError(
                    f"{ds.name} has a record {rid!r} already (in {where})",
                    "pass --replace to replace it, or choose another id",
                )
            if rid in mine:
                text = without_record(text, ds.key, rid)
                mine = record_spans(text, ds.key)
            (replaced if rid in current else added).append(rid)
            current.add(rid)
            text = with_block(text, _block(writable, record))
        updated = _reload(catalog, name, path, text)
        _check_sources(catalog, updated, {str(r[ds.key]) for r in records})
        atomic_write(path, text)
    catalog.forget(name)
    return Written(path, added, replaced)


def _reload(catalog: Catalog, name: str, path: Path, text: str) -> Dataset:
    """The dataset as it would be with the user's file holding `text`."""
    import tomllib

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise DataError(
            f"{path}: the file would not be valid TOML ({err}); nothing was written"
        ) from None
    bundled = catalog.bundled_path(name)
    if bundled is None:
        return build_dataset(doc, path, USER)
    from geobal.catalog import read_dataset

    base = read_dataset(bundled)
    return merge(base, build_extension(doc, path, base))


def _check_sources(catalog: Catalog, ds: Dataset, ids: set[str]) -> None:
    """The new records' source ids and `ref` values must name records that exist."""
    problems = [p for p in catalog.check_references(ds) if p.record in ids]
    if problems:
        raise DataError(
            str(problems[0]),
            "add that source first (geobal add sources ...), or correct the id",
            problems,
        )


def check(
    ds: Dataset, record: Mapping[str, object], where: str, label: str, row: int | None = None
) -> list[Problem]:
    """What is wrong with a typed record, field by field, before any file is touched."""
    problems = []
    for f in ds.fields:
        if f.derived:
            continue
        if f.name in record:
            try:
                coerce(f, record[f.name])
            except ValueProblem as err:
                problems.append(Problem(where, str(err), label, f.name, row=row))
        elif f.required or f.name == ds.key:
            problems.append(Problem(where, "missing required field", label, f.name, row=row))
    return problems


def _typed(record: Mapping[str, object]) -> Record:
    """A record whose values `check` accepted."""
    return dict(record)  # type: ignore[arg-type]


def add(catalog: Catalog, name: str, sets: Sequence[str], replace: bool = False) -> Written:
    ds = catalog.get(name)
    record: dict[str, object] = {}
    for field_name, text in parse_assignments(ds, sets).items():
        record[field_name] = from_text(ds.field_map[field_name], text)
    if ds.key not in record:
        taken = set() if replace else {str(r[ds.key]) for r in ds.records}
        record[ds.key] = derive_id(ds, record, taken)
    problems = check(ds, record, "--set", str(record[ds.key]))
    if problems:
        raise UsageError(
            str(problems[0]).removeprefix("--set: "), f"set it with --set {problems[0].field}=VALUE"
        )
    return write_records(catalog, name, [_typed(record)], replace)


def remove(catalog: Catalog, name: str, rid: str) -> tuple[Path, bool]:
    """Remove the user's record `rid`; True when a bundled record of that id shows again."""
    ds = catalog.get(name)
    path = catalog.user_path(name)
    bundled = catalog.bundled_path(name)
    base_ids: set[str] = set()
    if bundled is not None:
        from geobal.catalog import read_dataset

        base_ids = {str(r[ds.key]) for r in read_dataset(bundled).records}
    if not path.is_file():
        mine: dict[str, tuple[int, int]] = {}
    else:
        mine = record_spans(path.read_text(encoding="utf-8"), ds.key)
    if rid not in mine:
        if rid in base_ids:
            raise DataError(
                f"{ds.name} record {rid!r} is bundled with geobal and cannot be removed",
                f"to hide it, override it: geobal add {ds.name} --set {ds.key}={rid} ... --replace",
            )
        raise NotFoundError(
            f"no record {rid!r} in your {ds.name} file ({path})",
            f"list your records with: geobal query {ds.name} --where origin=user --fields id",
        )
    with locked(path):
        text = without_record(path.read_text(encoding="utf-8"), ds.key, rid)
        _reload(catalog, name, path, text)
        atomic_write(path, text)
    catalog.forget(name)
    return path, rid in base_ids


# --- import -------------------------------------------------------------------------------


def read_rows(text: str, fmt: str, where: str) -> list[dict[str, object]]:
    """Rows from CSV (a header, then values as text), JSON (an array of objects), JSON
    Lines, or a TOML dataset file's [[records]]."""
    import json

    try:
        if fmt == "csv":
            import csv
            import io

            return list(csv.DictReader(io.StringIO(text)))
        if fmt == "json":
            data = json.loads(text)
            if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
                raise DataError(f"{where}: expected a JSON array of objects")
            return data
        if fmt == "jsonl":
            rows = []
            for n, line in enumerate(text.splitlines(), 1):
                if line.strip():
                    row = json.loads(line)
                    if not isinstance(row, dict):
                        raise DataError(f"{where}:{n}: expected a JSON object on each line")
                    rows.append(row)
            return rows
        import tomllib

        records = tomllib.loads(text).get("records", [])
        return [dict(r) for r in records if isinstance(r, dict)]
    except json.JSONDecodeError as err:
        raise DataError(f"{where}:{err.lineno}:{err.colno}: invalid JSON: {err.msg}") from None
    except ValueError as err:  # tomllib.TOMLDecodeError and csv errors
        raise DataError(f"{where}: cannot read as {fmt}: {err}") from None


def format_of(path: str, given: str | None) -> str:
    if given:
        return given
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in ("csv", "json", "jsonl", "toml"):
        return suffix
    if suffix == "ndjson":
        return "jsonl"
    raise UsageError(
        f"cannot tell the format of {path!r}", "pass --format csv, json, jsonl or toml"
    )


class Report(NamedTuple):
    read: int
    written: Written


def import_rows(
    catalog: Catalog,
    name: str,
    rows: Sequence[Mapping[str, object]],
    where: str,
    mapping: Mapping[str, str] | None = None,
    sources: Sequence[str] = (),
    replace: bool = False,
    progress: Progress = iter,
) -> Report:
    """Validate every row, then write them all, or, if any row fails, nothing: the
    DataError lists every failing row and field."""
    ds = catalog.get(name)
    mapping = dict(mapping or {})
    writable = {f.name: f for f in ds.fields if not f.derived}
    derived = {f.name for f in ds.fields if f.derived}
    for column, target in mapping.items():
        if target not in writable:
            raise UsageError(
                f"--map {column}={target}: {target!r} is not a field of {ds.name}",
                f"available: {', '.join(writable)}",
            )
    problems: list[Problem] = []
    records: list[Record] = []
    taken = {str(r[ds.key]) for r in ds.records}
    seen: set[str] = set()
    unknown: set[str] = set()
    for n, row in enumerate(progress(rows), 1):
        record: dict[str, object] = {}
        for column, value in row.items():
            target = mapping.get(column, column)
            if target in derived:
                continue  # origin and file, as geobal's own exports carry them
            field = writable.get(target)
            if field is None and column in unknown:
                continue  # said once, at the first row that has it
            if field is None:
                unknown.add(column)
                problems.append(
                    Problem(
                        where,
                        "unknown column; map it with --map "
                        f"{column}=FIELD (fields: {', '.join(writable)})",
                        field=column,
                        row=n,
                    )
                )
                continue
            if value is None or value == "":
                continue
            try:
                text_typed = isinstance(value, str) and field.type is not FieldType.TEXT
                record[target] = from_text(field, value) if text_typed else value
            except UsageError as err:
                message = f"{err.message} ({err.hint})" if err.hint else err.message
                problems.append(Problem(where, message, field=target, row=n))
        if sources and SOURCES in writable and SOURCES not in record:
            record[SOURCES] = list(sources)
        if ds.key not in record:
            try:
                # with --replace, a row's derived id may name the record it replaces
                record[ds.key] = derive_id(
                    ds,
                    record,
                    seen if replace else taken | seen,
                    f"an {ds.key} column, or a text field",
                )
            except UsageError as err:
                problems.append(Problem(where, err.message, field=ds.key, row=n))
                continue
        rid = str(record[ds.key])
        if rid in seen:
            problems.append(Problem(where, "the same id as an earlier row", rid, ds.key, row=n))
        elif rid in taken and not replace:
            problems.append(
                Problem(
                    where,
                    f"{ds.name} has this id already; pass --replace to replace it",
                    rid,
                    ds.key,
                    row=n,
                )
            )
        seen.add(rid)
        problems += check(ds, record, where, rid, row=n)
        records.append(_typed(record))
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        raise DataError(
            f"{where}: {count}; nothing was imported",
            "fix the rows (or map their columns with --map) and import again",
            problems,
            [str(p) for p in problems],
        )
    return Report(len(rows), write_records(catalog, name, records, replace))


# --- export --------------------------------------------------------------------------------


def export_toml(ds: Dataset) -> Iterator[str]:
    """The dataset as a file geobal reads back: its schema, then its records."""
    import tomli_w

    from geobal.render.text import toml_array

    meta: dict[str, object] = {"name": ds.name, "title": ds.title, "key": ds.key}
    if ds.description:
        meta["description"] = ds.description
    if ds.sort:
        meta["sort"] = [("-" if k.descending else "") + k.field.name for k in ds.sort]
    if ds.columns:
        meta["columns"] = list(ds.columns)
    if ds.updated:
        meta["updated"] = ds.updated if len(ds.updated) < 10 else dt.date.fromisoformat(ds.updated)
    fields: dict[str, object] = {}
    for f in ds.fields:
        if f.derived or (f.name == SOURCES and ds.name != SOURCES):
            continue
        table: dict[str, object] = {"type": f.type.value, "title": f.title}
        if f.description:
            table["description"] = f.description
        if f.required:
            table["required"] = True
        if f.ref:
            table["ref"] = f.ref
        if f.type is FieldType.LIST and f.items is not FieldType.TEXT:
            table["items"] = f.items.value
        if f.choices:
            table["choices"] = [
                {
                    "value": c.value,
                    "label": c.label,
                    **({"aliases": list(c.aliases)} if c.aliases else {}),
                }
                for c in f.choices
            ]
        fields[f.name] = table
    yield tomli_w.dumps({"dataset": meta, "fields": fields})
    if ds.records:
        yield "\n"
        yield from toml_array("records", [f for f in ds.fields if not f.derived], ds.records)


# --- validate -------------------------------------------------------------------------------


def validate(catalog: Catalog, paths: Sequence[Path]) -> tuple[int, list[str]]:
    """Every problem in the given files and folders (all datasets when none): TOML
    syntax as file:line:col, schema problems as file: record ID: field: message."""
    files = _files(catalog, paths)
    problems: list[str] = []
    loaded: list[Dataset] = []
    for path in files:
        try:
            loaded.append(_load_file(catalog, path))
        except GeobalError as err:
            found = getattr(err, "problems", [])
            problems += [str(p) for p in found] or [err.message]
    for ds in loaded:
        try:
            problems += [str(p) for p in catalog.check_references(ds)]
        except GeobalError as err:
            problems.append(err.message)
    return len(files), problems


def _files(catalog: Catalog, paths: Sequence[Path]) -> list[Path]:
    if not paths:
        folders = [catalog.bundled, *([catalog.user] if catalog.user else [])]
        return [p for folder in folders if folder.is_dir() for p in sorted(folder.glob("*.toml"))]
    found = []
    for path in paths:
        if path.is_dir():
            found += sorted(path.glob("*.toml"))
        elif path.exists():
            found.append(path)
        else:
            raise UsageError(f"{path}: no such file or folder")
    return found


def _load_file(catalog: Catalog, path: Path) -> Dataset:
    from geobal.catalog import read_dataset
    from geobal.schema import DATASET_NAME_RE

    if not DATASET_NAME_RE.match(path.stem):
        raise DataError(
            f"{path}: {path.stem!r} is not a dataset name; rename the file with "
            "lower-case letters, digits, - and _, starting with a letter"
        )
    doc = parse_file(path)
    bundled = catalog.bundled_path(path.stem)
    if bundled is not None and bundled.resolve() != path.resolve() and "fields" not in doc:
        base = read_dataset(bundled)
        return merge(base, build_extension(doc, path, base))
    origin = "bundled" if bundled is not None and bundled.resolve() == path.resolve() else USER
    return build_dataset(doc, path, origin)


# --- SIPRI exports ------------------------------------------------------------------------

_COMMON = {"id": {"type": "text", "title": "ID"}}
REGISTER_FIELDS: dict[str, object] = {
    **_COMMON,
    "recipient": {"type": "text", "title": "Recipient", "required": True},
    "supplier": {"type": "text", "title": "Supplier", "required": True},
    "order_year": {"type": "integer", "title": "Ordered"},
    "ordered": {"type": "integer", "title": "Number ordered"},
    "designation": {"type": "text", "title": "Designation"},
    "description": {"type": "text", "title": "Description"},
    "delivered": {"type": "integer", "title": "Number delivered"},
    "delivery_years": {"type": "list", "items": "integer", "title": "Delivered in"},
    "status": {
        "type": "choice",
        "title": "Status",
        "choices": [
            {"value": "new", "label": "New"},
            {"value": "second-hand", "label": "Second hand"},
            {"value": "second-hand-modernized", "label": "Second hand but modernized"},
        ],
    },
    "comments": {"type": "text", "title": "Comments"},
    "tiv_unit": {
        "type": "number",
        "title": "TIV per unit",
        "description": "SIPRI trend-indicator value per unit, millions.",
    },
    "tiv_total": {
        "type": "number",
        "title": "TIV of order",
        "description": "SIPRI TIV for the total order, millions.",
    },
    "tiv_delivered": {
        "type": "number",
        "title": "TIV delivered",
        "description": "SIPRI TIV of the weapons delivered, millions.",
    },
    "uncertain": {
        "type": "list",
        "title": "Uncertain",
        "description": "The figures SIPRI marks with '?': order_year, ordered, delivered.",
    },
}
VOLUME_FIELDS: dict[str, object] = {
    **_COMMON,
    "recipient": {"type": "text", "title": "Recipient", "required": True},
    "year": {"type": "integer", "title": "Year", "required": True},
    "tiv": {
        "type": "number",
        "title": "TIV",
        "description": "Volume of arms imports, millions of SIPRI trend-indicator values.",
    },
}


class SipriImport(NamedTuple):
    path: Path
    source: str
    export: Any  # geobal.sipri.Export


def import_sipri(
    catalog: Catalog,
    name: str,
    data: bytes,
    where: str,
    volumes: bool,
    today: dt.date | None = None,
    progress: Progress = iter,
) -> SipriImport:
    """Import a SIPRI export as dataset `name`, replacing it whole: importing the same
    export twice gives the same dataset, not twice the records. The dataset cites a
    source entry for the export, added to your sources."""
    import tomli_w

    from geobal import sipri
    from geobal.render.text import toml_array

    if catalog.bundled_path(name) is not None:
        raise UsageError(f"{name!r} is a bundled dataset; import the export --into another name")
    export = sipri.read_volumes(data, where) if volumes else sipri.read_register(data, where)
    kind = "import-volume table" if volumes else "trade register"
    source_id = f"sipri-{'volumes' if volumes else 'register'}-{export.generated or 'undated'}"
    source: Record = {
        "id": source_id,
        "title": f"SIPRI Arms Transfers Database: {kind}",
        "publisher": "SIPRI",
        "url": sipri.SOURCES_URL,
        "quality": "primary",
        "tag": f"imported by geobal from {Path(where).name}",
        "about": f"The {kind} as exported"
        + (f" on {export.generated}" if export.generated else "")
        + ".",
    }
    if export.generated:
        source["date"] = export.generated
    if export.url:
        source["note"] = f"Methods: {export.url}"
    head = {
        "dataset": {
            "name": name,
            "title": f"SIPRI {kind}" + (f" ({export.generated})" if export.generated else ""),
            "description": f"Imported from {Path(where).name}: Source: SIPRI Arms Transfers "
            "Database (c) SIPRI.",
            "key": "id",
            "updated": today or dt.date.today(),
        },
        "fields": VOLUME_FIELDS if volumes else REGISTER_FIELDS,
    }
    path = catalog.user_path(name)
    shape = build_dataset(head, path, USER)
    problems = []
    for record in progress(export.records):
        record[SOURCES] = [source_id]
        problems += check(shape, record, where, str(record[shape.key]))
    if problems:
        raise DataError(
            f"{where}: {len(problems)} records do not fit the dataset",
            None,
            problems,
            [str(p) for p in problems[:20]],
        )
    write_records(catalog, SOURCES, [source], replace=True)
    columns = [f for f in shape.fields if not f.derived]
    text = tomli_w.dumps(head) + "\n" + "".join(toml_array("records", columns, export.records))
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        atomic_write(path, text)
        catalog.forget(name)
        # Fill the parse cache from the records in hand: reading 28,000 records back from
        # TOML would make the first query after an import take seconds.
        stamp(export.records, path, USER)
        catalog.prime(dataclasses.replace(shape, records=export.records))
    return SipriImport(path, source_id, export)
