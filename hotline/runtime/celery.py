"""Celery on Redis: every registered job becomes a task with the same name; beat runs the periodic ones."""

from __future__ import annotations

from celery import Celery
from celery.signals import worker_init, worker_process_init
from sqlalchemy.exc import OperationalError

from hotline.core.jobs import REGISTRY, WORKER_START, CeleryQueue, Runtime
from hotline.core.settings import Settings, get_settings
from hotline.runtime import registry

TIME_LIMIT = 300


_APPS: dict[str, Celery] = {}


def celery_app(settings: Settings | None = None) -> Celery:
    """The Celery app for this broker, made once per process."""
    settings = settings or get_settings()
    key = f"{settings.redis_url or ''}|{settings.namespace}"
    if key not in _APPS:
        _APPS[key] = _make_app(settings)
    return _APPS[key]


def _make_app(settings: Settings) -> Celery:
    app = Celery("hotline", broker=settings.redis_url, set_as_current=True)
    app.conf.update(
        task_acks_late=True,  # a job whose worker dies is delivered again
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_time_limit=TIME_LIMIT,
        task_soft_time_limit=TIME_LIMIT - 30,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        # A request must not hang when Redis is down: fail fast, the outbox keeps the work.
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5},
        broker_connection_timeout=2,
        broker_transport_options={
            # Another centre's workers on the same Redis database never take this centre's jobs.
            "global_keyprefix": f"hotline:{settings.namespace}:",
            "visibility_timeout": settings.job_visibility_timeout,
            # Look for jobs of dead workers often enough that they return soon after the timeout.
            "unacked_restore_interval": max(1, min(10, settings.job_visibility_timeout // 2)),
            "unacked_restore_throttle": 1,
        },
        timezone=settings.timezone,
        beat_schedule={name: {"task": name, "schedule": float(settings.sweep_interval_seconds)}
                       for name in registry.PERIODIC},
    )
    for name, fn in REGISTRY.items():
        app.task(name=name, bind=True, autoretry_for=(OperationalError,), retry_backoff=True,
                 max_retries=5)(_as_task(fn))
    return app


def _as_task(fn):
    def run(self, *args):
        return fn(_runtime(), *args)

    run.__name__ = fn.__name__
    run.__doc__ = fn.__doc__
    return run


_RUNTIME: Runtime | None = None


def _runtime() -> Runtime:
    """One context and connection pool per worker process, made after the fork."""
    global _RUNTIME
    if _RUNTIME is None:
        from hotline.runtime.context import build_context, runtime_on

        settings = get_settings()
        _RUNTIME = runtime_on(build_context(settings), CeleryQueue(celery_app(settings)))
    return _RUNTIME


@worker_process_init.connect
def _reset_after_fork(**_kwargs) -> None:
    global _RUNTIME
    _RUNTIME = None


@worker_init.connect
def _worker_start(**_kwargs) -> None:
    """Hooks the domains registered (the speech model loads in the parent before the pool forks, so
    every child shares one copy)."""
    settings = get_settings()
    for hook in WORKER_START:
        hook(settings)
