"""Tables for people, drawn with Rich; the only module that imports it.

Every cell is a `Text` built from escaped data, so a value such as "[red]x" or one
holding ESC prints literally. When the terminal is too narrow for the columns, records
are stacked as cards (field: value), which stay readable at 40 columns.
"""

from collections.abc import Sequence

from rich import box
from rich.console import Console, Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from geobal.env import Env
from geobal.fieldtypes import display
from geobal.formats import Color
from geobal.model import Field, Frame, Record, RecordView, Value
from geobal.render.text import visible

MIN_TEXT = 14  # narrower text columns read worse than records stacked as cards


def console_for(env: Env, color: Color) -> Console:
    never, always = color is Color.NEVER, color is Color.ALWAYS
    return Console(
        file=env.stdout,
        width=env.width,
        force_terminal=always or env.stdout_isatty,
        color_system=None if never else "auto",
        # None lets Rich follow NO_COLOR; an explicit --color overrides it
        no_color=True if never else False if always else None,
        highlight=False,
        markup=False,
    )


def cell(text: str, style: str = "") -> Text:
    return Text(visible(text), style=style)


def value_cell(field: Field, value: Value | None, sep: str = ", ", style: str = "") -> Text:
    """A value as people read it; a link, for kinds that are, where the terminal has
    styles at all (Rich writes no link where it writes no colour)."""
    text = cell(display(field, value, sep), style)
    if field.type.link and isinstance(value, str) and value:
        text.stylize(Style(link=value))
    return text


def shown_columns(frame: Frame) -> tuple[Field, ...]:
    if not frame.table_columns:  # every column but where records come from (see show)
        return tuple(f for f in frame.columns if not f.derived) or frame.columns
    by_name = {f.name: f for f in frame.columns}
    return tuple(by_name[n] for n in frame.table_columns if n in by_name)


def wide_table(frame: Frame, columns: Sequence[Field]) -> Table:
    # SIMPLE_HEAD draws its row lines as blank lines, which keeps rows apart when text
    # columns wrap them over several lines; rows of short values need no such gap.
    table = Table(
        box=box.SIMPLE_HEAD,
        show_lines=not all(_short(i, f) for i, f in enumerate(columns)),
        header_style="bold",
        pad_edge=False,
    )
    for i, f in enumerate(columns):
        short = _short(i, f)
        table.add_column(
            cell(f.title),
            overflow="fold",
            no_wrap=short,
            ratio=None if short else 1,
            style="cyan" if i == 0 else "",
            justify="right" if f.numeric else "left",
        )
    for row in frame.rows:
        table.add_row(*(value_cell(f, row.get(f.name)) for f in columns))
    return table


def field_grid(fields: Sequence[Field], row: Record, missing: str | None) -> Table:
    """Field titles beside their values; a missing value shows as `missing`, or not at all."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for f in fields:
        value = row.get(f.name)
        if value is not None:
            # one item a line: list items (quotes, say) may hold commas themselves
            grid.add_row(cell(f.title), value_cell(f, value, "\n"))
        elif missing is not None:
            grid.add_row(cell(f.title), Text(missing, style="dim"))
    return grid


def card(columns: Sequence[Field], row: Record, missing: str | None = "") -> RenderableType:
    """One record as a field: value list, headed by its first column's value."""
    head, *rest = columns
    return Group(
        value_cell(head, row.get(head.name), style="bold cyan"),
        field_grid(rest, row, missing),
        Text(),
    )


def _short(index: int, f: Field) -> bool:
    # values of short kinds only grow taller when wrapped; the first column is the id
    return index == 0 or f.type.short


def fits(frame: Frame, columns: Sequence[Field], width: int) -> bool:
    """Whether a table leaves its text columns room to be read: short columns at their
    natural width, every text column at least MIN_TEXT wide."""
    # a space of padding each side of a cell but the outer two, a divider between
    # cells, an edge each side: 3 a column, less 1
    need = -1
    for i, f in enumerate(columns):
        if _short(i, f):
            need += max([len(f.title), *(len(display(f, r.get(f.name))) for r in frame.rows)])
        else:
            need += MIN_TEXT
        need += 3
    return need <= width


def frame_renderable(frame: Frame, width: int) -> RenderableType:
    columns = shown_columns(frame)
    # The title stands above the table rather than in it, where Rich would wrap it to
    # the width of a narrow table.
    title = cell(frame.title, "bold")
    caption = [cell(frame.caption, "dim")] if frame.caption else []
    if len(columns) <= 1 or fits(frame, columns, width):
        return Group(title, wide_table(frame, columns), *caption)
    return Group(title, Text(), *(card(columns, row) for row in frame.rows), *caption)


def print_frame(env: Env, frame: Frame, color: Color, pager: bool = False) -> None:
    console = console_for(env, color)
    if pager:
        with console.pager(styles=color is not Color.NEVER):  # $PAGER, as git uses it
            console.print(frame_renderable(frame, console.width))
    else:
        console.print(frame_renderable(frame, console.width))


def record_renderable(view: RecordView) -> RenderableType:
    dataset, record = view.dataset, view.record
    parts: list[RenderableType] = [
        cell(f"{dataset.title}: {record[dataset.key]}", "bold"),
        field_grid(dataset.fields, record, "—"),
        Text(),
    ]
    if view.sources:
        parts.append(Text("Sources", style="bold"))
        parts += [card(view.source_fields, source, None) for source in view.sources]
    if view.cited_by is not None:
        parts.append(Text("Cited by", style="bold"))
        parts += [cell(name) for name in view.cited_by] or [Text("no record", style="dim")]
    return Group(*parts)


def print_record(env: Env, view: RecordView, color: Color) -> None:
    console_for(env, color).print(record_renderable(view))
