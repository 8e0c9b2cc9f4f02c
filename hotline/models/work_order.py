"""Work orders (工单), their department assignments (主办/协办) and the daily ticket counter."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Float, ForeignKey, Index, Sequence, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hotline.models.base import Base


class WorkOrder(Base):
    __tablename__ = "work_orders"
    __table_args__ = (UniqueConstraint("channel", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_no: Mapped[str] = mapped_column(String(20), unique=True)
    extraction_code_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(20), index=True)
    tier: Mapped[str] = mapped_column(String(16))
    category_code: Mapped[str | None] = mapped_column(String(32))  # a catalogue leaf (小类)
    kind: Mapped[str | None] = mapped_column(String(16))  # 咨询/求助/投诉/举报/建议/表扬, by catalogue code
    # What intake suggested when the order was made: kept or changed, it is the live accuracy.
    suggested_category_code: Mapped[str | None] = mapped_column(String(32))
    suggestion_confidence: Mapped[float | None] = mapped_column(Float)
    suggestion_model: Mapped[str | None] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[str | None] = mapped_column(String(64))
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("citizens.id"), index=True)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(String(200))
    result: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(index=True)
    accepted_at: Mapped[datetime | None] = mapped_column(index=True)
    dispatched_at: Mapped[datetime | None]
    replied_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[str | None] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("work_orders.id"), index=True)
    # The call during which an operator registered it: its recording and transcript belong to the order.
    call_linkedid: Mapped[str | None] = mapped_column(String(64), index=True)
    # The Open311 app (or channel gateway) that submitted it: that client reads it back in full, no other does.
    api_client_id: Mapped[int | None] = mapped_column(ForeignKey("api_clients.id"), index=True)
    # What an Open311 app posted beside the address: WGS-84 coordinates and a link to the citizen's photo.
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    media_url: Mapped[str | None] = mapped_column(String(500))
    redo_count: Mapped[int] = mapped_column(default=0)
    return_count: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="work_order", order_by="Assignment.id", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version}


class Assignment(Base):
    """One department's share of a work order: the lead (主办) or a co-handler (协办)."""

    __tablename__ = "assignments"
    __table_args__ = (
        Index("ix_assignments_department_active", "department_id", "active"),
        # an inbox asks, order by order, whether one of a few departments holds a share of it
        Index("ix_assignments_order_department", "work_order_id", "department_id"),
        # statistics count dispatches and completions by day
        Index("ix_assignments_dispatched_at", "dispatched_at"),
        Index("ix_assignments_completed_at", "completed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    role: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(default=True)
    dispatched_at: Mapped[datetime]
    signed_at: Mapped[datetime | None]
    replied_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    reply_text: Mapped[str | None] = mapped_column(Text)
    result: Mapped[str | None] = mapped_column(Text)

    work_order: Mapped[WorkOrder] = relationship(back_populates="assignments")


class TicketCounter(Base):
    """SQLite: last sequence number handed out per local day; one row per day, bumped atomically (SQLite has one
    writer at a time, so the row's lock costs nothing there)."""

    __tablename__ = "ticket_counters"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last_value: Mapped[int]


# PostgreSQL: one sequence hands out every ticket; a day's numbers count from where the sequence stood when the
# day's first order was numbered. A sequence locks nothing until commit, so creates never queue behind each other.
TICKET_SERIAL = Sequence("ticket_serial", metadata=Base.metadata)


class TicketDay(Base):
    """PostgreSQL: the ticket sequence's value just before the day's first number (written once a day)."""

    __tablename__ = "ticket_days"

    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    base: Mapped[int] = mapped_column(BigInteger)
