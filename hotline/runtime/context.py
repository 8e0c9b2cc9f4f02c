"""Process wiring: settings, validated config, clock, calendar, SLA policy, router, notification providers, the PBX,
the live notifier and the job queue — built in one place per process and handed to the domains,
each of which sees it only through the small Protocol it declares."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from hotline.core.clock import Clock, SystemClock
from hotline.core.config import HotlineConfig, load_config
from hotline.core.db import make_engine, make_session_factory
from hotline.core.jobs import KNOWN_JOBS, InProcessQueue, JobQueue, Runtime, install_after_commit
from hotline.core.settings import Settings, get_settings
from hotline.dispatch.calendar import WorkingCalendar
from hotline.dispatch.routing import Router
from hotline.dispatch.sla import SlaPolicy
from hotline.live.after_commit import install_live_after_commit
from hotline.live.bus import bus_for
from hotline.live.notifier import LiveNotifier
from hotline.notifications.providers.base import Provider
from hotline.notifications.setup import providers_for
from hotline.telephony.pbx import AmiPbx

if TYPE_CHECKING:
    from hotline.intake.analyzer import Analyzer
    from hotline.intake.slot import ModelSlot
    from hotline.knowledge.ports import Segmenter
    from hotline.knowledge.vocabulary import Vocabulary


@dataclass(frozen=True)
class Context:
    settings: Settings
    config: HotlineConfig
    clock: Clock
    calendar: WorkingCalendar
    sla: SlaPolicy
    router: Router
    secret: bytes
    providers: dict[str, Provider]
    pbx: AmiPbx
    live: LiveNotifier

    @cached_property
    def analyzer(self) -> Analyzer:
        """Built on first use: its pinyin and numeral libraries cost seconds a process may never need."""
        from hotline.intake.analyzer import Analyzer

        return Analyzer(self.config, self.router, self.intake_model)

    @cached_property
    def intake_model(self) -> ModelSlot:
        """The learned router's live model (read on first use, re-read when a new version goes live)."""
        from hotline.intake.slot import ModelSlot

        return ModelSlot(self.settings.intake_models)

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """The knowledge base's words, built on first use: loading jieba's dictionary takes a second or two."""
        from hotline.knowledge.vocabulary import Vocabulary

        return Vocabulary(self.config, process_segmenter())


@cache
def process_segmenter() -> Segmenter:
    """One Chinese segmenter per process, whatever contexts it builds (tests build one per test)."""
    from hotline.knowledge.segmenter import JiebaSegmenter

    return JiebaSegmenter()


def build_context(settings: Settings | None = None, *, clock: Clock | None = None,
                  config: HotlineConfig | None = None) -> Context:
    settings = settings or get_settings()
    config = config or load_config(settings.config_dir)
    calendar = WorkingCalendar(config.calendar)
    return Context(
        settings=settings,
        config=config,
        clock=clock or SystemClock(),
        calendar=calendar,
        sla=SlaPolicy(config.sla, calendar, settings.timezone),
        router=Router(config),
        secret=settings.secret(),
        providers=providers_for(settings, config),
        pbx=AmiPbx.from_settings(settings),
        live=LiveNotifier(bus_for(settings.redis_url, settings.namespace)),
    )


def session_factory_for(settings: Settings, queue: JobQueue) -> sessionmaker[Session]:
    """Sessions whose enqueued jobs leave only after their transaction commits."""
    from hotline.runtime.registry import job_names

    factory = make_session_factory(make_engine(settings.database_url, **settings.pool_options()))
    factory.kw["info"] = {KNOWN_JOBS: job_names()}
    install_after_commit(factory, queue)
    return factory


def runtime_on(ctx: Context, queue: JobQueue) -> Runtime:
    """The database and this job queue for a process; jobs leave only after their transaction commits."""
    runtime = Runtime(ctx, session_factory_for(ctx.settings, queue), queue)
    install_live_after_commit(runtime.session_factory, ctx.live)
    if isinstance(queue, InProcessQueue):
        queue.runtime = runtime
    return runtime
