"""All SQL for callbacks and their attempts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Row, func, or_, select
from sqlalchemy.orm import Session

from hotline.core.enums import AttemptMode, CallbackStatus, State, Verdict
from hotline.models import Callback, CallbackAttempt, Citizen, WorkOrder


class CallbackRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, callback: Callback) -> Callback:
        self.session.add(callback)
        self.session.flush()
        return callback

    def get(self, callback_id: int, *, lock: bool = False) -> Callback | None:
        """The callback; with `lock`, read from the locked row itself (never a stale copy in the session)."""
        stmt = select(Callback).where(Callback.id == callback_id)
        if lock:
            stmt = stmt.with_for_update().execution_options(populate_existing=True)
        return self.session.scalars(stmt).first()

    def pending_for(self, order_id: int) -> Callback | None:
        """The order's open callback, locked."""
        return self.session.scalars(select(Callback).where(
            Callback.work_order_id == order_id, Callback.status == CallbackStatus.PENDING)
            .with_for_update().execution_options(populate_existing=True)).first()

    def latest_for(self, order_id: int) -> Callback | None:
        return self.session.scalars(select(Callback).where(Callback.work_order_id == order_id)
                                    .order_by(Callback.round.desc()).limit(1)).first()

    def rounds(self, order_id: int) -> int:
        return self.session.scalar(select(func.count()).select_from(Callback)
                                   .where(Callback.work_order_id == order_id)) or 0

    def completed_orders(self, limit: int) -> list[int]:
        """Completed orders not yet in the queue; concurrent runs split the work (SKIP LOCKED)."""
        return list(self.session.scalars(select(WorkOrder.id).where(WorkOrder.state == State.COMPLETED)
                                         .order_by(WorkOrder.id).limit(limit).with_for_update(skip_locked=True)))

    def available(self, now: dt.datetime, user_id: int | None, limit: int, *, claim: bool = False) -> list[Callback]:
        """Pending callbacks whose next attempt may be made now and nobody else holds, earliest due first."""
        free = or_(Callback.claimed_until.is_(None), Callback.claimed_until <= now)
        if user_id is not None:
            free = or_(free, Callback.claimed_by_user_id == user_id)
        stmt = (select(Callback).where(Callback.status == CallbackStatus.PENDING, Callback.next_attempt_at <= now,
                                       free).order_by(Callback.due_at, Callback.id).limit(limit))
        if claim:
            stmt = stmt.with_for_update(skip_locked=True).execution_options(populate_existing=True)
        return list(self.session.scalars(stmt))

    def last_asked(self, citizen_id: int) -> Callback | None:
        """The citizen's callback whose 办结 notice asked for a rating most recently (whatever its state), locked:
        a reply answers that notice, never an older one."""
        return self.session.scalars(
            select(Callback).join(WorkOrder, WorkOrder.id == Callback.work_order_id)
            .where(WorkOrder.citizen_id == citizen_id, Callback.by_message_until.is_not(None))
            .order_by(Callback.created_at.desc(), Callback.id.desc()).limit(1)
            .with_for_update(of=Callback).execution_options(populate_existing=True)).first()

    def due_for_dialling(self, now: dt.datetime, limit: int) -> list[Row]:
        """(callback id, phone) of due callbacks never tried by the automated survey and not in progress."""
        in_progress = select(CallbackAttempt.id).where(CallbackAttempt.callback_id == Callback.id,
                                                       CallbackAttempt.finished_at.is_(None)).exists()
        dialled = select(CallbackAttempt.id).where(CallbackAttempt.callback_id == Callback.id,
                                                   CallbackAttempt.mode == AttemptMode.AUTO).exists()
        return list(self.session.execute(
            select(Callback.id, Citizen.phone).join(WorkOrder, WorkOrder.id == Callback.work_order_id)
            .join(Citizen, Citizen.id == WorkOrder.citizen_id)
            .where(Callback.status == CallbackStatus.PENDING, Callback.next_attempt_at <= now,
                   Citizen.phone.is_not(None), ~in_progress, ~dialled)
            .order_by(Callback.due_at).limit(limit)))


class AttemptRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, attempt: CallbackAttempt) -> CallbackAttempt:
        self.session.add(attempt)
        return attempt

    def of(self, callback_id: int) -> Sequence[CallbackAttempt]:
        return self.session.scalars(select(CallbackAttempt).where(CallbackAttempt.callback_id == callback_id)
                                    .order_by(CallbackAttempt.attempt_no)).all()

    def open_for(self, callback_id: int) -> CallbackAttempt | None:
        return self.session.scalars(select(CallbackAttempt).where(
            CallbackAttempt.callback_id == callback_id, CallbackAttempt.finished_at.is_(None))).first()

    def open_auto(self, callback_id: int, attempt_no: int) -> CallbackAttempt | None:
        return self.session.scalars(select(CallbackAttempt).where(
            CallbackAttempt.callback_id == callback_id, CallbackAttempt.attempt_no == attempt_no,
            CallbackAttempt.mode == AttemptMode.AUTO, CallbackAttempt.finished_at.is_(None))).first()

    def unreachable_count(self, callback_id: int) -> int:
        return self.session.scalar(select(func.count()).select_from(CallbackAttempt).where(
            CallbackAttempt.callback_id == callback_id, CallbackAttempt.verdict == Verdict.UNREACHABLE)) or 0

    def remove(self, attempt: CallbackAttempt) -> None:
        self.session.delete(attempt)
