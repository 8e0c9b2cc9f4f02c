"""内部沟通: notes between the departments holding an order and the hotline. Staff only (a liaison files for
a citizen and never reads them; Open311 has no route to them); the order's scope decides, else 404."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from hotline.api.audit import audit
from hotline.api.deps import Ctx, DbSession, roles
from hotline.api.routers.work_orders import ERRORS, Ticket
from hotline.api.uow import UnitOfWorkRoute
from hotline.core.actor import Actor
from hotline.core.enums import Role
from hotline.dispatch.notes import MAX_CHARS, Notes, NoteView

router = APIRouter(prefix="/api/v1/work-orders", tags=["work orders"], route_class=UnitOfWorkRoute)
NoteReader = Annotated[Actor, Depends(roles(Role.OPERATOR, Role.HOTLINE_ADMIN, Role.SUPERVISOR, Role.CALLBACK_STAFF,
                                            Role.DEPARTMENT_STAFF, Role.DEPARTMENT_ADMIN))]


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=MAX_CHARS)


class NoteOut(BaseModel):
    id: int
    text: str
    author: str
    side: str = Field(description="the writer's department, or 12345热线")
    mine: bool
    at: datetime


def out(note: NoteView) -> NoteOut:
    return NoteOut(id=note.id, text=note.text, author=note.author, side=note.side, mine=note.mine, at=note.at)


@router.get("/{ticket}/notes", response_model=list[NoteOut], responses=ERRORS,
            summary="内部沟通: the notes on an order, oldest first (masked for departments)")
def list_notes(ticket: Ticket, actor: NoteReader, session: DbSession, ctx: Ctx):
    return [out(n) for n in Notes(session, ctx.clock).list(ticket, actor)]


@router.post("/{ticket}/notes", response_model=NoteOut, status_code=201, responses=ERRORS,
             summary="内部沟通: write a note; the departments holding the order and the hotline hear of it")
def add_note(ticket: Ticket, body: NoteIn, request: Request, actor: NoteReader, session: DbSession, ctx: Ctx):
    notes = Notes(session, ctx.clock)
    note = notes.add(ticket, actor, body.text)
    audit(session, request, actor, "work_order.note", "work_order", ticket, {"note": note.id})
    return next(out(n) for n in notes.list(ticket, actor) if n.id == note.id)
