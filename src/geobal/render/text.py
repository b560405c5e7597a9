"""Views as documents: a Markdown table, `show`'s record as JSON, TOML, Markdown and
lines of text, and a brief in Markdown. The formats themselves (JSON, CSV, TSV, TOML) are
geobal.codecs'; nothing here touches Rich. Markdown shows control characters as
escapes, always."""

import re
from collections.abc import Iterator
from functools import cache

from geobal.codecs.escape import tsv_cell, visible
from geobal.fieldtypes import display
from geobal.model import Field, Record
from geobal.views import Frame, RecordView, shown_columns

# the characters a backslash escapes in Markdown (CommonMark: ASCII punctuation)
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


# Compiled on first use, not at import: some 4 ms that a run writing JSON need not pay.
@cache
def _entity() -> "re.Pattern[str]":
    return re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")


@cache
def _lead() -> "re.Pattern[str]":
    """What starts a block where a line starts: a heading, a quote, a list item, a rule."""
    return re.compile(
        r"\s*(?:(#)|(>)|([-+*])(?=\s|$)|[0-9]{1,9}([.)])(?=\s|$)|([-*_])(?=(?:\s*\5){2,}\s*$))"
    )


def md_text(text: str, *, cell: bool = False, starts_line: bool = True) -> str:
    """Text as Markdown that shows it as it is, escaped only where Markdown (CommonMark,
    and GitHub's tables, strikethrough and maths) would read it as formatting: so that
    data stays data, and reads plainly where Markdown is not rendered. Escaped: a
    backslash before punctuation, backticks, runs of * and _ that could open or close
    emphasis (not a_b, not a lone * between spaces), ~ and $ where two could pair, a <
    that could open a tag, an & that would read as an entity, a [ whose ] is followed
    by ( [ or : (a link); where the text `starts_line` (a bullet's, a heading's), what
    would start a block there and a heading's closing #s; and in a table `cell`, where
    no block starts, every |. Control characters show as escapes, line breaks as <br>."""
    text = visible(text)
    links = _link_openers(text)
    pairs = {c for c in "~$" if text.count(c) > 1}
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        after = text[i + 1] if i + 1 < n else ""
        if c in "*_":
            j = i
            while j < n and text[j] == c:
                j += 1
            before, after = text[i - 1] if i else " ", text[j] if j < n else " "
            inert = (before.isspace() and after.isspace()) or (
                c == "_" and before.isalnum() and after.isalnum()
            )
            out.append(text[i:j] if inert else f"\\{c}" * (j - i))
            i = j
            continue
        escape = (
            (c == "\\" and (after in _PUNCTUATION or after in ("", "\n")))
            or c == "`"
            or c in pairs
            or (c == "<" and _opens_tag(after))
            or (c == "&" and _entity().match(text, i) is not None)
            or (c == "[" and i in links)
            or (c == "|" and cell)
        )
        out.append(f"\\{c}" if escape else c)
        i += 1
    done = "".join(out)
    return (_blocks(done) if starts_line and not cell else done).replace("\n", "<br>")


def md_cell(text: str) -> str:
    """Text for a cell of a Markdown table: as md_text, and every | escaped."""
    return md_text(text, cell=True)


def _opens_tag(after: str) -> bool:
    """Whether a < before `after` could open an HTML tag, comment or autolink (not a < b)."""
    return after != "" and (after in "/!?" or (after.isascii() and after.isalpha()))


def _link_openers(text: str) -> set[int]:
    """Where a [ stands whose matching ] is followed by ( [ or :, which would make a
    link, an image or a link's definition of what it holds."""
    opened: list[int] = []
    found = set()
    for i, c in enumerate(text):
        if c == "[":
            opened.append(i)
        elif c == "]" and opened:
            start = opened.pop()
            if text[i + 1 : i + 2] in ("(", "[", ":"):
                found.add(start)
    return found


def _blocks(text: str) -> str:
    """Escape what would start a block at the start of `text` (a line of a bullet, a
    heading's words), and the #s at its end that a heading would drop as closing ones."""
    lead = _lead().match(text)
    if lead is not None:
        at = next(lead.start(g) for g in range(1, 6) if lead.group(g) is not None)
        if not text[:at].endswith("\\"):
            text = f"{text[:at]}\\{text[at:]}"
    closing = re.search(r"(?<=\s)#+$", text)
    if closing is not None:
        text = f"{text[: closing.start()]}\\{text[closing.start() :]}"
    return text


def _right(f: Field) -> bool:
    """A column set right: numbers, and figures as their publisher prints them."""
    from geobal.fieldtypes import FigureKind

    return f.numeric or isinstance(f.type, FigureKind)


def markdown_table(frame: Frame) -> Iterator[str]:
    """A listing in Markdown, a format for people: the columns a table shows."""
    columns = shown_columns(frame)
    yield "| " + " | ".join(md_cell(f.title) for f in columns) + " |\n"
    yield "|" + "|".join("---:" if _right(f) else "---" for f in columns) + "|\n"
    for row in frame.rows:
        yield "| " + " | ".join(md_cell(display(f, row.get(f.name))) for f in columns) + " |\n"
    if frame.caption:
        yield f"\n{md_text(frame.caption)}\n"


def record_json(view: RecordView) -> Iterator[str]:
    """`show` as JSON: the record, then its sources written out."""
    from geobal.codecs.jsontext import json_dumps, row_object

    ds = view.dataset
    doc: dict[str, object] = {
        "dataset": ds.name,
        "record": row_object(ds.fields, view.record),
        "sources": [row_object(view.source_fields, s) for s in view.sources],
    }
    if view.story is not None:
        doc["events"] = [row_object(view.story_fields, e) for e in view.story]
    if view.cited_by is not None:
        doc["cited_by"] = view.cited_by
    yield json_dumps(doc) + "\n"


def record_toml(view: RecordView) -> Iterator[str]:
    """`show` as TOML: the record's table, then its sources as [[sources]]."""
    from geobal.codecs.tomldoc import toml_array, toml_dumps, toml_table

    ds = view.dataset
    top: dict[str, object] = {"dataset": ds.name}
    if view.cited_by is not None:
        top["cited_by"] = view.cited_by
    yield toml_dumps({**top, "record": toml_table(ds.fields, view.record)})
    if view.story:
        yield "\n"
        yield from toml_array("events", view.story_fields, view.story)
    if view.sources:
        yield "\n"
        yield from toml_array("sources", view.source_fields, view.sources)


def record_lines(view: RecordView) -> Iterator[str]:
    """`show` for a pipe or a file: a `field: value` line for each field that has a
    value, by the field's name (as --fields, --where and set take it); then the
    sources it cites, each as such lines after a blank one, under "Sources"; for a
    source, the records that cite it, under "Cited by". What a terminal shows, without
    its layout: each value on one line, escaped as a TSV cell is (codecs.escape.tsv_cell:
    \\n, \\t, \\r, \\x1b, and a backslash of the text doubled), so that every line reads
    back as the value it stands for (tsv_unescape); a list's items separated by ", ".
    A record events name (a deal) has its story between the two, under "Events": each
    event's id, date, kind, title and sources, oldest first ("no event" where none)."""
    yield from _field_lines(view.dataset.fields, view.record)
    if view.story is not None:
        yield "\nEvents\n"
        if not view.story:
            yield "no event\n"
    for event in view.story or ():
        yield "\n"
        yield from _field_lines(view.story_fields, event)
    if view.sources:
        yield "\nSources\n"
    for source in view.sources:
        yield "\n"
        yield from _field_lines(view.source_fields, source)
    if view.cited_by is not None:
        yield "\nCited by\n"
        yield "".join(f"{tsv_cell(name)}\n" for name in view.cited_by) or "no record\n"


def _field_lines(fields: tuple[Field, ...], record: Record) -> Iterator[str]:
    for f in fields:
        if (value := record.get(f.name)) is not None:
            yield f"{tsv_cell(f.name)}: {tsv_cell(display(f, value))}\n"


def record_markdown(view: RecordView) -> Iterator[str]:
    ds, record = view.dataset, view.record
    yield f"## {md_text(f'{ds.title}: {record[ds.key]}')}\n\n"
    yield "| Field | Value |\n|---|---|\n"
    for f in ds.fields:
        yield f"| {md_cell(f.title)} | {md_cell(display(f, record.get(f.name)))} |\n"
    if view.story is not None:
        yield f"\n### {md_text(view.story_title)}\n\n"
        yield from _story_markdown(view) if view.story else iter(["no event names it\n"])
    if view.sources:
        yield "\n### Sources\n\n"
    for source in view.sources:
        head, *rest = view.source_fields
        details = "; ".join(
            md_text(f"{f.title}: {display(f, v)}", starts_line=False)
            for f in rest
            if (v := source.get(f.name)) is not None
        )
        name = md_text(display(head, source.get(head.name)), starts_line=False)
        yield f"- **{name}**: {details}\n"
    if view.cited_by is not None:
        yield "\n### Cited by\n\n"
        yield "".join(f"- {md_text(name)}\n" for name in view.cited_by) or "no record\n"


def _story_markdown(view: RecordView) -> Iterator[str]:
    yield from markdown_table(Frame(view.story_title, view.story_fields, view.story or ()))


def brief_markdown(frame: Frame) -> Iterator[str]:
    """A report: the title, then a heading a section and a bullet a line, each line
    ending with its source ids."""
    yield f"# {md_text(frame.title)}\n"
    section = None
    for row in frame.rows:
        if row.get("section") != section:
            section = row.get("section")
            yield f"\n## {md_text(str(section))}\n\n"
        sources = row.get("sources")
        # the ids in brackets, which nothing follows that would make them a link
        refs = ", ".join(map(str, sources)) if isinstance(sources, list) else None
        refs = "" if refs is None else f" [{md_text(refs, starts_line=False)}]"
        yield f"- {md_text(str(row.get('text', '')))}{refs}\n"
