"""Drill-down (明细): the orders behind a rate's numerator, denominator or the rest of it, and behind a hotspot —
the same orders the numbers counted, in the reader's scope, as the inbox's rows."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.errors import InvalidInputError
from hotline.dispatch.inbox import InboxPage, InboxRepository
from hotline.models import WorkOrder
from hotline.stats import drill_repository as orders_of
from hotline.stats.formulas import RATE_BY_NAME, Period
from hotline.stats.ports import StatsEnv
from hotline.stats.service import StatsService

PARTS = ("numerator", "denominator", "rest")
HOTSPOT_COLUMNS = {"category": WorkOrder.category_code, "place": WorkOrder.place}


class StatOrders:
    def __init__(self, session: Session, ctx: StatsEnv):
        self.session, self.ctx = session, ctx
        self.stats = StatsService(session, ctx)

    def behind_rate(self, actor: Actor, rate: str, part: str, period: Period, department: str | None,
                    limit: int, offset: int) -> InboxPage:
        """The orders a rate counted over the period for a department's subtree (default: the reader's scope)."""
        found = RATE_BY_NAME.get(rate)
        if found is None:
            raise InvalidInputError(f"no rate {rate!r}; one of {', '.join(RATE_BY_NAME)}",
                                    details={"rates": list(RATE_BY_NAME)}, error_id="unknown_rate")
        lo, hi = self.stats.instants(period)
        window = orders_of.Window(lo, hi, self.stats.subtree(department, actor))
        among = orders_of.part_of(found.numerator, found.denominator, part, window)
        return self._page(actor, among, limit, offset)

    def behind_hotspot(self, actor: Actor, kind: str, key: str, as_of: dt.date, limit: int,
                       offset: int) -> InboxPage:
        """The orders of a hotspot's current window (its category or place)."""
        start, end = self.stats.hotspot_window(as_of)
        return self._page(actor, orders_of.hotspot(HOTSPOT_COLUMNS[kind], key, start, end), limit, offset)

    def _page(self, actor: Actor, among, limit: int, offset: int) -> InboxPage:
        return InboxRepository(self.session, actor, self.ctx.clock.now()).listing(among, limit, offset)
