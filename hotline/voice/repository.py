"""All SQL for call dialogues: registered when Asterisk closes the recording, claimed by one job at a time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from hotline.core.db import dialect_insert, rowcount
from hotline.models import AgentStint, Call, CallDialogue, CallOrder, WorkOrder

MAX_ATTEMPTS = 5
PENDING, RUNNING, TRANSCRIBED, FAILED, NO_MODEL = "pending", "running", "transcribed", "failed", "no_model"


class CallDialogueRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, linkedid: str, recording_id: int | None, citizen_path: str, operator_path: str,
            answered_offset_s: float | None, at: dt.datetime) -> bool:
        """Once per call: True when this registered it (a second MixMonitorStop or hang-up adds nothing)."""
        # RETURNING, not the row count: psycopg reports -1 for INSERT … ON CONFLICT DO NOTHING, so on
        # PostgreSQL every MixMonitorStop, hang-up and late CDR of a call sent another job
        return self.session.execute(dialect_insert(self.session, CallDialogue).values(
            linkedid=linkedid, recording_id=recording_id, citizen_path=citizen_path, operator_path=operator_path,
            answered_offset_s=answered_offset_s, status=PENDING, turns=[], created_at=at)
            .on_conflict_do_nothing(index_elements=[CallDialogue.linkedid]).returning(CallDialogue.id)).first() \
            is not None

    def get(self, linkedid: str) -> CallDialogue | None:
        return self.session.scalars(select(CallDialogue).where(CallDialogue.linkedid == linkedid)).first()

    def claim(self, linkedid: str, stale_before: dt.datetime) -> CallDialogue | None:
        """Take the dialogue for transcription unless it is done, failed for good, or another job has it
        (a running claim older than `stale_before` was lost with its worker)."""
        claimable = (CallDialogue.status.in_([PENDING, NO_MODEL])
                     | ((CallDialogue.status == RUNNING) & (CallDialogue.created_at <= stale_before)))
        taken = rowcount(self.session.execute(update(CallDialogue).where(
            CallDialogue.linkedid == linkedid, CallDialogue.attempts < MAX_ATTEMPTS, claimable)
            .values(status=RUNNING, attempts=CallDialogue.attempts + 1)))
        return self.get(linkedid) if taken else None

    def settle(self, linkedid: str, status: str, error: str | None) -> None:
        self.session.execute(update(CallDialogue).where(CallDialogue.linkedid == linkedid)
                             .values(status=status, error=error))

    def waiting(self, cutoff: dt.datetime, include_no_model: bool, batch: int) -> list[str]:
        statuses = [PENDING, RUNNING, NO_MODEL] if include_no_model else [PENDING, RUNNING]
        return list(self.session.scalars(select(CallDialogue.linkedid).where(
            CallDialogue.status.in_(statuses), CallDialogue.created_at <= cutoff,
            CallDialogue.attempts < MAX_ATTEMPTS).order_by(CallDialogue.id).limit(batch)))

    def caller(self, linkedid: str) -> str | None:
        return self.session.scalars(select(Call.caller).where(Call.linkedid == linkedid)).first()

    def operators(self, linkedid: str) -> list[int]:
        """Who took part in the call at the hotline's end (their consoles are told the draft is there)."""
        return sorted(set(self.session.scalars(select(AgentStint.user_id).where(AgentStint.linkedid == linkedid))))

    def orders(self, linkedid: str) -> Sequence[tuple[CallOrder, WorkOrder]]:
        joined = select(CallOrder, WorkOrder).join(WorkOrder, WorkOrder.id == CallOrder.work_order_id)
        return self.session.execute(joined.where(CallOrder.linkedid == linkedid).order_by(CallOrder.id)).all()
