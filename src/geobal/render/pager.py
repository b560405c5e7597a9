"""The pager: output for a person at a terminal, longer than the screen, shown through
the pager the user chose, as git pages its output.

Which pager: GEOBAL_PAGER where it is set, else PAGER, else `less`; one set empty, or
to `cat`, means no pager, as does TERM=dumb (a terminal that cannot draw a pager's
screen). The pager gets the output's colours raw, so `less` runs with LESS=FRX unless
the user set LESS (R: colours shown, F: quit where it fits one screen, X: the screen
left as it was), as git runs it; a LESS of the user's without R gets R added. A pager
that fails, or that cannot be read as a command, leaves the output to be written as it
is, said on stderr. A pager is never used off a terminal.
"""

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geobal.env import Env

_STYLES = re.compile(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\")
NOT_FOUND = 127  # what a shell exits with for a command it cannot find


def pager_command(environ: Mapping[str, str]) -> str | None:
    """The command that pages, as the shell runs it; None for no pager."""
    if environ.get("TERM") == "dumb":
        return None
    for name in ("GEOBAL_PAGER", "PAGER"):
        if name in environ:
            command = environ[name].strip()
            return command if command not in ("", "cat") else None
    import shutil

    return "less" if shutil.which("less", path=environ.get("PATH")) else None


def screen_lines(text: str, width: int) -> int:
    """The lines `text` takes on a screen `width` columns wide, a longer line wrapped."""
    return sum(
        max(1, -(-len(_STYLES.sub("", line)) // max(1, width))) for line in text.splitlines()
    )


def page(env: "Env", text: str, width: int, always: bool = False) -> None:
    """Write `text` to a terminal: through the pager where it takes more lines than the
    screen has (or `always`, as --pager asks), else as it is. Where the height of the
    screen is unknown, or there is no pager, `text` is written as it is."""
    command = pager_command(env.environ) if env.stdout_isatty else None
    height = env.height
    long = height is not None and screen_lines(text, width) >= height
    if command is None or not (always or long):
        env.stdout.write(text)
        return
    if (failed := _piped(env, command, text)) is not None:
        # the output is the user's: never lost to a pager that could not show it
        env.stdout.write(text)
        print(
            f"geobal: the pager {command!r} {failed}, so the output is shown without it: "
            "set GEOBAL_PAGER or PAGER to one that works (or to nothing for none), or "
            "give --no-pager",
            file=env.stderr,
        )


def less_options(command: str, environ: Mapping[str, str]) -> str | None:
    """The LESS that `command` runs with, where it is less (None where it is not, or
    LESS is to stay as it is): FRX where the user set none; the user's with -R added
    where it lacks R (or r, or --raw-control-chars), as the output's colours come raw
    and would show as "ESC[1m" without it. Adding R keeps the colours, and the user's
    other options, where paging without colour would lose the colours for one letter."""
    import shlex
    from pathlib import PurePath

    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if not words or PurePath(words[0]).name != "less":
        return None
    given = environ.get("LESS")
    if given is None:
        return "FRX"
    for word in given.split():
        if word.lower().startswith("--raw-control-chars"):
            return None
        if not word.startswith("--") and ("R" in word or "r" in word):
            return None
    return f"{given} -R".strip()


def _piped(env: "Env", command: str, text: str) -> str | None:
    """Run the pager on `text`; what went wrong where it did not show it (not found,
    not a command, failed), else None."""
    import contextlib
    import shlex
    import subprocess

    try:
        shlex.split(command)
    except ValueError as err:  # the shell would refuse it too ("unterminated quote")
        return f"cannot be read as a command ({err})"
    environ = {**env.environ}
    environ.setdefault("LESS", "FRX")
    if (less := less_options(command, env.environ)) is not None:
        environ["LESS"] = less
    environ.setdefault("LV", "-c")  # lv, the other pager that reads LESS's wish for colours
    encoding = getattr(env.stdout, "encoding", None) or "utf-8"
    errors = getattr(env.stdout, "errors", None) or "strict"
    data = text.encode(encoding, errors)
    env.stdout.flush()
    target = None
    with contextlib.suppress(AttributeError, ValueError, OSError):
        target = env.stdout.fileno()
    proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, stdout=target, env=environ)
    assert proc.stdin is not None
    # Ctrl-C is the pager's to handle (less stops a search with it), and quitting it
    # before the end closes the pipe: neither ends geobal with an error
    with contextlib.suppress(KeyboardInterrupt, BrokenPipeError, OSError):
        proc.stdin.write(data)
    with contextlib.suppress(BrokenPipeError, OSError):
        proc.stdin.close()
    while True:
        try:
            code = proc.wait()
            break
        except KeyboardInterrupt:
            continue
    if code == NOT_FOUND:
        return "was not found"
    # a pager ended by a signal was stopped by its user (Ctrl-C in more): nothing to repeat
    if code > 0:
        return f"failed (exit status {code})"
    return None
