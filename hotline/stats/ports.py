"""What statistics need from their process: the clock, the local calendar and the configuration."""

from __future__ import annotations

from typing import Protocol

from hotline.core.clock import Clock
from hotline.core.config import HotlineConfig
from hotline.core.settings import Settings
from hotline.dispatch.sla import SlaPolicy


class StatsEnv(Protocol):
    @property
    def settings(self) -> Settings: ...

    @property
    def config(self) -> HotlineConfig: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def sla(self) -> SlaPolicy: ...
