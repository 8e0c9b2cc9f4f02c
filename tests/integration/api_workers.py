"""`hotline api --workers 2` as a real process on the test database, and parallel requests over real sockets.

Races between requests are only honest across processes: two uvicorn workers, each with its own
connection pool, answering many requests at once."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from hotline.core import security

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ApiWorkers:
    """The API served by uvicorn with `workers` processes; its log is kept for failure messages."""

    def __init__(self, env: dict[str, str], workers: int = 2):
        self.env, self.workers = env, workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log: list[str] = []
        self.proc: subprocess.Popen | None = None

    def start(self) -> ApiWorkers:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hotline.cli", "api", "--host", "127.0.0.1", "--port", str(self.port),
             "--workers", str(self.workers)],
            cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=lambda: self.log.extend(self.proc.stdout), daemon=True).start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            # Every worker says so once its app is up; the listening socket alone is not enough.
            if sum("Application startup complete" in line for line in self.log) >= self.workers:
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise AssertionError("the API workers did not start\n" + "".join(self.log[-40:]))

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def tail(self) -> str:
        return "".join(self.log[-60:])


def secret_of(settings) -> str:
    """The test settings' secret: the workers sign and check tokens with the key the test signs with."""
    return settings.secret_key.get_secret_value() if settings.secret_key is not None else ""


def worker_env(settings, **extra: str) -> dict[str, str]:
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOTLINE_")}
    return {**env, "HOTLINE_DATABASE_URL": settings.database_url, "HOTLINE_CONFIG_DIR": str(settings.config_dir),
            "HOTLINE_VAR_DIR": str(settings.var_dir), "HOTLINE_SECRET_KEY": secret_of(settings),
            "HOTLINE_LOG_LEVEL": "INFO", **extra}


@pytest.fixture
def two_workers(settings, session_factory):
    """Two API worker processes on the test database; the tests using it are `postgres_only` (SQLite
    serialises every writer anyway)."""
    server = ApiWorkers(worker_env(settings)).start()
    yield server
    server.stop()


def bearer(ctx, user_id: int) -> dict[str, str]:
    """A token valid now by the wall clock (the server's clock is the real one)."""
    token, _ = security.issue(ctx.secret, user_id, "access", dt.datetime.now(dt.UTC))
    return {"Authorization": f"Bearer {token}"}


def at_once(n: int, call: Callable[[requests.Session, int], requests.Response]) -> list[requests.Response]:
    """`n` requests released together, each on its own connection."""
    gate = threading.Barrier(n)

    def one(i: int) -> requests.Response:
        with requests.Session() as client:
            gate.wait()
            return call(client, i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))
