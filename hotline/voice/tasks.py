"""Transcription jobs: one per recording as it arrives, and a periodic pass for anything missed."""

from __future__ import annotations

import datetime as dt

from hotline.asr.engine import Engine
from hotline.asr.loader import engine_for
from hotline.asr.service import TranscriptionService
from hotline.core.db import session_scope
from hotline.core.enums import RecordingStatus
from hotline.core.jobs import Runtime, job
from hotline.voice.messages import TRANSCRIBE_JOB, VoiceMessages
from hotline.voice.ports import VoiceEnv
from hotline.voice.retention import RecordingRetention


@job(TRANSCRIBE_JOB)
def transcribe(runtime: Runtime, recording_id: int) -> str:
    """Idempotent: a recording already transcribed is left alone; no model → status no_model."""
    engine, problem = engine_for(runtime.ctx.settings)
    return transcribe_recording(runtime, recording_id, engine, problem)


def transcribe_recording(runtime: Runtime, recording_id: int, engine: Engine | None,
                         problem: str | None = None) -> str:
    """Recognise outside any transaction, then keep the words, the draft and the order's text together."""
    env: VoiceEnv = runtime.ctx
    service = TranscriptionService(runtime.session_factory, env)
    heard = service.recognise(recording_id, engine, problem)
    if isinstance(heard, str):
        return heard
    with session_scope(runtime.session_factory) as session:
        transcript = service.store(session, recording_id, heard)
        ready = VoiceMessages(session, env).heard(recording_id, transcript) if transcript else None
    if ready is not None:  # consoles showing the order hear of it (best effort: it is stored either way)
        env.live.publish(ready)
    return RecordingStatus.TRANSCRIBED


@job("hotline.asr.pending")
def pending(runtime: Runtime, batch: int = 100) -> int:
    """Send jobs for recordings whose job was lost (Redis away) or that waited for a model."""
    engine, _ = engine_for(runtime.ctx.settings)
    older = dt.timedelta(seconds=runtime.ctx.settings.job_visibility_timeout)
    ids = TranscriptionService(runtime.session_factory, runtime.ctx).waiting(engine is not None, older, batch)
    for recording_id in ids:
        runtime.queue.send(TRANSCRIBE_JOB, (recording_id,))
    return len(ids)


@job("hotline.recordings.retention")
def retention(runtime: Runtime) -> dict:
    """Delete the recordings whose retention ran out (config/recordings.yaml), one committed batch at a time."""
    rules = runtime.ctx.config.recordings
    deleted, failed = 0, 0
    while True:
        with session_scope(runtime.session_factory) as session:
            result = RecordingRetention(session, rules).sweep_batch(runtime.ctx.clock.now())
        deleted, failed = deleted + len(result.deleted), failed + len(result.failed)
        if not result.deleted:  # a batch of files that cannot be removed must not spin
            return {"deleted": deleted, "failed": failed}
