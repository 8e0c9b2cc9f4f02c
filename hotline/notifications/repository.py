"""All SQL of notifications: outbox rows from posting to delivery, receipts, citizens' opt-out, inbound replies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, bindparam, case, or_, select, update
from sqlalchemy.orm import Session

from hotline.core.db import DIALECT_INSERTS, dialect_insert, expire_loaded, rowcount
from hotline.models import Citizen, DeliveryReceiptRow, InboundMessage, OutboxMessage

WAITING = ("pending", "held")
UNFINISHED = ("claimed", "unsure", "uncertain")
_T = cast(Table, OutboxMessage.__table__)
# Every accept releases the held 受理 notice: built once, on the table.
_RELEASE = (update(_T).where(_T.c.work_order_id == bindparam("of_order"), _T.c.notice == bindparam("notice_name"),
                             _T.c.status == "held")
            .values(status="pending", not_before=bindparam("release_at")).returning(_T.c.id))
# The outbox's insert by dialect name, skipping a dedupe key already present.
_INSERTS = {name: (insert(_T).on_conflict_do_nothing(index_elements=[_T.c.dedupe_key])
                   .returning(_T.c.dedupe_key, _T.c.id)) for name, insert in DIALECT_INSERTS.items()}


class OutboxRepository:
    def __init__(self, session: Session):
        self.session = session

    def insert(self, rows: list[dict[str, Any]]) -> dict[str, int]:
        """New rows by dedupe key → id; a key already present is skipped (one event never makes two messages)."""
        if not rows:
            return {}
        # On the table, not the mapped class: the rows come back as ids only, and the ORM's bulk path costs
        # more than the statement itself (an order's create and dispatch each post one or two).
        stmt = _INSERTS[self.session.get_bind().dialect.name]
        return {row.dedupe_key: row.id for row in self.session.execute(stmt, rows)}

    def get(self, message_id: int) -> OutboxMessage | None:
        return self.session.get(OutboxMessage, message_id)

    def claim(self, message_id: int, now: dt.datetime, lease: dt.timedelta) -> OutboxMessage | None:
        """Take a message that is due, unless it is sent, failed, held, or claimed by a live worker; its
        last_outcome becomes `unsure` when an earlier attempt may have got through (ask before sending)."""
        due = or_(OutboxMessage.not_before.is_(None), OutboxMessage.not_before <= now)
        stmt = update(OutboxMessage).where(
            OutboxMessage.id == message_id,
            or_((OutboxMessage.status == "pending") & due,
                (OutboxMessage.status == "sending") & (OutboxMessage.claimed_at < now - lease)),
        ).values(status="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1, last_outcome=case(
            # An attempt that never recorded its outcome (a crash) or timed out may have reached the provider.
            (OutboxMessage.last_outcome.in_(UNFINISHED) | ((OutboxMessage.attempts > 0)
                                                          & OutboxMessage.last_outcome.is_(None)), "unsure"),
            else_="claimed")).returning(OutboxMessage)
        # The claimed row comes back from the UPDATE itself: one round trip, never a stale copy.
        return self.session.scalars(stmt, execution_options={"populate_existing": True,
                                                             "synchronize_session": False}).first()

    def finish(self, message_id: int, **values: Any) -> None:
        """Record one attempt's outcome on a message this worker claimed."""
        self.session.execute(update(OutboxMessage).where(OutboxMessage.id == message_id,
                                                         OutboxMessage.status == "sending").values(**values))

    def due_for_recovery(self, now: dt.datetime, age: dt.timedelta, lease: dt.timedelta,
                         limit: int = 500) -> Sequence[int]:
        """Pending messages whose job was lost or whose retry time has come, and claims of dead workers."""
        fresh_lost = OutboxMessage.not_before.is_(None) & (OutboxMessage.created_at < now - age)
        stmt = select(OutboxMessage.id).where(
            or_((OutboxMessage.status == "pending") & or_(fresh_lost, OutboxMessage.not_before <= now),
                (OutboxMessage.status == "sending") & (OutboxMessage.claimed_at < now - lease)),
        ).order_by(OutboxMessage.id).limit(limit)
        return self.session.scalars(stmt).all()

    def release_held(self, order_id: int, notice: str, not_before: dt.datetime | None) -> list[int]:
        """Held messages of the order's notice become pending (their order was accepted)."""
        released = self.session.scalars(_RELEASE, {"of_order": order_id, "notice_name": notice,
                                                   "release_at": not_before}).all()
        expire_loaded(self.session, OutboxMessage, "id", set(released), "status", "not_before")
        return sorted(released)

    def held(self, order_id: int, notice: str) -> Sequence[OutboxMessage]:
        return self.session.scalars(select(OutboxMessage).where(
            OutboxMessage.work_order_id == order_id, OutboxMessage.notice == notice,
            OutboxMessage.status.in_(WAITING))).all()

    def cancel(self, *, order_id: int | None = None, recipient: str | None = None,
               statuses: Sequence[str] = WAITING) -> int:
        """Citizen messages that must not go any more: the order was closed unaccepted, or the citizen opted out."""
        where = [OutboxMessage.audience == "citizen", OutboxMessage.status.in_(list(statuses))]
        where.append(OutboxMessage.work_order_id == order_id if order_id is not None
                     else OutboxMessage.recipient == recipient)
        return rowcount(self.session.execute(update(OutboxMessage).where(*where).values(status="cancelled")))

    def resend(self, message_ids: Sequence[int]) -> list[int]:
        stmt = (update(OutboxMessage).where(OutboxMessage.id.in_(list(message_ids)),
                                            OutboxMessage.status.in_(["sent", "failed"]))
                .values(status="pending", claimed_at=None, not_before=None, last_outcome="resend")
                .returning(OutboxMessage.id))
        return sorted(self.session.scalars(stmt).all())

    def failed_ids(self, limit: int = 1000) -> list[int]:
        stmt = select(OutboxMessage.id).where(OutboxMessage.status == "failed").order_by(OutboxMessage.id).limit(limit)
        return list(self.session.scalars(stmt))

    def of_order(self, order_id: int) -> Sequence[OutboxMessage]:
        return self.session.scalars(select(OutboxMessage).where(OutboxMessage.work_order_id == order_id)
                                    .order_by(OutboxMessage.id)).all()

    def completion_notice_sent(self, order_id: int) -> bool:
        return self.session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.work_order_id == order_id, OutboxMessage.notice == "completed",
            OutboxMessage.audience == "citizen").limit(1)) is not None


class ReceiptRepository:
    def __init__(self, session: Session):
        self.session = session

    def match(self, provider: str, dedup_key: str | None, provider_message_id: str | None) -> OutboxMessage | None:
        """The message a receipt is about: by our key when echoed, else by the provider's id for it."""
        if dedup_key:
            found = self.session.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key == dedup_key)).first()
            if found is not None:
                return found
        if not provider_message_id:
            return None
        return self.session.scalars(select(OutboxMessage).where(
            OutboxMessage.provider == provider, OutboxMessage.provider_message_id == provider_message_id)).first()

    def add(self, receipt: DeliveryReceiptRow) -> None:
        self.session.add(receipt)

    def of_messages(self, message_ids: Sequence[int]) -> Sequence[DeliveryReceiptRow]:
        return self.session.scalars(select(DeliveryReceiptRow).where(DeliveryReceiptRow.outbox_id.in_(
            list(message_ids))).order_by(DeliveryReceiptRow.id)).all()


class CitizenContactRepository:
    """The contact side of citizens: whom a notice may reach, and who asked for none."""

    def __init__(self, session: Session):
        self.session = session

    def get(self, citizen_id: int | None) -> Citizen | None:
        return self.session.get(Citizen, citizen_id) if citizen_id else None

    def by_phone(self, phone: str) -> Citizen | None:
        return self.session.scalars(select(Citizen).where(Citizen.phone.in_(phone_forms(phone)))).first()

    def set_opt_out(self, citizen_id: int, at: dt.datetime | None) -> None:
        self.session.execute(update(Citizen).where(Citizen.id == citizen_id).values(notices_opted_out_at=at))


class InboundRepository:
    def __init__(self, session: Session):
        self.session = session

    def claim(self, values: dict[str, Any]) -> int | None:
        """Record a reply once: None when the provider pushed this reply id before."""
        stmt = (dialect_insert(self.session, InboundMessage).values(**values)
                .on_conflict_do_nothing(index_elements=[InboundMessage.provider, InboundMessage.reply_id])
                .returning(InboundMessage.id))
        return self.session.scalar(stmt)

    def settle(self, inbound_id: int, outcome: str, citizen_id: int | None, order_id: int | None) -> None:
        self.session.execute(update(InboundMessage).where(InboundMessage.id == inbound_id).values(
            outcome=outcome, citizen_id=citizen_id, work_order_id=order_id))

    def of_order(self, order_id: int) -> Sequence[InboundMessage]:
        return self.session.scalars(select(InboundMessage).where(InboundMessage.work_order_id == order_id)
                                    .order_by(InboundMessage.id)).all()


def phone_forms(phone: str) -> list[str]:
    """The ways one mainland number may have been stored: 13800138000, +8613800138000, 008613800138000."""
    bare = phone.strip().replace(" ", "").replace("-", "")
    for prefix in ("+86", "0086"):
        if bare.startswith(prefix):
            bare = bare[len(prefix):]
    return [bare, f"+86{bare}", f"0086{bare}"]

