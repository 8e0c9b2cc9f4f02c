"""Notification jobs: deliver one outbox message; recover messages whose job was lost or whose retry is due."""

from __future__ import annotations

import datetime as dt
import logging

from hotline.core.db import session_scope
from hotline.core.jobs import Runtime, enqueue, job
from hotline.notifications.delivery import attempt, prepare, record
from hotline.notifications.outbox import DELIVER
from hotline.notifications.ports import DeliveryEnv
from hotline.notifications.repository import OutboxRepository

log = logging.getLogger(__name__)
RECOVER_AFTER = dt.timedelta(minutes=1)


def _lease(runtime: Runtime) -> dt.timedelta:
    return dt.timedelta(seconds=runtime.ctx.settings.job_visibility_timeout)


@job(DELIVER)
def deliver(runtime: Runtime, message_id: int) -> str:
    """Send one outbox message; a second run for the same message sends nothing."""
    env: DeliveryEnv = runtime.ctx
    with session_scope(runtime.session_factory) as session:
        row = OutboxRepository(session).claim(message_id, env.clock.now(), _lease(runtime))
        if row is None:
            return "skipped"
        prepared = prepare(row, env)
        provider = env.providers[row.channel]
    result = attempt(provider, prepared)  # outside any transaction: a slow provider holds no database lock
    with session_scope(runtime.session_factory) as session:
        outcome = record(session, prepared, provider.name, result, env.clock.now())
    if outcome != "sent":
        log.warning("notification %s not delivered (%s)%s", message_id, result.reason,
                    "; will retry" if outcome == "retry" else "")
    return outcome


@job("hotline.notifications.recover")
def recover(runtime: Runtime) -> int:
    """Re-send jobs for messages left pending (broker was down), due for a retry, or claimed by a worker that died."""
    with session_scope(runtime.session_factory) as session:
        ids = OutboxRepository(session).due_for_recovery(runtime.ctx.clock.now(), RECOVER_AFTER, _lease(runtime))
        for message_id in ids:
            enqueue(session, DELIVER, message_id)
    return len(ids)
