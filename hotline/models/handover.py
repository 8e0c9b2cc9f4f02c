"""转接: a citizen handed from the operator's call to an emergency line or a department's duty phone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class Handover(Base):
    """Who handed which call to whom, when, how (blind or attended) and what Asterisk said came of it."""

    __tablename__ = "handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    linkedid: Mapped[str] = mapped_column(String(64), index=True)  # the call (calls.linkedid once stored)
    work_order_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    target_kind: Mapped[str] = mapped_column(String(16))  # emergency | department
    target_code: Mapped[str] = mapped_column(String(32))  # '110', 'gas' … or a department code
    target_name: Mapped[str] = mapped_column(String(60))
    number: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(16))  # blind | attended
    # requested → transferred (blind placed) | consulting (attended) → connected | failed | cancelled
    state: Mapped[str] = mapped_column(String(16), index=True)
    action_id: Mapped[str] = mapped_column(String(64), unique=True)
    operator_channel: Mapped[str] = mapped_column(String(128))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime]
    settled_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(Text)  # Asterisk's words: Result, DestType, DialStatus …
