"""Dispatch jobs: the periodic SLA sweep, and forgetting submissions' first answers after their window."""

from __future__ import annotations

from hotline.core.db import session_scope
from hotline.core.jobs import Runtime, job
from hotline.dispatch.submissions import SubmissionReplyRepository
from hotline.dispatch.sweep import BATCH, SlaSweep, SweepResult


@job("hotline.sla.sweep")
def sweep(runtime: Runtime, batch: int = BATCH) -> dict:
    """Light and remind every deadline that is due, one committed batch at a time."""
    total = SweepResult()
    while True:
        with session_scope(runtime.session_factory) as session:
            result = SlaSweep(session, runtime.ctx).run_batch(runtime.ctx.clock.now(), batch)
        total += result
        if result.warned < batch and result.overdue < batch:
            return {"warned": total.warned, "overdue": total.overdue}


@job("hotline.submissions.forget")
def forget_submission_replies(runtime: Runtime) -> dict:
    """Empty the sealed first answers of channel submissions whose idempotency window has passed."""
    with session_scope(runtime.session_factory) as session:
        return {"forgotten": SubmissionReplyRepository(session).forget_before(runtime.ctx.clock.now())}
