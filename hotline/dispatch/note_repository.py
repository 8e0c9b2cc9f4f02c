"""SQL for internal notes (内部沟通): the notes of one order, with who wrote them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from hotline.models import Assignment, Department, OrderNote, User


class NoteRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, note: OrderNote) -> OrderNote:
        self.session.add(note)
        self.session.flush()
        return note

    def of_order(self, order_id: int, limit: int = 500) -> Sequence[Row]:
        """(note, author's display name, department name or None), oldest first. The caller has already
        found the order in the reader's scope (WorkOrderRepository.find applies `readable`)."""
        return self.session.execute(
            select(OrderNote, User.display_name, Department.name)
            .join(User, User.id == OrderNote.author_user_id)
            .outerjoin(Department, Department.id == OrderNote.department_id)
            .where(OrderNote.work_order_id == order_id)
            .order_by(OrderNote.created_at, OrderNote.id).limit(limit)).all()

    def departments_holding(self, order_id: int) -> list[int]:
        """Departments with an active share of the order: who hears of a new note live."""
        return list(self.session.scalars(select(Assignment.department_id).distinct().where(
            Assignment.work_order_id == order_id, Assignment.active.is_(True))))
