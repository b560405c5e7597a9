"""`fetch` checks everything it is given before it asks SIPRI's backend anything: a
year no register covers, or a dataset it could not write, is refused without a request."""

import datetime as dt
from pathlib import Path

import pytest

import geobal
from geobal.errors import UsageError
from tests.conftest import SNAPSHOT, home_environ, run_cli
from tests.replay import Backend

THIS_YEAR = dt.date.today().year
BUNDLED = "'deals' is a bundled dataset; import the export --into another name"
NAMES = "use lower-case letters, digits, - and _, starting with a letter"
YEARS = f"give a year from 1950 to {THIS_YEAR}"


@pytest.mark.parametrize(
    ("asked", "message", "hint"),
    [
        ({"start": -5, "end": -1}, "--from -5 is not a year SIPRI's register covers", YEARS),
        ({"start": 2000, "end": 99999}, "--to 99999 is not a year SIPRI's register covers", YEARS),
        ({"start": 1900}, "--from 1900 is not a year SIPRI's register covers", YEARS),
        ({"into": "deals"}, BUNDLED, None),
        ({"into": "../x"}, "'../x' is not a dataset name", NAMES),
    ],
)  # fmt: skip
def test_fetch_refuses_before_it_asks(
    backend: Backend, tmp_path: Path, asked: dict[str, object], message: str, hint: str | None
) -> None:
    data = geobal.open(bundled=SNAPSHOT, environ=home_environ(tmp_path))
    with pytest.raises(UsageError) as raised:
        data.fetch(url=backend.url, **asked)  # type: ignore[arg-type]
    assert (raised.value.message, raised.value.hint) == (message, hint)
    assert backend.requests == []


def test_the_cli_fetch_refuses_years_before_it_asks(backend: Backend, tmp_path: Path) -> None:
    done = run_cli(
        ["fetch", "sipri", "--from", "-5", "--to", "-1", "--url", backend.url], home=tmp_path
    )
    assert (done.exit_code, done.stdout) == (2, "")
    assert done.stderr == f"geobal: --from -5 is not a year SIPRI's register covers\n{YEARS}\n"
    bundled = run_cli(["fetch", "sipri", "--into", "deals", "--url", backend.url], home=tmp_path)
    assert (bundled.exit_code, bundled.stderr) == (
        2,
        "geobal: 'deals' is a bundled dataset; import the export --into another name\n",
    )
    assert backend.requests == []
