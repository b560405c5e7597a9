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

Where records lie in a dataset file is geobal.tomltext's to say, and what a change to
one means is geobal.userfile's: both write through here.
"""

import os
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from geobal.codecs.escape import one_line
from geobal.errors import DataError, ExitCode, GeobalError

STALE = 600  # seconds: a temporary file this old was left by a writer that was killed

Say = Callable[[str], None]
# what a write that succeeded left on disk, for the parse cache: inode, size, mtime
Stamp = tuple[int, int, int]


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
    lock = target.parent / f".{target.name}.lock"
    try:
        fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o644)
    except OSError as err:
        if os.path.lexists(lock):  # a folder or the like where the lock would be
            raise DataError(
                f"{lock}: cannot hold the write lock of {target.name} there: {err.strerror}",
                "remove it (geobal makes the lock file again)",
            ) from None
        raise DataError(
            f"{target.parent}: cannot write here: {err.strerror}",
            "check the folder exists and that you may write to it, or choose another",
        ) from None
    try:
        _lock(fd)
        yield
    finally:
        _unlock(fd)
        os.close(fd)


def _lock(fd: int) -> None:
    """Wait for the exclusive lock on the open file `fd`: flock where there is one
    (Linux, macOS and the BSDs), else Windows' own byte-range lock."""
    try:
        import fcntl
    except ImportError:
        import msvcrt

        while True:
            try:
                # LK_LOCK itself tries for about 10 s, then raises: keep waiting, as
                # flock does, for the writer ahead to finish
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # type: ignore[attr-defined]
                return
            except OSError:
                continue
    fcntl.flock(fd, fcntl.LOCK_EX)


def _unlock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(fd, fcntl.LOCK_UN)


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


def _checked(target: Path, force: bool, forced_by: str | None) -> int:
    """The mode the new file gets; refuses a read-only file unless `force` (which the
    option `forced_by` gives, where the command has one)."""
    try:
        st = target.stat()
    except FileNotFoundError:
        return 0o666 & ~_umask()
    except OSError as err:
        raise DataError(f"{one_line(target)}: cannot write: {err.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        raise DataError(f"{one_line(target)} is a folder", "give a file's path to write to")
    if not stat.S_ISREG(st.st_mode):
        raise DataError(
            f"{one_line(target)} is not a regular file", "give a file's path to write to"
        )
    if not st.st_mode & stat.S_IWUSR and not force:
        also = f", or pass {forced_by}" if forced_by else ""
        raise DataError(
            f"{one_line(target)} is read-only", f"make it writable (chmod u+w) to change it{also}"
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
    path: Path,
    text: str | bytes,
    force: bool = False,
    say: Say | None = None,
    forced_by: str | None = "--force",
    durable: bool = True,
) -> Stamp | None:
    return atomic_writes([(path, text)], force, say, forced_by, durable)[0]


def atomic_writes(
    files: Sequence[tuple[Path, str | bytes]],
    force: bool = False,
    say: Say | None = None,
    forced_by: str | None = "--force",
    durable: bool = True,
) -> list[Stamp | None]:
    """Write each file's text (or bytes), all or none: every file is checked before the
    first is written, each goes to a temporary file first, and then each is renamed
    over its file, with Ctrl-C held back while they are. What each write left on disk
    (None where the file changed again at once, as no other geobal writer can). Not
    `durable` (the parse cache, which a crash only makes rebuild): not fsynced."""
    plans: list[tuple[Path, str | bytes, int]] = []
    for path, text in files:
        target = resolved(path)
        mode = _checked(target, force, forced_by)
        if say is not None and target.exists() and target.stat().st_nlink > 1:
            say(f"{one_line(target)} has other hard links, which keep the old contents: the write "
                "makes a new file")  # fmt: skip
        plans.append((target, text, mode))
    written: list[tuple[str, Path]] = []
    stamps: list[Stamp] = []
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
                if durable:
                    os.fsync(f.fileno())
                Path(tmp).chmod(mode)
                st = os.fstat(f.fileno())
            stamps.append((st.st_ino, st.st_size, st.st_mtime_ns))
    except KeyboardInterrupt:
        _discard(written)
        raise Interrupted("interrupted; nothing was written") from None
    except OSError as err:
        _discard(written)
        raise DataError(
            f"{one_line(target)}: cannot write: {err.strerror}; nothing was written", advice(err)
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
            f"{one_line(target)}: cannot replace: {err.strerror}; "
            + (f"{done} written already" if done else "nothing was written"),
            advice(err),
        ) from None
    finally:
        for folder in dict.fromkeys(target.parent for _, target in written[:renamed]):
            if durable:
                _sync(folder)
    return [_unchanged(target, stamp) for (_, target), stamp in zip(written, stamps, strict=True)]


def _unchanged(path: Path, stamp: Stamp) -> Stamp | None:
    """`stamp` if `path` is still the file this write left; else None."""
    try:
        st = path.stat()
    except OSError:
        return None
    return stamp if (st.st_ino, st.st_size, st.st_mtime_ns) == stamp else None


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


# A replacement that would keep less than this share of a dataset's records is refused
# unless asked for: an export filtered by mistake, or cut short, looks just like that.
SMALLER = 0.5
ALLOW_SMALLER = "--allow-smaller"


class Existing(NamedTuple):
    """A dataset that a write would replace whole, as the importer sees it."""

    records: int
    made_by: str | None  # the command that made it (`import --as sipri`), if one did
    what: str  # what it is: "the trade register (legacy export) from sipri-register-2024-10-13"
    strays: Sequence[str] = ()  # ids of records in it that the command did not make
    changed: str = ""  # its file, where its records were changed since the command made it


def replacing(
    name: str,
    where: str,
    made_by: str,
    new: int,
    existing: Existing | None,
    allow_smaller: bool,
) -> str | None:
    """Whether data from `where` (`new` records, read by `made_by`) may replace dataset
    `name` whole, checked before anything is written: a DataError if not, else the line
    that says what is replaced (None for a new dataset). Only data of the kind that
    made a dataset replaces it; an export with nothing in it replaces nothing; nor does
    one much smaller than what it replaces, unless --allow-smaller."""
    if new == 0:
        raise DataError(
            f"{where}: the export holds no data; nothing was written",
            "check the filters it was exported or fetched with",
        )
    if existing is None:
        return None
    if existing.made_by != made_by:
        raise DataError(
            f"{name} is a dataset `geobal {made_by}` did not make ({existing.what}, "
            f"{existing.records} records): it is not replaced; nothing was written",
            "import into a dataset of its own: --into NAME, a name no dataset has yet",
        )
    if existing.strays:
        shown = ", ".join(existing.strays[:5]) + (" ..." if len(existing.strays) > 5 else "")
        raise DataError(
            f"{name} holds {len(existing.strays)} records that no export gave ({shown}): "
            "replacing it would lose them; nothing was written",
            f"import --into another name, or remove them first (geobal remove {name} ID...)",
        )
    if existing.changed:
        raise DataError(
            f"{name} was changed since it was imported (records added, changed or removed): "
            "replacing it would lose those changes; nothing was written",
            "import --into another name and compare the two; or, if the changes may go, "
            f"move {existing.changed} away first",
        )
    if new < existing.records * SMALLER and not allow_smaller:
        raise DataError(
            f"{where}: {new} records would replace the {existing.records} of {name} "
            f"({new / existing.records:.1%} as many); nothing was written",
            f"pass {ALLOW_SMALLER} if that is what you mean, or import --into another name",
        )
    return f"replaced {name}, which held {existing.records} records of {existing.what}"
