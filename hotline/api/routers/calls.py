"""What a call became, read from the call: the orders created or updated during it, its recordings and
the dialogue heard in them, and whether 话后处理 is offered. Operators read the calls they took part in;
the centre's admins and supervisors any call (hotline.telephony.links)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request

from hotline.api import presenters
from hotline.api.audit import audit
from hotline.api.deps import Ctx, DbSession, roles
from hotline.api.routers.work_orders import ERRORS, Ticket, visible
from hotline.api.schemas.calls import CallWorkOut, DialogueOut, LinkedOrderOut
from hotline.api.uow import UnitOfWorkRoute
from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.models import CallDialogue
from hotline.telephony.links import CallLinks
from hotline.voice.calls import offered
from hotline.voice.repository import CallDialogueRepository

router = APIRouter(prefix="/api/v1", tags=["calls"], route_class=UnitOfWorkRoute)
Linkedid = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z._-]+$")]
CallStaff = Annotated[Actor, Depends(roles(Role.OPERATOR, Role.CALLBACK_STAFF, Role.HOTLINE_ADMIN, Role.SUPERVISOR))]
Routing = Annotated[Actor, Depends(roles(Role.OPERATOR, Role.HOTLINE_ADMIN, Role.SUPERVISOR))]


def dialogue_out(row: CallDialogue | None) -> DialogueOut | None:
    if row is None:
        return None
    return DialogueOut(linkedid=row.linkedid, status=row.status, error=row.error, turns=row.turns or [],
                       citizen_text=row.citizen_text, operator_text=row.operator_text, draft=row.draft,
                       duration_s=row.duration_s, transcribed_at=row.transcribed_at)


@router.get("/calls/{linkedid}/work", response_model=CallWorkOut, responses=ERRORS,
            summary="A call's orders, recordings and dialogue, and whether 话后处理 is offered")
def call_work(linkedid: Linkedid, request: Request, actor: CallStaff, session: DbSession, ctx: Ctx):
    links = CallLinks(session, ctx.clock.now)
    links.require(actor, linkedid)
    audit(session, request, actor, "call.read", "call", linkedid, {"what": "recordings"})
    call = links.repo.call(linkedid)
    orders = links.repo.orders_of(linkedid)
    dialogue = CallDialogueRepository(session).get(linkedid)
    return CallWorkOut(
        linkedid=linkedid, caller=call.caller if call else None, agent=call.agent if call else None,
        started_at=call.started_at if call else None, ended_at=call.ended_at if call else None,
        orders=[LinkedOrderOut(ticket_no=o.ticket_no, title=o.title, state=o.state, how=link.how,
                               linked_at=link.linked_at) for link, o in orders],
        recordings=presenters.recordings(session, None, [linkedid]),
        dialogue=dialogue_out(dialogue), after_call=offered(dialogue, orders))


@router.get("/work-orders/{ticket}/dialogues", response_model=list[DialogueOut], responses=ERRORS,
            summary="The dialogues of the calls the order was registered or updated during")
def order_dialogues(ticket: Ticket, request: Request, actor: Routing, session: DbSession, ctx: Ctx):
    order = visible(session, actor, ticket)
    audit(session, request, actor, "citizen.read", "work_order", order.ticket_no, {"what": "dialogues"})
    repo = CallDialogueRepository(session)
    found = [dialogue_out(repo.get(lid)) for lid in CallLinks(session, ctx.clock.now).calls_of(order.id,
                                                                                                order.call_linkedid)]
    return [d for d in found if d is not None]
