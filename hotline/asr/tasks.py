"""Transcription jobs: one per recording as it arrives, and a periodic pass for anything missed."""

from __future__ import annotations

import datetime as dt

from hotline.asr.engine import engine_for
from hotline.asr.service import TranscriptionService
from hotline.core.jobs import Runtime, job


@job("hotline.asr.transcribe")
def transcribe(runtime: Runtime, recording_id: int) -> str:
    """Idempotent: a recording already transcribed is left alone; no model → status no_model."""
    engine, problem = engine_for(runtime.ctx.settings)
    return TranscriptionService(runtime).run(recording_id, engine, problem)


@job("hotline.asr.pending")
def pending(runtime: Runtime, batch: int = 100) -> int:
    """Send jobs for recordings whose job was lost (Redis away) or that waited for a model."""
    engine, _ = engine_for(runtime.ctx.settings)
    older = dt.timedelta(seconds=runtime.ctx.settings.job_visibility_timeout)
    ids = TranscriptionService(runtime).waiting(engine is not None, older, batch)
    for recording_id in ids:
        runtime.queue.send("hotline.asr.transcribe", (recording_id,))
    return len(ids)
