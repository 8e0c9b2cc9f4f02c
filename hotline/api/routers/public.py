"""Citizen self-service: a case's status by ticket number and extraction code, no login; and, once completed,
the citizen's one rating of it (the same step as the signed link's)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from hotline.api.deps import Ctx, DbSession
from hotline.api.limits import rate_limit
from hotline.api.routers.ratings import THANKS
from hotline.api.schemas.public import OwnRatingIn, PublicStatus
from hotline.api.schemas.ratings import RatingOut
from hotline.api.uow import UnitOfWorkRoute
from hotline.callbacks.messages import MessageRatings
from hotline.core.enums import REACHED, AssignmentRole, CallbackStatus, Verdict
from hotline.core.errors import NotFoundError
from hotline.core.labels import VERDICTS
from hotline.dispatch import tickets
from hotline.dispatch.ports import DispatchEnv
from hotline.dispatch.repository import WorkOrderRepository
from hotline.models import WorkOrder
from hotline.text.masking import mask_numbers_in_text

router = APIRouter(prefix="/api/v1/public", tags=["citizens"], route_class=UnitOfWorkRoute)
STATE_LABELS = {"received": "已登记", "accepted": "已受理", "dispatched": "已转办", "signed": "办理中",
                "replied": "已答复", "completed": "已办结", "callback_pending": "待回访", "returned": "重新派单中",
                "closed": "已办结归档"}
NOT_FOUND = "no case with that ticket number and extraction code"
LOOKUP: dict[int | str, dict[str, Any]] = {404: {"description": NOT_FOUND}, 429: {"description": "too many look-ups"}}


def own_case(request: Request, session: Session, ctx: DispatchEnv, ticket: str, code: str) -> WorkOrder:
    """The order the ticket and code prove; the same answer whether the ticket exists or not."""
    # Per address, and per ticket from any address: guessing a 6-digit code takes over ten years at this rate.
    rate_limit(request, "status-ip", 20, 60)
    rate_limit(request, tickets.CODE_GUESS_SCOPE, tickets.CODE_GUESSES_PER_HOUR, 3600, key=ticket)
    order = WorkOrderRepository(session).by_ticket(ticket)
    if order is None or not tickets.check_extraction_code(ctx.secret, ticket, code, order.extraction_code_hash):
        raise NotFoundError(NOT_FOUND, error_id="case_not_found")
    return order


@router.get("/status", response_model=PublicStatus, summary="Status of one's own case (ticket + extraction code)",
            responses=LOOKUP)
def status(request: Request, session: DbSession, ctx: Ctx, ticket: str = Query(pattern=r"^\d{8}-\d{4,}$"),
           code: str = Query(pattern=r"^\d{6}$")):
    order = own_case(request, session, ctx, ticket, code)
    # Only the current round: during a redo (重办) the rejected reply and result are not the answer any more.
    # A sub-unit's reply (下派) went up to the department above it, not out to the citizen.
    replies = [mask_numbers_in_text(a.reply_text) for a in order.assignments
               if a.active and a.reply_text and a.role != AssignmentRole.SUB]
    result = order.result if order.completed_at is not None else None
    leads, due, _ = WorkOrderRepository(session).public_facts([order.id])
    deadline = due.get(order.id)
    callback = MessageRatings(session, ctx).current_round(order)
    pending = callback is not None and callback.status == CallbackStatus.PENDING
    # A verdict the citizen gave (by call, keypad, SMS, link or here); an unreachable callback is none.
    rated = callback.outcome if callback is not None and not pending and callback.outcome in REACHED else None
    return PublicStatus(ticket_no=order.ticket_no, state=order.state, state_label=STATE_LABELS[order.state],
                        received_at=order.received_at, replies=replies, result=mask_numbers_in_text(result),
                        completed_at=order.completed_at, department=leads.get(order.id), due_at=deadline,
                        due_text=ctx.sla.local_text(deadline) if deadline else None, round=order.redo_count + 1,
                        timezone=str(ctx.settings.timezone), can_rate=pending,
                        rated=rated, rated_label=VERDICTS[Verdict(rated)] if rated else None)


@router.post("/rating", response_model=RatingOut, summary="Rate one's own completed case once (ticket + code)",
             responses={**LOOKUP, 409: {"description": "already rated, or not completed (or being redone)"},
                        422: {"description": "no verdict"}})
def rate(body: OwnRatingIn, request: Request, session: DbSession, ctx: Ctx):
    order = own_case(request, session, ctx, body.ticket, body.code)
    done = MessageRatings(session, ctx).rate_own_case(order, body.verdict, body.process, body.comment)
    return RatingOut(ticket_no=order.ticket_no, outcome=done.callback.outcome or "",
                     message=THANKS[done.attempt.verdict or "satisfied"])
