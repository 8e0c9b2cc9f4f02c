"""Rates, rankings and hotspots."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from hotline.api.schemas.inbox import InboxItem


class RatesOut(BaseModel):
    period: dict[str, str]
    department: dict[str, str] | None
    counts: dict[str, int]
    rates: dict[str, float | None]


class RankingRow(BaseModel):
    rank: int | None
    department: dict[str, str]
    volume: int
    score: float | None
    rates: dict[str, float | None]
    breakdown: list[dict]


class RankingOut(BaseModel):
    period: dict[str, str]
    department: dict[str, str] | None
    min_volume: int
    weights: dict[str, float]
    rows: list[RankingRow]


class HotspotOut(BaseModel):
    kind: str = Field(description="category or place")
    key: str
    label: str
    count: int
    baseline: float
    ratio: float
    examples: list[dict]


class StatOrdersOut(BaseModel):
    """明细: the orders behind a number, as the inbox's rows, paged."""

    items: list[InboxItem]
    total: int
    limit: int
    offset: int
    now: dt.datetime = Field(description="the server's clock, for countdowns")
    timezone: str = Field(description="the centre's time zone: every time is shown in it")
