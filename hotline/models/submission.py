"""The first answer to a channel submission, kept sealed so that a retry with its Idempotency-Key gets it again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class SubmissionReply(Base):
    __tablename__ = "submission_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), unique=True)
    # A keyed hash of the submitted body: the same key with another body is refused, not answered.
    fingerprint: Mapped[str] = mapped_column(String(64))
    # The answer as first sent (it holds the extraction code), encrypted; emptied once the window has passed.
    sealed_reply: Mapped[str | None] = mapped_column(Text)
    keep_until: Mapped[datetime] = mapped_column(index=True)
