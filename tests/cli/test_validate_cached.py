"""`validate` with a warm parse cache: a file whose entry is current is not read again,
yet every problem a cold run finds is found, those that span files included."""

from collections.abc import Callable
from pathlib import Path

import pytest

import geobal.catalog
from geobal.cache import Cache
from geobal.catalog import Catalog
from geobal.model import Columns
from tests.conftest import SNAPSHOT, Run

Cli = Callable[..., Run]

TEAMS = """[dataset]
name = "teams"
title = "Teams"
key = "id"

[fields.id]
type = "text"

[fields.name]
type = "text"

[[records]]
id = "a"
name = "A"
sources = ["article"]
{more}"""
B = """
[[records]]
id = "b"
name = "B"
sources = ["article"]
"""
PLAYERS = """[dataset]
name = "players"
title = "Players"
key = "id"

[fields.id]
type = "text"

[fields.team]
type = "text"
ref = "teams"

[fields.caps]
type = "integer"

[[records]]
id = "p1"
team = "b"
caps = 3
sources = ["article"]
"""


def _files(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "datasets"
    folder.mkdir()
    teams, players = folder / "teams.toml", folder / "players.toml"
    teams.write_text(TEAMS.format(more=B))
    players.write_text(PLAYERS)
    return teams, players


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The dataset files parsed from now on, by name."""
    read: list[str] = []
    from geobal.files import parse_file as parse

    def counted(path: Path) -> object:
        read.append(path.name)
        return parse(path)

    monkeypatch.setattr(geobal.catalog, "parse_file", counted)
    return read


def test_a_warm_validate_reads_only_changed_files_and_finds_a_broken_reference(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    teams, players = _files(tmp_path)
    assert cli(["validate"], home=tmp_path).stderr == "13 files checked: no problems\n"
    read = _reads(monkeypatch)
    assert cli(["validate"], home=tmp_path).stderr == "13 files checked: no problems\n"
    assert read == []
    # team b is gone: players.toml is as it was, and its entry current, yet its
    # reference to teams is checked again
    teams.write_text(TEAMS.format(more=""))
    warm = cli(["validate"], home=tmp_path)
    assert read == ["teams.toml"]
    said = f"{players}: record p1: team: 'b' is not an id in teams\n"
    assert (warm.exit_code, warm.stdout, warm.stderr) == (1, said, "1 problem in 13 files\n")
    cold = cli(["--no-cache", "validate"], home=tmp_path)
    assert (cold.exit_code, cold.stdout, cold.stderr) == (warm.exit_code, warm.stdout, warm.stderr)


def test_a_file_made_bad_after_it_was_cached_is_read_and_reported(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, players = _files(tmp_path)
    assert cli(["validate"], home=tmp_path).exit_code == 0
    assert any((tmp_path / "cache" / "datasets").glob("players-*.marshal"))
    players.write_text(PLAYERS.replace("caps = 3", 'caps = "three"'))
    read = _reads(monkeypatch)
    warm = cli(["validate"], home=tmp_path)
    assert read == ["players.toml"]
    said = f"{players}: record p1: caps: expected a whole number, got the text 'three'\n"
    assert (warm.exit_code, warm.stdout, warm.stderr) == (1, said, "1 problem in 13 files\n")
    cold = cli(["--no-cache", "validate", str(players)], home=tmp_path)
    assert (cold.exit_code, cold.stdout) == (1, said)


def test_the_library_checks_references_from_cached_columns(tmp_path: Path) -> None:
    teams, players = _files(tmp_path)
    cache = Cache(tmp_path / "cache")
    Catalog(SNAPSHOT, tmp_path / "datasets", cache=cache).validate(())
    teams.write_text(TEAMS.format(more=""))
    catalog = Catalog(SNAPSHOT, tmp_path / "datasets", cache=cache)
    checked, problems, notes = catalog.validate([players])
    assert (checked, problems, notes) == (
        1,
        [f"{players}: record p1: team: 'b' is not an id in teams"],
        [],
    )
    assert isinstance(catalog.get("players").records, Columns)
