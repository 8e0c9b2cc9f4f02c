"""The callback desk (回访): the due queue, taking the next callback, and recording verdicts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from hotline.api import presenters, schemas
from hotline.api.audit import audit
from hotline.api.deps import DbSession, current_actor, get_ctx
from hotline.api.routers.work_orders import ERRORS, Ticket, visible
from hotline.api.scope import require
from hotline.callbacks.service import CallbackService
from hotline.api.env import ApiEnv as Context
from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.core.errors import NotFoundError
from hotline.models import Callback, Department, WorkOrder

router = APIRouter(prefix="/api/v1/callbacks", tags=["callbacks"])
DESK = (Role.CALLBACK_STAFF, Role.HOTLINE_ADMIN)


def present(session: Session, service: CallbackService, callback: Callback) -> schemas.CallbackOut:
    order = session.get(WorkOrder, callback.work_order_id)
    department = session.get(Department, callback.department_id) if callback.department_id else None
    attempts = service.attempts(callback.id)
    open_auto = next((a for a in attempts if a.finished_at is None), None)
    next_no = None if callback.status != "pending" else (open_auto.attempt_no if open_auto else callback.attempts + 1)
    return schemas.CallbackOut(
        ticket_no=order.ticket_no, title=order.title, kind=callback.kind, round=callback.round, status=callback.status,
        outcome=callback.outcome, department_code=department.code if department else None, due_at=callback.due_at,
        next_attempt=next_no, next_attempt_at=callback.next_attempt_at, max_attempts=callback.max_attempts,
        attempts=[schemas.CallbackAttemptOut(attempt=a.attempt_no, mode=a.mode, started_at=a.started_at,
                                             finished_at=a.finished_at, verdict=a.verdict, process=a.process_verdict,
                                             comment=a.comment) for a in attempts],
    )


@router.get("/due", response_model=list[schemas.CallbackOut], summary="Callbacks that may be made now, earliest due first")
def due(limit: Annotated[int, Query(ge=1, le=200)] = 50, actor: Actor = Depends(current_actor),
        session: DbSession = None, ctx: Context = Depends(get_ctx)):
    require(actor, *DESK)
    service = CallbackService(session, ctx)
    return [present(session, service, c) for c in service.due(limit, actor)]


@router.post("/next", response_model=schemas.CallbackTaken, summary="Take the next due callback (hidden from others for a while)")
def take_next(request: Request, actor: Actor = Depends(current_actor), session: DbSession = None,
              ctx: Context = Depends(get_ctx)):
    require(actor, *DESK)
    service = CallbackService(session, ctx)
    callback = service.take_next(actor)
    if callback is None:
        return schemas.CallbackTaken(callback=None, order=None)
    order = session.get(WorkOrder, callback.work_order_id)
    audit(session, request, actor, "citizen.read", "work_order", order.ticket_no, {"for": "callback"})
    session.flush()
    return schemas.CallbackTaken(callback=present(session, service, callback),
                                 order=presenters.detail(session, order, actor))


@router.get("/{ticket}", response_model=schemas.CallbackOut, responses=ERRORS, summary="An order's latest callback")
def read(ticket: Ticket, actor: Actor = Depends(current_actor), session: DbSession = None,
         ctx: Context = Depends(get_ctx)):
    require(actor, *DESK, Role.SUPERVISOR)
    order = visible(session, actor, ticket)
    service = CallbackService(session, ctx)
    callback = service.current_for(order.id)
    if callback is None:
        raise NotFoundError(f"work order {ticket} has not been called back")
    return present(session, service, callback)


@router.post("/{ticket}/attempts", response_model=schemas.VerdictOut, status_code=201, responses=ERRORS,
             summary="Record one attempt: 满意 / 基本满意 / 不满意 (redo) / 未接通 (retry on another day)")
def record(ticket: Ticket, body: schemas.VerdictIn, request: Request, actor: Actor = Depends(current_actor),
           session: DbSession = None, ctx: Context = Depends(get_ctx)):
    require(actor, *DESK)
    order = visible(session, actor, ticket)
    done = CallbackService(session, ctx).record(order.id, actor, body.attempt, body.verdict, process=body.process,
                                                comment=body.comment)
    audit(session, request, actor, "callback.record", "work_order", order.ticket_no,
          body.model_dump(exclude_none=True, exclude={"comment"}))
    session.flush()
    pending = done.callback.status == "pending"
    return schemas.VerdictOut(ticket_no=order.ticket_no, state=order.state, outcome=done.callback.outcome,
                              next_attempt_at=done.callback.next_attempt_at if pending else None,
                              supervised=done.supervised)
