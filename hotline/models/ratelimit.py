"""Attempts counted by the database: the limiter's store on embedded defaults and whenever Redis is away."""

from __future__ import annotations

from sqlalchemy import Float, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class RateLimitHit(Base):
    """One allowed attempt under `key` at `at` (seconds since the epoch); rows older than a day are purged."""

    __tablename__ = "rate_limit_hits"
    __table_args__ = (Index("ix_rate_limit_hits_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[float] = mapped_column(Float, index=True)
