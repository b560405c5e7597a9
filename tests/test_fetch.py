"""`geobal fetch sipri` against a local stand-in for SIPRI's backend (tests.replay)."""

import base64
import email.utils
import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from geobal.errors import DataError
from geobal.transfer import fetch
from tests.conftest import run_cli
from tests.replay import Backend, Hostile, reply


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


# --- every reply that is not the export: one line saying what is wrong with it ---------------


@pytest.fixture
def hostile(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Hostile]]:
    monkeypatch.setattr(fetch, "WAITS", (0.0, 0.0))
    servers: list[Hostile] = []

    def serve(pieces: Sequence[bytes], pause: float = 0.0) -> Hostile:
        servers.append(Hostile(pieces, pause))
        return servers[-1]

    yield serve
    for server in servers:
        server.close()


def failed(url: str, problem: str, tries: str = "3 times") -> str:
    return (
        f"geobal: could not fetch SIPRI's export from {url}: {problem}, asked {tries}\n"
        f"{fetch.BY_HAND}\n"
    )


OK = b"HTTP/1.1 200 OK\r\n"
CHUNKED = OK + b"Transfer-Encoding: chunked\r\n\r\n"


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (OK + b"Content-Length: 100\r\n\r\n" + b"x" * 10,
         "the reply was cut short: 10 bytes of the 100 it announced"),
        (b"SPDY/9 banana\r\n\r\n", "the reply's status line is not HTTP: 'SPDY/9 banana'"),
        (b"HTTP/1.1 abc OK\r\n\r\n", "the reply's status line is not HTTP: 'HTTP/1.1 abc OK'"),
        (b"HTTP/2.0 200 OK\r\n\r\n", "the reply is not HTTP/1: its version is 'HTTP/2.0'"),
        (OK + b"X-A: b\r\n" * 101 + b"\r\n", "the reply is not HTTP: got more than 100 headers"),
        (OK + b"X-A: " + b"b" * 70_000 + b"\r\n\r\n",
         "the reply is not HTTP: got more than 65536 bytes when reading header line"),
        (b"HTTP/1.1 200 " + b"K" * 70_000 + b"\r\n\r\n",
         "the reply is not HTTP: got more than 65536 bytes when reading status line"),
        (CHUNKED + b"zz\r\nabc\r\n0\r\n\r\n", "the reply's chunked body is broken or cut short"),
        (CHUNKED + b"10\r\nabc", "the reply's chunked body is broken or cut short"),
        (b"", "it closed the connection without a reply"),
    ],
)  # fmt: skip
def test_a_reply_that_is_not_http_is_one_line_saying_what_is_wrong(
    hostile: Callable[..., Hostile], tmp_path: Path, raw: bytes, problem: str
) -> None:
    server = hostile([raw])
    code, err = fetched(tmp_path, "--url", server.url)
    assert (code, err) == (1, failed(server.url, problem))
    assert server.requests == 3  # a fault of the exchange is asked again, as no answer is
    assert not (tmp_path / "datasets").exists()


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "its JSON is nested too deep to read"),
        (b"<html>maintenance</html>", "it is not JSON (Expecting value at line 1 column 1)"),
        (b'{"bytes": "\xe9"}', "it is not UTF-8 text"),
        (b'{"bytes": "not base64!"}',
         'its "bytes" member is not base64 (Only base64 data is allowed)'),
        (b'{"bytes": ["QQ=="]}', 'its "bytes" member is not a string'),
        (b'[{"bytes": "QQ=="}]', 'it is JSON, but has no "bytes" member'),
    ],
)  # fmt: skip
def test_a_body_that_is_not_the_export_is_one_line_saying_what_is_wrong(
    backend: Backend, tmp_path: Path, body: bytes, problem: str
) -> None:
    backend.replies = [(200, body)]
    code, err = fetched(tmp_path, "--url", backend.url)
    assert (code, err) == (
        1,
        f"geobal: {backend.url}: the reply is not SIPRI's export: {problem}\n{fetch.BY_HAND}\n",
    )
    assert not (tmp_path / "datasets").exists()


# --- a deadline for the whole reply, not each read ---------------------------------------------


@pytest.mark.parametrize(
    ("pieces", "problem"),
    [
        # the head at once, then a body announced as a megabyte, a byte at a time
        ([OK + b"Content-Length: 1000000\r\n\r\n", *[b"x"] * 1000],
         "the reply did not come whole within 1 s"),
        # the head itself a byte at a time, which would take 40 s
        ([bytes([b]) for b in OK + b"X-A: b\r\n" * 100],
         "the reply did not come whole within 1 s"),
        # a body with no length, which only its end would end: what came is not the reply
        ([OK + b"\r\n", *[b"x"] * 1000], "the reply did not come whole within 1 s"),
    ],
)  # fmt: skip
def test_a_reply_that_trickles_in_ends_at_the_timeout(
    hostile: Callable[..., Hostile],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    pieces: list[bytes],
    problem: str,
) -> None:
    monkeypatch.setattr(fetch, "WAITS", ())  # asked once: the deadline is what is looked at
    server = hostile(pieces, pause=0.05)  # 20 bytes a second: each read is quick
    start = time.monotonic()
    code, err = fetched(tmp_path, "--url", server.url, "--timeout", "1")
    took = time.monotonic() - start
    assert (code, err) == (1, failed(server.url, problem, "1 time"))
    assert took < 6, took  # about the 1 s asked; without a deadline, the trickle's 50 s
    assert not (tmp_path / "datasets").exists()


# --- Retry-After ---------------------------------------------------------------------------


def test_a_backend_that_asks_to_wait_longer_than_geobal_waits_is_said_not_asked_again(
    backend: Backend, tmp_path: Path
) -> None:
    backend.replies = [(429, b"slow down", {"Retry-After": "3600"})]
    code, err = fetched(tmp_path, "--url", backend.url)
    assert (code, err) == (
        1,
        f"geobal: could not fetch SIPRI's export from {backend.url}: it answered 429 Too Many "
        "Requests: SIPRI's backend asks to wait 3600 s before asking again; try again later\n"
        f"{fetch.BY_HAND}\n",
    )
    assert len(backend.requests) == 1
    # an HTTP date two hours ahead, on a 503
    later = email.utils.formatdate(time.time() + 7200, usegmt=True)
    backend.replies = [(503, b"busy", {"Retry-After": later})]
    code, err = fetched(tmp_path, "--url", backend.url)
    assert code == 1 and len(backend.requests) == 2
    # (7,200 s, less what the second the date is given to and a loaded machine took)
    assert re.search(r"503 Service Unavailable: SIPRI's backend asks to wait 7[12]\d\d s ", err), (
        err
    )


def test_retry_after_is_waited_up_to_its_bound(backend: Backend) -> None:
    """With a clock and a sleep of the test's own: no test waits a minute."""
    now = 1_800_000_000.0
    slept: list[float] = []
    request = fetch.body(2000, 2001)

    def asked(*replies: tuple[int, bytes, dict[str, str]]) -> tuple[int, list[float]]:
        backend.requests.clear()
        slept.clear()
        backend.replies = [*replies, (200, reply())]
        got, _ = fetch.ask(backend.url, request, 5, (1.0, 4.0), slept.append, lambda: now)
        assert got == reply()
        return len(backend.requests), list(slept)

    at = email.utils.formatdate(now + 45, usegmt=True)
    assert asked((503, b"", {"Retry-After": "30"})) == (2, [30.0])
    assert asked((429, b"", {"Retry-After": at}), (503, b"", {})) == (3, [45.0, 4.0])
    assert asked((429, b"", {"Retry-After": str(int(fetch.LONGEST_WAIT))})) == (2, [60.0])
    # what asks nothing that reads, or less than geobal waits anyway, is geobal's own wait
    assert asked((429, b"", {"Retry-After": "soon"}), (503, b"", {"Retry-After": "0"})) == (
        3,
        [1.0, 4.0],
    )
    with pytest.raises(DataError, match="asks to wait 61 s before asking again"):
        asked((429, b"", {"Retry-After": str(int(fetch.LONGEST_WAIT) + 1)}))
    assert slept == []


# --- options -----------------------------------------------------------------------------


@pytest.mark.parametrize("timeout", ["-1", "0", "nan", "inf", "-inf", "1e10"])
def test_timeout_is_a_finite_number_of_seconds_above_zero(tmp_path: Path, timeout: str) -> None:
    code, err = fetched(tmp_path, "--url", "http://127.0.0.1:9/", "--timeout", timeout)
    shown = f"{float(timeout):g}"
    assert (code, err) == (
        2,
        f"geobal: --timeout {shown}: give a number of seconds above 0 and at most 86400 (a day)\n"
        "for example: --timeout 300\n",
    )


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("example.org", "needs the scheme http:// or https://"),
        ("example.org/api", "needs the scheme http:// or https://"),
        ("ftp://example.org/api", "needs the scheme http:// or https://"),
        ("http:///api", "needs a host"),
        ("https://example.org:99999/", "has a port that is not a number from 0 to 65535"),
        ("https://example.org/a b", "holds spaces, control or non-ASCII characters "
         "(percent-encode them)"),
    ],
)  # fmt: skip
def test_url_needs_a_scheme_and_a_host(tmp_path: Path, url: str, problem: str) -> None:
    hint = f"give the backend's whole address, such as {fetch.URL}\n"
    code, err = fetched(tmp_path, "--url", url)
    assert (code, err) == (2, f"geobal: --url {url!r} {problem}\n{hint}")
    code, err = fetched(tmp_path, url=url)  # the same from the environment
    assert (code, err) == (2, f"geobal: GEOBAL_SIPRI_URL {url!r} {problem}\n{hint}")


def test_a_kept_reply_that_does_not_read_is_asked_again_and_one_not_writable_writes_nothing(
    backend: Backend, tmp_path: Path
) -> None:
    assert fetched(tmp_path, url=backend.url)[0] == 0
    (entry,) = (tmp_path / "cache").rglob("reply-*.json")
    kept = json.loads(entry.read_text())
    for broken in ({**kept, "reply": 5}, [kept], "[" * 100_000):
        entry.write_text(broken if isinstance(broken, str) else json.dumps(broken))
        code, err = fetched(tmp_path, url=backend.url)
        assert code == 0 and err.startswith(f"fetched {backend.url} at "), err
    assert len(backend.requests) == 4
    # a reply that cannot be kept is said before anything is written: all or none
    entry.chmod(0o444)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    code, err = fetched(tmp_path, "--refresh", url=backend.url)
    assert (code, err.splitlines()[-2:]) == (
        1,
        [
            f"geobal: {entry}: SIPRI's reply cannot be kept there (it is read-only); "
            "nothing was written",
            "remove it, or fetch without keeping the reply: geobal --no-cache fetch ...",
        ],
    )
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_a_saved_reply_of_the_backend_imports_as_the_export_it_carries(tmp_path: Path) -> None:
    """The newcomer pass on issue 21: a reply saved as it came could not be imported at all."""
    from tests.test_sipri import PER_YEAR

    reply = tmp_path / "reply.json"
    reply.write_text(json.dumps({"bytes": base64.b64encode(PER_YEAR.read_bytes()).decode()}))
    result = run_cli(["import", str(reply)], home=tmp_path)
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == f"{reply} is a SIPRI export: read as with --as sipri"
    assert lines[2].startswith(
        "data generated 2025-02-10; a saved reply of SIPRI's backend: the CSV it carries in "
        "base64, decoded; read as UTF-8"
    )
    plain = run_cli(["import", str(PER_YEAR), "--into", "plain"], home=tmp_path)
    assert plain.exit_code == 0, plain.stderr

    def records(name: str) -> list[dict[str, object]]:
        found = json.loads(run_cli(["query", name, "--json"], home=tmp_path).stdout)
        return [{k: v for k, v in r.items() if k != "file"} for r in found]

    assert records("transfers") == records("plain") != []
    broken = tmp_path / "broken.json"
    broken.write_text('{"bytes": "!!"}')
    refused = run_cli(["import", str(broken)], home=tmp_path)
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr.startswith(
        f'geobal: {broken}: the reply is not SIPRI\'s export: its "bytes" member is not base64'
    )
