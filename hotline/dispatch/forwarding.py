"""下派: a department holding a share of an order forwards it to one of its sub-units (街道→社区) with a
deadline of the sub-unit's own, inside the order's. The sub-unit signs and replies up; the department above
it completes — only once every sub-unit it asked has replied."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.enums import AssignmentRole, AssignmentStatus, DeadlineKind, DeadlineStatus
from hotline.core.errors import ConflictError, InvalidInputError
from hotline.dispatch.arrivals import tell_departments
from hotline.dispatch.ports import DispatchEnv
from hotline.dispatch.repository import CitizenRepository, OrderRef
from hotline.dispatch.service import WorkOrderService, active_assignments
from hotline.models import Assignment, Deadline, Department, WorkOrder

HOLDERS = (AssignmentRole.LEAD, AssignmentRole.CO)


class SubUnitForwarding:
    def __init__(self, session: Session, ctx: DispatchEnv) -> None:
        self.session = session
        self.ctx = ctx
        self.orders = WorkOrderService(session, ctx)

    def forward(self, ref: OrderRef, actor: Actor, unit_code: str, due_at: dt.datetime,
                note: str | None = None) -> tuple[WorkOrder, Assignment]:
        """下派 to `unit_code`, due at `due_at` (not past the order's completion deadline)."""
        order = self.orders.load(ref, actor)
        share = self.orders.assignment_of(order, actor)
        if share.role not in HOLDERS:
            raise ConflictError("a sub-unit replies to the department above it and forwards no further",
                                error_id="sub_unit_cannot_forward")
        if share.status not in (AssignmentStatus.SIGNED, AssignmentStatus.REPLIED):
            raise ConflictError("sign the order before forwarding it to a sub-unit", error_id="sign_before_forward")
        unit = self._sub_unit(share.department_id, unit_code)
        if any(a.department_id == unit.id for a in active_assignments(order)):
            raise ConflictError(f"{unit.name} already holds this order", error_id="sub_unit_already_holds")
        now = self.orders.now
        limit = self._parent_due(order)
        if due_at <= now:
            raise InvalidInputError("the sub-unit's deadline must lie in the future", error_id="sub_deadline_past")
        if limit is not None and due_at > limit:
            raise InvalidInputError(f"the sub-unit's deadline must not pass the order's ({limit.isoformat()})",
                                    details={"parent_due_at": self.ctx.sla.local_iso(limit)},
                                    error_id="sub_deadline_after_parent")
        sub = Assignment(department_id=unit.id, role=AssignmentRole.SUB, status=AssignmentStatus.DISPATCHED,
                         active=True, dispatched_at=now)
        order.assignments.append(sub)
        self.orders.deadlines.add(Deadline(
            work_order_id=order.id, department_id=unit.id, kind=DeadlineKind.SUB, starts_at=now,
            warn_at=self.ctx.sla.warn_at(now, due_at), due_at=due_at, provisional=False,
            status=DeadlineStatus.OPEN, light="green"))
        self.session.flush()
        self.orders.orders.add_event(order, "forward", order.state, actor, now, note=note, data={
            "unit": unit.name, "due_at": self.ctx.sla.local_iso(due_at), "from_assignment": share.id})
        citizen = CitizenRepository(self.session).get(order.citizen_id)
        tell_departments(self.session, order, [unit.id], [citizen.name] if citizen and citizen.name else [])
        return order, sub

    def _sub_unit(self, parent_id: int, code: str) -> Department:
        parent = self.orders.departments.require(parent_id)
        found = self.orders.departments.by_code(code)
        if found is None or found.id == parent.id or not found.path.startswith(parent.path):
            raise InvalidInputError(f"{code} is not a sub-unit of {parent.name}", details={"unit": code},
                                    error_id="not_a_sub_unit")
        if not found.active:
            raise InvalidInputError(f"{found.name} is retired", details={"unit": code}, error_id="department_retired")
        return found

    def _parent_due(self, order: WorkOrder) -> dt.datetime | None:
        """The order's completion deadline now open (the lead's), which no sub-unit deadline may pass."""
        open_ = [d.due_at for d in self.orders.deadlines.for_order(order.id)
                 if d.status == DeadlineStatus.OPEN and d.kind == DeadlineKind.COMPLETE]
        return min(open_, default=None)


def subs_below(order: WorkOrder, share: Assignment, path_of: dict[int, str]) -> list[Assignment]:
    """The active sub-unit shares under `share`'s department (what it forwarded)."""
    top = path_of[share.department_id]
    return [a for a in active_assignments(order) if a.role == AssignmentRole.SUB and a is not share
            and path_of[a.department_id].startswith(top)]
