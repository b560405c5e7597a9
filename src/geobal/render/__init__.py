"""Output: for every kind of result a command hands over, one writer a format.

WRITERS is the one table: each view type (views.View) maps every Format to its writer,
and a test checks that none is missing, so a new format or view cannot fall through to
some other output. Vega-Lite is written for the views that are charts (render.vega)
and refused, saying which commands draw one, for the others. Rich is imported only by
the table writers (render.table, render.chart), and a codec's module only when its
format is written, so the JSON path stays quick.
"""

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

from geobal import codecs
from geobal.codecs.escape import visible
from geobal.fieldtypes import LIST, display
from geobal.formats import Color, Format
from geobal.model import Field, Record, SourceIndex
from geobal.views import (
    Brief,
    Chart,
    Document,
    Frame,
    Lines,
    Marked,
    Matrix,
    RecordView,
    Tables,
    View,
)

if TYPE_CHECKING:
    from pathlib import Path

    from geobal.env import Env


class Output:
    """How a view is written: where, in which format, in colour or not. (A plain class:
    a NamedTuple costs every run about 0.3 ms to define.)"""

    __slots__ = ("asked", "cap", "color", "env", "format", "pager", "sources", "spreadsheet")

    def __init__(
        self,
        env: "Env",
        format: Format,
        color: Color = Color.AUTO,
        sources: SourceIndex | None = None,
        pager: bool | None = False,
        cap: int | None = None,
        spreadsheet: bool = False,
        asked: bool = False,
    ) -> None:
        self.env = env
        self.format = format
        self.color = color
        self.sources = sources  # write cited sources out in full (JSON, TOML)
        # page through the user's pager (render.pager): True always, None where the
        # output is longer than the screen, False never; only ever on a terminal
        self.pager = pager
        self.cap = cap  # the most rows a table shows (machine formats are never cut)
        self.spreadsheet = spreadsheet  # CSV for a spreadsheet: formulas made inert
        # the format given with --format (or --json), not the default for where output
        # goes: `show --format table` in a pipe is the table asked for, not the lines
        # `show` writes
        self.asked = asked


Writer = Callable[[Output, Any], None]


def write(env: "Env", chunks: Iterable[str]) -> None:
    out = env.stdout
    for chunk in chunks:
        out.write(chunk)
    # Flush here, inside the command, so a reader that has gone away (| head) is
    # noticed where the CLI can end quietly, not at interpreter exit.
    out.flush()


def draw(view: View, path: "Path") -> None:
    """The view's chart, drawn to the file `path` names, written whole or not at all."""
    from geobal.render.vega import drawn, frame_of
    from geobal.store import atomic_write

    atomic_write(path, drawn(frame_of(view), path), forced_by=None)


def emit(out: Output, view: View) -> None:
    """Write a view in the output's format."""
    WRITERS[type(view)][out.format](out, view)


def piped_format(view: View | None) -> Format:
    """The format a view is written in to a pipe or a file when none is asked: a record
    in full as its `field: value` lines (what the table format writes off a terminal),
    anything else as TSV, a row a line."""
    return Format.TABLE if isinstance(view, RecordView) else Format.TSV


def captions(out: Output, view: View) -> tuple[str, ...]:
    """The lines under a view that its output shows people: a table's caption on a
    terminal, and after Markdown (the machine formats show none). A note such a line
    holds need not be said on stderr too (commands._run.deliver)."""
    if out.format not in (Format.TABLE, Format.MARKDOWN):
        return ()
    table = out.format is Format.TABLE
    if isinstance(view, Tables):
        return tuple(part.caption for part in view.parts if part.rows or not table)
    if isinstance(view, Chart) and table:
        return (view.caption,)
    if isinstance(view, Brief):
        return (view.frame.caption,) if table else ()
    if isinstance(view, Marked):
        return (view.shown.caption,) if view.shown.rows or not table else ()
    if isinstance(view, Frame | Chart | Matrix):
        frame = view if isinstance(view, Frame) else view.frame
        # a table of no rows says so instead (_listing)
        return (frame.caption,) if frame.rows or not table else ()
    return ()


def _text(name: str) -> Callable[..., Any]:
    """The function `name` of render.text, which writes Markdown and a record's JSON,
    TOML and lines: imported when one of those is written, not for a listing's rows."""
    from geobal.render import text

    return cast("Callable[..., Any]", getattr(text, name))


def _plain(render: Callable[[Output, Any], Iterator[str]]) -> Writer:
    """A writer of plain text, which never passes through Rich."""
    return lambda out, view: write(out.env, render(out, view))


def _as(to_frame: Callable[[Any], Frame], writers: dict[Format, Writer], fmt: Format) -> Writer:
    """The writer of a view that is, in `fmt`, the frame `to_frame` gives."""
    return lambda out, view: writers[fmt](out, to_frame(view))


def say(out: Output, message: str) -> None:
    """A line for people, on stderr, escaped as everything shown is."""
    print(visible(message), file=out.env.stderr)


def _listing(fmt: Format) -> Writer:
    """A listing in `fmt`: its rows, and for people on stderr a note when there are none
    and, on a terminal, how many there are and whether a table left some out."""

    def write_listing(out: Output, frame: Frame) -> None:
        n = len(frame.rows)
        if n == 0:
            say(out, "No records matched.")
            if fmt is Format.TABLE:
                return
        shown = frame
        if fmt is Format.TABLE and out.cap is not None and n > out.cap:
            # Rich draws a row in about 0.65 ms: thousands of rows would take seconds to
            # scroll past.
            shown = frame._replace(rows=frame.rows[: out.cap])
        ROWS[fmt](out, shown)
        if n and out.env.stdout_isatty:
            say(out, f"{n} {frame.noun[n != 1]}")
        if shown is not frame:
            say(
                out,
                f"showing the first {out.cap}: --limit 0 shows all {n}, --pager pages "
                "them, and --json or --format csv give every row",
            )

    return write_listing


def _frame_table(out: Output, frame: Frame) -> None:
    from geobal.render.table import print_frame

    print_frame(out.env, frame, out.color, out.pager)
    out.env.stdout.flush()


def _chart_table(out: Output, chart: Chart) -> None:
    from geobal.render.chart import print_chart

    print_chart(out.env, chart.title, chart.groups, out.color, chart.caption)
    out.env.stdout.flush()
    if chart.noun is not None:
        n = len(chart.groups)
        say(out, f"{n} {chart.noun[n != 1]}")


def _matrix_table(out: Output, matrix: Matrix) -> None:
    if not matrix.chart or not matrix.frame.rows:
        LISTING[Format.TABLE](out, wide(matrix))
        return
    from geobal.render.chart import print_stack

    print_stack(out.env, matrix, out.color)
    out.env.stdout.flush()


def wide(matrix: Matrix) -> Frame:
    """A matrix as a table: a row a value of its row field, a column a value of its
    column field, in the order they first come in its frame; the rows by the last
    column's value, largest first (ties and rows without one in the order they come)."""
    frame = matrix.frame
    by_name = {f.name: f for f in frame.columns}
    column = by_name[matrix.column]
    labels = {r.get(matrix.column): display(column, r.get(matrix.column)) for r in frame.rows}
    names = {value: f"c{i}" for i, value in enumerate(labels)}
    cells = by_name[matrix.value]
    columns = (
        by_name[matrix.row],
        *(cells.renamed(names[v], label) for v, label in labels.items()),
    )
    rows: dict[object, Record] = {}
    for r in frame.rows:
        row = rows.setdefault(r.get(matrix.row), {matrix.row: r[matrix.row]})
        if (value := r.get(matrix.value)) is not None:
            row[names[r.get(matrix.column)]] = value
    # a frame's rows are in order within each column (a period's shares, largest first):
    # across them, the latest column's is the order a reader looks for
    last = columns[-1].name

    def latest(row: Record) -> float:
        value = row.get(last)
        return -float(value) if isinstance(value, int | float) else float("inf")

    ordered = sorted(rows.values(), key=latest)
    return Frame(frame.title, columns, ordered, frame.noun, (), frame.caption)


def _each(fmt: Format) -> Writer:
    """Listings one after another in `fmt`, a blank line between them; in Markdown, each
    under its title (a table on a terminal carries its own)."""

    def write_each(out: Output, tables: Tables) -> None:
        for i, part in enumerate(tables.parts):
            head = f"## {_text('md_text')(part.title)}\n\n" if fmt is Format.MARKDOWN else ""
            if i or head:
                write(out.env, ["\n" * bool(i) + head])
            LISTING[fmt](out, part)

    return write_each


def _record_table(out: Output, view: RecordView) -> None:
    """A record drawn for a terminal (through the pager where it is longer than the
    screen), or elsewhere its lines, which no layout for a screen pads or wraps; unless
    --color always asks for the terminal's drawing (for less -R, say)."""
    if not (out.env.stdout_isatty or out.asked or out.color is Color.ALWAYS):
        from geobal.render.text import record_lines

        write(out.env, record_lines(view))
        return
    from geobal.render.table import print_record

    print_record(out.env, view, out.color, out.pager)
    out.env.stdout.flush()


def _marked_table(out: Output, marked: Marked) -> None:
    from geobal.render.table import print_marked

    if not marked.shown.rows:
        say(out, "No records matched.")
        return
    print_marked(out.env, marked, out.color, out.pager)
    out.env.stdout.flush()


def _brief_table(out: Output, brief: Brief) -> None:
    from geobal.render.chart import print_brief

    print_brief(out.env, brief.frame, out.color)
    out.env.stdout.flush()


CITED = Field(
    "source_entries",
    LIST,
    "Source entries",
    "Each source the record cites, written out: id, publisher, title, date, URL, quality.",
)
CITED_BY = Field("cited_by", LIST, "Cited by", "The records that cite this source.")
STORY = Field(
    "events",
    LIST,
    "Events",
    "The events that name the record, oldest first, each as date, kind: title [sources].",
)


def _record_row(view: RecordView) -> Frame:
    """A record as a one-row listing, for the formats that are rows: its fields, then
    its sources written out (for a source, the records that cite it), as `show` gives
    them in every format."""
    row = dict(view.record)
    columns = list(view.dataset.fields)
    if view.sources:
        row[CITED.name] = [_entry(view, source) for source in view.sources]
        columns.append(CITED)
    if view.story is not None:
        row[STORY.name] = [_event(event) for event in view.story]
        columns.append(STORY)
    if view.cited_by is not None:
        row[CITED_BY.name] = list(view.cited_by)
        columns.append(CITED_BY)
    return Frame(view.dataset.title, tuple(columns), [row])


def _event(event: Record) -> str:
    """An event of a story in one line: "2018-10-05 contract: title [source, ...]"."""
    sources = event.get("sources")
    cites = ", ".join(map(str, sources)) if isinstance(sources, list) else ""
    return f"{event.get('date')} {event.get('kind')}: {event.get('title')} [{cites}]"


def _entry(view: RecordView, source: Record) -> str:
    """A source entry in one line: "id: publisher, title, date, URL (quality)", each
    part only where the source has it ("id: (quality)" for one with no other)."""
    by_name = {f.name: f for f in view.source_fields}
    said = [
        shown
        for name in ("publisher", "title", "date", "url")
        if name in by_name
        and source.get(name) is not None
        and (shown := display(by_name[name], source[name]))
    ]
    quality = source.get("quality")
    tail = f" ({display(by_name['quality'], quality)})" if "quality" in by_name and quality else ""
    return f"{source.get('id')}:{' ' * bool(said)}{', '.join(said)}{tail}"


def _codec(codec: codecs.Codec) -> Writer:
    """The writer of a frame's rows in a codec's format."""
    return _plain(
        lambda out, frame: codec.write_rows(
            frame, codecs.WriteOptions(out.sources, out.env.stdout_isatty, out.spreadsheet)
        )
    )


# A frame's rows in each format, as they are: a table, Markdown, and every codec that
# writes rows (a codec that is no Format fails here, at import, and in the tests).
ROWS: dict[Format, Writer] = {
    Format.TABLE: _frame_table,
    **{Format(c.name): _codec(c) for c in codecs.writing_rows()},
    Format.MARKDOWN: _plain(lambda out, frame: _text("markdown_table")(frame)),
}


def _vega(out: Output, view: View) -> None:
    """A chart's Vega-Lite specification (a usage error for a view that is no chart)."""
    from geobal.render.vega import frame_of, spec_json

    write(out.env, [spec_json(frame_of(view))])


# A listing: its rows, and the notes around them; or, for a chart, its specification.
LISTING: dict[Format, Writer] = {
    **{fmt: _listing(fmt) for fmt in ROWS},
    Format.VEGA_LITE: _vega,
}

WRITERS: dict[type, dict[Format, Writer]] = {
    Frame: LISTING,
    # a chart is bars on a terminal, and elsewhere the listing it was drawn from
    Chart: {
        **{fmt: _as(lambda chart: chart.frame, LISTING, fmt) for fmt in Format},
        Format.TABLE: _chart_table,
        Format.VEGA_LITE: _vega,
    },
    # a chart or a wide table for people, a row a cell for scripts
    Matrix: {
        **{fmt: _as(lambda matrix: matrix.frame, LISTING, fmt) for fmt in Format},
        Format.TABLE: _matrix_table,
        Format.MARKDOWN: _as(wide, LISTING, Format.MARKDOWN),
        Format.VEGA_LITE: _vega,
    },
    # one record in full: a document where the format has room for one, else a row
    RecordView: {
        Format.TABLE: _record_table,
        Format.JSON: _plain(lambda out, view: _text("record_json")(view)),
        Format.TOML: _plain(lambda out, view: _text("record_toml")(view)),
        Format.MARKDOWN: _plain(lambda out, view: _text("record_markdown")(view)),
        Format.JSONL: _as(_record_row, ROWS, Format.JSONL),
        Format.CSV: _as(_record_row, ROWS, Format.CSV),
        Format.TSV: _as(_record_row, ROWS, Format.TSV),
        Format.VEGA_LITE: _vega,
    },
    # a table each for people; for scripts, one listing of all their rows
    Tables: {
        **{fmt: _as(lambda tables: tables.frame, LISTING, fmt) for fmt in Format},
        Format.TABLE: _each(Format.TABLE),
        Format.MARKDOWN: _each(Format.MARKDOWN),
    },
    # sections of lines on a terminal and in Markdown, a listing elsewhere
    Brief: {
        **{fmt: _as(lambda brief: brief.frame, LISTING, fmt) for fmt in Format},
        Format.TABLE: _brief_table,
        Format.MARKDOWN: _plain(lambda out, brief: _text("brief_markdown")(brief.frame)),
        Format.VEGA_LITE: _vega,
    },
    # figures as their publisher prints them for people, exact with their marks elsewhere
    Marked: {
        **{fmt: _as(lambda marked: marked.frame, LISTING, fmt) for fmt in Format},
        Format.TABLE: _marked_table,
        Format.MARKDOWN: _as(lambda marked: marked.shown, LISTING, Format.MARKDOWN),
        Format.VEGA_LITE: _vega,
    },
    # an export, already in the format it was asked in; on a terminal, escaped (only CSV
    # and TSV can hold raw control characters, which the others escape already)
    Document: {
        **{
            fmt: _plain(
                lambda out, doc: map(visible, doc.chunks) if out.env.stdout_isatty else doc.chunks
            )
            for fmt in Format
        },
        Format.VEGA_LITE: _vega,
    },
    # an id, a path, a problem a line: the same in every format
    Lines: {
        **{
            fmt: _plain(lambda out, view: (visible(line) + "\n" for line in view.lines))
            for fmt in Format
        },
        Format.VEGA_LITE: _vega,
    },
}
