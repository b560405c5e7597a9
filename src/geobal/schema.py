"""Field types and validation: what a dataset file may declare, and what its values may be.

Everything here is pure: it turns parsed TOML into a `Dataset` (collecting every
`Problem` rather than stopping at the first), turns command-line text into typed
values, and turns typed values back into text for people and for machines.
"""

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from geobal.errors import DataError, UsageError
from geobal.model import Choice, Dataset, Field, FieldType, Problem, Record, SortKey, Value

SOURCES = "sources"  # the dataset every other dataset cites, and the field that cites it

SOURCES_FIELD = Field(
    SOURCES,
    FieldType.LIST,
    "Sources",
    "Ids of the entries in the sources dataset that this record relies on.",
    required=True,
    ref=SOURCES,
)

BUNDLED, USER = "bundled", "user"
ORIGIN_FIELD = Field(
    "origin",
    FieldType.CHOICE,
    "Origin",
    "Where the record comes from: bundled with geobal, or one of your files.",
    choices=(Choice(BUNDLED, "Bundled"), Choice(USER, "User")),
    derived=True,
)
FILE_FIELD = Field(
    "file",
    FieldType.TEXT,
    "File",
    "The file the record comes from: a bundled file's name, or the path of yours.",
    derived=True,
)

NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
# Dataset names become file names, so they can never hold a path separator or "..".
DATASET_NAME_RE = re.compile(r"^[a-z][a-z0-9_-]*$")
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

DATASET_KEYS = ("name", "title", "description", "key", "sort", "columns", "updated")
FIELD_KEYS = ("type", "title", "description", "required", "choices", "ref", "items")
LIST_ITEMS = (FieldType.TEXT, FieldType.INTEGER)
CHOICE_KEYS = ("value", "label", "aliases")
TYPE_NAMES = ", ".join(t.value for t in FieldType)


Report = Callable[[str], None]  # collects one problem found in the file being read


class ValueProblem(Exception):
    """A value that does not fit its field; the message says what was expected."""


# --- reading a dataset file -------------------------------------------------------


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
    if not DATASET_NAME_RE.match(name):
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
    elif by_name[key].type is not FieldType.TEXT:
        problem(f'[fields.{key}]: the key field must have type "text"')

    updated: str | None = None
    if "updated" in meta:
        try:
            updated = _date(meta["updated"])
        except ValueProblem as err:
            problem(f"[dataset]: updated: {err}")

    sort = tuple(_sort_keys(meta.get("sort", []), by_name, problem))
    columns = tuple(_column_names(meta.get("columns", []), by_name, problem))

    records = _build_records(doc.get("records", []), fields, key, where, problems)
    stamp(records, path, origin)
    if problems:
        raise DataError(
            str(problems[0]),
            _more(len(problems) - 1) + f"fix {where} and run the command again",
            problems,
        )
    return Dataset(
        name, title, description, key, tuple(fields), records, path, sort, columns, updated
    )


def stamp(records: list[Record], path: Path, origin: str) -> None:
    """Mark where records come from: a bundled file by its name, a user's by its path."""
    file = path.name if origin == BUNDLED else str(path)
    for record in records:
        record[ORIGIN_FIELD.name] = origin
        record[FILE_FIELD.name] = file


def build_extension(doc: Mapping[str, Any], path: Path, base: Dataset) -> list[Record]:
    """The records of a user's file that adds to a bundled dataset: a [dataset] table
    naming it and [[records]] in its schema, which the file cannot change."""
    where = str(path)
    problems: list[Problem] = []
    for key in doc:
        if key == "fields":
            problems.append(
                Problem(
                    where,
                    f"[fields] come from the bundled dataset "
                    f"{base.name!r}; remove them from this file",
                )
            )
        elif key not in ("dataset", "records"):
            problems.append(
                Problem(
                    where,
                    f"unknown top-level key {key!r}; a file adding to "
                    f"{base.name!r} holds [dataset] and [[records]]",
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
    records = _build_records(doc.get("records", []), list(base.fields), base.key, where, problems)
    if problems:
        raise DataError(
            str(problems[0]),
            _more(len(problems) - 1) + f"fix {where} and run the command again",
            problems,
        )
    stamp(records, path, USER)
    return records


def _more(n: int) -> str:
    return f"{n} more problem{'s' if n != 1 else ''} in this file; " if n else ""


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
        if not NAME_RE.match(name):
            problem(
                f"{where}: field names are lower-case letters, digits and _, starting with a letter"
            )
            continue
        if name in (ORIGIN_FIELD.name, FILE_FIELD.name):
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
        try:
            ftype = FieldType(str(spec.get("type")))
        except ValueError:
            problem(f"{where}: type must be one of {TYPE_NAMES}, not {describe(spec.get('type'))}")
            continue
        title = _text(spec, "title", where, problem, required=False) or _title(name)
        description = _text(spec, "description", where, problem, required=False) or ""
        required = spec.get("required", False)
        if not isinstance(required, bool):
            problem(f"{where}: required must be true or false")
            required = False
        ref = _text(spec, "ref", where, problem, required=False)
        if ref is not None and ftype not in (FieldType.TEXT, FieldType.LIST):
            problem(f"{where}: ref applies to text and list fields only")
        choices = _build_choices(spec.get("choices"), ftype, where, problem)
        items = FieldType.TEXT
        if "items" in spec:
            if ftype is not FieldType.LIST or spec["items"] not in LIST_ITEMS:
                problem(f'{where}: items applies to list fields, as "text" or "integer"')
            else:
                items = FieldType(spec["items"])
        fields.append(Field(name, ftype, title, description, required, choices, ref, items=items))
    if dataset != SOURCES:
        fields.append(SOURCES_FIELD)
    return [*fields, ORIGIN_FIELD, FILE_FIELD]


def _title(name: str) -> str:
    """A column title for a field that declares none: "value_unit" -> "Value unit"."""
    return "ID" if name == "id" else name.replace("_", " ").capitalize()


def _build_choices(
    raw: object, ftype: FieldType, where: str, problem: Report
) -> tuple[Choice, ...]:
    closed = ftype in (FieldType.CHOICE, FieldType.LEVEL)
    if raw is None:
        if closed:
            problem(
                f'{where}: a {ftype} field needs choices = [{{ value = "...", '
                'label = "..." }, ...]'
            )
        return ()
    if not closed:
        problem(f"{where}: choices apply to choice and level fields only")
        return ()
    if not isinstance(raw, list) or not raw:
        problem(f"{where}: choices must be a non-empty array of tables")
        return ()
    choices: list[Choice] = []
    seen: set[str] = set()
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
        aliases = item.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            problem(f"{at}: aliases must be an array of text")
            aliases = []
        words = {normalize(w) for w in (value, label, *aliases)}
        for word in sorted(words & seen):
            problem(f"{at}: {word!r} is already used by another choice")
        seen |= words
        choices.append(Choice(value, label, tuple(aliases)))
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
    raw: object, fields: list[Field], key: str, where: str, problems: list[Problem]
) -> list[Record]:
    if not isinstance(raw, list):
        problems.append(Problem(where, "records must be an array of tables: [[records]]"))
        return []
    known = {f.name for f in fields if not f.derived}
    records: list[Record] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            problems.append(Problem(where, "must be a table", f"#{index}"))
            continue
        rid = item.get(key)
        label = rid if isinstance(rid, str) and rid else f"#{index}"
        if isinstance(rid, str) and rid:
            if not ID_RE.match(rid):
                problems.append(
                    Problem(
                        where,
                        "ids are letters, digits, '.', '_' and '-', "
                        "starting with a letter or digit",
                        label,
                        key,
                    )
                )
            elif rid in seen:
                problems.append(
                    Problem(where, "duplicate id; each record needs its own", label, key)
                )
            seen.add(rid)
        for name in item:
            if name in (ORIGIN_FIELD.name, FILE_FIELD.name):
                problems.append(Problem(where, "set by geobal; remove it", label, name))
            elif name not in known:
                problems.append(
                    Problem(
                        where,
                        f"unknown field; declared fields: {', '.join(sorted(known))}",
                        label,
                        name,
                    )
                )
        record: Record = {}
        for f in fields:
            if f.derived:
                continue
            if f.name not in item:
                if f.required or f.name == key:
                    problems.append(Problem(where, "missing required field", label, f.name))
                continue
            try:
                record[f.name] = coerce(f, item[f.name])
            except ValueProblem as err:
                problems.append(Problem(where, str(err), label, f.name))
        records.append(record)
    return records


def slug(text: str) -> str:
    """Text as an id: "Su-57 talks" -> "su-57-talks"."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def cited(record: Record) -> list[str]:
    """The source ids a record cites."""
    value = record.get(SOURCES)
    return [str(v) for v in value] if isinstance(value, list) else []


# --- values -------------------------------------------------------------------------


def describe(value: object) -> str:
    """A TOML-flavoured description of a value, for error messages."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return f"the date-time {value.isoformat()}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "nothing" if value is None else type(value).__name__


def coerce(field: Field, raw: object) -> Value:
    """Check a value read from a dataset file against its field; return it normalised."""
    t = field.type
    if t is FieldType.TEXT:
        if isinstance(raw, str):
            return raw
        raise ValueProblem(f"expected text, got {describe(raw)}")
    if t is FieldType.INTEGER:
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        raise ValueProblem(f"expected a whole number, got {describe(raw)}")
    if t is FieldType.NUMBER:
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            if math.isfinite(raw):
                return raw
            raise ValueProblem("expected a finite number, got nan or inf")
        raise ValueProblem(f"expected a number, got {describe(raw)}")
    if t is FieldType.DATE:
        return _date(raw)
    if t is FieldType.LIST:
        if field.items is FieldType.INTEGER:
            if isinstance(raw, list) and all(
                isinstance(v, int) and not isinstance(v, bool) for v in raw
            ):
                return list(raw)
            raise ValueProblem(
                f"expected an array of whole numbers such as [2019, 2020], got {describe(raw)}"
            )
        if isinstance(raw, list) and all(isinstance(v, str) for v in raw):
            return list(raw)
        raise ValueProblem(f'expected an array of text such as ["a", "b"], got {describe(raw)}')
    if isinstance(raw, str) and raw in field.rank:
        return raw
    raise ValueProblem(f"expected one of {', '.join(field.rank)}, got {describe(raw)}")


def _date(raw: object) -> str:
    if isinstance(raw, dt.datetime):
        raise ValueProblem(f"expected a date without a time, got {describe(raw)}")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, str):
        return parse_date(raw)
    raise ValueProblem(f"expected a date such as 2018-10-05, 2018-10 or 2018, got {describe(raw)}")


def parse_date(text: str) -> str:
    """Accept a full or partial ISO date (YYYY, YYYY-MM, YYYY-MM-DD): sources often give
    only a month or a year, and geobal must not invent the rest."""
    m = DATE_RE.match(text.strip())
    if m:
        year, month, day = (int(g) if g else None for g in m.groups())
        try:
            dt.date(year or 1, month or 1, day or 1)
        except ValueError:
            pass
        else:
            return text.strip()
    raise ValueProblem(f"expected a date such as 2018-10-05, 2018-10 or 2018, got {text!r}")


def normalize(word: str) -> str:
    """Fold case, hyphens and underscores, so "cyber-defence" finds "Cyber Defence"."""
    return " ".join(word.replace("-", " ").replace("_", " ").casefold().split())


def resolve_choice(field: Field, text: str) -> str:
    """Find the choice a user means: its code, label or an alias, or an unambiguous
    prefix of one, in any case."""
    wanted = normalize(text)
    exact = [c for c in field.choices if wanted in _words(c)]
    if len(exact) == 1:
        return exact[0].value
    prefixed = [c for c in field.choices if wanted and any(w.startswith(wanted) for w in _words(c))]
    if len(prefixed) == 1:
        return prefixed[0].value
    valid = "valid values: " + ", ".join(f"{c.value} ({c.label})" for c in field.choices)
    if len(prefixed) > 1:
        raise UsageError(
            f"{text!r} is ambiguous for {field.name}: it could be "
            + " or ".join(c.value for c in prefixed),
            valid,
        )
    raise UsageError(f"unknown {field.name} {text!r}", valid)


def _words(choice: Choice) -> list[str]:
    return [normalize(w) for w in (choice.value, choice.label, *choice.aliases)]


def parse_input(field: Field, text: str) -> Value:
    """Turn command-line text into a value of the field's type, or raise UsageError."""
    t = field.type
    try:
        if t is FieldType.INTEGER:
            return int(text)
        if t is FieldType.NUMBER:
            number = float(text)
            return int(number) if number.is_integer() else number
        if t is FieldType.DATE:
            return parse_date(text)
    except (ValueError, ValueProblem):
        kind = {
            FieldType.INTEGER: "a whole number",
            FieldType.NUMBER: "a number",
            FieldType.DATE: "a date such as 2018-10-05, 2018-10 or 2018",
        }[t]
        raise UsageError(f"{field.name} takes {kind}, not {text!r}") from None
    if t in (FieldType.CHOICE, FieldType.LEVEL):
        return resolve_choice(field, text)
    return text


def display(field: Field, value: Value | None, list_sep: str = ", ") -> str:
    """A value as people read it: labels for choices, lists joined with `list_sep`."""
    if value is None:
        return ""
    if field.choices:
        return field.labels.get(str(value), str(value))
    if isinstance(value, list):
        return list_sep.join(str(v) for v in value)
    return _scalar(value)


def plain(field: Field, value: Value | None) -> str:
    """A value as CSV and TSV carry it: codes for choices, lists joined with "; "."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return _scalar(value)


def _scalar(value: str | int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sort_key(field: Field, value: Value) -> Any:
    """The ordering key of a present value: choices and levels in declared order."""
    if field.choices:
        return field.rank.get(str(value), len(field.choices))
    if isinstance(value, str):
        return value.casefold()
    if isinstance(value, list):
        return [v.casefold() if isinstance(v, str) else v for v in value]
    return value


_QUOTES = str.maketrans("\u2018\u2019\u201c\u201d", "''\"\"")


def fold(text: str) -> str:
    """Text as searches compare it: any case, and typographic quotes as plain ones, so
    "India's" finds "India\u2019s"."""
    return text.casefold().translate(_QUOTES)


def searchable(field: Field, value: Value) -> str:
    """The folded text a `~` filter or a search looks in: for choices both code and label."""
    if field.choices:
        return fold(f"{value}\n{field.labels.get(str(value), '')}")
    if isinstance(value, list):
        return fold("\n".join(str(v) for v in value))
    return fold(_scalar(value))
