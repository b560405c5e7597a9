"""Asking SIPRI's backend for the per-year export, as SIPRI's web application does.

The request is the one SIPRI's own client sends (recorded by the public R client
Rat.db): a POST of the filters as JSON, answered with `{"bytes": "<base64 of the
CSV>"}`. The backend is undocumented, slow (tens of seconds a request) and throttles,
so a request has a deadline for the whole reply, is tried again a bounded number of
times (waiting as long as a throttling backend asks, up to a bound), and the last good
reply for the same request is kept in the cache folder and used again unless asked to
refresh. Whatever the backend answers, a reply that is not the export is one line
saying what is wrong with it. Nothing here writes a dataset: the caller imports what
`fetch` returns.
"""

import base64
import binascii
import contextlib
import datetime as dt
import json
import math
import os
import stat
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from geobal import __version__
from geobal.errors import DataError, UsageError

if TYPE_CHECKING:
    import http.client
    import socket
    import urllib.request
    from email.message import Message

URL = "https://atbackend.sipri.org/api/p/trades/trade-register-csv/"
# the database's address as SIPRI gives it; its download pages' wording is not named, as
# nothing here records it
BY_HAND = (
    "download the trade register by hand from https://www.sipri.org/databases/armstransfers "
    "and import it: geobal import FILE --as sipri"
)
WAITS = (1.0, 4.0)  # seconds before each try again: two more tries, then give up
# The longest wait that a throttling backend's Retry-After (with 429 or 503) is
# honoured with: asked to wait longer, geobal stops and says so rather than sit silent.
LONGEST_WAIT = 60.0
# The longest --timeout: a day is more than any reply takes, and the system's timers
# overflow somewhere past 10**9 seconds.
LONGEST_TIMEOUT = 86_400.0
QUOTED = 60  # characters of what a reply says (a status line, a reason) quoted at most


class Reply(NamedTuple):
    csv: bytes  # the export, as the backend encoded it
    fetched: str  # when it was fetched, ISO 8601 in UTC
    cached: bool  # from the cache folder, not the backend, this time


def body(first: int, last: int) -> bytes:
    """The request SIPRI's client sends for deliveries in first-last."""
    filters = [
        {
            "field": "Delivery year",
            "condition": "contains",
            "value1": first,
            "value2": last,
            "listData": [],
        },
        {
            "field": "Order year",
            "condition": "contains",
            "value1": 0,
            "value2": last,
            "listData": [],
        },
        {"field": "opendeals", "condition": "", "value1": "", "value2": "", "listData": []},
        {"field": "exportOption", "condition": "", "value1": "", "value2": "", "listData": []},
    ]
    return json.dumps({"filters": filters, "logic": "AND"}).encode()


def checked_timeout(seconds: float) -> float:
    """`seconds` as a --timeout: a usage error unless it is finite, above 0 and at most
    LONGEST_TIMEOUT."""
    if not (math.isfinite(seconds) and 0 < seconds <= LONGEST_TIMEOUT):
        raise UsageError(
            f"--timeout {seconds:g}: give a number of seconds above 0 and at most "
            f"{LONGEST_TIMEOUT:g} (a day)",
            "for example: --timeout 300",
        )
    return seconds


def checked_url(url: str, given: str = "--url") -> str:
    """`url` as an address to ask: a usage error, naming where it was `given`, unless it
    is an http or https URL with a host (and a port, if any, that is one)."""
    from urllib.parse import urlsplit

    problem = ""
    if not url.isascii() or any(c <= " " or c == "\x7f" for c in url):
        problem = "holds spaces, control or non-ASCII characters (percent-encode them)"
    else:
        parts = urlsplit(url)
        try:
            parts.port  # noqa: B018 (read for its ValueError)
        except ValueError:
            problem = "has a port that is not a number from 0 to 65535"
        else:
            if parts.scheme.lower() not in ("http", "https"):
                problem = "needs the scheme http:// or https://"
            elif not parts.hostname:
                problem = "needs a host"
    if problem:
        raise UsageError(
            f"{given} {url!r} {problem}",
            f"give the backend's whole address, such as {URL}",
        )
    return url


REPLY_SAID = "a saved reply of SIPRI's backend: the CSV it carries in base64, decoded"


def unwrapped(data: bytes, where: str) -> bytes | None:
    """The export a saved reply of the backend carries (`{"bytes": "<base64>"}`), for
    `geobal import reply.json`; None for a file that is no such reply. A file that
    begins as one and is not is refused, saying what is wrong with it."""
    head = data[:64].lstrip()
    if not (head.startswith(b"{") and b'"bytes"' in head):
        return None
    return decode(data, where)


def decode(reply: bytes, where: str) -> bytes:
    """The CSV in a reply of the backend; a DataError saying what is wrong with the
    reply if it is not one."""
    problem = ""
    try:
        doc = json.loads(reply.decode("utf-8"))
    except UnicodeDecodeError:
        problem = "it is not UTF-8 text"
    except json.JSONDecodeError as err:
        problem = f"it is not JSON ({err.msg} at line {err.lineno} column {err.colno})"
    except RecursionError:
        problem = "its JSON is nested too deep to read"
    else:
        if not isinstance(doc, dict) or "bytes" not in doc:
            problem = 'it is JSON, but has no "bytes" member'
        elif not isinstance(doc["bytes"], str):
            problem = 'its "bytes" member is not a string'
        else:
            try:
                return base64.b64decode(doc["bytes"], validate=True)
            except (ValueError, binascii.Error) as err:
                problem = f'its "bytes" member is not base64 ({err})'
    raise DataError(f"{where}: the reply is not SIPRI's export: {problem}", BY_HAND)


def _entry(cache: Path | None, url: str, request: bytes) -> Path | None:
    if cache is None:
        return None
    return cache / "sipri" / f"reply-{zlib.crc32(url.encode() + request):08x}.json"


def cached(cache: Path | None, url: str, request: bytes) -> Reply | None:
    """The last good reply to this request, where it is kept and still reads."""
    entry = _entry(cache, url, request)
    if entry is None:
        return None
    from geobal.files import read_bytes  # regular files only: a FIFO there cannot block

    try:
        kept = json.loads(read_bytes(entry))
        if kept["url"] != url or kept["body"] != request.decode():
            return None
        return Reply(decode(kept["reply"].encode(), str(entry)), str(kept["fetched"]), True)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError, DataError):
        return None


def kept(
    cache: Path | None, url: str, request: bytes, reply: bytes, fetched: str
) -> tuple[Path, str] | None:
    """Where a reply is kept for the next time, and what is kept: written with the
    import it gives, or not at all, so an entry that cannot be written is refused
    before anything is. None where there is no cache folder."""
    entry = _entry(cache, url, request)
    if entry is None:
        return None
    text = json.dumps(
        {"url": url, "body": request.decode(), "fetched": fetched, "reply": reply.decode()}
    )
    problem = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        st = entry.lstat() if os.path.lexists(entry) else None
    except OSError as err:
        problem = err.strerror
    else:
        if st is not None and not stat.S_ISREG(st.st_mode):
            problem = "it is not a regular file"
        elif st is not None and not st.st_mode & stat.S_IWUSR:
            problem = "it is read-only"
    if problem is not None:
        raise DataError(
            f"{entry}: SIPRI's reply cannot be kept there ({problem}); nothing was written",
            "remove it, or fetch without keeping the reply: geobal --no-cache fetch ...",
        )
    return entry, text


class _Deadline:
    """The end of one exchange with the backend, `seconds` from its start.

    A socket's timeout bounds each read, and a reply that trickles in a byte at a time
    starts it again with every byte. So a timer shuts the connection down at the
    deadline instead, which ends whatever read or handshake is waiting: the socket is
    watched through a duplicate of it, which TLS's wrapping of the original leaves be.
    """

    def __init__(self, seconds: float) -> None:
        import threading

        self._passed = False
        self._over = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def connect(
        self,
        address: tuple[str, int],
        timeout: float | None = None,
        source_address: tuple[str, int] | None = None,
    ) -> "socket.socket":
        """socket.create_connection, with the connection watched."""
        import socket

        sock = socket.create_connection(address, timeout, source_address)
        with self._lock:
            self._sockets.append(sock.dup())
            if self._passed:
                _shut(self._sockets[-1])
        return sock

    def _expire(self) -> None:
        with self._lock:
            if self._over:
                return
            self._passed = True
            for sock in self._sockets:
                _shut(sock)

    def end(self) -> bool:
        """End the watch; whether the deadline passed first."""
        self._timer.cancel()
        with self._lock:
            self._over = True
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()
            return self._passed


def _shut(sock: "socket.socket") -> None:
    import socket

    with contextlib.suppress(OSError):  # closed already
        sock.shutdown(socket.SHUT_RDWR)


def _opener(deadline: _Deadline) -> "urllib.request.OpenerDirector":
    """urllib's opener (proxies, redirects, HTTPS), its connections watched by
    `deadline`."""
    import http.client
    import urllib.request

    def watched(kind: type[http.client.HTTPConnection]) -> Any:
        def connection(host: str, **options: Any) -> http.client.HTTPConnection:
            made = kind(host, **options)
            # the one call that opens the socket, for plain and TLS connections alike
            made._create_connection = deadline.connect  # type: ignore[attr-defined]
            return made

        return connection

    class Plain(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            return self.do_open(watched(http.client.HTTPConnection), req)

    class Secure(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
            context = getattr(self, "_context", None)
            return self.do_open(watched(http.client.HTTPSConnection), req, context=context)

    return urllib.request.build_opener(Plain(), Secure())


def _quoted(text: str) -> str:
    return repr(text if len(text) <= QUOTED else text[:QUOTED] + "...")


def _malformed(err: "http.client.HTTPException", answer: "http.client.HTTPResponse | None") -> str:
    """What is wrong with a reply that is not HTTP, as http.client found it."""
    import http.client

    if isinstance(err, http.client.IncompleteRead):
        if answer is not None and answer.chunked:
            return "the reply's chunked body is broken or cut short"
        got = len(err.partial)
        if err.expected:
            return (
                f"the reply was cut short: {got:,} bytes of the {got + err.expected:,} it announced"
            )
        return "the reply was cut short"
    if isinstance(err, http.client.RemoteDisconnected):
        return "it closed the connection without a reply"
    if isinstance(err, http.client.BadStatusLine):
        return f"the reply's status line is not HTTP: {_quoted(str(err.args[0]).strip())}"
    if isinstance(err, http.client.LineTooLong):
        return f"the reply is not HTTP: {err}"  # "got more than 65536 bytes when ..."
    if isinstance(err, http.client.UnknownProtocol):
        return f"the reply is not HTTP/1: its version is {_quoted(str(err.args[0]))}"
    # "got more than 100 headers", and whatever else http.client finds wrong in a reply
    return f"the reply is not HTTP: {str(err)[: 2 * QUOTED] or type(err).__name__}"


def retry_after(headers: "Message | None", now: float) -> float | None:
    """The seconds a throttling reply's Retry-After asks to wait (delta-seconds or an
    HTTP date); None where it asks nothing that reads."""
    value = headers.get("Retry-After") if headers is not None else None
    if not isinstance(value, str):
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value) if len(value) < 16 else math.inf
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
        if when.tzinfo is None:  # "-0000": the time is in UTC
            when = when.replace(tzinfo=dt.UTC)
        return max(0.0, when.timestamp() - now)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _throttled(url: str, status: str, asked: float) -> DataError:
    said = f"{math.ceil(asked)} s" if asked < 1e15 else "more than 10^15 s"
    return DataError(
        f"could not fetch SIPRI's export from {url}: it answered {status}: SIPRI's backend "
        f"asks to wait {said} before asking again; try again later",
        BY_HAND,
    )


def ask(
    url: str,
    request: bytes,
    timeout: float,
    waits: Sequence[float] = WAITS,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> tuple[bytes, str]:
    """POST the request, trying again after each of `waits` when the backend does not
    answer, does not answer whole within `timeout` seconds, answers something that is
    not HTTP, throttles (429) or fails (5xx); the raw reply and when it came. A
    throttling reply's Retry-After is waited for up to LONGEST_WAIT seconds."""
    import http.client
    import urllib.error
    import urllib.request

    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "User-Agent": f"geobal/{__version__}",
    }
    problem = ""
    wait = 0.0
    for attempt in range(len(waits) + 1):
        if attempt:
            sleep(max(waits[attempt - 1], wait))
        wait = 0.0
        deadline = _Deadline(timeout)
        answer: http.client.HTTPResponse | None = None
        try:
            post = urllib.request.Request(url, data=request, headers=headers, method="POST")
            with _opener(deadline).open(post, timeout=timeout) as answer:
                reply = answer.read()
            if deadline.end():  # what came by the deadline may be any part of the reply
                raise TimeoutError
            fetched = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            return reply, fetched
        except urllib.error.HTTPError as err:
            err.close()  # the error holds the connection open
            status = f"{err.code} {str(err.reason)[:QUOTED]}".rstrip()
            problem = f"it answered {status}"
            if err.code in (429, 503):
                asked = retry_after(err.headers, clock())
                if asked is not None and asked > LONGEST_WAIT:
                    raise _throttled(url, status, asked) from None
                if asked:
                    wait = asked
                    problem += f" and asked to wait {math.ceil(asked)} s"
            elif err.code < 500:
                break  # the request itself is refused: asking again will not help
        except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
            # urllib wraps some of http.client's errors in a URLError, and not others
            reason = err.reason if isinstance(err, urllib.error.URLError) else err
            if deadline.end() or isinstance(reason, TimeoutError):
                problem = (
                    f"no answer within {timeout:g} s"
                    if answer is None
                    else f"the reply did not come whole within {timeout:g} s"
                )
            elif isinstance(reason, http.client.HTTPException):
                problem = _malformed(reason, answer)
            else:
                problem = f"no answer ({reason})"
        finally:
            deadline.end()
    tries = f"{attempt + 1} time{'s' if attempt else ''}"
    raise DataError(f"could not fetch SIPRI's export from {url}: {problem}, asked {tries}", BY_HAND)
