"""The month's figures for the 通报 (monthly bulletin): the rates with last month beside them, the counts,
the ranking with the units not ranked apart, the weekly trend and the month's hotspots."""

from __future__ import annotations

import datetime as dt

from hotline.core.actor import SYSTEM, Actor
from hotline.stats.formulas import COUNTERS, RATES, Period
from hotline.stats.service import StatsService
from hotline.stats.trends import TrendService

BULLETIN_COUNTS = ("received", "accepted", "answered_directly", "dispatched", "completed", "returned",
                   "callbacks_reached", "satisfied", "basically_satisfied", "unsatisfied")


def previous_month(month: str) -> str:
    first = Period.month(month).start
    before = first - dt.timedelta(days=1)
    return f"{before.year:04d}-{before.month:02d}"


class MonthlyReport:
    def __init__(self, stats: StatsService) -> None:
        self.stats = stats

    def build(self, month: str, department: str | None = None, actor: Actor = SYSTEM) -> dict:
        period = Period.month(month)
        today = self.stats.ctx.sla.local_day(self.stats.ctx.clock.now())
        counted = Period(period.start, min(period.end, max(today, period.start)))
        now = self.stats.rates(counted, department, actor)
        before = self.stats.rates(Period.month(previous_month(month)), department, actor)
        scope = now["department"]["name"] if now["department"] else "全市"
        rates = [{"rate": r.name, "label": r.label, "value": now["rates"][r.name],
                  "previous": before["rates"][r.name], "lower_is_better": r.lower_is_better} for r in RATES]
        rates.append({"rate": "avg_handling_hours", "label": "平均办理时长（小时）",
                      "value": now["rates"]["avg_handling_hours"], "previous": before["rates"]["avg_handling_hours"],
                      "lower_is_better": True})
        return {
            "month": month, "title": f"{period.start.year}年{period.start.month}月 12345热线办理情况通报",
            "scope": scope, "period": counted.as_dict(), "complete": counted.end == period.end,
            "department": now["department"],
            "counts": [{"name": k, "label": COUNTERS[k], "value": now["counts"][k],
                        "previous": before["counts"][k]} for k in BULLETIN_COUNTS],
            "rates": rates,
            "ranking": self.stats.ranking(period, department, actor),
            "trend": TrendService(self.stats).trends(counted, "week", department, actor),
            "hotspots": self.stats.hotspots(counted.end, actor)[:10],
        }
