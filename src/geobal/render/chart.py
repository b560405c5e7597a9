"""Terminal views beyond tables, drawn with Rich: bar charts and the one-screen brief.

Like render.table, every piece of data becomes a `Text` built from escaped strings.
No plotting library: bars are block characters sized to the terminal.
"""

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from geobal.env import Env
from geobal.formats import Color
from geobal.model import BarGroup, Frame
from geobal.render.table import cell, console_for

LABEL = 14  # width of the bar labels
FIGURE = 7  # width of the figure after each bar, "100.0%"


def bar_chart(title: str, groups: Sequence[BarGroup], width: int) -> RenderableType:
    """One block per group: its title, then a bar per item, scaled so 100% fills the
    room the terminal leaves."""
    room = max(10, width - LABEL - FIGURE - 4)
    parts: list[RenderableType] = [cell(title, "bold"), Text()]
    for group in groups:
        head = cell(group.title, "bold cyan")
        if group.subtitle:
            head.append(Text(f"  {group.subtitle}", style="dim"))
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=LABEL, no_wrap=True, overflow="ellipsis")
        grid.add_column(width=room, no_wrap=True, overflow="ellipsis")  # figures line up
        grid.add_column(justify="right", no_wrap=True)
        for bar in group.bars:
            if bar.value is None:
                drawn = Text(bar.note or "share not found", style="dim")
                figure = Text("")
            else:
                length = round(room * min(bar.value, 100) / 100)
                drawn = Text("█" * length, style="green")
                if bar.note:
                    drawn.append(Text(f" {bar.note}", style="dim"))
                figure = Text(f"{bar.value:g}%")
            grid.add_row(cell(bar.label), drawn, figure)
        parts += [head, grid, Text()]
    return Group(*parts)


def print_chart(env: Env, title: str, groups: Sequence[BarGroup], color: Color) -> None:
    console = console_for(env, color)
    console.print(bar_chart(title, groups, console.width))


def brief_renderable(frame: Frame) -> RenderableType:
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
            # two ids keep the screen short; JSON and Markdown carry them all
            more = f" +{len(sources) - 2}" if len(sources) > 2 else ""
            line.append(cell(f" [{', '.join(map(str, sources[:2]))}{more}]", "dim"))
        assert grid is not None
        grid.add_row(Text("•"), line)
    if grid is not None:
        parts.append(grid)
    return Group(*parts)


def print_brief(env: Env, frame: Frame, color: Color) -> None:
    console_for(env, color).print(brief_renderable(frame))
