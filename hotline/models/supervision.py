"""督办: a supervisor's attention raised on an order (missed deadline, 退单 ping-pong, repeated 不满意,
an emergency tracked until done, a repeated request, a complaint about a department's attitude); and the
约谈 list of departments a supervisor calls in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class Supervision(Base):
    __tablename__ = "supervisions"
    # One overdue record per deadline however often the sweep runs; one record per trigger and order for the
    # triggers that belong to no deadline (trigger_key names the trigger, the order and its round).
    __table_args__ = (UniqueConstraint("deadline_id", "kind"), UniqueConstraint("trigger_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    deadline_id: Mapped[int | None] = mapped_column(ForeignKey("deadlines.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    kind: Mapped[str] = mapped_column(String(16))  # overdue | arbitration | redo | emergency | repeat | attitude
    status: Mapped[str] = mapped_column(String(16), default="open")
    note: Mapped[str | None] = mapped_column(Text)
    raised_at: Mapped[datetime]
    due_at: Mapped[datetime | None]  # the 督办's own deadline (per trigger, config/sla.yaml `supervision`)
    trigger_key: Mapped[str | None] = mapped_column(String(80))
    resolved_at: Mapped[datetime | None]
    resolved_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution_note: Mapped[str | None] = mapped_column(Text)  # what the supervisor found or decided


class Interview(Base):
    """约谈: a department a supervisor calls in, with the reason — a 督办 or its place in the ranking."""

    __tablename__ = "interviews"
    # At most one open 约谈 per department: a second escalation while one is open is refused.
    __table_args__ = (Index("ix_interviews_open_department", "department_id", unique=True,
                            sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    source: Mapped[str] = mapped_column(String(16))  # supervision | ranking
    supervision_id: Mapped[int | None] = mapped_column(ForeignKey("supervisions.id"))
    ranking_month: Mapped[str | None] = mapped_column(String(7))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None]
    resolved_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution_note: Mapped[str | None] = mapped_column(Text)
