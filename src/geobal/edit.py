"""Changing the user's datasets: `new` scaffolds one, `add` and imports write records,
`set` changes fields of one in place, `remove` takes records out. No Typer here;
geobal.commands.edit calls these.

Every change is made under the dataset file's lock, to its text, one record's table at
a time (so the user's comments and layout survive), each new table read back and
checked before anything is written, and written atomically (geobal.userfile,
geobal.store). Nothing invalid is ever written.
"""

import datetime as dt
import os
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from geobal.catalog import TWICE, Catalog
from geobal.codecs.escape import one_line
from geobal.errors import DataError, GeobalError, NotFoundError, UsageError
from geobal.fieldtypes import FIELD_SPEC, KINDS, TEXT, blank
from geobal.model import Dataset, Field, Record
from geobal.schema import (
    DERIVED,
    NAME_RE,
    SOURCES,
    USER,
    build_dataset,
    check_record,
    slug,
    unspelled,
)
from geobal.store import Say, atomic_write, locked
from geobal.userfile import Held, hold


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
        if values.rstrip().endswith("!"):
            # "required" is said after the type; at the end it would be read as a value's
            stripped = values.rstrip()[:-1]
            raise UsageError(
                f"--field {spec!r}: a value ends with !, which marks a field required "
                "after its type, not after its values",
                f"write it as --field '{name}:{type_name}!={stripped}'",
            )
        codes = [v.strip() for v in values.split(",")]
        if not all(codes):
            raise UsageError(
                f"--field {spec!r}: an empty value among its choices",
                "list them separated by commas, each once: a,b,c",
            )
        from geobal.names import key

        named: dict[str, str] = {}  # a value as names are matched -> the code giving it
        for code in codes:
            if (earlier := named.get(key(code))) is not None:
                same = "is listed twice" if earlier == code else f"is the same as {earlier!r}"
                raise UsageError(f"--field {spec!r}: {code!r} {same}", "list each value once")
            named[key(code)] = code
        table["choices"] = [{"value": v, "label": v} for v in codes]
    return name, table


def _twice(spec: str, field: str) -> UsageError:
    """The error of a field that two --field options give."""
    return UsageError(
        f"--field {spec!r}: {field!r} is given twice", "give each field once, with its type"
    )


def scaffold(
    catalog: Catalog,
    name: str,
    specs: Sequence[str],
    title: str | None,
    today: dt.date | None = None,
) -> Path:
    """Write a new user dataset file with its schema and no records. Where the user's
    dataset `name` exists and has no records yet, `specs` are fields added to it."""
    path = catalog.user_path(name)
    if catalog.bundled_path(name) is not None:
        raise UsageError(
            f"{name!r} is a bundled dataset",
            f"add records to it with: geobal add {name} --set field=value ...",
        )
    if path.exists():
        if not specs:
            raise UsageError(
                f"{one_line(path)} exists already",
                "choose another name; give --field to add fields to it while it has no records",
            )
        if title is not None:
            raise UsageError(
                f"--title: {one_line(path)} exists already, with its title",
                "change the title in its [dataset] table",
            )
        more_fields(path, specs)
        return path
    if name.startswith("sqlite_"):
        # said now rather than at the first export to SQLite, which would refuse it
        raise UsageError(
            f"{name!r}: SQLite keeps names beginning sqlite_ for itself, so a dataset so "
            "named could never be exported to SQLite",
            "choose another name",
        )
    fields: dict[str, object] = {"id": {"type": "text", "title": "ID"}}
    fields |= _added_fields(specs, fields)
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
            raise UsageError(f"{one_line(path)} exists already")
        atomic_write(path, text)
    return path


def more_fields(path: Path, specs: Sequence[str]) -> None:
    """Add the fields `specs` give to the user's dataset file at `path`, which has no
    records: each as a table at the end of its text, the rest of it as it was. A file
    with records is never changed: its records were checked against the fields it had."""
    import tomli_w

    from geobal.files import decode, parse_toml, read_bytes

    where = one_line(path)
    with locked(path):
        text = decode(read_bytes(path), where)
        doc = parse_toml(text, where)
        records = doc.get("records") or []
        if records:
            n = len(records)
            raise UsageError(
                f"{where} has {n} record{'s' if n != 1 else ''}: its fields are fixed",
                "make a new dataset with the fields, and import the records into it "
                "(geobal export, then geobal import --into)",
            )
        added = _added_fields(specs, dict(doc.get("fields") or {}))
        new_text = text.rstrip("\n") + "\n\n" + tomli_w.dumps({"fields": added})
        build_dataset(parse_toml(new_text, where), path, USER)  # as reading it back checks
        atomic_write(path, new_text, forced_by=None)  # new has no --force: chmod is the way


def _added_fields(specs: Sequence[str], taken: Mapping[str, object]) -> dict[str, object]:
    """The tables of the fields `--field` specs give, beside the fields `taken`: a field
    given twice, or one the dataset (or geobal) has already, is refused."""
    added: dict[str, object] = {}
    for spec in specs:
        field, table = parse_field_spec(spec)
        if field in added:
            raise _twice(spec, field)
        if field in taken or field in (SOURCES, *DERIVED):
            raise UsageError(f"--field {spec!r}: {field!r} is already a field")
        added[field] = table
    return added


def writable(ds: Dataset) -> dict[str, Field]:
    """The fields a record's author sets: all but those geobal derives."""
    return {f.name: f for f in ds.fields if not f.derived}


def parse_assignments(ds: Dataset, sets: Sequence[str]) -> dict[str, str]:
    """--set FIELD=VALUE items, by the field each names; a field given twice is an
    error, not the last value kept."""
    from geobal.queries import field_named

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


def derive_id(ds: Dataset, record: Mapping[str, object], how: str = "--set id=ID") -> str:
    """An id from the first text field with a value an id can be made of, its letters
    transliterated: "Rafale M deal" -> "rafale-m-deal", "Türkiye" -> "turkiye". An id
    made so is an id like any other: one the dataset has already is refused (or, asked
    to, replaced), never made another by adding -2, which would add the same record
    again each time an import or an `add` ran again."""
    unusable: tuple[str, str] | None = None  # the first text with no Latin letter or digit
    for f in ds.fields:
        value = record.get(f.name)
        if f.type is TEXT and f.name != ds.key and isinstance(value, str):
            base = _shortened(slug(value))
            if base and (dropped := unspelled(value)):
                raise UsageError(
                    f"an id made from {f.name} {value[:40]!r} would leave out {dropped!r}, "
                    f"which has no Latin spelling here; give one with {how}"
                )
            if base:
                return base
            unusable = unusable or (f.name, value)
    if unusable is not None:
        name, value = unusable
        raise UsageError(
            f"no id can be made from {name} {value[:40]!r}: ids are Latin letters and "
            f"digits, and it has none; give one with {how}"
        )
    raise UsageError(f"no text to derive an id from; give one with {how}")


def _shortened(base: str, most: int = 60) -> str:
    """An id at most `most` characters long: a longer one cut, with a checksum of the
    whole after it, so that two texts alike in their first words still make two ids
    (and the same text, the same id, every time)."""
    if len(base) <= most:
        return base
    import zlib

    return f"{base[: most - 9].rstrip('-')}-{zlib.crc32(base.encode()):08x}"


class Written(NamedTuple):
    path: Path
    added: list[str]
    replaced: list[str]


def block(fields: Sequence[Field], record: Record) -> str:
    """A record as the `[[records]]` table geobal writes for it."""
    from geobal.codecs.tomldoc import toml_dumps, toml_table

    return "[[records]]\n" + toml_dumps(toml_table(fields, record))


def put(held: Held, records: Sequence[Record], replace: bool = False) -> Written:
    """The records (already checked) added to the held file, or with `replace` put in
    place of those with their ids, all or none: ids are checked against the dataset,
    sources and references against the datasets they name. One pass however many."""
    ds = held.dataset
    fields = list(writable(ds).values())
    base = held.base.ids if held.base is not None else set()
    seen: set[str] = set()  # the ids of the records put so far
    added: list[str] = []
    replaced: list[str] = []
    swapped: dict[int, tuple[str, Record]] = {}
    appended: list[tuple[str, Record]] = []
    for record in records:
        rid = str(record[ds.key])
        if rid in seen:  # the callers check rows against each other; this holds for all
            raise UsageError(f"two records to write have the id {rid!r}; nothing was written")
        position = held.index(rid)
        exists = rid in base or position is not None
        if exists and not replace:
            where = "your file" if position is not None else "the bundled data"
            raise UsageError(
                f"{ds.name} has a record {rid!r} already (in {where})",
                "pass --replace to replace it, or choose another id",
            )
        if position is not None:
            swapped[position] = (block(fields, record), record)
        else:
            appended.append((block(fields, record), record))
        (replaced if exists else added).append(rid)
        seen.add(rid)
    check_references(held.catalog, ds, records, held.has)
    held.edit(swapped, set(), appended)
    return Written(held.path, added, replaced)


def write_records(
    catalog: Catalog,
    name: str,
    records: Sequence[Record],
    replace: bool = False,
    force: bool = False,
    say: Say | None = None,
) -> Written:
    """Add records (already checked) to the user's file for dataset `name`, all or
    none (see `put`), under the file's lock."""
    with hold(catalog, name) as held:
        written = put(held, records, replace)
        held.write(force, say)
    return written


def check_references(
    catalog: Catalog, ds: Dataset, records: Sequence[Record], has: Callable[[str], bool]
) -> None:
    """The records' source ids and `ref` values must name records that exist (`has`:
    whether the dataset itself has an id, written or about to be)."""
    written = {str(r[ds.key]) for r in records}
    problems = catalog.check_references(
        ds, records, lambda ref: ref in written or has(ref), str(catalog.user_path(ds.name))
    )
    if problems:
        # the dataset the first unknown id should be in: sources, or a field's ref
        refs = {f.name: f.ref for f in ds.fields if f.ref}
        target = refs.get(problems[0].field or "", "sources") or "sources"
        noun = "source" if target == "sources" else "record"
        twice = problems[0].message.endswith(TWICE)
        raise DataError(
            str(problems[0]),
            "name each id once"
            if twice
            else f"add that {noun} first (geobal add {target} ...), or correct the id",
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
        if not blank(text):  # FIELD= gives no value, as an empty cell of an import does
            record[field_name] = field.type.from_text(field, text)
    if ds.key not in record:
        record[ds.key] = derive_id(ds, record)
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
    same: tuple[str, ...] = ()  # the fields given that had those values already


def set_fields(
    catalog: Catalog,
    name: str,
    rid: str,
    sets: Sequence[str],
    force: bool = False,
    say: Say | None = None,
) -> Changed:
    """Change fields of record `rid` in place, keeping the others: FIELD=VALUE sets one
    (typed by the field), FIELD= empties it. Only those values change in the file: the
    record's other lines, its comments and its place stay as they are. A bundled record
    is copied into the user's file whole, then changed. The record is read, changed and
    written under the file's lock, so two changes to it at once both land."""
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
    fields = writable(ds)
    with hold(catalog, ds.name) as held:
        # the record as it is now, read under the lock: another writer may have changed it
        position = held.index(found)
        if position is not None:
            current = held.record(position)
        elif held.base is not None and found in held.base.by_id:
            current = held.base.by_id[found]
        else:  # removed a moment ago
            raise NotFoundError(f"no record {found!r} in {ds.name}")
        record = {k: v for k, v in current.items() if k in fields}
        for field_name, value in changes.items():
            field = fields[field_name]
            if blank(value):
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
        check_references(catalog, held.dataset, [checked], held.has)
        same = [f for f in changes if checked.get(f) == current.get(f)]
        if len(same) == len(changes):  # nothing to write: the file stays as it is
            return Changed(held.path, found, [], False, tuple(same))
        if position is None:  # a bundled record: copied whole, then changed
            held.edit({}, set(), [(block(list(fields.values()), checked), checked)])
        else:
            from geobal.codecs.tomldoc import toml_value_text
            from geobal.tomltext import set_values

            texts = {
                f: toml_value_text(fields[f], checked[f]) if f in checked else None for f in changes
            }
            held.edit({position: (set_values(held.block(position), texts), checked)}, set(), [])
        held.write(force, say)
    changed = [f for f in changes if f not in same]
    return Changed(held.path, found, changed, position is None, tuple(same))


def _not_yours(ds: Dataset, rid: str, path: Path, bundled: bool) -> GeobalError:
    """Why record `rid` cannot be removed: it is bundled, or there is none."""
    if bundled:
        return DataError(
            f"{ds.name} record {rid!r} is bundled with geobal and cannot be removed",
            f"to hide it, override it: geobal add {ds.name} --set {ds.key}={rid} ... --replace",
        )
    return NotFoundError(
        f"no record {rid!r} in your {ds.name} file ({one_line(path)})",
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
    """Remove the user's records `rids`, all or none, in one write, each exactly (its
    table, and the blank lines after it); the ids whose bundled records show again."""
    ds = catalog.get(name)
    path = catalog.user_path(ds.name)
    base = catalog.base(ds.name)
    base_ids = {str(r[ds.key]) for r in base.records} if base is not None else set()
    for rid in rids:  # one a case of several could name is said, not taken as none
        if len(named := ds.ids_named(rid)) > 1:
            raise UsageError(
                f"{rid!r} is ambiguous in {ds.name}: it could be {' or '.join(named)}",
                "give the id in its own case",
            )
    wanted = list(dict.fromkeys(ds.find_id(rid) or rid for rid in rids))
    if not os.path.lexists(path):
        raise _not_yours(ds, wanted[0], path, wanted[0] in base_ids)
    with hold(catalog, ds.name) as held:
        # looked for under the lock: another process may have removed one a moment ago
        positions = set()
        for rid in wanted:
            position = held.index(rid)
            if position is None:
                raise _not_yours(ds, rid, path, rid in base_ids)
            positions.add(position)
        # a record others cite stays, unless the bundled one of its id shows again
        gone = {rid for rid in wanted if rid not in base_ids}
        itself = {f"{ds.name}/{rid}" for rid in gone}
        citing = [c for c in catalog.citing(ds.name, gone) if c not in itself] if gone else []
        if citing:
            more = f" and {len(citing) - 5} more" if len(citing) > 5 else ""
            raise DataError(
                f"{len(citing)} records cite what would be removed ({', '.join(citing[:5])}"
                f"{more}); nothing was removed",
                "change or remove those records first, so that none cites a record that is gone",
            )
        for position in positions:
            held.block(position)  # each is where the layout says
        held.edit({}, positions, [])
        held.write(force, say)
    return path, [rid for rid in wanted if rid in base_ids]
