"""The library's settings, folders, cache and fetch: what `config`, `paths`, `cache` and
`fetch` ask of it, answered with real values and the same rows as the commands' JSON."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import geobal
from geobal.api import Geobal, Result
from geobal.errors import DataError, UsageError
from geobal.transfer import fetch as sipri
from tests.conftest import SNAPSHOT, home_environ, run_cli
from tests.replay import Backend


def _open(home: Path, **environ: str) -> Geobal:
    return geobal.open(bundled=SNAPSHOT, environ={**home_environ(home), **environ})


def test_locations_name_every_folder_what_set_it_and_whether_it_exists(tmp_path: Path) -> None:
    (tmp_path / "datasets").mkdir()
    rows = _open(tmp_path).locations().to_records()
    assert rows == [
        {"name": "bundled datasets", "path": str(SNAPSHOT), "exists": True,
         "set_by": "the package"},
        {"name": "your datasets", "path": str(tmp_path / "datasets"), "exists": True,
         "set_by": "environment GEOBAL_DATA_DIR"},
        {"name": "config file", "path": str(tmp_path / "config.toml"), "exists": False,
         "set_by": "environment GEOBAL_CONFIG"},
        {"name": "cache", "path": str(tmp_path / "cache"), "exists": False,
         "set_by": "environment GEOBAL_CACHE_DIR"},
    ]  # fmt: skip
    picked = _open(tmp_path).locations(fields="name,exists").to_records()
    assert picked[1] == {"name": "your datasets", "exists": True}


def test_locations_and_settings_answer_what_their_commands_print(tmp_path: Path) -> None:
    _open(tmp_path).set_setting("color", "never")
    asks: list[tuple[list[str], Callable[[Geobal], Result]]] = [
        (["paths"], lambda g: g.locations()),
        (["config", "show"], lambda g: g.settings()),
        (["paths", "--fields", "name,path"], lambda g: g.locations(fields=["name", "path"])),
    ]
    for args, ask in asks:
        done = run_cli([*args, "--json"], home=tmp_path)
        assert done.exit_code == 0, done.stderr
        assert ask(_open(tmp_path)).to_records() == json.loads(done.stdout)


def test_a_setting_set_is_stored_said_and_read_back(tmp_path: Path) -> None:
    data = _open(tmp_path)
    assert data.setting("color") is None
    done = data.set_setting("color", "never")
    assert done.notes == (f"color = never in {tmp_path / 'config.toml'}",)
    assert done.to_records() == []
    assert (tmp_path / "config.toml").read_text(encoding="utf-8") == 'color = "never"\n'
    assert data.setting("color") == "never"  # the same Geobal reads what it set
    assert _open(tmp_path).setting("color") == "never"
    shown = {r["key"]: r for r in data.settings().to_records()}
    assert shown["color"]["value"] == "never" and shown["format"]["value"] is None
    assert shown["color"]["allowed"] == ["auto", "always", "never"]
    assert shown["data_dir"]["allowed"] is None
    assert list(shown) == ["format", "color", "data_dir"]


def test_a_folder_set_is_stored_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    done = _open(tmp_path).set_setting("data_dir", "mine")
    assert done.notes == (f"data_dir = {tmp_path / 'mine'} in {tmp_path / 'config.toml'}",)
    assert _open(tmp_path).setting("data_dir") == str(tmp_path / "mine")


def test_an_unknown_setting_or_value_is_refused_with_the_ones_there_are(tmp_path: Path) -> None:
    data = _open(tmp_path)
    with pytest.raises(UsageError, match="unknown setting 'colour'") as err:
        data.setting("colour")
    assert err.value.hint == "settings: format, color, data_dir"
    with pytest.raises(UsageError, match="color must be one of auto, always, never, not 'red'"):
        data.set_setting("color", "red")
    assert not (tmp_path / "config.toml").exists()


def test_the_module_functions_read_the_files_as_they_are(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in home_environ(tmp_path).items():
        monkeypatch.setenv(name, value)
    assert geobal.setting("format") is None
    _open(tmp_path).set_setting("format", "csv")
    assert geobal.setting("format") == "csv"
    assert geobal.settings(fields="key,value").to_records()[0] == {"key": "format", "value": "csv"}
    assert geobal.locations().to_records()[2]["exists"] is True


def test_clearing_the_cache_says_how_many_entries_it_removed(tmp_path: Path) -> None:
    data = _open(tmp_path)
    data.query("deals")  # read, and so kept in the cache
    entries = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert entries
    done = _open(tmp_path).clear_cache()
    assert done.notes == (
        f"removed {len(entries)} cache entr{'y' if len(entries) == 1 else 'ies'} "
        f"from {tmp_path / 'cache'}",
    )
    assert _open(tmp_path).clear_cache().notes == (
        f"removed 0 cache entries from {tmp_path / 'cache'}",
    )


def test_the_formats_and_shapes_import_and_export_take() -> None:
    assert [c.name for c in geobal.api.read_formats()] == ["json", "jsonl", "csv", "tsv", "toml"]
    exported = [c.name for c in geobal.api.export_formats()]
    assert exported[-2:] == ["sqlite", "parquet"] and "toml" in exported
    assert geobal.api.import_shapes() == ["sipri", "sipri-tiv", "sipri-milex"]


def test_fetch_imports_the_reply_keeps_the_export_and_then_reuses_the_reply(
    backend: Backend, tmp_path: Path
) -> None:
    data = _open(tmp_path)
    done = data.fetch(start=2000, end=2001, into="sipri2000", url=backend.url)
    assert json.loads(backend.requests[0]) == json.loads(sipri.body(2000, 2001))
    csv = tmp_path / "datasets" / "sipri2000.csv"
    assert done.notes[0].startswith(f"fetched {backend.url} at ")
    assert done.notes[1].startswith("read the trade register (per-year export), covering 2000-2001")
    assert done.notes[-1] == f"kept the export as {csv}"
    assert done.to_records() == []
    rows = _open(tmp_path).query("sipri2000").to_records()
    assert len(rows) == csv.read_bytes().count(b"\n") - 12
    assert {r["delivery_year"] for r in rows} <= {2000, 2001}
    again = _open(tmp_path).fetch(start=2000, end=2001, into="sipri2000", url=backend.url)
    assert again.notes[0].startswith("using the reply fetched ") and len(backend.requests) == 1


def test_fetch_asks_the_backend_the_environment_names(backend: Backend, tmp_path: Path) -> None:
    data = _open(tmp_path, GEOBAL_SIPRI_URL=backend.url)
    assert data.fetch(start=2000, end=2001).notes[-1] == (
        f"kept the export as {tmp_path / 'datasets' / 'transfers.csv'}"
    )
    assert len(backend.requests) == 1


def test_fetch_refuses_what_it_cannot_ask_before_asking(tmp_path: Path) -> None:
    data = _open(tmp_path)
    with pytest.raises(UsageError, match="unknown source 'nato'") as err:
        data.fetch("nato")
    assert err.value.hint == "sources: sipri"
    with pytest.raises(UsageError, match="--from 2010 is after --to 2009"):
        data.fetch(start=2010, end=2009)
    with pytest.raises(UsageError, match="--timeout"):
        data.fetch(start=2000, end=2001, timeout=0)
    with pytest.raises(UsageError, match="--url"):
        data.fetch(start=2000, end=2001, url="nowhere")
    for kwargs, said in (
        ({"start": "2000"}, "start takes a whole number, not '2000' (str)"),
        ({"start": None}, "start takes a year, not None"),
        ({"end": 2001.0}, "end takes a whole number, not 2001.0 (float)"),
        ({"timeout": "30"}, "timeout takes a number, not '30' (str)"),
        ({"refresh": 1}, "refresh takes True or False, not 1 (int)"),
        ({"into": ["a"]}, "into takes a name as text, not ['a'] (list)"),
        ({"url": 1}, "url takes one text, not 1 (int)"),
    ):
        with pytest.raises(UsageError) as refused:
            data.fetch(**kwargs)
        assert refused.value.message == said
    with pytest.raises(UsageError, match="key takes a name as text"):
        data.setting(["color"])  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="value takes a name as text"):
        data.set_setting("color", None)  # type: ignore[arg-type]
    assert not (tmp_path / "datasets").exists()


def test_fetch_leaves_a_csv_of_the_users_alone(backend: Backend, tmp_path: Path) -> None:
    (tmp_path / "datasets").mkdir()
    mine = tmp_path / "datasets" / "sipri2000.csv"
    mine.write_text("name,notes\nmine,keep me\n", encoding="utf-8")
    with pytest.raises(DataError, match="is a file of yours, not an export geobal kept"):
        _open(tmp_path).fetch(start=2000, end=2001, into="sipri2000", url=backend.url)
    assert mine.read_text(encoding="utf-8") == "name,notes\nmine,keep me\n"
    assert not (tmp_path / "datasets" / "sipri2000.toml").exists()
