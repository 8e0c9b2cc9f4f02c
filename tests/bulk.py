"""Many work orders at once, written with one multi-row INSERT per table (SQLite and PostgreSQL alike):
a department's inbox at the volume a real centre has, in well under a second."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import insert
from sqlalchemy.orm import Session

from hotline.dispatch.repository import DepartmentRepository
from hotline.models import Assignment, Deadline, ExtensionRequest, Supervision, WorkOrder

FIRST_ID = 100_000  # far above what the API hands out in a test, so both can live side by side


@dataclass
class Spec:
    """One order as the inbox sees it: whose it is, how far it got, and where its clock stands."""

    department: str
    status: str = "dispatched"  # the department's share: dispatched | signed | replied | completed
    tier: str = "general"
    category: str = "water.outage"
    title: str = "小区停水"
    received_at: dt.datetime | None = None
    due_in: dt.timedelta = dt.timedelta(days=3)  # the completion deadline from now (negative: overdue)
    warn_before: dt.timedelta = dt.timedelta(hours=12)
    extension: bool = False
    supervision: str | None = None  # a 督办 kind
    extra: dict = field(default_factory=dict)


STATE_OF = {"dispatched": "dispatched", "signed": "signed", "replied": "replied", "completed": "callback_pending"}


def insert_orders(session: Session, specs: list[Spec], now: dt.datetime, first_id: int = FIRST_ID) -> list[str]:
    """Write the orders, their shares, open deadlines, pending extensions and 督办; their ticket numbers."""
    codes = DepartmentRepository(session).by_codes({s.department for s in specs})
    orders, shares, clocks, extensions, supervisions, tickets = [], [], [], [], [], []
    for i, s in enumerate(specs):
        oid = first_id + i
        ticket = f"20261101-{oid:06d}"
        tickets.append(ticket)
        received = s.received_at or now - dt.timedelta(days=2, minutes=i)
        dept = codes[s.department].id
        done = s.status == "completed"
        orders.append({"id": oid, "ticket_no": ticket, "extraction_code_hash": "x" * 64, "state": STATE_OF[s.status],
                       "tier": s.tier, "category_code": s.category, "channel": "phone", "source_id": None,
                       "citizen_id": None, "created_by_user_id": None, "title": f"{s.title} {i}",
                       "content": f"{s.title}，编号 {i}", "place": "东昌府区古楼街道", "result": None,
                       "received_at": received, "accepted_at": received, "dispatched_at": received,
                       "replied_at": None, "completed_at": now if done else None, "closed_at": None,
                       "close_reason": None, "parent_id": None, "call_linkedid": None, "redo_count": 0,
                       "return_count": 0, "version": 1, **s.extra})
        shares.append({"id": oid, "work_order_id": oid, "department_id": dept, "role": "lead", "status": s.status,
                       "active": True, "dispatched_at": received, "signed_at": None, "replied_at": None,
                       "completed_at": now if done else None, "reply_text": None, "result": None})
        if not done:
            due = now + s.due_in
            clocks.append({"work_order_id": oid, "department_id": dept, "kind": "complete", "starts_at": received,
                           "warn_at": due - s.warn_before, "due_at": due, "provisional": False, "status": "open",
                           "light": "green", "met_at": None})
        if s.extension:
            extensions.append({"work_order_id": oid, "department_id": dept, "requested_by_user_id": None, "days": 3,
                               "reason": "需要协调施工队", "status": "pending", "requested_at": now,
                               "decided_by_user_id": None, "decided_at": None, "decision_note": None})
        if s.supervision:
            supervisions.append({"work_order_id": oid, "deadline_id": None, "department_id": dept,
                                 "kind": s.supervision, "status": "open", "note": "请尽快办理", "raised_at": now,
                                 "resolved_at": None, "resolved_by_user_id": None})
    for table, rows in ((WorkOrder, orders), (Assignment, shares), (Deadline, clocks),
                        (ExtensionRequest, extensions), (Supervision, supervisions)):
        if rows:
            session.execute(insert(table), rows)
    session.flush()
    return tickets
