"""A process's runtime on the queue its settings choose: Celery on Redis, or a thread in this process."""

from __future__ import annotations

from hotline.core.jobs import CeleryQueue, InProcessQueue, JobQueue, Runtime
from hotline.core.settings import Settings
from hotline.intake import tasks as intake_tasks
from hotline.runtime.context import Context, runtime_on
from hotline.runtime.first_model import build_first_in_child

# In embedded mode a new centre's first intake model is built by a child process of its own: this is where it starts.
intake_tasks.use_child_build(build_first_in_child)


def default_queue(settings: Settings) -> JobQueue:
    """Celery on Redis when HOTLINE_REDIS_URL is set, else a thread in this process."""
    if settings.redis_url:
        from hotline.runtime.celery import celery_app

        return CeleryQueue(celery_app(settings))
    return InProcessQueue()


def open_runtime(ctx: Context, queue: JobQueue | None = None) -> Runtime:
    """The database and job queue for this process; jobs leave only after their transaction commits."""
    return runtime_on(ctx, queue or default_queue(ctx.settings))
