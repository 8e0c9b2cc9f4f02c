"""The loop made visible: per week and per category, how often operators kept intake's suggestion and how
often they filed the order elsewhere — the live accuracy of the suggestions."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.config import HotlineConfig
from hotline.intake.history import HistoryRepository


def weekly_outcomes(session: Session, config: HotlineConfig, timezone: str, now: dt.datetime,
                    weeks: int, actor: Actor) -> list[dict]:
    """Rows per (ISO week, final category) over the orders `actor` may read, newest week first, then by volume."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    first = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
    since = dt.datetime.combine(first, dt.time(), tzinfo=zone)
    kept: Counter[tuple[dt.date, str]] = Counter()
    changed: Counter[tuple[dt.date, str]] = Counter()
    for received_at, suggested, final in HistoryRepository(session).suggestion_outcomes(since, actor):
        day = received_at.astimezone(zone).date()
        key = (day - dt.timedelta(days=day.weekday()), final)
        (kept if suggested == final else changed)[key] += 1
    out = []
    for start, code in sorted(set(kept) | set(changed), key=lambda k: (-k[0].toordinal(),
                                                                       -(kept[k] + changed[k]), k[1])):
        key = (start, code)
        leaf = config.category(code)
        iso = start.isocalendar()
        total = kept[key] + changed[key]
        out.append({"week": f"{iso.year}-W{iso.week:02d}", "week_start": start, "category_code": code,
                    "category_name": leaf.name if leaf else code, "kept": kept[key], "changed": changed[key],
                    "kept_rate": round(kept[key] / total, 4)})
    return out
