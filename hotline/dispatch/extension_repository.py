"""SQL for extension requests (延期): one order's pending request, and the approval list in a scope."""

from __future__ import annotations

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.enums import DeadlineKind, DeadlineStatus, ExtensionStatus
from hotline.dispatch.scope import readable
from hotline.models import Deadline, Department, ExtensionRequest, WorkOrder


class ExtensionRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, request: ExtensionRequest) -> ExtensionRequest:
        self.session.add(request)
        self.session.flush()
        return request

    def get(self, request_id: int, *, lock: bool = False) -> ExtensionRequest | None:
        """The request; with `lock`, read from the locked row itself (never a stale copy in the session)."""
        stmt = select(ExtensionRequest).where(ExtensionRequest.id == request_id)
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return self.session.scalars(stmt).one_or_none()

    def pending_readable(self, actor: Actor, limit: int, offset: int = 0) -> tuple[list[Row], int]:
        """(request, ticket, title, tier, department name, completion due) of pending requests on orders
        `actor` may read, oldest first (a supervisor decides in the order they came); and their number."""
        due = (select(func.min(Deadline.due_at)).where(
            Deadline.work_order_id == WorkOrder.id, Deadline.kind == DeadlineKind.COMPLETE,
            Deadline.status == DeadlineStatus.OPEN).scalar_subquery())
        stmt = (select(ExtensionRequest, WorkOrder.ticket_no, WorkOrder.title, WorkOrder.tier, Department.name,
                       due.label("due_at"))
                .join(WorkOrder, WorkOrder.id == ExtensionRequest.work_order_id)
                .join(Department, Department.id == ExtensionRequest.department_id)
                .where(ExtensionRequest.status == ExtensionStatus.PENDING, readable(actor)))
        total = self.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = self.session.execute(stmt.order_by(ExtensionRequest.requested_at, ExtensionRequest.id)
                                    .limit(limit).offset(offset)).all()
        return list(rows), total

    def pending_for(self, order_id: int) -> ExtensionRequest | None:
        stmt = select(ExtensionRequest).where(
            ExtensionRequest.work_order_id == order_id, ExtensionRequest.status == ExtensionStatus.PENDING
        )
        return self.session.scalars(stmt).first()
