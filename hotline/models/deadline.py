"""Deadlines as rows (never memory timers), the reminders (催办) sent for them, and extension requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class Deadline(Base):
    """One clock on a work order (accept / reply / complete) with its light."""

    __tablename__ = "deadlines"
    __table_args__ = (
        # The SLA sweep reads only deadlines it has not yet acted on; each index holds just those,
        # so a sweep costs what is due, not what is open.
        Index("ix_deadlines_to_warn", "warn_at",
              postgresql_where=text("status = 'open' AND light = 'green'"),
              sqlite_where=text("status = 'open' AND light = 'green'")),
        Index("ix_deadlines_to_overdue", "due_at",
              postgresql_where=text("status = 'open' AND light <> 'red'"),
              sqlite_where=text("status = 'open' AND light <> 'red'")),
        Index("ix_deadlines_kind_due_at", "kind", "due_at"),  # on-time rates count deadlines by due day
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    kind: Mapped[str] = mapped_column(String(16))
    starts_at: Mapped[datetime]
    warn_at: Mapped[datetime]
    due_at: Mapped[datetime]
    provisional: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(16), default="open")
    light: Mapped[str] = mapped_column(String(8), default="green")
    met_at: Mapped[datetime | None]


class Reminder(Base):
    """A 催办 (warning) or overdue notice sent for a deadline; unique so a sweep never sends twice."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("deadline_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id"))
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]


class ExtensionRequest(Base):
    """A department's request for more time (延期), decided by the hotline centre."""

    __tablename__ = "extension_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    requested_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    days: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    requested_at: Mapped[datetime]
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)
