"""Filters, sorting, counting and field selection: pure functions from a dataset to a Frame.

No I/O and no Rich here. Every name and value the user typed is resolved against the
dataset's schema when the query is built, so a mistake is a UsageError before any
record is looked at; running the query fails only where the records themselves forbid
an answer (an aggregate over values in different units).
"""

import math
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from geobal.errors import DataError, MalformedWhere, UsageError
from geobal.fieldtypes import (
    INT64_MAX,
    INT64_MIN,
    INT64_RANGE,
    INTEGER,
    NUMBER,
    TEXT,
    Refused,
    exact_number,
    searchable,
    sort_key,
)
from geobal.model import Columns, Dataset, Field, Record, SortKey, Value
from geobal.names import fold, lookup
from geobal.views import Frame

if TYPE_CHECKING:
    from decimal import Decimal


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


class Aggregate(NamedTuple):
    """One of --sum, --mean, --min, --max over a field, for each group of --count-by
    (or all the records as one group)."""

    how: str  # sum, mean, min or max
    field: Field

    @property
    def name(self) -> str:
        return f"{self.field.name}_{self.how}"

    def column(self) -> Field:
        title = f"{self.field.title} {self.how}"
        if self.how == "mean":
            return Field(self.name, NUMBER, title, f"The mean of {self.field.name}.")
        column = self.field.renamed(self.name, title)
        column.description = f"The {self.how} of {self.field.name}, empty values skipped."
        return column


def skipped_column(field: Field) -> Field:
    """How many records of a group have no value of an aggregated field."""
    return Field(
        f"{field.name}_skipped",
        INTEGER,
        f"{field.title}: empty",
        f"Records of the group with no {field.name}, which the aggregates skip.",
    )


def aggregate(how: str, field: Field) -> Aggregate:
    """An aggregate the user asked for, refused where it means nothing for the field."""
    if how in ("sum", "mean") and not field.numeric:
        raise UsageError(
            f"--{how} needs a number field; {field.name} is a {field.type.name} field",
            "use --min or --max for dates, levels and text, or --count-by to count values",
        )
    if how in ("min", "max") and not field.type.ordered:
        raise UsageError(
            f"--{how} needs a field with an order; {field.name} is a {field.type.name} field",
            "use --count-by to count its values",
        )
    return Aggregate(how, field)


# Condition, AnyOf and Query are plain classes: a NamedTuple costs every run about
# 0.2 ms to define.
class Condition:
    __slots__ = ("field", "op", "value")

    def __init__(self, field: Field, op: str, value: Value) -> None:
        self.field = field
        self.op = op
        self.value = value  # typed by the field; for ~ and !~ the case-folded text

    def predicate(self) -> Predicate:
        """The test, specialised once for the field's kind and the operator, so that
        filtering many records does no per-record dispatch or re-parsing."""
        field, name, target = self.field, self.field.name, self.value
        if self.op in (Op.CONTAINS, Op.NOT_CONTAINS):
            needle, want = str(target), self.op == Op.CONTAINS
            return lambda r: (
                ((v := r.get(name)) is not None and needle in searchable(field, v)) is want
            )
        if self.op in (Op.EQ, Op.NE) and field.country:
            return _country(name, str(target), self.op == Op.EQ)
        if self.op in (Op.EQ, Op.NE):
            equal, want = field.type.equals(field, target), self.op == Op.EQ
            return lambda r: ((v := r.get(name)) is not None and equal(v)) is want
        test = field.type.ordering(field, _COMPARE[self.op], target)
        return lambda r: (v := r.get(name)) is not None and test(v)


def _country(name: str, text: str, want: bool) -> Predicate:
    """= (or != with `want` false) on a country field: the country `text` names by any
    of its names (geobal.analysis.parties, as shares --recipient reads them), in any
    case and with accents folded."""
    from geobal.analysis.parties import other_names
    from geobal.names import key

    wanted = {key(n) for n in (text, *other_names(text))}
    known: dict[str, bool] = {}  # a register names a few hundred countries many times

    def matches(value: str) -> bool:
        if (found := known.get(value)) is None:
            found = known[value] = key(value) in wanted
        return found

    return lambda r: ((v := r.get(name)) is not None and matches(str(v))) is want


class AnyOf:
    """A filter given several values (--status signed --status proposed): a record
    passes when it meets any of them."""

    __slots__ = ("conditions", "field")

    def __init__(self, field: Field, conditions: tuple[Condition, ...]) -> None:
        self.field = field
        self.conditions = conditions

    def predicate(self) -> Predicate:
        tests = [c.predicate() for c in self.conditions]
        return lambda r: any(test(r) for test in tests)


# A filter a command applies: a field, an operator, and the text of one value, or of
# several (any of which may match), or None when the user gave none.
Filter = tuple[str, str, str | Sequence[str] | None]


class Query:
    __slots__ = ("aggregates", "conditions", "count_by", "fields", "limit", "search", "sort")

    def __init__(
        self,
        conditions: tuple[Condition | AnyOf, ...] = (),
        search: str | None = None,
        sort: tuple[SortKey, ...] | None = None,
        limit: int | None = None,
        fields: tuple[Field, ...] | None = None,
        count_by: Field | None = None,
        aggregates: tuple[Aggregate, ...] = (),
    ) -> None:
        self.conditions = conditions
        self.search = search  # case-folded text looked for in every field
        self.sort = sort  # None: the dataset's (or count's) default
        self.limit = limit
        self.fields = fields  # None: every column
        self.count_by = count_by
        self.aggregates = aggregates

    @property
    def grouped(self) -> bool:
        """Rows of groups (value, count, aggregates) rather than of records."""
        return self.count_by is not None or bool(self.aggregates)


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


def alternatives(field: Field, op: str, text: str) -> list[str]:
    """The values a filter's text names: for = on a choice or level field, a comma list
    (codes hold no comma); else the text whole. A field some of whose names hold a comma
    is matched one value a time: a comma there could be part of a label."""
    if op != Op.EQ or not field.type.closed or "," not in text:
        return [text]
    if any("," in n for c in field.choices for n in (c.value, c.label, *c.aliases)):
        raise UsageError(
            f"{field.name} has values whose names hold a comma, so {text!r} may be one "
            "value or several",
            "give the value by its code, and repeat the option for each value",
        )
    return [part.strip() for part in text.split(",") if part.strip()] or [text]


def filter_condition(field: Field, op: str, texts: Sequence[str]) -> Condition | AnyOf:
    """The condition a filter given one value or several asks for."""
    values = [v for text in texts for v in alternatives(field, op, text)]
    found = tuple(condition(field, op, v) for v in values)
    return found[0] if len(found) == 1 else AnyOf(field, found)


def parse_where(fields: Sequence[Field], dataset: str, expr: str) -> Condition:
    m = re.fullmatch(_WHERE, expr, re.DOTALL)
    if m is None:
        raise MalformedWhere(expr, WHERE_HELP)
    value = m["value"]
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    op = Op.EQ if m["op"] == "==" else m["op"]
    return condition(field_named(fields, m["field"], dataset), op, value)


def build(
    dataset: Dataset,
    *,
    where: Iterable[str] = (),
    filters: Iterable[Filter] = (),
    search: str | None = None,
    sort: Iterable[str] = (),
    desc: bool = False,
    limit: int | None = None,
    fields: str | None = None,
    count_by: str | None = None,
    aggregates: Iterable[tuple[str, str]] = (),
) -> Query:
    """Resolve what the user typed against the dataset's schema; `aggregates` are
    pairs of (sum, mean, min or max) and a field name; a filter given several values
    matches any of them."""
    conditions: list[Condition | AnyOf] = [
        parse_where(dataset.fields, dataset.name, w) for w in where
    ]
    conditions += [
        filter_condition(
            field_named(dataset.fields, name, dataset.name),
            op,
            [text] if isinstance(text, str) else text,
        )
        for name, op, text in filters
        if text is not None and (isinstance(text, str) or text)
    ]
    counted = field_named(dataset.fields, count_by, dataset.name) if count_by else None
    wanted = tuple(
        aggregate(how, field_named(dataset.fields, name, dataset.name)) for how, name in aggregates
    )
    wanted = tuple(dict.fromkeys(wanted))  # --sum x --sum x: one column
    grouped = counted is not None or bool(wanted)
    columns = group_columns(counted, wanted) if grouped else dataset.fields
    keys = tuple(_sort_key(columns, dataset.name, spec) for spec in sort) or None
    if desc:
        base = (
            keys
            or default_sort(dataset, counted, grouped)
            or (SortKey(dataset.field_map[dataset.key]),)
        )
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
        wanted,
    )


def pick_fields(columns: Sequence[Field], spec: str, dataset: str) -> tuple[Field, ...]:
    """The columns a --fields list names, in its order; a field named twice is an error,
    as JSON would hold its key twice and CSV two columns of one name."""
    typed: dict[str, str] = {}  # field name -> as the list names it
    chosen: list[Field] = []
    for n in (n.strip() for n in spec.split(",")):
        if not n:
            continue
        field = field_named(columns, n, dataset)
        if field.name in typed:
            first = typed[field.name]
            also = "" if first == n else f" (as {first} and {n})"
            raise UsageError(f"--fields names {field.name} twice{also}", "give each field once")
        typed[field.name] = n
        chosen.append(field)
    if not chosen:
        raise UsageError(
            "--fields needs at least one field name",
            f"available: {', '.join(f.name for f in columns)}",
        )
    return tuple(chosen)


def select(frame: Frame, spec: str | None) -> Frame:
    """Apply a --fields list to a frame built outside a dataset query."""
    if spec is None:
        return frame
    picked = pick_fields(frame.columns, spec, "this listing")
    # the fields named are the fields shown, in every format
    return frame._replace(columns=picked, table_columns=tuple(f.name for f in picked))


def _sort_key(columns: Sequence[Field], dataset: str, spec: str) -> SortKey:
    name = spec.strip()
    return SortKey(field_named(columns, name.lstrip("-"), dataset), name.startswith("-"))


def count_columns(counted: Field) -> tuple[Field, Field]:
    """A count's columns: the value counted (a list's items, one by one), named after its
    field so that a grouping's rows say what they were grouped by, and the count."""
    if counted.name == COUNT.name:
        raise UsageError(
            f"--count-by {counted.name}: the field's name is that of the count column",
            "count its values with --where and --sum, or rename the field",
        )
    return counted.type.element(counted).renamed(counted.name, counted.title), COUNT


def group_columns(counted: Field | None, aggregates: Sequence[Aggregate]) -> tuple[Field, ...]:
    """A grouping's columns: the value and count (only the count without --count-by),
    each aggregate, and for each field aggregated how many records had no value."""
    head = count_columns(counted) if counted is not None else (COUNT,)
    fields = dict.fromkeys(a.field for a in aggregates)
    # grouped by the unit field itself, the key already says each group's unit
    units = dict.fromkeys(
        Field(f.unit, TEXT, "Unit", f"The unit of {f.name}.")
        for f in fields
        if f.unit and f.unit != head[0].name
    )
    columns = (
        *head,
        *(a.column() for a in aggregates),
        *units,
        *map(skipped_column, fields),
    )
    if counted is not None and [c.name for c in columns].count(counted.name) > 1:
        # two columns of one name: JSON would keep one, and a group's key be lost
        raise UsageError(
            f"--count-by {counted.name}: the field's name is that of another column of "
            "the grouping (an aggregate's, a unit's or a count of missing values)",
            "count by another field, or rename the field",
        )
    return columns


def default_sort(
    dataset: Dataset, counted: Field | None, grouped: bool = False
) -> tuple[SortKey, ...]:
    if counted is None:
        return () if grouped else dataset.sort
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
    caption = ""
    if query.grouped:
        _not_twice(dataset, query, rows)
        columns: tuple[Field, ...] = group_columns(query.count_by, query.aggregates)
        rows = group(query.count_by, query.aggregates, rows)
        table_columns, caption = _skips(columns, query.aggregates, rows)
        noun = ("value", "values") if query.count_by is not None else ("group", "groups")
    else:
        columns, table_columns = dataset.fields, dataset.columns
        noun = ("record", "records")
    rows = sort_rows(rows, query.sort or default_sort(dataset, query.count_by, query.grouped))
    if query.limit:
        rows = rows[: query.limit]
    if query.fields is not None:
        columns, table_columns = query.fields, tuple(f.name for f in query.fields)
    return Frame(dataset.title, columns, rows, noun, table_columns, caption)


CREDIT_COLUMN = Field(
    "credit", TEXT, "Credit", "Where the data come from; the figures are geobal's."
)


def credited(frame: Frame, credit: str, line: str, column: bool) -> Frame:
    """A grouping of data whose publisher asks to be credited: `line` under its table
    and after Markdown, and with `column` (columns not chosen by --fields) `credit` in a
    column of every row, so that the machine formats carry it too."""
    caption = f"{frame.caption} {line}" if frame.caption else line
    if not column:
        return frame._replace(caption=caption)
    rows = [{**row, CREDIT_COLUMN.name: credit} for row in frame.rows]
    # a table says it once, under the rows
    table = frame.table_columns or tuple(f.name for f in frame.columns)
    return frame._replace(
        columns=(*frame.columns, CREDIT_COLUMN), rows=rows, table_columns=table, caption=caption
    )


def _skips(
    columns: Sequence[Field], aggregates: Sequence[Aggregate], rows: Sequence[Record]
) -> tuple[tuple[str, ...], str]:
    """The columns a grouping's table shows (not the counts of empty values, which its
    caption sums up) and that caption."""
    said, hidden = [], set()
    for field in dict.fromkeys(a.field for a in aggregates):
        name = skipped_column(field).name
        hidden.add(name)
        if n := sum(v for r in rows if isinstance(v := r.get(name), int)):
            said.append(f"{n} record{'s' if n != 1 else ''} with no {field.name}")
    shown = tuple(f.name for f in columns if f.name not in hidden)
    caption = f"Aggregates skip empty values: {', '.join(said)}." if said else ""
    return shown, caption


def _reads(dataset: Dataset, query: Query) -> list[str]:
    """The fields a query reads or shows."""
    if query.search is None and query.grouped:
        shown: Iterable[Field] = [
            *([query.count_by] if query.count_by is not None else []),
            *(a.field for a in query.aggregates),
            # the field giving an aggregated field's unit, which the grouping checks
            *(dataset.field_map[a.field.unit] for a in query.aggregates if a.field.unit),
            # a row of totals, which a grouping must not take with the rows it totals
            *(f for f in dataset.fields if f.totals),
        ]
    elif query.search is None and query.fields is not None:
        shown = [*query.fields, *(k.field for k in query.sort or dataset.sort)]
    else:
        shown = dataset.fields
    # the sources a row cites: its provenance, whether or not they are shown
    cited = ["sources"] if "sources" in dataset.field_map else []
    return [c.field.name for c in query.conditions] + [f.name for f in shown] + cited


def _not_twice(dataset: Dataset, query: Query, rows: Sequence[Record]) -> None:
    """Refuse a grouping that would take rows of totals (a field declared `totals`,
    true on SIPRI's "Total world export") together with the rows they total: each
    figure would be counted twice, and a total listed as one of the countries."""
    for f in dataset.fields:
        if not f.totals or (query.count_by is not None and query.count_by.name == f.name):
            continue
        name = f.name
        totals = sum(1 for r in rows if r.get(name) is True)
        if 0 < totals < len(rows):
            raise UsageError(
                f"{dataset.name!r} holds {totals} {'row' if totals == 1 else 'rows'} of "
                f"totals (field {name} true) among the {len(rows)} rows chosen: grouped "
                "together, each figure would count twice",
                f"add --where '{name}!=true' for the rows, or --where {name}=true for the totals",
            )


def matching_fields(fields: Sequence[Field], record: Record, folded: str) -> list[Field]:
    """The fields of a record whose text contains `folded` (already case-folded)."""
    return [
        f for f in fields if (v := record.get(f.name)) is not None and folded in searchable(f, v)
    ]


def group(
    counted: Field | None, aggregates: Sequence[Aggregate], records: Iterable[Record]
) -> list[Record]:
    """A row a value of `counted` (a list's items one by one; all the records as one
    group without it): the value, how many records hold it, and each aggregate over
    those records' values, with how many had none. A field whose values come in a unit
    that another field names (deals' value in value_unit) is aggregated only where the
    group's values share one unit, which the row then carries."""
    groups: dict[Any, list[Record]] = {}
    if counted is None:
        groups[None] = list(records)
    else:
        name = counted.name
        for record in records:
            value = record.get(name)
            for v in value if isinstance(value, list) else (value,):
                groups.setdefault(v, []).append(record)
    fields = list(dict.fromkeys(a.field for a in aggregates))
    rows: list[Record] = []
    for value, members in groups.items():
        row: Record = {"count": len(members)}
        where = ""  # the group, as an error names it
        if value is not None and counted is not None:
            row[counted.name] = value
            where = f" for {counted.name} = {value}"
        for field in fields:
            held = [r for r in members if r.get(field.name) is not None]
            row[f"{field.name}_skipped"] = len(members) - len(held)
            if field.unit is not None and held:
                row[field.unit] = _one_unit(field, held, value, counted)
            values = [r[field.name] for r in held]
            for a in aggregates:
                result = _reduce(a, values, where) if a.field is field and values else None
                if result is not None:
                    row[a.name] = result
        rows.append(row)
    return rows


def _one_unit(field: Field, held: Sequence[Record], value: Value, counted: Field | None) -> Value:
    """The one unit all these records give their value of `field` in; an error, naming
    the units, where they differ (adding US$ billion to Rs crore gives no figure)."""
    unit = str(field.unit)
    units = {r.get(unit) for r in held}
    if len(units) == 1 and (found := units.pop()) is not None:
        return found
    said = ", ".join(sorted(repr(u) if u is not None else "none given" for u in units))
    where = f" for {counted.name} = {value}" if counted is not None and value is not None else ""
    raise UsageError(
        f"{field.name} comes in {unit}, and the records{where} mix units ({said}): "
        "geobal will not add or compare them",
        f"keep to one unit with --where '{unit}=...', or group by it with --count-by {unit}",
    )


def _reduce(a: Aggregate, values: list[Value], where: str = "") -> Value | None:
    """The aggregate of `values` (of a group: `where` names it for an error)."""
    if a.how in ("min", "max"):
        pick = min if a.how == "min" else max
        return pick(values, key=lambda v: sort_key(a.field, v))
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if a.how == "mean":
        return float(_decimal_sum(numbers) / len(numbers))  # between the least and most
    return _held(a, exact_sum(numbers), where)


def _held(a: Aggregate, total: int | float, where: str = "") -> int | float:
    """A sum as its field's type holds it, or a DataError naming the field and the
    aggregate: a float past 1.8e308 is no figure, and past 64 bits a whole number is
    one no integer field holds (a number field holds it only where a float is it)."""
    if isinstance(total, int) and not INT64_MIN <= total <= INT64_MAX:
        if a.field.type.name == "number":
            try:
                return exact_number(str(total))
            except Refused as err:
                why: str = f"the sum {err}"
        else:
            why = f"the sum, {total}, is past what an integer field holds, {INT64_RANGE}"
    elif isinstance(total, float) and not math.isfinite(total):
        why = "the sum is past what a number field holds (64-bit floats, up to about 1.8e308)"
    else:
        return total
    raise DataError(
        f"--sum {a.field.name}{where}: {why}",
        "sum fewer records at a time (--where, --count-by), or give the figures in a larger unit",
    )


def _decimal_sum(numbers: Sequence[int | float]) -> "Decimal":
    """The exact sum of figures as written: a float's shortest repr is its decimal."""
    from decimal import Decimal, localcontext

    with localcontext() as exact:
        exact.prec = 200  # more digits than any sum of floats has: no rounding until the end
        return sum(
            (Decimal(repr(n)) if isinstance(n, float) else Decimal(n) for n in numbers),
            Decimal(0),
        )


def exact_sum(numbers: Sequence[int | float]) -> int | float:
    """The sum as the figures were written: 0.1 + 0.2 is 0.3, not 0.30000000000000004.
    A float here was read from decimal text, so its shortest repr is that text; adding
    those decimals exactly and rounding once gives the figure an analyst adding them by
    hand would get. A float sum past 1.8e308 is inf, for the caller to refuse."""
    if all(isinstance(n, int) for n in numbers):
        return sum(numbers)
    return float(_decimal_sum(numbers))


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
