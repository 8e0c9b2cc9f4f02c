"""All SQL of recording retention: which files are past their time, and marking them deleted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from hotline.core.enums import State
from hotline.models import Recording, WorkOrder


class RetentionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def due(self, kind: str, made_before: dt.datetime | None, closed_before: dt.datetime | None,
            batch: int) -> Sequence[Recording]:
        """Recordings of `kind` not yet deleted whose time is up: on an order, when that order closed at or before
        `closed_before` (if the kind has such a rule); otherwise when made at or before `made_before`."""
        rules = []
        if closed_before is not None:
            rules.append(and_(Recording.work_order_id.is_not(None), WorkOrder.state == State.CLOSED.value,
                              WorkOrder.closed_at <= closed_before))
            if made_before is not None:
                rules.append(and_(Recording.work_order_id.is_(None), Recording.created_at <= made_before))
        elif made_before is not None:
            rules.append(Recording.created_at <= made_before)
        if not rules:
            return []
        return self.session.scalars(
            select(Recording).outerjoin(WorkOrder, WorkOrder.id == Recording.work_order_id)
            .where(Recording.kind == kind, Recording.deleted_at.is_(None), or_(*rules))
            .order_by(Recording.id).limit(batch)).all()

    def mark_deleted(self, recording_id: int, at: dt.datetime) -> bool:
        """Only once: two sweeps racing over the same file record one deletion."""
        result = self.session.execute(update(Recording).where(Recording.id == recording_id,
                                                              Recording.deleted_at.is_(None))
                                      .values(deleted_at=at).execution_options(synchronize_session=False))
        return bool(result.rowcount)  # type: ignore[attr-defined]
