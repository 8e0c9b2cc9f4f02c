"""Calls, agents at the queue (login / pause with a reason / logout through AMI) and the live stream
that carries screen pops to the operator who answered."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from hotline.accounts.repository import UserRepository
from hotline.accounts.service import AccountService
from hotline.api.audit import audit
from hotline.api.deps import Ctx, DbSession, Supervisors, roles
from hotline.api.schemas.board import AgentBoardOut
from hotline.api.uow import OutsideEffectsRoute
from hotline.core.actor import Actor
from hotline.core.enums import CallDirection, CallPurpose, Role
from hotline.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from hotline.core.labels import AgentStatus
from hotline.desk.agents import AgentDesk
from hotline.models import AgentSession
from hotline.stats.formulas import Period
from hotline.telephony.board import AgentBoardService
from hotline.telephony.policy import queue_for
from hotline.telephony.repository import AgentRepository, CallRepository

router = APIRouter(prefix="/api/v1", tags=["telephony"], route_class=OutsideEffectsRoute)
Interface = Annotated[str, Field(min_length=3, max_length=128, pattern=r"^[A-Za-z0-9/@._;:-]+$",
                                 examples=["PJSIP/1001"])]
SERVICE_LEVEL_SECONDS = 20  # answered within 20 s counts towards the service level
# Who may sit at a queue (which one: config/ivr.yaml queues_by_role), and who may read calls and places.
QueueStaff = Annotated[Actor, Depends(roles(Role.OPERATOR, Role.CALLBACK_STAFF, Role.HOTLINE_ADMIN))]
CallReaders = Annotated[Actor, Depends(roles(Role.OPERATOR, Role.HOTLINE_ADMIN, Role.SUPERVISOR))]
AgentReaders = Annotated[Actor, Depends(roles(Role.OPERATOR, Role.CALLBACK_STAFF, Role.HOTLINE_ADMIN,
                                              Role.SUPERVISOR))]
OWN_PLACES_ONLY = (Role.OPERATOR, Role.CALLBACK_STAFF)


class CallOut(BaseModel):
    linkedid: str
    caller: str | None
    dialled: str | None
    direction: CallDirection = Field(description="inbound: a citizen called 12345; outbound: the centre called out")
    purpose: CallPurpose
    started_at: dt.datetime | None
    answered_at: dt.datetime | None
    ended_at: dt.datetime | None
    ivr_path: list[str]
    queue: str | None
    wait_seconds: int | None
    agent: str | None
    talk_seconds: int | None = Field(description="Asterisk's talk time (AgentComplete), time on hold included")
    hold_seconds: int = Field(default=0, description="time the citizen spent on hold (保持) during the call")
    hangup_cause: str | None
    disposition: str
    recording: str | None
    message_recording: str | None


class CallStats(BaseModel):
    calls: int = Field(description="citizens' calls to the hotline (inbound); the figures below are of these")
    answered: int
    abandoned: int
    message_left: int
    ivr_only: int
    average_wait_seconds: float | None
    service_level: float | None = Field(description=f"answered within {SERVICE_LEVEL_SECONDS} s ÷ calls that queued")
    outbound: int = Field(description="calls the centre placed (automated surveys, click-to-call), counted apart")


class AgentOut(BaseModel):
    queue: str
    interface: str
    member_name: str | None
    logged_in: bool
    paused: bool
    pause_reason: str | None
    in_call: bool
    calls_taken: int
    mine: bool


class QueueIn(BaseModel):
    interface: Interface | None = Field(default=None, description="default: the phone bound to the account; "
                                        "given by an account without one, it is bound to it")
    queue: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")


class PauseIn(QueueIn):
    reason: str = Field(min_length=1, max_length=80, description="why: 小休, 午餐, 培训, 后处理 …")


@router.get("/calls", response_model=list[CallOut], summary="Recent calls, newest first")
def calls(actor: CallReaders, session: DbSession,
          disposition: str | None = Query(
              default=None, pattern="^(answered|abandoned|message_left|ivr_only|unanswered)$"),
          direction: CallDirection | None = None,
          limit: Annotated[int, Query(ge=1, le=500)] = 50):
    repository = CallRepository(session)
    recent = repository.recent(disposition, limit, direction.value if direction else None)
    held = repository.hold_seconds([c.linkedid for c in recent])
    return [CallOut.model_validate(c, from_attributes=True).model_copy(update={"hold_seconds": held.get(c.linkedid, 0)})
            for c in recent]


@router.get("/calls/stats", response_model=CallStats, summary="Answered, abandoned, average wait, service level")
def call_stats(actor: CallReaders, session: DbSession, ctx: Ctx,
               date_from: Annotated[dt.date | None, Query(alias="from")] = None,
               date_to: Annotated[dt.date | None, Query(alias="to")] = None):
    today = ctx.sla.local_day(ctx.clock.now())
    period = Period(date_from or today, date_to or today)
    lo = dt.datetime.combine(period.start, dt.time(), tzinfo=ctx.sla.tz)
    hi = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), tzinfo=ctx.sla.tz)
    repository = CallRepository(session)
    total, answered, abandoned, message, ivr, wait, queued, in_time = repository.counts(lo, hi, SERVICE_LEVEL_SECONDS)
    return CallStats(calls=total, answered=answered, abandoned=abandoned, message_left=message, ivr_only=ivr,
                     average_wait_seconds=round(float(wait), 1) if wait is not None else None,
                     service_level=round(in_time / queued, 4) if queued else None,
                     outbound=repository.outbound_count(lo, hi))


@router.get("/agents", response_model=list[AgentOut],
            summary="Staff at the queues (operators and callback staff see their own)")
def agents(actor: AgentReaders, session: DbSession):
    mine_only = actor.user_id if actor.role in OWN_PLACES_ONLY else None
    return [_agent(a, actor) for a in AgentRepository(session).listing(mine_only)]


@router.get("/agents/board", response_model=AgentBoardOut, responses={403: {"description": "not the centre's"}},
            summary="The live agent board: states, pauses and why, calls waiting, longest wait, service level today")
def agent_board(actor: Supervisors, session: DbSession, ctx: Ctx,
                within: Annotated[int | None, Query(ge=1, le=600, description="service level: answered within "
                                                    "this many seconds (default: config/stats.yaml)")] = None):
    if actor.department_path is not None:  # a district's supervisor oversees its departments, not the call centre
        raise PermissionDeniedError("the agent board is the centre's", error_id="board_centre_only")
    board = ctx.config.stats.board
    out = AgentBoardService(session, str(ctx.settings.timezone)).board(ctx.clock.now(),
                                                                       within or board.service_level_seconds)
    return {**out, "refresh_seconds": board.refresh_seconds}


@router.post("/agents/login", response_model=AgentOut,
             summary="Join a queue the role may sit at, at an interface (AMI QueueAdd)")
def agent_login(body: QueueIn, request: Request, actor: QueueStaff, session: DbSession, ctx: Ctx):
    queue, interface = queue_for(ctx.config.ivr, actor.role, body.queue), _interface(session, ctx, actor, body)
    member = actor.name or f"user{actor.user_id}"
    ctx.pbx.queue_add(queue, interface, member)
    AgentRepository(session).claim(queue, interface, member, actor.user_id, ctx.clock.now())
    AgentDesk(session, ctx.clock).move(actor.user_id or 0, AgentStatus.IDLE, queue=queue, interface=interface)
    audit(session, request, actor, "agent.login", "agent", interface, {"queue": queue})
    return _agent(_mine(session, actor, queue, interface), actor)


@router.post("/agents/pause", response_model=AgentOut, summary="Pause with a reason (AMI QueuePause)")
def agent_pause(body: PauseIn, request: Request, actor: QueueStaff, session: DbSession, ctx: Ctx):
    return _pause(body, True, body.reason, request, actor, session, ctx)


@router.post("/agents/unpause", response_model=AgentOut, summary="Take calls again (also ends 话后处理)")
def agent_unpause(body: QueueIn, request: Request, actor: QueueStaff, session: DbSession, ctx: Ctx):
    return _pause(body, False, "", request, actor, session, ctx)


@router.post("/agents/logout", response_model=AgentOut, summary="Leave the queue (AMI QueueRemove)")
def agent_logout(body: QueueIn, request: Request, actor: QueueStaff, session: DbSession, ctx: Ctx):
    queue, interface = queue_for(ctx.config.ivr, actor.role, body.queue), _interface(session, ctx, actor, body)
    agent = _mine(session, actor, queue, interface)
    ctx.pbx.queue_remove(queue, interface)
    agent.logged_in, agent.paused, agent.pause_reason, agent.updated_at = False, False, None, ctx.clock.now()
    AgentDesk(session, ctx.clock).move(actor.user_id or 0, AgentStatus.OFFLINE)
    audit(session, request, actor, "agent.logout", "agent", interface, {"queue": queue})
    return _agent(agent, actor)


def _pause(body: QueueIn, paused: bool, reason: str, request, actor, session, ctx) -> AgentOut:
    queue, interface = queue_for(ctx.config.ivr, actor.role, body.queue), _interface(session, ctx, actor, body)
    agent = _mine(session, actor, queue, interface)
    ctx.pbx.queue_pause(queue, interface, paused, reason)
    agent.paused, agent.pause_reason, agent.updated_at = paused, reason or None, ctx.clock.now()
    AgentDesk(session, ctx.clock).move(actor.user_id or 0, AgentStatus.PAUSED if paused else AgentStatus.IDLE,
                                       queue=queue, interface=interface, reason=reason or None)
    audit(session, request, actor, "agent.pause" if paused else "agent.unpause", "agent", interface,
          {"queue": queue, "reason": reason} if paused else {"queue": queue})
    return _agent(agent, actor)


def _interface(session: Session, ctx, actor: Actor, body: QueueIn) -> str:
    """The interface asked for, else the account's bound phone; the first one given is remembered."""
    accounts = AccountService(session, ctx)
    user = UserRepository(session).get(actor.user_id or 0)
    if body.interface:
        if user is not None and not user.extension:
            accounts.bind_extension(user.id, body.interface)
        return body.interface
    if user is None or not user.extension:
        raise InvalidInputError("no interface given and none bound to your account", error_id="no_extension")
    return user.extension


def _mine(session: Session, actor: Actor, queue: str, interface: str) -> AgentSession:
    agent = AgentRepository(session).at(queue, interface)
    if agent is None or (actor.role in OWN_PLACES_ONLY and agent.user_id != actor.user_id):
        raise NotFoundError(f"you are not logged in at {interface} in {queue}", error_id="not_at_queue")
    return agent


def _agent(a: AgentSession, actor: Actor) -> AgentOut:
    return AgentOut(queue=a.queue, interface=a.interface, member_name=a.member_name, logged_in=a.logged_in,
                    paused=a.paused, pause_reason=a.pause_reason, in_call=a.in_call, calls_taken=a.calls_taken,
                    mine=a.user_id == actor.user_id)
