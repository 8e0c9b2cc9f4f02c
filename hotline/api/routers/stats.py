"""Statistics for supervisors and department heads: rates, the monthly ranking (JSON or CSV), hotspots."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from hotline.api.deps import Ctx, DbSession, StatsReader
from hotline.api.params import Limit, Offset
from hotline.api.schemas.inbox import InboxItem
from hotline.api.schemas.stats import AreaMapOut, HotspotOut, MonthlyOut, RankingOut, RatesOut, StatOrdersOut, TrendsOut
from hotline.api.uow import UnitOfWorkRoute
from hotline.dispatch.inbox import InboxPage
from hotline.stats.areas import AreaMap
from hotline.stats.drill import PARTS, StatOrders
from hotline.stats.formulas import Period
from hotline.stats.monthly import MonthlyReport
from hotline.stats.ports import StatsEnv
from hotline.stats.service import StatsService, ranking_csv
from hotline.stats.trends import TrendService, trends_csv
from hotline.telephony.repository import CallRepository

router = APIRouter(prefix="/api/v1/stats", tags=["statistics"], route_class=UnitOfWorkRoute)
ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"description": "not your role or outside your scope"}, 404: {"description": "no such department"},
          422: {"description": "invalid period"}}
Month = Annotated[str, Query(pattern=r"^\d{4}-\d{2}$", examples=["2026-11"])]
By = Annotated[str, Query(pattern="^(day|week)$", description="day, or week (Monday–Sunday)")]
Day = Annotated[dt.date | None, Query()]
Code = Annotated[str | None, Query(max_length=32, description="a department code; its whole subtree is counted")]


def _today(ctx: StatsEnv) -> dt.date:
    return ctx.sla.local_day(ctx.clock.now())


@router.get("/rates", response_model=RatesOut, responses=ERRORS,
            summary="受理率, 按时回复率, 办结率, 按时办结率, 满意率, 重办率, 回退率 and more for a period")
def rates(actor: StatsReader, session: DbSession, ctx: Ctx,
          date_from: Annotated[dt.date | None, Query(alias="from")] = None,
          date_to: Annotated[dt.date | None, Query(alias="to")] = None, department: Code = None):
    today = _today(ctx)
    period = Period(date_from or today.replace(day=1), date_to or today)
    return StatsService(session, ctx).rates(period, department, actor)


@router.get("/ranking", response_model=RankingOut, responses=ERRORS,
            summary="Monthly ranking of the units under a department (default: the city)")
def ranking(month: Month, actor: StatsReader, session: DbSession, ctx: Ctx, department: Code = None):
    return StatsService(session, ctx).ranking(Period.month(month), department, actor)


@router.get("/ranking.csv", responses={**ERRORS, 200: {"content": {"text/csv": {}}}},
            summary="The monthly ranking as CSV", response_class=Response)
def ranking_as_csv(month: Month, actor: StatsReader, session: DbSession, ctx: Ctx, department: Code = None):
    table = StatsService(session, ctx).ranking(Period.month(month), department, actor)
    return Response("\ufeff" + ranking_csv(table), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="ranking-{month}.csv"'})


@router.get("/hotspots", response_model=list[HotspotOut], responses=ERRORS,
            summary="Categories and places whose volume this week jumps against their recent weeks")
def hotspots(actor: StatsReader, session: DbSession, ctx: Ctx, as_of: dt.date | None = None):
    day = as_of or _today(ctx)
    Period(day, day)  # the same range checks as every period
    return StatsService(session, ctx).hotspots(day, actor)


def _orders(page: InboxPage, limit: int, offset: int, ctx: StatsEnv) -> StatOrdersOut:
    return StatOrdersOut(items=[InboxItem(**vars(r)) for r in page.items], total=page.total, limit=limit,
                         offset=offset, now=ctx.clock.now(), timezone=str(ctx.settings.timezone))


@router.get("/orders", response_model=StatOrdersOut, responses=ERRORS,
            summary="明细: the orders behind a rate — its numerator, its denominator or the rest (late, unsatisfied …)")
def orders_behind_rate(rate: Annotated[str, Query(max_length=40, examples=["complete_on_time_rate"])],
                       actor: StatsReader, session: DbSession, ctx: Ctx,
                       part: Annotated[str, Query(pattern="^(" + "|".join(PARTS) + ")$")] = "denominator",
                       date_from: Annotated[dt.date | None, Query(alias="from")] = None,
                       date_to: Annotated[dt.date | None, Query(alias="to")] = None, department: Code = None,
                       limit: Limit = 20, offset: Offset = 0):
    today = _today(ctx)
    period = Period(date_from or today.replace(day=1), date_to or today)
    page = StatOrders(session, ctx).behind_rate(actor, rate, part, period, department, limit, offset)
    return _orders(page, limit, offset, ctx)


@router.get("/hotspots/orders", response_model=StatOrdersOut, responses=ERRORS,
            summary="明细: the orders of a hotspot's current window (its category or place)")
def orders_behind_hotspot(kind: Annotated[str, Query(pattern="^(category|place)$")],
                          key: Annotated[str, Query(min_length=1, max_length=200)], actor: StatsReader,
                          session: DbSession, ctx: Ctx, as_of: dt.date | None = None, limit: Limit = 20,
                          offset: Offset = 0):
    day = as_of or _today(ctx)
    Period(day, day)
    page = StatOrders(session, ctx).behind_hotspot(actor, kind, key, day, limit, offset)
    return _orders(page, limit, offset, ctx)


def _period(ctx: StatsEnv, date_from: dt.date | None, date_to: dt.date | None, days: int) -> Period:
    """The period asked for; by default the last `days` local days up to today."""
    end = date_to or _today(ctx)
    Period(end, end)  # the same range checks as every period, before any arithmetic on a day like 0001-01-01
    return Period(date_from or end - dt.timedelta(days=days - 1), end)


def _csv(text: str, name: str) -> Response:
    """UTF-8 with a byte-order mark, so a spreadsheet opened by double-click reads the Chinese right."""
    return Response("\ufeff" + text, media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/display", responses=ERRORS, summary="How often the command centre's screens refresh and rotate")
def display(actor: StatsReader, ctx: Ctx) -> dict[str, int]:
    board = ctx.config.stats.board
    return {"service_level_seconds": board.service_level_seconds, "refresh_seconds": board.refresh_seconds,
            "wall_rotate_seconds": board.wall_rotate_seconds}


@router.get("/trends", response_model=TrendsOut, responses=ERRORS,
            summary="The rates by day or by week over a period (default: the last 30 days by day)")
def trends(actor: StatsReader, session: DbSession, ctx: Ctx, date_from: Annotated[Day, Query(alias="from")] = None,
           date_to: Annotated[Day, Query(alias="to")] = None, by: By = "day", department: Code = None):
    period = _period(ctx, date_from, date_to, 30 if by == "day" else 84)
    return TrendService(StatsService(session, ctx)).trends(period, by, department, actor)


@router.get("/trends.csv", responses={**ERRORS, 200: {"content": {"text/csv": {}}}},
            summary="The trend as CSV (UTF-8 with BOM, Chinese headers)", response_class=Response)
def trends_as_csv(actor: StatsReader, session: DbSession, ctx: Ctx,
                  date_from: Annotated[Day, Query(alias="from")] = None,
                  date_to: Annotated[Day, Query(alias="to")] = None, by: By = "day", department: Code = None):
    period = _period(ctx, date_from, date_to, 30 if by == "day" else 84)
    trend = TrendService(StatsService(session, ctx)).trends(period, by, department, actor)
    return _csv(trends_csv(trend), f"trends-{by}-{period.start}-{period.end}.csv")


@router.get("/areas", response_model=AreaMapOut, responses=ERRORS,
            summary="Orders being handled by street office / township, grouped by district (the map)")
def areas(actor: StatsReader, session: DbSession, ctx: Ctx, date_from: Annotated[Day, Query(alias="from")] = None,
          date_to: Annotated[Day, Query(alias="to")] = None):
    period = None
    if date_from or date_to:
        period = Period(date_from or dt.date(2000, 1, 1), date_to or _today(ctx))
    return AreaMap(StatsService(session, ctx)).orders_by_area(actor, period)


@router.get("/monthly", response_model=MonthlyOut, responses=ERRORS,
            summary="The month's figures for the 通报: rates against last month, ranking, trend, hotspots, calls")
def monthly(month: Month, actor: StatsReader, session: DbSession, ctx: Ctx, department: Code = None):
    report = MonthlyReport(StatsService(session, ctx)).build(month, department, actor)
    report["calls"] = _calls(session, ctx, Period.month(month)) if report["department"] is None else {}
    return report


def _calls(session, ctx: StatsEnv, period: Period) -> dict:
    """The month's citizens' calls (the centre's figures: shown when the report is the whole centre's)."""
    lo, hi = (dt.datetime.combine(d, dt.time(), tzinfo=ctx.sla.tz)
              for d in (period.start, period.end + dt.timedelta(days=1)))
    within = ctx.config.stats.board.service_level_seconds
    total, answered, abandoned, message, _ivr, wait, queued, in_time = CallRepository(session).counts(lo, hi, within)
    return {"calls": total, "answered": answered, "abandoned": abandoned, "message_left": message,
            "average_wait_seconds": round(float(wait), 1) if wait is not None else None,
            "service_level": round(in_time / queued, 4) if queued else None, "service_level_seconds": within}
