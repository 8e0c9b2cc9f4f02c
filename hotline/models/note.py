"""内部沟通: notes between the departments holding an order and the hotline, never shown to citizens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from hotline.models.base import Base


class OrderNote(Base):
    __tablename__ = "order_notes"
    __table_args__ = (Index("ix_order_notes_order_created", "work_order_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"))
    author_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The writer's department; none for the hotline centre and the centre's supervisors.
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    text: Mapped[str] = mapped_column(Text)  # as written; masked when read by a department
    created_at: Mapped[datetime]
