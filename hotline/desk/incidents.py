"""并案: one incident, many callers. Open orders of the same category at or near the same place, received
recently from anyone, are offered as the same incident; a caller attached to one is counted and linked
to it (their own order closed into it, never dispatched again)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.enums import CloseReason
from hotline.core.errors import ConflictError, InvalidInputError, NotFoundError
from hotline.desk.ports import DeskEnv
from hotline.desk.repository import OPEN_STATES, IncidentRepository
from hotline.dispatch.lifecycle import Action
from hotline.dispatch.service import WorkOrderService
from hotline.models import WorkOrder


@dataclass(frozen=True)
class Candidate:
    order: WorkOrder
    callers: int  # the master's caller and everyone attached since
    why: str  # 中文: why it looks like the same incident


class Incidents:
    def __init__(self, session: Session, env: DeskEnv) -> None:
        self.session, self.env = session, env
        self.rows = IncidentRepository(session)
        self.orders = WorkOrderService(session, env)

    def candidates(self, category: str | None, place: str | None, exclude: list[int] | None = None) -> list[Candidate]:
        """The open orders this call may be about, nearest place first."""
        if not category:
            return []
        leaf = self.env.config.category(category)  # a retired code asks for the leaf it became
        # One incident is told as several leaves of one 中类 (水管爆了 / 停水 / 水压低): compare the group.
        category = (leaf.code.rsplit(".", 1)[0] + ".") if leaf else category
        policy = self.env.config.desk.incident
        since = self.env.clock.now() - dt.timedelta(hours=policy.window_hours)
        found = []
        for order in self.rows.open_same_category(category, since, exclude or []):
            why = self._near(place, order.place)
            if why:
                found.append((why[0], order, why[1]))
        found.sort(key=lambda f: (f[0], -f[1].received_at.timestamp()))
        top = found[:policy.limit]
        counts = self.rows.callers([o.id for _, o, _ in top])
        return [Candidate(o, 1 + counts.get(o.id, 0), why) for _, o, why in top]

    def attach(self, order: WorkOrder, master_ticket: str, actor: Actor) -> WorkOrder:
        """Close `order` into the incident's master order and count the caller there."""
        self.orders.orders.lock_in_id_order([order.id, master_ticket])
        master = self.orders.orders.find(master_ticket, actor, lock=True)
        if master is None or master.id == order.id:
            raise NotFoundError(f"no work order {master_ticket} in your scope", error_id="order_not_found")
        if master.parent_id is not None:
            raise InvalidInputError(f"{master_ticket} is itself merged into another order",
                                    error_id="incident_master_invalid")
        if master.state not in OPEN_STATES:
            raise ConflictError(f"{master_ticket} is {master.state}, not open: it cannot take more callers",
                                details={"state": master.state}, error_id="incident_master_not_open")
        self.orders.close(order, Action.ATTACH_INCIDENT, actor, CloseReason.INCIDENT,
                          data={"master_ticket": master.ticket_no})
        order.parent_id = master.id
        self.orders.orders.add_event(master, "incident_caller", master.state, actor, self.env.clock.now(),
                                     data={"ticket": order.ticket_no})
        return master

    def _near(self, place: str | None, other: str | None) -> tuple[int, str] | None:
        """(rank, 中文 reason) when two places name the same spot (0) or the same street office (1)."""
        if not place or not other:
            return (2, "同类诉求，未说明地点") if not place and not other else None
        if place in other or other in place:
            return 0, f"地点相同：{other}"
        office, office_other = self.env.router.places.resolve(place), self.env.router.places.resolve(other)
        if office and office_other and office[0] == office_other[0]:
            return 1, f"同一街道（乡镇）：{other}"
        return None
