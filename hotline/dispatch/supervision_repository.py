"""SQL for the 督办 triggers that belong to no deadline (emergency, 重复诉求, 服务态度) and for who sees a 督办."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Row, or_, select, update
from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.db import dialect_insert
from hotline.core.enums import AssignmentRole, AssignmentStatus, SupervisionStatus
from hotline.dispatch.scope import departments_readable, readable, sees_everything
from hotline.models import Assignment, Department, Supervision, WorkOrder


def supervision_visible(actor: Actor) -> ColumnElement[bool]:
    """A 督办 is seen by whoever may read its order, and by a supervisor whose subtree holds the department it
    names (a 重复诉求 names the department that completed the earlier order before the new one is dispatched)."""
    if sees_everything(actor):
        return readable(actor)
    named = Supervision.department_id.in_(select(Department.id).where(departments_readable(actor)))
    return or_(readable(actor), named)


@dataclass(frozen=True)
class Earlier:
    """The completed order a new request repeats, and the department that completed it."""

    order_id: int
    ticket_no: str
    completed_at: dt.datetime
    department_id: int
    same_category: bool


class TriggerRepository:
    def __init__(self, session: Session):
        self.session = session

    def open_once(self, *, order_id: int, kind: str, key: str, department_id: int | None, note: str,
                  at: dt.datetime, due_at: dt.datetime) -> int | None:
        """Open the 督办 `key` names unless it exists; the new row's id, or None when another request (or an
        earlier step) opened it. One INSERT … ON CONFLICT DO NOTHING: two parallel requests have one winner."""
        stmt = (dialect_insert(self.session, Supervision)
                .values(work_order_id=order_id, kind=kind, trigger_key=key, department_id=department_id, note=note,
                        status=SupervisionStatus.OPEN, raised_at=at, due_at=due_at)
                .on_conflict_do_nothing(index_elements=[Supervision.trigger_key])
                .returning(Supervision.id))
        return self.session.scalar(stmt)

    def close_open(self, order_id: int, kind: str, at: dt.datetime, note: str) -> list[Row]:
        """Close the order's open 督办 of this kind (the order is done); (id, department_id) of those closed."""
        stmt = (update(Supervision)
                .where(Supervision.work_order_id == order_id, Supervision.kind == kind,
                       Supervision.status == SupervisionStatus.OPEN)
                .values(status=SupervisionStatus.RESOLVED, resolved_at=at, resolution_note=note)
                .returning(Supervision.id, Supervision.department_id))
        return list(self.session.execute(stmt, execution_options={"synchronize_session": False}))

    def earlier_completed(self, order: WorkOrder, since: dt.datetime) -> Earlier | None:
        """The latest other order of the same caller completed between `since` and this one's receipt, about the
        same catalogue leaf or the same place — with the lead department that completed it."""
        if order.citizen_id is None or not (order.category_code or order.place):
            return None
        same_category = WorkOrder.category_code == order.category_code if order.category_code else None
        same = [c for c in (same_category, WorkOrder.place == order.place if order.place else None) if c is not None]
        row = self.session.execute(
            select(WorkOrder.id, WorkOrder.ticket_no, WorkOrder.completed_at, Assignment.department_id,
                   WorkOrder.category_code)
            .join(Assignment, Assignment.work_order_id == WorkOrder.id)
            .where(WorkOrder.citizen_id == order.citizen_id, WorkOrder.id != order.id,
                   WorkOrder.completed_at >= since, WorkOrder.completed_at <= order.received_at,
                   or_(*same), Assignment.role == AssignmentRole.LEAD,
                   Assignment.status == AssignmentStatus.COMPLETED)
            .order_by(WorkOrder.completed_at.desc(), Assignment.id.desc()).limit(1)).first()
        if row is None:
            return None
        return Earlier(row.id, row.ticket_no, row.completed_at, row.department_id,
                       bool(order.category_code) and row.category_code == order.category_code)
