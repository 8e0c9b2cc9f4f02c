"""Daily statistics roll-ups: one counter per (local day, department, metric)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class DailyCounter(Base):
    """`department_id` is NULL for the hotline centre's own counters (received, accepted, 直办)."""

    __tablename__ = "stats_daily"
    __table_args__ = (Index("ix_stats_daily_day", "day", "department_id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                    primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    department_id: Mapped[int | None]
    metric: Mapped[str] = mapped_column(String(32))
    value: Mapped[int] = mapped_column(BigInteger)


class RolledUpDay(Base):
    """A local day whose counters are in stats_daily, and when they were built."""

    __tablename__ = "stats_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    built_at: Mapped[datetime]
