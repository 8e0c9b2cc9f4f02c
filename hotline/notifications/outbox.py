"""The outbox: a message is a row written with the change that caused it, delivered at most once
per claim, and re-claimed only after the claim's lease has run out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from hotline.core.db import dialect_insert, rowcount
from hotline.core.jobs import enqueue
from hotline.models import OutboxMessage

MAX_ATTEMPTS = 8
DELIVER = "hotline.notifications.deliver"


class Outbox:
    def __init__(self, session: Session, channels: Sequence[str]):
        self.session = session
        self.channels = list(channels)

    def post(self, key: str, recipient: str, subject: str, body: str, at: dt.datetime,
             payload: dict | None = None) -> list[int]:
        """Queue one message per configured channel; a key already posted is not posted again."""
        return self.post_many([(key, recipient, subject, body, payload)], at)

    def post_many(self, messages: Sequence[tuple[str, str, str, str, dict | None]], at: dt.datetime) -> list[int]:
        """Queue many messages in one statement; each new row gets a delivery job after commit."""
        rows = [dict(dedupe_key=f"{key}:{channel}", channel=channel, recipient=recipient, subject=subject,
                     body=body, payload=payload, status="pending", attempts=0, created_at=at)
                for key, recipient, subject, body, payload in messages for channel in self.channels]
        if not rows:
            return []
        stmt = (dialect_insert(self.session, OutboxMessage)
                .on_conflict_do_nothing(index_elements=[OutboxMessage.dedupe_key]).returning(OutboxMessage.id))
        ids = sorted(self.session.scalars(stmt, rows).all())
        for new_id in ids:
            enqueue(self.session, DELIVER, new_id)
        return ids


class OutboxRepository:
    def __init__(self, session: Session):
        self.session = session

    def claim(self, message_id: int, now: dt.datetime, lease: dt.timedelta) -> OutboxMessage | None:
        """Take a message for delivery unless it is sent, failed, or claimed by a live worker."""
        stmt = update(OutboxMessage).where(
            OutboxMessage.id == message_id,
            or_(OutboxMessage.status == "pending",
                (OutboxMessage.status == "sending") & (OutboxMessage.claimed_at < now - lease)),
        ).values(status="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1)
        if rowcount(self.session.execute(stmt)) != 1:
            return None
        return self.session.get(OutboxMessage, message_id, populate_existing=True)

    def mark_sent(self, message_id: int, now: dt.datetime) -> None:
        self.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id)
                             .values(status="sent", sent_at=now, last_error=None))

    def mark_failed(self, message_id: int, reason: str, permanent: bool) -> None:
        self.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id).values(
            status="failed" if permanent else "pending", last_error=reason[:2000]))

    def due_for_recovery(self, now: dt.datetime, age: dt.timedelta, lease: dt.timedelta,
                         limit: int = 500) -> Sequence[int]:
        stmt = select(OutboxMessage.id).where(
            or_((OutboxMessage.status == "pending") & (OutboxMessage.created_at < now - age),
                (OutboxMessage.status == "sending") & (OutboxMessage.claimed_at < now - lease)),
        ).order_by(OutboxMessage.id).limit(limit)
        return self.session.scalars(stmt).all()


def resend(session: Session, message_ids: Sequence[int]) -> list[int]:
    """Put failed or sent messages back in line (a citizen or department says nothing arrived)."""
    stmt = (update(OutboxMessage).where(OutboxMessage.id.in_(list(message_ids)), OutboxMessage.status != "sending")
            .values(status="pending", claimed_at=None).returning(OutboxMessage.id))
    ids = sorted(session.scalars(stmt).all())
    for message_id in ids:
        enqueue(session, DELIVER, message_id)
    return ids


def failed_ids(session: Session, limit: int = 1000) -> list[int]:
    stmt = select(OutboxMessage.id).where(OutboxMessage.status == "failed").order_by(OutboxMessage.id).limit(limit)
    return list(session.scalars(stmt))
