"""Warm `validate` and `search` with SIPRI's registers imported, beside `deals --json`.

Run from the repository root:

    uv run python bench/warm.py [--runs 7] [--before CHECKOUT]

Set-up: `uv sync --compile-bytecode` with PYTHONDONTWRITEBYTECODE unset (as a user's
install writes bytecode). In a temporary folder of its own it imports the legacy
register (../shared/sipri/trade-register.csv, as `transfers`) and the 2000-2023
per-year export (as `py`), runs each command twice to fill the parse cache, then
times, interleaved, the median of --runs runs of

    geobal validate
    geobal search S-400
    geobal search S-400 --all
    geobal deals --json

With --before, a checkout of an earlier geobal (its own `uv sync --compile-bytecode`
done), each command is timed with that one's .venv/bin/geobal too, interleaved with
this one's, over the same files; a command it refuses (exit 2) is left out.

Targets (issue 22): warm `validate` under 1 s; `search` back near what it was before
a register was imported (0.26 s), its imports searched only when asked (`--all`).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEOBAL = ROOT / ".venv" / "bin" / "geobal"
SIPRI = ROOT.parent / "shared" / "sipri"
IMPORTS = (("trade-register.csv", "transfers"), ("per-year-2000-2023.csv", "py"))
COMMANDS = {
    "validate": ["validate"],
    "search S-400": ["search", "S-400"],
    "search S-400 --all": ["search", "S-400", "--all"],
    "deals --json": ["deals", "--json"],
}


def run(geobal: Path, args: list[str], env: dict[str, str]) -> tuple[float, int]:
    start = time.perf_counter()
    done = subprocess.run([str(geobal), *args], env=env, capture_output=True, check=False)
    return time.perf_counter() - start, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", type=Path, help="a checkout of an earlier geobal")
    given = parser.parse_args()
    runs = given.runs
    versions = {"this": GEOBAL}
    if given.before is not None:
        versions["before"] = given.before.resolve() / ".venv" / "bin" / "geobal"
    missing = [name for name, _ in IMPORTS if not (SIPRI / name).is_file()]
    if missing:
        sys.exit(f"needs {', '.join(missing)} in {SIPRI}")
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "GEOBAL_DATA_DIR": f"{tmp}/data",
            "GEOBAL_CACHE_DIR": f"{tmp}/cache",
            "GEOBAL_CONFIG": f"{tmp}/config.toml",
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for name, into in IMPORTS:
            subprocess.run(
                [str(GEOBAL), "import", str(SIPRI / name), "--into", into],
                env=env,
                capture_output=True,
                check=True,
            )
        usable = []
        for label, args in COMMANDS.items():
            for version, geobal in versions.items():
                for _ in range(2):  # the parse cache filled, the files in the page cache
                    _, code = run(geobal, args, env)
                if code in (0, 1):  # validate exits 1 on problems; a refused option is 2
                    usable.append((version, label))
                else:
                    print(f"{version}: {label}: exit {code}, not timed (an option it lacks)")
        times: dict[tuple[str, str], list[float]] = {key: [] for key in usable}
        for _ in range(runs):
            for version, label in usable:
                times[version, label].append(run(versions[version], COMMANDS[label], env)[0])
        print(f"median of {runs} runs, warm, interleaved")
        for version in versions:
            floor = statistics.median(times[version, "deals --json"])
            for (which, label), taken in times.items():
                if which == version:
                    median = statistics.median(taken)
                    print(f"{version:<7} {label:<20} {median:6.3f} s  {median / floor:5.1f}x deals")


if __name__ == "__main__":
    main()
