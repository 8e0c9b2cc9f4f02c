"""The intake draft of a call while it goes on: the citizen's finished utterances, as the live stream
delivers them, analysed again on each new one — at most every `throttle_s`, so a fast talker costs
one analysis per interval, while the first words after a pause are analysed at once (a danger must
not wait). The operator's own side is never analysed: it is the hotline talking."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

CITIZEN = "citizen"


def is_danger(draft: dict[str, Any]) -> bool:
    """Danger to life or property: the analyser's own flag when it gives one, else the emergency tier."""
    flag = draft.get("danger")
    return bool(flag) if flag is not None else draft.get("tier") == "emergency"


class LiveDraft:
    def __init__(self, linkedid: str, analyse: Callable[[str], dict[str, Any]], *, max_chars: int = 2000,
                 throttle_s: float = 0.5, clock: Callable[[], float] = time.monotonic) -> None:
        self.linkedid, self.analyse, self.max_chars = linkedid, analyse, max_chars
        self.throttle_s, self.clock = throttle_s, clock
        self.said: list[str] = []
        self.seen: set[tuple[str, int]] = set()  # (stream, seq): a final heard twice counts once
        self.dirty = False
        self.last_at: float | None = None
        self.count = 0

    def heard(self, event: dict[str, Any]) -> None:
        """Take a live event; only the citizen's finals change the draft."""
        if event.get("type") != "live_final" or event.get("direction") != CITIZEN or not event.get("text"):
            return
        key = (str(event.get("stream")), int(event.get("seq") or 0))
        if key in self.seen:
            return
        self.seen.add(key)
        self.said.append(str(event["text"]))
        self.dirty = True

    def due_in(self) -> float | None:
        """Seconds until the next analysis is due; None when nothing new was said."""
        if not self.dirty:
            return None
        if self.last_at is None:
            return 0.0
        return max(0.0, self.last_at + self.throttle_s - self.clock())

    def text(self) -> str:
        return "，".join(self.said)[-self.max_chars:]

    def draft(self) -> dict[str, Any] | None:
        """The event to send when an analysis is due (None otherwise)."""
        if self.due_in() != 0.0:
            return None
        self.dirty, self.last_at = False, self.clock()
        found = self.analyse(self.text())
        self.count += 1
        return {"type": "live_draft", "linkedid": self.linkedid, "seq": self.count, "text": self.text(),
                "draft": found, "danger": is_danger(found)}
