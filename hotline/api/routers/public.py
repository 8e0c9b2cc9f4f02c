"""Citizen self-service: a case's status by ticket number and extraction code, no login."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from hotline.api.deps import Ctx, DbSession
from hotline.api.limits import rate_limit
from hotline.api.schemas.public import PublicStatus
from hotline.api.uow import UnitOfWorkRoute
from hotline.core.enums import AssignmentRole
from hotline.core.errors import NotFoundError
from hotline.dispatch import tickets
from hotline.dispatch.repository import WorkOrderRepository
from hotline.text.masking import mask_numbers_in_text

router = APIRouter(prefix="/api/v1/public", tags=["citizens"], route_class=UnitOfWorkRoute)
STATE_LABELS = {"received": "已登记", "accepted": "已受理", "dispatched": "已转办", "signed": "办理中",
                "replied": "已答复", "completed": "已办结", "callback_pending": "待回访", "returned": "重新派单中",
                "closed": "已办结归档"}
NOT_FOUND = "no case with that ticket number and extraction code"


@router.get("/status", response_model=PublicStatus, summary="Status of one's own case (ticket + extraction code)",
            responses={404: {"description": NOT_FOUND}, 429: {"description": "too many look-ups"}})
def status(request: Request, session: DbSession, ctx: Ctx, ticket: str = Query(pattern=r"^\d{8}-\d{4,}$"),
           code: str = Query(pattern=r"^\d{6}$")):
    # Per address, and per ticket from any address: guessing a 6-digit code takes over ten years at this rate.
    rate_limit(request, "status-ip", 20, 60)
    rate_limit(request, tickets.CODE_GUESS_SCOPE, tickets.CODE_GUESSES_PER_HOUR, 3600, key=ticket)
    order = WorkOrderRepository(session).by_ticket(ticket)
    if order is None or not tickets.check_extraction_code(ctx.secret, ticket, code, order.extraction_code_hash):
        raise NotFoundError(NOT_FOUND, error_id="case_not_found")  # the same answer whether the ticket exists or not
    # Only the current round: during a redo (重办) the rejected reply and result are not the answer any more.
    # A sub-unit's reply (下派) went up to the department above it, not out to the citizen.
    replies = [mask_numbers_in_text(a.reply_text) for a in order.assignments
               if a.active and a.reply_text and a.role != AssignmentRole.SUB]
    result = order.result if order.completed_at is not None else None
    leads, due, _ = WorkOrderRepository(session).public_facts([order.id])
    deadline = due.get(order.id)
    return PublicStatus(ticket_no=order.ticket_no, state=order.state, state_label=STATE_LABELS[order.state],
                        received_at=order.received_at, replies=replies, result=mask_numbers_in_text(result),
                        completed_at=order.completed_at, department=leads.get(order.id), due_at=deadline,
                        due_text=ctx.sla.local_text(deadline) if deadline else None, round=order.redo_count + 1,
                        timezone=str(ctx.settings.timezone))
