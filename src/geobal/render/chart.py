"""Terminal views beyond tables, drawn with Rich: bar charts and the one-screen brief.

Like render.table, every piece of data becomes a `Text` built from escaped strings.
No plotting library: bars are block characters sized to the terminal.
"""

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from geobal.codecs.escape import visible
from geobal.env import Env
from geobal.fieldtypes import display
from geobal.formats import Color
from geobal.render.table import cell, console_for, prose
from geobal.views import Bar, BarGroup, Frame, Matrix

LABEL = 14  # width of the bar labels
FIGURE = 7  # width of the figure after each bar, "100.0%" or "37.16%"


EIGHTHS = " ▏▎▍▌▋▊▉"  # a cell an eighth full, to seven eighths


def blocks(share: float, room: int, ascii_only: bool = False) -> str:
    """A bar of `share` per cent of `room` cells, to an eighth of a cell: at 40 columns
    76% and 72% still differ. On a stream that writes only ASCII, whole cells of #,
    where the blocks would reach it as escapes six times their width (geobal.env)."""
    share = min(max(share, 0.0), 100.0)
    if ascii_only:
        return "#" * round(room * share / 100)
    eighths = round(room * 8 * share / 100)
    whole, part = divmod(eighths, 8)
    return "█" * whole + (EIGHTHS[part] if part else "")


def bar_chart(
    title: str, groups: Sequence[BarGroup], width: int, caption: str = "", ascii_only: bool = False
) -> RenderableType:
    """One block per group: its title, then a bar per item, scaled so 100% fills the
    room the terminal leaves; `caption` under them all."""
    # a label as long as the longest, where the terminal leaves the bars half its width
    longest = max((len(bar.label) for group in groups for bar in group.bars), default=0)
    label = max(LABEL, min(longest, width // 2 - FIGURE - 4))
    room = max(10, width - label - FIGURE - 4)
    parts: list[RenderableType] = [cell(title, "bold"), Text()]
    for group in groups:
        head = cell(group.title, "bold cyan")
        if group.subtitle:
            head.append(Text(f"  {group.subtitle}", style="dim"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=label, no_wrap=True, overflow="ellipsis")
        grid.add_column(width=room, no_wrap=True, overflow="ellipsis")  # figures line up
        grid.add_column(width=FIGURE, justify="right", no_wrap=True)
        drawn_bars = [
            None if bar.value is None else blocks(bar.value, room, ascii_only) for bar in group.bars
        ]
        # a note that would be cut beside its bar (a published figure, at 40 columns)
        # goes on a line of its own under it: a figure is never cut short
        below = any(
            bar.note and drawn is not None and len(drawn) + 1 + len(bar.note) > room
            for bar, drawn in zip(group.bars, drawn_bars, strict=True)
        )
        for bar, drawn_bar in zip(group.bars, drawn_bars, strict=True):
            if drawn_bar is None:
                drawn = Text(bar.note or "share not found", style="dim")
                figure = Text("")
            else:
                drawn = Text(drawn_bar, style="green")
                if bar.note and not below:
                    drawn.append(Text(f" {bar.note}", style="dim"))
                figure = Text(f"{bar.value:g}%")
            grid.add_row(cell(bar.label), drawn, figure)
            if below and bar.note and drawn_bar is not None:
                grid.add_row(Text(""), Text(bar.note, style="dim"), Text(""))
        parts += [head, grid, Text()]
    if caption:
        parts.append(prose(caption, width, "dim"))
    return Group(*parts)


def print_chart(
    env: Env, title: str, groups: Sequence[BarGroup], color: Color, caption: str = ""
) -> None:
    console = console_for(env, color)
    chart = bar_chart(title, groups, console.width, caption, console.options.ascii_only)
    console.print(chart, crop=False)  # an address in the caption stays whole


# the colours of the parties a stacked chart tells apart, most weighty first
_COLOURS = ("green", "blue", "magenta", "yellow", "cyan", "red", "bright_green", "bright_blue")
OTHERS = "·"
OTHERS_ASCII = "."


def _letters(names: Sequence[str]) -> dict[str, str]:
    """A letter for each name, its initial where that is free: the chart's legend."""
    taken: dict[str, str] = {}
    for name in names:
        choices = [c.upper() for c in name if c.isalpha()] + list("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        taken[name] = next(c for c in choices if c not in taken.values())
    return taken


def stack_chart(matrix: Matrix, width: int, ascii_only: bool = False) -> RenderableType:
    """A line a column of the matrix (a period): its cells (the parties' shares) as one
    bar of segments, each party its letter and colour, the smaller ones together; one
    legend names them for every period, the largest party first (ties by name), so a
    letter means the same party however the rows came. A matrix of one column is a bar
    a party instead, labelled with its name: one line of letters would say less."""
    frame = matrix.frame
    others = OTHERS_ASCII if ascii_only else OTHERS
    field = {f.name: f for f in frame.columns}
    weight: dict[str, float] = {}
    lines: dict[str, list[tuple[str, float]]] = {}
    for row in frame.rows:
        value = row.get(matrix.value)
        if not isinstance(value, int | float):
            continue
        party = display(field[matrix.row], row.get(matrix.row))
        label = display(field[matrix.column], row.get(matrix.column))
        lines.setdefault(label, []).append((party, float(value)))
        weight[party] = weight.get(party, 0.0) + float(value)
    if len(lines) == 1:
        (label, cells), *_ = lines.items()
        ranked = sorted(cells, key=lambda c: (-c[1], c[0]))
        group = BarGroup(label, "", [Bar(party, share) for party, share in ranked])
        return bar_chart(frame.title, [group], width, frame.caption, ascii_only)
    # rounded, so that the order of the rows summed cannot tell two equal weights apart
    shown = sorted(weight, key=lambda p: (-round(weight[p], 9), p))[: len(_COLOURS)]
    letters = _letters(shown)
    colours = dict(zip(shown, _COLOURS, strict=False))
    largest = {
        label: "{} {:g}%".format(*min(cells, key=lambda c: (-c[1], c[0])))  # ties by name
        for label, cells in lines.items()
    }
    label_width = max((len(label) for label in lines), default=0) + 1
    # the bars take what the labels and the largest shares beside them leave
    room = max(10, width - label_width - max(map(len, largest.values()), default=0) - 1)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(width=room, no_wrap=True, overflow="crop")
    grid.add_column(no_wrap=True, overflow="ellipsis")
    for label, cells in lines.items():
        bar = Text()
        drawn = 0.0
        for party in shown:
            share = sum(v for p, v in cells if p == party)
            length = round(room * min(drawn + share, 100) / 100) - round(room * drawn / 100)
            bar.append(letters[party] * length, style=colours[party])
            drawn += share
        rest = round(room * min(sum(v for _, v in cells), 100) / 100) - len(bar.plain)
        bar.append(others * max(0, rest), style="dim")
        grid.add_row(cell(label), bar, cell(largest[label]))
    keys = [Text.assemble((letters[p], colours[p]), f" {visible(p)}") for p in shown] + [
        Text(f"{others} the others", style="dim")
    ]
    # a line of the legend breaks between its entries, never inside one
    legend: list[Text] = [Text()]
    for key in keys:
        if legend[-1].plain and len(legend[-1].plain) + 2 + len(key.plain) > width:
            legend.append(Text())
        legend[-1].append_text(Text("  ") + key if legend[-1].plain else key)
    parts: list[RenderableType] = [cell(frame.title, "bold"), Text(), grid, Text(), *legend]
    if frame.caption:
        parts.append(prose(frame.caption, width, "dim"))
    return Group(*parts)


def print_stack(env: Env, matrix: Matrix, color: Color) -> None:
    console = console_for(env, color)
    console.print(stack_chart(matrix, console.width, console.options.ascii_only), crop=False)


def brief_renderable(frame: Frame, ascii_only: bool = False) -> RenderableType:
    """Sections with one bullet an item, each ending with its source ids."""
    parts: list[RenderableType] = [cell(frame.title, "bold"), Text()]
    section = None
    grid = None
    for row in frame.rows:
        if row.get("section") != section:
            if grid is not None:
                parts += [grid, Text()]
            section = row.get("section")
            parts.append(cell(str(section), "bold cyan"))
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True)
            grid.add_column(overflow="fold")
        sources = row.get("sources")
        line = cell(str(row.get("text", "")))
        if isinstance(sources, list) and sources:
            # every id, as in JSON and Markdown: a line is only as good as its sources
            line.append(cell(f" [{', '.join(map(str, sources))}]", "dim"))
        assert grid is not None
        grid.add_row(Text("*" if ascii_only else "•"), line)
    if grid is not None:
        parts.append(grid)
    return Group(*parts)


def print_brief(env: Env, frame: Frame, color: Color) -> None:
    console = console_for(env, color)
    console.print(brief_renderable(frame, console.options.ascii_only))
