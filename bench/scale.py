"""Scale benchmark: geobal over large datasets, cold and warm, beside jq.

Run from the repository root:

    uv run python bench/scale.py [--runs 5] [--sizes 1000,10000,100000]

Set-up: `uv sync --compile-bytecode` with PYTHONDONTWRITEBYTECODE unset (as a user's
install writes bytecode), jq from Debian's packages if it is missing, then, in a
temporary folder of its own: SIPRI's trade register from ../shared/sipri imported with
`geobal import --as sipri`, and synthetic datasets of the given sizes in geobal's TOML
format (fixed seed), each also written as a JSON array for jq.

It times, interleaved, the median of --runs runs of

    geobal query NAME --where 'year>2000' --fields id,name --json

cold (--no-cache: TOML parsed every time) and warm (the parse cache filled), and the
same filter in jq over the JSON file, and reports each command's peak memory (maximum
resident set size). Target: warm at most 0.5x jq at 100,000 records. The ratio of cold to
warm is printed too: it was 20x when cold reads were tomllib's alone (target 10x, the
cache's worth); issue 24's quicker cold reads lower it with warm no slower.

Then, warm, a grouped sum beside that plain query over the same dataset:

    geobal query transfers --count-by supplier --sum tiv_delivered --json
    geobal query synthetic-100000 --count-by kind --sum value --json

target: within 1.5x of the plain warm query.

Then the import of each of SIPRI's exports read in place from ../shared/sipri (the
legacy register, 27,953 lines; the per-year exports of 2000-2001, 1,414 lines, and of
2000-2023, 20,480 lines; each skipped with a word when absent), with the time per
1,000 lines (target: linear, and the legacy register within 3 s).

Then writes: CSV imports at three sizes and an export | import --replace round trip
(target: linear), and edits of a dataset the cache holds, at 1,000 and 200,000 records:
`add`, `set` of a record in the middle, and the query after each (target: add and set at
200,000 within 3x of the same at 1,000, the query after them warm). `--only edits`,
`--only writes` or `--only imports` runs that part alone.

Then SIPRI's military expenditure workbook (../shared/milex, 0.7 MiB, 174 countries)
imported whole with `geobal import --as sipri-milex`, read in place, each run into a
fresh home: median time and peak memory (maximum resident set size, from GNU time).
`--only milex` runs it alone.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SIPRI = ROOT.parent / "shared" / "sipri"
REGISTER = SIPRI / "trade-register.csv"
MILEX = ROOT.parent / "shared" / "milex" / "SIPRI-Milex-data-1949-2024.xlsx"
# SIPRI's exports each import is timed on: label, file, data lines, the dataset it makes
IMPORTS = (
    ("legacy register", "trade-register.csv", 27_953, "transfers"),
    ("per-year export 2000-2001", "per-year-2000-2001.csv", 1_414, "yearly-2000-2001"),
    ("per-year export 2000-2023", "per-year-2000-2023.csv", 20_480, "yearly"),
)
# Commands over the imported legacy register, each timed warm beside `deals --json`.
REGISTER_COMMANDS = {
    "shares": ["shares", "--recipient", "India", "--json"],
    "shares --periods 1950-2019": [
        "shares",
        "--recipient",
        "India",
        "--periods",
        "1950-2019",
        "--successors",
        "--json",
    ],
    "pipeline": ["pipeline", "--recipient", "India", "--json"],
}
TIME = "/usr/bin/time"  # GNU time, for peak memory (Debian package: time)

HEAD = """[dataset]
name = "{name}"
title = "Synthetic {n} records"
key = "id"

[fields.id]
type = "text"

[fields.name]
type = "text"
required = true

[fields.year]
type = "integer"

[fields.value]
type = "number"

[fields.kind]
type = "choice"
choices = [{{ value = "air" }}, {{ value = "land" }}, {{ value = "sea" }}]

[fields.tags]
type = "list"

"""


def synthetic(folder: Path, n: int) -> tuple[str, Path]:
    """A dataset of n records in geobal's format, and the same records as JSON for jq."""
    rng = random.Random(n)
    name = f"synthetic-{n}"
    records = []
    lines = [HEAD.format(name=name, n=n)]
    for i in range(n):
        record = {
            "id": f"r{i:06d}",
            "name": f"Record {i} " + rng.choice(["alpha", "bravo", "charlie", "delta"]),
            "year": rng.randint(1950, 2024),
            "value": round(rng.uniform(0, 1000), 2),
            "kind": rng.choice(["air", "land", "sea"]),
            "tags": rng.sample(["a", "b", "c", "d", "e"], 2),
            "sources": ["article"],
        }
        records.append(record)
        lines.append(
            "[[records]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in record.items()) + "\n"
        )
    (folder / f"{name}.toml").write_text("".join(lines), encoding="utf-8")
    as_json = folder.parent / f"{name}.json"
    as_json.write_text(json.dumps(records), encoding="utf-8")
    return name, as_json


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time and peak memory (KiB) of one run. The peak comes from GNU time: the
    rusage of a child forked from this process would count this process's own pages."""
    start = time.perf_counter()
    proc = subprocess.run(
        [TIME, "-f", "%M", *cmd],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr}")
    return elapsed, int(proc.stderr.strip().splitlines()[-1])


def ensure(tool: str, package: str) -> str:
    """A tool from Debian's packages, installed if missing."""
    found = shutil.which(tool)
    if found:
        return found
    subprocess.run(["apt-get", "install", "-y", "-q", package], check=True)
    return shutil.which(tool) or tool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each command")
    parser.add_argument("--sizes", default="1000,10000,100000", help="synthetic sizes")
    parser.add_argument(
        "--only",
        choices=("edits", "writes", "imports", "milex"),
        help="run one part alone: edits (add, set, next query), writes (CSV imports), "
        "imports (SIPRI's exports), milex (SIPRI's military expenditure workbook)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    home = Path(tempfile.mkdtemp(prefix="geobal-scale-"))
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "PYTHONDONTWRITEBYTECODE" and not k.startswith("GEOBAL_")
    }
    env.update(
        GEOBAL_DATA_DIR=str(home / "data"),
        GEOBAL_CONFIG=str(home / "config.toml"),
        GEOBAL_CACHE_DIR=str(home / "cache"),
        NO_COLOR="1",
    )
    (home / "data").mkdir()
    subprocess.run(["uv", "sync", "--compile-bytecode", "--quiet"], cwd=ROOT, env=env, check=True)
    jq = ensure("jq", "jq")
    ensure(TIME, "time")
    geobal = str(BIN / "geobal")
    if args.only is not None:
        parts = {"edits": edits, "writes": writes, "imports": sipri_imports, "milex": milex_import}
        parts[args.only](geobal, env, home, args.runs)
        shutil.rmtree(home, ignore_errors=True)
        return

    cases: list[tuple[str, str, list[str], list[str], Path | None]] = []
    if REGISTER.is_file():
        start = time.perf_counter()
        subprocess.run(
            [geobal, "import", str(REGISTER), "--as", "sipri"],
            env=env,
            check=True,
            stderr=subprocess.DEVNULL,
        )
        print(f"imported SIPRI's register in {time.perf_counter() - start:.2f} s")
        query = [
            "query",
            "transfers",
            "--where",
            "order_year>2000",
            "--fields",
            "id,designation",
            "--json",
        ]
        exported = home / "transfers.json"
        with exported.open("w") as out:
            subprocess.run(
                [geobal, "export", "transfers", "--format", "json"], env=env, check=True, stdout=out
            )
        jq_filter = "[.[] | select(.order_year > 2000) | {id, designation}]"
        cases.append(
            ("register (27,951)", "transfers", query, [jq, jq_filter, str(exported)], exported)
        )
    for n in sizes:
        name, as_json = synthetic(home / "data", n)
        query = ["query", name, "--where", "year>2000", "--fields", "id,name", "--json"]
        jq_filter = "[.[] | select(.year > 2000) | {id, name}]"
        cases.append((f"synthetic {n:,}", name, query, [jq, jq_filter, str(as_json)], as_json))

    commands: dict[str, list[str]] = {}
    for label, _, query, jq_cmd, _ in cases:
        commands[f"{label}: cold"] = [geobal, "--no-cache", *query]
        commands[f"{label}: warm"] = [geobal, *query]
        commands[f"{label}: jq"] = jq_cmd
    for _, _, query, _, _ in cases:  # fill the cache once
        subprocess.run([geobal, *query], env=env, check=True, stdout=subprocess.DEVNULL)

    times: dict[str, list[float]] = {k: [] for k in commands}
    memory: dict[str, int] = dict.fromkeys(commands, 0)
    for _ in range(args.runs):
        for key, cmd in commands.items():
            elapsed, peak = timed(cmd, env)
            times[key].append(elapsed)
            memory[key] = max(memory[key], peak)

    print(f"median of {args.runs} interleaved runs each (python {sys.version.split()[0]})")
    print(f"{'command':<34}{'median s':>10}{'peak MiB':>10}")
    for key in commands:
        print(f"{key:<34}{statistics.median(times[key]):>10.3f}{memory[key] / 1024:>10.1f}")
    print()
    for label, *_ in cases:
        cold, warm, jq_time = (
            statistics.median(times[f"{label}: {k}"]) for k in ("cold", "warm", "jq")
        )
        print(
            f"{label}: warm/jq {warm / jq_time:.2f}x (target <= 0.5 at 100,000), "
            f"cold/warm {cold / warm:.1f}x"
        )
    grouped(geobal, env, cases, args.runs)
    sipri_imports(geobal, env, home, args.runs)
    milex_import(geobal, env, home, args.runs)
    if REGISTER.is_file():
        register_commands(geobal, env, args.runs)
    writes(geobal, env, home, args.runs)
    edits(geobal, env, home, args.runs)
    shutil.rmtree(home, ignore_errors=True)


# a grouped sum over each dataset: its grouping field and the number summed
SUMS = {"transfers": ("supplier", "tiv_delivered"), "synthetic": ("kind", "value")}


def grouped(
    geobal: str,
    env: dict[str, str],
    cases: list[tuple[str, str, list[str], list[str], Path | None]],
    runs: int,
) -> None:
    """--count-by with --sum, warm, beside the plain warm query over the same dataset,
    for the register and the largest synthetic dataset."""
    synthetic = [c for c in cases if c[1].startswith("synthetic")]
    chosen = [c for c in cases if c[1] == "transfers"] + synthetic[-1:]
    commands: dict[str, list[str]] = {}
    for label, name, query, _, _ in chosen:
        by, total = SUMS[name.split("-")[0]]
        commands[f"{label}: plain"] = [geobal, *query]
        commands[f"{label}: --sum"] = [
            geobal, "query", name, "--count-by", by, "--sum", total, "--json",
        ]  # fmt: skip
    for cmd in commands.values():  # the cache is warm; the first run of each is not timed
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):
        for key, cmd in commands.items():
            times[key].append(timed(cmd, env)[0])
    print()
    print(f"{'grouped sums, warm, median of ' + str(runs):<44}{'median s':>10}{'x plain':>9}")
    for label, *_ in chosen:
        plain = statistics.median(times[f"{label}: plain"])
        summed = statistics.median(times[f"{label}: --sum"])
        print(f"{label + ': plain query':<44}{plain:>10.3f}{1:>9.2f}")
        print(f"{label + ': --count-by --sum':<44}{summed:>10.3f}{summed / plain:>9.2f}")
    print("target: --count-by --sum within 1.5x of the plain warm query")


def register_commands(geobal: str, env: dict[str, str], runs: int) -> None:
    """The register's commands warm beside `deals --json`."""
    commands = {
        "deals --json (warm)": [geobal, "deals", "--json"],
        **{f"{name} (warm)": [geobal, *cmd] for name, cmd in REGISTER_COMMANDS.items()},
    }
    for cmd in commands.values():  # fill the cache once
        subprocess.run(cmd, env=env, check=True, capture_output=True)
    times: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):
        for key, cmd in commands.items():
            times[key].append(timed(cmd, env)[0])
    base = statistics.median(times["deals --json (warm)"])
    print()
    print(f"{'SIPRI register, median of ' + str(runs):<44}{'median s':>10}{'x deals':>9}")
    for key, found in times.items():
        median = statistics.median(found)
        print(f"{key:<44}{median:>10.3f}{median / base:>9.2f}")
    worst = max(statistics.median(times[f"{n} (warm)"]) for n in REGISTER_COMMANDS) / base
    print(f"target: each warm register command within 1.5x of deals --json: {worst:.2f}x at most")


def sipri_imports(geobal: str, env: dict[str, str], home: Path, runs: int) -> None:
    """Each of SIPRI's exports imported, read in place from ../shared/sipri (each
    skipped with a word when absent), run after run into the same dataset (the import
    replaces what the last one made): median time and time per 1,000 lines."""
    found = [(label, SIPRI / name, lines, into) for label, name, lines, into in IMPORTS]
    present = [f for f in found if f[1].is_file()]
    times: dict[str, list[float]] = {f[0]: [] for f in present}
    for _ in range(runs):
        for label, path, _, into in present:
            cmd = [geobal, "import", str(path), "--as", "sipri", "--into", into]
            times[label].append(timed(cmd, env)[0])
    print()
    print(f"{'SIPRI imports, median of ' + str(runs):<44}{'median s':>10}{'ms/1k lines':>12}")
    per_line: dict[str, float] = {}
    for label, path, lines, _ in found:
        title = f"{label} ({lines:,} lines)"
        if label not in times:
            print(f"{title:<44}  skipped: {path} is not beside this clone")
            continue
        median = statistics.median(times[label])
        per_line[label] = median / lines
        print(f"{title:<44}{median:>10.3f}{median / lines * 1e6:>12.1f}")
    small, large = (f"per-year export {y}" for y in ("2000-2001", "2000-2023"))
    if small in per_line and large in per_line:
        ratio = per_line[large] / per_line[small]
        print(f"linear: time per line at 20,480 lines is {ratio:.2f}x that at 1,414 (1.0 = linear)")


def milex_import(geobal: str, env: dict[str, str], home: Path, runs: int) -> None:
    """SIPRI's military expenditure workbook imported whole, read in place from
    ../shared/milex (skipped with a word when absent), each run into a fresh home (the
    first import of it, as a user's): median time and the peak memory of the runs."""
    print()
    if not MILEX.is_file():
        print(f"milex import: skipped: {MILEX} is not beside this clone")
        return
    times: list[float] = []
    peak = 0
    for run in range(runs):
        fresh = home / f"milex-{run}"
        own = {
            **env,
            "GEOBAL_DATA_DIR": str(fresh / "data"),
            "GEOBAL_CACHE_DIR": str(fresh / "cache"),
            "GEOBAL_CONFIG": str(fresh / "config.toml"),
        }
        elapsed, kib = timed([geobal, "import", str(MILEX), "--as", "sipri-milex"], own)
        times.append(elapsed)
        peak = max(peak, kib)
    size = MILEX.stat().st_size / 1024 / 1024
    print(f"{'milex import, median of ' + str(runs):<44}{'median s':>10}{'peak MiB':>10}")
    title = f"{MILEX.name} ({size:.1f} MiB)"
    print(f"{title:<44}{statistics.median(times):>10.3f}{peak / 1024:>10.1f}")


IMPORT_SIZES = (25_000, 50_000, 100_000)
ROUND_TRIP = 10_000


def writes(geobal: str, env: dict[str, str], home: Path, runs: int) -> None:
    """Writes that must be linear: a CSV import into an empty dataset at three sizes
    (each run into a fresh one), and the README's round trip, `export --format csv`
    piped into `import --replace`, over 10,000 records."""
    rng = random.Random(0)
    csvs = {}
    for n in (*IMPORT_SIZES, ROUND_TRIP):
        path = home / f"rows-{n}.csv"
        with path.open("w", encoding="utf-8") as out:
            out.write("id,name,year\n")
            for i in range(n):
                out.write(f"r{i:06d},Row {i} {rng.choice(['alpha', 'bravo'])},{1950 + i % 75}\n")
        csvs[n] = path
    data = Path(env["GEOBAL_DATA_DIR"])

    def fresh(name: str) -> None:
        (data / f"{name}.toml").unlink(missing_ok=True)
        new = [geobal, "new", name, "--field", "name:text!", "--field", "year:integer"]
        subprocess.run(new, env=env, check=True, stderr=subprocess.DEVNULL)

    def imported(name: str, path: Path, *more: str) -> list[str]:
        return [geobal, "import", str(path), "--into", name, "--source", "article", *more]

    fresh("trip")
    subprocess.run(
        imported("trip", csvs[ROUND_TRIP]), env=env, check=True, stderr=subprocess.DEVNULL
    )
    trip = (
        f"{geobal} export trip --format csv | "
        f"{geobal} import - --into trip --replace --source article"
    )
    times: dict[str, list[float]] = {f"import {n:,} CSV rows": [] for n in IMPORT_SIZES}
    times[f"round trip, {ROUND_TRIP:,} records (export | import --replace)"] = []
    for _ in range(runs):
        for n in IMPORT_SIZES:
            fresh("bulk")
            times[f"import {n:,} CSV rows"].append(timed(imported("bulk", csvs[n]), env)[0])
        start = time.perf_counter()
        subprocess.run(["sh", "-c", trip], env=env, check=True, stderr=subprocess.DEVNULL)
        times[f"round trip, {ROUND_TRIP:,} records (export | import --replace)"].append(
            time.perf_counter() - start
        )
    print()
    print(f"{'writes, median of ' + str(runs):<60}{'median s':>10}{'s per 10k':>10}")
    for key, found in times.items():
        n = ROUND_TRIP if key.startswith("round") else int(key.split()[1].replace(",", ""))
        median = statistics.median(found)
        print(f"{key:<60}{median:>10.2f}{median / n * 10_000:>10.2f}")
    per = [statistics.median(times[f"import {n:,} CSV rows"]) / n for n in IMPORT_SIZES]
    print(
        f"linear: time per row at 100,000 is {per[-1] / per[0]:.2f}x that at 25,000 (1.0 = linear)"
    )


EDIT_SIZES = (1_000, 200_000)


def edits(geobal: str, env: dict[str, str], home: Path, runs: int) -> None:
    """One change to a dataset the cache holds (add a record, set a field of one in the
    middle), and the query right after each, at 1,000 and 200,000 records. Target: add
    and set at 200,000 within 3x of the same at 1,000, the query after warm."""
    data = Path(env["GEOBAL_DATA_DIR"])
    names = [synthetic(data, n)[0] for n in EDIT_SIZES]
    times: dict[str, list[float]] = {}
    for run in range(runs):
        for n, name in zip(EDIT_SIZES, names, strict=True):
            query = [geobal, "query", name, "--where", "year>2000", "--fields", "id,name", "--json"]
            subprocess.run(query, env=env, check=True, stdout=subprocess.DEVNULL)  # fill the cache
            middle = f"r{n // 2:06d}"
            steps = {
                "add": [geobal, "add", name, "--set", "name=Added", "--set", "sources=article"],
                "query after add": query,
                # a value the record does not have yet: set writes nothing otherwise
                "set": [geobal, "set", name, middle, f"year={1900 + run}"],
                "query after set": query,
            }
            for step, cmd in steps.items():
                times.setdefault(f"{n:,}: {step}", []).append(timed(cmd, env)[0])
            # leave the dataset as it was for the next run
            subprocess.run(
                [geobal, "remove", name, "--where", "name=Added", "--yes"],
                env=env,
                check=True,
                capture_output=True,
            )
    print()
    print(f"{'edits, the cache warm, median of ' + str(runs):<44}{'median s':>10}")
    for key, found in times.items():
        print(f"{key:<44}{statistics.median(found):>10.3f}")
    small, large = (f"{n:,}" for n in EDIT_SIZES)
    for step in ("add", "set"):
        ratio = statistics.median(times[f"{large}: {step}"]) / statistics.median(
            times[f"{small}: {step}"]
        )
        print(f"{step}: {large} records take {ratio:.1f}x the time at {small} (target <= 3)")


if __name__ == "__main__":
    main()
