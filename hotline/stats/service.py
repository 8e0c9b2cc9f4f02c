"""Rates for any period and department subtree, the monthly ranking, hotspots, and the daily roll-ups.

Counting happens in SQL (stats/counters.py); Python only adds up at most one row per department
and metric and divides (stats/formulas.py). Days already rolled up are read from stats_daily,
the rest (today, or days nobody rolled up yet) straight from the operational tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from hotline.core.actor import SYSTEM, Actor
from hotline.core.errors import NotFoundError, PermissionDeniedError
from hotline.dispatch.scope import disclosure
from hotline.models import WorkOrder
from hotline.stats import formulas
from hotline.stats.formulas import Period
from hotline.stats.ports import StatsEnv
from hotline.stats.repository import StatsRepository


@dataclass(frozen=True)
class Unit:
    id: int
    code: str
    name: str
    path: str


class StatsService:
    def __init__(self, session: Session, ctx: StatsEnv):
        self.ctx = ctx
        self.tz = ctx.sla.tz
        self.repo = StatsRepository(session, ctx.settings.timezone)
        self._unit_cache: dict[int, Unit] | None = None

    # -- counting ----------------------------------------------------------------------------

    def totals(self, period: Period, *, use_rollups: bool = True) -> dict[int | None, Counter]:
        """Counter sums per department (None: the hotline centre) over the period's local days."""
        built = set(self.repo.built_days(period.start, period.end)) if use_rollups else set()
        out: dict[int | None, Counter] = defaultdict(Counter)
        if built:
            for department_id, metric, value in self.repo.rolled_up(sorted(built)):
                out[department_id][metric] += int(value or 0)
        until = self.ctx.clock.now() + dt.timedelta(microseconds=1)  # what happened up to and including now
        for first, last in _runs([d for d in period.days() if d not in built]):
            lo, hi = self._start_of(first), min(self._start_of(last + dt.timedelta(days=1)), until)
            if hi <= lo:
                continue
            for department_id, metric, value in self.repo.live(lo, hi):
                out[department_id][metric] += round(float(value or 0))
        return out

    def rollup(self, first: dt.date, last: dt.date) -> int:
        """Rebuild the counters of local days first..last (finished days only); returns rows written."""
        today = self.ctx.sla.local_day(self.ctx.clock.now())
        last = min(last, today - dt.timedelta(days=1))
        if last < first:
            return 0
        return self.repo.rebuild(Period(first, last).days(), self._start_of(first),
                                 self._start_of(last + dt.timedelta(days=1)), self.ctx.clock.now())

    def nightly(self) -> list[dt.date]:
        """Once per local day, rebuild the recent days whose outcomes can still change; otherwise nothing."""
        today = self.ctx.sla.local_day(self.ctx.clock.now())
        yesterday = today - dt.timedelta(days=1)
        built_at = self.repo.built_at(yesterday)
        if built_at is not None and self.ctx.sla.local_day(built_at) == today:
            return []
        first = today - dt.timedelta(days=self.ctx.config.stats.rollup.recompute_days)
        self.rollup(first, yesterday)
        return Period(first, yesterday).days()

    # -- what people ask ---------------------------------------------------------------------

    def rates(self, period: Period, department: str | None = None, actor: Actor = SYSTEM,
              *, use_rollups: bool = True) -> dict:
        """The rates of a department's subtree (default: what `actor` may see) over a period."""
        unit, include_centre = self._root(department, actor)
        totals = self.totals(period, use_rollups=use_rollups)
        counts = self._sum(totals, unit, include_centre)
        return {"period": period.as_dict(), "department": _unit_dict(unit), "counts": dict(counts),
                "rates": formulas.rates(counts)}

    def ranking(self, period: Period, department: str | None = None, actor: Actor = SYSTEM,
                *, use_rollups: bool = True) -> dict:
        """The units directly under `department` (default: the city), each with its whole subtree."""
        parent, _ = self._root(department, actor)
        policy = self.ctx.config.stats.ranking
        totals = self.totals(period, use_rollups=use_rollups)
        units = self._units()
        roots = [u for u in units.values() if u.path.count("/") == 2]
        if parent is None and len(roots) == 1:
            parent = roots[0]  # the city: rank its agencies and districts
        children = [u for u in units.values() if _is_child(u, parent)] if parent else roots
        ranked: list[dict[str, Any]] = []
        unranked: list[dict[str, Any]] = []
        for child in children:
            counts = self._sum(totals, child, False)
            score, parts = formulas.composite(counts, policy.weights)
            row: dict[str, Any] = {"department": _unit_dict(child), "volume": counts["dispatched"], "score": score,
                                   "rates": formulas.rates(counts), "breakdown": parts, "rank": None}
            if counts["dispatched"] >= policy.min_volume and score is not None:
                ranked.append(row)
            else:  # 样本不足，不排名: no score at all, so nobody reads a number that means nothing
                row["score"] = None
                row["breakdown"] = [{**p, "points": None} for p in parts]
                unranked.append(row)
        ranked.sort(key=lambda r: (-r["score"], -r["volume"], r["department"]["code"]))
        for i, row in enumerate(ranked, start=1):
            row["rank"] = i
        unranked.sort(key=lambda r: (-r["volume"], r["department"]["code"]))
        return {"period": period.as_dict(), "department": _unit_dict(parent), "min_volume": policy.min_volume,
                "weights": policy.weights, "rows": ranked, "unranked": unranked}

    def hotspots(self, as_of: dt.date, actor: Actor = SYSTEM) -> list[dict]:
        """Categories and places whose volume in the last window jumps against their own recent weeks."""
        policy = self.ctx.config.stats.hotspots
        start, end = self.hotspot_window(as_of)
        base_start = start - dt.timedelta(weeks=policy.baseline_weeks)
        spots = []
        for kind, column in (("category", WorkOrder.category_code), ("place", WorkOrder.place)):
            for key, now_count, earlier in self.repo.volumes(column, start, end, base_start, actor,
                                                              policy.min_count):
                baseline = (earlier or 0) / policy.baseline_weeks * policy.window_days / 7
                if now_count >= policy.factor * max(baseline, 1.0):
                    spots.append({"kind": kind, "key": key, "label": self._label(kind, key), "count": int(now_count),
                                  "baseline": round(baseline, 2), "ratio": round(now_count / max(baseline, 1.0), 2),
                                  "examples": self._examples(column, key, start, end, actor, policy.examples)})
        spots.sort(key=lambda s: (-s["ratio"], -s["count"], s["kind"], s["key"]))
        return spots

    def hotspot_window(self, as_of: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The instants [start, end) of the hotspots' current window ending with the local day `as_of`."""
        end = self._start_of(as_of + dt.timedelta(days=1))
        return end - dt.timedelta(days=self.ctx.config.stats.hotspots.window_days), end

    def subtree(self, code: str | None, actor: Actor) -> list[int] | None:
        """The department ids a question about `code` counts (checked against the scope as for the rates);
        None for the whole centre, its own counters included."""
        unit, _ = self._root(code, actor)
        return None if unit is None else [u.id for u in self._units().values() if u.path.startswith(unit.path)]

    def instants(self, period: Period) -> tuple[dt.datetime, dt.datetime]:
        """[lo, hi) of a period's local days, never later than now (deadlines count once due)."""
        hi = self._start_of(period.end + dt.timedelta(days=1))
        return self._start_of(period.start), min(hi, self.ctx.clock.now() + dt.timedelta(microseconds=1))

    # -- helpers -----------------------------------------------------------------------------

    def _root(self, code: str | None, actor: Actor) -> tuple[Unit | None, bool]:
        """The subtree asked about, checked against the caller's scope; None means the whole centre."""
        visible = self.repo.readable_department_ids(actor)
        if code is None:
            everything = len(visible) == len(self._units())
            if everything:
                return None, True
            mine = [u for u in self._units().values() if u.id in visible]
            top = min(mine, key=lambda u: u.path.count("/"), default=None)
            if top is None:
                raise PermissionDeniedError("your account has no department to report on", error_id="no_department")
            return top, False
        unit = next((u for u in self._units().values() if u.code == code), None)
        if unit is None:
            raise NotFoundError(f"no department with code {code}", error_id="department_not_found")
        if unit.id not in visible:
            raise PermissionDeniedError(f"department {code} is outside your scope", error_id="department_out_of_scope")
        return unit, False

    def _sum(self, totals: dict[int | None, Counter], unit: Unit | None, include_centre: bool) -> Counter:
        units = self._units()
        out: Counter = Counter(dict.fromkeys(formulas.COUNTERS, 0))
        for department_id, counts in totals.items():
            if department_id is None:
                if include_centre:
                    out.update(counts)
            elif unit is None or units[department_id].path.startswith(unit.path):
                out.update(counts)
        return out

    def _units(self) -> dict[int, Unit]:
        if self._unit_cache is None:
            self._unit_cache = {r.id: Unit(r.id, r.code, r.name, r.path) for r in self.repo.departments()}
        return self._unit_cache

    def _start_of(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=self.tz).astimezone(dt.UTC)

    def _label(self, kind: str, key: str) -> str:
        if kind == "category":
            category = self.ctx.config.category(key)
            return category.name if category else key
        return key

    def _examples(self, column, key: str, start: dt.datetime, end: dt.datetime, actor: Actor,
                  limit: int) -> list[dict]:
        shown = disclosure(actor)
        return [{"ticket_no": t, "title": shown.text(title), "received_at": self.ctx.sla.local_iso(at)}
                for t, title, at in self.repo.examples(column, key, start, end, actor, limit)]


UNRANKED_NOTE = "样本不足，不排名"


def ranking_csv(ranking: dict) -> str:
    """The ranking as a spreadsheet: one row per ranked unit, every rate and its points; then the units
    under the minimum volume, without rank or score, marked 样本不足，不排名."""
    weights = list(ranking["weights"])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["rank", "code", "name", "score", "volume"]
                    + [f"{w}" for w in weights] + [f"{w}_points" for w in weights]
                    + ["completion_rate", "acceptance_rate", "avg_handling_hours", "note"])
    for row in [*ranking["rows"], *ranking.get("unranked", [])]:
        parts = {p["rate"]: p for p in row["breakdown"]}
        writer.writerow([row["rank"] or "", row["department"]["code"], row["department"]["name"],
                         _blank(row["score"]), row["volume"]]
                        + [_blank(parts[w]["value"]) for w in weights] + [_blank(parts[w]["points"]) for w in weights]
                        + [_blank(row["rates"]["completion_rate"]), _blank(row["rates"]["acceptance_rate"]),
                           _blank(row["rates"]["avg_handling_hours"]), "" if row["rank"] else UNRANKED_NOTE])
    return out.getvalue()


def _blank(value) -> str:
    return "" if value is None else str(value)


def _is_child(unit: Unit, parent: Unit) -> bool:
    return unit.path.startswith(parent.path) and unit.path.count("/") == parent.path.count("/") + 1


def _unit_dict(unit: Unit | None) -> dict | None:
    return None if unit is None else {"code": unit.code, "name": unit.name}


def _runs(days: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days as (first, last) ranges."""
    runs: list[tuple[dt.date, dt.date]] = []
    for day in days:
        if runs and runs[-1][1] + dt.timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs
