"""What a live stream says, and the port it says it through: started, partial, final, ended.

Every event names the call (Linkedid), the side (citizen or operator) and the stream, and carries
`seq`, its number within the stream, so a console can drop what it has already seen. Times are
seconds of the stream's audio (`audio_s`, word `start`/`end`), counted from the stream's first
frame; `started_at` in the started event anchors them to the wall clock.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, Protocol

log = logging.getLogger(__name__)


def call_channel(linkedid: str) -> str:
    """The live channel of one call: everyone following the call (its operator, supervisors) listens here."""
    return f"call:{linkedid}"


@dataclass(frozen=True)
class LiveEvent:
    """What every live event carries; `body()` is its JSON on the bus."""

    linkedid: str
    direction: str
    stream: str
    seq: int
    type: ClassVar[str] = "live"

    def channel(self) -> str:
        return call_channel(self.linkedid)

    def body(self) -> dict[str, Any]:
        return {"type": self.type, **asdict(self)}


@dataclass(frozen=True)
class LiveStarted(LiveEvent):
    """The stream's UUID arrived: audio follows."""

    started_at: float = 0.0  # Unix time of the UUID frame
    type: ClassVar[str] = "live_started"


@dataclass(frozen=True)
class LivePartial(LiveEvent):
    """The utterance so far; the next partial or the final replaces it."""

    text: str = ""  # normalised (Chinese tokens joined, spoken numbers as digits)
    raw: str = ""  # the recogniser's tokens
    audio_s: float = 0.0  # audio heard when this was recognised
    type: ClassVar[str] = "live_partial"


@dataclass(frozen=True)
class LiveFinal(LiveEvent):
    """One finished utterance, with word timings and confidences."""

    text: str = ""
    raw: str = ""
    words: tuple[dict[str, Any], ...] = field(default_factory=tuple)  # {"word", "start", "end", "conf"}
    start_s: float = 0.0
    end_s: float = 0.0
    audio_s: float = 0.0
    type: ClassVar[str] = "live_final"

    def body(self) -> dict[str, Any]:
        return {**super().body(), "words": list(self.words)}


@dataclass(frozen=True)
class LiveEnded(LiveEvent):
    """The stream is over; the call may go on. `reason`: hangup (the socket closed or a hang-up frame),
    error (an error frame), timeout, truncated (closed inside a frame), reset, protocol_error,
    overloaded (recognition fell too far behind), recogniser_error, shutdown (the server stopped)."""

    reason: str = "hangup"
    audio_s: float = 0.0
    voiced_s: float = 0.0  # audio given to the recogniser: long silences are skipped
    finals: int = 0
    digits: str = ""  # DTMF heard on the stream
    detail: str = ""
    type: ClassVar[str] = "live_ended"


class LiveSink(Protocol):
    """Where live results go. Called on the event loop: it must not block for long."""

    def emit(self, event: LiveEvent) -> None: ...


class MemorySink:
    """Keeps every event (tests, benchmarks); `wait_for` blocks a thread until one matches."""

    def __init__(self) -> None:
        self.events: list[LiveEvent] = []
        self._changed = threading.Condition()

    def emit(self, event: LiveEvent) -> None:
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def of(self, stream: str, kind: type[LiveEvent] = LiveEvent) -> list[Any]:
        with self._changed:
            return [e for e in self.events if e.stream == stream and isinstance(e, kind)]

    def wait_for(self, predicate: Callable[[LiveEvent], bool], timeout: float = 10.0) -> LiveEvent:
        """The first event (already here or still to come) that matches; TimeoutError after `timeout`."""
        with self._changed:
            seen = 0
            deadline = time.monotonic() + timeout
            while True:
                for event in self.events[seen:]:
                    if predicate(event):
                        return event
                seen = len(self.events)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no matching live event within {timeout} s ({seen} events)")
                self._changed.wait(left)


class Publisher(Protocol):
    """The bus as this adapter needs it (hotline's MemoryBus and RedisBus have these methods)."""

    def publish(self, channel: str, message: dict[str, Any]) -> int: ...

    def publish_kept(self, channel: str, message: dict[str, Any]) -> int: ...


class BusSink:
    """Publishes each event on its call's channel from a thread of its own, so a slow Redis never
    holds up the streams; order is kept; a failure is logged and counted, never raised. All but partials
    are also kept on the channel, so a console that opens the call's stream late (or reconnects) gets the
    transcript so far; a partial is replaced within a fraction of a second by the next one or a final."""

    def __init__(self, bus: Publisher, max_queued: int = 10_000) -> None:
        self.bus = bus
        self.failures = 0
        self.dropped = 0
        self._queue: queue.Queue[LiveEvent | None] = queue.Queue(max_queued)
        self._thread = threading.Thread(target=self._run, name="live-publisher", daemon=True)
        self._thread.start()

    def emit(self, event: LiveEvent) -> None:
        try:
            self._queue.put_nowait(event)
        except queue.Full:
            self.dropped += 1
            if self.dropped % 1000 == 1:
                log.warning("live events dropped: the bus is not keeping up (%d so far)", self.dropped)

    def close(self, timeout: float = 5.0) -> None:
        """Publish what is queued, then stop."""
        self._queue.put(None)
        self._thread.join(timeout)

    def _run(self) -> None:
        while (event := self._queue.get()) is not None:
            try:
                if isinstance(event, LivePartial):
                    self.bus.publish(event.channel(), event.body())
                else:
                    self.bus.publish_kept(event.channel(), event.body())
            except Exception as exc:
                self.failures += 1
                log.warning("live %s for call %s not published: %s", event.type, event.linkedid, exc)
