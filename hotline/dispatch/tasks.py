"""Dispatch jobs: the periodic SLA sweep."""

from __future__ import annotations

from hotline.core.db import session_scope
from hotline.core.jobs import Runtime, job
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
