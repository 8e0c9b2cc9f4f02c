"""The whole story of an order (流转记录): every step with who took it, the departments' replies and
results, the evidence, each callback round with the citizen's words, 督办, extensions, 并案 and the call's 转接."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.enums import CloseReason
from hotline.desk.handover_repository import HandoverRepository
from hotline.desk.repository import IncidentRepository, StoryRepository
from hotline.dispatch.repository import CitizenRepository, WorkOrderRepository
from hotline.dispatch.scope import Disclosure, disclosure
from hotline.models import WorkOrder


class Story:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.rows = StoryRepository(session)

    def of(self, order: WorkOrder, actor: Actor) -> dict[str, Any]:
        citizen = CitizenRepository(self.session).get(order.citizen_id)
        shown = disclosure(actor, [citizen.name if citizen else None])
        text = shown.text
        events = WorkOrderRepository(self.session).events(order.id)
        rounds = self.rows.callbacks(order.id)
        evidence = self.rows.evidence(order.id)
        handovers = HandoverRepository(self.session).of_order(order.id, order.call_linkedid)
        users, departments = self.rows.names(
            {e.actor_user_id for e in events if e.actor_user_id} | {h.requested_by for h in handovers if h.requested_by}
            | {a.user_id for _, attempts in rounds for a in attempts if a.user_id},
            {e.actor_department_id for e in events if e.actor_department_id}
            | {a.department_id for a in order.assignments} | {c.department_id for c, _ in rounds if c.department_id})
        return {
            "ticket_no": order.ticket_no,
            "steps": [{"action": e.action, "from_state": e.from_state, "to_state": e.to_state,
                       "actor_role": e.actor_role, "actor": users.get(e.actor_user_id or 0),
                       "department": departments.get(e.actor_department_id or 0), "note": text(e.note),
                       "data": shown.data(e.data), "at": e.occurred_at} for e in events],
            "assignments": [{"department": departments.get(a.department_id), "role": a.role, "status": a.status,
                             "active": a.active, "dispatched_at": a.dispatched_at, "signed_at": a.signed_at,
                             "replied_at": a.replied_at, "reply": text(a.reply_text), "result": text(a.result),
                             "completed_at": a.completed_at} for a in order.assignments],
            "evidence": [{"id": f.id, "filename": f.filename, "content_type": f.content_type, "size": f.size,
                          "at": f.uploaded_at} for f in evidence],
            "callbacks": [{"round": c.round, "kind": c.kind, "status": c.status, "outcome": c.outcome,
                           "department": departments.get(c.department_id or 0),
                           "attempts": [{"attempt": a.attempt_no, "mode": a.mode, "verdict": a.verdict,
                                         "process": a.process_verdict, "comment": text(a.comment),
                                         "staff": users.get(a.user_id or 0), "at": a.finished_at or a.started_at}
                                        for a in attempts]} for c, attempts in rounds],
            "redos": [{"round": i + 1, "words": text(e.note), "at": e.occurred_at}
                      for i, e in enumerate(e for e in events if e.action == "redo")],
            "supervisions": [{"kind": s.kind, "status": s.status, "note": text(s.note), "at": s.raised_at}
                             for s in self.rows.supervisions(order.id)],
            "extensions": [{"days": x.days, "reason": text(x.reason), "status": x.status, "note": text(x.decision_note),
                            "at": x.requested_at} for x in self.rows.extensions(order.id)],
            "incident": self._incident(order, shown),
            "handovers": [{"to": h.target_name, "number": h.number, "mode": h.mode, "state": h.state,
                           "by": users.get(h.requested_by or 0), "at": h.requested_at, "settled_at": h.settled_at,
                           "outcome": h.outcome} for h in handovers],
        }

    def _incident(self, order: WorkOrder, shown: Disclosure) -> dict[str, Any] | None:
        if order.close_reason == CloseReason.INCIDENT:
            return {"master_ticket": self.rows.ticket_of(order.parent_id), "callers": []}
        attached = IncidentRepository(self.session).attached(order.id)
        if not attached:
            return None
        return {"master_ticket": None,
                "callers": [{"ticket_no": t, "phone": shown.phone(p), "at": at}
                            for t, p, at in attached]}
