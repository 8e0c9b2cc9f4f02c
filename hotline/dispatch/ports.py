"""What the dispatch domain needs from its process, as a Protocol (the runtime's context satisfies it)."""

from __future__ import annotations

from typing import Protocol

from hotline.core.env import BaseEnv
from hotline.dispatch.calendar import WorkingCalendar
from hotline.dispatch.routing import Router
from hotline.dispatch.sla import SlaPolicy


class DispatchEnv(BaseEnv, Protocol):
    """Clock, calendar, deadlines, routing, the signing secret and the operator's configuration."""

    @property
    def calendar(self) -> WorkingCalendar: ...

    @property
    def sla(self) -> SlaPolicy: ...

    @property
    def router(self) -> Router: ...

    @property
    def secret(self) -> bytes: ...
