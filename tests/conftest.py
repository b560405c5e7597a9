"""Shared test helpers: the CLI driven through CliRunner with an isolated environment."""

import io
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from typer.testing import CliRunner

from geobal.catalog import Catalog
from geobal.cli import app
from geobal.env import Env
from geobal.paths import bundled_data_dir

if TYPE_CHECKING:
    from tests.replay import Backend

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"  # the bundled datasets: for the tests about them
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A snapshot of some of data/'s records (fixtures/bundled/snapshot.py): the bundled data
# of the CLI's behaviour tests, which an update of data/ leaves as they are.
SNAPSHOT = FIXTURES / "bundled"
# The large files beside the repository: the seed article, the fact base, SIPRI's full
# exports, the whole toml-test corpus. A bare clone has none of them.
SHARED = ROOT.parent / "shared"
NEED_SHARED = "GEOBAL_TESTS_NEED_SHARED"  # set by .ci/run: a skip for want of them fails


def shared(*parts: str) -> Path:
    """A path in ../shared, for a test that needs it: the test is skipped, with the
    reason, when it is not there, and fails instead where NEED_SHARED is set."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        reason = f"needs {path}, which is not beside this clone"
        if os.environ.get(NEED_SHARED):
            pytest.fail(f"{reason} ({NEED_SHARED} is set)", pytrace=False)
        pytest.skip(reason)
    return path


def corpus(kind: str, whole: bool) -> list[Path]:
    """The toml-test documents of `kind` (invalid, valid): the sample in the fixtures,
    or with `whole` the whole corpus from ../shared."""
    folder = shared("toml-test", kind) if whole else FIXTURES / "toml-test" / kind
    return sorted(folder.rglob("*.toml"))


# every dataset geobal bundles, by name
BUNDLED_DATASETS = [
    "agenda",
    "considerations",
    "deals",
    "events",
    "factors",
    "imports",
    "risks",
    "sources",
    "spending",
    "suppliers",
    "takeaways",
]

# Terminal detection, colour and the user's own files must not depend on the machine
# running the tests.
BASE_ENV = {
    "NO_COLOR": "1",
    "COLUMNS": "80",
    "LINES": None,  # a terminal's height makes long output go through the pager
    "TERM": "xterm",
    "GEOBAL_DEBUG": None,
    "GEOBAL_DATA_DIR": None,
    "GEOBAL_CONFIG": None,
    "GEOBAL_CACHE_DIR": None,
}


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def text(self) -> str:
        """stdout without the ANSI styles and links a terminal gets (NO_COLOR keeps bold
        and dim)."""
        return re.sub(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\", "", self.stdout)


def home_environ(home: Path) -> dict[str, str]:
    """The environment that puts the user's folders inside `home`, a test's own."""
    return {
        "GEOBAL_DATA_DIR": str(home / "datasets"),
        "GEOBAL_CONFIG": str(home / "config.toml"),
        "GEOBAL_CACHE_DIR": str(home / "cache"),
    }


def run_cli(
    args: list[str],
    *,
    tty: bool = False,
    width: int = 80,
    data_dir: Path | None = None,
    home: Path | None = None,
    env: Mapping[str, str | None] | None = None,
    stdin: str | None = None,
) -> Run:
    """Run geobal with its own streams (stdout a terminal when `tty` is true), bundled
    data from `data_dir` (else the snapshot; DATA for the real one) and the user's files
    under `home` (else a new empty folder), set through the environment as a user sets
    them; `env` adds to it (None unsets)."""
    home = home or Path(tempfile.mkdtemp(prefix="geobal-home-"))
    environ = {**BASE_ENV, **home_environ(home), "COLUMNS": str(width), **(env or {})}
    out, err = io.StringIO(), io.StringIO()
    process_env = {k: v for k, v in {**os.environ, **environ}.items() if v is not None}
    obj = Env(out, err, tty, tty, process_env, bundled=data_dir or SNAPSHOT)
    result = CliRunner().invoke(app, args, obj=obj, env=environ, prog_name="geobal", input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout + out.getvalue(), result.stderr + err.getvalue())


def isolated_environ() -> dict[str, str]:
    """The process environment for geobal run as a real process, with user folders of
    its own, empty, so no file of the machine's user can change what it prints."""
    home = Path(tempfile.mkdtemp(prefix="geobal-home-"))
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("GEOBAL_")},
        **home_environ(home),
    }


@pytest.fixture
def cli() -> Callable[..., Run]:
    return run_cli


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> Iterator["Backend"]:
    """A local stand-in for SIPRI's backend (tests.replay), asked again at once where it
    fails: the tests are timed."""
    from geobal.transfer import fetch
    from tests.replay import Backend  # here: tests.replay imports this module

    monkeypatch.setattr(fetch, "WAITS", (0.0, 0.0))
    server = Backend()
    yield server
    server.close()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The bundled datasets as geobal ships them."""
    return Catalog(bundled_data_dir())


@pytest.fixture(scope="session")
def snapshot() -> Catalog:
    """The snapshot the CLI's behaviour tests run on."""
    return Catalog(SNAPSHOT)


def write_dataset(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path
