"""The API process: its context, job queue and, on embedded defaults, the periodic-job ticker."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import FastAPI

from hotline.api.app import build_app
from hotline.core.jobs import InProcessQueue, JobQueue, Runtime, Ticker
from hotline.core.logging import setup_logging
from hotline.core.settings import get_settings
from hotline.runtime.boot import default_queue, open_runtime
from hotline.runtime.context import Context, build_context
from hotline.runtime.registry import PERIODIC


def create_app(ctx: Context, runtime: Runtime | None = None, queue: JobQueue | None = None) -> FastAPI:
    """The app for this process; without a runtime one is opened on `queue` (default: by settings)."""
    queue = queue if queue is not None else (runtime.queue if runtime else default_queue(ctx.settings))
    runtime = runtime or open_runtime(ctx, queue)

    @contextmanager
    def ticker() -> Iterator[None]:
        # Embedded mode has no Celery beat: this process sends the periodic jobs itself.
        running = Ticker(queue, PERIODIC, ctx.settings.sweep_interval_seconds).start() \
            if isinstance(queue, InProcessQueue) else None
        try:
            yield
        finally:
            if running:
                running.stop()

    return build_app(ctx, runtime, ticker)


def app_factory() -> FastAPI:
    """Entry for uvicorn workers: `uvicorn --factory hotline.runtime.api:app_factory`."""
    settings = get_settings()
    setup_logging(settings.log_level)
    return create_app(build_context(settings))
