"""Notification jobs: deliver one outbox message; recover messages whose job was lost."""

from __future__ import annotations

import datetime as dt
import logging

from hotline.core.db import session_scope
from hotline.core.jobs import Runtime, enqueue, job
from hotline.notifications.outbox import DELIVER, MAX_ATTEMPTS, OutboxRepository
from hotline.notifications.ports import DeliveryError, Message

log = logging.getLogger(__name__)
RECOVER_AFTER = dt.timedelta(minutes=1)


def _lease(runtime: Runtime) -> dt.timedelta:
    return dt.timedelta(seconds=runtime.ctx.settings.job_visibility_timeout)


@job(DELIVER)
def deliver(runtime: Runtime, message_id: int) -> str:
    """Send one outbox message; a second run for the same message sends nothing."""
    ctx = runtime.ctx
    with session_scope(runtime.session_factory) as session:
        row = OutboxRepository(session).claim(message_id, ctx.clock.now(), _lease(runtime))
        if row is None:
            return "skipped"
        message = Message(row.dedupe_key, row.channel, row.recipient, row.subject, row.body)
        attempts = row.attempts
    notifier = ctx.notifiers[message.channel]
    try:
        notifier.send(message)
    except DeliveryError as exc:
        permanent = exc.permanent or attempts >= MAX_ATTEMPTS
        with session_scope(runtime.session_factory) as session:
            OutboxRepository(session).mark_failed(message_id, str(exc), permanent)
        log.warning("notification %s not delivered (%s)%s", message.key, exc, "" if permanent else "; will retry")
        return "failed"
    with session_scope(runtime.session_factory) as session:
        OutboxRepository(session).mark_sent(message_id, ctx.clock.now())
    return "sent"


@job("hotline.notifications.recover")
def recover(runtime: Runtime) -> int:
    """Re-send jobs for messages left pending (broker was down) or claimed by a worker that died."""
    with session_scope(runtime.session_factory) as session:
        ids = OutboxRepository(session).due_for_recovery(runtime.ctx.clock.now(), RECOVER_AFTER, _lease(runtime))
        for message_id in ids:
            enqueue(session, DELIVER, message_id)
    return len(ids)
