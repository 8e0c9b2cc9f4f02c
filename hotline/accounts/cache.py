"""Accounts as actors for a few seconds, so a request does not read its account every time.

An account disabled through hotline is dropped at once in this process, and every other API process
drops it when the notice reaches it on the live bus; the short lifetime bounds anything missed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from hotline.core.actor import Actor

TTL_SECONDS = 30.0


class ActorCache:
    def __init__(self, ttl: float = TTL_SECONDS, clock: Callable[[], float] = time.monotonic,
                 max_entries: int = 10_000) -> None:
        self.ttl, self.clock, self.max_entries = ttl, clock, max_entries
        self._entries: dict[int, tuple[float, Actor]] = {}
        self._lock = threading.Lock()

    def get(self, user_id: int) -> Actor | None:
        with self._lock:
            entry = self._entries.get(user_id)
            if entry is None or entry[0] <= self.clock():
                self._entries.pop(user_id, None)
                return None
            return entry[1]

    def put(self, actor: Actor) -> None:
        if actor.user_id is None:
            return
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()  # bounded: a cold cache costs a read per user, never memory
            self._entries[actor.user_id] = (self.clock() + self.ttl, actor)

    def drop(self, user_id: int) -> None:
        with self._lock:
            self._entries.pop(user_id, None)
