"""Writing the user's files so that nothing is lost.

Every write goes to a temporary file in the same folder, is flushed and fsynced, and
then replaces the original with os.replace: a process killed at any point leaves the
old file or the new one, never a torn one. Several files written together (a SIPRI
import and its source entry) are all written first and then renamed one after the
other with Ctrl-C held back, so all are replaced or none. Writers hold an exclusive
lock (flock on a `.lock` file beside the dataset) from reading the file to replacing
it, so concurrent writers queue rather than overwrite each other.

A file keeps its mode (a new one gets what `open` would give under the umask); a
read-only file is refused unless forced; a symlink is written through, to the file it
names; a write that would part a hard link from its other names says so.

Records are edited as text, one `[[records]]` block at a time, so the user's comments
and layout elsewhere in the file survive.
"""

import fcntl
import os
import re
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from geobal.errors import DataError, ExitCode, GeobalError

_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)  # any table or array-of-tables header
_RECORDS = re.compile(r"^[ \t]*\[\[[ \t]*records[ \t]*\]\][ \t]*(#.*)?$", re.MULTILINE)
# a key line simple enough to read without a TOML parser: id = "x-1"
_SIMPLE_KEY = r'^[ \t]*{key}[ \t]*=[ \t]*"([A-Za-z0-9._-]*)"[ \t]*(?:#.*)?$'
STALE = 600  # seconds: a temporary file this old was left by a writer that was killed

Say = Callable[[str], None]


class Interrupted(GeobalError):
    """Ctrl-C while files were being written: the temporary files are gone, and the
    files themselves are as they were."""

    exit_code = ExitCode.INTERRUPTED


def resolved(path: Path) -> Path:
    """The file a write of `path` changes: through symlinks, to the file they name."""
    return Path(os.path.realpath(path))


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the write lock of `path` (its folder must exist): a hidden `.NAME.lock`
    beside the file it names, which the data folder's listing leaves out."""
    target = resolved(path)
    try:
        fd = os.open(target.parent / f".{target.name}.lock", os.O_CREAT | os.O_RDWR, 0o644)
    except OSError as err:
        raise DataError(
            f"{target.parent}: cannot write here: {err.strerror}",
            "check the folder exists and that you may write to it, or choose another",
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C held back until the block is done, then raised: for renames that must
    all happen or none. Outside the main thread signals cannot be caught; nothing is
    held there."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: caught.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _checked(target: Path, force: bool) -> int:
    """The mode the new file gets; refuses a read-only file unless `force`."""
    try:
        st = target.stat()
    except FileNotFoundError:
        return 0o666 & ~_umask()
    except OSError as err:
        raise DataError(f"{target}: cannot write: {err.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise DataError(f"{target} is a folder", "give a file's path to write to")
    if not stat.S_ISREG(st.st_mode):
        raise DataError(f"{target} is not a regular file", "give a file's path to write to")
    if not st.st_mode & stat.S_IWUSR and not force:
        raise DataError(
            f"{target} is read-only", "make it writable (chmod u+w) to change it, or pass --force"
        )
    return stat.S_IMODE(st.st_mode)


def _stale(folder: Path, name: str) -> None:
    """Remove the temporary files a killed writer of `name` left behind."""
    now = time.time()
    for tmp in folder.glob(f".{name}.*.tmp"):
        try:
            if now - tmp.stat().st_mtime > STALE:
                tmp.unlink()
        except OSError:
            pass


def atomic_write(
    path: Path, text: str | bytes, force: bool = False, say: Say | None = None
) -> None:
    atomic_writes([(path, text)], force, say)


def atomic_writes(
    files: Sequence[tuple[Path, str | bytes]], force: bool = False, say: Say | None = None
) -> None:
    """Write each file's text (or bytes), all or none: every one to a temporary file
    first, then each renamed over its file, with Ctrl-C held back while they are."""
    plans: list[tuple[Path, str | bytes, int]] = []
    for path, text in files:
        target = resolved(path)
        mode = _checked(target, force)
        if say is not None and target.exists() and target.stat().st_nlink > 1:
            say(f"{target} has other hard links, which keep the old contents: the write "
                "makes a new file")  # fmt: skip
        plans.append((target, text, mode))
    written: list[tuple[str, Path]] = []
    target = plans[0][0] if plans else Path()
    try:
        for target, text, mode in plans:
            _stale(target.parent, target.name)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            written.append((tmp, target))
            data = text.encode("utf-8") if isinstance(text, str) else text
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            Path(tmp).chmod(mode)
    except KeyboardInterrupt:
        _discard(written)
        raise Interrupted("interrupted; nothing was written") from None
    except OSError as err:
        _discard(written)
        raise DataError(
            f"{target}: cannot write: {err.strerror}; nothing was written", advice(err)
        ) from None
    except BaseException:
        _discard(written)
        raise
    renamed = 0
    try:
        # a Ctrl-C now is held until every file is renamed, then raised: all were written
        with interrupts_held():
            for tmp, target in written:
                Path(tmp).replace(target)  # os.replace: atomic within one file system
                renamed += 1
    except OSError as err:
        _discard(written[renamed:])
        done = ", ".join(str(t) for _, t in written[:renamed])
        raise DataError(
            f"{target}: cannot replace: {err.strerror}; "
            + (f"{done} written already" if done else "nothing was written"),
            advice(err),
        ) from None
    finally:
        for folder in dict.fromkeys(target.parent for _, target in written[:renamed]):
            _sync(folder)


def _discard(written: Iterable[tuple[str, Path]]) -> None:
    for tmp, _ in written:
        Path(tmp).unlink(missing_ok=True)


def _sync(folder: Path) -> None:
    """The renames themselves survive a crash."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def advice(err: OSError) -> str:
    import errno

    return {
        errno.ENOSPC: "the disk is full: free some space, then run the command again",
        errno.EDQUOT: "your disk quota is used up: free some space, then run it again",
        errno.EFBIG: "the file would be larger than allowed here",
        errno.EROFS: "the file system is read-only: write somewhere else",
        errno.EACCES: "you may not write there: check the folder's permissions",
        errno.EPERM: "you may not write there: check the folder's permissions",
        errno.ENOENT: "check the path: a folder on the way does not exist",
        errno.ENOTDIR: "check the path: part of it is a file, not a folder",
        errno.EISDIR: "give a file's path, not a folder's",
        errno.EBADF: "the stream is closed: give the command somewhere to write",
    }.get(err.errno or 0, "check the file and its folder, then run the command again")


def record_spans(text: str, key: str) -> dict[str, tuple[int, int]]:
    """Where each `[[records]]` block lies in a file's text, by its id. A block runs
    from its header to its last value; the comments and blank lines after that lead
    into the next header and belong to it."""
    simple = re.compile(_SIMPLE_KEY.format(key=re.escape(key)), re.MULTILINE)
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
        block = text[m.end() : end]
        found = simple.findall(block)
        if len(found) == 1:
            rid: object = found[0]
        else:  # a key written some other way: ask the parser
            import tomllib

            try:
                rid = tomllib.loads(block).get(key)
            except (tomllib.TOMLDecodeError, RecursionError, ValueError):
                rid = None
        if isinstance(rid, str):
            spans[rid] = (m.start(), end)
    return spans


def without(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` without these blocks (and the blank lines that followed each)."""
    pieces, at = [], 0
    for start, end in sorted(spans):
        pieces.append(text[at:start])
        at = end
        while at < len(text) and text[at] == "\n":
            at += 1
    pieces.append(text[at:])
    return "".join(pieces)


def with_blocks(text: str, blocks: Sequence[str]) -> str:
    """`text` with `[[records]]` blocks appended, a blank line before each."""
    if not blocks:
        return text
    if text and not text.endswith("\n"):
        text += "\n"
    if text and not text.endswith("\n\n"):
        text += "\n"
    return text + "\n".join(blocks)
