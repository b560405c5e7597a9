"""A local stand-in for SIPRI's backend, on 127.0.0.1: it replays the reply recorded in
../shared/sipri where it is there, else one made from the per-year excerpt in the
fixtures (the same shape: {"bytes": base64 of the CSV})."""

import base64
import http.server
import json
import threading
import time

from tests.conftest import FIXTURES, SHARED

RECORDED = SHARED / "sipri" / "backend-trade-register-csv-response.json"
EXCERPT = FIXTURES / "sipri" / "per-year-2000-2001-excerpt.csv"


def reply() -> bytes:
    if RECORDED.is_file():
        return RECORDED.read_bytes()
    return json.dumps({"bytes": base64.b64encode(EXCERPT.read_bytes()).decode()}).encode()


class Backend:
    """A server that answers POSTs with `replies` in turn (a status and a body; the
    last one again and again), after `delay` seconds, and counts the requests."""

    def __init__(self) -> None:
        self.replies: list[tuple[int, bytes]] = [(200, reply())]
        self.delay = 0.0
        self.requests: list[bytes] = []
        backend = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                backend.requests.append(self.rfile.read(int(self.headers["Content-Length"])))
                status, body = backend.replies[min(len(backend.requests), len(backend.replies)) - 1]
                time.sleep(backend.delay)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request: object, address: object) -> None:
                pass  # a client that timed out and left: nothing to report

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = (
            f"http://127.0.0.1:{self.server.server_address[1]}/api/p/trades/trade-register-csv/"
        )
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
