"""Writing the user's files so that nothing is lost.

Every write goes to a temporary file in the same folder, is flushed and fsynced, and
then replaces the original with os.replace: a process killed at any point leaves the
old file or the new one, never a torn one. Writers hold an exclusive lock (flock on a
`.lock` file beside the dataset) from reading the file to replacing it, so concurrent
writers queue rather than overwrite each other.

Records are edited as text, one `[[records]]` block at a time, so the user's comments
and layout elsewhere in the file survive.
"""

import fcntl
import os
import re
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)  # any table or array-of-tables header
_RECORDS = re.compile(r"^[ \t]*\[\[[ \t]*records[ \t]*\]\][ \t]*(#.*)?$", re.MULTILINE)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the write lock of `path` (its folder must exist): a hidden `.NAME.lock`
    beside it, which the data folder's listing leaves out."""
    fd = os.open(path.parent / f".{path.name}.lock", os.O_CREAT | os.O_RDWR, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            Path(tmp).chmod(path.stat().st_mode & 0o777)
        Path(tmp).replace(path)  # os.replace: atomic within one file system
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself survives a crash
    finally:
        os.close(dir_fd)


def record_spans(text: str, key: str) -> dict[str, tuple[int, int]]:
    """Where each `[[records]]` block lies in a file's text, by its id. A block runs
    from its header to its last value; the comments and blank lines after that lead
    into the next header and belong to it."""
    spans: dict[str, tuple[int, int]] = {}
    for m in _RECORDS.finditer(text):
        nxt = _HEADER.search(text, m.end())
        lines = text[m.end() : nxt.start() if nxt else len(text)].splitlines(keepends=True)
        keep = len(lines)
        while (
            nxt
            and keep > 1
            and (not lines[keep - 1].strip() or lines[keep - 1].lstrip().startswith("#"))
        ):
            keep -= 1
        end = m.end() + sum(len(line) for line in lines[:keep])
        rid = tomllib.loads(text[m.end() : end]).get(key)
        if isinstance(rid, str):
            spans[rid] = (m.start(), end)
    return spans


def without_record(text: str, key: str, rid: str) -> str:
    start, end = record_spans(text, key)[rid]
    return text[:start] + text[end:].lstrip("\n")


def with_block(text: str, block: str) -> str:
    """`text` with a `[[records]]` block appended after a blank line."""
    if text and not text.endswith("\n"):
        text += "\n"
    if text and not text.endswith("\n\n"):
        text += "\n"
    return text + block
