"""Where things are in a TOML document's text: its top-level statements, each with its
span, found by reading the text as a TOML parser does (strings of all four kinds,
comments, arrays and inline tables over several lines, quoted and dotted keys), so
geobal can change one record or one setting and leave every other byte as written.

A line that begins with `[` inside a multi-line string or array is text, not a
header; `"color" = ...` and `  color = ...` are the key `color`. What cannot be read
raises LayoutError with its position; the callers use this only on text that parsed
already, or check what they write by parsing it.
"""

import re
from collections.abc import Iterator
from typing import NamedTuple

_WS = r"[ \t]*"
_BARE = r"[A-Za-z0-9_-]+"
_BASIC = r'"(?:[^"\\\n]|\\.)*"'
_LITERAL = r"'[^'\n]*'"
_PART = f"(?:{_BARE}|{_BASIC}|{_LITERAL})"
_KEY = f"{_PART}(?:{_WS}\\.{_WS}{_PART})*"
_EOL = r"(?:\r?\n|\Z)"
_TAIL = re.compile(f"{_WS}(?:#[^\\n]*)?{_EOL}")
_BLANK = re.compile(f"{_WS}(?:#[^\\n]*)?{_EOL}")
_HEADER = re.compile(f"{_WS}(\\[\\[?){_WS}({_KEY}){_WS}(\\]\\]?){_WS}(?:#[^\\n]*)?{_EOL}")
_KEY_EQ = re.compile(f"{_WS}({_KEY}){_WS}={_WS}")
_PARTS = re.compile(f"{_WS}({_PART}){_WS}(?:\\.|$)")
# values of one line that need no closer look, tried first for speed
_SCALAR = (
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:\d{2})?"
    r"|[A-Za-z0-9_.:+-]+"
)
_ITEM = f"(?:{_BASIC}|{_LITERAL}|{_SCALAR})"
_SIMPLE = re.compile(
    f"(?!\"\"\"|''')(?:{_BASIC}|{_LITERAL}|{_SCALAR}"
    f"|\\[{_WS}(?:{_ITEM}{_WS},{_WS})*(?:{_ITEM}{_WS},?{_WS})?\\])"
    f"(?={_WS}(?:#|\\r?\\n|\\Z))"
)
_ML_BASIC = re.compile(r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*"{3,5}')
_ML_LITERAL = re.compile(r"'''[\s\S]*?'''(?:'{0,2})")
_STRING = re.compile(f"{_BASIC}|{_LITERAL}")
_SCALAR_RE = re.compile(_SCALAR)
_GAP = re.compile(r"(?:[ \t\r\n]|#[^\n]*)*")  # inside an array: spaces, newlines, comments


class LayoutError(ValueError):
    """Text that is not TOML as geobal reads it; `position` is where reading stopped."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.position = position


class Statement(NamedTuple):
    """One top-level statement: a header (`table` for [a], `array` for [[a]]) or a
    key/value pair (`value`), from the start of its line to just past its line end.
    For a value, `value` is the span of the value alone (no comment after it)."""

    kind: str
    key: tuple[str, ...]
    start: int
    end: int
    value: tuple[int, int] | None = None


def key_parts(text: str) -> tuple[str, ...]:
    """A key as written (`a."b c".d`) as its parts, quotes and escapes undone."""
    parts, at = [], 0
    while at < len(text):
        m = _PARTS.match(text, at)
        if m is None:
            raise LayoutError(f"not a key: {text!r}", at)
        parts.append(_unquote(m[1]))
        at = m.end()
    return tuple(parts)


def _unquote(part: str) -> str:
    if part.startswith("'"):
        return part[1:-1]
    if part.startswith('"'):
        if "\\" not in part:
            return part[1:-1]
        import tomllib

        value = tomllib.loads(f"k = {part}")["k"]
        assert isinstance(value, str)
        return value
    return part


def statements(text: str) -> Iterator[Statement]:
    """The top-level statements of `text`, in order; comments and blank lines between
    them are in no statement."""
    at = 0
    while True:
        st = _statement(text, at)
        if st is None:
            return
        yield st
        at = st.end


def _statement(text: str, at: int) -> Statement | None:
    """The first statement from `at` on (past comments and blank lines); None at the end."""
    while at < len(text):
        m = _BLANK.match(text, at)
        if m is None or m.end() == at:
            break
        at = m.end()
    if at >= len(text):
        return None
    m = _HEADER.match(text, at)
    if m is not None:
        if len(m[1]) != len(m[3]):
            raise LayoutError("a header's brackets do not match", at)
        return Statement("array" if m[1] == "[[" else "table", key_parts(m[2]), at, m.end())
    m = _KEY_EQ.match(text, at)
    if m is None:
        raise LayoutError("expected a key, a header or a comment", at)
    begin = m.end()
    after = value_end(text, begin)
    tail = _TAIL.match(text, after)
    if tail is None:
        raise LayoutError("expected the end of the line after a value", after)
    return Statement("value", key_parts(m[1]), at, tail.end(), (begin, after))


def value_end(text: str, at: int) -> int:
    """Where the TOML value starting at `at` ends."""
    m = _SIMPLE.match(text, at)
    if m is not None:
        return m.end()
    if text.startswith('"""', at):
        m = _ML_BASIC.match(text, at)
    elif text.startswith("'''", at):
        m = _ML_LITERAL.match(text, at)
    elif text.startswith(("'", '"'), at):
        m = _STRING.match(text, at)
    elif text.startswith("[", at):
        return _array_end(text, at)
    elif text.startswith("{", at):
        return _table_end(text, at)
    else:
        m = _SCALAR_RE.match(text, at)
    if m is None:
        raise LayoutError("expected a value", at)
    return m.end()


def _array_end(text: str, at: int) -> int:
    at = _GAP.match(text, at + 1).end()  # type: ignore[union-attr]  # matches empty
    while not text.startswith("]", at):
        at = value_end(text, at)
        at = _GAP.match(text, at).end()  # type: ignore[union-attr]
        if text.startswith(",", at):
            at = _GAP.match(text, at + 1).end()  # type: ignore[union-attr]
        elif not text.startswith("]", at):
            raise LayoutError("expected , or ] in an array", at)
    return at + 1


def _table_end(text: str, at: int) -> int:
    at = _skip_ws(text, at + 1)
    if text.startswith("}", at):
        return at + 1
    while True:
        m = _KEY_EQ.match(text, at)
        if m is None:
            raise LayoutError("expected a key in an inline table", at)
        at = _skip_ws(text, value_end(text, m.end()))
        if text.startswith("}", at):
            return at + 1
        if not text.startswith(",", at):
            raise LayoutError("expected , or } in an inline table", at)
        at = _skip_ws(text, at + 1)


def _skip_ws(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t":
        at += 1
    return at


class Block(NamedTuple):
    """A `[[records]]` table in the text: from its header to the end of its last
    statement (the comments and blank lines after it lead into what follows), and the
    record's id where it gives one as text."""

    start: int
    end: int
    rid: str | None


class NotEditable(LayoutError):
    """Records written in a form geobal does not edit in place (inline, or with tables
    of their own)."""


_SIMPLE_LINE = f"{_WS}{_KEY}{_WS}={_WS}{_SIMPLE.pattern}{_WS}(?:#[^\\n]*)?\\r?\\n"
_BLANK_LINE = f"{_WS}(?:#[^\\n]*)?\\r?\\n"
# a whole [[records]] table of one-line statements, matched in one go: what nearly
# every record is, so that reading a file of 200,000 takes a fraction of a second
_FAST_RECORD = re.compile(
    f"(?:{_BLANK_LINE})*(?P<head>{_WS}\\[\\[{_WS}records{_WS}\\]\\]{_WS}(?:#[^\\n]*)?\\r?\\n)"
    f"(?P<body>(?:(?:{_BLANK_LINE})*{_SIMPLE_LINE})*)(?:{_BLANK_LINE})*(?={_WS}\\[|\\Z)"
)


def _key_line(key: str) -> re.Pattern[str]:
    """The line of a one-line block that gives `key` its value."""
    quoted = f"(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')"
    return re.compile(f"^{_WS}{quoted}{_WS}={_WS}({_BASIC}|{_LITERAL})", re.MULTILINE)


def record_blocks(text: str, key: str) -> list[Block]:
    """Every `[[records]]` table of a dataset file, in order; NotEditable if records are
    written another way (records = [...], or a table inside a record)."""
    blocks: list[Block] = []
    key_line = _key_line(key)
    table: tuple[str, ...] = ()
    start = end = -1
    rid: str | None = None
    at = 0
    while True:
        fast = _FAST_RECORD.match(text, at)
        if fast is not None:
            if start >= 0:
                blocks.append(Block(start, end, rid))
                start = -1
            stop = fast.end("body") or fast.end("head")
            found = key_line.search(text, fast.start("head"), stop)
            value = string_value(found[1]) if found is not None else None
            blocks.append(Block(fast.start("head"), stop, value))
            table, at = ("records",), fast.end()
            continue
        st = _statement(text, at)
        if st is None:
            break
        at = st.end
        if st.kind != "value":
            if start >= 0:
                blocks.append(Block(start, end, rid))
                start = -1
            table = st.key
            if st.key == ("records",) and st.kind == "array":
                start, end, rid = st.start, st.end, None
            elif st.key[:1] == ("records",):
                raise NotEditable(
                    f"[{'.'.join(st.key)}]: a table inside a record, which geobal does not "
                    "edit in place",
                    st.start,
                )
            continue
        if table == () and st.key[:1] == ("records",):
            raise NotEditable(
                "records written as records = [...], which geobal does not edit in place; "
                "write each as a [[records]] table",
                st.start,
            )
        if start >= 0:
            end = st.end
            if st.key == (key,) and st.value is not None:
                rid = string_value(text[st.value[0] : st.value[1]])
    if start >= 0:
        blocks.append(Block(start, end, rid))
    return blocks


def string_value(value: str) -> str | None:
    """The text a TOML value written as one string holds; None for any other value."""
    simple = not value.startswith('"""') and "\\" not in value
    if simple and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    import tomllib

    try:
        found = tomllib.loads(f"v = {value}")["v"]
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None
    return found if isinstance(found, str) else None


def newline_of(text: str) -> str:
    """The line ending a text uses: CRLF if its first line ends so, else LF."""
    first = text.find("\n")
    return "\r\n" if first > 0 and text[first - 1] == "\r" else "\n"


def set_values(block: str, changes: dict[str, str | None]) -> str:
    """A record's block with fields changed in place: each key's value text replaced
    (`None`: its line removed), keeping the key as written, the spaces around `=`, the
    comment after the value and every other line; a field the block lacks is added
    after its last statement. `changes` holds TOML value texts by field name."""
    found = {st.key: st for st in statements(block) if st.kind == "value"}
    newline = newline_of(block)
    edits: list[tuple[int, int, str]] = []
    last = max((st.end for st in statements(block)), default=len(block))
    added = []
    for name, value in changes.items():
        st = found.get((name,))
        if st is None:
            if value is not None:
                added.append(f"{_bare_or_quoted(name)} = {value}{newline}")
        elif value is None:
            edits.append((st.start, st.end, ""))
        else:
            assert st.value is not None
            edits.append((st.value[0], st.value[1], value))
    if added:
        at = last
        lead = "" if at == 0 or block[at - 1] == "\n" else newline
        edits.append((at, at, lead + "".join(added)))
    out, at = [], 0
    for begin, stop, replacement in sorted(edits):
        out += [block[at:begin], replacement]
        at = stop
    out.append(block[at:])
    return "".join(out)


def _bare_or_quoted(name: str) -> str:
    return name if re.fullmatch(_BARE, name) else '"' + name.replace('"', '\\"') + '"'
