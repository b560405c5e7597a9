"""The one write path: a dataset is replaced only by data of its own kind and never
emptied by mistake, every file a command writes is checked before the first is
written, records are found by reading the file as TOML, settings however they are
written, and a change to a large file costs no parse of it."""

import json
import os
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from geobal import edit, store
from geobal.cache import Cache
from geobal.catalog import Catalog
from geobal.files import parse_toml
from geobal.transfer import fetch
from tests.conftest import FIXTURES, SNAPSHOT, home_environ, isolated_environ, run_cli
from tests.replay import Backend

REGISTER = FIXTURES / "sipri" / "trade-register-excerpt.csv"
PER_YEAR = FIXTURES / "sipri" / "per-year-2000-2001-excerpt.csv"
VOLUMES = FIXTURES / "sipri" / "import-export-values-excerpt.csv"


def _notes(home: Path, *records: str) -> Path:
    """The user's own dataset notes, with a record for each id."""
    made = run_cli(["new", "notes", "--field", "title:text"], home=home)
    assert made.exit_code == 0, made.stderr
    for rid in records:
        added = run_cli(
            [
                "add",
                "notes",
                "--set",
                f"id={rid}",
                "--set",
                "title=mine",
                "--set",
                "sources=article",
            ],
            home=home,
        )
        assert added.exit_code == 0, added.stderr
    return home / "datasets" / "notes.toml"


def _files(home: Path) -> dict[str, bytes]:
    """The user's files (the locks beside them left out: they hold nothing)."""
    folder = home / "datasets"
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.endswith(".lock")
    }


# --- a dataset is replaced only by data of its own kind --------------------------------


@pytest.mark.parametrize(
    ("export", "kind"), [(REGISTER, "sipri"), (PER_YEAR, "sipri"), (VOLUMES, "sipri-tiv")]
)
def test_an_import_never_replaces_a_dataset_of_yours(
    tmp_path: Path, export: Path, kind: str
) -> None:
    _notes(tmp_path, "a", "b")
    before = _files(tmp_path)
    done = run_cli(["import", str(export), "--as", kind, "--into", "notes"], home=tmp_path)
    assert (done.exit_code, done.stderr) == (
        1,
        f"geobal: notes is a dataset `geobal import --as {kind}` did not make (a dataset of "
        "yours, 2 records): it is not replaced; nothing was written\n"
        "import into a dataset of its own: --into NAME, a name no dataset has yet\n",
    )
    assert _files(tmp_path) == before


def test_a_register_holding_records_you_added_is_not_replaced(tmp_path: Path) -> None:
    assert run_cli(["import", str(REGISTER), "--as", "sipri"], home=tmp_path).exit_code == 0
    mine = run_cli(
        ["add", "transfers", "--set", "id=my-own", "--set", "recipient=India",
         "--set", "supplier=Russia", "--set", "sources=article"],
        home=tmp_path,
    )  # fmt: skip
    assert mine.exit_code == 0, mine.stderr
    before = _files(tmp_path)
    again = run_cli(["import", str(REGISTER), "--as", "sipri"], home=tmp_path)
    assert (again.exit_code, again.stderr) == (
        1,
        "geobal: transfers holds 1 records that no export gave (my-own): replacing it would "
        "lose them; nothing was written\n"
        "import --into another name, or remove them first (geobal remove transfers ID...)\n",
    )
    assert _files(tmp_path) == before
    # nor does a volume table replace a register
    tiv = run_cli(
        ["import", str(VOLUMES), "--as", "sipri-tiv", "--into", "transfers"], home=tmp_path
    )
    assert tiv.exit_code == 1 and "`geobal import --as sipri-tiv` did not make" in tiv.stderr


def _header_only(export: Path, folder: Path) -> Path:
    """The export with its notes and header and no data line, as a filter that matched
    nothing gives it."""
    text = export.read_bytes().decode("latin-1")
    lines = text.split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith(("Recipient,", "SIPRI AT")))
    empty = folder / f"empty-{export.name}"
    empty.write_bytes("\n".join(lines[: header + 1]).encode("latin-1") + b"\n")
    return empty


@pytest.mark.parametrize(
    ("export", "kind", "into"), [(REGISTER, "sipri", "transfers"), (VOLUMES, "sipri-tiv", "tiv")]
)
def test_an_export_with_no_data_lines_replaces_nothing(
    tmp_path: Path, export: Path, kind: str, into: str
) -> None:
    assert run_cli(["import", str(export), "--as", kind], home=tmp_path).exit_code == 0
    before = _files(tmp_path)
    empty = _header_only(export, tmp_path)
    for more in ([], ["--allow-smaller", "--force"]):
        done = run_cli(["import", str(empty), "--as", kind, *more], home=tmp_path)
        assert (done.exit_code, done.stderr) == (
            1,
            f"geobal: {empty}: the export holds no data; nothing was written\n"
            "check the filters it was exported or fetched with\n",
        )
    assert _files(tmp_path) == before
    # nor into a new dataset
    fresh = run_cli(["import", str(empty), "--as", kind, "--into", "new"], home=tmp_path)
    assert fresh.exit_code == 1 and not (tmp_path / "datasets" / "new.toml").exists()
    assert len(run_cli(["query", into, "--json"], home=tmp_path).stdout) > 1000


def test_a_much_smaller_export_replaces_a_register_only_when_asked(tmp_path: Path) -> None:
    assert run_cli(["import", str(REGISTER), "--as", "sipri"], home=tmp_path).exit_code == 0
    lines = REGISTER.read_bytes().split(b"\n")
    header = next(i for i, line in enumerate(lines) if line.startswith(b"Recipient,"))
    small = tmp_path / "small.csv"
    small.write_bytes(b"\n".join(lines[: header + 11]) + b"\n")  # 10 of 184 records
    before = _files(tmp_path)
    done = run_cli(["import", str(small), "--as", "sipri"], home=tmp_path)
    assert (done.exit_code, done.stderr) == (
        1,
        f"geobal: {small}: 10 records would replace the 184 of transfers (5.4% as many); "
        "nothing was written\n"
        "pass --allow-smaller if that is what you mean, or import --into another name\n",
    )
    assert _files(tmp_path) == before
    done = run_cli(["import", str(small), "--as", "sipri", "--allow-smaller"], home=tmp_path)
    assert done.exit_code == 0, done.stderr
    assert (
        "replaced transfers, which held 184 records of the trade register (legacy " in done.stderr
    )
    count = run_cli(["query", "transfers", "--count-by", "origin", "--json"], home=tmp_path)
    assert '"count": 10' in count.stdout


def test_allow_smaller_applies_to_whole_replacements_only(tmp_path: Path) -> None:
    _notes(tmp_path)
    rows = tmp_path / "rows.csv"
    rows.write_text("id,title,sources\nx,t,article\n")
    done = run_cli(["import", str(rows), "--into", "notes", "--allow-smaller"], home=tmp_path)
    assert (done.exit_code, done.stderr) == (
        2,
        "geobal: --allow-smaller applies to --as imports, which replace a dataset whole\n"
        "rows are added, or with --replace put in place of their own ids\n",
    )


# --- every file a command writes is checked before the first is written ------------------


def _fetch(home: Path, url: str, *more: str) -> tuple[int, str]:
    done = run_cli(
        ["fetch", "sipri", "--from", "2000", "--to", "2001", "--into", "reg", "--url", url, *more],
        home=home,
    )
    return done.exit_code, done.stderr


def test_fetch_writes_nothing_when_the_kept_csv_cannot_be_written(
    tmp_path: Path, backend: Backend
) -> None:
    (tmp_path / "datasets" / "reg.csv").mkdir(parents=True)
    code, err = _fetch(tmp_path, backend.url)
    assert code == 1 and err.splitlines()[-2:] == [
        f"geobal: {tmp_path / 'datasets' / 'reg.csv'} is a folder",
        "give a file's path to write to",
    ]
    assert _files(tmp_path) == {}


@pytest.mark.parametrize("odd", ["folder", "fifo"])
def test_fetch_writes_nothing_when_the_reply_cannot_be_kept(
    tmp_path: Path, backend: Backend, odd: str
) -> None:
    entry = fetch._entry(tmp_path / "cache", backend.url, fetch.body(2000, 2001))
    assert entry is not None
    entry.parent.mkdir(parents=True)
    if odd == "folder":
        entry.mkdir()
    else:
        os.mkfifo(entry)
    # a real process, bounded in time: reading a FIFO must not block
    args = ["fetch", "sipri", "--from", "2000", "--to", "2001", "--into", "reg"]
    env = {**isolated_environ(), **home_environ(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "geobal", *args, "--url", backend.url],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 1 and done.stderr.splitlines()[-2:] == [
        f"geobal: {entry}: SIPRI's reply cannot be kept there (it is not a regular file); "
        "nothing was written",
        "remove it, or fetch without keeping the reply: geobal --no-cache fetch ...",
    ], done.stderr
    assert not (tmp_path / "datasets").exists() or _files(tmp_path) == {}
    # with --no-cache, nothing is kept, and the import is done
    done = subprocess.run(
        [sys.executable, "-m", "geobal", "--no-cache", *args, "--url", backend.url],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_fetch_never_replaces_a_dataset_of_yours(tmp_path: Path, backend: Backend) -> None:
    _notes(tmp_path, "a")
    before = _files(tmp_path)
    done = run_cli(
        [
            "fetch",
            "sipri",
            "--from",
            "2000",
            "--to",
            "2001",
            "--into",
            "notes",
            "--url",
            backend.url,
        ],
        home=tmp_path,
    )
    assert (
        done.exit_code == 1
        and "notes is a dataset `geobal import --as sipri` did not" in done.stderr
    )
    assert _files(tmp_path) == before


# --- records found by reading, changed in place ---------------------------------------------

HAND_WRITTEN = '''\
# notes kept by hand
[dataset]
name = "notes"
title = "Notes"
key = "id"

[fields.id]
type = "text"
[fields.title]
type = "text"
[fields.kind]
type = "choice"
choices = [{ value = "a", label = "A" }, { value = "b", label = "B" }]
[fields.body]
type = "text"

# the first note
[[records]]
id = "one"
# why this title
title = "First"   # as the source says
body = """
[[records]]
id = "not-a-record"
[ also not a header
"""
"sources" = ['article']

# the second note, which stays second
[[records]]
id = "two"
title = "Second"
sources = ["article"]
'''


def _hand_written(home: Path) -> Path:
    path = home / "datasets" / "notes.toml"
    path.parent.mkdir(parents=True)
    path.write_text(HAND_WRITTEN)
    return path


def test_set_changes_only_the_values_it_is_given(tmp_path: Path) -> None:
    path = _hand_written(tmp_path)
    done = run_cli(["set", "notes", "one", "title=Premier", "kind=b"], home=tmp_path)
    assert done.exit_code == 0, done.stderr
    assert path.read_text() == HAND_WRITTEN.replace(
        'title = "First"   # as the source says\n',
        'title = "Premier"   # as the source says\n',
    ).replace("\"sources\" = ['article']\n", '"sources" = [\'article\']\nkind = "b"\n')
    done = run_cli(["set", "notes", "one", "kind=", "body=short"], home=tmp_path)
    assert done.exit_code == 0, done.stderr
    text = path.read_text()
    assert 'body = "short"\n"sources" = [\'article\']\n\n# the second note' in text
    assert "not-a-record" not in text and text.startswith(HAND_WRITTEN[:300])
    ids = [r["id"] for r in tomllib.loads(text)["records"]]
    assert ids == ["one", "two"]


def test_remove_takes_out_exactly_the_records_lines(tmp_path: Path) -> None:
    path = _hand_written(tmp_path)
    done = run_cli(["remove", "notes", "one"], home=tmp_path)
    assert done.exit_code == 0, done.stderr
    start = HAND_WRITTEN.index('[[records]]\nid = "one"')
    end = HAND_WRITTEN.index("# the second note")
    assert path.read_text() == HAND_WRITTEN[:start] + HAND_WRITTEN[end:]


def test_a_crlf_file_with_a_bom_keeps_both(tmp_path: Path) -> None:
    path = _hand_written(tmp_path)
    path.write_bytes(b"\xef\xbb\xbf" + HAND_WRITTEN.replace("\n", "\r\n").encode())
    assert run_cli(["set", "notes", "two", "kind=a"], home=tmp_path).exit_code == 0
    added = run_cli(
        ["add", "notes", "--set", "id=three", "--set", "sources=article"], home=tmp_path
    )
    assert added.exit_code == 0, added.stderr
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf# notes kept by hand\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b'title = "Second"\r\nsources = ["article"]\r\nkind = "a"\r\n' in data
    # a value over several lines, and a record replaced whole, in CRLF too
    listed = run_cli(["set", "notes", "two", "sources=article;pravda-s400"], home=tmp_path)
    assert listed.exit_code == 0, listed.stderr
    assert b'sources = [\r\n    "article",\r\n    "pravda-s400",\r\n]\r\n' in path.read_bytes()
    replaced = run_cli(
        ["add", "notes", "--set", "id=two", "--set", "sources=article", "--replace"],
        home=tmp_path,
    )
    assert replaced.exit_code == 0, replaced.stderr
    data = path.read_bytes()
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert data.endswith(
        b'\r\n\r\n[[records]]\r\nid = "three"\r\nsources = [\r\n    "article",\r\n]\r\n'
    )


def test_records_written_inline_are_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "datasets" / "notes.toml"
    path.parent.mkdir()
    head = HAND_WRITTEN[: HAND_WRITTEN.index("# the first note")]
    path.write_text('# mine\nrecords = [{ id = "one", sources = ["article"] }]\n' + head)
    before = path.read_bytes()
    done = run_cli(["set", "notes", "one", "title=x"], home=tmp_path)
    line = 2
    assert (done.exit_code, done.stderr) == (
        1,
        f"geobal: {path}:{line}: records written as records = [...], which geobal does not "
        "edit in place; write each as a [[records]] table\n"
        "edit this file by hand, or rewrite its records as [[records]] tables\n",
    )
    done = run_cli(["add", "notes", "--set", "id=two", "--set", "sources=article"], home=tmp_path)
    assert done.exit_code == 1 and f"{path}:{line}: records written as" in done.stderr
    assert path.read_bytes() == before


# --- settings however they are written -------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ['"color" = "always"', "  color = 'always'  # mine", 'color="always"', "'color' = \"always\""],
)
def test_config_set_changes_the_key_however_it_is_written(tmp_path: Path, written: str) -> None:
    config = tmp_path / "config.toml"
    text = f'# my settings\ndata_dir = """\ncolor = "auto"\n"""\n{written}\nformat = "json"\n'
    config.write_text(text)
    done = run_cli(["config", "set", "color", "never"], home=tmp_path)
    assert done.exit_code == 0, done.stderr
    value = written.split("=", 1)[1].split("#")[0].strip()
    assert config.read_text() == text.replace(
        f"{written}\n", written.replace(value, '"never"') + "\n"
    )
    assert tomllib.loads(config.read_text())["color"] == "never"
    shown = run_cli(["config", "get", "color"], home=tmp_path)
    assert shown.stdout == "never\n", shown.stderr


def test_config_set_adds_a_key_after_the_others(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('# mine\nformat = "json"  # for scripts\n')
    assert run_cli(["config", "set", "color", "never"], home=tmp_path).exit_code == 0
    assert config.read_text() == '# mine\nformat = "json"  # for scripts\ncolor = "never"\n'


# --- locking where there is no flock ----------------------------------------------------------


def test_the_lock_is_windows_own_where_there_is_no_fcntl(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without fcntl (Windows) the write lock is msvcrt's byte-range lock, taken and
    released around the write; the module itself imports everywhere."""
    import types

    calls: list[tuple[int, int]] = []
    fake = types.ModuleType("msvcrt")
    fake.LK_LOCK, fake.LK_UNLCK = 1, 0  # type: ignore[attr-defined]
    fake.locking = lambda fd, mode, n: calls.append((mode, n))  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fcntl", None)  # import fcntl raises ImportError
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    path = tmp_path / "f.toml"
    with store.locked(path):
        store.atomic_write(path, "x = 1\n")
    assert calls == [(1, 1), (0, 1)] and path.read_text() == "x = 1\n"


# --- a change costs no parse of the whole file -----------------------------------------------


def test_add_and_set_on_a_cached_file_parse_only_what_they_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the parse cache current, add and set read the records from it, locate the
    record from where the cache keeps it, and parse only the text they write; the cache
    is then current for the next query. Without it, one parse."""
    folder = tmp_path / "datasets"
    folder.mkdir()
    body = "".join(
        f'[[records]]\nid = "r{i}"\ntitle = "n {i}"\nsources = ["article"]\n\n' for i in range(3000)
    )
    path = folder / "notes.toml"
    path.write_text(HAND_WRITTEN[: HAND_WRITTEN.index("# the first note")] + body)
    parsed: list[int] = []

    def counted(text: str, where: str) -> dict[str, object]:
        parsed.append(len(text))
        return parse_toml(text, where)

    cache = Cache(tmp_path / "cache")
    Catalog(SNAPSHOT, folder, cache=cache).get("notes")  # a query fills the cache
    from geobal import catalog as catalog_module
    from geobal import userfile

    monkeypatch.setattr(catalog_module, "parse_toml", counted)
    monkeypatch.setattr(userfile, "parse_toml", counted)
    for step in range(3):
        catalog = Catalog(SNAPSHOT, folder, cache=Cache(tmp_path / "cache"))
        edit.add(catalog, "notes", [f"id=new-{step}", "title=t", "sources=article"])
        catalog = Catalog(SNAPSHOT, folder, cache=Cache(tmp_path / "cache"))
        edit.set_fields(catalog, "notes", f"r{1000 + step}", ["title=changed"])
    assert parsed and max(parsed) < 500, "only the records written were parsed"
    parsed.clear()
    after = Catalog(SNAPSHOT, folder, cache=Cache(tmp_path / "cache")).get("notes")
    assert parsed == [] and len(after.records) == 3003  # the next query is warm
    assert after.by_id["r1001"]["title"] == "changed"
    assert after == Catalog(SNAPSHOT, folder).get("notes")  # as the file reads
    # without a cache: one parse of the file a change
    Catalog(SNAPSHOT, folder).get("notes")
    parsed.clear()
    edit.set_fields(Catalog(SNAPSHOT, folder), "notes", "r5", ["title=again"])
    assert len([n for n in parsed if n > 500]) == 1


def test_a_read_only_file_names_force_only_where_the_command_has_it(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("mine\n")
    target.chmod(0o444)
    config = tmp_path / "config.toml"
    config.write_text('format = "json"\n')
    config.chmod(0o444)
    notes = _notes(tmp_path, "a")
    notes.chmod(0o444)
    for args, path, hint in (
        # --force replaces a file there, and still not a read-only one, as sqlite's
        (["export", "deals", "-f", "csv", "-o", str(target), "--force"], target, ""),
        (["config", "set", "color", "never"], config, ""),
        (["set", "notes", "a", "title=t"], notes, ", or pass --force"),
    ):
        done = run_cli(args, home=tmp_path)
        assert (done.exit_code, done.stderr) == (
            1,
            f"geobal: {path} is read-only\nmake it writable (chmod u+w) to change it{hint}\n",
        ), args


# --- what a newcomer tried: nothing written other than meant, and said ---------------------


def test_export_writes_the_format_its_file_name_says(tmp_path: Path) -> None:
    _notes(tmp_path, "a", "b")
    out = tmp_path / "out.csv"
    done = run_cli(["export", "notes", "-o", str(out)], home=tmp_path)
    assert done.exit_code == 0 and out.read_text().startswith("id,title,sources")
    back = run_cli(["import", str(out), "--into", "notes", "--replace"], home=tmp_path)
    assert back.exit_code == 0 and "added 0 and replaced 2" in back.stderr
    jsonl = tmp_path / "out.ndjson"
    assert run_cli(["export", "notes", "-o", str(jsonl)], home=tmp_path).exit_code == 0
    assert jsonl.read_text().startswith('{"id":"a"')
    clash = run_cli(["export", "notes", "-f", "json", "-o", str(tmp_path / "x.csv")], home=tmp_path)
    assert (clash.exit_code, clash.stderr) == (
        2,
        f"geobal: --format json and --output {tmp_path / 'x.csv'} name different formats\n"
        "give the file a .json name, or leave --format out to write csv\n",
    )
    assert not (tmp_path / "x.csv").exists()
    # a name with an extension geobal writes no format for: refused, not TOML in disguise
    sheet = tmp_path / "d.xlsx"
    unknown = run_cli(["export", "notes", "-o", str(sheet)], home=tmp_path)
    assert (unknown.exit_code, unknown.stderr) == (
        2,
        f"geobal: --output {sheet}: geobal writes no format named .xlsx\n"
        "name the file .json, .jsonl, .csv, .tsv, .toml, .db, .parquet, or give --format "
        "to write that format under this name\n",
    )
    assert not sheet.exists()
    told = run_cli(["export", "notes", "-f", "csv", "-o", str(sheet)], home=tmp_path)
    assert told.exit_code == 0 and sheet.read_text().startswith("id,title,sources")
    bare = tmp_path / "notes-copy"
    assert run_cli(["export", "notes", "-o", str(bare)], home=tmp_path).exit_code == 0
    assert "[[records]]" in bare.read_text()


def test_an_id_made_from_text_that_is_taken_is_refused_as_any_other(tmp_path: Path) -> None:
    """Running an add or an import again does not add its records again under ids with
    -2 after them: an id made from text is an id, refused where the dataset has it."""
    path = _notes(tmp_path)
    args = ["add", "notes", "--set", "title=S-400", "--set", "sources=article"]
    assert run_cli(args, home=tmp_path).stdout == "s-400\n"
    before = path.read_bytes()
    again = run_cli(args, home=tmp_path)
    assert (again.exit_code, again.stderr) == (
        2,
        "geobal: notes has a record 's-400' already (in your file)\n"
        "pass --replace to replace it, or choose another id\n",
    )
    assert path.read_bytes() == before
    rows = tmp_path / "rows.csv"
    rows.write_text("title,sources\nRafale,article\nSU-30,article\nSu 30,article\n")
    twice = run_cli(["import", str(rows), "--into", "notes"], home=tmp_path)
    assert twice.stderr.splitlines()[1:] == [
        f"  {rows}: line 4: record su-30: id: the same id as line 3",
        "fix the rows (or map their columns with --map) and import again",
    ]
    rows.write_text("title,sources\nRafale,article\n")
    assert run_cli(["import", str(rows), "--into", "notes"], home=tmp_path).exit_code == 0
    again = run_cli(["import", str(rows), "--into", "notes"], home=tmp_path)
    assert again.stderr.splitlines()[1] == (
        f"  {rows}: line 2: record rafale: id: notes has this id already; pass --replace to "
        "replace it"
    )


def test_an_import_names_every_row_citing_a_source_that_is_not_there(tmp_path: Path) -> None:
    _notes(tmp_path)
    rows = tmp_path / "rows.csv"
    rows.write_text("Title,Sources\nfirst,article\nsecond,nosuch\nthird,article;other\n")
    done = run_cli(["import", str(rows), "--into", "notes"], home=tmp_path)
    assert (done.exit_code, done.stderr.splitlines()[1:3]) == (
        1,
        [
            f"  {rows}: line 3: record second: sources: 'nosuch' is not an id in sources (add "
            "it first: geobal add sources --set id=...)",
            f"  {rows}: line 4: record third: sources: 'other' is not an id in sources (add it "
            "first: geobal add sources --set id=...)",
        ],
    )


def test_a_column_is_a_field_in_any_case_and_a_stray_one_is_said_at_the_header(
    tmp_path: Path,
) -> None:
    _notes(tmp_path)
    rows = tmp_path / "rows.csv"
    rows.write_text("ID,Title,Source Note,sources\nn1,first,x,article\n")
    done = run_cli(["import", str(rows), "--into", "notes"], home=tmp_path)
    assert done.stderr.splitlines()[1] == (
        f"  {rows}: line 1: Source Note: unknown column; map it with --map 'Source Note=FIELD' "
        "(fields: id, title, sources)"
    )
    rows.write_text("ID,Title,sources\nn1,first,article\n")
    assert run_cli(["import", str(rows), "--into", "notes"], home=tmp_path).exit_code == 0


def test_a_record_others_cite_is_not_removed(tmp_path: Path) -> None:
    mine = run_cli(
        ["add", "sources", "--set", "id=my-notes", "--set", "quality=weak", "--set", "about=x"],
        home=tmp_path,
    )
    assert mine.exit_code == 0, mine.stderr
    _notes(tmp_path)
    cite = ["add", "notes", "--set", "id=n1", "--set", "title=t", "--set", "sources=my-notes"]
    assert run_cli(cite, home=tmp_path).exit_code == 0
    before = _files(tmp_path)
    done = run_cli(["remove", "sources", "my-notes"], home=tmp_path)
    assert (done.exit_code, done.stderr) == (
        1,
        "geobal: 1 records cite what would be removed (notes/n1); nothing was removed\n"
        "change or remove those records first, so that none cites a record that is gone\n",
    )
    assert _files(tmp_path) == before
    assert run_cli(["remove", "notes", "n1"], home=tmp_path).exit_code == 0
    assert run_cli(["remove", "sources", "my-notes"], home=tmp_path).exit_code == 0


def test_an_id_is_not_made_by_leaving_letters_out(tmp_path: Path) -> None:
    _notes(tmp_path)
    done = run_cli(
        ["add", "notes", "--set", "title=\u0421-400", "--set", "sources=article"], home=tmp_path
    )
    assert (done.exit_code, done.stderr) == (
        2,
        "geobal: an id made from title '\u0421-400' would leave out '\u0441', which has no Latin "
        "spelling here; give one with --set id=ID\n",
    )
    kept = run_cli(
        ["add", "notes", "--set", "title=Stra\u00dfe 2", "--set", "sources=article"], home=tmp_path
    )
    assert kept.stdout == "strasse-2\n"


def test_set_to_the_value_a_record_has_writes_nothing_and_says_so(tmp_path: Path) -> None:
    path = _notes(tmp_path, "a")
    before = path.stat().st_mtime_ns, path.read_bytes()
    done = run_cli(["set", "notes", "a", "title=mine"], home=tmp_path)
    assert (done.exit_code, done.stderr) == (
        0,
        "title of a had that value already; nothing was written\n",
    )
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before
    both = run_cli(
        ["set", "notes", "a", "title=mine", "sources=article;pravda-s400"], home=tmp_path
    )
    assert both.stderr == (f"changed sources of a in {path}\ntitle of a had that value already\n")
    twice = run_cli(["remove", "notes", "a", "a"], home=tmp_path)
    assert twice.stderr == f"removed a from {path}\n"


# --- what a hostile user tried ------------------------------------------------------------------


def test_records_written_inline_under_an_escaped_key_are_refused_too(tmp_path: Path) -> None:
    """A key spelled with an escape is the same key: `"rec\\u006Frds" = [...]` is records
    written inline, to which no [[records]] table may be added, cache or no cache."""
    path = tmp_path / "datasets" / "st.toml"
    path.parent.mkdir()
    path.write_text(
        '"rec\\u006Frds" = [ { id = "a", sources = ["article"] } ]\n\n'
        '[dataset]\nname = "st"\ntitle = "st"\nkey = "id"\n\n[fields.id]\ntype = "text"\n'
    )
    assert run_cli(["query", "st", "--json"], home=tmp_path).exit_code == 0  # fills the cache
    before = path.read_bytes()
    done = run_cli(["add", "st", "--set", "id=b", "--set", "sources=article"], home=tmp_path)
    assert (done.exit_code, done.stderr.splitlines()[0]) == (
        1,
        f"geobal: {path}:1: records written as records = [...], which geobal does not edit "
        "in place; write each as a [[records]] table",
    )
    assert path.read_bytes() == before


def test_a_register_changed_since_it_was_imported_is_not_replaced(tmp_path: Path) -> None:
    """A record set or added since the import, even one citing the export's own source,
    is not lost to the next import of it: the import keeps a checksum of what it wrote."""
    assert run_cli(["import", str(PER_YEAR), "--as", "sipri"], home=tmp_path).exit_code == 0
    [first] = json.loads(
        run_cli(["query", "transfers", "--limit", "1", "--json"], home=tmp_path).stdout
    )
    changed = run_cli(["set", "transfers", first["id"], "tiv_delivered=999"], home=tmp_path)
    assert changed.exit_code == 0, changed.stderr
    before = _files(tmp_path)
    again = run_cli(["import", str(PER_YEAR), "--as", "sipri"], home=tmp_path)
    path = tmp_path / "datasets" / "transfers.toml"
    assert (again.exit_code, again.stderr) == (
        1,
        "geobal: transfers was changed since it was imported (records added, changed or "
        "removed): replacing it would lose those changes; nothing was written\n"
        "import --into another name and compare the two; or, if the changes may go, move "
        f"{path} away first\n",
    )
    assert _files(tmp_path) == before
    # unchanged, it is replaced as before
    fresh = tmp_path / "fresh"
    assert run_cli(["import", str(PER_YEAR), "--as", "sipri"], home=fresh).exit_code == 0
    assert run_cli(["import", str(PER_YEAR), "--as", "sipri"], home=fresh).exit_code == 0


def test_fetch_never_replaces_a_csv_of_yours_beside_the_dataset(
    tmp_path: Path, backend: Backend
) -> None:
    mine = tmp_path / "datasets" / "reg.csv"
    mine.parent.mkdir(parents=True)
    mine.write_text("id,name\nmine,My notes\n")
    code, err = _fetch(tmp_path, backend.url)
    assert (code, err.splitlines()[-2:]) == (
        1,
        [
            f"geobal: {mine} is a file of yours, not an export geobal kept: it is not "
            "replaced; nothing was written",
            "move it away, or fetch --into another name (the export is kept as NAME.csv)",
        ],
    )
    assert _files(tmp_path) == {"reg.csv": b"id,name\nmine,My notes\n"}
    mine.unlink()
    assert _fetch(tmp_path, backend.url)[0] == 0
    assert _fetch(tmp_path, backend.url, "--refresh")[0] == 0  # its own kept export, replaced


def test_export_never_writes_over_a_file_geobal_reads(tmp_path: Path) -> None:
    path = _notes(tmp_path, "a")
    config = tmp_path / "config.toml"
    config.write_text('format = "json"\n')
    before = _files(tmp_path), config.read_bytes()
    for target, what in (
        (path, "your dataset file notes"),
        (tmp_path / "datasets" / "sources.toml", "your dataset file sources"),
        (config, "geobal's config file"),
    ):
        done = run_cli(["export", "deals", "-f", "toml", "-o", str(target)], home=tmp_path)
        assert (done.exit_code, done.stderr) == (
            2,
            f"geobal: {target} is {what}, which geobal reads: export does not write over it\n"
            "write the export to a file of its own\n",
        )
    assert (_files(tmp_path), config.read_bytes()) == before


def _real(
    args: list[str], home: Path, preexec_fn: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**isolated_environ(), **home_environ(home)}
    return subprocess.run(
        [sys.executable, "-m", "geobal", *args],
        capture_output=True, text=True, timeout=60, env=env, check=False, preexec_fn=preexec_fn,
    )  # fmt: skip


def test_a_closed_stderr_or_stdin_is_no_bug_and_puts_nothing_on_stdout(tmp_path: Path) -> None:
    no_stderr = _real(
        ["deals", "--json", "--where", "year>3000"], tmp_path, preexec_fn=lambda: os.close(2)
    )
    assert (no_stderr.returncode, no_stderr.stdout) == (0, "[]\n")  # no "No records matched."
    no_stdin = _real(["import", "-", "--into", "notes"], tmp_path, preexec_fn=lambda: os.close(0))
    assert (no_stdin.returncode, no_stdin.stderr) == (
        1,
        "geobal: standard input is closed: there is nothing to read\n"
        "pipe the rows in, or give the file to read\n",
    )


@pytest.mark.parametrize("odd", ["fifo", "device"])
def test_a_parse_cache_entry_that_is_no_file_is_rebuilt_not_read(tmp_path: Path, odd: str) -> None:
    """A FIFO or a link to /dev/zero where an entry would be: read, it would block or
    never end (the run is bounded in time: it fails rather than hangs)."""
    _notes(tmp_path, "a")
    assert run_cli(["query", "notes"], home=tmp_path).exit_code == 0
    [entry] = (tmp_path / "cache" / "datasets").glob("notes-*.marshal")
    entry.unlink()
    if odd == "fifo":
        os.mkfifo(entry)
    else:
        entry.symlink_to("/dev/zero")
    done = _real(["query", "notes", "--fields", "id"], tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "id\na\n", "")


def test_csv_export_refuses_lists_it_could_not_give_back(tmp_path: Path) -> None:
    """The README's round trip, export to CSV and import again, gives the same records,
    or the export is refused: a list's items are written separated by ';' and read back
    stripped, so an item holding ';', with spaces at its ends or empty, cannot go."""
    made = run_cli(["new", "rt", "--field", "tags:list"], home=tmp_path)
    assert made.exit_code == 0
    rows = tmp_path / "rows.json"
    rows.write_text(
        '[{"id": "a", "tags": ["x;y", "z"], "sources": ["article"]},'
        ' {"id": "b", "tags": [" lead"], "sources": ["article"]},'
        ' {"id": "c", "tags": ["fine"], "sources": ["article"]}]'
    )
    assert run_cli(["import", str(rows), "--into", "rt"], home=tmp_path).exit_code == 0
    done = run_cli(["export", "rt", "-f", "csv"], home=tmp_path)
    assert (done.exit_code, done.stdout, done.stderr) == (
        2,
        "",
        "geobal: rt: 2 lists cannot be written as CSV and read back the same (an item "
        "holding ';', with spaces at its ends or empty, or an empty list): a: tags, b: tags\n"
        "export --format json or toml, which keep them exactly; or, for a file to read "
        "rather than import back, --format csv --for-spreadsheet\n",
    )
    assert run_cli(["export", "rt", "-f", "json"], home=tmp_path).exit_code == 0
    sheet = run_cli(["export", "rt", "-f", "csv", "--for-spreadsheet"], home=tmp_path)
    assert sheet.exit_code == 0 and '"x;y; z"' in sheet.stdout


def test_options_that_do_not_apply_are_refused_not_dropped(tmp_path: Path) -> None:
    done = run_cli(
        ["import", str(REGISTER), "--as", "sipri", "--source", "article", "--replace"],
        home=tmp_path,
    )
    assert (done.exit_code, done.stderr) == (
        2,
        "geobal: --source, --replace apply to rows, not to --as sipri: a SIPRI export's "
        "columns, source and format are its own, and it replaces the dataset whole\n"
        "leave them out\n",
    )
    backwards = run_cli(["timeline", "--since", "2020", "--until", "2010"], home=tmp_path)
    assert (backwards.exit_code, backwards.stderr) == (
        2,
        "geobal: --since 2020 is after --until 2010\nswap them\n",
    )
    same_year = run_cli(["timeline", "--since", "2015-03", "--until", "2015"], home=tmp_path)
    assert same_year.exit_code == 0
    assert run_cli(["import", str(REGISTER), "--as", "sipri"], home=tmp_path).exit_code == 0
    for extra, said in (
        (["--periods", "2000-2019", "--from", "2010"], "--from or --to and --periods each say"),
        (["--step", "3"], "--step sets the years of a period of --periods"),
    ):
        done = run_cli(["shares", "--recipient", "India", *extra], home=tmp_path)
        assert done.exit_code == 2 and done.stderr.startswith(f"geobal: {said}"), done.stderr


def test_config_set_sets_only_what_geobal_then_follows(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(b'\xef\xbb\xbf# mine\nnote = "x"\n')
    done = run_cli(["config", "set", "color", "never"], home=tmp_path)
    assert (done.exit_code, done.stderr) == (
        1,
        f"geobal: warning: ignoring the config file: {config}: unknown setting 'note'\n"
        f"geobal: {config} holds 'note', which is no setting: geobal ignores the whole file "
        "while it does, so setting color would change nothing; nothing was written\n"
        "remove it from the file (settings: format, color, data_dir)\n",
    )
    config.write_bytes(b"\xef\xbb\xbf# mine\n")
    assert run_cli(["config", "set", "format", "JSON"], home=tmp_path).exit_code == 0
    assert config.read_bytes() == b'\xef\xbb\xbf# mine\nformat = "json"\n'  # the BOM kept
    empty = run_cli(["config", "set", "data_dir", " "], home=tmp_path)
    assert (empty.exit_code, empty.stderr) == (
        2,
        "geobal: data_dir must be a folder's path, not empty\n",
    )
    afile = run_cli(["config", "set", "data_dir", str(config)], home=tmp_path)
    assert afile.exit_code == 2 and "is a file, not a folder" in afile.stderr
    rel = run_cli(["config", "set", "data_dir", "mydata"], home=tmp_path)
    assert rel.exit_code == 0
    assert tomllib.loads(config.read_text(encoding="utf-8-sig"))["data_dir"] == str(
        Path("mydata").absolute()
    )


def test_odd_inputs_are_said_at_what_is_wrong(tmp_path: Path) -> None:
    """A TOML file with no [[records]], a choice list with an empty value, half a
    surrogate pair, an id two records share in other cases, a folder for a lock."""
    path = _notes(tmp_path)
    rows = tmp_path / "rows.toml"
    rows.write_text('[[rows]]\nid = "a"\n')
    done = run_cli(["import", str(rows), "--into", "notes"], home=tmp_path)
    assert (done.exit_code, done.stderr) == (
        1,
        f"geobal: {rows}: no [[records]] tables to import (a TOML file's rows are its "
        "[[records]], as geobal's dataset files and exports hold them)\n"
        "write each row as a [[records]] table\n",
    )
    empty = run_cli(["new", "g", "--field", "x:choice=a,,b"], home=tmp_path)
    assert (empty.exit_code, empty.stderr) == (
        2,
        "geobal: --field 'x:choice=a,,b': an empty value among its choices\n"
        "list them separated by commas, each once: a,b,c\n",
    )
    assert not (tmp_path / "datasets" / "g.toml").exists()
    half = tmp_path / "half.json"
    half.write_text('[{"id": "ls", "title": "\\ud800", "sources": ["article"]}]')
    done = run_cli(["import", str(half), "--into", "notes"], home=tmp_path)
    assert done.exit_code == 1 and f"{half}: item 1: title: " in done.stderr
    for rid in ("Abc", "abc"):
        added = run_cli(
            ["add", "notes", "--set", f"id={rid}", "--set", "sources=article"], home=tmp_path
        )
        assert added.exit_code == 0, added.stderr
    which = run_cli(["remove", "notes", "ABC"], home=tmp_path)
    assert (which.exit_code, which.stderr) == (
        2,
        "geobal: 'ABC' is ambiguous in notes: it could be Abc or abc\n"
        "give the id in its own case\n",
    )
    lock = path.parent / ".notes.toml.lock"
    lock.unlink()
    lock.mkdir()
    locked = run_cli(["remove", "notes", "abc"], home=tmp_path)
    assert (locked.exit_code, locked.stderr) == (
        1,
        f"geobal: {lock}: cannot hold the write lock of notes.toml there: Is a directory\n"
        "remove it (geobal makes the lock file again)\n",
    )


def test_cache_clear_clears_the_replies_fetch_kept(tmp_path: Path, backend: Backend) -> None:
    assert _fetch(tmp_path, backend.url)[0] == 0
    cleared = run_cli(["cache", "clear"], home=tmp_path)
    assert cleared.exit_code == 0
    assert list((tmp_path / "cache").rglob("reply-*.json")) == []
    assert list((tmp_path / "cache").rglob("*.marshal")) == []


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_an_ascii_file_is_changed_in_its_bytes_as_its_text_would_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, newline: str
) -> None:
    """An ASCII file is changed in its bytes, never decoded (a character's place is its
    byte's): set, add and remove leave it byte for byte as the same changes made in its
    decoded text do, and the cache as the file reads. A change that writes other text
    into it is made in the text."""
    from geobal import userfile

    body = "".join(
        f'[[records]]\nid = "r{i}"\ntitle = "n {i}"\nsources = ["article"]\n\n' for i in range(50)
    )
    text = (HAND_WRITTEN[: HAND_WRITTEN.index("# the first note")] + body).replace("\n", newline)
    steps: list[Callable[[Catalog], object]] = [
        lambda c: edit.set_fields(c, "notes", "r10", ["title=a title longer than it was"]),
        lambda c: edit.set_fields(c, "notes", "r11", ["title=", "kind=a"]),
        lambda c: edit.add(c, "notes", ["id=new", "title=t", "sources=article"]),
        lambda c: edit.remove(c, "notes", "r12"),
        lambda c: edit.set_fields(c, "notes", "r49", ["title=last"]),
        lambda c: edit.set_fields(c, "notes", "r13", ["title=Ünïcode"]),  # no longer ASCII
        lambda c: edit.set_fields(c, "notes", "r14", ["title=ascii again"]),
    ]
    edited: list[str] = []  # what each change was made in: bytes or text
    made_in = userfile.Held._edited

    def spied(self: userfile.Held, source: object, *args: object) -> object:
        edited.append(type(source).__name__)
        return made_in(self, source, *args)  # type: ignore[arg-type,type-var]

    def changed(home: Path, in_bytes: bool) -> list[bytes]:
        folder = home / "datasets"
        folder.mkdir(parents=True)
        path = folder / "notes.toml"
        path.write_bytes(text.encode())
        Catalog(SNAPSHOT, folder, cache=Cache(home / "cache")).get("notes")  # a query
        states = []
        with monkeypatch.context() as patched:
            patched.setattr(userfile.Held, "_edited", spied)
            if not in_bytes:
                patched.setattr(userfile.Held, "_ascii", lambda self: None)
            for step in steps:
                step(Catalog(SNAPSHOT, folder, cache=Cache(home / "cache")))
                states.append(path.read_bytes())
        cached = Catalog(SNAPSHOT, folder, cache=Cache(home / "cache")).get("notes")
        assert cached == Catalog(SNAPSHOT, folder).get("notes")  # the cache as the file reads
        return states

    in_text = changed(tmp_path / "text", in_bytes=False)
    assert edited == ["str"] * 7
    edited.clear()
    assert changed(tmp_path / "bytes", in_bytes=True) == in_text
    assert edited == ["bytes"] * 5 + ["str"] * 2  # other text, then a file of other text
    assert "Ünïcode".encode() in in_text[-1] and newline.encode() * 2 in in_text[-1]
