"""What callbacks need from their process: dispatch's collaborators, and a dialler for automated surveys."""

from __future__ import annotations

from typing import Protocol

from hotline.dispatch.ports import DispatchEnv


class Dialer(Protocol):
    def originate(self, action_id: str, channel: str, context: str, exten: str, caller_id: str,
                  variables: dict[str, str], channel_id: str | None = None) -> dict: ...


class CallbacksEnv(DispatchEnv, Protocol):
    @property
    def pbx(self) -> Dialer: ...
