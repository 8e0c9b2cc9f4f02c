"""What intake needs from its process: the analyser (built lazily), clock, config and places."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from hotline.core.clock import Clock
from hotline.core.config import HotlineConfig
from hotline.dispatch.routing import Router

if TYPE_CHECKING:
    from hotline.intake.analyzer import Analyzer
    from hotline.intake.slot import ModelSlot


class IntakeEnv(Protocol):
    @property
    def analyzer(self) -> Analyzer: ...

    @property
    def intake_model(self) -> ModelSlot: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def config(self) -> HotlineConfig: ...

    @property
    def router(self) -> Router: ...
