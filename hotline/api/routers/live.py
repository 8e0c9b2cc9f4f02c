"""The live stream (server-sent events) and the tickets that open it.

A browser's EventSource cannot send headers, so it first asks for a stream ticket (POST, with its
bearer token in the header as always) and opens `/api/v1/live?ticket=…` with it: single use, a few
seconds, good for nothing else — the access log never holds a token. Every event is checked against
what the actor may read, and the account itself is read again while the stream is open: a disabled
account's stream ends within seconds."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials
from pydantic import BaseModel, Field

from hotline.accounts.service import AccountService
from hotline.api.deps import actor_for_token, bearer, roles
from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.core.errors import AuthenticationError, HotlineError, PermissionDeniedError
from hotline.dispatch.repository import WorkOrderRepository
from hotline.dispatch.scope import sees_everything
from hotline.live.scope import LISTENERS, channels_for, ticket_to_check
from hotline.live.tickets import TTL_SECONDS

router = APIRouter(prefix="/api/v1", tags=["telephony"])
Listener = Annotated[Actor, Depends(roles(*LISTENERS))]
KEEP_ALIVE_SECONDS = 10.0  # a comment line this often; the account is read again at each
RECHECK_SECONDS = 5.0  # at most this long between reads of the account while events flow


class StreamTicketOut(BaseModel):
    ticket: str = Field(description="put it in GET /api/v1/live?ticket=…; once, within expires_in seconds")
    expires_in: int


@router.post("/live/tickets", response_model=StreamTicketOut, status_code=201,
             summary="A single-use ticket that opens the live stream (operator, hotline admin, supervisor)")
async def stream_ticket(request: Request, actor: Listener) -> StreamTicketOut:
    ticket = await run_in_threadpool(request.app.state.stream_tickets.issue, actor.user_id or 0)
    return StreamTicketOut(ticket=ticket, expires_in=TTL_SECONDS)


@router.get("/live", summary="Server-sent events: screen pops for this operator; every call for supervisors",
            response_class=StreamingResponse, responses={200: {"content": {"text/event-stream": {}}}})
async def live(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
               ticket: Annotated[str | None, Query(max_length=100, description=(
                   "from POST /api/v1/live/tickets, for browsers' EventSource, which cannot send headers"))] = None):
    actor = await stream_actor(request, credentials, ticket)
    channels = channels_for(actor)
    live_notifier = request.app.state.ctx.live
    loop = asyncio.get_running_loop()

    async def events():
        current = actor
        async with live_notifier.subscribe(*channels) as queue:
            yield ": connected\n\n"
            checked = loop.time()
            while True:  # Starlette cancels this generator when the client goes away
                try:
                    message = await asyncio.wait_for(queue.get(), KEEP_ALIVE_SECONDS)
                except TimeoutError:
                    message = None
                if message is None or loop.time() - checked >= RECHECK_SECONDS:
                    now = await run_in_threadpool(_still, request, actor)
                    checked = loop.time()
                    if now is None:
                        yield 'event: closed\ndata: {"reason": "account"}\n\n'
                        return
                    current = now
                if message is None:
                    yield ": keep-alive\n\n"
                elif await _may_receive(request, current, message):
                    data = json.dumps(message, ensure_ascii=False, default=str)
                    yield f"event: {message.get('type', 'message')}\ndata: {data}\n\n"

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def stream_actor(request: Request, credentials: HTTPAuthorizationCredentials | None, ticket: str | None,
                       allowed: frozenset[Role] = LISTENERS) -> Actor:
    """Who opens a stream: by a single-use stream ticket (browsers) or a bearer header (other clients)."""
    if ticket:
        user_id = await run_in_threadpool(request.app.state.stream_tickets.take, ticket)
        if user_id is None:
            raise AuthenticationError("this stream ticket is unknown, expired or used: ask for a new one",
                                      error_id="stream_ticket_invalid")
        actor = await run_in_threadpool(_load, request, user_id)
    elif credentials is not None:
        actor = await actor_for_token(request, credentials.credentials)
    else:
        raise AuthenticationError("open the stream with ?ticket= from POST /api/v1/live/tickets, "
                                  "or send 'Authorization: Bearer <access token>'")
    if actor.role not in allowed:
        raise PermissionDeniedError(f"a {actor.role.value} has no live stream", error_id="role_not_allowed")
    return actor


def _load(request: Request, user_id: int) -> Actor:
    with request.app.state.session_factory() as session:
        return AccountService(session, request.app.state.ctx).actor_of(user_id)


def _still(request: Request, actor: Actor) -> Actor | None:
    """The account as it is now, or None once it is disabled or no longer the listener it was."""
    try:
        now = _load(request, actor.user_id or 0)
    except HotlineError:
        return None
    same = (now.role, now.department_path) == (actor.role, actor.department_path)
    return now if same else None


async def _may_receive(request: Request, actor: Actor, message: dict) -> bool:
    deliver, ticket = ticket_to_check(actor, message, sees_everything(actor))
    if deliver or ticket is None:
        return deliver
    return await run_in_threadpool(_may_read, request, actor, ticket)


def _may_read(request: Request, actor: Actor, ticket: str) -> bool:
    with request.app.state.session_factory() as session:
        return WorkOrderRepository(session).may_read(ticket, actor)
