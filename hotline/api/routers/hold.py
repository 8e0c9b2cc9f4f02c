"""保持 / 取回 from the operator's screen: the citizen on my line to music on hold and back (AMI Redirect of
both legs, then Bridge — see hotline/desk/hold.py for why not Park)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from hotline.api.audit import audit
from hotline.api.deps import Ctx, DbSession, HotlineDesk
from hotline.api.routers.desk import my_state
from hotline.api.routers.work_orders import ERRORS
from hotline.api.schemas.desk import AgentMe
from hotline.api.uow import OutsideEffectsRoute
from hotline.desk.hold import Holds

router = APIRouter(prefix="/api/v1", tags=["desks"], route_class=OutsideEffectsRoute)


class HoldIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    linkedid: str = Field(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z._-]+$",
                          description="the call on the operator's screen: refused unless it is the one they are on")


@router.post("/desk/hold", response_model=AgentMe, responses=ERRORS,
             summary="保持: the citizen on my line hears music on hold (state held, timed on the call)")
def hold(body: HoldIn, request: Request, actor: HotlineDesk, session: DbSession, ctx: Ctx):
    state = Holds(session, ctx.clock, ctx.pbx).hold(actor, body.linkedid)
    audit(session, request, actor, "call.hold", "call", body.linkedid, {"channel": state.channel})
    return my_state(actor, session, ctx)


@router.post("/desk/hold/take-back", response_model=AgentMe, responses=ERRORS,
             summary="取回: the citizen on hold is bridged back to me")
def take_back(body: HoldIn, request: Request, actor: HotlineDesk, session: DbSession, ctx: Ctx):
    state = Holds(session, ctx.clock, ctx.pbx).take_back(actor, body.linkedid)
    audit(session, request, actor, "call.take_back", "call", body.linkedid, {"channel": state.channel})
    return my_state(actor, session, ctx)
