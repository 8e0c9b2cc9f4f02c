"""What a call became: the orders created or updated during it, and the dialogue heard in its recording."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class CallOrder(Base):
    """An order created or updated during a call (by Linkedid), whichever client sent it."""

    __tablename__ = "call_orders"
    __table_args__ = (UniqueConstraint("linkedid", "work_order_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    linkedid: Mapped[str] = mapped_column(String(64), index=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    how: Mapped[str] = mapped_column(String(16))  # created | updated (the first link is kept)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    linked_at: Mapped[datetime]


class CallDialogue(Base):
    """A call's two directions (MixMonitor r() and t() files) transcribed into turns, and the intake draft
    made from the citizen's side, offered for 话后处理 while the call's order is unfinished."""

    __tablename__ = "call_dialogues"

    id: Mapped[int] = mapped_column(primary_key=True)
    linkedid: Mapped[str] = mapped_column(String(64), unique=True)
    recording_id: Mapped[int | None] = mapped_column(ForeignKey("recordings.id"), index=True)
    citizen_path: Mapped[str] = mapped_column(String(255))  # what the citizen said (the receive feed)
    operator_path: Mapped[str] = mapped_column(String(255))  # what the citizen heard (the transmit feed)
    answered_offset_s: Mapped[float | None]  # the operator's side starts here; before it is the IVR
    # pending | running | transcribed | failed | no_model
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    turns: Mapped[list[Any]] = mapped_column(JSON, default=list)  # speaker, start, end, text, words
    citizen_text: Mapped[str | None] = mapped_column(Text)
    operator_text: Mapped[str | None] = mapped_column(Text)
    draft: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    engine: Mapped[str | None] = mapped_column(String(32))
    model: Mapped[str | None] = mapped_column(String(128))
    duration_s: Mapped[float | None]
    elapsed_s: Mapped[float | None]
    created_at: Mapped[datetime]
    transcribed_at: Mapped[datetime | None]
