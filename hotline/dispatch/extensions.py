"""Extensions (延期): a department asks for more time, the hotline centre approves or refuses; audited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.core.enums import AssignmentRole, DeadlineKind, ExtensionStatus
from hotline.core.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from hotline.dispatch.extension_repository import ExtensionRepository
from hotline.dispatch.lifecycle import Action, plan
from hotline.dispatch.ports import DispatchEnv
from hotline.dispatch.repository import OrderRef
from hotline.dispatch.service import WorkOrderService, require_text
from hotline.live.after_commit import publish_after_commit
from hotline.live.events import ExtensionChanged
from hotline.models import ExtensionRequest, WorkOrder

MAX_DAYS_PER_REQUEST = 15


class ExtensionService:
    def __init__(self, session: Session, ctx: DispatchEnv):
        self.ctx = ctx
        self.session = session
        self.orders = WorkOrderService(session, ctx)
        self.requests = ExtensionRepository(session)

    def request(self, order_id: OrderRef, actor: Actor, days: int, reason: str) -> ExtensionRequest:
        """延期申请 by the lead department; the new deadline may not pass the total limit."""
        require_text(reason, "reason")
        if not 1 <= days <= MAX_DAYS_PER_REQUEST:
            raise InvalidInputError(f"an extension is 1 to {MAX_DAYS_PER_REQUEST} days",
                                    error_id="extension_days_invalid")
        order = self.orders.load(order_id, actor)
        assignment = self.orders.assignment_of(order, actor)
        if assignment.role != AssignmentRole.LEAD:
            raise PermissionDeniedError("only the lead department (主办) can ask for an extension",
                                        error_id="lead_department_only")
        plan(order.state, Action.REQUEST_EXTENSION, actor.role)
        if self.requests.pending_for(order.id):
            raise ConflictError(f"work order {order.ticket_no} already has an extension request waiting",
                                error_id="extension_pending")
        self._check_limit(order, days)
        request = self.requests.add(ExtensionRequest(
            work_order_id=order.id, department_id=assignment.department_id,
            requested_by_user_id=actor.user_id, days=days, reason=reason,
            status=ExtensionStatus.PENDING, requested_at=self.orders.now,
        ))
        self.orders.advance(order, Action.REQUEST_EXTENSION, actor, note=reason,
                            data={"request": request.id, "days": days})
        publish_after_commit(self.session, ExtensionChanged(request.id, request.status, request.department_id))
        return request

    def decide(self, request_id: int, actor: Actor, approve: bool, note: str | None = None) -> ExtensionRequest:
        """延期审批: approval moves the completion deadline; refusal leaves it where it was."""
        pending = self.requests.get(request_id)
        try:  # the order first, locked, then the request re-read under that lock: exactly one decision
            order = self.orders.load(pending.work_order_id, actor) if pending else None
        except NotFoundError:
            order = None
        if pending is None or order is None:
            raise NotFoundError(f"no extension request {request_id} in your scope", error_id="extension_not_found")
        request = self.requests.get(request_id, lock=True)
        if request is None or request.status != ExtensionStatus.PENDING:
            status = request.status if request else "removed"
            raise ConflictError(f"extension request {request_id} was already {status}",
                                error_id="extension_already_decided")
        plan(order.state, Action.DECIDE_EXTENSION, actor.role)
        if approve:
            deadline = self._check_limit(order, request.days)
            deadline.due_at += dt.timedelta(days=request.days)
            deadline.warn_at = self.ctx.sla.warn_at(deadline.starts_at, deadline.due_at)
            self.orders.notices.extended(order, request.id, request.days, deadline.due_at)
        now = self.orders.now
        request.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        request.decided_by_user_id, request.decided_at, request.decision_note = actor.user_id, now, note
        self.orders.advance(order, Action.DECIDE_EXTENSION, actor, note=note,
                            data={"request": request.id, "approved": approve, "days": request.days})
        publish_after_commit(self.session, ExtensionChanged(request.id, request.status, request.department_id))
        return request

    def _check_limit(self, order: WorkOrder, days: int):
        deadlines = self.orders.deadlines.open_for(order.id, [DeadlineKind.COMPLETE])
        if not deadlines:
            raise ConflictError(f"work order {order.ticket_no} has no open completion deadline to extend",
                                error_id="no_deadline_to_extend")
        deadline = deadlines[-1]
        limit = self.ctx.sla.extension_limit(deadline.starts_at).at
        wanted = deadline.due_at + dt.timedelta(days=days)
        if wanted > limit:
            wanted_at, limit_at = self.ctx.sla.local_iso(wanted), self.ctx.sla.local_iso(limit)
            raise InvalidInputError(
                f"{days} more days would end at {wanted_at}, beyond the limit {limit_at} "
                f"({self.ctx.config.sla.extension_limit.amount} days in total)",
                details={"requested_due_at": wanted_at, "limit": limit_at}, error_id="extension_beyond_limit",
            )
        return deadline
