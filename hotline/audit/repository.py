"""All SQL for the audit log; reads are scoped like the rows they speak of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, not_, or_, select
from sqlalchemy.orm import Session

from hotline.audit import chain
from hotline.core.actor import Actor
from hotline.dispatch.scope import departments_readable, readable, sees_everything
from hotline.models import AuditChainHead, AuditRecord, Department, User, WorkOrder


def _fields(r: AuditRecord) -> tuple:
    return (r.at, r.user_id, r.actor, r.role, r.action, r.object_type, r.object_id, r.ip, r.details)


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, at: dt.datetime, actor: Actor, action: str, object_type: str, object_id: str | int | None,
            ip: str | None, details: dict[str, Any] | None = None) -> None:
        """Append a row to the chain: the head is locked until this transaction ends, so appends queue."""
        head = self.session.scalars(select(AuditChainHead).where(AuditChainHead.id == 1).with_for_update()
                                    .execution_options(populate_existing=True)).one()
        record = AuditRecord(
            at=at, user_id=actor.user_id, actor=actor.name or actor.role.value, role=actor.role.value,
            action=action, object_type=object_type, object_id=None if object_id is None else str(object_id),
            ip=ip, details=details, prev_hash=head.last_hash)
        record.row_hash = chain.digest(head.last_hash, *_fields(record))
        self.session.add(record)
        self.session.flush()
        head.last_id, head.last_hash = record.id, record.row_hash
        self.session.flush()

    def verify(self) -> chain.Verdict:
        """Walk the whole chain (read only, in batches) and say where it first breaks."""
        head = self.session.get(AuditChainHead, 1)
        rows = self.session.scalars(select(AuditRecord).order_by(AuditRecord.id).execution_options(yield_per=1000))
        walked = (chain.ChainRow(r.id, r.prev_hash, r.row_hash, _fields(r)) for r in rows)
        return chain.verify(walked, head.last_id if head else None, head.last_hash if head else chain.GENESIS)

    def recent(self, reader: Actor, *, user: str | None = None, object_id: str | None = None,
               action: str | None = None, since: dt.datetime | None = None, limit: int = 100
               ) -> Sequence[AuditRecord]:
        """Newest first; a scoped reader sees rows by its subtree's staff and about orders it may read."""
        stmt = select(AuditRecord).order_by(AuditRecord.id.desc()).limit(limit)
        for column, value in ((AuditRecord.actor, user), (AuditRecord.object_id, object_id),
                              (AuditRecord.action, action)):
            if value is not None:
                stmt = stmt.where(column == value)
        if since is not None:
            stmt = stmt.where(AuditRecord.at >= since)
        if not sees_everything(reader):
            stmt = stmt.where(self._scope(reader))
        return self.session.scalars(stmt).all()

    @staticmethod
    def _scope(reader: Actor):
        """Rows about orders the reader may read now, and other rows by its own subtree's staff — never a
        row about an order outside its scope, whoever wrote it (an order returned or sent elsewhere)."""
        by_own_staff = AuditRecord.user_id.in_(
            select(User.id).join(Department, Department.id == User.department_id).where(departments_readable(reader)))
        about_an_order = (AuditRecord.object_type == "work_order") & AuditRecord.object_id.is_not(None)
        about_own_orders = about_an_order & AuditRecord.object_id.in_(
            select(WorkOrder.ticket_no).where(readable(reader)))
        return or_(about_own_orders, and_(by_own_staff, not_(about_an_order)))
