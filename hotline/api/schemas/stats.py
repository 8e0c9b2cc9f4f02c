"""Rates, rankings and hotspots."""

from __future__ import annotations

from pydantic import BaseModel, Field


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
