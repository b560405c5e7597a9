"""A path in what geobal says is shown on one line with its control characters
escaped: a file named with a newline or an escape sequence cannot start a line of its
own or colour a terminal; a folder setting with one is refused, not stored."""

from pathlib import Path

import pytest

import geobal
from geobal.errors import DataError, UsageError
from tests.conftest import SNAPSHOT, home_environ, run_cli

NAMES = [("new\nline", "new\\nline"), ("red\x1b[31m", "red\\x1b[31m"), ("tab\tbed", "tab\\tbed")]


@pytest.mark.parametrize(("raw", "shown"), NAMES)
def test_a_folder_setting_with_a_control_character_is_refused(
    tmp_path: Path, raw: str, shown: str
) -> None:
    folder = str(tmp_path / raw)
    done = run_cli(["config", "set", "data_dir", folder], home=tmp_path)
    assert (done.exit_code, done.stdout) == (2, "")
    assert done.stderr == (
        "geobal: data_dir must be a folder's path without control characters, not "
        f"{tmp_path / shown}\n"
        "give a folder whose name has none (rename it if need be)\n"
    )
    data = geobal.open(bundled=SNAPSHOT, environ=home_environ(tmp_path))
    with pytest.raises(UsageError, match=r"^data_dir must be a folder's path without control"):
        data.set_setting("data_dir", folder)
    assert data.setting("data_dir") is None


@pytest.mark.parametrize(("raw", "shown"), NAMES)
def test_a_path_said_is_shown_escaped(tmp_path: Path, raw: str, shown: str) -> None:
    out = tmp_path / f"{raw}.json"
    wrote = run_cli(["export", "deals", "-o", str(out)], home=tmp_path)
    assert (wrote.exit_code, wrote.stdout) == (0, "")
    assert wrote.stderr == f"wrote 15 records to {tmp_path / shown}.json\n"
    assert out.read_text(encoding="utf-8").startswith("[")
    again = run_cli(["export", "deals", "-o", str(out)], home=tmp_path)
    assert (again.exit_code, again.stderr) == (
        2,
        f"geobal: {tmp_path / shown}.json exists: export does not write over it\n"
        "write to another name, or pass --force to replace it\n",
    )
    db = tmp_path / f"{raw}.db"
    bridged = run_cli(["export", "deals", "--format", "sqlite", "-o", str(db)], home=tmp_path)
    assert bridged.exit_code == 0, bridged.stderr
    assert f"to {tmp_path / shown}.db and its Datasette metadata" in bridged.stderr
    # no command to serve it: no quoting pastes a control character whole into a shell
    assert len(bridged.stderr.splitlines()) == 1
    assert "\x1b" not in bridged.stderr and "\t" not in bridged.stderr
    data = geobal.open(bundled=SNAPSHOT, environ=home_environ(tmp_path))
    data.new("mine", "name:text")
    with pytest.raises(DataError) as refused:  # deals' fields are not mine's
        data.import_(out, "mine")
    assert refused.value.message.startswith(
        f"{tmp_path / shown}.json: 15 problems; nothing was imported"
    )


@pytest.mark.parametrize(("raw", "shown"), NAMES)
def test_paths_in_refusals_and_notes_are_shown_escaped(
    tmp_path: Path, raw: str, shown: str
) -> None:
    missing = run_cli(["import", str(tmp_path / f"{raw}.csv"), "--into", "x"], home=tmp_path)
    assert missing.exit_code != 0
    assert missing.stderr.startswith(f"geobal: {tmp_path / shown}.csv: ")
    assert len(missing.stderr.splitlines()) == 2  # the message and its hint
    clash = run_cli(
        ["export", "deals", "--format", "sqlite", "-o", str(tmp_path / f"{raw}.csv")],
        home=tmp_path,
    )
    assert clash.stderr.startswith(
        f"geobal: --format sqlite and --output {tmp_path / shown}.csv name different formats"
    )
    broken = tmp_path / raw / "data"
    broken.mkdir(parents=True)
    (broken / "odd.toml").write_text("x = [\n", encoding="utf-8")
    env = {**home_environ(tmp_path), "GEOBAL_DATA_DIR": str(broken)}
    with pytest.raises(DataError) as bad:
        geobal.open(bundled=SNAPSHOT, environ=env).query("odd")
    assert bad.value.message.startswith(f"{tmp_path / shown / 'data' / 'odd.toml'}:2:1: ")
    cache = {**home_environ(tmp_path), "GEOBAL_CACHE_DIR": str(tmp_path / raw / "cache")}
    cleared = geobal.open(bundled=SNAPSHOT, environ=cache).clear_cache()
    assert cleared.notes == (f"removed 0 cache entries from {tmp_path / shown / 'cache'}",)
