"""`geobal fetch sipri` against a local stand-in for SIPRI's backend (tests.replay)."""

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from geobal.transfer import fetch
from tests.conftest import run_cli
from tests.replay import Backend, reply


@pytest.fixture
def backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[Backend]:
    monkeypatch.setattr(fetch, "WAITS", (0.0, 0.0))  # try again at once: the tests are timed
    server = Backend()
    yield server
    server.close()


def fetched(home: Path, *args: str, url: str | None = None) -> tuple[int, str]:
    env = {"GEOBAL_SIPRI_URL": url} if url else {}
    given = ["fetch", "sipri", "--from", "2000", "--to", "2001", "--into", "sipri2000", *args]
    result = run_cli(given, home=home, env=env)
    return result.exit_code, result.stderr


def test_fetch_asks_as_sipris_client_does_imports_and_keeps_the_csv(
    backend: Backend, tmp_path: Path
) -> None:
    code, err = fetched(tmp_path, url=backend.url)
    assert code == 0, err
    assert json.loads(backend.requests[0]) == json.loads(fetch.body(2000, 2001))
    lines = err.splitlines()
    assert lines[0].startswith(f"fetched {backend.url} at ")
    assert lines[1].startswith("read the trade register (per-year export), covering 2000-2001")
    assert lines[-1] == f"kept the export as {tmp_path / 'datasets' / 'sipri2000.csv'}"
    csv = (tmp_path / "datasets" / "sipri2000.csv").read_bytes()
    assert csv == base64.b64decode(json.loads(reply())["bytes"])
    rows = json.loads(run_cli(["query", "sipri2000", "--json"], home=tmp_path).stdout)
    assert len(rows) == csv.count(b"\n") - 12 and rows[0]["delivery_year"] in (2000, 2001)


def test_the_last_good_reply_is_used_again_unless_refresh(backend: Backend, tmp_path: Path) -> None:
    assert fetched(tmp_path, url=backend.url)[0] == 0
    code, err = fetched(tmp_path, url=backend.url)
    assert code == 0 and len(backend.requests) == 1
    assert err.startswith("using the reply fetched ") and "(--refresh asks again)" in err
    assert fetched(tmp_path, "--refresh", url=backend.url)[0] == 0
    assert len(backend.requests) == 2


def test_a_failing_backend_is_tried_again_a_bounded_number_of_times(
    backend: Backend, tmp_path: Path
) -> None:
    backend.replies = [(503, b"busy"), (429, b"slow down"), (200, reply())]
    code, err = fetched(tmp_path, "--url", backend.url)
    assert code == 0 and len(backend.requests) == 3, err
    backend.replies = [(500, b"broken")]
    code, err = fetched(tmp_path, "--url", backend.url, "--refresh")
    assert (code, err) == (
        1,
        f"geobal: could not fetch SIPRI's export from {backend.url}: it answered 500 "
        f"Internal Server Error, asked 3 times\n{fetch.BY_HAND}\n",
    )
    assert len(backend.requests) == 6


def test_a_request_the_backend_refuses_is_not_asked_again(backend: Backend, tmp_path: Path) -> None:
    backend.replies = [(404, b"no")]
    code, err = fetched(tmp_path, "--url", backend.url)
    assert code == 1 and "it answered 404 Not Found, asked 1 time\n" in err
    assert len(backend.requests) == 1


@pytest.mark.parametrize(
    "body",
    [b"<html>maintenance</html>", b'{"bytes": "not base64!"}', b'{"other": 1}',
     json.dumps({"bytes": base64.b64encode(b"a,b\n1,2\n").decode()}).encode()],
)  # fmt: skip
def test_a_reply_that_is_not_the_export_writes_nothing(
    backend: Backend, tmp_path: Path, body: bytes
) -> None:
    backend.replies = [(200, body)]
    code, err = fetched(tmp_path, "--url", backend.url)
    assert code == 1 and err.startswith("geobal: "), err
    assert "Traceback" not in err and "this is a bug" not in err
    assert not (tmp_path / "datasets").exists()
    assert not list((tmp_path / "cache").rglob("reply-*.json"))


def test_no_answer_in_time_is_a_clear_error(backend: Backend, tmp_path: Path) -> None:
    backend.delay = 1.0
    start = time.monotonic()
    code, err = fetched(tmp_path, "--url", backend.url, "--timeout", "0.2")
    assert code == 1 and "no answer" in err and "asked 3 times" in err
    assert time.monotonic() - start < 10
    assert not (tmp_path / "datasets").exists()


def test_no_server_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "WAITS", (0.0, 0.0))
    code, err = fetched(tmp_path, "--url", "http://127.0.0.1:9/nothing", "--timeout", "2")
    assert code == 1
    assert err.splitlines() == [
        "geobal: could not fetch SIPRI's export from http://127.0.0.1:9/nothing: no answer "
        "([Errno 111] Connection refused), asked 3 times",
        fetch.BY_HAND,
    ]
