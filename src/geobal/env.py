"""What the process was given: its streams, whether they are terminals, its environment.

geobal builds one Env from the process; tests build their own instead of patching sys,
as httpie's tests do with MockEnvironment. This module imports nothing of geobal.

A standard stream whose encoding cannot write a character (PYTHONIOENCODING=ascii, a
Latin-1 locale, a Windows code page) writes it as an escape rather than failing: \\u00e9
for é, and a character beyond U+FFFF as its surrogate pair, \\ud83d\\ude00, as JSON's
ensure_ascii writes them, so that JSON output stays JSON and reads back exact. Standard
output counts them, and the CLI says how many there were.
"""

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import BinaryIO, TextIO, cast

WIDEST = 10_000  # columns: a COLUMNS beyond any screen is a mistake, and Rich would draw it
FALLBACK = 80  # columns, for a COLUMNS that cannot be a width (as Rich takes an unknown one)
ESCAPE = "geobal.escape"  # the codec error handler standard output and error write with


class Escaped:
    """How many characters standard output's encoding could not write, written as
    escapes instead."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, err: UnicodeError) -> tuple[str, int]:
        if not isinstance(err, UnicodeEncodeError):
            raise err
        text = err.object[err.start : err.end]
        self.count += len(text)
        return u_escapes(text), err.end


def u_escapes(text: str) -> str:
    """`text` as \\uXXXX escapes, a character beyond U+FFFF as its surrogate pair."""
    out = []
    for char in text:
        code = ord(char)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out)


class Env:
    """The process as a run sees it: its streams, whether they are terminals, its
    environment. (A plain class: a NamedTuple costs every run about 0.3 ms to define.)"""

    __slots__ = (
        "bundled",
        "environ",
        "escapes",
        "stderr",
        "stderr_isatty",
        "stdin",
        "stdout",
        "stdout_isatty",
    )

    def __init__(
        self,
        stdout: TextIO,
        stderr: TextIO,
        stdout_isatty: bool,
        stderr_isatty: bool,
        environ: Mapping[str, str],
        stdin: BinaryIO | None = None,
        bundled: Path | None = None,
        escapes: Escaped | None = None,
    ) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.stdout_isatty = stdout_isatty
        self.stderr_isatty = stderr_isatty
        self.environ = environ
        self.stdin = stdin  # None: the process's standard input
        # The folder of the bundled datasets; None: the one installed with geobal. Tests
        # point it at fixtures of their own, so that behaviour is not tested on real data.
        self.bundled = bundled
        self.escapes = escapes  # the characters stdout wrote as escapes, if it counts

    @classmethod
    def from_process(cls) -> "Env":
        escapes = Escaped()
        _escaping(sys.stdout, escapes)
        _escaping(sys.stderr, escaped_quietly)
        return cls(
            sys.stdout,
            sys.stderr,
            _isatty(sys.stdout),
            _isatty(sys.stderr),
            os.environ,
            sys.stdin.buffer if sys.stdin is not None else None,
            escapes=escapes,
        )

    @property
    def width(self) -> int | None:
        """The terminal width the user set with COLUMNS, if any; FALLBACK for one that
        cannot be a width (0, negative, not a number, beyond WIDEST), with which Rich
        would draw nothing, or lines of a billion spaces."""
        columns = self.environ.get("COLUMNS", "").strip()
        if not columns:
            return None
        if columns.isascii() and columns.isdigit() and 0 < int(columns) <= WIDEST:
            return int(columns)
        return FALLBACK

    @property
    def height(self) -> int | None:
        """The terminal's height in lines: LINES where the user set it to one, else the
        height of the terminal standard output is; None where neither is known (output
        to a pipe, a file or a stand-in stream)."""
        lines = self.environ.get("LINES", "").strip()
        if lines.isascii() and lines.isdigit() and 0 < int(lines) <= WIDEST:
            return int(lines)
        try:
            return os.get_terminal_size(self.stdout.fileno()).lines or None
        except (AttributeError, ValueError, OSError):  # no file descriptor, or no terminal
            return None

    def read_stdin(self) -> bytes | None:
        """What standard input holds; None where the process was started without one."""
        stream = self.stdin
        if stream is None and sys.stdin is not None:
            stream = sys.stdin.buffer
        return stream.read() if stream is not None else None


def closed_stream(quiet: bool = False) -> TextIO:
    """A stand-in for a standard stream the process was started without: writing to it
    fails as writing to a closed file would, so the CLI reports it as such; or, `quiet`
    (standard error, where that report would go), takes what is written and drops it,
    so that no message ends up in standard output's place instead."""
    import errno
    import io

    class Closed(io.TextIOBase):
        def write(self, text: str) -> int:
            if quiet:
                return len(text)
            raise OSError(errno.EBADF, "it is closed")

        def isatty(self) -> bool:
            return False

    return cast(TextIO, Closed())


def escaped_quietly(err: UnicodeError) -> tuple[str, int]:
    """The codec error handler of standard error: escapes, uncounted."""
    if not isinstance(err, UnicodeEncodeError):
        raise err
    return u_escapes(err.object[err.start : err.end]), err.end


def _escaping(stream: TextIO | None, handler: "Callable[[UnicodeError], tuple[str, int]]") -> None:
    """Make `stream` write what its encoding cannot as escapes, where it would fail
    (errors "strict") or write them Python's way (standard error's "backslashreplace",
    \\xe9, which JSON does not read); "surrogateescape" (the C locale) writes the bytes
    of a file name as they were, and stays."""
    import codecs
    import contextlib

    if stream is None or getattr(stream, "errors", None) not in ("strict", "backslashreplace"):
        return
    name = f"{ESCAPE}.{id(handler)}"  # a handler of its own per stream, as each counts apart
    codecs.register_error(name, handler)
    with contextlib.suppress(AttributeError, ValueError, OSError):  # not a TextIOWrapper; closed
        stream.reconfigure(errors=name)  # type: ignore[attr-defined]


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or stream-like object
        return False
