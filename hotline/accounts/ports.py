"""What accounts need from their process: the clock and the signing secret."""

from __future__ import annotations

from typing import Protocol

from hotline.core.clock import Clock


class AccountsEnv(Protocol):
    @property
    def clock(self) -> Clock: ...

    @property
    def secret(self) -> bytes: ...
