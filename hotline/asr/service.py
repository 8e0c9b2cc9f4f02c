"""Transcription of stored recordings: pending → transcribed | failed | no_model, never holding a
transaction while the recogniser runs. The recording itself is always kept."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from hotline.asr.audio import AudioError
from hotline.asr.engine import Engine
from hotline.asr.repository import RecordingRepository, TranscriptRepository
from hotline.asr.transcribe import Transcription, transcribe
from hotline.core.clock import Clock
from hotline.core.db import session_scope
from hotline.core.enums import RecordingStatus
from hotline.core.errors import NotFoundError
from hotline.core.settings import Settings
from hotline.models import Transcript

log = logging.getLogger(__name__)
CUT_OFF = "recording was cut off before its end; transcribed what is there"


class AsrEnv(Protocol):
    @property
    def settings(self) -> Settings: ...

    @property
    def clock(self) -> Clock: ...


class TranscriptionService:
    def __init__(self, session_factory: sessionmaker[Session], env: AsrEnv) -> None:
        self.session_factory = session_factory
        self.env = env

    def recognise(self, recording_id: int, engine: Engine | None, problem: str | None = None) -> Transcription | str:
        """What the recording says, or the status it is left in (already transcribed, failed, no model)."""
        with session_scope(self.session_factory) as session:
            rec = RecordingRepository(session).get(recording_id)
            if rec is None:
                raise NotFoundError(f"recording {recording_id} does not exist", error_id="recording_not_found")
            if rec.status == RecordingStatus.TRANSCRIBED:
                return rec.status
            if engine is None:
                rec.status, rec.error = RecordingStatus.NO_MODEL, problem or "no speech model"
                return rec.status
            rec.attempts += 1
            path = Path(rec.path)
        try:
            return transcribe(engine, path, max_seconds=self.env.settings.asr_max_seconds)
        except AudioError as exc:  # permanent: the file is as it is; the reason stays with the recording
            with session_scope(self.session_factory) as session:
                rec = RecordingRepository(session).require(recording_id)
                rec.status, rec.error = RecordingStatus.FAILED, exc.message
            log.warning("recording %s not transcribed: %s", recording_id, exc.message)
            return RecordingStatus.FAILED

    def store(self, session: Session, recording_id: int, result: Transcription) -> Transcript | None:
        """Keep what was heard (once per recording); None when a transcript was already there."""
        rec = RecordingRepository(session).require(recording_id)
        transcript = TranscriptRepository(session).add(recording_id, result, self.env.clock.now())
        rec.status = RecordingStatus.TRANSCRIBED
        rec.error = CUT_OFF if result.truncated else None
        return transcript

    def waiting(self, engine_ready: bool, older_than: dt.timedelta, batch: int = 100) -> list[int]:
        """Recordings whose job was lost (pending for a while) or that waited for a model now loaded."""
        with self.session_factory() as session:
            return RecordingRepository(session).waiting(self.env.clock.now() - older_than, engine_ready, batch)
