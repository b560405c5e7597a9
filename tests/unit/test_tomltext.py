"""geobal.tomltext: statements found where a TOML parser finds them, and records
changed in place."""

import math
import tomllib
from typing import Any

import pytest

from geobal.tomltext import (
    LayoutError,
    NotEditable,
    record_blocks,
    set_values,
    statements,
)
from tests.conftest import corpus


def _node(doc: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """The table `path` names, following each array of tables to its last table, as a
    parser does while it reads."""
    node: Any = doc
    for part in path:
        node = node.setdefault(part, {})
        if isinstance(node, list):
            node = node[-1]
    assert isinstance(node, dict)
    return node


def rebuilt(text: str) -> dict[str, Any]:
    """The document built from the statements alone, each value parsed from its span."""
    doc: dict[str, Any] = {}
    table: tuple[str, ...] = ()
    for st in statements(text):
        if st.kind == "array":
            _node(doc, st.key[:-1]).setdefault(st.key[-1], []).append({})
        elif st.kind == "table":
            _node(doc, st.key)
        if st.kind != "value":
            table = st.key
            continue
        assert st.value is not None
        value = tomllib.loads("v = " + text[st.value[0] : st.value[1]])["v"]
        _node(doc, table + st.key[:-1])[st.key[-1]] = value
    return doc


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@pytest.mark.parametrize("whole", [False, True], ids=["sample", "whole"])
def test_every_valid_document_is_its_statements(whole: bool) -> None:
    """Each value's span holds exactly the value the parser reads at that key: the
    document rebuilt from the spans alone is the document."""
    docs = corpus("valid", whole)
    read = 0
    for path in docs:
        text = path.read_bytes().decode("utf-8")
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            continue  # TOML 1.1 documents, which Python's parser does not read yet
        read += 1
        assert _same(rebuilt(text), doc), path
    assert read > (10 if not whole else 180)


RECORDS = '''\
# my notes
[dataset]
name = "notes"
key = "id"

[fields.id]
type = "text"
[fields.kind]
type = "choice"
choices = [{ value = "a" }, { value = "b", label = "B" }]

# the first
[[records]]
id = "one"   # a comment after
note = """
[[records]]
id = "not-a-record"
"""
tags = [
  "x",  # first
  "[y]",
]

[[ records ]]  # the second
"id" = 'two'
kind = "a"
'''


def test_records_are_found_by_reading_not_by_pattern() -> None:
    blocks = record_blocks(RECORDS, "id")
    assert [b.rid for b in blocks] == ["one", "two"]
    first, second = (RECORDS[b.start : b.end] for b in blocks)
    assert first.startswith('[[records]]\nid = "one"') and first.endswith('  "[y]",\n]\n')
    assert second == '[[ records ]]  # the second\n"id" = \'two\'\nkind = "a"\n'


def test_a_value_is_changed_where_it_stands() -> None:
    block = RECORDS[record_blocks(RECORDS, "id")[0].start : record_blocks(RECORDS, "id")[0].end]
    changed = set_values(block, {"id": '"one"', "tags": '["z"]', "note": None, "kind": '"b"'})
    assert changed == '[[records]]\nid = "one"   # a comment after\ntags = ["z"]\nkind = "b"\n'
    second = RECORDS[record_blocks(RECORDS, "id")[1].start :]
    assert set_values(second, {"kind": None}) == "[[ records ]]  # the second\n\"id\" = 'two'\n"


def test_a_crlf_block_gets_crlf_lines() -> None:
    block = '[[records]]\r\nid = "a"\r\n'
    assert set_values(block, {"n": "1"}) == '[[records]]\r\nid = "a"\r\nn = 1\r\n'
    assert set_values('[[records]]\nid = "a"', {"n": "1"}) == '[[records]]\nid = "a"\nn = 1\n'


@pytest.mark.parametrize(
    "text",
    [
        'records = [{ id = "a" }]\n',
        '[[records]]\nid = "a"\n[records.extra]\nx = 1\n',
        '[[records]]\nid = "a"\n[[records.more]]\nx = 1\n',
    ],
)
def test_records_written_another_way_are_not_edited(text: str) -> None:
    with pytest.raises(NotEditable):
        record_blocks(text, "id")


def test_what_is_not_toml_says_where() -> None:
    with pytest.raises(LayoutError) as info:
        list(statements("a = 1\nb = [1, 2\nc = 3\n"))
    assert info.value.position > 0
