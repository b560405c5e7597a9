"""Cold reads: `factsheet` right after `cache clear`, on the legacy register and the
per-year export, beside warm `deals --json`.

Run from the repository root:

    uv run python bench/cold.py [--runs 7] [--before CHECKOUT]

Set-up: `uv sync --compile-bytecode` with PYTHONDONTWRITEBYTECODE unset (as a user's
install writes bytecode). In temporary folders of their own it makes two homes, each
with SIPRI's import-volume table (../shared/sipri/import-export-values_1950-2024.csv,
as `tiv`) and one register as `transfers`: the legacy one (trade-register.csv, 12.5 MB
of TOML) or the 2000-2023 per-year export (per-year-2000-2023.csv). Then it times,
interleaved, the median of --runs runs on each home of

    geobal cache clear; geobal factsheet --period 2019-2023 --json   (timed: the second)
    geobal --no-cache deals --json
    geobal deals --json                                              (warm: the floor)

and prints each with its ratio to warm `deals --json` of the same geobal and home.
With --before, a checkout of an earlier geobal (its own `uv sync --compile-bytecode`
done), each is timed with that one's .venv/bin/geobal too, interleaved with this one's,
each with a cache folder of its own; its output of the fact sheet is checked to be
byte for byte this one's.

Target (issue 24): `factsheet` right after `cache clear` within 15x of warm `deals`.
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
VOLUMES = "import-export-values_1950-2024.csv"
HOMES = {"legacy": "trade-register.csv", "per-year": "per-year-2000-2023.csv"}
FACTSHEET = ["factsheet", "--period", "2019-2023", "--json"]
COMMANDS = {
    "cold factsheet": FACTSHEET,
    "--no-cache deals --json": ["--no-cache", "deals", "--json"],
    "deals --json": ["deals", "--json"],
}


def run(geobal: Path, args: list[str], env: dict[str, str]) -> tuple[float, bytes]:
    start = time.perf_counter()
    done = subprocess.run([str(geobal), *args], env=env, capture_output=True, check=True)
    return time.perf_counter() - start, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", type=Path, help="a checkout of an earlier geobal")
    given = parser.parse_args()
    versions = {"this": GEOBAL}
    if given.before is not None:
        versions["before"] = given.before.resolve() / ".venv" / "bin" / "geobal"
    missing = [n for n in (VOLUMES, *HOMES.values()) if not (SIPRI / n).is_file()]
    if missing:
        sys.exit(f"needs {', '.join(missing)} in {SIPRI}")
    with tempfile.TemporaryDirectory() as tmp:
        envs: dict[tuple[str, str], dict[str, str]] = {}
        for home, register in HOMES.items():
            for version in versions:
                env = {
                    **os.environ,
                    "GEOBAL_DATA_DIR": f"{tmp}/{home}/data",
                    "GEOBAL_CACHE_DIR": f"{tmp}/{home}/cache-{version}",
                    "GEOBAL_CONFIG": f"{tmp}/{home}/config.toml",
                    "NO_COLOR": "1",
                }
                env.pop("PYTHONDONTWRITEBYTECODE", None)
                envs[home, version] = env
            for name, into in ((register, "transfers"), (VOLUMES, "tiv")):
                subprocess.run(
                    [str(GEOBAL), "import", str(SIPRI / name), "--into", into],
                    env=envs[home, "this"],
                    capture_output=True,
                    check=True,
                )
        outputs: dict[tuple[str, str], bytes] = {}
        for (home, version), env in envs.items():
            for _ in range(2):  # the parse cache filled, the files in the page cache
                outputs[home, version] = run(versions[version], FACTSHEET, env)[1]
                run(versions[version], ["deals", "--json"], env)
        for home in HOMES:
            if outputs[home, "this"] != outputs.get((home, "before"), outputs[home, "this"]):
                sys.exit(f"{home}: the fact sheets differ from the earlier geobal's")
        times: dict[tuple[str, str, str], list[float]] = {}
        for _ in range(given.runs):
            for (home, version), env in envs.items():
                geobal = versions[version]
                for label, args in COMMANDS.items():
                    if label == "cold factsheet":
                        run(geobal, ["cache", "clear"], env)
                    taken = run(geobal, args, env)[0]
                    times.setdefault((home, version, label), []).append(taken)
        print(f"median of {given.runs} runs, interleaved")
        for home in HOMES:
            for version in versions:
                floor = statistics.median(times[home, version, "deals --json"])
                for label in COMMANDS:
                    median = statistics.median(times[home, version, label])
                    print(
                        f"{home:<9} {version:<7} {label:<24} {median:6.3f} s"
                        f"  {median / floor:5.1f}x warm deals"
                    )


if __name__ == "__main__":
    main()
