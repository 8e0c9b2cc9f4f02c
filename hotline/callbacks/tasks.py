"""Callback jobs: completed orders enter the callback queue right after completion and periodically."""

from __future__ import annotations

from hotline.callbacks.service import CallbackService
from hotline.core.db import session_scope
from hotline.core.jobs import Runtime, job


@job("hotline.callbacks.schedule")
def schedule(runtime: Runtime, batch: int = 500) -> int:
    """Every completed order gets its callback; one committed batch at a time."""
    total = 0
    while True:
        with session_scope(runtime.session_factory) as session:
            moved = CallbackService(session, runtime.ctx).schedule(batch)
        total += moved
        if moved < batch:
            return total
