"""Department work (承办): sign, reply, complete with evidence, and return a mis-routed order."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.enums import AssignmentRole, AssignmentStatus, DeadlineKind, DeadlineStatus, SupervisionKind
from hotline.core.errors import ConflictError, InvalidInputError, PermissionDeniedError
from hotline.core.jobs import enqueue
from hotline.dispatch import notices
from hotline.dispatch.evidence import EvidenceStore, EvidenceUpload, check_uploads, safe_filename
from hotline.dispatch.forwarding import subs_below
from hotline.dispatch.lifecycle import Action, plan
from hotline.dispatch.ports import DispatchEnv
from hotline.dispatch.repository import OrderRef
from hotline.dispatch.service import (
    ARBITRATION_AFTER_RETURNS,
    HANDLING_CLOCKS,
    WorkOrderService,
    active_assignments,
    require_text,
)
from hotline.dispatch.triggers import SupervisionTriggers
from hotline.live.after_commit import publish_after_commit
from hotline.live.events import DepartmentNotice
from hotline.models import Assignment, Evidence, WorkOrder
from hotline.text.masking import redact


def evidence_required(ctx: DispatchEnv, order: WorkOrder) -> bool:
    """The catalogue leaf says a completion report carries photos (道路破损, 井盖 …); an order filed under a
    category of the older flat list is judged by the leaf that category became (catalogue `legacy`)."""
    if not order.category_code:
        return False
    catalogue = ctx.config.catalogue
    leaf = catalogue.leaf(order.category_code) or catalogue.leaf(catalogue.legacy.get(order.category_code, ""))
    return bool(leaf and leaf.evidence_required)


class DepartmentService:
    """What the department holding an order does; a co-handler's steps move only its own share."""

    def __init__(self, session: Session, ctx: DispatchEnv):
        self.session = session
        self.ctx = ctx
        self.orders = WorkOrderService(session, ctx)

    def sign(self, order_id: OrderRef, actor: Actor) -> WorkOrder:
        """签收: the department acknowledges it holds the order."""
        return self._step(order_id, actor, Action.SIGN)

    def reply(self, order_id: OrderRef, actor: Actor, text: str) -> WorkOrder:
        """反馈: the department's first answer to the citizen; meets the reply deadline."""
        require_text(text, "reply text")
        return self._step(order_id, actor, Action.REPLY, text=text)

    def complete(self, order_id: OrderRef, actor: Actor, result: str,
                 evidence: list[EvidenceUpload] | None = None) -> WorkOrder:
        """办结 with a result and optional evidence; the lead completes only after every co-handler."""
        require_text(result, "result")
        check_uploads(evidence or [])
        order = self._step(order_id, actor, Action.COMPLETE, text=result)
        assignment = self.orders.assignment_of(order, actor)
        if not evidence and assignment.role == AssignmentRole.LEAD and evidence_required(self.ctx, order):
            raise InvalidInputError(f"category {order.category_code} is completed with photos or a PDF as evidence",
                                    error_id="evidence_required")
        store = EvidenceStore(self.ctx.settings.var_dir / "evidence")
        for upload in evidence or []:
            self.session.add(Evidence(
                work_order_id=order.id, assignment_id=assignment.id, filename=safe_filename(upload.filename),
                content_type=upload.content_type, size=len(upload.data), sha256=store.put(upload.data),
                uploaded_at=self.orders.now,
            ))
        return order

    def return_order(self, order_id: OrderRef, actor: Actor, reason: str, code: str | None = None) -> WorkOrder:
        """回退 within the return window, with a reason code from config and the department's own words;
        the second return of an order goes to a supervisor (退单争议)."""
        require_text(reason, "reason")
        named = self._return_reason(code)
        order = self.orders.load(order_id, actor)
        assignment = self.orders.assignment_of(order, actor)
        if assignment.role != AssignmentRole.LEAD:
            raise PermissionDeniedError("only the lead department (主办) can return an order",
                                        error_id="lead_department_only")
        window = self.ctx.sla.return_window_end(assignment.dispatched_at)
        now = self.orders.now
        if now > window.at:
            closed_at = self.ctx.sla.local_iso(window.at)
            raise ConflictError(f"the return window closed at {closed_at}; ask the hotline centre instead",
                                details={"window_closed_at": closed_at}, error_id="return_window_closed")
        self.orders.advance(order, Action.RETURN, actor, note=f"【{named}】{reason}" if named else reason,
                            data={"department": actor.department_id, "code": code, "reason": named})
        for a in active_assignments(order):
            a.active = False
            a.status = AssignmentStatus.RETURNED if a is assignment else AssignmentStatus.WITHDRAWN
        order.return_count += 1
        self.orders.deadlines.close_open(order.id, HANDLING_CLOCKS, DeadlineStatus.CANCELLED, now)
        if order.return_count >= ARBITRATION_AFTER_RETURNS:
            self._arbitrate(order, reason, now, assignment.department_id)
        return order

    def _return_reason(self, code: str | None) -> str | None:
        if code is None:
            return None
        names = {r.code: r.name for r in self.ctx.config.desk.return_reasons}
        if code not in names:
            raise InvalidInputError(f"no return reason {code!r}; choose one of {', '.join(names)}",
                                    details={"codes": list(names)}, error_id="return_reason_unknown")
        return names[code]

    def _arbitrate(self, order: WorkOrder, reason: str, now: dt.datetime, department_id: int) -> None:
        self.orders.supervisions.add(order.id, SupervisionKind.ARBITRATION, now, note=reason,
                                     department_id=department_id)
        subject, body = notices.arbitration(order, reason)
        self.orders.outbox.post(f"arbitration:{order.id}:{order.return_count}", notices.SUPERVISORS,
                                subject, body, now, {"ticket_no": order.ticket_no}, order.id)

    def _step(self, order_id: OrderRef, actor: Actor, action: Action, text: str | None = None) -> WorkOrder:
        order = self.orders.load(order_id, actor)
        assignment = self.orders.assignment_of(order, actor)
        now = self.orders.now
        if assignment.role == AssignmentRole.SUB and action not in (Action.SIGN, Action.REPLY):
            raise ConflictError("a sub-unit signs and replies; the department above it completes the order",
                                error_id="sub_unit_replies_up")
        below = subs_below(order, assignment, self._paths(order)) if action == Action.COMPLETE else []
        if any(a.status != AssignmentStatus.REPLIED for a in below):
            names = ", ".join(self.orders.departments.require(a.department_id).name for a in below
                              if a.status != AssignmentStatus.REPLIED)
            raise ConflictError(f"sub-units have not replied yet: {names}", error_id="sub_units_pending",
                                details={"waiting_department_ids": [a.department_id for a in below
                                                                    if a.status != AssignmentStatus.REPLIED]})
        for sub in below:  # their part is done with the share they worked for
            sub.status, sub.completed_at = AssignmentStatus.COMPLETED, now
        if assignment.role == AssignmentRole.LEAD:
            if action == Action.COMPLETE:
                self._check_co_handlers_done(order)
            self.orders.advance(order, action, actor, note=text, data={"assignment": assignment.id})
        else:
            before = assignment.status
            plan(before, action, actor.role)
            part = "sub_unit" if assignment.role == AssignmentRole.SUB else "co_handler"
            self.orders.orders.add_event(order, action, order.state, actor, now, note=text,
                                         data={"assignment": assignment.id, part: True, "from": before})
        self._stamp(order, assignment, action, text, now)
        return order

    def _stamp(self, order: WorkOrder, a: Assignment, action: Action, text: str | None, now: dt.datetime) -> None:
        lead = a.role == AssignmentRole.LEAD
        deadlines = self.orders.deadlines
        if action == Action.SIGN:
            a.status, a.signed_at = AssignmentStatus.SIGNED, now
            deadlines.close_open(order.id, [DeadlineKind.SIGN], DeadlineStatus.MET, now, department_id=a.department_id)
        elif action == Action.REPLY:
            a.status, a.replied_at, a.reply_text = AssignmentStatus.REPLIED, now, text
            if lead:
                order.replied_at = order.replied_at or now
                deadlines.close_open(order.id, [DeadlineKind.REPLY], DeadlineStatus.MET, now)
            if a.role == AssignmentRole.SUB:
                deadlines.close_open(order.id, [DeadlineKind.SUB], DeadlineStatus.MET, now,
                                     department_id=a.department_id)
                self._tell_above(order, a, text)
        elif action == Action.COMPLETE:
            a.status, a.completed_at, a.result = AssignmentStatus.COMPLETED, now, text
            if lead:
                order.completed_at, order.result = now, text
                deadlines.close_open(order.id, [DeadlineKind.COMPLETE], DeadlineStatus.MET, now)
                SupervisionTriggers(self.session, self.ctx).completed(order)
                enqueue(self.session, "hotline.callbacks.schedule")

    def _paths(self, order: WorkOrder) -> dict[int, str]:
        found = self.orders.departments.by_ids(a.department_id for a in order.assignments)
        return {i: d.path for i, d in found.items()}

    def _tell_above(self, order: WorkOrder, sub: Assignment, text: str | None) -> None:
        """The sub-unit's reply goes up: the department it worked for hears of it live."""
        paths = self._paths(order)
        above = [a for a in active_assignments(order) if a.role != AssignmentRole.SUB
                 and paths[sub.department_id].startswith(paths[a.department_id])]
        for a in above[-1:]:
            publish_after_commit(self.session, DepartmentNotice(a.department_id, "sub_replied", order.ticket_no,
                                                                redact(text) or "", order.tier))

    def _check_co_handlers_done(self, order: WorkOrder) -> None:
        waiting = [a for a in active_assignments(order)
                   if a.role == AssignmentRole.CO and a.status != AssignmentStatus.COMPLETED]
        if waiting:
            names = ", ".join(self.orders.departments.require(a.department_id).name for a in waiting)
            raise ConflictError(f"co-handling departments have not completed yet: {names}",
                                details={"waiting_department_ids": [a.department_id for a in waiting]},
                                error_id="co_handlers_pending")
