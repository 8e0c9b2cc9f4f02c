"""Transcription of stored recordings: pending → transcribed | failed | no_model, never holding a
transaction while the recogniser runs. The transcript replaces a voice message's placeholder text
and its intake draft waits for the operator; the recording itself is always kept."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from sqlalchemy import and_, or_, select

from hotline.asr.audio import AudioError
from hotline.asr.engine import Engine
from hotline.asr.transcribe import Transcription, transcribe
from hotline.core.actor import SYSTEM
from hotline.core.db import dialect_insert, session_scope
from hotline.core.errors import NotFoundError
from hotline.core.jobs import Runtime
from hotline.dispatch.lifecycle import Action, allowed_actions
from hotline.dispatch.repository import WorkOrderRepository
from hotline.intake.service import IntakeService
from hotline.ivr.services import MESSAGE_CONTENT as PLACEHOLDER
from hotline.ivr.services import MESSAGE_TITLE as TITLE
from hotline.models import Citizen, Recording, Transcript, WorkOrder

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class TranscriptionService:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.ctx = runtime.ctx

    def run(self, recording_id: int, engine: Engine | None, problem: str | None = None) -> str:
        """Transcribe one recording (idempotent); returns its status afterwards."""
        with session_scope(self.runtime.session_factory) as session:
            rec = session.get(Recording, recording_id)
            if rec is None:
                raise NotFoundError(f"recording {recording_id} does not exist")
            if rec.status == "transcribed":
                return rec.status
            if engine is None:
                rec.status, rec.error = "no_model", problem or "no speech model"
                return rec.status
            rec.attempts += 1
            path = Path(rec.path)
        try:
            result = transcribe(engine, path, max_seconds=self.ctx.settings.asr_max_seconds)
        except AudioError as exc:  # permanent: the file is as it is; the reason stays with the recording
            with session_scope(self.runtime.session_factory) as session:
                rec = session.get(Recording, recording_id)
                rec.status, rec.error = "failed", exc.message
            log.warning("recording %s not transcribed: %s", recording_id, exc.message)
            return "failed"
        return self._store(recording_id, result)

    def _store(self, recording_id: int, result: Transcription) -> str:
        now = self.ctx.clock.now()
        with session_scope(self.runtime.session_factory) as session:
            rec = session.get(Recording, recording_id)
            order = session.get(WorkOrder, rec.work_order_id) if rec.work_order_id else None
            draft = None
            if order is not None:
                phone = session.scalar(select(Citizen.phone).where(Citizen.id == order.citizen_id)) \
                    if order.citizen_id else None
                draft = IntakeService(session, self.ctx).analyze(
                    result.text[: self.ctx.config.intake.max_chars], phone, exclude_order_id=order.id).as_dict()
            inserted = session.execute(dialect_insert(session, Transcript).values(
                recording_id=recording_id, text=result.text, raw_text=result.raw, engine=result.engine,
                model=result.model, words=result.words, duration_s=result.duration_s, elapsed_s=result.elapsed_s,
                truncated=result.truncated, draft=draft, created_at=now,
            ).on_conflict_do_nothing(index_elements=[Transcript.recording_id])).rowcount
            rec.status = "transcribed"
            rec.error = "recording was cut off before its end; transcribed what is there" if result.truncated else None
            if inserted and order is not None:
                self._fill(session, order, result, draft, recording_id, now)
            ticket = order.ticket_no if order is not None else None
        self._announce(recording_id, ticket, result, draft)
        return "transcribed"

    def _fill(self, session, order: WorkOrder, result: Transcription, draft: dict | None, recording_id: int,
              now: dt.datetime) -> None:
        """A voice message still with the hotline gets the transcript as its text."""
        if order.content != PLACEHOLDER or not result.text:
            return
        if Action.TRANSCRIBE not in allowed_actions(order.state, SYSTEM.role):
            return  # already dispatched or closed: the transcript stays beside the order
        order.content = result.text
        if draft and draft.get("category"):
            order.title = f"{TITLE}：{draft['category']['name']}"[:200]
        if draft and draft.get("place") and not order.place:
            order.place = draft["place"][:200]
        WorkOrderRepository(session).add_event(order, Action.TRANSCRIBE, order.state, SYSTEM, now, data={
            "recording_id": recording_id, "engine": result.engine, "model": result.model,
            "suggested": {k: draft.get(k) for k in ("tier", "category", "department", "place")} if draft else None})

    def _announce(self, recording_id: int, ticket: str | None, result: Transcription, draft: dict | None) -> None:
        """Consoles showing this order hear of the transcript (best effort: it is stored either way)."""
        try:
            from hotline.telephony.bus import bus_for

            bus_for(self.ctx.settings.redis_url).publish("transcripts", {
                "type": "transcript", "recording_id": recording_id, "ticket": ticket, "text": result.text,
                "draft": draft})
        except Exception as exc:
            log.info("transcript of recording %s not announced (%s)", recording_id, exc)

    def waiting(self, engine_ready: bool, older_than: dt.timedelta, batch: int = 100) -> list[int]:
        """Recordings whose job was lost (pending for a while) or that waited for a model now loaded."""
        cutoff = self.ctx.clock.now() - older_than
        lost = and_(Recording.status == "pending", Recording.created_at <= cutoff)
        waiting = or_(lost, Recording.status == "no_model") if engine_ready else lost
        with self.runtime.session_factory() as session:
            return list(session.scalars(select(Recording.id).where(waiting, Recording.attempts < MAX_ATTEMPTS)
                                        .order_by(Recording.id).limit(batch)))
