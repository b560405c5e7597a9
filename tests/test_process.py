"""geobal as users run it: a real process, a real pipe, and the installed wheel."""

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
from tests.conftest import ROOT, isolated_environ

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
