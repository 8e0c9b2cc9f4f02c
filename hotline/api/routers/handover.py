"""转接 from the operator's screen (blind or attended, three-way, cancel), what became of each, and the
emergency order made in one key from what the call's transcript holds."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi import Path as PathParam

from hotline.api.audit import audit
from hotline.api.deps import Centre, Ctx, DbSession, HotlineDesk, Staff
from hotline.api.routers.work_orders import ERRORS, RowId, Ticket, visible
from hotline.api.schemas.desk import TakenOut
from hotline.api.schemas.handover import EmergencyIn, HandoverIn, HandoverOut, TargetOut
from hotline.api.uow import OutsideEffectsRoute, UnitOfWorkRoute
from hotline.desk.emergency import EmergencyOrders
from hotline.desk.handover import HandoverRefusedError, Handovers, as_dict, target_dict, targets
from hotline.desk.handover_repository import HandoverRepository
from hotline.dispatch.repository import CitizenRepository
from hotline.telephony.pbx import PbxUnavailableError

router = APIRouter(prefix="/api/v1", tags=["hand-over"], route_class=UnitOfWorkRoute)
effects = APIRouter(prefix="/api/v1", tags=["hand-over"], route_class=OutsideEffectsRoute)
Linkedid = Annotated[str, PathParam(pattern=r"^[0-9A-Za-z._-]{1,64}$")]


@router.get("/desk/handover-targets", response_model=list[TargetOut],
            summary="Where a caller can be handed: 110/119/120, emergency lines, departments' duty phones")
def handover_targets(actor: HotlineDesk, ctx: Ctx):
    return [target_dict(t) for t in targets(ctx)]


@effects.post("/desk/handovers", response_model=HandoverOut, status_code=201, responses=ERRORS,
              summary="转接 the caller on my line: blind (BlindTransfer) or attended (Atxfer)")
def start(body: HandoverIn, request: Request, actor: HotlineDesk, session: DbSession, ctx: Ctx):
    handovers = Handovers(session, ctx)
    row = handovers.request(actor, body.target, body.mode)
    session.commit()  # the row exists before Asterisk's events about it can arrive
    try:
        handovers.send(row)
    except (HandoverRefusedError, PbxUnavailableError):
        audit(session, request, actor, "handover.refused", "call", row.linkedid, as_dict(row))
        session.commit()  # the refusal stays on record (state refused), nothing is recorded as done
        raise
    audit(session, request, actor, "handover.start", "call", row.linkedid, as_dict(row))
    return as_dict(row)


@effects.post("/desk/handovers/{handover_id}/threeway", response_model=HandoverOut, responses=ERRORS,
              summary="三方通话: the citizen joins the operator's talk with the other side")
def threeway(handover_id: RowId, request: Request, actor: HotlineDesk, session: DbSession, ctx: Ctx):
    row = Handovers(session, ctx).threeway(actor, handover_id)
    audit(session, request, actor, "handover.threeway", "call", row.linkedid, {"handover": row.id})
    return as_dict(row)


@effects.post("/desk/handovers/{handover_id}/cancel", response_model=HandoverOut, responses=ERRORS,
              summary="Cancel an attended hand-over: back to the citizen")
def cancel(handover_id: RowId, request: Request, actor: HotlineDesk, session: DbSession, ctx: Ctx):
    row = Handovers(session, ctx).cancel(actor, handover_id)
    audit(session, request, actor, "handover.cancel", "call", row.linkedid, {"handover": row.id})
    return as_dict(row)


@router.get("/calls/{linkedid}/handovers", response_model=list[HandoverOut], summary="A call's hand-overs")
def of_call(linkedid: Linkedid, actor: Centre, session: DbSession):
    return [as_dict(r) for r in HandoverRepository(session).of_call(linkedid)]


@router.get("/work-orders/{ticket}/handovers", response_model=list[HandoverOut], responses=ERRORS,
            summary="The hand-overs of an order's call")
def of_order(ticket: Ticket, actor: Staff, session: DbSession):
    order = visible(session, actor, ticket)
    return [as_dict(r) for r in HandoverRepository(session).of_order(order.id, order.call_linkedid)]


@router.post("/desk/emergency", response_model=TakenOut, status_code=201, responses=ERRORS,
             summary="紧急工单 in one key from what the call's transcript holds, dispatched to the emergency service")
def emergency(body: EmergencyIn, request: Request, actor: HotlineDesk, session: DbSession, ctx: Ctx):
    taken = EmergencyOrders(session, ctx).create(actor, body.linkedid, body.service, body.content,
                                                 body.citizen_phone)
    order = taken.order
    audit(session, request, actor, "desk.emergency", "work_order", order.ticket_no,
          {"linkedid": body.linkedid, "service": body.service})
    citizen = CitizenRepository(session).get(order.citizen_id)
    return TakenOut(ticket_no=order.ticket_no, state=order.state, outcome=taken.outcome.value,
                    extraction_code=taken.extraction_code, citizen_phone=citizen.phone if citizen else None)
