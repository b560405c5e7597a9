"""A local stand-in for SIPRI's backend, on 127.0.0.1: it replays the reply recorded in
../shared/sipri where it is there, else one made from the per-year excerpt in the
fixtures (the same shape: {"bytes": base64 of the CSV}); and a hostile one, which
answers raw bytes, a piece at a time, as no well-behaved server would."""

import base64
import http.server
import json
import socket
import socketserver
import threading
import time
from collections.abc import Sequence

from tests.conftest import FIXTURES, SHARED

RECORDED = SHARED / "sipri" / "backend-trade-register-csv-response.json"
EXCERPT = FIXTURES / "sipri" / "per-year-2000-2001-excerpt.csv"
PATH = "/api/p/trades/trade-register-csv/"


def reply() -> bytes:
    if RECORDED.is_file():
        return RECORDED.read_bytes()
    return json.dumps({"bytes": base64.b64encode(EXCERPT.read_bytes()).decode()}).encode()


class Backend:
    """A server that answers POSTs with `replies` in turn (a status, a body and, if
    given, headers; the last one again and again), after `delay` seconds, and counts
    the requests."""

    def __init__(self) -> None:
        self.replies: list[tuple[int, bytes] | tuple[int, bytes, dict[str, str]]] = [(200, reply())]
        self.delay = 0.0
        self.requests: list[bytes] = []
        backend = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                backend.requests.append(self.rfile.read(int(self.headers["Content-Length"])))
                status, body, *more = backend.replies[
                    min(len(backend.requests), len(backend.replies)) - 1
                ]
                time.sleep(backend.delay)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                for name, value in (more[0] if more else {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request: object, address: object) -> None:
                pass  # a client that timed out and left: nothing to report

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{PATH}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Hostile:
    """A server that reads each request whole, then answers `pieces` of raw bytes,
    `pause` seconds apart, and closes the connection; it gives up on a client after
    `bound` seconds in all, and counts the requests. Bytes one at a time with a pause
    make a reply that trickles in."""

    def __init__(self, pieces: Sequence[bytes], pause: float = 0.0, bound: float = 30.0) -> None:
        self.requests = 0
        self.closed = threading.Event()
        hostile = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                conn: socket.socket = self.request
                conn.settimeout(bound)
                start = time.monotonic()
                received = b""
                while b"\r\n\r\n" not in received:
                    more = conn.recv(65536)
                    if not more:
                        return
                    received += more
                head, _, body = received.partition(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                while len(body) < length:
                    body += conn.recv(65536)
                hostile.requests += 1
                for piece in pieces:
                    if hostile.closed.is_set() or time.monotonic() - start > bound:
                        break
                    try:
                        conn.sendall(piece)
                    except OSError:  # the client has gone: the test is over for it
                        return
                    if pause:
                        hostile.closed.wait(pause)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True

            def handle_error(self, request: object, address: object) -> None:
                pass

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{PATH}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.closed.set()
        self.server.shutdown()
        self.server.server_close()
