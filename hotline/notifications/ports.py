"""What the notifications domain needs from its process: settings, the operator's configuration, the clock, the
signing secret, and — to deliver — one provider per channel (hotline/notifications/providers/)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from hotline.core.env import BaseEnv
from hotline.notifications.providers.base import Provider


class NoticesEnv(BaseEnv, Protocol):
    """Enough to write notices: which templates, which time zone, which secret seals the extraction code."""

    @property
    def secret(self) -> bytes: ...

class DeliveryEnv(NoticesEnv, Protocol):
    """Delivering needs the providers: sms, wechat, email, wecom, dingtalk and log."""

    @property
    def providers(self) -> Mapping[str, Provider]: ...
