"""Callbacks (回访): one per completion of an order, with every attempt to reach the citizen."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class Callback(Base):
    """A completed order waiting to be called back; `round` counts completions (0, then 1 after a redo …)."""

    __tablename__ = "callbacks"
    __table_args__ = (
        UniqueConstraint("work_order_id", "round"),
        # The queue reads only pending callbacks, earliest due first.
        Index("ix_callbacks_queue", "next_attempt_at",
              postgresql_where=text("status = 'pending'"), sqlite_where=text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    round: Mapped[int]
    kind: Mapped[str] = mapped_column(String(8))  # full | light (operator answered directly)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))  # lead that completed it
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | done
    due_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int]
    claimed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_until: Mapped[datetime | None]
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(24))
    # The citizen was asked to rate by message (reply or link) and may do so until then; staff call after it.
    by_message_until: Mapped[datetime | None]


class CallbackAttempt(Base):
    """One try to reach the citizen, by a person or the automated survey; unique per (callback, number)."""

    __tablename__ = "callback_attempts"
    __table_args__ = (UniqueConstraint("callback_id", "attempt_no"),
                      Index("ix_callback_attempts_finished_at", "finished_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    callback_id: Mapped[int] = mapped_column(ForeignKey("callbacks.id"))
    attempt_no: Mapped[int]
    mode: Mapped[str] = mapped_column(String(8))  # staff | auto | message
    # Who got the verdict, for the rates: staff | auto (keypad survey) | sms (a reply) | link (the rating page)
    channel: Mapped[str] = mapped_column(String(8), default="staff", server_default="staff")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    verdict: Mapped[str | None] = mapped_column(String(24))  # 结果满意度: was it solved
    process_verdict: Mapped[str | None] = mapped_column(String(24))  # 过程满意度: timely and polite
    comment: Mapped[str | None] = mapped_column(Text)
