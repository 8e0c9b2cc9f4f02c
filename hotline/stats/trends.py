"""Trends (走势): the rates by day or by week over a period, for a department's subtree.

Each point is the same arithmetic as `StatsService.rates` over the point's days: counters summed per
department from roll-ups where a day is built, live from the operational tables otherwise, then divided.
Labels are Chinese and come from here, so every page and export names a point the same way."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter, defaultdict

from hotline.core.actor import SYSTEM, Actor
from hotline.core.errors import InvalidInputError
from hotline.stats import formulas
from hotline.stats.formulas import RATE_BY_NAME, Period
from hotline.stats.service import StatsService, _runs, _unit_dict

# The rates a trend draws, in the order a supervisor reads them (every rate is in each point's `rates`).
TREND_RATES = ("sign_on_time_rate", "reply_on_time_rate", "complete_on_time_rate", "completion_rate",
               "satisfaction_rate", "redo_rate", "return_rate")
TREND_COUNTS = ("received", "dispatched", "completed", "unsatisfied")
MAX_POINTS = {"day": 92, "week": 106}  # a quarter by day, two years by week
DayTotals = dict[dt.date, dict[int | None, Counter]]


def buckets(period: Period, by: str) -> list[tuple[dt.date, dt.date]]:
    """The period cut into days, or into Monday–Sunday weeks clipped to the period."""
    if by == "day":
        points = [(d, d) for d in period.days()]
    else:
        points, first = [], period.start
        while first <= period.end:
            last = min(first + dt.timedelta(days=6 - first.weekday()), period.end)
            points.append((first, last))
            first = last + dt.timedelta(days=1)
    if len(points) > MAX_POINTS[by]:
        raise InvalidInputError(f"a trend by {by} shows at most {MAX_POINTS[by]} points; this period has "
                                f"{len(points)}", error_id="trend_too_long")
    return points


def point_label(first: dt.date, last: dt.date) -> tuple[str, str]:
    """(label, short): 「11月23日」 or 「11月23日–29日」 / 「11月30日–12月6日」; short for an axis: 「11/23」."""
    short = f"{first.month}/{first.day}"
    if first == last:
        return f"{first.month}月{first.day}日", short
    end = f"{last.day}日" if last.month == first.month else f"{last.month}月{last.day}日"
    return f"{first.month}月{first.day}日–{end}", short


class TrendService:
    def __init__(self, stats: StatsService) -> None:
        self.stats = stats
        self.repo = stats.repo

    def daily(self, period: Period, *, use_rollups: bool = True) -> DayTotals:
        """Counter sums per local day and department (None: the hotline centre)."""
        built = set(self.repo.built_days(period.start, period.end)) if use_rollups else set()
        out: DayTotals = defaultdict(lambda: defaultdict(Counter))
        for day, department_id, metric, value in self.repo.rolled_up_by_day(sorted(built)) if built else []:
            out[_as_date(day)][department_id][metric] += int(value or 0)
        until = self.stats.ctx.clock.now() + dt.timedelta(microseconds=1)
        for first, last in _runs([d for d in period.days() if d not in built]):
            lo = self.stats._start_of(first)
            hi = min(self.stats._start_of(last + dt.timedelta(days=1)), until)
            if hi <= lo:
                continue
            for day, department_id, metric, value in self.repo.live_by_day(lo, hi):
                out[_as_date(day)][department_id][metric] += round(float(value or 0))
        return out

    def trends(self, period: Period, by: str = "day", department: str | None = None, actor: Actor = SYSTEM,
               *, use_rollups: bool = True) -> dict:
        """The chosen rates at each day or week of the period, with the counts beneath them."""
        points = buckets(period, by)
        unit, include_centre = self.stats._root(department, actor)
        days = self.daily(period, use_rollups=use_rollups)
        out = []
        for first, last in points:
            merged: dict[int | None, Counter] = defaultdict(Counter)
            for day in Period(first, last).days():
                for department_id, counts in days.get(day, {}).items():
                    merged[department_id].update(counts)
            counts = self.stats._sum(merged, unit, include_centre)
            label, short = point_label(first, last)
            out.append({"from": first.isoformat(), "to": last.isoformat(), "label": label, "short": short,
                        "counts": {k: counts[k] for k in TREND_COUNTS}, "rates": formulas.rates(counts)})
        return {"period": period.as_dict(), "department": _unit_dict(unit), "by": by,
                "series": [{"rate": name, "label": RATE_BY_NAME[name].label,
                            "lower_is_better": RATE_BY_NAME[name].lower_is_better} for name in TREND_RATES],
                "count_labels": {k: formulas.COUNTERS[k] for k in TREND_COUNTS}, "points": out}


def trends_csv(trend: dict) -> str:
    """One row per day or week: the period, each rate in percent, the counts beneath."""
    series, counts = trend["series"], list(trend["count_labels"])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["时段", "开始", "结束", *(s["label"] for s in series), *trend["count_labels"].values()])
    for point in trend["points"]:
        writer.writerow([point["label"], point["from"], point["to"],
                         *(_percent(point["rates"][s["rate"]]) for s in series),
                         *(point["counts"][k] for k in counts)])
    return out.getvalue()


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def _as_date(day: dt.date | str) -> dt.date:
    return day if isinstance(day, dt.date) else dt.date.fromisoformat(str(day)[:10])
