"""The quick checks of a file's values (Kind.quick_toml) and the check of many records
at once (schema.RecordCheck) give what the full checks give, value and message alike,
and leave the full check every value they are not sure of."""

import datetime as dt
import math
import random

import pytest

from geobal.fieldtypes import (
    BOOLEAN,
    CHOICE,
    DATE,
    INTEGER,
    KINDS,
    LEVEL,
    LIST,
    NUMBER,
    SLOW,
    TEXT,
    URL,
    Kind,
    NumberText,
    ValueProblem,
)
from geobal.model import Choice, Field, Record
from geobal.schema import DERIVED, RecordCheck, check_record

CHOICES = (Choice("new", "New"), Choice("second-hand", "Second hand"), Choice("é", "E"))
FIELDS = [
    Field("id", TEXT, "ID"),
    Field("title", TEXT, "Title", required=True),
    Field("year", INTEGER, "Year"),
    Field("tiv", NUMBER, "TIV"),
    Field("status", CHOICE, "Status", choices=CHOICES),
    Field("level", LEVEL, "Level", choices=CHOICES),
    Field("done", BOOLEAN, "Done"),
    Field("on", DATE, "On"),
    Field("tags", LIST, "Tags"),
    Field("years", LIST, "Years", items=INTEGER),
    Field("link", URL, "Link"),
]

# values of every kind a file may give, the awkward ones above all
RAW: list[object] = [
    "", " ", "\t", "x", " x ", "é", "e\u0301", "\ud800", "new", "second-hand", "é",
    "https://example.org", "https://exa mple.org", "2024-02-29", "2023-02-29",
    0, -0, 1, -1, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 10**30, True, False,
    0.0, -0.0, 0.1, -2.5, 1e300, math.inf, -math.inf, math.nan,
    NumberText("0.1000000000000000055511151231257827"), NumberText("1" * 30),
    dt.date(2024, 2, 29), dt.datetime(2024, 2, 29, 1, 2), dt.time(1, 2),
    [], [""], [" "], ["a", "b"], ["a", ""], ["é"], ["\ud800"], [1, 2], [1, True], [2**63],
    [1, "a"], [[1]], [{"a": 1}], {"a": 1}, None,
]  # fmt: skip


def _full(kind: Kind, field: Field, raw: object) -> object:
    try:
        return ("value", type(kind.from_toml(field, raw)), kind.from_toml(field, raw))
    except ValueProblem as err:
        return ("problem", type(err), str(err))


@pytest.mark.parametrize("field", FIELDS, ids=[f.name for f in FIELDS])
def test_a_quick_check_gives_the_full_check_s_value_or_leaves_it(field: Field) -> None:
    quick = field.type.quick_toml(field)
    if field.type in (DATE, URL):
        assert quick is None  # none: every value is checked in full
        return
    assert quick is not None
    quicker = 0
    for raw in RAW:
        got = quick(raw)
        if got is SLOW:
            continue
        quicker += 1
        assert ("value", type(got), got) == _full(field.type, field, raw), raw
        if isinstance(got, float):
            assert math.copysign(1, got) == 1 or got != 0, raw  # never a signed zero
    assert quicker > 0


def test_what_the_quick_checks_leave_to_the_full_ones() -> None:
    by_name = {f.name: f for f in FIELDS}

    def left(name: str, raw: object) -> bool:
        quick = by_name[name].type.quick_toml(by_name[name])
        return quick is not None and quick(raw) is SLOW

    assert all(left("title", raw) for raw in ("", " ", "é", "e\u0301", "\ud800", 1, None))
    assert all(left("year", raw) for raw in (True, 2**63, 1.0, "1"))
    assert all(left("tiv", raw) for raw in (0.0, -0.0, math.nan, math.inf, 2**63, True))
    assert left("tiv", NumberText("0.1000000000000000055511151231257827"))
    assert all(left("status", raw) for raw in ("New", "", "x", 1))
    assert all(left("tags", raw) for raw in ([], ["é"], [""], [1], "a"))
    assert all(left("years", raw) for raw in ([], [True], [2**63], ["1"]))
    assert left("done", 1) and left("done", "true")


def test_a_choice_with_a_blank_value_is_checked_in_full() -> None:
    field = Field("status", CHOICE, "Status", choices=(Choice(" ", "Blank"), Choice("a", "A")))
    assert CHOICE.quick_toml(field) is None


def test_every_kind_s_quick_check_is_tested_here() -> None:
    assert {f.type.name for f in FIELDS} == set(KINDS)


def _check_in_full(item: dict[str, object], seen: set[str]) -> tuple[Record, list[str]]:
    """check_record with every quick check left out."""
    fields = [f.with_choices(f.choices) for f in FIELDS]
    check = RecordCheck(fields, "id")
    check.fields = [(name, f, required, None) for name, f, required, _ in check.fields]
    record, problems = check(item, "x.toml", "label", None, seen)
    return record, [str(p) for p in problems]


def test_records_are_checked_alike_with_and_without_the_quick_checks() -> None:
    rng = random.Random(24)
    names = [f.name for f in FIELDS] + ["other", *DERIVED]
    check = RecordCheck(FIELDS, "id")
    seen_quick: set[str] = set()
    seen_full: set[str] = set()
    for _ in range(3000):
        item = {n: rng.choice(RAW) for n in rng.sample(names, rng.randint(0, len(names)))}
        if rng.random() < 0.7:
            item["id"] = rng.choice(["a", "b", "c-1", "-x", "é"])
        record, problems = check(item, "x.toml", "label", None, seen_quick)
        full, full_problems = _check_in_full(item, seen_full)
        assert list(record) == list(full) and all(
            type(record[k]) is type(full[k]) and repr(record[k]) == repr(full[k]) for k in record
        ), item
        assert [str(p) for p in problems] == full_problems, item
        one = check_record(FIELDS, "id", item, "x.toml", "label")
        assert repr(one) == repr(check(item, "x.toml", "label")), item
