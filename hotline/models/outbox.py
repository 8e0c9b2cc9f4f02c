"""The notification outbox: written in the same transaction as the change, delivered after it commits;
with what each provider reported back (delivery receipts) and what citizens sent us (inbound messages)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_pending", "created_at", postgresql_where=text("status <> 'sent'"),
              sqlite_where=text("status <> 'sent'")),
        # receipts that do not echo our key (Tencent, WeChat) name the provider's id for the message
        Index("ix_outbox_provider_message", "provider", "provider_message_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The same event never produces two messages, and providers get it as their idempotency key.
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    channel: Mapped[str] = mapped_column(String(16))  # sms | wechat | email | wecom | dingtalk | log
    recipient: Mapped[str] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(200))
    # Secrets (an extraction code) are sealed in payload and stand as ⟦name⟧ in body: never in clear here.
    body: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # pending | sending | sent | failed | held (waits for its order's acceptance) | cancelled
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    audience: Mapped[str] = mapped_column(String(12), default="staff", server_default="staff")  # citizen | staff
    notice: Mapped[str | None] = mapped_column(String(24))  # the citizen notice's event (accepted, completed …)
    not_before: Mapped[datetime | None]  # quiet hours, or a provider's retry-after
    # claimed / unsure (this attempt runs; unsure: an earlier one may have reached the provider) | sent | retry |
    # uncertain (timed out: the provider may have it) | give_up | resend
    last_outcome: Mapped[str | None] = mapped_column(String(16))
    provider: Mapped[str | None] = mapped_column(String(32))
    provider_message_id: Mapped[str | None] = mapped_column(String(128))
    delivery: Mapped[str | None] = mapped_column(String(16))  # delivered | undelivered (from receipts)
    delivery_at: Mapped[datetime | None]


class DeliveryReceiptRow(Base):
    """One status report (回执) a provider pushed for one of our messages."""

    __tablename__ = "delivery_receipts"

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id"), index=True)
    provider: Mapped[str] = mapped_column(String(32))
    delivered: Mapped[bool]
    status: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(String(200))
    reported_at: Mapped[str | None] = mapped_column(String(40))  # the provider's own time text
    received_at: Mapped[datetime]


class InboundMessage(Base):
    """A citizen's reply (上行短信) and what it did: rated, opted out, ignored …; one row per provider reply id."""

    __tablename__ = "inbound_messages"
    __table_args__ = (UniqueConstraint("provider", "reply_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    provider: Mapped[str] = mapped_column(String(32))
    reply_id: Mapped[str | None] = mapped_column(String(128))
    sender_masked: Mapped[str] = mapped_column(String(40))
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(16))  # rated | opted_out | ignored | unmatched | not_awaited
    received_at: Mapped[datetime]
