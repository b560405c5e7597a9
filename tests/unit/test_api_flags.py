"""Every yes/no parameter of the library takes True or False and nothing else: a
script's `force="no"` is refused before anything is read, written or fetched, never
taken as the true value Python makes of a non-empty text."""

import inspect
from collections.abc import Callable
from pathlib import Path

import pytest

import geobal
from geobal.api import Geobal
from geobal.errors import UsageError
from tests.conftest import SNAPSHOT, home_environ

# the least each method needs besides its yes/no parameters, so that what is refused is
# the flag; a new method with a required parameter must add its own here
REQUIRED: dict[str, tuple[object, ...]] = {
    "query": ("deals",),
    "dataset": ("deals",),
    "headlines": ("deals",),
    "describe": ("deals",),
    "show": ("deals", "a"),
    "search": ("russia",),
    "new": ("mine",),
    "add": ("mine", "id=a"),
    "set": ("mine", "a", "name=x"),
    "remove": ("mine", "a"),
    "import_": (b"id\na\n", "mine"),
    "pipeline": ("India",),
    "setting": ("data_dir",),
    "set_setting": ("data_dir", "/tmp"),
}


def _flags(function: Callable[..., object]) -> list[str]:
    return [
        name
        for name, param in inspect.signature(function).parameters.items()
        if param.annotation in (bool, "bool")
    ]


def _written(home: Path) -> list[Path]:
    """The files under `home` but the parse cache, which reading data may fill."""
    return sorted(p for p in home.rglob("*") if "cache" not in p.relative_to(home).parts)


def _public() -> list[tuple[str, str]]:
    return [
        (name, flag)
        for name, method in inspect.getmembers(Geobal, inspect.isfunction)
        if not name.startswith("_")
        for flag in _flags(method)
    ]


def test_the_walk_finds_the_flags_that_lost_data() -> None:
    walked = set(_public())
    lost = {("export", "force"), ("import_", "replace"), ("remove", "yes")}
    assert lost | {("export", "for_spreadsheet"), ("fetch", "force")} <= walked


@pytest.mark.parametrize(("method", "flag"), _public())
def test_every_flag_of_every_method_refuses_what_is_not_a_bool(
    tmp_path: Path, method: str, flag: str
) -> None:
    data = geobal.open(bundled=SNAPSHOT, environ=home_environ(tmp_path))
    before = _written(tmp_path)
    with pytest.raises(UsageError) as raised:
        getattr(data, method)(*REQUIRED.get(method, ()), **{flag: "no"})
    assert str(raised.value) == f"{flag} takes True or False, not 'no' (str)"
    assert _written(tmp_path) == before


@pytest.mark.parametrize("flag", _flags(geobal.api.open))
def test_open_refuses_what_is_not_a_bool(tmp_path: Path, flag: str) -> None:
    with pytest.raises(UsageError, match=f"^{flag} takes True or False, not 'no' \\(str\\)$"):
        geobal.open(bundled=SNAPSHOT, environ=home_environ(tmp_path), **{flag: "no"})  # type: ignore[arg-type]


def test_open_refuses_folders_that_are_no_paths_or_no_folders(tmp_path: Path) -> None:
    env = home_environ(tmp_path)
    for kwargs, said in (
        ({"data_dir": 5}, "data_dir takes a file's path (str or pathlib.Path), not 5 (int)"),
        ({"bundled": 5}, "bundled takes a file's path (str or pathlib.Path), not 5 (int)"),
        ({"bundled": tmp_path / "nowhere"}, f"bundled={tmp_path / 'nowhere'} is no folder"),
        ({"environ": {**env, "GEOBAL_DATA_DIR": 5}}, "environ maps text to text; not "
         "'GEOBAL_DATA_DIR': 5"),
    ):  # fmt: skip
        with pytest.raises(UsageError) as raised:
            geobal.open(**{"environ": env, **kwargs})  # type: ignore[arg-type]
        assert raised.value.message == said


def test_no_is_no_overwrite_no_replace_no_removal(tmp_path: Path) -> None:
    data = geobal.open(bundled=SNAPSHOT, environ=home_environ(tmp_path))
    there = tmp_path / "kept.json"
    there.write_text("mine\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"^force takes True or False"):
        data.export("deals", "json", there, force="no")  # type: ignore[arg-type]
    assert there.read_text(encoding="utf-8") == "mine\n"
    data.new("mine", ["name:text"])
    data.add("mine", ["id=a", "name=x", "sources=article"])
    with pytest.raises(UsageError, match=r"^replace takes True or False"):
        data.import_(b"id,name,sources\na,y,article\n", "mine", name="in.csv", replace="no")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match=r"^yes takes True or False"):
        data.remove("mine", where="name=x", yes="no")  # type: ignore[arg-type]
    assert data.query("mine", fields="name").to_records() == [{"name": "x"}]
