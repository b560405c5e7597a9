"""A quick reader for the TOML geobal writes, tried before tomllib on every file: the
[[records]] of a 12 MB register take tomllib about 3 s, this reader about a third.

It reads only the part of a file after its first `[[records]]` line, and only what it
recognises exactly there: `[[records]]` headers, blank lines, whole-line comments, and
`key = value` lines with a bare key and one space either side of `=`, whose value is a
basic string (its escapes \\b \\t \\n \\f \\r \\" \\\\ \\uXXXX \\UXXXXXXXX), a multi-line
basic string, a decimal integer, a float of digits with a point or an exponent or
both (no underscore, no plus sign before it), true, false, a date, or an array of
those (on one line as `["a", "b"]` or over several, spaces and newlines around its
items and commas). Everything before that
line (the [dataset] table, the fields, whatever is written there) is tomllib's to read.

On anything else (a trailing comment, a literal string, a dotted or quoted key, an
inline table, inf or nan, an underscore, a time, a datetime, a carriage return, a key
given twice, another table after the records...) it declines, and the caller reads the
WHOLE file with tomllib, so that every value is tomllib's and every error is tomllib's,
with its line and column. It never raises: a value it is unsure of is a reason to
decline, never to guess.
"""

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

HEADER = "[[records]]"

_KEY = re.compile(r"[A-Za-z0-9_-]+")
_BASIC_RE = r'"(?:[^"\\\x00-\x08\x0a-\x1f\x7f]|\\[btnfr"\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*"'
# A multi-line basic string: no quote may touch the closing one (`""""` is declined), and a
# backslash that ends a line takes the whitespace after it, newlines included.
_MULTI = re.compile(
    r'"""(?:[^"\\\x00-\x08\x0b-\x1f\x7f]|"(?!")|""(?!")'
    r'|\\[btnfr"\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}|\\[ \t]*\n[ \t\n]*)*"""'
)
_ESCAPE = re.compile(r'\\(?:([btnfr"\\])|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|[ \t]*\n[ \t\n]*)')
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_PLAIN_TEXT, _INTEGER, _DECIMAL, _TRUE, _FALSE, _DAY, _ESCAPED = range(1, 8)  # _VALUE's groups
_VALUE_RE = (
    r'"([^"\\\x00-\x08\x0a-\x1f\x7f]*)"'
    r"|(-?(?:0|[1-9][0-9]*))"
    # a float as tomllib hands it to parse_float (its text, less underscores: none here)
    r"|(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:[eE][+-]?[0-9]+)?|[eE][+-]?[0-9]+))"
    r"|(true)|(false)"
    r"|([0-9]{4}-[0-9]{2}-[0-9]{2})"
    f"|({_BASIC_RE})"
)
_VALUE = re.compile(_VALUE_RE)
_ITEM_LINE = re.compile(f"    (?:{_VALUE_RE}),")  # an array's item as tomli-w writes it
_COMMENT = re.compile(r"#[^\x00-\x08\x0a-\x1f\x7f]*")
# where an item of a one-line array starts: a string, or a run of what the other scalars
# are written with (checked whole by _scalar)
_TOKEN = re.compile(_BASIC_RE + r"|[-0-9a-z.]+")
_GAP = re.compile(r"[ \n]*")  # between the items of an array


class _Decline(Exception):
    """Not what this reader reads exactly: tomllib reads the whole file."""


def _unescape(m: re.Match[str]) -> str:
    if m[1]:
        return _SIMPLE_ESCAPES[m[1]]
    code = m[2] or m[3]
    if code is None:
        return ""  # a backslash ending a line of a multi-line string
    point = int(code, 16)
    if 0xD800 <= point <= 0xDFFF or point > 0x10FFFF:
        raise _Decline  # tomllib's error: not a Unicode scalar value
    return chr(point)


def _scalar(text: str, parse_float: Callable[[str], Any]) -> Any:
    m = _VALUE.fullmatch(text)
    if m is None:
        raise _Decline
    return _value(m, parse_float)


def _value(m: re.Match[str], parse_float: Callable[[str], Any]) -> Any:
    kind = m.lastindex
    text = m[kind or 0]
    if kind == _PLAIN_TEXT:
        return m[_PLAIN_TEXT]
    if kind == _INTEGER:
        return int(text)  # more digits than Python converts: ValueError, a decline
    if kind == _DECIMAL:
        value = parse_float(text)
        if isinstance(value, dict | list):
            raise _Decline  # tomllib refuses such a parse_float
        return value
    if kind == _TRUE:
        return True
    if kind == _FALSE:
        return False
    if kind == _DAY:
        return dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
    return _ESCAPE.sub(_unescape, text[1:-1])


def _array(text: str, parse_float: Callable[[str], Any]) -> list[Any]:
    """`[a, b, c]` of scalars, spaces and newlines around the items and commas (a comma
    after the last item or not), no comments, no tables, no arrays inside."""
    items, end = [], len(text) - 1
    at = _GAP.match(text, 1).end()  # type: ignore[union-attr]  # it matches nothing too
    while at < end:
        m = _TOKEN.match(text, at)
        if m is None:
            raise _Decline
        items.append(_scalar(m[0], parse_float))
        at = _GAP.match(text, m.end()).end()  # type: ignore[union-attr]
        if at == end:
            break
        if text[at] != ",":
            raise _Decline
        at = _GAP.match(text, at + 1).end()  # type: ignore[union-attr]
    return items


def records(text: str, parse_float: Callable[[str], Any]) -> tuple[int, list[dict[str, Any]]]:
    """Where the records part of `text` starts (after the newline ending the text before
    it; -1 when it has none) and its records; _Decline where it is not read exactly."""
    if text.startswith(HEADER + "\n"):
        start = 0
    else:
        start = text.find("\n" + HEADER + "\n")
        if start < 0:
            return -1, []
        start += 1
    lines = text[start:].split("\n")
    found: list[dict[str, Any]] = []
    record: dict[str, Any] = {}
    keys: set[str] = set()  # keys seen bare already
    count, index = len(lines), 0
    while index < count:
        line = lines[index]
        index += 1
        if line == HEADER:
            record = {}
            found.append(record)
            continue
        if not line:
            continue
        key, eq, value = line.partition(" = ")
        if not eq:
            if _COMMENT.fullmatch(line):
                continue
            raise _Decline
        if key not in keys:
            if _KEY.fullmatch(key) is None:
                raise _Decline
            keys.add(key)
        if key in record:
            raise _Decline  # tomllib's error: a key given twice
        m = _VALUE.fullmatch(value)
        if m is not None:
            kind = m.lastindex
            if kind == _PLAIN_TEXT:  # most values, read here for speed
                record[key] = m[_PLAIN_TEXT]
            elif kind == _INTEGER:
                record[key] = int(value)  # too many digits for Python: ValueError, a decline
            else:
                record[key] = _value(m, parse_float)
        elif value == "[":  # as tomli-w writes an array: an item a line, indented by 4
            items = []
            first = index
            while index < count and (m := _ITEM_LINE.fullmatch(lines[index])) is not None:
                kind = m.lastindex
                if kind == _PLAIN_TEXT:
                    items.append(m[_PLAIN_TEXT])
                elif kind == _INTEGER:
                    items.append(int(m[_INTEGER]))
                else:
                    items.append(_value(m, parse_float))
                index += 1
            if index < count and lines[index] == "]":
                record[key] = items
                index += 1
            else:  # laid out otherwise: read as any array is
                record[key], index = _array_at(lines, first, value, parse_float)
        elif value.startswith("["):
            record[key], index = _array_at(lines, index, value, parse_float)
        elif value.startswith('"""'):
            record[key], index = _multi_at(lines, index, value)
        else:
            raise _Decline
    return start, found


def _array_at(
    lines: list[str], index: int, value: str, parse_float: Callable[[str], Any]
) -> tuple[list[Any], int]:
    """The array that `value` opens, its lines from lines[index] on; and the index of
    the line after it."""
    first, count, last = index, len(lines), value
    while not last.endswith("]"):  # a string cannot hide it: none spans lines
        if index == count:
            raise _Decline
        last = lines[index]
        index += 1
    return _array("\n".join([value, *lines[first:index]]), parse_float), index


def _multi_at(lines: list[str], index: int, value: str) -> tuple[str, int]:
    """The multi-line string that `value` opens, its lines from lines[index] on; and the
    index of the line after it."""
    first, count, last = index, len(lines), value
    # the closing quotes end a line (else the string is declined): the opening ones cannot
    while not (last.endswith('"""') and (index > first or len(last) >= 6)):
        if index == count:
            raise _Decline
        last = lines[index]
        index += 1
    whole = "\n".join([value, *lines[first:index]])
    if _MULTI.fullmatch(whole) is None:
        raise _Decline
    # a newline just after the opening quotes is not part of the text
    body = whole[3:-3].removeprefix("\n")
    return (_ESCAPE.sub(_unescape, body) if "\\" in body else body), index


def parse(
    text: str, parse_float: Callable[[str], Any], loads: Callable[[str], dict[str, Any]]
) -> dict[str, Any] | None:
    """The document `text` holds, its records read by this reader and the text before
    them by `loads` (tomllib's); None where this reader declines, for the caller to read
    the whole text with tomllib."""
    try:
        start, found = records(text, parse_float)
        if start < 0:
            return None
        doc = loads(text[:start])
    except (_Decline, ValueError, RecursionError):
        return None  # tomllib's error too (TOMLDecodeError is a ValueError)
    if "records" in doc:
        return None  # an array or table of that name before: tomllib says what of it
    doc["records"] = found
    return doc
