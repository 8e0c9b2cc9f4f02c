"""All SQL for recordings and their transcripts."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from hotline.core.db import dialect_insert
from hotline.core.enums import RecordingKind, RecordingStatus
from hotline.core.errors import NotFoundError
from hotline.models import Recording, Transcript

if TYPE_CHECKING:  # the engine side (numpy, the resampler) is not loaded by who only stores and reads transcripts
    from hotline.asr.transcribe import Transcription

MAX_ATTEMPTS = 5


class RecordingRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, recording_id: int) -> Recording | None:
        return self.session.get(Recording, recording_id)

    def require(self, recording_id: int) -> Recording:
        recording = self.session.get(Recording, recording_id)
        if recording is None:
            raise NotFoundError(f"recording {recording_id} does not exist", error_id="recording_not_found")
        return recording

    def register(self, path: str, kind: RecordingKind, linkedid: str | None, work_order_id: int | None,
                 at: dt.datetime) -> int:
        """The recording's id; a path already registered keeps its first row."""
        self.session.execute(dialect_insert(self.session, Recording).values(
            path=path, kind=kind, linkedid=linkedid, work_order_id=work_order_id, status=RecordingStatus.PENDING,
            created_at=at).on_conflict_do_nothing(index_elements=[Recording.path]))
        return self.session.scalars(select(Recording.id).where(Recording.path == path)).one()

    def waiting(self, cutoff: dt.datetime, include_no_model: bool, batch: int) -> list[int]:
        """Recordings whose job was lost (pending since before `cutoff`) or that waited for a model."""
        lost = and_(Recording.status == RecordingStatus.PENDING, Recording.created_at <= cutoff)
        waiting = or_(lost, Recording.status == RecordingStatus.NO_MODEL) if include_no_model else lost
        single = Recording.kind != RecordingKind.CALL  # a call's recording is heard as a dialogue (voice.calls)
        return list(self.session.scalars(select(Recording.id).where(waiting, single, Recording.attempts < MAX_ATTEMPTS)
                                         .order_by(Recording.id).limit(batch)))

    def status_counts(self) -> dict[str, int]:
        """How many recordings wait, wait for a model, or failed (for /healthz)."""
        statuses = [RecordingStatus.PENDING, RecordingStatus.NO_MODEL, RecordingStatus.FAILED]
        return dict(self.session.execute(select(Recording.status, func.count()).where(
            Recording.status.in_(statuses)).group_by(Recording.status)).all())

    def with_transcripts(self, work_order_id: int | None, linkedids: list[str] | None = None
                         ) -> list[tuple[Recording, Transcript | None]]:
        """The order's recordings (and those of the calls it was registered or updated during), with what was
        heard; with no order, the calls' recordings only."""
        mine = Recording.work_order_id == work_order_id
        calls = Recording.linkedid.in_(linkedids or [])
        return list(self.session.execute(
            select(Recording, Transcript).outerjoin(Transcript, Transcript.recording_id == Recording.id)
            .where(or_(mine, calls) if work_order_id is not None else calls).order_by(Recording.id)).all())


class TranscriptRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, recording_id: int, result: Transcription, at: dt.datetime) -> Transcript | None:
        """The transcript of a recording, once: None when it already has one."""
        inserted = self.session.execute(dialect_insert(self.session, Transcript).values(
            recording_id=recording_id, text=result.text, raw_text=result.raw, engine=result.engine,
            model=result.model, words=result.words, duration_s=result.duration_s, elapsed_s=result.elapsed_s,
            truncated=result.truncated, draft=None, created_at=at,
        ).on_conflict_do_nothing(index_elements=[Transcript.recording_id]).returning(Transcript.id)).first()
        return self.for_recording(recording_id) if inserted is not None else None  # not the row count: see db.rowcount

    def for_recording(self, recording_id: int) -> Transcript | None:
        return self.session.scalars(select(Transcript).where(Transcript.recording_id == recording_id)).first()
