"""Start-up benchmark: geobal's common commands against a minimal Typer app.

Run from the repository root:

    uv run python bench/startup.py [--runs 25]

It first runs `uv sync --compile-bytecode` with PYTHONDONTWRITEBYTECODE unset, as a
user's install writes bytecode; otherwise every run would time the compiler. Then it
times, interleaved, each command in turn, and prints the median of each and its ratio
to a minimal two-command Typer 0.28 app that reads data/deals.toml and prints the same
JSON as `geobal deals --sector air --json` (checked byte for byte before timing): what
any Typer application pays before doing its own work. A minimal stdlib script doing
the same shows what Python itself costs. It also times a table on a pseudo-terminal,
--help, shell completion, and, when ../shared/sipri is there, `geobal shares` over
SIPRI's trade register once imported (warm: the parse cache filled). Where valgrind is
installed it also counts the instructions of one run of each JSON command, a measure
that a busy machine does not move.

geobal runs as a user's install does, its folders found by platformdirs (in a temporary
home: XDG_DATA_HOME, XDG_CONFIG_HOME and XDG_CACHE_HOME point into it), after one
warm-up run that fills the parse cache.
"""

import argparse
import os
import pty
import re
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

# The JSON geobal prints for a listing: every declared field in order (null where
# absent), dates as ISO text, and where each record comes from.
RECORDS = """
import datetime, json, sys, tomllib

def records(name):
    with open(f"{DATA}/{name}.toml", "rb") as f:
        doc = tomllib.load(f)
    fields = [*doc["fields"], "sources", "origin", "file"]
    for r in doc["records"]:
        r = {**r, "origin": "bundled", "file": f"{name}.toml"}
        yield {
            k: v.isoformat() if isinstance(v, datetime.date) else v
            for k in fields
            for v in [r.get(k)]
        }

def dump(rows):
    sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\\n")
"""

MINIMAL = (
    RECORDS
    + """
dump([r for r in records("deals") if r["sector"] == sys.argv[1]])
"""
)

# The same job behind a root callback and two commands with options, as Typer 0.28
# builds them.
TYPER_FLOOR = (
    RECORDS
    + """
import typer

app = typer.Typer()

@app.callback()
def root() -> None:
    pass

@app.command()
def deals(
    sector: str = typer.Option(None, "--sector"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    dump([r for r in records("deals") if sector in (None, r["sector"])])

@app.command()
def risks(as_json: bool = typer.Option(False, "--json")) -> None:
    dump(list(records("risks")))

app()
"""
)


def environment(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith(("GEOBAL_", "XDG_"))
    }
    env.update(
        NO_COLOR="1",
        XDG_DATA_HOME=str(home / "data"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    return env


def instructions(cmd: list[str], env: dict[str, str]) -> int | None:
    """The instructions one run executes, counted by callgrind: the same on every run,
    however busy the machine is (wall-clock medians are not). None without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    return int(found[1]) if found else None


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
    data = repr(str(ROOT / "data"))
    floor = TYPER_FLOOR.replace("{DATA}", "{" + data + "}")
    cases = {
        "minimal Typer app": (run_piped, [python, "-c", floor, "deals", "--sector", "air"]),
        "minimal stdlib script": (
            run_piped,
            [python, "-c", MINIMAL.replace("{DATA}", "{" + data + "}"), "air"],
        ),
        "geobal deals --sector air --json": (
            run_piped,
            [geobal, "deals", "--sector", "air", "--json"],
        ),
        "geobal deals (table, pty)": (run_on_terminal, [geobal, "deals"]),
        "geobal --help": (run_piped, [geobal, "--help"]),
        "completion (--sector)": (run_completion, [geobal]),
    }
    outputs = [
        subprocess.run(cmd, env=env, capture_output=True, check=True).stdout
        for _, cmd in list(cases.values())[:3]
    ]
    if len(set(outputs)) != 1:
        raise SystemExit("the minimal apps do not print what geobal prints: fix them first")
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
    base = medians["minimal Typer app"]
    print(f"median of {runs} interleaved runs each (python {sys.version.split()[0]})")
    print(f"{'command':<36}{'median ms':>10}{'x Typer app':>13}")
    for name, ms in medians.items():
        print(f"{name:<36}{ms:>10.1f}{ms / base:>13.2f}")
    target = medians["geobal deals --sector air --json"] / base
    print(
        "target: deals --sector air --json within 1.1x of the minimal Typer app: "
        f"{'met' if target <= 1.1 else 'NOT met'} ({target:.2f}x)"
    )
    counted = [instructions(cases[name][1], env) for name in list(cases)[:3]]
    if None not in counted:
        typer_app, stdlib, ours = (n or 0 for n in counted)
        print(
            f"instructions (callgrind, one run each): Typer app {typer_app / 1e6:.1f} M, "
            f"stdlib script {stdlib / 1e6:.1f} M, geobal {ours / 1e6:.1f} M "
            f"({ours / typer_app:.2f}x the Typer app)"
        )
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
