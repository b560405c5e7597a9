"""Where geobal's folders are: the same as platformdirs says, whatever the environment."""

import os
import sys
from pathlib import Path

import platformdirs
import pytest

from geobal.errors import DataError
from geobal.paths import platform_dir, resolve

ENVIRONMENTS = [
    {},
    {"XDG_DATA_HOME": "/x/data", "XDG_CONFIG_HOME": "/x/config", "XDG_CACHE_HOME": "/x/cache"},
    {"XDG_DATA_HOME": "relative/data", "XDG_CONFIG_HOME": "", "XDG_CACHE_HOME": " "},
    {"HOME": "/home/someone"},
    {"HOME": "/home/someone/", "XDG_CACHE_HOME": "/tmp/c/"},
    {"HOME": "relative-home"},
    {"HOME": ""},
]


@pytest.mark.skipif(sys.platform != "linux", reason="the folders are worked out on Linux only")
@pytest.mark.parametrize("given", ENVIRONMENTS, ids=str)
@pytest.mark.parametrize("kind", ["data", "config", "cache"])
def test_the_folders_are_platformdirs_own(
    given: dict[str, str], kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in given.items():
        monkeypatch.setenv(name, value)
    expected = getattr(platformdirs, f"user_{kind}_dir")("geobal")
    assert str(platform_dir(kind, os.environ)) == str(Path(expected))


def test_a_home_that_cannot_be_found_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import pwd

    def unknown(uid: int) -> object:
        raise KeyError(uid)

    monkeypatch.setattr(pwd, "getpwuid", unknown)
    if sys.platform == "linux":
        with pytest.raises(DataError, match="cannot tell where your home folder is"):
            resolve({"HOME": "relative"})
    given = {"GEOBAL_DATA_DIR": "/d", "GEOBAL_CACHE_DIR": "/c", "GEOBAL_CONFIG": "/f.toml"}
    paths = resolve({**given, "HOME": "relative"})
    assert (paths.data, paths.cache, paths.config) == (Path("/d"), Path("/c"), Path("/f.toml"))
