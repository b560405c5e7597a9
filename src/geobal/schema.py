"""Dataset files: what they may declare, and the one check every record passes, whether
it is read from a file, given on the command line or imported.

Pure: parsed TOML in, a `Dataset` out, or a DataError carrying every `Problem` found
rather than only the first. What a value of each type may be is geobal.fieldtypes'.
"""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from geobal.errors import DataError
from geobal.fieldtypes import (
    CHOICE,
    KINDS,
    LIST,
    SLOW,
    TEXT,
    ValueProblem,
    ascii_digits,
    blank,
    date_value,
    describe,
)
from geobal.model import Choice, Dataset, Field, Problem, Record, SortKey, gc_paused
from geobal.names import key as name_key
from geobal.names import unaccented

SOURCES = "sources"  # the dataset every other dataset cites, and the field that cites it

SOURCES_FIELD = Field(
    SOURCES,
    LIST,
    "Sources",
    "Ids of the entries in the sources dataset that this record relies on.",
    required=True,
    ref=SOURCES,
)

BUNDLED, USER = "bundled", "user"
ORIGIN_FIELD = Field(
    "origin",
    CHOICE,
    "Origin",
    "Where the record comes from: bundled with geobal, or one of your files.",
    choices=(Choice(BUNDLED, "Bundled"), Choice(USER, "User")),
    derived=True,
)
FILE_FIELD = Field(
    "file",
    TEXT,
    "File",
    "The file the record comes from: a bundled file's name, or the path of yours.",
    derived=True,
)
DERIVED = (ORIGIN_FIELD.name, FILE_FIELD.name)

# Names are matched whole (fullmatch): "$" would let a trailing newline through.
NAME_RE = re.compile(r"[a-z][a-z0-9_]*")
# Dataset names become file names, so they can never hold a path separator or "..".
DATASET_NAME_RE = re.compile(r"[a-z][a-z0-9_-]*")
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

DATASET_KEYS = (
    "name",
    "title",
    "description",
    "key",
    "sort",
    "columns",
    "updated",
    "as_of",
    "covers",
    "scope",  # set by a SIPRI import of an export filtered to one partner
    "imported",  # set by a SIPRI import: the CRC-32 of the records it wrote (transfer/written.py)
)
FIELD_KEYS = (
    "type",
    "title",
    "description",
    "required",
    "choices",
    "ref",
    "items",
    "unit",
    "country",
    "totals",
)
CHOICE_KEYS = ("value", "label", "aliases", "meaning")

Report = Callable[[str], None]  # collects one problem found in the file being read
UNDATED = "undated"  # as_of of a dataset whose sources give no date


def is_dataset_name(name: str) -> bool:
    return DATASET_NAME_RE.fullmatch(name) is not None


def build_dataset(doc: Mapping[str, Any], path: Path, origin: str = BUNDLED) -> Dataset:
    """Validate a parsed dataset file and return the dataset, or raise DataError with
    every problem found. Each record gets its `origin` and `file`."""
    where = str(path)
    problems: list[Problem] = []

    def problem(message: str) -> None:
        problems.append(Problem(where, message))

    for key in doc:
        if key not in ("dataset", "fields", "records"):
            problem(
                f"unknown top-level key {key!r}; a dataset file holds [dataset], "
                "[fields.NAME] and [[records]]"
            )

    meta = doc.get("dataset")
    if not isinstance(meta, dict):
        problem("missing [dataset] table; add one with name, title and key")
        meta = {}
    _check_keys(meta, DATASET_KEYS, "[dataset]", problem)

    name = _text(meta, "name", "[dataset]", problem) or path.stem
    if not is_dataset_name(name):
        problem(
            f"[dataset]: name {name!r} must be lower-case letters, digits, - and _, "
            "starting with a letter"
        )
    elif name != path.stem:
        problem(
            f"[dataset]: name {name!r} does not match the file name {path.name!r}; "
            "rename one so they agree"
        )
    title = _text(meta, "title", "[dataset]", problem) or name
    key = _text(meta, "key", "[dataset]", problem) or "id"
    description = _text(meta, "description", "[dataset]", problem, required=False) or ""

    fields = _build_fields(doc.get("fields"), name, problem)
    by_name = {f.name: f for f in fields}
    if key not in by_name:
        problem(
            f"[dataset]: key {key!r} is not a declared field; declare [fields.{key}] "
            'with type = "text"'
        )
    elif by_name[key].type is not TEXT:
        problem(f'[fields.{key}]: the key field must have type "text"')
    for f in fields:
        if f.unit is not None and (
            f.unit not in by_name or by_name[f.unit].type.name not in ("text", "choice")
        ):
            problem(
                f"[fields.{f.name}]: unit {f.unit!r} must name a text or choice field of "
                "this dataset, the one that gives the unit of each value"
            )

    updated = _date(meta, "updated", problem)
    # what an undated source says runs to no date: "undated" states that, where a
    # missing as_of would leave it unsaid
    as_of = UNDATED if meta.get("as_of") == UNDATED else _date(meta, "as_of", problem)

    covers = _covers(meta.get("covers"), problem)
    scope = meta.get("scope")
    if scope is not None and not (isinstance(scope, str) and scope.strip()):
        problem(
            "[dataset]: scope must be text saying what the data hold, such as "
            '"transfers from China"'
        )
        scope = None
    sort = tuple(_sort_keys(meta.get("sort", []), by_name, problem))
    columns = tuple(_column_names(meta.get("columns", []), by_name, problem))

    records = _build_records(doc.get("records", []), fields, key, where, problems)
    stamp(records, path, origin)
    _raise(problems, where)
    return Dataset(
        name,
        title,
        description,
        key,
        tuple(fields),
        records,
        path,
        sort,
        columns,
        updated,
        covers,
        as_of,
        scope,
    )


def _date(meta: Mapping[str, Any], key: str, problem: Report) -> str | None:
    if key not in meta:
        return None
    try:
        return date_value(meta[key])
    except ValueProblem as err:
        problem(f"[dataset]: {key}: {err}")
        return None


def _covers(raw: object, problem: Report) -> tuple[int, int] | None:
    """The years the data cover, first and last: [1950, 2023]."""
    if raw is None:
        return None
    if (
        isinstance(raw, list)
        and len(raw) == 2
        and all(isinstance(y, int) and not isinstance(y, bool) for y in raw)
        and raw[0] <= raw[1]
    ):
        return raw[0], raw[1]
    problem(
        "[dataset]: covers must be the first and last year the data cover, such as [1950, 2023]"
    )
    return None


def stamp(records: list[Record], path: Path, origin: str) -> None:
    """Mark where records come from: a bundled file by its name, a user's by its path."""
    file = path.name if origin == BUNDLED else str(path)
    for record in records:
        record[ORIGIN_FIELD.name] = origin
        record[FILE_FIELD.name] = file


def record_file(record: Record, ds: Dataset) -> str:
    """The file a record is from, as a problem names it: the user's file it came from
    (see `stamp`), else its dataset's."""
    mine = record.get("origin") == USER and isinstance(record.get("file"), str)
    return str(record["file"]) if mine else str(ds.path)


Added = dict[str, tuple[Choice, ...]]  # the choices a user's file adds, by field name


def build_extension(
    doc: Mapping[str, Any], path: Path, base: Dataset
) -> tuple[Added, list[Record]]:
    """What a user's file adds to a bundled dataset: a [dataset] table naming it,
    choices added to its choice fields ([fields.NAME] holding only `choices`), and
    [[records]] in its schema, which the file cannot otherwise change."""
    where = str(path)
    problems: list[Problem] = []
    for key in doc:
        if key not in ("dataset", "fields", "records"):
            problems.append(
                Problem(
                    where,
                    f"unknown top-level key {key!r}; a file adding to "
                    f"{base.name!r} holds [dataset], [fields.NAME] choices and [[records]]",
                )
            )
    meta = doc.get("dataset")
    if not isinstance(meta, dict) or meta.get("name") != base.name:
        problems.append(
            Problem(
                where,
                f'[dataset]: needs name = "{base.name}", the dataset this file adds records to',
            )
        )
    elif set(meta) - {"name"}:
        extra = ", ".join(sorted(set(meta) - {"name"}))
        problems.append(
            Problem(
                where,
                f"[dataset]: {extra}: set by the bundled dataset {base.name!r}; keep only name",
            )
        )
    added = _added_choices(doc.get("fields", {}), base, where, problems)
    fields = extended(base.fields, added)
    records = _build_records(doc.get("records", []), list(fields), base.key, where, problems)
    _raise(problems, where)
    stamp(records, path, USER)
    return added, records


def _added_choices(raw: object, base: Dataset, where: str, problems: list[Problem]) -> Added:
    def problem(message: str) -> None:
        problems.append(Problem(where, message))

    if not isinstance(raw, dict):
        problem("[fields] must be a table of [fields.NAME] tables")
        return {}
    added: Added = {}
    for name, spec in raw.items():
        at = f"[fields.{name}]"
        f = base.field_map.get(name)
        if f is None or f.derived:
            problem(f"{at}: {base.name!r} has no field {name!r}; a file adding to it "
                    "can only add choices to its choice fields")  # fmt: skip
        elif f.type is not CHOICE:
            problem(f"{at}: only a choice field's values can be added to; {name!r} is of "
                    f"type {f.type.name}, as the bundled dataset defines it")  # fmt: skip
        elif not isinstance(spec, dict) or set(spec) != {"choices"}:
            problem(f'{at}: holds only choices = [{{ value = "...", label = "..." }}, '
                    "...], the values this file adds; the rest comes from the bundled "
                    "dataset")  # fmt: skip
        else:
            new = _build_choices(spec["choices"], True, f.type.name, at, problem, f.choices, where)
            if new:
                added[name] = new
    return added


def extended(fields: Sequence[Field], added: Added) -> tuple[Field, ...]:
    """`fields` with the choices a user's file adds appended to theirs."""
    if not added:
        return tuple(fields)
    return tuple(
        f.with_choices(f.choices + added[f.name]) if f.name in added else f for f in fields
    )


def _raise(problems: list[Problem], where: str) -> None:
    if problems:
        more = len(problems) - 1
        raise DataError(
            str(problems[0]),
            (f"{more} more problem{'s' if more != 1 else ''} in this file; " if more else "")
            + f"fix {where} and run the command again",
            problems,
        )


def _check_keys(
    table: Mapping[str, Any], allowed: tuple[str, ...], where: str, problem: Report
) -> None:
    for key in table:
        if key not in allowed:
            problem(f"{where}: unknown key {key!r}; allowed: {', '.join(allowed)}")


def _text(
    table: Mapping[str, Any], key: str, where: str, problem: Report, required: bool = True
) -> str | None:
    value = table.get(key)
    if value is None:
        if required:
            problem(f"{where}: missing {key!r}")
        return None
    if not isinstance(value, str):
        problem(f"{where}: {key} must be text, not {describe(value)}")
        return None
    return value


def _build_fields(raw: object, dataset: str, problem: Report) -> list[Field]:
    if not isinstance(raw, dict) or not raw:
        problem("missing [fields.NAME] tables; declare at least the key field")
        return []
    fields: list[Field] = []
    for name, spec in raw.items():
        where = f"[fields.{name}]"
        if NAME_RE.fullmatch(name) is None:
            problem(
                f"{where}: field names are lower-case letters, digits and _, starting with a letter"
            )
            continue
        if name in DERIVED:
            problem(f"{where}: '{name}' is set by geobal for every record; remove this table")
            continue
        if name == SOURCES and dataset != SOURCES:
            problem(
                f"{where}: 'sources' is built in (every record cites its sources); "
                "remove this table"
            )
            continue
        if not isinstance(spec, dict):
            problem(f"{where}: must be a table with at least a type")
            continue
        _check_keys(spec, FIELD_KEYS, where, problem)
        kind = KINDS.get(spec["type"]) if isinstance(spec.get("type"), str) else None
        if kind is None:
            problem(
                f"{where}: type must be one of {', '.join(KINDS)}, not {describe(spec.get('type'))}"
            )
            continue
        title = _text(spec, "title", where, problem, required=False) or _title(name)
        description = _text(spec, "description", where, problem, required=False) or ""
        required = spec.get("required", False)
        if not isinstance(required, bool):
            problem(f"{where}: required must be true or false")
            required = False
        ref = _text(spec, "ref", where, problem, required=False)
        if ref is not None and not kind.takes_ref:
            kinds = " and ".join(k.name for k in KINDS.values() if k.takes_ref)
            problem(f"{where}: ref applies to {kinds} fields only")
        choices = _build_choices(spec.get("choices"), kind.closed, kind.name, where, problem)
        items = None
        if "items" in spec:
            item = KINDS.get(spec["items"]) if isinstance(spec["items"], str) else None
            if item is None or item.name not in kind.item_kinds:
                allowed = next((k.name, k.item_kinds) for k in KINDS.values() if k.item_kinds)
                problem(
                    f"{where}: items applies to {allowed[0]} fields, as "
                    + " or ".join(f'"{i}"' for i in allowed[1])
                )
            else:
                items = item
        unit = _text(spec, "unit", where, problem, required=False)
        if unit is not None and not kind.numeric:
            problem(f"{where}: unit applies to integer and number fields only")
            unit = None
        country = _flag(spec, "country", "text", kind.name, f"{where}: ", problem)
        totals = _flag(spec, "totals", "boolean", kind.name, f"{where}: ", problem)
        fields.append(
            Field(
                name,
                kind,
                title,
                description,
                required,
                choices,
                ref,
                items=items,
                unit=unit,
                country=country,
                totals=totals,
            )
        )
    if dataset != SOURCES:
        fields.append(SOURCES_FIELD)
    return [*fields, ORIGIN_FIELD, FILE_FIELD]


def _flag(spec: Mapping[str, Any], key: str, of: str, kind: str, at: str, problem: Report) -> bool:
    """A field's true-or-false property `key` that applies to `of` fields only."""
    value = spec.get(key, False)
    if not isinstance(value, bool):
        problem(f"{at}{key} must be true or false")
        return False
    if value and kind != of:
        problem(f"{at}{key} applies to {of} fields only")
        return False
    return value


def _title(name: str) -> str:
    """A column title for a field that declares none: "value_unit" -> "Value unit"."""
    return "ID" if name == "id" else name.replace("_", " ").capitalize()


def _build_choices(
    raw: object,
    closed: bool,
    kind: str,
    where: str,
    problem: Report,
    taken: Iterable[Choice] = (),
    added_by: str | None = None,
) -> tuple[Choice, ...]:
    """The choices a field declares; `taken` are those it has already (a bundled
    field's, when a user's file adds to them), whose words the new ones cannot reuse."""
    if raw is None:
        if closed:
            problem(
                f'{where}: a {kind} field needs choices = [{{ value = "...", label = "..." }}, ...]'
            )
        return ()
    if not closed:
        problem(f"{where}: choices apply to choice and level fields only")
        return ()
    if not isinstance(raw, list) or not raw:
        problem(f"{where}: choices must be a non-empty array of tables")
        return ()
    choices: list[Choice] = []
    seen = {name_key(w) for c in taken for w in (c.value, c.label, *c.aliases)}
    for i, item in enumerate(raw, 1):
        at = f"{where}: choice {i}"
        if not isinstance(item, dict):
            problem(f'{at}: must be a table such as {{ value = "air", label = "Air" }}')
            continue
        _check_keys(item, CHOICE_KEYS, at, problem)
        value = _text(item, "value", at, problem)
        if value is None:
            continue
        label = _text(item, "label", at, problem, required=False) or value
        meaning = _text(item, "meaning", at, problem, required=False) or ""
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problem(f"{at}: aliases must be an array of text")
            aliases = []
        words = {name_key(w) for w in (value, label, *aliases)}
        for word in sorted(words & seen):
            problem(f"{at}: {word!r} is already used by another choice")
        seen |= words
        choices.append(Choice(value, label, tuple(aliases), meaning, added_by))
    return tuple(choices)


def _sort_keys(raw: object, fields: Mapping[str, Field], problem: Report) -> Iterable[SortKey]:
    if not isinstance(raw, list) or not all(isinstance(s, str) for s in raw):
        problem('[dataset]: sort must be an array of field names, such as ["-impact", "id"]')
        return
    for spec in raw:
        name = spec.lstrip("-")
        if name not in fields:
            problem(f"[dataset]: sort names {name!r}, which is not a declared field")
            continue
        yield SortKey(fields[name], spec.startswith("-"))


def _column_names(raw: object, fields: Mapping[str, Field], problem: Report) -> Iterable[str]:
    if not isinstance(raw, list) or not all(isinstance(s, str) for s in raw):
        problem("[dataset]: columns must be an array of field names")
        return
    for name in raw:
        if name not in fields:
            problem(f"[dataset]: columns names {name!r}, which is not a declared field")
            continue
        yield name


def _build_records(
    raw: object, fields: Sequence[Field], key: str, where: str, problems: list[Problem]
) -> list[Record]:
    if not isinstance(raw, list):
        problems.append(Problem(where, "records must be an array of tables: [[records]]"))
        return []
    records: list[Record] = []
    seen: set[str] = set()
    check = RecordCheck(fields, key)
    with gc_paused():  # a record and its lists hold no cycles
        for index, item in enumerate(raw, 1):
            if not isinstance(item, dict):
                problems.append(Problem(where, "must be a table", f"#{index}"))
                continue
            rid = item.get(key)
            label = rid if isinstance(rid, str) and rid else f"#{index}"
            record, found = check(item, where, label, seen=seen)
            problems += found
            records.append(record)
    return records


def check_record(
    fields: Sequence[Field],
    key: str,
    item: Mapping[str, object],
    where: str,
    label: str,
    row: int | None = None,
    seen: set[str] | None = None,
) -> tuple[Record, list[Problem]]:
    """The one check of a record against its dataset's fields, whether it comes from a
    file, the command line or an import: the record with its values normalised, and
    every problem found (the id's form, and with `seen` whether an earlier record had
    it; unknown and derived fields; missing required fields; values that do not fit
    their type). RecordCheck does the same for many records of one dataset."""
    return RecordCheck(fields, key)(item, where, label, row, seen)


class RecordCheck:
    """check_record for the records of one dataset, what depends only on its fields
    worked out once: which names a record may hold, and for each field its kind's
    quick check of the values most files hold (see Kind.quick_toml), the full check
    left for the others, so every value and every message is the same."""

    def __init__(self, fields: Sequence[Field], key: str) -> None:
        self.key = key
        self.declared = {f.name for f in fields if not f.derived}
        self.allowed = self.declared.difference(DERIVED)  # a record holds only these, or is told
        self.fields = [
            (f.name, f, f.required or f.name == key, f.type.quick_toml(f))
            for f in fields
            if not f.derived
        ]

    def __call__(
        self,
        item: Mapping[str, object],
        where: str,
        label: str,
        row: int | None = None,
        seen: set[str] | None = None,
    ) -> tuple[Record, list[Problem]]:
        key = self.key
        problems: list[Problem] = []
        rid = item.get(key)
        if isinstance(rid, str) and rid:
            if ID_RE.fullmatch(rid) is None:
                problems.append(
                    Problem(
                        where,
                        "ids are letters, digits, '.', '_' and '-', starting with a letter or "
                        "digit",
                        label,
                        key,
                        row=row,
                    )
                )
            elif seen is not None and rid in seen:
                problems.append(
                    Problem(where, "duplicate id; each record needs its own", label, key, row=row)
                )
            if seen is not None:
                seen.add(rid)
        if not self.allowed.issuperset(item):
            declared = self.declared
            for name in item:
                if name in DERIVED:
                    problems.append(
                        Problem(where, "set by geobal; remove it", label, name, row=row)
                    )
                elif name not in declared:
                    problems.append(
                        Problem(
                            where,
                            f"unknown field; declared fields: {', '.join(sorted(declared))}",
                            label,
                            name,
                            row=row,
                        )
                    )
        record: Record = {}
        for name, f, required, quick in self.fields:
            raw = item.get(name)
            if quick is not None and raw is not None:
                value = quick(raw)
                if value is not SLOW:
                    record[name] = value
                    continue
            if blank(raw):
                if required:
                    problems.append(Problem(where, "missing required field", label, name, row=row))
                continue
            try:
                record[name] = f.type.from_toml(f, raw)
            except ValueProblem as err:
                problems.append(Problem(where, str(err), label, name, row=row))
        return record, problems


# Latin letters that compatibility decomposition (NFKD) leaves whole, as ids spell them
# ("ß" needs none: casefold makes it "ss"; U+0131 is the dotless i)
_LATIN = str.maketrans(
    {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ħ": "h",
     "\u0131": "i", "ŧ": "t", "ŋ": "ng", "ĸ": "k", "ŀ": "l"}
)  # fmt: skip


def slug(text: str) -> str:
    """Text as an id, its letters transliterated: "Su-57 talks" -> "su-57-talks",
    "Türkiye" -> "turkiye", "Ñandú" -> "nandu", "Øresund ٢٠٢٦" -> "oresund-2026".
    Text with no Latin letters or digits (all Cyrillic, say) gives "", which callers
    refuse."""
    text = text.casefold()
    if not text.isascii():
        text = unaccented(ascii_digits(text)).translate(_LATIN)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def unspelled(text: str) -> str:
    """The letters of `text` that `slug` cannot spell in Latin ones, and would drop (the
    Cyrillic es of "\u0421-400", say)."""
    if text.isascii():
        return ""
    spelled = unaccented(ascii_digits(text.casefold())).translate(_LATIN)
    return "".join(dict.fromkeys(c for c in spelled if c.isalpha() and not c.isascii()))


def cited(record: Record) -> list[str]:
    """The source ids a record cites."""
    value = record.get(SOURCES)
    return [str(v) for v in value] if isinstance(value, list) else []
