"""Background jobs: enqueued inside a transaction, sent only after it commits.

Jobs are plain functions `fn(runtime, *args)` registered by name. Embedded mode runs them on a
worker thread in this process; with HOTLINE_REDIS_URL they are Celery tasks on Redis. A job
that cannot be sent (Redis down) is logged and picked up by the recovery sweep: the rows it
would act on are already committed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
JobFn = Callable[..., Any]
REGISTRY: dict[str, JobFn] = {}
_SESSION_KEY = "hotline_jobs"
KNOWN_JOBS = "hotline_known_jobs"  # session-factory info: the names this process can run
WorkerHook = Callable[[Any], None]
WORKER_START: list[WorkerHook] = []


def job(name: str) -> Callable[[JobFn], JobFn]:
    """Register a job under its explicit, stable name."""

    def register(fn: JobFn) -> JobFn:
        REGISTRY[name] = fn
        return fn

    return register


def on_worker_start(fn: WorkerHook) -> WorkerHook:
    """Register work a job worker does once before it takes jobs (e.g. load a model before forking)."""
    WORKER_START.append(fn)
    return fn


class JobQueue(Protocol):
    def send(self, name: str, args: tuple) -> None:
        """Hand a job to whatever runs jobs; may raise when the broker is unreachable."""


@dataclass(frozen=True)
class Runtime:
    """What a job gets: the process context and a session factory wired to the same queue."""

    ctx: Any
    session_factory: sessionmaker[Session]
    queue: Any = None


def enqueue(session: Session, name: str, *args: Any) -> None:
    """Send `name(*args)` once this session's transaction commits; drop it if it rolls back."""
    known = session.info.get(KNOWN_JOBS)
    if known is not None and name not in known:
        raise KeyError(f"no job named {name}")
    session.info.setdefault(_SESSION_KEY, []).append((name, args))


def install_after_commit(factory: sessionmaker[Session], queue: JobQueue) -> None:
    @event.listens_for(factory, "after_commit")
    def _send(session: Session) -> None:
        for name, args in session.info.pop(_SESSION_KEY, []):
            try:
                queue.send(name, args)
            except Exception as exc:  # the broker is down: the committed rows wait for recovery
                log.warning("job %s%s not sent (%s); the recovery sweep will pick it up", name, args, exc)

    @event.listens_for(factory, "after_rollback")
    def _drop(session: Session) -> None:
        session.info.pop(_SESSION_KEY, None)


class InProcessQueue:
    """Runs jobs on one background thread of this process (embedded mode and the demo)."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hotline-job")
        self._futures: set[Future] = set()
        self._lock = threading.Lock()
        self.runtime: Runtime | None = None

    def send(self, name: str, args: tuple) -> None:
        future = self._executor.submit(self._run, name, args)
        with self._lock:
            self._futures.add(future)
        future.add_done_callback(self._forget)

    def _run(self, name: str, args: tuple) -> None:
        try:
            REGISTRY[name](self.runtime, *args)
        except Exception:
            log.exception("job %s%s failed", name, args)

    def _forget(self, future: Future) -> None:
        with self._lock:
            self._futures.discard(future)

    def drain(self, timeout: float = 30) -> None:
        """Wait until every job sent so far (and any job they sent) has run."""
        while True:
            with self._lock:
                pending = set(self._futures)
            if not pending:
                return
            wait(pending, timeout=timeout)


class CeleryQueue:
    def __init__(self, app) -> None:
        self.app = app

    def send(self, name: str, args: tuple) -> None:
        self.app.send_task(name, args=list(args))


class Ticker:
    """Embedded stand-in for Celery beat: sends the periodic jobs every `interval` seconds."""

    def __init__(self, queue: JobQueue, names: list[str], interval: float):
        self.queue, self.names, self.interval = queue, names, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="hotline-ticker", daemon=True)

    def start(self) -> Ticker:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            for name in self.names:
                self.queue.send(name, ())
