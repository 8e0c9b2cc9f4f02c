"""What the IVR asks of hotline, run off the event loop: the message order, case status, survey answers."""

from __future__ import annotations

import asyncio

from sqlalchemy.orm import Session, sessionmaker

from hotline.callbacks.service import CallbackService
from hotline.core.db import session_scope
from hotline.core.errors import HotlineError
from hotline.core.ratelimit import RateLimiter, subject_key
from hotline.dispatch import tickets
from hotline.dispatch.repository import WorkOrderRepository
from hotline.voice.messages import VoiceMessages, discard_silent, heard_speech, local_path
from hotline.voice.ports import VoiceEnv


class DatabaseServices:
    """The IVR's Services port on the database: each answer is one short unit of work on a thread."""

    def __init__(self, env: VoiceEnv, session_factory: sessionmaker[Session],
                 attempts: RateLimiter | None = None) -> None:
        self.env, self.session_factory, self.attempts = env, session_factory, attempts

    async def message_order(self, caller: str | None, linkedid: str, recording: str) -> tuple[str, str] | None:
        return await asyncio.to_thread(self.message_order_now, caller, linkedid, recording)

    async def case_status(self, ticket_no: str, code: str) -> str | None:
        return await asyncio.to_thread(self.case_status_now, ticket_no, code)

    async def survey(self, callback_id: int, attempt: int, key: str | None) -> bool:
        return await asyncio.to_thread(self.survey_now, callback_id, attempt, key)

    def message_order_now(self, caller: str | None, linkedid: str, recording: str) -> tuple[str, str] | None:
        """An order for a message with speech in it; a silent one is discarded and makes none."""
        local = local_path(self.env.settings.recordings_dir, recording)
        if not heard_speech(local):
            discard_silent(local)
            return None
        with session_scope(self.session_factory) as session:
            return VoiceMessages(session, self.env).register(caller, linkedid, recording)

    def case_status_now(self, ticket_no: str, code: str) -> str | None:
        """The case's state; None for a wrong code, and for any code once the ticket's hourly guesses are spent
        (shared with the web look-up)."""
        if self.attempts and not self.attempts.hit(subject_key(tickets.CODE_GUESS_SCOPE, ticket_no),
                                                   tickets.CODE_GUESSES_PER_HOUR, 3600):
            return None
        with self.session_factory() as session:
            order = WorkOrderRepository(session).by_ticket(ticket_no)
            if order is None or not tickets.check_extraction_code(self.env.secret, ticket_no, code,
                                                                  order.extraction_code_hash):
                return None
            return order.state

    def survey_now(self, callback_id: int, attempt: int, key: str | None) -> bool:
        try:
            with session_scope(self.session_factory) as session:
                return CallbackService(session, self.env).record_survey(callback_id, attempt, key) is not None
        except HotlineError:
            return False
