"""Asking SIPRI's backend for the per-year export, as SIPRI's web application does.

The request is the one SIPRI's own client sends (recorded by the public R client
Rat.db): a POST of the filters as JSON, answered with `{"bytes": "<base64 of the
CSV>"}`. The backend is undocumented, slow (tens of seconds a request) and throttles,
so a request times out, is tried again a bounded number of times, and the last good
reply for the same request is kept in the cache folder and used again unless asked to
refresh. Nothing here writes a dataset: the caller imports what `fetch` returns.
"""

import base64
import binascii
import datetime as dt
import json
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from geobal import __version__
from geobal.errors import DataError

URL = "https://atbackend.sipri.org/api/p/trades/trade-register-csv/"
BY_HAND = (
    "download the trade register by hand from https://armstransfers.sipri.org (Trade "
    "registers, CSV) and import it: geobal import FILE --as sipri"
)
WAITS = (1.0, 4.0)  # seconds before each try again: two more tries, then give up


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


def decode(reply: bytes, where: str) -> bytes:
    """The CSV in a reply of the backend; a DataError if the reply is not one."""
    try:
        doc = json.loads(reply)
        return base64.b64decode(doc["bytes"], validate=True)
    except (ValueError, KeyError, TypeError, binascii.Error) as err:
        raise DataError(
            f"{where}: the reply is not SIPRI's export ({type(err).__name__}: {err})",
            BY_HAND,
        ) from None


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
    except (OSError, ValueError, KeyError, TypeError, DataError):
        return None


def kept(
    cache: Path | None, url: str, request: bytes, reply: bytes, fetched: str
) -> tuple[Path, str] | None:
    """Where a reply is kept for the next time, and what is kept: written with the
    import it gives, or not at all. None where there is no cache folder."""
    entry = _entry(cache, url, request)
    if entry is None:
        return None
    text = json.dumps(
        {"url": url, "body": request.decode(), "fetched": fetched, "reply": reply.decode()}
    )
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DataError(
            f"{entry.parent}: cannot keep SIPRI's reply there: {err.strerror}; nothing was written",
            "pass --no-cache to fetch without keeping it",
        ) from None
    return entry, text


def ask(
    url: str,
    request: bytes,
    timeout: float,
    waits: Sequence[float] = WAITS,
    sleep: Callable[[float], None] = time.sleep,
) -> tuple[bytes, str]:
    """POST the request, trying again after each of `waits` when the backend does not
    answer, times out, throttles (429) or fails (5xx); the raw reply and when it came."""
    import urllib.error
    import urllib.request

    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "User-Agent": f"geobal/{__version__}",
    }
    problem = ""
    for attempt in range(len(waits) + 1):
        if attempt:
            sleep(waits[attempt - 1])
        try:
            post = urllib.request.Request(url, data=request, headers=headers, method="POST")
            with urllib.request.urlopen(post, timeout=timeout) as answer:
                reply = answer.read()
            fetched = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            return reply, fetched
        except urllib.error.HTTPError as err:
            err.close()  # the error holds the connection open
            problem = f"it answered {err.code} {err.reason}"
            if err.code != 429 and err.code < 500:
                break  # the request itself is refused: asking again will not help
        except (urllib.error.URLError, TimeoutError, OSError) as err:
            reason = getattr(err, "reason", err)
            problem = f"no answer ({reason})"
    tries = f"{attempt + 1} time{'s' if attempt else ''}"
    raise DataError(f"could not fetch SIPRI's export from {url}: {problem}, asked {tries}", BY_HAND)
