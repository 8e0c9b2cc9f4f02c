"""The outbox: a message is a row written with the change that caused it, delivered at most once per claim, and
re-claimed only after the claim's lease has run out. Staff messages name a logical recipient (a department, a
role) that config/notices.yaml turns into the channels its readers chose."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from hotline.core.jobs import enqueue
from hotline.core.notice_config import StaffAddress, StaffRouting
from hotline.notifications.repository import OutboxRepository

MAX_ATTEMPTS = 8
DELIVER = "hotline.notifications.deliver"
SEAL_MARK = "⟦{}⟧"  # where a sealed value stands in body and params until the delivery job opens it


@dataclass(frozen=True)
class Address:
    channel: str
    to: str


class StaffMessage(NamedTuple):
    key: str
    recipient: str  # department:<code>, role:supervisor, role:operator
    subject: str
    body: str
    payload: dict | None = None
    work_order_id: int | None = None


def route(routing: StaffRouting, recipient: str) -> list[Address]:
    """The channels a logical recipient reads; `log` keeps the logical name as its address."""
    kind, _, name = recipient.partition(":")
    chosen: Sequence[StaffAddress] = routing.fallback
    if kind == "department" and name in routing.departments:
        chosen = routing.departments[name]
    elif kind == "role" and name in routing.roles:
        chosen = routing.roles[name]
    return [Address(a.channel, a.to or recipient) for a in chosen]


def dedupe_keys(key: str, addresses: Sequence[Address]) -> list[str]:
    """key:channel, numbered when one recipient reads a channel at more than one address."""
    seen: dict[str, int] = {}
    out = []
    for address in addresses:
        n = seen.get(address.channel, 0)
        seen[address.channel] = n + 1
        out.append(f"{key}:{address.channel}" + (f":{n}" if n else ""))
    return out


class Outbox:
    def __init__(self, session: Session, routing: StaffRouting):
        self.session = session
        self.routing = routing
        self.rows = OutboxRepository(session)

    def post(self, key: str, recipient: str, subject: str, body: str, at: dt.datetime,
             payload: dict | None = None, work_order_id: int | None = None) -> list[int]:
        """Queue one staff message on each channel its recipient reads; a key already posted is not posted again."""
        return self.post_many([StaffMessage(key, recipient, subject, body, payload, work_order_id)], at)

    def post_many(self, messages: Sequence[StaffMessage | tuple], at: dt.datetime) -> list[int]:
        """Queue many staff messages in one statement; each new row gets a delivery job after commit."""
        rows = []
        for message in (StaffMessage(*m) for m in messages):
            addresses = route(self.routing, message.recipient)
            rows += [dict(dedupe_key=dedupe_key, channel=address.channel, recipient=address.to,
                          subject=message.subject, body=message.body, payload=message.payload, status="pending",
                          attempts=0, created_at=at, audience="staff", work_order_id=message.work_order_id)
                     for address, dedupe_key in zip(addresses, dedupe_keys(message.key, addresses), strict=True)]
        return self.queue(rows)

    def queue(self, rows: list[dict[str, Any]]) -> list[int]:
        """Insert rows; those pending and due now get their delivery job, the rest wait (held, quiet hours)."""
        due = {row["dedupe_key"] for row in rows if row["status"] == "pending" and row.get("not_before") is None}
        new = self.rows.insert(rows)
        for dedupe_key, new_id in sorted(new.items(), key=lambda item: item[1]):
            if dedupe_key in due:
                enqueue(self.session, DELIVER, new_id)
        return sorted(new.values())

    def deliver_soon(self, message_ids: Sequence[int]) -> None:
        for message_id in message_ids:
            enqueue(self.session, DELIVER, message_id)


def resend(session: Session, message_ids: Sequence[int]) -> list[int]:
    """Put failed or sent messages back in line (a citizen or department says nothing arrived)."""
    ids = OutboxRepository(session).resend(message_ids)
    for message_id in ids:
        enqueue(session, DELIVER, message_id)
    return ids


def failed_ids(session: Session, limit: int = 1000) -> list[int]:
    return OutboxRepository(session).failed_ids(limit)
