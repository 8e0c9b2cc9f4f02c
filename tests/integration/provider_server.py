"""A real HTTP server on 127.0.0.1 standing in for a provider: each test gives it a handler that checks the
request as the provider documents it and answers with the provider's documented bodies."""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes

    def form(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.body.decode(), keep_blank_values=True))

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list → JSON, str/bytes as given
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Received], Reply]


class ProviderServer:
    def __init__(self, handler: Handler):
        self.handler = handler
        self.received: list[Received] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Received(self.command, url.path, dict(urllib.parse.parse_qsl(url.query)),
                                   {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length))
                server.received.append(request)
                reply = server.handler(request)
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body
                if isinstance(body, dict | list):
                    body = json.dumps(body, ensure_ascii=False)
                data = body.encode() if isinstance(body, str) else (body or b"")
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.headers.get("Content-Type", "application/json"))
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting, which is what a timeout test wants

            do_GET = do_POST = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the provider's own access log is not ours: the log tests read only what hotline logs

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def provider_server(handler: Handler) -> Iterator[ProviderServer]:
    server = ProviderServer(handler)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def all_log_text(records: list[logging.LogRecord]) -> str:
    return "\n".join(record.getMessage() for record in records)
