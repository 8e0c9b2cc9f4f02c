"""An API worker on a real socket, with uvicorn configured as `hotline api` configures it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from hotline.accounts.attempt_repository import DatabaseRateLimiter
from hotline.core.ratelimit import make_rate_limiter
from hotline.runtime.api import create_app
from hotline.runtime.processes import forwarding


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens there once the socket is closed


@contextmanager
def on_a_port(app, **config) -> Iterator[str]:
    """`app` served by uvicorn in a thread on a free port of 127.0.0.1, lifespan and all; its base URL."""
    config.setdefault("timeout_graceful_shutdown", 1)  # a browser's live stream stays open: end it on stop
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on",
                                           **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        assert not thread.is_alive(), "the test server did not stop"


@contextmanager
def serving(ctx, redis_url: str | None = None, namespace: str = "served") -> Iterator[str]:
    """The base URL of one API worker; its rate limits counted in Redis at `redis_url` (or the database)."""
    app = create_app(ctx)
    app.state.rate_limiter = make_rate_limiter(redis_url, namespace,
                                               DatabaseRateLimiter(app.state.session_factory.kw["bind"]))
    try:
        with on_a_port(app, **forwarding(ctx.settings)) as base:
            yield base
    finally:
        app.state.session_factory.kw["bind"].dispose()
