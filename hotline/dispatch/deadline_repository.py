"""SQL for an order's deadlines (the SLA clocks): opened, closed, read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from hotline.core.db import expire_loaded, rowcount
from hotline.core.enums import DeadlineStatus
from hotline.models import Deadline

_T = cast(Table, Deadline.__table__)
# Every step closes clocks: built once, on the table, with the kinds as an expanding parameter.
_CLOSE = update(_T).where(
    _T.c.work_order_id == bindparam("of_order"), _T.c.kind.in_(bindparam("kinds", expanding=True)),
    _T.c.status == DeadlineStatus.OPEN.value,
).values(status=bindparam("new_status"), met_at=bindparam("closed_at"))
_CLOSE_DEPARTMENTS = _CLOSE.where(_T.c.department_id == bindparam("of_department"))


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
        params = {"of_order": order_id, "kinds": [str(k) for k in kinds], "new_status": str(status),
                  "closed_at": at if status == DeadlineStatus.MET else None}
        if department_id is not None:
            count = rowcount(self.session.execute(_CLOSE_DEPARTMENTS, {**params, "of_department": department_id}))
        else:
            count = rowcount(self.session.execute(_CLOSE, params))
        expire_loaded(self.session, Deadline, "work_order_id", (order_id,), "status", "met_at")
        return count

    def for_order(self, order_id: int) -> Sequence[Deadline]:
        stmt = select(Deadline).where(Deadline.work_order_id == order_id).order_by(Deadline.id)
        return self.session.scalars(stmt).all()
