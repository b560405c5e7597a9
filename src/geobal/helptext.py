"""Help that reads at any width, on a terminal or in a pipe: plain text, no boxes.

Typer's Rich help draws panels padded to the terminal's width and wraps each line of a
docstring on its own, so a paragraph written at 88 columns breaks after a word or two
at 80, and at 40 columns option names are cut. Here help is laid out as click lays it
out (usage, text, then options in sections, a name's help below it where the name is
long), with paragraphs reflowed to the width, examples one per line as written, and the
options grouped by the panels the commands declare. The same text goes to a terminal
and to a pipe, with no trailing spaces.
"""

import inspect
import shutil
import textwrap
from typing import Any, TypeAlias

# Typer 0.28 carries its own copy of click (typer._click), a private module: what is
# used of it here is the public shape of click's commands and formatter, typed loosely.
Command: TypeAlias = Any
Context: TypeAlias = Any
HelpFormatter: TypeAlias = Any
Parameter: TypeAlias = Any

WIDEST = 100  # columns help uses at most: longer lines read worse
NARROW = 60  # below this many columns, an option's help goes below its name
OPTIONS = "Options"


def width() -> int:
    """The columns help is laid out in: the terminal's (or COLUMNS), else 80."""
    return max(20, min(shutil.get_terminal_size((80, 24)).columns, WIDEST) - 1)


def fill(text: str, columns: int, indent: str = "", first: str = "") -> str:
    """`text` wrapped to `columns` at spaces only: an option, a URL or an id such as
    vega-lite is never broken across lines."""
    return textwrap.fill(
        text,
        columns,
        initial_indent=first or indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    )


def definitions(rows: list[tuple[str, str]], columns: int) -> str:
    """Terms beside their help, the help wrapped in a column of its own; a term too
    long for its column stands on a line of its own, its help below it."""
    term = min(28, max(12, columns // 3), max((len(name) for name, _ in rows), default=0))
    if columns < NARROW:  # no room for two columns: each help below its term
        term = 0
    indent = " " * (2 + term + 2) if term else "      "
    lines = []
    for name, text in rows:
        if len(name) <= term:
            head = f"  {name:<{term}}  "
            lines.append(fill(text, columns, indent, head) if text else head.rstrip())
        else:
            lines.append(f"  {name}")
            if text:
                lines.append(fill(text, columns, indent))
    return "\n".join(lines) + "\n"


def summary(text: str) -> str:
    """A command's first paragraph, on one line: what `geobal --help` lists it by."""
    first = inspect.cleandoc(text).split("\n\n")[0]
    return " ".join(line.strip() for line in first.splitlines())


def paragraphs(text: str, columns: int) -> list[str]:
    """A docstring as blocks: prose reflowed to `columns`, and blocks whose lines are
    indented after their first (examples) kept line by line as written, a line too long
    for `columns` folded (see `folded`)."""
    blocks = []
    for block in inspect.cleandoc(text).partition("\f")[0].split("\n\n"):
        lines = block.splitlines()
        if not lines:
            continue
        if len(lines) > 1 and all(line.startswith(" ") for line in lines[1:]):
            blocks.append("\n".join(f for line in lines for f in folded(line.rstrip(), columns)))
        else:
            blocks.append(fill(" ".join(line.strip() for line in lines), columns))
    return blocks


def folded(line: str, columns: int) -> list[str]:
    """`line` as it fits in `columns`, folded at spaces only (a terminal would cut it
    mid-word): an example (`$ geobal ...`) ends each part but the last with ` \\`, as a
    shell reads it whole when pasted, folds between an option and the next, never
    between an option and its value (`--format toml`), and indents the parts after the
    first less where a long word would not fit otherwise."""
    if len(line) <= columns:
        return [line]
    lead = line[: len(line) - len(line.lstrip())]
    if not line.lstrip().startswith("$ "):
        return textwrap.wrap(
            line.strip(),
            columns,
            initial_indent=lead,
            subsequent_indent=lead + "    ",
            break_on_hyphens=False,
            break_long_words=False,
        )
    room = columns - 3  # for " \\", and a last column left free, as Rich leaves it
    # an option and its value too long together for a line are folded between them
    units = [
        piece
        for unit in _units(line.split())
        for piece in ([unit] if len(lead) + len(unit) <= room else unit.split())
    ]
    longest = max(len(u) for u in units[1:]) if len(units) > 1 else 0
    indent = lead + " " * max(0, min(4, room - len(lead) - longest))
    parts = [lead + units[0]]
    for unit in units[1:]:
        if len(parts[-1]) + 1 + len(unit) <= room:
            parts[-1] += " " + unit
        else:
            parts.append(indent + unit)
    return [f"{p} \\" for p in parts[:-1]] + parts[-1:]


def _units(words: list[str]) -> list[str]:
    """An example's words as the pieces a fold keeps whole: `$ geobal`, and an option
    with the value after it (a word that is no option, not a pipe)."""
    units = [" ".join(words[:2])]
    rest = words[2:]
    for i, word in enumerate(rest):
        before = rest[i - 1] if i else ""
        if before.startswith("-") and before != "-" and not word.startswith(("-", "|")):
            units[-1] += " " + word
        else:
            units.append(word)
    return units


def metavar(param: Parameter) -> str:
    """An argument as the usage line names it: its metavar, or its name in capitals;
    `...` where it takes several."""
    name = str(param.metavar or param.name or "ARG").upper()
    return name + ("..." if param.nargs == -1 else "")


def usage(command: Command, ctx: Context) -> list[str]:
    """The usage line after the command's name: [OPTIONS], then each argument plainly
    (DATASET ID, [FILE] where one may be left out), or COMMAND for a group."""
    pieces = ["[OPTIONS]"]
    for param in command.get_params(ctx):
        if param.param_type_name == "argument":
            name = metavar(param)
            pieces.append(name if param.required else f"[{name}]")
    if hasattr(command, "list_commands"):
        pieces.append("COMMAND [ARGS]...")
    return pieces


def _panel(param: Parameter) -> str:
    panel = getattr(param, "rich_help_panel", None)
    if panel:
        return str(panel)
    return "Arguments" if param.param_type_name == "argument" else OPTIONS


def written_values(
    param: Parameter, ctx: Context, record: tuple[str, str] | None
) -> tuple[str, str] | None:
    """An option's help record, with every value of the choice field it takes (see
    commands._options.choice_option) read from the command's data, or where they cannot
    be read, the command that lists them."""
    from geobal.commands import DATASET_OF
    from geobal.commands import _complete as complete
    from geobal.commands._options import VALUES_OF

    field = VALUES_OF.get((param.opts[0], param.help))
    if record is None or field is None:
        return record
    found = complete.codes(ctx, field)
    if found is None:
        dataset = DATASET_OF.get(str(ctx.info_name), ctx.info_name)
        said = f"`geobal schema {dataset} {field}` lists the values."
    else:
        said = f"Values: {', '.join(found)}."
    return record[0], f"{record[1]} {said}"


def write_help(command: Command, ctx: Context, formatter: HelpFormatter) -> None:
    columns = width()
    formatter.width = columns
    formatter.write_usage(ctx.command_path, " ".join(usage(command, ctx)))
    for block in paragraphs(command.help or "", columns):
        formatter.write("\n" + block + "\n")
    sections: dict[str, list[tuple[str, str]]] = {}
    for param in command.get_params(ctx):
        if param.param_type_name == "argument":
            text = getattr(param, "help", None) or ""
            record: tuple[str, str] | None = (metavar(param), text)
        else:
            record = written_values(param, ctx, param.get_help_record(ctx))
        if record is not None:
            sections.setdefault(_panel(param), []).append(record)
    if hasattr(command, "list_commands"):  # a group
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is None or sub.hidden:
                continue
            panel = getattr(sub, "rich_help_panel", None) or "Commands"
            sections.setdefault(str(panel), []).append((name, summary(sub.help or "")))
    # the command's own options first, then the shared panels in the order declared
    order = sorted(sections, key=lambda s: (s != "Arguments", s != OPTIONS))
    for title in order:
        formatter.write(f"\n{title}:\n")
        formatter.write(definitions(sections[title], columns))


def get_help(command: Command, ctx: Context) -> str:
    formatter = ctx.make_formatter()
    write_help(command, ctx, formatter)
    # no line ends in spaces: piped help is plain text
    return "\n".join(line.rstrip() for line in formatter.getvalue().splitlines())
