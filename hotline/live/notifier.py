"""One live notifier per process: publishes typed events on the bus, never failing the caller."""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol

from hotline.live.events import LiveEvent

log = logging.getLogger(__name__)


class Bus(Protocol):
    def publish(self, channel: str, message: dict[str, Any]) -> int: ...

    def kept(self, channel: str) -> list[dict[str, Any]]: ...

    def subscribe(self, *channels: str) -> AbstractAsyncContextManager[Any]: ...


class Notifier(Protocol):
    """What domains need: publish an event (best effort; what it reports is stored elsewhere)."""

    def publish(self, event: LiveEvent) -> None: ...


class LiveNotifier:
    def __init__(self, bus: Bus) -> None:
        self.bus = bus

    def publish(self, event: LiveEvent) -> None:
        body = event.body()
        for channel in event.channels():
            try:
                self.bus.publish(channel, body)
            except Exception as exc:  # live updates are best effort; the records are stored
                log.warning("live event %s to %s not published: %s", event.type, channel, exc)

    def subscribe(self, *channels: str) -> AbstractAsyncContextManager[Any]:
        return self.bus.subscribe(*channels)

    def kept(self, channel: str) -> list[dict[str, Any]]:
        """What the channel kept for late subscribers (hotline.live.bus); read after subscribing."""
        return self.bus.kept(channel)


class RecordingNotifier:
    """A notifier that keeps what it was given (tests)."""

    def __init__(self) -> None:
        self.events: list[LiveEvent] = []

    def publish(self, event: LiveEvent) -> None:
        self.events.append(event)
