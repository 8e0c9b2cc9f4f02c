"""All SQL for the audit log; reads are scoped like the rows they speak of."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, and_, func, insert, not_, or_, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from hotline.audit import chain
from hotline.core.actor import Actor
from hotline.dispatch.scope import departments_readable, readable, sees_everything
from hotline.models import AuditChainHead, AuditRecord, AuditSeal, Department, User, WorkOrder


def _fields(r: AuditRecord) -> tuple:
    return (r.at, r.user_id, r.actor, r.role, r.action, r.object_type, r.object_id, r.ip, r.details)


_RECORD_INSERT = insert(cast(Table, AuditRecord.__table__))  # a plain insert: one cached statement, no unit of work


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.postgres = session.get_bind().dialect.name == "postgresql"

    def add(self, at: dt.datetime, actor: Actor, action: str, object_type: str, object_id: str | int | None,
            ip: str | None, details: dict[str, Any] | None = None) -> None:
        """Append a row; the sealer links it into the chain once it is final (writers never queue)."""
        self.session.execute(_RECORD_INSERT, {
            "at": at, "user_id": actor.user_id, "actor": actor.name or actor.role.value, "role": actor.role.value,
            "action": action, "object_type": object_type, "object_id": None if object_id is None else str(object_id),
            "ip": ip, "details": details})

    def seal(self, batch: int = 5000) -> int:
        """Link the rows that have become final into the chain, in id order; how many were sealed. Sealers take
        turns on the chain head; the caller commits."""
        head = self.session.scalars(select(AuditChainHead).where(AuditChainHead.id == 1).with_for_update()
                                    .execution_options(populate_existing=True)).one()
        stmt = select(AuditRecord).order_by(AuditRecord.id)
        if head.last_id is not None:
            stmt = stmt.where(AuditRecord.id > head.last_id)
        if self.postgres:
            final_up_to = self._final_up_to()
            if final_up_to is None:  # a writer kept the gate: nothing is sealed this time, no writer waited long
                return 0
            stmt = stmt.where(AuditRecord.id <= final_up_to)
        rows = self.session.scalars(stmt.limit(batch)).all()
        seq = head.last_seq or 0
        for row in rows:
            seq += 1
            row_hash = chain.digest(head.last_hash, *_fields(row))
            self.session.add(AuditSeal(seq=seq, audit_id=row.id, prev_hash=head.last_hash, row_hash=row_hash))
            head.last_seq, head.last_id, head.last_hash = seq, row.id, row_hash
        self.session.flush()
        return len(rows)

    def _final_up_to(self, wait_ms: int = 500) -> int | None:
        """The highest id below which no audit row can still appear (PostgreSQL): taken while holding the gate
        exclusively, so no insert is in flight. The gate is asked for at once, then waited for at most `wait_ms`
        (new writers queue behind the request meanwhile); None when it could not be had."""
        key = {"key": chain.GATE_KEY}
        if not self.session.scalar(text("SELECT pg_try_advisory_lock(:key)"), key):
            try:
                with self.session.begin_nested():
                    self.session.execute(text(f"SET LOCAL lock_timeout = '{int(wait_ms)}ms'"))
                    self.session.execute(text("SELECT pg_advisory_lock(:key)"), key)
            except OperationalError:
                return None
            finally:
                self.session.execute(text("SET LOCAL lock_timeout = DEFAULT"))
        try:
            return self.session.scalar(select(func.coalesce(func.max(AuditRecord.id), 0)))
        finally:
            self.session.execute(text("SELECT pg_advisory_unlock(:key)"), key)

    def seal_all(self, batch: int = 5000) -> int:
        """Seal batch after batch, each committed, until nothing final is left unsealed."""
        total = 0
        while True:
            sealed = self.seal(batch)
            self.session.commit()
            total += sealed
            if sealed < batch:
                return total

    def verify(self) -> chain.Verdict:
        """Walk the whole chain (read only, in batches) and say where it first breaks; then look for rows the
        sealer passed that carry no seal (written around the application)."""
        head = self.session.get(AuditChainHead, 1)
        seals = self.session.execute(select(AuditSeal, AuditRecord)
                                     .outerjoin(AuditRecord, AuditRecord.id == AuditSeal.audit_id)
                                     .order_by(AuditSeal.seq).execution_options(yield_per=1000))
        walked = (chain.SealedRow(seal.seq, seal.audit_id, seal.prev_hash, seal.row_hash,
                                  None if row is None else _fields(row)) for seal, row in seals)
        verdict = chain.verify(walked, head.last_seq if head else None, head.last_id if head else None,
                               head.last_hash if head else chain.GENESIS)
        if not verdict.ok or head is None:
            return verdict
        first = self.session.scalar(select(func.min(AuditSeal.audit_id)))
        unsealed = (select(AuditRecord.id)
                    .outerjoin(AuditSeal, AuditSeal.audit_id == AuditRecord.id).where(AuditSeal.seq.is_(None)))
        older = 0 if first is None else self.session.scalar(
            select(func.count()).select_from(unsealed.where(AuditRecord.id < first).subquery())) or 0
        waiting = 0
        for audit_id in self.session.scalars(unsealed.where(AuditRecord.id > (first or 0)).order_by(AuditRecord.id)):
            if head.last_id is not None and audit_id <= head.last_id:
                return chain.Verdict(False, verdict.checked, older, audit_id,
                                     "the row carries no seal though the sealer has passed it")
            waiting += 1
        return chain.Verdict(True, verdict.checked, older, waiting=waiting)

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
