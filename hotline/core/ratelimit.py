"""Sliding-window attempt limits shared by every worker: in Redis, and in the database when Redis is away
or not configured — never in one process's memory, where N workers would allow N times the limit."""

from __future__ import annotations

import hashlib
import logging
import uuid
from typing import Protocol

log = logging.getLogger(__name__)

# One attempt is admitted when fewer than `limit` were admitted in the last `window` milliseconds (Redis's
# own clock, so workers on different hosts agree). Refused attempts are not counted: the limit is exact.
_SLIDING = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local window_ms = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms - window_ms)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now_ms, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window_ms)
return 1
"""


def subject_key(scope: str, subject: str) -> str:
    """The key of a limit on one subject (an account, a ticket) from wherever the attempts come."""
    return f"{scope}:{hashlib.sha256(subject.encode()).hexdigest()[:40]}"


class RateLimiter(Protocol):
    def hit(self, key: str, limit: int, window_s: int) -> bool:
        """Count one attempt; False when `limit` attempts were already admitted in the last `window_s` seconds."""


class RedisRateLimiter:
    """Redis first; while Redis cannot be reached, `fallback` (the database) counts for every worker alike."""

    def __init__(self, url: str, namespace: str, fallback: RateLimiter) -> None:
        import redis

        self.prefix = f"hotline:{namespace}:rl:"  # another centre on the same Redis counts apart
        self._redis = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self._script = self._redis.register_script(_SLIDING)
        self._fallback = fallback

    def hit(self, key: str, limit: int, window_s: int) -> bool:
        try:
            return bool(self._script(keys=[self.prefix + key], args=[limit, window_s * 1000, uuid.uuid4().hex]))
        except Exception as exc:  # any Redis failure: keep limiting, shared by all workers, through the database
            log.warning("rate limits counted in the database: Redis unavailable (%s)", type(exc).__name__)
            return self._fallback.hit(key, limit, window_s)


def make_rate_limiter(redis_url: str | None, namespace: str, database: RateLimiter) -> RateLimiter:
    return RedisRateLimiter(redis_url, namespace, database) if redis_url else database
