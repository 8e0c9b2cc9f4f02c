"""What the desks need from their process: dispatch's collaborators, the PBX and the live notifier."""

from __future__ import annotations

from typing import Protocol

from hotline.dispatch.ports import DispatchEnv
from hotline.intake.ports import IntakeEnv
from hotline.live.notifier import Notifier
from hotline.telephony.ports import Pbx


class DeskEnv(DispatchEnv, IntakeEnv, Protocol):
    @property
    def pbx(self) -> Pbx: ...

    @property
    def live(self) -> Notifier: ...


class EmergencyEnv(DeskEnv, IntakeEnv, Protocol):
    """The one-key emergency order: the desk's collaborators and the intake analyser."""
