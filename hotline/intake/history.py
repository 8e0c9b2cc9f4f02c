"""All SQL the learned router needs: orders in their final state, the returns that teach the negative,
and imported history."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.enums import AssignmentRole, AssignmentStatus, CloseReason
from hotline.dispatch.scope import readable
from hotline.intake.training import Example
from hotline.models import Assignment, Department, IntakeHistory, WorkOrder

NOT_A_REQUEST = (CloseReason.INVALID.value, CloseReason.DUPLICATE.value)


class HistoryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def final_orders(self, limit: int) -> list[Example]:
        """The newest orders with a category, as they stand now: the category after any correction and the
        lead department that kept the order (not one that returned it). Invalid and duplicate orders teach
        nothing."""
        rows = self.session.execute(
            select(WorkOrder.id, WorkOrder.ticket_no, WorkOrder.content, WorkOrder.category_code, WorkOrder.place,
                   WorkOrder.received_at)
            .where(WorkOrder.category_code.is_not(None),
                   WorkOrder.close_reason.is_(None) | WorkOrder.close_reason.not_in(NOT_A_REQUEST))
            .order_by(WorkOrder.received_at.desc()).limit(limit)).all()
        leads = self._final_leads([r.id for r in rows])
        return [Example(r.content, r.category_code, leads.get(r.id), r.place, r.ticket_no, r.received_at, "history")
                for r in rows]

    def _final_leads(self, order_ids: list[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for start in range(0, len(order_ids), 5000):
            chunk = order_ids[start:start + 5000]
            for order_id, code in self.session.execute(
                    select(Assignment.work_order_id, Department.code)
                    .join(Department, Department.id == Assignment.department_id)
                    .where(Assignment.work_order_id.in_(chunk), Assignment.role == AssignmentRole.LEAD,
                           Assignment.status.not_in((AssignmentStatus.RETURNED, AssignmentStatus.WITHDRAWN)))
                    .order_by(Assignment.id)):
                found[order_id] = code  # the latest lead share that was not handed back
        return found

    def returned(self) -> dict[str, dict[str, int]]:
        """Per category (as the order stands now), how often each department returned it as not theirs."""
        out: dict[str, dict[str, int]] = defaultdict(dict)
        for category, code, n in self.session.execute(
                select(WorkOrder.category_code, Department.code, func.count())
                .join(Assignment, Assignment.work_order_id == WorkOrder.id)
                .join(Department, Department.id == Assignment.department_id)
                .where(WorkOrder.category_code.is_not(None), Assignment.role == AssignmentRole.LEAD,
                       Assignment.status == AssignmentStatus.RETURNED)
                .group_by(WorkOrder.category_code, Department.code)):
            out[str(category)][code] = int(n)
        return dict(out)

    def suggestion_outcomes(self, since: dt.datetime, actor: Actor) -> list[tuple[dt.datetime, str, str]]:
        """(received_at, suggested leaf, final leaf) of the orders `actor` may read that were made with a
        suggestion since `since`."""
        rows = self.session.execute(
            select(WorkOrder.received_at, WorkOrder.suggested_category_code, WorkOrder.category_code)
            .where(readable(actor), WorkOrder.received_at >= since, WorkOrder.suggested_category_code.is_not(None),
                   WorkOrder.category_code.is_not(None),
                   WorkOrder.close_reason.is_(None) | WorkOrder.close_reason.not_in(NOT_A_REQUEST)))
        return [(r[0], str(r[1]), str(r[2])) for r in rows]

    def imported(self, limit: int) -> list[Example]:
        """The newest imported orders, read as plain rows (a million ORM objects would not fit a nightly job)."""
        rows = self.session.execute(
            select(IntakeHistory.text, IntakeHistory.category_code, IntakeHistory.department_code,
                   IntakeHistory.place, IntakeHistory.ticket_no, IntakeHistory.received_at)
            .order_by(IntakeHistory.received_at.desc()).limit(limit))
        return [Example(r.text, r.category_code, r.department_code, r.place, r.ticket_no, r.received_at, "imported")
                for r in rows]

    def known_tickets(self, tickets: list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(tickets), 5000):
            chunk = tickets[start:start + 5000]
            found.update(self.session.scalars(select(IntakeHistory.ticket_no).where(IntakeHistory.ticket_no.in_(chunk))))
            found.update(self.session.scalars(select(WorkOrder.ticket_no).where(WorkOrder.ticket_no.in_(chunk))))
        return found

    def add_imported(self, rows: list[dict]) -> None:
        self.session.add_all(IntakeHistory(**row) for row in rows)
        self.session.flush()

    def count_imported(self, since: dt.datetime | None = None) -> int:
        stmt = select(func.count()).select_from(IntakeHistory)
        if since is not None:
            stmt = stmt.where(IntakeHistory.imported_at >= since)
        return int(self.session.scalar(stmt) or 0)
