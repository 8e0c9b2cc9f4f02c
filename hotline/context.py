"""Process wiring: settings, validated config, clock, calendar, SLA policy, router and job queue,
built in one place per process."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.core.clock import Clock, SystemClock
from hotline.core.config import HotlineConfig, load_config
from hotline.core.db import make_engine, make_session_factory
from hotline.core.jobs import CeleryQueue, InProcessQueue, JobQueue, Runtime, install_after_commit
from hotline.core.settings import Settings, get_settings
from hotline.dispatch.calendar import WorkingCalendar
from hotline.dispatch.routing import Router
from hotline.dispatch.sla import SlaPolicy
from hotline.intake.analyzer import Analyzer
from hotline.notifications.ports import Notifier, notifiers_for


@dataclass(frozen=True)
class Context:
    settings: Settings
    config: HotlineConfig
    clock: Clock
    calendar: WorkingCalendar
    sla: SlaPolicy
    router: Router
    notifiers: dict[str, Notifier]
    secret: bytes
    analyzer: Analyzer


def build_context(settings: Settings | None = None, *, clock: Clock | None = None,
                  config: HotlineConfig | None = None) -> Context:
    settings = settings or get_settings()
    config = config or load_config(settings.config_dir)
    calendar = WorkingCalendar(config.calendar)
    router = Router(config)
    return Context(
        settings=settings,
        config=config,
        clock=clock or SystemClock(),
        calendar=calendar,
        sla=SlaPolicy(config.sla, calendar, settings.timezone),
        router=router,
        notifiers=notifiers_for(settings.var_dir),
        secret=settings.secret(),
        analyzer=Analyzer(config, router),
    )


def default_queue(settings: Settings) -> JobQueue:
    """Celery on Redis when HOTLINE_REDIS_URL is set, else a thread in this process."""
    if settings.redis_url:
        from hotline.core.celery_app import celery_app

        return CeleryQueue(celery_app(settings))
    return InProcessQueue()


def open_runtime(ctx: Context, queue: JobQueue | None = None) -> Runtime:
    """The database and job queue for this process; jobs leave only after their transaction commits."""
    import hotline.jobs  # noqa: F401  (registers every job)

    queue = queue or default_queue(ctx.settings)
    factory = make_session_factory(make_engine(ctx.settings.database_url))
    install_after_commit(factory, queue)
    runtime = Runtime(ctx, factory, queue)
    if isinstance(queue, InProcessQueue):
        queue.runtime = runtime
    return runtime
