"""The notifier port and its adapters; only an adapter module talks to a provider."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    key: str  # providers receive it as their idempotency key (e.g. an SMS OutId)
    channel: str
    recipient: str
    subject: str
    body: str


class DeliveryError(Exception):
    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.permanent = permanent


class Notifier(Protocol):
    def send(self, message: Message) -> None:
        """Deliver or raise DeliveryError (permanent=True when retrying cannot help)."""


class LogNotifier:
    """Writes each message as one JSON line (and to the log): the adapter for demo and tests,
    and a record of what left the system when a real provider is not configured."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()

    def send(self, message: Message) -> None:
        line = json.dumps(message.__dict__, ensure_ascii=False)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        log.info("notify %s → %s: %s", message.channel, message.recipient, message.subject)


CHANNELS = ("sms", "wechat", "email")


def notifiers_for(var_dir: Path) -> dict[str, Notifier]:
    """One notifier per channel; every channel logs to var/notifications.log until a provider is wired."""
    adapter = LogNotifier(var_dir / "notifications.log")
    return dict.fromkeys(CHANNELS, adapter)
