"""`linkedid` on any step of an order: the order is linked to the call the step was taken during."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from sqlalchemy.orm import Session

from hotline.core.actor import Actor
from hotline.telephony.links import CREATED, UPDATED, CallLinks

Linkedid = Annotated[str | None, Query(min_length=1, max_length=64, pattern=r"^[0-9A-Za-z._-]+$", description=(
    "the call this is done during (the Linkedid of the screen pop): the order is linked to it; "
    "the call must be one you answered or placed"))]


async def during_call(request: Request, linkedid: Linkedid = None) -> None:
    """Only notes the query parameter: async, so it costs the request no trip into the thread pool."""
    request.state.during_call = linkedid


def link_during_call(session: Session, request: Request, actor: Actor, order_id: int, *, updated: bool) -> None:
    """Link the order to the request's call, if it named one (verified; 404 rolls the whole request back)."""
    linkedid = getattr(request.state, "during_call", None)
    if linkedid:
        ctx = request.app.state.ctx
        CallLinks(session, ctx.clock.now).link(actor, linkedid, order_id, UPDATED if updated else CREATED)
