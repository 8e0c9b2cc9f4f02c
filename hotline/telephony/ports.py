"""The PBX port: what hotline asks of Asterisk (agents at queues, outgoing calls)."""

from __future__ import annotations

from typing import Protocol

from hotline.core.clock import Clock
from hotline.core.settings import Settings
from hotline.dispatch.sla import SlaPolicy
from hotline.live.notifier import Notifier


class Pbx(Protocol):
    def queue_add(self, queue: str, interface: str, member_name: str) -> dict: ...

    def queue_pause(self, queue: str, interface: str, paused: bool, reason: str = "") -> dict: ...

    def queue_remove(self, queue: str, interface: str) -> dict: ...

    def originate(self, action_id: str, channel: str, context: str, exten: str, caller_id: str,
                  variables: dict[str, str], channel_id: str | None = None) -> dict: ...

    def blind_transfer(self, action_id: str, channel: str, context: str, exten: str) -> dict: ...

    def attended_transfer(self, action_id: str, channel: str, context: str, exten: str) -> dict: ...

    def cancel_attended_transfer(self, channel: str) -> dict: ...

    def hold(self, action_id: str, citizen: str, operator: str, citizen_context: str,
             operator_context: str) -> dict: ...

    def take_back(self, action_id: str, operator: str, citizen: str) -> dict: ...

    def press(self, channel: str, digits: str) -> None: ...

    def send(self, action: dict[str, str]) -> dict: ...


class TelephonyEnv(Protocol):
    """What call tracking needs from its process: the clock, local time, settings and live events."""

    @property
    def settings(self) -> Settings: ...

    @property
    def clock(self) -> Clock: ...

    @property
    def sla(self) -> SlaPolicy: ...

    @property
    def live(self) -> Notifier: ...
