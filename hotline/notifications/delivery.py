"""One delivery attempt of one outbox message: open its sealed values, ask the provider whether an attempt of
unknown outcome already got through, send, and map the provider's answer onto the row — sent, retry at a
time (never at once), or failed; a citizen's failed notice is handed to callbacks for a phone call."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from hotline.core.jobs import enqueue
from hotline.core.security import unseal
from hotline.models import OutboxMessage
from hotline.notifications.outbox import MAX_ATTEMPTS, SEAL_MARK
from hotline.notifications.ports import DeliveryEnv
from hotline.notifications.providers.base import AttemptChecker, Outcome, OutgoingMessage, Provider, SendResult
from hotline.notifications.repository import OutboxRepository

log = logging.getLogger(__name__)
# Jobs of other domains, by name only: notifications does not import callbacks.
NOTICE_FAILED = "hotline.callbacks.notice_failed"
FIRST_RETRY_SECONDS, MAX_RETRY_SECONDS = 60.0, 3600.0


@dataclass(frozen=True)
class Attempt:
    message_id: int
    attempts: int
    outgoing: OutgoingMessage | None  # None: its sealed values could not be opened
    check_first: bool  # an earlier attempt may have reached the provider
    citizen: bool


def prepare(row: OutboxMessage, env: DeliveryEnv) -> Attempt:
    """What to hand the provider for a claimed row."""
    provider = env.providers[row.channel]
    payload = row.payload or {}
    try:
        opened = {name: unseal(env.secret, token) for name, token in (payload.get("sealed") or {}).items()}
    except ValueError:
        return Attempt(row.id, row.attempts, None, False, row.audience == "citizen")
    text, params = row.body, dict(payload.get("params") or {})
    for name, value in opened.items():
        text = text.replace(SEAL_MARK.format(name), value)
        params = {key: v.replace(SEAL_MARK.format(name), value) for key, v in params.items()}
    template = ""
    if row.notice:
        template = env.config.notices.templates[row.notice].providers.get(provider.name, "")
    outgoing = OutgoingMessage(row.dedupe_key, row.channel, row.recipient, template, params, text, row.subject)
    check_first = row.last_outcome == "unsure"
    return Attempt(row.id, row.attempts, outgoing, check_first, row.audience == "citizen")


def attempt(provider: Provider, prepared: Attempt) -> SendResult:
    """Send once — unless the provider says an earlier attempt with the same dedup key already got through."""
    if prepared.outgoing is None:
        return SendResult.give_up("sealed content unreadable (the secret changed?)")
    checker = provider if prepared.check_first and isinstance(provider, AttemptChecker) else None
    if checker is not None and checker.already_accepted(prepared.outgoing):
        return SendResult.sent(None, "an earlier attempt was accepted")
    return provider.send(prepared.outgoing)


def record(session: Session, prepared: Attempt, provider: str, result: SendResult, now: dt.datetime) -> str:
    """Write the outcome on the row; a citizen's message that can never go is handed over for a call."""
    rows = OutboxRepository(session)
    if result.outcome is Outcome.SENT:
        rows.finish(prepared.message_id, status="sent", sent_at=now, last_error=None, last_outcome="sent",
                    not_before=None, provider=provider, provider_message_id=result.provider_message_id)
        return "sent"
    final = result.outcome is Outcome.GIVE_UP or prepared.attempts >= MAX_ATTEMPTS
    if final:
        rows.finish(prepared.message_id, status="failed", last_error=result.reason[:2000], last_outcome="give_up",
                    provider=provider)
        if prepared.citizen:
            enqueue(session, NOTICE_FAILED, prepared.message_id)
        return "failed"
    wait = result.retry_after or min(FIRST_RETRY_SECONDS * 2 ** (prepared.attempts - 1), MAX_RETRY_SECONDS)
    rows.finish(prepared.message_id, status="pending", last_error=result.reason[:2000], provider=provider,
                last_outcome="uncertain" if result.uncertain else "retry",
                not_before=now + dt.timedelta(seconds=wait))
    return "retry"
