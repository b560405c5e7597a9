"""Output: the formats geobal writes, and the one place that writes them to stdout.

Rich is imported only for what a terminal shows (render.table, render.chart), and
tomli-w only for TOML, so the JSON path stays quick to start.
"""

from collections.abc import Iterable
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from geobal.model import BarGroup, Dataset, Field, Frame, Record, SourceIndex

if TYPE_CHECKING:
    from geobal.context import Env


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    TSV = "tsv"
    MARKDOWN = "markdown"
    TOML = "toml"


class Color(StrEnum):
    AUTO = "auto"
    ALWAYS = "always"
    NEVER = "never"


class RecordView(NamedTuple):
    """One record in full, with the source entries it cites; for a source, the records
    that cite it ("dataset/id"), or None for any other record."""

    dataset: Dataset
    record: Record
    sources: list[Record]
    source_fields: tuple[Field, ...]
    cited_by: list[str] | None = None


def write(env: "Env", chunks: Iterable[str]) -> None:
    out = env.stdout
    for chunk in chunks:
        out.write(chunk)
    # Flush here, inside the command, so a reader that has gone away (| head) is
    # noticed where the CLI can end quietly, not at interpreter exit.
    out.flush()


def emit(
    env: "Env",
    frame: Frame,
    fmt: Format,
    color: Color,
    sources: SourceIndex | None = None,
    pager: bool = False,
) -> None:
    """Render a frame; `sources` writes cited sources out in full (JSON, JSONL, TOML);
    `pager` shows a table through the user's pager."""
    if fmt is Format.TABLE:
        from geobal.render.table import print_frame

        print_frame(env, frame, color, pager)
        env.stdout.flush()
        return
    from geobal.render import text

    chunks: Iterable[str]
    if fmt is Format.JSON:
        chunks = text.json_array(frame, sources)
    elif fmt is Format.JSONL:
        chunks = text.json_lines(frame, sources)
    elif fmt is Format.CSV:
        chunks = text.csv_rows(frame, env.stdout_isatty)
    elif fmt is Format.TSV:
        chunks = text.tsv_rows(frame)
    elif fmt is Format.MARKDOWN:
        chunks = text.markdown_table(frame)
    else:
        chunks = text.toml_records(frame, sources)
    write(env, chunks)


def emit_chart(env: "Env", title: str, groups: "list[BarGroup]", color: Color) -> None:
    from geobal.render.chart import print_chart

    print_chart(env, title, groups, color)
    env.stdout.flush()


def emit_brief(env: "Env", frame: Frame, fmt: Format, color: Color) -> None:
    """The brief as sections of lines on a terminal and in Markdown; as rows otherwise."""
    if fmt is Format.TABLE:
        from geobal.render.chart import print_brief

        print_brief(env, frame, color)
        env.stdout.flush()
    elif fmt is Format.MARKDOWN:
        from geobal.render import text

        write(env, text.brief_markdown(frame))
    else:
        emit(env, frame, fmt, color)


def emit_record(env: "Env", view: RecordView, fmt: Format, color: Color) -> None:
    """One record in full: a document for table, JSON, TOML and Markdown; a one-row
    listing for the row formats (JSON Lines, CSV, TSV)."""
    if fmt is Format.TABLE:
        from geobal.render.table import print_record

        print_record(env, view, color)
        env.stdout.flush()
        return
    if fmt in (Format.JSONL, Format.CSV, Format.TSV):
        ds = view.dataset
        emit(env, Frame(ds.title, ds.fields, [view.record]), fmt, color)
        return
    from geobal.render import text

    write(env, text.record_document(view, fmt))
