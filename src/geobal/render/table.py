"""Tables for people, drawn with Rich; the only module that imports it.

Every cell is a `Text` built from escaped data, so a value such as "[red]x" or one
holding ESC prints literally. A listing is a table whenever its columns fit at their
least widths, whatever their order; only when they do not are records stacked as cards
(field: value), which stay readable at 40 columns.
"""

from collections.abc import Collection, Mapping, Sequence

from rich import box
from rich.console import Console, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from geobal.codecs.escape import visible
from geobal.env import Env
from geobal.fieldtypes import FigureKind, display
from geobal.formats import Color
from geobal.model import Field, Record, Value
from geobal.views import Frame, Marked, RecordView, shown_columns

MIN_TEXT = 14  # narrower text columns read worse than records stacked as cards
LABEL = 12  # a choice's column at most: longer labels wrap at their spaces


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


def prose(text: str, width: int, style: str = "") -> Text:
    """A note under a chart, wrapped at spaces to `width`: an address longer than the
    line stays whole, for the terminal to wrap and to copy as it is (Rich would cut it
    at the edge). Print it with crop=False."""
    from geobal.codecs.escape import wrap_at_spaces

    wrapped = wrap_at_spaces(visible(text), width)
    return Text(wrapped, style=style, no_wrap=True, overflow="ignore")


def value_cell(field: Field, value: Value | None, sep: str = ", ", style: str = "") -> Text:
    """A value as people read it; a link, for kinds that are, where the terminal has
    styles at all (Rich writes no link where it writes no colour)."""
    text = cell(display(field, value, sep), style)
    if field.type.link and isinstance(value, str) and value:
        text.stylize(Style(link=value))
    return text


def wide_table(
    frame: Frame,
    columns: Sequence[Field],
    width: int,
    styles: Sequence[Mapping[str, str]] = (),
    left: Collection[str] = (),
) -> Table:
    """A table of the frame's rows; `styles`, a row's, styles the last character of a
    cell (the mark after a figure: SIPRI's "e" for an estimate); the columns named in
    `left` are set left whatever they hold."""
    widths = _widths(frame, columns, width)
    # SIMPLE_HEAD draws its row lines as blank lines, which keeps rows apart when text
    # columns wrap them over several lines; rows that fit on one line need no such gap.
    wraps = any(w < _width(f, frame) for f, w in zip(columns, widths, strict=True))
    table = Table(box=box.SIMPLE_HEAD, show_lines=wraps, header_style="bold", pad_edge=False)
    for i, (f, w) in enumerate(zip(columns, widths, strict=True)):
        table.add_column(
            cell(f.title),
            overflow="fold",
            no_wrap=_short(f, frame),
            width=w,
            style="cyan" if i == 0 else "",
            justify="left"
            if f.name in left
            else "right"
            if f.numeric or isinstance(f.type, FigureKind)
            else "left",
        )
    for i, row in enumerate(frame.rows):
        cells = [value_cell(f, row.get(f.name)) for f in columns]
        if i < len(styles):
            for f, text in zip(columns, cells, strict=True):
                if style := styles[i].get(f.name):
                    text.stylize(style, len(text) - 1)
        table.add_row(*cells)
    return table


def _widths(frame: Frame, columns: Sequence[Field], width: int) -> list[int]:
    """Each column's width, worked out here rather than left to Rich: short columns
    (ids, numbers, dates) at their natural width, never broken; labels at theirs where
    the table has room, else wrapped at spaces to at most LABEL; and the room left
    shared among the text columns by how much text each holds, none below MIN_TEXT
    (or its text, if shorter)."""
    natural = [_width(f, frame) for f in columns]
    room = width - (3 * len(columns) - 1)
    kinds = ["short" if _short(f, frame) else "label" if _label(f) else "text" for f in columns]
    widths = list(natural)
    if sum(natural) <= room:
        return widths
    for i, f in enumerate(columns):
        if kinds[i] == "label":
            widths[i] = max(min(natural[i], LABEL), _words(f, frame), len(f.title))
    texts = [i for i, k in enumerate(kinds) if k == "text"]
    left = room - sum(w for i, w in enumerate(widths) if i not in texts)
    # water-filling: each text column gets its share by weight, those that need less
    # than their share get what they need, and the rest is shared again
    todo = list(texts)
    while todo:
        weight = sum(natural[i] for i in todo)
        share = {i: left * natural[i] / weight if weight else 0 for i in todo}
        low = [i for i in todo if share[i] < min(MIN_TEXT, natural[i])]
        done = [i for i in todo if natural[i] <= share[i]]
        if not low and not done:
            for i in todo:
                widths[i] = max(1, int(share[i]))
            # the columns rounded down furthest take what rounding left over
            spare = left - sum(widths[i] for i in todo)
            for i in sorted(todo, key=lambda i: share[i] - int(share[i]), reverse=True)[:spare]:
                widths[i] += 1
            break
        for i in low or done:
            widths[i] = min(MIN_TEXT, natural[i]) if i in low else natural[i]
            left -= widths[i]
            todo.remove(i)
    return widths


class Whole(Text):
    """A line printed whole, however long (a URL): the terminal wraps it, so it is
    never broken in two and stays one link."""


Parts = list[RenderableType]


def field_grid(
    fields: Sequence[Field],
    row: Record,
    missing: str | None,
    styles: Mapping[str, str] | None = None,
) -> Parts:
    """Field titles beside their values; a missing value shows as `missing`, or not at
    all. A link (a URL) goes on a line of its own after its title, printed whole.
    `styles` style a value's last character, by field (a figure's mark, as in
    wide_table)."""
    shown = [(f, row.get(f.name)) for f in fields if row.get(f.name) is not None or missing]
    label = max((len(visible(f.title)) for f, _ in shown), default=0)
    parts: Parts = []
    grid = None
    for f, value in shown:
        if f.type.link and isinstance(value, str):
            if grid is not None:
                parts.append(grid)
                grid = None
            line = Whole(visible(f.title).ljust(label) + " ", style="dim")
            line.append(value_cell(f, value))
            parts.append(line)
            continue
        if grid is None:
            grid = Table.grid(padding=(0, 1))
            grid.add_column(style="dim", no_wrap=True, min_width=label)
            grid.add_column(overflow="fold")
        if value is not None:
            # one item a line: list items (quotes, say) may hold commas themselves
            text = value_cell(f, value, "\n")
            if styles and (style := styles.get(f.name)):
                text.stylize(style, len(text) - 1)
            grid.add_row(cell(f.title), text)
        else:
            grid.add_row(cell(f.title), Text(str(missing), style="dim"))
    if grid is not None:
        parts.append(grid)
    return parts


def card(
    columns: Sequence[Field],
    row: Record,
    missing: str | None = None,
    head_name: str = "",
    styles: Mapping[str, str] | None = None,
) -> Parts:
    """One record as a field: value list, headed by the field named `head_name` where it
    is shown, else by its words (its first text longer than a label: a deal's deal, an
    event's title) or else its first column (a period); empty fields left out."""
    head = next((f for f in columns if head_name and f.name == head_name), None) or next(
        (
            f
            for f in columns
            if f.type.name == "text" and f.name != "id" and len(str(row.get(f.name, ""))) > LABEL
        ),
        columns[0],
    )
    rest = [f for f in columns if f is not head]
    return [
        value_cell(head, row.get(head.name), style="bold cyan"),
        *field_grid(rest, row, missing, styles),
        Text(),
    ]


def print_parts(console: Console, parts: Parts) -> None:
    for part in parts:
        if isinstance(part, Whole):
            console.print(part, soft_wrap=True)
        else:
            console.print(part)


def _short(f: Field, frame: Frame) -> bool:
    """A column never broken: values of short kinds only grow taller when wrapped; ids,
    URLs and other text of one word each (a field's name) would break mid-word (a table
    too narrow for them stacks as cards, which print them whole). A column is short by
    what it holds, never by its place: a deal's words wrap first or third alike."""
    if _label(f):
        return False
    if f.type.short or f.type.link or f.name == "id":
        return True
    return f.type.name == "text" and all(
        len(visible(display(f, r.get(f.name))).split()) <= 1 for r in frame.rows
    )


def _label(f: Field) -> bool:
    """A choice or level column: labels of a few words, which may wrap at spaces."""
    return f.type.name in ("choice", "level")


def _width(f: Field, frame: Frame) -> int:
    """A column's natural width: its longest value as shown (control characters as
    their escapes), or its title."""
    return max([len(f.title), *(len(visible(display(f, r.get(f.name)))) for r in frame.rows)])


def _words(f: Field, frame: Frame) -> int:
    """The longest word of a column: as narrow as it can wrap."""
    words = [w for r in frame.rows for w in visible(display(f, r.get(f.name))).split()]
    return max([len(w) for w in words] or [0])


def _need(frame: Frame, columns: Sequence[Field], natural: bool = False) -> int:
    """The columns a table takes: short columns at their natural width, labels at most
    LABEL wide (or, `natural`, at theirs), text columns MIN_TEXT wide."""
    # a space of padding each side of a cell but the outer two, a divider between
    # cells, an edge each side: 3 a column, less 1
    need = -1
    for f in columns:
        if _short(f, frame) or (natural and _label(f)):
            need += _width(f, frame)
        elif _label(f):
            need += max(min(_width(f, frame), LABEL), _words(f, frame), len(f.title))
        else:
            need += min(MIN_TEXT, _width(f, frame))
        need += 3
    return need


def fits(frame: Frame, columns: Sequence[Field], width: int) -> bool:
    """Whether a table leaves its text columns room to be read: every column at its
    least width (the same whichever place it has) within `width`."""
    return _need(frame, columns) <= width


def frame_renderable(frame: Frame, width: int) -> Parts:
    columns = shown_columns(frame)
    # The title stands above the table rather than in it, where Rich would wrap it to
    # the width of a narrow table.
    title = cell(frame.title, "bold")
    caption = [cell(frame.caption, "dim")] if frame.caption else []
    if len(columns) <= 1 or fits(frame, columns, width):
        return [title, wide_table(frame, columns, width), *caption]
    cards = (part for row in frame.rows for part in card(columns, row, None, frame.head))
    return [title, Text(), *cards, *caption]


def print_frame(env: Env, frame: Frame, color: Color, pager: bool | None = False) -> None:
    paged(env, color, frame_renderable(frame, console_for(env, color).width), pager)


def paged(env: Env, color: Color, parts: Parts, pager: bool | None) -> None:
    """Print `parts`; `pager` as render.Output has it: through the pager always (True),
    where they take more lines than the screen has (None), or never (False)."""
    console = console_for(env, color)
    if not env.stdout_isatty:
        # a pipe or a file has no screen to fill: each line ends where its text does,
        # and a blank line is empty, not a screen's width of spaces
        with console.capture() as drawn:
            print_parts(console, parts)
        env.stdout.write("".join(f"{line.rstrip(' ')}\n" for line in drawn.get().splitlines()))
        return
    if pager is False:
        print_parts(console, parts)
        return
    from geobal.render.pager import page

    with console.capture() as drawn:
        print_parts(console, parts)
    page(env, drawn.get(), console.width, always=pager is True)


def record_parts(view: RecordView) -> Parts:
    dataset, record = view.dataset, view.record
    parts: Parts = [
        cell(f"{dataset.title}: {record[dataset.key]}", "bold"),
        *field_grid(dataset.fields, record, "—"),
        Text(),
    ]
    if view.story is not None:
        parts += story_parts(view)
    if view.sources:
        parts.append(Text("Sources", style="bold"))
        parts += [part for source in view.sources for part in card(view.source_fields, source)]
    if view.cited_by is not None:
        parts.append(Text("Cited by", style="bold"))
        parts += [cell(name) for name in view.cited_by] or [Text("no record", style="dim")]
    return parts


def story_parts(view: RecordView) -> Parts:
    """A record's events as a table under its title (which says how old the record's
    status is): date, kind, and the event's title with its sources under it, dim, so
    that the words keep the room a narrow screen has (the id, which a terminal's reader
    needs least, is left to the other formats)."""
    parts: Parts = [Text(view.story_title, style="bold")]
    if not view.story:
        return [*parts, Text("no event names it", style="dim"), Text()]
    by_name = {f.name: f for f in view.story_fields}
    grid = Table(box=None, padding=(0, 1, 0, 0), pad_edge=False, header_style="dim")
    fixed = [by_name[n] for n in ("date", "kind") if n in by_name]
    for f in fixed:
        grid.add_column(f.title, no_wrap=True)
    grid.add_column(by_name["title"].title if "title" in by_name else "", overflow="fold")
    for event in view.story:
        said = value_cell(by_name["title"], event.get("title")) if "title" in by_name else Text()
        if "sources" in by_name and event.get("sources") is not None:
            said.append("\n")
            said.append_text(value_cell(by_name["sources"], event.get("sources"), style="dim"))
        grid.add_row(*(value_cell(f, event.get(f.name)) for f in fixed), said)
    return [*parts, grid, Text()]


def print_record(env: Env, view: RecordView, color: Color, pager: bool | None = False) -> None:
    paged(env, color, record_parts(view), pager)


def print_marked(env: Env, marked: Marked, color: Color, pager: bool | None = False) -> None:
    """Figures as their publisher prints them, each mark in its colour; the legend and
    notes under the table."""
    width = console_for(env, color).width
    # the table as it will be drawn (marked columns padded) is the one that must fit
    frame, columns, padded = _marks_aligned(
        marked.shown, shown_columns(marked.shown), marked.styles
    )
    caption = [cell(line, "dim") for line in frame.caption.splitlines()]
    if len(columns) > 1 and not fits(frame, columns, width):
        # too narrow for every figure whole: a card a row, as other tables stack
        shown = marked.shown
        fields = shown_columns(shown)
        styles = [*marked.styles, *([{}] * len(shown.rows))]
        cards = [
            part
            for row, style in zip(shown.rows, styles, strict=False)
            for part in card(fields, row, None, shown.head, style)
        ]
        paged(env, color, [cell(frame.title, "bold"), Text(), *cards, *caption], pager)
        return
    table = wide_table(frame, columns, width, marked.styles, padded)
    paged(env, color, [cell(frame.title, "bold"), table, *caption], pager)


def _marks_aligned(
    frame: Frame, columns: Sequence[Field], styles: Sequence[Mapping[str, str]]
) -> tuple[Frame, list[Field], set[str]]:
    """The frame with each column that holds a marked figure ("2.38% e") padded so its
    digits align: each figure set right in the column's width less its mark's room,
    then its mark or as many spaces (Rich drops the trailing spaces of a right-aligned
    cell, so these columns are set left, each cell, and the title, as wide as the
    column); the columns, those titles padded; and those columns' names."""
    marked = {name for style in styles for name, mark in style.items() if mark}
    padded = {f.name for f in columns if f.name in marked}
    if not padded:
        return frame, list(columns), padded
    rows = [dict(r) for r in frame.rows]
    shown: list[Field] = []
    for f in columns:
        if f.name not in padded:
            shown.append(f)
            continue
        split = []
        for i, row in enumerate(rows):
            text = str(row.get(f.name) or "")
            styled = i < len(styles) and bool(styles[i].get(f.name))
            split.append((text[:-2], text[-2:]) if styled else (text, "  "))
        room = max([len(f.title) - 2, *(len(figure) for figure, _ in split)])
        for row, (figure, mark) in zip(rows, split, strict=True):
            row[f.name] = figure.rjust(room) + mark
        # the title over the digits, as a right-aligned column sets it
        shown.append(Field(f.name, f.type, f.title.rjust(room), f.description))
    return frame._replace(rows=rows, columns=tuple(shown)), shown, padded
