"""Process wiring: settings, validated config, clock, calendar and SLA policy built in one place."""

from __future__ import annotations

from dataclasses import dataclass

from hotline.core.clock import Clock, SystemClock
from hotline.core.config import HotlineConfig, load_config
from hotline.core.settings import Settings, get_settings
from hotline.dispatch.calendar import WorkingCalendar
from hotline.dispatch.sla import SlaPolicy


@dataclass(frozen=True)
class Context:
    settings: Settings
    config: HotlineConfig
    clock: Clock
    calendar: WorkingCalendar
    sla: SlaPolicy
    secret: bytes


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
        secret=settings.secret(),
    )
