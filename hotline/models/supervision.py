"""督办: a supervisor's attention raised on an order (missed deadline, 退单 ping-pong, repeated 不满意)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class Supervision(Base):
    __tablename__ = "supervisions"
    # One overdue record per deadline however often the sweep runs.
    __table_args__ = (UniqueConstraint("deadline_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    kind: Mapped[str] = mapped_column(String(16))  # overdue | arbitration | redo
    status: Mapped[str] = mapped_column(String(16), default="open")
    note: Mapped[str | None] = mapped_column(Text)
    raised_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolved_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution_note: Mapped[str | None] = mapped_column(Text)  # what the supervisor found or decided
