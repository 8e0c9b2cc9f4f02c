"""Work orders for staff: create, list and read within scope, and every lifecycle step."""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from hotline.api import presenters, schemas
from hotline.api.audit import audit
from hotline.api.deps import DbSession, current_actor, get_ctx
from hotline.api.scope import masks_personal_data, order_filter, require
from hotline.api.env import ApiEnv as Context
from hotline.core.actor import Actor
from hotline.core.enums import Channel, Role, State, Tier
from hotline.core.errors import NotFoundError
from hotline.dispatch.department import DepartmentService
from hotline.dispatch.evidence import MAX_BYTES, EvidenceUpload
from hotline.dispatch.extensions import ExtensionService
from hotline.dispatch.repository import WorkOrderRepository
from hotline.dispatch.schemas import WorkOrderDraft
from hotline.dispatch.service import WorkOrderService
from hotline.models import Department, Supervision, WorkOrder

router = APIRouter(prefix="/api/v1/work-orders", tags=["work orders"])
Ticket = Annotated[str, Field(pattern=r"^\d{8}-\d{4,}$")]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ERRORS = {404: {"description": "no such order in your scope"}, 409: {"description": "not allowed in this state"},
          403: {"description": "not allowed for your role"}, 422: {"description": "invalid input"}}


def visible(session: Session, actor: Actor, ticket: str) -> WorkOrder:
    order = WorkOrderRepository(session).visible(ticket, order_filter(actor))
    if order is None:
        raise NotFoundError(f"no work order {ticket} in your scope")
    return order


def done(session: Session, request: Request, actor: Actor, order: WorkOrder, action: str,
         details: dict | None = None) -> schemas.OrderDetail:
    audit(session, request, actor, f"work_order.{action}", "work_order", order.ticket_no, details)
    session.flush()
    return presenters.detail(session, order, actor)


@router.post("", response_model=schemas.CreatedOrder, status_code=201, summary="Register a request (operator, liaison)")
def create(draft: WorkOrderDraft, request: Request, actor: Actor = Depends(current_actor),
           session: DbSession = None, ctx: Context = Depends(get_ctx)):
    require(actor, Role.OPERATOR, Role.HOTLINE_ADMIN, Role.LIAISON)
    if actor.role == Role.LIAISON:  # 民情联络员代办: always recorded as a proxy submission
        draft = draft.model_copy(update={"channel": Channel.LIAISON})
    created = WorkOrderService(session, ctx).create(draft, actor)
    audit(session, request, actor, "work_order.create", "work_order", created.order.ticket_no,
          {"channel": draft.channel.value})
    return schemas.CreatedOrder(ticket_no=created.order.ticket_no, extraction_code=created.extraction_code,
                                state=created.order.state)


@router.get("", response_model=schemas.OrderPage, summary="Orders in your scope, newest first")
def list_orders(state: Annotated[list[State] | None, Query()] = None, category: str | None = None,
                received_from: dt.datetime | None = None, received_to: dt.datetime | None = None,
                limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
                actor: Actor = Depends(current_actor), session: DbSession = None):
    rows, total = WorkOrderRepository(session).page(
        order_filter(actor), states=[s.value for s in state or []], category=category,
        received_from=received_from, received_to=received_to, limit=limit, offset=offset)
    return schemas.OrderPage(items=[presenters.summary(*row) for row in rows], total=total, limit=limit,
                             offset=offset)


@router.get("/{ticket}", response_model=schemas.OrderDetail, responses=ERRORS, summary="One order in full")
def read(ticket: Ticket, request: Request, actor: Actor = Depends(current_actor), session: DbSession = None):
    order = visible(session, actor, ticket)
    if order.citizen_id and not masks_personal_data(actor):
        audit(session, request, actor, "citizen.read", "work_order", order.ticket_no)
    return presenters.detail(session, order, actor)


@router.get("/{ticket}/events", response_model=list[schemas.EventOut], responses=ERRORS, summary="The audit trail")
def events(ticket: Ticket, actor: Actor = Depends(current_actor), session: DbSession = None):
    order = visible(session, actor, ticket)
    return [schemas.EventOut(action=e.action, from_state=e.from_state, to_state=e.to_state, actor_role=e.actor_role,
                             note=e.note, data=e.data, occurred_at=e.occurred_at)
            for e in WorkOrderRepository(session).events(order.id)]


@router.get("/{ticket}/route", response_model=schemas.RouteOut, responses=ERRORS, summary="Where the rules would send it")
def route(ticket: Ticket, actor: Actor = Depends(current_actor), session: DbSession = None,
          ctx: Context = Depends(get_ctx)):
    require(actor, Role.OPERATOR, Role.HOTLINE_ADMIN, Role.SUPERVISOR)
    suggestion = WorkOrderService(session, ctx).suggest_route(visible(session, actor, ticket).id)
    return schemas.RouteOut(lead=suggestion.lead, co=list(suggestion.co), reasons=suggestion.reasons)


@router.get("/{ticket}/transcripts", response_model=list[schemas.RecordingOut], responses=ERRORS,
            summary="Recordings of the order: what was heard and the intake draft")
def transcripts(ticket: Ticket, request: Request, actor: Actor = Depends(current_actor),
                session: DbSession = None):
    require(actor, Role.OPERATOR, Role.HOTLINE_ADMIN, Role.SUPERVISOR)
    order = visible(session, actor, ticket)
    audit(session, request, actor, "citizen.read", "work_order", order.ticket_no, {"what": "recordings"})
    return presenters.recordings(session, order.id)


class AcceptIn(BaseModel):
    tier: Tier | None = None
    category_code: str | None = Field(default=None, max_length=32)
    place: str | None = Field(default=None, min_length=1, max_length=200, description="corrects where it is")
    note: str | None = Field(default=None, max_length=2000)


class DispatchIn(BaseModel):
    lead: str | None = Field(default=None, max_length=32, description="omit to follow the routing rules")
    co: list[str] = Field(default=[], max_length=10)
    reason: str | None = Field(default=None, max_length=2000)


class TextIn(BaseModel):
    text: str = Field(min_length=1, max_length=20000)


class ExtensionIn(BaseModel):
    days: int = Field(ge=1, le=15)
    reason: str = Field(min_length=1, max_length=2000)


class DuplicateIn(BaseModel):
    parent_ticket: Ticket


def _step(name: str, summary: str, body_type, call):
    """One POST endpoint per lifecycle step: scoped lookup, the service call, audit, the new state."""

    def endpoint(ticket: Ticket, request: Request, body=None, actor: Actor = Depends(current_actor),
                 session: DbSession = None, ctx: Context = Depends(get_ctx)):
        order = visible(session, actor, ticket)
        body = body if body is not None else body_type()
        call(session, ctx, order.id, actor, body)
        return done(session, request, actor, order, name, body.model_dump(mode="json", exclude_none=True) or None)

    # The body model is chosen per step; a step whose fields are all optional may send no body.
    signature = inspect.signature(endpoint)
    optional = not any(f.is_required() for f in body_type.model_fields.values())
    body = (inspect.Parameter("body", inspect.Parameter.KEYWORD_ONLY, annotation=body_type | None, default=None)
            if optional else inspect.Parameter("body", inspect.Parameter.KEYWORD_ONLY, annotation=body_type))
    endpoint.__signature__ = signature.replace(parameters=[
        body if p.name == "body" else p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
        for p in signature.parameters.values()])
    endpoint.__name__ = name
    router.add_api_route(f"/{{ticket}}/{name.replace('_', '-')}", endpoint, methods=["POST"], summary=summary,
                         response_model=schemas.OrderDetail, responses=ERRORS)


class Empty(BaseModel):
    pass


_step("accept", "受理: accept, confirming tier and category", AcceptIn,
      lambda s, c, i, a, b: WorkOrderService(s, c).accept(i, a, tier=b.tier, category_code=b.category_code, place=b.place,
                                                            note=b.note))
_step("answer", "直办: answer directly", TextIn, lambda s, c, i, a, b: WorkOrderService(s, c).answer_directly(i, a, b.text))
_step("dispatch", "转办: dispatch by the rules or with a reason", DispatchIn,
      lambda s, c, i, a, b: WorkOrderService(s, c).dispatch(i, a, b.lead, tuple(b.co), b.reason))
_step("sign", "签收", Empty, lambda s, c, i, a, b: DepartmentService(s, c).sign(i, a))
_step("reply", "反馈 to the citizen", TextIn, lambda s, c, i, a, b: DepartmentService(s, c).reply(i, a, b.text))
_step("return", "回退 a mis-routed order", TextIn, lambda s, c, i, a, b: DepartmentService(s, c).return_order(i, a, b.text))
_step("extension", "延期: ask for more time", ExtensionIn,
      lambda s, c, i, a, b: ExtensionService(s, c).request(i, a, b.days, b.reason))
_step("invalid", "无效: close as invalid", TextIn, lambda s, c, i, a, b: WorkOrderService(s, c).mark_invalid(i, a, b.text))
_step("duplicate", "重复件: merge into an earlier order", DuplicateIn,
      lambda s, c, i, a, b: WorkOrderService(s, c).merge_duplicate(i, a, b.parent_ticket))


@router.post("/{ticket}/complete", response_model=schemas.OrderDetail, responses=ERRORS,
             summary="办结 with a result and optional evidence files (JPEG, PNG, PDF)")
def complete(ticket: Ticket, request: Request, result: Annotated[str, Form(min_length=1, max_length=20000)],
                   files: Annotated[list[UploadFile], File()] = [],  # noqa: B006 (FastAPI reads the default)
                   actor: Actor = Depends(current_actor), session: DbSession = None,
                   ctx: Context = Depends(get_ctx)):
    uploads = [EvidenceUpload(f.filename or "evidence", f.content_type or "", f.file.read(MAX_BYTES + 1))
               for f in files]
    order = visible(session, actor, ticket)
    DepartmentService(session, ctx).complete(order.id, actor, result, uploads)
    return done(session, request, actor, order, "complete", {"files": [u.filename for u in uploads]})


class DecisionIn(BaseModel):
    approve: bool
    note: str | None = Field(default=None, max_length=2000)


extensions = APIRouter(prefix="/api/v1/extensions", tags=["work orders"])


@extensions.post("/{request_id}/decision", response_model=schemas.OrderDetail, responses=ERRORS,
                 summary="延期审批: approve or refuse an extension (hotline admin, supervisor)")
def decide_extension(request_id: RowId, body: DecisionIn, request: Request, actor: Actor = Depends(current_actor),
                     session: DbSession = None, ctx: Context = Depends(get_ctx)):
    service = ExtensionService(session, ctx)
    pending = service.requests.get(request_id)
    order = pending and session.get(WorkOrder, pending.work_order_id)
    if order is None or WorkOrderRepository(session).visible(order.ticket_no, order_filter(actor)) is None:
        raise NotFoundError(f"no extension request {request_id} in your scope")
    service.decide(request_id, actor, body.approve, body.note)
    return done(session, request, actor, order, "decide_extension", body.model_dump())


supervisions = APIRouter(prefix="/api/v1/supervisions", tags=["work orders"])


@supervisions.get("", response_model=list[schemas.SupervisionOut], summary="Open 督办: overdue, arbitration, redo")
def open_supervisions(limit: Annotated[int, Query(ge=1, le=500)] = 100, actor: Actor = Depends(current_actor),
                      session: DbSession = None):
    require(actor, Role.SUPERVISOR, Role.HOTLINE_ADMIN)
    rows = session.execute(
        select(Supervision, WorkOrder.ticket_no, WorkOrder.title, Department.name)
        .join(WorkOrder, WorkOrder.id == Supervision.work_order_id)
        .outerjoin(Department, Department.id == Supervision.department_id)
        .where(Supervision.status == "open", order_filter(actor))
        .order_by(Supervision.raised_at).limit(limit)).all()
    return [schemas.SupervisionOut(kind=sup.kind, ticket_no=ticket, title=title, department=name, note=sup.note,
                                   raised_at=sup.raised_at) for sup, ticket, title, name in rows]
