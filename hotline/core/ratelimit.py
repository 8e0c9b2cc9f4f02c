"""Fixed-window rate limits: in memory on embedded defaults, shared through Redis in production."""

from __future__ import annotations

import threading
import time
from typing import Protocol


class RateLimiter(Protocol):
    def hit(self, key: str, limit: int, window_s: int) -> bool:
        """Count one attempt; False once `limit` attempts were made in the current window."""


class MemoryRateLimiter:
    def __init__(self) -> None:
        self._windows: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, limit: int, window_s: int) -> bool:
        window = int(time.time() // window_s)
        with self._lock:
            start, count = self._windows.get(key, (window, 0))
            count = count + 1 if start == window else 1
            self._windows[key] = (window, count)
            if len(self._windows) > 100_000:  # forget old windows rather than grow without bound
                self._windows = {k: v for k, v in self._windows.items() if v[0] == window}
        return count <= limit


class RedisRateLimiter:
    def __init__(self, url: str, namespace: str) -> None:
        import redis

        self.prefix = f"hotline:{namespace}:rl:"  # another centre on the same Redis counts apart
        self._redis = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self._fallback = MemoryRateLimiter()

    def hit(self, key: str, limit: int, window_s: int) -> bool:
        window = int(time.time() // window_s)
        name = f"{self.prefix}{key}:{window}"
        try:
            pipe = self._redis.pipeline()
            pipe.incr(name)
            pipe.expire(name, window_s)
            count = pipe.execute()[0]
        except Exception:  # Redis away: keep limiting in this process rather than not at all
            return self._fallback.hit(key, limit, window_s)
        return count <= limit


def make_rate_limiter(redis_url: str | None, namespace: str = "default") -> RateLimiter:
    return RedisRateLimiter(redis_url, namespace) if redis_url else MemoryRateLimiter()
