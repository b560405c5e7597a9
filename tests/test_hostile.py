"""Hostile files, faults and signals: nothing lost, nothing wrong, nothing raw.

Each class of fault found in a test of geobal as an attacker and as an unlucky user
would run it, reproduced here: in process where that shows it, as real processes
where it takes signals, kills, limits or a second writer. Each is bounded in time.
"""

import errno
import json
import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from geobal import edit, store, tomltext, userfile
from geobal.cache import Cache
from geobal.catalog import Catalog
from geobal.codecs.escape import visible
from geobal.errors import DataError
from geobal.model import Record
from tests.conftest import FIXTURES, SNAPSHOT, home_environ, isolated_environ, run_cli

TRACEBACK = ("Traceback", "this is a bug")


def clean(stderr: str) -> bool:
    return not any(mark in stderr for mark in TRACEBACK)


def notes_file(home: Path) -> Path:
    made = run_cli(["new", "notes", "--field", "title:text"], home=home)
    assert made.exit_code == 0, made.stderr
    return home / "datasets" / "notes.toml"


def add_note(home: Path, rid: str, *more: str) -> tuple[int, str]:
    result = run_cli(
        [
            "add",
            "notes",
            "--set",
            f"id={rid}",
            "--set",
            "title=T",
            "--set",
            "sources=article",
            *more,
        ],
        home=home,
    )
    return result.exit_code, result.stderr


def geobal(
    *args: str,
    env: dict[str, str] | None = None,
    umask: int = -1,
    input: bytes | None = None,
    preexec_fn: Callable[[], object] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "geobal", *args],
        capture_output=True,
        timeout=60,
        check=False,
        env=env or isolated_environ(),
        umask=umask,
        input=input,
        preexec_fn=preexec_fn,
    )


# --- 1. one deeply nested file breaks nothing else -------------------------------------

DEEP_TOML = "x = " + "{a = " * 600 + "1" + "}" * 600 + "\n"
DEEP_ARRAY = "x = " + "[" * 1000 + "]" * 1000 + "\n"


@pytest.mark.parametrize("text", [DEEP_TOML, DEEP_ARRAY], ids=["tables", "arrays"])
def test_a_deeply_nested_user_file_is_a_problem_of_that_file(tmp_path: Path, text: str) -> None:
    (tmp_path / "datasets").mkdir()
    deep = tmp_path / "datasets" / "deep.toml"
    deep.write_text(text)
    listed = run_cli(["datasets", "--fields", "name"], home=tmp_path)
    assert listed.exit_code == 0 and "risks\n" in listed.stdout
    assert listed.stderr == (
        f"geobal: warning: ignoring deep: {deep}: nested too deeply to read (tables or "
        "arrays inside one another hundreds of levels down)\n"
    )
    for args in (["search", "Balance"], ["validate"], ["--strict", "query", "deep"]):
        result = run_cli(args, home=tmp_path)
        assert clean(result.stderr), args
    checked = run_cli(["validate"], home=tmp_path)
    assert f"{deep}: nested too deeply to read" in checked.stdout and checked.exit_code == 1
    assert run_cli(["--strict", "datasets"], home=tmp_path).exit_code == 1


def test_a_deeply_nested_config_is_ignored_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(DEEP_ARRAY.replace("x =", "format ="))
    result = run_cli(["risks", "--fields", "id", "--limit", "1"], home=tmp_path)
    assert (result.exit_code, result.stdout) == (0, "id\nstrategic-autonomy\n")
    assert result.stderr.startswith("geobal: warning: ignoring the config file: ")
    assert run_cli(["--strict", "risks"], home=tmp_path).exit_code == 1


@pytest.mark.parametrize(
    ("name", "text"),
    [("deep.json", "[" * 5000 + "]" * 5000), ("deep.toml", "records = " + "[" * 3000 + "]" * 3000)],
)
def test_deeply_nested_input_to_import_is_refused_cleanly(
    tmp_path: Path, name: str, text: str
) -> None:
    notes_file(tmp_path)
    (tmp_path / name).write_text(text)
    result = run_cli(["import", str(tmp_path / name), "--into", "notes"], home=tmp_path)
    assert result.exit_code == 1 and "nested too deeply to read" in result.stderr
    assert clean(result.stderr)


# --- 3. a folder, a FIFO or a symlink loop named like a dataset ---------------------------------


def _odd_files(folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True)
    (folder / "folder.toml").mkdir()
    os.mkfifo(folder / "fifo.toml")
    (folder / "loop.toml").symlink_to("loop.toml")
    (folder / "dangling.toml").symlink_to("nowhere.toml")
    return {
        "folder": "a folder, not a file geobal can read",
        "fifo": "a FIFO (a named pipe), not a file geobal can read",
        "loop": "cannot read: Too many levels of symbolic links",
        "dangling": "cannot read: No such file or directory",
    }


def test_folders_fifos_and_loops_named_like_datasets_hide_nothing(tmp_path: Path) -> None:
    odd = _odd_files(tmp_path / "datasets")
    notes_file(tmp_path)
    listed = run_cli(["datasets", "--fields", "name"], home=tmp_path)
    assert listed.exit_code == 0 and "notes\n" in listed.stdout and "risks\n" in listed.stdout
    warned = sorted(listed.stderr.splitlines())
    assert warned == sorted(
        f"geobal: warning: ignoring {name}: {tmp_path / 'datasets' / name}.toml: {why}"
        for name, why in odd.items()
    )
    shown = run_cli(["query", "fifo"], home=tmp_path)
    assert (shown.exit_code, shown.stderr.splitlines()[0]) == (
        1,
        f"geobal: {tmp_path / 'datasets' / 'fifo.toml'}: {odd['fifo']}",
    )


def test_validate_lists_every_odd_file_and_never_blocks_on_a_fifo(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    odd = _odd_files(folder)
    done = geobal(
        "validate", str(folder), env={**isolated_environ(), "GEOBAL_DATA_DIR": str(folder)}
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.decode().splitlines()
    assert sorted(lines) == sorted(f"{folder / name}.toml: {why}" for name, why in odd.items())


# --- 4. the cache never serves a stale file -------------------------------------------------


def test_a_file_replaced_while_it_is_read_is_not_cached_as_its_new_self(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    shutil.copytree(
        FIXTURES, folder, ignore=shutil.ignore_patterns("toml-test", "sipri", "bundled")
    )
    path = folder / "items.toml"
    newer = path.read_text().replace('name = "Banana"', 'name = "Banano"')

    class Replacing:
        def __enter__(self) -> None:
            pass

        def __exit__(self, *exc: object) -> None:  # just after the old text was parsed
            tmp = path.with_suffix(".new")
            tmp.write_text(newer)
            tmp.replace(path)

    cache = Cache(tmp_path / "cache")
    first = Catalog(folder, cache=cache, reading=lambda p: Replacing()).get("items")
    assert first.by_id["b"]["name"] == "Banana"  # what was read, when it was read
    again = Catalog(folder, cache=cache).get("items")
    assert again.by_id["b"]["name"] == "Banano"  # never the old contents under the new key


def test_a_cache_folder_others_may_write_to_is_not_used(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    (folder / "datasets").mkdir(parents=True)
    (folder / "datasets").chmod(0o777)
    cache = Cache(folder)
    Catalog(FIXTURES, cache=cache).get("items")
    assert not cache.trusted() and list((folder / "datasets").iterdir()) == []
    (folder / "datasets").chmod(0o700)
    assert Cache(folder).trusted()


# --- 5. imports are linear ------------------------------------------------------------------


def test_a_write_of_many_records_reads_the_file_a_fixed_number_of_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each record once, not the whole file again per record: what made a 2,000-row
    --replace take minutes. (The bench times it; this counts the passes.)"""
    notes_file(tmp_path)
    catalog = Catalog(SNAPSHOT, tmp_path / "datasets")
    rows: list[Record] = [
        {"id": f"n{i}", "title": f"note {i}", "sources": ["article"]} for i in range(300)
    ]
    edit.write_records(catalog, "notes", rows)
    passes: list[int] = []
    original = tomltext.record_blocks

    def counted(text: str, key: str) -> list[tomltext.Block]:
        passes.append(1)
        return original(text, key)

    monkeypatch.setattr(userfile, "record_blocks", counted)
    written = edit.write_records(catalog, "notes", rows, replace=True)
    assert len(written.replaced) == 300 and len(passes) == 1
    assert len(catalog.get("notes").records) == 300


# --- 6. ordinary faults are not bugs ----------------------------------------------------------


def _limited(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_write_past_a_file_size_limit_fails_cleanly_and_keeps_the_file(tmp_path: Path) -> None:
    env = {**isolated_environ(), **home_environ(tmp_path)}
    path = notes_file(tmp_path)
    before = path.read_bytes()
    rows = "title\n" + "".join(f"{'x' * 100} {i}\n" for i in range(200))
    done = geobal(
        "import", "-", "--into", "notes", "--source", "article",
        env=env, input=rows.encode(), preexec_fn=lambda: _limited(4096),
    )  # fmt: skip
    err = done.stderr.decode()
    assert done.returncode == 1 and clean(err), err
    assert err.splitlines() == [
        f"geobal: {path}: cannot write: File too large; nothing was written",
        "the file would be larger than allowed here",
    ]
    assert path.read_bytes() == before
    assert not list(path.parent.glob(".notes.toml.*.tmp"))


def _tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True)
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return False
    return mounted.returncode == 0


def test_a_full_disk_fails_cleanly_and_keeps_the_file(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    if not _tmpfs(disk, "64k"):
        pytest.skip("mounting a small tmpfs needs root; the file size limit test covers the rest")
    try:
        env = {**isolated_environ(), **home_environ(disk)}
        path = notes_file(disk)
        before = path.read_bytes()
        rows = "title\n" + "".join(f"{'x' * 100} {i}\n" for i in range(2000))
        done = geobal(
            "import", "-", "--into", "notes", "--source", "article", env=env, input=rows.encode()
        )
        err = done.stderr.decode()
        assert done.returncode == 1 and clean(err)
        assert (
            err.splitlines()[1] == "the disk is full: free some space, then run the command again"
        )
        assert path.read_bytes() == before
    finally:
        subprocess.run(["umount", str(disk)], check=False, timeout=10)


def test_a_read_only_file_is_refused_unless_forced(tmp_path: Path) -> None:
    path = notes_file(tmp_path)
    path.chmod(0o444)
    before = path.read_bytes()
    code, err = add_note(tmp_path, "a")
    assert (code, err) == (
        1,
        f"geobal: {path} is read-only\nmake it writable (chmod u+w) to change it, or pass "
        "--force\n",
    )
    assert path.read_bytes() == before
    assert add_note(tmp_path, "a", "--force")[0] == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o444  # its mode kept


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("missing/out.csv", "{t}: cannot write: No such file or directory; nothing was written"),
        (".", "{t} is a folder"),
    ],
)
def test_export_to_a_path_that_cannot_be_written(tmp_path: Path, target: str, message: str) -> None:
    out = tmp_path / target
    result = run_cli(["export", "risks", "-o", str(out)], home=tmp_path)
    t = os.path.realpath(out)
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        1,
        "geobal: " + message.format(t=t),
    )


def test_a_data_dir_that_is_a_file(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("not a folder")
    result = run_cli(["--data-dir", str(afile), "new", "notes"], home=tmp_path)
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        1,
        f"geobal: {afile} is not a folder, yet it is set as the folder of your datasets",
    )


@pytest.mark.parametrize(
    ("redirect", "message"),
    [
        ({"stdout": "/dev/full"}, "geobal: standard output: No space left on device"),
        ({"stdout": None}, "geobal: standard output: it is closed"),
    ],
)
def test_output_that_cannot_be_written(redirect: dict[str, str | None], message: str) -> None:
    if redirect["stdout"] == "/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    code = (
        "import os, sys, subprocess\n"
        "out = open(sys.argv[1], 'w') if sys.argv[1] != '-' else None\n"
        "if not out:\n"
        "    os.close(1)\n"
        "r = subprocess.run([sys.executable, '-m', 'geobal', 'deals', '--json'], "
        "stderr=subprocess.PIPE, **({'stdout': out} if out else {}))\n"
        "sys.stderr.write(r.stderr.decode())\n"
        "sys.exit(r.returncode)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, redirect["stdout"] or "-"],
        capture_output=True,
        timeout=60,
        check=False,
        env=isolated_environ(),
    )
    err = done.stderr.decode()
    assert done.returncode == 1 and err.splitlines()[0] == message and clean(err), err


def test_two_processes_removing_one_record(tmp_path: Path) -> None:
    notes_file(tmp_path)
    assert add_note(tmp_path, "gone")[0] == 0
    env = {**isolated_environ(), **home_environ(tmp_path)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "geobal", "remove", "notes", "gone"],
            stderr=subprocess.PIPE,
            env=env,
        )
        for _ in range(2)
    ]
    errors = [p.communicate(timeout=60)[1].decode() for p in runs]
    results = list(zip((p.returncode for p in runs), errors, strict=True))
    assert sorted(code for code, _ in results) == [0, 1]
    failed = next(err for code, err in results if code == 1)
    assert failed.startswith("geobal: no record 'gone' in your notes file") and clean(failed)


def test_a_sipri_note_with_an_impossible_date(tmp_path: Path) -> None:
    text = (FIXTURES / "sipri" / "trade-register-excerpt.csv").read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(text.replace(b"13 Oct 2024", b"31 Feb 2024"))
    result = run_cli(["import", str(bad), "--as", "sipri"], home=tmp_path)
    assert (result.exit_code, result.stderr.splitlines()[0]) == (
        1,
        f"geobal: {bad}:11: the date the export was generated, '31 Feb 2024', is not a date",
    )


# --- 7. Ctrl-C -------------------------------------------------------------------------------


def test_ctrl_c_at_any_moment_exits_130_with_one_line() -> None:
    """From the moment geobal's own code runs (the interpreter's start is Python's): 130
    and one line, or done already. Each run says when that moment has come (launch.READY),
    and is interrupted only then, a little later each time, so that the 24 signals land
    all along its run, however loaded the machine."""
    env = isolated_environ()
    script = shutil.which("geobal", path=str(Path(sys.executable).parent)) or ""
    command = [script] if script else [sys.executable, "-m", "geobal"]
    outcomes = []
    for n in range(24):
        ready, told = os.pipe()
        run = subprocess.Popen(
            [*command, "deals", "--json"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**env, "GEOBAL_READY_FD": str(told)},
            pass_fds=(told,),
        )
        os.close(told)
        with os.fdopen(ready, "rb") as pipe:  # until geobal writes, or ends without a word
            said = pipe.readline()
        assert said == b"ready\n", (said, run.communicate(timeout=60))
        time.sleep(0.004 * n)  # which moment of the run: 0 to 92 ms after it is geobal's
        run.send_signal(signal.SIGINT)
        _, stderr = run.communicate(timeout=60)
        outcomes.append((run.returncode, stderr.decode()))
    for code, err in outcomes:
        assert (code, err) in ((130, "geobal: interrupted\n"), (0, "")), (code, err)
    assert any(code == 130 for code, _ in outcomes)


def test_files_written_together_are_all_replaced_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = tmp_path / "one.toml", tmp_path / "two.toml"
    one.write_text("old = 1\n")
    two.write_text("old = 2\n")
    real = Path.replace
    renames: list[Path] = []

    def interrupted_between(self: Path, target: Path) -> Path:
        renames.append(target)
        if len(renames) == 1:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C after the first rename
        return real(self, target)

    monkeypatch.setattr(Path, "replace", interrupted_between)
    with pytest.raises(KeyboardInterrupt):
        store.atomic_writes([(one, "new = 1\n"), (two, "new = 2\n")])
    assert (one.read_text(), two.read_text()) == ("new = 1\n", "new = 2\n")  # both
    monkeypatch.setattr(Path, "replace", real)

    def interrupted_writing(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted_writing)
    with pytest.raises(store.Interrupted, match="nothing was written"):
        store.atomic_writes([(one, "newer = 1\n"), (two, "newer = 2\n")])
    assert (one.read_text(), two.read_text()) == ("new = 1\n", "new = 2\n")  # neither
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.toml", "two.toml"]


# --- 8. nothing raw reaches a terminal --------------------------------------------------------


def test_visible_shows_zero_width_bidi_and_undecodable_characters() -> None:
    assert (
        visible("a\u200bb\ufeffc\u202ed\udce9e\x9bf") == "a\\u200bb\\ufeffc\\u202ed\\udce9e\\x9bf"
    )


def test_paths_and_names_echoed_back_are_escaped(tmp_path: Path) -> None:
    evil = tmp_path / "a\x1b]0;owned\x07.csv"
    notes_file(tmp_path)
    missing = run_cli(
        ["import", str(evil), "--into", "notes", "--source", "article"], home=tmp_path
    )
    assert missing.exit_code == 1 and "\x1b" not in missing.stderr
    assert "\\x1b]0;owned\\x07.csv" in missing.stderr
    written = run_cli(["export", "notes", "-o", str(evil)], home=tmp_path)
    assert written.exit_code == 0 and evil.exists()
    assert written.stderr == f"wrote 0 records to {visible(str(evil))}\n" != f"{evil}\n"
    bad = run_cli(["query", "notes", "--where", "title=\x1b[2J"], home=tmp_path)
    assert "\x1b" not in bad.stdout + bad.stderr


def test_export_to_a_terminal_escapes_what_a_pipe_keeps(tmp_path: Path) -> None:
    notes_file(tmp_path)
    assert add_note(tmp_path, "n1")[0] == 0
    path = tmp_path / "datasets" / "notes.toml"
    path.write_text(path.read_text().replace('title = "T"', 'title = "x\\u001b[31my\\u200bz"'))
    piped = run_cli(["export", "notes", "--format", "csv"], home=tmp_path).stdout
    assert "x\x1b[31my\u200bz" in piped  # CSV in a pipe: the exact bytes
    shown = run_cli(["export", "notes", "--format", "csv"], home=tmp_path, tty=True).stdout
    assert "\x1b" not in shown and "x\\x1b[31my\\u200bz" in shown


def test_export_toml_escapes_the_schema_as_the_records(tmp_path: Path) -> None:
    made = run_cli(["new", "odd", "--title", "T\x9b\u202e\u2028x"], home=tmp_path)
    assert made.exit_code == 0
    out = run_cli(["export", "odd", "--format", "toml"], home=tmp_path).stdout
    assert not any(c in out for c in "\x9b\u202e\u2028")
    assert "T\\u009b\\u202e\\u2028x" in out


def test_validate_escapes_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.toml")).write_text("x = [")
    done = geobal("validate", str(folder))
    out = done.stdout.decode("utf-8")
    assert done.returncode == 1 and "caf\\udce9" in out and clean(done.stderr.decode())


# --- 9. names that end in a newline ---------------------------------------------------------------


def test_names_ids_and_fields_ending_in_a_newline_are_refused(tmp_path: Path) -> None:
    made = run_cli(["new", "abc\n"], home=tmp_path)
    assert made.exit_code == 2 and made.stderr.startswith("geobal: 'abc\\n' is not a dataset name")
    assert not (tmp_path / "datasets").exists()
    assert run_cli(["new", "x", "--field", "ti\ntle:text"], home=tmp_path).exit_code == 2
    notes_file(tmp_path)
    code, err = add_note(tmp_path, "a\n")
    assert code == 2 and "record 'a\\n': id: ids are letters" in err
    path = tmp_path / "datasets" / "notes.toml"
    path.write_text(
        path.read_text() + '\n[[records]]\nid = "b\\n"\ntitle = "T"\nsources = ["article"]\n'
    )
    checked = run_cli(["validate", str(path)], home=tmp_path)
    assert checked.exit_code == 1 and "record 'b\\n': id: ids are letters" in checked.stdout


# --- 10. files keep what they are -----------------------------------------------------------------


def test_new_files_follow_the_umask(tmp_path: Path) -> None:
    env = {**isolated_environ(), **home_environ(tmp_path)}
    for mask, mode in ((0o022, 0o644), (0o077, 0o600)):
        done = geobal("new", f"m{mask:o}", env=env, umask=mask)
        assert done.returncode == 0, done.stderr
        assert stat.S_IMODE((tmp_path / "datasets" / f"m{mask:o}.toml").stat().st_mode) == mode


def test_a_symlinked_dataset_is_written_through_to_its_file(tmp_path: Path) -> None:
    path = notes_file(tmp_path)
    elsewhere = tmp_path / "elsewhere.toml"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    assert add_note(tmp_path, "a")[0] == 0
    assert path.is_symlink() and 'id = "a"' in elsewhere.read_text()


def test_a_hard_link_that_a_write_parts_is_said(tmp_path: Path) -> None:
    path = notes_file(tmp_path)
    other = tmp_path / "other-name.toml"
    os.link(path, other)
    code, err = add_note(tmp_path, "a")
    assert code == 0
    assert f"{path} has other hard links, which keep the old contents" in err


def test_a_temporary_file_left_by_a_killed_writer_is_cleared(tmp_path: Path) -> None:
    path = notes_file(tmp_path)
    stray = path.parent / ".notes.toml.abcdef.tmp"
    stray.write_text("half")
    old = time.time() - store.STALE - 60
    os.utime(stray, (old, old))
    assert add_note(tmp_path, "a")[0] == 0
    assert not stray.exists()


def test_every_os_error_is_named_not_a_bug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the system refuses deep down, the CLI names it and exits 1."""
    import geobal.queries

    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", "/some/file")

    monkeypatch.setattr(geobal.queries, "run", refused)
    result = run_cli(["deals"], home=tmp_path)
    assert (result.exit_code, result.stderr) == (
        1,
        "geobal: /some/file: Permission denied\nyou may not write there: check the folder's "
        "permissions\n",
    )


def test_json_lists_are_still_json_after_escaping(tmp_path: Path) -> None:
    rows = json.loads(run_cli(["risks", "--json"], home=tmp_path).stdout)
    assert rows and all("\\u" not in json.dumps(r, ensure_ascii=False) for r in rows)
    with pytest.raises(DataError):
        store.atomic_write(tmp_path, "x")  # a folder is no file to write
