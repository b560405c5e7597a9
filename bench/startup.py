"""Start-up benchmark: geobal's common commands against a minimal stdlib script.

Run from the repository root:

    uv run python bench/startup.py [--runs 25]

It first runs `uv sync --compile-bytecode` with PYTHONDONTWRITEBYTECODE unset, as a
user's install writes bytecode; otherwise every run would time the compiler. Then it
times, interleaved, each command in turn, and prints the median of each and its ratio
to the minimal script, which does the least any tool must: load data/deals.toml,
filter by sector and print JSON. A minimal Typer app doing the same shows the floor
that the choice of Typer sets. It also times shell completion, and, when
../shared/sipri is there, `geobal shares` over SIPRI's trade register once imported
(warm: the parse cache filled), in temporary folders of its own.
"""

import argparse
import os
import pty
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"

MINIMAL = """
import json, sys, tomllib
with open(sys.argv[1], "rb") as f:
    records = tomllib.load(f)["records"]
json.dump([r for r in records if r.get("sector") == "air"], sys.stdout, indent=2,
          ensure_ascii=False, default=str)
"""

# What any Typer 0.28 application pays before doing its own work: the same job as
# MINIMAL, behind a root callback and one command with a --json option.
TYPER_FLOOR = """
import json, sys, tomllib
import typer

app = typer.Typer()

@app.callback()
def root() -> None:
    pass

@app.command()
def deals(as_json: bool = typer.Option(False, "--json")) -> None:
    with open(PATH, "rb") as f:
        records = tomllib.load(f)["records"]
    json.dump([r for r in records if r.get("sector") == "air"], sys.stdout, indent=2,
              ensure_ascii=False, default=str)

app()
"""


def environment(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith("GEOBAL_")
    }
    env.update(
        NO_COLOR="1",
        GEOBAL_DATA_DIR=str(home / "data"),
        GEOBAL_CONFIG=str(home / "config.toml"),
        GEOBAL_CACHE_DIR=str(home / "cache"),
    )
    return env


def run_completion(cmd: list[str], env: dict[str, str]) -> float:
    words = "geobal deals --sector "
    return run_piped(
        cmd, {**env, "_GEOBAL_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": "3"}
    )


def run_piped(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def run_on_terminal(cmd: list[str], env: dict[str, str]) -> float:
    """Run with stdout on a pseudo-terminal, as a user at a terminal sees it."""
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    start = time.perf_counter()
    subprocess.run(
        cmd, env={**env, "COLUMNS": "100"}, stdout=slave, stderr=subprocess.DEVNULL, check=True
    )
    elapsed = time.perf_counter() - start
    os.close(slave)
    reader.join(timeout=5)
    os.close(master)
    if not chunks:
        raise SystemExit(f"{' '.join(cmd)} wrote nothing to the terminal")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25, help="runs of each command (>= 15)")
    args = parser.parse_args()
    runs = max(args.runs, 15)
    home = Path(tempfile.mkdtemp(prefix="geobal-bench-"))
    env = environment(home)

    subprocess.run(["uv", "sync", "--compile-bytecode", "--quiet"], cwd=ROOT, env=env, check=True)
    python, geobal = str(BIN / "python"), str(BIN / "geobal")
    deals = str(ROOT / "data" / "deals.toml")
    cases = {
        "minimal stdlib script": (run_piped, [python, "-c", MINIMAL, deals]),
        "minimal Typer app": (
            run_piped,
            [python, "-c", TYPER_FLOOR.replace("PATH", repr(deals)), "deals", "--json"],
        ),
        "geobal deals --json": (run_piped, [geobal, "deals", "--json"]),
        "geobal deals (table, pty)": (run_on_terminal, [geobal, "deals"]),
        "geobal --help": (run_piped, [geobal, "--help"]),
        "completion (--sector)": (run_completion, [geobal]),
    }
    register = ROOT.parent / "shared" / "sipri" / "trade-register.csv"
    if register.is_file():
        subprocess.run(
            [geobal, "import", str(register), "--as", "sipri"],
            env=env,
            check=True,
            stderr=subprocess.DEVNULL,
        )
        cases["shares over the register (warm)"] = (
            run_piped,
            [geobal, "shares", "--recipient", "India", "--json"],
        )
    for runner, cmd in cases.values():  # warm-up: writes bytecode for geobal's own modules
        runner(cmd, env)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, (runner, cmd) in cases.items():
            times[name].append(runner(cmd, env))

    medians = {name: statistics.median(t) * 1000 for name, t in times.items()}
    floor = medians["minimal stdlib script"]
    print(f"median of {runs} interleaved runs each (python {sys.version.split()[0]})")
    print(f"{'command':<34}{'median ms':>10}{'x minimal':>11}")
    for name, ms in medians.items():
        print(f"{name:<34}{ms:>10.1f}{ms / floor:>11.2f}")
    target = medians["geobal deals --json"] / floor
    print(
        f"target: deals --json within 2.0x of the minimal script: "
        f"{'met' if target <= 2.0 else 'NOT met'} ({target:.2f}x)"
    )
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
