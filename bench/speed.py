"""Issue 24's targets in one table: start-up, every warm command over SIPRI's registers,
the fact sheet after `cache clear`, shares beside a DuckDB script, and edits at scale.

Run from the repository root (with ../shared/sipri and ../shared/milex beside it):

    uv run python bench/speed.py [--runs 7] [--before CHECKOUT] [--only PART]

With --before, a checkout of an earlier geobal (the commit before the work measured:
for issue 24's, `git worktree add --detach ../before 435d904`), every figure is
measured with that one too, interleaved with this one's over the same files, and the
table shows both. Each tree runs
`uv sync --compile-bytecode` first with PYTHONDONTWRITEBYTECODE unset, as a user's
install writes bytecode; otherwise every run would time the compiler.

In temporary homes of its own it imports, for each tree, SIPRI's legacy register and
its import-volume table (the "legacy" home), and the 2000-2023 per-year export with the
same table (the "per-year" home), runs every command twice to fill the parse cache, then
times, interleaved, the median of --runs runs of each. A row's figure is a ratio to its
baseline measured in the same loop, so a busy machine moves both alike:

- start-up: `geobal deals --sector air --json` against a minimal two-command Typer app
  printing the same bytes (bench/startup.py's); target 1.1x. Where valgrind is
  installed, also the instructions one run of each executes (callgrind), which a busy
  machine does not move: at a few runs the wall-clock ratio of two ~70 ms commands
  moves by a fifth with the load.
- each warm register command, and `spending` over SIPRI's military expenditure
  workbook (imported into every home), against `geobal deals --json` in the same home:
  target 1.5x; `validate` 5x; `factsheet` right after `geobal cache clear` 15x.
- `geobal shares --recipient India --period 2019-2023 --json` against a DuckDB script
  computing the same shares from the raw 3.5 MB CSV (the figures are checked to
  agree first, each within one unit of its last digit); target 0.5x.
- `add` and `set` on a 200,000-record dataset against the same on 1,000 records
  (bench/scale.py's synthetic datasets); target 3x.

--only startup|warm|cold|duckdb|edits runs one part alone.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from scale import synthetic
from startup import TYPER_FLOOR, instructions

ROOT = Path(__file__).resolve().parent.parent
SIPRI = ROOT.parent / "shared" / "sipri"
TABLE = SIPRI / "import-export-values_1950-2024.csv"
# SIPRI's military expenditure workbook (issue 25), imported into every home beside the
# register by a tree that reads it (a tree from before it does not: its spending rows are
# n/a, and its brief has no spending to add)
MILEX = ROOT.parent / "shared" / "milex" / "SIPRI-Milex-data-1949-2024.xlsx"
REGISTERS = {
    "legacy": SIPRI / "trade-register.csv",
    "per-year": SIPRI / "per-year-2000-2023.csv",
}
# The warm commands of each home, each against `deals --json` there; None: not in that
# home (the pipeline needs the legacy register's numbers ordered).
WARM: dict[str, tuple[list[str], float, tuple[str, ...]]] = {
    "shares --recipient India": (["shares", "--recipient", "India", "--json"], 1.5, ()),
    "shares --recipient India --check": (
        ["shares", "--recipient", "India", "--check", "--json"],
        1.5,
        (),
    ),
    "pipeline --recipient India": (
        ["pipeline", "--recipient", "India", "--json"],
        1.5,
        ("per-year",),
    ),
    "factsheet --period 2019-2023": (["factsheet", "--period", "2019-2023", "--json"], 1.5, ()),
    "brief --recipient Pakistan": (["brief", "--recipient", "Pakistan", "--json"], 1.5, ()),
    "shares --supplier-of France": (["shares", "--supplier-of", "France", "--json"], 1.5, ()),
    "shares --compare 2014-2018,2019-2023": (
        ["shares", "--recipient", "India", "--compare", "2014-2018,2019-2023", "--json"],
        1.5,
        (),
    ),
    "shares --periods 2004-2023 --successors": (
        ["shares", "--recipient", "India", "--periods", "2004-2023", "--successors", "--json"],
        1.5,
        (),
    ),
    "balance --recipient Pakistan": (
        ["balance", "--dataset", "transfers", "--recipient", "Pakistan", "--json"],
        1.5,
        (),
    ),
    "query --count-by supplier --sum": (
        ["query", "transfers", "--count-by", "supplier", "--sum", "tiv_delivered", "--json"],
        1.5,
        (),
    ),
    "spending --country India": (["spending", "--country", "India", "--json"], 1.5, ()),
    "spending --top 10": (["spending", "--top", "10", "--json"], 1.5, ()),
    "spending --change 2015-2024": (
        ["spending", "--country", "India", "--from", "2015", "--to", "2024", "--change", "--json"],
        1.5,
        (),
    ),
    "search S-400": (["search", "S-400", "--json"], 1.5, ()),
    "search S-400 --all": (["search", "S-400", "--all", "--json"], 1.5, ()),
    "validate": (["validate"], 5.0, ()),
}
BASE = ["deals", "--json"]
COLD = ["factsheet", "--period", "2019-2023", "--json"]
SHARES = ["shares", "--recipient", "India", "--period", "2019-2023", "--json"]
EDIT_SIZES = (1_000, 200_000)
# India's 2019-2023 shares from the legacy register as its CSV comes, the way geobal
# estimates them (each record's delivered TIV spread evenly over its delivery years).
# The register's few records broken across two lines are not India's: DuckDB skips them.
DUCKDB = """
import json, sys, duckdb
rows = duckdb.sql('''
WITH d AS (
  SELECT "Supplier" AS supplier,
         TRY_CAST("SIPRI TIV of delivered weapons" AS DOUBLE) AS tiv,
         string_split("Year(s) of delivery", '; ') AS years
  FROM read_csv($path, encoding = 'latin-1', skip = 11, header = true,
                all_varchar = true, ignore_errors = true)
  WHERE "Recipient" = 'India'
), y AS (
  SELECT supplier, tiv / len(years) AS part, CAST(unnest(years) AS INTEGER) AS year
  FROM d WHERE tiv > 0
), t AS (
  SELECT supplier, sum(part) AS tiv FROM y WHERE year BETWEEN 2019 AND 2023 GROUP BY supplier
)
SELECT supplier, round(100 * tiv / sum(tiv) OVER (), 2), round(tiv, 1)
FROM t ORDER BY tiv DESC, supplier
''', params={"path": sys.argv[1]}).fetchall()
print(json.dumps([{"supplier": s, "share": p, "tiv": t} for s, p, t in rows]))
"""


class Tree:
    """One checkout of geobal, its venv compiled."""

    def __init__(self, label: str, root: Path) -> None:
        self.label = label
        self.root = root
        self.geobal = str(root / ".venv" / "bin" / "geobal")

    def sync(self, env: dict[str, str]) -> None:
        subprocess.run(
            ["uv", "sync", "--compile-bytecode", "--quiet"], cwd=self.root, env=env, check=True
        )


def base_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith(("GEOBAL_", "XDG_"))
    }
    env["NO_COLOR"] = "1"
    return env


def home_env(home: Path) -> dict[str, str]:
    return {
        **base_env(),
        "GEOBAL_DATA_DIR": str(home / "data"),
        "GEOBAL_CACHE_DIR": str(home / "cache"),
        "GEOBAL_CONFIG": str(home / "config.toml"),
    }


def run(cmd: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(cmd, env=env, capture_output=True, check=False)


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.decode()}")
    return elapsed


class Bench:
    """Timed cases, run interleaved: one run of each in turn, --runs times."""

    def __init__(self) -> None:
        self.cases: dict[str, Callable[[], float]] = {}
        self.times: dict[str, list[float]] = {}

    def add(self, key: str, cmd: list[str], env: dict[str, str]) -> None:
        self.cases[key] = lambda: timed(cmd, env)

    def add_timer(self, key: str, timer: Callable[[], float]) -> None:
        self.cases[key] = timer

    def run(self, runs: int) -> None:
        for timer in self.cases.values():  # one untimed run each: caches and bytecode filled
            timer()
        for _ in range(runs):
            for key, timer in self.cases.items():
                self.times.setdefault(key, []).append(timer())

    def median(self, key: str) -> float | None:
        found = self.times.get(key)
        return statistics.median(found) if found else None


class Row:
    """One line of the table: a measure, its target, and a ratio per tree."""

    def __init__(
        self, part: str, label: str, target: float, key: str, baseline: str, unit: str = "ms"
    ) -> None:
        self.part, self.label, self.target = part, label, target
        self.key, self.baseline, self.unit = key, baseline, unit


def setup_home(tree: Tree, home: Path, register: Path) -> dict[str, str]:
    env = home_env(home)
    (home / "data").mkdir(parents=True)
    for path in (register, TABLE):
        done = run([tree.geobal, "import", str(path)], env)
        if done.returncode != 0:
            raise SystemExit(f"{tree.label}: import {path.name} failed: {done.stderr.decode()}")
    run([tree.geobal, "import", str(MILEX), "--as", "sipri-milex"], env)  # see MILEX
    return env


def xdg_env(env: dict[str, str], home: Path) -> dict[str, str]:
    """geobal's folders in `home`, found as a user's install finds them (platformdirs)."""
    return {
        **env,
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }


def startup_part(trees: list[Tree], bench: Bench, tmp: Path) -> list[Row]:
    env = base_env()
    python = str(ROOT / ".venv" / "bin" / "python")
    floor = TYPER_FLOOR.replace("{DATA}", "{" + repr(str(ROOT / "data")) + "}")
    typer_app = [python, "-c", floor, "deals", "--sector", "air"]
    bench.add("startup typer", typer_app, env)
    expected = run(typer_app, env).stdout
    rows = []
    for tree in trees:
        tree_env = xdg_env(env, tmp / f"{tree.label}-startup")
        cmd = [tree.geobal, "deals", "--sector", "air", "--json"]
        if run(cmd, tree_env).stdout != expected:
            raise SystemExit(f"{tree.label}: the Typer app does not print what geobal prints")
        bench.add(f"startup {tree.label}", cmd, tree_env)
    rows.append(
        Row("start-up", "deals --sector air --json, x Typer app", 1.1, "startup", "startup typer")
    )
    if shutil.which("valgrind") is not None:
        counted = {"typer": instructions(typer_app, env)}
        for tree in trees:
            tree_env = xdg_env(env, tmp / f"{tree.label}-startup")
            counted[tree.label] = instructions(
                [tree.geobal, "deals", "--sector", "air", "--json"], tree_env
            )
        # one count each: the same on every run, so its "median" is the count itself
        for label, count in counted.items():
            if count is not None:
                bench.times[f"instructions {label}"] = [count / 1e9]
        rows.append(
            Row(
                "start-up",
                "the same, instructions (callgrind) x Typer app",
                1.1,
                "instructions",
                "instructions typer",
                "M",
            )
        )
    return rows


def warm_part(trees: list[Tree], bench: Bench, tmp: Path, cold: bool, warm: bool) -> list[Row]:
    rows: list[Row] = []
    for kind, register in REGISTERS.items():
        for tree in trees:
            env = setup_home(tree, tmp / f"{tree.label}-{kind}", register)
            bench.add(f"{kind} base {tree.label}", [tree.geobal, *BASE], env)
            if warm:
                for name, (cmd, _, not_in) in WARM.items():
                    if kind in not_in:
                        continue
                    if run([tree.geobal, *cmd], env).returncode != 0:
                        continue  # a command this tree does not have: n/a in its column
                    bench.add(f"{kind} {name} {tree.label}", [tree.geobal, *cmd], env)
            if cold:
                cold_env = home_env(tmp / f"{tree.label}-{kind}")
                cold_env["GEOBAL_CACHE_DIR"] = str(tmp / f"{tree.label}-{kind}-cold-cache")
                bench.add_timer(f"{kind} cold {tree.label}", cold_timer(tree, cold_env))
        if warm:
            for name, (_, target, not_in) in WARM.items():
                if kind not in not_in:
                    rows.append(Row(kind, name, target, f"{kind} {name}", f"{kind} base"))
        if cold:
            rows.append(
                Row(kind, "factsheet after cache clear", 15.0, f"{kind} cold", f"{kind} base")
            )
    return rows


def cold_timer(tree: Tree, env: dict[str, str]) -> Callable[[], float]:
    def timer() -> float:
        subprocess.run([tree.geobal, "cache", "clear"], env=env, capture_output=True, check=True)
        return timed([tree.geobal, *COLD], env)

    return timer


def duckdb_part(trees: list[Tree], bench: Bench, tmp: Path) -> list[Row]:
    python = str(ROOT / ".venv" / "bin" / "python")
    script = [python, "-c", DUCKDB, str(REGISTERS["legacy"])]
    found = json.loads(run(script, base_env()).stdout)
    bench.add("duckdb script", script, base_env())
    for tree in trees:
        env = home_env(tmp / f"{tree.label}-legacy")
        if not (tmp / f"{tree.label}-legacy").exists():
            env = setup_home(tree, tmp / f"{tree.label}-legacy", REGISTERS["legacy"])
        ours = json.loads(run([tree.geobal, *SHARES], env).stdout)
        # the same suppliers in the same order, each figure within one unit of its last
        # digit: DuckDB rounds half away from zero, and sums in its own order
        same = [r["supplier"] for r in ours] == [r["supplier"] for r in found] and all(
            abs(a["share"] - b["share"]) <= 0.011 and abs(a["tiv"] - b["tiv"]) <= 0.11
            for a, b in zip(ours, found, strict=True)
        )
        if not same:
            raise SystemExit(f"{tree.label}: DuckDB's shares differ from geobal's: fix the script")
        bench.add(f"duckdb {tree.label}", [tree.geobal, *SHARES], env)
    return [
        Row("DuckDB", "shares India 2019-2023, x DuckDB script", 0.5, "duckdb", "duckdb script")
    ]


def edits_part(trees: list[Tree], bench: Bench, tmp: Path) -> list[Row]:
    for tree in trees:
        home = tmp / f"{tree.label}-edits"
        env = home_env(home)
        (home / "data").mkdir(parents=True)
        for n in EDIT_SIZES:
            name, _ = synthetic(home / "data", n)
            run([tree.geobal, "query", name, "--fields", "id", "--json"], env)  # fill the cache
            bench.add_timer(f"add {n} {tree.label}", add_timer(tree, env, name))
            bench.add_timer(f"set {n} {tree.label}", set_timer(tree, env, name, n))
    small, large = EDIT_SIZES
    return [
        Row("edits", f"{step} at {large:,} records, x at {small:,}", 3.0, f"{step} {large}",
            f"{step} {small}")
        for step in ("add", "set")
    ]  # fmt: skip


def add_timer(tree: Tree, env: dict[str, str], name: str) -> Callable[[], float]:
    def timer() -> float:
        cmd = [tree.geobal, "add", name, "--set", "name=Added", "--set", "sources=article"]
        elapsed = timed(cmd, env)
        # leave the dataset as it was, untimed, for the next run
        run([tree.geobal, "remove", name, "--where", "name=Added", "--yes"], env)
        return elapsed

    return timer


def set_timer(tree: Tree, env: dict[str, str], name: str, n: int) -> Callable[[], float]:
    runs = iter(range(10_000))

    def timer() -> float:
        # a value the record does not have yet: set writes nothing otherwise
        return timed([tree.geobal, "set", name, f"r{n // 2:06d}", f"year={1000 + next(runs)}"], env)

    return timer


def table(rows: list[Row], trees: list[Tree], bench: Bench, runs: int) -> None:
    load = os.getloadavg()[0]
    print(
        f"issue 24: median of {runs} interleaved runs each, python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cores, load {load:.1f} at the end"
    )
    head = f"{'':<10}{'measure':<46}{'target':>8}"
    head += "".join(f"{tree.label:>22}" for tree in trees)
    print(head)
    met = 0
    for row in rows:
        line = f"{row.part:<10}{row.label:<46}{'<= ' + format(row.target, 'g') + 'x':>8}"
        ok = False
        for tree in trees:
            ours = bench.median(f"{row.key} {tree.label}")
            base = bench.median(f"{row.baseline} {tree.label}") or bench.median(row.baseline)
            if ours is None or base is None:
                line += f"{'n/a':>22}"
                continue
            ratio = ours / base
            ok = ratio <= row.target
            line += f"{ratio:>8.2f}x {ours * 1000:>7.0f} {row.unit:<2}{'' if ok else ' !':<2}"
        met += ok
        print(line)
    print(
        f"{met} of {len(rows)} targets met by {trees[-1].label} "
        "(! marks a figure over its target; ms: the command's own median; M: millions of "
        "instructions)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--before", type=Path, help="a checkout of an earlier geobal")
    parser.add_argument("--only", choices=("startup", "warm", "cold", "duckdb", "edits"))
    given = parser.parse_args()
    missing = [p.name for p in (*REGISTERS.values(), TABLE) if not p.is_file()]
    if missing:
        sys.exit(f"needs {', '.join(missing)} in {SIPRI}")
    trees = [Tree("after", ROOT)]
    if given.before is not None:
        trees.insert(0, Tree("before", given.before.resolve()))
    for tree in trees:
        tree.sync(base_env())
    parts = [given.only] if given.only else ["startup", "warm", "cold", "duckdb", "edits"]
    bench = Bench()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="geobal-speed-") as name:
        tmp = Path(name)
        if "startup" in parts:
            rows += startup_part(trees, bench, tmp)
        if "warm" in parts or "cold" in parts:
            rows += warm_part(trees, bench, tmp, "cold" in parts, "warm" in parts)
        if "duckdb" in parts:
            rows += duckdb_part(trees, bench, tmp)
        if "edits" in parts:
            rows += edits_part(trees, bench, tmp)
        bench.run(given.runs)
        shutil.rmtree(tmp, ignore_errors=True)
    table(rows, trees, bench, given.runs)


if __name__ == "__main__":
    main()
