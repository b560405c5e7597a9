"""Views as documents: a Markdown table, `show`'s record as JSON, TOML and Markdown,
and a brief in Markdown. The formats themselves (JSON, CSV, TSV, TOML) are
geobal.codecs'; nothing here touches Rich. Markdown shows control characters as
escapes, always."""

from collections.abc import Iterator

from geobal.codecs.escape import visible
from geobal.fieldtypes import display
from geobal.views import Frame, RecordView, shown_columns

_MARKDOWN = {ord(c): f"\\{c}" for c in "\\`*_[]<>|"}


def md_cell(text: str) -> str:
    """Escape what Markdown would read as formatting, so data stays data."""
    return visible(text.translate(_MARKDOWN)).replace("\n", "<br>")


def markdown_table(frame: Frame) -> Iterator[str]:
    """A listing in Markdown, a format for people: the columns a table shows."""
    columns = shown_columns(frame)
    yield "| " + " | ".join(md_cell(f.title) for f in columns) + " |\n"
    yield "|" + "|".join("---:" if f.numeric else "---" for f in columns) + "|\n"
    for row in frame.rows:
        yield "| " + " | ".join(md_cell(display(f, row.get(f.name))) for f in columns) + " |\n"
    if frame.caption:
        yield f"\n{md_cell(frame.caption)}\n"


def record_json(view: RecordView) -> Iterator[str]:
    """`show` as JSON: the record, then its sources written out."""
    from geobal.codecs.jsontext import json_dumps, row_object

    ds = view.dataset
    doc: dict[str, object] = {
        "dataset": ds.name,
        "record": row_object(ds.fields, view.record),
        "sources": [row_object(view.source_fields, s) for s in view.sources],
    }
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
    if view.sources:
        yield "\n"
        yield from toml_array("sources", view.source_fields, view.sources)


def record_markdown(view: RecordView) -> Iterator[str]:
    ds, record = view.dataset, view.record
    yield f"## {md_cell(ds.title)}: {md_cell(str(record[ds.key]))}\n\n"
    yield "| Field | Value |\n|---|---|\n"
    for f in ds.fields:
        yield f"| {md_cell(f.title)} | {md_cell(display(f, record.get(f.name)))} |\n"
    if view.sources:
        yield "\n### Sources\n\n"
    for source in view.sources:
        head, *rest = view.source_fields
        details = "; ".join(
            f"{md_cell(f.title)}: {md_cell(display(f, v))}"
            for f in rest
            if (v := source.get(f.name)) is not None
        )
        yield f"- **{md_cell(display(head, source.get(head.name)))}**: {details}\n"
    if view.cited_by is not None:
        yield "\n### Cited by\n\n"
        yield "".join(f"- {md_cell(name)}\n" for name in view.cited_by) or "no record\n"


def brief_markdown(frame: Frame) -> Iterator[str]:
    """A report: the title, then a heading a section and a bullet a line, each line
    ending with its source ids."""
    yield f"# {md_cell(frame.title)}\n"
    section = None
    for row in frame.rows:
        if row.get("section") != section:
            section = row.get("section")
            yield f"\n## {md_cell(str(section))}\n\n"
        sources = row.get("sources")
        refs = (
            f" \\[{md_cell(', '.join(map(str, sources)))}\\]" if isinstance(sources, list) else ""
        )
        yield f"- {md_cell(str(row.get('text', '')))}{refs}\n"
