"""A real HTTP server on loopback that records what it receives: Apprise json:// notifications,
the webhook channel's posts and the coupon webhook's land here in tests (kept in core so that
every app's tests may use it).

`receiver.url` is its base address; `receiver.received` lists each request (method, path,
headers, raw body); `receiver.answer(503)` makes every following request get that status.
"""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str:
        lowered = {key.lower(): value for key, value in self.headers.items()}
        return lowered.get(name.lower(), "")

    def json(self):
        return json.loads(self.body)


class HttpReceiver:
    def __init__(self):
        self.received: list[Received] = []
        self.status = 200
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"

    def answer(self, status: int) -> None:
        self.status = status

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with receiver._lock:
                    receiver.received.append(
                        Received(self.command, self.path, dict(self.headers.items()), body)
                    )
                    status = receiver.status
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            do_POST = do_PUT = do_GET = _record

            def log_message(self, format, *args):
                """Quiet: the test asserts on `received`, not on the server's log."""

        return Handler

    def start(self) -> None:
        # A short poll interval: stopping the server waits for one poll.
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def running_http_receiver() -> Iterator[HttpReceiver]:
    receiver = HttpReceiver()
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()


@pytest.fixture
def http_receiver():
    with running_http_receiver() as receiver:
        yield receiver
