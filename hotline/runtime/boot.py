"""A process's runtime on the queue its settings choose: Celery on Redis, or a thread in this process."""

from __future__ import annotations

from hotline.core.jobs import CeleryQueue, InProcessQueue, JobQueue, Runtime
from hotline.core.settings import Settings
from hotline.runtime.context import Context, runtime_on


def default_queue(settings: Settings) -> JobQueue:
    """Celery on Redis when HOTLINE_REDIS_URL is set, else a thread in this process."""
    if settings.redis_url:
        from hotline.runtime.celery import celery_app

        return CeleryQueue(celery_app(settings))
    return InProcessQueue()


def open_runtime(ctx: Context, queue: JobQueue | None = None) -> Runtime:
    """The database and job queue for this process; jobs leave only after their transaction commits."""
    return runtime_on(ctx, queue or default_queue(ctx.settings))
