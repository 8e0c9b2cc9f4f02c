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
    rows: list[RankingRow] = Field(description="the ranked units, best first")
    unranked: list[RankingRow] = Field(description="样本不足，不排名: under the minimum volume, no rank and no score")


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


class TrendSeries(BaseModel):
    rate: str
    label: str = Field(description="the rate's Chinese name")
    lower_is_better: bool


class TrendPoint(BaseModel):
    date_from: str = Field(alias="from")
    to: str
    label: str = Field(description="「11月23日」 or 「11月23日–29日」")
    short: str = Field(description="for an axis: 「11/23」")
    counts: dict[str, int]
    rates: dict[str, float | None]

    model_config = {"populate_by_name": True, "serialize_by_alias": True}


class TrendsOut(BaseModel):
    period: dict[str, str]
    department: dict[str, str] | None
    by: str = Field(description="day or week (Monday–Sunday, clipped to the period)")
    series: list[TrendSeries]
    count_labels: dict[str, str]
    points: list[TrendPoint]


class AreaOut(BaseModel):
    code: str
    name: str
    count: int = Field(description="orders being handled (在办) by the area's street office or township and below")
    level: int = Field(description="colour step 0–4 against the busiest area")
    drill: dict[str, str] = Field(description="the inbox filter listing the same orders")


class AreaGroupOut(BaseModel):
    code: str
    name: str
    total: int
    areas: list[AreaOut]


class AreaMapOut(BaseModel):
    period: dict[str, str] | None
    max: int
    total: int
    levels: list[dict]
    groups: list[AreaGroupOut]


class MonthlyFigure(BaseModel):
    name: str
    label: str
    value: int
    previous: int


class MonthlyRate(BaseModel):
    rate: str
    label: str
    value: float | None
    previous: float | None
    lower_is_better: bool


class MonthlyOut(BaseModel):
    month: str
    title: str
    scope: str
    period: dict[str, str]
    complete: bool = Field(description="false while the month is still running (counted up to today)")
    department: dict[str, str] | None
    counts: list[MonthlyFigure]
    rates: list[MonthlyRate]
    calls: dict[str, float | int | None]
    ranking: RankingOut
    trend: TrendsOut
    hotspots: list[HotspotOut]
