"""geobal as users run it: a real process, a real pipe, and the installed wheel."""

import gc
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from geobal.catalog import Catalog
from tests.conftest import BUNDLED_DATASETS as DATASETS
from tests.conftest import ROOT, isolated_environ, run_cli

ISOLATED = isolated_environ()


def geobal(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "geobal", *args], capture_output=True, check=False, env=ISOLATED
    )


def test_a_closed_pipe_ends_quietly() -> None:
    """The reader is gone before geobal writes, so the write fails for certain."""
    with subprocess.Popen(
        [sys.executable, "-m", "geobal", "deals", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ISOLATED,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        stderr = proc.stderr.read()
        assert (proc.wait(timeout=30), stderr) == (0, b"")


def test_head_in_a_shell_pipeline() -> None:
    result = subprocess.run(
        ["bash", "-c", f"set -o pipefail; '{sys.executable}' -m geobal deals --json | head -c 10"],
        capture_output=True,
        check=False,
        env=ISOLATED,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, b"[\n  {\n    ", b"")


def test_errors_from_a_real_process_have_no_traceback() -> None:
    result = geobal("deals", "--sector", "space")
    assert result.returncode == 2
    assert result.stderr.decode() == (
        "geobal: unknown sector 'space'\nvalid values: air (Air Systems), missile (Missile "
        "Technology), naval (Naval Equipment), cyber (Cyber Defense), land (Land Systems)\n"
    )


def uv() -> str:
    found = os.environ.get("UV") or shutil.which("uv")
    if not found:
        pytest.fail("the wheel test needs uv (as `uv run pytest` provides)")
    return found


@pytest.mark.slow
def test_the_wheel_carries_the_data_and_the_installed_geobal_answers(tmp_path: Path) -> None:
    subprocess.run(
        [uv(), "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    [wheel] = (tmp_path / "dist").glob("geobal-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    assert {f"geobal/data/{name}.toml" for name in DATASETS} <= names
    assert not any(n.startswith(("tests/", "bench/", "data/")) for n in names)

    venv = tmp_path / "venv"
    subprocess.run([uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    subprocess.run(
        [uv(), "pip", "install", "--quiet", "--python", str(venv / "bin" / "python"), str(wheel)],
        check=True,
    )
    # Run from an empty folder, so nothing can come from the source checkout.
    installed = subprocess.run(
        [str(venv / "bin" / "geobal"), "deals", "--json"],
        capture_output=True,
        check=True,
        cwd=tmp_path,
        env=ISOLATED,
    )
    deals = json.loads(installed.stdout)
    catalog = Catalog(ROOT / "data")
    assert sorted(d["id"] for d in deals) == sorted(
        str(r["id"]) for r in catalog.get("deals").records
    )
    assert installed.stdout == geobal("deals", "--json").stdout
    where = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "from geobal.paths import bundled_data_dir; print(bundled_data_dir())",
        ],
        capture_output=True,
        check=True,
        text=True,
        cwd=tmp_path,
    )
    assert where.stdout.strip().startswith(str(venv))


# What a real run's cycle collector is doing once its command runs (geobal.launch pauses
# it for start-up): written to the file GEOBAL_GC names, from inside the command.
GC_PROBE = """
import functools, gc, os, runpy, sys
from geobal.commands import listing

@functools.wraps(listing.deals)  # its options too (commands._options)
def deals(*args, **kwargs):
    with open(os.environ["GEOBAL_GC"], "w", encoding="utf-8") as out:
        out.write(f"{gc.isenabled()} {gc.get_freeze_count() > 0}")
    return command(*args, **kwargs)

command, listing.deals = listing.deals, deals
sys.argv = ["geobal", *sys.argv[1:]]
runpy.run_module("geobal", run_name="__main__", alter_sys=True)
"""


def test_a_real_run_collects_cycles_while_its_command_runs(tmp_path: Path) -> None:
    """Start-up runs without the cycle collector; the command with it, what start-up
    made frozen out of its way, so a command that makes many objects is collected as
    before."""
    said = tmp_path / "gc.txt"
    result = subprocess.run(
        [sys.executable, "-c", GC_PROBE, "deals", "--sector", "air", "--json"],
        capture_output=True,
        check=False,
        env={**ISOLATED, "GEOBAL_GC": str(said)},
    )
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout == geobal("deals", "--sector", "air", "--json").stdout
    assert said.read_text(encoding="utf-8") == "True True"


def test_a_run_in_process_leaves_the_cycle_collector_as_it_was() -> None:
    """Only the console script pauses the collector: the CLI run by a program (here a
    test's CliRunner) neither stops it nor freezes the program's objects."""
    frozen = gc.get_freeze_count()
    run = run_cli(["deals", "--sector", "air", "--json"])
    assert run.exit_code == 0
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen
