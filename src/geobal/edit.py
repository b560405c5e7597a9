"""Changing the user's datasets: `new` scaffolds one, `add` and imports write records,
`set` changes fields of one in place, `remove` takes records out. No Typer here;
geobal.commands.edit calls these.

Every change is made under the dataset file's lock, to its text (so the user's
comments survive), checked by reading the new text back as the dataset it would make
(Catalog.as_written), and only then written atomically (geobal.store). Nothing invalid
is ever written.
"""

import datetime as dt
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from geobal.catalog import Catalog
from geobal.errors import DataError, GeobalError, NotFoundError, UsageError
from geobal.fieldtypes import KINDS, TEXT
from geobal.model import Dataset, Field, Record
from geobal.schema import DERIVED, NAME_RE, SOURCES, USER, build_dataset, check_record, slug
from geobal.store import Say, atomic_write, locked, record_spans, with_blocks, without

_CLOSED = " or ".join(
    f"NAME:{k.name}=" + ("low,medium,high" if k.ordered else "a,b,c")
    for k in KINDS.values()
    if k.closed
)
FIELD_SPEC = f"NAME:TYPE, {_CLOSED} (! for required)"
FIELD_HELP = (
    "A field: NAME:TYPE with TYPE one of "
    + ", ".join(k.name for k in KINDS.values() if not k.closed)
    + f"; or {_CLOSED} (a level is ordered). Add ! after the type for a required field. "
    "Repeat for each field."
)


def parse_field_spec(spec: str) -> tuple[str, dict[str, object]]:
    """`sector:choice=air,naval` -> ("sector", {"type": "choice", "choices": [...]})."""
    m = re.fullmatch(r"\s*([^:=\s]+)\s*:\s*([a-z]+)(!?)\s*(?:=(.*))?", spec)
    if m is None:
        raise UsageError(f"malformed --field {spec!r}", f"expected {FIELD_SPEC}")
    name, type_name, required, values = m.groups()
    if NAME_RE.fullmatch(name) is None:
        raise UsageError(
            f"--field {spec!r}: field names are lower-case letters, digits and "
            "_, starting with a letter"
        )
    kind = KINDS.get(type_name)
    if kind is None:
        raise UsageError(
            f"--field {spec!r}: unknown type {type_name!r}", f"types: {', '.join(KINDS)}"
        )
    table: dict[str, object] = {"type": kind.name}
    if required:
        table["required"] = True
    if kind.closed != (values is not None):
        raise UsageError(
            f"--field {spec!r}: "
            + ("list its values after =" if kind.closed else f"{kind.name} fields take no values")
        )
    if values is not None:
        codes = [v.strip() for v in values.split(",") if v.strip()]
        from geobal.names import key

        named: dict[str, str] = {}  # a value as names are matched -> the code giving it
        for code in codes:
            if (earlier := named.get(key(code))) is not None:
                same = "is listed twice" if earlier == code else f"is the same as {earlier!r}"
                raise UsageError(f"--field {spec!r}: {code!r} {same}", "list each value once")
            named[key(code)] = code
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
        if field in fields or field in (SOURCES, *DERIVED):
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


def writable(ds: Dataset) -> dict[str, Field]:
    """The fields a record's author sets: all but those geobal derives."""
    return {f.name: f for f in ds.fields if not f.derived}


def parse_assignments(ds: Dataset, sets: Sequence[str]) -> dict[str, str]:
    """--set FIELD=VALUE items, by the field each names; a field given twice is an
    error, not the last value kept."""
    from geobal.query import field_named

    fields = list(writable(ds).values())
    values: dict[str, str] = {}
    given: dict[str, str] = {}  # field name -> the item that set it
    for item in sets:
        name, eq, text = item.partition("=")
        if not eq:
            raise UsageError(f"malformed --set {item!r}", "expected FIELD=VALUE")
        try:
            field = field_named(fields, name.strip(), ds.name)
        except UsageError:
            raise UsageError(
                f"unknown field {name.strip()!r} in {ds.name}",
                f"available: {', '.join(f.name for f in fields)}",
            ) from None
        if field.name in given:
            raise UsageError(
                f"{field.name} is given twice ({given[field.name]} and {item})",
                "give each field once (a list takes its items separated by ';')",
            )
        given[field.name] = item
        values[field.name] = text
    return values


def derive_id(
    ds: Dataset, record: Mapping[str, object], taken: set[str], how: str = "--set id=ID"
) -> str:
    """An id from the first text field with a value: "Rafale M deal" -> "rafale-m-deal"."""
    for f in ds.fields:
        value = record.get(f.name)
        if f.type is TEXT and f.name != ds.key and isinstance(value, str):
            base = slug(value)[:60].strip("-")
            if base:
                rid, n = base, 2
                while rid in taken:
                    rid, n = f"{base}-{n}", n + 1
                return rid
    raise UsageError(f"no text to derive an id from; give one with {how}")


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


def _read_text(path: Path) -> str:
    from geobal.files import decode, read_bytes

    return decode(read_bytes(path), str(path))


class Plan(NamedTuple):
    """A write worked out: the file, its new text, and what it adds and replaces."""

    path: Path
    text: str
    written: "Written"


def planned(catalog: Catalog, name: str, records: Sequence[Record], replace: bool = False) -> Plan:
    """The user's file for dataset `name` with these records (already checked) added,
    all or none: ids are checked against the dataset, sources against the sources
    dataset, and the whole text read back as the dataset it makes. One pass over the
    file however many records: the blocks replaced are taken out together, the new
    ones added together. Call it holding the file's lock."""
    ds = catalog.get(name)
    path = catalog.user_path(name)
    fields = list(writable(ds).values())
    text = _read_text(path) if os.path.lexists(path) else _new_file_text(ds)
    mine = record_spans(text, ds.key)
    current = {str(r[ds.key]) for r in catalog.as_written(name, path, text).records}
    added: list[str] = []
    replaced: list[str] = []
    dropped: list[tuple[int, int]] = []
    blocks: list[str] = []
    for record in records:
        rid = str(record[ds.key])
        if rid in current and not replace:
            where = "your file" if rid in mine else "the bundled data"
            raise UsageError(
                f"{ds.name} has a record {rid!r} already (in {where})",
                "pass --replace to replace it, or choose another id",
            )
        if rid in mine:
            dropped.append(mine.pop(rid))
        (replaced if rid in current else added).append(rid)
        current.add(rid)
        blocks.append(_block(fields, record))
    text = with_blocks(without(text, dropped), blocks)
    updated = catalog.as_written(name, path, text)
    _check_references(catalog, updated, {str(r[ds.key]) for r in records})
    return Plan(path, text, Written(path, added, replaced))


def write_records(
    catalog: Catalog,
    name: str,
    records: Sequence[Record],
    replace: bool = False,
    force: bool = False,
    say: Say | None = None,
) -> Written:
    """Add records (already checked) to the user's file for dataset `name`, all or
    none (see `planned`), under the file's lock."""
    path = catalog.user_path(catalog.get(name).name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with locked(path):
        plan = planned(catalog, name, records, replace)
        atomic_write(plan.path, plan.text, force, say)
    catalog.forget(name)
    return plan.written


def _check_references(catalog: Catalog, ds: Dataset, ids: set[str]) -> None:
    """The new records' source ids and `ref` values must name records that exist."""
    problems = [p for p in catalog.check_references(ds) if p.record in ids]
    if problems:
        raise DataError(
            str(problems[0]),
            "add that source first (geobal add sources ...), or correct the id",
            problems,
        )


def add(
    catalog: Catalog,
    name: str,
    sets: Sequence[str],
    replace: bool = False,
    force: bool = False,
    say: Say | None = None,
) -> Written:
    """One record from --set FIELD=VALUE items, typed by the dataset's fields."""
    ds = catalog.get(name)
    record: dict[str, object] = {}
    for field_name, text in parse_assignments(ds, sets).items():
        field = ds.field_map[field_name]
        record[field_name] = field.type.from_text(field, text)
    if ds.key not in record:
        taken = set() if replace else {str(r[ds.key]) for r in ds.records}
        record[ds.key] = derive_id(ds, record, taken)
    checked, problems = check_record(ds.fields, ds.key, record, "--set", str(record[ds.key]))
    if problems:
        raise UsageError(
            str(problems[0]).removeprefix("--set: "), f"set it with --set {problems[0].field}=VALUE"
        )
    return write_records(catalog, ds.name, [checked], replace, force, say)


class Changed(NamedTuple):
    path: Path
    rid: str
    fields: list[str]  # the fields changed, in the order given
    copied: bool  # a bundled record, copied whole into the user's file first


def set_fields(
    catalog: Catalog,
    name: str,
    rid: str,
    sets: Sequence[str],
    force: bool = False,
    say: Say | None = None,
) -> Changed:
    """Change fields of record `rid` in place, keeping the others: FIELD=VALUE sets one
    (typed by the field), FIELD= empties it. A bundled record is copied into the user's
    file whole, then changed. The record is read, changed and written under the file's
    lock, so two changes to it at once both land."""
    ds = catalog.get(name)
    found = ds.find_id(rid)
    if found is None:
        raise NotFoundError(
            f"no record {rid!r} in {ds.name}",
            f"list the ids with: geobal query {ds.name} --fields {ds.key}",
        )
    changes = parse_assignments(ds, sets)
    if not changes:
        raise UsageError("give at least one FIELD=VALUE to change")
    if ds.key in changes:
        raise UsageError(
            f"{ds.key} names the record and cannot be changed in place",
            f"add it under the new id (geobal add {ds.name} ...) and remove the old one",
        )
    path = catalog.user_path(ds.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = writable(ds)
    with locked(path):
        # the record as it is now, read under the lock: another writer may have changed it
        text = _read_text(path) if os.path.lexists(path) else _new_file_text(ds)
        current = catalog.as_written(ds.name, path, text).by_id.get(found)
        if current is None:  # removed a moment ago
            raise NotFoundError(f"no record {found!r} in {ds.name}")
        copied = found not in record_spans(text, ds.key)
        record = {k: v for k, v in current.items() if k in fields}
        for field_name, value in changes.items():
            field = fields[field_name]
            if value.strip() == "":
                record.pop(field_name, None)
            else:
                record[field_name] = field.type.from_text(field, value)
        checked, problems = check_record(ds.fields, ds.key, record, "FIELD=VALUE", found)
        if problems:
            problem = problems[0]
            raise UsageError(
                str(problem).removeprefix("FIELD=VALUE: "),
                f"give it with {problem.field}=VALUE" if problem.field else None,
            )
        plan = planned(catalog, ds.name, [checked], replace=True)
        atomic_write(plan.path, plan.text, force, say)
    catalog.forget(ds.name)
    return Changed(path, found, list(changes), copied)


def _not_yours(ds: Dataset, rid: str, path: Path, bundled: bool) -> GeobalError:
    """Why record `rid` cannot be removed: it is bundled, or there is none."""
    if bundled:
        return DataError(
            f"{ds.name} record {rid!r} is bundled with geobal and cannot be removed",
            f"to hide it, override it: geobal add {ds.name} --set {ds.key}={rid} ... --replace",
        )
    return NotFoundError(
        f"no record {rid!r} in your {ds.name} file ({path})",
        f"list your records with: geobal query {ds.name} --where origin=user --fields id",
    )


def remove(
    catalog: Catalog, name: str, rid: str, force: bool = False, say: Say | None = None
) -> tuple[Path, bool]:
    """Remove the user's record `rid`; True when a bundled record of that id shows again."""
    path, revealed = remove_many(catalog, name, [rid], force, say)
    return path, bool(revealed)


def remove_many(
    catalog: Catalog, name: str, rids: Sequence[str], force: bool = False, say: Say | None = None
) -> tuple[Path, list[str]]:
    """Remove the user's records `rids`, all or none, in one write; the ids whose
    bundled records show again."""
    ds = catalog.get(name)
    path = catalog.user_path(ds.name)
    base = catalog.base(ds.name)
    base_ids = {str(r[ds.key]) for r in base.records} if base is not None else set()
    wanted = list(dict.fromkeys(ds.find_id(rid) or rid for rid in rids))
    if not os.path.lexists(path):
        raise _not_yours(ds, wanted[0], path, wanted[0] in base_ids)
    with locked(path):
        # looked for under the lock: another process may have removed one a moment ago
        text = _read_text(path)
        mine = record_spans(text, ds.key)
        for rid in wanted:
            if rid not in mine:
                raise _not_yours(ds, rid, path, rid in base_ids)
        text = without(text, [mine[rid] for rid in wanted])
        catalog.as_written(ds.name, path, text)
        atomic_write(path, text, force, say)
    catalog.forget(ds.name)
    return path, [rid for rid in wanted if rid in base_ids]
