"""After-call transcription jobs: one per call when its recording closes, and a pass for anything missed."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from hotline.asr.audio import AudioError
from hotline.asr.dialogue import RecordingOpen, transcribe_dialogue
from hotline.asr.engine import Engine
from hotline.asr.loader import engine_for
from hotline.asr.repository import RecordingRepository
from hotline.core.db import session_scope
from hotline.core.jobs import Runtime, job
from hotline.voice.calls import CALL_JOB, CallRecordings
from hotline.voice.ports import VoiceEnv
from hotline.voice.repository import FAILED, NO_MODEL, PENDING, TRANSCRIBED, CallDialogueRepository

log = logging.getLogger(__name__)


@job(CALL_JOB)
def transcribe_call(runtime: Runtime, linkedid: str, caller: str | None = None) -> str:
    """Idempotent: a call already transcribed, or taken by another job, is left alone."""
    engine, problem = engine_for(runtime.ctx.settings)
    return transcribe_call_with(runtime, linkedid, engine, caller, problem)


def transcribe_call_with(runtime: Runtime, linkedid: str, engine: Engine | None, caller: str | None = None,
                         problem: str | None = None) -> str:
    """Claim, recognise both sides outside any transaction, then keep the dialogue and the draft together.
    A cut-off file fails the call with the reason and stores no words; a file still open waits."""
    env: VoiceEnv = runtime.ctx
    stale = env.clock.now() - dt.timedelta(seconds=env.settings.job_visibility_timeout)
    with session_scope(runtime.session_factory) as session:
        repo = CallDialogueRepository(session)
        if engine is None:
            row = repo.get(linkedid)
            if row is not None and row.status == PENDING:
                repo.settle(linkedid, NO_MODEL, problem or "no speech model")
            return NO_MODEL
        row = repo.claim(linkedid, stale)
        if row is None:
            return "skipped"
        citizen, operator, offset = Path(row.citizen_path), Path(row.operator_path), row.answered_offset_s
    try:
        heard = transcribe_dialogue(engine, citizen, operator, offset)
    except RecordingOpen as exc:
        _settle(runtime, linkedid, PENDING, exc.message)
        return PENDING
    except AudioError as exc:
        _settle(runtime, linkedid, FAILED, exc.message)
        log.warning("call %s not transcribed: %s", linkedid, exc.message)
        return FAILED
    with session_scope(runtime.session_factory) as session:
        ready = CallRecordings(session, env).store(linkedid, heard, caller)
    if ready is not None:  # its operators' consoles hear of it (best effort: it is stored either way)
        env.live.publish(ready)
    return TRANSCRIBED


def _settle(runtime: Runtime, linkedid: str, status: str, error: str) -> None:
    with session_scope(runtime.session_factory) as session:
        repo = CallDialogueRepository(session)
        repo.settle(linkedid, status, error)
        row = repo.get(linkedid)
        if status == FAILED and row is not None and row.recording_id is not None:
            recording = RecordingRepository(session).get(row.recording_id)
            if recording is not None:
                recording.status, recording.error = FAILED, error


@job("hotline.calls.pending")
def pending_calls(runtime: Runtime, batch: int = 100) -> int:
    """Send jobs for calls whose job was lost, whose file was still open, or that waited for a model."""
    engine, _ = engine_for(runtime.ctx.settings)
    cutoff = runtime.ctx.clock.now() - dt.timedelta(seconds=runtime.ctx.settings.job_visibility_timeout)
    with runtime.session_factory() as session:
        linkedids = CallDialogueRepository(session).waiting(cutoff, engine is not None, batch)
    for linkedid in linkedids:
        runtime.queue.send(CALL_JOB, (linkedid,))
    return len(linkedids)
