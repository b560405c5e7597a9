"""`geobal export`: a whole dataset as a file to keep or share, in any format a codec
writes (geobal.codecs.exportable): TOML, a dataset file geobal reads back; the others,
its records."""

from collections.abc import Iterator
from pathlib import Path

from geobal import codecs
from geobal.codecs.escape import one_line
from geobal.errors import UsageError
from geobal.model import Dataset

DEFAULT = "toml"  # what export writes when neither --format nor the file's name says


def export(ds: Dataset, fmt: str, for_spreadsheet: bool = False) -> Iterator[str]:
    """The dataset in the format `fmt` names; `for_spreadsheet`, CSV only, makes its
    formulas inert (codecs.delimited.spreadsheet_cell), and the file then no longer
    imports back exactly."""
    codec = codecs.CODECS[fmt]
    if not codec.writes_text:
        raise UsageError(
            f"{codec.title} is written to a file, not to standard output",
            f"give the file to write: --output FILE.{codec.extensions[0]}",
        )
    if not for_spreadsheet:
        return codec.write_dataset(ds)
    if codec.name != "csv":
        raise UsageError(
            f"--for-spreadsheet makes CSV safe to open in a spreadsheet; {fmt} is not CSV",
            "give it with --format csv",
        )
    return codec.write_rows(codecs.records_frame(ds), codecs.WriteOptions(spreadsheet=True))


def export_format(given: str | None, output: str | None) -> str:
    """The format to export in: as given, else as the file's extension names (as
    `import` reads it), else (a name without one) TOML; a file whose extension names
    another format than the one given, or none geobal writes, is refused, rather than
    written in a format its name belies."""
    found = codecs.by_extension(output, codecs.exportable()) if output and output != "-" else None
    named = found.name if found else None
    if given is not None and named is not None and named != given:
        raise UsageError(
            f"--format {given} and --output {one_line(output)} name different formats",
            f"give the file a .{codecs.CODECS[given].extensions[0]} name, or leave --format "
            f"out to write {named}",
        )
    suffix = Path(output).suffix if output and output != "-" else ""
    if given is None and named is None and suffix:
        # d.xlsx written as TOML would open as nonsense in the program its name promises
        shown = ", ".join(f".{c.extensions[0]}" for c in codecs.exportable())
        raise UsageError(
            f"--output {one_line(output)}: geobal writes no format named {one_line(suffix)}",
            f"name the file {shown}, or give --format to write that format under this name",
        )
    return given or named or DEFAULT
