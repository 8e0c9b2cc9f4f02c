"""SQL for 督办: who sees one, the triggers no deadline raises (emergency, 重复诉求, 服务态度), open, resolve."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Row, Select, bindparam, or_, select, update
from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.db import dialect_insert, rowcount
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
        row = self.session.execute(_earlier(bool(order.category_code), bool(order.place)), {
            "citizen": order.citizen_id, "this_order": order.id, "since": since, "until": order.received_at,
            "category": order.category_code, "at_place": order.place}).first()
        if row is None:
            return None
        return Earlier(row.id, row.ticket_no, row.completed_at, row.department_id,
                       bool(order.category_code) and row.category_code == order.category_code)


@functools.cache
def _earlier(by_category: bool, by_place: bool) -> Select:
    """The repeat check every 受理 runs, built once per shape (the same leaf, the same place, or either)."""
    same = [c for c, wanted in ((WorkOrder.category_code == bindparam("category"), by_category),
                                (WorkOrder.place == bindparam("at_place"), by_place)) if wanted]
    return (select(WorkOrder.id, WorkOrder.ticket_no, WorkOrder.completed_at, Assignment.department_id,
                   WorkOrder.category_code)
            .join(Assignment, Assignment.work_order_id == WorkOrder.id)
            .where(WorkOrder.citizen_id == bindparam("citizen"), WorkOrder.id != bindparam("this_order"),
                   WorkOrder.completed_at >= bindparam("since"), WorkOrder.completed_at <= bindparam("until"),
                   or_(*same), Assignment.role == AssignmentRole.LEAD,
                   Assignment.status == AssignmentStatus.COMPLETED)
            .order_by(WorkOrder.completed_at.desc(), Assignment.id.desc()).limit(1))


class SupervisionRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, order_id: int, kind: str, at: dt.datetime, note: str | None = None,
            department_id: int | None = None) -> None:
        """Open a 督办 record that belongs to no deadline (an arbitration after 退单, a redo), naming the
        department it concerns."""
        self.session.add(Supervision(work_order_id=order_id, kind=kind, status=SupervisionStatus.OPEN, note=note,
                                     raised_at=at, department_id=department_id))

    def raise_many(self, rows: list[dict], kind: str, at: dt.datetime) -> None:
        """One 督办 record per deadline and kind for a batch of deadlines, however often asked."""
        stmt = dialect_insert(self.session, Supervision).on_conflict_do_nothing(
            index_elements=[Supervision.deadline_id, Supervision.kind])
        self.session.execute(stmt, [{**row, "kind": kind, "status": SupervisionStatus.OPEN, "note": None,
                                     "raised_at": at} for row in rows])

    def get_readable(self, supervision_id: int, actor: Actor, *, lock: bool = False) -> Supervision | None:
        """The record, when `actor` may see it (supervision_visible); with `lock`, read from the locked row."""
        stmt = (select(Supervision).join(WorkOrder, WorkOrder.id == Supervision.work_order_id)
                .where(Supervision.id == supervision_id, supervision_visible(actor)))
        if lock:
            stmt = stmt.with_for_update(of=Supervision).execution_options(populate_existing=True)
        return self.session.scalars(stmt).one_or_none()

    def open_for(self, order_id: int, kind: str) -> Sequence[Supervision]:
        stmt = select(Supervision).where(Supervision.work_order_id == order_id, Supervision.kind == kind,
                                         Supervision.status == SupervisionStatus.OPEN)
        return self.session.scalars(stmt).all()

    def open_readable(self, actor: Actor, limit: int) -> list[Row]:
        """(supervision, ticket, title, department name) of open 督办 on orders `actor` may read, oldest first."""
        return list(self.session.execute(
            select(Supervision, WorkOrder.ticket_no, WorkOrder.title, Department.name)
            .join(WorkOrder, WorkOrder.id == Supervision.work_order_id)
            .outerjoin(Department, Department.id == Supervision.department_id)
            .where(Supervision.status == SupervisionStatus.OPEN, supervision_visible(actor))
            .order_by(Supervision.raised_at).limit(limit)))

    def resolve(self, order_id: int, kind: str, actor: Actor, at: dt.datetime) -> int:
        stmt = update(Supervision).where(
            Supervision.work_order_id == order_id, Supervision.kind == kind,
            Supervision.status == SupervisionStatus.OPEN,
        ).values(status=SupervisionStatus.RESOLVED, resolved_at=at, resolved_by_user_id=actor.user_id)
        return rowcount(self.session.execute(stmt))
