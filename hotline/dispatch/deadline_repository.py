"""SQL for an order's deadlines (the SLA clocks): opened, closed, read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import select, true, update
from sqlalchemy.orm import Session

from hotline.core.db import rowcount
from hotline.core.enums import DeadlineStatus
from hotline.models import Deadline


class DeadlineRepository:
    def __init__(self, session: Session):
        self.session = session

    def add(self, deadline: Deadline) -> Deadline:
        self.session.add(deadline)
        return deadline

    def open_for(self, order_id: int, kinds: Iterable[str]) -> Sequence[Deadline]:
        stmt = select(Deadline).where(
            Deadline.work_order_id == order_id, Deadline.kind.in_(list(kinds)),
            Deadline.status == DeadlineStatus.OPEN,
        ).order_by(Deadline.id)
        return self.session.scalars(stmt).all()

    def close_open(self, order_id: int, kinds: Iterable[str], status: DeadlineStatus, at: dt.datetime,
                   department_id: int | None = None) -> int:
        """Close the open clocks of these kinds (only one department's, when given)."""
        mine = Deadline.department_id == department_id if department_id is not None else true()
        stmt = update(Deadline).where(
            Deadline.work_order_id == order_id, Deadline.kind.in_(list(kinds)),
            Deadline.status == DeadlineStatus.OPEN, mine,
        ).values(status=status, met_at=at if status == DeadlineStatus.MET else None)
        return rowcount(self.session.execute(stmt))

    def for_order(self, order_id: int) -> Sequence[Deadline]:
        stmt = select(Deadline).where(Deadline.work_order_id == order_id).order_by(Deadline.id)
        return self.session.scalars(stmt).all()
