"""The rate limiter's database store: a sliding log of admitted attempts, one short transaction per attempt,
committed apart from the request (a refused login rolls its request back, never its count)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from sqlalchemy import Engine, delete, func, insert, select, text

from hotline.models import RateLimitHit

PURGE_AFTER_S = 86_400


class DatabaseRateLimiter:
    """Attempts serialised per key — PostgreSQL by an advisory lock on the key, SQLite by its one writer — so
    concurrent workers cannot both see room for the last attempt."""

    def __init__(self, engine: Engine, now: Callable[[], float] = time.time) -> None:
        self.engine, self.now = engine, now

    def hit(self, key: str, limit: int, window_s: int) -> bool:
        now = self.now()
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})
            conn.execute(delete(RateLimitHit).where(RateLimitHit.key == key, RateLimitHit.at <= now - window_s))
            admitted = conn.scalar(select(func.count()).select_from(RateLimitHit).where(RateLimitHit.key == key))
            if (admitted or 0) >= limit:
                return False
            conn.execute(insert(RateLimitHit).values(key=key, at=now))
            if random.random() < 0.01:  # keys nobody tries again are dropped now and then
                conn.execute(delete(RateLimitHit).where(RateLimitHit.at < now - PURGE_AFTER_S))
        return True
