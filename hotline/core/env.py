"""What every domain's environment holds: the process settings, the centre's configuration, the clock.
Each domain's Env Protocol adds what it needs beyond these."""

from __future__ import annotations

from typing import Protocol

from hotline.core.clock import Clock
from hotline.core.config import HotlineConfig
from hotline.core.settings import Settings


class BaseEnv(Protocol):
    @property
    def settings(self) -> Settings: ...

    @property
    def config(self) -> HotlineConfig: ...

    @property
    def clock(self) -> Clock: ...
