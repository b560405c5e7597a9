"""Filters, sorting, counting and field selection: pure functions from a dataset to a Frame.

No I/O and no Rich here. Every name and value the user typed is resolved against the
dataset's schema when the query is built, so a mistake is a UsageError before any
record is looked at, and running the query cannot fail.
"""

import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

from geobal.errors import UsageError
from geobal.fieldtypes import INTEGER, searchable, sort_key
from geobal.model import Columns, Dataset, Field, Frame, Record, SortKey, Value
from geobal.names import fold, lookup


class Op:
    """The operators of --where (plain strings: an enum costs start-up time)."""

    EQ = "="
    NE = "!="
    CONTAINS = "~"
    NOT_CONTAINS = "!~"
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    ALL = (EQ, NE, CONTAINS, NOT_CONTAINS, LT, LE, GT, GE)


_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    Op.LT: operator.lt,
    Op.LE: operator.le,
    Op.GT: operator.gt,
    Op.GE: operator.ge,
}
# compiled on first use (re caches it), so runs without --where do not pay for it
_WHERE = (
    r"\s*(?P<field>[A-Za-z_][A-Za-z0-9_-]*)\s*(?P<op>==|!=|!~|<=|>=|=|~|<|>)\s*(?P<value>.*?)\s*"
)
WHERE_HELP = (
    "expected FIELD OP VALUE, such as sector=air or year>=2018; "
    "operators: = != ~ (contains) !~ < <= > >="
)

COUNT = Field("count", INTEGER, "Count", "Records with this value.")

Predicate = Callable[[Record], bool]


class Condition(NamedTuple):
    field: Field
    op: str
    value: Value  # typed by the field; for ~ and !~ the case-folded text

    def predicate(self) -> Predicate:
        """The test, specialised once for the field's kind and the operator, so that
        filtering many records does no per-record dispatch or re-parsing."""
        field, name, target = self.field, self.field.name, self.value
        if self.op in (Op.CONTAINS, Op.NOT_CONTAINS):
            needle, want = str(target), self.op == Op.CONTAINS
            return lambda r: (
                ((v := r.get(name)) is not None and needle in searchable(field, v)) is want
            )
        if self.op in (Op.EQ, Op.NE):
            equal, want = field.type.equals(field, target), self.op == Op.EQ
            return lambda r: ((v := r.get(name)) is not None and equal(v)) is want
        test = field.type.ordering(field, _COMPARE[self.op], target)
        return lambda r: (v := r.get(name)) is not None and test(v)


class Query(NamedTuple):
    conditions: tuple[Condition, ...] = ()
    search: str | None = None  # case-folded text looked for in every field
    sort: tuple[SortKey, ...] | None = None  # None: the dataset's (or count's) default
    limit: int | None = None
    fields: tuple[Field, ...] | None = None  # None: every column
    count_by: Field | None = None


def field_named(fields: Sequence[Field], name: str, dataset: str) -> Field:
    """The field `name` names: exactly, or in any case with - and _ alike."""
    found = lookup("field", name, [f.name for f in fields], f" in {dataset}")
    return next(f for f in fields if f.name == found)


def condition(field: Field, op: str, text: str) -> Condition:
    """A filter from command-line text, typed by the field."""
    if op in (Op.CONTAINS, Op.NOT_CONTAINS):
        return Condition(field, op, fold(text))
    if op in _COMPARE and not field.type.ordered:
        raise UsageError(
            f"{field.name} is a {field.type.name} field, which has no order",
            "use = or != to match a value, or ~ to look for text in it",
        )
    return Condition(field, op, field.type.target(field, text))


def parse_where(fields: Sequence[Field], dataset: str, expr: str) -> Condition:
    m = re.fullmatch(_WHERE, expr, re.DOTALL)
    if m is None:
        raise UsageError(f"malformed --where {expr!r}", WHERE_HELP)
    value = m["value"]
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    op = Op.EQ if m["op"] == "==" else m["op"]
    return condition(field_named(fields, m["field"], dataset), op, value)


def build(
    dataset: Dataset,
    *,
    where: Iterable[str] = (),
    filters: Iterable[tuple[str, str, str | None]] = (),
    search: str | None = None,
    sort: Iterable[str] = (),
    desc: bool = False,
    limit: int | None = None,
    fields: str | None = None,
    count_by: str | None = None,
) -> Query:
    """Resolve what the user typed against the dataset's schema."""
    conditions = [parse_where(dataset.fields, dataset.name, w) for w in where]
    conditions += [
        condition(field_named(dataset.fields, name, dataset.name), op, text)
        for name, op, text in filters
        if text is not None
    ]
    counted = field_named(dataset.fields, count_by, dataset.name) if count_by else None
    columns = count_columns(counted) if counted else dataset.fields
    keys = tuple(_sort_key(columns, dataset.name, spec) for spec in sort) or None
    if desc:
        base = keys or default_sort(dataset, counted) or (SortKey(dataset.field_map[dataset.key]),)
        keys = tuple(SortKey(k.field, not k.descending) for k in base)
    if limit is not None and limit < 0:
        raise UsageError(f"--limit must be 0 (no limit) or more, not {limit}")
    chosen = pick_fields(columns, fields, dataset.name) if fields is not None else None
    return Query(
        tuple(conditions),
        fold(search) if search else None,
        keys,
        limit or None,
        chosen,
        counted,
    )


def pick_fields(columns: Sequence[Field], spec: str, dataset: str) -> tuple[Field, ...]:
    """The columns a --fields list names, in its order."""
    chosen = tuple(field_named(columns, n.strip(), dataset) for n in spec.split(",") if n.strip())
    if not chosen:
        raise UsageError(
            "--fields needs at least one field name",
            f"available: {', '.join(f.name for f in columns)}",
        )
    return chosen


def select(frame: Frame, spec: str | None) -> Frame:
    """Apply a --fields list to a frame built outside a dataset query."""
    if spec is None:
        return frame
    return frame._replace(
        columns=pick_fields(frame.columns, spec, "this listing"), table_columns=()
    )


def _sort_key(columns: Sequence[Field], dataset: str, spec: str) -> SortKey:
    name = spec.strip()
    return SortKey(field_named(columns, name.lstrip("-"), dataset), name.startswith("-"))


def count_columns(counted: Field) -> tuple[Field, Field]:
    """A count's columns: the value counted (a list's items, one by one) and the count."""
    return counted.type.element(counted).renamed("value", counted.title), COUNT


def default_sort(dataset: Dataset, counted: Field | None) -> tuple[SortKey, ...]:
    if counted is None:
        return dataset.sort
    value, count = count_columns(counted)
    return SortKey(count, True), SortKey(value)


def run(dataset: Dataset, query: Query, narrow: bool = False) -> Frame:
    """The frame a query asks for. With `narrow`, its rows may hold only the fields the
    query reads and shows (for a caller that renders the frame and nothing else)."""
    tests = [c.predicate() for c in query.conditions]
    if query.search is not None:
        folded, fields = query.search, dataset.fields
        tests.append(lambda r: bool(matching_fields(fields, r, folded)))
    records = dataset.records
    if narrow and isinstance(records, Columns):
        records = records.narrowed(_reads(dataset, query))
    if not tests:
        rows = list(records)
    elif len(tests) == 1:
        [test] = tests
        rows = [r for r in records if test(r)]
    else:
        rows = [r for r in records if all(test(r) for test in tests)]
    if query.count_by is not None:
        columns: tuple[Field, ...] = count_columns(query.count_by)
        rows = _count(query.count_by, rows)
        table_columns: tuple[str, ...] = ()
        noun = ("value", "values")
    else:
        columns, table_columns = dataset.fields, dataset.columns
        noun = ("record", "records")
    rows = sort_rows(rows, query.sort or default_sort(dataset, query.count_by))
    if query.limit:
        rows = rows[: query.limit]
    if query.fields is not None:
        columns, table_columns = query.fields, ()
    return Frame(dataset.title, columns, rows, noun, table_columns)


def _reads(dataset: Dataset, query: Query) -> list[str]:
    """The fields a query reads or shows."""
    if query.search is None and query.count_by is not None:
        shown: Iterable[Field] = [query.count_by]
    elif query.search is None and query.fields is not None:
        shown = [*query.fields, *(k.field for k in query.sort or dataset.sort)]
    else:
        shown = dataset.fields
    return [c.field.name for c in query.conditions] + [f.name for f in shown]


def matching_fields(fields: Sequence[Field], record: Record, folded: str) -> list[Field]:
    """The fields of a record whose text contains `folded` (already case-folded)."""
    return [
        f for f in fields if (v := record.get(f.name)) is not None and folded in searchable(f, v)
    ]


def _count(counted: Field, records: Iterable[Record]) -> list[Record]:
    counts: Counter[str | int | float | None] = Counter()
    for record in records:
        value = record.get(counted.name)
        if isinstance(value, list):
            counts.update(value)
        else:
            counts[value] += 1
    rows: list[Record] = []
    for value, n in counts.items():
        row: Record = {"count": n}
        if value is not None:
            row["value"] = value
        rows.append(row)
    return rows


def sort_rows(rows: list[Record], keys: Sequence[SortKey]) -> list[Record]:
    """Stable multi-key sort; records missing a key's field go last in either direction."""
    for key in reversed(keys):
        f = key.field
        present = [r for r in rows if r.get(f.name) is not None]
        missing = [r for r in rows if r.get(f.name) is None]
        present.sort(key=_key_of(f), reverse=key.descending)
        rows = present + missing
    return rows


def _key_of(f: Field) -> Callable[[Record], Any]:
    name = f.name
    return lambda r: sort_key(f, r[name])
