"""All SQL of hand-overs (转接): the rows, the open one an AMI event is about, and the order of a call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hotline.models import Handover, WorkOrder

OPEN = ("requested", "transferred", "consulting")


class HandoverRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: Handover) -> Handover:
        self.session.add(row)
        self.session.flush()
        return row

    def get(self, handover_id: int, *, lock: bool = False) -> Handover | None:
        stmt = select(Handover).where(Handover.id == handover_id).execution_options(populate_existing=True)
        return self.session.scalars(stmt.with_for_update() if lock else stmt).first()

    def of_call(self, linkedid: str) -> Sequence[Handover]:
        return self.session.scalars(select(Handover).where(Handover.linkedid == linkedid).order_by(Handover.id)).all()

    def of_order(self, order_id: int, linkedid: str | None) -> Sequence[Handover]:
        where = Handover.work_order_id == order_id
        if linkedid:
            where = where | (Handover.linkedid == linkedid)
        return self.session.scalars(select(Handover).where(where).order_by(Handover.id)).all()

    def open_on_channel(self, channel: str) -> Handover | None:
        """The latest unsettled hand-over the operator's leg `channel` started."""
        return self.session.scalars(select(Handover).where(Handover.operator_channel == channel,
                                                           Handover.state.in_(OPEN))
                                    .order_by(Handover.id.desc()).limit(1).with_for_update()).first()

    def open_on_call(self, linkedid: str, number: str) -> Handover | None:
        return self.session.scalars(select(Handover).where(Handover.linkedid == linkedid, Handover.number == number,
                                                           Handover.state.in_(OPEN))
                                    .order_by(Handover.id.desc()).limit(1).with_for_update()).first()

    def move(self, handover_id: int, from_states: Sequence[str], to: str, outcome: str | None,
             at: dt.datetime | None) -> bool:
        """Move only while the row is still in one of `from_states`: an AMI event and the API answering the
        same hand-over never undo each other."""
        values: dict = {"state": to}
        if outcome is not None:
            values["outcome"] = outcome
        if at is not None:
            values["settled_at"] = at
        result = self.session.execute(update(Handover).where(Handover.id == handover_id,
                                                             Handover.state.in_(from_states)).values(**values)
                                      .execution_options(synchronize_session="fetch"))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def order_of_call(self, linkedid: str) -> WorkOrder | None:
        return self.session.scalars(select(WorkOrder).where(WorkOrder.call_linkedid == linkedid)
                                    .order_by(WorkOrder.id.desc()).limit(1)).first()

    def attach_order(self, linkedid: str, order_id: int) -> None:
        self.session.execute(update(Handover).where(Handover.linkedid == linkedid, Handover.work_order_id.is_(None))
                             .values(work_order_id=order_id).execution_options(synchronize_session="fetch"))
