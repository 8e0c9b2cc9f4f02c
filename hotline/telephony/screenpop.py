"""What an operator sees when a call connects: who is calling, their open and previous orders with
deadline lights, and how satisfied they were before — the repeat caller recognised at once."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hotline.core.enums import State
from hotline.dispatch.sla import SlaPolicy
from hotline.live.events import ScreenPop
from hotline.models import WorkOrder
from hotline.telephony.repository import AgentRepository, CallerHistoryRepository
from hotline.telephony.tracker import CallRecord
from hotline.text.phones import normalise_phone

LIGHT_ORDER = ("green", "yellow", "red")


def caller_history(session: Session, sla: SlaPolicy, phone: str | None, limit: int = 20) -> dict:
    history = CallerHistoryRepository(session)
    phone = normalise_phone(phone)  # citizens are stored under the canonical number
    citizen = history.citizen(phone) if phone else None
    if citizen is None:
        return {"caller": phone, "known": False, "open": [], "previous": [], "satisfaction": {}}
    orders = history.orders(citizen.id, limit)
    ids = [o.id for o in orders]
    lights: dict[int, str] = {}
    for order_id, light in history.open_lights(ids):
        if LIGHT_ORDER.index(light) >= LIGHT_ORDER.index(lights.get(order_id, "green")):
            lights[order_id] = light
    outcomes = dict(history.outcomes(ids))  # the latest round wins
    satisfaction: dict[str, int] = {}
    for outcome in outcomes.values():
        satisfaction[outcome] = satisfaction.get(outcome, 0) + 1

    def item(o: WorkOrder) -> dict:
        return {"ticket_no": o.ticket_no, "title": o.title, "state": o.state, "category_code": o.category_code,
                "place": o.place, "received_at": sla.local_iso(o.received_at), "light": lights.get(o.id),
                "callback": outcomes.get(o.id)}

    return {"caller": phone, "known": True, "name": citizen.name,
            "open": [item(o) for o in orders if o.state != State.CLOSED],
            "previous": [item(o) for o in orders if o.state == State.CLOSED],
            "satisfaction": satisfaction}


def screen_pop(session: Session, sla: SlaPolicy, call: CallRecord) -> ScreenPop:
    """The pop for the operators who claimed the answering interface (and the supervisors' feed)."""
    return ScreenPop(linkedid=call.linkedid, agent=call.agent, interface=call.agent_interface, queue=call.queue,
                     wait_seconds=call.wait_seconds, history=caller_history(session, sla, call.caller),
                     user_ids=tuple(sorted(AgentRepository(session).users_at(call.agent_interface))))
