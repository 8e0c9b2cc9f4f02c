"""SQL for the 约谈 list: departments a supervisor calls in, read and changed within the supervisor's scope."""

from __future__ import annotations

from sqlalchemy import Row, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from hotline.core.actor import Actor
from hotline.dispatch.scope import departments_readable
from hotline.models import Department, Interview, Supervision, WorkOrder


class InterviewRepository:
    def __init__(self, session: Session):
        self.session = session

    def department_in_scope(self, code: str, actor: Actor) -> Department | None:
        return self.session.scalars(select(Department).where(Department.code == code,
                                                             departments_readable(actor))).one_or_none()

    def add(self, interview: Interview) -> bool:
        """Insert; False when the department already has an open 约谈 (the partial unique index decides, so two
        supervisors escalating at once leave one row)."""
        try:
            with self.session.begin_nested():
                self.session.add(interview)
                self.session.flush()
        except IntegrityError:
            return False
        return True

    def get(self, interview_id: int, actor: Actor, *, lock: bool = False) -> Interview | None:
        """The 约谈 of a department in `actor`'s subtree; with `lock`, read from the locked row."""
        stmt = (select(Interview).join(Department, Department.id == Interview.department_id)
                .where(Interview.id == interview_id, departments_readable(actor)))
        if lock:
            stmt = stmt.with_for_update(of=Interview).execution_options(populate_existing=True)
        return self.session.scalars(stmt).one_or_none()

    def ticket_of(self, supervision_id: int | None) -> str | None:
        if supervision_id is None:
            return None
        return self.session.scalar(select(WorkOrder.ticket_no)
                                   .join(Supervision, Supervision.work_order_id == WorkOrder.id)
                                   .where(Supervision.id == supervision_id))

    def listing(self, actor: Actor, status: str | None, limit: int, offset: int) -> list[Row]:
        """(interview, department code, department name, ticket of its 督办 or None), newest first."""
        sup = aliased(Supervision)
        stmt = (select(Interview, Department.code, Department.name, WorkOrder.ticket_no)
                .join(Department, Department.id == Interview.department_id)
                .outerjoin(sup, sup.id == Interview.supervision_id)
                .outerjoin(WorkOrder, WorkOrder.id == sup.work_order_id)
                .where(departments_readable(actor)))
        if status:
            stmt = stmt.where(Interview.status == status)
        return list(self.session.execute(stmt.order_by(Interview.created_at.desc(), Interview.id.desc())
                                          .limit(limit).offset(offset)))
