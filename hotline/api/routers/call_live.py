"""The live stream of one call: what `hotline listen` hears on it (partial and final results of each
side, as it hears them) and the intake draft of the citizen's words, updated as they arrive.

Operators open it for the call they took part in (their console does on the screen pop); the centre's
admins and supervisors for any call. A stream opened late, or again after a dropped connection, starts with
what the call's channel kept (every side's start, finished utterances and end; hotline.live.bus), and the
draft with it; an event that arrives both kept and live is sent once. Nothing here holds a database
transaction while it streams."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials

from hotline.api.deps import bearer
from hotline.api.routers.live import stream_actor
from hotline.api.uow import OutsideEffectsRoute
from hotline.core.actor import Actor
from hotline.core.db import session_scope
from hotline.core.enums import Role
from hotline.desk.live_draft import LiveDraft
from hotline.telephony.links import CallLinks

router = APIRouter(prefix="/api/v1", tags=["calls"], route_class=OutsideEffectsRoute)
Linkedid = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z._-]+$")]
# Never a department: calls are the centre's.
LISTENERS = frozenset({Role.OPERATOR, Role.HOTLINE_ADMIN, Role.SUPERVISOR})
KEEP_ALIVE_S = 15.0


def sse(message: dict[str, Any]) -> str:
    return f"event: {message.get('type', 'message')}\ndata: {json.dumps(message, ensure_ascii=False, default=str)}\n\n"


def already_sent(sent: dict[str, int], message: dict[str, Any]) -> bool:
    """Whether a stream's event was sent already (its seq is not above the stream's highest sent); notes it if not.
    Events of no stream (the after-call draft) always go."""
    stream, seq = message.get("stream"), message.get("seq")
    if not isinstance(stream, str) or not isinstance(seq, int):
        return False
    if seq <= sent.get(stream, 0):
        return True
    sent[stream] = seq
    return False


def _may_follow(request: Request, actor: Actor, linkedid: str) -> None:
    ctx = request.app.state.ctx
    with session_scope(request.app.state.session_factory) as session:
        CallLinks(session, ctx.clock.now).require(actor, linkedid)


@router.get("/calls/{linkedid}/live", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}}, 404: {"description": "no such call of yours"}},
            summary="Server-sent events: the call's live transcript (live_partial, live_final …) and live_draft")
async def call_live(linkedid: Linkedid, request: Request,
                    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
                    ticket: Annotated[str | None, Query(max_length=100, description=(
                        "from POST /api/v1/live/tickets, for browsers' EventSource (no headers there)"))] = None):
    actor = await stream_actor(request, credentials, ticket, LISTENERS)
    await asyncio.to_thread(_may_follow, request, actor, linkedid)
    ctx = request.app.state.ctx
    drafts = LiveDraft(linkedid, lambda text: ctx.analyzer.analyze(text).as_dict(),
                       max_chars=ctx.config.intake.max_chars)

    async def analysed() -> str | None:
        found = await asyncio.to_thread(drafts.draft)
        return sse(found) if found else None

    async def events():
        channel = f"call:{linkedid}"
        async with ctx.live.subscribe(channel) as queue:
            earlier = await asyncio.to_thread(ctx.live.kept, channel)
            yield ": connected\n\n"
            sent: dict[str, int] = {}  # stream → the highest seq sent
            for message in earlier:
                if not already_sent(sent, message):
                    yield sse(message)
                    drafts.heard(message)
            if drafts.due_in() == 0.0 and (out := await analysed()):
                yield out
            while True:  # Starlette cancels this generator when the client goes away
                wait = drafts.due_in()
                try:
                    message = await asyncio.wait_for(queue.get(), KEEP_ALIVE_S if wait is None else wait)
                except TimeoutError:
                    yield (await analysed()) or ": keep-alive\n\n"
                    continue
                if already_sent(sent, message):
                    continue
                yield sse(message)
                drafts.heard(message)
                if drafts.due_in() == 0.0 and (out := await analysed()):
                    yield out

    return StreamingResponse(events(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
