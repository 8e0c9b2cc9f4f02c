"""The SLA sweep: yellow light and 催办 when a deadline nears, red light and 督办 when it passes.

Each batch is one conditional UPDATE over a partial index that holds only deadlines not yet
acted on, so a sweep costs what is due, not what is open; a deadline changes light once, and
reminders and supervisions are unique per deadline, so running the sweep twice sends nothing twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Row, select, update
from sqlalchemy.orm import Session

from hotline.core.db import dialect_insert
from hotline.core.enums import DeadlineStatus, Light
from hotline.dispatch import notices
from hotline.dispatch.ports import DispatchEnv
from hotline.dispatch.supervision_repository import SupervisionRepository
from hotline.live.after_commit import publish_after_commit
from hotline.live.events import DepartmentNotice
from hotline.models import Deadline, Department, Reminder, WorkOrder
from hotline.notifications.outbox import Outbox

BATCH = 500


@dataclass
class SweepResult:
    warned: int = 0
    overdue: int = 0

    def __iadd__(self, other: SweepResult) -> SweepResult:
        self.warned += other.warned
        self.overdue += other.overdue
        return self


class SlaSweep:
    def __init__(self, session: Session, ctx: DispatchEnv):
        self.session = session
        self.ctx = ctx
        self.outbox = Outbox(session, ctx.config.notices.staff)
        self.supervisions = SupervisionRepository(session)

    def run_batch(self, now: dt.datetime, batch: int = BATCH) -> SweepResult:
        """One batch of each kind; the caller commits and repeats while a batch came back full."""
        overdue = self._turn(Light.RED, Deadline.due_at <= now, Deadline.light != Light.RED, batch)
        # A deadline already missed is told as overdue, not warned about late.
        warned = self._turn(Light.YELLOW, (Deadline.warn_at <= now) & (Deadline.due_at > now),
                            Deadline.light == Light.GREEN, batch)
        self._remind(warned, "warning", now)
        self._remind(overdue, "overdue", now)
        if overdue:
            self.supervisions.raise_many(
                [{"work_order_id": r.work_order_id, "deadline_id": r.id, "department_id": r.department_id}
                 for r in overdue], "overdue", now)
        return SweepResult(len(warned), len(overdue))

    def _turn(self, light: Light, reached, not_yet, batch: int) -> list[Row]:
        due = (select(Deadline.id).where(Deadline.status == DeadlineStatus.OPEN, not_yet, reached)
               .limit(batch).with_for_update(skip_locked=True))
        stmt = (update(Deadline).where(Deadline.id.in_(due.scalar_subquery()), not_yet).values(light=light)
                .returning(Deadline.id, Deadline.work_order_id, Deadline.department_id, Deadline.kind,
                           Deadline.due_at))
        return list(self.session.execute(stmt, execution_options={"synchronize_session": False}))

    def _remind(self, rows: list[Row], kind: str, now: dt.datetime) -> None:
        """One reminder per deadline and kind, and its messages; all set-based for the batch."""
        if not rows:
            return
        stmt = (dialect_insert(self.session, Reminder)
                .on_conflict_do_nothing(index_elements=[Reminder.deadline_id, Reminder.kind])
                .returning(Reminder.deadline_id))
        fresh = set(self.session.scalars(stmt, [
            {"deadline_id": r.id, "work_order_id": r.work_order_id, "department_id": r.department_id,
             "kind": kind, "created_at": now} for r in rows]).all())
        rows = [r for r in rows if r.id in fresh]
        tickets = dict(self.session.execute(select(WorkOrder.id, WorkOrder.ticket_no)
                                            .where(WorkOrder.id.in_({r.work_order_id for r in rows}))).all())
        codes = dict(self.session.execute(select(Department.id, Department.code)
                                          .where(Department.id.in_({r.department_id for r in rows}))).all())
        write = notices.reminder if kind == "warning" else notices.overdue
        messages = []
        for r in rows:
            ticket_no = tickets[r.work_order_id]
            subject, body = write(self.ctx, ticket_no, r.kind, r.due_at)
            recipient = notices.department(codes[r.department_id]) if r.department_id else notices.OPERATORS
            messages.append((f"{kind}:{r.id}", recipient, subject, body, {"ticket_no": ticket_no}, r.work_order_id))
            if kind == "overdue":
                messages.append((f"supervise:{r.id}", notices.SUPERVISORS, subject, body, {"ticket_no": ticket_no},
                                 r.work_order_id))
                if r.department_id:  # 超期督办, heard live on the department's workbench
                    publish_after_commit(self.session, DepartmentNotice(r.department_id, "supervised", ticket_no,
                                                                        body))
        self.outbox.post_many(messages, now)
