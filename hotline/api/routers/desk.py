"""The operator's and the callback staff's desks: their state at the queue, the one-transaction intake,
并案, the story of an order with its evidence, and each person's counts for today."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import FileResponse

from hotline.accounts.repository import UserRepository
from hotline.api.audit import audit
from hotline.api.deps import Centre, Ctx, DbSession, HotlineDesk, Staff
from hotline.api.headers import SAME_ORIGIN_FRAME
from hotline.api.params import Limit, Offset
from hotline.api.routers.work_orders import ERRORS, RowId, Ticket, visible
from hotline.api.schemas.desk import (
    AgentMe,
    IncidentCandidate,
    IncidentOut,
    IncidentPage,
    StoryOut,
    TakeIn,
    TakenOut,
    TodayOut,
)
from hotline.api.uow import OutsideEffectsRoute, UnitOfWorkRoute
from hotline.core.errors import NotFoundError
from hotline.core.labels import AgentStatus
from hotline.desk.agents import AgentDesk, as_dict
from hotline.desk.incidents import Incidents
from hotline.desk.intake import DeskIntake, Taking, title_from
from hotline.desk.repository import IncidentRepository, StoryRepository
from hotline.desk.story import Story
from hotline.desk.today import today_counts
from hotline.dispatch.evidence import ALLOWED_TYPES, EvidenceStore
from hotline.dispatch.repository import CitizenRepository, WorkOrderRepository
from hotline.dispatch.schemas import WorkOrderDraft
from hotline.dispatch.scope import masks_personal_data
from hotline.telephony.links import CREATED, UPDATED, CallLinks
from hotline.telephony.screenpop import caller_history

router = APIRouter(prefix="/api/v1", tags=["desks"], route_class=UnitOfWorkRoute)
effects = APIRouter(prefix="/api/v1", tags=["desks"], route_class=OutsideEffectsRoute)
Phone = Annotated[str, PathParam(pattern=r"^\d{5,20}$")]


@router.get("/agents/me", response_model=AgentMe, summary="My state at the queue (the console shows it after a reload)")
def my_state(actor: HotlineDesk, session: DbSession, ctx: Ctx):
    user = UserRepository(session).get(actor.user_id or 0)
    state = as_dict(AgentDesk(session, ctx.clock).current(actor.user_id or 0), ctx.clock.now())
    desk = ctx.config.desk
    return AgentMe(**state, extension=user.extension if user else None, pause_reasons=desk.pause_reasons,
                   wrapup_reason=desk.wrapup.reason)


@effects.post("/agents/ready", response_model=AgentMe, summary="完成话后处理: take calls again")
def ready(request: Request, actor: HotlineDesk, session: DbSession, ctx: Ctx):
    desk = AgentDesk(session, ctx.clock)
    state = desk.current(actor.user_id or 0)
    if state is not None and state.state == AgentStatus.WRAPUP and state.queue and state.interface:
        if ctx.config.desk.wrapup.pause_in_asterisk:
            ctx.pbx.queue_pause(state.queue, state.interface, False, "")
        desk.move(actor.user_id or 0, AgentStatus.IDLE)
        audit(session, request, actor, "agent.ready", "agent", state.interface, {"linkedid": state.linkedid})
    return my_state(actor, session, ctx)


@router.post("/desk/intake", response_model=TakenOut, status_code=201, responses=ERRORS,
             summary="受理 and 派单 / 直办 / 重复件 / 并案 / 无效 in one transaction")
def take(body: TakeIn, request: Request, actor: HotlineDesk, session: DbSession, ctx: Ctx):
    links = CallLinks(session, ctx.clock.now)
    if body.call_linkedid:  # the call is checked before anything is written
        links.require(actor, body.call_linkedid)
    draft = None
    if body.ticket is None and body.content:
        draft = WorkOrderDraft(title=body.title or title_from(body.content), content=body.content,
                               category_code=body.category_code, tier=body.tier, place=body.place,
                               citizen_phone=body.citizen_phone, citizen_name=body.citizen_name,
                               call_linkedid=body.call_linkedid, kind=body.kind, suggestion=body.suggestion)
    taken = DeskIntake(session, ctx).take(Taking(
        outcome=body.outcome, ticket=body.ticket, draft=draft, content=body.content, tier=body.tier,
        category_code=body.category_code, place=body.place, lead=body.lead, co=tuple(body.co), reason=body.reason,
        answer=body.answer, other_ticket=body.other_ticket), actor)
    order = taken.order
    if body.call_linkedid:
        links.link(actor, body.call_linkedid, order.id, CREATED if draft is not None else UPDATED)
    audit(session, request, actor, f"desk.{body.outcome.value}", "work_order", order.ticket_no,
          body.model_dump(mode="json", exclude_none=True, include={"lead", "co", "reason", "other_ticket", "tier"}))
    citizen = CitizenRepository(session).get(order.citizen_id)
    return TakenOut(ticket_no=order.ticket_no, state=order.state, outcome=taken.outcome.value,
                    extraction_code=taken.extraction_code, citizen_phone=citizen.phone if citizen else None)


@router.get("/desk/incidents", response_model=list[IncidentCandidate],
            summary="并案: open orders this call may be about")
def incident_candidates(actor: HotlineDesk, session: DbSession, ctx: Ctx,
                        category: Annotated[str, Query(max_length=32)],
                        place: Annotated[str | None, Query(max_length=200)] = None,
                        ticket: Annotated[str | None, Query(pattern=r"^\d{8}-\d{4,}$")] = None):
    exclude = WorkOrderRepository(session).by_ticket(ticket) if ticket else None
    found = Incidents(session, ctx).candidates(category, place, [exclude.id] if exclude else [])
    return [IncidentCandidate(ticket_no=c.order.ticket_no, title=c.order.title, place=c.order.place,
                              state=c.order.state, received_at=c.order.received_at, callers=c.callers, why=c.why)
            for c in found]


@router.get("/incidents", response_model=IncidentPage, summary="并案 incidents with their caller counts")
def incidents(actor: Centre, session: DbSession, limit: Limit = 50,
              offset: Offset = 0):
    rows, total = IncidentRepository(session).masters(actor, limit, offset)
    return IncidentPage(total=total, items=[IncidentOut(
        ticket_no=o.ticket_no, title=o.title, category_code=o.category_code, place=o.place, state=o.state,
        received_at=o.received_at, callers=1 + n, last_call_at=last) for o, n, last in rows])


@router.get("/desk/callers/{phone}", summary="A caller's open and earlier orders (the screen pop, again)")
def caller(phone: Phone, request: Request, actor: HotlineDesk, session: DbSession, ctx: Ctx) -> dict:
    audit(session, request, actor, "citizen.read", "citizen", phone, {"for": "caller history"})
    return caller_history(session, ctx.sla, phone)


@router.get("/desk/today", response_model=TodayOut, summary="My counts for today")
def today(actor: Staff, session: DbSession, ctx: Ctx):
    return today_counts(session, ctx.sla, actor, ctx.clock.now())


@router.get("/work-orders/{ticket}/story", response_model=StoryOut, responses=ERRORS,
            summary="流转记录: who did what, replies, results, evidence, callbacks, 督办, 延期, 并案")
def story(ticket: Ticket, request: Request, actor: Staff, session: DbSession):
    order = visible(session, actor, ticket)
    if not masks_personal_data(actor):
        audit(session, request, actor, "citizen.read", "work_order", order.ticket_no, {"what": "story"})
    return Story(session).of(order, actor)


@router.get("/work-orders/{ticket}/evidence/{evidence_id}", response_class=FileResponse, responses=ERRORS,
            summary="One evidence file (image or PDF)")
def evidence(ticket: Ticket, evidence_id: RowId, actor: Staff, session: DbSession, ctx: Ctx):
    order = visible(session, actor, ticket)
    found = StoryRepository(session).evidence_file(order.id, evidence_id)
    path = EvidenceStore(ctx.settings.var_dir / "evidence").path_of(found.sha256) if found else None
    if found is None or path is None or not path.is_file():
        raise NotFoundError(f"no evidence {evidence_id} on {ticket}", error_id="not_found")
    # Only the types checked at upload are shown inline (in the console's viewer, framed by our own pages).
    inline = found.content_type in ALLOWED_TYPES
    return FileResponse(path, media_type=found.content_type if inline else "application/octet-stream",
                        filename=found.filename, content_disposition_type="inline" if inline else "attachment",
                        headers=SAME_ORIGIN_FRAME)
