"""What statistics need from their process: the clock, the local calendar and the configuration."""

from __future__ import annotations

from typing import Protocol

from hotline.core.env import BaseEnv
from hotline.dispatch.sla import SlaPolicy


class StatsEnv(BaseEnv, Protocol):
    @property
    def sla(self) -> SlaPolicy: ...
