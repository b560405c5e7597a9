"""The results commands hand to render, each kind with one writer a format
(render.WRITERS): frames (a listing), charts, matrices, one record in full, the brief,
listings one after another, plain lines and documents.

The views are plain classes with hand-written constructors: a frozen dataclass costs
about 0.6 ms to define and a NamedTuple 0.1 ms, which every run of the command line
would pay at start-up.
"""

from collections.abc import Iterable, Sequence
from typing import NamedTuple

from geobal.model import Dataset, Field, Record


class Figure(NamedTuple):
    """How a frame is drawn as a chart for a report (render.vega): a bar for each value
    of `x` (told apart by `color` where several share one x), as tall as `y`; with
    `y2`, a bar from y to y2 (a range). Field names are those of `rows` (the frame's own
    rows where None), whose titles name the axes."""

    x: str
    y: str
    color: str | None = None
    y2: str | None = None
    y_title: str = ""  # the axis title, where the field's own title is not enough
    percent: bool = False  # a share, on a scale of 0 to 100
    rows: Sequence[Record] | None = None  # long rows, where the frame's are wide
    columns: tuple[Field, ...] = ()  # the fields of `rows`
    notes: tuple[str, ...] = ()  # lines under the title: the period, the sources, the credit
    order: tuple[str, ...] = ()  # the colours' order (periods, oldest first); else by weight
    # what the chart writes where a row has no figure (a share no source reports); where
    # empty, such rows are left out: data complete by design have none
    missing: str = ""
    # the lines under the chart in place of the frame's caption, where that speaks of
    # commands (a table's reader is at the command line; a chart's is not)
    caption: str | None = None
    mark: str = "bar"  # or "line": a series, a line for each value of `color`


NOT_REPORTED = "not reported"  # a published figure that no source gives


class Frame(NamedTuple):
    """A listing: typed columns and the rows (dicts keyed by column name)."""

    title: str
    columns: tuple[Field, ...]
    rows: Sequence[Record]
    noun: tuple[str, str] = ("record", "records")
    # the columns a table shows when the user names none; all columns when empty
    table_columns: tuple[str, ...] = ()
    # a line under a table and after Markdown (where the figures come from); the
    # machine formats carry it in the rows instead
    caption: str = ""
    figure: Figure | None = None  # how to draw it as a chart (--format vega-lite, --output)
    # the field that heads each record where records stack as cards (a fact sheet's
    # country); else its first words (render.table.card)
    head: str = ""


def shown_columns(frame: Frame) -> tuple[Field, ...]:
    """The columns a frame shows to people (a table, Markdown) when they name none: its
    table columns, or else every column but where records come from (see show)."""
    if not frame.table_columns:
        return tuple(f for f in frame.columns if not f.derived) or frame.columns
    by_name = {f.name: f for f in frame.columns}
    return tuple(by_name[n] for n in frame.table_columns if n in by_name)


class _View:
    """A value a command hands to render, compared and shown by its fields. Plain
    classes with __slots__: a NamedTuple costs about 0.1 ms to define, which every run
    pays at start-up for every one of them."""

    __slots__: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(
            getattr(self, n) == getattr(other, n) for n in self.__slots__
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        values = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({values})"


class Bar(_View):
    __slots__ = ("label", "note", "value")

    def __init__(self, label: str, value: float | None, note: str = "") -> None:
        self.label = label
        self.value = value  # in per cent; None where only a note (a rank, say) is known
        self.note = note


class BarGroup(_View):
    """Bars drawn together under a title, such as one period's supplier shares."""

    __slots__ = ("bars", "subtitle", "title")

    def __init__(self, title: str, subtitle: str, bars: list[Bar]) -> None:
        self.title = title
        self.subtitle = subtitle
        self.bars = bars


class Chart(_View):
    """Bars on a terminal; in every other format, the frame they were drawn from."""

    __slots__ = ("caption", "frame", "groups", "noun", "title")

    def __init__(
        self,
        title: str,
        groups: list[BarGroup],
        frame: Frame,
        noun: tuple[str, str] | None = None,  # what a group is, for the count on a terminal
        caption: str | None = None,  # under the bars, where it differs from the frame's
    ) -> None:
        self.title = title
        self.groups = groups
        self.frame = frame
        self.noun = noun
        self.caption = frame.caption if caption is None else caption


class Matrix(_View):
    """Values by row and by column, such as each supplier's share in each period: on a
    terminal a chart (or, without one, a wide table), a wide table in Markdown, and in
    every other format `frame` itself, a row a cell, as scripts want it."""

    __slots__ = ("chart", "column", "frame", "row", "value")

    def __init__(self, frame: Frame, row: str, column: str, value: str, chart: bool) -> None:
        self.frame = frame
        self.row = row  # the field whose values are the rows (supplier)
        self.column = column  # the field whose values are the columns (period)
        self.value = value  # the field in the cells (share)
        self.chart = chart


class RecordView(_View):
    """One record in full, with the source entries it cites; for a source, the records
    that cite it ("dataset/id"), or None for any other record. For a record events can
    name (a deal), its story: those events oldest first, `story_fields` of each, and
    `story_title`, which says how old the record's status is; else `story` is None."""

    __slots__ = (
        "cited_by",
        "dataset",
        "record",
        "source_fields",
        "sources",
        "story",
        "story_fields",
        "story_title",
    )

    def __init__(
        self,
        dataset: Dataset,
        record: Record,
        sources: list[Record],
        source_fields: tuple[Field, ...],
        cited_by: list[str] | None = None,
        story: list[Record] | None = None,
        story_fields: tuple[Field, ...] = (),
        story_title: str = "Events",
    ) -> None:
        self.dataset = dataset
        self.record = record
        self.sources = sources
        self.source_fields = source_fields
        self.cited_by = cited_by
        self.story = story
        self.story_fields = story_fields
        self.story_title = story_title


class Brief(_View):
    """Sections of lines, each with its source ids: a document on a terminal and in
    Markdown, rows of section, text and sources in the other formats."""

    __slots__ = ("frame",)

    def __init__(self, frame: Frame) -> None:
        self.frame = frame


class Tables(_View):
    """Listings one after another (a fact sheet's periods): a table each on a terminal
    and in Markdown; in the formats that are rows, `frame`, their rows together, which
    a column of its own tells apart."""

    __slots__ = ("frame", "parts")

    def __init__(self, frame: Frame, parts: Sequence[Frame]) -> None:
        self.frame = frame
        self.parts = parts


class Marked(_View):
    """Figures with marks (SIPRI's estimates, uncertain figures): on a terminal and in
    Markdown `shown`, their text as the publisher prints it, the mark of each cell styled
    as `styles` says (a row's column: a style); in every other format `frame`, the exact
    values and the marks as fields of their own."""

    __slots__ = ("frame", "shown", "styles")

    def __init__(self, frame: Frame, shown: Frame, styles: Sequence[dict[str, str]]) -> None:
        self.frame = frame
        self.shown = shown
        self.styles = styles


class Lines(_View):
    """Plain lines for stdout, whatever the format: an id, a path, a problem a line."""

    __slots__ = ("lines",)

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines


class Document(_View):
    """Text for stdout as it is, whatever the format: an export, written by the format
    it was asked in."""

    __slots__ = ("chunks",)

    def __init__(self, chunks: Iterable[str]) -> None:
        self.chunks = chunks


View = Frame | Chart | Matrix | RecordView | Brief | Tables | Marked | Lines | Document
