"""The map of orders by street office and township (街道/乡镇): the department tree's areas, grouped
by their district or county, each with the orders being handled there and a colour step.

No geography: the console draws each area as a tile in its district's block (a generated layout),
which is enough to see where work piles up, and every tile opens the inbox narrowed to that area."""

from __future__ import annotations

import datetime as dt
import math

from hotline.core.actor import SYSTEM, Actor
from hotline.stats.formulas import Period
from hotline.stats.service import StatsService

AREA_KINDS = ("street", "township")
LEVELS = 5  # colour steps: 0 = none, 1..4 = quarters of the busiest area's count
LEVEL_LABELS = ("无在办", "较少", "一般", "较多", "最多")


def level(count: int, top: int) -> int:
    if count <= 0 or top <= 0:
        return 0
    return max(1, min(LEVELS - 1, math.ceil((LEVELS - 1) * count / top)))


class AreaMap:
    def __init__(self, stats: StatsService) -> None:
        self.stats = stats

    def orders_by_area(self, actor: Actor = SYSTEM, period: Period | None = None) -> dict:
        """Areas in the reader's scope, grouped by district/county, with 在办 counts (received in `period`
        when given) and the inbox filter that lists the same orders."""
        rows = self.stats.repo.areas(AREA_KINDS, actor)
        lo = hi = None
        if period is not None:
            lo = self.stats._start_of(period.start)
            hi = self.stats._start_of(period.end + dt.timedelta(days=1))
        counts = self.stats.repo.open_by_area([r[0] for r in rows], actor, lo, hi)
        top = max(counts.values(), default=0)
        groups: dict[str, dict] = {}
        for area_id, code, name, _path, parent_code, parent_name in rows:
            group = groups.setdefault(parent_code, {"code": parent_code, "name": parent_name, "areas": [],
                                                    "total": 0})
            count = counts.get(area_id, 0)
            drill = {"view": "open", "unit": code}
            if period is not None:
                drill |= period.as_dict()
            group["areas"].append({"code": code, "name": name, "count": count, "level": level(count, top),
                                   "drill": drill})
            group["total"] += count
        steps = [{"level": i, "label": LEVEL_LABELS[i], "from": 0 if i == 0 else 1 + (i - 1) * top // (LEVELS - 1)}
                 for i in range(LEVELS if top else 1)]
        return {"period": period.as_dict() if period else None, "max": top, "levels": steps,
                "total": sum(g["total"] for g in groups.values()), "groups": list(groups.values())}
