"""What the IVR asks of hotline, run off the event loop: the message order, case status, survey answers."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select

from hotline.callbacks.service import CallbackService
from hotline.core.actor import SYSTEM
from hotline.core.db import dialect_insert, session_scope
from hotline.core.enums import Channel
from hotline.core.errors import HotlineError
from hotline.core.jobs import Runtime, enqueue
from hotline.dispatch import tickets
from hotline.dispatch.repository import WorkOrderRepository
from hotline.dispatch.schemas import WorkOrderDraft
from hotline.dispatch.service import WorkOrderService
from hotline.models import Recording

MESSAGE_TITLE = "语音留言"
MESSAGE_CONTENT = "市民通过12345热线语音留言，录音待转写。"


class DatabaseServices:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def message_order(self, caller: str | None, linkedid: str, recording: str) -> tuple[str, str]:
        return await asyncio.to_thread(self._message_order, caller, linkedid, recording)

    async def case_status(self, ticket_no: str, code: str) -> str | None:
        return await asyncio.to_thread(self._case_status, ticket_no, code)

    async def survey(self, callback_id: int, attempt: int, key: str | None) -> bool:
        return await asyncio.to_thread(self._survey, callback_id, attempt, key)

    def _message_order(self, caller: str | None, linkedid: str, recording: str) -> tuple[str, str]:
        """A work order in state received with the recording attached (one per call, however often asked)."""
        ctx = self.runtime.ctx
        local = ctx.settings.recordings_dir / Path(recording).name  # the same file on hotline's side
        with session_scope(self.runtime.session_factory) as session:
            created = WorkOrderService(session, ctx).create(WorkOrderDraft(
                title=MESSAGE_TITLE, content=MESSAGE_CONTENT, channel=Channel.PHONE, source_id=linkedid,
                citizen_phone=caller), SYSTEM)
            code = created.extraction_code
            if code is None:  # the IVR asked twice for the same call: give the order a new code to read out
                code = tickets.new_extraction_code()
                created.order.extraction_code_hash = tickets.hash_extraction_code(
                    ctx.secret, created.order.ticket_no, code)
            session.execute(dialect_insert(session, Recording).values(
                path=str(local), kind="message", linkedid=linkedid, work_order_id=created.order.id,
                status="pending", created_at=ctx.clock.now()).on_conflict_do_nothing(index_elements=[Recording.path]))
            recording_id = session.scalar(select(Recording.id).where(Recording.path == str(local)))
            enqueue(session, "hotline.asr.transcribe", recording_id)
            return created.order.ticket_no, code

    def _case_status(self, ticket_no: str, code: str) -> str | None:
        with self.runtime.session_factory() as session:
            order = WorkOrderRepository(session).by_ticket(ticket_no)
            if order is None or not tickets.check_extraction_code(self.runtime.ctx.secret, ticket_no, code,
                                                                  order.extraction_code_hash):
                return None
            return order.state

    def _survey(self, callback_id: int, attempt: int, key: str | None) -> bool:
        try:
            with session_scope(self.runtime.session_factory) as session:
                return CallbackService(session, self.runtime.ctx).record_survey(callback_id, attempt, key) is not None
        except HotlineError:
            return False
