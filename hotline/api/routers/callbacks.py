"""The callback desk (回访): the due queue, taking the next callback, and recording verdicts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from hotline.accounts.repository import UserRepository
from hotline.api import presenters
from hotline.api.audit import audit
from hotline.api.deps import CallbackDesk, CallbackReader, Ctx, DbSession
from hotline.api.params import Limit, Offset
from hotline.api.routers.work_orders import ERRORS, Ticket, visible
from hotline.api.schemas.callbacks import (
    CallbackAttemptOut,
    CallbackOut,
    CallbackPage,
    CallbackTaken,
    VerdictIn,
    VerdictOut,
)
from hotline.api.schemas.desk import DialOut, ScriptOut
from hotline.api.uow import OutsideEffectsRoute, UnitOfWorkRoute
from hotline.callbacks.service import CallbackService
from hotline.core.enums import CallbackStatus
from hotline.core.errors import NotFoundError
from hotline.desk.callbacks import CallbackDesk as CallbackDesk_
from hotline.desk.repository import CallbackQueueRepository
from hotline.dispatch.repository import DepartmentRepository, WorkOrderRepository
from hotline.models import Callback

router = APIRouter(prefix="/api/v1/callbacks", tags=["callbacks"], route_class=UnitOfWorkRoute)
dialer = APIRouter(prefix="/api/v1/callbacks", tags=["callbacks"], route_class=OutsideEffectsRoute)


def present(session: Session, service: CallbackService, callback: Callback) -> CallbackOut:
    order = WorkOrderRepository(session).require(callback.work_order_id)
    department = DepartmentRepository(session).get(callback.department_id) if callback.department_id else None
    attempts = service.attempts(callback.id)
    open_auto = next((a for a in attempts if a.finished_at is None), None)
    pending = callback.status == CallbackStatus.PENDING
    next_no = None if not pending else (open_auto.attempt_no if open_auto else callback.attempts + 1)
    return CallbackOut(
        ticket_no=order.ticket_no, title=order.title, kind=callback.kind, round=callback.round, status=callback.status,
        outcome=callback.outcome, department_code=department.code if department else None, due_at=callback.due_at,
        by_message_until=callback.by_message_until,
        next_attempt=next_no, next_attempt_at=callback.next_attempt_at, max_attempts=callback.max_attempts,
        attempts=[CallbackAttemptOut(attempt=a.attempt_no, mode=a.mode, channel=a.channel, started_at=a.started_at,
                                     finished_at=a.finished_at, verdict=a.verdict, process=a.process_verdict,
                                     comment=a.comment) for a in attempts],
    )


@router.get("/due", response_model=list[CallbackOut], summary="Callbacks that may be made now, earliest due first")
def due(actor: CallbackDesk, session: DbSession, ctx: Ctx, limit: Limit = 50):
    service = CallbackService(session, ctx)
    return [present(session, service, c) for c in service.due(limit, actor)]


@router.post("/next", response_model=CallbackTaken,
             summary="Take the next due callback (hidden from others for a while)")
def take_next(request: Request, actor: CallbackDesk, session: DbSession, ctx: Ctx):
    service = CallbackService(session, ctx)
    callback = service.take_next(actor)
    if callback is None:
        return CallbackTaken(callback=None, order=None)
    order = WorkOrderRepository(session).require(callback.work_order_id)
    audit(session, request, actor, "citizen.read", "work_order", order.ticket_no, {"for": "callback"})
    return CallbackTaken(callback=present(session, service, callback), order=presenters.detail(session, order, actor))


@router.get("/queue", response_model=CallbackPage,
            summary="The queue: due callbacks, or any pending one found by ticket, title words or phone")
def queue(actor: CallbackDesk, session: DbSession, ctx: Ctx,
          q: Annotated[str | None, Query(max_length=100)] = None,
          phone: Annotated[str | None, Query(pattern=r"^\d{4,20}$")] = None,
          limit: Limit = 20, offset: Offset = 0):
    service = CallbackService(session, ctx)
    rows, total = CallbackDesk_(session, ctx).queue(actor, (q or "").strip() or None, phone, limit, offset)
    phones = CallbackQueueRepository(session).phones([c.work_order_id for c in rows])
    return CallbackPage(total=total, items=[present(session, service, c).model_copy(
        update={"citizen_phone": phones.get(c.work_order_id)}) for c in rows])


@router.post("/{ticket}/take", response_model=CallbackTaken, responses=ERRORS,
             summary="Take this order's callback (a citizen calling back, or a row chosen from the queue)")
def take(ticket: Ticket, request: Request, actor: CallbackDesk, session: DbSession, ctx: Ctx):
    order = visible(session, actor, ticket)
    callback = CallbackDesk_(session, ctx).take(order, actor)
    audit(session, request, actor, "citizen.read", "work_order", order.ticket_no, {"for": "callback"})
    return CallbackTaken(callback=present(session, CallbackService(session, ctx), callback),
                         order=presenters.detail(session, order, actor))


@router.get("/{ticket}/script", response_model=ScriptOut, responses=ERRORS, summary="回访话术 for the case's category")
def script(ticket: Ticket, actor: CallbackReader, session: DbSession, ctx: Ctx):
    order = visible(session, actor, ticket)
    lead = next((a for a in order.assignments if a.role == "lead" and a.active), None)
    department = DepartmentRepository(session).get(lead.department_id) if lead else None
    return CallbackDesk_(session, ctx).script(order, department.name if department else None)


@router.get("/{ticket}", response_model=CallbackOut, responses=ERRORS, summary="An order's latest callback")
def read(ticket: Ticket, actor: CallbackReader, session: DbSession, ctx: Ctx):
    order = visible(session, actor, ticket)
    service = CallbackService(session, ctx)
    callback = service.current_for(order.id)
    if callback is None:
        raise NotFoundError(f"work order {ticket} has not been called back", error_id="no_callback")
    return present(session, service, callback)


@router.post("/{ticket}/attempts", response_model=VerdictOut, status_code=201, responses=ERRORS,
             summary="Record one attempt: 满意 / 基本满意 / 不满意 (redo) / 未接通 (retry on another day)")
def record(ticket: Ticket, body: VerdictIn, request: Request, actor: CallbackDesk, session: DbSession, ctx: Ctx):
    order = visible(session, actor, ticket)
    done = CallbackService(session, ctx).record(order.id, actor, body.attempt, body.verdict, process=body.process,
                                                comment=body.comment)
    audit(session, request, actor, "callback.record", "work_order", order.ticket_no,
          body.model_dump(exclude_none=True, exclude={"comment"}))
    pending = done.callback.status == CallbackStatus.PENDING
    return VerdictOut(ticket_no=order.ticket_no, state=done.order.state, outcome=done.callback.outcome,
                      next_attempt_at=done.callback.next_attempt_at if pending else None, supervised=done.supervised)


@dialer.post("/{ticket}/dial", response_model=DialOut, status_code=201, responses=ERRORS,
             summary="Click-to-call: Asterisk rings my phone, then the citizen's (the call is recorded)")
def dial(ticket: Ticket, request: Request, actor: CallbackDesk, session: DbSession, ctx: Ctx):
    order = visible(session, actor, ticket)
    user = UserRepository(session).get(actor.user_id or 0)
    dialled = CallbackDesk_(session, ctx).dial(order, actor, user.extension if user else None)
    audit(session, request, actor, "callback.dial", "work_order", order.ticket_no,
          {"linkedid": dialled.linkedid, "attempt": dialled.attempt})
    return DialOut(linkedid=dialled.linkedid, channel=dialled.channel, attempt=dialled.attempt)
