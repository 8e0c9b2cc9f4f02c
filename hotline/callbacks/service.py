"""Callback transitions: into the callback queue, closed on 满意/未接通, redone (重办) on 不满意."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hotline.context import Context
from hotline.core.actor import Actor
from hotline.core.enums import AssignmentRole, AssignmentStatus, CloseReason, State
from hotline.dispatch.lifecycle import Action
from hotline.dispatch.service import WorkOrderService, require_text
from hotline.models import WorkOrder


class CallbackService:
    """What callback staff (回访员) and the automated survey do to an order."""

    def __init__(self, session: Session, ctx: Context):
        self.orders = WorkOrderService(session, ctx)

    def start(self, order_id: int, actor: Actor) -> WorkOrder:
        """A completed order enters the callback queue (callback_pending)."""
        order = self.orders.load(order_id)
        self.orders.advance(order, Action.START_CALLBACK, actor)
        return order

    def close_satisfied(self, order_id: int, actor: Actor, note: str | None = None) -> WorkOrder:
        order = self.orders.load(order_id)
        self.orders.close(order, Action.CLOSE_SATISFIED, actor, CloseReason.SATISFIED, note=note)
        return order

    def close_unreachable(self, order_id: int, actor: Actor, note: str | None = None) -> WorkOrder:
        order = self.orders.load(order_id)
        self.orders.close(order, Action.CLOSE_UNREACHABLE, actor, CloseReason.UNREACHABLE, note=note)
        return order

    def redo(self, order_id: int, actor: Actor, citizen_words: str) -> WorkOrder:
        """重办: back to the same departments with fresh deadlines, or to the hotline if it answered."""
        require_text(citizen_words, "citizen's words")
        order = self.orders.load(order_id)
        handled = [a for a in order.assignments if a.active and a.status == AssignmentStatus.COMPLETED]
        target = State.DISPATCHED if handled else State.ACCEPTED
        self.orders.advance(order, Action.REDO, actor, note=citizen_words, target=target)
        order.redo_count += 1
        order.completed_at = None
        if handled:
            departments = self.orders.departments
            lead = next(a for a in handled if a.role == AssignmentRole.LEAD)
            co = [departments.get(a.department_id) for a in handled if a is not lead]
            for a in handled:
                a.active = False
            self.orders.assign(order, departments.get(lead.department_id), co)
        return order
