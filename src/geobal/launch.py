"""The `geobal` console script: the CLI, with Ctrl-C during its start-up said in one
line rather than a traceback.

Importing the CLI (Typer, Click and geobal's own modules) takes most of a short run, and
a Ctrl-C then arrives before the CLI can handle it. This module imports only sys and os,
which the interpreter has loaded already, and gc, built into it, so what is left is the
interpreter's own start, before any of geobal runs.

Start-up also pauses the cycle collector (see `started`).
"""

from __future__ import annotations  # sys.UnraisableHookArgs is a name for type checkers only

import gc
import sys

READY = "GEOBAL_READY_FD"  # a file descriptor to write "ready" to, once Ctrl-C is handled

_paused = False  # whether main() paused the cycle collector, which started() resumes


def main() -> None:
    global _paused
    sys.unraisablehook = _unraisable
    # What start-up makes (modules, Typer's and click's objects, the command's options)
    # lives until the run ends, yet every 700 new containers the cycle collector walks
    # them again: a twentieth of start-up's instructions, and more of its time, for no
    # garbage. It stays off until the command is about to run (started()).
    if gc.isenabled():
        gc.disable()
        _paused = True
    try:
        _ready()
        if sys.stdout is None or sys.stderr is None:  # started with one closed
            from geobal.env import closed_stream

            if sys.stdout is None:
                sys.stdout = closed_stream()
            if sys.stderr is None:  # else print(file=None) would write to stdout
                sys.stderr = closed_stream(quiet=True)
        from geobal.cli import main as run

        run()
    except SystemExit as done:
        _done()
        if done.code == 130 and _unsaid(done):
            _interrupt()
        raise
    except Exception as err:
        if not interrupted(err):
            raise
        _interrupt()
    except KeyboardInterrupt:
        _interrupt()


def started() -> None:
    """The command line is read and its command built: from here the command makes what
    it makes, so the cycle collector runs again, with what start-up made frozen out of
    its way (gc.freeze: it lives to the end of the run anyway). Only where main() paused
    it: a run under a test's CliRunner, or a program using the library, keeps its
    collector as it was."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def _ready() -> None:
    """Write "ready" to the file descriptor READY names, where the environment names
    one: from now on a Ctrl-C is geobal's to handle. A test that interrupts geobal at
    every moment of its run waits for this, not for a time it hopes is long enough
    (which, on a loaded machine, may end in the interpreter's own start)."""
    import os

    given = os.environ.pop(READY, None)  # not passed on to a pager or an editor
    if given is None:
        return
    try:
        fd = int(given)
        os.write(fd, b"ready\n")
        os.close(fd)
    except (ValueError, OSError):  # not a descriptor, or not one open for writing
        pass


def _unsaid(done: SystemExit) -> bool:
    """Whether the exit is a Ctrl-C that Typer turned into exit 130 without a word: one
    that came after geobal's command had finished, as the run was ending. (geobal's own
    handlers say it, and raise their exit from None.)"""
    err: BaseException | None = done.__context__
    while err is not None:
        if isinstance(err.__cause__, KeyboardInterrupt):
            return True
        err = err.__context__
    return False


def _interrupt() -> None:
    if sys.stderr is not None:
        sys.stderr.write("geobal: interrupted\n")
    raise SystemExit(130) from None  # as shells report SIGINT (errors.ExitCode)


def interrupted(err: BaseException) -> bool:
    """Whether `err` is a Ctrl-C in disguise: one that arrived while Python was creating
    a class, say, is raised as the RuntimeError that wraps it."""
    seen: set[int] = set()
    while err is not None and id(err) not in seen:
        if isinstance(err, KeyboardInterrupt):
            return True
        seen.add(id(err))
        err = err.__cause__ or err.__context__  # type: ignore[assignment]
    return False


def _done() -> None:
    """The work is done and its exit code known: a Ctrl-C from now on (the interpreter
    shutting down) changes nothing, so it is ignored, one landing while that is set up
    included. (_signal, the C module: signal's Python wrapper runs code a Ctrl-C can
    interrupt.)"""
    try:
        import _signal  # type: ignore[import-not-found]  # no stubs: signal.py wraps it

        _signal.signal(_signal.SIGINT, _signal.SIG_IGN)
    except KeyboardInterrupt:
        _done()


def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """A Ctrl-C that lands in code that cannot raise (a callback of the import system,
    a finaliser) would be printed as "Exception ignored" and then lost: raise it again a
    millisecond later, where it can be handled like any other."""
    import signal

    if unraisable.exc_type is KeyboardInterrupt and hasattr(signal, "setitimer"):
        signal.signal(signal.SIGALRM, _raise_interrupt)
        signal.setitimer(signal.ITIMER_REAL, 0.001)
    else:
        sys.__unraisablehook__(unraisable)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
