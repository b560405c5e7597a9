"""Writes that lose nothing, with real processes: two writers at once, and a writer
killed in the middle of writing."""

import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

WRITER = """
import sys
from pathlib import Path
from geobal import edit
from geobal.catalog import Catalog
from geobal.paths import bundled_data_dir

catalog = Catalog(bundled_data_dir(), Path(sys.argv[1]))
for i in range(int(sys.argv[3])):
    edit.add(catalog, "notes", [f"id={sys.argv[2]}-{i}", f"title=note {i}",
                                    "sources=article"])
"""

REWRITER = """
import sys
from pathlib import Path
from geobal.store import atomic_write, locked

path = Path(sys.argv[1])
n = 0
while True:
    n += 1
    body = "".join(f'[[records]]\\nid = "r{i}"\\nversion = {n}\\n\\n' for i in range(20000))
    with locked(path):
        atomic_write(path, f"version = {n}\\n\\n" + body)
    print(n, flush=True)
"""


def _notes(folder: Path) -> Path:
    folder.mkdir()
    path = folder / "notes.toml"
    path.write_text(
        '# my notes\n[dataset]\nname = "notes"\ntitle = "Notes"\nkey = "id"\n\n'
        '[fields.id]\ntype = "text"\n\n[fields.title]\ntype = "text"\n'
    )
    return path


@pytest.mark.slow
def test_two_writers_adding_200_records_each_keep_all_400(tmp_path: Path) -> None:
    path = _notes(tmp_path / "datasets")
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path.parent), name, "200"], stderr=subprocess.PIPE
        )
        for name in ("a", "b")
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err.decode()
    doc = tomllib.loads(path.read_text())
    ids = [r["id"] for r in doc["records"]]
    assert len(ids) == len(set(ids)) == 400
    assert {f"{w}-{i}" for w in "ab" for i in range(200)} == set(ids)
    assert path.read_text().startswith("# my notes\n")  # the user's comment survived


@pytest.mark.slow
def test_a_writer_killed_at_any_moment_leaves_the_old_file_or_the_new(tmp_path: Path) -> None:
    path = tmp_path / "data.toml"
    path.write_text("version = 0\n")
    seen = set()
    for attempt in range(12):
        writer = subprocess.Popen(
            [sys.executable, "-c", REWRITER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None
        writer.stdout.readline()  # one full write done; now kill it during later ones
        time.sleep(0.01 * (attempt % 4))
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        writer.stdout.close()
        doc = tomllib.loads(path.read_text())  # never torn: always parses
        version = doc["version"]
        assert len(doc.get("records", [])) == (20000 if version else 0)
        assert all(r["version"] == version for r in doc["records"])
        seen.add(version)
    assert len(seen) > 1  # the kills landed at different points


SETTER = """
import sys
from pathlib import Path
from geobal import edit
from geobal.catalog import Catalog
from geobal.paths import bundled_data_dir

catalog = Catalog(bundled_data_dir(), Path(sys.argv[1]))
field = sys.argv[2]
for i in range(int(sys.argv[3])):
    edit.set_fields(catalog, "notes", "shared", [f"{field}={field} {i}"])
"""


@pytest.mark.slow
def test_two_processes_setting_fields_of_one_record_lose_neither(tmp_path: Path) -> None:
    """`set` reads the record under the file's lock: each of two writers changes its
    own field of the same record 50 times, and both fields end at their last value."""
    path = _notes(tmp_path / "datasets")
    path.write_text(
        path.read_text()
        + '\n[fields.other]\ntype = "text"\n\n'
        + '[[records]]\nid = "shared"\ntitle = "t"\nother = "o"\nsources = ["article"]\n'
    )
    setters = [
        subprocess.Popen(
            [sys.executable, "-c", SETTER, str(path.parent), field, "50"], stderr=subprocess.PIPE
        )
        for field in ("title", "other")
    ]
    for setter in setters:
        _, err = setter.communicate(timeout=300)
        assert setter.returncode == 0, err.decode()
    [record] = tomllib.loads(path.read_text())["records"]
    assert (record["title"], record["other"]) == ("title 49", "other 49")
