"""The `geobal` console script: the CLI, with Ctrl-C during its start-up said in one
line rather than a traceback.

Importing the CLI (Typer, Click and geobal's own modules) takes most of a short run, and
a Ctrl-C then arrives before the CLI can handle it. This module imports nothing at its
top, so what is left is the interpreter's own start, before any of geobal runs.
"""


def main() -> None:
    import sys

    try:
        if sys.stdout is None:  # started with standard output closed
            from geobal.env import closed_stream

            sys.stdout = closed_stream()
        from geobal.cli import main as run

        run()
    except SystemExit:
        _done()
        raise
    except KeyboardInterrupt:
        if sys.stderr is not None:
            sys.stderr.write("geobal: interrupted\n")
        raise SystemExit(130) from None  # as shells report SIGINT (errors.ExitCode)


def _done() -> None:
    """The work is done and its exit code known: a Ctrl-C from now on (the interpreter
    shutting down) changes nothing, so it is ignored."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
