"""What an operator sees when a call connects: who is calling, their open and previous orders with
deadline lights, and how satisfied they were before — the repeat caller recognised at once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.context import Context
from hotline.core.enums import State
from hotline.models import Callback, Citizen, Deadline, WorkOrder
from hotline.telephony.tracker import CallRecord

LIGHT_ORDER = ("green", "yellow", "red")


def caller_history(session: Session, ctx: Context, phone: str | None, limit: int = 20) -> dict:
    citizen = session.scalars(select(Citizen).where(Citizen.phone == phone)).first() if phone else None
    if citizen is None:
        return {"caller": phone, "known": False, "open": [], "previous": [], "satisfaction": {}}
    orders = session.scalars(select(WorkOrder).where(WorkOrder.citizen_id == citizen.id)
                             .order_by(WorkOrder.received_at.desc()).limit(limit)).all()
    ids = [o.id for o in orders]
    lights: dict[int, str] = {}
    for order_id, light in session.execute(select(Deadline.work_order_id, Deadline.light).where(
            Deadline.work_order_id.in_(ids), Deadline.status == "open")):
        if LIGHT_ORDER.index(light) >= LIGHT_ORDER.index(lights.get(order_id, "green")):
            lights[order_id] = light
    outcomes: dict[int, str] = {}
    for order_id, outcome in session.execute(select(Callback.work_order_id, Callback.outcome).where(
            Callback.work_order_id.in_(ids), Callback.outcome.is_not(None)).order_by(Callback.round)):
        outcomes[order_id] = outcome
    satisfaction: dict[str, int] = {}
    for outcome in outcomes.values():
        satisfaction[outcome] = satisfaction.get(outcome, 0) + 1

    def item(o: WorkOrder) -> dict:
        return {"ticket_no": o.ticket_no, "title": o.title, "state": o.state, "category_code": o.category_code,
                "place": o.place, "received_at": ctx.sla.local_iso(o.received_at), "light": lights.get(o.id),
                "callback": outcomes.get(o.id)}

    return {"caller": phone, "known": True, "name": citizen.name,
            "open": [item(o) for o in orders if o.state != State.CLOSED],
            "previous": [item(o) for o in orders if o.state == State.CLOSED],
            "satisfaction": satisfaction}


def screen_pop(session: Session, ctx: Context, call: CallRecord) -> dict:
    return {"type": "screen_pop", "linkedid": call.linkedid, "agent": call.agent,
            "interface": call.agent_interface, "queue": call.queue, "wait_seconds": call.wait_seconds,
            "history": caller_history(session, ctx, call.caller)}
