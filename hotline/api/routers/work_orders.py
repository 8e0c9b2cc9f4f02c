"""Work orders for staff: create, list and read within scope, and one endpoint per lifecycle step.

Steps declare no role: the lifecycle table decides who may take a step, after the order was looked
up in the actor's scope — so someone who may not see an order learns nothing of it (404)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Path, Query, Request, UploadFile
from sqlalchemy.orm import Session

from hotline.api import presenters
from hotline.api.audit import audit
from hotline.api.call_links import during_call, link_during_call
from hotline.api.deps import Creator, Ctx, DbSession, Routing, Staff, Supervisors
from hotline.api.params import Limit, Offset
from hotline.api.schemas.inbox import PendingExtension, PendingExtensions
from hotline.api.schemas.instants import Instant
from hotline.api.schemas.intake import RecordingOut
from hotline.api.schemas.orders import (
    AcceptIn,
    AnswerIn,
    CreatedOrder,
    DecisionIn,
    DispatchIn,
    DuplicateIn,
    EventOut,
    ExtensionIn,
    OrderDetail,
    OrderPage,
    ReturnIn,
    RouteOut,
    StepOut,
    SupervisionOut,
    TextIn,
)
from hotline.api.uow import UnitOfWorkRoute
from hotline.core.actor import Actor
from hotline.core.enums import Channel, Role, State
from hotline.core.errors import NotFoundError
from hotline.dispatch.department import DepartmentService, evidence_required
from hotline.dispatch.evidence import MAX_BYTES, EvidenceUpload
from hotline.dispatch.extension_repository import ExtensionRepository
from hotline.dispatch.extensions import ExtensionService
from hotline.dispatch.filters import OrderFilter
from hotline.dispatch.repository import WorkOrderRepository
from hotline.dispatch.schemas import WorkOrderDraft
from hotline.dispatch.scope import disclosure, masks_personal_data
from hotline.dispatch.service import WorkOrderService
from hotline.dispatch.supervising import SupervisorActions
from hotline.dispatch.supervision_repository import SupervisionRepository
from hotline.knowledge.uses import KnowledgeUses
from hotline.models import WorkOrder
from hotline.telephony.links import CallLinks

router = APIRouter(prefix="/api/v1/work-orders", tags=["work orders"], route_class=UnitOfWorkRoute)
extensions = APIRouter(prefix="/api/v1/extensions", tags=["work orders"], route_class=UnitOfWorkRoute)
supervisions = APIRouter(prefix="/api/v1/supervisions", tags=["work orders"], route_class=UnitOfWorkRoute)
Ticket = Annotated[str, Path(pattern=r"^\d{8}-\d{4,}$")]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such order in your scope"}, 409: {"description": "not allowed in this state"},
    403: {"description": "not allowed for your role"}, 422: {"description": "invalid input"}}
STEP: dict[str, Any] = {"response_model": StepOut, "responses": ERRORS, "dependencies": [Depends(during_call)]}


def visible(session: Session, actor: Actor, ticket: str) -> WorkOrder:
    order = WorkOrderRepository(session).find(ticket, actor)
    if order is None:
        raise NotFoundError(f"no work order {ticket} in your scope", error_id="order_not_found")
    return order


def stepped(session: Session, request: Request, actor: Actor, order: WorkOrder, action: str,
            details: dict | None = None) -> StepOut:
    audit(session, request, actor, f"work_order.{action}", "work_order", order.ticket_no, details)
    link_during_call(session, request, actor, order.id, updated=True)
    return presenters.step(order, actor)


@router.post("", response_model=CreatedOrder, status_code=201, summary="Register a request (operator, liaison)",
             dependencies=[Depends(during_call)])
def create(draft: WorkOrderDraft, request: Request, actor: Creator, session: DbSession, ctx: Ctx):
    if actor.role == Role.LIAISON:  # 民情联络员代办: always recorded as a proxy submission
        draft = draft.model_copy(update={"channel": Channel.LIAISON})
    linkedid = draft.call_linkedid or request.state.during_call
    if linkedid:  # checked before anything is written: a call that is not the sender's creates nothing
        draft = draft.model_copy(update={"call_linkedid": CallLinks(session, ctx.clock.now).require(actor, linkedid)})
        request.state.during_call = linkedid
    created = WorkOrderService(session, ctx).create(draft, actor)
    link_during_call(session, request, actor, created.order_id, updated=False)
    audit(session, request, actor, "work_order.create", "work_order", created.ticket_no,
          {"channel": draft.channel.value})
    return CreatedOrder(ticket_no=created.ticket_no, extraction_code=created.extraction_code,
                        state=created.state)


@router.get("", response_model=OrderPage, summary="Orders in your scope, newest first (or nearest deadline first)")
def list_orders(actor: Staff, session: DbSession, ctx: Ctx, state: Annotated[list[State] | None, Query()] = None,
                channel: Annotated[list[Channel] | None, Query()] = None,
                category: str | None = None, received_from: Instant | None = None,
                received_to: Instant | None = None,
                received_on: Annotated[dt.date | None, Query(
                    description="a day in the centre's time zone (settings.timezone): received from its local "
                                "midnight to the next")] = None,
                q: Annotated[str | None, Query(max_length=100, description="a ticket number or words")] = None,
                phone: Annotated[str | None, Query(pattern=r"^\d{4,20}$", description="the number or its end")] = None,
                mine: Annotated[bool, Query(description="only orders I registered")] = False,
                sort: Annotated[str, Query(pattern="^(new|due)$")] = "new",
                limit: Limit = 50,
                offset: Offset = 0):
    leaf = ctx.config.category(category) if category else None  # a retired code lists its leaf's orders
    if received_on is not None:  # the day as the centre lives it, whatever zone the browser is in
        lo, hi = (dt.datetime.combine(d, dt.time(), tzinfo=ctx.sla.tz).astimezone(dt.UTC)
                  for d in (received_on, received_on + dt.timedelta(days=1)))
        received_from, received_to = max(received_from or lo, lo), min(received_to or hi, hi)
    wanted = OrderFilter(states=[s.value for s in state or []], channels=[c.value for c in channel or []],
                         category=leaf.code if leaf else category, received_from=received_from, received_to=received_to,
                         words=q.strip() if q and q.strip() else None, phone=phone,
                         created_by=actor.user_id if mine else None, sort=sort)
    rows, total = WorkOrderRepository(session).page(actor, wanted, limit=limit, offset=offset)
    return OrderPage(items=[presenters.summary(row, row.light, row.due_at, row.phone, disclosure(actor, [row.name]))
                            for row in rows], total=total, limit=limit, offset=offset)


@router.get("/{ticket}", response_model=OrderDetail, responses=ERRORS, summary="One order in full")
def read(ticket: Ticket, request: Request, actor: Staff, session: DbSession, ctx: Ctx):
    order = visible(session, actor, ticket)
    if order.citizen_id and not masks_personal_data(actor):
        audit(session, request, actor, "citizen.read", "work_order", order.ticket_no)
    return presenters.detail(session, order, actor, evidence_required=evidence_required(ctx, order))


@router.get("/{ticket}/events", response_model=list[EventOut], responses=ERRORS, summary="The audit trail")
def events(ticket: Ticket, actor: Staff, session: DbSession):
    order = visible(session, actor, ticket)
    return presenters.events(session, order, actor, list(WorkOrderRepository(session).events(order.id)))


@router.get("/{ticket}/route", response_model=RouteOut, responses=ERRORS, summary="Where the rules would send it")
def route(ticket: Ticket, actor: Routing, session: DbSession, ctx: Ctx):
    suggestion = WorkOrderService(session, ctx).suggest_route(ticket, actor)
    return RouteOut(lead=suggestion.lead, co=list(suggestion.co), reasons=suggestion.reasons)


@router.get("/{ticket}/transcripts", response_model=list[RecordingOut], responses=ERRORS,
            summary="Recordings of the order: what was heard and the intake draft")
def transcripts(ticket: Ticket, request: Request, actor: Routing, session: DbSession, ctx: Ctx):
    order = visible(session, actor, ticket)
    audit(session, request, actor, "citizen.read", "work_order", order.ticket_no, {"what": "recordings"})
    calls = CallLinks(session, ctx.clock.now).calls_of(order.id, order.call_linkedid)
    return presenters.recordings(session, order.id, calls)


@router.post("/{ticket}/accept", summary="受理: accept, confirming tier, category and place", **STEP)
def accept(ticket: Ticket, request: Request, actor: Staff, session: DbSession, ctx: Ctx, body: AcceptIn | None = None):
    body = body or AcceptIn()
    order = WorkOrderService(session, ctx).accept(ticket, actor, tier=body.tier, category_code=body.category_code,
                                                  place=body.place, note=body.note,
                                                  attitude_department=body.attitude_department)
    return stepped(session, request, actor, order, "accept", body.model_dump(mode="json", exclude_none=True) or None)


@router.post("/{ticket}/answer", summary="直办: answer directly, citing the article version used if any", **STEP)
def answer(ticket: Ticket, body: AnswerIn, request: Request, actor: Staff, session: DbSession, ctx: Ctx):
    order = KnowledgeUses(session, ctx).answer(ticket, actor, body.text, body.article_version_id)
    return stepped(session, request, actor, order, "answer",
                   {"text": body.text, "article_version_id": body.article_version_id})


@router.post("/{ticket}/dispatch", summary="转办: dispatch by the rules or with a reason", **STEP)
def dispatch(ticket: Ticket, request: Request, actor: Staff, session: DbSession, ctx: Ctx,
             body: DispatchIn | None = None):
    body = body or DispatchIn()
    order = WorkOrderService(session, ctx).dispatch(ticket, actor, body.lead, tuple(body.co), body.reason)
    return stepped(session, request, actor, order, "dispatch", body.model_dump(mode="json", exclude_none=True))


@router.post("/{ticket}/sign", summary="签收", **STEP)
def sign(ticket: Ticket, request: Request, actor: Staff, session: DbSession, ctx: Ctx):
    order = DepartmentService(session, ctx).sign(ticket, actor)
    return stepped(session, request, actor, order, "sign")


@router.post("/{ticket}/reply", summary="反馈 to the citizen", **STEP)
def reply(ticket: Ticket, body: TextIn, request: Request, actor: Staff, session: DbSession, ctx: Ctx):
    order = DepartmentService(session, ctx).reply(ticket, actor, body.text)
    return stepped(session, request, actor, order, "reply", {"text": body.text})


@router.post("/{ticket}/complete", summary="办结 with a result and optional evidence files (JPEG, PNG, PDF)", **STEP)
def complete(ticket: Ticket, request: Request, actor: Staff, session: DbSession, ctx: Ctx,
             result: Annotated[str, Form(min_length=1, max_length=20000)],
             files: Annotated[list[UploadFile], File()] = []):  # noqa: B006 (FastAPI reads the default)
    uploads = [EvidenceUpload(f.filename or "evidence", f.content_type or "", f.file.read(MAX_BYTES + 1))
               for f in files]
    order = DepartmentService(session, ctx).complete(ticket, actor, result, uploads)
    return stepped(session, request, actor, order, "complete", {"files": [u.filename for u in uploads]})


@router.post("/{ticket}/return", summary="回退 a mis-routed order", **STEP)
def return_order(ticket: Ticket, body: ReturnIn, request: Request, actor: Staff, session: DbSession, ctx: Ctx):
    order = DepartmentService(session, ctx).return_order(ticket, actor, body.text, body.code)
    return stepped(session, request, actor, order, "return", {"text": body.text, "code": body.code})


@router.post("/{ticket}/extension", summary="延期: ask for more time", **STEP)
def request_extension(ticket: Ticket, body: ExtensionIn, request: Request, actor: Staff, session: DbSession,
                      ctx: Ctx):
    service = ExtensionService(session, ctx)
    asked = service.request(ticket, actor, body.days, body.reason)
    order = service.orders.orders.require(asked.work_order_id)
    return stepped(session, request, actor, order, "extension", body.model_dump())


@router.post("/{ticket}/invalid", summary="无效: close as invalid", **STEP)
def mark_invalid(ticket: Ticket, body: TextIn, request: Request, actor: Staff, session: DbSession, ctx: Ctx):
    order = WorkOrderService(session, ctx).mark_invalid(ticket, actor, body.text)
    return stepped(session, request, actor, order, "invalid", {"text": body.text})


@router.post("/{ticket}/duplicate", summary="重复件: merge into an earlier order", **STEP)
def merge_duplicate(ticket: Ticket, body: DuplicateIn, request: Request, actor: Staff, session: DbSession,
                    ctx: Ctx):
    order = WorkOrderService(session, ctx).merge_duplicate(ticket, actor, body.parent_ticket)
    return stepped(session, request, actor, order, "duplicate", body.model_dump())


@extensions.get("", response_model=PendingExtensions,
                summary="延期审批: extension requests waiting for a decision, oldest first (your scope)")
def pending_extensions(actor: Supervisors, session: DbSession, limit: Limit = 50,
                       offset: Offset = 0):
    rows, total = ExtensionRepository(session).pending_readable(actor, limit, offset)
    return PendingExtensions(items=[PendingExtension(
        id=x.id, ticket_no=ticket, title=title, tier=tier, department=department, days=x.days, reason=x.reason,
        requested_at=x.requested_at, due_at=due) for x, ticket, title, tier, department, due in rows], total=total)


@extensions.post("/{request_id}/decision",
                 summary="延期审批: approve or refuse an extension (hotline admin, supervisor)",
                 **STEP)
def decide_extension(request_id: RowId, body: DecisionIn, request: Request, actor: Staff, session: DbSession,
                     ctx: Ctx):
    service = ExtensionService(session, ctx)
    decided = service.decide(request_id, actor, body.approve, body.note)
    order = service.orders.orders.require(decided.work_order_id)
    return stepped(session, request, actor, order, "decide_extension", body.model_dump())


@supervisions.get("", response_model=list[SupervisionOut], summary="Open 督办: overdue, arbitration, redo")
def open_supervisions(actor: Supervisors, session: DbSession, ctx: Ctx,
                      limit: Annotated[int, Query(ge=1, le=500)] = 100):
    rows = SupervisionRepository(session).open_readable(actor, limit)
    now = ctx.clock.now()
    return [SupervisionOut(id=sup.id, kind=sup.kind, ticket_no=ticket, title=title, department=name, note=sup.note,
                           raised_at=sup.raised_at, status=sup.status, due_at=sup.due_at,
                           overdue=sup.due_at is not None and sup.due_at <= now)
            for sup, ticket, title, name in rows]


@supervisions.post("/{supervision_id}/resolve", response_model=SupervisionOut, responses=ERRORS,
                   summary="督办办结: resolve a 督办 with a note (supervisor, hotline admin)")
def resolve_supervision(supervision_id: RowId, body: TextIn, request: Request, actor: Supervisors,
                        session: DbSession, ctx: Ctx):
    sup, order = SupervisorActions(session, ctx).resolve(supervision_id, actor, body.text)
    audit(session, request, actor, "supervision.resolve", "work_order", order.ticket_no,
          {"supervision": sup.id, "note": body.text})
    return SupervisionOut(id=sup.id, kind=sup.kind, ticket_no=order.ticket_no, title=order.title, department=None,
                          note=sup.note, raised_at=sup.raised_at, status=sup.status)


@router.post("/{ticket}/urge", summary="催办: a supervisor's reminder to the department holding the order", **STEP)
def urge(ticket: Ticket, body: TextIn, request: Request, actor: Supervisors, session: DbSession, ctx: Ctx):
    order = SupervisorActions(session, ctx).urge(ticket, actor, body.text)
    return stepped(session, request, actor, order, "urge", {"text": body.text})
