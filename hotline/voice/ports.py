"""What the voice domain needs: dispatch's and intake's collaborators, settings and live events."""

from __future__ import annotations

from typing import Protocol

from hotline.dispatch.ports import DispatchEnv
from hotline.intake.ports import IntakeEnv
from hotline.live.notifier import Notifier


class VoiceEnv(DispatchEnv, IntakeEnv, Protocol):
    @property
    def live(self) -> Notifier: ...
