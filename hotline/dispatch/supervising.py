"""What a supervisor does from the command centre: resolve a 督办 with a note, and send a 催办 to the
department holding an order. Both are written into the order's story and told to the department."""

from __future__ import annotations

from sqlalchemy.orm import Session

from hotline.core.actor import SYSTEM, Actor
from hotline.core.enums import AssignmentRole, SupervisionStatus
from hotline.core.errors import ConflictError, NotFoundError
from hotline.dispatch import notices
from hotline.dispatch.ports import DispatchEnv
from hotline.dispatch.repository import OrderRef
from hotline.dispatch.service import WorkOrderService, active_assignments, require_text
from hotline.dispatch.supervision_repository import SupervisionRepository
from hotline.live.after_commit import publish_after_commit
from hotline.live.events import DepartmentNotice
from hotline.models import Supervision, WorkOrder


class SupervisorActions:
    def __init__(self, session: Session, ctx: DispatchEnv):
        self.session = session
        self.orders = WorkOrderService(session, ctx)
        self.supervisions = SupervisionRepository(session)

    def resolve(self, supervision_id: int, actor: Actor, note: str) -> tuple[Supervision, WorkOrder]:
        """督办办结: closed with what the supervisor found; 404 outside the supervisor's scope."""
        require_text(note, "note")
        found = self.supervisions.get_readable(supervision_id, actor)
        if found is None:
            raise NotFoundError(f"no supervision {supervision_id} in your scope", error_id="supervision_not_found")
        # The order locked first, then the record re-read. A district supervisor may see a 督办 naming one of its
        # units on an order not (yet) given to them (重复诉求): the 督办's visibility was checked just above.
        order = self.orders.orders.find(found.work_order_id, SYSTEM, lock=True)
        if order is None:
            raise NotFoundError(f"no supervision {supervision_id} in your scope", error_id="supervision_not_found")
        supervision = self.supervisions.get_readable(supervision_id, actor, lock=True)
        if supervision is None or supervision.status != SupervisionStatus.OPEN:
            raise ConflictError(f"supervision {supervision_id} was already resolved",
                                error_id="supervision_already_resolved")
        now = self.orders.now
        supervision.status, supervision.resolved_at = SupervisionStatus.RESOLVED, now
        supervision.resolved_by_user_id, supervision.resolution_note = actor.user_id, note
        self.orders.orders.add_event(order, "resolve_supervision", order.state, actor, now, note=note,
                                     data={"supervision": supervision.id, "kind": supervision.kind})
        if supervision.department_id:
            publish_after_commit(self.session, DepartmentNotice(supervision.department_id, "supervision_resolved",
                                                                order.ticket_no, note))
        return supervision, order

    def urge(self, ref: OrderRef, actor: Actor, text: str) -> WorkOrder:
        """催办: a supervisor's reminder to the lead department now holding the order."""
        require_text(text, "text")
        order = self.orders.load(ref, actor)
        lead = next((a for a in active_assignments(order) if a.role == AssignmentRole.LEAD), None)
        if lead is None:
            raise ConflictError(f"work order {order.ticket_no} is with no department now",
                                error_id="nothing_to_urge")
        now = self.orders.now
        department = self.orders.departments.require(lead.department_id)
        self.orders.orders.add_event(order, "urge", order.state, actor, now, note=text,
                                     data={"department": department.code})
        body = f"【12345催办】工单 {order.ticket_no}（{order.title}）：{text}"
        self.orders.outbox.post(f"urge:{order.id}:{now.isoformat()}", notices.department(department.code),
                                f"催办 {order.ticket_no}", body, now, {"ticket_no": order.ticket_no}, order.id)
        publish_after_commit(self.session, DepartmentNotice(department.id, "urge", order.ticket_no, text))
        return order
