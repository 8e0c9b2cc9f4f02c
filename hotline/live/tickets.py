"""Stream tickets: what a browser puts in the live stream's address instead of its access token.

EventSource cannot send headers, so something must ride in the URL, and URLs end up in access logs.
A ticket is random, good for one thing (opening the live stream), for a few seconds, and only once:
a logged ticket is worthless. In memory on embedded defaults; through Redis when API processes are
several, so any worker can take the ticket another issued.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from typing import Protocol

TTL_SECONDS = 30


class StreamTickets(Protocol):
    def issue(self, user_id: int) -> str:
        """A fresh ticket for this account."""

    def take(self, ticket: str) -> int | None:
        """The account the ticket was issued to, once; None when unknown, expired or already used."""


def _key(ticket: str) -> str:
    return hashlib.sha256(ticket.encode()).hexdigest()  # stored only as a hash, like refresh tokens


class MemoryStreamTickets:
    def __init__(self, ttl: int = TTL_SECONDS) -> None:
        self.ttl = ttl
        self._tickets: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def issue(self, user_id: int) -> str:
        ticket = secrets.token_urlsafe(32)
        now = time.monotonic()
        with self._lock:
            self._tickets = {k: v for k, v in self._tickets.items() if v[0] > now}
            self._tickets[_key(ticket)] = (now + self.ttl, user_id)
        return ticket

    def take(self, ticket: str) -> int | None:
        with self._lock:
            entry = self._tickets.pop(_key(ticket), None)
        if entry is None or entry[0] <= time.monotonic():
            return None
        return entry[1]


class RedisStreamTickets:
    def __init__(self, url: str, namespace: str, ttl: int = TTL_SECONDS) -> None:
        import redis

        self.ttl = ttl
        self.prefix = f"hotline:{namespace}:stream-ticket:"
        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)

    def issue(self, user_id: int) -> str:
        ticket = secrets.token_urlsafe(32)
        self._redis.set(self.prefix + _key(ticket), str(user_id), ex=self.ttl, nx=True)
        return ticket

    def take(self, ticket: str) -> int | None:
        value = self._redis.getdel(self.prefix + _key(ticket))  # atomic: two workers never both take it
        return int(value) if value is not None else None


def stream_tickets_for(redis_url: str | None, namespace: str) -> StreamTickets:
    return RedisStreamTickets(redis_url, namespace) if redis_url else MemoryStreamTickets()
