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


@job("hotline.callbacks.dial")
def dial(runtime: Runtime, batch: int = 20) -> int:
    """Automated satisfaction callbacks: Originate into the IVR survey (keys 1/2/3), once per attempt."""
    from hotline.core.errors import HotlineError
    from hotline.telephony.pbx import Pbx

    ctx = runtime.ctx
    if not ctx.config.callbacks.automated.enabled or not ctx.settings.ami_host:
        return 0
    with session_scope(runtime.session_factory) as session:
        reserved = CallbackService(session, ctx).reserve_auto(batch)
    pbx, dialled = Pbx.from_settings(ctx.settings), 0
    for callback_id, attempt, phone in reserved:
        try:
            pbx.originate(f"callback-{callback_id}-{attempt}", f"Local/{phone}@hotline-out", "hotline-survey", "s",
                          "12345", {"HOTLINE_CALLBACK": str(callback_id), "HOTLINE_ATTEMPT": str(attempt)})
            dialled += 1
        except HotlineError:  # Asterisk never got it: the attempt is given back for the next run
            with session_scope(runtime.session_factory) as session:
                CallbackService(session, ctx).release_auto(callback_id, attempt)
    return dialled
